/*
 * The words rows are searched for ("certificate", "Failed to connect",
 * "STARTTLS"), found without a call per byte: candidates are screened by two
 * of a word's bytes, 16 positions at a time with SSE2, and only those are
 * compared.
 */
#include "config.h"

#include <string.h>

#include "parser.h"
#include "util/text.h"

/* Screened by a rare byte and another (parser.h). */
const struct word word_certificate = { "ertificate", 10, 4, 9 };	/* f, e */
const struct word word_failed = { "Failed to connect", 17, 0, 16 };	/* F, t */
const struct word word_starttls = { "STARTTLS", 8, 0, 7 };
const struct word word_anontls = { "X-ANONYMOUSTLS", 14, 0, 13 };

/*
 * memmem() without relying on the GNU extension. Candidates are where both
 * screening bytes sit at the right distance, found 16 positions at a time
 * with SSE2; only those are compared.
 */
const char *
find_bytes(const char *p, size_t n, const struct word *w)
{
	const size_t	wn = w->n, a = w->a, b = w->b;
	size_t		i = 0;
#ifdef HAVE_SSE2_ROWS
	__m128i		va, vb, x, y;
	unsigned	m;
#endif

	if (wn > n)
		return NULL;
#ifdef HAVE_SSE2_ROWS
	va = _mm_set1_epi8(w->s[a]);
	vb = _mm_set1_epi8(w->s[b]);
	/* Both loads stay below p + n: a, b < wn. */
	for (; i + wn - 1 + 16 <= n; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(p + i + a));
		y = _mm_loadu_si128((const __m128i *)(const void *)(p + i + b));
		m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(y, vb)));
		for (; m != 0; m &= m - 1)
			if (memcmp(p + i + __builtin_ctz(m), w->s, wn) == 0)
				return p + i + __builtin_ctz(m);
	}
#endif
	for (; i + wn <= n; i++)
		if (p[i + a] == w->s[a] && p[i + b] == w->s[b] &&
		    memcmp(p + i, w->s, wn) == 0)
			return p + i;
	return NULL;
}

/*
 * strcasestr() over [s, s+n): positions where the first two bytes, ORed
 * with 0x20, equal the word's so are screened 16 at a time, then compared.
 */
const char *
ci_find(const char *s, size_t n, const char *word)
{
	size_t		wn = strlen(word), i = 0, j;
	unsigned char	c0 = (unsigned char)word[0] | 0x20;
#ifdef HAVE_SSE2_ROWS
	const __m128i	v20 = _mm_set1_epi8(0x20), vc = _mm_set1_epi8((char)c0);
	const __m128i	vd = _mm_set1_epi8((char)((unsigned char)word[1] | 0x20));
	unsigned	m;

	for (; wn >= 2 && i + 17 <= n; i += 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(
		    (const __m128i *)(const void *)(s + i)), v20), vc),
		    _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(
		    (const __m128i *)(const void *)(s + i + 1)), v20), vd)));
		for (; m != 0; m &= m - 1) {
			j = i + (size_t)__builtin_ctz(m);
			if (j + wn > n)
				return NULL;
			if (ascii_ncasecmp(s + j, word, wn) == 0)
				return s + j;
		}
	}
#endif
	for (j = i; j + wn <= n; j++)
		if (((unsigned char)s[j] | 0x20) == c0 &&
		    ascii_ncasecmp(s + j, word, wn) == 0)
			return s + j;
	return NULL;
}

bool
str_eq_trim_ci(const char *s, const char *word)
{
	size_t	n = strlen(word);

	while (*s == ' ')
		s++;
	if (ascii_ncasecmp(s, word, n) != 0)
		return false;
	for (s += n; *s == ' '; s++)
		;
	return *s == '\0';
}

/* Whether [p, p+n) holds `word` between non-word characters. */
bool
has_word(const char *p, size_t n, const struct word *word)
{
	size_t		 w = word->n;
	const char	*q = p, *end = p + n, *hit;

	while ((size_t)(end - q) >= w &&
	    (hit = find_bytes(q, (size_t)(end - q), word)) != NULL) {
		if ((hit == p || hit[-1] == ' ' || hit[-1] == '-' ||
		    hit[-1] == ',') && (hit + w == end || hit[w] == ' ' ||
		    hit[w] == ',' || hit[w] == '\r'))
			return true;
		q = hit + 1;
	}
	return false;
}

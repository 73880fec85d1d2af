/*
 * Content sniffing that every format shares: the text-or-binary test and
 * the first lines of the decoded text (archives are the walk's:
 * bundle_is_archive). Every decision is made from the bytes, never from
 * the name.
 */
#include "config.h"

#include <string.h>

#include "sniff.h"

static bool
has_prefix(const unsigned char *p, size_t len, const void *magic, size_t n)
{
	return len >= n && memcmp(p, magic, n) == 0;
}

/*
 * PowerShell writes UTF-16 text, with a BOM (Out-File, ">") or without one.
 * Such text is half NULs, which must not make it "binary": a BOM or ASCII
 * characters alternating with NULs mark it as text for the decoder.
 */
static bool
looks_utf16(const unsigned char *p, size_t len)
{
	size_t	i, pairs, le = 0, be = 0;

	if (has_prefix(p, len, "\377\376", 2) || has_prefix(p, len, "\376\377", 2))
		return true;
	pairs = (len < SNIFF_HEAD ? len : SNIFF_HEAD) / 2;
	if (pairs < 2)
		return false;
	for (i = 0; i < pairs; i++) {
		unsigned char	a = p[2 * i], b = p[2 * i + 1];

		if (b == 0 && a != 0 && a < 0x80)
			le++;
		else if (a == 0 && b != 0 && b < 0x80)
			be++;
	}
	/* Most characters of an Exchange dump are ASCII. */
	return le * 10 >= pairs * 8 || be * 10 >= pairs * 8;
}

static bool
is_binary(const unsigned char *p, size_t len)
{
	size_t	i, n = len < SNIFF_HEAD ? len : SNIFF_HEAD, nul = 0, ctl = 0;

	for (i = 0; i < n; i++) {
		unsigned char	c = p[i];

		if (c == 0)
			nul++;
		else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != '\v' && c != 0x1b) || c == 0x7f)
			ctl++;
	}
	/*
	 * Text has no NULs to speak of (one stray NUL in a page is tolerated)
	 * and very few control bytes; random or packed data has both.
	 */
	return nul * 1000 > n || ctl * 20 > n;
}

bool
sniff_binary(const unsigned char *p, size_t len)
{
	if (p == NULL || len == 0)
		return false;
	return !has_prefix(p, len, "\357\273\277", 3) && !looks_utf16(p, len) &&
	    is_binary(p, len);
}

bool
sniff_contains(const char *s, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i;

	if (n == 0 || len < n)
		return n == 0;
	for (i = 0; i + n <= len; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return true;
	return false;
}

static const char *
skip_leading_space(const char *s, size_t *len)
{
	const char	*end = s + *len;

	for (;;) {
		if (end - s >= 3 && memcmp(s, "\357\273\277", 3) == 0)
			s += 3;	/* a BOM the decoder left behind */
		else if (s < end && (*s == ' ' || *s == '\t' || *s == '\r' ||
		    *s == '\n' || *s == '\f' || *s == '\v'))
			s++;
		else
			break;
	}
	*len = (size_t)(end - s);
	return s;
}

void
sniff_text(const char *utf8, size_t len, struct sniff_text *st)
{
	const char	*p, *end, *e;

	memset(st, 0, sizeof *st);
	if (utf8 == NULL)
		return;
	st->s = skip_leading_space(utf8, &len);
	st->len = len;
	end = st->s + len;
	for (p = st->s; p < end && st->nlines < SNIFF_LINES; ) {
		for (e = p; e < end && *e != '\n' && *e != '\r'; e++)
			;
		st->lines[st->nlines].p = p;
		st->lines[st->nlines].n = (size_t)(e - p);
		if (e > p)
			st->nonblank++;
		st->nlines++;
		if (e < end && *e == '\r')
			e++;
		if (e < end && *e == '\n')
			e++;
		p = e;
	}
}

bool
sniff_line_prefix(const struct sniff_line *l, const char *prefix)
{
	size_t	n = strlen(prefix);

	return l->n >= n && memcmp(l->p, prefix, n) == 0;
}

struct sniff_line
sniff_first_line(const struct sniff_text *st)
{
	struct sniff_line	none = { "", 0 };

	return st->nlines > 0 ? st->lines[0] : none;
}

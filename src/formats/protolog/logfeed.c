/*
 * A protocol log's bytes to its parser, whole or in pieces (logfeed.h).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logfeed.h"
#include "reader.h"
#include "util/text.h"
#include "util/util.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define HAVE_SSE2_ASCII	1
#endif

void
logfeed_init(struct logfeed *f, struct protolog_reader *r,
    struct diag_list *diags)
{
	memset(f, 0, sizeof *f);
	f->reader = r;
	f->diags = diags;
	buf_init(&f->carry, SIZE_MAX - 1);
}

void
logfeed_free(struct logfeed *f)
{
	buf_free(&f->carry);
	free(f->path);
	f->path = NULL;
}

/*
 * Pure ASCII without NUL: the bytes are already the text. Every byte of
 * every log passes here, so 64 bytes at a time: the OR of all of them has
 * no high bit, and no byte compares equal to zero (SSE2 where there is,
 * else eight bytes at a time).
 */
static bool
plain_ascii(const unsigned char *p, size_t n)
{
	const uint64_t	hi = 0x8080808080808080ull, lo = 0x0101010101010101ull;
	uint64_t	w, acc = 0, zero = 0;
	size_t		i = 0;
#ifdef HAVE_SSE2_ASCII
	const __m128i	z = _mm_setzero_si128();
	__m128i		a, b, c, d, bits = z, nul = z;

	for (; i + 64 <= n; i += 64) {
		a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
		c = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 32));
		d = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 48));
		bits = _mm_or_si128(bits, _mm_or_si128(_mm_or_si128(a, b),
		    _mm_or_si128(c, d)));
		nul = _mm_or_si128(nul, _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(a, z), _mm_cmpeq_epi8(b, z)),
		    _mm_or_si128(_mm_cmpeq_epi8(c, z), _mm_cmpeq_epi8(d, z))));
	}
	if (_mm_movemask_epi8(_mm_or_si128(bits, nul)) != 0)
		return false;
#endif
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= w;
		zero |= (w - lo) & ~w & hi;
	}
	for (; i < n; i++) {
		acc |= p[i];
		if (p[i] == 0)
			zero = 1;
	}
	return (acc & hi) == 0 && zero == 0;
}

/*
 * Text as it is when it is already UTF-8 (checked a block at a time, pure
 * ASCII first); else a decoded copy in *copy, counting what was replaced.
 * A whole log's encoding is decided here (UTF-16, a byte-order mark); a
 * piece's was decided by the log's start (format.c): UTF-8, so that a piece
 * whose lines happen to start with FF FE, or hold NUL bytes, is never taken
 * for UTF-16.
 */
static const char *
decoded(struct logfeed *f, const unsigned char *p, size_t n, size_t *len,
    char **copy, bool whole)
{
	size_t	replaced = 0;

	*copy = NULL;
	*len = n;
	if (plain_ascii(p, n) || (memchr(p, '\0', n) == NULL &&
	    utf8_valid((const char *)p, n)))
		return (const char *)p;
	if (whole)
		*copy = text_to_utf8(p, n, len, &f->enc, &replaced);
	else {
		*copy = utf8_decode(p, n, len, &replaced);
		f->enc = "utf-8";
	}
	f->replaced += replaced;
	return *copy;
}

/* The replacements decoding made in a log, said once for it. */
static void
replaced_say(struct logfeed *f, const char *path)
{
	if (f->replaced > 0)
		diag_add(f->diags, DIAG_WARNING, path,
		    "%zu invalid byte sequence%s replaced while decoding as %s",
		    f->replaced, f->replaced > 1 ? "s" : "", f->enc);
	f->replaced = 0;
}

void
logfeed_whole(struct logfeed *f, const char *path, const unsigned char *data,
    size_t n)
{
	const char	*text;
	char		*copy = NULL;
	size_t		 len;

	/* A byte-order mark asks for decoding, which drops it. */
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		copy = text_to_utf8(data, n, &len, &f->enc, &f->replaced);
	text = copy != NULL ? copy : decoded(f, data, n, &len, &copy, true);
	protolog_reader_file(f->reader, path, text, len);
	/* After the file's own words, as for a log in pieces. */
	replaced_say(f, path);
	free(copy);
}

/* Lines, whole ones only, of a log in pieces to its parser. */
static void
feed_lines(struct logfeed *f, const unsigned char *p, size_t n)
{
	const char	*text;
	char		*copy;
	size_t		 len;

	if (n == 0)
		return;
	text = decoded(f, p, n, &len, &copy, false);
	protolog_reader_feed(f->reader, text, len);
	free(copy);
}

/*
 * Past the last LF of p[0..n), or NULL. Only an LF ends a piece's lines:
 * whether a lone CR ends one depends on how the text up to the next LF
 * ends (protolog_feed()), which may be in a later piece. A log without
 * LFs, all CRs, is held until its end.
 */
static const unsigned char *
past_last_lf(const unsigned char *p, size_t n)
{
	size_t	i;

	/* From the end: a piece's last LF is a line's length away. */
	for (i = n; i > 0; i--)
		if (p[i - 1] == '\n')
			return p + i;
	return NULL;
}

/* The carry has no limit of its own: the walk's per-entry limit bounds it. */
static void
carry_add(struct logfeed *f, const unsigned char *p, size_t n)
{
	if (n > 0)
		(void)buf_append(&f->carry, p, n);
}

/*
 * The next piece of a log: the line the last piece left unfinished is
 * finished and parsed, then the piece's whole lines where they lie, and
 * what is left of it waits for the next. The parser sees the same lines as
 * from the whole file.
 */
void
logfeed_piece(struct logfeed *f, const unsigned char *p, size_t n)
{
	const unsigned char	*end = p + n, *e;

	if (f->carry.len > 0) {
		if ((e = memchr(p, '\n', n)) == NULL) {
			carry_add(f, p, n);
			return;
		}
		carry_add(f, p, (size_t)(e + 1 - p));
		feed_lines(f, (const unsigned char *)f->carry.data,
		    f->carry.len);
		buf_reset(&f->carry);
		p = e + 1;
	}
	if ((e = past_last_lf(p, (size_t)(end - p))) != NULL) {
		feed_lines(f, p, (size_t)(e - p));
		p = e;
	}
	carry_add(f, p, (size_t)(end - p));
}

void
logfeed_begin(struct logfeed *f, char *path)
{
	free(f->path);
	f->path = path;
	buf_reset(&f->carry);
	protolog_reader_begin(f->reader, f->path);
}

void
logfeed_end(struct logfeed *f, bool whole)
{
	/* The last line needs no line end. */
	if (whole)
		feed_lines(f, (const unsigned char *)f->carry.data, f->carry.len);
	buf_reset(&f->carry);
	protolog_reader_end(f->reader);
	replaced_say(f, f->path);
	free(f->path);
	f->path = NULL;
}

/*
 * Text decoding: BOM and UTF-16 detection, UTF-8 validation with U+FFFD
 * replacement, a clean copy for XML and the workbook, and line iteration.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

#define REPLACEMENT	0xFFFDu

/* A growable output buffer; the decoders below know their worst case. */
struct out {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static void
out_reserve(struct out *o, size_t n)
{
	if (o->len + n + 1 > o->cap)
		o->p = xreallocarray_grow(o->p, &o->cap, o->len + n + 1, 1);
}

static void
out_bytes(struct out *o, const void *p, size_t n)
{
	out_reserve(o, n);
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void
out_cp(struct out *o, uint32_t cp)
{
	unsigned char	b[4];
	size_t		n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	out_bytes(o, b, n);
}

static char *
out_finish(struct out *o, size_t *out_len)
{
	out_reserve(o, 0);
	o->p[o->len] = '\0';
	if (out_len != NULL)
		*out_len = o->len;
	return o->p;
}

/*
 * Decodes one UTF-8 sequence at s[0..n). Returns the number of bytes taken
 * (at least 1) and the code point in *cp, or U+FFFD for an ill-formed
 * sequence; then the bytes taken are its maximal valid prefix, as Unicode
 * recommends, so one broken character gives one replacement.
 */
static size_t
utf8_decode_one(const unsigned char *s, size_t n, uint32_t *cp, bool *bad)
{
	unsigned char	c = s[0];
	size_t		need, i;
	uint32_t	v;
	unsigned char	lo = 0x80, hi = 0xBF;

	*bad = false;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;		/* overlong */
		else if (c == 0xED)
			hi = 0x9F;		/* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;		/* overlong */
		else if (c == 0xF4)
			hi = 0x8F;		/* above U+10FFFF */
	} else {
		*cp = REPLACEMENT;
		*bad = true;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*cp = REPLACEMENT;
			*bad = true;
			return i;
		}
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;
	bool			 bad;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode_one(p + i, len - i, &cp, &bad);
		if (bad)
			return false;
		i += n;
	}
	return true;
}

static void
decode_utf8(struct out *o, const unsigned char *p, size_t len, size_t *replaced)
{
	size_t		i = 0, n, run;
	uint32_t	cp;
	bool		bad;

	while (i < len) {
		/* Copy runs of plain ASCII in one go. */
		for (run = i; run < len && p[run] < 0x80 && p[run] != 0; run++)
			;
		if (run > i) {
			out_bytes(o, p + i, run - i);
			i = run;
			continue;
		}
		if (p[i] == 0) {
			i++;
			continue;
		}
		n = utf8_decode_one(p + i, len - i, &cp, &bad);
		if (bad) {
			(*replaced)++;
			out_cp(o, REPLACEMENT);
		} else
			out_bytes(o, p + i, n);
		i += n;
	}
}

static uint32_t
unit_at(const unsigned char *p, bool be)
{
	return be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

static void
decode_utf16(struct out *o, const unsigned char *p, size_t len, bool be,
    size_t *replaced)
{
	size_t		i;
	uint32_t	u, u2;

	out_reserve(o, len + len / 2);
	for (i = 0; i + 1 < len; i += 2) {
		u = unit_at(p + i, be);
		if (u == 0)
			continue;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (i + 3 < len) {
				u2 = unit_at(p + i + 2, be);
				if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
					out_cp(o, 0x10000 +
					    ((u - 0xD800) << 10) + (u2 - 0xDC00));
					i += 2;
					continue;
				}
			}
			(*replaced)++;
			out_cp(o, REPLACEMENT);
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			(*replaced)++;
			out_cp(o, REPLACEMENT);
		} else
			out_cp(o, u);
	}
	if (len % 2 != 0) {
		/* A dangling half code unit: say something was there. */
		(*replaced)++;
		out_cp(o, REPLACEMENT);
	}
}

/*
 * BOM-less UTF-16 is recognized by the NULs that ASCII text leaves in every
 * other byte: odd positions for little-endian, even for big-endian. Returns
 * 1 for LE, 2 for BE, 0 for neither.
 */
static int
sniff_utf16_nuls(const unsigned char *p, size_t len)
{
	size_t	i, n, even = 0, odd = 0, pairs;

	n = len < 4096 ? len : 4096;
	n -= n % 2;
	pairs = n / 2;
	if (pairs < 2)
		return 0;
	for (i = 0; i < n; i += 2) {
		if (p[i] == 0)
			even++;
		if (p[i + 1] == 0)
			odd++;
	}
	if (odd * 10 >= pairs * 4 && even * 20 <= pairs)
		return 1;
	if (even * 10 >= pairs * 4 && odd * 20 <= pairs)
		return 2;
	return 0;
}

char *
text_to_utf8(const unsigned char *data, size_t len, size_t *out_len,
    const char **encoding, size_t *replaced)
{
	struct out	 o = { NULL, 0, 0 };
	size_t		 nrep = 0;
	const char	*enc;
	int		 guess;

	if (data == NULL)
		len = 0;
	if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
		enc = "utf-8-bom";
		out_reserve(&o, len);
		decode_utf8(&o, data + 3, len - 3, &nrep);
	} else if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE) {
		enc = "utf-16le";
		decode_utf16(&o, data + 2, len - 2, false, &nrep);
	} else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF) {
		enc = "utf-16be";
		decode_utf16(&o, data + 2, len - 2, true, &nrep);
	} else if ((guess = sniff_utf16_nuls(data, len)) != 0) {
		enc = guess == 1 ? "utf-16le" : "utf-16be";
		decode_utf16(&o, data, len, guess == 2, &nrep);
	} else {
		enc = "utf-8";
		out_reserve(&o, len);
		decode_utf8(&o, data, len, &nrep);
	}
	if (encoding != NULL)
		*encoding = enc;
	if (replaced != NULL)
		*replaced = nrep;
	return out_finish(&o, out_len);
}

char *
utf8_decode(const unsigned char *data, size_t len, size_t *out_len,
    size_t *replaced)
{
	struct out	 o = { NULL, 0, 0 };
	size_t		 nrep = 0;

	if (data == NULL)
		len = 0;
	out_reserve(&o, len);
	decode_utf8(&o, data, len, &nrep);
	if (replaced != NULL)
		*replaced = nrep;
	return out_finish(&o, out_len);
}

char *
utf8_clean(const char *s, size_t len)
{
	struct out		 o = { NULL, 0, 0 };
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;
	bool			 bad;

	if (s == NULL)
		len = 0;
	out_reserve(&o, len);
	while (i < len) {
		/*
		 * Runs of bytes that stay as they are (printable ASCII, tab,
		 * CR, LF) are copied in one go: nearly every text the reports
		 * write is one such run.
		 */
		for (n = i; n < len && ((p[n] >= 0x20 && p[n] < 0x80) ||
		    p[n] == '\t' || p[n] == '\r' || p[n] == '\n'); n++)
			;
		if (n > i) {
			out_bytes(&o, p + i, n - i);
			i = n;
			continue;
		}
		n = utf8_decode_one(p + i, len - i, &cp, &bad);
		i += n;
		if (cp == 0)
			continue;
		/*
		 * XML 1.0 forbids the C0 controls (but tab, CR, LF) and the
		 * non-characters U+FFFE/U+FFFF; mark where they were.
		 */
		if ((cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n') ||
		    cp == 0xFFFE || cp == 0xFFFF)
			cp = REPLACEMENT;
		if (bad || cp >= 0x80)
			out_cp(&o, cp);
		else {
			char	c = (char)cp;

			out_bytes(&o, &c, 1);
		}
	}
	return out_finish(&o, NULL);
}

void
line_iter_init(struct line_iter *it, const char *text, size_t len)
{
	it->p = text;
	it->end = text == NULL ? text : text + len;
	it->lineno = 0;
}

bool
line_iter_next(struct line_iter *it, const char **line, size_t *len)
{
	const char	*q;

	if (it->p == NULL || it->p >= it->end)
		return false;
	for (q = it->p; q < it->end && *q != '\n' && *q != '\r'; q++)
		;
	*line = it->p;
	*len = (size_t)(q - it->p);
	it->lineno++;
	if (q < it->end && *q == '\r' && q + 1 < it->end && q[1] == '\n')
		q += 2;
	else if (q < it->end)
		q++;
	it->p = q;
	return true;
}

size_t
utf8_prefix_len(const char *s, size_t max)
{
	size_t	n = strnlen(s, max + 1);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/*
 * A data row cut into its fields in place, and the columns read from it.
 * Most rows hold no quote: those are cut 16 bytes at a time (SSE2, part of
 * every x86-64), the rest field by field with the quotes honoured. A column
 * is unescaped into a NUL-terminated copy only when asked for.
 */
#include "config.h"

#include <string.h>

#include "parser.h"
#include "util/datetime.h"
#include "util/text.h"

/*
 * The next comma in [p, end), or end. Fields are short (15 bytes on
 * average), so a call to memchr per field costs more than the search:
 * eight bytes at a time, the lowest byte equal to ',' found with the
 * "has zero byte" bit trick (exact for the lowest match, which is all that
 * is used).
 */
static const char *
next_comma(const char *p, const char *end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t	ones = 0x0101010101010101ull;
	const uint64_t	high = 0x8080808080808080ull;
	uint64_t	w, x;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		x = w ^ (ones * ',');
		x = (x - ones) & ~x & high;
		if (x != 0)
			return p + (__builtin_ctzll(x) >> 3);
		p += 8;
	}
	while (p < end && *p != ',')
		p++;
	return p;
#else
	const char	*q = memchr(p, ',', (size_t)(end - p));

	return q != NULL ? q : end;
#endif
}

/*
 * A row without any quote, the usual case, is cut in one pass that looks
 * at 16 bytes at a time (SSE2, part of every x86-64): the commas are found
 * as a bit mask and the fields read off it. Returns false when the row
 * holds a quote or is shorter than 16 bytes (left to row_cut_quoted), true
 * when cut; *why is set when it has too many fields.
 */
static bool
row_cut_plain(struct protolog *pl, const char *line, size_t len,
    const char **why)
{
#ifdef HAVE_SSE2_ROWS
	const __m128i	 comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
	const char	*p = line, *end = line + len, *start = line, *c;
	struct rawfield	*f = pl->raw;
	size_t		 nrow = 0;
	unsigned	 cm, qm, shift = 0;
	__m128i		 v;

	*why = NULL;
	if (len < 16)
		return false;
	for (; p < end; p += 16) {
		if (end - p >= 16)
			v = _mm_loadu_si128((const __m128i *)(const void *)p);
		else {
			/* The row's last 16 bytes, less those already seen. */
			v = _mm_loadu_si128((const __m128i *)(const void *)(end - 16));
			shift = 16 - (unsigned)(end - p);
		}
		cm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) >> shift;
		qm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) >> shift;
		if (qm != 0)
			return false;
		/* Written ahead of the count check: raw has room for 16 more. */
		while (cm != 0) {
			c = p + __builtin_ctz(cm);
			cm &= cm - 1;
			f[nrow].p = start;
			f[nrow].n = (size_t)(c - start);
			f[nrow].quoted = false;
			nrow++;
			start = c + 1;
		}
		if (nrow >= MAX_FIELDS) {
			pl->nrow = MAX_FIELDS;
			*why = "too many fields";
			return true;
		}
	}
	f[nrow].p = start;
	f[nrow].n = (size_t)(end - start);
	f[nrow].quoted = false;
	pl->nrow = nrow + 1;
	return true;
#else
	(void)pl;
	(void)line;
	(void)len;
	(void)why;
	return false;
#endif
}

/*
 * Cuts one CSV row into raw fields, in place: memchr finds the commas, a
 * field that starts with a quote runs to its closing quote ("" is a quote).
 * Returns NULL, or why the row is malformed.
 */
static const char *
row_cut_quoted(struct protolog *pl, const char *line, size_t len)
{
	const char	*p = line, *end = line + len, *q;
	struct rawfield	*f;

	pl->nrow = 0;
	for (;;) {
		if (pl->nrow == MAX_FIELDS)
			return "too many fields";
		f = &pl->raw[pl->nrow++];
		if (p < end && *p == '"') {
			f->quoted = true;
			f->p = ++p;
			for (;;) {
				q = memchr(p, '"', (size_t)(end - p));
				if (q == NULL)
					return "unterminated quoted field";
				if (q + 1 < end && q[1] == '"') {
					p = q + 2;
					continue;
				}
				break;
			}
			f->n = (size_t)(q - f->p);
			p = q + 1;
			if (p < end && *p != ',')
				return "text after a closing quote";
		} else {
			f->quoted = false;
			f->p = p;
			p = next_comma(p, end);
			f->n = (size_t)(p - f->p);
		}
		if (p == end)
			return NULL;
		p++;	/* the comma */
	}
}

const char *
row_cut(struct protolog *pl, const char *line, size_t len)
{
	const char	*why;
	int		 i;

	for (i = 0; i < NCOLUMNS; i++)
		pl->have[i] = false;
	if (row_cut_plain(pl, line, len, &why))
		return why;
	return row_cut_quoted(pl, line, len);
}

/* A column's value, unescaped and NUL-terminated; NULL when absent or empty. */
const char *
col(struct protolog *pl, enum column c)
{
	const struct rawfield	*f = raw(pl, c);
	const char		*p, *end;
	char			*o;

	if (f == NULL || f->n == 0)
		return NULL;
	if (pl->have[c])
		return pl->val[c];
	pl->val[c] = xreallocarray_grow(pl->val[c], &pl->val_cap[c], f->n + 1, 1);
	o = pl->val[c];
	if (!f->quoted) {
		memcpy(o, f->p, f->n);
		o += f->n;
	} else {
		/* Runs between quotes are copied whole; "" becomes ". */
		for (p = f->p, end = f->p + f->n; p < end; ) {
			const char	*q = memchr(p, '"', (size_t)(end - p));
			size_t		 run = (size_t)((q != NULL ? q + 1 : end) - p);

			memcpy(o, p, run);
			o += run;
			p += run + (q != NULL);	/* skips the second of "" */
		}
	}
	*o = '\0';
	pl->have[c] = true;
	return pl->val[c];
}

/* The row as written, cut at a character boundary, for sample text. */
const char *
row_sample(struct protolog *pl, const char *line, size_t len)
{
	if (len > PROTOLOG_SAMPLE_MAX) {
		len = PROTOLOG_SAMPLE_MAX;
		while (len > 0 && ((unsigned char)line[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(pl->sample, line, len);
	pl->sample[len] = '\0';
	return pl->sample;
}

/*
 * Send or receive: the #Log-type line says; without it the SSPI protocol
 * name (_CLIENT on send, _SERVER on receive) does, then the connector-id
 * form (receive logs write SERVER\Connector).
 */
bool
row_is_receive(const struct protolog *pl, char side, const char *connector)
{
	if (pl->stats.direction != PROTOLOG_DIR_UNKNOWN)
		return pl->stats.direction == PROTOLOG_RECEIVE;
	if (side != 0)
		return side == 'S';
	return connector != NULL && strchr(connector, '\\') != NULL;
}

int64_t
row_time(struct protolog *pl)
{
	const char	*v = col(pl, COL_DATE_TIME);
	int64_t		 t;

	return v != NULL && date_parse_iso(v, &t) ? t : TIME_UNKNOWN;
}

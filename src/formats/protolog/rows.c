/*
 * Every line of a log, as it comes: header lines handed to header.c, blank
 * lines passed over, and each data row cut into its fields in place and
 * routed by its event: a connect or disconnect to the sessions, a response
 * to responses.c, an information row to the TLS, certificate or
 * connect-failure rows when its first bytes say it is one. Most rows matter
 * not, and are only cut and counted.
 *
 * Most rows hold no quote: those are cut 16 bytes at a time (SSE2, part of
 * every x86-64), the rest field by field with the quotes honoured. The
 * whole way of a row is in this one file so that the compiler can keep it
 * in one piece: it runs for every row of every log.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "formats/prompt.h"
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
	/* The lead byte of the typographic quotes (U+2018-U+201D). */
	const __m128i	 curly = _mm_set1_epi8((char)0xE2);
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
		qm = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v,
		    quote), _mm_cmpeq_epi8(v, curly))) >> shift;
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

/* The length of a typographic quote (“ ” ‘ ’) at p, 0 when none. */
static size_t
curly_quote(const char *p, const char *end)
{
	return end - p >= 3 && (unsigned char)p[0] == 0xE2 &&
	    (unsigned char)p[1] == 0x80 && (unsigned char)p[2] >= 0x98 &&
	    (unsigned char)p[2] <= 0x9D ? 3 : 0;
}

/*
 * A field pasted through a word processor, its quotes made typographic:
 * “...” (or ”...”, ‘...’) running to a typographic quote followed by a
 * comma or the end of the line. Only then is it unambiguous; otherwise the
 * field is read as written.
 */
static bool
field_curly(struct protolog *pl, struct rawfield *f, const char **pp,
    const char *end)
{
	const char	*p = *pp, *q;
	size_t		 open = curly_quote(p, end);

	if (open == 0)
		return false;
	for (q = p + open; q < end; q++)
		if (curly_quote(q, end) && (q + 3 == end || q[3] == ',')) {
			if (memchr(p + open, '"', (size_t)(q - p - open)) != NULL)
				return false;
			f->quoted = false;	/* no "" to unescape inside */
			f->p = p + open;
			f->n = (size_t)(q - f->p);
			*pp = q + 3;
			pl->curly_fields++;
			return true;
		}
	return false;
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
		if (field_curly(pl, f, &p, end)) {
			if (p < end && *p != ',')
				return "text after a closing quote";
		} else if (p < end && *p == '"') {
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

static const char *
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

static void
bad_row(struct protolog *pl, long lineno, const char *why)
{
	if (++pl->stats.bad_rows > PROTOLOG_BAD_ROWS_SHOWN)
		return;
	parse_problem(pl->cb.pd, DIAG_WARNING, lineno, "malformed row skipped: "
	    "%s", why);
}

/* A bad row whose field says why ("016-07-19T..." is not a date). */
static void
bad_row_text(struct protolog *pl, long lineno, const char *why,
    const struct rawfield *f)
{
	if (++pl->stats.bad_rows > PROTOLOG_BAD_ROWS_SHOWN)
		return;
	parse_problem(pl->cb.pd, DIAG_WARNING, lineno, "malformed row skipped: "
	    "%s (\"%.*s\" is not a date)", why, (int)(f->n > 40 ? 40 : f->n),
	    f->p);
}

/*
 * Whether the eight bytes at p are digits where `pat` has '0' and equal to
 * `pat` elsewhere: the literals are checked under a mask, then replaced by
 * '0' and all eight bytes tested at once (no byte at or above 0x80, none
 * below '0', none above '9'; a borrow or carry only ever follows a byte
 * that fails, so it cannot hide one).
 */
static bool
digits8(const char *p, const char pat[8], const unsigned char lit[8])
{
	const uint64_t	ones = 0x0101010101010101ull;
	uint64_t	w, m, l;

	memcpy(&w, p, 8);
	memcpy(&m, lit, 8);
	memcpy(&l, pat, 8);
	if ((w & m) != (l & m))
		return false;
	w = (w & ~m) | (0x30 * ones & m);
	return ((w | (w + 0x46 * ones) | (w - 0x30 * ones)) & (0x80 * ones)) == 0;
}

/*
 * "yyyy-mm-ddThh:mm:ss", the start of every date-time Exchange writes,
 * checked on every row: eight bytes at a time, bytes 0, 8 and 11 on.
 */
static bool
iso_shape(const struct rawfield *f)
{
	static const char		pa[8] = "0000-00-", pb[8] = "00T00:00",
					pc[8] = "00:00:00";
	static const unsigned char	la[8] = { 0, 0, 0, 0, 0xFF, 0, 0, 0xFF },
					lb[8] = { 0, 0, 0xFF, 0, 0, 0xFF, 0, 0 },
					lc[8] = { 0, 0, 0xFF, 0, 0, 0xFF, 0, 0 };

	return f->n >= 19 && digits8(f->p, pa, la) &&
	    digits8(f->p + 8, pb, lb) && digits8(f->p + 11, pc, lc);
}

/*
 * A date-time that lost a character or more in a paste
 * ("016-07-19T12:13:14.863Z"): a date's characters only, not a date. A
 * placeholder ("Date/Time") is no damaged date: its row is read, its time
 * unknown. `iso`: whether it has the shape (iso_shape, once per row).
 */
static bool
date_damaged(const struct rawfield *f, bool iso)
{
	size_t	i, digits = 0;

	if (f == NULL || f->n == 0 || iso)
		return false;
	for (i = 0; i < f->n; i++) {
		if (is_dec_digit(f->p[i]))
			digits++;
		else if (strchr("-:T.Z ", f->p[i]) == NULL)
			return false;
	}
	return digits >= 6;
}

static void
track_time(struct protolog *pl, const struct rawfield *f, bool iso)
{
	if (f == NULL || f->n == 0 || f->n > TIME_TEXT_MAX || f->quoted || !iso)
		return;
	/*
	 * ISO-8601 of one form sorts as text; parsed once, at the end. Rows
	 * come mostly in time order: the latest is compared first.
	 */
	if (pl->last_len == 0 || (f->n == pl->last_len &&
	    text_cmp(f->p, pl->last_text, f->n) > 0)) {
		memcpy(pl->last_text, f->p, f->n);
		pl->last_len = f->n;
		if (pl->first_len != 0)
			return;
	}
	if (pl->first_len == 0 || (f->n == pl->first_len &&
	    text_cmp(f->p, pl->first_text, f->n) < 0)) {
		memcpy(pl->first_text, f->p, f->n);
		pl->first_len = f->n;
	}
}

/*
 * The row's session, made most recent; NULL for an empty id. Rows of one
 * session mostly follow each other: the id as written, the same as the
 * last row's, settles it without a call.
 */
static inline struct session *
row_session(struct protolog *pl, const struct rawfield *f, bool connect,
    long lineno)
{
	struct session	*s = pl->last;

	if (f != NULL && s != NULL && !s->closed && s == pl->newest &&
	    s->seq_source == pl->source && f->n != 0 &&
	    f->n == pl->last_id_len && text_cmp(f->p, pl->last_id, f->n) == 0) {
		row_seen(pl, s);
		return s;
	}
	return session_of_row(pl, f, connect, lineno);
}

static void
info_row(struct protolog *pl, struct session *s, long lineno,
    const char *line, size_t len)
{
	const struct rawfield	*cf = raw(pl, COL_CONTEXT), *df = raw(pl, COL_DATA);
	const char		*context, *data;

	/*
	 * Most information rows ("sending message ...", "attempting to
	 * connect") matter not: only TLS, certificate and connect-failure
	 * rows are unescaped and read.
	 */
	if (cf != NULL && cf->n > 0) {
		if (cf->n >= 3 && (cf->p[0] | 0x20) == 't' &&
		    (cf->p[1] | 0x20) == 'l' && (cf->p[2] | 0x20) == 's') {
			/* The same success text as the session before. */
			if (tls_success_known(pl)) {
				tls_outcome(pl, s, NULL, lineno, line, len);
				return;
			}
			context = col(pl, COL_CONTEXT);
			if (ascii_startswith_ci(context, "TLS protocol ") &&
			    ci_find(context, strlen(context),
			    "negotiation succeeded") != NULL) {
				tls_outcome(pl, s, context, lineno, line, len);
				return;
			}
			if (ascii_startswith_ci(context, "TLS negotiation failed")) {
				tls_outcome(pl, s, context, lineno, line, len);
				return;
			}
		} else if (find_bytes(cf->p, cf->n, &word_certificate) != NULL) {
			if (cert_row(pl, s, col(pl, COL_CONTEXT), col(pl, COL_DATA)))
				return;
		}
		if (find_bytes(cf->p, cf->n, &word_failed) != NULL) {
			context = col(pl, COL_CONTEXT);
			if (ascii_strcasestr(context, "Failed to connect. Winsock error") != NULL) {
				connect_failure(pl, context, lineno, line, len);
				return;
			}
		}
	}
	if (df != NULL && df->n > 0 &&
	    find_bytes(df->p, df->n, &word_failed) != NULL) {
		data = col(pl, COL_DATA);
		if (ascii_strcasestr(data, "Failed to connect. Winsock error") != NULL)
			connect_failure(pl, data, lineno, line, len);
	}
}

static void
data_row(struct protolog *pl, const char *line, size_t len, long lineno)
{
	const struct rawfield	*ev, *d;
	const char		*why;
	struct session		*s;
	char			 e;
	bool			 iso;

	if (len > PROTOLOG_LINE_MAX) {
		pl->stats.long_lines++;
		bad_row(pl, lineno, "line too long");
		return;
	}
	if (pl->nfields == 0)
		fields_assume_default(pl, lineno);
	why = row_cut(pl, line, len);
	if (why == NULL && pl->nrow != pl->nfields)
		why = pl->stats.headerless ? "field count differs from the "
		    "standard column order (the file has no #Fields line)" :
		    "field count differs from #Fields";
	if (why != NULL) {
		bad_row(pl, lineno, why);
		return;
	}
	if (pl->curly_fields > 0 && pl->first_curly == 0)
		pl->first_curly = lineno;
	d = raw(pl, COL_DATE_TIME);
	iso = d != NULL && iso_shape(d);
	if (date_damaged(d, iso)) {
		bad_row_text(pl, lineno, "its date-time is damaged", d);
		return;
	}
	ev = raw(pl, COL_EVENT);
	e = ev != NULL && ev->n == 1 ? ev->p[0] : 0;
	pl->repeat = false;
	s = row_session(pl, raw(pl, COL_SESSION), e == '+', lineno);
	if (pl->repeat) {
		/* Read already from another file: not counted again. */
		pl->stats.repeated_rows++;
		return;
	}
	pl->stats.rows++;
	track_time(pl, d, iso);

	switch (e) {
	case '-':
		if (s != NULL)
			session_close(pl, s);
		return;
	case '+':
		if (s != NULL && s->line != lineno) {
			/* A new connection on a known id starts clean. */
			cert_ref_put(&s->local);
			cert_ref_put(&s->remote_cert);
			s->target = TARGET_NONE;
		}
		return;
	case '<':
	case '>':
		d = raw(pl, COL_DATA);
		if (d != NULL && d->n >= 3 && is_dec_digit(d->p[0]) &&
		    is_dec_digit(d->p[1]) && is_dec_digit(d->p[2]) &&
		    (d->n == 3 || d->p[3] == ' ' || d->p[3] == '-')) {
			/* What this server sends: its own banner. */
			if (e == '>' && d->p[0] == '2' && d->p[1] == '2' &&
			    d->p[2] == '0')
				banner_row(pl, d, lineno, line, len);
			response_row(pl, s, d, lineno, line, len);
		}
		return;
	default:
		info_row(pl, s, lineno, line, len);
		return;
	}
}

static bool
line_is_blank(const char *line, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return false;
	return true;
}

void
protolog_line(struct protolog *pl, const char *line, size_t len, long lineno)
{
	/* A stray byte-order mark on the first line is not data. */
	if (lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
		line += 3;
		len -= 3;
	}
	if (len == 0 || line_is_blank(line, len))
		return;
	if (line[0] == '#') {
		header_line(pl, line, len);
		return;
	}
	/* "[PS] C:\...\SmtpSend>type SEND2026110314-1.LOG" above a paste. */
	if ((line[0] == '[' || line[0] == 'P') && prompt_line(line, len, NULL,
	    NULL)) {
		if (pl->prompts++ == 0)
			parse_problem(pl->cb.pd, DIAG_INFO, lineno, "console "
			    "prompt line skipped: not a log row");
		return;
	}
	data_row(pl, line, len, lineno);
}

void
protolog_feed(struct protolog *pl, const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl, *cr;
	size_t		 n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		/*
		 * A lone CR ends a line too (old Mac files). A line that ends
		 * in CRLF, as Exchange writes them, is not searched for one.
		 */
		cr = n > 0 && (nl == NULL || p[n - 1] != '\r') ?
		    memchr(p, '\r', n) : NULL;
		if (cr != NULL && cr + 1 < p + n) {
			n = (size_t)(cr - p);
			protolog_line(pl, p, n, ++pl->lineno);
			p = cr + 1;
			continue;
		}
		if (n > 0 && p[n - 1] == '\r')
			protolog_line(pl, p, n - 1, ++pl->lineno);
		else
			protolog_line(pl, p, n, ++pl->lineno);
		p += n + (nl != NULL);
	}
}

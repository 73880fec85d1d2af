/*
 * The protocol log parser (protolog.h): its life from protolog_new() to
 * protolog_free(), lines fed in, and each data row routed by its event:
 * a connect or disconnect to the sessions, a response to responses.c, an
 * information row to the TLS, certificate or connect-failure rows when its
 * first bytes say it is one. Most rows matter not, and are only cut and
 * counted (parser.h lists the other parts).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util/datetime.h"
#include "util/text.h"

struct protolog *
protolog_new(const struct protolog_callbacks *cb)
{
	struct protolog	*pl = xcalloc(1, sizeof *pl);
	int		 i;

	if (cb != NULL)
		pl->cb = *cb;
	for (i = 0; i < NCOLUMNS; i++)
		pl->col[i] = -1;
	pl->max_open = PROTOLOG_MAX_SESSIONS;
	pl->stats.first = pl->stats.last = TIME_UNKNOWN;
	return pl;
}

void
protolog_begin(struct protolog *pl, const char *source)
{
	int	i;

	memset(&pl->stats, 0, sizeof pl->stats);
	pl->stats.first = pl->stats.last = TIME_UNKNOWN;
	for (i = 0; i < NCOLUMNS; i++)
		pl->col[i] = -1;
	pl->nfields = 0;
	pl->warned_no_fields = false;
	pl->first_len = pl->last_len = 0;
	pl->source = NULL;
	if (source != NULL) {
		strlist_add(&pl->sources, source);
		pl->source = pl->sources.v[pl->sources.n - 1];
	}
}

void
protolog_set_max_sessions(struct protolog *pl, size_t n)
{
	pl->max_open = n ? n : 1;
	while (pl->nopen > pl->max_open)
		sessions_evict_oldest(pl);
}

const struct protolog_stats *
protolog_stats(const struct protolog *pl)
{
	return &pl->stats;
}

void
protolog_free(struct protolog *pl)
{
	int	i, j;

	if (pl == NULL)
		return;
	sessions_free(pl);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < CERT_MEMO; j++) {
			free(pl->cert_memo[i][j].text);
			cert_ref_put(&pl->cert_memo[i][j].ref);
		}
	}
	for (i = 0; i < NCOLUMNS; i++)
		free(pl->val[i]);
	strlist_free(&pl->sources);
	free(pl);
}

static void
bad_row(struct protolog *pl, long lineno, const char *why)
{
	if (++pl->stats.bad_rows > PROTOLOG_BAD_ROWS_SHOWN)
		return;
	parse_problem(pl->cb.pd, DIAG_WARNING, lineno, "malformed row skipped: "
	    "%s", why);
}

static int64_t
time_of_text(const char *p, size_t n)
{
	char	tmp[TIME_TEXT_MAX + 1];
	int64_t	t;

	if (n == 0 || n > TIME_TEXT_MAX)
		return TIME_UNKNOWN;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return date_parse_iso(tmp, &t) ? t : TIME_UNKNOWN;
}

void
protolog_finish(struct protolog *pl)
{
	pl->stats.first = time_of_text(pl->first_text, pl->first_len);
	pl->stats.last = time_of_text(pl->last_text, pl->last_len);
	if (pl->stats.bad_rows > PROTOLOG_BAD_ROWS_SHOWN)
		parse_problem(pl->cb.pd, DIAG_WARNING, 0, "%ld malformed rows "
		    "skipped in all (the first %d are listed)", pl->stats.bad_rows,
		    PROTOLOG_BAD_ROWS_SHOWN);
}

static void
track_time(struct protolog *pl, const struct rawfield *f)
{
	if (f == NULL || f->n == 0 || f->n > TIME_TEXT_MAX || f->quoted)
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

	if (len > PROTOLOG_LINE_MAX) {
		pl->stats.long_lines++;
		bad_row(pl, lineno, "line too long");
		return;
	}
	if (pl->nfields == 0)
		fields_assume_default(pl, lineno);
	why = row_cut(pl, line, len);
	if (why == NULL && pl->nrow != pl->nfields)
		why = "field count differs from #Fields";
	if (why != NULL) {
		bad_row(pl, lineno, why);
		return;
	}
	pl->stats.rows++;
	track_time(pl, raw(pl, COL_DATE_TIME));
	ev = raw(pl, COL_EVENT);
	e = ev != NULL && ev->n == 1 ? ev->p[0] : 0;
	s = row_session(pl, raw(pl, COL_SESSION), e == '+', lineno);

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
		    (d->n == 3 || d->p[3] == ' ' || d->p[3] == '-'))
			response_row(pl, s, d, lineno, line, len);
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
	data_row(pl, line, len, lineno);
}

void
protolog_feed(struct protolog *pl, const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl, *cr;
	size_t		 n;
	long		 lineno = 0;

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
			protolog_line(pl, p, n, ++lineno);
			p = cr + 1;
			continue;
		}
		if (n > 0 && p[n - 1] == '\r')
			protolog_line(pl, p, n - 1, ++lineno);
		else
			protolog_line(pl, p, n, ++lineno);
		p += n + (nl != NULL);
	}
}

void
protolog_parse(const char *text, size_t len, const struct protolog_callbacks *cb,
    struct protolog_stats *stats)
{
	struct protolog	*pl = protolog_new(cb);

	protolog_begin(pl, NULL);
	protolog_feed(pl, text, len);
	protolog_finish(pl);
	protolog_end_sessions(pl);
	if (stats != NULL)
		*stats = pl->stats;
	protolog_free(pl);
}


/*
 * report.xlsx: the same report as tables an engineer can filter and sort.
 * One sheet per kind of fact, each a plain range with a bold header row, an
 * autofilter and frozen panes (not Excel tables, which libxlsxwriter cannot
 * write in constant-memory mode and which add nothing here).
 *
 * Bundle text is never trusted: every string is cleaned to valid UTF-8,
 * truncated visibly to what a cell holds, and written with
 * worksheet_write_string only, so a value such as =HYPERLINK(...) stays text
 * and never becomes a formula. Sheet names are fixed; no evidence text ever
 * names one.
 *
 * The file is deterministic: the document's created time is the as-of time,
 * which libxlsxwriter also uses in place of the wall clock.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "datetime.h"
#include "html_writer.h"
#include "protolog.h"
#include "report.h"
#include "text.h"

/* Excel's limit for the text of one cell, in characters. */
#define CELL_TEXT_MAX	32767
#define TRUNC_MARK	"\xe2\x80\xa6[truncated]"
#define TRUNC_MARK_UNITS	12
/* Document properties are short labels. */
#define PROP_TEXT_MAX	255
/* 1980-01-01T00:00:00Z: the created time when the as-of time is unknown. */
#define FALLBACK_CREATED	315532800
/* Excel's 1900 date system: day 25569 is 1970-01-01. */
#define EXCEL_EPOCH_DAYS	25569.0
#define EXCEL_FIRST_TIME	INT64_C(-2203891200)	/* 1900-03-01 */
/* 9999-12-31T23:59:59 */
#define EXCEL_LAST_TIME		INT64_C(253402300799)

struct xlsx {
	lxw_workbook	*wb;
	lxw_format	*head;		/* header row */
	lxw_format	*key;		/* labels on the Summary sheet */
	lxw_format	*top;		/* ordinary cells, top-aligned */
	lxw_format	*wrap;		/* long text */
	lxw_format	*date;
	lxw_error	 err;		/* the first failed write */
};

struct column {
	const char	*name;
	double		 width;
	bool		 wrap;
};

/* A sheet being filled row by row, cell by cell. */
struct sheet {
	struct xlsx		*x;
	lxw_worksheet		*ws;
	const struct column	*cols;
	lxw_col_t		 ncols;
	lxw_row_t		 row;
	lxw_col_t		 col;
	long			 dropped;	/* rows past the limit */
};

static void
xlsx_check(struct xlsx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = e;
}

/* "_xHHHH_": what Excel reads back as an escaped character. */
static bool
looks_escaped(const char *p)
{
	int	i;

	if (p[0] != '_' || p[1] != 'x')
		return false;
	for (i = 2; i < 6; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return p[6] == '_';
}

/* The UTF-16 units of the character at p (Excel counts those); its bytes. */
static size_t
char_units(const char *p, size_t *bytes)
{
	unsigned char	c = (unsigned char)*p;

	if (c < 0x80 || (c & 0xe0) == 0xc0) {
		*bytes = c < 0x80 ? 1 : 2;
		return 1;
	}
	if ((c & 0xf0) == 0xe0) {
		*bytes = 3;
		return 1;
	}
	*bytes = 4;
	return 2;
}

/*
 * Clean UTF-8 that fits in `max` characters: longer text is cut on a
 * character boundary and marked, so nobody mistakes it for the whole value.
 * With escape_x, a literal "_xHHHH_" gets its underscore escaped as
 * "_x005F", or Excel would show it as the character it encodes.
 */
static char *
text_fit(const char *s, size_t max, bool escape_x)
{
	char		*clean = utf8_clean(s, strlen(s));
	size_t		 i, n, u, total = 0, used = 0, room;
	struct buf	 b;
	bool		 esc;

	for (i = 0; clean[i] != '\0'; i += n)
		total += char_units(clean + i, &n) +
		    (escape_x && looks_escaped(clean + i) ? 6 : 0);
	room = total <= max ? total : max - TRUNC_MARK_UNITS;
	buf_init(&b, strlen(clean) * 7 + sizeof TRUNC_MARK);
	for (i = 0; clean[i] != '\0'; i += n) {
		u = char_units(clean + i, &n);
		esc = escape_x && looks_escaped(clean + i);
		if (esc)
			u += 6;
		if (used + u > room)
			break;
		if (esc)
			buf_append(&b, "_x005F", 6);
		buf_append(&b, clean + i, n);
		used += u;
	}
	if (clean[i] != '\0')
		buf_append(&b, TRUNC_MARK, sizeof TRUNC_MARK - 1);
	free(clean);
	return buf_steal(&b, NULL);
}

static char *
cell_text(const char *s)
{
	return text_fit(s, CELL_TEXT_MAX, true);
}

/* Items joined by `sep`; NULL when the list is empty. */
static char *
list_join(const struct strlist *l, const char *sep)
{
	size_t	 i, len = 0, seplen = strlen(sep);
	char	*s, *p;

	if (l->n == 0)
		return NULL;
	for (i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + seplen;
	p = s = xmalloc(len + 1);
	for (i = 0; i < l->n; i++) {
		if (i > 0) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, l->v[i], strlen(l->v[i]));
		p += strlen(l->v[i]);
	}
	*p = '\0';
	return s;
}

/* --------------------------------------------------------------- sheets */

static void
sheet_begin(struct sheet *s, struct xlsx *x, const char *name,
    const struct column *cols, lxw_col_t ncols, lxw_col_t freeze_cols)
{
	lxw_col_t	c;

	memset(s, 0, sizeof *s);
	s->x = x;
	s->cols = cols;
	s->ncols = ncols;
	s->ws = workbook_add_worksheet(x->wb, name);
	if (s->ws == NULL) {
		xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (c = 0; c < ncols; c++) {
		xlsx_check(x, worksheet_set_column(s->ws, c, c, cols[c].width,
		    NULL));
		xlsx_check(x, worksheet_write_string(s->ws, 0, c, cols[c].name,
		    x->head));
	}
	worksheet_freeze_panes(s->ws, 1, freeze_cols);
	worksheet_set_landscape(s->ws);
	worksheet_fit_to_pages(s->ws, 1, 0);
	xlsx_check(x, worksheet_repeat_rows(s->ws, 0, 0));
	s->row = 1;
}

/* The format for the current cell: its column's, or a number's. */
static lxw_format *
sheet_format(const struct sheet *s)
{
	if (s->cols != NULL && s->col < s->ncols && s->cols[s->col].wrap)
		return s->x->wrap;
	return s->x->top;
}

/* True when the current row can be written (the sheet is not full). */
static bool
sheet_writable(struct sheet *s)
{
	return s->ws != NULL && s->row < LXW_ROW_MAX - 1;
}

static void
sheet_str(struct sheet *s, const char *text)
{
	char	*clean;

	if (sheet_writable(s) && text != NULL && text[0] != '\0') {
		clean = cell_text(text);
		xlsx_check(s->x, worksheet_write_string(s->ws, s->row, s->col,
		    clean, sheet_format(s)));
		free(clean);
	}
	s->col++;
}

/* A string that may be unknown. */
static void
sheet_value(struct sheet *s, const char *text)
{
	sheet_str(s, text != NULL ? text : "unknown");
}

static void
sheet_num(struct sheet *s, double n)
{
	if (sheet_writable(s))
		xlsx_check(s->x, worksheet_write_number(s->ws, s->row, s->col,
		    n, s->x->top));
	s->col++;
}

/* A count that is -1 when unknown. */
static void
sheet_long(struct sheet *s, long n)
{
	if (n < 0)
		sheet_str(s, "unknown");
	else
		sheet_num(s, (double)n);
}

/* A real date cell when Excel can show it, else the ISO text. */
static void
sheet_time(struct sheet *s, int64_t t)
{
	char	iso[32];

	if (t == TIME_UNKNOWN) {
		sheet_str(s, "unknown");
		return;
	}
	if (t < EXCEL_FIRST_TIME || t > EXCEL_LAST_TIME) {
		time_text(t, iso, sizeof iso);
		sheet_str(s, iso);
		return;
	}
	if (sheet_writable(s))
		xlsx_check(s->x, worksheet_write_number(s->ws, s->row, s->col,
		    EXCEL_EPOCH_DAYS + (double)t / 86400.0, s->x->date));
	s->col++;
}

static void
sheet_tri(struct sheet *s, tri_t t)
{
	sheet_str(s, tri_text(t));
}

static void
sheet_list(struct sheet *s, const struct strlist *l, const char *sep)
{
	char	*joined = list_join(l, sep);

	sheet_str(s, joined);
	free(joined);
}

/* A list the export may not have carried, or may have cut short. */
static void
sheet_known_list(struct sheet *s, const struct strlist *l, bool known,
    bool incomplete)
{
	char	*joined, *marked;

	if (!known) {
		sheet_str(s, "unknown");
		return;
	}
	joined = list_join(l, ", ");
	if (joined == NULL) {
		sheet_str(s, "none");
		return;
	}
	if (incomplete) {
		marked = xasprintf("%s \xe2\x80\xa6(list cut in export)",
		    joined);
		sheet_str(s, marked);
		free(marked);
	} else
		sheet_str(s, joined);
	free(joined);
}

static void
sheet_row_end(struct sheet *s)
{
	if (sheet_writable(s))
		s->row++;
	else
		s->dropped++;
	s->col = 0;
}

static void
sheet_end(struct sheet *s)
{
	char	*note;

	if (s->ws == NULL)
		return;
	if (s->dropped > 0) {
		/* The one row kept free for this: nothing vanishes silently. */
		note = xasprintf("%ld more rows do not fit in a worksheet; "
		    "findings.json has them all", s->dropped);
		xlsx_check(s->x, worksheet_write_string(s->ws, s->row, 0, note,
		    s->x->top));
		free(note);
	}
	xlsx_check(s->x, worksheet_autofilter(s->ws, 0, 0,
	    s->row > 1 ? s->row - 1 : 0, s->ncols - 1));
}

#define NCOLS(a)	((lxw_col_t)(sizeof (a) / sizeof (a)[0]))

/* -------------------------------------------------------------- Summary */

static void
summary_str(struct sheet *s, const char *label, const char *value)
{
	if (sheet_writable(s))
		xlsx_check(s->x, worksheet_write_string(s->ws, s->row, 0,
		    label, s->x->key));
	s->col = 1;
	sheet_str(s, value);
	sheet_row_end(s);
}

static void
summary_num(struct sheet *s, const char *label, long n)
{
	if (sheet_writable(s))
		xlsx_check(s->x, worksheet_write_string(s->ws, s->row, 0,
		    label, s->x->key));
	s->col = 1;
	sheet_long(s, n);
	sheet_row_end(s);
}

static void
summary_time(struct sheet *s, const char *label, int64_t t)
{
	if (sheet_writable(s))
		xlsx_check(s->x, worksheet_write_string(s->ws, s->row, 0,
		    label, s->x->key));
	s->col = 1;
	sheet_time(s, t);
	sheet_row_end(s);
}

static const char *
given(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "not given";
}

static void
sheet_summary(struct xlsx *x, const struct report *r)
{
	static const struct column cols[] = {
		{ "Item", 30, false }, { "Value", 100, true }
	};
	const struct evidence	*ev = r->ev;
	const struct finding	*root = NULL;
	long			 counts[5] = { 0, 0, 0, 0, 0 };
	struct sheet		 s;

	if (r->findings != NULL) {
		findings_count(r->findings, counts);
		if (r->findings->root_cause >= 0 &&
		    (size_t)r->findings->root_cause < r->findings->n)
			root = &r->findings->v[r->findings->root_cause];
	}
	sheet_begin(&s, x, "Summary", cols, NCOLS(cols), 0);
	summary_str(&s, "Report", "certtrail report");
	summary_str(&s, "Tool version", r->tool_version);
	summary_str(&s, "Case", given(r->case_id));
	summary_str(&s, "Customer", given(r->customer));
	summary_str(&s, "Analyst", given(r->analyst));
	summary_time(&s, "As of (UTC)", r->as_of);
	summary_str(&s, "As-of source", r->as_of_source != NULL ?
	    r->as_of_source : "unknown");
	summary_str(&s, "Root cause", root != NULL ? root->id :
	    "none identified");
	if (root != NULL) {
		summary_str(&s, "Root cause title", root->title);
		summary_str(&s, "Root cause severity",
		    severity_name(root->severity));
		summary_str(&s, "Root cause rule", root->rule);
	}
	summary_num(&s, "Critical findings", counts[SEV_CRITICAL]);
	summary_num(&s, "High findings", counts[SEV_HIGH]);
	summary_num(&s, "Medium findings", counts[SEV_MEDIUM]);
	summary_num(&s, "Low findings", counts[SEV_LOW]);
	summary_num(&s, "Info findings", counts[SEV_INFO]);
	if (ev != NULL) {
		summary_num(&s, "Certificates", (long)ev->ncerts);
		summary_num(&s, "Send connectors", (long)ev->nsendc);
		summary_num(&s, "Queues", (long)ev->nqueues);
		summary_num(&s, "Protocol log files", ev->logs.files);
		summary_num(&s, "Protocol log rows", ev->logs.rows);
		summary_num(&s, "SMTP sessions", ev->logs.sessions);
		summary_num(&s, "TLS handshakes succeeded", ev->logs.tls_ok);
		summary_num(&s, "TLS handshakes failed", ev->logs.tls_failed);
		summary_num(&s, "Unreadable log rows", ev->logs.bad_rows);
		summary_time(&s, "Logs from (UTC)", ev->logs.first);
		summary_time(&s, "Logs to (UTC)", ev->logs.last);
	}
	summary_num(&s, "Evidence gaps",
	    r->gaps != NULL ? (long)r->gaps->n : 0);
	if (ev != NULL) {
		summary_num(&s, "Diagnostics: errors",
		    (long)diag_count(&ev->diags, DIAG_ERROR));
		summary_num(&s, "Diagnostics: warnings",
		    (long)diag_count(&ev->diags, DIAG_WARNING));
		summary_num(&s, "Diagnostics: notes",
		    (long)diag_count(&ev->diags, DIAG_INFO));
		summary_num(&s, "Inputs", (long)ev->ninputs);
		summary_num(&s, "Bundle entries", (long)ev->nentries);
	}
	/* A key/value list, not a table: no autofilter. */
}

/* ------------------------------------------------------------- findings */

static void
sheet_findings(struct xlsx *x, const struct report *r)
{
	static const struct column cols[] = {
		{ "ID", 7, false }, { "Severity", 10, false },
		{ "Rule", 28, false }, { "Title", 50, true },
		{ "Explanation", 80, true }, { "Servers", 18, true },
		{ "Connectors", 28, true }, { "Thumbprints", 44, true },
		{ "First seen (UTC)", 19, false },
		{ "Last seen (UTC)", 19, false },
		{ "Evidence samples", 10, false }, { "Root cause", 10, false }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "Findings", cols, NCOLS(cols), 1);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		const struct finding	*f = &fs->v[i];

		sheet_str(&s, f->id);
		sheet_str(&s, severity_name(f->severity));
		sheet_str(&s, f->rule);
		sheet_str(&s, f->title);
		sheet_str(&s, f->explanation);
		sheet_list(&s, &f->servers, ", ");
		sheet_list(&s, &f->connectors, ", ");
		sheet_list(&s, &f->thumbprints, "\n");
		sheet_time(&s, f->first_seen);
		sheet_time(&s, f->last_seen);
		sheet_num(&s, (double)f->nevidence);
		sheet_str(&s, (long)i == fs->root_cause ? "yes" : NULL);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

static void
sheet_remediation(struct xlsx *x, const struct report *r)
{
	static const struct column cols[] = {
		{ "Finding", 8, false }, { "Step", 6, false },
		{ "What and why", 70, true }, { "Command", 90, true }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	size_t			 i, j;

	sheet_begin(&s, x, "Remediation", cols, NCOLS(cols), 0);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		for (j = 0; j < fs->v[i].nremediation; j++) {
			const struct remediation_step *st =
			    &fs->v[i].remediation[j];

			sheet_str(&s, fs->v[i].id);
			sheet_num(&s, st->step);
			sheet_str(&s, st->text);
			sheet_str(&s, st->command);
			sheet_row_end(&s);
		}
	}
	sheet_end(&s);
}

static void
sheet_evidence(struct xlsx *x, const struct report *r)
{
	static const struct column cols[] = {
		{ "Finding", 8, false }, { "Source", 50, true },
		{ "Line", 8, false }, { "Text", 100, true },
		{ "Count", 8, false }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	size_t			 i, j;

	sheet_begin(&s, x, "Evidence", cols, NCOLS(cols), 0);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		for (j = 0; j < fs->v[i].nevidence; j++) {
			const struct finding_evidence *e =
			    &fs->v[i].evidence[j];

			sheet_str(&s, fs->v[i].id);
			sheet_str(&s, e->source);
			if (e->line > 0)
				sheet_num(&s, (double)e->line);
			else
				sheet_str(&s, NULL);
			sheet_str(&s, e->text);
			sheet_num(&s, (double)e->count);
			sheet_row_end(&s);
		}
	}
	sheet_end(&s);
}

/* ------------------------------------------------------------ inventory */

static void
cert_domains(struct sheet *s, const struct ev_cert *c)
{
	sheet_known_list(s, &c->domains, c->domains_known,
	    c->domains_incomplete);
}

static void
sheet_certificates(struct xlsx *x, const struct evidence *ev)
{
	static const struct column cols[] = {
		{ "Server", 14, false }, { "Thumbprint", 44, false },
		{ "Subject", 50, true }, { "Issuer", 50, true },
		{ "Serial", 36, false }, { "Friendly name", 24, true },
		{ "Not before (UTC)", 19, false },
		{ "Not after (UTC)", 19, false },
		{ "Domains", 40, true }, { "Services", 24, false },
		{ "Status", 14, false }, { "Self-signed", 11, false },
		{ "Private key", 11, false }, { "Root CA type", 14, false },
		{ "Key bits", 9, false }, { "Signature algorithm", 26, false },
		{ "Sources", 50, true }, { "First read at", 50, true }
	};
	struct sheet		 s;
	size_t			 i;
	char			 svc[128], *at;

	sheet_begin(&s, x, "Certificates", cols, NCOLS(cols), 2);
	for (i = 0; ev != NULL && i < ev->ncerts; i++) {
		const struct ev_cert	*c = &ev->certs[i];

		sheet_value(&s, c->server);
		sheet_value(&s, c->thumbprint);
		sheet_value(&s, c->subject);
		sheet_value(&s, c->issuer);
		sheet_value(&s, c->serial);
		sheet_str(&s, c->friendly_name);
		sheet_time(&s, c->not_before);
		sheet_time(&s, c->not_after);
		cert_domains(&s, c);
		services_format(c->services, ", ", svc, sizeof svc);
		sheet_str(&s, svc);
		sheet_value(&s, c->status);
		sheet_tri(&s, c->self_signed);
		sheet_tri(&s, c->has_private_key);
		sheet_value(&s, c->root_ca_type);
		sheet_long(&s, c->key_bits);
		sheet_value(&s, c->signature_algorithm);
		sheet_list(&s, &c->sources, "\n");
		at = c->ref.source == NULL ? NULL : c->ref.line > 0 ?
		    xasprintf("%s:%ld", c->ref.source, c->ref.line) :
		    xstrdup(c->ref.source);
		sheet_str(&s, at);
		free(at);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

static void
sheet_send_connectors(struct xlsx *x, const struct evidence *ev)
{
	static const struct column cols[] = {
		{ "Name", 30, false }, { "Enabled", 9, false },
		{ "Source servers", 30, true }, { "FQDN", 28, false },
		{ "TLS certificate name", 60, true },
		{ "Require TLS", 11, false }, { "TLS auth level", 22, false },
		{ "TLS domain", 26, false }, { "Smart hosts", 30, true },
		{ "Address spaces", 30, true },
		{ "Protocol logging", 15, false },
		{ "Cloud services mail", 15, false }, { "Sources", 50, true }
	};
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "Send Connectors", cols, NCOLS(cols), 1);
	for (i = 0; ev != NULL && i < ev->nsendc; i++) {
		const struct ev_send_connector	*c = &ev->sendc[i];

		sheet_value(&s, c->name);
		sheet_tri(&s, c->enabled);
		sheet_known_list(&s, &c->source_servers,
		    c->source_servers_known, c->source_servers_incomplete);
		sheet_value(&s, c->fqdn);
		sheet_str(&s, c->tls_certificate_name);
		sheet_tri(&s, c->require_tls);
		sheet_value(&s, c->tls_auth_level);
		sheet_value(&s, c->tls_domain);
		sheet_known_list(&s, &c->smart_hosts, c->smart_hosts_known,
		    false);
		sheet_known_list(&s, &c->address_spaces,
		    c->address_spaces_known, false);
		sheet_value(&s, c->protocol_logging_level);
		sheet_tri(&s, c->cloud_services_mail_enabled);
		sheet_list(&s, &c->sources, "\n");
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

static void
sheet_queues(struct xlsx *x, const struct evidence *ev)
{
	static const struct column cols[] = {
		{ "Identity", 30, false }, { "Server", 14, false },
		{ "Delivery type", 22, false },
		{ "Next hop domain", 28, false },
		{ "Next hop connector", 38, false },
		{ "TLS domain", 24, false }, { "Status", 10, false },
		{ "Messages", 10, false }, { "Last error", 80, true },
		{ "Last retry (UTC)", 19, false }, { "Source", 50, true }
	};
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "Queues", cols, NCOLS(cols), 1);
	for (i = 0; ev != NULL && i < ev->nqueues; i++) {
		const struct ev_queue	*q = &ev->queues[i];

		sheet_value(&s, q->identity);
		sheet_value(&s, q->server);
		sheet_value(&s, q->delivery_type);
		sheet_value(&s, q->next_hop_domain);
		sheet_str(&s, q->next_hop_connector);
		sheet_str(&s, q->tls_domain);
		sheet_value(&s, q->status);
		sheet_long(&s, q->message_count);
		sheet_str(&s, q->last_error);
		sheet_time(&s, q->last_retry_time);
		sheet_str(&s, q->ref.source);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

static void
sheet_tls(struct xlsx *x, const struct evidence *ev)
{
	static const struct column cols[] = {
		{ "Server", 14, false }, { "Direction", 10, false },
		{ "Connector", 30, false }, { "Remote host", 18, false },
		{ "Certificate thumbprint", 44, false },
		{ "Certificate subject", 40, true },
		{ "Certificate issuer", 40, true },
		{ "Certificate received", 44, false }, { "Outcome", 10, false },
		{ "Error", 22, false }, { "Error meaning", 50, true },
		{ "Protocol", 10, false },
		{ "Count", 9, false }, { "First (UTC)", 19, false },
		{ "Last (UTC)", 19, false }, { "Log file", 50, true },
		{ "Sample line", 10, false }, { "Other samples", 60, true },
		{ "Sample row", 100, true }
	};
	char			 more[1024];
	size_t			 j, off;
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "TLS Outcomes", cols, NCOLS(cols), 1);
	for (i = 0; ev != NULL && i < ev->ntls; i++) {
		const struct ev_tls_agg	*a = &ev->tls[i];

		sheet_value(&s, a->server);
		sheet_str(&s, a->receive ? "Receive" : "Send");
		sheet_str(&s, a->connector);
		sheet_str(&s, a->remote);
		sheet_str(&s, a->cert_thumbprint);
		sheet_str(&s, a->cert_subject);
		sheet_str(&s, a->cert_issuer);
		sheet_str(&s, a->remote_thumbprint);
		sheet_str(&s, a->ok ? "succeeded" : "failed");
		sheet_str(&s, a->error);
		sheet_str(&s, protolog_error_meaning(a->error));
		sheet_str(&s, a->protocol);
		sheet_num(&s, (double)a->count);
		sheet_time(&s, a->first);
		sheet_time(&s, a->last);
		sheet_str(&s, a->log_source);
		if (a->sample_line > 0)
			sheet_num(&s, (double)a->sample_line);
		else
			sheet_str(&s, NULL);
		more[0] = '\0';
		for (j = 1, off = 0; j < a->g.nsamples && off < sizeof more; j++)
			off += (size_t)snprintf(more + off, sizeof more - off,
			    "%s%s:%ld", j > 1 ? "; " : "", a->g.samples[j].source,
			    a->g.samples[j].line);
		sheet_str(&s, more[0] != '\0' ? more : NULL);
		sheet_str(&s, a->sample_text);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

/* ----------------------------------------------------------- appendices */

static void
sheet_gaps(struct xlsx *x, const struct report *r)
{
	static const struct column cols[] = {
		{ "Missing", 60, true }, { "How to collect it", 100, true }
	};
	const struct gap_list	*g = r->gaps;
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "Gaps", cols, NCOLS(cols), 0);
	for (i = 0; g != NULL && i < g->n; i++) {
		sheet_str(&s, g->v[i].what);
		sheet_str(&s, g->v[i].collect);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

static void
sheet_diagnostics(struct xlsx *x, const struct evidence *ev)
{
	static const struct column cols[] = {
		{ "Level", 10, false }, { "Source", 60, true },
		{ "Message", 100, true }
	};
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "Diagnostics", cols, NCOLS(cols), 0);
	for (i = 0; ev != NULL && i < ev->diags.n; i++) {
		sheet_str(&s, diag_level_name(ev->diags.v[i].level));
		sheet_str(&s, ev->diags.v[i].source);
		sheet_str(&s, ev->diags.v[i].message);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

static void
sheet_manifest(struct xlsx *x, const struct evidence *ev)
{
	static const struct column cols[] = {
		{ "Type", 8, false }, { "Path", 70, true },
		{ "Kind", 18, false }, { "Bytes", 14, false },
		{ "Modified (UTC)", 19, false }, { "SHA-256", 66, false }
	};
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "Manifest", cols, NCOLS(cols), 0);
	for (i = 0; ev != NULL && i < ev->ninputs; i++) {
		const struct input_info	*in = &ev->inputs[i];

		sheet_str(&s, "input");
		sheet_str(&s, in->path);
		sheet_str(&s, in->sha256[0] != '\0' ? "file" : "directory");
		sheet_num(&s, (double)in->bytes);
		sheet_str(&s, NULL);
		sheet_str(&s, in->sha256);
		sheet_row_end(&s);
	}
	for (i = 0; ev != NULL && i < ev->nentries; i++) {
		const struct manifest_entry	*e = &ev->entries[i];

		sheet_str(&s, "entry");
		sheet_str(&s, e->path);
		sheet_value(&s, e->kind);
		sheet_num(&s, (double)e->bytes);
		sheet_time(&s, e->mtime);
		sheet_str(&s, e->sha256);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

/* ---------------------------------------------------------------- write */

static void
xlsx_formats(struct xlsx *x)
{
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_pattern(x->head, LXW_PATTERN_SOLID);
	format_set_bg_color(x->head, 0xDCE6F1);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	format_set_bottom_color(x->head, 0x8EA9C8);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);

	x->key = workbook_add_format(x->wb);
	format_set_bold(x->key);
	format_set_align(x->key, LXW_ALIGN_VERTICAL_TOP);

	x->top = workbook_add_format(x->wb);
	format_set_align(x->top, LXW_ALIGN_VERTICAL_TOP);

	x->wrap = workbook_add_format(x->wb);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(x->wrap);

	x->date = workbook_add_format(x->wb);
	format_set_align(x->date, LXW_ALIGN_VERTICAL_TOP);
	format_set_num_format(x->date, "yyyy-mm-dd hh:mm:ss");
}

/* Document properties, all cleaned; the copies live until the close. */
struct xlsx_props {
	char	*subject;
	char	*author;
	char	*company;
	char	*comments;
};

static char *
prop_text(const char *s)
{
	return s != NULL && s[0] != '\0' ? text_fit(s, PROP_TEXT_MAX, false) :
	    NULL;
}

static void
xlsx_properties(struct xlsx *x, const struct report *r,
    struct xlsx_props *p)
{
	lxw_doc_properties	 props;
	char			*subject;

	subject = r->case_id != NULL && r->case_id[0] != '\0' ?
	    xasprintf("Exchange TLS and certificate mail flow: %s",
	    r->case_id) :
	    xstrdup("Exchange TLS and certificate mail flow");
	p->subject = prop_text(subject);
	free(subject);
	p->author = prop_text(r->analyst);
	p->company = prop_text(r->customer);
	p->comments = prop_text(r->case_id);

	memset(&props, 0, sizeof props);
	props.title = "certtrail report";
	props.subject = p->subject;
	props.author = p->author;
	props.company = p->company;
	props.comments = p->comments;
	props.keywords = "certtrail, Exchange, TLS, certificates";
	/* Never the wall clock: the file must be the same on every run. */
	props.created = r->as_of != TIME_UNKNOWN && r->as_of != 0 ?
	    (time_t)r->as_of : (time_t)FALLBACK_CREATED;
	xlsx_check(x, workbook_set_properties(x->wb, &props));
}

int
out_xlsx_write(const struct report *r, const char *path)
{
	struct xlsx		 x;
	struct xlsx_props	 props = { NULL, NULL, NULL, NULL };
	lxw_error		 closed;
	int			 rc = 0;

	memset(&x, 0, sizeof x);
	if ((x.wb = workbook_new(path)) == NULL) {
		fprintf(stderr, "certtrail: %s: cannot create the workbook\n",
		    path);
		return -1;
	}
	xlsx_formats(&x);
	xlsx_properties(&x, r, &props);
	sheet_summary(&x, r);
	sheet_findings(&x, r);
	sheet_remediation(&x, r);
	sheet_certificates(&x, r->ev);
	sheet_send_connectors(&x, r->ev);
	sheet_queues(&x, r->ev);
	sheet_tls(&x, r->ev);
	sheet_evidence(&x, r);
	sheet_gaps(&x, r);
	sheet_diagnostics(&x, r->ev);
	sheet_manifest(&x, r->ev);

	/* The workbook is written, and most errors surface, only here. */
	closed = workbook_close(x.wb);
	if (x.err != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
		fprintf(stderr, "certtrail: %s: cannot write the workbook: "
		    "%s\n", path,
		    lxw_strerror(x.err != LXW_NO_ERROR ? x.err : closed));
		/* A half-written workbook is worse than none. */
		unlink(path);
		rc = -1;
	}
	free(props.subject);
	free(props.author);
	free(props.company);
	free(props.comments);
	return rc;
}

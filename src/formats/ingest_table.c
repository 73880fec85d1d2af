/*
 * The default table views of the cmdlets certtrail reads, what a bare
 * `Get-ExchangeCertificate > certs.txt` writes and what is pasted into
 * tickets (table_view.h: with or without the dashes line, blank lines
 * between rows, values cut at the console width):
 *
 *   Thumbprint                                Services   Subject
 *   ----------                                --------   -------
 *   6F029E0D20605DB27016B787C4503FD0002C0A11  IP.WS..    CN=mail.contoso.com, O=Con...
 *
 * Services is ServicesStringForm: one letter per flag (I P U W S F C for
 * IMAP, POP, UM, IIS, SMTP, Federation, UMCallRouter), "." when absent. The
 * subject is the last column and is cut at the console width, ending in
 * "..." (Windows PowerShell) or U+2026 (PowerShell 7): such a subject is kept
 * as shown and marked incomplete, so it is never matched against a
 * TlsCertificateName. A thumbprint masked for a post ("7A3B****...F1") is
 * kept apart, the record's thumbprint unknown. Nothing else (dates, issuer)
 * is in the view.
 *
 * Get-Queue, Get-SendConnector and Get-ReceiveConnector's views become
 * records for their kinds' mappers; a value cut at the console width is
 * left unknown, said once per file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/attribution.h"
#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "model/kinds/kinds.h"
#include "model/record.h"
#include "formats.h"
#include "ingest.h"
#include "prompt.h"
#include "table_view.h"
#include "util/text.h"

/* -------------------------------------------------------- the views */

static const char *const cert_cols[] = { "Thumbprint", "Services", "Subject",
    NULL };
/*
 * Get-Queue's default view, or the columns an engineer picks with
 * Format-Table (ft Identity,Status,MessageCount,NextHopDomain,LastError).
 */
static const char *const queue_req[] = { "Identity", "Status", NULL };
static const char *const queue_cols[] = { "Identity", "DeliveryType", "Status",
    "MessageCount", "Velocity", "RiskLevel", "OutboundIPPool",
    "NextHopDomain", "NextHopConnector", "TlsDomain", "LastError",
    "LastRetryTime", NULL };
static const char *const send_req[] = { "Identity", "AddressSpaces", NULL };
static const char *const send_cols[] = { "Identity", "AddressSpaces",
    "Enabled", NULL };
static const char *const recv_req[] = { "Identity", "Bindings", NULL };
static const char *const recv_cols[] = { "Identity", "Bindings", "Enabled",
    NULL };

enum { VIEW_CERT, VIEW_QUEUE, VIEW_SEND, VIEW_RECEIVE, NVIEWS };

static const struct tv_spec views[NVIEWS] = {
	[VIEW_CERT] = { "Thumbprint", cert_cols, cert_cols },
	[VIEW_QUEUE] = { "Identity", queue_req, queue_cols },
	[VIEW_SEND] = { "Identity", send_req, send_cols },
	[VIEW_RECEIVE] = { "Identity", recv_req, recv_cols },
};

/* ------------------------------------------------------ certificates */

/* Flag letters in ServicesStringForm order. */
static const struct {
	char	letter;
	int	flag;
} svc_letters[] = {
	{ 'I', SVC_IMAP }, { 'P', SVC_POP }, { 'U', SVC_UM }, { 'W', SVC_IIS },
	{ 'S', SVC_SMTP }, { 'F', SVC_FEDERATION }, { 'C', SVC_UMCALLROUTER },
};
#define SVC_LETTERS	(sizeof svc_letters / sizeof svc_letters[0])

/* "IP.WS.." -> flags; -1 when a position holds the wrong letter. */
static int
services_from_string_form(const char *s)
{
	size_t	i, n = strlen(s);
	int	flags = 0;

	if (n == 0 || n > SVC_LETTERS)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			continue;
		if (s[i] != svc_letters[i].letter)
			return -1;
		flags |= svc_letters[i].flag;
	}
	return flags;
}

struct table_ingest {
	struct evidence	*ev;
	const char	*source;
	int		 added;
	long		 bad, first_bad;
	long		 masked, first_masked;
	long		 cut, first_cut;
	long		 respaced, first_respaced;
};

/* The server the command above the table names (-Server X), or NULL. */
static char *
command_server(const struct tv_table *t)
{
	struct prompt_cmd	 pc;
	char			*s;

	if (t->command == NULL)
		return NULL;
	prompt_cmd_parse(t->command, strlen(t->command), &pc);
	s = pc.server;
	pc.server = NULL;
	prompt_cmd_free(&pc);
	return s;
}

static void
cert_row(struct table_ingest *ti, const struct tv_table *t,
    const struct tv_row *row, const char *server)
{
	struct ev_cert	 c;
	const char	*tp = row->cells[0], *sv = row->cells[1];
	const char	*subj = t->ncols > 2 ? row->cells[2] : NULL;
	int		 svc;

	if (tp == NULL || sv == NULL) {
		if (ti->bad++ == 0)
			ti->first_bad = row->line;
		return;
	}
	ev_cert_init(&c);
	if (strlen(tp) == 40 && str_is_hex(tp, 40)) {
		c.thumbprint = xstrdup(tp);
		ascii_upper(c.thumbprint);
	} else if (value_is_masked(tp)) {
		c.thumbprint_masked = xstrdup(tp);
		if (ti->masked++ == 0)
			ti->first_masked = row->line;
	} else
		diag_add(&ti->ev->diags, DIAG_WARNING, ti->source, "line %ld: "
		    "thumbprint \"%.48s\" is not 40 hexadecimal digits: the row "
		    "is kept, its thumbprint unknown", row->line, tp);
	svc = services_from_string_form(sv);
	if (svc < 0)
		diag_add(&ti->ev->diags, DIAG_WARNING, ti->source, "line %ld: "
		    "services \"%.16s\" are not in the IPUWSFC form; services of "
		    "%s unknown", row->line, sv, CERT_LABEL(&c));
	c.services = svc < 0 ? SERVICES_UNKNOWN : svc;
	if (subj != NULL) {
		c.subject = utf8_clean(subj, strlen(subj));
		c.subject_incomplete = t->ncols > 2 && row->cut[2];
	}
	if (server != NULL) {
		c.server = xstrdup(server);
		c.server_clue = ATTR_COMMAND;
	}
	strlist_add(&c.sources, ti->source);
	c.ref.source = xstrdup(ti->source);
	c.ref.line = row->line;
	evidence_add_cert(ti->ev, &c);
	ti->added++;
	ev_cert_clear(&c);
}

static void
cert_table(struct table_ingest *ti, const struct tv_table *t)
{
	char	*server = command_server(t);
	size_t	 i;

	ti->ev->saw_cert_dump = true;
	for (i = 0; i < t->nrows; i++)
		cert_row(ti, t, &t->rows[i], server);
	free(server);
}

/* ------------------------------------------------- the other cmdlets */

/* "{SMTP:*;1, SMTP:x;1}" -> a list; a cut one ("{a, b...}") says so. */
static void
list_value(struct rec_value *v, const char *s)
{
	size_t	 n = strlen(s);
	char	*inner, *p, *q, *item;

	v->kind = REC_LIST;
	if (n < 2 || s[0] != '{' || s[n - 1] != '}') {
		strlist_add(&v->items, s);
		return;
	}
	inner = str_trim(xstrndup(s + 1, n - 2));
	n = strlen(inner);
	if (n >= 3 && strcmp(inner + n - 3, "...") == 0) {
		v->cut = true;
		inner[n - 3] = '\0';
	}
	for (p = inner; *p != '\0'; p = q) {
		if ((q = strstr(p, ", ")) == NULL)
			q = p + strlen(p);
		item = str_trim(xstrndup(p, (size_t)(q - p)));
		if (*item != '\0')
			strlist_add(&v->items, item);
		free(item);
		if (*q != '\0')
			q += 2;
	}
	free(inner);
}

/* The row as a record, the columns its kind reads; cut values left out. */
static void
row_record(struct table_ingest *ti, const struct tv_table *t,
    const struct tv_row *row, struct record *r)
{
	struct rec_value	*v;
	size_t			 k;

	record_init(r);
	r->line = row->line;
	if (row->respaced && ti->respaced++ == 0)
		ti->first_respaced = row->line;
	if (t->command != NULL)
		r->command = xstrdup(t->command);
	for (k = 0; k < t->ncols; k++) {
		if (row->cells[k] == NULL)
			continue;
		/*
		 * A list cut inside its braces keeps what it shows, and so
		 * does an error: its code and first words are the symptom.
		 */
		if (row->cut[k] && row->cells[k][0] != '{' &&
		    strcmp(t->names[k], "LastError") != 0) {
			if (ti->cut++ == 0)
				ti->first_cut = row->line;
			continue;
		}
		v = record_add(r, t->names[k], row->line);
		if (row->cells[k][0] == '{' || strcmp(t->names[k],
		    "AddressSpaces") == 0 || strcmp(t->names[k], "Bindings") == 0)
			list_value(v, row->cells[k]);
		else {
			v->kind = REC_SCALAR;
			v->s = xstrdup(row->cells[k]);
		}
	}
}

static void
record_table(struct table_ingest *ti, const struct tv_table *t,
    const struct ev_kind *kind)
{
	struct map_ctx	 ctx;
	struct record	 r;
	size_t		 i;
	int		 rc;

	map_ctx_init(&ctx, ti->ev, ti->source, "table view", 1);
	for (i = 0; i < t->nrows; i++) {
		row_record(ti, t, &t->rows[i], &r);
		if ((rc = kind->map(&ctx, &r)) > 0)
			ti->added += rc;
		record_free(&r);
	}
	map_ctx_finish(&ctx);
}

/* ------------------------------------------------------------ entry */

static void
report(struct table_ingest *ti)
{
	if (ti->masked > 0)
		diag_add(&ti->ev->diags, DIAG_WARNING, ti->source, "line %ld: "
		    "%ld thumbprint%s masked in the table view: kept, each "
		    "record's thumbprint unknown and never matched as a whole "
		    "one", ti->first_masked, ti->masked,
		    ti->masked == 1 ? "" : "s");
	if (ti->bad > 0)
		diag_add(&ti->ev->diags, DIAG_WARNING, ti->source, "line %ld: "
		    "%ld line%s inside the table view %s not a row of it; "
		    "skipped", ti->first_bad, ti->bad, ti->bad == 1 ? "" : "s",
		    ti->bad == 1 ? "is" : "are");
	if (ti->cut > 0)
		diag_add(&ti->ev->diags, DIAG_INFO, ti->source, "line %ld: %ld "
		    "value%s cut at the console width (\"...\") left unknown",
		    ti->first_cut, ti->cut, ti->cut == 1 ? "" : "s");
	if (ti->respaced > 0)
		diag_add(&ti->ev->diags, DIAG_INFO, ti->source, "line %ld: %ld "
		    "row%s whose words do not sit under the headers (re-spaced "
		    "in a paste) read one word per column, in order",
		    ti->first_respaced, ti->respaced, ti->respaced == 1 ? "" :
		    "s");
}

int
ingest_table(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct table_ingest	 ti;
	struct tv_doc		 doc;
	const struct tv_table	*t;
	size_t			 i;
	bool			 any = false;

	memset(&ti, 0, sizeof ti);
	ti.ev = ev;
	ti.source = source;
	tv_parse(text, len, views, NVIEWS, &doc);
	for (i = 0; i < doc.ntables; i++) {
		t = &doc.tables[i];
		if (t->nrows == 0)
			continue;
		any = true;
		ti.bad += t->bad;
		if (ti.first_bad == 0)
			ti.first_bad = t->first_bad;
		if (t->spec == &views[VIEW_CERT])
			cert_table(&ti, t);
		else if (t->spec == &views[VIEW_QUEUE])
			record_table(&ti, t, &ev_kind_queues);
		else if (t->spec == &views[VIEW_SEND])
			record_table(&ti, t, &ev_kind_send_connectors);
		else
			record_table(&ti, t, &ev_kind_receive_connectors);
	}
	tv_doc_free(&doc);
	if (!any)
		return 0;
	report(&ti);
	if (ti.added == 0 && ti.bad > 0)
		return -1;
	return ti.added;
}

/* ------------------------------------------------------------ detection */

/* A table view's header line (its dashes line may be lost in a paste). */
static int
bid_table(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	const char		*lines[64];
	size_t			 lens[64], i, n;

	for (i = 0; i < st->nlines; i += n) {
		for (n = 0; n < 64 && i + n < st->nlines; n++) {
			lines[n] = st->lines[i + n].p;
			lens[n] = st->lines[i + n].n;
		}
		if (tv_has_header(lines, lens, n, views, NVIEWS))
			return 65;
	}
	return 0;
}

static int
read_table(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_table(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_cert_table = {
	.name = "table-view", .one = "table view", .many = "table views",
	.text = true, .best = 65, .bid = bid_table, .ingest = read_table,
};

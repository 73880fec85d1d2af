/*
 * HealthChecker's HTML server report (HealthChecker-HTMLServerReport-
 * yyyyMMddHHmmss.html): an overview table (a header row of names, a row of
 * values per server: Server Name, Generation Time, ...) and the "Server
 * Details" table, where each server starts with a header row
 * <th>Server Name</th><th>EXCAS1</th> and every result is a row of two
 * cells, name and value, both with the class of its colour. A result shown
 * as a table on screen (the TLS and .NET registry values) is a table inside
 * the value cell: a header of column names, then rows of RegistryKey,
 * Location and Value. The certificate rows are the text report's
 * (healthchecker_text.c): "Certificate", then FriendlyName, Thumbprint,
 * Lifetime in days, Bound to services, ..., Namespaces and one row per
 * namespace with an empty name.
 *
 * HealthChecker writes it without closing every element (<p>, <br>), so it
 * is scanned for its table, row and cell tags rather than parsed as XML.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "formats.h"
#include "healthchecker.h"
#include "ingest.h"

#define MAX_CELLS	8
#define MAX_DEPTH	8

struct cell {
	struct buf	 text;
	bool		 head;		/* <th> */
};

struct row {
	struct cell	 cells[MAX_CELLS];
	size_t		 n;
	int		 depth;		/* of its table */
	long		 line;
};

struct hc_html {
	struct evidence		*ev;
	struct hc_report	*head;		/* the first server's report */
	struct hc_report	*r;		/* the server being read */
	struct ev_cert		*cert;
	bool			 in_namespaces;
	bool			 details;	/* past "Server Details" */
	/* The overview: column names, and each server's generation time. */
	struct strlist		 overview_names;
	struct strlist		 overview_servers, overview_times;
	int			 servers;
};

static void
cell_append(struct cell *c, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n')
			continue;
		if (s[i] == '&') {
			static const struct { const char *e; char c; } ents[] = {
				{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
				{ "&quot;", '"' }, { "&#39;", '\'' },
				{ "&nbsp;", ' ' },
			};
			size_t k, len;

			for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
				len = strlen(ents[k].e);
				if (n - i >= len && memcmp(s + i, ents[k].e, len) == 0) {
					buf_putc(&c->text, ents[k].c);
					i += len - 1;
					break;
				}
			}
			if (k < sizeof ents / sizeof ents[0])
				continue;
		}
		buf_putc(&c->text, s[i]);
	}
}

static char *
cell_text(const struct cell *c)
{
	return str_trim(xstrndup(c->text.data ? c->text.data : "",
	    c->text.len));
}

/* ---------------------------------------------------------- the rows */

static void
cert_row(struct hc_html *h, const char *name, const char *value)
{
	struct ev_cert	*c = h->cert;
	struct hc_flags	*f = hc_cert_flags(h->r, c);
	char		*end;
	long		 n;

	if (ascii_casecmp(name, "FriendlyName") == 0 && *value &&
	    c->friendly_name == NULL)
		c->friendly_name = xstrdup(value);
	else if (ascii_casecmp(name, "Thumbprint") == 0 && c->thumbprint == NULL)
		c->thumbprint = thumbprint_normalize(value);
	else if (ascii_casecmp(name, "Lifetime in days") == 0 &&
	    (n = strtol(value, &end, 10), *value && !*end) && n > -100000 &&
	    n < 100000)
		c->lifetime_days = (int)n;
	else if (ascii_casecmp(name, "Certificate status") == 0 && *value &&
	    c->status == NULL)
		c->status = xstrdup(value);
	else if (ascii_casecmp(name, "Bound to services") == 0)
		c->services = hc_services(value);
	else if (ascii_casecmp(name, "Internal Transport Certificate") == 0)
		f->internal_transport = hc_bool(value);
	else if (ascii_casecmp(name, "Current Auth Certificate") == 0)
		f->current_auth = hc_bool(value);
	else if (ascii_casecmp(name, "Next Auth Certificate") == 0)
		f->next_auth = hc_bool(value);
	else if (ascii_casecmp(name, "Namespaces") == 0) {
		h->in_namespaces = true;
		c->domains_known = true;
	}
}

static bool
is_cert_field(const char *name)
{
	static const char *const fields[] = { "FriendlyName", "Thumbprint",
	    "Lifetime in days", "Certificate has expired", "Certificate status",
	    "Key size", "ECC Certificate", "Signature Algorithm",
	    "Signature Hash Algorithm", "Bound to services",
	    "Internal Transport Certificate", "Current Auth Certificate",
	    "Next Auth Certificate", "SAN Certificate", "Namespaces" };
	size_t	i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (ascii_casecmp(name, fields[i]) == 0)
			return true;
	return false;
}

static void
server_row(struct hc_html *h, const char *server, long line)
{
	if (h->servers++ > 0)
		h->r = hc_report_add(h->head);
	free(h->r->server);
	h->r->server = *server ? xstrdup(server) : NULL;
	h->cert = NULL;
	(void)line;
}

static void
detail_row(struct hc_html *h, const char *name, const char *value, long line)
{
	size_t	v;

	if (h->cert != NULL && *name == '\0' && h->in_namespaces) {
		if (*value && ascii_casecmp(value, "None") != 0)
			strlist_add_unique_ci(&h->cert->domains, value);
		return;
	}
	if (h->cert != NULL && is_cert_field(name)) {
		if (ascii_casecmp(name, "Namespaces") != 0)
			h->in_namespaces = false;
		cert_row(h, name, value);
		return;
	}
	h->cert = NULL;
	h->in_namespaces = false;
	if (ascii_casecmp(name, "Certificate") == 0 && *value == '\0') {
		h->cert = hc_cert_new(h->r, line);
		return;
	}
	for (v = 0; v < TLS_NVERSIONS; v++)
		if (ascii_startswith_ci(name, "TLS ") &&
		    strcmp(name + 4, tls_version_name(v)) == 0 && *value) {
			free(h->r->tls.configuration[v]);
			h->r->tls.configuration[v] = xstrdup(value);
			h->r->tls_seen = true;
			return;
		}
	if (ascii_casecmp(name, "SecurityProtocol") == 0 && *value &&
	    h->r->tls.security_protocol == NULL)
		h->r->tls.security_protocol = xstrdup(value);
	else if (ascii_casecmp(name, "Valid Auth Certificate Found On Server") ==
	    0)
		h->r->tls.auth_certificate_valid = hc_bool(value);
}

static void
row_done(struct hc_html *h, struct row *row)
{
	char	*a, *b, *c;
	size_t	 i;

	if (row->n == 0)
		return;
	a = cell_text(&row->cells[0]);
	b = row->n > 1 ? cell_text(&row->cells[1]) : xstrdup("");
	if (row->depth >= 2 && row->n == 3 && !row->cells[0].head) {
		/* A registry table inside a value cell. */
		c = cell_text(&row->cells[2]);
		hc_registry_row(h->r, a, b, c);
		free(c);
	} else if (!h->details && row->cells[0].head) {
		/* The overview's header: its column names. */
		strlist_free(&h->overview_names);
		for (i = 0; i < row->n; i++) {
			c = cell_text(&row->cells[i]);
			strlist_add(&h->overview_names, c);
			free(c);
		}
	} else if (!h->details) {
		const char *srv = NULL, *when = NULL;

		for (i = 0; i < row->n && i < h->overview_names.n; i++) {
			c = cell_text(&row->cells[i]);
			if (ascii_casecmp(h->overview_names.v[i],
			    "Server Name") == 0)
				strlist_add(&h->overview_servers, c);
			else if (ascii_casecmp(h->overview_names.v[i],
			    "Generation Time") == 0)
				strlist_add(&h->overview_times, c);
			free(c);
		}
		(void)srv;
		(void)when;
	} else if (row->n == 2 && row->cells[0].head &&
	    ascii_casecmp(a, "Server Name") == 0)
		server_row(h, b, row->line);
	else if (row->n == 2 && h->servers > 0)
		detail_row(h, a, b, row->line);
	free(a);
	free(b);
}

/* ---------------------------------------------------------- scanning */

static bool
tag_is(const char *p, const char *end, const char *name)
{
	size_t	n = strlen(name);

	/* end is the tag's '>'. */
	return (size_t)(end - p) >= n && ascii_ncasecmp(p, name, n) == 0 &&
	    (p + n == end || p[n] == ' ' || p[n] == '\t' || p[n] == '\r' ||
	    p[n] == '\n' || p[n] == '/');
}

static void
scan(struct hc_html *h, const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *gt;
	struct row	 rows[MAX_DEPTH];
	struct cell	*open = NULL;
	int		 depth = 0, open_depth = 0;
	long		 line = 1;
	size_t		 i, k;

	memset(rows, 0, sizeof rows);
	while (p < end) {
		if (*p != '<') {
			const char *q = memchr(p, '<', (size_t)(end - p));

			if (q == NULL)
				q = end;
			for (i = 0; i < (size_t)(q - p); i++)
				line += p[i] == '\n';
			if (open != NULL && depth == open_depth)
				cell_append(open, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if ((gt = memchr(p, '>', (size_t)(end - p))) == NULL)
			break;
		if (tag_is(p + 1, gt, "table")) {
			if (depth < MAX_DEPTH - 1)
				depth++;
		} else if (tag_is(p + 1, gt, "/table")) {
			if (depth > 0)
				depth--;
		} else if (tag_is(p + 1, gt, "h2")) {
			if (end - gt > 15 && ascii_ncasecmp(gt + 1, "Server Details",
			    14) == 0)
				h->details = true;
		} else if (tag_is(p + 1, gt, "tr") && depth > 0) {
			for (k = 0; k < rows[depth].n; k++)
				buf_free(&rows[depth].cells[k].text);
			memset(&rows[depth], 0, sizeof rows[depth]);
			rows[depth].depth = depth;
			rows[depth].line = line;
		} else if ((tag_is(p + 1, gt, "td") || tag_is(p + 1, gt, "th")) &&
		    depth > 0 && rows[depth].n < MAX_CELLS) {
			open = &rows[depth].cells[rows[depth].n++];
			buf_init(&open->text, 4096);
			open->head = (p[2] | 32) == 'h';
			open_depth = depth;
			if (rows[depth].depth == 0) {
				rows[depth].depth = depth;
				rows[depth].line = line;
			}
		} else if ((tag_is(p + 1, gt, "/td") || tag_is(p + 1, gt, "/th")) &&
		    depth == open_depth) {
			open = NULL;
		} else if (tag_is(p + 1, gt, "/tr") && depth > 0) {
			row_done(h, &rows[depth]);
			for (k = 0; k < rows[depth].n; k++)
				buf_free(&rows[depth].cells[k].text);
			memset(&rows[depth], 0, sizeof rows[depth]);
			open = NULL;
		}
		for (; p <= gt; p++)
			line += *p == '\n';
	}
	for (i = 0; i < MAX_DEPTH; i++)
		for (k = 0; k < rows[i].n; k++)
			buf_free(&rows[i].cells[k].text);
}

/* Each server's generation time, from the overview, when it is decided. */
static void
generation_times(struct hc_html *h)
{
	struct date_order_votes	 votes;
	struct hc_report	*r;
	enum date_order		 order;
	int64_t			 t;
	size_t			 i;

	memset(&votes, 0, sizeof votes);
	for (i = 0; i < h->overview_times.n; i++)
		date_order_vote(&votes, h->overview_times.v[i]);
	order = date_order_decide(&votes);
	for (r = h->head; r != NULL; r = r->next)
		for (i = 0; i < h->overview_servers.n &&
		    i < h->overview_times.n; i++)
			if (str_eq_ci(r->server, h->overview_servers.v[i]) &&
			    date_parse_culture(h->overview_times.v[i], order, &t))
				r->generated = t;
}

int
ingest_healthchecker_html(struct evidence *ev, const char *source,
    const char *text, size_t len)
{
	struct hc_report	 head, *r;
	struct hc_html		 h;
	int			 added;

	hc_report_init(&head, source, "HealthChecker HTML report");
	memset(&h, 0, sizeof h);
	h.ev = ev;
	h.head = h.r = &head;
	scan(&h, text, len);
	generation_times(&h);
	for (r = &head; r != NULL; r = r->next)
		if (r->ncerts > 0)
			ev->saw_cert_dump = true;
	added = hc_report_commit(ev, &head);
	diag_add(&ev->diags, DIAG_INFO, source, "HealthChecker HTML report: %d "
	    "server%s, %d record%s added", h.servers, h.servers == 1 ? "" : "s",
	    added, added == 1 ? "" : "s");
	hc_report_free(&head);
	strlist_free(&h.overview_names);
	strlist_free(&h.overview_servers);
	strlist_free(&h.overview_times);
	return added;
}

/* ------------------------------------------------------------ detection */

static int
bid_healthchecker_html(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	size_t			 head = st->len < SNIFF_HEAD ? st->len : SNIFF_HEAD;

	return sniff_contains(st->s, head, "Exchange Health Checker") &&
	    (sniff_contains(st->s, head, "<html") ||
	    sniff_contains(st->s, head, "<HTML")) ? 76 : 0;
}

static int
read_healthchecker_html(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_healthchecker_html(ctx->ev, e->path, e->text,
	    e->text_len);
}

const struct format format_healthchecker_html = {
	.name = "healthchecker-html", .one = "HealthChecker HTML report",
	.many = "HealthChecker HTML reports",
	.text = true, .best = 76, .bid = bid_healthchecker_html,
	.ingest = read_healthchecker_html, .read_is_evidence = true,
};

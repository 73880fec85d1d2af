/*
 * The page's protocol log section: what the logs hold, the failed outcome
 * groups that stand for the most handshakes, and the successes summed per
 * server and connector (count, first, last, protocols, ciphers), never
 * listed group by group. Its length grows with the failures worth reading,
 * never with the volume of the logs; the workbook's TLS Outcomes sheet
 * holds every group.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "model/error_meanings.h"
#include "model/kinds/kinds.h"
#include "out_html_sections.h"

/* Failed groups shown, largest first; successes per server and connector. */
#define FAILED_SHOWN	10
/* On paper, fewer: the rest stay on screen and in the workbook. */
#define FAILED_PRINTED	3
#define SUCCESS_SHOWN	20

struct success_line {
	const char	*server;	/* NULL unknown */
	bool		 receive;
	const char	*connector;	/* NULL unknown */
	long		 count;
	int64_t		 first, last;
	struct strlist	 protocols, ciphers;
};

static int
null_cmp(const char *a, const char *b)
{
	return casecmp_null_last(a, b);
}

static int
line_cmp(const void *pa, const void *pb)
{
	const struct success_line *a = pa, *b = pb;
	int	c;

	if ((c = null_cmp(a->server, b->server)) != 0)
		return c;
	if (a->receive != b->receive)
		return a->receive ? 1 : -1;
	return null_cmp(a->connector, b->connector);
}

static bool
same_key(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && ascii_casecmp(a, b) == 0;
}

/* The successful groups, summed per (server, direction, connector). */
static struct success_line *
successes(const struct evidence *ev, size_t *nlines)
{
	struct success_line	*v = NULL, *l;
	size_t			 n = 0, cap = 0, i, j;

	for (i = 0; i < ev->ntls; i++) {
		const struct ev_tls_agg *a = &ev->tls[i];

		if (!a->ok)
			continue;
		for (j = 0; j < n; j++)
			if (v[j].receive == a->receive &&
			    same_key(v[j].server, a->server) &&
			    same_key(v[j].connector, a->connector))
				break;
		if (j == n) {
			v = xreallocarray_grow(v, &cap, n + 1, sizeof *v);
			memset(&v[n], 0, sizeof v[n]);
			v[n].server = a->server;
			v[n].receive = a->receive;
			v[n].connector = a->connector;
			v[n].first = v[n].last = TIME_UNKNOWN;
			n++;
		}
		l = &v[j];
		l->count += a->count;
		if (a->first != TIME_UNKNOWN &&
		    (l->first == TIME_UNKNOWN || a->first < l->first))
			l->first = a->first;
		if (a->last != TIME_UNKNOWN &&
		    (l->last == TIME_UNKNOWN || a->last > l->last))
			l->last = a->last;
		if (a->protocol != NULL)
			strlist_add_unique_ci(&l->protocols, a->protocol);
		if (a->cipher != NULL)
			strlist_add_unique_ci(&l->ciphers, a->cipher);
	}
	if (n > 1)
		qsort(v, n, sizeof *v, line_cmp);
	for (i = 0; i < n; i++) {
		strlist_sort_ci(&v[i].protocols);
		strlist_sort_ci(&v[i].ciphers);
	}
	*nlines = n;
	return v;
}

static void
success_table(struct html *h, const struct evidence *ev)
{
	static const char *const cols[] = { "Server", "Connector",
	    "Handshakes", "First", "Last", "Protocols", "Ciphers", NULL };
	static const char *const cls[] = { NULL, NULL, "num", NULL, NULL,
	    NULL, NULL, NULL };
	struct success_line	*v;
	size_t			 n, i;
	long			 rest = 0;

	v = successes(ev, &n);
	html_raw(h, "<h3>Successful handshakes, per server and connector</h3>\n");
	if (n == 0) {
		html_raw(h, "<p class=\"empty\">None succeeded.</p>\n");
		free(v);
		return;
	}
	table_open(h, cols, cls);
	for (i = 0; i < n; i++) {
		if (i >= SUCCESS_SHOWN) {
			rest += v[i].count;
			continue;
		}
		html_raw(h, "<tr><td>");
		html_value(h, v[i].server);
		html_rawf(h, "</td><td><span class=\"tag\">%s</span> ",
		    v[i].receive ? "Receive" : "Send");
		html_value(h, v[i].connector);
		html_raw(h, "</td><td class=\"num\">");
		html_count(h, v[i].count);
		html_raw(h, "</td><td>");
		html_time(h, v[i].first);
		html_raw(h, "</td><td>");
		html_time(h, v[i].last);
		html_raw(h, "</td><td>");
		html_list(h, &v[i].protocols, "<span class=\"muted\">not "
		    "logged</span>");
		html_raw(h, "</td><td>");
		html_list(h, &v[i].ciphers, "<span class=\"muted\">not "
		    "logged</span>");
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
	if (n > SUCCESS_SHOWN)
		html_more(h, n - SUCCESS_SHOWN, "connector", rest, "handshake",
		    "TLS Outcomes");
	for (i = 0; i < n; i++) {
		strlist_free(&v[i].protocols);
		strlist_free(&v[i].ciphers);
	}
	free(v);
}

/* The first CN of a subject, else the subject, at most 40 characters. */
static void
subject_short(struct html *h, const char *subject)
{
	const char	*cn = subject, *end;

	if (subject == NULL)
		return;
	for (; *cn != '\0'; cn++)
		if ((cn == subject || cn[-1] == ' ' || cn[-1] == ',') &&
		    ascii_ncasecmp(cn, "CN=", 3) == 0)
			break;
	if (*cn == '\0') {
		html_text_short(h, subject, 40);
		return;
	}
	cn += 3;
	end = strchr(cn, ',');
	html_textn(h, cn, end != NULL ? (size_t)(end - cn) : strlen(cn));
}

/*
 * One failed group on a line of its own: where, with whom, which
 * certificate, the error and its meaning, how many and when. The workbook's
 * TLS Outcomes sheet has every field and sample row.
 */
static void
failed_row(struct html *h, const struct ev_tls_agg *a, bool paper)
{
	const char	*meaning = tls_error_meaning(a->error);

	html_raw(h, paper ? "<tr>" : "<tr class=\"screen-row\">");
	html_raw(h, "<td>");
	html_value(h, a->server);
	html_rawf(h, " <span class=\"tag\">%s</span><br>",
	    a->receive ? "Receive" : "Send");
	html_value(h, a->connector);
	html_raw(h, "</td><td class=\"mono nowrap\">");
	html_value(h, a->remote);
	html_raw(h, "</td><td>");
	if (a->cert_thumbprint != NULL) {
		html_raw(h, "<span class=\"mono\">");
		html_textn(h, a->cert_thumbprint, 8);
		html_raw(h, "\xe2\x80\xa6</span> ");
		subject_short(h, a->cert_subject);
	} else
		html_raw(h, "<span class=\"muted\">none logged</span>");
	html_raw(h, "</td><td><span class=\"tag bad\">");
	html_text_or(h, a->error, "failed");
	html_raw(h, "</span>");
	if (meaning != NULL) {
		html_raw(h, "<br><span class=\"muted\">");
		html_text(h, meaning);
		html_raw(h, "</span>");
	}
	html_raw(h, "</td><td class=\"num\">");
	html_count(h, a->count);
	html_raw(h, "</td><td>");
	html_time(h, a->first);
	html_raw(h, "<br>");
	html_time(h, a->last);
	html_raw(h, "</td></tr>\n");
}

/* The failed groups, the largest counts first (ties in the table's order). */
static void
failed_table(struct html *h, const struct report *r, const struct ev_kind *k)
{
	static const char *const cols[] = { "Server and connector",
	    "Remote host", "Certificate presented", "Error", "Handshakes",
	    "First and last", NULL };
	static const char *const cls[] = { NULL, NULL, NULL, NULL, "num", NULL,
	    NULL };
	const struct evidence	*ev = r->ev;
	size_t			 idx[FAILED_SHOWN], nshown = 0, groups = 0;
	size_t			 i, j;
	long			 rest = 0, paper_rest = 0;

	for (i = 0; i < ev->ntls; i++) {
		if (ev->tls[i].ok)
			continue;
		groups++;
		rest += ev->tls[i].count;
		for (j = nshown; j > 0 &&
		    ev->tls[idx[j - 1]].count < ev->tls[i].count; j--)
			if (j < FAILED_SHOWN)
				idx[j] = idx[j - 1];
		if (j < FAILED_SHOWN) {
			idx[j] = i;
			if (nshown < FAILED_SHOWN)
				nshown++;
		}
	}
	html_raw(h, "<h3>Failed handshakes</h3>\n");
	if (groups == 0) {
		html_raw(h, "<p class=\"empty\">None failed.</p>\n");
		return;
	}
	for (i = 0; i < nshown; i++) {
		rest -= ev->tls[idx[i]].count;
		if (i >= FAILED_PRINTED)
			paper_rest += ev->tls[idx[i]].count;
	}
	if (groups > FAILED_PRINTED)
		html_raw(h, "<p class=\"muted\">The groups that stand for the "
		    "most failed handshakes.</p>\n");
	table_open(h, cols, cls);
	for (i = 0; i < nshown; i++)
		failed_row(h, &ev->tls[idx[i]], i < FAILED_PRINTED);
	table_close(h);
	if (groups > nshown)
		html_more(h, groups - nshown, "failed group", rest, "handshake",
		    k->table->sheet);
	/* Paper: the first FAILED_PRINTED (report.css), the others counted. */
	if (nshown > FAILED_PRINTED) {
		html_raw(h, "<p class=\"more print-only\">");
		html_count(h, (long)(nshown - FAILED_PRINTED));
		html_raw(h, " more of these groups (");
		html_count(h, paper_rest);
		html_rawf(h, " handshake%s): on screen.</p>\n", paper_rest == 1 ?
		    "" : "s");
	}
}

static void
log_stat(struct html *h, const char *label, long n)
{
	html_raw(h, "<div><span class=\"n\">");
	html_count(h, n);
	html_rawf(h, "</span><span class=\"l\">%s</span></div>", label);
}

/* What the logs hold comes first; read logs without a TLS outcome say so. */
void
section_protocol_logs(struct html *h, const struct report *r,
    const struct ev_kind *k)
{
	const struct evidence		*ev = r->ev;
	const struct log_summary	*l;

	section_open(h, k->page.id, k->page.title, k->page.major);
	if (ev == NULL || !ev_kind_seen(k, ev)) {
		html_rawf(h, "<p class=\"empty\">%s</p>\n", k->page.empty);
		section_close(h);
		return;
	}
	l = &ev->logs;
	html_raw(h, "<div class=\"stats\">");
	log_stat(h, "files", l->files);
	log_stat(h, "rows", l->rows);
	log_stat(h, "sessions", l->sessions);
	log_stat(h, "TLS succeeded", l->tls_ok);
	log_stat(h, "TLS failed", l->tls_failed);
	log_stat(h, "unreadable rows", l->bad_rows);
	html_raw(h, "</div>\n<p>");
	/* Never "from unknown to unknown". */
	if (l->first == TIME_UNKNOWN && l->last == TIME_UNKNOWN)
		html_raw(h, "No row holds a time that could be read. ");
	else {
		html_raw(h, "Rows dated ");
		html_time_range(h, l->first, l->last);
		html_raw(h, ", in ");
	}
	html_count(h, (long)ev->ntls);
	html_rawf(h, " outcome group%s (one per server, connector, remote "
	    "host, certificates, outcome and protocol).</p>\n",
	    ev->ntls == 1 ? "" : "s");
	if (ev->ntls > 0) {
		failed_table(h, r, k);
		success_table(h, ev);
	}
	section_close(h);
}

/*
 * report.html: one self-contained page. The top answers a manager (what is
 * wrong, what to do); the rest gives an engineer every finding, its evidence
 * and the inventory it was judged against.
 *
 * The page is assembled from the embedded template (report/template.html)
 * and stylesheet (report/report.css). Every string that came from the bundle
 * or the command line goes through html_text*, which cleans and escapes it;
 * nothing is ever fetched, so the page carries a Content-Security-Policy that
 * forbids scripts and network access outright.
 *
 * This file assembles the page and writes the manager's part: the cover, the
 * root cause with its chain from symptom to fix, and what to do. The sections
 * after it are in out_html_details.c, the pieces all of them share in
 * out_html_parts.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "columns.h"
#include "model/kinds/cert.h"
#include "model/kinds/kinds.h"
#include "model/kinds/queue.h"
#include "util/datetime.h"
#include "html_writer.h"
#include "out_html_sections.h"
#include "rules/verdict.h"
#include "report.h"
#include "summary.h"
#include "util/parse_diag.h"

/* Far above any real report; only a runaway input could reach it. */
#define HTML_MAX	((size_t)512 * 1024 * 1024)
/* Characters of sample text shown in the chain line. */
#define CHAIN_TEXT_MAX	160

enum sample_kind { SAMPLE_OTHER, SAMPLE_SYMPTOM, SAMPLE_LOG };

/* ------------------------------------------------------------------ cover */

/* "Contoso Ltd, case CS-1042": whose report this is, as its big heading. */
static void
cover_title(struct html *h, const struct report *r)
{
	bool	customer = r->customer != NULL && r->customer[0] != '\0';
	bool	case_id = r->case_id != NULL && r->case_id[0] != '\0';

	html_raw(h, "<h1>");
	if (customer)
		html_text(h, r->customer);
	if (customer && case_id)
		html_raw(h, " <span class=\"case\">\xe2\x80\x94 Case ");
	else if (case_id)
		html_raw(h, "Case ");
	if (case_id)
		html_text(h, r->case_id);
	if (customer && case_id)
		html_raw(h, "</span>");
	if (!customer && !case_id)
		html_raw(h, "Exchange mail flow: TLS and certificates");
	html_raw(h, "</h1>\n");
}

static void
section_cover(struct html *h, const struct report *r)
{
	char	when[32];

	html_raw(h, "<header class=\"cover\">\n"
	    "<div class=\"kicker\">Exchange TLS and certificate mail flow"
	    "</div>\n");
	cover_title(h, r);
	html_raw(h, "<p class=\"subtitle\">Analysis of the support bundle as "
	    "of ");
	time_format_iso(r->as_of, when, sizeof when);
	if (when[0] != '\0')
		html_rawf(h, "%.10s %.5s UTC", when, when + 11);
	else
		html_unknown(h);
	if (r->analyst != NULL && r->analyst[0] != '\0') {
		html_raw(h, ", by ");
		html_text(h, r->analyst);
	}
	html_raw(h, ".</p>\n</header>\n");
}

static void
page_toc(struct html *h, const struct report *r)
{
	const struct ev_kind	*kinds[EV_NKINDS + 1], **k;

	html_raw(h, "<nav class=\"toc\">");
	if (r->baseline != NULL)
		html_raw(h, "<a href=\"#baseline\">Since the baseline</a>");
	html_raw(h, "<a href=\"#timeline\">Timeline</a>"
	    "<a href=\"#root-cause\">Root cause</a>"
	    "<a href=\"#what-to-do\">What to do</a>"
	    "<a href=\"#findings\">All findings</a>");
	ev_kinds_page_order(kinds);
	for (k = kinds; *k != NULL; k++)
		if (!(*k)->page.appendix)
			html_rawf(h, "<a href=\"#%s\">%s</a>", (*k)->page.id,
			    (*k)->page.title);
	html_raw(h, "<a href=\"#gaps\">Evidence gaps</a>");
	for (k = kinds; *k != NULL; k++)
		if ((*k)->page.appendix)
			html_rawf(h, "<a href=\"#%s\">%s</a>", (*k)->page.id,
			    (*k)->page.title);
	html_raw(h, "<a href=\"#diagnostics\">Diagnostics</a>"
	    "<a href=\"#manifest\">Inputs and manifest</a>"
	    "</nav>\n");
}

/* ------------------------------------------------------------- root cause */

/* What kind of evidence a sample is, judged by where it was read. */
static enum sample_kind
sample_kind(const struct evidence *ev, const struct finding_evidence *fe)
{
	size_t	i;

	if (ev == NULL || fe->source == NULL)
		return SAMPLE_OTHER;
	for (i = 0; i < ev->ntls; i++)
		if (ev->tls[i].log_source != NULL &&
		    strcmp(ev->tls[i].log_source, fe->source) == 0)
			return SAMPLE_LOG;
	for (i = 0; i < ev->nqueues; i++)
		if (ev->queues[i].ref.source != NULL &&
		    strcmp(ev->queues[i].ref.source, fe->source) == 0)
			return SAMPLE_SYMPTOM;
	for (i = 0; i < ev->nsymptoms; i++)
		if (ev->symptoms[i].ref.source != NULL &&
		    strcmp(ev->symptoms[i].ref.source, fe->source) == 0)
			return SAMPLE_SYMPTOM;
	return SAMPLE_OTHER;
}

static const struct ev_cert *
cert_find(const struct evidence *ev, const char *thumbprint)
{
	size_t	i;

	if (ev == NULL)
		return NULL;
	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].thumbprint != NULL &&
		    ascii_casecmp(ev->certs[i].thumbprint, thumbprint) == 0)
			return &ev->certs[i];
	return NULL;
}

/* A thumbprint with what the inventory says about it. */
static void
html_cert_brief(struct html *h, const struct evidence *ev, const char *tp)
{
	const struct ev_cert	*c = cert_find(ev, tp);

	html_raw(h, "<span class=\"mono\">");
	html_text(h, tp);
	html_raw(h, "</span>");
	if (c == NULL) {
		html_raw(h, " <span class=\"muted\">(not in the certificate "
		    "inventory)</span>");
		return;
	}
	html_raw(h, " <span class=\"muted\">");
	html_text_or(h, c->subject, "subject unknown");
	html_raw(h, "; services ");
	html_services(h, c->services);
	html_raw(h, "; expires ");
	html_cert_time(h, c->not_after, c->dates_exact, true);
	html_raw(h, "</span>");
}

static void
chain_item(struct html *h, const char *label)
{
	html_rawf(h, "<li><span class=\"label\">%s</span>", label);
}

/*
 * The step that changes the configuration (Enable-, Set-, Remove-, ...),
 * else the first that does more than look (Get- commands only look).
 */
static const struct remediation_step *
fix_step(const struct finding *f)
{
	static const char *const changes[] = {
		"Enable-", "Set-", "Remove-", "New-", "Import-"
	};
	const char	*cmd;
	size_t		 i, j;

	for (i = 0; i < f->nremediation; i++) {
		cmd = f->remediation[i].command;
		for (j = 0; cmd != NULL && j < sizeof changes / sizeof changes[0]; j++)
			if (ascii_startswith_ci(cmd, changes[j]))
				return &f->remediation[i];
	}
	for (i = 0; i < f->nremediation; i++) {
		cmd = f->remediation[i].command;
		if (cmd != NULL && !ascii_startswith_ci(cmd, "Get-"))
			return &f->remediation[i];
	}
	return f->nremediation > 0 ? &f->remediation[0] : NULL;
}

static void
chain_evidence(struct html *h, const struct evidence *ev,
    const struct finding *f, enum sample_kind kind, const char *label)
{
	const struct finding_evidence	*first = NULL;
	size_t				 i, samples = 0;

	for (i = 0; i < f->nevidence; i++) {
		if (sample_kind(ev, &f->evidence[i]) != kind)
			continue;
		if (first == NULL)
			first = &f->evidence[i];
		samples++;
	}
	if (first == NULL)
		return;
	chain_item(h, label);
	/* A log sample is certtrail's summary of its rows, not a row: unquoted. */
	if (kind != SAMPLE_LOG)
		html_raw(h, "\xe2\x80\x9c");
	html_text_short(h, first->text, CHAIN_TEXT_MAX);
	if (kind != SAMPLE_LOG)
		html_raw(h, "\xe2\x80\x9d");
	if (kind != SAMPLE_LOG && samples > 1)
		html_rawf(h, " <span class=\"muted\">and %zu more</span>",
		    samples - 1);
	html_raw(h, "</li>\n");
}

static void
root_cause_chain(struct html *h, const struct report *r,
    const struct finding *f)
{
	const struct remediation_step	*fix = fix_step(f);
	const struct ev_cert		*c;

	html_raw(h, "<h4>From symptom to fix</h4>\n<ol class=\"chain\">\n");
	chain_evidence(h, r->ev, f, SAMPLE_SYMPTOM, "Symptom");
	chain_evidence(h, r->ev, f, SAMPLE_LOG, "Log rows");
	if (f->thumbprints.n > 0) {
		chain_item(h, "Certificate");
		html_raw(h, "<span class=\"mono\">");
		html_text(h, f->thumbprints.v[0]);
		html_raw(h, "</span>");
		c = cert_find(r->ev, f->thumbprints.v[0]);
		if (c != NULL && c->subject != NULL) {
			html_raw(h, "<br>");
			html_text(h, c->subject);
		}
		if (f->thumbprints.n > 1)
			html_rawf(h, " <span class=\"muted\">and %zu "
			    "more</span>", f->thumbprints.n - 1);
		html_raw(h, "</li>\n");
	}
	if (f->connectors.n > 0) {
		chain_item(h, "Connector");
		html_list(h, &f->connectors, "");
		html_raw(h, "</li>\n");
	}
	chain_item(h, "Cause");
	html_text_or(h, f->title, "untitled finding");
	html_raw(h, "</li>\n");
	if (fix != NULL) {
		chain_item(h, "Fix");
		html_rawf(h, "<a href=\"#step-%d\">Step %d</a>: ", fix->step,
		    fix->step);
		html_text_short(h, fix->text, CHAIN_TEXT_MAX);
		html_raw(h, "</li>\n");
	}
	html_raw(h, "</ol>\n");
}

/*
 * The root cause card: the plain problem as its title (the finding's own
 * title, with its thumbprint, is the chain's "Cause"), the explanation, and
 * the chain from symptom to fix. The explanation is shown here only.
 */
static void
root_cause_found(struct html *h, const struct report *r,
    const struct finding *f, const struct summary *s)
{
	size_t	i;

	html_rawf(h, "\n<section id=\"root-cause\" class=\"root-cause "
	    "sev-%s\">\n<h2>Root cause</h2>\n<div class=\"rc-head\">",
	    severity_name(f->severity));
	html_badge(h, f->severity);
	html_raw(h, "<span class=\"muted\">");
	html_finding_anchor(h, f);
	html_raw(h, " &middot; <code>");
	html_text(h, f->rule);
	html_raw(h, "</code></span></div>\n<p class=\"rc-title\">");
	html_text(h, s->problem);
	html_raw(h, "</p>\n<p class=\"rc-explanation\">");
	html_text(h, f->explanation);
	html_raw(h, "</p>\n<dl class=\"meta\">\n<dt>Servers</dt><dd>");
	html_list(h, &f->servers, "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Connectors</dt><dd>");
	html_list(h, &f->connectors, "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Certificates</dt><dd>");
	if (f->thumbprints.n == 0)
		html_raw(h, "<span class=\"muted\">none named</span>");
	for (i = 0; i < f->thumbprints.n; i++) {
		if (i > 0)
			html_raw(h, "<br>");
		html_cert_brief(h, r->ev, f->thumbprints.v[i]);
	}
	html_raw(h, "</dd>\n<dt>Seen</dt><dd>");
	html_finding_seen(h, f);
	html_raw(h, "</dd>\n</dl>\n");
	root_cause_chain(h, r, f);
	html_raw(h, "</section>\n");
}

/* The first incident that is over, in the place of the root cause. */
static const struct finding *
first_resolved(const struct report *r)
{
	size_t	i;

	for (i = 0; i < report_nfindings(r); i++)
		if (r->findings->v[i].status == FINDING_RESOLVED)
			return &r->findings->v[i];
	return NULL;
}

/*
 * An incident that is over: when it failed, what the logs show after it,
 * and what changed, with the finding's facts; no chain to a fix, since
 * there is nothing to fix.
 */
static void
root_cause_ended(struct html *h, const struct report *r,
    const struct finding *f)
{
	size_t	i;

	html_raw(h, "\n<section id=\"root-cause\" class=\"root-cause "
	    "resolved\">\n<h2>Resolved incident</h2>\n<div class=\"rc-head\">");
	html_badge(h, f->severity);
	html_raw(h, "<span class=\"tag ended\">resolved</span><span class=\"muted\">");
	html_finding_anchor(h, f);
	html_raw(h, " &middot; <code>");
	html_text(h, f->rule);
	html_raw(h, "</code></span></div>\n<p class=\"rc-title\">");
	html_text(h, f->title);
	html_raw(h, "</p>\n<p class=\"rc-explanation\">");
	html_text(h, f->explanation);
	html_raw(h, "</p>\n<dl class=\"meta\">\n<dt>Failed</dt><dd>");
	html_time_range(h, f->first_seen, f->last_seen);
	html_rawf(h, ", none since</dd>\n<dt>Worked since</dt><dd>%ld "
	    "successful handshake%s, ", f->ok_after, f->ok_after == 1 ? "" : "s");
	html_time_range(h, f->ok_first, f->ok_last);
	html_raw(h, "</dd>\n<dt>What changed</dt><dd>");
	html_text_or(h, f->change, "not shown by the evidence");
	html_raw(h, "</dd>\n<dt>Servers</dt><dd>");
	html_list(h, &f->servers, "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Connectors</dt><dd>");
	html_list(h, &f->connectors, "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Certificates</dt><dd>");
	if (f->thumbprints.n == 0)
		html_raw(h, "<span class=\"muted\">none named</span>");
	for (i = 0; i < f->thumbprints.n; i++) {
		if (i > 0)
			html_raw(h, "<br>");
		html_cert_brief(h, r->ev, f->thumbprints.v[i]);
	}
	html_raw(h, "</dd>\n</dl>\n</section>\n");
}

static void
root_cause_none(struct html *h, const struct report *r)
{
	const struct gap_list	*g = r->gaps;
	enum verdict_state	 st = r->verdict != NULL ? r->verdict->state :
				    VERDICT_PROBLEMS;
	size_t			 i;

	if (st == VERDICT_RESOLVED && first_resolved(r) != NULL) {
		root_cause_ended(h, r, first_resolved(r));
		return;
	}
	html_rawf(h, "\n<section id=\"root-cause\" class=\"root-cause %s\">\n"
	    "<h2>Root cause</h2>\n", st == VERDICT_CLEAR ? "none" :
	    st == VERDICT_NOT_JUDGED ? "unknown" : "sev-high");
	if (st == VERDICT_CLEAR) {
		html_raw(h, "<p class=\"rc-title\">No problem found</p>\n"
		    "<p class=\"rc-explanation\">");
		html_text(h, r->verdict->text);
		if (report_nfindings(r) > 0)
			html_raw(h, " The low and informational findings below "
			    "are for reference only.");
		html_raw(h, "</p>\n");
	} else if (st == VERDICT_NOT_JUDGED) {
		html_raw(h, "<p class=\"rc-title\">Mail flow not judged</p>\n"
		    "<p class=\"rc-explanation\">");
		html_text(h, r->verdict->text);
		html_raw(h, "</p>\n");
	} else {
		html_raw(h, "<p class=\"rc-title\">No root cause: ");
		html_raw(h, r->verdict != NULL && r->verdict->unexplained > 0 ?
		    "the cause of what fails was not determined" :
		    "nothing fails because of the findings yet");
		html_raw(h, "</p>\n<p class=\"rc-explanation\">");
		html_text(h, r->verdict != NULL ? r->verdict->text : "");
		html_raw(h, "</p>\n");
	}
	if (g == NULL || g->n == 0) {
		html_raw(h, "<p>No evidence gaps were recorded.</p>\n");
	} else {
		html_raw(h, "<p>This conclusion can only be as complete as the "
		    "bundle, and the bundle has these gaps:</p>\n<ul>\n");
		for (i = 0; i < g->n; i++)
			html_elem(h, "li", NULL, g->v[i].what);
		html_raw(h, "</ul>\n");
	}
	html_raw(h, "</section>\n");
}

/* --------------------------------------------------------------- remedies */

static void
section_what_to_do(struct html *h, const struct report *r)
{
	const struct finding	*f = report_root_cause(r);

	section_open(h, "what-to-do", "What to do", false);
	if (f == NULL && r->verdict != NULL &&
	    r->verdict->state == VERDICT_RESOLVED && first_resolved(r) != NULL) {
		f = first_resolved(r);
		html_raw(h, "<p>Nothing to do: the incident is over (");
		html_finding_anchor(h, f);
		html_raw(h, "). To confirm that it stays so:</p>\n");
		steps_list(h, f, true, NULL);
	} else if (f == NULL && r->verdict != NULL &&
	    r->verdict->state == VERDICT_NOT_JUDGED) {
		html_raw(h, "<p>Nothing to fix in the configuration. To judge "
		    "mail flow, collect what the <a href=\"#gaps\">evidence "
		    "gaps</a> list: the queues, the protocol logs and the "
		    "transport events of each server.</p>\n");
	} else if (f == NULL) {
		html_raw(h, "<p>There is no root cause to fix.");
		if (report_nfindings(r) > 0)
			html_raw(h, " Each finding below lists its own "
			    "remediation.");
		html_raw(h, "</p>\n");
	} else if (f->nremediation == 0) {
		html_raw(h, "<p>No remediation steps are recorded for the root "
		    "cause.</p>\n");
	} else {
		html_raw(h, "<p class=\"muted\">For ");
		html_finding_anchor(h, f);
		html_raw(h, ". Run the commands in the Exchange Management "
		    "Shell, in this order.</p>\n");
		steps_list(h, f, true, NULL);
	}
	section_close(h);
}

/* ------------------------------------------------------------------ write */

static void
report_body(struct html *h, const struct report *r)
{
	const struct finding	*root = report_root_cause(r);
	const struct ev_kind	*kinds[EV_NKINDS + 1], **k;
	struct summary		 s;

	summary_build(r, &s);
	section_cover(h, r);
	section_baseline(h, r);
	section_verdict(h, r, &s);
	section_server_grid(h, r);
	page_toc(h, r);
	section_timeline(h, r, &s);
	if (root != NULL)
		root_cause_found(h, r, root, &s);
	else
		root_cause_none(h, r);
	section_what_to_do(h, r);
	section_findings(h, r);
	ev_kinds_page_order(kinds);
	for (k = kinds; *k != NULL; k++)
		if (!(*k)->page.appendix && !section_kind_empty(r, *k))
			section_kind(h, r, *k);
	section_not_in_bundle(h, r, kinds);
	section_gaps(h, r);
	for (k = kinds; *k != NULL; k++)
		if ((*k)->page.appendix)
			section_kind(h, r, *k);
	section_diagnostics(h, r);
	section_manifest(h, r);
	summary_free(&s);
}

static char *
report_title(const struct report *r)
{
	struct html	 h;

	html_init(&h, 64 * 1024);
	html_raw(&h, "certtrail report");
	if (r->case_id != NULL && r->case_id[0] != '\0') {
		/* Plain text: a <title> holds no markup. */
		char *e = html_escape(r->case_id, strlen(r->case_id));

		html_raw(&h, " \xe2\x80\x94 ");
		html_raw(&h, e);
		free(e);
	}
	return buf_steal(&h.b, NULL);
}

static int
file_write_all(struct parse_diag *pd, const char *path, const char *data,
    size_t len)
{
	FILE	*fp;
	int	 saved;

	if ((fp = fopen(path, "wb")) == NULL) {
		parse_problem(pd, DIAG_ERROR, 0, "%s", strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, fp) != len || fflush(fp) != 0) {
		saved = errno;
		fclose(fp);
		parse_problem(pd, DIAG_ERROR, 0, "%s", strerror(saved));
		return -1;
	}
	if (fclose(fp) != 0) {
		parse_problem(pd, DIAG_ERROR, 0, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

/* "Contoso \xe2\x80\x94 Case 4711": whose case each printed page is. */
static char *
running_head(const struct report *r)
{
	struct html	 h;
	char		*label;
	bool		 customer, case_id;

	customer = r->customer != NULL && r->customer[0] != '\0';
	case_id = r->case_id != NULL && r->case_id[0] != '\0';

	if (customer && case_id)
		label = xasprintf("%s \xe2\x80\x94 Case %s", r->customer,
		    r->case_id);
	else if (customer)
		label = xstrdup(r->customer);
	else if (case_id)
		label = xasprintf("Case %s", r->case_id);
	else
		label = xstrdup("certtrail report");
	html_init(&h, 64 * 1024);
	css_string(&h, label);
	free(label);
	return buf_steal(&h.b, NULL);
}

static char *
running_foot(const struct report *r)
{
	struct html	 h;
	char		 when[32], *label;

	time_format_iso(r->as_of, when, sizeof when);
	label = xasprintf("certtrail report%s%s", when[0] != '\0' ?
	    ", as of " : "", when);
	html_init(&h, 64 * 1024);
	css_string(&h, label);
	free(label);
	return buf_steal(&h.b, NULL);
}

/*
 * Whether any time the page shows is in server local time: a time column
 * of a kind's table whose value is known but not exact.
 */
static bool
has_local_times(const struct report *r)
{
	const struct ev_kind *const	*k;
	const struct table		*t;
	struct col_ctx			 x = col_ctx_of(r);
	struct col_value		 v;
	const void			*rows;
	size_t				 i, j, n;
	bool				 local = false;

	for (k = ev_kinds; *k != NULL && !local; k++) {
		t = (*k)->table;
		rows = t->rows(&x, &n);
		for (j = 0; j < t->ncols && !local; j++) {
			if (t->cols[j].type != COL_TIME ||
			    !(t->cols[j].show & OUT_HTML))
				continue;
			for (i = 0; i < n && !local; i++) {
				col_read(&t->cols[j], table_row(t, rows, i), &x,
				    &v);
				local = v.known && !v.exact;
				col_value_clear(&v);
			}
		}
	}
	return local;
}

int
out_html_write(const struct report *r, const char *path)
{
	struct html		 body, page;
	struct parse_diag	 pd;
	char			*title, *version, *head, *foot;
	const char		*note;
	int			 rc = -1;

	parse_diag_init(&pd, NULL, path);
	pd.print = true;
	html_init(&body, HTML_MAX);
	html_init(&page, HTML_MAX);
	report_body(&body, r);
	title = report_title(r);
	version = html_escape(r->tool_version ? r->tool_version : "",
	    r->tool_version ? strlen(r->tool_version) : 0);
	head = running_head(r);
	foot = running_foot(r);
	note = has_local_times(r) ?
	    "Times ending in Z are UTC. Certificate dates and other times marked "
	    "\xe2\x80\x9cserver local time\xe2\x80\x9d come from Format-List "
	    "or other text exports, which give the server\xe2\x80\x99s clock "
	    "without its zone." :
	    "Times are UTC.";
	{
		const struct html_slot	slots[] = {
			{ "title", title, strlen(title) },
			{ "version", version, strlen(version) },
			{ "css", (const char *)report_css, report_css_len },
			{ "running_head", head, strlen(head) },
			{ "running_foot", foot, strlen(foot) },
			{ "time_note", note, strlen(note) },
			{ "body", body.b.data, body.b.len },
		};

		html_fill_template(&page, (const char *)report_template,
		    report_template_len, slots, sizeof slots / sizeof slots[0]);
	}
	if (html_overflowed(&body) || html_overflowed(&page))
		parse_problem(&pd, DIAG_ERROR, 0, "report larger than %zu bytes",
		    HTML_MAX);
	else
		rc = file_write_all(&pd, path, page.b.data, page.b.len);
	free(title);
	free(version);
	free(head);
	free(foot);
	html_free(&body);
	html_free(&page);
	return rc;
}

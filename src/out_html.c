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
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "datetime.h"
#include "html_writer.h"
#include "report.h"
#include "text.h"

/* Far above any real report; only a runaway input could reach it. */
#define HTML_MAX	((size_t)512 * 1024 * 1024)
/* Entries beyond this many are folded into a <details> element. */
#define MANIFEST_FOLD	30
/* Characters of sample text shown in the chain line. */
#define CHAIN_TEXT_MAX	160

enum ev_kind { EVK_OTHER, EVK_SYMPTOM, EVK_LOG };

static const struct finding *
report_root_cause(const struct report *r)
{
	const struct findings	*fs = r->findings;

	if (fs == NULL || fs->root_cause < 0 || (size_t)fs->root_cause >= fs->n)
		return NULL;
	return &fs->v[fs->root_cause];
}

static size_t
report_nfindings(const struct report *r)
{
	return r->findings != NULL ? r->findings->n : 0;
}

static void
html_time(struct html *h, int64_t t)
{
	char	s[32];

	if (t == TIME_UNKNOWN) {
		html_raw(h, "<span class=\"unknown\">unknown</span>");
		return;
	}
	time_text(t, s, sizeof s);
	html_rawf(h, "<span class=\"nowrap\">%s</span>", s);
}

static void
html_unknown(struct html *h)
{
	html_raw(h, "<span class=\"unknown\">unknown</span>");
}

/* A string that may be unknown (NULL). */
static void
html_value(struct html *h, const char *s)
{
	if (s == NULL)
		html_unknown(h);
	else
		html_text(h, s);
}

static void
html_tri(struct html *h, tri_t t)
{
	if (t == TRI_UNKNOWN)
		html_unknown(h);
	else
		html_raw(h, tri_text(t));
}

static void
html_long(struct html *h, long n)
{
	if (n < 0)
		html_unknown(h);
	else
		html_rawf(h, "%ld", n);
}

static void
html_services(struct html *h, int mask)
{
	char	s[128];

	if (mask == SERVICES_UNKNOWN) {
		html_unknown(h);
		return;
	}
	services_format(mask, ", ", s, sizeof s);
	html_text(h, s);
}

/* Items joined by ", "; `empty` (trusted) when there are none. */
static void
html_list(struct html *h, const struct strlist *l, const char *empty)
{
	size_t	i;

	if (l->n == 0) {
		html_raw(h, empty);
		return;
	}
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			html_raw(h, ", ");
		html_text(h, l->v[i]);
	}
}

/* A list whose presence in the export is itself uncertain. */
static void
html_known_list(struct html *h, const struct strlist *l, bool known,
    bool incomplete)
{
	if (!known) {
		html_unknown(h);
		return;
	}
	html_list(h, l, "<span class=\"muted\">none</span>");
	if (incomplete)
		html_raw(h, " <span class=\"tag\">list cut in export</span>");
}

static void
html_mono_list(struct html *h, const struct strlist *l, const char *empty)
{
	size_t	i;

	if (l->n == 0) {
		html_raw(h, empty);
		return;
	}
	for (i = 0; i < l->n; i++) {
		html_raw(h, i > 0 ? "<br><span class=\"mono\">" :
		    "<span class=\"mono\">");
		html_text(h, l->v[i]);
		html_raw(h, "</span>");
	}
}

/*
 * At most `max` characters of s, cut on a character boundary, with an
 * ellipsis when cut: for one-line summaries whose full text is shown below.
 */
static void
html_text_short(struct html *h, const char *s, size_t max)
{
	char	*clean;
	size_t	 i, chars = 0;

	if (s == NULL)
		return;
	clean = utf8_clean(s, strlen(s));
	for (i = 0; clean[i] != '\0'; i++) {
		if (((unsigned char)clean[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == max)
			break;
	}
	html_textn(h, clean, i);
	if (clean[i] != '\0')
		html_raw(h, "\xe2\x80\xa6");
	free(clean);
}

static void
html_badge(struct html *h, enum severity s)
{
	html_rawf(h, "<span class=\"badge sev-%s\">%s</span>",
	    severity_name(s), severity_name(s));
}

static void
html_finding_anchor(struct html *h, const struct finding *f)
{
	html_raw(h, "<a href=\"#finding-");
	html_text(h, f->id);
	html_raw(h, "\">");
	html_text(h, f->id);
	html_raw(h, "</a>");
}

static void
table_open(struct html *h, const char *const *cols, const char *const *cls)
{
	size_t	i;

	html_raw(h, "<div class=\"table-wrap\"><table><thead><tr>");
	for (i = 0; cols[i] != NULL; i++) {
		if (cls != NULL && cls[i] != NULL)
			html_rawf(h, "<th class=\"%s\">%s</th>", cls[i],
			    cols[i]);
		else
			html_rawf(h, "<th>%s</th>", cols[i]);
	}
	html_raw(h, "</tr></thead><tbody>\n");
}

static void
table_close(struct html *h)
{
	html_raw(h, "</tbody></table></div>\n");
}

static void
section_open(struct html *h, const char *id, const char *title, bool major)
{
	html_rawf(h, "\n<section id=\"%s\"%s>\n<h2>%s</h2>\n", id,
	    major ? " class=\"major\"" : "", title);
}

static void
section_close(struct html *h)
{
	html_raw(h, "</section>\n");
}

/* ------------------------------------------------------------------ cover */

static void
cover_meta(struct html *h, const char *label, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	html_rawf(h, "<dt>%s</dt><dd>", label);
	html_text(h, value);
	html_raw(h, "</dd>\n");
}

static void
inputs_table(struct html *h, const struct evidence *ev)
{
	static const char *const cols[] = { "Input", "Bytes", "SHA-256", NULL };
	static const char *const cls[] = { NULL, "num", NULL, NULL };
	size_t			 i;

	if (ev == NULL || ev->ninputs == 0) {
		html_raw(h, "<p class=\"empty\">No inputs recorded.</p>\n");
		return;
	}
	table_open(h, cols, cls);
	for (i = 0; i < ev->ninputs; i++) {
		const struct input_info	*in = &ev->inputs[i];

		html_raw(h, "<tr><td>");
		html_text(h, in->path);
		html_rawf(h, "</td><td class=\"num\">%" PRIu64 "</td>"
		    "<td class=\"mono\">", in->bytes);
		if (in->sha256[0] != '\0')
			html_textn(h, in->sha256, strnlen(in->sha256,
			    sizeof in->sha256));
		else
			html_raw(h, "<span class=\"muted\">directory</span>");
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
}

static void
section_cover(struct html *h, const struct report *r)
{
	html_raw(h, "<header class=\"cover\">\n"
	    "<div class=\"kicker\">Exchange TLS and certificate mail flow"
	    "</div>\n"
	    "<h1>certtrail report</h1>\n"
	    "<p class=\"subtitle\">Offline analysis of an Exchange support "
	    "bundle: the root cause first, then the evidence behind it.</p>\n"
	    "<dl class=\"meta\">\n");
	cover_meta(h, "Case", r->case_id);
	cover_meta(h, "Customer", r->customer);
	cover_meta(h, "Analyst", r->analyst);
	html_raw(h, "<dt>As of</dt><dd>");
	html_time(h, r->as_of);
	html_raw(h, " <span class=\"muted\">(");
	html_text_or(h, r->as_of_source, "source unknown");
	html_raw(h, ")</span></dd>\n<dt>Tool</dt><dd>certtrail ");
	html_text_or(h, r->tool_version, "unknown");
	html_raw(h, "</dd>\n</dl>\n");
	inputs_table(h, r->ev);
	html_raw(h, "<nav class=\"toc\">"
	    "<a href=\"#root-cause\">Root cause</a>"
	    "<a href=\"#what-to-do\">What to do</a>"
	    "<a href=\"#findings\">All findings</a>"
	    "<a href=\"#certificates\">Certificates</a>"
	    "<a href=\"#send-connectors\">Send connectors</a>"
	    "<a href=\"#queues\">Queues</a>"
	    "<a href=\"#protocol-logs\">Protocol logs</a>"
	    "<a href=\"#gaps\">Evidence gaps</a>"
	    "<a href=\"#diagnostics\">Diagnostics</a>"
	    "<a href=\"#manifest\">Inputs and manifest</a>"
	    "</nav>\n</header>\n");
}

/* ------------------------------------------------------------- root cause */

/* What kind of evidence a sample is, judged by where it was read. */
static enum ev_kind
evidence_kind(const struct evidence *ev, const struct finding_evidence *fe)
{
	size_t	i;

	if (ev == NULL || fe->source == NULL)
		return EVK_OTHER;
	for (i = 0; i < ev->ntls; i++)
		if (ev->tls[i].log_source != NULL &&
		    strcmp(ev->tls[i].log_source, fe->source) == 0)
			return EVK_LOG;
	for (i = 0; i < ev->nqueues; i++)
		if (ev->queues[i].ref.source != NULL &&
		    strcmp(ev->queues[i].ref.source, fe->source) == 0)
			return EVK_SYMPTOM;
	for (i = 0; i < ev->nsymptoms; i++)
		if (ev->symptoms[i].ref.source != NULL &&
		    strcmp(ev->symptoms[i].ref.source, fe->source) == 0)
			return EVK_SYMPTOM;
	return EVK_OTHER;
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
	html_time(h, c->not_after);
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
    const struct finding *f, enum ev_kind kind, const char *label)
{
	const struct finding_evidence	*first = NULL;
	size_t				 i, samples = 0;
	long				 rows = 0;

	for (i = 0; i < f->nevidence; i++) {
		if (evidence_kind(ev, &f->evidence[i]) != kind)
			continue;
		if (first == NULL)
			first = &f->evidence[i];
		samples++;
		rows += f->evidence[i].count;
	}
	if (first == NULL)
		return;
	chain_item(h, label);
	if (kind == EVK_LOG)
		html_rawf(h, "<strong>%ld row%s</strong> like: ", rows,
		    rows == 1 ? "" : "s");
	html_raw(h, "\xe2\x80\x9c");
	html_text_short(h, first->text, CHAIN_TEXT_MAX);
	html_raw(h, "\xe2\x80\x9d");
	if (kind != EVK_LOG && samples > 1)
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
	chain_evidence(h, r->ev, f, EVK_SYMPTOM, "Symptom");
	chain_evidence(h, r->ev, f, EVK_LOG, "Log rows");
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

static void
root_cause_found(struct html *h, const struct report *r,
    const struct finding *f)
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
	html_text_or(h, f->title, "untitled finding");
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
	html_time(h, f->first_seen);
	html_raw(h, " to ");
	html_time(h, f->last_seen);
	html_raw(h, "</dd>\n</dl>\n");
	root_cause_chain(h, r, f);
	html_raw(h, "</section>\n");
}

static void
root_cause_none(struct html *h, const struct report *r)
{
	const struct gap_list	*g = r->gaps;
	size_t			 i, serious = 0;

	for (i = 0; i < report_nfindings(r); i++)
		if (r->findings->v[i].severity > SEV_INFO)
			serious++;
	html_raw(h, "\n<section id=\"root-cause\" class=\"root-cause none\">\n"
	    "<h2>Root cause</h2>\n");
	if (serious == 0) {
		html_raw(h, "<p class=\"rc-title\">No problem found</p>\n"
		    "<p class=\"rc-explanation\">Nothing in this bundle points "
		    "to a TLS or certificate fault in mail flow.");
		if (report_nfindings(r) > 0)
			html_raw(h, " The informational findings below are "
			    "for reference only.");
		html_raw(h, "</p>\n");
	} else {
		html_rawf(h, "<p class=\"rc-title\">No single root cause "
		    "identified</p>\n<p class=\"rc-explanation\">%zu finding%s "
		    "below need%s attention, but none explains the observed "
		    "symptoms on its own.</p>\n", serious,
		    serious == 1 ? "" : "s", serious == 1 ? "s" : "");
	}
	if (g == NULL || g->n == 0) {
		html_raw(h, "<p>No evidence gaps were recorded.</p>\n");
	} else {
		html_raw(h, "<p>This conclusion can only be as complete as the "
		    "bundle, which did not contain:</p>\n<ul>\n");
		for (i = 0; i < g->n; i++)
			html_elem(h, "li", NULL, g->v[i].what);
		html_raw(h, "</ul>\n");
	}
	html_raw(h, "</section>\n");
}

/* --------------------------------------------------------------- remedies */

static void
steps_list(struct html *h, const struct finding *f, bool anchors)
{
	size_t	i;

	html_raw(h, "<ol class=\"steps\">\n");
	for (i = 0; i < f->nremediation; i++) {
		const struct remediation_step	*s = &f->remediation[i];

		if (anchors)
			html_rawf(h, "<li id=\"step-%d\">", s->step);
		else
			html_raw(h, "<li>");
		html_rawf(h, "<span class=\"step-no\">%d</span>"
		    "<div class=\"step-body\"><p>", s->step);
		html_text(h, s->text);
		html_raw(h, "</p>");
		if (s->command != NULL && s->command[0] != '\0') {
			html_raw(h, "<pre><code>");
			html_text(h, s->command);
			html_raw(h, "</code></pre>");
		}
		html_raw(h, "</div></li>\n");
	}
	html_raw(h, "</ol>\n");
}

static void
section_what_to_do(struct html *h, const struct report *r)
{
	const struct finding	*f = report_root_cause(r);

	section_open(h, "what-to-do", "What to do", false);
	if (f == NULL) {
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
		steps_list(h, f, true);
	}
	section_close(h);
}

/* --------------------------------------------------------------- findings */

static void
severity_overview(struct html *h, const struct report *r)
{
	long	 counts[5] = { 0, 0, 0, 0, 0 }, total = 0, x = 0, w;
	int	 s, last = -1;

	if (r->findings != NULL)
		findings_count(r->findings, counts);
	for (s = SEV_CRITICAL; s >= SEV_INFO; s--) {
		total += counts[s];
		if (counts[s] > 0)
			last = s;
	}
	html_raw(h, "<div class=\"overview\">\n<svg viewBox=\"0 0 400 18\" "
	    "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"findings "
	    "by severity\">");
	if (total == 0)
		html_raw(h, "<rect class=\"s-none\" x=\"0\" y=\"0\" "
		    "width=\"400\" height=\"18\" rx=\"3\"/>");
	for (s = SEV_CRITICAL; s >= SEV_INFO && total > 0; s--) {
		if (counts[s] == 0)
			continue;
		/* The last segment takes the rounding remainder. */
		w = s == last ? 400 - x : counts[s] * 400 / total;
		html_rawf(h, "<rect class=\"s-%s\" x=\"%ld\" y=\"0\" "
		    "width=\"%ld\" height=\"18\"><title>%ld %s</title></rect>",
		    severity_name((enum severity)s), x, w, counts[s],
		    severity_name((enum severity)s));
		x += w;
	}
	html_raw(h, "</svg>\n<div class=\"legend\">");
	for (s = SEV_CRITICAL; s >= SEV_INFO; s--) {
		if (counts[s] > 0)
			html_rawf(h, "<span class=\"badge sev-%s\">",
			    severity_name((enum severity)s));
		else
			html_raw(h, "<span class=\"badge plain\">");
		html_rawf(h, "%ld %s</span>", counts[s],
		    severity_name((enum severity)s));
	}
	html_raw(h, "</div>\n</div>\n");
}

static void
findings_table(struct html *h, const struct report *r)
{
	static const char *const cols[] = { "ID", "Severity", "Rule", "Title",
	    "Servers", "Connectors", NULL };
	const struct finding	*root = report_root_cause(r);
	size_t			 i;

	table_open(h, cols, NULL);
	for (i = 0; i < r->findings->n; i++) {
		const struct finding	*f = &r->findings->v[i];

		html_raw(h, f == root ? "<tr class=\"is-root\"><td>" :
		    "<tr><td>");
		html_finding_anchor(h, f);
		html_raw(h, "</td><td>");
		html_badge(h, f->severity);
		html_raw(h, "</td><td><code>");
		html_text(h, f->rule);
		html_raw(h, "</code></td><td>");
		html_text(h, f->title);
		if (f == root)
			html_raw(h, " <span class=\"tag bad\">root cause"
			    "</span>");
		html_raw(h, "</td><td>");
		html_list(h, &f->servers, "");
		html_raw(h, "</td><td>");
		html_list(h, &f->connectors, "");
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
}

static void
finding_evidence_table(struct html *h, const struct finding *f)
{
	static const char *const cols[] = { "Source", "Line", "Text", "Count",
	    NULL };
	static const char *const cls[] = { NULL, "num", NULL, "num", NULL };
	size_t			 i;

	html_raw(h, "<h4>Evidence</h4>\n");
	if (f->nevidence == 0) {
		html_raw(h, "<p class=\"empty\">No evidence samples.</p>\n");
		return;
	}
	table_open(h, cols, cls);
	for (i = 0; i < f->nevidence; i++) {
		const struct finding_evidence	*e = &f->evidence[i];

		html_raw(h, "<tr><td class=\"mono path\">");
		html_text(h, e->source);
		html_raw(h, "</td><td class=\"num\">");
		if (e->line > 0)
			html_rawf(h, "%ld", e->line);
		html_raw(h, "</td><td class=\"mono text\">");
		html_text(h, e->text);
		html_rawf(h, "</td><td class=\"num\">%ld</td></tr>\n",
		    e->count);
	}
	table_close(h);
}

static void
finding_detail(struct html *h, const struct report *r,
    const struct finding *f)
{
	size_t	i;

	html_raw(h, "<article class=\"finding\" id=\"finding-");
	html_text(h, f->id);
	html_raw(h, "\">\n<header><span class=\"fid\">");
	html_text(h, f->id);
	html_raw(h, "</span><h3>");
	html_text_or(h, f->title, "untitled finding");
	html_raw(h, "</h3>");
	html_badge(h, f->severity);
	if (f == report_root_cause(r))
		html_raw(h, "<span class=\"tag bad\">root cause</span>");
	html_raw(h, "</header>\n<dl class=\"meta\">\n<dt>Rule</dt><dd><code>");
	html_text(h, f->rule);
	html_raw(h, "</code></dd>\n<dt>Servers</dt><dd>");
	html_list(h, &f->servers, "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Connectors</dt><dd>");
	html_list(h, &f->connectors, "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Thumbprints</dt><dd>");
	html_mono_list(h, &f->thumbprints,
	    "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Seen</dt><dd>");
	html_time(h, f->first_seen);
	html_raw(h, " to ");
	html_time(h, f->last_seen);
	html_raw(h, "</dd>\n</dl>\n");
	html_elem(h, "p", NULL, f->explanation);
	finding_evidence_table(h, f);
	html_raw(h, "<h4>Remediation</h4>\n");
	if (f->nremediation == 0)
		html_raw(h, "<p class=\"empty\">No steps recorded.</p>\n");
	else
		steps_list(h, f, false);
	if (f->references.n > 0) {
		html_raw(h, "<h4>References</h4>\n<ul>\n");
		for (i = 0; i < f->references.n; i++)
			html_elem(h, "li", NULL, f->references.v[i]);
		html_raw(h, "</ul>\n");
	}
	html_raw(h, "</article>\n");
}

static void
section_findings(struct html *h, const struct report *r)
{
	size_t	i;

	section_open(h, "findings", "All findings", true);
	severity_overview(h, r);
	if (report_nfindings(r) == 0) {
		html_raw(h, "<p class=\"empty\">No findings.</p>\n");
		section_close(h);
		return;
	}
	findings_table(h, r);
	html_raw(h, "<h3>Finding details</h3>\n");
	for (i = 0; i < r->findings->n; i++)
		finding_detail(h, r, &r->findings->v[i]);
	section_close(h);
}

/* -------------------------------------------------------------- inventory */

static void
section_certificates(struct html *h, const struct report *r)
{
	static const char *const cols[] = { "Server", "Thumbprint",
	    "Subject and domains", "Issuer", "Valid (not before, not after)",
	    "Services", "Status", "Private key", "Sources", NULL };
	const struct evidence	*ev = r->ev;
	size_t			 i;

	section_open(h, "certificates", "Certificates", true);
	if (ev == NULL || ev->ncerts == 0) {
		html_raw(h, "<p class=\"empty\">No certificates in the "
		    "bundle.</p>\n");
		section_close(h);
		return;
	}
	table_open(h, cols, NULL);
	for (i = 0; i < ev->ncerts; i++) {
		const struct ev_cert	*c = &ev->certs[i];

		html_raw(h, "<tr><td>");
		html_value(h, c->server);
		html_raw(h, "</td><td class=\"mono tp\">");
		html_value(h, c->thumbprint);
		html_raw(h, "</td><td>");
		html_value(h, c->subject);
		if (c->domains_known && c->domains.n > 0) {
			html_raw(h, "<br><span class=\"muted\">");
			html_list(h, &c->domains, "");
			if (c->domains_incomplete)
				html_raw(h, " (list cut in export)");
			html_raw(h, "</span>");
		}
		html_raw(h, "</td><td>");
		html_value(h, c->issuer);
		if (c->self_signed == TRI_TRUE)
			html_raw(h, " <span class=\"tag\">self-signed</span>");
		html_raw(h, "</td><td>");
		html_time(h, c->not_before);
		html_raw(h, "<br>");
		html_time(h, c->not_after);
		if (c->not_after != TIME_UNKNOWN && r->as_of != TIME_UNKNOWN &&
		    c->not_after < r->as_of)
			html_raw(h, " <span class=\"tag bad\">expired</span>");
		html_raw(h, "</td><td>");
		html_services(h, c->services);
		html_raw(h, "</td><td>");
		html_value(h, c->status);
		html_raw(h, "</td><td>");
		html_tri(h, c->has_private_key);
		html_raw(h, "</td><td class=\"mono path\">");
		html_mono_list(h, &c->sources, "");
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
	section_close(h);
}

static void
field_open(struct html *h, const char *label, bool wide)
{
	html_rawf(h, "<div%s><dt>%s</dt><dd>", wide ? " class=\"wide\"" : "",
	    label);
}

static void
field_close(struct html *h)
{
	html_raw(h, "</dd></div>\n");
}

/* Connectors have many fields and are few: one card each reads best. */
static void
send_connector_card(struct html *h, const struct ev_send_connector *c)
{
	html_raw(h, "<article class=\"record\">\n<h3>");
	html_text_or(h, c->name, "<span class=\"unknown\">name unknown</span>");
	html_raw(h, "</h3>\n<dl class=\"fields\">\n");
	field_open(h, "Enabled", false);
	html_tri(h, c->enabled);
	field_close(h);
	field_open(h, "Source servers", false);
	html_known_list(h, &c->source_servers, c->source_servers_known,
	    c->source_servers_incomplete);
	field_close(h);
	field_open(h, "FQDN", false);
	html_value(h, c->fqdn);
	field_close(h);
	field_open(h, "Require TLS", false);
	html_tri(h, c->require_tls);
	field_close(h);
	field_open(h, "TLS auth level", false);
	html_value(h, c->tls_auth_level);
	field_close(h);
	field_open(h, "TLS domain", false);
	html_value(h, c->tls_domain);
	field_close(h);
	field_open(h, "Smart hosts", false);
	html_known_list(h, &c->smart_hosts, c->smart_hosts_known, false);
	field_close(h);
	field_open(h, "Address spaces", false);
	html_known_list(h, &c->address_spaces, c->address_spaces_known, false);
	field_close(h);
	field_open(h, "Protocol logging", false);
	html_value(h, c->protocol_logging_level);
	field_close(h);
	field_open(h, "Cloud services mail", false);
	html_tri(h, c->cloud_services_mail_enabled);
	field_close(h);
	field_open(h, "TLS certificate name", true);
	if (c->tls_certificate_name != NULL) {
		html_raw(h, "<span class=\"mono\">");
		html_text(h, c->tls_certificate_name);
		html_raw(h, "</span>");
	} else
		html_raw(h, "<span class=\"muted\">not set</span>");
	field_close(h);
	field_open(h, "Sources", true);
	html_mono_list(h, &c->sources, "<span class=\"muted\">none</span>");
	field_close(h);
	html_raw(h, "</dl>\n</article>\n");
}

static void
section_send_connectors(struct html *h, const struct report *r)
{
	const struct evidence	*ev = r->ev;
	size_t			 i;

	section_open(h, "send-connectors", "Send connectors", true);
	if (ev == NULL || ev->nsendc == 0) {
		html_raw(h, "<p class=\"empty\">No send connectors in the "
		    "bundle.</p>\n");
		section_close(h);
		return;
	}
	for (i = 0; i < ev->nsendc; i++)
		send_connector_card(h, &ev->sendc[i]);
	section_close(h);
}

static void
symptoms_table(struct html *h, const struct evidence *ev)
{
	static const char *const cols[] = { "Server", "Connectors named",
	    "Thumbprint", "Message", "Source", NULL };
	size_t			 i;

	html_raw(h, "<h3>Error messages in transcripts</h3>\n");
	table_open(h, cols, NULL);
	for (i = 0; i < ev->nsymptoms; i++) {
		const struct ev_symptom	*s = &ev->symptoms[i];

		html_raw(h, "<tr><td>");
		html_value(h, s->server);
		html_raw(h, "</td><td>");
		html_list(h, &s->connectors, "");
		html_raw(h, "</td><td class=\"mono\">");
		html_text(h, s->thumbprint);
		html_raw(h, "</td><td class=\"text\">");
		html_text(h, s->text);
		html_raw(h, "</td><td class=\"mono\">");
		html_text(h, s->ref.source);
		if (s->ref.line > 0)
			html_rawf(h, ":%ld", s->ref.line);
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
}

static void
section_queues(struct html *h, const struct report *r)
{
	static const char *const cols[] = { "Identity", "Status", "Messages",
	    "Delivery type", "Next hop (domain, connector)", "TLS domain",
	    "Last error", "Last retry", NULL };
	static const char *const cls[] = { NULL, NULL, "num", NULL, NULL, NULL,
	    NULL, NULL, NULL };
	const struct evidence	*ev = r->ev;
	size_t			 i;

	section_open(h, "queues", "Queues", false);
	if (ev == NULL || ev->nqueues == 0) {
		html_raw(h, "<p class=\"empty\">No queues in the "
		    "bundle.</p>\n");
	} else {
		table_open(h, cols, cls);
		for (i = 0; i < ev->nqueues; i++) {
			const struct ev_queue	*q = &ev->queues[i];

			html_raw(h, "<tr><td class=\"mono\">");
			html_value(h, q->identity);
			html_raw(h, "</td><td>");
			html_value(h, q->status);
			html_raw(h, "</td><td class=\"num\">");
			html_long(h, q->message_count);
			html_raw(h, "</td><td>");
			html_value(h, q->delivery_type);
			html_raw(h, "</td><td>");
			html_value(h, q->next_hop_domain);
			if (q->next_hop_connector != NULL) {
				html_raw(h, "<br><span class=\"muted mono\">");
				html_text(h, q->next_hop_connector);
				html_raw(h, "</span>");
			}
			html_raw(h, "</td><td>");
			html_text(h, q->tls_domain);
			html_raw(h, "</td><td class=\"text\">");
			html_text(h, q->last_error);
			html_raw(h, "</td><td>");
			html_time(h, q->last_retry_time);
			html_raw(h, "</td></tr>\n");
		}
		table_close(h);
	}
	if (ev != NULL && ev->nsymptoms > 0)
		symptoms_table(h, ev);
	section_close(h);
}

static void
log_stat(struct html *h, const char *label, long n)
{
	html_raw(h, "<div><span class=\"n\">");
	html_long(h, n);
	html_rawf(h, "</span><span class=\"l\">%s</span></div>", label);
}

static void
tls_outcomes_table(struct html *h, const struct evidence *ev)
{
	static const char *const cols[] = { "Server", "Direction", "Connector",
	    "Certificate presented", "Outcome", "Protocol", "Count", "First",
	    "Last", "Log file", NULL };
	static const char *const cls[] = { NULL, NULL, NULL, NULL, NULL, NULL,
	    "num", NULL, NULL, NULL, NULL };
	size_t			 i;

	html_raw(h, "<h3>TLS outcomes</h3>\n");
	table_open(h, cols, cls);
	for (i = 0; i < ev->ntls; i++) {
		const struct ev_tls_agg	*a = &ev->tls[i];

		html_raw(h, "<tr><td>");
		html_value(h, a->server);
		html_raw(h, a->receive ? "</td><td>Receive</td><td>" :
		    "</td><td>Send</td><td>");
		html_text(h, a->connector);
		html_raw(h, "</td><td class=\"mono tp\">");
		html_text(h, a->cert_thumbprint);
		if (a->cert_subject != NULL) {
			html_raw(h, a->cert_thumbprint != NULL ? "<br>" : "");
			html_text(h, a->cert_subject);
		}
		html_raw(h, "</td><td>");
		if (a->ok) {
			html_raw(h, "<span class=\"tag good\">succeeded"
			    "</span>");
		} else {
			html_raw(h, "<span class=\"tag bad\">failed</span> ");
			html_text(h, a->error);
		}
		html_raw(h, "</td><td>");
		html_text(h, a->protocol);
		html_rawf(h, "</td><td class=\"num\">%ld</td><td>", a->count);
		html_time(h, a->first);
		html_raw(h, "</td><td>");
		html_time(h, a->last);
		html_raw(h, "</td><td class=\"mono path\">");
		html_text(h, a->log_source);
		if (a->sample_line > 0)
			html_rawf(h, ":%ld", a->sample_line);
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
}

static void
section_protocol_logs(struct html *h, const struct report *r)
{
	const struct evidence		*ev = r->ev;
	const struct log_summary	*l;

	section_open(h, "protocol-logs", "Protocol logs", true);
	if (ev == NULL || ev->logs.files == 0) {
		html_raw(h, "<p class=\"empty\">No SMTP protocol logs in the "
		    "bundle. Missing logs mean no evidence, not a healthy "
		    "server: only connectors with ProtocolLoggingLevel Verbose "
		    "write them.</p>\n");
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
	html_raw(h, "</div>\n<p>From ");
	html_time(h, l->first);
	html_raw(h, " to ");
	html_time(h, l->last);
	html_raw(h, ".</p>\n");
	if (ev->ntls > 0)
		tls_outcomes_table(h, ev);
	section_close(h);
}

/* ------------------------------------------------------------- appendices */

static void
section_gaps(struct html *h, const struct report *r)
{
	static const char *const cols[] = { "Missing", "How to collect it",
	    NULL };
	const struct gap_list	*g = r->gaps;
	size_t			 i;

	section_open(h, "gaps", "Evidence gaps", true);
	if (g == NULL || g->n == 0) {
		html_raw(h, "<p class=\"empty\">None recorded.</p>\n");
		section_close(h);
		return;
	}
	html_raw(h, "<p>What the bundle did not contain. Rules that needed "
	    "it stayed silent; collect it and run certtrail again.</p>\n");
	table_open(h, cols, NULL);
	for (i = 0; i < g->n; i++) {
		html_raw(h, "<tr><td>");
		html_text(h, g->v[i].what);
		html_raw(h, "</td><td>");
		if (g->v[i].collect != NULL && g->v[i].collect[0] != '\0') {
			html_raw(h, "<pre><code>");
			html_text(h, g->v[i].collect);
			html_raw(h, "</code></pre>");
		}
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
	section_close(h);
}

static void
section_diagnostics(struct html *h, const struct report *r)
{
	static const char *const cols[] = { "Level", "Source", "Message",
	    NULL };
	const struct diag_list	*dl = r->ev != NULL ? &r->ev->diags : NULL;
	size_t			 i;

	section_open(h, "diagnostics", "Diagnostics", false);
	if (dl == NULL || dl->n == 0) {
		html_raw(h, "<p class=\"empty\">None: every entry was "
		    "read.</p>\n");
		section_close(h);
		return;
	}
	html_rawf(h, "<p>Errors: %zu, warnings: %zu, notes: %zu. Each names "
	    "the part of the bundle that could not be read or "
	    "understood.</p>\n",
	    diag_count(dl, DIAG_ERROR), diag_count(dl, DIAG_WARNING),
	    diag_count(dl, DIAG_INFO));
	table_open(h, cols, NULL);
	for (i = 0; i < dl->n; i++) {
		const struct diag	*d = &dl->v[i];

		html_rawf(h, "<tr><td><span class=\"tag%s\">%s</span></td>"
		    "<td class=\"mono\">", d->level == DIAG_ERROR ? " bad" : "",
		    diag_level_name(d->level));
		html_text(h, d->source);
		html_raw(h, "</td><td>");
		html_text(h, d->message);
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
	section_close(h);
}

static void
manifest_table(struct html *h, const struct evidence *ev)
{
	static const char *const cols[] = { "Path", "Kind", "Bytes", "Modified",
	    "SHA-256", NULL };
	static const char *const cls[] = { NULL, NULL, "num", NULL, NULL,
	    NULL };
	size_t			 i;

	table_open(h, cols, cls);
	for (i = 0; i < ev->nentries; i++) {
		const struct manifest_entry	*e = &ev->entries[i];

		html_raw(h, "<tr><td class=\"mono\">");
		html_text(h, e->path);
		html_raw(h, "</td><td>");
		if (e->kind != NULL)
			html_text(h, e->kind);
		else
			html_unknown(h);
		html_rawf(h, "</td><td class=\"num\">%" PRIu64 "</td><td>",
		    e->bytes);
		html_time(h, e->mtime);
		html_raw(h, "</td><td class=\"mono\">");
		html_textn(h, e->sha256, strnlen(e->sha256, sizeof e->sha256));
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
}

static void
section_manifest(struct html *h, const struct report *r)
{
	const struct evidence	*ev = r->ev;
	bool			 fold;

	section_open(h, "manifest", "Inputs and manifest", true);
	html_raw(h, "<h3>Inputs</h3>\n");
	inputs_table(h, ev);
	html_raw(h, "<h3>Bundle entries</h3>\n");
	if (ev == NULL || ev->nentries == 0) {
		html_raw(h, "<p class=\"empty\">No entries recorded.</p>\n");
		section_close(h);
		return;
	}
	fold = ev->nentries > MANIFEST_FOLD;
	if (fold)
		html_rawf(h, "<details><summary>%zu entries (show)</summary>\n",
		    ev->nentries);
	manifest_table(h, ev);
	if (fold)
		html_raw(h, "</details>\n");
	section_close(h);
}

/* ------------------------------------------------------------------ write */

static void
report_body(struct html *h, const struct report *r)
{
	const struct finding	*root = report_root_cause(r);

	section_cover(h, r);
	if (root != NULL)
		root_cause_found(h, r, root);
	else
		root_cause_none(h, r);
	section_what_to_do(h, r);
	section_findings(h, r);
	section_certificates(h, r);
	section_send_connectors(h, r);
	section_queues(h, r);
	section_protocol_logs(h, r);
	section_gaps(h, r);
	section_diagnostics(h, r);
	section_manifest(h, r);
}

static char *
report_title(const struct report *r)
{
	struct html	 h;

	html_init(&h, 64 * 1024);
	html_raw(&h, "certtrail report");
	if (r->case_id != NULL && r->case_id[0] != '\0') {
		html_raw(&h, " \xe2\x80\x94 ");
		html_text(&h, r->case_id);
	}
	return buf_steal(&h.b, NULL);
}

static int
file_write_all(const char *path, const char *data, size_t len)
{
	FILE	*fp;
	int	 saved;

	if ((fp = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "certtrail: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, fp) != len || fflush(fp) != 0) {
		saved = errno;
		fclose(fp);
		fprintf(stderr, "certtrail: %s: %s\n", path, strerror(saved));
		return -1;
	}
	if (fclose(fp) != 0) {
		fprintf(stderr, "certtrail: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
out_html_write(const struct report *r, const char *path)
{
	struct html	 body, page;
	char		*title, *version;
	int		 rc = -1;

	html_init(&body, HTML_MAX);
	html_init(&page, HTML_MAX);
	report_body(&body, r);
	title = report_title(r);
	version = html_escape(r->tool_version ? r->tool_version : "",
	    r->tool_version ? strlen(r->tool_version) : 0);
	{
		const struct html_slot	slots[] = {
			{ "title", title, strlen(title) },
			{ "version", version, strlen(version) },
			{ "css", (const char *)report_css, report_css_len },
			{ "body", body.b.data, body.b.len },
		};

		html_fill_template(&page, (const char *)report_template,
		    report_template_len, slots, sizeof slots / sizeof slots[0]);
	}
	if (html_overflowed(&body) || html_overflowed(&page))
		fprintf(stderr, "certtrail: %s: report larger than %zu bytes\n",
		    path, HTML_MAX);
	else
		rc = file_write_all(path, page.b.data, page.b.len);
	free(title);
	free(version);
	html_free(&body);
	html_free(&page);
	return rc;
}

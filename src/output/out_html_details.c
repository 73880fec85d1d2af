/*
 * The engineer's part of report.html, after the root cause and what to do:
 * every finding with its evidence and remediation, a section per kind of
 * evidence the rules judged (its table or cards from its description,
 * columns.h, and its words from its descriptor, kinds/kind.h), and the
 * appendices (evidence gaps, diagnostics, inputs and manifest).
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "html_writer.h"
#include "model/kinds/kinds.h"
#include "model/kinds/queue.h"
#include "model/kinds/receive_connector.h"
#include "model/kinds/send_connector.h"
#include "out_html_sections.h"
#include "report.h"

/* Entries beyond this many are folded into a <details> element. */
#define MANIFEST_FOLD	30
/* Evidence samples shown per finding; the workbook has them all. */
#define EVIDENCE_SHOWN	5
/* On paper, fewer: the others stay on screen. */
#define EVIDENCE_PRINTED 3

/* --------------------------------------------------------------- findings */

/*
 * The active findings by severity, the resolved ones (incidents that are
 * over) counted apart: a critical incident that ended is not a critical
 * finding now.
 */
static void
severity_overview(struct html *h, const struct report *r)
{
	long	 counts[5] = { 0, 0, 0, 0, 0 }, total = 0, x = 0, w;
	long	 resolved = 0;
	int	 s, last = -1;

	if (r->findings != NULL)
		resolved = findings_count_active(r->findings, counts);
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
	if (resolved > 0)
		html_rawf(h, "<span class=\"badge resolved\">%ld resolved</span>",
		    resolved);
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
		if (f->status == FINDING_RESOLVED)
			html_raw(h, " <span class=\"tag ended\">resolved</span>");
		html_raw(h, "</td><td>");
		html_list(h, &f->servers, "");
		html_raw(h, "</td><td>");
		html_list(h, &f->connectors, "");
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
}

/*
 * A finding's evidence, bounded: its EVIDENCE_SHOWN samples that stand for
 * the most rows, largest first, and how many more the workbook's Evidence
 * sheet holds. The page grows with findings, never with log volume.
 */
static void
finding_evidence_table(struct html *h, const struct finding *f)
{
	static const char *const cols[] = { "Source", "Line", "Text", "Count",
	    NULL };
	static const char *const cls[] = { NULL, "num", NULL, "num", NULL };
	size_t			 shown[EVIDENCE_SHOWN], nshown = 0, i, j;
	long			 rest = 0, paper_rest = 0;

	html_raw(h, "<h4>Evidence</h4>\n");
	if (f->nevidence == 0) {
		html_raw(h, "<p class=\"empty\">No evidence samples.</p>\n");
		return;
	}
	/* The largest counts, ties in the finding's order. */
	for (i = 0; i < f->nevidence; i++) {
		for (j = nshown; j > 0 &&
		    f->evidence[shown[j - 1]].count < f->evidence[i].count; j--)
			if (j < EVIDENCE_SHOWN)
				shown[j] = shown[j - 1];
		if (j < EVIDENCE_SHOWN) {
			shown[j] = i;
			if (nshown < EVIDENCE_SHOWN)
				nshown++;
		}
	}
	for (i = 0; i < f->nevidence; i++)
		rest += f->evidence[i].count;
	table_open(h, cols, cls);
	for (i = 0; i < nshown; i++) {
		const struct finding_evidence	*e = &f->evidence[shown[i]];

		rest -= e->count;
		if (i >= EVIDENCE_PRINTED)
			paper_rest += e->count;
		html_raw(h, i < EVIDENCE_PRINTED ? "<tr><td class=\"mono path\">" :
		    "<tr class=\"screen-row\"><td class=\"mono path\">");
		html_path(h, e->source);
		html_raw(h, "</td><td class=\"num\">");
		if (e->line > 0)
			html_rawf(h, "%ld", e->line);
		html_raw(h, "</td><td class=\"mono text\">");
		html_text(h, e->text);
		html_raw(h, "</td><td class=\"num\">");
		html_long(h, e->count);
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
	if (f->nevidence > nshown)
		html_more(h, f->nevidence - nshown, "sample", rest, "row",
		    "Evidence");
	if (nshown > EVIDENCE_PRINTED) {
		html_raw(h, "<p class=\"more print-only\">");
		html_count(h, (long)(nshown - EVIDENCE_PRINTED));
		html_raw(h, " more of these samples (");
		html_count(h, paper_rest);
		html_rawf(h, " row%s): on screen.</p>\n", paper_rest == 1 ? "" :
		    "s");
	}
}

static void
finding_references(struct html *h, const struct finding *f)
{
	size_t	i;

	if (f->references.n > 0) {
		html_raw(h, "<h4>References</h4>\n<ul>\n");
		for (i = 0; i < f->references.n; i++)
			html_elem(h, "li", NULL, f->references.v[i]);
		html_raw(h, "</ul>\n");
	}
}

static void
finding_detail(struct html *h, const struct report *r,
    const struct finding *f)
{
	/* The root cause's are above in full: on paper it is not repeated. */
	html_raw(h, f == report_root_cause(r) ? "<article class=\"finding "
	    "is-root\" id=\"finding-" : "<article class=\"finding\" "
	    "id=\"finding-");
	html_text(h, f->id);
	html_raw(h, "\">\n<header><span class=\"fid\">");
	html_text(h, f->id);
	html_raw(h, "</span><h3>");
	html_text_or(h, f->title, "untitled finding");
	html_raw(h, "</h3>");
	html_badge(h, f->severity);
	if (f == report_root_cause(r))
		html_raw(h, "<span class=\"tag bad\">root cause</span>");
	if (f->status == FINDING_RESOLVED)
		html_raw(h, "<span class=\"tag ended\">resolved</span>");
	html_raw(h, "</header>\n");
	/* The root cause's facts, explanation and steps are shown above, once. */
	if (f == report_root_cause(r)) {
		html_raw(h, "<p class=\"muted\">Servers, certificates, the "
		    "explanation and the chain from symptom to fix are under "
		    "<a href=\"#root-cause\">Root cause</a>; the remediation "
		    "under <a href=\"#what-to-do\">What to do</a>.</p>\n");
		finding_evidence_table(h, f);
		finding_references(h, f);
		html_raw(h, "</article>\n");
		return;
	}
	html_raw(h, "<dl class=\"meta\">\n<dt>Rule</dt><dd><code>");
	html_text(h, f->rule);
	html_raw(h, "</code></dd>\n<dt>Servers</dt><dd>");
	html_list(h, &f->servers, "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Connectors</dt><dd>");
	html_list(h, &f->connectors, "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Thumbprints</dt><dd>");
	html_mono_list(h, &f->thumbprints,
	    "<span class=\"muted\">none named</span>");
	html_raw(h, "</dd>\n<dt>Seen</dt><dd>");
	html_finding_seen(h, f);
	if (f->status == FINDING_RESOLVED) {
		html_rawf(h, ", none since</dd>\n<dt>Worked since</dt><dd>%ld "
		    "successful handshake%s, ", f->ok_after,
		    f->ok_after == 1 ? "" : "s");
		html_time_range(h, f->ok_first, f->ok_last);
		html_raw(h, "</dd>\n<dt>What changed</dt><dd>");
		html_text_or(h, f->change, "not shown by the evidence");
	}
	html_raw(h, "</dd>\n</dl>\n");
	html_elem(h, "p", NULL, f->explanation);
	finding_evidence_table(h, f);
	html_raw(h, "<h4>Remediation</h4>\n");
	if (f->nremediation == 0)
		html_raw(h, "<p class=\"empty\">No steps recorded.</p>\n");
	else
		steps_list(h, f, false, report_root_cause(r));
	finding_references(h, f);
	html_raw(h, "</article>\n");
}

void
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
	/* On paper the root cause's details are above: a lone one needs no heading. */
	html_raw(h, r->findings->n == 1 && report_root_cause(r) != NULL ?
	    "<h3 class=\"screen-only\">Finding details</h3>\n" :
	    "<h3>Finding details</h3>\n");
	for (i = 0; i < r->findings->n; i++)
		finding_detail(h, r, &r->findings->v[i]);
	section_close(h);
}

/* ------------------------------------------------------------ the kinds */

/* ---------------------------------------------------- what findings name */

/* "EX01\\Default Frontend EX01" names "Default Frontend EX01" too. */
static bool
names_connector(const char *named, const char *name)
{
	const char	*a, *b;

	if (named == NULL || name == NULL)
		return false;
	a = strchr(named, '\\') ? strchr(named, '\\') + 1 : named;
	b = strchr(name, '\\') ? strchr(name, '\\') + 1 : name;
	return ascii_casecmp(a, b) == 0;
}

static bool
connector_named(const struct findings *fs, const char *name)
{
	size_t	i, j;

	for (i = 0; fs != NULL && i < fs->n; i++)
		for (j = 0; j < fs->v[i].connectors.n; j++)
			if (names_connector(fs->v[i].connectors.v[j], name))
				return true;
	return false;
}

static const char *
send_named(const struct col_ctx *x, const void *row)
{
	return connector_named(x->findings,
	    ((const struct ev_send_connector *)row)->name) ? "named" : NULL;
}

static const char *
receive_named(const struct col_ctx *x, const void *row)
{
	return connector_named(x->findings,
	    ((const struct ev_receive_connector *)row)->name) ? "named" : NULL;
}

/* A queue holding mail back is what the findings are about. */
static const char *
queue_named(const struct col_ctx *x, const void *row)
{
	const char	*st = ((const struct ev_queue *)row)->status;

	(void)x;
	return st != NULL && (ascii_casecmp(st, "Retry") == 0 ||
	    ascii_casecmp(st, "Suspended") == 0) ? "named" : NULL;
}

/*
 * Which records of a kind the findings are about ("named"): the page
 * marks them, and paper shows only them when there are others, counting
 * the rest.
 */
static const char *(*named_class(const struct ev_kind *k))(
    const struct col_ctx *, const void *)
{
	if (k->page.row_class != NULL)
		return k->page.row_class;
	if (k == &ev_kind_send_connectors)
		return send_named;
	if (k == &ev_kind_receive_connectors)
		return receive_named;
	if (k == &ev_kind_queues)
		return queue_named;
	return NULL;
}

/* A kind's records, or what stands for them when it has none. */
static void
kind_contents(struct html *h, const struct report *r, const struct ev_kind *k)
{
	const char	*(*cls)(const struct col_ctx *, const void *);
	struct col_ctx	 x = col_ctx_of(r);
	const void	*rows;
	size_t		 n, i, named = 0;

	rows = ev_kind_rows(k, r->ev, &n);
	if (n == 0) {
		html_rawf(h, "<p class=\"empty\">%s</p>\n",
		    k->page.empty_read != NULL && ev_kind_seen(k, r->ev) ?
		    k->page.empty_read : k->page.empty);
		return;
	}
	cls = named_class(k);
	for (i = 0; cls != NULL && i < n; i++)
		if (cls(&x, (const char *)rows + i * k->table->size) != NULL)
			named++;
	/* How to read a table: for the screen, where the table is whole. */
	if (k->page.intro != NULL)
		html_rawf(h, "<p class=\"muted intro\">%s</p>\n", k->page.intro);
	/* On paper: what the findings name, the others counted. */
	if (cls != NULL && named < n)
		html_raw(h, named > 0 ? "<div class=\"paper-named\">\n" :
		    "<div class=\"paper-named none\">\n");
	if (k->page.cards)
		html_cards(h, r, k->table, cls);
	else
		html_table(h, r, k->table, cls);
	if (cls != NULL && named < n) {
		html_raw(h, "</div>\n<p class=\"more print-only\">");
		html_count(h, (long)(n - named));
		html_rawf(h, " %s%s the findings do not name: on screen and "
		    "in the workbook, sheet %s.</p>\n", named > 0 ? "more " : "",
		    n - named == 1 ? k->one : k->many, k->table->sheet);
	}
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

/* The error messages of the refusal transcripts stand with the queues. */
static void
section_queues(struct html *h, const struct report *r, const struct ev_kind *k)
{
	section_open(h, k->page.id, k->page.title, k->page.major);
	kind_contents(h, r, k);
	if (r->ev != NULL && r->ev->nsymptoms > 0)
		symptoms_table(h, r->ev);
	section_close(h);
}

/* Sections that show more than their kind's records. */
static const struct {
	const struct ev_kind	*kind;
	void			(*write)(struct html *, const struct report *,
				    const struct ev_kind *);
} sections_of_their_own[] = {
	{ &ev_kind_queues, section_queues },
	{ &ev_kind_tls_outcomes, section_protocol_logs },
};

void
section_kind(struct html *h, const struct report *r, const struct ev_kind *k)
{
	size_t	i;

	for (i = 0; i < sizeof sections_of_their_own /
	    sizeof sections_of_their_own[0]; i++)
		if (sections_of_their_own[i].kind == k) {
			sections_of_their_own[i].write(h, r, k);
			return;
		}
	section_open(h, k->page.id, k->page.title, k->page.major);
	kind_contents(h, r, k);
	section_close(h);
}

/*
 * Whether a kind's section would hold only the sentence saying the bundle
 * has none: such kinds share one short list instead of a heading each.
 */
bool
section_kind_empty(const struct report *r, const struct ev_kind *k)
{
	size_t	n;

	if (r->ev == NULL)
		return true;
	if (k == &ev_kind_tls_outcomes)
		return !ev_kind_seen(k, r->ev);
	if (k == &ev_kind_queues && r->ev->nsymptoms > 0)
		return false;
	(void)ev_kind_rows(k, r->ev, &n);
	return n == 0;
}

/* The kinds the bundle has nothing of, each with its sentence and anchor. */
void
section_not_in_bundle(struct html *h, const struct report *r,
    const struct ev_kind *const *kinds)
{
	const struct ev_kind *const	*k;
	bool				 any = false;

	for (k = kinds; *k != NULL; k++) {
		if ((*k)->page.appendix || !section_kind_empty(r, *k))
			continue;
		if (!any)
			html_raw(h, "\n<section id=\"not-in-bundle\">\n<h2>Not "
			    "in the bundle</h2>\n<ul class=\"absent\">\n");
		any = true;
		html_rawf(h, "<li id=\"%s\"><strong>%s</strong>: %s</li>\n",
		    (*k)->page.id, (*k)->page.title,
		    (*k)->page.empty_read != NULL && r->ev != NULL &&
		    ev_kind_seen(*k, r->ev) ? (*k)->page.empty_read :
		    (*k)->page.empty);
	}
	if (any)
		html_raw(h, "</ul>\n</section>\n");
}

/* ------------------------------------------------------------- appendices */

void
section_gaps(struct html *h, const struct report *r)
{
	const struct gap_list	*g = r->gaps;

	section_open(h, "gaps", "Evidence gaps", true);
	if (g == NULL || g->n == 0) {
		html_raw(h, "<p class=\"empty\">None recorded.</p>\n");
		section_close(h);
		return;
	}
	html_raw(h, "<p>What the bundle lacks, each with the command that "
	    "collects it. Rules that needed it stayed silent; collect it and "
	    "run certtrail again.</p>\n");
	html_table(h, r, &table_gaps, NULL);
	section_close(h);
}

/* A note is for the screen; paper keeps the errors and warnings. */
static const char *
diag_row_class(const struct col_ctx *x, const void *row)
{
	(void)x;
	return ((const struct diag *)row)->level == DIAG_INFO ? "screen-row" :
	    NULL;
}

void
section_diagnostics(struct html *h, const struct report *r)
{
	const struct diag_list	*dl = r->ev != NULL ? &r->ev->diags : NULL;

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
	/* Notes only: on paper the counts above say it all. */
	if (diag_count(dl, DIAG_INFO) == dl->n)
		html_raw(h, "<div class=\"screen-only\">\n");
	html_table(h, r, &table_diagnostics, diag_row_class);
	if (diag_count(dl, DIAG_INFO) == dl->n)
		html_raw(h, "</div>\n");
	if (diag_count(dl, DIAG_INFO) > 0 && diag_count(dl, DIAG_INFO) < dl->n)
		html_rawf(h, "<p class=\"more print-only\">%zu note%s: on screen "
		    "and in the workbook, sheet Diagnostics.</p>\n",
		    diag_count(dl, DIAG_INFO), diag_count(dl, DIAG_INFO) == 1 ?
		    "" : "s");
	else if (diag_count(dl, DIAG_INFO) == dl->n)
		html_raw(h, "<p class=\"more print-only\">Notes only: on "
		    "screen and in the workbook, sheet Diagnostics.</p>\n");
	section_close(h);
}

/* An entry's status, and why when it was not read. */
static void
manifest_status(struct html *h, const struct manifest_entry *e)
{
	html_text(h, entry_status_name(e->status));
	if (e->why != NULL) {
		html_raw(h, ": ");
		html_text(h, e->why);
	}
	if (e->duplicate_of != NULL) {
		html_raw(h, ": the same bytes as <span class=\"mono\">");
		html_path(h, e->duplicate_of);
		html_raw(h, "</span>; its rows are not counted again");
	}
}

/*
 * Logs given twice, counted once: said above the list, which paper folds,
 * so that a reader of the figures knows the bundle held copies.
 */
static void
copies_said(struct html *h, const struct evidence *ev)
{
	const struct manifest_entry	*one;
	size_t				 n;

	if ((n = evidence_copies(ev, &one)) == 0)
		return;
	html_rawf(h, "<p>%zu protocol log%s repeat%s the bytes of another read "
	    "before, and %s counted once (%s<span class=\"mono\">", n,
	    n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "is" : "are",
	    n == 1 ? "" : "the first: ");
	html_path(h, one->path);
	html_raw(h, "</span>, the same as <span class=\"mono\">");
	html_path(h, one->duplicate_of);
	html_raw(h, "</span>).</p>\n");
}

/* Only the entries not read, or all of them. */
static void
manifest_table(struct html *h, const struct evidence *ev, bool unread_only)
{
	static const char *const cols[] = { "Path", "Kind", "Status", "Bytes",
	    "Modified", "SHA-256", NULL };
	static const char *const cls[] = { NULL, NULL, NULL, "num", NULL, NULL,
	    NULL };
	size_t			 i;

	table_open(h, cols, cls);
	for (i = 0; i < ev->nentries; i++) {
		const struct manifest_entry	*e = &ev->entries[i];

		if (unread_only && e->status == MANIFEST_READ)
			continue;
		html_raw(h, "<tr><td class=\"mono path\">");
		html_path(h, e->path);
		html_raw(h, "</td><td>");
		if (e->kind != NULL)
			html_text(h, e->kind);
		else
			html_unknown(h);
		html_raw(h, "</td><td>");
		manifest_status(h, e);
		html_rawf(h, "</td><td class=\"num\">%" PRIu64 "</td><td>",
		    e->bytes);
		html_time(h, e->mtime);
		/* Kept as wide as a thumbprint: a phone would stack it a character a line. */
		html_raw(h, "</td><td class=\"mono tp\">");
		html_textn(h, e->sha256, strnlen(e->sha256, sizeof e->sha256));
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
}

void
section_manifest(struct html *h, const struct report *r)
{
	const struct evidence	*ev = r->ev;
	char			*unread;
	bool			 fold;

	section_open(h, "manifest", "Inputs and manifest", true);
	html_raw(h, "<h3>Provenance</h3>\n<dl class=\"meta\">\n<dt>Tool</dt>"
	    "<dd>certtrail ");
	html_text_or(h, r->tool_version, "unknown");
	html_raw(h, "</dd>\n<dt>As of</dt><dd>");
	html_time(h, r->as_of);
	html_raw(h, " <span class=\"muted\">(");
	html_text_or(h, r->as_of_source, "source unknown");
	html_raw(h, ")</span></dd>\n</dl>\n<h3>Inputs</h3>\n");
	inputs_table(h, ev);
	html_raw(h, "<h3>Bundle entries</h3>\n");
	if (ev == NULL || ev->nentries == 0) {
		html_raw(h, "<p class=\"empty\">No entries recorded.</p>\n");
		section_close(h);
		return;
	}
	fold = ev->nentries > MANIFEST_FOLD;
	if (fold && (unread = evidence_unread_text(ev)) != NULL) {
		/* What was not read stays in sight when the list is folded. */
		unread[0] = (char)toupper((unsigned char)unread[0]);
		html_raw(h, "<p>");
		html_text(h, unread);
		html_raw(h, ":</p>\n");
		manifest_table(h, ev, true);
		free(unread);
	}
	copies_said(h, ev);
	/*
	 * On paper a long list stays folded: each entry with its size, time
	 * and SHA-256 is in the workbook and findings.json.
	 */
	if (fold)
		html_rawf(h, "<details><summary>%zu entries<span "
		    "class=\"screen-only\"> (show)</span><span "
		    "class=\"print-only\">, each with its size, time and "
		    "SHA-256 in report.xlsx (sheet Manifest) and findings.json "
		    "(entries)</span></summary>\n", ev->nentries);
	manifest_table(h, ev, false);
	if (fold)
		html_raw(h, "</details>\n");
	section_close(h);
}

/*
 * The Summary sheet (out_xlsx_sheet.h): the first screen's facts (summary.h)
 * as label and value, then the case labels and what the evidence held.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "baseline/baseline.h"
#include "out_xlsx_sheet.h"
#include "out_xlsx_text.h"
#include "model/kinds/kinds.h"
#include "rules/verdict.h"
#include "util/datetime.h"

#define SUMMARY_SUBJECT	"Exchange TLS and certificate mail flow"

/* A label in the first column, bold. */
static void
summary_label(struct sheet *s, const char *label)
{
	if (sheet_writable(s))
		sheet_write_text(s, s->row, 0, label, s->x->key);
}

/* A label and a value in the Summary's columns, the value formatted. */
static void
summary_fmt(struct sheet *s, const char *label, const char *value,
    lxw_format *f)
{
	summary_label(s, label);
	summary_span(s, 1, value, f, false);
	sheet_row_end(s);
}

static void
summary_str(struct sheet *s, const char *label, const char *value)
{
	summary_fmt(s, label, value, s->x->wrap);
}

/* A count; -1 is "unknown". */
static void
summary_count(struct sheet *s, const char *label, long n, lxw_format *f)
{
	if (n < 0) {
		summary_str(s, label, "unknown");
		return;
	}
	summary_label(s, label);
	/* A number fits the merged cell: it needs no measuring. */
	summary_span(s, 1, NULL, f != NULL ? f : s->x->num, false);
	if (sheet_writable(s))
		xlsx_check(s->x, worksheet_write_number(s->ws, s->row, 1,
		    (double)n, f != NULL ? f : s->x->num));
	sheet_row_end(s);
}

static void
summary_num(struct sheet *s, const char *label, long n)
{
	summary_count(s, label, n, NULL);
}

/* A date cell, or "unknown". */
static void
summary_time(struct sheet *s, const char *label, int64_t t)
{
	if (t == TIME_UNKNOWN || t < EXCEL_FIRST_TIME || t > EXCEL_LAST_TIME) {
		summary_str(s, label, "unknown");
		return;
	}
	summary_label(s, label);
	summary_span(s, 1, NULL, s->x->date, false);
	/* A date fits the merged cell, though not its first column alone. */
	if (sheet_writable(s))
		xlsx_check(s->x, worksheet_write_number(s->ws, s->row, 1,
		    excel_date(t), s->x->date));
	sheet_row_end(s);
}

static const char *
given(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "not given";
}

/*
 * A count of what the bundle may not hold: the number when it was
 * collected, else "unknown" and why, never 0.
 */
static void
summary_count_of(struct sheet *s, const char *label, bool known, long n,
    lxw_format *f, const char *why)
{
	char	*text;

	if (known) {
		summary_count(s, label, n, f);
		return;
	}
	text = xasprintf("unknown: %s", why);
	summary_fmt(s, label, text, s->x->wrap);
	free(text);
}

/* With --baseline: what the change achieved, against which file and servers. */
static void
summary_baseline(struct sheet *s, const struct baseline *b)
{
	char	*names;

	summary_fmt(s, "Since the baseline", b->text, s->x->wrap);
	summary_fmt(s, "Baseline file", b->before.path, s->x->wrap);
	names = xlsx_list_join(&b->compared, ", ");
	summary_fmt(s, "Servers compared", names != NULL ? names : "none",
	    s->x->wrap);
	free(names);
	if (b->before_only.n > 0) {
		names = xlsx_list_join(&b->before_only, ", ");
		summary_fmt(s, "Servers not re-collected", names, s->x->wrap);
		free(names);
	}
}

/*
 * "Contoso Ltd — Case CS-1042: Exchange TLS and certificate mail flow":
 * whose workbook this is and what about, in one title cell.
 */
static char *
summary_title(const struct report *r)
{
	bool	customer = r->customer != NULL && r->customer[0] != '\0';
	bool	case_id = r->case_id != NULL && r->case_id[0] != '\0';

	if (customer && case_id)
		return xasprintf("%s \xe2\x80\x94 Case %s: %s", r->customer,
		    r->case_id, SUMMARY_SUBJECT);
	if (customer || case_id)
		return xasprintf("%s%s: %s", customer ? "" : "Case ",
		    customer ? r->customer : r->case_id, SUMMARY_SUBJECT);
	return xstrdup(SUMMARY_SUBJECT);
}

/* The title: one cell over the sheet's width, the only one in its row. */
static void
summary_title_row(struct sheet *s, const struct report *r)
{
	char	*title = summary_title(r);
	double	 widest = s->fit[0];

	if (s->ws != NULL) {
		xlsx_check(s->x, worksheet_merge_range(s->ws, 0, 0, 0,
		    SUMMARY_SPAN, "", s->x->title));
		sheet_write_text(s, 0, 0, title, s->x->title);
		/* Merged: the first column need not be as wide as the title. */
		s->fit[0] = widest;
		xlsx_check(s->x, worksheet_set_row(s->ws, 0, 24, NULL));
	}
	s->lines = 0;
	free(title);
}

/* The verdict, what it means (impact), the fix and the findings by severity. */
static void
summary_verdict(struct sheet *s, const struct report *r,
    const struct summary *sm)
{
	static const char *const sev_label[] = { "Info findings",
	    "Low findings", "Medium findings", "High findings",
	    "Critical findings" };
	struct xlsx	*x = s->x;
	lxw_format	*vf;
	char		*names;
	int		 sev;
	size_t		 i;

	vf = r->verdict == NULL ? x->wrap :
	    r->verdict->state == VERDICT_CLEAR ? x->good :
	    r->verdict->state == VERDICT_ROOT_CAUSE ? x->sev[SEV_CRITICAL] :
	    r->verdict->state == VERDICT_PROBLEMS ? x->sev[SEV_MEDIUM] :
	    r->verdict->state == VERDICT_RESOLVED ? x->sev[SEV_LOW] : x->wrap;
	if (r->verdict != NULL)
		summary_fmt(s, "Verdict", verdict_heading(r->verdict->state),
		    vf);
	if (r->baseline != NULL)
		summary_baseline(s, r->baseline);
	summary_fmt(s, "What happened", sm->sentence, x->wrap);
	if (sm->fix != NULL)
		summary_fmt(s, "The fix", sm->fix, x->wrap);
	if (r->verdict != NULL && r->verdict->text != NULL)
		summary_fmt(s, "Why", r->verdict->text, x->wrap);
	summary_count_of(s, "Failed TLS handshakes", sm->logs_read, sm->failed,
	    sm->failed > 0 && r->verdict != NULL && r->verdict->state !=
	    VERDICT_RESOLVED ? x->sev[SEV_CRITICAL] : NULL,
	    "no protocol logs were collected");
	/* The page's scale: the share of every logged handshake that failed. */
	if (sm->logs_read && sm->handshakes > 0 && sm->failed >= 0) {
		summary_label(s, "Failed share of logged handshakes");
		summary_span(s, 1, NULL, x->pct, false);
		if (sheet_writable(s))
			xlsx_check(x, worksheet_write_number(s->ws, s->row, 1,
			    (double)sm->failed / (double)sm->handshakes, x->pct));
		sheet_row_end(s);
		summary_num(s, "TLS handshakes logged", sm->handshakes);
	}
	summary_count_of(s, "Messages queued for retry", sm->queues_read,
	    sm->queued, sm->queued != 0 ? x->sev[SEV_CRITICAL] : NULL,
	    "no Get-Queue output was collected");
	/* The row above counts the affected servers' queues only. */
	if (sm->queues_elsewhere > 0)
		summary_count(s, "Messages queued for retry on other servers",
		    sm->queued_elsewhere, x->sev[SEV_CRITICAL]);
	names = xlsx_list_join(&sm->servers, ", ");
	summary_fmt(s, "Servers affected", names != NULL ? names : "none",
	    x->wrap);
	free(names);
	if (sm->since != TIME_UNKNOWN)
		summary_time(s, sm->until != TIME_UNKNOWN ? "Failed from (UTC)" :
		    sm->failed > 0 ? "Failing since (UTC)" : "First seen (UTC)",
		    sm->since);
	if (sm->until != TIME_UNKNOWN)
		summary_time(s, "Failed until (UTC), none since", sm->until);
	/* Active findings by severity; the incidents that are over apart. */
	for (sev = SEV_CRITICAL; sev >= SEV_INFO; sev--)
		summary_count(s, sev_label[sev], sm->sev[sev],
		    sm->sev[sev] > 0 && sev > SEV_INFO ? x->sev[sev] : NULL);
	if (sm->resolved > 0)
		summary_count(s, "Resolved findings (incidents over)",
		    sm->resolved, NULL);
	if (sm->root != NULL) {
		summary_label(s, "Root cause");
		summary_span(s, 1, NULL, x->link, false);
		s->col = 1;
		sheet_link(s, "Findings", (lxw_row_t)(sm->root -
		    r->findings->v) + 1, 0, sm->root->id);
		sheet_row_end(s);
	} else if (sm->ended != NULL && r->verdict != NULL &&
	    r->verdict->state == VERDICT_RESOLVED) {
		summary_label(s, "Resolved incident");
		summary_span(s, 1, NULL, x->link, false);
		s->col = 1;
		sheet_link(s, "Findings", (lxw_row_t)(sm->ended -
		    r->findings->v) + 1, 0, sm->ended->id);
		sheet_row_end(s);
		summary_fmt(s, "What changed", sm->ended->change != NULL ?
		    sm->ended->change : "not shown by the evidence", x->wrap);
	}
	if (r->verdict != NULL)
		for (i = 0; i < r->verdict->incomplete.n; i++)
			summary_fmt(s, i == 0 ? "Not read (in whole or in part) or "
			    "skipped" : "",
			    r->verdict->incomplete.v[i], x->wrap);
}

/* The case labels and what the evidence held, for the engineer. */
static void
summary_facts(struct sheet *s, const struct report *r)
{
	const struct evidence	*ev = r->ev;

	sheet_row_end(s);		/* a blank row before the section */
	if (sheet_writable(s))
		sheet_write_text(s, s->row, 0, "The report", s->x->head);
	summary_span(s, 1, "The case, and what the bundle held", s->x->head,
	    false);
	sheet_row_end(s);
	summary_str(s, "Case", given(r->case_id));
	summary_str(s, "Customer", given(r->customer));
	summary_str(s, "Analyst", given(r->analyst));
	summary_time(s, "As of (UTC)", r->as_of);
	summary_str(s, "As-of source", r->as_of_source != NULL ?
	    r->as_of_source : "unknown");
	if (ev != NULL) {
		summary_count_of(s, "Certificates", ev_kind_seen(
		    &ev_kind_certificates, ev), (long)ev->ncerts, NULL,
		    "no Get-ExchangeCertificate output");
		summary_count_of(s, "Send connectors",
		    ev->saw_send_connector_dump || ev->nsendc > 0,
		    (long)ev->nsendc, NULL, "no Get-SendConnector output");
		summary_count_of(s, "Queues", queues_collected(ev),
		    (long)ev->nqueues, NULL, "no Get-Queue output");
		summary_num(s, "Protocol log files", ev->logs.files);
		summary_count_of(s, "Protocol log rows", logs_collected(ev),
		    ev->logs.rows, NULL, "no protocol logs");
		summary_count_of(s, "TLS handshakes succeeded",
		    logs_collected(ev), ev->logs.tls_ok, NULL,
		    "no protocol logs");
		summary_count_of(s, "TLS handshakes failed", logs_collected(ev),
		    ev->logs.tls_failed, NULL, "no protocol logs");
		if (logs_collected(ev)) {
			summary_time(s, "Logs from (UTC)", ev->logs.first);
			summary_time(s, "Logs to (UTC)", ev->logs.last);
		}
	}
	/* The gaps are listed above: no count of them here. */
	if (ev != NULL) {
		summary_num(s, "Diagnostics: errors",
		    (long)diag_count(&ev->diags, DIAG_ERROR));
		summary_num(s, "Diagnostics: warnings",
		    (long)diag_count(&ev->diags, DIAG_WARNING));
		summary_num(s, "Bundle entries", (long)ev->nentries);
	}
	summary_str(s, "Tool version", r->tool_version);
}

/*
 * The Summary a manager reads first: the verdict, what it means, the fix;
 * the per-server grid; every finding linked to its row; the gaps with the
 * commands that fill them; then the case and what the evidence held. A
 * key/value list and lists, not a table: no autofilter.
 */
void
sheet_summary(struct xlsx *x, const struct report *r,
    const struct summary *sm)
{
	/* No header row: the title is row 1, written once. */
	static const struct sheet_col cols[SUMMARY_SPAN + 1] = {
		{ "", 34, 0 },
		{ "", SUMMARY_SPAN_WIDTH, COL_WRAP },
		{ "", SUMMARY_SPAN_WIDTH, COL_WRAP },
		{ "", SUMMARY_SPAN_WIDTH, COL_WRAP },
		{ "", SUMMARY_SPAN_WIDTH, COL_WRAP },
		{ "", SUMMARY_SPAN_WIDTH, COL_WRAP },
		{ "", SUMMARY_SPAN_WIDTH, COL_WRAP },
	};
	struct sheet	s;

	sheet_begin(&s, x, "Summary", cols, NCOLS(cols), 0);
	summary_title_row(&s, r);
	summary_verdict(&s, r, sm);
	summary_lists(&s, r);
	summary_facts(&s, r);
	sheet_fit_columns(&s);
	/* The span's columns keep their width: merged values were measured so. */
	if (s.ws != NULL)
		xlsx_check(x, worksheet_set_column(s.ws, 1, SUMMARY_SPAN,
		    SUMMARY_SPAN_WIDTH, NULL));
}

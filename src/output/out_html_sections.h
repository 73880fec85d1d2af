/*
 * Private to report.html's writer (out_html*.c): the pieces every section is
 * built from (out_html_parts.c) and the detail sections that follow the root
 * cause (out_html_details.c). out_html.c assembles the page from them.
 */
#ifndef CERTTRAIL_OUT_HTML_SECTIONS_H
#define CERTTRAIL_OUT_HTML_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "html_writer.h"
#include "report.h"

/* The report's root cause finding, else NULL; how many findings it has. */
const struct finding *report_root_cause(const struct report *);
size_t	 report_nfindings(const struct report *);

/* Values: each shows "unknown" for an unknown value. */
void	 html_time(struct html *, int64_t);
/* "A to B", "from A", "until B", or that the evidence shows neither. */
void	 html_time_range(struct html *, int64_t, int64_t);
void	 html_cert_time(struct html *, int64_t, bool exact, bool label);
/*
 * A time with how it was read (model/time_zone.h) in a label beside it
 * when that is anything but UTC: "(server local time)", "(UTC, converted
 * from server local time (EX01 is UTC-08:00))".
 */
void	 html_time_read(struct html *, int64_t, bool exact, const char *read_as);
/* A finding's window: "A to B", labelled when it is server local time. */
struct finding;
void	 html_finding_seen(struct html *, const struct finding *);
void	 html_unknown(struct html *);
void	 html_value(struct html *, const char *);
void	 html_tri(struct html *, tri_t);
void	 html_long(struct html *, long);
/* A count with thousands separators ("78,941"); unknown when < 0. */
void	 html_count(struct html *, long);
/* A path that breaks only after a '/'. */
void	 html_path(struct html *, const char *);
/*
 * What a bounded list left out: "N more WHATs (COUNT UNITs) in the
 * workbook, sheet SHEET." (count < 0: no count).
 */
void	 html_more(struct html *, size_t n, const char *what, long count,
	    const char *unit, const char *sheet);
void	 html_services(struct html *, int mask);
void	 html_list(struct html *, const struct strlist *, const char *empty);
void	 html_known_list(struct html *, const struct strlist *, bool known,
	    bool incomplete);
void	 html_mono_list(struct html *, const struct strlist *,
	    const char *empty);
void	 html_text_short(struct html *, const char *, size_t max);
void	 html_badge(struct html *, enum severity);
void	 html_finding_anchor(struct html *, const struct finding *);

/* Scaffolding; column names and classes are trusted, NULL-terminated. */
void	 table_open(struct html *, const char *const *cols,
	    const char *const *cls);
void	 table_close(struct html *);
void	 section_open(struct html *, const char *id, const char *title,
	    bool major);
void	 section_close(struct html *);

/*
 * A described table (columns.h) as a table, with an optional class for
 * each row, bounded (the rows a class marks kept, the rest counted with the
 * workbook sheet that has them); or as one card per record, named by its
 * first column (out_html_table.c).
 */
struct col_ctx;
struct table;
void	 html_table(struct html *, const struct report *, const struct table *,
	    const char *(*row_class)(const struct col_ctx *, const void *));
void	 html_cards(struct html *, const struct report *, const struct table *,
	    const char *(*row_class)(const struct col_ctx *, const void *));
/* The rows idx[0 .. n) of a described table, in that order, unbounded. */
void	 html_table_rows(struct html *, const struct report *,
	    const struct table *,
	    const char *(*row_class)(const struct col_ctx *, const void *),
	    const size_t *idx, size_t n);

/* Blocks shown in more than one place. */
void	 inputs_table(struct html *, const struct evidence *);
/*
 * A finding's remediation steps; a command that a step of `root` (the root
 * cause, shown first) already gives becomes a link to that step.
 */
void	 steps_list(struct html *, const struct finding *, bool anchors,
	    const struct finding *root);

struct summary;

/* With --baseline, first of all: the comparison (out_html_baseline.c). */
void	 section_baseline(struct html *, const struct report *);

/* The first screen (out_html_summary.c). */
void	 section_verdict(struct html *, const struct report *,
	    const struct summary *);
void	 section_timeline(struct html *, const struct report *,
	    const struct summary *);
/* Servers by check, under the verdict (out_html_grid.c, server_grid.h). */
void	 section_server_grid(struct html *, const struct report *);

/* The sections after "What to do", in page order. */
void	 section_findings(struct html *, const struct report *);
/* A kind's section (kinds/kind.h), one per kind in the page's order. */
struct ev_kind;
void	 section_kind(struct html *, const struct report *,
	    const struct ev_kind *);
/* Whether the bundle has nothing of a kind; those share one list. */
bool	 section_kind_empty(const struct report *, const struct ev_kind *);
void	 section_not_in_bundle(struct html *, const struct report *,
	    const struct ev_kind *const *kinds);
/* The protocol logs: the worst failures, the successes summed (out_html_logs.c). */
void	 section_protocol_logs(struct html *, const struct report *,
	    const struct ev_kind *);
void	 section_gaps(struct html *, const struct report *);
void	 section_diagnostics(struct html *, const struct report *);
void	 section_manifest(struct html *, const struct report *);

#endif

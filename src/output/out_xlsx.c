/*
 * report.xlsx: the same report as tables an engineer can filter and sort.
 * One sheet per kind of fact, each a plain range with a bold header row, an
 * autofilter and frozen panes (not Excel tables, which libxlsxwriter cannot
 * write in constant-memory mode and which add nothing here). Sheet names are
 * fixed; no evidence text ever names one. This file sets the workbook up
 * (its formats and properties) and writes the sheets in their order; each
 * sheet's file is named in out_xlsx_sheet.h.
 *
 * The file is deterministic: the document's created time is the as-of time,
 * which libxlsxwriter also uses in place of the wall clock.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/kinds/kinds.h"
#include "out_xlsx_sheet.h"
#include "out_xlsx_text.h"
#include "rules/verdict.h"
#include "server_grid.h"
#include "util/datetime.h"
#include "util/parse_diag.h"

/* Document properties are short labels. */
#define PROP_TEXT_MAX	255
/* 1980-01-01T00:00:00Z: the created time when the as-of time is unknown. */
#define FALLBACK_CREATED	315532800

static lxw_format *
fill_format(struct xlsx *x, lxw_color_t bg, lxw_color_t ink)
{
	lxw_format	*f = workbook_add_format(x->wb);

	format_set_bg_color(f, bg);
	format_set_font_color(f, ink);
	format_set_bold(f);
	/* A count in a coloured cell reads like the text beside it. */
	format_set_align(f, LXW_ALIGN_LEFT);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	return f;
}

/* A grid cell: its state's colours, its few lines wrapped. */
static lxw_format *
grid_format(struct xlsx *x, lxw_color_t bg, lxw_color_t ink)
{
	lxw_format	*f = fill_format(x, bg, ink);

	format_set_text_wrap(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	return f;
}

static void
xlsx_formats(struct xlsx *x)
{
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_text_wrap(x->head);
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

	x->mono = workbook_add_format(x->wb);
	format_set_align(x->mono, LXW_ALIGN_VERTICAL_TOP);
	format_set_font_name(x->mono, "Consolas");
	format_set_font_size(x->mono, 10);

	x->mono_wrap = workbook_add_format(x->wb);
	format_set_align(x->mono_wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_font_name(x->mono_wrap, "Consolas");
	format_set_font_size(x->mono_wrap, 10);
	format_set_text_wrap(x->mono_wrap);

	x->date = workbook_add_format(x->wb);
	format_set_align(x->date, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->date, LXW_ALIGN_LEFT);
	format_set_num_format(x->date, "yyyy-mm-dd hh:mm:ss");
	x->day = workbook_add_format(x->wb);
	format_set_align(x->day, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->day, LXW_ALIGN_LEFT);
	format_set_num_format(x->day, "yyyy-mm-dd");
	x->hour = workbook_add_format(x->wb);
	format_set_align(x->hour, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->hour, LXW_ALIGN_LEFT);
	format_set_num_format(x->hour, "yyyy-mm-dd hh:mm");

	/* Conditional fills: the page's badge colours. */
	x->sev[SEV_CRITICAL] = fill_format(x, 0xFDECEC, 0xA61B1B);
	x->sev[SEV_HIGH] = fill_format(x, 0xFFF0E2, 0xB24A00);
	x->sev[SEV_MEDIUM] = fill_format(x, 0xFFF7D9, 0x8A6400);
	x->sev[SEV_LOW] = fill_format(x, 0xE8F0FD, 0x1D5FB8);
	x->sev[SEV_INFO] = NULL;
	x->good = fill_format(x, 0xE7F6ED, 0x1E7A46);
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 14);
	format_set_align(x->title, LXW_ALIGN_VERTICAL_TOP);
	x->link = workbook_add_format(x->wb);
	format_set_underline(x->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(x->link, 0x1F5FA8);
	format_set_align(x->link, LXW_ALIGN_VERTICAL_TOP);
	x->num = workbook_add_format(x->wb);
	format_set_align(x->num, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->num, LXW_ALIGN_LEFT);
	/* The grid's states (server_grid.h), the page's colours. */
	x->grid[GRID_NOT_COLLECTED] = grid_format(x, 0xEDEDED, 0x555555);
	x->grid[GRID_OK] = grid_format(x, 0xE7F6ED, 0x1E7A46);
	x->grid[GRID_RESOLVED] = grid_format(x, 0xE8F0FD, 0x1D5FB8);
	x->grid[GRID_WARNING] = grid_format(x, 0xFFF7D9, 0x8A6400);
	x->grid[GRID_PROBLEM] = grid_format(x, 0xFDECEC, 0xA61B1B);
	x->pct = workbook_add_format(x->wb);
	format_set_align(x->pct, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->pct, LXW_ALIGN_LEFT);
	format_set_num_format(x->pct, "0.0%");
	x->expired = fill_format(x, 0xFDECEC, 0xA61B1B);
	x->expiring = fill_format(x, 0xFFF7D9, 0x8A6400);
}

/* Document properties, all cleaned; the copies live until the close. */
struct xlsx_props {
	char	*title;
	char	*subject;
	char	*author;
	char	*company;
	char	*comments;
};

static char *
prop_text(const char *s)
{
	return s != NULL && s[0] != '\0' ? xlsx_text_fit(s, PROP_TEXT_MAX, false) :
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
	p->title = r->case_id != NULL && r->case_id[0] != '\0' ?
	    xasprintf("certtrail report \xe2\x80\x94 %s", r->case_id) :
	    xstrdup("certtrail report");
	subject = p->title;
	p->title = prop_text(subject);
	free(subject);
	p->author = prop_text(r->analyst);
	p->company = prop_text(r->customer);
	p->comments = prop_text(r->case_id);

	memset(&props, 0, sizeof props);
	props.title = p->title;
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
	struct xlsx_props	 props = { NULL, NULL, NULL, NULL, NULL };
	const struct ev_kind	*kinds[EV_NKINDS + 1], **k;
	struct summary		 sm;
	struct parse_diag	 pd;
	lxw_error		 closed;
	int			 rc = 0;

	memset(&x, 0, sizeof x);
	parse_diag_init(&pd, NULL, path);
	pd.print = true;
	if ((x.wb = workbook_new(path)) == NULL) {
		parse_problem(&pd, DIAG_ERROR, 0, "cannot create the workbook");
		return -1;
	}
	xlsx_formats(&x);
	xlsx_properties(&x, r, &props);
	summary_build(r, &sm);
	sheet_summary(&x, r, &sm);
	sheet_baseline(&x, r);
	sheet_findings(&x, r);
	sheet_remediation(&x, r);
	ev_kinds_page_order(kinds);
	for (k = kinds; *k != NULL; k++)
		if (!sheet_kind_not_collected(&x, r, *k))
			sheet_table(&x, r, (*k)->table);
	sheet_evidence(&x, r);
	if (r->ev != NULL && logs_collected(r->ev) && sm.nbuckets == 0 &&
	    r->ev->logs.tls_ok + r->ev->logs.tls_failed > 0)
		sheet_timeline_undated(&x, r->ev->logs.tls_ok +
		    r->ev->logs.tls_failed);
	else if (r->ev == NULL || logs_collected(r->ev))
		sheet_timeline(&x, &sm);
	else
		sheet_not_collected(&x, "Timeline",
		    ev_kind_tls_outcomes.gap_what,
		    ev_kind_tls_outcomes.gap_collect);
	sheet_table(&x, r, &table_gaps);
	sheet_table(&x, r, &table_diagnostics);
	sheet_manifest(&x, r->ev);

	/* The workbook is written, and most errors surface, only here. */
	closed = workbook_close(x.wb);
	if (x.err != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
		parse_problem(&pd, DIAG_ERROR, 0, "cannot write the workbook: "
		    "%s", lxw_strerror(x.err != LXW_NO_ERROR ? x.err : closed));
		/* A half-written workbook is worse than none. */
		unlink(path);
		rc = -1;
	}
	free(props.title);
	free(props.subject);
	free(props.author);
	free(props.company);
	free(props.comments);
	summary_free(&sm);
	return rc;
}

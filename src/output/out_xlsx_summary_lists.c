/*
 * The Summary sheet's lists (out_xlsx_sheet.h): every finding linked to its
 * row of the Findings sheet, the evidence gaps with the command that
 * collects each, and the per-server status grid (server_grid.h), the same
 * grid the page shows under its verdict.
 *
 * The Summary has a label column and SUMMARY_SPAN columns beside it: the
 * grid's checks each take one; a long value spans all of them, merged, and
 * its row is as tall as the text needs at the merged width.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "out_xlsx_sheet.h"
#include "out_xlsx_text.h"
#include "server_grid.h"

/* The last column of a merged value: as many columns as the grid's checks. */
#define SPAN_LAST	((lxw_col_t)SUMMARY_SPAN)
_Static_assert(SUMMARY_SPAN == GRID_NCHECKS, "a column per check");

/*
 * Text in columns first to SPAN_LAST of the current row, merged. The row
 * is as tall as the text needs at the merged width, not at its first
 * column's.
 */
void
summary_span(struct sheet *s, lxw_col_t first, const char *text,
    lxw_format *f, bool mono)
{
	double	 saved, widest, lines;
	char	*clean;

	if (!sheet_writable(s))
		return;
	xlsx_check(s->x, worksheet_merge_range(s->ws, s->row, first, s->row,
	    SPAN_LAST, "", f));
	if (text == NULL || text[0] == '\0')
		return;
	saved = s->lines;
	sheet_write_text(s, s->row, first, text, f);
	clean = xlsx_cell_text(text);
	lines = xlsx_text_lines(clean, SUMMARY_SPAN_WIDTH *
	    (double)(SPAN_LAST - first + 1), mono, &widest);
	free(clean);
	s->lines = lines > saved ? lines : saved;
}

/* A heading row: the section's name over the label column and the span. */
static void
summary_heading(struct sheet *s, const char *label, const char *over)
{
	if (!sheet_writable(s))
		return;
	sheet_row_end(s);		/* a blank row before each section */
	sheet_write_text(s, s->row, 0, label, s->x->head);
	summary_span(s, 1, over, s->x->head, false);
	sheet_row_end(s);
}

/* "critical, root cause": the severity, and the finding's part. */
static char *
finding_role(const struct report *r, size_t i)
{
	const struct finding	*f = &r->findings->v[i];

	if (f->status == FINDING_RESOLVED)
		return xasprintf("%s, resolved", severity_name(f->severity));
	if ((long)i == r->findings->root_cause)
		return xasprintf("%s, root cause", severity_name(f->severity));
	return xstrdup(severity_name(f->severity));
}

/* Each finding: its id linked to its row of the Findings sheet. */
static void
summary_findings(struct sheet *s, const struct report *r)
{
	const struct finding	*f;
	lxw_format		*fill;
	char			*role;
	size_t			 i, n = r->findings != NULL ? r->findings->n : 0;

	summary_heading(s, "Findings", "Severity, and what the evidence shows "
	    "(the link opens the finding's row)");
	if (n == 0) {
		if (sheet_writable(s))
			sheet_write_text(s, s->row, 0, "none", s->x->top);
		summary_span(s, 1, "no rule found a problem in the evidence",
		    s->x->wrap, false);
		sheet_row_end(s);
		return;
	}
	for (i = 0; i < n; i++) {
		f = &r->findings->v[i];
		/* The Findings sheet lists them in this order, from row 2. */
		s->col = 0;
		sheet_link(s, "Findings", (lxw_row_t)i + 1, 0, f->id);
		role = finding_role(r, i);
		fill = f->status == FINDING_ACTIVE && f->severity > SEV_INFO ?
		    s->x->sev[f->severity] : s->x->top;
		if (sheet_writable(s))
			sheet_write_text(s, s->row, 1, role, fill);
		free(role);
		summary_span(s, 2, f->title, s->x->wrap, false);
		sheet_row_end(s);
	}
}

/* Each gap: what the bundle lacks, then the command that collects it. */
static void
summary_gaps(struct sheet *s, const struct report *r)
{
	const struct gap_list	*g = r->gaps;
	size_t			 i;

	summary_heading(s, "Evidence gaps", "What the bundle lacks; rules that "
	    "needed it stayed silent");
	if (g == NULL || g->n == 0) {
		if (sheet_writable(s))
			sheet_write_text(s, s->row, 0, "none", s->x->top);
		summary_span(s, 1, "no evidence gap was recorded", s->x->wrap,
		    false);
		sheet_row_end(s);
		return;
	}
	for (i = 0; i < g->n; i++) {
		if (sheet_writable(s))
			sheet_write_text(s, s->row, 0, "Missing", s->x->key);
		summary_span(s, 1, g->v[i].what, s->x->wrap, false);
		sheet_row_end(s);
		if (g->v[i].collect == NULL || g->v[i].collect[0] == '\0')
			continue;
		if (sheet_writable(s))
			sheet_write_text(s, s->row, 0, "Collect it with",
			    s->x->top);
		summary_span(s, 1, g->v[i].collect, s->x->mono_wrap, true);
		sheet_row_end(s);
	}
}

/* "problem\n3 of 160 failed (1.9 %)\nF1, F2": the word, the note, the ids. */
static char *
grid_text(const struct grid_cell *c)
{
	char	*ids, *text;
	bool	 note = c->note[0] != '\0' &&
		    strcmp(c->note, grid_state_word(c->state)) != 0;

	ids = xlsx_list_join(&c->findings, ", ");
	text = xasprintf("%s%s%s%s%s", grid_state_word(c->state),
	    note ? "\n" : "", note ? c->note : "", ids != NULL ? "\n" : "",
	    ids != NULL ? ids : "");
	free(ids);
	return text;
}

/*
 * The per-server grid: one row per server, one column per check, each cell
 * its state in words and in colour, what the evidence holds and the
 * findings behind it.
 */
static void
summary_grid(struct sheet *s, const struct report *r)
{
	struct server_grid	 g;
	char			*text;
	size_t			 i;
	int			 k;

	server_grid_build(r, &g);
	sheet_row_end(s);		/* a blank row before the grid */
	if (sheet_writable(s)) {
		sheet_write_text(s, s->row, 0, "Server", s->x->head);
		for (k = 0; k < GRID_NCHECKS; k++)
			sheet_write_text(s, s->row, (lxw_col_t)k + 1,
			    grid_check_name((enum grid_check)k), s->x->head);
	}
	sheet_row_end(s);
	if (g.nrows == 0) {
		if (sheet_writable(s))
			sheet_write_text(s, s->row, 0, "none", s->x->top);
		summary_span(s, 1, "the evidence names no server", s->x->wrap,
		    false);
		sheet_row_end(s);
	}
	for (i = 0; i < g.nrows; i++) {
		if (sheet_writable(s))
			sheet_write_text(s, s->row, 0, g.rows[i].server,
			    s->x->key);
		for (k = 0; k < GRID_NCHECKS; k++) {
			text = grid_text(&g.rows[i].cells[k]);
			if (sheet_writable(s))
				sheet_write_text(s, s->row, (lxw_col_t)k + 1,
				    text, s->x->grid[g.rows[i].cells[k].state]);
			free(text);
		}
		sheet_row_end(s);
	}
	server_grid_free(&g);
}

void
summary_lists(struct sheet *s, const struct report *r)
{
	summary_grid(s, r);
	summary_findings(s, r);
	summary_gaps(s, r);
}

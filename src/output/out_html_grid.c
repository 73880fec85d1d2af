/*
 * The per-server status grid on the first screen, under the verdict: one
 * row per server, one cell per check, each cell its state in colour AND in
 * a word (a printout in black and white, or a reader who cannot tell red
 * from green, still reads it), with a short note and the findings behind
 * it. The states come from server_grid.c, which the workbook shares.
 */
#include "config.h"

#include <stdlib.h>

#include "out_html_sections.h"
#include "server_grid.h"

/* Servers shown; those with something wrong are kept first. */
#define GRID_SHOWN	12

static bool
row_troubled(const struct grid_row *row)
{
	int	k;

	for (k = 0; k < GRID_NCHECKS; k++)
		if (row->cells[k].state >= GRID_WARNING)
			return true;
	return false;
}

/* data-check names the check where a phone stacks the cells. */
static void
grid_cell(struct html *h, const struct grid_cell *c, enum grid_check k)
{
	size_t	i;

	html_rawf(h, "<td class=\"g g-%s\" data-check=\"%s\"><span "
	    "class=\"g-word\">%s</span>", grid_state_key(c->state),
	    grid_check_name(k), grid_state_word(c->state));
	if (c->state != GRID_NOT_COLLECTED) {
		html_raw(h, "<span class=\"g-note\">");
		html_text(h, c->note);
		html_raw(h, "</span>");
	}
	for (i = 0; i < c->findings.n; i++) {
		html_raw(h, i == 0 ? "<span class=\"g-refs\">" : ", ");
		html_raw(h, "<a href=\"#finding-");
		html_text(h, c->findings.v[i]);
		html_raw(h, "\">");
		html_text(h, c->findings.v[i]);
		html_raw(h, "</a>");
	}
	if (c->findings.n > 0)
		html_raw(h, "</span>");
	html_raw(h, "</td>");
}

void
section_server_grid(struct html *h, const struct report *r)
{
	struct server_grid	 g;
	size_t			 i, shown = 0, troubled = 0;
	int			 k;

	server_grid_build(r, &g);
	if (g.nrows == 0) {
		server_grid_free(&g);
		return;
	}
	for (i = 0; i < g.nrows; i++)
		if (row_troubled(&g.rows[i]))
			troubled++;
	html_raw(h, "\n<section id=\"server-grid\" class=\"keep\">\n<h2>Servers "
	    "at a glance</h2>\n<div class=\"table-wrap\"><table class=\"grid\">"
	    "<thead><tr><th>Server</th>");
	for (k = 0; k < GRID_NCHECKS; k++)
		html_rawf(h, "<th>%s</th>", grid_check_name((enum grid_check)k));
	html_raw(h, "</tr></thead><tbody>\n");
	/* In name order: the troubled servers all, the others while room is left. */
	for (i = 0; i < g.nrows && shown < GRID_SHOWN; i++) {
		bool bad = row_troubled(&g.rows[i]);

		if (!bad && shown + troubled >= GRID_SHOWN)
			continue;
		if (bad)
			troubled--;
		shown++;
		html_raw(h, "<tr><th scope=\"row\">");
		html_text(h, g.rows[i].server);
		html_raw(h, "</th>");
		for (k = 0; k < GRID_NCHECKS; k++)
			grid_cell(h, &g.rows[i].cells[k], (enum grid_check)k);
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table></div>\n");
	if (g.nrows > shown)
		html_more(h, g.nrows - shown, "server", -1, NULL, "Summary");
	html_raw(h, "</section>\n");
	server_grid_free(&g);
}

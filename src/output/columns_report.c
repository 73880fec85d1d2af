/*
 * The appendix tables: evidence gaps (what the bundle lacks and how to
 * collect it) and diagnostics (what could not be read, and why).
 */
#include "config.h"

#include "columns.h"

#define G	struct gap
#define D	struct diag

static const void *
gap_rows(const struct col_ctx *x, size_t *n)
{
	*n = x->gaps != NULL ? x->gaps->n : 0;
	return x->gaps != NULL ? x->gaps->v : NULL;
}

static const void *
diag_rows(const struct col_ctx *x, size_t *n)
{
	*n = x->ev != NULL ? x->ev->diags.n : 0;
	return x->ev != NULL ? x->ev->diags.v : NULL;
}

GET_STR(g_what, G, r->what)
GET_STR(g_collect, G, r->collect)

static const struct column gap_cols[] = {
	{ .key = "what", .label = "Missing", .width = 60, .type = COL_STR,
	  .style = COL_WRAP, .show = OUT_ALL, .get = g_what, .unknown = "" },
	{ .key = "collect", .label = "How to collect it", .width = 100,
	  .type = COL_STR, .style = COL_WRAP | COL_MONO, .show = OUT_ALL,
	  .get = g_collect, .unknown = "", .cls = "", .flags = COL_CODE },
};

const struct table table_gaps = {
	.key = "gaps", .sheet = "Gaps", .cols = gap_cols,
	.ncols = sizeof gap_cols / sizeof gap_cols[0], .freeze = 0,
	.rows = gap_rows, .size = sizeof(G)
};

/* An error is shown as one. */
COL_GETTER(d_level, D,
	col_str(v, diag_level_name(r->level));
	v->tone = r->level == DIAG_ERROR ? "bad" : "")
GET_STR(d_source, D, r->source)
GET_STR(d_message, D, r->message)

static const struct column diag_cols[] = {
	{ .key = "level", .label = "Level", .width = 10, .type = COL_STR,
	  .show = OUT_ALL, .get = d_level },
	{ .key = "source", .label = "Source", .width = 60, .type = COL_STR,
	  .style = COL_WRAP | COL_MONO, .show = OUT_ALL, .get = d_source,
	  .unknown = "", .cls = "mono path" },
	{ .key = "message", .label = "Message", .width = 100, .type = COL_STR,
	  .style = COL_WRAP, .show = OUT_ALL, .get = d_message,
	  .unknown = "", .cls = "" },
};

const struct table table_diagnostics = {
	.key = "diagnostics", .sheet = "Diagnostics", .cols = diag_cols,
	.ncols = sizeof diag_cols / sizeof diag_cols[0], .freeze = 0,
	.rows = diag_rows, .size = sizeof(D)
};

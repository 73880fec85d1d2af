/*
 * The sheets of the described tables (columns.h: every kind of evidence, the
 * gaps, the diagnostics), cell by cell as each column says, and the
 * Manifest.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "out_xlsx_sheet.h"
#include "out_xlsx_text.h"
#include "util/datetime.h"

/* Days before expiry that a certificate date is shaded as close. */
#define EXPIRY_SOON_DAYS	30

/*
 * Dates in column `col` before the as-of time shaded as expired, those
 * within EXPIRY_SOON_DAYS after it as close to expiry.
 */
static void
expiry_shading(struct sheet *s, lxw_col_t col, int64_t as_of)
{
	lxw_conditional_format	 cf;

	if (s->ws == NULL || s->row < 2 || as_of == TIME_UNKNOWN ||
	    as_of < EXCEL_FIRST_TIME || as_of > EXCEL_LAST_TIME)
		return;
	memset(&cf, 0, sizeof cf);
	cf.type = LXW_CONDITIONAL_TYPE_CELL;
	cf.criteria = LXW_CONDITIONAL_CRITERIA_BETWEEN;
	cf.min_value = 1;	/* not blank: an unknown date is no expiry */
	cf.max_value = excel_date(as_of);
	cf.format = s->x->expired;
	xlsx_check(s->x, worksheet_conditional_format_range(s->ws, 1, col,
	    s->row - 1, col, &cf));
	cf.min_value = excel_date(as_of);
	cf.max_value = excel_date(as_of) + EXPIRY_SOON_DAYS;
	cf.format = s->x->expiring;
	xlsx_check(s->x, worksheet_conditional_format_range(s->ws, 1, col,
	    s->row - 1, col, &cf));
}

/* A log group's sample rows, "path:line", one a line. */
static void
sheet_samples(struct sheet *s, const struct ev_log_group *g)
{
	struct buf	 b;
	char		*line;
	size_t		 i;

	if (g == NULL || g->nsamples == 0) {
		sheet_str(s, NULL);
		return;
	}
	buf_init(&b, (size_t)CELL_TEXT_MAX * 4);
	for (i = 0; i < g->nsamples; i++) {
		line = xasprintf("%s%s:%ld", i > 0 ? "\n" : "",
		    g->samples[i].source, g->samples[i].line);
		buf_append(&b, line, strlen(line));
		free(line);
	}
	line = buf_steal(&b, NULL);
	sheet_str(s, line);
	free(line);
}

/*
 * One cell of a described column (columns.h): dates and numbers as real
 * cells, blank when unknown; text says "unknown" (or what the column says
 * an unknown value means), and marks what the export cut.
 */
static void
sheet_cell(struct sheet *s, const struct column *c, const struct col_value *v)
{
	char	 svc[128], *marked;

	switch (c->type) {
	case COL_STR:
		if (!v->known) {
			sheet_str(s, c->unknown != NULL ? c->unknown : "unknown");
		} else if (v->incomplete) {
			marked = xasprintf("%s (cut in export)", v->s);
			sheet_str(s, marked);
			free(marked);
		} else
			sheet_str(s, v->text != NULL ? v->text : v->s);
		break;
	case COL_TIME:
		if (v->t == TIME_UNKNOWN && v->written != NULL) {
			/* Undecidable day/month order: shown, not read. */
			marked = xasprintf("%s (as written)", v->written);
			sheet_str(s, marked);
			free(marked);
		} else
			sheet_time(s, v->t);
		break;
	case COL_ZONE:
		/* Format-List text gives the server's clock, not UTC. */
		sheet_str(s, v->text != NULL ? v->text : v->t == TIME_UNKNOWN ?
		    NULL : v->exact ? "UTC" : "server local time");
		break;
	case COL_TRI:
		sheet_tri(s, v->tri);
		break;
	case COL_BOOL:
		sheet_tri(s, v->b ? TRI_TRUE : TRI_FALSE);
		break;
	case COL_INT:
	case COL_DAYS:
		/* A number column holds numbers: blank when unknown. */
		if (v->known)
			sheet_num(s, (double)v->n);
		else
			sheet_str(s, NULL);
		break;
	case COL_LIST:
		sheet_known_list(s, v->list, v->known, v->incomplete,
		    c->style & COL_MONO ? "\n" : ", ",
		    c->unknown != NULL ? c->unknown : "unknown");
		break;
	case COL_SERVICES:
		services_format(v->known ? v->services : SERVICES_UNKNOWN,
		    ", ", svc, sizeof svc);
		sheet_str(s, svc);
		break;
	case COL_SAMPLES:
		sheet_samples(s, v->group);
		break;
	}
}

/*
 * A sheet of a described table: the columns the workbook shows, in the
 * description's order, one row per record; dates of COL_EXPIRY columns
 * shaded when past or close at the as-of time.
 */
void
sheet_table(struct xlsx *x, const struct report *r, const struct table *t)
{
	struct sheet_col	 cols[SHEET_MAX_COLS];
	const struct column	*src[SHEET_MAX_COLS];
	struct col_ctx		 cx = col_ctx_of(r);
	struct col_value	 v;
	bool			 dated[SHEET_MAX_COLS];
	const void		*rows, *row;
	struct sheet		 s;
	lxw_col_t		 n = 0, k;
	size_t			 i, nrows;

	for (i = 0; i < t->ncols && n < SHEET_MAX_COLS; i++) {
		if (!(t->cols[i].show & OUT_XLSX))
			continue;
		cols[n].name = t->cols[i].label;
		cols[n].width = t->cols[i].width;
		cols[n].style = t->cols[i].style;
		dated[n] = false;
		src[n++] = &t->cols[i];
	}
	rows = t->rows(&cx, &nrows);
	sheet_begin(&s, x, t->sheet, cols, n, (lxw_col_t)t->freeze);
	for (i = 0; i < nrows; i++) {
		row = table_row(t, rows, i);
		for (k = 0; k < n; k++) {
			col_read(src[k], row, &cx, &v);
			if (src[k]->type == COL_TIME && v.known)
				dated[k] = true;
			sheet_cell(&s, src[k], &v);
			col_value_clear(&v);
		}
		sheet_row_end(&s);
	}
	for (k = 0; k < n; k++)
		if ((src[k]->flags & COL_EXPIRY) && dated[k])
			expiry_shading(&s, k, r->as_of);
	sheet_end(&s);
}

void
sheet_manifest(struct xlsx *x, const struct evidence *ev)
{
	static const struct sheet_col cols[] = {
		{ "Type", 8, 0 }, { "Path", 70, COL_WRAP | COL_MONO },
		{ "Kind", 18, 0 }, { "Status", 12, 0 },
		{ "Why", 50, COL_WRAP }, { "Bytes", 14, 0 },
		{ "Modified (UTC)", 19, 0 }, { "SHA-256", 72, COL_MONO }
	};
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "Manifest", cols, NCOLS(cols), 0);
	for (i = 0; ev != NULL && i < ev->ninputs; i++) {
		const struct input_info	*in = &ev->inputs[i];

		sheet_str(&s, "input");
		sheet_str(&s, in->path);
		sheet_str(&s, in->sha256[0] != '\0' ? "file" : "directory");
		sheet_str(&s, NULL);
		sheet_str(&s, NULL);
		sheet_num(&s, (double)in->bytes);
		sheet_str(&s, NULL);
		sheet_str(&s, in->sha256);
		sheet_row_end(&s);
	}
	for (i = 0; ev != NULL && i < ev->nentries; i++) {
		const struct manifest_entry	*e = &ev->entries[i];
		char				*copy = NULL;

		sheet_str(&s, "entry");
		sheet_str(&s, e->path);
		sheet_value(&s, e->kind);
		sheet_str(&s, entry_status_name(e->status));
		/* A read entry has no why, but a copy says what it repeats. */
		if (e->duplicate_of != NULL)
			copy = xasprintf("the same bytes as %s, read before it; "
			    "its rows are not counted again", e->duplicate_of);
		sheet_str(&s, copy != NULL ? copy : e->why);
		free(copy);
		sheet_num(&s, (double)e->bytes);
		sheet_time(&s, e->mtime);
		sheet_str(&s, e->sha256);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

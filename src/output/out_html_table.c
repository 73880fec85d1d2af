/*
 * The page's tables and cards of a described table (columns.h): one cell
 * per column the page shows, in the description's order, and the columns
 * that join a cell shown inside it, each on a line of its own (or on the
 * same line, COL_INLINE). Values from the bundle go through html_text*;
 * labels, prefixes and units are the program's own.
 */
#include "config.h"

#include <string.h>

#include "columns.h"
#include "out_html_sections.h"

/* Rows of a table shown on the page; the workbook has them all. */
#define TABLE_SHOWN	25
/* Cards are larger: fewer of them. */
#define CARDS_SHOWN	12

/*
 * Days left at the as-of time, in words and in colour: "expired 6 days ago",
 * "8 days left" (orange within 30 days), never colour alone.
 */
static void
days_left(struct html *h, const struct col_value *v)
{
	long long	d = v->n < 0 ? -v->n : v->n;

	if (!v->known) {
		html_raw(h, "<span class=\"days unknown\">days left unknown"
		    "</span>");
		return;
	}
	if (v->text != NULL) {
		html_raw(h, "<span class=\"days soon\">");
		html_text(h, v->text);
		html_raw(h, "</span>");
		return;
	}
	if (v->b)
		html_rawf(h, d == 0 ? "<span class=\"days expired\">expired "
		    "today</span>" : "<span class=\"days expired\">expired "
		    "%lld day%s ago</span>", d, d == 1 ? "" : "s");
	else
		html_rawf(h, "<span class=\"days %s\">%lld day%s left</span>",
		    d <= 30 ? "soon" : "fine", d, d == 1 ? "" : "s");
}

/*
 * Every sample row on screen; on paper only the first and how many more
 * (the rest are in findings.json and the workbook), so that a group is a
 * few lines high.
 */
static void
samples(struct html *h, const struct ev_log_group *g)
{
	size_t	i;

	for (i = 0; g != NULL && i < g->nsamples; i++) {
		if (i == 1)
			html_raw(h, "<span class=\"screen-only\">");
		html_raw(h, i > 0 ? "<br>" : "");
		html_path(h, g->samples[i].source);
		html_rawf(h, ":%ld", g->samples[i].line);
	}
	if (g != NULL && g->nsamples > 1)
		html_rawf(h, "</span><span class=\"print-only muted\"> and "
		    "%zu more</span>", g->nsamples - 1);
}

/* What an unknown value reads as: "unknown", or what the column says. */
static void
unknown(struct html *h, const struct column *c)
{
	if (c->unknown == NULL)
		html_unknown(h);
	else if (c->unknown[0] != '\0')
		html_rawf(h, "<span class=\"muted\">%s</span>", c->unknown);
}

/* A column of bundle paths: each breaks only after a '/'. */
static bool
is_path(const struct column *c)
{
	return c->cls != NULL && strstr(c->cls, "path") != NULL;
}

static void
path_list(struct html *h, const struct strlist *l)
{
	size_t	i;

	if (l->n == 0)
		html_raw(h, "<span class=\"muted\">none</span>");
	for (i = 0; i < l->n; i++) {
		html_raw(h, i > 0 ? "<br><span class=\"mono path\">" :
		    "<span class=\"mono path\">");
		html_path(h, l->v[i]);
		html_raw(h, "</span>");
	}
}

static void
value(struct html *h, const struct column *c, const struct col_value *v)
{
	const char	*text = v->text != NULL ? v->text : v->s;

	if (c->type == COL_TIME && !v->known && v->written != NULL) {
		/* Undecidable day/month order: shown as written, not read. */
		html_text(h, v->written);
		html_raw(h, " <span class=\"local\">(as written: the day/month "
		    "order is unknown)</span>");
		return;
	}
	if (!v->known && c->type != COL_DAYS && c->type != COL_BOOL) {
		unknown(h, c);
		return;
	}
	switch (c->type) {
	case COL_STR:
		if (c->flags & COL_CODE) {
			html_raw(h, "<pre><code>");
			html_text(h, text);
			html_raw(h, "</code></pre>");
		} else if (is_path(c))
			html_path(h, text);
		else
			html_text(h, text);
		if (v->incomplete)
			html_raw(h, " <span class=\"tag\">cut in export</span>");
		break;
	case COL_TIME:
		html_time_read(h, v->t, v->exact, v->text);
		break;
	case COL_ZONE:
		html_text(h, v->text != NULL ? v->text : v->exact ? "UTC" :
		    "server local time");
		break;
	case COL_TRI:
		html_tri(h, v->tri);
		break;
	case COL_BOOL:
		html_tri(h, v->b ? TRI_TRUE : TRI_FALSE);
		break;
	case COL_INT:
		html_rawf(h, "%lld", v->n);
		break;
	case COL_DAYS:
		days_left(h, v);
		break;
	case COL_LIST:
		if (is_path(c))
			path_list(h, v->list);
		else if (c->style & COL_MONO)
			html_mono_list(h, v->list,
			    "<span class=\"muted\">none</span>");
		else
			html_known_list(h, v->list, true, false);
		if (v->incomplete)
			html_raw(h, " <span class=\"tag\">list cut in export"
			    "</span>");
		break;
	case COL_SERVICES:
		html_services(h, v->services);
		break;
	case COL_SAMPLES:
		samples(h, v->group);
		break;
	}
}

/* A column's value in its own cell or field; a tone makes it a tag. */
static void
own_value(struct html *h, const struct column *c, const struct col_value *v)
{
	if (v->known && v->tone != NULL) {
		html_rawf(h, "<span class=\"tag%s%s\">", v->tone[0] ? " " : "",
		    v->tone);
		value(h, c, v);
		html_raw(h, "</span>");
	} else
		value(h, c, v);
	if (v->known && c->unit != NULL)
		html_raw(h, c->unit);
}

/*
 * A joined column inside another's cell: left out when unknown (the cell
 * stays short), else after its prefix ("Label: " unless the column gives
 * one), muted, or as a tag when the value has a tone.
 */
static void
joined_value(struct html *h, const struct column *c,
    const struct col_value *v)
{
	/* A date whose day/month order is unknown is shown as written. */
	if (!v->known && c->type != COL_DAYS &&
	    !(c->type == COL_TIME && v->written != NULL))
		return;
	if ((c->type == COL_STR && v->known && v->s[0] == '\0') ||
	    (c->type == COL_LIST && v->list->n == 0))
		return;
	html_raw(h, c->flags & COL_INLINE ? "" : "<br>");
	if (v->tone != NULL)
		html_rawf(h, "<span class=\"tag%s%s\">", v->tone[0] ? " " : "",
		    v->tone);
	else if (c->type == COL_TIME || c->type == COL_DAYS)
		html_raw(h, "<span>");	/* dates are read, not muted */
	else
		html_raw(h, c->style & COL_MONO ? "<span class=\"muted mono\">" :
		    "<span class=\"muted\">");
	if (c->prefix != NULL)
		html_raw(h, c->prefix);
	else
		html_rawf(h, "%s: ", c->label);
	value(h, c, v);
	if (v->known && c->unit != NULL)
		html_raw(h, c->unit);
	html_raw(h, "</span>");
}

static bool
on_page(const struct column *c)
{
	return (c->show & OUT_HTML) != 0;
}

static bool
has_cell(const struct column *c)
{
	return on_page(c) && c->join == NULL;
}

/* The cell's class: the column's, else by type and style. */
static const char *
cell_class(const struct column *c)
{
	if (c->cls != NULL)
		return c->cls[0] != '\0' ? c->cls : NULL;
	if (c->type == COL_INT)
		return "num";
	if (c->style & COL_MONO)
		return "mono";
	return NULL;
}

/*
 * Whether a cell shows nothing (an unknown value the column leaves blank):
 * such a cell takes no class, so that a column of identifiers nobody sent
 * shrinks to its header instead of keeping an identifier's width.
 */
static bool
blank_cell(const struct column *c, const void *row, const struct col_ctx *x)
{
	struct col_value	 v;
	bool			 blank;

	if (c->unknown == NULL || c->unknown[0] != '\0')
		return false;
	col_read(c, row, x, &v);
	blank = !v.known;
	col_value_clear(&v);
	return blank;
}

/*
 * Whether `join` names column c: "parent.key", or "key" for a column
 * without a parent. Compared in place: this runs for every cell.
 */
static bool
joins(const char *join, const struct column *c)
{
	size_t	n;

	if (c->parent == NULL)
		return strcmp(join, c->key) == 0;
	n = strlen(c->parent);
	return strncmp(join, c->parent, n) == 0 && join[n] == '.' &&
	    strcmp(join + n + 1, c->key) == 0;
}

/* A cell's own column, then every column that joins it. */
static void
cell_contents(struct html *h, const struct table *t, size_t k,
    const void *row, const struct col_ctx *x)
{
	const struct column	*c = &t->cols[k];
	struct col_value	 v;
	size_t			 j;

	col_read(c, row, x, &v);
	own_value(h, c, &v);
	col_value_clear(&v);
	for (j = 0; j < t->ncols; j++) {
		if (!on_page(&t->cols[j]) || t->cols[j].join == NULL ||
		    !joins(t->cols[j].join, c))
			continue;
		col_read(&t->cols[j], row, x, &v);
		joined_value(h, &t->cols[j], &v);
		col_value_clear(&v);
	}
}

/* A table's header row: the columns that have a cell of their own. */
static void
table_head(struct html *h, const struct table *t)
{
	size_t	k;

	html_raw(h, "<div class=\"table-wrap\"><table><thead><tr>");
	for (k = 0; k < t->ncols; k++) {
		if (!has_cell(&t->cols[k]))
			continue;
		html_rawf(h, t->cols[k].type == COL_INT ? "<th class=\"num\">%s"
		    "</th>" : "<th>%s</th>", t->cols[k].head != NULL ?
		    t->cols[k].head : t->cols[k].label);
	}
	html_raw(h, "</tr></thead><tbody>\n");
}

static void
table_row_cells(struct html *h, const struct table *t, const void *row,
    const struct col_ctx *x, const char *cls)
{
	size_t	k;

	if (cls != NULL)
		html_rawf(h, "<tr class=\"%s\">", cls);
	else
		html_raw(h, "<tr>");
	for (k = 0; k < t->ncols; k++) {
		if (!has_cell(&t->cols[k]))
			continue;
		if ((cls = cell_class(&t->cols[k])) != NULL &&
		    !blank_cell(&t->cols[k], row, x))
			html_rawf(h, "<td class=\"%s\">", cls);
		else
			html_raw(h, "<td>");
		cell_contents(h, t, k, row, x);
		html_raw(h, "</td>");
	}
	html_raw(h, "</tr>\n");
}

void
html_table_rows(struct html *h, const struct report *r, const struct table *t,
    const char *(*row_class)(const struct col_ctx *, const void *),
    const size_t *idx, size_t nidx)
{
	struct col_ctx	 x = col_ctx_of(r);
	const void	*rows, *row;
	size_t		 n, i;

	rows = t->rows(&x, &n);
	table_head(h, t);
	for (i = 0; i < nidx; i++) {
		if (idx[i] >= n)
			continue;
		row = table_row(t, rows, idx[i]);
		table_row_cells(h, t, row, &x,
		    row_class != NULL ? row_class(&x, row) : NULL);
	}
	table_close(h);
}

/* A row the findings name (class "named"). */
static bool
row_named(const char *(*row_class)(const struct col_ctx *, const void *),
    const struct col_ctx *x, const void *row)
{
	const char	*cls = row_class != NULL ? row_class(x, row) : NULL;

	return cls != NULL && strcmp(cls, "named") == 0;
}

/*
 * At most TABLE_SHOWN rows, in the table's order: those a finding names
 * (row_class "named") first chosen, then the others; the rest are counted
 * with where to find them.
 */
void
html_table(struct html *h, const struct report *r, const struct table *t,
    const char *(*row_class)(const struct col_ctx *, const void *))
{
	struct col_ctx	 x = col_ctx_of(r);
	const void	*rows;
	size_t		 idx[TABLE_SHOWN], n, i, k = 0, marked = 0;

	rows = t->rows(&x, &n);
	if (n <= TABLE_SHOWN) {
		for (i = 0; i < n; i++)
			idx[i] = i;
		html_table_rows(h, r, t, row_class, idx, n);
		return;
	}
	/* Marked rows up to the bound, then unmarked ones in order. */
	for (i = 0; i < n && marked < TABLE_SHOWN; i++)
		if (row_named(row_class, &x, table_row(t, rows, i)))
			marked++;
	for (i = 0; i < n && k < TABLE_SHOWN; i++) {
		bool m = row_named(row_class, &x, table_row(t, rows, i));

		if (m || k + marked < TABLE_SHOWN) {
			idx[k++] = i;
			if (m)
				marked--;
		}
	}
	html_table_rows(h, r, t, row_class, idx, k);
	html_more(h, n - k, "row", -1, NULL, t->sheet);
}

void
html_cards(struct html *h, const struct report *r, const struct table *t,
    const char *(*row_class)(const struct col_ctx *, const void *))
{
	struct col_ctx	 x = col_ctx_of(r);
	const void	*rows, *row;
	const char	*cls;
	size_t		 n, i, k, first;

	rows = t->rows(&x, &n);
	for (first = 0; first < t->ncols && !has_cell(&t->cols[first]);
	    first++)
		;
	for (i = 0; i < n && i < CARDS_SHOWN && first < t->ncols; i++) {
		row = table_row(t, rows, i);
		/* The first column names the card. */
		cls = row_class != NULL ? row_class(&x, row) : NULL;
		html_rawf(h, "<article class=\"record%s%s\">\n<h3>",
		    cls != NULL ? " " : "", cls != NULL ? cls : "");
		cell_contents(h, t, first, row, &x);
		html_raw(h, "</h3>\n<dl class=\"fields\">\n");
		for (k = first + 1; k < t->ncols; k++) {
			if (!has_cell(&t->cols[k]))
				continue;
			html_rawf(h, "<div%s><dt>%s</dt><dd>",
			    t->cols[k].flags & COL_WIDE ? " class=\"wide\"" : "",
			    t->cols[k].head != NULL ? t->cols[k].head :
			    t->cols[k].label);
			/* A list marks its own items. */
			cls = t->cols[k].type != COL_LIST ?
			    cell_class(&t->cols[k]) : NULL;
			if (cls != NULL)
				html_rawf(h, "<span class=\"%s\">", cls);
			cell_contents(h, t, k, row, &x);
			if (cls != NULL)
				html_raw(h, "</span>");
			html_raw(h, "</dd></div>\n");
		}
		html_raw(h, "</dl>\n</article>\n");
	}
	if (n > CARDS_SHOWN)
		html_more(h, n - CARDS_SHOWN, "record", -1, NULL,
		    t->sheet);
}

/*
 * A sheet filled row by row, cell by cell (out_xlsx_sheet.h). Presentation
 * is measured, not guessed per sheet: every text cell goes through
 * sheet_write_text, which notes how wide its column must be and how many
 * lines its row needs, so columns fit their content (up to the width a
 * column allows) and wrapped rows are tall enough that no text overlaps, in
 * Excel or LibreOffice (which do not grow rows written with a height).
 * Commands, thumbprints and hashes are in a monospace font; dates are real
 * date cells, blank when unknown.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out_xlsx_sheet.h"
#include "out_xlsx_text.h"
#include "util/datetime.h"

/* Points per line of the default font (Calibri 11), and the most a row holds. */
#define LINE_POINTS		15.0
#define ROW_MAX_POINTS		409.0
/* The widest an unwrapped column may grow. */
#define NOWRAP_MAX_WIDTH	80.0

void
xlsx_check(struct xlsx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = e;
}

/* Notes what a cell's text needs: its column's width, its row's lines. */
void
sheet_measure(struct sheet *s, lxw_col_t col, const char *text, bool head)
{
	const struct sheet_col	*c;
	double			 widest, lines;

	if (s->cols == NULL || col >= s->ncols || col >= SHEET_MAX_COLS)
		return;
	c = &s->cols[col];
	lines = xlsx_text_lines(text, c->style & COL_WRAP ? c->width : 1e9,
	    (c->style & COL_MONO) && !head, &widest);
	if (head)
		widest *= 1.1;		/* bold */
	if (widest > s->fit[col])
		s->fit[col] = widest;
	if (lines > s->lines)
		s->lines = lines;
}

/*
 * Every string of the workbook is written here, and only here: labels,
 * headers and notes as well as bundle text, cleaned, cut to what a cell
 * holds and defused (xlsx_cell_text), written as a string, never as a
 * formula.
 */
void
sheet_write_text(struct sheet *s, lxw_row_t row, lxw_col_t col,
    const char *text, lxw_format *f)
{
	char	*clean;

	if (s->ws == NULL || text == NULL || text[0] == '\0')
		return;
	clean = xlsx_cell_text(text);
	sheet_measure(s, col, clean, f == s->x->head);
	xlsx_check(s->x, worksheet_write_string(s->ws, row, col, clean, f));
	free(clean);
}

void
sheet_begin(struct sheet *s, struct xlsx *x, const char *name,
    const struct sheet_col *cols, lxw_col_t ncols, lxw_col_t freeze_cols)
{
	lxw_col_t	c;

	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", name);
	s->x = x;
	s->cols = cols;
	s->ncols = ncols;
	s->ws = workbook_add_worksheet(x->wb, name);
	if (s->ws == NULL) {
		xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (c = 0; c < ncols; c++)
		sheet_write_text(s, 0, c, cols[c].name, x->head);
	s->lines = 0;
	worksheet_freeze_panes(s->ws, 1, freeze_cols);
	worksheet_set_landscape(s->ws);
	worksheet_fit_to_pages(s->ws, 1, 0);
	xlsx_check(x, worksheet_repeat_rows(s->ws, 0, 0));
	s->row = 1;
}

/* The format for the current cell: its column's, or a number's. */
static lxw_format *
sheet_format(const struct sheet *s)
{
	const struct sheet_col	*c;

	if (s->cols == NULL || s->col >= s->ncols)
		return s->x->top;
	c = &s->cols[s->col];
	if (c->style & COL_MONO)
		return c->style & COL_WRAP ? s->x->mono_wrap : s->x->mono;
	return c->style & COL_WRAP ? s->x->wrap : s->x->top;
}

/* True when the current row can be written (the sheet is not full). */
bool
sheet_writable(struct sheet *s)
{
	return s->ws != NULL && s->row < LXW_ROW_MAX - 1;
}

void
sheet_str(struct sheet *s, const char *text)
{
	if (sheet_writable(s))
		sheet_write_text(s, s->row, s->col, text, sheet_format(s));
	s->col++;
}

/* A string that may be unknown. */
void
sheet_value(struct sheet *s, const char *text)
{
	sheet_str(s, text != NULL ? text : "unknown");
}

void
sheet_num(struct sheet *s, double n)
{
	char	digits[32];

	if (sheet_writable(s)) {
		snprintf(digits, sizeof digits, "%.15g", n);
		sheet_measure(s, s->col, digits, false);
		xlsx_check(s->x, worksheet_write_number(s->ws, s->row, s->col,
		    n, s->x->top));
	}
	s->col++;
}

/* A count that is -1 when unknown. */
void
sheet_long(struct sheet *s, long n)
{
	if (n < 0)
		sheet_str(s, "unknown");
	else
		sheet_num(s, (double)n);
}

double
excel_date(int64_t t)
{
	return EXCEL_EPOCH_DAYS + (double)t / 86400.0;
}

/*
 * A real date cell; blank when unknown (a date column holds dates only).
 * Only a time Excel cannot show (before 1900-03-01) stays ISO text.
 */
void
sheet_time_as(struct sheet *s, int64_t t, lxw_format *fmt, const char *shape)
{
	char	iso[32];

	if (t == TIME_UNKNOWN) {
		sheet_str(s, NULL);
		return;
	}
	if (t < EXCEL_FIRST_TIME || t > EXCEL_LAST_TIME) {
		time_text(t, iso, sizeof iso);
		sheet_str(s, iso);
		return;
	}
	if (sheet_writable(s)) {
		sheet_measure(s, s->col, shape, false);
		xlsx_check(s->x, worksheet_write_number(s->ws, s->row, s->col,
		    excel_date(t), fmt));
	}
	s->col++;
}

void
sheet_time(struct sheet *s, int64_t t)
{
	sheet_time_as(s, t, s->x->date, "2026-11-10 08:51:12");
}

void
sheet_tri(struct sheet *s, tri_t t)
{
	sheet_str(s, tri_text(t));
}

void
sheet_list(struct sheet *s, const struct strlist *l, const char *sep)
{
	char	*joined = xlsx_list_join(l, sep);

	sheet_str(s, joined);
	free(joined);
}

/*
 * A list the export may not have carried (`unknown` says so), or may have
 * cut short.
 */
void
sheet_known_list(struct sheet *s, const struct strlist *l, bool known,
    bool incomplete, const char *sep, const char *unknown)
{
	char	*joined, *marked;

	if (!known) {
		sheet_str(s, unknown);
		return;
	}
	joined = xlsx_list_join(l, sep);
	if (joined == NULL) {
		sheet_str(s, "none");
		return;
	}
	if (incomplete) {
		marked = xasprintf("%s \xe2\x80\xa6(list cut in export)",
		    joined);
		sheet_str(s, marked);
		free(marked);
	} else
		sheet_str(s, joined);
	free(joined);
}

/* A row whose wrapped text needs more than one line is made that tall. */
void
sheet_row_end(struct sheet *s)
{
	double	points = s->lines * LINE_POINTS;

	if (sheet_writable(s)) {
		if (s->lines > 1)
			xlsx_check(s->x, worksheet_set_row(s->ws, s->row,
			    points < ROW_MAX_POINTS ? points : ROW_MAX_POINTS,
			    NULL));
		s->row++;
	} else
		s->dropped++;
	s->col = 0;
	s->lines = 0;
}

/* Each column as wide as its widest text, within what the column allows. */
void
sheet_fit_columns(struct sheet *s)
{
	lxw_col_t	c;
	double		w, most;

	for (c = 0; c < s->ncols && c < SHEET_MAX_COLS; c++) {
		most = s->cols[c].style & COL_WRAP ? s->cols[c].width :
		    NOWRAP_MAX_WIDTH;
		w = s->fit[c] + 1.5;
		if (w > most)
			w = most;
		if (w < 6)
			w = 6;
		xlsx_check(s->x, worksheet_set_column(s->ws, c, c, w, NULL));
	}
}

/*
 * The table's name: the sheet's words run together ("Send connectors" is
 * SendConnectors), as Power Query and pivot tables find it. Sheet names are
 * the program's own and distinct, so the table names are too.
 */
static void
sheet_table_name(const char *sheet, char *out, size_t size)
{
	size_t	n = 0;
	bool	up = true;

	for (; *sheet != '\0' && n + 1 < size; sheet++) {
		if ((*sheet >= 'a' && *sheet <= 'z') ||
		    (*sheet >= 'A' && *sheet <= 'Z') ||
		    (*sheet >= '0' && *sheet <= '9' && n > 0)) {
			out[n++] = up && *sheet >= 'a' && *sheet <= 'z' ?
			    (char)(*sheet - 'a' + 'A') : *sheet;
			up = false;
		} else
			up = true;
	}
	out[n] = '\0';
}

/*
 * An Excel table over the header and the rows written, so a consultant can
 * pivot, slice, or pull many reports into Power Query by table name. Excel
 * wants at least one row in a table: a sheet without rows keeps a plain
 * autofilter on its header.
 */
static void
sheet_add_table(struct sheet *s, lxw_row_t last)
{
	lxw_table_column	 cols[SHEET_MAX_COLS];
	lxw_table_column	*list[SHEET_MAX_COLS + 1];
	lxw_table_options	 opt;
	char			 name[40];
	lxw_col_t		 c;

	if (last < 1 || s->ncols == 0 || s->ncols > SHEET_MAX_COLS) {
		xlsx_check(s->x, worksheet_autofilter(s->ws, 0, 0, 0,
		    s->ncols > 0 ? s->ncols - 1 : 0));
		return;
	}
	memset(cols, 0, sizeof cols);
	for (c = 0; c < s->ncols; c++) {
		/* The header cells are the table's: it writes them again. */
		cols[c].header = (char *)s->cols[c].name;
		cols[c].header_format = s->x->head;
		list[c] = &cols[c];
	}
	list[s->ncols] = NULL;
	sheet_table_name(s->name, name, sizeof name);
	memset(&opt, 0, sizeof opt);
	opt.name = name;
	opt.style_type = LXW_TABLE_STYLE_TYPE_LIGHT;
	opt.style_type_number = 1;
	opt.columns = list;
	xlsx_check(s->x, worksheet_add_table(s->ws, 0, 0, last,
	    s->ncols - 1, &opt));
}

void
sheet_end(struct sheet *s)
{
	char		*note;
	lxw_row_t	 last;

	if (s->ws == NULL)
		return;
	last = s->row > 1 ? s->row - 1 : 0;
	if (s->dropped > 0) {
		/* The one row kept free for this: nothing vanishes silently. */
		note = xasprintf("%ld more rows do not fit in a worksheet; "
		    "findings.json has them all", s->dropped);
		sheet_write_text(s, s->row, 0, note, s->x->top);
		free(note);
	}
	sheet_fit_columns(s);
	sheet_add_table(s, last);
}

/*
 * An internal link to a cell of another sheet. The text is the program's
 * own ("3 samples", "F1"), never bundle text, and the target names a sheet
 * by its fixed name.
 */
void
sheet_link(struct sheet *s, const char *sheet, lxw_row_t row,
    lxw_col_t col, const char *text)
{
	char	url[96];

	if (sheet_writable(s) && row < LXW_ROW_MAX - 1) {
		snprintf(url, sizeof url, "internal:'%s'!%c%u", sheet,
		    'A' + (char)col, (unsigned)row + 1);
		sheet_measure(s, s->col, text, false);
		xlsx_check(s->x, worksheet_write_url_opt(s->ws, s->row, s->col,
		    url, s->x->link, text, NULL));
	}
	s->col++;
}

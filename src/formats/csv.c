/*
 * The CSV tokenizer: one row at a time, a state machine over the bytes, so
 * that a quoted cell may span lines and nothing is ever read past the end.
 */
#include "config.h"

#include <string.h>

#include "csv.h"
#include "util/parse_diag.h"

void
csv_init(struct csv_reader *r, const char *text, size_t len, char delim)
{
	r->p = text;
	r->end = text + len;
	r->delim = delim;
	r->line = 1;
	r->pd = NULL;
}

bool
csv_row_blank(const struct csv_row *row)
{
	return row->cells.n == 0 || (row->cells.n == 1 && *row->cells.v[0] == '\0');
}

void
csv_row_free(struct csv_row *row)
{
	strlist_free(&row->cells);
	memset(row, 0, sizeof *row);
}

static void
cell_end(struct csv_row *row, struct buf *cell, bool cut)
{
	if (row->cells.n >= CSV_COLUMNS_MAX)
		row->dropped++;
	else
		strlist_add(&row->cells, cell->data != NULL ? cell->data : "");
	if (cut)
		row->overlong++;
	buf_reset(cell);
}

/* Appends a byte, noting (once per cell) when the cell is full. */
static void
cell_put(struct buf *cell, char c, bool *cut)
{
	if (buf_putc(cell, c) != 0)
		*cut = true;
}

/* A line break at p: its length (CRLF 2, LF or CR 1), else 0. */
static size_t
newline_at(const char *p, const char *end)
{
	if (*p == '\n')
		return 1;
	if (*p == '\r')
		return p + 1 < end && p[1] == '\n' ? 2 : 1;
	return 0;
}

bool
csv_next_row(struct csv_reader *r, struct csv_row *row)
{
	struct buf	 cell;
	bool		 quoted = false, was_quoted = false, cut = false;
	size_t		 nl;

	csv_row_free(row);
	if (r->p >= r->end)
		return false;
	row->line = r->line;
	buf_init(&cell, CSV_CELL_MAX);
	while (r->p < r->end) {
		char c = *r->p;

		if (quoted) {
			if (c == '"') {
				if (r->p + 1 < r->end && r->p[1] == '"') {
					cell_put(&cell, '"', &cut);
					r->p += 2;
					continue;
				}
				quoted = false;
				r->p++;
				continue;
			}
			if ((nl = newline_at(r->p, r->end)) > 0) {
				/* Kept as written: the value's own line break. */
				r->line++;
				cell_put(&cell, r->p[0], &cut);
				if (nl == 2)
					cell_put(&cell, r->p[1], &cut);
				r->p += nl;
				continue;
			}
			cell_put(&cell, c, &cut);
			r->p++;
			continue;
		}
		if (c == r->delim) {
			cell_end(row, &cell, cut);
			cut = was_quoted = false;
			r->p++;
			continue;
		}
		if ((nl = newline_at(r->p, r->end)) > 0) {
			r->p += nl;
			r->line++;
			break;
		}
		if (c == '"' && cell.len == 0 && !was_quoted) {
			quoted = was_quoted = true;
			r->p++;
			continue;
		}
		/* A stray quote mid-cell is kept as text, as Import-Csv does. */
		cell_put(&cell, c, &cut);
		r->p++;
	}
	if (quoted)
		row->unterminated = true;
	cell_end(row, &cell, cut);
	buf_free(&cell);
	if (row->overlong > 0)
		parse_problem(r->pd, DIAG_WARNING, row->line, "%zu cell(s) longer "
		    "than %u bytes; cut", row->overlong, CSV_CELL_MAX);
	if (row->dropped > 0)
		parse_problem(r->pd, DIAG_WARNING, row->line, "%zu cell(s) past "
		    "column %u ignored", row->dropped, CSV_COLUMNS_MAX);
	/* A blank line left open loses nothing. */
	if (row->unterminated && !csv_row_blank(row))
		parse_problem(r->pd, DIAG_WARNING, row->line, "a quoted cell is "
		    "not closed before the end of the file; read to the end");
	return true;
}

char
csv_guess_delimiter(const char *line, size_t len)
{
	static const char	cands[] = { ',', ';', '\t' };
	size_t			count[3] = { 0, 0, 0 }, i, j, best = 0;
	bool			quoted = false;

	for (i = 0; i < len; i++) {
		if (line[i] == '"') {
			quoted = !quoted;
			continue;
		}
		for (j = 0; !quoted && j < 3; j++)
			if (line[i] == cands[j])
				count[j]++;
	}
	for (j = 1; j < 3; j++)
		if (count[j] > count[best])
			best = j;
	return cands[best];
}

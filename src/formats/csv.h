/*
 * CSV as Export-Csv writes it (Windows PowerShell 5.1 and 7): a delimiter of
 * ',' ';' or tab (-Delimiter, -UseCulture), cells quoted or not, "" for a
 * quote inside a quoted cell, line breaks inside quoted cells. Rows are read
 * one at a time from text already decoded to UTF-8; cells are bounded.
 */
#ifndef CERTTRAIL_CSV_H
#define CERTTRAIL_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

#define CSV_CELL_MAX	(1u << 20)	/* bytes kept of one cell */
#define CSV_COLUMNS_MAX	4096

struct parse_diag;

struct csv_reader {
	const char	*p;
	const char	*end;
	char		 delim;
	long		 line;		/* line the reader is on, 1-based */
	/* Where a row's problems go (cut, dropped, unclosed); NULL: nowhere. */
	struct parse_diag *pd;
};

struct csv_row {
	struct strlist	 cells;
	long		 line;		/* line the row starts on */
	size_t		 overlong;	/* cells cut at CSV_CELL_MAX */
	size_t		 dropped;	/* cells past CSV_COLUMNS_MAX */
	bool		 unterminated;	/* a quoted cell ran to the end of the text */
};

void	 csv_init(struct csv_reader *, const char *text, size_t len, char delim);
/*
 * Reads the next row into *row (cleared first), reporting its problems to
 * r->pd; false at the end of the text.
 */
bool	 csv_next_row(struct csv_reader *, struct csv_row *);
/* No cell with anything in it: a blank line. */
bool	 csv_row_blank(const struct csv_row *);
void	 csv_row_free(struct csv_row *);
/*
 * The delimiter of a header line: whichever of ',' ';' and tab occurs most
 * outside quotes (',' when none does).
 */
char	 csv_guess_delimiter(const char *line, size_t len);

#endif

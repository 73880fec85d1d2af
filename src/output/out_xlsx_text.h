/*
 * What a workbook cell may hold (out_xlsx_text.c): bundle text cleaned, cut
 * and defused, and how wide and tall text is. Every returned string is the
 * caller's to free().
 */
#ifndef CERTTRAIL_OUT_XLSX_TEXT_H
#define CERTTRAIL_OUT_XLSX_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* Excel's limit for the text of one cell, in characters. */
#define CELL_TEXT_MAX	32767

/*
 * Clean UTF-8 in at most `max` characters, marked when cut (escape_x: a
 * literal "_xHHHH_" stays text).
 */
char	*xlsx_text_fit(const char *, size_t max, bool escape_x);
/* Bundle text as a cell holds it: cleaned, cut and defused. */
char	*xlsx_cell_text(const char *);
/* Items joined by `sep`; NULL when the list is empty. */
char	*xlsx_list_join(const struct strlist *, const char *sep);
/* Lines text takes wrapped in `width` units; *widest unwrapped. */
double	 xlsx_text_lines(const char *, double width, bool mono,
	    double *widest);

#endif

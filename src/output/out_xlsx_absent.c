/*
 * A sheet whose evidence was not collected (out_xlsx_sheet.h). An empty
 * table under the sheet's headers would read as "none": what was not
 * collected is unknown. The sheet says so instead, what is missing and the
 * command that collects it; it holds no table, since it holds no data.
 */
#include "config.h"

#include <stdlib.h>

#include "model/kinds/kinds.h"
#include "out_xlsx_sheet.h"

void
sheet_not_collected(struct xlsx *x, const char *name, const char *what,
    const char *collect)
{
	static const struct sheet_col cols[] = {
		{ "Not collected", 20, 0 },
		{ "What this sheet would list is unknown, not none", 100,
		    COL_WRAP }
	};
	struct sheet	s;

	sheet_begin(&s, x, name, cols, NCOLS(cols), 0);
	if (sheet_writable(&s))
		sheet_write_text(&s, s.row, 0, "Missing", x->key);
	s.col = 1;
	sheet_str(&s, what);
	sheet_row_end(&s);
	if (collect != NULL) {
		if (sheet_writable(&s)) {
			sheet_write_text(&s, s.row, 0, "Collect it with",
			    x->key);
			sheet_write_text(&s, s.row, 1, collect, x->mono_wrap);
		}
		sheet_row_end(&s);
	}
	if (sheet_writable(&s)) {
		sheet_write_text(&s, s.row, 0, "Then", x->key);
		sheet_write_text(&s, s.row, 1, "add the file to the bundle and "
		    "run certtrail again", x->wrap);
	}
	sheet_row_end(&s);
	sheet_fit_columns(&s);
}

/*
 * The Timeline when the logs hold handshakes but no row whose time could
 * be read: no day to count them in, which is not "no handshake".
 */
void
sheet_timeline_undated(struct xlsx *x, long handshakes)
{
	static const struct sheet_col cols[] = {
		{ "Not dated", 20, 0 },
		{ "What this sheet would chart is unknown, not none", 100,
		    COL_WRAP }
	};
	struct sheet	 s;
	char		*text;

	sheet_begin(&s, x, "Timeline", cols, NCOLS(cols), 0);
	text = xasprintf("%ld TLS handshake%s in the protocol logs, none in a "
	    "row whose time could be read", handshakes,
	    handshakes == 1 ? "" : "s");
	if (sheet_writable(&s)) {
		sheet_write_text(&s, s.row, 0, "Handshakes", x->key);
		sheet_write_text(&s, s.row, 1, text, x->wrap);
	}
	free(text);
	sheet_row_end(&s);
	if (sheet_writable(&s)) {
		sheet_write_text(&s, s.row, 0, "Then", x->key);
		sheet_write_text(&s, s.row, 1, "the TLS Outcomes sheet lists "
		    "them, by server, connector, remote host and outcome",
		    x->wrap);
	}
	sheet_row_end(&s);
	sheet_fit_columns(&s);
}

/*
 * The kind's sheet when its export is not in the bundle and the kind says
 * how to collect it: true when written so. A kind whose export was read
 * and held nothing keeps its empty table: that is "none".
 */
bool
sheet_kind_not_collected(struct xlsx *x, const struct report *r,
    const struct ev_kind *k)
{
	size_t	n = 0;

	if (k->gap_collect == NULL || k->table == NULL)
		return false;
	if (r->ev != NULL) {
		if (ev_kind_seen(k, r->ev))
			return false;
		(void)ev_kind_rows(k, r->ev, &n);
		if (n > 0)
			return false;
	}
	sheet_not_collected(x, k->table->sheet, k->gap_what != NULL ?
	    k->gap_what : k->page.empty, k->gap_collect);
	return true;
}

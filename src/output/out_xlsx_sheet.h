/*
 * The workbook's sheets (report.xlsx): the cells every sheet is written
 * with (out_xlsx_sheet.c) and the writer of each sheet. The files:
 *
 *   out_xlsx.c           the workbook: its formats, its properties, the
 *                        sheets in their order (out_xlsx_write)
 *   out_xlsx_text.c      what a cell may hold: bundle text cleaned, cut and
 *                        defused; how wide and tall text is
 *   out_xlsx_sheet.c     a sheet filled row by row, cell by cell, its
 *                        columns fitted to what was written
 *   out_xlsx_summary.c   the Summary a manager reads
 *   out_xlsx_summary_lists.c  its lists: the per-server grid, the findings
 *                        linked, the gaps with their commands
 *   out_xlsx_absent.c    a sheet whose evidence was not collected
 *   out_xlsx_findings.c  the findings, their remediation and evidence
 *   out_xlsx_tables.c    the described tables (columns.h) and the manifest
 *   out_xlsx_timeline.c  TLS outcomes per day or hour, and their chart
 *   out_xlsx_baseline.c  the comparison with an earlier result
 *
 * Every string of the workbook goes through sheet_write_text, and only
 * there.
 */
#ifndef CERTTRAIL_OUT_XLSX_SHEET_H
#define CERTTRAIL_OUT_XLSX_SHEET_H

#include <stdbool.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "columns.h"
#include "summary.h"

/* Excel's 1900 date system: day 25569 is 1970-01-01. */
#define EXCEL_EPOCH_DAYS	25569.0
#define EXCEL_FIRST_TIME	INT64_C(-2203891200)	/* 1900-03-01 */
/* 9999-12-31T23:59:59 */
#define EXCEL_LAST_TIME		INT64_C(253402300799)
/* Columns a sheet may have. */
#define SHEET_MAX_COLS		32
/*
 * The Summary: a label column, then one column per check of the per-server
 * grid (server_grid.h), each this wide; a long value spans them all.
 */
#define SUMMARY_SPAN		6
#define SUMMARY_SPAN_WIDTH	18.0

struct xlsx {
	lxw_workbook	*wb;
	lxw_format	*head;		/* header row */
	lxw_format	*key;		/* labels on the Summary sheet */
	lxw_format	*top;		/* ordinary cells, top-aligned */
	lxw_format	*wrap;		/* long text */
	lxw_format	*mono;		/* identifiers: thumbprints, hashes */
	lxw_format	*mono_wrap;	/* commands */
	lxw_format	*date;
	lxw_format	*day;		/* the timeline's day buckets */
	lxw_format	*hour;		/* and its hour buckets */
	lxw_format	*sev[5];	/* conditional fills, by enum severity */
	lxw_format	*expired, *expiring;
	lxw_format	*title;		/* the Summary's title */
	lxw_format	*link;		/* internal hyperlinks */
	lxw_format	*good;		/* "No problem found" */
	lxw_format	*num;		/* plain counts on the Summary */
	lxw_format	*pct;		/* and shares, "1.3%" */
	lxw_format	*grid[5];	/* the grid's cells, by enum grid_state */
	lxw_error	 err;		/* the first failed write */
};

/*
 * width: the most the column grows to. style (columns.h): COL_WRAP, longer
 * text wraps in it; COL_MONO, commands and identifiers in a monospace
 * font.
 */
struct sheet_col {
	const char	*name;
	double		 width;
	unsigned	 style;
};

/* A sheet being filled row by row, cell by cell. */
struct sheet {
	struct xlsx		*x;
	lxw_worksheet		*ws;
	const struct sheet_col	*cols;
	lxw_col_t		 ncols;
	lxw_row_t		 row;
	lxw_col_t		 col;
	char			 name[32];	/* the sheet's, at most 31 */
	long			 dropped;	/* rows past the limit */
	double			 fit[SHEET_MAX_COLS];	/* widest content */
	double			 lines;		/* the current row needs */
};

#define NCOLS(a)	((lxw_col_t)(sizeof (a) / sizeof (a)[0]))

/* Keeps the first failed write: the workbook is judged when it is closed. */
void	 xlsx_check(struct xlsx *, lxw_error);

/* ----------------------------------------------------- out_xlsx_sheet.c */

/*
 * Adds a sheet with a header row of cols, frozen below it and left of
 * freeze_cols, and starts it at row 1.
 */
void	 sheet_begin(struct sheet *, struct xlsx *, const char *name,
	    const struct sheet_col *cols, lxw_col_t ncols,
	    lxw_col_t freeze_cols);
/*
 * Fits the columns, makes the rows an Excel table named after the sheet
 * (an autofilter alone when there is no row), and says what did not fit.
 */
void	 sheet_end(struct sheet *);
/* Each column as wide as its widest text, within what the column allows. */
void	 sheet_fit_columns(struct sheet *);
/* True when the current row can be written (the sheet is not full). */
bool	 sheet_writable(struct sheet *);
/* Notes what a cell's text needs: its column's width, its row's lines. */
void	 sheet_measure(struct sheet *, lxw_col_t col, const char *text,
	    bool head);
/* The one writer of strings: cleaned, cut, defused, measured. */
void	 sheet_write_text(struct sheet *, lxw_row_t row, lxw_col_t col,
	    const char *text, lxw_format *);
/* The current cell, in its column's format; each moves to the next. */
void	 sheet_str(struct sheet *, const char *);
void	 sheet_value(struct sheet *, const char *);	/* NULL: "unknown" */
void	 sheet_num(struct sheet *, double);
void	 sheet_long(struct sheet *, long);		/* -1: "unknown" */
void	 sheet_time(struct sheet *, int64_t);		/* blank when unknown */
void	 sheet_time_as(struct sheet *, int64_t, lxw_format *,
	    const char *shape);
void	 sheet_tri(struct sheet *, tri_t);
void	 sheet_list(struct sheet *, const struct strlist *, const char *sep);
void	 sheet_known_list(struct sheet *, const struct strlist *, bool known,
	    bool incomplete, const char *sep, const char *unknown);
/* An internal link to a cell of another sheet, by its fixed name. */
void	 sheet_link(struct sheet *, const char *sheet, lxw_row_t row,
	    lxw_col_t col, const char *text);
/* Ends the row, as tall as its wrapped text needs. */
void	 sheet_row_end(struct sheet *);
/* Excel's serial date of a time. */
double	 excel_date(int64_t);

/* -------------------------------------------- the sheets, one file each */

void	 sheet_summary(struct xlsx *, const struct report *,
	    const struct summary *);
void	 sheet_findings(struct xlsx *, const struct report *);
void	 sheet_remediation(struct xlsx *, const struct report *);
void	 sheet_evidence(struct xlsx *, const struct report *);
void	 sheet_table(struct xlsx *, const struct report *,
	    const struct table *);
void	 sheet_manifest(struct xlsx *, const struct evidence *);
void	 sheet_timeline(struct xlsx *, const struct summary *);
/* A sheet whose evidence was not collected (out_xlsx_absent.c). */
void	 sheet_not_collected(struct xlsx *, const char *name,
	    const char *what, const char *collect);
/* The Timeline of logs whose handshakes carry no time that could be read. */
void	 sheet_timeline_undated(struct xlsx *, long handshakes);
struct ev_kind;
bool	 sheet_kind_not_collected(struct xlsx *, const struct report *,
	    const struct ev_kind *);
/* The Summary's parts (out_xlsx_summary_lists.c). */
void	 summary_span(struct sheet *, lxw_col_t first, const char *text,
	    lxw_format *, bool mono);
void	 summary_lists(struct sheet *, const struct report *);
/* With --baseline: the comparison's three sheets (out_xlsx_baseline.c). */
void	 sheet_baseline(struct xlsx *, const struct report *);

#endif

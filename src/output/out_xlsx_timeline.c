/*
 * The Timeline sheet (out_xlsx_sheet.h): TLS outcomes per day or hour
 * (summary.h) and a stacked column chart of them.
 */
#include "config.h"

#include <stdio.h>

#include "out_xlsx_sheet.h"
#include "util/datetime.h"

/*
 * The hours as text, in a hidden column beside the table, for the chart's
 * categories: a chart reads date cells on a date axis, whose smallest unit
 * is a day, so the hours of one day would fall on one column (and a single
 * hour shows as a bare serial number). The table keeps the real dates.
 */
#define LABEL_COL	3
#define LABEL_LETTER	'D'

/*
 * One series of the chart: the buckets of column `cat` against the counts
 * of `col`, rows 2 to nbuckets + 1. The references are written out as
 * ranges of rows, so one bucket is "$A$2:$A$2", the same shape as many:
 * libxlsxwriter's own would shrink it to the single cell "$A$2".
 */
static void
timeline_series(lxw_chart *chart, int nbuckets, char cat, char col,
    const char *name, lxw_chart_fill *fill)
{
	lxw_chart_series	*series;
	char			 cats[48], vals[48];

	snprintf(cats, sizeof cats, "=Timeline!$%c$2:$%c$%d", cat, cat,
	    nbuckets + 1);
	snprintf(vals, sizeof vals, "=Timeline!$%c$2:$%c$%d", col, col,
	    nbuckets + 1);
	series = chart_add_series(chart, cats, vals);
	chart_series_set_name(series, name);
	chart_series_set_fill(series, fill);
}

/*
 * TLS outcomes per day (or hour) as a table, counted from every outcome row
 * of the protocol logs, and a stacked column chart of it beside the table.
 */
void
sheet_timeline(struct xlsx *x, const struct summary *sm)
{
	static const struct sheet_col day_cols[] = {
		{ "Day (UTC)", 12, 0 }, { "Succeeded", 11, 0 },
		{ "Failed", 9, 0 }
	};
	static const struct sheet_col hour_cols[] = {
		{ "Hour (UTC)", 17, 0 }, { "Succeeded", 11, 0 },
		{ "Failed", 9, 0 }
	};
	lxw_chart_fill	 ok = { .color = 0x8CC9A5 }, bad = { .color = 0xA61B1B };
	lxw_row_col_options hidden = { .hidden = 1 };
	lxw_chart	*chart;
	struct sheet	 s;
	bool		 hours = sm->step > 0 && sm->step < 86400;
	char		 iso[32], label[16];
	int		 k;

	sheet_begin(&s, x, "Timeline", sm->step > 0 && sm->step < 86400 ?
	    hour_cols : day_cols, NCOLS(day_cols), 0);
	for (k = 0; k < sm->nbuckets; k++) {
		/* A day bucket is a date; an hour bucket shows its hour. */
		if (hours) {
			/* "2026-11-03T14:00:00Z" labelled "11-03 14:00". */
			time_format_iso(sm->t0 + (int64_t)k * sm->step, iso,
			    sizeof iso);
			snprintf(label, sizeof label, "%.5s %.5s", iso + 5,
			    iso + 11);
			if (sheet_writable(&s))
				sheet_write_text(&s, s.row, LABEL_COL, label,
				    x->top);
			sheet_time_as(&s, sm->t0 + (int64_t)k * sm->step,
			    x->hour, "2026-11-10 08:00");
		} else
			sheet_time_as(&s, sm->t0 + (int64_t)k * sm->step,
			    x->day, "2026-11-10");
		sheet_num(&s, sm->ok[k]);
		sheet_num(&s, sm->bad[k]);
		sheet_row_end(&s);
	}
	sheet_end(&s);
	if (s.ws == NULL || sm->nbuckets == 0)
		return;
	if ((chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED)) ==
	    NULL) {
		xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	timeline_series(chart, sm->nbuckets, hours ? LABEL_LETTER : 'A', 'C',
	    "Failed", &bad);
	timeline_series(chart, sm->nbuckets, hours ? LABEL_LETTER : 'A', 'B',
	    "Succeeded", &ok);
	if (hours) {
		xlsx_check(x, worksheet_set_column_opt(s.ws, LABEL_COL,
		    LABEL_COL, 12, NULL, &hidden));
		/* Else the hidden labels would hide the chart's categories. */
		chart_show_hidden_data(chart);
	}
	chart_title_set_name(chart, hours ? "TLS handshakes per hour (UTC)" :
	    "TLS handshakes per day (UTC)");
	if (!hours)
		chart_axis_set_num_format(chart->x_axis, "yyyy-mm-dd");
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	chart_set_series_gap(chart, 40);
	xlsx_check(x, worksheet_insert_chart(s.ws, 1, 4, chart));
}

/*
 * The Timeline sheet (out_xlsx_sheet.h): TLS outcomes per day or hour
 * (summary.h) and a stacked column chart of them.
 */
#include "config.h"

#include <stdio.h>

#include "out_xlsx_sheet.h"

/*
 * One series of the chart: the buckets of column A against the counts of
 * `col`, rows 2 to nbuckets + 1. The references are written out as
 * ranges of rows, so one bucket is "$A$2:$A$2", the same shape as many:
 * libxlsxwriter's own would shrink it to the single cell "$A$2".
 */
static void
timeline_series(lxw_chart *chart, int nbuckets, char col, const char *name,
    lxw_chart_fill *fill)
{
	lxw_chart_series	*series;
	char			 cats[48], vals[48];

	snprintf(cats, sizeof cats, "=Timeline!$A$2:$A$%d", nbuckets + 1);
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
	lxw_chart	*chart;
	struct sheet	 s;
	int		 k;

	sheet_begin(&s, x, "Timeline", sm->step > 0 && sm->step < 86400 ?
	    hour_cols : day_cols, NCOLS(day_cols), 0);
	for (k = 0; k < sm->nbuckets; k++) {
		/* A day bucket is a date; an hour bucket shows its hour. */
		if (sm->step > 0 && sm->step < 86400)
			sheet_time_as(&s, sm->t0 + (int64_t)k * sm->step,
			    x->hour, "2026-11-10 08:00");
		else
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
	timeline_series(chart, sm->nbuckets, 'C', "Failed", &bad);
	timeline_series(chart, sm->nbuckets, 'B', "Succeeded", &ok);
	chart_title_set_name(chart, sm->step < 86400 ? "TLS handshakes per "
	    "hour" : "TLS handshakes per day");
	chart_axis_set_num_format(chart->x_axis, sm->step < 86400 ?
	    "mm-dd hh:00" : "yyyy-mm-dd");
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	chart_set_series_gap(chart, 40);
	xlsx_check(x, worksheet_insert_chart(s.ws, 1, 4, chart));
}

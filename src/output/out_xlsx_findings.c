/*
 * The Findings, Remediation and Evidence sheets (out_xlsx_sheet.h): one row
 * per finding, linked to its first step and its first evidence row.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "out_xlsx_sheet.h"

/* Excel's row (0-based) of a finding's first evidence or step row. */
static lxw_row_t
first_row_of(const struct findings *fs, size_t idx, bool evidence)
{
	lxw_row_t	row = 1;
	size_t		i;

	for (i = 0; i < idx; i++)
		row += (lxw_row_t)(evidence ? fs->v[i].nevidence :
		    fs->v[i].nremediation);
	return row;
}

/* Severity names in column `col` shaded like the page's badges. */
static void
severity_shading(struct sheet *s, lxw_col_t col)
{
	lxw_conditional_format	 cf;
	char			 quoted[32];
	int			 sev;

	if (s->ws == NULL || s->row < 2)
		return;
	for (sev = SEV_CRITICAL; sev >= SEV_LOW; sev--) {
		memset(&cf, 0, sizeof cf);
		snprintf(quoted, sizeof quoted, "\"%s\"",
		    severity_name((enum severity)sev));
		cf.type = LXW_CONDITIONAL_TYPE_CELL;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
		cf.value_string = quoted;
		cf.format = s->x->sev[sev];
		xlsx_check(s->x, worksheet_conditional_format_range(s->ws, 1,
		    col, s->row - 1, col, &cf));
	}
}

void
sheet_findings(struct xlsx *x, const struct report *r)
{
	static const struct sheet_col cols[] = {
		{ "ID", 7, 0 }, { "Severity", 10, 0 }, { "Status", 10, 0 },
		{ "Rule", 28, 0 }, { "Title", 50, COL_WRAP },
		{ "Explanation", 80, COL_WRAP }, { "Servers", 18, COL_WRAP },
		{ "Connectors", 28, COL_WRAP },
		{ "Thumbprints", 46, COL_WRAP | COL_MONO },
		{ "First seen", 19, 0 },
		{ "Last seen", 19, 0 },
		{ "Seen in", 18, 0 },
		{ "What changed (resolved)", 50, COL_WRAP },
		{ "Evidence samples", 10, 0 }, { "Root cause", 10, 0 },
		{ "Evidence rows", 16, 0 },
		{ "Remediation steps", 19, 0 }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	char			 label[48];
	int64_t			 first;
	size_t			 i;
	bool			 utc;

	sheet_begin(&s, x, "Findings", cols, NCOLS(cols), 1);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		const struct finding	*f = &fs->v[i];

		sheet_str(&s, f->id);
		sheet_str(&s, severity_name(f->severity));
		sheet_str(&s, finding_status_name(f->status));
		sheet_str(&s, f->rule);
		sheet_str(&s, f->title);
		sheet_str(&s, f->explanation);
		sheet_list(&s, &f->servers, ", ");
		sheet_list(&s, &f->connectors, ", ");
		sheet_list(&s, &f->thumbprints, "\n");
		/* A window on a server's local clock is said to be one. */
		first = finding_first(f, &utc);
		sheet_time(&s, first);
		sheet_time(&s, finding_last(f, &utc));
		sheet_str(&s, first == TIME_UNKNOWN ? NULL : utc ? "UTC" :
		    "server local time");
		sheet_str(&s, f->status != FINDING_RESOLVED ? NULL :
		    f->change != NULL ? f->change : "not shown by the evidence");
		sheet_num(&s, (double)f->nevidence);
		sheet_str(&s, (long)i == fs->root_cause ? "yes" : NULL);
		if (f->nevidence > 0) {
			snprintf(label, sizeof label, "%s evidence", f->id);
			sheet_link(&s, "Evidence", first_row_of(fs, i, true), 0,
			    label);
		} else
			sheet_str(&s, NULL);
		if (f->nremediation > 0) {
			snprintf(label, sizeof label, "%s remediation", f->id);
			sheet_link(&s, "Remediation", first_row_of(fs, i, false),
			    0, label);
		}
		sheet_row_end(&s);
	}
	severity_shading(&s, 1);
	sheet_end(&s);
}

void
sheet_remediation(struct xlsx *x, const struct report *r)
{
	static const struct sheet_col cols[] = {
		{ "Finding", 8, 0 }, { "Step", 6, 0 },
		{ "What and why", 70, COL_WRAP },
		{ "Command", 90, COL_WRAP | COL_MONO }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	size_t			 i, j;

	sheet_begin(&s, x, "Remediation", cols, NCOLS(cols), 0);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		for (j = 0; j < fs->v[i].nremediation; j++) {
			const struct remediation_step *st =
			    &fs->v[i].remediation[j];

			sheet_str(&s, fs->v[i].id);
			sheet_num(&s, st->step);
			sheet_str(&s, st->text);
			sheet_str(&s, st->command);
			sheet_row_end(&s);
		}
	}
	sheet_end(&s);
}

void
sheet_evidence(struct xlsx *x, const struct report *r)
{
	static const struct sheet_col cols[] = {
		{ "Finding", 8, 0 }, { "Source", 50, COL_WRAP | COL_MONO },
		{ "Line", 8, 0 }, { "Text", 100, COL_WRAP },
		{ "Count", 8, 0 }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	size_t			 i, j;

	sheet_begin(&s, x, "Evidence", cols, NCOLS(cols), 0);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		for (j = 0; j < fs->v[i].nevidence; j++) {
			const struct finding_evidence *e =
			    &fs->v[i].evidence[j];

			sheet_str(&s, fs->v[i].id);
			sheet_str(&s, e->source);
			if (e->line > 0)
				sheet_num(&s, (double)e->line);
			else
				sheet_str(&s, NULL);
			sheet_str(&s, e->text);
			sheet_num(&s, (double)e->count);
			sheet_row_end(&s);
		}
	}
	sheet_end(&s);
}

/*
 * The comparison with the earlier result (out_xlsx_sheet.h): the sheet
 * "Baseline" (one row per problem, with each server's state), "Baseline
 * days" (failed handshakes per connector and day, before and after) and
 * "Baseline queues" (the queues that held messages). Written only with
 * --baseline.
 */
#include "config.h"

#include <stdlib.h>

#include "baseline/baseline.h"
#include "out_xlsx_sheet.h"
#include "util/datetime.h"

/* "EXHUB1: resolved, EXHUB2: persisting" */
static char *
per_server_text(const struct bl_entry *e)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 64 * 1024);
	for (i = 0; i < e->nper_server; i++)
		(void)buf_appendf(&b, "%s%s: %s", i == 0 ? "" : ", ",
		    e->per_server[i].server,
		    bl_state_words(e->per_server[i].state));
	return buf_steal(&b, NULL);
}

static void
sheet_problems(struct xlsx *x, const struct baseline *b)
{
	static const struct sheet_col cols[] = {
		{ "State", 16, 0 }, { "Rule", 26, 0 }, { "Severity", 10, 0 },
		{ "Finding", 60, COL_WRAP }, { "Servers", 40, COL_WRAP },
		{ "Connectors", 30, COL_WRAP }, { "Thumbprints", 44, COL_MONO },
		{ "Before", 8, 0 }, { "After", 8, 0 }
	};
	struct sheet	 s;
	char		*per;
	size_t		 i;

	sheet_begin(&s, x, "Baseline", cols, NCOLS(cols), 1);
	for (i = 0; i < b->nentries; i++) {
		const struct bl_entry	*e = &b->entries[i];

		sheet_str(&s, bl_state_words(e->state));
		sheet_str(&s, e->rule);
		sheet_value(&s, e->severity);
		sheet_value(&s, e->title);
		per = per_server_text(e);
		sheet_str(&s, per);
		free(per);
		sheet_list(&s, &e->connectors, ", ");
		sheet_list(&s, &e->thumbprints, "\n");
		sheet_str(&s, e->before != NULL ? e->before : "none");
		sheet_str(&s, e->after != NULL ? e->after : "none");
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

/* -1: that case has no row of the connector that day, and says nothing. */
static void
day_count(struct sheet *s, long n)
{
	if (n < 0)
		sheet_str(s, "no rows");
	else
		sheet_long(s, n);
}

static void
sheet_days(struct xlsx *x, const struct baseline *b)
{
	static const struct sheet_col cols[] = {
		{ "Server", 14, 0 }, { "Direction", 10, 0 },
		{ "Connector", 30, 0 }, { "Day (UTC)", 12, 0 },
		{ "Failed before", 13, 0 }, { "Failed after", 12, 0 },
		{ "Succeeded before", 16, 0 }, { "Succeeded after", 15, 0 },
		{ "First clean day (UTC)", 20, 0 }
	};
	struct sheet	 s;
	size_t		 i, j;

	sheet_begin(&s, x, "Baseline days", cols, NCOLS(cols), 3);
	for (i = 0; i < b->nconnectors; i++) {
		const struct bl_connector	*c = &b->connectors[i];

		for (j = 0; j < c->ndays; j++) {
			const struct bl_day_pair	*p = &c->days[j];

			sheet_value(&s, c->server);
			sheet_str(&s, c->receive ? "receive" : "send");
			sheet_value(&s, c->connector);
			sheet_time_as(&s, p->day, x->day, "2026-11-10");
			day_count(&s, p->before_failed);
			day_count(&s, p->after_failed);
			day_count(&s, p->before_ok);
			day_count(&s, p->after_ok);
			if (c->first_clean_day != TIME_UNKNOWN)
				sheet_time_as(&s, c->first_clean_day, x->day,
				    "2026-11-10");
			else
				sheet_str(&s, "none yet");
			sheet_row_end(&s);
		}
	}
	sheet_end(&s);
}

static void
sheet_queues(struct xlsx *x, const struct baseline *b)
{
	static const struct sheet_col cols[] = {
		{ "Server", 14, 0 }, { "Queue", 24, 0 },
		{ "Next hop", 30, 0 }, { "Messages before", 15, 0 },
		{ "Messages after", 14, 0 }, { "Status after", 12, 0 },
		{ "State", 16, 0 }
	};
	struct sheet	 s;
	size_t		 i;

	sheet_begin(&s, x, "Baseline queues", cols, NCOLS(cols), 2);
	for (i = 0; i < b->nqueues; i++) {
		const struct bl_queue_cmp	*q = &b->queues[i];

		sheet_value(&s, q->server);
		sheet_value(&s, q->identity);
		sheet_value(&s, q->next_hop);
		sheet_long(&s, q->before_messages);
		sheet_long(&s, q->after_messages);
		sheet_value(&s, q->after_status);
		sheet_str(&s, q->state == BLQ_NOT_RECOLLECTED ?
		    "not re-collected" : bl_queue_state_name(q->state));
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

void
sheet_baseline(struct xlsx *x, const struct report *r)
{
	if (r->baseline == NULL)
		return;
	sheet_problems(x, r->baseline);
	sheet_days(x, r->baseline);
	sheet_queues(x, r->baseline);
}

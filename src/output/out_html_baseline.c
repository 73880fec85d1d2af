/*
 * report.html's "Since the baseline" (with --baseline), at the top of the
 * page: what the fix achieved in one sentence, which servers were compared,
 * then each problem with its state on each server, the failed handshakes
 * per connector before and after with the first clean day, and the queues
 * that held messages. Every name in it came from a bundle: html_text*.
 */
#include "config.h"

#include "baseline/baseline.h"
#include "out_html_sections.h"
#include "util/datetime.h"

static void
server_names(struct html *h, const struct strlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		html_raw(h, i == 0 ? "" : i + 1 == l->n ? " and " : ", ");
		html_text(h, l->v[i]);
	}
}

static void
day_text(struct html *h, int64_t day, const char *none)
{
	char	s[32];

	if (day == TIME_UNKNOWN) {
		html_raw(h, none);
		return;
	}
	time_format_iso(day, s, sizeof s);
	html_rawf(h, "%.10s", s);
}

/* The id of a finding of the new case as a link to it; the earlier as text. */
static void
id_cell(struct html *h, const char *id, bool link)
{
	html_raw(h, "<td>");
	if (id == NULL)
		html_raw(h, "<span class=\"muted\">none</span>");
	else if (link) {
		html_raw(h, "<a href=\"#finding-");
		html_text(h, id);
		html_raw(h, "\">");
		html_text(h, id);
		html_raw(h, "</a>");
	} else
		html_text(h, id);
	html_raw(h, "</td>");
}

static void
problems_table(struct html *h, const struct baseline *b)
{
	static const char *const cols[] = { "State", "Finding", "Servers",
		"Earlier", "Now", NULL };
	size_t	i, j;

	if (b->nentries == 0) {
		html_raw(h, "<p class=\"empty\">Neither case has a finding."
		    "</p>\n");
		return;
	}
	table_open(h, cols, NULL);
	for (i = 0; i < b->nentries; i++) {
		const struct bl_entry	*e = &b->entries[i];

		html_rawf(h, "<tr class=\"bl-%s\"><td><span class=\"bl-state "
		    "bl-%s\">%s</span></td><td>", bl_state_name(e->state),
		    bl_state_name(e->state), bl_state_words(e->state));
		html_text_or(h, e->title, "unknown");
		html_raw(h, " <span class=\"muted mono\">");
		html_text(h, e->rule);
		html_raw(h, "</span></td><td>");
		for (j = 0; j < e->nper_server; j++) {
			html_raw(h, j == 0 ? "<span class=\"bl-where\">" :
			    "<br><span class=\"bl-where\">");
			html_text(h, e->per_server[j].server);
			html_rawf(h, ": %s</span>",
			    bl_state_words(e->per_server[j].state));
		}
		if (e->nper_server == 0)
			html_raw(h, "<span class=\"muted\">none named</span>");
		html_raw(h, "</td>");
		id_cell(h, e->before, false);
		id_cell(h, e->after, true);
		html_raw(h, "</tr>\n");
	}
	table_close(h);
}

static void
count_cell(struct html *h, long n)
{
	if (n < 0)
		html_raw(h, "<td class=\"num\"><span class=\"unknown\">not "
		    "collected</span></td>");
	else
		html_rawf(h, "<td class=\"num\">%ld</td>", n);
}

static void
day_count(struct html *h, long n)
{
	if (n < 0)
		html_raw(h, "<td class=\"num\"><span class=\"unknown\">no "
		    "rows</span></td>");
	else
		html_rawf(h, "<td class=\"num\">%ld</td>", n);
}

/* Every day either case has, folded: the totals above say the gist. */
static void
days_table(struct html *h, const struct baseline *b)
{
	static const char *const cols[] = { "Server", "Connector",
		"Day (UTC)", "Failed before", "Failed now", "Succeeded before",
		"Succeeded now", NULL };
	static const char *const cls[] = { NULL, NULL, NULL, "num", "num",
		"num", "num", NULL };
	size_t	i, j, n = 0;

	for (i = 0; i < b->nconnectors; i++)
		n += b->connectors[i].ndays;
	html_rawf(h, "<details><summary>Day by day (%zu row%s)</summary>\n",
	    n, n == 1 ? "" : "s");
	table_open(h, cols, cls);
	for (i = 0; i < b->nconnectors; i++) {
		const struct bl_connector	*c = &b->connectors[i];

		for (j = 0; j < c->ndays; j++) {
			html_raw(h, "<tr><td>");
			html_text_or(h, c->server, "unknown");
			html_raw(h, "</td><td>");
			html_text_or(h, c->connector, "unknown");
			html_raw(h, "</td><td>");
			day_text(h, c->days[j].day, "unknown");
			html_raw(h, "</td>");
			/* No row that day in a case: it says nothing of it. */
			day_count(h, c->days[j].before_failed);
			day_count(h, c->days[j].after_failed);
			day_count(h, c->days[j].before_ok);
			day_count(h, c->days[j].after_ok);
			html_raw(h, "</tr>\n");
		}
	}
	table_close(h);
	html_raw(h, "</details>\n");
}

static void
connectors_table(struct html *h, const struct baseline *b)
{
	static const char *const cols[] = { "Server", "Connector",
		"Failed before", "Failed now", "Last failure (UTC day)",
		"First clean day (UTC)", NULL };
	static const char *const cls[] = { NULL, NULL, "num", "num", NULL,
		NULL, NULL };
	size_t	i;

	html_raw(h, "<h3>Failed TLS handshakes per connector</h3>\n");
	if (b->nconnectors == 0) {
		html_raw(h, "<p class=\"empty\">No connector has a failed "
		    "handshake in the protocol logs of either case.</p>\n");
		return;
	}
	table_open(h, cols, cls);
	for (i = 0; i < b->nconnectors; i++) {
		const struct bl_connector	*c = &b->connectors[i];

		html_raw(h, "<tr><td>");
		html_text_or(h, c->server, "unknown");
		html_raw(h, "</td><td>");
		html_text_or(h, c->connector, "unknown");
		html_rawf(h, " <span class=\"muted\">(%s)</span></td>",
		    c->receive ? "receive" : "send");
		count_cell(h, c->before_failed);
		count_cell(h, c->after_failed);
		html_raw(h, "<td>");
		day_text(h, c->last_failure_day, "none");
		html_raw(h, "</td><td>");
		day_text(h, c->first_clean_day, "none yet");
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
	days_table(h, b);
}

static void
queues_table(struct html *h, const struct baseline *b)
{
	static const char *const cols[] = { "Queue", "Next hop",
		"Messages before", "Messages now", "State", NULL };
	static const char *const cls[] = { NULL, NULL, "num", "num", NULL,
		NULL };
	size_t	i;

	html_raw(h, "<h3>Queues that held messages</h3>\n");
	if (b->nqueues == 0) {
		html_raw(h, "<p class=\"empty\">No queue held messages in "
		    "either case.</p>\n");
		return;
	}
	table_open(h, cols, cls);
	for (i = 0; i < b->nqueues; i++) {
		const struct bl_queue_cmp	*q = &b->queues[i];

		html_raw(h, "<tr><td>");
		html_text_or(h, q->identity, "unknown");
		html_raw(h, "</td><td>");
		html_text_or(h, q->next_hop, "unknown");
		html_raw(h, "</td>");
		count_cell(h, q->before_messages);
		count_cell(h, q->after_messages);
		html_rawf(h, "<td>%s</td></tr>\n", q->state == BLQ_DRAINED ?
		    "drained" : q->state == BLQ_WAITING ? "still waiting" :
		    "not re-collected");
	}
	table_close(h);
}

void
section_baseline(struct html *h, const struct report *r)
{
	const struct baseline	*b = r->baseline;
	char			 when[32];

	if (b == NULL)
		return;
	html_rawf(h, "\n<section id=\"baseline\" class=\"verdict baseline "
	    "state-%s\">\n<h2>Since the baseline</h2>\n<p class=\"verdict-"
	    "text\">", b->counts[BL_PERSISTING] + b->counts[BL_NEW] > 0 ?
	    "problems" : b->counts[BL_NOT_RECOLLECTED] > 0 ? "not_judged" :
	    "clear");
	html_text(h, b->text);
	html_raw(h, "</p>\n<p class=\"verdict-detail\">Compared with ");
	html_text(h, b->before.path);
	html_raw(h, " (as of ");
	time_format_iso(b->before.as_of, when, sizeof when);
	if (when[0] != '\0')
		html_rawf(h, "%.10s %.5s UTC", when, when + 11);
	else
		html_unknown(h);
	html_raw(h, "). ");
	if (b->compared.n > 0) {
		html_raw(h, "Servers compared: ");
		server_names(h, &b->compared);
		html_raw(h, ".");
	} else
		html_raw(h, "No server is in both cases: nothing could be "
		    "compared.");
	if (b->before_only.n > 0) {
		html_raw(h, " Not re-collected: ");
		server_names(h, &b->before_only);
		html_raw(h, ".");
	}
	if (b->after_only.n > 0) {
		html_raw(h, " Only in this bundle: ");
		server_names(h, &b->after_only);
		html_raw(h, ".");
	}
	html_raw(h, "</p>\n");
	problems_table(h, b);
	connectors_table(h, b);
	queues_table(h, b);
	html_raw(h, "</section>\n");
}

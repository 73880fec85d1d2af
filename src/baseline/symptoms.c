/*
 * The symptoms compared: failed handshakes per connector and UTC day in
 * each case, the last day with a failure and the first clean day after it
 * (handshakes on the connector and none failed), and the queues that held
 * messages, drained or still waiting. A case that did not collect a
 * server's logs or queues says nothing about them: unknown, never 0.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "baseline_int.h"
#include "util/datetime.h"

static bool
same_ci(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return ascii_casecmp(a, b) == 0;
}

static struct bl_connector *
connector_of(struct baseline *b, const struct bl_day *d)
{
	struct bl_connector	*c;
	size_t			 i;

	for (i = 0; i < b->nconnectors; i++) {
		c = &b->connectors[i];
		if (same_ci(c->server, d->server) && c->receive == d->receive &&
		    same_ci(c->connector, d->connector))
			return c;
	}
	b->connectors = xrealloc(b->connectors, (b->nconnectors + 1) *
	    sizeof *b->connectors);
	c = &b->connectors[b->nconnectors++];
	memset(c, 0, sizeof *c);
	c->server = xstrdup(d->server);
	c->receive = d->receive;
	c->connector = xstrdup(d->connector);
	c->before_failed = c->after_failed = -1;
	c->before_ok = c->after_ok = -1;
	c->last_failure_day = c->first_clean_day = TIME_UNKNOWN;
	return c;
}

static struct bl_day_pair *
day_of(struct bl_connector *c, int64_t day)
{
	struct bl_day_pair	*p;
	size_t			 i;

	for (i = 0; i < c->ndays; i++)
		if (c->days[i].day == day)
			return &c->days[i];
	c->days = xrealloc(c->days, (c->ndays + 1) * sizeof *c->days);
	p = &c->days[c->ndays++];
	p->day = day;
	p->before_ok = p->before_failed = p->after_ok = p->after_failed = -1;
	return p;
}

/* Whether a case has any log rows of the server (its logs were collected). */
static bool
logs_of(const struct bl_case *k, const char *server)
{
	size_t	i;

	for (i = 0; i < k->ndays; i++)
		if (same_ci(k->days[i].server, server))
			return true;
	return false;
}

static void
add_case(struct baseline *b, const struct bl_case *k, bool after)
{
	struct bl_connector	*c;
	struct bl_day_pair	*p;
	size_t			 i;

	for (i = 0; i < k->ndays; i++) {
		const struct bl_day	*d = &k->days[i];

		c = connector_of(b, d);
		p = day_of(c, d->day);
		if (after) {
			p->after_ok = d->ok;
			p->after_failed = d->failed;
		} else {
			p->before_ok = d->ok;
			p->before_failed = d->failed;
		}
	}
}

static int
cmp_pair(const void *pa, const void *pb)
{
	const struct bl_day_pair	*a = pa, *b = pb;

	return a->day < b->day ? -1 : a->day > b->day;
}

static int
cmp_connector(const void *pa, const void *pb)
{
	const struct bl_connector	*a = pa, *b = pb;
	int				 c;

	if ((c = casecmp_null_last(a->server, b->server)) != 0)
		return c;
	if (a->receive != b->receive)
		return a->receive ? 1 : -1;
	return casecmp_null_last(a->connector, b->connector);
}

static void
sum(long *total, long n)
{
	if (n < 0)
		return;
	*total = *total < 0 ? n : *total + n;
}

/* Totals, the last failing day, the first clean day after it. */
static void
connector_judge(const struct baseline *b, struct bl_connector *c)
{
	size_t	i;

	qsort(c->days, c->ndays, sizeof *c->days, cmp_pair);
	if (b->before.days_known && logs_of(&b->before, c->server))
		c->before_failed = c->before_ok = 0;
	if (b->after.days_known && logs_of(&b->after, c->server))
		c->after_failed = c->after_ok = 0;
	for (i = 0; i < c->ndays; i++) {
		const struct bl_day_pair	*p = &c->days[i];

		sum(&c->before_failed, p->before_failed);
		sum(&c->before_ok, p->before_ok);
		sum(&c->after_failed, p->after_failed);
		sum(&c->after_ok, p->after_ok);
		if (p->before_failed > 0 || p->after_failed > 0)
			c->last_failure_day = p->day;
	}
	for (i = 0; i < c->ndays; i++) {
		const struct bl_day_pair	*p = &c->days[i];

		if ((c->last_failure_day == TIME_UNKNOWN ||
		    p->day > c->last_failure_day) && p->after_ok > 0 &&
		    p->after_failed == 0) {
			c->first_clean_day = p->day;
			break;
		}
	}
}

void
bl_compare_connectors(struct baseline *b)
{
	size_t	i, out = 0;

	add_case(b, &b->before, false);
	add_case(b, &b->after, true);
	for (i = 0; i < b->nconnectors; i++)
		connector_judge(b, &b->connectors[i]);
	/* Only the connectors that failed in either case are symptoms. */
	for (i = 0; i < b->nconnectors; i++) {
		struct bl_connector	*c = &b->connectors[i];

		if (c->last_failure_day != TIME_UNKNOWN) {
			b->connectors[out++] = *c;
			continue;
		}
		free(c->server);
		free(c->connector);
		free(c->days);
	}
	b->nconnectors = out;
	if (out > 1)
		qsort(b->connectors, out, sizeof *b->connectors, cmp_connector);
}

/* ---------------------------------------------------------------- queues */

/* Messages wait in it: any counted, or a status that says it retries. */
static bool
waiting(const struct bl_queue *q)
{
	return q->messages > 0 || (q->status != NULL &&
	    (ascii_casecmp(q->status, "Retry") == 0 ||
	    ascii_casecmp(q->status, "Suspended") == 0));
}

/* The queue of `k` that is q: same server, then same identity or next hop. */
static const struct bl_queue *
queue_match(const struct bl_case *k, const struct bl_queue *q)
{
	size_t	i;

	for (i = 0; i < k->nqueues; i++)
		if (same_ci(k->queues[i].server, q->server) &&
		    q->identity != NULL && same_ci(k->queues[i].identity,
		    q->identity))
			return &k->queues[i];
	for (i = 0; i < k->nqueues; i++)
		if (same_ci(k->queues[i].server, q->server) &&
		    q->next_hop != NULL && same_ci(k->queues[i].next_hop,
		    q->next_hop))
			return &k->queues[i];
	return NULL;
}

static void
queue_add(struct baseline *b, const struct bl_queue *q,
    const struct bl_queue *before, const struct bl_queue *after)
{
	struct bl_queue_cmp	*c;

	b->queues = xrealloc(b->queues, (b->nqueues + 1) * sizeof *b->queues);
	c = &b->queues[b->nqueues++];
	memset(c, 0, sizeof *c);
	c->server = xstrdup(q->server);
	c->identity = xstrdup(q->identity);
	c->next_hop = xstrdup(q->next_hop);
	c->before_messages = before != NULL ? before->messages :
	    strlist_contains_ci(&b->before.queue_servers, q->server) ? 0 : -1;
	if (!strlist_contains_ci(&b->after.queue_servers, q->server)) {
		c->after_messages = -1;
		c->state = BLQ_NOT_RECOLLECTED;
		return;
	}
	/* Get-Queue lists every queue; one it no longer lists holds nothing. */
	c->after_messages = after != NULL ? after->messages : 0;
	c->after_status = xstrdup(after != NULL ? after->status : NULL);
	c->state = after != NULL && waiting(after) ? BLQ_WAITING : BLQ_DRAINED;
}

void
bl_compare_queues(struct baseline *b)
{
	const struct bl_queue	*q, *m;
	size_t			 i;

	for (i = 0; i < b->before.nqueues; i++) {
		q = &b->before.queues[i];
		if (waiting(q))
			queue_add(b, q, q, queue_match(&b->after, q));
	}
	for (i = 0; i < b->after.nqueues; i++) {
		q = &b->after.queues[i];
		m = queue_match(&b->before, q);
		if (waiting(q) && (m == NULL || !waiting(m)))
			queue_add(b, q, m, q);
	}
}

const char *
bl_queue_state_name(enum bl_queue_state s)
{
	static const char *const names[] = { "drained", "waiting",
		"not_recollected" };

	return names[s];
}

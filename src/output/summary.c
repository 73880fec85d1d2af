/*
 * The first screen's facts (summary.h). The root cause's rule says in its
 * fix facts (rules.h) what the fix costs a customer (risk, downtime) in one
 * line; its findings say what is wrong and how to fix it step by step.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "rules/rules.h"
#include "rules/verdict.h"
#include "model/kinds/queue.h"
#include "summary.h"

#define DAY	86400
#define HOUR	3600
/* How far outside the logs a marked date may widen the timeline. */
#define TIMELINE_REACH	(14 * DAY)

static bool
queue_waiting(const struct ev_queue *q)
{
	return q->status != NULL && (ascii_casecmp(q->status, "Retry") == 0 ||
	    ascii_casecmp(q->status, "Suspended") == 0);
}

static bool
on_servers(const struct strlist *servers, const char *server)
{
	if (servers->n == 0)
		return true;	/* no server named: the whole case */
	return server != NULL && strlist_contains_ci(servers, server);
}

/* The rows of the symptoms linked to f. */
static long
rows_of(const struct report *r, const struct finding *f)
{
	long	n = 0;
	size_t	i;

	for (i = 0; r->symptoms != NULL && i < r->symptoms->n; i++)
		if (r->symptoms->v[i].finding_seq == f->seq &&
		    r->symptoms->v[i].type == SYM_TLS_FAILURE)
			n += r->symptoms->v[i].count;
	return n;
}

/*
 * An incident that is over: its failed handshakes and its window, on its
 * servers; nothing waits because of it.
 */
static void
impact_ended(const struct report *r, struct summary *s)
{
	size_t	i;

	for (i = 0; i < s->ended->servers.n; i++)
		strlist_add_unique_ci(&s->servers, s->ended->servers.v[i]);
	bool	utc_first, utc_last;
	size_t	j;

	strlist_sort_ci(&s->servers);
	s->failed = rows_of(r, s->ended);
	s->since = finding_first(s->ended, &utc_first);
	s->until = finding_last(s->ended, &utc_last);
	s->window_local = !utc_last;
	for (j = 0; r->symptoms != NULL && j < r->symptoms->n; j++)
		if (r->symptoms->v[j].finding_seq == s->ended->seq)
			s->ended_rows += r->symptoms->v[j].count;
}

/*
 * The failed handshakes of the root cause: those the rules tied to it, and
 * any other on its servers. A log that names no server (a lone SEND*.LOG)
 * counts when the rules tied its rows to the root cause by the certificate
 * they show, never by a guess at its server.
 */
static void
root_failures(const struct report *r, struct summary *s)
{
	const struct symptom	*y;
	size_t			 i;

	for (i = 0; i < r->symptoms->n; i++) {
		y = &r->symptoms->v[i];
		if (y->type != SYM_TLS_FAILURE)
			continue;
		if (y->finding_seq != s->root->seq && (y->server == NULL ||
		    !on_servers(&s->servers, y->server)))
			continue;
		s->failed += y->count;
		if (y->server != NULL)
			strlist_add_unique_ci(&s->failing, y->server);
		else
			s->failing_unnamed = true;
		if (y->first != TIME_UNKNOWN && !y->local &&
		    (s->since == TIME_UNKNOWN || y->first < s->since))
			s->since = y->first;
	}
	strlist_sort_ci(&s->failing);
}

/* A waiting queue into its counts; a count not given makes them unknown. */
static void
count_waiting(const struct ev_queue *q, long *queues, long *messages)
{
	(*queues)++;
	if (q->message_count < 0)
		*messages = -1;
	else if (*messages >= 0)
		*messages += q->message_count;
}

/* Counts by outcome and the servers and queues the problem touches. */
static void
impact(const struct report *r, struct summary *s)
{
	const struct evidence	*ev = r->ev;
	size_t			 i;

	s->since = s->until = TIME_UNKNOWN;
	s->logs_read = ev != NULL && logs_collected(ev);
	s->queues_read = ev != NULL && queues_collected(ev);
	if (s->root == NULL && s->ended != NULL && r->verdict != NULL &&
	    r->verdict->state == VERDICT_RESOLVED) {
		impact_ended(r, s);
		return;
	}
	if (s->root != NULL)
		for (i = 0; i < s->root->servers.n; i++)
			strlist_add_unique_ci(&s->servers, s->root->servers.v[i]);
	for (i = 0; ev != NULL && i < ev->ntls; i++) {
		const struct ev_tls_agg *a = &ev->tls[i];

		if (a->ok) {
			s->succeeded += a->count;
			continue;
		}
		if (s->root != NULL && r->symptoms != NULL)
			continue;	/* counted from the symptoms below */
		if (s->root != NULL && !on_servers(&s->servers, a->server))
			continue;
		s->failed += a->count;
		if (s->root == NULL && a->server != NULL)
			strlist_add_unique_ci(&s->servers, a->server);
		if (a->first != TIME_UNKNOWN &&
		    (s->since == TIME_UNKNOWN || a->first < s->since))
			s->since = a->first;
	}
	if (s->root != NULL && r->symptoms != NULL)
		root_failures(r, s);
	for (i = 0; ev != NULL && i < ev->nqueues; i++) {
		const struct ev_queue *q = &ev->queues[i];

		if (s->root != NULL && !on_servers(&s->servers, q->server)) {
			if (queue_waiting(q))
				count_waiting(q, &s->queues_elsewhere,
				    &s->queued_elsewhere);
			continue;
		}
		if (!queue_status_known(q))
			s->queues_unsure++;
		if (!queue_waiting(q))
			continue;
		count_waiting(q, &s->queues, &s->queued);
		if (s->root == NULL && q->server != NULL)
			strlist_add_unique_ci(&s->servers, q->server);
	}
	/* Findings with nothing failing yet: the servers they name. */
	for (i = 0; s->root == NULL && r->findings != NULL &&
	    i < r->findings->n; i++) {
		const struct finding *f = &r->findings->v[i];
		size_t j;

		if (f->status != FINDING_ACTIVE || f->severity <= SEV_LOW)
			continue;
		for (j = 0; j < f->servers.n; j++)
			strlist_add_unique_ci(&s->servers, f->servers.v[j]);
	}
	if (!s->logs_read)
		s->failed = s->succeeded = -1;
	/* None known to wait, but some whose status is unknown may. */
	if (!s->queues_read || (s->queued == 0 && s->queues_unsure > 0))
		s->queued = -1;
	if (s->since == TIME_UNKNOWN && s->root != NULL)
		s->since = s->root->first_seen;
	strlist_sort_ci(&s->servers);
}

/* "; 5 messages are queued for retry." and its unknowns. */
static void
impact_text(struct buf *b, const struct summary *s)
{
	char	when[32];

	if (!s->logs_read)
		buf_appendf(b, " How many TLS handshakes failed is unknown: no "
		    "protocol log was collected;");
	else if (s->failed > 0) {
		buf_appendf(b, " %ld TLS handshake%s failed", s->failed,
		    s->failed == 1 ? "" : "s");
		if (s->since != TIME_UNKNOWN) {
			time_format_iso(s->since, when, sizeof when);
			buf_appendf(b, " since %.10s %.5s UTC", when, when + 11);
		}
		buf_appendf(b, ";");
	} else
		buf_appendf(b, " No failed TLS handshake is in the logs;");
	if (!s->queues_read)
		buf_appendf(b, " how many messages wait for retry is unknown: no "
		    "Get-Queue output was collected.");
	else if (s->queued > 0)
		buf_appendf(b, " %ld message%s %s queued for retry.",
		    s->queued, s->queued == 1 ? "" : "s",
		    s->queued == 1 ? "is" : "are");
	else if (s->queued < 0 && s->queues == 0)
		buf_appendf(b, " whether messages wait for retry is unknown: the "
		    "status of %ld queue%s is unknown.", s->queues_unsure,
		    s->queues_unsure == 1 ? "" : "s");
	else if (s->queued < 0)
		buf_appendf(b, " %ld queue%s in retry (message count unknown).",
		    s->queues, s->queues == 1 ? " is" : "s are");
	else if (s->queues_elsewhere > 0)
		buf_appendf(b, " no queue collected on %s holds a message for "
		    "retry.", s->servers.n == 1 ? s->servers.v[0] : "those "
		    "servers");
	else
		buf_appendf(b, " no queue collected holds a message for retry.");
	/* What waits elsewhere is another matter, but it is not nothing. */
	if (s->queues_elsewhere > 0 && s->queued_elsewhere > 0)
		buf_appendf(b, " %ld message%s wait%s in queues of other "
		    "servers.", s->queued_elsewhere, s->queued_elsewhere == 1 ?
		    "" : "s", s->queued_elsewhere == 1 ? "s" : "");
	else if (s->queues_elsewhere > 0)
		buf_appendf(b, " %ld queue%s of other servers %s in retry.",
		    s->queues_elsewhere, s->queues_elsewhere == 1 ? "" : "s",
		    s->queues_elsewhere == 1 ? "is" : "are");
}

static void
sentence(const struct report *r, struct summary *s)
{
	enum verdict_state	 st = r->verdict != NULL ? r->verdict->state :
				    VERDICT_PROBLEMS;
	struct buf		 b;
	char			*names, *failing, a[64], z[64];

	buf_init(&b, 1 << 16);
	names = join_names(&s->servers);
	switch (st) {
	case VERDICT_CLEAR:
		buf_appendf(&b, "No TLS or certificate fault in mail flow was "
		    "found in this bundle");
		if (s->logs_read && s->succeeded > 0)
			buf_appendf(&b, ": %ld TLS handshake%s succeeded",
			    s->succeeded, s->succeeded == 1 ? "" : "s");
		buf_appendf(&b, ".");
		goto out;
	case VERDICT_NOT_JUDGED:
		buf_appendf(&b, "The configuration in this bundle shows no "
		    "problem, but mail flow was not judged: the bundle holds no "
		    "protocol logs, queues or transport events that could show "
		    "a failure.");
		goto out;
	case VERDICT_RESOLVED:
		if (s->failed > 0 || s->ended == NULL)
			buf_appendf(&b, "A mail flow incident is over: TLS "
			    "failed%s%s from %s to %s and has worked since. "
			    "Nothing to do.", s->servers.n > 0 ? " on " : "",
			    s->servers.n > 0 ? names : "", time_text_zoned(
			    s->since, !s->window_local, a, sizeof a),
			    time_text_zoned(s->until, !s->window_local, z,
			    sizeof z));
		else
			/* No failed handshake: its own title says what ended. */
			buf_appendf(&b, "A mail flow incident is over: %s. "
			    "Nothing to do.", strncmp(s->ended->title,
			    "Resolved: ", 10) == 0 ? s->ended->title + 10 :
			    s->ended->title);
		goto out;
	default:
		break;
	}
	if (s->root == NULL && r->verdict != NULL &&
	    r->verdict->unexplained == 0 && s->problem != NULL) {
		/* Findings with nothing failing (yet) in the evidence. */
		/* A title names its servers already. */
		buf_appendf(&b, "%s%s%s.", s->problem, s->servers.n > 0 &&
		    !s->problem_is_title ? " on " : "", s->servers.n > 0 &&
		    !s->problem_is_title ? names : "");
		if (r->ev != NULL && mail_flow_observable(r->ev))
			buf_appendf(&b, " Nothing in the evidence shows mail "
			    "failing because of it yet.");
		else
			buf_appendf(&b, " Whether mail fails because of it was "
			    "not judged: the bundle holds no protocol logs, queues "
			    "or transport events.");
		goto out;
	}
	if (s->root == NULL && s->servers.n > 0)
		buf_appendf(&b, "Mail flow problems were found on %s, but no "
		    "single cause.", names);
	else if (s->root == NULL)
		buf_appendf(&b, "Mail flow problems were found, but no single "
		    "cause.");
	else if (s->servers.n > 0) {
		if (s->problem_is_title)
			buf_appendf(&b, "%s", s->problem);
		else
			buf_appendf(&b, "%s on %s", s->problem, names);
		/*
		 * The finding names every server the fault is on; when the
		 * logs show it failing on fewer, say which.
		 */
		if (s->failing.n > 0 && !s->failing_unnamed &&
		    s->failing.n < s->servers.n) {
			failing = join_names(&s->failing);
			buf_appendf(&b, " (the failures are on %s)", failing);
			free(failing);
		}
		buf_appendf(&b, ".");
	} else
		buf_appendf(&b, "%s.", s->problem);
	impact_text(&b, s);
out:
	free(names);
	s->sentence = buf_steal(&b, NULL);
}

static void
fix_line(struct summary *s)
{
	const struct fix_facts	*ff;
	char			*names;
	bool			 named;

	if (s->root == NULL || (ff = finding_fix_facts(s->root)) == NULL)
		return;
	names = join_names(&s->root->servers);
	named = s->root->servers.n > 0;
	switch (ff->downtime) {
	case FIX_READ_ONLY:
		s->fix = xasprintf("%s (read only: nothing changes)", ff->fix);
		break;
	case FIX_STOPS_TRANSPORT:
		s->fix = xasprintf("%s (%s risk; transport stops on %s during "
		    "the change: mail flow pauses)", ff->fix, ff->risk,
		    named ? names : "each server involved");
		break;
	case FIX_RESTARTS_SERVER:
		s->fix = xasprintf("%s (%s risk; %s restart%s: mail flow "
		    "pauses)", ff->fix, ff->risk, named ? names :
		    "each server involved", named && s->root->servers.n == 1 ?
		    "s" : "");
		break;
	case FIX_RESTARTS_WEB:
		s->fix = xasprintf("%s (%s risk; the Outlook on the web and EAC "
		    "application pools restart on %s: sign-in there pauses for "
		    "a moment; mail flow goes on)", ff->fix, ff->risk, named ?
		    names : "each server involved");
		break;
	default:
		s->fix = xasprintf("%s (%s risk; no restart, no downtime)",
		    ff->fix, ff->risk);
		break;
	}
	free(names);
}

/*
 * The line under the verdict when there is no root cause to fix: where to
 * start, or that nothing is needed, or what to collect first.
 */
static void
first_step(const struct report *r, struct summary *s,
    const struct finding *first)
{
	enum verdict_state	st = r->verdict != NULL ? r->verdict->state :
				    VERDICT_PROBLEMS;

	if (s->root != NULL)
		s->first_step = xstrdup(s->fix != NULL ? s->fix :
		    "follow the root cause's steps");
	else if (st == VERDICT_RESOLVED)
		s->first_step = xstrdup("Nothing to fix: the incident is over. "
		    "Watch that it stays so with the checks under What to do");
	else if (st == VERDICT_CLEAR)
		s->first_step = xstrdup(s->sev[SEV_LOW] + s->sev[SEV_INFO] > 0 ?
		    "Nothing to do: no problem found (the low and informational "
		    "findings are for reference)" :
		    "Nothing to do: no problem found");
	else if (st == VERDICT_NOT_JUDGED)
		s->first_step = xstrdup("Nothing to fix in what was collected. "
		    "Collect the queues, the protocol logs and the transport "
		    "events of each server (see the evidence gaps), then run "
		    "certtrail again");
	else if (first != NULL)
		s->first_step = xasprintf("Start with %s: %s; its steps are "
		    "under All findings", first->id, first->title != NULL ?
		    first->title : "the first finding");
	else
		s->first_step = xstrdup("No finding explains what fails: read "
		    "the failures under Protocol logs and Queues, and collect "
		    "what the evidence gaps list");
}

/* Widens [lo, hi] to t when t is at most TIMELINE_REACH outside it. */
static void
reach(int64_t t, int64_t first, int64_t last, int64_t *lo, int64_t *hi)
{
	if (t == TIME_UNKNOWN || t < first - TIMELINE_REACH ||
	    t > last + TIMELINE_REACH)
		return;
	if (t < *lo)
		*lo = t;
	if (t > *hi)
		*hi = t;
}

/*
 * The hourly counts of the logs, per hour or per day by the span. The span
 * reaches out to the dates of the certificates the findings name and the
 * queues' last retries when they are close, so the onset shows beside them.
 */
static void
timeline(const struct report *r, struct summary *s)
{
	const struct evidence	*ev = r->ev;
	int64_t			 lo, hi, first, last, span, step;
	size_t			 i, j, k2;
	int			 k;

	if (ev == NULL || ev->ntls_hours == 0)
		return;
	first = lo = ev->tls_hours[0].hour;
	last = hi = ev->tls_hours[ev->ntls_hours - 1].hour;
	for (i = 0; r->findings != NULL && i < r->findings->n; i++) {
		const struct finding *f = &r->findings->v[i];

		for (j = 0; j < f->thumbprints.n; j++)
			for (k2 = 0; k2 < ev->ncerts; k2++) {
				const struct ev_cert *c = &ev->certs[k2];

				if (c->thumbprint == NULL || ascii_casecmp(
				    c->thumbprint, f->thumbprints.v[j]) != 0)
					continue;
				/* The axis is UTC: a local time has no place. */
				if (!c->dates_exact)
					continue;
				reach(c->not_before, first, last, &lo, &hi);
				reach(c->not_after, first, last, &lo, &hi);
			}
	}
	for (i = 0; i < ev->nqueues; i++)
		if (queue_waiting(&ev->queues[i]) &&
		    ev->queues[i].last_retry_time_exact)
			reach(ev->queues[i].last_retry_time, first, last, &lo,
			    &hi);
	span = hi - lo;
	step = span < 3 * DAY ? HOUR : DAY;
	/* Whole days, as few as keep the buckets within the maximum. */
	if (span / step + 2 > SUMMARY_MAX_BUCKETS)
		step = (span / (SUMMARY_MAX_BUCKETS - 2) / DAY + 1) * DAY;
	s->step = step;
	s->t0 = lo - (((lo % step) + step) % step);
	s->nbuckets = (int)((hi - s->t0) / step) + 1;
	for (i = 0; i < ev->ntls_hours; i++) {
		k = (int)((ev->tls_hours[i].hour - s->t0) / step);
		s->ok[k] += (double)ev->tls_hours[i].ok;
		s->bad[k] += (double)ev->tls_hours[i].failed;
	}
}

void
summary_build(const struct report *r, struct summary *s)
{
	const struct fix_facts	*ff;
	const struct finding	*first = NULL;
	size_t			 i;

	memset(s, 0, sizeof *s);
	if (r->findings != NULL && r->findings->root_cause >= 0 &&
	    (size_t)r->findings->root_cause < r->findings->n)
		s->root = &r->findings->v[r->findings->root_cause];
	if (r->findings != NULL)
		s->resolved = findings_count_active(r->findings, s->sev);
	for (i = 0; r->findings != NULL && i < r->findings->n; i++) {
		const struct finding *f = &r->findings->v[i];

		if (f->status == FINDING_RESOLVED && s->ended == NULL)
			s->ended = f;
		if (f->status == FINDING_ACTIVE && f->severity > SEV_LOW &&
		    first == NULL)
			first = f;
	}
	ff = s->root != NULL ? finding_fix_facts(s->root) : NULL;
	if (ff != NULL)
		s->problem = ff->problem;
	else if (s->root != NULL && s->root->title != NULL) {
		s->problem = s->root->title;
		s->problem_is_title = true;
	} else if (r->verdict != NULL && r->verdict->state == VERDICT_PROBLEMS &&
	    r->verdict->unexplained == 0 && first != NULL && first->title) {
		s->problem = first->title;
		s->problem_is_title = true;
	}
	else if (r->verdict != NULL && r->verdict->state == VERDICT_PROBLEMS)
		s->problem = "Mail flow problems were found, but no single "
		    "cause";
	else if (r->verdict != NULL)
		s->problem = verdict_heading(r->verdict->state);
	else
		s->problem = "No problem found";
	impact(r, s);
	sentence(r, s);
	fix_line(s);
	first_step(r, s, first);
	s->handshakes = s->handshakes_failed = -1;
	if (r->ev != NULL && logs_collected(r->ev)) {
		s->handshakes = r->ev->logs.tls_ok + r->ev->logs.tls_failed;
		s->handshakes_failed = r->ev->logs.tls_failed;
	}
	timeline(r, s);
}

void
summary_free(struct summary *s)
{
	free(s->sentence);
	free(s->fix);
	free(s->first_step);
	strlist_free(&s->servers);
	strlist_free(&s->failing);
	s->sentence = s->fix = s->first_step = NULL;
}

/*
 * What the first screen of every output says, computed once: the problem in
 * plain words, its impact (failed handshakes, queued messages, servers, since
 * when), the fix in one line with its risk and downtime, and the daily TLS
 * outcome counts the timelines draw. report.html and report.xlsx both show
 * it, so they never disagree.
 */
#ifndef CERTTRAIL_SUMMARY_H
#define CERTTRAIL_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"
#include "util/util.h"

#define SUMMARY_MAX_BUCKETS	80

struct summary {
	const struct finding	*root;		/* NULL: none */
	const struct finding	*ended;		/* the first incident that is over, NULL */
	const char		*problem;	/* plain headline, never NULL */
	/* problem is a finding's title, which names its servers itself */
	bool			 problem_is_title;
	char			*sentence;	/* the verdict with its impact */
	char			*fix;		/* "Enable ... (low risk; no ...)", NULL */
	/*
	 * What to do first when there is no root cause to fix (never NULL
	 * after summary_build): the finding to start with, that nothing is
	 * needed, or what to collect. With a root cause, its fix is `fix`.
	 */
	char			*first_step;
	/* Every TLS handshake the logs hold, failed or not (-1 unknown). */
	long			 handshakes;
	long			 handshakes_failed;
	struct strlist		 servers;	/* affected servers */
	/*
	 * Of those, the servers whose logs show the root cause's failed
	 * handshakes; failing_unnamed when a log of them names no server.
	 */
	struct strlist		 failing;
	bool			 failing_unnamed;
	/*
	 * What the logs and queues were not collected for is unknown, never
	 * 0: logs_read and queues_read say whether the counts mean anything.
	 */
	bool			 logs_read;
	bool			 queues_read;
	long			 failed;	/* failed TLS handshakes */
	long			 succeeded;
	long			 queued;	/* messages in Retry/Suspended queues, -1 unknown */
	long			 queues;	/* such queues */
	long			 queues_unsure;	/* queues whose status is unknown */
	/*
	 * With a root cause the counts are its servers'; these are the waiting
	 * queues of the other servers, and their messages (-1 unknown).
	 */
	long			 queues_elsewhere;
	long			 queued_elsewhere;
	int64_t			 since;		/* first failure or first seen */
	int64_t			 until;		/* resolved: the last failure */
	bool			 window_local;	/* resolved: since, until local */
	long			 ended_rows;	/* resolved: its symptoms' rows */
	long			 sev[5];	/* active findings by severity */
	long			 resolved;	/* findings whose incident is over */
	/*
	 * The timeline: TLS outcome rows per bucket from t0, each `step`
	 * seconds (an hour or a day), from the logs' hourly counts.
	 */
	int64_t			 t0, step;
	int			 nbuckets;
	double			 ok[SUMMARY_MAX_BUCKETS], bad[SUMMARY_MAX_BUCKETS];
};

void	 summary_build(const struct report *, struct summary *);
void	 summary_free(struct summary *);

#endif

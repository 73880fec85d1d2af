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

#include "output/report.h"
#include "util/util.h"

/* What applying a fix costs in mail flow. */
enum fix_downtime {
	FIX_NO_DOWNTIME,	/* no restart, no downtime */
	FIX_STOPS_TRANSPORT,	/* transport stopped on the servers: mail pauses */
	FIX_RESTARTS_SERVER,	/* the servers restart: mail pauses */
	FIX_READ_ONLY		/* the next step only looks: nothing changes */
};

/* How a root-cause rule is fixed, in a manager's words. */
struct fix_facts {
	const char		*rule;
	const char		*problem;	/* "Outbound TLS fails because ..." */
	const char		*fix;		/* "Enable SMTP on the certificate" */
	const char		*risk;		/* "low", "medium" */
	enum fix_downtime	 downtime;
};

/* The facts for a rule id, NULL when the table has none. */
const struct fix_facts *fix_facts_find(const char *rule);

#define SUMMARY_MAX_BUCKETS	80

struct summary {
	const struct finding	*root;		/* NULL: none */
	const char		*problem;	/* plain headline, never NULL */
	char			*sentence;	/* the verdict with its impact */
	char			*fix;		/* "Enable ... (low risk; no ...)", NULL */
	struct strlist		 servers;	/* affected servers */
	long			 failed;	/* failed TLS handshakes */
	long			 succeeded;
	long			 queued;	/* messages in Retry/Suspended queues, -1 unknown */
	long			 queues;	/* such queues */
	int64_t			 since;		/* first failure or first seen */
	long			 sev[5];	/* findings by severity */
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

/*
 * Findings: what the rules conclude, with their evidence and remediation.
 * A finding owns all its strings.
 */
#ifndef CERTTRAIL_FINDINGS_H
#define CERTTRAIL_FINDINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/evidence.h"

struct fix_facts;

enum severity { SEV_INFO = 0, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

const char *severity_name(enum severity);
/* "critical" ... "info"; returns false when unknown. */
bool	 severity_parse(const char *, enum severity *);

/*
 * Whether what a finding names is still the case. Resolved: its symptoms
 * ended inside the evidence, with successes on the same path after them,
 * and the cause is no longer in the configuration (resolution.h); an
 * incident that is over never drives a root cause.
 */
enum finding_status { FINDING_ACTIVE = 0, FINDING_RESOLVED };

const char *finding_status_name(enum finding_status);	/* "active", ... */

struct finding_evidence {
	char	*source;	/* bundle path */
	long	 line;		/* 0: not line-based */
	char	*text;
	long	 count;		/* rows this sample stands for (>= 1) */
};

struct remediation_step {
	int	 step;
	char	*text;		/* what and why */
	char	*command;	/* PowerShell, with real names; NULL when none */
};

struct finding {
	char			 id[24];	/* "F1", assigned after ranking */
	const char		*rule;		/* static rule id */
	enum severity		 severity;
	char			*title;
	char			*explanation;
	struct strlist		 servers;
	struct strlist		 connectors;
	struct strlist		 thumbprints;
	/*
	 * When its symptoms were seen, UTC. Times on a server's local clock
	 * whose offset is unknown never mix with them: they make a window of
	 * their own (*_local), shown only when there is no UTC one.
	 */
	int64_t			 first_seen;
	int64_t			 last_seen;
	int64_t			 first_seen_local;
	int64_t			 last_seen_local;
	struct finding_evidence	*evidence;
	size_t			 nevidence, evidence_cap;
	struct remediation_step	*remediation;
	size_t			 nremediation, remediation_cap;
	struct strlist		 references;
	/* Ranking inputs: see findings_rank(). */
	bool			 direct_evidence;	/* log rows, queues or transcripts */
	long			 symptoms_explained;
	/*
	 * A generic rule only reports symptoms no specific rule explains; it
	 * never names the root cause while a specific finding exists. A
	 * specific rule's finding whose cause it leaves open is generic too.
	 */
	bool			 generic;
	long			 seq;		/* creation order: symptoms link to it */
	/*
	 * Resolved findings keep first_seen and last_seen, the window of
	 * their symptoms, and say what the evidence shows after it.
	 */
	enum finding_status	 status;
	char			*change;	/* what changed, and where the bundle
						 * shows it; NULL: it does not */
	long			 ok_after;	/* successful handshakes on the same
						 * path after the last symptom */
	int64_t			 ok_first, ok_last;	/* their first and last */
	/*
	 * The first screen's problem and fix for this finding when they differ
	 * from its rule's (the same rule may be fixed here on the server, there
	 * by a peer); NULL: the rule's.
	 */
	const struct fix_facts	*facts;
};

struct findings {
	struct finding	*v;
	size_t		 n;
	size_t		 cap;
	long		 root_cause;	/* index into v, -1 when none */
};

/* A new finding at the end of the list, zeroed, times unknown. */
struct finding	*findings_new(struct findings *, const char *rule, enum severity);
/* Removes the finding findings_new returned last (a rule changed its mind). */
void	 findings_drop_last(struct findings *);
void	 finding_add_evidence(struct finding *, const char *source, long line,
	    const char *text, long count);
void	 finding_add_step(struct finding *, const char *text, const char *command);
void	 finding_seen(struct finding *, int64_t t);	/* widens first/last seen */
/* The same for a time that is UTC (utc) or the server's local clock. */
void	 finding_seen_at(struct finding *, int64_t t, bool utc);
/*
 * The window to show: the UTC one when known, else the local one (*utc
 * false). TIME_UNKNOWN when none.
 */
int64_t	 finding_first(const struct finding *, bool *utc);
int64_t	 finding_last(const struct finding *, bool *utc);
void	 findings_free(struct findings *);

/*
 * Orders findings (root cause first, resolved ones after every active one)
 * and assigns ids F1, F2, ...
 */
void	 findings_rank(struct findings *);

/* The finding created seq-th (links survive the ranking), or NULL. */
const struct finding *findings_by_seq(const struct findings *, long seq);

/* The id of the first finding that names the thumbprint, or NULL. */
const char *findings_naming(const struct findings *, const char *thumbprint);

/* Counts by severity, indexed by enum severity. */
void	 findings_count(const struct findings *, long counts[5]);
/* The same for the active findings only; returns how many are resolved. */
long	 findings_count_active(const struct findings *, long counts[5]);

#endif

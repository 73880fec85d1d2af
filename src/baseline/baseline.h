/*
 * The comparison with an earlier result (--baseline BEFORE): two cases, each
 * read from the findings.json certtrail wrote for it (the new case's from
 * the text about to be written), compared finding by finding and connector
 * by connector. The findings are matched by rule, servers, connectors and
 * thumbprints, never by id: ids are ranks, which change from run to run.
 *
 * docs/contract.md ("baseline") and docs/reports.md say what each part means.
 *
 * Ownership: a struct baseline owns everything in it; baseline_free()
 * releases it. Nothing points into the JSON texts it was read from.
 */
#ifndef CERTTRAIL_BASELINE_H
#define CERTTRAIL_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* The newest findings.json schema this program reads: certtrail/findings/N. */
#define BASELINE_SCHEMA_PREFIX	"certtrail/findings/"
#define BASELINE_SCHEMA_MAX	1

/* A finding as compared. */
struct bl_finding {
	char		*id;		/* "F2" */
	char		*rule;
	char		*severity;	/* "critical" ... "info" */
	char		*title;
	struct strlist	 servers, connectors, thumbprints;
	bool		 resolved;	/* its status says "resolved" */
};

/* TLS outcomes of one connector on one UTC day ("tls_days"). */
struct bl_day {
	char		*server;
	bool		 receive;
	char		*connector;
	int64_t		 day;
	long		 ok, failed;
};

/* A queue as compared ("queues"). */
struct bl_queue {
	char		*server;
	char		*identity;	/* "EXHUB1\3" */
	char		*next_hop;
	char		*status;	/* "Retry", ...; NULL unknown */
	long		 messages;	/* -1 unknown */
	char		*last_error;
};

/* A symptom and the finding that explains it ("symptoms"). */
struct bl_symptom {
	char		*kind;		/* "tls_failure", "queue", ... */
	char		*server;
	char		*connector;
	char		*finding;	/* its id; NULL: none */
};

/* One case: what its findings.json says. */
struct bl_case {
	char		*path;		/* the file read (BEFORE only) */
	char		 sha256[65];	/* of that file; "" for the new case */
	int64_t		 as_of;		/* TIME_UNKNOWN */
	struct bl_finding *findings;
	size_t		 nfindings;
	struct strlist	 servers;	/* the servers its evidence covers */
	long		 symptoms;	/* -1 unknown */
	struct bl_symptom *sym;
	size_t		 nsym;
	bool		 days_known;	/* it has "tls_days" */
	struct bl_day	*days;
	size_t		 ndays;
	struct strlist	 queue_servers;	/* servers whose queues it holds */
	struct bl_queue	*queues;
	size_t		 nqueues;
};

enum bl_state { BL_RESOLVED, BL_PERSISTING, BL_NEW, BL_NOT_RECOLLECTED };
#define BL_NSTATES	(BL_NOT_RECOLLECTED + 1)

struct bl_server_state {
	char		*server;
	enum bl_state	 state;
};

/* One problem: a finding of either case, or both. */
struct bl_entry {
	enum bl_state	 state;
	char		*rule;
	char		*severity;	/* the new case's when it has the finding */
	char		*title;		/* the new case's when it has it */
	struct strlist	 servers, connectors, thumbprints;	/* of both */
	char		*before;	/* the earlier id, NULL */
	char		*after;		/* the new id, NULL */
	struct bl_server_state *per_server;
	size_t		 nper_server;
};

/* Failed handshakes of one connector before and after (-1: not collected). */
struct bl_connector {
	char		*server;
	bool		 receive;
	char		*connector;
	long		 before_failed, after_failed;
	long		 before_ok, after_ok;
	int64_t		 last_failure_day;	/* TIME_UNKNOWN: none */
	int64_t		 first_clean_day;	/* TIME_UNKNOWN: none yet */
	/* Every day either case has, in order. */
	struct bl_day_pair {
		int64_t	 day;
		long	 before_ok, before_failed;	/* -1: no rows that day */
		long	 after_ok, after_failed;
	}		*days;
	size_t		 ndays;
};

enum bl_queue_state { BLQ_DRAINED, BLQ_WAITING, BLQ_NOT_RECOLLECTED };

struct bl_queue_cmp {
	char		*server;
	char		*identity;
	char		*next_hop;
	long		 before_messages, after_messages;	/* -1 unknown */
	char		*after_status;
	enum bl_queue_state state;
};

struct baseline {
	struct bl_case	 before, after;
	struct strlist	 compared;	/* servers both cover */
	struct strlist	 before_only;	/* not re-collected */
	struct strlist	 after_only;
	struct bl_entry	*entries;
	size_t		 nentries;
	long		 counts[BL_NSTATES];	/* entries by state */
	struct bl_connector *connectors;
	size_t		 nconnectors;
	struct bl_queue_cmp *queues;
	size_t		 nqueues;
	char		*text;		/* the one plain sentence */
};

/*
 * Reads BEFORE: a findings.json, or the folder that holds one. Returns 0;
 * or -1 with *why set (owned) to a message saying what was expected.
 */
int	 baseline_read_before(const char *path, struct bl_case *, char **why);
/* Reads the new case from the findings.json text about to be written. */
int	 baseline_read_text(const char *text, size_t len, struct bl_case *,
	    char **why);
/* Compares; takes both cases into b. */
void	 baseline_compare(struct bl_case *before, struct bl_case *after,
	    struct baseline *b);
void	 baseline_free(struct baseline *);
void	 bl_case_free(struct bl_case *);

const char *bl_state_name(enum bl_state);		/* "resolved", ... */
const char *bl_state_words(enum bl_state);		/* "not re-collected" */
const char *bl_queue_state_name(enum bl_queue_state);	/* "drained", ... */
/* Whether an entry counts for --fail-on with --baseline: persisting or new. */
bool	 bl_entry_counts(const struct bl_entry *);

#endif

/*
 * Incidents that are over (docs/rules.md, "Resolved incidents").
 *
 * A set of symptoms ended when each of them is a run of protocol log rows
 * (failed handshakes, deferral codes, connect failures) on a known path
 * (server, connector and direction), and the logs show successful
 * handshakes on that path after its last row and none inside its window:
 * the path failed, then worked. A queue in Retry, an expired or missing
 * certificate, an event or a transcript is a state at collection time or has
 * no path, so a finding with any of them stays active. Whether the cause is
 * gone from the configuration is the rule's to say: a specific rule marks
 * its finding resolved only then; a generic finding, whose cause is not
 * known, is resolved on the symptoms alone and says that what changed is
 * not shown.
 */
#ifndef CERTTRAIL_RESOLUTION_H
#define CERTTRAIL_RESOLUTION_H

#include <stdbool.h>
#include <stdint.h>

#include "rules.h"

struct recovery {
	int64_t		 first, last;	/* the symptoms' window */
	bool		 local;		/* that window is the server's local clock */
	long		 failures;	/* the rows behind the symptoms */
	long		 ok;		/* successful handshakes after, on the paths */
	int64_t		 ok_first, ok_last;
	struct strlist	 ok_certs;	/* thumbprints those successes presented */
	struct strlist	 connectors;	/* the paths' connectors */
};

/*
 * Whether the symptoms `match` accepts (at least one) all ended with
 * successes after them on their paths; fills *rec either way (free it).
 */
bool	 recovery_find(const struct rule_ctx *, symptom_match_fn,
	    const void *arg, struct recovery *);
/* The same for the symptoms linked to f. */
bool	 finding_recovery(const struct rule_ctx *, const struct finding *,
	    struct recovery *);
void	 recovery_free(struct recovery *);

/*
 * Marks f resolved: its window, what changed (copied; NULL when the evidence
 * does not show it), a sentence saying the incident is over added to its
 * explanation, and its steps replaced by one that only verifies (the
 * command may be NULL).
 */
void	 finding_mark_resolved(struct finding *, const struct recovery *,
	    const char *change, const char *verify, const char *command);

/* Marks every active generic finding whose symptoms ended resolved. */
void	 resolve_generic(struct rule_ctx *);

#endif

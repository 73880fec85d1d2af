/*
 * The verdict: one of five answers (docs/rules.md, "The verdict"), in one
 * plain sentence or a few, with what could not be read stated beside it.
 * Every output shows it first.
 */
#ifndef CERTTRAIL_VERDICT_H
#define CERTTRAIL_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/evidence.h"
#include "findings.h"
#include "symptoms.h"
#include "util/util.h"

enum verdict_state {
	VERDICT_ROOT_CAUSE,	/* an active symptom, explained by the first finding */
	VERDICT_PROBLEMS,	/* findings above low, or symptoms without a cause */
	VERDICT_RESOLVED,	/* symptoms that ended, their cause gone */
	VERDICT_CLEAR,		/* nothing wrong in evidence that could show it */
	VERDICT_NOT_JUDGED	/* nothing wrong, but nothing could show a failure */
};

struct verdict {
	enum verdict_state	 state;
	char			*text;		/* plain sentences, the heading first */
	struct strlist		 incomplete;	/* what was skipped or not read */
	long			 symptoms;	/* symptoms found */
	long			 unexplained;	/* active ones no specific finding explains */
	long			 ended;		/* those of incidents that are over */
};

struct gap_list;

/*
 * Root cause found when the first-ranked finding explains an active
 * symptom; problems found when active symptoms or active findings above low
 * remain without one; resolved when all that went wrong is over; no
 * problem found only when nothing is wrong in evidence that could show a
 * failure (logs, queues or events), saying what that rests on; not judged
 * when nothing is wrong but the bundle holds nothing that could show one.
 */
void	 verdict_build(const struct evidence *, const struct findings *,
	    const struct symptom_list *, const struct gap_list *, int64_t as_of,
	    struct verdict *);
void	 verdict_free(struct verdict *);
const char *verdict_state_name(enum verdict_state);	/* "root_cause", ... */
const char *verdict_heading(enum verdict_state);	/* "Root cause found", ... */

/*
 * Whether the bundle holds each kind of evidence that shows mail flow
 * failing. Where it does not, a count of what that evidence would hold
 * (messages queued, failed handshakes) is unknown, never 0.
 */
bool	 queues_collected(const struct evidence *);
bool	 logs_collected(const struct evidence *);
bool	 events_collected(const struct evidence *);
/* Any of the three: whether mail flow could be judged at all. */
bool	 mail_flow_observable(const struct evidence *);

#endif

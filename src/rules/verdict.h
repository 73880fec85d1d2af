/*
 * The verdict: one of three answers, in one plain sentence, with what could
 * not be read stated beside it. Every output shows it first.
 */
#ifndef CERTTRAIL_VERDICT_H
#define CERTTRAIL_VERDICT_H

#include <stdint.h>

#include "model/evidence.h"
#include "findings.h"
#include "symptoms.h"
#include "util/util.h"

enum verdict_state { VERDICT_ROOT_CAUSE, VERDICT_PROBLEMS, VERDICT_CLEAR,
	VERDICT_NOT_JUDGED };

struct verdict {
	enum verdict_state	 state;
	char			*text;		/* one plain sentence or two */
	struct strlist		 incomplete;	/* what was skipped or not read */
	long			 symptoms;	/* symptoms found */
	long			 unexplained;	/* of those, explained by no specific finding */
};

struct gap_list;

/*
 * Root cause found when the findings name one; problems found when symptoms
 * or findings above low remain without one; no problem found only when there
 * is neither, saying what that rests on.
 */
void	 verdict_build(const struct evidence *, const struct findings *,
	    const struct symptom_list *, const struct gap_list *, int64_t as_of,
	    struct verdict *);
void	 verdict_free(struct verdict *);
const char *verdict_state_name(enum verdict_state);	/* "root_cause", ... */
const char *verdict_heading(enum verdict_state);	/* "Root cause found", ... */

#endif

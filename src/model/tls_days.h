/*
 * The TLS outcomes per connector and day (struct ev_tls_day, evidence.h):
 * counted as the rows come in, moved with the log thread's evidence, given
 * their server once the groups have theirs. Private to the model's log
 * files (evidence_logs.c); everything else reads ev->tls_days.
 *
 * Ownership: the evidence owns every row and its strings.
 */
#ifndef CERTTRAIL_TLS_DAYS_H
#define CERTTRAIL_TLS_DAYS_H

#include <stdbool.h>
#include <stdint.h>

#include "evidence.h"

/* Counts one outcome row of group `a` at `time` (TIME_UNKNOWN: not counted). */
void	 tls_days_add(struct evidence *, const struct ev_tls_agg *a,
	    int64_t time, bool ok);
/* Moves src's rows to the end of dst's. */
void	 tls_days_take(struct evidence *dst, struct evidence *src);
/*
 * After the groups were attributed: each row takes the server of the group
 * of its folder, direction and connector; equal rows merge; sorted by
 * server, direction, connector and day.
 */
void	 tls_days_finish(struct evidence *);
void	 tls_days_free(struct evidence *);

#endif

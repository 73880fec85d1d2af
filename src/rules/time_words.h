/*
 * Sentences that put two times side by side. A difference is stated only
 * when both times are UTC (protocol logs, a certificate's own dates, or a
 * server's local time converted with its inferred offset: model/time_zone.h);
 * otherwise both are stated as written, each labelled, without one.
 */
#ifndef CERTTRAIL_TIME_WORDS_H
#define CERTTRAIL_TIME_WORDS_H

#include <stdint.h>

#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "util/util.h"

/*
 * After a sentence on failures that follow the sending of certificate c,
 * the first at first_failure (UTC): how that start relates to the
 * certificate's NotBefore. "The failures began 14 hours after the
 * certificate's NotBefore (...), consistent with a newly imported
 * certificate." when both are UTC and less than a week apart (later, only
 * that it was issued so many days before); a clock or time zone that is off when
 * the logs show the certificate presented before its NotBefore (and no
 * onset claimed); both times, labelled, when its NotBefore is the server's
 * local time. Nothing when either is unknown.
 */
void	 time_words_onset(struct buf *, const struct evidence *,
	    const struct ev_cert *c, int64_t first_failure);

/*
 * How long until not_after from as_of (both UTC), for a sentence: "20
 * days", "1 day", "11 hours" under a day, "less than an hour".
 * Into buf, which it returns.
 */
const char *time_left_words(int64_t not_after, int64_t as_of, char *buf,
	    size_t size);

#endif

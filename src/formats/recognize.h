/*
 * Evidence certtrail recognizes but does not read (yet): a HealthChecker
 * report, an event text in a layout no reader takes, an event's bare
 * message, exported Exchange objects of a type no kind reads (Get-ExchangeServer).
 * An entry no format read is asked here, so that the run says what it was
 * and why it was not read instead of calling it "not Exchange evidence"; the
 * run writes its reports with whatever else was read (docs/contract.md,
 * "Exit status").
 */
#ifndef CERTTRAIL_RECOGNIZE_H
#define CERTTRAIL_RECOGNIZE_H

#include <stddef.h>

struct recognized {
	const char	*what;		/* "HealthChecker report" */
	const char	*why;		/* why this version does not read it */
};

/* What the decoded text is, when recognized; NULL otherwise. */
const struct recognized *recognize_unread(const char *utf8, size_t len);

#endif

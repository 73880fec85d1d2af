/*
 * Whether a certificate has expired at the as-of time (cert.h). The as-of
 * time is UTC; a NotAfter printed by the server's local clock, its offset
 * unknown, lies anywhere from 12 hours before to 14 hours after the same
 * figures read as UTC (offsets run from UTC-12:00 to UTC+14:00). Inside
 * that span whether it has expired is not known, and is never guessed.
 */
#include "config.h"

#include "util/datetime.h"
#include "util/util.h"
#include "model/kinds/cert.h"

#define HOUR	INT64_C(3600)

enum cert_expiry
cert_expiry_at(const struct ev_cert *c, int64_t as_of)
{
	if (as_of == TIME_UNKNOWN)
		return CERT_EXPIRY_UNKNOWN;
	if (c->not_after == TIME_UNKNOWN)
		/* Without dates, Exchange's own status is the only word on it. */
		return str_eq_ci(c->status, "DateInvalid") ?
		    CERT_EXPIRED : CERT_EXPIRY_UNKNOWN;
	if (c->dates_exact)
		return c->not_after < as_of ? CERT_EXPIRED : CERT_VALID;
	/* Local figures: UTC is local - offset, offset in [-12 h, +14 h]. */
	if (c->not_after + 12 * HOUR < as_of)
		return CERT_EXPIRED;
	if (c->not_after - 14 * HOUR >= as_of)
		return CERT_VALID;
	return CERT_EXPIRES_ABOUT_NOW;
}

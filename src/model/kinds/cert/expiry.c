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

/*
 * Whether a date written with its day/month order unknown lies after t
 * read either way, by more than the largest UTC offset: it cannot have
 * passed at t.
 */
static bool
written_after(const char *written, int64_t t)
{
	int64_t	a, b;

	return written != NULL &&
	    date_parse_culture(written, DATE_ORDER_MDY, &a) &&
	    date_parse_culture(written, DATE_ORDER_DMY, &b) &&
	    a - 14 * HOUR > t && b - 14 * HOUR > t;
}

enum cert_expiry
cert_expiry_at(const struct ev_cert *c, int64_t as_of)
{
	if (as_of == TIME_UNKNOWN)
		return CERT_EXPIRY_UNKNOWN;
	if (c->not_after == TIME_UNKNOWN) {
		/*
		 * Without dates, Exchange's own status is the only word on it;
		 * but DateInvalid also means not yet valid, which a NotAfter
		 * (or NotBefore) written after the as-of time either way shows.
		 */
		if (!str_eq_ci(c->status, "DateInvalid") ||
		    written_after(c->not_after_written, as_of) ||
		    written_after(c->not_before_written, as_of))
			return CERT_EXPIRY_UNKNOWN;
		return CERT_EXPIRED;
	}
	if (c->dates_exact)
		return c->not_after < as_of ? CERT_EXPIRED : CERT_VALID;
	/* Local figures: UTC is local - offset, offset in [-12 h, +14 h]. */
	if (c->not_after + 12 * HOUR < as_of)
		return CERT_EXPIRED;
	if (c->not_after - 14 * HOUR >= as_of)
		return CERT_VALID;
	return CERT_EXPIRES_ABOUT_NOW;
}

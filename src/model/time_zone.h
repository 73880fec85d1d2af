/*
 * Which clock a time was read on. Protocol logs, certificates' own dates
 * (DER), JSON \/Date(ms)\/ and CliXml dates with their offset are UTC;
 * Format-List, table, CSV and event texts print the server's local clock
 * without saying its offset. Once everything is read, evidence_time_zones()
 * infers each server's UTC offset where the evidence shows one instant both
 * ways (the same certificate's dates printed locally and written in UTC, a
 * local time written with its offset, a Receive log's 220 banner), records
 * it in the servers (kinds/server.h), converts that server's local times to
 * UTC where the offset holds, and leaves every other local time labelled
 * local.
 *
 * Offsets are whole quarter hours within 14 hours of UTC. Daylight saving
 * changes fall, wherever a zone has them today (the United States, the
 * European Union, Australia, New Zealand, Chile, Egypt, Israel, ...),
 * between March 8 and April 30 and between September 1 and November 7. So
 * an offset seen from November 8 to March 7 holds for local times in that
 * part of any year, one seen from May 1 to August 31 for that part, and one
 * seen in the changeover months for no other time. A server's clues in one
 * part must agree; the two parts may differ (its clock keeps daylight saving
 * time), and a changeover month's clue must then give one of the two. Any
 * other disagreement (a clock moved) gives no offset, and a diagnostic says
 * so. (Zones
 * that change around Ramadan, and zones whose rules changed between the
 * years a bundle's dates span, are beyond this: their clues disagree and no
 * offset is taken, or a date far from its clue is converted with today's
 * rule.)
 */
#ifndef CERTTRAIL_TIME_ZONE_H
#define CERTTRAIL_TIME_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

#define TZ_OFFSET_MAX_MINUTES	(14 * 60)
#define TZ_SEASON_WINTER	1u	/* November 8 to March 7 */
#define TZ_SEASON_SUMMER	2u	/* May 1 to August 31 */

/* The season of a local wall-clock time (TZ_SEASON_*), 0 in a changeover month. */
unsigned tz_season(int64_t local);
/* Whether an offset in minutes is one a clock can have. */
bool	 tz_offset_valid(long minutes);

/* Infers the servers' offsets and converts their local times (see above). */
void	 evidence_time_zones(struct evidence *);

/*
 * How a time was read, for people: "UTC", "UTC, converted from server
 * local time (EXHUB1 is UTC-08:00)", "server local time", "server local
 * time; day/month order guessed from other files", "as written (day/month
 * order unknown)"; NULL when there is no time. The caller frees it.
 */
char	*time_read_as(const struct evidence *, const char *server, int64_t t,
	    bool exact, bool converted, bool guessed, bool written);

/* "UTC-08:00", "UTC+05:30" into buf. */
const char *tz_offset_text(int minutes, char *buf, size_t size);

/*
 * When a certificate was first presented in the protocol logs (UTC), if
 * before its NotBefore (UTC, from the certificate or the log's own block):
 * a clock or time zone is off, so nothing may be concluded from when it
 * became valid. TIME_UNKNOWN otherwise; *source and *line name the row.
 */
int64_t	 cert_presented_before_valid(const struct evidence *, const char *server,
	    const char *thumbprint, int64_t *not_before, const char **source,
	    long *line);

#endif

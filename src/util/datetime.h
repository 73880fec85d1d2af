/*
 * Times. Everything is kept as seconds since the epoch, UTC (TIME_UNKNOWN when
 * unknown). Culture-formatted dates from Format-List output need the file's
 * day/month order, which is inferred from all the dates in the file.
 */
#ifndef CERTTRAIL_DATETIME_H
#define CERTTRAIL_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIME_UNKNOWN INT64_MIN	/* seconds since the epoch, UTC */

enum date_order {
	DATE_ORDER_UNKNOWN = 0,	/* undecidable so far */
	DATE_ORDER_MDY,		/* 11/2/2026 (en-US) */
	DATE_ORDER_DMY,		/* 02.03.2029, 12/02/2018 (en-AU, de, ru) */
	DATE_ORDER_YMD		/* 2026-11-02, 2026/11/02 */
};

/*
 * Accumulates evidence about the order from one date string. Call it for every
 * date in a file, then date_order_decide(). A date with a field above 12 (or
 * dots or dashes) settles it; otherwise the way the file's dates are written,
 * its culture's pattern, may (date_order_decide_why says which).
 */
struct date_order_votes {
	int	mdy;	/* strings that can only be month first */
	int	dmy;	/* strings that can only be day first (or use dots, dashes) */
	int	ymd;
	int	ambiguous;
	/* The pattern, over year-last dates and their times. */
	int	slashes;	/* dates written with '/' */
	int	first_padded, first_bare;	/* a first field below 10: "05", "5" */
	int	second_padded, second_bare;	/* likewise the second */
	int	ampm;		/* times with an AM/PM designator */
	int	clock24;	/* times without one */
};

void	 date_order_vote(struct date_order_votes *, const char *s);
enum date_order date_order_decide(const struct date_order_votes *);
/*
 * The same; *basis is set to a phrase for people when the culture's
 * pattern decided it rather than the fields' values, else NULL.
 */
enum date_order date_order_decide_why(const struct date_order_votes *,
	    const char **basis);

/*
 * Parses a culture-formatted date and time ("11/2/2026 5:59:59 PM",
 * "02.03.2029 09:14:03", "2026-11-02 17:59:59") in the given order. The clock
 * time is the server's local time, which the text does not say: it is taken
 * as UTC. Returns false when unparsable or when the order is needed but
 * unknown (both readings differ).
 */
bool	 date_parse_culture(const char *s, enum date_order, int64_t *out);

/* ISO-8601: "2026-11-10", "2026-11-10T08:00:00Z", "2026-11-10T08:00:00.123Z". */
bool	 date_parse_iso(const char *s, int64_t *out);

/* "2026-11-10T08:00:00Z" into buf (at least 21 bytes); "" for TIME_UNKNOWN. */
void	 time_format_iso(int64_t, char *buf, size_t size);

/* The same for people: "unknown" for TIME_UNKNOWN. Returns buf. */
const char *time_text(int64_t, char *buf, size_t size);
/*
 * A time on a known or an unknown clock: time_text() when utc (or the time
 * is unknown), else "2026-11-18 08:02:11 server local time", with no zone
 * letter, since the server's offset is not known. Returns buf.
 */
const char *time_text_zoned(int64_t, bool utc, char *buf, size_t size);

/* Days since the epoch for a civil date; no time zone involved. */
int64_t	 days_from_civil(int64_t y, unsigned m, unsigned d);

#endif

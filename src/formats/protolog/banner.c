/*
 * A Receive log's 220 banner (protolog.h): Exchange ends its default
 * banner with the date of its own clock in RFC 5322 form, "... ready at
 * Tue, 10 Nov 2026 00:41:12 -0800". The date is read from the end of the
 * row, so a host name or a banner text of any length goes before it; a
 * banner set to other text (Set-ReceiveConnector -Banner) gives nothing.
 */
#include "config.h"

#include <string.h>

#include "parser.h"
#include "util/datetime.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* Digits [p, p + n) as a number, or -1. */
static long
digits(const char *p, size_t n)
{
	long	v = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!is_dec_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/*
 * "10 Nov 2026 00:41:12 -0800" ending at end: the figures as if UTC and the
 * offset in minutes. The day may have one digit.
 */
static bool
banner_date(const char *p, const char *end, int64_t *local, int *offset)
{
	const char	*q;
	long		 day, year, hh, mm, ss, oh, om;
	const char	*mon;
	size_t		 dn;

	/* " 2026 00:41:12 -0800" is 20 bytes; "10 Nov" before it. */
	if (end - p < 26)
		return false;
	q = end - 5;
	if ((q[0] != '+' && q[0] != '-') || q[-1] != ' ')
		return false;
	oh = digits(q + 1, 2);
	om = digits(q + 3, 2);
	q -= 9;					/* "00:41:12 " */
	if (q[2] != ':' || q[5] != ':' || q[8] != ' ' || q[-1] != ' ')
		return false;
	hh = digits(q, 2);
	mm = digits(q + 3, 2);
	ss = digits(q + 6, 2);
	q -= 5;					/* "2026 " */
	year = digits(q, 4);
	if (q[-1] != ' ')
		return false;
	q -= 4;					/* "Nov " */
	if (q[3] != ' ' || q[-1] != ' ')
		return false;
	mon = NULL;
	for (dn = 0; dn < 12; dn++)
		if (memcmp(months + 3 * dn, q, 3) == 0)
			mon = months + 3 * dn;
	dn = (q - 3 >= p && is_dec_digit(q[-3])) ? 2 : 1;
	day = digits(q - 1 - dn, dn);
	if (mon == NULL || oh < 0 || om < 0 || om >= 60 || hh < 0 || hh > 23 ||
	    mm < 0 || mm > 59 || ss < 0 || ss > 60 || year < 1990 ||
	    day < 1 || day > 31)
		return false;
	*local = days_from_civil(year, (unsigned)((mon - months) / 3 + 1),
	    (unsigned)day) * 86400 + hh * 3600 + mm * 60 + ss;
	*offset = (int)(oh * 60 + om) * (end[-5] == '-' ? -1 : 1);
	return true;
}

void
banner_row(struct protolog *pl, const struct rawfield *d, long lineno,
    const char *line, size_t len)
{
	struct protolog_banner	 b;
	const char		*end = d->p + d->n;

	while (end > d->p && end[-1] == ' ')
		end--;
	if (pl->cb.banner == NULL || end - d->p < 10 ||
	    (pl->banner_zone[0] != '\0' && memcmp(end - 5, pl->banner_zone,
	    5) == 0))
		return;			/* the same clock as the last one */
	memset(&b, 0, sizeof b);
	if (!banner_date(d->p, end, &b.local, &b.offset_minutes) ||
	    !row_is_receive(pl, 0, col(pl, COL_CONNECTOR)))
		return;
	b.time = row_time(pl);
	if (b.time == TIME_UNKNOWN)
		return;
	memcpy(pl->banner_zone, end - 5, 5);
	pl->banner_zone[5] = '\0';
	b.connector = col(pl, COL_CONNECTOR);
	b.line = lineno;
	b.text = row_sample(pl, line, len);
	b.source = pl->source;
	pl->cb.banner(pl->cb.arg, &b);
}

/*
 * Dates: culture-formatted Format-List dates with a per-file day/month order,
 * ISO-8601, and civil-date arithmetic that never touches the C library's
 * time zone machinery (mktime and friends depend on the reading machine).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "util.h"

/* The pieces of a culture date before the day/month order is applied. */
struct date_parts {
	int	a, b;		/* the two leading components (year last) */
	int	wa, wb;		/* digits written for them: 2 for "05", 1 for "5" */
	int	year, month, day;	/* set when year_first */
	bool	year_first;	/* 2026-11-02, 2026/11/02 */
	char	sep;		/* '/', '.', '-' */
	int	hour, min, sec;
	bool	has_time;
	bool	ampm;		/* the time carries an AM/PM designator */
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The length of a white-space character at s, 0 if none. Besides ASCII this
 * takes U+00A0 and U+202F, which newer culture data puts before AM/PM.
 */
static size_t
space_len(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
		return 3;
	return 0;
}

static bool
is_space_at(const char *s)
{
	return space_len(s) > 0;
}

static const char *
skip_space(const char *s)
{
	size_t	n;

	while ((n = space_len(s)) > 0)
		s += n;
	return s;
}

/* Reads 1..max digits; returns the number read (0 when none). */
static int
read_num(const char **sp, int max, int *out)
{
	const char	*s = *sp;
	int		 n = 0, v = 0;

	while (n < max && is_digit(s[n])) {
		v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n == 0 || is_digit(s[n]))
		return 0;
	*sp = s + n;
	*out = v;
	return n;
}

/* Reads exactly n digits, whatever follows. */
static bool
read_fixed(const char **sp, int n, int *out)
{
	const char	*s = *sp;
	int		 i, v = 0;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	*out = v;
	return true;
}

static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int	dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return dm[m - 1];
}

static bool
date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

/*
 * Matches an AM/PM designator: "AM", "PM", or the Spanish cultures' "a. m.",
 * "p. m." (also "a.m.", "p.m."); 1 AM, 2 PM, 0 none.
 */
static int
read_ampm(const char **sp)
{
	const char	*s = *sp;
	int		 r;

	if (ascii_ncasecmp(s, "AM", 2) == 0 || ascii_ncasecmp(s, "PM", 2) == 0) {
		r = (s[0] | 0x20) == 'a' ? 1 : 2;
		s += 2;
	} else if (((s[0] | 0x20) == 'a' || (s[0] | 0x20) == 'p') &&
	    s[1] == '.') {
		r = (s[0] | 0x20) == 'a' ? 1 : 2;
		s += 2;
		s += space_len(s);
		if ((s[0] | 0x20) != 'm' || s[1] != '.')
			return 0;
		s += 2;
	} else
		return 0;
	if (*s != '\0' && !is_space_at(s))
		return 0;
	*sp = s;
	return r;
}

/* "h:mm[:ss[.fff]]" with an optional AM/PM before or after it. */
static bool
parse_clock(const char *s, struct date_parts *dp)
{
	int	ampm, ampm2, h, m, sec = 0, frac;

	s = skip_space(s);
	if (*s == '\0')
		return true;
	ampm = read_ampm(&s);
	s = skip_space(s);
	if (read_num(&s, 2, &h) == 0 || *s++ != ':' ||
	    read_num(&s, 2, &m) != 2)
		return false;
	if (*s == ':') {
		s++;
		if (read_num(&s, 2, &sec) != 2)
			return false;
		if (*s == '.' || *s == ',') {
			s++;
			if (read_num(&s, 9, &frac) == 0)
				return false;
		}
	}
	s = skip_space(s);
	ampm2 = read_ampm(&s);
	if (ampm2 != 0) {
		if (ampm != 0)
			return false;
		ampm = ampm2;
	}
	if (*skip_space(s) != '\0')
		return false;
	if (m > 59 || sec > 59)
		return false;
	if (ampm != 0) {
		if (h < 1 || h > 12)
			return false;
		h %= 12;
		if (ampm == 2)
			h += 12;
	} else if (h > 23)
		return false;
	dp->ampm = ampm != 0;
	dp->hour = h;
	dp->min = m;
	dp->sec = sec;
	dp->has_time = true;
	return true;
}

/*
 * Splits "c1<sep>c2<sep>c3[ time]" where either c1 or c3 is a four-digit
 * year. Checks everything but the day/month order.
 */
static bool
split_culture_date(const char *s, struct date_parts *dp)
{
	int	c1, c2, c3, n1, n2, n3;
	char	sep;

	memset(dp, 0, sizeof *dp);
	if (s == NULL)
		return false;
	s = skip_space(s);
	if ((n1 = read_num(&s, 4, &c1)) == 0)
		return false;
	sep = *s;
	if (sep != '/' && sep != '.' && sep != '-')
		return false;
	s++;
	if ((n2 = read_num(&s, 2, &c2)) == 0 || *s++ != sep)
		return false;
	if ((n3 = read_num(&s, 4, &c3)) == 0)
		return false;
	/* Some cultures end the date with a dot ("02.03.2029."). */
	if (sep == '.' && *s == '.')
		s++;
	if (*s != '\0' && !is_space_at(s) && *s != 'T')
		return false;
	if (*s == 'T')
		s++;
	dp->sep = sep;
	if (n1 == 4 && n3 <= 2) {
		dp->year_first = true;
		dp->year = c1;
		dp->month = c2;
		dp->day = c3;
		if (!date_valid(c1, c2, c3))
			return false;
	} else if (n1 <= 2 && n3 == 4) {
		dp->a = c1;
		dp->b = c2;
		dp->wa = n1;
		dp->wb = n2;
		dp->year = c3;
		/* At least one reading must be a real date. */
		if (!date_valid(c3, c1, c2) && !date_valid(c3, c2, c1))
			return false;
	} else
		return false;
	return parse_clock(s, dp);
}

/*
 * What a date says about the order by itself: YMD, DMY (a first component
 * above 12, or dots or dashes: no culture writes month first with either,
 * de-DE dd.MM.yyyy, nl-NL d-M-yyyy), MDY (a second component above 12), or
 * UNKNOWN (both readings possible).
 */
static enum date_order
date_own_order(const struct date_parts *dp)
{
	bool	mdy_ok, dmy_ok;

	if (dp->year_first)
		return DATE_ORDER_YMD;
	mdy_ok = date_valid(dp->year, dp->a, dp->b);
	dmy_ok = date_valid(dp->year, dp->b, dp->a);
	if (mdy_ok && !dmy_ok)
		return DATE_ORDER_MDY;
	if (dmy_ok && !mdy_ok)
		return DATE_ORDER_DMY;
	if (dp->sep == '.' || dp->sep == '-')
		return DATE_ORDER_DMY;
	return DATE_ORDER_UNKNOWN;
}

/* How a component below 10 was written: counted into padded or bare. */
static void
count_padding(int value, int digits, int *padded, int *bare)
{
	if (value >= 10)
		return;
	if (digits == 2)
		(*padded)++;
	else
		(*bare)++;
}

void
date_order_vote(struct date_order_votes *v, const char *s)
{
	struct date_parts	dp;

	if (!split_culture_date(s, &dp))
		return;
	/* The culture's pattern, for a file whose fields cannot tell. */
	if (!dp.year_first) {
		if (dp.sep == '/')
			v->slashes++;
		count_padding(dp.a, dp.wa, &v->first_padded, &v->first_bare);
		count_padding(dp.b, dp.wb, &v->second_padded, &v->second_bare);
	}
	if (dp.has_time) {
		if (dp.ampm)
			v->ampm++;
		else
			v->clock24++;
	}
	switch (date_own_order(&dp)) {
	case DATE_ORDER_YMD:
		v->ymd++;
		break;
	case DATE_ORDER_MDY:
		v->mdy++;
		break;
	case DATE_ORDER_DMY:
		v->dmy++;
		break;
	default:
		v->ambiguous++;
		break;
	}
}

/*
 * The order the console's culture pattern gives, from how a file whose
 * fields cannot tell wrote its slashed dates (.NET's short date and long
 * time patterns): en-US M/d/yyyy h:mm:ss tt pads neither day nor month and
 * prints AM/PM; en-AU d/MM/yyyy pads the month, not the day. Both fields
 * padded with a 24-hour clock (en-GB dd/MM/yyyy, but other cultures pad a
 * month first) settles nothing. A file whose dates disagree on a padding
 * shows no pattern.
 */
static enum date_order
pattern_order(const struct date_order_votes *v, const char **basis)
{
	bool	first_bare = v->first_bare > 0 && v->first_padded == 0;
	bool	second_pad = v->second_padded > 0 && v->second_bare == 0;
	bool	mixed = (v->first_padded > 0 && v->first_bare > 0) ||
		    (v->second_padded > 0 && v->second_bare > 0);

	if (v->slashes == 0 || mixed)
		return DATE_ORDER_UNKNOWN;
	if (second_pad && first_bare) {
		*basis = "the second field zero-padded and the first not "
		    "(d/MM/yyyy, as en-AU prints)";
		return DATE_ORDER_DMY;
	}
	if (v->ampm > 0 && v->clock24 == 0 && v->first_padded == 0 &&
	    v->second_padded == 0) {
		*basis = "AM/PM times and no zero-padded field "
		    "(M/d/yyyy h:mm:ss tt, as en-US prints)";
		return DATE_ORDER_MDY;
	}
	return DATE_ORDER_UNKNOWN;
}

enum date_order
date_order_decide_why(const struct date_order_votes *v, const char **basis)
{
	enum date_order	 o;
	const char	*why = NULL;

	if (basis == NULL)
		basis = &why;
	*basis = NULL;
	/* Contradicting evidence is no evidence: better unknown than wrong. */
	if (v->mdy > 0 && v->dmy > 0)
		return DATE_ORDER_UNKNOWN;
	if (v->mdy > 0)
		return DATE_ORDER_MDY;
	if (v->dmy > 0)
		return DATE_ORDER_DMY;
	if (v->ambiguous > 0 &&
	    (o = pattern_order(v, basis)) != DATE_ORDER_UNKNOWN)
		return o;
	if (v->ymd > 0)
		return DATE_ORDER_YMD;
	return DATE_ORDER_UNKNOWN;
}

enum date_order
date_order_decide(const struct date_order_votes *v)
{
	return date_order_decide_why(v, NULL);
}

static int64_t
parts_to_time(int y, int m, int d, const struct date_parts *dp)
{
	return days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 +
	    dp->hour * 3600 + dp->min * 60 + dp->sec;
}

bool
date_parse_culture(const char *s, enum date_order order, int64_t *out)
{
	struct date_parts	dp;
	enum date_order		own;

	if (!split_culture_date(s, &dp))
		return false;
	if (dp.year_first) {
		*out = parts_to_time(dp.year, dp.month, dp.day, &dp);
		return true;
	}
	own = date_own_order(&dp);
	if (own == DATE_ORDER_UNKNOWN) {
		if (dp.a == dp.b)
			own = DATE_ORDER_MDY;	/* both readings agree */
		else if (order == DATE_ORDER_MDY || order == DATE_ORDER_DMY)
			own = order;
		else
			return false;
	}
	if (own == DATE_ORDER_MDY)
		*out = parts_to_time(dp.year, dp.a, dp.b, &dp);
	else
		*out = parts_to_time(dp.year, dp.b, dp.a, &dp);
	return true;
}

/* "Z", "+hh:mm", "+hhmm", "+hh" into seconds east of UTC. */
static bool
parse_offset(const char **sp, int *off)
{
	const char	*s = *sp;
	int		 sign, h, m = 0;

	if (*s == 'Z' || *s == 'z') {
		*off = 0;
		*sp = s + 1;
		return true;
	}
	if (*s != '+' && *s != '-')
		return false;
	sign = *s++ == '-' ? -1 : 1;
	if (!read_fixed(&s, 2, &h))
		return false;
	if (*s == ':')
		s++;
	if (is_digit(*s) && !read_fixed(&s, 2, &m))
		return false;
	if (h > 23 || m > 59)
		return false;
	*off = sign * (h * 3600 + m * 60);
	*sp = s;
	return true;
}

bool
date_parse_iso(const char *s, int64_t *out)
{
	int	y, mo, d, h = 0, mi = 0, sec = 0, off = 0;

	if (s == NULL)
		return false;
	s = skip_space(s);
	if (read_num(&s, 4, &y) != 4 || *s++ != '-' ||
	    read_num(&s, 2, &mo) != 2 || *s++ != '-' ||
	    read_num(&s, 2, &d) != 2)
		return false;
	if (!date_valid(y, mo, d))
		return false;
	if (*s == 'T' || *s == 't' || (*s == ' ' && is_digit(s[1]))) {
		s++;
		if (read_num(&s, 2, &h) != 2 || *s++ != ':' ||
		    read_num(&s, 2, &mi) != 2)
			return false;
		if (*s == ':') {
			s++;
			if (read_num(&s, 2, &sec) != 2)
				return false;
			if (*s == '.' || *s == ',') {
				s++;
				if (!is_digit(*s))
					return false;
				while (is_digit(*s))
					s++;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return false;
		if (sec == 60)
			sec = 59;	/* a leap second: close enough */
		if (*s != '\0' && !is_space_at(s) && !parse_offset(&s, &off))
			return false;
	}
	if (*skip_space(s) != '\0')
		return false;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - off;
	return true;
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, any year. */
int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Its inverse, civil_from_days. */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t		era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* v as `n` decimal digits, zero-padded (v < 10^n). */
static void
put_digits(char *p, unsigned v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
time_format_iso(int64_t t, char *buf, size_t size)
{
	int64_t		days, secs, y;
	unsigned	m, d;

	if (size == 0)
		return;
	if (t == TIME_UNKNOWN) {
		buf[0] = '\0';
		return;
	}
	/* Floor division, so times before 1970 land on the right day. */
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999 || size < 21) {
		snprintf(buf, size, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
		    (long long)y, m, d, (int)(secs / 3600),
		    (int)(secs / 60 % 60), (int)(secs % 60));
		return;
	}
	/* What the snprintf above writes, without its cost on every time. */
	put_digits(buf, (unsigned)y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[10] = 'T';
	put_digits(buf + 11, (unsigned)(secs / 3600), 2);
	buf[13] = ':';
	put_digits(buf + 14, (unsigned)(secs / 60 % 60), 2);
	buf[16] = ':';
	put_digits(buf + 17, (unsigned)(secs % 60), 2);
	buf[19] = 'Z';
	buf[20] = '\0';
}

const char *
time_text(int64_t t, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	time_format_iso(t, buf, size);
	if (buf[0] == '\0')
		snprintf(buf, size, "unknown");
	return buf;
}

const char *
time_text_zoned(int64_t t, bool utc, char *buf, size_t size)
{
	char	iso[32];

	if (utc || t == TIME_UNKNOWN)
		return time_text(t, buf, size);
	time_format_iso(t, iso, sizeof iso);
	/* "2026-11-18T08:02:11Z" -> "2026-11-18 08:02:11": no zone is known. */
	iso[10] = ' ';
	iso[19] = '\0';
	snprintf(buf, size, "%s server local time", iso);
	return buf;
}

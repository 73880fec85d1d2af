/* Dates: culture formats, order voting, ISO-8601, civil arithmetic. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/datetime.h"
#include "model/evidence.h"

/* The expected value, built from the ISO parser (tested on its own below). */
static int64_t
iso(const char *s)
{
	int64_t	t = 0;

	assert_true(date_parse_iso(s, &t));
	return t;
}

static void
test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(days_from_civil(1969, 12, 31), -1);
	assert_int_equal(days_from_civil(2026, 11, 10), 20767);
	assert_int_equal(days_from_civil(2024, 2, 29) + 1,
	    days_from_civil(2024, 3, 1));
	assert_int_equal(days_from_civil(1600, 1, 1), -135140);
}

static void
test_iso_forms(void **state)
{
	int64_t	t;

	(void)state;
	assert_true(date_parse_iso("2026-11-10", &t));
	assert_int_equal(t, (int64_t)20767 * 86400);
	assert_true(date_parse_iso("2026-11-10T08:00:00Z", &t));
	assert_int_equal(t, (int64_t)20767 * 86400 + 8 * 3600);
	assert_true(date_parse_iso("2026-11-09T22:00:04.113Z", &t));
	assert_int_equal(t, (int64_t)20766 * 86400 + 22 * 3600 + 4);
	assert_true(date_parse_iso("2026-11-10T10:30:00+02:00", &t));
	assert_int_equal(t, (int64_t)20767 * 86400 + 8 * 3600 + 30 * 60);
	assert_true(date_parse_iso("2026-11-10T03:00:00-0500", &t));
	assert_int_equal(t, (int64_t)20767 * 86400 + 8 * 3600);
	assert_true(date_parse_iso("2026-11-10T08:00:00+00:00", &t));
	assert_int_equal(t, (int64_t)20767 * 86400 + 8 * 3600);
	assert_true(date_parse_iso("2026-11-10 08:00:00", &t));
	assert_int_equal(t, (int64_t)20767 * 86400 + 8 * 3600);
	assert_true(date_parse_iso("2026-11-10T08:00Z", &t));
	assert_int_equal(t, (int64_t)20767 * 86400 + 8 * 3600);
}

static void
test_iso_rejects(void **state)
{
	int64_t	t = 42;

	(void)state;
	assert_false(date_parse_iso("2026-02-30", &t));
	assert_false(date_parse_iso("2026-13-01", &t));
	assert_false(date_parse_iso("2026-11-10T25:00:00Z", &t));
	assert_false(date_parse_iso("2026-11-10T08:00:00Zjunk", &t));
	assert_false(date_parse_iso("11/2/2026", &t));
	assert_false(date_parse_iso("", &t));
	assert_false(date_parse_iso(NULL, &t));
	assert_int_equal(t, 42);
}

static void
test_format_iso(void **state)
{
	char	buf[32];

	(void)state;
	time_format_iso(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	time_format_iso(iso("2026-11-10T08:51:12Z"), buf, sizeof buf);
	assert_string_equal(buf, "2026-11-10T08:51:12Z");
	time_format_iso(-1, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	time_format_iso(iso("2024-02-29T23:59:59Z"), buf, sizeof buf);
	assert_string_equal(buf, "2024-02-29T23:59:59Z");
	time_format_iso(TIME_UNKNOWN, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void
test_culture_en_us(void **state)
{
	int64_t	t;

	(void)state;
	assert_true(date_parse_culture("11/2/2026 5:59:59 PM", DATE_ORDER_MDY, &t));
	assert_int_equal(t, iso("2026-11-02T17:59:59Z"));
	assert_true(date_parse_culture("11/28/2026 11:59:59 PM", DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2026-11-28T23:59:59Z"));
	assert_true(date_parse_culture("1/5/2027 12:00:00 AM", DATE_ORDER_MDY, &t));
	assert_int_equal(t, iso("2027-01-05T00:00:00Z"));
	assert_true(date_parse_culture("1/5/2027 12:30:00 PM", DATE_ORDER_MDY, &t));
	assert_int_equal(t, iso("2027-01-05T12:30:00Z"));
	assert_true(date_parse_culture("3/27/2027 8:15 AM", DATE_ORDER_MDY, &t));
	assert_int_equal(t, iso("2027-03-27T08:15:00Z"));
	/* PowerShell 7 on newer culture data puts U+202F before PM. */
	assert_true(date_parse_culture("11/2/2026 5:59:59\xE2\x80\xAFPM", DATE_ORDER_MDY, &t));
	assert_int_equal(t, iso("2026-11-02T17:59:59Z"));
}

static void
test_culture_day_first(void **state)
{
	int64_t	t;

	(void)state;
	/* de/ru: dots settle it even without a file order */
	assert_true(date_parse_culture("02.03.2029 09:14:03", DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2029-03-02T09:14:03Z"));
	assert_true(date_parse_culture("02.02.2028 4:22:23", DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2028-02-02T04:22:23Z"));
	/* en-AU: slashes, day first, needs the file's order */
	assert_true(date_parse_culture("12/02/2018 1:53:00 PM", DATE_ORDER_DMY, &t));
	assert_int_equal(t, iso("2018-02-12T13:53:00Z"));
	assert_true(date_parse_culture("12/02/2018 1:53:00 PM", DATE_ORDER_MDY, &t));
	assert_int_equal(t, iso("2018-12-02T13:53:00Z"));
	assert_false(date_parse_culture("12/02/2018 1:53:00 PM", DATE_ORDER_UNKNOWN, &t));
	assert_false(date_parse_culture("12/02/2018 1:53:00 PM", DATE_ORDER_YMD, &t));
	/* unambiguous by itself, whatever the order says */
	assert_true(date_parse_culture("28/11/2026 23:59:59", DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2026-11-28T23:59:59Z"));
	/* both readings agree */
	assert_true(date_parse_culture("05/05/2026 10:00", DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2026-05-05T10:00:00Z"));
	/* es-MX: dd/MM/yyyy hh:mm:ss with "a. m." and "p. m." */
	assert_true(date_parse_culture("05/11/2026 01:00:00 p. m.",
	    DATE_ORDER_DMY, &t));
	assert_int_equal(t, iso("2026-11-05T13:00:00Z"));
	assert_true(date_parse_culture("28/11/2026 12:15:00 a. m.",
	    DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2026-11-28T00:15:00Z"));
	assert_true(date_parse_culture("28/11/2026 09:15:00 a.m.",
	    DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2026-11-28T09:15:00Z"));
	/* newer culture data: a no-break space inside the designator */
	assert_true(date_parse_culture("28/11/2026 09:15:00\xC2\xA0p.\xC2\xA0m.",
	    DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2026-11-28T21:15:00Z"));
	/* the order stays the file's to settle */
	assert_false(date_parse_culture("05/11/2026 01:00:00 p. m.",
	    DATE_ORDER_UNKNOWN, &t));
	assert_false(date_parse_culture("28/11/2026 09:15:00 p. x.",
	    DATE_ORDER_UNKNOWN, &t));
}

static void
test_culture_year_first(void **state)
{
	int64_t	t;

	(void)state;
	assert_true(date_parse_culture("2026-11-02 17:59:59", DATE_ORDER_UNKNOWN, &t));
	assert_int_equal(t, iso("2026-11-02T17:59:59Z"));
	assert_true(date_parse_culture("2026/11/02 17:59", DATE_ORDER_MDY, &t));
	assert_int_equal(t, iso("2026-11-02T17:59:00Z"));
	assert_true(date_parse_culture("2026-11-02", DATE_ORDER_DMY, &t));
	assert_int_equal(t, iso("2026-11-02T00:00:00Z"));
}

static void
test_culture_rejects(void **state)
{
	int64_t	t = 7;

	(void)state;
	assert_false(date_parse_culture("", DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture(NULL, DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture("13/13/2026", DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture("2/30/2026", DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture("11/2/2026 13:00:00 PM", DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture("11/2/2026 24:00:00", DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture("11/2/2026 5:60:00", DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture("11/2/2026 5:59:59 PM later", DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture("Version 15.2", DATE_ORDER_MDY, &t));
	assert_false(date_parse_culture("10.0.0.1", DATE_ORDER_DMY, &t));
	assert_false(date_parse_culture("11/2/26", DATE_ORDER_MDY, &t));
	assert_int_equal(t, 7);
}

static void
test_order_votes(void **state)
{
	struct date_order_votes	v;

	(void)state;
	/* en-US file: one date with a day above 12 decides */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "11/2/2026 5:59:59 PM");
	date_order_vote(&v, "11/28/2026 11:59:59 PM");
	date_order_vote(&v, "not a date");
	assert_int_equal(v.mdy, 1);
	assert_int_equal(v.ambiguous, 1);
	assert_int_equal(date_order_decide(&v), DATE_ORDER_MDY);

	/* en-AU file */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "12/02/2018 1:53:00 PM");
	date_order_vote(&v, "25/02/2019 1:53:00 PM");
	assert_int_equal(date_order_decide(&v), DATE_ORDER_DMY);

	/* de/ru: dots */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "02.03.2029 09:14:03");
	assert_int_equal(v.dmy, 1);
	assert_int_equal(date_order_decide(&v), DATE_ORDER_DMY);

	/* nothing settles it: no field below 10 shows its padding */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "11/10/2026 10:00:00");
	date_order_vote(&v, "12/11/2027 10:00:00");
	assert_int_equal(v.ambiguous, 2);
	assert_int_equal(date_order_decide(&v), DATE_ORDER_UNKNOWN);

	/* contradicting dates: unknown rather than a guess */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "11/28/2026");
	date_order_vote(&v, "28/11/2026");
	assert_int_equal(date_order_decide(&v), DATE_ORDER_UNKNOWN);

	/* year first */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "2026-11-02 17:59:59");
	assert_int_equal(date_order_decide(&v), DATE_ORDER_YMD);

	memset(&v, 0, sizeof v);
	assert_int_equal(date_order_decide(&v), DATE_ORDER_UNKNOWN);
}

/*
 * A file whose fields cannot tell is decided by the way its console's
 * culture writes dates (.NET short date and long time patterns), and says
 * so; a file that shows no consistent pattern stays undecided.
 */
static void
test_order_from_pattern(void **state)
{
	struct date_order_votes	v;
	const char		*basis;

	(void)state;
	/* en-US M/d/yyyy h:mm:ss tt: AM/PM, nothing padded */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "3/4/2026 10:00:00 AM");
	date_order_vote(&v, "5/6/2027 10:00:00 PM");
	assert_int_equal(v.ambiguous, 2);
	assert_int_equal(date_order_decide_why(&v, &basis), DATE_ORDER_MDY);
	assert_non_null(basis);
	assert_non_null(strstr(basis, "en-US"));
	/* the queue of an en-US console: AM/PM, fields of two digits */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "11/10/2026 8:41:12 AM");
	assert_int_equal(date_order_decide(&v), DATE_ORDER_MDY);
	/* en-AU d/MM/yyyy: the month padded, the day not */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "3/04/2026 10:00:00 AM");
	assert_int_equal(date_order_decide_why(&v, &basis), DATE_ORDER_DMY);
	assert_non_null(strstr(basis, "en-AU"));
	/* both padded with a 24-hour clock: en-GB's, but not only its */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "05/03/2026 10:22:14");
	assert_int_equal(date_order_decide_why(&v, &basis), DATE_ORDER_UNKNOWN);
	assert_null(basis);
	/* both padded with AM/PM: no culture pattern settles it */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "03/04/2026 10:00:00 AM");
	assert_int_equal(date_order_decide_why(&v, &basis), DATE_ORDER_UNKNOWN);
	assert_null(basis);
	/* padding that disagrees within the file: no pattern */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "3/4/2026 10:00:00 AM");
	date_order_vote(&v, "03/04/2026 10:00:00 AM");
	assert_int_equal(date_order_decide(&v), DATE_ORDER_UNKNOWN);
	/* nl-NL d-M-yyyy: dashes are never month first */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "3-4-2026 10:00:00");
	assert_int_equal(date_order_decide(&v), DATE_ORDER_DMY);
	/* a field's value beats the pattern, and says no basis */
	memset(&v, 0, sizeof v);
	date_order_vote(&v, "3/4/2026 10:00:00 AM");
	date_order_vote(&v, "25/4/2026 10:00:00 AM");
	assert_int_equal(date_order_decide_why(&v, &basis), DATE_ORDER_DMY);
	assert_null(basis);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_from_civil),
		cmocka_unit_test(test_iso_forms),
		cmocka_unit_test(test_iso_rejects),
		cmocka_unit_test(test_format_iso),
		cmocka_unit_test(test_culture_en_us),
		cmocka_unit_test(test_culture_day_first),
		cmocka_unit_test(test_culture_year_first),
		cmocka_unit_test(test_culture_rejects),
		cmocka_unit_test(test_order_votes),
		cmocka_unit_test(test_order_from_pattern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

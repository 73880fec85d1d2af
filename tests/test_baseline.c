/*
 * The comparison with an earlier result, on findings.json texts written by
 * hand in the shape certtrail writes: matched by rule, servers, connectors
 * and thumbprints, never by id; per-server states; a finding's status; the
 * symptoms that change hands; the days and the queues; what BEFORE must be.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "baseline/baseline.h"

#define TP_OLD	"E2A81DC0593A5127F8F1DA086B54D74F45AD4D4D"
#define TP_NEW	"497D234139761C1826EFFBC396168571120F1AC8"

/* A finding as findings.json writes it (the keys the comparison reads). */
#define FINDING(id, rule, sev, servers, connectors, tps, extra)		\
	"{\"id\": \"" id "\", \"rule\": \"" rule "\", \"severity\": \""	\
	sev "\", \"title\": \"" rule " on " id "\", \"servers\": ["	\
	servers "], \"connectors\": [" connectors "], \"thumbprints\": ["	\
	tps "]" extra "}"

static char *
doc(const char *as_of, const char *findings, const char *rest)
{
	size_t	n = strlen(as_of) + strlen(findings) + strlen(rest) + 256;
	char	*s = malloc(n);

	assert_non_null(s);
	snprintf(s, n, "{\"schema\": \"certtrail/findings/1\", \"as_of\": "
	    "\"%s\", \"findings\": [%s]%s%s}", as_of, findings,
	    rest[0] != '\0' ? ", " : "", rest);
	return s;
}

static void
compare(const char *before, const char *after, struct baseline *b)
{
	struct bl_case	 x, y;
	char		*why = NULL;

	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	assert_int_equal(baseline_read_text(before, strlen(before), &x, &why), 0);
	assert_int_equal(baseline_read_text(after, strlen(after), &y, &why), 0);
	baseline_compare(&x, &y, b);
}

static const struct bl_entry *
entry(const struct baseline *b, const char *rule, size_t nth)
{
	size_t	i;

	for (i = 0; i < b->nentries; i++)
		if (strcmp(b->entries[i].rule, rule) == 0 && nth-- == 0)
			return &b->entries[i];
	fail_msg("no entry %s", rule);
	return NULL;
}

static enum bl_state
on(const struct bl_entry *e, const char *server)
{
	size_t	i;

	for (i = 0; i < e->nper_server; i++)
		if (strcmp(e->per_server[i].server, server) == 0)
			return e->per_server[i].state;
	fail_msg("%s has no state on %s", e->rule, server);
	return BL_NSTATES;
}

#define CERTS_OF(a, b)							\
	"\"certificates\": [{\"server\": \"" a "\"}, {\"server\": \"" b "\"}]"

/* Ids are ranks: swapped between the runs, the findings still match. */
static void
test_ids_never_match(void **state)
{
	char		*before, *after;
	struct baseline	 b;

	(void)state;
	before = doc("2026-11-10T09:00:00Z",
	    FINDING("F1", "tls-cert-name-ambiguous", "high",
	    "\"EXHUB1\", \"EXHUB2\"", "\"Outbound to Partners\"",
	    "\"" TP_OLD "\", \"" TP_NEW "\"", "") ", "
	    FINDING("F2", "cert-expired", "low", "\"EXHUB2\"", "",
	    "\"" TP_OLD "\"", ""), CERTS_OF("EXHUB1", "EXHUB2"));
	after = doc("2026-11-17T09:00:00Z",
	    FINDING("F1", "cert-expired", "low", "\"EXHUB2\"", "",
	    "\"" TP_OLD "\"", "") ", "
	    FINDING("F2", "tls-cert-name-ambiguous", "high", "\"EXHUB2\"",
	    "\"outbound to partners\"", "\"" TP_OLD "\"", ""),
	    CERTS_OF("EXHUB1", "EXHUB2"));
	compare(before, after, &b);
	assert_int_equal(b.nentries, 2);
	assert_string_equal(entry(&b, "tls-cert-name-ambiguous", 0)->after,
	    "F2");
	assert_string_equal(entry(&b, "cert-expired", 0)->after, "F1");
	assert_int_equal(entry(&b, "tls-cert-name-ambiguous", 0)->state,
	    BL_PERSISTING);
	assert_int_equal(on(entry(&b, "tls-cert-name-ambiguous", 0), "EXHUB1"),
	    BL_RESOLVED);
	assert_int_equal(on(entry(&b, "tls-cert-name-ambiguous", 0), "EXHUB2"),
	    BL_PERSISTING);
	assert_int_equal(b.counts[BL_PERSISTING], 2);
	assert_non_null(strstr(b.text, "0 of 2 problems resolved"));
	assert_non_null(strstr(b.text, "(resolved on EXHUB1)"));
	baseline_free(&b);
	free(before);
	free(after);
}

/*
 * The same rule on the same connector with another certificate is another
 * problem: the first resolved, the second new.
 */
static void
test_other_certificate_is_new(void **state)
{
	char		*before, *after;
	struct baseline	 b;

	(void)state;
	before = doc("2026-11-10T09:00:00Z",
	    FINDING("F1", "smtp-service-not-enabled", "critical", "\"EXHUB1\"",
	    "\"Outbound to Office 365\"", "\"" TP_OLD "\"", ""),
	    "\"queues\": [{\"server\": \"EXHUB1\"}]");
	after = doc("2026-11-17T09:00:00Z",
	    FINDING("F1", "smtp-service-not-enabled", "critical", "\"EXHUB1\"",
	    "\"Outbound to Office 365\"", "\"" TP_NEW "\"", ""),
	    "\"queues\": [{\"server\": \"EXHUB1\"}]");
	compare(before, after, &b);
	assert_int_equal(b.nentries, 2);
	assert_int_equal(entry(&b, "smtp-service-not-enabled", 0)->state,
	    BL_RESOLVED);
	assert_null(entry(&b, "smtp-service-not-enabled", 0)->after);
	assert_int_equal(entry(&b, "smtp-service-not-enabled", 1)->state,
	    BL_NEW);
	assert_null(entry(&b, "smtp-service-not-enabled", 1)->before);
	assert_true(bl_entry_counts(entry(&b, "smtp-service-not-enabled", 1)));
	assert_false(bl_entry_counts(entry(&b, "smtp-service-not-enabled", 0)));
	baseline_free(&b);
	free(before);
	free(after);
}

/* A finding now named on no server still goes on: it is not resolved. */
static void
test_serverless_now(void **state)
{
	char		*before, *after;
	struct baseline	 b;

	(void)state;
	before = doc("2026-11-10T09:00:00Z",
	    FINDING("F1", "hybrid-connector-config", "medium", "\"EXHUB1\"",
	    "\"Outbound to Office 365\"", "", ""), CERTS_OF("EXHUB1", "EXHUB1"));
	after = doc("2026-11-17T09:00:00Z",
	    FINDING("F1", "hybrid-connector-config", "medium", "",
	    "\"Outbound to Office 365\"", "", ""), CERTS_OF("EXHUB1", "EXHUB1"));
	compare(before, after, &b);
	assert_int_equal(b.nentries, 1);
	assert_int_equal(b.entries[0].state, BL_PERSISTING);
	assert_true(bl_entry_counts(&b.entries[0]));
	baseline_free(&b);
	free(before);
	free(after);
}

/* A finding whose status says resolved is resolved, and counts for nothing. */
static void
test_status_resolved(void **state)
{
	char		*before, *after;
	struct baseline	 b;

	(void)state;
	before = doc("2026-11-10T09:00:00Z",
	    FINDING("F1", "smtp-service-not-enabled", "critical", "\"EXHUB1\"",
	    "\"Outbound to Office 365\"", "\"" TP_OLD "\"",
	    ", \"status\": \"active\""), "\"queues\": [{\"server\": \"EXHUB1\"}]");
	after = doc("2026-11-17T09:00:00Z",
	    FINDING("F1", "smtp-service-not-enabled", "critical", "\"EXHUB1\"",
	    "\"Outbound to Office 365\"", "\"" TP_OLD "\"",
	    ", \"status\": \"resolved\"") ", "
	    FINDING("F2", "tls-handshake-failures", "high", "\"EXHUB1\"",
	    "\"Internet\"", "", ", \"status\": \"resolved\""),
	    "\"queues\": [{\"server\": \"EXHUB1\"}]");
	compare(before, after, &b);
	assert_int_equal(entry(&b, "smtp-service-not-enabled", 0)->state,
	    BL_RESOLVED);
	assert_string_equal(entry(&b, "smtp-service-not-enabled", 0)->after,
	    "F1");
	/* Came and went after the first collection: resolved, not new. */
	assert_int_equal(entry(&b, "tls-handshake-failures", 0)->state,
	    BL_RESOLVED);
	assert_int_equal(b.counts[BL_PERSISTING] + b.counts[BL_NEW], 0);
	assert_non_null(strstr(b.text, "1 of 1 problem resolved"));
	baseline_free(&b);
	free(before);
	free(after);
}

/*
 * Failures a generic finding reported, now explained by a specific one on
 * the same server and connector, go on: persisting, as that finding.
 */
static void
test_symptoms_change_hands(void **state)
{
	char		*before, *after;
	struct baseline	 b;

	(void)state;
	before = doc("2026-11-10T09:00:00Z",
	    FINDING("F1", "tls-handshake-failures", "high", "\"EXHUB2\"",
	    "\"Outbound to Office 365\"", "", ""),
	    "\"queues\": [{\"server\": \"EXHUB2\"}], \"symptoms\": [{\"kind\": "
	    "\"tls_failure\", \"server\": \"EXHUB2\", \"connector\": "
	    "\"Outbound to Office 365\", \"finding\": \"F1\"}]");
	after = doc("2026-11-17T09:00:00Z",
	    FINDING("F1", "smtp-service-not-enabled", "critical", "\"EXHUB2\"",
	    "\"Outbound to Office 365\"", "\"" TP_OLD "\"", ""),
	    "\"queues\": [{\"server\": \"EXHUB2\"}], \"symptoms\": [{\"kind\": "
	    "\"tls_failure\", \"server\": \"EXHUB2\", \"connector\": "
	    "\"Outbound to Office 365\", \"finding\": \"F1\"}]");
	compare(before, after, &b);
	assert_int_equal(b.nentries, 1);
	assert_int_equal(b.entries[0].state, BL_PERSISTING);
	assert_string_equal(b.entries[0].after, "F1");
	assert_string_equal(b.entries[0].severity, "critical");
	baseline_free(&b);
	free(before);
	free(after);
}

/* Failures per connector and day; the first clean day; queues. */
static void
test_days_and_queues(void **state)
{
	char		*before, *after;
	struct baseline	 b;
	const struct bl_connector *c;

	(void)state;
	before = doc("2026-11-10T09:00:00Z", "",
	    "\"tls_days\": ["
	    "{\"server\": \"EXHUB1\", \"direction\": \"send\", \"connector\": "
	    "\"O365\", \"day\": \"2026-11-09\", \"ok\": 0, \"failed\": 20},"
	    "{\"server\": \"EXHUB1\", \"direction\": \"send\", \"connector\": "
	    "\"O365\", \"day\": \"2026-11-10\", \"ok\": 0, \"failed\": 9}],"
	    "\"queues\": [{\"server\": \"EXHUB1\", \"identity\": \"EXHUB1\\\\3\","
	    " \"next_hop_domain\": \"o365\", \"status\": \"Retry\", "
	    "\"message_count\": 37}, {\"server\": \"EXHUB1\", \"identity\": "
	    "\"EXHUB1\\\\4\", \"status\": \"Retry\", \"message_count\": 2}]");
	after = doc("2026-11-17T09:00:00Z", "",
	    "\"tls_days\": ["
	    "{\"server\": \"EXHUB1\", \"direction\": \"send\", \"connector\": "
	    "\"O365\", \"day\": \"2026-11-10\", \"ok\": 5, \"failed\": 0},"
	    "{\"server\": \"EXHUB1\", \"direction\": \"send\", \"connector\": "
	    "\"O365\", \"day\": \"2026-11-11\", \"ok\": 0, \"failed\": 0},"
	    "{\"server\": \"EXHUB1\", \"direction\": \"send\", \"connector\": "
	    "\"O365\", \"day\": \"2026-11-12\", \"ok\": 7, \"failed\": 0}],"
	    "\"queues\": [{\"server\": \"EXHUB1\", \"identity\": \"EXHUB1\\\\3\","
	    " \"status\": \"Ready\", \"message_count\": 0}]");
	compare(before, after, &b);
	assert_int_equal(b.nconnectors, 1);
	c = &b.connectors[0];
	assert_int_equal(c->before_failed, 29);
	assert_int_equal(c->after_failed, 0);
	assert_int_equal(c->ndays, 4);
	/*
	 * 2026-11-10 (1794268800) failed in the first bundle; the 11th had
	 * no handshake; 2026-11-12 (1794441600) is the first clean day.
	 */
	assert_int_equal(c->last_failure_day, INT64_C(1794268800));
	assert_int_equal(c->first_clean_day, INT64_C(1794441600));
	assert_int_equal(b.nqueues, 2);
	assert_int_equal(b.queues[0].state, BLQ_DRAINED);
	assert_int_equal(b.queues[0].after_messages, 0);
	/* Get-Queue no longer lists it: it holds nothing. */
	assert_int_equal(b.queues[1].state, BLQ_DRAINED);
	baseline_free(&b);
	free(before);
	free(after);
}

/* A server the new case does not cover is not re-collected, never resolved. */
static void
test_not_recollected(void **state)
{
	char		*before, *after;
	struct baseline	 b;

	(void)state;
	before = doc("2026-11-10T09:00:00Z",
	    FINDING("F1", "cert-expired", "low", "\"EXHUB2\"", "",
	    "\"" TP_OLD "\"", ""), CERTS_OF("EXHUB1", "EXHUB2") ", \"queues\": "
	    "[{\"server\": \"EXHUB2\", \"identity\": \"EXHUB2\\\\3\", "
	    "\"message_count\": 5}]");
	after = doc("2026-11-17T09:00:00Z", "", CERTS_OF("EXHUB1", "EXHUB1"));
	compare(before, after, &b);
	assert_int_equal(b.entries[0].state, BL_NOT_RECOLLECTED);
	assert_int_equal(b.compared.n, 1);
	assert_string_equal(b.before_only.v[0], "EXHUB2");
	assert_int_equal(b.queues[0].state, BLQ_NOT_RECOLLECTED);
	assert_int_equal(b.queues[0].after_messages, -1);
	assert_non_null(strstr(b.text, "not re-collected"));
	baseline_free(&b);
	free(before);
	free(after);
}

/*
 * A queue row without its server (an edited or foreign findings.json): no
 * server's re-collection covers it, so it is unknown, never drained.
 */
static void
test_queue_without_server(void **state)
{
	char		*before, *after;
	struct baseline	 b;

	(void)state;
	before = doc("2026-11-10T09:00:00Z", "", "\"queues\": ["
	    "{\"server\": \"EXHUB1\", \"identity\": \"EXHUB1\\\\3\", "
	    "\"status\": \"Retry\", \"message_count\": 37},"
	    "{\"identity\": \"EXHUB2\\\\3\", \"status\": \"Retry\", "
	    "\"message_count\": 5}]");
	after = doc("2026-11-17T09:00:00Z", "", "\"queues\": ["
	    "{\"server\": \"EXHUB1\", \"identity\": \"EXHUB1\\\\3\", "
	    "\"status\": \"Ready\", \"message_count\": 0}]");
	compare(before, after, &b);
	assert_int_equal(b.nqueues, 2);
	assert_int_equal(b.queues[0].state, BLQ_DRAINED);
	assert_null(b.queues[1].server);
	assert_int_equal(b.queues[1].state, BLQ_NOT_RECOLLECTED);
	assert_int_equal(b.queues[1].before_messages, 5);
	assert_int_equal(b.queues[1].after_messages, -1);
	baseline_free(&b);
	free(before);
	free(after);
}

static void
expect_refused(const char *text, const char *words)
{
	struct bl_case	 c;
	char		*why = NULL;

	memset(&c, 0, sizeof c);
	assert_int_equal(baseline_read_text(text, strlen(text), &c, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, words));
	free(why);
	bl_case_free(&c);
}

static void
test_what_before_must_be(void **state)
{
	(void)state;
	expect_refused("{\"schema\": \"certtrail/findings/2\", \"findings\": []}",
	    "newer certtrail");
	expect_refused("{\"schema\": \"other/1\", \"findings\": []}",
	    "not a certtrail result");
	expect_refused("{\"findings\": []}", "not a certtrail result");
	expect_refused("[1, 2]", "not an object");
	expect_refused("{\"schema\": \"certtrail/findings/1\"}",
	    "no \"findings\"");
	expect_refused("{\"schema\": \"certtrail/findings/1\", ", "not JSON");
	expect_refused("{\"schema\": \"certtrail/findings/x\", \"findings\": []}",
	    "not a certtrail result");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_never_match),
		cmocka_unit_test(test_other_certificate_is_new),
		cmocka_unit_test(test_serverless_now),
		cmocka_unit_test(test_status_resolved),
		cmocka_unit_test(test_symptoms_change_hands),
		cmocka_unit_test(test_days_and_queues),
		cmocka_unit_test(test_not_recollected),
		cmocka_unit_test(test_queue_without_server),
		cmocka_unit_test(test_what_before_must_be),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

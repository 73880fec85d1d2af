/*
 * The evidence store: merging never lets unknown overwrite known, connectors
 * take the richer source, logs and certificates without a server name are
 * attributed from their paths, and TLS rows aggregate instead of piling up.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "model/kinds/queue.h"
#include "model/kinds/send_connector.h"

#define TP "6F029E0D20605DB27016B787C4503FD0002C0A11"

static void
test_server_short_name(void **state)
{
	char	*s;

	(void)state;
	s = server_short_name("exhub1.contoso.com");
	assert_string_equal(s, "EXHUB1");
	free(s);
	s = server_short_name("CONTOSO\\ex02");
	assert_string_equal(s, "EX02");
	free(s);
	assert_null(server_short_name(""));
	assert_null(server_short_name(NULL));
}

static void
test_cert_merge_keeps_known_values(void **state)
{
	struct evidence	 ev;
	struct ev_cert	 a, b;

	(void)state;
	evidence_init(&ev);
	ev_cert_init(&a);
	a.server = (char *)"exhub1.contoso.com";
	a.thumbprint = (char *)"6f029e0d20605db27016b787c4503fd0002c0a11";
	a.services = SVC_IIS;
	a.subject = (char *)"CN=mail.contoso.com";
	a.ref.source = (char *)"certs.txt";
	a.ref.line = 5;
	evidence_add_cert(&ev, &a);
	ev_cert_init(&b);
	b.server = (char *)"EXHUB1";
	b.thumbprint = (char *)TP;
	b.key_bits = 2048;	/* known only in the second source */
	b.ref.source = (char *)"certs.xml";
	evidence_add_cert(&ev, &b);
	assert_int_equal(ev.ncerts, 1);
	assert_string_equal(ev.certs[0].thumbprint, TP);
	assert_string_equal(ev.certs[0].server, "EXHUB1");
	assert_int_equal(ev.certs[0].services, SVC_IIS);
	assert_int_equal(ev.certs[0].key_bits, 2048);
	assert_string_equal(ev.certs[0].subject, "CN=mail.contoso.com");
	assert_int_equal(ev.certs[0].sources.n, 2);
	assert_int_equal(ev.certs[0].ref.line, 5);
	evidence_free(&ev);
}

static void
test_exact_dates_replace_local_ones(void **state)
{
	struct evidence	 ev;
	struct ev_cert	 fl, der;

	(void)state;
	evidence_init(&ev);
	/* Format-List first: server-local time read as UTC, eight hours off. */
	ev_cert_init(&fl);
	fl.server = (char *)"EXHUB1";
	fl.thumbprint = (char *)TP;
	fl.not_before = 1762000000 + 8 * 3600;
	fl.not_after = 1793536000 + 8 * 3600;
	evidence_add_cert(&ev, &fl);
	ev_cert_init(&der);
	der.server = (char *)"EXHUB1";
	der.thumbprint = (char *)TP;
	der.not_before = 1762000000;
	der.not_after = 1793536000;
	der.dates_exact = true;
	evidence_add_cert(&ev, &der);
	assert_int_equal(ev.certs[0].not_before, 1762000000);
	assert_int_equal(ev.certs[0].not_after, 1793536000);
	assert_true(ev.certs[0].dates_exact);
	/* Later Format-List text never moves exact dates again. */
	evidence_add_cert(&ev, &fl);
	assert_int_equal(ev.certs[0].not_after, 1793536000);
	evidence_free(&ev);
}

/* A queue's retry time from CliXml replaces the Format-List one, not back. */
static void
test_exact_retry_time_replaces_local_one(void **state)
{
	struct evidence	 ev;
	struct ev_queue	 fl, xml;

	(void)state;
	evidence_init(&ev);
	ev_queue_init(&fl);
	fl.identity = (char *)"EXHUB1\\7";
	fl.last_retry_time = 1762000000 + 8 * 3600;
	evidence_add_queue(&ev, &fl);
	assert_false(ev.queues[0].last_retry_time_exact);
	ev_queue_init(&xml);
	xml.identity = (char *)"EXHUB1\\7";
	xml.last_retry_time = 1762000000;
	xml.last_retry_time_exact = true;
	evidence_add_queue(&ev, &xml);
	assert_int_equal(ev.nqueues, 1);
	assert_int_equal(ev.queues[0].last_retry_time, 1762000000);
	assert_true(ev.queues[0].last_retry_time_exact);
	evidence_add_queue(&ev, &fl);
	assert_int_equal(ev.queues[0].last_retry_time, 1762000000);
	assert_true(ev.queues[0].last_retry_time_exact);
	evidence_free(&ev);
}

static void
test_connector_richer_source_wins(void **state)
{
	struct evidence			 ev;
	struct ev_send_connector	 fl, xml;

	(void)state;
	evidence_init(&ev);
	ev_send_connector_init(&fl);
	fl.name = (char *)"Outbound";
	fl.source_rank = 1;
	strlist_add(&fl.source_servers, "EX01");
	strlist_add(&fl.source_servers, "EX02");
	strlist_add(&fl.source_servers, "EX03");
	strlist_add(&fl.source_servers, "EX04");
	fl.source_servers_known = fl.source_servers_incomplete = true;
	fl.tls_certificate_name = (char *)"<I>CN=CA<S>CN=mail.contoso.com";
	fl.require_tls = TRI_TRUE;
	evidence_add_send_connector(&ev, &fl);
	ev_send_connector_init(&xml);
	xml.name = (char *)"outbound";
	xml.source_rank = 2;
	strlist_add(&xml.source_servers, "ex01.contoso.com");
	strlist_add(&xml.source_servers, "EX02");
	strlist_add(&xml.source_servers, "EX03");
	strlist_add(&xml.source_servers, "EX04");
	strlist_add(&xml.source_servers, "EX05");
	xml.source_servers_known = true;
	evidence_add_send_connector(&ev, &xml);
	assert_int_equal(ev.nsendc, 1);
	assert_int_equal(ev.sendc[0].source_servers.n, 5);
	assert_string_equal(ev.sendc[0].source_servers.v[0], "EX01");
	assert_false(ev.sendc[0].source_servers_incomplete);
	/* Unknown in the richer source does not erase what the poorer knew. */
	assert_int_equal(ev.sendc[0].require_tls, TRI_TRUE);
	assert_non_null(ev.sendc[0].tls_certificate_name);
	strlist_free(&fl.source_servers);
	strlist_free(&xml.source_servers);
	evidence_free(&ev);
}

static void
test_tls_events_aggregate(void **state)
{
	struct evidence		ev;
	struct ev_tls_event	e = {
		.log_source = "EXHUB2-1110.zip/Hub_Send_Protocol_Logs.zip/SEND2026110314-1.LOG",
		.connector = "Outbound to Office 365", .cert_thumbprint = TP,
		.ok = false, .error = "UnknownCredentials", .line = 12,
		.text = "row",
	};
	struct ev_send_connector sc;
	int			i;

	(void)state;
	evidence_init(&ev);
	for (i = 0; i < 1000; i++) {
		e.time = 1762000000 + i;
		e.line = 12 + i;
		evidence_add_tls(&ev, &e);
	}
	e.ok = true;
	e.error = NULL;
	evidence_add_tls(&ev, &e);
	assert_int_equal(ev.ntls, 2);
	assert_int_equal(ev.tls[0].count, 1000);
	assert_int_equal(ev.tls[0].first, 1762000000);
	assert_int_equal(ev.tls[0].last, 1762000999);
	assert_int_equal(ev.tls[0].sample_line, 12);

	/* The path names the server (collector layout "<SERVER>-<Md>.zip"). */
	ev_send_connector_init(&sc);
	sc.name = (char *)"Outbound to Office 365";
	strlist_add(&sc.source_servers, "EXHUB1");
	strlist_add(&sc.source_servers, "EXHUB2");
	sc.source_servers_known = true;
	evidence_add_send_connector(&ev, &sc);
	strlist_free(&sc.source_servers);
	evidence_finish(&ev);
	assert_string_equal(ev.tls[0].server, "EXHUB2");
	evidence_free(&ev);
}

/*
 * Aggregate keys: case folded for ASCII only (eight bytes at a time and
 * byte by byte), unknown apart from empty, and keys longer than the key's
 * own buffer; each group remembers its first spelling.
 */
static void
test_tls_key_folding(void **state)
{
	struct evidence		ev;
	char			long_a[700], long_b[700];
	struct ev_tls_event	e = {
		.log_source = "EXHUB1/SEND20261103-1.LOG", .ok = false,
		.error = "UnknownCredentials", .line = 1, .text = "row",
		.remote_endpoint = "[2001:db8::25]:25",
	};
	size_t			i;

	(void)state;
	evidence_init(&ev);
	e.connector = "Outbound To Contoso Partners";
	evidence_add_tls(&ev, &e);
	e.connector = "OUTBOUND to contoso PARTNERS";
	e.remote_endpoint = "2001:DB8::25";	/* the same host, bare */
	evidence_add_tls(&ev, &e);
	assert_int_equal(ev.ntls, 1);
	assert_int_equal(ev.tls[0].count, 2);
	assert_string_equal(ev.tls[0].connector, "Outbound To Contoso Partners");
	assert_string_equal(ev.tls[0].remote, "2001:db8::25");

	/* Only ASCII letters fold: É and é stay apart, whatever the word. */
	e.connector = "Sortant vers \xc3\x89tude Lyon";
	evidence_add_tls(&ev, &e);
	e.connector = "SORTANT VERS \xc3\xa9TUDE LYON";
	evidence_add_tls(&ev, &e);
	e.connector = "sortant vers \xc3\xa9tude lyon";
	evidence_add_tls(&ev, &e);
	assert_int_equal(ev.ntls, 3);
	assert_int_equal(ev.tls[2].count, 2);

	/* Unknown and empty are different connectors. */
	e.connector = NULL;
	evidence_add_tls(&ev, &e);
	e.connector = "";
	evidence_add_tls(&ev, &e);
	assert_int_equal(ev.ntls, 5);

	/* Keys past the stack buffer, differing only in their last byte. */
	for (i = 0; i < sizeof long_a - 1; i++)
		long_a[i] = long_b[i] = (char)('A' + i % 26);
	long_a[sizeof long_a - 1] = long_b[sizeof long_b - 1] = '\0';
	long_b[sizeof long_b - 2] = 'z';
	e.connector = long_a;
	evidence_add_tls(&ev, &e);
	e.connector = long_b;
	evidence_add_tls(&ev, &e);
	for (i = 0; i < sizeof long_a - 1; i++)
		long_a[i] = (char)(long_a[i] | 0x20);
	e.connector = long_a;
	evidence_add_tls(&ev, &e);
	assert_int_equal(ev.ntls, 7);
	assert_int_equal(ev.tls[5].count, 2);
	assert_int_equal(ev.tls[6].count, 1);
	evidence_free(&ev);
}

/*
 * The hourly counts behind the timeline: exact per hour, sorted whatever
 * the order rows arrive in, without a time left out, and merged when the
 * logs read beside the walk are taken over.
 */
static void
test_tls_hours(void **state)
{
	struct evidence		ev, side;
	struct ev_tls_event	e = {
		.log_source = "EXHUB1/SEND20261103-1.LOG",
		.connector = "Outbound", .ok = false, .error = "UnknownCredentials",
		.line = 1, .text = "row",
	};
	/* 2026-11-03T14:00:00Z */
	const int64_t		h = 1793714400;

	(void)state;
	evidence_init(&ev);
	evidence_init(&side);
	e.time = h + 2 * 3600 + 59;
	evidence_add_tls(&ev, &e);
	e.time = h + 10;
	evidence_add_tls(&ev, &e);
	e.time = h + 3599;
	e.ok = true;
	e.error = NULL;
	evidence_add_tls(&ev, &e);
	e.time = TIME_UNKNOWN;
	evidence_add_tls(&ev, &e);
	assert_int_equal(ev.ntls_hours, 2);
	assert_int_equal(ev.tls_hours[0].hour, h);
	assert_int_equal(ev.tls_hours[0].ok, 1);
	assert_int_equal(ev.tls_hours[0].failed, 1);
	assert_int_equal(ev.tls_hours[1].hour, h + 2 * 3600);
	assert_int_equal(ev.tls_hours[1].failed, 1);

	e.time = h + 3600 + 5;
	evidence_add_tls(&side, &e);
	e.time = h + 20;
	evidence_add_tls(&side, &e);
	evidence_take_logs(&ev, &side);
	assert_int_equal(side.ntls_hours, 0);
	assert_int_equal(ev.ntls_hours, 3);
	assert_int_equal(ev.tls_hours[0].ok, 2);
	assert_int_equal(ev.tls_hours[1].hour, h + 3600);
	assert_int_equal(ev.tls_hours[1].ok, 1);
	assert_int_equal(ev.tls_hours[2].hour, h + 2 * 3600);
	evidence_free(&side);
	evidence_free(&ev);
}

static void
test_attribution_single_server_and_merge(void **state)
{
	struct evidence		 ev;
	struct ev_cert		 c;
	struct ev_send_connector sc;

	(void)state;
	evidence_init(&ev);
	ev_cert_init(&c);
	c.thumbprint = (char *)TP;
	c.services = SVC_IIS | SVC_SMTP;
	c.ref.source = (char *)"certs.txt";	/* default fl: no Identity */
	evidence_add_cert(&ev, &c);
	ev_cert_init(&c);
	c.thumbprint = (char *)TP;
	c.server = (char *)"EXHUB1";
	c.key_bits = 4096;
	c.ref.source = (char *)"EXHUB1_certs.xml";
	evidence_add_cert(&ev, &c);
	assert_int_equal(ev.ncerts, 2);
	ev_send_connector_init(&sc);
	sc.name = (char *)"Outbound";
	strlist_add(&sc.source_servers, "EXHUB1");
	sc.source_servers_known = true;
	evidence_add_send_connector(&ev, &sc);
	strlist_free(&sc.source_servers);
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 1);
	assert_string_equal(ev.certs[0].server, "EXHUB1");
	assert_int_equal(ev.certs[0].services, SVC_IIS | SVC_SMTP);
	assert_int_equal(ev.certs[0].key_bits, 4096);
	assert_int_equal(ev.diags.n, 1);	/* the attribution is stated */
	evidence_free(&ev);
}

static void
test_path_attribution_prefers_longest_name(void **state)
{
	struct evidence		 ev;
	struct ev_cert		 c;
	struct ev_send_connector sc;

	(void)state;
	evidence_init(&ev);
	ev_send_connector_init(&sc);
	sc.name = (char *)"Outbound";
	strlist_add(&sc.source_servers, "EX1");
	strlist_add(&sc.source_servers, "EX10");
	sc.source_servers_known = true;
	evidence_add_send_connector(&ev, &sc);
	strlist_free(&sc.source_servers);
	ev_cert_init(&c);
	c.thumbprint = (char *)TP;
	c.ref.source = (char *)"bundle/EX10_ExchangeCertificates.txt";
	evidence_add_cert(&ev, &c);
	ev_cert_init(&c);
	c.thumbprint = (char *)"0123456789ABCDEF0123456789ABCDEF01234567";
	c.ref.source = (char *)"certs/other.txt";
	evidence_add_cert(&ev, &c);
	evidence_finish(&ev);
	assert_string_equal(ev.certs[0].server, "EX10");
	/* Two servers and no clue in the path: left unknown, never guessed. */
	assert_null(ev.certs[1].server);
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_server_short_name),
		cmocka_unit_test(test_cert_merge_keeps_known_values),
		cmocka_unit_test(test_exact_dates_replace_local_ones),
		cmocka_unit_test(test_exact_retry_time_replaces_local_one),
		cmocka_unit_test(test_connector_richer_source_wins),
		cmocka_unit_test(test_tls_events_aggregate),
		cmocka_unit_test(test_tls_key_folding),
		cmocka_unit_test(test_tls_hours),
		cmocka_unit_test(test_attribution_single_server_and_merge),
		cmocka_unit_test(test_path_attribution_prefers_longest_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

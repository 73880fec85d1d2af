/*
 * The two founding rules on hand-built evidence: the renewal that keeps
 * issuer and subject, and the third-party certificate without SMTP, plus the
 * near misses that must stay silent.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/datetime.h"
#include "rules/rules.h"

#define ISSUER	"CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
#define SUBJECT	"CN=mail.contoso.com, O=\"Contoso, Ltd.\", L=Redmond, S=Washington, C=US"
#define TP_OLD1	"6F029E0D20605DB27016B787C4503FD0002C0A11"
#define TP_NEW1	"A1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
#define TP_OLD2	"0123456789ABCDEF0123456789ABCDEF01234567"
#define TP_NEW2	"FEDCBA9876543210FEDCBA9876543210FEDCBA98"

static int64_t
day(int y, unsigned m, unsigned d)
{
	return days_from_civil(y, m, d) * 86400;
}

static void
add_cert(struct evidence *ev, const char *server, const char *tp,
    const char *subject, int services, int64_t nb, int64_t na)
{
	struct ev_cert	c;

	ev_cert_init(&c);
	c.server = (char *)server;
	c.thumbprint = (char *)tp;
	c.subject = (char *)subject;
	c.issuer = (char *)ISSUER;
	c.services = services;
	c.not_before = nb;
	c.not_after = na;
	c.ref.source = (char *)"EXHUB1-1110.zip/certs.txt";
	c.ref.line = 3;
	evidence_add_cert(ev, &c);
}

static void
add_connector(struct evidence *ev, const char *name, const char *tcn,
    const char *s1, const char *s2)
{
	struct ev_send_connector sc;

	ev_send_connector_init(&sc);
	sc.name = (char *)name;
	sc.tls_certificate_name = (char *)tcn;
	strlist_add(&sc.source_servers, s1);
	if (s2)
		strlist_add(&sc.source_servers, s2);
	sc.source_servers_known = true;
	sc.require_tls = TRI_TRUE;
	sc.protocol_logging_level = (char *)"Verbose";
	sc.ref.source = (char *)"Connectors/Send_Connectors.txt";
	sc.ref.line = 1;
	sc.source_rank = 1;
	evidence_add_send_connector(ev, &sc);
	strlist_free(&sc.source_servers);
}

static void
add_tls(struct evidence *ev, const char *log, const char *conn, const char *tp,
    bool ok, const char *error, int64_t t, int n)
{
	struct ev_tls_event	e = {
		.log_source = log, .connector = conn, .cert_thumbprint = tp,
		.ok = ok, .error = error, .time = t, .line = 40,
		.text = "2026-11-03T14:12:09.120Z,...,TLS negotiation failed",
	};
	int			i;

	for (i = 0; i < n; i++) {
		e.time = t + i * 60;
		evidence_add_tls(ev, &e);
	}
}

static const struct finding *
find_rule(const struct findings *fs, const char *rule)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].rule, rule) == 0)
			return &fs->v[i];
	return NULL;
}

static bool
commands_contain(const struct finding *f, const char *needle)
{
	size_t	i;

	for (i = 0; i < f->nremediation; i++)
		if (f->remediation[i].command != NULL &&
		    strstr(f->remediation[i].command, needle) != NULL)
			return true;
	return false;
}

static void
renewal_evidence(struct evidence *ev, const char *new_subject)
{
	evidence_init(ev);
	add_cert(ev, "EXHUB1", TP_OLD1, SUBJECT, SVC_IIS | SVC_SMTP,
	    day(2025, 11, 20), day(2026, 11, 28));
	add_cert(ev, "EXHUB1", TP_NEW1, new_subject, SVC_IIS | SVC_SMTP,
	    day(2026, 10, 30), day(2027, 11, 29));
	add_cert(ev, "EXHUB2", TP_OLD2, SUBJECT, SVC_SMTP,
	    day(2025, 11, 20), day(2026, 11, 28));
	add_cert(ev, "EXHUB2", TP_NEW2, new_subject, SVC_SMTP,
	    day(2026, 10, 30), day(2027, 11, 29));
	add_connector(ev, "Outbound to Partners",
	    "<I>" ISSUER "<S>" SUBJECT, "EXHUB1", "exhub2.contoso.com");
	ev->saw_cert_dump = ev->saw_send_connector_dump = true;
	evidence_finish(ev);
}

static void
test_renewal_is_ambiguous(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;

	(void)state;
	renewal_evidence(&ev, SUBJECT);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	f = find_rule(&fs, "tls-cert-name-ambiguous");
	assert_non_null(f);
	/* The old certificates expire within 60 days of the as-of time. */
	assert_int_equal(f->severity, SEV_HIGH);
	assert_int_equal(f->servers.n, 2);
	assert_string_equal(f->servers.v[0], "EXHUB1");
	assert_string_equal(f->servers.v[1], "EXHUB2");
	assert_int_equal(f->connectors.n, 1);
	assert_string_equal(f->connectors.v[0], "Outbound to Partners");
	assert_int_equal(f->thumbprints.n, 4);
	/* One Remove step per server; the later steps are numbered after them. */
	assert_int_equal(f->nremediation, 9);
	assert_string_equal(f->remediation[4].command, "Remove-ExchangeCertificate "
	    "-Server EXHUB1 -Thumbprint " TP_OLD1);
	assert_string_equal(f->remediation[5].command, "Remove-ExchangeCertificate "
	    "-Server EXHUB2 -Thumbprint " TP_OLD2);
	assert_non_null(strstr(f->remediation[5].text, "before step 8"));
	assert_non_null(strstr(f->remediation[2].text, "until step 9"));
	assert_non_null(strstr(f->remediation[7].command, "Set-SendConnector"));
	assert_non_null(strstr(f->remediation[8].command, "Start-Service"));
	assert_true(commands_contain(f, "Set-SendConnector -Identity "
	    "'Outbound to Partners' -TlsCertificateName $null"));
	assert_true(commands_contain(f, "Remove-ExchangeCertificate -Server "
	    "EXHUB1 -Thumbprint " TP_OLD1));
	assert_true(commands_contain(f, "Remove-ExchangeCertificate -Server "
	    "EXHUB2 -Thumbprint " TP_OLD2));
	assert_false(commands_contain(f, "Remove-ExchangeCertificate -Server "
	    "EXHUB1 -Thumbprint " TP_NEW1));
	assert_false(commands_contain(f, "Remove-ExchangeCertificate -Server "
	    "EXHUB2 -Thumbprint " TP_NEW2));
	assert_true(commands_contain(f, "Get-ExchangeCertificate -Server EXHUB1 "
	    "-Thumbprint " TP_NEW1));
	assert_true(commands_contain(f, "-TlsCertificateName $tlscertificatename"));
	/* The configuration alone: nothing failed, so no root cause. */
	assert_int_equal(fs.root_cause, -1);
	assert_string_equal(fs.v[0].id, "F1");
	assert_null(find_rule(&fs, "smtp-service-not-enabled"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

static void
test_renewal_with_new_subject_is_not_ambiguous(void **state)
{
	struct evidence	ev;
	struct findings	fs = { .root_cause = -1 };
	struct gap_list	gaps = { 0 };

	(void)state;
	renewal_evidence(&ev, "CN=mail.contoso.com, O=Contoso Ltd, C=US");
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	assert_null(find_rule(&fs, "tls-cert-name-ambiguous"));
	assert_int_equal(fs.root_cause, -1);
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

static void
test_ambiguous_is_medium_when_nothing_expires_or_is_used(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;

	(void)state;
	renewal_evidence(&ev, SUBJECT);
	rules_run_all(&ev, day(2026, 1, 10), &fs, &gaps);
	f = find_rule(&fs, "tls-cert-name-ambiguous");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_MEDIUM);
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

static void
smtp_evidence(struct evidence *ev, int new_services, bool failures)
{
	struct ev_queue	q;

	evidence_init(ev);
	add_cert(ev, "EXHUB1", TP_NEW1, SUBJECT, new_services,
	    day(2026, 11, 3), day(2027, 11, 3));
	add_cert(ev, "EXHUB1", TP_OLD1, "CN=EXHUB1", SVC_IMAP | SVC_POP |
	    SVC_IIS | SVC_SMTP, day(2024, 1, 1), day(2029, 1, 1));
	add_connector(ev, "Outbound to Office 365", "<I>" ISSUER "<S>" SUBJECT,
	    "EXHUB1", NULL);
	add_tls(ev, "Logs/SmtpSend/SEND20261103-1.LOG", "Outbound to Office 365",
	    TP_NEW1, !failures, failures ? "UnknownCredentials" : NULL,
	    day(2026, 11, 3) + 14 * 3600, 160);
	ev_queue_init(&q);
	q.identity = (char *)"EXHUB1\\3";
	q.server = (char *)"EXHUB1";
	q.status = (char *)(failures ? "Retry" : "Ready");
	q.next_hop_domain = (char *)"contoso-com.mail.protection.outlook.com";
	q.last_error = failures ? (char *)"451 4.4.0 Primary target IP address "
	    "responded with: \"421 4.4.1 Connection timed out.\" Attempted "
	    "failover to alternate host, but that did not succeed." : NULL;
	q.message_count = 57;
	q.ref.source = (char *)"queues.txt";
	q.ref.line = 1;
	evidence_add_queue(ev, &q);
	ev->saw_cert_dump = ev->saw_send_connector_dump = ev->saw_queue_dump = true;
	evidence_finish(ev);
}

static void
test_smtp_not_enabled_from_logs(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;

	(void)state;
	smtp_evidence(&ev, SVC_IIS, true);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	f = find_rule(&fs, "smtp-service-not-enabled");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_int_equal(f->servers.n, 1);
	assert_string_equal(f->servers.v[0], "EXHUB1");
	assert_string_equal(f->connectors.v[0], "Outbound to Office 365");
	assert_string_equal(f->thumbprints.v[0], TP_NEW1);
	assert_true(commands_contain(f, "Enable-ExchangeCertificate -Server "
	    "EXHUB1 -Thumbprint " TP_NEW1 " -Services IIS,SMTP"));
	assert_true(commands_contain(f, "Get-Queue -Server EXHUB1 | "
	    "Where-Object {$_.Status -eq \"Retry\"} | Retry-Queue"));
	assert_non_null(strstr(f->explanation, "160 outbound TLS handshakes"));
	/*
	 * The inventory's NotBefore is the server's local clock, its offset
	 * unknown: no time between it and a UTC failure is stated.
	 */
	assert_null(strstr(f->explanation, "hours after"));
	assert_non_null(strstr(f->explanation, "UTC offset is not in the "
	    "bundle, so the time between them is not known"));
	assert_int_equal(f->first_seen, day(2026, 11, 3) + 14 * 3600);
	/* Log rows, the certificate, the connector and the queue. */
	assert_int_equal(f->nevidence, 4);
	assert_int_equal(f->evidence[0].count, 160);
	assert_int_equal(f->evidence[0].line, 40);
	assert_non_null(strstr(f->evidence[3].text, "421 4.4.1"));
	assert_int_equal(fs.root_cause, 0);
	assert_ptr_equal(&fs.v[0], f);
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

/* With the certificate's own dates (UTC) the onset is stated. */
static void
test_smtp_not_enabled_onset_utc(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;
	size_t			 i;

	(void)state;
	smtp_evidence(&ev, SVC_IIS, true);
	for (i = 0; i < ev.ncerts; i++)
		ev.certs[i].dates_exact = true;
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	f = find_rule(&fs, "smtp-service-not-enabled");
	assert_non_null(f);
	assert_non_null(strstr(f->explanation, "The failures began 14 hours "
	    "after the certificate's NotBefore (2026-11-03T00:00:00Z)"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

static void
test_smtp_enabled_is_silent(void **state)
{
	struct evidence	ev;
	struct findings	fs = { .root_cause = -1 };
	struct gap_list	gaps = { 0 };

	(void)state;
	smtp_evidence(&ev, SVC_IIS | SVC_SMTP, false);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	assert_null(find_rule(&fs, "smtp-service-not-enabled"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

static void
test_smtp_unknown_services_is_a_gap_not_a_finding(void **state)
{
	struct evidence	ev;
	struct findings	fs = { .root_cause = -1 };
	struct gap_list	gaps = { 0 };
	size_t		i;
	bool		found = false;

	(void)state;
	smtp_evidence(&ev, SERVICES_UNKNOWN, true);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	assert_null(find_rule(&fs, "smtp-service-not-enabled"));
	for (i = 0; i < gaps.n; i++)
		if (strstr(gaps.v[i].what, TP_NEW1) != NULL &&
		    strstr(gaps.v[i].collect, "Format-List") != NULL)
			found = true;
	assert_true(found);
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

static void
test_smtp_config_only_is_medium(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;
	struct ev_cert		 c;

	(void)state;
	evidence_init(&ev);
	ev_cert_init(&c);
	add_cert(&ev, "EXHUB1", TP_NEW1, SUBJECT, SVC_IIS, day(2026, 11, 3),
	    day(2027, 11, 3));
	add_connector(&ev, "Outbound to Office 365", "<i>" ISSUER "<s>" SUBJECT,
	    "EXHUB1", NULL);
	evidence_finish(&ev);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	f = find_rule(&fs, "smtp-service-not-enabled");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_false(f->direct_evidence);
	/* Nothing failed: not a root cause, and no queued mail to retry. */
	assert_int_equal(fs.root_cause, -1);
	assert_false(commands_contain(f, "Retry-Queue"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

/*
 * Failed handshakes no specific rule explains, on one connector, then
 * successes on it: with `overlap`, one success falls inside the failures'
 * window (the path worked and failed by turns).
 */
static void
ended_failures_evidence(struct evidence *ev, bool overlap)
{
	int64_t	fail = day(2026, 11, 1) + 10 * 3600;

	evidence_init(ev);
	add_cert(ev, "EXHUB1", TP_OLD1, SUBJECT, SVC_IIS | SVC_SMTP,
	    day(2026, 1, 1), day(2027, 1, 1));
	add_tls(ev, "EXHUB1/SmtpSend/SEND20261101-1.LOG", "Outbound to Partners",
	    TP_OLD1, false, "SEC_E_ILLEGAL_MESSAGE", fail, 30);
	add_tls(ev, "EXHUB1/SmtpSend/SEND20261103-1.LOG", "Outbound to Partners",
	    TP_OLD1, true, NULL, day(2026, 11, 3), 50);
	if (overlap)
		add_tls(ev, "EXHUB1/SmtpSend/SEND20261101-1.LOG",
		    "Outbound to Partners", TP_OLD1, true, NULL, fail + 600, 1);
	ev->saw_cert_dump = true;
	evidence_finish(ev);
}

static void
test_failures_that_ended_are_resolved(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;
	size_t			 i;

	(void)state;
	ended_failures_evidence(&ev, false);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	f = find_rule(&fs, "tls-handshake-failures");
	assert_non_null(f);
	assert_int_equal(f->status, FINDING_RESOLVED);
	assert_int_equal(f->first_seen, day(2026, 11, 1) + 10 * 3600);
	assert_int_equal(f->last_seen, day(2026, 11, 1) + 10 * 3600 + 29 * 60);
	assert_int_equal(f->ok_after, 50);
	assert_int_equal(f->ok_first, day(2026, 11, 3));
	/* The cause is not known, so neither is what changed. */
	assert_null(f->change);
	assert_non_null(strstr(f->explanation, "does not show what changed"));
	assert_int_equal(fs.root_cause, -1);
	for (i = 0; i < fs.n; i++)
		assert_false(commands_contain(&fs.v[i], "Retry-Queue"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);

	/* A success inside the window: nothing ended. */
	fs = (struct findings){ .root_cause = -1 };
	ended_failures_evidence(&ev, true);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	f = find_rule(&fs, "tls-handshake-failures");
	assert_non_null(f);
	assert_int_equal(f->status, FINDING_ACTIVE);
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

/*
 * A SAN certificate imported on both source servers of a connector, without
 * SMTP on either: one finding naming both servers, one Enable step per
 * server keeping that server's own services.
 */
static void
test_smtp_san_cert_on_two_servers(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;
	size_t			 i, enables = 0;

	(void)state;
	evidence_init(&ev);
	add_cert(&ev, "EXHUB1", TP_NEW1, SUBJECT, SVC_IIS, day(2026, 11, 3),
	    day(2027, 11, 3));
	add_cert(&ev, "EXHUB2", TP_NEW1, SUBJECT, SVC_IMAP | SVC_IIS,
	    day(2026, 11, 3), day(2027, 11, 3));
	add_connector(&ev, "Outbound to Office 365", "<i>" ISSUER "<s>" SUBJECT,
	    "EXHUB1", "EXHUB2");
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 2);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	f = find_rule(&fs, "smtp-service-not-enabled");
	assert_non_null(f);
	assert_int_equal(f->servers.n, 2);
	assert_string_equal(f->servers.v[0], "EXHUB1");
	assert_string_equal(f->servers.v[1], "EXHUB2");
	assert_non_null(strstr(f->title, "on EXHUB1 and EXHUB2"));
	assert_true(commands_contain(f, "Enable-ExchangeCertificate -Server "
	    "EXHUB1 -Thumbprint " TP_NEW1 " -Services IIS,SMTP"));
	assert_true(commands_contain(f, "Enable-ExchangeCertificate -Server "
	    "EXHUB2 -Thumbprint " TP_NEW1 " -Services IMAP,IIS,SMTP"));
	for (i = 0; i < f->nremediation; i++)
		if (f->remediation[i].command != NULL &&
		    strstr(f->remediation[i].command, "Enable-Exchange") != NULL)
			enables++;
	assert_int_equal(enables, 2);
	assert_non_null(strstr(f->explanation, "on EXHUB1 for IIS only; on "
	    "EXHUB2 for IMAP, IIS only"));
	/* Only one finding for the certificate. */
	for (i = 0, enables = 0; i < fs.n; i++)
		if (strcmp(fs.v[i].rule, "smtp-service-not-enabled") == 0)
			enables++;
	assert_int_equal(enables, 1);
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

static void
test_gaps_name_what_is_missing(void **state)
{
	struct evidence	ev;
	struct gap_list	gaps = { 0 };
	bool		unattributed = false, receive = false, inventory = false;
	size_t		i;

	(void)state;
	evidence_init(&ev);
	/* Two servers and a certificate that names none. */
	add_cert(&ev, NULL, TP_NEW1, SUBJECT, SVC_SMTP, day(2026, 1, 1),
	    day(2027, 1, 1));
	free(ev.certs[0].ref.source);	/* a path that names no server either */
	ev.certs[0].ref.source = xstrdup("certs.txt");
	add_connector(&ev, "Outbound \"EU\"", "<I>" ISSUER "<S>" SUBJECT,
	    "EXHUB1", "EXHUB2");
	ev.saw_cert_dump = ev.saw_send_connector_dump = true;
	evidence_finish(&ev);
	gaps_collect(&ev, &gaps);
	for (i = 0; i < gaps.n; i++) {
		if (strstr(gaps.v[i].what, "1 certificate could not be tied") != NULL &&
		    strstr(gaps.v[i].what, "(certs.txt)") != NULL &&
		    strstr(gaps.v[i].what, "names 2 servers (EXHUB1, EXHUB2)") != NULL)
			unattributed = true;
		if (strcmp(gaps.v[i].what, "no Get-ReceiveConnector output") == 0)
			receive = true;
		if (strstr(gaps.v[i].what, "no certificate inventory from EXHUB2") != NULL &&
		    strstr(gaps.v[i].collect, "Get-ExchangeCertificate -Server EXHUB2") != NULL)
			inventory = true;
	}
	assert_true(unattributed);
	assert_true(receive);
	assert_true(inventory);
	/* Missing logs are a gap, never a clean bill of health. */
	for (i = 0; i < gaps.n; i++)
		if (strstr(gaps.v[i].what, "no SMTP protocol logs") != NULL)
			break;
	assert_true(i < gaps.n);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

/*
 * Values from the bundle reach a command as PowerShell single-quoted strings
 * (about_Quoting_Rules): nothing inside expands, an inner single quote (or
 * a typographic one, which PowerShell reads as the same) is doubled, and a
 * distinguished name with quoted commas survives as one argument.
 */
static void
test_ps_quote_escapes(void **state)
{
	char	*q;

	(void)state;
	q = ps_quote("To \"partners\" $env `x");
	assert_string_equal(q, "'To \"partners\" $env `x'");
	free(q);
	q = ps_quote("O'Brien Relay");
	assert_string_equal(q, "'O''Brien Relay'");
	free(q);
	q = ps_quote("O\xe2\x80\x99" "Brien");
	assert_string_equal(q, "'O\xe2\x80\x99\xe2\x80\x99" "Brien'");
	free(q);
	q = ps_quote("CN=mail.contoso.com, O=\"Contoso, Ltd.\", C=US");
	assert_string_equal(q, "'CN=mail.contoso.com, O=\"Contoso, Ltd.\", "
	    "C=US'");
	free(q);
	/* A plain word stays bare; anything else is quoted. */
	q = ps_arg("EXHUB1");
	assert_string_equal(q, "EXHUB1");
	free(q);
	q = ps_arg("mail.contoso.com");
	assert_string_equal(q, "mail.contoso.com");
	free(q);
	q = ps_arg("Outbound to Partners");
	assert_string_equal(q, "'Outbound to Partners'");
	free(q);
	q = ps_arg("-Force");
	assert_string_equal(q, "'-Force'");
	free(q);
	q = ps_arg("a,b");
	assert_string_equal(q, "'a,b'");
	free(q);
}

static void
test_ps_cmd_fills_values(void **state)
{
	struct strlist	 l = { 0 };
	char		*c;

	(void)state;
	strlist_add(&l, "mail.contoso.com");
	strlist_add(&l, "*.contoso.com");
	c = ps_cmd("Set-ReceiveConnector %q -Fqdn %q -DomainName %L -Port %d "
	    "-Count %ld -N %zu %Q %s 100%%", "EXHUB1\\Default Frontend EXHUB1",
	    "mail.contoso.com", &l, 25, 7L, (size_t)3, "x", "-Confirm:$false");
	assert_string_equal(c, "Set-ReceiveConnector 'EXHUB1\\Default Frontend "
	    "EXHUB1' -Fqdn mail.contoso.com -DomainName mail.contoso.com,"
	    "'*.contoso.com' -Port 25 -Count 7 -N 3 'x' -Confirm:$false 100%");
	free(c);
	c = ps_server_opt(NULL);
	assert_string_equal(c, "");
	free(c);
	c = ps_server_opt("EXHUB2");
	assert_string_equal(c, " -Server EXHUB2");
	free(c);
	strlist_free(&l);
}

static void
test_cert_time_says_when_it_is_local(void **state)
{
	struct ev_cert	c;
	char		buf[64];

	(void)state;
	ev_cert_init(&c);
	c.dates_exact = false;
	assert_string_equal(cert_time(&c, day(2026, 11, 18) + 8 * 3600 + 131,
	    buf, sizeof buf), "2026-11-18 08:02:11 server local time");
	c.dates_exact = true;
	assert_string_equal(cert_time(&c, day(2026, 11, 18), buf, sizeof buf),
	    "2026-11-18T00:00:00Z");
	assert_string_equal(cert_time(&c, TIME_UNKNOWN, buf, sizeof buf),
	    "unknown");
}

/*
 * A Send connector whose FQDN relay.contoso.com only a certificate's domain
 * list could cover, beside Exchange's self-signed certificate (CN=EXHUB1).
 * Its list read ({EXHUB1, EXHUB1.contoso.com}): no certificate covers the
 * name. Its list not collected (the table view prints none): nothing says
 * whether one does; the rule stays silent and a gap says so.
 */
static void
fqdn_evidence(struct evidence *ev, bool domains_known)
{
	struct ev_send_connector sc;
	struct ev_cert		 c;

	evidence_init(ev);
	ev_cert_init(&c);
	c.server = (char *)"EXHUB1";
	c.thumbprint = (char *)TP_OLD1;
	c.subject = (char *)"CN=EXHUB1";
	c.issuer = (char *)"CN=EXHUB1";
	c.services = SVC_IIS | SVC_SMTP;
	c.not_before = day(2025, 1, 15);
	c.not_after = day(2030, 1, 15);
	c.ref.source = (char *)"EXHUB1/certs.txt";
	c.ref.line = 3;
	if (domains_known) {
		strlist_add(&c.domains, "EXHUB1");
		strlist_add(&c.domains, "EXHUB1.contoso.com");
		c.domains_known = true;
	}
	evidence_add_cert(ev, &c);
	strlist_free(&c.domains);
	ev_send_connector_init(&sc);
	sc.name = (char *)"Outbound relay";
	sc.fqdn = (char *)"relay.contoso.com";
	strlist_add(&sc.source_servers, "EXHUB1");
	sc.source_servers_known = true;
	sc.require_tls = TRI_TRUE;
	sc.ref.source = (char *)"Connectors/Send_Connectors.txt";
	sc.ref.line = 1;
	sc.source_rank = 1;
	evidence_add_send_connector(ev, &sc);
	strlist_free(&sc.source_servers);
	ev->saw_cert_dump = ev->saw_send_connector_dump = true;
	evidence_finish(ev);
}

static void
test_fqdn_coverage_needs_the_domain_list(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;
	size_t			 i;
	bool			 said = false;

	(void)state;
	fqdn_evidence(&ev, true);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	f = find_rule(&fs, "connector-fqdn-not-covered");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "relay.contoso.com"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);

	memset(&fs, 0, sizeof fs);
	fs.root_cause = -1;
	memset(&gaps, 0, sizeof gaps);
	fqdn_evidence(&ev, false);
	rules_run_all(&ev, day(2026, 11, 10), &fs, &gaps);
	assert_null(find_rule(&fs, "connector-fqdn-not-covered"));
	for (i = 0; i < gaps.n; i++)
		if (strstr(gaps.v[i].what, "covers FQDN relay.contoso.com of "
		    "Send connector \"Outbound relay\" is not known") != NULL &&
		    strcmp(gaps.v[i].collect, "Get-ExchangeCertificate -Server "
		    "EXHUB1 | Format-List") == 0)
			said = true;
	assert_true(said);
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renewal_is_ambiguous),
		cmocka_unit_test(test_renewal_with_new_subject_is_not_ambiguous),
		cmocka_unit_test(test_ambiguous_is_medium_when_nothing_expires_or_is_used),
		cmocka_unit_test(test_smtp_not_enabled_from_logs),
		cmocka_unit_test(test_smtp_not_enabled_onset_utc),
		cmocka_unit_test(test_smtp_enabled_is_silent),
		cmocka_unit_test(test_smtp_unknown_services_is_a_gap_not_a_finding),
		cmocka_unit_test(test_smtp_config_only_is_medium),
		cmocka_unit_test(test_fqdn_coverage_needs_the_domain_list),
		cmocka_unit_test(test_failures_that_ended_are_resolved),
		cmocka_unit_test(test_smtp_san_cert_on_two_servers),
		cmocka_unit_test(test_gaps_name_what_is_missing),
		cmocka_unit_test(test_ps_quote_escapes),
		cmocka_unit_test(test_ps_cmd_fills_values),
		cmocka_unit_test(test_cert_time_says_when_it_is_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

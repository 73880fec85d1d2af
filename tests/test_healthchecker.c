/*
 * HealthChecker's three outputs: the exported XML (its whole object tree,
 * and the reduced form of testdata/realdata), the text report and the HTML
 * server report, read into certificates and TLS settings; and what the
 * rules make of them: expiry from "Lifetime in days", legacy-tls from the
 * TLS settings. The full-shape files are testdata/gen_healthchecker.py's
 * (real certificates of CSS-Exchange's test data, see its header); the
 * values asserted are the ones it computed from them.
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

#include "util/datetime.h"
#include "util/text.h"
#include "formats/formats.h"
#include "formats/ingest.h"
#include "model/kinds/tls_settings.h"
#include "rules/rules.h"

#define HC	TESTDATA_DIR "/healthchecker/"
#define REAL	TESTDATA_DIR "/realdata/healthchecker/"
#define XMLF	"HealthChecker-SOLO-E19A-20241020083015.xml"
#define TXTF	"HealthChecker-SOLO-E19A-20241020083015.txt"
#define HTMLF	"HealthChecker-HTMLServerReport-20241020083101.html"

#define TP_AUTH		"C3EDCF181EF4F9B53D01768ECA99564014BCA6E7"
#define TP_SELF		"6C7DE09FB39A40144F57EFEBC3DF0148E3A9AB28"
#define TP_WMSVC	"38247AD2B76244411748274C508D13446311830B"

static int64_t
iso(const char *s)
{
	int64_t	t;

	assert_true(date_parse_iso(s, &t));
	return t;
}

/* Reads a file through the format that bids on it, as the pipeline does. */
static const char *
feed(struct evidence *ev, const char *dir, const char *name)
{
	char			 path[512];
	FILE			*fp;
	unsigned char		*data;
	char			*text;
	size_t			 len, tlen;
	long			 n;
	const struct format	*f;

	snprintf(path, sizeof path, "%s%s", dir, name);
	assert_non_null(fp = fopen(path, "rb"));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	data = malloc((size_t)n);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	len = (size_t)n;
	text = text_to_utf8(data, len, &tlen, NULL, NULL);
	free(data);
	f = format_of_text(text, tlen);
	assert_non_null(f);
	if (strcmp(f->name, "healthchecker-xml") == 0)
		assert_true(ingest_healthchecker_xml(ev, name, text, tlen) > 0);
	else if (strcmp(f->name, "healthchecker-text") == 0)
		assert_true(ingest_healthchecker_text(ev, name, text, tlen) > 0);
	else if (strcmp(f->name, "healthchecker-html") == 0)
		assert_true(ingest_healthchecker_html(ev, name, text, tlen) > 0);
	free(text);
	return f->name;
}

static const struct ev_cert *
cert(const struct evidence *ev, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (strcmp(ev->certs[i].thumbprint, tp) == 0)
			return &ev->certs[i];
	return NULL;
}

/* What every one of the three outputs says of SOLO-E19A. */
static void
assert_solo(const struct evidence *ev, bool exact)
{
	const struct ev_tls_settings	*s;
	const struct ev_cert		*c;
	const char			*cur, *next;
	tri_t				 valid;

	assert_int_equal(ev->ncerts, 3);
	assert_non_null(c = cert(ev, TP_AUTH));
	assert_string_equal(c->server, "SOLO-E19A");
	assert_int_equal(c->lifetime_days, 17);
	assert_int_equal(c->services, SVC_SMTP);
	assert_non_null(c = cert(ev, TP_SELF));
	assert_int_equal(c->lifetime_days, 44);
	assert_int_equal(c->services, SVC_IMAP | SVC_POP | SVC_IIS | SVC_SMTP);
	assert_true(strlist_contains_ci(&c->domains, "Solo-E19A"));
	/* Generated 2024-10-20 08:30:15 local, UTC+2. */
	assert_int_equal(c->lifetime_from_exact, exact);
	assert_true(c->lifetime_from == iso(exact ? "2024-10-20T06:30:15Z" :
	    "2024-10-20T08:30:15Z"));
	assert_non_null(c = cert(ev, TP_WMSVC));
	assert_int_equal(c->services, 0);
	assert_int_equal(c->lifetime_days, 1867);
	assert_non_null(s = tls_settings_of(ev, "SOLO-E19A"));
	assert_int_equal(s->server_enabled[TLS_1_0], TRI_FALSE);
	assert_int_equal(s->client_enabled[TLS_1_1], TRI_FALSE);
	assert_int_equal(s->server_enabled[TLS_1_2], TRI_TRUE);
	assert_int_equal(s->client_enabled[TLS_1_2], TRI_TRUE);
	assert_string_equal(s->net[NET_V4][NET_SYSTEM_DEFAULT], "1");
	assert_string_equal(s->net[NET_V4][NET_STRONG_CRYPTO], "0");
	assert_string_equal(s->net[NET_V4][NET_WOW_STRONG_CRYPTO], "0");
	assert_string_equal(s->net[NET_V2][NET_STRONG_CRYPTO], "1");
	assert_string_equal(s->security_protocol, "SystemDefault");
	assert_string_equal(s->internal_transport_certificate, TP_SELF);
	assert_true(auth_certificate_facts(ev, "SOLO-E19A", &cur, &next,
	    &valid));
	assert_string_equal(cur, TP_AUTH);
	assert_null(next);
	assert_int_equal(valid, TRI_TRUE);
	assert_false(auth_certificate_facts(ev, "EX99", &cur, &next, &valid));
}

static void
test_exported_xml(void **state)
{
	struct evidence		 ev;
	const struct ev_cert	*c;

	(void)state;
	evidence_init(&ev);
	assert_string_equal(feed(&ev, HC, XMLF), "healthchecker-xml");
	assert_solo(&ev, true);
	/* The certificate objects' RawData: exact dates and the subject. */
	c = cert(&ev, TP_AUTH);
	assert_true(c->dates_exact);
	assert_true(c->not_after == iso("2024-11-06T22:47:32Z"));
	assert_string_equal(c->subject,
	    "CN=Microsoft Exchange Server Auth Certificate");
	assert_true(ev.saw_cert_dump);
	/* The internal transport certificate, as a transport service's. */
	assert_int_equal(ev.ntransport, 1);
	assert_string_equal(ev.transport[0].internal_transport_certificate,
	    TP_SELF);
	evidence_free(&ev);
}

static void
test_text_report(void **state)
{
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_string_equal(feed(&ev, HC, TXTF), "healthchecker-text");
	assert_solo(&ev, false);
	/* The report gives no NotAfter. */
	assert_true(cert(&ev, TP_AUTH)->not_after == TIME_UNKNOWN);
	evidence_free(&ev);
}

static void
test_html_report(void **state)
{
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_string_equal(feed(&ev, HC, HTMLF), "healthchecker-html");
	assert_solo(&ev, false);
	evidence_free(&ev);
}

static void
test_three_outputs_merge(void **state)
{
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	(void)feed(&ev, HC, TXTF);
	(void)feed(&ev, HC, HTMLF);
	(void)feed(&ev, HC, XMLF);
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 3);
	assert_int_equal(ev.ntls_settings, 1);
	/* The XML's exact time replaces the reports' local one. */
	assert_true(ev.tls_settings[0].generated_exact);
	assert_true(cert(&ev, TP_SELF)->dates_exact);
	evidence_free(&ev);
}

static void
test_reduced_shapes(void **state)
{
	static const char *const files[] = {
		"HealthChecker-EXCAS1-20261104090244.xml",
		"HealthChecker-EXCAS1-20261104090244.txt",
		"HealthChecker-HTMLServerReport-20261104090301.html",
	};
	struct evidence		 ev;
	const struct ev_cert	*c;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		evidence_init(&ev);
		(void)feed(&ev, REAL, files[i]);
		/* ORACLE.json: four certificates; 79102C50... bound to IIS. */
		assert_int_equal(ev.ncerts, 4);
		assert_non_null(c = cert(&ev,
		    "79102C505AD17B79CAD5E3106B478751926A6435"));
		assert_string_equal(c->server, "EXCAS1");
		assert_int_equal(c->services, SVC_IIS);
		assert_non_null(c = cert(&ev,
		    "C01B35E9162720F544DDBF9E5E026310A8CB8B51"));
		assert_int_equal(c->lifetime_days, 8);
		evidence_free(&ev);
	}
}

static void
test_not_healthchecker(void **state)
{
	static const char fl[] =
	    "Name       : EXCAS1\r\nServerRole : Mailbox\r\n";
	static const char cx[] =
	    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/"
	    "powershell/2004/04\"><Obj RefId=\"0\"><MS><S N=\"Name\">x</S>"
	    "</MS></Obj></Objs>";

	(void)state;
	assert_string_not_equal(format_sniff_text(fl, strlen(fl)),
	    "healthchecker-text");
	assert_string_equal(format_sniff_text(cx, strlen(cx)), "clixml");
}

/* ---------------------------------------------------------------- rules */

static const struct finding *
finding_of(const struct findings *fs, const char *rule, const char *tp)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].rule, rule) == 0 && (tp == NULL ||
		    strlist_contains_ci(&fs->v[i].thumbprints, tp)))
			return &fs->v[i];
	return NULL;
}

static void
test_rules_from_the_report(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&ev);
	(void)feed(&ev, HC, TXTF);
	evidence_finish(&ev);
	rules_run_all(&ev, iso("2024-10-20T12:00:00Z"), &fs, &gaps);
	/* 44 days at 08:30:15 local: between 12-03 and 12-04, 08:30:15. */
	f = finding_of(&fs, "cert-expiring", TP_SELF);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_non_null(strstr(f->title, "between 2024-12-03 08:30:15 server "
	    "local time and 2024-12-04 08:30:15 server local time"));
	/* The Auth certificate is not an SMTP certificate to renew so. */
	assert_null(finding_of(&fs, "cert-expiring", TP_AUTH));
	/* .NET 4 SchUseStrongCrypto 0 beside SystemDefaultTlsVersions 1. */
	f = finding_of(&fs, "legacy-tls", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_LOW);
	assert_true(strlist_contains_ci(&f->servers, "SOLO-E19A"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

static void
test_tls12_off_explains_drops(void **state)
{
	static const char report[] =
	    "Exchange Health Checker version 25.10.21.1518\r\n"
	    "Exchange Information\r\n--------------------\r\n"
	    "\tName: EXHUB1\r\n"
	    "Security Settings\r\n-----------------\r\n"
	    "\tTLS 1.2: Disabled\r\n\r\n"
	    "        RegistryKey        Location                                  "
	    "                                            Value  \r\n"
	    "        -----------        --------                                  "
	    "                                            -----  \r\n"
	    "        Enabled            SYSTEM\\CurrentControlSet\\Control\\"
	    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server  1      \r\n"
	    "        Enabled            SYSTEM\\CurrentControlSet\\Control\\"
	    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client  0      \r\n";
	struct ev_tls_event	 t = {
		.log_source = "EXHUB1/SmtpSend/SEND20261110-1.LOG",
		.connector = "Outbound to Office 365", .ok = false,
		.error = "SocketError", .line = 12,
		.remote_endpoint = "52.101.68.10:25",
	};
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&ev);
	assert_true(ingest_healthchecker_text(&ev, "EXHUB1/hc.txt", report,
	    strlen(report)) > 0);
	t.time = iso("2026-11-10T08:00:00Z");
	evidence_add_tls(&ev, &t);
	ev.tls[0].server = strdup("EXHUB1");
	evidence_finish(&ev);
	rules_run_all(&ev, iso("2026-11-10T09:00:00Z"), &fs, &gaps);
	f = finding_of(&fs, "legacy-tls", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_HIGH);
	assert_non_null(strstr(f->explanation, "EXHUB1's TLS settings explain "
	    "it: TLS 1.2 is disabled in SCHANNEL for the client side"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

/*
 * A HealthChecker text report of one server: TLS 1.2 on both sides with
 * .NET 4's two values 1 (Microsoft's recommended settings), TLS 1.0 on or
 * off on both sides.
 */
static char *
hc_tls_report(const char *server, int tls10)
{
	char	*r;

	r = xasprintf(
	    "Exchange Health Checker version 25.10.21.1518\r\n"
	    "Exchange Information\r\n--------------------\r\n"
	    "\tName: %s\r\n"
	    "Security Settings\r\n-----------------\r\n"
	    "\tTLS 1.0: %s\r\n\r\n"
	    "        RegistryKey        Location     Value  \r\n"
	    "        -----------        --------     -----  \r\n"
	    "        Enabled            SYSTEM\\CurrentControlSet\\Control\\"
	    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Server  %d      \r\n"
	    "        Enabled            SYSTEM\\CurrentControlSet\\Control\\"
	    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Client  %d      \r\n"
	    "\r\n\tTLS 1.2: Enabled\r\n\r\n"
	    "        RegistryKey        Location     Value  \r\n"
	    "        -----------        --------     -----  \r\n"
	    "        Enabled            SYSTEM\\CurrentControlSet\\Control\\"
	    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server  1      \r\n"
	    "        Enabled            SYSTEM\\CurrentControlSet\\Control\\"
	    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client  1      \r\n"
	    "\r\n"
	    "        RegistryKey               Location     Value  \r\n"
	    "        -----------               --------     -----  \r\n"
	    "        SystemDefaultTlsVersions  SOFTWARE\\Microsoft\\.NETFramework\\"
	    "v4.0.30319              1      \r\n"
	    "        SchUseStrongCrypto        SOFTWARE\\Microsoft\\.NETFramework\\"
	    "v4.0.30319              1      \r\n"
	    "        SystemDefaultTlsVersions  SOFTWARE\\Wow6432Node\\Microsoft\\"
	    ".NETFramework\\v4.0.30319  1      \r\n"
	    "        SchUseStrongCrypto        SOFTWARE\\Wow6432Node\\Microsoft\\"
	    ".NETFramework\\v4.0.30319  1      \r\n",
	    server, tls10 ? "Enabled" : "Disabled", tls10, tls10);
	return r;
}

static void
add_tls_row(struct evidence *ev, const char *server, const char *log,
    bool ok, const char *error, const char *protocol, const char *remote,
    const char *when)
{
	struct ev_tls_event	t = {
		.log_source = log, .connector = "Internet", .ok = ok,
		.receive = strstr(log, "SmtpReceive") != NULL,
		.error = error, .protocol = protocol, .line = 12,
		.remote_endpoint = remote,
	};

	t.time = iso(when);
	evidence_add_tls(ev, &t);
	ev->tls[ev->ntls - 1].server = strdup(server);
}

static bool
any_command_has(const struct finding *f, const char *needle)
{
	size_t	i;

	for (i = 0; i < f->nremediation; i++)
		if (f->remediation[i].command != NULL &&
		    strstr(f->remediation[i].command, needle) != NULL)
			return true;
	return false;
}

static bool
any_step_text_has(const struct finding *f, const char *needle)
{
	size_t	i;

	for (i = 0; i < f->nremediation; i++)
		if (f->remediation[i].text != NULL &&
		    strstr(f->remediation[i].text, needle) != NULL)
			return true;
	return false;
}

static const struct finding *
finding_sev(const struct findings *fs, const char *rule, enum severity sev)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].rule, rule) == 0 && fs->v[i].severity == sev)
			return &fs->v[i];
	return NULL;
}

/*
 * EXHUB2 offers TLS 1.2 (and no longer TLS 1.0) and a host drops its
 * handshakes; EXHUB1, which offers TLS 1.2 too, ends on TLS 1.0 with the
 * same host. Microsoft's TLS guidance: the two sides agree on the highest
 * version both enable, so that host lacks TLS 1.2; enabling TLS 1.2 on
 * EXHUB2 and rebooting it changes nothing.
 */
static void
test_peer_without_tls12(void **state)
{
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;
	const struct fix_facts	*ff;
	char			*r1 = hc_tls_report("EXHUB1", 1);
	char			*r2 = hc_tls_report("EXHUB2", 0);

	(void)state;
	evidence_init(&ev);
	assert_true(ingest_healthchecker_text(&ev, "EXHUB1/hc.txt", r1,
	    strlen(r1)) > 0);
	assert_true(ingest_healthchecker_text(&ev, "EXHUB2/hc.txt", r2,
	    strlen(r2)) > 0);
	add_tls_row(&ev, "EXHUB1", "EXHUB1/SmtpSend/SEND20261110-1.LOG", true,
	    NULL, "TLS1_0", "203.0.113.77:25", "2026-11-10T08:00:00Z");
	add_tls_row(&ev, "EXHUB1", "EXHUB1/SmtpReceive/RECV20261110-1.LOG",
	    true, NULL, "TLS1_0", "10.0.5.40:39324", "2026-11-10T08:05:00Z");
	add_tls_row(&ev, "EXHUB2", "EXHUB2/SmtpSend/SEND20261110-1.LOG", false,
	    "SocketError", NULL, "203.0.113.77:25", "2026-11-10T08:10:00Z");
	evidence_finish(&ev);
	rules_run_all(&ev, iso("2026-11-10T09:00:00Z"), &fs, &gaps);

	f = finding_sev(&fs, "legacy-tls", SEV_HIGH);
	assert_non_null(f);
	assert_true(strlist_contains_ci(&f->servers, "EXHUB2"));
	/* Nothing to enable or restart on a server that offers TLS 1.2. */
	assert_false(any_command_has(f, "Restart-Computer"));
	assert_false(any_command_has(f, "TLS 1.2"));
	assert_true(any_step_text_has(f, "203.0.113.77"));
	assert_non_null(strstr(f->title, "EXHUB2"));
	assert_null(strstr(f->title, "fall back"));
	ff = finding_fix_facts(f);
	assert_non_null(ff);
	assert_int_equal(ff->downtime, FIX_NO_DOWNTIME);
	assert_non_null(strstr(f->explanation, "EXHUB1"));

	/* EXHUB1's TLS 1.0 sessions: the peers, not EXHUB1, lack TLS 1.2. */
	f = finding_sev(&fs, "legacy-tls", SEV_MEDIUM);
	assert_non_null(f);
	assert_false(any_command_has(f, "Restart-Computer"));

	/* Disabling TLS 1.0 on EXHUB1 cuts off the hosts still using it. */
	f = finding_sev(&fs, "legacy-tls", SEV_LOW);
	assert_non_null(f);
	assert_true(strlist_contains_ci(&f->servers, "EXHUB1"));
	assert_true(any_step_text_has(f, "10.0.5.40"));
	assert_true(any_step_text_has(f, "203.0.113.77"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
	free(r1);
	free(r2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exported_xml),
		cmocka_unit_test(test_text_report),
		cmocka_unit_test(test_html_report),
		cmocka_unit_test(test_three_outputs_merge),
		cmocka_unit_test(test_reduced_shapes),
		cmocka_unit_test(test_not_healthchecker),
		cmocka_unit_test(test_rules_from_the_report),
		cmocka_unit_test(test_tls12_off_explains_drops),
		cmocka_unit_test(test_peer_without_tls12),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

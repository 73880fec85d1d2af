/*
 * The rules driven by what transport certificate events' messages state,
 * on pasted evidence as it arrives (event texts, Format-List dumps): 12014
 * names the connector and the name no certificate contains, and the
 * finding says what the server's inventory shows about that name, or that
 * the inventory was not collected; 12016 to 12018 give expiry, 12013 an
 * internal transport certificate transport cannot load.
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
#include "formats/formats.h"
#include "formats/ingest.h"
#include "rules/rules.h"

#define EVENTS	TESTDATA_DIR "/realdata/events/"

struct run {
	struct evidence		ev;
	struct findings		fs;
	struct gap_list		gaps;
};

static char *
read_text(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf;
	long	 n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Reads one text through the format that bids on it. */
static void
feed(struct run *r, const char *path, const char *text)
{
	size_t			 len = strlen(text);
	const struct format	*f = format_of_text(text, len);

	assert_non_null(f);
	if (strcmp(f->name, "format-list") == 0)
		assert_true(ingest_fl(&r->ev, path, text, len) > 0);
	else if (strcmp(f->name, "event-viewer-text") == 0)
		assert_true(ingest_event_viewer(&r->ev, path, text, len) > 0);
	else if (strcmp(f->name, "event-message") == 0)
		assert_true(ingest_event_message(&r->ev, path, text, len) > 0);
	else if (strcmp(f->name, "event-text") == 0)
		assert_true(ingest_event_text(&r->ev, path, text, len) > 0);
	else
		fail_msg("%s read as %s", path, f->name);
}

static void
feed_file(struct run *r, const char *path, const char *name)
{
	char	full[512], *text;
	size_t	len;

	snprintf(full, sizeof full, EVENTS "%s", name);
	text = read_text(full, &len);
	feed(r, path, text);
	free(text);
}

static void
analyze(struct run *r, const char *as_of)
{
	int64_t	t = TIME_UNKNOWN;

	if (as_of != NULL)
		assert_true(date_parse_iso(as_of, &t));
	evidence_finish(&r->ev);
	r->fs.root_cause = -1;
	rules_run_all(&r->ev, t, &r->fs, &r->gaps);
}

static void
done(struct run *r)
{
	findings_free(&r->fs);
	gap_list_free(&r->gaps);
	evidence_free(&r->ev);
}

static const struct finding *
finding_of(const struct run *r, const char *rule)
{
	size_t	i;

	for (i = 0; i < r->fs.n; i++)
		if (strcmp(r->fs.v[i].rule, rule) == 0)
			return &r->fs.v[i];
	return NULL;
}

static const struct finding *
finding_with(const struct run *r, const char *rule, const char *thumbprint)
{
	size_t	i;

	for (i = 0; i < r->fs.n; i++)
		if (strcmp(r->fs.v[i].rule, rule) == 0 &&
		    strlist_contains_ci(&r->fs.v[i].thumbprints, thumbprint))
			return &r->fs.v[i];
	return NULL;
}

/* Whether any step of f runs a command holding `needle`. */
static bool
command_has(const struct finding *f, const char *needle)
{
	size_t	i;

	for (i = 0; i < f->nremediation; i++)
		if (f->remediation[i].command != NULL &&
		    strstr(f->remediation[i].command, needle) != NULL)
			return true;
	return false;
}

/* No command holds a placeholder where a value belongs. */
static void
assert_no_placeholder(const struct finding *f)
{
	const char	*c, *p;
	size_t		 i;

	for (i = 0; i < f->nremediation; i++) {
		if ((c = f->remediation[i].command) == NULL)
			continue;
		for (p = c; (p = strchr(p, '<')) != NULL; p++)
			assert_true(strncmp(p, "<I>", 3) == 0 ||
			    strncmp(p, "<S>", 3) == 0);
	}
}

static const char CERTS_EXCAS1[] =
    "Thumbprint         : 7E8526F9BD6FBFF7DE5F4C8C67C6360ACFC8B312\r\n"
    "Subject            : CN=EXCAS1\r\n"
    "Issuer             : CN=EXCAS1\r\n"
    "CertificateDomains : {EXCAS1, EXCAS1.corp.fabrikam.com}\r\n"
    "Services           : IMAP, POP, SMTP\r\n"
    "HasPrivateKey      : True\r\n"
    "NotBefore          : 2024-03-01 00:00:00\r\n"
    "NotAfter           : 2029-03-01 00:00:00\r\n"
    "\r\n"
    "Thumbprint         : 79102C505AD17B79CAD5E3106B478751926A6435\r\n"
    "Subject            : CN=mail.fabrikam.com, O=Fabrikam Ltd, C=GB\r\n"
    "Issuer             : CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, "
    "O=DigiCert Inc, C=US\r\n"
    "CertificateDomains : {mail.fabrikam.com, autodiscover.fabrikam.com}\r\n"
    "Services           : IIS\r\n"
    "HasPrivateKey      : True\r\n"
    "NotBefore          : 2026-10-28 00:00:00\r\n"
    "NotAfter           : 2027-11-27 23:59:59\r\n";

static const char EVENT_MAIL[] =
    "Log Name:      Application\r\n"
    "Source:        MSExchangeFrontEndTransport\r\n"
    "Date:          11/13/2026 3:12:09 PM\r\n"
    "Event ID:      12014\r\n"
    "Task Category: TransportService\r\n"
    "Level:         Error\r\n"
    "Computer:      EXCAS1.corp.fabrikam.com\r\n"
    "Description:\r\n"
    "Microsoft Exchange could not find a certificate that contains the "
    "domain name mail.fabrikam.com in the personal store on the local "
    "computer. Therefore, it is unable to support the STARTTLS SMTP verb for "
    "the connector Default Frontend EXCAS1 with a FQDN parameter of "
    "mail.fabrikam.com. If the connector's FQDN is not specified, the "
    "computer's FQDN is used.\r\n";

static void
test_12014_alone_names_connector_and_missing_inventory(void **state)
{
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed_file(&r, "event12014-bare-message.txt",
	    "event12014-bare-message.txt");
	analyze(&r, "2026-11-04T12:00:00Z");
	f = finding_of(&r, "starttls-not-offered");
	assert_non_null(f);
	assert_true(strlist_contains_ci(&f->servers, "EXCAS1"));
	assert_true(strlist_contains_ci(&f->connectors,
	    "EXCAS1\\Default Frontend EXCAS1"));
	assert_non_null(strstr(f->title, "EXCAS1.corp.fabrikam.com"));
	assert_non_null(strstr(f->explanation, "Get-ExchangeCertificate of "
	    "EXCAS1 is not in the bundle"));
	assert_null(strstr(f->explanation, "does not show why"));
	assert_true(f->symptoms_explained == 1 || f->direct_evidence);
	assert_true(command_has(f, "Get-ExchangeCertificate -Server EXCAS1"));
	assert_no_placeholder(f);
	assert_null(finding_of(&r, "tls-handshake-failures"));
	done(&r);
}

static void
test_12014_no_certificate_contains_the_name(void **state)
{
	static const char event[] =
	    "Microsoft Exchange could not find a certificate that contains the "
	    "domain name smtp.fabrikam.com in the personal store on the local "
	    "computer. Therefore, it is unable to support the STARTTLS SMTP "
	    "verb for the connector Default Frontend EXCAS1 with a FQDN "
	    "parameter of smtp.fabrikam.com. If the connector's FQDN is not "
	    "specified, the computer's FQDN is used.\r\n";
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed(&r, "EXCAS1/certs.txt", CERTS_EXCAS1);
	feed(&r, "EXCAS1/event.txt", event);
	analyze(&r, "2026-11-04T12:00:00Z");
	f = finding_of(&r, "starttls-not-offered");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "no certificate installed on EXCAS1 "
	    "contains smtp.fabrikam.com"));
	assert_non_null(strstr(f->explanation, "None of the 2 certificates "
	    "installed on EXCAS1 contain smtp.fabrikam.com"));
	assert_null(strstr(f->explanation, "does not show why"));
	/* A request for the name, the issued certificate enabled by variable. */
	assert_true(command_has(f, "-DomainName smtp.fabrikam.com"));
	assert_true(command_has(f, "-Thumbprint $c.Thumbprint -Services SMTP"));
	assert_no_placeholder(f);
	done(&r);
}

static void
test_12014_certificate_without_smtp(void **state)
{
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed(&r, "EXCAS1/certs.txt", CERTS_EXCAS1);
	feed(&r, "EXCAS1/event.txt", EVENT_MAIL);
	analyze(&r, "2026-11-04T12:00:00Z");
	f = finding_of(&r, "starttls-not-offered");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "is not enabled for SMTP"));
	assert_non_null(strstr(f->explanation, "Certificate "
	    "79102C505AD17B79CAD5E3106B478751926A6435 on EXCAS1 contains "
	    "mail.fabrikam.com but is not enabled for SMTP (services IIS)"));
	/* The event's time is the server's local time, and says so. */
	assert_non_null(strstr(f->explanation, "2026-11-13 15:12:09 server "
	    "local time"));
	assert_true(command_has(f, "Enable-ExchangeCertificate -Server EXCAS1 "
	    "-Thumbprint 79102C505AD17B79CAD5E3106B478751926A6435 -Services "
	    "IIS,SMTP"));
	assert_no_placeholder(f);
	done(&r);
}

static void
test_12014_of_a_send_connector(void **state)
{
	static const char connector[] =
	    "Name                    : Outbound to Partners\r\n"
	    "AddressSpaces           : {SMTP:partner.example;1}\r\n"
	    "Fqdn                    : relay.fabrikam.com\r\n"
	    "SourceTransportServers  : {EXCAS1}\r\n"
	    "RequireTLS              : True\r\n"
	    "Enabled                 : True\r\n";
	static const char event[] =
	    "Log Name: Application\r\nSource: MSExchangeTransport\r\n"
	    "Event ID: 12014\r\nLevel: Error\r\nComputer: EXCAS1\r\n"
	    "Description:\r\nMicrosoft Exchange could not find a certificate "
	    "that contains the domain name relay.fabrikam.com in the personal "
	    "store on the local computer. Therefore, it is unable to support the "
	    "STARTTLS SMTP verb for the connector Outbound to Partners with a "
	    "FQDN parameter of relay.fabrikam.com.\r\n";
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed(&r, "SendConnectors.txt", connector);
	feed(&r, "EXCAS1/event.txt", event);
	analyze(&r, "2026-11-04T12:00:00Z");
	f = finding_of(&r, "connector-fqdn-not-covered");
	assert_non_null(f);
	assert_true(strlist_contains_ci(&f->connectors, "Outbound to Partners"));
	assert_non_null(strstr(f->title, "relay.fabrikam.com"));
	assert_null(finding_of(&r, "starttls-not-offered"));
	done(&r);
}

static void
test_12014_of_a_pinned_connector_names_it(void **state)
{
	/* As KB 2989382 prints it: cut before the connector's name. */
	static const char event[] =
	    "Log Name:      Application\r\n"
	    "Source:        MSExchangeFrontEndTransport\r\n"
	    "Event ID:      12014\r\n"
	    "Level:         Error\r\n"
	    "Computer:      EXCAS1.corp.fabrikam.com\r\n"
	    "Description:\r\n"
	    "Microsoft Exchange could not find a certificate that contains the "
	    "domain name <I>CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, "
	    "O=DigiCert Inc, C=US<S>CN=mail.fabrikam.com, O=Fabrikam Ltd, C=GB "
	    "in the personal store on the local computer.\r\n";
	static const char connector[] =
	    "Identity           : EXCAS1\\Default Frontend EXCAS1\r\n"
	    "Name               : Default Frontend EXCAS1\r\n"
	    "Server             : EXCAS1\r\n"
	    "Bindings           : {[::]:25, 0.0.0.0:25}\r\n"
	    "Fqdn               : mail.fabrikam.com\r\n"
	    "AuthMechanism      : Tls, Integrated, BasicAuth, "
	    "BasicAuthRequireTLS, ExchangeServer\r\n"
	    "TransportRole      : FrontendTransport\r\n"
	    "TlsCertificateName : <I>CN=DigiCert Global G2 TLS RSA SHA256 2020 "
	    "CA1, O=DigiCert Inc, C=US<S>CN=mail.fabrikam.com, O=Fabrikam Ltd, "
	    "C=GB\r\n";
	struct run		 r = { 0 };
	const struct finding	*f;
	size_t			 i;
	bool			 named = false;

	(void)state;
	evidence_init(&r.ev);
	feed(&r, "EXCAS1/rc.txt", connector);
	feed(&r, "EXCAS1/event.txt", event);
	analyze(&r, "2026-11-04T12:00:00Z");
	/* Whichever rule reports it, the pinning connector is named. */
	for (i = 0; i < r.fs.n; i++) {
		f = &r.fs.v[i];
		if (strlist_contains_ci(&f->connectors,
		    "EXCAS1\\Default Frontend EXCAS1") && f->symptoms_explained > 0)
			named = true;
	}
	assert_true(named);
	done(&r);
}

static void
test_12018_and_12017_give_expiry(void **state)
{
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed_file(&r, "EXCAS1/events.txt", "wevtutil-12018-12017.txt");
	analyze(&r, "2026-11-04T12:00:00Z");
	/* 2026-11-02 03:00 local + 260 h: 2026-11-12 23:00, about 8 days on. */
	f = finding_with(&r, "cert-expiring",
	    "C01B35E9162720F544DDBF9E5E026310A8CB8B51");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_HIGH);
	assert_non_null(strstr(f->title, "expires in about 8 days "
	    "(2026-11-12 23:00:12 server local time"));
	assert_true(strlist_contains_ci(&f->servers, "EXCAS1"));
	assert_true(command_has(f, "Get-ExchangeCertificate -Server EXCAS1 "
	    "-Thumbprint C01B35E9162720F544DDBF9E5E026310A8CB8B51 | "
	    "New-ExchangeCertificate -GenerateRequest"));
	assert_no_placeholder(f);
	/* 40 h after 2026-11-02 09:41 local: within a zone of the as-of. */
	f = finding_with(&r, "cert-expiring",
	    "B66A3F14B3EC1B08501835F8D280C664470F3882");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "internal transport certificate"));
	assert_non_null(strstr(f->title, "around the as-of time"));
	/* A week later it has expired. */
	done(&r);
	memset(&r, 0, sizeof r);
	evidence_init(&r.ev);
	feed_file(&r, "EXCAS1/events.txt", "wevtutil-12018-12017.txt");
	analyze(&r, "2026-11-20T12:00:00Z");
	assert_non_null(finding_with(&r, "cert-expired",
	    "C01B35E9162720F544DDBF9E5E026310A8CB8B51"));
	assert_null(finding_of(&r, "tls-handshake-failures"));
	done(&r);
}

static void
test_12018_of_an_inventoried_certificate(void **state)
{
	static const char certs[] =
	    "Thumbprint         : C01B35E9162720F544DDBF9E5E026310A8CB8B51\r\n"
	    "Subject            : CN=mail.fabrikam.com, O=Fabrikam Ltd, C=GB\r\n"
	    "CertificateDomains : {mail.fabrikam.com}\r\n"
	    "Services           : IMAP, POP, IIS, SMTP\r\n"
	    "NotAfter           : 2026-11-12 23:59:59\r\n";
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed(&r, "EXCAS1/certs.txt", certs);
	feed_file(&r, "EXCAS1/events.txt", "wevtutil-12018-12017.txt");
	analyze(&r, "2026-11-04T12:00:00Z");
	/* The inventory's own NotAfter judges it, and the event is its. */
	f = finding_with(&r, "cert-expiring",
	    "C01B35E9162720F544DDBF9E5E026310A8CB8B51");
	assert_non_null(f);
	assert_null(strstr(f->title, "event 12018"));
	done(&r);
}

/*
 * The inventory holds the certificate, but its NotAfter cannot be read (the
 * file's day and month cannot be told apart): the event's date judges it,
 * and the finding says the inventory holds it, never that it does not.
 */
static void
test_12018_of_a_certificate_without_a_date(void **state)
{
	static const char certs[] =
	    "Thumbprint         : C01B35E9162720F544DDBF9E5E026310A8CB8B51\r\n"
	    "Subject            : CN=mail.fabrikam.com, O=Fabrikam Ltd, C=GB\r\n"
	    "CertificateDomains : {mail.fabrikam.com}\r\n"
	    "Services           : IMAP, POP, IIS, SMTP\r\n"
	    "NotAfter           : 11/12/2026 23:59:59\r\n";
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed(&r, "EXCAS1/certs.txt", certs);
	feed_file(&r, "EXCAS1/events.txt", "wevtutil-12018-12017.txt");
	analyze(&r, "2026-11-04T12:00:00Z");
	f = finding_with(&r, "cert-expiring",
	    "C01B35E9162720F544DDBF9E5E026310A8CB8B51");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_HIGH);
	assert_non_null(strstr(f->title, "expires in about 8 days"));
	assert_non_null(strstr(f->explanation, "The certificate inventory of "
	    "EXCAS1 holds it, but its NotAfter (\"11/12/2026 23:59:59\") cannot "
	    "be read"));
	assert_null(strstr(f->explanation, "does not hold"));
	done(&r);
}

static void
test_12013_cannot_load_internal_certificate(void **state)
{
	static const char event[] =
	    "Log Name: Application\r\nSource: MSExchangeTransport\r\n"
	    "Event ID: 12013\r\nLevel: Error\r\nComputer: EXCAS1\r\n"
	    "Description:\r\nMicrosoft Exchange could not load the certificate "
	    "with thumbprint of 7E8526F9BD6FBFF7DE5F4C8C67C6360ACFC8B312 from "
	    "the personal store on the local computer. This certificate was "
	    "configured for authentication with other Exchange servers. Mail "
	    "flow to other Exchange servers could be affected by this error.\r\n";
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed(&r, "EXCAS1/certs.txt", CERTS_EXCAS1);
	feed(&r, "EXCAS1/event.txt", event);
	analyze(&r, "2026-11-04T12:00:00Z");
	f = finding_of(&r, "internal-transport-cert");
	assert_non_null(f);
	assert_true(strlist_contains_ci(&f->thumbprints,
	    "7E8526F9BD6FBFF7DE5F4C8C67C6360ACFC8B312"));
	/* It is installed: enabling SMTP again grants transport the key. */
	assert_non_null(strstr(f->explanation, "is installed on EXCAS1"));
	assert_true(command_has(f, "Enable-ExchangeCertificate -Server EXCAS1 "
	    "-Thumbprint 7E8526F9BD6FBFF7DE5F4C8C67C6360ACFC8B312 -Services "
	    "SMTP"));
	done(&r);
}

static void
test_12016_expired_for_fqdn(void **state)
{
	static const char event[] =
	    "There is no valid SMTP Transport Layer Security (TLS) certificate "
	    "for the FQDN of mail.fabrikam.com. The existing certificate for "
	    "that FQDN has expired. The continued use of that FQDN will cause "
	    "mail flow problems.\r\n";
	struct run		 r = { 0 };
	const struct finding	*f;

	(void)state;
	evidence_init(&r.ev);
	feed(&r, "EXCAS1/event.txt", event);
	analyze(&r, "2026-11-04T12:00:00Z");
	f = finding_of(&r, "cert-expired");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "mail.fabrikam.com"));
	done(&r);
}

static void
test_2004_at_information_is_a_symptom(void **state)
{
	struct run	r = { 0 };

	(void)state;
	evidence_init(&r.ev);
	feed_file(&r, "kb2888788-event2004-copy-details.txt",
	    "kb2888788-event2004-copy-details.txt");
	analyze(&r, "2026-11-04T12:00:00Z");
	/* Level Information, but "454 4.7.0 Failed to establish ... TLS". */
	assert_non_null(finding_of(&r, "tls-handshake-failures"));
	done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_12014_alone_names_connector_and_missing_inventory),
		cmocka_unit_test(test_12014_no_certificate_contains_the_name),
		cmocka_unit_test(test_12014_certificate_without_smtp),
		cmocka_unit_test(test_12014_of_a_send_connector),
		cmocka_unit_test(test_12014_of_a_pinned_connector_names_it),
		cmocka_unit_test(test_12018_and_12017_give_expiry),
		cmocka_unit_test(test_12018_of_an_inventoried_certificate),
		cmocka_unit_test(test_12018_of_a_certificate_without_a_date),
		cmocka_unit_test(test_12013_cannot_load_internal_certificate),
		cmocka_unit_test(test_12016_expired_for_fqdn),
		cmocka_unit_test(test_2004_at_information_is_a_symptom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

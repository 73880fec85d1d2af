/*
 * ConvertTo-Json shapes beyond one cmdlet's objects at full depth: a
 * collection script's wrapper object around several cmdlets' output, and
 * collections flattened to one space-joined string past -Depth (as Windows
 * PowerShell 5.1 and PowerShell 7 write them), and what a file that gives
 * nothing says.
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

#include "formats/ingest.h"
#include "input/bundle.h"
#include "model/attribution.h"
#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "model/kinds/queue.h"
#include "model/kinds/receive_connector.h"
#include "model/kinds/send_connector.h"
#include "util/util.h"

#define TP1	"DFF113FABFDD847D0137772908D60F1B07F2BA60"
#define TP2	"33E0AD9DABEA2478DC069C656DF4252D43103D02"
#define DIGICERT "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
#define SUBJ	"CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US"

static bool
diag_has(const struct evidence *ev, enum diag_level level, const char *a,
    const char *b)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++) {
		const struct diag *d = &ev->diags.v[i];

		if (d->level == level && strstr(d->message, a) != NULL &&
		    (b == NULL || strstr(d->message, b) != NULL))
			return true;
	}
	return false;
}

static const struct ev_cert *
find_cert(const struct evidence *ev, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (strcmp(ev->certs[i].thumbprint, tp) == 0)
			return &ev->certs[i];
	fail_msg("certificate %s not found", tp);
	return NULL;
}

static const struct ev_send_connector *
find_sendc(const struct evidence *ev, const char *name)
{
	size_t	i;

	for (i = 0; i < ev->nsendc; i++)
		if (strcmp(ev->sendc[i].name, name) == 0)
			return &ev->sendc[i];
	fail_msg("send connector %s not found", name);
	return NULL;
}

static int
read_json(struct evidence *ev, const char *source, const char *text)
{
	return ingest_json(ev, source, text, strlen(text));
}

/*
 * [pscustomobject]@{Server; Collected; Certificates; SendConnectors;
 * Queues} | ConvertTo-Json (5.1, default depth 2): every collection inside
 * an item is a space-joined string; one cert names no server itself, the
 * lone send connector is an object rather than an array, and the queues
 * come in 5.1's {"value": [...], "Count": n}.
 */
static void
test_wrapper_51(void **state)
{
	const char text[] =
	    "{\r\n"
	    "    \"Server\":  \"EXHUB3\",\r\n"
	    "    \"Collected\":  \"\\/Date(1794311130000)\\/\",\r\n"
	    "    \"Certificates\":  [\r\n"
	    "                         {\r\n"
	    "                             \"CertificateDomains\":  \"mail.contoso.com autodiscover.contoso.com owa.contoso.com\",\r\n"
	    "                             \"Issuer\":  \"" DIGICERT "\",\r\n"
	    "                             \"NotAfter\":  \"\\/Date(1828310399000)\\/\",\r\n"
	    "                             \"NotBefore\":  \"\\/Date(1794096000000)\\/\",\r\n"
	    "                             \"Services\":  8,\r\n"
	    "                             \"Subject\":  \"" SUBJ "\",\r\n"
	    "                             \"Thumbprint\":  \"" TP1 "\",\r\n"
	    "                             \"IssuerName\":  \"System.Security.Cryptography.X509Certificates.X500DistinguishedName\",\r\n"
	    "                             \"Extensions\":  \"System.Security.Cryptography.Oid System.Security.Cryptography.Oid\",\r\n"
	    "                             \"Identity\":  \"" TP1 "\"\r\n"
	    "                         },\r\n"
	    "                         {\r\n"
	    "                             \"CertificateDomains\":  \"mail.contoso.com\",\r\n"
	    "                             \"Services\":  19,\r\n"
	    "                             \"Subject\":  \"" SUBJ "\",\r\n"
	    "                             \"NotAfter\":  \"\\/Date(1796144399000)\\/\",\r\n"
	    "                             \"Thumbprint\":  \"" TP2 "\",\r\n"
	    "                             \"Identity\":  \"EXHUB4.contoso.com\\\\" TP2 "\"\r\n"
	    "                         }\r\n"
	    "                     ],\r\n"
	    "    \"SendConnectors\":  {\r\n"
	    "                           \"AddressSpaces\":  \"SMTP:*;1\",\r\n"
	    "                           \"DNSRoutingEnabled\":  false,\r\n"
	    "                           \"Fqdn\":  \"mail.contoso.com\",\r\n"
	    "                           \"Name\":  \"Outbound to Office 365\",\r\n"
	    "                           \"SmartHosts\":  \"contoso-com.mail.protection.outlook.com\",\r\n"
	    "                           \"SourceTransportServers\":  \"EXHUB3 EXHUB4\",\r\n"
	    "                           \"TlsAuthLevel\":  4\r\n"
	    "                       },\r\n"
	    "    \"Queues\":  {\r\n"
	    "                   \"value\":  [\r\n"
	    "                                 {\r\n"
	    "                                     \"DeliveryType\":  3,\r\n"
	    "                                     \"NextHopDomain\":  \"outbound to office 365\",\r\n"
	    "                                     \"Status\":  3,\r\n"
	    "                                     \"MessageCount\":  88,\r\n"
	    "                                     \"Identity\":  \"12\"\r\n"
	    "                                 }\r\n"
	    "                             ],\r\n"
	    "                   \"Count\":  1\r\n"
	    "               }\r\n"
	    "}\r\n";
	struct evidence			 ev;
	const struct ev_cert		*c;
	const struct ev_send_connector	*sc;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(read_json(&ev, "collect.json", text), 4);
	c = find_cert(&ev, TP1);
	/* The wrapper's Server, for the certificate naming none itself. */
	assert_string_equal(c->server, "EXHUB3");
	assert_int_equal(c->server_clue, ATTR_WRAPPER);
	assert_true(c->domains_known);
	assert_int_equal(c->domains.n, 3);
	assert_string_equal(c->domains.v[0], "mail.contoso.com");
	assert_string_equal(c->domains.v[2], "owa.contoso.com");
	assert_int_equal(c->services, 8);
	/* Its own Identity wins over the wrapper's server. */
	c = find_cert(&ev, TP2);
	assert_string_equal(c->server, "EXHUB4");
	assert_int_equal(c->server_clue, ATTR_IDENTITY);
	assert_int_equal(c->domains.n, 1);
	sc = find_sendc(&ev, "Outbound to Office 365");
	assert_true(sc->source_servers_known);
	assert_int_equal(sc->source_servers.n, 2);
	assert_string_equal(sc->source_servers.v[1], "EXHUB4");
	assert_int_equal(sc->smart_hosts.n, 1);
	assert_string_equal(sc->address_spaces.v[0], "SMTP:*;1");
	assert_int_equal(ev.nqueues, 1);
	assert_string_equal(ev.queues[0].server, "EXHUB3");
	assert_int_equal(ev.queues[0].message_count, 88);
	assert_true(diag_has(&ev, DIAG_INFO, "line 1: an object wrapping the "
	    "export", "Certificates, SendConnectors, Queues"));
	assert_false(diag_has(&ev, DIAG_INFO, "not one certtrail reads", NULL));
	assert_false(diag_has(&ev, DIAG_WARNING, "nothing read", NULL));
	evidence_free(&ev);
}

/*
 * PowerShell 7 (two-space indent, ISO dates), wrappers within a wrapper:
 * each server's own part names it as ComputerName; a member that holds an
 * object of another type is said as such, not dropped in silence.
 */
static void
test_wrapper_nested_7(void **state)
{
	const char text[] =
	    "{\n"
	    "  \"Collected\": \"2026-11-10T12:00:00Z\",\n"
	    "  \"Options\": { \"Depth\": 3 },\n"
	    "  \"Servers\": [\n"
	    "    {\n"
	    "      \"ComputerName\": \"EX02\",\n"
	    "      \"Data\": {\n"
	    "        \"Certificates\": [\n"
	    "          {\n"
	    "            \"Thumbprint\": \"" TP1 "\",\n"
	    "            \"Subject\": \"" SUBJ "\",\n"
	    "            \"NotAfter\": \"2027-12-08T23:59:59Z\",\n"
	    "            \"CertificateDomains\": [ \"mail.contoso.com\" ],\n"
	    "            \"Services\": \"IIS, SMTP\"\n"
	    "          }\n"
	    "        ]\n"
	    "      }\n"
	    "    },\n"
	    "    {\n"
	    "      \"ComputerName\": \"EX03\",\n"
	    "      \"Queues\": [ { \"Identity\": \"7\", \"DeliveryType\": \"SmtpRelayToRemoteAdSite\", \"MessageCount\": 0 } ]\n"
	    "    }\n"
	    "  ]\n"
	    "}\n";
	struct evidence		 ev;
	const struct ev_cert	*c;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(read_json(&ev, "collect7.json", text), 2);
	c = find_cert(&ev, TP1);
	assert_string_equal(c->server, "EX02");
	assert_int_equal(c->services, 8 | 16);
	assert_int_equal(ev.nqueues, 1);
	assert_string_equal(ev.queues[0].server, "EX03");
	assert_true(diag_has(&ev, DIAG_INFO, "Depth", "not one certtrail reads"));
	evidence_free(&ev);
}

/*
 * A wrapper around nothing certtrail reads is one object of another type,
 * and a file that gives nothing is a warning naming it, and unsupported in
 * the manifest; a malformed one that gives nothing is damaged.
 */
static void
test_nothing_read(void **state)
{
	const char text[] =
	    "{\"Server\": \"EX01\", \"Processes\": [{\"ProcessName\": \"w3wp\", "
	    "\"Id\": 4242}]}";
	struct evidence		ev;
	struct bundle_outcome	out;

	(void)state;
	evidence_init(&ev);
	memset(&out, 0, sizeof out);
	out.status = MANIFEST_READ;
	assert_int_equal(json_ingest_file(&ev, "p.json", text, strlen(text),
	    &out), 0);
	assert_true(diag_has(&ev, DIAG_INFO, "(Server, Processes)",
	    "not one certtrail reads"));
	assert_true(diag_has(&ev, DIAG_WARNING, "JSON with 1 object(s)",
	    "nothing read"));
	assert_int_equal(out.status, MANIFEST_UNSUPPORTED);
	assert_non_null(strstr(out.why, "none of a kind certtrail reads"));
	assert_false(diag_has(&ev, DIAG_INFO, "wrapping", NULL));
	memset(&out, 0, sizeof out);
	out.status = MANIFEST_READ;
	assert_int_equal(json_ingest_file(&ev, "bad.json", "{\"a\" 1}", 7,
	    &out), -1);
	assert_int_equal(out.status, MANIFEST_DAMAGED);
	evidence_free(&ev);
}

/*
 * ConvertTo-Json -Depth 1 (5.1): each item's collections are their items
 * joined by spaces; split back when every item is valid for the property.
 */
static void
test_depth1_lists_split(void **state)
{
	const char certs[] =
	    "[\r\n"
	    "    {\r\n"
	    "        \"CertificateDomains\":  \"mail.contoso.com *.contoso.com EXHUB3\",\r\n"
	    "        \"RawData\":  \"48 130 4 49\",\r\n"
	    "        \"Services\":  19,\r\n"
	    "        \"Subject\":  \"" SUBJ "\",\r\n"
	    "        \"Thumbprint\":  \"" TP2 "\",\r\n"
	    "        \"Identity\":  \"EXHUB3.contoso.com\\\\" TP2 "\"\r\n"
	    "    }\r\n"
	    "]\r\n";
	const char sc[] =
	    "{\r\n"
	    "    \"AddressSpaces\":  \"SMTP:*;2 SMTP:contoso.com;1 X400:c=US;5\",\r\n"
	    "    \"DNSRoutingEnabled\":  false,\r\n"
	    "    \"Name\":  \"Relay\",\r\n"
	    "    \"SmartHosts\":  \"[10.0.0.5] relay.contoso.com [fe80::1]\",\r\n"
	    "    \"SourceTransportServers\":  \"EXHUB3 EXHUB4.contoso.com\",\r\n"
	    "    \"TlsCertificateName\":  \"<I>" DIGICERT "<S>" SUBJ "\"\r\n"
	    "}\r\n";
	const char rc[] =
	    "{\r\n"
	    "    \"Identity\":  \"EXHUB3\\\\Default EXHUB3\",\r\n"
	    "    \"Bindings\":  \"0.0.0.0:25 [::]:25\",\r\n"
	    "    \"AuthMechanism\":  54\r\n"
	    "}\r\n";
	struct evidence			 ev;
	const struct ev_cert		*c;
	const struct ev_send_connector	*s;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(read_json(&ev, "EXHUB3_certs.json", certs), 1);
	c = find_cert(&ev, TP2);
	assert_true(c->domains_known);
	assert_int_equal(c->domains.n, 3);
	assert_string_equal(c->domains.v[1], "*.contoso.com");
	assert_string_equal(c->domains.v[2], "EXHUB3");
	assert_int_equal(read_json(&ev, "EXHUB3_send.json", sc), 1);
	s = find_sendc(&ev, "Relay");
	assert_true(s->address_spaces_known);
	assert_int_equal(s->address_spaces.n, 3);
	assert_string_equal(s->address_spaces.v[2], "X400:c=US;5");
	assert_true(s->smart_hosts_known);
	assert_int_equal(s->smart_hosts.n, 3);
	assert_string_equal(s->smart_hosts.v[2], "[fe80::1]");
	assert_int_equal(s->source_servers.n, 2);
	assert_string_equal(s->tls_certificate_name, "<I>" DIGICERT "<S>" SUBJ);
	assert_int_equal(read_json(&ev, "EXHUB3_rc.json", rc), 1);
	assert_true(ev.recvc[0].bindings_known);
	assert_int_equal(ev.recvc[0].bindings.n, 2);
	assert_string_equal(ev.recvc[0].bindings.v[1], "[::]:25");
	assert_false(diag_has(&ev, DIAG_WARNING, "left unknown", NULL));
	evidence_free(&ev);
}

/*
 * What cannot be split into valid items is unknown, with a warning naming
 * the property; type names and "@{...}" string forms are never values.
 */
static void
test_depth1_unknowns(void **state)
{
	const char certs[] =
	    "[\r\n"
	    "    {\r\n"
	    "        \"CertificateDomains\":  \"mail.contoso.com @{Domain=x; IncludeSubDomains=False}\",\r\n"
	    "        \"Subject\":  \"" SUBJ "\",\r\n"
	    "        \"Thumbprint\":  \"" TP1 "\",\r\n"
	    "        \"Identity\":  \"EXHUB3.contoso.com\\\\" TP1 "\"\r\n"
	    "    },\r\n"
	    "    {\r\n"
	    "        \"CertificateDomains\":  \"mail.contoso.com  owa.contoso.com\",\r\n"
	    "        \"Subject\":  \"" SUBJ "\",\r\n"
	    "        \"Thumbprint\":  \"" TP2 "\",\r\n"
	    "        \"Identity\":  \"EXHUB3.contoso.com\\\\" TP2 "\"\r\n"
	    "    }\r\n"
	    "]\r\n";
	const char sc[] =
	    "{\r\n"
	    "    \"AddressSpaces\":  \"System.Collections.ArrayList\",\r\n"
	    "    \"SmartHosts\":  \"System.Object[]\",\r\n"
	    "    \"DNSRoutingEnabled\":  true,\r\n"
	    "    \"Name\":  \"Internet\",\r\n"
	    "    \"SourceTransportServers\":  \"Microsoft.Exchange.Data.Directory.ADObjectId Microsoft.Exchange.Data.Directory.ADObjectId\",\r\n"
	    "    \"TlsCertificateName\":  \"@{CertificateIssuer=" DIGICERT "; CertificateSubject=" SUBJ "}\"\r\n"
	    "}\r\n";
	struct evidence			 ev;
	const struct ev_send_connector	*s;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(read_json(&ev, "certs.json", certs), 2);
	assert_false(find_cert(&ev, TP1)->domains_known);
	assert_int_equal(find_cert(&ev, TP1)->domains.n, 0);
	assert_false(find_cert(&ev, TP2)->domains_known);
	assert_true(diag_has(&ev, DIAG_WARNING, "line 3: CertificateDomains "
	    "\"mail.contoso.com @{Domain=x", "not all domain names; left "
	    "unknown"));
	assert_true(diag_has(&ev, DIAG_WARNING, "line 9: CertificateDomains",
	    "not all domain names"));
	assert_int_equal(read_json(&ev, "send.json", sc), 1);
	s = find_sendc(&ev, "Internet");
	assert_false(s->address_spaces_known);
	assert_false(s->smart_hosts_known);
	assert_false(s->source_servers_known);
	assert_null(s->tls_certificate_name);
	assert_true(diag_has(&ev, DIAG_WARNING, "AddressSpaces: 1 value(s) "
	    "exported as a type name", NULL));
	assert_true(diag_has(&ev, DIAG_WARNING, "SourceTransportServers: 1 "
	    "value(s) exported as a type name", NULL));
	assert_true(diag_has(&ev, DIAG_WARNING, "TlsCertificateName: 1 "
	    "value(s) exported as an object's string form", NULL));
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrapper_51),
		cmocka_unit_test(test_wrapper_nested_7),
		cmocka_unit_test(test_nothing_read),
		cmocka_unit_test(test_depth1_lists_split),
		cmocka_unit_test(test_depth1_unknowns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

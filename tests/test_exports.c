/*
 * CSV (Export-Csv) and JSON (ConvertTo-Json) exports: the tokenizer, the
 * parser, and the ingesters end to end through the mappers, on the shapes
 * Windows PowerShell 5.1 and PowerShell 7 write.
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

#include "formats/csv.h"
#include "util/datetime.h"
#include "model/evidence.h"
#include "formats/ingest.h"
#include "formats/json.h"
#include "util/parse_diag.h"
#include "model/record.h"
#include "util/text.h"
#include "util/util.h"
#include "model/kinds/cert.h"
#include "model/kinds/event.h"
#include "model/kinds/kinds.h"
#include "model/kinds/queue.h"
#include "model/kinds/receive_connector.h"
#include "model/kinds/send_connector.h"
#include "model/kinds/transport_service.h"

/* ------------------------------------------------------------ helpers */

static int64_t
iso(const char *s)
{
	int64_t	t = TIME_UNKNOWN;

	assert_true(date_parse_iso(s, &t));
	return t;
}

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
find_cert(const struct evidence *ev, const char *server, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (strcmp(ev->certs[i].thumbprint, tp) == 0 &&
		    (server == NULL || (ev->certs[i].server != NULL &&
		    strcmp(ev->certs[i].server, server) == 0)))
			return &ev->certs[i];
	fail_msg("certificate %s on %s not found", tp, server);
	return NULL;
}

static const struct ev_receive_connector *
find_rc(const struct evidence *ev, const char *server, const char *name)
{
	size_t	i;

	for (i = 0; i < ev->nrecvc; i++)
		if (strcmp(ev->recvc[i].name, name) == 0 &&
		    ev->recvc[i].server != NULL &&
		    strcmp(ev->recvc[i].server, server) == 0)
			return &ev->recvc[i];
	fail_msg("receive connector %s\\%s not found", server, name);
	return NULL;
}

static int
ingest_utf16(int (*fn)(struct evidence *, const char *, const char *, size_t),
    struct evidence *ev, const char *source, const char *utf8)
{
	unsigned char	*b = xmalloc(strlen(utf8) * 2 + 2);
	char		*text;
	size_t		 n = 0, len, i;
	int		 rc;

	/* ASCII in, UTF-16LE with BOM out, as Export-Csv -Encoding Unicode. */
	b[n++] = 0xFF;
	b[n++] = 0xFE;
	for (i = 0; utf8[i] != '\0'; i++) {
		b[n++] = (unsigned char)utf8[i];
		b[n++] = 0;
	}
	text = text_to_utf8(b, n, &len, NULL, NULL);
	rc = fn(ev, source, text, len);
	free(text);
	free(b);
	return rc;
}

#define TP1	"6F029E0D20605DB27016B787C4503FD0002C0A11"
#define TP2	"03221367D3A3E863698501592A9B9C420D8D3F4E"
#define DIGICERT "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
#define SUBJ	"CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US"

/* -------------------------------------------------------- the mappers */

static void
put(struct record *r, const char *name, const char *s)
{
	struct rec_value *v = record_add(r, name, 7);

	v->kind = REC_SCALAR;
	v->s = xstrdup(s);
	rec_value_check_type_name(v);
}

static void
put_int(struct record *r, const char *name, int64_t n)
{
	struct rec_value *v = record_add(r, name, 8);

	v->kind = REC_SCALAR;
	v->s = xasprintf("%lld", (long long)n);
	v->has_int = true;
	v->i = n;
}

static void
test_type_names(void **state)
{
	(void)state;
	assert_true(rec_text_is_type_name("System.Collections.Generic.List`1[System.String]"));
	assert_true(rec_text_is_type_name("Microsoft.Exchange.Data.MultiValuedProperty`1"
	    "[[Microsoft.Exchange.Data.IPBinding, Microsoft.Exchange.Data, "
	    "Version=15.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35]]"));
	assert_true(rec_text_is_type_name("System.Object[]"));
	assert_true(rec_text_is_type_name("System.Security.Cryptography.Oid"));
	assert_true(rec_text_is_type_name("Deserialized.Microsoft.Exchange.Data.SmtpDomain"));
	/* Values that only look like one. */
	assert_false(rec_text_is_type_name("Microsoft.Exchange.Data.Transport.SmtpResponseException: "
	    "failed [Stage: OnEndOfData]"));
	assert_false(rec_text_is_type_name("Microsoft Exchange could not find a certificate."));
	assert_false(rec_text_is_type_name("System.Net"));
	assert_false(rec_text_is_type_name("mail.contoso.com"));
	assert_false(rec_text_is_type_name(NULL));
}

/* Hand-built records, as any format would give them. */
static void
test_mappers(void **state)
{
	struct evidence	ev;
	struct map_ctx	ctx;
	struct record	r;

	(void)state;
	evidence_init(&ev);
	map_ctx_init(&ctx, &ev, "x", "test", 1);
	ctx.order = DATE_ORDER_MDY;

	/* Get-EventLog's EventLogEntry: EventID, TimeGenerated, EntryType. */
	record_init(&r);
	put(&r, "EventID", "12016");
	put(&r, "TimeGenerated", "11/13/2026 7:00:00 AM");
	put(&r, "Source", "MSExchangeTransport");
	put_int(&r, "EntryType", 1);
	put(&r, "MachineName", "EX10.contoso.com");
	put(&r, "Message", "The STARTTLS certificate has expired.");
	assert_ptr_equal(record_classify(&r), &ev_kind_events);
	assert_int_equal(map_record(&ctx, &r), 1);
	record_free(&r);
	assert_int_equal(ev.nevents, 1);
	assert_int_equal(ev.events[0].id, 12016);
	assert_string_equal(ev.events[0].level, "Error");
	assert_string_equal(ev.events[0].provider, "MSExchangeTransport");
	assert_string_equal(ev.events[0].server, "EX10");
	assert_int_equal(ev.events[0].time, iso("2026-11-13T07:00:00Z"));

	/* A queue known only by QueueIdentity; a numeric Status. */
	record_init(&r);
	put(&r, "QueueIdentity", "EX10\\Unreachable");
	put(&r, "NextHopDomain", "contoso.org");
	put_int(&r, "Status", 4);
	put(&r, "Identity", "");
	r.props[r.nprops - 1].v.kind = REC_NULL;
	assert_int_equal(map_record(&ctx, &r), 1);
	record_free(&r);
	assert_string_equal(ev.queues[0].identity, "EX10\\Unreachable");
	assert_string_equal(ev.queues[0].server, "EX10");
	assert_string_equal(ev.queues[0].status, "Suspended");
	assert_int_equal(ev.queues[0].message_count, -1);

	/* A transport service named only by the computer the export ran on. */
	record_init(&r);
	put(&r, "InternalTransportCertificateThumbprint", "6f029e0d20605db27016b787c4503fd0002c0a11");
	put(&r, "PSComputerName", "ex10.contoso.com");
	assert_int_equal(map_record(&ctx, &r), 1);
	record_free(&r);
	assert_string_equal(ev.transport[0].server, "EX10");
	assert_string_equal(ev.transport[0].internal_transport_certificate, TP1);

	/* A certificate: exact time from the format, services as a number. */
	record_init(&r);
	put(&r, "Thumbprint", "6f 02 9e 0d 20 60 5d b2 70 16 b7 87 c4 50 3f d0 00 2c 0a 11");
	put(&r, "Subject", "CN=x");
	put_int(&r, "Services", 24);
	put(&r, "SignatureAlgorithm", "System.Security.Cryptography.Oid");
	put(&r, "NotAfter", "/Date(1795910399000)/");
	put(&r, "NotBefore", "2025-11-28T01:00:00+01:00");
	put(&r, "IsSelfSigned", "maybe");
	assert_int_equal(map_record(&ctx, &r), 1);
	record_free(&r);
	assert_string_equal(ev.certs[0].thumbprint, TP1);
	assert_int_equal(ev.certs[0].services, SVC_IIS | SVC_SMTP);
	assert_null(ev.certs[0].signature_algorithm);
	assert_true(ev.certs[0].dates_exact);
	assert_int_equal(ev.certs[0].not_after, iso("2026-11-28T23:59:59Z"));
	assert_int_equal(ev.certs[0].not_before, iso("2025-11-28T00:00:00Z"));
	assert_int_equal(ev.certs[0].self_signed, TRI_UNKNOWN);
	assert_true(diag_has(&ev, DIAG_WARNING, "IsSelfSigned \"maybe\"", NULL));

	/* Unusable: said with the line, and counted as skipped. */
	record_init(&r);
	r.line = 41;
	put(&r, "Bindings", "{0.0.0.0:25}");
	put(&r, "Identity", "");
	r.props[r.nprops - 1].v.kind = REC_NULL;
	assert_int_equal(map_record(&ctx, &r), -1);
	record_free(&r);
	assert_true(diag_has(&ev, DIAG_WARNING, "line 41:", "receive connector without"));
	assert_int_equal(ctx.added, 4);
	assert_int_equal(ctx.skipped, 1);
	map_ctx_finish(&ctx);
	evidence_free(&ev);
}

/* -------------------------------------------------------- CSV tokenizer */

static void
test_csv_tokenizer(void **state)
{
	const char text[] =
	    "\"Name\",\"Message\",Plain\r\n"
	    "\"a, b\",\"line one\r\nsaid \"\"hi\"\"\",x\r\n"
	    "c,,\"\"\r\n";
	struct csv_reader	r;
	struct csv_row		row = { 0 };

	(void)state;
	csv_init(&r, text, sizeof text - 1, ',');
	assert_true(csv_next_row(&r, &row));
	assert_int_equal(row.cells.n, 3);
	assert_string_equal(row.cells.v[2], "Plain");
	assert_true(csv_next_row(&r, &row));
	assert_int_equal(row.line, 2);
	assert_string_equal(row.cells.v[0], "a, b");
	assert_string_equal(row.cells.v[1], "line one\r\nsaid \"hi\"");
	assert_string_equal(row.cells.v[2], "x");
	assert_true(csv_next_row(&r, &row));
	assert_int_equal(row.line, 4);	/* after the two-line cell */
	assert_int_equal(row.cells.n, 3);
	assert_string_equal(row.cells.v[1], "");
	assert_string_equal(row.cells.v[2], "");
	assert_false(csv_next_row(&r, &row));
	csv_row_free(&row);

	assert_int_equal(csv_guess_delimiter("\"a\";\"b;c\";\"d\"", 13), ';');
	assert_int_equal(csv_guess_delimiter("a\tb\tc", 5), '\t');
	assert_int_equal(csv_guess_delimiter("\"a\",\"b\"", 7), ',');
	assert_int_equal(csv_guess_delimiter("Name", 4), ',');
}

static void
test_csv_bounds(void **state)
{
	size_t			n = CSV_CELL_MAX + 100;
	char			*big = xmalloc(n + 8);
	struct csv_reader	r;
	struct csv_row		row = { 0 };

	(void)state;
	big[0] = '"';
	memset(big + 1, 'x', n);
	memcpy(big + 1 + n, "\",y", 3);
	csv_init(&r, big, n + 4, ',');
	assert_true(csv_next_row(&r, &row));
	assert_int_equal(row.cells.n, 2);
	assert_int_equal(row.overlong, 1);
	assert_int_equal(strlen(row.cells.v[0]), CSV_CELL_MAX);
	assert_string_equal(row.cells.v[1], "y");
	/* An open quote runs to the end, and says so. */
	csv_init(&r, "\"abc,def\nghi", 12, ',');
	assert_true(csv_next_row(&r, &row));
	assert_true(row.unterminated);
	assert_int_equal(row.cells.n, 1);
	assert_string_equal(row.cells.v[0], "abc,def\nghi");
	csv_row_free(&row);
	free(big);
}

/* -------------------------------------------------------- CSV ingester */

/* Get-ExchangeCertificate | Export-Csv (5.1: #TYPE, all quoted, UTF-16LE). */
static void
test_csv_certs_51(void **state)
{
	const char text[] =
	    "#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate\r\n"
	    "\"CertificateDomains\",\"HasPrivateKey\",\"IsSelfSigned\",\"Issuer\",\"NotAfter\",\"NotBefore\",\"RootCAType\",\"Services\",\"Status\",\"Subject\",\"Thumbprint\",\"Identity\"\r\n"
	    "\"Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.SmtpDomainWithSubdomains]\",\"True\",\"False\",\"" DIGICERT "\",\"11/28/2026 11:59:59 PM\",\"11/28/2025 12:00:00 AM\",\"ThirdParty\",\"IMAP, POP, IIS, SMTP\",\"Valid\",\"" SUBJ "\",\"" TP1 "\",\"EX01.contoso.com\\" TP1 "\"\r\n"
	    "\"System.Collections.Generic.List`1[System.String]\",\"True\",\"True\",\"CN=EX01\",\"3/27/2027 10:00:00 AM\",\"3/27/2022 10:00:00 AM\",\"Registry\",\"SMTP\",\"Valid\",\"CN=EX01\",\"" TP2 "\",\"EX01.contoso.com\\" TP2 "\"\r\n"
	    "\"\",\"True\",\"False\",\"CN=x\",\"3/27/2027 10:00:00 AM\",\"\",\"\",\"\",\"\",\"CN=x\",\"\",\"\"\r\n";
	struct evidence		 ev;
	const struct ev_cert	*c;
	size_t			 i;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_utf16(ingest_csv, &ev, "EX01/certs.csv", text), 3);
	assert_true(ev.saw_cert_dump);
	c = find_cert(&ev, "EX01", TP1);
	assert_string_equal(c->subject, SUBJ);
	assert_string_equal(c->issuer, DIGICERT);
	assert_int_equal(c->services, SVC_IMAP | SVC_POP | SVC_IIS | SVC_SMTP);
	assert_int_equal(c->not_after, iso("2026-11-28T23:59:59Z"));
	assert_false(c->dates_exact);	/* the server's local time */
	assert_string_equal(c->status, "Valid");
	assert_string_equal(c->root_ca_type, "ThirdParty");
	assert_int_equal(c->has_private_key, TRI_TRUE);
	/* A type name is not a value: unknown, and said once per property. */
	assert_false(c->domains_known);
	assert_true(diag_has(&ev, DIAG_WARNING, "CertificateDomains",
	    "2 value(s) exported as a type name"));
	c = find_cert(&ev, "EX01", TP2);
	assert_int_equal(c->services, SVC_SMTP);
	assert_int_equal(c->self_signed, TRI_TRUE);
	/* The row without a thumbprint: named by line, kept with what it has. */
	assert_true(diag_has(&ev, DIAG_WARNING, "line 5:", "thumbprint"));
	assert_int_equal(ev.ncerts, 3);
	for (c = NULL, i = 0; i < ev.ncerts; i++)
		if (ev.certs[i].thumbprint == NULL)
			c = &ev.certs[i];
	assert_non_null(c);
	assert_string_equal(c->subject, "CN=x");
	assert_int_equal(c->has_private_key, TRI_TRUE);
	evidence_free(&ev);
}

/*
 * Get-ReceiveConnector | Export-Csv -UseCulture (7: no #TYPE, ';', cells
 * quoted); Bindings as the multi-valued type name.
 */
static void
test_csv_receive_connectors_7(void **state)
{
	const char text[] =
	    "\"Identity\";\"Name\";\"Bindings\";\"Fqdn\";\"AuthMechanism\";\"RequireTLS\";\"TlsCertificateName\";\"TlsDomainCapabilities\";\"ProtocolLoggingLevel\";\"TransportRole\";\"Enabled\"\n"
	    "\"EX02\\Default Frontend EX02\";\"Default Frontend EX02\";\"Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.IPBinding]\";\"mail.contoso.com\";\"Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer\";\"False\";\"<I>" DIGICERT "<S>" SUBJ "\";\"\";\"Verbose\";\"FrontendTransport\";\"True\"\n"
	    "\"EX02\\Client Frontend EX02\";\"Client Frontend EX02\";\"{[::]:587, 0.0.0.0:587}\";\"EX02.contoso.com\";\"Tls, BasicAuth\";\"True\";\"\";\"\";\"None\";\"FrontendTransport\";\"False\"\n";
	struct evidence				 ev;
	const struct ev_receive_connector	*rc;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_csv(&ev, "rc.csv", text, sizeof text - 1), 2);
	assert_true(ev.saw_receive_connector_dump);
	rc = find_rc(&ev, "EX02", "Default Frontend EX02");
	assert_false(rc->bindings_known);
	assert_string_equal(rc->tls_certificate_name, "<I>" DIGICERT "<S>" SUBJ);
	assert_int_equal(rc->auth_mechanism.n, 5);
	assert_string_equal(rc->auth_mechanism.v[4], "ExchangeServer");
	assert_int_equal(rc->require_tls, TRI_FALSE);
	assert_int_equal(rc->enabled, TRI_TRUE);
	assert_string_equal(rc->protocol_logging_level, "Verbose");
	assert_string_equal(rc->transport_role, "FrontendTransport");
	assert_null(rc->tls_domain_capabilities);
	rc = find_rc(&ev, "EX02", "Client Frontend EX02");
	assert_true(rc->bindings_known);
	assert_int_equal(rc->bindings.n, 2);
	assert_string_equal(rc->bindings.v[1], "0.0.0.0:587");
	assert_int_equal(rc->enabled, TRI_FALSE);
	assert_null(rc->tls_certificate_name);
	assert_true(diag_has(&ev, DIAG_WARNING, "Bindings", "type name"));
	evidence_free(&ev);
}

/* Get-Queue and Get-TransportService, tab-delimited, unquoted. */
static void
test_csv_tab_queue_transport(void **state)
{
	const char queue[] =
	    "Identity\tDeliveryType\tStatus\tMessageCount\tNextHopDomain\tLastError\tLastRetryTime\r\n"
	    "EX01\\1234\tSmartHostConnectorDelivery\tRetry\t17\toutbound to office 365\t451 4.4.0 Primary target IP address responded with: \"\"421 4.4.1 Connection timed out.\"\"\t13.11.2026 08:00:00\r\n"
	    "\tSmtpDeliveryToMailbox\tReady\t0\tdb01\t\t\r\n";
	const char ts[] =
	    "\"Name\",\"InternalTransportCertificateThumbprint\",\"SendProtocolLogPath\",\"ReceiveProtocolLogPath\",\"IntraOrgConnectorProtocolLoggingLevel\"\n"
	    "\"EX01\",\"" TP2 "\",\"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\Logs\\Hub\\ProtocolLog\\SmtpSend\",\"D:\\Logs\\SmtpReceive\",\"Verbose\"\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	/* The row without an Identity is a queue still, its identity unknown. */
	assert_int_equal(ingest_csv(&ev, "q.csv", queue, sizeof queue - 1), 2);
	assert_int_equal(ev.nqueues, 2);
	assert_null(ev.queues[1].identity);
	assert_string_equal(ev.queues[1].status, "Ready");
	assert_string_equal(ev.queues[1].next_hop_domain, "db01");
	assert_string_equal(ev.queues[0].server, "EX01");
	assert_string_equal(ev.queues[0].status, "Retry");
	assert_int_equal(ev.queues[0].message_count, 17);
	assert_int_equal(ev.queues[0].last_retry_time, iso("2026-11-13T08:00:00Z"));
	/* CSV text, as Format-List: the server's clock. */
	assert_false(ev.queues[0].last_retry_time_exact);
	assert_non_null(strstr(ev.queues[0].last_error, "\"421 4.4.1"));
	assert_true(diag_has(&ev, DIAG_WARNING, "line 3:",
	    "queue record without an Identity"));
	assert_int_equal(ingest_csv(&ev, "ts.csv", ts, sizeof ts - 1), 1);
	assert_true(ev.saw_transport_service_dump);
	assert_int_equal(ev.ntransport, 1);
	assert_string_equal(ev.transport[0].server, "EX01");
	assert_string_equal(ev.transport[0].internal_transport_certificate, TP2);
	assert_string_equal(ev.transport[0].receive_protocol_log_path,
	    "D:\\Logs\\SmtpReceive");
	assert_string_equal(ev.transport[0].intra_org_connector_protocol_logging_level,
	    "Verbose");
	evidence_free(&ev);
}

/* Get-WinEvent | Export-Csv: a multi-line Message; only relevant ids kept. */
static void
test_csv_events(void **state)
{
	const char text[] =
	    "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
	    "\"Message\",\"Id\",\"Level\",\"ProviderName\",\"MachineName\",\"TimeCreated\",\"LevelDisplayName\"\r\n"
	    "\"Microsoft Exchange could not find a certificate that contains the domain name mail.contoso.com in the personal store on the local computer.\r\nTherefore, it is unable to support the STARTTLS SMTP verb.\",\"12014\",\"2\",\"MSExchangeFrontEndTransport\",\"EX01.contoso.com\",\"11/9/2026 10:14:03 PM\",\"Error\"\r\n"
	    "\"The service started.\",\"7036\",\"4\",\"Service Control Manager\",\"EX01.contoso.com\",\"11/9/2026 10:15:00 PM\",\"Information\"\r\n"
	    "\"The STARTTLS certificate will expire soon.\",\"12018\",\"3\",\"MSExchangeTransport\",\"EX02.contoso.com\",\"11/13/2026 1:00:00 AM\",\"\"\r\n";
	struct evidence	ev;
	size_t		i;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_csv(&ev, "events.csv", text, sizeof text - 1), 2);
	assert_true(ev.saw_event_log);
	assert_int_equal(ev.nevents, 2);
	for (i = 0; i < ev.nevents; i++)
		if (ev.events[i].id == 12014)
			break;
	assert_true(i < ev.nevents);
	assert_string_equal(ev.events[i].server, "EX01");
	assert_string_equal(ev.events[i].provider, "MSExchangeFrontEndTransport");
	assert_string_equal(ev.events[i].level, "Error");
	assert_int_equal(ev.events[i].time, iso("2026-11-09T22:14:03Z"));
	assert_int_equal(ev.events[i].ref.line, 3);
	assert_non_null(strstr(ev.events[i].message, ".\r\nTherefore"));
	i = 1 - i;
	assert_int_equal(ev.events[i].id, 12018);
	assert_string_equal(ev.events[i].level, "Warning");	/* from Level 3 */
	assert_int_equal(ev.events[i].ref.line, 6);
	assert_true(diag_has(&ev, DIAG_INFO, "1 event(s)", "ignored"));
	evidence_free(&ev);
}

static void
test_csv_not_ours(void **state)
{
	const char procs[] =
	    "#TYPE System.Diagnostics.Process\n\"ProcessName\",\"Id\"\n\"w3wp\",\"4242\"\n";
	const char fe[] =
	    "#TYPE Microsoft.Exchange.Data.Directory.SystemConfiguration.FrontendTransportServerPresentationObject\n"
	    "\"Name\",\"SendProtocolLogPath\",\"ReceiveProtocolLogPath\"\n"
	    "\"EX01\",\"D:\\FE\\Send\",\"D:\\FE\\Receive\"\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_csv(&ev, "p.csv", procs, sizeof procs - 1), 0);
	assert_true(diag_has(&ev, DIAG_INFO, "System.Diagnostics.Process",
	    "ProcessName"));
	/* The front end's log paths are not the transport service's. */
	assert_int_equal(ingest_csv(&ev, "fe.csv", fe, sizeof fe - 1), 0);
	assert_int_equal(ev.ntransport, 0);
	assert_false(ev.saw_transport_service_dump);
	assert_true(diag_has(&ev, DIAG_INFO, "FrontendTransportServerPresentationObject",
	    "SendProtocolLogPath"));
	assert_int_equal(ingest_csv(&ev, "e.csv", "#TYPE X\n", 8), -1);
	assert_true(diag_has(&ev, DIAG_WARNING, "without a header row", NULL));
	evidence_free(&ev);
}

/*
 * A CSV file whose dates cannot tell day from month waits for the order its
 * neighbours decide (as Format-List files do).
 */
static void
test_csv_order_from_neighbours(void **state)
{
	const char queues[] =
	    "\"Identity\",\"DeliveryType\",\"LastRetryTime\"\n"
	    "\"EX07\\9\",\"SmartHostConnectorDelivery\",\"02.03.2026 10:00:00\"\n";
	const char us[] =
	    "\"Identity\",\"DeliveryType\",\"LastRetryTime\"\n"
	    "\"EX08\\9\",\"SmartHostConnectorDelivery\",\"2/3/2026 10:00:00\"\n";
	const char certs[] =
	    "\"Thumbprint\",\"Subject\",\"NotAfter\"\n"
	    "\"" TP1 "\",\"CN=x\",\"3/13/2027 10:00:00 AM\"\n";
	struct evidence		ev;
	struct ingest_ctx	ctx;
	size_t			i;

	(void)state;
	evidence_init(&ev);
	ingest_ctx_init(&ctx, &ev);
	ingest_held_defer(&ctx);
	/* Dots say day first by themselves: read at once. */
	assert_int_equal(ingest_csv_ctx(&ctx, "EX07/q.csv", queues, sizeof queues - 1), 1);
	assert_int_equal(ev.nqueues, 1);
	assert_int_equal(ev.queues[0].last_retry_time, iso("2026-03-02T10:00:00Z"));
	/* Undecidable alone (no field above 12, no pattern): held. */
	assert_int_equal(ingest_csv_ctx(&ctx, "EX08/q.csv", us, sizeof us - 1), 1);
	assert_int_equal(ev.nqueues, 1);
	assert_int_equal(ctx.held.nfiles, 1);
	/* Its neighbour says month first. */
	assert_int_equal(ingest_csv_ctx(&ctx, "EX08/certs.csv", certs, sizeof certs - 1), 1);
	ingest_held_finish(&ctx);
	ingest_ctx_free(&ctx);
	assert_int_equal(ev.nqueues, 2);
	for (i = 0; i < ev.nqueues; i++)
		if (strcmp(ev.queues[i].server, "EX08") == 0)
			assert_int_equal(ev.queues[i].last_retry_time,
			    iso("2026-02-03T10:00:00Z"));
	/* A neighbour's order is a guess, and said to be one. */
	assert_true(diag_has(&ev, DIAG_WARNING, "day/month order guessed from "
	    "EX08/certs.csv", "month first"));
	evidence_free(&ev);
}

/* ------------------------------------------------------------ JSON */

static void
test_json_parser(void **state)
{
	const char	*ok = "{\"a\": [1, -2.5e3, true, false, null],"
	    " \"s\": \"\\/Date(1)\\/ \\u00e9\\ud83d\\ude00\\ud800x\\u0000\"}";
	struct json_value	v;
	const struct json_value	*a;
	struct parse_diag	pd;
	char			*deep;
	int			i;

	(void)state;
	parse_diag_init(&pd, NULL, "test.json");
	assert_int_equal(json_parse(ok, strlen(ok), &v, &pd), 0);
	a = json_get(&v, "a");
	assert_non_null(a);
	assert_int_equal(a->type, JSON_ARRAY);
	assert_int_equal(a->n, 5);
	assert_string_equal(a->items[1].s, "-2.5e3");
	assert_true(a->items[2].b);
	assert_int_equal(a->items[4].type, JSON_NULL);
	assert_string_equal(json_get(&v, "s")->s,
	    "/Date(1)/ \xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx\xef\xbf\xbd");
	json_free(&v);

	assert_int_equal(json_parse("[1,]", 4, &v, &pd), -1);
	json_free(&v);
	assert_int_equal(json_parse("{\"a\":1}\n{", 9, &v, &pd), -1);
	assert_int_equal(pd.cause_line, 2);
	json_free(&v);
	assert_int_equal(json_parse("\"\t\"", 3, &v, &pd), -1);
	json_free(&v);
	assert_int_equal(json_parse("01", 2, &v, &pd), -1);
	json_free(&v);
	deep = xmalloc(200);
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	for (; i < 200; i++)
		deep[i] = ']';
	assert_int_equal(json_parse(deep, 200, &v, &pd), -1);
	assert_non_null(strstr(pd.cause, "nested deeper"));
	json_free(&v);
	free(deep);
}

/* Get-ExchangeCertificate | ConvertTo-Json (5.1): /Date/, enums as numbers. */
static void
test_json_certs_51(void **state)
{
	const char text[] =
	    "[\r\n"
	    "    {\r\n"
	    "        \"CertificateDomains\":  [\r\n"
	    "                                   {\"Domain\": \"mail.contoso.com\", \"IncludeSubDomains\": false},\r\n"
	    "                                   {\"Domain\": \"autodiscover.contoso.com\", \"IncludeSubDomains\": false}\r\n"
	    "                               ],\r\n"
	    "        \"HasPrivateKey\":  true,\r\n"
	    "        \"IsSelfSigned\":  false,\r\n"
	    "        \"Issuer\":  \"" DIGICERT "\",\r\n"
	    "        \"NotAfter\":  \"\\/Date(1795910399000)\\/\",\r\n"
	    "        \"NotBefore\":  \"\\/Date(1764288000000)\\/\",\r\n"
	    "        \"PublicKeySize\":  2048,\r\n"
	    "        \"RootCAType\":  1,\r\n"
	    "        \"Services\":  27,\r\n"
	    "        \"Status\":  1,\r\n"
	    "        \"Subject\":  \"" SUBJ "\",\r\n"
	    "        \"Thumbprint\":  \"" TP1 "\",\r\n"
	    "        \"Identity\":  \"EX01.contoso.com\\\\" TP1 "\",\r\n"
	    "        \"AccessRules\":  \"System.Security.AccessControl.CryptoKeyAccessRule System.Security.AccessControl.CryptoKeyAccessRule\"\r\n"
	    "    },\r\n"
	    "    {\r\n"
	    "        \"Thumbprint\":  \"" TP2 "\",\r\n"
	    "        \"Subject\":  \"CN=EX01\",\r\n"
	    "        \"CertificateDomains\":  \"System.Collections.Generic.List`1[System.String]\",\r\n"
	    "        \"Services\":  0,\r\n"
	    "        \"Status\":  42,\r\n"
	    "        \"PSComputerName\":  \"ex01.contoso.com\"\r\n"
	    "    }\r\n"
	    "]\r\n";
	struct evidence		 ev;
	const struct ev_cert	*c;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_utf16(ingest_json, &ev, "certs.json", text), 2);
	c = find_cert(&ev, "EX01", TP1);
	assert_int_equal(c->not_after, iso("2026-11-28T23:59:59Z"));
	assert_int_equal(c->not_before, iso("2025-11-28T00:00:00Z"));
	assert_true(c->dates_exact);
	assert_int_equal(c->services, 27);
	assert_string_equal(c->status, "Valid");
	assert_string_equal(c->root_ca_type, "ThirdParty");
	assert_int_equal(c->key_bits, 2048);
	assert_true(c->domains_known);
	assert_int_equal(c->domains.n, 2);
	assert_string_equal(c->domains.v[1], "autodiscover.contoso.com");
	assert_int_equal(c->ref.line, 2);
	c = find_cert(&ev, "EX01", TP2);
	assert_int_equal(c->services, 0);
	assert_false(c->domains_known);
	assert_null(c->status);		/* 42 is no Status */
	assert_true(diag_has(&ev, DIAG_WARNING, "Status value 42", NULL));
	assert_true(diag_has(&ev, DIAG_WARNING, "CertificateDomains", "type name"));
	evidence_free(&ev);
}

/*
 * Get-ReceiveConnector, Get-TransportService and Get-SendConnector in
 * ConvertTo-Json (7): one object, ISO dates, enums as names or numbers,
 * bindings and paths as objects.
 */
static void
test_json_connectors_7(void **state)
{
	const char rc[] =
	    "{\n"
	    "  \"Identity\": \"EX03\\\\Default Frontend EX03\",\n"
	    "  \"Name\": \"Default Frontend EX03\",\n"
	    "  \"Bindings\": [ { \"Address\": \"::\", \"Port\": 25, \"AddressFamily\": 23 },"
	    " { \"Address\": \"0.0.0.0\", \"Port\": 25, \"AddressFamily\": 2 } ],\n"
	    "  \"AuthMechanism\": 31,\n"
	    "  \"TransportRole\": 16384,\n"
	    "  \"ProtocolLoggingLevel\": 1,\n"
	    "  \"RequireTLS\": false,\n"
	    "  \"Enabled\": true,\n"
	    "  \"TlsCertificateName\": { \"CertificateIssuer\": \"" DIGICERT "\","
	    " \"CertificateSubject\": \"" SUBJ "\" },\n"
	    "  \"TlsDomainCapabilities\": [ \"contoso.mail.onmicrosoft.com:AcceptCloudServicesMail\" ],\n"
	    "  \"WhenChanged\": \"2026-11-02T10:00:00+01:00\"\n"
	    "}\n";
	const char ts[] =
	    "{ \"value\": [ { \"Name\": \"EX03\", \"InternalTransportCertificateThumbprint\": \"" TP2 "\","
	    " \"SendProtocolLogPath\": { \"PathName\": \"D:\\\\Logs\\\\Send\", \"IsLocalFull\": true },"
	    " \"ReceiveProtocolLogPath\": null,"
	    " \"IntraOrgConnectorProtocolLoggingLevel\": \"None\" } ], \"Count\": 1 }";
	const char sc[] =
	    "[{ \"Name\": \"Outbound to Office 365\", \"AddressSpaces\": [ { \"Type\": \"SMTP\","
	    " \"Address\": \"*\", \"Cost\": 1 } ], \"SmartHosts\": [ { \"Domain\": "
	    "\"contoso-com.mail.protection.outlook.com\", \"IsIPAddress\": false } ],"
	    " \"SourceTransportServers\": [ { \"Name\": \"EX03\", \"DistinguishedName\": \"CN=EX03,...\" },"
	    " \"EX04.contoso.com\" ], \"TlsAuthLevel\": 4, \"RequireTLS\": true,"
	    " \"Enabled\": true, \"ProtocolLoggingLevel\": \"Verbose\" }]";
	struct evidence				 ev;
	const struct ev_receive_connector	*r;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_json(&ev, "rc.json", rc, sizeof rc - 1), 1);
	r = find_rc(&ev, "EX03", "Default Frontend EX03");
	assert_true(r->bindings_known);
	assert_int_equal(r->bindings.n, 2);
	assert_string_equal(r->bindings.v[0], "[::]:25");
	assert_string_equal(r->bindings.v[1], "0.0.0.0:25");
	assert_int_equal(r->auth_mechanism.n, 5);
	assert_string_equal(r->auth_mechanism.v[0], "Tls");
	assert_string_equal(r->transport_role, "FrontendTransport");
	assert_string_equal(r->protocol_logging_level, "Verbose");
	assert_string_equal(r->tls_certificate_name, "<I>" DIGICERT "<S>" SUBJ);
	assert_string_equal(r->tls_domain_capabilities,
	    "contoso.mail.onmicrosoft.com:AcceptCloudServicesMail");
	assert_int_equal(ingest_json(&ev, "ts.json", ts, sizeof ts - 1), 1);
	assert_int_equal(ev.ntransport, 1);
	assert_string_equal(ev.transport[0].send_protocol_log_path, "D:\\Logs\\Send");
	assert_null(ev.transport[0].receive_protocol_log_path);
	assert_string_equal(ev.transport[0].intra_org_connector_protocol_logging_level,
	    "None");
	assert_int_equal(ingest_json(&ev, "sc.json", sc, sizeof sc - 1), 1);
	assert_int_equal(ev.nsendc, 1);
	assert_string_equal(ev.sendc[0].address_spaces.v[0], "SMTP:*;1");
	assert_string_equal(ev.sendc[0].smart_hosts.v[0],
	    "contoso-com.mail.protection.outlook.com");
	assert_int_equal(ev.sendc[0].source_servers.n, 2);
	assert_string_equal(ev.sendc[0].source_servers.v[0], "EX03");
	assert_string_equal(ev.sendc[0].source_servers.v[1], "EX04");
	assert_string_equal(ev.sendc[0].tls_auth_level, "DomainValidation");
	evidence_free(&ev);
}

/* Get-WinEvent | ConvertTo-Json, cut short: what was complete is kept. */
static void
test_json_events_truncated(void **state)
{
	const char text[] =
	    "[\n"
	    " {\"Id\": 12016, \"TimeCreated\": \"\\/Date(1762726443000)\\/\", \"Level\": 2,"
	    " \"ProviderName\": \"MSExchangeTransport\", \"MachineName\": \"EX05.contoso.com\","
	    " \"Message\": \"The STARTTLS certificate has expired.\"},\n"
	    " {\"Id\": 4625, \"TimeCreated\": \"\\/Date(1762726444000)\\/\","
	    " \"ProviderName\": \"Microsoft-Windows-Security-Auditing\"},\n"
	    " {\"Id\": 12014, \"TimeCreated\": \"\\/Date(17627";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_json(&ev, "ev.json", text, sizeof text - 1), 1);
	assert_int_equal(ev.nevents, 1);
	assert_int_equal(ev.events[0].id, 12016);
	assert_string_equal(ev.events[0].level, "Error");
	assert_string_equal(ev.events[0].server, "EX05");
	assert_int_equal(ev.events[0].time, 1762726443);
	assert_true(diag_has(&ev, DIAG_ERROR, "malformed JSON at line 4", NULL));
	assert_true(diag_has(&ev, DIAG_INFO, "1 event(s)", NULL));
	evidence_free(&ev);
}

static void
test_json_not_ours(void **state)
{
	const char text[] = "[{\"ProcessName\": \"w3wp\", \"Id\": 4242}, 7]";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_json(&ev, "p.json", text, sizeof text - 1), 0);
	assert_true(diag_has(&ev, DIAG_INFO, "ProcessName", "not one certtrail reads"));
	assert_true(diag_has(&ev, DIAG_INFO, "1 top-level value", NULL));
	assert_int_equal(ingest_json(&ev, "bad.json", "{\"a\" 1}", 7), -1);
	assert_true(diag_has(&ev, DIAG_ERROR, "malformed JSON at line 1", "':'"));
	evidence_free(&ev);
}

/* ------------------------------------------------------- twins and real */

/* The same receive connector and transport service in four formats. */
static void
test_twins_agree(void **state)
{
	const char fl[] =
	    "Identity              : EX06\\Default EX06\r\n"
	    "Bindings              : {0.0.0.0:2525, [::]:2525}\r\n"
	    "Fqdn                  : EX06.contoso.com\r\n"
	    "AuthMechanism         : Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer\r\n"
	    "RequireTLS            : False\r\n"
	    "ProtocolLoggingLevel  : Verbose\r\n"
	    "TransportRole         : HubTransport\r\n"
	    "Enabled               : True\r\n";
	const char csv[] =
	    "\"Identity\",\"Bindings\",\"Fqdn\",\"AuthMechanism\",\"RequireTLS\",\"ProtocolLoggingLevel\",\"TransportRole\",\"Enabled\"\n"
	    "\"EX06\\Default EX06\",\"{0.0.0.0:2525, [::]:2525}\",\"EX06.contoso.com\",\"Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer\",\"False\",\"Verbose\",\"HubTransport\",\"True\"\n";
	const char json[] =
	    "{\"Identity\": \"EX06\\\\Default EX06\", \"Bindings\": [\"0.0.0.0:2525\", \"[::]:2525\"],"
	    " \"Fqdn\": \"EX06.contoso.com\", \"AuthMechanism\": 31, \"RequireTLS\": false,"
	    " \"ProtocolLoggingLevel\": 1, \"TransportRole\": 32, \"Enabled\": true}";
	const char *const	 which[] = { "fl", "csv", "json" };
	struct evidence		 ev[3];
	int			 i;

	(void)state;
	for (i = 0; i < 3; i++)
		evidence_init(&ev[i]);
	assert_int_equal(ingest_fl(&ev[0], "rc.txt", fl, sizeof fl - 1), 1);
	assert_int_equal(ingest_csv(&ev[1], "rc.csv", csv, sizeof csv - 1), 1);
	assert_int_equal(ingest_json(&ev[2], "rc.json", json, sizeof json - 1), 1);
	for (i = 0; i < 3; i++) {
		const struct ev_receive_connector *r = find_rc(&ev[i], "EX06",
		    "Default EX06");

		print_message("# %s\n", which[i]);
		assert_int_equal(ev[i].nrecvc, 1);
		assert_int_equal(r->bindings.n, 2);
		assert_string_equal(r->bindings.v[1], "[::]:2525");
		assert_string_equal(r->fqdn, "EX06.contoso.com");
		assert_int_equal(r->auth_mechanism.n, 5);
		assert_int_equal(r->require_tls, TRI_FALSE);
		assert_int_equal(r->enabled, TRI_TRUE);
		assert_string_equal(r->protocol_logging_level, "Verbose");
		assert_string_equal(r->transport_role, "HubTransport");
		assert_int_equal(ev[i].diags.n, 0);
		evidence_free(&ev[i]);
	}
}

/* A cut Format-List list is incomplete until a twin brings the whole list. */
static void
test_cut_bindings_completed_by_twin(void **state)
{
	const char fl[] =
	    "Identity : EX09\\Default EX09\r\n"
	    "Bindings : {0.0.0.0:25, [::]:25, 0.0.0.0:2525, [::]:2525...}\r\n";
	const char json[] =
	    "{\"Identity\": \"EX09\\\\Default EX09\", \"Bindings\": [\"0.0.0.0:25\","
	    " \"[::]:25\", \"0.0.0.0:2525\", \"[::]:2525\", \"10.0.0.5:587\"]}";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "rc.txt", fl, sizeof fl - 1), 1);
	assert_true(ev.recvc[0].bindings_known);
	assert_true(ev.recvc[0].bindings_incomplete);
	assert_int_equal(ev.recvc[0].bindings.n, 4);
	assert_int_equal(ingest_json(&ev, "rc.json", json, sizeof json - 1), 1);
	assert_int_equal(ev.nrecvc, 1);
	assert_false(ev.recvc[0].bindings_incomplete);
	assert_int_equal(ev.recvc[0].bindings.n, 5);
	assert_string_equal(ev.recvc[0].bindings.v[4], "10.0.0.5:587");
	assert_int_equal(ev.recvc[0].sources.n, 2);
	evidence_free(&ev);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/*
 * The real Get-ReceiveConnector export (CSS-Exchange test data): five
 * connectors, values checked against the file read with another XML tool.
 */
static void
test_real_receive_connectors(void **state)
{
	static const char *const names[] = {
		"Client Frontend WIN-CTD3L0RGEN4", "Client Proxy WIN-CTD3L0RGEN4",
		"Default Frontend WIN-CTD3L0RGEN4", "Default WIN-CTD3L0RGEN4",
		"Outbound Proxy Frontend WIN-CTD3L0RGEN4"
	};
	struct evidence				 ev;
	const struct ev_receive_connector	*r;
	char					*raw, *text;
	size_t					 len, tlen, i;

	(void)state;
	raw = slurp(TESTDATA_DIR "/realdata/CSS-Exchange_HC_GetReceiveConnector.xml",
	    &len);
	text = text_to_utf8((unsigned char *)raw, len, &tlen, NULL, NULL);
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "rc.xml", text, tlen), 5);
	evidence_finish(&ev);
	assert_int_equal(ev.nrecvc, 5);
	for (i = 0; i < 5; i++) {
		assert_string_equal(ev.recvc[i].name, names[i]);
		assert_string_equal(ev.recvc[i].server, "WIN-CTD3L0RGEN4");
		assert_string_equal(ev.recvc[i].fqdn, "WIN-CTD3L0RGEN4.exlab.dom");
		assert_int_equal(ev.recvc[i].require_tls, TRI_FALSE);
		assert_int_equal(ev.recvc[i].enabled, TRI_TRUE);
		assert_int_equal(ev.recvc[i].bindings.n, 2);
	}
	r = find_rc(&ev, "WIN-CTD3L0RGEN4", "Default Frontend WIN-CTD3L0RGEN4");
	assert_string_equal(r->tls_certificate_name,
	    "<I>CN=WIN-CTD3L0RGEN4<S>CN=WIN-CTD3L0RGEN4");
	assert_string_equal(r->protocol_logging_level, "Verbose");
	assert_string_equal(r->transport_role, "FrontendTransport");
	assert_string_equal(r->bindings.v[0], "[::]:25");
	r = find_rc(&ev, "WIN-CTD3L0RGEN4", "Default WIN-CTD3L0RGEN4");
	assert_null(r->tls_certificate_name);
	assert_string_equal(r->transport_role, "HubTransport");
	assert_string_equal(r->bindings.v[0], "0.0.0.0:2525");
	r = find_rc(&ev, "WIN-CTD3L0RGEN4", "Client Frontend WIN-CTD3L0RGEN4");
	assert_int_equal(r->auth_mechanism.n, 4);
	assert_string_equal(r->auth_mechanism.v[3], "BasicAuthRequireTLS");
	assert_int_equal(ev.diags.n, 0);
	evidence_free(&ev);
	free(text);
	free(raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_mappers),
		cmocka_unit_test(test_csv_tokenizer),
		cmocka_unit_test(test_csv_bounds),
		cmocka_unit_test(test_csv_certs_51),
		cmocka_unit_test(test_csv_receive_connectors_7),
		cmocka_unit_test(test_csv_tab_queue_transport),
		cmocka_unit_test(test_csv_events),
		cmocka_unit_test(test_csv_not_ours),
		cmocka_unit_test(test_csv_order_from_neighbours),
		cmocka_unit_test(test_json_parser),
		cmocka_unit_test(test_json_certs_51),
		cmocka_unit_test(test_json_connectors_7),
		cmocka_unit_test(test_json_events_truncated),
		cmocka_unit_test(test_json_not_ours),
		cmocka_unit_test(test_twins_agree),
		cmocka_unit_test(test_cut_bindings_completed_by_twin),
		cmocka_unit_test(test_real_receive_connectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

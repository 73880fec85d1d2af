/*
 * The format table (formats.c): every row bids on realistic entries and the
 * right one wins; the certificate table view (ingest_table.c) gives
 * thumbprints and services, and a cut subject that never matches a
 * TlsCertificateName.
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
#include "formats/ingest.h"
#include "rules/rules.h"
#include "formats/formats.h"
#include "util/text.h"

/* What `Get-ExchangeCertificate > certs.txt` writes on a narrow console. */
static const char table_text[] =
    "\r\n"
    "Thumbprint                                Services   Subject\r\n"
    "----------                                --------   -------\r\n"
    "6F029E0D20605DB27016B787C4503FD0002C0A11  IP.WS..    CN=mail.contoso.com, OU=IT, O=Contoso, L=Redmond, S=Wash...\r\n"
    "2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7  .......    CN=Microsoft Exchange Server Auth Certificate\r\n"
    "611c687dfc4343a5a03e0005a1ec6e9b6aff586d  IP.W...    CN=WIN-CTD3L0RGEN4\r\n"
    "\r\n"
    "[PS] C:\\>Get-ExchangeCertificate -Server EXB\r\n"
    "\r\n"
    "Thumbprint                                Services   Subject\r\n"
    "----------                                --------   -------\r\n"
    "03221367D3A3E863698501592A9B9C420D8D3F4E  ....S..    CN=localhost, O=Contoso Pty Ltd, L=Sydney, S=New South Wal\xE2\x80\xA6\r\n"
    "E267D459A0FB53D0EF225C11FAC062D522648C09  XY.....    CN=localhost\r\n"
    "not-a-thumbprint                          IP.WS..    CN=broken\r\n"
    "\r\n";

/* The row the pipeline would choose for an entry (pipeline.c's order). */
static const struct format *
choose(const char *path, const void *data, size_t len, struct sniff_text *st,
    char **text)
{
	struct ingest_entry	 in;
	const struct format	*f = NULL;

	memset(&in, 0, sizeof in);
	in.path = path;
	in.data = data;
	in.len = len;
	*text = NULL;
	if (bundle_is_archive(data, len))
		return NULL;
	if ((f = format_choose(&in)) != NULL || sniff_binary(data, len))
		return f;
	*text = text_to_utf8(data, len, &in.text_len, NULL, NULL);
	in.text = *text;
	sniff_text(in.text, in.text_len, st);
	in.sniff = st;
	return format_choose(&in);
}

static const char *
chosen_name(const char *path, const void *data, size_t len)
{
	struct sniff_text	 st;
	const struct format	*fmt;
	char			*text;

	fmt = choose(path, data, len, &st, &text);
	free(text);
	return fmt != NULL ? fmt->name : "none";
}

static void
test_bids(void **state)
{
	static const char fl[] =
	    "Thumbprint : 6F029E0D20605DB27016B787C4503FD0002C0A11\r\n"
	    "Services   : IMAP, POP, IIS, SMTP\r\n";
	static const char log[] =
	    "#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n"
	    "#Log-type: SMTP Send Protocol Log\r\n"
	    "#Fields: date-time,connector-id,session-id,sequence-number,"
	    "local-endpoint,remote-endpoint,event,data,context\r\n";
	static const char clixml[] = "<Objs Version=\"1.1.0.1\" xmlns=\""
	    "http://schemas.microsoft.com/powershell/2004/04\"></Objs>";
	static const char pem7[] = "-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n";
	static const char csv[] = "#TYPE Microsoft.Exchange.Foo\n\"A\",\"B\"\n";
	static const char json[] = "[\n  {\n    \"Thumbprint\": \"6F02\"\n  }\n]\n";
	static const char prose[] = "Customer says mail to partner stopped.\n";
	unsigned char	 p7[80], zip[] = "PK\003\004rest of a zip";

	(void)state;
	assert_string_equal(chosen_name("certs.txt", table_text,
	    sizeof table_text - 1), "table-view");
	assert_string_equal(chosen_name("certs.txt", fl, sizeof fl - 1),
	    "format-list");
	assert_string_equal(chosen_name("x.LOG", log, sizeof log - 1),
	    "protocol-log");
	assert_string_equal(chosen_name("x.xml", clixml, sizeof clixml - 1),
	    "clixml");
	assert_string_equal(chosen_name("chain.p7b", pem7, sizeof pem7 - 1),
	    "x509-pem");
	assert_string_equal(chosen_name("x.csv", csv, sizeof csv - 1), "csv");
	assert_string_equal(chosen_name("x.json", json, sizeof json - 1), "json");
	assert_string_equal(chosen_name("notes.txt", prose, sizeof prose - 1),
	    "text");
	assert_string_equal(chosen_name("nested.zip", zip, sizeof zip - 1), "none");
	/* A DER .p7b: ContentInfo with the signedData OID. */
	memset(p7, 0, sizeof p7);
	memcpy(p7, "\x30\x4e\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\xa0",
	    14);
	assert_string_equal(chosen_name("chain.p7b", p7, sizeof p7), "x509-der");
	/* Another OID (PKCS#12, data) is no certificate file. */
	p7[12] = 0x01;
	assert_string_not_equal(chosen_name("chain.p7b", p7, sizeof p7),
	    "x509-der");
	assert_string_equal(format_sniff_text(table_text, sizeof table_text - 1),
	    "table-view");
}

static const struct ev_cert *
find(const struct evidence *ev, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].thumbprint != NULL &&
		    strcmp(ev->certs[i].thumbprint, tp) == 0)
			return &ev->certs[i];
	return NULL;
}

static bool
has_diag(const struct evidence *ev, const char *needle)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++)
		if (strstr(ev->diags.v[i].message, needle) != NULL)
			return true;
	return false;
}

static void
test_table_view(void **state)
{
	struct evidence		 ev;
	const struct ev_cert	*c;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_table(&ev, "case/EXA_certs.txt", table_text,
	    sizeof table_text - 1), 6);
	assert_true(ev.saw_cert_dump);
	c = find(&ev, "6F029E0D20605DB27016B787C4503FD0002C0A11");
	assert_non_null(c);
	assert_int_equal(c->services, SVC_IMAP | SVC_POP | SVC_IIS | SVC_SMTP);
	assert_true(c->subject_incomplete);
	assert_string_equal(c->subject, "CN=mail.contoso.com, OU=IT, O=Contoso, "
	    "L=Redmond, S=Wash...");
	assert_int_equal(c->ref.line, 4);
	assert_null(c->server);
	assert_int_equal(c->not_after, TIME_UNKNOWN);
	c = find(&ev, "2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7");
	assert_int_equal(c->services, 0);
	assert_false(c->subject_incomplete);
	assert_int_equal(find(&ev, "611C687DFC4343A5A03E0005A1EC6E9B6AFF586D")->
	    services, SVC_IMAP | SVC_POP | SVC_IIS);
	c = find(&ev, "03221367D3A3E863698501592A9B9C420D8D3F4E");
	assert_int_equal(c->services, SVC_SMTP);
	assert_true(c->subject_incomplete);	/* PowerShell 7's ellipsis */
	c = find(&ev, "E267D459A0FB53D0EF225C11FAC062D522648C09");
	assert_int_equal(c->services, SERVICES_UNKNOWN);
	assert_true(has_diag(&ev, "line 13: services \"XY.....\""));
	/* The row whose thumbprint is not one is kept, said so. */
	assert_true(has_diag(&ev, "line 14: thumbprint \"not-a-thumbprint\""));
	assert_null(ev.certs[5].thumbprint);
	assert_string_equal(ev.certs[5].subject, "CN=broken");
	/* The prompt above the second table names its server. */
	assert_string_equal(find(&ev, "E267D459A0FB53D0EF225C11FAC062D522648C09")->
	    server, "EXB");
	evidence_free(&ev);
}

/*
 * The table views as pasted into a ticket: no dashes line, blank lines
 * between the rows, thumbprints masked; and Get-Queue's and
 * Get-SendConnector's views, their cut values unknown.
 */
static void
test_table_view_pasted(void **state)
{
	static const char certs[] =
	    "[PS] C:\\Windows\\system32>Get-ExchangeCertificate\n"
	    "\n"
	    "Thumbprint                                Services   Subject\n"
	    "\n"
	    "79102C505AD17B79CA***3106B478751926A6435  ...WS..    CN=mail.f...\n"
	    "\n"
	    "7A3B****...F1                             IP.WS..    CN=mail.fabrikam.com\n"
	    "\n"
	    "9E6B3CEBA2E54EC7D1841ACC7BAA0781FD878BC4  ....S..    CN=Micro...\n"
	    "\n"
	    "Customer: the rows above are all we have.\n";
	static const char queues[] =
	    "Identity             DeliveryType Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain\n"
	    "--------             ------------ ------ ------------ -------- --------- -------------- -------------\n"
	    "EX07\\7               SmartHost... Retry  331          0        Normal    0              contoso-de.mail.protecti...\n"
	    "EX07\\9               DnsConne... Ready  0            0        Normal    0              partner.example\n";
	static const char sendc[] =
	    "Identity                  AddressSpaces                       Enabled\n"
	    "--------                  -------------                       -------\n"
	    "Outbound to Office 365    {SMTP:*;1}                          True\n"
	    "Partner TLS               {SMTP:partner.example;1}            False\n";
	struct evidence		 ev;

	(void)state;
	assert_string_equal(chosen_name("certs.txt", certs, sizeof certs - 1),
	    "table-view");
	assert_string_equal(chosen_name("q.txt", queues, sizeof queues - 1),
	    "table-view");
	evidence_init(&ev);
	assert_int_equal(ingest_table(&ev, "certs.txt", certs, sizeof certs - 1), 3);
	assert_null(ev.certs[0].thumbprint);
	assert_string_equal(ev.certs[0].thumbprint_masked,
	    "79102C505AD17B79CA***3106B478751926A6435");
	assert_int_equal(ev.certs[0].services, SVC_IIS | SVC_SMTP);
	assert_true(ev.certs[0].subject_incomplete);
	assert_null(ev.certs[1].thumbprint);
	assert_string_equal(ev.certs[1].thumbprint_masked, "7A3B****...F1");
	assert_int_equal(ev.certs[1].services, SVC_IMAP | SVC_POP | SVC_IIS |
	    SVC_SMTP);
	assert_string_equal(ev.certs[2].thumbprint,
	    "9E6B3CEBA2E54EC7D1841ACC7BAA0781FD878BC4");
	assert_true(has_diag(&ev, "line 5: 2 thumbprints masked"));
	assert_false(has_diag(&ev, "not a row"));
	evidence_free(&ev);

	evidence_init(&ev);
	assert_int_equal(ingest_table(&ev, "q.txt", queues, sizeof queues - 1), 2);
	assert_int_equal(ev.nqueues, 2);
	assert_string_equal(ev.queues[0].identity, "EX07\\7");
	assert_string_equal(ev.queues[0].server, "EX07");
	assert_string_equal(ev.queues[0].status, "Retry");
	assert_int_equal(ev.queues[0].message_count, 331);
	assert_null(ev.queues[0].next_hop_domain);	/* cut */
	assert_null(ev.queues[0].delivery_type);	/* cut */
	assert_null(ev.queues[0].last_error);
	assert_string_equal(ev.queues[1].next_hop_domain, "partner.example");
	assert_true(has_diag(&ev, "cut at the console width"));
	assert_int_equal(ingest_table(&ev, "s.txt", sendc, sizeof sendc - 1), 2);
	assert_int_equal(ev.nsendc, 2);
	evidence_free(&ev);
}

/*
 * Get-Queue as engineers paste it: a row re-spaced so that its words no
 * longer sit under their headers (a cut DeliveryType one column short pulls
 * the rest left), and the columns picked with Format-Table, LastError cut.
 */
static void
test_table_view_queues_respaced_and_picked(void **state)
{
	static const char respaced[] =
	    "[PS] C:\\Windows\\system32>Get-Queue -Server FREX02\r\n"
	    "\r\n"
	    "Identity             DeliveryType Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain\r\n"
	    "--------             ------------ ------ ------------ -------- --------- -------------- -------------\r\n"
	    "FREX02\\21            SmartHo... Retry  412          0        Normal    0              adatum-com.mail.protection.outlook.com\r\n"
	    "FREX02\\Submission    Undefined    Ready  0            0        Normal    0              Submission\r\n";
	static const char picked[] =
	    "[PS] C:\\Windows\\system32>Get-Queue -Server FREX02 | ft Identity,Status,MessageCount,NextHopDomain,LastError\r\n"
	    "\r\n"
	    "Identity        Status MessageCount NextHopDomain                          LastError\r\n"
	    "--------        ------ ------------ -------------                          ---------\r\n"
	    "FREX02\\21       Retry           412 adatum-com.mail.protection.outlook.com 451 4.4.0 Primary target IP address responded with: \"421 4.4.1 Connection timed out.\" Atte...\r\n"
	    "FREX02\\Shado... Ready             0 frex01.adatum.local\r\n";
	static const char cut_status[] =
	    "Identity   Status MessageCount\n"
	    "--------   ------ ------------\n"
	    "EX07\\7    Retr...           12\n";
	static const char odd_status[] =
	    "Identity      : EX07\\8\n"
	    "DeliveryType  : SmartHostConnectorDelivery\n"
	    "Status        : Retr...\n"
	    "MessageCount  : 12\n";
	struct evidence		 ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_table(&ev, "q.txt", respaced,
	    sizeof respaced - 1), 2);
	assert_string_equal(ev.queues[0].identity, "FREX02\\21");
	assert_string_equal(ev.queues[0].status, "Retry");
	assert_int_equal(ev.queues[0].message_count, 412);
	assert_string_equal(ev.queues[0].next_hop_domain,
	    "adatum-com.mail.protection.outlook.com");
	assert_null(ev.queues[0].delivery_type);	/* cut */
	assert_string_equal(ev.queues[1].status, "Ready");
	assert_int_equal(ev.queues[1].message_count, 0);
	assert_true(has_diag(&ev, "line 5: 1 row whose words do not sit under "
	    "the headers"));
	evidence_free(&ev);

	assert_string_equal(chosen_name("q.txt", picked, sizeof picked - 1),
	    "table-view");
	evidence_init(&ev);
	assert_int_equal(ingest_table(&ev, "q.txt", picked, sizeof picked - 1),
	    2);
	assert_string_equal(ev.queues[0].status, "Retry");
	assert_int_equal(ev.queues[0].message_count, 412);
	assert_string_equal(ev.queues[0].last_error, "451 4.4.0 Primary target "
	    "IP address responded with: \"421 4.4.1 Connection timed out.\" "
	    "Atte...");
	/* The identity cut at the column's width is unknown, not made up. */
	assert_null(ev.queues[1].identity);
	assert_string_equal(ev.queues[1].status, "Ready");
	assert_false(has_diag(&ev, "re-spaced"));
	evidence_free(&ev);

	/* A status cut short is no status: unknown, and said. */
	evidence_init(&ev);
	assert_int_equal(ingest_table(&ev, "q.txt", cut_status,
	    sizeof cut_status - 1), 1);
	assert_null(ev.queues[0].status);
	assert_int_equal(ev.queues[0].message_count, 12);
	assert_true(has_diag(&ev, "cut at the console width"));
	assert_int_equal(ingest_fl(&ev, "fl.txt", odd_status,
	    sizeof odd_status - 1), 1);
	assert_null(ev.queues[1].status);
	assert_true(has_diag(&ev, "line 3: Status \"Retr...\" is not one "
	    "Get-Queue prints"));
	evidence_free(&ev);
}

/* A cut subject never matches; a whole one from a twin replaces it. */
static void
test_cut_subject_never_matches(void **state)
{
	static const char one[] =
	    "Thumbprint                                Services   Subject\n"
	    "----------                                --------   -------\n"
	    "6F029E0D20605DB27016B787C4503FD0002C0A11  ....S..    CN=mail.contoso.com, O=Con...\n";
	const char	*name = "<I>CN=R3, O=Let's Encrypt, C=US<S>CN=mail.contoso.com";
	struct evidence	 ev;
	struct cert_set	 m;
	struct ev_cert	 whole;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_table(&ev, "EXA/certs.txt", one, sizeof one - 1), 1);
	ev.certs[0].issuer = xstrdup("CN=R3, O=Let's Encrypt, C=US");
	free(ev.certs[0].subject);
	ev.certs[0].subject = xstrdup("CN=mail.contoso.com");	/* as if cut there */
	evidence_finish(&ev);
	memset(&m, 0, sizeof m);
	certs_matching_name(&ev, NULL, name, &m);
	assert_int_equal(m.n, 0);
	cert_set_free(&m);
	/* The CliXml twin carries the whole subject. */
	ev_cert_init(&whole);
	whole.server = (char *)"EXA";
	whole.thumbprint = (char *)"6F029E0D20605DB27016B787C4503FD0002C0A11";
	whole.subject = (char *)"CN=mail.contoso.com";
	whole.ref.source = (char *)"EXA/certs.xml";
	evidence_add_cert(&ev, &whole);
	/* Attribution (folder EXA) makes them twins. */
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 1);
	assert_int_equal(ev.certs[0].sources.n, 2);
	assert_false(ev.certs[0].subject_incomplete);
	memset(&m, 0, sizeof m);
	certs_matching_name(&ev, "EXA", name, &m);
	assert_int_equal(m.n, 1);
	cert_set_free(&m);
	evidence_free(&ev);
}

/*
 * A queue's LastError pasted alone is a queue whose identity, server and
 * status are unknown; prose that merely quotes a code is not.
 */
static void
test_queue_error_alone(void **state)
{
	static const char one[] =
	    "451 4.4.0 Primary target IP address responded with: \"421 4.4.1 "
	    "Connection timed out.\" Attempted failover to alternate host, but "
	    "that did not succeed.\n";
	static const char prose[] =
	    "The queue shows 451 4.4.0 since Monday.\n";
	struct sniff_text	 st;
	struct ingest_entry	 in;
	struct ingest_ctx	 ctx;
	struct evidence		 ev;
	const struct format	*fmt;
	char			*text;

	(void)state;
	assert_string_equal(chosen_name("lasterror.txt", prose,
	    sizeof prose - 1), "text");
	fmt = choose("lasterror.txt", one, sizeof one - 1, &st, &text);
	assert_non_null(fmt);
	assert_string_equal(fmt->name, "queue-error");
	evidence_init(&ev);
	ingest_ctx_init(&ctx, &ev);
	memset(&in, 0, sizeof in);
	in.path = "lasterror.txt";
	in.text = text;
	in.text_len = strlen(text);
	in.sniff = &st;
	assert_int_equal(fmt->ingest(&ctx, &in), 1);
	assert_int_equal(ev.nqueues, 1);
	assert_null(ev.queues[0].identity);
	assert_null(ev.queues[0].status);
	assert_non_null(strstr(ev.queues[0].last_error, "421 4.4.1 Connection "
	    "timed out"));
	assert_true(has_diag(&ev, "LastError pasted alone"));
	ingest_ctx_free(&ctx);
	evidence_free(&ev);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bids),
		cmocka_unit_test(test_table_view),
		cmocka_unit_test(test_table_view_pasted),
		cmocka_unit_test(test_table_view_queues_respaced_and_picked),
		cmocka_unit_test(test_queue_error_alone),
		cmocka_unit_test(test_cut_subject_never_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

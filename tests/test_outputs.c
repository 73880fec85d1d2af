/*
 * The HTML and workbook renderers: a report built by hand, full of hostile
 * strings, written to a temporary directory and read back (the workbook with
 * libarchive, as the zip it is).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>

#include "util/datetime.h"
#include "output/html_writer.h"
#include "output/report.h"
#include "output/server_grid.h"
#include "output/summary.h"
#include "rules/verdict.h"
#include "util/text.h"
#include "util/util.h"
#include "model/kinds/cert.h"
#include "model/kinds/queue.h"
#include "model/kinds/send_connector.h"

#define SCRIPT		"<script>alert(1)</script>"
#define SCRIPT_ESC	"&lt;script&gt;alert(1)&lt;/script&gt;"
#define FORMULA		"=HYPERLINK(\"x\")"
#define BAD_UTF8	"bad \xff\xfe bytes \xc3("
#define TP_NEW		"6F029E0D20605DB27016B787C4503FD0002C0A11"
#define TP_OLD		"0A1B2C3D4E5F60718293A4B5C6D7E8F901234567"
#define TP_UNKNOWN	"03221367D3A3E863698501592A9B9C420D8D3F4E"
#define LOG_PATH	"EX01-1110.zip/Logs/SmtpSend/SEND20261103-1.LOG"
#define QUEUE_PATH	"EX01-1110.zip/Exchange_Server_Data/EXHUB1_InstantQueueInfo.txt"
#define ROOT_TITLE	"SMTP is not enabled on the certificate EXHUB1 presents"
#define LONG_LEN	40000

struct fixture {
	char			 dir[64];
	struct evidence		 ev;
	struct findings		 fs;
	struct gap_list		 gaps;
	struct report		 r;
	char			*longtext;
};

/* ---------------------------------------------------------------- helpers */

static char *
path_in(const struct fixture *fx, const char *name)
{
	return xasprintf("%s/%s", fx->dir, name);
}

static char *
file_read(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*data;
	long	 n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	data = xmalloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	data[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return data;
}

static const char *
find_ci(const char *hay, const char *needle)
{
	return ascii_strcasestr(hay, needle);
}

/* One member of a zip file, or NULL when absent. */
static char *
zip_member(const char *zip, const char *name, size_t *len)
{
	struct archive		*a = archive_read_new();
	struct archive_entry	*e;
	struct buf		 b;
	char			 chunk[8192];
	la_ssize_t		 n;
	char			*out = NULL;

	archive_read_support_format_zip(a);
	assert_int_equal(archive_read_open_filename(a, zip, 16384), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), name) != 0)
			continue;
		buf_init(&b, 64 * 1024 * 1024);
		while ((n = archive_read_data(a, chunk, sizeof chunk)) > 0)
			assert_int_equal(buf_append(&b, chunk, (size_t)n), 0);
		assert_true(n == 0);
		out = buf_steal(&b, len);
		break;
	}
	archive_read_free(a);
	return out;
}

/* ---------------------------------------------------------------- fixture */

static void
add_cert(struct evidence *ev, const char *tp, const char *subject,
    int services, int64_t nb, int64_t na, const char *source)
{
	struct ev_cert	c;

	ev_cert_init(&c);
	c.server = "EXHUB1.contoso.com";
	c.thumbprint = (char *)tp;
	c.subject = (char *)subject;
	c.issuer = "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US";
	c.not_before = nb;
	c.not_after = na;
	c.services = services;
	c.status = services == SERVICES_UNKNOWN ? NULL : "Valid";
	c.has_private_key = services == SERVICES_UNKNOWN ? TRI_UNKNOWN :
	    TRI_TRUE;
	c.self_signed = TRI_FALSE;
	c.key_bits = 2048;
	c.ref.source = (char *)source;
	c.ref.line = 3;
	strlist_add(&c.sources, source);
	strlist_add(&c.domains, "mail.contoso.com");
	strlist_add(&c.domains, "autodiscover.contoso.com");
	c.domains_known = true;
	assert_non_null(evidence_add_cert(ev, &c));
	strlist_free(&c.sources);
	strlist_free(&c.domains);
}

static void
fixture_evidence(struct fixture *fx)
{
	struct evidence			*ev = &fx->ev;
	struct ev_send_connector	 sc;
	struct ev_queue			 q;
	struct ev_tls_event		 te;
	struct input_info		 in;
	struct manifest_entry		 me;
	int64_t				 t;

	evidence_init(ev);
	assert_true(date_parse_iso("2026-11-03T14:12:09Z", &t));
	add_cert(ev, TP_NEW, "CN=mail.contoso.com, O=Contoso, S=Washington, C=US",
	    SVC_IMAP | SVC_POP | SVC_IIS, t - 86400, t + 365 * 86400,
	    "EX01-1110.zip/certs.txt");
	add_cert(ev, TP_OLD, "CN=mail.contoso.com, O=Contoso, S=Washington, C=US",
	    SVC_IMAP | SVC_POP | SVC_IIS | SVC_SMTP, t - 400 * 86400, t - 86400,
	    "EX01-1110.zip/certs.txt");
	add_cert(ev, TP_UNKNOWN, "CN=" SCRIPT, SERVICES_UNKNOWN,
	    TIME_UNKNOWN, TIME_UNKNOWN, "EX01-1110.zip/certs.xml");

	ev_send_connector_init(&sc);
	sc.name = "Outbound to Office 365 \"<b>&'";
	sc.enabled = TRI_TRUE;
	strlist_add(&sc.source_servers, "EXHUB1");
	sc.source_servers_known = true;
	sc.fqdn = "mail.contoso.com";
	sc.tls_certificate_name = "<I>CN=DigiCert Global G2 TLS RSA SHA256 "
	    "2020 CA1, O=DigiCert Inc, C=US<S>CN=mail.contoso.com, O=Contoso, "
	    "S=Washington, C=US";
	sc.require_tls = TRI_TRUE;
	sc.protocol_logging_level = "Verbose";
	strlist_add(&sc.sources, "EX01-1110.zip/Connectors/Send_Connectors.xml");
	assert_non_null(evidence_add_send_connector(ev, &sc));
	strlist_free(&sc.source_servers);
	strlist_free(&sc.sources);

	ev_queue_init(&q);
	q.identity = "EXHUB1\\12";
	q.server = "EXHUB1";
	q.delivery_type = "SmartHostConnectorDelivery";
	q.next_hop_domain = "contoso-com.mail.protection.outlook.com";
	q.status = "Retry";
	q.message_count = 42;
	q.last_error = "451 4.4.0 Primary target IP address responded with: "
	    "\"421 4.4.1 Connection timed out.\"";
	q.last_retry_time = t + 3600;
	q.ref.source = QUEUE_PATH;
	q.ref.line = 12;
	assert_non_null(evidence_add_queue(ev, &q));

	memset(&te, 0, sizeof te);
	te.log_source = LOG_PATH;
	te.connector = "Outbound to Office 365";
	te.cert_thumbprint = TP_NEW;
	te.ok = false;
	te.error = "UnknownCredentials";
	te.time = t;
	te.line = 27;
	te.text = "2026-11-03T14:12:09.000Z,Outbound to Office 365,08D50D3D9730A8D2,"
	    "21,10.10.248.7:16547,216.32.181.234:25,*,,TLS negotiation failed "
	    "with error UnknownCredentials";
	evidence_add_tls(ev, &te);
	ev->logs.files = 1;
	ev->logs.rows = 2400;
	ev->logs.sessions = 160;
	ev->logs.tls_failed = 160;
	ev->logs.tls_ok = 0;
	ev->logs.first = t;
	ev->logs.last = t + 7 * 86400;

	memset(&in, 0, sizeof in);
	in.path = "EX01-1110.zip";
	memset(in.sha256, 'a', 64);
	in.bytes = 123456;
	evidence_add_input(ev, &in);
	memset(&me, 0, sizeof me);
	me.path = "EX01-1110.zip/certs.txt";
	memset(me.sha256, 'b', 64);
	me.bytes = 2048;
	me.kind = "format-list";
	me.mtime = t;
	evidence_add_entry(ev, &me);
	me.path = "EX01-1110.zip/" SCRIPT ".txt";
	me.mtime = TIME_UNKNOWN;
	evidence_add_entry(ev, &me);

	diag_add(&ev->diags, DIAG_WARNING, "EX01-1110.zip/bomb.zip",
	    "skipped: %s", BAD_UTF8);
	diag_add(&ev->diags, DIAG_ERROR, "EX01-1110.zip/" SCRIPT,
	    "unreadable entry");
}

static void
fixture_findings(struct fixture *fx)
{
	struct finding	*f;

	fx->fs.root_cause = -1;
	f = findings_new(&fx->fs, "smtp-service-not-enabled", SEV_CRITICAL);
	f->title = xstrdup(ROOT_TITLE);
	f->explanation = xstrdup("Transport offers the new certificate, which "
	    "NETWORK SERVICE cannot use because SMTP is not enabled on it. "
	    SCRIPT);
	strlist_add(&f->servers, "EXHUB1");
	strlist_add(&f->connectors, "Outbound to Office 365");
	strlist_add(&f->thumbprints, TP_NEW);
	strlist_add(&f->references, "Microsoft KB 4051498");
	strlist_add(&f->references, "https://learn.microsoft.com/exchange/kb");
	finding_seen(f, 1793715129);
	finding_add_evidence(f, QUEUE_PATH, 12, "451 4.4.0 Primary target IP "
	    "address responded with: \"421 4.4.1 Connection timed out.\"", 1);
	finding_add_evidence(f, LOG_PATH, 27, "TLS negotiation failed with "
	    "error UnknownCredentials " SCRIPT, 160);
	finding_add_step(f, "Check which services the certificate has.",
	    "Get-ExchangeCertificate -Server EXHUB1 -Thumbprint " TP_NEW
	    " | Format-List Services");
	finding_add_step(f, "Enable SMTP on it, keeping the existing services.",
	    "Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint " TP_NEW
	    " -Services IMAP,POP,IIS,SMTP");
	finding_add_step(f, "At the prompt to overwrite the default SMTP "
	    "certificate, answer N.", NULL);
	f->direct_evidence = true;

	f = findings_new(&fx->fs, "tls-cert-name-ambiguous", SEV_HIGH);
	f->title = xstrdup("TlsCertificateName matches two certificates " SCRIPT);
	f->explanation = xstrdup(BAD_UTF8);
	strlist_add(&f->servers, "EXHUB1");
	strlist_add(&f->connectors, "Outbound to Office 365");
	strlist_add(&f->thumbprints, TP_NEW);
	strlist_add(&f->thumbprints, TP_OLD);
	finding_add_evidence(f, "EX01-1110.zip/conn.txt", 4, FORMULA, 1);
	finding_add_evidence(f, "EX01-1110.zip/huge.txt", 0, fx->longtext, 1);
	finding_add_evidence(f, "EX01-1110.zip/bad.txt", 1, BAD_UTF8, 3);
	finding_add_evidence(f, "EX01-1110.zip/certs.xml", 9,
	    "Line1_x000D__x000A_Line2", 1);
	finding_add_step(f, "Clear the connector's TlsCertificateName.",
	    "Set-SendConnector -Identity \"Outbound to Office 365\" "
	    "-TlsCertificateName $null");
	findings_rank(&fx->fs);
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof *fx);
	size_t		 i;

	snprintf(fx->dir, sizeof fx->dir, "/tmp/certtrail-outputs-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	/*
	 * 40,000 bytes, 35,000 characters (more than a cell holds): 30,000
	 * ASCII, then two-byte characters where the cut must fall.
	 */
	fx->longtext = xmalloc(LONG_LEN + 1);
	memset(fx->longtext, 'A', 30000);
	for (i = 30000; i < LONG_LEN; i += 2) {
		fx->longtext[i] = (char)0xc3;
		fx->longtext[i + 1] = (char)0xa9;
	}
	fx->longtext[LONG_LEN] = '\0';
	fixture_evidence(fx);
	fixture_findings(fx);
	gap_add(&fx->gaps, "no Get-ReceiveConnector output",
	    "Get-ReceiveConnector | Export-Clixml C:\\temp\\ReceiveConnectors.xml");
	gap_add(&fx->gaps, "no Get-TransportService output " SCRIPT, NULL);

	fx->r.tool_version = PACKAGE_VERSION;
	fx->r.case_id = "CASE-2611-0042 " SCRIPT;
	fx->r.customer = "Contoso \"Ltd\" & Sons " BAD_UTF8;
	fx->r.analyst = "J. O'Brien";
	assert_true(date_parse_iso("2026-11-10T08:51:12Z", &fx->r.as_of));
	fx->r.as_of_source = "latest log row";
	fx->r.ev = &fx->ev;
	fx->r.findings = &fx->fs;
	fx->r.gaps = &fx->gaps;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	static const char *const names[] = { "a.html", "b.html", "a.xlsx",
	    "b.xlsx", "none.html", "none.xlsx" };
	size_t		 i;
	char		*p;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		p = path_in(fx, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(fx->dir);
	evidence_free(&fx->ev);
	findings_free(&fx->fs);
	gap_list_free(&fx->gaps);
	free(fx->longtext);
	free(fx);
	return 0;
}

static char *
write_html(struct fixture *fx, const char *name, size_t *len)
{
	char	*path = path_in(fx, name), *html;

	assert_int_equal(out_html_write(&fx->r, path), 0);
	html = file_read(path, len);
	free(path);
	return html;
}

/* ------------------------------------------------------------------ tests */

static void
test_services_text(void **state)
{
	char	s[128];

	(void)state;
	services_format(SVC_IMAP | SVC_POP | SVC_IIS | SVC_SMTP, ", ", s, sizeof s);
	assert_string_equal(s, "IMAP, POP, IIS, SMTP");
	services_format(0x7f, ", ", s, sizeof s);
	assert_string_equal(s, "IMAP, POP, UM, IIS, SMTP, Federation, "
	    "UMCallRouter");
	services_format(SVC_SMTP | SVC_IIS, ",", s, sizeof s);
	assert_string_equal(s, "IIS,SMTP");
	services_format(0, ", ", s, sizeof s);
	assert_string_equal(s, "None");
	services_format(SERVICES_UNKNOWN, ", ", s, sizeof s);
	assert_string_equal(s, "unknown");
	assert_string_equal(tri_text(TRI_UNKNOWN), "unknown");
	assert_string_equal(tri_text(TRI_FALSE), "No");
	time_text(TIME_UNKNOWN, s, sizeof s);
	assert_string_equal(s, "unknown");
	time_text(0, s, sizeof s);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
}

static void
test_html_escape_and_template(void **state)
{
	static const char	 tmpl[] = "<p>{{a}}|{{missing}}|{{b}}</p>{{";
	struct html_slot	 slots[] = { { "a", "1", 1 }, { "b", "{{a}}", 5 } };
	struct html		 h;
	char			*e;

	(void)state;
	e = html_escape("a&b<c>d\"e'f", 11);
	assert_string_equal(e, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	free(e);
	/* Invalid bytes become U+FFFD; no control character survives. */
	e = html_escape("x\xffy\x01z", 5);
	assert_non_null(strstr(e, "x\xef\xbf\xbdy"));
	assert_null(strchr(e, '\x01'));
	assert_true(utf8_valid(e, strlen(e)));
	free(e);

	html_init(&h, 1024);
	/* Values are not rescanned: a value holding "{{a}}" stays as is. */
	html_fill_template(&h, tmpl, sizeof tmpl - 1, slots, 2);
	assert_string_equal(h.b.data, "<p>1|{{missing}}|{{a}}</p>{{");
	html_free(&h);

	html_init(&h, 8);
	html_raw(&h, "12345678");
	assert_false(html_overflowed(&h));
	html_text(&h, "9");
	assert_true(html_overflowed(&h));
	html_free(&h);
}

static void
test_html_hostile_text_escaped(void **state)
{
	struct fixture	*fx = *state;
	size_t		 len;
	char		*html = write_html(fx, "a.html", &len);

	assert_non_null(strstr(html, SCRIPT_ESC));
	assert_null(find_ci(html, "<script"));
	assert_null(strstr(html, "alert(1)</"));
	/* Quotes and ampersands from the bundle never end an attribute. */
	assert_non_null(strstr(html, "Outbound to Office 365 &quot;&lt;b&gt;"
	    "&amp;&#39;"));
	assert_non_null(strstr(html, "J. O&#39;Brien"));
	/* Invalid UTF-8 was cleaned: the page is valid UTF-8 throughout. */
	assert_true(utf8_valid(html, len));
	assert_non_null(strstr(html, "bad \xef\xbf\xbd"));
	/* The 40,000-byte text is there in full. */
	assert_non_null(strstr(html, fx->longtext));
	free(html);
}

static void
test_html_self_contained(void **state)
{
	struct fixture	*fx = *state;
	size_t		 len;
	char		*html = write_html(fx, "a.html", &len);
	const char	*p;

	assert_null(find_ci(html, "<script"));
	assert_null(find_ci(html, "<link"));
	assert_null(find_ci(html, "<img"));
	assert_null(find_ci(html, "<iframe"));
	assert_null(find_ci(html, "src="));
	assert_null(find_ci(html, "url("));
	assert_null(find_ci(html, "@import"));
	/* Every link stays inside the page. */
	for (p = html; (p = strstr(p, "href=\"")) != NULL; p += 6)
		assert_int_equal(p[6], '#');
	/* The reference URL is shown as text, never linked. */
	assert_non_null(strstr(html, "<li>https://learn.microsoft.com/"));
	assert_non_null(strstr(html, "<style>"));
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "<svg"));
	assert_null(strstr(html, "{{"));
	free(html);
}

static void
test_html_structure(void **state)
{
	struct fixture	*fx = *state;
	static const char *const order[] = {
		"class=\"cover\"", "id=\"root-cause\"", ROOT_TITLE,
		"id=\"what-to-do\"", "id=\"findings\"", "<th>Severity</th>",
		"id=\"certificates\"", "id=\"send-connectors\"", "id=\"queues\"",
		"id=\"protocol-logs\"", "id=\"gaps\"", "id=\"diagnostics\"",
		"id=\"manifest\""
	};
	size_t		 len, i;
	char		*html = write_html(fx, "a.html", &len);
	const char	*p, *prev = html, *row;

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		p = strstr(html, order[i]);
		assert_non_null(p);
		if (p < prev)
			fail_msg("\"%s\" is out of order", order[i]);
		prev = p;
	}
	/* Cover: case labels, as-of time and its source, inputs. */
	assert_non_null(strstr(html, "CASE-2611-0042 " SCRIPT_ESC));
	assert_non_null(strstr(html, "2026-11-10T08:51:12Z"));
	assert_non_null(strstr(html, "(latest log row)"));
	assert_non_null(strstr(html, "certtrail " PACKAGE_VERSION));
	/* The chain runs from the queue symptom to the fixing step. */
	p = strstr(html, "class=\"chain\"");
	assert_non_null(p);
	assert_true(strstr(p, ">Symptom<") < strstr(p, ">Log rows<"));
	/* The log rows are summed up in certtrail's words, not quoted. */
	assert_non_null(strstr(p, ">Log rows</span>TLS negotiation failed"));
	assert_null(strstr(p, "rows</strong> like"));
	assert_true(strstr(p, ">Fix<") < strstr(p, "id=\"what-to-do\""));
	assert_non_null(strstr(p, "href=\"#step-2\""));
	/* Steps are numbered with copyable commands. */
	p = strstr(html, "id=\"what-to-do\"");
	assert_non_null(strstr(p, "<pre><code>Enable-ExchangeCertificate "
	    "-Server EXHUB1 -Thumbprint " TP_NEW));
	/* Unknown services say so; known ones use Exchange's order. */
	row = strstr(html, "<td class=\"mono tp\">" TP_UNKNOWN);
	assert_non_null(row);
	p = strstr(row, "</tr>");
	assert_non_null(p);
	assert_non_null(strstr(row, "<span class=\"unknown\">unknown</span>"));
	assert_true(strstr(row, "None") == NULL || strstr(row, "None") > p);
	assert_non_null(strstr(html, "IMAP, POP, IIS, SMTP"));
	/* The old certificate expired before the as-of time. */
	row = strstr(html, "<td class=\"mono tp\">" TP_OLD);
	assert_non_null(row);
	assert_true(strstr(row, "expired") < strstr(row, "</tr>"));
	/* Gaps carry the command that collects them. */
	assert_non_null(strstr(html, "<pre><code>Get-ReceiveConnector | "
	    "Export-Clixml"));
	free(html);
}

/*
 * The printed page's running header carries the case options as CSS strings:
 * nothing in them can end the string or the <style> element. Certificate
 * dates from Format-List text are labelled as the server's local time.
 */
/*
 * A certificate whose dates' day/month order is unknown: the page shows
 * both as written, NotAfter too, never only the first.
 */
static void
test_html_dates_as_written(void **state)
{
	struct fixture	*fx = *state;
	struct ev_cert	*c = NULL;
	size_t		 i, len;
	char		*html;

	for (i = 0; i < fx->ev.ncerts; i++)
		if (fx->ev.certs[i].not_after == TIME_UNKNOWN)
			c = &fx->ev.certs[i];
	assert_non_null(c);
	c->not_before_written = xstrdup("03/12/2024 09:00:00");
	c->not_after_written = xstrdup("03/12/2026 09:00:00");
	html = write_html(fx, "w.html", &len);
	assert_non_null(strstr(html, "03/12/2024 09:00:00"));
	assert_non_null(strstr(html, "03/12/2026 09:00:00"));
	free(html);
	free(c->not_before_written);
	free(c->not_after_written);
	c->not_before_written = c->not_after_written = NULL;
}

static void
test_html_print_header_and_local_times(void **state)
{
	struct fixture	*fx = *state;
	size_t		 len;
	char		*html = write_html(fx, "a.html", &len);
	const char	*page, *end, *p;
	int		 styles = 0;

	page = strstr(html, "@page {");
	assert_non_null(page);
	end = strstr(page, "</style>");
	assert_non_null(end);
	for (p = page; p < end; p++)
		assert_int_not_equal(*p, '<');
	assert_non_null(strstr(page, "@top-left { content: \"Contoso "
	    "\\000022 Ltd\\000022  \\000026  Sons "));
	assert_non_null(strstr(page, " \\002014  Case CASE-2611-0042 "
	    "\\00003C script\\00003E alert(1)"));
	assert_non_null(strstr(page, "content: \"Confidential\""));
	assert_non_null(strstr(page, "counter(page) \" of \" counter(pages)"));
	for (p = html; (p = strstr(p, "</style>")) != NULL; p++)
		styles++;
	assert_int_equal(styles, 2);

	/* Format-List dates: no Z, labelled; the footer says which are UTC. */
	assert_non_null(strstr(html, "<span class=\"time\">2027-11-03T14:12:09"
	    "</span> <span class=\"local\">(server local time)</span>"));
	assert_null(strstr(html, "Z</span> <span class=\"local\">"));
	assert_null(strstr(html, "Times are UTC.</footer>"));
	assert_non_null(strstr(html, "Certificate dates and other times marked"));
	free(html);
}

static void
test_html_no_problem_found(void **state)
{
	struct fixture		*fx = *state;
	struct findings		 none = { NULL, 0, 0, -1 };
	struct verdict		 clear = { .state = VERDICT_CLEAR, .text =
				    (char *)"No problem found: no failed handshake "
				    "in 1 protocol log file." };
	struct verdict		 unjudged = { .state = VERDICT_NOT_JUDGED,
				    .text = (char *)"Not judged: the bundle holds "
				    "nothing that could show a failure." };
	struct report		 r = fx->r;
	char			*path = path_in(fx, "none.html"), *html;
	size_t			 len;

	r.findings = &none;
	r.verdict = &clear;
	assert_int_equal(out_html_write(&r, path), 0);
	html = file_read(path, &len);
	assert_non_null(strstr(html, "No problem found"));
	/* What the bundle lacked is listed with the statement. */
	assert_true(strstr(html, "no Get-ReceiveConnector output") <
	    strstr(html, "id=\"what-to-do\""));
	assert_null(strstr(html, "class=\"chain\""));
	free(html);

	/*
	 * Nothing at all: every section still renders, and nothing could
	 * show a failure, so mail flow was not judged.
	 */
	r.ev = NULL;
	r.gaps = NULL;
	r.as_of = TIME_UNKNOWN;
	r.as_of_source = NULL;
	r.verdict = &unjudged;
	assert_int_equal(out_html_write(&r, path), 0);
	html = file_read(path, &len);
	assert_non_null(strstr(html, "Not judged"));
	assert_null(strstr(html, "No problem found"));
	assert_non_null(strstr(html, "<span class=\"unknown\">unknown</span>"));
	free(html);
	free(path);
	path = path_in(fx, "none.xlsx");
	assert_int_equal(out_xlsx_write(&r, path), 0);
	html = zip_member(path, "xl/workbook.xml", &len);
	assert_non_null(strstr(html, "<sheet name=\"Manifest\""));
	free(html);
	free(path);
}

static void
test_xlsx_contents(void **state)
{
	struct fixture	*fx = *state;
	static const char *const sheets[] = { "Summary", "Findings",
	    "Remediation", "Certificates", "Send Connectors", "Queues",
	    "TLS Outcomes", "Events", "Evidence", "Gaps", "Diagnostics",
	    "Manifest" };
	char		*path = path_in(fx, "a.xlsx"), *xml, *name, *sst, *core;
	char		 needle[64], first[64];
	size_t		 len, i;
	const char	*p, *q;
	int		 absent;

	assert_int_equal(out_xlsx_write(&fx->r, path), 0);
	xml = zip_member(path, "xl/workbook.xml", &len);
	assert_non_null(xml);
	for (i = 0; i < sizeof sheets / sizeof sheets[0]; i++) {
		snprintf(needle, sizeof needle, "<sheet name=\"%s\"", sheets[i]);
		assert_non_null(strstr(xml, needle));
	}
	free(xml);

	/* The shared string a not-collected sheet starts with, if any. */
	sst = zip_member(path, "xl/sharedStrings.xml", &len);
	assert_non_null(sst);
	p = strstr(sst, "<si><t>Not collected</t></si>");
	absent = -1;
	if (p != NULL)
		for (absent = 0, q = strstr(sst, "<si>"); q != NULL && q < p;
		    q = strstr(q + 1, "<si>"))
			absent++;
	snprintf(first, sizeof first, "<v>%d</v>", absent);
	free(sst);

	/* No cell anywhere is a formula, and every sheet is valid UTF-8. */
	for (i = 0; i < sizeof sheets / sizeof sheets[0]; i++) {
		name = xasprintf("xl/worksheets/sheet%zu.xml", i + 1);
		xml = zip_member(path, name, &len);
		assert_non_null(xml);
		assert_true(utf8_valid(xml, len));
		assert_null(strstr(xml, "<f>"));
		assert_null(strstr(xml, "<f "));
		/*
		 * A sheet with rows is a table; an empty one keeps a filter;
		 * one whose evidence was not collected says so, with neither.
		 */
		if (i > 0)
			assert_true(strstr(xml, "<autoFilter") != NULL ||
			    strstr(xml, "<tablePart ") != NULL ||
			    (absent >= 0 && (p = strstr(xml, "<c r=\"A1\"")) !=
			    NULL && (p = strstr(p, "<v>")) != NULL &&
			    strncmp(p, first, strlen(first)) == 0));
		assert_non_null(strstr(xml, "<pane "));
		free(xml);
		free(name);
	}

	sst = zip_member(path, "xl/sharedStrings.xml", &len);
	assert_non_null(sst);
	assert_true(utf8_valid(sst, len));
	/*
	 * Hostile text is stored as text, and text a spreadsheet would take
	 * for a formula after an edit or a CSV export starts with an
	 * apostrophe: it never appears bare at the start of a cell.
	 */
	assert_non_null(strstr(sst, "<t>'=HYPERLINK("));
	assert_null(strstr(sst, "<t>=HYPERLINK("));
	assert_null(strstr(sst, "<t>="));
	assert_null(strstr(sst, "<t>+"));
	assert_null(strstr(sst, "<t>@"));
	assert_non_null(strstr(sst, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(sst, "<script"));
	assert_non_null(strstr(sst, "bad \xef\xbf\xbd"));
	/* The long text is cut, visibly, on a character boundary. */
	p = strstr(sst, "\xc3\xa9\xe2\x80\xa6[truncated]</t>");
	assert_non_null(p);
	assert_null(strstr(sst, fx->longtext));
	/* Exactly what a cell holds: 32,767 characters with the marker. */
	q = strstr(sst, "AAAAAAAAAA");
	assert_non_null(q);
	/* p is at the last kept two-byte character. */
	assert_int_equal(p - q, 30000 + 2 * (32767 - 12 - 30000 - 1));
	/* Text that looks like Excel's own escapes is shown as written. */
	assert_non_null(strstr(sst, "Line1_x005F_x000D__x005F_x000A_Line2"));
	/* Unknown services are "unknown", never blank or "None". */
	assert_non_null(strstr(sst, "<t>unknown</t>"));
	assert_non_null(strstr(sst, "<t>IMAP, POP, IIS</t>"));
	free(sst);

	core = zip_member(path, "docProps/core.xml", &len);
	assert_non_null(core);
	assert_non_null(strstr(core, "2026-11-10T08:51:12Z"));
	assert_non_null(strstr(core, "<dc:creator>J. O'Brien</dc:creator>") ?
	    strstr(core, "<dc:creator>J. O'Brien</dc:creator>") :
	    strstr(core, "<dc:creator>J. O&apos;Brien</dc:creator>"));
	assert_non_null(strstr(core, "certtrail report"));
	free(core);
	xml = zip_member(path, "docProps/app.xml", &len);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "Contoso"));
	free(xml);
	free(path);
}

static void
test_outputs_deterministic(void **state)
{
	struct fixture	*fx = *state;
	char		*pa = path_in(fx, "a.xlsx"), *pb = path_in(fx, "b.xlsx");
	char		*a, *b;
	size_t		 la, lb;

	assert_int_equal(out_xlsx_write(&fx->r, pa), 0);
	/* Let the wall clock move on: it must not reach the file. */
	sleep(2);
	assert_int_equal(out_xlsx_write(&fx->r, pb), 0);
	a = file_read(pa, &la);
	b = file_read(pb, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	free(pa);
	free(pb);

	a = write_html(fx, "a.html", &la);
	b = write_html(fx, "b.html", &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
}

static void
test_write_errors(void **state)
{
	struct fixture	*fx = *state;
	char		*p = path_in(fx, "missing-dir/report.xlsx");

	assert_int_equal(out_xlsx_write(&fx->r, p), -1);
	assert_int_equal(access(p, F_OK), -1);
	free(p);
	p = path_in(fx, "missing-dir/report.html");
	assert_int_equal(out_html_write(&fx->r, p), -1);
	free(p);
}

/*
 * The per-server grid of the fixture, as its evidence and findings say:
 * EXHUB1 holds 3 certificates (one, expired, enabled for SMTP), is a source
 * server of 1 Send connector, has a queue in Retry with 42 messages; no log
 * row or event names it. A critical SMTP certificate finding and a high
 * connector finding name it.
 */
static void
test_server_grid(void **state)
{
	struct fixture		*fx = *state;
	struct server_grid	 g;
	const struct grid_cell	*c;

	server_grid_build(&fx->r, &g);
	assert_int_equal(g.nrows, 1);
	assert_string_equal(g.rows[0].server, "EXHUB1");
	c = g.rows[0].cells;
	assert_int_equal(c[GRID_CERTIFICATES].state, GRID_OK);
	assert_string_equal(c[GRID_CERTIFICATES].note, "3 certificates");
	assert_int_equal(c[GRID_SMTP_CERT].state, GRID_PROBLEM);
	assert_string_equal(c[GRID_SMTP_CERT].note, "mail.contoso.com, expired");
	assert_true(strlist_contains_ci(&c[GRID_SMTP_CERT].findings,
	    fx->fs.v[0].id));
	assert_int_equal(c[GRID_CONNECTORS].state, GRID_PROBLEM);
	/* No Get-ReceiveConnector output in the fixture: unknown, never 0. */
	assert_string_equal(c[GRID_CONNECTORS].note,
	    "1 Send; Receive not collected");
	/* The log row names no server: nothing of the logs is this server's. */
	assert_int_equal(c[GRID_TLS_LOGS].state, GRID_NOT_COLLECTED);
	assert_string_equal(c[GRID_TLS_LOGS].note, "not collected");
	/* No symptoms were computed: the queue in Retry is a warning. */
	assert_int_equal(c[GRID_QUEUES].state, GRID_WARNING);
	assert_string_equal(c[GRID_QUEUES].note, "42 messages in retry");
	assert_int_equal(c[GRID_EVENTS].state, GRID_NOT_COLLECTED);
	assert_string_equal(grid_state_word(GRID_NOT_COLLECTED), "not collected");
	server_grid_free(&g);

	/* The connector finding's incident is over: resolved, not a problem. */
	fx->fs.v[1].status = FINDING_RESOLVED;
	server_grid_build(&fx->r, &g);
	assert_int_equal(g.rows[0].cells[GRID_CONNECTORS].state, GRID_RESOLVED);
	server_grid_free(&g);
	fx->fs.v[1].status = FINDING_ACTIVE;
}

/*
 * EXFE1 presents its self-signed certificate inside the organization (the
 * latest handshakes, all fine) and smtp.contoso.com to partners, where it
 * fails: the SMTP certificate cell names the failing one. A certificate
 * with 11 hours left has "less than a day left", never "0 days", and is a
 * warning, never OK.
 */
static void
test_server_grid_names_the_failing_certificate(void **state)
{
	struct evidence		 ev;
	struct report		 r;
	struct server_grid	 g;
	struct ev_tls_event	 te;
	const struct grid_cell	*c;
	int64_t			 t;

	(void)state;
	assert_true(date_parse_iso("2026-11-10T12:00:00Z", &t));
	evidence_init(&ev);
	memset(&te, 0, sizeof te);
	te.log_source = "EXFE1/SmtpReceive/RECV2026111001-1.LOG";
	te.connector = "EXFE1\\Partner TLS Inbound";
	te.receive = true;
	te.cert_thumbprint = TP_OLD;
	te.cert_subject = "CN=smtp.contoso.com";
	te.cert_not_after = t + 200 * 86400;
	te.ok = false;
	te.error = "UnknownCredentials";
	te.time = t - 7200;
	te.line = 9;
	te.text = "row";
	evidence_add_tls(&ev, &te);
	te.connector = "EXFE1\\Default EXFE1";
	te.cert_thumbprint = TP_NEW;
	te.cert_subject = "CN=EXFE1";
	te.cert_not_after = t + 11 * 3600;
	te.ok = true;
	te.error = NULL;
	te.time = t - 60;
	evidence_add_tls(&ev, &te);
	ev.logs.files = 1;
	memset(&r, 0, sizeof r);
	r.ev = &ev;
	r.as_of = t;
	server_grid_build(&r, &g);
	assert_int_equal(g.nrows, 1);
	c = g.rows[0].cells;
	assert_string_equal(c[GRID_SMTP_CERT].note, "failing: smtp.contoso.com, "
	    "200 days left");
	assert_int_equal(c[GRID_SMTP_CERT].state, GRID_WARNING);
	server_grid_free(&g);

	/* Dropped by the peer (SocketError): not the certificate's failure. */
	evidence_free(&ev);
	evidence_init(&ev);
	te.connector = "EXFE1\\Partner TLS Inbound";
	te.cert_thumbprint = TP_OLD;
	te.cert_subject = "CN=smtp.contoso.com";
	te.cert_not_after = t + 200 * 86400;
	te.ok = false;
	te.error = "SocketError";
	evidence_add_tls(&ev, &te);
	ev.logs.files = 1;
	server_grid_build(&r, &g);
	c = g.rows[0].cells;
	assert_string_equal(c[GRID_SMTP_CERT].note, "presents smtp.contoso.com, "
	    "200 days left");
	assert_int_equal(c[GRID_SMTP_CERT].state, GRID_OK);
	server_grid_free(&g);
	te.connector = "EXFE1\\Default EXFE1";
	te.cert_thumbprint = TP_NEW;
	te.cert_subject = "CN=EXFE1";
	te.cert_not_after = t + 11 * 3600;
	te.ok = true;
	te.error = NULL;

	/*
	 * No log: of the SMTP-enabled certificates, the Auth certificate
	 * (it names no host) is never the likely one.
	 */
	evidence_free(&ev);
	evidence_init(&ev);
	{
		struct ev_cert	cc;

		ev_cert_init(&cc);
		cc.server = "EXFE1";
		cc.thumbprint = TP_OLD;
		cc.subject = "CN=Microsoft Exchange Server Auth Certificate";
		cc.services = SVC_SMTP;
		cc.not_after = t + 900 * 86400;
		cc.self_signed = TRI_TRUE;
		assert_non_null(evidence_add_cert(&ev, &cc));
		cc.thumbprint = TP_NEW;
		cc.subject = "CN=EXFE1";
		cc.not_after = t + 400 * 86400;
		assert_non_null(evidence_add_cert(&ev, &cc));
	}
	server_grid_build(&r, &g);
	c = g.rows[0].cells;
	assert_string_equal(c[GRID_SMTP_CERT].note, "EXFE1, 400 days left");
	server_grid_free(&g);

	/* Only the self-signed one, 11 hours left. */
	evidence_free(&ev);
	evidence_init(&ev);
	evidence_add_tls(&ev, &te);
	ev.logs.files = 1;
	server_grid_build(&r, &g);
	c = g.rows[0].cells;
	assert_string_equal(c[GRID_SMTP_CERT].note, "presents EXFE1, less than "
	    "a day left");
	assert_int_equal(c[GRID_SMTP_CERT].state, GRID_WARNING);
	server_grid_free(&g);
	evidence_free(&ev);
}

/*
 * A queue whose status is unknown may be waiting: never "none in retry",
 * never 0 messages queued, in the grid and in the summary.
 */
static void
test_queue_status_unknown(void **state)
{
	struct fixture		*fx = *state;
	struct server_grid	 g;
	struct summary		 sm;
	char			*status = fx->ev.queues[0].status;

	assert_int_equal(fx->ev.nqueues, 1);
	fx->ev.queues[0].status = NULL;
	server_grid_build(&fx->r, &g);
	assert_int_equal(g.rows[0].cells[GRID_QUEUES].state, GRID_WARNING);
	assert_string_equal(g.rows[0].cells[GRID_QUEUES].note,
	    "1 queue, the status of 1 unknown");
	server_grid_free(&g);
	summary_build(&fx->r, &sm);
	assert_true(sm.queues_read);
	assert_int_equal(sm.queues, 0);
	assert_int_equal(sm.queues_unsure, 1);
	assert_int_equal(sm.queued, -1);
	summary_free(&sm);
	fx->ev.queues[0].status = status;
}

/*
 * With a root cause, the figures are its servers'; a queue waiting on
 * another server is counted apart, never hidden behind "no queue".
 */
static void
test_queues_of_other_servers(void **state)
{
	struct fixture		*fx = *state;
	struct ev_queue		 q;
	struct summary		 sm;

	ev_queue_init(&q);
	q.identity = (char *)"EXHUB9\\4";
	q.server = (char *)"EXHUB9";
	q.status = (char *)"Retry";
	q.message_count = 5;
	evidence_add_queue(&fx->ev, &q);
	summary_build(&fx->r, &sm);
	assert_non_null(sm.root);
	assert_int_equal(sm.queued, 42);
	assert_int_equal(sm.queues_elsewhere, 1);
	assert_int_equal(sm.queued_elsewhere, 5);
	assert_non_null(strstr(sm.sentence, "5 messages wait in queues of "
	    "other servers."));
	summary_free(&sm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_services_text),
		cmocka_unit_test(test_html_escape_and_template),
		cmocka_unit_test_setup_teardown(test_html_hostile_text_escaped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_self_contained,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_structure,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_html_print_header_and_local_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_no_problem_found,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_contents,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outputs_deterministic,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_errors,
		    setup, teardown),
		cmocka_unit_test(test_server_grid_names_the_failing_certificate),
		cmocka_unit_test_setup_teardown(test_html_dates_as_written, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_server_grid,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_status_unknown,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_queues_of_other_servers,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Format-List parsing and the Format-List ingester, end to end from the
 * bytes Windows PowerShell 5.1 writes (UTF-16LE, BOM, CRLF) to evidence.
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
#include "model/dn.h"
#include "model/evidence.h"
#include "formats/fl.h"
#include "formats/ingest.h"
#include "formats/prompt.h"
#include "model/attribution.h"
#include "util/text.h"
#include "util/util.h"
#include "model/kinds/cert.h"
#include "model/kinds/queue.h"
#include "model/kinds/receive_connector.h"
#include "model/kinds/send_connector.h"
#include "model/kinds/transport_service.h"

/* ------------------------------------------------------------ helpers */

/* UTF-8 to UTF-16LE with a BOM, as `Get-Xxx | fl > file.txt` writes it. */
static unsigned char *
utf16le_bom(const char *s, size_t *len)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		*out = xmalloc(strlen(s) * 4 + 2);
	size_t			 n = 0;
	uint32_t		 cp, u;

	out[n++] = 0xFF;
	out[n++] = 0xFE;
	while (*p) {
		if (*p < 0x80)
			cp = *p++;
		else if ((*p & 0xE0) == 0xC0) {
			cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = (uint32_t)(p[0] & 0x0F) << 12 |
			    (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			p += 3;
		} else {
			cp = (uint32_t)(p[0] & 0x07) << 18 |
			    (uint32_t)(p[1] & 0x3F) << 12 |
			    (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
			p += 4;
		}
		if (cp >= 0x10000) {
			u = 0xD800 + ((cp - 0x10000) >> 10);
			out[n++] = u & 0xFF;
			out[n++] = (unsigned char)(u >> 8);
			cp = 0xDC00 + ((cp - 0x10000) & 0x3FF);
		}
		out[n++] = cp & 0xFF;
		out[n++] = (unsigned char)(cp >> 8);
	}
	*len = n;
	return out;
}

/*
 * Appends one property the way PowerShell's list view prints it in a
 * `width`-column output: label padded to `labw`, " : ", the value wrapped
 * at word boundaries (each word keeps its trailing space, so a wrapped
 * line ends with one), and words longer than the field cut mid-word.
 */
static void
emit_field(struct buf *b, int labw, int width, const char *label,
    const char *value)
{
	int		 field = width - labw - 3, left;
	const char	*p, *q;
	size_t		 wl, i;

	buf_appendf(b, "%-*s : ", labw, label);
	if ((int)strlen(value) <= field) {
		buf_appendf(b, "%s\r\n", value);
		return;
	}
	left = field;
	for (p = value; *p != '\0'; p += wl) {
		q = strchr(p, ' ');
		wl = q != NULL ? (size_t)(q - p + 1) : strlen(p);
		if ((int)wl > field) {
			for (i = 0; i < wl; i++) {
				if (left == 0) {
					buf_appendf(b, "\r\n%*s", labw + 3, "");
					left = field;
				}
				buf_putc(b, p[i]);
				left--;
			}
			continue;
		}
		if ((int)wl > left) {
			buf_appendf(b, "\r\n%*s", labw + 3, "");
			left = field;
		}
		buf_append(b, p, wl);
		left -= (int)wl;
	}
	buf_append(b, "\r\n", 2);
}

/* Pairs of label and value, NULL-terminated, as one record. */
static void
emit_record(struct buf *b, int width, const char *const *kv)
{
	int	labw = 0, n;
	size_t	i;

	for (i = 0; kv[i] != NULL; i += 2)
		if ((n = (int)strlen(kv[i])) > labw)
			labw = n;
	for (i = 0; kv[i] != NULL; i += 2)
		emit_field(b, labw, width, kv[i], kv[i + 1]);
	buf_append(b, "\r\n", 2);
}

static void
strip_trailing_spaces(struct buf *b)
{
	size_t	i, o = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == ' ') {
			size_t j = i;

			while (j < b->len && b->data[j] == ' ')
				j++;
			if (j == b->len || b->data[j] == '\r') {
				i = j - 1;
				continue;
			}
		}
		b->data[o++] = b->data[i];
	}
	b->len = o;
	b->data[o] = '\0';
}

/* Decodes the bytes like the pipeline does and ingests them. */
static int
ingest_bytes(struct evidence *ev, const char *source, const unsigned char *data,
    size_t len)
{
	char	*text;
	size_t	 tlen;
	int	 rc;

	text = text_to_utf8(data, len, &tlen, NULL, NULL);
	rc = ingest_fl(ev, source, text, tlen);
	free(text);
	return rc;
}

static int
ingest_utf16(struct evidence *ev, const char *source, const char *utf8)
{
	unsigned char	*bytes;
	size_t		 len;
	int		 rc;

	bytes = utf16le_bom(utf8, &len);
	rc = ingest_bytes(ev, source, bytes, len);
	free(bytes);
	return rc;
}

static int64_t
iso(const char *s)
{
	int64_t	t = 0;

	assert_true(date_parse_iso(s, &t));
	return t;
}

static const struct ev_cert *
find_cert(const struct evidence *ev, const char *thumbprint)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (strcmp(ev->certs[i].thumbprint, thumbprint) == 0)
			return &ev->certs[i];
	fail_msg("certificate %s not found", thumbprint);
	return NULL;
}

static bool
diags_mention(const struct evidence *ev, enum diag_level level,
    const char *source, const char *a, const char *b)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++) {
		const struct diag *d = &ev->diags.v[i];

		if (d->level == level && d->source != NULL &&
		    strcmp(d->source, source) == 0 &&
		    strstr(d->message, a) != NULL &&
		    (b == NULL || strstr(d->message, b) != NULL))
			return true;
	}
	return false;
}

#define DIGICERT	"CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
#define CONTOSO_SUBJ	"CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US"
#define TLS_NAME	"<I>" DIGICERT "<S>" CONTOSO_SUBJ
#define ACCESS_RULES	"{System.Security.AccessControl.CryptoKeyAccessRule, " \
	"System.Security.AccessControl.CryptoKeyAccessRule, " \
	"System.Security.AccessControl.CryptoKeyAccessRule}"
#define LAST_ERROR	"451 4.4.0 Primary target IP address responded with: " \
	"\"421 4.4.1 Connection timed out.\" Attempted failover to alternate " \
	"host, but that did not succeed. Either there are no alternate hosts, " \
	"or delivery failed to all alternate hosts. The last endpoint attempted " \
	"was 203.0.113.25:25"

/* ------------------------------------------------------- parser tests */

static void
test_parse_sample(void **state)
{
	const char text[] =
	    "\r\n"
	    "CertificateDomains : {mail.contoso.com, autodiscover.contoso.com}\r\n"
	    "HasPrivateKey      : True\r\n"
	    "IsSelfSigned       : False\r\n"
	    "Issuer             : " DIGICERT "\r\n"
	    "NotAfter           : 11/28/2026 11:59:59 PM\r\n"
	    "RootCAType         : ThirdParty\r\n"
	    "Services           : IMAP, POP, IIS, SMTP\r\n"
	    "Status             : Valid\r\n"
	    "Subject            : " CONTOSO_SUBJ "\r\n"
	    "Thumbprint         : 6F029E0D20605DB27016B787C4503FD0002C0A11\r\n"
	    "\r\n\r\n";
	struct fl_doc			 doc;
	const struct fl_record		*r;
	const struct fl_field		*f;

	(void)state;
	fl_parse(text, sizeof text - 1, &doc, NULL);
	assert_int_equal(doc.nrecords, 1);
	r = &doc.records[0];
	assert_int_equal(r->nfields, 10);
	assert_int_equal(r->line, 2);
	f = fl_record_field(r, "certificatedomains");
	assert_non_null(f);
	assert_int_equal(f->line, 2);
	assert_true(f->is_list);
	assert_false(f->truncated);
	assert_int_equal(f->items.n, 2);
	assert_string_equal(f->items.v[0], "mail.contoso.com");
	assert_string_equal(f->items.v[1], "autodiscover.contoso.com");
	assert_string_equal(fl_record_value(r, "Issuer"), DIGICERT);
	assert_string_equal(fl_record_value(r, "SUBJECT"), CONTOSO_SUBJ);
	assert_string_equal(fl_record_value(r, "Services"), "IMAP, POP, IIS, SMTP");
	f = fl_record_field(r, "Thumbprint");
	assert_int_equal(f->line, 11);
	assert_false(f->is_list);
	assert_null(fl_record_field(r, "NotBefore"));
	assert_null(fl_record_value(r, "FriendlyName"));
	assert_int_equal(doc.nskipped, 0);
	fl_doc_free(&doc);
}

static void
test_parse_collections(void **state)
{
	const char text[] =
	    "Name                   : To Partner\n"
	    "SourceTransportServers : {EX01, EX02, EX03, EX04...}\n"
	    "SmartHosts             : {}\n"
	    "TlsDomain              :\n"
	    "TlsAuthLevel           : \n"
	    "AddressSpaces          : {SMTP:*.fabrikam.com;1}\n";
	struct fl_doc			 doc;
	const struct fl_record		*r;
	const struct fl_field		*f;

	(void)state;
	fl_parse(text, sizeof text - 1, &doc, NULL);
	assert_int_equal(doc.nrecords, 1);
	r = &doc.records[0];
	f = fl_record_field(r, "SourceTransportServers");
	assert_true(f->is_list);
	assert_true(f->truncated);
	assert_int_equal(f->items.n, 4);
	assert_string_equal(f->items.v[0], "EX01");
	assert_string_equal(f->items.v[3], "EX04");
	f = fl_record_field(r, "SmartHosts");
	assert_true(f->is_list);
	assert_int_equal(f->items.n, 0);
	assert_false(f->truncated);
	f = fl_record_field(r, "TlsDomain");
	assert_non_null(f);
	assert_string_equal(f->value, "");
	assert_false(f->is_list);
	assert_false(fl_record_has(r, "TlsDomain"));
	assert_string_equal(fl_record_value(r, "TlsAuthLevel"), "");
	f = fl_record_field(r, "AddressSpaces");
	assert_int_equal(f->items.n, 1);
	assert_string_equal(f->items.v[0], "SMTP:*.fabrikam.com;1");
	fl_doc_free(&doc);
}

/* Word-wrapped (lines end in a space) and hard-cut values, width 120. */
static void
test_parse_wrapped_emitted(void **state)
{
	const char *nospace = "<I>CN=Contoso-Issuing-CA-01,DC=contoso,DC=com"
	    "<S>CN=smtp.contoso.com,OU=Messaging,O=Contoso,L=Redmond,S=Washington,C=US";
	const char *kv[] = {
		"AddressSpaces", "{SMTP:*;1}",
		"CloudServicesMailEnabled", "False",
		"Identity", "Outbound to Internet",
		"TlsCertificateName", TLS_NAME,
		NULL
	};
	const char *kv2[] = {
		"Identity", "Outbound Pinned",
		"TlsCertificateName", nospace,
		"AccessRules", ACCESS_RULES,
		NULL
	};
	struct buf	 b;
	struct fl_doc	 doc;
	const struct fl_field *f;

	(void)state;
	buf_init(&b, 1 << 20);
	emit_record(&b, 120, kv);
	emit_record(&b, 120, kv2);
	/* the emitter really wrapped: neither value is on one line */
	assert_null(strstr(b.data, TLS_NAME));
	assert_null(strstr(b.data, nospace));
	fl_parse(b.data, b.len, &doc, NULL);
	assert_int_equal(doc.max_line_len, 120);
	assert_int_equal(doc.nrecords, 2);
	f = fl_record_field(&doc.records[0], "TlsCertificateName");
	assert_string_equal(f->value, TLS_NAME);
	assert_int_equal(f->line, 4);
	f = fl_record_field(&doc.records[1], "TlsCertificateName");
	assert_string_equal(f->value, nospace);
	f = fl_record_field(&doc.records[1], "AccessRules");
	assert_true(f->is_list);
	assert_int_equal(f->items.n, 3);
	assert_string_equal(f->items.v[2],
	    "System.Security.AccessControl.CryptoKeyAccessRule");
	assert_int_equal(doc.records[1].line, 7);
	fl_doc_free(&doc);

	/* the same file after an editor trimmed trailing spaces */
	strip_trailing_spaces(&b);
	assert_null(strstr(b.data, " \r\n"));
	fl_parse(b.data, b.len, &doc, NULL);
	assert_int_equal(doc.nrecords, 2);
	assert_string_equal(fl_record_value(&doc.records[0], "TlsCertificateName"),
	    TLS_NAME);
	assert_string_equal(fl_record_value(&doc.records[1], "TlsCertificateName"),
	    nospace);
	f = fl_record_field(&doc.records[1], "AccessRules");
	assert_int_equal(f->items.n, 3);
	fl_doc_free(&doc);
	buf_free(&b);
}

/*
 * Literal text: value column 26, width 120. The first value is cut
 * mid-word at column 120; the second was wrapped at a word boundary and
 * the trailing space lost (an editor trimmed it), so it joins with a space.
 */
static void
test_parse_wrapped_literal(void **state)
{
	const char text[] =
	    "Identity                : Outbound to Office 365\r\n"
	    "TlsCertificateName      : <I>CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US<S>CN=smtp.mail.contoso.\r\n"
	    "                          com, O=Contoso, L=Redmond, S=Washington, C=US\r\n"
	    "LastError               : 451 4.4.0 Primary target IP address responded with: \"421 4.4.1 Connection timed\r\n"
	    "                          out.\" Attempted failover to alternate host, but that did not succeed.\r\n"
	    "SmartHosts              : {outbound.protection.outlook.com}\r\n";
	struct fl_doc	doc;

	(void)state;
	fl_parse(text, sizeof text - 1, &doc, NULL);
	assert_int_equal(doc.max_line_len, 120);
	assert_int_equal(doc.nrecords, 1);
	assert_string_equal(fl_record_value(&doc.records[0], "TlsCertificateName"),
	    "<I>" DIGICERT "<S>CN=smtp.mail.contoso.com, O=Contoso, L=Redmond, "
	    "S=Washington, C=US");
	assert_string_equal(fl_record_value(&doc.records[0], "LastError"),
	    "451 4.4.0 Primary target IP address responded with: \"421 4.4.1 "
	    "Connection timed out.\" Attempted failover to alternate host, but "
	    "that did not succeed.");
	assert_int_equal(fl_record_field(&doc.records[0], "SmartHosts")->line, 6);
	fl_doc_free(&doc);
}

/*
 * A ticket: a note whose paragraph is one line far longer than the console,
 * then the output of two commands from consoles 109 and 100 columns wide,
 * each value cut mid-word at its console's width. Neither the note nor the
 * wider output may make the other output's cuts look like word breaks.
 */
static void
test_parse_width_per_block(void **state)
{
	const char text[] =
	    "Hi Sam,\n"
	    "\n"
	    "as requested, the output from FCEX01 is below, and the send log from this morning is attached. The certificate list I sent yesterday separately.\n"
	    "\n"
	    "[PS] C:\\Windows\\system32>Get-SendConnector \"Outbound to Office 365\" | fl Identity,TlsCertificateName\n"
	    "\n"
	    "Identity           : Outbound to Office 365\n"
	    "TlsCertificateName : <I>CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US<S>CN=mail.fourthc\n"
	    "                     offee.com, O=Fourth Coffee, L=Seattle, S=Washington, C=US\n"
	    "\n"
	    "PS C:\\> Get-Queue FCEX01\\21 | fl Identity,LastError\n"
	    "\n"
	    "Identity  : FCEX01\\21\n"
	    "LastError : 451 4.4.0 Primary target IP address responded with: \"421 4.4.1 Connection timed out.\" At\n"
	    "            tempted failover to alternate host, but that did not succeed. Either there are no altern\n"
	    "            ate hosts, or delivery failed to all alternate hosts.\n";
	struct fl_doc	doc;

	(void)state;
	fl_parse(text, sizeof text - 1, &doc, NULL);
	assert_int_equal(doc.nrecords, 2);
	assert_int_equal(doc.max_line_len, 109);
	assert_string_equal(fl_record_value(&doc.records[0], "TlsCertificateName"),
	    "<I>" DIGICERT "<S>CN=mail.fourthcoffee.com, O=Fourth Coffee, "
	    "L=Seattle, S=Washington, C=US");
	assert_string_equal(fl_record_value(&doc.records[1], "LastError"),
	    "451 4.4.0 Primary target IP address responded with: \"421 4.4.1 "
	    "Connection timed out.\" Attempted failover to alternate host, but "
	    "that did not succeed. Either there are no alternate hosts, or "
	    "delivery failed to all alternate hosts.");
	assert_int_equal(doc.nskipped, 2);
	fl_doc_free(&doc);
}

static void
test_parse_prompts_and_odd_lines(void **state)
{
	const char text[] =
	    "PS C:\\> Get-SendConnector | fl Name,Enabled\n"
	    "\n"
	    "Name : Outbound\n"
	    "Enabled : True\n"
	    "\n"
	    "[PS] C:\\Windows\\system32>Get-Queue | fl Identity,Status\n"
	    "Identity : EXHUB1\\3\n"
	    "Status   : Retry\n"
	    "PS C:\\> \n"
	    "WARNING: something the shell said\n"
	    "----------\n";
	struct fl_doc		doc;
	struct parse_diag	pd;

	(void)state;
	parse_diag_init(&pd, NULL, "x.txt");
	fl_parse(text, sizeof text - 1, &doc, &pd);
	/* One note for the skipped lines, through the parser's report. */
	assert_int_equal(pd.n, 1);
	assert_string_equal(pd.first, "2 line(s) not in Format-List form ignored "
	    "(first at line 10)");
	assert_int_equal(doc.nrecords, 2);
	assert_string_equal(fl_record_value(&doc.records[0], "Name"), "Outbound");
	assert_string_equal(fl_record_value(&doc.records[0], "enabled"), "True");
	assert_int_equal(doc.records[0].line, 3);
	assert_int_equal(doc.records[1].nfields, 2);
	assert_string_equal(fl_record_value(&doc.records[1], "Identity"), "EXHUB1\\3");
	assert_int_equal(doc.records[1].line, 7);
	assert_int_equal(doc.nskipped, 2);
	assert_int_equal(doc.first_skipped, 10);
	fl_doc_free(&doc);
}

static void
test_parse_repeated_label_splits_record(void **state)
{
	const char text[] =
	    "Identity : EXHUB1\\1\nStatus   : Ready\n"
	    "Identity : EXHUB1\\2\nStatus   : Retry\n";
	struct fl_doc	doc;

	(void)state;
	fl_parse(text, sizeof text - 1, &doc, NULL);
	assert_int_equal(doc.nrecords, 2);
	assert_string_equal(fl_record_value(&doc.records[1], "Status"), "Retry");
	assert_int_equal(doc.records[1].line, 3);
	fl_doc_free(&doc);
}

static void
test_parse_empty_and_garbage(void **state)
{
	struct fl_doc	doc;
	const char	junk[] = "\x01\x02 : \n\n : x\n::::\n   \n";

	(void)state;
	fl_parse("", 0, &doc, NULL);
	assert_int_equal(doc.nrecords, 0);
	fl_doc_free(&doc);
	fl_parse(NULL, 0, &doc, NULL);
	assert_int_equal(doc.nrecords, 0);
	fl_doc_free(&doc);
	fl_parse(junk, sizeof junk - 1, &doc, NULL);
	assert_int_equal(doc.nrecords, 1);	/* "\x01\x02" is a label */
	assert_int_equal(doc.nskipped, 2);
	fl_doc_free(&doc);
}

static void
test_parse_many_records(void **state)
{
	struct buf	 b;
	struct fl_doc	 doc;
	char		 tp[41], label[64];
	long		 i;

	(void)state;
	buf_init(&b, 64u << 20);
	for (i = 0; i < 12000; i++) {
		snprintf(tp, sizeof tp, "%040lX", i);
		buf_appendf(&b, "Identity   : EX%02ld.contoso.com\\%s\r\n"
		    "Subject    : CN=host%ld.contoso.com\r\n"
		    "Thumbprint : %s\r\n\r\n", i % 7, tp, i, tp);
	}
	fl_parse(b.data, b.len, &doc, NULL);
	assert_int_equal(doc.nrecords, 12000);
	assert_string_equal(fl_record_value(&doc.records[11999], "Subject"),
	    "CN=host11999.contoso.com");
	assert_int_equal(doc.records[11999].line, 11999 * 4 + 1);
	fl_doc_free(&doc);

	/* one record with a very long single-line value and many fields */
	buf_reset(&b);
	for (i = 0; i < 3000; i++) {
		snprintf(label, sizeof label, "Property%04ld", i);
		buf_appendf(&b, "%s : value %ld\n", label, i);
	}
	fl_parse(b.data, b.len, &doc, NULL);
	assert_int_equal(doc.nrecords, 1);
	assert_int_equal(doc.records[0].nfields, 3000);
	assert_string_equal(fl_record_value(&doc.records[0], "property2999"),
	    "value 2999");
	fl_doc_free(&doc);
	buf_free(&b);
}

/* ------------------------------------------------------- ingest tests */

static void
append_cert_default(struct buf *b, const char *domains, const char *issuer,
    const char *not_after, const char *not_before, const char *serial,
    const char *services, const char *subject, const char *thumbprint)
{
	const char *kv[] = {
		"AccessRules", ACCESS_RULES,
		"CertificateDomains", domains,
		"HasPrivateKey", "True",
		"IsSelfSigned", "False",
		"Issuer", issuer,
		"NotAfter", not_after,
		"NotBefore", not_before,
		"PublicKeySize", "2048",
		"RootCAType", "ThirdParty",
		"SerialNumber", serial,
		"Services", services,
		"Status", "Valid",
		"Subject", subject,
		"Thumbprint", thumbprint,
		NULL
	};

	emit_record(b, 120, kv);
}

/* Get-ExchangeCertificate | fl on an en-US server: a renewal kept issuer and subject. */
static void
test_ingest_certs_renewal(void **state)
{
	struct evidence		 ev;
	struct buf		 b;
	const struct ev_cert	*old, *new;
	struct tls_cert_name	 n;
	const char		*src = "EXHUB1-1110.zip/certs.txt";

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	buf_append(&b, "\r\n", 2);
	append_cert_default(&b, "{mail.contoso.com, autodiscover.contoso.com}",
	    DIGICERT, "11/2/2026 5:59:59 PM", "11/1/2025 12:00:00 AM",
	    "0C8EE0C90D6A89158804061EE241F9AF", "IMAP, POP, IIS, SMTP",
	    CONTOSO_SUBJ, "6F029E0D20605DB27016B787C4503FD0002C0A11");
	append_cert_default(&b, "{mail.contoso.com, autodiscover.contoso.com}",
	    DIGICERT, "11/28/2027 11:59:59 PM", "10/20/2026 12:00:00 AM",
	    "0A1B2C3D4E5F60718293A4B5C6D7E8F9", "IIS",
	    CONTOSO_SUBJ, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
	buf_append(&b, "\r\n\r\n", 4);

	assert_int_equal(ingest_utf16(&ev, src, b.data), 2);
	assert_true(ev.saw_cert_dump);
	assert_false(ev.saw_send_connector_dump);
	assert_int_equal(ev.ncerts, 2);

	old = find_cert(&ev, "6F029E0D20605DB27016B787C4503FD0002C0A11");
	assert_null(old->server);	/* the default view has no Identity */
	assert_string_equal(old->subject, CONTOSO_SUBJ);
	assert_string_equal(old->issuer, DIGICERT);
	assert_string_equal(old->serial, "0C8EE0C90D6A89158804061EE241F9AF");
	assert_null(old->friendly_name);
	assert_int_equal(old->not_after, iso("2026-11-02T17:59:59Z"));
	assert_int_equal(old->not_before, iso("2025-11-01T00:00:00Z"));
	assert_true(old->domains_known);
	assert_false(old->domains_incomplete);
	assert_int_equal(old->domains.n, 2);
	assert_string_equal(old->domains.v[0], "mail.contoso.com");
	assert_string_equal(old->domains.v[1], "autodiscover.contoso.com");
	assert_int_equal(old->services, SVC_IMAP | SVC_POP | SVC_IIS | SVC_SMTP);
	assert_string_equal(old->status, "Valid");
	assert_int_equal(old->self_signed, TRI_FALSE);
	assert_int_equal(old->has_private_key, TRI_TRUE);
	assert_string_equal(old->root_ca_type, "ThirdParty");
	assert_int_equal(old->key_bits, 2048);
	assert_null(old->signature_algorithm);
	assert_string_equal(old->ref.source, src);
	assert_int_equal(old->ref.line, 2);

	/* lower-case thumbprint upper-cased; the renewal lacks SMTP */
	new = find_cert(&ev, "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678");
	assert_int_equal(new->services, SVC_IIS);
	assert_int_equal(new->not_after, iso("2027-11-28T23:59:59Z"));
	assert_int_equal(new->not_before, iso("2026-10-20T00:00:00Z"));
	assert_int_equal(new->ref.line, 19);	/* AccessRules took three lines */

	/* both match one TlsCertificateName: the ambiguity the report explains */
	tls_cert_name_parse(TLS_NAME, &n);
	assert_true(tls_cert_name_matches(&n, old->issuer, old->subject));
	assert_true(tls_cert_name_matches(&n, new->issuer, new->subject));
	tls_cert_name_clear(&n);

	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING), 0);
	assert_int_equal(diag_count(&ev.diags, DIAG_ERROR), 0);
	buf_free(&b);
	evidence_free(&ev);
}

/* `fl *`: no title, 30+ properties, Identity gives the server. */
static void
test_ingest_cert_fl_star(void **state)
{
	const char *kv[] = {
		"AccessRules", ACCESS_RULES,
		"CertificateDomains", "{mail.contoso.com, autodiscover.contoso.com, "
		    "owa.contoso.com, smtp.contoso.com...}",
		"HasPrivateKey", "True",
		"IsSelfSigned", "False",
		"Issuer", DIGICERT,
		"NotAfter", "11/2/2026 5:59:59 PM",
		"NotBefore", "10/31/2025 12:00:00 AM",
		"PublicKeySize", "2048",
		"RootCAType", "ThirdParty",
		"SerialNumber", "0C8EE0C90D6A89158804061EE241F9AF",
		"Services", "None",
		"Status", "Valid",
		"Subject", CONTOSO_SUBJ,
		"Thumbprint", "6F029E0D20605DB27016B787C4503FD0002C0A11",
		"Archived", "False",
		"Extensions", "{System.Security.Cryptography.Oid, System.Security.Cryptography.Oid, "
		    "System.Security.Cryptography.Oid, System.Security.Cryptography.Oid...}",
		"FriendlyName", "Contoso 2025",
		"IssuerName", "System.Security.Cryptography.X509Certificates.X500DistinguishedName",
		"PrivateKey", "System.Security.Cryptography.RSACryptoServiceProvider",
		"PublicKey", "System.Security.Cryptography.X509Certificates.PublicKey",
		"RawData", "{48, 130, 7, 41...}",
		"SignatureAlgorithm", "System.Security.Cryptography.Oid",
		"SubjectName", "System.Security.Cryptography.X509Certificates.X500DistinguishedName",
		"Version", "3",
		"Handle", "2326523127232",
		"IISServices", "{}",
		"Identity", "EXHUB1.contoso.com\\6F029E0D20605DB27016B787C4503FD0002C0A11",
		"IsValid", "True",
		"ObjectState", "Unchanged",
		"PrivateKeyExportable", "False",
		"ServicesStringForm", "......",
		"KeyIdentifier", "3A9A2E38AE4D1B6CE82A1F3D9E9C7A1B1E4A2D11",
		"RunspaceId", "7f4f2c1e-1d3b-4c5a-9e8f-0a1b2c3d4e5f",
		"PSComputerName", "ignored.contoso.com",
		NULL
	};
	struct evidence		 ev;
	struct buf		 b;
	const struct ev_cert	*c;

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	emit_record(&b, 120, kv);
	assert_int_equal(ingest_utf16(&ev, "EXHUB1/certs_full.txt", b.data), 1);
	assert_int_equal(ev.ncerts, 1);
	c = &ev.certs[0];
	assert_string_equal(c->server, "EXHUB1");
	assert_string_equal(c->friendly_name, "Contoso 2025");
	assert_int_equal(c->services, 0);	/* "None" is known: nothing enabled */
	assert_true(c->domains_known);
	assert_true(c->domains_incomplete);
	assert_int_equal(c->domains.n, 4);
	assert_string_equal(c->domains.v[3], "smtp.contoso.com");
	assert_null(c->signature_algorithm);	/* a type name says nothing */
	/* "11/2/2026" alone is ambiguous; "10/31/2025" settles the file */
	assert_int_equal(c->not_after, iso("2026-11-02T17:59:59Z"));
	assert_int_equal(c->not_before, iso("2025-10-31T00:00:00Z"));
	buf_free(&b);
	evidence_free(&ev);
}

static void
test_ingest_cert_services_forms(void **state)
{
	const char text[] =
	    "Thumbprint    : 03221367D3A3E863698501592A9B9C420D8D3F4E\n"
	    "Subject       : CN=localhost\n"
	    "Services      : 16\n"
	    "PSComputerName : WIN-CTD3L0RGEN4.exlab.dom\n"
	    "SignatureAlgorithm : sha1RSA\n"
	    "\n"
	    "Thumbprint    : E267D459A0FB53D0EF225C11FAC062D522648C09\n"
	    "Subject       : CN=localhost\n"
	    "\n"
	    "Thumbprint    : 611C687DFC4343A5A03E0005A1EC6E9B6AFF586D\n"
	    "Subject       : CN=WIN-CTD3L0RGEN4\n"
	    "Services      : IMAP, POP, IIS\n"
	    "IsSelfSigned  : maybe\n"
	    "PublicKeySize : many\n"
	    "\n"
	    "Thumbprint    : 2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7\n"
	    "Subject       : CN=Microsoft Exchange Server Auth Certificate\n"
	    "Services      :\n"
	    "\n"
	    "Thumbprint    : 3341CEAF3DF4D3A9527EC98BDD53C54ECC3E0620\n"
	    "Subject       : CN=WMSvc-SHA2-WIN-CTD3L0RGEN4\n"
	    "Services      : IIS, SMTP, Teleport\n";
	struct evidence		 ev;
	const struct ev_cert	*c;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "certs.txt", text, sizeof text - 1), 5);
	c = find_cert(&ev, "03221367D3A3E863698501592A9B9C420D8D3F4E");
	assert_int_equal(c->services, SVC_SMTP);
	assert_string_equal(c->server, "WIN-CTD3L0RGEN4");
	assert_string_equal(c->signature_algorithm, "sha1WithRSAEncryption");
	assert_false(c->domains_known);
	c = find_cert(&ev, "E267D459A0FB53D0EF225C11FAC062D522648C09");
	assert_int_equal(c->services, SERVICES_UNKNOWN);	/* no label: unknown */
	assert_null(c->server);
	assert_int_equal(c->not_after, TIME_UNKNOWN);
	c = find_cert(&ev, "611C687DFC4343A5A03E0005A1EC6E9B6AFF586D");
	assert_int_equal(c->services, 11);
	assert_int_equal(c->self_signed, TRI_UNKNOWN);
	assert_int_equal(c->has_private_key, TRI_UNKNOWN);
	assert_int_equal(c->key_bits, -1);
	c = find_cert(&ev, "2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7");
	assert_int_equal(c->services, SERVICES_UNKNOWN);	/* empty: unknown */
	c = find_cert(&ev, "3341CEAF3DF4D3A9527EC98BDD53C54ECC3E0620");
	assert_int_equal(c->services, SVC_IIS | SVC_SMTP);
	assert_true(diags_mention(&ev, DIAG_INFO, "certs.txt", "Teleport", "line 22"));
	evidence_free(&ev);
}

/* Get-SendConnector | fl, UTF-16LE, wrapped TlsCertificateName. */
static void
test_ingest_send_connectors(void **state)
{
	const char *kv1[] = {
		"AddressSpaces", "{SMTP:*;1}",
		"AuthenticationCredential", "",
		"CloudServicesMailEnabled", "True",
		"Comment", "",
		"ConnectedDomains", "{}",
		"ConnectionInactivityTimeOut", "00:10:00",
		"DNSRoutingEnabled", "False",
		"DomainSecureEnabled", "False",
		"Enabled", "True",
		"ErrorPolicies", "Default",
		"ForceHELO", "False",
		"Fqdn", "mail.contoso.com",
		"HomeMTA", "Microsoft MTA",
		"Identity", "Outbound to Office 365",
		"IgnoreSTARTTLS", "False",
		"IsScopedConnector", "False",
		"MaxMessageSize", "35 MB (36,700,160 bytes)",
		"Name", "Outbound to Office 365",
		"Port", "25",
		"ProtocolLoggingLevel", "Verbose",
		"RequireOorg", "False",
		"RequireTLS", "True",
		"SmartHostAuthMechanism", "None",
		"SmartHosts", "{contoso-com.mail.protection.outlook.com}",
		"SmartHostsString", "contoso-com.mail.protection.outlook.com",
		"SourceIPAddress", "0.0.0.0",
		"SourceRoutingGroup", "Exchange Routing Group (DWBGZMFD01QNBJR)",
		"SourceTransportServers", "{EXHUB1, EXHUB2}",
		"TlsAuthLevel", "DomainValidation",
		"TlsCertificateName", TLS_NAME,
		"TlsDomain", "mail.protection.outlook.com",
		"UseExternalDNSServersEnabled", "False",
		NULL
	};
	const char *kv2[] = {
		"AddressSpaces", "{SMTP:*.fabrikam.com;1, SMTP:*.tailspintoys.com;2, "
		    "SMTP:*.adatum.com;3, SMTP:*.litware.com;4...}",
		"DNSRoutingEnabled", "True",
		"Enabled", "False",
		"Identity", "To Partners",
		"Name", "To Partners",
		"ProtocolLoggingLevel", "None",
		"RequireTLS", "False",
		"SmartHosts", "{}",
		"SourceTransportServers", "{ex01.contoso.com, EX02, EX03, EX04...}",
		"TlsAuthLevel", "",
		"TlsCertificateName", "",
		NULL
	};
	struct evidence			 ev;
	struct buf			 b;
	const struct ev_send_connector	*sc;
	struct tls_cert_name		 n;

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	buf_append(&b, "\r\n", 2);
	emit_record(&b, 120, kv1);
	emit_record(&b, 120, kv2);
	/* the name really is wrapped in the file */
	assert_null(strstr(b.data, TLS_NAME));
	assert_int_equal(ingest_utf16(&ev, "Connectors/Send_Connectors.txt", b.data), 2);
	assert_true(ev.saw_send_connector_dump);
	assert_int_equal(ev.nsendc, 2);

	sc = &ev.sendc[0];
	assert_string_equal(sc->name, "Outbound to Office 365");
	assert_int_equal(sc->enabled, TRI_TRUE);
	assert_true(sc->source_servers_known);
	assert_false(sc->source_servers_incomplete);
	assert_int_equal(sc->source_servers.n, 2);
	assert_string_equal(sc->source_servers.v[0], "EXHUB1");
	assert_string_equal(sc->source_servers.v[1], "EXHUB2");
	assert_string_equal(sc->fqdn, "mail.contoso.com");
	assert_string_equal(sc->tls_certificate_name, TLS_NAME);
	assert_int_equal(sc->require_tls, TRI_TRUE);
	assert_string_equal(sc->tls_auth_level, "DomainValidation");
	assert_string_equal(sc->tls_domain, "mail.protection.outlook.com");
	assert_true(sc->smart_hosts_known);
	assert_int_equal(sc->smart_hosts.n, 1);
	assert_string_equal(sc->smart_hosts.v[0], "contoso-com.mail.protection.outlook.com");
	assert_true(sc->address_spaces_known);
	assert_false(sc->address_spaces_incomplete);
	assert_string_equal(sc->address_spaces.v[0], "SMTP:*;1");
	assert_string_equal(sc->protocol_logging_level, "Verbose");
	assert_int_equal(sc->cloud_services_mail_enabled, TRI_TRUE);
	assert_int_equal(sc->source_rank, 1);
	assert_string_equal(sc->ref.source, "Connectors/Send_Connectors.txt");
	assert_int_equal(sc->ref.line, 2);
	tls_cert_name_parse(sc->tls_certificate_name, &n);
	assert_true(n.valid);
	assert_string_equal(n.subject, CONTOSO_SUBJ);
	tls_cert_name_clear(&n);

	sc = &ev.sendc[1];
	assert_string_equal(sc->name, "To Partners");
	assert_int_equal(sc->enabled, TRI_FALSE);
	assert_true(sc->source_servers_incomplete);
	assert_int_equal(sc->source_servers.n, 4);
	assert_string_equal(sc->source_servers.v[0], "EX01");
	assert_true(sc->smart_hosts_known);
	assert_int_equal(sc->smart_hosts.n, 0);
	/* The console cut the list at four: those four, marked cut. */
	assert_int_equal(sc->address_spaces.n, 4);
	assert_string_equal(sc->address_spaces.v[1], "SMTP:*.tailspintoys.com;2");
	assert_string_equal(sc->address_spaces.v[3], "SMTP:*.litware.com;4");
	assert_true(sc->address_spaces_incomplete);
	assert_false(sc->smart_hosts_incomplete);
	assert_null(sc->tls_certificate_name);
	/* Present and empty in the export: not set on the connector. */
	assert_string_equal(sc->tls_auth_level, "");
	assert_null(sc->fqdn);
	assert_int_equal(sc->cloud_services_mail_enabled, TRI_UNKNOWN);
	buf_free(&b);
	evidence_free(&ev);
}

/* Get-Queue | fl: LastError wrapped over two lines. */
static void
test_ingest_queue(void **state)
{
	const char *kv[] = {
		"DeliveryType", "SmartHostConnectorDelivery",
		"NextHopDomain", "contoso-com.mail.protection.outlook.com",
		"TlsDomain", "mail.protection.outlook.com",
		"NextHopConnector", "6a8c4a3e-0b31-4a7e-9d0f-2f7c0c1e5a11",
		"Status", "Retry",
		"MessageCount", "163",
		"LastError", LAST_ERROR,
		"RetryCount", "27",
		"LastRetryTime", "11/10/2026 8:41:12 AM",
		"NextRetryTime", "11/10/2026 8:51:12 AM",
		"FirstRetryTime", "10/28/2026 2:12:09 PM",
		"DeferredMessageCount", "0",
		"LockedMessageCount", "0",
		"MessageCountsPerPriority", "{0, 163, 0, 0}",
		"DeferredMessageCountsPerPriority", "{0, 0, 0, 0}",
		"RiskLevel", "Normal",
		"OutboundIPPool", "0",
		"NextHopCategory", "External",
		"IncomingRate", "0",
		"OutgoingRate", "0",
		"Velocity", "0",
		"QueueIdentity", "EXHUB1\\7",
		"PriorityDescriptions", "{High, Normal, Low, None}",
		"Identity", "EXHUB1\\7",
		"IsValid", "True",
		"ObjectState", "New",
		NULL
	};
	const char *kv2[] = {
		"DeliveryType", "ShadowRedundancy",
		"NextHopDomain", "exhub2.contoso.com",
		"Status", "Ready",
		"MessageCount", "0",
		"LastError", "",
		"LastRetryTime", "",
		"Identity", "EXHUB1\\Shadow\\8",
		NULL
	};
	struct evidence		 ev;
	struct buf		 b;
	const struct ev_queue	*q;
	const char		*p;
	int			 lines = 0;

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	emit_record(&b, 200, kv);
	emit_record(&b, 200, kv2);
	/* LastError takes exactly two physical lines */
	p = strstr(b.data, "LastError");
	for (; *p != '\0' && strncmp(p, "RetryCount", 10) != 0; p++)
		if (*p == '\n')
			lines++;
	assert_int_equal(lines, 2);
	assert_int_equal(ingest_utf16(&ev, "EXHUB1/EXHUB1_InstantQueueInfo.txt", b.data), 2);
	assert_true(ev.saw_queue_dump);
	assert_int_equal(ev.nqueues, 2);
	q = &ev.queues[0];
	assert_string_equal(q->identity, "EXHUB1\\7");
	assert_string_equal(q->server, "EXHUB1");
	assert_string_equal(q->delivery_type, "SmartHostConnectorDelivery");
	assert_string_equal(q->next_hop_domain, "contoso-com.mail.protection.outlook.com");
	assert_string_equal(q->next_hop_connector, "6a8c4a3e-0b31-4a7e-9d0f-2f7c0c1e5a11");
	assert_string_equal(q->tls_domain, "mail.protection.outlook.com");
	assert_string_equal(q->status, "Retry");
	assert_int_equal(q->message_count, 163);
	assert_string_equal(q->last_error, LAST_ERROR);
	/* only FirstRetryTime (not kept) settles the order for LastRetryTime */
	assert_int_equal(q->last_retry_time, iso("2026-11-10T08:41:12Z"));
	/* Format-List text: the server's clock, read as UTC, not exact. */
	assert_false(q->last_retry_time_exact);
	assert_int_equal(q->ref.line, 1);
	q = &ev.queues[1];
	assert_string_equal(q->server, "EXHUB1");
	assert_int_equal(q->message_count, 0);
	assert_null(q->last_error);
	assert_int_equal(q->last_retry_time, TIME_UNKNOWN);
	assert_false(q->last_retry_time_exact);
	assert_null(q->tls_domain);
	buf_free(&b);
	evidence_free(&ev);
}

/* en-AU: day first with slashes; the deciding date is in a later record. */
static void
test_ingest_dates_en_au(void **state)
{
	const char text[] =
	    "Thumbprint : 03221367D3A3E863698501592A9B9C420D8D3F4E\r\n"
	    "Subject    : CN=localhost\r\n"
	    "NotBefore  : 12/02/2018 1:53:00 PM\r\n"
	    "NotAfter   : 12/02/2023 1:53:00 PM\r\n"
	    "\r\n"
	    "Thumbprint : E267D459A0FB53D0EF225C11FAC062D522648C09\r\n"
	    "Subject    : CN=localhost\r\n"
	    "NotBefore  : 6/08/2021 9:05:00 AM\r\n"
	    "NotAfter   : 25/02/2026 9:05:00 AM\r\n";
	struct evidence		 ev;
	const struct ev_cert	*c;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_utf16(&ev, "au.txt", text), 2);
	c = find_cert(&ev, "03221367D3A3E863698501592A9B9C420D8D3F4E");
	assert_int_equal(c->not_before, iso("2018-02-12T13:53:00Z"));
	assert_int_equal(c->not_after, iso("2023-02-12T13:53:00Z"));
	c = find_cert(&ev, "E267D459A0FB53D0EF225C11FAC062D522648C09");
	assert_int_equal(c->not_before, iso("2021-08-06T09:05:00Z"));
	assert_int_equal(c->not_after, iso("2026-02-25T09:05:00Z"));
	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING), 0);
	evidence_free(&ev);
}

/* de/ru servers: dots, 24-hour clock. */
static void
test_ingest_dates_dots(void **state)
{
	const char text[] =
	    "CertificateDomains : {mail.contoso.de}\n"
	    "NotAfter           : 02.03.2029 09:14:03\n"
	    "NotBefore          : 02.02.2028 4:22:23\n"
	    "Services           : IIS, SMTP\n"
	    "Subject            : CN=mail.contoso.de\n"
	    "Thumbprint         : 2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "de.txt", text, sizeof text - 1), 1);
	assert_int_equal(ev.certs[0].not_after, iso("2029-03-02T09:14:03Z"));
	assert_int_equal(ev.certs[0].not_before, iso("2028-02-02T04:22:23Z"));
	evidence_free(&ev);
}

/* Nothing in the file settles the order: ambiguous dates stay unknown. */
static void
test_ingest_dates_undecidable(void **state)
{
	const char text[] =
	    "Thumbprint : 03221367D3A3E863698501592A9B9C420D8D3F4E\n"
	    "Subject    : CN=mail.contoso.com\n"
	    "NotBefore  : 3/4/2026 10:00:00 AM\n"
	    "NotAfter   : 5/5/2027 10:00:00 AM\n"
	    "\n"
	    "Thumbprint : E267D459A0FB53D0EF225C11FAC062D522648C09\n"
	    "Subject    : CN=mail.contoso.com\n"
	    "NotBefore  : 2/6/2026 8:00:00 PM\n"
	    "NotAfter   : 2026-11-02 17:59:59\n";
	struct evidence		 ev;
	const struct ev_cert	*c;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "case/certs.txt", text, sizeof text - 1), 2);
	c = find_cert(&ev, "03221367D3A3E863698501592A9B9C420D8D3F4E");
	assert_int_equal(c->not_before, TIME_UNKNOWN);
	/* day == month: both readings agree */
	assert_int_equal(c->not_after, iso("2027-05-05T10:00:00Z"));
	c = find_cert(&ev, "E267D459A0FB53D0EF225C11FAC062D522648C09");
	assert_int_equal(c->not_before, TIME_UNKNOWN);
	assert_int_equal(c->not_after, iso("2026-11-02T17:59:59Z"));
	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING), 2);
	assert_true(diags_mention(&ev, DIAG_WARNING, "case/certs.txt",
	    "NotBefore \"3/4/2026 10:00:00 AM\"", "undecidable"));
	assert_true(diags_mention(&ev, DIAG_WARNING, "case/certs.txt",
	    "line 8", "NotBefore"));
	evidence_free(&ev);
}

/* A broken record is reported and skipped; the rest is read. */
static void
test_ingest_bad_records(void **state)
{
	const char text[] =
	    "Thumbprint : 6F029E0D20605DB27016B787C450\n"
	    "Subject    : CN=mail.contoso.com\n"
	    "NotAfter   : 11/28/2026 11:59:59 PM\n"
	    "\n"
	    "Thumbprint : 6F02 9E0D 2060 5DB2 7016 B787 C450 3FD0 002C 0A11\n"
	    "Subject    : CN=mail.contoso.com\n"
	    "NotAfter   : next Tuesday\n";
	const char only_bad[] =
	    "Thumbprint : not-a-thumbprint\nSubject : CN=x\n";
	struct evidence	ev;

	(void)state;
	/*
	 * A record whose thumbprint is not one is still a certificate: kept
	 * with what it carries, its thumbprint unknown, said so.
	 */
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "bad.txt", text, sizeof text - 1), 2);
	assert_int_equal(ev.ncerts, 2);
	/* In the order read (nothing sorts them before the evidence's finish). */
	assert_null(ev.certs[0].thumbprint);
	assert_string_equal(ev.certs[0].subject, "CN=mail.contoso.com");
	assert_int_equal(ev.certs[0].not_after, iso("2026-11-28T23:59:59Z"));
	assert_string_equal(ev.certs[1].thumbprint,
	    "6F029E0D20605DB27016B787C4503FD0002C0A11");
	assert_int_equal(ev.certs[1].not_after, TIME_UNKNOWN);
	assert_true(diags_mention(&ev, DIAG_WARNING, "bad.txt", "line 1",
	    "thumbprint"));
	assert_true(diags_mention(&ev, DIAG_WARNING, "bad.txt", "line 7",
	    "next Tuesday"));
	evidence_free(&ev);

	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "bad2.txt", only_bad, sizeof only_bad - 1), 1);
	assert_true(ev.saw_cert_dump);
	assert_int_equal(ev.ncerts, 1);
	assert_null(ev.certs[0].thumbprint);
	assert_true(diags_mention(&ev, DIAG_WARNING, "bad2.txt", "not-a-thumbprint", NULL));
	evidence_free(&ev);
}

/* Several cmdlets in one transcript-like file, with prompts between them. */
static void
test_ingest_mixed_with_prompts(void **state)
{
	const char text[] =
	    "[PS] C:\\Windows\\system32>Get-ReceiveConnector | fl Identity,Bindings\n"
	    "\n"
	    "Identity : EXHUB1\\Default Frontend EXHUB1\n"
	    "Bindings : {[::]:25, 0.0.0.0:25}\n"
	    "\n"
	    "[PS] C:\\Windows\\system32>Get-Queue | fl\n"
	    "\n"
	    "Identity      : EXHUB2\\Submission\n"
	    "DeliveryType  : Undefined\n"
	    "Status        : Ready\n"
	    "MessageCount  : 0\n"
	    "LastRetryTime : 11/19/2026 10:00:04 PM\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "transcript.txt", text, sizeof text - 1), 2);
	assert_true(ev.saw_receive_connector_dump);
	assert_int_equal(ev.nrecvc, 1);
	assert_string_equal(ev.recvc[0].server, "EXHUB1");
	assert_string_equal(ev.recvc[0].name, "Default Frontend EXHUB1");
	assert_int_equal(ev.recvc[0].bindings.n, 2);
	assert_string_equal(ev.recvc[0].bindings.v[0], "[::]:25");
	assert_true(ev.saw_queue_dump);
	assert_false(ev.saw_cert_dump);
	assert_int_equal(ev.nqueues, 1);
	assert_string_equal(ev.queues[0].server, "EXHUB2");
	assert_int_equal(ev.queues[0].ref.line, 8);
	assert_int_equal(ev.queues[0].last_retry_time, iso("2026-11-19T22:00:04Z"));
	evidence_free(&ev);
}

/* ------------------------------------------------ evidence as pasted */

/* Console prompts name the cmdlet and the server; placeholders name none. */
static void
test_prompt_commands(void **state)
{
	static const struct {
		const char	*line;
		const char	*cmdlet, *server, *identity;
	} cases[] = {
		{ "[PS] C:\\Windows\\system32>Get-ExchangeCertificate -Server excas1 | fl",
		  "Get-ExchangeCertificate", "EXCAS1", NULL },
		{ "PS C:\\> Get-Queue EX07\\50 | fl", "Get-Queue", "EX07", "EX07\\50" },
		{ "PS> Get-TransportService -Identity exhub1.contoso.com | fl",
		  "Get-TransportService", "EXHUB1", "exhub1.contoso.com" },
		{ "PS C:\\Users\\admin> Get-ReceiveConnector \"EX02\\Default Frontend EX02\" | fl",
		  "Get-ReceiveConnector", "EX02", "EX02\\Default Frontend EX02" },
		{ "[PS] C:\\>Get-ExchangeCertificate -Server $env:COMPUTERNAME | fl",
		  "Get-ExchangeCertificate", NULL, NULL },
		{ "[PS] C:\\>Get-Queue -Server <server name>", "Get-Queue", NULL, NULL },
		{ "[PS] C:\\Windows\\system32>", NULL, NULL, NULL },
	};
	struct prompt_cmd	 pc;
	const char		*cmd;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_true(prompt_line(cases[i].line, strlen(cases[i].line), &cmd,
		    &n));
		prompt_cmd_parse(cmd, n, &pc);
		if (cases[i].cmdlet == NULL)
			assert_null(pc.cmdlet);
		else
			assert_string_equal(pc.cmdlet, cases[i].cmdlet);
		if (cases[i].server == NULL)
			assert_null(pc.server);
		else
			assert_string_equal(pc.server, cases[i].server);
		if (cases[i].identity == NULL)
			assert_null(pc.identity);
		else
			assert_string_equal(pc.identity, cases[i].identity);
		prompt_cmd_free(&pc);
	}
	/* A property labelled PS is no prompt. */
	assert_false(prompt_line("PS        : 5.1", 15, NULL, NULL));
}

/*
 * A Get-Queue record cut for a post: without Identity it is a queue still;
 * its identity comes from the command above it, or stays unknown, said so;
 * a stray colon in a label reads as the label.
 */
static void
test_ingest_queue_cut_identity(void **state)
{
	const char cut[] =
	    "\r\n"
	    "DeliveryType             : SmtpRelayToRemoteAdSite\r\n"
	    "NextHopDomain            : site-b\r\n"
	    "Status:                  : Retry\r\n"
	    "MessageCount             : 12481\r\n"
	    "LastError                : 451 4.4.0 Primary target IP address responded with: \"454 4.7.0 Temporary authentication fail\r\n"
	    "                           ure.\"\r\n";
	const char named[] =
	    "[PS] C:\\Windows\\system32>Get-Queue EX07\\50 | fl\n"
	    "\n"
	    "DeliveryType  : DnsConnectorDelivery\n"
	    "NextHopDomain : partner.example\n"
	    "Status        : Retry\n"
	    "MessageCount  : 3\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "q.txt", cut, sizeof cut - 1), 1);
	assert_int_equal(ev.nqueues, 1);
	assert_null(ev.queues[0].identity);
	assert_null(ev.queues[0].server);
	assert_string_equal(ev.queues[0].status, "Retry");
	assert_int_equal(ev.queues[0].message_count, 12481);
	assert_non_null(strstr(ev.queues[0].last_error,
	    "454 4.7.0 Temporary authentication failure."));
	assert_true(diags_mention(&ev, DIAG_WARNING, "q.txt", "line 2",
	    "without an Identity"));
	assert_true(diags_mention(&ev, DIAG_INFO, "q.txt", "stray colon",
	    "Status:"));
	evidence_free(&ev);

	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "q2.txt", named, sizeof named - 1), 1);
	assert_string_equal(ev.queues[0].identity, "EX07\\50");
	assert_string_equal(ev.queues[0].server, "EX07");
	assert_true(diags_mention(&ev, DIAG_INFO, "q2.txt", "EX07\\50",
	    "command"));
	evidence_free(&ev);
}

/*
 * Certificate records cut or masked for a post are kept with what they
 * carry, their thumbprint unknown and never matched; the prompt names the
 * server.
 */
static void
test_ingest_cert_partial(void **state)
{
	const char text[] =
	    "PS C:\\> Get-ExchangeCertificate -Server excas1 | fl\n"
	    "\n"
	    "Issuer       : CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US\n"
	    "NotAfter:    : 11/12/2026 11:59:59 PM\n"
	    "NotBefore    : 10/14/2025 1:00:00 AM\n"
	    "SerialNumber : 0A3F***********************9C1\n"
	    "Services     : IMAP, POP, IIS, SMTP\n"
	    "\n"
	    "Subject      : CN=mail.fabrikam.com\n"
	    "Thumbprint   : 79102C505AD17B79CA***3106B478751926A6435\n"
	    "Services     : IIS\n"
	    "NotAfter     : 11/27/2027 11:59:59 PM\n";
	const char two_lines[] =
	    "FriendlyName : Microsoft Exchange  \n"
	    "Services : IMAP, POP, IIS, SMTP\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "c.txt", text, sizeof text - 1), 2);
	assert_int_equal(ev.ncerts, 2);
	assert_null(ev.certs[0].thumbprint);
	assert_null(ev.certs[0].thumbprint_masked);
	assert_null(ev.certs[0].serial);		/* masked too */
	assert_string_equal(ev.certs[0].server, "EXCAS1");
	assert_int_equal(ev.certs[0].server_clue, ATTR_COMMAND);
	assert_int_equal(ev.certs[0].services, SVC_IMAP | SVC_POP | SVC_IIS |
	    SVC_SMTP);
	assert_int_equal(ev.certs[0].not_after, iso("2026-11-12T23:59:59Z"));
	assert_true(diags_mention(&ev, DIAG_WARNING, "c.txt", "line 3",
	    "without a Thumbprint"));
	assert_null(ev.certs[1].thumbprint);
	assert_string_equal(ev.certs[1].thumbprint_masked,
	    "79102C505AD17B79CA***3106B478751926A6435");
	assert_string_equal(ev.certs[1].subject, "CN=mail.fabrikam.com");
	assert_true(diags_mention(&ev, DIAG_WARNING, "c.txt", "line 9",
	    "masked"));
	evidence_free(&ev);

	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "kb.txt", two_lines, sizeof two_lines - 1), 1);
	assert_int_equal(ev.ncerts, 1);
	assert_string_equal(ev.certs[0].friendly_name, "Microsoft Exchange");
	assert_int_equal(ev.certs[0].services, SVC_IMAP | SVC_POP | SVC_IIS |
	    SVC_SMTP);
	evidence_free(&ev);
}

static void
test_ingest_not_ours(void **state)
{
	const char text[] =
	    "Identity                              : EXHUB1\n"
	    "InternalTransportCertificateThumbprint : 6F029E0D20605DB27016B787C4503FD0002C0A11\n";
	const char receive_only[] =
	    "Identity : EXHUB1\\Client Frontend EXHUB1\nBindings : {[::]:587}\n";
	const char other[] =
	    "ProcessName : w3wp\nId          : 4242\n\nProcessName : smss\nId : 7\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	/* Get-TransportService and Get-ReceiveConnector are read now. */
	assert_int_equal(ingest_fl(&ev, "transport.txt", text, sizeof text - 1), 1);
	assert_int_equal(ev.diags.n, 0);
	assert_true(ev.saw_transport_service_dump);
	assert_int_equal(ev.ntransport, 1);
	assert_string_equal(ev.transport[0].server, "EXHUB1");
	assert_string_equal(ev.transport[0].internal_transport_certificate,
	    "6F029E0D20605DB27016B787C4503FD0002C0A11");
	assert_int_equal(ingest_fl(&ev, "empty.txt", "", 0), 0);
	assert_int_equal(ingest_fl(&ev, "rc.txt", receive_only, sizeof receive_only - 1), 1);
	assert_true(ev.saw_receive_connector_dump);
	assert_int_equal(ev.nrecvc, 1);
	assert_int_equal(ev.ncerts + ev.nsendc + ev.nqueues, 0);
	/* Records of another cmdlet: nothing read, and a word saying so. */
	assert_int_equal(ingest_fl(&ev, "ps.txt", other, sizeof other - 1), 0);
	assert_true(diags_mention(&ev, DIAG_INFO, "ps.txt", "ProcessName", "2 record"));
	evidence_free(&ev);
}

static void
test_ingest_many_certs(void **state)
{
	struct buf	 b;
	struct evidence	 ev;
	char		 tp[41];
	long		 i;

	(void)state;
	buf_init(&b, 64u << 20);
	for (i = 0; i < 2000; i++) {
		snprintf(tp, sizeof tp, "%040lX", i);
		buf_appendf(&b, "Identity   : EX%02ld.contoso.com\\%s\r\n"
		    "NotAfter   : 11/%ld/2026 5:59:59 PM\r\n"
		    "Subject    : CN=host%ld.contoso.com\r\n"
		    "Thumbprint : %s\r\n\r\n", i % 7, tp, i % 28 + 1, i, tp);
	}
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "big.txt", b.data, b.len), 2000);
	assert_int_equal(ev.ncerts, 2000);
	assert_string_equal(ev.certs[1999].server, "EX04");
	assert_int_equal(ev.certs[1999].not_after, iso("2026-11-12T17:59:59Z"));
	evidence_free(&ev);
	buf_free(&b);
}

/* --------------------------------------- day/month order from other files */

/* Get-Queue | fl, one record, as a console 120 columns wide prints it. */
static void
append_queue(struct buf *b, const char *identity, const char *last_retry)
{
	const char *kv[] = {
		"DeliveryType", "SmartHostConnectorDelivery",
		"NextHopDomain", "outbound to office 365",
		"Status", "Retry",
		"MessageCount", "37",
		"LastError", LAST_ERROR,
		"LastRetryTime", last_retry,
		"Identity", identity,
		NULL
	};

	emit_record(b, 120, kv);
}

static void
append_cert(struct buf *b, const char *thumbprint, const char *not_before,
    const char *not_after)
{
	append_cert_default(b, "{mail.contoso.com}", DIGICERT, not_after,
	    not_before, "0C6B2E4F1A9D3E5C7B8A9D0E1F2A3B4C", "IIS, SMTP",
	    CONTOSO_SUBJ, thumbprint);
}

/* Ingests what `b` holds as UTF-16LE and empties it. */
static int
ingest_buf(struct ingest_ctx *ctx, const char *source, struct buf *b)
{
	unsigned char	*bytes;
	char		*text;
	size_t		 len, tlen;
	int		 rc;

	bytes = utf16le_bom(b->data, &len);
	text = text_to_utf8(bytes, len, &tlen, NULL, NULL);
	rc = ingest_fl_ctx(ctx, source, text, tlen);
	free(text);
	free(bytes);
	buf_reset(b);
	return rc;
}

static const struct ev_queue *
find_queue(const struct evidence *ev, const char *identity)
{
	size_t	i;

	for (i = 0; i < ev->nqueues; i++)
		if (strcmp(ev->queues[i].identity, identity) == 0)
			return &ev->queues[i];
	fail_msg("queue %s not found", identity);
	return NULL;
}

static bool
diag_is(const struct evidence *ev, enum diag_level level, const char *source,
    const char *message)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++)
		if (ev->diags.v[i].level == level &&
		    strcmp(ev->diags.v[i].source, source) == 0 &&
		    strcmp(ev->diags.v[i].message, message) == 0)
			return true;
	return false;
}

#define TP1	"E7BA3D2484BA61BCB8E836B8889EC9AFC539EEA9"
#define TP2	"BD3762349EB346E1F3CEDA045F70D26F535BEA0A"
#define TP3	"71D40A20489FC32B451B4B8467B23D924FBC34D0"
#define TP4	"93AEFF4CC657E1C468055906924A6EDAA85C7569"

/*
 * The queue dump's only date reads either way; the certificate dump beside
 * it, read later, is month first: the queue's date is read month first.
 */
static void
test_held_takes_later_sibling_order(void **state)
{
	struct evidence		 ev;
	struct ingest_ctx	ctx;
	struct buf		 b;
	const struct ev_queue	*q;

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	ingest_ctx_init(&ctx, &ev);
	ingest_held_defer(&ctx);

	append_queue(&b, "EXHUB1\\3", "11/10/2026 00:41:12");
	append_queue(&b, "EXHUB1\\Shadow\\4", "");
	assert_int_equal(ingest_buf(&ctx, "case.zip/EXHUB1/queue.txt", &b), 2);
	/* held: nothing read yet */
	assert_int_equal(ev.nqueues, 0);
	assert_false(ev.saw_queue_dump);
	assert_int_equal(ctx.held.nfiles, 1);

	append_cert(&b, TP1, "11/3/2026 12:00:00 AM", "11/28/2027 11:59:59 PM");
	assert_int_equal(ingest_buf(&ctx, "case.zip/EXHUB1/certs.txt", &b), 1);
	assert_int_equal(ev.ncerts, 1);
	assert_int_equal(ev.certs[0].not_after, iso("2027-11-28T23:59:59Z"));

	ingest_held_finish(&ctx);
	assert_true(ev.saw_queue_dump);
	assert_int_equal(ev.nqueues, 2);
	q = find_queue(&ev, "EXHUB1\\3");
	assert_int_equal(q->last_retry_time, iso("2026-11-10T00:41:12Z"));
	assert_string_equal(q->ref.source, "case.zip/EXHUB1/queue.txt");
	assert_int_equal(find_queue(&ev, "EXHUB1\\Shadow\\4")->last_retry_time,
	    TIME_UNKNOWN);
	/* A neighbour's order is a guess, and said to be one. */
	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING), 1);
	assert_int_equal(diag_count(&ev.diags, DIAG_INFO), 0);
	assert_true(diag_is(&ev, DIAG_WARNING, "case.zip/EXHUB1/queue.txt",
	    "day/month order guessed from case.zip/EXHUB1/certs.txt (month "
	    "first): the file itself cannot tell, so its dates that read both "
	    "ways are marked as a guess"));
	assert_true(q->last_retry_time_order_guessed);
	assert_false(ctx.held.enabled);
	assert_int_equal(ctx.held.nfiles + ctx.held.nnotes, 0);

	/* Finished: files are read at once again, undecided. */
	append_queue(&b, "EXHUB1\\5", "3/4/2026 10:00:00");
	assert_int_equal(ingest_buf(&ctx, "case.zip/EXHUB1/queue2.txt", &b), 1);
	assert_int_equal(find_queue(&ev, "EXHUB1\\5")->last_retry_time,
	    TIME_UNKNOWN);
	assert_true(diags_mention(&ev, DIAG_WARNING, "case.zip/EXHUB1/queue2.txt",
	    "LastRetryTime \"3/4/2026 10:00:00\"", "undecidable"));
	buf_free(&b);
	ingest_ctx_free(&ctx);
	evidence_free(&ev);
}

/*
 * EXHUB1 runs en-US (month first), EXHUB2 en-GB (day first, slashes too):
 * each server's files take their own server's order; a file under a
 * server's subfolder takes the server's; one above both takes neither.
 */
static void
test_held_order_per_server(void **state)
{
	struct evidence		 ev;
	struct ingest_ctx	ctx;
	struct buf		 b;

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	ingest_ctx_init(&ctx, &ev);
	ingest_held_defer(&ctx);

	append_queue(&b, "EXHUB2\\7", "11/10/2026 09:14:03");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB2/queue.txt", &b), 1);
	append_cert(&b, TP1, "11/3/2026 12:00:00 AM", "11/28/2027 11:59:59 PM");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB1/certs.txt", &b), 1);
	append_queue(&b, "EXHUB1\\3", "11/10/2026 00:41:12");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB1/queue.txt", &b), 1);
	append_cert(&b, TP2, "4/11/2024 12:00:00", "27/10/2027 10:31:02");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB2/certs.txt", &b), 1);
	append_queue(&b, "EXHUB2\\4", "3/4/2026 10:00:00");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB2/Archive/queue-old.txt", &b), 1);
	/* EXHUB3's only deciding file sits in a subfolder */
	append_cert(&b, TP3, "1/15/2024 6:03:51 PM", "1/15/2029 6:03:51 PM");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB3/Certificates/certs.txt", &b), 1);
	append_queue(&b, "EXHUB3\\2", "5/6/2026 08:00:00");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB3/queue.txt", &b), 1);
	append_queue(&b, "EXHUB9\\1", "3/4/2026 10:00:00");
	assert_int_equal(ingest_buf(&ctx, "case/queue-all.txt", &b), 1);
	assert_int_equal(ev.nqueues, 0);

	ingest_held_finish(&ctx);
	assert_int_equal(ev.nqueues, 5);
	assert_int_equal(find_queue(&ev, "EXHUB2\\7")->last_retry_time,
	    iso("2026-10-11T09:14:03Z"));
	assert_int_equal(find_queue(&ev, "EXHUB1\\3")->last_retry_time,
	    iso("2026-11-10T00:41:12Z"));
	assert_int_equal(find_queue(&ev, "EXHUB2\\4")->last_retry_time,
	    iso("2026-04-03T10:00:00Z"));
	assert_int_equal(find_queue(&ev, "EXHUB3\\2")->last_retry_time,
	    iso("2026-05-06T08:00:00Z"));
	assert_int_equal(find_queue(&ev, "EXHUB9\\1")->last_retry_time,
	    TIME_UNKNOWN);
	assert_true(diag_is(&ev, DIAG_WARNING, "case/EXHUB2/queue.txt",
	    "day/month order guessed from case/EXHUB2/certs.txt (day first): "
	    "the file itself cannot tell, so its dates that read both ways are "
	    "marked as a guess"));
	assert_true(diag_is(&ev, DIAG_WARNING, "case/EXHUB1/queue.txt",
	    "day/month order guessed from case/EXHUB1/certs.txt (month first): "
	    "the file itself cannot tell, so its dates that read both ways are "
	    "marked as a guess"));
	assert_true(diag_is(&ev, DIAG_WARNING, "case/EXHUB2/Archive/queue-old.txt",
	    "day/month order guessed from case/EXHUB2/certs.txt (day first): "
	    "the file itself cannot tell, so its dates that read both ways are "
	    "marked as a guess"));
	assert_true(diag_is(&ev, DIAG_WARNING, "case/EXHUB3/queue.txt",
	    "day/month order guessed from case/EXHUB3/Certificates/certs.txt "
	    "(month first): the file itself cannot tell, so its dates that read "
	    "both ways are marked as a guess"));
	assert_true(diag_is(&ev, DIAG_INFO, "case/queue-all.txt",
	    "day/month order not taken from other files: the nearest ones "
	    "(3 files under case) are not all in one order"));
	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING), 5);
	assert_true(diags_mention(&ev, DIAG_WARNING, "case/queue-all.txt",
	    "LastRetryTime \"3/4/2026 10:00:00\"", "undecidable"));
	buf_free(&b);
	ingest_ctx_free(&ctx);
	evidence_free(&ev);
}

/*
 * One folder per server, and each server's console may print dates in its
 * own culture: EXHUB2's file that cannot tell takes nothing from EXHUB1's
 * (its dates stay unknown), while a folder named by kind (Queues/) still
 * takes the order of the case around it.
 */
static void
test_held_order_not_from_other_servers(void **state)
{
	struct evidence		 ev;
	struct ingest_ctx	ctx;
	struct buf		 b;

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	ingest_ctx_init(&ctx, &ev);
	ingest_held_defer(&ctx);

	append_cert(&b, TP1, "11/3/2026 12:00:00 AM", "11/28/2027 11:59:59 PM");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB1/certs.txt", &b), 1);
	append_queue(&b, "EXHUB2\\7", "05/11/2026 13:00:00");
	assert_int_equal(ingest_buf(&ctx, "case/EXHUB2/queue.txt", &b), 1);
	append_queue(&b, "EXHUB1\\3", "11/10/2026 00:41:12");
	assert_int_equal(ingest_buf(&ctx, "case/Queues/queue.txt", &b), 1);
	ingest_held_finish(&ctx);
	assert_int_equal(ev.nqueues, 2);
	assert_int_equal(find_queue(&ev, "EXHUB2\\7")->last_retry_time,
	    TIME_UNKNOWN);
	assert_true(diag_is(&ev, DIAG_INFO, "case/EXHUB2/queue.txt",
	    "day/month order not taken from other files: the nearest ones "
	    "(case/EXHUB1/certs.txt first) lie in other servers' folders, whose "
	    "consoles may print dates otherwise"));
	assert_true(diags_mention(&ev, DIAG_WARNING, "case/EXHUB2/queue.txt",
	    "LastRetryTime \"05/11/2026 13:00:00\"", "undecidable"));
	assert_int_equal(find_queue(&ev, "EXHUB1\\3")->last_retry_time,
	    iso("2026-11-10T00:41:12Z"));
	assert_true(diag_is(&ev, DIAG_WARNING, "case/Queues/queue.txt",
	    "day/month order guessed from case/EXHUB1/certs.txt (month first): "
	    "the file itself cannot tell, so its dates that read both ways are "
	    "marked as a guess"));
	buf_free(&b);
	ingest_ctx_free(&ctx);
	evidence_free(&ev);
}

/*
 * Siblings that disagree, or one that contradicts itself, settle nothing,
 * and a farther file that would agree is not asked: dates stay unknown.
 */
static void
test_held_siblings_disagree(void **state)
{
	struct evidence		 ev;
	struct ingest_ctx	ctx;
	struct buf		 b;

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	ingest_ctx_init(&ctx, &ev);
	ingest_held_defer(&ctx);

	append_cert(&b, TP1, "11/3/2026 12:00:00 AM", "11/28/2027 11:59:59 PM");
	assert_int_equal(ingest_buf(&ctx, "b/EX01/certs-us.txt", &b), 1);
	append_cert(&b, TP2, "4/11/2024 12:00:00", "27/10/2027 10:31:02");
	assert_int_equal(ingest_buf(&ctx, "b/EX01/certs-gb.txt", &b), 1);
	append_queue(&b, "EX01\\3", "11/10/2026 00:41:12");
	assert_int_equal(ingest_buf(&ctx, "b/EX01/queue.txt", &b), 1);

	/* one file both month first and day first */
	append_cert(&b, TP3, "11/28/2026 11:59:59 PM", "28/11/2027 23:59:59");
	assert_int_equal(ingest_buf(&ctx, "b/EX02/certs.txt", &b), 1);
	append_cert(&b, TP4, "1/15/2024 6:03:51 PM", "1/15/2029 6:03:51 PM");
	assert_int_equal(ingest_buf(&ctx, "b/more-certs.txt", &b), 1);
	append_queue(&b, "EX02\\3", "11/10/2026 00:41:12");
	assert_int_equal(ingest_buf(&ctx, "b/EX02/queue.txt", &b), 1);

	ingest_held_finish(&ctx);
	assert_int_equal(find_queue(&ev, "EX01\\3")->last_retry_time,
	    TIME_UNKNOWN);
	assert_int_equal(find_queue(&ev, "EX02\\3")->last_retry_time,
	    TIME_UNKNOWN);
	assert_true(diags_mention(&ev, DIAG_WARNING, "b/EX01/queue.txt",
	    "LastRetryTime \"11/10/2026 00:41:12\" shown as written",
	    "undecidable"));
	assert_true(diags_mention(&ev, DIAG_WARNING, "b/EX02/queue.txt",
	    "LastRetryTime \"11/10/2026 00:41:12\" shown as written",
	    "undecidable"));
	assert_true(diag_is(&ev, DIAG_INFO, "b/EX01/queue.txt",
	    "day/month order not taken from other files: the nearest ones "
	    "(2 files in b/EX01) are not all in one order"));
	assert_true(diag_is(&ev, DIAG_INFO, "b/EX02/queue.txt",
	    "day/month order not taken from other files: the nearest ones "
	    "(1 file in b/EX02) are not all in one order"));
	assert_false(diags_mention(&ev, DIAG_INFO, "b/EX01/queue.txt",
	    "taken from b/", NULL));
	buf_free(&b);
	ingest_ctx_free(&ctx);
	evidence_free(&ev);
}

/*
 * Nothing else to go by (a file decided by year-first dates says nothing of
 * day and month): unknown, as without holding.
 */
static void
test_held_alone(void **state)
{
	const char iso_dates[] =
	    "Thumbprint : 03221367D3A3E863698501592A9B9C420D8D3F4E\n"
	    "Subject    : CN=mail.contoso.com\n"
	    "NotBefore  : 2026-11-02 17:59:59\n"
	    "NotAfter   : 2027-11-02 17:59:59\n";
	struct evidence		 ev;
	struct ingest_ctx	ctx;
	struct buf		 b;

	(void)state;
	evidence_init(&ev);
	buf_init(&b, 1 << 20);
	ingest_ctx_init(&ctx, &ev);
	ingest_held_defer(&ctx);
	append_queue(&b, "EXHUB1\\3", "11/10/2026 00:41:12");
	assert_int_equal(ingest_buf(&ctx, "solo/queue.txt", &b), 1);
	assert_int_equal(ingest_fl_ctx(&ctx, "solo/iso.txt", iso_dates,
	    sizeof iso_dates - 1), 1);
	assert_int_equal(ctx.held.nnotes, 0);
	ingest_held_finish(&ctx);
	assert_int_equal(ev.nqueues, 1);
	assert_int_equal(ev.queues[0].last_retry_time, TIME_UNKNOWN);
	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING), 1);
	assert_true(diags_mention(&ev, DIAG_WARNING, "solo/queue.txt",
	    "LastRetryTime \"11/10/2026 00:41:12\"", "undecidable"));
	assert_int_equal(diag_count(&ev.diags, DIAG_INFO), 0);
	buf_free(&b);
	ingest_ctx_free(&ctx);
	evidence_free(&ev);
}

/*
 * Only files that need it are held, and a held file counts the objects it
 * will add; what is held is freed with the evidence even if never read.
 */
static void
test_held_only_when_needed(void **state)
{
	const char unkept[] =
	    "Identity      : EXHUB1\\Submission\n"
	    "DeliveryType  : Undefined\n"
	    "Status        : Ready\n"
	    "LastRetryTime : 2/2/2026 10:00:00 AM\n"
	    "NextRetryTime : 3/2/2026 10:00:00 AM\n";
	const char mixed[] =
	    "Identity : EXHUB1\\Default Frontend EXHUB1\n"
	    "Bindings : {[::]:25, 0.0.0.0:25}\n"
	    "\n"
	    "Thumbprint : not-a-thumbprint\n"
	    "NotAfter   : 3/4/2027 10:00:00\n"
	    "\n"
	    "Identity      : EXHUB1\\9\n"
	    "DeliveryType  : SmartHostConnectorDelivery\n"
	    "LastRetryTime : 3/4/2026 10:00:00\n"
	    "\n"
	    "Name                   : Outbound to Office 365\n"
	    "SourceTransportServers : {EXHUB1}\n";
	struct evidence	ev;
	struct ingest_ctx	ctx;

	(void)state;
	evidence_init(&ev);
	ingest_ctx_init(&ctx, &ev);
	ingest_held_defer(&ctx);
	/* the ambiguous date (NextRetryTime) is not one that is kept */
	assert_int_equal(ingest_fl_ctx(&ctx, "x/unkept.txt", unkept,
	    sizeof unkept - 1), 1);
	assert_int_equal(ev.nqueues, 1);
	assert_int_equal(ev.queues[0].last_retry_time, iso("2026-02-02T10:00:00Z"));
	assert_int_equal(ctx.held.nfiles, 0);
	/*
	 * a receive connector, a certificate (its thumbprint unknown), a queue
	 * and a send connector to come
	 */
	assert_int_equal(ingest_fl_ctx(&ctx, "x/mixed.txt", mixed, sizeof mixed - 1), 4);
	assert_int_equal(ctx.held.nfiles, 1);
	assert_int_equal(ctx.held.bytes, sizeof mixed - 1);
	assert_int_equal(ev.nsendc, 0);
	assert_false(ev.saw_receive_connector_dump);
	ingest_ctx_free(&ctx);
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sample),
		cmocka_unit_test(test_parse_collections),
		cmocka_unit_test(test_parse_wrapped_emitted),
		cmocka_unit_test(test_parse_wrapped_literal),
		cmocka_unit_test(test_parse_width_per_block),
		cmocka_unit_test(test_parse_prompts_and_odd_lines),
		cmocka_unit_test(test_parse_repeated_label_splits_record),
		cmocka_unit_test(test_parse_empty_and_garbage),
		cmocka_unit_test(test_parse_many_records),
		cmocka_unit_test(test_ingest_certs_renewal),
		cmocka_unit_test(test_ingest_cert_fl_star),
		cmocka_unit_test(test_ingest_cert_services_forms),
		cmocka_unit_test(test_ingest_send_connectors),
		cmocka_unit_test(test_ingest_queue),
		cmocka_unit_test(test_ingest_dates_en_au),
		cmocka_unit_test(test_ingest_dates_dots),
		cmocka_unit_test(test_ingest_dates_undecidable),
		cmocka_unit_test(test_ingest_bad_records),
		cmocka_unit_test(test_ingest_mixed_with_prompts),
		cmocka_unit_test(test_prompt_commands),
		cmocka_unit_test(test_ingest_queue_cut_identity),
		cmocka_unit_test(test_ingest_cert_partial),
		cmocka_unit_test(test_ingest_not_ours),
		cmocka_unit_test(test_ingest_many_certs),
		cmocka_unit_test(test_held_takes_later_sibling_order),
		cmocka_unit_test(test_held_order_per_server),
		cmocka_unit_test(test_held_order_not_from_other_servers),
		cmocka_unit_test(test_held_siblings_disagree),
		cmocka_unit_test(test_held_alone),
		cmocka_unit_test(test_held_only_when_needed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

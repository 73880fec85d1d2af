/* SMTP protocol log parser, its ingester, and the error-transcript ingester. */
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
#include "util/diag.h"
#include "util/parse_diag.h"
#include "model/error_meanings.h"
#include "model/evidence.h"
#include "formats/ingest.h"
#include "formats/protolog/logread.h"
#include "formats/protolog/protolog.h"
#include "formats/protolog/reader.h"
#include "util/hash.h"
#include "util/text.h"
#include "util/util.h"

/* ------------------------------------------------------------- fixtures */

#define HDR_SEND \
	"#Software: Microsoft Exchange Server\r\n" \
	"#Version: 15.0.0.0\r\n" \
	"#Log-type: SMTP Send Protocol Log\r\n" \
	"#Date: 2026-11-09T22:00:04.113Z\r\n" \
	"#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n"

#define TP_CONTOSO	"6F029E0D20605DB27016B787C4503FD0002C0A11"
#define TP_OLD		"9A3C1B7E55D20F8E4A6B0C91D3E27F4058A6B1C2"
#define TP_EXO		"D3E5AB7710C0F04E5C8C2B9A1F67E0C4B2A91D07"

#define O365 "Outbound to Office 365"
#define ROW(t, sid, seq) "2026-11-09T" t "Z," O365 "," sid "," seq \
	",10.0.0.21:31044,104.47.51.138:25,"

/*
 * Exchange 2019 (shape 3): session 1 presents the new certificate and fails
 * with UnknownCredentials; session 2 presents it too and the remote side's
 * certificate is logged, then TLS 1.2 succeeds. They interleave, as
 * sessions do in real logs.
 */
static const char log_shape3[] = HDR_SEND
	ROW("22:00:04.113", "08DE1F5C2A9B0001", "0") "*,,attempting to connect\r\n"
	ROW("22:00:04.130", "08DE1F5C2A9B0001", "1") "+,,\r\n"
	ROW("22:00:04.180", "08DE1F5C2A9B0001", "2") "<,\"220 BN8NAM11FT010.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Mon, 9 Nov 2026 22:00:03 +0000\",\r\n"
	ROW("22:00:04.181", "08DE1F5C2A9B0001", "3") ">,EHLO mail.contoso.com,\r\n"
	ROW("22:00:04.230", "08DE1F5C2A9B0001", "4") "<,250  BN8NAM11FT010.mail.protection.outlook.com Hello [203.0.113.21] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8,\r\n"
	ROW("22:00:04.231", "08DE1F5C2A9B0001", "5") ">,STARTTLS,\r\n"
	ROW("22:00:04.240", "08DE1F5C2A9B0002", "0") "*,,attempting to connect\r\n"
	ROW("22:00:04.250", "08DE1F5C2A9B0002", "1") "+,,\r\n"
	ROW("22:00:04.280", "08DE1F5C2A9B0001", "6") "<,220 2.0.0 SMTP server ready,\r\n"
	ROW("22:00:04.281", "08DE1F5C2A9B0001", "7") "*,\" CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US 0a1b2c3d4e5f60718293a4b5c6d7e8f9 " TP_CONTOSO " 2026-11-02T00:00:00.000Z 2027-11-28T23:59:59.000Z mail.contoso.com;autodiscover.contoso.com\",Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names\r\n"
	ROW("22:00:04.300", "08DE1F5C2A9B0001", "8") "*,,TLS negotiation failed with error UnknownCredentials\r\n"
	ROW("22:00:04.301", "08DE1F5C2A9B0001", "9") "-,,Local\r\n"
	ROW("22:00:04.310", "08DE1F5C2A9B0002", "2") "*,\" CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US 0A1B2C3D4E5F60718293A4B5C6D7E8F9 " TP_CONTOSO " 2026-11-02T00:00:00.000Z 2027-11-28T23:59:59.000Z mail.contoso.com;autodiscover.contoso.com\",Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names\r\n"
	ROW("22:00:04.320", "08DE1F5C2A9B0002", "3") "*,\" CN=mail.protection.outlook.com, O=Microsoft Corporation, L=Redmond, S=WA, C=US CN=DigiCert Cloud Services CA-1, O=DigiCert Inc, C=US 0C8EE0C90D6A89158804061EE241F9AF " TP_EXO " 2026-07-01T00:00:00.000Z 2027-06-30T23:59:59.000Z *.mail.protection.outlook.com;mail.protection.outlook.com\",Remote certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names\r\n"
	ROW("22:00:04.330", "08DE1F5C2A9B0002", "4") "*,,\"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits\"\r\n"
	ROW("22:00:04.400", "08DE1F5C2A9B0002", "5") ">,QUIT,\r\n"
	ROW("22:00:04.410", "08DE1F5C2A9B0002", "6") "-,,Local\r\n";

/* Exchange 2013 (shape 1): certificate blocks spread over labelled rows. */
#define R13(t, sid, seq) "2017-10-07T" t "Z,Outbound to Office 365," sid "," seq \
	",10.10.248.7:16547,216.32.181.234:25,"
static const char log_shape1[] =
	"#Software: Microsoft Exchange Server\n"
	"#Version: 15.0.0.0\n"
	"#Log-type: SMTP Send Protocol Log\n"
	"#Date: 2017-10-07T04:00:01.032Z\n"
	"#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n"
	R13("04:42:56.701", "08D50D3D9730A8D2", "0") "+,,\n"
	R13("04:42:56.780", "08D50D3D9730A8D2", "13") ">,STARTTLS,\n"
	R13("04:42:56.803", "08D50D3D9730A8D2", "14") "<,220 2.0.0 SMTP server ready,\n"
	R13("04:42:56.804", "08D50D3D9730A8D2", "15") "*,,Sending certificate\n"
	R13("04:42:56.804", "08D50D3D9730A8D2", "16") "*,\"CN=*.domain.com, OU=Enterprise SSL Wildcard, OU=Contoso IT, O=Contoso Corporation\",Certificate subject\n"
	R13("04:42:56.804", "08D50D3D9730A8D2", "17") "*,\"CN=Contoso Issuing CA 01, DC=contoso, DC=com\",Certificate issuer name\n"
	R13("04:42:56.804", "08D50D3D9730A8D2", "18") "*,1a00000f2b6c31d7e9f0000000000f,Certificate serial number\n"
	R13("04:42:56.804", "08D50D3D9730A8D2", "19") "*," TP_OLD ",Certificate thumbprint\n"
	R13("04:42:56.804", "08D50D3D9730A8D2", "20") "*,*.domain.com;domain.com,Certificate alternate names\n"
	R13("04:42:56.804", "08D50D3D9730A8D2", "21") "*,,TLS negotiation failed with error UnknownCredentials\n"
	R13("04:42:56.805", "08D50D3D9730A8D2", "22") "-,,Local\n"
	/* Succeeds; the remote block carries only its thumbprint. */
	R13("04:43:10.001", "08D50D3D9730A8D3", "0") "+,,\n"
	R13("04:43:10.100", "08D50D3D9730A8D3", "1") "*,,Sending certificate\n"
	R13("04:43:10.100", "08D50D3D9730A8D3", "2") "*," TP_OLD ",Certificate thumbprint\n"
	R13("04:43:10.120", "08D50D3D9730A8D3", "3") "*,,Received certificate\n"
	R13("04:43:10.120", "08D50D3D9730A8D3", "4") "*," TP_EXO ",Certificate thumbprint\n"
	R13("04:43:10.130", "08D50D3D9730A8D3", "5") "*,,\"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits\"\n"
	R13("04:43:10.200", "08D50D3D9730A8D3", "6") "-,,Local\n"
	/* Labelled rows without a header row: cannot be told local or remote. */
	R13("04:44:00.000", "08D50D3D9730A8D4", "0") "+,,\n"
	R13("04:44:00.010", "08D50D3D9730A8D4", "1") "*," TP_OLD ",Certificate thumbprint\n"
	R13("04:44:00.020", "08D50D3D9730A8D4", "2") "*,,TLS negotiation failed with error IllegalMessage\n";

/* Exchange 2016 CU2 era (shape 2): one row, no dates. */
static const char log_shape2[] =
	"#Software: Microsoft Exchange Server\n"
	"#Version: 15.0.0.0\n"
	"#Log-type: SMTP Send Protocol Log\n"
	"#Date: 2016-09-12T10:00:00.000Z\n"
	"#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n"
	"2016-09-12T10:15:00.000Z,To Partner,08D3DAE9C1F0A001,0,10.1.1.5:25123,198.51.100.7:25,+,,\n"
	"2016-09-12T10:15:00.200Z,To Partner,08D3DAE9C1F0A001,7,10.1.1.5:25123,198.51.100.7:25,*,\" CN=smtp.fabrikam.com CN=Fabrikam Root CA, DC=fabrikam, DC=com 61000000a1b2c3 " TP_OLD " smtp.fabrikam.com\",Sending certificate Certificate subject Certificate issuer name Certificate serial number Certificate thumbprint Certificate subject alternate names\n"
	"2016-09-12T10:15:00.300Z,To Partner,08D3DAE9C1F0A001,8,10.1.1.5:25123,198.51.100.7:25,*,,TLS negotiation failed with error CertUnknown\n"
	"2016-09-12T10:15:00.310Z,To Partner,08D3DAE9C1F0A001,9,10.1.1.5:25123,198.51.100.7:25,-,,Remote\n";

/* ----------------------------------------------------- event collection */

struct ev_copy {
	bool	 receive;
	char	*connector;
	char	*local_tp, *local_subject, *local_issuer, *local_sans;
	int64_t	 local_nb, local_na;
	char	*remote_tp;
	bool	 ok;
	char	*error;
	char	*protocol;
	char	*cipher;
	int64_t	 time;
	long	 line;
	char	*text;
};

struct collect {
	struct ev_copy	 ev[64];
	int		 n;
	long		 ntls;		/* beyond the 64 kept */
	struct diag_list dl;		/* what the parser reported */
	struct parse_diag pd;
	int		 ndiag;		/* its warnings, from dl */
	char		 diag[16][200];
	long		 diag_line[16];
	int		 nconn;
	long		 winsock[8];
	long		 local_null;
	long		 local_tp_a, local_tp_b;
};

static void
collect_tls(void *arg, const struct protolog_tls *t)
{
	struct collect	*c = arg;
	struct ev_copy	*e;

	c->ntls++;
	if (t->local == NULL)
		c->local_null++;
	else if (t->local->thumbprint && strcmp(t->local->thumbprint, TP_CONTOSO) == 0)
		c->local_tp_a++;
	else if (t->local->thumbprint && strcmp(t->local->thumbprint, TP_OLD) == 0)
		c->local_tp_b++;
	if (c->n == 64)
		return;
	e = &c->ev[c->n++];
	memset(e, 0, sizeof *e);
	e->receive = t->receive;
	e->connector = xstrdup(t->connector);
	e->local_nb = e->local_na = TIME_UNKNOWN;
	if (t->local != NULL) {
		e->local_tp = xstrdup(t->local->thumbprint);
		e->local_subject = xstrdup(t->local->subject);
		e->local_issuer = xstrdup(t->local->issuer);
		e->local_sans = xstrdup(t->local->sans);
		e->local_nb = t->local->not_before;
		e->local_na = t->local->not_after;
	}
	if (t->remote != NULL)
		e->remote_tp = xstrdup(t->remote->thumbprint);
	e->ok = t->ok;
	e->error = xstrdup(t->error);
	e->protocol = xstrdup(t->protocol);
	e->cipher = xstrdup(t->cipher);
	e->time = t->time;
	e->line = t->line;
	e->text = xstrdup(t->text);
}

static void
collect_conn(void *arg, const struct protolog_connect_failure *f)
{
	struct collect	*c = arg;

	if (c->nconn < 8)
		c->winsock[c->nconn] = f->winsock_error;
	c->nconn++;
}

/*
 * The warnings the parser reported into dl, split into their line ("line
 * N: ", 0 when none) and message; returns how many. *infos counts the rest.
 */
static int
warnings_split(const struct diag_list *dl, char (*msg)[200], long *line,
    int max, int *infos)
{
	const char	*m;
	char		*end;
	size_t		 i;
	long		 n;
	int		 count = 0;

	for (i = 0; i < dl->n; i++) {
		if (dl->v[i].level == DIAG_INFO) {
			if (infos != NULL)
				(*infos)++;
			continue;
		}
		m = dl->v[i].message;
		n = 0;
		if (strncmp(m, "line ", 5) == 0) {
			n = strtol(m + 5, &end, 10);
			if (strncmp(end, ": ", 2) == 0)
				m = end + 2;
			else
				n = 0;
		}
		if (count < max) {
			snprintf(msg[count], sizeof msg[0], "%s", m);
			if (line != NULL)
				line[count] = n;
		}
		count++;
	}
	return count;
}

/* The collector's problems go to its own list. */
static void
collect_reports(struct collect *c, struct protolog_callbacks *cb)
{
	parse_diag_init(&c->pd, &c->dl, NULL);
	cb->pd = &c->pd;
}

static void
collect_diags(struct collect *c)
{
	c->ndiag = warnings_split(&c->dl, c->diag, c->diag_line, 16, NULL);
}

static void
collect_free(struct collect *c)
{
	int	i;

	for (i = 0; i < c->n; i++) {
		free(c->ev[i].connector);
		free(c->ev[i].local_tp);
		free(c->ev[i].local_subject);
		free(c->ev[i].local_issuer);
		free(c->ev[i].local_sans);
		free(c->ev[i].remote_tp);
		free(c->ev[i].error);
		free(c->ev[i].protocol);
		free(c->ev[i].cipher);
		free(c->ev[i].text);
	}
	diag_list_free(&c->dl);
	free(c);
}

static struct collect *
parse(const char *text, size_t len, struct protolog_stats *st)
{
	struct collect			*c = xcalloc(1, sizeof *c);
	struct protolog_callbacks	 cb;

	memset(&cb, 0, sizeof cb);
	cb.tls = collect_tls;
	cb.connect_failure = collect_conn;
	cb.arg = c;
	collect_reports(c, &cb);
	protolog_parse(text, len, &cb, st);
	collect_diags(c);
	return c;
}

static int64_t
iso(const char *s)
{
	int64_t	t = TIME_UNKNOWN;

	assert_true(date_parse_iso(s, &t));
	return t;
}

/* ------------------------------------------------------- protocol logs */

static void
test_shape3_send(void **state)
{
	struct protolog_stats	 st;
	struct collect		*c;
	struct ev_copy		*e;

	(void)state;
	c = parse(log_shape3, sizeof log_shape3 - 1, &st);
	assert_int_equal(c->n, 2);
	assert_int_equal(st.direction, PROTOLOG_SEND);
	assert_string_equal(st.software, "Microsoft Exchange Server");
	assert_string_equal(st.version, "15.0.0.0");
	assert_int_equal(st.rows, 17);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(st.sessions, 2);
	assert_int_equal(st.tls_ok, 1);
	assert_int_equal(st.tls_failed, 1);
	assert_true(st.first == iso("2026-11-09T22:00:04Z"));
	assert_true(st.last == iso("2026-11-09T22:00:04Z"));
	assert_int_equal(c->ndiag, 0);

	e = &c->ev[0];
	assert_false(e->ok);
	assert_false(e->receive);
	assert_string_equal(e->error, "UnknownCredentials");
	assert_null(e->protocol);
	assert_string_equal(e->connector, O365);
	assert_string_equal(e->local_tp, TP_CONTOSO);
	assert_string_equal(e->local_subject,
	    "CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US");
	assert_string_equal(e->local_issuer,
	    "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US");
	assert_string_equal(e->local_sans, "mail.contoso.com;autodiscover.contoso.com");
	assert_true(e->local_nb == iso("2026-11-02T00:00:00Z"));
	assert_true(e->local_na == iso("2027-11-28T23:59:59Z"));
	assert_null(e->remote_tp);
	assert_int_equal(e->line, 16);
	assert_true(strncmp(e->text, "2026-11-09T22:00:04.300Z,Outbound", 33) == 0);
	assert_non_null(strstr(e->text, "UnknownCredentials"));

	e = &c->ev[1];
	assert_true(e->ok);
	assert_null(e->error);
	assert_string_equal(e->protocol, "TLS1_2");
	/* Bulk, MAC and key exchange, without Schannel's CALG_ prefix. */
	assert_string_equal(e->cipher, "AES_256, SHA_384, ECDH_EPHEM");
	assert_string_equal(e->local_tp, TP_CONTOSO);
	assert_string_equal(e->remote_tp, TP_EXO);
	assert_int_equal(e->line, 20);
	collect_free(c);
}

static void
test_shape1_multirow(void **state)
{
	struct protolog_stats	 st;
	struct collect		*c;
	struct ev_copy		*e;

	(void)state;
	c = parse(log_shape1, sizeof log_shape1 - 1, &st);
	assert_int_equal(c->n, 3);
	assert_int_equal(st.sessions, 3);
	assert_int_equal(st.tls_failed, 2);
	assert_int_equal(st.tls_ok, 1);

	e = &c->ev[0];
	assert_string_equal(e->error, "UnknownCredentials");
	assert_string_equal(e->local_tp, TP_OLD);
	assert_string_equal(e->local_subject,
	    "CN=*.domain.com, OU=Enterprise SSL Wildcard, OU=Contoso IT, O=Contoso Corporation");
	assert_string_equal(e->local_issuer, "CN=Contoso Issuing CA 01, DC=contoso, DC=com");
	assert_string_equal(e->local_sans, "*.domain.com;domain.com");
	assert_true(e->local_nb == TIME_UNKNOWN);
	assert_int_equal(e->line, 15);

	/* The remote block's thumbprint does not overwrite the local one. */
	e = &c->ev[1];
	assert_true(e->ok);
	assert_string_equal(e->local_tp, TP_OLD);
	assert_null(e->local_subject);
	assert_string_equal(e->remote_tp, TP_EXO);

	/* No header row: the certificate is unknown, not guessed. */
	e = &c->ev[2];
	assert_string_equal(e->error, "IllegalMessage");
	assert_null(e->local_tp);
	assert_null(e->remote_tp);
	collect_free(c);
}

static void
test_shape2_one_row(void **state)
{
	struct protolog_stats	 st;
	struct collect		*c;
	struct ev_copy		*e;

	(void)state;
	c = parse(log_shape2, sizeof log_shape2 - 1, &st);
	assert_int_equal(c->n, 1);
	e = &c->ev[0];
	assert_string_equal(e->connector, "To Partner");
	assert_string_equal(e->error, "CertUnknown");
	assert_string_equal(e->local_tp, TP_OLD);
	assert_string_equal(e->local_subject, "CN=smtp.fabrikam.com");
	assert_string_equal(e->local_issuer, "CN=Fabrikam Root CA, DC=fabrikam, DC=com");
	assert_string_equal(e->local_sans, "smtp.fabrikam.com");
	assert_true(e->local_nb == TIME_UNKNOWN);
	collect_free(c);
}

static void
test_cert_row_parse(void **state)
{
	struct protolog_cert	c;

	(void)state;
	/* A quoted organization with a comma; the issuer has one too. */
	assert_true(protolog_cert_parse_row(
	    " CN=mail.contoso.com, O=\"Contoso, Ltd.\", L=Redmond, S=Washington, C=US"
	    " CN=Contoso Issuing CA, O=\"Contoso, Ltd.\", C=US 33000001f2e3d4c5b6a7"
	    " " TP_CONTOSO " 2026-01-01T00:00:00.000Z 2027-01-01T00:00:00.000Z"
	    " mail.contoso.com", true, &c));
	assert_string_equal(c.subject,
	    "CN=mail.contoso.com, O=\"Contoso, Ltd.\", L=Redmond, S=Washington, C=US");
	assert_string_equal(c.issuer, "CN=Contoso Issuing CA, O=\"Contoso, Ltd.\", C=US");
	assert_string_equal(c.serial, "33000001F2E3D4C5B6A7");
	assert_string_equal(c.thumbprint, TP_CONTOSO);
	assert_string_equal(c.sans, "mail.contoso.com");
	assert_true(c.not_before == iso("2026-01-01T00:00:00Z"));
	protolog_cert_clear(&c);

	/* Self-signed, no SANs logged. */
	assert_true(protolog_cert_parse_row(" CN=EX01 CN=EX01 1F2E3D4C5B6A7988 "
	    TP_OLD " 2020-01-17T15:15:33.000Z 2025-01-17T15:15:33.000Z", true, &c));
	assert_string_equal(c.subject, "CN=EX01");
	assert_string_equal(c.issuer, "CN=EX01");
	assert_null(c.sans);
	assert_true(c.not_after == iso("2025-01-17T15:15:33Z"));
	protolog_cert_clear(&c);

	/* Dates in a form not understood: unknown, SANs still read. */
	assert_true(protolog_cert_parse_row(" CN=a.example CN=CA 01 " TP_OLD
	    " 1/17/2020 3:15:33 PM 1/17/2025 3:15:33 PM a.example;b.example", true, &c));
	assert_true(c.not_before == TIME_UNKNOWN);
	assert_string_equal(c.sans, "a.example;b.example");
	assert_string_equal(c.subject, "CN=a.example");
	protolog_cert_clear(&c);

	/* No thumbprint: nothing. */
	assert_false(protolog_cert_parse_row(" CN=a CN=b 01 ABCDEF", false, &c));
	assert_null(c.thumbprint);
	assert_false(protolog_cert_parse_row("", true, &c));
}

static void
test_split_dns(void **state)
{
	char	*s, *i;

	(void)state;
	protolog_split_dns("CN=a.example, OU=IT Dept, O=\"A, Inc.\" CN=Root CA, O=\"A, Inc.\"",
	    &s, &i);
	assert_string_equal(s, "CN=a.example, OU=IT Dept, O=\"A, Inc.\"");
	assert_string_equal(i, "CN=Root CA, O=\"A, Inc.\"");
	free(s);
	free(i);
	/* Two candidate spaces: the equal halves of a self-signed name win. */
	protolog_split_dns("CN=x O=y CN=x O=y", &s, &i);
	assert_string_equal(s, "CN=x O=y");
	assert_string_equal(i, "CN=x O=y");
	free(s);
	free(i);
	/* Lower-case keys and an OID key still start a DN. */
	protolog_split_dns("cn=host OID.2.5.4.97=VATDE-123, CN=CA", &s, &i);
	assert_string_equal(s, "cn=host");
	assert_string_equal(i, "OID.2.5.4.97=VATDE-123, CN=CA");
	free(s);
	free(i);
	protolog_split_dns("CN=only one name", &s, &i);
	assert_null(s);
	assert_null(i);
}

static void
test_fields_reordered(void **state)
{
	static const char text[] =
	    "#Software: Microsoft Exchange Server\n"
	    "#Log-type: SMTP Send Protocol Log\n"
	    "#Fields: session-id,date-time,event,context,data,connector-id,sequence-number,local-endpoint,remote-endpoint\n"
	    "08D4000000000001,2026-11-10T01:00:00.000Z,+,,,Internet,0,10.0.0.1:1000,192.0.2.1:25\n"
	    "08D4000000000001,2026-11-10T01:00:01.000Z,*,Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names,\" CN=a.example CN=CA 01 " TP_OLD " 2026-01-01T00:00:00.000Z 2027-01-01T00:00:00.000Z a.example\",Internet,1,10.0.0.1:1000,192.0.2.1:25\n"
	    "08D4000000000001,2026-11-10T01:00:02.000Z,*,TLS negotiation failed with error NoCredentials,,Internet,2,10.0.0.1:1000,192.0.2.1:25\n"
	    /* A second #Fields line re-maps the columns. */
	    "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n"
	    "2026-11-10T02:00:00.000Z,Internet,08D4000000000002,0,10.0.0.1:1001,192.0.2.1:25,+,,\n"
	    "2026-11-10T02:00:01.000Z,Internet,08D4000000000002,1,10.0.0.1:1001,192.0.2.1:25,*,,\"TLS protocol SP_PROT_TLS1_1_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits\"\n";
	struct protolog_stats	 st;
	struct collect		*c;

	(void)state;
	c = parse(text, sizeof text - 1, &st);
	assert_int_equal(st.rows, 5);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->ev[0].connector, "Internet");
	assert_string_equal(c->ev[0].error, "NoCredentials");
	assert_string_equal(c->ev[0].local_tp, TP_OLD);
	assert_true(c->ev[0].time == iso("2026-11-10T01:00:02Z"));
	assert_true(c->ev[1].ok);
	assert_string_equal(c->ev[1].protocol, "TLS1_1");
	assert_string_equal(c->ev[1].cipher, "AES_256, SHA1, ECDH_EPHEM");
	/* A failure names no cipher. */
	assert_null(c->ev[0].cipher);
	assert_string_equal(c->ev[1].connector, "Internet");
	assert_true(st.first == iso("2026-11-10T01:00:00Z"));
	assert_true(st.last == iso("2026-11-10T02:00:01Z"));
	collect_free(c);
}

static void
test_quoted_fields(void **state)
{
	static const char text[] = HDR_SEND
	    "2026-11-10T03:00:00.000Z,\"Partners, \"\"EU\"\" region\",08D5000000000001,0,10.0.0.1:1000,192.0.2.9:25,+,,\n"
	    "2026-11-10T03:00:00.100Z,\"Partners, \"\"EU\"\" region\",08D5000000000001,1,10.0.0.1:1000,192.0.2.9:25,<,\"220 mx.example ESMTP, \"\"hello\"\"\",\n"
	    "2026-11-10T03:00:00.200Z,\"Partners, \"\"EU\"\" region\",08D5000000000001,2,10.0.0.1:1000,192.0.2.9:25,*,,\"TLS negotiation failed with error SocketError\"\n";
	struct protolog_stats	 st;
	struct collect		*c;

	(void)state;
	c = parse(text, sizeof text - 1, &st);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(st.rows, 3);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->ev[0].connector, "Partners, \"EU\" region");
	assert_string_equal(c->ev[0].error, "SocketError");
	/* The sample is the row as written, escapes and all. */
	assert_non_null(strstr(c->ev[0].text, "\"Partners, \"\"EU\"\" region\""));
	collect_free(c);
}

/*
 * Rows are cut 16 bytes at a time when they hold no quote: every width of
 * the connector moves the commas across those blocks, and each row must
 * still read the same as a quoted one cut the slow way.
 */
static void
test_row_cut_widths(void **state)
{
	struct buf		 b;
	struct protolog_stats	 st;
	struct collect		*c;
	char			 name[64], sid[17];
	int			 w, i;

	(void)state;
	buf_init(&b, 1 << 20);
	buf_append(&b, HDR_SEND, strlen(HDR_SEND));
	for (w = 1; w <= 40; w++) {
		for (i = 0; i < w; i++)
			name[i] = (char)('a' + i % 26);
		name[w] = '\0';
		snprintf(sid, sizeof sid, "08DE0000000000%02X", w);
		buf_appendf(&b, "2026-11-09T22:00:%02d.000Z,%s,%s,0,10.0.0.1:1,"
		    "192.0.2.1:25,+,,\n", w, name, sid);
		/* Odd widths quote the context: the slow path. */
		buf_appendf(&b, "2026-11-09T22:00:%02d.100Z,%s,%s,1,10.0.0.1:1,"
		    "192.0.2.1:25,*,,%sTLS negotiation failed with error E%d%s\n",
		    w, name, sid, w % 2 ? "\"" : "", w, w % 2 ? "\"" : "");
	}
	c = parse(b.data, b.len, &st);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(st.rows, 80);
	assert_int_equal(st.sessions, 40);
	assert_int_equal(c->n, 40);
	for (w = 1; w <= 40; w++) {
		char	want[16];

		assert_int_equal(strlen(c->ev[w - 1].connector), (size_t)w);
		snprintf(want, sizeof want, "E%d", w);
		assert_string_equal(c->ev[w - 1].error, want);
		assert_int_equal(c->ev[w - 1].line, 5 + 2 * w);
	}
	collect_free(c);
	buf_free(&b);
}

/* 64 fields are a field count that differs from #Fields; 65 are too many. */
static void
test_row_too_many_fields(void **state)
{
	struct buf		 b;
	struct protolog_stats	 st;
	struct collect		*c;
	int			 i, k;

	(void)state;
	buf_init(&b, 1 << 20);
	buf_append(&b, HDR_SEND, strlen(HDR_SEND));
	for (k = 0; k < 4; k++) {
		/* 63 and 64 commas, without a quote and with one. */
		buf_append(&b, k >= 2 ? "\"q\"" : "x", k >= 2 ? 3 : 1);
		for (i = 0; i < 63 + k % 2; i++)
			buf_append(&b, ",y", 2);
		buf_append(&b, "\n", 1);
	}
	c = parse(b.data, b.len, &st);
	assert_int_equal(st.bad_rows, 4);
	assert_int_equal(st.rows, 0);
	assert_int_equal(c->ndiag, 4);
	assert_non_null(strstr(c->diag[0], "field count"));
	assert_non_null(strstr(c->diag[1], "too many fields"));
	assert_non_null(strstr(c->diag[2], "field count"));
	assert_non_null(strstr(c->diag[3], "too many fields"));
	collect_free(c);
	buf_free(&b);
}

/*
 * One-row certificates are remembered parsed, a few per side: ten remote
 * certificates in turn, twice over, each session gets its own.
 */
static void
test_cert_memo(void **state)
{
	struct buf		 b;
	struct protolog_stats	 st;
	struct collect		*c;
	char			 tp[41];
	int			 s, j;

	(void)state;
	buf_init(&b, 1 << 20);
	buf_append(&b, HDR_SEND, strlen(HDR_SEND));
	for (s = 0; s < 20; s++) {
		for (j = 0; j < 40; j++)
			tp[j] = "0123456789ABCDEF"[(s % 10 + j) % 16];
		tp[40] = '\0';
		buf_appendf(&b, ROW("22:00:04.%03d", "08DE1F5C2A9B00%02d", "0")
		    "+,,\n", s, s);
		buf_appendf(&b, ROW("22:00:04.%03d", "08DE1F5C2A9B00%02d", "1")
		    "*,\" CN=mx%d.example.com CN=Example CA, O=Example, C=US "
		    "0C8EE0C90D6A8915 %s 2026-07-01T00:00:00.000Z "
		    "2027-06-30T23:59:59.000Z mx%d.example.com\",Remote "
		    "certificate Subject Issuer name Serial number Thumbprint "
		    "Not before Not after Subject alternate names\n",
		    s, s, s % 10, tp, s % 10);
		buf_appendf(&b, ROW("22:00:04.%03d", "08DE1F5C2A9B00%02d", "2")
		    "*,,TLS negotiation failed with error UnknownCredentials\n",
		    s, s);
	}
	c = parse(b.data, b.len, &st);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(st.certs_unparsed, 0);
	assert_int_equal(c->n, 20);
	for (s = 0; s < 20; s++) {
		for (j = 0; j < 40; j++)
			tp[j] = "0123456789ABCDEF"[(s % 10 + j) % 16];
		tp[40] = '\0';
		assert_non_null(c->ev[s].remote_tp);
		assert_string_equal(c->ev[s].remote_tp, tp);
	}
	collect_free(c);
	buf_free(&b);
}

/*
 * A one-row certificate is shared by the sessions that log the same text:
 * a session that then logs a labelled block writes its own copy, and the
 * next session still gets the one-row certificate as logged.
 */
static void
test_cert_shared_then_labelled(void **state)
{
	static const char one_row[] = "*,\" CN=mail.contoso.com CN=Contoso CA "
	    "0A1B2C3D " TP_CONTOSO " 2026-11-02T00:00:00.000Z "
	    "2027-11-28T23:59:59.000Z mail.contoso.com\",Sending certificate "
	    "Subject Issuer name Serial number Thumbprint Not before Not after "
	    "Subject alternate names\n";
	static const char failed[] =
	    "*,,TLS negotiation failed with error UnknownCredentials\n";
	struct buf		 b;
	struct protolog_stats	 st;
	struct collect		*c;

	(void)state;
	buf_init(&b, 1 << 20);
	buf_appendf(&b, "%s", HDR_SEND);
	buf_appendf(&b, "%s%s", ROW("22:00:01.000", "08DE1F5C2A9B0001", "1"), one_row);
	buf_appendf(&b, "%s%s", ROW("22:00:01.100", "08DE1F5C2A9B0001", "2"), failed);
	buf_appendf(&b, "%s%s", ROW("22:00:02.000", "08DE1F5C2A9B0002", "1"), one_row);
	buf_appendf(&b, "%s*,,Sending certificate\n", ROW("22:00:02.100", "08DE1F5C2A9B0002", "2"));
	buf_appendf(&b, "%s*," TP_OLD ",Certificate thumbprint\n", ROW("22:00:02.200", "08DE1F5C2A9B0002", "3"));
	buf_appendf(&b, "%s*,CN=old.contoso.com,Certificate subject\n", ROW("22:00:02.300", "08DE1F5C2A9B0002", "4"));
	buf_appendf(&b, "%s%s", ROW("22:00:02.400", "08DE1F5C2A9B0002", "5"), failed);
	buf_appendf(&b, "%s%s", ROW("22:00:03.000", "08DE1F5C2A9B0003", "1"), one_row);
	buf_appendf(&b, "%s%s", ROW("22:00:03.100", "08DE1F5C2A9B0003", "2"), failed);
	c = parse(b.data, b.len, &st);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(c->n, 3);
	assert_string_equal(c->ev[0].local_tp, TP_CONTOSO);
	assert_string_equal(c->ev[0].local_subject, "CN=mail.contoso.com");
	assert_string_equal(c->ev[1].local_tp, TP_OLD);
	assert_string_equal(c->ev[1].local_subject, "CN=old.contoso.com");
	assert_null(c->ev[1].local_issuer);
	assert_string_equal(c->ev[2].local_tp, TP_CONTOSO);
	assert_string_equal(c->ev[2].local_subject, "CN=mail.contoso.com");
	assert_string_equal(c->ev[2].local_issuer, "CN=Contoso CA");
	collect_free(c);
	buf_free(&b);
}

/*
 * The words looked for in every information row are found at every offset
 * (they are screened 16 positions at a time): a connect failure, a TLS
 * success and a TLS failure's error, each behind 0 to 40 bytes of text.
 */
static void
test_words_at_every_offset(void **state)
{
	struct buf		 b;
	struct protolog_stats	 st;
	struct collect		*c;
	char			 fill[48];
	int			 k;

	(void)state;
	buf_init(&b, 1 << 20);
	buf_append(&b, HDR_SEND, strlen(HDR_SEND));
	for (k = 0; k <= 40; k++) {
		memset(fill, 'x', (size_t)k);
		fill[k] = '\0';
		buf_appendf(&b, ROW("22:00:%02d.000", "08DE00000000AA%02d", "0")
		    "*,,%s%sFailed to connect. Winsock error code: 10060\n",
		    k, k, fill, k > 0 ? " " : "");
		buf_appendf(&b, ROW("22:01:%02d.000", "08DE00000000BB%02d", "0")
		    "*,,TLS protocol SP_PROT_%s_CLIENT negotiation succeeded\n",
		    k, k, fill);
		buf_appendf(&b, ROW("22:02:%02d.000", "08DE00000000CC%02d", "0")
		    "*,,TLS negotiation failed %s with error E%d\n", k, k, fill, k);
	}
	c = parse(b.data, b.len, &st);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(st.connect_failures, 41);
	assert_int_equal(c->nconn, 41);
	assert_int_equal(c->winsock[7], 10060);
	assert_int_equal(st.tls_ok, 41);
	assert_int_equal(st.tls_failed, 41);
	for (k = 0; k <= 40 && 2 * k + 1 < 64; k++) {
		char	want[16];

		assert_true(c->ev[2 * k].ok);
		/* A success row that names no algorithm: the cipher is unknown. */
		assert_null(c->ev[2 * k].cipher);
		assert_false(c->ev[2 * k + 1].ok);
		snprintf(want, sizeof want, "E%d", k);
		assert_string_equal(c->ev[2 * k + 1].error, want);
	}
	collect_free(c);
	buf_free(&b);
}

/*
 * An excerpt of a log, its last rows copied out in an editor (no header,
 * beginning mid-session), read beside the log: its rows are the log's own,
 * read already, and are not counted again; the session it begins inside
 * makes no handshake group without a certificate. A row of a new session
 * after them is counted.
 */
static void
test_excerpt_rows_counted_once(void **state)
{
	struct evidence		 ev;
	struct protolog_reader	*r;
	const char		*cut = strstr(log_shape3, ROW("22:00:04.280",
				    "08DE1F5C2A9B0001", "6"));
	char			*excerpt;
	size_t			 i, notes = 0;

	(void)state;
	assert_non_null(cut);
	excerpt = xasprintf("%s%s", cut, ROW("22:00:05.000", "08DE1F5C2A9B0003",
	    "0") "*,,attempting to connect\r\n");
	evidence_init(&ev);
	r = protolog_reader_new(&ev);
	assert_true(protolog_reader_file(r, "EXHUB1/Logs/SEND2026110922-1.LOG",
	    log_shape3, sizeof log_shape3 - 1) >= 0);
	assert_true(protolog_reader_file(r, "EXHUB1/Logs/excerpt.txt", excerpt,
	    strlen(excerpt)) >= 0);
	protolog_reader_free(r);
	/* 17 rows in the log; of the excerpt's 10, the last only is new. */
	assert_int_equal(ev.logs.files, 2);
	assert_int_equal(ev.logs.rows, 18);
	assert_int_equal(ev.logs.sessions, 3);
	assert_int_equal(ev.logs.tls_failed, 1);
	assert_int_equal(ev.logs.tls_ok, 1);
	for (i = 0; i < ev.ntls; i++) {
		assert_non_null(ev.tls[i].cert_thumbprint);
		assert_int_equal(ev.tls[i].count, 1);
	}
	for (i = 0; i < ev.diags.n; i++)
		if (strcmp(ev.diags.v[i].source, "EXHUB1/Logs/excerpt.txt") == 0 &&
		    strstr(ev.diags.v[i].message, "9 row(s) repeat rows read "
		    "before from EXHUB1/Logs/SEND2026110922-1.LOG") != NULL)
			notes++;
	assert_int_equal(notes, 1);
	evidence_free(&ev);
	free(excerpt);
}

/*
 * A session that goes on in the next file (the log rotated) continues with
 * higher sequence numbers: those rows are new.
 */
static void
test_session_continued_in_next_file(void **state)
{
	static const char	 first[] = HDR_SEND
	    ROW("22:59:59.100", "08DE1F5C2A9B0007", "0") "*,,attempting to connect\r\n"
	    ROW("22:59:59.200", "08DE1F5C2A9B0007", "1") "+,,\r\n";
	static const char	 next[] = HDR_SEND
	    ROW("23:00:00.100", "08DE1F5C2A9B0007", "2") "<,220 ready,\r\n"
	    ROW("23:00:00.200", "08DE1F5C2A9B0007", "3") "-,,Local\r\n";
	struct evidence		 ev;
	struct protolog_reader	*r;
	size_t			 i;

	(void)state;
	evidence_init(&ev);
	r = protolog_reader_new(&ev);
	assert_true(protolog_reader_file(r, "EXHUB1/Logs/SEND2026110922-1.LOG",
	    first, sizeof first - 1) >= 0);
	assert_true(protolog_reader_file(r, "EXHUB1/Logs/SEND2026110923-1.LOG",
	    next, sizeof next - 1) >= 0);
	protolog_reader_free(r);
	assert_int_equal(ev.logs.rows, 4);
	assert_int_equal(ev.logs.sessions, 1);
	for (i = 0; i < ev.diags.n; i++)
		assert_null(strstr(ev.diags.v[i].message, "repeat rows"));
	evidence_free(&ev);
}

static void
test_malformed_rows(void **state)
{
	static const char text[] = HDR_SEND
	    ROW("22:00:00.000", "08DE000000000001", "0") "+,,\n"			/* 6 */
	    ROW("22:00:00.010", "08DE000000000001", "1") "<,\"220 unterminated,\n"	/* 7 bad */
	    "2026-11-09T22:00:00.020Z,only,four,fields\n"				/* 8 bad */
	    ROW("22:00:00.030", "08DE000000000001", "2") "*,\"a\"b,ctx\n"		/* 9 bad */
	    ROW("22:00:00.040", "08DE000000000001", "3") "*,,x,extra\n"		/* 10 bad */
	    "garbage\n"								/* 11 bad */
	    "   \n"									/* 12 blank */
	    ROW("22:00:00.050", "08DE000000000001", "4") "*,,\"TLS negotiation failed\n"	/* 13 bad */
	    ROW("22:00:00.060", "08DE000000000001", "5") "*,,TLS negotiation failed with error TargetUnknown\n" /* 14 */
	    ",,,,,,,,\n";								/* 15: empty but well-formed */
	struct protolog_stats	 st;
	struct collect		*c;

	(void)state;
	c = parse(text, sizeof text - 1, &st);
	assert_int_equal(st.bad_rows, 6);
	assert_int_equal(st.rows, 3);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->ev[0].error, "TargetUnknown");
	assert_int_equal(c->ev[0].line, 14);
	/* The first five with their line numbers, then the total. */
	assert_int_equal(c->ndiag, 6);
	assert_int_equal(c->diag_line[0], 7);
	assert_non_null(strstr(c->diag[0], "unterminated"));
	assert_int_equal(c->diag_line[1], 8);
	assert_non_null(strstr(c->diag[1], "field count"));
	assert_int_equal(c->diag_line[2], 9);
	assert_int_equal(c->diag_line[3], 10);
	assert_int_equal(c->diag_line[4], 11);
	assert_int_equal(c->diag_line[5], 0);
	assert_non_null(strstr(c->diag[5], "6 malformed rows"));
	collect_free(c);
}

/* ------------------------------------------------------------- banners */

struct banners {
	int	n;
	int	offset[8];
	int64_t	local[8], time[8];
	long	line[8];
};

static void
collect_banner(void *arg, const struct protolog_banner *b)
{
	struct banners	*c = arg;

	if (c->n < 8) {
		c->offset[c->n] = b->offset_minutes;
		c->local[c->n] = b->local;
		c->time[c->n] = b->time;
		c->line[c->n] = b->line;
	}
	c->n++;
}

static void
parse_banners(const char *text, size_t len, struct banners *c)
{
	struct protolog_callbacks	 cb;
	struct protolog_stats		 st;

	memset(c, 0, sizeof *c);
	memset(&cb, 0, sizeof cb);
	cb.banner = collect_banner;
	cb.arg = c;
	protolog_parse(text, len, &cb, &st);
}

#define RECV_ROW(t, sid, seq) "2026-11-" t "Z,EX01\\Default Frontend EX01," \
	sid "," seq ",10.0.0.5:25,198.51.100.20:51123,"

/*
 * A Receive log's 220 banners, the server's own clock with its offset: the
 * first of the file, and the next whose offset differs (daylight saving
 * ended); a banner set to other text, and one whose date is cut, give
 * nothing.
 */
static void
test_banners(void **state)
{
	static const char text[] =
	    "#Software: Microsoft Exchange Server\n"
	    "#Version: 15.02.1544.004\n"
	    "#Log-type: SMTP Receive Protocol Log\n"
	    "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n"
	    RECV_ROW("01T08:59:59.900", "08DE11A2B3C4D5E0", "0") "+,,\n"
	    RECV_ROW("01T08:59:59.950", "08DE11A2B3C4D5E0", "1") ">,\"220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Sun, 1 Nov 2026 01:59:59 -0700\",\n"
	    RECV_ROW("01T09:10:00.000", "08DE11A2B3C4D5E1", "1") ">,\"220 EX01.contoso.local Microsoft ESMTP MAIL Service ready at Sun, 1 Nov 2026 01:10:00 -0800\",\n"
	    RECV_ROW("01T09:20:00.000", "08DE11A2B3C4D5E2", "1") ">,\"220 EX01.contoso.local Microsoft ESMTP MAIL Service ready at Sun, 1 Nov 2026 01:20:00 -0800\",\n"
	    RECV_ROW("10T13:00:00.000", "08DE11A2B3C4D5E3", "1") ">,220 mail.contoso.com ESMTP,\n"
	    RECV_ROW("10T13:00:01.000", "08DE11A2B3C4D5E4", "1") ">,\"220 mail.contoso.com ready at Tue, 10 Nov 2026 05:00:01 -08\",\n"
	    RECV_ROW("10T13:00:02.000", "08DE11A2B3C4D5E5", "1") ">,\"220 ready at Tue, 10 Nov 2026 25:00:02 +0530\",\n";
	struct banners	c;

	(void)state;
	parse_banners(text, sizeof text - 1, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.offset[0], -420);
	assert_int_equal(c.local[0], iso("2026-11-01T01:59:59Z"));
	assert_int_equal(c.time[0], iso("2026-11-01T08:59:59.950Z"));
	assert_int_equal(c.line[0], 6);
	assert_int_equal(c.offset[1], -480);
	assert_int_equal(c.local[1], iso("2026-11-01T01:10:00Z"));
	assert_int_equal(c.line[1], 7);
	/* The remote side's banner in a Send log is not this server's clock. */
	parse_banners(log_shape3, sizeof log_shape3 - 1, &c);
	assert_int_equal(c.n, 0);
}

static void
test_receive_log(void **state)
{
	static const char text[] =
	    "#Software: Microsoft Exchange Server\n"
	    "#Version: 15.02.1544.004\n"
	    "#Log-type: SMTP Receive Protocol Log\n"
	    "#Date: 2026-11-10T05:00:00.000Z\n"
	    "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n"
	    "2026-11-10T05:00:01.000Z,EX01\\Default Frontend EX01,08DE11A2B3C4D5E6,0,10.0.0.5:25,198.51.100.20:51123,+,,\n"
	    "2026-11-10T05:00:01.100Z,EX01\\Default Frontend EX01,08DE11A2B3C4D5E6,4,10.0.0.5:25,198.51.100.20:51123,<,STARTTLS,\n"
	    "2026-11-10T05:00:01.101Z,EX01\\Default Frontend EX01,08DE11A2B3C4D5E6,5,10.0.0.5:25,198.51.100.20:51123,>,220 2.0.0 SMTP server ready,\n"
	    "2026-11-10T05:00:01.102Z,EX01\\Default Frontend EX01,08DE11A2B3C4D5E6,6,10.0.0.5:25,198.51.100.20:51123,*, CN=EX01 CN=EX01 5A3E9C0F1B2D4E6F7A8B9C0D1E2F3A4B " TP_OLD " 2021-03-01T10:00:00.000Z 2026-03-01T10:00:00.000Z EX01;EX01.contoso.local,Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names\n"
	    "2026-11-10T05:00:01.200Z,EX01\\Default Frontend EX01,08DE11A2B3C4D5E6,7,10.0.0.5:25,198.51.100.20:51123,*,,\"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits\"\n"
	    /* Newer builds print TLS 1.3 as a number. */
	    "2026-11-10T05:00:02.000Z,EX01\\Default Frontend EX01,08DE11A2B3C4D5E7,0,10.0.0.5:25,198.51.100.21:51124,+,,\n"
	    "2026-11-10T05:00:02.100Z,EX01\\Default Frontend EX01,08DE11A2B3C4D5E7,5,10.0.0.5:25,198.51.100.21:51124,*,,TLS protocol 4096 negotiation succeeded using bulk encryption algorithm CALG_AES_256\n";
	struct protolog_stats	 st;
	struct collect		*c;

	(void)state;
	c = parse(text, sizeof text - 1, &st);
	assert_int_equal(st.direction, PROTOLOG_RECEIVE);
	assert_int_equal(c->n, 2);
	assert_true(c->ev[0].receive);
	assert_string_equal(c->ev[0].connector, "EX01\\Default Frontend EX01");
	assert_string_equal(c->ev[0].protocol, "TLS1_2");
	assert_string_equal(c->ev[0].local_tp, TP_OLD);
	assert_string_equal(c->ev[0].local_subject, "CN=EX01");
	assert_string_equal(c->ev[0].local_sans, "EX01;EX01.contoso.local");
	assert_string_equal(c->ev[1].protocol, "TLS1_3");
	assert_null(c->ev[1].local_tp);
	collect_free(c);
}

static void
test_direction_without_log_type(void **state)
{
	static const char text[] =
	    "2026-11-10T05:00:01.200Z,EX01\\Client Proxy EX01,08DE11A2B3C4D5E6,7,10.0.0.5:465,10.0.0.6:5000,*,,TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded\n"
	    "2026-11-10T05:00:01.300Z,Internet,08DE11A2B3C4D5E9,7,10.0.0.5:40000,192.0.2.1:25,*,,TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded\n";
	struct protolog_stats	 st;
	struct collect		*c;

	(void)state;
	c = parse(text, sizeof text - 1, &st);
	assert_false(st.header_seen);
	assert_int_equal(st.direction, PROTOLOG_DIR_UNKNOWN);
	assert_int_equal(c->n, 2);
	assert_true(c->ev[0].receive);
	assert_false(c->ev[1].receive);
	/* The assumed column order is a note, not a problem. */
	assert_true(st.headerless);
	assert_int_equal(c->ndiag, 0);
	collect_free(c);
}

static void
test_connect_failures(void **state)
{
	static const char text[] = HDR_SEND
	    "2026-11-10T06:00:00.000Z,Internet,08DE2200000000A1,0,,192.0.2.50:25,*,,attempting to connect\n"
	    "2026-11-10T06:00:21.000Z,Internet,08DE2200000000A1,1,,192.0.2.50:25,*,,\"Failed to connect. Winsock error code: 10060, Win32 error code: 10060, Destination domain: fabrikam.com, Error Message: A connection attempt failed because the connected party did not properly respond after a period of time.\"\n"
	    "2026-11-10T06:00:21.001Z,Internet,08DE2200000000A1,2,,192.0.2.50:25,-,,Local\n"
	    "2026-11-10T06:01:00.000Z,Internet,08DE2200000000A2,1,,192.0.2.51:25,*,\"Failed to connect. Winsock error code: 10061, Win32 error code: 10061.\",\n";
	struct protolog_stats	 st;
	struct collect		*c;

	(void)state;
	c = parse(text, sizeof text - 1, &st);
	assert_int_equal(st.connect_failures, 2);
	assert_int_equal(c->nconn, 2);
	assert_int_equal(c->winsock[0], 10060);
	assert_int_equal(c->winsock[1], 10061);
	assert_int_equal(c->n, 0);
	assert_int_equal(st.sessions, 2);
	collect_free(c);
}

static void
test_session_bound(void **state)
{
	struct collect			*c = xcalloc(1, sizeof *c);
	struct protolog_callbacks	 cb = { .tls = collect_tls };
	struct protolog			*pl;
	const struct protolog_stats	*st;
	char				 line[512];
	long				 lineno = 0;
	int				 i;

	(void)state;
	cb.arg = c;
	collect_reports(c, &cb);
	pl = protolog_new(&cb);
	protolog_set_max_sessions(pl, 1000);
	protolog_line(pl, "#Log-type: SMTP Send Protocol Log", 33, ++lineno);
	snprintf(line, sizeof line, "#Fields: date-time,connector-id,session-id,"
	    "sequence-number,local-endpoint,remote-endpoint,event,data,context");
	protolog_line(pl, line, strlen(line), ++lineno);
	/* 3000 sessions open and send a certificate; none is closed. */
	for (i = 0; i < 3000; i++) {
		snprintf(line, sizeof line, "2026-11-10T07:00:00.000Z,Internet,"
		    "S%015d,1,10.0.0.1:1,192.0.2.1:25,*, CN=a CN=a 0A " TP_CONTOSO
		    ",Sending certificate Certificate subject Certificate issuer "
		    "name Certificate serial number Certificate thumbprint", i);
		protolog_line(pl, line, strlen(line), ++lineno);
	}
	/*
	 * Their outcomes, newest first: the first 2000 were forgotten to bound
	 * memory; the rest still know their certificate.
	 */
	for (i = 2999; i >= 0; i--) {
		snprintf(line, sizeof line, "2026-11-10T07:00:01.000Z,Internet,"
		    "S%015d,2,10.0.0.1:1,192.0.2.1:25,*,,TLS negotiation failed "
		    "with error UnknownCredentials", i);
		protolog_line(pl, line, strlen(line), ++lineno);
	}
	protolog_finish(pl);
	st = protolog_stats(pl);
	assert_true(st->peak_open_sessions <= 1000);
	assert_int_equal(st->tls_failed, 3000);
	assert_true(st->evicted_sessions >= 2000);
	assert_int_equal(c->local_tp_a, 1000);
	assert_int_equal(c->local_null, 2000);
	collect_diags(c);
	assert_int_equal(c->ndiag, 1);
	assert_non_null(strstr(c->diag[0], "sessions open at once"));
	protolog_free(pl);
	collect_free(c);
}

/*
 * 200,000 rows: 40,000 sessions of five rows each, fifty open at a time.
 * Counts must be exact and open sessions bounded by the interleaving.
 */
static char *
big_log(size_t *len)
{
	struct buf	b;
	int		blk, k, i, s;
	const char	*tp;

	buf_init(&b, 64 * 1024 * 1024);
	assert_int_equal(buf_append(&b, HDR_SEND, strlen(HDR_SEND)), 0);
	for (blk = 0; blk < 800; blk++) {
		for (k = 0; k < 5; k++) {
			for (i = 0; i < 50; i++) {
				s = blk * 50 + i;
				tp = s % 2 ? TP_OLD : TP_CONTOSO;
				assert_int_equal(buf_appendf(&b, "2026-11-%02dT%02d:%02d:%02d.%03dZ,"
				    "Outbound to Office 365,08DF%012X,%d,10.0.0.21:%d,104.47.51.138:25,",
				    1 + s / 4000, (s / 200) % 20, (s / 4) % 60, s % 60, k,
				    s, k, 20000 + i), 0);
				switch (k) {
				case 0:
					buf_append(&b, "+,,\r\n", 5);
					break;
				case 1:
					buf_appendf(&b, "*,\" CN=mail.contoso.com, O=Contoso, C=US CN=Contoso CA, O=Contoso, C=US 0A1B %s 2026-01-01T00:00:00.000Z 2027-01-01T00:00:00.000Z mail.contoso.com\",Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names\r\n", tp);
					break;
				case 2:
					if (s % 2)
						buf_appendf(&b, "*,,\"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits\"\r\n");
					else
						buf_appendf(&b, "*,,TLS negotiation failed with error UnknownCredentials\r\n");
					break;
				case 3:
					buf_append(&b, ">,QUIT,\r\n", 9);
					break;
				default:
					buf_append(&b, "-,,Local\r\n", 10);
					break;
				}
			}
		}
	}
	return buf_steal(&b, len);
}

static void
test_big_log(void **state)
{
	struct evidence	 ev;
	struct protolog_stats st;
	struct collect	*c;
	size_t		 len, i;
	char		*text = big_log(&len);
	long		 total = 0;

	(void)state;
	c = parse(text, len, &st);
	assert_int_equal(st.rows, 200000);
	assert_int_equal(st.bad_rows, 0);
	assert_int_equal(st.sessions, 40000);
	assert_int_equal(st.tls_ok, 20000);
	assert_int_equal(st.tls_failed, 20000);
	assert_int_equal(st.peak_open_sessions, 50);
	assert_int_equal(st.evicted_sessions, 0);
	assert_int_equal(c->local_tp_a, 20000);
	assert_int_equal(c->local_tp_b, 20000);
	assert_int_equal(c->local_null, 0);
	collect_free(c);

	/* Into the evidence: two aggregates, whatever the row count. */
	evidence_init(&ev);
	assert_int_equal(ingest_protolog(&ev, "Logs/SEND2026110100-1.LOG", text, len), 40000);
	assert_int_equal(ev.ntls, 2);
	for (i = 0; i < ev.ntls; i++) {
		assert_int_equal(ev.tls[i].count, 20000);
		total += ev.tls[i].count;
		if (ev.tls[i].ok)
			assert_string_equal(ev.tls[i].cert_thumbprint, TP_OLD);
		else
			assert_string_equal(ev.tls[i].cert_thumbprint, TP_CONTOSO);
	}
	assert_int_equal(total, 40000);
	assert_int_equal(ev.logs.files, 1);
	assert_int_equal(ev.logs.rows, 200000);
	assert_int_equal(ev.logs.sessions, 40000);
	assert_true(ev.logs.first == iso("2026-11-01T00:00:00Z"));
	assert_true(ev.logs.last == iso("2026-11-10T19:59:59Z"));
	evidence_free(&ev);
	free(text);
}

static void
test_ingest_protolog(void **state)
{
	static const char header_only[] =
	    "#Software: Microsoft Exchange Server\r\n"
	    "#Version: 15.0.0.0\r\n"
	    "#Log-type: SMTP Send Protocol Log\r\n"
	    "#Date: 2026-11-10T00:00:00.000Z\r\n"
	    "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n";
	static const char garbage[] = "\"unterminated\nmore \"junk\n";
	static const char prose[] = "nothing here\n";
	struct evidence		 ev;
	const struct ev_tls_agg	*a;
	size_t			 i;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_protolog(&ev, "a/SEND2026110922-1.LOG", log_shape3,
	    sizeof log_shape3 - 1), 2);
	assert_int_equal(ingest_protolog(&ev, "a/SEND2017100704-1.LOG", log_shape1,
	    sizeof log_shape1 - 1), 3);
	assert_int_equal(ev.ntls, 5);
	for (i = 0, a = NULL; i < ev.ntls; i++)
		if (!ev.tls[i].ok && ev.tls[i].error != NULL &&
		    strcmp(ev.tls[i].error, "UnknownCredentials") == 0 &&
		    strcmp(ev.tls[i].log_source, "a/SEND2026110922-1.LOG") == 0)
			a = &ev.tls[i];
	assert_non_null(a);
	assert_false(a->receive);
	assert_string_equal(a->connector, O365);
	assert_string_equal(a->cert_thumbprint, TP_CONTOSO);
	assert_string_equal(a->cert_subject,
	    "CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US");
	assert_string_equal(a->cert_issuer,
	    "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US");
	assert_int_equal(a->count, 1);
	assert_int_equal(a->sample_line, 16);
	assert_non_null(strstr(a->sample_text, "UnknownCredentials"));

	assert_int_equal(ev.logs.files, 2);
	assert_int_equal(ev.logs.rows, 17 + 21);
	assert_int_equal(ev.logs.sessions, 5);
	assert_int_equal(ev.logs.tls_ok, 2);
	assert_int_equal(ev.logs.tls_failed, 3);
	assert_true(ev.logs.first == iso("2017-10-07T04:42:56Z"));
	assert_true(ev.logs.last == iso("2026-11-09T22:00:04Z"));

	/* A log with no data rows still counts as a file. */
	assert_int_equal(ingest_protolog(&ev, "a/SEND2026111000-1.LOG", header_only,
	    sizeof header_only - 1), 0);
	assert_int_equal(ev.logs.files, 3);
	assert_int_equal(ev.logs.rows, 38);

	/* Not a log at all: nothing of ours. */
	assert_int_equal(ingest_protolog(&ev, "notes.txt", prose, 0), 0);
	assert_int_equal(ev.logs.files, 3);

	/* Only malformed rows and no header: unreadable, with a diagnostic. */
	i = ev.diags.n;
	assert_int_equal(ingest_protolog(&ev, "x.LOG", garbage, sizeof garbage - 1), -1);
	assert_int_equal(ev.logs.files, 3);
	assert_true(ev.diags.n > i);
	assert_string_equal(ev.diags.v[ev.diags.n - 1].source, "x.LOG");
	evidence_free(&ev);
}

static void
test_ingest_protolog_diags(void **state)
{
	static const char text[] = HDR_SEND
	    ROW("22:00:00.000", "08DE000000000001", "0") "+,,\n"
	    ROW("22:00:00.010", "08DE000000000001", "1") "<,\"220 unterminated,\n"
	    ROW("22:00:00.020", "08DE000000000001", "2") "*,,\"Failed to connect. Winsock error code: 10060, Win32 error code: 10060\"\n";
	struct evidence	ev;
	size_t		i;
	bool		bad = false, conn = false;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_protolog(&ev, "b/SEND.LOG", text, sizeof text - 1), 0);
	assert_int_equal(ev.logs.bad_rows, 1);
	assert_int_equal(ev.logs.rows, 2);
	for (i = 0; i < ev.diags.n; i++) {
		assert_string_equal(ev.diags.v[i].source, "b/SEND.LOG");
		if (strstr(ev.diags.v[i].message, "line 7:") != NULL)
			bad = true;
		if (strstr(ev.diags.v[i].message, "Failed to connect") != NULL)
			conn = true;
	}
	assert_true(bad);
	assert_true(conn);
	evidence_free(&ev);
}

/* ---------------------------------------------------------- transcripts */

#define CN_NAME "发往分公司的发送连接器"
#define TP_REMOVE "8C1F0D2E6A4B39575E0F1A2B3C4D5E6F70819A2B"

/* The shell's output as captured: the error word-wrapped over three lines. */
static const char transcript_wrapped[] =
	"[PS] C:\\Windows\\system32>Remove-ExchangeCertificate -Server EX01 -Thumbprint " TP_REMOVE "\r\n"
	"\r\n"
	"Confirm\r\n"
	"Are you sure you want to perform this action?\r\n"
	"Remove certificate with thumbprint " TP_REMOVE " from the computer's certificate store?\r\n"
	"[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is \"Y\"): y\r\n"
	"A special Rpc error occurs on server EX01: These certificates are tagged with following Send Connectors : " CN_NAME ",\r\n"
	"Outbound to Office 365. Removing and replacing certificates from Send Connector would break the mail flow. If you still\r\n"
	"want to proceed, then replace or remove these certificates from Send Connector and then try again.\r\n"
	"    + CategoryInfo          : InvalidOperation: (:) [Remove-ExchangeCertificate], InvalidOperationException\r\n"
	"    + FullyQualifiedErrorId : [Server=EX01,RequestId=2f6b0c8e-7a1d-4c55-9e2a-55b0c3a1d9e4,TimeStamp=11/10/2026 8:41:12 AM] [FailureCategory=Cmdlet-InvalidOperationException] 5CA3D3A5,Microsoft.Exchange.Management.SystemConfigurationTasks.RemoveExchangeCertificate\r\n"
	"    + PSComputerName        : ex01.contoso.com\r\n"
	"\r\n"
	"[PS] C:\\Windows\\system32>\r\n";

/*
 * The same kind of error cut hard at a 100-column console (words and the
 * server name split), with the cmdlet prefix; the thumbprint only in the
 * command echoed after it.
 */
static const char transcript_hard[] =
	"Remove-ExchangeCertificate : A special Rpc error occurs on server EX02.emea.corp.contoso-holdings.co\n"
	"m: These certificates are tagged with following Send Connectors : Outbound to Office 365; Partner TL\n"
	"S. Removing and replacing certificates from Send Connector would break the mail flow. If you still w\n"
	"ant to proceed then replace or remove these certificates from Send Connector and then try this comma\n"
	"nd.\n"
	"At line:1 char:1\n"
	"+ Remove-ExchangeCertificate -Thumbprint \"" TP_OLD "\" -Confirm:$false\n"
	"+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
	"    + CategoryInfo          : InvalidOperation: (:) [Remove-ExchangeCertificate], InvalidOperationEx\n"
	"ception\n"
	"    + FullyQualifiedErrorId : [Server=EX02,RequestId=0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5,TimeStamp=\n"
	"11/10/2026 9:02:44 AM] [FailureCategory=Cmdlet-InvalidOperationException] 5CA3D3A5,Microsoft.Exchang\n"
	"e.Management.SystemConfigurationTasks.RemoveExchangeCertificate\n";

static void
test_transcript_wrapped(void **state)
{
	struct evidence		 ev;
	const struct ev_symptom	*s;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_transcript(&ev, "case/remove-error.txt", transcript_wrapped,
	    sizeof transcript_wrapped - 1), 1);
	assert_int_equal(ev.nsymptoms, 1);
	s = &ev.symptoms[0];
	assert_int_equal(s->kind, SYMPTOM_REMOVE_CERT_REFUSED);
	assert_string_equal(s->server, "EX01");
	assert_int_equal(s->connectors.n, 2);
	assert_string_equal(s->connectors.v[0], CN_NAME);
	assert_string_equal(s->connectors.v[1], "Outbound to Office 365");
	assert_string_equal(s->thumbprint, TP_REMOVE);
	assert_string_equal(s->ref.source, "case/remove-error.txt");
	assert_int_equal(s->ref.line, 7);
	assert_true(strncmp(s->text, "A special Rpc error occurs on server EX01: These", 48) == 0);
	assert_non_null(strstr(s->text, "would break the mail flow."));
	assert_true(strlen(s->text) > 20 &&
	    strcmp(s->text + strlen(s->text) - 10, "try again.") == 0);
	assert_null(strstr(s->text, "CategoryInfo"));
	evidence_free(&ev);
}

static void
test_transcript_hard_wrap(void **state)
{
	struct evidence		 ev;
	const struct ev_symptom	*s;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_transcript(&ev, "err.txt", transcript_hard,
	    sizeof transcript_hard - 1), 1);
	s = &ev.symptoms[0];
	assert_string_equal(s->server, "EX02");
	assert_int_equal(s->connectors.n, 2);
	assert_string_equal(s->connectors.v[0], "Outbound to Office 365");
	assert_string_equal(s->connectors.v[1], "Partner TLS");
	assert_string_equal(s->thumbprint, TP_OLD);
	assert_int_equal(s->ref.line, 1);
	assert_non_null(strstr(s->text, "on server EX02.emea.corp.contoso-holdings.com: These"));
	assert_non_null(strstr(s->text, "If you still want to proceed"));
	assert_non_null(strstr(s->text, "and then try this command."));
	evidence_free(&ev);
}

/*
 * A customer's note above the console capture: its paragraph is one line
 * longer than the console. The error below is still cut at the console's
 * 120 columns ("following S" / "end Connectors") and joins without a space.
 */
static void
test_transcript_note_above(void **state)
{
	static const char text[] =
	    "Hello,\r\n"
	    "\r\n"
	    "as discussed on the phone: we renewed mail.contoso.com last week and imported the PFX on both servers. Removing the old certificate fails on both. Here is the output from EXHUB2:\r\n"
	    "\r\n"
	    "[PS] C:\\Windows\\system32>Remove-ExchangeCertificate -Server EXHUB2 -Thumbprint B1E85E664BB150AD34B7581ACD0FF9FC01217D41\r\n"
	    "\r\n"
	    "Confirm\r\n"
	    "Are you sure you want to perform this action?\r\n"
	    "Remove certificate with thumbprint B1E85E664BB150AD34B7581ACD0FF9FC01217D41 from server EXHUB2?\r\n"
	    "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is \"Y\"): y\r\n"
	    "Remove-ExchangeCertificate : A special Rpc error occurs on server EXHUB2: These certificates are tagged with following S\r\n"
	    "end Connectors : Outbound to Partners. Removing and replacing certificates from Send Connector would break the mail flow\r\n"
	    ". If you still want to proceed, then replace or remove these certificates from Send Connector and then try again.\r\n"
	    "    + CategoryInfo          : InvalidOperation: (:) [Remove-ExchangeCertificate], InvalidOperationException\r\n"
	    "    + PSComputerName        : exhub2.contoso.com\r\n"
	    "\r\n"
	    "[PS] C:\\Windows\\system32>\r\n";
	struct evidence		 ev;
	const struct ev_symptom	*s;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_transcript(&ev, "customer_note.txt", text,
	    sizeof text - 1), 1);
	s = &ev.symptoms[0];
	assert_string_equal(s->server, "EXHUB2");
	assert_int_equal(s->connectors.n, 1);
	assert_string_equal(s->connectors.v[0], "Outbound to Partners");
	assert_string_equal(s->thumbprint, "B1E85E664BB150AD34B7581ACD0FF9FC01217D41");
	assert_non_null(strstr(s->text, "tagged with following Send Connectors : "
	    "Outbound to Partners. Removing and replacing certificates from Send "
	    "Connector would break the mail flow. If you"));
	evidence_free(&ev);
}

/* The transcript as Windows PowerShell writes it: UTF-16LE with a BOM. */
static unsigned char *
utf16le(const char *s, size_t *outlen)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		*o = xmalloc(2 + strlen(s) * 2), *q = o;
	unsigned int		 cp;

	*q++ = 0xFF;
	*q++ = 0xFE;
	while (*p) {
		if (*p < 0x80)
			cp = *p++;
		else if ((*p & 0xE0) == 0xC0) {
			cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
			p += 2;
		} else {
			cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
			p += 3;
		}
		*q++ = cp & 0xFF;
		*q++ = cp >> 8;
	}
	*outlen = (size_t)(q - o);
	return o;
}

static void
test_transcript_utf16(void **state)
{
	struct evidence	 ev;
	unsigned char	*raw;
	char		*text;
	size_t		 rawlen, len;

	(void)state;
	raw = utf16le(transcript_wrapped, &rawlen);
	text = text_to_utf8(raw, rawlen, &len, NULL, NULL);
	evidence_init(&ev);
	assert_int_equal(ingest_transcript(&ev, "t16.txt", text, len), 1);
	assert_string_equal(ev.symptoms[0].connectors.v[0], CN_NAME);
	assert_string_equal(ev.symptoms[0].server, "EX01");
	evidence_free(&ev);
	free(text);
	free(raw);
}

static void
test_transcript_several_and_none(void **state)
{
	static const char two[] =
	    "PS C:\\> Remove-ExchangeCertificate -Identity \"EX01\\" TP_OLD "\" -Confirm:$false\n"
	    "A special Rpc error occurs on server EX01: These certificates are tagged with following Send Connectors : Internet. Removing and replacing certificates from Send Connector would break the mail flow. If you still want to proceed then replace or remove these certificates from Send Connector and then try this command.\n"
	    "\n"
	    "PS C:\\> Remove-ExchangeCertificate -Server EX03 -Thumbprint " TP_CONTOSO " -Confirm:$false\n"
	    "A special Rpc error occurs on server EX03: These certificates are tagged with following Send Connectors : Internet, Partner. Removing and replacing certificates from Send Connector would break the mail flow.\n";
	static const char eac[] =
	    "error\n"
	    "These certificates are tagged with following Send Connectors : To Fabrikam. Removing and replacing certificates from Send Connector would break the mail flow.\n";
	static const char none[] =
	    "[PS] C:\\>Get-ExchangeCertificate\n\nThumbprint                                Services   Subject\n"
	    "----------                                --------   -------\n" TP_OLD "  ...WS..   CN=mail.contoso.com\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_transcript(&ev, "two.txt", two, sizeof two - 1), 2);
	assert_string_equal(ev.symptoms[0].server, "EX01");
	assert_string_equal(ev.symptoms[0].thumbprint, TP_OLD);
	assert_int_equal(ev.symptoms[0].connectors.n, 1);
	assert_string_equal(ev.symptoms[0].connectors.v[0], "Internet");
	assert_int_equal(ev.symptoms[0].ref.line, 2);
	assert_string_equal(ev.symptoms[1].server, "EX03");
	assert_string_equal(ev.symptoms[1].thumbprint, TP_CONTOSO);
	assert_int_equal(ev.symptoms[1].connectors.n, 2);
	assert_int_equal(ev.symptoms[1].ref.line, 5);

	/* The EAC's message has no server and no command line: unknown. */
	assert_int_equal(ingest_transcript(&ev, "eac.txt", eac, sizeof eac - 1), 1);
	assert_null(ev.symptoms[2].server);
	assert_null(ev.symptoms[2].thumbprint);
	assert_string_equal(ev.symptoms[2].connectors.v[0], "To Fabrikam");

	assert_int_equal(ingest_transcript(&ev, "none.txt", none, sizeof none - 1), 0);
	assert_int_equal(ingest_transcript(&ev, "empty.txt", "", 0), 0);
	assert_int_equal(ev.nsymptoms, 3);
	evidence_free(&ev);
}

/* ------------------------------------------- sessions, offers, responses */

struct facts {
	int	nsess;
	int	starttls, anontls, tls_ok, tls_failed, tls_none, closed;
	int	nresp;
	char	codes[16][16];
	int	nconn;
	char	dest[4][64];
	long	winsock[4];
	int	ntls;
	char	local_tp[4][48];
	struct diag_list dl;	/* what the parser reported */
	struct parse_diag pd;
	int	ninfo;		/* from dl */
	int	ndiag;
	char	diag[4][200];	/* "LINE message" */
};

static void
facts_session(void *arg, const struct protolog_session *s)
{
	struct facts	*f = arg;

	f->nsess++;
	f->starttls += s->starttls_offered;
	f->anontls += s->anonymous_tls_offered;
	f->closed += s->closed;
	if (s->tls > 0)
		f->tls_ok++;
	else if (s->tls < 0)
		f->tls_failed++;
	else
		f->tls_none++;
}

static void
facts_response(void *arg, const struct protolog_response *r)
{
	struct facts	*f = arg;

	if (f->nresp < 16)
		snprintf(f->codes[f->nresp], sizeof f->codes[0], "%s", r->code);
	f->nresp++;
}

static void
facts_conn(void *arg, const struct protolog_connect_failure *c)
{
	struct facts	*f = arg;

	if (f->nconn < 4) {
		snprintf(f->dest[f->nconn], sizeof f->dest[0], "%s",
		    c->destination ? c->destination : "(null)");
		f->winsock[f->nconn] = c->winsock_error;
	}
	f->nconn++;
}

static void
facts_tls(void *arg, const struct protolog_tls *t)
{
	struct facts	*f = arg;

	if (f->ntls < 4)
		snprintf(f->local_tp[f->ntls], sizeof f->local_tp[0], "%s",
		    t->local && t->local->thumbprint ? t->local->thumbprint : "-");
	f->ntls++;
}

/* The notes and warnings reported so far. */
static void
facts_diags(struct facts *f)
{
	char	msg[4][200];
	long	line[4];
	size_t	n, len;
	int	i;

	f->ninfo = 0;
	f->ndiag = warnings_split(&f->dl, msg, line, 4, &f->ninfo);
	for (i = 0; i < f->ndiag && i < 4; i++) {
		n = (size_t)snprintf(f->diag[i], sizeof f->diag[0], "%ld ",
		    line[i]);
		len = strlen(msg[i]);
		if (len > sizeof f->diag[0] - n - 1)
			len = sizeof f->diag[0] - n - 1;
		memcpy(f->diag[i] + n, msg[i], len);
		f->diag[i][n + len] = '\0';
	}
}

static void
facts_free(struct facts *f, struct protolog *pl)
{
	protolog_free(pl);
	diag_list_free(&f->dl);
}

static struct protolog *
facts_parser(struct facts *f)
{
	struct protolog_callbacks	cb;

	memset(f, 0, sizeof *f);
	memset(&cb, 0, sizeof cb);
	cb.tls = facts_tls;
	cb.connect_failure = facts_conn;
	parse_diag_init(&f->pd, &f->dl, NULL);
	cb.pd = &f->pd;
	cb.session = facts_session;
	cb.response = facts_response;
	cb.arg = f;
	return protolog_new(&cb);
}

#define R19(t, sid, seq) "2026-11-09T" t "Z,Outbound to Office 365," sid "," seq \
	",10.0.0.21:31044,104.47.51.138:25,"

/* Whether the diagnostics hold a message with `needle`, at `level`. */
static bool
facts_said(const struct facts *f, enum diag_level level, const char *needle)
{
	size_t	i;

	for (i = 0; i < f->dl.n; i++)
		if (f->dl.v[i].level == level &&
		    strstr(f->dl.v[i].message, needle) != NULL)
			return true;
	return false;
}

/*
 * A log as pasted into a ticket: the prompt above its header is no row
 * (the log keeps its header), the first row lost the first character of
 * its date (a bad row; the range is that of the good rows), and a word
 * processor made the quotes around the certificate row typographic.
 */
static void
test_pasted_log(void **state)
{
	static const char text[] =
	    "[PS] C:\\Logs\\Hub\\ProtocolLog\\SmtpSend>Get-Content .\\SEND2026110922-1.LOG\n"
	    HDR_SEND
	    "026-11-09T21:59:59.000Z,Outbound to Office 365,08DE1F5C2A9B0701,0,10.0.0.21:31044,104.47.51.138:25,*,,attempting to connect\n"
	    R19("22:00:00.000", "08DE1F5C2A9B0701", "1") "+,,\n"
	    R19("22:00:00.010", "08DE1F5C2A9B0701", "2") "*,\xE2\x80\x9D CN=mail.contoso.com, O=Contoso CN=R3, O=Let's Encrypt, C=US 0A1B2C3D "
	    TP_CONTOSO " 2026-01-01T00:00:00.000Z 2027-01-01T00:00:00.000Z mail.contoso.com\xE2\x80\x9D,Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names\n"
	    R19("22:00:00.020", "08DE1F5C2A9B0701", "3") "*,,TLS negotiation failed with error UnknownCredentials\n"
	    R19("22:00:00.030", "08DE1F5C2A9B0701", "4") "-,,Local\n";
	struct facts		 f;
	struct protolog		*pl = facts_parser(&f);
	const struct protolog_stats *st;

	(void)state;
	protolog_begin(pl, "SEND2026110922-1.LOG");
	protolog_feed(pl, text, sizeof text - 1);
	protolog_finish(pl);
	st = protolog_stats(pl);
	assert_false(st->headerless);
	assert_int_equal(st->rows, 4);
	assert_int_equal(st->bad_rows, 1);
	assert_int_equal(st->tls_failed, 1);
	assert_int_equal(st->first, iso("2026-11-09T22:00:00Z"));
	assert_int_equal(st->last, iso("2026-11-09T22:00:00Z"));
	assert_int_equal(f.ntls, 1);
	assert_string_equal(f.local_tp[0], TP_CONTOSO);
	assert_true(facts_said(&f, DIAG_WARNING, "line 7: malformed row "
	    "skipped: its date-time is damaged (\"026-11-09T21:59:59.000Z\""));
	assert_true(facts_said(&f, DIAG_INFO, "prompt"));
	assert_true(facts_said(&f, DIAG_INFO, "typographic quotes"));
	facts_free(&f, pl);
}

/*
 * Rows without a header are read in the standard order, and a row that
 * does not fit it says so in those words, not in terms of a #Fields line
 * the file does not have; a masked thumbprint is none.
 */
static void
test_headerless_words(void **state)
{
	static const char text[] =
	    "Date/Time.ConnectorId,Outbound to Office 365,SessionId,16,192.168.0.78:28252,172.16.38.36:25,*,,Sending certificate\n"
	    "Date/Time.ConnectorId,Outbound to Office 365,SessionId,20,192.168.0.78:28252,172.16.38.36:25,*,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx,Certificate thumbprint\n"
	    "Date/Time.ConnectorId,Outbound to Office 365,SessionId,21,192.168.0.78:28252,172.16.38.36:25,*,*.xxxx.xxx.xx alternate names\n"
	    "Date/Time.ConnectorId,Outbound to Office 365,SessionId,22,192.168.0.78:28252,172.16.38.36:25,*,,TLS negotiation failed with error NoCredentials\n";
	struct facts		 f;
	struct protolog		*pl = facts_parser(&f);
	const struct protolog_stats *st;

	(void)state;
	assert_true(protolog_row_loose_shape(text, strchr(text, '\n') - text));
	assert_false(protolog_row_loose_shape("Name : Outbound to Office 365", 29));
	protolog_begin(pl, "article.LOG");
	protolog_feed(pl, text, sizeof text - 1);
	protolog_finish(pl);
	st = protolog_stats(pl);
	assert_true(st->headerless);
	assert_int_equal(st->rows, 3);
	assert_int_equal(st->bad_rows, 1);
	assert_int_equal(st->tls_failed, 1);
	assert_int_equal(st->first, TIME_UNKNOWN);	/* placeholders, no date */
	assert_string_equal(f.local_tp[0], "-");	/* masked: no thumbprint */
	assert_true(facts_said(&f, DIAG_WARNING, "line 3: malformed row "
	    "skipped: field count differs from the standard column order (the "
	    "file has no #Fields line)"));
	assert_false(facts_said(&f, DIAG_WARNING, "from #Fields"));
	facts_free(&f, pl);
}

/*
 * Exchange repeats a session's last row after its disconnect: the repeat
 * is a row, not a new session. Two sessions, one of them repeated twice.
 */
static void
test_row_after_disconnect(void **state)
{
	static const char text[] = HDR_SEND
	    R19("22:00:00.000", "08DE1F5C2A9B0101", "0") "+,,\r\n"
	    R19("22:00:00.100", "08DE1F5C2A9B0101", "1") ">,QUIT,\r\n"
	    R19("22:00:00.200", "08DE1F5C2A9B0101", "2") "-,,Local\r\n"
	    R19("22:00:00.200", "08DE1F5C2A9B0101", "2") "-,,Local\r\n"
	    R19("22:00:00.300", "08DE1F5C2A9B0102", "0") "+,,\r\n"
	    R19("22:00:00.400", "08DE1F5C2A9B0101", "2") "-,,Local\r\n"
	    R19("22:00:00.500", "08DE1F5C2A9B0102", "1") "-,,Local\r\n";
	struct facts		 f;
	struct protolog		*pl = facts_parser(&f);
	const struct protolog_stats *st;

	(void)state;
	protolog_begin(pl, "a/SEND.LOG");
	protolog_feed(pl, text, sizeof text - 1);
	protolog_finish(pl);
	st = protolog_stats(pl);
	assert_int_equal(st->rows, 7);
	assert_int_equal(st->sessions, 2);
	assert_int_equal(f.nsess, 2);
	assert_int_equal(f.closed, 2);
	protolog_end_sessions(pl);
	assert_int_equal(f.nsess, 2);
	facts_free(&f, pl);
}

/*
 * A rotation cuts a session in two: the second file's TLS row still knows
 * the certificate the first file logged, and the session counts once.
 */
static void
test_session_across_files(void **state)
{
	static const char one[] = HDR_SEND
	    R19("22:00:00.000", "08DE1F5C2A9B0201", "0") "+,,\r\n"
	    R19("22:00:00.100", "08DE1F5C2A9B0201", "1") "*,\" CN=mail.contoso.com CN=Contoso CA 0A " TP_CONTOSO " mail.contoso.com\",Sending certificate Certificate subject Certificate issuer name Certificate serial number Certificate thumbprint Certificate subject alternate names\r\n";
	static const char two[] = HDR_SEND
	    R19("22:00:00.200", "08DE1F5C2A9B0201", "2") "*,,TLS negotiation failed with error UnknownCredentials\r\n"
	    R19("22:00:00.300", "08DE1F5C2A9B0201", "3") "-,,Local\r\n";
	struct facts		 f;
	struct protolog		*pl = facts_parser(&f);

	(void)state;
	protolog_begin(pl, "a/SEND-1.LOG");
	protolog_feed(pl, one, sizeof one - 1);
	protolog_finish(pl);
	assert_int_equal(protolog_stats(pl)->sessions, 1);
	protolog_begin(pl, "a/SEND-2.LOG");
	protolog_feed(pl, two, sizeof two - 1);
	protolog_finish(pl);
	assert_int_equal(protolog_stats(pl)->sessions, 0);
	assert_int_equal(protolog_stats(pl)->rows, 2);
	assert_int_equal(f.ntls, 1);
	assert_string_equal(f.local_tp[0], TP_CONTOSO);
	assert_int_equal(f.nsess, 1);
	assert_int_equal(f.tls_failed, 1);
	facts_free(&f, pl);
}

/*
 * EHLO offers on one row (2013+) or one row per 250- line (2010), on the
 * send side ('<') and the receive side ('>'); X-ANONYMOUSTLS is not
 * STARTTLS; a session still open at the end is reported by end_sessions.
 */
static void
test_ehlo_offers(void **state)
{
	static const char send[] = HDR_SEND
	    R19("22:00:00.000", "08DE1F5C2A9B0301", "0") "+,,\r\n"
	    R19("22:00:00.010", "08DE1F5C2A9B0301", "1") "<,250  mx Hello [10.0.0.21] SIZE PIPELINING STARTTLS X-ANONYMOUSTLS CHUNKING,\r\n"
	    R19("22:00:00.020", "08DE1F5C2A9B0301", "2") "-,,Local\r\n"
	    R19("22:00:01.000", "08DE1F5C2A9B0302", "0") "+,,\r\n"
	    R19("22:00:01.010", "08DE1F5C2A9B0302", "1") "<,250-mx Hello [10.0.0.21],\r\n"
	    R19("22:00:01.011", "08DE1F5C2A9B0302", "2") "<,250-SIZE 37748736,\r\n"
	    R19("22:00:01.012", "08DE1F5C2A9B0302", "3") "<,250-STARTTLS,\r\n"
	    R19("22:00:01.013", "08DE1F5C2A9B0302", "4") "<,250 8BITMIME,\r\n"
	    R19("22:00:01.020", "08DE1F5C2A9B0302", "5") "-,,Local\r\n"
	    R19("22:00:02.000", "08DE1F5C2A9B0303", "0") "+,,\r\n"
	    R19("22:00:02.010", "08DE1F5C2A9B0303", "1") "<,250-mx Hello [10.0.0.21],\r\n"
	    R19("22:00:02.011", "08DE1F5C2A9B0303", "2") "<,250 X-ANONYMOUSTLS,\r\n"
	    R19("22:00:02.012", "08DE1F5C2A9B0303", "3") ">,MAIL FROM:<a@contoso.com> STARTTLS-NOT-A-WORD,\r\n";
	static const char recv[] =
	    "#Log-type: SMTP Receive Protocol Log\n"
	    "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n"
	    "2026-11-09T22:00:00.000Z,EX01\\Default EX01,08DE1F5C2A9B0401,0,10.0.0.5:25,192.0.2.7:50000,+,,\n"
	    "2026-11-09T22:00:00.010Z,EX01\\Default EX01,08DE1F5C2A9B0401,1,10.0.0.5:25,192.0.2.7:50000,>,250  ex01 Hello [192.0.2.7] SIZE STARTTLS AUTH NTLM,\n"
	    "2026-11-09T22:00:00.020Z,EX01\\Default EX01,08DE1F5C2A9B0401,2,10.0.0.5:25,192.0.2.7:50000,-,,Remote\n";
	struct facts		 f;
	struct protolog		*pl = facts_parser(&f);

	(void)state;
	protolog_begin(pl, "s.LOG");
	protolog_feed(pl, send, sizeof send - 1);
	protolog_finish(pl);
	protolog_begin(pl, "r.LOG");
	protolog_feed(pl, recv, sizeof recv - 1);
	protolog_finish(pl);
	assert_int_equal(f.nsess, 3);		/* the third is still open */
	protolog_end_sessions(pl);
	assert_int_equal(f.nsess, 4);
	assert_int_equal(f.starttls, 3);
	assert_int_equal(f.anontls, 2);
	assert_int_equal(f.closed, 3);
	assert_int_equal(f.tls_none, 4);
	facts_free(&f, pl);
}

/* 4xx/5xx responses with their enhanced codes; Winsock failures with the destination. */
static void
test_responses_and_connect_failures(void **state)
{
	static const char text[] = HDR_SEND
	    R19("22:00:00.000", "08DE1F5C2A9B0501", "0") "+,,\r\n"
	    R19("22:00:00.010", "08DE1F5C2A9B0501", "1") "<,\"451 4.4.0 Primary target IP address responded with: \"\"421 4.4.1 Connection timed out.\"\"\",\r\n"
	    R19("22:00:00.020", "08DE1F5C2A9B0501", "2") "<,454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found.,\r\n"
	    R19("22:00:00.030", "08DE1F5C2A9B0501", "3") "<,421 4.4.2 Connection dropped due to SocketError,\r\n"
	    R19("22:00:00.040", "08DE1F5C2A9B0501", "4") "<,451 5.7.3 STARTTLS is required to send mail,\r\n"
	    R19("22:00:00.050", "08DE1F5C2A9B0501", "5") "<,421 Service not available,\r\n"
	    R19("22:00:00.060", "08DE1F5C2A9B0501", "6") "<,250 2.1.0 Sender OK,\r\n"
	    R19("22:00:00.070", "08DE1F5C2A9B0501", "7") ">,RCPT TO:<x@fabrikam.com>,\r\n"
	    R19("22:00:01.000", "08DE1F5C2A9B0502", "0") "*,,\"Failed to connect. Winsock error code: 10060, Win32 error code: 10060, Destination domain: fabrikam.com, Error Message: A connection attempt failed.\"\r\n"
	    R19("22:00:02.000", "08DE1F5C2A9B0503", "0") "*,\"Failed to connect. Winsock error code: 10061, Win32 error code: 10061, Error Message: refused\",\r\n";
	struct facts		 f;
	struct protolog		*pl = facts_parser(&f);

	(void)state;
	protolog_begin(pl, "s.LOG");
	protolog_feed(pl, text, sizeof text - 1);
	protolog_finish(pl);
	assert_int_equal(f.nresp, 5);
	assert_string_equal(f.codes[0], "451 4.4.0");
	assert_string_equal(f.codes[1], "454 4.7.5");
	assert_string_equal(f.codes[2], "421 4.4.2");
	assert_string_equal(f.codes[3], "451 5.7.3");
	assert_string_equal(f.codes[4], "421");
	assert_int_equal(protolog_stats(pl)->responses, 5);
	assert_int_equal(f.nconn, 2);
	assert_int_equal(f.winsock[0], 10060);
	assert_string_equal(f.dest[0], "fabrikam.com");
	assert_int_equal(f.winsock[1], 10061);
	assert_string_equal(f.dest[1], "(null)");
	facts_free(&f, pl);
}

/* A line over the limit is one bad row with its line number; the rest is read. */
static void
test_long_line(void **state)
{
	struct buf		 b;
	struct facts		 f;
	struct protolog		*pl = facts_parser(&f);
	const struct protolog_stats *st;
	char			*text;
	size_t			 len, i;

	(void)state;
	buf_init(&b, 8 * 1024 * 1024);
	assert_int_equal(buf_append(&b, HDR_SEND, strlen(HDR_SEND)), 0);
	buf_appendf(&b, R19("22:00:00.000", "08DE1F5C2A9B0601", "0") "+,,\r\n");
	buf_appendf(&b, R19("22:00:00.010", "08DE1F5C2A9B0601", "1") "*,");
	for (i = 0; i < PROTOLOG_LINE_MAX / 64 + 1; i++)
		buf_append(&b, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 64);
	buf_appendf(&b, ",sending message\r\n");
	buf_appendf(&b, R19("22:00:00.020", "08DE1F5C2A9B0601", "2") "*,,TLS negotiation failed with error UnknownCredentials\r\n");
	buf_appendf(&b, R19("22:00:00.030", "08DE1F5C2A9B0601", "3") "-,,Local\r\n");
	text = buf_steal(&b, &len);
	protolog_begin(pl, "long.LOG");
	protolog_feed(pl, text, len);
	protolog_finish(pl);
	st = protolog_stats(pl);
	assert_int_equal(st->rows, 3);
	assert_int_equal(st->bad_rows, 1);
	assert_int_equal(st->long_lines, 1);
	assert_int_equal(st->tls_failed, 1);
	facts_diags(&f);
	assert_int_equal(f.ndiag, 1);
	assert_non_null(strstr(f.diag[0], "7 malformed row skipped: line too long"));
	facts_free(&f, pl);
	free(text);
}

/* The shape of a row, for fragments pasted without their header. */
static void
test_row_shape(void **state)
{
	static const char *const yes[] = {
		"2017-10-07T04:42:56.804Z,Outbound to Office 365,08D50D3D9730A8D2,21,10.10.248.7:16547,216.32.181.234:25,*,,TLS negotiation failed with error UnknownCredentials",
		"2026-11-09T22:00:00.000Z,EX01\\Default EX01,08DE1F5C2A9B0401,0,10.0.0.5:25,192.0.2.7:50000,+,,",
		"2026-11-09T22:00:00.000Z,\"Outbound, Partners\",08de1f5c2a9b0401,3,,192.0.2.7:25,*,,attempting to connect",
	};
	static const char *const no[] = {
		"2026-11-09T22:00:00.000Z,Outbound,08DE1F5C2A9B040,0,10.0.0.5:25,192.0.2.7:25,+,,",
		"2026-11-09 22:00:00,Outbound,08DE1F5C2A9B0401,0,10.0.0.5:25,192.0.2.7:25,+,,",
		"2026-11-09T22:00:00.000Z,Outbound,08DE1F5C2A9B0401,x,10.0.0.5:25,192.0.2.7:25,+,,",
		"2026-11-09T22:00:00.000Z,Outbound,08DE1F5C2A9B0401,0,10.0.0.5:25,192.0.2.7:25,?,,",
		"Name : Outbound to Office 365",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		assert_true(protolog_row_shape(yes[i], strlen(yes[i])));
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_false(protolog_row_shape(no[i], strlen(no[i])));
	assert_non_null(tls_error_meaning("UnknownCredentials"));
	assert_non_null(strstr(tls_error_meaning("unknowncredentials"), "0x8009030D"));
	assert_null(tls_error_meaning("NoSuchError"));
	assert_null(tls_error_meaning(NULL));
}

/*
 * Aggregates: per (server, direction, connector, remote host, certificates,
 * outcome, error, protocol), not per file; the folder names the server
 * (EX02/TransportRoles/...), receive logs name theirs (EX01\Connector),
 * failing groups come first, samples keep path and line.
 */
static void
test_aggregates_per_server(void **state)
{
	static const char send[] = HDR_SEND
	    R19("22:00:00.000", "08DE1F5C2A9B0701", "0") "*,,TLS negotiation failed with error UnknownCredentials\r\n"
	    R19("22:00:00.100", "08DE1F5C2A9B0702", "0") "*,,\"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256\"\r\n";
	static const char recv[] =
	    "#Log-type: SMTP Receive Protocol Log\n"
	    "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n"
	    "2026-11-09T22:00:00.000Z,EX01\\Default EX01,08DE1F5C2A9B0801,0,10.0.0.5:25,192.0.2.7:50000,*,,TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded\n"
	    "2026-11-09T22:00:01.000Z,EX01\\Default EX01,08DE1F5C2A9B0802,0,10.0.0.5:25,192.0.2.7:50001,*,,TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded\n";
	struct evidence	 ev;
	size_t		 i;

	(void)state;
	evidence_init(&ev);
	ingest_protolog(&ev, "EX02/TransportRoles/Logs/ProtocolLog/SmtpSend/SEND-1.LOG", send, sizeof send - 1);
	ingest_protolog(&ev, "EX02/TransportRoles/Logs/ProtocolLog/SmtpSend/SEND-2.LOG", send, sizeof send - 1);
	ingest_protolog(&ev, "Logs/FrontEnd/RECV-1.LOG", recv, sizeof recv - 1);
	assert_int_equal(ev.ntls, 3);
	evidence_finish(&ev);
	assert_int_equal(ev.ntls, 3);
	assert_false(ev.tls[0].ok);
	assert_string_equal(ev.tls[0].server, "EX02");
	assert_int_equal(ev.tls[0].count, 2);
	assert_int_equal(ev.tls[0].g.nsamples, 2);
	assert_string_equal(ev.tls[0].g.samples[1].source,
	    "EX02/TransportRoles/Logs/ProtocolLog/SmtpSend/SEND-2.LOG");
	assert_int_equal(ev.tls[0].g.samples[1].line, 6);
	assert_string_equal(ev.tls[0].remote, "104.47.51.138");
	for (i = 1; i < ev.ntls; i++)
		assert_true(ev.tls[i].ok);
	/* Receive: the two client ports are one remote host. */
	assert_string_equal(ev.tls[1].server, "EX01");
	assert_true(ev.tls[1].receive);
	assert_int_equal(ev.tls[1].count, 2);
	assert_string_equal(ev.tls[1].remote, "192.0.2.7");
	assert_string_equal(ev.tls[1].protocol, "TLS1_2");
	assert_string_equal(ev.tls[2].server, "EX02");
	assert_int_equal(ev.nsessions, 3);
	evidence_free(&ev);
}

/* ------------------------------------------------------------- in pieces */

static void
assert_same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* What a log left in the evidence, read whole and read in pieces. */
static void
assert_same_evidence(const struct evidence *a, const struct evidence *b)
{
	size_t	i;

	assert_int_equal(a->diags.n, b->diags.n);
	for (i = 0; i < a->diags.n; i++) {
		assert_int_equal(a->diags.v[i].level, b->diags.v[i].level);
		assert_same_str(a->diags.v[i].source, b->diags.v[i].source);
		assert_same_str(a->diags.v[i].message, b->diags.v[i].message);
	}
	assert_memory_equal(&a->logs, &b->logs, sizeof a->logs);
	assert_int_equal(a->nsessions, b->nsessions);
	assert_int_equal(a->nresponses, b->nresponses);
	assert_int_equal(a->nbanners, b->nbanners);
	assert_int_equal(a->ntls_hours, b->ntls_hours);
	assert_int_equal(a->ntls, b->ntls);
	for (i = 0; i < a->ntls; i++) {
		assert_int_equal(a->tls[i].count, b->tls[i].count);
		assert_int_equal(a->tls[i].ok, b->tls[i].ok);
		assert_same_str(a->tls[i].cert_thumbprint, b->tls[i].cert_thumbprint);
		assert_same_str(a->tls[i].error, b->tls[i].error);
		assert_int_equal(a->tls[i].sample_line, b->tls[i].sample_line);
		assert_same_str(a->tls[i].sample_text, b->tls[i].sample_text);
	}
}

static void
read_whole(struct evidence *ev, const char *text, size_t len)
{
	struct bundle_entry	 e;
	struct logread		*lr;

	evidence_init(ev);
	memset(&e, 0, sizeof e);
	e.path = "EX1/SmtpSend/SEND2026110922-1.LOG";
	e.data = (const unsigned char *)text;
	e.len = len;
	lr = logread_new(ev, false, 0);
	logread_offer(lr, &e);
	logread_finish(lr);
}

/*
 * The log in pieces of `piece` bytes, as the walk hands them over; its
 * hash, which the pieces' reader owes the manifest, must be the text's.
 */
static void
read_pieces(struct evidence *ev, const char *text, size_t len, size_t piece,
    bool threaded)
{
	struct manifest_entry	 m;
	struct logread		*lr;
	struct bundle_pieces	*t;
	unsigned char		*dst;
	size_t			 off = 0, cap, n;
	char			 want[65];

	evidence_init(ev);
	memset(&m, 0, sizeof m);
	m.path = (char *)"EX1/SmtpSend/SEND2026110922-1.LOG";
	m.kind = "protocol-log";
	m.sha256_pending = true;
	evidence_add_entry(ev, &m);
	lr = logread_new(ev, threaded, piece);
	t = logread_pieces(lr, m.path, (const unsigned char *)text, len);
	assert_true(t->hashes);
	while (off < len) {
		dst = t->buffer(t, &cap);
		assert_int_equal(cap, piece);
		n = len - off < cap ? len - off : cap;
		memcpy(dst, text + off, n);
		t->put(t, dst, n);
		off += n;
	}
	t->end(t, true);
	logread_finish(lr);
	hash_sha256_hex(text, len, want);
	assert_string_equal(ev->entries[0].sha256, want);
}

/*
 * Wherever a log is cut into pieces (in a line, between CR and LF, in a
 * UTF-8 character, in an invalid byte sequence), its parser sees the lines
 * of the whole file: the same rows, line numbers, diagnostics and
 * decoding. LF, CRLF and CR line ends; the last line without one.
 */
static void
test_logread_pieces(void **state)
{
	static const char extra[] =
	    ROW("22:00:05.100", "08DE1F5C2A9B0003", "0") "*,,attempting to connect caf\xC3\xA9\r\n"
	    ROW("22:00:05.200", "08DE1F5C2A9B0003", "1") "*,,Latin-1 \xE9t\xE9 here\r\n"
	    "2026-11-09T22:00:05.300Z,broken row\r\n"
	    ROW("22:00:05.400", "08DE1F5C2A9B0003", "2") "-,,Local";
	struct evidence	 whole, pieces;
	struct buf	 text;
	char		*variant;
	size_t		 piece, vlen, i, k;
	static const size_t sizes[] = { 1, 2, 3, 5, 7, 13, 64, 1000, 4099 };
	int		 form;

	(void)state;
	buf_init(&text, SIZE_MAX - 1);
	assert_int_equal(buf_append(&text, log_shape3, strlen(log_shape3)), 0);
	assert_int_equal(buf_append(&text, extra, strlen(extra)), 0);
	for (form = 0; form < 3; form++) {
		/* 0: CRLF as written; 1: LF; 2: CR alone. */
		variant = xmalloc(text.len + 1);
		for (i = 0, vlen = 0; i < text.len; i++) {
			if (form == 1 && text.data[i] == '\r')
				continue;
			if (form == 2 && text.data[i] == '\n')
				continue;
			variant[vlen++] = text.data[i];
		}
		read_whole(&whole, variant, vlen);
		assert_true(whole.logs.rows > 10);
		assert_int_equal(whole.logs.bad_rows, 1);
		for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			piece = sizes[k];
			read_pieces(&pieces, variant, vlen, piece, false);
			assert_same_evidence(&whole, &pieces);
			evidence_free(&pieces);
			read_pieces(&pieces, variant, vlen, piece, true);
			assert_same_evidence(&whole, &pieces);
			evidence_free(&pieces);
		}
		evidence_free(&whole);
		free(variant);
	}
	buf_free(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape3_send),
		cmocka_unit_test(test_row_after_disconnect),
		cmocka_unit_test(test_session_across_files),
		cmocka_unit_test(test_ehlo_offers),
		cmocka_unit_test(test_responses_and_connect_failures),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_pasted_log),
		cmocka_unit_test(test_headerless_words),
		cmocka_unit_test(test_row_shape),
		cmocka_unit_test(test_aggregates_per_server),
		cmocka_unit_test(test_shape1_multirow),
		cmocka_unit_test(test_shape2_one_row),
		cmocka_unit_test(test_cert_row_parse),
		cmocka_unit_test(test_split_dns),
		cmocka_unit_test(test_fields_reordered),
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_excerpt_rows_counted_once),
		cmocka_unit_test(test_session_continued_in_next_file),
		cmocka_unit_test(test_malformed_rows),
		cmocka_unit_test(test_receive_log),
		cmocka_unit_test(test_banners),
		cmocka_unit_test(test_direction_without_log_type),
		cmocka_unit_test(test_connect_failures),
		cmocka_unit_test(test_session_bound),
		cmocka_unit_test(test_big_log),
		cmocka_unit_test(test_ingest_protolog),
		cmocka_unit_test(test_ingest_protolog_diags),
		cmocka_unit_test(test_transcript_wrapped),
		cmocka_unit_test(test_transcript_hard_wrap),
		cmocka_unit_test(test_transcript_note_above),
		cmocka_unit_test(test_transcript_utf16),
		cmocka_unit_test(test_transcript_several_and_none),
		cmocka_unit_test(test_row_cut_widths),
		cmocka_unit_test(test_row_too_many_fields),
		cmocka_unit_test(test_cert_memo),
		cmocka_unit_test(test_cert_shared_then_labelled),
		cmocka_unit_test(test_words_at_every_offset),
		cmocka_unit_test(test_logread_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

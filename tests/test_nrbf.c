/*
 * Signed SerializationData: current Exchange builds wrap the MS-NRBF stream
 * as "#sig#", a little-endian length, the stream, a 32-byte trailer. Built
 * here from the real unsigned blobs in testdata/realdata, then read both
 * through the decoder and through a whole CliXml export.
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

#include "formats/clixml.h"
#include "model/evidence.h"
#include "formats/ingest.h"
#include "formats/nrbf.h"
#include "model/kinds/cert.h"

#define REAL_CERTS	TESTDATA_DIR "/realdata/CSS-Exchange_HC_GetExchangeCertificateMultipleMatches.xml"
#define SD_OPEN		"<BA N=\"SerializationData\">"

static char *
read_file(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf;
	long	 n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* "#sig#", length, stream, a trailer that stands in for the signature. */
static unsigned char *
sign_blob(const unsigned char *p, size_t n, size_t *outlen)
{
	unsigned char	*out = malloc(n + NRBF_SIG_HEADER + NRBF_SIG_TRAILER);
	size_t		 i;

	assert_non_null(out);
	memcpy(out, "#sig#", 5);
	out[5] = (unsigned char)(n & 0xff);
	out[6] = (unsigned char)((n >> 8) & 0xff);
	out[7] = (unsigned char)((n >> 16) & 0xff);
	out[8] = (unsigned char)((n >> 24) & 0xff);
	memcpy(out + NRBF_SIG_HEADER, p, n);
	for (i = 0; i < NRBF_SIG_TRAILER; i++)
		out[NRBF_SIG_HEADER + n + i] = (unsigned char)(0xA5 ^ i);
	*outlen = n + NRBF_SIG_HEADER + NRBF_SIG_TRAILER;
	return out;
}

static char *
base64(const unsigned char *p, size_t n)
{
	static const char	 a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out = malloc(n / 3 * 4 + 8), *o = out;
	size_t			 i;
	uint32_t		 v;

	assert_non_null(out);
	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = a[v >> 18];
		*o++ = a[(v >> 12) & 63];
		*o++ = a[(v >> 6) & 63];
		*o++ = a[v & 63];
	}
	if (i < n) {
		v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		*o++ = a[v >> 18];
		*o++ = a[(v >> 12) & 63];
		*o++ = i + 1 < n ? a[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

static void
test_signed_matches_unsigned(void **state)
{
	struct cx_doc		*doc;
	const struct cx_value	*sd;
	struct nrbf_cert	 plain, sig;
	unsigned char		*blob;
	size_t			 len, i, blen;
	char			*text;
	struct parse_diag	 pd;

	(void)state;
	text = read_file(REAL_CERTS, &len);
	doc = clixml_parse(text, len, NULL);
	free(text);
	assert_int_equal(doc->status, PARSE_OK);
	assert_int_equal(doc->ntop, 5);
	for (i = 0; i < doc->ntop; i++) {
		sd = cx_obj_prop(cx_value_obj(&doc->top[i]), "SerializationData");
		assert_non_null(sd);
		assert_int_equal(nrbf_decode_exchange_cert(sd->bytes, sd->nbytes,
		    &plain, NULL), 0);
		assert_false(plain.signed_form);
		blob = sign_blob(sd->bytes, sd->nbytes, &blen);
		assert_int_equal(nrbf_decode_exchange_cert(blob, blen, &sig, NULL),
		    0);
		assert_true(sig.signed_form);
		assert_string_equal(sig.class_name, plain.class_name);
		assert_string_equal(sig.identity, plain.identity);
		assert_int_equal(sig.services, plain.services);
		assert_int_equal(sig.status, plain.status);
		assert_int_equal(sig.root_ca_type, plain.root_ca_type);
		assert_int_equal(sig.self_signed, plain.self_signed);
		assert_int_equal(sig.cert_data_len, plain.cert_data_len);
		assert_memory_equal(sig.cert_data, plain.cert_data, plain.cert_data_len);
		nrbf_cert_clear(&sig);
		/* A length past the end of the blob is refused, with a reason. */
		blob[8] = 0x7f;
		parse_diag_init(&pd, NULL, "x.xml");
		assert_int_equal(nrbf_decode_exchange_cert(blob, blen, &sig, &pd),
		    -1);
		assert_int_equal(pd.n, 1);
		assert_non_null(strstr(pd.first, "signed stream"));
		assert_int_equal(sig.services, -1);
		nrbf_cert_clear(&sig);
		/* A stream cut inside the signed envelope is damaged. */
		blob[8] = 0;
		assert_int_equal(nrbf_decode_exchange_cert(blob, sd->nbytes,
		    &sig, NULL), -1);
		nrbf_cert_clear(&sig);
		free(blob);
		nrbf_cert_clear(&plain);
	}
	clixml_free(doc);
}

/* The real export with every SerializationData replaced by its signed form. */
static char *
signed_export(size_t *outlen)
{
	struct cx_doc		*doc;
	const struct cx_value	*sd;
	struct buf		 b;
	unsigned char		*blob;
	const char		*p, *q, *end;
	size_t			 len, i = 0, blen;
	char			*text, *b64;

	text = read_file(REAL_CERTS, &len);
	doc = clixml_parse(text, len, NULL);
	assert_int_equal(doc->status, PARSE_OK);
	buf_init(&b, 1 << 24);
	p = text;
	end = text + len;
	while ((q = strstr(p, SD_OPEN)) != NULL) {
		assert_true(i < doc->ntop);
		sd = cx_obj_prop(cx_value_obj(&doc->top[i++]), "SerializationData");
		q += strlen(SD_OPEN);
		assert_int_equal(buf_append(&b, p, (size_t)(q - p)), 0);
		blob = sign_blob(sd->bytes, sd->nbytes, &blen);
		b64 = base64(blob, blen);
		assert_int_equal(buf_append(&b, b64, strlen(b64)), 0);
		free(b64);
		free(blob);
		p = strstr(q, "</BA>");
		assert_non_null(p);
	}
	assert_int_equal(i, 5);
	assert_int_equal(buf_append(&b, p, (size_t)(end - p)), 0);
	clixml_free(doc);
	free(text);
	return buf_steal(&b, outlen);
}

static const struct ev_cert *
find_cert(const struct evidence *ev, const char *thumbprint)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (strcmp(ev->certs[i].thumbprint, thumbprint) == 0)
			return &ev->certs[i];
	return NULL;
}

static void
test_signed_export_ingested(void **state)
{
	static const struct {
		const char	*thumbprint;
		int		 services;
		const char	*root_ca;
	} want[] = {
		{ "03221367D3A3E863698501592A9B9C420D8D3F4E", SVC_SMTP, "None" },
		{ "E267D459A0FB53D0EF225C11FAC062D522648C09", SVC_SMTP, "None" },
		{ "2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7", 0, "None" },
		{ "611C687DFC4343A5A03E0005A1EC6E9B6AFF586D",
		  SVC_IMAP | SVC_POP | SVC_IIS, "Registry" },
		{ "3341CEAF3DF4D3A9527EC98BDD53C54ECC3E0620", 0, "Registry" },
	};
	struct evidence		 ev;
	const struct ev_cert	*c;
	size_t			 len, i;
	char			*text;

	(void)state;
	text = signed_export(&len);
	assert_non_null(strstr(text, "<BA N=\"SerializationData\">I3NpZyM"));
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "EX/signed.xml", text, len), 5);
	free(text);
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 5);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		c = find_cert(&ev, want[i].thumbprint);
		assert_non_null(c);
		assert_int_equal(c->services, want[i].services);
		assert_string_equal(c->status, "Valid");
		assert_string_equal(c->root_ca_type, want[i].root_ca);
		assert_string_equal(c->server, "WIN-CTD3L0RGEN4");
	}
	for (i = 0; i < ev.diags.n; i++)
		assert_null(strstr(ev.diags.v[i].message, "SerializationData"));
	evidence_free(&ev);
}

/*
 * Run with -Server from another server's session: PSComputerName names the
 * session's server, Identity the certificate's. Identity wins, and says so.
 */
static void
test_identity_beats_session(void **state)
{
	struct evidence	 ev;
	size_t		 len, i, n = 0;
	char		*text, *p;

	(void)state;
	text = signed_export(&len);
	for (p = text; (p = strstr(p, "win-ctd3l0rgen4.exlab.dom</S>")) != NULL; p++)
		memcpy(p, "exchange-node01", 15);	/* same length */
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "EX01/certs.xml", text, len), 5);
	free(text);
	evidence_finish(&ev);
	for (i = 0; i < ev.ncerts; i++)
		assert_string_equal(ev.certs[i].server, "WIN-CTD3L0RGEN4");
	for (i = 0; i < ev.diags.n; i++)
		if (strstr(ev.diags.v[i].message, "Identity names WIN-CTD3L0RGEN4 "
		    "but PSComputerName EXCHANGE-NODE01 (") != NULL)
			n++;
	assert_int_equal(n, 5);
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_matches_unsigned),
		cmocka_unit_test(test_signed_export_ingested),
		cmocka_unit_test(test_identity_beats_session),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * X.509 parsing and the certificate-file ingester. The certificates are made
 * at test time with OpenSSL's library (the one the program links, so no
 * `openssl` command is needed) into a temporary directory, as PEM, DER and
 * PKCS#7 files, and what x509.c reports is checked against what was put in
 * them and what OpenSSL says of them.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/datetime.h"
#include "model/evidence.h"
#include "formats/ingest.h"
#include "util/util.h"
#include "formats/x509.h"

static char	 tmpdir[256];

static void
file_put(const char *name, const unsigned char *data, size_t len)
{
	char	 path[512];
	FILE	*fp;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static unsigned char *
slurp(const char *name, size_t *len)
{
	char		 path[512];
	FILE		*fp;
	unsigned char	*buf;
	long		 n;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* What a BIO holds, appended to a file (a PEM bundle is several writes). */
static void
bio_append_file(BIO *bio, const char *name)
{
	char	 path[512];
	char	*p;
	long	 n = BIO_get_mem_data(bio, &p);
	FILE	*fp;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	fp = fopen(path, "ab");
	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, (size_t)n, fp), (size_t)n);
	assert_int_equal(fclose(fp), 0);
}

static void
pem_cert_append(const char *name, X509 *x)
{
	BIO	*bio = BIO_new(BIO_s_mem());

	assert_int_equal(PEM_write_bio_X509(bio, x), 1);
	bio_append_file(bio, name);
	BIO_free(bio);
}

static void
pem_key_append(const char *name, EVP_PKEY *k)
{
	BIO	*bio = BIO_new(BIO_s_mem());

	assert_int_equal(PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL,
	    NULL), 1);
	bio_append_file(bio, name);
	BIO_free(bio);
}

static void
der_cert_write(const char *name, X509 *x)
{
	unsigned char	*der = NULL;
	int		 n = i2d_X509(x, &der);

	assert_true(n > 0);
	file_put(name, der, (size_t)n);
	OPENSSL_free(der);
}

/* A name from "field", "value" pairs; a field starting with '+' joins the RDN before. */
static X509_NAME *
name_make(const char *const *kv)
{
	X509_NAME	*n = X509_NAME_new();
	const char	*f;

	for (; kv[0] != NULL; kv += 2) {
		f = kv[0][0] == '+' ? kv[0] + 1 : kv[0];
		assert_int_equal(X509_NAME_add_entry_by_txt(n, f, MBSTRING_UTF8,
		    (const unsigned char *)kv[1], -1, -1, kv[0][0] == '+' ? -1 : 0), 1);
	}
	return n;
}

/*
 * A certificate for key, with the given names, serial (hex), validity from
 * now and extension (NULL for none), signed by signer with md.
 */
static X509 *
cert_make(EVP_PKEY *key, EVP_PKEY *signer, X509_NAME *subject,
    X509_NAME *issuer, const char *serial_hex, long days, const EVP_MD *md,
    const char *san)
{
	X509		*x = X509_new();
	BIGNUM		*bn = NULL;
	X509_EXTENSION	*ext;
	X509V3_CTX	 ctx;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_true(BN_hex2bn(&bn, serial_hex) > 0);
	assert_non_null(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)));
	BN_free(bn);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), days * 86400));
	assert_int_equal(X509_set_subject_name(x, subject), 1);
	assert_int_equal(X509_set_issuer_name(x, issuer), 1);
	assert_int_equal(X509_set_pubkey(x, key), 1);
	if (san != NULL) {
		X509V3_set_ctx(&ctx, NULL, x, NULL, NULL, 0);
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
		assert_non_null(ext);
		assert_int_equal(X509_add_ext(x, ext, -1), 1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, signer, md) > 0);
	return x;
}

/* A PKCS#7 "certs only" bundle, as `openssl crl2pkcs7 -nocrl` writes. */
static void
p7b_write(const char *der_name, const char *pem_name, X509 *a, X509 *b)
{
	PKCS7		*p7 = PKCS7_new();
	unsigned char	*der = NULL;
	BIO		*bio;
	int		 n;

	assert_int_equal(PKCS7_set_type(p7, NID_pkcs7_signed), 1);
	assert_int_equal(PKCS7_content_new(p7, NID_pkcs7_data), 1);
	assert_int_equal(PKCS7_add_certificate(p7, a), 1);
	assert_int_equal(PKCS7_add_certificate(p7, b), 1);
	n = i2d_PKCS7(p7, &der);
	assert_true(n > 0);
	file_put(der_name, der, (size_t)n);
	OPENSSL_free(der);
	bio = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PKCS7(bio, p7), 1);
	bio_append_file(bio, pem_name);
	BIO_free(bio);
	PKCS7_free(p7);
}

/* Epoch seconds of a certificate time. */
static int64_t
asn1_epoch(const ASN1_TIME *t)
{
	struct tm	tm;

	assert_int_equal(ASN1_TIME_to_tm(t, &tm), 1);
	return days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
	    (unsigned)tm.tm_mday) * 86400 + tm.tm_hour * 3600 +
	    tm.tm_min * 60 + tm.tm_sec;
}

/* A certificate file read back by OpenSSL (PEM or DER by its name). */
static X509 *
cert_load(const char *name)
{
	size_t			 len;
	unsigned char		*data = slurp(name, &len);
	const unsigned char	*p = data;
	X509			*x;
	BIO			*bio;

	if (strstr(name, ".der") != NULL)
		x = d2i_X509(NULL, &p, (long)len);
	else {
		bio = BIO_new_mem_buf(data, (int)len);
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	free(data);
	assert_non_null(x);
	return x;
}

static int64_t
cert_date(const char *file, const char *which)
{
	X509	*x = cert_load(file);
	int64_t	 t = asn1_epoch(strcmp(which, "startdate") == 0 ?
	    X509_get0_notBefore(x) : X509_get0_notAfter(x));

	X509_free(x);
	return t;
}

/* The SHA-1 fingerprint, as OpenSSL computes it, in upper-case hex. */
static void
cert_thumbprint(const char *file, char out[41])
{
	X509		*x = cert_load(file);
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 n, i;

	assert_int_equal(X509_digest(x, EVP_sha1(), md, &n), 1);
	assert_int_equal(n, 20);
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02X", md[i]);
	X509_free(x);
}

static int
setup(void **state)
{
	static const char *const ca_dn[] = { "C", "US", "O", "Contoso Root",
	    "CN", "Contoso Test Root CA", NULL };
	static const char *const leaf_dn[] = { "C", "US", "ST", "Washington",
	    "L", "Redmond", "O", "Contoso, Ltd.", "OU", "Messaging",
	    "CN", "mail.contoso.com", "emailAddress", "admin@contoso.com", NULL };
	static const char *const q_dn[] = { "CN", "q.example",
	    "O", "Say \"Hi\"; Inc", "OU", " padded ", NULL };
	static const char *const m_dn[] = { "DC", "com", "DC", "contoso",
	    "CN", "B\xC3\xA4" "ckerei", "+UID", "b", NULL };
	const char	*t = getenv("TMPDIR");
	EVP_PKEY	*ca_key, *leaf_key, *fake_key, *q_key, *m_key;
	X509_NAME	*ca_name, *leaf_name, *q_name, *m_name;
	X509		*ca, *leaf, *fake, *q, *m;

	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/test_x509.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	ca_key = EVP_RSA_gen(2048);
	leaf_key = EVP_RSA_gen(2048);
	/* RSA like the CA: its signature must fail to verify, not mismatch. */
	fake_key = EVP_RSA_gen(2048);
	q_key = EVP_EC_gen("P-256");
	m_key = EVP_EC_gen("P-256");
	if (ca_key == NULL || leaf_key == NULL || fake_key == NULL ||
	    q_key == NULL || m_key == NULL)
		return -1;
	ca_name = name_make(ca_dn);
	leaf_name = name_make(leaf_dn);
	q_name = name_make(q_dn);
	m_name = name_make(m_dn);

	/* A root CA, a leaf it signs, and an impostor with the CA's name. */
	ca = cert_make(ca_key, ca_key, ca_name, ca_name, "01", 3650,
	    EVP_sha256(), NULL);
	leaf = cert_make(leaf_key, ca_key, leaf_name, ca_name,
	    "8A0000000000000001", 400, EVP_sha384(),
	    "DNS:mail.contoso.com,DNS:autodiscover.contoso.com,IP:10.0.0.1,"
	    "email:x@contoso.com");
	fake = cert_make(fake_key, ca_key, ca_name, ca_name, "07", 30,
	    EVP_sha256(), NULL);
	/* Quoting in names; UTF-8, DC and a multi-valued RDN. */
	q = cert_make(q_key, q_key, q_name, q_name, "0B", 30, EVP_sha256(), NULL);
	m = cert_make(m_key, m_key, m_name, m_name, "0C", 30, EVP_sha256(), NULL);

	pem_cert_append("ca.pem", ca);
	pem_cert_append("leaf.pem", leaf);
	der_cert_write("leaf.der", leaf);
	pem_cert_append("fake.pem", fake);
	pem_cert_append("q.pem", q);
	pem_cert_append("m.pem", m);
	/* A PEM bundle with a private key between the certificates. */
	pem_cert_append("bundle.pem", leaf);
	pem_key_append("bundle.pem", leaf_key);
	pem_cert_append("bundle.pem", ca);
	p7b_write("bundle.p7b", "bundle.p7b.pem", leaf, ca);

	X509_free(ca);
	X509_free(leaf);
	X509_free(fake);
	X509_free(q);
	X509_free(m);
	X509_NAME_free(ca_name);
	X509_NAME_free(leaf_name);
	X509_NAME_free(q_name);
	X509_NAME_free(m_name);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
	EVP_PKEY_free(fake_key);
	EVP_PKEY_free(q_key);
	EVP_PKEY_free(m_key);
	return 0;
}

static int
teardown(void **state)
{
	char	cmd[512];

	(void)state;
	if (strstr(tmpdir, "test_x509.") != NULL) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

/* Reads a file's certificates into ev_cert records. */
struct collected {
	struct ev_cert	c[8];
	int		n;
};

static void
collect(void *ctx, const unsigned char *der, size_t len)
{
	struct collected	*col = ctx;

	assert_true(col->n < 8);
	ev_cert_init(&col->c[col->n]);
	assert_int_equal(x509_cert_fill(&col->c[col->n], der, len, NULL), 0);
	col->n++;
}

static void
collected_free(struct collected *col)
{
	int	i;

	for (i = 0; i < col->n; i++)
		ev_cert_clear(&col->c[i]);
	col->n = 0;
}

static int
read_named(const char *name, struct collected *col)
{
	size_t		 len;
	unsigned char	*data = slurp(name, &len);
	struct parse_diag pd;
	int		 n;

	col->n = 0;
	parse_diag_init(&pd, NULL, name);
	n = x509_read_file(data, len, collect, col, &pd);
	assert_int_equal(pd.n, 0);
	free(data);
	return n;
}

static void
test_leaf_fields(void **state)
{
	struct collected	 col;
	const struct ev_cert	*c;
	char			 tp[41];

	(void)state;
	assert_int_equal(read_named("leaf.pem", &col), 1);
	c = &col.c[0];
	assert_string_equal(c->subject, "E=admin@contoso.com, CN=mail.contoso.com, "
	    "OU=Messaging, O=\"Contoso, Ltd.\", L=Redmond, S=Washington, C=US");
	assert_string_equal(c->issuer,
	    "CN=Contoso Test Root CA, O=Contoso Root, C=US");
	cert_thumbprint("leaf.pem", tp);
	assert_int_equal(strlen(tp), 40);
	assert_string_equal(c->thumbprint, tp);
	/* .NET keeps the DER's leading zero byte (the serial is positive). */
	assert_string_equal(c->serial, "008A0000000000000001");
	assert_true(c->not_before == cert_date("leaf.pem", "startdate"));
	assert_true(c->not_after == cert_date("leaf.pem", "enddate"));
	assert_true(c->not_after - c->not_before == 400 * 86400);
	assert_true(c->domains_known);
	assert_int_equal(c->domains.n, 2);
	assert_string_equal(c->domains.v[0], "mail.contoso.com");
	assert_string_equal(c->domains.v[1], "autodiscover.contoso.com");
	assert_int_equal(c->key_bits, 2048);
	assert_string_equal(c->signature_algorithm, "sha384WithRSAEncryption");
	assert_int_equal(c->self_signed, TRI_FALSE);
	/* A certificate file does not say these. */
	assert_int_equal(c->services, SERVICES_UNKNOWN);
	assert_null(c->status);
	assert_int_equal(c->has_private_key, TRI_UNKNOWN);
	assert_null(c->server);
	collected_free(&col);
}

static void
test_self_signed(void **state)
{
	struct collected	col;

	(void)state;
	assert_int_equal(read_named("ca.pem", &col), 1);
	assert_int_equal(col.c[0].self_signed, TRI_TRUE);
	assert_string_equal(col.c[0].subject, col.c[0].issuer);
	/* No SAN, and a CN that is no host name: no domains. */
	assert_true(col.c[0].domains_known);
	assert_int_equal(col.c[0].domains.n, 0);
	assert_string_equal(col.c[0].signature_algorithm,
	    "sha256WithRSAEncryption");
	collected_free(&col);
	/* Same issuer and subject, but signed by another key. */
	assert_int_equal(read_named("fake.pem", &col), 1);
	assert_string_equal(col.c[0].subject, col.c[0].issuer);
	assert_int_equal(col.c[0].self_signed, TRI_FALSE);
	assert_string_equal(col.c[0].serial, "07");
	collected_free(&col);
}

static void
test_dn_quoting(void **state)
{
	struct collected	col;

	(void)state;
	assert_int_equal(read_named("q.pem", &col), 1);
	assert_string_equal(col.c[0].subject,
	    "OU=\" padded \", O=\"Say \"\"Hi\"\"; Inc\", CN=q.example");
	/* The CN is a host name, so it is the one domain. */
	assert_int_equal(col.c[0].domains.n, 1);
	assert_string_equal(col.c[0].domains.v[0], "q.example");
	collected_free(&col);
	/*
	 * UTF-8 values, DC, an attribute without a short name, and a
	 * multi-valued RDN (its values in DER order, which sorts UID first).
	 */
	assert_int_equal(read_named("m.pem", &col), 1);
	assert_string_equal(col.c[0].subject, "OID.0.9.2342.19200300.100.1.1=b"
	    " + CN=B\xC3\xA4" "ckerei, DC=contoso, DC=com");
	assert_int_equal(col.c[0].key_bits, 256);
	assert_string_equal(col.c[0].signature_algorithm, "ecdsa-with-SHA256");
	assert_int_equal(col.c[0].self_signed, TRI_TRUE);
	collected_free(&col);
}

static void
test_der_pem_pkcs7_bundles(void **state)
{
	struct collected	col;
	char			leaf_tp[41], ca_tp[41];

	(void)state;
	cert_thumbprint("leaf.pem", leaf_tp);
	cert_thumbprint("ca.pem", ca_tp);
	assert_int_equal(read_named("leaf.der", &col), 1);
	assert_string_equal(col.c[0].thumbprint, leaf_tp);
	collected_free(&col);
	/* Two certificates around a private key: the key is skipped. */
	assert_int_equal(read_named("bundle.pem", &col), 2);
	assert_string_equal(col.c[0].thumbprint, leaf_tp);
	assert_string_equal(col.c[1].thumbprint, ca_tp);
	collected_free(&col);
	assert_int_equal(read_named("bundle.p7b", &col), 2);
	assert_string_equal(col.c[0].thumbprint, leaf_tp);
	assert_string_equal(col.c[1].thumbprint, ca_tp);
	collected_free(&col);
	assert_int_equal(read_named("bundle.p7b.pem", &col), 2);
	collected_free(&col);
}

static void
test_hostile_files(void **state)
{
	struct collected	 col;
	size_t			 len, half;
	unsigned char		*der = slurp("leaf.der", &len);
	unsigned char		*pem;
	struct parse_diag	 pd;
	struct buf		 b;

	(void)state;
	col.n = 0;
	parse_diag_init(&pd, NULL, "hostile");
	assert_int_equal(x509_read_file(NULL, 0, collect, &col, &pd), -1);
	parse_diag_init(&pd, NULL, "garbage");
	assert_int_equal(x509_read_file((const unsigned char *)"garbage", 7,
	    collect, &col, &pd), -1);
	assert_non_null(strstr(pd.first, "not a DER certificate"));
	/* Every truncation of the DER fails cleanly. */
	for (half = 0; half < len; half += 7)
		assert_int_equal(x509_read_file(der, half, collect, &col, &pd),
		    -1);
	assert_int_equal(col.n, 0);
	free(der);
	/* A damaged PEM block does not hide the good one after it. */
	pem = slurp("leaf.pem", &len);
	buf_init(&b, 1 << 20);
	buf_appendf(&b, "-----BEGIN CERTIFICATE-----\n@@@not base64@@@\n"
	    "-----END CERTIFICATE-----\n");
	buf_appendf(&b, "-----BEGIN CERTIFICATE-----\nAAECAwQF\n"
	    "-----END CERTIFICATE-----\n");
	buf_append(&b, pem, len);
	free(pem);
	parse_diag_init(&pd, NULL, "two-bad.pem");
	assert_int_equal(x509_read_file((unsigned char *)b.data, b.len, collect,
	    &col, &pd), 1);
	/* ... and both damaged blocks are reported, with their lines. */
	assert_int_equal(pd.n, 2);
	assert_string_equal(pd.first, "line 1: damaged PEM certificate block "
	    "(not base64); skipped");
	collected_free(&col);
	/* Only damaged blocks, or one never closed: an error. */
	assert_int_equal(x509_read_file((unsigned char *)b.data, 90, collect,
	    &col, &pd), -1);
	assert_non_null(strstr(pd.first, "damaged"));
	buf_reset(&b);
	buf_appendf(&b, "-----BEGIN CERTIFICATE-----\nMIIC");
	assert_int_equal(x509_read_file((unsigned char *)b.data, b.len, collect,
	    &col, &pd), -1);
	buf_reset(&b);
	buf_appendf(&b, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
	parse_diag_init(&pd, NULL, "key.pem");
	assert_int_equal(x509_read_file((unsigned char *)b.data, b.len, collect,
	    &col, &pd), -1);
	assert_non_null(strstr(pd.first, "no certificate"));
	assert_int_equal(col.n, 0);
	buf_free(&b);
}

static void
test_ingest_x509(void **state)
{
	struct evidence		 ev;
	size_t			 len;
	unsigned char		*data;
	const struct ev_cert	*c;
	char			 leaf_tp[41];

	(void)state;
	cert_thumbprint("leaf.pem", leaf_tp);
	evidence_init(&ev);
	data = slurp("bundle.pem", &len);
	assert_int_equal(ingest_x509(&ev, "case.zip/certs/bundle.pem", data, len), 2);
	free(data);
	/* The same leaf again as DER from another path merges into one. */
	data = slurp("leaf.der", &len);
	assert_int_equal(ingest_x509(&ev, "case.zip/certs/mail.cer", data, len), 1);
	free(data);
	assert_int_equal(ev.ncerts, 2);
	/* A lone certificate file is not an inventory. */
	assert_false(ev.saw_cert_dump);
	c = &ev.certs[0];
	assert_string_equal(c->thumbprint, leaf_tp);
	assert_null(c->server);
	assert_int_equal(c->services, SERVICES_UNKNOWN);
	assert_int_equal(c->has_private_key, TRI_UNKNOWN);
	assert_string_equal(c->ref.source, "case.zip/certs/bundle.pem");
	assert_int_equal(c->ref.line, 0);
	assert_true(strlist_contains_ci(&c->sources, "case.zip/certs/bundle.pem"));
	assert_true(strlist_contains_ci(&c->sources, "case.zip/certs/mail.cer"));
	assert_int_equal(ev.diags.n, 0);
	/* PEM saved as UTF-16LE with a BOM (Out-File). */
	data = slurp("ca.pem", &len);
	{
		unsigned char	*u16 = malloc(2 * len + 2);
		size_t		 i;

		u16[0] = 0xFF;
		u16[1] = 0xFE;
		for (i = 0; i < len; i++) {
			u16[2 + 2 * i] = data[i];
			u16[3 + 2 * i] = 0;
		}
		assert_int_equal(ingest_x509(&ev, "case.zip/ca.txt", u16,
		    2 * len + 2), 1);
		free(u16);
	}
	free(data);
	assert_int_equal(ev.ncerts, 2);
	assert_true(strlist_contains_ci(&ev.certs[1].sources, "case.zip/ca.txt"));
	/* Unreadable: -1 and a diagnostic naming the path. */
	assert_int_equal(ingest_x509(&ev, "case.zip/junk.cer",
	    (const unsigned char *)"\x30\x82\x05\x00\x01", 5), -1);
	assert_int_equal(ev.diags.n, 1);
	assert_string_equal(ev.diags.v[0].source, "case.zip/junk.cer");
	assert_string_equal(ev.diags.v[0].message, "certificate file: not a DER "
	    "certificate or PKCS#7 bundle (5 bytes)");
	/* A PEM bundle with a damaged block: the rest is read, the block named. */
	data = slurp("leaf.pem", &len);
	{
		struct buf	b;

		buf_init(&b, 1 << 20);
		buf_append(&b, data, len);
		buf_appendf(&b, "\n-----BEGIN CERTIFICATE-----\nMIIB!!\n"
		    "-----END CERTIFICATE-----\n");
		assert_int_equal(ingest_x509(&ev, "case.zip/two.pem",
		    (unsigned char *)b.data, b.len), 1);
		buf_free(&b);
	}
	free(data);
	assert_int_equal(ev.diags.n, 2);
	assert_string_equal(ev.diags.v[1].source, "case.zip/two.pem");
	assert_non_null(strstr(ev.diags.v[1].message, "certificate file: damaged "
	    "PEM certificate block (not base64)"));
	assert_non_null(strstr(ev.diags.v[1].message, "line "));
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_fields),
		cmocka_unit_test(test_self_signed),
		cmocka_unit_test(test_dn_quoting),
		cmocka_unit_test(test_der_pem_pkcs7_bundles),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_ingest_x509),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * X.509 parsing and the certificate-file ingester. Certificates are made at
 * test time with the openssl command into a temporary directory, and what
 * x509.c reports is checked against what the openssl command says.
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

#include "datetime.h"
#include "evidence.h"
#include "ingest.h"
#include "x509.h"

static char	 tmpdir[256];
static const char *openssl_bin;

static void run(const char *, ...) __attribute__((format(printf, 1, 2)));
static void capture(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
run(const char *fmt, ...)
{
	char	cmd[2048];
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

/* The first line of a command's output, without its line end. */
static void
capture(char *out, size_t size, const char *fmt, ...)
{
	char	 cmd[2048];
	va_list	 ap;
	FILE	*p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(out, (int)size, p) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	assert_int_equal(pclose(p), 0);
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

/* "2026-11-22 02:21:16Z" (openssl -dateopt iso_8601) to epoch seconds. */
static int64_t
openssl_date(const char *file, const char *which)
{
	char	line[128];
	int	y, mo, d, h, mi, s;

	capture(line, sizeof line, "%s x509 -in '%s'/%s -noout -%s -dateopt iso_8601",
	    openssl_bin, tmpdir, file, which);
	assert_int_equal(sscanf(strchr(line, '=') + 1, "%d-%d-%d %d:%d:%d", &y,
	    &mo, &d, &h, &mi, &s), 6);
	return days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + s;
}

/* The SHA-1 fingerprint as openssl prints it, colons removed. */
static void
openssl_thumbprint(const char *file, char out[41])
{
	char	line[256];
	size_t	i, k = 0;
	char	*p;

	capture(line, sizeof line, "%s x509 -in '%s'/%s -noout -fingerprint -sha1",
	    openssl_bin, tmpdir, file);
	p = strchr(line, '=');
	assert_non_null(p);
	for (i = 1; p[i] != '\0' && k < 40; i++)
		if (p[i] != ':')
			out[k++] = p[i];
	out[k] = '\0';
}

static int
setup(void **state)
{
	const char	*t = getenv("TMPDIR");

	(void)state;
	openssl_bin = getenv("OPENSSL_BIN");
	if (openssl_bin == NULL || *openssl_bin == '\0')
		openssl_bin = "openssl";
	snprintf(tmpdir, sizeof tmpdir, "%s/test_x509.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	/* A root CA, a leaf it signs, and an impostor with the CA's name. */
	run("cd '%s' && %s req -x509 -newkey rsa:2048 -nodes -keyout ca.key "
	    "-out ca.pem -days 3650 -subj '/C=US/O=Contoso Root/CN=Contoso Test Root CA' "
	    ">/dev/null 2>&1", tmpdir, openssl_bin);
	run("cd '%s' && %s req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr "
	    "-subj '/C=US/ST=Washington/L=Redmond/O=Contoso, Ltd./OU=Messaging/"
	    "CN=mail.contoso.com/emailAddress=admin@contoso.com' >/dev/null 2>&1",
	    tmpdir, openssl_bin);
	run("cd '%s' && printf 'subjectAltName=DNS:mail.contoso.com,"
	    "DNS:autodiscover.contoso.com,IP:10.0.0.1,email:x@contoso.com\\n' > ext.cnf",
	    tmpdir);
	run("cd '%s' && %s x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key "
	    "-set_serial 0x8A0000000000000001 -days 400 -sha384 -extfile ext.cnf "
	    "-out leaf.pem >/dev/null 2>&1", tmpdir, openssl_bin);
	run("cd '%s' && %s x509 -in leaf.pem -outform DER -out leaf.der",
	    tmpdir, openssl_bin);
	run("cd '%s' && %s req -newkey rsa:2048 -nodes -keyout fake.key -out fake.csr "
	    "-subj '/C=US/O=Contoso Root/CN=Contoso Test Root CA' >/dev/null 2>&1 && "
	    "%s x509 -req -in fake.csr -CA ca.pem -CAkey ca.key -set_serial 7 "
	    "-days 30 -out fake.pem >/dev/null 2>&1", tmpdir, openssl_bin,
	    openssl_bin);
	run("cd '%s' && %s req -x509 -newkey rsa:2048 -nodes -keyout q.key -out q.pem "
	    "-days 30 -subj '/CN=q.example/O=Say \"Hi\"; Inc/OU= padded ' "
	    ">/dev/null 2>&1", tmpdir, openssl_bin);
	run("cd '%s' && %s req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout m.key -out m.pem -days 30 -utf8 -multivalue-rdn "
	    "-subj '/DC=com/DC=contoso/CN=B\xC3\xA4" "ckerei+UID=b' >/dev/null 2>&1",
	    tmpdir, openssl_bin);
	/* A PEM bundle with a private key between the certificates. */
	run("cd '%s' && cat leaf.pem leaf.key ca.pem > bundle.pem", tmpdir);
	run("cd '%s' && %s crl2pkcs7 -nocrl -certfile bundle.pem -outform DER "
	    "-out bundle.p7b && %s crl2pkcs7 -nocrl -certfile bundle.pem "
	    "-out bundle.p7b.pem", tmpdir, openssl_bin, openssl_bin);
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
	char			 err[128];

	assert_true(col->n < 8);
	ev_cert_init(&col->c[col->n]);
	assert_int_equal(x509_cert_fill(&col->c[col->n], der, len, err,
	    sizeof err), 0);
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
	char		 err[128];
	int		 n;

	col->n = 0;
	n = x509_read_file(data, len, collect, col, err, sizeof err);
	free(data);
	return n;
}

static void
test_leaf_fields(void **state)
{
	struct collected	 col;
	const struct ev_cert	*c;
	char			 tp[41], serial[128];

	(void)state;
	assert_int_equal(read_named("leaf.pem", &col), 1);
	c = &col.c[0];
	assert_string_equal(c->subject, "E=admin@contoso.com, CN=mail.contoso.com, "
	    "OU=Messaging, O=\"Contoso, Ltd.\", L=Redmond, S=Washington, C=US");
	assert_string_equal(c->issuer,
	    "CN=Contoso Test Root CA, O=Contoso Root, C=US");
	openssl_thumbprint("leaf.pem", tp);
	assert_int_equal(strlen(tp), 40);
	assert_string_equal(c->thumbprint, tp);
	/* .NET keeps the DER's leading zero byte; openssl drops it. */
	capture(serial, sizeof serial, "%s x509 -in '%s'/leaf.pem -noout -serial",
	    openssl_bin, tmpdir);
	assert_string_equal(serial, "serial=8A0000000000000001");
	assert_string_equal(c->serial, "008A0000000000000001");
	assert_true(c->not_before == openssl_date("leaf.pem", "startdate"));
	assert_true(c->not_after == openssl_date("leaf.pem", "enddate"));
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
	openssl_thumbprint("leaf.pem", leaf_tp);
	openssl_thumbprint("ca.pem", ca_tp);
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
	char			 err[128];
	struct buf		 b;

	(void)state;
	col.n = 0;
	assert_int_equal(x509_read_file(NULL, 0, collect, &col, err,
	    sizeof err), -1);
	assert_int_equal(x509_read_file((const unsigned char *)"garbage", 7,
	    collect, &col, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a DER certificate"));
	/* Every truncation of the DER fails cleanly. */
	for (half = 0; half < len; half += 7)
		assert_int_equal(x509_read_file(der, half, collect, &col, err,
		    sizeof err), -1);
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
	assert_int_equal(x509_read_file((unsigned char *)b.data, b.len, collect,
	    &col, err, sizeof err), 1);
	collected_free(&col);
	/* Only damaged blocks, or one never closed: an error. */
	assert_int_equal(x509_read_file((unsigned char *)b.data, 90, collect,
	    &col, err, sizeof err), -1);
	assert_non_null(strstr(err, "damaged"));
	buf_reset(&b);
	buf_appendf(&b, "-----BEGIN CERTIFICATE-----\nMIIC");
	assert_int_equal(x509_read_file((unsigned char *)b.data, b.len, collect,
	    &col, err, sizeof err), -1);
	buf_reset(&b);
	buf_appendf(&b, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
	assert_int_equal(x509_read_file((unsigned char *)b.data, b.len, collect,
	    &col, err, sizeof err), -1);
	assert_non_null(strstr(err, "no certificate"));
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
	openssl_thumbprint("leaf.pem", leaf_tp);
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
	assert_non_null(strstr(ev.diags.v[0].message, "unreadable certificate"));
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

/*
 * Certificates through OpenSSL, described the way Exchange describes them.
 * Distinguished names are built from the name entries here because none of
 * OpenSSL's print flags gives the .NET form (docs/formats.md, "Distinguished names and TlsCertificateName").
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/datetime.h"
#include "util/hash.h"
#include "util/parse_diag.h"
#include "util/text.h"
#include "util/util.h"
#include "x509.h"

#define MAX_NAME_TEXT	(64 * 1024)	/* one printed DN */

/* The attribute keys Windows prints (CertNameToStr, X.500 style). */
static const struct {
	const char	*oid;
	const char	*key;
} dn_keys[] = {
	{ "2.5.4.3", "CN" },
	{ "2.5.4.4", "SN" },
	{ "2.5.4.5", "SERIALNUMBER" },
	{ "2.5.4.6", "C" },
	{ "2.5.4.7", "L" },
	{ "2.5.4.8", "S" },
	{ "2.5.4.9", "STREET" },
	{ "2.5.4.10", "O" },
	{ "2.5.4.11", "OU" },
	{ "2.5.4.12", "T" },
	{ "2.5.4.13", "Description" },
	{ "2.5.4.17", "PostalCode" },
	{ "2.5.4.18", "POBox" },
	{ "2.5.4.20", "Phone" },
	{ "2.5.4.24", "X21Address" },
	{ "2.5.4.42", "G" },
	{ "2.5.4.43", "I" },
	{ "2.5.4.46", "dnQualifier" },
	{ "1.2.840.113549.1.9.1", "E" },
	{ "0.9.2342.19200300.100.1.25", "DC" }
};

static void
set_str(char **dst, char *val)
{
	free(*dst);
	*dst = val;
}

static void
dn_key(const ASN1_OBJECT *obj, struct buf *out)
{
	char	oid[128];
	size_t	i;
	int	n;

	n = OBJ_obj2txt(oid, sizeof oid, obj, 1);
	if (n <= 0 || (size_t)n >= sizeof oid) {
		buf_append(out, "OID.?", 5);
		return;
	}
	for (i = 0; i < sizeof dn_keys / sizeof dn_keys[0]; i++) {
		if (strcmp(dn_keys[i].oid, oid) == 0) {
			buf_appendf(out, "%s", dn_keys[i].key);
			return;
		}
	}
	buf_appendf(out, "OID.%s", oid);
}

/*
 * Windows quotes a value with leading or trailing white space or any of
 * , + = " < > # ; or a line break, doubling the quotes inside.
 */
static bool
dn_value_needs_quotes(const char *v, size_t n)
{
	size_t	i;

	if (n == 0 || v[0] == ' ' || v[n - 1] == ' ' || v[0] == '\t' ||
	    v[n - 1] == '\t')
		return true;
	for (i = 0; i < n; i++)
		if (strchr(",+=\"<>#;\n\r", v[i]) != NULL)
			return true;
	return false;
}

static void
dn_value(const X509_NAME_ENTRY *e, struct buf *out)
{
	const ASN1_STRING	*data = X509_NAME_ENTRY_get_data(e);
	unsigned char		*utf8 = NULL;
	int			 n, i;

	n = ASN1_STRING_to_UTF8(&utf8, data);
	if (n < 0) {
		/* Not a string type: the hex of its content, as Windows does. */
		const unsigned char	*d = ASN1_STRING_get0_data(data);

		buf_putc(out, '#');
		for (i = 0; i < ASN1_STRING_length(data); i++)
			buf_appendf(out, "%02X", d[i]);
		return;
	}
	if (!dn_value_needs_quotes((const char *)utf8, (size_t)n)) {
		buf_append(out, utf8, (size_t)n);
	} else {
		buf_putc(out, '"');
		for (i = 0; i < n; i++) {
			if (utf8[i] == '"')
				buf_putc(out, '"');
			buf_putc(out, (char)utf8[i]);
		}
		buf_putc(out, '"');
	}
	OPENSSL_free(utf8);
}

/*
 * Exchange's form: RDNs last to first, ", " between them, " + " between the
 * values of one multi-valued RDN.
 */
static char *
name_dotnet(const X509_NAME *name)
{
	struct buf		 out;
	const X509_NAME_ENTRY	*e;
	int			 i, k, start, set;
	char			*raw, *clean;
	size_t			 len;

	buf_init(&out, MAX_NAME_TEXT);
	i = X509_NAME_entry_count(name) - 1;
	while (i >= 0) {
		/* The entries of one RDN are adjacent and share a set number. */
		set = X509_NAME_ENTRY_set(X509_NAME_get_entry(name, i));
		start = i;
		while (start > 0 && X509_NAME_ENTRY_set(
		    X509_NAME_get_entry(name, start - 1)) == set)
			start--;
		if (out.len > 0)
			buf_append(&out, ", ", 2);
		for (k = start; k <= i; k++) {
			e = X509_NAME_get_entry(name, k);
			if (k > start)
				buf_append(&out, " + ", 3);
			dn_key(X509_NAME_ENTRY_get_object(e), &out);
			buf_putc(&out, '=');
			dn_value(e, &out);
		}
		i = start - 1;
	}
	/* Values may hold control characters or bad UTF-8: clean them once. */
	raw = buf_steal(&out, &len);
	clean = utf8_clean(raw, len);
	free(raw);
	return clean;
}

/* Upper-case hex of the serial's DER content, leading zero byte included. */
static char *
serial_hex(const X509 *x)
{
	const ASN1_INTEGER	*ai = X509_get0_serialNumber(x);
	unsigned char		*der = NULL, *p;
	int			 n, hdr, i, lenlen;
	struct buf		 out;

	n = i2d_ASN1_INTEGER(ai, &der);
	if (n < 2) {
		OPENSSL_free(der);
		return NULL;
	}
	hdr = 2;
	if (der[1] & 0x80) {
		lenlen = der[1] & 0x7F;
		hdr += lenlen;
	}
	buf_init(&out, (size_t)n * 2 + 1);
	for (p = der + hdr, i = hdr; i < n; i++, p++)
		buf_appendf(&out, "%02X", *p);
	OPENSSL_free(der);
	return buf_steal(&out, NULL);
}

static int64_t
asn1_time_epoch(const ASN1_TIME *t)
{
	struct tm	tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return TIME_UNKNOWN;
	return days_from_civil((int64_t)tm.tm_year + 1900,
	    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) * 86400 +
	    tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

/* A DNS name as it can be printed: printable ASCII only. */
static bool
dns_name_ok(const unsigned char *s, int n)
{
	int	i;

	if (n <= 0 || n > 1024)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7F)
			return false;
	return true;
}

/* CertificateDomains: the DNS names of the SAN, else the subject CN. */
static void
cert_domains(X509 *x, struct ev_cert *c)
{
	GENERAL_NAMES		*gens;
	const GENERAL_NAME	*g;
	const ASN1_STRING	*s;
	const X509_NAME		*subj;
	unsigned char		*utf8;
	int			 i, idx, n;
	char			*d;

	strlist_free(&c->domains);
	c->domains_known = true;
	c->domains_incomplete = false;
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g->type != GEN_DNS)
			continue;
		s = g->d.dNSName;
		if (!dns_name_ok(ASN1_STRING_get0_data(s), ASN1_STRING_length(s)))
			continue;
		d = xstrndup((const char *)ASN1_STRING_get0_data(s),
		    (size_t)ASN1_STRING_length(s));
		strlist_add_unique_ci(&c->domains, d);
		free(d);
	}
	GENERAL_NAMES_free(gens);
	if (c->domains.n > 0)
		return;
	subj = X509_get_subject_name(x);
	idx = X509_NAME_get_index_by_NID(subj, NID_commonName, -1);
	if (idx < 0)
		return;
	n = ASN1_STRING_to_UTF8(&utf8,
	    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, idx)));
	if (n < 0)
		return;
	if (dns_name_ok(utf8, n)) {
		d = xstrndup((const char *)utf8, (size_t)n);
		strlist_add(&c->domains, d);
		free(d);
	}
	OPENSSL_free(utf8);
}

static char *
signature_name(const X509 *x)
{
	const X509_ALGOR	*alg;
	const ASN1_OBJECT	*obj;
	int			 nid = X509_get_signature_nid(x);
	char			 oid[128];

	if (nid != NID_undef && OBJ_nid2ln(nid) != NULL)
		return xstrdup(OBJ_nid2ln(nid));
	X509_get0_signature(NULL, &alg, x);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if (OBJ_obj2txt(oid, sizeof oid, obj, 1) <= 0)
		return NULL;
	return xstrdup(oid);
}

/* Issuer equals subject and the certificate's own key verifies it. */
static tri_t
self_signed(X509 *x)
{
	EVP_PKEY	*key;
	int		 rc;

	if (X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) != 0)
		return TRI_FALSE;
	if ((key = X509_get0_pubkey(x)) == NULL)
		return TRI_UNKNOWN;
	rc = X509_verify(x, key);
	ERR_clear_error();
	if (rc == 1)
		return TRI_TRUE;
	return rc == 0 ? TRI_FALSE : TRI_UNKNOWN;
}

int
x509_cert_fill(struct ev_cert *c, const unsigned char *der, size_t len,
    struct parse_diag *pd)
{
	const unsigned char	*p = der;
	X509			*x;
	EVP_PKEY		*key;
	char			 tp[41];
	size_t			 used;

	if (der == NULL || len == 0 || len > LONG_MAX ||
	    (x = d2i_X509(NULL, &p, (long)len)) == NULL) {
		ERR_clear_error();
		parse_problem(pd, DIAG_WARNING, 0, "not an X.509 certificate "
		    "(%zu bytes)", len);
		return -1;
	}
	used = (size_t)(p - der);
	hash_sha1_hex_upper(der, used, tp);
	set_str(&c->thumbprint, xstrdup(tp));
	set_str(&c->subject, name_dotnet(X509_get_subject_name(x)));
	set_str(&c->issuer, name_dotnet(X509_get_issuer_name(x)));
	set_str(&c->serial, serial_hex(x));
	c->not_before = asn1_time_epoch(X509_get0_notBefore(x));
	c->not_after = asn1_time_epoch(X509_get0_notAfter(x));
	c->dates_exact = c->not_before != TIME_UNKNOWN && c->not_after != TIME_UNKNOWN;
	cert_domains(x, c);
	key = X509_get0_pubkey(x);
	c->key_bits = key != NULL ? EVP_PKEY_get_bits(key) : -1;
	if (c->key_bits <= 0)
		c->key_bits = -1;
	set_str(&c->signature_algorithm, signature_name(x));
	c->self_signed = self_signed(x);
	X509_free(x);
	ERR_clear_error();
	return 0;
}

/* ------------------------------------------------------------ files */

/* Certificates of a DER PKCS#7 bundle, re-encoded (parsing keeps the bytes). */
static int
pkcs7_certs(const unsigned char *der, size_t len, x509_cert_fn fn, void *ctx)
{
	const unsigned char	*p = der;
	PKCS7			*p7;
	STACK_OF(X509)		*certs = NULL;
	unsigned char		*enc;
	int			 i, n, count = 0;

	if (len > LONG_MAX || (p7 = d2i_PKCS7(NULL, &p, (long)len)) == NULL) {
		ERR_clear_error();
		return -1;
	}
	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		certs = p7->d.sign->cert;
	else if (PKCS7_type_is_signedAndEnveloped(p7) &&
	    p7->d.signed_and_enveloped != NULL)
		certs = p7->d.signed_and_enveloped->cert;
	for (i = 0; certs != NULL && i < sk_X509_num(certs) &&
	    count < X509_MAX_CERTS; i++) {
		enc = NULL;
		n = i2d_X509(sk_X509_value(certs, i), &enc);
		if (n > 0) {
			fn(ctx, enc, (size_t)n);
			count++;
		}
		OPENSSL_free(enc);
	}
	PKCS7_free(p7);
	ERR_clear_error();
	return count;
}

/* DER certificates back to back, else a PKCS#7 bundle. */
static int
der_certs(const unsigned char *der, size_t len, x509_cert_fn fn, void *ctx)
{
	const unsigned char	*p = der, *start;
	X509			*x;
	int			 count = 0;

	while ((size_t)(p - der) < len && count < X509_MAX_CERTS) {
		start = p;
		x = d2i_X509(NULL, &p, (long)(len - (size_t)(p - der)));
		if (x == NULL)
			break;
		X509_free(x);
		fn(ctx, start, (size_t)(p - start));
		count++;
	}
	ERR_clear_error();
	if (count == 0)
		return pkcs7_certs(der, len, fn, ctx);
	return count;
}

static const unsigned char *
mem_find(const unsigned char *hay, size_t n, const char *needle)
{
	size_t			 k = strlen(needle);
	const unsigned char	*q = hay, *end = hay + n;

	while ((size_t)(end - q) >= k) {
		q = memchr(q, needle[0], (size_t)(end - q) - k + 1);
		if (q == NULL)
			return NULL;
		if (memcmp(q, needle, k) == 0)
			return q;
		q++;
	}
	return NULL;
}

/* Base64 body of a PEM block; NULL when it does not decode. */
static unsigned char *
pem_body_decode(const unsigned char *s, size_t n, size_t *outlen)
{
	EVP_ENCODE_CTX	*ctx;
	unsigned char	*out;
	int		 a = 0, b = 0;

	if (n > INT_MAX)
		return NULL;
	ctx = EVP_ENCODE_CTX_new();
	out = xmalloc(n / 4 * 3 + 4);
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, out, &a, s, (int)n) < 0 ||
	    EVP_DecodeFinal(ctx, out + a, &b) < 0) {
		EVP_ENCODE_CTX_free(ctx);
		free(out);
		return NULL;
	}
	EVP_ENCODE_CTX_free(ctx);
	*outlen = (size_t)a + (size_t)b;
	return out;
}

/*
 * Each "-----BEGIN X-----" ... "-----END X-----" block on its own, so one
 * damaged block does not hide the others.
 */
/* 1-based line of p in data. */
static long
line_of(const unsigned char *data, const unsigned char *p)
{
	long	n = 1;

	for (; data < p; data++)
		if (*data == '\n')
			n++;
	return n;
}

static int
pem_certs(const unsigned char *data, size_t len, x509_cert_fn fn, void *ctx,
    int *bad, struct parse_diag *pd)
{
	const unsigned char	*p = data, *end = data + len, *label, *body, *stop;
	const unsigned char	*begin;
	unsigned char		*der;
	size_t			 derlen, lablen;
	int			 count = 0, n;

	while (count < X509_MAX_CERTS &&
	    (p = mem_find(p, (size_t)(end - p), "-----BEGIN ")) != NULL) {
		begin = p;
		label = p + 11;
		body = mem_find(label, (size_t)(end - label), "-----");
		if (body == NULL)
			break;
		lablen = (size_t)(body - label);
		body += 5;
		stop = mem_find(body, (size_t)(end - body), "-----END ");
		if (stop == NULL) {
			(*bad)++;
			parse_problem(pd, DIAG_WARNING, line_of(data, begin),
			    "PEM block never ends (no -----END line)");
			break;
		}
		p = stop + 9;
		if (!((lablen == 11 && memcmp(label, "CERTIFICATE", 11) == 0) ||
		    (lablen == 16 && memcmp(label, "X509 CERTIFICATE", 16) == 0) ||
		    (lablen == 19 && memcmp(label, "TRUSTED CERTIFICATE", 19) == 0) ||
		    (lablen == 5 && memcmp(label, "PKCS7", 5) == 0)))
			continue;
		if ((der = pem_body_decode(body, (size_t)(stop - body),
		    &derlen)) == NULL) {
			(*bad)++;
			parse_problem(pd, DIAG_WARNING, line_of(data, begin),
			    "damaged PEM certificate block (not base64); skipped");
			continue;
		}
		n = der_certs(der, derlen, fn, ctx);
		if (n <= 0) {
			(*bad)++;
			parse_problem(pd, DIAG_WARNING, line_of(data, begin),
			    "damaged PEM certificate block (no certificate in its "
			    "%zu bytes); skipped", derlen);
		} else
			count += n;
		free(der);
	}
	return count;
}

int
x509_read_file(const unsigned char *data, size_t len, x509_cert_fn fn,
    void *ctx, struct parse_diag *pd)
{
	int	n, bad = 0;

	if (data == NULL || len == 0) {
		parse_problem(pd, DIAG_WARNING, 0, "empty file");
		return -1;
	}
	if (mem_find(data, len, "-----BEGIN ") != NULL) {
		n = pem_certs(data, len, fn, ctx, &bad, pd);
		if (n > 0)
			return n;
		if (bad == 0)
			parse_problem(pd, DIAG_WARNING, 0, "no certificate in the "
			    "PEM file (other PEM blocks only)");
		return -1;
	}
	if (len > LONG_MAX || (n = der_certs(data, len, fn, ctx)) <= 0) {
		parse_problem(pd, DIAG_WARNING, 0, "not a DER certificate or "
		    "PKCS#7 bundle (%zu bytes)", len);
		return -1;
	}
	return n;
}

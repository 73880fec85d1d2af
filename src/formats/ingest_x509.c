/*
 * Certificate files (.cer, .crt, .der, .pem, .p7b): one certificate record
 * per certificate, with no server of its own (a file says nothing about
 * where it is installed: attribution.c may give it one from the path) and
 * nothing about services or private keys. A lone file is not an inventory,
 * so it does not count as a certificate dump.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "ingest.h"
#include "util/parse_diag.h"
#include "util/text.h"
#include "x509.h"

struct x509_ingest {
	struct evidence		*ev;
	const char		*source;
	struct parse_diag	*pd;
	int			 added;
};

static void
x509_ingest_one(void *ctx, const unsigned char *der, size_t len)
{
	struct x509_ingest	*xi = ctx;
	struct ev_cert		 c;

	ev_cert_init(&c);
	if (x509_cert_fill(&c, der, len, xi->pd) != 0) {
		ev_cert_clear(&c);
		return;
	}
	c.file_only = true;
	strlist_add(&c.sources, xi->source);
	c.ref.source = xstrdup(xi->source);
	c.ref.line = 0;
	if (evidence_add_cert(xi->ev, &c) != NULL)
		xi->added++;
	ev_cert_clear(&c);
}

int
ingest_x509(struct evidence *ev, const char *source, const unsigned char *data,
    size_t len)
{
	struct parse_diag	 pd;
	struct x509_ingest	 xi = { ev, source, &pd, 0 };
	char			*text = NULL;
	size_t			 tlen;
	int			 rc;

	parse_diag_init(&pd, &ev->diags, source);
	pd.what = "certificate file";
	/* PEM written by PowerShell's Out-File arrives as UTF-16. */
	if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) ||
	    (data[0] == 0xFE && data[1] == 0xFF))) {
		text = text_to_utf8(data, len, &tlen, NULL, NULL);
		data = (const unsigned char *)text;
		len = tlen;
	}
	rc = x509_read_file(data, len, x509_ingest_one, &xi, &pd);
	free(text);
	return rc < 0 ? -1 : xi.added;
}

/* ------------------------------------------------------------ detection */

/*
 * Reads a DER length at p[*i]; returns -1 when malformed or longer than
 * four bytes (no certificate is that large).
 */
static long
der_length(const unsigned char *p, size_t len, size_t *i)
{
	unsigned	n, k;
	long		v = 0;

	if (*i >= len)
		return -1;
	if (p[*i] < 0x80)
		return p[(*i)++];
	n = p[(*i)++] & 0x7f;
	if (n == 0 || n > 3 || *i + n > len)
		return -1;
	for (k = 0; k < n; k++)
		v = (v << 8) | p[(*i)++];
	return v;
}

/*
 * An X.509 certificate is SEQUENCE { SEQUENCE tbsCertificate, ... }. The
 * outer length must fit the entry (trailing bytes such as a newline are
 * tolerated) and the inner SEQUENCE must fit the outer one. A PKCS#7 or
 * PKCS#12 blob starts with a SEQUENCE too but continues with an OID or an
 * INTEGER, so it is not taken for a certificate.
 */
static bool
is_der_certificate(const unsigned char *p, size_t len)
{
	size_t	i = 1, body;
	long	outer, inner;

	if (len < 16 || p[0] != 0x30 || (p[1] != 0x82 && p[1] != 0x81 &&
	    p[1] != 0x83))
		return false;
	if ((outer = der_length(p, len, &i)) < 0)
		return false;
	body = i;
	if ((size_t)outer > len - body || len - body - (size_t)outer > 64)
		return false;
	if (p[i++] != 0x30)
		return false;
	if ((inner = der_length(p, len, &i)) < 0 || i - body > (size_t)outer)
		return false;
	return inner > 0 && (size_t)inner <= (size_t)outer - (i - body);
}

/*
 * A .p7b: ContentInfo { OID signedData (1.2.840.113549.1.7.2), [0] ... }
 * whose outer length fits the entry.
 */
static bool
is_der_pkcs7(const unsigned char *p, size_t len)
{
	static const unsigned char oid[] = {
		0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02
	};
	size_t	i = 1;
	long	outer;

	if (len < 16 || p[0] != 0x30)
		return false;
	if ((outer = der_length(p, len, &i)) < 0 || (size_t)outer > len - i ||
	    len - i - (size_t)outer > 64)
		return false;
	return len - i >= sizeof oid && memcmp(p + i, oid, sizeof oid) == 0;
}

static int
bid_der(const struct ingest_entry *e)
{
	return is_der_certificate(e->data, e->len) ||
	    is_der_pkcs7(e->data, e->len) ? 100 : 0;
}

static int
read_der(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_x509(ctx->ev, e->path, e->data, e->len);
}

const struct format format_x509_der = {
	.name = "x509-der",
	.one = "unreadable certificate", .many = "unreadable certificates",
	.best = 100, .bid = bid_der, .ingest = read_der,
};

static bool
is_pem_begin(const struct sniff_line *l)
{
	return sniff_line_prefix(l, "-----BEGIN CERTIFICATE-----") ||
	    sniff_line_prefix(l, "-----BEGIN TRUSTED CERTIFICATE-----") ||
	    sniff_line_prefix(l, "-----BEGIN X509 CERTIFICATE-----") ||
	    sniff_line_prefix(l, "-----BEGIN PKCS7-----");
}

/*
 * A PEM block on the first line, or further down: "Bag Attributes" and the
 * like come before the certificate in openssl's output.
 */
static int
bid_pem(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	struct sniff_line	 first = sniff_first_line(st);
	size_t			 i;

	if (is_pem_begin(&first))
		return 100;
	for (i = 0; i < st->nlines; i++)
		if (is_pem_begin(&st->lines[i]))
			return 50;
	return 0;
}

static int
read_pem(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_x509(ctx->ev, e->path, (const unsigned char *)e->text,
	    e->text_len);
}

const struct format format_x509_pem = {
	.name = "x509-pem",
	.one = "unreadable certificate", .many = "unreadable certificates",
	.text = true, .best = 100, .bid = bid_pem, .ingest = read_pem,
};

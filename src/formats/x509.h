/*
 * X.509 certificates through OpenSSL: DER, PEM (several in one file) and
 * PKCS#7 bundles become certificate facts in the form Exchange prints them.
 * Only this module (and hash.c) include OpenSSL headers.
 */
#ifndef CERTTRAIL_X509_H
#define CERTTRAIL_X509_H

#include <stddef.h>

#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "util/parse_diag.h"

#define X509_MAX_CERTS	10000	/* per file */

/*
 * Fills the certificate fields of `c` (initialized by the caller with
 * ev_cert_init) from one DER certificate: thumbprint, subject, issuer,
 * serial, dates, domains, key size, signature algorithm, self-signed.
 * Fields it sets are replaced. Services, status and private key stay as they
 * were: a certificate does not say them. Returns 0, or -1 after reporting
 * why through pd (may be NULL) when the bytes are not a certificate.
 */
int	x509_cert_fill(struct ev_cert *c, const unsigned char *der, size_t len,
	    struct parse_diag *pd);

/* Called for each certificate found; der is valid only during the call. */
typedef void (*x509_cert_fn)(void *ctx, const unsigned char *der, size_t len);

/*
 * Finds the certificates in a file: PEM blocks (CERTIFICATE, X509
 * CERTIFICATE, TRUSTED CERTIFICATE, PKCS7), or DER (one or several
 * certificates back to back, or a PKCS#7 bundle). Returns how many were
 * handed to fn, or -1 when none could be read. Every block or part skipped
 * is reported through pd (with its line in a PEM file), also when others
 * were read.
 */
int	x509_read_file(const unsigned char *data, size_t len, x509_cert_fn fn,
	    void *ctx, struct parse_diag *pd);

#endif

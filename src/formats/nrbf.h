/*
 * SerializationData: the .NET BinaryFormatter stream (MS-NRBF) that a
 * deserialized Exchange object carries in CliXml. A bounded record walker
 * reads the whole stream into a small object table; the Exchange
 * certificate's members are then looked up by name.
 *
 * Ownership: the results own their strings and bytes; free them with
 * nrbf_cert_clear(). The input is never kept.
 */
#ifndef CERTTRAIL_NRBF_H
#define CERTTRAIL_NRBF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/parse_diag.h"

/* What an ExchangeCertificate's SerializationData says. -1: not present. */
struct nrbf_cert {
	char		*class_name;	/* the root object's class */
	int		 services;	/* AllowedServices flags */
	int		 status;	/* CertificateStatus */
	int		 root_ca_type;	/* CertificateAuthorityType */
	int		 self_signed;	/* 0/1 */
	int		 private_key_exportable;
	char		*identity;	/* "<ServerFQDN>\<THUMBPRINT>" */
	unsigned char	*cert_data;	/* CertData bytes, NULL when absent */
	size_t		 cert_data_len;
	bool		 signed_form;	/* the stream came wrapped in "#sig#" */
};

void	nrbf_cert_clear(struct nrbf_cert *);

/*
 * Current Exchange builds sign serialized objects: the blob is "#sig#", a
 * 32-bit little-endian length N, the MS-NRBF stream (N bytes), then a
 * 32-byte signature trailer. nrbf_decode_exchange_cert reads either form.
 */
#define NRBF_SIG_HEADER		9	/* "#sig#" + length */
#define NRBF_SIG_TRAILER	32

/*
 * Decodes the stream, signed or not. Returns 0 when the stream was read to
 * its end; -1 on malformed or truncated input, after reporting the first
 * failure (and its offset) through pd, which may be NULL; then every field
 * stays unknown (a damaged stream is not trusted in part).
 */
int	nrbf_decode_exchange_cert(const unsigned char *, size_t,
	    struct nrbf_cert *, struct parse_diag *pd);

/*
 * CertData holds a Windows serialized certificate store element: a list of
 * (property id, 1, length, bytes) triples, little-endian. Finds a property
 * (32: the DER certificate, 11: the friendly name in UTF-16LE). Returns 0 and
 * points into `data`, or -1 when absent or malformed.
 */
#define CERTDATA_PROP_FRIENDLY_NAME	11
#define CERTDATA_PROP_CERT		32
int	nrbf_certdata_prop(const unsigned char *data, size_t len, uint32_t id,
	    const unsigned char **out, size_t *outlen);

/* UTF-16LE (n bytes) to a new UTF-8 string; bad units become U+FFFD. */
char	*nrbf_utf16le_to_utf8(const unsigned char *, size_t n);

#endif

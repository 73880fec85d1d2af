/*
 * Distinguished names as Exchange compares them (docs/formats.md, "Distinguished names and TlsCertificateName"):
 * issuer + subject strings, case-insensitive, after .NET DN formatting.
 */
#ifndef CERTTRAIL_DN_H
#define CERTTRAIL_DN_H

#include <stdbool.h>

/*
 * A canonical form for comparison: RDNs split at unquoted commas, white space
 * around them dropped, keys upper-cased (ST becomes S), values trimmed,
 * quotes removed, joined with ", ", then ASCII-lower-cased. NULL in, NULL out.
 */
char	*dn_canonical(const char *);
bool	 dn_equal(const char *, const char *);

/*
 * A name read from a file written as ASCII holds '?' for each character the
 * export could not encode (formats/ascii_loss.h). Such a side is "lossy":
 * each of its '?' matches one non-ASCII character of the other side (or a
 * '?'), never an ASCII one. DN_SAME_LOOSELY says the names are equal only so.
 */
enum dn_match {
	DN_DIFFERENT,
	DN_SAME,
	DN_SAME_LOOSELY
};

enum dn_match dn_compare(const char *a, bool a_lossy, const char *b,
	    bool b_lossy);

/* A TlsCertificateName value split into its parts. */
struct tls_cert_name {
	char	*issuer;	/* NULL when there is no <I> part */
	char	*subject;	/* NULL when there is no <S> part */
	bool	 valid;		/* has <S> with a CN, no stray text */
	char	*problem;	/* why not valid, NULL when valid */
};

/* Parses "<I>issuer<S>subject" (tags case-insensitive). Always fills `out`. */
void	 tls_cert_name_parse(const char *, struct tls_cert_name *out);
void	 tls_cert_name_clear(struct tls_cert_name *);
/*
 * Whether a certificate with this issuer and subject matches the name, the way
 * transport and Remove-ExchangeCertificate decide it.
 */
bool	 tls_cert_name_matches(const struct tls_cert_name *, const char *issuer,
	    const char *subject);
/* The same, with lossy sides (dn_compare): n_lossy for the name's own text. */
enum dn_match tls_cert_name_compare(const struct tls_cert_name *, bool n_lossy,
	    const char *issuer, bool issuer_lossy, const char *subject,
	    bool subject_lossy);

#endif

/*
 * What the rules and the symptoms ask of the certificate inventory
 * (cert_queries.c). The evidence outlives every answer: sets and the
 * returned certificates point into it.
 */
#ifndef CERTTRAIL_CERT_QUERIES_H
#define CERTTRAIL_CERT_QUERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/dn.h"
#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "findings.h"

/* The certificates on `server` (NULL: on no known server) matching a name. */
struct cert_set {
	const struct ev_cert	**v;
	size_t			  n;
	size_t			  cap;
};
void	 cert_set_add(struct cert_set *, const struct ev_cert *);
bool	 cert_set_contains(const struct cert_set *, const struct ev_cert *);
void	 cert_set_free(struct cert_set *);
/*
 * How a certificate's issuer and subject compare with a TlsCertificateName:
 * DN_SAME_LOOSELY when they match only with a '?' of a name read from an
 * ASCII export standing for a character it lost (model/dn.h).
 */
enum dn_match cert_name_compare(const struct tls_cert_name *,
	    const struct ev_cert *);
/* Those matching exactly or loosely (cert_name_compare). */
void	 certs_matching_name(const struct evidence *, const char *server,
	    const char *tls_certificate_name, struct cert_set *out);
/*
 * Whether a certificate on `server` whose Subject line was cut could be the
 * one the name pins (its issuer matches or is unknown too): then whether
 * the server has it cannot be told.
 */
bool	 certs_may_match_name(const struct evidence *, const char *server,
	    const char *tls_certificate_name);
/* The certificate on `server` with this thumbprint, or NULL. */
const struct ev_cert *cert_find(const struct evidence *, const char *server,
	    const char *thumbprint);

/* A certificate's CertificateDomains (or subject CN) covers a host name;
 * a wildcard covers exactly one label. */
bool	 cert_covers(const struct ev_cert *, const char *host);
bool	 host_covered_by(const char *pattern, const char *host);
/* The CN of a .NET-form subject, into buf; NULL when none. */
const char *subject_cn(const char *subject, char *buf, size_t size);
bool	 services_has(const struct ev_cert *, int svc);	/* false when unknown */
/*
 * A certificate's date: ISO text when it came from the certificate itself,
 * else "2026-11-18 08:02:11 server local time" as Format-List printed it.
 */
const char *cert_time(const struct ev_cert *, int64_t, char *buf, size_t size);
/*
 * Adds c's inventory record to f's evidence (server, thumbprint, subject,
 * services, NotAfter) with `what` the record shows ("HasPrivateKey False").
 */
void	 cert_fact_evidence(struct finding *, const struct ev_cert *c,
	    const char *what);
/*
 * Its NotAfter for a sentence: cert_time's, else as written when its
 * day/month order is unknown ("03/12/2026 09:00:00 (as written)"), else
 * "a date the bundle does not give".
 */
const char *cert_not_after_text(const struct ev_cert *, char *buf,
	    size_t size);

/*
 * Surely expired at as_of (cert_expiry_at); without dates, when Exchange
 * says DateInvalid. A local NotAfter within hours of as_of is not.
 */
bool	 cert_expired_at(const struct ev_cert *, int64_t as_of);
/* Whether a certificate is in use: SMTP enabled or pinned by a connector
 * that uses its server. */
bool	 cert_pinned(const struct evidence *, const struct ev_cert *);
/* The connectors that pin c on its server (Send connectors sourced there by
 * name, Receive connectors of that server as SERVER\Name), added to out. */
void	 cert_pinning_connectors(const struct evidence *,
	    const struct ev_cert *, struct strlist *out);
/* A valid (not expired) certificate on the same server with the same subject
 * and a later NotAfter, enabled for at least the same services. */
const struct ev_cert *cert_successor(const struct evidence *,
	    const struct ev_cert *, int64_t as_of);
/* A valid renewal of c on its server (same name, later NotAfter) enabled
 * for only some of c's services, those it lacks in *missing; the latest
 * such renewal, or NULL (then *missing is untouched). */
/*
 * The renewal of c installed on another server only: the same name, a later
 * NotAfter, valid, issued by a CA (a self-signed certificate is its own
 * server's), its private key there and not known to be unexportable; the
 * latest such. Copied to c's server, it needs no new request.
 */
const struct ev_cert *cert_successor_elsewhere(const struct evidence *,
	    const struct ev_cert *, int64_t as_of);
/*
 * A renewal of c that the protocol logs show in use but no inventory holds
 * (installed after the inventories were collected): a handshake that
 * succeeded presenting a certificate with c's subject (and issuer, when
 * the log gives it) and a later NotAfter, on `server` (any server when
 * NULL). Exchange logs the certificate it presents itself, so the log's
 * server had it installed then. The one valid the longest, else NULL.
 */
const struct ev_tls_agg *cert_renewal_in_logs(const struct evidence *,
	    const struct ev_cert *c, const char *server);
const struct ev_cert *cert_short_successor(const struct evidence *,
	    const struct ev_cert *, int64_t as_of, int *missing);
/*
 * The organization's current Auth certificate (the one that signs OAuth
 * tokens): Get-AuthConfig's CurrentCertificateThumbprint, else what
 * HealthChecker names, else the latest certificate whose subject is
 * Exchange's "CN=Microsoft Exchange Server Auth Certificate". *from says
 * which ("Get-AuthConfig", "HealthChecker", "its subject"). NULL: none.
 */
const char *auth_current_thumbprint(const struct evidence *,
	    const char **from);
/* Whether c is an Auth certificate (current, previous or next in
 * Get-AuthConfig, or Exchange's Auth certificate by its subject and no
 * domains): never one transport selects for SMTP TLS. */
bool	 cert_is_auth(const struct evidence *, const struct ev_cert *);
/* Whether c is the current Auth certificate. */
bool	 cert_is_current_auth(const struct evidence *, const struct ev_cert *);
/*
 * Whether a Receive connector takes client submission (bound to port 587,
 * or, its bindings unknown, named as setup names the client connectors):
 * its senders are Outlook and devices, not partners or Exchange Online.
 */
struct ev_receive_connector;
bool	 receive_connector_is_client(const struct ev_receive_connector *);
/*
 * A certificate whose thumbprint the export did not carry whole (cut or
 * masked; kinds/cert.h) is named by cert_label() in sentences, adds nothing
 * to a finding's thumbprints, and is found for a command by its serial
 * number: cert_tp_arg() gives the -Thumbprint argument, the thumbprint or
 * "(Get-ExchangeCertificate -Server S | Where-Object {...}).Thumbprint",
 * or, without a serial number, a Read-Host that asks for it (in buf unless
 * it is the thumbprint).
 */
void	 cert_list_add(struct strlist *, const struct ev_cert *);
const char *cert_tp_arg(const struct ev_cert *, char *buf, size_t size);
/* cert_tp_arg() into a buffer that lives as long as the enclosing block. */
#define CERT_TP_ARG(c)	cert_tp_arg((c), (char[CERT_LABEL_MAX]){ 0 }, \
			    CERT_LABEL_MAX)

/*
 * Whether `server` holds a certificate whose thumbprint the export did not
 * carry: then no thumbprint can be said to be missing from it.
 */
bool	 server_has_unnamed_cert(const struct evidence *, const char *server);
/*
 * Whether such a certificate on `server` could be the one with this serial
 * number (NULL: not known): its own serial number is not known either. One
 * the bundle tied to a thumbprint by its serial number has it back already
 * (kinds/cert/link.c).
 */
bool	 server_may_hold_unnamed(const struct evidence *, const char *server,
	    const char *serial);

/* Whether the bundle holds any certificate of `server`. */
bool	 server_inventory_known(const struct evidence *, const char *server);

#endif

/*
 * A server's TLS settings as HealthChecker collects them (its exported XML,
 * its text and HTML reports): SCHANNEL's TLS 1.0 to 1.3 enabled for the
 * server and client side, .NET Framework's SystemDefaultTlsVersions and
 * SchUseStrongCrypto for v4 and v2 (the 64-bit and the Wow6432Node keys),
 * the SecurityProtocol of the process, and what it says of the Auth and
 * internal transport certificates. The record and its store; the
 * descriptor and columns are in tls_settings.c.
 */
#ifndef CERTTRAIL_KIND_TLS_SETTINGS_H
#define CERTTRAIL_KIND_TLS_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

enum tls_version { TLS_1_0, TLS_1_1, TLS_1_2, TLS_1_3, TLS_NVERSIONS };
enum net_version { NET_V4, NET_V2, NET_NVERSIONS };
/* The four registry values HealthChecker reads per .NET version. */
enum net_value {
	NET_SYSTEM_DEFAULT,		/* SystemDefaultTlsVersions */
	NET_STRONG_CRYPTO,		/* SchUseStrongCrypto */
	NET_WOW_SYSTEM_DEFAULT,		/* the same under Wow6432Node */
	NET_WOW_STRONG_CRYPTO,
	NET_NVALUES
};

struct ev_tls_settings {
	char		*server;	/* short upper-case name */
	/* SCHANNEL: the protocol enabled on each side (HealthChecker's
	 * reading of Enabled and DisabledByDefault; absent keys count as
	 * Windows' default). */
	tri_t		 server_enabled[TLS_NVERSIONS];
	tri_t		 client_enabled[TLS_NVERSIONS];
	/* "Enabled", "Disabled", "Misconfigured", "Half Disabled"; NULL */
	char		*configuration[TLS_NVERSIONS];
	/* .NET registry values as written: "1", "0", "not set"; NULL unknown */
	char		*net[NET_NVERSIONS][NET_NVALUES];
	char		*security_protocol;	/* "Tls, Tls11, Tls12" */
	/* What HealthChecker says of the Auth certificate. */
	char		*auth_certificate;	/* current thumbprint */
	char		*next_auth_certificate;
	tri_t		 auth_certificate_valid;	/* a valid one found */
	char		*internal_transport_certificate;
	int64_t		 generated;	/* HealthChecker's generation time */
	bool		 generated_exact;	/* UTC (else server local time) */
	struct strlist	 sources;
	struct ev_ref	 ref;
};

void	 ev_tls_settings_init(struct ev_tls_settings *);
void	 ev_tls_settings_clear(struct ev_tls_settings *);
/*
 * Copies s into the evidence, merged on server: what one export of a
 * report leaves unknown, another fills in.
 */
struct ev_tls_settings *evidence_add_tls_settings(struct evidence *,
	    const struct ev_tls_settings *);
/* The settings of a server, or NULL when the bundle has none. */
const struct ev_tls_settings *tls_settings_of(const struct evidence *,
	    const char *server);
/*
 * The Auth certificate facts HealthChecker gives for a server: its current
 * and next Auth certificate thumbprints (NULL unknown) and whether it found
 * a valid one. False when the bundle has no HealthChecker output of it.
 */
bool	 auth_certificate_facts(const struct evidence *, const char *server,
	    const char **current, const char **next, tri_t *valid);
/* "1.0", "1.1", "1.2", "1.3". */
const char *tls_version_name(enum tls_version);

#endif

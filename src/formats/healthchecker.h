/*
 * HealthChecker (microsoft/CSS-Exchange, Diagnostics/HealthChecker) as
 * evidence: its exported XML (healthchecker_xml.c: Export-Clixml of the
 * analyzed object, HealthCheckerExchangeServer inside), its text report
 * (healthchecker_text.c) and its HTML server report (healthchecker_html.c)
 * each fill a report below; the report then becomes certificates, the
 * server's TLS settings (kinds/tls_settings.h) and its internal transport
 * certificate.
 */
#ifndef CERTTRAIL_HEALTHCHECKER_H
#define CERTTRAIL_HEALTHCHECKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "model/kinds/tls_settings.h"

/* What one HealthChecker output says of one server. */
struct hc_report {
	const char		*source;	/* bundle path */
	const char		*what;		/* "HealthChecker XML", ... */
	char			*server;
	int64_t			 generated;	/* TIME_UNKNOWN */
	bool			 generated_exact;
	struct ev_cert		*certs;		/* server and source set on commit */
	size_t			 ncerts, certs_cap;
	/* Flags per certificate, as HealthChecker judged them. */
	struct hc_flags {
		tri_t		 current_auth;
		tri_t		 next_auth;
		tri_t		 internal_transport;
	}			*flags;
	struct ev_tls_settings	 tls;
	bool			 tls_seen;	/* any TLS or .NET value read */
	struct hc_report	*next;		/* the HTML report holds several */
};

void		 hc_report_init(struct hc_report *, const char *source,
		    const char *what);
/* Frees what the report and the ones chained to it hold. */
void		 hc_report_free(struct hc_report *);
/* A new report chained after r (another server of the same output). */
struct hc_report *hc_report_add(struct hc_report *r);
/* A new certificate of the report, blank; its flags unknown. */
struct ev_cert	*hc_cert_new(struct hc_report *, long line);
struct hc_flags	*hc_cert_flags(struct hc_report *, const struct ev_cert *);
/*
 * Adds what the report holds to the evidence: the certificates (on the
 * report's server, their lifetime counted at its generation time), the
 * TLS settings and the Auth and internal transport certificates it names.
 * Returns how many records it added.
 */
int		 hc_report_commit(struct evidence *, struct hc_report *);

/*
 * A row of HealthChecker's registry tables (text and HTML): the TLS
 * protocol keys ("Enabled" under ...\Protocols\TLS 1.2\Server) and .NET's
 * SystemDefaultTlsVersions and SchUseStrongCrypto, with their value ("1",
 * "0", "NULL").
 */
void		 hc_registry_row(struct hc_report *, const char *key,
		    const char *location, const char *value);
/* "IMAP, POP, IIS, SMTP" (or "None") into a services mask; unknown -1. */
int		 hc_services(const char *);
/* "True", "False" (any case) into a tri. */
tri_t		 hc_bool(const char *);
/* A registry value as HealthChecker prints it: "1", "0", "not set". */
char		*hc_registry_value(const char *);
/*
 * The generation time a HealthChecker output's file name carries
 * (HealthChecker-SERVER-yyyyMMddHHmmss.txt), the server's local time;
 * and the server. False when the name is not of that shape.
 */
bool		 hc_name_stamp(const char *path, int64_t *t, char **server);

#endif

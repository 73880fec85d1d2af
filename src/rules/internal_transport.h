/*
 * What the two internal-transport-cert paths share: the configuration path
 * (internal_transport_cert.c, Get-TransportService) and the events path
 * (event_internal.c). The replacement steps (internal_transport_fix.c) and
 * the queues on other servers that wait on a faulty server
 * (internal_transport_queues.c).
 */
#ifndef CERTTRAIL_INTERNAL_TRANSPORT_H
#define CERTTRAIL_INTERNAL_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"
#include "model/kinds/cert.h"

struct finding;
struct rule_ctx;

/*
 * Whether Get-TransportService, or a 12015 event, names c as the internal
 * transport certificate of c's server: its expiry is then
 * internal-transport-cert's to report, not cert-expired's.
 */
bool	 cert_is_internal_transport(const struct evidence *,
	    const struct ev_cert *);

/*
 * A certificate installed on `server` that can become its internal
 * transport certificate instead of `bad`: self-signed, for the server's own
 * name, valid at as_of, with its private key, not the Auth certificate.
 * The latest NotAfter, enabled for SMTP first. NULL when none is.
 */
const struct ev_cert *itc_replacement(const struct evidence *,
	    const char *server, const char *bad, int64_t as_of);

/*
 * The steps that give `server` a valid internal transport certificate in
 * place of `bad` (NULL unknown): SMTP enabled on the replacement installed,
 * else a new self-signed certificate, either replacing the default SMTP
 * certificate; then transport restarted on that server.
 */
void	 itc_replace_steps(struct rule_ctx *, struct finding *,
	    const char *server, const char *bad);

/*
 * The queues on other servers whose LastError says Exchange Server
 * authentication failed, linked to the internal-transport-cert findings
 * from index `first` on (their servers are the faulty ones); then each of
 * those findings gets a Retry-Queue step per queue it explains.
 */
void	 itc_link_queues(struct rule_ctx *, size_t first);

#endif

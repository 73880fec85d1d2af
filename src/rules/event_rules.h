/*
 * What the transport certificate events' messages let the rules say when
 * the configuration the rules usually read is missing, partial or says
 * otherwise: the connector and FQDN of a 12014 (event_starttls.c), the
 * thumbprints and expiry of 12015 to 12018 (event_expiry.c), the internal
 * transport certificate of 12012, 12013, 12023 and 12024
 * (event_internal.c). Each is called at the end of the rule it serves and
 * reports only the events that rule's configuration path left unexplained.
 */
#ifndef CERTTRAIL_EVENT_RULES_H
#define CERTTRAIL_EVENT_RULES_H

#include <stdbool.h>

struct ev_event;
struct evidence;
struct rule_ctx;

/*
 * Whether an event shows something going wrong: its level is above
 * Information, or its message carries an SMTP failure reply (event 2004 is
 * logged at Information with "454 4.7.0").
 */
bool	 event_is_symptom(const struct ev_event *);
/*
 * The FQDN a 12014 on `server` gives for `connector` (its name, or the
 * SERVER\Name identity the logs write), or NULL.
 */
const char *event_connector_fqdn(const struct evidence *, const char *server,
	    const char *connector);

/*
 * The remediation for a connector whose name (FQDN or TlsCertificateName)
 * no usable certificate on `server` has, from what the inventory shows:
 * enable SMTP on the one that has it, request one for the name, or collect
 * the inventory; then check the connector. Commands carry real values.
 */
struct finding;
void	 fqdn_remediation(struct rule_ctx *, struct finding *,
	    const char *server, const char *name, const char *identity,
	    bool send);

/* starttls-not-offered from the 12014s no receive connector export explains. */
void	 starttls_from_events(struct rule_ctx *);
/* connector-fqdn-not-covered from the 12014s that name a Send connector. */
void	 fqdn_from_events(struct rule_ctx *);
/* cert-expired from 12015 and 12016 whose certificate the inventory lacks. */
void	 expired_from_events(struct rule_ctx *);
/* cert-expiring from 12017 and 12018 likewise. */
void	 expiring_from_events(struct rule_ctx *);
/* internal-transport-cert from 12012, 12013, 12015, 12023 and 12024. */
void	 internal_cert_from_events(struct rule_ctx *);

#endif

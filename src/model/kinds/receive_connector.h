/*
 * Receive connectors (Get-ReceiveConnector): the record and its store; the
 * descriptor, mapper and columns are in receive_connector.c.
 */
#ifndef CERTTRAIL_KIND_RECEIVE_CONNECTOR_H
#define CERTTRAIL_KIND_RECEIVE_CONNECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

/* Get-ReceiveConnector: per server, Identity "SERVER\\Name". */
struct ev_receive_connector {
	char		*identity;	/* "SERVER\\Name" as written, NULL unknown */
	char		*name;
	char		*server;	/* short upper-case name */
	struct strlist	 bindings;	/* "0.0.0.0:25", "[::]:25" */
	bool		 bindings_known;
	bool		 bindings_incomplete;	/* cut "{a, b, c, d...}" */
	char		*fqdn;
	char		*tls_certificate_name;	/* raw "<I>...<S>..." or NULL */
	struct strlist	 auth_mechanism;	/* "Tls", "ExchangeServer", ... */
	bool		 auth_mechanism_known;
	tri_t		 require_tls;
	char		*tls_domain_capabilities;
	char		*protocol_logging_level;
	char		*transport_role;	/* HubTransport, FrontendTransport */
	tri_t		 enabled;
	struct strlist	 sources;
	struct ev_ref	 ref;
	int		 source_rank;	/* richer source wins, as for send connectors */
};


void	 ev_receive_connector_init(struct ev_receive_connector *);
/*
 * Copies rc into the evidence, merged on (server, name): the richer export
 * wins field by field, unknown never overwrites known.
 */
struct ev_receive_connector *evidence_add_receive_connector(struct evidence *,
	    const struct ev_receive_connector *);

#endif

/*
 * Send connectors (Get-SendConnector): the record and its store; the
 * descriptor, mapper and columns are in send_connector.c.
 */
#ifndef CERTTRAIL_KIND_SEND_CONNECTOR_H
#define CERTTRAIL_KIND_SEND_CONNECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

struct ev_send_connector {
	char		*name;
	tri_t		 enabled;
	struct strlist	 source_servers;
	bool		 source_servers_known;
	bool		 source_servers_incomplete;	/* cut list */
	char		*fqdn;
	char		*tls_certificate_name;	/* raw "<I>...<S>..." or NULL */
	tri_t		 require_tls;
	char		*tls_auth_level;
	char		*tls_domain;
	struct strlist	 smart_hosts;
	bool		 smart_hosts_known;
	bool		 smart_hosts_incomplete;	/* cut "{a, b, c, d...}" */
	struct strlist	 address_spaces;
	bool		 address_spaces_known;
	bool		 address_spaces_incomplete;	/* cut list */
	char		*protocol_logging_level;
	tri_t		 cloud_services_mail_enabled;
	struct strlist	 sources;
	struct ev_ref	 ref;
	int		 source_rank;	/* 2 CliXml, 1 Format-List: richer wins */
};


void	 ev_send_connector_init(struct ev_send_connector *);
/*
 * Copies sc into the evidence, merged on name: the richer source wins field
 * by field, unknown never overwrites known. NULL when sc has no name.
 */
struct ev_send_connector *evidence_add_send_connector(struct evidence *,
	    const struct ev_send_connector *);

#endif

/*
 * Transport services (Get-TransportService): the record and its store; the
 * descriptor, mapper and columns are in transport_service.c.
 */
#ifndef CERTTRAIL_KIND_TRANSPORT_SERVICE_H
#define CERTTRAIL_KIND_TRANSPORT_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

/* Get-TransportService (Get-TransportServer): one per server. */
struct ev_transport_service {
	char		*server;	/* short upper-case name */
	char		*internal_transport_certificate;	/* thumbprint, NULL unknown */
	char		*send_protocol_log_path;
	char		*receive_protocol_log_path;
	char		*intra_org_connector_protocol_logging_level;
	struct strlist	 sources;
	struct ev_ref	 ref;
};


void	 ev_transport_service_init(struct ev_transport_service *);
/* Copies ts into the evidence, merged on server. */
struct ev_transport_service *evidence_add_transport_service(struct evidence *,
	    const struct ev_transport_service *);

#endif

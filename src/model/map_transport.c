/*
 * Get-TransportService (Get-TransportServer on 2010) objects into transport
 * services, one per server, from any format.
 */
#include "config.h"

#include <stdlib.h>

#include "record.h"

static const char *const logging_names[] = { "None", "Verbose" };

/* The server: Name, else Identity, else the computer the export ran on. */
static char *
service_server(struct map_ctx *ctx, const struct record *r)
{
	static const char *const props[] = { "Name", "Identity", "Fqdn",
	    "PSComputerName" };
	size_t	i;
	char	*v, *s;

	for (i = 0; i < sizeof props / sizeof props[0]; i++)
		if ((v = rv_str(ctx, r, props[i])) != NULL) {
			s = server_short_name(v);
			free(v);
			if (s != NULL)
				return s;
		}
	return NULL;
}

int
map_transport_service(struct map_ctx *ctx, const struct record *r)
{
	struct ev_transport_service	ts;

	ctx->ev->saw_transport_service_dump = true;
	ev_transport_service_init(&ts);
	if ((ts.server = service_server(ctx, r)) == NULL) {
		map_warn(ctx, r->line, "transport service without a Name, "
		    "Identity or PSComputerName: no server to attach it to; "
		    "skipped");
		return -1;
	}
	ts.internal_transport_certificate = rv_str(ctx, r,
	    "InternalTransportCertificateThumbprint");
	ts.send_protocol_log_path = rv_str(ctx, r, "SendProtocolLogPath");
	ts.receive_protocol_log_path = rv_str(ctx, r, "ReceiveProtocolLogPath");
	ts.intra_org_connector_protocol_logging_level = rv_enum(ctx, r,
	    "IntraOrgConnectorProtocolLoggingLevel", logging_names, 2);
	strlist_add(&ts.sources, ctx->source);
	ts.ref.source = xstrdup(ctx->source);
	ts.ref.line = r->line;
	evidence_add_transport_service(ctx->ev, &ts);
	ev_transport_service_clear(&ts);
	return 1;
}

/* Get-Queue objects into queues, from any format. */
#include "config.h"

#include <stdlib.h>

#include "attribution.h"
#include "record.h"

static const char *const status_names[] = {
	"None", "Active", "Ready", "Retry", "Suspended", "Connecting"
};

static const char *const delivery_names[] = {
	"Undefined", "DnsConnectorDelivery", "NonSmtpGatewayDelivery",
	"SmartHostConnectorDelivery", "SmtpRelayWithinAdSite",
	"SmtpRelayWithinAdSiteToEdge", "MapiDelivery", "SmtpRelayToRemoteAdSite",
	"SmtpRelayToDag", "SmtpRelayToMailboxDeliveryGroup",
	"SmtpRelayToConnectorSourceServers", "SmtpRelayToServers",
	"SmtpRelayToTiRg", "SmtpDeliveryToMailbox", "SmtpDeliveryToExo",
	"ShadowRedundancy", "Heartbeat", "DeliveryAgent", "SmtpDeliveryToMeet"
};

int
map_queue(struct map_ctx *ctx, const struct record *r)
{
	struct ev_queue	 q;
	char		*pc;
	bool		 exact;

	ctx->ev->saw_queue_dump = true;
	ev_queue_init(&q);
	if ((q.identity = rv_str(ctx, r, "Identity")) == NULL &&
	    (q.identity = rv_str(ctx, r, "QueueIdentity")) == NULL)
		q.identity = xstrdup(r->to_string);
	if (q.identity == NULL) {
		map_warn(ctx, r->line, "queue without an Identity; skipped");
		return -1;
	}
	q.server = attr_server_from_identity(q.identity);
	if (q.server == NULL && (pc = rv_str(ctx, r, "PSComputerName")) != NULL) {
		q.server = server_short_name(pc);
		free(pc);
	}
	q.delivery_type = rv_enum(ctx, r, "DeliveryType", delivery_names,
	    sizeof delivery_names / sizeof delivery_names[0]);
	q.next_hop_domain = rv_str(ctx, r, "NextHopDomain");
	q.next_hop_connector = rv_str(ctx, r, "NextHopConnector");
	q.tls_domain = rv_str(ctx, r, "TlsDomain");
	q.status = rv_enum(ctx, r, "Status", status_names,
	    sizeof status_names / sizeof status_names[0]);
	q.message_count = rv_long(ctx, r, "MessageCount");
	q.last_error = rv_str(ctx, r, "LastError");
	q.last_retry_time = rv_time(ctx, r, "LastRetryTime", &exact);
	q.last_retry_time_exact = q.last_retry_time != TIME_UNKNOWN && exact;
	q.ref.source = xstrdup(ctx->source);
	q.ref.line = r->line;
	evidence_add_queue(ctx->ev, &q);
	ev_queue_clear(&q);
	return 1;
}

/*
 * Transport services (Get-TransportService, Get-TransportServer on 2010) as
 * a kind of evidence: the store, one record per server; the mapper; the
 * column table (findings.json "transport_services", the Transport Services
 * sheet, the page's table); and the descriptor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/record.h"
#include "model/table.h"
#include "kind.h"
#include "merge.h"
#include "transport_service.h"

/* ----------------------------------------------------------------- store */

void
ev_transport_service_init(struct ev_transport_service *ts)
{
	memset(ts, 0, sizeof *ts);
}

static void
ev_transport_service_clear(struct ev_transport_service *ts)
{
	free(ts->server);
	free(ts->internal_transport_certificate);
	free(ts->send_protocol_log_path);
	free(ts->receive_protocol_log_path);
	free(ts->intra_org_connector_protocol_logging_level);
	strlist_free(&ts->sources);
	free(ts->ref.source);
	ev_transport_service_init(ts);
}

struct ev_transport_service *
evidence_add_transport_service(struct evidence *ev,
    const struct ev_transport_service *ts)
{
	struct ev_transport_service	*dst = NULL;
	char				*server = server_short_name(ts->server);
	size_t				 i;

	for (i = 0; i < ev->ntransport; i++)
		if (str_eq_ci(ev->transport[i].server, server))
			dst = &ev->transport[i];
	if (dst == NULL) {
		ev->transport = xreallocarray_grow(ev->transport,
		    &ev->transport_cap, ev->ntransport + 1, sizeof *ev->transport);
		dst = &ev->transport[ev->ntransport++];
		ev_transport_service_init(dst);
		dst->server = server;
		server = NULL;
		dst->ref.source = xstrdup(ts->ref.source);
		dst->ref.line = ts->ref.line;
	}
	free(server);
	ev_fill_str(&dst->internal_transport_certificate,
	    ts->internal_transport_certificate);
	if (dst->internal_transport_certificate != NULL)
		ascii_upper(dst->internal_transport_certificate);
	ev_fill_str(&dst->send_protocol_log_path, ts->send_protocol_log_path);
	ev_fill_str(&dst->receive_protocol_log_path, ts->receive_protocol_log_path);
	ev_fill_str(&dst->intra_org_connector_protocol_logging_level,
	    ts->intra_org_connector_protocol_logging_level);
	ev_sources_add(&dst->sources, &ts->sources, ts->ref.source);
	return dst;
}

static int
cmp_transport(const void *pa, const void *pb)
{
	const struct ev_transport_service *a = pa, *b = pb;

	return casecmp_null_last(a->server, b->server);
}

static void
finish(struct evidence *ev, const struct strlist *known)
{
	size_t	i;

	(void)known;
	for (i = 0; i < ev->ntransport; i++)
		strlist_sort_ci(&ev->transport[i].sources);
	if (ev->ntransport > 1)
		qsort(ev->transport, ev->ntransport, sizeof *ev->transport,
		    cmp_transport);
}

/* ---------------------------------------------------------------- mapper */

static const char *const logging_names[] = { "None", "Verbose" };

/*
 * The server: Name, else Identity, else the computer the export ran on (its
 * PSComputerName, or the server a wrapper object around it names).
 */
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
	/* A collection script's wrapper object naming the server. */
	return r->outer_server != NULL ? server_short_name(r->outer_server) :
	    NULL;
}

static int
map(struct map_ctx *ctx, const struct record *r)
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

/* --------------------------------------------------------------- columns */

#define T	struct ev_transport_service

EVIDENCE_ROWS(rows, transport, ntransport)

GET_STR(t_server, T, r->server)
GET_STR(t_internal_transport_certificate, T, r->internal_transport_certificate)
GET_STR(t_send_protocol_log_path, T, r->send_protocol_log_path)
GET_STR(t_receive_protocol_log_path, T, r->receive_protocol_log_path)
GET_STR(t_intra_org, T, r->intra_org_connector_protocol_logging_level)
GET_SOURCES(t_sources, T, r->sources)

static const struct column transport_cols[] = {
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_ALL, .get = t_server },
	{ .key = "internal_transport_certificate",
	  .label = "Internal transport certificate", .width = 46,
	  .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = t_internal_transport_certificate },
	{ .key = "send_protocol_log_path", .label = "Send protocol log path",
	  .width = 50, .type = COL_STR, .style = COL_WRAP | COL_MONO,
	  .show = OUT_ALL, .get = t_send_protocol_log_path },
	{ .key = "receive_protocol_log_path",
	  .label = "Receive protocol log path", .width = 50, .type = COL_STR,
	  .style = COL_WRAP | COL_MONO, .show = OUT_ALL,
	  .get = t_receive_protocol_log_path },
	{ .key = "intra_org_connector_protocol_logging_level",
	  .label = "Intra-org connector logging", .width = 15,
	  .type = COL_STR, .show = OUT_ALL, .get = t_intra_org },
	{ .key = "sources", .label = "Sources", .width = 50, .type = COL_LIST,
	  .style = COL_WRAP | COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = t_sources,
	  .why = "page: the workbook and findings.json name the files" },
};

const struct table table_transport_services = {
	.key = "transport_services", .sheet = "Transport Services",
	.cols = transport_cols,
	.ncols = sizeof transport_cols / sizeof transport_cols[0], .freeze = 1,
	.rows = rows, .size = sizeof(T)
};

/* ------------------------------------------------------------ descriptor */

static const char *const types[] = { "TransportServerPresentationObject",
    "TransportServer", "TransportService", NULL };
/*
 * Get-FrontendTransportService and Get-MailboxTransportService carry protocol
 * log paths too, but they are other services' settings.
 */
static const char *const not_types[] = {
	"FrontendTransportServerPresentationObject", "FrontendTransportServer",
	"MailboxTransportServerPresentationObject", "MailboxTransportServer",
	NULL
};

/* Only the transport service has the internal certificate. */
static bool
clue(const struct record *r)
{
	return record_has(r, "InternalTransportCertificateThumbprint");
}

static void
clear(void *ts)
{
	ev_transport_service_clear(ts);
}

static void
servers(const void *row, struct strlist *out)
{
	const struct ev_transport_service	*ts = row;

	strlist_add_unique_ci(out, ts->server);
}

static bool
seen(const struct evidence *ev)
{
	return ev->saw_transport_service_dump;
}

const struct ev_kind ev_kind_transport_services = {
	.one = "transport service", .many = "transport services",
	.types = types, .not_types = not_types, .clue = clue, .map = map,
	EV_KIND_STORE(transport), .clear = clear, .finish = finish,
	.servers = servers, .seen = seen,
	.table = &table_transport_services,
	.gap_collect = "Get-TransportService | Export-Clixml "
	    "TransportServices.xml",
	.page = { .id = "transport-services", .title = "Transport services",
	    .rank = 40,
	    .empty = "No Get-TransportService output in the bundle." },
};

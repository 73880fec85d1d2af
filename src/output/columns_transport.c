/*
 * The transport tables: queues (findings.json "queues"), transport services
 * and the TLS and certificate events of the event logs.
 */
#include "config.h"

#include "columns.h"

#define Q	struct ev_queue
#define T	struct ev_transport_service
#define E	struct ev_event

EVIDENCE_ROWS(queue_rows, queues, nqueues)

EVIDENCE_ROWS(transport_rows, transport, ntransport)

EVIDENCE_ROWS(event_rows, events, nevents)

GET_STR(q_identity, Q, r->identity)
GET_STR(q_server, Q, r->server)
GET_STR(q_delivery_type, Q, r->delivery_type)
GET_STR(q_next_hop_domain, Q, r->next_hop_domain)
GET_STR(q_next_hop_connector, Q, r->next_hop_connector)
GET_STR(q_tls_domain, Q, r->tls_domain)
GET_STR(q_status, Q, r->status)
GET_COUNT(q_message_count, Q, r->message_count)
GET_STR(q_last_error, Q, r->last_error)
/* Format-List text gives the server's clock, not UTC. */
COL_GETTER(q_last_retry_time, Q,
	col_time(v, r->last_retry_time, r->last_retry_time_exact))
/* Unknown (null) when there is no time to qualify. */
COL_GETTER(q_last_retry_time_exact, Q,
	col_time(v, r->last_retry_time, r->last_retry_time_exact))
GET_STR(q_source, Q, r->ref.source)
COL_GETTER(q_line, Q, col_int(v, r->ref.line, r->ref.line > 0))

#define WHY_PLACE	"page: the workbook and findings.json say where it was read"

static const struct column queue_cols[] = {
	{ .key = "identity", .label = "Identity", .width = 30, .type = COL_STR,
	  .show = OUT_ALL, .get = q_identity, .cls = "mono" },
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_JSON | OUT_XLSX, .get = q_server,
	  .why = "page: the identity (SERVER\\queue) names the server" },
	{ .key = "delivery_type", .label = "Delivery type", .width = 22,
	  .type = COL_STR, .show = OUT_ALL, .get = q_delivery_type },
	{ .key = "next_hop_domain", .label = "Next hop domain", .width = 28,
	  .type = COL_STR, .show = OUT_ALL, .get = q_next_hop_domain,
	  .head = "Next hop (domain, connector)" },
	{ .key = "next_hop_connector", .label = "Next hop connector",
	  .width = 38, .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = q_next_hop_connector, .unknown = "",
	  .join = "next_hop_domain", .prefix = "" },
	{ .key = "tls_domain", .label = "TLS domain", .width = 24,
	  .type = COL_STR, .show = OUT_ALL, .get = q_tls_domain,
	  .unknown = "" },
	{ .key = "status", .label = "Status", .width = 10, .type = COL_STR,
	  .show = OUT_ALL, .get = q_status },
	{ .key = "message_count", .label = "Messages", .width = 10,
	  .type = COL_INT, .show = OUT_ALL, .get = q_message_count },
	{ .key = "last_error", .label = "Last error", .width = 80,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_ALL,
	  .get = q_last_error, .unknown = "", .cls = "text" },
	{ .key = "last_retry_time", .label = "Last retry", .width = 19,
	  .type = COL_TIME, .show = OUT_ALL, .get = q_last_retry_time },
	{ .key = "last_retry_time_exact", .label = "Retry time read as",
	  .width = 18, .type = COL_ZONE, .show = OUT_JSON | OUT_XLSX,
	  .get = q_last_retry_time_exact,
	  .why = "page: the time is labelled when it is server local time" },
	{ .key = "source", .label = "Source", .width = 50, .type = COL_STR,
	  .style = COL_WRAP | COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = q_source, .unknown = "", .why = WHY_PLACE },
	{ .key = "line", .label = "Line", .width = 8, .type = COL_INT,
	  .show = OUT_JSON | OUT_XLSX, .get = q_line, .why = WHY_PLACE },
};

const struct table table_queues = {
	.key = "queues", .sheet = "Queues", .cols = queue_cols,
	.ncols = sizeof queue_cols / sizeof queue_cols[0], .freeze = 1,
	.rows = queue_rows, .size = sizeof(Q)
};

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
	.rows = transport_rows, .size = sizeof(T)
};

GET_STR(e_server, E, r->server)
/* Text exports print the server's local time without its zone. */
COL_GETTER(e_time, E, col_time(v, r->time, r->time_exact))
GET_STR(e_provider, E, r->provider)
GET_COUNT(e_id, E, r->id)
GET_STR(e_level, E, r->level)
GET_STR(e_message, E, r->message)
GET_STR(e_source, E, r->ref.source)
COL_GETTER(e_line, E, col_int(v, r->ref.line, r->ref.line > 0))

static const struct column event_cols[] = {
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_ALL, .get = e_server },
	{ .key = "time", .label = "Time", .width = 19, .type = COL_TIME,
	  .show = OUT_ALL, .get = e_time },
	{ .key = "time_exact", .label = "Time read as", .width = 18,
	  .type = COL_ZONE, .show = OUT_XLSX, .get = e_time,
	  .why = "findings.json keeps its event fields; the page labels the "
	  "time when it is server local time" },
	{ .key = "source", .label = "Source", .width = 28, .type = COL_STR,
	  .show = OUT_ALL, .get = e_provider },
	{ .key = "id", .label = "Event ID", .width = 9, .type = COL_INT,
	  .show = OUT_ALL, .get = e_id },
	{ .key = "level", .label = "Level", .width = 12, .type = COL_STR,
	  .show = OUT_ALL, .get = e_level },
	{ .key = "message", .label = "Message", .width = 100, .type = COL_STR,
	  .style = COL_WRAP, .show = OUT_ALL, .get = e_message,
	  .cls = "text" },
	{ .key = "source", .parent = "evidence", .label = "Evidence",
	  .width = 50, .type = COL_STR, .style = COL_WRAP | COL_MONO,
	  .show = OUT_ALL, .get = e_source, .unknown = "",
	  .cls = "mono path" },
	{ .key = "line", .parent = "evidence", .label = "Line", .width = 8,
	  .type = COL_INT, .show = OUT_ALL, .get = e_line,
	  .join = "evidence.source", .prefix = ":", .flags = COL_INLINE },
};

const struct table table_events = {
	.key = "events", .sheet = "Events", .cols = event_cols,
	.ncols = sizeof event_cols / sizeof event_cols[0], .freeze = 1,
	.rows = event_rows, .size = sizeof(E)
};

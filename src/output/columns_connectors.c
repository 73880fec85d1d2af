/*
 * The connector tables: Send connectors (findings.json "send_connectors",
 * the Send Connectors sheet, one card each on the page) and Receive
 * connectors (per server).
 */
#include "config.h"

#include "columns.h"

#define S	struct ev_send_connector
#define R	struct ev_receive_connector

/* What a missing TlsCertificateName means: the connector pins none. */
#define NOT_SET		"not set"
#define WHY_SOURCES	"page: the workbook and findings.json name the files"

EVIDENCE_ROWS(send_rows, sendc, nsendc)

EVIDENCE_ROWS(receive_rows, recvc, nrecvc)

GET_STR(s_name, S, r->name)
GET_TRI(s_enabled, S, r->enabled)
COL_GETTER(s_source_servers, S,
	col_list(v, &r->source_servers, r->source_servers_known,
	    r->source_servers_incomplete))
GET_BOOL(s_source_servers_incomplete, S, r->source_servers_incomplete)
GET_STR(s_fqdn, S, r->fqdn)
GET_STR(s_tls_certificate_name, S, r->tls_certificate_name)
GET_TRI(s_require_tls, S, r->require_tls)
GET_STR(s_tls_auth_level, S, r->tls_auth_level)
GET_STR(s_tls_domain, S, r->tls_domain)
COL_GETTER(s_smart_hosts, S,
	col_list(v, &r->smart_hosts, r->smart_hosts_known, false))
COL_GETTER(s_address_spaces, S,
	col_list(v, &r->address_spaces, r->address_spaces_known, false))
GET_STR(s_protocol_logging_level, S, r->protocol_logging_level)
GET_TRI(s_cloud_services_mail_enabled, S, r->cloud_services_mail_enabled)
GET_SOURCES(s_sources, S, r->sources)

static const struct column send_cols[] = {
	{ .key = "name", .label = "Name", .width = 30, .type = COL_STR,
	  .show = OUT_ALL, .get = s_name, .unknown = "name unknown" },
	{ .key = "enabled", .label = "Enabled", .width = 9, .type = COL_TRI,
	  .show = OUT_ALL, .get = s_enabled },
	{ .key = "source_transport_servers", .label = "Source servers",
	  .width = 30, .type = COL_LIST, .style = COL_WRAP, .show = OUT_ALL,
	  .get = s_source_servers },
	{ .key = "source_transport_servers_incomplete",
	  .label = "Source servers cut in export", .type = COL_BOOL,
	  .show = OUT_JSON, .get = s_source_servers_incomplete,
	  .why = "the workbook and page mark a cut list in its cell" },
	{ .key = "fqdn", .label = "FQDN", .width = 28, .type = COL_STR,
	  .show = OUT_ALL, .get = s_fqdn },
	{ .key = "tls_certificate_name", .label = "TLS certificate name",
	  .width = 60, .type = COL_STR, .style = COL_WRAP | COL_MONO,
	  .show = OUT_ALL, .get = s_tls_certificate_name, .unknown = NOT_SET,
	  .flags = COL_WIDE },
	{ .key = "require_tls", .label = "Require TLS", .width = 11,
	  .type = COL_TRI, .show = OUT_ALL, .get = s_require_tls },
	{ .key = "tls_auth_level", .label = "TLS auth level", .width = 22,
	  .type = COL_STR, .show = OUT_ALL, .get = s_tls_auth_level },
	{ .key = "tls_domain", .label = "TLS domain", .width = 26,
	  .type = COL_STR, .show = OUT_ALL, .get = s_tls_domain },
	{ .key = "smart_hosts", .label = "Smart hosts", .width = 30,
	  .type = COL_LIST, .style = COL_WRAP, .show = OUT_ALL,
	  .get = s_smart_hosts },
	{ .key = "address_spaces", .label = "Address spaces", .width = 30,
	  .type = COL_LIST, .style = COL_WRAP, .show = OUT_ALL,
	  .get = s_address_spaces },
	{ .key = "protocol_logging_level", .label = "Protocol logging",
	  .width = 15, .type = COL_STR, .show = OUT_ALL,
	  .get = s_protocol_logging_level },
	{ .key = "cloud_services_mail_enabled", .label = "Cloud services mail",
	  .width = 15, .type = COL_TRI, .show = OUT_ALL,
	  .get = s_cloud_services_mail_enabled },
	{ .key = "sources", .label = "Sources", .width = 50, .type = COL_LIST,
	  .style = COL_WRAP | COL_MONO, .show = OUT_ALL, .get = s_sources,
	  .flags = COL_WIDE },
};

const struct table table_send_connectors = {
	.key = "send_connectors", .sheet = "Send Connectors", .cols = send_cols,
	.ncols = sizeof send_cols / sizeof send_cols[0], .freeze = 1,
	.rows = send_rows, .size = sizeof(S)
};

GET_STR(r_server, R, r->server)
GET_STR(r_name, R, r->name)
GET_STR(r_identity, R, r->identity)
GET_TRI(r_enabled, R, r->enabled)
COL_GETTER(r_bindings, R,
	col_list(v, &r->bindings, r->bindings_known, r->bindings_incomplete))
GET_BOOL(r_bindings_incomplete, R, r->bindings_incomplete)
GET_STR(r_fqdn, R, r->fqdn)
GET_STR(r_tls_certificate_name, R, r->tls_certificate_name)
COL_GETTER(r_auth_mechanism, R,
	col_list(v, &r->auth_mechanism, r->auth_mechanism_known, false))
GET_TRI(r_require_tls, R, r->require_tls)
GET_STR(r_tls_domain_capabilities, R, r->tls_domain_capabilities)
GET_STR(r_protocol_logging_level, R, r->protocol_logging_level)
GET_STR(r_transport_role, R, r->transport_role)
GET_SOURCES(r_sources, R, r->sources)

static const struct column receive_cols[] = {
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_ALL, .get = r_server },
	{ .key = "name", .label = "Name", .width = 30, .type = COL_STR,
	  .show = OUT_ALL, .get = r_name },
	{ .key = "identity", .label = "Identity", .type = COL_STR,
	  .show = OUT_JSON, .get = r_identity,
	  .why = "SERVER\\Name as written: the server and name columns say it" },
	{ .key = "enabled", .label = "Enabled", .width = 9, .type = COL_TRI,
	  .show = OUT_ALL, .get = r_enabled },
	{ .key = "bindings", .label = "Bindings", .width = 24,
	  .type = COL_LIST, .style = COL_WRAP, .show = OUT_ALL,
	  .get = r_bindings, .cls = "mono" },
	{ .key = "bindings_incomplete", .label = "Bindings cut in export",
	  .type = COL_BOOL, .show = OUT_JSON, .get = r_bindings_incomplete,
	  .why = "the workbook and page mark a cut list in its cell" },
	{ .key = "fqdn", .label = "FQDN", .width = 28, .type = COL_STR,
	  .show = OUT_ALL, .get = r_fqdn },
	{ .key = "tls_certificate_name", .label = "TLS certificate name",
	  .width = 60, .type = COL_STR, .style = COL_WRAP | COL_MONO,
	  .show = OUT_ALL, .get = r_tls_certificate_name, .unknown = NOT_SET },
	{ .key = "auth_mechanism", .label = "Auth mechanism", .width = 30,
	  .type = COL_LIST, .style = COL_WRAP, .show = OUT_ALL,
	  .get = r_auth_mechanism },
	{ .key = "require_tls", .label = "Require TLS", .width = 11,
	  .type = COL_TRI, .show = OUT_ALL, .get = r_require_tls },
	{ .key = "tls_domain_capabilities", .label = "TLS domain capabilities",
	  .width = 30, .type = COL_STR, .style = COL_WRAP, .show = OUT_ALL,
	  .get = r_tls_domain_capabilities },
	{ .key = "protocol_logging_level", .label = "Protocol logging",
	  .width = 15, .type = COL_STR, .show = OUT_ALL,
	  .get = r_protocol_logging_level },
	{ .key = "transport_role", .label = "Transport role", .width = 18,
	  .type = COL_STR, .show = OUT_ALL, .get = r_transport_role },
	{ .key = "sources", .label = "Sources", .width = 50, .type = COL_LIST,
	  .style = COL_WRAP | COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = r_sources, .why = WHY_SOURCES },
};

const struct table table_receive_connectors = {
	.key = "receive_connectors", .sheet = "Receive Connectors",
	.cols = receive_cols,
	.ncols = sizeof receive_cols / sizeof receive_cols[0], .freeze = 2,
	.rows = receive_rows, .size = sizeof(R)
};

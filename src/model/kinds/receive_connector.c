/*
 * Receive connectors (Get-ReceiveConnector) as a kind of evidence: the
 * store, one record per (server, name); the mapper; the column table
 * (findings.json "receive_connectors", the Receive Connectors sheet, the
 * page's table); and the descriptor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/attribution.h"
#include "model/record.h"
#include "model/table.h"
#include "kind.h"
#include "merge.h"
#include "receive_connector.h"

/* ----------------------------------------------------------------- store */

void
ev_receive_connector_init(struct ev_receive_connector *rc)
{
	memset(rc, 0, sizeof *rc);
	rc->require_tls = rc->enabled = TRI_UNKNOWN;
}

static void
ev_receive_connector_clear(struct ev_receive_connector *rc)
{
	free(rc->identity);
	free(rc->name);
	free(rc->server);
	strlist_free(&rc->bindings);
	free(rc->fqdn);
	free(rc->tls_certificate_name);
	strlist_free(&rc->auth_mechanism);
	free(rc->tls_domain_capabilities);
	free(rc->protocol_logging_level);
	free(rc->transport_role);
	strlist_free(&rc->sources);
	free(rc->ref.source);
	ev_receive_connector_init(rc);
}

/* Fills what dst does not know from src. */
static void
rc_fill(struct ev_receive_connector *dst, const struct ev_receive_connector *src)
{
	ev_fill_str(&dst->identity, src->identity);
	/* A complete list replaces a cut one (Format-List shows four items). */
	if (dst->bindings_known && dst->bindings_incomplete &&
	    src->bindings_known && !src->bindings_incomplete) {
		strlist_free(&dst->bindings);
		dst->bindings_known = false;
	}
	if (!dst->bindings_known && src->bindings_known)
		dst->bindings_incomplete = src->bindings_incomplete;
	ev_fill_list(&dst->bindings, &dst->bindings_known, &src->bindings,
	    src->bindings_known);
	ev_fill_str(&dst->fqdn, src->fqdn);
	ev_fill_str(&dst->tls_certificate_name, src->tls_certificate_name);
	ev_fill_list(&dst->auth_mechanism, &dst->auth_mechanism_known,
	    &src->auth_mechanism, src->auth_mechanism_known);
	if (dst->require_tls == TRI_UNKNOWN)
		dst->require_tls = src->require_tls;
	if (dst->enabled == TRI_UNKNOWN)
		dst->enabled = src->enabled;
	ev_fill_str(&dst->tls_domain_capabilities, src->tls_domain_capabilities);
	ev_fill_str(&dst->protocol_logging_level, src->protocol_logging_level);
	ev_fill_str(&dst->transport_role, src->transport_role);
	ev_sources_add(&dst->sources, &src->sources, src->ref.source);
}

struct ev_receive_connector *
evidence_add_receive_connector(struct evidence *ev,
    const struct ev_receive_connector *rc)
{
	struct ev_receive_connector	*dst = NULL, merged;
	char				*server = server_short_name(rc->server);
	size_t				 i;

	for (i = 0; rc->name != NULL && i < ev->nrecvc; i++)
		if (str_eq_ci(ev->recvc[i].name, rc->name) &&
		    str_eq_ci(ev->recvc[i].server, server))
			dst = &ev->recvc[i];
	if (dst == NULL) {
		ev->recvc = xreallocarray_grow(ev->recvc, &ev->recvc_cap,
		    ev->nrecvc + 1, sizeof *ev->recvc);
		dst = &ev->recvc[ev->nrecvc++];
		ev_receive_connector_init(dst);
		dst->name = xstrdup(rc->name);
		dst->server = server;
		dst->ref.source = xstrdup(rc->ref.source);
		dst->ref.line = rc->ref.line;
		dst->source_rank = rc->source_rank;
		rc_fill(dst, rc);
		return dst;
	}
	free(server);
	if (rc->source_rank <= dst->source_rank) {
		rc_fill(dst, rc);
		return dst;
	}
	/* A richer export (CliXml over Format-List) wins field by field. */
	ev_receive_connector_init(&merged);
	merged.name = dst->name;
	merged.server = dst->server;
	merged.ref = dst->ref;
	merged.source_rank = rc->source_rank;
	dst->name = dst->server = dst->ref.source = NULL;
	rc_fill(&merged, rc);
	rc_fill(&merged, dst);
	ev_receive_connector_clear(dst);
	*dst = merged;
	return dst;
}

static int
cmp_recvc(const void *pa, const void *pb)
{
	const struct ev_receive_connector *a = pa, *b = pb;
	int				   c;

	if ((c = casecmp_null_last(a->server, b->server)) != 0)
		return c;
	return casecmp_null_last(a->name, b->name);
}

static void
finish(struct evidence *ev, const struct strlist *known)
{
	size_t	i;

	(void)known;
	for (i = 0; i < ev->nrecvc; i++)
		strlist_sort_ci(&ev->recvc[i].sources);
	if (ev->nrecvc > 1)
		qsort(ev->recvc, ev->nrecvc, sizeof *ev->recvc, cmp_recvc);
}

/* ---------------------------------------------------------------- mapper */

static const char *const logging_names[] = { "None", "Verbose" };

/* Flags enums from their numbers: the names of the set bits. */
static const struct rv_flag auth_flags[] = {
	{ 1, "Tls" }, { 2, "Integrated" }, { 4, "BasicAuth" },
	{ 8, "BasicAuthRequireTLS" }, { 16, "ExchangeServer" },
	{ 32, "ExternalAuthoritative" }, { 0, NULL }
};

static const struct rv_flag transport_roles[] = {
	{ 32, "HubTransport" }, { 64, "Edge" }, { 16384, "FrontendTransport" },
	{ 0, NULL }
};

/* A flags enum into its names; false when unknown. */
static bool
flags_list(struct map_ctx *ctx, const struct record *r, const char *name,
    const struct rv_flag *names, struct strlist *out)
{
	const struct rec_value	*v = record_get(r, name);
	long			 n;

	if (v != NULL && v->kind == REC_SCALAR && v->s != NULL &&
	    (v->has_int || (*v->s >= '0' && *v->s <= '9')) &&
	    (n = rv_long(ctx, r, name)) >= 0) {
		for (; names->name != NULL; names++)
			if ((n & names->bit) != 0)
				strlist_add(out, names->name);
		if (n == 0)
			strlist_add(out, "None");
		return true;
	}
	return rv_list(ctx, r, name, out, NULL, ",");
}

static int
map(struct map_ctx *ctx, const struct record *r)
{
	struct ev_receive_connector rc;
	const char	*bs;
	char		*s;

	ctx->ev->saw_receive_connector_dump = true;
	ev_receive_connector_init(&rc);
	rc.identity = rv_str(ctx, r, "Identity");
	if (rc.identity == NULL && r->to_string != NULL &&
	    strchr(r->to_string, '\\') != NULL)
		rc.identity = xstrdup(r->to_string);
	rc.name = rv_str(ctx, r, "Name");
	if (rc.name == NULL && rc.identity != NULL) {
		bs = strrchr(rc.identity, '\\');
		rc.name = xstrdup(bs != NULL ? bs + 1 : rc.identity);
	}
	rc.server = attr_server_from_identity(rc.identity);
	if (rc.server == NULL && (s = rv_str(ctx, r, "Server")) != NULL) {
		rc.server = server_short_name(s);
		free(s);
	}
	if (rc.server == NULL && (s = rv_computer_name(ctx, r, NULL)) != NULL) {
		rc.server = server_short_name(s);
		free(s);
	}
	if (rc.name == NULL) {
		map_warn(ctx, r->line, "receive connector without a Name or "
		    "Identity; skipped");
		ev_receive_connector_clear(&rc);
		return -1;
	}
	if (rc.server == NULL)
		map_warn(ctx, r->line, "receive connector \"%s\": no server in "
		    "its Identity, Server or PSComputerName; server unknown",
		    rc.name);
	rc.bindings_known = rv_list_items(ctx, r, "Bindings", &rc.bindings,
	    &rc.bindings_incomplete, &list_item_binding);
	rc.fqdn = rv_str(ctx, r, "Fqdn");
	rc.tls_certificate_name = rv_str(ctx, r, "TlsCertificateName");
	rc.auth_mechanism_known = flags_list(ctx, r, "AuthMechanism",
	    auth_flags, &rc.auth_mechanism);
	rc.require_tls = rv_tri(ctx, r, "RequireTLS");
	rc.tls_domain_capabilities = rv_str(ctx, r, "TlsDomainCapabilities");
	rc.protocol_logging_level = rv_enum(ctx, r, "ProtocolLoggingLevel",
	    logging_names, 2);
	rc.transport_role = rv_enum_by_value(ctx, r, "TransportRole",
	    transport_roles);
	rc.enabled = rv_tri(ctx, r, "Enabled");
	rc.source_rank = ctx->rank;
	strlist_add(&rc.sources, ctx->source);
	rc.ref.source = xstrdup(ctx->source);
	rc.ref.line = r->line;
	evidence_add_receive_connector(ctx->ev, &rc);
	ev_receive_connector_clear(&rc);
	return 1;
}

/* --------------------------------------------------------------- columns */

#define R	struct ev_receive_connector

/* What a missing TlsCertificateName means: the connector pins none. */
#define NOT_SET		"not set"
#define WHY_SOURCES	"page: the workbook and findings.json name the files"

EVIDENCE_ROWS(rows, recvc, nrecvc)

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
	.rows = rows, .size = sizeof(R)
};

/* ------------------------------------------------------------ descriptor */

static const char *const types[] = { "ReceiveConnector", NULL };

/* Bindings, with a name. */
static bool
clue(const struct record *r)
{
	return record_has(r, "Bindings") && (record_has(r, "Identity") ||
	    record_has(r, "Name"));
}

static void
clear(void *rc)
{
	ev_receive_connector_clear(rc);
}

static void
servers(const void *row, struct strlist *out)
{
	const struct ev_receive_connector	*rc = row;

	strlist_add_unique_ci(out, rc->server);
}

static bool
seen(const struct evidence *ev)
{
	return ev->saw_receive_connector_dump;
}

const struct ev_kind ev_kind_receive_connectors = {
	.one = "connector", .many = "connectors",
	.types = types, .clue = clue, .map = map,
	EV_KIND_STORE(recvc), .clear = clear, .finish = finish,
	.servers = servers, .seen = seen,
	.gap_what = "no Get-ReceiveConnector output",
	.gap_collect = "Get-ReceiveConnector | Export-Clixml "
	    "ReceiveConnectors.xml",
	.gap_rank = 40,
	.table = &table_receive_connectors,
	.page = { .id = "receive-connectors", .title = "Receive connectors",
	    .rank = 30, .empty = "No receive connectors in the bundle." },
};

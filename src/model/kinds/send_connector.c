/*
 * Send connectors (Get-SendConnector) as a kind of evidence: the store,
 * merged on name with the richer export winning field by field; the mapper;
 * the column table (findings.json "send_connectors", the Send Connectors
 * sheet, one card each on the page); and the descriptor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/record.h"
#include "model/table.h"
#include "kind.h"
#include "merge.h"
#include "send_connector.h"

/* ----------------------------------------------------------------- store */

void
ev_send_connector_init(struct ev_send_connector *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->enabled = sc->require_tls = TRI_UNKNOWN;
	sc->cloud_services_mail_enabled = TRI_UNKNOWN;
}

static void
ev_send_connector_clear(struct ev_send_connector *sc)
{
	free(sc->name);
	strlist_free(&sc->source_servers);
	free(sc->fqdn);
	free(sc->tls_certificate_name);
	free(sc->tls_auth_level);
	free(sc->tls_domain);
	strlist_free(&sc->smart_hosts);
	strlist_free(&sc->address_spaces);
	free(sc->protocol_logging_level);
	strlist_free(&sc->sources);
	free(sc->ref.source);
	ev_send_connector_init(sc);
}

/* A known list replaces an unknown or cut one, a richer source any. */
static void
merge_list(struct strlist *dst, bool *dst_known, bool *dst_cut,
    const struct strlist *src, bool src_known, bool src_cut, bool src_wins)
{
	if (!src_known)
		return;
	if (*dst_known && !src_wins && !(*dst_cut && !src_cut))
		return;
	strlist_free(dst);
	strlist_copy(dst, src);
	*dst_known = true;
	*dst_cut = src_cut;
}

static void
connector_merge(struct ev_send_connector *dst, const struct ev_send_connector *src)
{
	/* A richer source (CliXml) overrides a poorer one field by field. */
	bool	wins = src->source_rank > dst->source_rank;
	size_t	i;

#define TAKE_STR(f) do { if (src->f != NULL && (wins || dst->f == NULL)) { \
	free(dst->f); dst->f = xstrdup(src->f); } } while (0)
#define TAKE_TRI(f) do { if (src->f != TRI_UNKNOWN && (wins || dst->f == TRI_UNKNOWN)) \
	dst->f = src->f; } while (0)
	TAKE_TRI(enabled);
	TAKE_STR(fqdn);
	TAKE_STR(tls_certificate_name);
	TAKE_TRI(require_tls);
	TAKE_STR(tls_auth_level);
	TAKE_STR(tls_domain);
	TAKE_STR(protocol_logging_level);
	TAKE_TRI(cloud_services_mail_enabled);
#undef TAKE_STR
#undef TAKE_TRI
	if (src->source_servers_known && (!dst->source_servers_known ||
	    (dst->source_servers_incomplete && !src->source_servers_incomplete) ||
	    (wins && !src->source_servers_incomplete))) {
		strlist_free(&dst->source_servers);
		for (i = 0; i < src->source_servers.n; i++) {
			char *s = server_short_name(src->source_servers.v[i]);

			if (s != NULL)
				strlist_add_unique_ci(&dst->source_servers, s);
			free(s);
		}
		dst->source_servers_known = true;
		dst->source_servers_incomplete = src->source_servers_incomplete;
	}
	merge_list(&dst->smart_hosts, &dst->smart_hosts_known,
	    &dst->smart_hosts_incomplete, &src->smart_hosts,
	    src->smart_hosts_known, src->smart_hosts_incomplete, wins);
	merge_list(&dst->address_spaces, &dst->address_spaces_known,
	    &dst->address_spaces_incomplete, &src->address_spaces,
	    src->address_spaces_known, src->address_spaces_incomplete, wins);
	for (i = 0; i < src->sources.n; i++)
		strlist_add_unique_ci(&dst->sources, src->sources.v[i]);
	if (src->ref.source != NULL)
		strlist_add_unique_ci(&dst->sources, src->ref.source);
	if (wins) {
		dst->source_rank = src->source_rank;
		if (src->ref.source != NULL) {
			free(dst->ref.source);
			ev_ref_copy(&dst->ref, &src->ref);
		}
	}
}

struct ev_send_connector *
evidence_add_send_connector(struct evidence *ev, const struct ev_send_connector *sc)
{
	struct ev_send_connector	*dst;
	size_t				 i;

	if (sc->name == NULL)
		return NULL;
	for (i = 0; i < ev->nsendc; i++) {
		dst = &ev->sendc[i];
		if (str_eq_ci(dst->name, sc->name)) {
			connector_merge(dst, sc);
			return dst;
		}
	}
	ev->sendc = xreallocarray_grow(ev->sendc, &ev->sendc_cap,
	    ev->nsendc + 1, sizeof *ev->sendc);
	dst = &ev->sendc[ev->nsendc++];
	ev_send_connector_init(dst);
	dst->name = xstrdup(sc->name);
	dst->source_rank = -1;	/* so the first source wins every field */
	connector_merge(dst, sc);
	return dst;
}

static int
cmp_connector(const void *pa, const void *pb)
{
	const struct ev_send_connector	*a = pa, *b = pb;

	return casecmp_null_last(a->name, b->name);
}

static void
finish(struct evidence *ev, const struct strlist *known)
{
	size_t	i;

	(void)known;
	for (i = 0; i < ev->nsendc; i++)
		strlist_sort_ci(&ev->sendc[i].sources);
	if (ev->nsendc > 1)
		qsort(ev->sendc, ev->nsendc, sizeof *ev->sendc, cmp_connector);
}

/* ---------------------------------------------------------------- mapper */

static const char *const logging_names[] = { "None", "Verbose" };

static const struct rv_flag tls_auth_levels[] = {
	{ 1, "EncryptionOnly" }, { 2, "CertificateValidation" },
	{ 4, "DomainValidation" }, { 0, NULL }
};

/*
 * A string property: "" when the export holds it empty or null (not set on
 * the connector), NULL when the export leaves it out (unknown).
 */
static char *
set_or_empty(const struct record *r, const char *name, char *v)
{
	const struct rec_value	*rv;

	if (v != NULL || (rv = record_get(r, name)) == NULL)
		return v;
	if (rv->kind == REC_NULL || (rv->kind == REC_SCALAR &&
	    (rv->s == NULL || *rv->s == '\0')))
		return xstrdup("");
	return NULL;
}

/* Names of servers, in the short form they are compared in. */
static bool
server_list(struct map_ctx *ctx, const struct record *r, const char *name,
    struct strlist *out, bool *cut)
{
	struct strlist	raw = { 0 };
	size_t		i;
	char		*s;
	bool		known;

	known = rv_list_items(ctx, r, name, &raw, cut, &list_item_server);
	for (i = 0; i < raw.n; i++)
		if ((s = server_short_name(raw.v[i])) != NULL) {
			strlist_add(out, s);
			free(s);
		}
	strlist_free(&raw);
	return known;
}

static int
map(struct map_ctx *ctx, const struct record *r)
{
	struct ev_send_connector sc;

	ctx->ev->saw_send_connector_dump = true;
	ev_send_connector_init(&sc);
	if ((sc.name = rv_str(ctx, r, "Name")) == NULL &&
	    (sc.name = rv_str(ctx, r, "Identity")) == NULL &&
	    (sc.name = xstrdup(r->to_string)) == NULL) {
		map_warn(ctx, r->line, "send connector without a Name or "
		    "Identity; skipped");
		return -1;
	}
	sc.enabled = rv_tri(ctx, r, "Enabled");
	sc.source_servers_known = server_list(ctx, r, "SourceTransportServers",
	    &sc.source_servers, &sc.source_servers_incomplete);
	sc.fqdn = rv_str(ctx, r, "Fqdn");
	sc.tls_certificate_name = rv_str(ctx, r, "TlsCertificateName");
	sc.require_tls = rv_tri(ctx, r, "RequireTLS");
	sc.tls_auth_level = set_or_empty(r, "TlsAuthLevel",
	    rv_enum_by_value(ctx, r, "TlsAuthLevel", tls_auth_levels));
	sc.tls_domain = set_or_empty(r, "TlsDomain",
	    rv_str(ctx, r, "TlsDomain"));
	sc.smart_hosts_known = rv_list_items(ctx, r, "SmartHosts",
	    &sc.smart_hosts, &sc.smart_hosts_incomplete, &list_item_host);
	sc.address_spaces_known = rv_list_items(ctx, r, "AddressSpaces",
	    &sc.address_spaces, &sc.address_spaces_incomplete,
	    &list_item_address_space);
	sc.protocol_logging_level = rv_enum(ctx, r, "ProtocolLoggingLevel",
	    logging_names, 2);
	sc.cloud_services_mail_enabled = rv_tri(ctx, r,
	    "CloudServicesMailEnabled");
	sc.source_rank = ctx->rank;
	strlist_add(&sc.sources, ctx->source);
	sc.ref.source = xstrdup(ctx->source);
	sc.ref.line = r->line;
	evidence_add_send_connector(ctx->ev, &sc);
	ev_send_connector_clear(&sc);
	return 1;
}

/* --------------------------------------------------------------- columns */

#define S	struct ev_send_connector

/* What a missing TlsCertificateName means: the connector pins none. */
#define NOT_SET		"not set"
#define WHY_SOURCES	"page: the workbook and findings.json name the files"

EVIDENCE_ROWS(rows, sendc, nsendc)

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
	col_list(v, &r->smart_hosts, r->smart_hosts_known,
	    r->smart_hosts_incomplete))
COL_GETTER(s_address_spaces, S,
	col_list(v, &r->address_spaces, r->address_spaces_known,
	    r->address_spaces_incomplete))
GET_BOOL(s_smart_hosts_incomplete, S, r->smart_hosts_incomplete)
GET_BOOL(s_address_spaces_incomplete, S, r->address_spaces_incomplete)
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
	{ .key = "smart_hosts_incomplete", .label = "Smart hosts cut in export",
	  .type = COL_BOOL, .show = OUT_JSON, .get = s_smart_hosts_incomplete,
	  .why = "the workbook and page mark a cut list in its cell" },
	{ .key = "address_spaces", .label = "Address spaces", .width = 30,
	  .type = COL_LIST, .style = COL_WRAP, .show = OUT_ALL,
	  .get = s_address_spaces },
	{ .key = "address_spaces_incomplete",
	  .label = "Address spaces cut in export", .type = COL_BOOL,
	  .show = OUT_JSON, .get = s_address_spaces_incomplete,
	  .why = "the workbook and page mark a cut list in its cell" },
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
	.rows = rows, .size = sizeof(S)
};

/* ------------------------------------------------------------ descriptor */

static const char *const types[] = { "SmtpSendConnectorConfig", NULL };

/* What only a Send connector has, with its name. */
static bool
clue(const struct record *r)
{
	return (record_has(r, "SourceTransportServers") ||
	    record_has(r, "AddressSpaces") || record_has(r, "SmartHosts") ||
	    record_has(r, "DNSRoutingEnabled")) &&
	    (record_has(r, "Name") || record_has(r, "Identity"));
}

static void
clear(void *sc)
{
	ev_send_connector_clear(sc);
}

/* A Send connector names the servers it sends from. */
static void
servers(const void *row, struct strlist *out)
{
	const struct ev_send_connector	*sc = row;
	size_t				 i;

	for (i = 0; i < sc->source_servers.n; i++)
		strlist_add_unique_ci(out, sc->source_servers.v[i]);
}

static bool
seen(const struct evidence *ev)
{
	return ev->saw_send_connector_dump;
}

const struct ev_kind ev_kind_send_connectors = {
	.one = "connector", .many = "connectors",
	.types = types, .clue = clue, .map = map,
	EV_KIND_STORE(sendc), .clear = clear, .finish = finish,
	.servers = servers, .seen = seen,
	.gap_what = "no Get-SendConnector output",
	.gap_collect = "Get-SendConnector | Export-Clixml SendConnectors.xml",
	.gap_rank = 20,
	.table = &table_send_connectors,
	.page = { .id = "send-connectors", .title = "Send connectors",
	    .major = true, .rank = 20,
	    .empty = "No send connectors in the bundle.",
	    /* Connectors have many fields and are few: one card each. */
	    .cards = true },
};

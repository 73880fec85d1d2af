/*
 * TLS settings as a kind of evidence: the store, one record per server
 * (HealthChecker's XML, text and HTML of one server merge); the column
 * table (findings.json "tls_settings", the TLS Settings sheet, the page's
 * table); and the descriptor. No exported object of Exchange's is read as
 * this kind: the HealthChecker readers add its records.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/table.h"
#include "kind.h"
#include "merge.h"
#include "tls_settings.h"

/* ----------------------------------------------------------------- store */

void
ev_tls_settings_init(struct ev_tls_settings *s)
{
	size_t	i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < TLS_NVERSIONS; i++)
		s->server_enabled[i] = s->client_enabled[i] = TRI_UNKNOWN;
	s->auth_certificate_valid = TRI_UNKNOWN;
	s->generated = TIME_UNKNOWN;
}

void
ev_tls_settings_clear(struct ev_tls_settings *s)
{
	size_t	i, j;

	free(s->server);
	for (i = 0; i < TLS_NVERSIONS; i++)
		free(s->configuration[i]);
	for (i = 0; i < NET_NVERSIONS; i++)
		for (j = 0; j < NET_NVALUES; j++)
			free(s->net[i][j]);
	free(s->security_protocol);
	free(s->auth_certificate);
	free(s->next_auth_certificate);
	free(s->internal_transport_certificate);
	strlist_free(&s->sources);
	free(s->ref.source);
	ev_tls_settings_init(s);
}

struct ev_tls_settings *
evidence_add_tls_settings(struct evidence *ev, const struct ev_tls_settings *s)
{
	struct ev_tls_settings	*dst = NULL;
	char			*server = server_short_name(s->server);
	size_t			 i, j;

	for (i = 0; i < ev->ntls_settings; i++)
		if (str_eq_ci(ev->tls_settings[i].server, server))
			dst = &ev->tls_settings[i];
	if (dst == NULL) {
		ev->tls_settings = xreallocarray_grow(ev->tls_settings,
		    &ev->tls_settings_cap, ev->ntls_settings + 1,
		    sizeof *ev->tls_settings);
		dst = &ev->tls_settings[ev->ntls_settings++];
		ev_tls_settings_init(dst);
		dst->server = server;
		server = NULL;
		ev_ref_copy(&dst->ref, &s->ref);
	}
	free(server);
	for (i = 0; i < TLS_NVERSIONS; i++) {
		ev_fill_tri(&dst->server_enabled[i], s->server_enabled[i]);
		ev_fill_tri(&dst->client_enabled[i], s->client_enabled[i]);
		ev_fill_str(&dst->configuration[i], s->configuration[i]);
	}
	for (i = 0; i < NET_NVERSIONS; i++)
		for (j = 0; j < NET_NVALUES; j++)
			ev_fill_str(&dst->net[i][j], s->net[i][j]);
	ev_fill_str(&dst->security_protocol, s->security_protocol);
	ev_fill_str(&dst->auth_certificate, s->auth_certificate);
	ev_fill_str(&dst->next_auth_certificate, s->next_auth_certificate);
	ev_fill_tri(&dst->auth_certificate_valid, s->auth_certificate_valid);
	ev_fill_str(&dst->internal_transport_certificate,
	    s->internal_transport_certificate);
	/* An exact generation time replaces a local one. */
	if (s->generated != TIME_UNKNOWN && (dst->generated == TIME_UNKNOWN ||
	    (s->generated_exact && !dst->generated_exact))) {
		dst->generated = s->generated;
		dst->generated_exact = s->generated_exact;
	}
	ev_sources_add(&dst->sources, &s->sources, s->ref.source);
	return dst;
}

const struct ev_tls_settings *
tls_settings_of(const struct evidence *ev, const char *server)
{
	size_t	i;

	for (i = 0; server != NULL && i < ev->ntls_settings; i++)
		if (str_eq_ci(ev->tls_settings[i].server, server))
			return &ev->tls_settings[i];
	return NULL;
}

bool
auth_certificate_facts(const struct evidence *ev, const char *server,
    const char **current, const char **next, tri_t *valid)
{
	const struct ev_tls_settings	*s = tls_settings_of(ev, server);

	*current = s ? s->auth_certificate : NULL;
	*next = s ? s->next_auth_certificate : NULL;
	*valid = s ? s->auth_certificate_valid : TRI_UNKNOWN;
	return s != NULL;
}

const char *
tls_version_name(enum tls_version v)
{
	static const char *const names[] = { "1.0", "1.1", "1.2", "1.3" };

	return v < TLS_NVERSIONS ? names[v] : "?";
}

/* Servers by name. */
static int
cmp_settings(const void *pa, const void *pb)
{
	const struct ev_tls_settings	*a = pa, *b = pb;

	return casecmp_null_last(a->server, b->server);
}

static void
finish(struct evidence *ev, const struct strlist *known)
{
	(void)known;
	if (ev->ntls_settings > 1)
		qsort(ev->tls_settings, ev->ntls_settings,
		    sizeof *ev->tls_settings, cmp_settings);
}

/* --------------------------------------------------------------- columns */

#define S	struct ev_tls_settings

EVIDENCE_ROWS(rows, tls_settings, ntls_settings)

GET_STR(s_server, S, r->server)
GET_TRI(s_10s, S, r->server_enabled[TLS_1_0])
GET_TRI(s_10c, S, r->client_enabled[TLS_1_0])
GET_TRI(s_11s, S, r->server_enabled[TLS_1_1])
GET_TRI(s_11c, S, r->client_enabled[TLS_1_1])
GET_TRI(s_12s, S, r->server_enabled[TLS_1_2])
GET_TRI(s_12c, S, r->client_enabled[TLS_1_2])
GET_TRI(s_13s, S, r->server_enabled[TLS_1_3])
GET_TRI(s_13c, S, r->client_enabled[TLS_1_3])
GET_STR(s_4sd, S, r->net[NET_V4][NET_SYSTEM_DEFAULT])
GET_STR(s_4sc, S, r->net[NET_V4][NET_STRONG_CRYPTO])
GET_STR(s_4wsd, S, r->net[NET_V4][NET_WOW_SYSTEM_DEFAULT])
GET_STR(s_4wsc, S, r->net[NET_V4][NET_WOW_STRONG_CRYPTO])
GET_STR(s_2sd, S, r->net[NET_V2][NET_SYSTEM_DEFAULT])
GET_STR(s_2sc, S, r->net[NET_V2][NET_STRONG_CRYPTO])
GET_STR(s_2wsd, S, r->net[NET_V2][NET_WOW_SYSTEM_DEFAULT])
GET_STR(s_2wsc, S, r->net[NET_V2][NET_WOW_STRONG_CRYPTO])
GET_STR(s_protocol, S, r->security_protocol)
GET_STR(s_auth, S, r->auth_certificate)
GET_STR(s_next_auth, S, r->next_auth_certificate)
GET_TRI(s_auth_valid, S, r->auth_certificate_valid)
GET_STR(s_itc, S, r->internal_transport_certificate)
COL_GETTER(s_generated, S, col_time(v, r->generated, r->generated_exact))
GET_SOURCES(s_sources, S, r->sources)

#define TLS_COL(k, l, g)						\
	{ .key = k, .label = l, .width = 9, .type = COL_TRI,		\
	  .show = OUT_ALL, .get = g }
#define NET_COL(k, l, g, shown, w)					\
	{ .key = k, .label = l, .width = 12, .type = COL_STR,		\
	  .show = shown, .get = g, .why = w }
#define WOW_WHY	"the page shows the 64-bit key; the 32-bit one is in the " \
	"workbook and findings.json"
#define V2_WHY	"the page shows .NET 4, which Exchange runs on"

static const struct column settings_cols[] = {
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_ALL, .get = s_server },
	TLS_COL("tls1_0_server", "TLS 1.0 server", s_10s),
	TLS_COL("tls1_0_client", "TLS 1.0 client", s_10c),
	TLS_COL("tls1_1_server", "TLS 1.1 server", s_11s),
	TLS_COL("tls1_1_client", "TLS 1.1 client", s_11c),
	TLS_COL("tls1_2_server", "TLS 1.2 server", s_12s),
	TLS_COL("tls1_2_client", "TLS 1.2 client", s_12c),
	TLS_COL("tls1_3_server", "TLS 1.3 server", s_13s),
	TLS_COL("tls1_3_client", "TLS 1.3 client", s_13c),
	NET_COL("net4_system_default_tls_versions",
	    ".NET 4 SystemDefaultTlsVersions", s_4sd, OUT_ALL, NULL),
	NET_COL("net4_sch_use_strong_crypto", ".NET 4 SchUseStrongCrypto",
	    s_4sc, OUT_ALL, NULL),
	NET_COL("net4_wow_system_default_tls_versions",
	    ".NET 4 (32-bit) SystemDefaultTlsVersions", s_4wsd,
	    OUT_JSON | OUT_XLSX, WOW_WHY),
	NET_COL("net4_wow_sch_use_strong_crypto",
	    ".NET 4 (32-bit) SchUseStrongCrypto", s_4wsc, OUT_JSON | OUT_XLSX,
	    WOW_WHY),
	NET_COL("net2_system_default_tls_versions",
	    ".NET 2 SystemDefaultTlsVersions", s_2sd, OUT_JSON | OUT_XLSX,
	    V2_WHY),
	NET_COL("net2_sch_use_strong_crypto", ".NET 2 SchUseStrongCrypto",
	    s_2sc, OUT_JSON | OUT_XLSX, V2_WHY),
	NET_COL("net2_wow_system_default_tls_versions",
	    ".NET 2 (32-bit) SystemDefaultTlsVersions", s_2wsd,
	    OUT_JSON | OUT_XLSX, V2_WHY),
	NET_COL("net2_wow_sch_use_strong_crypto",
	    ".NET 2 (32-bit) SchUseStrongCrypto", s_2wsc, OUT_JSON | OUT_XLSX,
	    V2_WHY),
	{ .key = "security_protocol", .label = "SecurityProtocol", .width = 20,
	  .type = COL_STR, .show = OUT_JSON | OUT_XLSX, .get = s_protocol,
	  .why = "the page shows the registry settings it follows from" },
	{ .key = "auth_certificate", .label = "Auth certificate", .width = 44,
	  .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = s_auth },
	{ .key = "next_auth_certificate", .label = "Next Auth certificate",
	  .width = 44, .type = COL_STR, .style = COL_MONO,
	  .show = OUT_JSON | OUT_XLSX, .get = s_next_auth,
	  .why = "page: the certificates table shows the next one too" },
	{ .key = "auth_certificate_valid", .label = "Valid Auth certificate",
	  .width = 10, .type = COL_TRI, .show = OUT_ALL, .get = s_auth_valid },
	{ .key = "internal_transport_certificate",
	  .label = "Internal transport certificate", .width = 44,
	  .type = COL_STR, .style = COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = s_itc,
	  .why = "page: the transport services table shows it" },
	{ .key = "generated", .label = "Collected", .width = 19,
	  .type = COL_TIME, .show = OUT_ALL, .get = s_generated },
	{ .key = "generated_exact", .label = "Collected time read as",
	  .width = 18, .type = COL_ZONE, .show = OUT_XLSX, .get = s_generated,
	  .why = "findings.json keeps its fields; the page labels the time "
	  "when it is server local time" },
	{ .key = "sources", .label = "Sources", .width = 50, .type = COL_LIST,
	  .style = COL_WRAP | COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = s_sources,
	  .why = "page: the workbook and findings.json name the files" },
};

const struct table table_tls_settings = {
	.key = "tls_settings", .sheet = "TLS Settings", .cols = settings_cols,
	.ncols = sizeof settings_cols / sizeof settings_cols[0], .freeze = 1,
	.rows = rows, .size = sizeof(S)
};

/* ------------------------------------------------------------ descriptor */

static void
clear(void *s)
{
	ev_tls_settings_clear(s);
}

static void
servers(const void *row, struct strlist *out)
{
	const struct ev_tls_settings	*s = row;

	strlist_add_unique_ci(out, s->server);
}

const struct ev_kind ev_kind_tls_settings = {
	.one = "TLS settings", .many = "TLS settings",
	EV_KIND_STORE(tls_settings), .clear = clear, .finish = finish,
	.servers = servers,
	.table = &table_tls_settings,
	/* HealthChecker writes its XML export where it runs, per server. */
	.gap_collect = ".\\HealthChecker.ps1",
	.page = { .id = "tls-settings", .title = "TLS settings", .rank = 45,
	    .empty = "No TLS settings in the bundle: HealthChecker's export "
	    "or report carries them." },
};

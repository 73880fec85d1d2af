/*
 * The organization's OAuth settings (Get-AuthConfig) as a kind of evidence:
 * the store, one record per organization; the mapper; the column table
 * (findings.json "auth_configs", the Auth Config sheet, the page's table);
 * and the descriptor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/record.h"
#include "model/table.h"
#include "auth_config.h"
#include "cert.h"
#include "kind.h"
#include "merge.h"

/* ----------------------------------------------------------------- store */

void
ev_auth_config_init(struct ev_auth_config *a)
{
	memset(a, 0, sizeof *a);
	a->next_effective = TIME_UNKNOWN;
}

static void
ev_auth_config_clear(struct ev_auth_config *a)
{
	free(a->organization);
	free(a->current_thumbprint);
	free(a->previous_thumbprint);
	free(a->next_thumbprint);
	free(a->service_name);
	free(a->realm);
	strlist_free(&a->queried_on);
	strlist_free(&a->sources);
	free(a->ref.source);
	ev_auth_config_init(a);
}

struct ev_auth_config *
evidence_add_auth_config(struct evidence *ev, const struct ev_auth_config *a)
{
	struct ev_auth_config	*dst = NULL;
	size_t			 i;

	for (i = 0; i < ev->nauth_configs; i++)
		if (str_eq_ci(ev->auth_configs[i].organization, a->organization))
			dst = &ev->auth_configs[i];
	if (dst == NULL) {
		ev->auth_configs = xreallocarray_grow(ev->auth_configs,
		    &ev->auth_configs_cap, ev->nauth_configs + 1,
		    sizeof *ev->auth_configs);
		dst = &ev->auth_configs[ev->nauth_configs++];
		ev_auth_config_init(dst);
		dst->organization = xstrdup(a->organization);
		ev_ref_copy(&dst->ref, &a->ref);
	}
	ev_fill_str(&dst->current_thumbprint, a->current_thumbprint);
	ev_fill_str(&dst->previous_thumbprint, a->previous_thumbprint);
	ev_fill_str(&dst->next_thumbprint, a->next_thumbprint);
	/* An exact date replaces one read from text. */
	if (a->next_effective_exact && !dst->next_effective_exact) {
		dst->next_effective = a->next_effective;
		dst->next_effective_exact = true;
	} else if (dst->next_effective == TIME_UNKNOWN) {
		dst->next_effective = a->next_effective;
		dst->next_effective_exact = a->next_effective_exact;
	}
	ev_fill_str(&dst->service_name, a->service_name);
	ev_fill_str(&dst->realm, a->realm);
	for (i = 0; i < a->queried_on.n; i++)
		strlist_add_unique_ci(&dst->queried_on, a->queried_on.v[i]);
	ev_sources_add(&dst->sources, &a->sources, a->ref.source);
	return dst;
}

static int
cmp_auth_config(const void *pa, const void *pb)
{
	const struct ev_auth_config	*a = pa, *b = pb;

	return casecmp_null_last(a->organization, b->organization);
}

static void
finish(struct evidence *ev, const struct strlist *known)
{
	size_t	i;

	(void)known;
	for (i = 0; i < ev->nauth_configs; i++) {
		strlist_sort_ci(&ev->auth_configs[i].queried_on);
		strlist_sort_ci(&ev->auth_configs[i].sources);
	}
	if (ev->nauth_configs > 1)
		qsort(ev->auth_configs, ev->nauth_configs,
		    sizeof *ev->auth_configs, cmp_auth_config);
}

/* ---------------------------------------------------------------- mapper */

/* "CN=Auth Configuration,CN=Contoso,CN=Microsoft Exchange,..." -> "Contoso". */
static char *
organization_of(const char *dn)
{
	static const char	 head[] = "CN=Auth Configuration,CN=";
	const char		*p, *e;

	if (dn == NULL || !ascii_startswith_ci(dn, head))
		return NULL;
	p = dn + sizeof head - 1;
	e = strchr(p, ',');
	return e != NULL && e > p ? xstrndup(p, (size_t)(e - p)) : NULL;
}

/* A thumbprint property: NULL when empty; a value that is none, said so. */
static char *
thumbprint(struct map_ctx *ctx, const struct record *r, const char *name)
{
	const struct rec_value	*v = record_get(r, name);
	char			*s = rv_str(ctx, r, name), *tp;

	if (s == NULL)
		return NULL;
	if ((tp = thumbprint_normalize(s)) == NULL)
		map_warn(ctx, v != NULL ? v->line : r->line, "%s \"%s\" is not a "
		    "thumbprint; left unknown", name, s);
	free(s);
	return tp;
}

/* Every Get-AuthConfig object is kept: each of its values may be unset. */
static int
map(struct map_ctx *ctx, const struct record *r)
{
	struct ev_auth_config	 a;
	char			*dn, *pc, *server;
	bool			 exact;

	ev_auth_config_init(&a);
	dn = rv_str(ctx, r, "DistinguishedName");
	a.organization = organization_of(dn);
	free(dn);
	a.current_thumbprint = thumbprint(ctx, r, "CurrentCertificateThumbprint");
	a.previous_thumbprint = thumbprint(ctx, r,
	    "PreviousCertificateThumbprint");
	a.next_thumbprint = thumbprint(ctx, r, "NextCertificateThumbprint");
	a.next_effective = rv_time(ctx, r, "NextCertificateEffectiveDate",
	    &exact);
	a.next_effective_exact = a.next_effective != TIME_UNKNOWN && exact;
	a.service_name = rv_str(ctx, r, "ServiceName");
	a.realm = rv_str(ctx, r, "Realm");
	if ((pc = rv_computer_name(ctx, r, NULL)) != NULL) {
		if ((server = server_short_name(pc)) != NULL)
			strlist_add(&a.queried_on, server);
		free(server);
		free(pc);
	}
	strlist_add(&a.sources, ctx->source);
	a.ref.source = xstrdup(ctx->source);
	a.ref.line = r->line;
	evidence_add_auth_config(ctx->ev, &a);
	ev_auth_config_clear(&a);
	return 1;
}

/* --------------------------------------------------------------- columns */

#define A	struct ev_auth_config

EVIDENCE_ROWS(rows, auth_configs, nauth_configs)

GET_STR(organization, A, r->organization)
GET_STR(current, A, r->current_thumbprint)
GET_STR(previous, A, r->previous_thumbprint)
GET_STR(next, A, r->next_thumbprint)
/* Format-List and CSV give the server's clock, not UTC. */
COL_GETTER(next_effective, A,
	col_time(v, r->next_effective, r->next_effective_exact))
GET_STR(service_name, A, r->service_name)
GET_STR(realm, A, r->realm)
/* An export without PSComputerName does not say where it was run. */
COL_GETTER(queried_on, A,
	col_list(v, &r->queried_on, r->queried_on.n > 0, false))
GET_SOURCES(sources, A, r->sources)

static const struct column cols[] = {
	{ .key = "organization", .label = "Organization", .width = 20,
	  .type = COL_STR, .show = OUT_ALL, .get = organization },
	{ .key = "current_certificate_thumbprint", .label = "Current certificate",
	  .width = 46, .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = current, .unknown = "not set", .cls = "mono tp" },
	{ .key = "previous_certificate_thumbprint", .label = "Previous certificate",
	  .width = 46, .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = previous, .unknown = "not set", .cls = "mono tp" },
	{ .key = "next_certificate_thumbprint", .label = "Next certificate", .width = 46,
	  .type = COL_STR, .style = COL_MONO, .show = OUT_ALL, .get = next,
	  .unknown = "not set", .cls = "mono tp" },
	{ .key = "next_certificate_effective_date", .label = "Next effective",
	  .width = 19, .type = COL_TIME, .show = OUT_ALL,
	  .get = next_effective },
	{ .key = "next_certificate_effective_date_exact",
	  .label = "Next effective read as", .width = 18, .type = COL_ZONE,
	  .show = OUT_JSON | OUT_XLSX, .get = next_effective,
	  .why = "page: the date is labelled when it is server local time" },
	{ .key = "service_name", .label = "Service name", .width = 38,
	  .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = service_name },
	{ .key = "realm", .label = "Realm", .width = 20, .type = COL_STR,
	  .show = OUT_ALL, .get = realm, .unknown = "not set" },
	{ .key = "queried_on", .label = "Queried on", .width = 20,
	  .type = COL_LIST, .show = OUT_ALL, .get = queried_on,
	  .unknown = "not in the export" },
	{ .key = "sources", .label = "Sources", .width = 50, .type = COL_LIST,
	  .style = COL_WRAP | COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = sources,
	  .why = "page: the workbook and findings.json name the files" },
};

const struct table table_auth_config = {
	.key = "auth_configs", .sheet = "Auth Config", .cols = cols,
	.ncols = sizeof cols / sizeof cols[0], .freeze = 1, .rows = rows,
	.size = sizeof(A)
};

/* ------------------------------------------------------------ descriptor */

static const char *const types[] = { "AuthConfig", NULL };
static const char *const date_labels[] = { "NextCertificateEffectiveDate",
    NULL };

/* Only the Auth configuration names its signing certificates so. */
static bool
clue(const struct record *r)
{
	return record_has(r, "CurrentCertificateThumbprint") ||
	    record_has(r, "NextCertificateThumbprint");
}

static void
clear(void *a)
{
	ev_auth_config_clear(a);
}

static void
servers(const void *row, struct strlist *out)
{
	const struct ev_auth_config	*a = row;
	size_t				 i;

	for (i = 0; i < a->queried_on.n; i++)
		strlist_add_unique_ci(out, a->queried_on.v[i]);
}

const struct ev_kind ev_kind_auth_config = {
	.one = "Auth configuration", .many = "Auth configurations",
	.types = types, .clue = clue, .map = map, .date_labels = date_labels,
	EV_KIND_STORE(auth_configs), .clear = clear, .finish = finish,
	.servers = servers,
	.gap_what = "no Get-AuthConfig output",
	.gap_collect = "Get-AuthConfig | Export-Clixml AuthConfig.xml",
	.gap_rank = 60,
	.table = &table_auth_config,
	.page = { .id = "auth-config", .title = "Auth configuration",
	    .rank = 45, .empty = "No Get-AuthConfig output in the bundle." },
};

/*
 * Certificates as a kind of evidence (kinds/kind.h): how a record says it
 * is one, what the gaps list says when the inventory is missing, and how
 * the page shows them. The store is store.c, the mapper map.c, the column
 * table columns.c.
 */
#include "config.h"

#include <stdlib.h>

#include "model/kinds/cert.h"
#include "model/kinds/kind.h"
#include "model/record.h"
#include "model/table.h"

static const char *const types[] = { "ExchangeCertificate", "X509Certificate2",
    NULL };
static const char *const date_labels[] = { "NotBefore", "NotAfter", NULL };

/* A thumbprint with the certificate's dates, subject or encoding. */
static bool
clue(const struct record *r)
{
	return record_has(r, "Thumbprint") && (record_has(r, "NotAfter") ||
	    record_has(r, "Subject") || record_has(r, "RawData"));
}

static int
map(struct map_ctx *ctx, const struct record *r)
{
	struct ev_cert	c;

	ev_cert_init(&c);
	return map_cert(ctx, r, &c);
}

/* map_cert skips a record without a valid thumbprint. */
static bool
keeps(const struct record *r)
{
	const struct rec_value	*v = record_get(r, "Thumbprint");
	char			*tp;

	if (v == NULL || v->kind != REC_SCALAR ||
	    (tp = thumbprint_normalize(v->s)) == NULL)
		return false;
	free(tp);
	return true;
}

static void
clear(void *c)
{
	ev_cert_clear(c);
}

static void
servers(const void *row, struct strlist *out)
{
	const struct ev_cert	*c = row;

	strlist_add_unique_ci(out, c->server);
}

static bool
seen(const struct evidence *ev)
{
	return ev->saw_cert_dump;
}

/* A certificate a finding names is highlighted. */
static const char *
row_class(const struct col_ctx *x, const void *row)
{
	const struct ev_cert	*c = row;

	return col_finding_naming(x, c->thumbprint) != NULL ? "named" : NULL;
}

const struct ev_kind ev_kind_certificates = {
	.one = "certificate", .many = "certificates",
	.types = types, .clue = clue, .map = map, .keeps = keeps,
	.date_labels = date_labels,
	EV_KIND_STORE(certs), .clear = clear, .finish = certs_finish,
	.servers = servers, .seen = seen,
	.gap_what = "no Get-ExchangeCertificate output",
	.gap_collect = "Get-ExchangeServer | ForEach-Object { "
	    "Get-ExchangeCertificate -Server $_.Name } | Export-Clixml "
	    "ExchangeCertificates.xml",
	.gap_rank = 10,
	.table = &table_certificates,
	.page = { .id = "certificates", .title = "Certificates", .major = true,
	    .rank = 10, .empty = "No certificates in the bundle.",
	    .intro = "Days left are counted at the as-of time; highlighted "
	    "rows are the certificates the findings name.",
	    .row_class = row_class },
};

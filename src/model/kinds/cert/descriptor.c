/*
 * Certificates as a kind of evidence (kinds/kind.h): how a record says it
 * is one, what the gaps list says when the inventory is missing, and how
 * the page shows them. The store is store.c, the mapper map.c, the column
 * table columns.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/kinds/cert.h"
#include "model/kinds/kind.h"
#include "model/record.h"
#include "model/table.h"

static const char *const types[] = { "ExchangeCertificate", "X509Certificate2",
    NULL };
static const char *const date_labels[] = { "NotBefore", "NotAfter", NULL };

static const char *const cmdlets[] = { "Get-ExchangeCertificate", NULL };

/* A thumbprint with the certificate's dates, subject or encoding. */
static bool
clue(const struct record *r)
{
	return record_has(r, "Thumbprint") && (record_has(r, "NotAfter") ||
	    record_has(r, "Subject") || record_has(r, "RawData"));
}

/* Services as Exchange names them ("IMAP, POP, IIS, SMTP", "None"). */
static bool
exchange_services(const struct record *r)
{
	const struct rec_value	*v = record_get(r, "Services");
	const char		*p, *e;
	char			*name;
	bool			 ok = true;

	if (v == NULL || v->kind != REC_SCALAR || v->s == NULL)
		return false;
	for (p = v->s; ok && *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		name = str_trim(xstrndup(p, (size_t)(e - p)));
		ok = service_flag(name) >= 0;
		free(name);
	}
	return ok;
}

/*
 * A certificate record whose Thumbprint and Subject lines were cut: its
 * issuer, services, expiry and serial number; or Exchange's services with
 * any other certificate property (`fl FriendlyName,Services`).
 */
static bool
partial(const struct record *r)
{
	static const char *const others[] = { "FriendlyName", "Issuer",
	    "Subject", "NotAfter", "NotBefore", "SerialNumber",
	    "CertificateDomains", "IsSelfSigned", "HasPrivateKey", NULL };
	size_t	i;

	if (record_has(r, "Issuer") && record_has(r, "Services") &&
	    record_has(r, "NotAfter") && record_has(r, "SerialNumber"))
		return true;
	for (i = 0; others[i] != NULL; i++)
		if (record_has(r, others[i]) && exchange_services(r))
			return true;
	return false;
}

static int
map(struct map_ctx *ctx, const struct record *r)
{
	struct ev_cert	c;

	ev_cert_init(&c);
	return map_cert(ctx, r, &c);
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
	.types = types, .cmdlets = cmdlets, .clue = clue, .partial = partial,
	.map = map,
	.date_labels = date_labels,
	EV_KIND_STORE(certs), .clear = clear, .own_names = certs_own_names,
	.finish = certs_finish,
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

/*
 * The certificates table (findings.json "certificates", the Certificates
 * sheet, the page's certificate table).
 */
#include "config.h"

#include <string.h>

#include "model/attribution.h"
#include "model/kinds/cert.h"
#include "model/table.h"

#define C	struct ev_cert

EVIDENCE_ROWS(rows, certs, ncerts)

GET_STR(server, C, r->server)
GET_STR(thumbprint, C, r->thumbprint)
GET_STR(thumbprint_masked, C, r->thumbprint_masked)
GET_BOOL(subject_incomplete, C, r->subject_incomplete)
GET_STR(issuer, C, r->issuer)
GET_STR(serial, C, r->serial)
GET_STR(status, C, r->status)
GET_TRI(self_signed, C, r->self_signed)
GET_TRI(has_private_key, C, r->has_private_key)
GET_STR(root_ca_type, C, r->root_ca_type)
GET_COUNT(key_bits, C, r->key_bits)
GET_STR(signature_algorithm, C, r->signature_algorithm)
GET_STR(friendly_name, C, r->friendly_name)
GET_SOURCES(sources, C, r->sources)
GET_BOOL(domains_incomplete, C, r->domains_incomplete)
COL_GETTER(subject, C,
	col_str(v, r->subject);
	v->incomplete = r->subject_incomplete)
/* Which clue named the server (attribution.h); unknown when none did. */
COL_GETTER(server_from, C,
	col_str(v, r->server_clue > 0 ?
	    attr_clue_name((enum attr_clue)r->server_clue) : NULL))
/*
 * Format-List dates are the server's local clock: converted with the
 * server's offset when known (model/time_zone.h), else labelled local; a
 * date whose day/month order is unknown is shown as written.
 */
COL_GETTER(not_before, C, col_time_read(v, ctx, r->server, r->not_before,
	r->dates_exact, r->dates_converted, r->dates_order_guessed,
	r->not_before_written))
COL_GETTER(not_after, C, col_time_read(v, ctx, r->server, r->not_after,
	r->dates_exact, r->dates_converted, r->dates_order_guessed,
	r->not_after_written))
COL_GETTER(dates_exact, C,
	col_time_read(v, ctx, r->server, r->not_after != TIME_UNKNOWN ?
	    r->not_after : r->not_before, r->dates_exact, r->dates_converted,
	    r->dates_order_guessed, r->not_after_written != NULL ?
	    r->not_after_written : r->not_before_written);
	/* findings.json says false for a certificate without dates. */
	v->known = true)
COL_GETTER(domains, C,
	col_list(v, &r->domains, r->domains_known, r->domains_incomplete))
COL_GETTER(services, C,
	v->services = r->services;
	v->known = r->services != SERVICES_UNKNOWN)
/* Where the certificate was first read: "path:line". */
COL_GETTER(first_read_at, C,
	if (r->ref.source != NULL && r->ref.line > 0)
		v->owned = xasprintf("%s:%ld", r->ref.source, r->ref.line);
	else if (r->ref.source != NULL)
		v->owned = xstrdup(r->ref.source);
	col_str(v, v->owned))

/*
 * Whole days left at the as-of time, negative once expired ("expired 5
 * days ago" is -5).
 */
static void
days_left(const void *row, const struct col_ctx *x, struct col_value *v)
{
	const struct ev_cert	*c = row;

	v->t = c->not_after;
	v->known = c->not_after != TIME_UNKNOWN && x->as_of != TIME_UNKNOWN;
	if (!v->known)
		return;
	if (cert_expiry_at(c, x->as_of) == CERT_EXPIRES_ABOUT_NOW) {
		/* Hours either way: 0 whole days, neither past nor left. */
		v->n = 0;
		v->text = "expires about now (the server's UTC offset is "
		    "unknown)";
		return;
	}
	v->n = c->not_after >= x->as_of ? (c->not_after - x->as_of) / 86400 :
	    -((x->as_of - c->not_after) / 86400);
	v->b = c->not_after < x->as_of;		/* expired, even today */
}

/* The first finding that names the certificate, by its id. */
static void
named_in(const void *row, const struct col_ctx *x, struct col_value *v)
{
	const struct ev_cert	*c = row;
	const char		*id = col_finding_naming(x, c->thumbprint);

	if (id != NULL) {
		col_str(v, id);
		v->tone = "wrap";
	}
}

COL_GETTER(lifetime_days, struct ev_cert,
    col_int(v, r->lifetime_days, r->lifetime_days >= 0))
COL_GETTER(lifetime_counted, struct ev_cert,
    col_time(v, r->lifetime_from, r->lifetime_from_exact))

static const struct column cols[] = {
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_ALL, .get = server },
	{ .key = "thumbprint", .label = "Thumbprint", .width = 46,
	  .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = thumbprint, .cls = "mono tp" },
	{ .key = "thumbprint_masked", .label = "Thumbprint as masked",
	  .width = 46, .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = thumbprint_masked, .unknown = "", .join = "thumbprint",
	  .prefix = "masked: " },
	{ .key = "named_in", .label = "Named in finding", .width = 16,
	  .type = COL_STR, .show = OUT_XLSX | OUT_HTML, .get = named_in,
	  .unknown = "", .join = "server", .prefix = "named in ",
	  .why = "findings.json: each finding lists the thumbprints it names" },
	{ .key = "subject", .label = "Subject", .width = 50, .type = COL_STR,
	  .style = COL_WRAP, .show = OUT_ALL, .get = subject,
	  .head = "Subject and domains" },
	{ .key = "subject_incomplete", .label = "Subject cut in export",
	  .type = COL_BOOL, .show = OUT_JSON, .get = subject_incomplete,
	  .why = "the workbook and page mark a cut subject in its cell" },
	{ .key = "server_from", .label = "Server named by", .type = COL_STR,
	  .show = OUT_JSON, .get = server_from,
	  .why = "which clue named the server is for scripts that check the "
	  "attribution; people read the server" },
	{ .key = "issuer", .label = "Issuer", .width = 50, .type = COL_STR,
	  .style = COL_WRAP, .show = OUT_ALL, .get = issuer,
	  .head = "Issuer and key" },
	{ .key = "serial", .label = "Serial", .width = 36, .type = COL_STR,
	  .style = COL_MONO, .show = OUT_JSON | OUT_XLSX, .get = serial,
	  .why = "page: the thumbprint identifies the certificate; a serial "
	  "number would widen a table that must fit a printed page" },
	{ .key = "not_before", .label = "Not before", .width = 19,
	  .type = COL_TIME, .show = OUT_ALL, .get = not_before,
	  .head = "Valid (not before, not after)" },
	{ .key = "not_after", .label = "Not after", .width = 19,
	  .type = COL_TIME, .show = OUT_ALL, .get = not_after,
	  .join = "not_before", .prefix = "", .flags = COL_EXPIRY },
	{ .key = "dates_exact", .label = "Dates in", .width = 18,
	  .type = COL_ZONE, .show = OUT_JSON | OUT_XLSX, .get = dates_exact,
	  .why = "page: each date is labelled when it is server local time" },
	{ .key = "days_left", .label = "Days left", .width = 10,
	  .type = COL_DAYS, .show = OUT_XLSX | OUT_HTML, .get = days_left,
	  .join = "not_before", .prefix = "",
	  .why = "findings.json: scripts count from not_after and as_of" },
	{ .key = "domains", .label = "Domains", .width = 40, .type = COL_LIST,
	  .style = COL_WRAP, .show = OUT_ALL, .get = domains,
	  .join = "subject", .prefix = "" },
	{ .key = "domains_incomplete", .label = "Domains cut in export",
	  .type = COL_BOOL, .show = OUT_JSON, .get = domains_incomplete,
	  .why = "the workbook and page mark a cut list in its cell" },
	{ .key = "services", .label = "Services", .width = 24,
	  .type = COL_SERVICES, .show = OUT_ALL, .get = services,
	  .head = "Services, status, key" },
	{ .key = "status", .label = "Status", .width = 14, .type = COL_STR,
	  .show = OUT_ALL, .get = status, .join = "services",
	  .prefix = "status " },
	{ .key = "self_signed", .label = "Self-signed", .width = 11,
	  .type = COL_TRI, .show = OUT_ALL, .get = self_signed,
	  .join = "issuer" },
	{ .key = "has_private_key", .label = "Private key", .width = 11,
	  .type = COL_TRI, .show = OUT_ALL, .get = has_private_key,
	  .join = "services", .prefix = "private key " },
	{ .key = "root_ca_type", .label = "Root CA type", .width = 14,
	  .type = COL_STR, .show = OUT_JSON | OUT_XLSX, .get = root_ca_type,
	  .why = "page: no rule reads it; the workbook has it" },
	{ .key = "key_bits", .label = "Key bits", .width = 9, .type = COL_INT,
	  .show = OUT_ALL, .get = key_bits, .join = "issuer",
	  .prefix = "key ", .unit = " bits" },
	{ .key = "signature_algorithm", .label = "Signature algorithm",
	  .width = 26, .type = COL_STR, .show = OUT_ALL,
	  .get = signature_algorithm, .join = "issuer",
	  .prefix = "signature " },
	{ .key = "friendly_name", .label = "Friendly name", .width = 24,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_ALL,
	  .get = friendly_name, .unknown = "", .join = "subject",
	  .prefix = "friendly name " },
	{ .key = "lifetime_days", .label = "Lifetime in days (HealthChecker)",
	  .width = 12, .type = COL_INT, .show = OUT_JSON | OUT_XLSX,
	  .get = lifetime_days,
	  .why = "page: days left are counted from NotAfter; HealthChecker's "
	  "own count is in the workbook" },
	{ .key = "lifetime_counted", .label = "Lifetime counted at",
	  .width = 19, .type = COL_TIME, .show = OUT_JSON | OUT_XLSX,
	  .get = lifetime_counted,
	  .why = "page: days left are counted from NotAfter; HealthChecker's "
	  "own count is in the workbook" },
	{ .key = "sources", .label = "Sources", .width = 50, .type = COL_LIST,
	  .style = COL_WRAP | COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = sources, .cls = "mono path",
	  .why = "page: a file name is never broken but at a '/', and a long "
	  "one would widen the table past a desktop and a printed page; the "
	  "findings' evidence names the files" },
	{ .key = "first_read_at", .label = "First read at", .width = 50,
	  .type = COL_STR, .style = COL_WRAP | COL_MONO, .show = OUT_XLSX,
	  .get = first_read_at, .unknown = "",
	  .why = "findings.json and the page list every source file" },
};

const struct table table_certificates = {
	.key = "certificates", .sheet = "Certificates", .cols = cols,
	.ncols = sizeof cols / sizeof cols[0], .freeze = 2, .rows = rows,
	.size = sizeof(C)
};

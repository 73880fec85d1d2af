/*
 * Export-Clixml entries: objects become generic records for the mappers
 * (record.h); certificates first read RawData through OpenSSL and services
 * and status through the SerializationData stream. Objects are told apart
 * by their type names (else their properties), never by the file name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/attribution.h"
#include "clixml.h"
#include "formats.h"
#include "ingest.h"
#include "nrbf.h"
#include "util/parse_diag.h"
#include "model/kinds/cert.h"
#include "model/kinds/kinds.h"
#include "model/record.h"
#include "util/text.h"
#include "x509.h"

#define MAX_NEST	3	/* lists of lists of objects at the top */

struct cx_ingest {
	struct evidence	*ev;
	const char	*source;
	struct map_ctx	 ctx;
};

static const char *const status_names[] = {
	"Unknown", "Valid", "Revoked", "DateInvalid", "Untrusted", "Invalid",
	"RevocationCheckFailure", "PendingRequest"
};

static const char *const root_ca_names[] = {
	"None", "ThirdParty", "Enterprise", "Registry", "GroupPolicy", "Unknown"
};

static char *
enum_name(const char *const *names, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? xstrdup(names[v]) : NULL;
}

static void
warn_obj(struct cx_ingest *ci, long line, const char *what, const char *why)
{
	diag_add(&ci->ev->diags, DIAG_WARNING, ci->source, "line %ld: %s: %s",
	    line, what, why);
}

/* ------------------------------------------------------------ certificates */

static void
cert_from_raw(struct cx_ingest *ci, const struct cx_obj *o, struct ev_cert *c)
{
	const struct cx_value	*raw = cx_obj_prop(o, "RawData");
	struct parse_diag	 pd;

	if (raw == NULL || raw->type != CX_BYTES)
		return;
	if (raw->bytes == NULL) {
		warn_obj(ci, raw->line, "certificate RawData",
		    "not valid base64; ignored");
		return;
	}
	parse_diag_init(&pd, &ci->ev->diags, ci->source);
	pd.what = "certificate RawData";
	pd.base_line = raw->line;
	(void)x509_cert_fill(c, raw->bytes, raw->nbytes, &pd);
}

/* CertData is the certificate store element: DER and friendly name. */
static void
cert_from_certdata(struct cx_ingest *ci, const struct nrbf_cert *nc,
    struct ev_cert *c, long line)
{
	const unsigned char	*p;
	size_t			 n;
	struct parse_diag	 pd;

	parse_diag_init(&pd, &ci->ev->diags, ci->source);
	pd.what = "certificate in SerializationData";
	pd.base_line = line;
	if (c->thumbprint == NULL && nrbf_certdata_prop(nc->cert_data,
	    nc->cert_data_len, CERTDATA_PROP_CERT, &p, &n) == 0)
		(void)x509_cert_fill(c, p, n, &pd);
	if (c->friendly_name == NULL && nrbf_certdata_prop(nc->cert_data,
	    nc->cert_data_len, CERTDATA_PROP_FRIENDLY_NAME, &p, &n) == 0) {
		char	*fn = nrbf_utf16le_to_utf8(p, n);

		if (*fn != '\0')
			c->friendly_name = utf8_clean(fn, strlen(fn));
		free(fn);
	}
}

static void
cert_from_nrbf(struct cx_ingest *ci, const struct cx_obj *o, struct ev_cert *c)
{
	const struct cx_value	*sd = cx_obj_prop(o, "SerializationData");
	struct nrbf_cert	 nc;
	struct parse_diag	 pd;
	char			*server;

	if (sd == NULL || sd->type != CX_BYTES)
		return;
	if (sd->bytes == NULL) {
		warn_obj(ci, sd->line, "certificate SerializationData",
		    "not valid base64; services and status unknown");
		return;
	}
	parse_diag_init(&pd, &ci->ev->diags, ci->source);
	pd.what = "certificate SerializationData unreadable, services and "
	    "status unknown";
	pd.base_line = sd->line;
	if (nrbf_decode_exchange_cert(sd->bytes, sd->nbytes, &nc, &pd) != 0)
		return;
	cert_from_certdata(ci, &nc, c, sd->line);
	if (nc.services >= 0)
		c->services = nc.services;
	if (c->status == NULL)
		c->status = enum_name(status_names, sizeof status_names /
		    sizeof status_names[0], nc.status);
	if (c->root_ca_type == NULL)
		c->root_ca_type = enum_name(root_ca_names, sizeof root_ca_names /
		    sizeof root_ca_names[0], nc.root_ca_type);
	if (c->self_signed == TRI_UNKNOWN && nc.self_signed >= 0)
		c->self_signed = nc.self_signed ? TRI_TRUE : TRI_FALSE;
	server = attr_server_from_identity(nc.identity);
	if (c->server == NULL && server != NULL) {
		c->server = server;
		c->server_clue = ATTR_IDENTITY;
	} else
		free(server);
	nrbf_cert_clear(&nc);
}

/* --------------------------------------------------------------- records */

/* The string forms of a list's items (an item object's Name when it has none). */
static void
list_items(const struct cx_obj *l, struct rec_value *v)
{
	const struct cx_obj	*item;
	const char		*s;
	size_t			 i;

	v->kind = REC_LIST;
	for (i = 0; i < l->nitems; i++) {
		s = cx_value_string(&l->items[i]);
		item = cx_value_obj(&l->items[i]);
		if (s == NULL && item != NULL)
			s = cx_value_string(cx_obj_prop(item, "Name"));
		if (s != NULL && *s != '\0')
			strlist_add(&v->items, s);
	}
}

static void cx_to_record(const struct cx_obj *, struct record *, int);

/* "...Z" or "...+hh:mm": the DateTime says which instant it is. */
static bool
cx_text_has_zone(const char *s)
{
	size_t	n;

	if (s == NULL)
		return false;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n > 0 && (s[n - 1] == 'Z' || s[n - 1] == 'z'))
		return true;
	return n >= 6 && (s[n - 6] == '+' || s[n - 6] == '-') && s[n - 3] == ':';
}

static void
cx_value_to_rec(const struct cx_value *cv, struct rec_value *v, int depth)
{
	const struct cx_obj	*o = cx_value_obj(cv);
	int64_t			 n;

	switch (cv->type) {
	case CX_NIL:
	case CX_UNRESOLVED:
		return;
	case CX_OBJECT:
		break;
	default:
		v->kind = REC_SCALAR;
		v->s = xstrdup(cv->text);
		/*
		 * A DateTime written without a zone (Kind Unspecified) is a
		 * wall clock, read as text; with "Z" or an offset it is exact.
		 */
		if (cv->type == CX_DATETIME && cx_text_has_zone(cv->text) &&
		    cx_value_time(cv, &v->t))
			v->has_time = true;
		if (cv->type == CX_INT && cx_value_int(cv, &n)) {
			v->has_int = true;
			v->i = n;
		}
		return;
	}
	if (o == NULL)
		return;
	if (o->container != CX_CONT_NONE && o->container != CX_CONT_DCT) {
		list_items(o, v);
		return;
	}
	if (o->prim != NULL) {
		/* An enum: its name, and its number. */
		v->kind = REC_SCALAR;
		v->s = xstrdup(cx_value_string(cv));
		if (cx_value_int(o->prim, &n)) {
			v->has_int = true;
			v->i = n;
		}
		return;
	}
	v->kind = REC_OBJECT;
	v->s = xstrdup(o->to_string);
	/* A Ref repeats an object written before: its string form is enough. */
	if (!cv->is_ref && depth < MAX_NEST) {
		v->obj = xcalloc(1, sizeof *v->obj);
		cx_to_record(o, v->obj, depth + 1);
	}
}

static void
cx_to_record(const struct cx_obj *o, struct record *r, int depth)
{
	size_t	i;

	record_init(r);
	r->line = o->line;
	r->to_string = xstrdup(o->to_string);
	for (i = 0; o->tn != NULL && i < o->tn->n; i++)
		strlist_add(&r->types, o->tn->v[i]);
	for (i = 0; i < o->nprops; i++)
		if (o->props[i].name != NULL)
			cx_value_to_rec(&o->props[i], record_add(r,
			    o->props[i].name, o->props[i].line), depth);
}

/* RawData and SerializationData first; the record fills in the rest. */
static void
ingest_cert(struct cx_ingest *ci, const struct cx_obj *o,
    const struct record *r)
{
	struct ev_cert	c;

	ev_cert_init(&c);
	cert_from_raw(ci, o, &c);
	cert_from_nrbf(ci, o, &c);
	if (map_cert(&ci->ctx, r, &c) > 0)
		ci->ctx.added++;
	else
		ci->ctx.skipped++;
}

/* ------------------------------------------------------------ dispatch */

static void
ingest_value(struct cx_ingest *ci, const struct cx_value *v, int nest)
{
	const struct cx_obj	*o = cx_value_obj(v);
	struct record		 r;
	const struct ev_kind	*k;
	size_t			 i;

	/* A Ref repeats an object already read: do not count it twice. */
	if (o == NULL || v->is_ref)
		return;
	cx_to_record(o, &r, 0);
	k = record_classify(&r);
	if (k == &ev_kind_certificates)
		ingest_cert(ci, o, &r);
	else if (k != NULL || o->container == CX_CONT_NONE)
		(void)map_record(&ci->ctx, &r);
	else if (nest < MAX_NEST)
		/* Export-Clixml -InputObject $list writes one list object. */
		for (i = 0; i < o->nitems; i++)
			ingest_value(ci, &o->items[i], nest + 1);
	record_free(&r);
}

int
ingest_clixml(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct parse_diag pd;
	struct cx_doc	*doc;
	struct cx_ingest ci;
	size_t		 i;

	/* The reader reports its own problems, with their lines. */
	parse_diag_init(&pd, &ev->diags, source);
	doc = clixml_parse(text, len, &pd);
	ci.ev = ev;
	ci.source = source;
	map_ctx_init(&ci.ctx, ev, source, "CliXml", 2);
	for (i = 0; i < doc->ntop; i++)
		ingest_value(&ci, &doc->top[i], 0);
	map_ctx_finish(&ci.ctx);
	if (doc->stopped_line > 0 && ci.ctx.added == 0) {
		clixml_free(doc);
		return -1;
	}
	if (ci.ctx.added == 0 && doc->stopped_line == 0 && ci.ctx.skipped == 0 &&
	    ci.ctx.events_irrelevant == 0 &&
	    ci.ctx.foreign == 0)
		diag_add(&ev->diags, DIAG_INFO, source, "CliXml with %zu "
		    "top-level object(s): no certificate, connector, transport "
		    "service, queue or event certtrail reads", doc->ntop);
	clixml_free(doc);
	if (ci.ctx.added == 0 && ci.ctx.skipped > 0)
		return -1;
	return (int)ci.ctx.added;
}

/* ------------------------------------------------------------ detection */

static bool
starts_with(const char *s, size_t len, const char *prefix)
{
	size_t	n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

bool
ingest_clixml_sniff(const struct sniff_text *st)
{
	size_t	head = st->len < SNIFF_HEAD ? st->len : SNIFF_HEAD;

	if (!starts_with(st->s, st->len, "<Objs") &&
	    !starts_with(st->s, st->len, "<?xml"))
		return false;
	return sniff_contains(st->s, head < 1024 ? head : 1024, "<Objs") &&
	    sniff_contains(st->s, head, "schemas.microsoft.com/powershell/2004/04");
}

static int
bid_clixml(const struct ingest_entry *e)
{
	return ingest_clixml_sniff(e->sniff) ? 80 : 0;
}

static int
read_clixml(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_clixml(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_clixml = {
	.name = "clixml", .one = "CliXml file without Exchange objects",
	.many = "CliXml files without Exchange objects",
	.text = true, .best = 80, .bid = bid_clixml, .ingest = read_clixml,
};

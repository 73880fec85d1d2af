/*
 * HealthChecker's exported data: HealthChecker-SERVER-yyyyMMddHHmmss.xml,
 * written by `$analyzedResults | Export-Clixml -Depth 2` of the analyzed
 * object (HealthCheckerExchangeServer, HtmlServerValues, DisplayResults).
 * Export-Clixml's depth does not apply to [pscustomobject] values, lists
 * and hash tables, which HealthChecker's object is made of, so the whole
 * tree is there; the .NET objects inside it (an ExchangeCertificate, the
 * AuthConfig) keep their own properties one level down. What is read:
 *
 *   HealthCheckerExchangeServer.ServerName, .GenerationTime
 *   ...ExchangeInformation.ExchangeCertificateInformation
 *        .CustomCertificates[]  Thumbprint, Subject, Issuer, FriendlyName,
 *                               Services, Namespaces, LifetimeInDays,
 *                               Status, PublicKeySize,
 *                               IsCurrentAuthConfigCertificate,
 *                               IsNextAuthConfigCertificate,
 *                               IsInternalTransportCertificate,
 *                               CertificateObject (RawData, HasPrivateKey)
 *        .Certificates[]        ExchangeCertificate objects (RawData)
 *        .InternalCertificateThumbprint
 *   ...OSInformation.TLSSettings.Registry.TLS{"1.0".."1.3"}
 *        ServerEnabled, ClientEnabled, TLSConfiguration
 *   ...OSInformation.TLSSettings.Registry.NET{"NETv4","NETv2"}
 *        SystemDefaultTlsVersionsValue, SchUseStrongCryptoValue and their
 *        Wow6432Node twins (Nil: not set)
 *   ...OSInformation.TLSSettings.SecurityProtocol
 *   ...OrganizationInformation.GetAuthConfig.CurrentCertificateThumbprint,
 *        .NextCertificateThumbprint
 *
 * The names are looked for wherever they are in the tree, so a reduced
 * export (a certificate written as its "@{Name=value; ...}" string, as a
 * value past the serialization depth reads) gives what it still holds.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clixml.h"
#include "formats.h"
#include "healthchecker.h"
#include "ingest.h"
#include "util/parse_diag.h"
#include "x509.h"

#define WALK_MAX_DEPTH	16

struct hc_xml {
	struct hc_report	*r;
	struct parse_diag	 pd;
	bool			 custom_seen;
};

static const char *
prop_str(const struct cx_obj *o, const char *name)
{
	const char	*s = cx_value_string(cx_obj_prop(o, name));

	return s != NULL && *s != '\0' ? s : NULL;
}

static tri_t
prop_tri(const struct cx_obj *o, const char *name)
{
	const struct cx_value	*v = cx_obj_prop(o, name);
	int			 b = cx_value_bool(v);

	if (b >= 0)
		return b ? TRI_TRUE : TRI_FALSE;
	return hc_bool(cx_value_string(v));	/* "InvalidAuthConfig": unknown */
}

/* The certificate of the report with this thumbprint, or a new one. */
static struct ev_cert *
cert_for(struct hc_report *r, const char *thumbprint, long line)
{
	struct ev_cert	*c;
	char		*tp = thumbprint_normalize(thumbprint);
	size_t		 i;

	if (tp == NULL)
		return NULL;
	for (i = 0; i < r->ncerts; i++)
		if (str_eq_ci(r->certs[i].thumbprint, tp)) {
			free(tp);
			return &r->certs[i];
		}
	c = hc_cert_new(r, line);
	c->thumbprint = tp;
	return c;
}

/* An ExchangeCertificate or X509Certificate2 object: RawData and key. */
static void
cert_object(struct hc_xml *x, struct ev_cert *c, const struct cx_obj *o)
{
	const struct cx_value	*raw = cx_obj_prop(o, "RawData");
	int64_t			 t;
	tri_t			 key;

	if (raw != NULL && raw->type == CX_BYTES && raw->bytes != NULL) {
		x->pd.what = "certificate RawData";
		x->pd.base_line = raw->line;
		(void)x509_cert_fill(c, raw->bytes, raw->nbytes, &x->pd);
	}
	if (c->not_after == TIME_UNKNOWN &&
	    cx_value_time(cx_obj_prop(o, "NotAfter"), &t)) {
		c->not_after = t;
		if (cx_value_time(cx_obj_prop(o, "NotBefore"), &t))
			c->not_before = t;
		c->dates_exact = true;
	}
	if ((key = prop_tri(o, "HasPrivateKey")) != TRI_UNKNOWN)
		c->has_private_key = key;
	if (c->services == SERVICES_UNKNOWN)
		c->services = hc_services(prop_str(o, "Services"));
}

static void
set_str(char **dst, const char *v)
{
	if (*dst == NULL && v != NULL && *v != '\0')
		*dst = xstrdup(v);
}

static void
namespaces(struct ev_cert *c, const struct cx_value *v)
{
	const struct cx_obj	*l = cx_value_obj(v);
	const char		*s;
	size_t			 i;

	if (l == NULL || l->container == CX_CONT_NONE) {
		s = cx_value_string(v);
		if (s != NULL && ascii_casecmp(s, "None") != 0 && *s != '\0')
			strlist_add_unique_ci(&c->domains, s);
		c->domains_known = s != NULL;
		return;
	}
	for (i = 0; i < l->nitems; i++) {
		s = cx_value_string(&l->items[i]);
		if (s != NULL && *s != '\0' && ascii_casecmp(s, "None") != 0)
			strlist_add_unique_ci(&c->domains, s);
	}
	c->domains_known = true;
}

/* One of CustomCertificates: HealthChecker's view of a certificate. */
static void
custom_cert(struct hc_xml *x, const struct cx_obj *o)
{
	struct ev_cert		*c;
	struct hc_flags		*f;
	const struct cx_obj	*co;
	int64_t			 n;

	if ((c = cert_for(x->r, prop_str(o, "Thumbprint"), o->line)) == NULL)
		return;
	if ((co = cx_value_obj(cx_obj_prop(o, "CertificateObject"))) != NULL)
		cert_object(x, c, co);
	set_str(&c->subject, prop_str(o, "Subject"));
	set_str(&c->issuer, prop_str(o, "Issuer"));
	set_str(&c->friendly_name, prop_str(o, "FriendlyName"));
	set_str(&c->status, prop_str(o, "Status"));
	if (c->services == SERVICES_UNKNOWN)
		c->services = hc_services(prop_str(o, "Services"));
	if (!c->domains_known && cx_obj_prop(o, "Namespaces") != NULL)
		namespaces(c, cx_obj_prop(o, "Namespaces"));
	if (cx_value_int(cx_obj_prop(o, "LifetimeInDays"), &n) &&
	    n > -100000 && n < 100000)
		c->lifetime_days = (int)n;
	if (c->key_bits < 0 && cx_value_int(cx_obj_prop(o, "PublicKeySize"),
	    &n) && n > 0 && n < 65536)
		c->key_bits = (int)n;
	f = hc_cert_flags(x->r, c);
	f->current_auth = prop_tri(o, "IsCurrentAuthConfigCertificate");
	f->next_auth = prop_tri(o, "IsNextAuthConfigCertificate");
	f->internal_transport = prop_tri(o, "IsInternalTransportCertificate");
}

/* "@{FriendlyName=x; Thumbprint=...; Services=IMAP, POP}" */
static void
at_string_cert(struct hc_xml *x, const char *s, long line)
{
	struct ev_cert	*c;
	struct hc_flags	*f;
	const char	*p, *e, *eq;
	char		*k, *v, *tp = NULL, *end;
	long		 n;

	if (s == NULL || strncmp(s, "@{", 2) != 0)
		return;
	/* The thumbprint first: the record is keyed by it. */
	if ((p = strstr(s, "Thumbprint=")) != NULL) {
		for (e = p += strlen("Thumbprint="); *e && *e != ';' && *e != '}';
		    e++)
			;
		tp = xstrndup(p, (size_t)(e - p));
	}
	c = cert_for(x->r, tp, line);
	free(tp);
	if (c == NULL)
		return;
	f = hc_cert_flags(x->r, c);
	for (p = s + 2; *p != '\0' && *p != '}'; p = *e ? e + 1 : e) {
		while (*p == ' ')
			p++;
		for (e = p; *e != '\0' && *e != ';' && *e != '}'; e++)
			;
		if ((eq = memchr(p, '=', (size_t)(e - p))) == NULL)
			continue;
		k = xstrndup(p, (size_t)(eq - p));
		v = str_trim(xstrndup(eq + 1, (size_t)(e - eq - 1)));
		if (ascii_casecmp(k, "FriendlyName") == 0)
			set_str(&c->friendly_name, v);
		else if (ascii_casecmp(k, "Subject") == 0)
			set_str(&c->subject, v);
		else if (ascii_casecmp(k, "Issuer") == 0)
			set_str(&c->issuer, v);
		else if (ascii_casecmp(k, "Status") == 0)
			set_str(&c->status, v);
		else if (ascii_casecmp(k, "Services") == 0 &&
		    c->services == SERVICES_UNKNOWN)
			c->services = hc_services(v);
		else if (ascii_casecmp(k, "LifetimeInDays") == 0 &&
		    (n = strtol(v, &end, 10), *v && !*end) && n > -100000 &&
		    n < 100000)
			c->lifetime_days = (int)n;
		else if (ascii_casecmp(k, "IsCurrentAuthConfigCertificate") == 0)
			f->current_auth = hc_bool(v);
		else if (ascii_casecmp(k, "IsNextAuthConfigCertificate") == 0)
			f->next_auth = hc_bool(v);
		else if (ascii_casecmp(k, "IsInternalTransportCertificate") == 0)
			f->internal_transport = hc_bool(v);
		free(k);
		free(v);
	}
}

static void
certificate_list(struct hc_xml *x, const struct cx_value *v, bool custom)
{
	const struct cx_obj	*l = cx_value_obj(v), *o;
	size_t			 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nitems; i++) {
		if ((o = cx_value_obj(&l->items[i])) != NULL && o->prim == NULL) {
			if (custom)
				custom_cert(x, o);
			else {
				struct ev_cert *c = cert_for(x->r,
				    prop_str(o, "Thumbprint"), o->line);

				if (c != NULL)
					cert_object(x, c, o);
			}
		} else
			at_string_cert(x, cx_value_string(&l->items[i]),
			    l->items[i].line);
	}
}

/* ---------------------------------------------------------- TLS settings */

static void
tls_versions(struct hc_xml *x, const struct cx_obj *d)
{
	struct ev_tls_settings	*s = &x->r->tls;
	const struct cx_obj	*o;
	const char		*k;
	size_t			 i, v;

	for (i = 0; d != NULL && i < d->nentries; i++) {
		k = cx_value_string(&d->entries[i].key);
		o = cx_value_obj(&d->entries[i].value);
		for (v = 0; k != NULL && o != NULL && v < TLS_NVERSIONS; v++) {
			if (strcmp(k, tls_version_name(v)) != 0)
				continue;
			s->server_enabled[v] = prop_tri(o, "ServerEnabled");
			s->client_enabled[v] = prop_tri(o, "ClientEnabled");
			set_str(&s->configuration[v], prop_str(o,
			    "TLSConfiguration"));
			x->r->tls_seen = true;
		}
	}
}

/* A registry value: its number, "not set" when Nil, NULL when absent. */
static char *
reg_value(const struct cx_obj *o, const char *name)
{
	const struct cx_value	*v = cx_obj_prop(o, name);

	if (v == NULL)
		return NULL;
	if (v->type == CX_NIL)
		return xstrdup("not set");
	return hc_registry_value(cx_value_string(v));
}

static void
net_versions(struct hc_xml *x, const struct cx_obj *d)
{
	static const char *const names[NET_NVALUES] = {
		"SystemDefaultTlsVersionsValue", "SchUseStrongCryptoValue",
		"WowSystemDefaultTlsVersionsValue", "WowSchUseStrongCryptoValue",
	};
	struct ev_tls_settings	*s = &x->r->tls;
	const struct cx_obj	*o;
	const char		*k;
	size_t			 i, j;
	int			 n;

	for (i = 0; d != NULL && i < d->nentries; i++) {
		k = cx_value_string(&d->entries[i].key);
		o = cx_value_obj(&d->entries[i].value);
		if (k == NULL || o == NULL)
			continue;
		if (ascii_casecmp(k, "NETv4") == 0)
			n = NET_V4;
		else if (ascii_casecmp(k, "NETv2") == 0)
			n = NET_V2;
		else
			continue;
		for (j = 0; j < NET_NVALUES; j++)
			if (s->net[n][j] == NULL)
				s->net[n][j] = reg_value(o, names[j]);
		x->r->tls_seen = true;
	}
}

static void
tls_settings(struct hc_xml *x, const struct cx_obj *o)
{
	const struct cx_obj	*reg = cx_value_obj(cx_obj_prop(o, "Registry"));

	if (reg != NULL) {
		tls_versions(x, cx_value_obj(cx_obj_prop(reg, "TLS")));
		net_versions(x, cx_value_obj(cx_obj_prop(reg, "NET")));
	}
	set_str(&x->r->tls.security_protocol, prop_str(o, "SecurityProtocol"));
}

static void
auth_config(struct hc_xml *x, const struct cx_obj *o)
{
	char	*tp;

	if ((tp = thumbprint_normalize(prop_str(o,
	    "CurrentCertificateThumbprint"))) != NULL &&
	    x->r->tls.auth_certificate == NULL)
		x->r->tls.auth_certificate = tp;
	else
		free(tp);
	if ((tp = thumbprint_normalize(prop_str(o,
	    "NextCertificateThumbprint"))) != NULL &&
	    x->r->tls.next_auth_certificate == NULL)
		x->r->tls.next_auth_certificate = tp;
	else
		free(tp);
}

/* ---------------------------------------------------------------- walk */

static void walk_obj(struct hc_xml *, const struct cx_obj *, int);

static void
walk_value(struct hc_xml *x, const struct cx_value *v, int depth)
{
	const struct cx_obj	*o = cx_value_obj(v);

	/* A Ref repeats an object already walked. */
	if (o != NULL && !v->is_ref)
		walk_obj(x, o, depth + 1);
}

static void
walk_obj(struct hc_xml *x, const struct cx_obj *o, int depth)
{
	const struct cx_value	*p;
	const char		*name;
	int64_t			 t;
	size_t			 i;

	if (depth > WALK_MAX_DEPTH)
		return;
	for (i = 0; i < o->nprops; i++) {
		p = &o->props[i];
		if ((name = p->name) == NULL)
			continue;
		if (ascii_casecmp(name, "DisplayResults") == 0 ||
		    ascii_casecmp(name, "HtmlServerValues") == 0)
			continue;	/* what the reports show, read below */
		if (ascii_casecmp(name, "ServerName") == 0 && x->r->server == NULL)
			set_str(&x->r->server, cx_value_string(p));
		else if (ascii_casecmp(name, "GenerationTime") == 0 &&
		    x->r->generated == TIME_UNKNOWN && cx_value_time(p, &t)) {
			x->r->generated = t;
			x->r->generated_exact = true;
		} else if (ascii_casecmp(name, "CustomCertificates") == 0 ||
		    ascii_casecmp(name, "ExchangeCertificates") == 0) {
			certificate_list(x, p, true);
			continue;
		} else if (ascii_casecmp(name, "Certificates") == 0) {
			certificate_list(x, p, false);
			continue;
		} else if (ascii_casecmp(name, "InternalCertificateThumbprint") ==
		    0) {
			char *tp = thumbprint_normalize(cx_value_string(p));

			if (x->r->tls.internal_transport_certificate == NULL)
				x->r->tls.internal_transport_certificate = tp;
			else
				free(tp);
		} else if (ascii_casecmp(name, "TLSSettings") == 0 &&
		    cx_value_obj(p) != NULL) {
			tls_settings(x, cx_value_obj(p));
			continue;
		} else if (ascii_casecmp(name, "GetAuthConfig") == 0 &&
		    cx_value_obj(p) != NULL) {
			auth_config(x, cx_value_obj(p));
			continue;
		}
		walk_value(x, p, depth);
	}
	for (i = 0; i < o->nitems; i++)
		walk_value(x, &o->items[i], depth);
	for (i = 0; i < o->nentries; i++)
		walk_value(x, &o->entries[i].value, depth);
}

int
ingest_healthchecker_xml(struct evidence *ev, const char *source,
    const char *text, size_t len)
{
	struct hc_report	 r;
	struct hc_xml		 x;
	struct cx_doc		*doc;
	int64_t			 stamp;
	char			*name_server = NULL;
	int			 n;
	size_t			 i;

	hc_report_init(&r, source, "HealthChecker XML");
	memset(&x, 0, sizeof x);
	x.r = &r;
	parse_diag_init(&x.pd, &ev->diags, source);
	doc = clixml_parse(text, len, &x.pd);
	for (i = 0; i < doc->ntop; i++)
		walk_value(&x, &doc->top[i], 0);
	clixml_free(doc);
	/* The file name says the server and time when the data does not. */
	if (hc_name_stamp(source, &stamp, &name_server)) {
		if (r.server == NULL)
			r.server = name_server;
		else
			free(name_server);
		if (r.generated == TIME_UNKNOWN)
			r.generated = stamp;
	}
	if (r.ncerts > 0)
		ev->saw_cert_dump = true;	/* HealthChecker ran Get-ExchangeCertificate */
	n = hc_report_commit(ev, &r);
	diag_add(&ev->diags, DIAG_INFO, source, "HealthChecker XML of %s: %zu "
	    "certificate%s, %s", r.server ? r.server : "an unnamed server",
	    r.ncerts, r.ncerts == 1 ? "" : "s", r.tls_seen ? "TLS settings" :
	    "no TLS settings");
	hc_report_free(&r);
	return n;
}

/* ------------------------------------------------------------ detection */

static int
bid_healthchecker_xml(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	size_t			 head = st->len < SNIFF_HEAD ? st->len : SNIFF_HEAD;

	return ingest_clixml_sniff(st) &&
	    sniff_contains(st->s, head, "\"HealthCheckerExchangeServer\"") ? 82 :
	    0;
}

static int
read_healthchecker_xml(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_healthchecker_xml(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_healthchecker_xml = {
	.name = "healthchecker-xml", .one = "HealthChecker XML export",
	.many = "HealthChecker XML exports",
	.text = true, .best = 82, .bid = bid_healthchecker_xml,
	.ingest = read_healthchecker_xml, .read_is_evidence = true,
};

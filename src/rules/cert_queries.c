/*
 * What the rules and the symptoms ask of the certificate inventory: which
 * certificates a TlsCertificateName matches, which host names one covers,
 * whether it is expired, in use, or has a successor, and how its dates read.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/dn.h"
#include "model/kinds/auth_config.h"
#include "model/kinds/receive_connector.h"
#include "model/kinds/send_connector.h"
#include "model/kinds/tls_settings.h"
#include "cert_queries.h"
#include "commands.h"

void
cert_set_add(struct cert_set *s, const struct ev_cert *c)
{
	if (cert_set_contains(s, c))
		return;
	s->v = xreallocarray_grow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = c;
}

bool
cert_set_contains(const struct cert_set *s, const struct ev_cert *c)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == c)
			return true;
	return false;
}

void
cert_set_free(struct cert_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

bool
services_has(const struct ev_cert *c, int svc)
{
	return c->services != SERVICES_UNKNOWN && (c->services & svc) != 0;
}

bool
host_covered_by(const char *pat, const char *host)
{
	const char	*dot;

	if (pat == NULL || host == NULL || *pat == '\0')
		return false;
	if (pat[0] == '*' && pat[1] == '.') {
		/* One label only: *.contoso.com covers a.contoso.com, not
		 * a.b.contoso.com nor contoso.com. */
		dot = strchr(host, '.');
		return dot != NULL && dot != host &&
		    ascii_casecmp(dot + 1, pat + 2) == 0;
	}
	return ascii_casecmp(pat, host) == 0;
}

const char *
subject_cn(const char *subject, char *buf, size_t size)
{
	const char	*p, *e;
	size_t		 n;

	if (subject == NULL)
		return NULL;
	for (p = subject; (p = ascii_strcasestr(p, "CN=")) != NULL; p += 3)
		if (p == subject || p[-1] == ' ' || p[-1] == ',')
			break;
	if (p == NULL)
		return NULL;
	p += 3;
	e = strchr(p, ',');
	n = e ? (size_t)(e - p) : strlen(p);
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

bool
cert_covers(const struct ev_cert *c, const char *host)
{
	char	cn[256];
	size_t	i;

	for (i = 0; i < c->domains.n; i++)
		if (host_covered_by(c->domains.v[i], host))
			return true;
	if (c->domains.n == 0 && subject_cn(c->subject, cn, sizeof cn) != NULL)
		return host_covered_by(cn, host);
	return false;
}

enum dn_match
cert_name_compare(const struct tls_cert_name *tcn, const struct ev_cert *c)
{
	return tls_cert_name_compare(tcn, false, c->issuer, c->issuer_lossy,
	    c->subject, c->subject_lossy);
}

void
certs_matching_name(const struct evidence *ev, const char *server,
    const char *name, struct cert_set *out)
{
	struct tls_cert_name	tcn;
	size_t			i;

	tls_cert_name_parse(name, &tcn);
	for (i = 0; tcn.subject != NULL && i < ev->ncerts; i++) {
		const struct ev_cert *c = &ev->certs[i];

		/*
		 * A cut subject (table view) proves no match. One written as
		 * ASCII matches with its '?' standing for the characters lost:
		 * the same certificate, not a missing one.
		 */
		if (str_eq_ci(c->server, server) && !c->subject_incomplete &&
		    cert_name_compare(&tcn, c) != DN_DIFFERENT)
			cert_set_add(out, c);
	}
	tls_cert_name_clear(&tcn);
}

bool
certs_may_match_name(const struct evidence *ev, const char *server,
    const char *name)
{
	struct tls_cert_name	tcn;
	size_t			i;
	bool			may = false;

	tls_cert_name_parse(name, &tcn);
	for (i = 0; tcn.subject != NULL && !may && i < ev->ncerts; i++) {
		const struct ev_cert *c = &ev->certs[i];

		may = str_eq_ci(c->server, server) && c->subject == NULL &&
		    !c->file_only && (c->issuer == NULL || tcn.issuer == NULL ||
		    dn_equal(c->issuer, tcn.issuer));
	}
	tls_cert_name_clear(&tcn);
	return may;
}

const struct ev_cert *
cert_find(const struct evidence *ev, const char *server, const char *thumbprint)
{
	size_t	i;

	for (i = 0; thumbprint != NULL && i < ev->ncerts; i++)
		if (str_eq_ci(ev->certs[i].server, server) &&
		    ev->certs[i].thumbprint != NULL &&
		    ascii_casecmp(ev->certs[i].thumbprint, thumbprint) == 0)
			return &ev->certs[i];
	return NULL;
}

const char *
cert_time(const struct ev_cert *c, int64_t t, char *buf, size_t size)
{
	return time_text_zoned(t, c->dates_exact, buf, size);
}

const char *
cert_not_after_text(const struct ev_cert *c, char *buf, size_t size)
{
	if (c->not_after == TIME_UNKNOWN && c->not_after_written != NULL) {
		snprintf(buf, size, "%s (as written)", c->not_after_written);
		return buf;
	}
	if (c->not_after == TIME_UNKNOWN) {
		snprintf(buf, size, "a date the bundle does not give");
		return buf;
	}
	return cert_time(c, c->not_after, buf, size);
}

bool
cert_expired_at(const struct ev_cert *c, int64_t as_of)
{
	return cert_expiry_at(c, as_of) == CERT_EXPIRED;
}

void
cert_list_add(struct strlist *l, const struct ev_cert *c)
{
	if (c->thumbprint != NULL)
		strlist_add_unique_ci(l, c->thumbprint);
}

const char *
cert_tp_arg(const struct ev_cert *c, char *buf, size_t size)
{
	char	*opt, *cmd;

	if (c->thumbprint != NULL)
		return c->thumbprint;
	/* Found by its serial number, else asked for: never a placeholder. */
	opt = ps_server_opt(c->server);
	cmd = c->serial != NULL ? ps_cmd("(Get-ExchangeCertificate%s | "
	    "Where-Object {$_.SerialNumber -eq %Q}).Thumbprint", opt,
	    c->serial) : xstrdup("(Read-Host 'Thumbprint of the certificate')");
	snprintf(buf, size, "%s", cmd);
	free(cmd);
	free(opt);
	return buf;
}

bool
server_has_unnamed_cert(const struct evidence *ev, const char *server)
{
	size_t	i;

	for (i = 0; server != NULL && i < ev->ncerts; i++)
		if (ev->certs[i].thumbprint == NULL && !ev->certs[i].file_only &&
		    str_eq_ci(ev->certs[i].server, server))
			return true;
	return false;
}

bool
server_may_hold_unnamed(const struct evidence *ev, const char *server,
    const char *serial)
{
	size_t	i;

	for (i = 0; server != NULL && i < ev->ncerts; i++)
		if (ev->certs[i].thumbprint == NULL && !ev->certs[i].file_only &&
		    str_eq_ci(ev->certs[i].server, server) &&
		    (serial == NULL || ev->certs[i].serial == NULL))
			return true;
	return false;
}

bool
server_inventory_known(const struct evidence *ev, const char *server)
{
	size_t	i;

	for (i = 0; server != NULL && i < ev->ncerts; i++)
		if (str_eq_ci(ev->certs[i].server, server))
			return true;
	return false;
}

static bool
name_matches(const char *tls_name, const struct ev_cert *c)
{
	struct tls_cert_name	tcn;
	bool			m;

	tls_cert_name_parse(tls_name, &tcn);
	m = tcn.subject != NULL && cert_name_compare(&tcn, c) != DN_DIFFERENT;
	tls_cert_name_clear(&tcn);
	return m;
}

bool
cert_pinned(const struct evidence *ev, const struct ev_cert *c)
{
	size_t	i;

	if (c->server == NULL)
		return false;
	for (i = 0; i < ev->nsendc; i++)
		if (ev->sendc[i].tls_certificate_name != NULL &&
		    strlist_contains_ci(&ev->sendc[i].source_servers, c->server) &&
		    name_matches(ev->sendc[i].tls_certificate_name, c))
			return true;
	for (i = 0; i < ev->nrecvc; i++)
		if (ev->recvc[i].tls_certificate_name != NULL &&
		    str_eq_ci(ev->recvc[i].server, c->server) &&
		    name_matches(ev->recvc[i].tls_certificate_name, c))
			return true;
	return false;
}

/*
 * A renewal keeps the subject, or at least its CN and every domain: CAs
 * often add or drop O= and OU= between issues.
 */
static bool
same_name(const struct ev_cert *o, const struct ev_cert *c)
{
	char	a[256], b[256];
	size_t	i;

	/*
	 * A record whose Subject line was cut may be the renewal, or what it
	 * renews: the same issuer (or one not known) is all that can be told.
	 */
	if (o->subject == NULL || c->subject == NULL)
		return o->issuer == NULL || c->issuer == NULL ||
		    dn_equal(o->issuer, c->issuer);
	if (dn_equal(o->subject, c->subject))
		return true;
	if (subject_cn(o->subject, a, sizeof a) == NULL ||
	    subject_cn(c->subject, b, sizeof b) == NULL ||
	    ascii_casecmp(a, b) != 0)
		return false;
	for (i = 0; i < c->domains.n; i++)
		if (!strlist_contains_ci(&o->domains, c->domains.v[i]))
			return false;
	return true;
}

/* A renewal of c on its server: same name, later NotAfter, valid. */
static bool
renews(const struct ev_cert *o, const struct ev_cert *c, int64_t as_of)
{
	if (o == c || c->server == NULL || !str_eq_ci(o->server, c->server) ||
	    !same_name(o, c))
		return false;
	if (o->not_after != TIME_UNKNOWN && c->not_after != TIME_UNKNOWN)
		return o->not_after > c->not_after && !cert_expired_at(o, as_of);
	/*
	 * A date not read (its day/month order unknown): o outlives c when c
	 * has expired and o is valid, by its dates or, without them, by
	 * Exchange's own status.
	 */
	return cert_expired_at(c, as_of) && !cert_expired_at(o, as_of) &&
	    (o->not_after != TIME_UNKNOWN || str_eq_ci(o->status, "Valid"));
}

const struct ev_cert *
cert_successor(const struct evidence *ev, const struct ev_cert *c,
    int64_t as_of)
{
	const struct ev_cert	*o;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		o = &ev->certs[i];
		/* Unknown services on either side cannot prove a successor. */
		if (!renews(o, c, as_of) || c->services == SERVICES_UNKNOWN ||
		    o->services == SERVICES_UNKNOWN ||
		    (o->services & c->services) != c->services)
			continue;
		return o;
	}
	return NULL;
}

const struct ev_cert *
cert_successor_elsewhere(const struct evidence *ev, const struct ev_cert *c,
    int64_t as_of)
{
	const struct ev_cert	*o, *best = NULL;
	size_t			 i;

	for (i = 0; c->server != NULL && i < ev->ncerts; i++) {
		o = &ev->certs[i];
		if (o == c || o->file_only || o->server == NULL ||
		    o->thumbprint == NULL || str_eq_ci(o->server, c->server) ||
		    !same_name(o, c) || o->not_after == TIME_UNKNOWN ||
		    c->not_after == TIME_UNKNOWN || o->not_after <= c->not_after ||
		    cert_expired_at(o, as_of) || o->self_signed == TRI_TRUE ||
		    o->has_private_key == TRI_FALSE ||
		    o->private_key_exportable == TRI_FALSE)
			continue;
		if (best == NULL || o->not_after > best->not_after)
			best = o;
	}
	return best;
}

const struct ev_cert *
cert_short_successor(const struct evidence *ev, const struct ev_cert *c,
    int64_t as_of, int *missing)
{
	const struct ev_cert	*o, *best = NULL;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		o = &ev->certs[i];
		if (!renews(o, c, as_of) || c->services == SERVICES_UNKNOWN ||
		    o->services == SERVICES_UNKNOWN ||
		    (o->services & c->services) == c->services)
			continue;
		/* The latest renewal is the one to finish. */
		if (best == NULL || o->not_after > best->not_after)
			best = o;
	}
	if (best != NULL)
		*missing = c->services & ~best->services;
	return best;
}

void
cert_pinning_connectors(const struct evidence *ev, const struct ev_cert *c,
    struct strlist *out)
{
	struct tls_cert_name	tcn;
	size_t			i;

	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];

		if (sc->tls_certificate_name == NULL || c->server == NULL ||
		    !strlist_contains_ci(&sc->source_servers, c->server))
			continue;
		tls_cert_name_parse(sc->tls_certificate_name, &tcn);
		if (tcn.subject != NULL && tls_cert_name_matches(&tcn, c->issuer,
		    c->subject))
			strlist_add_unique_ci(out, sc->name);
		tls_cert_name_clear(&tcn);
	}
	for (i = 0; i < ev->nrecvc; i++) {
		const struct ev_receive_connector *rc = &ev->recvc[i];

		if (rc->tls_certificate_name == NULL || c->server == NULL ||
		    rc->server == NULL || ascii_casecmp(rc->server, c->server) != 0)
			continue;
		tls_cert_name_parse(rc->tls_certificate_name, &tcn);
		if (tcn.subject != NULL && tls_cert_name_matches(&tcn, c->issuer,
		    c->subject)) {
			char *id = xasprintf("%s\\%s", rc->server, rc->name);

			strlist_add_unique_ci(out, id);
			free(id);
		}
		tls_cert_name_clear(&tcn);
	}
}

/* The subject Exchange gives the Auth certificate it creates. */
#define AUTH_CN	"Microsoft Exchange Server Auth Certificate"

static bool
auth_named(const struct ev_cert *c)
{
	char	cn[256];

	return subject_cn(c->subject, cn, sizeof cn) != NULL &&
	    ascii_casecmp(cn, AUTH_CN) == 0;
}

const char *
auth_current_thumbprint(const struct evidence *ev, const char **from)
{
	const struct ev_cert	*c, *best = NULL;
	const char		*cur, *next;
	tri_t			 valid;
	size_t			 i;

	for (i = 0; i < ev->nauth_configs; i++)
		if (ev->auth_configs[i].current_thumbprint != NULL) {
			*from = "Get-AuthConfig";
			return ev->auth_configs[i].current_thumbprint;
		}
	for (i = 0; i < ev->ntls_settings; i++)
		if (auth_certificate_facts(ev, ev->tls_settings[i].server, &cur,
		    &next, &valid) && cur != NULL) {
			*from = "HealthChecker";
			return cur;
		}
	/* Without either, the latest certificate that bears its name. */
	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (auth_named(c) && c->thumbprint != NULL && (best == NULL ||
		    c->not_after > best->not_after))
			best = c;
	}
	*from = "its subject";
	return best != NULL ? best->thumbprint : NULL;
}

bool
cert_is_auth(const struct evidence *ev, const struct ev_cert *c)
{
	const struct ev_auth_config	*a;
	size_t				 i;

	if (auth_named(c) && c->domains.n == 0)
		return true;
	for (i = 0; i < ev->nauth_configs; i++) {
		a = &ev->auth_configs[i];
		if (str_eq_ci(a->current_thumbprint, c->thumbprint) ||
		    str_eq_ci(a->previous_thumbprint, c->thumbprint) ||
		    str_eq_ci(a->next_thumbprint, c->thumbprint))
			return true;
	}
	return false;
}

bool
cert_is_current_auth(const struct evidence *ev, const struct ev_cert *c)
{
	const char	*from, *tp = auth_current_thumbprint(ev, &from);

	return tp != NULL && str_eq_ci(tp, c->thumbprint);
}

bool
receive_connector_is_client(const struct ev_receive_connector *rc)
{
	size_t	i, n;

	if (rc == NULL)
		return false;
	for (i = 0; i < rc->bindings.n; i++) {
		n = strlen(rc->bindings.v[i]);
		if (n > 4 && strcmp(rc->bindings.v[i] + n - 4, ":587") == 0)
			return true;
	}
	/* Setup's names, when the bindings were not collected. */
	return !rc->bindings_known && rc->name != NULL &&
	    (strncmp(rc->name, "Client Frontend ", 16) == 0 ||
	    strncmp(rc->name, "Client Proxy ", 13) == 0);
}

static bool
in_an_inventory(const struct evidence *ev, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (str_eq_ci(ev->certs[i].thumbprint, tp))
			return true;
	return false;
}

const struct ev_tls_agg *
cert_renewal_in_logs(const struct evidence *ev, const struct ev_cert *c,
    const char *server)
{
	const struct ev_tls_agg	*t, *best = NULL;
	size_t			 i;

	if (c->subject == NULL || c->not_after == TIME_UNKNOWN)
		return NULL;
	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (!t->ok || t->cert_thumbprint == NULL || t->server == NULL ||
		    (server != NULL && ascii_casecmp(t->server, server) != 0) ||
		    str_eq_ci(t->cert_thumbprint, c->thumbprint) ||
		    t->cert_not_after == TIME_UNKNOWN ||
		    t->cert_not_after <= c->not_after ||
		    !dn_equal(t->cert_subject, c->subject) ||
		    (t->cert_issuer != NULL && c->issuer != NULL &&
		    !dn_equal(t->cert_issuer, c->issuer)) ||
		    in_an_inventory(ev, t->cert_thumbprint))
			continue;
		if (best == NULL || t->cert_not_after > best->cert_not_after)
			best = t;
	}
	return best;
}

void
cert_fact_evidence(struct finding *f, const struct ev_cert *c,
    const char *what)
{
	char	svc[96], na[48], *text;

	services_format(c->services, ", ", svc, sizeof svc);
	text = xasprintf("%s: certificate %s, subject %s, services %s, NotAfter "
	    "%s, %s", c->server ? c->server : "unknown server", CERT_LABEL(c),
	    c->subject ? c->subject : "unknown", svc,
	    cert_time(c, c->not_after, na, sizeof na), what);
	finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
	free(text);
}

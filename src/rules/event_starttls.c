/*
 * Event 12014 read as the connector and name it states: "Microsoft
 * Exchange could not find a certificate that contains the domain name N
 * ... for the connector C with a FQDN parameter of F". When the bundle's
 * connector exports did not already explain it (fqdn_coverage.c), the
 * event alone says which connector lost STARTTLS and for which name; the
 * server's certificate inventory then says why: no certificate contains
 * the name, the one that does lacks SMTP, has expired or has no key, or
 * the inventory was not collected. A Receive connector's event is
 * starttls-not-offered; a Send connector's connector-fqdn-not-covered.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/dn.h"
#include "model/kinds/event_facts.h"
#include "cert_steps.h"
#include "event_rules.h"
#include "event_rules_int.h"
#include "resolution.h"
#include "rules.h"

/* The 12014s of one connector on one server. */
struct group {
	const char		*server;	/* NULL: unknown */
	const char		*connector;	/* as the event names it; NULL */
	const char		*fqdn;
	const char		*sought;	/* the name no certificate had */
	const struct ev_event	*first;
	long			 count;
};

static const char *
sought_name(const struct ev_event *e)
{
	return e->cert_name != NULL ? e->cert_name : e->fqdn;
}

static size_t
groups_of_12014(const struct rule_ctx *ctx, struct group **out)
{
	const struct ev_event	*e;
	struct group		*v = NULL, *g;
	size_t			 n = 0, cap = 0, i, j;

	for (i = 0; i < ctx->ev->nevents; i++) {
		e = &ctx->ev->events[i];
		if (event_effective_id(e) != 12014 || !event_unclaimed(ctx, e))
			continue;
		for (j = 0; j < n; j++)
			if (str_eq_ci(v[j].server, e->server) &&
			    str_eq_ci(v[j].connector, e->connector) &&
			    str_eq_ci(v[j].sought, sought_name(e)))
				break;
		if (j == n) {
			v = xreallocarray_grow(v, &cap, n + 1, sizeof *v);
			g = &v[n++];
			memset(g, 0, sizeof *g);
			g->server = e->server;
			g->connector = e->connector;
			g->sought = sought_name(e);
			g->first = e;
		}
		g = &v[j];
		g->count++;
		if (g->fqdn == NULL)
			g->fqdn = e->fqdn;
	}
	*out = v;
	return n;
}

static const struct ev_send_connector *
send_connector_named(const struct evidence *ev, const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < ev->nsendc; i++)
		if (str_eq_ci(ev->sendc[i].name, name))
			return &ev->sendc[i];
	return NULL;
}

static const struct ev_receive_connector *
receive_connector_named(const struct evidence *ev, const char *server,
    const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < ev->nrecvc; i++)
		if (str_eq_ci(ev->recvc[i].name, name) &&
		    (server == NULL || str_eq_ci(ev->recvc[i].server, server)))
			return &ev->recvc[i];
	return NULL;
}

/*
 * The Receive connector of `server` whose TlsCertificateName is the name
 * an event sought without naming its connector (KB 2989382's 12014 ends
 * before it), or NULL.
 */
static const struct ev_receive_connector *
receive_connector_pinning(const struct evidence *ev, const char *server,
    const char *pinned)
{
	struct tls_cert_name	a, b;
	const struct ev_receive_connector *found = NULL;
	size_t			i;

	if (server == NULL || !name_is_pinned(pinned))
		return NULL;
	tls_cert_name_parse(pinned, &a);
	for (i = 0; i < ev->nrecvc; i++) {
		if (!str_eq_ci(ev->recvc[i].server, server) ||
		    ev->recvc[i].tls_certificate_name == NULL)
			continue;
		tls_cert_name_parse(ev->recvc[i].tls_certificate_name, &b);
		if (a.subject != NULL && b.subject != NULL &&
		    dn_equal(a.subject, b.subject) &&
		    (a.issuer == NULL || b.issuer == NULL ||
		    dn_equal(a.issuer, b.issuer)))
			found = found == NULL ? &ev->recvc[i] : found;
		tls_cert_name_clear(&b);
	}
	tls_cert_name_clear(&a);
	return found;
}

/* Exchange setup's default receive connectors are named after the server. */
static bool
default_receive_name(const char *name)
{
	static const char *const starts[] = { "Default ", "Client Proxy ",
	    "Client Frontend ", "Outbound Proxy Frontend " };
	size_t	i;

	for (i = 0; name != NULL && i < sizeof starts / sizeof starts[0]; i++)
		if (ascii_startswith_ci(name, starts[i]))
			return true;
	return false;
}

static void
claim_group(struct rule_ctx *ctx, struct finding *f, const struct group *g)
{
	const struct ev_event	*e;
	size_t			 i;

	for (i = 0; i < ctx->ev->nevents; i++) {
		e = &ctx->ev->events[i];
		if (event_effective_id(e) == 12014 &&
		    str_eq_ci(g->server, e->server) &&
		    str_eq_ci(g->connector, e->connector) &&
		    str_eq_ci(g->sought, sought_name(e)))
			(void)event_claim(ctx, f, e);
	}
}

/* The server's SMTP certificates and the names they contain, for evidence. */
static void
smtp_names_evidence(const struct rule_ctx *ctx, struct finding *f,
    const char *server)
{
	const struct ev_cert	*c;
	struct buf		 b;
	char			*text;
	size_t			 i, k;

	for (i = 0; server != NULL && i < ctx->ev->ncerts; i++) {
		c = &ctx->ev->certs[i];
		if (!str_eq_ci(c->server, server) || !services_has(c, SVC_SMTP))
			continue;
		buf_init(&b, 1 << 16);
		for (k = 0; k < c->domains.n; k++)
			buf_appendf(&b, "%s%s", k ? ", " : "", c->domains.v[k]);
		text = xasprintf("%s: certificate %s (%s), enabled for SMTP, "
		    "contains %s%s%s", server, c->thumbprint ? c->thumbprint :
		    "thumbprint unknown", c->subject ? c->subject :
		    "subject unknown", c->domains.n ? "{" : "no names",
		    b.data ? b.data : "", c->domains.n ? "}" : "");
		buf_free(&b);
		finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
		free(text);
	}
}

static void
verdict_evidence(struct finding *f, const struct inv_answer *a)
{
	const struct ev_cert	*c = a->cert;
	char			 svc[96], na[48], *text;

	if (c == NULL || c->thumbprint == NULL)
		return;
	services_format(c->services, ", ", svc, sizeof svc);
	text = xasprintf("%s: certificate %s, subject %s, services %s, "
	    "NotAfter %s, private key %s", c->server ? c->server :
	    "unknown server", c->thumbprint, c->subject ? c->subject :
	    "unknown", svc, cert_time(c, c->not_after, na, sizeof na),
	    tri_text(c->has_private_key));
	finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
	free(text);
}

/* "<I>...<S>CN=mail.contoso.com, O=..." -> "mail.contoso.com" for a request. */
static char *
host_of(const char *sought)
{
	const char	*s = sought ? ascii_strcasestr(sought, "<S>") : NULL;
	char		 cn[256];

	if (s == NULL)
		return xstrdup(sought);
	return subject_cn(s + 3, cn, sizeof cn) ? xstrdup(cn) : NULL;
}

/* A step, unless the finding has its command already (several servers). */
static void
step_once(struct finding *f, const char *text, const char *cmd)
{
	size_t	i;

	for (i = 0; cmd != NULL && i < f->nremediation; i++)
		if (f->remediation[i].command != NULL &&
		    strcmp(f->remediation[i].command, cmd) == 0)
			return;
	finding_add_step(f, text, cmd);
}

/* The remediation for what the inventory said. */
static void
steps(struct finding *f, const struct group *g, const struct inv_answer *a,
    const char *identity, bool send)
{
	const char	*srv = g->server;
	char		*cmd, *text, *host, svc[96];

	if (srv == NULL) {
		finding_add_step(f, "Find the server that logged the event and "
		    "collect its certificates and connectors.",
		    "Get-ExchangeServer | Format-List Name,Fqdn,ServerRole");
		return;
	}
	switch (a->verdict) {
	case INV_UNKNOWN:
		cmd = ps_cmd("Get-ExchangeCertificate -Server %q | Format-List "
		    "Thumbprint,Subject,Issuer,CertificateDomains,Services,"
		    "NotAfter,HasPrivateKey", srv);
		finding_add_step(f, "Collect the server's certificates: the one "
		    "the connector needs must contain the name, be enabled for "
		    "SMTP, valid and have its private key.", cmd);
		free(cmd);
		break;
	case INV_NO_SMTP:
	case INV_SERVICES_UNKNOWN:
	case INV_USABLE:
		if (a->verdict == INV_NO_SMTP) {
			services_format(a->cert->services | SVC_SMTP, ",", svc,
			    sizeof svc);
			cmd = ps_cmd("Enable-ExchangeCertificate -Server %q "
			    "-Thumbprint %s -Services %s", srv, CERT_TP_ARG(a->cert),
			    svc);
		} else
			cmd = ps_cmd("Enable-ExchangeCertificate -Server %q "
			    "-Thumbprint %s -Services SMTP", srv,
			    CERT_TP_ARG(a->cert));
		text = xasprintf("On %s: enable SMTP on certificate %s, the one "
		    "the event asks for (this also gives transport access to its "
		    "key); answer N to replacing the default SMTP certificate.",
		    srv, a->cert->thumbprint);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
		break;
	case INV_NONE:
	case INV_UNSURE:
	case INV_EXPIRED:
	case INV_NO_KEY:
		if ((host = host_of(g->sought)) == NULL)
			break;
		cmd = cert_request_cmd(srv, host);
		text = xasprintf("On %s: request a certificate that contains %s "
		    "from your CA, import the issued certificate with its key and "
		    "enable SMTP on it (answer N to replacing the default SMTP "
		    "certificate).", srv, host);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
		free(host);
		break;
	}
	if (identity == NULL) {
		cmd = ps_cmd("Get-ReceiveConnector -Server %q | Format-List "
		    "Identity,Fqdn,TlsCertificateName,AuthMechanism", srv);
		finding_add_step(f, "Find the connector whose Fqdn or "
		    "TlsCertificateName is the name the event gives.", cmd);
		free(cmd);
		return;
	}
	cmd = ps_cmd("%s %q | Format-List Fqdn,TlsCertificateName,%s",
	    send ? "Get-SendConnector" : "Get-ReceiveConnector", identity,
	    send ? "RequireTLS" : "AuthMechanism");
	step_once(f, "Check the connector's Fqdn and TlsCertificateName: "
	    "they must name a certificate the server has, or be changed to one.",
	    cmd);
	free(cmd);
}

static char *
identity_of(const struct group *g, const struct ev_receive_connector *rc)
{
	if (rc != NULL && rc->identity != NULL)
		return xstrdup(rc->identity);
	if (g->connector == NULL)
		return NULL;
	/* A receive connector's identity is SERVER\Name. */
	if (g->server != NULL)
		return xasprintf("%s\\%s", g->server, g->connector);
	return xstrdup(g->connector);
}

static char *
title_for(const char *who, const struct group *g, const struct inv_answer *a,
    const char *what)
{
	const char	*srv = g->server ? g->server : "its server";
	const char	*verb = name_is_pinned(g->sought) ? "matches" : "contains";
	char		*nw, *t;

	if (g->sought == NULL)
		return xasprintf("%s %s: event 12014 names no certificate name",
		    who, what);
	nw = name_words(g->sought);
	switch (a->verdict) {
	case INV_NONE:
		t = xasprintf("%s %s: no certificate installed on %s %s %s", who,
		    what, srv, verb, nw);
		break;
	case INV_NO_SMTP:
		t = xasprintf("%s %s: the certificate on %s that %s %s is not "
		    "enabled for SMTP", who, what, srv, verb, nw);
		break;
	case INV_EXPIRED:
		t = xasprintf("%s %s: the certificate on %s that %s %s has "
		    "expired", who, what, srv, verb, nw);
		break;
	case INV_NO_KEY:
		t = xasprintf("%s %s: the certificate on %s that %s %s has no "
		    "private key", who, what, srv, verb, nw);
		break;
	default:
		t = xasprintf("%s %s: event 12014 found no certificate on %s that "
		    "%s %s", who, what, srv, verb, nw);
		break;
	}
	free(nw);
	return t;
}

static char *
explain(const struct rule_ctx *ctx, const struct group *g, const char *who,
    const struct inv_answer *a, bool config_known, const char *consequence)
{
	struct buf	 b;
	char		*inv, *nw, when[64];

	buf_init(&b, 1 << 16);
	nw = g->sought ? name_words(g->sought) : xstrdup("the name it should "
	    "have");
	buf_appendf(&b, "Event 12014 (%ld time%s, first %s) says Exchange could "
	    "not find a certificate that %s %s for %s", g->count,
	    g->count == 1 ? "" : "s", event_time_words(g->first, when,
	    sizeof when), name_is_pinned(g->sought) ? "matches" : "contains",
	    nw, who);
	free(nw);
	if (g->fqdn != NULL && g->sought != NULL &&
	    ascii_casecmp(g->fqdn, g->sought) != 0)
		buf_appendf(&b, " (whose FQDN is %s)", g->fqdn);
	buf_appendf(&b, ". %s", consequence);
	if (g->sought != NULL) {
		inv = inventory_sentence(ctx, g->server, g->sought, a);
		buf_appendf(&b, " %s", inv);
		free(inv);
	}
	if (!config_known)
		buf_appendf(&b, " The connector is not in the bundle's connector "
		    "exports: what is said of it comes from the event.");
	return buf_steal(&b, NULL);
}

static void
refusals(struct rule_ctx *ctx, struct finding *f, const char *server,
    const char *identity)
{
	static const char *const refusal[] = { "STARTTLS is required",
	    "5.7.3 STARTTLS", "Must issue a STARTTLS", NULL };
	struct sym_match	m = { 0 };

	m.server = server;
	m.receive = -1;
	m.types = SYMBIT(SYM_QUEUE) | SYMBIT(SYM_RESPONSE);
	m.errors = refusal;
	if (rule_claim_std(ctx, f, &m, true) > 0)
		f->severity = SEV_CRITICAL;
	if (identity == NULL)
		return;
	m.types = SYMBIT(SYM_TLS_FAILURE);
	m.errors = NULL;
	m.connector = identity;
	m.receive = 1;
	(void)rule_claim_std(ctx, f, &m, true);
}

/*
 * The finding a certificate rule already made about the certificate the
 * inventory names: the event is its consequence, not a cause of its own.
 */
static struct finding *
cert_finding(struct rule_ctx *ctx, const struct inv_answer *a)
{
	const char	*rule;
	size_t		 i;

	switch (a->verdict) {
	case INV_EXPIRED:
		rule = "cert-expired";
		break;
	case INV_NO_SMTP:
		rule = "smtp-service-not-enabled";
		break;
	case INV_NO_KEY:
		rule = "cert-no-private-key";
		break;
	default:
		return NULL;
	}
	for (i = 0; a->cert->thumbprint != NULL && i < ctx->out->n; i++)
		if (strcmp(ctx->out->v[i].rule, rule) == 0 &&
		    strlist_contains_ci(&ctx->out->v[i].thumbprints,
		    a->cert->thumbprint))
			return &ctx->out->v[i];
	return NULL;
}

/*
 * An event 12014 of the past: the inventory now holds a usable certificate
 * for the name, and TLS on the Receive connector succeeded after the last
 * event. Only UTC event times are compared with the logs' (a local time
 * whose offset is unknown is never ordered against a UTC one).
 */
static bool
resolve_past(struct rule_ctx *ctx, struct finding *f, const struct group *g,
    const char *identity, const struct inv_answer *a)
{
	const struct ev_event	*e;
	const struct ev_tls_agg	*t;
	struct recovery		 rec;
	char			*change, *cmd, *text, a1[64];
	int64_t			 after;
	size_t			 i;
	bool			 presented;

	if (a->verdict != INV_USABLE || a->cert == NULL || identity == NULL ||
	    g->server == NULL)
		return false;
	memset(&rec, 0, sizeof rec);
	rec.first = rec.last = rec.ok_first = rec.ok_last = TIME_UNKNOWN;
	for (i = 0; i < ctx->ev->nevents; i++) {
		e = &ctx->ev->events[i];
		if (event_effective_id(e) != 12014 ||
		    !str_eq_ci(g->server, e->server) ||
		    !str_eq_ci(g->connector, e->connector) ||
		    !str_eq_ci(g->sought, sought_name(e)))
			continue;
		if (e->time == TIME_UNKNOWN || (rec.failures > 0 &&
		    rec.local == e->time_exact))
			return false;	/* no time, or clocks mixed */
		rec.local = !e->time_exact;
		if (rec.first == TIME_UNKNOWN || e->time < rec.first)
			rec.first = e->time;
		if (rec.last == TIME_UNKNOWN || e->time > rec.last)
			rec.last = e->time;
		rec.failures++;
	}
	if (rec.last == TIME_UNKNOWN)
		return false;
	/*
	 * The last event's UTC instant: at most 12 hours after its local
	 * figures, whatever the server's offset (UTC-12:00 to UTC+14:00).
	 */
	after = rec.local ? rec.last + 12 * 3600 : rec.last;
	for (i = 0; i < ctx->ev->ntls; i++) {
		t = &ctx->ev->tls[i];
		if (!t->ok || !t->receive || !str_eq_ci(t->server, g->server) ||
		    !str_eq_ci(t->connector, identity) ||
		    t->first == TIME_UNKNOWN || t->first <= after)
			continue;
		rec.ok += t->count;
		if (rec.ok_first == TIME_UNKNOWN || t->first < rec.ok_first)
			rec.ok_first = t->first;
		if (rec.ok_last == TIME_UNKNOWN || t->last > rec.ok_last)
			rec.ok_last = t->last;
		if (t->cert_thumbprint != NULL)
			strlist_add_unique_ci(&rec.ok_certs, t->cert_thumbprint);
	}
	if (rec.ok == 0) {
		recovery_free(&rec);
		return false;
	}
	strlist_add(&rec.connectors, identity);
	presented = a->cert->thumbprint != NULL &&
	    strlist_contains_ci(&rec.ok_certs, a->cert->thumbprint);
	change = xasprintf("certificate %s (%s), enabled for SMTP, contains %s "
	    "now (%s), and %s", CERT_LABEL(a->cert), a->cert->subject ?
	    a->cert->subject : "subject unknown", g->sought,
	    a->cert->ref.source != NULL ? a->cert->ref.source :
	    "the certificate export", presented ? "the TLS sessions on the "
	    "connector after the last event presented it" : "TLS on the "
	    "connector has succeeded since");
	free(f->title);
	f->title = xasprintf("Resolved: event 12014, last logged %s, found no "
	    "certificate containing %s for Receive connector \"%s\"; TLS on it "
	    "has worked since", time_text_zoned(rec.last, !rec.local, a1,
	    sizeof a1), g->sought,
	    identity);
	text = xasprintf("%s: certificate %s now, NotBefore %s, domains "
	    "include %s", g->server, CERT_LABEL(a->cert), cert_time(a->cert,
	    a->cert->not_before, a1, sizeof a1), g->sought);
	finding_add_evidence(f, a->cert->ref.source, a->cert->ref.line, text, 1);
	free(text);
	cmd = ps_cmd("Get-ExchangeCertificate -Server %q -Thumbprint %s | "
	    "Format-List Thumbprint,Services,CertificateDomains,NotAfter",
	    g->server, CERT_TP_ARG(a->cert));
	finding_mark_resolved(f, &rec, change, "Nothing to fix: a certificate "
	    "for the name is installed and the connector offers TLS again. To "
	    "confirm, read that certificate.", cmd);
	free(cmd);
	free(change);
	recovery_free(&rec);
	return true;
}

static void
report(struct rule_ctx *ctx, const struct group *g, bool send)
{
	const struct ev_receive_connector *rc = NULL;
	const struct ev_send_connector *sc = NULL;
	struct inv_answer	 a;
	struct finding		*f;
	char			*identity, *who, *title_who, *text;

	if (send) {
		sc = send_connector_named(ctx->ev, g->connector);
		identity = xstrdup(sc->name);
		who = xasprintf("the Send connector \"%s\"", identity);
		title_who = xasprintf("Send connector \"%s\"", identity);
	} else {
		rc = g->connector != NULL ? receive_connector_named(ctx->ev,
		    g->server, g->connector) : receive_connector_pinning(ctx->ev,
		    g->server, g->sought);
		identity = rc != NULL && rc->identity == NULL && g->connector == NULL ?
		    xasprintf("%s\\%s", rc->server, rc->name) : identity_of(g, rc);
		if (identity == NULL) {
			who = xstrdup("a connector the event does not name");
			title_who = xasprintf("A connector%s%s", g->server ?
			    " of " : "", g->server ? g->server : "");
		} else if (rc != NULL || default_receive_name(g->connector)) {
			who = xasprintf("the Receive connector \"%s\"", identity);
			title_who = xasprintf("Receive connector \"%s\"",
			    identity);
		} else {
			who = xasprintf("the connector \"%s\"", identity);
			title_who = xasprintf("Connector \"%s\"", identity);
		}
	}
	inventory_answer(ctx, g->server, g->sought, &a);
	if ((f = cert_finding(ctx, &a)) != NULL) {
		/* That certificate is why: the event is its symptom. */
		claim_group(ctx, f, g);
		if (identity != NULL)
			strlist_add_unique_ci(&f->connectors, identity);
		goto done;
	}
	f = findings_new(ctx->out, send ? "connector-fqdn-not-covered" :
	    "starttls-not-offered", SEV_HIGH);
	if (g->server != NULL)
		strlist_add(&f->servers, g->server);
	if (identity != NULL)
		strlist_add(&f->connectors, identity);
	if (a.cert != NULL && a.cert->thumbprint != NULL)
		strlist_add(&f->thumbprints, a.cert->thumbprint);
	f->title = title_for(title_who, g, &a, send ? "presents no "
	    "certificate for its FQDN" : "does not offer STARTTLS");
	f->explanation = explain(ctx, g, who, &a, rc != NULL || sc != NULL,
	    send ? "Transport then presents another certificate, or none; peers "
	    "that validate the name see a SubjectMismatch, and those that "
	    "require TLS refuse." : receive_connector_is_client(rc) ? "Without "
	    "such a certificate the connector leaves STARTTLS out of its EHLO "
	    "answer: clients that submit over TLS (Outlook, devices on port "
	    "587) cannot send." : "Without such a certificate the connector "
	    "leaves STARTTLS out of its EHLO answer: senders that require TLS "
	    "(partners, Exchange Online) refuse with \"451 5.7.3 STARTTLS is "
	    "required to send mail\", others send unencrypted.");
	claim_group(ctx, f, g);
	if (rc != NULL) {
		text = xasprintf("Receive connector \"%s\": Fqdn %s, "
		    "TlsCertificateName %s", identity, rc->fqdn ? rc->fqdn :
		    "unknown", rc->tls_certificate_name ?
		    rc->tls_certificate_name : "(not set)");
		finding_add_evidence(f, rc->ref.source, rc->ref.line, text, 1);
		free(text);
	} else if (sc != NULL) {
		text = xasprintf("Send connector \"%s\": Fqdn %s, "
		    "TlsCertificateName %s", sc->name, sc->fqdn ? sc->fqdn :
		    "unknown", sc->tls_certificate_name ?
		    sc->tls_certificate_name : "(not set)");
		finding_add_evidence(f, sc->ref.source, sc->ref.line, text, 1);
		free(text);
	}
	verdict_evidence(f, &a);
	if (a.verdict == INV_NONE || a.verdict == INV_UNSURE)
		smtp_names_evidence(ctx, f, g->server);
	if (!send)
		refusals(ctx, f, g->server, identity);
	if (a.verdict == INV_UNKNOWN && g->server != NULL &&
	    a.unattributed == 0) {
		char *what = xasprintf("the certificate inventory of %s, which "
		    "logged event 12014: it tells why no certificate contains "
		    "the name", g->server);
		char *file = xasprintf("%s-certificates.xml", g->server);
		char *cmd = ps_cmd("Get-ExchangeCertificate -Server %q | "
		    "Export-Clixml %q", g->server, file);

		free(file);

		gap_add(ctx->gaps, what, cmd);
		free(what);
		free(cmd);
	}
	steps(f, g, &a, identity, send);
	if (!send)
		(void)resolve_past(ctx, f, g, identity, &a);
	strlist_add(&f->references, send ? "Set-SendConnector -Fqdn "
	    "-TlsCertificateName; event 12014" : "Set-ReceiveConnector -Fqdn "
	    "-TlsCertificateName; event 12014");
done:
	free(identity);
	free(who);
	free(title_who);
}

void
fqdn_remediation(struct rule_ctx *ctx, struct finding *f, const char *server,
    const char *name, const char *identity, bool send)
{
	struct group		g;
	struct inv_answer	a;

	memset(&g, 0, sizeof g);
	g.server = server;
	g.sought = name;
	inventory_answer(ctx, server, name, &a);
	steps(f, &g, &a, identity, send);
}

void
starttls_from_events(struct rule_ctx *ctx)
{
	struct group	*v;
	size_t		 i, n;

	n = groups_of_12014(ctx, &v);
	for (i = 0; i < n; i++)
		if (send_connector_named(ctx->ev, v[i].connector) == NULL)
			report(ctx, &v[i], false);
	free(v);
}

void
fqdn_from_events(struct rule_ctx *ctx)
{
	struct group	*v;
	size_t		 i, n;

	n = groups_of_12014(ctx, &v);
	for (i = 0; i < n; i++)
		if (send_connector_named(ctx->ev, v[i].connector) != NULL)
			report(ctx, &v[i], true);
	free(v);
}

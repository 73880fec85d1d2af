/*
 * tls-cert-name-invalid and tls-cert-name-not-found: what a connector's
 * TlsCertificateName says, checked on every server that uses the connector
 * (each SourceTransportServer of a Send connector; a Receive connector's own
 * server). A value that cannot be parsed is reported as invalid and never
 * again as not found.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/dn.h"
#include "cert_steps.h"
#include "rules.h"

/* One connector of either kind, as these two rules see it. */
struct pinning {
	const char		*kind;		/* "Send", "Receive" */
	const char		*name;		/* Send: name; Receive: identity */
	const char		*value;		/* TlsCertificateName */
	tri_t			 enabled;
	tri_t			 require_tls;
	const struct strlist	*servers;	/* the servers that use it */
	const struct ev_ref	*ref;
	const char		*setter;	/* Set-SendConnector, ... */
};

static void
pinning_send(const struct ev_send_connector *sc, struct pinning *p)
{
	p->kind = "Send";
	p->name = sc->name;
	p->value = sc->tls_certificate_name;
	p->enabled = sc->enabled;
	p->require_tls = sc->require_tls;
	p->servers = &sc->source_servers;
	p->ref = &sc->ref;
	p->setter = "Set-SendConnector";
}

static void
pinning_receive(const struct ev_receive_connector *rc, struct strlist *one,
    struct pinning *p)
{
	p->kind = "Receive";
	p->name = rc->identity ? rc->identity : rc->name;
	p->value = rc->tls_certificate_name;
	p->enabled = rc->enabled;
	p->require_tls = rc->require_tls;
	memset(one, 0, sizeof *one);
	if (rc->server != NULL)
		strlist_add(one, rc->server);
	p->servers = one;
	p->ref = &rc->ref;
	p->setter = "Set-ReceiveConnector";
}

/* An SMTP certificate on `server` whose CN appears in the value, to suggest. */
static const struct ev_cert *
likely_intended(const struct evidence *ev, const char *server, const char *value)
{
	const struct ev_cert	*c, *best = NULL;
	char			 cn[256];
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (server != NULL && (c->server == NULL ||
		    ascii_casecmp(c->server, server) != 0))
			continue;
		if (!services_has(c, SVC_SMTP) ||
		    subject_cn(c->subject, cn, sizeof cn) == NULL ||
		    ascii_strcasestr(value, cn) == NULL)
			continue;
		if (best == NULL || c->not_after > best->not_after)
			best = c;
	}
	return best;
}

static void
report_invalid(struct rule_ctx *ctx, const struct pinning *p,
    const struct tls_cert_name *tcn)
{
	const char		*srv = p->servers->n ? p->servers->v[0] : NULL;
	const struct ev_cert	*c = likely_intended(ctx->ev, srv, p->value);
	struct finding		*f;
	char			*opt, *cmd, *text;

	f = findings_new(ctx->out, "tls-cert-name-invalid",
	    p->require_tls == TRI_TRUE ? SEV_HIGH : SEV_MEDIUM);
	strlist_add(&f->connectors, p->name);
	strlist_copy(&f->servers, p->servers);
	if (c != NULL)
		cert_list_add(&f->thumbprints, c);
	f->title = xasprintf("TlsCertificateName of %s connector \"%s\" is not "
	    "valid: %s", p->kind, p->name, tcn->problem ? tcn->problem :
	    "it cannot be parsed");
	f->explanation = xasprintf("The %s connector \"%s\" has TlsCertificateName "
	    "\"%s\". Exchange expects \"<I>issuer<S>subject\" built from a "
	    "certificate, and ignores a value it cannot use (%s): the connector "
	    "then uses a certificate chosen by FQDN instead of the one meant%s.",
	    p->kind, p->name, p->value, tcn->problem ? tcn->problem : "invalid",
	    p->require_tls == TRI_TRUE ? ", on a connector that requires TLS" : "");
	text = xasprintf("%s connector \"%s\": TlsCertificateName %s", p->kind,
	    p->name, p->value);
	finding_add_evidence(f, p->ref->source, p->ref->line, text, 1);
	free(text);
	if (c != NULL) {
		opt = ps_server_opt(srv);
		cmd = ps_cmd("$c = Get-ExchangeCertificate%s -Thumbprint %s", opt,
		    CERT_TP_ARG(c));
		free(opt);
	} else
		cmd = ps_choose_cert(srv, "c");
	finding_add_step(f, c ? "Take the certificate the value names (its CN "
	    "appears in the value)." : "Pick the certificate the connector "
	    "should use.", cmd);
	free(cmd);
	cmd = ps_cmd("%s %q -TlsCertificateName \"<I>$($c.Issuer)<S>$($c."
	    "Subject)\"", p->setter, p->name);
	finding_add_step(f, "Set the value again, built from the certificate "
	    "object so issuer and subject are exact.", cmd);
	free(cmd);
	strlist_add(&f->references, "Set-SendConnector -TlsCertificateName");
	strlist_add(&f->references, "CSS-Exchange HealthChecker: TlsCertificateName "
	    "syntax");
}

/* The certificate the value names, on some other server: to copy over. */
static const struct ev_cert *
named_elsewhere(const struct evidence *ev, const struct pinning *p)
{
	struct cert_set		 m = { 0 };
	const struct ev_cert	*c = NULL;
	size_t			 i;

	for (i = 0; c == NULL && i < p->servers->n; i++) {
		certs_matching_name(ev, p->servers->v[i], p->value, &m);
		if (m.n > 0)
			c = m.v[0];
		cert_set_free(&m);
	}
	return c;
}

/*
 * A valid certificate enabled for SMTP that every server using the
 * connector holds (the same thumbprint on each), to pin instead; NULL when
 * there is none.
 */
static const struct ev_cert *
on_every_server(const struct rule_ctx *ctx, const struct strlist *missing,
    const struct strlist *have)
{
	const struct ev_cert	*c, *o;
	size_t			 i, k;
	bool			 all;

	for (i = 0; i < ctx->ev->ncerts; i++) {
		c = &ctx->ev->certs[i];
		if (c->server == NULL || c->thumbprint == NULL ||
		    ascii_casecmp(c->server, missing->v[0]) != 0 ||
		    !services_has(c, SVC_SMTP) ||
		    c->domains.n == 0 || cert_expired_at(c, ctx->as_of) ||
		    c->not_after == TIME_UNKNOWN)
			continue;
		all = true;
		for (k = 0; all && k < missing->n + have->n; k++) {
			o = cert_find(ctx->ev, k < missing->n ? missing->v[k] :
			    have->v[k - missing->n], c->thumbprint);
			all = o != NULL && services_has(o, SVC_SMTP);
		}
		if (all)
			return c;
	}
	return NULL;
}

static void
report_not_found(struct rule_ctx *ctx, const struct pinning *p,
    const struct strlist *missing, const struct strlist *have)
{
	static const char *const queue_errors[] = {
		"4.7.5", "TlsCertificateName", "could not be found", NULL
	};
	static const long events[] = { 12014, 12023, 0 };
	const struct ev_cert	*src = named_elsewhere(ctx->ev, p);
	struct tls_cert_name	 tcn;
	struct sym_match	 m = { 0 };
	char			 cnbuf[256];
	const char		*cn;
	const struct ev_cert	*common;
	struct finding		*f;
	char			*list, *cmd, *text, *file;
	long			 seen = 0;
	size_t			 i;

	tls_cert_name_parse(p->value, &tcn);
	cn = subject_cn(tcn.subject, cnbuf, sizeof cnbuf);
	tls_cert_name_clear(&tcn);
	f = findings_new(ctx->out, "tls-cert-name-not-found",
	    p->enabled == TRI_FALSE ? SEV_MEDIUM : SEV_HIGH);
	strlist_add(&f->connectors, p->name);
	strlist_copy(&f->servers, missing);
	if (src != NULL)
		cert_list_add(&f->thumbprints, src);
	list = join_names(missing);
	f->title = xasprintf("%s connector \"%s\" pins a certificate that is "
	    "not installed on %s", p->kind, p->name, list);
	text = xasprintf("%s connector \"%s\": TlsCertificateName %s; no "
	    "certificate on %s matches it%s%s", p->kind, p->name, p->value, list,
	    have->n ? "; it is installed on " : "", have->n ? have->v[0] : "");
	finding_add_evidence(f, p->ref->source, p->ref->line, text, 1);
	free(text);
	for (i = 0; i < missing->n; i++) {
		m.server = missing->v[i];
		m.receive = -1;
		m.types = SYMBIT(SYM_CERT_MISSING);
		m.connector = p->name;
		rule_claim_std(ctx, f, &m, false);
		m.types = SYMBIT(SYM_QUEUE);
		m.errors = queue_errors;
		seen += rule_claim_std(ctx, f, &m, true);
		/* "454 4.7.5" in the connector's own log rows. */
		m.types = SYMBIT(SYM_RESPONSE);
		seen += rule_claim_std(ctx, f, &m, true);
		m.errors = NULL;
		m.types = SYMBIT(SYM_TLS_FAILURE);
		seen += rule_claim_std(ctx, f, &m, true);
		/* Only the events that name the pinned certificate's CN. */
		m.types = SYMBIT(SYM_EVENT);
		m.event_ids = events;
		m.event_text = cn;
		m.connector = NULL;
		if (cn != NULL)
			seen += rule_claim_std(ctx, f, &m, true);
		m.event_ids = NULL;
		m.event_text = NULL;
	}
	if (seen > 0 && p->enabled != TRI_FALSE)
		f->severity = SEV_CRITICAL;
	f->explanation = xasprintf("TlsCertificateName of the %s connector "
	    "\"%s\" names %s. Exchange looks that certificate up on the server "
	    "that uses the connector, and %s %s no certificate with that issuer "
	    "and subject. There the connector cannot use TLS: transport reports "
	    "\"454 4.7.5 The certificate specified in TlsCertificateName of the "
	    "SendConnector could not be found\" (event 12014 inbound)%s. %s",
	    p->kind, p->name, p->value, list, missing->n > 1 ? "have" : "has",
	    seen > 0 ? ", and the bundle shows exactly that" : "",
	    have->n ? "The servers that have it work, so the outage looks "
	    "intermittent: it depends on which source server takes the mail." :
	    "No server in the bundle has it.");
	for (i = 0; i < missing->n; i++) {
		if (src != NULL) {
			text = xasprintf("On %s: install the certificate with its "
			    "private key (exported from %s) and enable SMTP; answer "
			    "N to replacing the default SMTP certificate.",
			    missing->v[i], src->server);
			cert_copy_step(f, src, missing->v[i], "SMTP", text);
			free(text);
			continue;
		}
		file = ps_share_file(missing->v[i], "cert.pfx");
		cmd = ps_cmd("$c = Import-ExchangeCertificate -Server %q "
		    "-FileData ([System.IO.File]::ReadAllBytes(%Q)) "
		    "-Password (Get-Credential -UserName pfx -Message "
		    "'PFX password').Password\n"
		    "Enable-ExchangeCertificate -Server %q -Thumbprint "
		    "$c.Thumbprint -Services SMTP", missing->v[i], file,
		    missing->v[i]);
		free(file);
		text = xasprintf("On %s: import the certificate the connector "
		    "names, with its private key (its .pfx saved as cert.pfx "
		    "where the command reads it), and enable SMTP on it; "
		    "answer N to replacing the default SMTP certificate.",
		    missing->v[i]);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	if ((common = on_every_server(ctx, missing, have)) != NULL) {
		cmd = ps_cmd("$c = Get-ExchangeCertificate -Server %q -Thumbprint "
		    "%s\n%s %q -TlsCertificateName \"<I>$($c.Issuer)<S>$($c."
		    "Subject)\"", missing->v[0], CERT_TP_ARG(common), p->setter,
		    p->name);
		text = xasprintf("Or point the connector at certificate %s (%s), "
		    "which every server that uses it holds with SMTP enabled.",
		    common->thumbprint, common->subject ? common->subject :
		    "subject unknown");
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	cmd = ps_cmd("Get-Queue -Server %q | Where-Object {$_.Status -eq "
	    "\"Retry\"} | Retry-Queue", missing->v[0]);
	finding_add_step(f, "Retry the waiting mail.", cmd);
	free(cmd);
	free(list);
	strlist_add(&f->references, "Set-SendConnector -TlsCertificateName");
	strlist_add(&f->references, "Import-ExchangeCertificate; event 12014");
}

static void
check(struct rule_ctx *ctx, const struct pinning *p)
{
	struct tls_cert_name	 tcn;
	struct strlist		 missing = { 0 }, have = { 0 };
	struct cert_set		 m;
	size_t			 i;

	if (p->value == NULL || p->value[0] == '\0')
		return;
	tls_cert_name_parse(p->value, &tcn);
	if (!tcn.valid) {
		report_invalid(ctx, p, &tcn);
		tls_cert_name_clear(&tcn);
		return;
	}
	tls_cert_name_clear(&tcn);
	for (i = 0; i < p->servers->n; i++) {
		/* Without that server's inventory, absence is unknown. */
		if (!server_inventory_known(ctx->ev, p->servers->v[i]))
			continue;
		memset(&m, 0, sizeof m);
		certs_matching_name(ctx->ev, p->servers->v[i], p->value, &m);
		/* A record whose subject was cut may be the one. */
		if (m.n > 0 || !certs_may_match_name(ctx->ev,
		    p->servers->v[i], p->value))
			strlist_add(m.n ? &have : &missing, p->servers->v[i]);
		cert_set_free(&m);
	}
	if (missing.n > 0)
		report_not_found(ctx, p, &missing, &have);
	strlist_free(&missing);
	strlist_free(&have);
}

static void
run_all(struct rule_ctx *ctx, bool invalid)
{
	const struct evidence	*ev = ctx->ev;
	struct tls_cert_name	 tcn;
	struct pinning		 p;
	struct strlist		 one;
	size_t			 i;

	for (i = 0; i < ev->nsendc + ev->nrecvc; i++) {
		memset(&one, 0, sizeof one);
		if (i < ev->nsendc)
			pinning_send(&ev->sendc[i], &p);
		else
			pinning_receive(&ev->recvc[i - ev->nsendc], &one, &p);
		if (p.name != NULL && p.value != NULL && p.value[0] != '\0') {
			tls_cert_name_parse(p.value, &tcn);
			if (tcn.valid != invalid)
				check(ctx, &p);
			tls_cert_name_clear(&tcn);
		}
		strlist_free(&one);
	}
}

static void
run_tls_cert_name_invalid(struct rule_ctx *ctx)
{
	run_all(ctx, true);
}

const struct rule rule_tls_cert_name_invalid = {
	.id = "tls-cert-name-invalid",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a connector's TlsCertificateName is not a valid "
	    "<I>issuer<S>subject value",
	.checks = "The TlsCertificateName of every Send and Receive "
	    "connector: it must hold <S> with a subject that has a CN, and "
	    "nothing but an optional <I>issuer before it. High on a "
	    "connector that requires TLS, medium otherwise.",
	.why = "Transport ignores a value it cannot parse: the connector "
	    "falls back to a certificate chosen by FQDN, usually not the one "
	    "intended; HealthChecker reports the syntax as invalid.",
	.fix = "Build the value from the certificate object: $c = "
	    "Get-ExchangeCertificate -Thumbprint <TP>; Set-SendConnector "
	    "<Conn> -TlsCertificateName \"<I>$($c.Issuer)<S>$($c.Subject)\".",
	.refs = "Set-SendConnector -TlsCertificateName; Set-ReceiveConnector "
	    "-TlsCertificateName; CSS-Exchange HealthChecker",
	.run = run_tls_cert_name_invalid,
	.facts = {
		.problem = "The Send connector pins its certificate with a "
		    "malformed name",
		.fix = "Set the connector's TlsCertificateName from the "
		    "certificate's issuer and subject",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

static void
run_tls_cert_name_not_found(struct rule_ctx *ctx)
{
	run_all(ctx, false);
}

const struct rule rule_tls_cert_name_not_found = {
	.id = "tls-cert-name-not-found",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_CRITICAL,
	.line = "a connector's TlsCertificateName matches no certificate on "
	    "a server that uses the connector",
	.checks = "Each Send connector's TlsCertificateName against the "
	    "inventory of each of its SourceTransportServers, each Receive "
	    "connector's against its own server. Critical when queues, "
	    "handshakes, 454 4.7.5 responses in the logs or event 12014 show "
	    "the failure, high otherwise, medium when the connector is "
	    "disabled.",
	.why = "A server without the pinned certificate cannot offer or use "
	    "TLS on that connector: \"454 4.7.5 The certificate specified in "
	    "TlsCertificateName of the SendConnector could not be found\", "
	    "event 12014, STARTTLS missing inbound. Only the servers lacking "
	    "it fail, which makes the outage look intermittent.",
	.fix = "Install the certificate (with its private key, SMTP enabled) "
	    "on each server that lacks it, or point the connector at a "
	    "certificate present on every source server.",
	.refs = "Import-ExchangeCertificate; Set-SendConnector "
	    "-TlsCertificateName; event 12014",
	.run = run_tls_cert_name_not_found,
	.facts = {
		.problem = "The Send connector pins a certificate that is not "
		    "installed",
		.fix = "Install the certificate, or pin the connector to one "
		    "that is installed",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

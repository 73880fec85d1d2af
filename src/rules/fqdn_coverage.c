/*
 * starttls-not-offered and connector-fqdn-not-covered: Exchange picks the
 * certificate for a connector by its FQDN (unless TlsCertificateName pins
 * one). Where no SMTP-enabled certificate on the server covers that name, a
 * Receive connector stops offering STARTTLS (event 12014) and a Send
 * connector presents some other certificate. A wildcard covers one label.
 * Certificates with unknown services or a cut domain list leave the question
 * open, and the rules stay silent.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_rules.h"
#include "rules.h"

enum coverage { COVERED, NOT_COVERED, COVERAGE_UNKNOWN };

static enum coverage
coverage_on(const struct evidence *ev, const char *server, const char *host,
    const char *pinned)
{
	const struct ev_cert	*c;
	struct cert_set		 m = { 0 };
	bool			 unknown = false;
	size_t			 i;

	if (!server_inventory_known(ev, server) || host == NULL || *host == '\0')
		return COVERAGE_UNKNOWN;
	if (pinned != NULL && *pinned != '\0') {
		/* A pinned certificate that exists is used whatever the FQDN. */
		certs_matching_name(ev, server, pinned, &m);
		i = m.n;
		cert_set_free(&m);
		if (i > 0)
			return COVERED;
	}
	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->server == NULL || ascii_casecmp(c->server, server) != 0)
			continue;
		if (c->services == SERVICES_UNKNOWN) {
			unknown = true;
			continue;
		}
		if (!(c->services & SVC_SMTP))
			continue;
		if (cert_covers(c, host))
			return COVERED;
		/*
		 * A cut list may hide the name, and so may one never collected
		 * (the table view prints none) or a subject cut short; an
		 * empty list falls back to the subject CN, as Exchange does.
		 */
		if (c->domains_incomplete || !c->domains_known ||
		    (c->domains.n == 0 && c->subject_incomplete))
			unknown = true;
	}
	return unknown ? COVERAGE_UNKNOWN : NOT_COVERED;
}

static bool
has_finding(const struct rule_ctx *ctx, const char *rule, const char *conn)
{
	size_t	i;

	for (i = 0; i < ctx->out->n; i++)
		if (strcmp(ctx->out->v[i].rule, rule) == 0 &&
		    strlist_contains_ci(&ctx->out->v[i].connectors, conn))
			return true;
	return false;
}

/* The pinned certificate is missing there: that finding says it all. */
static bool
has_finding_on(const struct rule_ctx *ctx, const char *rule, const char *conn,
    const char *server)
{
	size_t	i;

	for (i = 0; i < ctx->out->n; i++)
		if (strcmp(ctx->out->v[i].rule, rule) == 0 &&
		    strlist_contains_ci(&ctx->out->v[i].connectors, conn) &&
		    strlist_contains_ci(&ctx->out->v[i].servers, server))
			return true;
	return false;
}

static bool
uses_tls(const struct ev_receive_connector *rc)
{
	size_t	i;

	if (!rc->auth_mechanism_known)
		return rc->require_tls == TRI_TRUE;
	for (i = 0; i < rc->auth_mechanism.n; i++)
		if (ascii_casecmp(rc->auth_mechanism.v[i], "Tls") == 0)
			return true;
	return rc->require_tls == TRI_TRUE;
}

static void
smtp_certs_evidence(const struct evidence *ev, const char *server,
    struct finding *f)
{
	const struct ev_cert	*c;
	char			*text;
	size_t			 i, k;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->server == NULL || ascii_casecmp(c->server, server) != 0 ||
		    !services_has(c, SVC_SMTP))
			continue;
		{
			struct buf b;

			buf_init(&b, 1 << 16);
			for (k = 0; k < c->domains.n; k++)
				buf_appendf(&b, "%s%s", k ? ", " : "", c->domains.v[k]);
			text = xasprintf("%s: SMTP certificate %s (%s) covers {%s}, "
			    "not the connector FQDN", server, CERT_LABEL(c),
			    c->subject ? c->subject : "subject unknown",
			    b.data ? b.data : "");
			buf_free(&b);
		}
		finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
		free(text);
	}
}

static void
run_starttls_not_offered(struct rule_ctx *ctx)
{
	static const long events[] = { 12014, 12023, 0 };
	static const char *const refusal[] = { "STARTTLS is required", "5.7.3 STARTTLS", NULL };
	const struct evidence	*ev = ctx->ev;
	const struct ev_receive_connector *rc;
	struct sym_match	 m = { 0 };
	struct finding		*f;
	const char		*name;
	char			*text;
	long			 ev_n, refused;
	size_t			 i;

	for (i = 0; i < ev->nrecvc; i++) {
		rc = &ev->recvc[i];
		name = rc->identity ? rc->identity : rc->name;
		if (rc->enabled == TRI_FALSE || rc->server == NULL || name == NULL ||
		    !uses_tls(rc) || coverage_on(ev, rc->server, rc->fqdn,
		    rc->tls_certificate_name) != NOT_COVERED)
			continue;
		m.types = SYMBIT(SYM_EVENT);
		m.server = rc->server;
		m.event_ids = events;
		m.event_text = rc->fqdn;
		m.receive = -1;
		m.errors = NULL;
		ev_n = rule_count_unclaimed(ctx, sym_match_std, &m);
		m.types = SYMBIT(SYM_QUEUE) | SYMBIT(SYM_RESPONSE);
		m.errors = refusal;
		refused = rule_count_unclaimed(ctx, sym_match_std, &m);
		/* Inbound handshakes failing on the connector count too. */
		m.types = SYMBIT(SYM_TLS_FAILURE);
		m.errors = NULL;
		m.connector = name;
		m.receive = 1;
		ev_n += rule_count_unclaimed(ctx, sym_match_std, &m);
		m.connector = NULL;
		m.receive = -1;
		if (ev_n == 0 && refused == 0)
			continue;	/* no sign it is not offered: the config rule */
		f = findings_new(ctx->out, "starttls-not-offered",
		    refused > 0 ? SEV_CRITICAL : SEV_HIGH);
		strlist_add(&f->servers, rc->server);
		strlist_add(&f->connectors, name);
		f->title = xasprintf("Receive connector \"%s\" does not offer "
		    "STARTTLS: no SMTP certificate on %s covers %s", name,
		    rc->server, rc->fqdn);
		f->explanation = xasprintf("Receive connector \"%s\" offers TLS "
		    "with FQDN %s, but no certificate enabled for SMTP on %s covers "
		    "that name. Transport then leaves STARTTLS out of its EHLO "
		    "answer and logs event 12014; senders that require TLS (partners, "
		    "Exchange Online) refuse with \"451 5.7.3 STARTTLS is required "
		    "to send mail\".", name, rc->fqdn, rc->server);
		text = xasprintf("Receive connector \"%s\": Fqdn %s, "
		    "TlsCertificateName %s", name, rc->fqdn,
		    rc->tls_certificate_name ? rc->tls_certificate_name : "(not set)");
		finding_add_evidence(f, rc->ref.source, rc->ref.line, text, 1);
		free(text);
		m.types = SYMBIT(SYM_EVENT);
		m.errors = NULL;
		rule_claim_std(ctx, f, &m, true);
		m.types = SYMBIT(SYM_QUEUE) | SYMBIT(SYM_RESPONSE);
		m.errors = refusal;
		rule_claim_std(ctx, f, &m, true);
		m.types = SYMBIT(SYM_TLS_FAILURE);
		m.errors = NULL;
		m.connector = name;
		m.receive = 1;
		rule_claim_std(ctx, f, &m, true);
		m.connector = NULL;
		m.receive = -1;
		smtp_certs_evidence(ev, rc->server, f);
		fqdn_remediation(ctx, f, rc->server, rc->fqdn, name, false);
		strlist_add(&f->references, "Set-ReceiveConnector -Fqdn "
		    "-TlsCertificateName; events 12014, 12023");
	}
	/* What the events say of connectors the exports do not explain. */
	starttls_from_events(ctx);
	/* What the receive logs' EHLO answers show. */
	starttls_from_sessions(ctx, ctx->out->n);
}

const struct rule rule_starttls_not_offered = {
	.id = "starttls-not-offered",
	.sev_min = SEV_HIGH, .sev_max = SEV_CRITICAL,
	.line = "a receive connector that should offer STARTTLS does not",
	.checks = "Receive connectors with Tls in AuthMechanism whose server "
	    "has no SMTP certificate covering the connector FQDN (or "
	    "matching its TlsCertificateName), shown by event 12014 or 12023 "
	    "naming it, by inbound handshakes failing on it, or by senders' "
	    "\"STARTTLS is required\" refusals; and receive log sessions "
	    "whose EHLO answer lacks STARTTLS on a connector that never "
	    "offered it in the logs or stopped and did not resume "
	    "(X-ANONYMOUSTLS counts as offered; a connector whose "
	    "AuthMechanism lacks Tls is not expected to offer it; one not in "
	    "the bundle is judged as Exchange creates them, with Tls). An "
	    "event 12014 alone names the connector and the name no "
	    "certificate contains; the finding then says what the server's "
	    "inventory shows about that name, or that it was not collected. "
	    "Critical with refusals (queues or 451 5.7.3 in the logs), high "
	    "otherwise.",
	.why = "Without STARTTLS, partners and Exchange Online that require "
	    "TLS refuse to send: \"451 5.7.3 STARTTLS is required to send "
	    "mail\".",
	.fix = "Enable SMTP on a certificate covering the connector FQDN on "
	    "that server, or fix TlsCertificateName.",
	.refs = "Set-ReceiveConnector -Fqdn -TlsCertificateName; events "
	    "12014, 12023",
	.run = run_starttls_not_offered,
	.facts = {
		.problem = "Inbound TLS fails because the Receive connector "
		    "offers no STARTTLS",
		.fix = "Have a certificate that covers the Receive connector's "
		    "FQDN, enabled for SMTP",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

static void
report_fqdn(struct rule_ctx *ctx, const char *kind, const char *name,
    const char *fqdn, const struct strlist *servers, tri_t require_tls,
    const struct ev_ref *ref, const char *setter)
{
	static const long events[] = { 12014, 0 };
	struct sym_match	 m = { 0 };
	struct finding		*f;
	char			*list, *text;
	long			 seen = 0;
	size_t			 i;

	f = findings_new(ctx->out, "connector-fqdn-not-covered",
	    require_tls == TRI_TRUE ? SEV_HIGH : SEV_MEDIUM);
	strlist_copy(&f->servers, servers);
	strlist_add(&f->connectors, name);
	list = join_names(servers);
	f->title = xasprintf("%s connector \"%s\": FQDN %s is covered by no "
	    "SMTP certificate on %s", kind, name, fqdn, list);
	text = xasprintf("%s connector \"%s\": Fqdn %s, RequireTLS %s", kind,
	    name, fqdn, tri_text(require_tls));
	finding_add_evidence(f, ref->source, ref->line, text, 1);
	free(text);
	for (i = 0; i < servers->n; i++) {
		m.types = SYMBIT(SYM_EVENT);
		m.server = servers->v[i];
		m.event_ids = events;
		m.event_text = fqdn;
		m.receive = -1;
		seen += rule_claim_std(ctx, f, &m, true);
		smtp_certs_evidence(ctx->ev, servers->v[i], f);
	}
	if (seen > 0)
		f->severity = SEV_HIGH;
	f->explanation = xasprintf("The %s connector \"%s\" uses FQDN %s, and "
	    "Exchange selects the certificate for a connector by that name. No "
	    "certificate enabled for SMTP on %s covers it (a wildcard covers one "
	    "label only), so transport logs event 12014 and presents another "
	    "certificate, or none%s. Peers that validate the name see a "
	    "SubjectMismatch.", kind, name, fqdn, list, seen > 0 ?
	    "; the event is in the bundle" : "");
	for (i = 0; i < servers->n; i++)
		fqdn_remediation(ctx, f, servers->v[i], fqdn, name,
		    strcmp(setter, "Set-SendConnector") == 0);
	free(list);
	strlist_add(&f->references, "Set-SendConnector -Fqdn; event 12014");
}

/*
 * When the coverage of a connector's FQDN stays open because a domain list
 * was never collected, the gap says so and how to collect it: the rule's
 * silence is not an answer.
 */
static void
gap_domains_unknown(struct rule_ctx *ctx, const char *server, const char *fqdn,
    const char *kind, const char *name)
{
	const struct ev_cert	*c;
	char			*what, *cmd;
	size_t			 i, n = 0;

	for (i = 0; i < ctx->ev->ncerts; i++) {
		c = &ctx->ev->certs[i];
		if (str_eq_ci(c->server, server) && services_has(c, SVC_SMTP) &&
		    !c->domains_known)
			n++;
	}
	if (n == 0)
		return;
	what = xasprintf("whether a certificate on %s covers FQDN %s of %s "
	    "connector \"%s\" is not known: the domain list of %zu SMTP "
	    "certificate%s there is not in the bundle (the table view, and "
	    "Format-List of chosen properties, print none)", server, fqdn, kind, name, n, n == 1 ? "" : "s");
	cmd = ps_cmd("Get-ExchangeCertificate -Server %q | Format-List", server);
	gap_add(ctx->gaps, what, cmd);
	free(what);
	free(cmd);
}

static void
run_connector_fqdn_not_covered(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	struct strlist		 bad;
	const char		*name;
	enum coverage		 cov;
	size_t			 i, j;

	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];

		if (sc->enabled == TRI_FALSE || sc->fqdn == NULL ||
		    *sc->fqdn == '\0')
			continue;
		memset(&bad, 0, sizeof bad);
		for (j = 0; j < sc->source_servers.n; j++) {
			cov = coverage_on(ev, sc->source_servers.v[j], sc->fqdn,
			    sc->tls_certificate_name);
			if (cov == COVERAGE_UNKNOWN)
				gap_domains_unknown(ctx, sc->source_servers.v[j],
				    sc->fqdn, "Send", sc->name);
			if (cov == NOT_COVERED && !has_finding_on(ctx,
			    "tls-cert-name-not-found", sc->name,
			    sc->source_servers.v[j]))
				strlist_add(&bad, sc->source_servers.v[j]);
		}
		if (bad.n > 0)
			report_fqdn(ctx, "Send", sc->name, sc->fqdn, &bad,
			    sc->require_tls, &sc->ref, "Set-SendConnector");
		strlist_free(&bad);
	}
	for (i = 0; i < ev->nrecvc; i++) {
		const struct ev_receive_connector *rc = &ev->recvc[i];

		name = rc->identity ? rc->identity : rc->name;
		if (rc->enabled == TRI_FALSE || rc->server == NULL || name == NULL ||
		    !uses_tls(rc) || has_finding(ctx, "starttls-not-offered", name))
			continue;
		cov = coverage_on(ev, rc->server, rc->fqdn,
		    rc->tls_certificate_name);
		if (cov == COVERAGE_UNKNOWN && rc->fqdn != NULL && *rc->fqdn != '\0')
			gap_domains_unknown(ctx, rc->server, rc->fqdn, "Receive",
			    name);
		if (cov != NOT_COVERED)
			continue;
		memset(&bad, 0, sizeof bad);
		strlist_add(&bad, rc->server);
		report_fqdn(ctx, "Receive", name, rc->fqdn, &bad, rc->require_tls,
		    &rc->ref, "Set-ReceiveConnector");
		strlist_free(&bad);
	}
	fqdn_from_events(ctx);
}

const struct rule rule_connector_fqdn_not_covered = {
	.id = "connector-fqdn-not-covered",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a connector FQDN is covered by no SMTP certificate on a "
	    "server that uses the connector",
	.checks = "The Fqdn of each Send connector (on each source server) "
	    "and Receive connector with TLS (on its server) against the "
	    "CertificateDomains of the SMTP-enabled certificates there; a "
	    "wildcard covers one label; an event 12014 naming a Send connector "
	    "of the bundle, with what the inventory shows about the name. High "
	    "when the connector requires TLS or event 12014 names it, medium "
	    "otherwise.",
	.why = "Exchange selects the certificate by FQDN: without a match it "
	    "logs 12014 and presents another certificate (SubjectMismatch at "
	    "the peer) or none.",
	.fix = "Install a certificate covering the FQDN and enable SMTP on "
	    "it, or change the connector's Fqdn or TlsCertificateName.",
	.refs = "Set-SendConnector -Fqdn; Set-ReceiveConnector -Fqdn; event "
	    "12014",
	.run = run_connector_fqdn_not_covered,
	.facts = {
		.problem = "The connector's FQDN is not on its certificate",
		.fix = "Use a certificate that covers the FQDN, or change the "
		    "FQDN",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

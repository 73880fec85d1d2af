/*
 * starttls-not-offered, from the receive logs: sessions whose EHLO answer
 * offered no STARTTLS on a connector that should offer it. The configuration
 * path (event 12014, an FQDN no certificate covers) is in fqdn_coverage.c;
 * this one adds the sessions to its finding, or reports what only the logs
 * show.
 *
 * Judgment, because the session aggregates cannot tell a real sender from a
 * load balancer probe that disconnects before EHLO (both show no STARTTLS):
 * a connector is reported only when no session offered STARTTLS after the
 * first one that lacked it, i.e. it never offered it in the logs, or it
 * stopped and did not resume. Sessions that offered X-ANONYMOUSTLS (the
 * Exchange-to-Exchange form) count as offering TLS. A connector whose
 * AuthMechanism is known and lacks Tls (an internal relay with TLS not
 * expected) is never reported; one missing from the bundle is judged as
 * Exchange creates them, with Tls.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "event_rules.h"
#include "rules.h"

struct ehlo_gap {
	const char	*server;
	const char	*connector;
	long		 missing;	/* sessions without STARTTLS */
	long		 offered;	/* sessions with it */
	long		 remotes;	/* remote hosts among the missing */
	int64_t		 first, last;	/* of the missing */
	int64_t		 offered_last;
	const struct ev_session_agg *sample;	/* earliest missing */
};

static void
widen(int64_t *first, int64_t *last, int64_t f, int64_t l)
{
	if (f != TIME_UNKNOWN && (*first == TIME_UNKNOWN || f < *first))
		*first = f;
	if (l != TIME_UNKNOWN && (*last == TIME_UNKNOWN || l > *last))
		*last = l;
}

static size_t
ehlo_gaps(const struct evidence *ev, struct ehlo_gap **out)
{
	struct ehlo_gap			*v = NULL, *g;
	const struct ev_session_agg	*s;
	size_t				 n = 0, cap = 0, i, j;
	int64_t				 unused = TIME_UNKNOWN;

	for (i = 0; i < ev->nsessions; i++) {
		s = &ev->sessions[i];
		if (!s->receive || s->connector == NULL)
			continue;
		for (j = 0; j < n; j++)
			if (str_eq_ci(v[j].server, s->server) &&
			    str_eq_ci(v[j].connector, s->connector))
				break;
		if (j == n) {
			v = xreallocarray_grow(v, &cap, n + 1, sizeof *v);
			g = &v[n++];
			memset(g, 0, sizeof *g);
			g->server = s->server;
			g->connector = s->connector;
			g->first = g->last = g->offered_last = TIME_UNKNOWN;
		}
		g = &v[j];
		if (s->starttls_offered || s->anonymous_tls_offered) {
			g->offered += s->count;
			widen(&unused, &g->offered_last, s->first, s->last);
			continue;
		}
		if (s->tls != 0)
			continue;	/* TLS was tried: it was offered */
		g->missing += s->count;
		g->remotes++;
		if (g->sample == NULL || (s->first != TIME_UNKNOWN &&
		    (g->sample->first == TIME_UNKNOWN || s->first < g->sample->first)))
			g->sample = s;
		widen(&g->first, &g->last, s->first, s->last);
	}
	*out = v;
	return n;
}

/* Never offered in the logs, or stopped offering and did not resume. */
static bool
gap_stands(const struct ehlo_gap *g)
{
	if (g->missing == 0)
		return false;
	if (g->offered == 0)
		return true;
	return g->offered_last != TIME_UNKNOWN && g->first != TIME_UNKNOWN &&
	    g->offered_last < g->first;
}

static const struct ev_receive_connector *
find_rc(const struct evidence *ev, const char *server, const char *conn)
{
	const struct ev_receive_connector *rc;
	const char	*bs = strchr(conn, '\\');
	size_t		 i;

	for (i = 0; i < ev->nrecvc; i++) {
		rc = &ev->recvc[i];
		if (rc->identity != NULL && ascii_casecmp(rc->identity, conn) == 0)
			return rc;
		if (rc->name != NULL && str_eq_ci(rc->server, server) &&
		    ascii_casecmp(rc->name, bs ? bs + 1 : conn) == 0)
			return rc;
	}
	return NULL;
}

/* TLS not expected: AuthMechanism known without Tls, TLS not required. */
static bool
tls_not_expected(const struct ev_receive_connector *rc)
{
	size_t	i;

	if (rc == NULL || !rc->auth_mechanism_known ||
	    rc->require_tls == TRI_TRUE)
		return false;
	for (i = 0; i < rc->auth_mechanism.n; i++)
		if (ascii_casecmp(rc->auth_mechanism.v[i], "Tls") == 0)
			return false;
	return true;
}

/*
 * What the inventory says about the certificate transport would pick: a
 * usable one (SMTP enabled, not expired, key not known missing) covering
 * `fqdn` on the server; any usable one when the FQDN is not known.
 */
static void
inventory_evidence(struct rule_ctx *ctx, struct finding *f,
    const char *server, const char *fqdn)
{
	const struct ev_cert	*c;
	const struct ev_cert	*usable = NULL, *any = NULL;
	char			*text;
	size_t			 i;

	if (server == NULL || !server_inventory_known(ctx->ev, server))
		return;
	for (i = 0; usable == NULL && i < ctx->ev->ncerts; i++) {
		c = &ctx->ev->certs[i];
		if (c->server == NULL || ascii_casecmp(c->server, server) != 0)
			continue;
		if (any == NULL)
			any = c;
		if (!services_has(c, SVC_SMTP) || cert_expired_at(c, ctx->as_of) ||
		    c->has_private_key == TRI_FALSE)
			continue;
		if (fqdn == NULL || cert_covers(c, fqdn))
			usable = c;
	}
	if (usable != NULL)
		text = xasprintf("%s has certificate %s enabled for SMTP, valid and "
		    "with its key%s%s: the inventory does not show why STARTTLS "
		    "is missing (compare the collection time with the sessions')",
		    server, usable->thumbprint, fqdn ? ", covering " : "",
		    fqdn ? fqdn : "");
	else
		text = xasprintf("%s has no certificate enabled for SMTP, valid and "
		    "with its key%s%s", server, fqdn ? " that covers " : "",
		    fqdn ? fqdn : "");
	c = usable ? usable : any;
	finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
	free(text);
}

static struct finding *
existing(struct rule_ctx *ctx, const char *conn, size_t upto)
{
	size_t	i;

	for (i = 0; i < upto; i++)
		if (strcmp(ctx->out->v[i].rule, "starttls-not-offered") == 0 &&
		    strlist_contains_ci(&ctx->out->v[i].connectors, conn))
			return &ctx->out->v[i];
	return NULL;
}

static void
add_session_evidence(struct finding *f, const struct ehlo_gap *g)
{
	char	*text, *offered, a[32], b[32], c[32];

	offered = g->offered > 0 ? xasprintf("%ld session%s got it, the "
	    "last at %s", g->offered, g->offered == 1 ? "" : "s",
	    time_text(g->offered_last, c, sizeof c)) : xstrdup("no session in "
	    "the logs got it");
	text = xasprintf("%ld inbound session%s from %ld remote host%s on "
	    "connector %s of %s got an EHLO answer without STARTTLS, from %s to "
	    "%s (%s); first: %s",
	    g->missing, g->missing == 1 ? "" : "s", g->remotes,
	    g->remotes == 1 ? "" : "s", g->connector, g->server ? g->server :
	    "an unknown server", time_text(g->first, a, sizeof a),
	    time_text(g->last, b, sizeof b), offered,
	    g->sample && g->sample->remote ? g->sample->remote : "remote unknown");
	free(offered);
	finding_add_evidence(f, g->sample && g->sample->g.nsamples ?
	    g->sample->g.samples[0].source : NULL, g->sample &&
	    g->sample->g.nsamples ? g->sample->g.samples[0].line : 0, text,
	    g->missing);
	free(text);
	finding_seen(f, g->first);
	finding_seen(f, g->last);
}

/* What the refusals and events of this connector's server say. */
static long
claim_signs(struct rule_ctx *ctx, struct finding *f, const struct ehlo_gap *g,
    long *refused)
{
	static const long events[] = { 12014, 12023, 0 };
	static const char *const refusal[] = { "STARTTLS is required",
	    "5.7.3 STARTTLS", "Must issue a STARTTLS", NULL };
	struct sym_match	m = { 0 };
	long			n = 0;

	m.server = g->server;
	m.receive = 1;
	m.types = SYMBIT(SYM_RESPONSE);
	m.connector = g->connector;
	m.errors = refusal;
	*refused = rule_claim_std(ctx, f, &m, true);
	m.connector = NULL;
	m.receive = -1;
	m.types = SYMBIT(SYM_QUEUE);
	*refused += rule_claim_std(ctx, f, &m, true);
	m.errors = NULL;
	m.types = SYMBIT(SYM_EVENT);
	m.event_ids = events;
	n += rule_claim_std(ctx, f, &m, true);
	return n + *refused;
}

void
starttls_from_sessions(struct rule_ctx *ctx, size_t config_findings)
{
	const struct ev_receive_connector *rc;
	struct ehlo_gap		*v;
	struct finding		*f;
	char			*opt, *cmd, *text, *pick, *full;
	long			 refused;
	size_t			 i, n;

	n = ehlo_gaps(ctx->ev, &v);
	for (i = 0; i < n; i++) {
		if (!gap_stands(&v[i]))
			continue;
		if ((f = existing(ctx, v[i].connector, config_findings)) != NULL) {
			add_session_evidence(f, &v[i]);
			continue;
		}
		rc = find_rc(ctx->ev, v[i].server, v[i].connector);
		if (tls_not_expected(rc) || (rc != NULL && rc->enabled == TRI_FALSE))
			continue;
		f = findings_new(ctx->out, "starttls-not-offered", SEV_HIGH);
		if (v[i].server != NULL)
			strlist_add(&f->servers, v[i].server);
		strlist_add(&f->connectors, v[i].connector);
		add_session_evidence(f, &v[i]);
		claim_signs(ctx, f, &v[i], &refused);
		if (refused > 0)
			f->severity = SEV_CRITICAL;
		f->title = xasprintf("Receive connector \"%s\" answers EHLO without "
		    "STARTTLS (%ld session%s%s)", v[i].connector, v[i].missing,
		    v[i].missing == 1 ? "" : "s", v[i].offered ? " since it stopped "
		    "offering it" : "");
		f->explanation = xasprintf("The receive logs of %s show %ld session%s "
		    "on \"%s\" whose EHLO answer lacked STARTTLS%s. %s Transport "
		    "leaves STARTTLS out when it has no usable certificate for the "
		    "connector (none covering its FQDN with SMTP enabled, an expired "
		    "one, no private key, or a TlsCertificateName that matches "
		    "nothing); %s", v[i].server ? v[i].server : "the server",
		    v[i].missing, v[i].missing == 1 ? "" : "s", v[i].connector,
		    v[i].offered ? ", after it had offered it" : "", rc == NULL ?
		    "Get-ReceiveConnector is not in the bundle; Exchange's receive "
		    "connectors offer TLS unless Tls is removed from their "
		    "AuthMechanism." : "The connector has Tls in its AuthMechanism.",
		    receive_connector_is_client(rc) ? "clients that submit over "
		    "TLS (Outlook, devices on port 587) then cannot send." :
		    "senders that require TLS (partners, Exchange Online) then "
		    "refuse with \"451 5.7.3 STARTTLS is required to send mail\".");
		if (rc != NULL) {
			text = xasprintf("Receive connector \"%s\": Fqdn %s, "
			    "AuthMechanism includes Tls, TlsCertificateName %s",
			    v[i].connector, rc->fqdn ? rc->fqdn : "unknown",
			    rc->tls_certificate_name ? rc->tls_certificate_name :
			    "(not set)");
			finding_add_evidence(f, rc->ref.source, rc->ref.line, text, 1);
			free(text);
		}
		/* The FQDN an event 12014 gives the connector, when no export does. */
		inventory_evidence(ctx, f, v[i].server, rc && rc->fqdn ? rc->fqdn :
		    event_connector_fqdn(ctx->ev, v[i].server, v[i].connector));
		opt = ps_server_opt(v[i].server);
		cmd = ps_cmd("Get-ReceiveConnector %q | Format-List Fqdn,"
		    "AuthMechanism,TlsCertificateName\n", v[i].connector);
		pick = ps_choose_cert(v[i].server, "c");
		full = xasprintf("%s%s", cmd, pick);
		finding_add_step(f, "Find the certificate the connector should use "
		    "(its domains must cover the connector FQDN) and type its "
		    "thumbprint when asked.", full);
		free(full);
		free(pick);
		free(cmd);
		cmd = ps_cmd("Enable-ExchangeCertificate%s -Thumbprint $c.Thumbprint "
		    "-Services SMTP", opt);
		finding_add_step(f, "Enable SMTP on it (answer N to replacing the "
		    "default SMTP certificate), or fix TlsCertificateName; then "
		    "check the EHLO answer offers STARTTLS again.", cmd);
		free(cmd);
		free(opt);
		strlist_add(&f->references, "Set-ReceiveConnector -Fqdn "
		    "-TlsCertificateName; events 12014, 12023");
	}
	free(v);
}

/*
 * internal-transport-cert from the events, when Get-TransportService (the
 * configuration path, internal_transport_cert.c) did not explain them:
 * 12013, 12023 and 12024 (transport cannot load the certificate configured
 * for authentication with other Exchange servers: its thumbprint, and for
 * 12024 the ephemeral one used meanwhile), 12015 (it expired) and 12012 (it
 * is not published in Active Directory). The server's inventory says
 * whether the certificate is installed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kinds/event_facts.h"
#include "event_rules.h"
#include "event_rules_int.h"
#include "internal_transport.h"
#include "rules.h"

static bool
is_internal_event(long id)
{
	return id == 12012 || id == 12013 || id == 12015 || id == 12023 ||
	    id == 12024;
}

/* 12013, 12023 and 12024 say the same: it cannot be loaded. */
static long
family(long id)
{
	return id == 12023 || id == 12024 ? 12013 : id;
}

static bool
same(const struct ev_event *a, const struct ev_event *b)
{
	return family(event_effective_id(a)) == family(event_effective_id(b)) &&
	    str_eq_ci(a->server, b->server) &&
	    str_eq_ci(a->thumbprint, b->thumbprint);
}

static void
claim_same(struct rule_ctx *ctx, struct finding *f, const struct ev_event *e,
    long *count)
{
	const struct ev_event	*o;
	size_t			 i;

	for (i = 0; i < ctx->ev->nevents; i++) {
		o = &ctx->ev->events[i];
		if (is_internal_event(event_effective_id(o)) && same(o, e))
			*count += event_claim(ctx, f, o);
	}
}

static void
auth_failures(struct rule_ctx *ctx, struct finding *f, const char *server)
{
	static const char *const auth_errors[] = { "Cannot achieve Exchange "
	    "Server authentication", "X-ANONYMOUSTLS", NULL };
	struct sym_match	m = { 0 };

	if (server == NULL)
		return;
	m.types = SYMBIT(SYM_QUEUE) | SYMBIT(SYM_TLS_FAILURE) |
	    SYMBIT(SYM_RESPONSE);
	m.server = server;
	m.errors = auth_errors;
	m.receive = -1;
	if (rule_claim_std(ctx, f, &m, true) > 0)
		f->severity = SEV_CRITICAL;
}

static void
report(struct rule_ctx *ctx, const struct ev_event *e)
{
	long			 id = family(event_effective_id(e)), n = 0;
	const char		*srv = e->server ? e->server : "an unknown server";
	const struct ev_cert	*c = NULL;
	bool			 known;
	struct finding		*f;
	struct buf		 b;
	char			*cmd, at[64];

	known = e->server != NULL && server_inventory_known(ctx->ev, e->server);
	if (known && e->thumbprint != NULL)
		c = cert_find(ctx->ev, e->server, e->thumbprint);
	f = findings_new(ctx->out, "internal-transport-cert", SEV_HIGH);
	if (e->server != NULL)
		strlist_add(&f->servers, e->server);
	if (e->thumbprint != NULL)
		strlist_add(&f->thumbprints, e->thumbprint);
	buf_init(&b, 1 << 16);
	switch (id) {
	case 12012:
		f->title = xasprintf("The internal transport certificate of %s is "
		    "not published in Active Directory (event 12012)", srv);
		buf_appendf(&b, "Event 12012 of %s says the internal transport "
		    "certificate %s uses to authenticate to other Exchange servers "
		    "could not be read from Active Directory: it was renewed "
		    "without Enable-ExchangeCertificate publishing it, or the "
		    "change has not replicated yet.", event_time_words(e, at,
		    sizeof at), srv);
		break;
	case 12015:
		f->title = xasprintf("The internal transport certificate %s of %s "
		    "has expired (event 12015)", e->thumbprint ? e->thumbprint :
		    "(thumbprint not given)", srv);
		buf_appendf(&b, "Event 12015 of %s says the internal transport "
		    "certificate %s of %s expired.", event_time_words(e, at,
		    sizeof at), e->thumbprint ? e->thumbprint : "", srv);
		break;
	default:
		f->title = xasprintf("Transport on %s cannot load its internal "
		    "transport certificate %s (event %ld)", srv, e->thumbprint ?
		    e->thumbprint : "(thumbprint not given)",
		    event_effective_id(e));
		buf_appendf(&b, "Event %ld of %s says Microsoft Exchange could not "
		    "load the certificate %s, configured for authentication with "
		    "other Exchange servers, from the personal store of %s.",
		    event_effective_id(e), event_time_words(e, at, sizeof at),
		    e->thumbprint ? e->thumbprint : "it names", srv);
		if (e->fallback_thumbprint != NULL)
			buf_appendf(&b, " Meanwhile it uses an ephemeral self-signed "
			    "certificate, %s, which other servers do not know.",
			    e->fallback_thumbprint);
		break;
	}
	if (!known)
		buf_appendf(&b, " The bundle holds no certificate inventory of %s "
		    "to tell whether the certificate is installed.", srv);
	else if (e->thumbprint != NULL && c == NULL)
		buf_appendf(&b, " The certificate inventory of %s does not hold "
		    "%s: it is not installed (or was removed after the "
		    "inventory).", srv, e->thumbprint);
	else if (c != NULL && id == 12013)
		buf_appendf(&b, " %s is installed on %s: transport cannot read it "
		    "(its private key, or SMTP not enabled on it).", c->thumbprint,
		    srv);
	buf_appendf(&b, " Exchange servers authenticate each other with this "
	    "certificate: without it, mail between servers fails with \"451 "
	    "5.7.3 Cannot achieve Exchange Server authentication\".");
	f->explanation = buf_steal(&b, NULL);
	claim_same(ctx, f, e, &n);
	auth_failures(ctx, f, e->server);
	if (e->server == NULL) {
		finding_add_step(f, "Find the server that logged the event.",
		    "Get-ExchangeServer | Format-List Name,Fqdn,ServerRole");
	} else if (id == 12012 || (c != NULL && id == 12013 &&
	    !cert_expired_at(c, ctx->as_of))) {
		if (c != NULL)
			cmd = ps_cmd("Enable-ExchangeCertificate -Server %q "
			    "-Thumbprint %s -Services SMTP", e->server,
			    CERT_TP_ARG(c));
		else
			cmd = ps_cmd("$t = (Get-TransportService %q)."
			    "InternalTransportCertificateThumbprint\n"
			    "Enable-ExchangeCertificate -Server %q -Thumbprint $t "
			    "-Services SMTP", e->server, e->server);
		finding_add_step(f, "Enable SMTP on the internal transport "
		    "certificate again: that publishes it and gives transport "
		    "access to its key.", cmd);
		free(cmd);
	} else	/* not installed, or expired: enabling it fixes nothing */
		itc_replace_steps(ctx, f, e->server, e->thumbprint);
	strlist_add(&f->references, "New-ExchangeCertificate; "
	    "Enable-ExchangeCertificate; events 12012, 12013, 12015, 12023, "
	    "12024");
}

void
internal_cert_from_events(struct rule_ctx *ctx)
{
	const struct ev_event	*e;
	size_t			 i;

	for (i = 0; i < ctx->ev->nevents; i++) {
		e = &ctx->ev->events[i];
		/* Reporting one claims its twins: they are then not unclaimed. */
		if (!is_internal_event(event_effective_id(e)) ||
		    !event_unclaimed(ctx, e))
			continue;
		report(ctx, e);
	}
}

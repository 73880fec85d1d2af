/*
 * internal-transport-cert: InternalTransportCertificateThumbprint of a
 * transport service must name a certificate in that server's inventory that
 * has not expired. An expired one already reported by cert-expired is not
 * reported again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_rules.h"
#include "rules.h"

static bool
reported_expired(const struct rule_ctx *ctx, const char *tp)
{
	size_t	i;

	for (i = 0; i < ctx->out->n; i++)
		if (strcmp(ctx->out->v[i].rule, "cert-expired") == 0 &&
		    strlist_contains_ci(&ctx->out->v[i].thumbprints, tp))
			return true;
	return false;
}

static void
run_internal_transport_cert(struct rule_ctx *ctx)
{
	static const char *const auth_errors[] = { "Cannot achieve Exchange "
	    "Server authentication", "5.7.3", "X-ANONYMOUSTLS", NULL };
	static const char *const auth_text[] = { "Cannot achieve Exchange "
	    "Server authentication", "X-ANONYMOUSTLS", NULL };
	static const long events[] = { 12013, 12015, 0 };
	const struct evidence	*ev = ctx->ev;
	const struct ev_transport_service *ts;
	const struct ev_cert	*c;
	struct sym_match	 m = { 0 };
	struct finding		*f;
	char			*cmd, *text, when[48];
	bool			 expired;
	size_t			 i;

	for (i = 0; i < ev->ntransport; i++) {
		ts = &ev->transport[i];
		if (ts->server == NULL || ts->internal_transport_certificate == NULL ||
		    *ts->internal_transport_certificate == '\0' ||
		    !server_inventory_known(ev, ts->server))
			continue;
		c = cert_find(ev, ts->server, ts->internal_transport_certificate);
		/* It may be the record whose thumbprint was cut or masked. */
		if (c == NULL && server_has_unnamed_cert(ev, ts->server))
			continue;
		expired = c != NULL && cert_expired_at(c, ctx->as_of);
		if (c != NULL && (!expired || reported_expired(ctx, c->thumbprint)))
			continue;
		f = findings_new(ctx->out, "internal-transport-cert", SEV_HIGH);
		strlist_add(&f->servers, ts->server);
		strlist_add(&f->thumbprints, ts->internal_transport_certificate);
		f->title = xasprintf("The internal transport certificate %s of %s "
		    "is %s", ts->internal_transport_certificate, ts->server,
		    expired ? "expired" : "not in its certificate store");
		f->explanation = xasprintf("Get-TransportService names %s as the "
		    "internal transport certificate of %s, which %s. Exchange "
		    "servers authenticate each other (X-ANONYMOUSTLS) with it: "
		    "without a valid one, mail between servers fails with \"451 "
		    "5.7.3 Cannot achieve Exchange Server authentication\" (events "
		    "12013/12015) and Edge subscriptions break.",
		    ts->internal_transport_certificate, ts->server, expired ?
		    "has expired" : "is missing from that server's certificate "
		    "inventory");
		text = xasprintf("Transport service %s: "
		    "InternalTransportCertificateThumbprint %s%s%s", ts->server,
		    ts->internal_transport_certificate, expired ? ", NotAfter " : "",
		    expired ? cert_time(c, c->not_after, when, sizeof when) : "");
		finding_add_evidence(f, ts->ref.source, ts->ref.line, text, 1);
		free(text);
		m.types = SYMBIT(SYM_QUEUE) | SYMBIT(SYM_TLS_FAILURE);
		m.server = ts->server;
		m.errors = auth_errors;
		m.receive = -1;
		m.event_ids = events;
		if (rule_claim_std(ctx, f, &m, true) > 0)
			f->severity = SEV_CRITICAL;
		m.types = SYMBIT(SYM_EVENT);
		if (rule_claim_std(ctx, f, &m, true) > 0)
			f->severity = SEV_CRITICAL;
		/* Log responses only by their text: a bare 5.7.3 is also
		 * "STARTTLS is required" (starttls-not-offered). */
		m.types = SYMBIT(SYM_RESPONSE);
		m.errors = auth_text;
		if (rule_claim_std(ctx, f, &m, true) > 0)
			f->severity = SEV_CRITICAL;
		cmd = ps_cmd("New-ExchangeCertificate -Server %q -KeySize 2048 "
		    "-PrivateKeyExportable $true", ts->server);
		finding_add_step(f, "Create a new self-signed certificate on the "
		    "server and answer Y to replacing the default SMTP certificate: "
		    "it becomes the internal transport certificate.", cmd);
		free(cmd);
		cmd = ps_cmd("Get-TransportService %q | Format-List "
		    "InternalTransportCertificateThumbprint\nRestart-Service "
		    "MSExchangeTransport", ts->server);
		finding_add_step(f, "Confirm the new thumbprint is set and restart "
		    "transport.", cmd);
		free(cmd);
		finding_add_step(f, "If the server subscribes an Edge Transport "
		    "server, re-create the Edge subscription.",
		    "New-EdgeSubscription -FileName C:\\EdgeSubscription.xml");
		strlist_add(&f->references, "New-ExchangeCertificate; events 12013, "
		    "12015");
	}
	/* The events Get-TransportService did not explain. */
	internal_cert_from_events(ctx);
}

const struct rule rule_internal_transport_cert = {
	.id = "internal-transport-cert",
	.sev_min = SEV_HIGH, .sev_max = SEV_CRITICAL,
	.line = "a server's internal transport certificate is missing or "
	    "expired",
	.checks = "InternalTransportCertificateThumbprint of each transport "
	    "service against that server's inventory and the as-of time. "
	    "Critical with \"5.7.3 Cannot achieve Exchange Server "
	    "authentication\" queues or log responses, or events "
	    "12013/12015, high otherwise.",
	.why = "Exchange servers authenticate each other with this "
	    "certificate; without it intra-organization mail fails "
	    "(X-ANONYMOUSTLS, 451 5.7.3) and Edge subscriptions break.",
	.fix = "New-ExchangeCertificate (self-signed) on the server and "
	    "accept replacing the default SMTP certificate; re-create Edge "
	    "subscriptions.",
	.refs = "New-ExchangeCertificate; Get-TransportService "
	    "InternalTransportCertificateThumbprint; events 12013, 12015",
	.run = run_internal_transport_cert,
	.facts = {
		.problem = "The internal transport certificate is missing or "
		    "expired",
		.fix = "Create a new self-signed certificate for SMTP and "
		    "restart transport",
		.risk = "medium", .downtime = FIX_STOPS_TRANSPORT,
	},
};

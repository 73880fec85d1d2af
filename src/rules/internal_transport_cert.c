/*
 * internal-transport-cert: InternalTransportCertificateThumbprint of a
 * transport service must name a certificate in that server's inventory that
 * has not expired. One finding per faulty server, expired or missing; its
 * symptoms are the events of that certificate and the queues that cannot
 * authenticate, on that server or on the servers that deliver to it
 * (internal_transport_queues.c). cert-expired leaves such a certificate to
 * this rule: partners never see it, other Exchange servers do.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_rules.h"
#include "internal_transport.h"
#include "rules.h"

/* Critical once any of these shows the fault failing. */
static long
claim_symptoms(struct rule_ctx *ctx, struct finding *f, const char *server,
    const char *tp)
{
	static const char *const auth_errors[] = { "Cannot achieve Exchange "
	    "Server authentication", "5.7.3", "X-ANONYMOUSTLS", NULL };
	static const char *const auth_text[] = { "Cannot achieve Exchange "
	    "Server authentication", "X-ANONYMOUSTLS", NULL };
	/* Cannot load it (12013, 12023, 12024), it expired (12015). */
	static const long events[] = { 12013, 12015, 12023, 12024, 0 };
	struct sym_match	m = { 0 };
	long			n = 0;

	m.server = server;
	m.receive = -1;
	m.thumbprint = tp;
	/* The expired certificate itself, which is no failure yet. */
	m.types = SYMBIT(SYM_CERT_EXPIRED);
	rule_claim_std(ctx, f, &m, false);
	m.types = SYMBIT(SYM_EVENT);
	m.event_ids = events;
	n += rule_claim_std(ctx, f, &m, true);
	m.thumbprint = NULL;
	m.types = SYMBIT(SYM_QUEUE) | SYMBIT(SYM_TLS_FAILURE);
	m.errors = auth_errors;
	n += rule_claim_std(ctx, f, &m, true);
	/* Log responses only by their text: a bare 5.7.3 is also
	 * "STARTTLS is required" (starttls-not-offered). */
	m.types = SYMBIT(SYM_RESPONSE);
	m.errors = auth_text;
	n += rule_claim_std(ctx, f, &m, true);
	return n;
}

static void
report(struct rule_ctx *ctx, const struct ev_transport_service *ts,
    const struct ev_cert *c)
{
	const char		*tp = ts->internal_transport_certificate;
	const struct ev_cert	*r;
	struct finding		*f;
	struct buf		 b;
	char			*text, when[48], rwhen[48];

	f = findings_new(ctx->out, "internal-transport-cert", SEV_HIGH);
	strlist_add(&f->servers, ts->server);
	strlist_add(&f->thumbprints, tp);
	if (c != NULL)
		cert_time(c, c->not_after, when, sizeof when);
	f->title = c != NULL ? xasprintf("The internal transport certificate %s "
	    "of %s expired on %s", tp, ts->server, when) :
	    xasprintf("The internal transport certificate %s of %s is not in "
	    "its certificate store", tp, ts->server);
	buf_init(&b, 1 << 16);
	buf_appendf(&b, "Get-TransportService names %s as the internal transport "
	    "certificate of %s, which %s%s. Exchange servers authenticate each "
	    "other (X-ANONYMOUSTLS) with it: without a valid one, mail between "
	    "%s and the other Exchange servers fails with \"451 5.7.3 Cannot "
	    "achieve Exchange Server authentication\" and transport logs events "
	    "12013, 12015 or 12023.", tp, ts->server, c != NULL ? "expired on " :
	    "is missing from that server's certificate inventory", c != NULL ?
	    when : "", ts->server);
	r = itc_replacement(ctx->ev, ts->server, tp, ctx->as_of);
	if (r != NULL)
		buf_appendf(&b, " A valid self-signed certificate for %s, %s "
		    "(NotAfter %s), is installed there but is not its internal "
		    "transport certificate.", ts->server, r->thumbprint,
		    cert_time(r, r->not_after, rwhen, sizeof rwhen));
	else
		buf_appendf(&b, " The inventory of %s holds no other valid "
		    "self-signed certificate for its name to take its place.",
		    ts->server);
	f->explanation = buf_steal(&b, NULL);
	text = xasprintf("Transport service %s: "
	    "InternalTransportCertificateThumbprint %s%s%s", ts->server, tp,
	    c != NULL ? ", NotAfter " : "", c != NULL ? when : "");
	finding_add_evidence(f, ts->ref.source, ts->ref.line, text, 1);
	free(text);
	if (claim_symptoms(ctx, f, ts->server, tp) > 0)
		f->severity = SEV_CRITICAL;
	itc_replace_steps(ctx, f, ts->server, tp);
	strlist_add(&f->references, "Enable-ExchangeCertificate; "
	    "New-ExchangeCertificate; Retry-Queue; events 12013, 12015, 12023");
}

static void
run_internal_transport_cert(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_transport_service *ts;
	const struct ev_cert	*c;
	size_t			 i, first = ctx->out->n;

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
		if (c != NULL && !cert_expired_at(c, ctx->as_of))
			continue;
		report(ctx, ts, c);
	}
	/* The events Get-TransportService did not explain. */
	internal_cert_from_events(ctx);
	/* Then the servers that cannot deliver to a faulty one. */
	itc_link_queues(ctx, first);
}

const struct rule rule_internal_transport_cert = {
	.id = "internal-transport-cert",
	.sev_min = SEV_HIGH, .sev_max = SEV_CRITICAL,
	.line = "a server's internal transport certificate is missing or "
	    "expired",
	.checks = "InternalTransportCertificateThumbprint of each transport "
	    "service against that server's inventory and the as-of time, and "
	    "events 12012, 12013, 12015, 12023 and 12024; one finding per "
	    "faulty server. Its symptoms are those events and the queues and "
	    "log responses with \"451 5.7.3 Cannot achieve Exchange Server "
	    "authentication\", on that server or on the servers that deliver "
	    "to it. Critical when such a queue, response or event shows it "
	    "failing, high otherwise.",
	.why = "Exchange servers authenticate each other with this "
	    "certificate; without a valid one mail between them fails "
	    "(X-ANONYMOUSTLS, 451 5.7.3) and waits in the sending server's "
	    "queue.",
	.fix = "On the faulty server, Enable-ExchangeCertificate -Services SMTP "
	    "on a valid self-signed certificate already installed, else "
	    "New-ExchangeCertificate, answering Y to replacing the default SMTP "
	    "certificate (which sets InternalTransportCertificateThumbprint); "
	    "restart transport there; Retry-Queue each waiting queue where it "
	    "is.",
	.refs = "Enable-ExchangeCertificate; New-ExchangeCertificate; "
	    "Get-TransportService InternalTransportCertificateThumbprint; "
	    "Retry-Queue; events 12012, 12013, 12015, 12023, 12024",
	.run = run_internal_transport_cert,
	.facts = {
		.problem = "The internal transport certificate is missing or "
		    "expired",
		.fix = "Make a valid self-signed certificate the default SMTP "
		    "certificate and restart transport",
		.risk = "medium", .downtime = FIX_STOPS_TRANSPORT,
	},
};

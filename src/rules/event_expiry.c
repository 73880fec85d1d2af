/*
 * Expiry from the events themselves, when the certificate they name is not
 * in the bundle's inventory of their server (not collected, or gone since):
 * 12018 (the STARTTLS certificate will expire soon: subject, thumbprint,
 * hours remaining) and 12017 (the internal transport certificate likewise)
 * give the expiry as the event time plus the hours; 12016 says the STARTTLS
 * certificate for an FQDN has expired. The expiry is compared with the
 * as-of time only as exactly as the event time is known: a server's local
 * time may be up to 14 hours from UTC, so within that margin the finding
 * says "around the as-of time" rather than before or after it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/kinds/event_facts.h"
#include "cert_steps.h"
#include "event_rules.h"
#include "event_rules_int.h"
#include "rules.h"

#define DAY		86400
#define ZONE_MARGIN	(14 * 3600)

/* Where the expiry stands against the as-of time. */
enum when { W_UNKNOWN, W_PAST, W_AROUND, W_FUTURE };

static enum when
expiry_when(const struct ev_event *e, int64_t as_of, int64_t *left)
{
	int64_t	margin = e->time_exact ? 0 : ZONE_MARGIN;

	*left = 0;
	if (e->expires == TIME_UNKNOWN || as_of == TIME_UNKNOWN)
		return W_UNKNOWN;
	*left = e->expires - as_of;
	if (*left < -margin)
		return W_PAST;
	if (*left <= margin && margin > 0)
		return W_AROUND;
	return *left < 0 ? W_PAST : W_FUTURE;
}

/* The expiry for a sentence: local when the event time is. */
static const char *
expiry_words(const struct ev_event *e, char *buf, size_t size)
{
	struct ev_event	t = *e;

	t.time = e->expires;
	return event_time_words(&t, buf, size);
}

/* Two events of one id about one certificate (or FQDN) on one server. */
static bool
same_certificate(const struct ev_event *a, const struct ev_event *b)
{
	return event_effective_id(a) == event_effective_id(b) &&
	    str_eq_ci(a->server, b->server) &&
	    str_eq_ci(a->thumbprint, b->thumbprint) &&
	    str_eq_ci(a->cert_subject, b->cert_subject) &&
	    str_eq_ci(a->fqdn, b->fqdn);
}

/* The latest unclaimed event of `id` per (server, certificate). */
static bool
latest_of_its_kind(const struct rule_ctx *ctx, const struct ev_event *e)
{
	const struct ev_event	*o;
	size_t			 i;

	for (i = 0; i < ctx->ev->nevents; i++) {
		o = &ctx->ev->events[i];
		if (o == e || !same_certificate(o, e) || !event_unclaimed(ctx, o))
			continue;
		if (o->time != TIME_UNKNOWN && (e->time == TIME_UNKNOWN ||
		    o->time > e->time || (o->time == e->time && o < e)))
			return false;
	}
	return true;
}

static void
claim_kind(struct rule_ctx *ctx, struct finding *f, const struct ev_event *e)
{
	const struct ev_event	*o;
	size_t			 i;

	for (i = 0; i < ctx->ev->nevents; i++) {
		o = &ctx->ev->events[i];
		if (same_certificate(o, e))
			(void)event_claim(ctx, f, o);
	}
}

/*
 * An installed certificate with the event's subject, enabled for SMTP and
 * valid past the expiry the event gives: the renewal, when the event's
 * certificate is no longer installed.
 */
static const struct ev_cert *
renewal_of(const struct rule_ctx *ctx, const struct ev_event *e)
{
	const struct ev_cert	*c;
	char			 a[256], b[256];
	const char		*want;
	size_t			 i;

	if (e->cert_subject == NULL || e->server == NULL)
		return NULL;
	want = subject_cn(e->cert_subject, a, sizeof a);
	if (want == NULL)
		want = e->cert_subject;	/* Exchange may log the bare name */
	for (i = 0; i < ctx->ev->ncerts; i++) {
		c = &ctx->ev->certs[i];
		if (!str_eq_ci(c->server, e->server) || !services_has(c, SVC_SMTP) ||
		    cert_expired_at(c, ctx->as_of) || c->not_after == TIME_UNKNOWN ||
		    subject_cn(c->subject, b, sizeof b) == NULL ||
		    ascii_casecmp(b, want) != 0)
			continue;
		if (e->expires == TIME_UNKNOWN ||
		    c->not_after > e->expires + ZONE_MARGIN)
			return c;
	}
	return NULL;
}

static void
renew_step(struct finding *f, const struct ev_event *e, bool internal)
{
	const char	*srv = e->server;
	char		*cmd, *text, *req, *cer;

	if (srv == NULL) {
		finding_add_step(f, "Find the server that logged the event, and "
		    "renew the certificate it names there.",
		    "Get-ExchangeServer | Format-List Name,Fqdn,ServerRole");
		return;
	}
	if (e->thumbprint == NULL) {
		cmd = ps_cmd("Get-ExchangeCertificate -Server %q | Format-List "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter", srv);
		finding_add_step(f, "List the server's certificates with their "
		    "expiry, and renew the one the event names.", cmd);
		free(cmd);
		return;
	}
	if (internal) {
		cmd = ps_cmd("Get-ExchangeCertificate -Server %q -Thumbprint %q "
		    "| New-ExchangeCertificate -Force -PrivateKeyExportable $true",
		    srv, e->thumbprint);
		text = xasprintf("On %s: renew the self-signed internal transport "
		    "certificate %s; the new one becomes the internal transport "
		    "certificate.", srv, e->thumbprint);
	} else {
		req = ps_share_file(srv, "renewal.req");
		cer = ps_share_file(srv, "renewal.cer");
		cmd = ps_cmd("Get-ExchangeCertificate -Server %q -Thumbprint %q "
		    "| New-ExchangeCertificate -GenerateRequest -RequestFile %Q\n"
		    "$c = Import-ExchangeCertificate -Server %q -FileData "
		    "([System.IO.File]::ReadAllBytes(%Q))\n"
		    "Enable-ExchangeCertificate -Server %q -Thumbprint "
		    "$c.Thumbprint -Services SMTP", srv, e->thumbprint, req, srv,
		    cer, srv);
		free(req);
		free(cer);
		text = xasprintf("On %s: renew certificate %s with the same names "
		    "(a renewal request from the certificate itself), import the "
		    "issued certificate and enable SMTP on it; a self-signed one "
		    "renews with New-ExchangeCertificate -Force instead.", srv,
		    e->thumbprint);
	}
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
}

/*
 * Whether the bundle holds the certificate the event names with its
 * NotAfter, on any server or none: the inventory rules then judge it by
 * that date.
 */
static bool
inventory_has(const struct rule_ctx *ctx, const struct ev_event *e)
{
	size_t	i;

	for (i = 0; e->thumbprint != NULL && i < ctx->ev->ncerts; i++)
		if (str_eq_ci(ctx->ev->certs[i].thumbprint, e->thumbprint) &&
		    ctx->ev->certs[i].not_after != TIME_UNKNOWN)
			return true;
	return false;
}

/*
 * The certificate the event names as the inventory holds it without a
 * NotAfter (not exported, or written in a day/month order the file cannot
 * settle): the event then says when it expires. NULL when none.
 */
static const struct ev_cert *
held_undated(const struct rule_ctx *ctx, const struct ev_event *e)
{
	size_t	i;

	for (i = 0; e->thumbprint != NULL && i < ctx->ev->ncerts; i++)
		if (str_eq_ci(ctx->ev->certs[i].thumbprint, e->thumbprint) &&
		    ctx->ev->certs[i].not_after == TIME_UNKNOWN)
			return &ctx->ev->certs[i];
	return NULL;
}

static size_t
unattributed_certs(const struct evidence *ev)
{
	size_t	i, n = 0;

	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].server == NULL)
			n++;
	return n;
}

static void
expiring_one(struct rule_ctx *ctx, const struct ev_event *e)
{
	bool			 internal = event_effective_id(e) == 12017;
	const struct ev_cert	*renewal = renewal_of(ctx, e);
	const char		*srv = e->server ? e->server : "an unknown server";
	struct finding		*f;
	struct buf		 b;
	enum when		 w;
	enum severity		 sev;
	int64_t			 left;
	char			 at[64], exp[64], na[48];
	const char		*what;
	const struct ev_cert	*held;

	w = expiry_when(e, ctx->as_of, &left);
	if (w == W_FUTURE && left > 60 * DAY)
		return;		/* not yet a finding; the event stays a symptom */
	sev = w == W_PAST || w == W_AROUND || (w == W_FUTURE && left < 30 * DAY) ?
	    SEV_HIGH : SEV_MEDIUM;
	if (renewal != NULL)
		sev = SEV_LOW;
	f = findings_new(ctx->out, w == W_PAST ? "cert-expired" :
	    "cert-expiring", sev);
	if (e->server != NULL)
		strlist_add(&f->servers, e->server);
	if (e->thumbprint != NULL)
		strlist_add(&f->thumbprints, e->thumbprint);
	what = internal ? "internal transport certificate" :
	    "STARTTLS certificate";
	expiry_words(e, exp, sizeof exp);
	switch (w) {
	case W_PAST:
		f->title = xasprintf("The %s %s of %s expired around %s (event "
		    "%ld)", what, e->thumbprint ? e->thumbprint : "(thumbprint "
		    "not given)", srv, exp, event_effective_id(e));
		break;
	case W_AROUND:
		f->title = xasprintf("The %s %s of %s expires around the as-of "
		    "time (%s, event %ld)", what, e->thumbprint ? e->thumbprint :
		    "(thumbprint not given)", srv, exp, event_effective_id(e));
		break;
	case W_FUTURE:
		f->title = xasprintf("The %s %s of %s expires in %s%lld day%s (%s, "
		    "event %ld)", what, e->thumbprint ? e->thumbprint :
		    "(thumbprint not given)", srv, e->time_exact ? "" : "about ",
		    (long long)(left / DAY), left / DAY == 1 ? "" : "s", exp,
		    event_effective_id(e));
		break;
	case W_UNKNOWN:
		f->title = xasprintf("The %s %s of %s expires %ld hour%s after an "
		    "event %ld%s", what, e->thumbprint ? e->thumbprint :
		    "(thumbprint not given)", srv, e->hours_remaining,
		    e->hours_remaining == 1 ? "" : "s",
		    event_effective_id(e), e->time == TIME_UNKNOWN ? " whose time "
		    "the text does not give" : ", and the as-of time is unknown");
		break;
	}
	buf_init(&b, 1 << 16);
	buf_appendf(&b, "Event %ld of %s says the %s %s%s%s%s has %ld hour%s "
	    "left", event_effective_id(e), event_time_words(e, at, sizeof at),
	    what, e->thumbprint ? e->thumbprint : "", e->cert_subject ?
	    " (subject " : "", e->cert_subject ? e->cert_subject : "",
	    e->cert_subject ? ")" : "", e->hours_remaining,
	    e->hours_remaining == 1 ? "" : "s");
	if (e->expires != TIME_UNKNOWN)
		buf_appendf(&b, ": it expires around %s", exp);
	buf_appendf(&b, ". ");
	if ((held = held_undated(ctx, e)) != NULL)
		buf_appendf(&b, "The certificate inventory%s%s holds it, but its "
		    "NotAfter (%s%s%s) cannot be read: %s. The event's date is "
		    "the one this finding rests on. ", held->server ? " of " : "",
		    held->server ? held->server : "", held->not_after_written ?
		    "\"" : "", held->not_after_written ? held->not_after_written :
		    "not given", held->not_after_written ? "\"" : "",
		    held->not_after_written ? "the day and month of the file's "
		    "dates cannot be told apart" : "the export does not give it");
	else if (e->server != NULL && server_inventory_known(ctx->ev, e->server))
		buf_appendf(&b, "The certificate inventory of %s does not hold "
		    "it: it was removed or replaced after the event, or the "
		    "inventory comes from another time. ", e->server);
	else if (unattributed_certs(ctx->ev) == 1)
		buf_appendf(&b, "The one certificate in the bundle that names "
		    "no server is not this one. ");
	else if (unattributed_certs(ctx->ev) > 1)
		buf_appendf(&b, "None of the %zu certificates in the bundle "
		    "that name no server is this one. ",
		    unattributed_certs(ctx->ev));
	else
		buf_appendf(&b, "The bundle holds no certificate inventory of %s "
		    "to confirm it. ", srv);
	if (renewal != NULL)
		buf_appendf(&b, "Certificate %s with the same subject, enabled for "
		    "SMTP and valid until %s, is installed: if it is the renewal, "
		    "transport uses it and nothing will fail; the warnings stop "
		    "once the old certificate is removed.", renewal->thumbprint,
		    cert_time(renewal, renewal->not_after, na, sizeof na));
	else if (internal)
		buf_appendf(&b, "When it expires, Exchange servers can no longer "
		    "authenticate each other with it (X-ANONYMOUSTLS, \"451 5.7.3 "
		    "Cannot achieve Exchange Server authentication\") and Edge "
		    "subscriptions break.");
	else
		buf_appendf(&b, "When it expires, partners and Exchange Online "
		    "refuse TLS with it and connectors that require TLS stop "
		    "delivering.");
	f->explanation = buf_steal(&b, NULL);
	claim_kind(ctx, f, e);
	/* An expiry still ahead was not seen: the events' own times were. */
	if (e->expires != TIME_UNKNOWN && ctx->as_of != TIME_UNKNOWN &&
	    e->expires <= ctx->as_of)
		finding_seen_at(f, e->expires, e->time_exact);
	if (renewal == NULL)
		renew_step(f, e, internal);
	strlist_add(&f->references, internal ? "New-ExchangeCertificate; "
	    "event 12017" : "New-ExchangeCertificate; event 12018");
}

void
expiring_from_events(struct rule_ctx *ctx)
{
	const struct ev_event	*e;
	long			 id;
	size_t			 i;

	for (i = 0; i < ctx->ev->nevents; i++) {
		e = &ctx->ev->events[i];
		id = event_effective_id(e);
		if ((id != 12017 && id != 12018) || !event_unclaimed(ctx, e) ||
		    inventory_has(ctx, e) || e->hours_remaining < 0 ||
		    !latest_of_its_kind(ctx, e))
			continue;
		expiring_one(ctx, e);
	}
}

/* ------------------------------------------------------------- 12016 */

static void
expired_fqdn(struct rule_ctx *ctx, const struct ev_event *e)
{
	struct inv_answer	 a;
	struct finding		*f;
	const char		*srv = e->server ? e->server : "an unknown server";
	char			*inv, *cmd, *text, at[64];
	size_t			 i;

	inventory_answer(ctx, e->server, e->fqdn, &a);
	/* The expired certificate the inventory shows has its finding. */
	for (i = 0; a.verdict == INV_EXPIRED && i < ctx->out->n; i++)
		if (strcmp(ctx->out->v[i].rule, "cert-expired") == 0 &&
		    strlist_contains_ci(&ctx->out->v[i].thumbprints,
		    a.cert->thumbprint)) {
			claim_kind(ctx, &ctx->out->v[i], e);
			return;
		}
	f = findings_new(ctx->out, "cert-expired", a.verdict == INV_USABLE ?
	    SEV_LOW : SEV_HIGH);
	if (e->server != NULL)
		strlist_add(&f->servers, e->server);
	if (a.cert != NULL && a.cert->thumbprint != NULL)
		strlist_add(&f->thumbprints, a.cert->thumbprint);
	f->title = xasprintf("No valid SMTP certificate for %s on %s: event "
	    "12016 says the one it had expired", e->fqdn, srv);
	inv = inventory_sentence(ctx, e->server, e->fqdn, &a);
	f->explanation = xasprintf("Event 12016 of %s says there is no valid "
	    "SMTP TLS certificate for the FQDN %s on %s: the one it had has "
	    "expired. Connectors that use that FQDN offer or present no valid "
	    "certificate: partners and Exchange Online refuse TLS, and "
	    "connectors that require TLS stop delivering. %s",
	    event_time_words(e, at, sizeof at), e->fqdn, srv, inv);
	free(inv);
	claim_kind(ctx, f, e);
	if (e->server != NULL && a.verdict != INV_USABLE) {
		cmd = cert_request_cmd(e->server, e->fqdn);
		text = xasprintf("On %s: request a certificate that contains %s, "
		    "import it with its key and enable SMTP on it (answer N to "
		    "replacing the default SMTP certificate).", e->server, e->fqdn);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	strlist_add(&f->references, "New-ExchangeCertificate; event 12016");
}

void
expired_from_events(struct rule_ctx *ctx)
{
	const struct ev_event	*e;
	size_t			 i;

	for (i = 0; i < ctx->ev->nevents; i++) {
		e = &ctx->ev->events[i];
		if (event_effective_id(e) != 12016 || e->fqdn == NULL ||
		    !event_unclaimed(ctx, e) || !latest_of_its_kind(ctx, e))
			continue;
		expired_fqdn(ctx, e);
	}
}

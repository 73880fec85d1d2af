/*
 * cert-expired and cert-expiring: certificates used for mail (SMTP or IIS
 * enabled, or pinned by a connector) judged at the as-of time, never the
 * clock of the machine reading the bundle. An installed successor (same
 * subject, later NotAfter, at least the same services, same server) makes an
 * expiring certificate a non-event and an expired one a cleanup task.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/dn.h"
#include "cert_steps.h"
#include "event_rules.h"
#include "internal_transport.h"
#include "lifetime_expiry.h"
#include "successor_services.h"
#include "rules.h"
#include "time_words.h"

#define DAY	86400

/* The Auth certificate signs OAuth tokens, never TLS: auth-certificate's. */
static bool
used_for_mail(const struct evidence *ev, const struct ev_cert *c)
{
	return (services_has(c, SVC_SMTP) || services_has(c, SVC_IIS) ||
	    cert_pinned(ev, c)) && !cert_is_auth(ev, c);
}

/*
 * Whether `server` keeps a valid certificate with SMTP enabled that can
 * secure a session: one with domains (the Auth certificate has SMTP but
 * names no host, and transport never selects it for STARTTLS). Valid by
 * its dates or, when they were not read, by Exchange's status.
 */
static bool
server_keeps_smtp(const struct evidence *ev, const char *server,
    int64_t as_of)
{
	const struct ev_cert	*c;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->server != NULL && server != NULL &&
		    ascii_casecmp(c->server, server) == 0 &&
		    services_has(c, SVC_SMTP) && !cert_expired_at(c, as_of) &&
		    (c->not_after != TIME_UNKNOWN || str_eq_ci(c->status,
		    "Valid")) && c->domains.n > 0)
			return true;
	}
	return false;
}

static void
cert_evidence(struct finding *f, const struct ev_cert *c, const char *note)
{
	char	svc[96], nb[48], na[48], *text;

	services_format(c->services, ", ", svc, sizeof svc);
	text = xasprintf("%s: certificate %s, subject %s, issuer %s, NotBefore "
	    "%s, NotAfter %s, services %s, status %s%s", c->server ? c->server :
	    "unknown server", CERT_LABEL(c), c->subject ? c->subject : "unknown",
	    c->issuer ? c->issuer : "unknown",
	    cert_time(c, c->not_before, nb, sizeof nb),
	    cert_time(c, c->not_after, na, sizeof na), svc,
	    c->status ? c->status : "unknown", note);
	finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
	free(text);
}

/*
 * Removing c once what replaces it is in use; a Send connector that names
 * it is unpinned around the removal and pinned again with its value, which
 * then matches the renewal (the same issuer and subject).
 */
static void
remove_old_step(struct finding *f, const struct evidence *ev,
    const struct ev_cert *c)
{
	struct strlist	 pins = { 0 };
	char		*opt, *cmd;
	size_t		 i, pinned, send = 0;

	/*
	 * The wait comes first: a Send connector is unpinned for minutes only
	 * (Receive connectors, SERVER\Name, are not unpinned).
	 */
	cert_pinning_connectors(ev, c, &pins);
	for (i = 0; i < pins.n; i++)
		send += strchr(pins.v[i], '\\') == NULL;
	if (send > 0)
		finding_add_step(f, "Once the replacement is in use, remove the "
		    "old certificate with the three steps below, one right after "
		    "the other.", NULL);
	strlist_free(&pins);
	pinned = cert_pin_step(f, ev, c, true);
	opt = ps_server_opt(c->server);
	cmd = ps_cmd("Remove-ExchangeCertificate%s -Thumbprint %s", opt,
	    CERT_TP_ARG(c));
	finding_add_step(f, pinned > 0 ? "Remove the old certificate." :
	    "Once the replacement is in use, remove the old certificate.", cmd);
	free(cmd);
	free(opt);
	if (pinned > 0)
		cert_pin_step(f, ev, c, false);
}

/* Renewal steps for one certificate on its server. */
static void
renew_steps(struct finding *f, const struct evidence *ev,
    const struct ev_cert *c, bool remove_old)
{
	cert_renew_steps(f, c, "renewal.req");
	if (remove_old)
		remove_old_step(f, ev, c);
}

/* The expired-certificate symptom of this very record. */
static bool
symptom_of_cert(const struct symptom *s, const void *arg)
{
	return s->type == SYM_CERT_EXPIRED && s->origin == arg;
}

static void
report_expired(struct rule_ctx *ctx, const struct cert_set *set)
{
	static const long events[] = { 12016, 12017, 0 };
	static const char *const expired_err[] = { "CertExpired", "expired", NULL };
	static const char *const tls_queue_err[] = { "4.4.1", "Connection timed "
	    "out", "TLS", "4.7.5", "certificate", "4.4.317", NULL };
	const struct evidence	*ev = ctx->ev;
	struct sym_match	 m = { 0 };
	struct finding		*f;
	struct strlist		 stranded = { 0 };
	char			*list, when[48];
	const struct ev_cert	*c;
	bool			 mail = false;
	long			 seen = 0;
	size_t			 i;

	f = findings_new(ctx->out, "cert-expired", SEV_MEDIUM);
	for (i = 0; i < set->n; i++) {
		c = set->v[i];
		if (c->server != NULL)
			strlist_add_unique_ci(&f->servers, c->server);
		cert_list_add(&f->thumbprints, c);
		cert_pinning_connectors(ev, c, &f->connectors);
		if (services_has(c, SVC_SMTP) || cert_pinned(ev, c))
			mail = true;
		if (c->server != NULL && services_has(c, SVC_SMTP) &&
		    !server_keeps_smtp(ev, c->server, ctx->as_of))
			strlist_add_unique_ci(&stranded, c->server);
	}
	strlist_sort_ci(&f->servers);
	strlist_sort_ci(&f->connectors);
	if (mail)
		f->severity = SEV_HIGH;
	/* Handshakes presenting them, CertExpired on their servers, events. */
	for (i = 0; i < set->n; i++) {
		c = set->v[i];
		memset(&m, 0, sizeof m);
		m.receive = -1;
		m.server = c->server;
		m.types = SYMBIT(SYM_CERT_EXPIRED);
		m.thumbprint = c->thumbprint;
		if (c->thumbprint != NULL)
			rule_claim_std(ctx, f, &m, false);
		else	/* known by its record alone */
			rule_claim(ctx, f, symptom_of_cert, c, false);
		m.types = SYMBIT(SYM_TLS_FAILURE);
		/* Handshakes name a thumbprint: one not known matches none. */
		if (c->thumbprint != NULL)
			seen += rule_claim_std(ctx, f, &m, true);
		m.types = SYMBIT(SYM_EVENT);
		m.event_ids = events;
		seen += rule_claim_std(ctx, f, &m, true);
	}
	for (i = 0; i < stranded.n; i++) {
		/* A server with no valid SMTP certificate: its CertExpired
		 * failures and TLS queue errors are this. */
		memset(&m, 0, sizeof m);
		m.receive = -1;
		m.server = stranded.v[i];
		m.types = SYMBIT(SYM_TLS_FAILURE);
		m.errors = expired_err;
		seen += rule_claim_std(ctx, f, &m, true);
	}
	if (seen > 0 || stranded.n > 0) {
		/* TLS fails there, so do the queues that need it. */
		for (i = 0; i < f->servers.n; i++) {
			memset(&m, 0, sizeof m);
			m.receive = -1;
			m.server = f->servers.v[i];
			m.types = SYMBIT(SYM_QUEUE) | SYMBIT(SYM_RESPONSE);
			m.errors = tls_queue_err;
			seen += rule_claim_std(ctx, f, &m, true);
		}
	}
	if (seen > 0 || (mail && stranded.n > 0))
		f->severity = SEV_CRITICAL;
	list = join_names(&f->servers);
	if (set->n == 1 && !services_has(set->v[0], SVC_SMTP) &&
	    f->connectors.n > 0) {
		/* Pinned without SMTP: say by what, not "used for SMTP". */
		char *by = join_names(&f->connectors);

		f->title = xasprintf("Certificate %s on %s, pinned by connector "
		    "%s, expired on %s", CERT_LABEL(set->v[0]), list, by,
		    cert_not_after_text(set->v[0], when, sizeof when));
		free(by);
	} else if (set->n == 1)
		f->title = xasprintf("Certificate %s on %s, used for %s, expired "
		    "on %s", CERT_LABEL(set->v[0]), list, mail ? "SMTP" : "IIS",
		    cert_not_after_text(set->v[0], when, sizeof when));
	else
		f->title = xasprintf("%zu certificates used for %s have expired "
		    "on %s", set->n, mail ? "SMTP" : "IIS", list);
	{
		struct buf b;
		char *sl = join_names(&stranded);

		buf_init(&b, 1 << 20);
		buf_appendf(&b, "At the as-of time, %s in use for %s %s expired "
		    "and no successor (same subject, later NotAfter, same services) "
		    "is installed.", set->n == 1 ? "a certificate" :
		    "certificates", mail ? "SMTP" : "IIS (Outlook on the web, "
		    "Autodiscover, Exchange Web Services)", set->n == 1 ? "has" :
		    "have");
		if (stranded.n > 0)
			buf_appendf(&b, " %s %s no valid SMTP certificate left, so "
			    "every TLS session there presents an expired "
			    "certificate.", sl, stranded.n > 1 ? "have" : "has");
		if (seen > 0)
			buf_appendf(&b, " The bundle shows the consequence: %ld "
			    "symptom%s (failed handshakes, queue errors or events) "
			    "in the evidence below.", seen, seen > 1 ? "s" : "");
		buf_appendf(&b, mail ? " Partners and Exchange Online refuse "
		    "TLS with an expired certificate, and connectors that require "
		    "TLS stop delivering." : " Clients see certificate warnings; "
		    "mail flow is not affected.");
		f->explanation = buf_steal(&b, NULL);
		free(sl);
	}
	for (i = 0; i < set->n; i++)
		cert_evidence(f, set->v[i], " (expired)");
	for (i = 0; i < set->n; i++)
		renew_steps(f, ctx->ev, set->v[i], true);
	cert_repin_steps(f, &f->connectors);
	if (mail)
		retry_waiting_steps(f);
	free(list);
	strlist_free(&stranded);
	strlist_add(&f->references, "New-ExchangeCertificate; "
	    "Import-ExchangeCertificate; Enable-ExchangeCertificate");
	strlist_add(&f->references, "events 12016, 12017");
}

static const long expired_events[] = { 12016, 12017, 0 };
static const long expiring_events[] = { 12018, 0 };

/*
 * Transport keeps warning about a certificate that has a successor until the
 * old one is removed: those events are this housekeeping finding's.
 */
static long
claim_expiry_events(struct rule_ctx *ctx, struct finding *f, const long *ids)
{
	struct sym_match	m = { 0 };
	long			n = 0;
	size_t			i;

	m.types = SYMBIT(SYM_EVENT);
	m.event_ids = ids;
	m.receive = -1;
	for (i = 0; i < f->servers.n; i++) {
		m.server = f->servers.v[i];
		n += rule_claim_std(ctx, f, &m, true);
	}
	return n;
}

static void
report_superseded(struct rule_ctx *ctx, const struct cert_set *set)
{
	struct finding	*f;
	char		*cmd, *list, *opt;
	size_t		 i;

	f = findings_new(ctx->out, "cert-expired", SEV_LOW);
	for (i = 0; i < set->n; i++) {
		if (set->v[i]->server != NULL)
			strlist_add_unique_ci(&f->servers, set->v[i]->server);
		cert_list_add(&f->thumbprints, set->v[i]);
		cert_evidence(f, set->v[i], " (expired; a valid successor is "
		    "installed)");
	}
	strlist_sort_ci(&f->servers);
	list = join_names(&f->servers);
	f->title = xasprintf("%zu expired certificate%s still installed on %s "
	    "(successor%s in place)", set->n, set->n > 1 ? "s" : "", list,
	    set->n > 1 ? "s" : "");
	f->explanation = xasprintf("Expired certificates remain on %s, each "
	    "with a valid successor enabled for the same services. Transport "
	    "uses the successor, so nothing fails; removing them avoids "
	    "confusion and event log noise.", list);
	for (i = 0; i < set->n; i++) {
		opt = ps_server_opt(set->v[i]->server);
		cmd = ps_cmd("Remove-ExchangeCertificate%s -Thumbprint %s", opt,
		    CERT_TP_ARG(set->v[i]));
		free(opt);
		finding_add_step(f, "Remove the expired certificate.", cmd);
		free(cmd);
	}
	claim_expiry_events(ctx, f, expired_events);
	free(list);
	strlist_add(&f->references, "Remove-ExchangeCertificate");
}

static void
gap_no_as_of(struct rule_ctx *ctx)
{
	gap_add(ctx->gaps, "no as-of time (no log rows, entry times or --as-of), "
	    "so expiry was not judged: add the protocol logs of the day the "
	    "bundle was collected (the paths below), or run certtrail again "
	    "with --as-of and the collection time", "Get-TransportService | "
	    "Format-List Name,SendProtocolLogPath,ReceiveProtocolLogPath");
}

static void
run_cert_expired(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	struct cert_set		 in_use = { 0 }, superseded = { 0 };
	const struct ev_cert	*c;
	size_t			 i;

	if (ctx->as_of == TIME_UNKNOWN && ev->ncerts > 0) {
		gap_no_as_of(ctx);
		expired_from_events(ctx);
		return;
	}
	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (!cert_expired_at(c, ctx->as_of) || !used_for_mail(ev, c))
			continue;
		/* Only Exchange servers see an internal transport certificate
		 * no connector pins: internal-transport-cert's. */
		if (cert_is_internal_transport(ev, c) && !cert_pinned(ev, c))
			continue;
		cert_set_add(cert_successor(ev, c, ctx->as_of) ? &superseded :
		    &in_use, c);
	}
	if (in_use.n > 0)
		report_expired(ctx, &in_use);
	if (superseded.n > 0)
		report_superseded(ctx, &superseded);
	cert_set_free(&in_use);
	cert_set_free(&superseded);
	/* What 12016 says of certificates the inventory does not judge. */
	expired_from_events(ctx);
	/* HealthChecker's lifetime in days where NotAfter is not known. */
	expired_from_lifetime(ctx);
}

const struct rule rule_cert_expired = {
	.id = "cert-expired", .sev_min = SEV_LOW, .sev_max = SEV_CRITICAL,
	.line = "a certificate used for mail has expired at the as-of time",
	.checks = "Certificates enabled for SMTP or IIS, or pinned by a "
	    "connector, whose NotAfter is before the as-of time (Status "
	    "DateInvalid when no date is known). Critical when handshakes "
	    "fail with it (CertExpired, events 12016/12017) or a server has "
	    "no valid SMTP certificate left; high while it is in use; low "
	    "when a valid successor is installed and only the cleanup is "
	    "left.",
	.why = "Partners and Exchange Online refuse TLS with an expired "
	    "certificate, and connectors that require TLS stop delivering.",
	.fix = "Renew or import a new certificate, "
	    "Enable-ExchangeCertificate -Services SMTP (and IIS where "
	    "needed), update TlsCertificateName, then remove the expired one "
	    "(mind tls-cert-name-ambiguous).",
	.refs = "New-ExchangeCertificate; Import-ExchangeCertificate; "
	    "Enable-ExchangeCertificate; events 12016, 12017",
	.run = run_cert_expired,
	.facts = {
		.problem = "A certificate in use has expired",
		.fix = "Install a renewed certificate and enable it for the "
		    "same services",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

/* Expiring certificates that have a successor, when events still warn. */
static void
report_renewed(struct rule_ctx *ctx, const struct cert_set *set)
{
	struct finding	*f;
	char		*cmd, *list, *opt;
	size_t		 i;

	f = findings_new(ctx->out, "cert-expiring", SEV_LOW);
	for (i = 0; i < set->n; i++) {
		if (set->v[i]->server != NULL)
			strlist_add_unique_ci(&f->servers, set->v[i]->server);
		cert_list_add(&f->thumbprints, set->v[i]);
		cert_evidence(f, set->v[i], " (expires soon; a successor is "
		    "installed)");
	}
	strlist_sort_ci(&f->servers);
	if (claim_expiry_events(ctx, f, expiring_events) == 0) {
		/* No warning to account for: nothing worth a finding. */
		findings_drop_last(ctx->out);
		return;
	}
	list = join_names(&f->servers);
	f->title = xasprintf("Expiry warnings (event 12018) on %s for "
	    "certificates that already have a successor", list);
	f->explanation = xasprintf("Transport warns that certificates on %s "
	    "expire soon, but a successor with the same name and services is "
	    "installed, so nothing will fail. Removing the old certificates once "
	    "the successor is in use stops the warnings.", list);
	for (i = 0; i < set->n; i++) {
		opt = ps_server_opt(set->v[i]->server);
		cmd = ps_cmd("Remove-ExchangeCertificate%s -Thumbprint %s", opt,
		    CERT_TP_ARG(set->v[i]));
		free(opt);
		finding_add_step(f, "Remove the old certificate once its successor "
		    "is in use.", cmd);
		free(cmd);
	}
	free(list);
}

/*
 * A NotAfter printed by the server's clock, within hours of the as-of time,
 * on a server whose UTC offset the bundle does not show: whether it has
 * expired is not known, and the finding says so rather than count days.
 */
static void
expires_about_now(struct rule_ctx *ctx, struct finding *f,
    const struct ev_cert *c)
{
	static const long	 events[] = { 12017, 12018, 0 };
	struct sym_match	 m = { 0 };
	char			 when[48], asof[32];

	cert_time(c, c->not_after, when, sizeof when);
	time_text(ctx->as_of, asof, sizeof asof);
	f->title = xasprintf("Certificate %s on %s expires at %s, within hours "
	    "of the as-of time; whether it has already expired depends on the "
	    "server's UTC offset, which the bundle does not show", CERT_LABEL(c),
	    c->server ? c->server : "an unknown server", when);
	f->explanation = xasprintf("Certificate %s (%s), used for mail on %s, "
	    "has NotAfter %s. The as-of time is %s; the server's offset from "
	    "UTC (anything from -12 to +14 hours) decides whether the "
	    "certificate has expired by then, and no evidence in the bundle "
	    "fixes that offset. No certificate with the same subject, a later "
	    "NotAfter and the same services is installed there: once it "
	    "expires, TLS with partners and Exchange Online fails (see "
	    "cert-expired). Renew it now.", CERT_LABEL(c),
	    c->subject ? c->subject : "subject unknown",
	    c->server ? c->server : "an unknown server", when, asof);
	cert_evidence(f, c, "");
	m.types = SYMBIT(SYM_EVENT);
	m.server = c->server;
	m.event_ids = events;
	m.receive = -1;
	rule_claim_std(ctx, f, &m, true);
	renew_steps(f, ctx->ev, c, true);
	cert_repin_steps(f, &f->connectors);
	finding_seen_at(f, c->not_after, c->dates_exact);
	strlist_add(&f->references, "New-ExchangeCertificate; events 12017, "
	    "12018");
}

/* What the logs show of a renewal no inventory holds, for a sentence. */
static char *
logged_words(const struct evidence *ev, const struct ev_tls_agg *t)
{
	char	first[48];
	long	n = 0;
	int64_t	since = TIME_UNKNOWN;
	size_t	i;

	for (i = 0; i < ev->ntls; i++) {
		const struct ev_tls_agg *u = &ev->tls[i];

		if (!u->ok || !str_eq_ci(u->cert_thumbprint, t->cert_thumbprint) ||
		    u->server == NULL || ascii_casecmp(u->server, t->server) != 0)
			continue;
		n += u->count;
		if (u->first != TIME_UNKNOWN && (since == TIME_UNKNOWN ||
		    u->first < since))
			since = u->first;
	}
	return xasprintf("the protocol logs of %s show it presented in %ld "
	    "successful handshake%s since %s, and no inventory in the bundle "
	    "holds it: it was most likely installed after the inventories were "
	    "collected",
	    t->server, n, n == 1 ? "" : "s", time_text(since, first,
	    sizeof first));
}

static void
logged_evidence(struct finding *f, const struct evidence *ev,
    const struct ev_tls_agg *t)
{
	char	na[48], *text;

	text = xasprintf("%s presented certificate %s (subject %s, NotAfter %s "
	    "in the log's certificate row), TLS succeeded; first row: %s",
	    t->server, t->cert_thumbprint, t->cert_subject, time_text(
	    t->cert_not_after, na, sizeof na), t->sample_text ? t->sample_text :
	    "");
	finding_add_evidence(f, t->log_source, t->sample_line, text, t->count);
	free(text);
	strlist_add_unique_ci(&f->thumbprints, t->cert_thumbprint);
	(void)ev;
}

/*
 * c expires soon on its server, and its renewal is installed on another
 * server only (the certificate bought for all of them, imported on one): the
 * finding says so, and the steps copy the renewal over rather than request
 * another from the CA. The renewal is an inventory record, or one the other
 * server's logs show in use (`logged`, its record then built from the log).
 */
static void
report_renewal_elsewhere(struct finding *f, const struct evidence *ev,
    const struct ev_cert *c, const struct ev_cert *o,
    const struct ev_tls_agg *logged, int64_t as_of)
{
	char	when[48], na[48], svc[96], in[32], *text, *how;
	int	services;

	how = logged != NULL ? logged_words(ev, logged) : xasprintf("it is "
	    "installed on %s, imported there only", o->server);
	f->title = xasprintf("Certificate %s on %s expires in %s (%s); "
	    "its renewal %s is %s on %s, not on %s", CERT_LABEL(c),
	    c->server, time_left_words(c->not_after, as_of, in, sizeof in),
	    cert_time(c, c->not_after, when, sizeof when), o->thumbprint,
	    logged != NULL ? "in use" : "installed", o->server, c->server);
	f->explanation = xasprintf("Certificate %s (%s), used for mail on %s, "
	    "expires %s, %s after the as-of time, and %s holds no "
	    "successor. Certificate %s, with the same subject and issuer and "
	    "valid until %s, is the renewal: %s. Copied to %s with its private "
	    "key and enabled for the same services, it replaces the old one "
	    "without a new request to the CA; otherwise TLS with partners and "
	    "Exchange Online fails on %s when the old one expires (see "
	    "cert-expired).", CERT_LABEL(c),
	    c->subject ? c->subject : "subject unknown", c->server,
	    cert_time(c, c->not_after, when, sizeof when), in, c->server,
	    o->thumbprint,
	    cert_time(o, o->not_after, na, sizeof na), how, c->server,
	    c->server);
	free(how);
	cert_evidence(f, c, "");
	if (logged != NULL)
		logged_evidence(f, ev, logged);
	else
		cert_evidence(f, o, " (the renewal, on another server)");
	strlist_add_unique_ci(&f->thumbprints, o->thumbprint);
	services = c->services == SERVICES_UNKNOWN || c->services == 0 ?
	    SVC_SMTP : c->services;
	services_format(services, ",", svc, sizeof svc);
	text = xasprintf("On %s: install renewal %s with its private key, "
	    "exported from %s (its PrivateKeyExportable must be True; if it is "
	    "not, request a renewal for %s from the CA instead), and enable it "
	    "for the same services (%s); answer N to replacing the default "
	    "SMTP certificate.", c->server, o->thumbprint, o->server,
	    c->server, svc);
	/* The same issuer and subject: connectors that name it need nothing. */
	cert_copy_step(f, o, c->server, svc, text);
	free(text);
	cert_restart_step(f, c->server, services);
	remove_old_step(f, ev, c);
	strlist_add(&f->references, "Export-ExchangeCertificate; "
	    "Import-ExchangeCertificate");
}

/*
 * c expires soon, its inventory shows no successor, but its own server's
 * logs show the renewal in use: the inventory is older than the renewal.
 * Nothing is at risk that the logs show; what is left is to confirm the
 * renewal's services and remove the old certificate. Low.
 */
static void
report_renewal_logged_here(struct finding *f, const struct evidence *ev,
    const struct ev_cert *c, const struct ev_tls_agg *t, int64_t as_of)
{
	char	when[48], na[48], svc[96], in[32], *how, *cmd, *text;

	f->severity = SEV_LOW;
	how = logged_words(ev, t);
	services_format(c->services, ",", svc, sizeof svc);
	f->title = xasprintf("Certificate %s on %s expires in %s (%s); "
	    "its renewal %s is in use there but not in the inventory",
	    CERT_LABEL(c), c->server, time_left_words(c->not_after, as_of, in,
	    sizeof in), cert_time(c, c->not_after, when, sizeof when),
	    t->cert_thumbprint);
	f->explanation = xasprintf("Certificate %s (%s), used for mail on %s, "
	    "expires %s, %s after the as-of time, and the inventory "
	    "of %s holds no successor. But certificate %s, with the same "
	    "subject and issuer and valid until %s, is its renewal: %s. Check "
	    "that it is enabled for the services the old one has (%s), then "
	    "remove the old one.", CERT_LABEL(c), c->subject ? c->subject :
	    "subject unknown", c->server, cert_time(c, c->not_after, when,
	    sizeof when), in, c->server,
	    t->cert_thumbprint, time_text(t->cert_not_after, na, sizeof na),
	    how, svc);
	free(how);
	cert_evidence(f, c, "");
	logged_evidence(f, ev, t);
	cmd = ps_cmd("Get-ExchangeCertificate -Server %q -Thumbprint %s | "
	    "Format-List Thumbprint,Subject,Services,NotAfter", c->server,
	    t->cert_thumbprint);
	text = xasprintf("On %s: read the renewal's services; enable any the "
	    "old certificate has that it lacks (answer N to replacing the "
	    "default SMTP certificate).", c->server);
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
	remove_old_step(f, ev, c);
}

/* The renewal the logs show in use elsewhere, as a record to copy from. */
static void
logged_record(struct ev_cert *o, const struct ev_tls_agg *t)
{
	ev_cert_init(o);
	o->server = t->server;
	o->thumbprint = t->cert_thumbprint;
	o->subject = t->cert_subject;
	o->issuer = t->cert_issuer;
	o->not_after = t->cert_not_after;
	o->dates_exact = true;
	o->ref.source = t->log_source;
	o->ref.line = t->sample_line;
}

static void
run_cert_expiring(struct rule_ctx *ctx)
{
	static const long events[] = { 12018, 0 };
	const struct evidence	*ev = ctx->ev;
	struct cert_set		 renewed = { 0 }, short_renewal = { 0 };
	const struct ev_cert	*c, *elsewhere;
	const struct ev_tls_agg	*logged;
	struct ev_cert		 copy;
	struct sym_match	 m = { 0 };
	struct finding		*f;
	char			 when[48], in[32];
	int64_t			 left;
	int			 missing;
	bool			 mail;
	size_t			 i;

	if (ctx->as_of == TIME_UNKNOWN) {
		expiring_from_events(ctx);
		return;
	}
	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->not_after == TIME_UNKNOWN || cert_expired_at(c, ctx->as_of) ||
		    c->not_after - ctx->as_of > 60 * DAY || !used_for_mail(ev, c))
			continue;
		if (cert_successor(ev, c, ctx->as_of)) {
			cert_set_add(&renewed, c);
			continue;
		}
		if (cert_short_successor(ev, c, ctx->as_of, &missing)) {
			cert_set_add(&short_renewal, c);
			continue;
		}
		left = c->not_after > ctx->as_of ?
		    (c->not_after - ctx->as_of) / DAY : 0;
		elsewhere = cert_successor_elsewhere(ev, c, ctx->as_of);
		f = findings_new(ctx->out, "cert-expiring",
		    left < 30 ? SEV_HIGH : SEV_MEDIUM);
		if (c->server != NULL)
			strlist_add(&f->servers, c->server);
		cert_list_add(&f->thumbprints, c);
		cert_pinning_connectors(ev, c, &f->connectors);
		if (cert_expiry_at(c, ctx->as_of) == CERT_EXPIRES_ABOUT_NOW) {
			expires_about_now(ctx, f, c);
			continue;
		}
		m.types = SYMBIT(SYM_EVENT);
		m.server = c->server;
		m.event_ids = events;
		m.receive = -1;
		if (elsewhere != NULL) {
			report_renewal_elsewhere(f, ev, c, elsewhere, NULL,
			    ctx->as_of);
			rule_claim_std(ctx, f, &m, true);
			continue;
		}
		if (c->server != NULL &&
		    (logged = cert_renewal_in_logs(ev, c, c->server)) != NULL) {
			report_renewal_logged_here(f, ev, c, logged,
			    ctx->as_of);
			rule_claim_std(ctx, f, &m, true);
			continue;
		}
		if (c->server != NULL &&
		    (logged = cert_renewal_in_logs(ev, c, NULL)) != NULL) {
			logged_record(&copy, logged);
			report_renewal_elsewhere(f, ev, c, &copy, logged,
			    ctx->as_of);
			rule_claim_std(ctx, f, &m, true);
			continue;
		}
		f->title = xasprintf("Certificate %s on %s expires in %s (%s) and "
		    "no successor is installed", CERT_LABEL(c),
		    c->server ? c->server : "an unknown server",
		    time_left_words(c->not_after, ctx->as_of, in, sizeof in),
		    cert_time(c, c->not_after, when, sizeof when));
		/* IIS only: clients see warnings; mail is not affected. */
		mail = services_has(c, SVC_SMTP) || cert_pinned(ev, c);
		f->explanation = xasprintf("Certificate %s (%s), used for %s on "
		    "%s, expires %s, %s after the as-of time. No certificate "
		    "with the same subject, a later NotAfter and the same services "
		    "is installed there, so when it expires %s (see cert-expired). "
		    "Renew it now.", CERT_LABEL(c), c->subject ? c->subject :
		    "subject unknown", mail ? "mail" : "IIS (Outlook on the web, "
		    "Autodiscover, Exchange Web Services)", c->server ? c->server :
		    "an unknown server", cert_time(c, c->not_after, when,
		    sizeof when), in, mail ? "TLS with partners that validate "
		    "certificates, and with Exchange Online, fails" : "clients see "
		    "certificate warnings; mail flow is not affected");
		cert_evidence(f, c, "");
		rule_claim_std(ctx, f, &m, true);
		renew_steps(f, ev, c, true);
		cert_repin_steps(f, &f->connectors);
		strlist_add(&f->references, "New-ExchangeCertificate; event 12018");
	}
	if (renewed.n > 0)
		report_renewed(ctx, &renewed);
	cert_set_free(&renewed);
	expiring_short_successors(ctx, &short_renewal);
	cert_set_free(&short_renewal);
	/* What 12017 and 12018 say of certificates the inventory lacks. */
	expiring_from_events(ctx);
	/* HealthChecker's lifetime in days where NotAfter is not known. */
	expiring_from_lifetime(ctx);
}

const struct rule rule_cert_expiring = {
	.id = "cert-expiring", .sev_min = SEV_LOW, .sev_max = SEV_HIGH,
	.line = "a certificate used for mail expires within 60 days and no "
	    "renewal with all its services is installed",
	.checks = "Certificates enabled for SMTP or IIS, or pinned, whose "
	    "NotAfter is within 30 days (high) or 60 days (medium) of the "
	    "as-of time, unless a successor (same subject, later NotAfter, "
	    "at least the same services, on that server) is installed. "
	    "A renewal that lacks some of its services is named with the "
	    "services it lacks, at most medium, one finding for every server "
	    "that holds the pair. Events 12018 support it; when a successor "
	    "is installed and 12018 warnings remain, a low finding accounts "
	    "for them. A NotAfter printed by the server's clock within hours "
	    "of the as-of time, the server's UTC offset unknown, is reported "
	    "here at high, saying the offset decides; never as expired.",
	.why = "When it expires, the outage of cert-expired follows.",
	.fix = "Renew now: New-ExchangeCertificate -GenerateRequest or the "
	    "CA's renewal, Import-ExchangeCertificate, "
	    "Enable-ExchangeCertificate -Services, update TlsCertificateName.",
	.refs = "New-ExchangeCertificate; event 12018",
	.run = run_cert_expiring,
	.facts = {
		.problem = "A certificate in use expires soon",
		.fix = "Have its renewal installed and enabled for every "
		    "service the old certificate has",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

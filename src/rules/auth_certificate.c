/*
 * auth-certificate (see --explain): the Exchange Server Auth Certificate,
 * which signs the organization's server-to-server OAuth tokens, expired or
 * about to expire with no next certificate set, or with a next one that
 * takes effect only after the current one expires. It is not an SMTP TLS
 * certificate (it names no host, and transport never selects it for
 * STARTTLS), so it is judged whatever its Services show: Microsoft's lab
 * exports show it with None. Its renewal is Microsoft's documented one
 * ("Maintain the Exchange Server OAuth certificate", KB 2617816): a new
 * self-signed certificate with that subject (or a newer one already
 * installed), Set-AuthConfig with it as the next one, published, the
 * previous one cleared, the Microsoft Exchange Service Host service (when
 * it takes effect at once) and the OWA and ECP application pools
 * restarted, and the Hybrid Configuration Wizard run again in a hybrid
 * organization. The old certificate is never removed by these steps:
 * Get-AuthConfig names it until the new one is published.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kinds/auth_config.h"
#include "model/time_zone.h"
#include "rules.h"
#include "time_words.h"

#define DAY	86400

/* A connector that sends to Exchange Online: the organization is hybrid. */
static bool
hybrid(const struct evidence *ev)
{
	static const char	suffix[] = ".mail.protection.outlook.com";
	const char		*h;
	size_t			 i, j, n, s = sizeof suffix - 1;

	for (i = 0; i < ev->nsendc; i++) {
		if (ev->sendc[i].cloud_services_mail_enabled == TRI_TRUE)
			return true;
		for (j = 0; j < ev->sendc[i].smart_hosts.n; j++) {
			h = ev->sendc[i].smart_hosts.v[j];
			n = strlen(h);
			if (n > s && ascii_casecmp(h + n - s, suffix) == 0)
				return true;
		}
	}
	return false;
}

/* Get-AuthConfig's next certificate, when one is set. */
static const struct ev_auth_config *
with_next(const struct evidence *ev)
{
	size_t	i;

	for (i = 0; i < ev->nauth_configs; i++)
		if (ev->auth_configs[i].next_thumbprint != NULL)
			return &ev->auth_configs[i];
	return NULL;
}

/*
 * The certificate the steps make current: one the bundle shows installed
 * (named by thumbprint), else the one the first step creates ($auth).
 * "now" is the reason it takes effect at once; NULL schedules it 48 hours
 * ahead, Microsoft's rotation of a certificate that still has time left.
 */
struct renewal {
	const char	*server;	/* where a new one is created */
	const char	*use;		/* thumbprint of an installed one, or NULL */
	const char	*now;
	bool		 in_hybrid;
};

static void
create_step(struct finding *f, const char *server)
{
	char	*cmd, *text;

	cmd = ps_cmd("$auth = New-ExchangeCertificate -Server %q -KeySize 2048 "
	    "-PrivateKeyExportable $true -SubjectName %Q -FriendlyName %Q "
	    "-DomainName @() -Services SMTP", server,
	    "cn=Microsoft Exchange Server Auth Certificate",
	    "Microsoft Exchange Server Auth Certificate");
	text = xasprintf("In one Exchange Management Shell session (the steps "
	    "below use $auth): create the new Auth certificate on %s; answer N "
	    "when asked to replace the default SMTP certificate.", server);
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
}

static void
schedule_steps(struct finding *f, const struct renewal *r)
{
	char	*cmd, *text;

	cmd = r->use != NULL ? ps_cmd("Set-AuthConfig -NewCertificateThumbprint "
	    "%q -NewCertificateEffectiveDate %s", r->use, r->now != NULL ?
	    "(Get-Date)" : "(Get-Date).AddHours(48)") : xasprintf(
	    "Set-AuthConfig -NewCertificateThumbprint $auth.Thumbprint "
	    "-NewCertificateEffectiveDate %s", r->now != NULL ? "(Get-Date)" :
	    "(Get-Date).AddHours(48)");
	if (r->now != NULL)
		text = xasprintf("Set %s as the next Auth certificate, effective now "
		    "(%s; confirm the warning that the date is less than 48 hours "
		    "away).", r->use != NULL ? r->use : "it", r->now);
	else
		text = xasprintf("Set %s as the next Auth certificate, effective in "
		    "48 hours so every server has it before it signs tokens.",
		    r->use != NULL ? r->use : "it");
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
	finding_add_step(f, r->now != NULL ? "Publish it to every server now, "
	    "then clear the previous certificate." : "After those 48 hours, "
	    "publish it and clear the previous certificate.", "Set-AuthConfig "
	    "-PublishCertificate\nSet-AuthConfig -ClearPreviousCertificate");
}

/*
 * KB 2617816, which makes the new certificate current at once, restarts
 * the Microsoft Exchange Service Host service (its certificate servicelet
 * replicates the Auth certificate to the servers) before the application
 * pools; the 48-hour rotation leaves that to the servicelet's own pace.
 */
static void
restart_steps(struct finding *f, bool service_host)
{
	char	*cmd, *text;
	size_t	 i;

	for (i = 0; i < f->servers.n; i++) {
		cmd = ps_cmd("Invoke-Command -ComputerName %q { %sRestart-WebAppPool "
		    "MSExchangeOWAAppPool; Restart-WebAppPool "
		    "MSExchangeECPAppPool }", f->servers.v[i], service_host ?
		    "Restart-Service MSExchangeServiceHost; " : "");
		text = xasprintf("On %s: restart %sthe Outlook on the web and EAC "
		    "application pools, which cache the certificate.",
		    f->servers.v[i], service_host ? "the Microsoft Exchange "
		    "Service Host service, which replicates the Auth certificate "
		    "to the server, then " : "");
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
}

static void
renewal_steps(struct finding *f, const struct renewal *r)
{
	if (r->use == NULL)
		create_step(f, r->server);
	schedule_steps(f, r);
	restart_steps(f, r->now != NULL);
	if (r->in_hybrid)
		finding_add_step(f, "Run the Hybrid Configuration Wizard again: "
		    "it gives Exchange Online the new certificate, without which "
		    "free/busy, mailbox moves and other OAuth calls between the "
		    "organizations keep failing.", NULL);
	finding_add_step(f, "Check that the new certificate is current.",
	    "Get-AuthConfig | Format-List CurrentCertificateThumbprint,"
	    "PreviousCertificateThumbprint,NextCertificateThumbprint,"
	    "NextCertificateEffectiveDate");
}

/*
 * A newer Auth certificate already installed: one that bears the Auth
 * certificate's name (or that Get-AuthConfig names), on a server whose
 * inventory the bundle holds, with its private key, valid at the as-of
 * time and for longer than the current one tp (expiring at not_after;
 * TIME_UNKNOWN when no inventory holds it: any valid one then). Making it
 * current needs no new certificate. The one valid the longest, else NULL.
 */
static const struct ev_cert *
installed_successor(const struct evidence *ev, const char *tp,
    int64_t not_after, int64_t as_of)
{
	const struct ev_cert	*r, *best = NULL;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		r = &ev->certs[i];
		if (r->server == NULL || r->thumbprint == NULL ||
		    str_eq_ci(r->thumbprint, tp) ||
		    !cert_is_auth(ev, r) || r->has_private_key == TRI_FALSE ||
		    cert_expiry_at(r, as_of) != CERT_VALID ||
		    (not_after != TIME_UNKNOWN && r->not_after <= not_after) ||
		    (r->not_before != TIME_UNKNOWN && r->not_before > as_of))
			continue;
		if (best == NULL || r->not_after > best->not_after)
			best = r;
	}
	return best;
}

/*
 * Each inventory row of certificate tp, its servers added to f's unless
 * f's servers are those that lack something.
 */
static void
cert_evidence(struct finding *f, const struct evidence *ev, const char *tp,
    bool add_servers)
{
	const struct ev_cert	*r;
	char			 when[48], svc[96], *text;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		r = &ev->certs[i];
		if (!str_eq_ci(r->thumbprint, tp))
			continue;
		if (add_servers && r->server != NULL)
			strlist_add_unique_ci(&f->servers, r->server);
		services_format(r->services, ", ", svc, sizeof svc);
		text = xasprintf("%s: certificate %s, subject %s, NotAfter %s, "
		    "services %s", r->server ? r->server : "unknown server",
		    r->thumbprint, r->subject ? r->subject : "unknown",
		    cert_time(r, r->not_after, when, sizeof when), svc);
		finding_add_evidence(f, r->ref.source, r->ref.line, text, 1);
		free(text);
	}
	strlist_sort_ci(&f->servers);
}

static void
config_evidence(struct finding *f, const struct evidence *ev)
{
	const struct ev_auth_config	*a;
	char				 when[48], *text;
	size_t				 i;

	for (i = 0; i < ev->nauth_configs; i++) {
		a = &ev->auth_configs[i];
		time_text_zoned(a->next_effective, a->next_effective_exact, when,
		    sizeof when);
		text = xasprintf("Get-AuthConfig: CurrentCertificateThumbprint "
		    "%s, NextCertificateThumbprint %s, NextCertificateEffectiveDate "
		    "%s, PreviousCertificateThumbprint %s", a->current_thumbprint ?
		    a->current_thumbprint : "(empty)", a->next_thumbprint ?
		    a->next_thumbprint : "(empty)", a->next_effective !=
		    TIME_UNKNOWN ? when : "(empty or unread)",
		    a->previous_thumbprint ? a->previous_thumbprint : "(empty)");
		finding_add_evidence(f, a->ref.source, a->ref.line, text, 1);
		free(text);
	}
}

/* The servers whose inventory holds certificate tp, joined for a sentence. */
static char *
holders(const struct evidence *ev, const char *tp)
{
	struct strlist	 l = { 0 };
	char		*s;
	size_t		 i;

	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].server != NULL &&
		    str_eq_ci(ev->certs[i].thumbprint, tp))
			strlist_add_unique_ci(&l, ev->certs[i].server);
	strlist_sort_ci(&l);
	s = l.n > 0 ? join_names(&l) : NULL;
	strlist_free(&l);
	return s;
}

/*
 * Get-AuthConfig names a current certificate that servers whose inventory
 * the bundle holds do not have: they cannot sign OAuth tokens. A new
 * certificate, published, is the documented way back; a newer Auth
 * certificate already installed (valid, with its private key) serves
 * instead of creating one.
 */
static void
report_missing(struct rule_ctx *ctx, const char *tp)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_cert	*s;
	struct strlist		 have = { 0 }, lack = { 0 };
	struct renewal		 r = { 0 };
	struct finding		*f;
	char			 when[48], *list, *text, *on, *instead;
	int64_t			 not_after = TIME_UNKNOWN;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		if (ev->certs[i].server == NULL ||
		    !str_eq_ci(ev->certs[i].thumbprint, tp))
			continue;
		strlist_add_unique_ci(&have, ev->certs[i].server);
		if (ev->certs[i].not_after != TIME_UNKNOWN)
			not_after = ev->certs[i].not_after;
	}
	/* A server with a certificate whose thumbprint was masked may hold it. */
	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].server != NULL &&
		    !strlist_contains_ci(&have, ev->certs[i].server) &&
		    !server_has_unnamed_cert(ev, ev->certs[i].server))
			strlist_add_unique_ci(&lack, ev->certs[i].server);
	strlist_sort_ci(&lack);
	if (lack.n == 0) {
		strlist_free(&have);
		return;
	}
	f = findings_new(ctx->out, "auth-certificate", SEV_HIGH);
	strlist_copy(&f->servers, &lack);
	strlist_add(&f->thumbprints, tp);
	list = join_names(&lack);
	s = installed_successor(ev, tp, not_after, ctx->as_of);
	if (s != NULL) {
		on = holders(ev, s->thumbprint);
		instead = xasprintf(" A newer Auth certificate is already "
		    "installed: %s (%s, valid until %s, on %s). Made current "
		    "and published, it needs no new certificate.", s->thumbprint,
		    s->subject ? s->subject : "subject unknown", cert_time(s,
		    s->not_after, when, sizeof when), on);
		free(on);
	} else
		instead = xstrdup("");
	f->title = xasprintf("The current Auth certificate %s, which "
	    "Get-AuthConfig names, is not installed on %s", tp, list);
	f->explanation = xasprintf("Get-AuthConfig names %s as the current "
	    "Auth certificate, the one Exchange signs its server-to-server "
	    "OAuth tokens with, but the certificate inventory of %s does not "
	    "hold it%s. %s cannot sign those tokens: sign-in to Outlook on the "
	    "web and the EAC and, in a hybrid organization, free/busy and "
	    "mailbox moves with Exchange Online fail there. It is not a TLS "
	    "certificate for SMTP. The documented way back is a new Auth "
	    "certificate, published to every server.%s", tp, list, have.n > 0 ?
	    " (other servers do)" : "", lack.n > 1 ? "They" : list, instead);
	free(instead);
	for (i = 0; i < ev->nauth_configs; i++) {
		const struct ev_auth_config *a = &ev->auth_configs[i];

		if (!str_eq_ci(a->current_thumbprint, tp))
			continue;
		text = xasprintf("Get-AuthConfig: CurrentCertificateThumbprint %s, "
		    "NextCertificateThumbprint %s", tp, a->next_thumbprint ?
		    a->next_thumbprint : "(empty)");
		finding_add_evidence(f, a->ref.source, a->ref.line, text, 1);
		free(text);
	}
	if (s != NULL) {
		strlist_add(&f->thumbprints, s->thumbprint);
		cert_evidence(f, ev, s->thumbprint, false);
	}
	r.server = lack.v[0];
	r.use = s != NULL ? s->thumbprint : NULL;
	r.now = "the current one is missing";
	r.in_hybrid = hybrid(ev);
	renewal_steps(f, &r);
	free(list);
	strlist_free(&have);
	strlist_free(&lack);
	strlist_add(&f->references, REF_LEARN "Maintain the Exchange Server "
	    "OAuth certificate");
	strlist_add(&f->references, "CSS-Exchange MonitorExchangeAuthCertificate");
}

enum next_timing { NEXT_IN_TIME, NEXT_LATE, NEXT_ABOUT_EXPIRY };

/*
 * Whether the next certificate takes over before the current one expires.
 * Format-List gives NextCertificateEffectiveDate in the server's local time
 * and a certificate's dates may be UTC: when only one of the two is local,
 * either may be off by up to the largest UTC offset, and within that the
 * order is not known.
 */
static enum next_timing
next_timing(const struct ev_cert *c, const struct ev_auth_config *a)
{
	int64_t	slack = c->dates_exact == a->next_effective_exact ? 0 :
	    (int64_t)TZ_OFFSET_MAX_MINUTES * 60;

	if (a->next_effective <= c->not_after - slack)
		return NEXT_IN_TIME;
	if (a->next_effective > c->not_after + slack)
		return NEXT_LATE;
	return NEXT_ABOUT_EXPIRY;
}

static const char *
oauth_outage(bool in_hybrid)
{
	return in_hybrid ? "sign-in to Outlook on the web and the EAC fails "
	    "(KB 2617816), and so do free/busy, mailbox moves and other OAuth "
	    "calls between this organization and Exchange Online" : "sign-in "
	    "to Outlook on the web and the EAC fails (KB 2617816), and so does "
	    "every OAuth call between servers and partner applications";
}

/* The current certificate, the next one and the configuration naming both. */
static void
current_and_next(struct finding *f, const struct evidence *ev,
    const struct ev_cert *c, const struct ev_auth_config *a)
{
	strlist_add(&f->thumbprints, c->thumbprint);
	strlist_add(&f->thumbprints, a->next_thumbprint);
	cert_evidence(f, ev, c->thumbprint, true);
	cert_evidence(f, ev, a->next_thumbprint, true);
	config_evidence(f, ev);
}

/*
 * Get-AuthConfig sets a next certificate, but its effective date falls
 * after the current one's NotAfter: from that NotAfter until the effective
 * date Exchange signs its tokens with an expired certificate. The gap opens
 * when the current one expires, so it is judged on the expiry ladder's
 * clock, one step up: with a next certificate set the renewal looks done,
 * so no one is prompted to act before OAuth fails. Not failing yet, it is
 * never critical.
 */
static void
report_late_next(struct rule_ctx *ctx, const struct ev_cert *c,
    const struct ev_auth_config *a, enum next_timing t, long long left)
{
	const struct evidence	*ev = ctx->ev;
	struct renewal		 r = { 0 };
	struct finding		*f;
	char			 na[48], eff[48], *on, *order;

	f = findings_new(ctx->out, "auth-certificate", left < 60 ? SEV_HIGH :
	    SEV_MEDIUM);
	current_and_next(f, ev, c, a);
	cert_time(c, c->not_after, na, sizeof na);
	time_text_zoned(a->next_effective, a->next_effective_exact, eff,
	    sizeof eff);
	on = holders(ev, a->next_thumbprint);
	order = t == NEXT_LATE ? xasprintf("after the current one expires") :
	    xasprintf("within hours of the current one's expiry (which comes "
	    "first depends on the server's UTC offset, which the bundle does "
	    "not show)");
	f->title = xasprintf("The next Auth certificate %s takes effect at %s, "
	    "%s at %s: OAuth fails in between", a->next_thumbprint, eff, order,
	    na);
	f->explanation = xasprintf("Get-AuthConfig sets certificate %s (%s%s) as "
	    "the next Auth certificate with NextCertificateEffectiveDate %s, "
	    "but the current one, %s, expires %s (NotAfter). From then until "
	    "the next one takes effect no valid Auth certificate is current: "
	    "Exchange signs its server-to-server OAuth tokens with the expired "
	    "one, so %s. Make the next certificate current now instead: set "
	    "its effective date to now, publish it, clear the previous one and "
	    "restart the Microsoft Exchange Service Host service and the OWA "
	    "and ECP application pools (KB 2617816)%s.", a->next_thumbprint,
	    on != NULL ? "installed on " : "", on != NULL ? on : "not in the "
	    "certificate inventories the bundle holds", eff, c->thumbprint, na, oauth_outage(hybrid(ev)),
	    hybrid(ev) ? ", then run the Hybrid Configuration Wizard again" :
	    "");
	r.use = a->next_thumbprint;
	r.now = "the date Get-AuthConfig holds comes after the current one "
	    "expires";
	r.in_hybrid = hybrid(ev);
	renewal_steps(f, &r);
	free(on);
	free(order);
	strlist_add(&f->references, REF_LEARN "Maintain the Exchange Server "
	    "OAuth certificate");
	strlist_add(&f->references, "Microsoft KB 2617816");
	strlist_add(&f->references, "Set-AuthConfig -NewCertificateThumbprint "
	    "-NewCertificateEffectiveDate -PublishCertificate");
}

/*
 * A next certificate is set but its effective date was not read (left out
 * of the export, or a day/month order the file does not decide): whether it
 * takes over before the current one expires is unknown. Within the expiry
 * ladder's 60 days that is worth checking, at medium: nothing shows a fault.
 */
static void
report_unread_next(struct rule_ctx *ctx, const struct ev_cert *c,
    const struct ev_auth_config *a)
{
	const struct evidence	*ev = ctx->ev;
	struct renewal		 r = { 0 };
	struct finding		*f;
	char			 na[48], *text;

	f = findings_new(ctx->out, "auth-certificate", SEV_MEDIUM);
	current_and_next(f, ev, c, a);
	cert_time(c, c->not_after, na, sizeof na);
	f->title = xasprintf("The Exchange Server Auth Certificate %s expires "
	    "%s; whether the next one, %s, takes effect before then is unknown",
	    c->thumbprint, na, a->next_thumbprint);
	f->explanation = xasprintf("Get-AuthConfig sets %s as the next Auth "
	    "certificate, but its NextCertificateEffectiveDate is not in the "
	    "bundle or was not read as a date. The "
	    "current one, %s, expires %s. If the next one takes effect only "
	    "after that, no valid Auth certificate is current in between and %s.",
	    a->next_thumbprint, c->thumbprint, na, oauth_outage(hybrid(ev)));
	text = xasprintf("Read the next certificate's effective date; the steps "
	    "below are needed only if it falls after %s.", na);
	finding_add_step(f, text, "Get-AuthConfig | Format-List "
	    "NextCertificateThumbprint,NextCertificateEffectiveDate");
	free(text);
	r.use = a->next_thumbprint;
	r.now = "so that it is current before the current one expires";
	r.in_hybrid = hybrid(ev);
	renewal_steps(f, &r);
	strlist_add(&f->references, REF_LEARN "Maintain the Exchange Server "
	    "OAuth certificate");
	strlist_add(&f->references, "Set-AuthConfig -NewCertificateThumbprint "
	    "-NewCertificateEffectiveDate -PublishCertificate");
}

static void
expiry_title(struct finding *f, const struct ev_cert *c, int64_t as_of)
{
	char	when[48], in[32];

	cert_time(c, c->not_after, when, sizeof when);
	if (cert_expired_at(c, as_of))
		f->title = xasprintf("The Exchange Server Auth Certificate %s "
		    "expired %s: OAuth between servers and services fails",
		    c->thumbprint, when);
	else if (cert_expiry_at(c, as_of) == CERT_EXPIRES_ABOUT_NOW)
		f->title = xasprintf("The Exchange Server Auth Certificate %s "
		    "expires at %s, within hours of the as-of time (whether it "
		    "already has depends on the server's UTC offset, which the "
		    "bundle does not show), and no next certificate is set",
		    c->thumbprint, when);
	else
		f->title = xasprintf("The Exchange Server Auth Certificate %s "
		    "expires in %s (%s) and no next certificate is set",
		    c->thumbprint, time_left_words(c->not_after, as_of, in,
		    sizeof in), when);
}

/*
 * How the explanation ends: the renewal Microsoft documents, with the
 * newer Auth certificate the bundle shows installed when there is one.
 */
static char *
renewal_sentence(const struct evidence *ev, const struct ev_cert *s,
    bool in_hybrid)
{
	const struct ev_auth_config	*a = with_next(ev);
	char				 when[48], *on, *text;
	const char			*named;

	if (s == NULL)
		return xasprintf("Renew it as Microsoft documents: a new Auth "
		    "certificate, set as the next one, published, the previous "
		    "one cleared, the OWA and ECP application pools restarted%s "
		    "(CSS-Exchange's MonitorExchangeAuthCertificate.ps1 does the "
		    "same).", in_hybrid ? " and the Hybrid Configuration Wizard "
		    "run again" : "");
	named = a != NULL && str_eq_ci(a->next_thumbprint, s->thumbprint) ?
	    ", which Get-AuthConfig names as the next one" :
	    ev->nauth_configs > 0 ? ", which Get-AuthConfig does not name" : "";
	on = holders(ev, s->thumbprint);
	text = xasprintf("A newer Auth certificate is already installed: %s "
	    "(%s, valid until %s, on %s)%s. Renew with it as Microsoft "
	    "documents, with no new certificate: set as the next one, "
	    "published, the previous one cleared, the OWA and ECP application "
	    "pools restarted%s.", s->thumbprint, s->subject ? s->subject :
	    "subject unknown", cert_time(s, s->not_after, when, sizeof when),
	    on, named, in_hybrid ? " and the Hybrid Configuration Wizard run "
	    "again" : "");
	free(on);
	return text;
}

/* The current certificate c has expired, or expires with no next one set. */
static void
report_expiry(struct rule_ctx *ctx, const struct ev_cert *c, const char *from,
    long long left)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_cert	*s = installed_successor(ev, c->thumbprint,
	    c->not_after, ctx->as_of);
	struct sym_match	 m = { 0 };
	struct renewal		 r = { 0 };
	struct finding		*f;
	char			 when[48], svc[96], *list, *renew;
	bool			 expired = cert_expired_at(c, ctx->as_of);

	f = findings_new(ctx->out, "auth-certificate", expired ? SEV_CRITICAL :
	    left < 30 ? SEV_HIGH : SEV_MEDIUM);
	strlist_add(&f->thumbprints, c->thumbprint);
	cert_evidence(f, ev, c->thumbprint, true);
	if (s != NULL) {
		strlist_add(&f->thumbprints, s->thumbprint);
		cert_evidence(f, ev, s->thumbprint, true);
	}
	config_evidence(f, ev);
	r.in_hybrid = hybrid(ev);
	expiry_title(f, c, ctx->as_of);
	list = holders(ev, c->thumbprint);
	cert_time(c, c->not_after, when, sizeof when);
	services_format(c->services, ", ", svc, sizeof svc);
	renew = renewal_sentence(ev, s, r.in_hybrid);
	f->explanation = xasprintf("Certificate %s (%s), the organization's "
	    "current Auth certificate (known from %s, installed on %s, "
	    "services %s), %s %s. Exchange signs its server-to-server OAuth "
	    "tokens with it; it is not a TLS certificate for SMTP, so its "
	    "services do not matter. %s, %s. %s Leave the old certificate "
	    "installed until the new one is current.", c->thumbprint,
	    c->subject ? c->subject : "subject unknown", strcmp(from,
	    "its subject") == 0 ? "its subject: Get-AuthConfig was not "
	    "collected" : from, list != NULL ? list : "no server the bundle "
	    "names", svc, expired ? "expired" : "expires", when, expired ?
	    "Since then" : "When it expires", oauth_outage(r.in_hybrid), renew);
	free(renew);
	free(list);
	m.types = SYMBIT(SYM_CERT_EXPIRED);
	m.thumbprint = c->thumbprint;
	m.receive = -1;
	rule_claim_std(ctx, f, &m, false);
	r.server = f->servers.n > 0 ? f->servers.v[0] : c->server ? c->server :
	    "";
	r.use = s != NULL ? s->thumbprint : NULL;
	r.now = expired ? "the current one has expired" : NULL;
	renewal_steps(f, &r);
	strlist_add(&f->references, REF_LEARN "Maintain the Exchange Server "
	    "OAuth certificate");
	strlist_add(&f->references, "Microsoft KB 2617816");
	strlist_add(&f->references, "Set-AuthConfig -NewCertificateThumbprint "
	    "-PublishCertificate -ClearPreviousCertificate");
	strlist_add(&f->references, "CSS-Exchange MonitorExchangeAuthCertificate");
}

static void
run_auth_certificate(struct rule_ctx *ctx)
{
	const struct evidence		*ev = ctx->ev;
	const struct ev_cert		*c = NULL;
	const struct ev_auth_config	*a;
	const char			*tp, *from;
	enum next_timing		 t;
	long long			 left;
	size_t				 i;

	if (ctx->as_of == TIME_UNKNOWN ||
	    (tp = auth_current_thumbprint(ev, &from)) == NULL)
		return;
	if (strcmp(from, "Get-AuthConfig") == 0)
		report_missing(ctx, tp);
	for (i = 0; i < ev->ncerts && c == NULL; i++)
		if (str_eq_ci(ev->certs[i].thumbprint, tp) &&
		    ev->certs[i].not_after != TIME_UNKNOWN)
			c = &ev->certs[i];
	if (c == NULL)
		return;
	left = c->not_after > ctx->as_of ?
	    (long long)((c->not_after - ctx->as_of) / DAY) : 0;
	if (cert_expired_at(c, ctx->as_of)) {
		report_expiry(ctx, c, from, left);
		return;
	}
	if ((a = with_next(ev)) == NULL) {
		if (left <= 60)
			report_expiry(ctx, c, from, left);
	} else if (a->next_effective == TIME_UNKNOWN) {
		if (left <= 60)
			report_unread_next(ctx, c, a);
	} else if ((t = next_timing(c, a)) != NEXT_IN_TIME)
		report_late_next(ctx, c, a, t, left);
}

const struct rule rule_auth_certificate = {
	.id = "auth-certificate", .sev_min = SEV_MEDIUM, .sev_max = SEV_CRITICAL,
	.line = "the Exchange Server Auth Certificate (OAuth) has expired, "
	    "expires soon with no next one set, is missing from a server, or "
	    "its next one takes effect only after it expires",
	.checks = "The organization's current Auth certificate "
	    "(Get-AuthConfig's CurrentCertificateThumbprint, else "
	    "HealthChecker's, else the latest certificate with the subject "
	    "\"CN=Microsoft Exchange Server Auth Certificate\") joined to the "
	    "inventory, whatever its Services show: critical when it has "
	    "expired at the as-of time, high within 30 days and medium within "
	    "60 days when Get-AuthConfig sets no next certificate; high when "
	    "the inventory of a server lacks the certificate Get-AuthConfig "
	    "names; high (medium beyond 60 days) when Get-AuthConfig's "
	    "NextCertificateEffectiveDate falls after the current one's "
	    "NotAfter, a local date against a UTC one compared with the "
	    "largest UTC offset as slack; medium within 60 days when that "
	    "date was not read. A newer Auth certificate already "
	    "installed (valid, with its private key) is used instead of a new "
	    "one. It is never judged as an SMTP TLS certificate (cert-expired "
	    "and cert-expiring leave it out).",
	.why = "Exchange signs server-to-server OAuth tokens with it: expired, "
	    "sign-in to Outlook on the web and the EAC fails, and in hybrid "
	    "free/busy and mailbox moves to Exchange Online fail.",
	.fix = "New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable "
	    "$true -SubjectName 'cn=Microsoft Exchange Server Auth "
	    "Certificate' -DomainName @() -Services SMTP (answer N), unless a "
	    "newer one is installed; Set-AuthConfig -NewCertificateThumbprint "
	    "-NewCertificateEffectiveDate, Set-AuthConfig -PublishCertificate, "
	    "Set-AuthConfig -ClearPreviousCertificate, restart the Microsoft "
	    "Exchange Service Host service when the certificate takes effect "
	    "at once, restart the OWA and ECP application pools, rerun the "
	    "Hybrid Configuration Wizard.",
	.refs = REF_LEARN "Maintain the Exchange Server OAuth certificate; "
	    "Microsoft KB 2617816; Set-AuthConfig; CSS-Exchange "
	    "MonitorExchangeAuthCertificate",
	.run = run_auth_certificate,
	.facts = {
		.problem = "The Auth certificate, which signs Exchange's OAuth "
		    "tokens, needs renewing",
		.fix = "Create a new Auth certificate and publish it with "
		    "Set-AuthConfig",
		.risk = "medium", .downtime = FIX_RESTARTS_WEB,
	},
};

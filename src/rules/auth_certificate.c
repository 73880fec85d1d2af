/*
 * auth-certificate (see --explain): the Exchange Server Auth Certificate,
 * which signs the organization's server-to-server OAuth tokens, expired or
 * about to expire with no next certificate set. It is not an SMTP TLS
 * certificate (it names no host, and transport never selects it for
 * STARTTLS), so it is judged whatever its Services show: Microsoft's lab
 * exports show it with None. Its renewal is Microsoft's documented one
 * ("Maintain the Exchange Server OAuth certificate", KB 2617816): a new
 * self-signed certificate with that subject, Set-AuthConfig with it as the
 * next one, published, the previous one cleared, the OWA and ECP
 * application pools restarted, and the Hybrid Configuration Wizard run
 * again in a hybrid organization. The old certificate is never removed by
 * these steps: Get-AuthConfig names it until the new one is published.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kinds/auth_config.h"
#include "rules.h"

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

static void
renewal_steps(struct finding *f, const char *server, bool expired,
    bool in_hybrid)
{
	char	*cmd, *text;
	size_t	 i;

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
	if (expired) {
		finding_add_step(f, "Make it the next Auth certificate, effective "
		    "now (the current one has expired; confirm the warning that "
		    "the date is less than 48 hours away).", "Set-AuthConfig "
		    "-NewCertificateThumbprint $auth.Thumbprint "
		    "-NewCertificateEffectiveDate (Get-Date)");
		finding_add_step(f, "Publish it to every server now, then clear "
		    "the previous certificate.", "Set-AuthConfig "
		    "-PublishCertificate\nSet-AuthConfig -ClearPreviousCertificate");
	} else {
		finding_add_step(f, "Make it the next Auth certificate, effective "
		    "in 48 hours so every server has it before it signs "
		    "tokens.", "Set-AuthConfig -NewCertificateThumbprint "
		    "$auth.Thumbprint -NewCertificateEffectiveDate "
		    "(Get-Date).AddHours(48)");
		finding_add_step(f, "After those 48 hours, publish it and clear "
		    "the previous certificate.", "Set-AuthConfig "
		    "-PublishCertificate\nSet-AuthConfig -ClearPreviousCertificate");
	}
	for (i = 0; i < f->servers.n; i++) {
		cmd = ps_cmd("Invoke-Command -ComputerName %q { Restart-WebAppPool "
		    "MSExchangeOWAAppPool; Restart-WebAppPool "
		    "MSExchangeECPAppPool }", f->servers.v[i]);
		text = xasprintf("On %s: restart the Outlook on the web and EAC "
		    "application pools, which cache the certificate.",
		    f->servers.v[i]);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	if (in_hybrid)
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
 * Get-AuthConfig names a current certificate that servers whose inventory
 * the bundle holds do not have: they cannot sign OAuth tokens. A new
 * certificate, published, is the documented way back.
 */
static void
report_missing(struct rule_ctx *ctx, const char *tp)
{
	const struct evidence	*ev = ctx->ev;
	struct strlist		 have = { 0 }, lack = { 0 };
	struct finding		*f;
	char			*list, *text;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		if (ev->certs[i].server == NULL)
			continue;
		if (str_eq_ci(ev->certs[i].thumbprint, tp))
			strlist_add_unique_ci(&have, ev->certs[i].server);
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
	f->title = xasprintf("The current Auth certificate %s, which "
	    "Get-AuthConfig names, is not installed on %s", tp, list);
	f->explanation = xasprintf("Get-AuthConfig names %s as the current "
	    "Auth certificate, the one Exchange signs its server-to-server "
	    "OAuth tokens with, but the certificate inventory of %s does not "
	    "hold it%s. %s cannot sign those tokens: sign-in to Outlook on the "
	    "web and the EAC and, in a hybrid organization, free/busy and "
	    "mailbox moves with Exchange Online fail there. It is not a TLS "
	    "certificate for SMTP. The documented way back is a new Auth "
	    "certificate, published to every server.", tp, list, have.n > 0 ?
	    " (other servers do)" : "", lack.n > 1 ? "They" : list);
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
	renewal_steps(f, lack.v[0], true, hybrid(ev));
	free(list);
	strlist_free(&have);
	strlist_free(&lack);
	strlist_add(&f->references, REF_LEARN "Maintain the Exchange Server "
	    "OAuth certificate");
	strlist_add(&f->references, "CSS-Exchange MonitorExchangeAuthCertificate");
}

static void
run_auth_certificate(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_cert	*c = NULL;
	struct sym_match	 m = { 0 };
	struct finding		*f;
	const char		*tp, *from;
	char			 when[48], svc[96], *list, *text;
	bool			 expired, in_hybrid;
	long long		 left;
	size_t			 i;

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
	expired = cert_expired_at(c, ctx->as_of);
	left = c->not_after > ctx->as_of ?
	    (long long)((c->not_after - ctx->as_of) / DAY) : 0;
	if (!expired && (left > 60 || with_next(ev) != NULL))
		return;
	f = findings_new(ctx->out, "auth-certificate", expired ? SEV_CRITICAL :
	    left < 30 ? SEV_HIGH : SEV_MEDIUM);
	strlist_add(&f->thumbprints, c->thumbprint);
	for (i = 0; i < ev->ncerts; i++)
		if (str_eq_ci(ev->certs[i].thumbprint, tp)) {
			const struct ev_cert *r = &ev->certs[i];

			if (r->server != NULL)
				strlist_add_unique_ci(&f->servers, r->server);
			services_format(r->services, ", ", svc, sizeof svc);
			text = xasprintf("%s: certificate %s, subject %s, NotAfter "
			    "%s, services %s", r->server ? r->server :
			    "unknown server", r->thumbprint, r->subject ?
			    r->subject : "unknown", cert_time(r, r->not_after,
			    when, sizeof when), svc);
			finding_add_evidence(f, r->ref.source, r->ref.line, text,
			    1);
			free(text);
		}
	strlist_sort_ci(&f->servers);
	for (i = 0; i < ev->nauth_configs; i++) {
		const struct ev_auth_config *a = &ev->auth_configs[i];

		text = xasprintf("Get-AuthConfig: CurrentCertificateThumbprint "
		    "%s, NextCertificateThumbprint %s, "
		    "PreviousCertificateThumbprint %s", a->current_thumbprint ?
		    a->current_thumbprint : "(empty)", a->next_thumbprint ?
		    a->next_thumbprint : "(empty)", a->previous_thumbprint ?
		    a->previous_thumbprint : "(empty)");
		finding_add_evidence(f, a->ref.source, a->ref.line, text, 1);
		free(text);
	}
	in_hybrid = hybrid(ev);
	list = join_names(&f->servers);
	cert_time(c, c->not_after, when, sizeof when);
	services_format(c->services, ", ", svc, sizeof svc);
	if (expired)
		f->title = xasprintf("The Exchange Server Auth Certificate %s "
		    "expired %s: OAuth between servers and services fails",
		    c->thumbprint, when);
	else if (cert_expiry_at(c, ctx->as_of) == CERT_EXPIRES_ABOUT_NOW)
		f->title = xasprintf("The Exchange Server Auth Certificate %s "
		    "expires at %s, within hours of the as-of time (whether it "
		    "already has depends on the server's UTC offset, which the "
		    "bundle does not show), and no next certificate is set",
		    c->thumbprint, when);
	else
		f->title = xasprintf("The Exchange Server Auth Certificate %s "
		    "expires in %lld day%s (%s) and no next certificate is set",
		    c->thumbprint, left, left == 1 ? "" : "s", when);
	f->explanation = xasprintf("Certificate %s (%s), the organization's "
	    "current Auth certificate (known from %s, installed on %s, "
	    "services %s), %s %s. Exchange signs its server-to-server OAuth "
	    "tokens with it; it is not a TLS certificate for SMTP, so its "
	    "services do not matter. %s%s Renew it as Microsoft documents: a "
	    "new Auth certificate, set as the next one, published, the "
	    "previous one cleared, the OWA and ECP application pools "
	    "restarted%s (CSS-Exchange's MonitorExchangeAuthCertificate.ps1 "
	    "does the same). Leave the old certificate installed until the "
	    "new one is current.", c->thumbprint, c->subject ? c->subject :
	    "subject unknown", strcmp(from, "its subject") == 0 ? "its "
	    "subject: Get-AuthConfig was not collected" : from, list, svc,
	    expired ? "expired" : "expires", when, expired ? "Since then, "
	    "sign-in to Outlook on the web and the EAC fails (KB 2617816)" :
	    "When it expires, sign-in to Outlook on the web and the EAC fails "
	    "(KB 2617816)", in_hybrid ? ", and so do free/busy, mailbox moves "
	    "and other OAuth calls between this organization and Exchange "
	    "Online." : ", and so does every OAuth call between servers and "
	    "partner applications.", in_hybrid ? " and the Hybrid "
	    "Configuration Wizard run again" : "");
	free(list);
	m.types = SYMBIT(SYM_CERT_EXPIRED);
	m.thumbprint = c->thumbprint;
	m.receive = -1;
	rule_claim_std(ctx, f, &m, false);
	renewal_steps(f, f->servers.n > 0 ? f->servers.v[0] : c->server ?
	    c->server : "", expired, in_hybrid);
	strlist_add(&f->references, REF_LEARN "Maintain the Exchange Server "
	    "OAuth certificate");
	strlist_add(&f->references, "Microsoft KB 2617816");
	strlist_add(&f->references, "Set-AuthConfig -NewCertificateThumbprint "
	    "-PublishCertificate -ClearPreviousCertificate");
	strlist_add(&f->references, "CSS-Exchange MonitorExchangeAuthCertificate");
}

const struct rule rule_auth_certificate = {
	.id = "auth-certificate", .sev_min = SEV_MEDIUM, .sev_max = SEV_CRITICAL,
	.line = "the Exchange Server Auth Certificate (OAuth) has expired, "
	    "expires soon with no next one set, or is missing from a server",
	.checks = "The organization's current Auth certificate "
	    "(Get-AuthConfig's CurrentCertificateThumbprint, else "
	    "HealthChecker's, else the latest certificate with the subject "
	    "\"CN=Microsoft Exchange Server Auth Certificate\") joined to the "
	    "inventory, whatever its Services show: critical when it has "
	    "expired at the as-of time, high within 30 days and medium within "
	    "60 days when Get-AuthConfig sets no next certificate; high when "
	    "the inventory of a server lacks the certificate Get-AuthConfig "
	    "names. It is never judged as an SMTP TLS certificate "
	    "(cert-expired and cert-expiring leave it out).",
	.why = "Exchange signs server-to-server OAuth tokens with it: expired, "
	    "sign-in to Outlook on the web and the EAC fails, and in hybrid "
	    "free/busy and mailbox moves to Exchange Online fail.",
	.fix = "New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable "
	    "$true -SubjectName 'cn=Microsoft Exchange Server Auth "
	    "Certificate' -DomainName @() -Services SMTP (answer N), "
	    "Set-AuthConfig -NewCertificateThumbprint "
	    "-NewCertificateEffectiveDate, Set-AuthConfig -PublishCertificate, "
	    "Set-AuthConfig -ClearPreviousCertificate, restart the OWA and ECP "
	    "application pools, rerun the Hybrid Configuration Wizard.",
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

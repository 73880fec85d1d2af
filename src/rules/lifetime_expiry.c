/*
 * cert-expired and cert-expiring for certificates known only from
 * HealthChecker's reports, which give "Lifetime in days" (whole days left,
 * rounded down) at their generation time instead of NotAfter: the expiry
 * lies within the day after that many days, and is compared with the
 * as-of time only as exactly as the generation time is known (a server's
 * local time may be up to 14 hours from UTC). A certificate with NotAfter
 * is the inventory rules' (cert_validity.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/kinds/tls_settings.h"
#include "lifetime_expiry.h"
#include "rules.h"

#define DAY		86400
#define ZONE_MARGIN	(14 * 3600)

/*
 * The Auth certificate is no SMTP certificate, whatever its services: the
 * auth-certificate rule judges it, from the same facts (tls_settings).
 */
static bool
is_auth_certificate(const struct evidence *ev, const struct ev_cert *c)
{
	const struct ev_tls_settings	*s = tls_settings_of(ev, c->server);
	const char			*name = "Microsoft Exchange Server Auth "
	    "Certificate";

	if (s != NULL && (str_eq_ci(s->auth_certificate, c->thumbprint) ||
	    str_eq_ci(s->next_auth_certificate, c->thumbprint)))
		return true;
	return (c->friendly_name != NULL &&
	    ascii_strcasestr(c->friendly_name, name) != NULL) ||
	    (c->subject != NULL && ascii_strcasestr(c->subject, name) != NULL);
}

static bool
judged_by_lifetime(const struct evidence *ev, const struct ev_cert *c)
{
	return c->not_after == TIME_UNKNOWN && c->lifetime_days >= 0 &&
	    c->lifetime_from != TIME_UNKNOWN && c->thumbprint != NULL &&
	    !is_auth_certificate(ev, c);
}

static bool
used_for_mail(const struct evidence *ev, const struct ev_cert *c)
{
	return services_has(c, SVC_SMTP) || services_has(c, SVC_IIS) ||
	    cert_pinned(ev, c);
}

/*
 * Another certificate of the server with c's names, valid past c's expiry:
 * its renewal. *missing gets the services c has and it lacks.
 */
static const struct ev_cert *
renewal_of(const struct evidence *ev, const struct ev_cert *c, int64_t hi,
    int *missing)
{
	const struct ev_cert	*o;
	size_t			 i, k;
	bool			 all;

	for (i = 0; i < ev->ncerts; i++) {
		o = &ev->certs[i];
		if (o == c || !str_eq_ci(o->server, c->server) ||
		    c->domains.n == 0)
			continue;
		for (all = true, k = 0; all && k < c->domains.n; k++)
			all = strlist_contains_ci(&o->domains, c->domains.v[k]);
		if (!all)
			continue;
		if (!(o->not_after != TIME_UNKNOWN ? o->not_after > hi :
		    o->lifetime_days > c->lifetime_days))
			continue;
		*missing = c->services == SERVICES_UNKNOWN ||
		    o->services == SERVICES_UNKNOWN ? 0 :
		    c->services & ~o->services;
		return o;
	}
	return NULL;
}

static void
report(struct rule_ctx *ctx, const struct ev_cert *c, bool expired)
{
	const struct ev_cert	*o;
	struct finding		*f;
	int64_t			 lo, hi, margin;
	int			 missing = 0;
	char			 a[64], b[64], from[64], svc[96], *cmd, *text;
	long long		 left;

	lo = c->lifetime_from + (int64_t)c->lifetime_days * DAY;
	hi = lo + DAY;
	margin = c->lifetime_from_exact ? 0 : ZONE_MARGIN;
	left = (lo - margin - ctx->as_of) / DAY;
	o = expired ? NULL : renewal_of(ctx->ev, c, hi, &missing);
	f = findings_new(ctx->out, expired ? "cert-expired" : "cert-expiring",
	    expired ? (services_has(c, SVC_SMTP) ? SEV_HIGH : SEV_MEDIUM) :
	    left < 30 ? SEV_HIGH : SEV_MEDIUM);
	if (o != NULL)
		f->severity = missing ? SEV_MEDIUM : SEV_LOW;
	strlist_add(&f->servers, c->server ? c->server : "an unknown server");
	strlist_add(&f->thumbprints, c->thumbprint);
	time_text_zoned(lo, c->lifetime_from_exact, a, sizeof a);
	time_text_zoned(hi, c->lifetime_from_exact, b, sizeof b);
	time_text_zoned(c->lifetime_from, c->lifetime_from_exact, from, sizeof from);
	services_format(c->services, ", ", svc, sizeof svc);
	if (expired)
		f->title = xasprintf("Certificate %s on %s, used for %s, expired "
		    "between %s and %s", c->thumbprint, c->server ? c->server :
		    "an unknown server", services_has(c, SVC_SMTP) ? "SMTP" :
		    "IIS", a, b);
	else
		f->title = xasprintf("Certificate %s on %s expires between %s and "
		    "%s (%s%lld day%s after the as-of time)%s", c->thumbprint,
		    c->server ? c->server : "an unknown server", a, b,
		    margin ? "about " : "", left < 0 ? 0 : left,
		    left == 1 ? "" : "s", o == NULL ?
		    "" : missing ? "; its successor lacks services" : "; a "
		    "successor is installed");
	text = xasprintf("HealthChecker counted %d day%s of lifetime left on %s "
	    "for certificate %s (%s, services %s), so it expires between %s and "
	    "%s.%s%s", c->lifetime_days, c->lifetime_days == 1 ? "" : "s", from, c->thumbprint, c->friendly_name ?
	    c->friendly_name : c->subject ? c->subject : "name unknown", svc, a,
	    b, expired || o == NULL ? " " : "", expired ? "At the as-of time it has expired: partners and "
	    "Exchange Online refuse TLS with it, and connectors that require "
	    "TLS stop delivering." : o == NULL ? "No certificate with its names "
	    "and a later expiry is installed on that server: renew it before "
	    "then." : "");
	f->explanation = text;
	if (o != NULL) {
		char osvc[96];

		services_format(o->services, ", ", osvc, sizeof osvc);
		text = xasprintf("%s Certificate %s, with the same names and a later "
		    "expiry, is installed (services %s)%s.", f->explanation,
		    CERT_LABEL(o), osvc, missing ? ": it lacks services the "
		    "expiring one has, so enable them on it before the old one "
		    "expires" : ": transport and IIS move to it, and the old one "
		    "can go");
		free(f->explanation);
		f->explanation = text;
	}
	text = xasprintf("%s: certificate %s, lifetime %d day%s on %s "
	    "(HealthChecker), services %s", c->server ? c->server :
	    "unknown server", c->thumbprint, c->lifetime_days,
	    c->lifetime_days == 1 ? "" : "s", from, svc);
	finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
	free(text);
	if (c->server == NULL)
		;	/* steps need the server: the finding says it is unknown */
	else if (o != NULL && missing) {
		services_format(o->services | missing, ",", svc, sizeof svc);
		cmd = ps_cmd("Enable-ExchangeCertificate -Server %q -Thumbprint "
		    "%s -Services %s", c->server, CERT_TP_ARG(o), svc);
		finding_add_step(f, "Enable the services the old certificate has "
		    "on its successor (answer N to replacing the default SMTP "
		    "certificate).", cmd);
		free(cmd);
	} else if (o == NULL && c->self_signed == TRI_TRUE) {
		cmd = ps_cmd("Get-ExchangeCertificate -Server %q -Thumbprint %s "
		    "| New-ExchangeCertificate -Force -PrivateKeyExportable $true",
		    c->server, CERT_TP_ARG(c));
		finding_add_step(f, "Renew the self-signed certificate: the new "
		    "one keeps its names and services.", cmd);
		free(cmd);
	} else if (o == NULL) {
		char *req = ps_share_file(c->server, "renewal.req");
		char *cer = ps_share_file(c->server, "renewal.cer");

		cmd = ps_cmd("Get-ExchangeCertificate -Server %q -Thumbprint %s "
		    "| New-ExchangeCertificate -GenerateRequest -RequestFile %Q\n"
		    "$c = Import-ExchangeCertificate -Server %q -FileData "
		    "([System.IO.File]::ReadAllBytes(%Q))\n"
		    "Enable-ExchangeCertificate -Server %q -Thumbprint "
		    "$c.Thumbprint -Services %s", c->server, CERT_TP_ARG(c), req,
		    c->server, cer, c->server, c->services > 0 ?
		    (services_format(c->services, ",", svc, sizeof svc), svc) :
		    "SMTP");
		free(req);
		free(cer);
		finding_add_step(f, "Renew the certificate with the same names, "
		    "import the issued one and enable it for the same services.",
		    cmd);
		free(cmd);
	}
	if (c->server != NULL && (o == NULL || !missing) && !expired) {
		cmd = ps_cmd("Remove-ExchangeCertificate -Server %q -Thumbprint "
		    "%s", c->server, CERT_TP_ARG(c));
		finding_add_step(f, "Once its successor is in use, remove the old "
		    "certificate.", cmd);
		free(cmd);
	}
	finding_seen(f, lo);
	strlist_add(&f->references, "New-ExchangeCertificate; "
	    "Enable-ExchangeCertificate; CSS-Exchange HealthChecker");
}

static void
judge_all(struct rule_ctx *ctx, bool expired)
{
	const struct ev_cert	*c;
	int64_t			 lo, hi, margin;
	size_t			 i;

	if (ctx->as_of == TIME_UNKNOWN)
		return;
	for (i = 0; i < ctx->ev->ncerts; i++) {
		c = &ctx->ev->certs[i];
		if (!judged_by_lifetime(ctx->ev, c) || !used_for_mail(ctx->ev, c))
			continue;
		lo = c->lifetime_from + (int64_t)c->lifetime_days * DAY;
		hi = lo + DAY;
		margin = c->lifetime_from_exact ? 0 : ZONE_MARGIN;
		if (expired && hi + margin <= ctx->as_of)
			report(ctx, c, true);
		else if (!expired && hi + margin > ctx->as_of &&
		    lo - margin <= ctx->as_of + 60 * DAY)
			report(ctx, c, false);
	}
}

void
expired_from_lifetime(struct rule_ctx *ctx)
{
	judge_all(ctx, true);
}

void
expiring_from_lifetime(struct rule_ctx *ctx)
{
	judge_all(ctx, false);
}

/*
 * hybrid-connector-config: a Send connector to Exchange Online (a smart host
 * under mail.protection.outlook.com, or CloudServicesMailEnabled) must
 * require TLS, validate the domain and name it, and carry the cloud flag;
 * otherwise Exchange Online treats the mail as anonymous or rejects it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static bool
to_exchange_online(const struct ev_send_connector *sc)
{
	size_t	i;

	if (sc->cloud_services_mail_enabled == TRI_TRUE)
		return true;
	for (i = 0; i < sc->smart_hosts.n; i++) {
		const char *h = sc->smart_hosts.v[i];
		size_t n = strlen(h), s = strlen(".mail.protection.outlook.com");

		if (n > s && ascii_casecmp(h + n - s, ".mail.protection.outlook.com") == 0)
			return true;
	}
	return false;
}

static bool
blank(const char *s)
{
	return s != NULL && *s == '\0';
}

static void
run_hybrid_connector_config(struct rule_ctx *ctx)
{
	static const char *const attribution[] = { "5.7.64", "TenantAttribution",
	    "5.7.57", NULL };
	const struct evidence	*ev = ctx->ev;
	struct sym_match	 m = { 0 };
	struct finding		*f;
	struct strlist		 problems = { 0 };
	struct buf		 b;
	char			*cmd, *text;
	bool			 no_tls;
	size_t			 i, j;

	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];

		if (sc->enabled == TRI_FALSE || !to_exchange_online(sc))
			continue;
		memset(&problems, 0, sizeof problems);
		no_tls = sc->require_tls == TRI_FALSE;
		if (no_tls)
			strlist_add(&problems, "RequireTLS is False");
		if (blank(sc->tls_auth_level))
			strlist_add(&problems, "TlsAuthLevel is not set");
		else if (sc->tls_auth_level != NULL &&
		    ascii_casecmp(sc->tls_auth_level, "DomainValidation") == 0 &&
		    blank(sc->tls_domain))
			strlist_add(&problems, "TlsAuthLevel DomainValidation "
			    "without TlsDomain");
		if (sc->cloud_services_mail_enabled == TRI_FALSE)
			strlist_add(&problems, "CloudServicesMailEnabled is False");
		if (problems.n == 0)
			continue;
		f = findings_new(ctx->out, "hybrid-connector-config",
		    no_tls ? SEV_HIGH : SEV_MEDIUM);
		strlist_add(&f->connectors, sc->name);
		strlist_copy(&f->servers, &sc->source_servers);
		text = join_names(&problems);
		f->title = xasprintf("Send connector \"%s\" to Exchange Online: %s",
		    sc->name, text);
		f->explanation = xasprintf("Send connector \"%s\" delivers to "
		    "Exchange Online, which recognizes mail from the on-premises "
		    "organization by the TLS certificate it presents. With %s, mail "
		    "may go without TLS or without the certificate check, is treated "
		    "as anonymous internet mail, and can be rejected with \"550 "
		    "5.7.64 TenantAttribution\". The Hybrid Configuration Wizard sets "
		    "RequireTLS, DomainValidation with TlsDomain "
		    "mail.protection.outlook.com and CloudServicesMailEnabled.",
		    sc->name, text);
		free(text);
		buf_init(&b, 1 << 16);
		buf_appendf(&b, "Send connector \"%s\": SmartHosts {", sc->name);
		for (j = 0; j < sc->smart_hosts.n; j++)
			buf_appendf(&b, "%s%s", j ? ", " : "", sc->smart_hosts.v[j]);
		buf_appendf(&b, "}, RequireTLS %s, TlsAuthLevel %s, TlsDomain %s, "
		    "CloudServicesMailEnabled %s", tri_text(sc->require_tls),
		    sc->tls_auth_level ? (*sc->tls_auth_level ? sc->tls_auth_level :
		    "(not set)") : "unknown", sc->tls_domain ? (*sc->tls_domain ?
		    sc->tls_domain : "(not set)") : "unknown",
		    tri_text(sc->cloud_services_mail_enabled));
		text = buf_steal(&b, NULL);
		finding_add_evidence(f, sc->ref.source, sc->ref.line, text, 1);
		free(text);
		m.types = SYMBIT(SYM_QUEUE) | SYMBIT(SYM_RESPONSE);
		m.errors = attribution;
		m.receive = -1;
		m.connector = sc->name;	/* narrows the log responses only */
		if (rule_claim_std(ctx, f, &m, true) > 0)
			f->severity = SEV_HIGH;
		cmd = ps_cmd("Set-SendConnector %q -RequireTLS $true -TlsAuthLevel "
		    "DomainValidation -TlsDomain mail.protection.outlook.com%s",
		    sc->name, sc->cloud_services_mail_enabled == TRI_FALSE ?
		    " -CloudServicesMailEnabled $true" : "");
		finding_add_step(f, "Set the TLS settings hybrid mail flow needs "
		    "(or rerun the Hybrid Configuration Wizard, which sets them).",
		    cmd);
		free(cmd);
		cmd = ps_cmd("Get-SendConnector %q | Format-List RequireTLS,"
		    "TlsAuthLevel,TlsDomain,CloudServicesMailEnabled,"
		    "TlsCertificateName", sc->name);
		finding_add_step(f, "Check the result.", cmd);
		free(cmd);
		strlist_free(&problems);
		strlist_add(&f->references, "Microsoft Learn: Hybrid Configuration "
		    "Wizard; Set-SendConnector -TlsDomain");
	}
}

const struct rule rule_hybrid_connector_config = {
	.id = "hybrid-connector-config",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a connector to Exchange Online lacks the TLS settings "
	    "hybrid mail flow needs",
	.checks = "Send connectors with a *.mail.protection.outlook.com "
	    "smart host or CloudServicesMailEnabled: RequireTLS false, "
	    "TlsAuthLevel unset, DomainValidation without TlsDomain, "
	    "CloudServicesMailEnabled false. High when queues or the "
	    "connector's log responses show 5.7.64 or the connector sends "
	    "without TLS, medium otherwise.",
	.why = "Exchange Online attributes hybrid mail by the TLS "
	    "certificate; without these settings mail is treated as "
	    "anonymous internet mail or rejected (550 5.7.64 "
	    "TenantAttribution).",
	.fix = "Set-SendConnector <Conn> -RequireTLS $true -TlsAuthLevel "
	    "DomainValidation -TlsDomain mail.protection.outlook.com, or "
	    "rerun the Hybrid Configuration Wizard.",
	.refs = REF_LEARN "Hybrid Configuration Wizard; Set-SendConnector "
	    "-TlsDomain",
	.run = run_hybrid_connector_config,
	.facts = {
		.problem = "The hybrid connector's TLS settings do not match "
		    "Office 365",
		.fix = "Correct the connector, or run the Hybrid "
		    "Configuration Wizard again",
		.risk = "medium", .downtime = FIX_NO_DOWNTIME,
	},
};

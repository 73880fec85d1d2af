/*
 * hybrid-connector-config: a Send connector to Exchange Online (a smart host
 * under mail.protection.outlook.com, or CloudServicesMailEnabled) must
 * require TLS and validate the domain and name it; one to the
 * organization's own tenant also carries the cloud flag (hybrid_tenant.h),
 * otherwise Exchange Online treats the mail as anonymous or rejects it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hybrid_tenant.h"
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

/* Appends a sentence to f's explanation. */
static void
finding_explain_more_hc(struct finding *f, const char *sentence)
{
	char	*e = xasprintf("%s %s", f->explanation, sentence);

	free(f->explanation);
	f->explanation = e;
}

/* Whether the protocol logs hold any session of the connector. */
static bool
logged_connector(const struct evidence *ev, const char *name)
{
	size_t	i;

	for (i = 0; i < ev->nsessions; i++)
		if (str_eq_ci(ev->sessions[i].connector, name))
			return true;
	for (i = 0; i < ev->ntls; i++)
		if (str_eq_ci(ev->tls[i].connector, name))
			return true;
	return false;
}

static bool
blank(const char *s)
{
	return s != NULL && *s == '\0';
}

/* Sessions of the connector the logs show going without TLS. */
static long
sent_without_tls(const struct evidence *ev, const char *name)
{
	long	n = 0;
	size_t	i;

	for (i = 0; i < ev->nsessions; i++)
		if (!ev->sessions[i].receive && ev->sessions[i].tls == 0 &&
		    str_eq_ci(ev->sessions[i].connector, name))
			n += ev->sessions[i].count;
	return n;
}

/*
 * Another enabled connector with the same address space at a lower cost:
 * this one only takes over when that one is unavailable.
 */
static const struct ev_send_connector *
preferred_twin(const struct evidence *ev, const struct ev_send_connector *sc,
    char **space)
{
	const struct ev_send_connector	*o;
	char				*d1, *d2;
	size_t				 i, j, k;
	bool				 same;

	for (i = 0; i < sc->address_spaces.n; i++)
		for (j = 0; j < ev->nsendc; j++) {
			o = &ev->sendc[j];
			if (o == sc || o->enabled == TRI_FALSE)
				continue;
			for (k = 0; k < o->address_spaces.n; k++) {
				d1 = address_space_domain(sc->address_spaces.v[i]);
				d2 = address_space_domain(o->address_spaces.v[k]);
				same = ascii_casecmp(d1, d2) == 0 &&
				    address_space_cost(o->address_spaces.v[k]) <
				    address_space_cost(sc->address_spaces.v[i]);
				free(d2);
				if (same) {
					*space = d1;
					return o;
				}
				free(d1);
			}
		}
	*space = NULL;
	return NULL;
}

static const char *
value_text(const char *v)
{
	/* Empty in the export: not set; absent from it: unknown. */
	return v == NULL ? "unknown" : *v == '\0' ? "(not set)" : v;
}

static void
run_hybrid_connector_config(struct rule_ctx *ctx)
{
	static const char *const attribution[] = { "5.7.64", "TenantAttribution",
	    "5.7.57", NULL };
	const struct evidence	*ev = ctx->ev;
	const struct ev_send_connector *twin;
	struct sym_match	 m = { 0 };
	struct finding		*f;
	struct strlist		 problems = { 0 };
	struct buf		 b;
	enum eo_tenant		 tenant;
	char			*cmd, *text, *why, *space;
	long			 plain;
	bool			 own;
	size_t			 i, j;

	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];

		if (sc->enabled == TRI_FALSE || !to_exchange_online(sc))
			continue;
		tenant = eo_tenant_of(ev, sc, &why);
		own = tenant == EO_OWN;
		memset(&problems, 0, sizeof problems);
		if (sc->require_tls == TRI_FALSE)
			strlist_add(&problems, "RequireTLS is False");
		if (blank(sc->tls_auth_level))
			strlist_add(&problems, "TlsAuthLevel is not set");
		else if (sc->tls_auth_level != NULL &&
		    ascii_casecmp(sc->tls_auth_level, "DomainValidation") == 0 &&
		    blank(sc->tls_domain))
			strlist_add(&problems, "TlsAuthLevel DomainValidation "
			    "without TlsDomain");
		/*
		 * The cloud flag keeps the organization's headers for its own
		 * tenant only; another company's tenant must not get them.
		 */
		if (own && sc->cloud_services_mail_enabled == TRI_FALSE)
			strlist_add(&problems, "CloudServicesMailEnabled is False");
		if (problems.n == 0) {
			free(why);
			continue;
		}
		plain = sent_without_tls(ev, sc->name);
		f = findings_new(ctx->out, "hybrid-connector-config",
		    plain > 0 ? SEV_HIGH : SEV_MEDIUM);
		strlist_add(&f->connectors, sc->name);
		strlist_copy(&f->servers, &sc->source_servers);
		text = join_names(&problems);
		f->title = xasprintf("Send connector \"%s\" to %s: %s", sc->name,
		    own ? "the organization's Exchange Online tenant" :
		    "Exchange Online", text);
		if (own)
			f->explanation = xasprintf("Send connector \"%s\" delivers "
			    "to the organization's own Exchange Online tenant (%s). "
			    "Exchange Online recognizes mail from the on-premises "
			    "organization by the TLS certificate it presents, and "
			    "CloudServicesMailEnabled keeps the organization's "
			    "X-MS-Exchange-Organization headers. With %s, mail it "
			    "sends may go without TLS or without the certificate "
			    "check, be treated as anonymous internet mail, and can "
			    "be rejected with \"550 5.7.64 TenantAttribution\". The "
			    "Hybrid Configuration Wizard sets RequireTLS, "
			    "DomainValidation with TlsDomain "
			    "mail.protection.outlook.com, CloudServicesMailEnabled "
			    "and the certificate (TlsCertificateName).", sc->name,
			    why, text);
		else
			f->explanation = xasprintf("Send connector \"%s\" delivers "
			    "through Exchange Online's protection endpoint%s%s%s. "
			    "With %s, mail it sends may go without TLS or without "
			    "checking the endpoint's certificate. "
			    "CloudServicesMailEnabled is not judged: it belongs on "
			    "connectors to the organization's own tenant only.",
			    sc->name, why != NULL ? " (" : "", why != NULL ? why :
			    "", why != NULL ? ")" : "", text);
		free(text);
		free(why);
		if (plain > 0) {
			text = xasprintf("The protocol logs show %ld session%s of "
			    "this connector without TLS.", plain, plain == 1 ? "" :
			    "s");
			finding_explain_more_hc(f, text);
			free(text);
		} else if (!logged_connector(ev, sc->name)) {
			finding_explain_more_hc(f, "Nothing in the evidence shows "
			    "it sending: the protocol logs in the bundle have no "
			    "session of it.");
		}
		twin = preferred_twin(ev, sc, &space);
		if (twin != NULL) {
			text = xasprintf("\"%s\" covers the same address space %s "
			    "at a lower cost, so this connector only takes mail "
			    "when that one is unavailable.", twin->name, space);
			finding_explain_more_hc(f, text);
			free(text);
		}
		buf_init(&b, 1 << 16);
		buf_appendf(&b, "Send connector \"%s\": SmartHosts {", sc->name);
		for (j = 0; j < sc->smart_hosts.n; j++)
			buf_appendf(&b, "%s%s", j ? ", " : "", sc->smart_hosts.v[j]);
		buf_appendf(&b, "}, AddressSpaces {");
		for (j = 0; j < sc->address_spaces.n; j++)
			buf_appendf(&b, "%s%s", j ? ", " : "",
			    sc->address_spaces.v[j]);
		buf_appendf(&b, "}, RequireTLS %s, TlsAuthLevel %s, TlsDomain %s, "
		    "CloudServicesMailEnabled %s", tri_text(sc->require_tls),
		    value_text(sc->tls_auth_level), value_text(sc->tls_domain),
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
		if (twin != NULL && own) {
			cmd = ps_cmd("Remove-SendConnector %q", sc->name);
			text = xasprintf("Either remove it: \"%s\" carries the "
			    "route to the tenant.", twin->name);
			finding_add_step(f, text, cmd);
			free(text);
			free(cmd);
		}
		cmd = ps_cmd("Set-SendConnector %q -RequireTLS $true -TlsAuthLevel "
		    "DomainValidation -TlsDomain mail.protection.outlook.com%s",
		    sc->name, own && sc->cloud_services_mail_enabled == TRI_FALSE ?
		    " -CloudServicesMailEnabled $true" : "");
		if (own)
			text = xasprintf("%set the TLS settings hybrid mail flow "
			    "needs (or rerun the Hybrid Configuration Wizard, which "
			    "sets them). %s", twin != NULL ? "Or, to keep it, s" : "S",
			    sc->tls_certificate_name == NULL ||
			    *sc->tls_certificate_name == '\0' ? "It also needs "
			    "-TlsCertificateName with the certificate the tenant's "
			    "inbound connector expects and -Fqdn with its name; "
			    "without them it presents the server's default "
			    "certificate." : "");
		else
			text = xstrdup("Require TLS and check the endpoint's "
			    "certificate.");
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
		free(space);
		cmd = ps_cmd("Get-SendConnector %q | Format-List RequireTLS,"
		    "TlsAuthLevel,TlsDomain,CloudServicesMailEnabled,"
		    "TlsCertificateName,Fqdn", sc->name);
		finding_add_step(f, "Check the result.", cmd);
		free(cmd);
		strlist_free(&problems);
		strlist_add(&f->references, "Microsoft Learn: Hybrid Configuration "
		    "Wizard; Set-SendConnector -TlsDomain, -CloudServicesMailEnabled");
	}
}

const struct rule rule_hybrid_connector_config = {
	.id = "hybrid-connector-config",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a connector to Exchange Online lacks the TLS settings "
	    "hybrid mail flow needs",
	.checks = "Send connectors with a *.mail.protection.outlook.com "
	    "smart host or CloudServicesMailEnabled: RequireTLS false, "
	    "TlsAuthLevel unset, DomainValidation without TlsDomain; "
	    "CloudServicesMailEnabled false only for a connector to the "
	    "organization's own tenant (an address space under "
	    ".mail.onmicrosoft.com, the Hybrid Configuration Wizard's name, or "
	    "the smart host of such a connector), never for one to another "
	    "company's tenant. High when queues or the connector's log "
	    "responses show 5.7.64 or its logged sessions go without TLS, "
	    "medium otherwise.",
	.why = "Exchange Online attributes hybrid mail by the TLS "
	    "certificate; without these settings mail is treated as "
	    "anonymous internet mail or rejected (550 5.7.64 "
	    "TenantAttribution).",
	.fix = "Set-SendConnector <Conn> -RequireTLS $true -TlsAuthLevel "
	    "DomainValidation -TlsDomain mail.protection.outlook.com (and, "
	    "to the own tenant, -CloudServicesMailEnabled $true with the "
	    "certificate in -TlsCertificateName), or rerun the Hybrid "
	    "Configuration Wizard; remove a leftover duplicate of its "
	    "connector.",
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

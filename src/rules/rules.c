/*
 * The rule table, which is also the rule reference (--list-rules,
 * --explain), the analysis driver, and the words and commands the rules
 * write alike.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define R_MS	"Microsoft Learn: "

const struct rule rule_table[] = {
{
	.id = "tls-cert-name-ambiguous",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a Send connector's TlsCertificateName matches several "
	    "certificates on one of its source servers",
	.checks = "Each Send connector's TlsCertificateName (issuer and "
	    "subject) against the certificate inventory of every one of its "
	    "SourceTransportServers; which matching certificate the protocol "
	    "logs show presented; Remove-ExchangeCertificate refusal "
	    "transcripts. High when the refusal is in the bundle, the older "
	    "certificate is presented or expires within 60 days; medium "
	    "otherwise.",
	.why = "Exchange matches TlsCertificateName by issuer and subject "
	    "only. A renewal that kept both matches too, so "
	    "Remove-ExchangeCertificate refuses to delete the old "
	    "certificate (\"These certificates are tagged with following "
	    "Send Connectors\") and transport may go on presenting the old "
	    "one until it expires.",
	.fix = "Stop MSExchangeTransport on every source server, clear "
	    "TlsCertificateName on the connectors, remove the old "
	    "certificate from every source server, build the value again "
	    "from the renewed certificate "
	    "(\"<I>$($cert.Issuer)<S>$($cert.Subject)\"), set it, start "
	    "transport. Mail flow stops on those servers meanwhile.",
	.refs = R_MS "Cannot remove an Exchange certificate that is tagged "
	    "to a Send connector; Set-SendConnector -TlsCertificateName",
	.run = rule_tls_cert_name_ambiguous,
}, {
	.id = "smtp-service-not-enabled",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_CRITICAL,
	.line = "the certificate used for SMTP TLS is not enabled for SMTP",
	.checks = "The certificate presented in failed outbound handshakes "
	    "(Sending certificate rows) or pinned by a connector's "
	    "TlsCertificateName, joined to the inventory: its Services lack "
	    "SMTP. Unknown Services (an export without them) never count as "
	    "not enabled. Critical with failures in logs or queues, medium "
	    "from configuration alone.",
	.why = "Transport cannot use the private key of a certificate "
	    "without the SMTP service: the handshake fails with "
	    "UnknownCredentials and, on a connector that requires TLS, the "
	    "queue shows \"421 4.4.1 Connection timed out\".",
	.fix = "Enable-ExchangeCertificate -Server <Srv> -Thumbprint <TP> "
	    "-Services <existing>,SMTP, answer N to replacing the default "
	    "SMTP certificate, then Retry-Queue.",
	.refs = "Microsoft KB 4051498; Enable-ExchangeCertificate -Services",
	.run = rule_smtp_service_not_enabled,
}, {
	.id = "tls-cert-name-invalid",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a connector's TlsCertificateName is not a valid "
	    "<I>issuer<S>subject value",
	.checks = "The TlsCertificateName of every Send and Receive "
	    "connector: it must hold <S> with a subject that has a CN, and "
	    "nothing but an optional <I>issuer before it. High on a "
	    "connector that requires TLS, medium otherwise.",
	.why = "Transport ignores a value it cannot parse: the connector "
	    "falls back to a certificate chosen by FQDN, usually not the one "
	    "intended; HealthChecker reports the syntax as invalid.",
	.fix = "Build the value from the certificate object: $c = "
	    "Get-ExchangeCertificate -Thumbprint <TP>; Set-SendConnector "
	    "<Conn> -TlsCertificateName \"<I>$($c.Issuer)<S>$($c.Subject)\".",
	.refs = "Set-SendConnector -TlsCertificateName; Set-ReceiveConnector "
	    "-TlsCertificateName; CSS-Exchange HealthChecker",
	.run = rule_tls_cert_name_invalid,
}, {
	.id = "tls-cert-name-not-found",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_CRITICAL,
	.line = "a connector's TlsCertificateName matches no certificate on "
	    "a server that uses the connector",
	.checks = "Each Send connector's TlsCertificateName against the "
	    "inventory of each of its SourceTransportServers, each Receive "
	    "connector's against its own server. Critical when queues, "
	    "handshakes, 454 4.7.5 responses in the logs or event 12014 show "
	    "the failure, high otherwise, medium when the connector is "
	    "disabled.",
	.why = "A server without the pinned certificate cannot offer or use "
	    "TLS on that connector: \"454 4.7.5 The certificate specified in "
	    "TlsCertificateName of the SendConnector could not be found\", "
	    "event 12014, STARTTLS missing inbound. Only the servers lacking "
	    "it fail, which makes the outage look intermittent.",
	.fix = "Install the certificate (with its private key, SMTP enabled) "
	    "on each server that lacks it, or point the connector at a "
	    "certificate present on every source server.",
	.refs = "Import-ExchangeCertificate; Set-SendConnector "
	    "-TlsCertificateName; event 12014",
	.run = rule_tls_cert_name_not_found,
}, {
	.id = "cert-no-private-key",
	.sev_min = SEV_HIGH, .sev_max = SEV_CRITICAL,
	.line = "a certificate used or pinned for SMTP has no private key",
	.checks = "Certificates enabled for SMTP or pinned by a connector "
	    "whose HasPrivateKey is False; handshakes failing with "
	    "NoCredentials. Critical with failures, high otherwise.",
	.why = "Without its private key a certificate cannot secure a "
	    "session: \"TLS negotiation failed with error NoCredentials\". "
	    "Typical after importing a .cer instead of the .pfx.",
	.fix = "Remove the key-less copy, Import-ExchangeCertificate the PFX "
	    "with its key, Enable-ExchangeCertificate -Services SMTP.",
	.refs = "Import-ExchangeCertificate -FileData -Password; "
	    "Enable-ExchangeCertificate",
	.run = rule_cert_no_private_key,
}, {
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
	.run = rule_cert_expired,
}, {
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
	.run = rule_internal_transport_cert,
}, {
	.id = "starttls-not-offered",
	.sev_min = SEV_HIGH, .sev_max = SEV_CRITICAL,
	.line = "a receive connector that should offer STARTTLS does not",
	.checks = "Receive connectors with Tls in AuthMechanism whose server "
	    "has no SMTP certificate covering the connector FQDN (or "
	    "matching its TlsCertificateName), shown by event 12014 or 12023 "
	    "naming it, by inbound handshakes failing on it, or by senders' "
	    "\"STARTTLS is required\" refusals; and receive log sessions "
	    "whose EHLO answer lacks STARTTLS on a connector that never "
	    "offered it in the logs or stopped and did not resume "
	    "(X-ANONYMOUSTLS counts as offered; a connector whose "
	    "AuthMechanism lacks Tls is not expected to offer it; one not in "
	    "the bundle is judged as Exchange creates them, with Tls). An "
	    "event 12014 alone names the connector and the name no "
	    "certificate contains; the finding then says what the server's "
	    "inventory shows about that name, or that it was not collected. "
	    "Critical with refusals (queues or 451 5.7.3 in the logs), high "
	    "otherwise.",
	.why = "Without STARTTLS, partners and Exchange Online that require "
	    "TLS refuse to send: \"451 5.7.3 STARTTLS is required to send "
	    "mail\".",
	.fix = "Enable SMTP on a certificate covering the connector FQDN on "
	    "that server, or fix TlsCertificateName.",
	.refs = "Set-ReceiveConnector -Fqdn -TlsCertificateName; events "
	    "12014, 12023",
	.run = rule_starttls_not_offered,
}, {
	.id = "connector-fqdn-not-covered",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a connector FQDN is covered by no SMTP certificate on a "
	    "server that uses the connector",
	.checks = "The Fqdn of each Send connector (on each source server) "
	    "and Receive connector with TLS (on its server) against the "
	    "CertificateDomains of the SMTP-enabled certificates there; a "
	    "wildcard covers one label; an event 12014 naming a Send connector "
	    "of the bundle, with what the inventory shows about the name. High "
	    "when the connector requires TLS or event 12014 names it, medium "
	    "otherwise.",
	.why = "Exchange selects the certificate by FQDN: without a match it "
	    "logs 12014 and presents another certificate (SubjectMismatch at "
	    "the peer) or none.",
	.fix = "Install a certificate covering the FQDN and enable SMTP on "
	    "it, or change the connector's Fqdn or TlsCertificateName.",
	.refs = "Set-SendConnector -Fqdn; Set-ReceiveConnector -Fqdn; event "
	    "12014",
	.run = rule_connector_fqdn_not_covered,
}, {
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
	.refs = R_MS "Hybrid Configuration Wizard; Set-SendConnector "
	    "-TlsDomain",
	.run = rule_hybrid_connector_config,
}, {
	.id = "legacy-tls", .sev_min = SEV_LOW, .sev_max = SEV_HIGH,
	.line = "sessions negotiate TLS 1.0/1.1, or handshakes are dropped "
	    "with no TLS 1.2 success",
	.checks = "Protocol log outcomes per remote host: sessions "
	    "negotiated with TLS1_0 or TLS1_1; handshakes failing with "
	    "SocketError or ConnectionReset with a host that no session from "
	    "that server ever reached with TLS 1.2 or 1.3 (the connector when "
	    "the host is not logged). Links 421 4.4.2 SocketError and 4.7.66 "
	    "responses and queues of those servers. The servers' TLS "
	    "settings (HealthChecker): TLS 1.2 disabled in SCHANNEL or .NET 4 "
	    "without strong cryptography explains the drops, settings that "
	    "allow TLS 1.2 point at the peer. High for the dropped "
	    "handshakes, medium for legacy sessions that still work or "
	    "settings that leave TLS 1.2 off, low for TLS 1.0/1.1 still "
	    "enabled beside a working TLS 1.2.",
	.why = "Exchange Online and hardened partners refuse TLS 1.0/1.1 "
	    "(\"421 4.7.66\", \"421 4.4.2 Connection dropped due to "
	    "SocketError\").",
	.fix = "Enable TLS 1.2 in SCHANNEL and .NET "
	    "(SystemDefaultTlsVersions, SchUseStrongCrypto), reboot.",
	.refs = R_MS "Exchange Server TLS configuration best practices",
	.run = rule_legacy_tls,
}, {
	.id = "unknown-presented-cert",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a certificate presented in the logs is in no server's "
	    "inventory",
	.checks = "Thumbprints in Sending/Receiving certificate rows that "
	    "are absent from the inventory of the server whose log shows "
	    "them (when that inventory is in the bundle). High when those "
	    "handshakes fail.",
	.why = "Something else terminates TLS (a firewall, load balancer or "
	    "SMTP proxy), or the inventory is stale or incomplete.",
	.fix = "Check firewalls and load balancers for SMTP inspection; "
	    "collect Get-ExchangeCertificate from every server again.",
	.refs = "Get-ExchangeCertificate -Server",
	.run = rule_unknown_presented_cert,
}, {
	.id = "cert-expiring", .sev_min = SEV_LOW, .sev_max = SEV_HIGH,
	.line = "a certificate used for mail expires within 60 days and no "
	    "successor is installed",
	.checks = "Certificates enabled for SMTP or IIS, or pinned, whose "
	    "NotAfter is within 30 days (high) or 60 days (medium) of the "
	    "as-of time, unless a successor (same subject, later NotAfter, "
	    "at least the same services, on that server) is installed. "
	    "Events 12018 support it; when a successor is installed and "
	    "12018 warnings remain, a low finding accounts for them.",
	.why = "When it expires, the outage of cert-expired follows.",
	.fix = "Renew now: New-ExchangeCertificate -GenerateRequest or the "
	    "CA's renewal, Import-ExchangeCertificate, "
	    "Enable-ExchangeCertificate -Services, update TlsCertificateName.",
	.refs = "New-ExchangeCertificate; event 12018",
	.run = rule_cert_expiring,
}, {
	.id = "cert-weak-crypto", .sev_min = SEV_MEDIUM, .sev_max = SEV_MEDIUM,
	.line = "a certificate in use is signed with SHA-1/MD5 or has an RSA "
	    "key under 2048 bits",
	.checks = "SignatureAlgorithm and PublicKeySize of certificates "
	    "enabled for SMTP or IIS, or pinned.",
	.why = "Exchange Online and hardened partners refuse such "
	    "certificates; audits flag them.",
	.fix = "Re-issue: New-ExchangeCertificate -GenerateRequest -KeySize "
	    "2048 (SHA-256), import, enable, update TlsCertificateName.",
	.refs = "New-ExchangeCertificate -KeySize",
	.run = rule_cert_weak_crypto,
}, {
	.id = "connect-failures", .sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "connections fail before TLS: a network problem, not a "
	    "certificate one",
	.checks = "\"Failed to connect. Winsock error code\" rows of the "
	    "send logs (with the code's meaning: 10060 timed out, 10061 "
	    "refused, 11001 host not found, ...; the destination; counts), "
	    "queues whose LastError says the connection failed (Winsock "
	    "errors, 421 4.2.1 Unable to connect, DNS failures, 4.4.1 "
	    "timeouts not explained by a certificate rule), and network-class "
	    "log responses (x.4.x, 4.2.1) no certificate rule explains. A "
	    "failed connection is never a certificate finding's symptom. High "
	    "when a queue is in Retry or Suspended or 10 connections failed, "
	    "medium otherwise.",
	.why = "Connectivity failures look like TLS trouble in queues; the "
	    "fix is on the network, not on certificates.",
	.fix = "Check firewalls, port 25 reachability (Test-NetConnection "
	    "-Port 25), DNS and smart host names; no certificate work.",
	.refs = "Test-NetConnection; Get-Queue LastError; Windows Sockets "
	    "error codes",
	.run = rule_connect_failures,
}, {
	.id = "tls-handshake-failures",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "TLS handshakes fail for a reason no specific rule explains",
	.checks = "Failed handshakes in the protocol logs, TLS or "
	    "certificate events, and deferral or NDR responses in the logs "
	    "(TLS, authentication or routing codes such as 454 4.7.0) that no "
	    "specific rule explains, grouped by error, connector and "
	    "certificate. High for 10 failures or more, medium otherwise.",
	.why = "Mail fails or goes unencrypted; the error names the class of "
	    "fault (SSPI meanings; interpretations marked likely).",
	.fix = "Per error: see the guidance in the finding; collect verbose "
	    "protocol logs of both sides.",
	.refs = "SSPI SEC_E_* status codes; Set-SendConnector "
	    "-ProtocolLoggingLevel Verbose",
	.generic = true,
	.run = rule_tls_handshake_failures,
}, {
	.id = "queue-retry", .sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "queues are in Retry or Suspended with an error no specific "
	    "rule explains",
	.checks = "Get-Queue records in Retry or Suspended with a LastError "
	    "not linked to another finding. High when messages wait, medium "
	    "otherwise.",
	.why = "Mail is not being delivered; the LastError is the best lead.",
	.fix = "Follow the LastError; after the cause is fixed, Retry-Queue.",
	.refs = "Get-Queue; Retry-Queue",
	.generic = true,
	.run = rule_queue_retry,
}, {
	.id = "protocol-logging-off", .sev_min = SEV_LOW, .sev_max = SEV_MEDIUM,
	.line = "a connector implicated by the analysis logs nothing",
	.checks = "Send connectors named by findings above low or by queue "
	    "errors whose ProtocolLoggingLevel is None, or that have no row "
	    "in the protocol logs of the bundle. Medium when a queue for it "
	    "is in trouble, low otherwise.",
	.why = "Without protocol logs the handshake cannot be seen: an "
	    "evidence gap, not a fault.",
	.fix = "Set-SendConnector <Conn> -ProtocolLoggingLevel Verbose, "
	    "reproduce, collect again.",
	.refs = "Set-SendConnector -ProtocolLoggingLevel; "
	    "Set-ReceiveConnector -ProtocolLoggingLevel",
	.generic = true,
	.run = rule_protocol_logging_off,
},
};
const size_t rule_count = sizeof rule_table / sizeof rule_table[0];

const struct rule *
rule_find(const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < rule_count; i++)
		if (ascii_casecmp(rule_table[i].id, id) == 0)
			return &rule_table[i];
	return NULL;
}

/* Levenshtein distance, capped: ids are short. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, cur, tmp;
	size_t	row[64];

	if (la >= 63 || lb >= 63)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			cur = prev + ((a[i - 1] | 32) != (b[j - 1] | 32));
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *
rule_suggest(const char *id)
{
	const char	*best = NULL;
	size_t		 i, d, bd = (size_t)-1;

	for (i = 0; id != NULL && i < rule_count; i++) {
		if (*id != '\0' && ascii_strcasestr(rule_table[i].id, id) != NULL)
			return rule_table[i].id;
		d = edit_distance(id, rule_table[i].id);
		if (d < bd) {
			bd = d;
			best = rule_table[i].id;
		}
	}
	return bd <= 6 ? best : NULL;
}

void
rules_print_list(FILE *fp)
{
	size_t	i;

	for (i = 0; i < rule_count; i++) {
		const struct rule *r = &rule_table[i];
		char sev[32];

		if (r->sev_min == r->sev_max)
			snprintf(sev, sizeof sev, "%s", severity_name(r->sev_min));
		else
			snprintf(sev, sizeof sev, "%s-%s", severity_name(r->sev_min),
			    severity_name(r->sev_max));
		fprintf(fp, "%-27s %-16s %s%s\n", r->id, sev, r->line,
		    r->generic ? " (generic)" : "");
	}
}

/* Prints text wrapped at 76 columns with an indent. */
static void
print_wrapped(FILE *fp, const char *text)
{
	const char	*p = text, *sp;
	size_t		 col = 0, w;

	fputs("  ", fp);
	while (*p != '\0') {
		sp = strchr(p, ' ');
		w = sp ? (size_t)(sp - p) : strlen(p);
		if (col > 0 && col + 1 + w > 74) {
			fputs("\n  ", fp);
			col = 0;
		} else if (col > 0) {
			fputc(' ', fp);
			col++;
		}
		fwrite(p, 1, w, fp);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', fp);
}

bool
rules_explain(FILE *fp, const char *id)
{
	const struct rule	*r = rule_find(id);
	const char		*p, *sep;

	if (r == NULL)
		return false;
	fprintf(fp, "%s (severity %s", r->id, severity_name(r->sev_min));
	if (r->sev_max != r->sev_min)
		fprintf(fp, " to %s", severity_name(r->sev_max));
	fprintf(fp, "%s)\n  %s\n\nWhat it checks:\n", r->generic ?
	    "; generic: reports what no specific rule explains" : "", r->line);
	print_wrapped(fp, r->checks);
	fputs("\nWhy it matters:\n", fp);
	print_wrapped(fp, r->why);
	fputs("\nFix:\n", fp);
	print_wrapped(fp, r->fix);
	fputs("\nReferences:\n", fp);
	for (p = r->refs; p != NULL && *p != '\0'; p = sep ? sep + 2 : NULL) {
		sep = strstr(p, "; ");
		fprintf(fp, "  - %.*s\n", sep ? (int)(sep - p) : (int)strlen(p), p);
	}
	return true;
}

static bool
observed(enum symptom_type t)
{
	return t == SYM_TLS_FAILURE || t == SYM_QUEUE || t == SYM_TRANSCRIPT ||
	    t == SYM_EVENT || t == SYM_CONNECT_FAILURE || t == SYM_RESPONSE;
}

static bool
connect_rule(const struct finding *f)
{
	return f->rule != NULL && strcmp(f->rule, "connect-failures") == 0;
}

long
rule_claim(struct rule_ctx *ctx, struct finding *f, symptom_match_fn match,
    const void *arg, bool add_evidence)
{
	struct symptom	*s;
	long		 n = 0;
	size_t		 i;

	for (i = 0; ctx->sym != NULL && i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->finding_seq >= 0 || !match(s, arg))
			continue;
		/* A failed connection is the network's: never a certificate
		 * finding's symptom, whatever the rule's patterns say. */
		if (symptom_is_connect(s) && !connect_rule(f))
			continue;
		s->finding_seq = f->seq;
		n++;
		if (observed(s->type))
			f->direct_evidence = true;
		if (!add_evidence)
			continue;
		finding_add_evidence(f, s->source, s->line, s->text, s->count);
		finding_seen(f, s->first);
		finding_seen(f, s->last);
	}
	return n;
}

static bool
opt_eq(const char *want, const char *have)
{
	return want == NULL || have == NULL || ascii_casecmp(want, have) == 0;
}

bool
sym_match_std(const struct symptom *s, const void *arg)
{
	const struct sym_match	*m = arg;
	size_t			 i;

	if (!(m->types & SYMBIT(s->type)) || !opt_eq(m->server, s->server))
		return false;
	if ((s->type == SYM_TLS_FAILURE || s->type == SYM_CERT_MISSING ||
	    s->type == SYM_CONNECT_FAILURE || s->type == SYM_RESPONSE) &&
	    !opt_eq(m->connector, s->connector))
		return false;
	if ((s->type == SYM_TLS_FAILURE || s->type == SYM_RESPONSE) &&
	    m->receive >= 0 &&
	    s->receive != (m->receive == 1))
		return false;
	if (m->thumbprint != NULL && (s->type == SYM_TLS_FAILURE ||
	    s->thumbprint != NULL) && (s->thumbprint == NULL ||
	    ascii_casecmp(s->thumbprint, m->thumbprint) != 0))
		return false;
	if (s->type == SYM_EVENT) {
		for (i = 0; m->event_ids != NULL && m->event_ids[i] != 0; i++)
			if (m->event_ids[i] == s->event_id)
				break;
		if (m->event_ids == NULL || m->event_ids[i] == 0)
			return false;
		return m->event_text == NULL || (s->error != NULL &&
		    ascii_strcasestr(s->error, m->event_text) != NULL);
	}
	if (m->errors == NULL)
		return true;
	for (i = 0; s->error != NULL && m->errors[i] != NULL; i++)
		if (ascii_strcasestr(s->error, m->errors[i]) != NULL)
			return true;
	return false;
}

long
rule_claim_std(struct rule_ctx *ctx, struct finding *f,
    const struct sym_match *m, bool add_evidence)
{
	return rule_claim(ctx, f, sym_match_std, m, add_evidence);
}

long
rule_count_unclaimed(const struct rule_ctx *ctx, symptom_match_fn match,
    const void *arg)
{
	long	n = 0;
	size_t	i;

	for (i = 0; ctx->sym != NULL && i < ctx->sym->n; i++)
		if (ctx->sym->v[i].finding_seq < 0 && match(&ctx->sym->v[i], arg))
			n++;
	return n;
}

void
rules_analyze(const struct evidence *ev, int64_t as_of, struct findings *out,
    struct gap_list *gaps, struct symptom_list *sym)
{
	struct rule_ctx	ctx = { ev, as_of, out, gaps, sym };
	struct finding	*f;
	long		 linked;
	size_t		 i;

	symptoms_collect(ev, as_of, sym);
	for (i = 0; i < rule_count; i++)
		rule_table[i].run(&ctx);
	for (i = 0; i < out->n; i++) {
		f = &out->v[i];
		f->generic = rule_find(f->rule) != NULL && rule_find(f->rule)->generic;
		linked = symptoms_linked(sym, f->seq);
		if (linked > f->symptoms_explained)
			f->symptoms_explained = linked;
	}
	findings_rank(out);
	/*
	 * A finding that explains none of the symptoms present is not their
	 * root cause, however severe: the verdict says the cause is unknown.
	 */
	if (out->root_cause >= 0 && sym->n > 0 &&
	    symptoms_linked(sym, out->v[out->root_cause].seq) == 0)
		out->root_cause = -1;
	/* Nor is a low finding that explains nothing: it is housekeeping. */
	if (out->root_cause >= 0 && out->v[out->root_cause].severity <= SEV_LOW &&
	    symptoms_linked(sym, out->v[out->root_cause].seq) == 0)
		out->root_cause = -1;
}

void
rules_run_all(const struct evidence *ev, int64_t as_of, struct findings *out,
    struct gap_list *gaps)
{
	struct symptom_list	sym = { 0 };

	rules_analyze(ev, as_of, out, gaps, &sym);
	symptoms_free(&sym);
}

char *
join_names(const struct strlist *l)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 1 << 20);
	for (i = 0; i < l->n; i++)
		buf_appendf(&b, "%s%s", i == 0 ? "" : i + 1 == l->n ? " and " :
		    ", ", l->v[i]);
	if (l->n == 0)
		buf_appendf(&b, "none");
	return buf_steal(&b, NULL);
}

char *
ps_quote(const char *s)
{
	struct buf	b;

	buf_init(&b, (size_t)-1 / 2);
	buf_putc(&b, '"');
	for (; s != NULL && *s; s++) {
		if (*s == '"' || *s == '$' || *s == '`')
			buf_putc(&b, '`');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '"');
	return buf_steal(&b, NULL);
}

/*
 * The steps that replace a certificate on its server (cert_steps.h). They
 * follow Microsoft's renewal: New-ExchangeCertificate -GenerateRequest with
 * the same subject and names, the CA's answer imported with
 * Import-ExchangeCertificate -FileData, Enable-ExchangeCertificate for the
 * same services; a self-signed certificate is simply created again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/kinds/send_connector.h"
#include "cert_queries.h"
#include "cert_steps.h"
#include "commands.h"

/* -SubjectName and -DomainName for the request; "" when neither is known. */
static char *
name_args(const struct ev_cert *c)
{
	struct strlist	 one = { 0 };
	char		 cn[256], *s, *d, *both, *opt;

	opt = ps_server_opt(c->server);
	/*
	 * A subject cut or written with characters lost ("O=M?ller", an ASCII
	 * export) is read from the server, and so is a domain list the console
	 * cut ("{a, b, c, d...}") or the export did not give.
	 */
	if ((c->subject_lossy || c->subject_incomplete) &&
	    c->thumbprint != NULL)
		s = ps_cmd(" -SubjectName (Get-ExchangeCertificate%s -Thumbprint "
		    "%s).Subject", opt, c->thumbprint);
	else
		s = c->subject != NULL ? ps_cmd(" -SubjectName %Q",
		    c->subject) : xstrdup("");
	if ((c->domains_incomplete || !c->domains_known) &&
	    c->thumbprint != NULL)
		d = ps_cmd(" -DomainName ((Get-ExchangeCertificate%s -Thumbprint "
		    "%s).CertificateDomains | ForEach-Object { $_.ToString() })",
		    opt, c->thumbprint);
	else if (c->domains.n > 0)
		d = ps_cmd(" -DomainName %L", &c->domains);
	else if (subject_cn(c->subject, cn, sizeof cn) != NULL) {
		strlist_add(&one, cn);
		d = ps_cmd(" -DomainName %L", &one);
		strlist_free(&one);
	} else
		d = xstrdup("");
	free(opt);
	both = xasprintf("%s%s", s, d);
	free(s);
	free(d);
	return both;
}

void
cert_copy_step(struct finding *f, const struct ev_cert *src, const char *dst,
    const char *services, const char *text)
{
	char	*cmd;

	/* The export needs the key's PrivateKeyExportable; the text says so. */
	cmd = ps_cmd("$pw = (Get-Credential -UserName pfx -Message 'PFX "
	    "password').Password\n"
	    "$pfx = Export-ExchangeCertificate -Server %q -Thumbprint %s "
	    "-BinaryEncoded -Password $pw\n"
	    "Import-ExchangeCertificate -Server %q -FileData $pfx.FileData "
	    "-Password $pw\n"
	    "Enable-ExchangeCertificate -Server %q -Thumbprint %s -Services %s",
	    src->server, CERT_TP_ARG(src), dst, dst, CERT_TP_ARG(src), services);
	finding_add_step(f, text, cmd);
	free(cmd);
}

void
cert_restart_step(struct finding *f, const char *server, int services)
{
	bool	both = (services & SVC_IMAP) && (services & SVC_POP);
	char	*cmd, *text;

	if (!(services & (SVC_IMAP | SVC_POP)))
		return;
	/*
	 * The front-end and back-end services, those running only:
	 * Restart-Service would start one that is stopped (IMAP and POP are
	 * Manual and stopped until someone uses them).
	 */
	cmd = ps_cmd("Invoke-Command -ComputerName %q { Get-Service %s | "
	    "Where-Object {$_.Status -eq 'Running'} | Restart-Service }",
	    server, both ? "MSExchangeIMAP4,MSExchangeIMAP4BE,MSExchangePOP3,"
	    "MSExchangePOP3BE" : services & SVC_IMAP ?
	    "MSExchangeIMAP4,MSExchangeIMAP4BE" : "MSExchangePOP3,"
	    "MSExchangePOP3BE");
	text = xasprintf("On %s: restart the %s services that are running, so "
	    "they use the renewal (those stopped stay so).", server, both ?
	    "IMAP4 and POP3" : services & SVC_IMAP ? "IMAP4" : "POP3");
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
}

void
cert_renew_steps(struct finding *f, const struct ev_cert *c,
    const char *request_file)
{
	char		 svc[96], *names, *opt, *file, *cmd, *text;
	const char	*srv = c->server ? c->server : "the server that holds it";
	int		 services;

	services = c->services == SERVICES_UNKNOWN || c->services == 0 ?
	    SVC_SMTP : c->services;
	services_format(services, ",", svc, sizeof svc);
	names = name_args(c);
	opt = ps_server_opt(c->server);
	if (*names == '\0') {
		text = xasprintf("On %s: replace certificate %s with a renewal for "
		    "the same names (the bundle gives neither its subject nor its "
		    "domains: read them with Get-ExchangeCertificate).", srv,
		    CERT_LABEL(c));
		finding_add_step(f, text, NULL);
		free(text);
	} else if (c->self_signed == TRI_TRUE) {
		cmd = ps_cmd("$new = New-ExchangeCertificate%s%s -Services %s "
		    "-KeySize 2048", opt, names, svc);
		text = xasprintf("On %s: replace certificate %s (%s) with a new "
		    "self-signed certificate for the same names and services "
		    "(answer Y to replacing the default SMTP certificate).", srv,
		    CERT_LABEL(c), c->subject ? c->subject : "subject unknown");
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	} else {
		file = ps_share_file(c->server, request_file);
		cmd = ps_cmd("New-ExchangeCertificate%s -GenerateRequest%s "
		    "-KeySize 2048 -RequestFile %Q", opt, names, file);
		free(file);
		text = xasprintf("On %s: request the renewal of certificate %s "
		    "(%s) from its CA, for the same subject and names.", srv,
		    CERT_LABEL(c), c->subject ? c->subject : "subject unknown");
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
		file = ps_share_file(c->server, "issued.cer");
		cmd = ps_cmd("$new = Import-ExchangeCertificate%s -FileData "
		    "([System.IO.File]::ReadAllBytes(%Q))\n"
		    "Enable-ExchangeCertificate%s -Thumbprint $new.Thumbprint "
		    "-Services %s", opt, file, opt, svc);
		free(file);
		text = xasprintf("Import the certificate the CA issued (saved as "
		    "issued.cer where the command reads it) and enable it for the "
		    "same services (%s)%s.", svc, services & SVC_SMTP ? "; answer "
		    "N to replacing the default SMTP certificate" : "");
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	free(opt);
	free(names);
}

void
cert_repin_steps(struct finding *f, const struct strlist *connectors)
{
	char	*cmd;
	size_t	 i;

	for (i = 0; i < connectors->n; i++) {
		cmd = ps_cmd("Set-%sConnector %q -TlsCertificateName "
		    "\"<I>$($new.Issuer)<S>$($new.Subject)\"",
		    strchr(connectors->v[i], '\\') != NULL ? "Receive" : "Send",
		    connectors->v[i]);
		finding_add_step(f, "Pin the connector to the renewed certificate "
		    "(only needed when its issuer or subject changed).", cmd);
		free(cmd);
	}
}

char *
cert_request_cmd(const char *server, const char *name)
{
	struct strlist	 one = { 0 };
	char		*subject, *req, *cer, *base, *cmd, *opt;

	opt = ps_server_opt(server);
	strlist_add(&one, name);
	subject = xasprintf("CN=%s", name);
	base = xasprintf("%s.req", name);
	req = ps_share_file(server, base);
	free(base);
	base = xasprintf("%s.cer", name);
	cer = ps_share_file(server, base);
	free(base);
	cmd = ps_cmd("New-ExchangeCertificate%s -GenerateRequest -SubjectName %Q "
	    "-DomainName %L -KeySize 2048 -RequestFile %Q\n"
	    "$c = Import-ExchangeCertificate%s -FileData "
	    "([System.IO.File]::ReadAllBytes(%Q))\n"
	    "Enable-ExchangeCertificate%s -Thumbprint $c.Thumbprint -Services SMTP",
	    opt, subject, &one, req, opt, cer, opt);
	free(opt);
	free(subject);
	free(req);
	free(cer);
	strlist_free(&one);
	return cmd;
}

size_t
cert_pin_step(struct finding *f, const struct evidence *ev,
    const struct ev_cert *c, bool clear)
{
	struct strlist	 names = { 0 };
	struct buf	 b;
	char		*line, *cmd;
	size_t		 i, n = 0;

	cert_pinning_connectors(ev, c, &names);
	buf_init(&b, 1 << 20);
	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];

		if (sc->tls_certificate_name == NULL ||
		    !strlist_contains_ci(&names, sc->name))
			continue;
		line = clear ? ps_cmd("Set-SendConnector -Identity %q "
		    "-TlsCertificateName $null", sc->name) : ps_cmd(
		    "Set-SendConnector -Identity %q -TlsCertificateName %Q",
		    sc->name, sc->tls_certificate_name);
		buf_appendf(&b, "%s%s", n++ ? "\n" : "", line);
		free(line);
	}
	strlist_free(&names);
	cmd = buf_steal(&b, NULL);
	if (n > 0)
		finding_add_step(f, clear ? "Clear TlsCertificateName on the "
		    "connector for the few minutes the certificate is removed: "
		    "Remove-ExchangeCertificate refuses a certificate a Send "
		    "connector names (meanwhile its servers choose a certificate "
		    "by the connector's FQDN)." : "Pin the connector again, with "
		    "the value it had.", cmd);
	free(cmd);
	return n;
}

void
retry_waiting_steps(struct finding *f)
{
	char	*cmd, *text;
	size_t	 i;

	for (i = 0; i < f->servers.n; i++) {
		cmd = ps_cmd("Get-Queue -Server %q | Where-Object "
		    "{$_.Status -eq \"Retry\"} | Retry-Queue", f->servers.v[i]);
		text = xasprintf("On %s: retry the waiting mail.",
		    f->servers.v[i]);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
}

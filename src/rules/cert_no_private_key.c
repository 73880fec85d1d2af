/*
 * cert-no-private-key: a certificate used, pinned or presented for SMTP
 * whose server holds no private key for it (typically after importing the
 * .cer instead of the .pfx). The handshake fails with NoCredentials, and
 * Enable-ExchangeCertificate cannot enable it for SMTP either: it must give
 * the transport service's account access to a key that is not there. The
 * way back is the certificate with its key: copied from another server that
 * holds it with the key, or imported from the PFX. The key-less copy goes
 * first (an import of a thumbprint already installed fails), and
 * Remove-ExchangeCertificate refuses a certificate a Send connector's
 * TlsCertificateName names, so such connectors are unpinned for the few
 * minutes the copy is replaced, then pinned again with the same value.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_steps.h"
#include "rules.h"

/* Presented by its server in a handshake the logs hold. */
static bool
presented(const struct evidence *ev, const struct ev_cert *c)
{
	const struct ev_tls_agg	*t;
	size_t			 i;

	for (i = 0; c->thumbprint != NULL && i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (t->cert_thumbprint != NULL && t->server != NULL &&
		    c->server != NULL && str_eq_ci(t->cert_thumbprint,
		    c->thumbprint) && ascii_casecmp(t->server, c->server) == 0)
			return true;
	}
	return false;
}

/*
 * The same certificate on another server, with its private key there: one
 * whose key may be exported first, else one whose key the export shows is
 * not exportable (named, but no copy is made from it).
 */
static const struct ev_cert *
keyed_copy(const struct evidence *ev, const struct ev_cert *c)
{
	const struct ev_cert	*o, *locked = NULL;
	size_t			 i;

	for (i = 0; c->thumbprint != NULL && c->server != NULL &&
	    i < ev->ncerts; i++) {
		o = &ev->certs[i];
		if (o->server == NULL || o->has_private_key != TRI_TRUE ||
		    !str_eq_ci(o->thumbprint, c->thumbprint) ||
		    ascii_casecmp(o->server, c->server) == 0)
			continue;
		if (o->private_key_exportable != TRI_FALSE)
			return o;
		if (locked == NULL)
			locked = o;
	}
	return locked;
}

/*
 * The export from the server that holds the key, first: if it fails
 * (a key not exportable), nothing has been changed yet.
 */
static void
export_step(struct finding *f, const struct ev_cert *copy)
{
	char	*cmd, *text;

	cmd = ps_cmd("$pw = (Get-Credential -UserName pfx -Message 'PFX "
	    "password').Password\n"
	    "$pfx = Export-ExchangeCertificate -Server %q -Thumbprint %s "
	    "-BinaryEncoded -Password $pw", copy->server, CERT_TP_ARG(copy));
	text = xasprintf("First, in one Exchange Management Shell session (the "
	    "steps below use $pfx and $pw), export the certificate with its "
	    "private key from %s into a password-protected .pfx held in memory. "
	    "If the export fails (a key imported as not exportable), stop: "
	    "nothing has changed yet, and the .pfx the certificate was issued "
	    "with, or a re-issue from the CA, is needed instead.", copy->server);
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
}

static void
remediation(struct finding *f, const struct evidence *ev,
    const struct ev_cert *c, const struct ev_cert *copy, bool failing)
{
	char		 svc[96], *opt, *cmd, *file, *text;
	const char	*srv = c->server ? c->server : "the server";
	size_t		 pinned;
	int		 services;

	services = (c->services == SERVICES_UNKNOWN ? 0 : c->services) |
	    SVC_SMTP;
	services_format(services, ",", svc, sizeof svc);
	if (copy != NULL)
		export_step(f, copy);
	else {
		text = xasprintf("First, get the .pfx of this certificate with its "
		    "password (the file it was issued or exported with, or a "
		    "re-issue from the CA) and copy it to %s as cert.pfx: the "
		    "steps below remove the copy without a key, so have the "
		    "replacement at hand.", srv);
		finding_add_step(f, text, NULL);
		free(text);
	}
	pinned = cert_pin_step(f, ev, c, true);
	opt = ps_server_opt(c->server);
	cmd = ps_cmd("Remove-ExchangeCertificate%s -Thumbprint %s", opt,
	    CERT_TP_ARG(c));
	text = xasprintf("Remove the copy without a private key from %s (an "
	    "import of a certificate already installed fails).", srv);
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
	if (copy != NULL) {
		cmd = ps_cmd("Import-ExchangeCertificate%s -FileData $pfx.FileData "
		    "-Password $pw\nEnable-ExchangeCertificate%s -Thumbprint %s "
		    "-Services %s", opt, opt, CERT_TP_ARG(c), svc);
		text = xasprintf("Import it with its key on %s and enable it for "
		    "%s; answer N to replacing the default SMTP certificate.",
		    srv, svc);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	} else {
		file = ps_share_file(c->server, "cert.pfx");
		cmd = ps_cmd("Import-ExchangeCertificate%s -FileData "
		    "([System.IO.File]::ReadAllBytes(%Q)) -Password "
		    "(Get-Credential).Password", opt, file);
		free(file);
		finding_add_step(f, "Import the PFX export of the certificate, "
		    "which carries the private key (cert.pfx is where the command "
		    "expects it: copy it there, or change the path).", cmd);
		free(cmd);
		cmd = ps_cmd("Enable-ExchangeCertificate%s -Thumbprint %s "
		    "-Services %s", opt, CERT_TP_ARG(c), svc);
		finding_add_step(f, "Enable it for SMTP (answer N to replacing "
		    "the default SMTP certificate).", cmd);
		free(cmd);
	}
	free(opt);
	if (pinned > 0)
		cert_pin_step(f, ev, c, false);
	/* f's one server is c's. */
	if (failing)
		retry_waiting_steps(f);
}

/*
 * The handshakes that presented c on its server, NoCredentials failures
 * there, and, once those show the certificate failing, the queues of that
 * server whose LastError is what the failed handshake leaves (a 4.4.1
 * timeout) and the matching responses in its Send logs.
 */
static long
link_symptoms(struct rule_ctx *ctx, struct finding *f, const struct ev_cert *c)
{
	static const char *const nocred[] = { "NoCredentials", NULL };
	static const char *const queue_errors[] = {
		"4.4.1", "Connection timed out", "TLS", NULL
	};
	struct sym_match	 m = { 0 };
	long			 seen;

	m.types = SYMBIT(SYM_TLS_FAILURE);
	m.server = c->server;
	m.receive = -1;
	m.thumbprint = c->thumbprint;
	/* Handshakes name a thumbprint: one not known matches none. */
	seen = c->thumbprint != NULL ? rule_claim_std(ctx, f, &m, true) : 0;
	m.thumbprint = NULL;
	m.errors = nocred;
	seen += rule_claim_std(ctx, f, &m, true);
	if (seen == 0 || c->server == NULL)
		return seen;
	m.types = SYMBIT(SYM_QUEUE);
	m.errors = queue_errors;
	seen += rule_claim_std(ctx, f, &m, true);
	m.types = SYMBIT(SYM_RESPONSE);
	m.receive = 0;
	rule_claim_std(ctx, f, &m, true);
	return seen;
}

static void
run_cert_no_private_key(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_cert	*c, *copy;
	struct finding		*f;
	struct strlist		 pins = { 0 };
	const char		*srv;
	char			*how, *from;
	long			 seen;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->has_private_key != TRI_FALSE ||
		    (!services_has(c, SVC_SMTP) && !cert_pinned(ev, c) &&
		    !presented(ev, c)))
			continue;
		srv = c->server ? c->server : "an unnamed server";
		f = findings_new(ctx->out, "cert-no-private-key", SEV_HIGH);
		if (c->server != NULL)
			strlist_add(&f->servers, c->server);
		cert_list_add(&f->thumbprints, c);
		cert_pinning_connectors(ev, c, &pins);
		strlist_copy(&f->connectors, &pins);
		strlist_sort_ci(&f->connectors);
		cert_fact_evidence(f, c, "HasPrivateKey False");
		if ((copy = keyed_copy(ev, c)) != NULL)
			cert_fact_evidence(f, copy, copy->private_key_exportable ==
			    TRI_FALSE ? "HasPrivateKey True, PrivateKeyExportable "
			    "False" : "HasPrivateKey True");
		seen = link_symptoms(ctx, f, c);
		if (seen > 0)
			f->severity = SEV_CRITICAL;
		how = services_has(c, SVC_SMTP) ? xstrdup("enabled for SMTP") :
		    pins.n > 0 ? xasprintf("pinned by %s", pins.v[0]) :
		    xstrdup("presented for SMTP");
		if (copy != NULL && copy->private_key_exportable == TRI_FALSE)
			from = xasprintf(" %s holds it with its private key, but "
			    "the key is not exportable (PrivateKeyExportable "
			    "False): the .pfx the certificate was issued with, or "
			    "a re-issue from the CA, is needed.", copy->server);
		else
			from = copy != NULL ? xasprintf(" %s holds it with its "
			    "private key: copied from there, it needs no new "
			    "certificate.", copy->server) : xstrdup("");
		remediation(f, ev, c, copy != NULL &&
		    copy->private_key_exportable == TRI_FALSE ? NULL : copy,
		    seen > 0);
		f->title = xasprintf("Certificate %s on %s is %s but has no "
		    "private key", CERT_LABEL(c), srv, how);
		f->explanation = xasprintf("Certificate %s (%s) on %s is %s, but "
		    "the server holds no private key for it (HasPrivateKey False), "
		    "typically after importing the .cer file instead of the .pfx. "
		    "A certificate without its key cannot secure a session: the "
		    "handshake fails with NoCredentials%s, and "
		    "Enable-ExchangeCertificate cannot enable it for SMTP until "
		    "the key is there.%s", CERT_LABEL(c), c->subject ? c->subject :
		    "subject unknown", srv, how, seen > 0 ? ", as the logs show" :
		    "", from);
		free(how);
		free(from);
		strlist_free(&pins);
		strlist_add(&f->references, "Import-ExchangeCertificate -FileData "
		    "-Password; Export-ExchangeCertificate -BinaryEncoded");
		strlist_add(&f->references, "Microsoft Learn: Cannot remove an "
		    "Exchange certificate that is tagged to a Send connector "
		    "(TlsCertificateName)");
	}
}

const struct rule rule_cert_no_private_key = {
	.id = "cert-no-private-key",
	.sev_min = SEV_HIGH, .sev_max = SEV_CRITICAL,
	.line = "a certificate used or pinned for SMTP has no private key",
	.checks = "Certificates enabled for SMTP, pinned by a connector or "
	    "presented in the logs whose HasPrivateKey is False; handshakes "
	    "failing with NoCredentials, and the queues of that server whose "
	    "LastError is the 4.4.1 timeout a failed handshake leaves. "
	    "Critical with failures, high otherwise.",
	.why = "Without its private key a certificate cannot secure a "
	    "session: \"TLS negotiation failed with error NoCredentials\". "
	    "Typical after importing a .cer instead of the .pfx.",
	.fix = "Unpin the Send connectors that name it, remove the key-less "
	    "copy, copy the certificate with its key from a server that holds "
	    "it (Export-ExchangeCertificate -BinaryEncoded, "
	    "Import-ExchangeCertificate) or import its PFX, "
	    "Enable-ExchangeCertificate -Services SMTP, pin the connectors "
	    "again.",
	.refs = "Import-ExchangeCertificate -FileData -Password; "
	    "Export-ExchangeCertificate; Enable-ExchangeCertificate",
	.run = run_cert_no_private_key,
	.facts = {
		.problem = "The certificate has no private key, so TLS cannot "
		    "use it",
		.fix = "Import the certificate again with its private key "
		    "(.pfx)",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

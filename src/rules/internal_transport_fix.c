/*
 * How a server gets a valid internal transport certificate back. Exchange
 * takes as internal transport certificate the default SMTP certificate:
 * Enable-ExchangeCertificate -Services SMTP and New-ExchangeCertificate ask
 * "Overwrite the existing default SMTP certificate?", and Y makes the
 * certificate both. A valid self-signed certificate for the server's name
 * already installed is enabled rather than a new one created; an expired
 * one enabled again fixes nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/kinds/event_facts.h"
#include "internal_transport.h"
#include "rules.h"

bool
cert_is_internal_transport(const struct evidence *ev, const struct ev_cert *c)
{
	const struct ev_event	*e;
	size_t			 i;

	if (c->server == NULL || c->thumbprint == NULL)
		return false;
	for (i = 0; i < ev->ntransport; i++)
		if (str_eq_ci(ev->transport[i].server, c->server) &&
		    str_eq_ci(ev->transport[i].internal_transport_certificate,
		    c->thumbprint))
			return true;
	for (i = 0; i < ev->nevents; i++) {
		e = &ev->events[i];
		if (event_effective_id(e) == 12015 &&
		    str_eq_ci(e->server, c->server) &&
		    str_eq_ci(e->thumbprint, c->thumbprint))
			return true;
	}
	return false;
}

static bool
self_signed(const struct ev_cert *c)
{
	if (c->self_signed != TRI_UNKNOWN)
		return c->self_signed == TRI_TRUE;
	return c->issuer != NULL && c->subject != NULL &&
	    str_eq_ci(c->issuer, c->subject);
}

/* For the server's own name: its CN, or a domain that is the name. */
static bool
names_server(const struct ev_cert *c, const char *server)
{
	char	cn[256];

	return (subject_cn(c->subject, cn, sizeof cn) != NULL &&
	    str_eq_ci(cn, server)) || cert_covers(c, server);
}

static bool
usable(const struct evidence *ev, const struct ev_cert *c, const char *server,
    const char *bad, int64_t as_of)
{
	return c->thumbprint != NULL && !c->file_only &&
	    str_eq_ci(c->server, server) && !str_eq_ci(c->thumbprint, bad) &&
	    self_signed(c) && names_server(c, server) &&
	    c->has_private_key != TRI_FALSE && !cert_is_auth(ev, c) &&
	    c->not_after != TIME_UNKNOWN && !cert_expired_at(c, as_of) &&
	    (as_of == TIME_UNKNOWN || c->not_before == TIME_UNKNOWN ||
	    c->not_before <= as_of);
}

const struct ev_cert *
itc_replacement(const struct evidence *ev, const char *server, const char *bad,
    int64_t as_of)
{
	const struct ev_cert	*c, *best = NULL;
	bool			 smtp, best_smtp = false;
	size_t			 i;

	for (i = 0; server != NULL && i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (!usable(ev, c, server, bad, as_of))
			continue;
		smtp = services_has(c, SVC_SMTP);
		if (best == NULL || (smtp && !best_smtp) || (smtp == best_smtp &&
		    c->not_after > best->not_after)) {
			best = c;
			best_smtp = smtp;
		}
	}
	return best;
}

void
itc_replace_steps(struct rule_ctx *ctx, struct finding *f, const char *server,
    const char *bad)
{
	const struct ev_cert	*c;
	char			*cmd, *text, when[48];

	c = itc_replacement(ctx->ev, server, bad, ctx->as_of);
	if (c != NULL) {
		cmd = ps_cmd("Enable-ExchangeCertificate -Server %q -Thumbprint %s "
		    "-Services SMTP", server, CERT_TP_ARG(c));
		text = xasprintf("On %s: enable SMTP on the valid self-signed "
		    "certificate %s already installed there (NotAfter %s) and "
		    "answer Y to \"Overwrite the existing default SMTP "
		    "certificate?\": that makes it the default SMTP certificate, "
		    "which Exchange uses as the internal transport certificate.",
		    server, c->thumbprint,
		    cert_time(c, c->not_after, when, sizeof when));
	} else {
		cmd = ps_cmd("New-ExchangeCertificate -Server %q -KeySize 2048 "
		    "-PrivateKeyExportable $true", server);
		text = xasprintf("On %s: create a new self-signed certificate and "
		    "answer Y to replacing the default SMTP certificate: it becomes "
		    "the internal transport certificate.", server);
	}
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
	/* Restart-Service alone restarts the service of the machine it is
	 * typed on, which may be another server. */
	cmd = ps_cmd("Get-TransportService %q | Format-List "
	    "InternalTransportCertificateThumbprint\nInvoke-Command "
	    "-ComputerName %q -ScriptBlock { Restart-Service "
	    "MSExchangeTransport }", server, server);
	text = xasprintf("Confirm InternalTransportCertificateThumbprint names "
	    "the new certificate, then restart transport on %s so that it loads "
	    "it.", server);
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
}

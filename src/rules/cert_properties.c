/*
 * cert-weak-crypto: properties of a certificate in use for mail that make
 * TLS fail with hardened peers (SHA-1/MD5 signatures, RSA keys under 2048
 * bits).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_steps.h"
#include "rules.h"

static bool
in_use(const struct evidence *ev, const struct ev_cert *c)
{
	return services_has(c, SVC_SMTP) || services_has(c, SVC_IIS) ||
	    cert_pinned(ev, c);
}

static bool
weak_signature(const char *alg)
{
	return alg != NULL && (ascii_strcasestr(alg, "sha1") != NULL ||
	    ascii_strcasestr(alg, "md5") != NULL ||
	    ascii_strcasestr(alg, "md2") != NULL);
}

static void
run_cert_weak_crypto(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_cert	*c;
	struct finding		*f;
	const char		*srv;
	struct strlist		 pins = { 0 };
	char			*cmd, *why, *opt;
	bool			 sig, key;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		sig = weak_signature(c->signature_algorithm);
		key = c->key_bits > 0 && c->key_bits < 2048;
		if ((!sig && !key) || !in_use(ev, c) ||
		    cert_expired_at(c, ctx->as_of))
			continue;
		srv = c->server ? c->server : "an unnamed server";
		f = findings_new(ctx->out, "cert-weak-crypto", SEV_MEDIUM);
		if (c->server != NULL)
			strlist_add(&f->servers, c->server);
		cert_list_add(&f->thumbprints, c);
		if (sig && key)
			why = xasprintf("signed with %s and a %d-bit key",
			    c->signature_algorithm, c->key_bits);
		else if (sig)
			why = xasprintf("signed with %s", c->signature_algorithm);
		else
			why = xasprintf("a %d-bit RSA key", c->key_bits);
		cert_fact_evidence(f, c, why);
		f->title = xasprintf("Certificate %s on %s in use with weak "
		    "cryptography (%s)", CERT_LABEL(c), srv, why);
		f->explanation = xasprintf("Certificate %s (%s) on %s is in use "
		    "for mail and has %s. Exchange Online and hardened partners "
		    "refuse SHA-1 or MD5 signatures and RSA keys under 2048 bits, "
		    "and audits flag them. Re-issue it with a 2048-bit (or larger) "
		    "key and SHA-256.", CERT_LABEL(c), c->subject ? c->subject :
		    "subject unknown", srv, why);
		cert_renew_steps(f, c, "reissue.req");
		cert_pinning_connectors(ev, c, &pins);
		cert_repin_steps(f, &pins);
		strlist_free(&pins);
		opt = ps_server_opt(c->server);
		cmd = ps_cmd("Remove-ExchangeCertificate%s -Thumbprint %s", opt,
		    CERT_TP_ARG(c));
		finding_add_step(f, "Once the new certificate is in use, remove "
		    "the weak one.", cmd);
		free(cmd);
		free(opt);
		free(why);
		strlist_add(&f->references, "New-ExchangeCertificate -KeySize");
	}
}

const struct rule rule_cert_weak_crypto = {
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
	.run = run_cert_weak_crypto,
	.facts = {
		.problem = "A certificate uses weak cryptography",
		.fix = "Replace it with an RSA 2048-bit or stronger, SHA-256 "
		    "certificate",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

/*
 * The remediation steps that replace a certificate on its server
 * (cert_steps.c), shared by cert-expired, cert-expiring and
 * cert-weak-crypto: a renewal for the same names and services, requested
 * from the CA (or created self-signed), imported, enabled and pinned again.
 * The new certificate's thumbprint is not in the bundle: the commands keep
 * it in $new, which the step that creates or imports it sets.
 */
#ifndef CERTTRAIL_CERT_STEPS_H
#define CERTTRAIL_CERT_STEPS_H

#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "findings.h"

/*
 * Adds the steps renewing c on its server: for a CA certificate the request
 * (written to request_file on the server) and the import into $new; for a
 * self-signed one New-ExchangeCertificate into $new; then
 * Enable-ExchangeCertificate on $new.Thumbprint for c's services (SMTP when
 * they are unknown or none).
 */
void	 cert_renew_steps(struct finding *, const struct ev_cert *,
	    const char *request_file);
/*
 * Adds the step that installs certificate src, with its private key, on
 * server dst: exported from src's server into a password-protected .pfx
 * held in memory ($pfx), imported on dst and enabled there for `services`
 * (a ServicesStringForm list, "IIS,SMTP"). `text` says why, for the step.
 */
void	 cert_copy_step(struct finding *, const struct ev_cert *src,
	    const char *dst, const char *services, const char *text);
/*
 * When `services` holds IMAP or POP, adds the step restarting those services
 * on server, which read their certificate only when they start.
 */
void	 cert_restart_step(struct finding *, const char *server, int services);
/*
 * Pins every connector of f that names c to $new, the renewed certificate
 * (needed only when its issuer or subject changed). Receive connectors are
 * the names with a backslash (SERVER\Name).
 */
void	 cert_repin_steps(struct finding *, const struct strlist *connectors);

/* On each of f's servers, the step that retries the mail waiting in Retry. */
void	 retry_waiting_steps(struct finding *);

/*
 * Remove-ExchangeCertificate refuses a certificate that a Send connector's
 * TlsCertificateName names. Adds the step that clears TlsCertificateName on
 * the Send connectors sourced on c's server that name c (clear), or the one
 * that sets it again to the value each had (!clear); none when no connector
 * names c. Returns how many connectors it names.
 */
size_t	 cert_pin_step(struct finding *, const struct evidence *,
	    const struct ev_cert *c, bool clear);

/*
 * The three lines that get a certificate for one name on server: the
 * request (CN=name, the name as its domain, written to NAME.req on the
 * server), the CA's answer (NAME.cer there) imported into $c, SMTP enabled
 * on $c. The caller's to free.
 */
char	*cert_request_cmd(const char *server, const char *name);

#endif

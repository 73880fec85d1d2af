/*
 * cert-expired and cert-expiring for the certificates HealthChecker's
 * reports give a lifetime in days instead of NotAfter (lifetime_expiry.c),
 * called at the end of those rules.
 */
#ifndef CERTTRAIL_LIFETIME_EXPIRY_H
#define CERTTRAIL_LIFETIME_EXPIRY_H

struct rule_ctx;

void	 expired_from_lifetime(struct rule_ctx *);
void	 expiring_from_lifetime(struct rule_ctx *);

#endif

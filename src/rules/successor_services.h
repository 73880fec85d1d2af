/*
 * cert-expiring for certificates whose renewal is installed but enabled for
 * fewer services (successor_services.c).
 */
#ifndef CERTTRAIL_SUCCESSOR_SERVICES_H
#define CERTTRAIL_SUCCESSOR_SERVICES_H

#include "rules.h"

/* One finding per (expiring certificate, short renewal) pair in set, with
 * every server that holds the pair; set holds certificates for which
 * cert_short_successor finds a renewal. */
void	 expiring_short_successors(struct rule_ctx *, const struct cert_set *);

#endif

/*
 * Inbound refusals of clients that did not authenticate (client_auth.c),
 * part of tls-handshake-failures.
 */
#ifndef CERTTRAIL_CLIENT_AUTH_H
#define CERTTRAIL_CLIENT_AUTH_H

#include "rules.h"

/* One finding per Receive connector whose logs refuse unauthenticated
 * clients with 530 5.7.57, when no other finding claimed them. */
void	 client_auth_refusals(struct rule_ctx *);

#endif

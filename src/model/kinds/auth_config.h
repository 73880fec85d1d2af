/*
 * The organization's OAuth settings (Get-AuthConfig): which certificate
 * signs server-to-server tokens now, which did before, and which takes
 * over when. The record and its store; the descriptor, mapper and columns
 * are in auth_config.c.
 */
#ifndef CERTTRAIL_KIND_AUTH_CONFIG_H
#define CERTTRAIL_KIND_AUTH_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "model/evidence.h"

/* One per organization. */
struct ev_auth_config {
	/* From DistinguishedName "CN=Auth Configuration,CN=<org>,..."; NULL unknown. */
	char		*organization;
	/* Thumbprints: 40 upper-case hex; NULL when unknown or none set. */
	char		*current_thumbprint;
	char		*previous_thumbprint;
	char		*next_thumbprint;
	int64_t		 next_effective;	/* NextCertificateEffectiveDate */
	/*
	 * True when the date came with its zone (CliXml, JSON); false for
	 * Format-List or CSV text, the server's local time read as UTC.
	 */
	bool		 next_effective_exact;
	char		*service_name;	/* 00000002-0000-0ff1-ce00-000000000000 */
	char		*realm;
	/*
	 * The servers the query ran on (PSComputerName, short names): the
	 * settings are the organization's, not these servers', but the
	 * bundle shows these are Exchange servers of it.
	 */
	struct strlist	 queried_on;
	struct strlist	 sources;
	struct ev_ref	 ref;
};

void	 ev_auth_config_init(struct ev_auth_config *);
/* Copies a into the evidence, merged on organization. */
struct ev_auth_config *evidence_add_auth_config(struct evidence *,
	    const struct ev_auth_config *);

#endif

/*
 * What smtp-service-not-enabled says about an incident that is over
 * (smtp_history.c): UnknownCredentials right after "Sending certificate",
 * then successes on the same connector because the connector was re-pinned
 * to another certificate or SMTP was enabled on the one that failed. Such
 * a finding is resolved (resolution.h), names what changed and where the
 * bundle shows it, and gives only a step that verifies.
 */
#ifndef CERTTRAIL_SMTP_HISTORY_H
#define CERTTRAIL_SMTP_HISTORY_H

#include <stdbool.h>

#include "rules.h"

/*
 * For a finding on certificate `cert` (without SMTP) that failed on
 * `connectors`: when its failures ended with successes presenting another
 * certificate, and no connector of them selects `cert` any more, marks f
 * resolved (title, explanation, change, verification) and returns true.
 */
bool	 smtp_history_resolve(struct rule_ctx *, struct finding *,
	    const struct ev_cert *cert, const struct strlist *connectors);

/*
 * The UnknownCredentials failures of certificates that are enabled for
 * SMTP now and succeed on the same connector since: one resolved finding
 * per certificate. Failures that have not ended are left to the other
 * rules.
 */
void	 smtp_history_fixed(struct rule_ctx *);

#endif

/*
 * hybrid-connector-config: whether a Send connector to Exchange Online goes
 * to the organization's own tenant (hybrid mail, where Exchange Online
 * attributes the mail to the organization and CloudServicesMailEnabled
 * keeps its X-MS-Exchange-Organization headers) or to another company's
 * tenant, whose protection endpoint is reached the same way but must not
 * receive those headers.
 */
#ifndef CERTTRAIL_HYBRID_TENANT_H
#define CERTTRAIL_HYBRID_TENANT_H

#include "model/evidence.h"
#include "model/kinds/send_connector.h"

enum eo_tenant {
	EO_OWN,		/* the organization's own tenant */
	EO_PARTNER,	/* ordinary domains only: another company's */
	EO_UNKNOWN	/* its address spaces are not in the export */
};

/* The domain of an address space "SMTP:contoso.com;1" (to free). */
char	*address_space_domain(const char *space);
/* Its cost, 1 when none is written. */
long	 address_space_cost(const char *space);

/*
 * Which tenant sc sends to, and why in words (*why, to free; NULL for
 * EO_UNKNOWN): an address space under .mail.onmicrosoft.com (the hybrid
 * routing domain), the Hybrid Configuration Wizard's connector name, or the
 * smart host of such a connector make it the own tenant.
 */
enum eo_tenant eo_tenant_of(const struct evidence *,
	    const struct ev_send_connector *sc, char **why);

#endif

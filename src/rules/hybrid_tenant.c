/*
 * Own tenant or a partner's, for Send connectors to Exchange Online
 * (hybrid_tenant.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hybrid_tenant.h"

/* The Hybrid Configuration Wizard names its connector so. */
#define HCW_NAME	"Outbound to Office 365"
#define ROUTING_SUFFIX	".mail.onmicrosoft.com"

char *
address_space_domain(const char *space)
{
	const char	*c = strchr(space, ':'), *e;

	c = c != NULL ? c + 1 : space;
	e = strchr(c, ';');
	return e != NULL ? xstrndup(c, (size_t)(e - c)) : xstrdup(c);
}

long
address_space_cost(const char *space)
{
	const char	*e = strrchr(space, ';');

	return e != NULL && e[1] >= '0' && e[1] <= '9' ? strtol(e + 1, NULL,
	    10) : 1;
}

static bool
ends_with_ci(const char *s, const char *suffix)
{
	size_t	n = strlen(s), k = strlen(suffix);

	return n > k && ascii_casecmp(s + n - k, suffix) == 0;
}

static bool
prefix_ci(const char *s, const char *prefix)
{
	size_t	k = strlen(prefix);
	char	*head;
	bool	 yes;

	if (strlen(s) < k)
		return false;
	head = xstrndup(s, k);
	yes = ascii_casecmp(head, prefix) == 0;
	free(head);
	return yes;
}

/* Own tenant by the connector's own settings; the address space in *dom. */
static bool
own_by_itself(const struct ev_send_connector *sc, char **dom)
{
	size_t	i;
	char	*d;

	*dom = NULL;
	for (i = 0; i < sc->address_spaces.n; i++) {
		d = address_space_domain(sc->address_spaces.v[i]);
		if (ends_with_ci(d, ROUTING_SUFFIX)) {
			*dom = d;
			return true;
		}
		free(d);
	}
	return sc->name != NULL && prefix_ci(sc->name, HCW_NAME);
}

enum eo_tenant
eo_tenant_of(const struct evidence *ev, const struct ev_send_connector *sc,
    char **why)
{
	const struct ev_send_connector	*o;
	char				*dom;
	size_t				 i, j, k;

	*why = NULL;
	if (own_by_itself(sc, &dom)) {
		*why = dom != NULL ? xasprintf("its address space %s is the "
		    "hybrid routing domain", dom) : xasprintf("its name is the "
		    "one the Hybrid Configuration Wizard gives");
		free(dom);
		return EO_OWN;
	}
	for (i = 0; i < ev->nsendc; i++) {
		o = &ev->sendc[i];
		if (o == sc || !own_by_itself(o, &dom))
			continue;
		free(dom);
		for (j = 0; j < o->smart_hosts.n; j++)
			for (k = 0; k < sc->smart_hosts.n; k++)
				if (str_eq_ci(o->smart_hosts.v[j],
				    sc->smart_hosts.v[k])) {
					*why = xasprintf("it uses smart host %s, as "
					    "\"%s\" to the own tenant does",
					    sc->smart_hosts.v[k], o->name);
					return EO_OWN;
				}
	}
	for (i = 0; i < sc->address_spaces.n; i++) {
		/* "*" may be the own tenant's outbound relay: not judged. */
		dom = address_space_domain(sc->address_spaces.v[i]);
		j = strcmp(dom, "*") == 0;
		free(dom);
		if (j)
			return EO_UNKNOWN;
	}
	if (sc->address_spaces_known && sc->address_spaces.n > 0) {
		*why = xstrdup("its address spaces are ordinary domains, not the "
		    "hybrid routing domain");
		return EO_PARTNER;
	}
	return EO_UNKNOWN;
}

/*
 * A record whose thumbprint the export did not carry (its line cut, or
 * masked) gets it back when the bundle ties its issuer and serial number to
 * one: another inventory record with the same issuer and serial number, or
 * a protocol log's "Sending certificate" row that logs them with the
 * thumbprint (an issuer and a serial number name one certificate, RFC 5280
 * 4.1.2.2). A masked thumbprint must agree with it where it shows digits.
 * The record stays apart from its twins: what it lost is said, not hidden.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/dn.h"
#include "model/kinds/cert.h"

/* Serial numbers as hex digits, case and spaces aside. */
static bool
same_serial(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return false;
	for (;;) {
		while (*a == ' ' || *a == ':')
			a++;
		while (*b == ' ' || *b == ':')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if ((*a | 0x20) != (*b | 0x20))
			return false;
		a++;
		b++;
	}
}

/* Whether a masked thumbprint shows the digits of `tp` where it shows any. */
static bool
mask_agrees(const char *masked, const char *tp)
{
	const char	*p, *q;
	size_t		 pre = 0, suf = 0, n;

	if (masked == NULL)
		return true;
	n = strlen(masked);
	for (p = masked; *p != '\0' && str_is_hex(p, 1); p++)
		pre++;
	for (q = masked + n; q > masked && str_is_hex(q - 1, 1); q--)
		suf++;
	if (pre + suf > 40)
		return false;
	return ascii_ncasecmp(masked, tp, pre) == 0 &&
	    ascii_ncasecmp(masked + n - suf, tp + 40 - suf, suf) == 0;
}

static bool
same_issuer(const char *a, const char *b)
{
	return a == NULL || b == NULL || dn_equal(a, b);
}

/* The thumbprint the bundle ties c's issuer and serial to, and where. */
static const char *
tied_thumbprint(const struct evidence *ev, const struct ev_cert *c,
    const char **from)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++) {
		const struct ev_cert *o = &ev->certs[i];

		if (o->thumbprint != NULL && same_serial(o->serial, c->serial) &&
		    o->issuer != NULL && same_issuer(o->issuer, c->issuer)) {
			*from = o->ref.source;
			return o->thumbprint;
		}
	}
	for (i = 0; i < ev->ntls; i++) {
		const struct ev_tls_agg *t = &ev->tls[i];

		if (t->cert_thumbprint != NULL &&
		    same_serial(t->cert_serial, c->serial) &&
		    same_issuer(t->cert_issuer, c->issuer)) {
			*from = t->log_source;
			return t->cert_thumbprint;
		}
	}
	return NULL;
}

void
certs_link_thumbprints(struct evidence *ev)
{
	struct ev_cert	*c;
	const char	*tp, *from;
	size_t		 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->thumbprint != NULL || c->serial == NULL ||
		    (tp = tied_thumbprint(ev, c, &from)) == NULL ||
		    !mask_agrees(c->thumbprint_masked, tp))
			continue;
		c->thumbprint = xstrdup(tp);
		free(c->thumbprint_masked);	/* agreed with it; said below */
		c->thumbprint_masked = NULL;
		diag_add(&ev->diags, DIAG_INFO, c->ref.source, "line %ld: "
		    "certificate with serial number %s: thumbprint %s taken from "
		    "%s, where the same issuer and serial number have it",
		    c->ref.line, c->serial, tp, from ? from : "another record");
	}
}

/*
 * How a sentence names a certificate: by its thumbprint, or, when the
 * export did not carry it whole, by what it did carry (the masked form, the
 * serial number and issuer, the subject, the place it was read), so no
 * sentence prints a thumbprint that is not known.
 */
#include "config.h"

#include <stdio.h>

#include "model/kinds/cert.h"

const char *
cert_label(const struct ev_cert *c, char *buf, size_t size)
{
	if (c->thumbprint != NULL)
		return c->thumbprint;
	if (c->thumbprint_masked != NULL && c->serial != NULL)
		snprintf(buf, size, "%s (masked; serial number %s)",
		    c->thumbprint_masked, c->serial);
	else if (c->thumbprint_masked != NULL)
		snprintf(buf, size, "%s (masked)", c->thumbprint_masked);
	else if (c->serial != NULL)
		snprintf(buf, size, "with serial number %s (thumbprint not in "
		    "the export)", c->serial);
	else if (c->subject != NULL)
		snprintf(buf, size, "%s (thumbprint not in the export)",
		    c->subject);
	else if (c->ref.source != NULL)
		snprintf(buf, size, "of %s line %ld (thumbprint not in the "
		    "export)", c->ref.source, c->ref.line);
	else
		snprintf(buf, size, "(thumbprint not in the export)");
	return buf;
}

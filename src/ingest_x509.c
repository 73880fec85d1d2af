/*
 * Certificate files (.cer, .crt, .pem, .p7b): one certificate record per
 * certificate, with no server (a file says nothing about where it is
 * installed) and nothing about services or private keys. A lone file is not
 * an inventory, so it does not count as a certificate dump.
 */
#include "config.h"

#include <stdlib.h>

#include "ingest.h"
#include "text.h"
#include "x509.h"

struct x509_ingest {
	struct evidence	*ev;
	const char	*source;
	int		 added;
	int		 bad;
	char		 err[128];
};

static void
x509_ingest_one(void *ctx, const unsigned char *der, size_t len)
{
	struct x509_ingest	*xi = ctx;
	struct ev_cert		 c;

	ev_cert_init(&c);
	if (x509_cert_fill(&c, der, len, xi->err, sizeof xi->err) != 0) {
		xi->bad++;
		ev_cert_clear(&c);
		return;
	}
	strlist_add(&c.sources, xi->source);
	c.ref.source = xstrdup(xi->source);
	c.ref.line = 0;
	if (evidence_add_cert(xi->ev, &c) != NULL)
		xi->added++;
	ev_cert_clear(&c);
}

int
ingest_x509(struct evidence *ev, const char *source, const unsigned char *data,
    size_t len)
{
	struct x509_ingest	 xi = { ev, source, 0, 0, "" };
	char			 err[128], *text = NULL;
	size_t			 tlen;
	int			 rc;

	/* PEM written by PowerShell's Out-File arrives as UTF-16. */
	if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) ||
	    (data[0] == 0xFE && data[1] == 0xFF))) {
		text = text_to_utf8(data, len, &tlen, NULL, NULL);
		data = (const unsigned char *)text;
		len = tlen;
	}
	rc = x509_read_file(data, len, x509_ingest_one, &xi, err, sizeof err);
	free(text);
	if (rc < 0) {
		diag_add(&ev->diags, DIAG_WARNING, source,
		    "unreadable certificate file: %s", err);
		return -1;
	}
	if (xi.bad > 0)
		diag_add(&ev->diags, DIAG_WARNING, source,
		    "%d certificate(s) in the file could not be read: %s",
		    xi.bad, xi.err);
	return xi.added;
}

/*
 * Certificate files (.cer, .crt, .der, .pem, .p7b): one certificate record
 * per certificate, with no server of its own (a file says nothing about
 * where it is installed: attribution.c may give it one from the path) and
 * nothing about services or private keys. A lone file is not an inventory,
 * so it does not count as a certificate dump.
 */
#include "config.h"

#include <stdlib.h>

#include "ingest.h"
#include "util/parse_diag.h"
#include "util/text.h"
#include "x509.h"

struct x509_ingest {
	struct evidence		*ev;
	const char		*source;
	struct parse_diag	*pd;
	int			 added;
};

static void
x509_ingest_one(void *ctx, const unsigned char *der, size_t len)
{
	struct x509_ingest	*xi = ctx;
	struct ev_cert		 c;

	ev_cert_init(&c);
	if (x509_cert_fill(&c, der, len, xi->pd) != 0) {
		ev_cert_clear(&c);
		return;
	}
	c.file_only = true;
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
	struct parse_diag	 pd;
	struct x509_ingest	 xi = { ev, source, &pd, 0 };
	char			*text = NULL;
	size_t			 tlen;
	int			 rc;

	parse_diag_init(&pd, &ev->diags, source);
	pd.what = "certificate file";
	/* PEM written by PowerShell's Out-File arrives as UTF-16. */
	if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) ||
	    (data[0] == 0xFE && data[1] == 0xFF))) {
		text = text_to_utf8(data, len, &tlen, NULL, NULL);
		data = (const unsigned char *)text;
		len = tlen;
	}
	rc = x509_read_file(data, len, x509_ingest_one, &xi, &pd);
	free(text);
	return rc < 0 ? -1 : xi.added;
}

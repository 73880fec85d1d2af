/*
 * Saved e-mails (mime.h): the format row of a MIME message. Each part is
 * read on its own, through the same table as any entry, under a name of
 * its own ("case.eml/part3/SEND2026111009-1.LOG"), so that every finding
 * and diagnostic says which part it came from. A part that cannot be
 * decoded, or that holds what this reader cannot open here (an archive),
 * is named in a warning and costs only itself: the message stays read for
 * its other parts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "ingest.h"
#include "mime.h"
#include "input/bundle.h"
#include "util/quoting.h"
#include "util/termcodes.h"
#include "util/text.h"

struct mime_read {
	struct ingest_ctx	*ctx;
	const char		*path;		/* the message's */
	int			 read;		/* objects read from its parts */
	int			 parts_read;
	int			 parts_unread;
};

/* Reads one decoded part as the table decides. */
static void
read_part(struct mime_read *mr, const char *path, const unsigned char *data,
    size_t len)
{
	struct diag_list	*diags = &mr->ctx->ev->diags;
	struct ingest_entry	 in;
	struct sniff_text	 st;
	const struct format	*fmt;
	char			*text = NULL;
	size_t			 replaced = 0;
	int			 n = 0;

	memset(&in, 0, sizeof in);
	in.path = path;
	in.data = data;
	in.len = len;
	if (bundle_is_archive(data, len)) {
		mr->parts_unread++;
		diag_add(diags, DIAG_WARNING, path, "an archive attached to the "
		    "message is not opened here (%zu bytes); what it holds was "
		    "not read: save the attachment and give it to certtrail",
		    len);
		return;
	}
	if ((fmt = format_choose(&in)) == NULL) {
		if (sniff_binary(data, len)) {
			diag_add(diags, DIAG_INFO, path, "a binary part of the "
			    "message (%zu bytes) that nothing reads", len);
			return;
		}
		text = text_to_utf8(data, len, &in.text_len, NULL, &replaced);
		termcodes_strip(text, &in.text_len);
		quoting_strip(text, &in.text_len);
		in.text = text;
		sniff_text(text, in.text_len, &st);
		in.sniff = &st;
		fmt = format_choose(&in);
	}
	if (fmt != NULL && fmt->ingest != NULL) {
		if (replaced > 0)
			diag_add(diags, DIAG_WARNING, path, "%zu invalid byte "
			    "sequence%s replaced while decoding", replaced,
			    replaced > 1 ? "s" : "");
		n = fmt->ingest(mr->ctx, &in);
	}
	if (n > 0 || (fmt != NULL && n == 0 && fmt->read_is_evidence)) {
		mr->read += n > 0 ? n : 0;
		mr->parts_read++;
		diag_add(diags, DIAG_INFO, path, "a part of the message, read as "
		    "%s", fmt->name);
	} else if (fmt != NULL && fmt->ingest != NULL) {
		mr->parts_unread++;
		diag_add(diags, DIAG_WARNING, path, "a part of the message "
		    "recognized as %s, but nothing was read from it", fmt->name);
	}
	free(text);
}

static void
on_part(void *arg, const struct mime_part *p)
{
	struct mime_read	*mr = arg;
	char			*path;
	size_t			 n;

	n = strlen(mr->path) + 32 + (p->name != NULL ? strlen(p->name) : 0);
	path = xmalloc(n);
	if (p->name != NULL)
		snprintf(path, n, "%s/part%d/%s", mr->path, p->index, p->name);
	else
		snprintf(path, n, "%s/part%d", mr->path, p->index);
	if (p->problem != NULL) {
		mr->parts_unread++;
		diag_add(&mr->ctx->ev->diags, DIAG_WARNING, path, "a part of the "
		    "message not read: %s; the evidence it holds is missing "
		    "from the reports", p->problem);
	} else if (p->len > 0)
		read_part(mr, path, p->data, p->len);
	free(path);
}

static int
ingest_mime(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	struct mime_read	mr;
	int			nparts;

	memset(&mr, 0, sizeof mr);
	mr.ctx = ctx;
	mr.path = e->path;
	nparts = mime_walk(e->text, e->text_len, on_part, &mr);
	diag_add(&ctx->ev->diags, mr.parts_unread > 0 ? DIAG_WARNING : DIAG_INFO,
	    e->path, "an e-mail message of %d part%s: %d read as evidence, "
	    "%d not read", nparts, nparts != 1 ? "s" : "", mr.parts_read,
	    mr.parts_unread);
	if (mr.parts_unread > 0 && e->outcome != NULL && mr.parts_read == 0) {
		e->outcome->status = MANIFEST_UNSUPPORTED;
		snprintf(e->outcome->why, sizeof e->outcome->why, "an e-mail "
		    "message none of whose %d part%s could be read", nparts,
		    nparts != 1 ? "s" : "");
	}
	return mr.read;
}

static int
bid_mime(const struct ingest_entry *e)
{
	return mime_is_message(e->text, e->text_len) ? 95 : 0;
}

const struct format format_mime = {
	.name = "mime-message", .one = "e-mail message", .many = "e-mail messages",
	.text = true, .best = 95, .bid = bid_mime, .ingest = ingest_mime,
	.read_is_evidence = true,
};

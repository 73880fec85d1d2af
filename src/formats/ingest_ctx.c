/*
 * The ingest context: what parsers keep between the entries of one run,
 * owned by the pipeline (pipeline.c) rather than by the evidence.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ingest.h"

void
ingest_ctx_init(struct ingest_ctx *ctx, struct evidence *ev)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->ev = ev;
}

void
ingest_ctx_free(struct ingest_ctx *ctx)
{
	fl_held_free(&ctx->fl_held);
	ctx->ev = NULL;
}

void
fl_held_free(struct fl_held *h)
{
	size_t	i;

	for (i = 0; i < h->nnotes; i++)
		free(h->notes[i].source);
	free(h->notes);
	for (i = 0; i < h->nfiles; i++) {
		free(h->files[i].source);
		free(h->files[i].text);
	}
	free(h->files);
	memset(h, 0, sizeof *h);
}

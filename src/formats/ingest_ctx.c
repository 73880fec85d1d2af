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
	ingest_held_free(&ctx->held);
	ctx->ev = NULL;
}

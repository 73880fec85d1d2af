/*
 * One file's mapping state: which file, which format, and what went wrong,
 * said with the line and why, counted past a limit so that one bad file
 * cannot flood the diagnostics.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

void
map_ctx_init(struct map_ctx *ctx, struct evidence *ev, const char *source,
    const char *format, int rank)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->ev = ev;
	ctx->source = source;
	ctx->format = format;
	ctx->rank = rank;
	ctx->order = DATE_ORDER_UNKNOWN;
	parse_diag_init(&ctx->pd, &ev->diags, source);
	ctx->pd.shown_max = MAP_DIAGS_MAX;
}

void
map_warn(struct map_ctx *ctx, long line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	parse_problemv(&ctx->pd, DIAG_WARNING, line, fmt, ap);
	va_end(ap);
}

void
map_ctx_finish(struct map_ctx *ctx)
{
	size_t	i;

	for (i = 0; i < ctx->nunknown; i++) {
		/* A custom object past ConvertTo-Json's depth: "@{a=1; b=2}". */
		diag_add(&ctx->ev->diags, DIAG_WARNING, ctx->source,
		    "%s: %ld value(s) exported as %s (\"%s\", first at "
		    "line %ld) instead of the value; left unknown (export with "
		    "Export-Clixml, or ConvertTo-Json -Depth 4, to keep them)",
		    ctx->unknown[i].name, ctx->unknown[i].count,
		    strncmp(ctx->unknown[i].example, "@{", 2) == 0 ?
		    "an object's string form" : "a type name",
		    ctx->unknown[i].example, ctx->unknown[i].first_line);
		free(ctx->unknown[i].name);
		free(ctx->unknown[i].example);
	}
	ctx->nunknown = 0;
	if (ctx->unlisted + (long)ctx->pd.unshown > 0)
		diag_add(&ctx->ev->diags, DIAG_WARNING, ctx->source,
		    "%ld more value(s) left unknown for the same kinds of reasons",
		    ctx->unlisted + (long)ctx->pd.unshown);
	if (ctx->foreign > MAP_FOREIGN_DIAGS_MAX)
		diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source,
		    "%ld more object(s) of types certtrail does not read ignored",
		    ctx->foreign - MAP_FOREIGN_DIAGS_MAX);
	if (ctx->events_irrelevant > 0)
		diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source,
		    "%ld event(s) with ids that do not bear on TLS or "
		    "certificates ignored", ctx->events_irrelevant);
}

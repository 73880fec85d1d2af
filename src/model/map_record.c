/*
 * Which kind of evidence an exported object is, and handing it to that
 * kind's mapper. The table of kinds (kinds/kinds.h) is asked in its order:
 * by type names first, then by properties when no type name says.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "kinds/kinds.h"
#include "record.h"

const struct ev_kind *
record_classify(const struct record *r)
{
	const struct ev_kind *const	*k;
	const char *const		*t;

	for (k = ev_kinds; *k != NULL; k++)
		for (t = (*k)->types; t != NULL && *t != NULL; t++)
			if (record_is_type(r, *t))
				return *k;
	/* Other objects typed as such share a kind's clues: they are not it. */
	for (k = ev_kinds; *k != NULL; k++)
		for (t = (*k)->not_types; t != NULL && *t != NULL; t++)
			if (record_is_type(r, *t))
				return NULL;
	for (k = ev_kinds; *k != NULL; k++)
		if ((*k)->clue != NULL && (*k)->clue(r))
			return *k;
	return NULL;
}

/* "Subject, Thumbprint, NotAfter, ..." : the first few property names. */
static void
describe(const struct record *r, char *buf, size_t size)
{
	size_t	i, len = 0;
	int	n;

	*buf = '\0';
	for (i = 0; i < r->nprops && i < 6; i++) {
		n = snprintf(buf + len, size - len, "%s%s", i > 0 ? ", " : "",
		    r->props[i].name);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
	}
	if (r->nprops > 6)
		snprintf(buf + len, size - len, ", ... %zu in all", r->nprops);
}

/* An object of a type certtrail does not read: what it looked like. */
static void
note_foreign(struct map_ctx *ctx, const struct record *r)
{
	char	props[200], *kinds;

	if (++ctx->foreign > MAP_FOREIGN_DIAGS_MAX)
		return;
	describe(r, props, sizeof props);
	kinds = ev_kinds_words(true, ", ");
	diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source, "line %ld: %s "
	    "object%s%s with %zu propert%s (%s) is not one certtrail reads "
	    "(%s); ignored", r->line, ctx->format, r->types.n > 0 ?
	    " of type " : "", r->types.n > 0 ? r->types.v[0] : "", r->nprops,
	    r->nprops == 1 ? "y" : "ies", props, kinds);
	free(kinds);
}

int
map_record(struct map_ctx *ctx, const struct record *r)
{
	const struct ev_kind	*k = record_classify(r);
	int			 rc;

	if (k == NULL || k->map == NULL) {
		note_foreign(ctx, r);
		return 0;
	}
	rc = k->map(ctx, r);
	if (rc > 0)
		ctx->added += rc;
	else if (rc < 0)
		ctx->skipped++;
	return rc;
}

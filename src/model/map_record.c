/*
 * Which kind of evidence an exported object is, and handing it to that
 * kind's mapper. The table of kinds (kinds/kinds.h) is asked in its order:
 * by type names first, then by the cmdlet of the console prompt pasted
 * above it, then by properties when neither says, and last by what a record
 * cut short still shows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/prompt.h"
#include "kinds/kinds.h"
#include "record.h"

/* The kind whose cmdlet the record's console command runs, or NULL. */
static const struct ev_kind *
command_kind(const struct record *r)
{
	const struct ev_kind *const	*k;
	const char *const		*c;
	struct prompt_cmd		 pc;
	const struct ev_kind		*found = NULL;

	if (r->command == NULL)
		return NULL;
	prompt_cmd_parse(r->command, strlen(r->command), &pc);
	for (k = ev_kinds; pc.cmdlet != NULL && found == NULL && *k != NULL; k++)
		for (c = (*k)->cmdlets; c != NULL && *c != NULL; c++)
			if (ascii_casecmp(*c, pc.cmdlet) == 0)
				found = *k;
	prompt_cmd_free(&pc);
	return found;
}

const struct ev_kind *
record_classify(const struct record *r)
{
	const struct ev_kind *const	*k;
	const char *const		*t;
	const struct ev_kind		*ck;

	for (k = ev_kinds; *k != NULL; k++)
		for (t = (*k)->types; t != NULL && *t != NULL; t++)
			if (record_is_type(r, *t))
				return *k;
	/* Other objects typed as such share a kind's clues: they are not it. */
	for (k = ev_kinds; *k != NULL; k++)
		for (t = (*k)->not_types; t != NULL && *t != NULL; t++)
			if (record_is_type(r, *t))
				return NULL;
	/* What a console command printed is its kind, whatever was cut. */
	if ((ck = command_kind(r)) != NULL && r->nprops > 0)
		return ck;
	for (k = ev_kinds; *k != NULL; k++)
		if ((*k)->clue != NULL && (*k)->clue(r))
			return *k;
	for (k = ev_kinds; *k != NULL; k++)
		if ((*k)->partial != NULL && (*k)->partial(r))
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

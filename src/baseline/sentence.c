/*
 * What the fix achieved, in one plain sentence for the top of every output:
 * "1 of 2 problems resolved; still on EXHUB2: <the finding's title>; not
 * re-collected: EXHUB3." Problems are the earlier findings above info; an
 * info finding is a note, not a problem.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "baseline_int.h"

static bool
is_problem(const struct bl_entry *e)
{
	return e->severity == NULL || strcmp(e->severity, "info") != 0;
}

/* "EXHUB1", "EXHUB1 and EXHUB2", "EXHUB1, EXHUB2 and EXHUB3" */
static void
names(struct buf *b, const char *const *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		(void)buf_appendf(b, "%s%s", i == 0 ? "" : i + 1 == n ?
		    " and " : ", ", v[i]);
}

/* The servers where the entry persists (or is new). */
static void
where(struct buf *b, const struct bl_entry *e, enum bl_state s)
{
	const char	*v[64];
	size_t		 i, n = 0;

	for (i = 0; i < e->nper_server && n < 64; i++)
		if (e->per_server[i].state == s)
			v[n++] = e->per_server[i].server;
	if (n > 0) {
		(void)buf_appendf(b, " on ");
		names(b, v, n);
	}
}

/* " (resolved on EXHUB1)": the servers where a mixed entry is resolved. */
static void
partly(struct buf *b, const struct bl_entry *e)
{
	const char	*v[64];
	size_t		 i, n = 0;

	for (i = 0; i < e->nper_server && n < 64; i++)
		if (e->per_server[i].state == BL_RESOLVED)
			v[n++] = e->per_server[i].server;
	if (n == 0)
		return;
	(void)buf_appendf(b, " (resolved on ");
	names(b, v, n);
	(void)buf_appendf(b, ")");
}

/* The first entry in state s that is a problem, and how many there are. */
static const struct bl_entry *
first_in(const struct baseline *bl, enum bl_state s, size_t *n)
{
	const struct bl_entry	*first = NULL;
	size_t			 i;

	*n = 0;
	for (i = 0; i < bl->nentries; i++) {
		if (bl->entries[i].state != s || !is_problem(&bl->entries[i]))
			continue;
		if (first == NULL)
			first = &bl->entries[i];
		(*n)++;
	}
	return first;
}

char *
bl_sentence(const struct baseline *bl)
{
	const struct bl_entry	*e;
	struct buf		 b;
	size_t			 i, before = 0, resolved = 0, n;

	buf_init(&b, 64 * 1024);
	for (i = 0; i < bl->nentries; i++) {
		e = &bl->entries[i];
		if (e->before == NULL || !is_problem(e))
			continue;
		before++;
		if (e->state == BL_RESOLVED)
			resolved++;
	}
	if (before == 0)
		(void)buf_appendf(&b, "The baseline had no problem");
	else
		(void)buf_appendf(&b, "%zu of %zu problem%s resolved", resolved,
		    before, before == 1 ? "" : "s");
	if ((e = first_in(bl, BL_PERSISTING, &n)) != NULL) {
		(void)buf_appendf(&b, "; still");
		where(&b, e, BL_PERSISTING);
		partly(&b, e);
		(void)buf_appendf(&b, ": %s", e->title != NULL ? e->title :
		    e->rule);
		if (n > 1)
			(void)buf_appendf(&b, " (and %zu more)", n - 1);
	}
	if ((e = first_in(bl, BL_NEW, &n)) != NULL) {
		(void)buf_appendf(&b, "; %zu new", n);
		where(&b, e, BL_NEW);
		(void)buf_appendf(&b, ": %s", e->title != NULL ? e->title :
		    e->rule);
		if (n > 1)
			(void)buf_appendf(&b, " (and %zu more)", n - 1);
	}
	if ((e = first_in(bl, BL_NOT_RECOLLECTED, &n)) != NULL) {
		(void)buf_appendf(&b, "; %zu not re-collected", n);
		if (bl->before_only.n > 0) {
			(void)buf_appendf(&b, ": this bundle has no evidence "
			    "from ");
			names(&b, (const char *const *)bl->before_only.v,
			    bl->before_only.n);
		}
		for (i = 0; i < e->nper_server; i++)
			if (e->per_server[i].state == BL_RESOLVED)
				break;
		if (i < e->nper_server) {
			(void)buf_appendf(&b, "; resolved");
			where(&b, e, BL_RESOLVED);
			(void)buf_appendf(&b, " only: %s", e->title != NULL ?
			    e->title : e->rule);
		}
	}
	(void)buf_appendf(&b, ".");
	return buf_steal(&b, NULL);
}

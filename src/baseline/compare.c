/*
 * Finding by finding: an earlier finding and a new one are the same problem
 * when their rules are equal and their servers, connectors and thumbprints
 * overlap (a side that names none of a kind does not tell them apart).
 * Each server of an earlier finding is then resolved (the new case covers
 * the server and no active match names it), persisting, or not re-collected
 * (the new case does not cover it); a new finding no earlier one matches is
 * new. A finding whose status says resolved is not active.
 *
 * A symptom may change hands: handshakes a generic finding reported before
 * may now be explained by a specific one (or the other way round). An
 * earlier finding whose symptoms go on, on a server, explained by another
 * active finding, persists there as that finding: its symptoms did not end.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "baseline_int.h"

const char *
bl_state_name(enum bl_state s)
{
	static const char *const names[] = { "resolved", "persisting", "new",
		"not_recollected" };

	return names[s];
}

const char *
bl_state_words(enum bl_state s)
{
	static const char *const words[] = { "resolved", "persisting", "new",
		"not re-collected" };

	return words[s];
}

bool
bl_entry_counts(const struct bl_entry *e)
{
	return e->state == BL_PERSISTING || e->state == BL_NEW;
}

/* Whether two lists overlap, or one of them names nothing. */
static bool
lists_meet(const struct strlist *a, const struct strlist *b)
{
	size_t	i;

	if (a->n == 0 || b->n == 0)
		return true;
	for (i = 0; i < a->n; i++)
		if (strlist_contains_ci(b, a->v[i]))
			return true;
	return false;
}

static bool
same_problem(const struct bl_finding *a, const struct bl_finding *b)
{
	return a->rule != NULL && b->rule != NULL &&
	    strcmp(a->rule, b->rule) == 0 &&
	    lists_meet(&a->servers, &b->servers) &&
	    lists_meet(&a->connectors, &b->connectors) &&
	    lists_meet(&a->thumbprints, &b->thumbprints);
}

static bool
same_ci(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return ascii_casecmp(a, b) == 0;
}

static const struct bl_finding *
finding_by_id(const struct bl_case *c, const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < c->nfindings; i++)
		if (c->findings[i].id != NULL &&
		    strcmp(c->findings[i].id, id) == 0)
			return &c->findings[i];
	return NULL;
}

/*
 * The active finding of the new case that explains, on `server`, a symptom
 * of the kind and connector the earlier finding f explained; NULL: none.
 */
static const struct bl_finding *
explained_now(const struct baseline *b, const struct bl_finding *f,
    const char *server)
{
	const struct bl_symptom	*s, *t;
	const struct bl_finding	*a;
	size_t			 i, j;

	for (i = 0; i < b->before.nsym; i++) {
		s = &b->before.sym[i];
		if (s->finding == NULL || f->id == NULL ||
		    strcmp(s->finding, f->id) != 0 || !same_ci(s->server, server))
			continue;
		for (j = 0; j < b->after.nsym; j++) {
			t = &b->after.sym[j];
			if (strcmp(t->kind, s->kind) != 0 ||
			    !same_ci(t->server, server) ||
			    !same_ci(t->connector, s->connector))
				continue;
			a = finding_by_id(&b->after, t->finding);
			if (a != NULL && !a->resolved)
				return a;
		}
	}
	return NULL;
}

static void
union_into(struct strlist *dst, const struct strlist *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		strlist_add_unique_ci(dst, src->v[i]);
}

static struct bl_entry *
entry_new(struct baseline *b)
{
	struct bl_entry	*e;

	b->entries = xrealloc(b->entries, (b->nentries + 1) *
	    sizeof *b->entries);
	e = &b->entries[b->nentries++];
	memset(e, 0, sizeof *e);
	return e;
}

static void
per_server(struct bl_entry *e, const char *server, enum bl_state s)
{
	size_t	i;

	for (i = 0; i < e->nper_server; i++)
		if (ascii_casecmp(e->per_server[i].server, server) == 0)
			return;
	e->per_server = xrealloc(e->per_server, (e->nper_server + 1) *
	    sizeof *e->per_server);
	e->per_server[e->nper_server].server = xstrdup(server);
	e->per_server[e->nper_server++].state = s;
}

/* The entry's state from its servers': the worst news first. */
static enum bl_state
overall(const struct bl_entry *e, enum bl_state none)
{
	static const enum bl_state order[] = { BL_PERSISTING, BL_NEW,
		BL_NOT_RECOLLECTED };
	size_t	i, k;

	if (e->nper_server == 0)
		return none;
	for (k = 0; k < sizeof order / sizeof order[0]; k++)
		for (i = 0; i < e->nper_server; i++)
			if (e->per_server[i].state == order[k])
				return order[k];
	return BL_RESOLVED;
}

/* An earlier finding: what became of it on each of its servers. */
static void
compare_before(struct baseline *b, const struct bl_finding *f,
    bool *matched_after)
{
	const struct bl_case	*after = &b->after;
	const struct bl_finding	*shown = NULL, *via = NULL, *a;
	struct bl_entry		*e = entry_new(b);
	bool			 active = false, any = false, unplaced = false;
	size_t			 i, j;

	e->rule = xstrdup(f->rule);
	e->before = xstrdup(f->id);
	union_into(&e->servers, &f->servers);
	union_into(&e->connectors, &f->connectors);
	union_into(&e->thumbprints, &f->thumbprints);
	for (i = 0; i < after->nfindings; i++) {
		a = &after->findings[i];
		if (!same_problem(f, a))
			continue;
		matched_after[i] = true;
		any = true;
		if (!a->resolved)
			active = true;
		/* Active but on no named server: it goes on, wherever it is. */
		if (!a->resolved && a->servers.n == 0)
			unplaced = true;
		if (shown == NULL || (shown->resolved && !a->resolved))
			shown = a;
		union_into(&e->servers, &a->servers);
		union_into(&e->connectors, &a->connectors);
		union_into(&e->thumbprints, &a->thumbprints);
	}
	for (i = 0; i < f->servers.n; i++) {
		const char	*s = f->servers.v[i];
		bool		 here = false;

		if (!strlist_contains_ci(&after->servers, s)) {
			per_server(e, s, BL_NOT_RECOLLECTED);
			continue;
		}
		for (j = 0; j < after->nfindings && !here; j++)
			here = !after->findings[j].resolved &&
			    same_problem(f, &after->findings[j]) &&
			    strlist_contains_ci(&after->findings[j].servers, s);
		if (!here && (a = explained_now(b, f, s)) != NULL) {
			here = active = true;
			matched_after[a - after->findings] = true;
			if (via == NULL)
				via = a;
		}
		per_server(e, s, here ? BL_PERSISTING : BL_RESOLVED);
	}
	/* The same problem on a server it did not have before. */
	for (j = 0; j < after->nfindings; j++)
		for (i = 0; !after->findings[j].resolved &&
		    same_problem(f, &after->findings[j]) &&
		    i < after->findings[j].servers.n; i++)
			per_server(e, after->findings[j].servers.v[i], BL_NEW);
	if (active && (f->servers.n == 0 || unplaced))
		e->state = BL_PERSISTING;
	else if (active)
		e->state = overall(e, BL_PERSISTING);
	else if (f->servers.n == 0 && !any && b->compared.n == 0)
		e->state = BL_NOT_RECOLLECTED;
	else
		e->state = overall(e, BL_RESOLVED);
	/*
	 * The same rule's finding names the problem as it is now; one that
	 * took its symptoms over gives only its id and severity, the problem
	 * keeps its earlier words.
	 */
	if (shown != NULL && !shown->resolved) {
		e->after = xstrdup(shown->id);
		e->severity = xstrdup(shown->severity);
		e->title = xstrdup(shown->title);
	} else {
		e->after = xstrdup(via != NULL ? via->id : shown != NULL ?
		    shown->id : NULL);
		e->severity = xstrdup(via != NULL ? via->severity : f->severity);
		e->title = xstrdup(f->title);
	}
}

/* A new finding no earlier one matches. */
static void
compare_after(struct baseline *b, const struct bl_finding *a)
{
	struct bl_entry	*e = entry_new(b);
	enum bl_state	 s = a->resolved ? BL_RESOLVED : BL_NEW;
	size_t		 i;

	e->rule = xstrdup(a->rule);
	e->after = xstrdup(a->id);
	e->severity = xstrdup(a->severity);
	e->title = xstrdup(a->title);
	union_into(&e->servers, &a->servers);
	union_into(&e->connectors, &a->connectors);
	union_into(&e->thumbprints, &a->thumbprints);
	for (i = 0; i < a->servers.n; i++)
		per_server(e, a->servers.v[i], s);
	e->state = s;
}

static void
split_servers(struct baseline *b)
{
	size_t	i;

	for (i = 0; i < b->before.servers.n; i++)
		strlist_add(strlist_contains_ci(&b->after.servers,
		    b->before.servers.v[i]) ? &b->compared : &b->before_only,
		    b->before.servers.v[i]);
	for (i = 0; i < b->after.servers.n; i++)
		if (!strlist_contains_ci(&b->before.servers,
		    b->after.servers.v[i]))
			strlist_add(&b->after_only, b->after.servers.v[i]);
}

void
baseline_compare(struct bl_case *before, struct bl_case *after,
    struct baseline *b)
{
	bool	*matched;
	size_t	 i;

	memset(b, 0, sizeof *b);
	b->before = *before;
	b->after = *after;
	memset(before, 0, sizeof *before);
	memset(after, 0, sizeof *after);
	split_servers(b);
	matched = xcalloc(b->after.nfindings + 1, sizeof *matched);
	for (i = 0; i < b->before.nfindings; i++)
		compare_before(b, &b->before.findings[i], matched);
	for (i = 0; i < b->after.nfindings; i++)
		if (!matched[i])
			compare_after(b, &b->after.findings[i]);
	free(matched);
	for (i = 0; i < b->nentries; i++)
		b->counts[b->entries[i].state]++;
	bl_compare_connectors(b);
	bl_compare_queues(b);
	b->text = bl_sentence(b);
}

void
baseline_free(struct baseline *b)
{
	size_t	i, j;

	for (i = 0; i < b->nentries; i++) {
		struct bl_entry	*e = &b->entries[i];

		free(e->rule);
		free(e->severity);
		free(e->title);
		free(e->before);
		free(e->after);
		strlist_free(&e->servers);
		strlist_free(&e->connectors);
		strlist_free(&e->thumbprints);
		for (j = 0; j < e->nper_server; j++)
			free(e->per_server[j].server);
		free(e->per_server);
	}
	free(b->entries);
	for (i = 0; i < b->nconnectors; i++) {
		free(b->connectors[i].server);
		free(b->connectors[i].connector);
		free(b->connectors[i].days);
	}
	free(b->connectors);
	for (i = 0; i < b->nqueues; i++) {
		free(b->queues[i].server);
		free(b->queues[i].identity);
		free(b->queues[i].next_hop);
		free(b->queues[i].after_status);
	}
	free(b->queues);
	strlist_free(&b->compared);
	strlist_free(&b->before_only);
	strlist_free(&b->after_only);
	free(b->text);
	bl_case_free(&b->before);
	bl_case_free(&b->after);
	memset(b, 0, sizeof *b);
}

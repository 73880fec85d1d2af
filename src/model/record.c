/*
 * Generic property records: building them and asking them for a property or
 * a type. Which kind a record is, and its mapping, are map_record.c's; the
 * per-file mapping state map_ctx.c's; the typed readers record_value.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "record.h"

void
record_init(struct record *r)
{
	memset(r, 0, sizeof *r);
}

static void
rec_value_free(struct rec_value *v)
{
	free(v->s);
	strlist_free(&v->items);
	if (v->obj != NULL) {
		record_free(v->obj);
		free(v->obj);
	}
	memset(v, 0, sizeof *v);
}

void
record_free(struct record *r)
{
	size_t	i;

	for (i = 0; i < r->nprops; i++) {
		free(r->props[i].name);
		rec_value_free(&r->props[i].v);
	}
	free(r->props);
	strlist_free(&r->types);
	free(r->to_string);
	free(r->command);
	free(r->outer_server);
	record_init(r);
}

struct rec_value *
record_add(struct record *r, const char *name, long line)
{
	struct rec_prop	*p;

	r->props = xreallocarray_grow(r->props, &r->props_cap, r->nprops + 1,
	    sizeof *r->props);
	p = &r->props[r->nprops++];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->v.kind = REC_NULL;
	p->v.line = line;
	return &p->v;
}

/*
 * "System.Collections.Generic.List`1[System.String]", "System.Object[]",
 * "Microsoft.Exchange.Data.MultiValuedProperty`1[[...]]": a .NET type name,
 * written where the value should be. Real values of the properties certtrail
 * reads never look like one: no spaces, dotted namespaces starting with
 * System. or Microsoft., often a generic arity or array brackets.
 */
bool
rec_text_is_type_name(const char *s)
{
	const char	*p, *bracket;
	int		 dots = 0;

	if (s == NULL || (!ascii_startswith_ci(s, "System.") &&
	    !ascii_startswith_ci(s, "Microsoft.") &&
	    !ascii_startswith_ci(s, "Deserialized.")))
		return false;
	/*
	 * A type name has no space before its generic arguments ("[[..., Version=
	 * 15.0.0.0, Culture=neutral]]"); an exception message that starts with
	 * one ("Microsoft.Exchange.X: failed [Stage: y]") does.
	 */
	bracket = strchr(s, '[');
	for (p = s; *p != '\0' && (bracket == NULL || p < bracket); p++) {
		if (*p == ' ' || *p == ':')
			return false;
		if (*p == '.')
			dots++;
	}
	if (strchr(s, '`') != NULL || strstr(s, "[]") != NULL)
		return true;
	return dots >= 2 && bracket == NULL;
}

void
rec_value_check_type_name(struct rec_value *v)
{
	if (v->kind == REC_SCALAR && rec_text_is_type_name(v->s))
		v->kind = REC_UNKNOWN;
}

const struct rec_value *
record_get(const struct record *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nprops; i++)
		if (ascii_casecmp(r->props[i].name, name) == 0)
			return &r->props[i].v;
	return NULL;
}

bool
record_has(const struct record *r, const char *name)
{
	return record_get(r, name) != NULL;
}

bool
record_is_type(const struct record *r, const char *name)
{
	size_t	i, n = strlen(name), len;

	for (i = 0; i < r->types.n; i++) {
		const char *t = r->types.v[i];

		len = strlen(t);
		if (ascii_casecmp(t, name) == 0 || (len > n &&
		    t[len - n - 1] == '.' && ascii_casecmp(t + len - n, name) == 0))
			return true;
	}
	return false;
}

void
record_date_votes(const struct record *r, struct date_order_votes *votes)
{
	size_t	i;

	/* A clock time is required so version-like values cannot vote. */
	for (i = 0; i < r->nprops; i++)
		if (r->props[i].v.kind == REC_SCALAR &&
		    !r->props[i].v.has_time && r->props[i].v.s != NULL &&
		    strchr(r->props[i].v.s, ':') != NULL)
			date_order_vote(votes, r->props[i].v.s);
}


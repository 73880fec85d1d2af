/* What every table description shares: reading a column of a record. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "time_zone.h"

const void *
table_row(const struct table *t, const void *rows, size_t i)
{
	return (const char *)rows + i * t->size;
}

void
col_read(const struct column *c, const void *row, const struct col_ctx *x,
    struct col_value *v)
{
	memset(v, 0, sizeof *v);
	v->t = TIME_UNKNOWN;
	v->tri = TRI_UNKNOWN;
	v->services = SERVICES_UNKNOWN;
	v->n = -1;
	c->get(row, x, v);
}

const char *
col_finding_naming(const struct col_ctx *x, const char *thumbprint)
{
	if (x->finding_naming == NULL || thumbprint == NULL)
		return NULL;
	return x->finding_naming(x->findings, thumbprint);
}

void
col_value_clear(struct col_value *v)
{
	free(v->owned);
	v->owned = NULL;
}

static bool
col_named(const struct column *c, const char *name)
{
	size_t	n;

	if (c->parent == NULL)
		return strcmp(c->key, name) == 0;
	n = strlen(c->parent);
	return strncmp(name, c->parent, n) == 0 && name[n] == '.' &&
	    strcmp(name + n + 1, c->key) == 0;
}

const struct column *
table_column(const struct table *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->ncols; i++)
		if (col_named(&t->cols[i], name))
			return &t->cols[i];
	return NULL;
}

void
col_str(struct col_value *v, const char *s)
{
	v->s = s;
	v->known = s != NULL;
}

void
col_time(struct col_value *v, int64_t t, bool exact)
{
	v->t = t;
	v->exact = exact;
	v->known = t != TIME_UNKNOWN;
}

void
col_time_read(struct col_value *v, const struct col_ctx *x, const char *server,
    int64_t t, bool exact, bool converted, bool guessed, const char *written)
{
	col_time(v, t, exact);
	v->written = t == TIME_UNKNOWN ? written : NULL;
	if (t == TIME_UNKNOWN && written == NULL)
		return;
	/* A time read in UTC needs no word; every other one does. */
	if (exact && !converted)
		return;
	free(v->owned);
	v->owned = time_read_as(x != NULL ? x->ev : NULL, server, t, exact,
	    converted, guessed, written != NULL);
	v->text = v->owned;
}

void
col_tri(struct col_value *v, tri_t t)
{
	v->tri = t;
	v->known = t != TRI_UNKNOWN;
}

void
col_bool(struct col_value *v, bool b)
{
	v->b = b;
	v->known = true;
}

void
col_int(struct col_value *v, long long n, bool known)
{
	v->n = n;
	v->known = known;
}

void
col_list(struct col_value *v, const struct strlist *l, bool known,
    bool incomplete)
{
	v->list = l;
	v->known = known;
	v->incomplete = incomplete;
}

/*
 * The words rules write alike: "A, B and C" for people. The commands are
 * built in commands.c.
 */
#include "config.h"

#include "rules.h"

char *
join_names(const struct strlist *l)
{
	return join_names_with(l, " and ");
}

char *
join_names_with(const struct strlist *l, const char *last)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 1 << 20);
	for (i = 0; i < l->n; i++)
		buf_appendf(&b, "%s%s", i == 0 ? "" : i + 1 == l->n ? last :
		    ", ", l->v[i]);
	if (l->n == 0)
		buf_appendf(&b, "none");
	return buf_steal(&b, NULL);
}

char *
join_servers(const struct strlist *l)
{
	return l->n > 0 ? join_names(l) : xstrdup("a server the evidence does "
	    "not name");
}

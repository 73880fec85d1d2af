/*
 * The words and commands rules write alike: "A, B and C" for people, and
 * PowerShell string literals for commands.
 */
#include "config.h"

#include "rules.h"

char *
join_names(const struct strlist *l)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 1 << 20);
	for (i = 0; i < l->n; i++)
		buf_appendf(&b, "%s%s", i == 0 ? "" : i + 1 == l->n ? " and " :
		    ", ", l->v[i]);
	if (l->n == 0)
		buf_appendf(&b, "none");
	return buf_steal(&b, NULL);
}

char *
ps_quote(const char *s)
{
	struct buf	b;

	buf_init(&b, (size_t)-1 / 2);
	buf_putc(&b, '"');
	for (; s != NULL && *s; s++) {
		if (*s == '"' || *s == '$' || *s == '`')
			buf_putc(&b, '`');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '"');
	return buf_steal(&b, NULL);
}

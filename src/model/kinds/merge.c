/* Filling a record from its twin: unknown never overwrites known. */
#include "config.h"

#include <stdlib.h>

#include "merge.h"

void
ev_fill_str(char **dst, const char *src)
{
	if (*dst == NULL && src != NULL)
		*dst = xstrdup(src);
}

void
ev_fill_tri(tri_t *dst, tri_t src)
{
	if (*dst == TRI_UNKNOWN)
		*dst = src;
}

void
ev_fill_time(int64_t *dst, int64_t src)
{
	if (*dst == TIME_UNKNOWN)
		*dst = src;
}

void
ev_fill_list(struct strlist *dst, bool *dst_known, const struct strlist *src,
    bool src_known)
{
	if (!*dst_known && src_known) {
		strlist_free(dst);
		strlist_copy(dst, src);
		*dst_known = true;
	}
}

void
ev_sources_add(struct strlist *dst, const struct strlist *src, const char *ref)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		strlist_add_unique_ci(dst, src->v[i]);
	if (ref != NULL)
		strlist_add_unique_ci(dst, ref);
}

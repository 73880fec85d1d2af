/* The table of kinds, built from list.h, and what every loop over it asks. */
#include "config.h"

#include <string.h>

#include "model/evidence.h"
#include "kinds.h"

#define EV_KIND_ENTRY(name, type, array)	&ev_kind_##name,
const struct ev_kind *const ev_kinds[] = {
	EV_KIND_LIST(EV_KIND_ENTRY)
	NULL
};
#undef EV_KIND_ENTRY

/* The table sorted by a rank, keeping the table's order between equals. */
static void
sorted(const struct ev_kind **out, int (*rank)(const struct ev_kind *))
{
	const struct ev_kind	*k;
	size_t			 i, j;

	for (i = 0; ev_kinds[i] != NULL; i++) {
		k = ev_kinds[i];
		for (j = i; j > 0 && rank(out[j - 1]) > rank(k); j--)
			out[j] = out[j - 1];
		out[j] = k;
	}
	out[i] = NULL;
}

static int
page_rank(const struct ev_kind *k)
{
	return k->page.rank;
}

static int
gap_rank(const struct ev_kind *k)
{
	return k->gap_rank;
}

void
ev_kinds_page_order(const struct ev_kind **out)
{
	sorted(out, page_rank);
}

void
ev_kinds_gap_order(const struct ev_kind **out)
{
	sorted(out, gap_rank);
}

const void *
ev_kind_rows(const struct ev_kind *k, const struct evidence *ev, size_t *n)
{
	const void	*rows;

	if (ev == NULL) {
		*n = 0;
		return NULL;
	}
	memcpy(n, (const char *)ev + k->count, sizeof *n);
	memcpy(&rows, (const char *)ev + k->rows, sizeof rows);
	return rows;
}

bool
ev_kind_seen(const struct ev_kind *k, const struct evidence *ev)
{
	size_t	n;

	if (k->seen != NULL)
		return ev != NULL && k->seen(ev);
	(void)ev_kind_rows(k, ev, &n);
	return n > 0;
}

char *
ev_kinds_words(bool plural, const char *last)
{
	const struct ev_kind	*order[EV_NKINDS + 1];
	const char		*words[EV_NKINDS];
	struct buf		 b;
	size_t			 i, n = 0;

	ev_kinds_page_order(order);
	/* Send and Receive connectors are both "connectors": said once. */
	for (i = 0; order[i] != NULL; i++)
		if (order[i]->map != NULL && (n == 0 ||
		    strcmp(words[n - 1], plural ? order[i]->many :
		    order[i]->one) != 0))
			words[n++] = plural ? order[i]->many : order[i]->one;
	buf_init(&b, 4096);
	for (i = 0; i < n; i++)
		buf_appendf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? last : ", ",
		    words[i]);
	return buf_steal(&b, NULL);
}

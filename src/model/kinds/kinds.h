/*
 * The kinds of evidence (list.h) as a table of descriptors (kind.h), and
 * the questions every loop over them asks. The table is static: nothing
 * here allocates but ev_kinds_words().
 */
#ifndef CERTTRAIL_KINDS_H
#define CERTTRAIL_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#include "kind.h"
#include "list.h"

#define EV_KIND_DECLARE(name, type, array)				\
	extern const struct ev_kind ev_kind_##name;
EV_KIND_LIST(EV_KIND_DECLARE)
#undef EV_KIND_DECLARE

#define EV_KIND_ONE(name, type, array)	+ 1
enum { EV_NKINDS = 0 EV_KIND_LIST(EV_KIND_ONE) };
#undef EV_KIND_ONE

/* Every kind in the table's order (findings.json's), NULL-ended. */
extern const struct ev_kind *const ev_kinds[];

/*
 * The kinds in the order of the page and the workbook (page.rank), or of
 * the gaps list (gap_rank), into out[EV_NKINDS + 1], NULL-ended.
 */
void		 ev_kinds_page_order(const struct ev_kind **out);
void		 ev_kinds_gap_order(const struct ev_kind **out);

/* A kind's records in the evidence (none when ev is NULL); *n their number. */
const void	*ev_kind_rows(const struct ev_kind *, const struct evidence *,
		    size_t *n);
/* Whether the kind's export was in the bundle. */
bool		 ev_kind_seen(const struct ev_kind *, const struct evidence *);

/*
 * The kinds exported objects are read as, in the page's order, for a
 * sentence: "certificates, connectors, ... and events" (plural, with
 * `last` before the last word: ", ", " or "). The caller frees it.
 */
char		*ev_kinds_words(bool plural, const char *last);

#endif

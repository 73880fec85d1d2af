/*
 * The last pass over the evidence, once every entry has been read: every
 * server the evidence names is gathered (attribution.h lists the clues),
 * then each kind attributes its records that name none, merges the twins
 * that reveals and sorts into a stable order, so the outputs do not depend
 * on the order the inputs were given in; last, the servers' clocks are
 * inferred and their local times converted where they can be (time_zone.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "kinds/kinds.h"
#include "evidence.h"
#include "time_zone.h"

void
evidence_known_servers(const struct evidence *ev, struct strlist *out)
{
	const struct ev_kind *const	*k;
	const void			*rows;
	size_t				 i, n;

	for (i = 0; i < ev->nsymptoms; i++)
		strlist_add_unique_ci(out, ev->symptoms[i].server);
	for (k = ev_kinds; *k != NULL; k++) {
		if ((*k)->servers == NULL)
			continue;
		rows = ev_kind_rows(*k, ev, &n);
		for (i = 0; i < n; i++)
			(*k)->servers((const char *)rows + i * (*k)->size, out);
	}
	for (i = 0; i < ev->nentries; i++)
		attr_servers_from_path_shape(ev->entries[i].path, out);
	strlist_sort_ci(out);
}

void
evidence_finish(struct evidence *ev)
{
	const struct ev_kind *const	*k;
	struct strlist			 servers = { 0 };

	for (k = ev_kinds; *k != NULL; k++)
		if ((*k)->own_names != NULL)
			(*k)->own_names(ev);
	evidence_known_servers(ev, &servers);
	/* One folder per server: the siblings of a known server's folder. */
	attr_server_folders(ev, &servers);
	for (k = ev_kinds; *k != NULL; k++)
		if ((*k)->finish != NULL)
			(*k)->finish(ev, &servers);
	strlist_free(&servers);
	/* Attributed and merged: each server's clock, and its local times. */
	evidence_time_zones(ev);
}

/*
 * The last pass over the evidence, once every entry has been read:
 * attribute certificates, log aggregates and events that carry no server
 * name to a server (attribution.c, clues strongest first), merge the twins
 * that attribution reveals (same server and thumbprint), and sort into a
 * stable order so the outputs do not depend on the order inputs were given in.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "evidence.h"

/*
 * An event export that does not name the computer (Get-WinEvent's default
 * Format-List view) belongs to the server its path names; the servers the
 * other event exports name count as clues too.
 */
static void
attribute_events(struct evidence *ev, const struct strlist *servers)
{
	struct strlist	 known = { 0 };
	struct ev_event	*e;
	const char	*s;
	size_t		 i;

	strlist_copy(&known, servers);
	for (i = 0; i < ev->nevents; i++)
		strlist_add_unique_ci(&known, ev->events[i].server);
	for (i = 0; i < ev->nevents; i++) {
		e = &ev->events[i];
		if (e->server != NULL || e->ref.source == NULL)
			continue;
		s = evidence_server_from_path(e->ref.source, &known);
		if (s == NULL && known.n == 1) {
			s = known.v[0];
			diag_add(&ev->diags, DIAG_INFO, e->ref.source,
			    "event %ld names no computer; attributed to %s, the "
			    "only server in the bundle", e->id, s);
		}
		if (s != NULL)
			e->server = xstrdup(s);
	}
	strlist_free(&known);
}

/*
 * Certificates that attribution gave the same server are twins (the .txt and
 * .xml of one dump): merged into the first, conflicts named in diagnostics.
 * Records whose server is still unknown stay apart, one per source.
 */
static void
merge_duplicate_certs(struct evidence *ev)
{
	struct ev_cert	 tmp;
	size_t		 i, j;

	for (i = 0; i < ev->ncerts; i++) {
		for (j = i + 1; j < ev->ncerts; ) {
			if (ev->certs[i].server == NULL ||
			    !str_eq_ci(ev->certs[i].thumbprint, ev->certs[j].thumbprint) ||
			    !str_eq_ci(ev->certs[i].server, ev->certs[j].server)) {
				j++;
				continue;
			}
			tmp = ev->certs[j];
			memmove(&ev->certs[j], &ev->certs[j + 1],
			    (ev->ncerts - j - 1) * sizeof *ev->certs);
			ev->ncerts--;
			/* Re-adding merges field by field, unknown never wins. */
			evidence_add_cert(ev, &tmp);
			ev_cert_clear(&tmp);
		}
	}
}

static int
cmp_cert(const void *pa, const void *pb)
{
	const struct ev_cert	*a = pa, *b = pb;
	int			 c;

	if ((c = casecmp_null_last(a->server, b->server)) != 0)
		return c;
	if (a->not_after != b->not_after)
		return a->not_after < b->not_after ? -1 : 1;
	if ((c = casecmp_null_last(a->thumbprint, b->thumbprint)) != 0)
		return c;
	/* Records of unknown servers stay apart per source. */
	return casecmp_null_last(a->ref.source, b->ref.source);
}

static int
cmp_connector(const void *pa, const void *pb)
{
	const struct ev_send_connector	*a = pa, *b = pb;

	return casecmp_null_last(a->name, b->name);
}

static int
cmp_queue(const void *pa, const void *pb)
{
	const struct ev_queue	*a = pa, *b = pb;
	int			 c;

	if ((c = casecmp_null_last(a->identity, b->identity)) != 0)
		return c;
	return casecmp_null_last(a->ref.source, b->ref.source);
}

void
evidence_finish(struct evidence *ev)
{
	struct strlist	servers = { 0 };
	size_t		i;

	evidence_attribute(ev);
	attr_known_servers(ev, &servers);
	evidence_logs_finish(ev, &servers);
	attribute_events(ev, &servers);
	strlist_free(&servers);
	merge_duplicate_certs(ev);

	for (i = 0; i < ev->ncerts; i++) {
		strlist_sort_ci(&ev->certs[i].sources);
	}
	for (i = 0; i < ev->nsendc; i++)
		strlist_sort_ci(&ev->sendc[i].sources);
	if (ev->ncerts > 1)
		qsort(ev->certs, ev->ncerts, sizeof *ev->certs, cmp_cert);
	if (ev->nsendc > 1)
		qsort(ev->sendc, ev->nsendc, sizeof *ev->sendc, cmp_connector);
	if (ev->nqueues > 1)
		qsort(ev->queues, ev->nqueues, sizeof *ev->queues, cmp_queue);
	evidence_transport_sort(ev);
}

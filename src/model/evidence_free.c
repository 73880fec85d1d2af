/*
 * Releasing the evidence: every kind's records through the table of kinds,
 * the protocol-log aggregates, then what the container keeps itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"
#include "evidence.h"

static void
symptom_clear(struct ev_symptom *s)
{
	free(s->server);
	strlist_free(&s->connectors);
	free(s->thumbprint);
	free(s->text);
	free(s->ref.source);
}

void
evidence_free(struct evidence *ev)
{
	const struct ev_kind *const	*k;
	char				*rows;
	size_t				 i, n;

	for (k = ev_kinds; *k != NULL; k++) {
		if ((*k)->clear == NULL)
			continue;	/* evidence_logs_free's */
		memcpy(&rows, (char *)ev + (*k)->rows, sizeof rows);
		memcpy(&n, (char *)ev + (*k)->count, sizeof n);
		for (i = 0; i < n; i++)
			(*k)->clear(rows + i * (*k)->size);
		free(rows);
	}
	evidence_logs_free(ev);
	for (i = 0; i < ev->nsymptoms; i++)
		symptom_clear(&ev->symptoms[i]);
	free(ev->symptoms);
	for (i = 0; i < ev->nentries; i++) {
		free(ev->entries[i].path);
		free(ev->entries[i].why);
		free(ev->entries[i].duplicate_of);
	}
	free(ev->entries);
	for (i = 0; i < ev->ninputs; i++)
		free(ev->inputs[i].path);
	free(ev->inputs);
	diag_list_free(&ev->diags);
	evidence_init(ev);
}

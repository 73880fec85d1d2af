/*
 * The protocol log parser's life (protolog.h): made, begun for each file,
 * finished, freed; lines go in through rows.c (parser.h lists the other
 * parts).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util/datetime.h"
#include "util/text.h"

struct protolog *
protolog_new(const struct protolog_callbacks *cb)
{
	struct protolog	*pl = xcalloc(1, sizeof *pl);
	int		 i;

	if (cb != NULL)
		pl->cb = *cb;
	for (i = 0; i < NCOLUMNS; i++)
		pl->col[i] = -1;
	pl->max_open = PROTOLOG_MAX_SESSIONS;
	pl->stats.first = pl->stats.last = TIME_UNKNOWN;
	return pl;
}

void
protolog_begin(struct protolog *pl, const char *source)
{
	int	i;

	memset(&pl->stats, 0, sizeof pl->stats);
	pl->stats.first = pl->stats.last = TIME_UNKNOWN;
	for (i = 0; i < NCOLUMNS; i++)
		pl->col[i] = -1;
	pl->nfields = 0;
	pl->warned_no_fields = false;
	pl->prompts = pl->curly_fields = pl->first_curly = 0;
	pl->lineno = 0;
	pl->first_len = pl->last_len = 0;
	pl->banner_zone[0] = '\0';
	pl->source = NULL;
	if (source != NULL) {
		strlist_add(&pl->sources, source);
		pl->source = pl->sources.v[pl->sources.n - 1];
	}
}

void
protolog_set_max_sessions(struct protolog *pl, size_t n)
{
	pl->max_open = n ? n : 1;
	while (pl->nopen > pl->max_open)
		sessions_evict_oldest(pl);
}

const struct protolog_stats *
protolog_stats(const struct protolog *pl)
{
	return &pl->stats;
}

void
protolog_free(struct protolog *pl)
{
	int	i, j;

	if (pl == NULL)
		return;
	sessions_free(pl);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < CERT_MEMO; j++) {
			free(pl->cert_memo[i][j].text);
			cert_ref_put(&pl->cert_memo[i][j].ref);
		}
	}
	for (i = 0; i < NCOLUMNS; i++)
		free(pl->val[i]);
	strlist_free(&pl->sources);
	free(pl);
}

static int64_t
time_of_text(const char *p, size_t n)
{
	char	tmp[TIME_TEXT_MAX + 1];
	int64_t	t;

	if (n == 0 || n > TIME_TEXT_MAX)
		return TIME_UNKNOWN;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return date_parse_iso(tmp, &t) ? t : TIME_UNKNOWN;
}

void
protolog_finish(struct protolog *pl)
{
	pl->stats.first = time_of_text(pl->first_text, pl->first_len);
	pl->stats.last = time_of_text(pl->last_text, pl->last_len);
	if (pl->curly_fields > 0)
		parse_problem(pl->cb.pd, DIAG_INFO, pl->first_curly, "%ld "
		    "field%s in typographic quotes (\xE2\x80\x9C \xE2\x80\x9D) read "
		    "as quoted", pl->curly_fields, pl->curly_fields == 1 ? "" : "s");
	if (pl->stats.bad_rows > PROTOLOG_BAD_ROWS_SHOWN)
		parse_problem(pl->cb.pd, DIAG_WARNING, 0, "%ld malformed rows "
		    "skipped in all (the first %d are listed)", pl->stats.bad_rows,
		    PROTOLOG_BAD_ROWS_SHOWN);
}

void
protolog_parse(const char *text, size_t len, const struct protolog_callbacks *cb,
    struct protolog_stats *stats)
{
	struct protolog	*pl = protolog_new(cb);

	protolog_begin(pl, NULL);
	protolog_feed(pl, text, len);
	protolog_finish(pl);
	protolog_end_sessions(pl);
	if (stats != NULL)
		*stats = pl->stats;
	protolog_free(pl);
}


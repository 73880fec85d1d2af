/*
 * Servers and their clocks as a kind of evidence: the store, one record per
 * server; the column table (findings.json "servers", the Servers sheet, the
 * page's table); and the descriptor. No export maps into it: the records
 * are computed by model/time_zone.c once everything is read.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/table.h"
#include "model/time_zone.h"
#include "kind.h"
#include "server.h"

/* ----------------------------------------------------------------- store */

void
ev_server_init(struct ev_server *s)
{
	memset(s, 0, sizeof *s);
}

void
ev_server_clear(struct ev_server *s)
{
	free(s->name);
	free(s->offset_from);
	strlist_free(&s->sources);
	ev_server_init(s);
}

bool
server_offset_at_local(const struct ev_server *s, int64_t local, int *minutes)
{
	unsigned	k = tz_season(local);

	if (s == NULL || k == 0 || (s->seasons & k) == 0)
		return false;
	*minutes = s->season_offset[k];
	return true;
}

bool
server_offset_at_utc(const struct ev_server *s, int64_t utc, int *minutes)
{
	unsigned	k;

	/* The local time is utc + offset: the part of the year it fell in. */
	for (k = TZ_SEASON_WINTER; s != NULL && k <= TZ_SEASON_SUMMER; k <<= 1)
		if ((s->seasons & k) != 0 && utc != TIME_UNKNOWN &&
		    tz_season(utc + (int64_t)s->season_offset[k] * 60) == k) {
			*minutes = s->season_offset[k];
			return true;
		}
	return false;
}

const char *
server_offsets_text(const struct ev_server *s, char *buf, size_t size)
{
	char	w[16], m[16];

	if (s == NULL || (!s->offset_known && s->seasons == 0))
		snprintf(buf, size, "%s", "");
	else if (s->offset_known)
		tz_offset_text(s->utc_offset_minutes, buf, size);
	else
		snprintf(buf, size, "%s from November 8 to March 7, %s from May "
		    "1 to August 31", tz_offset_text(s->season_offset[
		    TZ_SEASON_WINTER], w, sizeof w), tz_offset_text(
		    s->season_offset[TZ_SEASON_SUMMER], m, sizeof m));
	return buf;
}

const struct ev_server *
evidence_server(const struct evidence *ev, const char *name)
{
	char	*short_name;
	size_t	 i;

	if (name == NULL)
		return NULL;
	short_name = server_short_name(name);
	for (i = 0; i < ev->nservers; i++)
		if (str_eq_ci(ev->servers[i].name, short_name)) {
			free(short_name);
			return &ev->servers[i];
		}
	free(short_name);
	return NULL;
}

struct ev_server *
evidence_server_add(struct evidence *ev, const char *name)
{
	struct ev_server	*s;
	size_t			 i;

	for (i = 0; i < ev->nservers; i++)
		if (str_eq_ci(ev->servers[i].name, name))
			return &ev->servers[i];
	ev->servers = xreallocarray_grow(ev->servers, &ev->servers_cap,
	    ev->nservers + 1, sizeof *ev->servers);
	s = &ev->servers[ev->nservers++];
	ev_server_init(s);
	s->name = server_short_name(name);
	return s;
}

/* --------------------------------------------------------------- columns */

#define S	struct ev_server

EVIDENCE_ROWS(rows, servers, nservers)

GET_STR(s_name, S, r->name)
COL_GETTER(s_offset, S, col_int(v, r->utc_offset_minutes, r->offset_known))
COL_GETTER(s_offset_winter, S, col_int(v, r->season_offset[TZ_SEASON_WINTER],
    (r->seasons & TZ_SEASON_WINTER) != 0))
COL_GETTER(s_offset_summer, S, col_int(v, r->season_offset[TZ_SEASON_SUMMER],
    (r->seasons & TZ_SEASON_SUMMER) != 0))
GET_STR(s_offset_from, S, r->offset_from)
GET_SOURCES(s_sources, S, r->sources)

/* The offset as people write it. */
static void
s_offset_text(const void *row, const struct col_ctx *ctx, struct col_value *v)
{
	const S	*r = row;
	char	 buf[96];

	(void)ctx;
	if (!r->offset_known && r->seasons == 0)
		return;
	v->owned = xstrdup(server_offsets_text(r, buf, sizeof buf));
	col_str(v, v->owned);
}

/* Which of its local times the offset converts. */
static void
s_converts(const void *row, const struct col_ctx *ctx, struct col_value *v)
{
	const S	*r = row;

	(void)ctx;
	if (!r->offset_known && r->seasons == 0)
		return;
	switch (r->seasons) {
	case TZ_SEASON_WINTER:
		col_str(v, "local times from November 8 to March 7");
		break;
	case TZ_SEASON_SUMMER:
		col_str(v, "local times from May 1 to August 31");
		break;
	case TZ_SEASON_WINTER | TZ_SEASON_SUMMER:
		col_str(v, "local times from November 8 to March 7 and from "
		    "May 1 to August 31");
		break;
	default:
		col_str(v, "none: its clues fall in a month when daylight "
		    "saving time may change");
		break;
	}
}

static const struct column server_cols[] = {
	{ .key = "name", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_ALL, .get = s_name },
	{ .key = "utc_offset_minutes", .label = "UTC offset (minutes)",
	  .width = 12, .type = COL_INT, .show = OUT_JSON | OUT_XLSX,
	  .get = s_offset, .unknown = "unknown",
	  .why = "page: the offset is shown as UTC-08:00" },
	{ .key = "utc_offset_minutes_nov_mar",
	  .label = "UTC offset Nov 8-Mar 7 (minutes)", .width = 12,
	  .type = COL_INT, .show = OUT_JSON | OUT_XLSX, .get = s_offset_winter,
	  .unknown = "unknown",
	  .why = "page: UTC offset says it when it differs by season" },
	{ .key = "utc_offset_minutes_may_aug",
	  .label = "UTC offset May 1-Aug 31 (minutes)", .width = 12,
	  .type = COL_INT, .show = OUT_JSON | OUT_XLSX, .get = s_offset_summer,
	  .unknown = "unknown",
	  .why = "page: UTC offset says it when it differs by season" },
	{ .key = "utc_offset", .label = "UTC offset", .width = 12,
	  .type = COL_STR, .show = OUT_XLSX | OUT_HTML, .get = s_offset_text,
	  .why = "findings.json: utc_offset_minutes holds it" },
	{ .key = "offset_from", .label = "Offset from", .width = 80,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_ALL,
	  .get = s_offset_from, .cls = "text",
	  .unknown = "nothing in the bundle shows it: its local times stay "
	  "labelled local" },
	{ .key = "offset_converts", .label = "Converted to UTC", .width = 40,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_ALL,
	  .get = s_converts, .unknown = "" },
	{ .key = "sources", .label = "Sources", .width = 50, .type = COL_LIST,
	  .style = COL_WRAP | COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = s_sources,
	  .why = "page: the clue names its files" },
};

const struct table table_servers = {
	.key = "servers", .sheet = "Servers", .cols = server_cols,
	.ncols = sizeof server_cols / sizeof server_cols[0], .freeze = 1,
	.rows = rows, .size = sizeof(S)
};

/* ------------------------------------------------------------ descriptor */

static void
clear(void *s)
{
	ev_server_clear(s);
}

const struct ev_kind ev_kind_servers = {
	.one = "server", .many = "servers",
	EV_KIND_STORE(servers), .clear = clear,
	.table = &table_servers,
	.page = { .id = "servers", .title = "Servers and their clocks",
	    .rank = 75,
	    .empty = "No server named in the bundle.",
	    .intro = "Protocol logs are UTC; Format-List, table, CSV and event "
	    "texts give the server's local time. Where the bundle shows one "
	    "instant both ways, the server's UTC offset follows and its local "
	    "times are converted; otherwise they stay labelled server local "
	    "time." },
};

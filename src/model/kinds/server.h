/*
 * Servers and their clocks (findings.json "servers"): one record per server
 * the evidence names, with its UTC offset when the evidence gives one. The
 * records are not read from any export: model/time_zone.c computes them
 * once everything is read, from clues such as the same certificate printed
 * in local time and written in UTC. The descriptor and columns are in
 * server.c.
 *
 * Ownership: a record owns its strings; the store frees them.
 */
#ifndef CERTTRAIL_KIND_SERVER_H
#define CERTTRAIL_KIND_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "model/evidence.h"

struct ev_server {
	char		*name;		/* short upper-case name */
	/* One offset holds wherever the clues fall. */
	bool		 offset_known;
	int		 utc_offset_minutes;	/* east of UTC, when known */
	/* The clues the offset came from, for people; NULL when unknown. */
	char		*offset_from;
	/*
	 * The parts of the year the clues fall in (TZ_SEASON_*, time_zone.h):
	 * the server's local times there are converted with the offset of
	 * that part, season_offset[TZ_SEASON_WINTER] or [TZ_SEASON_SUMMER].
	 * The two differ when the clock keeps daylight saving time (then
	 * offset_known is false: no one offset holds).
	 */
	unsigned	 seasons;
	int		 season_offset[3];
	struct strlist	 sources;	/* the files the clues were read in */
};

void	 ev_server_init(struct ev_server *);
void	 ev_server_clear(struct ev_server *);
/* The record of a server (added blank when new); name compared as a short name. */
struct ev_server *evidence_server_add(struct evidence *, const char *name);
/*
 * The offset of s's clock at a local time (*minutes), when the clues give
 * one for that part of the year.
 */
bool	 server_offset_at_local(const struct ev_server *, int64_t local,
	    int *minutes);
/* The same for a UTC time converted from the server's local time. */
bool	 server_offset_at_utc(const struct ev_server *, int64_t utc,
	    int *minutes);
/*
 * Its offsets for people: "UTC-08:00", or "UTC-08:00 from November 8 to
 * March 7, UTC-07:00 from May 1 to August 31"; "" when none is known.
 */
const char *server_offsets_text(const struct ev_server *, char *buf,
	    size_t size);
/* The record of a server, or NULL. */
const struct ev_server *evidence_server(const struct evidence *, const char *name);

#endif

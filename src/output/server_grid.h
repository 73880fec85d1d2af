/*
 * The per-server status grid: for each server the evidence names, one cell
 * per check (certificates, SMTP certificate, connectors, TLS in the logs,
 * queues, events), each in one of a few states with a short note and the
 * findings behind it. report.html shows it under the verdict and
 * report.xlsx on its Summary sheet; both take it from here, so they never
 * disagree. No markup here: a renderer adds its own colour beside the word.
 *
 * How a cell gets its state:
 *   - "not collected" when no record of that kind names the server (what
 *     was not collected is unknown, never OK);
 *   - "problem" when an active finding of that check names the server with
 *     severity high or critical, or is the root cause;
 *   - "warning" for an active finding of medium or low severity, or when
 *     the evidence itself shows trouble no finding covers (failed
 *     handshakes, messages waiting for retry, warning or error events);
 *   - "resolved" when the only findings there are over;
 *   - "OK" otherwise.
 * Evidence whose server is not known is in no row.
 */
#ifndef CERTTRAIL_SERVER_GRID_H
#define CERTTRAIL_SERVER_GRID_H

#include <stddef.h>

#include "report.h"
#include "util/util.h"

enum grid_check {
	GRID_CERTIFICATES = 0,
	GRID_SMTP_CERT,
	GRID_CONNECTORS,
	GRID_TLS_LOGS,
	GRID_QUEUES,
	GRID_EVENTS,
	GRID_NCHECKS
};

/* In order of gravity: a cell takes the gravest state it is given. */
enum grid_state {
	GRID_NOT_COLLECTED = 0,
	GRID_OK,
	GRID_RESOLVED,
	GRID_WARNING,
	GRID_PROBLEM
};

#define GRID_NOTE_MAX	96

struct grid_cell {
	enum grid_state	 state;
	/* What the evidence holds, in a few words: "3 certificates",
	 * "1,016 of 78,941 failed (1.3 %)", "not collected". */
	char		 note[GRID_NOTE_MAX];
	struct strlist	 findings;	/* ids ("F1") of the findings behind the state */
	bool		 unsure;	/* a warning for what is not known, not for a symptom */
};

struct grid_row {
	char		*server;	/* short upper-case name */
	struct grid_cell cells[GRID_NCHECKS];
};

struct server_grid {
	struct grid_row	*rows;		/* sorted by server name */
	size_t		 nrows;
};

/* Builds the grid from the report's evidence and findings (never fails). */
void	 server_grid_build(const struct report *, struct server_grid *);
void	 server_grid_free(struct server_grid *);

/* "Certificates", "SMTP certificate", "Connectors", "TLS in the logs", ... */
const char *grid_check_name(enum grid_check);
/* "OK", "warning", "problem", "resolved", "not collected". */
const char *grid_state_word(enum grid_state);
/* "ok", "warning", "problem", "resolved", "not-collected": a class or key. */
const char *grid_state_key(enum grid_state);
/* The check a rule's findings belong to; GRID_NCHECKS when none. */
enum grid_check grid_check_of_rule(const char *rule);

#endif

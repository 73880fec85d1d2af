/*
 * Application events that bear on TLS or certificates, from event logs and
 * exported EventLogRecord objects: the record and its store; the
 * descriptor, mapper and columns are in event.c.
 */
#ifndef CERTTRAIL_KIND_EVENT_H
#define CERTTRAIL_KIND_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

/* An application event that bears on TLS or certificates (12014, 12016, ...). */
struct ev_event {
	char		*server;	/* short upper-case name, NULL unknown */
	int64_t		 time;		/* UTC, TIME_UNKNOWN */
	char		*provider;	/* "MSExchangeTransport", ... */
	long		 id;		/* event id */
	char		*level;		/* "Error", "Warning", "Information", NULL */
	char		*message;
	struct ev_ref	 ref;
	/*
	 * The time came with its zone (UTC). Text exports print the server's
	 * local time without saying which: such a time is read as UTC and is
	 * not exact.
	 */
	bool		 time_exact;
	/* Converted from local with the server's offset (model/time_zone.c). */
	bool		 time_converted;
	/* Read in a day/month order taken from other files: a guess. */
	bool		 time_order_guessed;
	/*
	 * The message is the event's raw strings: the log was read without the
	 * provider's message DLL, which renders them into the text.
	 */
	bool		 message_raw;
};


void	 ev_event_init(struct ev_event *);
void	 ev_event_clear(struct ev_event *);
/*
 * Copies e into the evidence, merged on (server, time, id, message) so that
 * twin exports count once.
 */
struct ev_event *evidence_add_event(struct evidence *, const struct ev_event *);
/* Whether an event id is one certtrail keeps (TLS and certificate events). */
bool	 event_id_relevant(long id);

#endif

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

	/*
	 * What the message of a transport certificate event says
	 * (event_facts.h): NULL, -1 or TIME_UNKNOWN where it says nothing.
	 */
	long		 wording_id;	/* the event whose wording it has */
	char		*connector;	/* the connector it names (12014) */
	char		*fqdn;		/* the connector's FQDN (12014, 12016) */
	/* The name no certificate matched (12014): a host or <I>..<S>.. */
	char		*cert_name;
	char		*thumbprint;	/* the certificate it names */
	/* The certificate used instead (12024: an ephemeral one). */
	char		*fallback_thumbprint;
	char		*cert_subject;
	char		*cert_issuer;
	long		 hours_remaining;	/* before expiry (12017, 12018) */
	/*
	 * The expiry the hours remaining give, counted from the event time:
	 * exact as that time is (time_exact), and within the half hour
	 * Exchange rounds the hours to.
	 */
	int64_t		 expires;
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
/*
 * Whether certtrail keeps the event: its id is relevant, or it has none and
 * its message has the wording of one that is (a pasted message).
 */
bool	 event_relevant(const struct ev_event *);

#endif

/*
 * What the message text of a transport certificate event says, read into
 * the event's facts (struct ev_event in event.h): the connector, its FQDN,
 * the certificate name sought, the thumbprint, the subject and issuer, the
 * hours remaining before expiry. Each event id has fixed wording in
 * Exchange's transport event table (docs/formats.md, "Event texts"), so the
 * wording alone also says which event a bare pasted message is.
 */
#ifndef CERTTRAIL_KIND_EVENT_FACTS_H
#define CERTTRAIL_KIND_EVENT_FACTS_H

#include <stdbool.h>

struct ev_event;

/*
 * The transport event whose wording a message has (12014, 12018, ...), -1
 * when it is none of them. Raw strings (an .evtx read without the message
 * file) have no wording: -1.
 */
long	 event_wording_id(const char *message);
/*
 * Reads the facts of e's message into e, replacing what was there: from the
 * rendered text by its wording, or from the raw strings by their position
 * for e's id. Facts the message does not state stay unknown.
 */
void	 event_facts_read(struct ev_event *e);
/* Frees the facts and makes them unknown. */
void	 event_facts_clear(struct ev_event *e);
/* The event's id, else the id its wording is; -1 when neither. */
long	 event_effective_id(const struct ev_event *e);

#endif

/*
 * What the event-log readers share: .evtx files (evtx.c), wevtutil and
 * Get-WinEvent XML exports (event_xml.c) and their text forms
 * (event_text.c). Each reads every event of its file and keeps, through
 * event_keep(), only those event_id_relevant() names.
 */
#ifndef CERTTRAIL_EVENTS_H
#define CERTTRAIL_EVENTS_H

#include <stddef.h>

#include "model/evidence.h"
#include "model/kinds/event.h"

/* The longest message kept; longer ones keep their beginning. */
#define EVENT_MESSAGE_MAX	(64u * 1024)

/* How many events a file held and how many were kept. */
struct event_tally {
	long	read;
	long	kept;
};

/* "Critical", "Error", "Warning", "Information", "Verbose"; NULL otherwise. */
const char	*event_level_name(long level);
/*
 * A message as both an XML and a text export of one event print it: line
 * ends as LF, no trailing blanks on a line, no blank lines at either end,
 * at most EVENT_MESSAGE_MAX bytes (cut at a character boundary). NULL when
 * nothing is left.
 */
char		*event_message_tidy(const char *, size_t);
/*
 * The message of an event read without its provider's message DLL (which a
 * bundle never holds): its strings, said to be raw. NULL when it has none.
 */
char		*event_raw_message(const struct strlist *);
/*
 * Counts e in the tally and adds it to the evidence when its id is one
 * certtrail keeps; marks that an event log was read either way.
 */
void		 event_keep(struct evidence *, const struct ev_event *,
		    struct event_tally *);
/* Says how many events a file held and kept (an info diagnostic). */
void		 event_tally_report(struct evidence *, const char *source,
		    const struct event_tally *, const char *what);

#endif

/*
 * The labelled lines of an event as Event Viewer copies it ("Copy details
 * as text"): "Log Name:", "Source:", "Event ID:", ... "Description:", in
 * English and in the languages Windows is commonly installed in, and the
 * older layout ("Event Type:", "Event Source:", "Event Category:", "Date:"
 * and "Time:" apart). Labels are padded to a column or not, sometimes run
 * into their value ("Aufgabenkategorie:TransportService"), and French puts
 * a space before the colon.
 */
#ifndef CERTTRAIL_EVENT_LABELS_H
#define CERTTRAIL_EVENT_LABELS_H

#include <stdbool.h>
#include <stddef.h>

enum ev_field {
	EVF_NONE,
	EVF_LOG,		/* Log Name */
	EVF_SOURCE,		/* Source, Event Source */
	EVF_DATE,		/* Date: with the time, or alone (old layout) */
	EVF_TIME,		/* Time (old layout) */
	EVF_ID,			/* Event ID */
	EVF_TASK,		/* Task Category, Event Category */
	EVF_LEVEL,		/* Level, Event Type */
	EVF_OPCODE,
	EVF_KEYWORDS,
	EVF_USER,
	EVF_COMPUTER,
	EVF_DESCRIPTION
};

struct ev_field_line {
	enum ev_field	 field;
	const char	*value;		/* trimmed; not NUL-terminated */
	size_t		 vlen;
	bool		 old_layout;	/* "Event Type:", "Event Source:", ... */
};

/* Whether the line is "Label: value" with a label of the table. */
bool		 event_field_line(const char *line, size_t n,
		    struct ev_field_line *out);
/*
 * A level as Event Viewer shows it in any of those languages ("Fehler",
 * "Avertissement", "Error") in English; NULL when it is none of them.
 */
const char	*event_level_english(const char *value, size_t n);
/*
 * A value that stands for nothing: empty, "N/A" and its translations, or a
 * placeholder an article put there ("<HybridServerName>.contoso.com").
 */
bool		 event_value_blank(const char *value, size_t n);

#endif

/*
 * Helpers the event-log readers share: level names, messages tidied so the
 * exports of one event compare equal, and the filter that keeps the TLS and
 * certificate events.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "events.h"

#define RAW_PREFIX "Raw event strings (no message text without the " \
	"provider's message file):"

const char *
event_level_name(long level)
{
	static const char *const names[] = {
		NULL, "Critical", "Error", "Warning", "Information", "Verbose",
	};

	if (level < 1 || level > 5)
		return NULL;
	return names[level];
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Appends what fits of s[0..n), cut at a character boundary. */
static void
put_bounded(struct buf *b, const char *s, size_t n)
{
	size_t	room = b->max - b->len;

	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	buf_append(b, s, n);
}

char *
event_message_tidy(const char *s, size_t n)
{
	struct buf	 b;
	const char	*end = s + n, *line, *le;
	size_t		 pending = 0, len;

	if (s == NULL)
		return NULL;
	buf_init(&b, EVENT_MESSAGE_MAX);
	while (s < end) {
		line = s;
		for (le = s; le < end && *le != '\n' && *le != '\r'; le++)
			;
		s = le;
		if (s < end && *s == '\r')
			s++;
		if (s < end && *s == '\n')
			s++;
		len = (size_t)(le - line);
		while (len > 0 && is_blank(line[len - 1]))
			len--;
		if (len == 0) {
			if (b.len > 0)
				pending++;
			continue;
		}
		/* Blank lines inside the message stay; those at its end go. */
		for (; pending > 0 && b.len > 0; pending--)
			put_bounded(&b, "\n", 1);
		pending = 0;
		if (b.len > 0)
			put_bounded(&b, "\n", 1);
		put_bounded(&b, line, len);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b, NULL);
}

char *
event_raw_message(const struct strlist *strings)
{
	struct buf	b;
	size_t		i;

	if (strings->n == 0)
		return NULL;
	buf_init(&b, EVENT_MESSAGE_MAX);
	put_bounded(&b, RAW_PREFIX, strlen(RAW_PREFIX));
	for (i = 0; i < strings->n; i++) {
		put_bounded(&b, i == 0 ? " " : " | ", i == 0 ? 1 : 3);
		put_bounded(&b, strings->v[i], strlen(strings->v[i]));
	}
	return buf_steal(&b, NULL);
}

void
event_keep(struct evidence *ev, const struct ev_event *e,
    struct event_tally *t)
{
	ev->saw_event_log = true;
	t->read++;
	if (!event_relevant(e))
		return;
	evidence_add_event(ev, e);
	t->kept++;
}

void
event_tally_report(struct evidence *ev, const char *source,
    const struct event_tally *t, const char *what)
{
	diag_add(&ev->diags, DIAG_INFO, source, "%s: %ld event%s read, %ld "
	    "about TLS or certificates kept", what, t->read,
	    t->read == 1 ? "" : "s", t->kept);
}

/*
 * The message of a transport certificate event pasted alone, without
 * Event Viewer's labels: "Microsoft Exchange could not find a certificate
 * that contains the domain name ... for the connector ... with a FQDN
 * parameter of ...". The wording says which event it is (event_facts.h);
 * the event id, time, level and computer are unknown and stay so. Several
 * messages may follow each other, a blank line apart; a paragraph with
 * no known wording is said to be skipped.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/kinds/event_facts.h"
#include "events.h"
#include "formats.h"
#include "ingest.h"
#include "util/text.h"

struct paragraph {
	struct buf	 text;
	long		 line;
};

static void
flush(struct evidence *ev, const char *source, struct paragraph *p,
    struct event_tally *t, long *other, long *first_other)
{
	struct ev_event	e;

	if (p->text.len == 0)
		return;
	ev_event_init(&e);
	e.message = event_message_tidy(p->text.data, p->text.len);
	if (e.message != NULL && event_wording_id(e.message) > 0) {
		e.ref.source = (char *)source;
		e.ref.line = p->line;
		event_keep(ev, &e, t);
	} else if ((*other)++ == 0)
		*first_other = p->line;
	free(e.message);
	buf_reset(&p->text);
}

int
ingest_event_message(struct evidence *ev, const char *source,
    const char *text, size_t len)
{
	struct paragraph	 p;
	struct event_tally	 t = { 0, 0 };
	struct line_iter	 it;
	const char		*l;
	long			 other = 0, first_other = 0;
	size_t			 n, i;
	bool			 blank;

	buf_init(&p.text, EVENT_MESSAGE_MAX);
	p.line = 0;
	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &l, &n)) {
		for (blank = true, i = 0; i < n && blank; i++)
			blank = l[i] == ' ' || l[i] == '\t';
		if (blank) {
			flush(ev, source, &p, &t, &other, &first_other);
			continue;
		}
		if (p.text.len == 0)
			p.line = it.lineno;
		else
			buf_putc(&p.text, '\n');
		buf_append(&p.text, l, n);
	}
	flush(ev, source, &p, &t, &other, &first_other);
	buf_free(&p.text);
	ev->saw_event_log = true;
	if (other > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "line %ld: %ld "
		    "paragraph%s with no transport event wording skipped",
		    first_other, other, other == 1 ? "" : "s");
	if (t.read > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "%ld event message%s "
		    "without Event Viewer's labels: event id, time and computer "
		    "unknown; each event named by its wording", t.read,
		    t.read == 1 ? "" : "s");
	event_tally_report(ev, source, &t, "event message text");
	return (int)t.kept;
}

/* ------------------------------------------------------------ detection */

/* How the messages of the transport certificate events begin. */
static bool
starts_message(const struct sniff_line *l)
{
	static const char *const starts[] = { "Microsoft Exchange could",
	    "There is no valid SMTP", "The STARTTLS certificate",
	    "An internal transport certificate",
	    "The internal transport certificate", "The remote " };
	char	line[64];
	size_t	i, n = l->n < sizeof line - 1 ? l->n : sizeof line - 1;

	memcpy(line, l->p, n);
	line[n] = '\0';
	for (i = 0; i < sizeof starts / sizeof starts[0]; i++)
		if (ascii_startswith_ci(line, starts[i]))
			return true;
	return false;
}

/*
 * The text starts with one of those messages: its first paragraph (lines
 * joined, a pasted message may be broken anywhere) begins as they do and
 * has a transport event's wording.
 */
static int
bid_event_message(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	char			 head[2048];
	size_t			 i, n, len = 0;

	for (i = 0; i < st->nlines && st->lines[i].n == 0; i++)
		;
	if (i == st->nlines || !starts_message(&st->lines[i]))
		return 0;
	for (; i < st->nlines && st->lines[i].n > 0; i++) {
		n = st->lines[i].n;
		if (len + n + 2 > sizeof head)
			n = sizeof head - len - 2;
		memcpy(head + len, st->lines[i].p, n);
		len += n;
		head[len++] = ' ';
		if (len + 2 >= sizeof head)
			break;
	}
	head[len] = '\0';
	return len > 0 && event_wording_id(head) > 0 ? 71 : 0;
}

static int
read_event_message(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_event_message(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_event_message = {
	.name = "event-message", .one = "event message text",
	.many = "event message texts",
	.text = true, .best = 71, .bid = bid_event_message,
	.ingest = read_event_message, .read_is_evidence = true,
};

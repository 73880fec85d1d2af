/*
 * Events as Event Viewer's "Copy details as text" writes them, as people
 * paste them into tickets and posts:
 *
 *   Log Name:      Application
 *   Source:        MSExchangeFrontEndTransport
 *   Date:          11/3/2026 3:12:09 PM
 *   Event ID:      12014
 *   Task Category: TransportService
 *   Level:         Error
 *   Keywords:      Classic
 *   User:          N/A
 *   Computer:      EX02.contoso.com
 *   Description:
 *   Microsoft Exchange could not find a certificate ...
 *
 * with the labels in the language of the Windows that copied it
 * (event_labels.c), and the older layout ("Event Type:", "Event Source:",
 * "Date:" and "Time:" on two lines). Several events follow each other,
 * each starting with its Log Name or Event ID line (or Event Type); the
 * message runs from "Description:" (or, when that line was lost, from the
 * first unlabelled line after the header) to the next event. A label
 * repeated with the same value in one header (an article that printed the
 * Event ID twice) is one event.
 *
 * Event Viewer shows the local time of the machine it runs on, without the
 * zone: the times are read as local (not exact), in the day/month order the
 * file's own dates decide.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/kinds/event_facts.h"
#include "event_labels.h"
#include "events.h"
#include "formats.h"
#include "ingest.h"
#include "util/text.h"

/* One event as read, before its date can be parsed. */
struct pasted {
	long		 line;
	char		*log;
	char		*id;
	char		*provider;
	char		*date;
	char		*time;		/* old layout */
	const char	*level;		/* static English name */
	char		*level_raw;
	char		*computer;
	struct buf	 desc;
};

enum phase { PH_NONE, PH_HEADER, PH_DESC };

struct viewer {
	struct pasted	*v;
	size_t		 n, cap;
	enum phase	 phase;
	bool		 blank_before;	/* the previous line was blank */
	bool		 seen_trailer;	/* User: or Computer: read */
};

static char *
field_copy(const struct ev_field_line *f)
{
	if (event_value_blank(f->value, f->vlen))
		return NULL;
	return xstrndup(f->value, f->vlen);
}

static struct pasted *
start(struct viewer *w, long line)
{
	struct pasted	*p;

	w->v = xreallocarray_grow(w->v, &w->cap, w->n + 1, sizeof *w->v);
	p = &w->v[w->n++];
	memset(p, 0, sizeof *p);
	p->line = line;
	buf_init(&p->desc, EVENT_MESSAGE_MAX);
	w->phase = PH_HEADER;
	w->seen_trailer = false;
	return p;
}

/* Whether the field's slot already holds another value (a new event). */
static bool
conflicts(const struct pasted *p, const struct ev_field_line *f)
{
	const char	*have;

	switch (f->field) {
	case EVF_LOG:
		have = p->log;
		break;
	case EVF_ID:
		have = p->id;
		break;
	case EVF_SOURCE:
		have = p->provider;
		break;
	case EVF_COMPUTER:
		have = p->computer;
		break;
	case EVF_LEVEL:
		have = p->level_raw;
		break;
	default:
		return false;
	}
	return have != NULL && (strlen(have) != f->vlen ||
	    memcmp(have, f->value, f->vlen) != 0);
}

static void
set_str(char **dst, const struct ev_field_line *f)
{
	if (*dst == NULL)
		*dst = field_copy(f);
}

static void
apply(struct viewer *w, struct pasted *p, const struct ev_field_line *f)
{
	switch (f->field) {
	case EVF_LOG:
		set_str(&p->log, f);
		break;
	case EVF_ID:
		set_str(&p->id, f);
		break;
	case EVF_SOURCE:
		set_str(&p->provider, f);
		break;
	case EVF_DATE:
		/* Kept even when a placeholder: it is then said unread. */
		if (p->date == NULL && f->vlen > 0)
			p->date = xstrndup(f->value, f->vlen);
		break;
	case EVF_TIME:
		if (p->time == NULL && f->vlen > 0)
			p->time = xstrndup(f->value, f->vlen);
		break;
	case EVF_LEVEL:
		if (p->level_raw == NULL) {
			p->level_raw = field_copy(f);
			p->level = event_level_english(f->value, f->vlen);
		}
		break;
	case EVF_COMPUTER:
		set_str(&p->computer, f);
		w->seen_trailer = true;
		break;
	case EVF_USER:
		w->seen_trailer = true;
		break;
	case EVF_DESCRIPTION:
		w->phase = PH_DESC;
		if (f->vlen > 0)
			buf_append(&p->desc, f->value, f->vlen);
		break;
	default:
		break;
	}
}

/* Fields that open an event in a file, or after a message. */
static bool
opens_event(const struct ev_field_line *f)
{
	return f->field == EVF_LOG || f->field == EVF_ID ||
	    (f->field == EVF_LEVEL && f->old_layout) ||
	    (f->field == EVF_SOURCE && f->old_layout);
}

static void
desc_line(struct pasted *p, const char *l, size_t n)
{
	if (p->desc.len > 0)
		buf_putc(&p->desc, '\n');
	buf_append(&p->desc, l, n);
}

static void
read_line(struct viewer *w, const char *l, size_t n, long lineno)
{
	struct ev_field_line	 f;
	struct pasted		*p = w->n ? &w->v[w->n - 1] : NULL;
	bool			 blank = true;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t')
			blank = false;
	if (!blank && event_field_line(l, n, &f)) {
		if (w->phase == PH_NONE ||
		    (w->phase == PH_HEADER && conflicts(p, &f)) ||
		    (w->phase == PH_DESC && opens_event(&f) &&
		    (w->blank_before || p->desc.len == 0)))
			p = start(w, lineno);
		if (w->phase == PH_HEADER) {
			apply(w, p, &f);
			w->blank_before = false;
			return;
		}
	}
	if (w->phase == PH_HEADER && !blank && (w->seen_trailer ||
	    p->id != NULL))
		/* The message without its "Description:" line. */
		w->phase = PH_DESC;
	if (w->phase == PH_DESC)
		desc_line(p, l, n);
	w->blank_before = blank;
}

static long
parse_id(const char *s)
{
	char	*end;
	long	 v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > 65535)
		return -1;
	return v;
}

/* "11/3/2026" and "2:31:06 PM" of the older layout as one date. */
static char *
when_text(const struct pasted *p)
{
	if (p->date == NULL)
		return NULL;
	if (p->time == NULL)
		return xstrdup(p->date);
	return xasprintf("%s %s", p->date, p->time);
}

static void
pasted_free(struct pasted *p)
{
	free(p->log);
	free(p->id);
	free(p->provider);
	free(p->date);
	free(p->time);
	free(p->level_raw);
	free(p->computer);
	buf_free(&p->desc);
}

struct outcome {
	struct event_tally	 tally;
	long			 no_id, first_no_id;
	long			 untimed, first_untimed;
	long			 local;
};

static void
keep(struct evidence *ev, const char *source, const struct pasted *p,
    enum date_order order, struct outcome *o)
{
	struct ev_event	 e;
	char		*when;

	ev_event_init(&e);
	e.id = parse_id(p->id);
	e.message = p->desc.len ? event_message_tidy(p->desc.data,
	    p->desc.len) : NULL;
	if (e.id < 0 && event_wording_id(e.message) < 0) {
		if (o->no_id++ == 0)
			o->first_no_id = p->line;
		free(e.message);
		return;
	}
	when = when_text(p);
	if (when != NULL && date_parse_culture(when, order, &e.time))
		o->local++;
	else if (when != NULL) {
		e.time = TIME_UNKNOWN;
		if (o->untimed++ == 0)
			o->first_untimed = p->line;
	}
	free(when);
	e.provider = p->provider;
	e.level = p->level != NULL ? (char *)p->level : p->level_raw;
	e.server = p->computer;
	e.ref.source = (char *)source;
	e.ref.line = p->line;
	event_keep(ev, &e, &o->tally);
	free(e.message);
}

int
ingest_event_viewer(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct viewer		 w;
	struct line_iter	 it;
	struct date_order_votes	 votes;
	struct outcome		 o;
	enum date_order		 order;
	const char		*l;
	char			*when;
	size_t			 n, i;

	memset(&w, 0, sizeof w);
	memset(&o, 0, sizeof o);
	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &l, &n))
		read_line(&w, l, n, it.lineno);
	memset(&votes, 0, sizeof votes);
	for (i = 0; i < w.n; i++)
		if ((when = when_text(&w.v[i])) != NULL) {
			date_order_vote(&votes, when);
			free(when);
		}
	order = date_order_decide(&votes);
	ev->saw_event_log = true;
	for (i = 0; i < w.n; i++) {
		keep(ev, source, &w.v[i], order, &o);
		pasted_free(&w.v[i]);
	}
	free(w.v);
	if (o.no_id > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: %ld "
		    "event%s without a readable Event ID or a known message "
		    "skipped", o.first_no_id, o.no_id, o.no_id == 1 ? "" : "s");
	if (o.untimed > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: %ld event "
		    "time%s not read: a placeholder, or a date whose day/month "
		    "order the file does not decide", o.first_untimed, o.untimed,
		    o.untimed == 1 ? "" : "s");
	if (o.local > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "event times are the "
		    "local time of the machine Event Viewer ran on, which the text "
		    "does not name");
	event_tally_report(ev, source, &o.tally, "Event Viewer text");
	return o.tally.read == 0 && o.no_id > 0 ? -1 : (int)o.tally.kept;
}

/* ------------------------------------------------------------ detection */

/*
 * An Event ID line with a number (or an article's placeholder) and two
 * more of the layout's labels among the first lines.
 */
static int
bid_event_viewer(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	struct ev_field_line	 f;
	unsigned		 seen = 0;
	bool			 id = false;
	int			 others = 0;
	size_t			 i;

	for (i = 0; i < st->nlines; i++) {
		if (!event_field_line(st->lines[i].p, st->lines[i].n, &f))
			continue;
		if (f.field == EVF_ID && f.vlen > 0 &&
		    ((f.value[0] >= '0' && f.value[0] <= '9') ||
		    f.value[0] == '<'))
			id = true;
		else if (f.field != EVF_ID && !(seen & (1u << f.field))) {
			seen |= 1u << f.field;
			others++;
		}
	}
	return id && others >= 2 ? 74 : 0;
}

static int
read_event_viewer(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_event_viewer(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_event_viewer = {
	.name = "event-viewer-text", .one = "Event Viewer text",
	.many = "Event Viewer texts",
	.text = true, .best = 74, .bid = bid_event_viewer,
	.ingest = read_event_viewer, .read_is_evidence = true,
};

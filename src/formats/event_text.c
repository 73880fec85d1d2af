/*
 * Event exports as text. Two shapes:
 *
 * `wevtutil qe Application /f:text`:
 *
 *   Event[0]:
 *     Log Name: Application
 *     Source: MSExchangeTransport
 *     Date: 2026-11-03T14:12:09.123
 *     Event ID: 12014
 *     Level: Error
 *     Computer: EX01.contoso.com
 *     Description:
 *   Microsoft Exchange could not find a certificate ...
 *
 * the description running to the next "Event[n]:" line; and
 * `Get-WinEvent ... | Format-List` (TimeCreated, ProviderName, Id, Message;
 * with `fl *` also Level, LevelDisplayName, MachineName), or the older
 * `Get-EventLog ... | Format-List` (TimeGenerated, Source, EventID,
 * EntryType, MachineName, Message).
 *
 * Both print the server's local time without its zone: the time is read as
 * UTC and marked inexact (ev_event.time_exact), and a diagnostic says so.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "events.h"
#include "fl.h"
#include "formats.h"
#include "ingest.h"
#include "util/text.h"

/* ------------------------------------------------------ wevtutil /f:text */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "Event[12]:" */
static bool
is_event_header(const char *l, size_t n)
{
	size_t	i = 6;

	if (n < 9 || memcmp(l, "Event[", 6) != 0)
		return false;
	while (i < n && is_digit(l[i]))
		i++;
	if (i == 6 || i + 2 > n || l[i] != ']' || l[i + 1] != ':')
		return false;
	for (i += 2; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t')
			return false;
	return true;
}

/* "  Key: value" with this key; *value gets the trimmed value. */
static bool
header_field(const char *l, size_t n, const char *key, char **value)
{
	size_t	k = strlen(key), i = 0;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i == 0 || n - i < k + 1 || memcmp(l + i, key, k) != 0 ||
	    l[i + k] != ':')
		return false;
	*value = str_trim(xstrndup(l + i + k + 1, n - i - k - 1));
	return true;
}

/* A date with a zone ("Z", "+01:00") says its own UTC time. */
static bool
iso_has_zone(const char *s)
{
	const char	*t = strchr(s, 'T');
	size_t		 n = strlen(s);

	if (t == NULL)
		return false;
	if (n > 0 && (s[n - 1] == 'Z' || s[n - 1] == 'z'))
		return true;
	return strchr(t, '+') != NULL || strchr(t, '-') != NULL;
}

static long
parse_id(const char *s)
{
	char	*end;
	long	 v;

	if (s == NULL || !is_digit(*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > 65535)
		return -1;
	return v;
}

struct wtext {
	struct evidence		*ev;
	const char		*source;
	struct ev_event		 e;
	struct buf		 desc;
	bool			 in_event;
	bool			 in_desc;
	bool			 id_seen;
	struct event_tally	 tally;
	long			 inexact;
	long			 bad;
	long			 first_bad;
};

static void
wtext_flush(struct wtext *w)
{
	if (!w->in_event)
		return;
	w->in_event = false;
	if (w->e.id < 0) {
		if (w->bad++ == 0)
			w->first_bad = w->e.ref.line;
	} else {
		if (w->desc.len > 0)
			w->e.message = event_message_tidy(w->desc.data,
			    w->desc.len);
		if (w->e.time != TIME_UNKNOWN && !w->e.time_exact)
			w->inexact++;
		w->e.ref.source = (char *)w->source;
		event_keep(w->ev, &w->e, &w->tally);
	}
	w->e.ref.source = NULL;
	ev_event_clear(&w->e);
	buf_reset(&w->desc);
}

static void
wtext_header(struct wtext *w, const char *l, size_t n)
{
	char	*v = NULL;

	if (header_field(l, n, "Source", &v)) {
		free(w->e.provider);
		w->e.provider = v;
	} else if (header_field(l, n, "Date", &v)) {
		if (date_parse_iso(v, &w->e.time))
			w->e.time_exact = iso_has_zone(v);
		free(v);
	} else if (header_field(l, n, "Event ID", &v)) {
		w->e.id = parse_id(v);
		free(v);
	} else if (header_field(l, n, "Level", &v)) {
		free(w->e.level);
		w->e.level = *v != '\0' ? v : NULL;
		if (w->e.level == NULL)
			free(v);
	} else if (header_field(l, n, "Computer", &v)) {
		free(w->e.server);
		w->e.server = *v != '\0' ? v : NULL;
		if (w->e.server == NULL)
			free(v);
	} else if (header_field(l, n, "Description", &v)) {
		w->in_desc = true;
		if (*v != '\0')
			buf_append(&w->desc, v, strlen(v));
		free(v);
	}
}

static int
wevtutil_text(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct wtext		 w;
	struct line_iter	 it;
	const char		*l;
	size_t			 n;

	memset(&w, 0, sizeof w);
	w.ev = ev;
	w.source = source;
	ev_event_init(&w.e);
	buf_init(&w.desc, EVENT_MESSAGE_MAX);
	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &l, &n)) {
		if (is_event_header(l, n)) {
			wtext_flush(&w);
			w.in_event = true;
			w.in_desc = false;
			w.e.ref.line = it.lineno;
			continue;
		}
		if (!w.in_event)
			continue;
		if (w.in_desc) {
			if (w.desc.len > 0)
				buf_putc(&w.desc, '\n');
			buf_append(&w.desc, l, n);
		} else
			wtext_header(&w, l, n);
	}
	wtext_flush(&w);
	buf_free(&w.desc);
	if (w.bad > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: %ld "
		    "event%s without a readable Event ID skipped", w.first_bad,
		    w.bad, w.bad == 1 ? "" : "s");
	if (w.inexact > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "event times are the "
		    "server's local time, which the export does not name: kept "
		    "as local time, converted to UTC only where the bundle shows "
		    "the server's UTC offset");
	event_tally_report(ev, source, &w.tally, "wevtutil text");
	return w.tally.read == 0 && w.bad > 0 ? -1 : (int)w.tally.kept;
}

/* ------------------------------------------------- Get-WinEvent | fl */

/* The first of these labels the record has a value for. */
static const char *
value_of(const struct fl_record *r, const char *a, const char *b)
{
	const char	*v = fl_record_value(r, a);

	if ((v == NULL || *v == '\0') && b != NULL)
		v = fl_record_value(r, b);
	return v != NULL && *v != '\0' ? v : NULL;
}

static const char *
time_of(const struct fl_record *r)
{
	return value_of(r, "TimeCreated", "TimeGenerated");
}

static int
winevent_fl(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct fl_doc		 doc;
	struct date_order_votes	 votes;
	enum date_order		 order;
	struct event_tally	 tally = { 0, 0 };
	struct ev_event		 e;
	const struct fl_record	*r;
	const char		*v, *lv;
	long			 bad = 0, first_bad = 0, untimed = 0, level;
	size_t			 i;

	memset(&doc, 0, sizeof doc);
	fl_parse(text, len, &doc, NULL);	/* its own checks below */
	memset(&votes, 0, sizeof votes);
	for (i = 0; i < doc.nrecords; i++)
		if ((v = time_of(&doc.records[i])) != NULL)
			date_order_vote(&votes, v);
	order = date_order_decide(&votes);
	for (i = 0; i < doc.nrecords; i++) {
		r = &doc.records[i];
		ev_event_init(&e);
		e.id = parse_id(value_of(r, "Id", "EventID"));
		if (e.id < 0) {
			if (bad++ == 0)
				first_bad = r->line;
			continue;
		}
		if ((v = time_of(r)) == NULL ||
		    !date_parse_culture(v, order, &e.time)) {
			e.time = TIME_UNKNOWN;
			if (v != NULL)
				untimed++;
		}
		e.provider = (char *)value_of(r, "ProviderName", "Source");
		e.server = (char *)value_of(r, "MachineName", NULL);
		lv = value_of(r, "LevelDisplayName", "EntryType");
		v = value_of(r, "Level", NULL);
		level = parse_id(v);
		if (event_level_name(level) != NULL)
			lv = event_level_name(level);
		e.level = (char *)lv;
		v = value_of(r, "Message", NULL);
		e.message = v != NULL ? event_message_tidy(v, strlen(v)) : NULL;
		e.ref.source = (char *)source;
		e.ref.line = r->line;
		event_keep(ev, &e, &tally);
		free(e.message);
	}
	if (bad > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: %ld "
		    "record%s without a readable event Id skipped", first_bad,
		    bad, bad == 1 ? "" : "s");
	if (untimed > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "%ld event time%s "
		    "not read: the day/month order of the dates is undecided",
		    untimed, untimed == 1 ? "" : "s");
	if (tally.read > untimed)
		diag_add(&ev->diags, DIAG_INFO, source, "event times are the "
		    "server's local time, which the export does not name: kept "
		    "as local time, converted to UTC only where the bundle shows "
		    "the server's UTC offset");
	event_tally_report(ev, source, &tally, "event list");
	fl_doc_free(&doc);
	return tally.read == 0 && bad > 0 ? -1 : (int)tally.kept;
}

/* ---------------------------------------------------------------- entry */

/* Whether the first non-blank line is a wevtutil "Event[n]:" header. */
static bool
starts_wevtutil(const char *text, size_t len)
{
	struct line_iter	 it;
	const char		*l;
	size_t			 n;

	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &l, &n)) {
		while (n > 0 && (*l == ' ' || *l == '\t' || *l == '\xef' ||
		    *l == '\xbb' || *l == '\xbf')) {
			l++;
			n--;
		}
		if (n > 0)
			return is_event_header(l, n);
	}
	return false;
}

int
ingest_event_text(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	ev->saw_event_log = true;
	if (starts_wevtutil(text, len))
		return wevtutil_text(ev, source, text, len);
	return winevent_fl(ev, source, text, len);
}

/* ------------------------------------------------------------ detection */

/*
 * "Label   : value" with this label (Format-List pads labels to one width).
 */
static bool
is_fl_label(const char *l, size_t len, const char *label)
{
	size_t	n = strlen(label), i;

	if (len < n || memcmp(l, label, n) != 0)
		return false;
	for (i = n; i < len && l[i] == ' '; i++)
		;
	return i < len && l[i] == ':' && (i + 1 == len || l[i + 1] == ' ');
}

/* The labels of event records in Format-List. */
#define EVL_PROVIDERNAME	0x01
#define EVL_ID			0x02
#define EVL_TIMECREATED		0x04
#define EVL_WINEVENT		0x07	/* Get-WinEvent */
#define EVL_SOURCE		0x08
#define EVL_EVENTID		0x10
#define EVL_TIMEGENERATED	0x20
#define EVL_EVENTLOG		0x38	/* Get-EventLog */

static unsigned
event_fl_label(const char *l, size_t n)
{
	static const struct {
		const char	*label;
		unsigned	 bit;
	} labels[] = {
		{ "ProviderName", EVL_PROVIDERNAME }, { "Id", EVL_ID },
		{ "TimeCreated", EVL_TIMECREATED }, { "Source", EVL_SOURCE },
		{ "EventID", EVL_EVENTID }, { "TimeGenerated", EVL_TIMEGENERATED },
	};
	size_t	i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (is_fl_label(l, n, labels[i].label))
			return labels[i].bit;
	return 0;
}

/*
 * "Event[12]:", the header of each event in wevtutil /f:text, as a
 * detector sees it (more lenient than is_event_header: a start is enough).
 */
static bool
is_wevtutil_header(const struct sniff_line *line)
{
	const char	*l = line->p;
	size_t		 len = line->n, i = 6;

	if (!sniff_line_prefix(line, "Event["))
		return false;
	while (i < len && l[i] >= '0' && l[i] <= '9')
		i++;
	return i > 6 && i + 1 < len && l[i] == ']' && l[i + 1] == ':';
}

/*
 * wevtutil /f:text ("Event[0]:" then indented "Key: value" lines), or
 * Format-List of Get-WinEvent (TimeCreated, ProviderName, Id) or
 * Get-EventLog (EventID, Source, TimeGenerated): all three labels of one of
 * them in the first lines.
 */
static int
bid_event_text(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	bool			 header = false, id = false;
	unsigned		 labels = 0;
	size_t			 i;

	for (i = 0; i < st->nlines; i++) {
		if (is_wevtutil_header(&st->lines[i]))
			header = true;
		if (sniff_line_prefix(&st->lines[i], "  Event ID: "))
			id = true;
		labels |= event_fl_label(st->lines[i].p, st->lines[i].n);
	}
	return (header && id) || (labels & EVL_WINEVENT) == EVL_WINEVENT ||
	    (labels & EVL_EVENTLOG) == EVL_EVENTLOG ? 75 : 0;
}

static int
read_event_text(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_event_text(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_event_text = {
	.name = "event-text",
	.text = true, .best = 75, .bid = bid_event_text, .ingest = read_event_text,
	.read_is_evidence = true,
};

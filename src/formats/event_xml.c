/*
 * Event exports in XML: `wevtutil qe Application /f:xml` (a run of <Event>
 * elements with no root element), `/f:RenderedXml` (the same with a
 * <RenderingInfo> holding the message as the server rendered it) and
 * Get-WinEvent's ToXml() saved inside an <Events> root:
 *
 *   <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>
 *     <System><Provider Name='MSExchangeTransport'/>
 *       <EventID Qualifiers='49156'>12014</EventID><Level>2</Level>
 *       <TimeCreated SystemTime='2026-11-03T14:12:09.1234567Z'/>
 *       <Computer>EX01.contoso.com</Computer>...</System>
 *     <EventData><Data>mail.contoso.com</Data>...</EventData>
 *     <RenderingInfo Culture='en-US'><Message>...</Message>
 *       <Level>Error</Level>...</RenderingInfo>
 *   </Event>
 *
 * SystemTime is UTC. Without RenderingInfo the message is the event's raw
 * strings.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "events.h"
#include "formats.h"
#include "ingest.h"
#include "util/parse_diag.h"
#include "xml.h"

/* Elements deeper than this are skipped (an event is four levels deep). */
#define EVX_MAX_DEPTH	64
/* Strings kept per event (Exchange events carry a handful). */
#define EVX_MAX_STRINGS	64

enum evx_node {
	N_OTHER, N_EVENT, N_SYSTEM, N_EVENTDATA, N_USERDATA, N_RENDERING
};

/* What the text of the element being read goes to. */
enum evx_field {
	F_NONE, F_ID, F_LEVEL, F_COMPUTER, F_DATA, F_MESSAGE, F_LEVEL_TEXT
};

struct evx_frame {
	enum evx_node	node;
	enum evx_field	field;
};

struct evx_event {
	struct ev_event	 e;
	long		 level;		/* numeric <Level>, -1 unknown */
	char		*level_text;	/* RenderingInfo's, localized */
	char		*message;	/* RenderingInfo's */
	struct strlist	 strings;
	bool		 id_seen;
	bool		 bad_id;
};

struct evx {
	struct evidence		*ev;
	const char		*source;
	struct evx_frame	 stack[EVX_MAX_DEPTH];
	int			 depth;		/* may exceed EVX_MAX_DEPTH */
	bool			 in_event;
	struct evx_event	 cur;
	struct buf		 text;
	struct event_tally	 tally;
	long			 bad_ids;
	long			 first_bad_line;
};

static const char *
local_name(const char *name)
{
	const char	*colon = strrchr(name, ':');

	return colon != NULL ? colon + 1 : name;
}

static void
evx_event_reset(struct evx_event *c)
{
	ev_event_clear(&c->e);
	free(c->level_text);
	free(c->message);
	strlist_free(&c->strings);
	memset(c, 0, sizeof *c);
	ev_event_init(&c->e);
	c->level = -1;
}

/* A decimal in 0..65535, as an event id or a level is. */
static bool
small_number(const char *s, long *out)
{
	char	*end;
	long	 v;

	while (xml_is_space(*s))
		s++;
	if (*s < '0' || *s > '9')
		return false;
	v = strtol(s, &end, 10);
	while (xml_is_space(*end))
		end++;
	if (*end != '\0' || v < 0 || v > 65535)
		return false;
	*out = v;
	return true;
}

static void
evx_event_begin(struct evx *x, long line)
{
	evx_event_reset(&x->cur);
	x->in_event = true;
	x->cur.e.ref.source = (char *)x->source;
	x->cur.e.ref.line = line;
}

static void
evx_event_end(struct evx *x)
{
	struct evx_event	*c = &x->cur;
	const char		*level = event_level_name(c->level);

	x->in_event = false;
	c->e.ref.source = NULL;	/* the source is borrowed */
	if (!c->id_seen || c->bad_id) {
		if (x->bad_ids++ == 0)
			x->first_bad_line = c->e.ref.line;
		evx_event_reset(c);
		return;
	}
	c->e.level = xstrdup(level != NULL ? level : c->level_text);
	if (c->message != NULL) {
		c->e.message = event_message_tidy(c->message,
		    strlen(c->message));
	}
	if (c->e.message == NULL) {
		c->e.message = event_raw_message(&c->strings);
		c->e.message_raw = c->e.message != NULL;
	}
	c->e.ref.source = (char *)x->source;
	event_keep(x->ev, &c->e, &x->tally);
	c->e.ref.source = NULL;
	evx_event_reset(c);
}

/* Where a start tag goes, given its parent. */
static struct evx_frame
evx_classify(struct evx *x, const struct xml_tok *t, enum evx_node parent)
{
	struct evx_frame	 f = { N_OTHER, F_NONE };
	const char		*n = local_name(t->name), *v;

	switch (parent) {
	case N_EVENT:
		if (strcmp(n, "System") == 0)
			f.node = N_SYSTEM;
		else if (strcmp(n, "EventData") == 0)
			f.node = N_EVENTDATA;
		else if (strcmp(n, "UserData") == 0)
			f.node = N_USERDATA;
		else if (strcmp(n, "RenderingInfo") == 0)
			f.node = N_RENDERING;
		break;
	case N_SYSTEM:
		if (strcmp(n, "EventID") == 0)
			f.field = F_ID;
		else if (strcmp(n, "Level") == 0)
			f.field = F_LEVEL;
		else if (strcmp(n, "Computer") == 0)
			f.field = F_COMPUTER;
		else if (strcmp(n, "Provider") == 0 &&
		    x->cur.e.provider == NULL) {
			v = xml_tok_attr(t, "EventSourceName");
			if (v == NULL || *v == '\0')
				v = xml_tok_attr(t, "Name");
			x->cur.e.provider = xstrdup(v);
		} else if (strcmp(n, "TimeCreated") == 0) {
			v = xml_tok_attr(t, "SystemTime");
			if (v != NULL && date_parse_iso(v, &x->cur.e.time))
				x->cur.e.time_exact = true;
		}
		break;
	case N_EVENTDATA:
		if (strcmp(n, "Data") == 0)
			f.field = F_DATA;
		break;
	case N_USERDATA:
		/* UserData holds the provider's own elements: their texts. */
		f.node = N_USERDATA;
		f.field = F_DATA;
		break;
	case N_RENDERING:
		if (strcmp(n, "Message") == 0)
			f.field = F_MESSAGE;
		else if (strcmp(n, "Level") == 0)
			f.field = F_LEVEL_TEXT;
		break;
	default:
		break;
	}
	return f;
}

static void
evx_field_commit(struct evx *x, enum evx_field field, bool leaf)
{
	struct evx_event	*c = &x->cur;
	const char		*s = x->text.data != NULL ? x->text.data : "";
	char			*t;

	switch (field) {
	case F_ID:
		c->id_seen = true;
		if (!small_number(s, &c->e.id))
			c->bad_id = true;
		break;
	case F_LEVEL:
		if (!small_number(s, &c->level))
			c->level = -1;
		break;
	case F_COMPUTER:
		t = str_trim(xstrdup(s));
		free(c->e.server);
		c->e.server = *t != '\0' ? t : NULL;
		if (c->e.server == NULL)
			free(t);
		break;
	case F_DATA:
		/* UserData's containers have no text of their own. */
		if (leaf && c->strings.n < EVX_MAX_STRINGS)
			strlist_add(&c->strings, s);
		break;
	case F_MESSAGE:
		free(c->message);
		c->message = xstrdup(s);
		break;
	case F_LEVEL_TEXT:
		t = str_trim(xstrdup(s));
		free(c->level_text);
		c->level_text = *t != '\0' ? t : NULL;
		if (c->level_text == NULL)
			free(t);
		break;
	default:
		break;
	}
}

static void
evx_start(struct evx *x, const struct xml_tok *t, bool *leaf)
{
	struct evx_frame	 f = { N_OTHER, F_NONE };
	enum evx_node		 parent;

	if (!x->in_event) {
		if (strcmp(local_name(t->name), "Event") != 0)
			return;
		evx_event_begin(x, t->line);
		x->depth = 0;
		f.node = N_EVENT;
	} else if (x->depth > 0 && x->depth <= EVX_MAX_DEPTH) {
		parent = x->stack[x->depth - 1].node;
		f = evx_classify(x, t, parent);
	}
	if (x->depth < EVX_MAX_DEPTH)
		x->stack[x->depth] = f;
	x->depth++;
	buf_reset(&x->text);
	*leaf = true;
}

static void
evx_end(struct evx *x, bool leaf)
{
	struct evx_frame	f;

	if (!x->in_event || x->depth <= 0)
		return;
	x->depth--;
	if (x->depth >= EVX_MAX_DEPTH)
		return;
	f = x->stack[x->depth];
	if (f.node == N_EVENT && x->depth == 0) {
		evx_event_end(x);
		return;
	}
	if (f.field != F_NONE)
		evx_field_commit(x, f.field, leaf);
	buf_reset(&x->text);
}

int
ingest_event_xml(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct evx		 x;
	struct xml_lexer	 lx;
	struct xml_tok		*t = xcalloc(1, sizeof *t);
	struct parse_diag	 why;
	bool			 leaf = false, failed = false;

	memset(&x, 0, sizeof x);
	x.ev = ev;
	x.source = source;
	evx_event_reset(&x.cur);
	buf_init(&x.text, EVENT_MESSAGE_MAX);
	ev->saw_event_log = true;
	xml_lexer_init(&lx, text, len);
	parse_diag_init(&why, NULL, source);
	for (;;) {
		if ((failed = xml_next(&lx, t, &why) != 0) || t->kind == XML_EOF)
			break;
		switch (t->kind) {
		case XML_START:
			evx_start(&x, t, &leaf);
			if (t->empty) {
				evx_end(&x, true);
				leaf = false;
			}
			break;
		case XML_END:
			evx_end(&x, leaf);
			leaf = false;
			break;
		case XML_TEXT:
			if (x.in_event)
				buf_append(&x.text, t->text, t->textlen);
			break;
		default:
			break;
		}
	}
	if (failed)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: %s; "
		    "the events before it are read", why.cause_line, why.cause);
	if (x.in_event)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: the last "
		    "event is cut off and was not read", x.cur.e.ref.line);
	if (x.bad_ids > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: %ld "
		    "event%s without a readable EventID skipped",
		    x.first_bad_line, x.bad_ids, x.bad_ids == 1 ? "" : "s");
	event_tally_report(ev, source, &x.tally, "event XML");
	x.cur.e.ref.source = NULL;
	evx_event_reset(&x.cur);
	buf_free(&x.text);
	xml_tok_reset(t);
	free(t);
	if (x.tally.read == 0 && (failed || x.bad_ids > 0))
		return -1;
	return (int)x.tally.kept;
}

/* ------------------------------------------------------------ detection */

static bool
starts_with(const char *s, size_t len, const char *prefix)
{
	size_t	n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

/*
 * wevtutil /f:xml writes <Event> elements one after the other with no root;
 * Get-WinEvent's ToXml() output is often saved inside an <Events> root.
 */
static bool
is_event_xml(const char *s, size_t len)
{
	size_t	head = len < 1024 ? len : 1024;

	if (!starts_with(s, len, "<Event") && !starts_with(s, len, "<?xml"))
		return false;
	return sniff_contains(s, head, "<Event") &&
	    sniff_contains(s, head, "schemas.microsoft.com/win/2004/08/events/event");
}

/* A CliXml export may hold event XML: it is CliXml (80) all the same. */
static int
bid_event_xml(const struct ingest_entry *e)
{
	return !ingest_clixml_sniff(e->sniff) &&
	    is_event_xml(e->sniff->s, e->sniff->len) ? 85 : 0;
}

static int
read_event_xml(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_event_xml(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_event_xml = {
	.name = "event-xml",
	.text = true, .best = 85, .bid = bid_event_xml, .ingest = read_event_xml,
	.read_is_evidence = true,
};

/*
 * Application events that bear on TLS or certificates as a kind of
 * evidence: the store, where twin exports of one event count once; the
 * mapper for exported EventLogRecord and EventLogEntry objects (the event
 * log readers, formats/events.h, add theirs directly); the column table
 * (findings.json "events", the Events sheet, the page's table); and the
 * descriptor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/record.h"
#include "model/table.h"
#include "model/time_zone.h"
#include "event.h"
#include "event_facts.h"
#include "kind.h"
#include "receive_connector.h"

/* ----------------------------------------------------------------- store */

void
ev_event_init(struct ev_event *e)
{
	memset(e, 0, sizeof *e);
	e->time = TIME_UNKNOWN;
	e->id = -1;
	e->wording_id = -1;
	e->hours_remaining = -1;
	e->expires = TIME_UNKNOWN;
}

void
ev_event_clear(struct ev_event *e)
{
	free(e->server);
	free(e->provider);
	free(e->level);
	free(e->message);
	free(e->ref.source);
	event_facts_clear(e);
	ev_event_init(e);
}

/*
 * Two exports of one event: the same id and server, and the same time, or,
 * when one of them came from a text export in the server's unknown local
 * zone, times apart by a whole zone offset (a multiple of 15 minutes, at
 * most 14 hours) and the twins read from different files. Their messages
 * are the same, unless one is the raw strings (which say less, not
 * something else).
 */
static bool
event_same(const struct ev_event *a, const struct ev_event *b,
    const char *b_server)
{
	int64_t	d;

	if (a->id != b->id || !str_eq_ci(a->server, b_server))
		return false;
	if (a->message_raw == b->message_raw &&
	    !str_eq_ci(a->message, b->message))
		return false;
	if (a->time == b->time)
		return true;
	if (a->time == TIME_UNKNOWN || b->time == TIME_UNKNOWN ||
	    (a->time_exact && b->time_exact) ||
	    str_eq_ci(a->ref.source, b->ref.source))
		return false;
	d = a->time > b->time ? a->time - b->time : b->time - a->time;
	return d % 900 == 0 && d <= 14 * 3600;
}

struct ev_event *
evidence_add_event(struct evidence *ev, const struct ev_event *e)
{
	struct ev_event	*dst;
	char		*server = server_short_name(e->server);
	size_t		 i;

	/* The same event exported twice (.evtx and its CSV) counts once. */
	for (i = 0; i < ev->nevents; i++) {
		dst = &ev->events[i];
		if (event_same(dst, e, server)) {
			free(server);
			/* An exact time or a rendered message improves on the twin. */
			if (!dst->time_exact && e->time_exact) {
				dst->time = e->time;
				dst->time_exact = true;
				dst->time_converted = e->time_converted;
				dst->time_order_guessed = false;
			}
			if (dst->message_raw && !e->message_raw &&
			    e->message != NULL) {
				free(dst->message);
				dst->message = xstrdup(e->message);
				dst->message_raw = false;
			}
			event_facts_read(dst);
			return dst;
		}
	}
	ev->events = xreallocarray_grow(ev->events, &ev->events_cap,
	    ev->nevents + 1, sizeof *ev->events);
	dst = &ev->events[ev->nevents++];
	ev_event_init(dst);
	dst->server = server;
	dst->time = e->time;
	dst->provider = xstrdup(e->provider);
	dst->id = e->id;
	dst->level = xstrdup(e->level);
	dst->message = xstrdup(e->message);
	dst->ref.source = xstrdup(e->ref.source);
	dst->ref.line = e->ref.line;
	dst->time_exact = e->time_exact;
	dst->time_converted = e->time_converted;
	dst->time_order_guessed = e->time_order_guessed;
	dst->message_raw = e->message_raw;
	event_facts_read(dst);
	return dst;
}

/*
 * The transport events that bear on TLS and certificates: 12014 (no
 * certificate for a connector's FQDN or TlsCertificateName), 12016/12018
 * (STARTTLS certificate expired/expiring), 12012/12013/12015/12017/12023/
 * 12024 (internal transport certificate), 12019/12020 (a remote server's
 * certificate expired), 2004 (TLS channel failure, often
 * UntrustedRoot), 1035/2017 (Exchange authentication failed), 11022 (TLS
 * domain capabilities validation failed). The provider is not checked: event
 * exports name it in several ways (MSExchangeTransport,
 * MSExchangeFrontEndTransport, MSExchange Transport), and an id from another
 * provider in an export filtered by the customer still says what it says.
 */
bool
event_id_relevant(long id)
{
	static const long ids[] = {
		1035, 2004, 2017, 11022, 12012, 12013, 12014, 12015, 12016,
		12017, 12018, 12019, 12020, 12023, 12024,
	};
	size_t	i;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (ids[i] == id)
			return true;
	return false;
}

bool
event_relevant(const struct ev_event *e)
{
	if (e->id >= 0)
		return event_id_relevant(e->id);
	return !e->message_raw && event_id_relevant(event_wording_id(e->message));
}

/*
 * The server in the name of one of the receive connectors Exchange setup
 * creates on every server ("Default Frontend EX01", "Client Proxy EX01",
 * ...), or NULL.
 */
static char *
default_connector_server(const char *conn)
{
	static const char *const defaults[] = { "Default Frontend ",
	    "Outbound Proxy Frontend ", "Client Frontend ", "Client Proxy ",
	    "Default " };
	const char	*p;
	size_t		 i, n;

	for (i = 0; conn != NULL && i < sizeof defaults / sizeof defaults[0];
	    i++) {
		n = strlen(defaults[i]);
		if (ascii_ncasecmp(conn, defaults[i], n) != 0)
			continue;
		for (p = conn + n; *p != '\0'; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-'))
				return NULL;
		if (p == conn + n || p - (conn + n) > 15)
			return NULL;	/* not a NetBIOS name */
		return server_short_name(conn + n);
	}
	return NULL;
}

/*
 * The server of the receive connector an event names: the one server with
 * a Receive connector of that name in the bundle, else the server in the
 * name of a default receive connector. NULL when neither says.
 */
static char *
server_of_connector(const struct evidence *ev, const char *conn,
    const char **how)
{
	const struct ev_receive_connector *rc;
	const char	*found = NULL;
	char		*s;
	size_t		 i;

	if (conn == NULL)
		return NULL;
	for (i = 0; i < ev->nrecvc; i++) {
		rc = &ev->recvc[i];
		if (rc->server == NULL || !str_eq_ci(rc->name, conn))
			continue;
		if (found != NULL && ascii_casecmp(found, rc->server) != 0)
			return NULL;	/* on several servers: not this way */
		found = rc->server;
	}
	if (found != NULL) {
		*how = "the receive connector of that name in the bundle";
		return xstrdup(found);
	}
	if ((s = default_connector_server(conn)) != NULL)
		*how = "the server Exchange setup names its default receive "
		    "connectors after";
	return s;
}

/*
 * An event export that does not name the computer (Get-WinEvent's default
 * Format-List view, a message pasted alone) belongs to the server whose
 * receive connector it names, else to the server its path names; the
 * servers the other event exports name count as clues too.
 */
static void
attribute_events(struct evidence *ev, const struct strlist *servers)
{
	struct strlist	 known = { 0 };
	struct ev_event	*e;
	const char	*s, *how = NULL;
	char		*by_conn;
	size_t		 i;

	strlist_copy(&known, servers);
	for (i = 0; i < ev->nevents; i++)
		strlist_add_unique_ci(&known, ev->events[i].server);
	for (i = 0; i < ev->nevents; i++) {
		e = &ev->events[i];
		if (e->server != NULL)
			continue;
		if ((by_conn = server_of_connector(ev, e->connector, &how)) !=
		    NULL) {
			diag_add(&ev->diags, DIAG_INFO, e->ref.source, "line %ld: "
			    "event %ld names no computer; attributed to %s, %s "
			    "(\"%s\")", e->ref.line, event_effective_id(e),
			    by_conn, how, e->connector);
			e->server = by_conn;
			continue;
		}
		if (e->ref.source == NULL)
			continue;
		s = evidence_server_from_path(e->ref.source, &known);
		if (s == NULL && known.n == 1) {
			s = known.v[0];
			diag_add(&ev->diags, DIAG_INFO, e->ref.source,
			    "event %ld names no computer; attributed to %s, the "
			    "only server in the bundle", event_effective_id(e), s);
		}
		if (s != NULL)
			e->server = xstrdup(s);
	}
	strlist_free(&known);
}

/* Events by server, then time (unknown last), then id and where read. */
static int
cmp_event(const void *pa, const void *pb)
{
	const struct ev_event	*a = pa, *b = pb;
	int			 c;

	if ((c = casecmp_null_last(a->server, b->server)) != 0)
		return c;
	if (a->time != b->time) {
		if (a->time == TIME_UNKNOWN || b->time == TIME_UNKNOWN)
			return a->time == TIME_UNKNOWN ? 1 : -1;
		return a->time < b->time ? -1 : 1;
	}
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if ((c = casecmp_null_last(a->ref.source, b->ref.source)) != 0)
		return c;
	return a->ref.line < b->ref.line ? -1 : a->ref.line > b->ref.line;
}

static void
finish(struct evidence *ev, const struct strlist *known)
{
	attribute_events(ev, known);
	if (ev->nevents > 1)
		qsort(ev->events, ev->nevents, sizeof *ev->events, cmp_event);
}

/* ---------------------------------------------------------------- mapper */

/* Get-WinEvent's Level: 1 Critical, 2 Error, 3 Warning, 4 Information. */
static const char *const level_names[] = {
	"LogAlways", "Critical", "Error", "Warning", "Information", "Verbose"
};

/* Get-EventLog's EntryType. */
static const char *const entry_type_names[] = {
	"0", "Error", "Warning", "3", "Information"
};

static char *
first_str(struct map_ctx *ctx, const struct record *r, const char *a,
    const char *b)
{
	char	*s = rv_str(ctx, r, a);

	return s != NULL ? s : rv_str(ctx, r, b);
}

static int
map(struct map_ctx *ctx, const struct record *r)
{
	struct ev_event	 e;
	struct time_read tr;
	char		*machine;
	long		 id;

	ctx->ev->saw_event_log = true;
	if ((id = rv_long(ctx, r, "Id")) < 0 &&
	    (id = rv_long(ctx, r, "EventID")) < 0) {
		map_warn(ctx, r->line, "event without a readable Id; skipped");
		return -1;
	}
	if (!event_id_relevant(id)) {
		ctx->events_irrelevant++;
		return 0;
	}
	ev_event_init(&e);
	e.id = id;
	if (rv_time_read(ctx, r, "TimeCreated", &tr) == TIME_UNKNOWN)
		rv_time_read(ctx, r, "TimeGenerated", &tr);
	e.time = tr.t;
	e.time_exact = tr.t != TIME_UNKNOWN && tr.exact;
	e.time_order_guessed = tr.order_guessed;
	e.provider = first_str(ctx, r, "ProviderName", "Source");
	if ((machine = rv_str(ctx, r, "MachineName")) == NULL)
		machine = rv_computer_name(ctx, r, NULL);
	e.server = server_short_name(machine);
	free(machine);
	if ((e.level = rv_str(ctx, r, "LevelDisplayName")) == NULL &&
	    (e.level = rv_enum(ctx, r, "Level", level_names,
	    sizeof level_names / sizeof level_names[0])) == NULL)
		e.level = rv_enum(ctx, r, "EntryType", entry_type_names,
		    sizeof entry_type_names / sizeof entry_type_names[0]);
	e.message = rv_str(ctx, r, "Message");
	e.ref.source = xstrdup(ctx->source);
	e.ref.line = r->line;
	evidence_add_event(ctx->ev, &e);
	ev_event_clear(&e);
	return 1;
}

/* --------------------------------------------------------------- columns */

#define E	struct ev_event

EVIDENCE_ROWS(rows, events, nevents)

GET_STR(e_server, E, r->server)
/*
 * Text exports print the server's local time without its zone: converted
 * with the server's offset when known (model/time_zone.h), else labelled.
 */
COL_GETTER(e_time, E, col_time_read(v, ctx, r->server, r->time,
	r->time_exact, r->time_converted, r->time_order_guessed, NULL))
GET_STR(e_provider, E, r->provider)
GET_COUNT(e_id, E, r->id)
GET_STR(e_level, E, r->level)
GET_STR(e_message, E, r->message)
GET_COUNT(e_wording, E, r->id < 0 ? r->wording_id : -1)
GET_STR(e_connector, E, r->connector)
GET_STR(e_fqdn, E, r->fqdn)
GET_STR(e_cert_name, E, r->cert_name)
GET_STR(e_thumbprint, E, r->thumbprint)
GET_STR(e_fallback, E, r->fallback_thumbprint)
GET_STR(e_subject, E, r->cert_subject)
GET_STR(e_issuer, E, r->cert_issuer)
GET_COUNT(e_hours, E, r->hours_remaining)
/* Counted from the event time: local when that time is. */
COL_GETTER(e_expires, E, col_time(v, r->expires, r->time_exact))
GET_STR(e_source, E, r->ref.source)
COL_GETTER(e_line, E, col_int(v, r->ref.line, r->ref.line > 0))

static const struct column event_cols[] = {
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_ALL, .get = e_server },
	{ .key = "time", .label = "Time", .width = 19, .type = COL_TIME,
	  .show = OUT_ALL, .get = e_time },
	{ .key = "time_exact", .label = "Time read as", .width = 18,
	  .type = COL_ZONE, .show = OUT_XLSX, .get = e_time,
	  .why = "findings.json keeps its event fields, a local time without "
	  "its Z; the page labels the time when it is server local time" },
	{ .key = "source", .label = "Source", .width = 28, .type = COL_STR,
	  .show = OUT_ALL, .get = e_provider },
	{ .key = "id", .label = "Event ID", .width = 9, .type = COL_INT,
	  .show = OUT_ALL, .get = e_id },
	{ .key = "level", .label = "Level", .width = 12, .type = COL_STR,
	  .show = OUT_ALL, .get = e_level },
	{ .key = "message", .label = "Message", .width = 100, .type = COL_STR,
	  .style = COL_WRAP, .show = OUT_ALL, .get = e_message,
	  .cls = "text" },
	{ .key = "id_by_wording", .label = "Event by its wording", .width = 12,
	  .type = COL_INT, .show = OUT_ALL, .get = e_wording, .unknown = "",
	  .join = "id", .prefix = " (its wording is ", .unit = ")",
	  .flags = COL_INLINE },
	{ .key = "connector", .label = "Connector", .width = 30,
	  .type = COL_STR, .show = OUT_ALL, .get = e_connector, .unknown = "" },
	{ .key = "fqdn", .label = "FQDN", .width = 30, .type = COL_STR,
	  .style = COL_MONO, .show = OUT_ALL, .get = e_fqdn, .unknown = "" },
	{ .key = "certificate_name", .label = "Certificate name sought",
	  .width = 40, .type = COL_STR, .style = COL_WRAP,
	  .show = OUT_JSON | OUT_XLSX, .get = e_cert_name,
	  .why = "the page shows the message itself" },
	{ .key = "thumbprint", .label = "Thumbprint", .width = 42,
	  .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = e_thumbprint, .unknown = "" },
	{ .key = "fallback_thumbprint", .label = "Certificate used instead",
	  .width = 42, .type = COL_STR, .style = COL_MONO,
	  .show = OUT_JSON | OUT_XLSX, .get = e_fallback,
	  .why = "the page shows the message itself" },
	{ .key = "certificate_subject", .label = "Certificate subject",
	  .width = 40, .type = COL_STR, .style = COL_WRAP,
	  .show = OUT_JSON | OUT_XLSX, .get = e_subject,
	  .why = "the page shows the message itself" },
	{ .key = "certificate_issuer", .label = "Certificate issuer",
	  .width = 40, .type = COL_STR, .style = COL_WRAP,
	  .show = OUT_JSON | OUT_XLSX, .get = e_issuer,
	  .why = "the page shows the message itself" },
	{ .key = "hours_remaining", .label = "Hours remaining", .width = 10,
	  .type = COL_INT, .show = OUT_JSON | OUT_XLSX, .get = e_hours,
	  .why = "the page shows the expiry they give" },
	{ .key = "expires", .label = "Expires (from the event)", .width = 19,
	  .type = COL_TIME, .show = OUT_ALL, .get = e_expires, .unknown = "" },
	{ .key = "expires_exact", .label = "Expiry read as", .width = 18,
	  .type = COL_ZONE, .show = OUT_XLSX, .get = e_expires,
	  .why = "findings.json keeps its event fields; the page labels the "
	  "time when it is server local time" },
	{ .key = "source", .parent = "evidence", .label = "Evidence",
	  .width = 50, .type = COL_STR, .style = COL_WRAP | COL_MONO,
	  .show = OUT_ALL, .get = e_source, .unknown = "",
	  .cls = "mono path" },
	{ .key = "line", .parent = "evidence", .label = "Line", .width = 8,
	  .type = COL_INT, .show = OUT_ALL, .get = e_line,
	  .join = "evidence.source", .prefix = ":", .flags = COL_INLINE },
};

const struct table table_events = {
	.key = "events", .sheet = "Events", .cols = event_cols,
	.ncols = sizeof event_cols / sizeof event_cols[0], .freeze = 1,
	.rows = rows, .size = sizeof(E)
};

/* ------------------------------------------------------------ descriptor */

static const char *const types[] = { "EventLogRecord", "EventRecord",
    "EventLogEntry", NULL };
static const char *const date_labels[] = { "TimeCreated", "TimeGenerated",
    NULL };

/* Get-WinEvent's Id and TimeCreated, or Get-EventLog's EventID and TimeGenerated. */
static bool
clue(const struct record *r)
{
	return (record_has(r, "Id") && record_has(r, "TimeCreated") &&
	    (record_has(r, "ProviderName") || record_has(r, "Message") ||
	    record_has(r, "LevelDisplayName"))) ||
	    (record_has(r, "EventID") && record_has(r, "TimeGenerated"));
}

static void
clear(void *e)
{
	ev_event_clear(e);
}

static void
servers(const void *row, struct strlist *out)
{
	const struct ev_event	*e = row;
	char			*s;

	strlist_add_unique_ci(out, e->server);
	/* A default receive connector's name names its server. */
	if (e->server == NULL &&
	    (s = default_connector_server(e->connector)) != NULL) {
		strlist_add_unique_ci(out, s);
		free(s);
	}
}

static bool
seen(const struct evidence *ev)
{
	return ev->saw_event_log;
}

const struct ev_kind ev_kind_events = {
	.one = "event", .many = "events",
	.types = types, .clue = clue, .map = map, .date_labels = date_labels,
	EV_KIND_STORE(events), .clear = clear, .finish = finish,
	.servers = servers, .seen = seen,
	.table = &table_events,
	/* No gap: a bundle without events is common. The sheet says how. */
	.gap_collect = "wevtutil epl Application Application.evtx",
	.page = { .id = "events", .title = "Events", .rank = 70,
	    .empty = "No application event log in the bundle.",
	    .empty_read = "The event logs in the bundle hold no TLS or "
	    "certificate event." },
};

/*
 * Queues (Get-Queue) as a kind of evidence: the store, merged on identity;
 * the mapper; the column table (findings.json "queues", the Queues sheet,
 * the page's table); and the descriptor.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats/prompt.h"
#include "model/attribution.h"
#include "model/record.h"
#include "model/table.h"
#include "model/time_zone.h"
#include "kind.h"
#include "merge.h"
#include "queue.h"

/* ----------------------------------------------------------------- store */

void
ev_queue_init(struct ev_queue *q)
{
	memset(q, 0, sizeof *q);
	q->message_count = -1;
	q->last_retry_time = TIME_UNKNOWN;
}

static void
ev_queue_clear(struct ev_queue *q)
{
	free(q->identity);
	free(q->server);
	free(q->delivery_type);
	free(q->next_hop_domain);
	free(q->next_hop_connector);
	free(q->tls_domain);
	free(q->status);
	free(q->last_error);
	free(q->last_retry_time_written);
	free(q->ref.source);
	ev_queue_init(q);
}

struct ev_queue *
evidence_add_queue(struct evidence *ev, const struct ev_queue *q)
{
	struct ev_queue	*dst = NULL;
	size_t		 i;

	for (i = 0; q->identity != NULL && i < ev->nqueues; i++)
		if (str_eq_ci(ev->queues[i].identity, q->identity))
			dst = &ev->queues[i];
	if (dst == NULL) {
		ev->queues = xreallocarray_grow(ev->queues, &ev->queues_cap,
		    ev->nqueues + 1, sizeof *ev->queues);
		dst = &ev->queues[ev->nqueues++];
		ev_queue_init(dst);
		dst->identity = xstrdup(q->identity);
		ev_ref_copy(&dst->ref, &q->ref);
	}
	if (dst->server == NULL && q->server != NULL)
		dst->server = server_short_name(q->server);
	ev_fill_str(&dst->delivery_type, q->delivery_type);
	ev_fill_str(&dst->next_hop_domain, q->next_hop_domain);
	ev_fill_str(&dst->next_hop_connector, q->next_hop_connector);
	ev_fill_str(&dst->tls_domain, q->tls_domain);
	ev_fill_str(&dst->status, q->status);
	if (dst->message_count < 0)
		dst->message_count = q->message_count;
	ev_fill_str(&dst->last_error, q->last_error);
	/* An exact time replaces one read from text, as certificate dates do. */
	if ((q->last_retry_time_exact && !dst->last_retry_time_exact) ||
	    (dst->last_retry_time == TIME_UNKNOWN &&
	    q->last_retry_time != TIME_UNKNOWN)) {
		dst->last_retry_time = q->last_retry_time;
		dst->last_retry_time_exact = q->last_retry_time_exact;
		dst->last_retry_time_converted = q->last_retry_time_converted;
		dst->last_retry_time_order_guessed =
		    q->last_retry_time_order_guessed;
	}
	if (!dst->last_retry_time_has_offset && q->last_retry_time_has_offset) {
		dst->last_retry_time_has_offset = true;
		dst->last_retry_time_offset = q->last_retry_time_offset;
	}
	if (dst->last_retry_time == TIME_UNKNOWN)
		ev_fill_str(&dst->last_retry_time_written,
		    q->last_retry_time_written);
	else {
		free(dst->last_retry_time_written);
		dst->last_retry_time_written = NULL;
	}
	return dst;
}

static int
cmp_queue(const void *pa, const void *pb)
{
	const struct ev_queue	*a = pa, *b = pb;
	int			 c;

	if ((c = casecmp_null_last(a->identity, b->identity)) != 0)
		return c;
	return casecmp_null_last(a->ref.source, b->ref.source);
}

/*
 * A queue whose record names no server (its Identity line cut, no prompt
 * naming one) belongs to the server its file's path names, when the
 * evidence knows that server.
 */
static void
finish(struct evidence *ev, const struct strlist *known)
{
	const char	*s;
	size_t		 i;

	for (i = 0; i < ev->nqueues; i++)
		if (ev->queues[i].server == NULL && attr_server_from_path(
		    ev->queues[i].ref.source, known, &s) != ATTR_NONE)
			ev->queues[i].server = xstrdup(s);
	if (ev->nqueues > 1)
		qsort(ev->queues, ev->nqueues, sizeof *ev->queues, cmp_queue);
}

/* ---------------------------------------------------------------- mapper */

static const char *const status_names[] = {
	"None", "Active", "Ready", "Retry", "Suspended", "Connecting"
};

bool
queue_status_known(const struct ev_queue *q)
{
	size_t	i;

	for (i = 0; q->status != NULL && i < sizeof status_names /
	    sizeof status_names[0]; i++)
		if (ascii_casecmp(q->status, status_names[i]) == 0)
			return true;
	return false;
}

static const char *const delivery_names[] = {
	"Undefined", "DnsConnectorDelivery", "NonSmtpGatewayDelivery",
	"SmartHostConnectorDelivery", "SmtpRelayWithinAdSite",
	"SmtpRelayWithinAdSiteToEdge", "MapiDelivery", "SmtpRelayToRemoteAdSite",
	"SmtpRelayToDag", "SmtpRelayToMailboxDeliveryGroup",
	"SmtpRelayToConnectorSourceServers", "SmtpRelayToServers",
	"SmtpRelayToTiRg", "SmtpDeliveryToMailbox", "SmtpDeliveryToExo",
	"ShadowRedundancy", "Heartbeat", "DeliveryAgent", "SmtpDeliveryToMeet"
};

/*
 * A record cut for a post keeps its queue: the identity is the one the
 * console command names (Get-Queue EX07\50 | fl), else unknown, said so.
 */
static char *
queue_identity(struct map_ctx *ctx, const struct record *r,
    const struct prompt_cmd *pc)
{
	char	*id;

	if ((id = rv_str(ctx, r, "Identity")) != NULL ||
	    (id = rv_str(ctx, r, "QueueIdentity")) != NULL ||
	    (id = xstrdup(r->to_string)) != NULL)
		return id;
	if (pc->identity != NULL && strchr(pc->identity, '\\') != NULL) {
		diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source, "line %ld: "
		    "queue record without an Identity line: identity %s taken "
		    "from the command above it", r->line, pc->identity);
		return xstrdup(pc->identity);
	}
	map_warn(ctx, r->line, "queue record without an Identity line: kept, "
	    "its identity unknown");
	return NULL;
}

static int
map(struct map_ctx *ctx, const struct record *r)
{
	struct ev_queue		 q;
	struct prompt_cmd	 cmd;
	struct time_read	 lrt;
	char			*pc;

	ctx->ev->saw_queue_dump = true;
	ev_queue_init(&q);
	prompt_cmd_parse(r->command, r->command ? strlen(r->command) : 0, &cmd);
	q.identity = queue_identity(ctx, r, &cmd);
	q.server = attr_server_from_identity(q.identity);
	if (q.server == NULL && (pc = rv_computer_name(ctx, r, NULL)) != NULL) {
		q.server = server_short_name(pc);
		free(pc);
	}
	if (q.server == NULL && cmd.server != NULL)
		q.server = xstrdup(cmd.server);
	prompt_cmd_free(&cmd);
	q.delivery_type = rv_enum(ctx, r, "DeliveryType", delivery_names,
	    sizeof delivery_names / sizeof delivery_names[0]);
	q.next_hop_domain = rv_str(ctx, r, "NextHopDomain");
	q.next_hop_connector = rv_str(ctx, r, "NextHopConnector");
	q.tls_domain = rv_str(ctx, r, "TlsDomain");
	q.status = rv_enum(ctx, r, "Status", status_names,
	    sizeof status_names / sizeof status_names[0]);
	if (q.status != NULL && !queue_status_known(&q)) {
		/* "Retr..." cut short: it may be waiting, or not. */
		map_warn(ctx, record_get(r, "Status")->line, "Status \"%s\" is "
		    "not one Get-Queue prints; the queue's status is unknown, "
		    "so it may be waiting", q.status);
		free(q.status);
		q.status = NULL;
	}
	q.message_count = rv_long(ctx, r, "MessageCount");
	q.last_error = rv_str(ctx, r, "LastError");
	q.last_retry_time = rv_time_read(ctx, r, "LastRetryTime", &lrt);
	q.last_retry_time_exact = q.last_retry_time != TIME_UNKNOWN && lrt.exact;
	q.last_retry_time_order_guessed = lrt.order_guessed;
	q.last_retry_time_has_offset = lrt.has_offset;
	q.last_retry_time_offset = lrt.offset_minutes;
	if (lrt.undecided != NULL)
		q.last_retry_time_written = xstrdup(lrt.undecided);
	q.ref.source = xstrdup(ctx->source);
	q.ref.line = r->line;
	evidence_add_queue(ctx->ev, &q);
	ev_queue_clear(&q);
	return 1;
}

/* --------------------------------------------------------------- columns */

#define Q	struct ev_queue

EVIDENCE_ROWS(rows, queues, nqueues)

GET_STR(q_identity, Q, r->identity)
GET_STR(q_server, Q, r->server)
GET_STR(q_delivery_type, Q, r->delivery_type)
GET_STR(q_next_hop_domain, Q, r->next_hop_domain)
GET_STR(q_next_hop_connector, Q, r->next_hop_connector)
GET_STR(q_tls_domain, Q, r->tls_domain)
GET_STR(q_status, Q, r->status)
GET_COUNT(q_message_count, Q, r->message_count)
GET_STR(q_last_error, Q, r->last_error)
/*
 * Format-List text gives the server's clock, not UTC: converted with the
 * server's offset when known (model/time_zone.h), else labelled local.
 */
COL_GETTER(q_last_retry_time, Q,
	col_time_read(v, ctx, r->server, r->last_retry_time,
	    r->last_retry_time_exact, r->last_retry_time_converted,
	    r->last_retry_time_order_guessed, r->last_retry_time_written))
/* Unknown (null) when there is no time to qualify. */
#define q_last_retry_time_exact	q_last_retry_time

GET_STR(q_source, Q, r->ref.source)
COL_GETTER(q_line, Q, col_int(v, r->ref.line, r->ref.line > 0))

#define WHY_PLACE	"page: the workbook and findings.json say where it was read"

static const struct column queue_cols[] = {
	{ .key = "identity", .label = "Identity", .width = 30, .type = COL_STR,
	  .show = OUT_ALL, .get = q_identity, .cls = "mono" },
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_JSON | OUT_XLSX, .get = q_server,
	  .why = "page: the identity (SERVER\\queue) names the server" },
	{ .key = "delivery_type", .label = "Delivery type", .width = 22,
	  .type = COL_STR, .show = OUT_ALL, .get = q_delivery_type },
	{ .key = "next_hop_domain", .label = "Next hop domain", .width = 28,
	  .type = COL_STR, .show = OUT_ALL, .get = q_next_hop_domain,
	  .head = "Next hop (domain, connector)" },
	{ .key = "next_hop_connector", .label = "Next hop connector",
	  .width = 38, .type = COL_STR, .style = COL_MONO, .show = OUT_ALL,
	  .get = q_next_hop_connector, .unknown = "",
	  .join = "next_hop_domain", .prefix = "" },
	{ .key = "tls_domain", .label = "TLS domain", .width = 24,
	  .type = COL_STR, .show = OUT_ALL, .get = q_tls_domain,
	  .unknown = "" },
	{ .key = "status", .label = "Status", .width = 10, .type = COL_STR,
	  .show = OUT_ALL, .get = q_status },
	{ .key = "message_count", .label = "Messages", .width = 10,
	  .type = COL_INT, .show = OUT_ALL, .get = q_message_count },
	{ .key = "last_error", .label = "Last error", .width = 80,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_ALL,
	  .get = q_last_error, .unknown = "", .cls = "text" },
	{ .key = "last_retry_time", .label = "Last retry", .width = 19,
	  .type = COL_TIME, .show = OUT_ALL, .get = q_last_retry_time },
	{ .key = "last_retry_time_exact", .label = "Retry time read as",
	  .width = 18, .type = COL_ZONE, .show = OUT_JSON | OUT_XLSX,
	  .get = q_last_retry_time_exact,
	  .why = "page: the time is labelled when it is server local time" },
	{ .key = "source", .label = "Source", .width = 50, .type = COL_STR,
	  .style = COL_WRAP | COL_MONO, .show = OUT_JSON | OUT_XLSX,
	  .get = q_source, .unknown = "", .why = WHY_PLACE },
	{ .key = "line", .label = "Line", .width = 8, .type = COL_INT,
	  .show = OUT_JSON | OUT_XLSX, .get = q_line, .why = WHY_PLACE },
};

const struct table table_queues = {
	.key = "queues", .sheet = "Queues", .cols = queue_cols,
	.ncols = sizeof queue_cols / sizeof queue_cols[0], .freeze = 1,
	.rows = rows, .size = sizeof(Q)
};

/* ------------------------------------------------------------ descriptor */

static const char *const types[] = { "ExtensibleQueueInfo", "QueueInfo",
    "PropertyBagBasedQueueInfo", NULL };
static const char *const date_labels[] = { "LastRetryTime", NULL };

static const char *const cmdlets[] = { "Get-Queue", NULL };

/* Where it delivers, with its identity. */
static bool
clue(const struct record *r)
{
	return (record_has(r, "NextHopDomain") ||
	    record_has(r, "DeliveryType")) && record_has(r, "Identity");
}

/* Where it delivers and how it fares, its Identity line cut. */
static bool
partial(const struct record *r)
{
	return (record_has(r, "NextHopDomain") ||
	    record_has(r, "DeliveryType")) && (record_has(r, "Status") ||
	    record_has(r, "LastError") || record_has(r, "MessageCount"));
}

static void
clear(void *q)
{
	ev_queue_clear(q);
}

static void
servers(const void *row, struct strlist *out)
{
	const struct ev_queue	*q = row;

	strlist_add_unique_ci(out, q->server);
}

static bool
seen(const struct evidence *ev)
{
	return ev->saw_queue_dump;
}

const struct ev_kind ev_kind_queues = {
	.one = "queue", .many = "queues",
	.types = types, .cmdlets = cmdlets, .clue = clue, .partial = partial,
	.map = map, .date_labels = date_labels,
	EV_KIND_STORE(queues), .clear = clear, .finish = finish,
	.servers = servers, .seen = seen,
	.gap_what = "no Get-Queue output",
	.gap_collect = "Get-TransportService | Get-Queue | Export-Clixml "
	    "Queues.xml",
	.gap_rank = 30,
	.table = &table_queues,
	.page = { .id = "queues", .title = "Queues", .rank = 50,
	    .empty = "No queues in the bundle." },
};

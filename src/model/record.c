/*
 * Generic property records: building them, telling their object type, and
 * the per-file mapping state (diagnostics that name the file, the line and
 * why). The typed readers the mappers use live in record_value.c.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

/* Unreadable-type objects described one by one before they are only counted. */
#define FOREIGN_DIAGS_MAX	3

void
record_init(struct record *r)
{
	memset(r, 0, sizeof *r);
}

void
rec_value_free(struct rec_value *v)
{
	free(v->s);
	strlist_free(&v->items);
	if (v->obj != NULL) {
		record_free(v->obj);
		free(v->obj);
	}
	memset(v, 0, sizeof *v);
}

void
record_free(struct record *r)
{
	size_t	i;

	for (i = 0; i < r->nprops; i++) {
		free(r->props[i].name);
		rec_value_free(&r->props[i].v);
	}
	free(r->props);
	strlist_free(&r->types);
	free(r->to_string);
	record_init(r);
}

struct rec_value *
record_add(struct record *r, const char *name, long line)
{
	struct rec_prop	*p;

	r->props = xreallocarray_grow(r->props, &r->props_cap, r->nprops + 1,
	    sizeof *r->props);
	p = &r->props[r->nprops++];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->v.kind = REC_NULL;
	p->v.line = line;
	return &p->v;
}

/*
 * "System.Collections.Generic.List`1[System.String]", "System.Object[]",
 * "Microsoft.Exchange.Data.MultiValuedProperty`1[[...]]": a .NET type name,
 * written where the value should be. Real values of the properties certtrail
 * reads never look like one: no spaces, dotted namespaces starting with
 * System. or Microsoft., often a generic arity or array brackets.
 */
bool
rec_text_is_type_name(const char *s)
{
	const char	*p, *bracket;
	int		 dots = 0;

	if (s == NULL || (!ascii_startswith_ci(s, "System.") &&
	    !ascii_startswith_ci(s, "Microsoft.") &&
	    !ascii_startswith_ci(s, "Deserialized.")))
		return false;
	/*
	 * A type name has no space before its generic arguments ("[[..., Version=
	 * 15.0.0.0, Culture=neutral]]"); an exception message that starts with
	 * one ("Microsoft.Exchange.X: failed [Stage: y]") does.
	 */
	bracket = strchr(s, '[');
	for (p = s; *p != '\0' && (bracket == NULL || p < bracket); p++) {
		if (*p == ' ' || *p == ':')
			return false;
		if (*p == '.')
			dots++;
	}
	if (strchr(s, '`') != NULL || strstr(s, "[]") != NULL)
		return true;
	return dots >= 2 && bracket == NULL;
}

void
rec_value_check_type_name(struct rec_value *v)
{
	if (v->kind == REC_SCALAR && rec_text_is_type_name(v->s))
		v->kind = REC_UNKNOWN;
}

const struct rec_value *
record_get(const struct record *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nprops; i++)
		if (ascii_casecmp(r->props[i].name, name) == 0)
			return &r->props[i].v;
	return NULL;
}

bool
record_has(const struct record *r, const char *name)
{
	return record_get(r, name) != NULL;
}

bool
record_is_type(const struct record *r, const char *name)
{
	size_t	i, n = strlen(name), len;

	for (i = 0; i < r->types.n; i++) {
		const char *t = r->types.v[i];

		len = strlen(t);
		if (ascii_casecmp(t, name) == 0 || (len > n &&
		    t[len - n - 1] == '.' && ascii_casecmp(t + len - n, name) == 0))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ classify */

/*
 * Get-FrontendTransportService and Get-MailboxTransportService carry protocol
 * log paths too, but they are other services' settings.
 */
static bool
is_other_transport(const struct record *r)
{
	return record_is_type(r, "FrontendTransportServerPresentationObject") ||
	    record_is_type(r, "FrontendTransportServer") ||
	    record_is_type(r, "MailboxTransportServerPresentationObject") ||
	    record_is_type(r, "MailboxTransportServer");
}

static enum rec_type
classify_by_type(const struct record *r)
{
	if (record_is_type(r, "ExchangeCertificate") ||
	    record_is_type(r, "X509Certificate2"))
		return RT_CERT;
	if (record_is_type(r, "SmtpSendConnectorConfig"))
		return RT_SEND_CONNECTOR;
	if (record_is_type(r, "ReceiveConnector"))
		return RT_RECEIVE_CONNECTOR;
	if (record_is_type(r, "TransportServerPresentationObject") ||
	    record_is_type(r, "TransportServer") ||
	    record_is_type(r, "TransportService"))
		return RT_TRANSPORT_SERVICE;
	if (record_is_type(r, "ExtensibleQueueInfo") ||
	    record_is_type(r, "QueueInfo") ||
	    record_is_type(r, "PropertyBagBasedQueueInfo"))
		return RT_QUEUE;
	if (record_is_type(r, "EventLogRecord") ||
	    record_is_type(r, "EventRecord") ||
	    record_is_type(r, "EventLogEntry"))
		return RT_EVENT;
	return RT_NONE;
}

enum rec_type
record_classify(const struct record *r)
{
	enum rec_type	t = classify_by_type(r);

	if (t != RT_NONE || is_other_transport(r))
		return t;
	if (record_has(r, "Thumbprint") && (record_has(r, "NotAfter") ||
	    record_has(r, "Subject") || record_has(r, "RawData")))
		return RT_CERT;
	/* Only the transport service has the internal certificate. */
	if (record_has(r, "InternalTransportCertificateThumbprint"))
		return RT_TRANSPORT_SERVICE;
	if (record_has(r, "Bindings") && (record_has(r, "Identity") ||
	    record_has(r, "Name")))
		return RT_RECEIVE_CONNECTOR;
	if ((record_has(r, "SourceTransportServers") ||
	    record_has(r, "AddressSpaces") || record_has(r, "SmartHosts") ||
	    record_has(r, "DNSRoutingEnabled")) &&
	    (record_has(r, "Name") || record_has(r, "Identity")))
		return RT_SEND_CONNECTOR;
	if ((record_has(r, "NextHopDomain") || record_has(r, "DeliveryType")) &&
	    record_has(r, "Identity"))
		return RT_QUEUE;
	if ((record_has(r, "Id") && record_has(r, "TimeCreated") &&
	    (record_has(r, "ProviderName") || record_has(r, "Message") ||
	    record_has(r, "LevelDisplayName"))) ||
	    (record_has(r, "EventID") && record_has(r, "TimeGenerated")))
		return RT_EVENT;
	return RT_NONE;
}

const char *
rec_type_name(enum rec_type t)
{
	switch (t) {
	case RT_CERT:
		return "certificate";
	case RT_SEND_CONNECTOR:
		return "send connector";
	case RT_RECEIVE_CONNECTOR:
		return "receive connector";
	case RT_TRANSPORT_SERVICE:
		return "transport service";
	case RT_QUEUE:
		return "queue";
	case RT_EVENT:
		return "event";
	default:
		return "object";
	}
}

/* ------------------------------------------------------------- context */

void
map_ctx_init(struct map_ctx *ctx, struct evidence *ev, const char *source,
    const char *format, int rank)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->ev = ev;
	ctx->source = source;
	ctx->format = format;
	ctx->rank = rank;
	ctx->order = DATE_ORDER_UNKNOWN;
	parse_diag_init(&ctx->pd, &ev->diags, source);
	ctx->pd.shown_max = MAP_DIAGS_MAX;
}

void
map_warn(struct map_ctx *ctx, long line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	parse_problemv(&ctx->pd, DIAG_WARNING, line, fmt, ap);
	va_end(ap);
}

void
map_ctx_finish(struct map_ctx *ctx)
{
	size_t	i;

	for (i = 0; i < ctx->nunknown; i++) {
		diag_add(&ctx->ev->diags, DIAG_WARNING, ctx->source,
		    "%s: %ld value(s) exported as a type name (\"%s\", first at "
		    "line %ld) instead of the value; left unknown (export with "
		    "Export-Clixml, or ConvertTo-Json -Depth 4, to keep them)",
		    ctx->unknown[i].name, ctx->unknown[i].count,
		    ctx->unknown[i].example, ctx->unknown[i].first_line);
		free(ctx->unknown[i].name);
		free(ctx->unknown[i].example);
	}
	ctx->nunknown = 0;
	if (ctx->unlisted + (long)ctx->pd.unshown > 0)
		diag_add(&ctx->ev->diags, DIAG_WARNING, ctx->source,
		    "%ld more value(s) left unknown for the same kinds of reasons",
		    ctx->unlisted + (long)ctx->pd.unshown);
	if (ctx->foreign > FOREIGN_DIAGS_MAX)
		diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source,
		    "%ld more object(s) of types certtrail does not read ignored",
		    ctx->foreign - FOREIGN_DIAGS_MAX);
	if (ctx->events_irrelevant > 0)
		diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source,
		    "%ld event(s) with ids that do not bear on TLS or "
		    "certificates ignored", ctx->events_irrelevant);
}

void
record_date_votes(const struct record *r, struct date_order_votes *votes)
{
	size_t	i;

	/* A clock time is required so version-like values cannot vote. */
	for (i = 0; i < r->nprops; i++)
		if (r->props[i].v.kind == REC_SCALAR &&
		    !r->props[i].v.has_time && r->props[i].v.s != NULL &&
		    strchr(r->props[i].v.s, ':') != NULL)
			date_order_vote(votes, r->props[i].v.s);
}

/* "Subject, Thumbprint, NotAfter, ..." : the first few property names. */
static void
describe(const struct record *r, char *buf, size_t size)
{
	size_t	i, len = 0;
	int	n;

	*buf = '\0';
	for (i = 0; i < r->nprops && i < 6; i++) {
		n = snprintf(buf + len, size - len, "%s%s", i > 0 ? ", " : "",
		    r->props[i].name);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
	}
	if (r->nprops > 6)
		snprintf(buf + len, size - len, ", ... %zu in all", r->nprops);
}

static void
note_foreign(struct map_ctx *ctx, const struct record *r)
{
	char	props[200];

	if (++ctx->foreign > FOREIGN_DIAGS_MAX)
		return;
	describe(r, props, sizeof props);
	diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source, "line %ld: %s "
	    "object%s%s with %zu propert%s (%s) is not one certtrail reads "
	    "(certificates, connectors, transport services, queues, events); "
	    "ignored", r->line, ctx->format, r->types.n > 0 ? " of type " : "",
	    r->types.n > 0 ? r->types.v[0] : "", r->nprops,
	    r->nprops == 1 ? "y" : "ies", props);
}

int
map_record(struct map_ctx *ctx, const struct record *r)
{
	struct ev_cert	c;
	int		rc;

	switch (record_classify(r)) {
	case RT_CERT:
		ev_cert_init(&c);
		rc = map_cert(ctx, r, &c);
		break;
	case RT_SEND_CONNECTOR:
		rc = map_send_connector(ctx, r);
		break;
	case RT_RECEIVE_CONNECTOR:
		rc = map_receive_connector(ctx, r);
		break;
	case RT_TRANSPORT_SERVICE:
		rc = map_transport_service(ctx, r);
		break;
	case RT_QUEUE:
		rc = map_queue(ctx, r);
		break;
	case RT_EVENT:
		rc = map_event(ctx, r);
		break;
	default:
		note_foreign(ctx, r);
		return 0;
	}
	if (rc > 0)
		ctx->added += rc;
	else if (rc < 0)
		ctx->skipped++;
	return rc;
}

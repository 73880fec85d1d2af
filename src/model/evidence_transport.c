/*
 * The evidence about transport beyond certificates and send connectors:
 * receive connectors, transport services and application events. Same rules
 * as evidence.c: the add functions copy, merge twins, and unknown never
 * overwrites known.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "evidence.h"

static void
fill_str(char **dst, const char *src)
{
	if (*dst == NULL && src != NULL)
		*dst = xstrdup(src);
}

static void
fill_list(struct strlist *dst, bool *dst_known, const struct strlist *src,
    bool src_known)
{
	if (!*dst_known && src_known) {
		strlist_free(dst);
		strlist_copy(dst, src);
		*dst_known = true;
	}
}

static void
add_sources(struct strlist *dst, const struct strlist *src, const char *ref)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		strlist_add_unique_ci(dst, src->v[i]);
	if (ref != NULL)
		strlist_add_unique_ci(dst, ref);
}

const char *
tri_text(tri_t t)
{
	switch (t) {
	case TRI_TRUE:
		return "Yes";
	case TRI_FALSE:
		return "No";
	default:
		return "unknown";
	}
}

const char *
entry_status_name(enum entry_status s)
{
	switch (s) {
	case MANIFEST_READ:
		return "read";
	case MANIFEST_SKIPPED:
		return "skipped";
	case MANIFEST_ENCRYPTED:
		return "encrypted";
	case MANIFEST_DAMAGED:
		return "damaged";
	case MANIFEST_UNSUPPORTED:
		return "unsupported";
	}
	return "read";
}

/* ----------------------------------------------------- receive connectors */

void
ev_receive_connector_init(struct ev_receive_connector *rc)
{
	memset(rc, 0, sizeof *rc);
	rc->require_tls = rc->enabled = TRI_UNKNOWN;
}

void
ev_receive_connector_clear(struct ev_receive_connector *rc)
{
	free(rc->identity);
	free(rc->name);
	free(rc->server);
	strlist_free(&rc->bindings);
	free(rc->fqdn);
	free(rc->tls_certificate_name);
	strlist_free(&rc->auth_mechanism);
	free(rc->tls_domain_capabilities);
	free(rc->protocol_logging_level);
	free(rc->transport_role);
	strlist_free(&rc->sources);
	free(rc->ref.source);
	ev_receive_connector_init(rc);
}

/* Fills what dst does not know from src. */
static void
rc_fill(struct ev_receive_connector *dst, const struct ev_receive_connector *src)
{
	fill_str(&dst->identity, src->identity);
	/* A complete list replaces a cut one (Format-List shows four items). */
	if (dst->bindings_known && dst->bindings_incomplete &&
	    src->bindings_known && !src->bindings_incomplete) {
		strlist_free(&dst->bindings);
		dst->bindings_known = false;
	}
	if (!dst->bindings_known && src->bindings_known)
		dst->bindings_incomplete = src->bindings_incomplete;
	fill_list(&dst->bindings, &dst->bindings_known, &src->bindings,
	    src->bindings_known);
	fill_str(&dst->fqdn, src->fqdn);
	fill_str(&dst->tls_certificate_name, src->tls_certificate_name);
	fill_list(&dst->auth_mechanism, &dst->auth_mechanism_known,
	    &src->auth_mechanism, src->auth_mechanism_known);
	if (dst->require_tls == TRI_UNKNOWN)
		dst->require_tls = src->require_tls;
	if (dst->enabled == TRI_UNKNOWN)
		dst->enabled = src->enabled;
	fill_str(&dst->tls_domain_capabilities, src->tls_domain_capabilities);
	fill_str(&dst->protocol_logging_level, src->protocol_logging_level);
	fill_str(&dst->transport_role, src->transport_role);
	add_sources(&dst->sources, &src->sources, src->ref.source);
}

struct ev_receive_connector *
evidence_add_receive_connector(struct evidence *ev,
    const struct ev_receive_connector *rc)
{
	struct ev_receive_connector	*dst = NULL, merged;
	char				*server = server_short_name(rc->server);
	size_t				 i;

	for (i = 0; rc->name != NULL && i < ev->nrecvc; i++)
		if (str_eq_ci(ev->recvc[i].name, rc->name) &&
		    str_eq_ci(ev->recvc[i].server, server))
			dst = &ev->recvc[i];
	if (dst == NULL) {
		ev->recvc = xreallocarray_grow(ev->recvc, &ev->recvc_cap,
		    ev->nrecvc + 1, sizeof *ev->recvc);
		dst = &ev->recvc[ev->nrecvc++];
		ev_receive_connector_init(dst);
		dst->name = xstrdup(rc->name);
		dst->server = server;
		dst->ref.source = xstrdup(rc->ref.source);
		dst->ref.line = rc->ref.line;
		dst->source_rank = rc->source_rank;
		rc_fill(dst, rc);
		return dst;
	}
	free(server);
	if (rc->source_rank <= dst->source_rank) {
		rc_fill(dst, rc);
		return dst;
	}
	/* A richer export (CliXml over Format-List) wins field by field. */
	ev_receive_connector_init(&merged);
	merged.name = dst->name;
	merged.server = dst->server;
	merged.ref = dst->ref;
	merged.source_rank = rc->source_rank;
	dst->name = dst->server = dst->ref.source = NULL;
	rc_fill(&merged, rc);
	rc_fill(&merged, dst);
	ev_receive_connector_clear(dst);
	*dst = merged;
	return dst;
}

/* ----------------------------------------------------- transport services */

void
ev_transport_service_init(struct ev_transport_service *ts)
{
	memset(ts, 0, sizeof *ts);
}

void
ev_transport_service_clear(struct ev_transport_service *ts)
{
	free(ts->server);
	free(ts->internal_transport_certificate);
	free(ts->send_protocol_log_path);
	free(ts->receive_protocol_log_path);
	free(ts->intra_org_connector_protocol_logging_level);
	strlist_free(&ts->sources);
	free(ts->ref.source);
	ev_transport_service_init(ts);
}

struct ev_transport_service *
evidence_add_transport_service(struct evidence *ev,
    const struct ev_transport_service *ts)
{
	struct ev_transport_service	*dst = NULL;
	char				*server = server_short_name(ts->server);
	size_t				 i;

	for (i = 0; i < ev->ntransport; i++)
		if (str_eq_ci(ev->transport[i].server, server))
			dst = &ev->transport[i];
	if (dst == NULL) {
		ev->transport = xreallocarray_grow(ev->transport,
		    &ev->transport_cap, ev->ntransport + 1, sizeof *ev->transport);
		dst = &ev->transport[ev->ntransport++];
		ev_transport_service_init(dst);
		dst->server = server;
		server = NULL;
		dst->ref.source = xstrdup(ts->ref.source);
		dst->ref.line = ts->ref.line;
	}
	free(server);
	fill_str(&dst->internal_transport_certificate,
	    ts->internal_transport_certificate);
	if (dst->internal_transport_certificate != NULL)
		ascii_upper(dst->internal_transport_certificate);
	fill_str(&dst->send_protocol_log_path, ts->send_protocol_log_path);
	fill_str(&dst->receive_protocol_log_path, ts->receive_protocol_log_path);
	fill_str(&dst->intra_org_connector_protocol_logging_level,
	    ts->intra_org_connector_protocol_logging_level);
	add_sources(&dst->sources, &ts->sources, ts->ref.source);
	return dst;
}

/* ---------------------------------------------------------------- events */

void
ev_event_init(struct ev_event *e)
{
	memset(e, 0, sizeof *e);
	e->time = TIME_UNKNOWN;
	e->id = -1;
}

void
ev_event_clear(struct ev_event *e)
{
	free(e->server);
	free(e->provider);
	free(e->level);
	free(e->message);
	free(e->ref.source);
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
			}
			if (dst->message_raw && !e->message_raw &&
			    e->message != NULL) {
				free(dst->message);
				dst->message = xstrdup(e->message);
				dst->message_raw = false;
			}
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
	dst->message_raw = e->message_raw;
	return dst;
}

/*
 * The transport events that bear on TLS and certificates: 12014 (no
 * certificate for a connector's FQDN or TlsCertificateName), 12016/12018
 * (STARTTLS certificate expired/expiring), 12013/12015/12017/12023/12024
 * (internal transport certificate), 2004 (TLS channel failure, often
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
		1035, 2004, 2017, 11022, 12013, 12014, 12015, 12016, 12017,
		12018, 12023, 12024,
	};
	size_t	i;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* ------------------------------------------------------------- ordering */

static int
cmp_recvc(const void *pa, const void *pb)
{
	const struct ev_receive_connector *a = pa, *b = pb;
	int				   c;

	if ((c = casecmp_null_last(a->server, b->server)) != 0)
		return c;
	return casecmp_null_last(a->name, b->name);
}

static int
cmp_transport(const void *pa, const void *pb)
{
	const struct ev_transport_service *a = pa, *b = pb;

	return casecmp_null_last(a->server, b->server);
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

void
evidence_transport_sort(struct evidence *ev)
{
	size_t	i;

	for (i = 0; i < ev->nrecvc; i++)
		strlist_sort_ci(&ev->recvc[i].sources);
	for (i = 0; i < ev->ntransport; i++)
		strlist_sort_ci(&ev->transport[i].sources);
	if (ev->nrecvc > 1)
		qsort(ev->recvc, ev->nrecvc, sizeof *ev->recvc, cmp_recvc);
	if (ev->ntransport > 1)
		qsort(ev->transport, ev->ntransport, sizeof *ev->transport,
		    cmp_transport);
	if (ev->nevents > 1)
		qsort(ev->events, ev->nevents, sizeof *ev->events, cmp_event);
}

size_t
evidence_skipped_count(const struct evidence *ev)
{
	size_t	i, n = 0;

	for (i = 0; ev != NULL && i < ev->nentries; i++)
		if (ev->entries[i].status != MANIFEST_READ)
			n++;
	return n;
}

/*
 * Collecting the symptoms (symptoms.h): everything the bundle shows going
 * wrong, before any rule says why. A symptom none of the rules explains keeps
 * the verdict at "problems found" and says what to collect next.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/dn.h"
#include "model/error_meanings.h"
#include "model/kinds/event.h"
#include "model/kinds/queue.h"
#include "model/kinds/receive_connector.h"
#include "model/kinds/send_connector.h"
#include "model/kinds/event_facts.h"
#include "cert_queries.h"
#include "event_rules.h"
#include "symptoms.h"
#include "tls_rollup.h"

static const char *const type_names[] = {
	"tls_failure", "queue", "transcript", "event", "cert_expired",
	"cert_missing", "connect_failure", "response"
};

const char *
symptom_type_name(enum symptom_type t)
{
	return type_names[t];
}

/*
 * A queue in Retry or Suspended with a LastError; in Retry without one (the
 * table view has no LastError column: the status alone says it); or with a
 * LastError and no status (a record cut short, a LastError pasted alone).
 */
static bool
queue_in_trouble(const struct ev_queue *q)
{
	bool	error = q->last_error != NULL && q->last_error[0] != '\0';

	if (q->status == NULL)
		return error;
	return str_eq_ci(q->status, "Retry") || (error &&
	    str_eq_ci(q->status, "Suspended"));
}

/* The digits after the class in "451 4.7.5": 7 and 5; false without them. */
static bool
enhanced_parts(const char *code, long *subject, long *detail)
{
	const char	*p;
	char		*end;

	if (code == NULL || (p = strchr(code, ' ')) == NULL)
		return false;
	p++;
	if ((*p != '4' && *p != '5') || p[1] != '.')
		return false;
	*subject = strtol(p + 2, &end, 10);
	if (end == p + 2 || *end != '.')
		return false;
	p = end + 1;
	*detail = strtol(p, &end, 10);
	return end != p;
}

/*
 * Whether a 4xx/5xx response in the logs bears on transport, TLS or
 * connectivity (x.4.x network and routing, 4.2.1, the TLS and
 * authentication x.7.x codes, or a text about TLS), as opposed to the
 * message-level codes every busy server logs (unknown recipient, mailbox
 * full, relay denied, greylisting).
 */
static bool
response_relevant(const char *code, const char *text)
{
	static const char *const words[] = { "TLS", "certificate", "SocketError",
	    "Unable to connect", "Connection timed out", "Connection dropped",
	    NULL };
	long	subj, det;
	size_t	i;

	if (code == NULL || (code[0] != '4' && code[0] != '5'))
		return false;
	if (enhanced_parts(code, &subj, &det)) {
		if (subj == 4)
			return true;	/* network and routing */
		if (subj == 2 && det == 1 && strncmp(code, "421", 3) == 0)
			return true;	/* Exchange's "421 4.2.1 Unable to connect" */
		if (subj == 7 && (det == 3 || det == 4 || det == 5 || det == 10 ||
		    det == 11 || det == 57 || det == 64 || det == 66))
			return true;	/* TLS, server and client authentication */
	}
	for (i = 0; text != NULL && words[i] != NULL; i++)
		if (ascii_strcasestr(text, words[i]) != NULL)
			return true;
	return false;
}

static bool
connect_text(const char *e)
{
	static const char *const words[] = { "Failed to connect",
	    "Winsock error", "Unable to connect", "4.2.1",
	    "No connection could be made", "actively refused", NULL };
	size_t	i;

	for (i = 0; e != NULL && words[i] != NULL; i++)
		if (ascii_strcasestr(e, words[i]) != NULL)
			return true;
	return false;
}

bool
symptom_is_connect(const struct symptom *s)
{
	if (s->type == SYM_CONNECT_FAILURE)
		return true;
	if (s->type == SYM_RESPONSE)
		return connect_text(s->code) || connect_text(s->error);
	return s->type == SYM_QUEUE && connect_text(s->error);
}

static struct symptom *
add(struct symptom_list *l, enum symptom_type type, const void *origin)
{
	struct symptom	*s;

	l->v = xreallocarray_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
	s->type = type;
	s->origin = origin;
	s->count = 1;
	s->first = s->last = TIME_UNKNOWN;
	s->event_id = -1;
	s->winsock = -1;
	s->finding_seq = -1;
	return s;
}

static bool
tls_failed(const struct ev_tls_agg *t, void *arg)
{
	(void)arg;
	return !t->ok;
}

static void
collect_tls(const struct evidence *ev, struct symptom_list *l)
{
	struct tls_rollup	*r;
	const struct ev_tls_agg	*t;
	struct symptom		*s;
	size_t			 i, n;

	n = tls_rollup_build(ev, tls_failed, NULL, &r);
	for (i = 0; i < n; i++) {
		t = r[i].sample;
		s = add(l, SYM_TLS_FAILURE, t);
		s->server = t->server;
		s->connector = t->connector;
		s->thumbprint = t->cert_thumbprint;
		s->error = t->error;
		s->receive = t->receive;
		s->source = t->log_source;
		s->line = t->sample_line;
		s->count = r[i].count;
		s->first = r[i].first;
		s->last = r[i].last;
		s->text = xasprintf("%ld %s TLS handshake%s failed with %s on "
		    "connector %s of %s%s%s", r[i].count, t->receive ? "inbound" :
		    "outbound", r[i].count == 1 ? "" : "s",
		    t->error ? t->error : "an unknown error",
		    t->connector ? t->connector : "unknown",
		    t->server ? t->server : "an unknown server",
		    t->cert_thumbprint ? ", certificate " : "",
		    t->cert_thumbprint ? t->cert_thumbprint : "");
	}
	free(r);
}

/* "queue EX01\\7 (Retry, next hop x, 3 messages): 451 ...", unknowns said. */
static char *
queue_text(const struct ev_queue *q)
{
	char	count[40];

	if (q->message_count >= 0)
		snprintf(count, sizeof count, "%ld message%s", q->message_count,
		    q->message_count == 1 ? "" : "s");
	else
		snprintf(count, sizeof count, "messages unknown");
	return xasprintf("queue %s (%s, next hop %s, %s)%s%s",
	    q->identity ? q->identity : "of unknown identity",
	    q->status ? q->status : "status unknown",
	    q->next_hop_domain ? q->next_hop_domain : "unknown", count,
	    q->last_error ? ": " : ", no LastError in the export",
	    q->last_error ? q->last_error : "");
}

static void
collect_queues(const struct evidence *ev, struct symptom_list *l)
{
	const struct ev_queue	*q;
	struct symptom		*s;
	size_t			 i;

	for (i = 0; i < ev->nqueues; i++) {
		q = &ev->queues[i];
		if (!queue_in_trouble(q))
			continue;
		s = add(l, SYM_QUEUE, q);
		s->server = q->server;
		s->connector = q->next_hop_domain;
		s->error = q->last_error;
		s->source = q->ref.source;
		s->line = q->ref.line;
		s->first = s->last = q->last_retry_time;
		s->local = !q->last_retry_time_exact;
		s->text = queue_text(q);
	}
}

static void
collect_transcripts(const struct evidence *ev, struct symptom_list *l)
{
	const struct ev_symptom	*e;
	struct symptom		*s;
	size_t			 i;

	for (i = 0; i < ev->nsymptoms; i++) {
		e = &ev->symptoms[i];
		s = add(l, SYM_TRANSCRIPT, e);
		s->server = e->server;
		s->connector = e->connectors.n > 0 ? e->connectors.v[0] : NULL;
		s->thumbprint = e->thumbprint;
		s->error = e->text;
		s->source = e->ref.source;
		s->line = e->ref.line;
		s->text = xstrdup(e->text ? e->text : "error transcript");
	}
}

static void
collect_events(const struct evidence *ev, struct symptom_list *l)
{
	const struct ev_event	*e;
	struct symptom		*s;
	size_t			 i;

	for (i = 0; i < ev->nevents; i++) {
		e = &ev->events[i];
		if (!event_is_symptom(e))
			continue;
		s = add(l, SYM_EVENT, e);
		s->server = e->server;
		/* A message pasted alone is the event its wording is. */
		s->event_id = event_effective_id(e);
		s->connector = e->connector;
		s->thumbprint = e->thumbprint;
		s->error = e->message;
		s->source = e->ref.source;
		s->line = e->ref.line;
		s->first = s->last = e->time;
		s->local = !e->time_exact;
		s->text = xasprintf("event %ld (%s) on %s: %s", s->event_id,
		    e->provider ? e->provider : "unknown source",
		    e->server ? e->server : "an unknown server",
		    e->message ? e->message : "");
	}
}

static void
collect_expired(const struct evidence *ev, int64_t as_of,
    struct symptom_list *l)
{
	const struct ev_cert	*c;
	struct symptom		*s;
	char			 when[48];
	bool			 auth;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (!cert_expired_at(c, as_of))
			continue;
		/* The current Auth certificate is in use whatever its services. */
		auth = cert_is_current_auth(ev, c);
		if (!auth && (cert_successor(ev, c, as_of) || cert_is_auth(ev, c) ||
		    (!(c->services != SERVICES_UNKNOWN &&
		    (c->services & SVC_SMTP)) && !cert_pinned(ev, c))))
			continue;
		s = add(l, SYM_CERT_EXPIRED, c);
		s->server = c->server;
		s->thumbprint = c->thumbprint;
		s->source = c->ref.source;
		s->line = c->ref.line;
		s->text = xasprintf("certificate %s (%s) on %s, %s, expired %s",
		    CERT_LABEL(c), c->subject ? c->subject : "subject unknown",
		    c->server ? c->server : "an unknown server", auth ? "the "
		    "organization's current Auth certificate" : "used for SMTP",
		    cert_time(c, c->not_after, when, sizeof when));
	}
}

static void
missing_on(const struct evidence *ev, const char *server, const char *conn,
    const char *name, const struct ev_ref *ref, const void *origin,
    struct symptom_list *l)
{
	struct cert_set	 m = { 0 };
	struct symptom	*s;

	if (!server_inventory_known(ev, server))
		return;
	certs_matching_name(ev, server, name, &m);
	/* A record whose subject was cut may be the one: not missing. */
	if (m.n == 0 && !certs_may_match_name(ev, server, name)) {
		s = add(l, SYM_CERT_MISSING, origin);
		s->server = server;
		s->connector = conn;
		s->source = ref->source;
		s->line = ref->line;
		s->text = xasprintf("connector \"%s\" pins %s, which matches no "
		    "certificate on %s", conn, name, server);
	}
	cert_set_free(&m);
}

static void
collect_missing(const struct evidence *ev, struct symptom_list *l)
{
	struct tls_cert_name	 tcn;
	size_t			 i, j;

	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];

		if (sc->tls_certificate_name == NULL || sc->enabled == TRI_FALSE)
			continue;
		tls_cert_name_parse(sc->tls_certificate_name, &tcn);
		for (j = 0; tcn.valid && j < sc->source_servers.n; j++)
			missing_on(ev, sc->source_servers.v[j], sc->name,
			    sc->tls_certificate_name, &sc->ref, sc, l);
		tls_cert_name_clear(&tcn);
	}
	for (i = 0; i < ev->nrecvc; i++) {
		const struct ev_receive_connector *rc = &ev->recvc[i];

		if (rc->tls_certificate_name == NULL || rc->enabled == TRI_FALSE ||
		    rc->server == NULL || (rc->identity == NULL && rc->name == NULL))
			continue;
		tls_cert_name_parse(rc->tls_certificate_name, &tcn);
		if (tcn.valid)
			missing_on(ev, rc->server, rc->identity ? rc->identity :
			    rc->name, rc->tls_certificate_name, &rc->ref, rc, l);
		tls_cert_name_clear(&tcn);
	}
}

static void
collect_connect_failures(const struct evidence *ev, struct symptom_list *l)
{
	const struct ev_connect_failure_agg *a;
	struct symptom		*s;
	const char		*what;
	size_t			 i;

	for (i = 0; i < ev->nconnfail; i++) {
		a = &ev->connfail[i];
		s = add(l, SYM_CONNECT_FAILURE, a);
		s->server = a->server;
		s->connector = a->connector;
		s->winsock = a->winsock_error;
		s->remote = a->destination;
		s->error = a->sample_text;
		if (a->sample_text != NULL &&
		    (what = ascii_strcasestr(a->sample_text, "Failed to connect")))
			s->error = what;
		s->source = a->g.nsamples > 0 ? a->g.samples[0].source : NULL;
		s->line = a->g.nsamples > 0 ? a->g.samples[0].line : 0;
		s->count = a->count;
		s->first = a->first;
		s->last = a->last;
		what = winsock_error_meaning(a->winsock_error);
		if (a->winsock_error >= 0)
			s->text = xasprintf("%ld connection%s from %s on connector %s "
			    "to %s failed with Winsock error %ld (%s)", a->count,
			    a->count == 1 ? "" : "s", a->server ? a->server :
			    "an unknown server", a->connector ? a->connector :
			    "unknown", a->destination ? a->destination :
			    "an unknown destination", a->winsock_error,
			    what ? what : "see the Winsock error list");
		else
			s->text = xasprintf("%ld connection%s from %s on connector %s "
			    "to %s failed (Winsock error not logged)", a->count,
			    a->count == 1 ? "" : "s", a->server ? a->server :
			    "an unknown server", a->connector ? a->connector :
			    "unknown", a->destination ? a->destination :
			    "an unknown destination");
	}
}

static void
collect_responses(const struct evidence *ev, struct symptom_list *l)
{
	const struct ev_response_agg *a;
	struct symptom		*s;
	const char		*text;
	size_t			 i, len;

	for (i = 0; i < ev->nresponses; i++) {
		a = &ev->responses[i];
		/* From the code on: the rest of the row is names and addresses. */
		text = a->sample_text;
		if (text != NULL && a->code != NULL &&
		    ascii_strcasestr(text, a->code) != NULL)
			text = ascii_strcasestr(text, a->code);
		if (!response_relevant(a->code, text))
			continue;
		s = add(l, SYM_RESPONSE, a);
		s->server = a->server;
		s->connector = a->connector;
		s->receive = a->receive;
		s->code = a->code;
		s->error = text;
		s->source = a->g.nsamples > 0 ? a->g.samples[0].source : NULL;
		s->line = a->g.nsamples > 0 ? a->g.samples[0].line : 0;
		s->count = a->count;
		s->first = a->first;
		s->last = a->last;
		/* The row's empty context leaves commas at the end. */
		len = text ? strlen(text) : 0;
		while (len > 0 && text[len - 1] == ',')
			len--;
		if (len > 200)
			len = 200;
		s->text = xasprintf("%ld %s response%s %s on connector %s of %s: "
		    "%.*s", a->count, a->receive ? "inbound" : "outbound",
		    a->count == 1 ? "" : "s", a->code ? a->code : "unknown",
		    a->connector ? a->connector : "unknown", a->server ? a->server :
		    "an unknown server", (int)len, text ? text : "");
	}
}

void
symptoms_collect(const struct evidence *ev, int64_t as_of,
    struct symptom_list *l)
{
	collect_tls(ev, l);
	collect_queues(ev, l);
	collect_transcripts(ev, l);
	collect_events(ev, l);
	collect_expired(ev, as_of, l);
	collect_missing(ev, l);
	collect_connect_failures(ev, l);
	collect_responses(ev, l);
}

long
symptoms_linked(const struct symptom_list *l, long seq)
{
	long	n = 0;
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].finding_seq == seq)
			n++;
	return n;
}

void
symptoms_free(struct symptom_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

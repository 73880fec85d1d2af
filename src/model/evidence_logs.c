/*
 * The four families of log aggregates: TLS outcomes, SMTP sessions,
 * connect failures and error responses. Each is a row of the table of
 * operations (log_aggs.h): its key, what it folds when groups merge, its
 * order, the strings it owns. A protocol log row comes in through
 * evidence_add_*() as a probe, an aggregate of the row's own fields; the
 * one index, merge and order of log_aggs.c do the rest.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "log_aggs.h"
#include "tls_days.h"

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* Where a family's array is in struct evidence. */
#define LOG_ARRAY(arr)							\
	.array = offsetof(struct evidence, arr),			\
	.count = offsetof(struct evidence, n##arr),			\
	.cap = offsetof(struct evidence, arr##_cap),			\
	.index = offsetof(struct evidence, arr##_index)

/* Where an aggregate keeps the fields every family has. */
#define LOG_AGG(type)							\
	.size = sizeof(type), .group = offsetof(type, g),		\
	.server = offsetof(type, server),				\
	.connector = offsetof(type, connector),				\
	.n = offsetof(type, count), .first = offsetof(type, first),	\
	.last = offsetof(type, last)

/*
 * The host of an endpoint for a probe, without a copy on the heap unless
 * it is too long for the stack ("192.0.2.1:25" -> "192.0.2.1").
 */
struct host {
	char	 buf[128];
	char	*heap;
};

static char *
host_of(struct host *h, const char *endpoint)
{
	const char	*p;
	size_t		 n;

	h->heap = NULL;
	if (!log_host_span(endpoint, &p, &n))
		return NULL;
	if (n >= sizeof h->buf)
		return h->heap = xstrndup(p, n);
	memcpy(h->buf, p, n);
	h->buf[n] = '\0';
	return h->buf;
}

/* ------------------------------------------------------------ TLS rows */

static void
tls_key(struct log_key *k, const void *p)
{
	const struct ev_tls_agg	*a = p;

	log_key_add(k, a->receive ? "r" : "s");
	log_key_add(k, a->connector);
	log_key_add(k, a->remote);
	log_key_add(k, a->cert_thumbprint);
	log_key_add(k, a->cert_thumbprint == NULL ? a->cert_subject : "");
	log_key_add(k, a->cert_thumbprint == NULL ? a->cert_issuer : "");
	log_key_add(k, a->cert_thumbprint == NULL ? a->cert_serial : "");
	log_key_add(k, a->remote_thumbprint);
	log_key_add(k, a->ok ? "ok" : "failed");
	log_key_add(k, a->error);
	log_key_add(k, a->protocol);
	log_key_add(k, a->cipher);
}

static void
tls_fold(void *pa, void *pb)
{
	struct ev_tls_agg	*a = pa, *b = pb;
	char			*t;

	a->files += b->files;
	if (a->cert_not_before == TIME_UNKNOWN && a->cert_not_after == TIME_UNKNOWN) {
		a->cert_not_before = b->cert_not_before;
		a->cert_not_after = b->cert_not_after;
	}
	/* Keep the text of the sample that will come first. */
	if (a->g.nsamples > 0 && b->g.nsamples > 0 &&
	    log_cmp_sample(&b->g.samples[0], &a->g.samples[0]) < 0) {
		t = a->sample_text;
		a->sample_text = b->sample_text;
		b->sample_text = t;
	}
}

/* Failing groups first, then by server, direction, connector, most rows first. */
static int
cmp_tls(const void *pa, const void *pb)
{
	const struct ev_tls_agg	*a = pa, *b = pb;
	int			 c;

	if (a->ok != b->ok)
		return a->ok ? 1 : -1;
	if ((c = log_cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->receive != b->receive)
		return a->receive ? 1 : -1;
	if ((c = log_cmp_opt(a->connector, b->connector)) != 0)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return log_cmp_group(&a->g, &b->g);
}

static const size_t tls_owned[] = {
	offsetof(struct ev_tls_agg, log_source),
	offsetof(struct ev_tls_agg, server),
	offsetof(struct ev_tls_agg, connector),
	offsetof(struct ev_tls_agg, cert_thumbprint),
	offsetof(struct ev_tls_agg, cert_subject),
	offsetof(struct ev_tls_agg, cert_issuer),
	offsetof(struct ev_tls_agg, cert_serial),
	offsetof(struct ev_tls_agg, error),
	offsetof(struct ev_tls_agg, protocol),
	offsetof(struct ev_tls_agg, cipher),
	offsetof(struct ev_tls_agg, sample_text),
	offsetof(struct ev_tls_agg, remote),
	offsetof(struct ev_tls_agg, remote_thumbprint),
	offsetof(struct ev_tls_agg, remote_subject),
	offsetof(struct ev_tls_agg, last_file),
};

static const struct log_family log_tls = {
	LOG_ARRAY(tls), LOG_AGG(struct ev_tls_agg),
	.receive = offsetof(struct ev_tls_agg, receive),
	.owned = tls_owned, .nowned = NITEMS(tls_owned),
	.key = tls_key, .fold = tls_fold, .cmp = cmp_tls,
};

/* Counts one outcome in its hour, keeping the hours sorted. */
static void
tls_hour_add(struct evidence *ev, int64_t hour, long ok, long failed)
{
	size_t	lo = 0, hi = ev->ntls_hours, mid;

	/* Rows mostly come in time order: try the end first. */
	if (hi > 0 && ev->tls_hours[hi - 1].hour < hour)
		lo = hi;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ev->tls_hours[mid].hour < hour)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ev->ntls_hours || ev->tls_hours[lo].hour != hour) {
		ev->tls_hours = xreallocarray_grow(ev->tls_hours,
		    &ev->tls_hours_cap, ev->ntls_hours + 1,
		    sizeof *ev->tls_hours);
		memmove(&ev->tls_hours[lo + 1], &ev->tls_hours[lo],
		    (ev->ntls_hours - lo) * sizeof *ev->tls_hours);
		ev->tls_hours[lo].hour = hour;
		ev->tls_hours[lo].ok = ev->tls_hours[lo].failed = 0;
		ev->ntls_hours++;
	}
	ev->tls_hours[lo].ok += ok;
	ev->tls_hours[lo].failed += failed;
}

void
evidence_add_tls(struct evidence *ev, const struct ev_tls_event *e)
{
	struct ev_tls_agg	 probe, *a;
	struct host		 host;
	bool			 created;

	/* Borrowed from the row: only a new group copies them. */
	memset(&probe, 0, sizeof probe);
	probe.receive = e->receive;
	probe.connector = (char *)e->connector;
	probe.remote = host_of(&host, e->remote_endpoint);
	probe.cert_thumbprint = (char *)e->cert_thumbprint;
	probe.cert_subject = (char *)e->cert_subject;
	probe.cert_issuer = (char *)e->cert_issuer;
	probe.cert_not_before = e->cert_not_before;
	probe.cert_not_after = e->cert_not_after;
	probe.cert_serial = (char *)e->cert_serial;
	probe.remote_thumbprint = (char *)e->remote_thumbprint;
	probe.remote_subject = (char *)e->remote_subject;
	probe.ok = e->ok;
	probe.error = (char *)(e->ok ? NULL : e->error);
	probe.protocol = (char *)e->protocol;
	probe.cipher = (char *)e->cipher;
	probe.log_source = (char *)e->log_source;
	probe.sample_line = e->line;
	probe.sample_text = (char *)e->text;
	a = log_add(ev, &log_tls, &probe, e->log_source, e->line, e->time,
	    &created);
	free(host.heap);
	/* A block with dates completes a group whose first had none. */
	if (a->cert_not_before == TIME_UNKNOWN && a->cert_not_after == TIME_UNKNOWN) {
		a->cert_not_before = e->cert_not_before;
		a->cert_not_after = e->cert_not_after;
	}
	if (created) {
		if (a->cert_thumbprint != NULL)
			ascii_upper(a->cert_thumbprint);
		if (a->remote_thumbprint != NULL)
			ascii_upper(a->remote_thumbprint);
	}
	if (e->time != TIME_UNKNOWN)
		tls_hour_add(ev, e->time - (((e->time % 3600) + 3600) % 3600),
		    e->ok ? 1 : 0, e->ok ? 0 : 1);
	tls_days_add(ev, a, e->time, e->ok);
	if (e->log_source != NULL && (a->last_file == NULL ||
	    strcmp(a->last_file, e->log_source) != 0)) {
		a->files++;
		free(a->last_file);
		a->last_file = xstrdup(e->log_source);
	}
}

/* The first sample is the one the older fields (log_source, sample_line) name. */
static void
tls_first_sample(struct ev_tls_agg *a)
{
	if (a->g.nsamples == 0)
		return;
	if (a->log_source == NULL || strcmp(a->log_source, a->g.samples[0].source) != 0 ||
	    a->sample_line != a->g.samples[0].line) {
		free(a->log_source);
		a->log_source = xstrdup(a->g.samples[0].source);
		a->sample_line = a->g.samples[0].line;
	}
}

/* ------------------------------------------------------------ sessions */

static void
session_key(struct log_key *k, const void *p)
{
	const struct ev_session_agg	*a = p;

	log_key_add(k, a->receive ? "r" : "s");
	log_key_add(k, a->connector);
	log_key_add(k, a->remote);
	log_key_add_int(k, a->starttls_offered);
	log_key_add_int(k, a->anonymous_tls_offered);
	log_key_add_int(k, a->tls);
}

static int
cmp_session(const void *pa, const void *pb)
{
	const struct ev_session_agg	*a = pa, *b = pb;
	int				 c;

	if (a->tls != b->tls)
		return a->tls < b->tls ? -1 : 1;
	if ((c = log_cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return log_cmp_group(&a->g, &b->g);
}

static const size_t session_owned[] = {
	offsetof(struct ev_session_agg, server),
	offsetof(struct ev_session_agg, connector),
	offsetof(struct ev_session_agg, remote),
};

static const struct log_family log_sessions = {
	LOG_ARRAY(sessions), LOG_AGG(struct ev_session_agg),
	.receive = offsetof(struct ev_session_agg, receive),
	.owned = session_owned, .nowned = NITEMS(session_owned),
	.key = session_key, .cmp = cmp_session,
};

void
evidence_add_session(struct evidence *ev, const struct ev_log_event *e,
    bool starttls, bool anonymous_tls, int tls)
{
	struct ev_session_agg	probe;
	struct host		host;
	bool			created;

	memset(&probe, 0, sizeof probe);
	probe.receive = e->receive;
	probe.connector = (char *)e->connector;
	probe.remote = host_of(&host, e->remote_endpoint);
	probe.starttls_offered = starttls;
	probe.anonymous_tls_offered = anonymous_tls;
	probe.tls = tls;
	(void)log_add(ev, &log_sessions, &probe, e->log_source, e->line,
	    e->time, &created);
	free(host.heap);
}

/* ----------------------------------------------------- connect failures */

static void
connfail_key(struct log_key *k, const void *p)
{
	const struct ev_connect_failure_agg	*a = p;

	log_key_add(k, a->connector);
	log_key_add_int(k, a->winsock_error);
	log_key_add(k, a->destination);
}

static int
cmp_connfail(const void *pa, const void *pb)
{
	const struct ev_connect_failure_agg	*a = pa, *b = pb;
	int					 c;

	if ((c = log_cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return log_cmp_group(&a->g, &b->g);
}

static const size_t connfail_owned[] = {
	offsetof(struct ev_connect_failure_agg, server),
	offsetof(struct ev_connect_failure_agg, connector),
	offsetof(struct ev_connect_failure_agg, destination),
	offsetof(struct ev_connect_failure_agg, sample_text),
};

/* Connect failures are the sending side's: no direction. */
static const struct log_family log_connfail = {
	LOG_ARRAY(connfail), LOG_AGG(struct ev_connect_failure_agg),
	.receive = -1,
	.owned = connfail_owned, .nowned = NITEMS(connfail_owned),
	.key = connfail_key, .cmp = cmp_connfail,
};

void
evidence_add_connect_failure(struct evidence *ev, const struct ev_log_event *e,
    long winsock_error, const char *destination)
{
	struct ev_connect_failure_agg	probe;
	struct host			host;
	bool				created;

	memset(&probe, 0, sizeof probe);
	host.heap = NULL;
	probe.connector = (char *)e->connector;
	probe.winsock_error = winsock_error;
	probe.destination = destination != NULL ? (char *)destination :
	    host_of(&host, e->remote_endpoint);
	probe.sample_text = (char *)e->text;
	(void)log_add(ev, &log_connfail, &probe, e->log_source, e->line,
	    e->time, &created);
	free(host.heap);
}

/* ------------------------------------------------------------ responses */

static void
response_key(struct log_key *k, const void *p)
{
	const struct ev_response_agg	*a = p;

	log_key_add(k, a->receive ? "r" : "s");
	log_key_add(k, a->connector);
	log_key_add(k, a->code);
}

static int
cmp_response(const void *pa, const void *pb)
{
	const struct ev_response_agg	*a = pa, *b = pb;
	int				 c;

	if ((c = log_cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return log_cmp_group(&a->g, &b->g);
}

static const size_t response_owned[] = {
	offsetof(struct ev_response_agg, server),
	offsetof(struct ev_response_agg, connector),
	offsetof(struct ev_response_agg, code),
	offsetof(struct ev_response_agg, sample_text),
};

static const struct log_family log_responses = {
	LOG_ARRAY(responses), LOG_AGG(struct ev_response_agg),
	.receive = offsetof(struct ev_response_agg, receive),
	.owned = response_owned, .nowned = NITEMS(response_owned),
	.key = response_key, .cmp = cmp_response,
};

void
evidence_add_response(struct evidence *ev, const struct ev_log_event *e,
    const char *code)
{
	struct ev_response_agg	probe;
	bool			created;

	memset(&probe, 0, sizeof probe);
	probe.receive = e->receive;
	probe.connector = (char *)e->connector;
	probe.code = (char *)code;
	probe.sample_text = (char *)e->text;
	(void)log_add(ev, &log_responses, &probe, e->log_source, e->line,
	    e->time, &created);
}

/* ------------------------------------------------------------ banners */

static void
banner_key(struct log_key *k, const void *p)
{
	const struct ev_banner_agg	*a = p;

	log_key_add(k, a->connector);
	log_key_add_int(k, a->offset_minutes);
}

static int
cmp_banner(const void *pa, const void *pb)
{
	const struct ev_banner_agg	*a = pa, *b = pb;
	int				 c;

	if ((c = log_cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->offset_minutes != b->offset_minutes)
		return a->offset_minutes < b->offset_minutes ? -1 : 1;
	return log_cmp_group(&a->g, &b->g);
}

static const size_t banner_owned[] = {
	offsetof(struct ev_banner_agg, server),
	offsetof(struct ev_banner_agg, connector),
	offsetof(struct ev_banner_agg, sample_text),
};

static const struct log_family log_banners = {
	LOG_ARRAY(banners), LOG_AGG(struct ev_banner_agg),
	.receive = offsetof(struct ev_banner_agg, receive),
	.owned = banner_owned, .nowned = NITEMS(banner_owned),
	.key = banner_key, .cmp = cmp_banner,
};

void
evidence_add_banner(struct evidence *ev, const struct ev_log_event *e,
    int offset_minutes)
{
	struct ev_banner_agg	probe;
	bool			created;

	memset(&probe, 0, sizeof probe);
	probe.receive = true;
	probe.connector = (char *)e->connector;
	probe.offset_minutes = offset_minutes;
	probe.sample_text = (char *)e->text;
	(void)log_add(ev, &log_banners, &probe, e->log_source, e->line,
	    e->time, &created);
}

/* ------------------------------------------------------------ the table */

static const struct log_family *const log_families[] = {
	&log_tls, &log_sessions, &log_connfail, &log_responses, &log_banners,
};
#define NFAMILIES	NITEMS(log_families)

void
evidence_logs_free(struct evidence *ev)
{
	size_t	i;

	for (i = 0; i < NFAMILIES; i++)
		log_free(ev, log_families[i]);
	free(ev->tls_hours);
	ev->tls_hours = NULL;
	ev->ntls_hours = ev->tls_hours_cap = 0;
	tls_days_free(ev);
}

static void
summary_add(struct log_summary *d, const struct log_summary *s)
{
	d->files += s->files;
	d->rows += s->rows;
	d->sessions += s->sessions;
	d->tls_ok += s->tls_ok;
	d->tls_failed += s->tls_failed;
	d->bad_rows += s->bad_rows;
	d->connect_failures += s->connect_failures;
	d->responses += s->responses;
	d->long_lines += s->long_lines;
	d->headerless_files += s->headerless_files;
	if (s->first != TIME_UNKNOWN && (d->first == TIME_UNKNOWN || s->first < d->first))
		d->first = s->first;
	if (s->last != TIME_UNKNOWN && (d->last == TIME_UNKNOWN || s->last > d->last))
		d->last = s->last;
}

void
evidence_take_logs(struct evidence *dst, struct evidence *src)
{
	size_t	i;

	/* The indexes are rebuilt by evidence_logs_finish(). */
	for (i = 0; i < NFAMILIES; i++)
		log_take(dst, src, log_families[i]);
	summary_add(&dst->logs, &src->logs);
	for (i = 0; i < src->ntls_hours; i++)
		tls_hour_add(dst, src->tls_hours[i].hour, src->tls_hours[i].ok,
		    src->tls_hours[i].failed);
	src->ntls_hours = 0;
	tls_days_take(dst, src);
	memset(&src->logs, 0, sizeof src->logs);
	src->logs.first = src->logs.last = TIME_UNKNOWN;
	/* Moved as they are: they were echoed when first added. */
	for (i = 0; i < src->diags.n; i++) {
		dst->diags.v = xreallocarray_grow(dst->diags.v, &dst->diags.cap,
		    dst->diags.n + 1, sizeof *dst->diags.v);
		dst->diags.v[dst->diags.n++] = src->diags.v[i];
	}
	src->diags.n = 0;
}

void
evidence_logs_finish(struct evidence *ev, const struct strlist *known)
{
	struct strlist	all = { 0 };
	size_t		i;

	/* Receive logs name their server (SERVER\Connector): it names paths too. */
	strlist_copy(&all, known);
	for (i = 0; i < NFAMILIES; i++)
		log_servers(ev, log_families[i], &all);
	strlist_sort_ci(&all);
	for (i = 0; i < NFAMILIES; i++)
		log_finish(ev, log_families[i], &all);
	for (i = 0; i < ev->ntls; i++)
		tls_first_sample(&ev->tls[i]);
	tls_days_finish(ev);
	strlist_free(&all);
}

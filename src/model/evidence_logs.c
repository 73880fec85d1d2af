/*
 * Log aggregates: TLS outcomes, sessions, connect failures and error
 * responses, each grouped by a key and found through a hash index, so adding
 * a row costs the same however many groups there are. Groups are scoped by
 * server when the row names it (SERVER\Connector) and by log folder until
 * evidence_logs_finish() can attribute the folder to a server.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "evidence.h"
#include "kinds/send_connector.h"

#define SEP	'\x1f'

/* ------------------------------------------------------------- the key */

/*
 * Keys are built field by field, most of them in the key's own buffer: a
 * key is copied to the heap only when it starts a new group.
 */
#define KEY_FIRST_CAP	256

struct key {
	char	*s;		/* stack, or the heap when it outgrew it */
	size_t	 n, cap;
	char	 stack[KEY_FIRST_CAP];
};

static void
key_init(struct key *k)
{
	k->s = k->stack;
	k->n = 0;
	k->cap = sizeof k->stack;
	k->s[0] = '\0';
}

/* The key as a string of its own, for a group; k is left empty. */
static char *
key_take(struct key *k)
{
	char	*s = k->s != k->stack ? k->s : xstrdup(k->stack);

	key_init(k);
	return s;
}

static void
key_free(struct key *k)
{
	if (k->s != k->stack)
		free(k->s);
	key_init(k);
}

/* Eight bytes lower-cased one by one (some are not ASCII). */
static uint64_t
lower8(uint64_t w)
{
	unsigned char	b[8];
	int		i;

	memcpy(b, &w, 8);
	for (i = 0; i < 8; i++)
		if (b[i] >= 'A' && b[i] <= 'Z')
			b[i] += 32;
	memcpy(&w, b, 8);
	return w;
}

/* One field, n bytes at v; v NULL is unknown, which differs from empty. */
static void
key_add_n(struct key *k, const char *v, size_t n)
{
	const uint64_t	lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
	uint64_t	w;
	size_t		i;
	char		*o;

	if (k->n + n + 3 > k->cap) {
		size_t	 cap = k->cap;
		char	*s;

		while (cap < k->n + n + 3)
			cap *= 2;
		s = xmalloc(cap);
		memcpy(s, k->s, k->n + 1);
		if (k->s != k->stack)
			free(k->s);
		k->s = s;
		k->cap = cap;
	}
	o = k->s + k->n;
	/* Unknown is a lone \x1e. */
	if (v == NULL)
		*o++ = '\x1e';
	/*
	 * Lower-cased eight ASCII bytes at a time: a byte has the high bit
	 * of b + 0x3F set from 'A' on, that of b + 0x25 from past 'Z'.
	 */
	for (i = 0; i + 8 <= n; i += 8, o += 8) {
		memcpy(&w, v + i, 8);
		if ((w & hi) == 0)
			w |= ((w + 0x3F * lo) & ~(w + 0x25 * lo) & hi) >> 2;
		else
			w = lower8(w);
		memcpy(o, &w, 8);
	}
	for (; i < n; i++) {
		char	c = v[i];

		*o++ = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	*o++ = SEP;
	*o = '\0';
	k->n = (size_t)(o - k->s);
}

static void
key_add(struct key *k, const char *v)
{
	key_add_n(k, v, v != NULL ? strlen(v) : 0);
}

static void
key_add_int(struct key *k, long v)
{
	char		 b[32], *p = b + sizeof b;
	unsigned long	 u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;

	/* What snprintf's "%ld" writes, without its cost on every session. */
	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	key_add(k, p);
}

/* Eight bytes at a time; only ever compared within one run. */
static uint64_t
key_hash(const char *s, size_t n)
{
	const uint64_t	m = 0xff51afd7ed558ccdull;
	uint64_t	h = 0x9E3779B97F4A7C15ull ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * m;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * m;
	return h ^ h >> 29;
}

/* ----------------------------------------------------------- the index */

/* An aggregate array seen generically: elements of `size`, group at `goff`. */
struct aggs {
	void			**v;
	size_t			 *n;
	size_t			 *cap;
	size_t			  size;
	size_t			  goff;
	struct ev_agg_index	 *ix;
};

static struct ev_log_group *
group_at(const struct aggs *a, size_t i)
{
	return (struct ev_log_group *)((char *)*a->v + i * a->size + a->goff);
}

static void
index_put(struct ev_agg_index *ix, uint64_t h, size_t i)
{
	size_t	s = (size_t)h & (ix->cap - 1);

	while (ix->slot[s] != 0)
		s = (s + 1) & (ix->cap - 1);
	ix->slot[s] = i + 1;
}

/* A power of two at least twice n. */
static size_t
pow2_for(size_t n)
{
	size_t	cap = 64;

	while (cap < n * 2)
		cap *= 2;
	return cap;
}

static void
index_rebuild(const struct aggs *a, size_t cap)
{
	size_t	i;

	free(a->ix->slot);
	a->ix->cap = cap;
	a->ix->slot = xcalloc(cap, sizeof *a->ix->slot);
	for (i = 0; i < *a->n; i++)
		index_put(a->ix, group_at(a, i)->hash, i);
}

/* The aggregate with this key, or a new zeroed one (key and hash set). */
static void *
aggs_get(const struct aggs *a, struct key *k, bool *created)
{
	struct ev_log_group	*g;
	uint64_t		 h = key_hash(k->s, k->n);
	size_t			 s, i;
	char			*elem;

	if (a->ix->cap != 0) {
		for (s = (size_t)h & (a->ix->cap - 1); a->ix->slot[s] != 0;
		    s = (s + 1) & (a->ix->cap - 1)) {
			i = a->ix->slot[s] - 1;
			g = group_at(a, i);
			if (g->hash == h && strcmp(g->key, k->s) == 0) {
				key_free(k);
				*created = false;
				return (char *)*a->v + i * a->size;
			}
		}
	}
	*a->v = xreallocarray_grow(*a->v, a->cap, *a->n + 1, a->size);
	elem = (char *)*a->v + *a->n * a->size;
	memset(elem, 0, a->size);
	g = (struct ev_log_group *)(elem + a->goff);
	g->key = key_take(k);
	g->hash = h;
	(*a->n)++;
	if ((*a->n) * 2 > a->ix->cap)
		index_rebuild(a, a->ix->cap ? a->ix->cap * 2 : 64);
	else
		index_put(a->ix, h, *a->n - 1);
	*created = true;
	return elem;
}

#define AGGS(ev, arr, type) { (void **)&(ev)->arr, &(ev)->n##arr, \
	&(ev)->arr##_cap, sizeof(type), offsetof(type, g), &(ev)->arr##_index }

/* ------------------------------------------------------------- helpers */

static char *
dir_of(const char *path)
{
	const char	*slash = path != NULL ? strrchr(path, '/') : NULL;

	return slash != NULL ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

/*
 * The host of an endpoint: "192.0.2.1:25" -> "192.0.2.1", "[2001:db8::1]:25"
 * -> "2001:db8::1"; a bare IPv6 address is left whole. Its bytes in *p, *n;
 * false when there is none.
 */
static bool
host_span(const char *ep, const char **p, size_t *n)
{
	const char	*colon, *q;

	if (ep == NULL || *ep == '\0')
		return false;
	*p = ep;
	*n = strlen(ep);
	if (ep[0] == '[' && (q = strchr(ep, ']')) != NULL) {
		*p = ep + 1;
		*n = (size_t)(q - ep - 1);
		return true;
	}
	colon = strrchr(ep, ':');
	if (colon == NULL || strchr(ep, ':') != colon)
		return true;
	for (q = colon + 1; *q >= '0' && *q <= '9'; q++)
		;
	if (*q != '\0' || q == colon + 1)
		return true;
	*n = (size_t)(colon - ep);
	return true;
}

static char *
host_of(const char *ep)
{
	const char	*p;
	size_t		 n;

	return host_span(ep, &p, &n) ? xstrndup(p, n) : NULL;
}

/* A key field for the host of an endpoint, without a copy of it. */
static void
key_add_host(struct key *k, const char *ep)
{
	const char	*p;
	size_t		 n;

	if (host_span(ep, &p, &n))
		key_add_n(k, p, n);
	else
		key_add(k, NULL);
}

static void
group_init(struct ev_log_group *g, const char *source)
{
	g->log_dir = dir_of(source);
}

static void
sample_add(struct ev_log_group *g, const char *source, long line)
{
	if (g->nsamples == EV_LOG_SAMPLES || source == NULL)
		return;
	g->samples[g->nsamples].source = xstrdup(source);
	g->samples[g->nsamples].line = line;
	g->nsamples++;
}

static void
span_add(int64_t *first, int64_t *last, int64_t t)
{
	if (t == TIME_UNKNOWN)
		return;
	if (*first == TIME_UNKNOWN || t < *first)
		*first = t;
	if (*last == TIME_UNKNOWN || t > *last)
		*last = t;
}

/* The scope of a new group: its server when known, else its folder. */
static void
key_scope(struct key *k, const char *server, const char *source)
{
	const char	*slash = source != NULL ? strrchr(source, '/') : NULL;

	if (server != NULL) {
		key_add(k, "s");
		key_add(k, server);
		return;
	}
	/* dir_of(source), in place. */
	key_add(k, "d");
	key_add_n(k, source != NULL ? source : "",
	    slash != NULL ? (size_t)(slash - source) : 0);
}

/* A key field for the server of a receive connector id (SERVER\Name). */
static void
key_add_server_scope(struct key *k, bool receive, const char *connector,
    const char *source)
{
	const char	*bs;

	if (receive && connector != NULL &&
	    (bs = strchr(connector, '\\')) != NULL && bs != connector) {
		key_add(k, "s");
		key_add_n(k, connector, (size_t)(bs - connector));
	} else
		key_scope(k, NULL, source);
}

/* ------------------------------------------------------------ TLS rows */

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
	struct aggs		 aa = AGGS(ev, tls, struct ev_tls_agg);
	struct ev_tls_agg	*a;
	struct key		 k;
	bool			 created;

	/* The key straight from the event: nothing is copied unless new. */
	key_init(&k);
	key_add_server_scope(&k, e->receive, e->connector, e->log_source);
	key_add(&k, e->receive ? "r" : "s");
	key_add(&k, e->connector);
	key_add_host(&k, e->remote_endpoint);
	key_add(&k, e->cert_thumbprint);
	key_add(&k, e->cert_thumbprint == NULL ? e->cert_subject : "");
	key_add(&k, e->cert_thumbprint == NULL ? e->cert_issuer : "");
	key_add(&k, e->remote_thumbprint);
	key_add(&k, e->ok ? "ok" : "failed");
	key_add(&k, e->ok ? NULL : e->error);
	key_add(&k, e->protocol);
	key_add(&k, e->cipher);

	a = aggs_get(&aa, &k, &created);
	if (created) {
		group_init(&a->g, e->log_source);
		a->server = attr_server_from_identity(e->receive ? e->connector : NULL);
		a->receive = e->receive;
		a->connector = xstrdup(e->connector);
		a->remote = host_of(e->remote_endpoint);
		a->cert_thumbprint = xstrdup(e->cert_thumbprint);
		if (a->cert_thumbprint != NULL)
			ascii_upper(a->cert_thumbprint);
		a->cert_subject = xstrdup(e->cert_subject);
		a->cert_issuer = xstrdup(e->cert_issuer);
		a->remote_thumbprint = xstrdup(e->remote_thumbprint);
		if (a->remote_thumbprint != NULL)
			ascii_upper(a->remote_thumbprint);
		a->remote_subject = xstrdup(e->remote_subject);
		a->ok = e->ok;
		a->error = xstrdup(e->ok ? NULL : e->error);
		a->protocol = xstrdup(e->protocol);
		a->cipher = xstrdup(e->cipher);
		a->first = a->last = TIME_UNKNOWN;
		a->log_source = xstrdup(e->log_source);
		a->sample_line = e->line;
		a->sample_text = xstrdup(e->text);
	}
	sample_add(&a->g, e->log_source, e->line);
	a->count++;
	span_add(&a->first, &a->last, e->time);
	if (e->time != TIME_UNKNOWN)
		tls_hour_add(ev, e->time - (((e->time % 3600) + 3600) % 3600),
		    e->ok ? 1 : 0, e->ok ? 0 : 1);
	if (e->log_source != NULL && (a->last_file == NULL ||
	    strcmp(a->last_file, e->log_source) != 0)) {
		a->files++;
		free(a->last_file);
		a->last_file = xstrdup(e->log_source);
	}
}

/* ------------------------------------------- sessions, failures, codes */

void
evidence_add_session(struct evidence *ev, const struct ev_log_event *e,
    bool starttls, bool anonymous_tls, int tls)
{
	struct aggs		 aa = AGGS(ev, sessions, struct ev_session_agg);
	struct ev_session_agg	*a;
	struct key		 k;
	bool			 created;

	key_init(&k);
	key_add_server_scope(&k, e->receive, e->connector, e->log_source);
	key_add(&k, e->receive ? "r" : "s");
	key_add(&k, e->connector);
	key_add_host(&k, e->remote_endpoint);
	key_add_int(&k, starttls);
	key_add_int(&k, anonymous_tls);
	key_add_int(&k, tls);
	a = aggs_get(&aa, &k, &created);
	if (created) {
		group_init(&a->g, e->log_source);
		a->server = attr_server_from_identity(e->receive ? e->connector : NULL);
		a->receive = e->receive;
		a->connector = xstrdup(e->connector);
		a->remote = host_of(e->remote_endpoint);
		a->starttls_offered = starttls;
		a->anonymous_tls_offered = anonymous_tls;
		a->tls = tls;
		a->first = a->last = TIME_UNKNOWN;
	}
	sample_add(&a->g, e->log_source, e->line);
	a->count++;
	span_add(&a->first, &a->last, e->time);
}

void
evidence_add_connect_failure(struct evidence *ev, const struct ev_log_event *e,
    long winsock_error, const char *destination)
{
	struct aggs			 aa = AGGS(ev, connfail,
					    struct ev_connect_failure_agg);
	struct ev_connect_failure_agg	*a;
	struct key			 k;
	char				*dest;
	bool				 created;

	dest = destination != NULL ? xstrdup(destination) :
	    host_of(e->remote_endpoint);
	key_init(&k);
	key_scope(&k, NULL, e->log_source);
	key_add(&k, e->connector);
	key_add_int(&k, winsock_error);
	key_add(&k, dest);
	a = aggs_get(&aa, &k, &created);
	if (created) {
		group_init(&a->g, e->log_source);
		a->connector = xstrdup(e->connector);
		a->winsock_error = winsock_error;
		a->destination = dest;
		a->first = a->last = TIME_UNKNOWN;
		a->sample_text = xstrdup(e->text);
	} else
		free(dest);
	sample_add(&a->g, e->log_source, e->line);
	a->count++;
	span_add(&a->first, &a->last, e->time);
}

void
evidence_add_response(struct evidence *ev, const struct ev_log_event *e,
    const char *code)
{
	struct aggs		 aa = AGGS(ev, responses, struct ev_response_agg);
	struct ev_response_agg	*a;
	struct key		 k;
	char			*server;
	bool			 created;

	server = attr_server_from_identity(e->receive ? e->connector : NULL);
	key_init(&k);
	key_scope(&k, server, e->log_source);
	key_add(&k, e->receive ? "r" : "s");
	key_add(&k, e->connector);
	key_add(&k, code);
	a = aggs_get(&aa, &k, &created);
	if (created) {
		group_init(&a->g, e->log_source);
		a->server = server;
		a->receive = e->receive;
		a->connector = xstrdup(e->connector);
		a->code = xstrdup(code);
		a->first = a->last = TIME_UNKNOWN;
		a->sample_text = xstrdup(e->text);
	} else
		free(server);
	sample_add(&a->g, e->log_source, e->line);
	a->count++;
	span_add(&a->first, &a->last, e->time);
}

/* ------------------------------------------------------------- freeing */

static void
group_clear(struct ev_log_group *g)
{
	size_t	i;

	free(g->log_dir);
	free(g->key);
	for (i = 0; i < g->nsamples; i++)
		free(g->samples[i].source);
	memset(g, 0, sizeof *g);
}

static void
tls_agg_clear(struct ev_tls_agg *t)
{
	free(t->log_source);
	free(t->server);
	free(t->connector);
	free(t->cert_thumbprint);
	free(t->cert_subject);
	free(t->cert_issuer);
	free(t->error);
	free(t->protocol);
	free(t->cipher);
	free(t->sample_text);
	free(t->remote);
	free(t->remote_thumbprint);
	free(t->remote_subject);
	free(t->last_file);
	group_clear(&t->g);
}

static void
session_agg_clear(struct ev_session_agg *a)
{
	free(a->server);
	free(a->connector);
	free(a->remote);
	group_clear(&a->g);
}

static void
connfail_agg_clear(struct ev_connect_failure_agg *a)
{
	free(a->server);
	free(a->connector);
	free(a->destination);
	free(a->sample_text);
	group_clear(&a->g);
}

static void
response_agg_clear(struct ev_response_agg *a)
{
	free(a->server);
	free(a->connector);
	free(a->code);
	free(a->sample_text);
	group_clear(&a->g);
}

static void
index_free(struct ev_agg_index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->cap = 0;
}

void
evidence_logs_free(struct evidence *ev)
{
	size_t	i;

	for (i = 0; i < ev->ntls; i++)
		tls_agg_clear(&ev->tls[i]);
	free(ev->tls);
	for (i = 0; i < ev->nsessions; i++)
		session_agg_clear(&ev->sessions[i]);
	free(ev->sessions);
	for (i = 0; i < ev->nconnfail; i++)
		connfail_agg_clear(&ev->connfail[i]);
	free(ev->connfail);
	for (i = 0; i < ev->nresponses; i++)
		response_agg_clear(&ev->responses[i]);
	free(ev->responses);
	free(ev->tls_hours);
	ev->tls_hours = NULL;
	ev->ntls_hours = ev->tls_hours_cap = 0;
	index_free(&ev->tls_index);
	index_free(&ev->sessions_index);
	index_free(&ev->connfail_index);
	index_free(&ev->responses_index);
	ev->tls = NULL;
	ev->sessions = NULL;
	ev->connfail = NULL;
	ev->responses = NULL;
	ev->ntls = ev->tls_cap = ev->nsessions = ev->sessions_cap = 0;
	ev->nconnfail = ev->connfail_cap = ev->nresponses = ev->responses_cap = 0;
}

/* --------------------------------------------------------- taking over */

static void
append(void **dv, size_t *dn, size_t *dcap, void **sv, size_t *sn, size_t *scap,
    size_t size)
{
	if (*sn == 0)
		return;
	*dv = xreallocarray_grow(*dv, dcap, *dn + *sn, size);
	memcpy((char *)*dv + *dn * size, *sv, *sn * size);
	*dn += *sn;
	free(*sv);
	*sv = NULL;
	*sn = *scap = 0;
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
	append((void **)&dst->tls, &dst->ntls, &dst->tls_cap, (void **)&src->tls,
	    &src->ntls, &src->tls_cap, sizeof *src->tls);
	append((void **)&dst->sessions, &dst->nsessions, &dst->sessions_cap,
	    (void **)&src->sessions, &src->nsessions, &src->sessions_cap,
	    sizeof *src->sessions);
	append((void **)&dst->connfail, &dst->nconnfail, &dst->connfail_cap,
	    (void **)&src->connfail, &src->nconnfail, &src->connfail_cap,
	    sizeof *src->connfail);
	append((void **)&dst->responses, &dst->nresponses, &dst->responses_cap,
	    (void **)&src->responses, &src->nresponses, &src->responses_cap,
	    sizeof *src->responses);
	index_free(&dst->tls_index);
	index_free(&dst->sessions_index);
	index_free(&dst->connfail_index);
	index_free(&dst->responses_index);
	summary_add(&dst->logs, &src->logs);
	for (i = 0; i < src->ntls_hours; i++)
		tls_hour_add(dst, src->tls_hours[i].hour, src->tls_hours[i].ok,
		    src->tls_hours[i].failed);
	src->ntls_hours = 0;
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

/* ------------------------------------------------ attribution, merging */

static int
cmp_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_sample(const void *pa, const void *pb)
{
	const struct ev_log_sample	*a = pa, *b = pb;
	int				 c;

	if ((c = strcmp(a->source, b->source)) != 0)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

/* src's samples and span into dst; src's samples are taken. */
static void
group_merge(struct ev_log_group *dst, struct ev_log_group *src)
{
	struct ev_log_sample	all[2 * EV_LOG_SAMPLES];
	size_t			n = 0, i;

	for (i = 0; i < dst->nsamples; i++)
		all[n++] = dst->samples[i];
	for (i = 0; i < src->nsamples; i++)
		all[n++] = src->samples[i];
	src->nsamples = 0;
	qsort(all, n, sizeof all[0], cmp_sample);
	for (i = 0; i < n; i++) {
		if (i < EV_LOG_SAMPLES)
			dst->samples[i] = all[i];
		else
			free(all[i].source);
	}
	dst->nsamples = n < EV_LOG_SAMPLES ? n : EV_LOG_SAMPLES;
}

/*
 * Folder names where the Exchange tree starts below a server's folder or
 * zip. Not "Logs": too common a name for the folder above it to be a server.
 */
static bool
is_tree_root(const char *c, size_t n)
{
	static const char *const roots[] = { "TransportRoles", "V15",
	    "V14", "Exchange Server", "Program Files", "ProtocolLog", NULL };
	size_t	i;

	for (i = 0; roots[i] != NULL; i++)
		if (strlen(roots[i]) == n && ascii_ncasecmp(c, roots[i], n) == 0)
			return true;
	return false;
}

/*
 * The server a log path names by its layout, when no other evidence names
 * it: the folder or zip just above the Exchange tree ("EX02/TransportRoles/
 * ...", "EX01-1110.zip/TransportRoles/..."), without ".zip" and a trailing
 * "-1110" collection stamp. A NetBIOS-like name only; else NULL.
 */
static char *
server_from_layout(const char *path)
{
	const char	*comp, *end, *prev = NULL;
	size_t		 plen = 0, n, i;

	for (comp = path; comp != NULL && *comp != '\0'; comp = end ? end + 1 : NULL) {
		end = strchr(comp, '/');
		n = end ? (size_t)(end - comp) : strlen(comp);
		if (end == NULL)
			break;	/* the file itself */
		if (is_tree_root(comp, n)) {
			if (prev == NULL)
				return NULL;
			n = plen;
			if (n > 4 && ascii_ncasecmp(prev + n - 4, ".zip", 4) == 0)
				n -= 4;
			for (i = n; i > 0 && prev[i - 1] >= '0' && prev[i - 1] <= '9'; i--)
				;
			if (i > 1 && i < n && (prev[i - 1] == '-' || prev[i - 1] == '_'))
				n = i - 1;
			if (n == 0 || n > 15)
				return NULL;
			for (i = 0; i < n; i++)
				if (!((prev[i] >= 'A' && prev[i] <= 'Z') ||
				    (prev[i] >= 'a' && prev[i] <= 'z') ||
				    (prev[i] >= '0' && prev[i] <= '9') || prev[i] == '-'))
					return NULL;
			return xstrndup(prev, n);
		}
		prev = comp;
		plen = n;
	}
	return NULL;
}

/* A copy of the name of the server a group's logs come from, or NULL. */
static char *
attribute(const struct evidence *ev, const struct ev_log_group *g,
    const char *connector, bool receive, const struct strlist *servers)
{
	const struct ev_send_connector	*sc;
	const char			*path, *s;
	char				*guess;
	size_t				 i;

	path = g->nsamples > 0 ? g->samples[0].source : g->log_dir;
	s = evidence_server_from_path(path, servers);
	/* A send connector with a single source server sends from it. */
	for (i = 0; s == NULL && !receive && connector != NULL && i < ev->nsendc; i++) {
		sc = &ev->sendc[i];
		if (sc->name != NULL && ascii_casecmp(sc->name, connector) == 0 &&
		    sc->source_servers.n == 1 && !sc->source_servers_incomplete)
			s = sc->source_servers.v[0];
	}
	if (s != NULL)
		return xstrdup(s);
	if ((guess = server_from_layout(path)) != NULL)
		return guess;
	if (servers->n == 1)
		return xstrdup(servers->v[0]);
	return NULL;
}

/*
 * Attributes each group without a server, rekeys it by server (or keeps its
 * folder), and merges equal groups into the first. `fold` adds b's counts
 * into a; `clear` frees b.
 */
static void
finish_aggs(struct evidence *ev, const struct aggs *a,
    const struct strlist *servers,
    char **(*server_of)(void *), void (*rekey)(void *, struct key *),
    void (*fold)(void *, void *), void (*clear)(void *),
    const char *(*conn)(void *), bool (*recv)(void *))
{
	struct ev_log_group	*g, *h;
	struct key		 k;
	size_t			 i, j, out = 0, s;
	char			*elem, **srv;

	index_free(a->ix);
	for (i = 0; i < *a->n; i++) {
		elem = (char *)*a->v + i * a->size;
		g = group_at(a, i);
		srv = server_of(elem);
		if (*srv == NULL)
			*srv = attribute(ev, g, conn(elem), recv(elem), servers);
		key_init(&k);
		key_scope(&k, *srv, g->nsamples > 0 ? g->samples[0].source : NULL);
		if (*srv == NULL) {
			/* key_scope took the folder of a sample: use the group's. */
			key_free(&k);
			key_add(&k, "d");
			key_add(&k, g->log_dir);
		}
		rekey(elem, &k);
		free(g->key);
		g->hash = key_hash(k.s, k.n);
		g->key = key_take(&k);
	}
	/* Merge: later duplicates fold into the first of their key. */
	a->ix->cap = pow2_for(*a->n);
	a->ix->slot = xcalloc(a->ix->cap, sizeof *a->ix->slot);
	for (i = 0; i < *a->n; i++) {
		elem = (char *)*a->v + i * a->size;
		g = group_at(a, i);
		for (s = (size_t)g->hash & (a->ix->cap - 1); a->ix->slot[s] != 0;
		    s = (s + 1) & (a->ix->cap - 1)) {
			j = a->ix->slot[s] - 1;
			h = group_at(a, j);
			if (h->hash == g->hash && strcmp(h->key, g->key) == 0)
				break;
		}
		if (a->ix->slot[s] != 0) {
			j = a->ix->slot[s] - 1;
			fold((char *)*a->v + j * a->size, elem);
			group_merge(group_at(a, j), g);
			clear(elem);
			continue;
		}
		if (out != i)
			memcpy((char *)*a->v + out * a->size, elem, a->size);
		a->ix->slot[s] = out + 1;
		out++;
	}
	*a->n = out;
}

static void
fold_span(long *count, int64_t *first, int64_t *last, long bc, int64_t bf,
    int64_t bl)
{
	*count += bc;
	span_add(first, last, bf);
	span_add(first, last, bl);
}

static char **
tls_server(void *p)
{
	return &((struct ev_tls_agg *)p)->server;
}

static void
tls_rekey(void *p, struct key *k)
{
	struct ev_tls_agg	*a = p;

	key_add(k, a->receive ? "r" : "s");
	key_add(k, a->connector);
	key_add(k, a->remote);
	key_add(k, a->cert_thumbprint);
	key_add(k, a->cert_thumbprint == NULL ? a->cert_subject : "");
	key_add(k, a->cert_thumbprint == NULL ? a->cert_issuer : "");
	key_add(k, a->remote_thumbprint);
	key_add(k, a->ok ? "ok" : "failed");
	key_add(k, a->error);
	key_add(k, a->protocol);
	key_add(k, a->cipher);
}

static void
tls_fold(void *pa, void *pb)
{
	struct ev_tls_agg	*a = pa, *b = pb;
	char			*t;

	fold_span(&a->count, &a->first, &a->last, b->count, b->first, b->last);
	a->files += b->files;
	/* Keep the text of the sample that will come first. */
	if (a->g.nsamples > 0 && b->g.nsamples > 0 &&
	    cmp_sample(&b->g.samples[0], &a->g.samples[0]) < 0) {
		t = a->sample_text;
		a->sample_text = b->sample_text;
		b->sample_text = t;
	}
}

static void
tls_clear(void *p)
{
	tls_agg_clear(p);
}

static const char *
tls_conn(void *p)
{
	return ((struct ev_tls_agg *)p)->connector;
}

static bool
tls_recv(void *p)
{
	return ((struct ev_tls_agg *)p)->receive;
}

static char **
ses_server(void *p)
{
	return &((struct ev_session_agg *)p)->server;
}

static void
ses_rekey(void *p, struct key *k)
{
	struct ev_session_agg	*a = p;

	key_add(k, a->receive ? "r" : "s");
	key_add(k, a->connector);
	key_add(k, a->remote);
	key_add_int(k, a->starttls_offered);
	key_add_int(k, a->anonymous_tls_offered);
	key_add_int(k, a->tls);
}

static void
ses_fold(void *pa, void *pb)
{
	struct ev_session_agg	*a = pa, *b = pb;

	fold_span(&a->count, &a->first, &a->last, b->count, b->first, b->last);
}

static void
ses_clear(void *p)
{
	session_agg_clear(p);
}

static const char *
ses_conn(void *p)
{
	return ((struct ev_session_agg *)p)->connector;
}

static bool
ses_recv(void *p)
{
	return ((struct ev_session_agg *)p)->receive;
}

static char **
cf_server(void *p)
{
	return &((struct ev_connect_failure_agg *)p)->server;
}

static void
cf_rekey(void *p, struct key *k)
{
	struct ev_connect_failure_agg	*a = p;

	key_add(k, a->connector);
	key_add_int(k, a->winsock_error);
	key_add(k, a->destination);
}

static void
cf_fold(void *pa, void *pb)
{
	struct ev_connect_failure_agg	*a = pa, *b = pb;

	fold_span(&a->count, &a->first, &a->last, b->count, b->first, b->last);
}

static void
cf_clear(void *p)
{
	connfail_agg_clear(p);
}

static const char *
cf_conn(void *p)
{
	return ((struct ev_connect_failure_agg *)p)->connector;
}

static bool
cf_recv(void *p)
{
	(void)p;
	return false;
}

static char **
rs_server(void *p)
{
	return &((struct ev_response_agg *)p)->server;
}

static void
rs_rekey(void *p, struct key *k)
{
	struct ev_response_agg	*a = p;

	key_add(k, a->receive ? "r" : "s");
	key_add(k, a->connector);
	key_add(k, a->code);
}

static void
rs_fold(void *pa, void *pb)
{
	struct ev_response_agg	*a = pa, *b = pb;

	fold_span(&a->count, &a->first, &a->last, b->count, b->first, b->last);
}

static void
rs_clear(void *p)
{
	response_agg_clear(p);
}

static const char *
rs_conn(void *p)
{
	return ((struct ev_response_agg *)p)->connector;
}

static bool
rs_recv(void *p)
{
	return ((struct ev_response_agg *)p)->receive;
}

/* ------------------------------------------------------------- sorting */

static int
cmp_group(const struct ev_log_group *a, const struct ev_log_group *b)
{
	int	c;

	if ((c = cmp_opt(a->key, b->key)) != 0)
		return c;
	return cmp_opt(a->log_dir, b->log_dir);
}

/* Failing groups first, then by server, direction, connector, most rows first. */
static int
cmp_tls(const void *pa, const void *pb)
{
	const struct ev_tls_agg	*a = pa, *b = pb;
	int			 c;

	if (a->ok != b->ok)
		return a->ok ? 1 : -1;
	if ((c = cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->receive != b->receive)
		return a->receive ? 1 : -1;
	if ((c = cmp_opt(a->connector, b->connector)) != 0)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return cmp_group(&a->g, &b->g);
}

static int
cmp_session(const void *pa, const void *pb)
{
	const struct ev_session_agg	*a = pa, *b = pb;
	int				 c;

	if (a->tls != b->tls)
		return a->tls < b->tls ? -1 : 1;
	if ((c = cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return cmp_group(&a->g, &b->g);
}

static int
cmp_connfail(const void *pa, const void *pb)
{
	const struct ev_connect_failure_agg	*a = pa, *b = pb;
	int					 c;

	if ((c = cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return cmp_group(&a->g, &b->g);
}

static int
cmp_response(const void *pa, const void *pb)
{
	const struct ev_response_agg	*a = pa, *b = pb;
	int				 c;

	if ((c = cmp_opt(a->server, b->server)) != 0)
		return c;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return cmp_group(&a->g, &b->g);
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

void
evidence_logs_finish(struct evidence *ev, const struct strlist *known)
{
	struct aggs	t = AGGS(ev, tls, struct ev_tls_agg);
	struct aggs	s = AGGS(ev, sessions, struct ev_session_agg);
	struct aggs	c = AGGS(ev, connfail, struct ev_connect_failure_agg);
	struct aggs	r = AGGS(ev, responses, struct ev_response_agg);
	struct strlist	all = { 0 }, *servers = &all;
	size_t		i;

	/* Receive logs name their server (SERVER\Connector): it names paths too. */
	strlist_copy(&all, known);
	for (i = 0; i < ev->ntls; i++)
		strlist_add_unique_ci(&all, ev->tls[i].server);
	for (i = 0; i < ev->nsessions; i++)
		strlist_add_unique_ci(&all, ev->sessions[i].server);
	for (i = 0; i < ev->nresponses; i++)
		strlist_add_unique_ci(&all, ev->responses[i].server);
	strlist_sort_ci(&all);

	finish_aggs(ev, &t, servers, tls_server, tls_rekey, tls_fold, tls_clear,
	    tls_conn, tls_recv);
	finish_aggs(ev, &s, servers, ses_server, ses_rekey, ses_fold, ses_clear,
	    ses_conn, ses_recv);
	finish_aggs(ev, &c, servers, cf_server, cf_rekey, cf_fold, cf_clear,
	    cf_conn, cf_recv);
	finish_aggs(ev, &r, servers, rs_server, rs_rekey, rs_fold, rs_clear,
	    rs_conn, rs_recv);
	for (i = 0; i < ev->ntls; i++)
		tls_first_sample(&ev->tls[i]);
	if (ev->ntls > 1)
		qsort(ev->tls, ev->ntls, sizeof *ev->tls, cmp_tls);
	if (ev->nsessions > 1)
		qsort(ev->sessions, ev->nsessions, sizeof *ev->sessions, cmp_session);
	if (ev->nconnfail > 1)
		qsort(ev->connfail, ev->nconnfail, sizeof *ev->connfail, cmp_connfail);
	if (ev->nresponses > 1)
		qsort(ev->responses, ev->nresponses, sizeof *ev->responses, cmp_response);
	/* The arrays moved under the indexes: rebuild them for later adds. */
	index_rebuild(&t, pow2_for(ev->ntls));
	index_rebuild(&s, pow2_for(ev->nsessions));
	index_rebuild(&c, pow2_for(ev->nconnfail));
	index_rebuild(&r, pow2_for(ev->nresponses));
	strlist_free(&all);
}

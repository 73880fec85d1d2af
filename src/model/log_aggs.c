/*
 * The one index, merge and order every log aggregate family uses
 * (log_aggs.h): rows grouped by a key and found through a hash index, so
 * adding a row costs the same however many groups there are. Groups are
 * scoped by server when the row names it (SERVER\Connector) and by log
 * folder until log_finish() can attribute the folder to a server.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "kinds/send_connector.h"
#include "log_aggs.h"

#define SEP	'\x1f'

/* ------------------------------------------------------------- the key */

void
log_key_init(struct log_key *k)
{
	k->s = k->stack;
	k->n = 0;
	k->cap = sizeof k->stack;
	k->s[0] = '\0';
}

/* The key as a string of its own, for a group; k is left empty. */
static char *
key_take(struct log_key *k)
{
	char	*s = k->s != k->stack ? k->s : xstrdup(k->stack);

	log_key_init(k);
	return s;
}

void
log_key_free(struct log_key *k)
{
	if (k->s != k->stack)
		free(k->s);
	log_key_init(k);
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
void
log_key_add_n(struct log_key *k, const char *v, size_t n)
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

void
log_key_add_int(struct log_key *k, long v)
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
	log_key_add(k, p);
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
aggs_get(const struct aggs *a, struct log_key *k, bool *created)
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
				log_key_free(k);
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

/* A family's array in one evidence, seen generically. */
static struct aggs
aggs_of(struct evidence *ev, const struct log_family *f)
{
	struct aggs	a;

	a.v = (void **)(void *)((char *)ev + f->array);
	a.n = (size_t *)(void *)((char *)ev + f->count);
	a.cap = (size_t *)(void *)((char *)ev + f->cap);
	a.size = f->size;
	a.goff = f->group;
	a.ix = (struct ev_agg_index *)(void *)((char *)ev + f->index);
	return a;
}

/* A field of an aggregate, by its offset. */
#define FIELD(agg, off, type)	((type *)(void *)((char *)(agg) + (off)))

static bool
agg_receive(const struct log_family *f, const void *agg)
{
	return f->receive >= 0 && *FIELD(agg, (size_t)f->receive, const bool);
}

static const char *
agg_connector(const struct log_family *f, const void *agg)
{
	return *FIELD(agg, f->connector, char *const);
}

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
bool
log_host_span(const char *ep, const char **p, size_t *n)
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

void
log_span_add(int64_t *first, int64_t *last, int64_t t)
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
key_scope(struct log_key *k, const char *server, const char *source)
{
	const char	*slash = source != NULL ? strrchr(source, '/') : NULL;

	if (server != NULL) {
		log_key_add(k, "s");
		log_key_add(k, server);
		return;
	}
	/* dir_of(source), in place. */
	log_key_add(k, "d");
	log_key_add_n(k, source != NULL ? source : "",
	    slash != NULL ? (size_t)(slash - source) : 0);
}

/* A key field for the server of a receive connector id (SERVER\Name). */
static void
key_add_server_scope(struct log_key *k, bool receive, const char *connector,
    const char *source)
{
	const char	*bs;

	if (receive && connector != NULL &&
	    (bs = strchr(connector, '\\')) != NULL && bs != connector) {
		log_key_add(k, "s");
		log_key_add_n(k, connector, (size_t)(bs - connector));
	} else
		key_scope(k, NULL, source);
}

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
index_free(struct ev_agg_index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->cap = 0;
}

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

/* ---------------------------------------------------------- adding rows */

void *
log_add(struct evidence *ev, const struct log_family *f, const void *probe,
    const char *source, long line, int64_t time, bool *created)
{
	struct aggs		 a = aggs_of(ev, f);
	struct ev_log_group	*g;
	struct log_key		 k;
	char			*agg, **s;
	size_t			 i;
	bool			 receive = agg_receive(f, probe);

	log_key_init(&k);
	key_add_server_scope(&k, receive, agg_connector(f, probe), source);
	f->key(&k, probe);
	agg = aggs_get(&a, &k, created);
	if (*created) {
		/* The probe's strings are borrowed: the group's are its own. */
		g = FIELD(agg, f->group, struct ev_log_group);
		memcpy(agg, probe, f->group);
		memcpy(agg + f->group + sizeof *g, (const char *)probe + f->group +
		    sizeof *g, f->size - f->group - sizeof *g);
		for (i = 0; i < f->nowned; i++) {
			s = FIELD(agg, f->owned[i], char *);
			*s = xstrdup(*s);
		}
		group_init(g, source);
		free(*FIELD(agg, f->server, char *));
		*FIELD(agg, f->server, char *) = attr_server_from_identity(receive ?
		    agg_connector(f, agg) : NULL);
		*FIELD(agg, f->n, long) = 0;
		*FIELD(agg, f->first, int64_t) = TIME_UNKNOWN;
		*FIELD(agg, f->last, int64_t) = TIME_UNKNOWN;
	}
	sample_add(FIELD(agg, f->group, struct ev_log_group), source, line);
	(*FIELD(agg, f->n, long))++;
	log_span_add(FIELD(agg, f->first, int64_t), FIELD(agg, f->last, int64_t),
	    time);
	return agg;
}

/* ----------------------------------------------------- taking, freeing */

/* An aggregate's strings and group freed. */
static void
agg_clear(const struct log_family *f, void *agg)
{
	size_t	i;

	for (i = 0; i < f->nowned; i++)
		free(*FIELD(agg, f->owned[i], char *));
	group_clear(FIELD(agg, f->group, struct ev_log_group));
}

void
log_free(struct evidence *ev, const struct log_family *f)
{
	struct aggs	a = aggs_of(ev, f);
	size_t		i;

	for (i = 0; i < *a.n; i++)
		agg_clear(f, (char *)*a.v + i * a.size);
	free(*a.v);
	*a.v = NULL;
	*a.n = *a.cap = 0;
	index_free(a.ix);
}

void
log_take(struct evidence *dst, struct evidence *src, const struct log_family *f)
{
	struct aggs	d = aggs_of(dst, f), s = aggs_of(src, f);

	append(d.v, d.n, d.cap, s.v, s.n, s.cap, f->size);
	/*
	 * The array moved under the index: rebuilt, so that rows added to dst
	 * later still find their groups (equal keys from src are merged by
	 * log_finish()).
	 */
	index_free(s.ix);
	index_rebuild(&d, pow2_for(*d.n));
}

/* ------------------------------------------------ attribution, merging */

int
log_cmp_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

int
log_cmp_sample(const struct ev_log_sample *a, const struct ev_log_sample *b)
{
	int	c;

	if ((c = strcmp(a->source, b->source)) != 0)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

static int
sample_order(const void *a, const void *b)
{
	return log_cmp_sample(a, b);
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
	qsort(all, n, sizeof all[0], sample_order);
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


int
log_cmp_group(const struct ev_log_group *a, const struct ev_log_group *b)
{
	int	c;

	if ((c = log_cmp_opt(a->key, b->key)) != 0)
		return c;
	return log_cmp_opt(a->log_dir, b->log_dir);
}

/*
 * Attributes each group without a server, rekeys it by server (or keeps its
 * folder), and merges equal groups into the first.
 */
static void
finish_aggs(struct evidence *ev, const struct log_family *f,
    const struct aggs *a, const struct strlist *servers)
{
	struct ev_log_group	*g, *h;
	struct log_key		 k;
	size_t			 i, j, out = 0, s;
	char			*elem, *into, **srv;

	index_free(a->ix);
	for (i = 0; i < *a->n; i++) {
		elem = (char *)*a->v + i * a->size;
		g = group_at(a, i);
		srv = FIELD(elem, f->server, char *);
		if (*srv == NULL)
			*srv = attribute(ev, g, agg_connector(f, elem),
			    agg_receive(f, elem), servers);
		log_key_init(&k);
		key_scope(&k, *srv, g->nsamples > 0 ? g->samples[0].source : NULL);
		if (*srv == NULL) {
			/* key_scope took the folder of a sample: use the group's. */
			log_key_free(&k);
			log_key_add(&k, "d");
			log_key_add(&k, g->log_dir);
		}
		f->key(&k, elem);
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
			into = (char *)*a->v + j * a->size;
			*FIELD(into, f->n, long) += *FIELD(elem, f->n, long);
			log_span_add(FIELD(into, f->first, int64_t),
			    FIELD(into, f->last, int64_t),
			    *FIELD(elem, f->first, int64_t));
			log_span_add(FIELD(into, f->first, int64_t),
			    FIELD(into, f->last, int64_t),
			    *FIELD(elem, f->last, int64_t));
			if (f->fold != NULL)
				f->fold(into, elem);
			group_merge(group_at(a, j), g);
			agg_clear(f, elem);
			continue;
		}
		if (out != i)
			memcpy((char *)*a->v + out * a->size, elem, a->size);
		a->ix->slot[s] = out + 1;
		out++;
	}
	*a->n = out;
}

void
log_servers(struct evidence *ev, const struct log_family *f,
    struct strlist *servers)
{
	struct aggs	a = aggs_of(ev, f);
	size_t		i;

	for (i = 0; i < *a.n; i++)
		strlist_add_unique_ci(servers,
		    *FIELD((char *)*a.v + i * a.size, f->server, char *));
}

void
log_finish(struct evidence *ev, const struct log_family *f,
    const struct strlist *servers)
{
	struct aggs	a = aggs_of(ev, f);

	finish_aggs(ev, f, &a, servers);
	if (*a.n > 1)
		qsort(*a.v, *a.n, a.size, f->cmp);
	/* The array moved under the index: rebuild it for later adds. */
	index_rebuild(&a, pow2_for(*a.n));
}

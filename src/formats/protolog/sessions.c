/*
 * Sessions, keyed by their 16-hex id read as a number: a hash table of the
 * open ones in activity order (the least active forgotten past the bound),
 * and of the closed ones remembered for a while, so that the row Exchange
 * repeats after a disconnect opens no new session. Each is reported once,
 * when it ends.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util/datetime.h"

/* Hex digit values plus one; 0 for anything else. */
static const unsigned char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static uint64_t
session_key(const char *p, size_t n)
{
	uint64_t	h = 0;
	unsigned	bad = 0, d;
	size_t		i;

	if (n == 16) {
		for (i = 0; i < 16; i++) {
			d = hexval[(unsigned char)p[i]];
			bad |= d == 0;
			h = h << 4 | ((d - 1) & 15);
		}
		if (!bad)
			return h;
	}
	/* Not the usual 16 hex digits: FNV-1a, kept apart by its top bit. */
	h = 1469598103934665603ull;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h | 1ull << 63;
}

static size_t
bucket_of(const struct protolog *pl, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (pl->nbuckets - 1);
}

static void
list_unlink(struct session **oldest, struct session **newest, struct session *s)
{
	if (s->older != NULL)
		s->older->newer = s->newer;
	else
		*oldest = s->newer;
	if (s->newer != NULL)
		s->newer->older = s->older;
	else
		*newest = s->older;
	s->older = s->newer = NULL;
}

static void
list_append(struct session **oldest, struct session **newest, struct session *s)
{
	s->older = *newest;
	s->newer = NULL;
	if (*newest != NULL)
		(*newest)->newer = s;
	else
		*oldest = s;
	*newest = s;
}

/* Frees what a session holds beyond its key. */
static void
session_strip(struct session *s)
{
	free(s->connector);
	free(s->remote);
	s->connector = s->remote = NULL;
	cert_ref_put(&s->local);
	cert_ref_put(&s->remote_cert);
	s->target = TARGET_NONE;
}

static void
session_report(struct protolog *pl, struct session *s)
{
	struct protolog_session	r;

	if (pl->cb.session == NULL)
		return;
	r.receive = s->receive;
	r.connector = s->connector;
	r.remote_endpoint = s->remote;
	r.starttls_offered = s->starttls;
	r.anonymous_tls_offered = s->anontls;
	r.tls = s->tls;
	r.closed = s->closed;
	r.first = s->first;
	r.source = s->source;
	r.line = s->line;
	pl->cb.session(pl->cb.arg, &r);
}

static void
session_delete(struct protolog *pl, struct session *s)
{
	struct session	**pp = &pl->bucket[bucket_of(pl, s->key)];

	while (*pp != s)
		pp = &(*pp)->hnext;
	*pp = s->hnext;
	if (s->closed) {
		list_unlink(&pl->closed_oldest, &pl->closed_newest, s);
		pl->nclosed--;
	} else {
		list_unlink(&pl->oldest, &pl->newest, s);
		pl->nopen--;
	}
	pl->nall--;
	if (pl->last == s)
		pl->last = NULL;
	session_strip(s);
	free(s);
}

/* The session ends: reported, stripped, remembered as closed. */
void
session_close(struct protolog *pl, struct session *s)
{
	s->closed = true;
	session_report(pl, s);
	session_strip(s);
	list_unlink(&pl->oldest, &pl->newest, s);
	pl->nopen--;
	list_append(&pl->closed_oldest, &pl->closed_newest, s);
	pl->nclosed++;
	while (pl->nclosed > PROTOLOG_CLOSED_KEPT)
		session_delete(pl, pl->closed_oldest);
}

static void
sessions_rehash(struct protolog *pl)
{
	struct session	**ob = pl->bucket, *s, *next;
	size_t		  on = pl->nbuckets, i, b;

	pl->nbuckets = on ? on * 2 : 1024;
	pl->bucket = xcalloc(pl->nbuckets, sizeof *pl->bucket);
	for (i = 0; i < on; i++) {
		for (s = ob[i]; s != NULL; s = next) {
			next = s->hnext;
			b = bucket_of(pl, s->key);
			s->hnext = pl->bucket[b];
			pl->bucket[b] = s;
		}
	}
	free(ob);
}

void
sessions_evict_oldest(struct protolog *pl)
{
	if (pl->stats.evicted_sessions++ == 0)
		parse_problem(pl->cb.pd, DIAG_WARNING, 0, "more than %zu sessions "
		    "open at once; the least active are forgotten, so their "
		    "certificates may be missing from later TLS rows",
		    pl->max_open);
	/* Forgotten, not closed: it is still counted once. */
	session_close(pl, pl->oldest);
}

static struct session *
session_find(struct protolog *pl, uint64_t key)
{
	struct session	*s;

	if (pl->nbuckets == 0)
		return NULL;
	for (s = pl->bucket[bucket_of(pl, key)]; s != NULL; s = s->hnext)
		if (s->key == key)
			return s;
	return NULL;
}

static struct session *
session_create(struct protolog *pl, uint64_t key)
{
	struct session	*s;
	size_t		 b;

	while (pl->nopen >= pl->max_open && pl->oldest != NULL)
		sessions_evict_oldest(pl);
	if (pl->nall + 1 > pl->nbuckets)
		sessions_rehash(pl);
	s = xcalloc(1, sizeof *s);
	s->key = key;
	s->first = TIME_UNKNOWN;
	b = bucket_of(pl, key);
	s->hnext = pl->bucket[b];
	pl->bucket[b] = s;
	list_append(&pl->oldest, &pl->newest, s);
	pl->nopen++;
	pl->nall++;
	pl->stats.sessions++;
	if ((long)pl->nopen > pl->stats.peak_open_sessions)
		pl->stats.peak_open_sessions = (long)pl->nopen;
	return s;
}

void
sessions_free(struct protolog *pl)
{
	while (pl->oldest != NULL)
		session_delete(pl, pl->oldest);
	while (pl->closed_oldest != NULL)
		session_delete(pl, pl->closed_oldest);
	free(pl->bucket);
	pl->bucket = NULL;
	pl->nbuckets = 0;
}

void
protolog_forget_closed(struct protolog *pl)
{
	while (pl->closed_oldest != NULL)
		session_delete(pl, pl->closed_oldest);
}

void
protolog_end_sessions(struct protolog *pl)
{
	struct session	*s;

	for (s = pl->oldest; s != NULL; s = s->newer)
		session_report(pl, s);
	while (pl->oldest != NULL)
		session_delete(pl, pl->oldest);
}

/*
 * Whether the row is one read already from another file of the folder: a
 * log and an excerpt of it (rows copied out of it in an editor), or two
 * overlapping collections, hold the same rows under other line numbers and
 * other bytes. A row's identity is its session, sequence number and
 * date-time; rows of a session come in that order, so one at or before the
 * session's last row read, in another file, is a repeat. Only the last row
 * of each session is kept, so memory stays bounded by the sessions.
 */
static bool
row_repeats(struct protolog *pl, const struct session *s)
{
	const struct rawfield	*d;
	long			 seq;

	if (s->seq_source == NULL || s->seq_source == pl->source ||
	    s->seq_last < 0 || (seq = row_sequence(pl)) < 0 ||
	    seq > s->seq_last)
		return false;
	d = raw(pl, COL_DATE_TIME);
	if (d == NULL || d->n != s->time_last_len || d->n == 0)
		return false;
	if (text_cmp(d->p, s->time_last, d->n) > 0)
		return false;
	if (pl->stats.repeated_rows == 0)
		pl->stats.repeated_from = s->seq_source;
	return true;
}

/*
 * The row's session, made most recent; NULL for an empty id (parser.h's
 * row_session takes the common case first), and NULL with pl->repeat set
 * for a row another file held already.
 */
struct session *
session_of_row(struct protolog *pl, const struct rawfield *f, bool connect,
    long lineno)
{
	struct session	*s;
	uint64_t	 key = 0;
	const char	*c;

	if (f == NULL || f->n == 0)
		return NULL;
	/* Rows of one session often follow each other: the id as written decides. */
	if (pl->last != NULL && f->n == pl->last_id_len &&
	    text_cmp(f->p, pl->last_id, f->n) == 0)
		s = pl->last;
	else {
		key = session_key(f->p, f->n);
		s = pl->last;
		if (s == NULL || s->key != key)
			s = session_find(pl, key);
		pl->last_id_len = f->n <= sizeof pl->last_id ? f->n : 0;
		memcpy(pl->last_id, f->p, pl->last_id_len);
	}
	if (s != NULL && row_repeats(pl, s)) {
		pl->last = s;
		pl->repeat = true;
		return NULL;
	}
	if (s == NULL) {
		s = session_create(pl, key);
		s->source = pl->source;
		s->line = lineno;
		s->first = row_time(pl);
		s->receive = row_is_receive(pl, 0, col(pl, COL_CONNECTOR));
		if ((c = col(pl, COL_CONNECTOR)) != NULL)
			s->connector = xstrdup(c);
		if ((c = col(pl, COL_REMOTE)) != NULL)
			s->remote = xstrdup(c);
	} else if (s->closed) {
		if (!connect) {
			/* The repeated last row of a session already ended. */
			pl->last = s;
			return NULL;
		}
		/* A connect reusing a closed id: the same session again. */
		list_unlink(&pl->closed_oldest, &pl->closed_newest, s);
		pl->nclosed--;
		s->closed = false;
		list_append(&pl->oldest, &pl->newest, s);
		pl->nopen++;
	} else if (s != pl->newest) {
		list_unlink(&pl->oldest, &pl->newest, s);
		list_append(&pl->oldest, &pl->newest, s);
	}
	pl->last = s;
	row_seen(pl, s);
	return s;
}

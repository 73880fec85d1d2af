/*
 * The protocol log queue: one producer (the bundle walk), one consumer (the
 * parsing thread), jobs in arrival order. Everything the consumer writes
 * goes to its own evidence; the producer touches it only after joining.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/bundle.h"
#include "model/evidence.h"
#include "util/hash.h"
#include "logread.h"
#include "reader.h"
#include "util/text.h"
#include "util/util.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define HAVE_SSE2_ASCII	1
#endif

/* Hashed a step at a time, so that either thread can take the next step. */
#define HASH_STEP	(1u << 20)
/* Finished buffers kept for the walk to read on into. */
#define POOL_MAX	2

struct job {
	char			*path;
	const unsigned char	*data;
	size_t			 len;
	size_t			 cap;		/* of an owned buffer */
	bool			 owned;		/* data is ours to free */
	bool			 done;		/* parsed and hashed; not owned */
	struct hash_sha256	*hash;		/* NULL: the walk hashed it */
	size_t			 hashed;	/* bytes hashed so far */
	bool			 hashing;	/* a thread is hashing a step */
	struct job		*next;
};

struct spare {
	unsigned char		*data;
	size_t			 cap;
};

struct logread {
	struct evidence		*ev;		/* the main evidence */
	struct evidence		 logs;		/* the consumer's */
	struct protolog_reader	*reader;
	bool			 threaded;
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;		/* a job arrived, or the end */
	pthread_cond_t		 room;		/* a job finished, or a hash step */
	struct job		*head, *tail;
	size_t			 queued;	/* bytes queued or being parsed */
	bool			 closing;
	/* Finished jobs' buffers, for the walk: no fresh pages each time. */
	struct spare		 pool[POOL_MAX];
	size_t			 npool;
	/* The hashes of the entries left to us, in the order they came. */
	char			(*shas)[65];
	size_t			 nshas, shas_cap;
};

/*
 * Pure ASCII without NUL: the bytes are already the text. Every byte of
 * every log passes here, so 64 bytes at a time: the OR of all of them has
 * no high bit, and no byte compares equal to zero (SSE2 where there is,
 * else eight bytes at a time).
 */
static bool
plain_ascii(const unsigned char *p, size_t n)
{
	const uint64_t	hi = 0x8080808080808080ull, lo = 0x0101010101010101ull;
	uint64_t	w, acc = 0, zero = 0;
	size_t		i = 0;
#ifdef HAVE_SSE2_ASCII
	const __m128i	z = _mm_setzero_si128();
	__m128i		a, b, c, d, bits = z, nul = z;

	for (; i + 64 <= n; i += 64) {
		a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
		c = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 32));
		d = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 48));
		bits = _mm_or_si128(bits, _mm_or_si128(_mm_or_si128(a, b),
		    _mm_or_si128(c, d)));
		nul = _mm_or_si128(nul, _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(a, z), _mm_cmpeq_epi8(b, z)),
		    _mm_or_si128(_mm_cmpeq_epi8(c, z), _mm_cmpeq_epi8(d, z))));
	}
	if (_mm_movemask_epi8(_mm_or_si128(bits, nul)) != 0)
		return false;
#endif
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= w;
		zero |= (w - lo) & ~w & hi;
	}
	for (; i < n; i++) {
		acc |= p[i];
		if (p[i] == 0)
			zero = 1;
	}
	return (acc & hi) == 0 && zero == 0;
}

static void
parse_job(struct logread *lr, const struct job *j)
{
	const char	*enc = NULL, *text;
	char		*copy = NULL;
	size_t		 len, replaced = 0;

	if (plain_ascii(j->data, j->len) ||
	    (j->len >= 3 && memcmp(j->data, "\xEF\xBB\xBF", 3) != 0 &&
	    memchr(j->data, '\0', j->len) == NULL &&
	    utf8_valid((const char *)j->data, j->len))) {
		text = (const char *)j->data;
		len = j->len;
	} else {
		copy = text_to_utf8(j->data, j->len, &len, &enc, &replaced);
		text = copy;
		if (replaced > 0)
			diag_add(&lr->logs.diags, DIAG_WARNING, j->path,
			    "%zu invalid byte sequence%s replaced while decoding "
			    "as %s", replaced, replaced > 1 ? "s" : "", enc);
	}
	protolog_reader_file(lr->reader, j->path, text, len);
	free(copy);
}

/* Keeps a finished buffer for the walk, or frees it. Locked. */
static void
pool_put(struct logread *lr, unsigned char *data, size_t cap)
{
	if (data == NULL)
		return;
	if (lr->npool < POOL_MAX) {
		lr->pool[lr->npool].data = data;
		lr->pool[lr->npool].cap = cap;
		lr->npool++;
	} else
		free(data);
}

/*
 * Hashes the next step of j unless it is hashed or another thread is at it.
 * Locked; unlocks while hashing. Returns whether a step was taken.
 */
static bool
hash_step(struct logread *lr, struct job *j)
{
	size_t	off, n;

	if (j->hash == NULL || j->hashing || j->hashed >= j->len)
		return false;
	j->hashing = true;
	off = j->hashed;
	n = j->len - off < HASH_STEP ? j->len - off : HASH_STEP;
	pthread_mutex_unlock(&lr->mu);
	hash_sha256_update(j->hash, j->data + off, n);
	pthread_mutex_lock(&lr->mu);
	j->hashed += n;
	j->hashing = false;
	pthread_cond_broadcast(&lr->room);
	return true;
}

/* A step of hashing of any queued job: what the walk does while it waits. */
static bool
hash_help(struct logread *lr)
{
	struct job	*j;

	for (j = lr->head; j != NULL; j = j->next)
		if (hash_step(lr, j))
			return true;
	return false;
}

/* The rest of j's hash, then the hash itself. Locked. */
static void
hash_finish(struct logread *lr, struct job *j)
{
	if (j->hash == NULL)
		return;
	while (j->hashing || j->hashed < j->len)
		if (!hash_step(lr, j))
			pthread_cond_wait(&lr->room, &lr->mu);
	lr->shas = xreallocarray_grow(lr->shas, &lr->shas_cap, lr->nshas + 1,
	    sizeof *lr->shas);
	hash_sha256_final(j->hash, lr->shas[lr->nshas++]);
	j->hash = NULL;
}

static void *
consumer(void *arg)
{
	struct logread	*lr = arg;
	struct job	*j;

	pthread_mutex_lock(&lr->mu);
	for (;;) {
		while (lr->head == NULL && !lr->closing)
			pthread_cond_wait(&lr->work, &lr->mu);
		if ((j = lr->head) == NULL)
			break;
		pthread_mutex_unlock(&lr->mu);
		parse_job(lr, j);
		pthread_mutex_lock(&lr->mu);
		hash_finish(lr, j);
		lr->head = j->next;
		if (lr->head == NULL)
			lr->tail = NULL;
		lr->queued -= j->len;
		if (j->owned) {
			pool_put(lr, (unsigned char *)j->data, j->cap);
			free(j->path);
			free(j);
		} else
			j->done = true;	/* the walk's buffer: it frees the job */
		pthread_cond_broadcast(&lr->room);
	}
	pthread_mutex_unlock(&lr->mu);
	return NULL;
}

struct logread *
logread_new(struct evidence *ev, bool threaded)
{
	struct logread	*lr = xcalloc(1, sizeof *lr);

	lr->ev = ev;
	evidence_init(&lr->logs);
	lr->logs.diags.echo = ev->diags.echo;
	lr->reader = protolog_reader_new(&lr->logs);
	pthread_mutex_init(&lr->mu, NULL);
	pthread_cond_init(&lr->work, NULL);
	pthread_cond_init(&lr->room, NULL);
	lr->threaded = threaded &&
	    pthread_create(&lr->thread, NULL, consumer, lr) == 0;
	return lr;
}

/*
 * The entry is queued where it lies, in the walk's buffer; once there is
 * room (the parser is at most one entry behind, or the queue holds less
 * than LOGREAD_QUEUE_BYTES) the buffer becomes the queue's and the walk reads
 * on into a finished one: no copy. Until then the walk hashes what waits.
 * An entry larger than the queue, or one whose buffer cannot be taken, is
 * parsed where it lies while the walk waits (and hashes).
 */
void
logread_offer(struct logread *lr, const struct bundle_entry *e)
{
	struct job	*j, local;
	struct spare	 sp;
	unsigned char	*data;
	size_t		 cap = 0;
	bool		 big, tried = false;

	if (!lr->threaded) {
		local.path = (char *)e->path;
		local.data = e->data;
		local.len = e->len;
		parse_job(lr, &local);
		return;
	}
	big = e->len > LOGREAD_QUEUE_BYTES;
	j = xcalloc(1, sizeof *j);
	j->path = xstrdup(e->path);
	j->data = e->data;
	j->len = e->len;
	if (e->sha256 == NULL) {
		bundle_entry_hash_later(e);
		j->hash = hash_sha256_new();
	}
	pthread_mutex_lock(&lr->mu);
	lr->queued += j->len;
	if (lr->tail != NULL)
		lr->tail->next = j;
	else
		lr->head = j;
	lr->tail = j;
	pthread_cond_signal(&lr->work);
	while (!j->done) {
		if (!big && !tried &&
		    (lr->head == j || lr->queued <= LOGREAD_QUEUE_BYTES)) {
			sp.data = NULL;
			sp.cap = 0;
			if (lr->npool > 0)
				sp = lr->pool[--lr->npool];
			pthread_mutex_unlock(&lr->mu);
			data = bundle_entry_take(e, sp.data, sp.cap, &cap);
			pthread_mutex_lock(&lr->mu);
			tried = true;
			if (data == NULL) {
				pool_put(lr, sp.data, sp.cap);
				continue;
			}
			if (j->done) {
				/* Finished meanwhile, not knowing it was ours. */
				pool_put(lr, data, cap);
				break;
			}
			j->owned = true;
			j->cap = cap;
			pthread_mutex_unlock(&lr->mu);
			return;
		}
		if (!hash_help(lr))
			pthread_cond_wait(&lr->room, &lr->mu);
	}
	pthread_mutex_unlock(&lr->mu);
	free(j->path);
	free(j);
}

void
logread_finish(struct logread *lr)
{
	if (lr == NULL)
		return;
	if (lr->threaded) {
		pthread_mutex_lock(&lr->mu);
		lr->closing = true;
		pthread_cond_signal(&lr->work);
		pthread_mutex_unlock(&lr->mu);
		pthread_join(lr->thread, NULL);
	}
	while (lr->npool > 0)
		free(lr->pool[--lr->npool].data);
	protolog_reader_free(lr->reader);
	if (evidence_entry_hashes_fill(lr->ev, (const char (*)[65])lr->shas,
	    lr->nshas) != lr->nshas) {
		/* The manifest and the queue disagree: a bug, not bad input. */
		fputs("certtrail: protocol log hashes out of step with the "
		    "manifest\n", stderr);
		abort();
	}
	free(lr->shas);
	evidence_take_logs(lr->ev, &lr->logs);
	evidence_free(&lr->logs);
	pthread_mutex_destroy(&lr->mu);
	pthread_cond_destroy(&lr->work);
	pthread_cond_destroy(&lr->room);
	free(lr);
}

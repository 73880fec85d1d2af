/*
 * The protocol log queue: one producer (the bundle walk), one consumer (the
 * parsing thread), jobs in arrival order. Everything the consumer writes
 * goes to its own evidence; the producer touches it only after joining.
 */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/bundle.h"
#include "model/evidence.h"
#include "util/hash.h"
#include "logcopy.h"
#include "logfeed.h"
#include "logread.h"
#include "reader.h"
#include "util/text.h"
#include "util/util.h"


/* Hashed a step at a time, so that either thread can take the next step. */
#define HASH_STEP	(1u << 20)
/* Finished buffers kept for the walk to read on into. */
#define POOL_MAX	2
/* A log taken in pieces comes in pieces of this size... */
#define PIECE_BYTES	(64u << 10)
/* ... lent from a pool (the queue's bytes in pieces, and two more). */
#define PIECE_POOL_MAX	(LOGREAD_PIECES_BYTES / PIECE_BYTES + 2)

enum job_kind {
	JOB_WHOLE,	/* a whole log */
	JOB_PIECE,	/* the next piece of one (the first names it) */
	JOB_END		/* its end, whole or cut short */
};

struct job {
	enum job_kind		 kind;
	bool			 whole;		/* JOB_END: the log was read to its end */
	char			*path;
	const unsigned char	*data;
	size_t			 len;
	size_t			 cap;		/* of an owned buffer */
	bool			 owned;		/* data is ours to free */
	bool			 done;		/* parsed and hashed; not owned */
	struct hash_sha256	*hash;		/* NULL: the walk hashed it */
	size_t			 hashed;	/* bytes hashed so far */
	bool			 hashing;	/* a thread is hashing a step */
	char			 sha256[65];	/* a log's, once known; "" */
	uint64_t		 start_key;	/* a log's first piece: logcopy.h */
	struct job		*next;
};

/*
 * A log that begins as an earlier one did is parsed into an evidence of its
 * own until its hash says whether it is a copy: then what it held is
 * dropped, or else it joins the rest. Such a log starts its folder's
 * sessions afresh: one it continues from the file before is counted as two.
 * A log that is no copy may be the earlier one collected again after it
 * grew: the hash of as many of its first bytes as that one has tells.
 */
struct apart {
	struct evidence		 ev;
	struct protolog_reader	*reader;
	struct logfeed		 feed;
	char			*path;
	uint64_t		 bytes;		/* read so far */
	/* The earlier log it began like. */
	char			*like_path;
	uint64_t		 like_bytes;
	char			 like_sha256[65];
	struct hash_sha256	*prefix;	/* of its first like_bytes */
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

	/* A log in pieces: the walk's side ... */
	struct bundle_pieces	 taker;
	char			*piece_next;	/* the name its first piece carries */
	uint64_t		 piece_key;	/* ... and the key of its start */
	struct hash_sha256	*piece_hash;	/* of its pieces, so far */
	size_t			 piece_bytes;
	unsigned char		*piece_pool[PIECE_POOL_MAX];
	size_t			 npiece_pool;
	/* ... and the parser's. */
	struct logfeed		 feed;
	struct logfeed		*now;		/* the feed of the log being read */
	uint64_t		 now_bytes;	/* ... and its bytes so far */
	struct logcopies	*copies;
	struct apart		*apart;		/* the log being read may be a copy */
};

/* A log begins: read apart when it may be a copy, else with the rest. */
static void
log_begins(struct logread *lr, const char *path, uint64_t key)
{
	struct apart	*a;
	const char	*like, *sha256;
	uint64_t	 bytes;

	lr->now = &lr->feed;
	if (!logcopies_begin(lr->copies, path, key))
		return;
	a = lr->apart = xcalloc(1, sizeof *a);
	a->path = xstrdup(path);
	if (logcopies_like(lr->copies, &like, &bytes, &sha256)) {
		a->like_path = xstrdup(like);
		a->like_bytes = bytes;
		memcpy(a->like_sha256, sha256, sizeof a->like_sha256);
		a->prefix = hash_sha256_new();
	}
	evidence_init(&a->ev);
	/* Its diagnostics are said only if it is no copy. */
	a->ev.diags.echo = 0;
	a->reader = protolog_reader_new(&a->ev);
	logfeed_init(&a->feed, a->reader, &a->ev.diags);
	lr->now = &a->feed;
}

/* The bytes of a log read apart, as they come: the first ones hashed. */
static void
apart_bytes(struct apart *a, const unsigned char *data, size_t len)
{
	uint64_t	n = 0;

	if (a->prefix != NULL && a->bytes < a->like_bytes) {
		n = a->like_bytes - a->bytes;
		hash_sha256_update(a->prefix, data, n < len ? n : len);
	}
	a->bytes += len;
}

/*
 * A log read apart is no copy: it joins the rest. Its rows and the earlier
 * log's are both counted, which is said: for certain when it begins with
 * all of that log's bytes, else as what may be.
 */
static void
apart_counted(struct logread *lr, struct apart *a)
{
	char	prefix[65] = "";
	size_t	i;

	for (i = 0; i < a->ev.diags.n; i++)
		diag_echo(lr->logs.diags.echo, &a->ev.diags.v[i]);
	evidence_take_logs(&lr->logs, &a->ev);
	if (a->like_path == NULL)
		return;
	if (a->prefix != NULL && a->bytes > a->like_bytes) {
		hash_sha256_final(a->prefix, prefix);
		a->prefix = NULL;
	}
	if (strcmp(prefix, a->like_sha256) == 0)
		diag_add(&lr->logs.diags, DIAG_WARNING, a->path, "begins with "
		    "all %" PRIu64 " bytes of %s, read before it: the same log "
		    "collected again after it grew; the rows they share are "
		    "counted twice", a->like_bytes, a->like_path);
	else
		diag_add(&lr->logs.diags, DIAG_WARNING, a->path, "begins with "
		    "the same %u bytes as %s, read before it, but is not the "
		    "same: if both are one log collected at two times, the rows "
		    "they share are counted twice", LOGCOPY_START_BYTES,
		    a->like_path);
}

/*
 * A log ends, with its hash ("": cut short). A copy of one read before
 * leaves nothing behind; a log read apart that is no copy joins the rest.
 */
static void
log_ends(struct logread *lr, const char *sha256, uint64_t bytes)
{
	struct apart	*a = lr->apart;
	const char	*original;
	char		 dropped[65];

	original = logcopies_end(lr->copies, sha256[0] != '\0' ? sha256 :
	    NULL, bytes);
	lr->now = &lr->feed;
	if (a == NULL)
		return;
	lr->apart = NULL;
	logfeed_free(&a->feed);
	protolog_reader_free(a->reader);
	if (original == NULL)
		apart_counted(lr, a);
	if (a->prefix != NULL)
		hash_sha256_final(a->prefix, dropped);
	evidence_free(&a->ev);
	free(a->path);
	free(a->like_path);
	free(a);
}

static void
parse_job(struct logread *lr, struct job *j)
{
	switch (j->kind) {
	case JOB_WHOLE:
		log_begins(lr, j->path, logcopies_key(j->data, j->len));
		lr->now_bytes = j->len;
		if (lr->apart != NULL)
			apart_bytes(lr->apart, j->data, j->len);
		logfeed_whole(lr->now, j->path, j->data, j->len);
		break;
	case JOB_PIECE:
		if (j->path != NULL) {
			log_begins(lr, j->path, j->start_key);
			logfeed_begin(lr->now, j->path);
			j->path = NULL;
			lr->now_bytes = 0;
		}
		lr->now_bytes += j->len;
		if (lr->apart != NULL)
			apart_bytes(lr->apart, j->data, j->len);
		logfeed_piece(lr->now, j->data, j->len);
		break;
	case JOB_END:
		logfeed_end(lr->now, j->whole);
		break;
	}
}

/* A piece's buffer, to lend again, or freed. Locked. */
static void
piece_pool_put(struct logread *lr, unsigned char *data)
{
	if (data == NULL)
		return;
	if (lr->npiece_pool < PIECE_POOL_MAX)
		lr->piece_pool[lr->npiece_pool++] = data;
	else
		free(data);
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
 * The hash of a log: the manifest's, in the order the logs came, when it
 * was read whole (all of it); else none, and it is dropped.
 */
static void
hash_owed(struct logread *lr, struct hash_sha256 *h, bool owed,
    char sha256[65])
{
	char	dropped[65];

	if (!owed) {
		hash_sha256_final(h, dropped);
		return;
	}
	lr->shas = xreallocarray_grow(lr->shas, &lr->shas_cap, lr->nshas + 1,
	    sizeof *lr->shas);
	hash_sha256_final(h, lr->shas[lr->nshas]);
	memcpy(sha256, lr->shas[lr->nshas++], 65);
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

/*
 * A step of hashing of any queued job: what the walk does while it waits. A
 * log in pieces is hashed in order: past its first piece not hashed yet,
 * none of its pieces is.
 */
static bool
hash_help(struct logread *lr)
{
	struct job	*j;

	for (j = lr->head; j != NULL; j = j->next) {
		if (j->kind == JOB_PIECE && j->hash != NULL && j->hashed < j->len)
			return hash_step(lr, j);
		if (hash_step(lr, j))
			return true;
	}
	return false;
}

/* The rest of j's hash, then, when j is a whole log, the hash itself. Locked. */
static void
hash_finish(struct logread *lr, struct job *j)
{
	if (j->hash == NULL)
		return;
	while (j->hashing || j->hashed < j->len)
		if (!hash_step(lr, j))
			pthread_cond_wait(&lr->room, &lr->mu);
	if (j->kind == JOB_PIECE)
		return;
	hash_owed(lr, j->hash, j->kind == JOB_WHOLE || j->whole, j->sha256);
	j->hash = NULL;
}

static void *
consumer(void *arg)
{
	struct logread	*lr = arg;
	struct job	*j;
	char		 sha256[65];
	bool		 ended;

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
		if ((ended = j->kind != JOB_PIECE))
			memcpy(sha256, j->sha256, sizeof sha256);
		lr->head = j->next;
		if (lr->head == NULL)
			lr->tail = NULL;
		lr->queued -= j->len;
		if (j->kind != JOB_WHOLE) {
			piece_pool_put(lr, (unsigned char *)j->data);
			free(j);
		} else if (j->owned) {
			pool_put(lr, (unsigned char *)j->data, j->cap);
			free(j->path);
			free(j);
		} else
			j->done = true;	/* the walk's buffer: it frees the job */
		pthread_cond_broadcast(&lr->room);
		if (ended) {
			/* Before the next log begins: it may copy this one. */
			pthread_mutex_unlock(&lr->mu);
			log_ends(lr, sha256, lr->now_bytes);
			pthread_mutex_lock(&lr->mu);
		}
	}
	pthread_mutex_unlock(&lr->mu);
	return NULL;
}

/* j joins the end of the queue. Locked. */
static void
queue_push(struct logread *lr, struct job *j)
{
	lr->queued += j->len;
	if (lr->tail != NULL)
		lr->tail->next = j;
	else
		lr->head = j;
	lr->tail = j;
	pthread_cond_signal(&lr->work);
}

static struct logread *
taker_of(struct bundle_pieces *t)
{
	return (struct logread *)(void *)((char *)t -
	    offsetof(struct logread, taker));
}

static unsigned char *
taker_buffer(struct bundle_pieces *t, size_t *cap)
{
	struct logread	*lr = taker_of(t);
	unsigned char	*data = NULL;

	pthread_mutex_lock(&lr->mu);
	if (lr->npiece_pool > 0)
		data = lr->piece_pool[--lr->npiece_pool];
	pthread_mutex_unlock(&lr->mu);
	if (data == NULL)
		data = xmalloc(lr->piece_bytes + 1);
	*cap = lr->piece_bytes;
	return data;
}

/*
 * A piece or an end joins the queue, behind the whole logs before it; the
 * walk waits (and hashes what waits) while the queue is full. Without the
 * thread, it is parsed at once.
 */
static void
queue_piece(struct logread *lr, struct job *j)
{
	if (!lr->threaded) {
		parse_job(lr, j);
		pthread_mutex_lock(&lr->mu);
		hash_finish(lr, j);
		piece_pool_put(lr, (unsigned char *)j->data);
		pthread_mutex_unlock(&lr->mu);
		if (j->kind == JOB_END)
			log_ends(lr, j->sha256, lr->now_bytes);
		free(j);
		return;
	}
	pthread_mutex_lock(&lr->mu);
	queue_push(lr, j);
	while (lr->queued > LOGREAD_PIECES_BYTES)
		if (!hash_help(lr))
			pthread_cond_wait(&lr->room, &lr->mu);
	pthread_mutex_unlock(&lr->mu);
}

static void
taker_put(struct bundle_pieces *t, unsigned char *data, size_t len)
{
	struct logread	*lr = taker_of(t);
	struct job	*j = xcalloc(1, sizeof *j);

	j->kind = JOB_PIECE;
	j->data = data;
	j->len = len;
	j->hash = lr->piece_hash;
	j->path = lr->piece_next;	/* the first piece's, NULL after */
	j->start_key = lr->piece_key;
	lr->piece_next = NULL;
	queue_piece(lr, j);
}

static void
taker_end(struct bundle_pieces *t, bool whole)
{
	struct logread	*lr = taker_of(t);
	struct job	*j = xcalloc(1, sizeof *j);

	j->kind = JOB_END;
	j->whole = whole;
	j->hash = lr->piece_hash;	/* all hashed before: what is owed */
	lr->piece_hash = NULL;
	queue_piece(lr, j);
}

struct bundle_pieces *
logread_pieces(struct logread *lr, const char *path,
    const unsigned char *head, size_t len)
{
	/* From the head, not the first piece: the same key however it is cut. */
	lr->piece_key = logcopies_key(head, len);
	lr->piece_next = xstrdup(path);
	lr->piece_hash = hash_sha256_new();
	return &lr->taker;
}

struct logread *
logread_new(struct evidence *ev, bool threaded, size_t piece_bytes)
{
	struct logread	*lr = xcalloc(1, sizeof *lr);

	lr->ev = ev;
	lr->piece_bytes = piece_bytes != 0 ? piece_bytes : PIECE_BYTES;
	lr->taker.buffer = taker_buffer;
	lr->taker.put = taker_put;
	lr->taker.end = taker_end;
	lr->taker.hashes = true;
	evidence_init(&lr->logs);
	lr->logs.diags.echo = ev->diags.echo;
	lr->reader = protolog_reader_new(&lr->logs);
	logfeed_init(&lr->feed, lr->reader, &lr->logs.diags);
	lr->now = &lr->feed;
	lr->copies = logcopies_new();
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
		memset(&local, 0, sizeof local);
		local.kind = JOB_WHOLE;
		local.path = (char *)e->path;
		local.data = e->data;
		local.len = e->len;
		parse_job(lr, &local);
		/*
		 * Its hash, to tell whether it was a copy (the walk hashes it
		 * again for the manifest: this is the rare way, with no thread).
		 */
		if (e->sha256 != NULL)
			memcpy(local.sha256, e->sha256, sizeof local.sha256);
		else
			hash_sha256_hex(e->data, e->len, local.sha256);
		log_ends(lr, local.sha256, lr->now_bytes);
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
	} else
		memcpy(j->sha256, e->sha256, sizeof j->sha256);
	pthread_mutex_lock(&lr->mu);
	queue_push(lr, j);
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

/* The manifest says which logs were copies, and of what. */
static void
mark_copies(struct logread *lr)
{
	const char	*path, *sha256, *original;
	size_t		 i;

	for (i = 0; i < logcopies_count(lr->copies); i++) {
		logcopies_get(lr->copies, i, &path, &sha256, &original);
		evidence_entry_copy_of(lr->ev, path, sha256, original);
	}
	logcopies_free(lr->copies);
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
	/* Every log ends (whole, or cut short): none is left apart. */
	if (lr->apart != NULL)
		log_ends(lr, "", lr->now_bytes);
	while (lr->npool > 0)
		free(lr->pool[--lr->npool].data);
	while (lr->npiece_pool > 0)
		free(lr->piece_pool[--lr->npiece_pool]);
	logfeed_free(&lr->feed);
	free(lr->piece_next);
	protolog_reader_free(lr->reader);
	if (evidence_entry_hashes_fill(lr->ev, (const char (*)[65])lr->shas,
	    lr->nshas) != lr->nshas) {
		/* The manifest and the queue disagree: a bug, not bad input. */
		fputs("certtrail: protocol log hashes out of step with the "
		    "manifest\n", stderr);
		abort();
	}
	free(lr->shas);
	mark_copies(lr);
	evidence_take_logs(lr->ev, &lr->logs);
	evidence_free(&lr->logs);
	pthread_mutex_destroy(&lr->mu);
	pthread_cond_destroy(&lr->work);
	pthread_cond_destroy(&lr->room);
	free(lr);
}

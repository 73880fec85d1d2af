/*
 * The protocol log queue: one producer (the bundle walk), one consumer (the
 * parsing thread), jobs in arrival order. Everything the consumer writes
 * goes to its own evidence; the producer touches it only after joining.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "logread.h"
#include "protolog_reader.h"
#include "sniff.h"
#include "text.h"
#include "util.h"

#define SNIFF_BYTES	(64u << 10)

struct job {
	char			*path;
	const unsigned char	*data;
	size_t			 len;
	size_t			 cap;		/* of an owned buffer */
	bool			 owned;		/* data is our copy */
	bool			 done;
	struct job		*next;
};

struct logread {
	struct evidence		*ev;		/* the main evidence */
	struct evidence		 logs;		/* the consumer's */
	struct protolog_reader	*reader;
	bool			 threaded;
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;		/* a job arrived, or the end */
	pthread_cond_t		 room;		/* a job finished */
	struct job		*head, *tail;
	size_t			 queued;	/* bytes queued or being parsed */
	bool			 closing;
	/* A finished job's buffer, kept for the next: no fresh pages each time. */
	unsigned char		*spare;
	size_t			 spare_cap;
};

/* Pure ASCII without NUL: the bytes are already the text. */
static bool
plain_ascii(const unsigned char *p, size_t n)
{
	const uint64_t	hi = 0x8080808080808080ull, lo = 0x0101010101010101ull;
	uint64_t	w, acc = 0, zero = 0;
	size_t		i = 0;

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
		lr->head = j->next;
		if (lr->head == NULL)
			lr->tail = NULL;
		lr->queued -= j->len;
		if (j->owned) {
			if (lr->spare == NULL) {
				lr->spare = (unsigned char *)j->data;
				lr->spare_cap = j->cap;
			} else
				free((void *)j->data);
			free(j->path);
			free(j);
		} else
			j->done = true;	/* the producer waits on it and frees it */
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

static bool
is_protolog(const unsigned char *data, size_t len)
{
	enum entry_kind	 kind;
	char		*text;
	size_t		 n;

	text = text_to_utf8(data, len < SNIFF_BYTES ? len : SNIFF_BYTES, &n,
	    NULL, NULL);
	kind = sniff_text(text, n);
	free(text);
	return kind == KIND_PROTOLOG;
}

bool
logread_offer(struct logread *lr, const char *path, const unsigned char *data,
    size_t len)
{
	struct job	*j, local;
	bool		 big;

	if (!is_protolog(data, len))
		return false;
	if (!lr->threaded) {
		local.path = (char *)path;
		local.data = data;
		local.len = len;
		parse_job(lr, &local);
		return true;
	}
	/* Larger than the queue: parsed in place while we wait. */
	big = len > LOGREAD_QUEUE_BYTES;
	j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	j->len = len;
	j->owned = !big;
	if (big)
		j->data = data;
	pthread_mutex_lock(&lr->mu);
	while (lr->queued > 0 && lr->queued + len > LOGREAD_QUEUE_BYTES)
		pthread_cond_wait(&lr->room, &lr->mu);
	if (!big) {
		unsigned char	*buf = NULL;

		if (lr->spare != NULL && lr->spare_cap >= len) {
			buf = lr->spare;
			j->cap = lr->spare_cap;
			lr->spare = NULL;
		} else if (lr->spare != NULL) {
			/* Too small: replaced by one that fits this and a bit more. */
			free(lr->spare);
			lr->spare = NULL;
		}
		pthread_mutex_unlock(&lr->mu);
		if (buf == NULL) {
			j->cap = len + len / 16 + 1;
			buf = xmalloc(j->cap);
		}
		memcpy(buf, data, len);
		j->data = buf;
		pthread_mutex_lock(&lr->mu);
	}
	lr->queued += len;
	if (lr->tail != NULL)
		lr->tail->next = j;
	else
		lr->head = j;
	lr->tail = j;
	pthread_cond_signal(&lr->work);
	if (big) {
		while (!j->done)
			pthread_cond_wait(&lr->room, &lr->mu);
		free(j->path);
		free(j);
	}
	pthread_mutex_unlock(&lr->mu);
	return true;
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
	free(lr->spare);
	protolog_reader_free(lr->reader);
	evidence_take_logs(lr->ev, &lr->logs);
	evidence_free(&lr->logs);
	pthread_mutex_destroy(&lr->mu);
	pthread_cond_destroy(&lr->work);
	pthread_cond_destroy(&lr->room);
	free(lr);
}

/*
 * The logs read so far, by a key of their first bytes (logcopy.h), in a
 * table of chains: a log's key finds every earlier log that began the same
 * way, and their hashes settle which, if any, it copies. One record per
 * log (its path and hash), so a bundle of thousands of logs costs a few
 * hundred kilobytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logcopy.h"
#include "util/util.h"

#define NONE	SIZE_MAX

struct logrec {
	uint64_t	 key;
	char		*path;
	char		 sha256[65];	/* "" until the end; "" when cut short */
	uint64_t	 bytes;		/* at the end */
	size_t		 next;		/* the next record of the same bucket */
	size_t		 copy_of;	/* NONE, or the record it repeats */
};

struct logcopies {
	struct logrec	*v;
	size_t		 n, cap;
	size_t		*bucket;	/* the newest record of each, or NONE */
	size_t		 nbuckets;	/* a power of two */
	size_t		*copies;	/* records found to be copies, in order */
	size_t		 ncopies, copies_cap;
	bool		 open;		/* v[n - 1] has begun, not ended */
	bool		 maybe;		/* ... and an earlier log began as it did: */
	size_t		 like;		/* the latest such, or NONE */
};

/* FNV-1a over the first bytes, and their count. */
uint64_t
logcopies_key(const unsigned char *p, size_t n)
{
	uint64_t	h = 0xcbf29ce484222325ull;
	size_t		i;

	if (n > LOGCOPY_START_BYTES)
		n = LOGCOPY_START_BYTES;
	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return (h ^ n) * 0x100000001b3ull;
}

static void
rehash(struct logcopies *lc)
{
	size_t	i, b;

	free(lc->bucket);
	lc->nbuckets = lc->nbuckets ? lc->nbuckets * 2 : 256;
	lc->bucket = xcalloc(lc->nbuckets, sizeof *lc->bucket);
	for (i = 0; i < lc->nbuckets; i++)
		lc->bucket[i] = NONE;
	/* Oldest first, so that each chain runs from the newest record. */
	for (i = 0; i < lc->n; i++) {
		b = (size_t)lc->v[i].key & (lc->nbuckets - 1);
		lc->v[i].next = lc->bucket[b];
		lc->bucket[b] = i;
	}
}

struct logcopies *
logcopies_new(void)
{
	struct logcopies	*lc = xcalloc(1, sizeof *lc);

	rehash(lc);
	return lc;
}

void
logcopies_free(struct logcopies *lc)
{
	size_t	i;

	if (lc == NULL)
		return;
	for (i = 0; i < lc->n; i++)
		free(lc->v[i].path);
	free(lc->v);
	free(lc->bucket);
	free(lc->copies);
	free(lc);
}

bool
logcopies_begin(struct logcopies *lc, const char *path, uint64_t key)
{
	struct logrec	*r;
	size_t		 i, b = (size_t)key & (lc->nbuckets - 1);

	lc->maybe = false;
	lc->like = NONE;
	/* The chain runs newest first. */
	for (i = lc->bucket[b]; i != NONE && !lc->maybe; i = lc->v[i].next)
		if (lc->v[i].key == key && lc->v[i].sha256[0] != '\0') {
			lc->maybe = true;
			lc->like = i;
		}
	lc->v = xreallocarray_grow(lc->v, &lc->cap, lc->n + 1, sizeof *lc->v);
	r = &lc->v[lc->n++];
	memset(r, 0, sizeof *r);
	r->key = key;
	r->copy_of = NONE;
	r->path = xstrdup(path);
	if (lc->n > lc->nbuckets / 2)
		rehash(lc);
	else {
		r->next = lc->bucket[b];
		lc->bucket[b] = lc->n - 1;
	}
	lc->open = true;
	return lc->maybe;
}

bool
logcopies_like(const struct logcopies *lc, const char **path,
    uint64_t *bytes, const char **sha256)
{
	const struct logrec	*r;

	if (!lc->open || lc->like == NONE)
		return false;
	r = &lc->v[lc->like];
	*path = r->path;
	*bytes = r->bytes;
	*sha256 = r->sha256;
	return true;
}

const char *
logcopies_end(struct logcopies *lc, const char *sha256, uint64_t bytes)
{
	struct logrec	*r;
	size_t		 i, at;

	if (!lc->open)
		return NULL;
	lc->open = false;
	at = lc->n - 1;
	r = &lc->v[at];
	r->bytes = bytes;
	if (sha256 == NULL)
		return NULL;
	memcpy(r->sha256, sha256, sizeof r->sha256 - 1);
	r->sha256[sizeof r->sha256 - 1] = '\0';
	if (!lc->maybe)
		return NULL;
	/* The chain runs newest first: the last match is the first log. */
	for (i = r->next; i != NONE; i = lc->v[i].next)
		if (lc->v[i].key == r->key &&
		    strcmp(lc->v[i].sha256, r->sha256) == 0)
			r->copy_of = i;
	if (r->copy_of == NONE)
		return NULL;
	lc->copies = xreallocarray_grow(lc->copies, &lc->copies_cap,
	    lc->ncopies + 1, sizeof *lc->copies);
	lc->copies[lc->ncopies++] = at;
	return lc->v[r->copy_of].path;
}

size_t
logcopies_count(const struct logcopies *lc)
{
	return lc->ncopies;
}

void
logcopies_get(const struct logcopies *lc, size_t i, const char **path,
    const char **sha256, const char **original)
{
	const struct logrec	*r = &lc->v[lc->copies[i]];

	*path = r->path;
	*sha256 = r->sha256;
	*original = lc->v[r->copy_of].path;
}

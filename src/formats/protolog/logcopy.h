/*
 * Which protocol logs repeat the bytes of one read before (a bundle given
 * both zipped and extracted, a folder copied into another collection), so
 * that a copy's rows are not counted twice. A log is parsed as it arrives,
 * before its hash is known: its first bytes say at once whether it may be a
 * copy (an earlier log began the same way), its SHA-256 at its end whether
 * it is one.
 */
#ifndef CERTTRAIL_LOGCOPY_H
#define CERTTRAIL_LOGCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How much of a log's start is compared at once. */
#define LOGCOPY_START_BYTES	4096

struct logcopies;

struct logcopies *logcopies_new(void);
void	 logcopies_free(struct logcopies *);
/*
 * The key of a log's start, from its first bytes (at least
 * LOGCOPY_START_BYTES of them, or all of it): a start shorter than that (a
 * whole small log) only meets a log as short.
 */
uint64_t logcopies_key(const unsigned char *, size_t);
/*
 * A log begins, with its start's key: whether an earlier log began the same
 * way, and so may be copied by it.
 */
bool	 logcopies_begin(struct logcopies *, const char *path, uint64_t key);
/*
 * The earlier log the one begun last began like (the latest, of those read
 * to their end): its path, size and SHA-256. False when it began like none.
 */
bool	 logcopies_like(const struct logcopies *, const char **path,
	    uint64_t *bytes, const char **sha256);
/*
 * The log begun last ends, with its SHA-256 (NULL: cut short, no hash) and
 * size. Returns the path of the first earlier log with the same hash, or
 * NULL.
 */
const char *logcopies_end(struct logcopies *, const char *sha256,
	    uint64_t bytes);
/* The logs found to be copies, in the order they came. */
size_t	 logcopies_count(const struct logcopies *);
void	 logcopies_get(const struct logcopies *, size_t, const char **path,
	    const char **sha256, const char **original);

#endif

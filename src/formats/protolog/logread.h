/*
 * Protocol logs read beside the bundle walk: while the walk decompresses the
 * next entry, a second thread parses the previous log. Logs go through a
 * bounded queue (the walk's own buffer of each entry, handed over rather
 * than copied; at most LOGREAD_QUEUE_BYTES waiting beyond the one being
 * parsed; a larger entry is parsed in place while the walk waits), into an
 * evidence of their own that logread_finish() moves to the main one, so the
 * output does not depend on thread timing. The SHA-256 of each log for the
 * manifest (BUNDLE_HASH_LATER) is computed a step at a time by whichever
 * thread is free, and put in the manifest by logread_finish().
 */
#ifndef CERTTRAIL_LOGREAD_H
#define CERTTRAIL_LOGREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "input/bundle.h"
#include "model/evidence.h"

#define LOGREAD_QUEUE_BYTES	(16u << 20)

struct logread;

/* threaded false: each log is parsed at once, in the caller's thread. */
struct logread	*logread_new(struct evidence *, bool threaded);
/* Reads a protocol log (format.c recognised it), now or in the background. */
void		 logread_offer(struct logread *, const struct bundle_entry *);
/*
 * Waits for the queue to drain, moves what was read into the evidence, gives
 * the manifest the hashes left to the queue, frees.
 */
void		 logread_finish(struct logread *);

#endif

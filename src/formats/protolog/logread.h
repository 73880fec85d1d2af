/*
 * Protocol logs read beside the bundle walk: while the walk decompresses the
 * next entry, a second thread parses the previous log. A large log comes in
 * pieces (logread_pieces) and is parsed while the walk decompresses the
 * next piece (at most LOGREAD_PIECES_BYTES of them waiting), so memory does
 * not grow with it; the walk hashes its pieces.
 * Smaller logs come whole (the walk's own buffer of each entry, handed over
 * rather than copied). Both go through one bounded queue, in the order the
 * walk met them (at most LOGREAD_QUEUE_BYTES waiting beyond the one being
 * parsed; a larger whole entry is parsed in place while the walk waits),
 * into an evidence of their own that logread_finish() moves to the main
 * one, so the output does not depend on thread timing. The SHA-256 of each
 * whole log for the manifest (BUNDLE_HASH_LATER) is computed a step at a
 * time by whichever thread is free, and put in the manifest by
 * logread_finish(). A log with the same bytes as one read before is not
 * counted again (logcopy.h); logread_finish() marks it in the manifest.
 */
#ifndef CERTTRAIL_LOGREAD_H
#define CERTTRAIL_LOGREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "input/bundle.h"
#include "model/evidence.h"

#define LOGREAD_QUEUE_BYTES	(16u << 20)
#define LOGREAD_PIECES_BYTES	(2u << 20)

struct logread;

/*
 * threaded false: each log is parsed at once, in the caller's thread.
 * piece_bytes: the size of a log's pieces (0: 64 KiB).
 */
struct logread	*logread_new(struct evidence *, bool threaded,
		    size_t piece_bytes);
/* Reads a protocol log (format.c recognised it), now or in the background. */
void		 logread_offer(struct logread *, const struct bundle_entry *);
/*
 * Takes the protocol log at path in pieces as the walk reads it (its first
 * bytes, head, recognised it, and are no UTF-16), into the same queue. One
 * at a time: the taker is the logread's own. head: at least
 * LOGCOPY_START_BYTES (logcopy.h), or the whole log.
 */
struct bundle_pieces *logread_pieces(struct logread *, const char *path,
		    const unsigned char *head, size_t len);
/*
 * Waits for the queue to drain, moves what was read into the evidence, gives
 * the manifest the hashes left to the queue, frees.
 */
void		 logread_finish(struct logread *);

#endif

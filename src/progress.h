/*
 * A progress bar on stderr while the inputs are read: bytes done of the
 * inputs' total size, the rate and the time left, redrawn a few times a
 * second on a terminal (a line every few seconds otherwise).
 */
#ifndef CERTTRAIL_PROGRESS_H
#define CERTTRAIL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct progress;

/* NULL when the thread cannot start (then there is no bar). */
struct progress	*progress_start(const char *const *inputs, size_t ninputs, bool tty);
/* Stops the bar and clears its line. */
void		 progress_stop(struct progress *);

#endif

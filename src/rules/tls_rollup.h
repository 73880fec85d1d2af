/*
 * TLS outcome rollups over the log aggregates (tls_rollup.c).
 */
#ifndef CERTTRAIL_TLS_ROLLUP_H
#define CERTTRAIL_TLS_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"
#include "findings.h"

/*
 * Log aggregates are per file; evidence reads better per (server, connector,
 * certificate, outcome) over all files: a rollup keeps the total count, the
 * number of files, the time span and the earliest sample row.
 */
struct tls_rollup {
	const struct ev_tls_agg	*sample;	/* the earliest aggregate */
	long			 count;
	long			 files;
	int64_t			 first;
	int64_t			 last;
};
typedef bool (*tls_filter_fn)(const struct ev_tls_agg *, void *arg);
/* Returns the number of rollups in *out (to free()). */
size_t	 tls_rollup_build(const struct evidence *, tls_filter_fn, void *arg,
	    struct tls_rollup **out);
/*
 * Adds a rollup to f's evidence (its earliest sample row, its count, text
 * saying what it shows) and its span to f's time span.
 */
void	 tls_rollup_evidence(struct finding *f, const struct tls_rollup *,
	    const char *text);

#endif

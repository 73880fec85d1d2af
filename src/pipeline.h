/*
 * The read side of a run: inputs -> bundle -> sniff -> ingesters -> evidence,
 * then the as-of time. Kept apart from main() so tests can drive it.
 */
#ifndef CERTTRAIL_PIPELINE_H
#define CERTTRAIL_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input/bundle.h"
#include "model/evidence.h"

struct pipeline_opts {
	struct bundle_limits	limits;
	bool			progress;	/* a progress bar on stderr */
};

#define PIPELINE_RECOGNIZED_MAX	8

struct pipeline_result {
	long	entries;	/* entries read */
	long	usable;		/* entries that contributed evidence */
	/*
	 * Entries recognized as evidence this version does not read
	 * (formats/recognize.h), per kind: they are named, and they keep a
	 * run from being "not Exchange evidence".
	 */
	long	recognized;
	const struct recognized *rec_kinds[PIPELINE_RECOGNIZED_MAX];
	long	rec_counts[PIPELINE_RECOGNIZED_MAX];
	size_t	nrec;
};

/*
 * Reads every input into ev and finishes it (evidence_finish). Returns -1 when
 * no input could be read at all, else 0 with the counts in *res.
 */
int	pipeline_read(const char *const *inputs, size_t ninputs,
	    const struct pipeline_opts *, struct evidence *ev,
	    struct pipeline_result *res);

/*
 * The time expiry is judged at, when --as-of was not given (docs/contract.md, "The as-of time"): the
 * latest log row, else the newest entry time, else the latest queue retry,
 * never the wall clock. *source names which; TIME_UNKNOWN when none.
 */
void	asof_infer(const struct evidence *, int64_t *as_of, const char **source);

#endif

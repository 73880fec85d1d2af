/*
 * Shared by the whole-entry fuzz targets: the bytes become one file on disk,
 * given to the pipeline as the command line would give it, so that the
 * bundle reader, the sniffing, the decoding and the dispatch to every
 * ingester all see them; then the rules run over whatever evidence came out.
 */
#ifndef CERTTRAIL_FUZZ_PIPELINE_H
#define CERTTRAIL_FUZZ_PIPELINE_H

#include <stdlib.h>
#include <unistd.h>

#include "model/evidence.h"
#include "pipeline.h"
#include "output/report.h"
#include "rules/rules.h"

/* As-of for the rules: fixed, so that runs are reproducible. */
#define FUZZ_AS_OF	1762000000

/*
 * Runs the pipeline over data as one input file; fills ev, fs and gaps
 * (to free by the caller). False when the file cannot be written.
 */
static inline bool
fuzz_pipeline(const uint8_t *data, size_t size, struct evidence *ev,
    struct findings *fs, struct gap_list *gaps)
{
	char			 path[] = "/tmp/certtrail-fuzz-XXXXXX";
	const char		*inputs[1] = { path };
	struct pipeline_opts	 opts;
	struct pipeline_result	 res;
	int			 fd;

	if ((fd = mkstemp(path)) < 0)
		return false;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return false;
	}
	close(fd);
	bundle_limits_default(&opts.limits);
	/* Small enough that a bomb in the corpus costs milliseconds. */
	opts.limits.max_total_bytes = 64 << 20;
	opts.limits.max_entry_bytes = 16 << 20;
	opts.progress = false;
	/*
	 * Every other input takes the logs of its archives in pieces of 7
	 * bytes, damaged ones included (pipeline.c's knob for tests).
	 */
	setenv("CERTTRAIL_TEST_PIECE_BYTES", size % 2 != 0 ? "7" : "", 1);
	evidence_init(ev);
	pipeline_read(inputs, 1, &opts, ev, &res);
	unlink(path);
	rules_run_all(ev, FUZZ_AS_OF, fs, gaps);
	gaps_collect(ev, gaps);
	return true;
}

#endif

/*
 * Fuzz target: archives. The bytes are written to a temporary file because
 * bundle_read takes paths, as the command line does; nested archives inside
 * are then read from memory like in a real run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "input/bundle.h"
#include "fuzz.h"

const char fuzz_corpus_name[] = "bundle";

static const char *
count_entry(void *ctx, const struct bundle_entry *e)
{
	size_t	*n = ctx;

	/* Touch every byte so ASan sees any overread of the entry buffer. */
	for (size_t i = 0; i < e->len; i++)
		*n += e->data[i] == 0;
	return "unknown";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			 path[] = "/tmp/certtrail-fuzz-XXXXXX";
	const char		*inputs[1] = { path };
	struct bundle_limits	 lim;
	struct evidence		 ev;
	size_t			 zeros = 0;
	int			 fd;

	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	bundle_limits_default(&lim);
	lim.max_total_bytes = 64 << 20;
	lim.max_entry_bytes = 16 << 20;
	evidence_init(&ev);
	bundle_read(inputs, 1, &lim, count_entry, &zeros, &ev);
	evidence_free(&ev);
	unlink(path);
	return 0;
}

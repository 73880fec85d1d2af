/*
 * Fuzz target: an earlier findings.json as --baseline reads it (the JSON
 * reader, then the reading of a case), compared with itself and with an
 * empty case (the matching, the days, the queues, the sentence).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "baseline/baseline.h"
#include "util/text.h"

const char fuzz_corpus_name[] = "baseline";

static void
compare(const char *text, size_t len, bool with_empty)
{
	struct bl_case	 before, after;
	struct baseline	 b;
	char		*why = NULL;

	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	if (baseline_read_text(text, len, &before, &why) != 0 ||
	    (!with_empty && baseline_read_text(text, len, &after, &why) != 0)) {
		free(why);
		bl_case_free(&before);
		bl_case_free(&after);
		return;
	}
	baseline_compare(&before, &after, &b);
	baseline_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text;
	size_t	 len;

	text = text_to_utf8(data, size, &len, NULL, NULL);
	compare(text, len, false);
	compare(text, len, true);
	free(text);
	return 0;
}

/*
 * Fuzz target: one whole entry, sniffed and dispatched as in a real run (an
 * archive is opened, text is decoded and handed to the ingester its content
 * names), then the rules over the evidence.
 */
#include "config.h"

#include "fuzz.h"
#include "fuzz_pipeline.h"

const char fuzz_corpus_name[] = "dispatch";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence	 ev;
	struct findings	 fs = { .root_cause = -1 };
	struct gap_list	 gaps = { 0 };

	if (fuzz_pipeline(data, size, &ev, &fs, &gaps))
		evidence_free(&ev);
	findings_free(&fs);
	gap_list_free(&gaps);
	return 0;
}

/*
 * Fuzz target: Windows event logs (.evtx) through libevtx. A hostile log must
 * end in a diagnostic, never a crash; without libevtx the entry is only
 * named, which this exercises too.
 */
#include "config.h"

#include "model/evidence.h"
#include "fuzz.h"
#include "formats/ingest.h"

const char fuzz_corpus_name[] = "evtx";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence	ev;

	evidence_init(&ev);
	ingest_evtx(&ev, "fuzz/input.evtx", data, size);
	evidence_free(&ev);
	return 0;
}

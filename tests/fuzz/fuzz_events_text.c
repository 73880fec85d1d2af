/*
 * Fuzz target: application event exports (wevtutil /f:text, Get-WinEvent
 * and Get-EventLog Format-List).
 */
#include "config.h"

#include "fuzz.h"
#include "fuzz_common.h"
#include "formats/ingest.h"

const char fuzz_corpus_name[] = "events_text";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_ingester(data, size, ingest_event_text);
	return 0;
}

/*
 * Fuzz target: application event texts: wevtutil /f:text, Get-WinEvent and
 * Get-EventLog Format-List, Event Viewer's "Copy details as text" and the
 * transport event messages pasted alone. Each input goes through all three
 * readers, whatever it looks like.
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
	fuzz_text_ingester(data, size, ingest_event_viewer);
	fuzz_text_ingester(data, size, ingest_event_message);
	return 0;
}

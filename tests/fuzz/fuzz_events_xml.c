/* Fuzz target: event exports (wevtutil /f:xml and /f:RenderedXml). */
#include "config.h"

#include "fuzz.h"
#include "fuzz_common.h"
#include "formats/ingest.h"

const char fuzz_corpus_name[] = "events_xml";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_ingester(data, size, ingest_event_xml);
	return 0;
}

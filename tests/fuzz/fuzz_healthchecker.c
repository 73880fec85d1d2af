/*
 * Fuzz target: HealthChecker's exported XML, text report and HTML server
 * report. Each input goes through all three readers.
 */
#include "config.h"

#include "fuzz.h"
#include "fuzz_common.h"
#include "formats/ingest.h"

const char fuzz_corpus_name[] = "healthchecker";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_ingester(data, size, ingest_healthchecker_xml);
	fuzz_text_ingester(data, size, ingest_healthchecker_text);
	fuzz_text_ingester(data, size, ingest_healthchecker_html);
	return 0;
}

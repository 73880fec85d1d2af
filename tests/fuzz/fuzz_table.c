/* Fuzz target: Get-ExchangeCertificate's default table view. */
#include "config.h"

#include "fuzz.h"
#include "fuzz_common.h"
#include "formats/ingest.h"

const char fuzz_corpus_name[] = "table";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_ingester(data, size, ingest_table);
	return 0;
}

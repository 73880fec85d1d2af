/* Fuzz target: SMTP protocol logs. */
#include "config.h"

#include "fuzz.h"
#include "fuzz_common.h"
#include "formats/ingest.h"

const char fuzz_corpus_name[] = "protolog";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_ingester(data, size, ingest_protolog);
	return 0;
}

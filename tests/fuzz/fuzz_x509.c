/* Fuzz target: certificate files (DER and PEM). */
#include "config.h"

#include "model/evidence.h"
#include "fuzz.h"
#include "formats/ingest.h"

const char fuzz_corpus_name[] = "x509";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence	ev;

	evidence_init(&ev);
	ingest_x509(&ev, "fuzz/input.cer", data, size);
	evidence_free(&ev);
	return 0;
}

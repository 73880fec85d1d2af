/*
 * Shared by the text fuzz targets: decode the bytes as the pipeline does, hand
 * them to one ingester, then run the rules over whatever evidence came out,
 * so rule code sees hostile evidence too.
 */
#ifndef CERTTRAIL_FUZZ_COMMON_H
#define CERTTRAIL_FUZZ_COMMON_H

#include <stdlib.h>

#include "model/evidence.h"
#include "formats/ingest.h"
#include "output/report.h"
#include "rules/rules.h"
#include "util/text.h"

typedef int (*fuzz_ingest_fn)(struct evidence *, const char *, const char *, size_t);

static inline void
fuzz_text_ingester(const uint8_t *data, size_t size, fuzz_ingest_fn fn)
{
	struct evidence	 ev;
	struct ingest_ctx ctx;
	struct findings	 fs = { .root_cause = -1 };
	struct gap_list	 gaps = { 0 };
	char		*text;
	size_t		 len;

	evidence_init(&ev);
	ingest_ctx_init(&ctx, &ev);
	/* As the pipeline does: Format-List files may wait for the finish. */
	ingest_held_defer(&ctx);
	text = text_to_utf8(data, size, &len, NULL, NULL);
	if (fn == ingest_fl)
		ingest_fl_ctx(&ctx, "fuzz/input", text, len);
	else
		fn(&ev, "fuzz/input", text, len);
	free(text);
	ingest_held_finish(&ctx);
	ingest_ctx_free(&ctx);
	evidence_finish(&ev);
	rules_run_all(&ev, 1762000000, &fs, &gaps);
	gaps_collect(&ev, &gaps);
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

#endif

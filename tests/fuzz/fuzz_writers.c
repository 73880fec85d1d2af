/*
 * Fuzz target: the three writers (findings.json, report.html, report.xlsx)
 * on hostile evidence: the bytes go through the pipeline as one entry, and
 * whatever names, thumbprints, log rows and diagnostics come out are
 * rendered. The seeds carry markup, formulas and control characters in the
 * fields the writers print.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_pipeline.h"

const char fuzz_corpus_name[] = "writers";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = {
		"findings.json", "report.html", "report.xlsx"
	};
	struct evidence	 ev;
	struct findings	 fs = { .root_cause = -1 };
	struct gap_list	 gaps = { 0 };
	struct report	 r;
	char		 dir[] = "/tmp/certtrail-fuzz-out-XXXXXX", path[64];
	size_t		 i;

	if (mkdtemp(dir) == NULL)
		return 0;
	if (fuzz_pipeline(data, size, &ev, &fs, &gaps)) {
		memset(&r, 0, sizeof r);
		r.tool_version = "fuzz";
		r.case_id = "fuzz <case> =1+1";
		r.as_of = FUZZ_AS_OF;
		r.as_of_source = "option";
		r.ev = &ev;
		r.findings = &fs;
		r.gaps = &gaps;
		snprintf(path, sizeof path, "%s/%s", dir, files[0]);
		out_json_write(&r, path);
		snprintf(path, sizeof path, "%s/%s", dir, files[1]);
		out_html_write(&r, path);
		snprintf(path, sizeof path, "%s/%s", dir, files[2]);
		out_xlsx_write(&r, path);
		evidence_free(&ev);
	}
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	findings_free(&fs);
	gap_list_free(&gaps);
	return 0;
}

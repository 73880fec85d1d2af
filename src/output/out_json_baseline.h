/* findings.json: the "baseline" object (docs/contract.md, "baseline"). */
#ifndef CERTTRAIL_OUT_JSON_BASELINE_H
#define CERTTRAIL_OUT_JSON_BASELINE_H

#include "baseline/baseline.h"
#include "json_writer.h"

void	out_json_baseline(struct json_writer *, const struct baseline *);

#endif

/* findings.json: the protocol log aggregates after "tls_outcomes". */
#ifndef CERTTRAIL_OUT_JSON_LOGS_H
#define CERTTRAIL_OUT_JSON_LOGS_H

#include "model/evidence.h"
#include "json_writer.h"

void	out_json_logs(struct json_writer *, const struct evidence *);

#endif

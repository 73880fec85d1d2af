/* findings.json: the protocol log aggregates after "tls_outcomes", and the TLS outcomes per connector and day. */
#ifndef CERTTRAIL_OUT_JSON_LOGS_H
#define CERTTRAIL_OUT_JSON_LOGS_H

#include "model/evidence.h"
#include "json_writer.h"

void	out_json_logs(struct json_writer *, const struct evidence *);
/* A log group's sample rows: [{"source", "line"}, ...] ([] for NULL). */
void	out_json_samples(struct json_writer *, const struct ev_log_group *);

#endif

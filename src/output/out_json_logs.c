/*
 * findings.json: the protocol log aggregates beyond "tls_outcomes" (which
 * out_json.c writes from its table description, model/kinds/tls_outcome.c):
 * "smtp_sessions", "connect_failures" and "smtp_responses", all additive.
 * Arrays come in the evidence's order (failing groups first).
 */
#include "config.h"

#include "model/evidence.h"
#include "json_writer.h"
#include "out_json_logs.h"
#include "util/datetime.h"

void
out_json_samples(struct json_writer *w, const struct ev_log_group *g)
{
	size_t	i;

	jw_array_begin(w);
	for (i = 0; g != NULL && i < g->nsamples; i++) {
		jw_object_begin(w);
		jw_kv_string(w, "source", g->samples[i].source);
		jw_kv_int(w, "line", g->samples[i].line);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void
samples(struct json_writer *w, const struct ev_log_group *g)
{
	jw_key(w, "samples");
	out_json_samples(w, g);
}

static void
span(struct json_writer *w, long count, int64_t first, int64_t last)
{
	jw_kv_int(w, "count", count);
	jw_key(w, "first");
	jw_time(w, first);
	jw_key(w, "last");
	jw_time(w, last);
}

void
out_json_logs(struct json_writer *w, const struct evidence *ev)
{
	size_t	i;

	jw_key(w, "smtp_sessions");
	jw_array_begin(w);
	for (i = 0; i < ev->nsessions; i++) {
		const struct ev_session_agg	*a = &ev->sessions[i];

		jw_object_begin(w);
		jw_kv_string(w, "server", a->server);
		jw_kv_string(w, "direction", a->receive ? "receive" : "send");
		jw_kv_string(w, "connector", a->connector);
		jw_kv_string(w, "remote", a->remote);
		jw_key(w, "starttls_offered");
		jw_bool(w, a->starttls_offered);
		jw_key(w, "anonymous_tls_offered");
		jw_bool(w, a->anonymous_tls_offered);
		jw_kv_string(w, "tls", a->tls > 0 ? "ok" : a->tls < 0 ?
		    "failed" : "none");
		span(w, a->count, a->first, a->last);
		samples(w, &a->g);
		jw_object_end(w);
	}
	jw_array_end(w);

	jw_key(w, "connect_failures");
	jw_array_begin(w);
	for (i = 0; i < ev->nconnfail; i++) {
		const struct ev_connect_failure_agg	*a = &ev->connfail[i];

		jw_object_begin(w);
		jw_kv_string(w, "server", a->server);
		jw_kv_string(w, "connector", a->connector);
		jw_key(w, "winsock_error");
		if (a->winsock_error >= 0)
			jw_int(w, a->winsock_error);
		else
			jw_null(w);
		jw_kv_string(w, "destination", a->destination);
		span(w, a->count, a->first, a->last);
		samples(w, &a->g);
		jw_object_end(w);
	}
	jw_array_end(w);

	jw_key(w, "smtp_responses");
	jw_array_begin(w);
	for (i = 0; i < ev->nresponses; i++) {
		const struct ev_response_agg	*a = &ev->responses[i];

		jw_object_begin(w);
		jw_kv_string(w, "server", a->server);
		jw_kv_string(w, "direction", a->receive ? "receive" : "send");
		jw_kv_string(w, "connector", a->connector);
		jw_kv_string(w, "code", a->code);
		span(w, a->count, a->first, a->last);
		samples(w, &a->g);
		jw_object_end(w);
	}
	jw_array_end(w);

	/* A later run's --baseline compares these day by day. */
	jw_key(w, "tls_days");
	jw_array_begin(w);
	for (i = 0; i < ev->ntls_days; i++) {
		const struct ev_tls_day	*d = &ev->tls_days[i];
		char			 day[32];

		time_format_iso(d->day, day, sizeof day);
		day[10] = '\0';
		jw_object_begin(w);
		jw_kv_string(w, "server", d->server);
		jw_kv_string(w, "direction", d->receive ? "receive" : "send");
		jw_kv_string(w, "connector", d->connector);
		jw_kv_string(w, "day", day);
		jw_kv_int(w, "ok", d->ok);
		jw_kv_int(w, "failed", d->failed);
		jw_object_end(w);
	}
	jw_array_end(w);
}

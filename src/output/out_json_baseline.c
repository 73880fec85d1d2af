/*
 * The comparison with the earlier result, as docs/contract.md fixes it:
 * the earlier file, its as-of time, one entry per problem with its state
 * and both ids, the symptoms before and after; then what this version adds
 * (the sentence, the servers compared, each server's state, the connectors
 * day by day, the queues).
 */
#include "config.h"

#include "out_json_baseline.h"
#include "util/datetime.h"

static void
write_count(struct json_writer *w, const char *key, long n)
{
	jw_key(w, key);
	if (n >= 0)
		jw_int(w, n);
	else
		jw_null(w);
}

static void
write_day(struct json_writer *w, const char *key, int64_t day)
{
	char	s[32];

	jw_key(w, key);
	if (day == TIME_UNKNOWN) {
		jw_null(w);
		return;
	}
	time_format_iso(day, s, sizeof s);
	s[10] = '\0';
	jw_string(w, s);
}

static void
write_entry(struct json_writer *w, const struct bl_entry *e)
{
	size_t	i;

	jw_object_begin(w);
	jw_kv_string(w, "state", bl_state_name(e->state));
	jw_kv_string(w, "rule", e->rule);
	jw_key(w, "servers");
	jw_strlist(w, &e->servers);
	jw_key(w, "connectors");
	jw_strlist(w, &e->connectors);
	jw_key(w, "thumbprints");
	jw_strlist(w, &e->thumbprints);
	jw_kv_string(w, "before", e->before);
	jw_kv_string(w, "after", e->after);
	jw_kv_string(w, "severity", e->severity);
	jw_kv_string(w, "title", e->title);
	jw_key(w, "per_server");
	jw_array_begin(w);
	for (i = 0; i < e->nper_server; i++) {
		jw_object_begin(w);
		jw_kv_string(w, "server", e->per_server[i].server);
		jw_kv_string(w, "state", bl_state_name(e->per_server[i].state));
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void
write_connector(struct json_writer *w, const struct bl_connector *c)
{
	size_t	i;

	jw_object_begin(w);
	jw_kv_string(w, "server", c->server);
	jw_kv_string(w, "direction", c->receive ? "receive" : "send");
	jw_kv_string(w, "connector", c->connector);
	write_count(w, "before_failed", c->before_failed);
	write_count(w, "after_failed", c->after_failed);
	write_count(w, "before_ok", c->before_ok);
	write_count(w, "after_ok", c->after_ok);
	write_day(w, "last_failure_day", c->last_failure_day);
	write_day(w, "first_clean_day", c->first_clean_day);
	jw_key(w, "days");
	jw_array_begin(w);
	for (i = 0; i < c->ndays; i++) {
		jw_object_begin(w);
		write_day(w, "day", c->days[i].day);
		write_count(w, "before_ok", c->days[i].before_ok);
		write_count(w, "before_failed", c->days[i].before_failed);
		write_count(w, "after_ok", c->days[i].after_ok);
		write_count(w, "after_failed", c->days[i].after_failed);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void
write_queue(struct json_writer *w, const struct bl_queue_cmp *q)
{
	jw_object_begin(w);
	jw_kv_string(w, "server", q->server);
	jw_kv_string(w, "identity", q->identity);
	jw_kv_string(w, "next_hop_domain", q->next_hop);
	write_count(w, "before_messages", q->before_messages);
	write_count(w, "after_messages", q->after_messages);
	jw_kv_string(w, "after_status", q->after_status);
	jw_kv_string(w, "state", bl_queue_state_name(q->state));
	jw_object_end(w);
}

void
out_json_baseline(struct json_writer *w, const struct baseline *b)
{
	size_t	i;

	jw_key(w, "baseline");
	jw_object_begin(w);
	jw_key(w, "inputs");
	jw_array_begin(w);
	jw_object_begin(w);
	jw_kv_string(w, "path", b->before.path);
	jw_kv_string(w, "sha256", b->before.sha256);
	jw_object_end(w);
	jw_array_end(w);
	jw_key(w, "as_of");
	jw_time(w, b->before.as_of);
	jw_key(w, "findings");
	jw_array_begin(w);
	for (i = 0; i < b->nentries; i++)
		write_entry(w, &b->entries[i]);
	jw_array_end(w);
	jw_key(w, "symptoms");
	jw_object_begin(w);
	write_count(w, "before", b->before.symptoms);
	write_count(w, "after", b->after.symptoms);
	jw_key(w, "connectors");
	jw_array_begin(w);
	for (i = 0; i < b->nconnectors; i++)
		write_connector(w, &b->connectors[i]);
	jw_array_end(w);
	jw_key(w, "queues");
	jw_array_begin(w);
	for (i = 0; i < b->nqueues; i++)
		write_queue(w, &b->queues[i]);
	jw_array_end(w);
	jw_object_end(w);
	jw_kv_string(w, "text", b->text);
	jw_key(w, "counts");
	jw_object_begin(w);
	for (i = 0; i < BL_NSTATES; i++)
		jw_kv_int(w, bl_state_name((enum bl_state)i), b->counts[i]);
	jw_object_end(w);
	jw_key(w, "servers");
	jw_object_begin(w);
	jw_key(w, "compared");
	jw_strlist(w, &b->compared);
	jw_key(w, "not_recollected");
	jw_strlist(w, &b->before_only);
	jw_key(w, "new");
	jw_strlist(w, &b->after_only);
	jw_object_end(w);
	jw_object_end(w);
}

/* findings.json, exactly as docs/contract.md describes it (plus the manifest). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kinds/kinds.h"
#include "columns.h"
#include "json_writer.h"
#include "out_json_logs.h"
#include "out_json_baseline.h"
#include "report.h"
#include "rules/symptoms.h"
#include "rules/verdict.h"
#include "util/parse_diag.h"

#define SCHEMA "certtrail/findings/1"

static void
write_services(struct json_writer *w, int services)
{
	const char	*name;
	size_t		 pos = 0;

	if (services == SERVICES_UNKNOWN) {
		jw_null(w);
		return;
	}
	jw_array_begin(w);
	while ((name = service_name_at(services, &pos)) != NULL)
		jw_string(w, name);
	jw_array_end(w);
}

static void
write_line(struct json_writer *w, long line)
{
	if (line > 0)
		jw_int(w, line);
	else
		jw_null(w);
}

/* A resolved finding: what changed and the successes after its window. */
static void
write_resolution(struct json_writer *w, const struct finding *f)
{
	jw_key(w, "resolution");
	if (f->status != FINDING_RESOLVED) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kv_string(w, "change", f->change);
	jw_kv_int(w, "successes_after", f->ok_after);
	jw_key(w, "successes_from");
	jw_time(w, f->ok_first);
	jw_key(w, "successes_to");
	jw_time(w, f->ok_last);
	jw_object_end(w);
}

static void
write_finding(struct json_writer *w, const struct finding *f)
{
	int64_t	t;
	size_t	i;
	bool	utc;

	jw_object_begin(w);
	jw_kv_string(w, "id", f->id);
	jw_kv_string(w, "rule", f->rule);
	jw_kv_string(w, "severity", severity_name(f->severity));
	jw_kv_string(w, "status", finding_status_name(f->status));
	jw_kv_string(w, "title", f->title);
	jw_kv_string(w, "explanation", f->explanation);
	jw_key(w, "servers");
	jw_strlist(w, &f->servers);
	jw_key(w, "connectors");
	jw_strlist(w, &f->connectors);
	jw_key(w, "thumbprints");
	jw_strlist(w, &f->thumbprints);
	/* A window on a server's local clock has no zone. */
	jw_key(w, "first_seen");
	t = finding_first(f, &utc);
	jw_time_as(w, t, utc);
	jw_key(w, "last_seen");
	t = finding_last(f, &utc);
	jw_time_as(w, t, utc);
	write_resolution(w, f);
	jw_key(w, "evidence");
	jw_array_begin(w);
	for (i = 0; i < f->nevidence; i++) {
		jw_object_begin(w);
		jw_kv_string(w, "source", f->evidence[i].source);
		jw_key(w, "line");
		write_line(w, f->evidence[i].line);
		jw_kv_string(w, "text", f->evidence[i].text);
		jw_kv_int(w, "count", f->evidence[i].count);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "remediation");
	jw_array_begin(w);
	for (i = 0; i < f->nremediation; i++) {
		jw_object_begin(w);
		jw_kv_int(w, "step", f->remediation[i].step);
		jw_kv_string(w, "text", f->remediation[i].text);
		jw_kv_string(w, "command", f->remediation[i].command);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "references");
	jw_strlist(w, &f->references);
	jw_object_end(w);
}

/* One value of a column (columns.h), null when unknown. */
static void
write_value(struct json_writer *w, const struct column *c,
    const struct col_value *v)
{
	switch (c->type) {
	case COL_STR:
		jw_string(w, v->s);
		break;
	case COL_TIME:
		jw_time_as(w, v->t, v->exact);
		break;
	case COL_ZONE:
		/* A date shown as written is no UTC time either. */
		if (v->known || v->written != NULL)
			jw_bool(w, v->known && v->exact);
		else
			jw_null(w);
		break;
	case COL_TRI:
		jw_tri(w, v->tri);
		break;
	case COL_BOOL:
		jw_bool(w, v->b);
		break;
	case COL_INT:
	case COL_DAYS:
		if (v->known)
			jw_int(w, v->n);
		else
			jw_null(w);
		break;
	case COL_LIST:
		if (v->known)
			jw_strlist(w, v->list);
		else
			jw_null(w);
		break;
	case COL_SERVICES:
		write_services(w, v->known ? v->services : SERVICES_UNKNOWN);
		break;
	case COL_SAMPLES:
		out_json_samples(w, v->group);
		break;
	}
}

/*
 * A table as an array of objects, one key per column that findings.json
 * shows, in the description's order; a column with a parent goes inside
 * that object.
 */
static void
write_table(struct json_writer *w, const struct table *t,
    const struct report *r)
{
	struct col_ctx		 x = col_ctx_of(r);
	struct col_value	 v;
	const char		*open;
	const void		*rows, *row;
	size_t			 n, i, j;

	rows = t->rows(&x, &n);
	jw_key(w, t->key);
	jw_array_begin(w);
	for (i = 0; i < n; i++) {
		row = table_row(t, rows, i);
		open = NULL;
		jw_object_begin(w);
		for (j = 0; j < t->ncols; j++) {
			const struct column	*c = &t->cols[j];

			if (!(c->show & OUT_JSON))
				continue;
			if (open != NULL && (c->parent == NULL ||
			    strcmp(open, c->parent) != 0)) {
				jw_object_end(w);
				open = NULL;
			}
			if (c->parent != NULL && open == NULL) {
				jw_key(w, c->parent);
				jw_object_begin(w);
				open = c->parent;
			}
			col_read(c, row, &x, &v);
			jw_key(w, c->key);
			write_value(w, c, &v);
			col_value_clear(&v);
		}
		if (open != NULL)
			jw_object_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
}

/*
 * Each kind's array, in the table of kinds' order: the exported objects
 * after the gaps, the protocol-log aggregates after log_summary.
 */
static void
write_kinds(struct json_writer *w, const struct report *r, bool logs)
{
	const struct ev_kind *const	*k;

	for (k = ev_kinds; *k != NULL; k++)
		if ((*k)->logs == logs)
			write_table(w, (*k)->table, r);
}

/* docs/contract.md, "verdict": state, one plain sentence, what was not read. */
static void
write_verdict(struct json_writer *w, const struct report *r)
{
	size_t	i;

	if (r->verdict == NULL)
		return;
	jw_key(w, "verdict");
	jw_object_begin(w);
	jw_kv_string(w, "state", verdict_state_name(r->verdict->state));
	jw_kv_string(w, "text", r->verdict->text);
	jw_key(w, "incomplete");
	jw_array_begin(w);
	for (i = 0; i < r->verdict->incomplete.n; i++)
		jw_string(w, r->verdict->incomplete.v[i]);
	jw_array_end(w);
	jw_kv_int(w, "symptoms", r->verdict->symptoms);
	jw_kv_int(w, "unexplained", r->verdict->unexplained);
	jw_kv_int(w, "ended", r->verdict->ended);
	jw_object_end(w);
}

static void
write_header(struct json_writer *w, const struct report *r)
{
	const struct evidence	*ev = r->ev;
	long			 counts[5];
	size_t			 i;

	jw_kv_string(w, "schema", SCHEMA);
	jw_key(w, "tool");
	jw_object_begin(w);
	jw_kv_string(w, "name", "certtrail");
	jw_kv_string(w, "version", r->tool_version);
	jw_object_end(w);
	jw_key(w, "case");
	jw_object_begin(w);
	jw_kv_string(w, "case", r->case_id);
	jw_kv_string(w, "customer", r->customer);
	jw_kv_string(w, "analyst", r->analyst);
	jw_object_end(w);
	jw_key(w, "inputs");
	jw_array_begin(w);
	for (i = 0; i < ev->ninputs; i++) {
		jw_object_begin(w);
		jw_kv_string(w, "path", ev->inputs[i].path);
		jw_key(w, "sha256");
		if (ev->inputs[i].sha256[0])
			jw_string(w, ev->inputs[i].sha256);
		else
			jw_null(w);
		jw_kv_int(w, "bytes", (long long)ev->inputs[i].bytes);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "as_of");
	jw_time(w, r->as_of);
	jw_kv_string(w, "as_of_source", r->as_of_source);
	findings_count(r->findings, counts);
	jw_key(w, "summary");
	jw_object_begin(w);
	jw_kv_int(w, "critical", counts[SEV_CRITICAL]);
	jw_kv_int(w, "high", counts[SEV_HIGH]);
	jw_kv_int(w, "medium", counts[SEV_MEDIUM]);
	jw_kv_int(w, "low", counts[SEV_LOW]);
	jw_kv_int(w, "info", counts[SEV_INFO]);
	jw_kv_int(w, "resolved", findings_count_active(r->findings, counts));
	jw_object_end(w);
	jw_key(w, "root_cause");
	jw_string(w, r->findings->root_cause >= 0 ?
	    r->findings->v[r->findings->root_cause].id : NULL);
	write_verdict(w, r);
}

static void
write_symptoms(struct json_writer *w, const struct report *r)
{
	const struct symptom	*s;
	const struct finding	*f;
	size_t			 i;

	if (r->symptoms == NULL)
		return;
	jw_key(w, "symptoms");
	jw_array_begin(w);
	for (i = 0; i < r->symptoms->n; i++) {
		s = &r->symptoms->v[i];
		f = findings_by_seq(r->findings, s->finding_seq);
		jw_object_begin(w);
		jw_kv_string(w, "kind", symptom_type_name(s->type));
		jw_kv_string(w, "server", s->server);
		jw_kv_string(w, "connector", s->connector);
		jw_kv_string(w, "thumbprint", s->thumbprint);
		jw_kv_string(w, "text", s->text);
		jw_kv_string(w, "source", s->source);
		jw_kv_int(w, "line", s->line);
		jw_kv_int(w, "count", s->count);
		jw_key(w, "first");
		jw_time_as(w, s->first, !s->local);
		jw_key(w, "last");
		jw_time_as(w, s->last, !s->local);
		jw_kv_string(w, "finding", f != NULL ? f->id : NULL);
		jw_object_end(w);
	}
	jw_array_end(w);
}

/*
 * What the logs show: null when no log was read, since what they would
 * have shown is unknown, not 0 (docs/contract.md, "log_summary").
 */
static void
write_log_count(struct json_writer *w, const struct evidence *ev,
    const char *key, long n)
{
	jw_key(w, key);
	if (logs_collected(ev))
		jw_int(w, n);
	else
		jw_null(w);
}

static void
write_tail(struct json_writer *w, const struct report *r)
{
	const struct evidence	*ev = r->ev;
	size_t			 i;

	jw_key(w, "log_summary");
	jw_object_begin(w);
	jw_kv_int(w, "files", ev->logs.files);
	jw_kv_int(w, "rows", ev->logs.rows);
	write_log_count(w, ev, "sessions", ev->logs.sessions);
	write_log_count(w, ev, "tls_ok", ev->logs.tls_ok);
	write_log_count(w, ev, "tls_failed", ev->logs.tls_failed);
	jw_kv_int(w, "bad_rows", ev->logs.bad_rows);
	jw_key(w, "first");
	jw_time(w, ev->logs.first);
	jw_key(w, "last");
	jw_time(w, ev->logs.last);
	write_log_count(w, ev, "connect_failures", ev->logs.connect_failures);
	write_log_count(w, ev, "error_responses", ev->logs.responses);
	jw_kv_int(w, "long_lines", ev->logs.long_lines);
	jw_kv_int(w, "headerless_files", ev->logs.headerless_files);
	jw_object_end(w);
	write_kinds(w, r, true);
	out_json_logs(w, ev);
	write_table(w, &table_diagnostics, r);
	jw_key(w, "entries");
	jw_array_begin(w);
	for (i = 0; i < ev->nentries; i++) {
		jw_object_begin(w);
		jw_kv_string(w, "path", ev->entries[i].path);
		/* An entry not read whole has no hash: null, not "". */
		jw_kv_string(w, "sha256", ev->entries[i].sha256[0] != '\0' ?
		    ev->entries[i].sha256 : NULL);
		jw_kv_int(w, "bytes", (long long)ev->entries[i].bytes);
		jw_kv_string(w, "kind", ev->entries[i].kind ? ev->entries[i].kind :
		    "unknown");
		jw_kv_string(w, "status", entry_status_name(ev->entries[i].status));
		jw_kv_string(w, "why", ev->entries[i].why);
		jw_kv_string(w, "duplicate_of", ev->entries[i].duplicate_of);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static int
write_file(const char *path, const char *data, size_t len)
{
	struct parse_diag	 pd;
	FILE			*fp = fopen(path, "wb");

	parse_diag_init(&pd, NULL, path);
	pd.print = true;
	if (fp == NULL) {
		parse_problem(&pd, DIAG_ERROR, 0, "%s", strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		parse_problem(&pd, DIAG_ERROR, 0, "write failed: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

char *
out_json_text(const struct report *r, size_t *len)
{
	struct json_writer	 w;
	struct buf		 out;
	size_t			 i;

	buf_init(&out, (size_t)1 << 34);
	jw_init(&w, &out);
	jw_object_begin(&w);
	write_header(&w, r);
	if (r->baseline != NULL)
		out_json_baseline(&w, r->baseline);
	jw_key(&w, "findings");
	jw_array_begin(&w);
	for (i = 0; i < r->findings->n; i++)
		write_finding(&w, &r->findings->v[i]);
	jw_array_end(&w);
	write_table(&w, &table_gaps, r);
	write_kinds(&w, r, false);
	write_symptoms(&w, r);
	write_tail(&w, r);
	jw_object_end(&w);
	return buf_steal(&out, len);
}

int
out_json_write(const struct report *r, const char *path)
{
	char	*text;
	size_t	 len;
	int	 rc;

	text = out_json_text(r, &len);
	rc = write_file(path, text, len);
	free(text);
	return rc;
}

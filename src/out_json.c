/* findings.json, exactly as CONTRACT.md describes it (plus the manifest). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "json_writer.h"
#include "out_json_logs.h"
#include "report.h"
#include "symptoms.h"
#include "verdict.h"

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

static void
write_finding(struct json_writer *w, const struct finding *f)
{
	size_t	i;

	jw_object_begin(w);
	jw_kv_string(w, "id", f->id);
	jw_kv_string(w, "rule", f->rule);
	jw_kv_string(w, "severity", severity_name(f->severity));
	jw_kv_string(w, "title", f->title);
	jw_kv_string(w, "explanation", f->explanation);
	jw_key(w, "servers");
	jw_strlist(w, &f->servers);
	jw_key(w, "connectors");
	jw_strlist(w, &f->connectors);
	jw_key(w, "thumbprints");
	jw_strlist(w, &f->thumbprints);
	jw_key(w, "first_seen");
	jw_time(w, f->first_seen);
	jw_key(w, "last_seen");
	jw_time(w, f->last_seen);
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

static void
write_cert(struct json_writer *w, const struct ev_cert *c)
{
	jw_object_begin(w);
	jw_kv_string(w, "server", c->server);
	jw_kv_string(w, "thumbprint", c->thumbprint);
	jw_kv_string(w, "subject", c->subject);
	/* true: the export cut the subject (table view "..."), shown as cut */
	jw_key(w, "subject_incomplete");
	jw_bool(w, c->subject_incomplete);
	/* which clue named the server (attribution.h), null when unknown */
	jw_kv_string(w, "server_from", c->server_clue > 0 ?
	    attr_clue_name((enum attr_clue)c->server_clue) : NULL);
	jw_kv_string(w, "issuer", c->issuer);
	jw_kv_string(w, "serial", c->serial);
	jw_key(w, "not_before");
	jw_time(w, c->not_before);
	jw_key(w, "not_after");
	jw_time(w, c->not_after);
	/* false: the dates are Format-List text, server-local time read as UTC */
	jw_key(w, "dates_exact");
	jw_bool(w, c->dates_exact);
	jw_key(w, "domains");
	if (c->domains_known)
		jw_strlist(w, &c->domains);
	else
		jw_null(w);
	jw_key(w, "domains_incomplete");
	jw_bool(w, c->domains_incomplete);
	jw_key(w, "services");
	write_services(w, c->services);
	jw_kv_string(w, "status", c->status);
	jw_key(w, "self_signed");
	jw_tri(w, c->self_signed);
	jw_key(w, "has_private_key");
	jw_tri(w, c->has_private_key);
	jw_kv_string(w, "root_ca_type", c->root_ca_type);
	jw_key(w, "key_bits");
	if (c->key_bits >= 0)
		jw_int(w, c->key_bits);
	else
		jw_null(w);
	jw_kv_string(w, "signature_algorithm", c->signature_algorithm);
	jw_kv_string(w, "friendly_name", c->friendly_name);
	jw_key(w, "sources");
	jw_strlist(w, &c->sources);
	jw_object_end(w);
}

static void
write_connector(struct json_writer *w, const struct ev_send_connector *sc)
{
	jw_object_begin(w);
	jw_kv_string(w, "name", sc->name);
	jw_key(w, "enabled");
	jw_tri(w, sc->enabled);
	jw_key(w, "source_transport_servers");
	if (sc->source_servers_known)
		jw_strlist(w, &sc->source_servers);
	else
		jw_null(w);
	jw_key(w, "source_transport_servers_incomplete");
	jw_bool(w, sc->source_servers_incomplete);
	jw_kv_string(w, "fqdn", sc->fqdn);
	jw_kv_string(w, "tls_certificate_name", sc->tls_certificate_name);
	jw_key(w, "require_tls");
	jw_tri(w, sc->require_tls);
	jw_kv_string(w, "tls_auth_level", sc->tls_auth_level);
	jw_kv_string(w, "tls_domain", sc->tls_domain);
	jw_key(w, "smart_hosts");
	if (sc->smart_hosts_known)
		jw_strlist(w, &sc->smart_hosts);
	else
		jw_null(w);
	jw_key(w, "address_spaces");
	if (sc->address_spaces_known)
		jw_strlist(w, &sc->address_spaces);
	else
		jw_null(w);
	jw_kv_string(w, "protocol_logging_level", sc->protocol_logging_level);
	jw_key(w, "cloud_services_mail_enabled");
	jw_tri(w, sc->cloud_services_mail_enabled);
	jw_key(w, "sources");
	jw_strlist(w, &sc->sources);
	jw_object_end(w);
}

static void
write_queue(struct json_writer *w, const struct ev_queue *q)
{
	jw_object_begin(w);
	jw_kv_string(w, "identity", q->identity);
	jw_kv_string(w, "server", q->server);
	jw_kv_string(w, "delivery_type", q->delivery_type);
	jw_kv_string(w, "next_hop_domain", q->next_hop_domain);
	jw_kv_string(w, "next_hop_connector", q->next_hop_connector);
	jw_kv_string(w, "tls_domain", q->tls_domain);
	jw_kv_string(w, "status", q->status);
	jw_key(w, "message_count");
	if (q->message_count >= 0)
		jw_int(w, q->message_count);
	else
		jw_null(w);
	jw_kv_string(w, "last_error", q->last_error);
	jw_key(w, "last_retry_time");
	jw_time(w, q->last_retry_time);
	jw_kv_string(w, "source", q->ref.source);
	jw_key(w, "line");
	write_line(w, q->ref.line);
	jw_object_end(w);
}

/* CONTRACT.md "verdict": state, one plain sentence, what was not read. */
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
	jw_object_end(w);
}

static void
write_known_list(struct json_writer *w, const char *key,
    const struct strlist *l, bool known)
{
	jw_key(w, key);
	if (known)
		jw_strlist(w, l);
	else
		jw_null(w);
}

static void
write_receive_connector(struct json_writer *w,
    const struct ev_receive_connector *rc)
{
	jw_object_begin(w);
	jw_kv_string(w, "server", rc->server);
	jw_kv_string(w, "name", rc->name);
	jw_kv_string(w, "identity", rc->identity);
	jw_key(w, "enabled");
	jw_tri(w, rc->enabled);
	write_known_list(w, "bindings", &rc->bindings, rc->bindings_known);
	jw_key(w, "bindings_incomplete");
	jw_bool(w, rc->bindings_incomplete);
	jw_kv_string(w, "fqdn", rc->fqdn);
	jw_kv_string(w, "tls_certificate_name", rc->tls_certificate_name);
	write_known_list(w, "auth_mechanism", &rc->auth_mechanism,
	    rc->auth_mechanism_known);
	jw_key(w, "require_tls");
	jw_tri(w, rc->require_tls);
	jw_kv_string(w, "tls_domain_capabilities", rc->tls_domain_capabilities);
	jw_kv_string(w, "protocol_logging_level", rc->protocol_logging_level);
	jw_kv_string(w, "transport_role", rc->transport_role);
	jw_key(w, "sources");
	jw_strlist(w, &rc->sources);
	jw_object_end(w);
}

static void
write_transport_service(struct json_writer *w,
    const struct ev_transport_service *ts)
{
	jw_object_begin(w);
	jw_kv_string(w, "server", ts->server);
	jw_kv_string(w, "internal_transport_certificate",
	    ts->internal_transport_certificate);
	jw_kv_string(w, "send_protocol_log_path", ts->send_protocol_log_path);
	jw_kv_string(w, "receive_protocol_log_path",
	    ts->receive_protocol_log_path);
	jw_kv_string(w, "intra_org_connector_protocol_logging_level",
	    ts->intra_org_connector_protocol_logging_level);
	jw_key(w, "sources");
	jw_strlist(w, &ts->sources);
	jw_object_end(w);
}

static void
write_event(struct json_writer *w, const struct ev_event *e)
{
	jw_object_begin(w);
	jw_kv_string(w, "server", e->server);
	jw_key(w, "time");
	jw_time(w, e->time);
	jw_kv_string(w, "source", e->provider);
	jw_key(w, "id");
	if (e->id >= 0)
		jw_int(w, e->id);
	else
		jw_null(w);
	jw_kv_string(w, "level", e->level);
	jw_kv_string(w, "message", e->message);
	jw_key(w, "evidence");
	jw_object_begin(w);
	jw_kv_string(w, "source", e->ref.source);
	jw_key(w, "line");
	write_line(w, e->ref.line);
	jw_object_end(w);
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
		jw_time(w, s->first);
		jw_key(w, "last");
		jw_time(w, s->last);
		jw_kv_string(w, "finding", f != NULL ? f->id : NULL);
		jw_object_end(w);
	}
	jw_array_end(w);
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
	jw_kv_int(w, "sessions", ev->logs.sessions);
	jw_kv_int(w, "tls_ok", ev->logs.tls_ok);
	jw_kv_int(w, "tls_failed", ev->logs.tls_failed);
	jw_kv_int(w, "bad_rows", ev->logs.bad_rows);
	jw_key(w, "first");
	jw_time(w, ev->logs.first);
	jw_key(w, "last");
	jw_time(w, ev->logs.last);
	jw_kv_int(w, "connect_failures", ev->logs.connect_failures);
	jw_kv_int(w, "error_responses", ev->logs.responses);
	jw_kv_int(w, "long_lines", ev->logs.long_lines);
	jw_kv_int(w, "headerless_files", ev->logs.headerless_files);
	jw_object_end(w);
	out_json_logs(w, ev);
	jw_key(w, "diagnostics");
	jw_array_begin(w);
	for (i = 0; i < ev->diags.n; i++) {
		jw_object_begin(w);
		jw_kv_string(w, "level", diag_level_name(ev->diags.v[i].level));
		jw_kv_string(w, "source", ev->diags.v[i].source);
		jw_kv_string(w, "message", ev->diags.v[i].message);
		jw_object_end(w);
	}
	jw_array_end(w);
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
		jw_object_end(w);
	}
	jw_array_end(w);
}

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE	*fp = fopen(path, "wb");

	if (fp == NULL) {
		fprintf(stderr, "certtrail: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		fprintf(stderr, "certtrail: %s: write failed: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
out_json_write(const struct report *r, const char *path)
{
	const struct evidence	*ev = r->ev;
	struct json_writer	 w;
	struct buf		 out;
	size_t			 i;
	int			 rc;

	buf_init(&out, (size_t)1 << 34);
	jw_init(&w, &out);
	jw_object_begin(&w);
	write_header(&w, r);
	jw_key(&w, "findings");
	jw_array_begin(&w);
	for (i = 0; i < r->findings->n; i++)
		write_finding(&w, &r->findings->v[i]);
	jw_array_end(&w);
	jw_key(&w, "gaps");
	jw_array_begin(&w);
	for (i = 0; i < r->gaps->n; i++) {
		jw_object_begin(&w);
		jw_kv_string(&w, "what", r->gaps->v[i].what);
		jw_kv_string(&w, "collect", r->gaps->v[i].collect);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_key(&w, "certificates");
	jw_array_begin(&w);
	for (i = 0; i < ev->ncerts; i++)
		write_cert(&w, &ev->certs[i]);
	jw_array_end(&w);
	jw_key(&w, "send_connectors");
	jw_array_begin(&w);
	for (i = 0; i < ev->nsendc; i++)
		write_connector(&w, &ev->sendc[i]);
	jw_array_end(&w);
	jw_key(&w, "receive_connectors");
	jw_array_begin(&w);
	for (i = 0; i < ev->nrecvc; i++)
		write_receive_connector(&w, &ev->recvc[i]);
	jw_array_end(&w);
	jw_key(&w, "queues");
	jw_array_begin(&w);
	for (i = 0; i < ev->nqueues; i++)
		write_queue(&w, &ev->queues[i]);
	jw_array_end(&w);
	jw_key(&w, "transport_services");
	jw_array_begin(&w);
	for (i = 0; i < ev->ntransport; i++)
		write_transport_service(&w, &ev->transport[i]);
	jw_array_end(&w);
	jw_key(&w, "events");
	jw_array_begin(&w);
	for (i = 0; i < ev->nevents; i++)
		write_event(&w, &ev->events[i]);
	jw_array_end(&w);
	write_symptoms(&w, r);
	write_tail(&w, r);
	jw_object_end(&w);
	rc = write_file(path, out.data, out.len);
	buf_free(&out);
	return rc;
}

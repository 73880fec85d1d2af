/*
 * The evidence store: add functions that copy and merge, and the final pass
 * that attributes logs to servers and sorts everything into a stable order.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "evidence.h"

static void
ref_copy(struct ev_ref *dst, const struct ev_ref *src)
{
	dst->source = xstrdup(src->source);
	dst->line = src->line;
}

/* Fills *dst from src when dst is unknown: unknown never overwrites known. */
static void
merge_str(char **dst, const char *src)
{
	if (*dst == NULL && src != NULL)
		*dst = xstrdup(src);
}

static void
merge_tri(tri_t *dst, tri_t src)
{
	if (*dst == TRI_UNKNOWN)
		*dst = src;
}

static void
merge_time(int64_t *dst, int64_t src)
{
	if (*dst == TIME_UNKNOWN)
		*dst = src;
}

char *
server_short_name(const char *name)
{
	const char	*dot, *slash;
	char		*s;

	if (name == NULL)
		return NULL;
	while (*name == ' ')
		name++;
	/* "CONTOSO\EX01" and "EX01.contoso.com" both mean EX01. */
	slash = strrchr(name, '\\');
	if (slash != NULL)
		name = slash + 1;
	dot = strchr(name, '.');
	s = dot ? xstrndup(name, (size_t)(dot - name)) : xstrdup(name);
	str_trim(s);
	ascii_upper(s);
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

void
evidence_init(struct evidence *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->logs.first = ev->logs.last = TIME_UNKNOWN;
	ev->newest_entry_time = TIME_UNKNOWN;
}

void
ev_cert_init(struct ev_cert *c)
{
	memset(c, 0, sizeof *c);
	c->not_before = c->not_after = TIME_UNKNOWN;
	c->services = SERVICES_UNKNOWN;
	c->self_signed = c->has_private_key = TRI_UNKNOWN;
	c->key_bits = -1;
}

void
ev_send_connector_init(struct ev_send_connector *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->enabled = sc->require_tls = TRI_UNKNOWN;
	sc->cloud_services_mail_enabled = TRI_UNKNOWN;
}

void
ev_queue_init(struct ev_queue *q)
{
	memset(q, 0, sizeof *q);
	q->message_count = -1;
	q->last_retry_time = TIME_UNKNOWN;
}

void
ev_cert_clear(struct ev_cert *c)
{
	free(c->server);
	free(c->thumbprint);
	free(c->subject);
	free(c->issuer);
	free(c->serial);
	free(c->friendly_name);
	strlist_free(&c->domains);
	free(c->status);
	free(c->root_ca_type);
	free(c->signature_algorithm);
	strlist_free(&c->sources);
	free(c->ref.source);
	ev_cert_init(c);
}

void
ev_send_connector_clear(struct ev_send_connector *sc)
{
	free(sc->name);
	strlist_free(&sc->source_servers);
	free(sc->fqdn);
	free(sc->tls_certificate_name);
	free(sc->tls_auth_level);
	free(sc->tls_domain);
	strlist_free(&sc->smart_hosts);
	strlist_free(&sc->address_spaces);
	free(sc->protocol_logging_level);
	strlist_free(&sc->sources);
	free(sc->ref.source);
	ev_send_connector_init(sc);
}

void
ev_queue_clear(struct ev_queue *q)
{
	free(q->identity);
	free(q->server);
	free(q->delivery_type);
	free(q->next_hop_domain);
	free(q->next_hop_connector);
	free(q->tls_domain);
	free(q->status);
	free(q->last_error);
	free(q->ref.source);
	ev_queue_init(q);
}

static void
symptom_clear(struct ev_symptom *s)
{
	free(s->server);
	strlist_free(&s->connectors);
	free(s->thumbprint);
	free(s->text);
	free(s->ref.source);
}

void
evidence_free(struct evidence *ev)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		ev_cert_clear(&ev->certs[i]);
	free(ev->certs);
	for (i = 0; i < ev->nsendc; i++)
		ev_send_connector_clear(&ev->sendc[i]);
	free(ev->sendc);
	for (i = 0; i < ev->nqueues; i++)
		ev_queue_clear(&ev->queues[i]);
	free(ev->queues);
	evidence_logs_free(ev);
	for (i = 0; i < ev->nsymptoms; i++)
		symptom_clear(&ev->symptoms[i]);
	free(ev->symptoms);
	for (i = 0; i < ev->nrecvc; i++)
		ev_receive_connector_clear(&ev->recvc[i]);
	free(ev->recvc);
	for (i = 0; i < ev->ntransport; i++)
		ev_transport_service_clear(&ev->transport[i]);
	free(ev->transport);
	for (i = 0; i < ev->nevents; i++)
		ev_event_clear(&ev->events[i]);
	free(ev->events);
	for (i = 0; i < ev->nentries; i++) {
		free(ev->entries[i].path);
		free(ev->entries[i].why);
	}
	free(ev->entries);
	for (i = 0; i < ev->ninputs; i++)
		free(ev->inputs[i].path);
	free(ev->inputs);
	diag_list_free(&ev->diags);
	evidence_init(ev);
}

/* ---------------------------------------------------------- certificates */

static const char *
ref_name(const struct ev_ref *r)
{
	return r->source != NULL ? r->source : "an unnamed source";
}

/*
 * Twins (the .txt and .xml of one dump, two captures) must agree on what the
 * server's configuration says; when they do not, the first one read is kept
 * and both are named, so the reader can tell which to trust.
 */
static void
cert_conflicts(struct diag_list *dl, const struct ev_cert *dst,
    const struct ev_cert *src)
{
	char	a[96], b[96];

	if (dst->services != SERVICES_UNKNOWN && src->services != SERVICES_UNKNOWN &&
	    dst->services != src->services) {
		services_format(dst->services, ", ", a, sizeof a);
		services_format(src->services, ", ", b, sizeof b);
		diag_add(dl, DIAG_WARNING, src->ref.source, "certificate %s on %s: "
		    "Services %s here but %s in %s; kept %s", dst->thumbprint,
		    dst->server, b, a, ref_name(&dst->ref), a);
	}
	if (dst->has_private_key != TRI_UNKNOWN &&
	    src->has_private_key != TRI_UNKNOWN &&
	    dst->has_private_key != src->has_private_key)
		diag_add(dl, DIAG_WARNING, src->ref.source, "certificate %s on %s: "
		    "HasPrivateKey %s here but %s in %s; kept %s",
		    dst->thumbprint, dst->server, tri_text(src->has_private_key),
		    tri_text(dst->has_private_key), ref_name(&dst->ref),
		    tri_text(dst->has_private_key));
	if (dst->status != NULL && src->status != NULL &&
	    ascii_casecmp(dst->status, src->status) != 0)
		diag_add(dl, DIAG_WARNING, src->ref.source, "certificate %s on %s: "
		    "Status %s here but %s in %s; kept %s", dst->thumbprint,
		    dst->server, src->status, dst->status, ref_name(&dst->ref),
		    dst->status);
}

static void
cert_merge(struct ev_cert *dst, const struct ev_cert *src)
{
	size_t	i;

	/* A whole subject replaces a cut one. */
	if (dst->subject != NULL && dst->subject_incomplete && src->subject != NULL &&
	    !src->subject_incomplete) {
		free(dst->subject);
		dst->subject = NULL;
	}
	if (dst->subject == NULL && src->subject != NULL)
		dst->subject_incomplete = src->subject_incomplete;
	merge_str(&dst->subject, src->subject);
	merge_str(&dst->issuer, src->issuer);
	merge_str(&dst->serial, src->serial);
	merge_str(&dst->friendly_name, src->friendly_name);
	if (src->dates_exact && !dst->dates_exact &&
	    src->not_before != TIME_UNKNOWN && src->not_after != TIME_UNKNOWN) {
		dst->not_before = src->not_before;
		dst->not_after = src->not_after;
		dst->dates_exact = true;
	}
	merge_time(&dst->not_before, src->not_before);
	merge_time(&dst->not_after, src->not_after);
	if ((!dst->domains_known || dst->domains_incomplete) &&
	    src->domains_known && !src->domains_incomplete) {
		strlist_free(&dst->domains);
		strlist_copy(&dst->domains, &src->domains);
		dst->domains_known = true;
		dst->domains_incomplete = false;
	} else if (!dst->domains_known && src->domains_known) {
		strlist_copy(&dst->domains, &src->domains);
		dst->domains_known = true;
		dst->domains_incomplete = src->domains_incomplete;
	}
	if (dst->services == SERVICES_UNKNOWN)
		dst->services = src->services;
	merge_str(&dst->status, src->status);
	merge_tri(&dst->self_signed, src->self_signed);
	merge_tri(&dst->has_private_key, src->has_private_key);
	merge_str(&dst->root_ca_type, src->root_ca_type);
	if (dst->key_bits < 0)
		dst->key_bits = src->key_bits;
	merge_str(&dst->signature_algorithm, src->signature_algorithm);
	dst->file_only = dst->file_only && src->file_only;
	if (src->server_clue > 0 && (dst->server_clue == 0 ||
	    src->server_clue < dst->server_clue))
		dst->server_clue = src->server_clue;
	for (i = 0; i < src->sources.n; i++)
		strlist_add_unique_ci(&dst->sources, src->sources.v[i]);
	if (src->ref.source != NULL)
		strlist_add_unique_ci(&dst->sources, src->ref.source);
}

/*
 * A certificate is one record per (server, thumbprint): the same SAN
 * certificate imported on every server of a DAG is one record per server,
 * each with its own services, private key and sources. While the server is
 * unknown, the record is also kept apart per source file, because two files
 * naming no server may come from two servers; evidence_finish() attributes
 * them and merges the ones that turn out to be twins. Certificate files
 * (file_only) hold no per-server facts, so theirs merge on thumbprint.
 */
static bool
cert_same_record(const struct ev_cert *dst, const struct ev_cert *c,
    const char *server)
{
	if (!str_eq_ci(dst->thumbprint, c->thumbprint) ||
	    !str_eq_ci(dst->server, server))
		return false;
	/* A certificate file carries no configuration to keep apart. */
	if (server != NULL || (dst->file_only && c->file_only))
		return true;
	return dst->ref.source != NULL && c->ref.source != NULL &&
	    strcmp(dst->ref.source, c->ref.source) == 0;
}

struct ev_cert *
evidence_add_cert(struct evidence *ev, const struct ev_cert *c)
{
	struct ev_cert	*dst;
	char		*server;
	size_t		 i;

	if (c->thumbprint == NULL)
		return NULL;
	server = server_short_name(c->server);
	for (i = 0; i < ev->ncerts; i++) {
		dst = &ev->certs[i];
		if (cert_same_record(dst, c, server)) {
			free(server);
			if (dst->ref.source == NULL || c->ref.source == NULL ||
			    strcmp(dst->ref.source, c->ref.source) != 0)
				cert_conflicts(&ev->diags, dst, c);
			cert_merge(dst, c);
			return dst;
		}
	}
	ev->certs = xreallocarray_grow(ev->certs, &ev->certs_cap,
	    ev->ncerts + 1, sizeof *ev->certs);
	dst = &ev->certs[ev->ncerts++];
	ev_cert_init(dst);
	dst->server = server;
	dst->thumbprint = xstrdup(c->thumbprint);
	ascii_upper(dst->thumbprint);
	dst->file_only = c->file_only;
	ref_copy(&dst->ref, &c->ref);
	cert_merge(dst, c);
	return dst;
}

/* ------------------------------------------------------- send connectors */

static void
merge_list(struct strlist *dst, bool *dst_known, const struct strlist *src,
    bool src_known, bool src_wins)
{
	if (!src_known)
		return;
	if (*dst_known && !src_wins)
		return;
	strlist_free(dst);
	strlist_copy(dst, src);
	*dst_known = true;
}

static void
connector_merge(struct ev_send_connector *dst, const struct ev_send_connector *src)
{
	/* A richer source (CliXml) overrides a poorer one field by field. */
	bool	wins = src->source_rank > dst->source_rank;
	size_t	i;

#define TAKE_STR(f) do { if (src->f != NULL && (wins || dst->f == NULL)) { \
	free(dst->f); dst->f = xstrdup(src->f); } } while (0)
#define TAKE_TRI(f) do { if (src->f != TRI_UNKNOWN && (wins || dst->f == TRI_UNKNOWN)) \
	dst->f = src->f; } while (0)
	TAKE_TRI(enabled);
	TAKE_STR(fqdn);
	TAKE_STR(tls_certificate_name);
	TAKE_TRI(require_tls);
	TAKE_STR(tls_auth_level);
	TAKE_STR(tls_domain);
	TAKE_STR(protocol_logging_level);
	TAKE_TRI(cloud_services_mail_enabled);
#undef TAKE_STR
#undef TAKE_TRI
	if (src->source_servers_known && (!dst->source_servers_known ||
	    (dst->source_servers_incomplete && !src->source_servers_incomplete) ||
	    (wins && !src->source_servers_incomplete))) {
		strlist_free(&dst->source_servers);
		for (i = 0; i < src->source_servers.n; i++) {
			char *s = server_short_name(src->source_servers.v[i]);

			if (s != NULL)
				strlist_add_unique_ci(&dst->source_servers, s);
			free(s);
		}
		dst->source_servers_known = true;
		dst->source_servers_incomplete = src->source_servers_incomplete;
	}
	merge_list(&dst->smart_hosts, &dst->smart_hosts_known,
	    &src->smart_hosts, src->smart_hosts_known, wins);
	merge_list(&dst->address_spaces, &dst->address_spaces_known,
	    &src->address_spaces, src->address_spaces_known, wins);
	for (i = 0; i < src->sources.n; i++)
		strlist_add_unique_ci(&dst->sources, src->sources.v[i]);
	if (src->ref.source != NULL)
		strlist_add_unique_ci(&dst->sources, src->ref.source);
	if (wins) {
		dst->source_rank = src->source_rank;
		if (src->ref.source != NULL) {
			free(dst->ref.source);
			ref_copy(&dst->ref, &src->ref);
		}
	}
}

struct ev_send_connector *
evidence_add_send_connector(struct evidence *ev, const struct ev_send_connector *sc)
{
	struct ev_send_connector	*dst;
	size_t				 i;

	if (sc->name == NULL)
		return NULL;
	for (i = 0; i < ev->nsendc; i++) {
		dst = &ev->sendc[i];
		if (str_eq_ci(dst->name, sc->name)) {
			connector_merge(dst, sc);
			return dst;
		}
	}
	ev->sendc = xreallocarray_grow(ev->sendc, &ev->sendc_cap,
	    ev->nsendc + 1, sizeof *ev->sendc);
	dst = &ev->sendc[ev->nsendc++];
	ev_send_connector_init(dst);
	dst->name = xstrdup(sc->name);
	dst->source_rank = -1;	/* so the first source wins every field */
	connector_merge(dst, sc);
	return dst;
}

/* ---------------------------------------------------------------- queues */

struct ev_queue *
evidence_add_queue(struct evidence *ev, const struct ev_queue *q)
{
	struct ev_queue	*dst = NULL;
	size_t		 i;

	for (i = 0; q->identity != NULL && i < ev->nqueues; i++)
		if (str_eq_ci(ev->queues[i].identity, q->identity))
			dst = &ev->queues[i];
	if (dst == NULL) {
		ev->queues = xreallocarray_grow(ev->queues, &ev->queues_cap,
		    ev->nqueues + 1, sizeof *ev->queues);
		dst = &ev->queues[ev->nqueues++];
		ev_queue_init(dst);
		dst->identity = xstrdup(q->identity);
		ref_copy(&dst->ref, &q->ref);
	}
	if (dst->server == NULL && q->server != NULL)
		dst->server = server_short_name(q->server);
	merge_str(&dst->delivery_type, q->delivery_type);
	merge_str(&dst->next_hop_domain, q->next_hop_domain);
	merge_str(&dst->next_hop_connector, q->next_hop_connector);
	merge_str(&dst->tls_domain, q->tls_domain);
	merge_str(&dst->status, q->status);
	if (dst->message_count < 0)
		dst->message_count = q->message_count;
	merge_str(&dst->last_error, q->last_error);
	/* An exact time replaces one read from text, as certificate dates do. */
	if (q->last_retry_time_exact && !dst->last_retry_time_exact) {
		dst->last_retry_time = q->last_retry_time;
		dst->last_retry_time_exact = true;
	} else if (dst->last_retry_time == TIME_UNKNOWN) {
		dst->last_retry_time = q->last_retry_time;
		dst->last_retry_time_exact = q->last_retry_time_exact;
	}
	return dst;
}

/* ------------------------------------------------------ symptoms, files */

struct ev_symptom *
evidence_add_symptom(struct evidence *ev, const struct ev_symptom *s)
{
	struct ev_symptom	*dst;

	ev->symptoms = xreallocarray_grow(ev->symptoms, &ev->symptoms_cap,
	    ev->nsymptoms + 1, sizeof *ev->symptoms);
	dst = &ev->symptoms[ev->nsymptoms++];
	memset(dst, 0, sizeof *dst);
	dst->kind = s->kind;
	dst->server = server_short_name(s->server);
	strlist_copy(&dst->connectors, &s->connectors);
	dst->thumbprint = xstrdup(s->thumbprint);
	if (dst->thumbprint != NULL)
		ascii_upper(dst->thumbprint);
	dst->text = xstrdup(s->text);
	ref_copy(&dst->ref, &s->ref);
	return dst;
}

void
evidence_add_entry(struct evidence *ev, const struct manifest_entry *m)
{
	struct manifest_entry	*dst;

	ev->entries = xreallocarray_grow(ev->entries, &ev->entries_cap,
	    ev->nentries + 1, sizeof *ev->entries);
	dst = &ev->entries[ev->nentries++];
	*dst = *m;
	dst->path = xstrdup(m->path);
	dst->why = xstrdup(m->why);
	if (m->mtime != TIME_UNKNOWN && (ev->newest_entry_time == TIME_UNKNOWN ||
	    m->mtime > ev->newest_entry_time))
		ev->newest_entry_time = m->mtime;
}

size_t
evidence_entry_hashes_fill(struct evidence *ev, const char (*shas)[65],
    size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < ev->nentries; i++) {
		if (!ev->entries[i].sha256_pending)
			continue;
		if (k < n)
			memcpy(ev->entries[i].sha256, shas[k],
			    sizeof ev->entries[i].sha256);
		ev->entries[i].sha256_pending = false;
		k++;
	}
	return k;
}

void
evidence_add_input(struct evidence *ev, const struct input_info *in)
{
	struct input_info	*dst;

	ev->inputs = xreallocarray_grow(ev->inputs, &ev->inputs_cap,
	    ev->ninputs + 1, sizeof *ev->inputs);
	dst = &ev->inputs[ev->ninputs++];
	*dst = *in;
	dst->path = xstrdup(in->path);
}

/*
 * smtp-service-not-enabled (see --explain): the certificate Exchange presents or
 * selects for SMTP TLS does not have the SMTP service enabled, typically a
 * newly imported third-party certificate. Outbound TLS then fails with
 * UnknownCredentials right after "Sending certificate", and with RequireTLS
 * the queue reports "421 4.4.1 Connection timed out". A Receive connector
 * that pins it (TlsCertificateName) fails inbound TLS the same way, seen in
 * the receive logs; it is changed with Set-ReceiveConnector, and no queue of
 * this server holds the mail its senders could not deliver.
 *
 * Services *unknown* is never "not enabled": such certificates only produce
 * an evidence gap.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/dn.h"
#include "rules.h"
#include "smtp_history.h"
#include "time_words.h"

/*
 * One finding: a certificate without SMTP, on every server where it lacks it
 * and is used (a SAN certificate imported on each server of a DAG is one
 * record per server, each with its own services).
 */
struct culprit {
	const struct ev_cert	*cert;		/* the first record, for its facts */
	struct cert_set		 certs;		/* one record per server */
	struct strlist		 servers;	/* of those records, known ones */
	/*
	 * The servers whose logs show it sent before a failure; a failure in
	 * a log that names no server sets sender_unnamed.
	 */
	struct strlist		 senders;
	bool			 sender_unnamed;
	struct strlist		 connectors;
	struct strlist		 receive;	/* of connectors, Receive ones */
	struct strlist		 errors;
	long			 failures;	/* both directions */
	long			 inbound;	/* of failures, received */
	int64_t			 first_failure;
	int64_t			 last_failure;
	size_t			*aggs;		/* indexes into ev->tls */
	size_t			 naggs, aggs_cap;
	bool			 pinned;	/* selected through TlsCertificateName */
};

struct culprits {
	struct culprit	*v;
	size_t		 n;
	size_t		 cap;
};

static struct culprit *
culprit_for(struct culprits *cs, const struct ev_cert *c)
{
	struct culprit	*p;
	size_t		 i;

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].cert == c || (c->thumbprint != NULL &&
		    str_eq_ci(cs->v[i].cert->thumbprint, c->thumbprint)))
			break;
	if (i < cs->n)
		p = &cs->v[i];
	else {
		cs->v = xreallocarray_grow(cs->v, &cs->cap, cs->n + 1,
		    sizeof *cs->v);
		p = &cs->v[cs->n++];
		memset(p, 0, sizeof *p);
		p->cert = c;
		p->first_failure = p->last_failure = TIME_UNKNOWN;
	}
	if (!cert_set_contains(&p->certs, c)) {
		cert_set_add(&p->certs, c);
		if (c->server != NULL)
			strlist_add_unique_ci(&p->servers, c->server);
	}
	return p;
}

static void
culprits_free(struct culprits *cs)
{
	size_t	i;

	for (i = 0; i < cs->n; i++) {
		cert_set_free(&cs->v[i].certs);
		strlist_free(&cs->v[i].servers);
		strlist_free(&cs->v[i].senders);
		strlist_free(&cs->v[i].connectors);
		strlist_free(&cs->v[i].receive);
		strlist_free(&cs->v[i].errors);
		free(cs->v[i].aggs);
	}
	free(cs->v);
}

static bool
lacks_smtp(const struct ev_cert *c)
{
	return c->services != SERVICES_UNKNOWN && !(c->services & SVC_SMTP);
}

static void
gap_services_unknown(struct rule_ctx *ctx, const struct ev_cert *c)
{
	struct buf	 b;
	char		*what, *cmd, *opt;
	size_t		 i;

	/* Name the sources read: none of them gave the services. */
	buf_init(&b, 1 << 16);
	for (i = 0; i < c->sources.n && i < 3; i++)
		buf_appendf(&b, "%s%s", i ? ", " : "", c->sources.v[i]);
	if (c->sources.n > 3)
		buf_appendf(&b, " and %zu more", c->sources.n - 3);
	what = xasprintf("services of certificate %s on %s are unknown (%s %s "
	    "not give them), so SMTP cannot be checked", CERT_LABEL(c),
	    c->server ? c->server : "an unnamed server",
	    b.len > 0 ? b.data : "its source", c->sources.n > 1 ? "do" : "does");
	buf_free(&b);
	opt = ps_server_opt(c->server);
	cmd = ps_cmd("Get-ExchangeCertificate%s -Thumbprint %s | Format-List "
	    "Thumbprint,Services,Subject,Issuer,NotBefore,NotAfter", opt,
	    CERT_TP_ARG(c));
	free(opt);
	gap_add(ctx->gaps, what, cmd);
	free(what);
	free(cmd);
}

/*
 * The culprit for a certificate without SMTP, NULL when it has SMTP; whose
 * services are unknown is no culprit, but a gap. A copy without its private
 * key is cert-no-private-key's: SMTP cannot be enabled on it until the key
 * is there, so enabling it is no fix.
 */
static struct culprit *
culprit_lacking_smtp(struct rule_ctx *ctx, struct culprits *cs,
    const struct ev_cert *c)
{
	if (c->has_private_key == TRI_FALSE)
		return NULL;
	if (c->services == SERVICES_UNKNOWN) {
		gap_services_unknown(ctx, c);
		return NULL;
	}
	return lacks_smtp(c) ? culprit_for(cs, c) : NULL;
}

/* The inventory certificate a log aggregate says was presented. */
static const struct ev_cert *
presented_cert(const struct evidence *ev, const struct ev_tls_agg *t)
{
	const struct ev_cert	*c = NULL, *found = NULL;
	size_t			 i, n = 0;

	if (t->cert_thumbprint != NULL) {
		if ((c = cert_find(ev, t->server, t->cert_thumbprint)) != NULL)
			return c;
		/* The log's server may be unknown: accept a unique match. */
		for (i = 0; t->server == NULL && i < ev->ncerts; i++)
			if (str_eq_ci(ev->certs[i].thumbprint,
			    t->cert_thumbprint)) {
				found = &ev->certs[i];
				n++;
			}
		return n == 1 ? found : NULL;
	}
	if (t->cert_subject == NULL)
		return NULL;
	/* Old log shapes may give subject and issuer only. */
	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if ((t->server == NULL || (c->server != NULL &&
		    ascii_casecmp(c->server, t->server) == 0)) &&
		    dn_compare(c->subject, c->subject_lossy, t->cert_subject,
		    false) != DN_DIFFERENT &&
		    (t->cert_issuer == NULL || dn_compare(c->issuer,
		    c->issuer_lossy, t->cert_issuer, false) != DN_DIFFERENT) &&
		    (found == NULL || c->not_after > found->not_after))
			found = c;
	}
	return found;
}

static void
collect_from_logs(struct rule_ctx *ctx, struct culprits *cs)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_tls_agg	*t;
	const struct ev_cert	*c;
	struct culprit		*p;
	size_t			 i;

	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (t->ok)
			continue;
		if ((c = presented_cert(ev, t)) == NULL ||
		    (p = culprit_lacking_smtp(ctx, cs, c)) == NULL)
			continue;
		p->failures += t->count;
		if (t->server != NULL)
			strlist_add_unique_ci(&p->senders, t->server);
		else
			p->sender_unnamed = true;
		strlist_add_unique_ci(&p->connectors, t->connector);
		if (t->receive) {
			p->inbound += t->count;
			strlist_add_unique_ci(&p->receive, t->connector);
		}
		strlist_add_unique_ci(&p->errors, t->error ? t->error : "unknown error");
		if (t->first != TIME_UNKNOWN && (p->first_failure == TIME_UNKNOWN ||
		    t->first < p->first_failure))
			p->first_failure = t->first;
		if (t->last != TIME_UNKNOWN && (p->last_failure == TIME_UNKNOWN ||
		    t->last > p->last_failure))
			p->last_failure = t->last;
		p->aggs = xreallocarray_grow(p->aggs, &p->aggs_cap, p->naggs + 1,
		    sizeof *p->aggs);
		p->aggs[p->naggs++] = i;
	}
}

/* Of several matches, transport uses the one that expires last. */
static const struct ev_cert *
selected_match(const struct cert_set *s)
{
	const struct ev_cert	*best = NULL;
	size_t			 i;

	for (i = 0; i < s->n; i++)
		if (best == NULL || s->v[i]->not_after > best->not_after)
			best = s->v[i];
	return best;
}

/* A Receive connector as the logs and Set-ReceiveConnector name it. */
static char *
receive_identity(const struct ev_receive_connector *rc)
{
	return rc->identity != NULL ? xstrdup(rc->identity) :
	    xasprintf("%s\\%s", rc->server, rc->name);
}

static const struct ev_receive_connector *
receive_connector_of(const struct evidence *ev, const char *id)
{
	char	*x;
	size_t	 i;
	bool	 same;

	for (i = 0; i < ev->nrecvc; i++) {
		if (ev->recvc[i].server == NULL)
			continue;
		x = receive_identity(&ev->recvc[i]);
		same = ascii_casecmp(x, id) == 0;
		free(x);
		if (same)
			return &ev->recvc[i];
	}
	return NULL;
}

static void
collect_from_config(struct rule_ctx *ctx, struct culprits *cs)
{
	const struct evidence		*ev = ctx->ev;
	const struct ev_send_connector	*sc;
	const struct ev_cert		*c;
	struct cert_set			 m;
	struct culprit			*p;
	size_t				 i, j;

	for (i = 0; i < ev->nsendc; i++) {
		sc = &ev->sendc[i];
		if (sc->tls_certificate_name == NULL || sc->enabled == TRI_FALSE)
			continue;
		for (j = 0; j < sc->source_servers.n; j++) {
			memset(&m, 0, sizeof m);
			certs_matching_name(ev, sc->source_servers.v[j],
			    sc->tls_certificate_name, &m);
			c = selected_match(&m);
			cert_set_free(&m);
			/* An expired one is cert-expired's: SMTP would not help. */
			if (c == NULL || cert_expired_at(c, ctx->as_of) ||
			    (p = culprit_lacking_smtp(ctx, cs, c)) == NULL)
				continue;
			p->pinned = true;
			strlist_add_unique_ci(&p->connectors, sc->name);
		}
	}
	for (i = 0; i < ev->nrecvc; i++) {
		const struct ev_receive_connector *rc = &ev->recvc[i];
		char *id;

		if (rc->tls_certificate_name == NULL || rc->enabled == TRI_FALSE ||
		    rc->server == NULL)
			continue;
		memset(&m, 0, sizeof m);
		certs_matching_name(ev, rc->server, rc->tls_certificate_name, &m);
		c = selected_match(&m);
		cert_set_free(&m);
		if (c == NULL || cert_expired_at(c, ctx->as_of) ||
		    (p = culprit_lacking_smtp(ctx, cs, c)) == NULL)
			continue;
		p->pinned = true;
		id = receive_identity(rc);
		strlist_add_unique_ci(&p->connectors, id);
		strlist_add_unique_ci(&p->receive, id);
		free(id);
	}
}

static bool
queue_shows_tls_symptom(const struct ev_queue *q)
{
	const char	*e = q->last_error;

	if (e == NULL || q->status == NULL ||
	    (ascii_casecmp(q->status, "Retry") != 0 &&
	    ascii_casecmp(q->status, "Suspended") != 0))
		return false;
	return ascii_strcasestr(e, "4.4.1") != NULL ||
	    ascii_strcasestr(e, "Connection timed out") != NULL ||
	    ascii_strcasestr(e, "TLS") != NULL ||
	    ascii_strcasestr(e, "4.7.5") != NULL;
}

/* Counts the queues showing the symptom; adds them as evidence when f is given. */
static long
add_queue_evidence(const struct evidence *ev, const struct culprit *p,
    struct finding *f)
{
	const struct ev_queue	*q;
	char			*text;
	long			 n = 0;
	size_t			 i;

	for (i = 0; i < ev->nqueues; i++) {
		q = &ev->queues[i];
		if (!queue_shows_tls_symptom(q) || (q->server != NULL &&
		    p->servers.n > 0 && !strlist_contains_ci(&p->servers,
		    q->server)))
			continue;
		n++;
		if (f == NULL)
			continue;
		text = xasprintf("queue %s (%s, next hop %s, %ld message%s): %s",
		    q->identity ? q->identity : "unknown", q->status,
		    q->next_hop_domain ? q->next_hop_domain : "unknown",
		    q->message_count, q->message_count == 1 ? "" : "s",
		    q->last_error);
		finding_add_evidence(f, q->ref.source, q->ref.line, text, 1);
		free(text);
		finding_seen_at(f, q->last_retry_time, q->last_retry_time_exact);
	}
	return n;
}

struct culprit_filter {
	const struct evidence	*ev;
	const struct culprit	*p;
};

static bool
is_culprit_agg(const struct ev_tls_agg *t, void *arg)
{
	const struct culprit_filter	*cf = arg;
	size_t				 i, idx = (size_t)(t - cf->ev->tls);

	for (i = 0; i < cf->p->naggs; i++)
		if (cf->p->aggs[i] == idx)
			return true;
	return false;
}

static void
add_log_evidence(const struct evidence *ev, const struct culprit *p,
    struct finding *f)
{
	struct culprit_filter	 cf = { ev, p };
	struct tls_rollup	*r;
	const struct ev_tls_agg	*t;
	char			*text, a[32], b[32];
	size_t			 i, n;

	n = tls_rollup_build(ev, is_culprit_agg, &cf, &r);
	for (i = 0; i < n; i++) {
		t = r[i].sample;
		text = xasprintf("%ld TLS handshake%s on connector %s failed with "
		    "%s after sending certificate %s, from %s to %s in %ld log "
		    "file%s; first row: %s", r[i].count, r[i].count > 1 ? "s" : "",
		    t->connector ? t->connector : "unknown",
		    t->error ? t->error : "an unknown error", CERT_LABEL(p->cert),
		    time_text(r[i].first, a, sizeof a),
		    time_text(r[i].last, b, sizeof b), r[i].files,
		    r[i].files > 1 ? "s" : "", t->sample_text ? t->sample_text : "");
		tls_rollup_evidence(f, &r[i], text);
		free(text);
	}
	free(r);
}

static void
add_cert_evidence(const struct evidence *ev, const struct culprit *p,
    struct finding *f)
{
	const struct ev_cert	*c;
	char			 svc[96], nb[48], na[48], *text;
	size_t			 i;

	/* One line per server holding it: each has its own services. */
	for (i = 0; i < p->certs.n; i++) {
		c = p->certs.v[i];
		services_format(c->services, ", ", svc, sizeof svc);
		text = xasprintf("%s: certificate %s, subject %s, issuer %s, "
		    "NotBefore %s, NotAfter %s, services %s (no SMTP)",
		    c->server ? c->server : "unknown server", CERT_LABEL(c),
		    c->subject ? c->subject : "unknown",
		    c->issuer ? c->issuer : "unknown",
		    cert_time(c, c->not_before, nb, sizeof nb),
		    cert_time(c, c->not_after, na, sizeof na), svc);
		finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
		free(text);
	}
	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];

		if (!strlist_contains_ci(&p->connectors, sc->name))
			continue;
		text = xasprintf("Send connector \"%s\": TlsCertificateName %s, "
		    "RequireTLS %s, ProtocolLoggingLevel %s", sc->name,
		    sc->tls_certificate_name ? sc->tls_certificate_name : "(not set)",
		    sc->require_tls == TRI_UNKNOWN ? "unknown" :
		    sc->require_tls == TRI_TRUE ? "True" : "False",
		    sc->protocol_logging_level ? sc->protocol_logging_level : "unknown");
		finding_add_evidence(f, sc->ref.source, sc->ref.line, text, 1);
		free(text);
	}
	for (i = 0; i < p->receive.n; i++) {
		const struct ev_receive_connector *rc =
		    receive_connector_of(ev, p->receive.v[i]);

		if (rc == NULL)
			continue;
		text = xasprintf("Receive connector \"%s\": TlsCertificateName "
		    "%s, Fqdn %s, ProtocolLoggingLevel %s", p->receive.v[i],
		    rc->tls_certificate_name ? rc->tls_certificate_name :
		    "(not set)", rc->fqdn ? rc->fqdn : "unknown",
		    rc->protocol_logging_level ? rc->protocol_logging_level :
		    "unknown");
		finding_add_evidence(f, rc->ref.source, rc->ref.line, text, 1);
		free(text);
	}
}

/* "EXA", "EXA and EXB", "EXA, EXB and EXC" (or "or"); `none` when empty. */
static char *
names_text(const struct strlist *l, const char *conj, const char *none)
{
	return l->n == 0 ? xstrdup(none) : join_names_with(l, conj);
}

/* The servers holding the certificate; `none` when no server is known. */
static char *
servers_text(const struct culprit *p, const char *none)
{
	return names_text(&p->servers, " and ", none);
}

/*
 * Who sent the certificate before the failures, as the logs show it: the
 * servers whose logs they are. A log that names no server leaves it to
 * the servers holding the certificate, named as candidates unless only one
 * holds it. Holding it is not sending it: a connector's traffic may all go
 * through one of its source servers.
 */
static char *
senders_text(const struct culprit *p)
{
	char	*named, *holders, *s;

	if (!p->sender_unnamed)
		return names_text(&p->senders, " and ", "the server");
	if (p->senders.n > 0) {
		named = names_text(&p->senders, ", ", "");
		s = xasprintf("%s and a server the log does not name", named);
		free(named);
		return s;
	}
	if (p->servers.n <= 1)
		return servers_text(p, "the server");
	holders = names_text(&p->servers, " or ", "");
	s = xasprintf("a server holding it (%s: the log does not name which)",
	    holders);
	free(holders);
	return s;
}

/* What the certificate is enabled for: once when all servers agree. */
static void
services_sentence(struct buf *b, const struct culprit *p)
{
	char	svc[96], other[96];
	size_t	i;
	bool	same = true;

	services_format(p->cert->services, ", ", svc, sizeof svc);
	for (i = 1; i < p->certs.n; i++)
		if (p->certs.v[i]->services != p->cert->services)
			same = false;
	if (same) {
		buf_appendf(b, "That certificate is enabled for %s only", svc);
		return;
	}
	buf_appendf(b, "That certificate is enabled");
	for (i = 0; i < p->certs.n; i++) {
		services_format(p->certs.v[i]->services, ", ", other, sizeof other);
		buf_appendf(b, "%s on %s for %s only", i ? ";" : "",
		    p->certs.v[i]->server ? p->certs.v[i]->server :
		    "an unnamed server", other);
	}
}

/* "Send connector "A"", "Receive connectors "S\\B" and "S\\C"": the
 * connectors of p of one direction, quoted. */
static void
connectors_words(struct buf *b, const struct culprit *p, bool receive)
{
	size_t	i, n = 0, k = 0;

	for (i = 0; i < p->connectors.n; i++)
		if (strlist_contains_ci(&p->receive, p->connectors.v[i]) ==
		    receive)
			n++;
	buf_appendf(b, "%s connector%s ", receive ? "Receive" : "Send",
	    n > 1 ? "s" : "");
	for (i = 0; i < p->connectors.n; i++)
		if (strlist_contains_ci(&p->receive, p->connectors.v[i]) ==
		    receive)
			buf_appendf(b, "%s\"%s\"", k++ == 0 ? "" : k == n ?
			    " and " : ", ", p->connectors.v[i]);
}

/* Whether every Receive connector of p takes client submission. */
static bool
clients_only(const struct evidence *ev, const struct culprit *p)
{
	size_t	i;

	for (i = 0; i < p->receive.n; i++)
		if (!receive_connector_is_client(receive_connector_of(ev,
		    p->receive.v[i])))
			return false;
	return true;
}

static void
write_explanation(struct rule_ctx *ctx, const struct culprit *p, long queues,
    struct finding *f)
{
	const struct ev_cert	*c = p->cert;
	struct buf		 b;
	char			 t1[48], t2[48], *where;
	long			 outbound = p->failures - p->inbound;
	size_t			 i;

	buf_init(&b, 1 << 20);
	where = p->failures > 0 ? senders_text(p) : servers_text(p, "the server");
	if (p->failures > 0) {
		buf_appendf(&b, "From %s to %s, ",
		    time_text(p->first_failure, t1, sizeof t1),
		    time_text(p->last_failure, t2, sizeof t2));
		if (outbound > 0) {
			buf_appendf(&b, "%ld outbound TLS handshake%s on ",
			    outbound, outbound > 1 ? "s" : "");
			connectors_words(&b, p, false);
		}
		if (p->inbound > 0) {
			buf_appendf(&b, "%s%ld inbound TLS handshake%s on ",
			    outbound > 0 ? " and " : "", p->inbound,
			    p->inbound > 1 ? "s" : "");
			connectors_words(&b, p, true);
		}
		buf_appendf(&b, " failed (");
		for (i = 0; i < p->errors.n; i++)
			buf_appendf(&b, "%s%s", i ? ", " : "", p->errors.v[i]);
		buf_appendf(&b, ") right after %s sent certificate %s (%s)%s. ",
		    where, CERT_LABEL(c), c->subject ? c->subject :
		    "subject unknown", p->inbound > 0 && outbound == 0 ?
		    " to the sending servers" : "");
	} else {
		if (p->connectors.n > p->receive.n) {
			connectors_words(&b, p, false);
			if (p->receive.n > 0)
				buf_appendf(&b, " and ");
		}
		if (p->receive.n > 0)
			connectors_words(&b, p, true);
		buf_appendf(&b, " pin%s certificate %s (%s) on %s through "
		    "TlsCertificateName. ", p->connectors.n > 1 ? "" : "s",
		    CERT_LABEL(c), c->subject ? c->subject : "subject unknown",
		    where);
	}
	free(where);
	services_sentence(&b, p);
	buf_appendf(&b, ": SMTP is not enabled, so the transport service cannot "
	    "use its private key and the TLS handshake fails with "
	    "UnknownCredentials.");
	if (p->receive.n > 0 && clients_only(ctx->ev, p))
		buf_appendf(&b, " On a client submission connector this stops "
		    "inbound TLS: Outlook and devices that submit over TLS cannot "
		    "send through it.");
	else if (p->receive.n > 0)
		buf_appendf(&b, " On a Receive connector this stops inbound TLS: "
		    "senders that require TLS (partners, Exchange Online) cannot "
		    "deliver to it, and the mail waits in their queues, not in "
		    "this server's.");
	if (p->failures > 0)
		time_words_onset(&b, ctx->ev, c, p->first_failure);
	if (queues > 0)
		buf_appendf(&b, " The queue shows the same fault as \"421 4.4.1 "
		    "Connection timed out\": when a connector requires TLS, a "
		    "certificate fault looks like a network timeout.");
	else if (p->failures == 0)
		buf_appendf(&b, " The bundle shows no failures yet (no protocol "
		    "log rows or queue errors for it).");
	buf_appendf(&b, " Enabling SMTP on the certificate fixes it; answer No "
	    "when asked to overwrite the default SMTP certificate.");
	f->explanation = buf_steal(&b, NULL);
}

static const char *
server_or(const struct ev_cert *c)
{
	return c->server != NULL ? c->server : "the server that holds it";
}

/* For each Receive connector of p: logging on, and the other fix, pinning
 * a certificate that has SMTP. */
static void
receive_steps(const struct evidence *ev, const struct culprit *p,
    struct finding *f)
{
	const struct ev_receive_connector *rc;
	char	*cmd, *pick, *text;
	size_t	 i;

	for (i = 0; i < p->receive.n; i++) {
		rc = receive_connector_of(ev, p->receive.v[i]);
		if (rc != NULL && rc->protocol_logging_level != NULL &&
		    ascii_casecmp(rc->protocol_logging_level, "None") == 0) {
			cmd = ps_cmd("Set-ReceiveConnector %q -ProtocolLoggingLevel "
			    "Verbose", p->receive.v[i]);
			finding_add_step(f, "Turn on protocol logging for the "
			    "Receive connector (it is off), so the fix can be "
			    "verified in the receive logs.", cmd);
			free(cmd);
		}
		pick = ps_choose_cert(rc != NULL ? rc->server : NULL, "c");
		cmd = ps_cmd("%s\nSet-ReceiveConnector %q -TlsCertificateName "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"", pick, p->receive.v[i]);
		text = xasprintf("Or, if Receive connector \"%s\" should not use "
		    "this certificate, pin it to one that has SMTP enabled and "
		    "covers its FQDN (type that certificate's thumbprint when "
		    "asked).", p->receive.v[i]);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
		free(pick);
	}
}

static void
add_remediation(const struct evidence *ev, const struct culprit *p,
    long queues, struct finding *f)
{
	const struct ev_cert	*c = p->cert;
	struct buf		 cmds;
	char			 svc[96], *cmd, *opt, *text;
	size_t			 i;

	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];

		if (!strlist_contains_ci(&p->connectors, sc->name) ||
		    sc->protocol_logging_level == NULL ||
		    ascii_casecmp(sc->protocol_logging_level, "None") != 0)
			continue;
		cmd = ps_cmd("Set-SendConnector %q -ProtocolLoggingLevel Verbose",
		    sc->name);
		finding_add_step(f, "Turn on protocol logging for the connector "
		    "(it is off), so the fix can be verified in the logs.", cmd);
		free(cmd);
	}
	buf_init(&cmds, 1 << 16);
	for (i = 0; i < p->certs.n; i++) {
		opt = ps_server_opt(p->certs.v[i]->server);
		cmd = ps_cmd("Get-ExchangeCertificate%s -Thumbprint %s | "
		    "Format-List Services", opt, CERT_TP_ARG(c));
		buf_appendf(&cmds, "%s%s", i ? "\n" : "", cmd);
		free(cmd);
		free(opt);
	}
	cmd = buf_steal(&cmds, NULL);
	finding_add_step(f, p->certs.n > 1 ? "Confirm the services the "
	    "certificate is enabled for, on each server holding it." :
	    "Confirm the services the certificate is enabled for.", cmd);
	free(cmd);
	/* One step per server: each keeps the services it already has. */
	for (i = 0; i < p->certs.n; i++) {
		const struct ev_cert *r = p->certs.v[i];

		if (r->services > 0)
			services_format(r->services, ",", svc, sizeof svc);
		opt = ps_server_opt(r->server);
		cmd = ps_cmd("Enable-ExchangeCertificate%s -Thumbprint %s "
		    "-Services %s%sSMTP", opt, CERT_TP_ARG(r), r->services > 0 ?
		    svc : "", r->services > 0 ? "," : "");
		free(opt);
		text = xasprintf("Enable SMTP on the certificate on %s, keeping "
		    "the services it already has there (Enable-ExchangeCertificate "
		    "adds services, it never removes one).", server_or(r));
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	finding_add_step(f, "At the prompt to overwrite the default SMTP "
	    "certificate, answer N: the default certificate secures internal "
	    "transport and must stay.", NULL);
	receive_steps(ev, p, f);
	/* Only this server's outbound mail waits in its queues. */
	if (queues == 0 && p->failures - p->inbound == 0)
		return;
	buf_init(&cmds, 1 << 16);
	for (i = 0; i < p->certs.n; i++) {
		opt = ps_server_opt(p->certs.v[i]->server);
		cmd = ps_cmd("Get-Queue%s | Where-Object {$_.Status -eq "
		    "\"Retry\"} | Retry-Queue", opt);
		buf_appendf(&cmds, "%s%s", i ? "\n" : "", cmd);
		free(cmd);
		free(opt);
	}
	cmd = buf_steal(&cmds, NULL);
	finding_add_step(f, "Retry the queued mail now instead of waiting for the "
	    "next retry interval.", cmd);
	free(cmd);
}

/* The failures and queue errors above are this finding's symptoms. */
static void
link_symptoms(struct rule_ctx *ctx, const struct culprit *p, struct finding *f)
{
	static const char *const queue_errors[] = {
		"4.4.1", "Connection timed out", "TLS", "4.7.5", NULL
	};
	struct sym_match	 m = { 0 };

	m.types = SYMBIT(SYM_TLS_FAILURE) | SYMBIT(SYM_CERT_EXPIRED);
	m.server = p->cert->server;
	m.thumbprint = p->cert->thumbprint;
	m.receive = p->inbound > 0 ? -1 : 0;
	/* A thumbprint not known matches no handshake. */
	if (m.thumbprint != NULL)
		rule_claim_std(ctx, f, &m, false);
	m.types = SYMBIT(SYM_QUEUE);
	m.thumbprint = NULL;
	m.errors = queue_errors;
	rule_claim_std(ctx, f, &m, false);
	/* The 4.4.1 timeouts in its own send logs are the same failure. */
	m.types = SYMBIT(SYM_RESPONSE);
	m.receive = 0;
	rule_claim_std(ctx, f, &m, true);
}

static void
report_culprit(struct rule_ctx *ctx, const struct culprit *p)
{
	struct finding	*f;
	long		 queues;
	char		*where, *senders, *failing;

	f = findings_new(ctx->out, "smtp-service-not-enabled", SEV_MEDIUM);
	/* The chain reads symptom rows, then certificate and connector, then queue. */
	add_log_evidence(ctx->ev, p, f);
	add_cert_evidence(ctx->ev, p, f);
	queues = add_queue_evidence(ctx->ev, p, f);
	if (p->failures > 0 || queues > 0)
		f->severity = SEV_CRITICAL;
	f->direct_evidence = p->failures > 0 || queues > 0;
	f->symptoms_explained = (p->failures > 0) + queues;
	strlist_copy(&f->servers, &p->servers);
	strlist_sort_ci(&f->servers);
	strlist_copy(&f->connectors, &p->connectors);
	strlist_sort_ci(&f->connectors);
	cert_list_add(&f->thumbprints, p->cert);
	if (p->failures == 0)
		finding_seen_at(f, p->cert->not_before, p->cert->dates_exact);
	where = servers_text(p, "an unnamed server");
	/* Failing on fewer servers than hold it: say where it fails. */
	if (p->failures > 0 && !p->sender_unnamed && p->senders.n > 0 &&
	    p->senders.n < p->servers.n) {
		senders = names_text(&p->senders, " and ", "");
		failing = xasprintf(" on %s", senders);
		free(senders);
	} else
		failing = xstrdup("");
	if (p->failures == 0 && p->receive.n > 0)
		f->title = xasprintf("Certificate %s on %s, pinned by %s, is not "
		    "enabled for SMTP", CERT_LABEL(p->cert), where,
		    p->receive.n == p->connectors.n ? "a Receive connector" :
		    "Send and Receive connectors");
	else
		f->title = xasprintf("%s%s%s certificate %s on %s is not "
		    "enabled for SMTP", p->failures == 0 ? "Pinned" :
		    p->inbound == 0 ? "Outbound TLS fails" :
		    p->inbound == p->failures ? "Inbound TLS fails" :
		    "Inbound and outbound TLS fail", failing,
		    p->failures == 0 ? "" : ":", CERT_LABEL(p->cert), where);
	free(where);
	free(failing);
	write_explanation(ctx, p, queues, f);
	add_remediation(ctx->ev, p, queues, f);
	link_symptoms(ctx, p, f);
	strlist_add(&f->references, "Microsoft KB 4051498");
	strlist_add(&f->references, "Enable-ExchangeCertificate -Services");
	if (p->failures > 0)
		smtp_history_resolve(ctx, f, p->cert, &p->connectors);
}

static void
run_smtp_service_not_enabled(struct rule_ctx *ctx)
{
	struct culprits	cs = { 0 };
	size_t		i;

	collect_from_logs(ctx, &cs);
	collect_from_config(ctx, &cs);
	for (i = 0; i < cs.n; i++)
		report_culprit(ctx, &cs.v[i]);
	culprits_free(&cs);
	smtp_history_fixed(ctx);
}

const struct rule rule_smtp_service_not_enabled = {
	.id = "smtp-service-not-enabled",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_CRITICAL,
	.line = "the certificate used for SMTP TLS is not enabled for SMTP",
	.checks = "The certificate presented in failed handshakes, outbound "
	    "or inbound (Sending certificate rows of the send and receive "
	    "logs), or pinned by a Send or Receive connector's "
	    "TlsCertificateName, joined to the inventory: its Services lack "
	    "SMTP. Unknown Services (an export without them) never count as "
	    "not enabled. Critical with failures in logs or queues, medium "
	    "from configuration alone.",
	.why = "Transport cannot use the private key of a certificate "
	    "without the SMTP service: the handshake fails with "
	    "UnknownCredentials and, on a connector that requires TLS, the "
	    "queue shows \"421 4.4.1 Connection timed out\".",
	.fix = "Enable-ExchangeCertificate -Server <Srv> -Thumbprint <TP> "
	    "-Services <existing>,SMTP, answer N to replacing the default "
	    "SMTP certificate, then Retry-Queue for outbound mail; a Receive "
	    "connector may instead be pinned to a certificate with SMTP "
	    "(Set-ReceiveConnector -TlsCertificateName).",
	.refs = "Microsoft KB 4051498; Enable-ExchangeCertificate -Services",
	.run = run_smtp_service_not_enabled,
	.facts = {
		.problem = "TLS fails because the certificate Exchange "
		    "presents is not enabled for SMTP",
		.fix = "Enable SMTP on the certificate",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

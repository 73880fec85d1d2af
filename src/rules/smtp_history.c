/*
 * smtp-service-not-enabled's incidents that are over (smtp_history.h). The
 * logs say when the failures stopped and which certificate the successes
 * after them presented; the inventory and the connectors say what is
 * configured now. Only both together make an incident resolved.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "resolution.h"
#include "smtp_history.h"

static const char *const unknown_credentials[] = { "UnknownCredentials", NULL };

static const struct ev_send_connector *
send_connector_named(const struct evidence *ev, const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < ev->nsendc; i++)
		if (str_eq_ci(ev->sendc[i].name, name))
			return &ev->sendc[i];
	return NULL;
}

/* What a connector's TlsCertificateName selects on a server: of several
 * matches, transport takes the one that expires last. */
static const struct ev_cert *
pinned_on(const struct evidence *ev, const struct ev_send_connector *sc,
    const char *server)
{
	struct cert_set		 m = { 0 };
	const struct ev_cert	*best = NULL;
	size_t			 i;

	if (sc->tls_certificate_name == NULL || sc->enabled == TRI_FALSE)
		return NULL;
	certs_matching_name(ev, server, sc->tls_certificate_name, &m);
	for (i = 0; i < m.n; i++)
		if (best == NULL || m.v[i]->not_after > best->not_after)
			best = m.v[i];
	cert_set_free(&m);
	return best;
}

/* "THUMBPRINT (CN=..., services IIS, SMTP)" */
static char *
cert_words(const struct ev_cert *c)
{
	char	svc[96];

	services_format(c->services, ", ", svc, sizeof svc);
	return xasprintf("%s (%s, services %s)", c->thumbprint,
	    c->subject != NULL ? c->subject : "subject unknown", svc);
}

/* The errors of the symptoms linked to f: "UnknownCredentials". */
static char *
errors_of(const struct rule_ctx *ctx, const struct finding *f)
{
	struct strlist	 errors = { 0 };
	char		*list;
	size_t		 i;

	for (i = 0; i < ctx->sym->n; i++)
		if (ctx->sym->v[i].finding_seq == f->seq &&
		    ctx->sym->v[i].type == SYM_TLS_FAILURE)
			strlist_add_unique_ci(&errors, ctx->sym->v[i].error ?
			    ctx->sym->v[i].error : "an unknown error");
	strlist_sort_ci(&errors);
	list = join_names(&errors);
	strlist_free(&errors);
	return list;
}

/*
 * The servers whose logs show the failures linked to f: those that sent the
 * certificate. A log that names no server leaves it to c's server.
 */
static char *
senders_of(const struct rule_ctx *ctx, const struct finding *f,
    const struct ev_cert *c)
{
	struct strlist	 servers = { 0 };
	char		*list;
	size_t		 i;
	bool		 unnamed = false;

	for (i = 0; i < ctx->sym->n; i++)
		if (ctx->sym->v[i].finding_seq == f->seq &&
		    ctx->sym->v[i].type == SYM_TLS_FAILURE) {
			if (ctx->sym->v[i].server != NULL)
				strlist_add_unique_ci(&servers,
				    ctx->sym->v[i].server);
			else
				unnamed = true;
		}
	if (unnamed || servers.n == 0) {
		strlist_free(&servers);
		return xstrdup(c->server != NULL ? c->server : "the server");
	}
	strlist_sort_ci(&servers);
	list = join_names(&servers);
	strlist_free(&servers);
	return list;
}

/* "From A to B, N outbound TLS handshakes on "C" failed with E right after
 * SERVER sent certificate X (subject)". */
static char *
failure_words(const struct rule_ctx *ctx, const struct finding *f,
    const struct ev_cert *c, const struct recovery *rec)
{
	char	*conns, *errs, *senders, *text, a[32], b[32];

	conns = join_names(&rec->connectors);
	errs = errors_of(ctx, f);
	senders = senders_of(ctx, f, c);
	text = xasprintf("From %s to %s, %ld outbound TLS handshake%s on %s "
	    "failed with %s right after %s sent certificate %s (%s)",
	    time_text(rec->first, a, sizeof a), time_text(rec->last, b,
	    sizeof b), rec->failures, rec->failures == 1 ? "" : "s", conns,
	    errs, senders, c->thumbprint,
	    c->subject != NULL ? c->subject : "subject unknown");
	free(conns);
	free(errs);
	free(senders);
	return text;
}

struct after_path {
	const char		*server;
	const struct strlist	*connectors;
	int64_t			 after;
};

static bool
success_after(const struct ev_tls_agg *t, void *arg)
{
	const struct after_path	*p = arg;

	return t->ok && !t->receive && str_eq_ci(t->server, p->server) &&
	    t->connector != NULL && strlist_contains_ci(p->connectors,
	    t->connector) && t->first != TIME_UNKNOWN && t->first > p->after;
}

/* The successes after the last failure, as evidence rows. */
static void
add_success_evidence(const struct rule_ctx *ctx, struct finding *f,
    const char *server, const struct recovery *rec)
{
	struct after_path	 p = { server, &rec->connectors, rec->last };
	struct tls_rollup	*r;
	char			*text, a[32], b[32];
	size_t			 i, n;

	n = tls_rollup_build(ctx->ev, success_after, &p, &r);
	for (i = 0; i < n; i++) {
		text = xasprintf("%ld TLS handshake%s on connector %s succeeded "
		    "presenting certificate %s, from %s to %s, after the last "
		    "failure; first row: %s", r[i].count, r[i].count == 1 ? "" :
		    "s", r[i].sample->connector, r[i].sample->cert_thumbprint ?
		    r[i].sample->cert_thumbprint : "(not logged)",
		    time_text(r[i].first, a, sizeof a),
		    time_text(r[i].last, b, sizeof b),
		    r[i].sample->sample_text ? r[i].sample->sample_text : "");
		/* The rows are evidence; the window stays the failures'. */
		finding_add_evidence(f, r[i].sample->log_source,
		    r[i].sample->sample_line, text, r[i].count);
		free(text);
	}
	free(r);
}

/* ------------------------------------------------------ re-pinned */

/*
 * What the connectors the failures used select now, into *now (NULL when
 * none pins a certificate); false when one still selects `cert`.
 */
static bool
pins_moved(const struct evidence *ev, const struct ev_cert *cert,
    const struct strlist *connectors, const struct ev_cert **now,
    const struct ev_send_connector **by)
{
	const struct ev_send_connector	*sc;
	const struct ev_cert		*c;
	size_t				 i, j;

	*now = NULL;
	*by = NULL;
	for (i = 0; i < connectors->n; i++) {
		if ((sc = send_connector_named(ev, connectors->v[i])) == NULL)
			continue;
		for (j = 0; j < sc->source_servers.n; j++) {
			if (!str_eq_ci(sc->source_servers.v[j], cert->server))
				continue;
			if ((c = pinned_on(ev, sc, cert->server)) == NULL)
				continue;
			if (str_eq_ci(c->thumbprint, cert->thumbprint))
				return false;
			*now = c;
			*by = sc;
		}
	}
	return true;
}

/* ------------------------------------------------------ works again */

/*
 * The failures ended and the certificate that failed succeeds on the same
 * connector since, while the export still lists it without SMTP. The logs
 * say what transport did after the export's word: the incident is over,
 * and it is the export that is put in doubt (taken before the change, or
 * the private key made readable, the other cause of UnknownCredentials).
 */
static void
resolve_works_again(struct rule_ctx *ctx, struct finding *f,
    const struct ev_cert *cert, const struct recovery *rec)
{
	char	*fail, *change, *cmd, *conns, svc[96], a[32], b[32];

	services_format(cert->services, ", ", svc, sizeof svc);
	fail = failure_words(ctx, f, cert, rec);
	conns = join_names(&rec->connectors);
	free(f->explanation);
	f->explanation = xasprintf("%s: the failure a certificate that is not "
	    "enabled for SMTP gives, since transport cannot use its private "
	    "key (KB 4051498).", fail);
	free(f->title);
	f->title = xasprintf("Resolved: outbound TLS failed with "
	    "UnknownCredentials on certificate %s on %s from %s to %s; the same "
	    "certificate succeeds since, though its export shows no SMTP",
	    cert->thumbprint, cert->server != NULL ? cert->server :
	    "an unnamed server", time_text(rec->first, a, sizeof a),
	    time_text(rec->last, b, sizeof b));
	change = xasprintf("transport can use certificate %s again: the "
	    "successful handshakes on %s after the last failure presented it. "
	    "The certificate export (%s) still lists its services as %s, "
	    "without SMTP, which those handshakes contradict: it may have been "
	    "taken before the change", cert->thumbprint, conns,
	    cert->ref.source != NULL ? cert->ref.source : "the inventory", svc);
	add_success_evidence(ctx, f, cert->server, rec);
	cmd = xasprintf("Get-ExchangeCertificate -Server %s -Thumbprint %s | "
	    "Format-List Thumbprint,Services", cert->server != NULL ?
	    cert->server : "<server>", cert->thumbprint);
	finding_mark_resolved(f, rec, change, "Nothing to fix in mail flow: "
	    "the connector works with this certificate again. Its export shows "
	    "it without SMTP: read its services now, and enable SMTP on it if "
	    "they still lack it.", cmd);
	free(cmd);
	free(change);
	free(conns);
	free(fail);
}

bool
smtp_history_resolve(struct rule_ctx *ctx, struct finding *f,
    const struct ev_cert *cert, const struct strlist *connectors)
{
	const struct ev_send_connector	*by;
	const struct ev_cert		*now, *used;
	struct recovery			 rec;
	char				*change, *what, *q, *cmd, *fail, *svc,
					*certs, a[32], b[32];
	bool				 ended, moved;

	ended = finding_recovery(ctx, f, &rec);
	if (ended && strlist_contains_ci(&rec.ok_certs, cert->thumbprint)) {
		resolve_works_again(ctx, f, cert, &rec);
		recovery_free(&rec);
		return true;
	}
	if (!ended || rec.ok_certs.n == 0 ||
	    !pins_moved(ctx->ev, cert, connectors, &now, &by)) {
		recovery_free(&rec);
		return false;
	}
	certs = join_names(&rec.ok_certs);
	used = rec.ok_certs.n == 1 ? cert_find(ctx->ev, cert->server,
	    rec.ok_certs.v[0]) : NULL;
	moved = now != NULL && strlist_contains_ci(&rec.ok_certs,
	    now->thumbprint);
	if (moved) {
		what = cert_words(now);
		change = xasprintf("Send connector \"%s\" now pins certificate "
		    "%s through its TlsCertificateName (%s), and every "
		    "successful handshake after the last failure presented %s",
		    by->name, what, by->ref.source != NULL ? by->ref.source :
		    "the connector export", certs);
		free(what);
	} else {
		what = used != NULL ? cert_words(used) : xstrdup(certs);
		change = xasprintf("the successful handshakes after the last "
		    "failure presented certificate %s instead of %s", what,
		    cert->thumbprint);
		free(what);
	}
	fail = failure_words(ctx, f, cert, &rec);
	services_format(cert->services, ", ", a, sizeof a);
	svc = xstrdup(a);
	free(f->explanation);
	f->explanation = xasprintf("%s, which is not enabled for SMTP (services "
	    "%s): transport cannot use its private key, and the handshake "
	    "fails with UnknownCredentials.", fail, svc);
	free(f->title);
	f->title = xasprintf("Resolved: outbound TLS failed with certificate %s "
	    "on %s, not enabled for SMTP, from %s to %s; another certificate "
	    "is used since", cert->thumbprint, cert->server != NULL ?
	    cert->server : "an unnamed server", time_text(rec.first, a,
	    sizeof a), time_text(rec.last, b, sizeof b));
	add_success_evidence(ctx, f, cert->server, &rec);
	if (moved) {
		q = ps_quote(by->name);
		cmd = xasprintf("Get-SendConnector %s | Format-List Name,"
		    "TlsCertificateName", q);
		free(q);
	} else
		cmd = xasprintf("Get-ExchangeCertificate -Server %s -Thumbprint "
		    "%s | Format-List Thumbprint,Services", cert->server ?
		    cert->server : "<server>", used != NULL ? used->thumbprint :
		    rec.ok_certs.v[0]);
	finding_mark_resolved(f, &rec, change, moved ? "Nothing to fix: the "
	    "connector no longer uses the certificate without SMTP. To "
	    "confirm, read the certificate it pins now." : "Nothing to fix: "
	    "transport presents another certificate now. To confirm, read "
	    "that certificate's services.", cmd);
	free(cmd);
	free(fail);
	free(svc);
	free(change);
	free(certs);
	recovery_free(&rec);
	return true;
}

/* ------------------------------------------------------ SMTP enabled since */

/* Failures on `cert` no finding explains yet. */
static bool
unclaimed_failure(const struct symptom *s, const void *arg)
{
	return s->finding_seq < 0 && sym_match_std(s, arg);
}

static bool
failed_on(const struct ev_tls_agg *t, void *arg)
{
	const struct ev_cert	*c = arg;

	return !t->ok && !t->receive && str_eq_ci(t->server, c->server) &&
	    str_eq_ci(t->cert_thumbprint, c->thumbprint) && t->error != NULL &&
	    ascii_strcasestr(t->error, "UnknownCredentials") != NULL;
}

static void
report_fixed(struct rule_ctx *ctx, const struct ev_cert *c,
    const struct sym_match *m, const struct recovery *rec)
{
	struct finding		*f;
	struct tls_rollup	*r;
	char			*fail, *change, *what, *cmd, *text, *conns,
				 a[32], b[32];
	size_t			 i, n;

	f = findings_new(ctx->out, "smtp-service-not-enabled", SEV_CRITICAL);
	f->direct_evidence = true;
	rule_claim(ctx, f, unclaimed_failure, m, false);
	n = tls_rollup_build(ctx->ev, failed_on, (void *)c, &r);
	for (i = 0; i < n; i++) {
		text = xasprintf("%ld TLS handshake%s on connector %s failed with "
		    "%s after sending certificate %s, from %s to %s; first row: "
		    "%s", r[i].count, r[i].count == 1 ? "" : "s",
		    r[i].sample->connector ? r[i].sample->connector : "unknown",
		    r[i].sample->error, c->thumbprint, time_text(r[i].first, a,
		    sizeof a), time_text(r[i].last, b, sizeof b),
		    r[i].sample->sample_text ? r[i].sample->sample_text : "");
		tls_rollup_evidence(f, &r[i], text);
		free(text);
	}
	free(r);
	what = cert_words(c);
	text = xasprintf("%s: certificate %s now", c->server, what);
	finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
	free(text);
	add_success_evidence(ctx, f, c->server, rec);
	strlist_add(&f->servers, c->server);
	strlist_copy(&f->connectors, &rec->connectors);
	strlist_add(&f->thumbprints, c->thumbprint);
	f->symptoms_explained = symptoms_linked(ctx->sym, f->seq);
	fail = failure_words(ctx, f, c, rec);
	conns = join_names(&rec->connectors);
	f->title = xasprintf("Resolved: outbound TLS failed with "
	    "UnknownCredentials on certificate %s on %s from %s to %s; SMTP is "
	    "enabled on it now", c->thumbprint, c->server,
	    time_text(rec->first, a, sizeof a), time_text(rec->last, b,
	    sizeof b));
	f->explanation = xasprintf("%s: the failure a certificate that is not "
	    "enabled for SMTP gives, since transport cannot use its private "
	    "key (KB 4051498).", fail);
	change = xasprintf("certificate %s is enabled for SMTP now (%s), and "
	    "the successful handshakes on %s after the last failure presented "
	    "it", what, c->ref.source != NULL ? c->ref.source :
	    "the certificate export", conns);
	cmd = xasprintf("Get-ExchangeCertificate -Server %s -Thumbprint %s | "
	    "Format-List Thumbprint,Services", c->server, c->thumbprint);
	finding_mark_resolved(f, rec, change, "Nothing to fix: the certificate "
	    "has SMTP now and the connector works. To confirm that it keeps "
	    "SMTP, read its services.", cmd);
	strlist_add(&f->references, "Microsoft KB 4051498");
	strlist_add(&f->references, "Enable-ExchangeCertificate -Services");
	free(cmd);
	free(change);
	free(conns);
	free(fail);
	free(what);
}

void
smtp_history_fixed(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_tls_agg	*t;
	const struct ev_cert	*c;
	struct sym_match	 m;
	struct recovery		 rec;
	struct cert_set		 done = { 0 };
	size_t			 i;

	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (t->ok || t->receive || t->server == NULL ||
		    t->cert_thumbprint == NULL || t->error == NULL ||
		    ascii_strcasestr(t->error, "UnknownCredentials") == NULL)
			continue;
		c = cert_find(ev, t->server, t->cert_thumbprint);
		if (c == NULL || !services_has(c, SVC_SMTP) ||
		    cert_set_contains(&done, c))
			continue;
		cert_set_add(&done, c);
		memset(&m, 0, sizeof m);
		m.types = SYMBIT(SYM_TLS_FAILURE);
		m.server = c->server;
		m.thumbprint = c->thumbprint;
		m.errors = unknown_credentials;
		m.receive = 0;
		/* The same certificate must work after: that is what changed. */
		if (recovery_find(ctx, unclaimed_failure, &m, &rec) &&
		    strlist_contains_ci(&rec.ok_certs, c->thumbprint))
			report_fixed(ctx, c, &m, &rec);
		recovery_free(&rec);
	}
	cert_set_free(&done);
}

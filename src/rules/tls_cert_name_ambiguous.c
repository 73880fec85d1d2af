/*
 * tls-cert-name-ambiguous (see --explain): a Send connector's TlsCertificateName
 * matches two or more certificates on one of its source servers, typically a
 * renewal that kept issuer and subject. Exchange matches by issuer and subject
 * only, so Remove-ExchangeCertificate refuses to delete the old certificate
 * and transport may keep presenting it.
 *
 * Connectors that pin the same issuer and subject share one finding, because
 * Microsoft's procedure clears and re-pins them together.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/dn.h"
#include "rules.h"

#define EXPIRING_SOON (60 * 86400)

/* One group: the connectors pinning one name, and what matches it. */
struct ambiguity {
	const char		*name;		/* TlsCertificateName, as pinned */
	struct strlist		 connectors;
	struct strlist		 servers;	/* union of source servers */
	struct strlist		 ambiguous_servers;
	struct cert_set		 matches;	/* on the ambiguous servers */
	struct cert_set		 old;		/* all but the newest, per server */
	struct cert_set		 newest;	/* the one to keep, per server */
	const struct ev_send_connector *first;
};

static void
ambiguity_free(struct ambiguity *a)
{
	strlist_free(&a->connectors);
	strlist_free(&a->servers);
	strlist_free(&a->ambiguous_servers);
	cert_set_free(&a->matches);
	cert_set_free(&a->old);
	cert_set_free(&a->newest);
}

/* Between equals: a known thumbprint, then the greater one. */
static bool
tie_first(const struct ev_cert *a, const struct ev_cert *b)
{
	if (a->thumbprint == NULL || b->thumbprint == NULL)
		return a->thumbprint != NULL;
	return strcmp(a->thumbprint, b->thumbprint) > 0;
}

/*
 * Some dates not read (a day/month order unknown): the one match still
 * valid when every other has expired, valid by its dates or by Exchange's
 * status (Valid against DateInvalid), else NULL: which is newer is unknown.
 */
static const struct ev_cert *
only_valid_of(const struct cert_set *s, int64_t as_of)
{
	const struct ev_cert	*valid = NULL;
	size_t			 i;

	for (i = 0; i < s->n; i++) {
		if (cert_expired_at(s->v[i], as_of))
			continue;
		if (valid != NULL || (s->v[i]->not_after == TIME_UNKNOWN &&
		    !str_eq_ci(s->v[i]->status, "Valid")))
			return NULL;
		valid = s->v[i];
	}
	return valid;
}

/* Of several matches, transport uses the one that expires last. */
static const struct ev_cert *
newest_of(const struct cert_set *s, int64_t as_of)
{
	const struct ev_cert	*best = NULL;
	size_t			 i;

	for (i = 0; i < s->n; i++) {
		if (s->v[i]->not_after == TIME_UNKNOWN)
			return only_valid_of(s, as_of);
		if (best == NULL || s->v[i]->not_after > best->not_after ||
		    (s->v[i]->not_after == best->not_after &&
		    tie_first(s->v[i], best)))
			best = s->v[i];
	}
	return best;
}

static bool
same_name(const char *a, const char *b)
{
	struct tls_cert_name	x, y;
	bool			eq;

	tls_cert_name_parse(a, &x);
	tls_cert_name_parse(b, &y);
	eq = x.subject != NULL && y.subject != NULL &&
	    dn_equal(x.subject, y.subject) &&
	    ((x.issuer == NULL && y.issuer == NULL) ||
	    (x.issuer != NULL && y.issuer != NULL && dn_equal(x.issuer, y.issuer)));
	tls_cert_name_clear(&x);
	tls_cert_name_clear(&y);
	return eq;
}

static void
check_servers(struct rule_ctx *ctx, struct ambiguity *a)
{
	struct cert_set		 on_server;
	const struct ev_cert	*newest;
	size_t			 i, j;

	for (i = 0; i < a->servers.n; i++) {
		memset(&on_server, 0, sizeof on_server);
		certs_matching_name(ctx->ev, a->servers.v[i], a->name, &on_server);
		if (on_server.n >= 2) {
			strlist_add_unique_ci(&a->ambiguous_servers, a->servers.v[i]);
			newest = newest_of(&on_server, ctx->as_of);
			for (j = 0; j < on_server.n; j++) {
				cert_set_add(&a->matches, on_server.v[j]);
				if (newest == NULL)
					continue;
				cert_set_add(on_server.v[j] == newest ?
				    &a->newest : &a->old, on_server.v[j]);
			}
		}
		cert_set_free(&on_server);
	}
}

static bool
presents_one_of(const struct ev_tls_agg *t, void *arg)
{
	const struct cert_set	*set = arg;
	size_t			 j;

	if (t->cert_thumbprint == NULL || t->receive)
		return false;
	for (j = 0; j < set->n; j++)
		if (str_eq_ci(t->cert_thumbprint, set->v[j]->thumbprint) &&
		    (t->server == NULL || set->v[j]->server == NULL ||
		    ascii_casecmp(t->server, set->v[j]->server) == 0))
			return true;
	return false;
}

/* TLS handshakes presenting one of `set`; added as evidence when f is given. */
static long
presented_count(const struct evidence *ev, const struct cert_set *set,
    struct finding *f, const char *which)
{
	struct tls_rollup	*r;
	const struct ev_tls_agg	*t;
	char			*text, a[32], b[32];
	long			 total = 0;
	size_t			 i, n;

	n = tls_rollup_build(ev, presents_one_of, (void *)set, &r);
	for (i = 0; i < n; i++) {
		total += r[i].count;
		if (f == NULL)
			continue;
		t = r[i].sample;
		text = xasprintf("%s presented the %s certificate %s on connector "
		    "%s in %ld handshake%s (%s), from %s to %s; first row: %s",
		    t->server ? t->server : "unknown server", which,
		    t->cert_thumbprint, t->connector ? t->connector : "unknown",
		    r[i].count, r[i].count > 1 ? "s" : "",
		    t->ok ? "TLS succeeded" : "TLS failed",
		    time_text(r[i].first, a, sizeof a),
		    time_text(r[i].last, b, sizeof b),
		    t->sample_text ? t->sample_text : "");
		tls_rollup_evidence(f, &r[i], text);
		free(text);
	}
	free(r);
	return total;
}

static long
add_transcripts(const struct evidence *ev, const struct ambiguity *a,
    struct finding *f)
{
	const struct ev_symptom	*s;
	long			 n = 0;
	size_t			 i, j;

	for (i = 0; i < ev->nsymptoms; i++) {
		s = &ev->symptoms[i];
		if (s->kind != SYMPTOM_REMOVE_CERT_REFUSED)
			continue;
		for (j = 0; j < s->connectors.n; j++)
			if (strlist_contains_ci(&a->connectors, s->connectors.v[j]))
				break;
		if (j == s->connectors.n && s->connectors.n > 0)
			continue;
		finding_add_evidence(f, s->ref.source, s->ref.line, s->text, 1);
		n++;
	}
	return n;
}

static void
add_config_evidence(const struct evidence *ev, const struct ambiguity *a,
    struct finding *f)
{
	const struct ev_cert	*c;
	char			 nb[48], na[48], svc[96], *text;
	size_t			 i, k;

	for (i = 0; i < ev->nsendc; i++) {
		const struct ev_send_connector *sc = &ev->sendc[i];
		struct buf b;

		if (!strlist_contains_ci(&a->connectors, sc->name))
			continue;
		buf_init(&b, 1 << 20);
		buf_appendf(&b, "Send connector \"%s\": TlsCertificateName %s; "
		    "SourceTransportServers {", sc->name, sc->tls_certificate_name);
		for (k = 0; k < sc->source_servers.n; k++)
			buf_appendf(&b, "%s%s", k ? ", " : "", sc->source_servers.v[k]);
		buf_appendf(&b, "%s}", sc->source_servers_incomplete ? "..." : "");
		text = buf_steal(&b, NULL);
		finding_add_evidence(f, sc->ref.source, sc->ref.line, text, 1);
		free(text);
	}
	for (i = 0; i < a->matches.n; i++) {
		c = a->matches.v[i];
		services_format(c->services, ", ", svc, sizeof svc);
		text = xasprintf("%s: certificate %s, subject %s, issuer %s, "
		    "NotBefore %s, NotAfter %s, services %s%s", c->server,
		    CERT_LABEL(c), c->subject ? c->subject : "unknown",
		    c->issuer ? c->issuer : "unknown",
		    cert_time(c, c->not_before, nb, sizeof nb),
		    cert_time(c, c->not_after, na, sizeof na), svc,
		    cert_set_contains(&a->old, c) ? " (older: to remove)" :
		    cert_set_contains(&a->newest, c) ? " (newest: to keep)" : "");
		finding_add_evidence(f, c->ref.source, c->ref.line, text, 1);
		free(text);
	}
}

/* The servers holding an old match, in the order of a->old. */
static void
old_servers_of(const struct ambiguity *a, struct strlist *out)
{
	size_t	i;

	for (i = 0; i < a->old.n; i++)
		if (a->old.v[i]->server != NULL)
			strlist_add_unique_ci(out, a->old.v[i]->server);
}

static void
add_remediation(const struct ambiguity *a, struct finding *f)
{
	struct buf		 b;
	struct strlist		 old_servers = { 0 };
	const struct ev_cert	*keep;
	char			*line, *cmd, *text;
	size_t			 i, k, n, nremove, pin_step;

	buf_init(&b, 1 << 20);
	for (i = 0; i < a->ambiguous_servers.n; i++) {
		line = ps_cmd("Get-ExchangeCertificate -Server %q | Format-List "
		    "FriendlyName,Subject,Issuer,CertificateDomains,Thumbprint,"
		    "NotBefore,NotAfter", a->ambiguous_servers.v[i]);
		buf_appendf(&b, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	cmd = buf_steal(&b, NULL);
	finding_add_step(f, "List the certificates on each source server and "
	    "confirm which one is the renewed certificate to keep.", cmd);
	free(cmd);

	buf_init(&b, 1 << 20);
	for (i = 0; i < a->connectors.n; i++) {
		line = ps_cmd("Get-SendConnector -Identity %q | Format-List "
		    "SourceTransportServers", a->connectors.v[i]);
		buf_appendf(&b, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	cmd = buf_steal(&b, NULL);
	finding_add_step(f, "Confirm the connector's source servers: every one "
	    "of them needs the steps below.", cmd);
	free(cmd);

	/*
	 * One Remove step per server holding an old match (a certificate is
	 * one record per server); the steps after them are numbered from it.
	 */
	old_servers_of(a, &old_servers);
	nremove = old_servers.n > 0 ? old_servers.n : 1;
	pin_step = 5 + nremove + 1;
	buf_init(&b, 1 << 20);
	for (i = 0; i < a->servers.n; i++)
		buf_appendf(&b, "%s%s", i ? ", " : "", a->servers.v[i]);
	text = xasprintf("On each source server (%s), stop the transport "
	    "service. Mail flow through these servers stops until step %zu.",
	    b.data ? b.data : "", pin_step + 1);
	buf_free(&b);
	finding_add_step(f, text, "Stop-Service MSExchangeTransport");
	free(text);

	buf_init(&b, 1 << 20);
	for (i = 0; i < a->connectors.n; i++) {
		line = ps_cmd("Set-SendConnector -Identity %q -TlsCertificateName "
		    "$null", a->connectors.v[i]);
		buf_appendf(&b, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	cmd = buf_steal(&b, NULL);
	finding_add_step(f, "Clear TlsCertificateName on the connector so the "
	    "old certificate is no longer tagged (in a multi-site organization, "
	    "wait for or force Active Directory replication).", cmd);
	free(cmd);

	for (k = 0; k < old_servers.n; k++) {
		buf_init(&b, 1 << 20);
		for (i = 0, n = 0; i < a->old.n; i++)
			if (ascii_casecmp(a->old.v[i]->server, old_servers.v[k]) ==
			    0) {
				line = ps_cmd("Remove-ExchangeCertificate -Server %q "
				    "-Thumbprint %s", a->old.v[i]->server,
				    CERT_TP_ARG(a->old.v[i]));
				buf_appendf(&b, "%s%s", n++ ? "\n" : "", line);
				free(line);
			}
		cmd = buf_steal(&b, NULL);
		text = xasprintf("Remove the old certificate from %s (it must be "
		    "gone from every source server before step %zu).",
		    old_servers.v[k], pin_step);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	if (old_servers.n == 0)
		finding_add_step(f, "Remove the old certificate from every source "
		    "server (the bundle does not show which match is older: check "
		    "NotAfter in step 1), with Remove-ExchangeCertificate -Server "
		    "and the thumbprint step 1 shows.", NULL);
	strlist_free(&old_servers);

	/* The certificate to build the value from: one whose thumbprint is known. */
	keep = a->newest.n > 0 ? a->newest.v[0] : NULL;
	for (i = 0; keep != NULL && keep->thumbprint == NULL &&
	    i < a->newest.n; i++)
		if (a->newest.v[i]->thumbprint != NULL)
			keep = a->newest.v[i];
	if (keep != NULL)
		line = ps_cmd("$cert = Get-ExchangeCertificate -Server %q "
		    "-Thumbprint %s", keep->server, CERT_TP_ARG(keep));
	else
		line = ps_choose_cert(a->servers.n ? a->servers.v[0] : NULL,
		    "cert");
	cmd = xasprintf("%s\n$tlscertificatename = \"<I>$($cert.Issuer)<S>"
	    "$($cert.Subject)\"", line);
	free(line);
	finding_add_step(f, "Build the TlsCertificateName value from the renewed "
	    "certificate.", cmd);
	free(cmd);

	buf_init(&b, 1 << 20);
	for (i = 0; i < a->connectors.n; i++) {
		line = ps_cmd("Set-SendConnector -Identity %q -TlsCertificateName "
		    "$tlscertificatename", a->connectors.v[i]);
		buf_appendf(&b, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	cmd = buf_steal(&b, NULL);
	finding_add_step(f, "Pin the connector to the renewed certificate again.",
	    cmd);
	free(cmd);
	finding_add_step(f, "On each source server, start the transport service "
	    "and confirm mail flows.", "Start-Service MSExchangeTransport");
}

/* The refusals and the older certificate's failures are its symptoms. */
static void
link_symptoms(struct rule_ctx *ctx, const struct ambiguity *a,
    struct finding *f)
{
	static const char *const refusal[] = {
		"tagged with following Send Connectors", NULL
	};
	struct sym_match	 m = { 0 };
	size_t			 i;

	m.types = SYMBIT(SYM_TRANSCRIPT);
	m.errors = refusal;
	m.receive = -1;
	rule_claim_std(ctx, f, &m, false);
	m.errors = NULL;
	m.types = SYMBIT(SYM_TLS_FAILURE);
	m.receive = 0;
	for (i = 0; i < a->old.n; i++) {
		m.server = a->old.v[i]->server;
		m.thumbprint = a->old.v[i]->thumbprint;
		if (m.thumbprint != NULL)
			rule_claim_std(ctx, f, &m, true);
	}
}

/*
 * The certificates among the matches: one certificate installed on two
 * servers is two matches but one thumbprint. A match whose thumbprint the
 * export lacks counts on its own.
 */
static size_t
distinct_certificates(const struct cert_set *matches)
{
	size_t	i, j, n = 0;

	for (i = 0; i < matches->n; i++) {
		for (j = 0; j < i; j++)
			if (matches->v[i]->thumbprint != NULL &&
			    matches->v[j]->thumbprint != NULL &&
			    ascii_casecmp(matches->v[i]->thumbprint,
			    matches->v[j]->thumbprint) == 0)
				break;
		if (j == i)
			n++;
	}
	return n;
}

static void
report_ambiguity(struct rule_ctx *ctx, struct ambiguity *a)
{
	const struct evidence	*ev = ctx->ev;
	struct finding		*f;
	long			 old_in_use, transcripts;
	bool			 old_expiring = false;
	char			 when[48];
	size_t			 i, distinct;

	for (i = 0; i < a->old.n; i++)
		if (ctx->as_of != TIME_UNKNOWN && a->old.v[i]->not_after != TIME_UNKNOWN &&
		    a->old.v[i]->not_after < ctx->as_of + EXPIRING_SOON)
			old_expiring = true;
	old_in_use = presented_count(ev, &a->old, NULL, "older");

	f = findings_new(ctx->out, "tls-cert-name-ambiguous", SEV_MEDIUM);
	transcripts = add_transcripts(ev, a, f);
	if (old_expiring || old_in_use > 0 || transcripts > 0)
		f->severity = SEV_HIGH;
	strlist_copy(&f->connectors, &a->connectors);
	strlist_copy(&f->servers, &a->ambiguous_servers);
	for (i = 0; i < a->matches.n; i++)
		cert_list_add(&f->thumbprints, a->matches.v[i]);
	distinct = distinct_certificates(&a->matches);
	f->direct_evidence = old_in_use > 0 || transcripts > 0;
	f->symptoms_explained = transcripts + (old_in_use > 0);

	{
		struct buf b;

		buf_init(&b, 1 << 20);
		buf_appendf(&b, "TlsCertificateName of Send connector%s ",
		    a->connectors.n > 1 ? "s" : "");
		for (i = 0; i < a->connectors.n; i++)
			buf_appendf(&b, "%s\"%s\"", i ? ", " : "", a->connectors.v[i]);
		buf_appendf(&b, " matches %zu certificates on ", distinct);
		if (a->ambiguous_servers.n > 1)
			buf_appendf(&b, "%zu servers (", a->ambiguous_servers.n);
		for (i = 0; i < a->ambiguous_servers.n; i++)
			buf_appendf(&b, "%s%s", i == 0 ? "" : i + 1 ==
			    a->ambiguous_servers.n ? " and " : ", ",
			    a->ambiguous_servers.v[i]);
		if (a->ambiguous_servers.n > 1)
			buf_appendf(&b, ")");
		f->title = buf_steal(&b, NULL);
	}
	{
		struct buf b;

		buf_init(&b, 1 << 20);
		buf_appendf(&b, "The Send connector pins its certificate by issuer "
		    "and subject (%s), and Exchange matches on those two names "
		    "only, never the thumbprint. A renewed certificate that kept "
		    "the same issuer and subject matches as well, so ", a->name);
		buf_appendf(&b, "%zu certificates match on %zu server%s. "
		    "Remove-ExchangeCertificate and the admin center refuse to "
		    "delete any of them (\"These certificates are tagged with "
		    "following Send Connectors\"), and transport may go on "
		    "presenting the older one.", distinct,
		    a->ambiguous_servers.n, a->ambiguous_servers.n > 1 ? "s" : "");
		if (transcripts > 0)
			buf_appendf(&b, " The bundle contains that refusal.");
		if (old_in_use > 0)
			buf_appendf(&b, " The protocol logs show the older "
			    "certificate presented in %ld TLS handshake%s.",
			    old_in_use, old_in_use > 1 ? "s" : "");
		for (i = 0; i < a->old.n && ctx->as_of != TIME_UNKNOWN; i++) {
			if (a->old.v[i]->not_after == TIME_UNKNOWN)
				continue;
			cert_time(a->old.v[i], a->old.v[i]->not_after, when,
			    sizeof when);
			switch (cert_expiry_at(a->old.v[i], ctx->as_of)) {
			case CERT_EXPIRES_ABOUT_NOW:
				buf_appendf(&b, " The older certificate %s on %s "
				    "expires at %s, within hours of the as-of "
				    "time (whether it already has depends on the "
				    "server's UTC offset, which the bundle does not "
				    "show).", CERT_LABEL(a->old.v[i]),
				    a->old.v[i]->server, when);
				break;
			default:
				buf_appendf(&b, " The older certificate %s on %s "
				    "%s %s.", CERT_LABEL(a->old.v[i]),
				    a->old.v[i]->server, cert_expired_at(a->old.v[i],
				    ctx->as_of) ? "expired on" : "expires on", when);
			}
		}
		if (a->old.n == 0)
			buf_appendf(&b, " The bundle does not show the expiry "
			    "dates needed to tell the older certificate from "
			    "the renewed one.");
		buf_appendf(&b, " The fix is Microsoft's published procedure: "
		    "stop transport on the source servers, clear the pinning, "
		    "remove the old certificate, pin the renewed one again.");
		f->explanation = buf_steal(&b, NULL);
	}
	add_config_evidence(ev, a, f);
	presented_count(ev, &a->old, f, "older");
	presented_count(ev, &a->newest, f, "renewed");
	/* The ambiguity exists since the renewed certificate was issued. */
	for (i = 0; i < a->newest.n; i++)
		finding_seen_at(f, a->newest.v[i]->not_before,
		    a->newest.v[i]->dates_exact);
	add_remediation(a, f);
	link_symptoms(ctx, a, f);
	strlist_add(&f->references, "Microsoft Learn: Cannot remove an Exchange "
	    "certificate that is tagged to a Send connector (TlsCertificateName)");
	strlist_add(&f->references, "Get-SendConnector / Set-SendConnector "
	    "-TlsCertificateName");
}

static void
run_tls_cert_name_ambiguous(struct rule_ctx *ctx)
{
	const struct evidence		*ev = ctx->ev;
	const struct ev_send_connector	*sc, *other;
	struct ambiguity		 a;
	bool				*done;
	size_t				 i, j, k;

	done = xcalloc(ev->nsendc ? ev->nsendc : 1, sizeof *done);
	for (i = 0; i < ev->nsendc; i++) {
		sc = &ev->sendc[i];
		if (done[i] || sc->tls_certificate_name == NULL)
			continue;
		memset(&a, 0, sizeof a);
		a.name = sc->tls_certificate_name;
		a.first = sc;
		for (j = i; j < ev->nsendc; j++) {
			other = &ev->sendc[j];
			if (done[j] || other->tls_certificate_name == NULL ||
			    !same_name(a.name, other->tls_certificate_name))
				continue;
			done[j] = true;
			strlist_add_unique_ci(&a.connectors, other->name);
			for (k = 0; k < other->source_servers.n; k++)
				strlist_add_unique_ci(&a.servers,
				    other->source_servers.v[k]);
		}
		strlist_sort_ci(&a.servers);
		check_servers(ctx, &a);
		if (a.ambiguous_servers.n > 0)
			report_ambiguity(ctx, &a);
		ambiguity_free(&a);
	}
	free(done);
}

const struct rule rule_tls_cert_name_ambiguous = {
	.id = "tls-cert-name-ambiguous",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a Send connector's TlsCertificateName matches several "
	    "certificates on one of its source servers",
	.checks = "Each Send connector's TlsCertificateName (issuer and "
	    "subject) against the certificate inventory of every one of its "
	    "SourceTransportServers; which matching certificate the protocol "
	    "logs show presented; Remove-ExchangeCertificate refusal "
	    "transcripts. High when the refusal is in the bundle, the older "
	    "certificate is presented or expires within 60 days; medium "
	    "otherwise.",
	.why = "Exchange matches TlsCertificateName by issuer and subject "
	    "only. A renewal that kept both matches too, so "
	    "Remove-ExchangeCertificate refuses to delete the old "
	    "certificate (\"These certificates are tagged with following "
	    "Send Connectors\") and transport may go on presenting the old "
	    "one until it expires.",
	.fix = "Stop MSExchangeTransport on every source server, clear "
	    "TlsCertificateName on the connectors, remove the old "
	    "certificate from every source server, build the value again "
	    "from the renewed certificate "
	    "(\"<I>$($cert.Issuer)<S>$($cert.Subject)\"), set it, start "
	    "transport. Mail flow stops on those servers meanwhile.",
	.refs = REF_LEARN "Cannot remove an Exchange certificate that is "
	    "tagged to a Send connector; Set-SendConnector -TlsCertificateName",
	.run = run_tls_cert_name_ambiguous,
	.facts = {
		.problem = "The Send connector's certificate pin matches both "
		    "the old and the renewed certificate",
		.fix = "Remove the old certificate and pin the connector to "
		    "the renewed one",
		.risk = "medium", .downtime = FIX_STOPS_TRANSPORT,
	},
};

/*
 * legacy-tls and unknown-presented-cert: what the protocol logs say about the
 * handshakes themselves. Log aggregates are read through tls_rollup_build
 * only, so a change in how they are kept touches one place.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/dn.h"
#include "rules.h"
#include "tls_peer.h"
#include "tls_settings_rules.h"

static bool
dropped_error(const char *e)
{
	return e != NULL && (ascii_strcasestr(e, "SocketError") != NULL ||
	    ascii_strcasestr(e, "ConnectionReset") != NULL);
}

static bool
keep_all(const struct ev_tls_agg *t, void *arg)
{
	(void)t;
	(void)arg;
	return true;
}

static bool
modern_protocol(const char *p)
{
	return p != NULL && (ascii_casecmp(p, "TLS1_2") == 0 ||
	    ascii_casecmp(p, "TLS1_3") == 0);
}

/*
 * A TLS 1.2 or 1.3 success from the same server in the same direction to
 * the same remote host (on the same connector when the host is not logged):
 * one such success shows the two sides can agree, so the drops are not a
 * version problem.
 */
static bool
modern_success(const struct evidence *ev, const struct ev_tls_agg *t)
{
	const struct ev_tls_agg	*o;
	size_t			 i;

	for (i = 0; i < ev->ntls; i++) {
		o = &ev->tls[i];
		if (!o->ok || o->receive != t->receive ||
		    !str_eq_ci(o->server, t->server) || !modern_protocol(o->protocol))
			continue;
		if (t->remote != NULL ? str_eq_ci(o->remote, t->remote) :
		    str_eq_ci(o->connector, t->connector))
			return true;
	}
	return false;
}

/* Log aggregates per (server, direction, connector, remote host, what). */
struct host_group {
	const struct ev_tls_agg	*sample;	/* the earliest */
	bool			 dropped;	/* else a legacy session */
	long			 count;
	int64_t			 first, last;
};

static bool
same_host_group(const struct host_group *h, const struct ev_tls_agg *t,
    bool dropped)
{
	const struct ev_tls_agg	*a = h->sample;

	return h->dropped == dropped && a->receive == t->receive &&
	    str_eq_ci(a->server, t->server) && str_eq_ci(a->connector, t->connector) &&
	    str_eq_ci(a->remote, t->remote) && (dropped ?
	    str_eq_ci(a->error, t->error) : str_eq_ci(a->protocol, t->protocol));
}

static size_t
host_groups(const struct evidence *ev, struct host_group **out)
{
	struct host_group	*v = NULL, *h;
	const struct ev_tls_agg	*t;
	size_t			 n = 0, cap = 0, i, j;
	bool			 dropped;

	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (t->ok && tls_legacy_protocol(t->protocol))
			dropped = false;
		else if (!t->ok && dropped_error(t->error) && !modern_success(ev, t))
			dropped = true;
		else
			continue;
		for (j = 0; j < n; j++)
			if (same_host_group(&v[j], t, dropped))
				break;
		if (j == n) {
			v = xreallocarray_grow(v, &cap, n + 1, sizeof *v);
			h = &v[n++];
			h->sample = t;
			h->dropped = dropped;
			h->count = 0;
			h->first = h->last = TIME_UNKNOWN;
		}
		h = &v[j];
		if (t->first != TIME_UNKNOWN && (h->sample->first == TIME_UNKNOWN ||
		    t->first < h->sample->first))
			h->sample = t;
		h->count += t->count;
		if (t->first != TIME_UNKNOWN && (h->first == TIME_UNKNOWN ||
		    t->first < h->first))
			h->first = t->first;
		if (t->last != TIME_UNKNOWN && (h->last == TIME_UNKNOWN ||
		    t->last > h->last))
			h->last = t->last;
	}
	*out = v;
	return n;
}

/* The log responses and queues of f's servers that say what its rows do. */
static void
claim_responses(struct rule_ctx *ctx, struct finding *f,
    const char *const *errors)
{
	struct sym_match	m = { 0 };
	size_t			i;

	m.types = SYMBIT(SYM_RESPONSE) | SYMBIT(SYM_QUEUE);
	m.errors = errors;
	m.receive = 0;
	for (i = 0; i < f->servers.n; i++) {
		m.server = f->servers.v[i];
		rule_claim_std(ctx, f, &m, true);
	}
}

/* "TLS 1.0", "TLS 1.0 and 1.1": the old versions the groups negotiated. */
static char *
legacy_versions(const struct host_group *r, size_t n)
{
	struct strlist	 v = { 0 };
	char		*s;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (!r[i].dropped)
			strlist_add_unique_ci(&v, tls_version_words(
			    r[i].sample->protocol));
	strlist_sort_ci(&v);
	s = join_names(&v);
	strlist_free(&v);
	return s;
}

static void
run_legacy_tls(struct rule_ctx *ctx)
{
	static const char *const drop_codes[] = { "4.4.2", "SocketError",
	    "ConnectionReset", "4.7.66", NULL };
	static const char *const legacy_codes[] = { "4.7.66", NULL };
	static const char *const drop_errors[] = { "SocketError",
	    "ConnectionReset", NULL };
	struct host_group	*r;
	const struct ev_tls_agg	*t;
	struct finding		*f;
	/* Indices: a new finding may move the others. */
	long			 legacy = -1, dropped = -1;
	struct strlist		 legacy_hosts = { 0 }, dropped_hosts = { 0 };
	struct tls_drop		*drops = NULL;
	struct sym_match	 m = { 0 };
	char			*text, *hosts, *names, *vers, a[32], b[32];
	const char		*remote;
	size_t			 i, n, ndrops = 0, drops_cap = 0;

	n = host_groups(ctx->ev, &r);
	for (i = 0; i < n; i++) {
		t = r[i].sample;
		remote = t->remote ? t->remote : "an unlogged remote host";
		if (!r[i].dropped) {
			if (legacy < 0) {
				(void)findings_new(ctx->out, "legacy-tls",
				    SEV_MEDIUM);
				legacy = (long)ctx->out->n - 1;
			}
			f = &ctx->out->v[legacy];
			strlist_add_unique_ci(&legacy_hosts, remote);
			text = xasprintf("%ld %s session%s on connector %s of %s %s "
			    "%s negotiated %s, from %s to %s; first row: %s",
			    r[i].count, t->receive ? "inbound" : "outbound",
			    r[i].count == 1 ? "" : "s", t->connector ? t->connector :
			    "unknown", t->server ? t->server : "an unknown server",
			    t->receive ? "from" : "to", remote, t->protocol,
			    time_text(r[i].first, a, sizeof a),
			    time_text(r[i].last, b, sizeof b),
			    t->sample_text ? t->sample_text : "");
		} else {
			if (dropped < 0) {
				(void)findings_new(ctx->out, "legacy-tls",
				    SEV_HIGH);
				dropped = (long)ctx->out->n - 1;
			}
			f = &ctx->out->v[dropped];
			strlist_add_unique_ci(&dropped_hosts, remote);
			drops = xreallocarray_grow(drops, &drops_cap, ndrops + 1,
			    sizeof *drops);
			drops[ndrops].server = t->server;
			drops[ndrops].remote = t->remote;
			drops[ndrops++].receive = t->receive;
			m.types = SYMBIT(SYM_TLS_FAILURE);
			m.server = t->server;
			m.connector = t->connector;
			m.thumbprint = t->cert_thumbprint;
			m.receive = t->receive;
			m.errors = drop_errors;
			rule_claim_std(ctx, f, &m, false);
			text = xasprintf("%ld handshake%s on connector %s of %s %s %s "
			    "dropped with %s and no TLS 1.2 success with that host, "
			    "from %s to %s; first row: %s", r[i].count,
			    r[i].count == 1 ? "" : "s", t->connector ? t->connector :
			    "unknown", t->server ? t->server : "an unknown server",
			    t->receive ? "from" : "to", remote, t->error,
			    time_text(r[i].first, a, sizeof a),
			    time_text(r[i].last, b, sizeof b),
			    t->sample_text ? t->sample_text : "");
		}
		finding_add_evidence(f, t->log_source, t->sample_line, text,
		    r[i].count);
		free(text);
		finding_seen(f, r[i].first);
		finding_seen(f, r[i].last);
		if (t->server != NULL)
			strlist_add_unique_ci(&f->servers, t->server);
		if (t->connector != NULL)
			strlist_add_unique_ci(&f->connectors, t->connector);
	}
	vers = legacy_versions(r, n);
	free(r);
	if (legacy >= 0) {
		f = &ctx->out->v[legacy];
		strlist_sort_ci(&f->servers);
		strlist_sort_ci(&f->connectors);
		strlist_sort_ci(&legacy_hosts);
		claim_responses(ctx, f, legacy_codes);
		hosts = join_names(&legacy_hosts);
		names = join_names(&f->servers);
		f->title = xasprintf("Sessions of %s still negotiate %s with %s "
		    "(%zu connector%s)", names, vers, hosts, f->connectors.n,
		    f->connectors.n == 1 ? "" : "s");
		f->explanation = xasprintf("Sessions of %s with %s negotiated "
		    "%s. They work today, but Exchange Online and hardened "
		    "partners refuse TLS 1.0 and 1.1 (\"421 4.7.66 TLS 1.0 and 1.1 "
		    "are not supported\").", names, hosts, vers);
		free(hosts);
		free(names);
		strlist_add(&f->references, "Microsoft Learn: Exchange Server "
		    "TLS configuration best practices");
	}
	free(vers);
	if (dropped >= 0) {
		f = &ctx->out->v[dropped];
		strlist_sort_ci(&f->servers);
		strlist_sort_ci(&f->connectors);
		strlist_sort_ci(&dropped_hosts);
		claim_responses(ctx, f, drop_codes);
		hosts = join_names(&dropped_hosts);
		names = join_names(&f->servers);
		/* The settings below may name the cause; until then, the likely one. */
		f->title = xasprintf("Handshakes of %s with %s are dropped "
		    "(SocketError or ConnectionReset) with no TLS 1.2 success: "
		    "likely a TLS version mismatch", names, hosts);
		f->explanation = xasprintf("Handshakes of %s with %s fail with "
		    "the connection dropped (SocketError or ConnectionReset in "
		    "the logs), and no session of %s with that host ever "
		    "negotiated TLS 1.2. The peer closes the connection during "
		    "the handshake, which is what a host does when the two sides "
		    "share no TLS version (Exchange Online does so when offered "
		    "only TLS 1.0 or 1.1); a queue to it then shows \"421 4.4.2 "
		    "Connection dropped due to SocketError\".", names, hosts,
		    names);
		free(hosts);
		free(names);
		strlist_add(&f->references, "Microsoft Learn: Exchange Server "
		    "TLS configuration best practices");
	}
	strlist_free(&legacy_hosts);
	strlist_free(&dropped_hosts);
	/* What the servers' TLS settings say, and so what to do. */
	legacy_tls_from_settings(ctx, dropped, legacy, drops, ndrops);
	free(drops);
}

const struct rule rule_legacy_tls = {
	.id = "legacy-tls", .sev_min = SEV_LOW, .sev_max = SEV_HIGH,
	.line = "sessions negotiate TLS 1.0/1.1, or handshakes are dropped "
	    "with no TLS 1.2 success",
	.checks = "Protocol log outcomes per remote host: sessions "
	    "negotiated with TLS1_0 or TLS1_1; handshakes failing with "
	    "SocketError or ConnectionReset with a host that no session from "
	    "that server ever reached with TLS 1.2 or 1.3 (the connector when "
	    "the host is not logged). Links 421 4.4.2 SocketError and 4.7.66 "
	    "responses and queues of those servers. The servers' TLS "
	    "settings (HealthChecker): TLS 1.2 disabled in SCHANNEL or .NET 4 "
	    "without strong cryptography explains the drops (registry change "
	    "and reboot), settings that allow TLS 1.2 point at the peer (no "
	    "reboot; another server's TLS 1.0/1.1 sessions with the same host "
	    "show it lacks TLS 1.2). High for the dropped "
	    "handshakes, medium for legacy sessions that still work or "
	    "settings that leave TLS 1.2 off, low for TLS 1.0/1.1 still "
	    "enabled beside a working TLS 1.2.",
	.why = "Exchange Online and hardened partners refuse TLS 1.0/1.1 "
	    "(\"421 4.7.66\", \"421 4.4.2 Connection dropped due to "
	    "SocketError\").",
	.fix = "When the server's settings leave TLS 1.2 off or are not "
	    "known: enable TLS 1.2 in SCHANNEL and .NET "
	    "(SystemDefaultTlsVersions, SchUseStrongCrypto), reboot. When "
	    "they allow it: the remote host enables TLS 1.2; nothing changes "
	    "on the server.",
	.refs = REF_LEARN "Exchange Server TLS configuration best practices",
	.run = run_legacy_tls,
	.facts = {
		.problem = "Handshakes fall back to an old TLS version",
		.fix = "Enable TLS 1.2 on the server and its partners",
		.risk = "medium", .downtime = FIX_RESTARTS_SERVER,
	},
};

static bool
in_any_inventory(const struct evidence *ev, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].thumbprint != NULL &&
		    ascii_casecmp(ev->certs[i].thumbprint, tp) == 0)
			return true;
	return false;
}

/*
 * The inventory record the presented certificate renews: the same subject
 * (and issuer, when the log gives it) on the server that presented it, and
 * an earlier NotAfter. NULL when none.
 */
static const struct ev_cert *
renewed_record(const struct evidence *ev, const struct ev_tls_agg *t)
{
	const struct ev_cert	*c;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->server != NULL && ascii_casecmp(c->server, t->server) == 0 &&
		    c->not_after != TIME_UNKNOWN &&
		    t->cert_not_after != TIME_UNKNOWN &&
		    t->cert_not_after > c->not_after &&
		    dn_equal(c->subject, t->cert_subject) &&
		    (t->cert_issuer == NULL || dn_equal(c->issuer,
		    t->cert_issuer)))
			return c;
	}
	return NULL;
}

static void
run_unknown_presented_cert(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	struct tls_rollup	*r;
	const struct ev_tls_agg	*t;
	struct sym_match	 m = { 0 };
	struct finding		*f;
	struct strlist		 done = { 0 };
	const struct ev_cert	*renews;
	char			*text, a[32], b[32];
	size_t			 i, j, n;

	n = tls_rollup_build(ev, keep_all, NULL, &r);
	for (i = 0; i < n; i++) {
		t = r[i].sample;
		if (t->cert_thumbprint == NULL || t->server == NULL ||
		    !server_inventory_known(ev, t->server) ||
		    in_any_inventory(ev, t->cert_thumbprint) ||
		    server_may_hold_unnamed(ev, t->server, t->cert_serial) ||
		    strlist_contains_ci(&done, t->cert_thumbprint))
			continue;
		strlist_add(&done, t->cert_thumbprint);
		f = findings_new(ctx->out, "unknown-presented-cert", SEV_MEDIUM);
		strlist_add(&f->thumbprints, t->cert_thumbprint);
		for (j = i; j < n; j++) {
			const struct ev_tls_agg *u = r[j].sample;

			if (u->cert_thumbprint == NULL || ascii_casecmp(
			    u->cert_thumbprint, t->cert_thumbprint) != 0)
				continue;
			if (u->server != NULL)
				strlist_add_unique_ci(&f->servers, u->server);
			if (u->connector != NULL)
				strlist_add_unique_ci(&f->connectors, u->connector);
			text = xasprintf("%s presented certificate %s on connector "
			    "%s in %ld handshake%s (%s), from %s to %s; first row: %s",
			    u->server ? u->server : "unknown server",
			    u->cert_thumbprint, u->connector ? u->connector :
			    "unknown", r[j].count, r[j].count == 1 ? "" : "s",
			    u->ok ? "TLS succeeded" : u->error ? u->error :
			    "TLS failed", time_text(r[j].first, a, sizeof a),
			    time_text(r[j].last, b, sizeof b),
			    u->sample_text ? u->sample_text : "");
			tls_rollup_evidence(f, &r[j], text);
			free(text);
		}
		strlist_sort_ci(&f->servers);
		strlist_sort_ci(&f->connectors);
		m.types = SYMBIT(SYM_TLS_FAILURE);
		m.thumbprint = t->cert_thumbprint;
		m.receive = -1;
		if (rule_claim_std(ctx, f, &m, false) > 0)
			f->severity = SEV_HIGH;
		text = join_names(&f->servers);
		renews = renewed_record(ev, t);
		f->title = xasprintf("Certificate %s presented in the logs of %s is "
		    "in no server's inventory", t->cert_thumbprint, text);
		f->explanation = xasprintf("The protocol logs of %s show certificate "
		    "%s presented, but the certificate inventory of that server "
		    "(and of every other server in the bundle) does not hold it. "
		    "Exchange logs the certificate it presents itself, so the "
		    "server held it when the log was written: the inventory was "
		    "collected at another time (before it was installed, or after "
		    "it was removed) or is incomplete.%s%s%s", text,
		    t->cert_thumbprint, renews != NULL ? " Its subject and issuer "
		    "are those of " : "", renews != NULL ? renews->thumbprint : "",
		    renews != NULL ? ", which it outlives: it is that "
		    "certificate's renewal, most likely installed after the inventory was "
		    "collected." : "");
		for (j = 0; j < f->servers.n; j++) {
			char *store = xasprintf("Cert:\\LocalMachine\\My\\%s",
			    t->cert_thumbprint);
			char *cmd = ps_cmd("Get-ExchangeCertificate -Server %q | "
			    "Format-List Thumbprint,Subject,Services,NotAfter\n"
			    "Invoke-Command -ComputerName %q { Get-ChildItem %Q }",
			    f->servers.v[j], f->servers.v[j], store);
			char *why = xasprintf("On %s: look the certificate up in "
			    "the machine store and in Exchange's list.",
			    f->servers.v[j]);

			finding_add_step(f, why, cmd);
			free(store);
			free(cmd);
			free(why);
		}
		free(text);
		strlist_add(&f->references, "Get-ExchangeCertificate -Server");
	}
	strlist_free(&done);
	free(r);
}

const struct rule rule_unknown_presented_cert = {
	.id = "unknown-presented-cert",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "a certificate presented in the logs is in no server's "
	    "inventory",
	.checks = "Thumbprints in Sending/Receiving certificate rows that "
	    "are absent from the inventory of the server whose log shows "
	    "them (when that inventory is in the bundle). High when those "
	    "handshakes fail.",
	.why = "Exchange logs the certificate it presents itself: the "
	    "inventory is older or newer than the log, or incomplete (a "
	    "renewal installed after it was collected).",
	.fix = "Collect Get-ExchangeCertificate from every server again.",
	.refs = "Get-ExchangeCertificate -Server",
	.run = run_unknown_presented_cert,
	.facts = {
		.problem = "Transport presents a certificate missing from the "
		    "inventory",
		.fix = "Collect Get-ExchangeCertificate of the server and "
		    "compare",
		.risk = NULL, .downtime = FIX_READ_ONLY,
	},
};

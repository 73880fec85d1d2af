/*
 * legacy-tls: the cause and steps of the log findings (handshakes dropped
 * by the peer, sessions still on TLS 1.0/1.1), from the settings of their
 * servers. A server whose settings offer TLS 1.2 is not the side to fix:
 * enabling TLS 1.2 there and rebooting changes nothing, so the steps point
 * at the peer. Only unknown settings, or settings that leave TLS 1.2 off,
 * get the registry change and its reboot.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kinds/tls_settings.h"
#include "rules.h"
#include "tls_peer.h"
#include "tls_settings_rules.h"

/* The first screen, when the fix is not a registry change and reboot. */
static const struct fix_facts peer_facts = {
	.problem = "A remote host without TLS 1.2 drops the TLS handshakes",
	.fix = "Have the remote host's owner enable TLS 1.2; nothing changes "
	    "on the Exchange servers",
	.risk = "low", .downtime = FIX_NO_DOWNTIME,
};
static const struct fix_facts peer_or_device_facts = {
	.problem = "A remote host, or a device on the way, drops the TLS "
	    "handshakes",
	.fix = "Check the remote host's TLS versions and any firewall or SMTP "
	    "proxy on the way; nothing changes on the Exchange servers",
	.risk = "low", .downtime = FIX_NO_DOWNTIME,
};
static const struct fix_facts drop_facts = {
	.problem = "TLS handshakes are dropped: likely a TLS version mismatch",
	.fix = "Enable TLS 1.2 on the server in SCHANNEL and .NET",
	.risk = "medium", .downtime = FIX_RESTARTS_SERVER,
};
static const struct fix_facts legacy_peer_facts = {
	.problem = "Remote hosts still negotiate TLS 1.0 or 1.1",
	.fix = "Have those hosts enable TLS 1.2; nothing changes on the "
	    "Exchange servers",
	.risk = "low", .downtime = FIX_NO_DOWNTIME,
};

/* Whether the side of s that this direction uses has TLS 1.0 off. */
static bool
tls10_off(const struct ev_tls_settings *s, bool receive)
{
	return (receive ? s->server_enabled[TLS_1_0] :
	    s->client_enabled[TLS_1_0]) == TRI_FALSE;
}

/* Whether every server named offers TLS 1.2 by its settings. */
static bool
all_offer_tls12(const struct evidence *ev, const struct strlist *servers)
{
	const struct ev_tls_settings	*o;
	struct tls12			 t;
	bool				 yes;
	size_t				 i;

	for (i = 0; i < servers->n; i++) {
		if ((o = tls_settings_of(ev, servers->v[i])) == NULL)
			return false;
		tls12_judge(o, &t);
		yes = t.enabled;
		free(t.why);
		if (!yes)
			return false;
	}
	return true;
}

/*
 * Server s offers TLS 1.2 and its handshakes with remote are dropped: what
 * the other servers' sessions with that host show. True when they prove the
 * host tops out at an old version.
 */
static bool
peer_cause(struct rule_ctx *ctx, struct finding *f,
    const struct ev_tls_settings *s, const struct tls_drop *d,
    struct strlist *shown)
{
	struct tls_peer_seen	 p;
	const char		*host = d->remote;
	char			*names, *text;
	bool			 proven;

	/*
	 * A server that offers TLS 1.2 and still ends on TLS 1.0 with the host
	 * shows the host offers nothing newer.
	 */
	proven = tls_peer_seen(ctx->ev, host, d->receive, s->server, &p) &&
	    !p.modern && all_offer_tls12(ctx->ev, &p.servers);
	if (!proven) {
		text = xasprintf("Ask the administrators of %s whether it "
		    "supports TLS 1.2, and check any firewall or SMTP proxy "
		    "between %s and it that may end the handshake. %s already "
		    "offers TLS 1.2: nothing on it needs to change or restart.",
		    host, s->server, s->server);
		finding_add_step(f, text, NULL);
		free(text);
		tls_peer_seen_free(&p);
		return false;
	}
	names = join_names(&p.servers);
	text = xasprintf("%s, which offers TLS 1.2 too, negotiated %s with %s "
	    "in %ld session%s, and no session of any server with that host "
	    "reached TLS 1.2: the host offers nothing newer than %s. %s%s, so "
	    "the two share no version and the host ends the handshake: the "
	    "version problem is on the host's side, not %s's.", names, p.best,
	    host, p.sessions, p.sessions == 1 ? "" : "s", p.best, s->server,
	    tls10_off(s, d->receive) ? " has TLS 1.0 disabled" : " offers "
	    "TLS 1.2", s->server);
	finding_explain_more(f, text);
	free(text);
	text = xasprintf("%s negotiated %s with %s in %ld session%s", names,
	    p.best, host, p.sessions, p.sessions == 1 ? "" : "s");
	finding_add_evidence(f, p.sample->log_source, p.sample->sample_line,
	    text, p.sessions);
	free(text);
	text = xasprintf("Ask the administrators of %s to enable TLS 1.2 on "
	    "it. Nothing on %s needs to change or restart: it already offers "
	    "TLS 1.2, and enabling %s on it again only weakens it.", host,
	    s->server, p.best);
	finding_add_step(f, text, NULL);
	free(text);
	text = xasprintf("Until they do, mail for that host can leave from %s "
	    "only, which still negotiates %s with it: a Send connector for the "
	    "host's domain with -SourceTransportServers %s (no restart). Retry "
	    "the queue on %s once the host has TLS 1.2.", names, p.best, names,
	    s->server);
	finding_add_step(f, text, NULL);
	free(text);
	/* For the title: "203.0.113.77 negotiates only TLS 1.0 (with EXHUB1)". */
	text = xasprintf("%s negotiates only %s (with %s)", host, p.best,
	    names);
	strlist_add_unique_ci(shown, text);
	free(text);
	free(names);
	tls_peer_seen_free(&p);
	return true;
}

/* The dropped handshakes: what each server's settings make of them. */
static void
drop_steps(struct rule_ctx *ctx, long di, const struct tls_drop *drops,
    size_t ndrops, struct strlist *explained)
{
	struct finding			*f = &ctx->out->v[di];
	const struct ev_tls_settings	*s;
	struct tls12			 t;
	char				*text, *names, *hosts;
	struct strlist			 rem = { 0 }, shown = { 0 };
	bool				 restart = false, proven = false,
					 peer = false;
	size_t				 i, k;

	for (k = 0; k < f->servers.n; k++) {
		if ((s = tls_settings_of(ctx->ev, f->servers.v[k])) == NULL) {
			text = xasprintf("Likely cause: TLS 1.2 is not enabled on "
			    "%s or in its .NET; the bundle holds no TLS settings "
			    "of %s (HealthChecker) to tell.", f->servers.v[k],
			    f->servers.v[k]);
			finding_explain_more(f, text);
			free(text);
			tls12_enable_step(f, f->servers.v[k], " (its TLS settings "
			    "are not in the bundle)");
			restart = true;
			continue;
		}
		tls12_judge(s, &t);
		strlist_add_unique_ci(explained, s->server);
		if (t.disabled || t.net_off) {
			text = xasprintf("%s's TLS settings explain it: %s.",
			    s->server, t.why);
			finding_explain_more(f, text);
			tls12_evidence(f, s, t.why);
			tls12_enable_step(f, s->server, NULL);
			free(text);
			restart = true;
		} else if (t.enabled) {
			text = xasprintf("%s's TLS settings enable TLS 1.2 in "
			    "SCHANNEL (server and client) and .NET 4 uses the "
			    "system's versions with strong cryptography, so %s "
			    "offers TLS 1.2.", s->server, s->server);
			finding_explain_more(f, text);
			free(text);
			tls12_evidence(f, s, "TLS 1.2 enabled; .NET 4 "
			    "SystemDefaultTlsVersions and SchUseStrongCrypto 1");
			peer = true;
			for (i = 0; i < ndrops; i++) {
				if (!str_eq_ci(drops[i].server, s->server) ||
				    drops[i].remote == NULL)
					continue;
				if (peer_cause(ctx, f, s, &drops[i], &shown))
					proven = true;
				strlist_add_unique_ci(&rem, drops[i].remote);
			}
		} else {
			/* TLS 1.2 on, a .NET value not set: not proven either way. */
			text = xasprintf("%s's TLS settings: %s.", s->server,
			    t.why);
			finding_explain_more(f, text);
			free(text);
			tls12_evidence(f, s, t.why);
			tls12_enable_step(f, s->server, NULL);
			restart = true;
		}
		free(t.why);
	}
	f->facts = restart ? &drop_facts : proven ? &peer_facts : peer ?
	    &peer_or_device_facts : NULL;
	if (!restart && proven) {
		/* The title names what the evidence shows, not a guess. */
		names = join_names(&f->servers);
		hosts = join_names(&shown);
		free(f->title);
		f->title = xasprintf("Handshakes of %s are dropped by a host "
		    "without TLS 1.2: %s", names, hosts);
		free(names);
		free(hosts);
	} else if (!restart && peer) {
		names = join_names(&f->servers);
		hosts = join_names(&rem);
		free(f->title);
		f->title = xasprintf("%s offers TLS 1.2, but its handshakes with "
		    "%s are dropped (SocketError or ConnectionReset): look at the "
		    "peer or a device on the way", names, hosts);
		free(names);
		free(hosts);
	}
	strlist_free(&rem);
	strlist_free(&shown);
}

/* Sessions still on TLS 1.0/1.1: the side that lacks TLS 1.2. */
static void
legacy_steps(struct rule_ctx *ctx, long li)
{
	struct finding			*f = &ctx->out->v[li];
	const struct ev_tls_settings	*s;
	struct strlist			 peers = { 0 };
	struct tls12			 t;
	char				*text, *names;
	bool				 all_peer = f->servers.n > 0;
	size_t				 k;

	for (k = 0; k < f->servers.n; k++) {
		s = tls_settings_of(ctx->ev, f->servers.v[k]);
		if (s != NULL)
			tls12_judge(s, &t);
		if (s == NULL || !t.enabled) {
			text = xasprintf("Enable TLS 1.2 on %s in SCHANNEL and .NET "
			    "so both sides can agree on it%s.", f->servers.v[k],
			    s == NULL ? " (its TLS settings are not in the bundle)" :
			    "");
			finding_explain_more(f, text);
			free(text);
			tls12_enable_step(f, f->servers.v[k], NULL);
			all_peer = false;
			if (s != NULL)
				free(t.why);
			continue;
		}
		free(t.why);
		tls_legacy_peers(ctx->ev, s->server, &peers);
		names = join_names(&peers);
		text = xasprintf("%s's TLS settings offer TLS 1.2 (SCHANNEL server "
		    "and client, .NET 4 set to 1), so the other side of these "
		    "sessions offers nothing newer: %s. Disabling TLS 1.0 and 1.1 "
		    "on %s would cut them off.", s->server, names, s->server);
		finding_explain_more(f, text);
		free(text);
		text = xasprintf("Ask the owners of %s to enable TLS 1.2; keep TLS "
		    "1.0 and 1.1 on %s until they do. Nothing on %s needs to "
		    "change or restart.", names, s->server, s->server);
		finding_add_step(f, text, NULL);
		free(text);
		free(names);
		strlist_free(&peers);
	}
	if (all_peer)
		f->facts = &legacy_peer_facts;
}

void
legacy_tls_log_steps(struct rule_ctx *ctx, long dropped, long legacy,
    const struct tls_drop *drops, size_t ndrops, struct strlist *explained)
{
	if (dropped >= 0)
		drop_steps(ctx, dropped, drops, ndrops, explained);
	if (legacy >= 0)
		legacy_steps(ctx, legacy);
}

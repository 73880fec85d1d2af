/*
 * legacy-tls from the servers' TLS settings (HealthChecker): TLS 1.2
 * disabled in SCHANNEL, or .NET 4 told not to use strong cryptography or
 * the system's TLS versions, explains handshakes the peer drops
 * (SocketError, ConnectionReset) when the peer requires TLS 1.2; settings
 * that allow TLS 1.2 say the version problem is not on this server's side.
 * Without drops, such settings are a finding of their own (medium), and TLS
 * 1.0 or 1.1 still enabled beside a working TLS 1.2 is only a hardening
 * note (low).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kinds/tls_settings.h"
#include "rules.h"
#include "tls_peer.h"
#include "tls_settings_rules.h"

static bool
is_one(const char *v)
{
	return v != NULL && strcmp(v, "1") == 0;
}

void
tls12_judge(const struct ev_tls_settings *s, struct tls12 *t)
{
	const char	*sd = s->net[NET_V4][NET_SYSTEM_DEFAULT];
	const char	*sc = s->net[NET_V4][NET_STRONG_CRYPTO];
	struct buf	 b;
	size_t		 i;
	bool		 all_one = true;

	memset(t, 0, sizeof *t);
	buf_init(&b, 4096);
	if (s->server_enabled[TLS_1_2] == TRI_FALSE ||
	    s->client_enabled[TLS_1_2] == TRI_FALSE) {
		t->disabled = true;
		buf_appendf(&b, "TLS 1.2 is disabled in SCHANNEL for the %s side%s",
		    s->server_enabled[TLS_1_2] == TRI_FALSE &&
		    s->client_enabled[TLS_1_2] == TRI_FALSE ? "server and client" :
		    s->server_enabled[TLS_1_2] == TRI_FALSE ? "server" : "client",
		    s->server_enabled[TLS_1_2] == TRI_FALSE &&
		    s->client_enabled[TLS_1_2] == TRI_FALSE ? "s" : "");
	}
	for (i = 0; i < NET_NVALUES; i++) {
		if (!is_one(s->net[NET_V4][i]))
			all_one = false;
		if (s->net[NET_V4][i] != NULL && !is_one(s->net[NET_V4][i]))
			t->net_below = true;
	}
	t->net_off = sd != NULL && sc != NULL && !is_one(sd) && !is_one(sc);
	if (t->net_below)
		buf_appendf(&b, "%s.NET 4 has SystemDefaultTlsVersions %s and "
		    "SchUseStrongCrypto %s (32-bit: %s and %s)", b.len ? "; " : "",
		    sd ? sd : "unknown", sc ? sc : "unknown",
		    s->net[NET_V4][NET_WOW_SYSTEM_DEFAULT] ?
		    s->net[NET_V4][NET_WOW_SYSTEM_DEFAULT] : "unknown",
		    s->net[NET_V4][NET_WOW_STRONG_CRYPTO] ?
		    s->net[NET_V4][NET_WOW_STRONG_CRYPTO] : "unknown");
	t->enabled = s->server_enabled[TLS_1_2] == TRI_TRUE &&
	    s->client_enabled[TLS_1_2] == TRI_TRUE && all_one;
	for (i = TLS_1_0; i <= TLS_1_1; i++)
		if (s->server_enabled[i] == TRI_TRUE ||
		    s->client_enabled[i] == TRI_TRUE)
			t->legacy_on = true;
	t->why = buf_steal(&b, NULL);
}

void
tls12_evidence(struct finding *f, const struct ev_tls_settings *s,
    const char *text)
{
	char	*line = xasprintf("%s (HealthChecker): %s", s->server, text);

	finding_add_evidence(f, s->ref.source, s->ref.line, line, 1);
	free(line);
}

void
finding_explain_more(struct finding *f, const char *sentence)
{
	char	*e = xasprintf("%s %s", f->explanation ? f->explanation : "",
	    sentence);

	free(f->explanation);
	f->explanation = e;
}

/* .NET 4's two values, in the 64-bit and the 32-bit keys. */
#define NET_KEY		"'HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319'"
#define WOW_KEY		"'HKLM:\\SOFTWARE\\Wow6432Node\\Microsoft\\" \
			".NETFramework\\v4.0.30319'"
#define NET_LINES							\
	"New-ItemProperty " NET_KEY " -Name SystemDefaultTlsVersions "	\
	"-Value 1 -PropertyType DWord -Force\n"				\
	"New-ItemProperty " NET_KEY " -Name SchUseStrongCrypto -Value 1 "	\
	"-PropertyType DWord -Force\n"					\
	"New-ItemProperty " WOW_KEY " -Name SystemDefaultTlsVersions "	\
	"-Value 1 -PropertyType DWord -Force\n"				\
	"New-ItemProperty " WOW_KEY " -Name SchUseStrongCrypto -Value 1 "	\
	"-PropertyType DWord -Force\n"

void
tls12_enable_step(struct finding *f, const char *server, const char *why)
{
	char	*text = xasprintf("On %s%s: enable TLS 1.2 for SCHANNEL and .NET "
	    "(the 64-bit and 32-bit keys), then reboot.", server, why ? why : "");

	finding_add_step(f, text,
	    "New-Item 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\"
	    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server' -Force | "
	    "New-ItemProperty -Name Enabled -Value 1 -PropertyType DWord -Force\n"
	    "New-Item 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\"
	    "SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client' -Force | "
	    "New-ItemProperty -Name Enabled -Value 1 -PropertyType DWord -Force\n"
	    NET_LINES "Restart-Computer");
	free(text);
}

/*
 * peers: the remote hosts the logs show still on TLS 1.0 or 1.1 with the
 * server; disabling the old versions cuts them off, so the step names them.
 */
static void
hardening_steps(struct finding *f, const char *server,
    const struct strlist *peers)
{
	static const char *const keys[] = { "TLS 1.0\\Server",
	    "TLS 1.0\\Client", "TLS 1.1\\Server", "TLS 1.1\\Client" };
	struct buf	 b;
	char		*text, *cmd;
	size_t		 i;

	buf_init(&b, 1 << 16);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		buf_appendf(&b, "New-Item 'HKLM:\\SYSTEM\\CurrentControlSet\\"
		    "Control\\SecurityProviders\\SCHANNEL\\Protocols\\%s' "
		    "-Force | New-ItemProperty -Name Enabled -Value 0 "
		    "-PropertyType DWord -Force\n"
		    "New-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\"
		    "Control\\SecurityProviders\\SCHANNEL\\Protocols\\%s' "
		    "-Name DisabledByDefault -Value 1 -PropertyType DWord -Force\n",
		    keys[i], keys[i]);
	buf_appendf(&b, "%s", NET_LINES "Restart-Computer");
	cmd = buf_steal(&b, NULL);
	if (peers->n > 0) {
		char *names = join_names(peers);

		text = xasprintf("On %s, only once %s, which the logs show still "
		    "negotiating TLS 1.0 or 1.1 with it, support TLS 1.2 "
		    "(disabling the old versions before that cuts them off): "
		    "disable TLS 1.0 and 1.1 for both sides, set .NET 4's two "
		    "values (64-bit and 32-bit keys) to 1, then reboot.", server,
		    names);
		free(names);
	} else
		text = xasprintf("On %s, once no client or partner needs them "
		    "(the logs in the bundle show none negotiating TLS 1.0 or "
		    "1.1 with it): disable TLS 1.0 and 1.1 for both sides, set "
		    ".NET 4's two values (64-bit and 32-bit keys) to 1, then "
		    "reboot.", server);
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
}

void
legacy_tls_from_settings(struct rule_ctx *ctx, long dropped, long legacy,
    const struct tls_drop *drops, size_t ndrops)
{
	const struct ev_tls_settings	*s;
	struct strlist			 explained = { 0 };
	struct finding			*f, *note;
	struct strlist			 peers = { 0 };
	struct tls12			 t;
	char				*list, *names;
	/* An index: a new finding may move the others. */
	long				 ni = -1;
	size_t				 i;

	legacy_tls_log_steps(ctx, dropped, legacy, drops, ndrops, &explained);
	for (i = 0; i < ctx->ev->ntls_settings; i++) {
		s = &ctx->ev->tls_settings[i];
		if (s->server == NULL || strlist_contains_ci(&explained, s->server))
			continue;
		tls12_judge(s, &t);
		if (t.disabled || t.net_off) {
			f = findings_new(ctx->out, "legacy-tls", SEV_MEDIUM);
			strlist_add(&f->servers, s->server);
			f->title = xasprintf("TLS 1.2 is not fully enabled on %s: %s",
			    s->server, t.why);
			f->explanation = xasprintf("HealthChecker's TLS settings of "
			    "%s: %s. Exchange Online and partners that require TLS "
			    "1.2 drop the handshakes this server starts or accepts "
			    "with an older version (\"421 4.4.2 Connection dropped "
			    "due to SocketError\"). Nothing in the bundle shows such "
			    "a failure yet.", s->server, t.why);
			tls12_evidence(f, s, t.why);
			tls12_enable_step(f, s->server, NULL);
			strlist_add(&f->references, "Microsoft Learn: Exchange "
			    "Server TLS configuration best practices");
		} else if (t.legacy_on || t.net_below) {
			if (ni < 0) {
				note = findings_new(ctx->out, "legacy-tls", SEV_LOW);
				ni = (long)ctx->out->n - 1;
				strlist_add(&note->references, "Microsoft Learn: "
				    "Exchange Server TLS configuration best "
				    "practices");
			}
			note = &ctx->out->v[ni];
			strlist_add_unique_ci(&note->servers, s->server);
			tls12_evidence(note, s, t.legacy_on && t.net_below ?
			    "TLS 1.0 or 1.1 still enabled; see the .NET values" :
			    t.legacy_on ? "TLS 1.0 or 1.1 still enabled" : t.why);
		}
		free(t.why);
	}
	if (ni >= 0) {
		note = &ctx->out->v[ni];
		list = join_names(&note->servers);
		note->title = xasprintf("Hardening: TLS 1.0 or 1.1 still enabled, "
		    "or .NET 4's TLS values not all 1, on %s", list);
		note->explanation = xasprintf("HealthChecker's TLS settings of %s "
		    "leave TLS 1.0 or 1.1 enabled, or .NET 4's "
		    "SystemDefaultTlsVersions and SchUseStrongCrypto not both 1 "
		    "in the 64-bit and 32-bit keys, beside a working TLS 1.2. "
		    "Nothing fails because of it; Microsoft recommends disabling "
		    "the older versions once no client needs them, and setting "
		    "both .NET values to 1.", list);
		free(list);
		for (i = 0; i < note->servers.n; i++) {
			tls_legacy_peers(ctx->ev, note->servers.v[i], &peers);
			if (peers.n > 0) {
				names = join_names(&peers);
				list = xasprintf("The logs show %s still "
				    "negotiating TLS 1.0 or 1.1 with %s: disabling "
				    "the old versions on %s cuts them off until they "
				    "support TLS 1.2.", names, note->servers.v[i],
				    note->servers.v[i]);
				finding_explain_more(note, list);
				free(list);
				free(names);
			}
			hardening_steps(note, note->servers.v[i], &peers);
			strlist_free(&peers);
		}
	}
	strlist_free(&explained);
}

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
#include "tls_settings_rules.h"

/* What the settings of one server say about TLS 1.2. */
struct tls12 {
	bool	 disabled;	/* SCHANNEL: server or client side off */
	/*
	 * .NET 4 (Exchange's runtime) neither uses the system's TLS versions
	 * nor strong cryptography: it offers TLS 1.0 to whoever it calls.
	 */
	bool	 net_off;
	bool	 net_below;	/* a .NET 4 value not the recommended 1 */
	bool	 enabled;	/* both sides on and .NET 4 set to 1 */
	bool	 legacy_on;	/* TLS 1.0 or 1.1 enabled on a side */
	char	*why;		/* the settings in words */
};

static bool
is_one(const char *v)
{
	return v != NULL && strcmp(v, "1") == 0;
}

static void
judge(const struct ev_tls_settings *s, struct tls12 *t)
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

static void
settings_evidence(struct finding *f, const struct ev_tls_settings *s,
    const char *text)
{
	char	*line = xasprintf("%s (HealthChecker): %s", s->server, text);

	finding_add_evidence(f, s->ref.source, s->ref.line, line, 1);
	free(line);
}

/* Appends a sentence to a finding's explanation. */
static void
explain_more(struct finding *f, const char *sentence)
{
	char	*e = xasprintf("%s %s", f->explanation ? f->explanation : "",
	    sentence);

	free(f->explanation);
	f->explanation = e;
}

/* The dropped-handshake findings legacy-tls made: what the settings say. */
static void
annotate_drops(struct rule_ctx *ctx, struct strlist *explained)
{
	const struct ev_tls_settings	*s;
	struct finding			*f;
	struct tls12			 t;
	char				*text;
	size_t				 i, k;

	for (i = 0; i < ctx->out->n; i++) {
		f = &ctx->out->v[i];
		if (strcmp(f->rule, "legacy-tls") != 0 ||
		    f->severity < SEV_HIGH)
			continue;
		for (k = 0; k < f->servers.n; k++) {
			if ((s = tls_settings_of(ctx->ev, f->servers.v[k])) == NULL)
				continue;
			judge(s, &t);
			if (t.disabled || t.net_off) {
				text = xasprintf("%s's TLS settings explain it: "
				    "%s.", s->server, t.why);
				explain_more(f, text);
				settings_evidence(f, s, t.why);
				strlist_add_unique_ci(explained, s->server);
				free(text);
			} else if (t.enabled) {
				text = xasprintf("%s's TLS settings enable TLS 1.2 "
				    "in SCHANNEL (server and client) and .NET 4 uses "
				    "the system's versions with strong cryptography, "
				    "so %s can offer TLS 1.2: look at the peer's "
				    "settings, or a device in between that ends the "
				    "handshake.", s->server, s->server);
				explain_more(f, text);
				settings_evidence(f, s, "TLS 1.2 enabled; .NET 4 "
				    "SystemDefaultTlsVersions and SchUseStrongCrypto "
				    "1");
				strlist_add_unique_ci(explained, s->server);
				free(text);
			}
			free(t.why);
		}
	}
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

static void
settings_steps(struct finding *f, const char *server)
{
	char	*text = xasprintf("On %s: enable TLS 1.2 for SCHANNEL and .NET "
	    "(the 64-bit and 32-bit keys), then reboot.", server);

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

static void
hardening_steps(struct finding *f, const char *server)
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
	text = xasprintf("On %s, once no client or partner needs them: "
	    "disable TLS 1.0 and 1.1 for both sides, set .NET 4's two values "
	    "(64-bit and 32-bit keys) to 1, then reboot.", server);
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
}

void
legacy_tls_from_settings(struct rule_ctx *ctx)
{
	const struct ev_tls_settings	*s;
	struct strlist			 explained = { 0 };
	struct finding			*f, *note = NULL;
	struct tls12			 t;
	char				*list;
	size_t				 i;

	annotate_drops(ctx, &explained);
	for (i = 0; i < ctx->ev->ntls_settings; i++) {
		s = &ctx->ev->tls_settings[i];
		if (s->server == NULL || strlist_contains_ci(&explained, s->server))
			continue;
		judge(s, &t);
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
			settings_evidence(f, s, t.why);
			settings_steps(f, s->server);
			strlist_add(&f->references, "Microsoft Learn: Exchange "
			    "Server TLS configuration best practices");
		} else if (t.legacy_on || t.net_below) {
			if (note == NULL) {
				note = findings_new(ctx->out, "legacy-tls", SEV_LOW);
				strlist_add(&note->references, "Microsoft Learn: "
				    "Exchange Server TLS configuration best "
				    "practices");
			}
			strlist_add_unique_ci(&note->servers, s->server);
			settings_evidence(note, s, t.legacy_on && t.net_below ?
			    "TLS 1.0 or 1.1 still enabled; see the .NET values" :
			    t.legacy_on ? "TLS 1.0 or 1.1 still enabled" : t.why);
		}
		free(t.why);
	}
	if (note != NULL) {
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
		for (i = 0; i < note->servers.n; i++)
			hardening_steps(note, note->servers.v[i]);
		free(list);
	}
	strlist_free(&explained);
}

/*
 * "530 5.7.57 SMTP; Client was not authenticated to send anonymous mail
 * during MAIL FROM" in a receive log: a client submitted to a connector
 * that accepts only authenticated users (the Client Frontend connector,
 * port 587, or any connector without anonymous permission). It is neither
 * a certificate nor a partner problem: a device or application (a scanner,
 * a line-of-business program) is set to send without logging on. It must
 * authenticate (SMTP AUTH over TLS with a mailbox account), or send through
 * an anonymous relay Receive connector limited to its addresses (Microsoft
 * Learn: "Configure authenticated SMTP settings for POP3 and IMAP4
 * clients", "Allow anonymous relay on Exchange servers").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_auth.h"

static const char *const refusal[] = { "5.7.57", NULL };

static void
report_connector(struct rule_ctx *ctx, const char *server,
    const char *connector)
{
	struct sym_match	 m = { 0 };
	struct finding		*f;
	const struct symptom	*s;
	char			 t1[32], t2[32], *cmd;
	int64_t			 first = TIME_UNKNOWN, last = TIME_UNKNOWN;
	long			 n = 0;
	size_t			 i;

	m.types = SYMBIT(SYM_RESPONSE);
	m.server = server;
	m.connector = connector;
	m.receive = 1;
	m.errors = refusal;
	f = findings_new(ctx->out, "tls-handshake-failures", SEV_MEDIUM);
	rule_claim_std(ctx, f, &m, true);
	for (i = 0; i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->finding_seq != f->seq)
			continue;
		n += s->count;
		if (s->first != TIME_UNKNOWN && (first == TIME_UNKNOWN ||
		    s->first < first))
			first = s->first;
		if (s->last != TIME_UNKNOWN && (last == TIME_UNKNOWN ||
		    s->last > last))
			last = s->last;
	}
	if (server != NULL)
		strlist_add(&f->servers, server);
	if (connector != NULL)
		strlist_add(&f->connectors, connector);
	f->title = xasprintf("%ld client submission%s refused with 530 5.7.57 "
	    "on Receive connector \"%s\": the clients did not authenticate", n,
	    n == 1 ? "" : "s", connector ? connector : "unknown");
	f->explanation = xasprintf("From %s to %s, Receive connector \"%s\"%s%s "
	    "refused %ld session%s with \"530 5.7.57 Client was not "
	    "authenticated to send anonymous mail during MAIL FROM\": the "
	    "connector accepts mail only from authenticated users (the client "
	    "submission connector, port 587), and these clients sent without "
	    "logging on. This is not a certificate problem: a device or "
	    "application (a scanner, a line-of-business program) is set to "
	    "submit anonymously. Configure it to authenticate (SMTP AUTH with a "
	    "mailbox account, over TLS), or let it send through a Receive "
	    "connector for anonymous relay limited to its addresses. The remote "
	    "addresses in the log rows name the clients.",
	    time_text(first, t1, sizeof t1), time_text(last, t2, sizeof t2),
	    connector ? connector : "unknown", server ? " on " : "",
	    server ? server : "", n, n == 1 ? "" : "s");
	if (connector != NULL) {
		cmd = ps_cmd("Get-ReceiveConnector %q | Format-List Bindings,"
		    "AuthMechanism,PermissionGroups,RemoteIPRanges", connector);
		finding_add_step(f, "Read what the connector accepts: its port, "
		    "its authentication methods and who may send anonymously.",
		    cmd);
		free(cmd);
	}
	finding_add_step(f, "On each client the log rows name: set SMTP "
	    "authentication with a mailbox account (and STARTTLS) for port "
	    "587; a device that cannot authenticate sends through an "
	    "anonymous relay connector limited to its addresses instead.",
	    NULL);
	strlist_add(&f->references, REF_LEARN "Configure authenticated SMTP "
	    "settings for POP3 and IMAP4 clients; Allow anonymous relay on "
	    "Exchange servers");
}

void
client_auth_refusals(struct rule_ctx *ctx)
{
	struct sym_match	 m = { 0 };
	struct strlist		 seen = { 0 };
	const struct symptom	*s;
	char			*key;
	size_t			 i;

	m.types = SYMBIT(SYM_RESPONSE);
	m.receive = 1;
	m.errors = refusal;
	for (i = 0; i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->finding_seq >= 0 || !sym_match_std(s, &m))
			continue;
		key = xasprintf("%s\\%s", s->server ? s->server : "",
		    s->connector ? s->connector : "");
		if (!strlist_contains_ci(&seen, key)) {
			strlist_add(&seen, key);
			report_connector(ctx, s->server, s->connector);
		}
		free(key);
	}
	strlist_free(&seen);
}

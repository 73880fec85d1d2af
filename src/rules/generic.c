/*
 * The rules that account for what the specific ones leave: connect-failures
 * (a network cause, not a certificate one), tls-handshake-failures and
 * queue-retry (symptoms whose cause the bundle does not show), and
 * protocol-logging-off (an implicated connector that logs nothing). They run
 * after every specific rule and only take symptoms no finding explains yet.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "client_auth.h"
#include "rules.h"

static const char *const connect_errors[] = {
	"Failed to connect", "Winsock error", "4.2.1", "Unable to connect",
	"Connection timed out", "DNS query failed", "No connection could be made",
	"actively refused", "4.4.7", NULL
};

/*
 * Of those, the ones that say the TCP connection itself failed. The rest
 * (4.4.1 "Connection timed out", 4.4.7 expiry) are also what a queue shows
 * when TLS fails on a connector that requires it: a certificate not enabled
 * for SMTP gives "451 4.4.0 ... 421 4.4.1 Connection timed out".
 */
static const char *const connection_failed[] = {
	"Failed to connect", "Winsock error", "4.2.1", "Unable to connect",
	"DNS query failed", "No connection could be made", "actively refused",
	NULL
};

static bool
says_connection_failed(const char *error)
{
	const char *const	*p;

	for (p = connection_failed; error != NULL && *p != NULL; p++)
		if (ascii_strcasestr(error, *p) != NULL)
			return true;
	return false;
}

static void
servers_of_claimed(const struct rule_ctx *ctx, struct finding *f)
{
	size_t	i;

	for (i = 0; i < ctx->sym->n; i++)
		if (ctx->sym->v[i].finding_seq == f->seq &&
		    ctx->sym->v[i].server != NULL)
			strlist_add_unique_ci(&f->servers, ctx->sym->v[i].server);
	strlist_sort_ci(&f->servers);
}

/* One step retrying the queues of every server of f. */
static void
retry_queues_step(struct finding *f, const char *text)
{
	struct buf	 b;
	char		*cmd;
	size_t		 i;

	buf_init(&b, 1 << 16);
	for (i = 0; i < f->servers.n; i++) {
		cmd = ps_cmd("Get-Queue -Server %q | Where-Object {$_.Status -eq "
		    "\"Retry\"} | Retry-Queue", f->servers.v[i]);
		buf_appendf(&b, "%s%s", i ? "\n" : "", cmd);
		free(cmd);
	}
	if (f->servers.n == 0)
		buf_appendf(&b, "Get-Queue | Where-Object {$_.Status -eq "
		    "\"Retry\"} | Retry-Queue");
	cmd = buf_steal(&b, NULL);
	finding_add_step(f, text, cmd);
	free(cmd);
}

/* A pattern of an error's text, and what the error then points to. */
struct lead {
	const char	*pattern;
	const char	*text;
};

/* The text of the first lead whose pattern e holds, else `otherwise`. */
static const char *
lead_for(const struct lead *leads, size_t n, const char *e,
    const char *otherwise)
{
	size_t	i;

	for (i = 0; e != NULL && i < n; i++)
		if (ascii_strcasestr(e, leads[i].pattern) != NULL)
			return leads[i].text;
	return otherwise;
}

/*
 * The network-class codes no certificate rule took: x.4.x, 4.2.1, unless
 * the text is about TLS ("450 4.4.317 ... SubjectMismatch"), which
 * tls-handshake-failures reports.
 */
static bool
network_response(const struct symptom *s, const void *arg)
{
	static const char *const tls_words[] = { "TLS", "certificate",
	    "Subject", NULL };
	size_t	i;

	(void)arg;
	if (s->type != SYM_RESPONSE || s->code == NULL)
		return false;
	if (symptom_is_connect(s))
		return true;
	if (strstr(s->code, " 4.4.") == NULL && strstr(s->code, " 5.4.") == NULL)
		return false;
	for (i = 0; s->error != NULL && tls_words[i] != NULL; i++)
		if (ascii_strcasestr(s->error, tls_words[i]) != NULL)
			return false;
	return true;
}

/* What each Winsock code asks to check, for the steps. */
static const char *
connect_advice(long code)
{
	switch (code) {
	case 10060:
		return "nothing answers: a firewall drops port 25 on the way, or "
		    "the host is down";
	case 10061:
		return "the host refuses port 25: nothing listens there, or it "
		    "rejects this server's address";
	case 11001: case 11002: case 11003: case 11004:
		return "the name does not resolve: check the MX/A records and the "
		    "server's DNS settings";
	default:
		return "check the network path to port 25";
	}
}

static void
run_connect_failures(struct rule_ctx *ctx)
{
	struct strlist		 hops = { 0 }, dests = { 0 }, stepped = { 0 };
	struct sym_match	 m = { 0 };
	struct finding		*f;
	const struct symptom	*s;
	char			*list, *cmd, *text, *dlist;
	long			 queues, rows = 0, responses;
	size_t			 i, k;
	bool			 dup, certain;

	m.types = SYMBIT(SYM_QUEUE);
	m.errors = connect_errors;
	m.receive = -1;
	if (rule_count_unclaimed(ctx, sym_match_std, &m) == 0 &&
	    rule_count_unclaimed(ctx, network_response, NULL) == 0) {
		m.types = SYMBIT(SYM_CONNECT_FAILURE);
		m.errors = NULL;
		if (rule_count_unclaimed(ctx, sym_match_std, &m) == 0)
			return;
	}
	f = findings_new(ctx->out, "connect-failures", SEV_MEDIUM);
	m.types = SYMBIT(SYM_CONNECT_FAILURE);
	m.errors = NULL;
	rule_claim_std(ctx, f, &m, true);
	m.types = SYMBIT(SYM_QUEUE);
	m.errors = connect_errors;
	queues = rule_claim_std(ctx, f, &m, true);
	responses = rule_claim(ctx, f, network_response, NULL, true);
	servers_of_claimed(ctx, f);
	/* Log rows and the remote's own codes show a connection's fate. */
	certain = responses > 0;
	for (i = 0; i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->finding_seq != f->seq)
			continue;
		if (s->type != SYM_QUEUE || says_connection_failed(s->error))
			certain = true;
		if (s->type == SYM_CONNECT_FAILURE) {
			rows += s->count;
			if (s->remote != NULL)
				strlist_add_unique_ci(&dests, s->remote);
			if (s->connector != NULL)
				strlist_add_unique_ci(&f->connectors, s->connector);
			continue;
		}
		if (s->type != SYM_QUEUE || s->connector == NULL)
			continue;
		/* A queue's next hop is a domain, or a connector's name for
		 * smart-host delivery: only the latter is a connector. */
		strlist_add_unique_ci(&hops, s->connector);
		for (k = 0; k < ctx->ev->nsendc; k++)
			if (ascii_casecmp(ctx->ev->sendc[k].name, s->connector) == 0)
				strlist_add_unique_ci(&f->connectors,
				    ctx->ev->sendc[k].name);
	}
	if (queues > 0 || rows >= 10)
		f->severity = SEV_HIGH;
	strlist_sort_ci(&f->connectors);
	strlist_sort_ci(&hops);
	strlist_sort_ci(&dests);
	for (i = 0; i < hops.n; i++)
		strlist_add_unique_ci(&dests, hops.v[i]);
	list = join_names(&f->servers);
	dlist = join_names(&dests);
	{
		struct buf b;

		buf_init(&b, 1 << 12);
		if (rows > 0)
			buf_appendf(&b, "%ld connect failure%s", rows,
			    rows == 1 ? "" : "s");
		if (queues > 0)
			buf_appendf(&b, "%s%ld queue%s", b.len ? ", " : "", queues,
			    queues == 1 ? "" : "s");
		if (responses > 0)
			buf_appendf(&b, "%s%ld group%s of deferral codes",
			    b.len ? ", " : "", responses, responses == 1 ? "" : "s");
		text = buf_steal(&b, NULL);
	}
	/* A queue pasted without its identity names no server. */
	if (f->servers.n == 0) {
		free(list);
		list = xstrdup("an unknown server");
	}
	if (!certain)
		f->title = xasprintf("Connections to %s time out (%s on %s): the "
		    "network, or TLS failing on a connector that requires it; the "
		    "protocol logs tell which", dests.n > 0 ? dlist : "the next hop",
		    text, list);
	else if (dests.n > 0)
		f->title = xasprintf("Connections to %s fail before TLS (%s on "
		    "%s): a network problem, not a certificate one", dlist, text,
		    list);
	else
		f->title = xasprintf("Connections to the next hop fail before TLS "
		    "(%s on %s): a network problem, not a certificate one", text,
		    list);
	free(text);
	/* Either cause may be behind it: no cause is determined. */
	f->generic = !certain;
	if (!certain)
		f->explanation = xstrdup("The queues' LastError says only that "
		    "the connection timed out. A firewall or a next hop that does "
		    "not answer on port 25 gives that, and so does a TLS handshake "
		    "that fails on a connector that requires TLS: a certificate "
		    "not enabled for SMTP fails with UnknownCredentials, and the "
		    "queue shows \"451 4.4.0 ... 421 4.4.1 Connection timed out\". "
		    "Nothing in the bundle tells the two apart; the Send protocol "
		    "log of the connector does (\"Failed to connect\" rows for the "
		    "network, \"TLS negotiation failed\" after STARTTLS for TLS).");
	else
		f->explanation = xasprintf("The %s say the connection itself "
		    "failed (connect timeout, Winsock error, refused connection "
		    "or DNS failure). No certificate rule explains them: the TCP "
		    "connection to port 25 of the next hop is not established, so "
		    "TLS never starts. Check the network path before any "
		    "certificate work.", rows > 0 ? "protocol logs" :
		    "queues' LastError");
	for (i = 0; i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->finding_seq != f->seq || s->type != SYM_CONNECT_FAILURE ||
		    s->server == NULL)
			continue;
		text = xasprintf("%s\n%s\n%ld", s->server, s->remote ? s->remote :
		    "", s->winsock);
		dup = strlist_contains_ci(&stepped, text);
		if (!dup)
			strlist_add(&stepped, text);
		free(text);
		if (dup)
			continue;
		cmd = s->remote != NULL ? ps_cmd("Invoke-Command -ComputerName %q "
		    "{ Resolve-DnsName -Type MX %q; Test-NetConnection -Port 25 "
		    "-ComputerName %q }", s->server, s->remote, s->remote) : NULL;
		if (s->winsock >= 0)
			text = xasprintf("From %s to %s (Winsock error %ld): %s.",
			    s->server, s->remote ? s->remote : "the next hop",
			    s->winsock, connect_advice(s->winsock));
		else
			text = xasprintf("From %s to %s: %s.", s->server, s->remote ?
			    s->remote : "the next hop", connect_advice(-1));
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	if (!certain)
		for (i = 0; i < f->servers.n; i++) {
			cmd = ps_cmd("Get-TransportService -Identity %q | "
			    "Format-List SendProtocolLogPath", f->servers.v[i]);
			text = xasprintf("On %s, read the Send protocol log of the "
			    "connector at the time of the queue's last retry: "
			    "\"TLS negotiation failed\" after STARTTLS points to the "
			    "certificate (collect Get-ExchangeCertificate | "
			    "Format-List), \"Failed to connect\" to the network.",
			    f->servers.v[i]);
			finding_add_step(f, text, cmd);
			free(text);
			free(cmd);
		}
	if (rows == 0)
		for (i = 0; i < f->servers.n; i++) {
			cmd = hops.n > 0 ? ps_cmd("Invoke-Command -ComputerName %q "
			    "{ Resolve-DnsName -Type MX %q; Test-NetConnection -Port "
			    "25 -ComputerName %q }", f->servers.v[i], hops.v[0],
			    hops.v[0]) : NULL;
			text = xasprintf("From %s: resolve the next hop and test port "
			    "25 (firewall, smart host name, DNS).", f->servers.v[i]);
			finding_add_step(f, text, cmd);
			free(text);
			free(cmd);
		}
	retry_queues_step(f, "After the network path is fixed, retry the "
	    "queues.");
	free(list);
	free(dlist);
	strlist_free(&hops);
	strlist_free(&dests);
	strlist_free(&stepped);
	strlist_add(&f->references, "Test-NetConnection -Port 25; Get-Queue "
	    "LastError; Windows Sockets error codes");
}

const struct rule rule_connect_failures = {
	.id = "connect-failures", .sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "connections fail before TLS: a network problem, not a "
	    "certificate one (a queue's timeout alone: either)",
	.checks = "\"Failed to connect. Winsock error code\" rows of the "
	    "send logs (with the code's meaning: 10060 timed out, 10061 "
	    "refused, 11001 host not found, ...; the destination; counts), "
	    "queues whose LastError says the connection failed (Winsock "
	    "errors, 421 4.2.1 Unable to connect, DNS failures, 4.4.1 "
	    "timeouts not explained by a certificate rule), and network-class "
	    "log responses (x.4.x, 4.2.1) no certificate rule explains. A "
	    "failed connection is never a certificate finding's symptom. A "
	    "queue's 4.4.1 timeout with nothing else behind it is also what "
	    "TLS failing on a connector that requires it gives: the finding "
	    "then says either may be the cause and asks for the protocol log. "
	    "High when a queue is in Retry or Suspended or 10 connections "
	    "failed, medium otherwise.",
	.why = "Connectivity failures look like TLS trouble in queues; the "
	    "fix is on the network, not on certificates.",
	.fix = "Check firewalls, port 25 reachability (Test-NetConnection "
	    "-Port 25), DNS and smart host names; no certificate work.",
	.refs = "Test-NetConnection; Get-Queue LastError; Windows Sockets "
	    "error codes",
	.run = run_connect_failures,
	.facts = {
		.problem = "Connections to the next hop fail before TLS starts",
		.fix = "Check the network path, firewall and DNS to the next "
		    "hop",
		.risk = NULL, .downtime = FIX_READ_ONLY,
	},
};

/* SSPI outcome -> what it likely means. */
static const char *
tls_guidance(const char *e)
{
	static const struct lead g[] = {
		{ "UnknownCredentials", "the local certificate could not be "
		    "used: likely SMTP not enabled on it or no access to its "
		    "private key" },
		{ "NoCredentials", "no usable certificate with a private key: "
		    "likely a key-less import" },
		{ "CertExpired", "a certificate in the handshake has expired; "
		    "the local one is valid, so likely the peer's certificate or "
		    "an intermediate in its chain" },
		{ "UntrustedRoot", "the peer's chain ends at a root this server "
		    "does not trust: likely a missing root or intermediate" },
		{ "CertUnknown", "the certificate could not be validated: likely "
		    "a chain or revocation-check problem" },
		{ "WrongPrincipal", "the peer's certificate does not name the host "
		    "connected to: likely a TlsDomain or smart host name mismatch" },
		{ "TargetUnknown", "the peer's certificate does not name the host "
		    "connected to" },
		{ "AlgorithmMismatch", "no common cipher suite: likely a TLS or "
		    "cipher hardening mismatch" },
		{ "IllegalMessage", "the peer sent something the handshake did not "
		    "expect: likely a protocol version mismatch or a middlebox" },
		{ "SocketError", "the peer dropped the connection during the "
		    "handshake: likely TLS version policy" },
		{ "ConnectionReset", "the peer reset the connection during the "
		    "handshake" },
		{ "RevocationOffline", "the revocation server could not be "
		    "reached: CRL/OCSP access blocked" },
	};

	return lead_for(g, sizeof g / sizeof g[0], e, "look the SSPI status "
	    "up; collect verbose protocol logs of both sides");
}

/* Every presented certificate is in the inventory, valid and enabled for SMTP. */
static bool
local_certs_sound(const struct rule_ctx *ctx, const struct finding *f)
{
	const struct ev_cert	*c;
	size_t			 i, j;

	if (f->thumbprints.n == 0)
		return false;
	for (i = 0; i < f->thumbprints.n; i++) {
		for (j = 0, c = NULL; c == NULL && j < ctx->ev->ncerts; j++)
			if (str_eq_ci(ctx->ev->certs[j].thumbprint,
			    f->thumbprints.v[i]))
				c = &ctx->ev->certs[j];
		if (c == NULL || !services_has(c, SVC_SMTP) ||
		    c->not_after == TIME_UNKNOWN ||
		    cert_expired_at(c, ctx->as_of))
			return false;
	}
	return true;
}

static void
report_responses(struct rule_ctx *ctx, const struct sym_match *m)
{
	struct finding		*f;
	const struct symptom	*s;
	struct strlist		 codes = { 0 };
	char			*list, *clist, *cmd, *opt;
	long			 total = 0;
	size_t			 i;

	f = findings_new(ctx->out, "tls-handshake-failures", SEV_MEDIUM);
	rule_claim_std(ctx, f, m, true);
	for (i = 0; i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->finding_seq != f->seq)
			continue;
		total += s->count;
		if (s->code != NULL)
			strlist_add_unique_ci(&codes, s->code);
		if (s->connector != NULL)
			strlist_add_unique_ci(&f->connectors, s->connector);
	}
	if (total >= 10)
		f->severity = SEV_HIGH;
	servers_of_claimed(ctx, f);
	strlist_sort_ci(&f->connectors);
	strlist_sort_ci(&codes);
	list = join_servers(&f->servers);
	clist = join_names(&codes);
	f->title = xasprintf("%ld deferral or NDR response%s (%s) in the logs of "
	    "%s; no specific cause found", total, total == 1 ? "" : "s", clist,
	    list);
	f->explanation = xasprintf("The protocol logs hold %ld 4xx/5xx "
	    "response%s about TLS, authentication or delivery (%s) that no "
	    "certificate, connector or network rule explains with the evidence "
	    "in the bundle. The text of each response is the lead; the peer's "
	    "logs for the same time usually say more.", total,
	    total == 1 ? "" : "s", clist);
	opt = ps_server_opt(f->servers.n ? f->servers.v[0] : NULL);
	cmd = ps_cmd("Get-Queue%s | Format-List Identity,Status,NextHopDomain,"
	    "LastError", opt);
	free(opt);
	finding_add_step(f, "Read the queues and the full responses of the same "
	    "time; collect the peer's logs.", cmd);
	free(cmd);
	free(list);
	free(clist);
	strlist_free(&codes);
	strlist_add(&f->references, "RFC 3463 enhanced status codes");
}

static void
run_tls_handshake_failures(struct rule_ctx *ctx)
{
	struct strlist		 errors = { 0 }, inbound = { 0 };
	struct sym_match	 m = { 0 };
	struct symptom		*s;
	struct finding		*f;
	static const long	 all_events[] = { 1035, 2004, 2017, 11022, 12012,
	    12013, 12014, 12015, 12016, 12017, 12018, 12019, 12020, 12023, 12024,
	    0 };
	const char		*err;
	char			*list, *cmd, *opt;
	long			 total;
	size_t			 i, k;

	for (i = 0; i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->type == SYM_TLS_FAILURE && s->finding_seq < 0)
			strlist_add_unique_ci(&errors, s->error ? s->error :
			    "unknown error");
	}
	strlist_sort_ci(&errors);
	for (k = 0; k < errors.n; k++) {
		err = errors.v[k];
		f = findings_new(ctx->out, "tls-handshake-failures", SEV_MEDIUM);
		total = 0;
		for (i = 0; i < ctx->sym->n; i++) {
			s = &ctx->sym->v[i];
			if (s->type != SYM_TLS_FAILURE || s->finding_seq >= 0 ||
			    ascii_casecmp(s->error ? s->error : "unknown error",
			    err) != 0)
				continue;
			s->finding_seq = f->seq;
			f->direct_evidence = true;
			total += s->count;
			finding_add_evidence(f, s->source, s->line, s->text,
			    s->count);
			finding_seen_at(f, s->first, !s->local);
			finding_seen_at(f, s->last, !s->local);
			if (s->connector != NULL)
				strlist_add_unique_ci(&f->connectors, s->connector);
			if (s->connector != NULL && s->receive)
				strlist_add_unique_ci(&inbound, s->connector);
			if (s->thumbprint != NULL)
				strlist_add_unique_ci(&f->thumbprints, s->thumbprint);
		}
		if (total >= 10)
			f->severity = SEV_HIGH;
		servers_of_claimed(ctx, f);
		strlist_sort_ci(&f->connectors);
		list = join_servers(&f->servers);
		f->title = xasprintf("%ld TLS handshake%s failed with %s on %s; no "
		    "specific cause found", total, total == 1 ? "" : "s", err, list);
		f->explanation = xasprintf("The protocol logs show %ld failed "
		    "handshake%s with %s that no specific rule explains%s. What "
		    "the error means: %s.", total, total == 1 ? "" : "s", err,
		    local_certs_sound(ctx, f) ? ": the certificates these servers "
		    "present are installed, valid and enabled for SMTP" : "",
		    tls_guidance(err));
		for (i = 0; i < f->connectors.n; i++) {
			/* A Receive connector is SERVER\Name and has its own cmdlet. */
			cmd = ps_cmd("Set-%sConnector %q -ProtocolLoggingLevel "
			    "Verbose", strlist_contains_ci(&inbound,
			    f->connectors.v[i]) ? "Receive" : "Send",
			    f->connectors.v[i]);
			finding_add_step(f, "Make sure the connector logs verbosely, "
			    "reproduce, and collect the protocol logs of both sides "
			    "(or ask the peer for theirs).", cmd);
			free(cmd);
		}
		strlist_free(&inbound);
		finding_add_step(f, "Check the peer's certificate chain and TLS "
		    "policy for the error above; collect the Schannel events "
		    "(System log, source Schannel) of the same time.",
		    "Get-WinEvent -FilterHashtable @{LogName='System'; "
		    "ProviderName='Schannel'} -MaxEvents 200");
		free(list);
		strlist_add(&f->references, "SSPI SEC_E_* status codes");
	}
	strlist_free(&errors);

	/* Clients refused for not authenticating, per Receive connector. */
	client_auth_refusals(ctx);

	/* Deferral and NDR codes in the logs nothing else explains. */
	memset(&m, 0, sizeof m);
	m.types = SYMBIT(SYM_RESPONSE);
	m.receive = -1;
	if (rule_count_unclaimed(ctx, sym_match_std, &m) > 0)
		report_responses(ctx, &m);

	/* Transport events and error transcripts nothing else explains. */
	memset(&m, 0, sizeof m);
	m.types = SYMBIT(SYM_EVENT) | SYMBIT(SYM_TRANSCRIPT);
	m.event_ids = all_events;
	m.receive = -1;
	if (rule_count_unclaimed(ctx, sym_match_std, &m) == 0)
		return;
	f = findings_new(ctx->out, "tls-handshake-failures", SEV_MEDIUM);
	total = rule_claim_std(ctx, f, &m, true);
	servers_of_claimed(ctx, f);
	list = join_servers(&f->servers);
	f->title = xasprintf("%ld transport event%s or error transcript%s about "
	    "TLS or certificates on %s that no specific rule explains", total,
	    total == 1 ? "" : "s", total == 1 ? "" : "s", list);
	f->explanation = xasprintf("The bundle holds transport events or error "
	    "transcripts about TLS or certificates that none of the "
	    "certificate, connector or log checks accounts for. Read them with "
	    "the certificate inventory of the same server at hand.");
	opt = f->servers.n > 0 ? ps_cmd(" -ComputerName %q", f->servers.v[0]) :
	    xstrdup("");
	cmd = ps_cmd("Get-WinEvent%s -FilterHashtable @{LogName='Application'; "
	    "ProviderName='MSExchangeTransport'} -MaxEvents 500", opt);
	free(opt);
	finding_add_step(f, "Collect the transport events around the same time.",
	    cmd);
	free(cmd);
	free(list);
}

const struct rule rule_tls_handshake_failures = {
	.id = "tls-handshake-failures",
	.sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "TLS handshakes fail for a reason no specific rule explains",
	.checks = "Failed handshakes in the protocol logs, TLS or "
	    "certificate events, and deferral or NDR responses in the logs "
	    "(TLS, authentication or routing codes such as 454 4.7.0) that no "
	    "specific rule explains, grouped by error, connector and "
	    "certificate. High for 10 failures or more, medium otherwise.",
	.why = "Mail fails or goes unencrypted; the error names the class of "
	    "fault (SSPI meanings; interpretations marked likely).",
	.fix = "Per error: see the guidance in the finding; collect verbose "
	    "protocol logs of both sides.",
	.refs = "SSPI SEC_E_* status codes; Set-SendConnector "
	    "-ProtocolLoggingLevel Verbose",
	.generic = true,
	.run = run_tls_handshake_failures,
	.facts = {
		.problem = "TLS handshakes fail for a cause no rule names",
		.fix = "Collect verbose protocol logs of both sides",
		.risk = NULL, .downtime = FIX_READ_ONLY,
	},
};

/* A queue's LastError -> the likely lead, and what would confirm it. */
static const char *
queue_guidance(const char *e)
{
	static const struct lead g[] = {
		{ "TlsCertificateName", "the certificate a connector pins is not "
		    "on this server (tls-cert-name-not-found); collect "
		    "Get-SendConnector and Get-ExchangeCertificate of this server" },
		/* 454 4.7.5 Certificate validation failure: this server's
		 * validation of the peer's chain, when its own is healthy. */
		{ "Certificate validation failure", "likely this server failing "
		    "to validate the remote server's certificate chain (its root "
		    "not trusted here, or the revocation check unreachable, often "
		    "through a proxy), not its own certificate; the steps check "
		    "the chain and the proxy" },
		{ "4.7.5", "a TLS certificate problem on one side: the "
		    "certificate this server presents or pins, or the remote one "
		    "it validates; compare the queue's connector with the "
		    "inventory" },
		{ "Connection timed out", "likely TLS failing on a connector that "
		    "requires it (a certificate fault looks like a timeout), or the "
		    "network; collect verbose SmtpSend protocol logs" },
		{ "STARTTLS", "the peer requires TLS that this server does not "
		    "offer or cannot negotiate; collect Get-ExchangeCertificate and "
		    "the connectors" },
		{ "5.7.3", "Exchange server authentication failed: check the "
		    "internal transport certificate (Get-TransportService)" },
		{ "5.7.64", "Exchange Online cannot attribute the mail to the "
		    "tenant: check the hybrid connector's TLS settings" },
		{ "TenantAttribution", "Exchange Online cannot attribute the mail "
		    "to the tenant: check the hybrid connector's TLS settings" },
		{ "busy", "the remote side throttles; usually transient" },
		{ "4.4.7", "messages expired in the queue: the cause is older than "
		    "the retry window" },
	};

	return lead_for(g, sizeof g / sizeof g[0], e, "read it in full; it "
	    "names the remote response or the local condition");
}

/*
 * For each queue of f whose peer's certificate this server could not
 * validate: check the chain the way Schannel does (certutil fetches the
 * AIA and CRL/OCSP URLs) and the WinHTTP proxy it fetches them through.
 */
static void
validation_steps(const struct rule_ctx *ctx, struct finding *f)
{
	const struct ev_queue	*q;
	struct strlist		 done = { 0 };
	char			*file, *cmd, *text;
	size_t			 i;

	for (i = 0; i < ctx->sym->n; i++) {
		if (ctx->sym->v[i].finding_seq != f->seq ||
		    ctx->sym->v[i].type != SYM_QUEUE)
			continue;
		q = ctx->sym->v[i].origin;
		if (q->server == NULL || q->last_error == NULL ||
		    ascii_strcasestr(q->last_error,
		    "Certificate validation failure") == NULL)
			continue;
		file = xasprintf("C:\\%s.cer", q->next_hop_domain != NULL ?
		    q->next_hop_domain : "remote");
		text = xasprintf("%s %s", q->server, file);
		if (strlist_contains_ci(&done, text)) {
			free(text);
			free(file);
			continue;
		}
		strlist_add(&done, text);
		free(text);
		cmd = ps_cmd("Invoke-Command -ComputerName %q { certutil -verify "
		    "-urlfetch %Q; netsh winhttp show proxy }", q->server, file);
		text = xasprintf("On %s: save the certificate %s presents (from "
		    "a verbose SmtpSend log's remote certificate, or from its "
		    "administrators) as %s, then check that %s can build and "
		    "revoke-check its chain, and through which proxy it fetches "
		    "the CRL and OCSP answers: a missing root or an unreachable "
		    "URL is the likely cause.", q->server, q->next_hop_domain ?
		    q->next_hop_domain : "the remote server", file, q->server);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
		free(file);
	}
	strlist_free(&done);
}

static void
run_queue_retry(struct rule_ctx *ctx)
{
	struct sym_match	 m = { 0 };
	struct finding		*f;
	const struct ev_queue	*q;
	char			*list, *cmd, *text;
	long			 n, msgs = 0, counted = 0, unknown_status = 0;
	char			 waiting[96];
	size_t			 i;

	m.types = SYMBIT(SYM_QUEUE);
	m.receive = -1;
	if (rule_count_unclaimed(ctx, sym_match_std, &m) == 0)
		return;
	f = findings_new(ctx->out, "queue-retry", SEV_MEDIUM);
	n = rule_claim_std(ctx, f, &m, true);
	for (i = 0; i < ctx->sym->n; i++) {
		if (ctx->sym->v[i].finding_seq != f->seq ||
		    ctx->sym->v[i].type != SYM_QUEUE)
			continue;
		q = ctx->sym->v[i].origin;
		if (q->message_count > 0)
			msgs += q->message_count;
		if (q->message_count >= 0)
			counted++;
		if (q->status == NULL)
			unknown_status++;
	}
	if (msgs > 0)
		f->severity = SEV_HIGH;
	servers_of_claimed(ctx, f);
	list = join_names(&f->servers);
	/* What the export did not give stays unknown in the title too. */
	if (counted == n)
		snprintf(waiting, sizeof waiting, "%ld message%s waiting", msgs,
		    msgs == 1 ? "" : "s");
	else if (counted > 0)
		snprintf(waiting, sizeof waiting, "at least %ld message%s "
		    "waiting; %ld queue%s without a count", msgs,
		    msgs == 1 ? "" : "s", n - counted, n - counted == 1 ? "" : "s");
	else
		snprintf(waiting, sizeof waiting, "messages waiting: not in the "
		    "export");
	f->title = xasprintf("%ld queue%s %s%s %s (%s); no specific cause "
	    "found", n, n == 1 ? "" : "s", f->servers.n ? "on " : "of ",
	    f->servers.n ? list : "an unknown server",
	    unknown_status > 0 ? "failing delivery" : "in Retry or Suspended",
	    waiting);
	{
		struct buf b;

		buf_init(&b, 1 << 20);
		buf_appendf(&b, "Mail waits in %ld queue%s whose LastError no "
		    "certificate, connector or network rule explains with the "
		    "evidence in the bundle. The LastError is the lead:", n,
		    n == 1 ? "" : "s");
		for (i = 0; i < ctx->sym->n; i++) {
			if (ctx->sym->v[i].finding_seq != f->seq)
				continue;
			q = ctx->sym->v[i].origin;
			buf_appendf(&b, " queue %s: %s.", q->identity ?
			    q->identity : "unknown", queue_guidance(q->last_error));
		}
		f->explanation = buf_steal(&b, NULL);
	}
	for (i = 0; i < f->servers.n; i++) {
		cmd = ps_cmd("Get-Queue -Server %q | Where-Object {$_.Status -ne "
		    "\"Ready\"} | Format-List Identity,Status,NextHopDomain,"
		    "LastError,MessageCount", f->servers.v[i]);
		text = xasprintf("On %s: read the full LastError of each queue.",
		    f->servers.v[i]);
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
	validation_steps(ctx, f);
	retry_queues_step(f, "After the cause is fixed, retry the queues.");
	free(list);
	strlist_add(&f->references, "Get-Queue; Retry-Queue");
}

const struct rule rule_queue_retry = {
	.id = "queue-retry", .sev_min = SEV_MEDIUM, .sev_max = SEV_HIGH,
	.line = "queues are in Retry or Suspended with an error no specific "
	    "rule explains",
	.checks = "Get-Queue records in Retry or Suspended with a LastError "
	    "not linked to another finding. High when messages wait, medium "
	    "otherwise.",
	.why = "Mail is not being delivered; the LastError is the best lead.",
	.fix = "Follow the LastError; after the cause is fixed, Retry-Queue.",
	.refs = "Get-Queue; Retry-Queue",
	.generic = true,
	.run = run_queue_retry,
	.facts = {
		.problem = "Mail waits in queues in Retry",
		.fix = "Read each queue's LastError and fix the next hop",
		.risk = NULL, .downtime = FIX_READ_ONLY,
	},
};

static bool
on_connector(const struct ev_tls_agg *t, void *arg)
{
	return t->connector != NULL && ascii_casecmp(t->connector, arg) == 0;
}

/*
 * Whether the logs in the bundle hold any row for the connector: a
 * handshake, a session, a connect failure or an error response (a
 * connector that never gets a connection logs no handshake).
 */
static bool
logged(const struct evidence *ev, const char *name)
{
	struct tls_rollup	*r;
	size_t			 n, i;

	n = tls_rollup_build(ev, on_connector, (void *)name, &r);
	free(r);
	for (i = 0; n == 0 && i < ev->nconnfail; i++)
		if (ev->connfail[i].connector != NULL &&
		    ascii_casecmp(ev->connfail[i].connector, name) == 0)
			n++;
	for (i = 0; n == 0 && i < ev->nsessions; i++)
		if (ev->sessions[i].connector != NULL &&
		    ascii_casecmp(ev->sessions[i].connector, name) == 0)
			n++;
	for (i = 0; n == 0 && i < ev->nresponses; i++)
		if (ev->responses[i].connector != NULL &&
		    ascii_casecmp(ev->responses[i].connector, name) == 0)
			n++;
	return n > 0;
}

/* Whether the bundle holds SmtpSend log rows of server. */
static bool
send_logs_of(const struct evidence *ev, const char *server)
{
	size_t	i;

	for (i = 0; i < ev->ntls; i++)
		if (!ev->tls[i].receive && str_eq_ci(ev->tls[i].server, server))
			return true;
	return false;
}

/*
 * Why the logs hold no row for a connector with logging on: when the Send
 * logs of all its source servers are there, it sent nothing while they ran;
 * otherwise the logs of the servers named are missing.
 */
static char *
no_rows_reason(const struct evidence *ev, const struct ev_send_connector *sc)
{
	struct strlist	 missing = { 0 };
	char		*names, *s;
	size_t		 i;

	for (i = 0; i < sc->source_servers.n; i++)
		if (!send_logs_of(ev, sc->source_servers.v[i]))
			strlist_add(&missing, sc->source_servers.v[i]);
	if (sc->source_servers.n > 0 && missing.n == 0) {
		names = join_names(&sc->source_servers);
		s = xasprintf("the SmtpSend logs of %s in the bundle have no row "
		    "for it: it sent nothing while they were written", names);
	} else if (missing.n > 0) {
		names = join_names(&missing);
		s = xasprintf("the bundle holds no SmtpSend logs of %s, which "
		    "it sends from", names);
	} else {
		names = NULL;
		s = xstrdup("the SmtpSend logs in the bundle have no row for it, "
		    "and its source servers are not known");
	}
	free(names);
	strlist_free(&missing);
	return s;
}

static void
run_protocol_logging_off(struct rule_ctx *ctx)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_send_connector *sc;
	struct finding		*f;
	char			*cmd, *why;
	bool			 implicated, queued, off, verbose;
	size_t			 i, j, nfind = ctx->out->n;

	for (i = 0; i < ev->nsendc; i++) {
		sc = &ev->sendc[i];
		off = sc->protocol_logging_level != NULL &&
		    ascii_casecmp(sc->protocol_logging_level, "None") == 0;
		/* Logging on, logs in the bundle, not one row for it: the
		 * logs of its servers are missing or cut short. */
		if (!off && (ev->logs.files == 0 || logged(ev, sc->name)))
			continue;
		implicated = queued = false;
		for (j = 0; j < nfind; j++)
			if (ctx->out->v[j].severity > SEV_LOW &&
			    strlist_contains_ci(&ctx->out->v[j].connectors, sc->name))
				implicated = true;
		for (j = 0; j < ctx->sym->n; j++)
			if (ctx->sym->v[j].type == SYM_QUEUE &&
			    ctx->sym->v[j].connector != NULL &&
			    ascii_casecmp(ctx->sym->v[j].connector, sc->name) == 0)
				implicated = queued = true;
		if (!implicated)
			continue;
		/*
		 * Logging on and nothing queued for it: the rows are missing
		 * from the bundle, not from the server; an evidence gap.
		 */
		if (!off && !queued) {
			why = no_rows_reason(ev, sc);
			cmd = xasprintf("Send connector \"%s\" is implicated, but %s "
			    "(its ProtocolLoggingLevel is %s): its handshakes are not "
			    "in the bundle", sc->name, why,
			    sc->protocol_logging_level ?
			    sc->protocol_logging_level : "unknown");
			gap_add(ctx->gaps, cmd, NULL);
			free(cmd);
			free(why);
			continue;
		}
		f = findings_new(ctx->out, "protocol-logging-off",
		    queued ? SEV_MEDIUM : SEV_LOW);
		strlist_add(&f->connectors, sc->name);
		strlist_copy(&f->servers, &sc->source_servers);
		f->title = off ? xasprintf("Send connector \"%s\" is implicated "
		    "but logs nothing (ProtocolLoggingLevel None)", sc->name) :
		    xasprintf("Send connector \"%s\" is implicated but the bundle "
		    "holds no protocol log row for it", sc->name);
		why = off ? xstrdup("its protocol logging is off") :
		    no_rows_reason(ev, sc);
		f->explanation = xasprintf("The analysis points at Send connector "
		    "\"%s\"%s, but %s, so the bundle cannot show its handshakes: "
		    "which certificate it presented and how TLS ended. This is an "
		    "evidence gap, not a fault.", sc->name, queued ?
		    " (a queue for it is in trouble)" : "", why);
		free(why);
		cmd = xasprintf("Send connector \"%s\": ProtocolLoggingLevel %s",
		    sc->name, sc->protocol_logging_level ?
		    sc->protocol_logging_level : "unknown");
		finding_add_evidence(f, sc->ref.source, sc->ref.line, cmd, 1);
		free(cmd);
		/* Already Verbose: setting it again would change nothing. */
		verbose = sc->protocol_logging_level != NULL &&
		    ascii_casecmp(sc->protocol_logging_level, "Verbose") == 0;
		cmd = verbose ? NULL : ps_cmd("Set-SendConnector %q "
		    "-ProtocolLoggingLevel Verbose", sc->name);
		finding_add_step(f, off ? "Turn verbose protocol logging on, "
		    "reproduce the problem and collect the SmtpSend logs again." :
		    verbose ? "Collect the SmtpSend logs of every source server "
		    "from the time the queue has been failing (its logging is "
		    "already verbose)." : "Make sure logging is verbose, "
		    "reproduce the problem and collect the SmtpSend logs of every "
		    "source server.", cmd);
		free(cmd);
		strlist_add(&f->references, "Set-SendConnector -ProtocolLoggingLevel");
	}
}

const struct rule rule_protocol_logging_off = {
	.id = "protocol-logging-off", .sev_min = SEV_LOW, .sev_max = SEV_MEDIUM,
	.line = "a connector implicated by the analysis logs nothing",
	.checks = "Send connectors named by findings above low or by queue "
	    "errors whose ProtocolLoggingLevel is None, or that have no row "
	    "in the protocol logs of the bundle while a queue for them is in "
	    "trouble. Medium when a queue for it is in trouble, low "
	    "otherwise. Logging on, nothing queued and no row: an evidence "
	    "gap instead.",
	.why = "Without protocol logs the handshake cannot be seen: an "
	    "evidence gap, not a fault.",
	.fix = "Set-SendConnector <Conn> -ProtocolLoggingLevel Verbose, "
	    "reproduce, collect again.",
	.refs = "Set-SendConnector -ProtocolLoggingLevel; "
	    "Set-ReceiveConnector -ProtocolLoggingLevel",
	.generic = true,
	.run = run_protocol_logging_off,
	.facts = {
		.problem = "Protocol logging is off, so failures leave no "
		    "trace",
		.fix = "Set ProtocolLoggingLevel Verbose on the connectors",
		.risk = "low", .downtime = FIX_NO_DOWNTIME,
	},
};

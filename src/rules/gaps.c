/*
 * Evidence gaps: what the bundle lacks for a confident answer, each with the
 * command that would collect it. Rules add their own; this file adds the ones
 * any case can have. Missing evidence is never reported as "healthy".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/kinds/kinds.h"
#include "gaps.h"
#include "rules.h"

void
gap_add(struct gap_list *gl, const char *what, const char *collect)
{
	size_t	i;

	for (i = 0; i < gl->n; i++)
		if (strcmp(gl->v[i].what, what) == 0)
			return;
	gl->v = xreallocarray_grow(gl->v, &gl->cap, gl->n + 1, sizeof *gl->v);
	gl->v[gl->n].what = xstrdup(what);
	gl->v[gl->n].collect = xstrdup(collect);
	gl->n++;
}

void
gap_list_free(struct gap_list *gl)
{
	size_t	i;

	for (i = 0; i < gl->n; i++) {
		free(gl->v[i].what);
		free(gl->v[i].collect);
	}
	free(gl->v);
	gl->v = NULL;
	gl->n = gl->cap = 0;
}

static bool
server_has_inventory(const struct evidence *ev, const char *server)
{
	size_t	i;

	/* A certificate file near a server's name is not its inventory. */
	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].server != NULL && !ev->certs[i].file_only &&
		    ascii_casecmp(ev->certs[i].server, server) == 0)
			return true;
	return false;
}

/* Each kind whose export is missing, with the command that collects it. */
static void
gaps_missing_dumps(const struct evidence *ev, struct gap_list *gl)
{
	const struct ev_kind	*kinds[EV_NKINDS + 1], **k;

	ev_kinds_gap_order(kinds);
	for (k = kinds; *k != NULL; k++)
		if ((*k)->gap_what != NULL && !ev_kind_seen(*k, ev))
			gap_add(gl, (*k)->gap_what, (*k)->gap_collect);
}

static void
gaps_connectors(const struct evidence *ev, struct gap_list *gl)
{
	const struct ev_send_connector	*sc;
	char				*what, *cmd, *file;
	size_t				 i, j;

	for (i = 0; i < ev->nsendc; i++) {
		sc = &ev->sendc[i];
		if (sc->source_servers_incomplete) {
			what = xasprintf("SourceTransportServers of Send connector "
			    "\"%s\" is a cut list (Format-List shows 4 items at "
			    "most)", sc->name);
			cmd = ps_cmd("Get-SendConnector -Identity %q | "
			    "Export-Clixml SendConnector.xml", sc->name);
			gap_add(gl, what, cmd);
			free(what);
			free(cmd);
		}
		if (!ev->saw_cert_dump)
			continue;
		for (j = 0; j < sc->source_servers.n; j++) {
			if (server_has_inventory(ev, sc->source_servers.v[j]))
				continue;
			what = xasprintf("no certificate inventory from %s, a source "
			    "server of Send connector \"%s\"",
			    sc->source_servers.v[j], sc->name);
			file = xasprintf("%s_ExchangeCertificates.xml",
			    sc->source_servers.v[j]);
			cmd = ps_cmd("Get-ExchangeCertificate -Server %q | "
			    "Export-Clixml %q", sc->source_servers.v[j], file);
			free(file);
			gap_add(gl, what, cmd);
			free(what);
			free(cmd);
		}
	}
}

/* Whether `server` has the certificate in its inventory. */
static bool
server_holds(const struct evidence *ev, const char *server, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (!ev->certs[i].file_only && ev->certs[i].server != NULL &&
		    ascii_casecmp(ev->certs[i].server, server) == 0 &&
		    ev->certs[i].thumbprint != NULL &&
		    ascii_casecmp(ev->certs[i].thumbprint, tp) == 0)
			return true;
	return false;
}

static bool
any_holds(const struct evidence *ev, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (!ev->certs[i].file_only &&
		    ev->certs[i].thumbprint != NULL &&
		    ascii_casecmp(ev->certs[i].thumbprint, tp) == 0)
			return true;
	return false;
}

/*
 * A log shows a certificate presented that no inventory holds: on its own
 * server when the log's server is known and has an inventory, else anywhere.
 */
static void
gaps_presented_unknown(const struct evidence *ev, struct gap_list *gl)
{
	const struct ev_tls_agg	*t;
	char			*what, *cmd, *opt;
	size_t			 i;

	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (t->cert_thumbprint == NULL || !ev->saw_cert_dump)
			continue;
		if (t->server != NULL && server_has_inventory(ev, t->server)) {
			if (server_holds(ev, t->server, t->cert_thumbprint))
				continue;
			what = xasprintf("certificate %s presented by %s in %s is not "
			    "in %s's certificate inventory", t->cert_thumbprint,
			    t->server, t->log_source, t->server);
		} else {
			if (any_holds(ev, t->cert_thumbprint))
				continue;
			what = xasprintf("certificate %s presented in %s is in no "
			    "certificate inventory of the bundle", t->cert_thumbprint,
			    t->log_source);
		}
		opt = ps_server_opt(t->server);
		cmd = ps_cmd("Get-ExchangeCertificate%s -Thumbprint %q | "
		    "Format-List *", opt, t->cert_thumbprint);
		gap_add(gl, what, cmd);
		free(opt);
		free(what);
		free(cmd);
	}
}

/*
 * Inventory certificates that no clue tied to a server cannot be checked per
 * server. The text says what the bundle does and does not name, never a
 * fixed reason that may be false.
 */
static void
gaps_unattributed(const struct evidence *ev, struct gap_list *gl)
{
	struct strlist	 servers = { 0 }, sources = { 0 };
	struct buf	 b;
	char		*what, *named;
	size_t		 i, n = 0;

	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].server == NULL && !ev->certs[i].file_only) {
			n++;
			strlist_add_unique_ci(&sources, ev->certs[i].ref.source);
		}
	if (n == 0)
		return;
	evidence_known_servers(ev, &servers);
	buf_init(&b, 1 << 16);
	for (i = 0; i < sources.n && i < 3; i++)
		buf_appendf(&b, "%s%s", i ? ", " : "", sources.v[i]);
	if (sources.n > 3)
		buf_appendf(&b, " and %zu more", sources.n - 3);
	if (servers.n == 0)
		named = xstrdup("nothing else in the bundle names a server");
	else {
		struct buf	l;

		buf_init(&l, 1 << 16);
		for (i = 0; i < servers.n && i < 4; i++)
			buf_appendf(&l, "%s%s", i ? ", " : "", servers.v[i]);
		if (servers.n > 4)
			buf_appendf(&l, " and %zu more", servers.n - 4);
		named = xasprintf("the bundle names %zu server%s (%s) without "
		    "saying which", servers.n, servers.n > 1 ? "s" : "", l.data);
		buf_free(&l);
	}
	what = xasprintf("%zu certificate%s could not be tied to a server: "
	    "the export (%s) names none, no archive, folder or file name around "
	    "it names one, and %s; per-server checks skip %s", n,
	    n > 1 ? "s" : "", b.data, named, n > 1 ? "them" : "it");
	gap_add(gl, what, "Get-ExchangeServer | ForEach-Object { "
	    "Get-ExchangeCertificate -Server $_.Name } | Export-Clixml "
	    "ExchangeCertificates.xml");
	free(named);
	free(what);
	buf_free(&b);
	strlist_free(&servers);
	strlist_free(&sources);
}

void
gaps_collect(const struct evidence *ev, struct gap_list *gl)
{
	gaps_missing_dumps(ev, gl);
	gaps_unattributed(ev, gl);
	gaps_connectors(ev, gl);
	gaps_presented_unknown(ev, gl);
}

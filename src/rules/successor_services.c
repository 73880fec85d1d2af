/*
 * cert-expiring when the renewal is installed but short of services
 * (successor_services.h): the old certificate is enabled for IMAP, POP,
 * IIS and SMTP, its renewal (same name, later NotAfter) only for some of
 * them. Nothing needs a new certificate: the services the successor lacks
 * are enabled on it (Enable-ExchangeCertificate adds services, it never
 * removes one), then the old one can go. One finding per pair of
 * certificates, listing every server that holds the pair, at most medium:
 * the fix is one command and nothing fails before the old one expires.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_steps.h"
#include "successor_services.h"
#include "time_words.h"

static const long expiring_ids[] = { 12018, 0 };

struct short_pair {
	const struct ev_cert	*old;
	const struct ev_cert	*next;
	int			 missing;
};

/* The same certificate: the same thumbprint, or the same record when a
 * thumbprint is not known. */
static bool
same_cert(const struct ev_cert *a, const struct ev_cert *b)
{
	return a == b || (a->thumbprint != NULL && b->thumbprint != NULL &&
	    ascii_casecmp(a->thumbprint, b->thumbprint) == 0);
}

static bool
same_pair(const struct short_pair *a, const struct short_pair *b)
{
	return same_cert(a->old, b->old) && same_cert(a->next, b->next);
}

static void
pair_evidence(struct finding *f, const struct short_pair *p)
{
	char	svc[96], nsvc[96], na[48], nna[48], *text;

	services_format(p->old->services, ", ", svc, sizeof svc);
	services_format(p->next->services, ", ", nsvc, sizeof nsvc);
	text = xasprintf("%s: certificate %s (%s) expires %s, services %s; its "
	    "renewal %s expires %s, services %s", p->old->server,
	    CERT_LABEL(p->old), p->old->subject ? p->old->subject :
	    "subject unknown", cert_time(p->old, p->old->not_after, na,
	    sizeof na), svc, CERT_LABEL(p->next), cert_time(p->next,
	    p->next->not_after, nna, sizeof nna), nsvc);
	finding_add_evidence(f, p->old->ref.source, p->old->ref.line, text, 1);
	free(text);
}

/* "IMAP, POP and SMTP" for a sentence. */
static void
services_words(int services, char *buf, size_t size)
{
	char	*last;

	services_format(services, ", ", buf, size);
	if ((last = strrchr(buf, ',')) != NULL && strlen(buf) + 4 <= size) {
		memmove(last + 4, last + 1, strlen(last + 1) + 1);
		memcpy(last, " and", 4);
	}
}

static void
pair_steps(struct finding *f, const struct short_pair *p)
{
	char	svc[96], lack[96], *cmd, *text;

	services_format(p->next->services | p->old->services, ",", svc,
	    sizeof svc);
	services_words(p->missing, lack, sizeof lack);
	cmd = ps_cmd("Enable-ExchangeCertificate -Server %q -Thumbprint %s "
	    "-Services %s", p->old->server, CERT_TP_ARG(p->next), svc);
	text = xasprintf("On %s: enable %s on the renewal %s, keeping its "
	    "other services%s.", p->old->server, lack, CERT_LABEL(p->next),
	    p->missing & SVC_SMTP || p->next->services & SVC_SMTP ? " (answer "
	    "N to replacing the default SMTP certificate)" : "");
	finding_add_step(f, text, cmd);
	free(text);
	free(cmd);
	cert_restart_step(f, p->old->server, p->missing);
}

/* Successful handshakes in which a server of f presented the renewal. */
static long
presented_ok(const struct evidence *ev, const struct finding *f,
    const struct ev_cert *next)
{
	const struct ev_tls_agg	*t;
	long			 n = 0;
	size_t			 i;

	for (i = 0; next->thumbprint != NULL && i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (t->ok && t->server != NULL &&
		    strlist_contains_ci(&f->servers, t->server) &&
		    str_eq_ci(t->cert_thumbprint, next->thumbprint))
			n += t->count;
	}
	return n;
}

static void
report_pairs(struct rule_ctx *ctx, const struct short_pair *v, size_t n,
    size_t first)
{
	const struct short_pair	*p = &v[first];
	struct sym_match	 m = { 0 };
	struct finding		*f;
	char			 lack[96], nsvc[96], when[48], *list, *cmd, *opt;
	char			 in[32], *text;
	long			 ok;
	size_t			 i;

	f = findings_new(ctx->out, "cert-expiring", SEV_MEDIUM);
	cert_list_add(&f->thumbprints, p->old);
	cert_list_add(&f->thumbprints, p->next);
	for (i = first; i < n; i++)
		if (same_pair(&v[i], p)) {
			strlist_add_unique_ci(&f->servers, v[i].old->server);
			cert_pinning_connectors(ctx->ev, v[i].old, &f->connectors);
			pair_evidence(f, &v[i]);
		}
	strlist_sort_ci(&f->servers);
	list = join_names(&f->servers);
	services_words(p->missing, lack, sizeof lack);
	services_format(p->next->services, ", ", nsvc, sizeof nsvc);
	f->title = xasprintf("Certificate %s on %s expires in %s (%s); "
	    "its renewal %s is installed but lacks %s", CERT_LABEL(p->old),
	    list, time_left_words(p->old->not_after, ctx->as_of, in, sizeof in),
	    cert_time(p->old, p->old->not_after, when, sizeof when),
	    CERT_LABEL(p->next), lack);
	f->explanation = xasprintf("Certificate %s (%s) on %s expires %s, %s "
	    "after the as-of time. Its renewal %s (same name, a later "
	    "NotAfter) is installed there, enabled for %s only: it lacks %s. "
	    "Nothing needs to be requested: enable %s on the renewal, or %s "
	    "clients are offered the expired certificate once %s expires.",
	    CERT_LABEL(p->old), p->old->subject ? p->old->subject :
	    "subject unknown", list, cert_time(p->old, p->old->not_after, when,
	    sizeof when), in, CERT_LABEL(p->next),
	    nsvc, lack, lack, lack, CERT_LABEL(p->old));
	if ((ok = presented_ok(ctx->ev, f, p->next)) > 0) {
		text = xasprintf("%s Transport already presents the renewal: %ld "
		    "successful TLS handshake%s in the logs.", f->explanation, ok,
		    ok == 1 ? "" : "s");
		free(f->explanation);
		f->explanation = text;
	}
	m.types = SYMBIT(SYM_EVENT);
	m.event_ids = expiring_ids;
	m.receive = -1;
	for (i = 0; i < f->servers.n; i++) {
		m.server = f->servers.v[i];
		rule_claim_std(ctx, f, &m, true);
	}
	for (i = first; i < n; i++)
		if (same_pair(&v[i], p))
			pair_steps(f, &v[i]);
	for (i = first; i < n; i++) {
		if (!same_pair(&v[i], p))
			continue;
		opt = ps_server_opt(v[i].old->server);
		cmd = ps_cmd("Remove-ExchangeCertificate%s -Thumbprint %s", opt,
		    CERT_TP_ARG(v[i].old));
		free(opt);
		finding_add_step(f, "Once the renewal serves every service, "
		    "remove the old certificate.", cmd);
		free(cmd);
	}
	free(list);
	strlist_add(&f->references, "Enable-ExchangeCertificate -Services; "
	    "Assign certificates to Exchange Server services");
}

void
expiring_short_successors(struct rule_ctx *ctx, const struct cert_set *set)
{
	struct short_pair	*v;
	size_t			 i, j, n = 0;
	bool			 seen;

	if (set->n == 0)
		return;
	v = xcalloc(set->n, sizeof *v);
	for (i = 0; i < set->n; i++) {
		v[n].old = set->v[i];
		v[n].next = cert_short_successor(ctx->ev, set->v[i], ctx->as_of,
		    &v[n].missing);
		if (v[n].next != NULL)
			n++;
	}
	for (i = 0; i < n; i++) {
		/* A pair already reported with an earlier server. */
		for (j = 0, seen = false; j < i && !seen; j++)
			seen = same_pair(&v[j], &v[i]);
		if (!seen)
			report_pairs(ctx, v, n, i);
	}
	free(v);
}

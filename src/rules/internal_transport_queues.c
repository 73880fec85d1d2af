/*
 * The queues an internal transport certificate fault strands on other
 * servers. A server whose internal transport certificate is missing or
 * expired cannot complete Exchange Server authentication, so the servers
 * that deliver to it keep the mail: their queue's LastError reads "451 5.7.3
 * Cannot achieve Exchange Server authentication" though their own
 * certificate is fine. Such a queue is linked to the faulty server's
 * finding; with several faulty servers, to the one its next hop names, and
 * when it names none the finding says so rather than guess. Retry-Queue
 * then targets each queue where it is.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal_transport.h"
#include "rules.h"

/* The reply's text, never a bare 5.7.3: that is also "STARTTLS is
 * required" (starttls-not-offered). */
static bool
auth_queue(const struct symptom *s)
{
	return s->type == SYM_QUEUE && s->error != NULL &&
	    (ascii_strcasestr(s->error, "Cannot achieve Exchange Server "
	    "authentication") != NULL ||
	    ascii_strcasestr(s->error, "X-ANONYMOUSTLS") != NULL);
}

static bool
name_char(int ch)
{
	return isalnum((unsigned char)ch) || ch == '-' || ch == '_';
}

/* `name` as a whole word of text: EXHUB2 in "exhub2.contoso.com", not in
 * "EXHUB20". */
static bool
names_word(const char *text, const char *name)
{
	const char	*p = text;
	size_t		 n = name != NULL ? strlen(name) : 0;

	while (n > 0 && p != NULL && (p = ascii_strcasestr(p, name)) != NULL) {
		if ((p == text || !name_char(p[-1])) && !name_char(p[n]))
			return true;
		p++;
	}
	return false;
}

static bool
hop_names(const struct ev_queue *q, const char *server)
{
	return (q->next_hop_domain != NULL &&
	    names_word(q->next_hop_domain, server)) ||
	    (q->last_error != NULL && names_word(q->last_error, server));
}

static bool
is_symptom(const struct symptom *s, const void *arg)
{
	return s == arg;
}

static void
explain_more(struct finding *f, const char *more)
{
	char	*e;

	e = xasprintf("%s %s", f->explanation ? f->explanation : "", more);
	free(f->explanation);
	f->explanation = e;
}

/* The faulty servers' findings, from `first` on. */
static size_t
faulty(struct rule_ctx *ctx, size_t first, struct finding ***out)
{
	struct finding	**v;
	size_t		  i, n = 0;

	v = xcalloc(ctx->out->n + 1, sizeof *v);
	for (i = first; i < ctx->out->n; i++)
		if (strcmp(ctx->out->v[i].rule, "internal-transport-cert") == 0 &&
		    ctx->out->v[i].servers.n == 1)
			v[n++] = &ctx->out->v[i];
	*out = v;
	return n;
}

static void
link_one(struct rule_ctx *ctx, struct symptom *s, struct finding **v, size_t n)
{
	const struct ev_queue	*q = s->origin;
	struct finding		*pick = NULL, *cand[2] = { NULL, NULL };
	struct strlist		 names = { 0 };
	size_t			 i, ncand = 0;
	char			*more, *list;

	for (i = 0; i < n; i++) {
		if (str_eq_ci(v[i]->servers.v[0], s->server))
			continue;
		strlist_add_unique_ci(&names, v[i]->servers.v[0]);
		if (ncand < 2)
			cand[ncand] = v[i];
		ncand++;
		if (pick == NULL && hop_names(q, v[i]->servers.v[0]))
			pick = v[i];
	}
	if (ncand == 0) {
		strlist_free(&names);
		return;
	}
	list = join_names(&names);
	if (pick != NULL)
		more = xasprintf("Queue %s on %s (next hop %s) waits with \"%s\": "
		    "its next hop names %s, which cannot complete Exchange Server "
		    "authentication without a valid internal transport "
		    "certificate.", q->identity ? q->identity : "(no identity)",
		    s->server ? s->server : "an unknown server",
		    q->next_hop_domain ? q->next_hop_domain : "not known",
		    "451 5.7.3 Cannot achieve Exchange Server authentication",
		    pick->servers.v[0]);
	else if (ncand == 1) {
		pick = cand[0];
		more = xasprintf("Queue %s on %s waits with \"451 5.7.3 Cannot "
		    "achieve Exchange Server authentication\"; its next hop (%s) "
		    "does not name %s, but %s is the only server in the bundle "
		    "whose internal transport certificate is faulty.",
		    q->identity ? q->identity : "(no identity)",
		    s->server ? s->server : "an unknown server",
		    q->next_hop_domain ? q->next_hop_domain : "not given", list,
		    list);
	} else {
		pick = cand[0];
		more = xasprintf("Queue %s on %s waits with \"451 5.7.3 Cannot "
		    "achieve Exchange Server authentication\"; its next hop (%s) "
		    "names none of %s, whose internal transport certificates are "
		    "faulty: which of them it waits for is not known.",
		    q->identity ? q->identity : "(no identity)",
		    s->server ? s->server : "an unknown server",
		    q->next_hop_domain ? q->next_hop_domain : "not given", list);
	}
	if (rule_claim(ctx, pick, is_symptom, s, true) > 0) {
		explain_more(pick, more);
		pick->severity = SEV_CRITICAL;
	}
	free(more);
	free(list);
	strlist_free(&names);
}

static void
retry_steps(struct rule_ctx *ctx, struct finding *f)
{
	const struct symptom	*s;
	const struct ev_queue	*q;
	char			*cmd, *text;
	size_t			 i;

	for (i = 0; i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->type != SYM_QUEUE || s->finding_seq != f->seq)
			continue;
		q = s->origin;
		if (q->identity != NULL)
			cmd = ps_cmd("Retry-Queue -Identity %q", q->identity);
		else if (q->server != NULL)
			cmd = ps_cmd("Get-Queue -Server %q | Where-Object "
			    "{$_.Status -eq \"Retry\"} | Retry-Queue", q->server);
		else
			continue;
		text = xasprintf("Once %s has a valid internal transport "
		    "certificate, retry the queue %s on %s.", f->servers.v[0],
		    q->identity ? q->identity : "in Retry",
		    q->server ? q->server : "its server");
		finding_add_step(f, text, cmd);
		free(text);
		free(cmd);
	}
}

void
itc_link_queues(struct rule_ctx *ctx, size_t first)
{
	struct finding	**v;
	struct symptom	 *s;
	size_t		  i, n;

	if (ctx->sym == NULL)
		return;
	n = faulty(ctx, first, &v);
	for (i = 0; n > 0 && i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->finding_seq < 0 && auth_queue(s) && s->origin != NULL)
			link_one(ctx, s, v, n);
	}
	for (i = 0; i < n; i++)
		retry_steps(ctx, v[i]);
	free(v);
}

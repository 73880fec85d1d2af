/*
 * The analysis (rules_analyze): the symptoms collected, every rule run in
 * list order, the symptoms each finding explains linked to it (rule_claim
 * and its usual test, sym_match_std), the generic findings whose symptoms
 * ended marked resolved (resolution.h), the findings ranked and the root
 * cause picked.
 */
#include "config.h"

#include <string.h>

#include "resolution.h"
#include "rules.h"

static bool
observed(enum symptom_type t)
{
	return t == SYM_TLS_FAILURE || t == SYM_QUEUE || t == SYM_TRANSCRIPT ||
	    t == SYM_EVENT || t == SYM_CONNECT_FAILURE || t == SYM_RESPONSE;
}

static bool
connect_rule(const struct finding *f)
{
	return f->rule != NULL && strcmp(f->rule, "connect-failures") == 0;
}

long
rule_claim(struct rule_ctx *ctx, struct finding *f, symptom_match_fn match,
    const void *arg, bool add_evidence)
{
	struct symptom	*s;
	long		 n = 0;
	size_t		 i;

	for (i = 0; ctx->sym != NULL && i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (s->finding_seq >= 0 || !match(s, arg))
			continue;
		/* A failed connection is the network's: never a certificate
		 * finding's symptom, whatever the rule's patterns say. */
		if (symptom_is_connect(s) && !connect_rule(f))
			continue;
		s->finding_seq = f->seq;
		n++;
		if (observed(s->type))
			f->direct_evidence = true;
		if (!add_evidence)
			continue;
		finding_add_evidence(f, s->source, s->line, s->text, s->count);
		finding_seen_at(f, s->first, !s->local);
		finding_seen_at(f, s->last, !s->local);
	}
	return n;
}

static bool
opt_eq(const char *want, const char *have)
{
	return want == NULL || have == NULL || ascii_casecmp(want, have) == 0;
}

bool
sym_match_std(const struct symptom *s, const void *arg)
{
	const struct sym_match	*m = arg;
	size_t			 i;

	if (!(m->types & SYMBIT(s->type)) || !opt_eq(m->server, s->server))
		return false;
	if ((s->type == SYM_TLS_FAILURE || s->type == SYM_CERT_MISSING ||
	    s->type == SYM_CONNECT_FAILURE || s->type == SYM_RESPONSE) &&
	    !opt_eq(m->connector, s->connector))
		return false;
	if ((s->type == SYM_TLS_FAILURE || s->type == SYM_RESPONSE) &&
	    m->receive >= 0 &&
	    s->receive != (m->receive == 1))
		return false;
	if (m->thumbprint != NULL && (s->type == SYM_TLS_FAILURE ||
	    s->thumbprint != NULL) && (s->thumbprint == NULL ||
	    ascii_casecmp(s->thumbprint, m->thumbprint) != 0))
		return false;
	if (s->type == SYM_EVENT) {
		for (i = 0; m->event_ids != NULL && m->event_ids[i] != 0; i++)
			if (m->event_ids[i] == s->event_id)
				break;
		if (m->event_ids == NULL || m->event_ids[i] == 0)
			return false;
		return m->event_text == NULL || (s->error != NULL &&
		    ascii_strcasestr(s->error, m->event_text) != NULL);
	}
	if (m->errors == NULL)
		return true;
	for (i = 0; s->error != NULL && m->errors[i] != NULL; i++)
		if (ascii_strcasestr(s->error, m->errors[i]) != NULL)
			return true;
	return false;
}

long
rule_claim_std(struct rule_ctx *ctx, struct finding *f,
    const struct sym_match *m, bool add_evidence)
{
	return rule_claim(ctx, f, sym_match_std, m, add_evidence);
}

long
rule_count_unclaimed(const struct rule_ctx *ctx, symptom_match_fn match,
    const void *arg)
{
	long	n = 0;
	size_t	i;

	for (i = 0; ctx->sym != NULL && i < ctx->sym->n; i++)
		if (ctx->sym->v[i].finding_seq < 0 && match(&ctx->sym->v[i], arg))
			n++;
	return n;
}

void
rules_analyze(const struct evidence *ev, int64_t as_of, struct findings *out,
    struct gap_list *gaps, struct symptom_list *sym)
{
	struct rule_ctx	ctx = { ev, as_of, out, gaps, sym };
	struct finding	*f;
	long		 linked;
	size_t		 i;

	symptoms_collect(ev, as_of, sym);
	for (i = 0; i < rule_count; i++)
		rule_table[i]->run(&ctx);
	for (i = 0; i < out->n; i++) {
		f = &out->v[i];
		/* A rule may leave one finding's cause open: generic too. */
		f->generic = f->generic || (rule_find(f->rule) != NULL &&
		    rule_find(f->rule)->generic);
		linked = symptoms_linked(sym, f->seq);
		if (linked > f->symptoms_explained)
			f->symptoms_explained = linked;
	}
	resolve_generic(&ctx);
	findings_rank(out);
	/*
	 * A finding with no symptom behind it is never a root cause, however
	 * severe: nothing has failed because of it in the evidence (the
	 * verdict calls it a problem), or what failed is explained otherwise.
	 */
	if (out->root_cause >= 0 &&
	    symptoms_linked(sym, out->v[out->root_cause].seq) == 0)
		out->root_cause = -1;
}

void
rules_run_all(const struct evidence *ev, int64_t as_of, struct findings *out,
    struct gap_list *gaps)
{
	struct symptom_list	sym = { 0 };

	rules_analyze(ev, as_of, out, gaps, &sym);
	symptoms_free(&sym);
}

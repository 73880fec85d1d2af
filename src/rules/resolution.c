/*
 * Incidents that are over (resolution.h): the symptoms' window, the
 * successes on the same path after it, and the finding marked resolved.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "resolution.h"

/* The symptoms a path can follow: rows of the protocol logs with times. */
static bool
has_path(const struct symptom *s)
{
	if (s->type != SYM_TLS_FAILURE && s->type != SYM_RESPONSE &&
	    s->type != SYM_CONNECT_FAILURE)
		return false;
	return s->connector != NULL && s->first != TIME_UNKNOWN &&
	    s->last != TIME_UNKNOWN;
}

/* A connect failure is an outbound attempt; the others say their direction. */
static bool
on_path(const struct ev_tls_agg *t, const struct symptom *s)
{
	bool	receive = s->type == SYM_CONNECT_FAILURE ? false : s->receive;

	return t->receive == receive && str_eq_ci(t->server, s->server) &&
	    str_eq_ci(t->connector, s->connector);
}

/*
 * The successes on s's path: false when one falls inside its window (the
 * path worked and failed by turns: nothing ended) or none comes after it.
 * Marks those after in `after`.
 */
static bool
path_recovered(const struct evidence *ev, const struct symptom *s,
    bool *after)
{
	const struct ev_tls_agg	*t;
	bool			 any = false;
	size_t			 i;

	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (!t->ok || !on_path(t, s) || t->first == TIME_UNKNOWN ||
		    t->last == TIME_UNKNOWN)
			continue;
		if (t->first > s->last) {
			after[i] = any = true;
			continue;
		}
		if (t->last >= s->first)
			return false;	/* a success inside the window */
	}
	return any;
}

bool
recovery_find(const struct rule_ctx *ctx, symptom_match_fn match,
    const void *arg, struct recovery *rec)
{
	const struct evidence	*ev = ctx->ev;
	const struct symptom	*s;
	bool			*after, ended = true;
	long			 n = 0;
	size_t			 i;

	memset(rec, 0, sizeof *rec);
	rec->first = rec->last = rec->ok_first = rec->ok_last = TIME_UNKNOWN;
	after = xcalloc(ev->ntls + 1, sizeof *after);
	for (i = 0; ctx->sym != NULL && i < ctx->sym->n; i++) {
		s = &ctx->sym->v[i];
		if (!match(s, arg))
			continue;
		n++;
		if (!has_path(s) || !path_recovered(ev, s, after)) {
			ended = false;
			break;
		}
		rec->failures += s->count;
		if (rec->first == TIME_UNKNOWN || s->first < rec->first)
			rec->first = s->first;
		if (rec->last == TIME_UNKNOWN || s->last > rec->last)
			rec->last = s->last;
		strlist_add_unique_ci(&rec->connectors, s->connector);
	}
	for (i = 0; ended && n > 0 && i < ev->ntls; i++) {
		const struct ev_tls_agg *t = &ev->tls[i];

		if (!after[i])
			continue;
		rec->ok += t->count;
		if (rec->ok_first == TIME_UNKNOWN || t->first < rec->ok_first)
			rec->ok_first = t->first;
		if (rec->ok_last == TIME_UNKNOWN || t->last > rec->ok_last)
			rec->ok_last = t->last;
		if (t->cert_thumbprint != NULL)
			strlist_add_unique_ci(&rec->ok_certs, t->cert_thumbprint);
	}
	free(after);
	strlist_sort_ci(&rec->ok_certs);
	strlist_sort_ci(&rec->connectors);
	return ended && n > 0;
}

static bool
linked_to(const struct symptom *s, const void *arg)
{
	const struct finding	*f = arg;

	return s->finding_seq == f->seq;
}

bool
finding_recovery(const struct rule_ctx *ctx, const struct finding *f,
    struct recovery *rec)
{
	return recovery_find(ctx, linked_to, f, rec);
}

void
recovery_free(struct recovery *rec)
{
	strlist_free(&rec->ok_certs);
	strlist_free(&rec->connectors);
}

static void
steps_clear(struct finding *f)
{
	size_t	i;

	for (i = 0; i < f->nremediation; i++) {
		free(f->remediation[i].text);
		free(f->remediation[i].command);
	}
	f->nremediation = 0;
}

void
finding_mark_resolved(struct finding *f, const struct recovery *rec,
    const char *change, const char *verify, const char *command)
{
	char	*names, *text, last[64], a[32], z[32];

	f->status = FINDING_RESOLVED;
	if (rec->local) {
		f->first_seen = f->last_seen = TIME_UNKNOWN;
		f->first_seen_local = rec->first;
		f->last_seen_local = rec->last;
	} else {
		f->first_seen = rec->first;
		f->last_seen = rec->last;
	}
	free(f->change);
	f->change = change != NULL ? xstrdup(change) : NULL;
	f->ok_after = rec->ok;
	f->ok_first = rec->ok_first;
	f->ok_last = rec->ok_last;
	names = join_names(&rec->connectors);
	text = xasprintf("%s%sThis incident is over: nothing failed after %s, "
	    "and %ld handshake%s succeeded on the same connector%s (%s) after "
	    "it, from %s to %s. %s%s%s Nothing needs fixing now.",
	    f->explanation != NULL ? f->explanation : "",
	    f->explanation != NULL ? " " : "",
	    time_text_zoned(rec->last, !rec->local, last, sizeof last), rec->ok,
	    rec->ok == 1 ? "" : "s", rec->connectors.n == 1 ? "" : "s", names,
	    time_text(rec->ok_first, a, sizeof a),
	    time_text(rec->ok_last, z, sizeof z),
	    change != NULL ? "What changed: " : "The evidence does not show "
	    "what changed, so nothing shows it cannot happen again.",
	    change != NULL ? change : "", change != NULL ? "." : "");
	free(f->explanation);
	f->explanation = text;
	free(names);
	steps_clear(f);
	finding_add_step(f, verify, command);
}

void
resolve_generic(struct rule_ctx *ctx)
{
	struct recovery	 rec;
	struct finding	*f;
	struct buf	 cmds;
	char		*cmd;
	size_t		 i, j;

	for (i = 0; i < ctx->out->n; i++) {
		f = &ctx->out->v[i];
		if (!f->generic || f->status != FINDING_ACTIVE)
			continue;
		if (finding_recovery(ctx, f, &rec)) {
			buf_init(&cmds, 1 << 14);
			for (j = 0; j < f->servers.n; j++)
				buf_appendf(&cmds, "%sGet-Queue -Server %s | "
				    "Where-Object {$_.Status -ne \"Ready\"} | "
				    "Format-List Identity,Status,NextHopDomain,"
				    "LastError,MessageCount", j ? "\n" : "",
				    f->servers.v[j]);
			cmd = buf_steal(&cmds, NULL);
			finding_mark_resolved(f, &rec, NULL, "Nothing to fix "
			    "now. To confirm that no mail waits, list the queues "
			    "that are not Ready; if the failures come back, "
			    "collect verbose protocol logs of both sides and the "
			    "Schannel events of the same time.", cmd[0] != '\0' ?
			    cmd : NULL);
			free(cmd);
		}
		recovery_free(&rec);
	}
}

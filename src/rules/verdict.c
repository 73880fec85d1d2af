/*
 * The verdict (verdict.h). "No problem found" is the most dangerous answer a
 * forensic tool can give, so it is the one with the strictest conditions: no
 * symptom at all, no finding above low, and a statement of what was covered.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/kinds/kinds.h"
#include "output/report.h"
#include "rules.h"
#include "verdict.h"

#define INCOMPLETE_MAX	12

const char *
verdict_state_name(enum verdict_state s)
{
	return s == VERDICT_ROOT_CAUSE ? "root_cause" :
	    s == VERDICT_PROBLEMS ? "problems" :
	    s == VERDICT_NOT_JUDGED ? "not_judged" : "clear";
}

const char *
verdict_heading(enum verdict_state s)
{
	return s == VERDICT_ROOT_CAUSE ? "Root cause found" :
	    s == VERDICT_PROBLEMS ? "Problems found, cause not determined" :
	    s == VERDICT_NOT_JUDGED ? "Not judged" : "No problem found";
}

static bool
explained(const struct symptom *s, const struct findings *fs)
{
	const struct finding	*f = findings_by_seq(fs, s->finding_seq);

	return f != NULL && !f->generic;
}

static void
add_incomplete(struct verdict *v, long *more, char *text)
{
	if (v->incomplete.n < INCOMPLETE_MAX)
		strlist_add(&v->incomplete, text);
	else
		(*more)++;
	free(text);
}

static void
collect_incomplete(const struct evidence *ev, int64_t as_of,
    struct verdict *v)
{
	struct strlist	 seen = { 0 };
	long		 more = 0;
	size_t		 i;

	if (as_of == TIME_UNKNOWN)
		add_incomplete(v, &more, xstrdup("no as-of time could be "
		    "inferred, so certificate expiry was not judged"));
	for (i = 0; i < ev->nentries; i++) {
		const struct manifest_entry *e = &ev->entries[i];

		if (e->status == MANIFEST_READ)
			continue;
		strlist_add(&seen, e->path);
		if (e->why != NULL)
			add_incomplete(v, &more, xasprintf("%s: %s (%s)", e->path,
			    entry_status_name(e->status), e->why));
		else
			add_incomplete(v, &more, xasprintf("%s: %s", e->path,
			    entry_status_name(e->status)));
	}
	for (i = 0; i < ev->diags.n; i++) {
		const struct diag *d = &ev->diags.v[i];

		if (d->level != DIAG_WARNING && d->level != DIAG_ERROR)
			continue;
		if (d->source != NULL && strlist_contains_ci(&seen, d->source))
			continue;
		add_incomplete(v, &more, xasprintf("%s%s%s", d->source ?
		    d->source : "", d->source ? ": " : "", d->message));
	}
	if (more > 0) {
		char *t = xasprintf("and %ld more (see the diagnostics)", more);

		strlist_add(&v->incomplete, t);
		free(t);
	}
	strlist_free(&seen);
}

/* "2 groups of failed TLS handshakes (61 handshakes), 1 queue in Retry" */
static char *
unexplained_text(const struct symptom_list *sym, const struct findings *fs)
{
	static const char *const noun[][2] = {
		{ "group of failed TLS handshakes", "groups of failed TLS handshakes" },
		{ "failing queue", "failing queues" },
		{ "error transcript", "error transcripts" },
		{ "transport event", "transport events" },
		{ "expired certificate in use", "expired certificates in use" },
		{ "pinned certificate missing", "pinned certificates missing" },
		{ "group of connect failures", "groups of connect failures" },
		{ "deferral or NDR code in the logs",
		    "deferral or NDR codes in the logs" },
	};
	struct buf	b;
	long		n[SYM_NTYPES] = { 0 }, rows = 0;
	size_t		i;
	int		t, k = 0;

	for (i = 0; i < sym->n; i++) {
		if (explained(&sym->v[i], fs))
			continue;
		n[sym->v[i].type]++;
		if (sym->v[i].type == SYM_TLS_FAILURE)
			rows += sym->v[i].count;
	}
	buf_init(&b, 1 << 16);
	for (t = 0; t < SYM_NTYPES; t++) {
		if (n[t] == 0)
			continue;
		buf_appendf(&b, "%s%ld %s", k++ ? ", " : "", n[t],
		    noun[t][n[t] != 1]);
		if (t == SYM_TLS_FAILURE)
			buf_appendf(&b, " (%ld handshake%s)", rows, rows == 1 ? "" :
			    "s");
	}
	return buf_steal(&b, NULL);
}

/* What would most likely name the cause of what is left unexplained. */
static const char *
collect_next(const struct symptom_list *sym, const struct findings *fs)
{
	bool	tls = false, queue = false;
	size_t	i;

	for (i = 0; i < sym->n; i++) {
		if (explained(&sym->v[i], fs))
			continue;
		if (sym->v[i].type == SYM_QUEUE)
			queue = true;
		else
			tls = true;
	}
	if (tls)
		return "verbose protocol logs of both sides of the failing "
		    "connectors (Set-SendConnector -ProtocolLoggingLevel Verbose), "
		    "the Schannel events of the System log and Get-ExchangeCertificate "
		    "of every server involved";
	if (queue)
		return "the full LastError of each queue (Get-Queue | Format-List) "
		    "and verbose protocol logs of the connectors they use";
	return "Get-ExchangeCertificate, Get-SendConnector, Get-ReceiveConnector "
	    "and the protocol logs of every server involved";
}

/* Whether the evidence holds nothing at all: no record of any kind, no log. */
static bool
evidence_is_empty(const struct evidence *ev)
{
	const struct ev_kind *const	*k;
	size_t				 n;

	for (k = ev_kinds; *k != NULL; k++) {
		(void)ev_kind_rows(*k, ev, &n);
		if (n > 0)
			return false;
	}
	return ev->nsymptoms == 0 && ev->logs.files == 0;
}

static char *
coverage_text(const struct evidence *ev)
{
	struct strlist	 servers = { 0 };
	struct buf	 b;
	char		*list, a[32], z[32];
	size_t		 i;

	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].server != NULL)
			strlist_add_unique_ci(&servers, ev->certs[i].server);
	for (i = 0; i < ev->ntls; i++)
		if (ev->tls[i].server != NULL)
			strlist_add_unique_ci(&servers, ev->tls[i].server);
	strlist_sort_ci(&servers);
	list = join_names(&servers);
	buf_init(&b, 1 << 16);
	buf_appendf(&b, "%zu certificate%s on %s, %zu Send connector%s, "
	    "%zu Receive connector%s, %zu queue%s and %ld protocol log file%s",
	    ev->ncerts, ev->ncerts == 1 ? "" : "s",
	    servers.n ? list : "no named server", ev->nsendc,
	    ev->nsendc == 1 ? "" : "s", ev->nrecvc, ev->nrecvc == 1 ? "" : "s",
	    ev->nqueues, ev->nqueues == 1 ? "" : "s", ev->logs.files,
	    ev->logs.files == 1 ? "" : "s");
	if (ev->logs.files > 0)
		buf_appendf(&b, " (%ld rows, %s to %s)", ev->logs.rows,
		    time_text(ev->logs.first, a, sizeof a),
		    time_text(ev->logs.last, z, sizeof z));
	if (ev->nevents > 0)
		buf_appendf(&b, ", %zu transport event%s", ev->nevents,
		    ev->nevents == 1 ? "" : "s");
	free(list);
	strlist_free(&servers);
	return buf_steal(&b, NULL);
}

void
verdict_build(const struct evidence *ev, const struct findings *fs,
    const struct symptom_list *sym, const struct gap_list *gaps,
    int64_t as_of, struct verdict *v)
{
	const struct finding	*root = NULL;
	char			*what, *cov;
	long			 linked = 0;
	bool			 above_low = false;
	size_t			 i;

	memset(v, 0, sizeof *v);
	v->symptoms = (long)sym->n;
	for (i = 0; i < sym->n; i++)
		if (!explained(&sym->v[i], fs))
			v->unexplained++;
	for (i = 0; i < fs->n; i++)
		if (fs->v[i].severity > SEV_LOW)
			above_low = true;
	collect_incomplete(ev, as_of, v);
	if (fs->root_cause >= 0)
		root = &fs->v[fs->root_cause];
	if (root != NULL) {
		v->state = VERDICT_ROOT_CAUSE;
		for (i = 0; i < sym->n; i++)
			if (sym->v[i].finding_seq == root->seq)
				linked++;
		if (sym->n == 0)
			v->text = xasprintf("Root cause found: %s (%s, %s). Nothing "
			    "has failed yet in the evidence; this is the most "
			    "important problem to fix.", root->title, root->id,
			    severity_name(root->severity));
		else if (v->unexplained == 0 && linked == 1 && sym->n == 1)
			v->text = xasprintf("Root cause found: %s (%s, %s). It "
			    "explains the one symptom in the evidence.",
			    root->title, root->id, severity_name(root->severity));
		else if (v->unexplained == 0 && linked == (long)sym->n)
			v->text = xasprintf("Root cause found: %s (%s, %s). It "
			    "explains all %zu symptoms in the evidence.",
			    root->title, root->id, severity_name(root->severity),
			    sym->n);
		else if (v->unexplained == 0)
			v->text = xasprintf("Root cause found: %s (%s, %s). It "
			    "explains %ld of the %zu symptoms; the other findings "
			    "explain the rest.", root->title, root->id,
			    severity_name(root->severity), linked, sym->n);
		else {
			what = unexplained_text(sym, fs);
			v->text = xasprintf("Root cause found: %s (%s, %s). It "
			    "explains %ld of the %zu symptoms; %ld (%s) %s not "
			    "explained by any specific finding.", root->title,
			    root->id, severity_name(root->severity), linked,
			    sym->n, v->unexplained, what,
			    v->unexplained == 1 ? "is" : "are");
			free(what);
		}
		return;
	}
	if (sym->n > 0 || above_low) {
		v->state = VERDICT_PROBLEMS;
		what = unexplained_text(sym, fs);
		v->text = xasprintf("Problems found, cause not determined: %s "
		    "that no specific rule explains. Collect next: %s%s.",
		    *what ? what : "findings", collect_next(sym, fs),
		    gaps->n > 0 ? "; the evidence gaps list what else is missing" :
		    "");
		free(what);
		return;
	}
	/* Nothing read at all (only evidence recognized, not read). */
	if (evidence_is_empty(ev)) {
		v->state = VERDICT_NOT_JUDGED;
		v->text = xstrdup("Not judged: nothing in the input is evidence "
		    "this version reads; what was recognized and why it was not "
		    "read is listed below.");
		return;
	}
	v->state = VERDICT_CLEAR;
	cov = coverage_text(ev);
	v->text = xasprintf("No problem found: no failed handshake, queue error, "
	    "connect failure, deferral or NDR code, error transcript, transport "
	    "event or expired certificate in use, and no finding above low, in "
	    "%s%s%s.", cov,
	    gaps->n > 0 ? "; not covered: see the " : "",
	    gaps->n > 0 ? "evidence gaps" : "");
	free(cov);
}

void
verdict_free(struct verdict *v)
{
	free(v->text);
	strlist_free(&v->incomplete);
	v->text = NULL;
}

/*
 * The verdict (verdict.h). "No problem found" is the most dangerous answer a
 * forensic tool can give, so it is the one with the strictest conditions: no
 * symptom at all, no finding above low, evidence that could have shown a
 * failure, and a statement of what was covered. Without such evidence the
 * answer is "not judged"; an incident that ended is "resolved", never a
 * current root cause; a finding with no symptom behind it is a problem,
 * never a root cause.
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
/* Incidents the resolved verdict names one by one; the rest are counted. */
#define RESOLVED_NAMED	3

static const char *const state_names[] = {
	"root_cause", "problems", "resolved", "clear", "not_judged"
};
static const char *const headings[] = {
	"Root cause found", "Problems found", "Resolved", "No problem found",
	"Not judged"
};

const char *
verdict_state_name(enum verdict_state s)
{
	return state_names[s];
}

const char *
verdict_heading(enum verdict_state s)
{
	return headings[s];
}

bool
queues_collected(const struct evidence *ev)
{
	return ev->saw_queue_dump || ev->nqueues > 0;
}

bool
logs_collected(const struct evidence *ev)
{
	return ev->logs.files > 0;
}

bool
events_collected(const struct evidence *ev)
{
	return ev->saw_event_log || ev->nevents > 0;
}

bool
mail_flow_observable(const struct evidence *ev)
{
	return queues_collected(ev) || logs_collected(ev) ||
	    events_collected(ev);
}

static const struct finding *
finding_of(const struct symptom *s, const struct findings *fs)
{
	return findings_by_seq(fs, s->finding_seq);
}

/* A symptom of an incident that is over. */
static bool
ended(const struct symptom *s, const struct findings *fs)
{
	const struct finding	*f = finding_of(s, fs);

	return f != NULL && f->status == FINDING_RESOLVED;
}

/* An active symptom a specific finding explains. */
static bool
explained(const struct symptom *s, const struct findings *fs)
{
	const struct finding	*f = finding_of(s, fs);

	return f != NULL && !f->generic && f->status == FINDING_ACTIVE;
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
	struct strlist	 seen = { 0 }, rests = { 0 };
	long		 more = 0;
	size_t		 i;
	char		*said;

	if (as_of == TIME_UNKNOWN)
		add_incomplete(v, &more, xstrdup("no as-of time could be "
		    "inferred, so certificate expiry was not judged"));
	for (i = 0; i < ev->nentries; i++) {
		const struct manifest_entry *e = &ev->entries[i];

		if (e->status == MANIFEST_READ)
			continue;
		strlist_add(&seen, e->path);
		/* Its archive's diagnostic says the same: "ARCHIVE: why". */
		if (manifest_entry_is_rest(e) && e->why != NULL) {
			said = xasprintf("%.*s: %s", (int)(strlen(e->path) -
			    strlen("/" MANIFEST_REST)), e->path, e->why);
			strlist_add(&rests, said);
			free(said);
		}
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
		said = xasprintf("%s%s%s", d->source ? d->source : "",
		    d->source ? ": " : "", d->message);
		if (strlist_contains_ci(&rests, said))
			free(said);
		else
			add_incomplete(v, &more, said);
	}
	if (more > 0) {
		char *t = xasprintf("and %ld more (see the diagnostics)", more);

		strlist_add(&v->incomplete, t);
		free(t);
	}
	strlist_free(&seen);
	strlist_free(&rests);
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
		if (explained(&sym->v[i], fs) || ended(&sym->v[i], fs))
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
		if (explained(&sym->v[i], fs) || ended(&sym->v[i], fs))
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

/* What to collect so that mail flow can be judged. */
static const char *
collect_mail_flow(void)
{
	return "Get-Queue | Format-List from each server, the SMTP protocol "
	    "logs (the SmtpSend and SmtpReceive folders, with the connectors' "
	    "ProtocolLoggingLevel Verbose) and the MSExchangeTransport events of "
	    "the Application log";
}

static void
servers_add(struct strlist *l, const char *server)
{
	if (server != NULL)
		strlist_add_unique_ci(l, server);
}

/*
 * The servers the bundle names whose logs, queues and events it lacks;
 * empty when some of that evidence has no server, since then it may be
 * theirs.
 */
static void
servers_unobserved(const struct evidence *ev, struct strlist *out)
{
	struct strlist	 named = { 0 }, seen = { 0 };
	bool		 anonymous = false;
	size_t		 i, j;

	for (i = 0; i < ev->ncerts; i++)
		servers_add(&named, ev->certs[i].server);
	for (i = 0; i < ev->nsendc; i++)
		for (j = 0; j < ev->sendc[i].source_servers.n; j++)
			servers_add(&named, ev->sendc[i].source_servers.v[j]);
	for (i = 0; i < ev->nrecvc; i++)
		servers_add(&named, ev->recvc[i].server);
	for (i = 0; i < ev->ntls; i++) {
		servers_add(&seen, ev->tls[i].server);
		anonymous |= ev->tls[i].server == NULL;
	}
	for (i = 0; i < ev->nsessions; i++) {
		servers_add(&seen, ev->sessions[i].server);
		anonymous |= ev->sessions[i].server == NULL;
	}
	for (i = 0; i < ev->nqueues; i++) {
		servers_add(&seen, ev->queues[i].server);
		anonymous |= ev->queues[i].server == NULL;
	}
	for (i = 0; i < ev->nevents; i++) {
		servers_add(&seen, ev->events[i].server);
		anonymous |= ev->events[i].server == NULL;
	}
	/* Logs read with no row kept, or an empty Get-Queue: whose is unknown. */
	if ((logs_collected(ev) && ev->ntls == 0 && ev->nsessions == 0) ||
	    (ev->saw_queue_dump && ev->nqueues == 0))
		anonymous = true;
	for (i = 0; !anonymous && i < named.n; i++)
		if (!strlist_contains_ci(&seen, named.v[i]))
			strlist_add(out, named.v[i]);
	strlist_sort_ci(out);
	strlist_free(&named);
	strlist_free(&seen);
}

/* "4 certificates on EXHUB1, 1 Send connector": the configuration read. */
static void
configuration_text(struct buf *b, const struct evidence *ev)
{
	struct strlist	 servers = { 0 };
	char		*list;
	size_t		 i;
	int		 k = 0;

	for (i = 0; i < ev->ncerts; i++)
		servers_add(&servers, ev->certs[i].server);
	strlist_sort_ci(&servers);
	list = join_names(&servers);
	if (ev->ncerts > 0)
		buf_appendf(b, "%s%zu certificate%s%s%s", k++ ? ", " : "",
		    ev->ncerts, ev->ncerts == 1 ? "" : "s",
		    servers.n ? " on " : "", servers.n ? list : "");
	if (ev->saw_send_connector_dump || ev->nsendc > 0)
		buf_appendf(b, "%s%zu Send connector%s", k++ ? ", " : "",
		    ev->nsendc, ev->nsendc == 1 ? "" : "s");
	if (ev->saw_receive_connector_dump || ev->nrecvc > 0)
		buf_appendf(b, "%s%zu Receive connector%s", k++ ? ", " : "",
		    ev->nrecvc, ev->nrecvc == 1 ? "" : "s");
	if (ev->ntransport > 0)
		buf_appendf(b, "%s%zu transport service%s", k++ ? ", " : "",
		    ev->ntransport,
		    ev->ntransport == 1 ? "" : "s");
	if (k == 0)
		buf_appendf(b, "no certificate or connector");
	free(list);
	strlist_free(&servers);
}

/*
 * What evidence of mail flow was read, and what was not: "3 protocol log
 * files with 2331 rows from A to B, Get-Queue output with 2 queues; not
 * collected: transport events". Never a count of what was not collected.
 */
static void
observation_text(struct buf *b, const struct evidence *ev)
{
	struct strlist	 missing = { 0 }, unobserved = { 0 };
	char		*list, a[32], z[32];
	int		 k = 0;

	if (logs_collected(ev)) {
		buf_appendf(b, "%ld protocol log file%s with %ld row%s",
		    ev->logs.files, ev->logs.files == 1 ? "" : "s", ev->logs.rows,
		    ev->logs.rows == 1 ? "" : "s");
		if (ev->logs.first != TIME_UNKNOWN)
			buf_appendf(b, " from %s to %s", time_text(ev->logs.first,
			    a, sizeof a), time_text(ev->logs.last, z, sizeof z));
		k++;
	} else
		strlist_add(&missing, "protocol logs");
	if (queues_collected(ev)) {
		if (ev->nqueues > 0)
			buf_appendf(b, "%sGet-Queue output with %zu queue%s",
			    k++ ? ", " : "", ev->nqueues,
			    ev->nqueues == 1 ? "" : "s");
		else
			buf_appendf(b, "%sGet-Queue output listing no queue",
			    k++ ? ", " : "");
	} else
		strlist_add(&missing, "Get-Queue output");
	if (events_collected(ev))
		buf_appendf(b, "%s%zu transport event%s", k++ ? ", " : "",
		    ev->nevents, ev->nevents == 1 ? "" : "s");
	else
		strlist_add(&missing, "transport events");
	if (k > 0 && missing.n > 0) {
		list = join_names(&missing);
		buf_appendf(b, "; not collected: %s", list);
		free(list);
	}
	if (k > 0) {
		servers_unobserved(ev, &unobserved);
		if (unobserved.n > 0) {
			list = join_names(&unobserved);
			buf_appendf(b, "; nothing of mail flow from %s", list);
			free(list);
		}
	}
	strlist_free(&missing);
	strlist_free(&unobserved);
}

/* --------------------------------------------------------------- states */

/* " An incident that is over is reported too: F3." */
static void
resolved_note(struct buf *b, const struct findings *fs)
{
	size_t	i, n = 0;

	for (i = 0; i < fs->n; i++) {
		if (fs->v[i].status != FINDING_RESOLVED)
			continue;
		buf_appendf(b, "%s%s", n++ == 0 ? " Incidents that are over "
		    "(resolved, nothing to do): " : ", ", fs->v[i].id);
	}
	if (n > 0)
		buf_appendf(b, ".");
}

static void
text_root_cause(struct verdict *v, const struct findings *fs,
    const struct symptom_list *sym, long active)
{
	const struct finding	*root = &fs->v[fs->root_cause];
	struct buf		 b;
	char			*what;
	long			 linked = symptoms_linked(sym, root->seq);

	buf_init(&b, 1 << 16);
	buf_appendf(&b, "%s: %s (%s, %s).", headings[VERDICT_ROOT_CAUSE],
	    root->title, root->id, severity_name(root->severity));
	if (v->unexplained == 0 && linked == 1 && active == 1)
		buf_appendf(&b, " It explains the one symptom in the evidence.");
	else if (v->unexplained == 0 && linked == active && active == 2)
		buf_appendf(&b, " It explains both symptoms in the evidence.");
	else if (v->unexplained == 0 && linked == active)
		buf_appendf(&b, " It explains all %ld symptoms in the evidence.",
		    active);
	else if (v->unexplained == 0)
		buf_appendf(&b, " It explains %ld of the %ld symptom%s; the other "
		    "findings explain the rest.", linked, active,
		    active == 1 ? "" : "s");
	else {
		what = unexplained_text(sym, fs);
		/* The list after a colon: its counts carry brackets of their own. */
		buf_appendf(&b, " It explains %ld of the %ld symptom%s; %ld %s not "
		    "explained by any specific finding: %s.", linked, active,
		    active == 1 ? "" : "s", v->unexplained,
		    v->unexplained == 1 ? "is" : "are", what);
		free(what);
	}
	resolved_note(&b, fs);
	v->text = buf_steal(&b, NULL);
}

/* The active findings above low, first ranked first: "F1 (title, medium)". */
static void
findings_above_low(struct buf *b, const struct findings *fs, size_t max)
{
	size_t	i, n = 0, more = 0;

	for (i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		if (f->status != FINDING_ACTIVE || f->severity <= SEV_LOW)
			continue;
		if (n++ < max)
			buf_appendf(b, "%s%s (%s, %s)", n > 1 ? "; " : "",
			    f->title, f->id, severity_name(f->severity));
		else
			more++;
	}
	if (more > 0)
		buf_appendf(b, "; and %zu more finding%s above low", more,
		    more == 1 ? "" : "s");
}

static bool
any_above_low(const struct findings *fs, bool generic)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		if (fs->v[i].status == FINDING_ACTIVE &&
		    fs->v[i].severity > SEV_LOW && fs->v[i].generic == generic)
			return true;
	return false;
}

static void
text_problems(struct verdict *v, const struct evidence *ev,
    const struct findings *fs, const struct symptom_list *sym,
    const struct gap_list *gaps)
{
	struct buf	 b;
	char		*what;

	buf_init(&b, 1 << 16);
	buf_appendf(&b, "%s: ", headings[VERDICT_PROBLEMS]);
	if (v->unexplained > 0) {
		what = unexplained_text(sym, fs);
		buf_appendf(&b, "%s that no specific rule explains, so the cause "
		    "was not determined. Collect next: %s%s.", what,
		    collect_next(sym, fs), gaps->n > 0 ? "; the evidence gaps "
		    "list what else is missing" : "");
		free(what);
		if (any_above_low(fs, false)) {
			buf_appendf(&b, " Findings that need attention: ");
			findings_above_low(&b, fs, 3);
			buf_appendf(&b, ".");
		}
		resolved_note(&b, fs);
		v->text = buf_steal(&b, NULL);
		return;
	}
	findings_above_low(&b, fs, 3);
	if (mail_flow_observable(ev)) {
		buf_appendf(&b, ". Nothing in the evidence shows it failing yet: ");
		observation_text(&b, ev);
		buf_appendf(&b, ".");
	} else
		buf_appendf(&b, ". Whether mail fails because of it was not "
		    "judged: the bundle holds no protocol logs, queues or "
		    "transport events. Collect next: %s.", collect_mail_flow());
	resolved_note(&b, fs);
	v->text = buf_steal(&b, NULL);
}

/* "outbound TLS on Outbound to Office 365 of EXHUB1" */
/* A symptom with a direction and a connector: a log row's. */
static bool
on_a_path(const struct symptom *s)
{
	return s->type == SYM_TLS_FAILURE || s->type == SYM_RESPONSE ||
	    s->type == SYM_CONNECT_FAILURE;
}

static bool
any_on_a_path(const struct symptom_list *sym, const struct finding *f)
{
	size_t	i;

	for (i = 0; i < sym->n; i++)
		if (sym->v[i].finding_seq == f->seq && on_a_path(&sym->v[i]))
			return true;
	return false;
}

static void
path_text(struct buf *b, const struct finding *f,
    const struct symptom_list *sym)
{
	char	*conns, *servers;
	int	 dir = -1;
	size_t	 i;

	for (i = 0; i < sym->n; i++) {
		if (sym->v[i].finding_seq != f->seq || !on_a_path(&sym->v[i]))
			continue;
		if (dir == -1)
			dir = sym->v[i].receive;
		else if (dir != sym->v[i].receive)
			dir = 2;
	}
	conns = join_names(&f->connectors);
	servers = join_names(&f->servers);
	buf_appendf(b, "%sTLS", dir == 0 ? "outbound " : dir == 1 ?
	    "inbound " : "");
	if (f->connectors.n > 0)
		buf_appendf(b, " on %s", conns);
	if (f->servers.n > 0)
		buf_appendf(b, " of %s", servers);
	free(conns);
	free(servers);
}

static long
symptom_rows(const struct symptom_list *sym, const struct finding *f)
{
	long	n = 0;
	size_t	i;

	for (i = 0; i < sym->n; i++)
		if (sym->v[i].finding_seq == f->seq)
			n += sym->v[i].count;
	return n;
}

static void
text_resolved(struct verdict *v, const struct findings *fs,
    const struct symptom_list *sym)
{
	struct buf	 b;
	char		 a[64], z[64], y[32];
	size_t		 i, n = 0, more = 0;
	long		 rows;
	int64_t		 first, last;
	bool		 utc_first, utc_last;

	buf_init(&b, 1 << 16);
	buf_appendf(&b, "%s: ", headings[VERDICT_RESOLVED]);
	for (i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		if (f->status != FINDING_RESOLVED)
			continue;
		if (n++ >= RESOLVED_NAMED) {
			more++;
			continue;
		}
		if (n > 1)
			buf_appendf(&b, " ");
		rows = symptom_rows(sym, f);
		first = finding_first(f, &utc_first);
		last = finding_last(f, &utc_last);
		if (any_on_a_path(sym, f)) {
			path_text(&b, f, sym);
			buf_appendf(&b, " failed from %s to %s (%ld failure%s), "
			    "none since", time_text_zoned(first, utc_first, a,
			    sizeof a), time_text_zoned(last, utc_last, z, sizeof z),
			    rows, rows == 1 ? "" : "s");
		} else
			/* Events only: the finding's own title says what ended. */
			buf_appendf(&b, "%s", strncmp(f->title, "Resolved: ",
			    10) == 0 ? f->title + 10 : f->title);
		buf_appendf(&b, "; %ld handshake%s succeeded after, up to %s "
		    "(%s). ", f->ok_after, f->ok_after == 1 ? "" : "s",
		    time_text(f->ok_last, y, sizeof y), f->id);
		if (f->change != NULL)
			buf_appendf(&b, "What changed: %s.", f->change);
		else
			buf_appendf(&b, "The evidence does not show what "
			    "changed.");
	}
	if (more > 0)
		buf_appendf(&b, " %zu more incident%s ended too (see the "
		    "findings).", more, more == 1 ? "" : "s");
	buf_appendf(&b, " Nothing to do.");
	v->text = buf_steal(&b, NULL);
}

static void
text_clear(struct verdict *v, const struct evidence *ev,
    const struct gap_list *gaps)
{
	struct buf	b;

	buf_init(&b, 1 << 16);
	buf_appendf(&b, "%s: no failed handshake, queue error, connect "
	    "failure, deferral or NDR code, error transcript, transport event "
	    "or expired certificate in use, and no finding above low, in ",
	    headings[VERDICT_CLEAR]);
	observation_text(&b, ev);
	buf_appendf(&b, ", with ");
	configuration_text(&b, ev);
	buf_appendf(&b, "%s.", gaps->n > 0 ? "; see the evidence gaps for what "
	    "else is not covered" : "");
	v->text = buf_steal(&b, NULL);
}

static void
text_not_judged(struct verdict *v, const struct evidence *ev)
{
	struct buf	b;

	/* Nothing read at all (only evidence recognized, not read). */
	if (evidence_is_empty(ev)) {
		v->text = xstrdup("Not judged: nothing in the input is evidence "
		    "this version reads; what was recognized and why it was not "
		    "read is listed below.");
		return;
	}
	buf_init(&b, 1 << 16);
	buf_appendf(&b, "%s: the configuration shows no problem (",
	    headings[VERDICT_NOT_JUDGED]);
	configuration_text(&b, ev);
	buf_appendf(&b, "); mail flow was not judged, because the bundle holds "
	    "no protocol logs, queues or transport events that could show a "
	    "failure. Collect %s.", collect_mail_flow());
	v->text = buf_steal(&b, NULL);
}

void
verdict_build(const struct evidence *ev, const struct findings *fs,
    const struct symptom_list *sym, const struct gap_list *gaps,
    int64_t as_of, struct verdict *v)
{
	long	active = 0, resolved = 0;
	size_t	i;

	memset(v, 0, sizeof *v);
	v->symptoms = (long)sym->n;
	for (i = 0; i < sym->n; i++) {
		if (ended(&sym->v[i], fs)) {
			v->ended++;
			continue;
		}
		active++;
		if (!explained(&sym->v[i], fs))
			v->unexplained++;
	}
	for (i = 0; i < fs->n; i++)
		if (fs->v[i].status == FINDING_RESOLVED)
			resolved++;
	collect_incomplete(ev, as_of, v);
	if (fs->root_cause >= 0) {
		v->state = VERDICT_ROOT_CAUSE;
		text_root_cause(v, fs, sym, active);
	} else if (active > 0 || any_above_low(fs, false) ||
	    any_above_low(fs, true)) {
		v->state = VERDICT_PROBLEMS;
		text_problems(v, ev, fs, sym, gaps);
	} else if (resolved > 0) {
		v->state = VERDICT_RESOLVED;
		text_resolved(v, fs, sym);
	} else if (mail_flow_observable(ev)) {
		v->state = VERDICT_CLEAR;
		text_clear(v, ev, gaps);
	} else {
		v->state = VERDICT_NOT_JUDGED;
		text_not_judged(v, ev);
	}
}

void
verdict_free(struct verdict *v)
{
	free(v->text);
	strlist_free(&v->incomplete);
	v->text = NULL;
}

/*
 * The per-server status grid (server_grid.h): each cell's state from the
 * records that name the server and the findings that name it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kinds/cert.h"
#include "model/kinds/event.h"
#include "model/kinds/queue.h"
#include "model/kinds/receive_connector.h"
#include "model/kinds/send_connector.h"
#include "model/kinds/server.h"
#include "rules/event_rules.h"
#include "rules/symptoms.h"
#include "server_grid.h"

#define DAY	86400

static const char *const check_names[GRID_NCHECKS] = {
	"Certificates", "SMTP certificate", "Connectors", "TLS in the logs",
	"Queues", "Events"
};

const char *
grid_check_name(enum grid_check c)
{
	return c < GRID_NCHECKS ? check_names[c] : "";
}

const char *
grid_state_word(enum grid_state s)
{
	switch (s) {
	case GRID_OK:		return "OK";
	case GRID_RESOLVED:	return "resolved";
	case GRID_WARNING:	return "warning";
	case GRID_PROBLEM:	return "problem";
	default:		return "not collected";
	}
}

const char *
grid_state_key(enum grid_state s)
{
	switch (s) {
	case GRID_OK:		return "ok";
	case GRID_RESOLVED:	return "resolved";
	case GRID_WARNING:	return "warning";
	case GRID_PROBLEM:	return "problem";
	default:		return "not-collected";
	}
}

/*
 * Which check a rule's findings speak to. A certificate that is wrong in
 * itself is under certificates; one SMTP cannot present (not enabled,
 * not covering the FQDN, unknown to the inventory) under SMTP certificate;
 * a connector setting that names no usable certificate under connectors;
 * what the logs show under TLS in the logs.
 */
static const struct {
	const char	*rule;
	enum grid_check	 check;
} rule_checks[] = {
	{ "cert-expired",		GRID_CERTIFICATES },
	{ "cert-expiring",		GRID_CERTIFICATES },
	{ "cert-no-private-key",	GRID_CERTIFICATES },
	{ "cert-weak-crypto",		GRID_CERTIFICATES },
	{ "auth-certificate",		GRID_CERTIFICATES },
	{ "smtp-service-not-enabled",	GRID_SMTP_CERT },
	{ "internal-transport-cert",	GRID_SMTP_CERT },
	{ "unknown-presented-cert",	GRID_SMTP_CERT },
	{ "connector-fqdn-not-covered",	GRID_SMTP_CERT },
	{ "starttls-not-offered",	GRID_SMTP_CERT },
	{ "tls-cert-name-not-found",	GRID_CONNECTORS },
	{ "tls-cert-name-invalid",	GRID_CONNECTORS },
	{ "tls-cert-name-ambiguous",	GRID_CONNECTORS },
	{ "hybrid-connector-config",	GRID_CONNECTORS },
	{ "tls-handshake-failures",	GRID_TLS_LOGS },
	{ "legacy-tls",			GRID_TLS_LOGS },
	{ "connect-failures",		GRID_TLS_LOGS },
	{ "protocol-logging-off",	GRID_TLS_LOGS },
	{ "queue-retry",		GRID_QUEUES },
};

enum grid_check
grid_check_of_rule(const char *rule)
{
	size_t	i;

	for (i = 0; rule != NULL && i < sizeof rule_checks /
	    sizeof rule_checks[0]; i++)
		if (strcmp(rule_checks[i].rule, rule) == 0)
			return rule_checks[i].check;
	return GRID_NCHECKS;
}

static bool
same_server(const char *a, const char *b)
{
	char	*sa, *sb;
	bool	 eq;

	if (a == NULL || b == NULL)
		return false;
	sa = server_short_name(a);
	sb = server_short_name(b);
	eq = sa != NULL && sb != NULL && ascii_casecmp(sa, sb) == 0;
	free(sa);
	free(sb);
	return eq;
}

/* 78941 -> "78,941". */
static void
count_text(long n, char *buf, size_t size)
{
	char	digits[32];
	size_t	len, i, o = 0;

	snprintf(digits, sizeof digits, "%ld", n < 0 ? 0 : n);
	len = strlen(digits);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

static void
cell_raise(struct grid_cell *c, enum grid_state s)
{
	if (s > c->state)
		c->state = s;
}

/* The first CN of a subject, else the subject itself, into buf. */
static void
common_name(const char *subject, char *buf, size_t size)
{
	const char	*p = subject, *end;

	buf[0] = '\0';
	if (subject == NULL)
		return;
	for (; *p != '\0'; p++)
		if ((p == subject || p[-1] == ' ' || p[-1] == ',') &&
		    ascii_ncasecmp(p, "CN=", 3) == 0)
			break;
	if (*p == '\0') {
		snprintf(buf, size, "%s", subject);
		return;
	}
	p += 3;
	end = strchr(p, ',');
	snprintf(buf, size, "%.*s", (int)(end ? (size_t)(end - p) : strlen(p)), p);
}

/*
 * "mail.contoso.com, 383 days left" (or "1 day left", "expired"), into
 * note; a NotAfter on the server's clock within hours of the as-of time,
 * its offset unknown, "expires about now".
 */
static void
cert_note(char *note, size_t size, const char *prefix, const char *subject,
    int64_t not_after, bool exact, int64_t as_of)
{
	struct ev_cert	c;
	char		cn[64];
	long		days;

	common_name(subject, cn, sizeof cn);
	if (cn[0] == '\0')
		snprintf(cn, sizeof cn, "subject unknown");
	ev_cert_init(&c);
	c.not_after = not_after;
	c.dates_exact = exact;
	switch (cert_expiry_at(&c, as_of)) {
	case CERT_VALID:
		days = (long)((not_after - as_of) / DAY);
		if (days == 0)
			snprintf(note, size, "%s%s, less than a day left", prefix,
			    cn);
		else
			snprintf(note, size, "%s%s, %ld day%s left", prefix, cn,
			    days, days == 1 ? "" : "s");
		break;
	case CERT_EXPIRED:
		snprintf(note, size, "%s%s, expired", prefix, cn);
		break;
	case CERT_EXPIRES_ABOUT_NOW:
		snprintf(note, size, "%s%s, expires about now (UTC offset "
		    "unknown)", prefix, cn);
		break;
	default:
		snprintf(note, size, "%s%s, expiry unknown", prefix, cn);
		break;
	}
}

/*
 * Whether the certificate the cell names has expired or has less than 30
 * days left (cert-expiring's high threshold): never "OK" beside that.
 */
static bool
short_lived(int64_t not_after, bool exact, int64_t as_of)
{
	struct ev_cert	c;

	ev_cert_init(&c);
	c.not_after = not_after;
	c.dates_exact = exact;
	switch (cert_expiry_at(&c, as_of)) {
	case CERT_VALID:
		return not_after - as_of < 30 * DAY;
	case CERT_EXPIRED:
	case CERT_EXPIRES_ABOUT_NOW:
		return true;
	default:
		return false;
	}
}

/* Whether cert_note() could not tell how long the certificate has. */
static bool
expiry_unknown(int64_t not_after, int64_t as_of)
{
	return not_after == TIME_UNKNOWN || as_of == TIME_UNKNOWN;
}

/*
 * Whether a handshake failed because of the certificate presented
 * (UnknownCredentials, NoCredentials, an expired certificate), not because
 * the peer dropped it or the versions did not meet.
 */
static bool
cert_failure(const struct ev_tls_agg *a)
{
	return !a->ok && a->error != NULL &&
	    (ascii_strcasestr(a->error, "Credentials") != NULL ||
	    ascii_strcasestr(a->error, "Cert") != NULL);
}

/*
 * The certificate the server's logs show it presenting last in a handshake
 * that failed because of it, else in any, or NULL: a server presents one
 * certificate to partners and another inside the organization, and the one
 * that fails is the one the cell must name.
 */
static const struct ev_tls_agg *
presented(const struct evidence *ev, const char *server)
{
	const struct ev_tls_agg	*best = NULL;
	size_t			 i;

	for (i = 0; i < ev->ntls; i++) {
		const struct ev_tls_agg *a = &ev->tls[i];

		if (a->cert_thumbprint == NULL || a->cert_subject == NULL ||
		    !same_server(a->server, server))
			continue;
		if (best == NULL || (cert_failure(a) && !cert_failure(best)) ||
		    (cert_failure(a) == cert_failure(best) && a->last > best->last))
			best = a;
	}
	return best;
}

/* Which certificate is the better guess at the one SMTP uses. */
static bool
better_smtp(const struct ev_cert *c, const struct ev_cert *best)
{
	if (best == NULL)
		return true;
	if ((c->self_signed == TRI_FALSE) != (best->self_signed == TRI_FALSE))
		return c->self_signed == TRI_FALSE;
	return c->not_after > best->not_after;
}

/*
 * The certificates a server holds, and for SMTP the one its logs show it
 * presenting, else the one enabled for SMTP most likely in use (issued by
 * a CA over self-signed, then the latest expiry).
 */
static void
certificates(const struct evidence *ev, int64_t as_of, const char *server,
    struct grid_cell *certs, struct grid_cell *smtp)
{
	const struct ev_cert	*best = NULL;
	const struct ev_tls_agg	*shown;
	long			 n = 0, nsmtp = 0, known = 0;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		const struct ev_cert *c = &ev->certs[i];

		if (c->file_only || !same_server(c->server, server))
			continue;
		n++;
		if (c->services == SERVICES_UNKNOWN)
			continue;
		known++;
		if ((c->services & SVC_SMTP) == 0)
			continue;
		/* SMTP-enabled, but it names no host: never a TLS certificate. */
		if (c->subject != NULL && ascii_strcasestr(c->subject,
		    "CN=Microsoft Exchange Server Auth Certificate") != NULL)
			continue;
		nsmtp++;
		if (better_smtp(c, best))
			best = c;
	}
	shown = presented(ev, server);
	if (n == 0 && shown == NULL)
		return;
	smtp->state = GRID_OK;
	if (n > 0) {
		certs->state = GRID_OK;
		snprintf(certs->note, sizeof certs->note, "%ld certificate%s",
		    n, n == 1 ? "" : "s");
	}
	if (shown != NULL) {
		cert_note(smtp->note, sizeof smtp->note, cert_failure(shown) ?
		    "failing: " : "presents ",
		    shown->cert_subject, shown->cert_not_after, true, as_of);
		/* Failing, or short-lived: never "OK" beside that. */
		if (cert_failure(shown) ||
		    short_lived(shown->cert_not_after, true, as_of))
			smtp->state = GRID_WARNING;
	}
	else if (known == 0)
		snprintf(smtp->note, sizeof smtp->note, "services not in the "
		    "export");
	else if (best == NULL)
		snprintf(smtp->note, sizeof smtp->note, "none enabled for SMTP");
	else {
		cert_note(smtp->note, sizeof smtp->note, nsmtp > 1 ?
		    "likely " : "", best->subject, best->not_after,
		    best->dates_exact, as_of);
		/* Not known to be well: its dates were not read. */
		if (expiry_unknown(best->not_after, as_of)) {
			smtp->state = GRID_WARNING;
			smtp->unsure = true;
		} else if (short_lived(best->not_after, best->dates_exact,
		    as_of))
			smtp->state = GRID_WARNING;
	}
}

static void
connectors(const struct evidence *ev, const char *server,
    struct grid_cell *cell)
{
	long	recv = 0, send = 0;
	size_t	i, j;

	for (i = 0; i < ev->nrecvc; i++)
		if (same_server(ev->recvc[i].server, server))
			recv++;
	for (i = 0; i < ev->nsendc; i++)
		for (j = 0; j < ev->sendc[i].source_servers.n; j++)
			if (same_server(ev->sendc[i].source_servers.v[j], server)) {
				send++;
				break;
			}
	if (recv == 0 && send == 0)
		return;
	cell->state = GRID_OK;
	/* A kind whose export is not in the bundle is unknown, never 0. */
	if (ev->nrecvc == 0 && !ev->saw_receive_connector_dump)
		snprintf(cell->note, sizeof cell->note, "%ld Send; Receive not "
		    "collected", send);
	else if (ev->nsendc == 0 && !ev->saw_send_connector_dump)
		snprintf(cell->note, sizeof cell->note, "%ld Receive; Send not "
		    "collected", recv);
	else
		snprintf(cell->note, sizeof cell->note, "%ld Receive, %ld Send",
		    recv, send);
}

static void
tls_logs(const struct evidence *ev, const char *server, struct grid_cell *cell)
{
	long	ok = 0, failed = 0, sessions = 0;
	char	a[32], b[32];
	size_t	i;

	for (i = 0; i < ev->ntls; i++) {
		if (!same_server(ev->tls[i].server, server))
			continue;
		if (ev->tls[i].ok)
			ok += ev->tls[i].count;
		else
			failed += ev->tls[i].count;
	}
	/* Sessions, connect failures and error replies: logs read all the same. */
	for (i = 0; i < ev->nsessions; i++)
		if (same_server(ev->sessions[i].server, server))
			sessions += ev->sessions[i].count;
	for (i = 0; i < ev->nconnfail; i++)
		if (same_server(ev->connfail[i].server, server))
			sessions += ev->connfail[i].count;
	for (i = 0; i < ev->nresponses; i++)
		if (same_server(ev->responses[i].server, server))
			sessions += ev->responses[i].count;
	if (ok + failed == 0 && sessions == 0)
		return;
	cell->state = failed > 0 ? GRID_WARNING : GRID_OK;
	count_text(failed, a, sizeof a);
	count_text(ok + failed, b, sizeof b);
	if (ok + failed == 0)
		snprintf(cell->note, sizeof cell->note, "no TLS handshake logged");
	else if (failed == 0)
		snprintf(cell->note, sizeof cell->note, "%s handshake%s, none failed",
		    b, ok == 1 ? "" : "s");
	else
		snprintf(cell->note, sizeof cell->note,
		    "%s of %s failed (%.1f\xc2\xa0%%)", a, b,
		    100.0 * (double)failed / (double)(ok + failed));
}

static void
queues(const struct evidence *ev, const char *server, struct grid_cell *cell)
{
	long	n = 0, waiting = 0, messages = 0, unsure = 0;
	bool	unknown = false;
	char	num[32];
	size_t	i;

	for (i = 0; i < ev->nqueues; i++) {
		const struct ev_queue *q = &ev->queues[i];

		if (!same_server(q->server, server))
			continue;
		n++;
		if (!queue_status_known(q))
			unsure++;
		if (q->status == NULL || (ascii_casecmp(q->status, "Retry") != 0 &&
		    ascii_casecmp(q->status, "Suspended") != 0))
			continue;
		waiting++;
		if (q->message_count < 0)
			unknown = true;
		else
			messages += q->message_count;
	}
	if (n == 0)
		return;
	cell->state = waiting > 0 ? GRID_WARNING : GRID_OK;
	count_text(messages, num, sizeof num);
	if (waiting == 0 && unsure > 0) {
		/* Not known to be well: a queue of unknown status may wait. */
		cell->state = GRID_WARNING;
		cell->unsure = true;
		snprintf(cell->note, sizeof cell->note, "%ld queue%s, the status "
		    "of %ld unknown", n, n == 1 ? "" : "s", unsure);
	} else if (waiting == 0)
		snprintf(cell->note, sizeof cell->note, "%ld queue%s, none in retry",
		    n, n == 1 ? "" : "s");
	else if (unknown)
		snprintf(cell->note, sizeof cell->note, "%ld queue%s in retry",
		    waiting, waiting == 1 ? "" : "s");
	else
		snprintf(cell->note, sizeof cell->note, "%s message%s in retry",
		    num, messages == 1 ? "" : "s");
}

static void
events(const struct evidence *ev, const char *server, struct grid_cell *cell)
{
	long	n = 0, bad = 0;
	size_t	i;

	for (i = 0; i < ev->nevents; i++) {
		if (!same_server(ev->events[i].server, server))
			continue;
		n++;
		if (event_is_symptom(&ev->events[i]))
			bad++;
	}
	if (n == 0)
		return;
	cell->state = bad > 0 ? GRID_WARNING : GRID_OK;
	if (bad == 0)
		snprintf(cell->note, sizeof cell->note, "%ld event%s, none failing",
		    n, n == 1 ? "" : "s");
	else
		snprintf(cell->note, sizeof cell->note, "%ld warning or error event%s",
		    bad, bad == 1 ? "" : "s");
}

/* The check a symptom is evidence for; GRID_NCHECKS when none. */
static enum grid_check
symptom_check(enum symptom_type t)
{
	switch (t) {
	case SYM_TLS_FAILURE:
	case SYM_CONNECT_FAILURE:
	case SYM_RESPONSE:
		return GRID_TLS_LOGS;
	case SYM_QUEUE:
		return GRID_QUEUES;
	case SYM_EVENT:
		return GRID_EVENTS;
	case SYM_CERT_EXPIRED:
	case SYM_CERT_MISSING:
		return GRID_CERTIFICATES;
	default:
		return GRID_NCHECKS;
	}
}

static enum grid_state
finding_state(const struct finding *f, bool root)
{
	if (f->status == FINDING_RESOLVED)
		return GRID_RESOLVED;
	if (root || f->severity >= SEV_HIGH)
		return GRID_PROBLEM;
	return GRID_WARNING;
}

/*
 * Log rows whose log names no server (a lone SEND*.LOG) that a finding ties
 * to its servers, by the certificate they show: they are that server's
 * logs, so its cell is never "not collected" beside them.
 */
static void
apply_serverless(const struct report *r, struct server_grid *g)
{
	const struct finding	*f;
	struct grid_cell	*c;
	long			*tied;
	char			 n[32];
	size_t			 i, k;

	tied = xcalloc(g->nrows + 1, sizeof *tied);
	for (k = 0; k < r->symptoms->n; k++) {
		const struct symptom *y = &r->symptoms->v[k];

		if (y->server != NULL || symptom_check(y->type) != GRID_TLS_LOGS ||
		    y->finding_seq < 0 || r->findings == NULL ||
		    (f = findings_by_seq(r->findings, y->finding_seq)) == NULL)
			continue;
		for (i = 0; i < g->nrows; i++) {
			if (!strlist_contains_ci(&f->servers, g->rows[i].server))
				continue;
			c = &g->rows[i].cells[GRID_TLS_LOGS];
			tied[i] += y->count;
			if (c->state == GRID_NOT_COLLECTED)
				c->state = GRID_OK;
			cell_raise(c, finding_state(f, r->findings->root_cause >= 0 &&
			    f == &r->findings->v[r->findings->root_cause]));
			strlist_add_unique_ci(&c->findings, f->id);
		}
	}
	for (i = 0; i < g->nrows; i++) {
		c = &g->rows[i].cells[GRID_TLS_LOGS];
		if (tied[i] == 0)
			continue;
		count_text(tied[i], n, sizeof n);
		if (strcmp(c->note, "not collected") == 0 || c->note[0] == '\0')
			snprintf(c->note, sizeof c->note, "%s failed, in a log that "
			    "names no server", n);
		else
			snprintf(c->note + strlen(c->note), sizeof c->note -
			    strlen(c->note), "; %s more failed, in a log that names "
			    "no server", n);
	}
	free(tied);
}

/*
 * What went wrong in the logs, queues and events, by the findings that
 * explain it: failures an active root cause explains are a problem, those
 * of an incident that is over resolved, those no finding explains a
 * warning. Only where the evidence was collected.
 */
static void
apply_symptoms(const struct report *r, struct server_grid *g)
{
	const struct finding	*f;
	enum grid_check		 check;
	size_t			 i, k;

	for (i = 0; i < g->nrows; i++) {
		struct grid_cell *c = g->rows[i].cells;

		/* The symptoms below say what the failures are. */
		if (c[GRID_TLS_LOGS].state == GRID_WARNING)
			c[GRID_TLS_LOGS].state = GRID_OK;
		if (c[GRID_QUEUES].state == GRID_WARNING &&
		    !c[GRID_QUEUES].unsure)
			c[GRID_QUEUES].state = GRID_OK;
		if (c[GRID_EVENTS].state == GRID_WARNING)
			c[GRID_EVENTS].state = GRID_OK;
	}
	for (k = 0; k < r->symptoms->n; k++) {
		const struct symptom *y = &r->symptoms->v[k];

		if ((check = symptom_check(y->type)) == GRID_NCHECKS)
			continue;
		f = y->finding_seq >= 0 && r->findings != NULL ?
		    findings_by_seq(r->findings, y->finding_seq) : NULL;
		for (i = 0; i < g->nrows; i++) {
			struct grid_cell *c = &g->rows[i].cells[check];

			if (!same_server(y->server, g->rows[i].server) ||
			    c->state == GRID_NOT_COLLECTED)
				continue;
			if (f == NULL) {
				cell_raise(c, GRID_WARNING);
				continue;
			}
			cell_raise(c, finding_state(f, r->findings->root_cause >= 0 &&
			    f == &r->findings->v[r->findings->root_cause]));
			strlist_add_unique_ci(&c->findings, f->id);
		}
	}
	apply_serverless(r, g);
}

/*
 * A finding's state in the cells of its check on the servers it names: a
 * collected cell may be made graver; one not collected stays so, with the
 * finding named in it.
 */
static void
apply_finding(struct server_grid *g, const struct finding *f, bool root)
{
	enum grid_check	 check = grid_check_of_rule(f->rule);
	enum grid_state	 s;
	size_t		 i, j;

	if (check == GRID_NCHECKS || f->severity == SEV_INFO)
		return;
	s = finding_state(f, root);
	for (i = 0; i < g->nrows; i++)
		for (j = 0; j < f->servers.n; j++) {
			struct grid_cell *c = &g->rows[i].cells[check];

			if (!same_server(f->servers.v[j], g->rows[i].server))
				continue;
			/*
			 * What was not collected stays so (a setting that keeps
			 * the logs from being written says why); the finding is
			 * named beside it.
			 */
			if (c->state != GRID_NOT_COLLECTED)
				cell_raise(c, s);
			strlist_add_unique_ci(&c->findings, f->id);
			break;
		}
}

static int
row_cmp(const void *a, const void *b)
{
	return ascii_casecmp(((const struct grid_row *)a)->server,
	    ((const struct grid_row *)b)->server);
}

void
server_grid_build(const struct report *r, struct server_grid *g)
{
	const struct evidence	*ev = r->ev;
	struct strlist		 names = { 0 };
	size_t			 i, k;

	memset(g, 0, sizeof *g);
	if (ev == NULL)
		return;
	for (i = 0; i < ev->nservers; i++)
		strlist_add_unique_ci(&names, ev->servers[i].name);
	if (names.n == 0)
		evidence_known_servers(ev, &names);
	if (names.n == 0)
		return;
	g->rows = xcalloc(names.n, sizeof *g->rows);
	g->nrows = names.n;
	for (i = 0; i < names.n; i++) {
		struct grid_row *row = &g->rows[i];

		row->server = server_short_name(names.v[i]);
		for (k = 0; k < GRID_NCHECKS; k++)
			snprintf(row->cells[k].note, GRID_NOTE_MAX, "not collected");
		certificates(ev, r->as_of, row->server,
		    &row->cells[GRID_CERTIFICATES], &row->cells[GRID_SMTP_CERT]);
		connectors(ev, row->server, &row->cells[GRID_CONNECTORS]);
		tls_logs(ev, row->server, &row->cells[GRID_TLS_LOGS]);
		queues(ev, row->server, &row->cells[GRID_QUEUES]);
		events(ev, row->server, &row->cells[GRID_EVENTS]);
	}
	strlist_free(&names);
	qsort(g->rows, g->nrows, sizeof *g->rows, row_cmp);
	if (r->symptoms != NULL)
		apply_symptoms(r, g);
	/* Resolved findings first: an active one on the same cell outranks them. */
	for (i = 0; r->findings != NULL && i < r->findings->n; i++)
		if (r->findings->v[i].status == FINDING_RESOLVED)
			apply_finding(g, &r->findings->v[i], false);
	for (i = 0; r->findings != NULL && i < r->findings->n; i++)
		if (r->findings->v[i].status == FINDING_ACTIVE)
			apply_finding(g, &r->findings->v[i],
			    (long)i == r->findings->root_cause);
}

void
server_grid_free(struct server_grid *g)
{
	size_t	i, k;

	for (i = 0; i < g->nrows; i++) {
		free(g->rows[i].server);
		for (k = 0; k < GRID_NCHECKS; k++)
			strlist_free(&g->rows[i].cells[k].findings);
	}
	free(g->rows);
	memset(g, 0, sizeof *g);
}

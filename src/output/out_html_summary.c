/*
 * The first screen of report.html: the verdict in one sentence with its
 * impact, a few figures as tiles and the fix in one line with its risk and
 * downtime (summary.h computes them); then the timeline of TLS outcomes as
 * inline SVG, with the dates of the certificates the findings name and the
 * queues' last retry marked, so the onset shows at a glance.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "html_writer.h"
#include "model/kinds/cert.h"
#include "model/kinds/queue.h"
#include "out_html_sections.h"
#include "summary.h"
#include "rules/verdict.h"

/* The chart's drawing area, in SVG user units. */
#define TL_W		720
#define TL_H		150
#define TL_LEFT		44
#define TL_TOP		38
#define TL_BOTTOM	24
#define TL_MARKS	12
/* The failure-rate strip under the bars. */
#define TL_RATE_H	44

/* 78941 -> "78,941". */
static void
count_str(long n, char *buf, size_t size)
{
	char	digits[32];
	size_t	len, i, o = 0;

	snprintf(digits, sizeof digits, "%ld", n);
	len = strlen(digits);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && digits[0] != '-' && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

static void
tile(struct html *h, const char *cls, const char *value, const char *label)
{
	html_rawf(h, "<div class=\"tile%s%s\"><span class=\"n\">", cls ? " " :
	    "", cls ? cls : "");
	html_text(h, value);
	html_rawf(h, "</span><span class=\"l\">%s</span></div>\n", label);
}

/* The figure of a count the bundle may not hold: "unknown" then. */
static void
count_tile(struct html *h, bool known, long n, const char *bad,
    const char *one, const char *many, const char *why)
{
	char	v[32], label[160];

	if (!known) {
		snprintf(label, sizeof label, "%s: %s", many, why);
		tile(h, "unknown", "unknown", label);
		return;
	}
	snprintf(v, sizeof v, "%ld", n);
	tile(h, n > 0 ? bad : NULL, v, n == 1 ? one : many);
}

static void
tiles(struct html *h, const struct report *r, const struct summary *s)
{
	enum verdict_state	 st = r->verdict != NULL ? r->verdict->state :
				    VERDICT_PROBLEMS;
	char			 n[64], label[96], when[32];
	int			 k, sev;

	html_raw(h, "<div class=\"tiles\">\n");
	if (st == VERDICT_RESOLVED) {
		/* The incident's failures, all of them before its end. */
		time_format_iso(s->until, when, sizeof when);
		if (s->failed > 0) {
			snprintf(n, sizeof n, "%ld", s->failed);
			snprintf(label, sizeof label, "failed TLS handshake%s, "
			    "none after %.10s%s", s->failed == 1 ? "" : "s",
			    when, s->window_local ? " (server local time)" : "");
		} else {
			snprintf(n, sizeof n, "%ld", s->ended_rows);
			snprintf(label, sizeof label, "symptom%s of the incident, "
			    "none after %.10s%s", s->ended_rows == 1 ? "" : "s",
			    when, s->window_local ? " (server local time)" : "");
		}
		tile(h, "ended", n, label);
	} else if (s->logs_read && s->handshakes > 0) {
		/* The share of every logged handshake: scale at a glance. */
		char all[32];

		snprintf(n, sizeof n, "%ld", s->failed);
		count_str(s->handshakes, all, sizeof all);
		snprintf(label, sizeof label, "failed TLS handshake%s: "
		    "%.1f\xc2\xa0%% of %s logged", s->failed == 1 ? "" : "s",
		    100.0 * (double)s->failed / (double)s->handshakes, all);
		tile(h, s->failed > 0 ? "bad" : NULL, n, label);
	} else
		count_tile(h, s->logs_read, s->failed, "bad",
		    "failed TLS handshake", "failed TLS handshakes",
		    "no protocol logs collected");
	if (s->queues_elsewhere > 0 && s->queued >= 0) {
		/* Scoped to the affected servers: say so, and what waits else. */
		snprintf(n, sizeof n, "%ld", s->queued);
		if (s->queued_elsewhere >= 0)
			snprintf(label, sizeof label, "messages queued for retry "
			    "on the affected server%s; %ld on other servers",
			    s->servers.n == 1 ? "" : "s", s->queued_elsewhere);
		else
			snprintf(label, sizeof label, "messages queued for retry "
			    "on the affected server%s; other servers have %ld "
			    "queue%s in retry", s->servers.n == 1 ? "" : "s",
			    s->queues_elsewhere, s->queues_elsewhere == 1 ? "" :
			    "s");
		tile(h, s->queued > 0 ? "bad" : NULL, n, label);
	} else if (st == VERDICT_RESOLVED || !s->queues_read || s->queued >= 0)
		count_tile(h, s->queues_read, s->queued, "bad",
		    "message queued for retry", "messages queued for retry",
		    "no Get-Queue output collected");
	else if (s->queues == 0) {
		snprintf(label, sizeof label, "messages queued for retry: the "
		    "status of %ld queue%s is unknown", s->queues_unsure,
		    s->queues_unsure == 1 ? "" : "s");
		tile(h, "unknown", "unknown", label);
	} else {
		snprintf(n, sizeof n, "%ld queue%s", s->queues,
		    s->queues == 1 ? "" : "s");
		tile(h, "bad", n, "in retry, messages not counted");
	}
	if (st == VERDICT_NOT_JUDGED)
		tile(h, "unknown", "not judged", "servers affected: mail flow "
		    "was not observed");
	else {
		snprintf(n, sizeof n, "%zu", s->servers.n);
		tile(h, s->servers.n > 0 && st != VERDICT_RESOLVED ? "warn" :
		    NULL, n, st == VERDICT_RESOLVED ? (s->servers.n == 1 ?
		    "server affected then" : "servers affected then") :
		    s->servers.n == 1 ? "server affected" : "servers affected");
	}
	html_raw(h, "<div class=\"tile sev\"><span class=\"n\">");
	for (sev = SEV_CRITICAL, k = 0; sev >= SEV_INFO; sev--) {
		if (s->sev[sev] == 0 && sev < SEV_HIGH)
			continue;
		html_rawf(h, "%s<span class=\"badge %s%s\">%ld %s</span>",
		    k++ ? " " : "", s->sev[sev] > 0 ? "sev-" : "plain",
		    s->sev[sev] > 0 ? severity_name((enum severity)sev) : "",
		    s->sev[sev], severity_name((enum severity)sev));
	}
	if (s->resolved > 0)
		html_rawf(h, " <span class=\"badge resolved\">%ld resolved</span>",
		    s->resolved);
	html_rawf(h, "</span><span class=\"l\">%s</span></div>\n</div>\n",
	    s->resolved > 0 ? "active findings by severity, and the resolved "
	    "ones" : "findings by severity");
}

/*
 * The verdict: the first section, with the state as its heading, the
 * sentence with the impact, the tiles and the fix; what could not be read
 * follows, so the reader knows what the verdict rests on.
 */
void
section_verdict(struct html *h, const struct report *r,
    const struct summary *s)
{
	const struct verdict	*v = r->verdict;
	char			*unread;
	size_t			 i;

	html_rawf(h, "\n<section id=\"verdict\" class=\"verdict state-%s\">\n"
	    "<h2>", v != NULL ? verdict_state_name(v->state) : "problems");
	html_text(h, v != NULL ? verdict_heading(v->state) : "Verdict");
	html_raw(h, "</h2>\n<p class=\"verdict-text\">");
	html_text(h, s->sentence);
	html_raw(h, "</p>\n");
	tiles(h, r, s);
	/* A fix line for every verdict: the fix, or what to do first. */
	if (s->fix != NULL) {
		html_raw(h, "<p class=\"fix-line\"><span class=\"label\">Fix"
		    "</span> ");
		html_text(h, s->fix);
		html_raw(h, ". <a href=\"#what-to-do\">Commands</a></p>\n");
	} else if (s->root != NULL)
		html_raw(h, "<p class=\"fix-line\"><span class=\"label\">Fix"
		    "</span> see <a href=\"#what-to-do\">the steps</a>.</p>\n");
	else if (s->first_step != NULL) {
		html_raw(h, "<p class=\"fix-line\"><span class=\"label\">Fix"
		    "</span> ");
		html_text(h, s->first_step);
		html_raw(h, ".</p>\n");
	}
	if ((unread = evidence_unread_text(r->ev)) != NULL) {
		unread[0] = (char)toupper((unsigned char)unread[0]);
		html_raw(h, "<p><strong>");
		html_text(h, unread);
		html_raw(h, "</strong>: the conclusion is drawn from what was "
		    "read; see the <a href=\"#manifest\">manifest</a> and the "
		    "<a href=\"#diagnostics\">diagnostics</a>.</p>\n");
		free(unread);
	}
	if (v != NULL && v->incomplete.n > 0) {
		html_raw(h, "<p>Not read, in whole or in part, or skipped (the "
		    "verdict does not cover what is missing):</p>\n"
		    "<ul class=\"incomplete\">\n");
		for (i = 0; i < v->incomplete.n; i++)
			html_elem(h, "li", NULL, v->incomplete.v[i]);
		html_raw(h, "</ul>\n");
	}
	html_raw(h, "</section>\n");
}

/* ---------------------------------------------------------------- timeline */

struct mark {
	int64_t		 t;
	const char	*cls;	/* "cert-start", "cert-end", "retry" */
	char		 label[96];
	bool		 local;	/* server local time read as UTC (Format-List) */
};

static double
tl_x(const struct summary *s, int64_t t)
{
	double	span = (double)s->step * s->nbuckets;

	return TL_LEFT + (TL_W - TL_LEFT - 8) * (double)(t - s->t0) / span;
}

static bool
in_window(const struct summary *s, int64_t t)
{
	return t != TIME_UNKNOWN && t >= s->t0 &&
	    t <= s->t0 + s->step * s->nbuckets;
}

/*
 * A mark at t; a local time (the server's clock, its offset unknown) is
 * listed, never drawn: on the UTC axis it would sit hours off, so it is
 * taken when it is within a day of the window.
 */
static void
mark_add(struct mark *m, size_t *n, const struct summary *s, int64_t t,
    bool local, const char *cls, const char *what, const char *who)
{
	size_t	i;

	if (*n >= TL_MARKS || t == TIME_UNKNOWN || !(in_window(s, t) ||
	    (local && (in_window(s, t - 86400) || in_window(s, t + 86400)))))
		return;
	for (i = 0; i < *n; i++)
		if (m[i].t == t && strcmp(m[i].cls, cls) == 0)
			return;
	m[*n].t = t;
	m[*n].cls = cls;
	m[*n].local = local;
	snprintf(m[*n].label, sizeof m[*n].label, "%s%s%s", what,
	    who ? " " : "", who ? who : "");
	(*n)++;
}

/* The certificates named in findings and the queues waiting for retry. */
static size_t
collect_marks(const struct report *r, const struct summary *s,
    struct mark *m)
{
	const struct evidence	*ev = r->ev;
	size_t			 n = 0, i, j, k;
	char			 tp[12];

	for (i = 0; r->findings != NULL && i < r->findings->n; i++) {
		const struct finding *f = &r->findings->v[i];

		for (j = 0; j < f->thumbprints.n; j++)
			for (k = 0; ev != NULL && k < ev->ncerts; k++) {
				const struct ev_cert *c = &ev->certs[k];

				if (c->thumbprint == NULL || ascii_casecmp(
				    c->thumbprint, f->thumbprints.v[j]) != 0)
					continue;
				snprintf(tp, sizeof tp, "%.8s", c->thumbprint);
				/* Format-List dates: the server's clock, not UTC. */
				mark_add(m, &n, s, c->not_before, !c->dates_exact,
				    "cert-start", "valid from", tp);
				mark_add(m, &n, s, c->not_after, !c->dates_exact,
				    "cert-end", "expires", tp);
			}
	}
	for (i = 0; ev != NULL && i < ev->nqueues; i++) {
		const struct ev_queue *q = &ev->queues[i];

		/* Format-List text: the server's clock, not UTC. */
		if (q->status != NULL && ascii_casecmp(q->status, "Ready") != 0)
			mark_add(m, &n, s, q->last_retry_time,
			    !q->last_retry_time_exact, "retry", "last retry",
			    q->identity);
	}
	return n;
}

/* In time order, so neighbours take different label rows. */
static int
mark_cmp(const void *a, const void *b)
{
	const struct mark	*x = a, *y = b;
	int			 c;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if ((c = strcmp(x->cls, y->cls)) != 0)
		return c;
	return strcmp(x->label, y->label);
}

static void
tl_axis(struct html *h, const struct summary *s, double max)
{
	char	when[32];
	int	k, every;

	html_rawf(h, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>", TL_LEFT, TL_H - TL_BOTTOM, TL_W - 8,
	    TL_H - TL_BOTTOM);
	html_rawf(h, "<text class=\"tick\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">%.0f</text>", TL_LEFT - 4, TL_TOP + 4, max);
	html_rawf(h, "<text class=\"tick\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">0</text>", TL_LEFT - 4, TL_H - TL_BOTTOM);
	every = s->nbuckets > 12 ? (s->nbuckets + 11) / 12 : 1;
	/* Hours: a divisor of 24, so every midnight gets its date. */
	if (s->step < 86400)
		every = every <= 4 ? every : every <= 6 ? 6 : 12;
	for (k = 0; k < s->nbuckets; k += every) {
		time_format_iso(s->t0 + (int64_t)k * s->step, when, sizeof when);
		if (s->step < 86400 && (k == 0 || strncmp(when + 11, "00", 2)
		    == 0))
			html_rawf(h, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">"
			    "%.5s %.2sh</text>", tl_x(s, s->t0 + (int64_t)k *
			    s->step), TL_H - 8, when + 5, when + 11);
		else if (s->step < 86400)
			html_rawf(h, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">"
			    "%.2sh</text>", tl_x(s, s->t0 + (int64_t)k * s->step),
			    TL_H - 8, when + 11);
		else
			html_rawf(h, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">"
			    "%.5s</text>", tl_x(s, s->t0 + (int64_t)k * s->step),
			    TL_H - 8, when + 5);
	}
}

static void
tl_bars(struct html *h, const struct summary *s, double max)
{
	double	bw = (TL_W - TL_LEFT - 8) / (double)s->nbuckets, x, ho, hb;
	double	base = TL_H - TL_BOTTOM, room = TL_H - TL_BOTTOM - TL_TOP;
	char	when[32];
	int	k;

	for (k = 0; k < s->nbuckets; k++) {
		x = TL_LEFT + bw * k + bw * 0.12;
		hb = max > 0 ? room * s->bad[k] / max : 0;
		ho = max > 0 ? room * s->ok[k] / max : 0;
		time_format_iso(s->t0 + (int64_t)k * s->step, when, sizeof when);
		if (hb > 0)
			html_rawf(h, "<rect class=\"bad\" x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"><title>%.13s: %.0f "
			    "failed</title></rect>", x, base - hb, bw * 0.76, hb,
			    when, s->bad[k]);
		if (ho > 0)
			html_rawf(h, "<rect class=\"ok\" x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"><title>%.13s: %.0f "
			    "succeeded</title></rect>", x, base - hb - ho,
			    bw * 0.76, ho, when, s->ok[k]);
	}
}

/*
 * Under the volume bars, the share that failed in each period on a scale
 * of its own (0 to the highest share): a failure rate of 1 % among tens of
 * thousands of handshakes is as visible as one of 80 %.
 */
static void
tl_rates(struct html *h, const struct summary *s)
{
	double	bw = (TL_W - TL_LEFT - 8) / (double)s->nbuckets, x, hr, rate;
	double	top = TL_H + 6, room = TL_RATE_H - 12, max = 0;
	char	when[32];
	int	k;

	for (k = 0; k < s->nbuckets; k++)
		if (s->ok[k] + s->bad[k] > 0 &&
		    s->bad[k] / (s->ok[k] + s->bad[k]) > max)
			max = s->bad[k] / (s->ok[k] + s->bad[k]);
	html_rawf(h, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
	    "y2=\"%.1f\"/>", TL_LEFT, top + room, TL_W - 8, top + room);
	html_rawf(h, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" "
	    "text-anchor=\"end\">%.*f%%</text>", TL_LEFT - 4, top + 7,
	    max * 100 < 10 ? 1 : 0, max * 100);
	html_rawf(h, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" "
	    "text-anchor=\"end\">failed</text>", TL_LEFT - 4, top + room);
	for (k = 0; k < s->nbuckets && max > 0; k++) {
		if (s->bad[k] <= 0)
			continue;
		rate = s->bad[k] / (s->ok[k] + s->bad[k]);
		/* Never thinner than a line: a failure is never invisible. */
		hr = room * rate / max;
		if (hr < 1.5)
			hr = 1.5;
		x = TL_LEFT + bw * k + bw * 0.12;
		time_format_iso(s->t0 + (int64_t)k * s->step, when, sizeof when);
		html_rawf(h, "<rect class=\"rate\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"><title>%.13s: %.1f%% "
		    "of the handshakes failed</title></rect>", x, top + room - hr,
		    bw * 0.76, hr, when, rate * 100);
	}
}

static void
tl_marks(struct html *h, const struct summary *s, const struct mark *m,
    size_t n)
{
	double	x;
	size_t	i;
	int	y, row;

	/* Three rows of labels, taken in turn by marks in time order. */
	for (i = 0, row = 0; i < n; i++) {
		if (m[i].local)
			continue;	/* no place on a UTC axis */
		x = tl_x(s, m[i].t);
		y = TL_TOP - 28 + 10 * (row++ % 3);
		html_rawf(h, "<line class=\"mark %s\" x1=\"%.1f\" y1=\"%d\" "
		    "x2=\"%.1f\" y2=\"%d\"/><text class=\"mark-label %s\" "
		    "x=\"%.1f\" y=\"%d\"%s>", m[i].cls, x, y - 8, x,
		    TL_H - TL_BOTTOM, m[i].cls, x + (x > TL_W / 2 ? -3 : 3), y,
		    x > TL_W / 2 ? " text-anchor=\"end\"" : "");
		html_text(h, m[i].label);
		html_raw(h, "</text>");
	}
}

/* The marks drawn, or (local) those left off the UTC axis, in words. */
static void
marks_caption(struct html *h, const struct mark *m, size_t n, bool local)
{
	char	a[32];
	size_t	i, k = 0;

	for (i = 0; i < n; i++) {
		if (m[i].local != local)
			continue;
		if (k++ == 0)
			html_raw(h, local ? " Not drawn, because they are the "
			    "server's local time and its UTC offset is unknown: " :
			    " Marked: ");
		else
			html_raw(h, "; ");
		html_text(h, m[i].label);
		html_raw(h, " ");
		time_format_iso(m[i].t, a, sizeof a);
		if (local) {
			/* "2026-11-02 16:00:00", no Z: not UTC. */
			a[10] = ' ';
			a[19] = '\0';
			html_text(h, a);
			html_raw(h, " (server local time)");
		} else
			html_text(h, a);
	}
	if (k > 0)
		html_raw(h, ".");
}

void
section_timeline(struct html *h, const struct report *r,
    const struct summary *s)
{
	struct mark	 m[TL_MARKS];
	double		 max = 0;
	size_t		 nm;
	char		 a[32], z[32];
	int		 k;

	section_open(h, "timeline", "Timeline", false);
	if (s->nbuckets == 0) {
		/* Without logs the outcomes are unknown, not absent. */
		html_raw(h, s->logs_read ? "<p class=\"empty\">No TLS outcome "
		    "in the protocol logs to draw.</p>\n" : "<p class=\"empty "
		    "unknown\">No protocol log was collected: how TLS went over "
		    "time is unknown.</p>\n");
		section_close(h);
		return;
	}
	for (k = 0; k < s->nbuckets; k++)
		if (s->ok[k] + s->bad[k] > max)
			max = s->ok[k] + s->bad[k];
	nm = collect_marks(r, s, m);
	qsort(m, nm, sizeof m[0], mark_cmp);
	html_rawf(h, "<figure class=\"timeline\"><div class=\"chart\">"
	    "<svg viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"TLS handshakes per %s, failed and "
	    "succeeded, and the share that failed\">", TL_W, TL_H + TL_RATE_H,
	    s->step < 86400 ? "hour" : "day");
	tl_axis(h, s, max);
	tl_bars(h, s, max);
	tl_rates(h, s);
	tl_marks(h, s, m, nm);
	time_format_iso(s->t0, a, sizeof a);
	time_format_iso(s->t0 + s->step * s->nbuckets, z, sizeof z);
	html_rawf(h, "</svg></div>\n<figcaption><span class=\"key bad\"></span>failed "
	    "<span class=\"key ok\"></span>succeeded TLS handshakes per %s, "
	    "%.10s to %.10s (UTC). ", s->step < 86400 ? "hour" :
	    s->step == 86400 ? "day" : "period", a, z);
	html_raw(h, "Counted from every TLS outcome row of the protocol "
	    "logs. Below, the share that failed, on its own scale.");
	marks_caption(h, m, nm, false);
	marks_caption(h, m, nm, true);
	html_raw(h, "</figcaption></figure>\n");
	section_close(h);
}

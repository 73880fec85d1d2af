/*
 * The servers' clocks (time_zone.h): clues to each server's UTC offset,
 * the offset when its clues agree, the conversion of its local times, and
 * the words that say how a time was read.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/cert.h"
#include "kinds/event.h"
#include "kinds/kinds.h"
#include "kinds/queue.h"
#include "kinds/server.h"
#include "time_zone.h"

#define MINUTE		60
#define DAY		86400
/* Certificates named in one clue of offset_from before "and N more". */
#define CERTS_NAMED	12

/* One instant seen both on the server's clock and in UTC. */
struct clue {
	char		*server;
	int		 offset;	/* minutes east of UTC */
	int64_t		 local;		/* the server's clock at that instant */
	char		*text;		/* what shows it, for people */
	char		*source_local;
	char		*source_utc;	/* NULL when one source shows both */
	const char	*thumbprint;	/* a certificate's clue; NULL otherwise */
};

struct clues {
	struct clue	*v;
	size_t		 n, cap;
};

unsigned
tz_season(int64_t local)
{
	char	iso[32];
	int	md;

	if (local == TIME_UNKNOWN)
		return 0;
	time_format_iso(local, iso, sizeof iso);
	/* "2026-11-10T...": month and day as one number, 1110. */
	md = ((iso[5] - '0') * 10 + (iso[6] - '0')) * 100 +
	    (iso[8] - '0') * 10 + (iso[9] - '0');
	if (md >= 1108 || md <= 307)
		return TZ_SEASON_WINTER;
	if (md >= 501 && md <= 831)
		return TZ_SEASON_SUMMER;
	return 0;
}

bool
tz_offset_valid(long minutes)
{
	return minutes % 15 == 0 && minutes >= -TZ_OFFSET_MAX_MINUTES &&
	    minutes <= TZ_OFFSET_MAX_MINUTES;
}

const char *
tz_offset_text(int minutes, char *buf, size_t size)
{
	int	m = minutes < 0 ? -minutes : minutes;

	snprintf(buf, size, "UTC%c%02d:%02d", minutes < 0 ? '-' : '+',
	    m / 60, m % 60);
	return buf;
}

static void
clue_add(struct clues *cs, const char *server, int offset, int64_t local,
    char *text, const char *source_local, const char *source_utc)
{
	struct clue	*c;

	cs->v = xreallocarray_grow(cs->v, &cs->cap, cs->n + 1, sizeof *cs->v);
	c = &cs->v[cs->n++];
	c->server = server_short_name(server);
	c->offset = offset;
	c->local = local;
	c->text = text;
	c->source_local = xstrdup(source_local);
	c->source_utc = xstrdup(source_utc);
	c->thumbprint = NULL;
}

static void
clues_free(struct clues *cs)
{
	size_t	i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].server);
		free(cs->v[i].text);
		free(cs->v[i].source_local);
		free(cs->v[i].source_utc);
	}
	free(cs->v);
}

/* ------------------------------------------------------------ the clues */

/*
 * A certificate the protocol logs show with its dates (the one-row block,
 * UTC) takes them when the inventory printed them locally: the local
 * reading is kept beside them for its offset (certificate_clues).
 */
static void
certs_take_log_dates(struct evidence *ev)
{
	const struct ev_tls_agg	*a;
	struct ev_cert		*c;
	size_t			 i, j;

	for (i = 0; i < ev->ntls; i++) {
		a = &ev->tls[i];
		if (a->server == NULL || a->cert_thumbprint == NULL ||
		    a->cert_not_before == TIME_UNKNOWN ||
		    a->cert_not_after == TIME_UNKNOWN ||
		    a->cert_not_before >= a->cert_not_after)
			continue;
		for (j = 0; j < ev->ncerts; j++) {
			c = &ev->certs[j];
			if (c->dates_exact || !str_eq_ci(c->server, a->server) ||
			    !str_eq_ci(c->thumbprint, a->cert_thumbprint))
				continue;
			if (c->local_not_before == TIME_UNKNOWN &&
			    c->local_not_after == TIME_UNKNOWN) {
				c->local_not_before = c->not_before;
				c->local_not_after = c->not_after;
				free(c->local_dates_source);
				c->local_dates_source = xstrdup(c->dates_source ?
				    c->dates_source : c->ref.source);
			}
			c->not_before = a->cert_not_before;
			c->not_after = a->cert_not_after;
			c->dates_exact = true;
			c->dates_order_guessed = false;
			free(c->dates_source);
			c->dates_source = xstrdup(a->log_source);
			free(c->not_before_written);
			free(c->not_after_written);
			c->not_before_written = c->not_after_written = NULL;
			/*
			 * The log is named where the dates are said to be UTC
			 * (servers[].offset_from), not among the certificate's
			 * sources: it holds the dates, not the certificate.
			 */
		}
	}
}

/* A local reading and a UTC one of the same date: the offset, or false. */
static bool
offset_of(int64_t local, int64_t utc, int *minutes)
{
	int64_t	d;

	if (local == TIME_UNKNOWN || utc == TIME_UNKNOWN)
		return false;
	d = local - utc;
	if (d % (15 * MINUTE) != 0 || !tz_offset_valid((long)(d / MINUTE)))
		return false;
	*minutes = (int)(d / MINUTE);
	return true;
}

static void
certificate_clues(struct evidence *ev, struct clues *cs)
{
	const struct ev_cert	*c;
	int64_t			 local[2], utc[2];
	int			 off;
	size_t			 i, k;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->server == NULL || !c->dates_exact || c->dates_converted)
			continue;
		local[0] = c->local_not_before;
		local[1] = c->local_not_after;
		utc[0] = c->not_before;
		utc[1] = c->not_after;
		for (k = 0; k < 2; k++) {
			if (local[k] == TIME_UNKNOWN || utc[k] == TIME_UNKNOWN)
				continue;
			if (!offset_of(local[k], utc[k], &off)) {
				diag_add(&ev->diags, DIAG_WARNING,
				    c->local_dates_source, "certificate %s on "
				    "%s: its %s here and in %s differ by %+lld "
				    "seconds, which is no UTC offset: not taken "
				    "as a clue to the server's clock",
				    c->thumbprint, c->server, k ? "NotAfter" :
				    "NotBefore", c->dates_source,
				    (long long)(local[k] - utc[k]));
				continue;
			}
			clue_add(cs, c->server, off, local[k],
			    xasprintf("certificate %s in %s (local) and in %s "
			    "(UTC)", c->thumbprint, c->local_dates_source,
			    c->dates_source), c->local_dates_source,
			    c->dates_source);
			cs->v[cs->n - 1].thumbprint = c->thumbprint;
		}
	}
}

/* A CliXml or ISO time written with its offset says the clock's offset then. */
static void
queue_clues(struct evidence *ev, struct clues *cs)
{
	const struct ev_queue	*q;
	size_t			 i;

	for (i = 0; i < ev->nqueues; i++) {
		q = &ev->queues[i];
		if (q->server == NULL || !q->last_retry_time_has_offset ||
		    q->last_retry_time == TIME_UNKNOWN ||
		    !tz_offset_valid(q->last_retry_time_offset))
			continue;
		clue_add(cs, q->server, q->last_retry_time_offset,
		    q->last_retry_time + (int64_t)q->last_retry_time_offset *
		    MINUTE, xasprintf("queue %s's LastRetryTime in %s, written "
		    "with its offset", q->identity ? q->identity : "unknown",
		    q->ref.source), q->ref.source, NULL);
	}
}

/*
 * A Receive log's 220 banner is the server's clock written with its offset
 * (Exchange's default banner ends "ready at Tue, 10 Nov 2026 00:41:12
 * -0800"): a clue at the first and the last row that showed it.
 */
static void
banner_clues(struct evidence *ev, struct clues *cs)
{
	const struct ev_banner_agg	*a;
	const char			*src;
	int64_t				 at[2];
	size_t				 i, k;

	for (i = 0; i < ev->nbanners; i++) {
		a = &ev->banners[i];
		if (a->server == NULL || a->first == TIME_UNKNOWN ||
		    !tz_offset_valid(a->offset_minutes) ||
		    a->offset_minutes % 15 != 0)
			continue;
		src = a->g.nsamples > 0 ? a->g.samples[0].source : a->g.log_dir;
		at[0] = a->first;
		at[1] = a->last;
		for (k = 0; k < 2 && (k == 0 || at[1] != at[0]); k++)
			clue_add(cs, a->server, a->offset_minutes,
			    at[k] + (int64_t)a->offset_minutes * MINUTE,
			    xasprintf("the 220 banners in %s (the server's clock, "
			    "written with its offset)", src), src, NULL);
	}
}

/* ------------------------------------------------------- the servers */

static int
cmp_server(const void *pa, const void *pb)
{
	const struct ev_server	*a = pa, *b = pb;

	return casecmp_null_last(a->name, b->name);
}

static bool
same_source(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * One clue for people; a certificate's with every other certificate shown
 * in the same two files ("certificates A and B in X (local) and in Y
 * (UTC)"), each named once. done[] marks the clues said.
 */
static void
clue_words(struct buf *b, const struct clues *cs, size_t i, bool *done)
{
	const struct clue	*c = &cs->v[i], *d;
	struct strlist		 tps = { 0 };
	size_t			 j, k;

	done[i] = true;
	if (c->thumbprint == NULL) {
		/* A banner's first and last rows say it in the same words. */
		for (j = i + 1; j < cs->n; j++)
			if (cs->v[j].thumbprint == NULL &&
			    str_eq_ci(cs->v[j].server, c->server) &&
			    strcmp(cs->v[j].text, c->text) == 0)
				done[j] = true;
		buf_appendf(b, "%s", c->text);
		return;
	}
	for (j = i; j < cs->n; j++) {
		d = &cs->v[j];
		if (d->thumbprint == NULL || !str_eq_ci(d->server, c->server) ||
		    !same_source(d->source_local, c->source_local) ||
		    !same_source(d->source_utc, c->source_utc))
			continue;
		done[j] = true;
		strlist_add_unique_ci(&tps, d->thumbprint);
	}
	buf_appendf(b, "certificate%s ", tps.n > 1 ? "s" : "");
	for (k = 0; k < tps.n && k < CERTS_NAMED; k++)
		buf_appendf(b, "%s%s", k == 0 ? "" : k + 1 == tps.n ? " and " :
		    ", ", tps.v[k]);
	if (tps.n > CERTS_NAMED)
		buf_appendf(b, " and %zu more", tps.n - CERTS_NAMED);
	buf_appendf(b, " in %s (local) and in %s (UTC)", c->source_local,
	    c->source_utc);
	strlist_free(&tps);
}

/*
 * A server's clock from its clues. Clues in one part of the year must
 * agree. When those from November 8 to March 7 give one offset and those
 * from May 1 to August 31 another, the clock keeps daylight saving time:
 * each part converts with its own, and a clue from a changeover month must
 * give one of the two. Any other disagreement (a clock moved) gives none:
 * better unknown than wrong.
 */
static void
server_settle(struct evidence *ev, struct ev_server *s, const struct clues *cs)
{
	const struct clue	*by[3] = { NULL, NULL, NULL }, *first, *c;
	const struct clue	*clash = NULL, *with = NULL;
	struct buf		 b;
	char			 o1[16], o2[16];
	size_t			 i, named = 0;
	unsigned		 k;
	bool			*done, split;

	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		if (!str_eq_ci(c->server, s->name))
			continue;
		k = tz_season(c->local);
		if (by[k] == NULL)
			by[k] = c;
		else if (c->offset != by[k]->offset && clash == NULL) {
			clash = c;
			with = by[k];
		}
	}
	first = by[TZ_SEASON_WINTER] != NULL ? by[TZ_SEASON_WINTER] :
	    by[TZ_SEASON_SUMMER] != NULL ? by[TZ_SEASON_SUMMER] : by[0];
	if (first == NULL)
		return;
	split = by[TZ_SEASON_WINTER] != NULL && by[TZ_SEASON_SUMMER] != NULL &&
	    by[TZ_SEASON_WINTER]->offset != by[TZ_SEASON_SUMMER]->offset;
	for (i = 0; i < cs->n && clash == NULL; i++) {
		c = &cs->v[i];
		if (!str_eq_ci(c->server, s->name))
			continue;
		if (split ? tz_season(c->local) == 0 &&
		    c->offset != by[TZ_SEASON_WINTER]->offset &&
		    c->offset != by[TZ_SEASON_SUMMER]->offset :
		    c->offset != first->offset) {
			clash = c;
			with = first;
		}
	}
	if (clash != NULL) {
		/* Nothing was lost in reading, so it is no warning. */
		diag_add(&ev->diags, DIAG_INFO, clash->source_local, "%s's UTC "
		    "offset not inferred: %s gives %s, but %s gives %s (a clock "
		    "changed, or a zone whose rules this reading does not "
		    "know); its local times stay labelled local", s->name,
		    with->text, tz_offset_text(with->offset, o1, sizeof o1),
		    clash->text, tz_offset_text(clash->offset, o2, sizeof o2));
		return;
	}
	if (!split) {
		s->offset_known = true;
		s->utc_offset_minutes = first->offset;
	} else
		diag_add(&ev->diags, DIAG_INFO, NULL, "%s keeps daylight saving "
		    "time: %s from November 8 to March 7 (%s), %s from May 1 to "
		    "August 31 (%s); each part of the year converts with its own",
		    s->name, tz_offset_text(by[TZ_SEASON_WINTER]->offset, o1,
		    sizeof o1), by[TZ_SEASON_WINTER]->text,
		    tz_offset_text(by[TZ_SEASON_SUMMER]->offset, o2, sizeof o2),
		    by[TZ_SEASON_SUMMER]->text);
	for (k = TZ_SEASON_WINTER; k <= TZ_SEASON_SUMMER; k <<= 1)
		if (by[k] != NULL) {
			s->seasons |= k;
			s->season_offset[k] = by[k]->offset;
		}
	buf_init(&b, 1 << 16);
	done = xcalloc(cs->n, sizeof *done);
	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		if (!str_eq_ci(c->server, s->name))
			continue;
		strlist_add_unique_ci(&s->sources, c->source_local);
		strlist_add_unique_ci(&s->sources, c->source_utc);
		if (done[i])
			continue;
		if (named++ > 0)
			buf_appendf(&b, "; ");
		clue_words(&b, cs, i, done);
	}
	free(done);
	s->offset_from = buf_steal(&b, NULL);
	strlist_sort_ci(&s->sources);
}

/* ------------------------------------------------------- the conversion */

/* The server's offset at a local time, when the clues give it there. */
static bool
converts(const struct evidence *ev, const char *server, int64_t local,
    int *minutes)
{
	return local != TIME_UNKNOWN && server_offset_at_local(
	    evidence_server(ev, server), local, minutes);
}

static void
convert_certs(struct evidence *ev)
{
	struct ev_cert		*c;
	int			 nb = 0, na = 0;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->dates_exact || (c->not_before == TIME_UNKNOWN &&
		    c->not_after == TIME_UNKNOWN))
			continue;
		/* Both dates, or neither: they share one flag. */
		if ((c->not_before != TIME_UNKNOWN &&
		    !converts(ev, c->server, c->not_before, &nb)) ||
		    (c->not_after != TIME_UNKNOWN &&
		    !converts(ev, c->server, c->not_after, &na)))
			continue;
		c->local_not_before = c->not_before;
		c->local_not_after = c->not_after;
		free(c->local_dates_source);
		c->local_dates_source = xstrdup(c->dates_source);
		if (c->not_before != TIME_UNKNOWN)
			c->not_before -= (int64_t)nb * MINUTE;
		if (c->not_after != TIME_UNKNOWN)
			c->not_after -= (int64_t)na * MINUTE;
		c->dates_exact = c->dates_converted = true;
	}
}

static void
convert_queues(struct evidence *ev)
{
	struct ev_queue		*q;
	int			 off;
	size_t			 i;

	for (i = 0; i < ev->nqueues; i++) {
		q = &ev->queues[i];
		if (q->last_retry_time_exact ||
		    !converts(ev, q->server, q->last_retry_time, &off))
			continue;
		q->last_retry_time -= (int64_t)off * MINUTE;
		q->last_retry_time_exact = q->last_retry_time_converted = true;
	}
}

static void
convert_events(struct evidence *ev)
{
	struct ev_event		*e;
	int			 off;
	size_t			 i;

	for (i = 0; i < ev->nevents; i++) {
		e = &ev->events[i];
		if (e->time_exact || !converts(ev, e->server, e->time, &off))
			continue;
		e->time -= (int64_t)off * MINUTE;
		/* The expiry a 12018 states is counted from the event's time. */
		if (e->expires != TIME_UNKNOWN)
			e->expires -= (int64_t)off * MINUTE;
		e->time_exact = e->time_converted = true;
	}
}

/* ------------------------------------------- presented before it was valid */

int64_t
cert_presented_before_valid(const struct evidence *ev, const char *server,
    const char *thumbprint, int64_t *not_before, const char **source,
    long *line)
{
	const struct ev_tls_agg	*a, *early = NULL;
	const struct ev_cert	*c = NULL;
	int64_t			 nb;
	size_t			 i;

	for (i = 0; i < ev->ncerts && thumbprint != NULL; i++)
		if (str_eq_ci(ev->certs[i].server, server) &&
		    str_eq_ci(ev->certs[i].thumbprint, thumbprint))
			c = &ev->certs[i];
	for (i = 0; i < ev->ntls && thumbprint != NULL; i++) {
		a = &ev->tls[i];
		if (!str_eq_ci(a->server, server) ||
		    !str_eq_ci(a->cert_thumbprint, thumbprint) ||
		    a->first == TIME_UNKNOWN)
			continue;
		nb = c != NULL && c->dates_exact ? c->not_before :
		    a->cert_not_before;
		if (nb == TIME_UNKNOWN || a->first >= nb)
			continue;
		if (early == NULL || a->first < early->first) {
			early = a;
			*not_before = nb;
		}
	}
	if (early == NULL)
		return TIME_UNKNOWN;
	*source = early->log_source;
	*line = early->sample_line;
	return early->first;
}

static void
presented_early_diags(struct evidence *ev)
{
	const struct ev_cert	*c;
	const char		*src;
	int64_t			 at, nb;
	long			 line;
	char			 t1[32], t2[32];
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		at = cert_presented_before_valid(ev, c->server, c->thumbprint,
		    &nb, &src, &line);
		if (at == TIME_UNKNOWN)
			continue;
		diag_add(&ev->diags, DIAG_WARNING, src, "%s presented certificate "
		    "%s from %s (line %ld), before its NotBefore %s, both UTC: a "
		    "clock or time zone is off (the server's, or the issuer's "
		    "when it set the date), so when the certificate became valid "
		    "says nothing of when it was installed", c->server,
		    c->thumbprint, time_text(at, t1, sizeof t1), line,
		    time_text(nb, t2, sizeof t2));
	}
}

/* ------------------------------------------------------------ the pass */

/*
 * The servers the records name (not every name a path's shape suggests,
 * which attribution weighs but which may be no server at all).
 */
static void
record_servers(const struct evidence *ev, struct strlist *out)
{
	const struct ev_kind *const	*k;
	const void			*rows;
	size_t				 i, n;

	for (i = 0; i < ev->nsymptoms; i++)
		strlist_add_unique_ci(out, ev->symptoms[i].server);
	for (k = ev_kinds; *k != NULL; k++) {
		if ((*k)->servers == NULL)
			continue;
		rows = ev_kind_rows(*k, ev, &n);
		for (i = 0; i < n; i++)
			(*k)->servers((const char *)rows + i * (*k)->size, out);
	}
}

void
evidence_time_zones(struct evidence *ev)
{
	struct clues	 cs = { 0 };
	struct strlist	 names = { 0 };
	size_t		 i;

	certs_take_log_dates(ev);
	certificate_clues(ev, &cs);
	queue_clues(ev, &cs);
	banner_clues(ev, &cs);
	record_servers(ev, &names);
	for (i = 0; i < cs.n; i++)
		strlist_add_unique_ci(&names, cs.v[i].server);
	for (i = 0; i < names.n; i++)
		(void)evidence_server_add(ev, names.v[i]);
	if (ev->nservers > 1)
		qsort(ev->servers, ev->nservers, sizeof *ev->servers, cmp_server);
	for (i = 0; i < ev->nservers; i++)
		server_settle(ev, &ev->servers[i], &cs);
	convert_certs(ev);
	convert_queues(ev);
	convert_events(ev);
	presented_early_diags(ev);
	strlist_free(&names);
	clues_free(&cs);
}

/* --------------------------------------------------------------- words */

char *
time_read_as(const struct evidence *ev, const char *server, int64_t t,
    bool exact, bool converted, bool guessed, bool written)
{
	const struct ev_server	*s = ev != NULL ? evidence_server(ev, server) :
				    NULL;
	char			 off[16], offs[96];
	int			 minutes;

	if (t == TIME_UNKNOWN)
		return written ? xstrdup("as written: the day/month order is "
		    "unknown") : NULL;
	if (exact && converted && server_offset_at_utc(s, t, &minutes))
		return xasprintf("UTC, converted from server local time (%s is "
		    "%s%s)", s->name, tz_offset_text(minutes, off, sizeof off),
		    s->offset_known ? "" : " at that time of year");
	if (exact)
		return xstrdup("UTC");
	if (s != NULL && (s->offset_known || s->seasons != 0))
		return xasprintf("server local time%s (%s's offset, %s, is known "
		    "for other parts of the year only, and daylight saving time "
		    "may differ)", guessed ? ", day/month order guessed from "
		    "other files," : "", s->name, server_offsets_text(s, offs,
		    sizeof offs));
	return xstrdup(guessed ? "server local time, day/month order guessed "
	    "from other files" : "server local time");
}

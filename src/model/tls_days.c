/*
 * TLS outcomes per connector and day. A bundle has few connectors and few
 * days but many rows, and rows come mostly in time order per file: the
 * last rows are tried first, so a row seldom walks the whole list.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tls_days.h"
#include "util/datetime.h"

#define DAY	86400
/* How many of the latest rows are tried before the whole list. */
#define RECENT	8

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return ascii_casecmp(a, b) == 0;
}

static bool
row_is(const struct ev_tls_day *d, const char *dir, bool receive,
    const char *connector, int64_t day)
{
	return d->day == day && d->receive == receive &&
	    same_str(d->connector, connector) &&
	    strcmp(d->log_dir != NULL ? d->log_dir : "",
	    dir != NULL ? dir : "") == 0;
}

void
tls_days_add(struct evidence *ev, const struct ev_tls_agg *a, int64_t time,
    bool ok)
{
	struct ev_tls_day	*d = NULL;
	int64_t			 day;
	size_t			 i, n = ev->ntls_days;

	if (time == TIME_UNKNOWN)
		return;
	day = time - (((time % DAY) + DAY) % DAY);
	for (i = 0; i < n && i < RECENT && d == NULL; i++)
		if (row_is(&ev->tls_days[n - 1 - i], a->g.log_dir, a->receive,
		    a->connector, day))
			d = &ev->tls_days[n - 1 - i];
	for (i = 0; n > RECENT && i < n - RECENT && d == NULL; i++)
		if (row_is(&ev->tls_days[i], a->g.log_dir, a->receive,
		    a->connector, day))
			d = &ev->tls_days[i];
	if (d == NULL) {
		ev->tls_days = xreallocarray_grow(ev->tls_days,
		    &ev->tls_days_cap, n + 1, sizeof *ev->tls_days);
		d = &ev->tls_days[ev->ntls_days++];
		memset(d, 0, sizeof *d);
		d->log_dir = xstrdup(a->g.log_dir);
		d->server = xstrdup(a->server);
		d->receive = a->receive;
		d->connector = xstrdup(a->connector);
		d->day = day;
	}
	if (ok)
		d->ok++;
	else
		d->failed++;
}

void
tls_days_take(struct evidence *dst, struct evidence *src)
{
	size_t	i;

	for (i = 0; i < src->ntls_days; i++) {
		dst->tls_days = xreallocarray_grow(dst->tls_days,
		    &dst->tls_days_cap, dst->ntls_days + 1,
		    sizeof *dst->tls_days);
		dst->tls_days[dst->ntls_days++] = src->tls_days[i];
	}
	src->ntls_days = 0;
}

/* The server of the group of d's folder, direction and connector. */
static const char *
group_server(const struct evidence *ev, const struct ev_tls_day *d)
{
	size_t	i;

	for (i = 0; i < ev->ntls; i++)
		if (ev->tls[i].server != NULL &&
		    ev->tls[i].receive == d->receive &&
		    same_str(ev->tls[i].connector, d->connector) &&
		    strcmp(ev->tls[i].g.log_dir != NULL ?
		    ev->tls[i].g.log_dir : "", d->log_dir != NULL ?
		    d->log_dir : "") == 0)
			return ev->tls[i].server;
	return NULL;
}

static int
cmp_day(const void *pa, const void *pb)
{
	const struct ev_tls_day	*a = pa, *b = pb;
	int			 c;

	if ((c = casecmp_null_last(a->server, b->server)) != 0)
		return c;
	if (a->receive != b->receive)
		return a->receive ? 1 : -1;
	if ((c = casecmp_null_last(a->connector, b->connector)) != 0)
		return c;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return strcmp(a->log_dir != NULL ? a->log_dir : "",
	    b->log_dir != NULL ? b->log_dir : "");
}

static void
row_free(struct ev_tls_day *d)
{
	free(d->log_dir);
	free(d->server);
	free(d->connector);
}

void
tls_days_finish(struct evidence *ev)
{
	struct ev_tls_day	*d, *prev;
	size_t			 i, out = 0;

	for (i = 0; i < ev->ntls_days; i++) {
		d = &ev->tls_days[i];
		if (d->server == NULL)
			d->server = xstrdup(group_server(ev, d));
	}
	if (ev->ntls_days > 1)
		qsort(ev->tls_days, ev->ntls_days, sizeof *ev->tls_days,
		    cmp_day);
	/* Two folders of one server (two zips of it) count as one. */
	for (i = 0; i < ev->ntls_days; i++) {
		d = &ev->tls_days[i];
		prev = out > 0 ? &ev->tls_days[out - 1] : NULL;
		if (prev != NULL && d->server != NULL && prev->server != NULL &&
		    ascii_casecmp(d->server, prev->server) == 0 &&
		    d->receive == prev->receive && d->day == prev->day &&
		    same_str(d->connector, prev->connector)) {
			prev->ok += d->ok;
			prev->failed += d->failed;
			row_free(d);
			continue;
		}
		ev->tls_days[out++] = *d;
	}
	ev->ntls_days = out;
}

void
tls_days_free(struct evidence *ev)
{
	size_t	i;

	for (i = 0; i < ev->ntls_days; i++)
		row_free(&ev->tls_days[i]);
	free(ev->tls_days);
	ev->tls_days = NULL;
	ev->ntls_days = ev->tls_days_cap = 0;
}

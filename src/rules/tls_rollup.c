/*
 * TLS outcome rollups: the per-file log aggregates summed per (server,
 * direction, connector, certificate, outcome, error) over all files.
 */
#include "config.h"

#include <stdlib.h>

#include "tls_rollup.h"

static bool
same_rollup_key(const struct ev_tls_agg *a, const struct ev_tls_agg *b)
{
	return a->receive == b->receive && a->ok == b->ok &&
	    str_eq_ci(a->server, b->server) &&
	    str_eq_ci(a->connector, b->connector) &&
	    str_eq_ci(a->cert_thumbprint, b->cert_thumbprint) &&
	    str_eq_ci(a->error, b->error);
}

static bool
earlier(int64_t a, int64_t b)
{
	return a != TIME_UNKNOWN && (b == TIME_UNKNOWN || a < b);
}

size_t
tls_rollup_build(const struct evidence *ev, tls_filter_fn keep, void *arg,
    struct tls_rollup **out)
{
	struct tls_rollup	*v = NULL, *r;
	const struct ev_tls_agg	*t;
	size_t			 n = 0, cap = 0, i, j;

	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (!keep(t, arg))
			continue;
		for (j = 0; j < n; j++)
			if (same_rollup_key(v[j].sample, t))
				break;
		if (j == n) {
			v = xreallocarray_grow(v, &cap, n + 1, sizeof *v);
			r = &v[n++];
			r->sample = t;
			r->count = r->files = 0;
			r->first = r->last = TIME_UNKNOWN;
		}
		r = &v[j];
		if (earlier(t->first, r->sample->first))
			r->sample = t;
		r->count += t->count;
		r->files += t->files > 0 ? t->files : 1;
		if (earlier(t->first, r->first))
			r->first = t->first;
		if (t->last != TIME_UNKNOWN && (r->last == TIME_UNKNOWN ||
		    t->last > r->last))
			r->last = t->last;
	}
	*out = v;
	return n;
}

void
tls_rollup_evidence(struct finding *f, const struct tls_rollup *r,
    const char *text)
{
	finding_add_evidence(f, r->sample->log_source, r->sample->sample_line,
	    text, r->count);
	finding_seen(f, r->first);
	finding_seen(f, r->last);
}

/* The rule table, and helpers the rules share. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "dn.h"
#include "rules.h"

const struct rule rule_table[] = {
	{ "tls-cert-name-ambiguous", rule_tls_cert_name_ambiguous },
	{ "smtp-service-not-enabled", rule_smtp_service_not_enabled },
};
const size_t rule_count = sizeof rule_table / sizeof rule_table[0];

void
rules_run_all(const struct evidence *ev, int64_t as_of, struct findings *out,
    struct gap_list *gaps)
{
	struct rule_ctx	ctx = { ev, as_of, out, gaps };
	size_t		i;

	for (i = 0; i < rule_count; i++)
		rule_table[i].run(&ctx);
	findings_rank(out);
}

void
cert_set_add(struct cert_set *s, const struct ev_cert *c)
{
	if (cert_set_contains(s, c))
		return;
	s->v = xreallocarray_grow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = c;
}

bool
cert_set_contains(const struct cert_set *s, const struct ev_cert *c)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == c)
			return true;
	return false;
}

void
cert_set_free(struct cert_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static bool
server_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return ascii_casecmp(a, b) == 0;
}

void
certs_matching_name(const struct evidence *ev, const char *server,
    const char *name, struct cert_set *out)
{
	struct tls_cert_name	tcn;
	size_t			i;

	tls_cert_name_parse(name, &tcn);
	for (i = 0; tcn.subject != NULL && i < ev->ncerts; i++) {
		const struct ev_cert *c = &ev->certs[i];

		if (server_eq(c->server, server) &&
		    tls_cert_name_matches(&tcn, c->issuer, c->subject))
			cert_set_add(out, c);
	}
	tls_cert_name_clear(&tcn);
}

const struct ev_cert *
cert_find(const struct evidence *ev, const char *server, const char *thumbprint)
{
	size_t	i;

	for (i = 0; thumbprint != NULL && i < ev->ncerts; i++)
		if (server_eq(ev->certs[i].server, server) &&
		    ascii_casecmp(ev->certs[i].thumbprint, thumbprint) == 0)
			return &ev->certs[i];
	return NULL;
}

char *
ps_quote(const char *s)
{
	struct buf	b;

	buf_init(&b, (size_t)-1 / 2);
	buf_putc(&b, '"');
	for (; s != NULL && *s; s++) {
		if (*s == '"' || *s == '$' || *s == '`')
			buf_putc(&b, '`');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '"');
	return buf_steal(&b, NULL);
}

static bool
same_opt_ci(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return ascii_casecmp(a, b) == 0;
}

static bool
same_rollup_key(const struct ev_tls_agg *a, const struct ev_tls_agg *b)
{
	return a->receive == b->receive && a->ok == b->ok &&
	    same_opt_ci(a->server, b->server) &&
	    same_opt_ci(a->connector, b->connector) &&
	    same_opt_ci(a->cert_thumbprint, b->cert_thumbprint) &&
	    same_opt_ci(a->error, b->error);
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

const char *
cert_time(const struct ev_cert *c, int64_t t, char *buf, size_t size)
{
	char	iso[32];

	if (t == TIME_UNKNOWN || c->dates_exact)
		return time_text(t, buf, size);
	time_format_iso(t, iso, sizeof iso);
	/* "2026-11-18T08:02:11Z" -> "2026-11-18 08:02:11": no zone is known. */
	iso[10] = ' ';
	iso[19] = '\0';
	snprintf(buf, size, "%s (server local time)", iso);
	return buf;
}

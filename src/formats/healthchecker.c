/*
 * What HealthChecker's three outputs share (healthchecker.h): the report
 * they fill, and how it becomes evidence.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/attribution.h"
#include "model/kinds/transport_service.h"
#include "healthchecker.h"

void
hc_report_init(struct hc_report *r, const char *source, const char *what)
{
	memset(r, 0, sizeof *r);
	r->source = source;
	r->what = what;
	r->generated = TIME_UNKNOWN;
	ev_tls_settings_init(&r->tls);
}

static void
report_clear(struct hc_report *r)
{
	size_t	i;

	free(r->server);
	for (i = 0; i < r->ncerts; i++)
		ev_cert_clear(&r->certs[i]);
	free(r->certs);
	free(r->flags);
	ev_tls_settings_clear(&r->tls);
}

void
hc_report_free(struct hc_report *r)
{
	struct hc_report	*n, *next;

	for (n = r->next; n != NULL; n = next) {
		next = n->next;
		report_clear(n);
		free(n);
	}
	report_clear(r);
	memset(r, 0, sizeof *r);
}

struct hc_report *
hc_report_add(struct hc_report *r)
{
	struct hc_report	*n = xcalloc(1, sizeof *n), **tail;

	hc_report_init(n, r->source, r->what);
	for (tail = &r->next; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = n;
	return n;
}

struct ev_cert *
hc_cert_new(struct hc_report *r, long line)
{
	struct ev_cert	*c;
	size_t		 cap = r->certs_cap;

	r->certs = xreallocarray_grow(r->certs, &r->certs_cap, r->ncerts + 1,
	    sizeof *r->certs);
	if (r->certs_cap != cap)
		r->flags = xrealloc(r->flags, r->certs_cap * sizeof *r->flags);
	c = &r->certs[r->ncerts];
	ev_cert_init(c);
	c->ref.line = line;
	r->flags[r->ncerts].current_auth = TRI_UNKNOWN;
	r->flags[r->ncerts].next_auth = TRI_UNKNOWN;
	r->flags[r->ncerts].internal_transport = TRI_UNKNOWN;
	r->ncerts++;
	return c;
}

struct hc_flags *
hc_cert_flags(struct hc_report *r, const struct ev_cert *c)
{
	return &r->flags[c - r->certs];
}

int
hc_services(const char *s)
{
	const char	*p, *e;
	char		 word[32];
	int		 mask = 0, f;
	size_t		 n;

	if (s == NULL || *s == '\0')
		return SERVICES_UNKNOWN;
	for (p = s; *p != '\0'; p = *e ? e + 1 : e) {
		while (*p == ' ')
			p++;
		for (e = p; *e != '\0' && *e != ','; e++)
			;
		n = (size_t)(e - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == 0 || n >= sizeof word)
			return SERVICES_UNKNOWN;
		memcpy(word, p, n);
		word[n] = '\0';
		if ((f = service_flag(word)) < 0)
			return SERVICES_UNKNOWN;
		mask |= f;
	}
	return mask;
}

tri_t
hc_bool(const char *s)
{
	if (s == NULL)
		return TRI_UNKNOWN;
	if (ascii_casecmp(s, "True") == 0)
		return TRI_TRUE;
	if (ascii_casecmp(s, "False") == 0)
		return TRI_FALSE;
	return TRI_UNKNOWN;
}

char *
hc_registry_value(const char *s)
{
	if (s == NULL)
		return NULL;
	if (ascii_casecmp(s, "NULL") == 0 || *s == '\0')
		return xstrdup("not set");
	return xstrdup(s);
}

bool
hc_name_stamp(const char *path, int64_t *t, char **server)
{
	const char	*base = strrchr(path, '/'), *dash, *p;
	int		 v[6], i, widths[] = { 4, 2, 2, 2, 2, 2 };
	size_t		 n;

	base = base ? base + 1 : path;
	if (!ascii_startswith_ci(base, "HealthChecker-"))
		return false;
	base += strlen("HealthChecker-");
	if ((dash = strrchr(base, '-')) == NULL || dash == base)
		return false;
	for (p = dash + 1, i = 0; i < 6; i++)
		for (v[i] = 0, n = 0; n < (size_t)widths[i]; n++, p++) {
			if (*p < '0' || *p > '9')
				return false;
			v[i] = v[i] * 10 + (*p - '0');
		}
	if (*p != '.' || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 ||
	    v[3] > 23 || v[4] > 59 || v[5] > 59)
		return false;
	*t = days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]) * 86400 +
	    v[3] * 3600 + v[4] * 60 + v[5];
	*server = xstrndup(base, (size_t)(dash - base));
	return true;
}

/* ------------------------------------------------------------- commit */

/* The Auth facts the certificates' flags give, where none was read. */
static void
auth_from_flags(struct hc_report *r)
{
	struct ev_tls_settings	*s = &r->tls;
	const struct ev_cert	*c;
	struct hc_flags		*f;
	bool			 flagged = false;
	size_t			 i;

	for (i = 0; i < r->ncerts; i++) {
		c = &r->certs[i];
		f = &r->flags[i];
		if (f->current_auth != TRI_UNKNOWN)
			flagged = true;
		if (f->current_auth == TRI_TRUE && s->auth_certificate == NULL)
			s->auth_certificate = xstrdup(c->thumbprint);
		if (f->next_auth == TRI_TRUE && s->next_auth_certificate == NULL)
			s->next_auth_certificate = xstrdup(c->thumbprint);
		if (f->internal_transport == TRI_TRUE &&
		    s->internal_transport_certificate == NULL)
			s->internal_transport_certificate = xstrdup(c->thumbprint);
	}
	/* HealthChecker's own test: the current one has days left. */
	if (s->auth_certificate_valid != TRI_UNKNOWN || !flagged)
		return;
	s->auth_certificate_valid = TRI_FALSE;
	for (i = 0; i < r->ncerts; i++)
		if (r->flags[i].current_auth == TRI_TRUE &&
		    r->certs[i].lifetime_days > 0)
			s->auth_certificate_valid = TRI_TRUE;
}

static bool
settings_known(const struct ev_tls_settings *s, bool tls_seen)
{
	return tls_seen || s->auth_certificate != NULL ||
	    s->auth_certificate_valid != TRI_UNKNOWN ||
	    s->internal_transport_certificate != NULL;
}

int
hc_report_commit(struct evidence *ev, struct hc_report *r)
{
	struct ev_transport_service	 ts;
	struct ev_cert			*c;
	const char			*source = r->source;
	int				 added = 0;
	long				 untied = 0;
	size_t				 i;

	for (; r != NULL; r = r->next) {
		for (i = 0; i < r->ncerts; i++) {
			c = &r->certs[i];
			if (c->thumbprint == NULL) {
				untied++;
				continue;
			}
			free(c->server);
			c->server = xstrdup(r->server);
			c->server_clue = r->server ? ATTR_EXPORT : 0;
			free(c->ref.source);
			c->ref.source = xstrdup(r->source);
			if (c->lifetime_days >= 0) {
				c->lifetime_from = r->generated;
				c->lifetime_from_exact = r->generated_exact;
			}
			if (evidence_add_cert(ev, c) != NULL)
				added++;
		}
		auth_from_flags(r);
		if (r->server != NULL && settings_known(&r->tls, r->tls_seen)) {
			free(r->tls.server);
			r->tls.server = xstrdup(r->server);
			r->tls.generated = r->generated;
			r->tls.generated_exact = r->generated_exact;
			free(r->tls.ref.source);
			r->tls.ref.source = xstrdup(r->source);
			evidence_add_tls_settings(ev, &r->tls);
			added++;
		}
		if (r->server != NULL &&
		    r->tls.internal_transport_certificate != NULL) {
			ev_transport_service_init(&ts);
			ts.server = r->server;
			ts.internal_transport_certificate =
			    r->tls.internal_transport_certificate;
			ts.ref.source = (char *)r->source;
			evidence_add_transport_service(ev, &ts);
			strlist_free(&ts.sources);
		}
		if (r->server == NULL && (r->ncerts > 0 || r->tls_seen))
			diag_add(&ev->diags, DIAG_WARNING, r->source, "%s: the "
			    "server it describes is not named; its certificates "
			    "are attributed by the other clues, its TLS settings "
			    "are not kept", r->what);
	}
	if (untied > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "%ld certificate%s "
		    "without a thumbprint skipped", untied, untied == 1 ? "" : "s");
	return added;
}

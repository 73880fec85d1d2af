/*
 * HealthChecker's text report (HealthChecker-SERVER-yyyyMMddHHmmss.txt,
 * what it writes to the screen, saved by Out-File: UTF-16LE by default).
 * Groups are a name over a line of dashes; each result is "Name: value"
 * indented by tabs, or a table (OutColumns) indented by spaces:
 *
 *   Exchange Health Checker version 25.10.21.1518
 *   Exchange Information
 *   --------------------
 *   	Name: EXCAS1
 *   	Generation Time: 11/4/2026 9:02:44 AM
 *   Security Settings
 *   -----------------
 *   	TLS 1.2: Enabled
 *
 *           RegistryKey       Location                                    Value
 *           -----------       --------                                    -----
 *           Enabled           SYSTEM\...\SCHANNEL\Protocols\TLS 1.2\Server  1
 *           DisabledByDefault SYSTEM\...\SCHANNEL\Protocols\TLS 1.2\Server  0
 *   	Certificate:
 *   		FriendlyName: mail.contoso.com
 *   		Thumbprint: 79102C505AD17B79CAD5E3106B478751926A6435
 *   		Lifetime in days: 388
 *   		Bound to services: IIS, SMTP
 *   		Current Auth Certificate: False
 *   		Namespaces:
 *   			mail.contoso.com
 *   	Valid Auth Certificate Found On Server: True
 *
 * The registry tables give TLS 1.0 to 1.3 (server and client Enabled) and
 * .NET's SystemDefaultTlsVersions and SchUseStrongCrypto; the certificate
 * lines give what HealthChecker shows of each certificate (no NotAfter:
 * its lifetime in days at the generation time instead).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "formats.h"
#include "healthchecker.h"
#include "ingest.h"
#include "util/text.h"

struct hc_text {
	struct hc_report	*r;
	struct ev_cert		*cert;		/* the block being read */
	size_t			 cert_indent;	/* of its "Certificate:" line */
	bool			 in_namespaces;
	size_t			 ns_indent;	/* of its "Namespaces:" line */
	char			*generated;	/* as written */
};

/* "  Name: value" -> name and value (trimmed); false for other lines. */
static bool
name_value(const char *l, size_t n, char **name, char **value)
{
	size_t	i = 0, c;

	while (i < n && (l[i] == '\t' || l[i] == ' '))
		i++;
	for (c = i; c < n && l[c] != ':'; c++)
		;
	if (c >= n || c == i || (c + 1 < n && l[c + 1] != ' '))
		return false;
	*name = str_trim(xstrndup(l + i, c - i));
	*value = str_trim(xstrndup(l + c + 1, n - c - 1));
	return true;
}

static size_t
indent(const char *l, size_t n)
{
	size_t	i = 0, w = 0;

	for (; i < n && (l[i] == '\t' || l[i] == ' '); i++)
		w += l[i] == '\t' ? 8 : 1;
	return w;
}

/* "TLS 1.2" -> TLS_1_2; -1 otherwise. */
static int
tls_of(const char *name)
{
	size_t	v;

	if (!ascii_startswith_ci(name, "TLS "))
		return -1;
	for (v = 0; v < TLS_NVERSIONS; v++)
		if (strcmp(name + 4, tls_version_name(v)) == 0)
			return (int)v;
	return -1;
}

/*
 * A registry table row: "Enabled  SYSTEM\...\TLS 1.2\Server  1" or
 * "SchUseStrongCrypto  SOFTWARE\Wow6432Node\...\v4.0.30319  NULL".
 */
void
hc_registry_row(struct hc_report *r, const char *key, const char *location,
    const char *value)
{
	struct ev_tls_settings	*s = &r->tls;
	const char		*p;
	size_t			 v;
	int			 net, which;
	tri_t			 on;

	if ((p = ascii_strcasestr(location, "\\Protocols\\TLS ")) != NULL &&
	    ascii_casecmp(key, "Enabled") == 0) {
		p += strlen("\\Protocols\\TLS ");
		for (v = 0; v < TLS_NVERSIONS; v++) {
			size_t k = strlen(tls_version_name(v));

			if (strncmp(p, tls_version_name(v), k) != 0 || p[k] != '\\')
				continue;
			/* HealthChecker: not set is enabled, but for 1.3. */
			if (ascii_casecmp(value, "NULL") == 0)
				on = v == TLS_1_3 ? TRI_FALSE : TRI_TRUE;
			else
				on = strcmp(value, "0") == 0 ? TRI_FALSE :
				    TRI_TRUE;
			if (ascii_casecmp(p + k + 1, "Server") == 0)
				s->server_enabled[v] = on;
			else if (ascii_casecmp(p + k + 1, "Client") == 0)
				s->client_enabled[v] = on;
			r->tls_seen = true;
		}
		return;
	}
	if (ascii_strcasestr(location, ".NETFramework\\v4.") != NULL)
		net = NET_V4;
	else if (ascii_strcasestr(location, ".NETFramework\\v2.") != NULL)
		net = NET_V2;
	else
		return;
	if (ascii_casecmp(key, "SystemDefaultTlsVersions") == 0)
		which = NET_SYSTEM_DEFAULT;
	else if (ascii_casecmp(key, "SchUseStrongCrypto") == 0)
		which = NET_STRONG_CRYPTO;
	else
		return;
	if (ascii_strcasestr(location, "Wow6432Node") != NULL)
		which += NET_WOW_SYSTEM_DEFAULT;
	if (s->net[net][which] == NULL)
		s->net[net][which] = hc_registry_value(value);
	r->tls_seen = true;
}

/* A table row: the first word, the last word, the location between. */
static bool
table_row(struct hc_text *t, const char *l, size_t n)
{
	const char	*a, *ae, *z, *ze;
	char		*key, *loc, *val;

	for (a = l; a < l + n && (*a == ' ' || *a == '\t'); a++)
		;
	for (ae = a; ae < l + n && *ae != ' '; ae++)
		;
	for (ze = l + n; ze > ae && (ze[-1] == ' ' || ze[-1] == '\t'); ze--)
		;
	for (z = ze; z > ae && z[-1] != ' '; z--)
		;
	if (ae == a || z <= ae || ze == z)
		return false;
	key = xstrndup(a, (size_t)(ae - a));
	loc = str_trim(xstrndup(ae, (size_t)(z - ae)));
	val = xstrndup(z, (size_t)(ze - z));
	if (ascii_strcasestr(loc, "SYSTEM\\") != NULL ||
	    ascii_strcasestr(loc, "SOFTWARE\\") != NULL)
		hc_registry_row(t->r, key, loc, val);
	free(key);
	free(loc);
	free(val);
	return true;
}

static void
cert_line(struct hc_text *t, const char *name, const char *value)
{
	struct ev_cert	*c = t->cert;
	struct hc_flags	*f = hc_cert_flags(t->r, c);
	char		*end;
	long		 n;

	if (ascii_casecmp(name, "FriendlyName") == 0 && *value)
		c->friendly_name = c->friendly_name ? c->friendly_name :
		    xstrdup(value);
	else if (ascii_casecmp(name, "Thumbprint") == 0 && c->thumbprint == NULL)
		c->thumbprint = thumbprint_normalize(value);
	else if (ascii_casecmp(name, "Lifetime in days") == 0 &&
	    (n = strtol(value, &end, 10), *value && !*end) && n > -100000 &&
	    n < 100000)
		c->lifetime_days = (int)n;
	else if (ascii_casecmp(name, "Certificate status") == 0 && *value &&
	    c->status == NULL)
		c->status = xstrdup(value);
	else if (ascii_casecmp(name, "Key size") == 0 &&
	    (n = strtol(value, &end, 10), *value && !*end) && n > 0 &&
	    n < 65536)
		c->key_bits = (int)n;
	else if (ascii_casecmp(name, "Bound to services") == 0)
		c->services = hc_services(value);
	else if (ascii_casecmp(name, "Internal Transport Certificate") == 0)
		f->internal_transport = hc_bool(value);
	else if (ascii_casecmp(name, "Current Auth Certificate") == 0)
		f->current_auth = hc_bool(value);
	else if (ascii_casecmp(name, "Next Auth Certificate") == 0)
		f->next_auth = hc_bool(value);
	else if (ascii_casecmp(name, "Namespaces") == 0) {
		t->in_namespaces = true;
		c->domains_known = true;
	}
}

static void
read_line(struct hc_text *t, const char *l, size_t n, long lineno)
{
	char	*name = NULL, *value = NULL;
	int	 v;

	if (t->in_namespaces && t->cert != NULL && indent(l, n) > t->ns_indent) {
		/* A namespace: a value alone, deeper than its label. */
		char *ns = str_trim(xstrndup(l, n));

		if (*ns != '\0' && ascii_casecmp(ns, "None") != 0 &&
		    strchr(ns, ':') == NULL)
			strlist_add_unique_ci(&t->cert->domains, ns);
		free(ns);
		return;
	}
	t->in_namespaces = false;
	if (!name_value(l, n, &name, &value)) {
		/* A table row is indented by spaces, not tabs. */
		if (n > 0 && l[0] == ' ')
			(void)table_row(t, l, n);
		return;
	}
	if (ascii_casecmp(name, "Certificate") == 0 && *value == '\0') {
		t->cert = hc_cert_new(t->r, lineno);
		t->cert_indent = indent(l, n);
	} else if (t->cert != NULL && indent(l, n) > t->cert_indent) {
		if (ascii_casecmp(name, "Namespaces") == 0)
			t->ns_indent = indent(l, n);
		cert_line(t, name, value);
	} else {
		t->cert = NULL;
		if (ascii_casecmp(name, "Name") == 0 && t->r->server == NULL &&
		    *value)
			t->r->server = xstrdup(value);
		else if (ascii_casecmp(name, "Generation Time") == 0 &&
		    t->generated == NULL)
			t->generated = xstrdup(value);
		else if ((v = tls_of(name)) >= 0 && *value) {
			free(t->r->tls.configuration[v]);
			t->r->tls.configuration[v] = xstrdup(value);
			t->r->tls_seen = true;
		} else if (ascii_casecmp(name, "SecurityProtocol") == 0 && *value)
			t->r->tls.security_protocol =
			    t->r->tls.security_protocol ?
			    t->r->tls.security_protocol : xstrdup(value);
		else if (ascii_casecmp(name, "Valid Auth Certificate Found On "
		    "Server") == 0)
			t->r->tls.auth_certificate_valid = hc_bool(value);
	}
	free(name);
	free(value);
}

/*
 * The generation time: as written when its day/month order is decided,
 * else the stamp of the file name (the same clock, yyyyMMddHHmmss).
 */
static void
generation_time(struct hc_text *t, struct evidence *ev, const char *source)
{
	struct date_order_votes	 votes;
	int64_t			 when;
	char			*server = NULL;

	memset(&votes, 0, sizeof votes);
	if (t->generated != NULL) {
		date_order_vote(&votes, t->generated);
		if (date_parse_culture(t->generated, date_order_decide(&votes),
		    &when)) {
			t->r->generated = when;
			return;
		}
	}
	if (hc_name_stamp(source, &when, &server)) {
		t->r->generated = when;
		if (t->r->server == NULL)
			t->r->server = server;
		else
			free(server);
		if (t->generated != NULL)
			diag_add(&ev->diags, DIAG_INFO, source, "Generation Time "
			    "\"%s\" does not say its day/month order: the time "
			    "in the file name is used", t->generated);
	}
}

int
ingest_healthchecker_text(struct evidence *ev, const char *source,
    const char *text, size_t len)
{
	struct hc_report	 r;
	struct hc_text		 t;
	struct line_iter	 it;
	const char		*l;
	size_t			 n;
	int			 added;

	hc_report_init(&r, source, "HealthChecker text report");
	memset(&t, 0, sizeof t);
	t.r = &r;
	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &l, &n))
		read_line(&t, l, n, it.lineno);
	generation_time(&t, ev, source);
	free(t.generated);
	if (r.ncerts > 0)
		ev->saw_cert_dump = true;	/* HealthChecker ran Get-ExchangeCertificate */
	added = hc_report_commit(ev, &r);
	diag_add(&ev->diags, DIAG_INFO, source, "HealthChecker text report of "
	    "%s: %zu certificate%s, %s", r.server ? r.server :
	    "an unnamed server", r.ncerts, r.ncerts == 1 ? "" : "s",
	    r.tls_seen ? "TLS settings" : "no TLS settings");
	hc_report_free(&r);
	return added;
}

/* ------------------------------------------------------------ detection */

/* HealthChecker's first line, or its group and certificate lines. */
static int
bid_healthchecker_text(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	size_t			 i;
	int			 groups = 0;

	for (i = 0; i < st->nlines; i++) {
		if (sniff_line_prefix(&st->lines[i], "Exchange Health Checker "
		    "version") || sniff_line_prefix(&st->lines[i],
		    "Exchange Health Checker Version"))
			return 76;
		if (sniff_line_prefix(&st->lines[i], "Exchange Information") ||
		    sniff_line_prefix(&st->lines[i], "Security Settings") ||
		    sniff_line_prefix(&st->lines[i], "Operating System "
		    "Information"))
			groups++;
	}
	return groups >= 2 ? 76 : 0;
}

static int
read_healthchecker_text(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_healthchecker_text(ctx->ev, e->path, e->text,
	    e->text_len);
}

const struct format format_healthchecker_text = {
	.name = "healthchecker-text", .one = "HealthChecker text report",
	.many = "HealthChecker text reports",
	.text = true, .best = 76, .bid = bid_healthchecker_text,
	.ingest = read_healthchecker_text, .read_is_evidence = true,
};

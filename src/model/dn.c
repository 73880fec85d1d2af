/*
 * Distinguished names compared the way Exchange compares them, and the
 * TlsCertificateName value "<I>issuer<S>subject".
 *
 * Host names in the subject CN: a single label ("localhost",
 * "WIN-CTD3L0RGEN4") is accepted as a host name, because Exchange's own
 * self-signed certificates carry one and connectors pinned to them work; a
 * CN that is no host name at all ("Microsoft Exchange Server Auth
 * Certificate") makes the value invalid.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dn.h"
#include "util/util.h"

#define DN_MAX	65536	/* longer "names" are not names */

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Splits a DN into RDNs at commas outside double quotes and not escaped by a
 * backslash, calling `fn` with each RDN's key and its unquoted, unescaped
 * value (both trimmed; key NULL when the RDN has no '=').
 */
typedef void (*rdn_fn)(void *ctx, const char *key, const char *value);

static void
rdn_emit(struct buf *key, struct buf *val, bool have_eq, rdn_fn fn, void *ctx)
{
	char	*k, *v;

	k = xstrdup(key->data ? key->data : "");
	v = xstrdup(val->data ? val->data : "");
	str_trim(k);
	if (have_eq)
		fn(ctx, k, v);
	else if (*k != '\0')
		fn(ctx, NULL, k);
	free(k);
	free(v);
	buf_reset(key);
	buf_reset(val);
}

/*
 * Values are trimmed of unquoted white space only: a quoted value keeps the
 * spaces inside its quotes. `pending` holds unquoted spaces not yet known to
 * be inside the value.
 */
static void
rdn_split(const char *dn, rdn_fn fn, void *ctx)
{
	struct buf	 key, val;
	const char	*p;
	bool		 in_quotes = false, have_eq = false, started = false;
	size_t		 pending = 0;
	struct buf	*cur;

	buf_init(&key, DN_MAX);
	buf_init(&val, DN_MAX);
	for (p = dn; *p != '\0'; p++) {
		cur = have_eq ? &val : &key;
		if (*p == '\\' && p[1] != '\0') {
			if (have_eq)
				for (; pending > 0; pending--)
					buf_putc(cur, ' ');
			buf_putc(cur, *++p);
			started = true;
			continue;
		}
		if (*p == '"') {
			if (in_quotes && p[1] == '"') {
				/* .NET doubles a quote inside quotes. */
				buf_putc(cur, '"');
				p++;
				continue;
			}
			if (have_eq && started)
				for (; pending > 0; pending--)
					buf_putc(cur, ' ');
			in_quotes = !in_quotes;
			started = true;
			continue;
		}
		if (in_quotes) {
			buf_putc(cur, *p);
			continue;
		}
		if (*p == ',' || *p == ';') {
			rdn_emit(&key, &val, have_eq, fn, ctx);
			have_eq = started = false;
			pending = 0;
			continue;
		}
		if (*p == '=' && !have_eq) {
			have_eq = true;
			started = false;
			pending = 0;
			continue;
		}
		if (have_eq && is_ws(*p)) {
			if (started)
				pending++;
			continue;
		}
		if (have_eq)
			for (; pending > 0; pending--)
				buf_putc(cur, ' ');
		buf_putc(cur, *p);
		started = true;
	}
	rdn_emit(&key, &val, have_eq, fn, ctx);
	buf_free(&key);
	buf_free(&val);
}

struct canon_ctx {
	struct buf	out;
	size_t		nrdn;
};

static void
canon_add(void *vctx, const char *key, const char *value)
{
	struct canon_ctx	*c = vctx;
	char			*k;

	if (c->nrdn++ > 0)
		buf_append(&c->out, ", ", 2);
	if (key == NULL) {
		buf_append(&c->out, value, strlen(value));
		return;
	}
	k = xstrdup(key);
	ascii_upper(k);
	/* OpenSSL writes ST, .NET writes S: the same attribute. */
	if (strcmp(k, "ST") == 0)
		k[1] = '\0';
	buf_appendf(&c->out, "%s=%s", k, value);
	free(k);
}

char *
dn_canonical(const char *dn)
{
	struct canon_ctx	 c;
	char			*s, *p;

	if (dn == NULL)
		return NULL;
	buf_init(&c.out, DN_MAX);
	c.nrdn = 0;
	rdn_split(dn, canon_add, &c);
	s = buf_steal(&c.out, NULL);
	for (p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 32;
	return s;
}

/* The byte after the UTF-8 sequence that starts at p (valid UTF-8). */
static const char *
utf8_skip(const char *p)
{
	p++;
	while (((unsigned char)*p & 0xC0) == 0x80)
		p++;
	return p;
}

static bool
utf8_lead(char c)
{
	return ((unsigned char)c & 0xC0) == 0xC0;
}

/*
 * Canonical forms compared byte by byte, except that a '?' of a lossy side
 * may stand for one non-ASCII character of the other: an ASCII export wrote
 * '?' for each character it could not encode, and only for those, so a '?'
 * never stands for an ASCII character. No backtracking is needed: where a
 * '?' meets a multi-byte sequence the bytes differ, so only one reading
 * applies.
 */
static bool
loose_equal(const char *a, bool a_lossy, const char *b, bool b_lossy)
{
	while (*a != '\0' && *b != '\0') {
		if (*a == *b) {
			a++;
			b++;
		} else if (a_lossy && *a == '?' && utf8_lead(*b)) {
			a++;
			b = utf8_skip(b);
		} else if (b_lossy && *b == '?' && utf8_lead(*a)) {
			b++;
			a = utf8_skip(a);
		} else
			return false;
	}
	return *a == *b;
}

enum dn_match
dn_compare(const char *a, bool a_lossy, const char *b, bool b_lossy)
{
	char		*ca, *cb;
	enum dn_match	 m;

	if (a == NULL || b == NULL)
		return a == b ? DN_SAME : DN_DIFFERENT;
	ca = dn_canonical(a);
	cb = dn_canonical(b);
	if (strcmp(ca, cb) == 0)
		m = DN_SAME;
	else if ((a_lossy || b_lossy) && loose_equal(ca, a_lossy, cb, b_lossy))
		m = DN_SAME_LOOSELY;
	else
		m = DN_DIFFERENT;
	free(ca);
	free(cb);
	return m;
}

bool
dn_equal(const char *a, const char *b)
{
	char	*ca, *cb;
	bool	 eq;

	if (a == NULL || b == NULL)
		return a == b;
	ca = dn_canonical(a);
	cb = dn_canonical(b);
	eq = strcmp(ca, cb) == 0;
	free(ca);
	free(cb);
	return eq;
}

/* ---------------------------------------------------------------- TlsCertificateName */

static bool
label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * A host name: dot-separated labels of letters, digits and hyphens (not at
 * either end of a label), at most 63 characters each and 253 in all; the
 * first label may be a wildcard "*" when more labels follow.
 */
static bool
host_name_valid(const char *s)
{
	size_t	 len = strlen(s), i, start = 0, nlabels = 0;

	if (len == 0 || len > 253)
		return false;
	if (s[0] == '*') {
		if (s[1] != '.')
			return false;
		start = 2;
	}
	for (i = start; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!label_char(s[i]))
				return false;
			continue;
		}
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return false;
		nlabels++;
		start = i + 1;
	}
	return nlabels >= 1;
}

struct cn_ctx {
	char	*cn;	/* the first CN */
};

static void
cn_find(void *vctx, const char *key, const char *value)
{
	struct cn_ctx	*c = vctx;

	if (c->cn == NULL && key != NULL && ascii_casecmp(key, "CN") == 0)
		c->cn = xstrdup(value);
}

/* Finds a tag "<X>" case-insensitively; returns its position or NULL. */
static const char *
tag_find(const char *s, char tag)
{
	for (; *s != '\0'; s++)
		if (s[0] == '<' && (s[1] == tag || s[1] == tag + 32) &&
		    s[2] == '>')
			return s;
	return NULL;
}

static char *
trimmed_copy(const char *s, size_t n)
{
	char	*p = xstrndup(s, n);

	return str_trim(p);
}

static void
tls_cert_name_check(struct tls_cert_name *out)
{
	struct cn_ctx	c = { NULL };

	if (out->subject == NULL || *out->subject == '\0') {
		out->problem = xstrdup("no <S> subject part");
		return;
	}
	if (out->issuer != NULL && *out->issuer == '\0') {
		out->problem = xstrdup("the <I> issuer part is empty");
		return;
	}
	rdn_split(out->subject, cn_find, &c);
	if (c.cn == NULL)
		out->problem = xstrdup("the subject has no CN");
	else if (!host_name_valid(c.cn))
		out->problem = xasprintf("the subject CN \"%s\" is not a domain"
		    " name", c.cn);
	else
		out->valid = true;
	free(c.cn);
}

void
tls_cert_name_parse(const char *s, struct tls_cert_name *out)
{
	const char	*ti, *ts, *start;

	memset(out, 0, sizeof *out);
	if (s == NULL) {
		out->problem = xstrdup("empty");
		return;
	}
	while (is_ws(*s))
		s++;
	if (*s == '\0') {
		out->problem = xstrdup("empty");
		return;
	}
	ti = tag_find(s, 'I');
	ts = tag_find(s, 'S');
	start = ti != NULL && (ts == NULL || ti < ts) ? ti : ts;
	if (start == NULL) {
		out->problem = xstrdup("no <I> or <S> tag");
		return;
	}
	if (ti != NULL && ts != NULL && ti > ts) {
		/* Keep what is there for the report, but it is not a name. */
		out->subject = trimmed_copy(ts + 3, (size_t)(ti - ts - 3));
		out->issuer = trimmed_copy(ti + 3, strlen(ti + 3));
		out->problem = xstrdup("<I> comes after <S>");
		return;
	}
	if (ti != NULL)
		out->issuer = trimmed_copy(ti + 3, ts != NULL ?
		    (size_t)(ts - ti - 3) : strlen(ti + 3));
	if (ts != NULL)
		out->subject = trimmed_copy(ts + 3, strlen(ts + 3));
	if (start != s) {
		out->problem = xstrdup("text before the first tag");
		return;
	}
	if ((ti != NULL && tag_find(ti + 3, 'I') != NULL) ||
	    (ts != NULL && tag_find(ts + 3, 'S') != NULL)) {
		out->problem = xstrdup("a tag appears twice");
		return;
	}
	tls_cert_name_check(out);
}

void
tls_cert_name_clear(struct tls_cert_name *n)
{
	free(n->issuer);
	free(n->subject);
	free(n->problem);
	memset(n, 0, sizeof *n);
}

/*
 * Strings only, as Exchange does: the thumbprint plays no part, so renewed
 * certificates with the same issuer and subject all match. Validity is the
 * rules' business; a name with a subject is matched whatever its problems.
 */
enum dn_match
tls_cert_name_compare(const struct tls_cert_name *n, bool n_lossy,
    const char *issuer, bool issuer_lossy, const char *subject,
    bool subject_lossy)
{
	enum dn_match	s, i;

	if (n == NULL || n->subject == NULL || *n->subject == '\0' ||
	    subject == NULL)
		return DN_DIFFERENT;
	if ((s = dn_compare(n->subject, n_lossy, subject, subject_lossy)) ==
	    DN_DIFFERENT)
		return DN_DIFFERENT;
	if (n->issuer == NULL)
		return s;
	if (issuer == NULL || (i = dn_compare(n->issuer, n_lossy, issuer,
	    issuer_lossy)) == DN_DIFFERENT)
		return DN_DIFFERENT;
	return s == DN_SAME && i == DN_SAME ? DN_SAME : DN_SAME_LOOSELY;
}

bool
tls_cert_name_matches(const struct tls_cert_name *n, const char *issuer,
    const char *subject)
{
	return tls_cert_name_compare(n, false, issuer, false, subject, false) ==
	    DN_SAME;
}

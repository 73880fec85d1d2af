/*
 * A certificate logged on one row ("Sending certificate Subject Issuer
 * Serial Thumbprint [NotBefore NotAfter] [SANs]"), read from the right, where
 * the hex tokens are unambiguous; and the subject and issuer told apart.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util/datetime.h"
#include "util/text.h"

void
protolog_cert_init(struct protolog_cert *c)
{
	memset(c, 0, sizeof *c);
	c->not_before = c->not_after = TIME_UNKNOWN;
}

void
protolog_cert_clear(struct protolog_cert *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->serial);
	free(c->thumbprint);
	free(c->sans);
	protolog_cert_init(c);
}

/*
 * RDN keys .NET prints. A space followed by one of these and '=' starts a
 * new DN (unless a ',' precedes it, which makes it the next RDN of the same
 * DN).
 */
static const char *const rdn_keys[] = {
	"CN", "OU", "O", "DC", "L", "S", "ST", "C", "E", "T", "G", "SN", "I",
	"STREET", "SERIALNUMBER", "POSTALCODE", "PHONE", "EMAILADDRESS",
	"UID", "DESCRIPTION", "TITLE", "GIVENNAME", "INITIALS", NULL
};

static bool
is_oid_key(const char *k, size_t n)
{
	size_t	i;
	bool	dot = false;

	if (n > 4 && ascii_ncasecmp(k, "OID.", 4) == 0)
		return true;
	if (n == 0 || k[0] < '0' || k[0] > '9')
		return false;
	for (i = 0; i < n; i++) {
		if (k[i] == '.')
			dot = true;
		else if (k[i] < '0' || k[i] > '9')
			return false;
	}
	return dot;
}

static bool
starts_with_rdn_key(const char *p)
{
	const char	*q = p;
	size_t		 n, i;

	while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
	    (*q >= '0' && *q <= '9') || *q == '.')
		q++;
	if (*q != '=' || q == p)
		return false;
	n = (size_t)(q - p);
	if (is_oid_key(p, n))
		return true;
	for (i = 0; rdn_keys[i] != NULL; i++)
		if (strlen(rdn_keys[i]) == n && ascii_ncasecmp(p, rdn_keys[i], n) == 0)
			return true;
	return false;
}

void
protolog_split_dns(const char *s, char **subject, char **issuer)
{
	const char	*p, *first = NULL, *equal = NULL;
	size_t		 n = strlen(s);
	bool		 quoted = false;

	*subject = *issuer = NULL;
	for (p = s; *p != '\0'; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted || *p != ' ' || p == s || p[-1] == ',' ||
		    p[-1] == ' ' || !starts_with_rdn_key(p + 1))
			continue;
		if (first == NULL)
			first = p;
		/*
		 * Several candidates mean a value holds " KEY=": a self-signed
		 * certificate (subject = issuer) settles it when one split
		 * gives two equal halves.
		 */
		if (equal == NULL && (size_t)(p - s) * 2 + 1 == n &&
		    ascii_ncasecmp(s, p + 1, (size_t)(p - s)) == 0)
			equal = p;
	}
	if (equal != NULL)
		first = equal;
	if (first == NULL)
		return;
	*subject = xstrndup(s, (size_t)(first - s));
	*issuer = xstrdup(first + 1);
	str_trim(*subject);
	str_trim(*issuer);
}

/* A space-separated token of the data field. */
struct token {
	const char	*p;
	size_t		 n;
};

static bool
token_is_hex(const struct token *t)
{
	return t->n > 0 && str_is_hex(t->p, t->n);
}

static bool
token_time(const struct token *t, int64_t *out)
{
	char	tmp[64];

	if (t->n == 0 || t->n >= sizeof tmp || t->p[0] < '0' || t->p[0] > '9')
		return false;
	memcpy(tmp, t->p, t->n);
	tmp[t->n] = '\0';
	return date_parse_iso(tmp, out);
}

/* Up to `max` tokens of s; returns the count or -1 when there are more. */
static int
tokenize(const char *s, struct token *tok, int max)
{
	int	n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return n;
		if (n == max)
			return -1;
		tok[n].p = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		tok[n].n = (size_t)(s - tok[n].p);
		n++;
	}
}

bool
protolog_cert_parse_row(const char *data, bool dated, struct protolog_cert *out)
{
	struct token	 tok[256];
	int		 n, t, i;
	int64_t		 a, b;
	char		*dns;
	const struct token *last;

	protolog_cert_init(out);
	n = tokenize(data, tok, (int)(sizeof tok / sizeof tok[0]));
	/*
	 * From the right: the thumbprint is the last 40-hex token preceded by
	 * a hex serial and at least one DN token.
	 */
	for (t = n - 1; t >= 2; t--)
		if (tok[t].n == 40 && token_is_hex(&tok[t]) &&
		    token_is_hex(&tok[t - 1]))
			break;
	if (t < 2)
		return false;

	out->thumbprint = xstrndup(tok[t].p, tok[t].n);
	ascii_upper(out->thumbprint);
	out->serial = xstrndup(tok[t - 1].p, tok[t - 1].n);
	ascii_upper(out->serial);

	dns = xstrndup(tok[0].p, (size_t)(tok[t - 2].p + tok[t - 2].n - tok[0].p));
	protolog_split_dns(dns, &out->subject, &out->issuer);
	free(dns);

	/* After the thumbprint: [NotBefore NotAfter] [SANs]. */
	i = t + 1;
	if (i >= n)
		return true;
	last = &tok[n - 1];
	if (n - i >= 2 && token_time(&tok[i], &a) && token_time(&tok[i + 1], &b)) {
		out->not_before = a;
		out->not_after = b;
		i += 2;
	} else if (dated) {
		/* Dates in an unexpected form: only the SANs can be trusted. */
		if (!token_time(last, &a) && n - 1 > i)
			out->sans = xstrndup(last->p, last->n);
		return true;
	}
	if (i < n)
		out->sans = xstrndup(tok[i].p,
		    (size_t)(last->p + last->n - tok[i].p));
	return true;
}

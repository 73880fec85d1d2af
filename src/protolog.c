/*
 * Streaming SMTP protocol log parser: CSV rows under #Fields headers,
 * per-session certificate state, TLS outcomes and connect failures.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "evidence.h"
#include "protolog.h"
#include "text.h"
#include "util.h"

#define MAX_FIELDS	64

/* The columns the parser reads; others in #Fields are skipped. */
enum column {
	COL_DATE_TIME, COL_CONNECTOR, COL_SESSION, COL_LOCAL, COL_REMOTE,
	COL_EVENT, COL_DATA, COL_CONTEXT, NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"date-time", "connector-id", "session-id", "local-endpoint",
	"remote-endpoint", "event", "data", "context"
};

/* Where a multi-row certificate block is going. */
enum cert_target { TARGET_NONE, TARGET_LOCAL, TARGET_REMOTE };

struct session {
	char			*id;
	uint32_t		 hash;
	struct session		*hnext;		/* bucket chain */
	struct session		*older;		/* activity order */
	struct session		*newer;
	struct protolog_cert	 local;
	struct protolog_cert	 remote;
	enum cert_target	 target;
};

struct protolog {
	struct protolog_callbacks cb;
	struct protolog_stats	 stats;

	int			 col[NCOLUMNS];	/* index in a row, -1 absent */
	size_t			 nfields;	/* 0: no #Fields line yet */
	bool			 warned_no_fields;

	/* One row, unescaped: fields point into `scratch`. */
	char			*scratch;
	size_t			 scratch_cap;
	const char		*field[MAX_FIELDS];
	size_t			 nrow;
	char			 sample[PROTOLOG_SAMPLE_MAX + 1];

	/* Open sessions: a hash table plus a list, oldest activity first. */
	struct session		**bucket;
	size_t			 nbuckets;
	size_t			 nopen;
	size_t			 max_open;
	struct session		*oldest;
	struct session		*newest;
};

/* ---------------------------------------------------------- certificates */

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

static bool
cert_is_empty(const struct protolog_cert *c)
{
	return c->subject == NULL && c->issuer == NULL && c->serial == NULL &&
	    c->thumbprint == NULL && c->sans == NULL;
}

static void
set_field(char **dst, const char *value, bool upper)
{
	char	*s = xstrdup(value);

	str_trim(s);
	free(*dst);
	if (*s == '\0') {
		free(s);
		*dst = NULL;
		return;
	}
	if (upper)
		ascii_upper(s);
	*dst = s;
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

/* ------------------------------------------------------------- sessions */

static uint32_t
hash_id(const char *s)
{
	uint32_t	h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void
session_unlink(struct protolog *pl, struct session *s)
{
	if (s->older != NULL)
		s->older->newer = s->newer;
	else
		pl->oldest = s->newer;
	if (s->newer != NULL)
		s->newer->older = s->older;
	else
		pl->newest = s->older;
	s->older = s->newer = NULL;
}

static void
session_link_newest(struct protolog *pl, struct session *s)
{
	s->older = pl->newest;
	s->newer = NULL;
	if (pl->newest != NULL)
		pl->newest->newer = s;
	else
		pl->oldest = s;
	pl->newest = s;
}

static void
session_free(struct session *s)
{
	free(s->id);
	protolog_cert_clear(&s->local);
	protolog_cert_clear(&s->remote);
	free(s);
}

static void
session_remove(struct protolog *pl, struct session *s)
{
	struct session	**pp = &pl->bucket[s->hash & (pl->nbuckets - 1)];

	while (*pp != s)
		pp = &(*pp)->hnext;
	*pp = s->hnext;
	session_unlink(pl, s);
	pl->nopen--;
	session_free(s);
}

static struct session *
session_find(struct protolog *pl, const char *id, uint32_t h)
{
	struct session	*s;

	if (pl->nbuckets == 0)
		return NULL;
	for (s = pl->bucket[h & (pl->nbuckets - 1)]; s != NULL; s = s->hnext)
		if (s->hash == h && strcmp(s->id, id) == 0)
			return s;
	return NULL;
}

static void
sessions_rehash(struct protolog *pl)
{
	struct session	**nb, *s, *next;
	size_t		  n = pl->nbuckets ? pl->nbuckets * 2 : 256, i;

	nb = xcalloc(n, sizeof *nb);
	for (i = 0; i < pl->nbuckets; i++) {
		for (s = pl->bucket[i]; s != NULL; s = next) {
			next = s->hnext;
			s->hnext = nb[s->hash & (n - 1)];
			nb[s->hash & (n - 1)] = s;
		}
	}
	free(pl->bucket);
	pl->bucket = nb;
	pl->nbuckets = n;
}

static void
sessions_evict_oldest(struct protolog *pl)
{
	char	msg[160];

	if (pl->stats.evicted_sessions++ == 0 && pl->cb.diag != NULL) {
		snprintf(msg, sizeof msg, "more than %zu sessions open at once; "
		    "the least active are forgotten, so their certificates may "
		    "be missing from later TLS rows", pl->max_open);
		pl->cb.diag(pl->cb.arg, 0, msg);
	}
	session_remove(pl, pl->oldest);
}

static struct session *
session_create(struct protolog *pl, const char *id, uint32_t h)
{
	struct session	*s;

	while (pl->nopen >= pl->max_open && pl->oldest != NULL)
		sessions_evict_oldest(pl);
	if (pl->nopen + 1 > pl->nbuckets)
		sessions_rehash(pl);
	s = xcalloc(1, sizeof *s);
	s->id = xstrdup(id);
	s->hash = h;
	protolog_cert_init(&s->local);
	protolog_cert_init(&s->remote);
	s->hnext = pl->bucket[h & (pl->nbuckets - 1)];
	pl->bucket[h & (pl->nbuckets - 1)] = s;
	session_link_newest(pl, s);
	pl->nopen++;
	pl->stats.sessions++;
	if ((long)pl->nopen > pl->stats.peak_open_sessions)
		pl->stats.peak_open_sessions = (long)pl->nopen;
	return s;
}

/* The session of a row, made most recent; NULL for an empty id. */
static struct session *
session_touch(struct protolog *pl, const char *id)
{
	struct session	*s;
	uint32_t	 h;

	if (id == NULL)
		return NULL;
	h = hash_id(id);
	s = session_find(pl, id, h);
	if (s == NULL)
		return session_create(pl, id, h);
	if (s != pl->newest) {
		session_unlink(pl, s);
		session_link_newest(pl, s);
	}
	return s;
}

static void
sessions_free(struct protolog *pl)
{
	struct session	*s, *next;

	for (s = pl->oldest; s != NULL; s = next) {
		next = s->newer;
		session_free(s);
	}
	free(pl->bucket);
	pl->bucket = NULL;
	pl->nbuckets = pl->nopen = 0;
	pl->oldest = pl->newest = NULL;
}

/* ------------------------------------------------------------ the parser */

struct protolog *
protolog_new(const struct protolog_callbacks *cb)
{
	struct protolog	*pl = xcalloc(1, sizeof *pl);
	int		 i;

	if (cb != NULL)
		pl->cb = *cb;
	for (i = 0; i < NCOLUMNS; i++)
		pl->col[i] = -1;
	pl->max_open = PROTOLOG_MAX_SESSIONS;
	pl->stats.first = pl->stats.last = TIME_UNKNOWN;
	return pl;
}

void
protolog_set_max_sessions(struct protolog *pl, size_t n)
{
	pl->max_open = n ? n : 1;
	while (pl->nopen > pl->max_open)
		sessions_evict_oldest(pl);
}

const struct protolog_stats *
protolog_stats(const struct protolog *pl)
{
	return &pl->stats;
}

void
protolog_free(struct protolog *pl)
{
	if (pl == NULL)
		return;
	sessions_free(pl);
	free(pl->scratch);
	free(pl);
}

static void
report(struct protolog *pl, long line, const char *msg)
{
	if (pl->cb.diag != NULL)
		pl->cb.diag(pl->cb.arg, line, msg);
}

static void
bad_row(struct protolog *pl, long lineno, const char *why)
{
	char	msg[200];

	if (++pl->stats.bad_rows > PROTOLOG_BAD_ROWS_SHOWN)
		return;
	snprintf(msg, sizeof msg, "malformed row skipped: %s", why);
	report(pl, lineno, msg);
}

void
protolog_finish(struct protolog *pl)
{
	char	msg[160];

	if (pl->stats.bad_rows > PROTOLOG_BAD_ROWS_SHOWN) {
		snprintf(msg, sizeof msg, "%ld malformed rows skipped in all "
		    "(the first %d are listed)", pl->stats.bad_rows,
		    PROTOLOG_BAD_ROWS_SHOWN);
		report(pl, 0, msg);
	}
}

static void
copy_header_value(char *dst, size_t size, const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* "#Fields: date-time,connector-id,...": a new column map. */
static void
header_fields(struct protolog *pl, const char *v, size_t n)
{
	const char	*end = v + n, *p, *q;
	size_t		 idx = 0, len;
	int		 i;

	for (i = 0; i < NCOLUMNS; i++)
		pl->col[i] = -1;
	for (p = v; p <= end && idx < MAX_FIELDS; p = q + 1, idx++) {
		for (q = p; q < end && *q != ','; q++)
			;
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		len = (size_t)(q - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		for (i = 0; i < NCOLUMNS; i++)
			if (strlen(column_names[i]) == len &&
			    ascii_ncasecmp(p, column_names[i], len) == 0 &&
			    pl->col[i] < 0)
				pl->col[i] = (int)idx;
	}
	pl->nfields = idx;
}

static void
header_line(struct protolog *pl, const char *line, size_t len)
{
	const char	*colon = memchr(line, ':', len);
	const char	*v;
	size_t		 klen, vlen;

	if (colon == NULL)
		return;
	klen = (size_t)(colon - line);
	v = colon + 1;
	vlen = len - klen - 1;
	pl->stats.header_seen = true;
	if (klen == 9 && ascii_ncasecmp(line, "#Software", 9) == 0)
		copy_header_value(pl->stats.software, sizeof pl->stats.software, v, vlen);
	else if (klen == 8 && ascii_ncasecmp(line, "#Version", 8) == 0)
		copy_header_value(pl->stats.version, sizeof pl->stats.version, v, vlen);
	else if (klen == 9 && ascii_ncasecmp(line, "#Log-type", 9) == 0) {
		char	type[64];

		copy_header_value(type, sizeof type, v, vlen);
		if (ascii_strcasestr(type, "Receive") != NULL)
			pl->stats.direction = PROTOLOG_RECEIVE;
		else if (ascii_strcasestr(type, "Send") != NULL)
			pl->stats.direction = PROTOLOG_SEND;
	} else if (klen == 7 && ascii_ncasecmp(line, "#Fields", 7) == 0)
		header_fields(pl, v, vlen);
}

/* Rows before any #Fields line: the column order every version writes. */
static void
fields_assume_default(struct protolog *pl, long lineno)
{
	static const char def[] = "date-time,connector-id,session-id,"
	    "sequence-number,local-endpoint,remote-endpoint,event,data,context";

	header_fields(pl, def, sizeof def - 1);
	if (!pl->warned_no_fields) {
		pl->warned_no_fields = true;
		report(pl, lineno, "data rows before any #Fields line; "
		    "assuming the standard column order");
	}
}

/*
 * Splits one CSV row into pl->field[], unescaping quoted fields ("" is a
 * quote) into the scratch buffer. Returns NULL, or why the row is malformed.
 */
static const char *
row_split(struct protolog *pl, const char *line, size_t len)
{
	const char	*p = line, *end = line + len;
	char		*o;

	pl->scratch = xreallocarray_grow(pl->scratch, &pl->scratch_cap, len + 1, 1);
	o = pl->scratch;
	pl->nrow = 0;
	for (;;) {
		if (pl->nrow == MAX_FIELDS)
			return "too many fields";
		pl->field[pl->nrow++] = o;
		if (p < end && *p == '"') {
			for (p++;; p++) {
				if (p == end)
					return "unterminated quoted field";
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						*o++ = '"';
						p++;
						continue;
					}
					p++;
					break;
				}
				*o++ = *p;
			}
			if (p < end && *p != ',')
				return "text after a closing quote";
		} else {
			while (p < end && *p != ',')
				*o++ = *p++;
		}
		*o++ = '\0';
		if (p == end)
			return NULL;
		p++;	/* the comma */
	}
}

/* A column's value, NULL when absent from this log or empty. */
static const char *
col(const struct protolog *pl, enum column c)
{
	int	i = pl->col[c];

	if (i < 0 || (size_t)i >= pl->nrow || pl->field[i][0] == '\0')
		return NULL;
	return pl->field[i];
}

static bool
str_eq_trim_ci(const char *s, const char *word)
{
	size_t	n = strlen(word);

	while (*s == ' ')
		s++;
	if (ascii_ncasecmp(s, word, n) != 0)
		return false;
	for (s += n; *s == ' '; s++)
		;
	return *s == '\0';
}

/* "SP_PROT_TLS1_2_CLIENT" -> "TLS1_2"; 0x800 -> "TLS1_2"; *side 'C'/'S'. */
static void
protocol_name(const char *tok, size_t n, char *out, size_t size, char *side)
{
	static const struct { long v; const char *name; char side; } prot[] = {
		{ 0x10, "SSL3", 'S' }, { 0x20, "SSL3", 'C' },
		{ 0x40, "TLS1_0", 'S' }, { 0x80, "TLS1_0", 'C' },
		{ 0x100, "TLS1_1", 'S' }, { 0x200, "TLS1_1", 'C' },
		{ 0x400, "TLS1_2", 'S' }, { 0x800, "TLS1_2", 'C' },
		{ 0x1000, "TLS1_3", 'S' }, { 0x2000, "TLS1_3", 'C' },
	};
	char	 buf[64];
	char	*end;
	long	 v;
	size_t	 i, len;

	*side = 0;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, tok, n);
	buf[n] = '\0';
	if (buf[0] >= '0' && buf[0] <= '9') {
		/* Builds that do not know TLS 1.3 by name print the number. */
		v = strtol(buf, &end, 0);
		for (i = 0; *end == '\0' && i < sizeof prot / sizeof prot[0]; i++) {
			if (prot[i].v == v) {
				snprintf(out, size, "%s", prot[i].name);
				*side = prot[i].side;
				return;
			}
		}
		snprintf(out, size, "%s", buf);
		return;
	}
	tok = buf;
	if (ascii_ncasecmp(tok, "SP_PROT_", 8) == 0)
		tok += 8;
	len = strlen(tok);
	if (len > 7 && ascii_casecmp(tok + len - 7, "_CLIENT") == 0) {
		*side = 'C';
		len -= 7;
	} else if (len > 7 && ascii_casecmp(tok + len - 7, "_SERVER") == 0) {
		*side = 'S';
		len -= 7;
	}
	if (len >= size)
		len = size - 1;
	memcpy(out, tok, len);
	out[len] = '\0';
}

/* The row as written, cut at a character boundary, for sample text. */
static const char *
row_sample(struct protolog *pl, const char *line, size_t len)
{
	if (len > PROTOLOG_SAMPLE_MAX) {
		len = PROTOLOG_SAMPLE_MAX;
		while (len > 0 && ((unsigned char)line[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(pl->sample, line, len);
	pl->sample[len] = '\0';
	return pl->sample;
}

/*
 * Send or receive: the #Log-type line says; without it the SSPI protocol
 * name (_CLIENT on send, _SERVER on receive) does, then the connector-id
 * form (receive logs write SERVER\Connector).
 */
static bool
row_is_receive(const struct protolog *pl, char side, const char *connector)
{
	if (pl->stats.direction != PROTOLOG_DIR_UNKNOWN)
		return pl->stats.direction == PROTOLOG_RECEIVE;
	if (side != 0)
		return side == 'S';
	return connector != NULL && strchr(connector, '\\') != NULL;
}

static void
tls_outcome(struct protolog *pl, struct session *s, const char *context,
    int64_t time, long lineno, const char *line, size_t len)
{
	struct protolog_tls	 e;
	char			 proto[64], error[64], side = 0;
	const char		*p, *q;

	memset(&e, 0, sizeof e);
	e.connector = col(pl, COL_CONNECTOR);
	e.session = col(pl, COL_SESSION);
	e.remote_endpoint = col(pl, COL_REMOTE);
	e.time = time;
	e.line = lineno;
	if (ascii_startswith_ci(context, "TLS protocol ")) {
		e.ok = true;
		for (p = context + 13; *p == ' '; p++)
			;
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		if (q > p) {
			protocol_name(p, (size_t)(q - p), proto, sizeof proto, &side);
			e.protocol = proto;
		}
		pl->stats.tls_ok++;
	} else {
		p = ascii_strcasestr(context, " error");
		if (p != NULL) {
			for (p += 6; *p == ' ' || *p == ':'; p++)
				;
			for (q = p; *q != '\0' && *q != ' ' && *q != ',' &&
			    *q != ';' && *q != '.'; q++)
				;
			if (q > p && (size_t)(q - p) < sizeof error) {
				memcpy(error, p, (size_t)(q - p));
				error[q - p] = '\0';
				e.error = error;
			}
		}
		pl->stats.tls_failed++;
	}
	e.receive = row_is_receive(pl, side, e.connector);
	if (s != NULL) {
		e.local = cert_is_empty(&s->local) ? NULL : &s->local;
		e.remote = cert_is_empty(&s->remote) ? NULL : &s->remote;
	}
	e.text = row_sample(pl, line, len);
	if (pl->cb.tls != NULL)
		pl->cb.tls(pl->cb.arg, &e);
}

static void
connect_failure(struct protolog *pl, const char *what, int64_t time,
    long lineno, const char *line, size_t len)
{
	struct protolog_connect_failure	 f;
	const char			*p;
	char				*end;

	memset(&f, 0, sizeof f);
	f.connector = col(pl, COL_CONNECTOR);
	f.session = col(pl, COL_SESSION);
	f.remote_endpoint = col(pl, COL_REMOTE);
	f.winsock_error = -1;
	p = ascii_strcasestr(what, "Winsock error code");
	if (p != NULL) {
		for (p += 18; *p == ' ' || *p == ':'; p++)
			;
		f.winsock_error = strtol(p, &end, 10);
		if (end == p || f.winsock_error < 0)
			f.winsock_error = -1;
	}
	f.time = time;
	f.line = lineno;
	f.text = row_sample(pl, line, len);
	pl->stats.connect_failures++;
	if (pl->cb.connect_failure != NULL)
		pl->cb.connect_failure(pl->cb.arg, &f);
}

/* Multi-row block label ("Certificate thumbprint") into the target. */
static bool
cert_label(struct session *s, const char *context, const char *data)
{
	static const struct { const char *label; int field; } labels[] = {
		{ "Certificate subject", 0 },
		{ "Certificate issuer name", 1 },
		{ "Certificate serial number", 2 },
		{ "Certificate thumbprint", 3 },
		{ "Certificate alternate names", 4 },
	};
	struct protolog_cert	*c;
	size_t			 i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (str_eq_trim_ci(context, labels[i].label))
			break;
	if (i == sizeof labels / sizeof labels[0])
		return false;
	/* Without its header row a block cannot be told local or remote. */
	if (s == NULL || s->target == TARGET_NONE || data == NULL)
		return true;
	c = s->target == TARGET_LOCAL ? &s->local : &s->remote;
	switch (labels[i].field) {
	case 0:
		set_field(&c->subject, data, false);
		break;
	case 1:
		set_field(&c->issuer, data, false);
		break;
	case 2:
		set_field(&c->serial, data, true);
		break;
	case 3:
		set_field(&c->thumbprint, data, true);
		break;
	default:
		set_field(&c->sans, data, false);
		break;
	}
	return true;
}

/* Which side a certificate header names: "Sending certificate..." etc. */
static enum cert_target
cert_header(const char *context, const char **rest)
{
	static const struct { const char *prefix; enum cert_target t; } h[] = {
		{ "Sending certificate", TARGET_LOCAL },
		{ "Remote certificate", TARGET_REMOTE },
		{ "Received certificate", TARGET_REMOTE },
	};
	size_t	i, n;

	while (*context == ' ')
		context++;
	for (i = 0; i < sizeof h / sizeof h[0]; i++) {
		n = strlen(h[i].prefix);
		if (ascii_ncasecmp(context, h[i].prefix, n) == 0 &&
		    (context[n] == '\0' || context[n] == ' ')) {
			for (*rest = context + n; **rest == ' '; (*rest)++)
				;
			return h[i].t;
		}
	}
	return TARGET_NONE;
}

static bool
cert_row(struct protolog *pl, struct session *s, const char *context,
    const char *data)
{
	struct protolog_cert	*c, parsed;
	enum cert_target	 t;
	const char		*rest;

	t = cert_header(context, &rest);
	if (t == TARGET_NONE)
		return cert_label(s, context, data);
	if (s == NULL)
		return true;
	c = t == TARGET_LOCAL ? &s->local : &s->remote;
	protolog_cert_clear(c);
	if (*rest == '\0' && data == NULL) {
		/* Shape 1: the labelled rows that follow fill it. */
		s->target = t;
		return true;
	}
	/* Shapes 2 and 3: everything on this row. */
	s->target = TARGET_NONE;
	if (data == NULL)
		return true;
	if (!protolog_cert_parse_row(data, ascii_strcasestr(rest, "Not before") != NULL,
	    &parsed)) {
		pl->stats.certs_unparsed++;
		return true;
	}
	*c = parsed;
	return true;
}

static void
data_row(struct protolog *pl, const char *line, size_t len, long lineno)
{
	const char	*why, *event, *context, *data, *sid;
	struct session	*s;
	int64_t		 t = TIME_UNKNOWN;

	if (len > PROTOLOG_LINE_MAX) {
		bad_row(pl, lineno, "line too long");
		return;
	}
	if (pl->nfields == 0)
		fields_assume_default(pl, lineno);
	why = row_split(pl, line, len);
	if (why == NULL && pl->nrow != pl->nfields)
		why = "field count differs from #Fields";
	if (why != NULL) {
		bad_row(pl, lineno, why);
		return;
	}
	pl->stats.rows++;
	if (col(pl, COL_DATE_TIME) != NULL &&
	    date_parse_iso(col(pl, COL_DATE_TIME), &t)) {
		if (pl->stats.first == TIME_UNKNOWN || t < pl->stats.first)
			pl->stats.first = t;
		if (pl->stats.last == TIME_UNKNOWN || t > pl->stats.last)
			pl->stats.last = t;
	}
	event = col(pl, COL_EVENT);
	context = col(pl, COL_CONTEXT);
	data = col(pl, COL_DATA);
	sid = col(pl, COL_SESSION);

	if (event != NULL && event[0] == '-' && event[1] == '\0') {
		/* The session ends: forget it (counting it if never seen). */
		s = session_touch(pl, sid);
		if (s != NULL)
			session_remove(pl, s);
		return;
	}
	s = session_touch(pl, sid);
	if (event != NULL && event[0] == '+' && event[1] == '\0' && s != NULL) {
		/* A new connection reusing an id starts clean. */
		protolog_cert_clear(&s->local);
		protolog_cert_clear(&s->remote);
		s->target = TARGET_NONE;
	}
	if (context != NULL) {
		if (ascii_startswith_ci(context, "TLS protocol ") &&
		    ascii_strcasestr(context, "negotiation succeeded") != NULL) {
			tls_outcome(pl, s, context, t, lineno, line, len);
			return;
		}
		if (ascii_startswith_ci(context, "TLS negotiation failed")) {
			tls_outcome(pl, s, context, t, lineno, line, len);
			return;
		}
		if (cert_row(pl, s, context, data))
			return;
		if (ascii_strcasestr(context, "Failed to connect. Winsock error") != NULL) {
			connect_failure(pl, context, t, lineno, line, len);
			return;
		}
	}
	if (data != NULL &&
	    ascii_strcasestr(data, "Failed to connect. Winsock error") != NULL)
		connect_failure(pl, data, t, lineno, line, len);
}

static bool
line_is_blank(const char *line, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return false;
	return true;
}

void
protolog_line(struct protolog *pl, const char *line, size_t len, long lineno)
{
	/* A stray byte-order mark on the first line is not data. */
	if (lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
		line += 3;
		len -= 3;
	}
	if (len == 0 || line_is_blank(line, len))
		return;
	if (line[0] == '#') {
		header_line(pl, line, len);
		return;
	}
	data_row(pl, line, len, lineno);
}

void
protolog_parse(const char *text, size_t len, const struct protolog_callbacks *cb,
    struct protolog_stats *stats)
{
	struct protolog		*pl = protolog_new(cb);
	struct line_iter	 it;
	const char		*line;
	size_t			 n;

	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &line, &n))
		protolog_line(pl, line, n, it.lineno);
	protolog_finish(pl);
	if (stats != NULL)
		*stats = pl->stats;
	protolog_free(pl);
}

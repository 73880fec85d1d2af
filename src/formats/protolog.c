/*
 * Streaming SMTP protocol log parser: CSV rows under #Fields headers,
 * per-session state, TLS outcomes, connect failures and error responses.
 *
 * A row is first cut into fields in place (memchr over the commas, quotes
 * honoured); only rows whose event or first data bytes say they matter are
 * unescaped and read closely. Sessions are keyed by their 16-hex id read as
 * a number.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/evidence.h"
#include "protolog.h"
#include "util/text.h"
#include "util/util.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define HAVE_SSE2_ROWS	1
#endif

#define MAX_FIELDS	64
#define TIME_TEXT_MAX	40

/* The columns the parser reads; others in #Fields are skipped. */
enum column {
	COL_DATE_TIME, COL_CONNECTOR, COL_SESSION, COL_LOCAL, COL_REMOTE,
	COL_EVENT, COL_DATA, COL_CONTEXT, NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"date-time", "connector-id", "session-id", "local-endpoint",
	"remote-endpoint", "event", "data", "context"
};

/* One-row certificate texts remembered, parsed, per side. */
#define CERT_MEMO	8

/*
 * A certificate as sessions hold it: one-row certificates are shared by the
 * memo and every session that logged the same text, and copied only when a
 * labelled row (shape 1) writes to one.
 */
struct cert_ref {
	unsigned		 refs;
	struct protolog_cert	 c;
};

struct cert_memo {
	char			*text;		/* NULL: unused */
	size_t			 len;
	bool			 dated;
	struct cert_ref		*ref;
};

/* Where a multi-row certificate block is going. */
enum cert_target { TARGET_NONE, TARGET_LOCAL, TARGET_REMOTE };

struct session {
	uint64_t		 key;
	struct session		*hnext;		/* bucket chain */
	struct session		*older;		/* open: activity order; closed: closing order */
	struct session		*newer;
	bool			 closed;
	bool			 receive;
	bool			 starttls;
	bool			 anontls;
	int			 tls;
	enum cert_target	 target;
	char			*connector;
	char			*remote;
	const char		*source;	/* interned in the parser */
	long			 line;
	int64_t			 first;
	struct cert_ref		*local;		/* NULL: none logged */
	struct cert_ref		*remote_cert;
};

/* One field of the current row, as it lies in the line. */
struct rawfield {
	const char	*p;
	size_t		 n;
	bool		 quoted;	/* p/n exclude the quotes; "" may be inside */
};

struct protolog {
	struct protolog_callbacks cb;
	struct protolog_stats	 stats;

	int			 col[NCOLUMNS];	/* index in a row, -1 absent */
	size_t			 nfields;	/* 0: no #Fields line yet */
	bool			 warned_no_fields;

	/* The current row: raw fields, and the unescaped ones asked for. */
	struct rawfield		 raw[MAX_FIELDS + 16];	/* see row_cut_plain */
	size_t			 nrow;
	char			*val[NCOLUMNS];	/* NUL-terminated copies, or NULL */
	size_t			 val_cap[NCOLUMNS];
	bool			 have[NCOLUMNS];
	char			 sample[PROTOLOG_SAMPLE_MAX + 1];

	/* Earliest and latest date-time of the file, as written. */
	char			 first_text[TIME_TEXT_MAX];
	char			 last_text[TIME_TEXT_MAX];
	size_t			 first_len, last_len;

	/* Sessions: a hash table, the open ones by activity, the closed by age. */
	struct session		**bucket;
	size_t			 nbuckets;
	size_t			 nopen, nclosed, nall;
	size_t			 max_open;
	struct session		*oldest;
	struct session		*newest;
	struct session		*closed_oldest;
	struct session		*closed_newest;
	struct session		*last;		/* of the previous row */
	char			 last_id[32];	/* its id as written */
	size_t			 last_id_len;	/* 0: none (or too long to keep) */

	/*
	 * The last one-row certificates of each side, parsed: sessions repeat
	 * them (the local one, and the few the remote servers present).
	 */
	struct cert_memo	 cert_memo[2][CERT_MEMO];
	unsigned		 cert_memo_next[2];

	/* File names handed to protolog_begin, kept for session samples. */
	struct strlist		 sources;
	const char		*source;
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

static struct cert_ref *
cert_ref_new(void)
{
	struct cert_ref	*r = xmalloc(sizeof *r);

	r->refs = 1;
	protolog_cert_init(&r->c);
	return r;
}

static struct cert_ref *
cert_ref_get(struct cert_ref *r)
{
	if (r != NULL)
		r->refs++;
	return r;
}

/* Lets go of *rp, which is left NULL. */
static void
cert_ref_put(struct cert_ref **rp)
{
	struct cert_ref	*r = *rp;

	*rp = NULL;
	if (r != NULL && --r->refs == 0) {
		protolog_cert_clear(&r->c);
		free(r);
	}
}

static void	cert_copy(struct protolog_cert *, const struct protolog_cert *);

/* The certificate *rp as its holder's own to write: a copy when shared. */
static struct protolog_cert *
cert_ref_own(struct cert_ref **rp)
{
	struct cert_ref	*r = *rp;

	if (r == NULL)
		*rp = r = cert_ref_new();
	else if (r->refs > 1) {
		*rp = cert_ref_new();
		cert_copy(&(*rp)->c, &r->c);
		r->refs--;
		r = *rp;
	}
	return &r->c;
}

/* A certificate to report: NULL when none, or nothing of it, was logged. */
static const struct protolog_cert *
cert_ref_cert(const struct cert_ref *r)
{
	return r != NULL && !cert_is_empty(&r->c) ? &r->c : NULL;
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

/* Hex digit values plus one; 0 for anything else. */
static const unsigned char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

static uint64_t
session_key(const char *p, size_t n)
{
	uint64_t	h = 0;
	unsigned	bad = 0, d;
	size_t		i;

	if (n == 16) {
		for (i = 0; i < 16; i++) {
			d = hexval[(unsigned char)p[i]];
			bad |= d == 0;
			h = h << 4 | ((d - 1) & 15);
		}
		if (!bad)
			return h;
	}
	/* Not the usual 16 hex digits: FNV-1a, kept apart by its top bit. */
	h = 1469598103934665603ull;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h | 1ull << 63;
}

static size_t
bucket_of(const struct protolog *pl, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (pl->nbuckets - 1);
}

static void
list_unlink(struct session **oldest, struct session **newest, struct session *s)
{
	if (s->older != NULL)
		s->older->newer = s->newer;
	else
		*oldest = s->newer;
	if (s->newer != NULL)
		s->newer->older = s->older;
	else
		*newest = s->older;
	s->older = s->newer = NULL;
}

static void
list_append(struct session **oldest, struct session **newest, struct session *s)
{
	s->older = *newest;
	s->newer = NULL;
	if (*newest != NULL)
		(*newest)->newer = s;
	else
		*oldest = s;
	*newest = s;
}

/* Frees what a session holds beyond its key. */
static void
session_strip(struct session *s)
{
	free(s->connector);
	free(s->remote);
	s->connector = s->remote = NULL;
	cert_ref_put(&s->local);
	cert_ref_put(&s->remote_cert);
	s->target = TARGET_NONE;
}

static void
session_report(struct protolog *pl, struct session *s)
{
	struct protolog_session	r;

	if (pl->cb.session == NULL)
		return;
	r.receive = s->receive;
	r.connector = s->connector;
	r.remote_endpoint = s->remote;
	r.starttls_offered = s->starttls;
	r.anonymous_tls_offered = s->anontls;
	r.tls = s->tls;
	r.closed = s->closed;
	r.first = s->first;
	r.source = s->source;
	r.line = s->line;
	pl->cb.session(pl->cb.arg, &r);
}

static void
session_delete(struct protolog *pl, struct session *s)
{
	struct session	**pp = &pl->bucket[bucket_of(pl, s->key)];

	while (*pp != s)
		pp = &(*pp)->hnext;
	*pp = s->hnext;
	if (s->closed) {
		list_unlink(&pl->closed_oldest, &pl->closed_newest, s);
		pl->nclosed--;
	} else {
		list_unlink(&pl->oldest, &pl->newest, s);
		pl->nopen--;
	}
	pl->nall--;
	if (pl->last == s)
		pl->last = NULL;
	session_strip(s);
	free(s);
}

/* The session ends: reported, stripped, remembered as closed. */
static void
session_close(struct protolog *pl, struct session *s)
{
	s->closed = true;
	session_report(pl, s);
	session_strip(s);
	list_unlink(&pl->oldest, &pl->newest, s);
	pl->nopen--;
	list_append(&pl->closed_oldest, &pl->closed_newest, s);
	pl->nclosed++;
	while (pl->nclosed > PROTOLOG_CLOSED_KEPT)
		session_delete(pl, pl->closed_oldest);
}

static void
sessions_rehash(struct protolog *pl)
{
	struct session	**ob = pl->bucket, *s, *next;
	size_t		  on = pl->nbuckets, i, b;

	pl->nbuckets = on ? on * 2 : 1024;
	pl->bucket = xcalloc(pl->nbuckets, sizeof *pl->bucket);
	for (i = 0; i < on; i++) {
		for (s = ob[i]; s != NULL; s = next) {
			next = s->hnext;
			b = bucket_of(pl, s->key);
			s->hnext = pl->bucket[b];
			pl->bucket[b] = s;
		}
	}
	free(ob);
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
	/* Forgotten, not closed: it is still counted once. */
	session_close(pl, pl->oldest);
}

static struct session *
session_find(struct protolog *pl, uint64_t key)
{
	struct session	*s;

	if (pl->nbuckets == 0)
		return NULL;
	for (s = pl->bucket[bucket_of(pl, key)]; s != NULL; s = s->hnext)
		if (s->key == key)
			return s;
	return NULL;
}

static struct session *
session_create(struct protolog *pl, uint64_t key)
{
	struct session	*s;
	size_t		 b;

	while (pl->nopen >= pl->max_open && pl->oldest != NULL)
		sessions_evict_oldest(pl);
	if (pl->nall + 1 > pl->nbuckets)
		sessions_rehash(pl);
	s = xcalloc(1, sizeof *s);
	s->key = key;
	s->first = TIME_UNKNOWN;
	b = bucket_of(pl, key);
	s->hnext = pl->bucket[b];
	pl->bucket[b] = s;
	list_append(&pl->oldest, &pl->newest, s);
	pl->nopen++;
	pl->nall++;
	pl->stats.sessions++;
	if ((long)pl->nopen > pl->stats.peak_open_sessions)
		pl->stats.peak_open_sessions = (long)pl->nopen;
	return s;
}

static void
sessions_free(struct protolog *pl)
{
	while (pl->oldest != NULL)
		session_delete(pl, pl->oldest);
	while (pl->closed_oldest != NULL)
		session_delete(pl, pl->closed_oldest);
	free(pl->bucket);
	pl->bucket = NULL;
	pl->nbuckets = 0;
}

void
protolog_forget_closed(struct protolog *pl)
{
	while (pl->closed_oldest != NULL)
		session_delete(pl, pl->closed_oldest);
}

void
protolog_end_sessions(struct protolog *pl)
{
	struct session	*s;

	for (s = pl->oldest; s != NULL; s = s->newer)
		session_report(pl, s);
	while (pl->oldest != NULL)
		session_delete(pl, pl->oldest);
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
protolog_begin(struct protolog *pl, const char *source)
{
	int	i;

	memset(&pl->stats, 0, sizeof pl->stats);
	pl->stats.first = pl->stats.last = TIME_UNKNOWN;
	for (i = 0; i < NCOLUMNS; i++)
		pl->col[i] = -1;
	pl->nfields = 0;
	pl->warned_no_fields = false;
	pl->first_len = pl->last_len = 0;
	pl->source = NULL;
	if (source != NULL) {
		strlist_add(&pl->sources, source);
		pl->source = pl->sources.v[pl->sources.n - 1];
	}
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
	int	i, j;

	if (pl == NULL)
		return;
	sessions_free(pl);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < CERT_MEMO; j++) {
			free(pl->cert_memo[i][j].text);
			cert_ref_put(&pl->cert_memo[i][j].ref);
		}
	}
	for (i = 0; i < NCOLUMNS; i++)
		free(pl->val[i]);
	strlist_free(&pl->sources);
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

static int64_t
time_of_text(const char *p, size_t n)
{
	char	tmp[TIME_TEXT_MAX + 1];
	int64_t	t;

	if (n == 0 || n > TIME_TEXT_MAX)
		return TIME_UNKNOWN;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return date_parse_iso(tmp, &t) ? t : TIME_UNKNOWN;
}

void
protolog_finish(struct protolog *pl)
{
	char	msg[160];

	pl->stats.first = time_of_text(pl->first_text, pl->first_len);
	pl->stats.last = time_of_text(pl->last_text, pl->last_len);
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
		pl->stats.headerless = true;
		if (pl->cb.info != NULL)
			pl->cb.info(pl->cb.arg, lineno, "rows without a #Fields "
			    "header; read in the standard column order "
			    "(date-time,connector-id,session-id,...)");
	}
}

/*
 * The next comma in [p, end), or end. Fields are short (15 bytes on
 * average), so a call to memchr per field costs more than the search:
 * eight bytes at a time, the lowest byte equal to ',' found with the
 * "has zero byte" bit trick (exact for the lowest match, which is all that
 * is used).
 */
static const char *
next_comma(const char *p, const char *end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t	ones = 0x0101010101010101ull;
	const uint64_t	high = 0x8080808080808080ull;
	uint64_t	w, x;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		x = w ^ (ones * ',');
		x = (x - ones) & ~x & high;
		if (x != 0)
			return p + (__builtin_ctzll(x) >> 3);
		p += 8;
	}
	while (p < end && *p != ',')
		p++;
	return p;
#else
	const char	*q = memchr(p, ',', (size_t)(end - p));

	return q != NULL ? q : end;
#endif
}

/*
 * A row without any quote, the usual case, is cut in one pass that looks
 * at 16 bytes at a time (SSE2, part of every x86-64): the commas are found
 * as a bit mask and the fields read off it. Returns false when the row
 * holds a quote or is shorter than 16 bytes (left to row_cut_quoted), true
 * when cut; *why is set when it has too many fields.
 */
static bool
row_cut_plain(struct protolog *pl, const char *line, size_t len,
    const char **why)
{
#ifdef HAVE_SSE2_ROWS
	const __m128i	 comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
	const char	*p = line, *end = line + len, *start = line, *c;
	struct rawfield	*f = pl->raw;
	size_t		 nrow = 0;
	unsigned	 cm, qm, shift = 0;
	__m128i		 v;

	*why = NULL;
	if (len < 16)
		return false;
	for (; p < end; p += 16) {
		if (end - p >= 16)
			v = _mm_loadu_si128((const __m128i *)(const void *)p);
		else {
			/* The row's last 16 bytes, less those already seen. */
			v = _mm_loadu_si128((const __m128i *)(const void *)(end - 16));
			shift = 16 - (unsigned)(end - p);
		}
		cm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) >> shift;
		qm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) >> shift;
		if (qm != 0)
			return false;
		/* Written ahead of the count check: raw has room for 16 more. */
		while (cm != 0) {
			c = p + __builtin_ctz(cm);
			cm &= cm - 1;
			f[nrow].p = start;
			f[nrow].n = (size_t)(c - start);
			f[nrow].quoted = false;
			nrow++;
			start = c + 1;
		}
		if (nrow >= MAX_FIELDS) {
			pl->nrow = MAX_FIELDS;
			*why = "too many fields";
			return true;
		}
	}
	f[nrow].p = start;
	f[nrow].n = (size_t)(end - start);
	f[nrow].quoted = false;
	pl->nrow = nrow + 1;
	return true;
#else
	(void)pl;
	(void)line;
	(void)len;
	(void)why;
	return false;
#endif
}

/*
 * Cuts one CSV row into raw fields, in place: memchr finds the commas, a
 * field that starts with a quote runs to its closing quote ("" is a quote).
 * Returns NULL, or why the row is malformed.
 */
static const char *
row_cut_quoted(struct protolog *pl, const char *line, size_t len)
{
	const char	*p = line, *end = line + len, *q;
	struct rawfield	*f;

	pl->nrow = 0;
	for (;;) {
		if (pl->nrow == MAX_FIELDS)
			return "too many fields";
		f = &pl->raw[pl->nrow++];
		if (p < end && *p == '"') {
			f->quoted = true;
			f->p = ++p;
			for (;;) {
				q = memchr(p, '"', (size_t)(end - p));
				if (q == NULL)
					return "unterminated quoted field";
				if (q + 1 < end && q[1] == '"') {
					p = q + 2;
					continue;
				}
				break;
			}
			f->n = (size_t)(q - f->p);
			p = q + 1;
			if (p < end && *p != ',')
				return "text after a closing quote";
		} else {
			f->quoted = false;
			f->p = p;
			p = next_comma(p, end);
			f->n = (size_t)(p - f->p);
		}
		if (p == end)
			return NULL;
		p++;	/* the comma */
	}
}

static const char *
row_cut(struct protolog *pl, const char *line, size_t len)
{
	const char	*why;
	int		 i;

	for (i = 0; i < NCOLUMNS; i++)
		pl->have[i] = false;
	if (row_cut_plain(pl, line, len, &why))
		return why;
	return row_cut_quoted(pl, line, len);
}

/* A column's raw field; NULL when absent from this log. */
static const struct rawfield *
raw(const struct protolog *pl, enum column c)
{
	int	i = pl->col[c];

	if (i < 0 || (size_t)i >= pl->nrow)
		return NULL;
	return &pl->raw[i];
}

/* A column's value, unescaped and NUL-terminated; NULL when absent or empty. */
static const char *
col(struct protolog *pl, enum column c)
{
	const struct rawfield	*f = raw(pl, c);
	const char		*p, *end;
	char			*o;

	if (f == NULL || f->n == 0)
		return NULL;
	if (pl->have[c])
		return pl->val[c];
	pl->val[c] = xreallocarray_grow(pl->val[c], &pl->val_cap[c], f->n + 1, 1);
	o = pl->val[c];
	if (!f->quoted) {
		memcpy(o, f->p, f->n);
		o += f->n;
	} else {
		/* Runs between quotes are copied whole; "" becomes ". */
		for (p = f->p, end = f->p + f->n; p < end; ) {
			const char	*q = memchr(p, '"', (size_t)(end - p));
			size_t		 run = (size_t)((q != NULL ? q + 1 : end) - p);

			memcpy(o, p, run);
			o += run;
			p += run + (q != NULL);	/* skips the second of "" */
		}
	}
	*o = '\0';
	pl->have[c] = true;
	return pl->val[c];
}

/*
 * A word searched for in every row of some kind, with the two of its bytes
 * that candidates are screened by: a rare one (its "anchor") and another.
 * Any two give the same answers; rare ones give fewer candidates.
 */
struct word {
	const char	*s;
	size_t		 n;
	size_t		 a, b;
};

static const struct word word_certificate = { "ertificate", 10, 4, 9 };	/* f, e */
static const struct word word_failed = { "Failed to connect", 17, 0, 16 };	/* F, t */
static const struct word word_starttls = { "STARTTLS", 8, 0, 7 };
static const struct word word_anontls = { "X-ANONYMOUSTLS", 14, 0, 13 };

/*
 * memmem() without relying on the GNU extension. Candidates are where both
 * screening bytes sit at the right distance, found 16 positions at a time
 * with SSE2; only those are compared.
 */
static const char *
find_bytes(const char *p, size_t n, const struct word *w)
{
	const size_t	wn = w->n, a = w->a, b = w->b;
	size_t		i = 0;
#ifdef HAVE_SSE2_ROWS
	__m128i		va, vb, x, y;
	unsigned	m;
#endif

	if (wn > n)
		return NULL;
#ifdef HAVE_SSE2_ROWS
	va = _mm_set1_epi8(w->s[a]);
	vb = _mm_set1_epi8(w->s[b]);
	/* Both loads stay below p + n: a, b < wn. */
	for (; i + wn - 1 + 16 <= n; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(p + i + a));
		y = _mm_loadu_si128((const __m128i *)(const void *)(p + i + b));
		m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(y, vb)));
		for (; m != 0; m &= m - 1)
			if (memcmp(p + i + __builtin_ctz(m), w->s, wn) == 0)
				return p + i + __builtin_ctz(m);
	}
#endif
	for (; i + wn <= n; i++)
		if (p[i + a] == w->s[a] && p[i + b] == w->s[b] &&
		    memcmp(p + i, w->s, wn) == 0)
			return p + i;
	return NULL;
}

/*
 * strcasestr() over [s, s+n): positions where the first two bytes, ORed
 * with 0x20, equal the word's so are screened 16 at a time, then compared.
 */
static const char *
ci_find(const char *s, size_t n, const char *word)
{
	size_t		wn = strlen(word), i = 0, j;
	unsigned char	c0 = (unsigned char)word[0] | 0x20;
#ifdef HAVE_SSE2_ROWS
	const __m128i	v20 = _mm_set1_epi8(0x20), vc = _mm_set1_epi8((char)c0);
	const __m128i	vd = _mm_set1_epi8((char)((unsigned char)word[1] | 0x20));
	unsigned	m;

	for (; wn >= 2 && i + 17 <= n; i += 16) {
		m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(
		    (const __m128i *)(const void *)(s + i)), v20), vc),
		    _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(
		    (const __m128i *)(const void *)(s + i + 1)), v20), vd)));
		for (; m != 0; m &= m - 1) {
			j = i + (size_t)__builtin_ctz(m);
			if (j + wn > n)
				return NULL;
			if (ascii_ncasecmp(s + j, word, wn) == 0)
				return s + j;
		}
	}
#endif
	for (j = i; j + wn <= n; j++)
		if (((unsigned char)s[j] | 0x20) == c0 &&
		    ascii_ncasecmp(s + j, word, wn) == 0)
			return s + j;
	return NULL;
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

/*
 * The algorithm a success row names after `label` ("bulk encryption
 * algorithm CALG_AES_256 with ..."), without Schannel's CALG_ prefix,
 * appended to `out` after a comma when `out` has one already. The labels
 * come in a fixed order, as Exchange formats them: each search starts
 * where the previous one ended (*from) and is a plain strstr, since this
 * runs on every success row.
 */
static void
cipher_part(const char **from, const char *label, char *out, size_t size)
{
	const char	*p, *q;
	size_t		 used = strlen(out), n;

	if ((p = strstr(*from, label)) == NULL)
		return;
	for (p += strlen(label); *p == ' '; p++)
		;
	if (strncmp(p, "CALG_", 5) == 0)
		p += 5;
	for (q = p; *q != '\0' && *q != ' ' && *q != ',' && *q != '"'; q++)
		;
	*from = q;
	n = (size_t)(q - p);
	if (n == 0 || used + n + 3 > size)
		return;
	if (used > 0) {
		memcpy(out + used, ", ", 2);
		used += 2;
	}
	memcpy(out + used, p, n);
	out[used + n] = '\0';
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

static int64_t
row_time(struct protolog *pl)
{
	const char	*v = col(pl, COL_DATE_TIME);
	int64_t		 t;

	return v != NULL && date_parse_iso(v, &t) ? t : TIME_UNKNOWN;
}

static void
tls_outcome(struct protolog *pl, struct session *s, const char *context,
    long lineno, const char *line, size_t len)
{
	struct protolog_tls	 e;
	char			 proto[64], error[64], cipher[96], side = 0;
	const char		*p, *q, *from;

	memset(&e, 0, sizeof e);
	e.connector = col(pl, COL_CONNECTOR);
	e.session = col(pl, COL_SESSION);
	e.remote_endpoint = col(pl, COL_REMOTE);
	e.time = row_time(pl);
	e.line = lineno;
	e.source = pl->source;
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
		/* Read only here, on the one success row of a session. */
		cipher[0] = '\0';
		from = q;
		cipher_part(&from, "bulk encryption algorithm ", cipher,
		    sizeof cipher);
		cipher_part(&from, "MAC hash algorithm ", cipher, sizeof cipher);
		cipher_part(&from, "key exchange algorithm ", cipher,
		    sizeof cipher);
		if (cipher[0] != '\0')
			e.cipher = cipher;
		pl->stats.tls_ok++;
	} else {
		p = ci_find(context, strlen(context), " error");
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
		e.local = cert_ref_cert(s->local);
		e.remote = cert_ref_cert(s->remote_cert);
		s->tls = e.ok ? 1 : -1;
		s->receive = e.receive;
	}
	e.text = row_sample(pl, line, len);
	if (pl->cb.tls != NULL)
		pl->cb.tls(pl->cb.arg, &e);
}

static void
connect_failure(struct protolog *pl, const char *what, long lineno,
    const char *line, size_t len)
{
	struct protolog_connect_failure	 f;
	const char			*p, *q;
	char				*end, dest[256];

	memset(&f, 0, sizeof f);
	f.connector = col(pl, COL_CONNECTOR);
	f.session = col(pl, COL_SESSION);
	f.remote_endpoint = col(pl, COL_REMOTE);
	f.receive = row_is_receive(pl, 0, f.connector);
	f.winsock_error = -1;
	p = ascii_strcasestr(what, "Winsock error code");
	if (p != NULL) {
		for (p += 18; *p == ' ' || *p == ':'; p++)
			;
		f.winsock_error = strtol(p, &end, 10);
		if (end == p || f.winsock_error < 0)
			f.winsock_error = -1;
	}
	p = ascii_strcasestr(what, "Destination domain");
	if (p != NULL) {
		for (p += 18; *p == ' ' || *p == ':'; p++)
			;
		for (q = p; *q != '\0' && *q != ','; q++)
			;
		while (q > p && q[-1] == ' ')
			q--;
		if (q > p && (size_t)(q - p) < sizeof dest) {
			memcpy(dest, p, (size_t)(q - p));
			dest[q - p] = '\0';
			f.destination = dest;
		}
	}
	f.time = row_time(pl);
	f.line = lineno;
	f.text = row_sample(pl, line, len);
	f.source = pl->source;
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
	c = cert_ref_own(s->target == TARGET_LOCAL ? &s->local : &s->remote_cert);
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

static void
cert_copy(struct protolog_cert *dst, const struct protolog_cert *src)
{
	dst->subject = xstrdup(src->subject);
	dst->issuer = xstrdup(src->issuer);
	dst->serial = xstrdup(src->serial);
	dst->thumbprint = xstrdup(src->thumbprint);
	dst->sans = xstrdup(src->sans);
	dst->not_before = src->not_before;
	dst->not_after = src->not_after;
}

static bool
cert_row(struct protolog *pl, struct session *s, const char *context,
    const char *data)
{
	struct protolog_cert	 parsed;
	struct cert_ref		**rp;
	struct cert_memo	*m;
	enum cert_target	 t;
	const char		*rest;
	bool			 dated;
	int			 slot;
	size_t			 len, i;

	t = cert_header(context, &rest);
	if (t == TARGET_NONE)
		return cert_label(s, context, data);
	if (s == NULL)
		return true;
	rp = t == TARGET_LOCAL ? &s->local : &s->remote_cert;
	cert_ref_put(rp);
	if (*rest == '\0' && data == NULL) {
		/* Shape 1: the labelled rows that follow fill it. */
		s->target = t;
		return true;
	}
	/* Shapes 2 and 3: everything on this row. */
	s->target = TARGET_NONE;
	if (data == NULL)
		return true;
	dated = ci_find(rest, strlen(rest), "Not before") != NULL;
	slot = t == TARGET_LOCAL ? 0 : 1;
	len = strlen(data);
	for (i = 0; i < CERT_MEMO; i++) {
		m = &pl->cert_memo[slot][i];
		if (m->text != NULL && m->len == len && m->dated == dated &&
		    memcmp(m->text, data, len) == 0) {
			*rp = cert_ref_get(m->ref);
			return true;
		}
	}
	if (!protolog_cert_parse_row(data, dated, &parsed)) {
		pl->stats.certs_unparsed++;
		return true;
	}
	*rp = cert_ref_new();
	(*rp)->c = parsed;
	/* The oldest remembered one makes room. */
	m = &pl->cert_memo[slot][pl->cert_memo_next[slot]];
	pl->cert_memo_next[slot] = (pl->cert_memo_next[slot] + 1) % CERT_MEMO;
	free(m->text);
	cert_ref_put(&m->ref);
	m->text = xstrdup(data);
	m->len = len;
	m->dated = dated;
	m->ref = cert_ref_get(*rp);
	return true;
}

/* Whether [p, p+n) holds `word` between non-word characters. */
static bool
has_word(const char *p, size_t n, const struct word *word)
{
	size_t		 w = word->n;
	const char	*q = p, *end = p + n, *hit;

	while ((size_t)(end - q) >= w &&
	    (hit = find_bytes(q, (size_t)(end - q), word)) != NULL) {
		if ((hit == p || hit[-1] == ' ' || hit[-1] == '-' ||
		    hit[-1] == ',') && (hit + w == end || hit[w] == ' ' ||
		    hit[w] == ',' || hit[w] == '\r'))
			return true;
		q = hit + 1;
	}
	return false;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A response row: "250-STARTTLS" and friends mark what the EHLO offered;
 * "451 4.4.0 ..." (4xx, 5xx) is counted with its enhanced code.
 */
static void
response_row(struct protolog *pl, struct session *s, const struct rawfield *d,
    long lineno, const char *line, size_t len)
{
	struct protolog_response	 r;
	char				 code[16];
	const char			*p = d->p, *end = d->p + d->n, *q;
	size_t				 n;

	if (p[0] == '2') {
		/*
		 * Only EHLO replies offer extensions: "250  host Hello ...",
		 * "250-STARTTLS". "250 2.1.0 Sender OK" and the like are not.
		 */
		if (s != NULL && p[1] == '5' && p[2] == '0' &&
		    !(d->n > 6 && is_digit(p[4]) && p[5] == '.')) {
			if (has_word(p + 3, d->n - 3, &word_starttls))
				s->starttls = true;
			if (has_word(p + 3, d->n - 3, &word_anontls))
				s->anontls = true;
		}
		return;
	}
	if (p[0] != '4' && p[0] != '5')
		return;
	memcpy(code, p, 3);
	n = 3;
	/* " 4.4.0": the enhanced code, when it follows. */
	q = p + 4;
	if (q < end && (*q == '4' || *q == '5') && q + 1 < end && q[1] == '.') {
		const char *e = q + 2;

		while (e < end && is_digit(*e) && e - q < 6)
			e++;
		if (e < end && *e == '.' && e > q + 2) {
			e++;
			while (e < end && is_digit(*e) && e - q < 10)
				e++;
			if (e > q && is_digit(e[-1]) && (e == end || *e == ' ')) {
				code[n++] = ' ';
				memcpy(code + n, q, (size_t)(e - q));
				n += (size_t)(e - q);
			}
		}
	}
	code[n] = '\0';
	pl->stats.responses++;
	if (pl->cb.response == NULL)
		return;
	memset(&r, 0, sizeof r);
	r.connector = col(pl, COL_CONNECTOR);
	r.remote_endpoint = col(pl, COL_REMOTE);
	r.receive = row_is_receive(pl, 0, r.connector);
	r.code = code;
	r.time = row_time(pl);
	r.line = lineno;
	r.text = row_sample(pl, line, len);
	r.source = pl->source;
	pl->cb.response(pl->cb.arg, &r);
}

/*
 * memcmp() for the short texts compared on every row (a date-time, a
 * session id), without the call: eight bytes at a time, read big-endian
 * so that the first differing byte decides.
 */
static inline int
text_cmp(const char *a, const char *b, size_t n)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t	x, y;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return __builtin_bswap64(x) < __builtin_bswap64(y) ?
			    -1 : 1;
	}
	for (; n > 0; a++, b++, n--)
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
	return 0;
#else
	return memcmp(a, b, n);
#endif
}

static void
track_time(struct protolog *pl, const struct rawfield *f)
{
	if (f == NULL || f->n == 0 || f->n > TIME_TEXT_MAX || f->quoted)
		return;
	/*
	 * ISO-8601 of one form sorts as text; parsed once, at the end. Rows
	 * come mostly in time order: the latest is compared first.
	 */
	if (pl->last_len == 0 || (f->n == pl->last_len &&
	    text_cmp(f->p, pl->last_text, f->n) > 0)) {
		memcpy(pl->last_text, f->p, f->n);
		pl->last_len = f->n;
		if (pl->first_len != 0)
			return;
	}
	if (pl->first_len == 0 || (f->n == pl->first_len &&
	    text_cmp(f->p, pl->first_text, f->n) < 0)) {
		memcpy(pl->first_text, f->p, f->n);
		pl->first_len = f->n;
	}
}

/* The row's session, made most recent; NULL for an empty id. */
static struct session *
row_session(struct protolog *pl, const struct rawfield *f, bool connect,
    long lineno)
{
	struct session	*s;
	uint64_t	 key = 0;
	const char	*c;

	if (f == NULL || f->n == 0)
		return NULL;
	/* Rows of one session often follow each other: the id as written decides. */
	if (pl->last != NULL && f->n == pl->last_id_len &&
	    text_cmp(f->p, pl->last_id, f->n) == 0)
		s = pl->last;
	else {
		key = session_key(f->p, f->n);
		s = pl->last;
		if (s == NULL || s->key != key)
			s = session_find(pl, key);
		pl->last_id_len = f->n <= sizeof pl->last_id ? f->n : 0;
		memcpy(pl->last_id, f->p, pl->last_id_len);
	}
	if (s == NULL) {
		s = session_create(pl, key);
		s->source = pl->source;
		s->line = lineno;
		s->first = row_time(pl);
		s->receive = row_is_receive(pl, 0, col(pl, COL_CONNECTOR));
		if ((c = col(pl, COL_CONNECTOR)) != NULL)
			s->connector = xstrdup(c);
		if ((c = col(pl, COL_REMOTE)) != NULL)
			s->remote = xstrdup(c);
	} else if (s->closed) {
		if (!connect) {
			/* The repeated last row of a session already ended. */
			pl->last = s;
			return NULL;
		}
		/* A connect reusing a closed id: the same session again. */
		list_unlink(&pl->closed_oldest, &pl->closed_newest, s);
		pl->nclosed--;
		s->closed = false;
		list_append(&pl->oldest, &pl->newest, s);
		pl->nopen++;
	} else if (s != pl->newest) {
		list_unlink(&pl->oldest, &pl->newest, s);
		list_append(&pl->oldest, &pl->newest, s);
	}
	pl->last = s;
	return s;
}

static void
info_row(struct protolog *pl, struct session *s, long lineno,
    const char *line, size_t len)
{
	const struct rawfield	*cf = raw(pl, COL_CONTEXT), *df = raw(pl, COL_DATA);
	const char		*context, *data;

	/*
	 * Most information rows ("sending message ...", "attempting to
	 * connect") matter not: only TLS, certificate and connect-failure
	 * rows are unescaped and read.
	 */
	if (cf != NULL && cf->n > 0) {
		if (cf->n >= 3 && (cf->p[0] | 0x20) == 't' &&
		    (cf->p[1] | 0x20) == 'l' && (cf->p[2] | 0x20) == 's') {
			context = col(pl, COL_CONTEXT);
			if (ascii_startswith_ci(context, "TLS protocol ") &&
			    ci_find(context, strlen(context),
			    "negotiation succeeded") != NULL) {
				tls_outcome(pl, s, context, lineno, line, len);
				return;
			}
			if (ascii_startswith_ci(context, "TLS negotiation failed")) {
				tls_outcome(pl, s, context, lineno, line, len);
				return;
			}
		} else if (find_bytes(cf->p, cf->n, &word_certificate) != NULL) {
			if (cert_row(pl, s, col(pl, COL_CONTEXT), col(pl, COL_DATA)))
				return;
		}
		if (find_bytes(cf->p, cf->n, &word_failed) != NULL) {
			context = col(pl, COL_CONTEXT);
			if (ascii_strcasestr(context, "Failed to connect. Winsock error") != NULL) {
				connect_failure(pl, context, lineno, line, len);
				return;
			}
		}
	}
	if (df != NULL && df->n > 0 &&
	    find_bytes(df->p, df->n, &word_failed) != NULL) {
		data = col(pl, COL_DATA);
		if (ascii_strcasestr(data, "Failed to connect. Winsock error") != NULL)
			connect_failure(pl, data, lineno, line, len);
	}
}

static void
data_row(struct protolog *pl, const char *line, size_t len, long lineno)
{
	const struct rawfield	*ev, *d;
	const char		*why;
	struct session		*s;
	char			 e;

	if (len > PROTOLOG_LINE_MAX) {
		pl->stats.long_lines++;
		bad_row(pl, lineno, "line too long");
		return;
	}
	if (pl->nfields == 0)
		fields_assume_default(pl, lineno);
	why = row_cut(pl, line, len);
	if (why == NULL && pl->nrow != pl->nfields)
		why = "field count differs from #Fields";
	if (why != NULL) {
		bad_row(pl, lineno, why);
		return;
	}
	pl->stats.rows++;
	track_time(pl, raw(pl, COL_DATE_TIME));
	ev = raw(pl, COL_EVENT);
	e = ev != NULL && ev->n == 1 ? ev->p[0] : 0;
	s = row_session(pl, raw(pl, COL_SESSION), e == '+', lineno);

	switch (e) {
	case '-':
		if (s != NULL)
			session_close(pl, s);
		return;
	case '+':
		if (s != NULL && s->line != lineno) {
			/* A new connection on a known id starts clean. */
			cert_ref_put(&s->local);
			cert_ref_put(&s->remote_cert);
			s->target = TARGET_NONE;
		}
		return;
	case '<':
	case '>':
		d = raw(pl, COL_DATA);
		if (d != NULL && d->n >= 3 && is_digit(d->p[0]) &&
		    is_digit(d->p[1]) && is_digit(d->p[2]) &&
		    (d->n == 3 || d->p[3] == ' ' || d->p[3] == '-'))
			response_row(pl, s, d, lineno, line, len);
		return;
	default:
		info_row(pl, s, lineno, line, len);
		return;
	}
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
protolog_feed(struct protolog *pl, const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl, *cr;
	size_t		 n;
	long		 lineno = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		/*
		 * A lone CR ends a line too (old Mac files). A line that ends
		 * in CRLF, as Exchange writes them, is not searched for one.
		 */
		cr = n > 0 && (nl == NULL || p[n - 1] != '\r') ?
		    memchr(p, '\r', n) : NULL;
		if (cr != NULL && cr + 1 < p + n) {
			n = (size_t)(cr - p);
			protolog_line(pl, p, n, ++lineno);
			p = cr + 1;
			continue;
		}
		if (n > 0 && p[n - 1] == '\r')
			protolog_line(pl, p, n - 1, ++lineno);
		else
			protolog_line(pl, p, n, ++lineno);
		p += n + (nl != NULL);
	}
}

void
protolog_parse(const char *text, size_t len, const struct protolog_callbacks *cb,
    struct protolog_stats *stats)
{
	struct protolog	*pl = protolog_new(cb);

	protolog_begin(pl, NULL);
	protolog_feed(pl, text, len);
	protolog_finish(pl);
	protolog_end_sessions(pl);
	if (stats != NULL)
		*stats = pl->stats;
	protolog_free(pl);
}

/* ------------------------------------------------------ fragments, errors */

/* "2026-11-09T22:00:04.113Z,Connector,08DE1F5C2A9B0001,12,ip:port,ip:port,*,..." */
bool
protolog_row_shape(const char *line, size_t len)
{
	const char	*p = line, *end = line + len, *q;
	size_t		 i;

	/* yyyy-mm-ddThh:mm:ss */
	if (len < 40)
		return false;
	for (i = 0; i < 19; i++) {
		char c = p[i];

		if (i == 4 || i == 7) {
			if (c != '-')
				return false;
		} else if (i == 10) {
			if (c != 'T')
				return false;
		} else if (i == 13 || i == 16) {
			if (c != ':')
				return false;
		} else if (!is_digit(c))
			return false;
	}
	if ((q = memchr(p, ',', (size_t)(end - p))) == NULL)
		return false;
	/* The connector-id (quoted when it holds a comma). */
	p = q + 1;
	if (p < end && *p == '"') {
		if ((q = memchr(p + 1, '"', (size_t)(end - p - 1))) == NULL)
			return false;
		p = q + 1;
	}
	if ((q = memchr(p, ',', (size_t)(end - p))) == NULL)
		return false;
	p = q + 1;
	if (end - p < 17 || !str_is_hex(p, 16) || p[16] != ',')
		return false;
	p += 17;
	for (i = 0; p < end && is_digit(*p); p++, i++)
		;
	if (i == 0 || p == end || *p != ',')
		return false;
	/* Two endpoints (the local one may be empty), then the event. */
	for (i = 0; i < 2; i++) {
		if ((q = memchr(p + 1, ',', (size_t)(end - p - 1))) == NULL)
			return false;
		p = q;
	}
	p++;
	return end - p >= 2 && strchr("+-<>*", *p) != NULL && p[1] == ',';
}

const char *
protolog_error_meaning(const char *error)
{
	static const struct { const char *name, *meaning; } m[] = {
		{ "UnknownCredentials", "SEC_E_UNKNOWN_CREDENTIALS (0x8009030D): "
		    "the certificate's private key cannot be used for TLS" },
		{ "NoCredentials", "SEC_E_NO_CREDENTIALS (0x8009030E): no "
		    "certificate with a usable private key for this name" },
		{ "IllegalMessage", "SEC_E_ILLEGAL_MESSAGE: the peer sent a "
		    "message TLS cannot read or rejected ours (often no common "
		    "protocol version or cipher)" },
		{ "AlgorithmMismatch", "SEC_E_ALGORITHM_MISMATCH: no protocol "
		    "version or cipher suite in common" },
		{ "CertUnknown", "SEC_E_CERT_UNKNOWN: the certificate could not "
		    "be processed" },
		{ "CertExpired", "SEC_E_CERT_EXPIRED: a certificate in the chain "
		    "has expired" },
		{ "UntrustedRoot", "SEC_E_UNTRUSTED_ROOT: the chain ends at a "
		    "root that is not trusted" },
		{ "TargetUnknown", "SEC_E_TARGET_UNKNOWN: the target name is "
		    "not known" },
		{ "WrongPrincipal", "SEC_E_WRONG_PRINCIPAL: the certificate does "
		    "not match the host name" },
		{ "InternalError", "SEC_E_INTERNAL_ERROR: SChannel failed "
		    "internally (often a private key it cannot open)" },
		{ "InvalidToken", "SEC_E_INVALID_TOKEN: the handshake data was "
		    "malformed" },
		{ "IncompleteMessage", "SEC_E_INCOMPLETE_MESSAGE: the handshake "
		    "was cut short" },
		{ "LogonDenied", "SEC_E_LOGON_DENIED: the credentials were "
		    "refused" },
		{ "SocketError", "the connection failed during the handshake" },
		{ "ConnectionReset", "the peer reset the connection during the "
		    "handshake" },
		{ "ConnectionAborted", "the connection was aborted during the "
		    "handshake" },
		{ "TimedOut", "the handshake timed out" },
	};
	size_t	i;

	for (i = 0; error != NULL && i < sizeof m / sizeof m[0]; i++)
		if (ascii_casecmp(error, m[i].name) == 0)
			return m[i].meaning;
	return NULL;
}

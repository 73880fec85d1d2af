/*
 * The protocol log parser's private parts, shared by the files of
 * src/formats/protolog/ that make up the parser and by nothing else: its
 * state, the current row, the sessions, and the functions the pieces call
 * one another by. The public face is protolog.h.
 *
 *	protolog.c	the parser's life, from protolog_new to protolog_free
 *	rows.c		lines in; each data row cut into fields (SSE2) and routed
 *	columns.c	the current row's columns, unescaped when asked for
 *	header.c	#Fields and the other header lines; the default columns
 *	search.c	the words rows are searched for, 16 bytes at a time
 *	sessions.c	open sessions by id, closed ones remembered, their report
 *	cert_text.c	a certificate logged on one row, read from the right
 *	cert_rows.c	certificate rows: shared parsed certificates, labelled blocks
 *	tls_rows.c	TLS outcome rows: protocol, cipher, error
 *	responses.c	SMTP response rows: EHLO offers, 4xx and 5xx codes
 *	failures.c	"Failed to connect" rows
 *
 * The functions called on every row (raw, text_cmp, is_dec_digit) are inline
 * here: a call across files for each of them would cost a few per cent.
 */
#ifndef CERTTRAIL_PROTOLOG_PARSER_H
#define CERTTRAIL_PROTOLOG_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "protolog.h"
#include "util/parse_diag.h"
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
	COL_EVENT, COL_DATA, COL_CONTEXT, COL_SEQUENCE, NCOLUMNS
};

/*
 * One-row certificate texts remembered, parsed, per side: a table indexed
 * by a hash of the text, one text per slot (a busy server talks to hundreds
 * of remote hosts, each with its certificate).
 */
#define CERT_MEMO	256

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

/* The longest TLS success context remembered (Exchange's are about 250). */
#define TLS_MEMO_MAX	400

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
	/*
	 * Its last row read: the file, the sequence number and the date-time
	 * as written. A row of another file at or before it is one read
	 * already (row_repeats, sessions.c). seq_source NULL: none yet.
	 */
	const char		*seq_source;
	long			 seq_last;
	size_t			 time_last_len;
	char			 time_last[TIME_TEXT_MAX];
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
	long			 prompts;	/* console prompt lines skipped */
	long			 curly_fields;	/* fields in typographic quotes */
	long			 first_curly;
	long			 lineno;	/* lines of the file fed so far */

	/* The current row: raw fields, and the unescaped ones asked for. */
	struct rawfield		 raw[MAX_FIELDS + 16];	/* see row_cut_plain */
	size_t			 nrow;
	char			*val[NCOLUMNS];	/* NUL-terminated copies, or NULL */
	size_t			 val_cap[NCOLUMNS];
	bool			 have[NCOLUMNS];
	char			 sample[PROTOLOG_SAMPLE_MAX + 1];

	/*
	 * The second a row time was last read in ("2026-11-03T14:12:09" of
	 * "...09.123Z"), and what it parsed to: the rows a session's time is
	 * read from come seconds apart. time_memo_len 0: none.
	 */
	char			 time_memo[19];
	size_t			 time_memo_len;
	int64_t			 time_memo_t;

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
	 * One-row certificates of each side, parsed, found by a hash of their
	 * text: sessions repeat them (the local one, and the one each remote
	 * server presents).
	 */
	struct cert_memo	 cert_memo[2][CERT_MEMO];

	/*
	 * The context of the last TLS success row as written, and what was
	 * read from it: sessions log the same text over and over.
	 * tls_memo_len 0: none.
	 */
	char			 tls_memo[TLS_MEMO_MAX];
	size_t			 tls_memo_len;
	bool			 tls_memo_quoted;
	char			 tls_memo_proto[64];	/* "" when none */
	char			 tls_memo_cipher[96];	/* "" when none */
	char			 tls_memo_side;

	/* The zone of the file's last banner handed over ("-0800"), or "". */
	char			 banner_zone[6];

	/* The current row repeats one of another file (session_of_row). */
	bool			 repeat;

	/* File names handed to protolog_begin, kept for session samples. */
	struct strlist		 sources;
	const char		*source;
};

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

extern const struct word word_certificate, word_failed, word_starttls,
	    word_anontls;

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

static inline bool
is_dec_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A column's raw field; NULL when absent from this log. */
static inline const struct rawfield *
raw(const struct protolog *pl, enum column c)
{
	int	i = pl->col[c];

	if (i < 0 || (size_t)i >= pl->nrow)
		return NULL;
	return &pl->raw[i];
}

/* The row's sequence number, -1 when it has none a row identity can use. */
static inline long
row_sequence(const struct protolog *pl)
{
	const struct rawfield	*f = raw(pl, COL_SEQUENCE);
	long			 n = 0;
	size_t			 i;

	if (f == NULL || f->n == 0 || f->n > 9)
		return -1;
	for (i = 0; i < f->n; i++) {
		if (f->p[i] < '0' || f->p[i] > '9')
			return -1;
		n = n * 10 + (f->p[i] - '0');
	}
	return n;
}

/* The row is the session's latest: what a later file's repeat is told by. */
static inline void
row_seen(struct protolog *pl, struct session *s)
{
	const struct rawfield	*d = raw(pl, COL_DATE_TIME);

	s->seq_source = pl->source;
	s->seq_last = row_sequence(pl);
	s->time_last_len = d != NULL && d->n <= TIME_TEXT_MAX ? d->n : 0;
	if (s->time_last_len > 0)
		memcpy(s->time_last, d->p, d->n);
}


/* header.c */
void	header_line(struct protolog *, const char *line, size_t len);
void	fields_assume_default(struct protolog *, long lineno);

/* columns.c */
const char *col(struct protolog *, enum column);
const char *row_sample(struct protolog *, const char *line, size_t len);
bool	row_is_receive(const struct protolog *, char side, const char *connector);
int64_t	row_time(struct protolog *);

/* search.c */
const char *find_bytes(const char *p, size_t n, const struct word *);
const char *ci_find(const char *s, size_t n, const char *word);
bool	has_word(const char *p, size_t n, const struct word *);
bool	str_eq_trim_ci(const char *s, const char *word);

/* sessions.c */
struct session *session_of_row(struct protolog *, const struct rawfield *,
	    bool connect, long lineno);
void	session_close(struct protolog *, struct session *);
void	sessions_evict_oldest(struct protolog *);
void	sessions_free(struct protolog *);

/* cert_rows.c */
bool	cert_row(struct protolog *, struct session *, const char *context,
	    const char *data);
void	cert_ref_put(struct cert_ref **);
const struct protolog_cert *cert_ref_cert(const struct cert_ref *);

/* tls_rows.c */
bool	tls_success_known(const struct protolog *);
void	tls_outcome(struct protolog *, struct session *, const char *context,
	    long lineno, const char *line, size_t len);

/* responses.c */
void	response_row(struct protolog *, struct session *,
	    const struct rawfield *, long lineno, const char *line, size_t len);

/* banner.c */
void	banner_row(struct protolog *, const struct rawfield *, long lineno,
	    const char *line, size_t len);

/* failures.c */
void	connect_failure(struct protolog *, const char *what, long lineno,
	    const char *line, size_t len);

#endif

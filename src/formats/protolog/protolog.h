/*
 * Exchange SMTP protocol logs (docs/formats.md, "SMTP protocol logs"), read as a stream of
 * lines. Header lines set the column map and the direction; data rows update
 * per-session state (the certificates each side presented); every TLS outcome
 * row is handed to a callback together with that state. Only open sessions
 * are kept, and their number is bounded, so memory stays flat however long
 * the log is.
 *
 * A parser may read several files in turn (protolog_begin): sessions then
 * carry over from one file to the next, as they do when Exchange rotates a
 * log in the middle of a session, and each is counted once per parser. A
 * row that follows its session's disconnect (Exchange repeats the last row)
 * does not open a new session.
 *
 * Rows are scanned with memchr; only the rows that matter (connect and
 * disconnect, certificate, TLS, connect failure and response rows) are
 * unescaped and looked at closely.
 *
 * Ownership: everything handed to a callback is borrowed and valid only
 * during the call; the parser keeps no pointer into the lines it is given.
 */
#ifndef CERTTRAIL_PROTOLOG_H
#define CERTTRAIL_PROTOLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTOLOG_MAX_SESSIONS	200000	/* open sessions kept; oldest go first */
#define PROTOLOG_BAD_ROWS_SHOWN	5	/* malformed rows reported one by one */
#define PROTOLOG_SAMPLE_MAX	500	/* bytes of a row kept as sample text */
#define PROTOLOG_LINE_MAX	(1024 * 1024)	/* longer lines are malformed rows */
#define PROTOLOG_CLOSED_KEPT	4096	/* closed sessions remembered, per parser */

enum protolog_direction {
	PROTOLOG_DIR_UNKNOWN = 0,	/* no #Log-type line */
	PROTOLOG_SEND,
	PROTOLOG_RECEIVE
};

/* A certificate as logged; any field may be unknown (NULL, TIME_UNKNOWN). */
struct protolog_cert {
	char	*subject;	/* .NET form */
	char	*issuer;
	char	*serial;	/* upper-case hex */
	char	*thumbprint;	/* 40 upper-case hex */
	char	*sans;		/* ";"-joined, as logged */
	int64_t	 not_before;
	int64_t	 not_after;
};

/* One TLS outcome row with what its session logged before it. */
struct protolog_tls {
	bool			 receive;	/* SMTP Receive log (else Send) */
	const char		*connector;	/* connector-id, NULL when empty */
	const char		*session;	/* session-id, NULL when empty */
	const char		*remote_endpoint;
	const struct protolog_cert *local;	/* NULL: none logged in the session */
	const struct protolog_cert *remote;
	bool			 ok;
	const char		*error;		/* "UnknownCredentials"; NULL when ok */
	const char		*protocol;	/* "TLS1_2"; NULL when not logged */
	/* "AES_256, SHA_384, ECDH_EPHEM" (bulk, MAC, key exchange); NULL */
	const char		*cipher;
	int64_t			 time;		/* TIME_UNKNOWN when unreadable */
	long			 line;
	const char		*text;		/* the row, cut to PROTOLOG_SAMPLE_MAX */
	const char		*source;	/* protolog_begin's name, or NULL */
};

/* A "Failed to connect. Winsock error code: N, ..." row. */
struct protolog_connect_failure {
	const char	*connector;
	const char	*session;
	const char	*remote_endpoint;
	long		 winsock_error;	/* -1 when not readable */
	int64_t		 time;
	long		 line;
	const char	*text;
	bool		 receive;
	const char	*destination;	/* "Destination domain", NULL when absent */
	const char	*source;
};

/* A 4xx or 5xx SMTP response row ("451 4.4.0 ..."). */
struct protolog_response {
	bool		 receive;
	const char	*connector;
	const char	*remote_endpoint;
	const char	*code;		/* "451 4.4.0", or "421" without enhanced code */
	int64_t		 time;
	long		 line;
	const char	*text;
	const char	*source;
};

/*
 * A Receive log's 220 banner, as the server sends it: "220 EX1.contoso.com
 * Microsoft ESMTP MAIL Service ready at Tue, 10 Nov 2026 00:41:12 -0800".
 * Its date is the server's own clock, written with its UTC offset; the row
 * beside it is UTC. Handed over for a file's first banner and whenever the
 * offset it shows changes, not for every session.
 */
struct protolog_banner {
	const char	*connector;
	int64_t		 time;		/* the row's date-time (UTC) */
	int64_t		 local;		/* the banner's date, as its figures read */
	int		 offset_minutes;	/* as written: -0800 is -480 */
	long		 line;
	const char	*text;
	const char	*source;
};

/* A session, when it ends (disconnect, or the parser's end). */
struct protolog_session {
	bool		 receive;
	const char	*connector;	/* of its first row; NULL when empty */
	const char	*remote_endpoint;
	bool		 starttls_offered;	/* a 250 row offered STARTTLS */
	bool		 anonymous_tls_offered;	/* ... X-ANONYMOUSTLS */
	int		 tls;		/* 1 succeeded, -1 failed, 0 not tried */
	bool		 closed;	/* its disconnect row was read */
	int64_t		 first;		/* time of its first row */
	const char	*source;	/* where its first row is */
	long		 line;
};

struct parse_diag;

struct protolog_callbacks {
	void	(*tls)(void *arg, const struct protolog_tls *);
	void	(*connect_failure)(void *arg, const struct protolog_connect_failure *);
	void	*arg;
	void	(*session)(void *arg, const struct protolog_session *);
	void	(*response)(void *arg, const struct protolog_response *);
	void	(*banner)(void *arg, const struct protolog_banner *);
	/*
	 * Where problems go (malformed rows, sessions forgotten: warnings) and
	 * notes (no header, the standard order assumed: info), at their line
	 * or line 0 when about the whole file. NULL: nowhere.
	 */
	struct parse_diag *pd;
};

struct protolog_stats {
	bool			 header_seen;	/* any #Software, #Fields, ... line */
	enum protolog_direction	 direction;
	char			 software[64];	/* #Software, "" when absent */
	char			 version[32];	/* #Version */
	long			 rows;		/* well-formed data rows */
	long			 bad_rows;	/* malformed rows, skipped */
	long			 sessions;	/* sessions first seen in this file */
	long			 tls_ok;
	long			 tls_failed;
	long			 connect_failures;	/* Winsock connect errors */
	long			 certs_unparsed;	/* one-row certificates not understood */
	long			 evicted_sessions;	/* dropped to bound memory */
	long			 peak_open_sessions;
	long			 long_lines;	/* over PROTOLOG_LINE_MAX (also bad) */
	long			 responses;	/* 4xx and 5xx response rows */
	bool			 headerless;	/* rows read in the standard order */
	/*
	 * Rows another file of the folder held already (the same session,
	 * sequence number and date-time), not counted again; the first such
	 * file (kept by the parser).
	 */
	long			 repeated_rows;
	const char		*repeated_from;
	int64_t			 first;		/* earliest row time, TIME_UNKNOWN */
	int64_t			 last;
};

struct protolog;

struct protolog *protolog_new(const struct protolog_callbacks *);
/* Lowers (or raises) the bound on open sessions; for tests and tuning. */
void	 protolog_set_max_sessions(struct protolog *, size_t);
/*
 * Starts a new file: resets the header state and the per-file counts, keeps
 * the open sessions. `source` (may be NULL) is copied and kept for samples.
 */
void	 protolog_begin(struct protolog *, const char *source);
/* Feeds one line, without its terminator; lineno is 1-based. */
void	 protolog_line(struct protolog *, const char *line, size_t len, long lineno);
/*
 * Feeds decoded text (LF, CRLF or CR line ends): a whole file, or the next
 * part of one, cut at a line end (the lines are numbered on).
 */
void	 protolog_feed(struct protolog *, const char *text, size_t len);
/* Ends the file: reports the count of malformed rows beyond those shown. */
void	 protolog_finish(struct protolog *);
/*
 * Forgets the closed sessions (kept so that a row repeated after a
 * disconnect opens none): for a parser whose folder is left, to bound memory.
 */
void	 protolog_forget_closed(struct protolog *);
/* Reports the sessions still open (session callback); call once at the end. */
void	 protolog_end_sessions(struct protolog *);
const struct protolog_stats *protolog_stats(const struct protolog *);
void	 protolog_free(struct protolog *);

/* The whole cycle over a decoded text; *stats (may be NULL) gets the counts. */
void	 protolog_parse(const char *text, size_t len,
	    const struct protolog_callbacks *, struct protolog_stats *stats);

/*
 * A one-row certificate ("Sending certificate Subject Issuer name ...", shapes
 * 2 and 3) into *out, parsed from the right; false when no thumbprint is
 * found. Two ISO dates after the thumbprint are read as NotBefore and
 * NotAfter; `dated` (the labels announce them) says the tokens there are
 * dates even when not in ISO form, so they are not taken for SANs.
 */
bool	 protolog_cert_parse_row(const char *data, bool dated,
	    struct protolog_cert *out);
/*
 * Splits "<subject> <issuer>" at the space that starts a new DN. Both NULL
 * when no such space is found.
 */
void	 protolog_split_dns(const char *, char **subject, char **issuer);
void	 protolog_cert_init(struct protolog_cert *);
/* Whether a line has the shape of a data row (for headerless fragments). */
bool	 protolog_row_shape(const char *line, size_t len);
/*
 * The shape without the date and session id: sequence number, endpoints
 * and event where a row has them (pasted excerpts with placeholders).
 */
bool	 protolog_row_loose_shape(const char *line, size_t len);
void	 protolog_cert_clear(struct protolog_cert *);

#endif

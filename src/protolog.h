/*
 * Exchange SMTP protocol logs (FORMATS.md section 8), read as a stream of
 * lines. Header lines set the column map and the direction; data rows update
 * per-session state (the certificates each side presented); every TLS outcome
 * row is handed to a callback together with that state. Only open sessions
 * are kept, and their number is bounded, so memory stays flat however long
 * the log is.
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
	int64_t			 time;		/* TIME_UNKNOWN when unreadable */
	long			 line;
	const char		*text;		/* the row, cut to PROTOLOG_SAMPLE_MAX */
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
};

struct protolog_callbacks {
	void	(*tls)(void *arg, const struct protolog_tls *);
	void	(*connect_failure)(void *arg, const struct protolog_connect_failure *);
	/* Problems worth a diagnostic; line 0 when about the whole file. */
	void	(*diag)(void *arg, long line, const char *message);
	void	*arg;
};

struct protolog_stats {
	bool			 header_seen;	/* any #Software, #Fields, ... line */
	enum protolog_direction	 direction;
	char			 software[64];	/* #Software, "" when absent */
	char			 version[32];	/* #Version */
	long			 rows;		/* well-formed data rows */
	long			 bad_rows;	/* malformed rows, skipped */
	long			 sessions;	/* distinct sessions seen */
	long			 tls_ok;
	long			 tls_failed;
	long			 connect_failures;	/* Winsock connect errors */
	long			 certs_unparsed;	/* one-row certificates not understood */
	long			 evicted_sessions;	/* dropped to bound memory */
	long			 peak_open_sessions;
	int64_t			 first;		/* earliest row time, TIME_UNKNOWN */
	int64_t			 last;
};

struct protolog;

struct protolog *protolog_new(const struct protolog_callbacks *);
/* Lowers (or raises) the bound on open sessions; for tests and tuning. */
void	 protolog_set_max_sessions(struct protolog *, size_t);
/* Feeds one line, without its terminator; lineno is 1-based. */
void	 protolog_line(struct protolog *, const char *line, size_t len, long lineno);
/* Ends the file: reports the count of malformed rows beyond those shown. */
void	 protolog_finish(struct protolog *);
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
void	 protolog_cert_clear(struct protolog_cert *);

#endif

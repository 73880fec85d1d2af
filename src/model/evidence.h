/*
 * The evidence model: what the bundle says, reduced to compact facts. Parsers
 * add to it through the evidence_add_* functions (which copy and merge); rules
 * and renderers only read it. No I/O and no library headers here, so rules are
 * tested with plain structs.
 *
 * Unknown is not false: every field has an explicit unknown value (NULL
 * strings, TRI_UNKNOWN, TIME_UNKNOWN, -1 numbers, *_known flags for lists).
 */
#ifndef CERTTRAIL_EVIDENCE_H
#define CERTTRAIL_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/datetime.h"
#include "util/diag.h"
#include "util/util.h"
#include "kinds/list.h"

/* The kinds' records, defined in their headers (kinds/cert.h, ...). */
#define EV_KIND_STRUCT(name, type, array)	struct type;
EV_KIND_LIST(EV_KIND_STRUCT)
#undef EV_KIND_STRUCT

typedef enum { TRI_UNKNOWN = -1, TRI_FALSE = 0, TRI_TRUE = 1 } tri_t;

/* "Yes", "No" or "unknown", for people. */
const char *tri_text(tri_t);

/* Exchange's certificate service flags (docs/formats.md, "Certificate services"). */
enum {
	SVC_IMAP = 1, SVC_POP = 2, SVC_UM = 4, SVC_IIS = 8, SVC_SMTP = 16,
	SVC_FEDERATION = 32, SVC_UMCALLROUTER = 64
};
#define SERVICES_UNKNOWN (-1)

/* "SMTP" -> SVC_SMTP, "None" -> 0, anything else -1 (case-insensitive). */
int	 service_flag(const char *);
/* The names of the flags set in `services`, in Exchange's order: call with
 * *pos = 0 until it returns NULL. */
const char *service_name_at(int services, size_t *pos);
/* "IMAP, POP, IIS, SMTP" (with `sep`), "None", or "unknown", into buf. */
void	 services_format(int services, const char *sep, char *buf, size_t size);

/* Where a fact was read: a bundle path and a 1-based line (0: whole entry). */
struct ev_ref {
	char	*source;
	long	 line;
};
/* A copy of src (its source string copied). */
void	 ev_ref_copy(struct ev_ref *dst, const struct ev_ref *src);

/* "EX01.contoso.com" -> "EX01": the form servers are compared in. */
char	*server_short_name(const char *);

/*
 * Protocol logs are reduced to aggregates (findings.json "tls_outcomes"): one
 * per (server, direction, connector, remote host, certificate presented,
 * certificate received, outcome, error, protocol), with a count, the first
 * and last time and a few sample rows. While logs are read the server may
 * not be known yet, so the log folder stands in for it (log_dir);
 * evidence_finish() attributes servers and merges what becomes equal. Memory
 * grows with the number of distinct groups, never with rows.
 */
#define EV_LOG_SAMPLES	3

struct ev_log_sample {
	char		*source;	/* bundle path of the log file */
	long		 line;
};

/* What every log aggregate has: where, how often, when, which rows. */
struct ev_log_group {
	char		*log_dir;	/* folder of the log files ("" at the top) */
	char		*key;		/* the grouping key, lower case */
	uint64_t	 hash;		/* of the grouping key, for the index */
	struct ev_log_sample samples[EV_LOG_SAMPLES];	/* earliest read first */
	size_t		 nsamples;
};

struct ev_tls_hour {
	int64_t		 hour;		/* start of the hour, UTC */
	long		 ok;
	long		 failed;
};

/*
 * TLS outcomes per UTC day of one connector's log folder: the day by day
 * counts that a later bundle's comparison needs (baseline/), where the
 * groups keep only a first and last time. The server is the group's, known
 * once the groups are attributed (evidence_logs_finish).
 */
struct ev_tls_day {
	char		*log_dir;	/* folder of the log files */
	char		*server;	/* NULL unknown */
	bool		 receive;
	char		*connector;	/* as logged; NULL unknown */
	int64_t		 day;		/* midnight UTC */
	long		 ok;
	long		 failed;
};

struct ev_tls_agg {
	char		*log_source;	/* = samples[0].source */
	char		*server;	/* from SERVER\Connector or the path; NULL unknown */
	bool		 receive;	/* SMTP Receive log (else Send) */
	char		*connector;	/* connector-id as logged */
	char		*cert_thumbprint;	/* the local certificate presented */
	char		*cert_subject;
	char		*cert_issuer;
	/*
	 * Its NotBefore and NotAfter as the log's one-row certificate block
	 * wrote them (UTC); TIME_UNKNOWN when the block carried no dates.
	 */
	int64_t		 cert_not_before;
	int64_t		 cert_not_after;
	/* Its serial number (the one-row form logs it): ties an inventory
	 * record whose thumbprint was cut to it. */
	char		*cert_serial;
	bool		 ok;
	char		*error;		/* "UnknownCredentials", NULL when ok */
	char		*protocol;	/* "TLS1_2" when known */
	char		*cipher;	/* "AES_256, SHA_384, ECDH_EPHEM"; NULL */
	long		 count;
	int64_t		 first;
	int64_t		 last;
	long		 sample_line;	/* = samples[0].line */
	char		*sample_text;	/* the first outcome row, as written */
	/* Added with the per-group aggregates. */
	char		*remote;	/* remote host (endpoint without port) */
	char		*remote_thumbprint;	/* the certificate received */
	char		*remote_subject;
	long		 files;		/* log files the rows came from */
	char		*last_file;	/* the last of them, to count files */
	struct ev_log_group g;
};

/* What one TLS outcome row says, as handed to evidence_add_tls(). */
struct ev_tls_event {
	const char	*log_source;
	bool		 receive;
	const char	*connector;
	const char	*cert_thumbprint;
	const char	*cert_subject;
	const char	*cert_issuer;
	int64_t		 cert_not_before;	/* UTC; TIME_UNKNOWN */
	int64_t		 cert_not_after;
	const char	*cert_serial;
	bool		 ok;
	const char	*error;
	const char	*protocol;
	const char	*cipher;
	int64_t		 time;
	long		 line;
	const char	*text;
	const char	*remote_endpoint;	/* "192.0.2.1:25"; the port is dropped */
	const char	*remote_thumbprint;
	const char	*remote_subject;
};

/*
 * SMTP sessions grouped by what their EHLO offered and how TLS went, per
 * (server, direction, connector, remote host): which servers never offer
 * STARTTLS, which sessions never tried it.
 */
struct ev_session_agg {
	char		*server;
	bool		 receive;
	char		*connector;
	char		*remote;
	bool		 starttls_offered;	/* a 250 row of the session offered it */
	bool		 anonymous_tls_offered;	/* X-ANONYMOUSTLS */
	int		 tls;		/* 1 succeeded, -1 failed, 0 not tried */
	long		 count;
	int64_t		 first;
	int64_t		 last;
	struct ev_log_group g;
};

/* "Failed to connect. Winsock error code: N" per (server, connector, code, destination). */
struct ev_connect_failure_agg {
	char		*server;
	char		*connector;
	long		 winsock_error;	/* -1 unknown */
	char		*destination;	/* "Destination domain", else the remote host */
	long		 count;
	int64_t		 first;
	int64_t		 last;
	char		*sample_text;
	struct ev_log_group g;
};

/* 4xx/5xx responses per (server, direction, connector, code). */
struct ev_response_agg {
	char		*server;
	bool		 receive;
	char		*connector;
	char		*code;		/* "451 4.4.0", or "421" alone */
	long		 count;
	int64_t		 first;
	int64_t		 last;
	char		*sample_text;
	struct ev_log_group g;
};

/*
 * The offsets a server's 220 banners wrote (Receive logs), per (server,
 * connector, offset): first and last are the rows' UTC times, so first +
 * offset_minutes is the server's local time then (model/time_zone.c).
 */
struct ev_banner_agg {
	char		*server;
	bool		 receive;	/* always: a server's own banner */
	char		*connector;
	int		 offset_minutes;
	long		 count;
	int64_t		 first;
	int64_t		 last;
	char		*sample_text;
	struct ev_log_group g;
};

/* The common fields of a session, connect failure or response, when added. */
struct ev_log_event {
	const char	*log_source;
	long		 line;
	int64_t		 time;
	const char	*text;
	bool		 receive;
	const char	*connector;
	const char	*remote_endpoint;
};

/* Open-addressing index over one aggregate array (private to log_aggs.c). */
struct ev_agg_index {
	size_t		*slot;		/* array index + 1; 0 empty */
	size_t		 cap;
};

enum symptom_kind {
	SYMPTOM_REMOVE_CERT_REFUSED,	/* "These certificates are tagged with following Send Connectors" */
	SYMPTOM_OTHER
};

struct ev_symptom {
	enum symptom_kind kind;
	char		*server;	/* from "error occurs on server X" */
	struct strlist	 connectors;	/* names after "Send Connectors :" */
	char		*thumbprint;	/* from the command line in the transcript, if any */
	char		*text;
	struct ev_ref	 ref;
};

struct log_summary {
	long		 files;
	long		 rows;
	long		 sessions;
	long		 tls_ok;
	long		 tls_failed;
	long		 bad_rows;
	int64_t		 first;
	int64_t		 last;
	long		 connect_failures;
	long		 responses;	/* 4xx/5xx response rows */
	long		 long_lines;	/* over the line limit (in bad_rows too) */
	long		 headerless_files;	/* read in the standard column order */
};

/* What became of a manifest entry (findings.json "status"). */
enum entry_status {
	MANIFEST_READ = 0,		/* read (whether or not it held evidence) */
	MANIFEST_SKIPPED,		/* a limit or a rule of ours kept it from being read */
	MANIFEST_ENCRYPTED,
	MANIFEST_DAMAGED,
	MANIFEST_UNSUPPORTED	/* a format this version does not read */
};
const char *entry_status_name(enum entry_status);

struct manifest_entry {
	char		*path;		/* bundle path, "outer.zip/inner.zip/x.txt" */
	enum entry_status status;
	char		*why;		/* NULL when read normally */
	char		 sha256[65];
	uint64_t	 bytes;
	const char	*kind;		/* sniffed kind name (static) */
	int64_t		 mtime;		/* time inside an archive; TIME_UNKNOWN for files on disk */
	bool		 sha256_pending;	/* hashed by its reader: see evidence_entry_hashes_fill */
	/* Not read to its end, but what was read of it is in the evidence. */
	bool		 in_part;
	/*
	 * A protocol log with the same bytes as this entry, read before it:
	 * its rows were not counted again. NULL for any other entry.
	 */
	char		*duplicate_of;
};

struct input_info {
	char		*path;
	char		 sha256[65];	/* "" for a directory */
	uint64_t	 bytes;
};

/*
 * One array per kind of evidence, as the table of kinds names them
 * (kinds/list.h): ev->certs[0 .. ev->ncerts), grown to ev->certs_cap; the
 * record structs are in the kinds' headers (kinds/cert.h, ...).
 */
#define EV_KIND_ARRAY(name, type, array)				\
	struct type *array;						\
	size_t n##array, array##_cap;

struct evidence {
	EV_KIND_LIST(EV_KIND_ARRAY)
	struct ev_session_agg	*sessions;
	size_t			 nsessions, sessions_cap;
	struct ev_connect_failure_agg *connfail;
	size_t			 nconnfail, connfail_cap;
	struct ev_response_agg	*responses;
	size_t			 nresponses, responses_cap;
	struct ev_banner_agg	*banners;
	size_t			 nbanners, banners_cap;
	struct ev_agg_index	 tls_index, sessions_index, connfail_index,
				 responses_index, banners_index;
	struct ev_symptom	*symptoms;
	size_t			 nsymptoms, symptoms_cap;
	struct manifest_entry	*entries;
	size_t			 nentries, entries_cap;
	struct input_info	*inputs;
	size_t			 ninputs, inputs_cap;
	struct log_summary	 logs;
	/*
	 * TLS outcomes per hour of the logs (hour start, UTC), sorted: exact
	 * counts for the report's timeline, where the groups keep only a
	 * first and last time. One entry per hour with rows, never per row.
	 */
	struct ev_tls_hour	*tls_hours;
	size_t			 ntls_hours, tls_hours_cap;
	/* The same per connector and day (tls_days.c), sorted by server. */
	struct ev_tls_day	*tls_days;
	size_t			 ntls_days, tls_days_cap;
	/*
	 * Which exports were read at all, even with nothing kept: what the
	 * kinds' `seen` (kinds/kind.h) answer for the gaps list and the page.
	 */
	bool			 saw_cert_dump;
	bool			 saw_send_connector_dump;
	bool			 saw_queue_dump;
	bool			 saw_receive_connector_dump;
	bool			 saw_transport_service_dump;
	bool			 saw_event_log;
	int64_t			 newest_entry_time;	/* for as-of inference */
	struct diag_list	 diags;
};

void	 evidence_init(struct evidence *);
void	 evidence_free(struct evidence *);

/*
 * The add functions copy everything they are given; each kind's are in its
 * header (kinds/cert.h, ...).
 */
void			 evidence_add_tls(struct evidence *, const struct ev_tls_event *);
void			 evidence_add_session(struct evidence *, const struct ev_log_event *,
			    bool starttls, bool anonymous_tls, int tls);
void			 evidence_add_connect_failure(struct evidence *,
			    const struct ev_log_event *, long winsock_error,
			    const char *destination);
void			 evidence_add_response(struct evidence *, const struct ev_log_event *,
			    const char *code);
void			 evidence_add_banner(struct evidence *, const struct ev_log_event *,
			    int offset_minutes);
/* Moves the log aggregates, summary and diagnostics of src to the end of dst. */
void			 evidence_take_logs(struct evidence *dst, struct evidence *src);
/* Attributes log aggregates to servers, merges equal ones, sorts (failing first). */
void			 evidence_logs_finish(struct evidence *, const struct strlist *servers);
void			 evidence_logs_free(struct evidence *);
/* The server a bundle path names, among `servers` (docs/formats.md, "Which server"). */
const char		*evidence_server_from_path(const char *, const struct strlist *servers);
struct ev_symptom	*evidence_add_symptom(struct evidence *, const struct ev_symptom *);
void			 evidence_add_entry(struct evidence *, const struct manifest_entry *);
/*
 * Gives the manifest entries whose hash was left to their reader
 * (sha256_pending) their hashes, in manifest order: shas[i] is the i-th
 * such entry's. Returns how many entries waited (== n when all is well).
 */
size_t			 evidence_entry_hashes_fill(struct evidence *,
			    const char (*shas)[65], size_t n);
/*
 * The entry read at path with this hash repeats original's bytes, and was
 * not counted again: its manifest line says so (the last such line not
 * said so yet, when a path was read twice).
 */
void			 evidence_entry_copy_of(struct evidence *,
			    const char *path, const char *sha256,
			    const char *original);
/*
 * How many manifest lines are such copies; *first (may be NULL) the first
 * of them, or NULL.
 */
size_t			 evidence_copies(const struct evidence *,
			    const struct manifest_entry **first);
/*
 * The manifest line standing for the entries of an archive that could not
 * be reached, "ARCHIVE/(rest not read)".
 */
#define MANIFEST_REST		"(rest not read)"
bool			 manifest_entry_is_rest(const struct manifest_entry *);
/* Manifest lines not read (any status but MANIFEST_READ). */
size_t			 evidence_skipped_count(const struct evidence *);
/* Of those, the entries read in part (in_part): used as far as they were read. */
size_t			 evidence_in_part_count(const struct evidence *);
/*
 * What was not read, as a clause: "2 entries could not be read to the end
 * (1 read in part), and the rest of 1 archive was not read"; NULL when
 * everything was read. Free it.
 */
char			*evidence_unread_text(const struct evidence *);
void			 evidence_add_input(struct evidence *, const struct input_info *);

/*
 * After all input is read: attributes the records that name no server,
 * merges the twins that reveals and sorts everything into a stable order
 * (for deterministic output), kind by kind (kinds/kind.h).
 */
void	 evidence_finish(struct evidence *);
/* Every server the evidence names by any clue (attribution.h), sorted. */
void	 evidence_known_servers(const struct evidence *, struct strlist *out);

#endif

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

typedef enum { TRI_UNKNOWN = -1, TRI_FALSE = 0, TRI_TRUE = 1 } tri_t;

/* "Yes", "No" or "unknown", for people. */
const char *tri_text(tri_t);

/* Exchange's certificate service flags (FORMATS.md section 4). */
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

struct ev_cert {
	char		*server;	/* short upper-case name, NULL unknown */
	char		*thumbprint;	/* 40 upper-case hex */
	char		*subject;	/* .NET form: CN=..., O=..., S=..., C=... */
	/*
	 * The subject is cut (the table view ends it with "..."): shown as
	 * such, never matched against TlsCertificateName.
	 */
	bool		 subject_incomplete;
	char		*issuer;
	char		*serial;
	char		*friendly_name;
	int64_t		 not_before;
	int64_t		 not_after;
	/*
	 * True when the dates come from the certificate itself (UTC); false for
	 * Format-List text, whose dates are the server's local time read as UTC.
	 */
	bool		 dates_exact;
	struct strlist	 domains;
	bool		 domains_known;
	bool		 domains_incomplete;	/* cut "{a, b, c, d...}" */
	int		 services;	/* SVC_* mask, SERVICES_UNKNOWN */
	char		*status;	/* Valid, DateInvalid, ...; NULL unknown */
	tri_t		 self_signed;
	tri_t		 has_private_key;
	char		*root_ca_type;
	int		 key_bits;	/* -1 unknown */
	char		*signature_algorithm;	/* OpenSSL long name */
	struct strlist	 sources;
	struct ev_ref	 ref;		/* first place it was seen */
	/*
	 * Seen only in certificate files (.cer, .p7b, ...), which prove the
	 * certificate exists, not that it is installed anywhere: such a record
	 * is never given to a server for lack of a better clue.
	 */
	bool		 file_only;
	/*
	 * How `server` was found: an enum attr_clue (attribution.h), 0 while
	 * unknown; a lower value is a stronger clue.
	 */
	int		 server_clue;
};

struct ev_send_connector {
	char		*name;
	tri_t		 enabled;
	struct strlist	 source_servers;
	bool		 source_servers_known;
	bool		 source_servers_incomplete;	/* cut list */
	char		*fqdn;
	char		*tls_certificate_name;	/* raw "<I>...<S>..." or NULL */
	tri_t		 require_tls;
	char		*tls_auth_level;
	char		*tls_domain;
	struct strlist	 smart_hosts;
	bool		 smart_hosts_known;
	struct strlist	 address_spaces;
	bool		 address_spaces_known;
	char		*protocol_logging_level;
	tri_t		 cloud_services_mail_enabled;
	struct strlist	 sources;
	struct ev_ref	 ref;
	int		 source_rank;	/* 2 CliXml, 1 Format-List: richer wins */
};

/* Get-ReceiveConnector: per server, Identity "SERVER\\Name". */
struct ev_receive_connector {
	char		*identity;	/* "SERVER\\Name" as written, NULL unknown */
	char		*name;
	char		*server;	/* short upper-case name */
	struct strlist	 bindings;	/* "0.0.0.0:25", "[::]:25" */
	bool		 bindings_known;
	bool		 bindings_incomplete;	/* cut "{a, b, c, d...}" */
	char		*fqdn;
	char		*tls_certificate_name;	/* raw "<I>...<S>..." or NULL */
	struct strlist	 auth_mechanism;	/* "Tls", "ExchangeServer", ... */
	bool		 auth_mechanism_known;
	tri_t		 require_tls;
	char		*tls_domain_capabilities;
	char		*protocol_logging_level;
	char		*transport_role;	/* HubTransport, FrontendTransport */
	tri_t		 enabled;
	struct strlist	 sources;
	struct ev_ref	 ref;
	int		 source_rank;	/* richer source wins, as for send connectors */
};

/* Get-TransportService (Get-TransportServer): one per server. */
struct ev_transport_service {
	char		*server;	/* short upper-case name */
	char		*internal_transport_certificate;	/* thumbprint, NULL unknown */
	char		*send_protocol_log_path;
	char		*receive_protocol_log_path;
	char		*intra_org_connector_protocol_logging_level;
	struct strlist	 sources;
	struct ev_ref	 ref;
};

/* An application event that bears on TLS or certificates (12014, 12016, ...). */
struct ev_event {
	char		*server;	/* short upper-case name, NULL unknown */
	int64_t		 time;		/* UTC, TIME_UNKNOWN */
	char		*provider;	/* "MSExchangeTransport", ... */
	long		 id;		/* event id */
	char		*level;		/* "Error", "Warning", "Information", NULL */
	char		*message;
	struct ev_ref	 ref;
	/*
	 * The time came with its zone (UTC). Text exports print the server's
	 * local time without saying which: such a time is read as UTC and is
	 * not exact.
	 */
	bool		 time_exact;
	/*
	 * The message is the event's raw strings: the log was read without the
	 * provider's message DLL, which renders them into the text.
	 */
	bool		 message_raw;
};

struct ev_queue {
	char		*identity;	/* SERVER\id */
	char		*server;
	char		*delivery_type;
	char		*next_hop_domain;
	char		*next_hop_connector;
	char		*tls_domain;
	char		*status;	/* Ready, Retry, Suspended, Active */
	long		 message_count;	/* -1 unknown */
	char		*last_error;
	int64_t		 last_retry_time;
	/*
	 * True when the time came with its zone (CliXml, JSON); false for
	 * Format-List or CSV text, the server's local time read as UTC.
	 */
	bool		 last_retry_time_exact;
	struct ev_ref	 ref;
};

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

struct ev_tls_agg {
	char		*log_source;	/* = samples[0].source */
	char		*server;	/* from SERVER\Connector or the path; NULL unknown */
	bool		 receive;	/* SMTP Receive log (else Send) */
	char		*connector;	/* connector-id as logged */
	char		*cert_thumbprint;	/* the local certificate presented */
	char		*cert_subject;
	char		*cert_issuer;
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

/* Open-addressing index over one aggregate array (private to evidence_logs.c). */
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
};

struct input_info {
	char		*path;
	char		 sha256[65];	/* "" for a directory */
	uint64_t	 bytes;
};

struct evidence {
	struct ev_cert		*certs;
	size_t			 ncerts, certs_cap;
	struct ev_send_connector *sendc;
	size_t			 nsendc, sendc_cap;
	struct ev_queue		*queues;
	size_t			 nqueues, queues_cap;
	struct ev_receive_connector *recvc;
	size_t			 nrecvc, recvc_cap;
	struct ev_transport_service *transport;
	size_t			 ntransport, transport_cap;
	struct ev_event		*events;
	size_t			 nevents, events_cap;
	struct ev_tls_agg	*tls;
	size_t			 ntls, tls_cap;
	struct ev_session_agg	*sessions;
	size_t			 nsessions, sessions_cap;
	struct ev_connect_failure_agg *connfail;
	size_t			 nconnfail, connfail_cap;
	struct ev_response_agg	*responses;
	size_t			 nresponses, responses_cap;
	struct ev_agg_index	 tls_index, sessions_index, connfail_index,
				 responses_index;
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
	/* Which evidence kinds were seen at all, for the gaps list. */
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
 * The add functions copy everything they are given. Certificates merge on
 * (server, thumbprint), connectors on name (the richer source wins field by
 * field, unknown never overwrites known), queues on identity.
 */
struct ev_cert		*evidence_add_cert(struct evidence *, const struct ev_cert *);
struct ev_send_connector *evidence_add_send_connector(struct evidence *,
			    const struct ev_send_connector *);
struct ev_queue		*evidence_add_queue(struct evidence *, const struct ev_queue *);
void			 evidence_add_tls(struct evidence *, const struct ev_tls_event *);
void			 evidence_add_session(struct evidence *, const struct ev_log_event *,
			    bool starttls, bool anonymous_tls, int tls);
void			 evidence_add_connect_failure(struct evidence *,
			    const struct ev_log_event *, long winsock_error,
			    const char *destination);
void			 evidence_add_response(struct evidence *, const struct ev_log_event *,
			    const char *code);
/* Moves the log aggregates, summary and diagnostics of src to the end of dst. */
void			 evidence_take_logs(struct evidence *dst, struct evidence *src);
/* Attributes log aggregates to servers, merges equal ones, sorts (failing first). */
void			 evidence_logs_finish(struct evidence *, const struct strlist *servers);
void			 evidence_logs_free(struct evidence *);
/* The server a bundle path names, among `servers` (FORMATS.md section 1). */
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
/* Manifest entries not read (any status but MANIFEST_READ): evidence skipped. */
size_t			 evidence_skipped_count(const struct evidence *);
/*
 * Receive connectors merge on (server, name), transport services on server,
 * events on (server, time, id, message) so that twin exports count once.
 */
struct ev_receive_connector *evidence_add_receive_connector(struct evidence *,
			    const struct ev_receive_connector *);
struct ev_transport_service *evidence_add_transport_service(struct evidence *,
			    const struct ev_transport_service *);
struct ev_event		*evidence_add_event(struct evidence *, const struct ev_event *);
/* Whether an event id is one certtrail keeps (TLS and certificate events). */
bool			 event_id_relevant(long id);
void			 evidence_add_input(struct evidence *, const struct input_info *);

/* Blank initializers: every field unknown. */
void	 ev_cert_init(struct ev_cert *);
void	 ev_send_connector_init(struct ev_send_connector *);
void	 ev_queue_init(struct ev_queue *);
void	 ev_receive_connector_init(struct ev_receive_connector *);
void	 ev_transport_service_init(struct ev_transport_service *);
void	 ev_event_init(struct ev_event *);
void	 ev_receive_connector_clear(struct ev_receive_connector *);
void	 ev_transport_service_clear(struct ev_transport_service *);
void	 ev_event_clear(struct ev_event *);
void	 ev_cert_clear(struct ev_cert *);		/* frees the fields */
void	 ev_send_connector_clear(struct ev_send_connector *);
void	 ev_queue_clear(struct ev_queue *);

/*
 * After all input is read: attribute log aggregates to servers from their
 * paths, sort everything into a stable order (for deterministic output).
 */
void	 evidence_finish(struct evidence *);
/* The same order for receive connectors, transport services and events. */
void	 evidence_transport_sort(struct evidence *);

/* "EX01.contoso.com" -> "EX01": the form servers are compared in. */
char	*server_short_name(const char *);

#endif

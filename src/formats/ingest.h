/*
 * Ingesters: each input format's reader, and what they share: the entry as
 * they are handed it and the context of one run. The formats themselves,
 * with their detectors and bids, are the rows of formats.h.
 *
 * Ingest functions return the number of objects added, 0 when the entry held
 * nothing of theirs, and -1 when it was theirs but unreadable (after adding a
 * diagnostic naming the entry). They never keep pointers into the entry.
 * Per-run parser state (files held for later, protocol logs queued, ...)
 * lives in the ingest context, which the pipeline owns; the evidence holds
 * facts only.
 */
#ifndef CERTTRAIL_INGEST_H
#define CERTTRAIL_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "input/bundle.h"
#include "model/evidence.h"
#include "sniff.h"

/*
 * Files whose own dates cannot tell day from month, held until all input is
 * read, and the orders the other files decided for themselves, for the held
 * ones to take theirs from (ingest_held.c).
 */
struct held_note {
	char		*source;	/* bundle path */
	enum date_order	 order;		/* MDY, DMY; UNKNOWN: its dates contradict each other */
};

/* Reads a held file once its order is settled. */
typedef int	(*held_read_fn)(struct evidence *, const char *source,
		    const char *text, size_t len, enum date_order);

struct held_file {
	char		*source;
	char		*text;		/* decoded UTF-8, NUL-terminated */
	size_t		 len;
	held_read_fn	 read;
};

struct ingest_held {
	bool			 enabled;	/* hold such files instead of reading them at once */
	struct held_note	*notes;		/* in the order the files were read */
	size_t			 nnotes, notes_cap;
	struct held_file	*files;		/* likewise */
	size_t			 nfiles, files_cap;
	size_t			 bytes;		/* text held, for the cap */
};

struct logread;

/* What the parsers may keep between entries of one run. */
struct ingest_ctx {
	struct evidence		*ev;
	struct ingest_held	 held;
	struct logread		*logs;	/* logs parsed beside the walk */
	size_t			 log_piece_bytes;	/* 0: logread.h's default */
};

void	ingest_ctx_init(struct ingest_ctx *, struct evidence *);
void	ingest_ctx_free(struct ingest_ctx *);

/*
 * After ingest_held_defer(), a Format-List or CSV file whose dates cannot
 * tell the order is held (ingest_held_add; its ingest function returns how
 * many objects it will add) until ingest_held_finish(), called once all
 * input is read, reads it in the order the nearest other files agree on.
 * ingest_held_add returns false when the file cannot be held (not
 * deferring, or too much held already): it is then read at once.
 */
void	ingest_held_defer(struct ingest_ctx *);
bool	ingest_held_add(struct ingest_ctx *, const char *source, const char *text,
	    size_t len, held_read_fn);
/* The order a file read for itself decided, for the held ones. */
void	ingest_held_note(struct ingest_ctx *, const char *source,
	    const struct date_order_votes *);
/*
 * The order a file decides for itself from its dates (date_order_decide),
 * saying in an info diagnostic when its culture's pattern decided it
 * rather than a field's value.
 */
enum date_order ingest_order_own(struct evidence *, const char *source,
	    const struct date_order_votes *);
/* Whether the file's own dates settle the order (month or day first). */
bool	ingest_order_settled(const struct date_order_votes *);
void	ingest_held_finish(struct ingest_ctx *);
/* Frees what is held and noted, and stops holding. */
void	ingest_held_free(struct ingest_held *);

/* One bundle entry, as the bids and ingest functions see it. */
struct ingest_entry {
	const char		*path;		/* bundle path */
	const unsigned char	*data;		/* raw bytes */
	size_t			 len;
	const char		*text;		/* decoded UTF-8; NULL: not yet */
	size_t			 text_len;
	const struct sniff_text	*sniff;		/* its first lines, likewise */
	/* The manifest status when not simply "read" (bundle.h); may be NULL. */
	struct bundle_outcome	*outcome;
};

/* Format-List text: Get-ExchangeCertificate, Get-SendConnector, Get-Queue. */
int	ingest_fl(struct evidence *, const char *source, const char *text, size_t len);
/*
 * As ingest_fl, holding a file that cannot tell day from month itself
 * (ingest_held_defer above).
 */
int	ingest_fl_ctx(struct ingest_ctx *, const char *source, const char *text,
	    size_t len);
/* "Label : value" lines among the first lines (a transcript has a few). */
int	ingest_fl_sniff_lines(const struct sniff_text *);
/* Export-Clixml: send connectors (and certificates, through RawData + NRBF). */
int	ingest_clixml(struct evidence *, const char *source, const char *text, size_t len);
/* Whether a text is Export-Clixml output (event XML must not take it). */
bool	ingest_clixml_sniff(const struct sniff_text *);
/*
 * Export-Csv and ConvertTo-Json exports of the same cmdlets as above, plus
 * Get-ReceiveConnector, Get-TransportService and Get-WinEvent (record.h).
 */
int	ingest_csv(struct evidence *, const char *source, const char *text, size_t len);
/* As ingest_csv, holding a file that cannot tell day from month (above). */
int	ingest_csv_ctx(struct ingest_ctx *, const char *source, const char *text,
	    size_t len);
int	ingest_json(struct evidence *, const char *source, const char *text, size_t len);
/*
 * As ingest_json, saying in the manifest outcome (may be NULL) when the
 * file gave nothing: unsupported when none of its objects is of a kind
 * certtrail reads, damaged when it is malformed.
 */
int	json_ingest_file(struct evidence *, const char *source, const char *text,
	    size_t len, struct bundle_outcome *);
/* SMTP Send/Receive protocol logs. */
int	ingest_protolog(struct evidence *, const char *source, const char *text, size_t len);
/* Error transcripts (Remove-ExchangeCertificate refusals and the like). */
int	ingest_transcript(struct evidence *, const char *source, const char *text, size_t len);
/* Whether a text is an error transcript rather than a dump with an error. */
bool	ingest_transcript_sniff(const struct sniff_text *);
/* Certificate files: DER or PEM (.cer, .crt, .pem), PKCS#7 (.p7b). */
int	ingest_x509(struct evidence *, const char *source, const unsigned char *data, size_t len);
/*
 * Application event logs: the TLS and certificate events among them
 * (event_id_relevant). An .evtx file takes raw bytes; exports are text:
 * wevtutil /f:xml and /f:RenderedXml (and ToXml() inside <Events>), and
 * wevtutil /f:text or Get-WinEvent/Get-EventLog Format-List.
 */
int	ingest_evtx(struct evidence *, const char *source, const unsigned char *data, size_t len);
/* Whether this build reads .evtx files (libevtx was found at configure time). */
bool	evtx_supported(void);
int	ingest_event_xml(struct evidence *, const char *source, const char *text, size_t len);
int	ingest_event_text(struct evidence *, const char *source, const char *text, size_t len);
/*
 * Event Viewer's "Copy details as text" (English and localized labels, and
 * the older "Event Type:" layout), one event or several.
 */
int	ingest_event_viewer(struct evidence *, const char *source, const char *text,
	    size_t len);
/*
 * HealthChecker's exported XML, text report and HTML server report:
 * certificates, TLS settings, the Auth and internal transport certificates.
 */
int	ingest_healthchecker_xml(struct evidence *, const char *source,
	    const char *text, size_t len);
int	ingest_healthchecker_text(struct evidence *, const char *source,
	    const char *text, size_t len);
int	ingest_healthchecker_html(struct evidence *, const char *source,
	    const char *text, size_t len);
/* Transport event messages pasted alone, named by their wording. */
int	ingest_event_message(struct evidence *, const char *source, const char *text,
	    size_t len);
/*
 * Get-ExchangeCertificate's default table view (Thumbprint, Services as
 * "IP.WS..", a subject cut with "..."): thumbprint and services, the subject
 * marked incomplete.
 */
int	ingest_table(struct evidence *, const char *source, const char *text, size_t len);

#endif

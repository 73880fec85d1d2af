/*
 * Ingesters: each reads one bundle entry, already decoded to UTF-8 (except
 * ingest_x509, which takes raw bytes), and adds what it recognizes to the
 * evidence. They return the number of objects added, 0 when the entry held
 * nothing of theirs, and -1 when it was theirs but unreadable (after adding a
 * diagnostic naming `source`). They never keep pointers into `text`.
 */
#ifndef CERTTRAIL_INGEST_H
#define CERTTRAIL_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "evidence.h"

/* Format-List text: Get-ExchangeCertificate, Get-SendConnector, Get-Queue. */
int	ingest_fl(struct evidence *, const char *source, const char *text, size_t len);
/*
 * A Format-List file reads its dates in its own day/month order. After
 * ingest_fl_defer(), a file whose dates cannot tell the order is held (and
 * ingest_fl returns how many objects it will add) until ingest_fl_finish(),
 * called once all input is read: it takes the order the nearest other
 * Format-List files agree on (same folder, then the longest shared folder
 * prefix, then the whole case), and stays undecided when they disagree or
 * there are none.
 */
void	ingest_fl_defer(struct evidence *);
void	ingest_fl_finish(struct evidence *);
/*
 * The same for CSV exports, whose dates are culture-formatted too: a file
 * notes the order it decided for itself, or is held (returns false when it
 * cannot be: not deferring, or too much held already).
 */
enum { HELD_FORMAT_LIST = 0, HELD_CSV = 1 };
bool	ingest_held_add(struct evidence *, const char *source, const char *text,
	    size_t len, int kind);
void	ingest_held_note(struct evidence *, const char *source,
	    const struct date_order_votes *);
/* Export-Clixml: send connectors (and certificates, through RawData + NRBF). */
int	ingest_clixml(struct evidence *, const char *source, const char *text, size_t len);
/*
 * Export-Csv and ConvertTo-Json exports of the same cmdlets as above, plus
 * Get-ReceiveConnector, Get-TransportService and Get-WinEvent (record.h).
 */
int	ingest_csv(struct evidence *, const char *source, const char *text, size_t len);
/* A held CSV file, read once the order is settled (by ingest_fl_finish). */
int	ingest_csv_ordered(struct evidence *, const char *source, const char *text,
	    size_t len, enum date_order);
int	ingest_json(struct evidence *, const char *source, const char *text, size_t len);
/* SMTP Send/Receive protocol logs. */
int	ingest_protolog(struct evidence *, const char *source, const char *text, size_t len);
/* Error transcripts (Remove-ExchangeCertificate refusals and the like). */
int	ingest_transcript(struct evidence *, const char *source, const char *text, size_t len);
/* Certificate files: DER or PEM (.cer, .crt, .pem). */
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

#endif

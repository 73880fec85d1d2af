/*
 * What an entry is, by content rather than by name (names lie; FORMATS.md
 * section 1). Archives are told apart by magic bytes; text kinds by the
 * decoded UTF-8 start of the entry.
 */
#ifndef CERTTRAIL_SNIFF_H
#define CERTTRAIL_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

enum entry_kind {
	KIND_UNKNOWN = 0,
	KIND_ARCHIVE,		/* zip, gzip, tar, ... */
	KIND_X509_DER,
	KIND_X509_PEM,
	KIND_PROTOLOG,		/* "#Software: Microsoft Exchange Server" + "#Fields:" */
	KIND_CLIXML,		/* <Objs ... powershell/2004/04> */
	KIND_FORMAT_LIST,	/* "Label : value" records */
	KIND_TRANSCRIPT,	/* an error transcript (Remove-ExchangeCertificate ...) */
	KIND_CSV,
	KIND_JSON,
	KIND_TEXT,		/* other text: nothing we read */
	KIND_BINARY,
	KIND_EVTX,		/* Windows event log: "ElfFile\0" */
	KIND_EVENT_XML,		/* <Event xmlns=".../win/2004/08/events/event"> */
	KIND_EVENT_TEXT		/* wevtutil /f:text, Get-WinEvent | fl */
};

/* Kinds decided from raw bytes: archive, DER, evtx, binary; else KIND_UNKNOWN. */
enum entry_kind sniff_bytes(const unsigned char *, size_t);
/* Kinds decided from decoded text. */
enum entry_kind sniff_text(const char *utf8, size_t len);
const char *entry_kind_name(enum entry_kind);

#endif

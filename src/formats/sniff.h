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
	KIND_EVENT_TEXT,	/* wevtutil /f:text, Get-WinEvent | fl */
	KIND_CERT_TABLE		/* Get-ExchangeCertificate's default table view */
};

/*
 * What sniffing noticed in an entry, gathered once; the format table's bids
 * (formats.c) read it. Byte facts are set by sniff_facts_bytes, text facts by
 * sniff_facts_text (all false when the entry is not text).
 */
struct sniff_facts {
	bool	archive;	/* zip, gzip, bzip2, xz, tar magic */
	bool	der_cert;	/* one DER certificate */
	bool	der_pkcs7;	/* a PKCS#7 SignedData (.p7b) */
	bool	evtx;		/* a Windows event log file: "ElfFile\0" */
	bool	binary;		/* not text in any encoding we decode */
	bool	text;		/* sniff_facts_text ran */
	bool	pem_first;	/* the text starts with a PEM BEGIN line */
	bool	pem;		/* a PEM BEGIN line among the first lines */
	bool	protolog;	/* SMTP protocol log header */
	bool	log_fragment;	/* most lines shaped like protocol log rows,
				   without the header (pasted or cut) */
	bool	clixml;
	bool	event_xml;	/* wevtutil /f:xml, /f:RenderedXml, ToXml() */
	bool	event_text;	/* wevtutil /f:text, Get-WinEvent or
				   Get-EventLog Format-List */
	bool	transcript;	/* an error transcript, not a dump with an error;
				   not looked for when protolog, clixml or
				   pem_first is set */
	bool	cert_table;	/* "Thumbprint  Services  Subject" and dashes */
	bool	csv;
	bool	json;
	bool	printable;	/* mostly printable: text of some kind */
	int	fl_lines;	/* "Label : value" lines among the first ones */
	int	nonblank;
};

void	sniff_facts_bytes(const unsigned char *, size_t, struct sniff_facts *);
void	sniff_facts_text(const char *utf8, size_t len, struct sniff_facts *);

/* Kinds decided from raw bytes: archive, DER, evtx, binary; else KIND_UNKNOWN. */
enum entry_kind sniff_bytes(const unsigned char *, size_t);
/* Kinds decided from decoded text. */
enum entry_kind sniff_text(const char *utf8, size_t len);
const char *entry_kind_name(enum entry_kind);

#endif

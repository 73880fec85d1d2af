/*
 * The format table: one row per input format, as libarchive registers its
 * readers (archive_read_support_format_*). Each format's file defines its
 * row: its detector and bid, how it reads an entry, and what the entry is
 * called in the manifest and in a sentence. formats.c lists the rows;
 * adding a format is its file and one line there.
 *
 * For every entry the pipeline asks the rows that read raw bytes (DER
 * certificates, .evtx logs) to bid; when none does and the bytes are text,
 * it offers them raw to the rows with a stream hook (protocol logs, parsed
 * beside the walk), then decodes the text and asks the rows that read text.
 * The highest bid reads the entry; the scale is in formats.c.
 */
#ifndef CERTTRAIL_FORMATS_H
#define CERTTRAIL_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "input/bundle.h"
#include "ingest.h"
#include "sniff.h"

struct format {
	const char	 *name;		/* the manifest's kind: "format-list" */
	/*
	 * The kind for people, one and many ("CSV file", "CSV files"), in the
	 * sentence that lists what was read when none of it is evidence. NULL
	 * where no words have been chosen yet: the sentence then says
	 * "unrecognised file", as it always has for that kind.
	 */
	const char	 *one, *many;
	bool		  text;		/* bids on the decoded text, else on raw bytes */
	int		  best;		/* the highest bid it makes */
	/* 0: not mine; higher is surer; never above best. */
	int		(*bid)(const struct ingest_entry *);
	/*
	 * Optional: offered every text entry raw, before decoding; takes it
	 * (true) when it is of this format, to read it in its own time.
	 */
	bool		(*stream)(struct ingest_ctx *, const struct bundle_entry *);
	/*
	 * Optional: offered the first bytes of a large entry (bundle.h's
	 * pieces); a taker when it is of this format and is read in pieces.
	 */
	struct bundle_pieces *(*pieces)(struct ingest_ctx *,
			    const struct bundle_entry *head);
	/* Reads the entry (ingest.h); NULL: nothing to read, only listed. */
	int		(*ingest)(struct ingest_ctx *, const struct ingest_entry *);
	/* Optional: once all input is read (what was held or queued). */
	void		(*finish)(struct ingest_ctx *);
	/*
	 * An entry read whole is evidence even when it adds nothing: a log
	 * without a failure, an event export without a TLS event.
	 */
	bool		  read_is_evidence;
};

extern const struct format *const formats[];
extern const size_t		  nformats;

/*
 * The row that bids highest (the first among equals) on the entry: on its
 * decoded text when in->text is set, else on its raw bytes. NULL when none
 * bids.
 */
const struct format *format_choose(const struct ingest_entry *);
/* The stream hooks, in table order: the row that took the entry, or NULL. */
const struct format *format_stream(struct ingest_ctx *, const struct bundle_entry *);
/* The pieces hooks, in table order: a taker, and its row in *fmt; or NULL. */
struct bundle_pieces *format_pieces(struct ingest_ctx *,
		    const struct bundle_entry *head, const struct format **fmt);
/* The row that bids highest on a decoded text alone (no path, no bytes). */
const struct format *format_of_text(const char *utf8, size_t len);
/*
 * The manifest's kind of raw bytes: BUNDLE_KIND_ARCHIVE, a row that reads
 * bytes, SNIFF_KIND_BINARY, or NULL when the text must be decoded to tell.
 */
const char	*format_sniff_bytes(const unsigned char *, size_t);
/* The kind of a decoded text: a row's name, or SNIFF_KIND_BINARY. */
const char	*format_sniff_text(const char *utf8, size_t len);
/* A manifest kind for people, one and many ("unrecognised file" when unknown). */
void		 format_kind_words(const char *kind, const char **one,
		    const char **many);

#endif

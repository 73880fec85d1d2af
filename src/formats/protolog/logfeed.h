/*
 * A protocol log's bytes to its parser (reader.h), whole or in pieces:
 * decoded as the whole file would be, and, in pieces, cut back to whole
 * lines, so that the parser sees the same lines however the log was cut.
 * Replacements made by decoding are said once per log, after its own
 * diagnostics. One log at a time; the pieces of one log in order.
 */
#ifndef CERTTRAIL_LOGFEED_H
#define CERTTRAIL_LOGFEED_H

#include <stdbool.h>
#include <stddef.h>

#include "reader.h"
#include "util/diag.h"
#include "util/util.h"

struct logfeed {
	struct protolog_reader	*reader;
	struct diag_list	*diags;
	char			*path;		/* the log in pieces (owned) */
	struct buf		 carry;		/* the start of a line not ended yet */
	size_t			 replaced;
	const char		*enc;
};

void	logfeed_init(struct logfeed *, struct protolog_reader *,
	    struct diag_list *);
void	logfeed_free(struct logfeed *);
/* A whole log: its encoding decided from all of it. */
void	logfeed_whole(struct logfeed *, const char *path,
	    const unsigned char *, size_t);
/*
 * A log in pieces: its name (taken, freed at the end), each piece, the
 * end. Its start decided it is UTF-8 (no byte-order mark, no NUL bytes):
 * the pieces are read as UTF-8, whatever bytes they hold. whole false: the
 * log was cut short, and the line it was cut in is not read.
 */
void	logfeed_begin(struct logfeed *, char *path);
void	logfeed_piece(struct logfeed *, const unsigned char *, size_t);
void	logfeed_end(struct logfeed *, bool whole);

#endif

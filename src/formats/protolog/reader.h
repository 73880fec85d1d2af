/*
 * Protocol log files read one after another into the evidence, with one
 * parser per folder so that sessions carry over from a file to the next
 * (Exchange rotates logs in the middle of sessions).
 */
#ifndef CERTTRAIL_PROTOLOG_READER_H
#define CERTTRAIL_PROTOLOG_READER_H

#include <stddef.h>

#include "model/evidence.h"

struct protolog_reader;

struct protolog_reader *protolog_reader_new(struct evidence *);
/* As ingest_protolog(): TLS outcome rows added, 0, or -1 when unreadable. */
int	 protolog_reader_file(struct protolog_reader *, const char *source,
	    const char *text, size_t len);
/*
 * The same in parts: begin, feed the text cut at line ends as it comes,
 * end (returns what protolog_reader_file() does). source must stay valid
 * until the end.
 */
void	 protolog_reader_begin(struct protolog_reader *, const char *source);
void	 protolog_reader_feed(struct protolog_reader *, const char *text,
	    size_t len);
int	 protolog_reader_end(struct protolog_reader *);
/* Reports the sessions still open to the evidence, then frees. */
void	 protolog_reader_free(struct protolog_reader *);

#endif

/*
 * The one way parsers report problems (nrbf.c, x509.c, clixml.c, fl.c; the
 * XML lexer, xml.c, returns its error text to clixml.c, which reports it).
 *
 * A parser returns a status, and describes every problem it meets, as it
 * meets it, through a struct parse_diag: the bundle path, the line (0 when
 * the input has no lines, e.g. DER) and why. The caller chooses where the
 * problems go: into the run's diagnostics (out != NULL), or only counted with
 * the first one kept (out == NULL), for a caller that words its own
 * diagnostic around it. Nothing is cut silently: a message longer than
 * PARSE_DIAG_TEXT_MAX is kept whole in the diagnostics and marked cut in
 * `first`.
 */
#ifndef CERTTRAIL_PARSE_DIAG_H
#define CERTTRAIL_PARSE_DIAG_H

#include <stddef.h>

#include "diag.h"

enum parse_status {
	PARSE_FAILED = -1,	/* nothing usable */
	PARSE_OK = 0,
	PARSE_PARTIAL = 1	/* read, but something was skipped (reported) */
};

#define PARSE_DIAG_TEXT_MAX	256

struct parse_diag {
	struct diag_list	*out;		/* NULL: count and keep the first only */
	const char		*source;	/* bundle path, may be NULL */
	const char		*what;		/* "certificate RawData": prefixes each message */
	long			 base_line;	/* added to the parser's lines; the line
						   of problems reported at line 0 */
	size_t			 n;		/* problems reported */
	char			 first[PARSE_DIAG_TEXT_MAX];	/* "" when none */
};

void	parse_diag_init(struct parse_diag *, struct diag_list *out,
	    const char *source);
/* One problem at `line` (0: none). */
void	parse_problem(struct parse_diag *, enum diag_level, long line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

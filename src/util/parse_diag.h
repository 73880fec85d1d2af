/*
 * The one way a problem is handed on, from the parsers to the writers.
 *
 * Whoever meets a problem describes it, as it meets it, through the struct
 * parse_diag its caller gave it: where (the bundle path, a line, what was
 * being read) and why. The caller chose where the problems go:
 *
 *	into the run's diagnostics (out): findings.json, the reports, stderr;
 *	kept (out NULL): counted, the first one kept, for a test or for a
 *	    caller that words its own diagnostic around it;
 *	printed (print): "certtrail: SOURCE: why" on standard error, for the
 *	    command's own failures (an output that cannot be written).
 *
 * parse_problem() reports a problem at a level. The level is decided once,
 * by the code that knows what the problem costs, where it reports it: info
 * when nothing certtrail reads was lost (content it does not read set
 * aside, a note on how something was read); warning or error when some of
 * the evidence was, error for the losses a reader of the report must not
 * miss (an input named on the command line that cannot be read, an archive
 * whose rest is lost, an output not written). A function that cannot know
 * the cost (a tokenizer, a JSON parser, opening an archive) gives only the
 * cause of its failure, parse_cause(), kept for its caller to report in its
 * own words and at its own level (as tmux's "cause"); a cause never reaches
 * the diagnostics by itself.
 *
 * Parsers and readers report through here; the code that owns an entry's
 * whole reading (the ingest functions, the bundle walk) may add what it
 * concludes straight to the diagnostics list (diag.h), where these go too.
 *
 * Nothing is cut silently: a message longer than PARSE_DIAG_TEXT_MAX is kept
 * whole in the diagnostics and marked cut in `first`.
 */
#ifndef CERTTRAIL_PARSE_DIAG_H
#define CERTTRAIL_PARSE_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum parse_status {
	PARSE_FAILED = -1,	/* nothing usable */
	PARSE_OK = 0,
	PARSE_PARTIAL = 1	/* read, but something was skipped (reported) */
};

#define PARSE_DIAG_TEXT_MAX	256

struct parse_diag {
	struct diag_list	*out;		/* NULL: kept (or printed) only */
	bool			 print;		/* out NULL: print on stderr too */
	const char		*source;	/* bundle path, may be NULL */
	const char		*what;		/* "certificate RawData": prefixes each message */
	long			 base_line;	/* added to the parser's lines; the line
						   of problems reported at line 0 */
	/* 0: every problem listed; else those past it only counted. */
	size_t			 shown_max;
	size_t			 n;		/* problems reported */
	size_t			 unshown;	/* of them, past shown_max */
	char			 first[PARSE_DIAG_TEXT_MAX];	/* "" when none */
	/* The cause of the last failure (parse_cause), "" when none. */
	char			 cause[DIAG_MESSAGE_MAX];
	long			 cause_line;	/* its line, 0 for none */
};

void	parse_diag_init(struct parse_diag *, struct diag_list *out,
	    const char *source);
/* One problem at `line` (0: none), at the level its cost decides. */
void	parse_problem(struct parse_diag *, enum diag_level, long line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	parse_problemv(struct parse_diag *, enum diag_level, long line,
	    const char *fmt, va_list) __attribute__((format(printf, 4, 0)));
/* Why something failed, at `line` (0: none), for the caller to report. */
void	parse_cause(struct parse_diag *, long line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif

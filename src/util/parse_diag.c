/* Problem reports from parsers to writers (parse_diag.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_diag.h"
#include "util.h"

void
parse_diag_init(struct parse_diag *pd, struct diag_list *out, const char *source)
{
	memset(pd, 0, sizeof *pd);
	pd->out = out;
	pd->source = source;
}

/* A parser without lines (DER) reports at the caller's line. */
static long
line_at(const struct parse_diag *pd, long line)
{
	return line > 0 ? pd->base_line + line : pd->base_line;
}

void
parse_problemv(struct parse_diag *pd, enum diag_level level, long line,
    const char *fmt, va_list ap)
{
	va_list	 aq;
	char	*msg, *full;
	long	 at;
	int	 n;

	if (pd == NULL)
		return;
	if (pd->shown_max > 0 && pd->n - pd->unshown >= pd->shown_max) {
		pd->n++;
		pd->unshown++;
		return;
	}
	at = line_at(pd, line);
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	msg = xmalloc((size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	if (at > 0 && pd->what != NULL)
		full = xasprintf("line %ld: %s: %s", at, pd->what, msg);
	else if (at > 0)
		full = xasprintf("line %ld: %s", at, msg);
	else if (pd->what != NULL)
		full = xasprintf("%s: %s", pd->what, msg);
	else
		full = xstrdup(msg);
	free(msg);
	if (pd->n++ == 0) {
		n = snprintf(pd->first, sizeof pd->first, "%s", full);
		/* Say it was cut rather than cut it silently. */
		if (n >= (int)sizeof pd->first)
			memcpy(pd->first + sizeof pd->first - 4, "...", 4);
	}
	if (pd->out != NULL)
		diag_add(pd->out, level, pd->source, "%s", full);
	else if (pd->print)
		fprintf(stderr, "certtrail: %s%s%s\n", pd->source != NULL ?
		    pd->source : "", pd->source != NULL ? ": " : "", full);
	free(full);
}

void
parse_problem(struct parse_diag *pd, enum diag_level level, long line,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	parse_problemv(pd, level, line, fmt, ap);
	va_end(ap);
}

void
parse_cause(struct parse_diag *pd, long line, const char *fmt, ...)
{
	va_list	ap;

	if (pd == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(pd->cause, sizeof pd->cause, fmt, ap);
	va_end(ap);
	pd->cause_line = line_at(pd, line);
}

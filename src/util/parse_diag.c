/* Problem reports from parsers (parse_diag.h). */
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

void
parse_problem(struct parse_diag *pd, enum diag_level level, long line,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *full;
	long	 at;
	int	 n;

	if (pd == NULL)
		return;
	/* A parser without lines (DER) reports at the caller's line. */
	at = line > 0 ? pd->base_line + line : pd->base_line;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
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
	free(full);
}

/* The diagnostics list: every skipped or misunderstood piece of input. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

static const char *const level_names[] = { "info", "warning", "error" };

const char *
diag_level_name(enum diag_level l)
{
	return level_names[l];
}

void
diag_add(struct diag_list *dl, enum diag_level level, const char *source,
    const char *fmt, ...)
{
	va_list		 ap;
	struct diag	*d;
	char		 msg[DIAG_MESSAGE_MAX];
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Longer messages say they were cut. */
	if (n >= (int)sizeof msg)
		memcpy(msg + sizeof msg - 4, "...", 4);
	/* Library error strings (libarchive's) often end in a newline. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	str_trim(msg);

	dl->v = xreallocarray_grow(dl->v, &dl->cap, dl->n + 1, sizeof *dl->v);
	d = &dl->v[dl->n++];
	d->level = level;
	d->source = xstrdup(source);
	d->message = xstrdup(msg);
	diag_echo(dl->echo, d);
}

void
diag_echo(int echo, const struct diag *d)
{
	if (echo > (int)DIAG_ERROR - (int)d->level)
		fprintf(stderr, "certtrail: %s: %s%s%s\n",
		    level_names[d->level], d->source ? d->source : "",
		    d->source ? ": " : "", d->message);
}

size_t
diag_count(const struct diag_list *dl, enum diag_level level)
{
	size_t	i, n = 0;

	for (i = 0; i < dl->n; i++)
		if (dl->v[i].level == level)
			n++;
	return n;
}

void
diag_list_free(struct diag_list *dl)
{
	size_t	i;

	for (i = 0; i < dl->n; i++) {
		free(dl->v[i].source);
		free(dl->v[i].message);
	}
	free(dl->v);
	dl->v = NULL;
	dl->n = dl->cap = 0;
}

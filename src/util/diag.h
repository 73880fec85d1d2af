/*
 * Diagnostics: what could not be read, skipped or understood, naming the bundle
 * path it concerns. They go to findings.json, the reports and standard error;
 * nothing from the bundle is ever dropped without one.
 */
#ifndef CERTTRAIL_DIAG_H
#define CERTTRAIL_DIAG_H

#include <stddef.h>

enum diag_level { DIAG_INFO, DIAG_WARNING, DIAG_ERROR };

/* Longest message kept; a longer one ends in "...". */
#define DIAG_MESSAGE_MAX	1024

struct diag {
	enum diag_level	 level;
	char		*source;	/* bundle path, or NULL */
	char		*message;
};

struct diag_list {
	struct diag	*v;
	size_t		 n;
	size_t		 cap;
	/* Also printed to stderr as they come: 0 none, 1 errors, 2 warnings too, 3 all. */
	int		 echo;
};

void	 diag_add(struct diag_list *, enum diag_level, const char *source,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Prints d to stderr as diag_add() would at this echo level. */
void	 diag_echo(int echo, const struct diag *d);
const char *diag_level_name(enum diag_level);
size_t	 diag_count(const struct diag_list *, enum diag_level);
void	 diag_list_free(struct diag_list *);

#endif

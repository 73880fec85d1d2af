/*
 * Evidence gaps (gaps.c): what the bundle lacks for a confident answer, each
 * with the command that would collect it. The rules add theirs as they run;
 * the list owns its strings.
 */
#ifndef CERTTRAIL_GAPS_H
#define CERTTRAIL_GAPS_H

#include <stddef.h>

#include "model/evidence.h"

struct gap {
	char	*what;		/* "no Get-ExchangeCertificate output" */
	char	*collect;	/* the command that would collect it */
};

struct gap_list {
	struct gap	*v;
	size_t		 n;
	size_t		 cap;
};

void	 gap_add(struct gap_list *, const char *what, const char *collect);
void	 gap_list_free(struct gap_list *);
/* The gaps any case can have: missing dumps, cut lists, servers without inventory. */
void	 gaps_collect(const struct evidence *, struct gap_list *);

#endif

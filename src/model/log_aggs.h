/*
 * Log aggregates seen generically: the private parts shared by
 * evidence_logs.c (the four families: TLS outcomes, sessions, connect
 * failures, responses) and log_aggs.c (the one index, merge and order
 * they all use), and nothing else.
 *
 * A family is a row of operations (struct log_family): where its array
 * lives in struct evidence, where an aggregate keeps the fields every
 * family has, which strings it owns, and the three things that differ from
 * family to family: the fields of its key, what it folds beyond the counts
 * when two groups merge, and its order in the report.
 *
 * A row is added as a probe: an aggregate on the stack whose strings are
 * borrowed from the row. Its key is built from it as the stored one is
 * when it is rekeyed, so the two can never disagree; only a probe that
 * starts a new group is copied.
 */
#ifndef CERTTRAIL_LOG_AGGS_H
#define CERTTRAIL_LOG_AGGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "evidence.h"

/*
 * A grouping key, built field by field, mostly in its own buffer: copied to
 * the heap only when it starts a new group.
 */
#define LOG_KEY_FIRST_CAP	256

struct log_key {
	char	*s;		/* stack, or the heap when it outgrew it */
	size_t	 n, cap;
	char	 stack[LOG_KEY_FIRST_CAP];
};

void	log_key_init(struct log_key *);
void	log_key_free(struct log_key *);
/* A field of n bytes; NULL is unknown, which differs from empty. Lower-cased. */
void	log_key_add_n(struct log_key *, const char *, size_t);
void	log_key_add_int(struct log_key *, long);

/* A field (a dozen for every TLS row: no call for each). */
static inline void
log_key_add(struct log_key *k, const char *v)
{
	log_key_add_n(k, v, v != NULL ? strlen(v) : 0);
}

struct log_family {
	/* Its array in struct evidence: the elements, their count and room, the index. */
	size_t	 array, count, cap, index;
	/* One aggregate: its size, and where the fields every family has are. */
	size_t	 size, group, server, connector, n, first, last;
	long	 receive;	/* offset of its direction; -1: none (sends only) */
	/* The strings it owns: copied from the probe that starts it, freed with it. */
	const size_t *owned;
	size_t	 nowned;
	/* Its key after the scope (server or folder), from an aggregate. */
	void	(*key)(struct log_key *, const void *agg);
	/* What b adds to a beyond the count, span and samples; NULL: nothing. */
	void	(*fold)(void *a, void *b);
	/* The report's order. */
	int	(*cmp)(const void *, const void *);
};

/*
 * Counts one row in the group of the probe, started from a copy of the
 * probe when there is none yet (*created then says so): its folder from
 * `source`, its server from a receive row's SERVER\Connector.
 */
void	*log_add(struct evidence *, const struct log_family *, const void *probe,
	    const char *source, long line, int64_t time, bool *created);
/*
 * Attributes each group without a server (from `servers`, its path, its
 * send connector), rekeys it and merges equal groups into the first; sorts
 * the family and rebuilds its index.
 */
void	 log_finish(struct evidence *, const struct log_family *,
	    const struct strlist *servers);
/* Adds the servers the family's groups name to `servers`. */
void	 log_servers(struct evidence *, const struct log_family *,
	    struct strlist *servers);
/* Moves src's groups to the end of dst's (dst's index to be rebuilt). */
void	 log_take(struct evidence *dst, struct evidence *src,
	    const struct log_family *);
void	 log_free(struct evidence *, const struct log_family *);

/* What the families share beyond the table. */
bool	 log_host_span(const char *endpoint, const char **p, size_t *n);
void	 log_span_add(int64_t *first, int64_t *last, int64_t);
int	 log_cmp_opt(const char *, const char *);
int	 log_cmp_group(const struct ev_log_group *, const struct ev_log_group *);
int	 log_cmp_sample(const struct ev_log_sample *, const struct ev_log_sample *);

#endif

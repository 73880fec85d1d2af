/*
 * What every kind's store does when two exports describe one object (the
 * .txt and the .xml of one dump, two captures): fill in what is unknown,
 * never overwrite what is known, and remember every file it was read in.
 */
#ifndef CERTTRAIL_KIND_MERGE_H
#define CERTTRAIL_KIND_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/evidence.h"

/* *dst takes src when *dst is unknown. */
void	 ev_fill_str(char **dst, const char *src);
void	 ev_fill_tri(tri_t *dst, tri_t src);
void	 ev_fill_time(int64_t *dst, int64_t src);
void	 ev_fill_list(struct strlist *dst, bool *dst_known,
	    const struct strlist *src, bool src_known);
/* Adds the files src was read in, and `ref` (may be NULL), to dst. */
void	 ev_sources_add(struct strlist *dst, const struct strlist *src,
	    const char *ref);

#endif

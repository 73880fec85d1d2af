/*
 * The limits against bombs (--max-total-bytes, --max-entry-bytes,
 * --max-ratio with --ratio-grace, --max-depth, --max-entries), counted as
 * the data is read, and the reasons that say which one was passed and how to
 * raise it. All but the total and the entry count are judged per entry: one
 * bad entry costs only itself.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "bundle_walk.h"
#include "util/diag.h"
#include "util/util.h"

bool
total_exceeded(const struct walk *w)
{
	return w->lim->max_total_bytes != 0 && w->total > w->lim->max_total_bytes;
}

/*
 * Whether an entry that produced `out` bytes from `in` bytes of its archive
 * expands too much. Below the grace size the ratio does not matter: what a
 * bomb threatens is the bytes it produces, and a small file of one repeated
 * character compresses a thousandfold without harm.
 */
static bool
ratio_exceeded(const struct walk *w, uint64_t out, uint64_t in)
{
	if (w->lim->max_ratio <= 0 || out <= w->lim->ratio_grace)
		return false;
	return (double)out > w->lim->max_ratio * (double)(in > 0 ? in : 1);
}

/* Counts one more entry; false once the case holds more than --max-entries. */
bool
entry_count(struct walk *w)
{
	if (w->lim->max_entries > 0 && w->nentries >= w->lim->max_entries) {
		w->entries_full = 1;
		return false;
	}
	w->nentries++;
	return true;
}

char *
why_too_many(const struct walk *w)
{
	return xasprintf("the case has more than %ld entries (raise the limit "
	    "with --max-entries)", w->lim->max_entries);
}

char *
why_too_large(const struct walk *w, uint64_t size)
{
	return xasprintf("%llu bytes or more, over the per-entry limit of %llu "
	    "bytes (raise it with --max-entry-bytes)", (unsigned long long)size,
	    (unsigned long long)w->lim->max_entry_bytes);
}

char *
why_total(const struct walk *w)
{
	return xasprintf("the case's content passed the limit of %llu "
	    "decompressed bytes (raise it with --max-total-bytes)",
	    (unsigned long long)w->lim->max_total_bytes);
}

char *
why_too_deep(const struct walk *w, int depth)
{
	return xasprintf("nested archive not opened: it is nested %d deep, "
	    "over the limit of %d (raise it with --max-depth)", depth,
	    w->lim->max_depth);
}

/* Says why the current entry of ar is not read (takes why). */
void
arch_mark(struct arch *ar, enum entry_status st, char *why)
{
	free(ar->cur_why);
	ar->cur_status = st;
	ar->cur_why = why;
}

/*
 * Counts n more decompressed bytes of the current entry of ar, which has
 * taken `in` bytes of ar's own input so far. READ_SKIP once the entry
 * expands too much, READ_STOP once the case's total is passed; the reason is
 * in ar->cur_why.
 */
enum read_result
entry_bytes_count(struct walk *w, struct arch *ar, size_t n, uint64_t in)
{
	w->total += (uint64_t)n;
	ar->cur_out += (uint64_t)n;
	if (total_exceeded(w)) {
		arch_mark(ar, MANIFEST_SKIPPED, why_total(w));
		return READ_STOP;
	}
	if (ratio_exceeded(w, ar->cur_out, in)) {
		arch_mark(ar, MANIFEST_SKIPPED, xasprintf("it expands more than "
		    "%g times its compressed size (%llu bytes out of %llu), "
		    "which looks like a zip bomb (raise the limit with "
		    "--max-ratio or --ratio-grace)", w->lim->max_ratio,
		    (unsigned long long)ar->cur_out, (unsigned long long)in));
		return READ_SKIP;
	}
	return READ_OK;
}

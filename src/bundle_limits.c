/*
 * The limits against bombs (--max-total-bytes, --max-entry-bytes,
 * --max-ratio, --max-depth, --max-entries), counted as the data is read,
 * and the diagnostics that say which one was passed and how to raise it.
 */
#include "config.h"

#include <stdint.h>

#include "bundle_walk.h"
#include "diag.h"

/* Small archives may compress extremely well; the ratio is judged past this. */
#define RATIO_GRACE		(1024 * 1024)

bool
total_exceeded(const struct walk *w)
{
	return w->lim->max_total_bytes != 0 && w->total > w->lim->max_total_bytes;
}

static bool
ratio_exceeded(const struct walk *w, const struct arch *ar)
{
	return w->lim->max_ratio > 0 && ar->decompressed > RATIO_GRACE &&
	    ar->compressed > 0 &&
	    (double)ar->decompressed > w->lim->max_ratio * (double)ar->compressed;
}

/*
 * Counts one more entry; false (with a diagnostic naming it) once the case
 * holds more than --max-entries.
 */
bool
entry_count(struct walk *w, const char *path, const char *container)
{
	if (w->lim->max_entries > 0 && w->nentries >= w->lim->max_entries) {
		if (container != NULL)
			diag_add(&w->ev->diags, DIAG_WARNING, path,
			    "not read, nor the rest of %s: the case has more than "
			    "%ld entries (raise the limit with --max-entries)",
			    container, w->lim->max_entries);
		else
			diag_add(&w->ev->diags, DIAG_WARNING, path,
			    "not read: the case has more than %ld entries "
			    "(raise the limit with --max-entries)",
			    w->lim->max_entries);
		w->entries_full = 1;
		return false;
	}
	w->nentries++;
	return true;
}

void
diag_entry_too_large(struct walk *w, const char *path, uint64_t size)
{
	diag_add(&w->ev->diags, DIAG_WARNING, path,
	    "skipped: %llu bytes or more, over the per-entry limit of %llu "
	    "bytes (raise it with --max-entry-bytes)",
	    (unsigned long long)size,
	    (unsigned long long)w->lim->max_entry_bytes);
}

void
diag_total_exceeded(struct walk *w, const char *path, const char *container)
{
	diag_add(&w->ev->diags, DIAG_WARNING, path,
	    "not read%s%s: the case's content passed the limit of %llu "
	    "decompressed bytes (raise it with --max-total-bytes)",
	    container != NULL ? ", nor the rest of " : "",
	    container != NULL ? container : "",
	    (unsigned long long)w->lim->max_total_bytes);
}

void
diag_too_deep(struct walk *w, const char *path, int depth)
{
	diag_add(&w->ev->diags, DIAG_WARNING, path,
	    "nested archive not opened: it is nested %d deep, over "
	    "the limit of %d (raise it with --max-depth)",
	    depth, w->lim->max_depth);
}

/*
 * Counts n more decompressed bytes of the entry `path` of ar against the
 * total and ratio limits: READ_STOP, with a diagnostic, once one is passed.
 */
enum read_result
entry_bytes_count(struct walk *w, struct arch *ar, const char *path, size_t n)
{
	w->total += (uint64_t)n;
	ar->decompressed += (uint64_t)n;
	if (total_exceeded(w)) {
		diag_total_exceeded(w, path, ar->name);
		return READ_STOP;
	}
	if (ratio_exceeded(w, ar)) {
		diag_add(&w->ev->diags, DIAG_WARNING, path,
		    "not read, nor the rest of %s: it expands more than "
		    "%g times its size (%llu bytes out of %llu so far), "
		    "which looks like a zip bomb (raise the limit with "
		    "--max-ratio)", ar->name, w->lim->max_ratio,
		    (unsigned long long)ar->decompressed,
		    (unsigned long long)ar->compressed);
		return READ_STOP;
	}
	return READ_OK;
}

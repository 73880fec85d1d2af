/*
 * Nested archives too large to hold in memory, read as a stream pulled out
 * of the enclosing archive's entry: every byte hashed and counted on the
 * way, and the entry read to its end for the hash.
 */
#include "config.h"

#include <archive.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"
#include "hash.h"
#include "util.h"

/*
 * The next bytes of the entry a streamed archive is read from, into
 * ar->rbuf: hashed and counted against the limits as they pass, whether the
 * archive's reader uses them or not. 0 at the entry's end; -1 once the
 * stream is cut short (ar->cut says why; limits are reported here).
 */
static la_ssize_t
stream_pull(struct arch *ar)
{
	struct walk	*w = ar->w;
	la_ssize_t	 n;
	la_int64_t	 pos;
	enum read_result rr;

	if (ar->cut != CUT_NONE)
		return -1;
	n = archive_read_data(ar->parent, ar->rbuf, READ_CHUNK);
	if (n == 0)
		return 0;
	if (n < 0) {
		if (arch_cut(ar->up))
			ar->cut = CUT_UP;
		else {
			ar->cut = n == ARCHIVE_FATAL ? CUT_DAMAGED : CUT_BROKEN;
			ar->cut_msg = xstrdup(archive_error(ar->parent));
		}
		return -1;
	}
	hash_sha256_update(ar->hash, ar->rbuf, (size_t)n);
	ar->passed += (uint64_t)n;
	ar->compressed += (uint64_t)n;
	/*
	 * The archive is an entry of up: its bytes count against the total
	 * and its ratio in up, as any entry's. It is never held whole, so the
	 * per-entry size limit is for the entries read out of it.
	 */
	pos = archive_filter_bytes(ar->parent, -1);
	rr = entry_bytes_count(w, ar->up, (size_t)n, pos > ar->up->cur_in0 ?
	    (uint64_t)(pos - ar->up->cur_in0) : 0);
	if (rr != READ_OK) {
		ar->cut = rr == READ_STOP ? CUT_STOP : CUT_SKIP;
		return -1;
	}
	return n;
}

/* libarchive's read callback for a streamed archive. */
static la_ssize_t
stream_read(struct archive *a, void *client, const void **out)
{
	struct arch	*ar = client;
	la_ssize_t	 n;

	if (ar->pending != NULL && !ar->pending_served) {
		ar->pending_served = true;
		*out = ar->pending;
		return (la_ssize_t)ar->pending_len;
	}
	/* libarchive is done with the previous block once it asks again. */
	free(ar->pending);
	ar->pending = NULL;
	if ((n = stream_pull(ar)) < 0) {
		archive_set_error(a, EIO,
		    "the enclosing archive's data was cut short");
		return ARCHIVE_FATAL;
	}
	*out = ar->rbuf;
	return n;
}

/* Reads what is left of a streamed archive's entry, for its hash. */
static void
stream_drain(struct arch *ar)
{
	while (stream_pull(ar) > 0)
		;
}

/*
 * Opens a streamed archive. A stream is read once: raw is tried in the same
 * pass, for a lone compressed file. *err gets libarchive's reason on failure
 * (owned by the caller).
 */
struct archive *
arch_stream_open(struct arch *ar, const unsigned char *head, size_t headlen,
    char **err)
{
	struct archive	*a;

	a = archive_reader_new(is_compressed_magic(head, headlen), true);
	if (archive_read_open2(a, ar, NULL, stream_read, NULL, NULL) >=
	    ARCHIVE_WARN)
		return a;
	*err = xstrdup(archive_error(a));
	archive_read_free(a);
	return NULL;
}

/*
 * A nested archive too large to hold in memory, read as a stream out of
 * the entry of `up` that a is positioned on; head holds the entry's first
 * bytes, already read and counted. Every byte of the entry is hashed on the
 * way, and what the archive's reader leaves (a zip's central directory) is
 * read to the end for the hash. The archive is in the manifest, ahead of
 * its entries, read or not; its hash only when all of it could be read.
 */
enum read_result
archive_stream_walk(struct walk *w, struct archive *a, struct arch *up,
    const char *path, struct buf *head, int64_t mtime, int depth)
{
	struct arch		 ar;
	char			 sha[65], *why = NULL;
	size_t			 at = w->ev->nentries;
	enum read_result	 rr = READ_OK;
	enum entry_status	 st = MANIFEST_READ;
	bool			 opened = true;

	memset(&ar, 0, sizeof ar);
	ar.name = path;
	ar.prefix = path;
	ar.depth = depth;
	ar.fd = -1;
	ar.w = w;
	ar.parent = a;
	ar.up = up;
	ar.pending = (unsigned char *)buf_steal(head, &ar.pending_len);
	ar.rbuf = xmalloc(READ_CHUNK);
	ar.hash = hash_sha256_new();
	hash_sha256_update(ar.hash, ar.pending, ar.pending_len);
	ar.passed = ar.pending_len;
	ar.compressed = ar.pending_len;
	ar.manifest_at = SIZE_MAX;

	if (depth > w->lim->max_depth) {
		st = MANIFEST_SKIPPED;
		why = why_too_deep(w, depth);
		diag_add(&w->ev->diags, DIAG_WARNING, path, "skipped: %s", why);
	} else
		opened = arch_read(w, &ar, ar.pending, ar.pending_len,
		    DIAG_WARNING);
	stream_drain(&ar);
	hash_sha256_final(ar.hash, sha);

	switch (ar.cut) {
	case CUT_NONE:
		if (!opened && st == MANIFEST_READ) {
			st = MANIFEST_DAMAGED;
			why = xstrdup("looks like an archive but cannot be opened");
		}
		break;
	case CUT_UP:
		st = MANIFEST_SKIPPED;
		why = xasprintf("cut short with %s, which holds it: %ld "
		    "entr%s read from it before %s kept", up->name, ar.nread,
		    ar.nread == 1 ? "y" : "ies", ar.nread == 1 ? "is" : "are");
		rr = READ_STOP;
		break;
	case CUT_STOP:
	case CUT_SKIP:
		st = MANIFEST_SKIPPED;
		why = xasprintf("not read past %llu bytes: %s; %ld entr%s read "
		    "from it before %s kept, the rest is not read",
		    (unsigned long long)ar.passed, up->cur_why != NULL ?
		    up->cur_why : "a limit", ar.nread, ar.nread == 1 ? "y" : "ies",
		    ar.nread == 1 ? "is" : "are");
		diag_add(&w->ev->diags, DIAG_WARNING, path, "skipped: %s", why);
		rr = ar.cut == CUT_STOP ? READ_STOP : READ_SKIP;
		break;
	case CUT_BROKEN:
	case CUT_DAMAGED:
		st = MANIFEST_DAMAGED;
		why = xasprintf("damaged or truncated entry in %s (%s): %ld "
		    "entr%s read from it before the damage %s kept, the rest "
		    "is lost", up->name, ar.cut_msg, ar.nread,
		    ar.nread == 1 ? "y" : "ies", ar.nread == 1 ? "is" : "are");
		diag_add(&w->ev->diags, DIAG_WARNING, path, "damaged: %s", why);
		rr = ar.cut == CUT_DAMAGED ? READ_FATAL : READ_SKIP;
		break;
	}
	/* A hash of part of the entry would be false. */
	manifest_insert_archive(w, at, path, ar.cut == CUT_NONE ? sha : "",
	    ar.passed, mtime, st, why);
	free(why);
	free(ar.cut_msg);
	free(ar.pending);
	free(ar.rbuf);
	return rr;
}

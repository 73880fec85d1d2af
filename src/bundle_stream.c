/*
 * Nested archives too large to hold in memory, read as a stream pulled out
 * of the enclosing archive's entry: every byte hashed and counted on the
 * way, and the entry read to its end for the hash.
 */
#include "config.h"

#include <archive.h>
#include <errno.h>
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
	if (entry_bytes_count(w, ar->up, ar->name, (size_t)n) != READ_OK) {
		ar->cut = CUT_STOP;
		return -1;
	}
	if (w->lim->max_entry_bytes != 0 && ar->passed > w->lim->max_entry_bytes) {
		diag_add(&w->ev->diags, DIAG_WARNING, ar->name,
		    "not read past %llu bytes, the per-entry limit (raise it "
		    "with --max-entry-bytes): %ld entr%s read from it before "
		    "are kept", (unsigned long long)w->lim->max_entry_bytes,
		    ar->nread, ar->nread == 1 ? "y" : "ies");
		ar->cut = CUT_SKIP;
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
 * read to the end for the hash. The archive is in the manifest only when
 * all of it could be read: a hash of part of it would be false.
 */
enum read_result
archive_stream_walk(struct walk *w, struct archive *a, struct arch *up,
    const char *path, struct buf *head, int64_t mtime, int depth)
{
	struct arch		 ar;
	char			 sha[65];
	size_t			 at = w->ev->nentries;
	enum read_result	 rr = READ_OK;

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

	if (depth > w->lim->max_depth)
		diag_too_deep(w, path, depth);
	else
		arch_read(w, &ar, ar.pending, ar.pending_len, DIAG_WARNING);
	stream_drain(&ar);
	hash_sha256_final(ar.hash, sha);

	switch (ar.cut) {
	case CUT_NONE:
		manifest_insert_archive(w, at, path, sha, ar.passed, mtime);
		break;
	case CUT_UP:
	case CUT_STOP:
		rr = READ_STOP;
		break;
	case CUT_SKIP:
		rr = READ_SKIP;
		break;
	case CUT_BROKEN:
	case CUT_DAMAGED:
		diag_add(&w->ev->diags, DIAG_WARNING, path,
		    "damaged or truncated entry in %s (%s): %ld entr%s read "
		    "from it before the damage %s kept, the rest is lost",
		    up->name, ar.cut_msg, ar.nread, ar.nread == 1 ? "y" : "ies",
		    ar.nread == 1 ? "is" : "are");
		rr = ar.cut == CUT_DAMAGED ? READ_FATAL : READ_SKIP;
		break;
	}
	free(ar.cut_msg);
	free(ar.pending);
	free(ar.rbuf);
	return rr;
}

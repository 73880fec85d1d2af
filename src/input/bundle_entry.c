/*
 * One entry of an archive: its bundle path, its data read into a buffer
 * and counted against the limits, the rest of it passed over when it is
 * skipped; then handed on whole, or, when it is a large archive, to be
 * read as a stream.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"
#include "util/util.h"

/*
 * Nested archives up to this size are read into memory: opened from there,
 * a damaged entry can be passed over by opening the archive again. Larger
 * ones are streamed (a stream cannot be opened again: a zip's is picked up at
 * its next entry header past damage, a tarball's ends there).
 */
#define STREAM_THRESHOLD	(4 * 1024 * 1024)
/*
 * Entry buffers up to this size are kept for the next entry at the same
 * depth: allocated afresh, every entry's pages would fault in again.
 */
#define ENTRY_BUF_KEEP		(32 * 1024 * 1024)

static bool
error_says_encrypted(const char *e)
{
	return ascii_strcasestr(e, "crypt") != NULL ||
	    ascii_strcasestr(e, "passphrase") != NULL;
}

/* The entry's bundle path: prefix + normalized name. */
static char *
arch_entry_path(struct arch *ar, struct archive_entry *ae)
{
	const char	*name;
	char		*norm, *path;

	if (ar->raw_name != NULL)
		name = ar->raw_name;
	else if ((name = archive_entry_pathname_utf8(ae)) == NULL &&
	    (name = archive_entry_pathname(ae)) == NULL)
		name = "";
	norm = path_normalize(name);
	if (*norm == '\0') {
		free(norm);
		norm = xasprintf("(unnamed entry %ld)", ar->nread + 1);
	}
	path = path_join(ar->prefix, norm);
	free(norm);
	return path;
}

/* Bytes of ar's own input its current entry has taken so far. */
static uint64_t
entry_in(struct archive *a, struct arch *ar)
{
	la_int64_t	pos = archive_filter_bytes(a, -1);

	return pos > ar->cur_in0 ? (uint64_t)(pos - ar->cur_in0) : 0;
}

/*
 * Reads up to room bytes of the current entry into dst, counting them
 * against the limits as they come (header sizes are not trusted); have is
 * what the entry gave before. *got is 0 at the entry's end. When the rest of
 * the entry is not read, ar->cur_status and ar->cur_why say why.
 */
static enum read_result
entry_read_some(struct walk *w, struct archive *a, struct arch *ar,
    unsigned char *dst, size_t room, size_t have, size_t *got)
{
	la_ssize_t	 n;
	const char	*e;
	enum read_result rr;

	*got = 0;
	n = archive_read_data(a, dst, room);
	if (n == 0)
		return READ_OK;
	/* A stream cut short is reported where it was cut. */
	if (n < 0 && arch_cut(ar))
		return READ_STOP;
	if (n < 0) {
		e = arch_error(a);
		if (n != ARCHIVE_FATAL && error_says_encrypted(e))
			arch_mark(ar, MANIFEST_ENCRYPTED, xasprintf("%s", e));
		else
			arch_mark(ar, MANIFEST_DAMAGED, xasprintf(
			    "damaged or truncated entry in %s (%s)", ar->name, e));
		return n == ARCHIVE_FATAL ? READ_FATAL : READ_SKIP;
	}
	rr = entry_bytes_count(w, ar, (size_t)n, entry_in(a, ar));
	if (rr != READ_OK)
		return rr;
	if ((size_t)n > w->entry_max || have > w->entry_max - (size_t)n) {
		arch_mark(ar, MANIFEST_SKIPPED, why_too_large(w,
		    (uint64_t)have + (uint64_t)n));
		return READ_SKIP;
	}
	*got = (size_t)n;
	return READ_OK;
}

/*
 * Reads the current entry's data into b. An archive larger than
 * STREAM_THRESHOLD, by the size its header announces or by the bytes read,
 * is left half read: READ_STREAM, with its first bytes in b. An entry taken
 * in pieces is left half read too (READ_PIECES, *taker set), or whole
 * (*ended). When the entry is not read, ar->cur_status and ar->cur_why say
 * why.
 */
static enum read_result
arch_entry_read(struct walk *w, struct archive *a, struct arch *ar,
    const char *path, int64_t announced, int64_t mtime, struct buf *b,
    struct bundle_pieces **taker, const char **kind, bool *ended)
{
	size_t			 n;
	enum read_result	 rr;
	int			 is_archive = -1;	/* unknown until HEAD_BYTES are in */
	bool			 asked = false;

	*taker = NULL;
	*ended = false;
	for (;;) {
		/*
		 * Straight into the buffer, not through w->chunk: one copy of
		 * every byte less. Room for a whole chunk may pass b->max; the
		 * bytes are checked against it before they count.
		 */
		if (b->cap - b->len < READ_CHUNK + 1)
			b->data = xreallocarray_grow(b->data, &b->cap,
			    b->len + READ_CHUNK + 1, 1);
		rr = entry_read_some(w, a, ar, (unsigned char *)b->data + b->len,
		    READ_CHUNK, b->len, &n);
		if (rr != READ_OK) {
			b->data[b->len] = '\0';	/* what came last does not count */
			return rr;
		}
		*ended = n == 0;
		b->len += n;
		b->data[b->len] = '\0';
		if (is_archive == -1 && b->len >= HEAD_BYTES)
			is_archive = bundle_is_archive((const unsigned char *)b->data,
			    HEAD_BYTES);
		if (!asked && pieces_due(w, b, is_archive, *ended)) {
			asked = true;
			*taker = pieces_ask(w, path, b, mtime, ar->depth + 1, kind);
			if (*taker != NULL)
				return READ_PIECES;
		}
		if (*ended)
			return READ_OK;
		if (is_archive == 1 && (announced > STREAM_THRESHOLD ||
		    b->len > STREAM_THRESHOLD))
			return READ_STREAM;
	}
}

/* The rest of an archive's entry, for its pieces. */
struct arch_source {
	struct piece_source	 src;
	struct walk		*w;
	struct archive		*a;
	struct arch		*ar;
};

static enum read_result
arch_source_read(struct piece_source *src, unsigned char *dst, size_t room,
    size_t have, size_t *got)
{
	struct arch_source	*s = (struct arch_source *)(void *)src;
	enum read_result	 rr;

	rr = entry_read_some(s->w, s->a, s->ar, dst, room, have, got);
	if (rr != READ_OK) {
		src->status = s->ar->cur_status;
		src->why = s->ar->cur_why;
	}
	return rr;
}

/*
 * The buffer for an entry of an archive at this depth. An entry that is a
 * small nested archive stays in its buffer while its own entries are read,
 * one level down.
 */
static struct buf *
entry_buf_get(struct walk *w, int depth)
{
	size_t	i = (size_t)depth;

	if (i >= w->nbufs) {
		w->bufs = xreallocarray_grow(w->bufs, &w->bufs_cap, i + 1,
		    sizeof *w->bufs);
		for (; w->nbufs <= i; w->nbufs++) {
			w->bufs[w->nbufs] = xmalloc(sizeof **w->bufs);
			buf_init(w->bufs[w->nbufs], w->entry_max);
		}
	}
	buf_reset(w->bufs[i]);
	return w->bufs[i];
}

static void
entry_buf_put(struct buf *b)
{
	if (b->cap > ENTRY_BUF_KEEP)
		buf_free(b);
	else
		buf_reset(b);
}

/*
 * Whether what is left of an entry skipped or cut short must be read (and
 * counted) rather than skipped by libarchive. Without the central directory
 * (a stream, or a zip that lost it), libarchive's zip reader skips a stored
 * entry of unknown size by looking for the next data descriptor signature,
 * unchecked, and a stored nested zip holds plenty of those: what follows
 * would be lost without a word. Reading checks the descriptor's CRC. A raw
 * compressed file has nothing after its one entry.
 */
static bool
entry_needs_pass(const struct arch *ar, struct archive_entry *ae)
{
	return ar->raw_name == NULL &&
	    (ar->parent != NULL || !archive_entry_size_is_set(ae));
}

/*
 * Passes over what is left of an entry to reach the next header. The bytes
 * are not kept, so they do not count against the total of bytes read; but
 * in a stream, the next header of a skipped bomb can only be found by
 * decompressing all of it, so the bytes passed over have a budget of their
 * own, as large as the total's: past it, the archive is given up rather
 * than the time spent.
 */
static enum entry_result
entry_pass(struct walk *w, struct archive *a, struct arch *ar,
    const char *path)
{
	la_ssize_t	n;

	while ((n = archive_read_data(a, w->chunk, READ_CHUNK)) > 0) {
		w->passed += (uint64_t)n;
		if (w->lim->max_total_bytes != 0 &&
		    w->passed > w->lim->max_total_bytes) {
			arch_rest_lost(w, ar, MANIFEST_SKIPPED, DIAG_WARNING,
			    "the rest of the archive is not read: the entry "
			    "after %s can only be found by decompressing all "
			    "of it, and the bytes passed over so far exceed "
			    "%llu (raise the limit with --max-total-bytes)",
			    path, (unsigned long long)w->lim->max_total_bytes);
			return ENTRY_STOP;
		}
	}
	if (n < 0 && arch_cut(ar))
		return ENTRY_STOP;
	if (n == ARCHIVE_FATAL) {
		diag_add(&w->ev->diags, DIAG_WARNING, path,
		    "damaged or truncated entry in %s (%s)", ar->name,
		    arch_error(a));
		return ENTRY_DAMAGED;
	}
	/* Unreadable (encrypted, say): libarchive's skip is all there is. */
	return ENTRY_NEXT;
}

enum entry_result
arch_entry_process(struct walk *w, struct archive *a, struct arch *ar,
    struct archive_entry *ae, int header_rc)
{
	struct buf	*b;
	struct bundle_pieces *taker;
	struct arch_source src;
	char		*path, *why;
	const char	*kind;
	bool		 ended;
	mode_t		 type = archive_entry_filetype(ae);
	int64_t		 mtime, announced;
	uint64_t	 bytes;
	enum read_result rr;
	enum entry_result res = ENTRY_NEXT;
	enum diag_level	 level = DIAG_WARNING;

	if (type == AE_IFDIR)
		return ENTRY_NEXT;
	path = arch_entry_path(ar, ae);
	arch_mark(ar, MANIFEST_READ, NULL);
	ar->cur_out = 0;
	ar->cur_in0 = archive_filter_bytes(a, -1);
	announced = archive_entry_size_is_set(ae) ?
	    (int64_t)archive_entry_size(ae) : -1;
	mtime = archive_entry_mtime_is_set(ae) ?
	    (int64_t)archive_entry_mtime(ae) : TIME_UNKNOWN;
	if (header_rc == ARCHIVE_WARN)
		diag_add(&w->ev->diags, DIAG_WARNING, path, "%s", arch_error(a));
	if (type != 0 && type != AE_IFREG) {
		level = DIAG_INFO;
		if (type == AE_IFLNK)
			arch_mark(ar, MANIFEST_SKIPPED, xasprintf("a symbolic "
			    "link%s%s (links are never followed)",
			    archive_entry_symlink(ae) != NULL ? " to " : "",
			    archive_entry_symlink(ae) != NULL ?
			    archive_entry_symlink(ae) : ""));
		else
			arch_mark(ar, MANIFEST_SKIPPED, xasprintf("not a "
			    "regular file (a device, pipe or socket)"));
		goto out;
	}
	if (archive_entry_hardlink(ae) != NULL && announced <= 0) {
		level = DIAG_INFO;
		arch_mark(ar, MANIFEST_SKIPPED, xasprintf("a hard link to %s, "
		    "read under that name", archive_entry_hardlink(ae)));
		goto out;
	}
	if (!entry_count(w)) {
		arch_mark(ar, MANIFEST_SKIPPED, why_too_many(w));
		res = ENTRY_STOP;
		goto out;
	}
	if (total_exceeded(w)) {
		arch_mark(ar, MANIFEST_SKIPPED, why_total(w));
		res = ENTRY_STOP;
		goto out;
	}
	if (archive_entry_is_encrypted(ae)) {
		arch_mark(ar, MANIFEST_ENCRYPTED,
		    xasprintf("no passphrase is ever tried"));
		goto out;
	}
	if (w->lim->max_entry_bytes != 0 && announced > 0 &&
	    (uint64_t)announced > w->lim->max_entry_bytes) {
		arch_mark(ar, MANIFEST_SKIPPED, why_too_large(w,
		    (uint64_t)announced));
		goto out;
	}

	b = entry_buf_get(w, ar->depth);
	rr = arch_entry_read(w, a, ar, path, announced, mtime, b, &taker,
	    &kind, &ended);
	if (rr == READ_PIECES || rr == READ_STREAM) {
		/*
		 * The pieces record the entry, read or cut, themselves; the
		 * stream records the archive, read or not.
		 */
		if (rr == READ_PIECES) {
			memset(&src, 0, sizeof src);
			src.src.read = arch_source_read;
			src.w = w;
			src.a = a;
			src.ar = ar;
			rr = entry_pieces(w, &src.src, path, b, ended, taker,
			    kind, mtime);
		} else
			rr = arch_stream_walk(w, a, ar, path, b, mtime,
			    ar->depth + 1);
		arch_mark(ar, MANIFEST_READ, NULL);
		if (rr == READ_OK)
			ar->nread++;
		else if (rr == READ_FATAL)
			res = ENTRY_DAMAGED;
		else if (rr == READ_STOP)
			res = ENTRY_STOP;
	} else if (rr == READ_OK) {
		ar->nread++;
		entry_handle(w, path, b, mtime, ar->depth + 1);
	} else if (rr == READ_FATAL)
		res = ENTRY_DAMAGED;
	else if (rr == READ_STOP)
		res = ENTRY_STOP;
	entry_buf_put(b);
out:
	if (ar->cur_status != MANIFEST_READ) {
		bytes = announced > 0 ? (uint64_t)announced : ar->cur_out;
		entry_not_read(w, path, ar->cur_status, level, bytes, mtime,
		    ar->cur_why != NULL ? ar->cur_why : "not read");
		arch_mark(ar, MANIFEST_READ, NULL);
	}
	if (res == ENTRY_STOP && !arch_cut(ar)) {
		why = w->entries_full ? why_too_many(w) : why_total(w);
		arch_rest_lost(w, ar, MANIFEST_SKIPPED, DIAG_WARNING,
		    "the rest of the archive is not read: %s", why);
		free(why);
	}
	if (res == ENTRY_NEXT && entry_needs_pass(ar, ae))
		res = entry_pass(w, a, ar, path);
	free(path);
	return res;
}

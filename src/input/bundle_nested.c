/*
 * Nested archives: an entry that is itself an archive (by its magic bytes)
 * is recorded and walked in turn, from memory when it is small, else as a
 * stream pulled out of the enclosing entry.
 *
 * This is where the walk recurses, and the one circle the bundle reader
 * keeps: walking an archive (bundle_archive.c) reads its entries
 * (bundle_entry.c), an entry may be an archive (here), and an archive is
 * walked by bundle_archive.c again, one level down. Nesting is what a
 * support bundle is (a case zip holding a zip per server holding zipped
 * logs), so the circle is the data's own shape; the depth limit bounds it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"
#include "util/hash.h"
#include "util/util.h"

static bool
has_prefix(const unsigned char *p, size_t len, const void *magic, size_t n)
{
	return len >= n && memcmp(p, magic, n) == 0;
}

bool
bundle_is_archive(const unsigned char *p, size_t len)
{
	if (has_prefix(p, len, "PK\003\004", 4) ||
	    has_prefix(p, len, "PK\005\006", 4))
		return true;
	/* gzip: the only compression method it defines is deflate (8). */
	if (has_prefix(p, len, "\037\213\010", 3))
		return true;
	if (len >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9')
		return true;
	if (has_prefix(p, len, "\375" "7zXZ\000", 6))
		return true;
	/* POSIX tar (ustar and pax; GNU writes "ustar  "). */
	if (len >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return true;
	return false;
}

/* A nested archive held in memory (the enclosing archive's entry). */
static void
arch_memory_walk(struct walk *w, const char *path, const unsigned char *data,
    size_t len, int depth, size_t manifest_at)
{
	struct arch	ar;

	memset(&ar, 0, sizeof ar);
	ar.name = path;
	ar.prefix = path;
	ar.depth = depth;
	ar.fd = -1;
	ar.mem = data;
	ar.len = len;
	ar.compressed = len;
	ar.manifest_at = manifest_at;
	arch_read(w, &ar, data, len, DIAG_WARNING);
}

/*
 * An entry read out of an archive: a nested archive is recorded and opened
 * (depth permitting), anything else is delivered.
 */
void
entry_handle(struct walk *w, const char *path, struct buf *b, int64_t mtime,
    int depth)
{
	const unsigned char *data = b->data != NULL ?
	    (const unsigned char *)b->data : (const unsigned char *)"";
	size_t	len = b->len, at;
	char	sha[65], *why;

	if (!bundle_is_archive(data, len)) {
		if (w->flags & BUNDLE_HASH_LATER) {
			entry_deliver(w, path, data, len, NULL, mtime, depth, b);
			return;
		}
		hash_sha256_hex(data, len, sha);
		entry_deliver(w, path, data, len, sha, mtime, depth, b);
		return;
	}
	hash_sha256_hex(data, len, sha);
	at = manifest_add_archive(w, path, sha, len, mtime);
	if (depth > w->lim->max_depth) {
		why = why_too_deep(w, depth);
		diag_add(&w->ev->diags, DIAG_WARNING, path, "skipped: %s", why);
		manifest_set_status(w, at, MANIFEST_SKIPPED, why);
		free(why);
		return;
	}
	arch_memory_walk(w, path, data, len, depth, at);
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
arch_stream_walk(struct walk *w, struct archive *a, struct arch *up,
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
	ar.prev = xmalloc(READ_CHUNK);
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
	arch_stream_drain(&ar);
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
	free(ar.prev);
	return rr;
}


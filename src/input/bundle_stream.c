/*
 * A nested archive too large to hold in memory is read as a stream pulled
 * out of the enclosing archive's entry: libarchive's read callback, every
 * byte hashed and counted on the way; picking a zip up again past damage;
 * the entry read to its end for the hash.
 */
#include "config.h"

#include <archive.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"
#include "util/hash.h"
#include "util/util.h"

/* Whether the stream ar is read from was cut short (ar->cut says why). */
bool
arch_cut(const struct arch *ar)
{
	return ar != NULL && ar->cut != CUT_NONE;
}

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
			ar->cut_msg = xstrdup(arch_error(ar->parent));
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

	/*
	 * The end of the block libarchive is done with is kept, with the next
	 * one, for arch_stream_resync(): a header may lie just before it.
	 */
	if (ar->last != NULL) {
		ar->prev_len = ar->last_len < READ_CHUNK ? ar->last_len : READ_CHUNK;
		memcpy(ar->prev, ar->last + ar->last_len - ar->prev_len,
		    ar->prev_len);
		ar->last = NULL;
	}
	if (ar->pending != NULL && !ar->pending_served) {
		ar->pending_served = true;
		*out = ar->pending;
		ar->last = ar->pending;
		ar->last_len = ar->pending_len;
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
	ar->last = ar->rbuf;
	ar->last_len = (size_t)n;
	return n;
}

/* Whether a dead stream can be picked up again: a zip, by its next header. */
bool
arch_stream_resumable(struct archive *a)
{
	return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
}

/* A zip local header that looks real: signature, version, method, name. */
static bool
local_header_at(const unsigned char *p, size_t left)
{
	unsigned	version, method, namelen;

	if (left < 30 || memcmp(p, "PK\003\004", 4) != 0)
		return false;
	version = (unsigned)p[4] | (unsigned)p[5] << 8;
	method = (unsigned)p[8] | (unsigned)p[9] << 8;
	namelen = (unsigned)p[26] | (unsigned)p[27] << 8;
	return version <= 63 && namelen > 0 &&
	    (method == 0 || method == 8 || method == 9 || method == 12 ||
	    method == 14 || method == 93 || method == 95 || method == 98 ||
	    method == 99);
}

/*
 * A streamed zip whose reader died on damage (or on an entry it cannot skip,
 * an encrypted one of unknown size) is picked up again at the next local
 * header: the bytes after the last entry's start are searched, in the block
 * handed to the reader last and on as the stream goes, for a header
 * signature, and a new reader starts there. NULL when the entry ends (or is
 * cut) first. The dead reader is the caller's to free.
 */
struct archive *
arch_stream_resync(struct arch *ar, struct archive *dead)
{
	struct archive	*a;
	uint64_t	 base, from;
	unsigned char	*win;
	size_t		 len, cap, i, keep;
	la_ssize_t	 n;

	/*
	 * The search starts where the last entry's data began: the dead
	 * reader may have read far past the damage looking for the end of an
	 * entry of unknown size. Only the block handed last is still there.
	 */
	(void)dead;
	if (ar->last == NULL) {
		ar->last = ar->rbuf;
		ar->last_len = 0;
	}
	cap = ar->prev_len + ar->last_len + READ_CHUNK;
	win = xmalloc(cap);
	memcpy(win, ar->prev, ar->prev_len);
	memcpy(win + ar->prev_len, ar->last, ar->last_len);
	len = ar->prev_len + ar->last_len;
	base = ar->passed - len;
	from = ar->origin + (ar->cur_in0 > 0 ? (uint64_t)ar->cur_in0 : 0);
	if (from < base)
		from = base;
	if (from < ar->resync_at)
		from = ar->resync_at;
	if (from > ar->passed)
		from = ar->passed;
	memmove(win, win + (size_t)(from - base), (size_t)(ar->passed - from));
	len = (size_t)(ar->passed - from);
	base = from;
	for (;;) {
		for (i = 0; i < len; i++)
			if (win[i] == 'P' && local_header_at(win + i, len - i))
				break;
		if (i < len)
			break;
		/* A header may straddle blocks: keep a header's worth. */
		keep = len < 29 ? len : 29;
		memmove(win, win + len - keep, keep);
		base += len - keep;
		len = keep;
		if ((n = stream_pull(ar)) <= 0) {
			free(win);
			return NULL;
		}
		if (len + (size_t)n > cap) {
			cap = len + (size_t)n;
			win = xrealloc(win, cap);
		}
		memcpy(win + len, ar->rbuf, (size_t)n);
		len += (size_t)n;
	}
	ar->resync_at = base + i + 1;
	ar->origin = base + i;
	free(ar->pending);
	ar->pending_len = len - i;
	ar->pending = xmalloc(ar->pending_len);
	memcpy(ar->pending, win + i, ar->pending_len);
	ar->pending_served = false;
	ar->last = NULL;
	ar->prev_len = 0;
	free(win);
	a = arch_reader_new(false, true);
	if (archive_read_open2(a, ar, NULL, stream_read, NULL, NULL) < ARCHIVE_WARN) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Reads what is left of a streamed archive's entry, for its hash. */
void
arch_stream_drain(struct arch *ar)
{
	while (stream_pull(ar) > 0)
		;
}

/*
 * Opens a streamed archive. A stream is read once: raw is tried in the same
 * pass, for a lone compressed file. On failure `why` gets libarchive's
 * reason (parse_cause).
 */
struct archive *
arch_stream_open(struct arch *ar, const unsigned char *head, size_t headlen,
    struct parse_diag *why)
{
	struct archive	*a;

	a = arch_reader_new(is_compressed_magic(head, headlen), true);
	if (archive_read_open2(a, ar, NULL, stream_read, NULL, NULL) >=
	    ARCHIVE_WARN)
		return a;
	parse_cause(why, 0, "%s", arch_error(a));
	archive_read_free(a);
	return NULL;
}

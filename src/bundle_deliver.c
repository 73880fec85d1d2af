/*
 * Where an entry read whole goes: to the callback, or, when it is an
 * archive by its magic bytes, opened in turn; and the manifest's record of
 * each, archives included.
 */
#include "config.h"

#include <string.h>

#include "bundle_walk.h"
#include "evidence.h"
#include "hash.h"
#include "sniff.h"

/* Passes one regular entry to the callback and records it in the manifest. */
void
entry_deliver(struct walk *w, const char *path, const unsigned char *data,
    size_t len, const char *sha, int64_t mtime, int depth)
{
	struct bundle_entry	 be;
	struct manifest_entry	 m;
	const char		*kind = NULL;

	be.path = path;
	be.data = data;
	be.len = len;
	be.sha256 = sha;
	be.mtime = mtime;
	be.depth = depth;
	if (w->fn != NULL)
		kind = w->fn(w->ctx, &be);
	w->delivered++;

	memset(&m, 0, sizeof m);
	m.path = (char *)path;
	memcpy(m.sha256, sha, sizeof m.sha256);
	m.bytes = len;
	m.kind = kind != NULL ? kind : entry_kind_name(KIND_UNKNOWN);
	/*
	 * Only times written into an archive say when the bundle was collected;
	 * a file on disk carries the time it was copied or checked out, which
	 * must not become the as-of time.
	 */
	m.mtime = depth > 0 ? mtime : TIME_UNKNOWN;
	evidence_add_entry(w->ev, &m);
}

void
manifest_add_archive(struct walk *w, const char *path, const char *sha,
    uint64_t bytes, int64_t mtime)
{
	struct manifest_entry	m;

	memset(&m, 0, sizeof m);
	m.path = (char *)path;
	memcpy(m.sha256, sha, sizeof m.sha256);
	m.bytes = bytes;
	m.kind = entry_kind_name(KIND_ARCHIVE);
	m.mtime = mtime;
	evidence_add_entry(w->ev, &m);
}

/*
 * Records a streamed archive at position `at` of the manifest, ahead of the
 * entries read from it: its hash is known only once all of it has passed.
 */
void
manifest_insert_archive(struct walk *w, size_t at, const char *path,
    const char *sha, uint64_t bytes, int64_t mtime)
{
	struct evidence		*ev = w->ev;
	struct manifest_entry	 m;
	size_t			 last;

	manifest_add_archive(w, path, sha, bytes, mtime);
	last = ev->nentries - 1;
	if (at >= last)
		return;
	m = ev->entries[last];
	memmove(&ev->entries[at + 1], &ev->entries[at],
	    (last - at) * sizeof *ev->entries);
	ev->entries[at] = m;
}

/*
 * An entry read out of an archive: a nested archive is recorded and opened
 * (depth permitting), anything else is delivered.
 */
void
entry_handle(struct walk *w, const char *path, const unsigned char *data,
    size_t len, int64_t mtime, int depth)
{
	char	sha[65];

	hash_sha256_hex(data, len, sha);
	if (sniff_bytes(data, len) != KIND_ARCHIVE) {
		entry_deliver(w, path, data, len, sha, mtime, depth);
		return;
	}
	manifest_add_archive(w, path, sha, len, mtime);
	if (depth > w->lim->max_depth) {
		diag_too_deep(w, path, depth);
		return;
	}
	archive_memory_walk(w, path, data, len, depth);
}

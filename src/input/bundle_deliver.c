/*
 * Where an entry read whole goes: to the callback, or, when it is an
 * archive by its magic bytes, opened in turn; and the manifest's record of
 * each, archives included.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"
#include "model/evidence.h"
#include "util/hash.h"
#include "formats/sniff.h"
#include "util/util.h"

void
bundle_entry_hash_later(const struct bundle_entry *e)
{
	if (e->sha256 == NULL)
		e->outcome->hash_later = true;
}

unsigned char *
bundle_entry_take(const struct bundle_entry *e, unsigned char *spare,
    size_t spare_cap, size_t *cap)
{
	struct buf	*b = e->outcome->owner;
	unsigned char	*data;

	if (b == NULL || b->data == NULL || e->outcome->taken ||
	    (e->sha256 == NULL && !e->outcome->hash_later))
		return NULL;
	data = (unsigned char *)b->data;
	*cap = b->cap;
	b->data = (char *)spare;
	b->cap = spare != NULL ? spare_cap : 0;
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	e->outcome->taken = true;
	return data;
}

/*
 * Passes one regular entry to the callback and records it in the manifest.
 * sha NULL: not hashed yet (BUNDLE_HASH_LATER); owner, when not NULL, is
 * the buffer holding data, which the callback may take.
 */
void
entry_deliver(struct walk *w, const char *path, const unsigned char *data,
    size_t len, const char *sha, int64_t mtime, int depth, struct buf *owner)
{
	struct bundle_entry	 be;
	struct bundle_outcome	 out;
	struct manifest_entry	 m;
	const char		*kind = NULL;
	char			 own[65];

	out.status = MANIFEST_READ;
	out.why[0] = '\0';
	out.owner = owner;
	out.taken = false;
	out.hash_later = false;
	be.outcome = &out;
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
	if (sha == NULL && out.hash_later)
		m.sha256_pending = true;
	else if (sha == NULL) {
		hash_sha256_hex(data, len, own);
		memcpy(m.sha256, own, sizeof m.sha256);
	} else
		memcpy(m.sha256, sha, sizeof m.sha256);
	m.bytes = len;
	m.kind = kind != NULL ? kind : entry_kind_name(KIND_UNKNOWN);
	m.status = out.status;
	if (out.status != MANIFEST_READ)
		m.why = out.why[0] != '\0' ? out.why : (char *)"not read";
	/*
	 * Only times written into an archive say when the bundle was collected;
	 * a file on disk carries the time it was copied or checked out, which
	 * must not become the as-of time.
	 */
	m.mtime = depth > 0 ? mtime : TIME_UNKNOWN;
	evidence_add_entry(w->ev, &m);
}

/* Records an archive met as an entry; returns where it is in the manifest. */
size_t
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
	return w->ev->nentries - 1;
}

/* Says that an entry already in the manifest was not (wholly) read. */
void
manifest_set_status(struct walk *w, size_t at, enum entry_status st,
    const char *why)
{
	struct manifest_entry	*m;

	if (at >= w->ev->nentries)
		return;
	m = &w->ev->entries[at];
	m->status = st;
	free(m->why);
	m->why = xstrdup(why);
}

/*
 * Records a streamed archive at position `at` of the manifest, ahead of the
 * entries read from it: its hash is known only once all of it has passed
 * (sha "" when it could not be).
 */
void
manifest_insert_archive(struct walk *w, size_t at, const char *path,
    const char *sha, uint64_t bytes, int64_t mtime, enum entry_status st,
    const char *why)
{
	struct evidence		*ev = w->ev;
	struct manifest_entry	 m;
	size_t			 last;

	last = manifest_add_archive(w, path, sha, bytes, mtime);
	if (st != MANIFEST_READ)
		manifest_set_status(w, last, st, why);
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
entry_handle(struct walk *w, const char *path, struct buf *b, int64_t mtime,
    int depth)
{
	const unsigned char *data = b->data != NULL ?
	    (const unsigned char *)b->data : (const unsigned char *)"";
	size_t	len = b->len, at;
	char	sha[65], *why;

	if (sniff_bytes(data, len) != KIND_ARCHIVE) {
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
	archive_memory_walk(w, path, data, len, depth, at);
}

/*
 * An entry that is not read: a diagnostic naming it ("skipped: why",
 * "encrypted: why", ...) and its line in the manifest, so that every entry
 * of every archive is accounted for. The hash is unknown ("").
 */
void
entry_not_read(struct walk *w, const char *path, enum entry_status st,
    enum diag_level level, uint64_t bytes, int64_t mtime, const char *why)
{
	struct manifest_entry	m;

	diag_add(&w->ev->diags, level, path, "%s: %s", entry_status_name(st),
	    why);
	memset(&m, 0, sizeof m);
	m.path = (char *)path;
	m.status = st;
	m.why = (char *)why;
	m.bytes = bytes;
	m.kind = entry_kind_name(KIND_UNKNOWN);
	m.mtime = mtime;
	evidence_add_entry(w->ev, &m);
}

/*
 * The rest of an archive cannot be read (damage past which nothing can be
 * found) or must not be (the case-wide limits): a diagnostic on the archive
 * and one line in the manifest standing for the entries that were not
 * reached, "ARCHIVE/(rest not read)", since they cannot be named. Once per
 * archive.
 */
void
arch_rest_lost(struct walk *w, struct arch *ar, enum entry_status st,
    enum diag_level level, const char *fmt, ...)
{
	struct manifest_entry	 m;
	va_list			 ap;
	char			*why, *path;
	int			 n;

	if (ar->rest_lost)
		return;
	ar->rest_lost = true;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	why = xmalloc((size_t)(n > 0 ? n : 0) + 1);
	va_start(ap, fmt);
	vsnprintf(why, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	diag_add(&w->ev->diags, level, ar->name, "%s", why);
	path = path_join(ar->name, "(rest not read)");
	memset(&m, 0, sizeof m);
	m.path = path;
	m.status = st;
	m.why = why;
	m.kind = entry_kind_name(KIND_UNKNOWN);
	m.mtime = TIME_UNKNOWN;
	evidence_add_entry(w->ev, &m);
	free(path);
	free(why);
}

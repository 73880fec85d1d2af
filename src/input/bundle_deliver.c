/*
 * An entry read whole, handed to the callback with its manifest line; and
 * the callback's means to take the entry's buffer or leave its hash for
 * later.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"
#include "model/evidence.h"
#include "util/hash.h"
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
	m.kind = kind != NULL ? kind : BUNDLE_KIND_UNKNOWN;
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

/*
 * An entry handed over in pieces as it is read, from an archive or a file:
 * its first bytes, which the taker recognised it by, then each buffer the
 * taker lends, filled and given back in order (hashed here, or by the
 * taker). Only the bytes in flight are in memory, however large the entry.
 * The walk records the entry itself: read whole, with its hash or the
 * taker's promise of it, or cut short (damage, a limit), with how much of
 * it was read.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"
#include "util/hash.h"
#include "util/util.h"

/* Hands head's bytes over, as many buffers as it takes. */
static void
pieces_put_head(struct bundle_pieces *t, struct hash_sha256 *h,
    const struct buf *head)
{
	unsigned char	*dst;
	size_t		 off = 0, cap, n;

	while (off < head->len) {
		dst = t->buffer(t, &cap);
		n = head->len - off < cap ? head->len - off : cap;
		memcpy(dst, head->data + off, n);
		if (h != NULL)
			hash_sha256_update(h, dst, n);
		t->put(t, dst, n);
		off += n;
	}
}

/*
 * Whether an entry that has given b so far is to be offered in pieces:
 * once, when it is not an archive and has reached the walk's size and
 * enough to be recognised by (or ended past that size). is_archive: 1 or
 * 0 when known, -1 when not yet.
 */
bool
pieces_due(const struct walk *w, const struct buf *b, int is_archive,
    bool ended)
{
	if (w->pieces_fn == NULL || is_archive == 1 || b->len < w->pieces_after)
		return false;
	if (!ended && b->len < BUNDLE_PIECES_HEAD)
		return false;
	return is_archive == 0 ||
	    !bundle_is_archive((const unsigned char *)b->data, b->len);
}

struct bundle_pieces *
pieces_ask(struct walk *w, const char *path, const struct buf *b,
    int64_t mtime, int depth, const char **kind)
{
	struct bundle_entry	head;

	memset(&head, 0, sizeof head);
	head.path = path;
	head.data = (const unsigned char *)b->data;
	head.len = b->len;
	head.mtime = mtime;
	head.depth = depth;
	return w->pieces_fn(w->ctx, &head, kind);
}

/*
 * The entry was cut short after `read` bytes were handed over (st and why
 * from the source; MANIFEST_READ: the archive holding it was cut, and says
 * so): what they say is kept, and its manifest line says so. Damage found
 * at the end (a wrong size or CRC) may lie anywhere in them, and the line
 * says that too.
 */
static void
entry_cut(struct walk *w, const char *path, enum entry_status st,
    const char *why_rest, const char *kind, size_t read, int64_t mtime)
{
	char	*why;

	if (st == MANIFEST_READ) {
		st = MANIFEST_DAMAGED;
		why = xasprintf("cut short with the archive holding it; its first "
		    "%zu bytes were read before that, as %s, and what they say "
		    "is kept", read, kind);
	} else if (st == MANIFEST_DAMAGED)
		why = xasprintf("%s; its first %zu bytes had been read, as %s, "
		    "when the damage showed: what they say is kept, though the "
		    "damage may lie in them", why_rest != NULL ? why_rest :
		    "damaged", read, kind);
	else
		why = xasprintf("%s; its first %zu bytes were read before that, as "
		    "%s, and what they say is kept", why_rest != NULL ?
		    why_rest : "not read to its end", read, kind);
	entry_read_in_part(w, path, st, kind, read, mtime, why);
	free(why);
}

enum read_result
entry_pieces(struct walk *w, struct piece_source *src, const char *path,
    struct buf *head, bool ended, struct bundle_pieces *t, const char *kind,
    int64_t mtime)
{
	struct hash_sha256	*h = t->hashes ? NULL : hash_sha256_new();
	struct manifest_entry	 m;
	enum read_result	 rr = READ_OK;
	unsigned char		*dst;
	size_t			 total = head->len, len, cap, n, room;
	char			 sha[65];

	pieces_put_head(t, h, head);
	while (!ended) {
		dst = t->buffer(t, &cap);
		len = 0;
		while (len < cap) {
			room = cap - len < READ_CHUNK ? cap - len : READ_CHUNK;
			rr = src->read(src, dst + len, room, total, &n);
			if (rr != READ_OK || n == 0)
				break;
			len += n;
			total += n;
		}
		ended = rr != READ_OK || n == 0;
		if (h != NULL)
			hash_sha256_update(h, dst, len);
		t->put(t, dst, len);
	}
	t->end(t, rr == READ_OK);
	w->delivered++;
	if (h != NULL)
		hash_sha256_final(h, sha);
	if (rr != READ_OK) {
		entry_cut(w, path, src->status, src->why, kind, total, mtime);
		return rr;
	}
	memset(&m, 0, sizeof m);
	m.path = (char *)path;
	if (h != NULL)
		memcpy(m.sha256, sha, sizeof m.sha256);
	else
		m.sha256_pending = true;
	m.bytes = total;
	m.kind = kind;
	m.status = MANIFEST_READ;
	m.mtime = mtime;
	evidence_add_entry(w->ev, &m);
	return READ_OK;
}

/*
 * The manifest's record of what the walk met: archives (streamed ones ahead
 * of their entries), entries not read, and the rest of an archive lost, each
 * with its diagnostic.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"
#include "model/evidence.h"
#include "util/util.h"

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
	m.kind = BUNDLE_KIND_ARCHIVE;
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
 * An entry that is not read: a diagnostic naming it ("skipped: why",
 * "encrypted: why", ...) and its line in the manifest, so that every entry
 * of every archive is accounted for. The hash is unknown ("").
 */
/*
 * A diagnostic naming the entry, and its line in the manifest, no hash.
 * in_part: what was read of it is in the evidence.
 */
static void
entry_line(struct walk *w, const char *path, enum entry_status st,
    enum diag_level level, const char *kind, uint64_t bytes, int64_t mtime,
    const char *why, bool in_part)
{
	struct manifest_entry	m;

	diag_add(&w->ev->diags, level, path, "%s: %s", entry_status_name(st),
	    why);
	memset(&m, 0, sizeof m);
	m.path = (char *)path;
	m.status = st;
	m.why = (char *)why;
	m.bytes = bytes;
	m.kind = kind;
	m.mtime = mtime;
	m.in_part = in_part;
	evidence_add_entry(w->ev, &m);
}

void
entry_not_read(struct walk *w, const char *path, enum entry_status st,
    enum diag_level level, uint64_t bytes, int64_t mtime, const char *why)
{
	entry_line(w, path, st, level, BUNDLE_KIND_UNKNOWN, bytes, mtime, why,
	    false);
}

/*
 * An entry handed over in pieces and then cut short: what was read of it
 * stands, so its line names its kind and the bytes read, and says why the
 * rest was not (why). No hash: the entry's bytes are not all known.
 */
void
entry_read_in_part(struct walk *w, const char *path, enum entry_status st,
    const char *kind, uint64_t bytes, int64_t mtime, const char *why)
{
	entry_line(w, path, st, DIAG_WARNING, kind, bytes, mtime, why, true);
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
	path = path_join(ar->name, MANIFEST_REST);
	memset(&m, 0, sizeof m);
	m.path = path;
	m.status = st;
	m.why = why;
	m.kind = BUNDLE_KIND_UNKNOWN;
	m.mtime = TIME_UNKNOWN;
	evidence_add_entry(w->ev, &m);
	free(path);
	free(why);
}


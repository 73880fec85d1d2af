/*
 * One archive, from a file, from memory or as a stream: opened (tar, zip,
 * or a lone compressed file), its headers walked one by one, and opened
 * again past an entry whose damage killed the handle.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_walk.h"
#include "util/util.h"

/* Consecutive unreadable headers before an archive is given up. */
#define MAX_HEADER_FAILURES	16
/* Times one archive is opened again to get past damaged entries. */
#define MAX_REOPENS		64

/*
 * Opens the archive ar describes. A file that is only compressed (a single
 * .gz) is not a tar or zip: it is read in raw mode then, but only when its
 * magic says compressed, so that plain files are never taken for archives.
 * Once opened, ar->raw remembers the mode for opening it again. On failure
 * `why` gets the cause: libarchive's first reason.
 */
static struct archive *
arch_open(struct arch *ar, const unsigned char *head, size_t headlen,
    bool first, struct parse_diag *why)
{
	struct archive	*a;
	int		 pass, r;
	bool		 raw;

	if (ar->parent != NULL)
		return arch_stream_open(ar, head, headlen, why);
	for (pass = 0; pass < 2; pass++) {
		raw = first ? pass == 1 : ar->raw;
		if (pass == 1 && (!first || !is_compressed_magic(head, headlen)))
			break;
		if (ar->fd >= 0 && lseek(ar->fd, 0, SEEK_SET) == -1) {
			parse_cause(why, 0, "cannot seek: %s", strerror(errno));
			return NULL;
		}
		a = arch_reader_new(raw, false);
		if (ar->fd >= 0)
			r = archive_read_open_fd(a, ar->fd, READ_CHUNK);
		else
			r = archive_read_open_memory(a, ar->mem, ar->len);
		if (r >= ARCHIVE_WARN) {
			ar->raw = raw;
			return a;
		}
		if (pass == 0)
			parse_cause(why, 0, "%s", arch_error(a));
		archive_read_free(a);
	}
	return NULL;
}

static void
diag_archive_fatal(struct walk *w, struct archive *a, struct arch *ar)
{
	if (ar->parent != NULL)
		arch_rest_lost(w, ar, MANIFEST_DAMAGED, DIAG_ERROR,
		    "archive damaged or truncated (%s): %ld entr%s before the "
		    "damage %s read, the rest is lost: a nested archive over "
		    "4 MiB is read as a stream, and only a zip's can be picked "
		    "up past damage", arch_error(a), ar->nread,
		    ar->nread == 1 ? "y" : "ies", ar->nread == 1 ? "was" : "were");
	else
		arch_rest_lost(w, ar, MANIFEST_DAMAGED, DIAG_ERROR,
		    "archive damaged or truncated (%s): %ld entr%s before the "
		    "damage %s read, the rest is lost", arch_error(a),
		    ar->nread, ar->nread == 1 ? "y" : "ies",
		    ar->nread == 1 ? "was" : "were");
}

/*
 * libarchive gives up on the whole handle when one entry's data is damaged
 * (a broken deflate stream is ARCHIVE_FATAL). The archive's structure may
 * well be intact, so it is opened again and the headers already seen are
 * passed over without reading their data; a truncated archive fails again
 * on the way and is given up then.
 */
static struct archive *
arch_reopen_past(struct walk *w, struct arch *ar, struct archive *dead)
{
	struct archive		*a;
	struct archive_entry	*ae;
	long			 i;
	int			 r;
	struct parse_diag	 why;

	archive_read_free(dead);
	if (++ar->reopened > MAX_REOPENS) {
		arch_rest_lost(w, ar, MANIFEST_DAMAGED, DIAG_ERROR,
		    "too many damaged entries: the rest of the archive is not "
		    "read (%ld entries were)", ar->nread);
		return NULL;
	}
	parse_diag_init(&why, NULL, ar->name);
	if ((a = arch_open(ar, NULL, 0, false, &why)) == NULL) {
		arch_rest_lost(w, ar, MANIFEST_DAMAGED, DIAG_ERROR,
		    "cannot open the archive again past a damaged entry (%s): "
		    "%ld entries were read, the rest is lost", why.cause,
		    ar->nread);
		return NULL;
	}
	for (i = 0; i < ar->nheaders; i++) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF || r == ARCHIVE_FATAL) {
			diag_archive_fatal(w, a, ar);
			archive_read_free(a);
			return NULL;
		}
	}
	return a;
}

/* Walks every header of the archive; returns the handle to free (or NULL). */
static struct archive *
arch_walk(struct walk *w, struct archive *a, struct arch *ar)
{
	struct archive		*next;
	struct archive_entry	*ae;
	enum entry_result	 res;
	char			*name, *why;
	int			 r, failures = 0;

	for (;;) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			return a;
		/* A stream cut short is reported where it was cut. */
		if (r < ARCHIVE_WARN && arch_cut(ar))
			return a;
		if (r == ARCHIVE_FATAL) {
			diag_archive_fatal(w, a, ar);
			return a;
		}
		ar->nheaders++;
		if (r < ARCHIVE_WARN && ar->parent != NULL &&
		    arch_stream_resumable(a) && ar->reopened < MAX_REOPENS) {
			/*
			 * Past a header it cannot read (or an entry it could
			 * not pass, encrypted and of unknown size), a stream's
			 * zip reader may miss entries without a word: a new
			 * reader starts at the next header instead.
			 */
			ar->reopened++;
			diag_add(&w->ev->diags, DIAG_WARNING, ar->name,
			    "unreadable entry header after %ld entr%s (%s): "
			    "reading on from the next entry header found",
			    ar->nread, ar->nread == 1 ? "y" : "ies",
			    arch_error(a));
			if ((next = arch_stream_resync(ar, a)) == NULL)
				return a;
			archive_read_free(a);
			a = next;
			continue;
		}
		if (r < ARCHIVE_WARN && ar->parent != NULL) {
			arch_rest_lost(w, ar, MANIFEST_DAMAGED, DIAG_ERROR,
			    "unreadable entry header after %ld entr%s (%s): the "
			    "rest is lost (a nested archive over 4 MiB is read "
			    "as a stream, and only a zip's can be picked up past "
			    "it)",
			    ar->nread, ar->nread == 1 ? "y" : "ies",
			    arch_error(a));
			return a;
		}
		if (r < ARCHIVE_WARN) {
			/* Its name is in the header that cannot be read. */
			why = xasprintf("(unreadable header %ld)", ar->nheaders);
			name = path_join(ar->name, why);
			free(why);
			why = xasprintf("unreadable entry header after %ld "
			    "entries (%s)", ar->nread, arch_error(a));
			entry_not_read(w, name, MANIFEST_DAMAGED, DIAG_WARNING, 0,
			    TIME_UNKNOWN, why);
			free(name);
			free(why);
			if (++failures >= MAX_HEADER_FAILURES) {
				arch_rest_lost(w, ar, MANIFEST_DAMAGED,
				    DIAG_ERROR, "too many unreadable headers: "
				    "the rest of the archive is not read");
				return a;
			}
			continue;
		}
		failures = 0;
		/* A stream's format is known once its first header is read. */
		if (ar->parent != NULL && ar->raw_name == NULL &&
		    archive_format(a) == ARCHIVE_FORMAT_RAW)
			ar->raw_name = raw_entry_name(ar->name);
		res = arch_entry_process(w, a, ar, ae, r);
		if (res == ENTRY_STOP)
			return a;
		if (res != ENTRY_DAMAGED)
			continue;
		if (ar->parent != NULL) {
			/*
			 * A stream cannot be opened again; a zip's can be
			 * picked up at its next entry header. When none
			 * comes before its end, nothing is left to lose.
			 */
			if (arch_cut(ar) || !arch_stream_resumable(a) ||
			    ++ar->reopened > MAX_REOPENS) {
				diag_archive_fatal(w, a, ar);
				return a;
			}
			if ((next = arch_stream_resync(ar, a)) == NULL)
				return a;
			archive_read_free(a);
			a = next;
			continue;
		}
		if ((a = arch_reopen_past(w, ar, a)) == NULL)
			return NULL;
	}
}

/* Opens and walks an archive; false when it cannot be opened at all. */
bool
arch_read(struct walk *w, struct arch *ar, const unsigned char *head,
    size_t headlen, enum diag_level level)
{
	struct archive		*a;
	struct parse_diag	 cause;
	char			*why;

	parse_diag_init(&cause, NULL, ar->name);
	if ((a = arch_open(ar, head, headlen, true, &cause)) == NULL) {
		if (!arch_cut(ar)) {
			why = xasprintf("looks like an archive but cannot be "
			    "opened (%s)", cause.cause);
			diag_add(&w->ev->diags, level, ar->name, "damaged: %s",
			    why);
			if (ar->manifest_at != SIZE_MAX)
				manifest_set_status(w, ar->manifest_at,
				    MANIFEST_DAMAGED, why);
			free(why);
		}
		return false;
	}
	if (ar->raw)
		ar->raw_name = raw_entry_name(ar->name);
	a = arch_walk(w, a, ar);
	if (a != NULL)
		archive_read_free(a);
	free(ar->raw_name);
	ar->raw_name = NULL;
	free(ar->cur_why);
	ar->cur_why = NULL;
	return true;
}

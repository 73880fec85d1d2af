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

/* gzip, bzip2 or xz magic: what a lone compressed file starts with. */
bool
is_compressed_magic(const unsigned char *p, size_t len)
{
	return (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||
	    (len >= 3 && memcmp(p, "BZh", 3) == 0) ||
	    (len >= 6 && memcmp(p, "\375" "7zXZ\000", 6) == 0);
}

/*
 * A reader for a file or memory (stream false), or for a stream that cannot
 * seek nor be read twice: the zip support then goes by the local headers
 * alone, and a compressed stream is read raw in the same pass when it is
 * neither tar nor zip inside (raw bids lowest).
 */
struct archive *
archive_reader_new(bool raw, bool stream)
{
	struct archive	*a = archive_read_new();

	if (a == NULL) {
		fputs("certtrail: out of memory\n", stderr);
		abort();
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	if (stream) {
		archive_read_support_format_zip_streamable(a);
		archive_read_support_format_tar(a);
		if (raw)
			archive_read_support_format_raw(a);
	} else if (raw)
		archive_read_support_format_raw(a);
	else {
		/*
		 * Only the formats bundles hold: "all" would also take plain
		 * text for an mtree archive. The zip support reads the
		 * central directory when there is one and falls back to the
		 * local headers when it is missing (a truncated zip).
		 */
		archive_read_support_format_zip(a);
		archive_read_support_format_tar(a);
	}
	return a;
}

/* libarchive's last error, without the newline some of its messages end in. */
const char *
archive_error(struct archive *a)
{
	static char	 msg[512];
	const char	*e = archive_error_string(a);
	size_t		 n;

	if (e == NULL)
		return "unknown error";
	n = strlen(e);
	while (n > 0 && (e[n - 1] == '\n' || e[n - 1] == '\r' || e[n - 1] == ' '))
		n--;
	if (n >= sizeof msg)
		n = sizeof msg - 1;
	memcpy(msg, e, n);
	msg[n] = '\0';
	return msg;
}

bool
arch_cut(const struct arch *ar)
{
	return ar != NULL && ar->cut != CUT_NONE;
}

/*
 * Opens the archive ar describes. A file that is only compressed (a single
 * .gz) is not a tar or zip: it is read in raw mode then, but only when its
 * magic says compressed, so that plain files are never taken for archives.
 * Once opened, ar->raw remembers the mode for opening it again. *err gets
 * libarchive's reason on failure (owned by the caller).
 */
static struct archive *
arch_open(struct arch *ar, const unsigned char *head, size_t headlen,
    bool first, char **err)
{
	struct archive	*a;
	int		 pass, r;
	bool		 raw;

	*err = NULL;
	if (ar->parent != NULL)
		return arch_stream_open(ar, head, headlen, err);
	for (pass = 0; pass < 2; pass++) {
		raw = first ? pass == 1 : ar->raw;
		if (pass == 1 && (!first || !is_compressed_magic(head, headlen)))
			break;
		if (ar->fd >= 0 && lseek(ar->fd, 0, SEEK_SET) == -1) {
			free(*err);
			*err = xasprintf("cannot seek: %s", strerror(errno));
			return NULL;
		}
		a = archive_reader_new(raw, false);
		if (ar->fd >= 0)
			r = archive_read_open_fd(a, ar->fd, READ_CHUNK);
		else
			r = archive_read_open_memory(a, ar->mem, ar->len);
		if (r >= ARCHIVE_WARN) {
			ar->raw = raw;
			free(*err);
			*err = NULL;
			return a;
		}
		if (*err == NULL)
			*err = xstrdup(archive_error(a));
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
		    "up past damage", archive_error(a), ar->nread,
		    ar->nread == 1 ? "y" : "ies", ar->nread == 1 ? "was" : "were");
	else
		arch_rest_lost(w, ar, MANIFEST_DAMAGED, DIAG_ERROR,
		    "archive damaged or truncated (%s): %ld entr%s before the "
		    "damage %s read, the rest is lost", archive_error(a),
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
	char			*err;

	archive_read_free(dead);
	if (++ar->reopened > MAX_REOPENS) {
		arch_rest_lost(w, ar, MANIFEST_DAMAGED, DIAG_ERROR,
		    "too many damaged entries: the rest of the archive is not "
		    "read (%ld entries were)", ar->nread);
		return NULL;
	}
	if ((a = arch_open(ar, NULL, 0, false, &err)) == NULL) {
		arch_rest_lost(w, ar, MANIFEST_DAMAGED, DIAG_ERROR,
		    "cannot open the archive again past a damaged entry (%s): "
		    "%ld entries were read, the rest is lost", err, ar->nread);
		free(err);
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
archive_walk(struct walk *w, struct archive *a, struct arch *ar)
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
			    archive_error(a));
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
			    archive_error(a));
			return a;
		}
		if (r < ARCHIVE_WARN) {
			/* Its name is in the header that cannot be read. */
			why = xasprintf("(unreadable header %ld)", ar->nheaders);
			name = path_join(ar->name, why);
			free(why);
			why = xasprintf("unreadable entry header after %ld "
			    "entries (%s)", ar->nread, archive_error(a));
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
		res = archive_entry_process(w, a, ar, ae, r);
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
	struct archive	*a;
	char		*err, *why;

	if ((a = arch_open(ar, head, headlen, true, &err)) == NULL) {
		if (!arch_cut(ar)) {
			why = xasprintf("looks like an archive but cannot be "
			    "opened (%s)", err);
			diag_add(&w->ev->diags, level, ar->name, "damaged: %s",
			    why);
			if (ar->manifest_at != SIZE_MAX)
				manifest_set_status(w, ar->manifest_at,
				    MANIFEST_DAMAGED, why);
			free(why);
		}
		free(err);
		return false;
	}
	if (ar->raw)
		ar->raw_name = raw_entry_name(ar->name);
	a = archive_walk(w, a, ar);
	if (a != NULL)
		archive_read_free(a);
	free(ar->raw_name);
	ar->raw_name = NULL;
	free(ar->cur_why);
	ar->cur_why = NULL;
	return true;
}

/* A nested archive held in memory (the enclosing archive's entry). */
void
archive_memory_walk(struct walk *w, const char *path, const unsigned char *data,
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

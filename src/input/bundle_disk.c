/*
 * Files and directories on disk: a directory walked in byte order of its
 * names, a file hashed whole and either delivered or, when its magic says
 * archive, opened by libarchive straight from its descriptor.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_walk.h"
#include "util/hash.h"
#include "util/util.h"

/* Directory nesting followed; deeper ones are reported, not walked. */
#define MAX_DIR_DEPTH		64

/* Records an archive file's hash: as an input, or at its manifest line. */
static void
disk_archive_hashed(struct walk *w, const char *name, bool is_input,
    size_t at, const char *sha, uint64_t size)
{
	struct input_info	in;

	if (is_input) {
		memset(&in, 0, sizeof in);
		in.path = (char *)name;
		memcpy(in.sha256, sha, sizeof in.sha256);
		in.bytes = size;
		evidence_add_input(w->ev, &in);
	} else if (at < w->ev->nentries &&
	    strcmp(w->ev->entries[at].path, name) == 0)
		memcpy(w->ev->entries[at].sha256, sha,
		    sizeof w->ev->entries[at].sha256);
}

/*
 * An archive file on disk, streamed by libarchive (never loaded whole).
 * `name` names it in diagnostics, `prefix` goes before its entries' paths.
 * Its hash is made beside the walk (bundle_file_hash.c); an input is
 * recorded once it is known. A file that cannot be read to its end for the
 * hash is said so; what the walk read of it stays.
 */
static bool
disk_archive(struct walk *w, int fd, const char *name, const char *prefix,
    bool is_input, const struct stat *st, const unsigned char *head,
    size_t headlen)
{
	struct file_hash	*fh;
	struct arch		 ar;
	char			 sha[65], *why;
	uint64_t		 size = (uint64_t)st->st_size;
	size_t			 at = SIZE_MAX;
	int			 err;
	bool			 ok;

	if (!is_input && !entry_count(w)) {
		why = why_too_many(w);
		entry_not_read(w, name, MANIFEST_SKIPPED, DIAG_WARNING,
		    (uint64_t)st->st_size, TIME_UNKNOWN, why);
		free(why);
		return false;
	}
	fh = file_hash_start(fd);
	if (!is_input)
		at = manifest_add_archive(w, name, "", size, TIME_UNKNOWN);

	memset(&ar, 0, sizeof ar);
	ar.name = name;
	ar.prefix = prefix;
	ar.depth = 0;
	ar.fd = fd;
	ar.compressed = size;
	ar.manifest_at = at;
	ok = arch_read(w, &ar, head, headlen,
	    is_input ? DIAG_ERROR : DIAG_WARNING);
	if (!file_hash_finish(fh, sha, &size, &err))
		diag_add(&w->ev->diags, is_input ? DIAG_ERROR : DIAG_WARNING,
		    name, "cannot read to its end for its SHA-256: %s",
		    strerror(err));
	disk_archive_hashed(w, name, is_input, at, sha, size);
	return ok;
}

/* The rest of a file in a directory, for its pieces. */
struct disk_source {
	struct piece_source	 src;
	struct walk		*w;
	int			 fd;
	char			*why;		/* owned */
};

static enum read_result
disk_source_read(struct piece_source *src, unsigned char *dst, size_t room,
    size_t have, size_t *got)
{
	struct disk_source	*s = (struct disk_source *)(void *)src;
	struct walk		*w = s->w;
	ssize_t			 n;

	*got = 0;
	while ((n = read(s->fd, dst, room)) == -1 && errno == EINTR)
		;
	if (n == 0)
		return READ_OK;
	if (n == -1) {
		src->status = MANIFEST_DAMAGED;
		src->why = s->why = xasprintf("cannot read: %s", strerror(errno));
		return READ_SKIP;
	}
	w->total += (uint64_t)n;
	if (total_exceeded(w)) {
		src->status = MANIFEST_SKIPPED;
		src->why = s->why = why_total(w);
		return READ_STOP;
	}
	if ((size_t)n > w->entry_max || have > w->entry_max - (size_t)n) {
		src->status = MANIFEST_SKIPPED;
		src->why = s->why = why_too_large(w, (uint64_t)have + (uint64_t)n);
		return READ_SKIP;
	}
	*got = (size_t)n;
	return READ_OK;
}

/*
 * The rest of a file in a directory that a taker wants in pieces (its first
 * bytes in b). Its hash is the taker's, or made here; a limit that cuts it
 * is recorded with it, and stops the next files as ever.
 */
static void
disk_pieces(struct walk *w, int fd, const char *name, struct buf *b,
    bool ended, struct bundle_pieces *t, const char *kind)
{
	struct disk_source	s;

	memset(&s, 0, sizeof s);
	s.src.read = disk_source_read;
	s.w = w;
	s.fd = fd;
	(void)entry_pieces(w, &s.src, name, b, ended, t, kind, TIME_UNKNOWN);
	free(s.why);
}

/*
 * A taker for a file of a directory whose first bytes are in b, once they
 * are enough (or all there is: ended); asked once (*asked). Files given as
 * inputs are read whole: their hash is the input's too.
 */
static struct bundle_pieces *
disk_taker(struct walk *w, const char *name, const struct buf *b,
    bool is_input, bool ended, const char **kind, bool *asked)
{
	if (is_input || b->data == NULL || !pieces_due(w, b, -1, ended))
		return NULL;
	*asked = true;
	return pieces_ask(w, name, b, TIME_UNKNOWN, 0, kind);
}

/*
 * A plain file on disk: read whole (within the limits) and delivered, or,
 * in a directory, handed over in pieces when a taker wants it so. An input
 * is hashed to its end even when it is too large to deliver.
 */
static bool
disk_plain(struct walk *w, int fd, const char *name, bool is_input,
    const struct stat *st)
{
	struct input_info	 in;
	struct hash_sha256	*h;
	struct buf		 b;
	char			 sha[65], *why;
	struct bundle_pieces	*t = NULL;
	const char		*kind = NULL;
	ssize_t			 n;
	uint64_t		 size = 0;
	bool			 too_large = false, over_total = false;
	bool			 asked = false;

	if (!entry_count(w)) {
		why = why_too_many(w);
		entry_not_read(w, name, MANIFEST_SKIPPED, DIAG_WARNING,
		    (uint64_t)st->st_size, TIME_UNKNOWN, why);
		free(why);
		return false;
	}
	if (!is_input && w->lim->max_entry_bytes != 0 &&
	    (uint64_t)st->st_size > w->lim->max_entry_bytes) {
		why = why_too_large(w, (uint64_t)st->st_size);
		entry_not_read(w, name, MANIFEST_SKIPPED, DIAG_WARNING,
		    (uint64_t)st->st_size, TIME_UNKNOWN, why);
		free(why);
		return true;
	}
	if (lseek(fd, 0, SEEK_SET) == -1)
		goto fail;
	buf_init(&b, w->entry_max);
	h = hash_sha256_new();
	while ((n = read(fd, w->chunk, READ_CHUNK)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			hash_sha256_final(h, sha);
			buf_free(&b);
			goto fail;
		}
		hash_sha256_update(h, w->chunk, (size_t)n);
		size += (uint64_t)n;
		if (too_large || over_total)
			continue;	/* only hashing the rest */
		w->total += (uint64_t)n;
		if (total_exceeded(w))
			over_total = true;
		else if (buf_append(&b, w->chunk, (size_t)n) == -1)
			too_large = true;
		if (too_large || over_total)
			buf_free(&b);
		if (!is_input && (too_large || over_total))
			break;
		if (!asked && (t = disk_taker(w, name, &b, is_input, false,
		    &kind, &asked)) != NULL)
			break;
	}
	if (!asked && n == 0 && !too_large && !over_total)
		t = disk_taker(w, name, &b, is_input, true, &kind, &asked);
	hash_sha256_final(h, sha);
	if (t != NULL) {
		/* Hashed again in its pieces, from its first byte. */
		disk_pieces(w, fd, name, &b, n == 0, t, kind);
		buf_free(&b);
		return true;
	}

	if (is_input) {
		memset(&in, 0, sizeof in);
		in.path = (char *)name;
		memcpy(in.sha256, sha, sizeof in.sha256);
		in.bytes = size;
		evidence_add_input(w->ev, &in);
	}
	if (too_large || over_total) {
		why = too_large ? why_too_large(w, size) : why_total(w);
		entry_not_read(w, name, MANIFEST_SKIPPED, DIAG_WARNING, size,
		    TIME_UNKNOWN, why);
		free(why);
	} else
		entry_deliver(w, name, b.data != NULL ? (unsigned char *)b.data :
		    (const unsigned char *)"", b.len, sha, (int64_t)st->st_mtime, 0,
		    &b);
	buf_free(&b);
	return true;
fail:
	diag_add(&w->ev->diags, is_input ? DIAG_ERROR : DIAG_WARNING, name,
	    "cannot read: %s", strerror(errno));
	return false;
}

/*
 * A regular file, given as an input or found in a directory: an archive by
 * its magic bytes is walked, anything else is an entry. Symbolic links are
 * followed only for inputs (the user named them).
 */
bool
disk_file(struct walk *w, const char *fspath, const char *name,
    const char *prefix, bool is_input)
{
	struct stat	 st;
	unsigned char	 head[HEAD_BYTES];
	ssize_t		 n;
	int		 fd;
	bool		 ok;

	fd = open(fspath, O_RDONLY | O_CLOEXEC | (is_input ? 0 : O_NOFOLLOW));
	if (fd == -1) {
		diag_add(&w->ev->diags, is_input ? DIAG_ERROR : DIAG_WARNING,
		    name, "cannot open: %s", strerror(errno));
		return false;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		if (is_input)
			diag_add(&w->ev->diags, DIAG_ERROR, name,
			    "skipped: not a regular file");
		else
			entry_not_read(w, name, MANIFEST_SKIPPED, DIAG_WARNING,
			    0, TIME_UNKNOWN, "not a regular file");
		close(fd);
		return false;
	}
	do
		n = pread(fd, head, sizeof head, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		diag_add(&w->ev->diags, is_input ? DIAG_ERROR : DIAG_WARNING,
		    name, "cannot read: %s", strerror(errno));
		close(fd);
		return false;
	}
	if (bundle_is_archive(head, (size_t)n))
		ok = disk_archive(w, fd, name, prefix, is_input, &st, head,
		    (size_t)n);
	else
		ok = disk_plain(w, fd, name, is_input, &st);
	close(fd);
	return ok;
}

static int
cmp_bytes(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool
dir_list(const char *fspath, struct strlist *names)
{
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(fspath)) == NULL)
		return false;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		strlist_add(names, de->d_name);
	}
	closedir(d);
	if (names->n > 1)
		qsort(names->v, names->n, sizeof *names->v, cmp_bytes);
	return true;
}

/*
 * A directory's contents in byte order of their names, recursively.
 * Symbolic links are not followed (they could lead out of the bundle or
 * round in circles).
 */
bool
dir_walk(struct walk *w, const char *fspath, const char *bpath, int level)
{
	struct strlist	 names = { NULL, 0, 0 };
	struct stat	 st;
	struct arch	 dir;
	char		*child_fs, *child_b, *norm;
	size_t		 i;

	if (!dir_list(fspath, &names)) {
		diag_add(&w->ev->diags, level == 0 ? DIAG_ERROR : DIAG_WARNING,
		    *bpath != '\0' ? bpath : fspath, "cannot read directory: %s",
		    strerror(errno));
		return false;
	}
	for (i = 0; i < names.n; i++) {
		if (w->entries_full) {
			/* Named for its "(rest not read)" line. */
			memset(&dir, 0, sizeof dir);
			dir.name = *bpath != '\0' ? bpath : fspath;
			arch_rest_lost(w, &dir, MANIFEST_SKIPPED, DIAG_WARNING,
			    "%zu more name%s in this directory not read: the "
			    "case has more than %ld entries (raise the limit "
			    "with --max-entries)", names.n - i,
			    names.n - i == 1 ? "" : "s", w->lim->max_entries);
			break;
		}
		child_fs = path_join(fspath, names.v[i]);
		norm = path_normalize(names.v[i]);
		child_b = path_join(bpath, norm);
		free(norm);
		if (lstat(child_fs, &st) == -1)
			diag_add(&w->ev->diags, DIAG_WARNING, child_b,
			    "cannot read: %s", strerror(errno));
		else if (S_ISLNK(st.st_mode))
			entry_not_read(w, child_b, MANIFEST_SKIPPED, DIAG_INFO,
			    0, TIME_UNKNOWN, "a symbolic link (links are never "
			    "followed)");
		else if (S_ISDIR(st.st_mode)) {
			if (level + 1 >= MAX_DIR_DEPTH)
				diag_add(&w->ev->diags, DIAG_WARNING, child_b,
				    "skipped: directories nested more than %d "
				    "deep", MAX_DIR_DEPTH);
			else
				dir_walk(w, child_fs, child_b, level + 1);
		} else if (S_ISREG(st.st_mode))
			disk_file(w, child_fs, child_b, child_b, false);
		else
			entry_not_read(w, child_b, MANIFEST_SKIPPED, DIAG_INFO,
			    0, TIME_UNKNOWN, "not a regular file");
		free(child_fs);
		free(child_b);
	}
	strlist_free(&names);
	return true;
}

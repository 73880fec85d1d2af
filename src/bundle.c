/*
 * Reading the case's inputs through libarchive. Entries stream by one at a
 * time; an entry that is itself an archive (by its magic bytes, not its name)
 * is opened while the enclosing archive waits: from memory when it is small,
 * else as a stream pulled out of the enclosing archive's entry, so that
 * memory stays flat however large the nested archives are. Nothing is
 * written to disk. libarchive has no bomb limits of its own, so bytes,
 * ratio, depth and entries are counted here as the data is read: sizes in
 * headers may be missing or false.
 */
#include "config.h"

#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "hash.h"
#include "sniff.h"
#include "util.h"

#define READ_CHUNK		(64 * 1024)
/* Small archives may compress extremely well; the ratio is judged past this. */
#define RATIO_GRACE		(1024 * 1024)
/* Enough for every magic number sniff_bytes() knows (tar's is at 257). */
#define HEAD_BYTES		512
/* Consecutive unreadable headers before an archive is given up. */
#define MAX_HEADER_FAILURES	16
/* Times one archive is opened again to get past damaged entries. */
#define MAX_REOPENS		64
/* Directory nesting followed; deeper ones are reported, not walked. */
#define MAX_DIR_DEPTH		64
/*
 * Nested archives up to this size are read into memory: opened from there,
 * a damaged entry can be passed over by opening the archive again. Larger
 * ones are streamed (a stream cannot be opened again, so damage ends them).
 */
#define STREAM_THRESHOLD	(4 * 1024 * 1024)
/*
 * Entry buffers up to this size are kept for the next entry at the same
 * depth: allocated afresh, every entry's pages would fault in again.
 */
#define ENTRY_BUF_KEEP		(32 * 1024 * 1024)

/* State shared by the whole walk over one case. */
struct walk {
	const struct bundle_limits *lim;
	bundle_entry_fn		 fn;
	void			*ctx;
	struct evidence		*ev;
	unsigned char		*chunk;		/* READ_CHUNK bytes */
	size_t			 entry_max;	/* buffer limit for one entry */
	struct buf		**bufs;		/* entry buffers, by archive depth */
	size_t			 nbufs, bufs_cap;
	uint64_t		 total;		/* decompressed bytes read so far */
	long			 nentries;	/* entries met so far */
	long			 delivered;	/* entries passed to fn */
	int			 entries_full;	/* --max-entries reached */
};

/*
 * Why a streamed nested archive's bytes stopped coming before the end of the
 * entry holding it.
 */
enum stream_cut {
	CUT_NONE,
	CUT_UP,		/* the stream of an enclosing archive was cut */
	CUT_STOP,	/* a limit on the enclosing archive (reported): it stops too */
	CUT_SKIP,	/* over the per-entry limit (reported) */
	CUT_BROKEN,	/* the enclosing archive reported an error in the entry */
	CUT_DAMAGED	/* ... a fatal one: the enclosing archive is dead */
};

/* One archive being walked. */
struct arch {
	const char	*name;		/* bundle path (or input name) for diagnostics */
	const char	*prefix;	/* prefix of its entries' paths; "" for none */
	int		 depth;		/* archives enclosing it */
	/* Where it is read from, kept to open it again after damage. */
	int		 fd;		/* a file, or -1 */
	const unsigned char *mem;	/* else memory */
	size_t		 len;
	bool		 raw;		/* a lone compressed file, not tar or zip */
	uint64_t	 compressed;	/* its own size */
	uint64_t	 decompressed;	/* entry bytes read from it so far */
	long		 nread;		/* entries read from it */
	long		 nheaders;	/* headers consumed through the current handle */
	int		 reopened;
	char		*raw_name;	/* name of the single entry of a raw .gz */
	/* A nested archive streamed out of its parent's entry. */
	struct walk	*w;
	struct archive	*parent;	/* positioned on that entry; else NULL */
	struct arch	*up;		/* the archive holding it */
	unsigned char	*pending;	/* the entry's first bytes, read before */
	size_t		 pending_len;
	bool		 pending_served;
	unsigned char	*rbuf;		/* READ_CHUNK bytes of the entry */
	struct hash_sha256 *hash;	/* of every byte of the entry */
	uint64_t	 passed;	/* bytes of the entry read so far */
	enum stream_cut	 cut;
	char		*cut_msg;	/* the enclosing archive's error */
};

/* What reading one entry's data came to. */
enum read_result {
	READ_OK,
	READ_SKIP,	/* this entry is skipped; go on with the next */
	READ_STOP,	/* a limit: skip the rest of this archive */
	READ_FATAL,	/* the archive cannot be read further */
	READ_STREAM	/* a large nested archive: read the rest as a stream */
};

static void	archive_memory_walk(struct walk *, const char *path,
		    const unsigned char *, size_t, int depth);
static enum read_result archive_stream_walk(struct walk *, struct archive *,
		    struct arch *, const char *path, struct buf *head,
		    int64_t mtime, int depth);

void
bundle_limits_default(struct bundle_limits *lim)
{
	lim->max_total_bytes = 4ULL * 1024 * 1024 * 1024;
	lim->max_entry_bytes = 512ULL * 1024 * 1024;
	lim->max_ratio = 200;
	lim->max_depth = 4;
	lim->max_entries = 100000;
}

/* ---------------------------------------------------------------- paths */

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t	len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

/*
 * Bundle paths end up in JSON, HTML and the workbook: bytes that are not
 * valid UTF-8 and control characters become '_' (names from legacy code
 * page archives stay recognizable, just not exact).
 */
static void
path_sanitize(char *s)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 n = strlen(s), k;

	while (n > 0) {
		k = utf8_seq_len(p, n);
		if (k == 0 || (k == 1 && (*p < 0x20 || *p == 0x7f))) {
			*p = '_';
			k = 1;
		}
		p += k;
		n -= k;
	}
}

/*
 * "./Logs\\SmtpSend//SEND.LOG" -> "Logs/SmtpSend/SEND.LOG": backslashes are
 * separators (zips made on Windows), and empty and "." components go.
 */
static char *
path_normalize(const char *name)
{
	struct buf	 b;
	const char	*p = name, *start;
	size_t		 n;

	buf_init(&b, SIZE_MAX - 1);
	while (*p != '\0') {
		while (*p == '/' || *p == '\\')
			p++;
		start = p;
		while (*p != '\0' && *p != '/' && *p != '\\')
			p++;
		n = (size_t)(p - start);
		if (n == 0 || (n == 1 && start[0] == '.'))
			continue;
		if (b.len > 0)
			buf_putc(&b, '/');
		buf_append(&b, start, n);
	}
	p = buf_steal(&b, NULL);
	path_sanitize((char *)p);
	return (char *)p;
}

static char *
path_join(const char *prefix, const char *name)
{
	if (prefix == NULL || *prefix == '\0')
		return xstrdup(name);
	return xasprintf("%s/%s", prefix, name);
}

/* The last component of a path as given on the command line. */
static char *
input_base_name(const char *given)
{
	const char	*end = given + strlen(given), *s;
	char		*base, *real;

	while (end - given > 1 && end[-1] == '/')
		end--;
	for (s = end; s > given && s[-1] != '/'; s--)
		;
	base = xstrndup(s, (size_t)(end - s));
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	    strcmp(base, "/") == 0) {
		/* "." or "/": the directory's real name says more. */
		free(base);
		real = realpath(given, NULL);
		s = real != NULL ? strrchr(real, '/') : NULL;
		base = xstrdup(s != NULL && s[1] != '\0' ? s + 1 : "input");
		free(real);
	}
	path_sanitize(base);
	return base;
}

static bool
name_taken(const struct strlist *used, const char *name)
{
	size_t	i;

	for (i = 0; i < used->n; i++)
		if (strcmp(used->v[i], name) == 0)
			return true;
	return false;
}

/*
 * Inputs are named by their base name; two inputs with the same base name
 * (a/EX01.zip, b/EX01.zip) must not mix their entries, so a later one is
 * named by its whole path, or numbered.
 */
static char *
input_display_name(const char *given, struct strlist *used)
{
	char	*name = input_base_name(given), *alt;
	int	 i;

	if (name_taken(used, name)) {
		alt = path_normalize(given);
		if (*alt != '\0' && !name_taken(used, alt)) {
			free(name);
			name = alt;
		} else {
			free(alt);
			for (i = 2; ; i++) {
				alt = xasprintf("%s (%d)", name, i);
				if (!name_taken(used, alt))
					break;
				free(alt);
			}
			free(name);
			name = alt;
		}
	}
	strlist_add(used, name);
	return name;
}

/* "SEND.LOG.gz" -> "SEND.LOG": the name of a raw compressed file's content. */
static char *
raw_entry_name(const char *archive_path)
{
	static const char *const suffixes[] = { ".gz", ".bz2", ".xz" };
	const char	*base = strrchr(archive_path, '/');
	size_t		 n, k, i;

	base = base != NULL ? base + 1 : archive_path;
	n = strlen(base);
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		k = strlen(suffixes[i]);
		if (n > k && ascii_casecmp(base + n - k, suffixes[i]) == 0)
			return xstrndup(base, n - k);
	}
	return xstrdup("data");
}

/* ---------------------------------------------------------------- limits */

static bool
total_exceeded(const struct walk *w)
{
	return w->lim->max_total_bytes != 0 && w->total > w->lim->max_total_bytes;
}

static bool
ratio_exceeded(const struct walk *w, const struct arch *ar)
{
	return w->lim->max_ratio > 0 && ar->decompressed > RATIO_GRACE &&
	    ar->compressed > 0 &&
	    (double)ar->decompressed > w->lim->max_ratio * (double)ar->compressed;
}

/*
 * Counts one more entry; false (with a diagnostic naming it) once the case
 * holds more than --max-entries.
 */
static bool
entry_count(struct walk *w, const char *path, const char *container)
{
	if (w->lim->max_entries > 0 && w->nentries >= w->lim->max_entries) {
		if (container != NULL)
			diag_add(&w->ev->diags, DIAG_WARNING, path,
			    "not read, nor the rest of %s: the case has more than "
			    "%ld entries (raise the limit with --max-entries)",
			    container, w->lim->max_entries);
		else
			diag_add(&w->ev->diags, DIAG_WARNING, path,
			    "not read: the case has more than %ld entries "
			    "(raise the limit with --max-entries)",
			    w->lim->max_entries);
		w->entries_full = 1;
		return false;
	}
	w->nentries++;
	return true;
}

static void
diag_entry_too_large(struct walk *w, const char *path, uint64_t size)
{
	diag_add(&w->ev->diags, DIAG_WARNING, path,
	    "skipped: %llu bytes or more, over the per-entry limit of %llu "
	    "bytes (raise it with --max-entry-bytes)",
	    (unsigned long long)size,
	    (unsigned long long)w->lim->max_entry_bytes);
}

static void
diag_total_exceeded(struct walk *w, const char *path, const char *container)
{
	diag_add(&w->ev->diags, DIAG_WARNING, path,
	    "not read%s%s: the case's content passed the limit of %llu "
	    "decompressed bytes (raise it with --max-total-bytes)",
	    container != NULL ? ", nor the rest of " : "",
	    container != NULL ? container : "",
	    (unsigned long long)w->lim->max_total_bytes);
}

static void
diag_too_deep(struct walk *w, const char *path, int depth)
{
	diag_add(&w->ev->diags, DIAG_WARNING, path,
	    "nested archive not opened: it is nested %d deep, over "
	    "the limit of %d (raise it with --max-depth)",
	    depth, w->lim->max_depth);
}

/*
 * Counts n more decompressed bytes of the entry `path` of ar against the
 * total and ratio limits: READ_STOP, with a diagnostic, once one is passed.
 */
static enum read_result
entry_bytes_count(struct walk *w, struct arch *ar, const char *path, size_t n)
{
	w->total += (uint64_t)n;
	ar->decompressed += (uint64_t)n;
	if (total_exceeded(w)) {
		diag_total_exceeded(w, path, ar->name);
		return READ_STOP;
	}
	if (ratio_exceeded(w, ar)) {
		diag_add(&w->ev->diags, DIAG_WARNING, path,
		    "not read, nor the rest of %s: it expands more than "
		    "%g times its size (%llu bytes out of %llu so far), "
		    "which looks like a zip bomb (raise the limit with "
		    "--max-ratio)", ar->name, w->lim->max_ratio,
		    (unsigned long long)ar->decompressed,
		    (unsigned long long)ar->compressed);
		return READ_STOP;
	}
	return READ_OK;
}

/* ---------------------------------------------------------------- entries */

/* Passes one regular entry to the callback and records it in the manifest. */
static void
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

static void
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
 * An entry read out of an archive: a nested archive is recorded and opened
 * (depth permitting), anything else is delivered.
 */
static void
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

/* ---------------------------------------------------------------- archives */

static bool
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
static struct archive *
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
static const char *
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

static bool
error_says_encrypted(const char *e)
{
	return ascii_strcasestr(e, "crypt") != NULL ||
	    ascii_strcasestr(e, "passphrase") != NULL;
}

static bool
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
			ar->cut_msg = xstrdup(archive_error(ar->parent));
		}
		return -1;
	}
	hash_sha256_update(ar->hash, ar->rbuf, (size_t)n);
	ar->passed += (uint64_t)n;
	ar->compressed += (uint64_t)n;
	if (entry_bytes_count(w, ar->up, ar->name, (size_t)n) != READ_OK) {
		ar->cut = CUT_STOP;
		return -1;
	}
	if (w->lim->max_entry_bytes != 0 && ar->passed > w->lim->max_entry_bytes) {
		diag_add(&w->ev->diags, DIAG_WARNING, ar->name,
		    "not read past %llu bytes, the per-entry limit (raise it "
		    "with --max-entry-bytes): %ld entr%s read from it before "
		    "are kept", (unsigned long long)w->lim->max_entry_bytes,
		    ar->nread, ar->nread == 1 ? "y" : "ies");
		ar->cut = CUT_SKIP;
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

	if (ar->pending != NULL && !ar->pending_served) {
		ar->pending_served = true;
		*out = ar->pending;
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
	return n;
}

/* Reads what is left of a streamed archive's entry, for its hash. */
static void
stream_drain(struct arch *ar)
{
	while (stream_pull(ar) > 0)
		;
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
	if (ar->parent != NULL) {
		/* A stream is read once: raw is tried in the same pass. */
		a = archive_reader_new(is_compressed_magic(head, headlen), true);
		if (archive_read_open2(a, ar, NULL, stream_read, NULL, NULL) >=
		    ARCHIVE_WARN)
			return a;
		*err = xstrdup(archive_error(a));
		archive_read_free(a);
		return NULL;
	}
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

/* The entry's bundle path: prefix + normalized name. */
static char *
archive_entry_path(struct arch *ar, struct archive_entry *ae)
{
	const char	*name;
	char		*norm, *path;

	if (ar->raw_name != NULL)
		name = ar->raw_name;
	else if ((name = archive_entry_pathname_utf8(ae)) == NULL &&
	    (name = archive_entry_pathname(ae)) == NULL)
		name = "";
	norm = path_normalize(name);
	if (*norm == '\0') {
		free(norm);
		norm = xasprintf("(unnamed entry %ld)", ar->nread + 1);
	}
	path = path_join(ar->prefix, norm);
	free(norm);
	return path;
}

/*
 * Reads the current entry's data into b, counting every byte against the
 * limits as it comes (header sizes are not trusted). An archive larger than
 * STREAM_THRESHOLD, by the size its header announces or by the bytes read,
 * is left half read: READ_STREAM, with its first bytes in b.
 */
static enum read_result
archive_entry_read(struct walk *w, struct archive *a, struct arch *ar,
    const char *path, int64_t announced, struct buf *b)
{
	la_ssize_t	n;
	const char	*e;
	int		is_archive = -1;	/* unknown until HEAD_BYTES are in */

	for (;;) {
		n = archive_read_data(a, w->chunk, READ_CHUNK);
		if (n == 0)
			return READ_OK;
		/* A stream cut short is reported where it was cut. */
		if (n < 0 && arch_cut(ar))
			return READ_STOP;
		if (n == ARCHIVE_FATAL)
			return READ_FATAL;
		if (n < 0) {
			e = archive_error(a);
			if (error_says_encrypted(e))
				diag_add(&w->ev->diags, DIAG_WARNING, path,
				    "skipped: encrypted (%s)", e);
			else
				diag_add(&w->ev->diags, DIAG_WARNING, path,
				    "skipped: damaged entry in %s (%s)",
				    ar->name, e);
			return READ_SKIP;
		}
		if (entry_bytes_count(w, ar, path, (size_t)n) != READ_OK)
			return READ_STOP;
		if (buf_append(b, w->chunk, (size_t)n) == -1) {
			diag_entry_too_large(w, path, (uint64_t)b->len + (uint64_t)n);
			return READ_SKIP;
		}
		if (is_archive == -1 && b->len >= HEAD_BYTES)
			is_archive = sniff_bytes((const unsigned char *)b->data,
			    HEAD_BYTES) == KIND_ARCHIVE;
		if (is_archive == 1 && (announced > STREAM_THRESHOLD ||
		    b->len > STREAM_THRESHOLD))
			return READ_STREAM;
	}
}

static void
diag_archive_fatal(struct walk *w, struct archive *a, struct arch *ar)
{
	diag_add(&w->ev->diags, DIAG_ERROR, ar->name,
	    "archive damaged or truncated (%s): %ld entr%s before the damage "
	    "%s read, the rest is lost", archive_error(a), ar->nread,
	    ar->nread == 1 ? "y" : "ies", ar->nread == 1 ? "was" : "were");
}

/*
 * The buffer for an entry of an archive at this depth. An entry that is a
 * small nested archive stays in its buffer while its own entries are read,
 * one level down.
 */
static struct buf *
entry_buf_get(struct walk *w, int depth)
{
	size_t	i = (size_t)depth;

	if (i >= w->nbufs) {
		w->bufs = xreallocarray_grow(w->bufs, &w->bufs_cap, i + 1,
		    sizeof *w->bufs);
		for (; w->nbufs <= i; w->nbufs++) {
			w->bufs[w->nbufs] = xmalloc(sizeof **w->bufs);
			buf_init(w->bufs[w->nbufs], w->entry_max);
		}
	}
	buf_reset(w->bufs[i]);
	return w->bufs[i];
}

static void
entry_buf_put(struct buf *b)
{
	if (b->cap > ENTRY_BUF_KEEP)
		buf_free(b);
	else
		buf_reset(b);
}

/* What became of one header. */
enum entry_result {
	ENTRY_NEXT,	/* go on with the next header */
	ENTRY_STOP,	/* a limit: skip the rest of the archive */
	ENTRY_DAMAGED	/* the handle is dead after this entry's data */
};

/*
 * Whether what is left of an entry skipped or cut short must be read (and
 * counted) rather than skipped by libarchive. Without the central directory
 * (a stream, or a zip that lost it), libarchive's zip reader skips a stored
 * entry of unknown size by looking for the next data descriptor signature,
 * unchecked, and a stored nested zip holds plenty of those: what follows
 * would be lost without a word. Reading checks the descriptor's CRC. A raw
 * compressed file has nothing after its one entry.
 */
static bool
entry_needs_pass(const struct arch *ar, struct archive_entry *ae)
{
	return ar->raw_name == NULL &&
	    (ar->parent != NULL || !archive_entry_size_is_set(ae));
}

static enum entry_result
entry_pass(struct walk *w, struct archive *a, struct arch *ar,
    const char *path)
{
	la_ssize_t	n;

	while ((n = archive_read_data(a, w->chunk, READ_CHUNK)) > 0)
		if (entry_bytes_count(w, ar, path, (size_t)n) != READ_OK)
			return ENTRY_STOP;
	if (n < 0 && arch_cut(ar))
		return ENTRY_STOP;
	if (n == ARCHIVE_FATAL) {
		diag_add(&w->ev->diags, DIAG_WARNING, path,
		    "damaged or truncated entry in %s (%s)", ar->name,
		    archive_error(a));
		return ENTRY_DAMAGED;
	}
	/* Unreadable (encrypted, say): libarchive's skip is all there is. */
	return ENTRY_NEXT;
}

static enum entry_result
archive_entry_process(struct walk *w, struct archive *a, struct arch *ar,
    struct archive_entry *ae, int header_rc)
{
	struct buf	*b;
	char		*path;
	mode_t		 type = archive_entry_filetype(ae);
	int64_t		 mtime;
	enum read_result rr;
	enum entry_result res = ENTRY_NEXT;

	if (type == AE_IFDIR)
		return ENTRY_NEXT;
	path = archive_entry_path(ar, ae);
	if (header_rc == ARCHIVE_WARN)
		diag_add(&w->ev->diags, DIAG_WARNING, path, "%s", archive_error(a));
	if (type != 0 && type != AE_IFREG) {
		diag_add(&w->ev->diags, DIAG_INFO, path,
		    "skipped: not a regular file (link or special file)");
		goto out;
	}
	if (archive_entry_hardlink(ae) != NULL && (!archive_entry_size_is_set(ae) ||
	    archive_entry_size(ae) == 0)) {
		diag_add(&w->ev->diags, DIAG_INFO, path,
		    "skipped: a hard link to %s, read under that name",
		    archive_entry_hardlink(ae));
		goto out;
	}
	if (!entry_count(w, path, ar->name)) {
		res = ENTRY_STOP;
		goto out;
	}
	if (archive_entry_is_encrypted(ae)) {
		diag_add(&w->ev->diags, DIAG_WARNING, path,
		    "skipped: encrypted (no passphrase is ever tried)");
		goto out;
	}
	if (w->lim->max_entry_bytes != 0 && archive_entry_size_is_set(ae) &&
	    archive_entry_size(ae) > 0 &&
	    (uint64_t)archive_entry_size(ae) > w->lim->max_entry_bytes) {
		diag_entry_too_large(w, path, (uint64_t)archive_entry_size(ae));
		goto out;
	}

	b = entry_buf_get(w, ar->depth);
	rr = archive_entry_read(w, a, ar, path, archive_entry_size_is_set(ae) ?
	    (int64_t)archive_entry_size(ae) : -1, b);
	mtime = archive_entry_mtime_is_set(ae) ?
	    (int64_t)archive_entry_mtime(ae) : TIME_UNKNOWN;
	if (rr == READ_STREAM) {
		rr = archive_stream_walk(w, a, ar, path, b, mtime, ar->depth + 1);
		if (rr == READ_OK)
			ar->nread++;
		else if (rr == READ_FATAL)
			res = ENTRY_DAMAGED;
		else if (rr == READ_STOP)
			res = ENTRY_STOP;
	} else if (rr == READ_OK) {
		ar->nread++;
		entry_handle(w, path, b->data != NULL ? (unsigned char *)b->data :
		    (const unsigned char *)"", b->len, mtime, ar->depth + 1);
	} else if (rr == READ_FATAL) {
		diag_add(&w->ev->diags, DIAG_WARNING, path,
		    "skipped: damaged or truncated entry in %s (%s)", ar->name,
		    archive_error(a));
		res = ENTRY_DAMAGED;
	} else if (rr == READ_STOP)
		res = ENTRY_STOP;
	entry_buf_put(b);
out:
	if (res == ENTRY_NEXT && entry_needs_pass(ar, ae))
		res = entry_pass(w, a, ar, path);
	free(path);
	return res;
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
		diag_add(&w->ev->diags, DIAG_ERROR, ar->name,
		    "too many damaged entries: the rest of the archive is not "
		    "read (%ld entries were)", ar->nread);
		return NULL;
	}
	if ((a = arch_open(ar, NULL, 0, false, &err)) == NULL) {
		diag_add(&w->ev->diags, DIAG_ERROR, ar->name,
		    "cannot open the archive again past a damaged entry (%s): "
		    "%ld entries were read", err, ar->nread);
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
	struct archive_entry	*ae;
	enum entry_result	 res;
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
		if (r < ARCHIVE_WARN && ar->parent != NULL) {
			/*
			 * Past a header it cannot read, a stream's zip reader
			 * looks for the next signature and may well miss
			 * entries without a word: better to stop here.
			 */
			diag_add(&w->ev->diags, DIAG_ERROR, ar->name,
			    "unreadable entry header after %ld entr%s (%s): the "
			    "rest is lost (a large nested archive is read as a "
			    "stream, which cannot be resumed past it)", ar->nread,
			    ar->nread == 1 ? "y" : "ies", archive_error(a));
			return a;
		}
		if (r < ARCHIVE_WARN) {
			diag_add(&w->ev->diags, DIAG_WARNING, ar->name,
			    "unreadable entry header after %ld entries (%s), "
			    "skipped", ar->nread, archive_error(a));
			if (++failures >= MAX_HEADER_FAILURES) {
				diag_add(&w->ev->diags, DIAG_ERROR, ar->name,
				    "too many unreadable headers: the rest of "
				    "the archive is not read");
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
			/* A stream cannot be opened again past the damage. */
			diag_archive_fatal(w, a, ar);
			return a;
		}
		if ((a = arch_reopen_past(w, ar, a)) == NULL)
			return NULL;
	}
}

/* Opens and walks an archive; false when it cannot be opened at all. */
static bool
arch_read(struct walk *w, struct arch *ar, const unsigned char *head,
    size_t headlen, enum diag_level level)
{
	struct archive	*a;
	char		*err;

	if ((a = arch_open(ar, head, headlen, true, &err)) == NULL) {
		if (!arch_cut(ar))
			diag_add(&w->ev->diags, level, ar->name,
			    "looks like an archive but cannot be opened (%s): "
			    "skipped", err);
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
	return true;
}

/* A nested archive held in memory (the enclosing archive's entry). */
static void
archive_memory_walk(struct walk *w, const char *path, const unsigned char *data,
    size_t len, int depth)
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
	arch_read(w, &ar, data, len, DIAG_WARNING);
}

/*
 * Records a streamed archive at position `at` of the manifest, ahead of the
 * entries read from it: its hash is known only once all of it has passed.
 */
static void
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
 * A nested archive too large to hold in memory, read as a stream out of
 * the entry of `up` that a is positioned on; head holds the entry's first
 * bytes, already read and counted. Every byte of the entry is hashed on the
 * way, and what the archive's reader leaves (a zip's central directory) is
 * read to the end for the hash. The archive is in the manifest only when
 * all of it could be read: a hash of part of it would be false.
 */
static enum read_result
archive_stream_walk(struct walk *w, struct archive *a, struct arch *up,
    const char *path, struct buf *head, int64_t mtime, int depth)
{
	struct arch		 ar;
	char			 sha[65];
	size_t			 at = w->ev->nentries;
	enum read_result	 rr = READ_OK;

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
	ar.hash = hash_sha256_new();
	hash_sha256_update(ar.hash, ar.pending, ar.pending_len);
	ar.passed = ar.pending_len;
	ar.compressed = ar.pending_len;

	if (depth > w->lim->max_depth)
		diag_too_deep(w, path, depth);
	else
		arch_read(w, &ar, ar.pending, ar.pending_len, DIAG_WARNING);
	stream_drain(&ar);
	hash_sha256_final(ar.hash, sha);

	switch (ar.cut) {
	case CUT_NONE:
		manifest_insert_archive(w, at, path, sha, ar.passed, mtime);
		break;
	case CUT_UP:
	case CUT_STOP:
		rr = READ_STOP;
		break;
	case CUT_SKIP:
		rr = READ_SKIP;
		break;
	case CUT_BROKEN:
	case CUT_DAMAGED:
		diag_add(&w->ev->diags, DIAG_WARNING, path,
		    "damaged or truncated entry in %s (%s): %ld entr%s read "
		    "from it before the damage %s kept, the rest is lost",
		    up->name, ar.cut_msg, ar.nread, ar.nread == 1 ? "y" : "ies",
		    ar.nread == 1 ? "is" : "are");
		rr = ar.cut == CUT_DAMAGED ? READ_FATAL : READ_SKIP;
		break;
	}
	free(ar.cut_msg);
	free(ar.pending);
	free(ar.rbuf);
	return rr;
}

/* ---------------------------------------------------------------- files on disk */

/* SHA-256 of a whole file, from its start. */
static bool
fd_hash(struct walk *w, int fd, char sha[65], uint64_t *size)
{
	struct hash_sha256	*h;
	ssize_t			 n;

	*size = 0;
	if (lseek(fd, 0, SEEK_SET) == -1)
		return false;
	h = hash_sha256_new();
	while ((n = read(fd, w->chunk, READ_CHUNK)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			hash_sha256_final(h, sha);
			return false;
		}
		hash_sha256_update(h, w->chunk, (size_t)n);
		*size += (uint64_t)n;
	}
	hash_sha256_final(h, sha);
	return true;
}

/*
 * An archive file on disk, streamed by libarchive (never loaded whole).
 * `name` names it in diagnostics, `prefix` goes before its entries' paths.
 */
static bool
disk_archive(struct walk *w, int fd, const char *name, const char *prefix,
    bool is_input, const struct stat *st, const unsigned char *head,
    size_t headlen)
{
	struct input_info	 in;
	struct arch		 ar;
	char			 sha[65];
	uint64_t		 size;

	if (!is_input && !entry_count(w, name, NULL))
		return false;
	if (!fd_hash(w, fd, sha, &size)) {
		diag_add(&w->ev->diags, is_input ? DIAG_ERROR : DIAG_WARNING,
		    name, "cannot read: %s", strerror(errno));
		return false;
	}
	if (is_input) {
		memset(&in, 0, sizeof in);
		in.path = (char *)name;
		memcpy(in.sha256, sha, sizeof in.sha256);
		in.bytes = size;
		evidence_add_input(w->ev, &in);
	} else
		manifest_add_archive(w, name, sha, size, TIME_UNKNOWN);

	memset(&ar, 0, sizeof ar);
	ar.name = name;
	ar.prefix = prefix;
	ar.depth = 0;
	ar.fd = fd;
	ar.compressed = size;
	return arch_read(w, &ar, head, headlen,
	    is_input ? DIAG_ERROR : DIAG_WARNING);
}

/*
 * A plain file on disk: read whole (within the limits) and delivered. An
 * input is hashed to its end even when it is too large to deliver.
 */
static bool
disk_plain(struct walk *w, int fd, const char *name, bool is_input,
    const struct stat *st)
{
	struct input_info	 in;
	struct hash_sha256	*h;
	struct buf		 b;
	char			 sha[65];
	ssize_t			 n;
	uint64_t		 size = 0;
	bool			 too_large = false, over_total = false;

	if (!entry_count(w, name, NULL))
		return false;
	if (!is_input && w->lim->max_entry_bytes != 0 &&
	    (uint64_t)st->st_size > w->lim->max_entry_bytes) {
		diag_entry_too_large(w, name, (uint64_t)st->st_size);
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
	}
	hash_sha256_final(h, sha);

	if (is_input) {
		memset(&in, 0, sizeof in);
		in.path = (char *)name;
		memcpy(in.sha256, sha, sizeof in.sha256);
		in.bytes = size;
		evidence_add_input(w->ev, &in);
	}
	if (too_large)
		diag_entry_too_large(w, name, size);
	else if (over_total)
		diag_total_exceeded(w, name, NULL);
	else
		entry_deliver(w, name, b.data != NULL ? (unsigned char *)b.data :
		    (const unsigned char *)"", b.len, sha, (int64_t)st->st_mtime, 0);
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
static bool
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
		diag_add(&w->ev->diags, is_input ? DIAG_ERROR : DIAG_WARNING,
		    name, "skipped: not a regular file");
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
	if (sniff_bytes(head, (size_t)n) == KIND_ARCHIVE)
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
static bool
dir_walk(struct walk *w, const char *fspath, const char *bpath, int level)
{
	struct strlist	 names = { NULL, 0, 0 };
	struct stat	 st;
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
			diag_add(&w->ev->diags, DIAG_WARNING,
			    *bpath != '\0' ? bpath : fspath,
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
			diag_add(&w->ev->diags, DIAG_INFO, child_b,
			    "skipped: a symbolic link (not followed)");
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
			diag_add(&w->ev->diags, DIAG_INFO, child_b,
			    "skipped: not a regular file");
		free(child_fs);
		free(child_b);
	}
	strlist_free(&names);
	return true;
}

/* ---------------------------------------------------------------- inputs */

static bool
input_read(struct walk *w, const char *given, const char *display,
    const char *prefix)
{
	struct input_info	in;
	struct stat		st;

	if (stat(given, &st) == -1) {
		diag_add(&w->ev->diags, DIAG_ERROR, display,
		    "cannot read input %s: %s", given, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		if (access(given, R_OK | X_OK) == -1) {
			diag_add(&w->ev->diags, DIAG_ERROR, display,
			    "cannot read directory %s: %s", given,
			    strerror(errno));
			return false;
		}
		memset(&in, 0, sizeof in);
		in.path = (char *)display;
		evidence_add_input(w->ev, &in);
		return dir_walk(w, given, prefix, 0);
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(&w->ev->diags, DIAG_ERROR, display,
		    "cannot read input %s: not a file or directory", given);
		return false;
	}
	return disk_file(w, given, display, prefix, true);
}

long
bundle_read(const char *const *inputs, size_t ninputs,
    const struct bundle_limits *lim, bundle_entry_fn fn, void *ctx,
    struct evidence *ev)
{
	struct bundle_limits	 defaults;
	struct walk		 w;
	struct strlist		 used = { NULL, 0, 0 };
	char			*display;
	size_t			 i, nread = 0;

	if (lim == NULL) {
		bundle_limits_default(&defaults);
		lim = &defaults;
	}
	memset(&w, 0, sizeof w);
	w.lim = lim;
	w.fn = fn;
	w.ctx = ctx;
	w.ev = ev;
	w.chunk = xmalloc(READ_CHUNK);
	/* buf's max is a size_t; 0 means no per-entry limit. */
	if (lim->max_entry_bytes == 0 || lim->max_entry_bytes >= SIZE_MAX - 1)
		w.entry_max = SIZE_MAX - 1;
	else
		w.entry_max = (size_t)lim->max_entry_bytes;

	for (i = 0; i < ninputs; i++) {
		display = input_display_name(inputs[i], &used);
		if (input_read(&w, inputs[i], display, ninputs > 1 ? display : ""))
			nread++;
		free(display);
	}
	if (ninputs == 0)
		diag_add(&ev->diags, DIAG_ERROR, NULL, "no input given");
	strlist_free(&used);
	for (i = 0; i < w.nbufs; i++) {
		buf_free(w.bufs[i]);
		free(w.bufs[i]);
	}
	free(w.bufs);
	free(w.chunk);
	return nread > 0 ? w.delivered : -1;
}

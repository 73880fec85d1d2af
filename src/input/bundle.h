/*
 * Reading the case's inputs: zip files, tarballs (.tar, .tar.gz, .tgz),
 * directories and single files, with archives nested inside archives read
 * from the archive holding them: small ones from memory, larger ones (over
 * 4 MiB) as a stream, so memory does not grow with their size. Nothing is
 * ever extracted to disk. Every input and every entry
 * is hashed (SHA-256) for the manifest. Limits guard against bombs; anything
 * skipped gets a diagnostic naming it and the walk goes on.
 *
 * Only this module includes archive.h.
 */
#ifndef CERTTRAIL_BUNDLE_H
#define CERTTRAIL_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

struct bundle_limits {
	uint64_t	max_total_bytes;	/* all decompressed bytes together */
	uint64_t	max_entry_bytes;	/* one entry, decompressed */
	double		max_ratio;		/* decompressed / compressed, per entry */
	uint64_t	ratio_grace;		/* an entry's ratio is judged past this size */
	int		max_depth;		/* archives inside archives */
	long		max_entries;		/* entries over the whole case */
};

/*
 * Defaults: 4 GiB total, 512 MiB per entry, ratio 200 past a grace of 8 MiB,
 * depth 4, 100000 entries. A max_total_bytes, max_entry_bytes or max_entries
 * of 0, or a max_ratio of 0 or less, means no limit. max_depth 0 opens the
 * given archives but none nested in them.
 *
 * Every limit but the total is per entry: an entry over it is skipped (or a
 * streamed nested archive cut there, keeping what was read from it) and the
 * archive is read on with the next entry. A ratio is judged only once an
 * entry has produced more than ratio_grace bytes: a small file that
 * compresses very well is harmless, a bomb is dangerous by the bytes it
 * produces. Past max_total_bytes or max_entries nothing more is read, and
 * the manifest says so for each archive left unfinished.
 */
void	bundle_limits_default(struct bundle_limits *);

/*
 * One regular entry (a file) with its whole decompressed content. Everything
 * it points to is valid only during the callback.
 */
struct bundle_entry {
	const char		*path;	/* "EX01.zip/Logs/SEND2026.LOG"; inputs by their given name */
	const unsigned char	*data;
	size_t			 len;
	const char		*sha256;	/* hex; NULL: see BUNDLE_HASH_LATER */
	int64_t			 mtime;		/* TIME_UNKNOWN when the archive has none */
	int			 depth;		/* 0 for a file given directly or in a directory */
	/*
	 * The callback may say the entry was not usable as such (a format
	 * this version does not read, say): status and why for the manifest.
	 * Left alone, the entry is recorded as read.
	 */
	struct bundle_outcome	*outcome;
};

struct buf;

struct bundle_outcome {
	enum entry_status	 status;
	char			 why[256];
	/* The walk's, for bundle_entry_take and bundle_entry_hash_later. */
	struct buf		*owner;		/* holds data; NULL: not takeable */
	bool			 taken;
	bool			 hash_later;
};

/*
 * With BUNDLE_HASH_LATER, an entry read out of an archive comes with sha256
 * NULL: hashing it is left to whoever reads it whole anyway. The callback
 * either calls bundle_entry_hash_later() and owes the manifest the hash
 * (evidence_entry_hashes_fill(), in the order the entries were delivered),
 * or does not, and the walk hashes the entry after the callback.
 */
#define BUNDLE_HASH_LATER	0x1

/* The callback promises the entry's SHA-256 later (sha256 must be NULL). */
void		 bundle_entry_hash_later(const struct bundle_entry *);
/*
 * Takes the entry's buffer: the caller owns data from now on (free() it;
 * *cap is its size) and the walk reads on into `spare` (spare_cap bytes,
 * or NULL), no copy either way. NULL when the entry cannot be taken (then
 * spare stays the caller's). Only with bundle_entry_hash_later() when
 * sha256 is NULL, since the walk cannot hash what it no longer owns.
 */
unsigned char	*bundle_entry_take(const struct bundle_entry *,
		    unsigned char *spare, size_t spare_cap, size_t *cap);

/* The manifest's kinds the walk gives itself; the formats name their own. */
#define BUNDLE_KIND_UNKNOWN	"unknown"
#define BUNDLE_KIND_ARCHIVE	"archive"	/* zip, gzip, bzip2, xz, tar */

/* zip, gzip, bzip2, xz or tar magic: bytes the walk opens as an archive. */
bool		 bundle_is_archive(const unsigned char *, size_t);

/*
 * Called for every entry that is not itself an archive (archives are opened
 * and their entries passed on instead). Returns a sniffed kind name for the
 * manifest (static string), or NULL for "unknown".
 */
typedef const char *(*bundle_entry_fn)(void *ctx, const struct bundle_entry *);

/*
 * An entry taken in pieces rather than whole, so that memory does not grow
 * with it (protocol logs, parsed as they are read). The walk asks the taker
 * for a buffer, fills it (up to *cap bytes, or to the entry's end) and puts
 * it, in order, the buffer the taker's again; then ends. An entry cut short
 * (damage, a limit) ends with whole false: what was put stands, and the
 * manifest says the entry was cut and how much of it was read before, with
 * no hash. The walk hashes the pieces, unless the taker says it does: then
 * it owes the manifest the hash of an entry that ended whole, as with
 * bundle_entry_hash_later().
 */
struct bundle_pieces {
	unsigned char	*(*buffer)(struct bundle_pieces *, size_t *cap);
	void		 (*put)(struct bundle_pieces *, unsigned char *,
			    size_t len);
	void		 (*end)(struct bundle_pieces *, bool whole);
	bool		 hashes;
};

/*
 * Asked once of an entry that is not an archive when it has reached the
 * walk's `after` bytes, and BUNDLE_PIECES_HEAD of them (or its end): head
 * holds the bytes read so far (head->outcome is NULL). Returns a taker and
 * the entry's kind for the manifest, or NULL: the entry is read whole.
 */
typedef struct bundle_pieces *(*bundle_pieces_fn)(void *ctx,
		    const struct bundle_entry *head, const char **kind);

/* What a taker is shown first, at least: enough to recognise a format. */
#define BUNDLE_PIECES_HEAD	(64u << 10)
/* Smaller entries are read whole: a piece would save nothing. */
#define BUNDLE_PIECES_AFTER	(256u << 10)

struct bundle_piecewise {
	bundle_pieces_fn	 fn;
	size_t			 after;	/* 0: BUNDLE_PIECES_AFTER */
};

/*
 * Walks all inputs in the order given (directory contents in byte order of
 * their names, archive entries in archive order). Records inputs and entries
 * in ev (evidence_add_input / evidence_add_entry) and problems in ev->diags.
 * Returns the number of entries passed to fn; -1 when no input could be read
 * at all.
 */
long	bundle_read(const char *const *inputs, size_t ninputs,
	    const struct bundle_limits *, bundle_entry_fn fn, void *ctx,
	    struct evidence *ev);
/* The same, with flags (BUNDLE_HASH_LATER). */
long	bundle_read_flags(const char *const *inputs, size_t ninputs,
	    const struct bundle_limits *, bundle_entry_fn fn, void *ctx,
	    struct evidence *ev, unsigned flags);
/*
 * The same, offering large entries to pieces (NULL: none): the entries of
 * archives and the files of directories. A file given as an input is read
 * whole (its hash is the input's too).
 */
long	bundle_read_pieces(const char *const *inputs, size_t ninputs,
	    const struct bundle_limits *, bundle_entry_fn fn,
	    const struct bundle_piecewise *, void *ctx, struct evidence *ev,
	    unsigned flags);

#endif

/*
 * The bundle reader's private parts, shared by src/bundle*.c and nothing
 * else: the state of the walk over one case, of each archive being read,
 * and the functions the pieces call one another by.
 *
 * Entries stream by one at a time; an entry that is itself an archive (by
 * its magic bytes, not its name) is opened while the enclosing archive
 * waits: from memory when it is small, else as a stream pulled out of the
 * enclosing archive's entry, so that memory stays flat however large the
 * nested archives are. Nothing is written to disk. libarchive has no bomb
 * limits of its own, so bytes, ratio, depth and entries are counted here as
 * the data is read: sizes in headers may be missing or false.
 *
 *	bundle.c		the public entry: inputs, their names, defaults
 *	bundle_path.c		bundle paths, normalized and printable
 *	bundle_limits.c		the limits and their diagnostics
 *	bundle_disk.c		files and directories on disk
 *	bundle_reader.c		libarchive readers and their errors
 *	bundle_archive.c	opening and walking an archive, again past damage
 *	bundle_entry.c		reading one entry of an archive
 *	bundle_nested.c		an entry that is an archive, walked in turn
 *	bundle_stream.c		the stream a large nested archive is read from
 *	bundle_deliver.c	an entry read whole, handed to the callback
 *	bundle_pieces.c		an entry handed over in pieces as it is read
 *				(from an archive or a file)
 *	bundle_manifest.c	the manifest: archives, entries not read, losses
 *
 * The walk recurses through bundle_archive.c, bundle_entry.c and
 * bundle_nested.c, as archives nest (bundle_nested.c says why); everything
 * else is called by them and calls none of them back.
 *
 * libarchive's types are named here, never used: only bundle_reader.c,
 * bundle_archive.c, bundle_entry.c and bundle_stream.c include archive.h.
 */
#ifndef CERTTRAIL_BUNDLE_WALK_H
#define CERTTRAIL_BUNDLE_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "util/diag.h"
#include "util/parse_diag.h"
#include "model/evidence.h"
#include "util/util.h"

struct archive;
struct archive_entry;
struct hash_sha256;

/* Bytes read at a time, from a file, an archive or an enclosing entry. */
#define READ_CHUNK		(64 * 1024)
/* Enough for every magic number bundle_is_archive() knows (tar's is at 257). */
#define HEAD_BYTES		512

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
	uint64_t		 passed;	/* ... and passed over, not kept */
	long			 nentries;	/* entries met so far */
	long			 delivered;	/* entries passed to fn */
	int			 entries_full;	/* --max-entries reached */
	unsigned		 flags;		/* BUNDLE_HASH_LATER */
	bundle_pieces_fn	 pieces_fn;	/* NULL: every entry whole */
	size_t			 pieces_after;
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
	long		 nread;		/* entries read from it */
	size_t		 manifest_at;	/* its own manifest entry; SIZE_MAX for none */
	bool		 rest_lost;	/* the loss of its remaining entries is recorded */
	/*
	 * The entry being read: its bytes for the per-entry limits, and what
	 * became of it when it is not read.
	 */
	uint64_t	 cur_out;	/* decompressed bytes so far */
	int64_t		 cur_in0;	/* the archive's input position where its data began */
	enum entry_status cur_status;
	char		*cur_why;	/* why it is not read (owned) */
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
	const unsigned char *last;	/* the block handed to libarchive last */
	size_t		 last_len;
	unsigned char	*prev;		/* the end of the block before it */
	size_t		 prev_len;	/* (READ_CHUNK bytes at most) */
	uint64_t	 resync_at;	/* where the last resync started + 1; 0 for none */
	uint64_t	 origin;	/* where in the entry the current reader started */
	enum stream_cut	 cut;
	char		*cut_msg;	/* the enclosing archive's error */
};

/* What reading one entry's data came to. */
enum read_result {
	READ_OK,
	READ_SKIP,	/* this entry is skipped (ar->cur_why); go on with the next */
	READ_STOP,	/* the case-wide limit: skip the rest of this archive */
	READ_FATAL,	/* the archive cannot be read further */
	READ_STREAM,	/* a large nested archive: read the rest as a stream */
	READ_PIECES	/* taken in pieces: hand the rest over as it comes */
};

/* What became of one header. */
enum entry_result {
	ENTRY_NEXT,	/* go on with the next header */
	ENTRY_STOP,	/* a limit: skip the rest of the archive */
	ENTRY_DAMAGED	/* the handle is dead after this entry's data */
};

/* bundle_path.c */
void		 path_sanitize(char *);
char		*path_normalize(const char *);
char		*path_join(const char *, const char *);
char		*raw_entry_name(const char *);

/* bundle_limits.c */
bool		 total_exceeded(const struct walk *);
bool		 entry_count(struct walk *);
char		*why_too_many(const struct walk *);
char		*why_too_large(const struct walk *, uint64_t);
char		*why_total(const struct walk *);
char		*why_too_deep(const struct walk *, int);
enum read_result entry_bytes_count(struct walk *, struct arch *, size_t n,
		    uint64_t in);
void		 arch_mark(struct arch *, enum entry_status, char *why);

/* bundle_deliver.c */
void		 entry_deliver(struct walk *, const char *path,
		    const unsigned char *, size_t, const char *sha,
		    int64_t mtime, int depth, struct buf *owner);

/* bundle_manifest.c */
size_t		 manifest_add_archive(struct walk *, const char *path,
		    const char *sha, uint64_t bytes, int64_t mtime);
void		 manifest_insert_archive(struct walk *, size_t at,
		    const char *path, const char *sha, uint64_t bytes,
		    int64_t mtime, enum entry_status, const char *why);
void		 manifest_set_status(struct walk *, size_t at,
		    enum entry_status, const char *why);
void		 entry_not_read(struct walk *, const char *path,
		    enum entry_status, enum diag_level, uint64_t bytes,
		    int64_t mtime, const char *why);
void		 entry_read_in_part(struct walk *, const char *path,
		    enum entry_status, const char *kind, uint64_t bytes,
		    int64_t mtime, const char *why);
void		 arch_rest_lost(struct walk *, struct arch *,
		    enum entry_status, enum diag_level, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/* bundle_disk.c */
bool		 disk_file(struct walk *, const char *fspath, const char *name,
		    const char *prefix, bool is_input);
bool		 dir_walk(struct walk *, const char *fspath, const char *bpath,
		    int level);

/*
 * bundle_file_hash.c: the SHA-256 of a file, from its start, made by a
 * thread of its own (pread, so the file offset is left alone), or at once
 * when no thread can be had. finish waits for it and frees it: true with
 * the hex digest, false with sha "" and the errno of the read that failed.
 */
struct file_hash;
struct file_hash *file_hash_start(int fd);
bool		 file_hash_finish(struct file_hash *, char sha[65],
		    uint64_t *size, int *err);

/* bundle_reader.c */
bool		 is_compressed_magic(const unsigned char *, size_t);
struct archive	*arch_reader_new(bool raw, bool stream);
const char	*arch_error(struct archive *);

/* bundle_archive.c */
bool		 arch_read(struct walk *, struct arch *,
		    const unsigned char *head, size_t headlen, enum diag_level);

/* bundle_entry.c */
enum entry_result arch_entry_process(struct walk *, struct archive *,
		    struct arch *, struct archive_entry *, int header_rc);

/* bundle_pieces.c */
/*
 * Where an entry's bytes come from: read() gives up to room more (have
 * came before; *got 0 at the end), counted against the limits; when it
 * fails, status and why say what became of the rest (MANIFEST_READ: the
 * archive holding it was cut, and says so).
 */
struct piece_source {
	enum read_result (*read)(struct piece_source *, unsigned char *dst,
			    size_t room, size_t have, size_t *got);
	enum entry_status status;
	const char	*why;
};
bool		 pieces_due(const struct walk *, const struct buf *,
		    int is_archive, bool ended);
struct bundle_pieces *pieces_ask(struct walk *, const char *path,
		    const struct buf *, int64_t mtime, int depth,
		    const char **kind);
enum read_result entry_pieces(struct walk *, struct piece_source *,
		    const char *path, struct buf *head, bool ended,
		    struct bundle_pieces *, const char *kind, int64_t mtime);

/* bundle_nested.c */
void		 entry_handle(struct walk *, const char *path,
		    struct buf *, int64_t mtime, int depth);
enum read_result arch_stream_walk(struct walk *, struct archive *,
		    struct arch *, const char *path, struct buf *head,
		    int64_t mtime, int depth);

/* bundle_stream.c */
bool		 arch_cut(const struct arch *);
struct archive	*arch_stream_open(struct arch *, const unsigned char *head,
		    size_t headlen, struct parse_diag *why);
bool		 arch_stream_resumable(struct archive *);
struct archive	*arch_stream_resync(struct arch *, struct archive *dead);
void		 arch_stream_drain(struct arch *);

#endif

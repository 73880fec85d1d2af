/*
 * The SHA-256 of an archive file on disk, made by a thread of its own while
 * libarchive walks the same file. Hashed first and walked after, a 22 MB
 * zip cost the walk 20 ms before its first entry, and a file larger than
 * the page cache was read from the disk twice; side by side, the hash is
 * made while the parsing thread has nothing yet to parse, and whichever of
 * the two readers is ahead brings the pages in for the other.
 *
 * The thread reads with pread(), which leaves the file offset that
 * libarchive's reads go by alone. The caller keeps the descriptor open
 * until file_hash_finish().
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_walk.h"
#include "util/hash.h"
#include "util/util.h"

struct file_hash {
	pthread_t	 thread;
	bool		 threaded;
	int		 fd;
	char		 sha[65];
	uint64_t	 size;
	int		 err;		/* errno of a failed read, else 0 */
	unsigned char	 buf[READ_CHUNK];
};

static void *
file_hash_run(void *arg)
{
	struct file_hash	*fh = arg;
	struct hash_sha256	*h = hash_sha256_new();
	ssize_t			 n;

	for (;;) {
		n = pread(fh->fd, fh->buf, sizeof fh->buf, (off_t)fh->size);
		if (n == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			fh->err = errno;
			break;
		}
		hash_sha256_update(h, fh->buf, (size_t)n);
		fh->size += (uint64_t)n;
	}
	hash_sha256_final(h, fh->sha);
	return NULL;
}

struct file_hash *
file_hash_start(int fd)
{
	struct file_hash	*fh = xcalloc(1, sizeof *fh);

	fh->fd = fd;
	fh->threaded = pthread_create(&fh->thread, NULL, file_hash_run, fh) == 0;
	if (!fh->threaded)
		file_hash_run(fh);	/* no thread to be had: hashed first */
	return fh;
}

bool
file_hash_finish(struct file_hash *fh, char sha[65], uint64_t *size, int *err)
{
	bool	ok;

	if (fh->threaded)
		pthread_join(fh->thread, NULL);
	ok = fh->err == 0;
	memcpy(sha, ok ? fh->sha : "", ok ? 65 : 1);
	*size = fh->size;
	*err = fh->err;
	free(fh);
	return ok;
}

/*
 * The progress bar: a thread that, a few times a second, finds the input
 * files among the process's open descriptors (same device and inode) and
 * reads how far into each the bundle reader is, without the reader having
 * to report anything. Bytes done of the inputs' total size, the rate, and
 * the time left go to stderr on one line redrawn in place.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "util/util.h"

#define TICK_MS		250
#define MAX_FD		256
#define MAX_FILES	4096

struct pfile {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	off_t		 done;
	bool		 seen;		/* was open at some tick */
};

struct progress {
	struct pfile	*files;
	size_t		 nfiles, cap;
	off_t		 total;
	bool		 tty;
	bool		 stop;
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct timespec	 start;
	int		 width;		/* of the last line drawn */
};

static void
add_file(struct progress *p, const struct stat *st)
{
	if (p->nfiles == MAX_FILES)
		return;
	p->files = xreallocarray_grow(p->files, &p->cap, p->nfiles + 1,
	    sizeof *p->files);
	p->files[p->nfiles].dev = st->st_dev;
	p->files[p->nfiles].ino = st->st_ino;
	p->files[p->nfiles].size = st->st_size;
	p->files[p->nfiles].done = 0;
	p->files[p->nfiles].seen = false;
	p->nfiles++;
	p->total += st->st_size;
}

static void
add_path(struct progress *p, const char *path, int depth)
{
	struct stat	 st;
	DIR		*d;
	struct dirent	*de;
	char		*sub;
	size_t		 n;

	if (stat(path, &st) != 0)
		return;
	if (S_ISREG(st.st_mode)) {
		add_file(p, &st);
		return;
	}
	if (!S_ISDIR(st.st_mode) || depth > 16 || (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(path) + strlen(de->d_name) + 2;
		sub = xmalloc(n);
		snprintf(sub, n, "%s/%s", path, de->d_name);
		add_path(p, sub, depth + 1);
		free(sub);
	}
	closedir(d);
}

static double
elapsed(const struct progress *p)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->start.tv_sec) +
	    (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

/*
 * Where the reader is in each input it has open; closed ones are done.
 * The reader may close a descriptor (and open another with the same number)
 * while we look: fstat then fails or names another file, which the device
 * and inode check rejects, and lseek(fd, 0, SEEK_CUR) moves nothing.
 * ThreadSanitizer reports these looks as races on the descriptor; they are
 * read-only and checked.
 */
static off_t
measure(struct progress *p)
{
	struct stat	st;
	bool		open_now[MAX_FILES];
	off_t		pos, done = 0;
	size_t		i;
	int		fd;

	memset(open_now, 0, sizeof open_now);
	for (fd = 3; fd < MAX_FD; fd++) {
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		for (i = 0; i < p->nfiles; i++) {
			if (p->files[i].dev != st.st_dev || p->files[i].ino != st.st_ino)
				continue;
			pos = lseek(fd, 0, SEEK_CUR);
			open_now[i] = true;
			p->files[i].seen = true;
			/* Zip readers look at the end first: count forward progress only. */
			if (pos > p->files[i].done && pos < p->files[i].size)
				p->files[i].done = pos;
		}
	}
	for (i = 0; i < p->nfiles; i++) {
		if (p->files[i].seen && !open_now[i])
			p->files[i].done = p->files[i].size;
		done += p->files[i].done;
	}
	return done;
}

static void
draw(struct progress *p, off_t done)
{
	char	bar[21], line[160];
	double	t = elapsed(p), rate, frac, left;
	int	i, fill, n;

	frac = p->total > 0 ? (double)done / (double)p->total : 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * 20);
	for (i = 0; i < 20; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[20] = '\0';
	rate = t > 0 ? (double)done / t : 0;
	left = rate > 0 ? (double)(p->total - done) / rate : -1;
	n = snprintf(line, sizeof line, "certtrail: [%s] %.1f/%.1f MiB  %.1f MiB/s",
	    bar, (double)done / 1048576.0, (double)p->total / 1048576.0,
	    rate / 1048576.0);
	if (left >= 0 && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, "  %d:%02d left",
		    (int)left / 60, (int)left % 60);
	if (p->tty)
		fprintf(stderr, "\r%s%*s", line, p->width > n ? p->width - n : 0, "");
	else
		fprintf(stderr, "%s\n", line);
	p->width = n;
}

static void *
ticker(void *arg)
{
	struct progress	*p = arg;
	struct timespec	 until;
	int		 ticks = 0;

	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &until);
		if (p->stop)
			break;
		ticks++;
		/* Not a terminal: a line every few seconds instead of a redraw. */
		if (p->tty || ticks % 20 == 0)
			draw(p, measure(p));
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct progress *
progress_start(const char *const *inputs, size_t ninputs, bool tty)
{
	struct progress	*p = xcalloc(1, sizeof *p);
	size_t		 i;

	for (i = 0; i < ninputs; i++)
		add_path(p, inputs[i], 0);
	p->tty = tty;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->thread, NULL, ticker, p) != 0) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		free(p->files);
		free(p);
		return NULL;
	}
	return p;
}

void
progress_stop(struct progress *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	if (p->tty && p->width > 0)
		fprintf(stderr, "\r%*s\r", p->width, "");
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->files);
	free(p);
}

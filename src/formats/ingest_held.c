/*
 * Files that wait for their neighbours' day/month order. Format-List and CSV
 * exports write dates in the culture of the console that printed them; a
 * file whose own dates cannot tell day from month (no field past 12, no
 * dots, no telling pattern of padding and clock: datetime.h) is held, with
 * the function that reads it, until all input is read. Every other file
 * notes the order it decided for itself; a held file then takes the order
 * the nearest notes agree on, as a guess (a warning says so and its dates
 * are marked): those of its own folder, else of the deepest folder above
 * it that has any, up to the whole case. It stays undecided when they
 * disagree or there are none.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "model/attribution.h"

/*
 * Text held back waiting for other files' orders stops growing here; past
 * it, files are read at once, undecided, as if nothing were held.
 */
#define HELD_BYTES_MAX	((size_t)64 << 20)

bool
ingest_held_add(struct ingest_ctx *ctx, const char *source, const char *text,
    size_t len, held_read_fn read)
{
	struct evidence		*ev = ctx->ev;
	struct ingest_held	*h = &ctx->held;
	struct held_file	*f;

	if (!h->enabled)
		return false;
	if (len > HELD_BYTES_MAX - h->bytes) {
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order not "
		    "looked for in other files: more than %zu MiB of such files "
		    "already waiting", HELD_BYTES_MAX >> 20);
		return false;
	}
	h->files = xreallocarray_grow(h->files, &h->files_cap, h->nfiles + 1,
	    sizeof *h->files);
	f = &h->files[h->nfiles++];
	f->source = xstrdup(source);
	f->text = xmalloc(len + 1);
	memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
	f->read = read;
	h->bytes += len;
	return true;
}

void
ingest_held_note(struct ingest_ctx *ctx, const char *source,
    const struct date_order_votes *votes)
{
	struct ingest_held	*h = &ctx->held;
	enum date_order		 order;

	if (!h->enabled)
		return;
	if (votes->mdy > 0 && votes->dmy > 0)
		order = DATE_ORDER_UNKNOWN;	/* counts against any agreement */
	else if (!ingest_order_settled(votes))
		return;
	else
		order = date_order_decide(votes);
	h->notes = xreallocarray_grow(h->notes, &h->notes_cap, h->nnotes + 1,
	    sizeof *h->notes);
	h->notes[h->nnotes].source = xstrdup(source);
	h->notes[h->nnotes].order = order;
	h->nnotes++;
}

bool
ingest_order_settled(const struct date_order_votes *votes)
{
	enum date_order	o = date_order_decide(votes);

	return o == DATE_ORDER_MDY || o == DATE_ORDER_DMY;
}

enum date_order
ingest_order_own(struct evidence *ev, const char *source,
    const struct date_order_votes *votes)
{
	const char	*basis;
	enum date_order	 order = date_order_decide_why(votes, &basis);

	if (basis != NULL)
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order: %s, "
		    "from the way the file writes its dates: %s",
		    order == DATE_ORDER_MDY ? "month first" : "day first", basis);
	return order;
}

/*
 * The notes sorted by folder, '/' ranking below every other byte, so that a
 * folder and everything under it form one run; counts of month-first and
 * day-first notes before each position answer "do they agree" for a run in
 * constant time.
 */
struct order_entry {
	const struct held_note *note;
	size_t		 dirlen;	/* the folder: source[0..dirlen) */
	size_t		 seq;		/* read order, to break ties */
};

struct order_index {
	struct order_entry *v;
	size_t		 n;
	size_t		*mdy;		/* n + 1 prefix counts */
	size_t		*dmy;
};

/* Where a run of notes lies: v[lo..hi), in or under source[0..dirlen). */
struct order_run {
	size_t		 lo, hi;
	size_t		 dirlen;
	bool		 exact;		/* the folder only, not those under it */
	const char	*scope;		/* "in", "under" */
};

static size_t
dir_len(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash == NULL ? 0 : (size_t)(slash - path);
}

static int
dir_rank(unsigned char c)
{
	return c == '/' ? 0 : c + 1;
}

static int
dir_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;

	for (i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return dir_rank((unsigned char)a[i]) -
			    dir_rank((unsigned char)b[i]);
	return alen < blen ? -1 : alen > blen;
}

static bool
dir_within(const char *dir, size_t len, const char *top, size_t toplen)
{
	return toplen == 0 || (len >= toplen && memcmp(dir, top, toplen) == 0 &&
	    (len == toplen || dir[toplen] == '/'));
}

static int
order_entry_cmp(const void *pa, const void *pb)
{
	const struct order_entry *a = pa, *b = pb;
	int			  c;

	c = dir_cmp(a->note->source, a->dirlen, b->note->source, b->dirlen);
	if (c != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
order_index_build(struct order_index *x, const struct ingest_held *h)
{
	size_t	i;

	x->n = h->nnotes;
	x->v = xcalloc(x->n + 1, sizeof *x->v);
	x->mdy = xcalloc(x->n + 1, sizeof *x->mdy);
	x->dmy = xcalloc(x->n + 1, sizeof *x->dmy);
	for (i = 0; i < x->n; i++) {
		x->v[i].note = &h->notes[i];
		x->v[i].dirlen = dir_len(h->notes[i].source);
		x->v[i].seq = i;
	}
	qsort(x->v, x->n, sizeof *x->v, order_entry_cmp);
	for (i = 0; i < x->n; i++) {
		enum date_order o = x->v[i].note->order;

		x->mdy[i + 1] = x->mdy[i] + (o != DATE_ORDER_DMY);
		x->dmy[i + 1] = x->dmy[i] + (o != DATE_ORDER_MDY);
	}
}

static void
order_index_free(struct order_index *x)
{
	free(x->v);
	free(x->mdy);
	free(x->dmy);
}

/* How index_first() finds the end of a run. */
enum index_bound {
	BOUND_FOLDER,		/* the first note at or after the folder */
	BOUND_PAST_FOLDER,	/* the first note past the folder itself */
	BOUND_PAST_SUBFOLDERS	/* the first note past the folder and all under it */
};

static bool
entry_reached(const struct order_entry *e, const char *dir, size_t len,
    enum index_bound bound)
{
	int	c = dir_cmp(e->note->source, e->dirlen, dir, len);

	switch (bound) {
	case BOUND_FOLDER:
		return c >= 0;
	case BOUND_PAST_FOLDER:
		return c > 0;
	default:
		return c > 0 && !dir_within(e->note->source, e->dirlen, dir, len);
	}
}

/* Binary search: every bound is false, then true, along the sorted notes. */
static size_t
index_first(const struct order_index *x, const char *dir, size_t len,
    enum index_bound bound)
{
	size_t	lo = 0, hi = x->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (entry_reached(&x->v[mid], dir, len, bound))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * The nearest notes to a file in folder dir[0..len): the folder's own, else
 * those of the deepest folder holding the file's folder and some notes (its
 * subfolders, its parent with everything under it, ..., the whole case).
 */
static bool
index_nearest(const struct order_index *x, const char *dir, size_t len,
    struct order_run *run)
{
	size_t	top = len;

	run->lo = index_first(x, dir, len, BOUND_FOLDER);
	run->hi = index_first(x, dir, len, BOUND_PAST_FOLDER);
	run->dirlen = len;
	run->exact = true;
	run->scope = "in";
	if (run->hi > run->lo)
		return true;
	for (;;) {
		run->lo = index_first(x, dir, top, BOUND_FOLDER);
		run->hi = index_first(x, dir, top, BOUND_PAST_SUBFOLDERS);
		run->dirlen = top;
		run->exact = false;
		run->scope = "under";
		if (run->hi > run->lo)
			return true;
		if (top == 0)
			return false;
		while (top > 0 && dir[--top] != '/')
			continue;
	}
}

static const char *
order_name(enum date_order order)
{
	return order == DATE_ORDER_MDY ? "month first" : "day first";
}

/*
 * The folder right under the first dirlen bytes of path on the way to it
 * (comp[0..*n)); false when path lies in that folder itself.
 */
static bool
child_below(const char *path, size_t dirlen, const char **comp, size_t *n)
{
	const char	*p = path + dirlen, *end;

	if (dirlen > 0)
		p++;		/* the slash */
	if ((end = strchr(p, '/')) == NULL)
		return false;
	*comp = p;
	*n = (size_t)(end - p);
	return true;
}

/*
 * Whether a note of the run lies in a folder of another server than the
 * held file: each console prints in its own culture, so a file in EXHUB1/
 * says nothing of one in EXHUB2/ (folders named by kind, Certs/ or Queues/,
 * are one collection's and lend their order).
 */
static bool
other_servers_folder(const struct order_run *run, const char *source,
    const char *note)
{
	const char	*a, *b;
	size_t		 an, bn;

	if (run->exact || !child_below(source, run->dirlen, &a, &an) ||
	    !attr_folder_looks_like_server(a, an) ||
	    !child_below(note, run->dirlen, &b, &bn) ||
	    !attr_folder_looks_like_server(b, bn))
		return false;
	return an != bn || ascii_ncasecmp(a, b, an) != 0;
}

/* The order the run agrees on, with a word on where it came from. */
static enum date_order
run_order(struct evidence *ev, const struct order_index *x,
    struct order_run *run, const char *source)
{
	size_t		 mdy = x->mdy[run->hi] - x->mdy[run->lo];
	size_t		 dmy = x->dmy[run->hi] - x->dmy[run->lo];
	size_t		 others = run->hi - run->lo - 1, i, kept = 0, first = 0;
	enum date_order	 order;
	char		*where;

	/* Notes from other servers' folders lend nothing: count without them. */
	if (!run->exact) {
		mdy = dmy = 0;
		for (i = run->lo; i < run->hi; i++) {
			enum date_order o = x->v[i].note->order;

			if (other_servers_folder(run, source,
			    x->v[i].note->source))
				continue;
			if (kept++ == 0)
				first = i;
			mdy += o != DATE_ORDER_DMY;
			dmy += o != DATE_ORDER_MDY;
		}
		if (kept == 0) {
			diag_add(&ev->diags, DIAG_INFO, source, "day/month order "
			    "not taken from other files: the nearest ones (%s "
			    "first) lie in other servers' folders, whose consoles "
			    "may print dates otherwise", x->v[run->lo].note->source);
			return DATE_ORDER_UNKNOWN;
		}
		run->lo = first;
		others = kept - 1;
	}

	if (run->dirlen > 0)
		where = xasprintf("%s %.*s", run->scope, (int)run->dirlen,
		    source);
	else
		where = xstrdup(run->exact ? "at the top of the case" :
		    "in the case");
	if (mdy > 0 && dmy > 0) {
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order not "
		    "taken from other files: the nearest ones (%zu file%s %s) "
		    "are not all in one order", others + 1,
		    others > 0 ? "s" : "", where);
		free(where);
		return DATE_ORDER_UNKNOWN;
	}
	order = mdy > 0 ? DATE_ORDER_MDY : DATE_ORDER_DMY;
	/* A guess: the file may come from another console than its neighbours. */
	if (others == 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "day/month order "
		    "guessed from %s (%s): the file itself cannot tell, so its "
		    "dates that read both ways are marked as a guess",
		    x->v[run->lo].note->source, order_name(order));
	else
		diag_add(&ev->diags, DIAG_WARNING, source, "day/month order "
		    "guessed from %s and %zu other file%s %s (%s): the file itself "
		    "cannot tell, so its dates that read both ways are marked as "
		    "a guess", x->v[run->lo].note->source, others,
		    others > 1 ? "s" : "", where, order_name(order));
	free(where);
	return order;
}

static void
held_file_read(struct evidence *ev, const struct order_index *x,
    const struct held_file *f)
{
	struct order_run	run;
	enum date_order		order = DATE_ORDER_UNKNOWN;

	if (index_nearest(x, f->source, dir_len(f->source), &run))
		order = run_order(ev, x, &run, f->source);
	(void)f->read(ev, f->source, f->text, f->len, order);
}

void
ingest_held_defer(struct ingest_ctx *ctx)
{
	ctx->held.enabled = true;
}

void
ingest_held_finish(struct ingest_ctx *ctx)
{
	struct evidence		*ev = ctx->ev;
	struct ingest_held	*h = &ctx->held;
	struct order_index	 x;
	size_t			 i;

	h->enabled = false;
	if (h->nfiles > 0) {
		order_index_build(&x, h);
		/* In the order they were read, so the output is stable. */
		for (i = 0; i < h->nfiles; i++)
			held_file_read(ev, &x, &h->files[i]);
		order_index_free(&x);
	}
	ingest_held_free(h);
}

void
ingest_held_free(struct ingest_held *h)
{
	size_t	i;

	for (i = 0; i < h->nnotes; i++)
		free(h->notes[i].source);
	free(h->notes);
	for (i = 0; i < h->nfiles; i++) {
		free(h->files[i].source);
		free(h->files[i].text);
	}
	free(h->files);
	memset(h, 0, sizeof *h);
}


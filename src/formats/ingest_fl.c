/*
 * Format-List dumps: every cmdlet output the mappers read (record.h),
 * recognized record by record from their labels (one file may hold several
 * cmdlets' output). Dates are read in the file's own
 * day/month order, voted on from all its dates before any is parsed; a file
 * that cannot tell may wait for the order of the files around it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "fl.h"
#include "ingest.h"
#include "util/parse_diag.h"
#include "model/kinds/kinds.h"
#include "model/record.h"

struct fl_ingest {
	struct evidence	*ev;
	const char	*source;
};

/* A Format-List record as a generic record, for the mappers. */
static void
fl_to_record(const struct fl_record *fr, struct record *r)
{
	struct rec_value	*v;
	size_t			 i, j;

	record_init(r);
	r->line = fr->line;
	for (i = 0; i < fr->nfields; i++) {
		const struct fl_field *f = &fr->fields[i];

		v = record_add(r, f->label, f->line);
		if (f->is_list) {
			v->kind = REC_LIST;
			for (j = 0; j < f->items.n; j++)
				strlist_add(&v->items, f->items.v[j]);
			v->cut = f->truncated;
		} else if (*f->value != '\0') {
			v->kind = REC_SCALAR;
			v->s = xstrdup(f->value);
			rec_value_check_type_name(v);
		}
	}
}

static const struct ev_kind *
fl_record_kind(const struct fl_record *fr)
{
	struct record		 r;
	const struct ev_kind	*k;

	fl_to_record(fr, &r);
	k = record_classify(&r);
	record_free(&r);
	return k;
}

/* ----------------------------------------------------------------- dates */

static void
dates_vote(const struct fl_doc *doc, struct date_order_votes *v)
{
	size_t	i, j;

	/*
	 * Every value that looks like a date and time, whatever its label
	 * (WhenChanged and friends count too). A clock time is required so
	 * that version-like values ("1.2.2024") cannot vote.
	 */
	for (i = 0; i < doc->nrecords; i++)
		for (j = 0; j < doc->records[i].nfields; j++) {
			const char *val = doc->records[i].fields[j].value;

			if (strchr(val, ':') != NULL)
				date_order_vote(v, val);
		}
}

/* --------------------------------------------------------------- records */

static void
report_doc_problems(struct fl_ingest *in, const struct fl_doc *doc)
{
	/* fl_parse reported cut values and skipped lines itself. */
	(void)in;
	(void)doc;
}

static bool
doc_has_records(const struct fl_doc *doc)
{
	size_t	i;

	for (i = 0; i < doc->nrecords; i++)
		if (fl_record_kind(&doc->records[i]) != NULL)
			return true;
	return false;
}

/*
 * Whether the text is mostly Format-List fields: a transcript with a few
 * "Label : value" lines among error text is not a dump of unread objects.
 */
static bool
doc_mostly_fields(const struct fl_doc *doc)
{
	size_t	i, fields = 0;

	for (i = 0; i < doc->nrecords; i++)
		fields += doc->records[i].nfields;
	return (size_t)doc->nskipped < fields;
}

/* Reads the records, with dates in `order`. */
static int
doc_ingest(struct evidence *ev, const char *source, const struct fl_doc *doc,
    enum date_order order)
{
	struct fl_ingest	 in = { ev, source };
	struct map_ctx		 ctx;
	struct record		 r;
	char			*kinds;
	size_t			 i;

	map_ctx_init(&ctx, ev, source, "Format-List", 1);
	ctx.order = order;
	for (i = 0; i < doc->nrecords; i++) {
		fl_to_record(&doc->records[i], &r);
		/*
		 * A console capture holds prompts, banners and other cmdlets'
		 * output between the objects: only records that look like an
		 * object certtrail reads are worth a word.
		 */
		if (record_classify(&r) != NULL)
			(void)map_record(&ctx, &r);
		record_free(&r);
	}
	if (ctx.added > 0 || ctx.skipped > 0 || ctx.events_irrelevant > 0)
		report_doc_problems(&in, doc);
	else if (doc->nrecords > 0 && doc_mostly_fields(doc)) {
		kinds = ev_kinds_words(false, " or ");
		diag_add(&ev->diags, DIAG_INFO, source, "Format-List text with "
		    "%zu record(s) (the first has %s%s): no %s certtrail reads",
		    doc->nrecords, doc->records[0].fields[0].label,
		    doc->records[0].nfields > 1 ? ", ..." : "", kinds);
		free(kinds);
	}
	map_ctx_finish(&ctx);
	if (ctx.added == 0 && ctx.skipped > 0)
		return -1;
	return (int)ctx.added;
}

/* ------------------------------------------------- orders from elsewhere */

/*
 * Text held back waiting for other files' orders stops growing here; past
 * it, files are read at once, undecided, as if nothing were held.
 */
#define HELD_BYTES_MAX	((size_t)64 << 20)

/*
 * Whether the record becomes an object (its kind keeps it), and whether one
 * of the dates its kind keeps needs the day/month order.
 */
static bool
record_will_add(const struct fl_record *fr, bool *needs_order)
{
	const struct ev_kind	*k;
	const struct rec_value	*v;
	const char *const	*label;
	struct record		 r;
	bool			 keeps;

	*needs_order = false;
	fl_to_record(fr, &r);
	k = record_classify(&r);
	keeps = k != NULL && (k->keeps == NULL || k->keeps(&r));
	for (label = keeps ? k->date_labels : NULL; label != NULL &&
	    *label != NULL; label++)
		if ((v = record_get(&r, *label)) != NULL &&
		    v->kind == REC_SCALAR && date_text_needs_order(v->s))
			*needs_order = true;
	record_free(&r);
	return keeps;
}

/*
 * Holds the file when its dates say nothing of the order (no date that can
 * only be read one way) and a date it keeps needs it. Returns how many
 * objects it will add, 0 when it is not held.
 */
static int
doc_hold(struct ingest_ctx *ctx, const char *source, const struct fl_doc *doc,
    const struct date_order_votes *votes, const char *text, size_t len)
{
	size_t			 i;
	int			 will_add = 0;
	bool			 needs, any_needs = false;

	if (votes->mdy > 0 || votes->dmy > 0)
		return 0;
	for (i = 0; i < doc->nrecords; i++)
		if (record_will_add(&doc->records[i], &needs)) {
			will_add++;
			any_needs = any_needs || needs;
		}
	if (!any_needs)
		return 0;
	return ingest_held_add(ctx, source, text, len, HELD_FORMAT_LIST) ?
	    will_add : 0;
}

bool
ingest_held_add(struct ingest_ctx *ctx, const char *source, const char *text,
    size_t len, int kind)
{
	struct evidence		*ev = ctx->ev;
	struct fl_held		*h = &ctx->fl_held;
	struct fl_held_file	*f;

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
	f->kind = kind;
	h->bytes += len;
	return true;
}

/* What a file read for itself, for the held files to take. */
static void
doc_note_order(struct ingest_ctx *ctx, const char *source,
    const struct fl_doc *doc, const struct date_order_votes *votes)
{
	if (doc_has_records(doc))
		ingest_held_note(ctx, source, votes);
}

void
ingest_held_note(struct ingest_ctx *ctx, const char *source,
    const struct date_order_votes *votes)
{
	struct fl_held		*h = &ctx->fl_held;
	enum date_order		 order;

	if (!h->enabled)
		return;
	if (votes->mdy > 0 && votes->dmy > 0)
		order = DATE_ORDER_UNKNOWN;	/* counts against any agreement */
	else if (votes->mdy > 0)
		order = DATE_ORDER_MDY;
	else if (votes->dmy > 0)
		order = DATE_ORDER_DMY;
	else
		return;
	h->notes = xreallocarray_grow(h->notes, &h->notes_cap, h->nnotes + 1,
	    sizeof *h->notes);
	h->notes[h->nnotes].source = xstrdup(source);
	h->notes[h->nnotes].order = order;
	h->nnotes++;
}

/*
 * The notes sorted by folder, '/' ranking below every other byte, so that a
 * folder and everything under it form one run; counts of month-first and
 * day-first notes before each position answer "do they agree" for a run in
 * constant time.
 */
struct order_entry {
	const struct fl_order_note *note;
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
order_index_build(struct order_index *x, const struct fl_held *h)
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

/* The order the run agrees on, with a word on where it came from. */
static enum date_order
run_order(struct evidence *ev, const struct order_index *x,
    const struct order_run *run, const char *source)
{
	size_t		 mdy = x->mdy[run->hi] - x->mdy[run->lo];
	size_t		 dmy = x->dmy[run->hi] - x->dmy[run->lo];
	size_t		 others = run->hi - run->lo - 1;
	enum date_order	 order;
	char		*where;

	if (run->dirlen > 0)
		where = xasprintf("%s %.*s", run->scope, (int)run->dirlen,
		    source);
	else
		where = xstrdup(run->exact ? "at the top of the case" :
		    "in the case");
	if (mdy > 0 && dmy > 0) {
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order not "
		    "taken from other files: the nearest ones (%zu file%s %s) "
		    "are not all in one order", run->hi - run->lo,
		    run->hi - run->lo > 1 ? "s" : "", where);
		free(where);
		return DATE_ORDER_UNKNOWN;
	}
	order = mdy > 0 ? DATE_ORDER_MDY : DATE_ORDER_DMY;
	if (others == 0)
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order taken "
		    "from %s (%s), the file itself cannot tell",
		    x->v[run->lo].note->source, order_name(order));
	else
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order taken "
		    "from %s and %zu other file%s %s (%s), the file itself cannot "
		    "tell", x->v[run->lo].note->source, others,
		    others > 1 ? "s" : "", where, order_name(order));
	free(where);
	return order;
}

static void
held_file_read(struct evidence *ev, const struct order_index *x,
    const struct fl_held_file *f)
{
	struct fl_doc		doc;
	struct order_run	run;
	enum date_order		order = DATE_ORDER_UNKNOWN;

	if (index_nearest(x, f->source, dir_len(f->source), &run))
		order = run_order(ev, x, &run, f->source);
	if (f->kind == HELD_CSV) {
		(void)ingest_csv_ordered(ev, f->source, f->text, f->len, order);
		return;
	}
	fl_parse(f->text, f->len, &doc, NULL);	/* reported when first read */
	(void)doc_ingest(ev, f->source, &doc, order);
	fl_doc_free(&doc);
}

void
ingest_fl_defer(struct ingest_ctx *ctx)
{
	ctx->fl_held.enabled = true;
}

void
ingest_fl_finish(struct ingest_ctx *ctx)
{
	struct evidence		*ev = ctx->ev;
	struct fl_held		*h = &ctx->fl_held;
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
	fl_held_free(h);
}

/* ------------------------------------------------------------------ entry */

static int
fl_read(struct evidence *ev, struct ingest_ctx *ctx, const char *source,
    const char *text, size_t len)
{
	struct parse_diag	 pd;
	struct fl_doc		 doc;
	struct date_order_votes	 votes;
	int			 rc;

	parse_diag_init(&pd, &ev->diags, source);
	fl_parse(text, len, &doc, &pd);
	memset(&votes, 0, sizeof votes);
	dates_vote(&doc, &votes);
	if (ctx != NULL && ctx->fl_held.enabled) {
		if ((rc = doc_hold(ctx, source, &doc, &votes, text, len)) > 0) {
			fl_doc_free(&doc);
			return rc;
		}
		doc_note_order(ctx, source, &doc, &votes);
	}
	rc = doc_ingest(ev, source, &doc, date_order_decide(&votes));
	fl_doc_free(&doc);
	return rc;
}

int
ingest_fl(struct evidence *ev, const char *source, const char *text, size_t len)
{
	return fl_read(ev, NULL, source, text, len);
}

int
ingest_fl_ctx(struct ingest_ctx *ctx, const char *source, const char *text,
    size_t len)
{
	return fl_read(ctx->ev, ctx, source, text, len);
}

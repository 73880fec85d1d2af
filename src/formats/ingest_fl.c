/*
 * Format-List dumps: every cmdlet output the mappers read (record.h),
 * recognized record by record from their labels (one file may hold several
 * cmdlets' output). Dates are read in the file's own
 * day/month order, voted on from all its dates before any is parsed; a file
 * that cannot tell may wait for the order of the files around it
 * (ingest_held.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "ascii_loss.h"
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
	if (fr->command != NULL)
		r->command = xstrdup(fr->command);
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

/* Reads the records, with dates in `order` (taken from others: a guess). */
static int
doc_ingest(struct evidence *ev, const char *source, const char *text,
    size_t len, const struct fl_doc *doc, enum date_order order, bool guessed)
{
	struct fl_ingest	 in = { ev, source };
	struct map_ctx		 ctx;
	struct record		 r;
	char			*kinds;
	size_t			 i;

	map_ctx_init(&ctx, ev, source, "Format-List", 1);
	ctx.order = order;
	ctx.order_guessed = guessed;
	ascii_loss_note(&ctx, text, len);
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

static int	ingest_fl_ordered(struct evidence *, const char *, const char *,
		    size_t, enum date_order);

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

	if (ingest_order_settled(votes))
		return 0;
	for (i = 0; i < doc->nrecords; i++)
		if (record_will_add(&doc->records[i], &needs)) {
			will_add++;
			any_needs = any_needs || needs;
		}
	if (!any_needs)
		return 0;
	return ingest_held_add(ctx, source, text, len, ingest_fl_ordered) ?
	    will_add : 0;
}

/* What a file read for itself, for the held files to take. */
static void
doc_note_order(struct ingest_ctx *ctx, const char *source,
    const struct fl_doc *doc, const struct date_order_votes *votes)
{
	if (doc_has_records(doc))
		ingest_held_note(ctx, source, votes);
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
	if (ctx != NULL && ctx->held.enabled) {
		if ((rc = doc_hold(ctx, source, &doc, &votes, text, len)) > 0) {
			fl_doc_free(&doc);
			return rc;
		}
		doc_note_order(ctx, source, &doc, &votes);
	}
	rc = doc_ingest(ev, source, text, len, &doc, ingest_order_own(ev, source, &votes),
	    false);
	fl_doc_free(&doc);
	return rc;
}

/* A held file, read once the order is settled (ingest_held.c). */
static int
ingest_fl_ordered(struct evidence *ev, const char *source, const char *text,
    size_t len, enum date_order order)
{
	struct fl_doc	doc;
	int		rc;

	fl_parse(text, len, &doc, NULL);	/* reported when first read */
	/* The neighbours' order is a guess (ingest_held.c). */
	rc = doc_ingest(ev, source, text, len, &doc, order, order != DATE_ORDER_UNKNOWN);
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

/* ------------------------------------------------------------ detection */

static bool
is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_alnum(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* "Label   : value" (or "Label :" when the value is $null). */
static bool
is_fl_line(const char *l, size_t len)
{
	size_t	i = 0, j;

	if (len == 0 || !is_alpha(l[0]))
		return false;
	while (i < len && is_alnum(l[i]))
		i++;
	for (j = i; j < len && (l[j] == ' ' || l[j] == '\t'); j++)
		;
	if (j == i || j >= len || l[j] != ':')
		return false;
	return j + 1 == len || l[j + 1] == ' ';
}

int
ingest_fl_sniff_lines(const struct sniff_text *st)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < st->nlines; i++)
		if (is_fl_line(st->lines[i].p, st->lines[i].n))
			n++;
	return n;
}

/*
 * The read side of a run: every bundle entry is offered to the format table
 * (formats.h): the rows that read raw bytes, then the stream hooks (protocol
 * logs, parsed beside the walk), then, on the decoded text, the rest; the
 * row that bids highest reads it. Then each row's finish (logs still
 * queued, files held for later), then the evidence's own finish.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/formats.h"
#include "formats/recognize.h"
#include "model/kinds/queue.h"
#include "pipeline.h"
#include "progress.h"
#include "util/quoting.h"
#include "util/termcodes.h"
#include "util/text.h"

struct dispatch {
	struct ingest_ctx		*ctx;
	const struct pipeline_opts	*opts;
	struct pipeline_result		*res;
};

/* Names that promise evidence; content that doesn't deliver is worth a word. */
static bool
name_promises_text(const char *path)
{
	static const char *const exts[] = {
		".txt", ".xml", ".log", ".csv", ".json", ".cer", ".crt", ".pem",
		".der", ".p7b",
	};
	const char	*dot = strrchr(path, '.');
	size_t		 i;

	for (i = 0; dot != NULL && i < sizeof exts / sizeof exts[0]; i++)
		if (ascii_casecmp(dot, exts[i]) == 0)
			return true;
	return false;
}

/*
 * An entry no reader took, or that held nothing a reader keeps: evidence
 * this version recognizes but does not read is named, in the diagnostics
 * and the manifest, and counted per kind for the run's last word.
 */
static void
note_unread(struct dispatch *d, const struct bundle_entry *e,
    const char *text, size_t len)
{
	const struct recognized	*r = recognize_unread(text, len);
	struct pipeline_result	*res = d->res;
	size_t			 i;

	if (r == NULL)
		return;
	diag_add(&d->ctx->ev->diags, DIAG_WARNING, e->path, "recognized as %s, "
	    "not read: %s", r->what, r->why);
	if (e->outcome != NULL) {
		e->outcome->status = MANIFEST_UNSUPPORTED;
		snprintf(e->outcome->why, sizeof e->outcome->why, "%s: %s",
		    r->what, r->why);
	}
	res->recognized++;
	for (i = 0; i < res->nrec && res->rec_kinds[i] != r; i++)
		;
	if (i == res->nrec && res->nrec < PIPELINE_RECOGNIZED_MAX)
		res->rec_kinds[res->nrec++] = r;
	if (i < res->nrec)
		res->rec_counts[i]++;
}

static const char *
on_entry(void *arg, const struct bundle_entry *e)
{
	struct dispatch		*d = arg;
	struct evidence		*ev = d->ctx->ev;
	struct sniff_text	 sniffed;
	struct ingest_entry	 in;
	const struct format	*fmt = NULL;
	const char		*enc = NULL, *kind;
	char			*text = NULL;
	size_t			 replaced = 0, codes = 0, quoted = 0;
	bool			 archive, binary = false;
	int			 n = 0;

	d->res->entries++;
	memset(&in, 0, sizeof in);
	in.path = e->path;
	in.data = e->data;
	in.len = e->len;
	in.outcome = e->outcome;
	if (!(archive = bundle_is_archive(e->data, e->len)))
		fmt = format_choose(&in);
	if (fmt == NULL && !archive)
		binary = sniff_binary(e->data, e->len);
	if (fmt == NULL && !archive && !binary) {
		/* Logs are most of a bundle: no decoding copy, no waiting. */
		if ((fmt = format_stream(d->ctx, e)) != NULL) {
			d->res->usable++;
			return fmt->name;
		}
		text = text_to_utf8(e->data, e->len, &in.text_len, &enc, &replaced);
		codes = termcodes_strip(text, &in.text_len);
		/* After the codes: a colour code may stand before a label. */
		quoted = quoting_strip(text, &in.text_len);
		in.text = text;
		sniff_text(text, in.text_len, &sniffed);
		in.sniff = &sniffed;
		fmt = format_choose(&in);
	}
	if (fmt == NULL) {
		kind = archive ? BUNDLE_KIND_ARCHIVE : SNIFF_KIND_BINARY;
		if ((binary || archive) && name_promises_text(e->path))
			diag_add(&ev->diags, DIAG_WARNING, e->path, "skipped: the "
			    "name says text but the content is binary (%zu bytes)",
			    e->len);
	} else {
		kind = fmt->name;
		/* Nothing is read from other text: its bytes need no word. */
		if (replaced > 0 && fmt->ingest != NULL)
			diag_add(&ev->diags, DIAG_WARNING, e->path, "%zu invalid "
			    "byte sequence%s replaced while decoding as %s",
			    replaced, replaced > 1 ? "s" : "", enc);
		if (codes > 0 && fmt->ingest != NULL)
			diag_add(&ev->diags, DIAG_INFO, e->path, "read without its "
			    "%zu terminal colour code%s (escape sequences a console "
			    "writes around what it formats)", codes,
			    codes > 1 ? "s" : "");
		if (quoted > 0 && fmt->ingest != NULL)
			diag_add(&ev->diags, DIAG_INFO, e->path, "read without the "
			    "e-mail quoting of %zu line%s (the \"> \" markers a "
			    "reply puts before each line it quotes)", quoted,
			    quoted > 1 ? "s" : "");
		if (fmt->ingest != NULL)
			n = fmt->ingest(d->ctx, &in);
		if (n <= 0 && text != NULL && !(n == 0 && fmt->read_is_evidence))
			note_unread(d, e, text, in.text_len);
	}
	free(text);
	if (n > 0 || (fmt != NULL && n == 0 && fmt->read_is_evidence))
		d->res->usable++;
	return kind;
}

/*
 * A large entry's first bytes: taken in pieces by the row that reads it so,
 * unless a row that reads raw bytes, or binary content, claims it first (as
 * on_entry() would decide). Counted here when taken: on_entry() never sees
 * it.
 */
static struct bundle_pieces *
on_pieces(void *arg, const struct bundle_entry *head, const char **kind)
{
	struct dispatch		*d = arg;
	struct ingest_entry	 in;
	const struct format	*fmt;
	struct bundle_pieces	*t;

	memset(&in, 0, sizeof in);
	in.path = head->path;
	in.data = head->data;
	in.len = head->len;
	if (format_choose(&in) != NULL || sniff_binary(head->data, head->len) ||
	    (t = format_pieces(d->ctx, head, &fmt)) == NULL)
		return NULL;
	d->res->entries++;
	d->res->usable++;
	*kind = fmt->name;
	return t;
}

/*
 * Tests set CERTTRAIL_TEST_PIECE_BYTES to take every entry past that size in
 * pieces of that size: the same reports must come of any cut.
 */
static size_t
test_piece_bytes(void)
{
	const char	*v = getenv("CERTTRAIL_TEST_PIECE_BYTES");
	char		*end;
	unsigned long	 n;

	if (v == NULL || *v == '\0')
		return 0;
	n = strtoul(v, &end, 10);
	return *end == '\0' && n > 0 && n <= (1ul << 30) ? (size_t)n : 0;
}

/* A read protocol log: its hash and where it is in the manifest. */
struct log_copy {
	const char	*sha256;
	size_t		 at;
};

static int
cmp_log_copy(const void *a, const void *b)
{
	const struct log_copy	*x = a, *y = b;
	int			 c = strcmp(x->sha256, y->sha256);

	return c != 0 ? c : x->at < y->at ? -1 : x->at > y->at;
}

/*
 * A protocol log read twice, the same bytes under two paths (a bundle given
 * both zipped and extracted, a folder copied into another collection): the
 * log reader leaves the copy's rows out (logcopy.h) and its manifest line
 * names the first. One line says so for the case, and a note per copy. A
 * copy the reader never saw (read with the other text, not by the log
 * reader, when its first 64 KiB did not show it to be a log) still has its
 * rows counted twice: a warning says so, so that the figures are not taken
 * for counts of distinct sessions.
 */
static void
warn_copied_logs(struct evidence *ev)
{
	const struct manifest_entry	*e;
	struct log_copy			*v;
	size_t				*origin, i, first = 0, n = 0;
	size_t				 left = 0, counted = 0;
	size_t				 one_left = SIZE_MAX, one_counted = SIZE_MAX;

	v = xcalloc(ev->nentries + 1, sizeof *v);
	origin = xcalloc(ev->nentries + 1, sizeof *origin);
	for (i = 0; i < ev->nentries; i++) {
		e = &ev->entries[i];
		origin[i] = SIZE_MAX;
		if (e->status == MANIFEST_READ && e->kind != NULL &&
		    strcmp(e->kind, "protocol-log") == 0 &&
		    e->sha256[0] != '\0' && e->bytes > 0) {
			v[n].sha256 = e->sha256;
			v[n++].at = i;
		}
	}
	qsort(v, n, sizeof *v, cmp_log_copy);
	for (i = 1; i < n; i++) {
		if (strcmp(v[first].sha256, v[i].sha256) != 0)
			first = i;
		else
			origin[v[i].at] = v[first].at;
	}
	for (i = 0; i < ev->nentries; i++) {
		if (origin[i] == SIZE_MAX)
			continue;
		e = &ev->entries[i];
		if (e->duplicate_of != NULL) {
			if (left++ == 0)
				one_left = i;
			diag_add(&ev->diags, DIAG_INFO, e->path, "the same bytes "
			    "as %s, read before it: its rows are not counted "
			    "again", e->duplicate_of);
			continue;
		}
		if (counted++ == 0)
			one_counted = i;
		diag_add(&ev->diags, DIAG_INFO, e->path, "the same bytes as %s, "
		    "read before it: its rows are counted again",
		    ev->entries[origin[i]].path);
	}
	if (left > 0)
		diag_add(&ev->diags, DIAG_INFO, NULL, "%zu protocol log%s "
		    "repeat%s the bytes of another read before (%s%s, the same "
		    "as %s): %s rows are counted once", left, left == 1 ? "" :
		    "s", left == 1 ? "s" : "", left == 1 ? "" : "the first: ",
		    ev->entries[one_left].path,
		    ev->entries[one_left].duplicate_of, left == 1 ? "its" :
		    "their");
	if (counted > 0)
		diag_add(&ev->diags, DIAG_WARNING, NULL, "%zu protocol log%s "
		    "repeat%s the bytes of another read before (%s%s, the same "
		    "as %s): %s rows are counted more than once in every log "
		    "figure; give each log once", counted, counted == 1 ? "" :
		    "s", counted == 1 ? "s" : "", counted == 1 ? "" :
		    "the first: ", ev->entries[one_counted].path,
		    ev->entries[origin[one_counted]].path, counted == 1 ? "its" :
		    "their");
	free(origin);
	free(v);
}

int
pipeline_read(const char *const *inputs, size_t ninputs,
    const struct pipeline_opts *opts, struct evidence *ev,
    struct pipeline_result *res)
{
	struct ingest_ctx	 ctx;
	struct dispatch		 d = { &ctx, opts, res };
	struct bundle_piecewise	 pw = { on_pieces, 0 };
	struct progress		*bar = NULL;
	long			 n;
	size_t			 i;

	memset(res, 0, sizeof *res);
	ingest_ctx_init(&ctx, ev);
	pw.after = ctx.log_piece_bytes = test_piece_bytes();
	/* A later file may settle the day/month order an earlier one cannot. */
	ingest_held_defer(&ctx);
	if (opts->progress)
		bar = progress_start(inputs, ninputs, isatty(2));
	n = bundle_read_pieces(inputs, ninputs, &opts->limits, on_entry, &pw,
	    &d, ev, BUNDLE_HASH_LATER);
	/* The walk is done: what the bar measures. */
	progress_stop(bar);
	for (i = 0; i < nformats; i++)
		if (formats[i]->finish != NULL)
			formats[i]->finish(&ctx);
	warn_copied_logs(ev);
	ingest_ctx_free(&ctx);
	evidence_finish(ev);
	return n < 0 ? -1 : 0;
}

void
asof_infer(const struct evidence *ev, int64_t *as_of, const char **source)
{
	int64_t	latest = TIME_UNKNOWN;
	size_t	i;
	bool	local = false;

	if (ev->logs.last != TIME_UNKNOWN) {
		*as_of = ev->logs.last;
		*source = "latest log row";
		return;
	}
	if (ev->newest_entry_time != TIME_UNKNOWN) {
		*as_of = ev->newest_entry_time;
		*source = "newest entry time";
		return;
	}
	/* A retry time on a server's local clock is no UTC instant. */
	for (i = 0; i < ev->nqueues; i++) {
		if (ev->queues[i].last_retry_time == TIME_UNKNOWN)
			continue;
		if (!ev->queues[i].last_retry_time_exact)
			local = true;
		else if (ev->queues[i].last_retry_time > latest)
			latest = ev->queues[i].last_retry_time;
	}
	*as_of = latest;
	*source = latest != TIME_UNKNOWN ? "latest queue retry time" : local ?
	    "unknown: the bundle's only dates are server local times whose "
	    "UTC offset is unknown" : "unknown: the bundle holds no dated "
	    "evidence";
}

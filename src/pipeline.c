/* Dispatch of bundle entries to the ingesters, by sniffed content. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "ingest.h"
#include "logread.h"
#include "pipeline.h"
#include "progress.h"
#include "sniff.h"
#include "text.h"

/*
 * A manifest status other than "read", applied once the walk has listed the
 * entry.
 */
struct entry_mark {
	char			*path;
	char			 sha256[65];
	enum entry_status	 status;
	const char		*why;	/* static */
};

struct dispatch {
	struct evidence			*ev;
	const struct pipeline_opts	*opts;
	struct pipeline_result		*res;
	struct entry_mark		*marks;
	size_t				 nmarks, marks_cap;
	struct logread			*logs;	/* protocol logs, parsed beside the walk */
};

static void
entry_mark(struct dispatch *d, const struct bundle_entry *e,
    enum entry_status status, const char *why)
{
	struct entry_mark	*m;

	d->marks = xreallocarray_grow(d->marks, &d->marks_cap, d->nmarks + 1,
	    sizeof *d->marks);
	m = &d->marks[d->nmarks++];
	m->path = xstrdup(e->path);
	/* Left to the reader (BUNDLE_HASH_LATER): the walk hashes it after us. */
	if (e->sha256 == NULL)
		hash_sha256_hex(e->data, e->len, m->sha256);
	else
		snprintf(m->sha256, sizeof m->sha256, "%s", e->sha256);
	m->status = status;
	m->why = why;
}

/* The manifest lists an entry after the callback: the marks go on now. */
static void
entry_marks_apply(struct dispatch *d)
{
	struct manifest_entry	*me;
	size_t			 i, j;

	for (i = 0; i < d->nmarks; i++) {
		for (j = 0; j < d->ev->nentries; j++) {
			me = &d->ev->entries[j];
			if (me->status != MANIFEST_READ || me->why != NULL ||
			    strcmp(me->path, d->marks[i].path) != 0 ||
			    strcmp(me->sha256, d->marks[i].sha256) != 0)
				continue;
			me->status = d->marks[i].status;
			me->why = xstrdup(d->marks[i].why);
			break;
		}
		free(d->marks[i].path);
	}
	free(d->marks);
	d->marks = NULL;
	d->nmarks = d->marks_cap = 0;
}

/* An .evtx file: read with libevtx, or listed as unsupported without it. */
static int
dispatch_evtx(struct dispatch *d, const struct bundle_entry *e)
{
	int	n;

	n = ingest_evtx(d->ev, e->path, e->data, e->len);
	if (!evtx_supported())
		entry_mark(d, e, MANIFEST_UNSUPPORTED, "Windows event log; "
		    "this build has no libevtx");
	else if (n < 0)
		entry_mark(d, e, MANIFEST_DAMAGED, "not a readable Windows "
		    "event log");
	return n;
}

/* Names that promise evidence; content that doesn't deliver is worth a word. */
static bool
name_promises_text(const char *path)
{
	static const char *const exts[] = {
		".txt", ".xml", ".log", ".csv", ".json", ".cer", ".crt", ".pem",
	};
	const char	*dot = strrchr(path, '.');
	size_t		 i;

	for (i = 0; dot != NULL && i < sizeof exts / sizeof exts[0]; i++)
		if (ascii_casecmp(dot, exts[i]) == 0)
			return true;
	return false;
}

static int
ingest_text_kind(struct dispatch *d, enum entry_kind kind,
    const struct bundle_entry *e, const char *text, size_t len)
{
	int	n, t;

	switch (kind) {
	case KIND_X509_PEM:
		return ingest_x509(d->ev, e->path, (const unsigned char *)text, len);
	case KIND_PROTOLOG:
		return ingest_protolog(d->ev, e->path, text, len);
	case KIND_CLIXML:
		return ingest_clixml(d->ev, e->path, text, len);
	case KIND_FORMAT_LIST:
	case KIND_TRANSCRIPT:
		/*
		 * A console capture often holds both: Format-List output and the
		 * error of the Remove-ExchangeCertificate run after it.
		 */
		n = ingest_fl(d->ev, e->path, text, len);
		t = ingest_transcript(d->ev, e->path, text, len);
		return n < 0 && t <= 0 ? n : (n > 0 ? n : 0) + (t > 0 ? t : 0);
	case KIND_EVENT_XML:
		return ingest_event_xml(d->ev, e->path, text, len);
	case KIND_EVENT_TEXT:
		return ingest_event_text(d->ev, e->path, text, len);
	case KIND_CSV:
		return ingest_csv(d->ev, e->path, text, len);
	case KIND_JSON:
		return ingest_json(d->ev, e->path, text, len);
	default:
		return 0;
	}
}

static const char *
on_entry(void *arg, const struct bundle_entry *e)
{
	struct dispatch	*d = arg;
	enum entry_kind	 kind;
	const char	*enc = NULL;
	char		*text;
	size_t		 len, replaced = 0;
	int		 n = 0;
	bool		 event_log;

	d->res->entries++;
	kind = sniff_bytes(e->data, e->len);
	if (kind == KIND_X509_DER) {
		n = ingest_x509(d->ev, e->path, e->data, e->len);
	} else if (kind == KIND_EVTX) {
		n = dispatch_evtx(d, e);
	} else if (kind == KIND_BINARY || kind == KIND_ARCHIVE) {
		if (name_promises_text(e->path))
			diag_add(&d->ev->diags, DIAG_WARNING, e->path,
			    "skipped: the name says text but the content is "
			    "binary (%zu bytes)", e->len);
	} else if (logread_offer(d->logs, e)) {
		kind = KIND_PROTOLOG;
	} else {
		text = text_to_utf8(e->data, e->len, &len, &enc, &replaced);
		kind = sniff_text(text, len);
		if (replaced > 0 && kind != KIND_TEXT && kind != KIND_UNKNOWN)
			diag_add(&d->ev->diags, DIAG_WARNING, e->path,
			    "%zu invalid byte sequence%s replaced while decoding "
			    "as %s", replaced, replaced > 1 ? "s" : "", enc);
		n = ingest_text_kind(d, kind, e, text, len);
		free(text);
	}
	/* A log read whole says something even with nothing to keep. */
	event_log = (kind == KIND_EVTX && evtx_supported()) ||
	    kind == KIND_EVENT_XML || kind == KIND_EVENT_TEXT;
	if (n > 0 || kind == KIND_PROTOLOG || (n == 0 && event_log))
		d->res->usable++;
	return entry_kind_name(kind);
}

int
pipeline_read(const char *const *inputs, size_t ninputs,
    const struct pipeline_opts *opts, struct evidence *ev,
    struct pipeline_result *res)
{
	struct dispatch	 d = { ev, opts, res, NULL, 0, 0, NULL };
	struct progress	*bar = NULL;
	long		 n;

	memset(res, 0, sizeof *res);
	/* A later file may settle the day/month order an earlier one cannot. */
	ingest_fl_defer(ev);
	if (opts->progress)
		bar = progress_start(inputs, ninputs, isatty(2));
	d.logs = logread_new(ev, true);
	n = bundle_read_flags(inputs, ninputs, &opts->limits, on_entry, &d, ev,
	    BUNDLE_HASH_LATER);
	logread_finish(d.logs);
	progress_stop(bar);
	entry_marks_apply(&d);
	ingest_fl_finish(ev);
	evidence_finish(ev);
	return n < 0 ? -1 : 0;
}

void
asof_infer(const struct evidence *ev, int64_t *as_of, const char **source)
{
	int64_t	latest = TIME_UNKNOWN;
	size_t	i;

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
	for (i = 0; i < ev->nqueues; i++)
		if (ev->queues[i].last_retry_time > latest)
			latest = ev->queues[i].last_retry_time;
	*as_of = latest;
	*source = latest != TIME_UNKNOWN ? "latest queue retry time" :
	    "unknown: the bundle holds no dated evidence";
}

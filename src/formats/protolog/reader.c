/*
 * SMTP protocol logs into the evidence: TLS outcome rows, sessions, connect
 * failures and error responses become aggregates (evidence_logs.c); each
 * file adds to the log summary. The files of one folder are read by one
 * parser, so a session that a rotation cut in two is still one session.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/evidence.h"
#include "formats/ingest.h"
#include "protolog.h"
#include "reader.h"
#include "util/parse_diag.h"

struct folder {
	char		*dir;
	struct protolog	*pl;
};

struct protolog_reader {
	struct evidence	*ev;
	const char	*source;	/* the file being read */
	struct parse_diag pd;		/* its problems */
	int		 added;
	struct folder	*folders;
	size_t		 nfolders, folders_cap;
	size_t		 last;		/* folder of the previous file */
	struct protolog	*pl;		/* the file's, between begin and end */
};

static void
sink_tls(void *arg, const struct protolog_tls *t)
{
	struct protolog_reader	*r = arg;
	struct ev_tls_event	 e;

	memset(&e, 0, sizeof e);
	e.log_source = r->source;
	e.receive = t->receive;
	e.connector = t->connector;
	e.cert_thumbprint = t->local ? t->local->thumbprint : NULL;
	e.cert_subject = t->local ? t->local->subject : NULL;
	e.cert_issuer = t->local ? t->local->issuer : NULL;
	e.cert_not_before = t->local ? t->local->not_before : TIME_UNKNOWN;
	e.cert_not_after = t->local ? t->local->not_after : TIME_UNKNOWN;
	e.cert_serial = t->local ? t->local->serial : NULL;
	e.remote_thumbprint = t->remote ? t->remote->thumbprint : NULL;
	e.remote_subject = t->remote ? t->remote->subject : NULL;
	e.remote_endpoint = t->remote_endpoint;
	e.ok = t->ok;
	e.error = t->ok ? NULL : t->error;
	e.protocol = t->protocol;
	e.cipher = t->cipher;
	e.time = t->time;
	e.line = t->line;
	e.text = t->text;
	evidence_add_tls(r->ev, &e);
	r->added++;
}

static void
sink_session(void *arg, const struct protolog_session *s)
{
	struct protolog_reader	*r = arg;
	struct ev_log_event	 e;

	memset(&e, 0, sizeof e);
	e.log_source = s->source != NULL ? s->source : r->source;
	e.line = s->line;
	e.time = s->first;
	e.receive = s->receive;
	e.connector = s->connector;
	e.remote_endpoint = s->remote_endpoint;
	evidence_add_session(r->ev, &e, s->starttls_offered,
	    s->anonymous_tls_offered, s->tls);
}

static void
sink_connect_failure(void *arg, const struct protolog_connect_failure *f)
{
	struct protolog_reader	*r = arg;
	struct ev_log_event	 e;

	memset(&e, 0, sizeof e);
	e.log_source = r->source;
	e.line = f->line;
	e.time = f->time;
	e.text = f->text;
	e.receive = f->receive;
	e.connector = f->connector;
	e.remote_endpoint = f->remote_endpoint;
	evidence_add_connect_failure(r->ev, &e, f->winsock_error, f->destination);
}

static void
sink_response(void *arg, const struct protolog_response *p)
{
	struct protolog_reader	*r = arg;
	struct ev_log_event	 e;

	memset(&e, 0, sizeof e);
	e.log_source = r->source;
	e.line = p->line;
	e.time = p->time;
	e.text = p->text;
	e.receive = p->receive;
	e.connector = p->connector;
	e.remote_endpoint = p->remote_endpoint;
	evidence_add_response(r->ev, &e, p->code);
}

static void
sink_banner(void *arg, const struct protolog_banner *p)
{
	struct protolog_reader	*r = arg;
	struct ev_log_event	 e;

	memset(&e, 0, sizeof e);
	e.log_source = r->source;
	e.line = p->line;
	e.time = p->time;
	e.text = p->text;
	e.receive = true;
	e.connector = p->connector;
	evidence_add_banner(r->ev, &e, p->offset_minutes);
}

static void
log_summary_add(struct log_summary *ls, const struct protolog_stats *st)
{
	ls->files++;
	ls->rows += st->rows;
	ls->sessions += st->sessions;
	ls->tls_ok += st->tls_ok;
	ls->tls_failed += st->tls_failed;
	ls->bad_rows += st->bad_rows;
	ls->connect_failures += st->connect_failures;
	ls->responses += st->responses;
	ls->long_lines += st->long_lines;
	if (st->headerless)
		ls->headerless_files++;
	if (st->first != TIME_UNKNOWN &&
	    (ls->first == TIME_UNKNOWN || st->first < ls->first))
		ls->first = st->first;
	if (st->last != TIME_UNKNOWN &&
	    (ls->last == TIME_UNKNOWN || st->last > ls->last))
		ls->last = st->last;
}

struct protolog_reader *
protolog_reader_new(struct evidence *ev)
{
	struct protolog_reader	*r = xcalloc(1, sizeof *r);

	r->ev = ev;
	parse_diag_init(&r->pd, &ev->diags, NULL);
	return r;
}

/*
 * Another folder's files begin: the one left keeps its open sessions (its
 * next file may continue them) but not its closed ones, so that a bundle of
 * many servers does not hold thousands of closed sessions for each.
 */
static void
folder_left(struct protolog_reader *r)
{
	if (r->nfolders > 0)
		protolog_forget_closed(r->folders[r->last].pl);
}

static struct protolog *
folder_parser(struct protolog_reader *r, const char *source)
{
	struct protolog_callbacks	 cb;
	const char			*slash = strrchr(source, '/');
	size_t				 n = slash != NULL ? (size_t)(slash - source) : 0, i;
	struct folder			*f;

	for (i = 0; i < r->nfolders; i++) {
		f = &r->folders[(r->last + i) % r->nfolders];
		if (strlen(f->dir) == n && memcmp(f->dir, source, n) == 0) {
			if (i != 0)
				folder_left(r);
			r->last = (r->last + i) % r->nfolders;
			return f->pl;
		}
	}
	folder_left(r);
	memset(&cb, 0, sizeof cb);
	cb.tls = sink_tls;
	cb.connect_failure = sink_connect_failure;
	cb.pd = &r->pd;
	cb.session = sink_session;
	cb.response = sink_response;
	cb.banner = sink_banner;
	cb.arg = r;
	r->folders = xreallocarray_grow(r->folders, &r->folders_cap,
	    r->nfolders + 1, sizeof *r->folders);
	f = &r->folders[r->nfolders];
	f->dir = xstrndup(source, n);
	f->pl = protolog_new(&cb);
	r->last = r->nfolders++;
	return f->pl;
}

void
protolog_reader_begin(struct protolog_reader *r, const char *source)
{
	r->pl = folder_parser(r, source);
	r->source = source;
	r->pd.source = source;
	r->added = 0;
	protolog_begin(r->pl, source);
}

void
protolog_reader_feed(struct protolog_reader *r, const char *text, size_t len)
{
	protolog_feed(r->pl, text, len);
}

int
protolog_reader_end(struct protolog_reader *r)
{
	struct protolog			*pl = r->pl;
	const struct protolog_stats	*st;
	struct evidence			*ev = r->ev;
	const char			*source = r->source;

	protolog_finish(pl);
	r->pl = NULL;
	st = protolog_stats(pl);
	/* A file that only repeats another is a log all the same. */
	if (!st->header_seen && st->rows == 0 && st->repeated_rows == 0) {
		if (st->bad_rows == 0)
			return 0;
		diag_add(&ev->diags, DIAG_ERROR, source, "not a readable SMTP "
		    "protocol log: no header and no well-formed row");
		return -1;
	}
	log_summary_add(&ev->logs, st);
	if (st->repeated_rows > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "%ld row(s) repeat rows "
		    "read before from %s (the same session, sequence number and "
		    "date-time): an excerpt or an overlapping copy; not counted "
		    "again", st->repeated_rows, st->repeated_from != NULL ?
		    st->repeated_from : "another file");
	if (st->connect_failures > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "%ld \"Failed to "
		    "connect\" (Winsock) rows", st->connect_failures);
	if (st->certs_unparsed > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "%ld certificate rows "
		    "not understood", st->certs_unparsed);
	return r->added;
}

int
protolog_reader_file(struct protolog_reader *r, const char *source,
    const char *text, size_t len)
{
	protolog_reader_begin(r, source);
	protolog_reader_feed(r, text, len);
	return protolog_reader_end(r);
}

void
protolog_reader_free(struct protolog_reader *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfolders; i++) {
		/* Sessions never closed still count, with what they showed. */
		r->source = NULL;
		r->pd.source = NULL;
		protolog_end_sessions(r->folders[i].pl);
		protolog_free(r->folders[i].pl);
		free(r->folders[i].dir);
	}
	free(r->folders);
	free(r);
}

int
ingest_protolog(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct protolog_reader	*r = protolog_reader_new(ev);
	int			 n;

	n = protolog_reader_file(r, source, text, len);
	protolog_reader_free(r);
	return n;
}

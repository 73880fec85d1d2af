/*
 * SMTP protocol logs into the evidence: each TLS outcome row becomes an
 * aggregate entry (evidence_add_tls), each file adds to the log summary.
 */
#include "config.h"

#include "evidence.h"
#include "ingest.h"
#include "protolog.h"

struct protolog_sink {
	struct evidence	*ev;
	const char	*source;
	int		 added;
};

static void
sink_tls(void *arg, const struct protolog_tls *t)
{
	struct protolog_sink	*sink = arg;
	struct ev_tls_event	 e;

	e.log_source = sink->source;
	e.receive = t->receive;
	e.connector = t->connector;
	e.cert_thumbprint = t->local ? t->local->thumbprint : NULL;
	e.cert_subject = t->local ? t->local->subject : NULL;
	e.cert_issuer = t->local ? t->local->issuer : NULL;
	e.ok = t->ok;
	e.error = t->ok ? NULL : t->error;
	e.protocol = t->protocol;
	e.time = t->time;
	e.line = t->line;
	e.text = t->text;
	evidence_add_tls(sink->ev, &e);
	sink->added++;
}

static void
sink_diag(void *arg, long line, const char *message)
{
	struct protolog_sink	*sink = arg;

	if (line > 0)
		diag_add(&sink->ev->diags, DIAG_WARNING, sink->source,
		    "line %ld: %s", line, message);
	else
		diag_add(&sink->ev->diags, DIAG_WARNING, sink->source, "%s",
		    message);
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
	if (st->first != TIME_UNKNOWN &&
	    (ls->first == TIME_UNKNOWN || st->first < ls->first))
		ls->first = st->first;
	if (st->last != TIME_UNKNOWN &&
	    (ls->last == TIME_UNKNOWN || st->last > ls->last))
		ls->last = st->last;
}

int
ingest_protolog(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct protolog_sink		sink = { ev, source, 0 };
	struct protolog_callbacks	cb = { sink_tls, NULL, sink_diag, &sink };
	struct protolog_stats		st;

	protolog_parse(text, len, &cb, &st);
	if (!st.header_seen && st.rows == 0) {
		if (st.bad_rows == 0)
			return 0;
		diag_add(&ev->diags, DIAG_ERROR, source, "not a readable SMTP "
		    "protocol log: no header and no well-formed row");
		return -1;
	}
	log_summary_add(&ev->logs, &st);
	if (st.connect_failures > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "%ld \"Failed to "
		    "connect\" (Winsock) rows", st.connect_failures);
	if (st.certs_unparsed > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "%ld certificate rows "
		    "not understood", st.certs_unparsed);
	return sink.added;
}

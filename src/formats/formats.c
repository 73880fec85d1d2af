/*
 * The format table: one row per input format, as libarchive registers its
 * readers. Each bid looks only at what sniff.c gathered (struct sniff_facts)
 * and the entry's name; the highest bid reads the entry.
 *
 * The bid scale, so a new row knows where it stands:
 *   100  the bytes say so unmistakably (DER, a PEM block on the first line,
 *        an .evtx file)
 *    90  a protocol-log header        88  protocol-log rows without one
 *    85  Windows event XML            80  a CliXml root element
 *    75  an event text export         70  an error transcript
 *    65  the certificate table view   60  Format-List records
 *    50  a PEM block further down     40  CSV
 *    30  JSON
 *     1  any other readable text (kept in the manifest, nothing read)
 *
 * Protocol logs with their header do not wait for the table: the pipeline
 * hands them, still raw, to the log reader that parses beside the bundle
 * walk (logread.h), and only what it declines comes here.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>

#include "ingest.h"

static int
bid_der(const struct ingest_entry *e)
{
	return e->facts->der_cert || e->facts->der_pkcs7 ? 100 : 0;
}

static int
read_der(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_x509(ctx->ev, e->path, e->data, e->len);
}

static int
bid_pem(const struct ingest_entry *e)
{
	if (e->facts->pem_first)
		return 100;
	return e->facts->pem ? 50 : 0;
}

static int
read_pem(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_x509(ctx->ev, e->path, (const unsigned char *)e->text,
	    e->text_len);
}

static int
bid_protolog(const struct ingest_entry *e)
{
	if (e->facts->protolog)
		return 90;
	return e->facts->log_fragment ? 88 : 0;
}

static int
read_protolog(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_protolog(ctx->ev, e->path, e->text, e->text_len);
}

static int
bid_clixml(const struct ingest_entry *e)
{
	return e->facts->clixml ? 80 : 0;
}

static int
read_clixml(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_clixml(ctx->ev, e->path, e->text, e->text_len);
}

static int
bid_transcript(const struct ingest_entry *e)
{
	return e->facts->transcript ? 70 : 0;
}

/*
 * A console capture often holds both: Format-List output and the error of
 * the Remove-ExchangeCertificate run after it.
 */
static int
read_console(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	int	n, t;

	n = ingest_fl_ctx(ctx, e->path, e->text, e->text_len);
	t = ingest_transcript(ctx->ev, e->path, e->text, e->text_len);
	return n < 0 && t <= 0 ? n : (n > 0 ? n : 0) + (t > 0 ? t : 0);
}

static int
bid_table(const struct ingest_entry *e)
{
	return e->facts->cert_table ? 65 : 0;
}

static int
read_table(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_table(ctx->ev, e->path, e->text, e->text_len);
}

static int
bid_fl(const struct ingest_entry *e)
{
	return e->facts->fl_lines >= 2 ? 60 : 0;
}

static void
finish_fl(struct ingest_ctx *ctx)
{
	ingest_held_finish(ctx);
}

static int
bid_csv(const struct ingest_entry *e)
{
	return e->facts->csv ? 40 : 0;
}

/* A CSV file that cannot tell day from month waits (ingest_held.c). */
static int
read_csv(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_csv_ctx(ctx, e->path, e->text, e->text_len);
}

static int
bid_json(const struct ingest_entry *e)
{
	return e->facts->json ? 30 : 0;
}

static int
read_json(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_json(ctx->ev, e->path, e->text, e->text_len);
}

static int
bid_evtx(const struct ingest_entry *e)
{
	return e->facts->evtx ? 100 : 0;
}

/* An .evtx file: read with libevtx, or listed as unsupported without it. */
static int
read_evtx(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	int	n;

	n = ingest_evtx(ctx->ev, e->path, e->data, e->len);
	if (e->outcome == NULL)
		return n;
	if (!evtx_supported()) {
		e->outcome->status = MANIFEST_UNSUPPORTED;
		snprintf(e->outcome->why, sizeof e->outcome->why, "Windows "
		    "event log; this build has no libevtx");
	} else if (n < 0) {
		e->outcome->status = MANIFEST_DAMAGED;
		snprintf(e->outcome->why, sizeof e->outcome->why, "not a "
		    "readable Windows event log");
	}
	return n;
}

static int
bid_event_xml(const struct ingest_entry *e)
{
	return e->facts->event_xml ? 85 : 0;
}

static int
read_event_xml(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_event_xml(ctx->ev, e->path, e->text, e->text_len);
}

static int
bid_event_text(const struct ingest_entry *e)
{
	return e->facts->event_text ? 75 : 0;
}

static int
read_event_text(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_event_text(ctx->ev, e->path, e->text, e->text_len);
}

static int
bid_text(const struct ingest_entry *e)
{
	return e->facts->text && e->facts->printable ? 1 : 0;
}

static int
read_nothing(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	(void)ctx;
	(void)e;
	return 0;
}

const struct format formats[] = {
	{ KIND_X509_DER, "x509-der", bid_der, read_der, NULL },
	{ KIND_X509_PEM, "x509-pem", bid_pem, read_pem, NULL },
	{ KIND_PROTOLOG, "protocol-log", bid_protolog, read_protolog, NULL },
	{ KIND_CLIXML, "clixml", bid_clixml, read_clixml, NULL },
	{ KIND_TRANSCRIPT, "transcript", bid_transcript, read_console, NULL },
	{ KIND_CERT_TABLE, "certificate-table", bid_table, read_table, NULL },
	{ KIND_FORMAT_LIST, "format-list", bid_fl, read_console, finish_fl },
	{ KIND_CSV, "csv", bid_csv, read_csv, NULL },
	{ KIND_JSON, "json", bid_json, read_json, NULL },
	{ KIND_EVTX, "event-log", bid_evtx, read_evtx, NULL },
	{ KIND_EVENT_XML, "event-xml", bid_event_xml, read_event_xml, NULL },
	{ KIND_EVENT_TEXT, "event-text", bid_event_text, read_event_text, NULL },
	{ KIND_TEXT, "text", bid_text, read_nothing, NULL },
};
const size_t nformats = sizeof formats / sizeof formats[0];

const struct format *
format_choose(const struct ingest_entry *e)
{
	const struct format	*best = NULL;
	int			 b, top = 0;
	size_t			 i;

	for (i = 0; i < nformats; i++) {
		if ((b = formats[i].bid(e)) > top) {
			top = b;
			best = &formats[i];
		}
	}
	return best;
}

/*
 * The TLS outcomes of the SMTP protocol logs as a kind of evidence: the
 * aggregates evidence_logs.c keeps and finishes (one per server, direction,
 * connector, remote host, certificates, outcome, error, protocol), their
 * column table (findings.json "tls_outcomes", the TLS Outcomes sheet, the
 * page's table) and the descriptor.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/attribution.h"
#include "model/error_meanings.h"
#include "model/table.h"
#include "kind.h"

/* --------------------------------------------------------------- columns */

#define A	struct ev_tls_agg

EVIDENCE_ROWS(rows, tls, ntls)

GET_STR(server, A, r->server)
COL_GETTER(direction, A,
	col_str(v, r->receive ? "receive" : "send");
	v->text = r->receive ? "Receive" : "Send")
GET_STR(connector, A, r->connector)
GET_STR(remote, A, r->remote)
GET_STR(certificate, A, r->cert_thumbprint)
GET_STR(certificate_subject, A, r->cert_subject)
GET_STR(certificate_issuer, A, r->cert_issuer)
GET_STR(remote_certificate, A, r->remote_thumbprint)
GET_STR(remote_certificate_subject, A, r->remote_subject)
COL_GETTER(outcome, A,
	col_str(v, r->ok ? "ok" : "failed");
	v->text = r->ok ? "succeeded" : "failed";
	v->tone = r->ok ? "good" : "bad")
GET_STR(error, A, r->error)
GET_STR(error_meaning, A, tls_error_meaning(r->error))
GET_STR(protocol, A, r->protocol)
GET_STR(cipher, A, r->cipher)
COL_GETTER(count, A, col_int(v, r->count, true))
GET_UTC(first, A, r->first)
GET_UTC(last, A, r->last)
GET_STR(log_file, A, r->log_source)
COL_GETTER(sample_line, A, col_int(v, r->sample_line, r->sample_line > 0))
COL_GETTER(samples, A,
	v->group = &r->g;
	v->known = true)
GET_STR(sample_row, A, r->sample_text)

/* The samples after the first, "path:line; path:line". */
static void
other_samples(const void *row, const struct col_ctx *x, struct col_value *v)
{
	const struct ev_tls_agg	*a = row;
	struct buf		 b;
	char			 one[1024];
	size_t			 j;
	int			 len;

	(void)x;
	if (a->g.nsamples < 2)
		return;
	buf_init(&b, 1024 * EV_LOG_SAMPLES);
	for (j = 1; j < a->g.nsamples; j++) {
		len = snprintf(one, sizeof one, "%s%s:%ld", j > 1 ? "; " : "",
		    a->g.samples[j].source, a->g.samples[j].line);
		if (len > 0)
			buf_append(&b, one, (size_t)len < sizeof one ?
			    (size_t)len : sizeof one - 1);
	}
	v->owned = buf_steal(&b, NULL);
	col_str(v, v->owned);
}

#define WHY_SAMPLE	"findings.json lists every sample row's file and line"
/*
 * The page shows no table of every group: its length would grow with the
 * logs. It shows the failed groups that stand for the most handshakes in a
 * table of its own and the successes summed (output/out_html_logs.c).
 */
#define OUT_DATA	(OUT_JSON | OUT_XLSX)
#define WHY_PAGE	"page: the failed groups that stand for the most " \
	"handshakes in a table of their own, the successes summed per server " \
	"and connector; the workbook and findings.json hold every group"

static const struct column cols[] = {
	{ .key = "server", .label = "Server", .width = 14, .type = COL_STR,
	  .show = OUT_DATA, .get = server, .why = WHY_PAGE },
	{ .key = "direction", .label = "Direction", .width = 10,
	  .type = COL_STR, .show = OUT_DATA, .get = direction, .why = WHY_PAGE },
	{ .key = "connector", .label = "Connector", .width = 30,
	  .type = COL_STR, .show = OUT_DATA, .get = connector, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "remote", .label = "Remote host", .width = 18,
	  .type = COL_STR, .show = OUT_DATA, .get = remote, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "certificate", .label = "Certificate thumbprint", .width = 46,
	  .type = COL_STR, .style = COL_MONO, .show = OUT_DATA,
	  .get = certificate, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "certificate_subject", .label = "Certificate subject",
	  .width = 40, .type = COL_STR, .style = COL_WRAP, .show = OUT_DATA,
	  .get = certificate_subject, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "certificate_issuer", .label = "Certificate issuer",
	  .width = 40, .type = COL_STR, .style = COL_WRAP, .show = OUT_XLSX,
	  .get = certificate_issuer, .unknown = "",
	  .why = "findings.json and the page identify the certificate by "
	  "thumbprint and subject; the certificates table has its issuer" },
	{ .key = "remote_certificate", .label = "Certificate received",
	  .width = 44, .type = COL_STR, .style = COL_MONO, .show = OUT_DATA,
	  .get = remote_certificate, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "remote_certificate_subject",
	  .label = "Received certificate subject", .width = 40,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_DATA,
	  .get = remote_certificate_subject, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "outcome", .label = "Outcome", .width = 10, .type = COL_STR,
	  .show = OUT_DATA, .get = outcome, .why = WHY_PAGE },
	{ .key = "error", .label = "Error", .width = 22, .type = COL_STR,
	  .show = OUT_DATA, .get = error, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "error_meaning", .label = "Error meaning", .width = 50,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_DATA,
	  .get = error_meaning, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "protocol", .label = "Protocol", .width = 10,
	  .type = COL_STR, .show = OUT_DATA, .get = protocol, .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "cipher", .label = "Cipher (bulk, MAC, key exchange)",
	  .width = 30, .type = COL_STR, .show = OUT_DATA, .get = cipher,
	  .unknown = "",
	  .why = WHY_PAGE },
	{ .key = "count", .label = "Count", .width = 9, .type = COL_INT,
	  .show = OUT_DATA, .get = count, .why = WHY_PAGE },
	{ .key = "first", .label = "First (UTC)", .width = 19,
	  .type = COL_TIME, .show = OUT_DATA, .get = first, .why = WHY_PAGE },
	{ .key = "last", .label = "Last (UTC)", .width = 19, .type = COL_TIME,
	  .show = OUT_DATA, .get = last, .why = WHY_PAGE },
	{ .key = "log_file", .label = "Log file", .width = 50,
	  .type = COL_STR, .style = COL_WRAP | COL_MONO, .show = OUT_XLSX,
	  .get = log_file, .unknown = "", .why = WHY_SAMPLE },
	{ .key = "sample_line", .label = "Sample line", .width = 10,
	  .type = COL_INT, .show = OUT_XLSX, .get = sample_line,
	  .why = WHY_SAMPLE },
	{ .key = "other_samples", .label = "Other samples", .width = 60,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_XLSX,
	  .get = other_samples, .unknown = "", .why = WHY_SAMPLE },
	{ .key = "samples", .label = "Sample rows", .width = 60,
	  .type = COL_SAMPLES, .style = COL_WRAP | COL_MONO,
	  .show = OUT_JSON, .get = samples,
	  .why = "the workbook splits them into log file, sample line and "
	  "other samples, to filter on; the page counts the groups" },
	{ .key = "sample_row", .label = "Sample row", .width = 100,
	  .type = COL_STR, .style = COL_WRAP, .show = OUT_XLSX,
	  .get = sample_row, .unknown = "",
	  .why = "the text of the first row: long, and in the log itself; "
	  "the workbook keeps it for filtering" },
};

const struct table table_tls_outcomes = {
	.key = "tls_outcomes", .sheet = "TLS Outcomes", .cols = cols,
	.ncols = sizeof cols / sizeof cols[0], .freeze = 1, .rows = rows,
	.size = sizeof(A)
};

/* ------------------------------------------------------------ descriptor */

/* The log's server, and the one a receive connector id names. */
static void
servers(const void *row, struct strlist *out)
{
	const struct ev_tls_agg	*t = row;
	char			*s;

	strlist_add_unique_ci(out, t->server);
	if (t->receive && (s = attr_server_from_identity(t->connector)) != NULL) {
		strlist_add_unique_ci(out, s);
		free(s);
	}
}

static bool
seen(const struct evidence *ev)
{
	return ev->logs.files > 0;
}

const struct ev_kind ev_kind_tls_outcomes = {
	.one = "TLS outcome", .many = "TLS outcomes",
	EV_KIND_STORE(tls), .finish = evidence_logs_finish,
	.servers = servers, .seen = seen,
	/* The collect field holds only what runs; the zipping is in words. */
	.gap_what = "no SMTP protocol logs (missing logs mean no evidence, "
	    "not a healthy server; collect the SmtpSend and SmtpReceive "
	    "folders of each server, at its transport service's protocol log "
	    "paths)",
	.gap_collect = "Get-TransportService | Format-List Name,"
	    "SendProtocolLogPath,ReceiveProtocolLogPath",
	.gap_rank = 50,
	.table = &table_tls_outcomes, .logs = true,
	.page = { .id = "protocol-logs", .title = "Protocol logs",
	    .major = true, .rank = 60,
	    .empty = "No SMTP protocol logs in the bundle. Missing logs mean "
	    "no evidence, not a healthy server: only connectors with "
	    "ProtocolLoggingLevel Verbose write them." },
};

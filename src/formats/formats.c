/*
 * The format table (formats.h): the rows, in the order they are asked, and
 * the choice among their bids.
 *
 * The bid scale, so a new row knows where it stands:
 *   100  the bytes say so unmistakably (DER, a PEM block on the first line,
 *        an .evtx file)
 *    95  a saved e-mail: RFC 5322 headers with MIME-Version or Content-Type
 *    90  a protocol-log header        88  protocol-log rows without one
 *    86  log rows with placeholders for the date and session
 *    85  Windows event XML            82  HealthChecker's exported XML
 *    80  a CliXml root element        76  HealthChecker's text or HTML report
 *    75  an event text export         74  Event Viewer's copied text
 *    71  an event message alone       70  an error transcript
 *    65  the certificate table view   60  Format-List records
 *    50  a PEM block further down     40  CSV
 *    30  JSON                         20  a queue's LastError alone
 *     1  any other readable text (listed in the manifest, nothing read)
 *
 * Rows are listed surest first: a row whose best bid cannot beat the bid in
 * hand is not asked, so a protocol log is never searched for the phrases of
 * a transcript. The order decides nothing else but which row finishes first
 * (protocol logs before the files held for their day/month order).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "util/text.h"

/* The rows: a new format is one line here (its row is in its own file). */
#define FORMAT_ROWS(row)		\
	row(x509_der)			\
	row(x509_pem)			\
	row(evtx)			\
	row(mime)			\
	row(protolog)			\
	row(event_xml)			\
	row(healthchecker_xml)		\
	row(clixml)			\
	row(healthchecker_text)		\
	row(healthchecker_html)		\
	row(event_text)			\
	row(event_viewer)		\
	row(event_message)		\
	row(transcript)			\
	row(cert_table)			\
	row(format_list)		\
	row(csv)			\
	row(json)			\
	row(queue_error)		\
	/* (a new row goes above, by its best bid) */

#define FORMAT_DECLARE(name)	extern const struct format format_##name;
#define FORMAT_ROW(name)	&format_##name,

FORMAT_ROWS(FORMAT_DECLARE)

static bool
mostly_printable(const char *s, size_t len)
{
	size_t	i, n = len < SNIFF_HEAD ? len : SNIFF_HEAD, ctl = 0;

	for (i = 0; i < n; i++) {
		unsigned char	c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != '\v' && c != 0x1b) || c == 0x7f)
			ctl++;
	}
	return ctl * 10 <= n;
}

/* Any other readable text: listed, so that nothing goes unaccounted. */
static int
bid_text(const struct ingest_entry *e)
{
	return mostly_printable(e->sniff->s, e->sniff->len) ? 1 : 0;
}

static const struct format format_text = {
	.name = "text", .one = "text file", .many = "text files",
	.text = true, .best = 1, .bid = bid_text,
};

const struct format *const formats[] = { FORMAT_ROWS(FORMAT_ROW) &format_text };
const size_t nformats = sizeof formats / sizeof formats[0];

const struct format *
format_choose(const struct ingest_entry *e)
{
	const struct format	*f, *best = NULL;
	int			 b, top = 0;
	size_t			 i;

	for (i = 0; i < nformats; i++) {
		f = formats[i];
		if (f->text != (e->text != NULL) || f->best <= top)
			continue;
		if ((b = f->bid(e)) > top) {
			top = b;
			best = f;
		}
	}
	return best;
}

const struct format *
format_stream(struct ingest_ctx *ctx, const struct bundle_entry *e)
{
	size_t	i;

	for (i = 0; i < nformats; i++)
		if (formats[i]->stream != NULL && formats[i]->stream(ctx, e))
			return formats[i];
	return NULL;
}

struct bundle_pieces *
format_pieces(struct ingest_ctx *ctx, const struct bundle_entry *head,
    const struct format **fmt)
{
	struct bundle_pieces	*t;
	size_t			 i;

	for (i = 0; i < nformats; i++)
		if (formats[i]->pieces != NULL &&
		    (t = formats[i]->pieces(ctx, head)) != NULL) {
			*fmt = formats[i];
			return t;
		}
	return NULL;
}

const struct format *
format_of_text(const char *utf8, size_t len)
{
	struct ingest_entry	in;
	struct sniff_text	st;

	if (utf8 == NULL)
		return NULL;
	sniff_text(utf8, len, &st);
	memset(&in, 0, sizeof in);
	in.path = "";
	in.text = utf8;
	in.text_len = len;
	in.sniff = &st;
	return format_choose(&in);
}

const char *
format_sniff_bytes(const unsigned char *p, size_t len)
{
	struct ingest_entry	 in;
	const struct format	*f;

	if (bundle_is_archive(p, len))
		return BUNDLE_KIND_ARCHIVE;
	memset(&in, 0, sizeof in);
	in.path = "";
	in.data = p;
	in.len = len;
	if ((f = format_choose(&in)) != NULL)
		return f->name;
	return sniff_binary(p, len) ? SNIFF_KIND_BINARY : NULL;
}

const char *
format_sniff_text(const char *utf8, size_t len)
{
	const struct format	*f;

	if (utf8 == NULL)
		return NULL;
	f = format_of_text(utf8, len);
	return f != NULL ? f->name : SNIFF_KIND_BINARY;
}

void
format_kind_words(const char *kind, const char **one, const char **many)
{
	/* What no row reads: what the bytes alone say. */
	static const struct {
		const char	*kind, *one, *many;
	} unread[] = {
		{ BUNDLE_KIND_ARCHIVE, "archive", "archives" },
		{ SNIFF_KIND_BINARY, "binary file", "binary files" },
	};
	size_t	i;

	*one = "unrecognised file";
	*many = "unrecognised files";
	if (kind == NULL)
		return;
	for (i = 0; i < nformats; i++)
		if (strcmp(kind, formats[i]->name) == 0) {
			if (formats[i]->one != NULL) {
				*one = formats[i]->one;
				*many = formats[i]->many;
			}
			return;
		}
	for (i = 0; i < sizeof unread / sizeof unread[0]; i++)
		if (strcmp(kind, unread[i].kind) == 0) {
			*one = unread[i].one;
			*many = unread[i].many;
			return;
		}
}

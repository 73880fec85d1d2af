/*
 * Get-ExchangeCertificate's default table view, what a bare
 * `Get-ExchangeCertificate > certs.txt` writes:
 *
 *   Thumbprint                                Services   Subject
 *   ----------                                --------   -------
 *   6F029E0D20605DB27016B787C4503FD0002C0A11  IP.WS..    CN=mail.contoso.com, O=Con...
 *
 * Services is ServicesStringForm: one letter per flag (I P U W S F C for
 * IMAP, POP, UM, IIS, SMTP, Federation, UMCallRouter), "." when absent. The
 * subject is the last column and is cut at the console width, ending in
 * "..." (Windows PowerShell) or U+2026 (PowerShell 7): such a subject is kept
 * as shown and marked incomplete, so it is never matched against a
 * TlsCertificateName. Nothing else (dates, issuer) is in the view.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "formats.h"
#include "ingest.h"
#include "util/text.h"

/* Flag letters in ServicesStringForm order. */
static const struct {
	char	letter;
	int	flag;
} svc_letters[] = {
	{ 'I', SVC_IMAP }, { 'P', SVC_POP }, { 'U', SVC_UM }, { 'W', SVC_IIS },
	{ 'S', SVC_SMTP }, { 'F', SVC_FEDERATION }, { 'C', SVC_UMCALLROUTER },
};
#define SVC_LETTERS	(sizeof svc_letters / sizeof svc_letters[0])

/* "IP.WS.." -> flags; -1 when a position holds the wrong letter. */
static int
services_from_string_form(const char *s, size_t n)
{
	int	flags = 0;
	size_t	i;

	if (n == 0 || n > SVC_LETTERS)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			continue;
		if (s[i] != svc_letters[i].letter)
			return -1;
		flags |= svc_letters[i].flag;
	}
	return flags;
}

static const char *
skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *
word_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

static bool
starts_with(const char *p, const char *end, const char *w)
{
	size_t	n = strlen(w);

	return (size_t)(end - p) >= n && memcmp(p, w, n) == 0;
}

/* Whether a line is the header (the next one being its dashes). */
static bool
is_header(const char *p, const char *end)
{
	p = skip_spaces(p, end);
	if (!starts_with(p, end, "Thumbprint"))
		return false;
	p = skip_spaces(p + 10, end);
	if (!starts_with(p, end, "Services"))
		return false;
	p = skip_spaces(p + 8, end);
	return starts_with(p, end, "Subject") &&
	    skip_spaces(p + 7, end) == end;
}

static bool
is_dashes(const char *p, const char *end)
{
	bool	any = false;

	for (; p < end; p++) {
		if (*p == '-')
			any = true;
		else if (*p != ' ' && *p != '\t')
			return false;
	}
	return any;
}

struct table_ingest {
	struct evidence	*ev;
	const char	*source;
	int		 added;
	int		 bad;
	long		 first_bad;
};

/* Subject as shown; a trailing "..." or U+2026 means it was cut. */
static void
row_subject(struct ev_cert *c, const char *p, const char *end)
{
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == p)
		return;
	c->subject = utf8_clean(p, (size_t)(end - p));
	if ((end - p >= 3 && memcmp(end - 3, "...", 3) == 0) ||
	    (end - p >= 3 && memcmp(end - 3, "\xE2\x80\xA6", 3) == 0))
		c->subject_incomplete = true;
}

static void
row_read(struct table_ingest *ti, const char *p, const char *end, long line)
{
	struct ev_cert	 c;
	const char	*tp, *tpe, *sv, *sve;
	int		 svc;

	tp = skip_spaces(p, end);
	tpe = word_end(tp, end);
	sv = skip_spaces(tpe, end);
	sve = word_end(sv, end);
	if (tpe - tp != 40 || !str_is_hex(tp, 40) || sve == sv) {
		if (ti->bad++ == 0)
			ti->first_bad = line;
		return;
	}
	ev_cert_init(&c);
	c.thumbprint = xstrndup(tp, 40);
	ascii_upper(c.thumbprint);
	svc = services_from_string_form(sv, (size_t)(sve - sv));
	if (svc < 0)
		diag_add(&ti->ev->diags, DIAG_WARNING, ti->source, "line %ld: "
		    "services \"%.*s\" are not in the IPUWSFC form; services of "
		    "%s unknown", line, (int)(sve - sv > 16 ? 16 : sve - sv), sv,
		    c.thumbprint);
	c.services = svc < 0 ? SERVICES_UNKNOWN : svc;
	row_subject(&c, skip_spaces(sve, end), end);
	strlist_add(&c.sources, ti->source);
	c.ref.source = xstrdup(ti->source);
	c.ref.line = line;
	if (evidence_add_cert(ti->ev, &c) != NULL)
		ti->added++;
	ev_cert_clear(&c);
}

int
ingest_table(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct table_ingest	 ti = { ev, source, 0, 0, 0 };
	struct line_iter	 it;
	const char		*l, *end, *prev = NULL;
	size_t			 n, prevlen = 0;
	long			 line = 0;
	bool			 in_table = false, saw_header = false;

	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &l, &n)) {
		line++;
		end = l + n;
		if (prev != NULL && is_header(prev, prev + prevlen) &&
		    is_dashes(l, end)) {
			in_table = saw_header = true;
		} else if (in_table) {
			if (skip_spaces(l, end) == end || is_header(l, end))
				in_table = false;	/* a blank line ends a table */
			else
				row_read(&ti, l, end, line);
		}
		prev = l;
		prevlen = n;
	}
	if (!saw_header)
		return 0;
	ev->saw_cert_dump = true;
	if (ti.bad > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: %d table "
		    "row%s without a thumbprint and services skipped", ti.first_bad,
		    ti.bad, ti.bad > 1 ? "s" : "");
	if (ti.added == 0 && ti.bad > 0)
		return -1;
	return ti.added;
}

/* ------------------------------------------------------------ detection */

/* Words of a line split on runs of spaces; false when more than max. */
static size_t
split_words(const char *l, size_t len, const char **w, size_t *wl, size_t max)
{
	size_t	i = 0, n = 0, s;

	while (i < len) {
		while (i < len && l[i] == ' ')
			i++;
		if (i == len)
			break;
		if (n == max)
			return max + 1;
		s = i;
		while (i < len && l[i] != ' ')
			i++;
		w[n] = l + s;
		wl[n++] = i - s;
	}
	return n;
}

/* "Thumbprint   Services   Subject", the default Get-ExchangeCertificate. */
static bool
is_cert_table_header(const char *l, size_t len)
{
	const char	*w[4];
	size_t		 wl[4];

	return split_words(l, len, w, wl, 3) == 3 &&
	    wl[0] == 10 && memcmp(w[0], "Thumbprint", 10) == 0 &&
	    wl[1] == 8 && memcmp(w[1], "Services", 8) == 0 &&
	    wl[2] == 7 && memcmp(w[2], "Subject", 7) == 0;
}

/* "----------   --------   -------" under it. */
static bool
is_cert_table_rule(const char *l, size_t len)
{
	const char	*w[4];
	size_t		 wl[4], i, k, n;

	if ((n = split_words(l, len, w, wl, 3)) != 3)
		return false;
	for (k = 0; k < n; k++)
		for (i = 0; i < wl[k]; i++)
			if (w[k][i] != '-')
				return false;
	return true;
}

/* The table's header line with its rule of dashes under it. */
static int
bid_table(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	size_t			 i;

	for (i = 0; i + 1 < st->nlines; i++)
		if (is_cert_table_header(st->lines[i].p, st->lines[i].n) &&
		    is_cert_table_rule(st->lines[i + 1].p, st->lines[i + 1].n))
			return 65;
	return 0;
}

static int
read_table(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_table(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_cert_table = {
	.name = "certificate-table",
	.text = true, .best = 65, .bid = bid_table, .ingest = read_table,
};

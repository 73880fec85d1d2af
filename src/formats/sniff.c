/*
 * Content sniffing. Names in a bundle lie (a ".txt" may be a zip, a ".LOG" a
 * Format-List dump), so every decision here is made from the bytes: magic
 * numbers for archives and DER, then the first lines of the decoded text.
 */
#include "config.h"

#include <string.h>

#include "formats/protolog/protolog.h"
#include "sniff.h"
#include "util/util.h"

/* How much of an entry the byte-level checks look at. */
#define SNIFF_HEAD	4096
/* Lines of text the line-based checks look at. */
#define SNIFF_LINES	60
/*
 * How far into a text the transcript phrases are searched for: transcripts
 * are small, and this keeps sniffing a huge unknown text cheap.
 */
#define SNIFF_PHRASE_WINDOW	(8u * 1024 * 1024)
/* Fewer Format-List lines than this never outweigh a transcript phrase. */
#define TRANSCRIPT_MAX_FL_LINES	5

static const char *const kind_names[] = {
	[KIND_UNKNOWN] = "unknown",
	[KIND_ARCHIVE] = "archive",
	[KIND_X509_DER] = "x509-der",
	[KIND_X509_PEM] = "x509-pem",
	[KIND_PROTOLOG] = "protocol-log",
	[KIND_CLIXML] = "clixml",
	[KIND_FORMAT_LIST] = "format-list",
	[KIND_TRANSCRIPT] = "transcript",
	[KIND_CSV] = "csv",
	[KIND_JSON] = "json",
	[KIND_TEXT] = "text",
	[KIND_BINARY] = "binary",
	[KIND_EVTX] = "event-log",
	[KIND_EVENT_XML] = "event-xml",
	[KIND_EVENT_TEXT] = "event-text",
	[KIND_CERT_TABLE] = "certificate-table",
};

const char *
entry_kind_name(enum entry_kind k)
{
	if ((unsigned)k >= sizeof kind_names / sizeof kind_names[0])
		return "unknown";
	return kind_names[k];
}

static bool
has_prefix(const unsigned char *p, size_t len, const void *magic, size_t n)
{
	return len >= n && memcmp(p, magic, n) == 0;
}

static bool
is_archive_magic(const unsigned char *p, size_t len)
{
	if (has_prefix(p, len, "PK\003\004", 4) ||
	    has_prefix(p, len, "PK\005\006", 4))
		return true;
	/* gzip: the only compression method it defines is deflate (8). */
	if (has_prefix(p, len, "\037\213\010", 3))
		return true;
	if (len >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9')
		return true;
	if (has_prefix(p, len, "\375" "7zXZ\000", 6))
		return true;
	/* POSIX tar (ustar and pax; GNU writes "ustar  "). */
	if (len >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return true;
	return false;
}

/*
 * Reads a DER length at p[*i]; returns -1 when malformed or longer than
 * four bytes (no certificate is that large).
 */
static long
der_length(const unsigned char *p, size_t len, size_t *i)
{
	unsigned	n, k;
	long		v = 0;

	if (*i >= len)
		return -1;
	if (p[*i] < 0x80)
		return p[(*i)++];
	n = p[(*i)++] & 0x7f;
	if (n == 0 || n > 3 || *i + n > len)
		return -1;
	for (k = 0; k < n; k++)
		v = (v << 8) | p[(*i)++];
	return v;
}

/*
 * An X.509 certificate is SEQUENCE { SEQUENCE tbsCertificate, ... }. The
 * outer length must fit the entry (trailing bytes such as a newline are
 * tolerated) and the inner SEQUENCE must fit the outer one. A PKCS#7 or
 * PKCS#12 blob starts with a SEQUENCE too but continues with an OID or an
 * INTEGER, so it is not taken for a certificate.
 */
static bool
is_der_certificate(const unsigned char *p, size_t len)
{
	size_t	i = 1, body;
	long	outer, inner;

	if (len < 16 || p[0] != 0x30 || (p[1] != 0x82 && p[1] != 0x81 &&
	    p[1] != 0x83))
		return false;
	if ((outer = der_length(p, len, &i)) < 0)
		return false;
	body = i;
	if ((size_t)outer > len - body || len - body - (size_t)outer > 64)
		return false;
	if (p[i++] != 0x30)
		return false;
	if ((inner = der_length(p, len, &i)) < 0 || i - body > (size_t)outer)
		return false;
	return inner > 0 && (size_t)inner <= (size_t)outer - (i - body);
}

/*
 * A .p7b: ContentInfo { OID signedData (1.2.840.113549.1.7.2), [0] ... }
 * whose outer length fits the entry.
 */
static bool
is_der_pkcs7(const unsigned char *p, size_t len)
{
	static const unsigned char oid[] = {
		0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02
	};
	size_t	i = 1;
	long	outer;

	if (len < 16 || p[0] != 0x30)
		return false;
	if ((outer = der_length(p, len, &i)) < 0 || (size_t)outer > len - i ||
	    len - i - (size_t)outer > 64)
		return false;
	return len - i >= sizeof oid && memcmp(p + i, oid, sizeof oid) == 0;
}

/*
 * PowerShell writes UTF-16 text, with a BOM (Out-File, ">") or without one.
 * Such text is half NULs, which must not make it "binary": a BOM or ASCII
 * characters alternating with NULs mark it as text for the decoder.
 */
static bool
looks_utf16(const unsigned char *p, size_t len)
{
	size_t	i, pairs, le = 0, be = 0;

	if (has_prefix(p, len, "\377\376", 2) || has_prefix(p, len, "\376\377", 2))
		return true;
	pairs = (len < SNIFF_HEAD ? len : SNIFF_HEAD) / 2;
	if (pairs < 2)
		return false;
	for (i = 0; i < pairs; i++) {
		unsigned char	a = p[2 * i], b = p[2 * i + 1];

		if (b == 0 && a != 0 && a < 0x80)
			le++;
		else if (a == 0 && b != 0 && b < 0x80)
			be++;
	}
	/* Most characters of an Exchange dump are ASCII. */
	return le * 10 >= pairs * 8 || be * 10 >= pairs * 8;
}

static bool
is_binary(const unsigned char *p, size_t len)
{
	size_t	i, n = len < SNIFF_HEAD ? len : SNIFF_HEAD, nul = 0, ctl = 0;

	for (i = 0; i < n; i++) {
		unsigned char	c = p[i];

		if (c == 0)
			nul++;
		else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != '\v' && c != 0x1b) || c == 0x7f)
			ctl++;
	}
	/*
	 * Text has no NULs to speak of (one stray NUL in a page is tolerated)
	 * and very few control bytes; random or packed data has both.
	 */
	return nul * 1000 > n || ctl * 20 > n;
}

void
sniff_facts_bytes(const unsigned char *p, size_t len, struct sniff_facts *f)
{
	memset(f, 0, sizeof *f);
	if (p == NULL || len == 0)
		return;
	if (is_archive_magic(p, len))
		f->archive = true;
	else if (is_der_certificate(p, len))
		f->der_cert = true;
	else if (is_der_pkcs7(p, len))
		f->der_pkcs7 = true;
	else if (has_prefix(p, len, "ElfFile\000", 8))
		f->evtx = true;
	else if (!has_prefix(p, len, "\357\273\277", 3) && !looks_utf16(p, len) &&
	    is_binary(p, len))
		f->binary = true;
}

enum entry_kind
sniff_bytes(const unsigned char *p, size_t len)
{
	struct sniff_facts	f;

	sniff_facts_bytes(p, len, &f);
	if (f.archive)
		return KIND_ARCHIVE;
	if (f.der_cert || f.der_pkcs7)
		return KIND_X509_DER;
	if (f.evtx)
		return KIND_EVTX;
	if (f.binary)
		return KIND_BINARY;
	return KIND_UNKNOWN;
}

/* Line scanning over the first SNIFF_LINES lines of a text. */
struct sniff_lines {
	const char	*p;
	const char	*end;
	int		 n;
};

static bool
sniff_next_line(struct sniff_lines *sl, const char **line, size_t *len)
{
	const char	*s = sl->p, *e;

	if (s >= sl->end || sl->n >= SNIFF_LINES)
		return false;
	for (e = s; e < sl->end && *e != '\n' && *e != '\r'; e++)
		;
	*line = s;
	*len = (size_t)(e - s);
	if (e < sl->end && *e == '\r')
		e++;
	if (e < sl->end && *e == '\n')
		e++;
	sl->p = e;
	sl->n++;
	return true;
}

static bool
line_has_prefix(const char *line, size_t len, const char *prefix)
{
	size_t	n = strlen(prefix);

	return len >= n && memcmp(line, prefix, n) == 0;
}

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

/* A header line of Export-Csv -NoTypeInformation: "A","B",... */
static bool
is_quoted_csv_header(const char *l, size_t len)
{
	size_t	i = 0;
	int	fields = 0;
	char	delim = 0;

	/* Export-Csv -Delimiter / -UseCulture: ',' ';' or tab, one per line. */
	while (i < len) {
		if (l[i++] != '"')
			return false;
		for (;;) {
			if (i >= len)
				return false;
			if (l[i] == '"') {
				if (i + 1 < len && l[i + 1] == '"') {
					i += 2;
					continue;
				}
				i++;
				break;
			}
			i++;
		}
		fields++;
		if (i == len)
			break;
		if (delim == 0 && (l[i] == ',' || l[i] == ';' || l[i] == '\t'))
			delim = l[i];
		if (l[i++] != delim)
			return false;
	}
	return fields >= 2;
}

/* memmem() over a window, without relying on the GNU extension. */
static bool
contains(const char *s, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i;

	if (n == 0 || len < n)
		return n == 0;
	for (i = 0; i + n <= len; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return true;
	return false;
}

static bool
has_transcript_phrase(const char *s, size_t len)
{
	if (len > SNIFF_PHRASE_WINDOW)
		len = SNIFF_PHRASE_WINDOW;
	return contains(s, len, "Remove-ExchangeCertificate") ||
	    contains(s, len, "These certificates are tagged with following Send Connectors") ||
	    contains(s, len, "A special Rpc error occurs on server");
}

static bool
is_pem_begin(const char *l, size_t len)
{
	return line_has_prefix(l, len, "-----BEGIN CERTIFICATE-----") ||
	    line_has_prefix(l, len, "-----BEGIN TRUSTED CERTIFICATE-----") ||
	    line_has_prefix(l, len, "-----BEGIN X509 CERTIFICATE-----") ||
	    line_has_prefix(l, len, "-----BEGIN PKCS7-----");
}

/*
 * "Label   : value" with this label (Format-List pads labels to one width).
 */
static bool
is_fl_label(const char *l, size_t len, const char *label)
{
	size_t	n = strlen(label), i;

	if (len < n || memcmp(l, label, n) != 0)
		return false;
	for (i = n; i < len && l[i] == ' '; i++)
		;
	return i < len && l[i] == ':' && (i + 1 == len || l[i + 1] == ' ');
}

/* The labels of event records in Format-List. */
#define EVL_PROVIDERNAME	0x01
#define EVL_ID			0x02
#define EVL_TIMECREATED		0x04
#define EVL_WINEVENT		0x07	/* Get-WinEvent */
#define EVL_SOURCE		0x08
#define EVL_EVENTID		0x10
#define EVL_TIMEGENERATED	0x20
#define EVL_EVENTLOG		0x38	/* Get-EventLog */

static unsigned
event_fl_label(const char *l, size_t n)
{
	static const struct {
		const char	*label;
		unsigned	 bit;
	} labels[] = {
		{ "ProviderName", EVL_PROVIDERNAME }, { "Id", EVL_ID },
		{ "TimeCreated", EVL_TIMECREATED }, { "Source", EVL_SOURCE },
		{ "EventID", EVL_EVENTID }, { "TimeGenerated", EVL_TIMEGENERATED },
	};
	size_t	i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (is_fl_label(l, n, labels[i].label))
			return labels[i].bit;
	return 0;
}

/* "Event[12]:", the header of each event in wevtutil /f:text. */
static bool
is_wevtutil_header(const char *l, size_t len)
{
	size_t	i = 6;

	if (!line_has_prefix(l, len, "Event["))
		return false;
	while (i < len && l[i] >= '0' && l[i] <= '9')
		i++;
	return i > 6 && i + 1 < len && l[i] == ']' && l[i + 1] == ':';
}

/* What the first lines say, gathered in one pass. */
struct text_facts {
	bool	protolog;
	bool	smtp_log_type;	/* "#Log-type: SMTP Send/Receive Protocol Log" */
	bool	pem;		/* a BEGIN CERTIFICATE line */
	bool	cert_table;	/* the table view's header and dashes */
	int	fl_lines;
	int	nonblank;
	bool	wevtutil_header;	/* "Event[0]:" */
	bool	wevtutil_id;		/* "  Event ID: 12014" */
	unsigned event_fl;		/* EVL_* labels seen */
	int	log_rows;	/* protocol log rows (a fragment without #Fields) */
};

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

static void
text_facts_gather(const char *s, size_t len, struct text_facts *tf)
{
	struct sniff_lines	 sl = { s, s + len, 0 };
	const char		*l;
	size_t			 n;
	bool			 header = false;

	memset(tf, 0, sizeof *tf);
	while (sniff_next_line(&sl, &l, &n)) {
		if (header && is_cert_table_rule(l, n))
			tf->cert_table = true;
		header = is_cert_table_header(l, n);
		if (n > 0)
			tf->nonblank++;
		if (line_has_prefix(l, n, "#Fields: date-time,connector-id,session-id"))
			tf->protolog = true;
		if (line_has_prefix(l, n, "#Log-type: SMTP "))
			tf->smtp_log_type = true;
		if (is_pem_begin(l, n))
			tf->pem = true;
		if (is_fl_line(l, n))
			tf->fl_lines++;
		if (is_wevtutil_header(l, n))
			tf->wevtutil_header = true;
		if (line_has_prefix(l, n, "  Event ID: "))
			tf->wevtutil_id = true;
		tf->event_fl |= event_fl_label(l, n);
		if (protolog_row_shape(l, n))
			tf->log_rows++;
	}
}

static const char *
skip_leading_space(const char *s, size_t *len)
{
	const char	*end = s + *len;

	for (;;) {
		if (end - s >= 3 && memcmp(s, "\357\273\277", 3) == 0)
			s += 3;	/* a BOM the decoder left behind */
		else if (s < end && (*s == ' ' || *s == '\t' || *s == '\r' ||
		    *s == '\n' || *s == '\f' || *s == '\v'))
			s++;
		else
			break;
	}
	*len = (size_t)(end - s);
	return s;
}

static bool
is_clixml(const char *s, size_t len)
{
	size_t	head = len < SNIFF_HEAD ? len : SNIFF_HEAD;

	if (!line_has_prefix(s, len, "<Objs") && !line_has_prefix(s, len, "<?xml"))
		return false;
	return contains(s, head < 1024 ? head : 1024, "<Objs") &&
	    contains(s, head, "schemas.microsoft.com/powershell/2004/04");
}

/*
 * wevtutil /f:xml writes <Event> elements one after the other with no root;
 * Get-WinEvent's ToXml() output is often saved inside an <Events> root.
 */
static bool
is_event_xml(const char *s, size_t len)
{
	size_t	head = len < 1024 ? len : 1024;

	if (!line_has_prefix(s, len, "<Event") && !line_has_prefix(s, len, "<?xml"))
		return false;
	return contains(s, head, "<Event") &&
	    contains(s, head, "schemas.microsoft.com/win/2004/08/events/event");
}

/*
 * wevtutil /f:text ("Event[0]:" then indented "Key: value" lines), or
 * Format-List of Get-WinEvent (TimeCreated, ProviderName, Id) or
 * Get-EventLog (EventID, Source, TimeGenerated): all three labels of one of
 * them in the first lines.
 */
static bool
is_event_text(const struct text_facts *tf)
{
	return (tf->wevtutil_header && tf->wevtutil_id) ||
	    (tf->event_fl & EVL_WINEVENT) == EVL_WINEVENT ||
	    (tf->event_fl & EVL_EVENTLOG) == EVL_EVENTLOG;
}

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

static bool
is_transcript(const char *s, size_t len, const struct text_facts *tf)
{
	if (!has_transcript_phrase(s, len))
		return false;
	/*
	 * A transcript may hold a few "Label : value" lines (its own header,
	 * a short fl of one object); a dump that is mostly records stays a
	 * Format-List file even when an error follows it.
	 */
	return tf->fl_lines < TRANSCRIPT_MAX_FL_LINES ||
	    tf->fl_lines * 2 < tf->nonblank;
}

/*
 * ConvertTo-Json output: an object ({ then a key or }) or an array ([ then
 * a value). A log line such as "[2026-11-10 08:00] ..." or a prompt "[PS]"
 * is not taken for JSON.
 */
static bool
looks_json(const char *s, size_t len)
{
	size_t	i = 1;

	if (s[0] != '[' && s[0] != '{')
		return false;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	if (i == len)
		return false;
	if (s[0] == '{')
		return s[i] == '"' || s[i] == '}';
	return s[i] == '{' || s[i] == '[' || s[i] == '"' || s[i] == ']';
}

void
sniff_facts_text(const char *utf8, size_t len, struct sniff_facts *f)
{
	struct text_facts	 tf;
	const char		*s, *first_end;
	size_t			 first_len;

	f->text = true;
	if (utf8 == NULL)
		return;
	s = skip_leading_space(utf8, &len);
	if (len == 0) {
		f->printable = true;	/* empty or blank: text, of nothing */
		return;
	}
	for (first_end = s; first_end < s + len && *first_end != '\n' &&
	    *first_end != '\r'; first_end++)
		;
	first_len = (size_t)(first_end - s);
	text_facts_gather(s, len, &tf);
	f->pem_first = is_pem_begin(s, first_len);
	f->pem = tf.pem;
	/*
	 * Message tracking and other Exchange logs share the #Software line;
	 * only the SMTP protocol logs have this log type or these fields.
	 */
	f->protolog = (line_has_prefix(s, first_len,
	    "#Software: Microsoft Exchange Server") && tf.smtp_log_type) ||
	    tf.protolog;
	f->log_fragment = !f->protolog && tf.log_rows > 0 &&
	    tf.log_rows * 2 >= tf.nonblank;
	f->clixml = is_clixml(s, len);
	f->event_xml = !f->clixml && is_event_xml(s, len);
	f->event_text = is_event_text(&tf);
	/*
	 * The transcript phrases are searched in up to 8 MiB of text: not for
	 * a protocol log, CliXml or PEM file, which outbid a transcript anyway
	 * (formats.c), so that large logs are not read twice.
	 */
	if (!f->protolog && !f->log_fragment && !f->clixml && !f->pem_first)
		f->transcript = is_transcript(s, len, &tf);
	f->cert_table = tf.cert_table;
	f->fl_lines = tf.fl_lines;
	f->nonblank = tf.nonblank;
	f->csv = line_has_prefix(s, first_len, "#TYPE ") ||
	    is_quoted_csv_header(s, first_len);
	f->json = looks_json(s, len);
	f->printable = mostly_printable(s, len);
}

enum entry_kind
sniff_text(const char *utf8, size_t len)
{
	struct sniff_facts	f;

	if (utf8 == NULL)
		return KIND_UNKNOWN;
	memset(&f, 0, sizeof f);
	sniff_facts_text(utf8, len, &f);
	if (f.nonblank == 0)
		return KIND_TEXT;	/* empty or blank */
	if (f.pem_first)
		return KIND_X509_PEM;
	if (f.protolog)
		return KIND_PROTOLOG;
	/* A pasted or cut log: most lines have the shape of log rows. */
	if (f.log_fragment)
		return KIND_PROTOLOG;
	if (f.clixml)
		return KIND_CLIXML;
	if (f.event_xml)
		return KIND_EVENT_XML;
	if (f.event_text)
		return KIND_EVENT_TEXT;
	if (f.transcript)
		return KIND_TRANSCRIPT;
	if (f.cert_table)
		return KIND_CERT_TABLE;
	if (f.fl_lines >= 2)
		return KIND_FORMAT_LIST;
	/* "Bag Attributes" and the like before the certificate (openssl output). */
	if (f.pem)
		return KIND_X509_PEM;
	if (f.csv)
		return KIND_CSV;
	if (f.json)
		return KIND_JSON;
	return f.printable ? KIND_TEXT : KIND_BINARY;
}

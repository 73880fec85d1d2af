/*
 * The protocol-log format (formats.h): SMTP Send and Receive protocol logs,
 * told by their header (message tracking and other Exchange logs share the
 * #Software line; only the protocol logs have this log type or these
 * fields), or, pasted or cut without one, by rows that have their shape.
 *
 * Logs are most of a bundle: the row's stream hook takes them raw, before
 * any decoding copy, and queues them for the parser that runs beside the
 * walk (logread.h); a large one is taken in pieces as it is read. Only a
 * log the hooks do not recognise from its first 64 KiB reaches the ingest
 * function through the table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"
#include "logread.h"
#include "protolog.h"
#include "util/text.h"

/* How much of an entry the stream hook decodes to recognise a log. */
#define STREAM_SNIFF_BYTES	(64u << 10)

extern const struct format	format_protolog;

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "2026-11-09T22:00:04.113Z,Connector,08DE1F5C2A9B0001,12,ip:port,ip:port,*,..." */
bool
protolog_row_shape(const char *line, size_t len)
{
	const char	*p = line, *end = line + len, *q;
	size_t		 i;

	/* yyyy-mm-ddThh:mm:ss */
	if (len < 40)
		return false;
	for (i = 0; i < 19; i++) {
		char c = p[i];

		if (i == 4 || i == 7) {
			if (c != '-')
				return false;
		} else if (i == 10) {
			if (c != 'T')
				return false;
		} else if (i == 13 || i == 16) {
			if (c != ':')
				return false;
		} else if (!is_digit(c))
			return false;
	}
	if ((q = memchr(p, ',', (size_t)(end - p))) == NULL)
		return false;
	/* The connector-id (quoted when it holds a comma). */
	p = q + 1;
	if (p < end && *p == '"') {
		if ((q = memchr(p + 1, '"', (size_t)(end - p - 1))) == NULL)
			return false;
		p = q + 1;
	}
	if ((q = memchr(p, ',', (size_t)(end - p))) == NULL)
		return false;
	p = q + 1;
	if (end - p < 17 || !str_is_hex(p, 16) || p[16] != ',')
		return false;
	p += 17;
	for (i = 0; p < end && is_digit(*p); p++, i++)
		;
	if (i == 0 || p == end || *p != ',')
		return false;
	/* Two endpoints (the local one may be empty), then the event. */
	for (i = 0; i < 2; i++) {
		if ((q = memchr(p + 1, ',', (size_t)(end - p - 1))) == NULL)
			return false;
		p = q;
	}
	p++;
	return end - p >= 2 && strchr("+-<>*", *p) != NULL && p[1] == ',';
}

/* The next field of a CSV row (quotes honoured) into [*f, *fe); false at the end. */
static bool
next_field(const char **p, const char *end, const char **f, const char **fe)
{
	const char	*s = *p, *q;

	if (s > end)
		return false;
	if (s < end && *s == '"') {
		if ((q = memchr(s + 1, '"', (size_t)(end - s - 1))) == NULL)
			return false;
		*f = s + 1;
		*fe = q;
		s = q + 1;
	} else {
		for (q = s; q < end && *q != ','; q++)
			;
		*f = s;
		*fe = q;
		s = q;
	}
	*p = s + 1;	/* past the comma, or past the end */
	return s == end || *s == ',';
}

bool
protolog_row_loose_shape(const char *line, size_t len)
{
	const char	*p = line, *end = line + len, *f[9], *fe[9], *c;
	size_t		 i;

	for (i = 0; i < 9; i++)
		if (!next_field(&p, end, &f[i], &fe[i]))
			return false;
	if (fe[3] == f[3] || fe[3] - f[3] > 9)
		return false;
	for (c = f[3]; c < fe[3]; c++)
		if (!is_digit(*c))
			return false;
	return fe[6] - f[6] == 1 && strchr("+-<>*", *f[6]) != NULL &&
	    memchr(f[5], ':', (size_t)(fe[5] - f[5])) != NULL &&
	    (fe[4] == f[4] || memchr(f[4], ':', (size_t)(fe[4] - f[4])) != NULL);
}

static int
bid_protolog(const struct ingest_entry *e)
{
	const struct sniff_text	*st = e->sniff;
	struct sniff_line	 first = sniff_first_line(st);
	bool			 fields = false, log_type = false;
	int			 rows = 0, loose = 0;
	size_t			 i;

	for (i = 0; i < st->nlines; i++) {
		if (sniff_line_prefix(&st->lines[i],
		    "#Fields: date-time,connector-id,session-id"))
			fields = true;
		if (sniff_line_prefix(&st->lines[i], "#Log-type: SMTP "))
			log_type = true;
		if (protolog_row_shape(st->lines[i].p, st->lines[i].n))
			rows++;
		else if (protolog_row_loose_shape(st->lines[i].p, st->lines[i].n))
			loose++;
	}
	if (fields || (log_type &&
	    sniff_line_prefix(&first, "#Software: Microsoft Exchange Server")))
		return 90;
	/* A pasted or cut log: most lines have the shape of log rows. */
	if (rows > 0 && rows * 2 >= st->nonblank)
		return 88;
	/*
	 * An article's excerpt, placeholders for the date and the session
	 * ("Date/Time,Outbound,SessionId,16,ip:port,ip:port,*,..."): the
	 * rest of every row has the shape.
	 */
	return loose > 0 && (rows + loose) * 2 >= st->nonblank ? 86 : 0;
}

/* Whether the table would choose this row for the entry's start. */
static bool
starts_as_protolog(struct ingest_ctx *ctx, const struct bundle_entry *e)
{
	const struct format	*f;
	char			*text;
	size_t			 n;

	text = text_to_utf8(e->data, e->len < STREAM_SNIFF_BYTES ? e->len :
	    STREAM_SNIFF_BYTES, &n, NULL, NULL);
	f = format_of_text(text, n);
	free(text);
	if (f != &format_protolog)
		return false;
	if (ctx->logs == NULL)
		ctx->logs = logread_new(ctx->ev, true, ctx->log_piece_bytes);
	return true;
}

static bool
stream_protolog(struct ingest_ctx *ctx, const struct bundle_entry *e)
{
	if (!starts_as_protolog(ctx, e))
		return false;
	logread_offer(ctx->logs, e);
	return true;
}

/*
 * A large log is parsed in pieces as the walk reads it, unless it must be
 * decoded as a whole: a byte-order mark, or NUL bytes (UTF-16), at its
 * start.
 */
static struct bundle_pieces *
pieces_protolog(struct ingest_ctx *ctx, const struct bundle_entry *head)
{
	if ((head->len >= 3 && memcmp(head->data, "\xEF\xBB\xBF", 3) == 0) ||
	    (head->len >= 2 && (memcmp(head->data, "\xFF\xFE", 2) == 0 ||
	    memcmp(head->data, "\xFE\xFF", 2) == 0)))
		return NULL;
	if (memchr(head->data, '\0', head->len) != NULL ||
	    !starts_as_protolog(ctx, head))
		return NULL;
	return logread_pieces(ctx->logs, head->path, head->data, head->len);
}

static int
read_protolog(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_protolog(ctx->ev, e->path, e->text, e->text_len);
}

/* The logs still queued are parsed, and what was read joins the evidence. */
static void
finish_protolog(struct ingest_ctx *ctx)
{
	logread_finish(ctx->logs);
	ctx->logs = NULL;
}

const struct format format_protolog = {
	.name = "protocol-log",
	.text = true, .best = 90, .bid = bid_protolog, .stream = stream_protolog,
	.pieces = pieces_protolog,
	.ingest = read_protolog, .finish = finish_protolog,
	.read_is_evidence = true,
};

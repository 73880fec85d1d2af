/*
 * A Get-Queue LastError pasted alone, as support articles and forum posts
 * quote it:
 *
 *   451 4.4.0 Primary target IP address responded with: "421 4.4.1
 *   Connection timed out." Attempted failover to alternate host, ...
 *
 * Each paragraph that starts with an SMTP reply code and its enhanced
 * status code (RFC 3463: "451 4.4.0", "454 4.7.5") is a queue's LastError:
 * a queue whose identity, server and status the text does not give, kept as
 * such (a warning says so) so that its error counts as the symptom it is.
 * Only a text that is nothing but such paragraphs is taken.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "ingest.h"
#include "model/kinds/queue.h"
#include "util/text.h"

static bool
digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * "451 4.4.0 ..." (or "421-4.4.1"), after an opening quote or a pasted
 * one's remains: where the code starts, or NULL.
 */
static const char *
reply_code(const char *s, size_t n)
{
	size_t	i = 0, k;

	while (i < n && (s[i] == ' ' || s[i] == '"' || s[i] == '\t'))
		i++;
	if (n - i < 9 || (s[i] != '4' && s[i] != '5') || !digit(s[i + 1]) ||
	    !digit(s[i + 2]) || (s[i + 3] != ' ' && s[i + 3] != '-') ||
	    s[i + 4] != s[i] || s[i + 5] != '.' || !digit(s[i + 6]))
		return NULL;
	for (k = i + 6; k < n && digit(s[k]); k++)
		;
	if (k >= n || s[k] != '.' || k + 1 >= n || !digit(s[k + 1]))
		return NULL;
	return s + i;
}

/* Whether every paragraph of the text starts with a reply code. */
static bool
all_errors(const struct sniff_text *st)
{
	size_t	i;
	bool	para = false, any = false;

	for (i = 0; i < st->nlines; i++) {
		const struct sniff_line	*l = &st->lines[i];
		bool			 blank = true;
		size_t			 k;

		for (k = 0; k < l->n; k++)
			if (l->p[k] != ' ' && l->p[k] != '\t' && l->p[k] != '\r')
				blank = false;
		if (blank) {
			para = false;
			continue;
		}
		if (!para && reply_code(l->p, l->n) == NULL)
			return false;
		para = any = true;
	}
	return any;
}

static int
bid_queue_error(const struct ingest_entry *e)
{
	return all_errors(e->sniff) ? 20 : 0;
}

static void
add_error(struct ingest_ctx *ctx, const char *source, struct buf *b,
    long line)
{
	struct ev_queue	q;

	ev_queue_init(&q);
	q.last_error = str_trim(buf_steal(b, NULL));
	q.ref.source = xstrdup(source);
	q.ref.line = line;
	ctx->ev->saw_queue_dump = true;
	evidence_add_queue(ctx->ev, &q);
	diag_add(&ctx->ev->diags, DIAG_WARNING, source, "line %ld: a queue's "
	    "LastError pasted alone: read as a queue without an Identity, its "
	    "server and status unknown", line);
	free(q.last_error);
	free(q.ref.source);
}

static int
read_queue_error(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	struct line_iter	 it;
	struct buf		 b;
	const char		*s;
	size_t			 n;
	long			 start = 0;
	int			 added = 0;

	buf_init(&b, 1 << 20);
	line_iter_init(&it, e->text, e->text_len);
	while (line_iter_next(&it, &s, &n)) {
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
			n--;
		if (n == 0) {
			if (start > 0) {
				add_error(ctx, e->path, &b, start);
				buf_init(&b, 1 << 20);
				added++;
			}
			start = 0;
			continue;
		}
		if (start == 0)
			start = it.lineno;
		else
			buf_putc(&b, ' ');
		buf_append(&b, s, n);
	}
	if (start > 0) {
		add_error(ctx, e->path, &b, start);
		added++;
	} else
		buf_free(&b);
	return added;
}

const struct format format_queue_error = {
	.name = "queue-error", .one = "queue LastError text",
	.many = "queue LastError texts",
	.text = true, .best = 20, .bid = bid_queue_error,
	.ingest = read_queue_error,
};

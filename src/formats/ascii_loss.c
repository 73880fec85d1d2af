/*
 * Files written as ASCII, their '?' counted and the file's values marked
 * lossy for the mappers (ascii_loss.h says how such a file is told).
 */
#include "config.h"

#include <string.h>

#include "ascii_loss.h"
#include "model/record.h"

static bool
letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Ends a word for the example: white space, quotes and delimiters. */
static bool
word_end(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' ||
	    c == ',' || c == ';' || c == '=' || c == '<' || c == '>';
}

static void
take_word(const char *text, const char *end, const char *at, char *out,
    size_t size)
{
	const char	*s = at, *e = at;
	size_t		 n;

	while (s > text && !word_end(s[-1]) && at - s < (long)size / 2)
		s--;
	while (e < end && !word_end(*e) && (size_t)(e - s) < size - 1)
		e++;
	n = (size_t)(e - s);
	memcpy(out, s, n);
	out[n] = '\0';
}

bool
ascii_loss_scan(const char *text, size_t len, struct ascii_loss *out)
{
	const char	*p, *q, *end = text + len;
	long		 line = 1;

	memset(out, 0, sizeof *out);
	for (p = text; p < end; p++)
		if ((unsigned char)*p >= 0x80)
			return false;	/* it could write that one: not ASCII */
	for (p = text; p < end; p++) {
		if (*p == '\n')
			line++;
		if (*p != '?' || p == text || !letter(p[-1]))
			continue;
		/* A run of '?' counts when a letter closes it: "M??ller". */
		for (q = p; q < end && *q == '?'; q++)
			;
		if (q < end && letter(*q)) {
			if (out->count == 0) {
				out->first_line = line;
				take_word(text, end, p, out->word,
				    sizeof out->word);
			}
			out->count += (size_t)(q - p);
		}
		p = q - 1;
	}
	return out->count > 0;
}

void
ascii_loss_note(struct map_ctx *ctx, const char *text, size_t len)
{
	struct ascii_loss	l;

	if (!ascii_loss_scan(text, len, &l))
		return;
	ctx->ascii_lossy = true;
	diag_add(&ctx->ev->diags, DIAG_WARNING, ctx->source, "written as "
	    "ASCII: no character outside ASCII, and %zu '?' inside words "
	    "(first at line %ld: \"%s\"), which ASCII writes for each "
	    "character it cannot encode; names with '?' are compared loosely, "
	    "a '?' matching any one non-ASCII character (export with "
	    "-Encoding UTF8, or Export-Clixml, to keep them)", l.count,
	    l.first_line, l.word);
}

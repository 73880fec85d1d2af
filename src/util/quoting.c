/*
 * E-mail reply quoting. Evidence forwarded by mail comes back with every
 * line of it behind "> " (and "> > " for a mail quoted in a reply): the
 * labels of a Format-List no longer start their lines, a prompt no longer
 * starts its line, and a continuation's indentation is behind a marker, so
 * no reader would know the text. Taking the markers away gives the console
 * text back, with its columns where they were, and the readers need not
 * know of them.
 *
 * Only blocks of at least two consecutive lines count, so a lone line that
 * happens to begin with '>' stays as it is. The text never grows.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "quoting.h"

/* The end of the line starting at s[i] (its '\n', or n). */
static size_t
line_end(const char *s, size_t n, size_t i)
{
	const char	*nl = memchr(s + i, '\n', n - i);

	return nl != NULL ? (size_t)(nl - s) : n;
}

/*
 * Whether the markers of the line s[i..e) are each followed by a space or
 * by the end of the line ("> > text", ">", "> >"): a line with a marker
 * directly before its text (">text", ">>text") says the block does not.
 */
static bool
markers_spaced(const char *s, size_t i, size_t e)
{
	while (i < e && s[i] == '>') {
		i++;
		if (i < e && s[i] == '\r' && i + 1 == e)
			return true;
		if (i < e && s[i] != ' ' && s[i] != '>')
			return false;
		if (i < e && s[i] == ' ')
			i++;
	}
	return true;
}

size_t
quoting_strip(char *s, size_t *len)
{
	size_t	n = *len, r = 0, w = 0, e, b, be, lines, k, unquoted = 0;
	bool	spaced;

	if (memchr(s, '>', n) == NULL)
		return 0;
	while (r < n) {
		e = line_end(s, n, r);
		if (s[r] != '>') {
			/* An unquoted line: copied as it is. */
			k = e < n ? e + 1 : n;
			memmove(s + w, s + r, k - r);
			w += k - r;
			r = k;
			continue;
		}
		/* A run of lines that begin with '>': the block. */
		spaced = true;
		lines = 0;
		for (b = r; b < n && s[b] == '>'; b = be < n ? be + 1 : n) {
			be = line_end(s, n, b);
			if (!markers_spaced(s, b, be))
				spaced = false;
			lines++;
		}
		for (; r < b; r = e < n ? e + 1 : n) {
			e = line_end(s, n, r);
			k = r;
			if (lines >= 2) {
				while (k < e && s[k] == '>') {
					k++;
					if (spaced && k < e && s[k] == ' ')
						k++;
				}
				unquoted++;
			}
			memmove(s + w, s + k, (e < n ? e + 1 : n) - k);
			w += (e < n ? e + 1 : n) - k;
		}
	}
	s[w] = '\0';
	*len = w;
	return unquoted;
}

/*
 * Terminal colour codes in console text. PowerShell 7 colours what it
 * formats: each label of Format-List and the header of Format-Table come
 * wrapped in ESC[32;1m ... ESC[0m, and some of its versions write the codes
 * into files too (Out-File, redirection, transcripts). Text copied through a
 * web form often loses the ESC and keeps "[32;1m". The codes take no room on
 * the screen, so once they are gone the labels and the columns are where the
 * console showed them, and the readers need not know of them.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "termcodes.h"

#define ESC	'\033'

/* Length of the control sequence (ESC [ parameters intermediates final) at p. */
static size_t
csi_len(const char *p, size_t n)
{
	size_t	i = 2;

	if (n < 3 || p[0] != ESC || p[1] != '[')
		return 0;
	while (i < n && p[i] >= 0x30 && p[i] <= 0x3F)
		i++;
	while (i < n && p[i] >= 0x20 && p[i] <= 0x2F)
		i++;
	return i < n && p[i] >= 0x40 && p[i] <= 0x7E ? i + 1 : 0;
}

/*
 * Length of a colour code that lost its ESC at p: "[", numbers of at most
 * three digits separated by ";", "m".
 */
static size_t
bare_colour_len(const char *p, size_t n)
{
	size_t	i = 1, digits;

	if (n < 3 || p[0] != '[')
		return 0;
	for (;;) {
		for (digits = 0; i < n && digits < 3 && p[i] >= '0' &&
		    p[i] <= '9'; digits++)
			i++;
		if (digits == 0 || i >= n)
			return 0;
		if (p[i] == 'm')
			return i + 1;
		if (p[i] != ';')
			return 0;
		i++;
	}
}

/*
 * Whether s holds a reset that lost its ESC: only then are bare codes taken
 * for colour codes, so that "[1m" in a value of plain text stays.
 */
static bool
has_bare_reset(const char *s, size_t n)
{
	const char	*p = s, *end = s + n;

	while ((p = memchr(p, '[', (size_t)(end - p))) != NULL) {
		if (end - p >= 3 && p[1] == '0' && p[2] == 'm' &&
		    (p == s || p[-1] != ESC))
			return true;
		p++;
	}
	return false;
}

size_t
termcodes_strip(char *s, size_t *len)
{
	size_t	n = *len, r = 0, w = 0, k, removed = 0;
	bool	bare, esc;

	esc = memchr(s, ESC, n) != NULL;
	bare = has_bare_reset(s, n);
	if (!esc && !bare)
		return 0;
	while (r < n) {
		k = 0;
		if (s[r] == ESC)
			k = csi_len(s + r, n - r);
		else if (bare && s[r] == '[')
			k = bare_colour_len(s + r, n - r);
		if (k > 0) {
			r += k;
			removed++;
			continue;
		}
		s[w++] = s[r++];
	}
	s[w] = '\0';
	*len = w;
	return removed;
}

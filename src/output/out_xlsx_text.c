/*
 * What a cell may hold (out_xlsx_text.h). Bundle text is never trusted: it
 * is cleaned to valid UTF-8, cut visibly to what a cell holds, and defused
 * where a spreadsheet would take it for a formula, so a value such as
 * =HYPERLINK(...) stays text. And how wide and how tall text is in a column,
 * so columns fit their content and wrapped rows are tall enough.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "out_xlsx_text.h"
#include "util/text.h"

#define TRUNC_MARK	"\xe2\x80\xa6[truncated]"
#define TRUNC_MARK_UNITS	12

/* "_xHHHH_": what Excel reads back as an escaped character. */
static bool
looks_escaped(const char *p)
{
	int	i;

	if (p[0] != '_' || p[1] != 'x')
		return false;
	for (i = 2; i < 6; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return p[6] == '_';
}

/* The UTF-16 units of the character at p (Excel counts those); its bytes. */
static size_t
char_units(const char *p, size_t *bytes)
{
	unsigned char	c = (unsigned char)*p;

	if (c < 0x80 || (c & 0xe0) == 0xc0) {
		*bytes = c < 0x80 ? 1 : 2;
		return 1;
	}
	if ((c & 0xf0) == 0xe0) {
		*bytes = 3;
		return 1;
	}
	*bytes = 4;
	return 2;
}

/*
 * Clean UTF-8 that fits in `max` characters: longer text is cut on a
 * character boundary and marked, so nobody mistakes it for the whole value.
 * With escape_x, a literal "_xHHHH_" gets its underscore escaped as
 * "_x005F", or Excel would show it as the character it encodes.
 */
char *
xlsx_text_fit(const char *s, size_t max, bool escape_x)
{
	char		*clean = utf8_clean(s, strlen(s));
	size_t		 i, n, u, total = 0, used = 0, room, escapes = 0;
	struct buf	 b;
	bool		 esc;

	for (i = 0; clean[i] != '\0'; i += n) {
		total += char_units(clean + i, &n);
		if (escape_x && clean[i] == '_' && looks_escaped(clean + i))
			escapes++;
	}
	total += 6 * escapes;
	/* Text that fits with nothing to escape, nearly all, stays as it is. */
	if (total <= max && escapes == 0)
		return clean;
	room = total <= max ? total : max - TRUNC_MARK_UNITS;
	buf_init(&b, strlen(clean) * 7 + sizeof TRUNC_MARK);
	for (i = 0; clean[i] != '\0'; i += n) {
		u = char_units(clean + i, &n);
		esc = escape_x && looks_escaped(clean + i);
		if (esc)
			u += 6;
		if (used + u > room)
			break;
		if (esc)
			buf_append(&b, "_x005F", 6);
		buf_append(&b, clean + i, n);
		used += u;
	}
	if (clean[i] != '\0')
		buf_append(&b, TRUNC_MARK, sizeof TRUNC_MARK - 1);
	free(clean);
	return buf_steal(&b, NULL);
}

static char *
cell_text(const char *s)
{
	return xlsx_text_fit(s, CELL_TEXT_MAX, true);
}

/*
 * Whether a spreadsheet could take text starting like this for a formula:
 * = + - @, a tab or a carriage return (which some importers strip before
 * looking), or the full-width = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20) that
 * some locales' input methods turn into the ASCII ones.
 */
static bool
formula_trigger(const char *s)
{
	static const char *const wide[] = {
		"\357\274\235", "\357\274\213", "\357\274\215", "\357\274\240"
	};
	size_t	i;

	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		return true;
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (strncmp(s, wide[i], 3) == 0)
			return true;
	return false;
}

/*
 * Bundle text cleaned and cut to what a cell holds, and defused: a cell
 * holding "=HYPERLINK(...)" written as a string stays text, but becomes a
 * formula as soon as someone edits it and presses Enter, or saves the sheet as
 * CSV and opens that. So such text gets a leading apostrophe character, stored
 * in the value itself: Excel and LibreOffice read a typed or imported leading
 * apostrophe as "this is text", and unlike a quote-prefix cell format (which
 * this libxlsxwriter cannot write, and which CSV export drops) the apostrophe
 * is still there in the exported CSV. The apostrophe shows, which also tells
 * the reader the value was defused.
 */
char *
xlsx_cell_text(const char *text)
{
	char	*clean, *quoted;

	clean = cell_text(text);
	if (formula_trigger(clean)) {
		quoted = xasprintf("'%s", text);
		free(clean);
		clean = cell_text(quoted);
		free(quoted);
	}
	return clean;
}

/* Items joined by `sep`; NULL when the list is empty. */
char *
xlsx_list_join(const struct strlist *l, const char *sep)
{
	size_t	 i, len = 0, seplen = strlen(sep);
	char	*s, *p;

	if (l->n == 0)
		return NULL;
	for (i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + seplen;
	p = s = xmalloc(len + 1);
	for (i = 0; i < l->n; i++) {
		if (i > 0) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, l->v[i], strlen(l->v[i]));
		p += strlen(l->v[i]);
	}
	*p = '\0';
	return s;
}

/*
 * How wide a character is, in column units (the width of "0" in the default
 * font). Calibri is proportional: narrow i, l, t; wide M, W; capitals wider
 * than digits. A monospace character is a little wider than "0".
 */
static double
char_width(unsigned char c, bool mono)
{
	if (mono)
		return 1.1;
	if (c >= 0x80)
		return 1.2;
	/* A switch, not a strchr per character: every cell is measured. */
	switch (c) {
	case 'i': case 'l': case 'j': case 't': case 'f': case 'r': case '.':
	case ',': case ';': case ':': case '\'': case '|': case '!': case 'I':
	case ' ':
		return 0.55;
	case 'm': case 'w':
		return 1.5;
	case 'M': case 'W':
		return 1.7;
	case '@': case '%':
		return 1.2;
	default:
		return c >= 'A' && c <= 'Z' ? 1.2 : 1.0;
	}
}

/*
 * The lines `text` takes in a column `width` units wide when wrapped at
 * spaces (a word wider than the column is cut, as Excel does), and the
 * widest line it would have unwrapped, for the column's fit.
 */
double
xlsx_text_lines(const char *text, double width, bool mono, double *widest)
{
	const unsigned char	*p = (const unsigned char *)text;
	double			 lines = 1, line = 0, word = 0, full = 0;
	double			 room = width > 2 ? width - 1 : 1, w;

	*widest = 0;
	for (;; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\0') {
			if (line > 0 && line + word > room) {
				lines++;
				line = 0;
			}
			line += word;
			/* A word wider than the column is cut. */
			while (line > room) {
				lines++;
				line -= room;
			}
			word = 0;
			if (*p == ' ') {
				line += char_width(' ', mono);
				full += char_width(' ', mono);
			}
			if (full > *widest)
				*widest = full;
			if (*p == '\0')
				break;
			if (*p == '\n') {
				lines++;
				line = full = 0;
			}
			continue;
		}
		/* One width per character, not per UTF-8 byte. */
		if ((*p & 0xc0) == 0x80)
			continue;
		w = char_width(*p, mono);
		word += w;
		full += w;
	}
	return lines;
}

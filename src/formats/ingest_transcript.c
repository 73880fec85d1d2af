/*
 * Error transcripts: a console capture (or an EAC error copied as text) of a
 * refused Remove-ExchangeCertificate:
 *
 *   A special Rpc error occurs on server EX01: These certificates are tagged
 *   with following Send Connectors : Outbound, Partner. Removing and
 *   replacing certificates from Send Connector would break the mail flow. ...
 *
 * The console wraps long messages, either at word boundaries or hard at the
 * buffer width (cutting words), so each paragraph is joined first and the
 * fixed phrases are matched ignoring white space.
 *
 * The width is found per command's output (between two prompt lines): the
 * widest width that two of its lines reach, since a hard-wrapped message
 * fills every line but its last. A single longer line (a paragraph of a
 * customer's note kept on one line, a long command) sets no width, so it
 * cannot hide the width of the error below it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/evidence.h"
#include "ingest.h"
#include "prompt.h"
#include "util/text.h"
#include "util/util.h"

#define PARAGRAPH_MAX	(1024 * 1024)	/* a longer run of lines is split */
#define ERROR_TEXT_MAX	1000		/* bytes of error text kept */

static const char P_TAGGED[] =
    "These certificates are tagged with following Send Connectors";
static const char P_SERVER[] = "occurs on server";
static const char P_SPECIAL[] = "A special Rpc error";
static const char P_REMOVING[] = ". Removing and replacing";
static const char P_TRY[] = "and then try";

struct tline {
	const char	*p;
	size_t		 n;
	long		 width;		/* console columns */
	long		 console;	/* the width of its block, 0 unknown */
};

struct transcript {
	struct tline	*line;
	size_t		 nlines;
};

/* A thumbprint named by a command line or a confirmation prompt. */
struct mention {
	size_t		 line;		/* 0-based */
	char		 thumbprint[41];
};

struct mentions {
	struct mention	*v;
	size_t		 n;
	size_t		 cap;
};

/* A paragraph joined into one string, with where each line begins in it. */
struct paragraph {
	struct buf	 text;
	size_t		 first;		/* 0-based index of its first line */
	size_t		*start;		/* offset of each line in text */
	size_t		 nlines;
	size_t		 cap;
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Columns a UTF-8 line takes on a console: East Asian wide characters two. */
static long
display_width(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s, *end = p + n;
	unsigned long		 cp;
	long			 w = 0;
	int			 more;

	while (p < end) {
		if (*p < 0x80) {
			w++;
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			more = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			more = 2;
		} else {
			cp = *p & 0x07;
			more = 3;
		}
		for (p++; more > 0 && p < end && (*p & 0xC0) == 0x80; more--, p++)
			cp = (cp << 6) | (*p & 0x3F);
		if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
		    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
		    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
			w += 2;
		else if (!(cp >= 0x300 && cp <= 0x36F))
			w++;
	}
	return w;
}

static int
cmp_width_desc(const void *a, const void *b)
{
	long	x = *(const long *)a, y = *(const long *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * The console width of the lines [from, to), one command's output: the
 * widest width at least two of them reach, 0 when none is shared. Set on
 * each of them.
 */
static void
block_console(struct transcript *t, size_t from, size_t to, long *tmp)
{
	size_t	i, n = 0;
	long	w = 0;

	for (i = from; i < to; i++)
		tmp[n++] = t->line[i].width;
	qsort(tmp, n, sizeof *tmp, cmp_width_desc);
	for (i = 1; i < n; i++)
		if (tmp[i] == tmp[i - 1] && tmp[i] > 0) {
			w = tmp[i];
			break;
		}
	for (i = from; i < to; i++)
		t->line[i].console = w;
}

static void
transcript_load(struct transcript *t, const char *text, size_t len)
{
	struct line_iter	 it;
	const char		*p;
	size_t			 n, cap = 0, i, from = 0;
	long			*tmp;

	memset(t, 0, sizeof *t);
	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &p, &n)) {
		t->line = xreallocarray_grow(t->line, &cap, t->nlines + 1,
		    sizeof *t->line);
		t->line[t->nlines].p = p;
		t->line[t->nlines].n = n;
		t->line[t->nlines].width = display_width(p, n);
		t->line[t->nlines].console = 0;
		t->nlines++;
	}
	tmp = xcalloc(t->nlines + 1, sizeof *tmp);
	for (i = 0; i < t->nlines; i++) {
		/* A prompt ends a block and belongs to none: its command may
		 * run past the width. */
		if (!prompt_line(t->line[i].p, t->line[i].n, NULL, NULL))
			continue;
		block_console(t, from, i, tmp);
		t->line[i].console = 0;
		from = i + 1;
	}
	block_console(t, from, t->nlines, tmp);
	free(tmp);
}

/* ------------------------------------------------------- loose matching */

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/*
 * Finds `needle` in s[from..len) ignoring case and all white space on both
 * sides, so a wrap that added or removed a space still matches. On success
 * *mstart and *mend delimit the match in s.
 */
static bool
loose_find(const char *s, size_t len, size_t from, const char *needle,
    size_t *mstart, size_t *mend)
{
	size_t		 i, j;
	const char	*q;

	for (i = from; i < len; i++) {
		if (is_space(s[i]))
			continue;
		j = i;
		q = needle;
		for (;;) {
			while (is_space(*q))
				q++;
			if (*q == '\0') {
				*mstart = i;
				*mend = j;
				return true;
			}
			while (j < len && is_space(s[j]))
				j++;
			if (j == len || lower((unsigned char)s[j]) !=
			    lower((unsigned char)*q))
				break;
			j++;
			q++;
		}
	}
	return false;
}

/* The last match of needle in s[from..to), by its start. */
static bool
loose_find_last(const char *s, size_t from, size_t to, const char *needle,
    size_t *mstart, size_t *mend)
{
	size_t	a, b;
	bool	found = false;

	while (loose_find(s, to, from, needle, &a, &b)) {
		*mstart = a;
		*mend = b;
		found = true;
		from = a + 1;
	}
	return found;
}

/* ----------------------------------------------------------- paragraphs */

static bool
starts_with_ci_trimmed(const struct tline *l, const char *prefix, const char **rest)
{
	const char	*p = l->p, *end = l->p + l->n;
	size_t		 n = strlen(prefix);

	while (p < end && is_space(*p))
		p++;
	if ((size_t)(end - p) < n || ascii_ncasecmp(p, prefix, n) != 0)
		return false;
	if (rest != NULL)
		*rest = p + n;
	return true;
}

/* Finds `word` (ASCII, case-insensitive) in a line; NULL when absent. */
static const char *
line_find(const struct tline *l, const char *word)
{
	size_t	n = strlen(word), i;

	for (i = 0; i + n <= l->n; i++)
		if (ascii_ncasecmp(l->p + i, word, n) == 0)
			return l->p + i + n;
	return NULL;
}

/* PowerShell's error trailer: "At line:1 char:1", "+ ...", "~~~~". */
static bool
is_trailer_line(const struct tline *l)
{
	const char	*p = l->p, *end = l->p + l->n;

	while (p < end && is_space(*p))
		p++;
	if (p < end && (*p == '+' || *p == '~'))
		return true;
	return starts_with_ci_trimmed(l, "At ", NULL) &&
	    line_find(l, " char:") != NULL;
}

/* Lines that end a message paragraph: blank lines, the trailer, prompts. */
static bool
is_break_line(const struct tline *l)
{
	const char	*p = l->p, *end = l->p + l->n;

	while (p < end && is_space(*p))
		p++;
	if (p == end || is_trailer_line(l))
		return true;
	if (starts_with_ci_trimmed(l, "[PS]", NULL))
		return true;
	if (starts_with_ci_trimmed(l, "PS ", NULL) && memchr(l->p, '>', l->n) != NULL)
		return true;
	return false;
}

/* Appends what fits: a line longer than the bound keeps its beginning. */
static void
paragraph_put(struct paragraph *pg, const char *p, size_t n)
{
	size_t	room = pg->text.max - pg->text.len;

	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
			n--;
	}
	buf_append(&pg->text, p, n);
}

/*
 * Joins line i after the text so far. A space separates them unless the
 * console cut a word: the previous line filled the console width (which
 * several lines reach) and neither side has white space at the cut.
 */
static void
paragraph_append(struct paragraph *pg, const struct transcript *t, size_t i)
{
	const struct tline	*l = &t->line[i], *prev;
	const char		*p = l->p;
	size_t			 n = l->n;
	bool			 hard;

	pg->start = xreallocarray_grow(pg->start, &pg->cap, pg->nlines + 1,
	    sizeof *pg->start);
	if (pg->nlines == 0) {
		pg->first = i;
		pg->start[pg->nlines++] = pg->text.len;
		paragraph_put(pg, p, n);
		return;
	}
	prev = &t->line[i - 1];
	hard = prev->console > 0 && prev->width == prev->console && prev->n > 0 &&
	    !is_space(prev->p[prev->n - 1]) && n > 0 && !is_space(p[0]);
	while (pg->text.len > 0 && is_space(pg->text.data[pg->text.len - 1]))
		pg->text.data[--pg->text.len] = '\0';
	while (n > 0 && is_space(*p)) {
		p++;
		n--;
	}
	if (!hard)
		paragraph_put(pg, " ", 1);
	pg->start[pg->nlines++] = pg->text.len;
	paragraph_put(pg, p, n);
}

static void
paragraph_reset(struct paragraph *pg)
{
	buf_reset(&pg->text);
	pg->nlines = 0;
}

static void
paragraph_free(struct paragraph *pg)
{
	buf_free(&pg->text);
	free(pg->start);
}

/* The 0-based transcript line holding paragraph offset `off`. */
static size_t
paragraph_line_of(const struct paragraph *pg, size_t off)
{
	size_t	i;

	for (i = pg->nlines; i > 1; i--)
		if (pg->start[i - 1] <= off)
			return pg->first + i - 1;
	return pg->first;
}

/* ----------------------------------------------------------- thumbprints */

static bool
is_hex_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* A 40-hex thumbprint at p (after quotes or "SERVER\"), bounded by non-hex. */
static bool
thumbprint_at(const char *p, const char *end, char out[41])
{
	const char	*q;
	size_t		 i;

	while (p < end && (is_space(*p) || *p == '"' || *p == '\''))
		p++;
	/* -Identity "EX01\<thumbprint>" */
	for (q = p; q < end && !is_space(*q) && *q != '"' && *q != '\''; q++)
		if (*q == '\\')
			p = q + 1;
	if (end - p < 40)
		return false;
	for (i = 0; i < 40; i++)
		if (!is_hex_char(p[i]))
			return false;
	if (p + 40 < end && is_hex_char(p[40]))
		return false;
	memcpy(out, p, 40);
	out[40] = '\0';
	ascii_upper(out);
	return true;
}

static void
mentions_add(struct mentions *m, size_t line, const char *tp)
{
	m->v = xreallocarray_grow(m->v, &m->cap, m->n + 1, sizeof *m->v);
	m->v[m->n].line = line;
	memcpy(m->v[m->n].thumbprint, tp, 41);
	m->n++;
}

/*
 * Thumbprints the transcript names for removal: the command line
 * (-Thumbprint X, -Identity SERVER\X) and the confirmation prompt
 * ("Remove certificate with thumbprint X from ...").
 */
static void
mentions_collect(const struct transcript *t, struct mentions *m)
{
	const struct tline	*l;
	const char		*p;
	char			 tp[41];
	size_t			 i;

	for (i = 0; i < t->nlines; i++) {
		l = &t->line[i];
		if ((p = line_find(l, "certificate with thumbprint")) != NULL &&
		    thumbprint_at(p, l->p + l->n, tp)) {
			mentions_add(m, i, tp);
			continue;
		}
		if (line_find(l, "Remove-ExchangeCertificate") == NULL)
			continue;
		if (((p = line_find(l, "-Thumbprint")) != NULL ||
		    (p = line_find(l, "-Identity")) != NULL) &&
		    p < l->p + l->n && (is_space(*p) || *p == ':') &&
		    thumbprint_at(p + 1, l->p + l->n, tp))
			mentions_add(m, i, tp);
	}
}

/*
 * The certificate an error is about: one named in the error's own trailer
 * ("+ Remove-ExchangeCertificate -Thumbprint X" after "At line:1"), else
 * the last one named before the error.
 */
static const char *
mentions_pick(const struct mentions *m, const struct transcript *t,
    size_t err_line, size_t para_end)
{
	size_t	i, j;

	for (j = para_end; j < t->nlines && is_trailer_line(&t->line[j]); j++)
		;
	for (i = 0; i < m->n; i++)
		if (m->v[i].line >= para_end && m->v[i].line < j)
			return m->v[i].thumbprint;
	for (i = m->n; i > 0; i--)
		if (m->v[i - 1].line <= err_line)
			return m->v[i - 1].thumbprint;
	return NULL;
}

/* ------------------------------------------------------------- the error */

/* "A, B; C" into the list: names may hold spaces, never ',' or ';'. */
static void
connectors_split(const char *s, size_t n, struct strlist *out)
{
	const char	*end = s + n, *q;
	char		*name;

	while (s < end) {
		for (q = s; q < end && *q != ',' && *q != ';'; q++)
			;
		name = xstrndup(s, (size_t)(q - s));
		str_trim(name);
		/* An article's "<Send connector names>" names none. */
		if (*name != '\0' && *name != '<')
			strlist_add_unique_ci(out, name);
		free(name);
		s = q < end ? q + 1 : end;
	}
}

/* The server name between "occurs on server" and ':'; NULL when absent. */
static char *
server_between(const char *s, size_t from, size_t to)
{
	struct buf	b;
	size_t		i;

	buf_init(&b, 256);
	for (i = from; i < to && s[i] != ':'; i++)
		if (!is_space(s[i]) && buf_putc(&b, s[i]) != 0)
			break;
	/* An article's "<server name>" is a placeholder, no server. */
	if (b.len == 0 || i == to || b.data[0] == '<') {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b, NULL);
}

/* Error text s[a..b), cut at a character boundary. */
static char *
error_text(const char *s, size_t a, size_t b)
{
	size_t	n = b - a;
	char	*t;

	if (n > ERROR_TEXT_MAX) {
		n = ERROR_TEXT_MAX;
		while (n > 0 && ((unsigned char)s[a + n] & 0xC0) == 0x80)
			n--;
	}
	t = xstrndup(s + a, n);
	return str_trim(t);
}

/*
 * One refusal found at `tag` (the match of P_TAGGED) in the paragraph;
 * returns where the error ends so the search can go on after it.
 */
static size_t
refusal_add(struct evidence *ev, const char *source, const struct transcript *t,
    const struct paragraph *pg, size_t from, size_t tag_start, size_t tag_end,
    const struct mentions *m, size_t para_end)
{
	const char		*s = pg->text.data;
	size_t			 len = pg->text.len, a, b, start = tag_start;
	size_t			 list_from, list_to, end;
	struct ev_symptom	 sy;
	size_t			 err_line;

	memset(&sy, 0, sizeof sy);
	sy.kind = SYMPTOM_REMOVE_CERT_REFUSED;
	if (loose_find_last(s, from, tag_start, P_SERVER, &a, &b)) {
		sy.server = server_between(s, b, tag_start);
		start = a;
		if (loose_find_last(s, from, a, P_SPECIAL, &a, &b) && b <= start)
			start = a;
	}

	/* The list runs from " : " to the ". " that starts the next sentence. */
	for (list_from = tag_end; list_from < len &&
	    (is_space(s[list_from]) || s[list_from] == ':'); list_from++)
		;
	if (loose_find(s, len, list_from, P_REMOVING, &a, &b))
		list_to = a;
	else {
		const char *dot = strstr(s + list_from, ". ");

		list_to = dot != NULL ? (size_t)(dot - s) : len;
		while (list_to > list_from && s[list_to - 1] == '.')
			list_to--;
	}
	connectors_split(s + list_from, list_to - list_from, &sy.connectors);

	/* The message ends with "... and then try again." (or "this command."). */
	end = len;
	if (loose_find(s, len, list_to, P_TRY, &a, &b)) {
		const char *dot = memchr(s + b, '.', len - b);

		if (dot != NULL)
			end = (size_t)(dot - s) + 1;
	}
	sy.text = error_text(s, start, end);

	err_line = paragraph_line_of(pg, start);
	sy.thumbprint = (char *)mentions_pick(m, t, err_line, para_end);
	sy.ref.source = (char *)source;
	sy.ref.line = (long)err_line + 1;
	evidence_add_symptom(ev, &sy);

	free(sy.server);
	free(sy.text);
	strlist_free(&sy.connectors);
	return end;
}

/* Every refusal in one paragraph; returns how many. */
static int
paragraph_scan(struct evidence *ev, const char *source, const struct transcript *t,
    const struct paragraph *pg, const struct mentions *m, size_t para_end)
{
	size_t	from = 0, a, b;
	int	n = 0;

	if (pg->nlines == 0)
		return 0;
	while (loose_find(pg->text.data, pg->text.len, from, P_TAGGED, &a, &b)) {
		from = refusal_add(ev, source, t, pg, from, a, b, m, para_end);
		if (from <= a)
			from = b;
		n++;
	}
	return n;
}

int
ingest_transcript(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct transcript	 t;
	struct mentions		 m = { NULL, 0, 0 };
	struct paragraph	 pg;
	size_t			 i;
	int			 n = 0;

	transcript_load(&t, text, len);
	mentions_collect(&t, &m);
	memset(&pg, 0, sizeof pg);
	buf_init(&pg.text, PARAGRAPH_MAX);
	for (i = 0; i < t.nlines; i++) {
		if (is_break_line(&t.line[i]) || pg.text.len + t.line[i].n + 1 >
		    PARAGRAPH_MAX) {
			n += paragraph_scan(ev, source, &t, &pg, &m, i);
			paragraph_reset(&pg);
			if (is_break_line(&t.line[i]))
				continue;
		}
		paragraph_append(&pg, &t, i);
	}
	n += paragraph_scan(ev, source, &t, &pg, &m, t.nlines);
	paragraph_free(&pg);
	free(m.v);
	free(t.line);
	return n;
}

/* ------------------------------------------------------------ detection */

/*
 * How far into a text the phrases are searched for: transcripts are small,
 * and this keeps sniffing a huge unknown text cheap. A protocol log, CliXml
 * or PEM file outbids a transcript and is never searched (formats.c).
 */
#define PHRASE_WINDOW	(8u * 1024 * 1024)
/* Fewer Format-List lines than this never outweigh a transcript phrase. */
#define TRANSCRIPT_MAX_FL_LINES	5

static bool
has_transcript_phrase(const char *s, size_t len)
{
	if (len > PHRASE_WINDOW)
		len = PHRASE_WINDOW;
	return sniff_contains(s, len, "Remove-ExchangeCertificate") ||
	    sniff_contains(s, len, "These certificates are tagged with following Send Connectors") ||
	    sniff_contains(s, len, "A special Rpc error occurs on server");
}

/*
 * An error transcript, not a dump with an error: a transcript may hold a
 * few "Label : value" lines (its own header, a short fl of one object); a
 * dump that is mostly records stays a Format-List file even when an error
 * follows it.
 */
bool
ingest_transcript_sniff(const struct sniff_text *st)
{
	int	fl_lines;

	if (!has_transcript_phrase(st->s, st->len))
		return false;
	fl_lines = ingest_fl_sniff_lines(st);
	return fl_lines < TRANSCRIPT_MAX_FL_LINES ||
	    fl_lines * 2 < st->nonblank;
}

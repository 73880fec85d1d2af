/*
 * PowerShell's default table view, as printed and as pasted (table_view.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "prompt.h"
#include "table_view.h"
#include "util/text.h"
#include "util/util.h"

/* A word of a line: where it starts, in characters and bytes. */
struct tv_word {
	size_t	col;		/* characters before it */
	size_t	off, len;	/* bytes */
};

#define TV_WORDS_MAX	256

static size_t
words_of(const char *s, size_t n, struct tv_word *w, size_t max)
{
	size_t	i = 0, col = 0, k = 0;

	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t')) {
			i++;
			col++;
		}
		if (i == n)
			break;
		if (k == max)
			return max + 1;
		w[k].col = col;
		w[k].off = i;
		while (i < n && s[i] != ' ' && s[i] != '\t') {
			if (((unsigned char)s[i] & 0xC0) != 0x80)
				col++;
			i++;
		}
		w[k].len = i - w[k].off;
		k++;
	}
	return k;
}

static bool
word_is(const char *s, const struct tv_word *w, const char *name)
{
	return strlen(name) == w->len && memcmp(s + w->off, name, w->len) == 0;
}

static bool
in_list(const char *s, const struct tv_word *w, const char *const *l)
{
	for (; l != NULL && *l != NULL; l++)
		if (word_is(s, w, *l))
			return true;
	return false;
}

/* The spec whose header the line is, or NULL. */
static const struct tv_spec *
header_of(const char *s, size_t n, const struct tv_spec *specs, size_t nspecs,
    struct tv_word *w, size_t *nw)
{
	const char *const	*r;
	size_t			 i, j, k;
	bool			 ok;

	*nw = words_of(s, n, w, TV_COLS_MAX);
	if (*nw < 2 || *nw > TV_COLS_MAX)
		return NULL;
	for (i = 0; i < nspecs; i++) {
		if (!word_is(s, &w[0], specs[i].first))
			continue;
		ok = true;
		for (j = 0; ok && j < *nw; j++)
			ok = in_list(s, &w[j], specs[i].allowed);
		for (r = specs[i].required; ok && *r != NULL; r++) {
			for (k = 0; k < *nw && !word_is(s, &w[k], *r); k++)
				;
			ok = k < *nw;
		}
		if (ok)
			return &specs[i];
	}
	return NULL;
}

bool
tv_has_header(const char *const *lines, const size_t *lens, size_t n,
    const struct tv_spec *specs, size_t nspecs)
{
	struct tv_word	w[TV_COLS_MAX + 1];
	size_t		i, nw;

	for (i = 0; i < n; i++)
		if (header_of(lines[i], lens[i], specs, nspecs, w, &nw) != NULL)
			return true;
	return false;
}

static bool
is_dashes(const char *s, size_t n)
{
	bool	any = false;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] == '-')
			any = true;
		else if (s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return any;
}

static bool
is_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static struct tv_table *
table_new(struct tv_doc *doc, const struct tv_spec *spec, const char *s,
    const struct tv_word *w, size_t nw, long line, const char *command)
{
	struct tv_table	*t;
	size_t		 i;

	doc->tables = xreallocarray_grow(doc->tables, &doc->cap,
	    doc->ntables + 1, sizeof *doc->tables);
	t = &doc->tables[doc->ntables++];
	memset(t, 0, sizeof *t);
	t->spec = spec;
	t->ncols = nw;
	for (i = 0; i < nw; i++) {
		t->names[i] = xstrndup(s + w[i].off, w[i].len);
		t->starts[i] = w[i].col;
	}
	t->header_line = line;
	t->command = command != NULL ? xstrdup(command) : NULL;
	return t;
}

static bool
ends_cut(const char *v)
{
	size_t	n = strlen(v);

	return (n >= 3 && memcmp(v + n - 3, "...", 3) == 0) ||
	    (n >= 3 && memcmp(v + n - 3, "\xE2\x80\xA6", 3) == 0);
}

/*
 * The row's words into the columns. False when the line is no row of the
 * table: nothing under the first column, or nothing else.
 */
static bool
row_split(const struct tv_table *t, const char *s, size_t n, long line,
    struct tv_row *row)
{
	struct tv_word	 w[TV_WORDS_MAX + 1];
	size_t		 nw, i, k, first[TV_COLS_MAX], last[TV_COLS_MAX];
	bool		 have[TV_COLS_MAX] = { false };
	size_t		 filled = 0;

	memset(row, 0, sizeof *row);
	row->line = line;
	nw = words_of(s, n, w, TV_WORDS_MAX);
	if (nw == 0 || nw > TV_WORDS_MAX || w[0].col > t->starts[0] + 1)
		return false;
	for (i = 0; i < nw; i++) {
		for (k = t->ncols - 1; k > 0 && t->starts[k] > w[i].col + 1; k--)
			;
		if (!have[k]) {
			have[k] = true;
			first[k] = i;
			filled++;
		}
		last[k] = i;
		/* The last column takes the rest of the line. */
		if (k == t->ncols - 1) {
			last[k] = nw - 1;
			break;
		}
	}
	if (!have[0] || (t->ncols > 1 && filled < 2))
		return false;
	/*
	 * As many words as columns, but one column took two and another none:
	 * a paste that re-spaced the row (a cut value shorter than its column
	 * pulls the rest left). Each word is its column's, in order.
	 */
	if (nw == t->ncols && filled < t->ncols) {
		for (k = 0; k < t->ncols; k++) {
			have[k] = true;
			first[k] = last[k] = k;
		}
		row->respaced = true;
	}
	for (k = 0; k < t->ncols; k++) {
		if (!have[k])
			continue;
		row->cells[k] = xstrndup(s + w[first[k]].off, w[last[k]].off +
		    w[last[k]].len - w[first[k]].off);
		row->cut[k] = ends_cut(row->cells[k]);
	}
	return true;
}

static void
row_add(struct tv_table *t, const struct tv_row *row)
{
	t->rows = xreallocarray_grow(t->rows, &t->rows_cap, t->nrows + 1,
	    sizeof *t->rows);
	t->rows[t->nrows++] = *row;
}

static void
row_free(struct tv_row *row)
{
	size_t	k;

	for (k = 0; k < TV_COLS_MAX; k++)
		free(row->cells[k]);
}

void
tv_parse(const char *text, size_t len, const struct tv_spec *specs, size_t n,
    struct tv_doc *doc)
{
	struct line_iter	 it;
	struct tv_word		 w[TV_COLS_MAX + 1];
	const struct tv_spec	*spec;
	struct tv_table		*t = NULL;
	struct tv_row		 row;
	const char		*s, *cmd;
	char			*command = NULL;
	size_t			 ln, nw, cmd_len;
	bool			 after_blank = false, expect_dashes = false;

	memset(doc, 0, sizeof *doc);
	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &s, &ln)) {
		if (prompt_line(s, ln, &cmd, &cmd_len)) {
			t = NULL;
			free(command);
			command = cmd_len > 0 ? xstrndup(cmd, cmd_len) : NULL;
			continue;
		}
		if (is_blank(s, ln)) {
			after_blank = true;
			continue;
		}
		if ((spec = header_of(s, ln, specs, n, w, &nw)) != NULL) {
			t = table_new(doc, spec, s, w, nw, it.lineno, command);
			expect_dashes = true;
			after_blank = false;
			continue;
		}
		if (t == NULL)
			continue;
		if (expect_dashes && is_dashes(s, ln)) {
			t->dashes = true;
			expect_dashes = false;
			continue;
		}
		expect_dashes = false;
		if (row_split(t, s, ln, it.lineno, &row))
			row_add(t, &row);
		else if (after_blank)
			t = NULL;	/* text after the table */
		else if (t->bad++ == 0)
			t->first_bad = it.lineno;
		after_blank = false;
	}
	free(command);
}

void
tv_doc_free(struct tv_doc *doc)
{
	size_t	i, k;

	for (i = 0; i < doc->ntables; i++) {
		for (k = 0; k < doc->tables[i].ncols; k++)
			free(doc->tables[i].names[k]);
		for (k = 0; k < doc->tables[i].nrows; k++)
			row_free(&doc->tables[i].rows[k]);
		free(doc->tables[i].rows);
		free(doc->tables[i].command);
	}
	free(doc->tables);
	memset(doc, 0, sizeof *doc);
}

int
tv_col(const struct tv_table *t, const char *name)
{
	size_t	k;

	for (k = 0; k < t->ncols; k++)
		if (strcmp(t->names[k], name) == 0)
			return (int)k;
	return -1;
}

/*
 * Format-List records.
 *
 * PowerShell prints each property as "Label<padding> : value" and wraps a
 * long value onto continuation lines indented to the value column. It wraps
 * at word boundaries when it can (the line then ends with the space after
 * the word) and cuts mid-word at the output width when it cannot. So a
 * continuation is joined directly when the previous physical line reached
 * the output width (a hard cut), and with one space otherwise.
 *
 * The width is that of one command's output: the longest Format-List line
 * (label or continuation) between two console prompts. A ticket or a mail
 * holds prose around the output, a paragraph often on one line far longer
 * than the console, and several commands' outputs, perhaps from consoles
 * of different widths: none of that says where this output was cut.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl.h"
#include "prompt.h"
#include "util/parse_diag.h"
#include "util/text.h"

#define FL_LABEL_MAX	256

struct fl_parser {
	struct parse_diag	*pd;
	struct fl_doc	*doc;
	struct fl_record *rec;		/* open record, or NULL */
	struct fl_field	*field;		/* open field, or NULL */
	struct buf	 value;		/* the open field's raw value */
	size_t		 value_col;	/* where its value starts on the label line */
	size_t		 last_len;	/* characters in its last physical line */
	char		*command;	/* of the last prompt line, NULL none */
	size_t		*widths;	/* the output width of each block */
	size_t		 nwidths;
	size_t		 block;		/* the block being read: prompts seen */
	long		 strays;	/* labels written with a stray colon */
	long		 first_stray;
	char		 stray_label[64];
};

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static size_t
char_count(const char *s, size_t n)
{
	size_t	i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static bool
line_is_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!is_ws(s[i]))
			return false;
	return true;
}

/*
 * A colon typed after the label as well as before the value
 * ("Status:      : Retry"), at s[i]: the label ends there, the value after
 * the separator further on.
 */
static bool
stray_colon(const char *s, size_t n, size_t i, size_t *value_off)
{
	size_t	j;

	if (i == 0 || is_ws(s[i - 1]))
		return false;
	for (j = i + 1; j < n && is_ws(s[j]); j++)
		;
	if (j == i + 1 || j >= n || s[j] != ':' || (j + 1 < n && s[j + 1] != ' '))
		return false;
	*value_off = j + 1 < n ? j + 2 : n;
	return true;
}

/*
 * Splits "Label   : value" (or "Label : value", or "Label :" for an empty
 * value). A colon before the separator means it is not a label line, unless
 * it is a stray one right after the label (*stray says so).
 */
static bool
label_split(const char *s, size_t n, size_t *label_len, size_t *value_off,
    bool *stray)
{
	size_t	i, l;

	*stray = false;
	for (i = 0; i + 1 < n && i <= FL_LABEL_MAX; i++) {
		if (s[i] == ':') {
			if (!stray_colon(s, n, i, value_off))
				return false;
			*label_len = i;
			*stray = true;
			return true;
		}
		if (s[i] != ' ' || s[i + 1] != ':')
			continue;
		if (i + 2 < n && s[i + 2] != ' ')
			continue;
		for (l = i; l > 0 && is_ws(s[l - 1]); l--)
			;
		if (l == 0)
			return false;
		*label_len = l;
		*value_off = i + 2 < n ? i + 3 : n;
		return true;
	}
	return false;
}

/* "{a, b, c, d...}" into items; a trailing "..." means PowerShell cut it. */
static void
field_split_list(struct fl_field *f)
{
	size_t		 n = strlen(f->value), len;
	char		*inner, *p, *q, *item;

	if (n < 2 || f->value[0] != '{' || f->value[n - 1] != '}')
		return;
	f->is_list = true;
	inner = xstrndup(f->value + 1, n - 2);
	str_trim(inner);
	len = strlen(inner);
	if (len >= 3 && strcmp(inner + len - 3, "...") == 0) {
		f->truncated = true;
		inner[len - 3] = '\0';
	}
	for (p = inner; *p != '\0'; p = q) {
		q = strstr(p, ", ");
		if (q == NULL)
			q = p + strlen(p);
		item = str_trim(xstrndup(p, (size_t)(q - p)));
		if (*item != '\0')
			strlist_add(&f->items, item);
		free(item);
		if (*q != '\0')
			q += 2;
	}
	free(inner);
}

static void
parser_close_field(struct fl_parser *ps)
{
	struct fl_field	*f = ps->field;

	if (f == NULL)
		return;
	f->value = str_trim(buf_steal(&ps->value, NULL));
	field_split_list(f);
	ps->field = NULL;
}

static void
parser_close_record(struct fl_parser *ps)
{
	parser_close_field(ps);
	ps->rec = NULL;
}

/*
 * Real records have well under a hundred properties; looking further would
 * make a hostile file of unique labels quadratic.
 */
#define FL_DUP_CHECK_MAX	256

static bool
record_has_label(const struct fl_record *r, const char *label, size_t n)
{
	size_t	i;

	for (i = 0; i < r->nfields && i < FL_DUP_CHECK_MAX; i++)
		if (strlen(r->fields[i].label) == n &&
		    ascii_ncasecmp(r->fields[i].label, label, n) == 0)
			return true;
	return false;
}

static void
parser_report_overlong(struct fl_parser *ps, const struct fl_field *f)
{
	parse_problem(ps->pd, DIAG_WARNING, f->line, "%s is longer than %u bytes; "
	    "cut", f->label, FL_VALUE_MAX);
}

static void
parser_open_field(struct fl_parser *ps, const char *label, size_t label_len,
    const char *value, size_t value_len, size_t value_col, size_t phys_len,
    long lineno)
{
	struct fl_doc	*doc = ps->doc;
	struct fl_record *r;
	struct fl_field	*f;

	parser_close_field(ps);
	/*
	 * PowerShell never prints a property twice in one record: a repeated
	 * label is the next record with its separating blank line lost.
	 */
	if (ps->rec != NULL && record_has_label(ps->rec, label, label_len))
		ps->rec = NULL;
	if (ps->rec == NULL) {
		doc->records = xreallocarray_grow(doc->records,
		    &doc->records_cap, doc->nrecords + 1, sizeof *doc->records);
		r = &doc->records[doc->nrecords++];
		memset(r, 0, sizeof *r);
		r->line = lineno;
		r->command = ps->command != NULL ? xstrdup(ps->command) : NULL;
		ps->rec = r;
	}
	r = ps->rec;
	r->fields = xreallocarray_grow(r->fields, &r->fields_cap,
	    r->nfields + 1, sizeof *r->fields);
	f = &r->fields[r->nfields++];
	memset(f, 0, sizeof *f);
	f->label = xstrndup(label, label_len);
	f->line = lineno;
	ps->field = f;
	buf_init(&ps->value, FL_VALUE_MAX);
	if (buf_append(&ps->value, value, value_len) != 0) {
		f->overlong = true;
		parser_report_overlong(ps, f);
	}
	ps->value_col = value_col;
	ps->last_len = phys_len;
}

static bool
buf_ends_ws(const struct buf *b)
{
	return b->len > 0 && is_ws(b->data[b->len - 1]);
}

static void
buf_rtrim(struct buf *b)
{
	while (b->len > 0 && is_ws(b->data[b->len - 1]))
		b->data[--b->len] = '\0';
}

static void
parser_continue_field(struct fl_parser *ps, const char *s, size_t n)
{
	struct fl_field	*f = ps->field;
	size_t		 indent, i;
	bool		 hard;
	int		 rc = 0;

	hard = ps->last_len >= ps->widths[ps->block];
	ps->last_len = char_count(s, n);
	if (f->overlong)
		return;
	for (indent = 0; indent < n && is_ws(s[indent]); indent++)
		;
	if (hard && !buf_ends_ws(&ps->value)) {
		/* Cut mid-word: drop only the indentation PowerShell added. */
		i = indent < ps->value_col ? indent : ps->value_col;
		rc = buf_append(&ps->value, s + i, n - i);
	} else {
		buf_rtrim(&ps->value);
		if (ps->value.len > 0)
			rc = buf_putc(&ps->value, ' ');
		if (rc == 0)
			rc = buf_append(&ps->value, s + indent, n - indent);
	}
	if (rc != 0) {
		f->overlong = true;
		parser_report_overlong(ps, f);
	}
}

static void
parser_skip_line(struct fl_parser *ps, long lineno)
{
	if (ps->doc->nskipped++ == 0)
		ps->doc->first_skipped = lineno;
}

/* A prompt line: what follows is the output of its command. */
static void
parser_prompt(struct fl_parser *ps, const char *cmd, size_t cmd_len)
{
	parser_close_record(ps);
	if (ps->block + 1 < ps->nwidths)
		ps->block++;
	free(ps->command);
	ps->command = cmd_len > 0 ? xstrndup(cmd, cmd_len) : NULL;
}

static void
parser_note_stray(struct fl_parser *ps, const char *label, size_t len,
    long lineno)
{
	if (ps->strays++ > 0)
		return;
	ps->first_stray = lineno;
	snprintf(ps->stray_label, sizeof ps->stray_label, "%.*s",
	    (int)(len < 40 ? len : 40), label);
}

static void
parser_line(struct fl_parser *ps, const char *s, size_t n, long lineno)
{
	size_t		 indent, label_len, value_off, phys_len, cmd_len;
	const char	*cmd;
	bool		 stray;

	if (line_is_blank(s, n)) {
		parser_close_record(ps);
		return;
	}
	if (prompt_line(s, n, &cmd, &cmd_len)) {
		parser_prompt(ps, cmd, cmd_len);
		return;
	}
	phys_len = char_count(s, n);
	for (indent = 0; indent < n && is_ws(s[indent]); indent++)
		;
	if (indent > 0 && ps->field != NULL) {
		parser_continue_field(ps, s, n);
		return;
	}
	if (!label_split(s + indent, n - indent, &label_len, &value_off,
	    &stray)) {
		parser_skip_line(ps, lineno);
		return;
	}
	if (stray)
		parser_note_stray(ps, s + indent, label_len, lineno);
	parser_open_field(ps, s + indent, label_len, s + indent + value_off,
	    n - indent - value_off, indent + value_off, phys_len, lineno);
}

/*
 * The output width of each block of the text (what comes before the first
 * prompt line, then after each prompt): its longest line of Format-List,
 * a label line or a continuation of a field as parser_line() will take
 * them. A prompt line, whose command may run past the width, and a line of
 * anything else (prose, an error) are not counted. Returns the number of
 * blocks; *widest is the widest of them.
 */
static size_t
block_widths(const char *text, size_t len, size_t **widths, size_t *widest)
{
	struct line_iter	 it;
	const char		*s;
	size_t			 n, c, indent, label_len, value_off, cap = 0;
	size_t			 nblocks = 1;
	bool			 field = false, stray;

	*widths = xreallocarray_grow(NULL, &cap, 1, sizeof **widths);
	(*widths)[0] = 0;
	*widest = 0;
	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &s, &n)) {
		if (line_is_blank(s, n)) {
			field = false;
			continue;
		}
		if (prompt_line(s, n, NULL, NULL)) {
			*widths = xreallocarray_grow(*widths, &cap, nblocks + 1,
			    sizeof **widths);
			(*widths)[nblocks++] = 0;
			field = false;
			continue;
		}
		for (indent = 0; indent < n && is_ws(s[indent]); indent++)
			;
		if (!(indent > 0 && field)) {
			if (!label_split(s + indent, n - indent, &label_len,
			    &value_off, &stray))
				continue;
			field = true;
		}
		c = char_count(s, n);
		if (c > (*widths)[nblocks - 1])
			(*widths)[nblocks - 1] = c;
		if (c > *widest)
			*widest = c;
	}
	return nblocks;
}

void
fl_parse(const char *text, size_t len, struct fl_doc *doc,
    struct parse_diag *pd)
{
	struct fl_parser	 ps;
	struct line_iter	 it;
	const char		*s;
	size_t			 n;

	memset(doc, 0, sizeof *doc);
	memset(&ps, 0, sizeof ps);
	ps.doc = doc;
	ps.pd = pd;
	buf_init(&ps.value, FL_VALUE_MAX);
	ps.nwidths = block_widths(text, len, &ps.widths, &doc->max_line_len);
	line_iter_init(&it, text, len);
	while (line_iter_next(&it, &s, &n))
		parser_line(&ps, s, n, it.lineno);
	parser_close_record(&ps);
	buf_free(&ps.value);
	free(ps.command);
	free(ps.widths);
	if (ps.strays > 0)
		parse_problem(pd, DIAG_INFO, ps.first_stray, "%ld label(s) written "
		    "with a stray colon (\"%s:  :\") read without it",
		    ps.strays, ps.stray_label);
	if (doc->nskipped > 0)
		parse_problem(pd, DIAG_INFO, 0, "%ld line(s) not in Format-List "
		    "form ignored (first at line %ld)", doc->nskipped,
		    doc->first_skipped);
}

void
fl_doc_free(struct fl_doc *doc)
{
	size_t		 i, j;
	struct fl_record *r;

	for (i = 0; i < doc->nrecords; i++) {
		r = &doc->records[i];
		for (j = 0; j < r->nfields; j++) {
			free(r->fields[j].label);
			free(r->fields[j].value);
			strlist_free(&r->fields[j].items);
		}
		free(r->fields);
		free(r->command);
	}
	free(doc->records);
	memset(doc, 0, sizeof *doc);
}

const struct fl_field *
fl_record_field(const struct fl_record *r, const char *label)
{
	size_t	i;

	for (i = 0; i < r->nfields; i++)
		if (ascii_casecmp(r->fields[i].label, label) == 0)
			return &r->fields[i];
	return NULL;
}

const char *
fl_record_value(const struct fl_record *r, const char *label)
{
	const struct fl_field	*f = fl_record_field(r, label);

	return f == NULL ? NULL : f->value;
}

bool
fl_record_has(const struct fl_record *r, const char *label)
{
	const char	*v = fl_record_value(r, label);

	return v != NULL && *v != '\0';
}

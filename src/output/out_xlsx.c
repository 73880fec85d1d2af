/*
 * report.xlsx: the same report as tables an engineer can filter and sort.
 * One sheet per kind of fact, each a plain range with a bold header row, an
 * autofilter and frozen panes (not Excel tables, which libxlsxwriter cannot
 * write in constant-memory mode and which add nothing here).
 *
 * Presentation is measured, not guessed per sheet: every text cell goes
 * through sheet_write_text, which notes how wide its column must be and how
 * many lines its row needs, so columns fit their content (up to the width a
 * column allows) and wrapped rows are tall enough that no text overlaps, in
 * Excel or LibreOffice (which do not grow rows written with a height).
 * Commands, thumbprints and hashes are in a monospace font; dates are real
 * date cells, blank when unknown.
 *
 * Bundle text is never trusted: every string goes through
 * sheet_write_text, which cleans it to valid UTF-8, truncates it visibly to
 * what a cell holds, defuses what a spreadsheet would take for a formula and
 * writes it with worksheet_write_string, so a value such as =HYPERLINK(...)
 * stays text. Sheet names are fixed; no evidence text ever names one.
 *
 * The file is deterministic: the document's created time is the as-of time,
 * which libxlsxwriter also uses in place of the wall clock.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "columns.h"
#include "util/datetime.h"
#include "html_writer.h"
#include "formats/protolog/protolog.h"
#include "model/kinds/kinds.h"
#include "report.h"
#include "summary.h"
#include "rules/verdict.h"
#include "util/parse_diag.h"
#include "util/text.h"

/* Excel's limit for the text of one cell, in characters. */
#define CELL_TEXT_MAX	32767
#define TRUNC_MARK	"\xe2\x80\xa6[truncated]"
#define TRUNC_MARK_UNITS	12
/* Document properties are short labels. */
#define PROP_TEXT_MAX	255
/* 1980-01-01T00:00:00Z: the created time when the as-of time is unknown. */
#define FALLBACK_CREATED	315532800
/* Excel's 1900 date system: day 25569 is 1970-01-01. */
#define EXCEL_EPOCH_DAYS	25569.0
#define EXCEL_FIRST_TIME	INT64_C(-2203891200)	/* 1900-03-01 */
/* 9999-12-31T23:59:59 */
#define EXCEL_LAST_TIME		INT64_C(253402300799)
/* Points per line of the default font (Calibri 11), and the most a row holds. */
#define LINE_POINTS		15.0
#define ROW_MAX_POINTS		409.0
/* Columns a sheet may have, and the widest an unwrapped column may grow. */
#define SHEET_MAX_COLS		32
#define NOWRAP_MAX_WIDTH	80.0
/* Days before expiry that a certificate date is shaded as close. */
#define EXPIRY_SOON_DAYS	30

struct xlsx {
	lxw_workbook	*wb;
	lxw_format	*head;		/* header row */
	lxw_format	*key;		/* labels on the Summary sheet */
	lxw_format	*top;		/* ordinary cells, top-aligned */
	lxw_format	*wrap;		/* long text */
	lxw_format	*mono;		/* identifiers: thumbprints, hashes */
	lxw_format	*mono_wrap;	/* commands */
	lxw_format	*date;
	lxw_format	*day;		/* the timeline's day buckets */
	lxw_format	*hour;		/* and its hour buckets */
	lxw_format	*sev[5];	/* conditional fills, by enum severity */
	lxw_format	*expired, *expiring;
	lxw_format	*title;		/* the Summary's title */
	lxw_format	*link;		/* internal hyperlinks */
	lxw_format	*good;		/* "No problem found" */
	lxw_format	*num;		/* plain counts on the Summary */
	lxw_error	 err;		/* the first failed write */
};

/*
 * width: the most the column grows to. style (columns.h): COL_WRAP, longer
 * text wraps in it; COL_MONO, commands and identifiers in a monospace
 * font.
 */
struct sheet_col {
	const char	*name;
	double		 width;
	unsigned	 style;
};

/* A sheet being filled row by row, cell by cell. */
struct sheet {
	struct xlsx		*x;
	lxw_worksheet		*ws;
	const struct sheet_col	*cols;
	lxw_col_t		 ncols;
	lxw_row_t		 row;
	lxw_col_t		 col;
	long			 dropped;	/* rows past the limit */
	double			 fit[SHEET_MAX_COLS];	/* widest content */
	double			 lines;		/* the current row needs */
};

static void
xlsx_check(struct xlsx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = e;
}

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
static char *
text_fit(const char *s, size_t max, bool escape_x)
{
	char		*clean = utf8_clean(s, strlen(s));
	size_t		 i, n, u, total = 0, used = 0, room;
	struct buf	 b;
	bool		 esc;

	for (i = 0; clean[i] != '\0'; i += n)
		total += char_units(clean + i, &n) +
		    (escape_x && looks_escaped(clean + i) ? 6 : 0);
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
	return text_fit(s, CELL_TEXT_MAX, true);
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
static char *
cell_text_defused(const char *text)
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
static char *
list_join(const struct strlist *l, const char *sep)
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

/* ---------------------------------------------------------- measuring */

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
	if (strchr("iljtfr.,;:'|!I ", c) != NULL)
		return 0.55;
	if (c == 'm' || c == 'w')
		return 1.5;
	if (c == 'M' || c == 'W')
		return 1.7;
	if (isupper(c) || c == '@' || c == '%')
		return 1.2;
	return 1.0;
}

/*
 * The lines `text` takes in a column `width` units wide when wrapped at
 * spaces (a word wider than the column is cut, as Excel does), and the
 * widest line it would have unwrapped, for the column's fit.
 */
static double
text_lines(const char *text, double width, bool mono, double *widest)
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

/* --------------------------------------------------------------- sheets */

/* Notes what a cell's text needs: its column's width, its row's lines. */
static void
sheet_measure(struct sheet *s, lxw_col_t col, const char *text, bool head)
{
	const struct sheet_col	*c;
	double			 widest, lines;

	if (s->cols == NULL || col >= s->ncols || col >= SHEET_MAX_COLS)
		return;
	c = &s->cols[col];
	lines = text_lines(text, c->style & COL_WRAP ? c->width : 1e9,
	    (c->style & COL_MONO) && !head, &widest);
	if (head)
		widest *= 1.1;		/* bold */
	if (widest > s->fit[col])
		s->fit[col] = widest;
	if (lines > s->lines)
		s->lines = lines;
}

/*
 * Every string of the workbook is written here, and only here: labels,
 * headers and notes as well as bundle text, cleaned, cut to what a cell
 * holds and defused (cell_text_defused), written as a string, never as a
 * formula.
 */
static void
sheet_write_text(struct sheet *s, lxw_row_t row, lxw_col_t col,
    const char *text, lxw_format *f)
{
	char	*clean;

	if (s->ws == NULL || text == NULL || text[0] == '\0')
		return;
	clean = cell_text_defused(text);
	sheet_measure(s, col, clean, f == s->x->head);
	xlsx_check(s->x, worksheet_write_string(s->ws, row, col, clean, f));
	free(clean);
}

static void
sheet_begin(struct sheet *s, struct xlsx *x, const char *name,
    const struct sheet_col *cols, lxw_col_t ncols, lxw_col_t freeze_cols)
{
	lxw_col_t	c;

	memset(s, 0, sizeof *s);
	s->x = x;
	s->cols = cols;
	s->ncols = ncols;
	s->ws = workbook_add_worksheet(x->wb, name);
	if (s->ws == NULL) {
		xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (c = 0; c < ncols; c++)
		sheet_write_text(s, 0, c, cols[c].name, x->head);
	s->lines = 0;
	worksheet_freeze_panes(s->ws, 1, freeze_cols);
	worksheet_set_landscape(s->ws);
	worksheet_fit_to_pages(s->ws, 1, 0);
	xlsx_check(x, worksheet_repeat_rows(s->ws, 0, 0));
	s->row = 1;
}

/* The format for the current cell: its column's, or a number's. */
static lxw_format *
sheet_format(const struct sheet *s)
{
	const struct sheet_col	*c;

	if (s->cols == NULL || s->col >= s->ncols)
		return s->x->top;
	c = &s->cols[s->col];
	if (c->style & COL_MONO)
		return c->style & COL_WRAP ? s->x->mono_wrap : s->x->mono;
	return c->style & COL_WRAP ? s->x->wrap : s->x->top;
}

/* True when the current row can be written (the sheet is not full). */
static bool
sheet_writable(struct sheet *s)
{
	return s->ws != NULL && s->row < LXW_ROW_MAX - 1;
}

static void
sheet_str(struct sheet *s, const char *text)
{
	if (sheet_writable(s))
		sheet_write_text(s, s->row, s->col, text, sheet_format(s));
	s->col++;
}

/* A string that may be unknown. */
static void
sheet_value(struct sheet *s, const char *text)
{
	sheet_str(s, text != NULL ? text : "unknown");
}

static void
sheet_num(struct sheet *s, double n)
{
	char	digits[32];

	if (sheet_writable(s)) {
		snprintf(digits, sizeof digits, "%.15g", n);
		sheet_measure(s, s->col, digits, false);
		xlsx_check(s->x, worksheet_write_number(s->ws, s->row, s->col,
		    n, s->x->top));
	}
	s->col++;
}

/* A count that is -1 when unknown. */
static void
sheet_long(struct sheet *s, long n)
{
	if (n < 0)
		sheet_str(s, "unknown");
	else
		sheet_num(s, (double)n);
}

static double
excel_date(int64_t t)
{
	return EXCEL_EPOCH_DAYS + (double)t / 86400.0;
}

/*
 * A real date cell; blank when unknown (a date column holds dates only).
 * Only a time Excel cannot show (before 1900-03-01) stays ISO text.
 */
static void
sheet_time_as(struct sheet *s, int64_t t, lxw_format *fmt, const char *shape)
{
	char	iso[32];

	if (t == TIME_UNKNOWN) {
		sheet_str(s, NULL);
		return;
	}
	if (t < EXCEL_FIRST_TIME || t > EXCEL_LAST_TIME) {
		time_text(t, iso, sizeof iso);
		sheet_str(s, iso);
		return;
	}
	if (sheet_writable(s)) {
		sheet_measure(s, s->col, shape, false);
		xlsx_check(s->x, worksheet_write_number(s->ws, s->row, s->col,
		    excel_date(t), fmt));
	}
	s->col++;
}

static void
sheet_time(struct sheet *s, int64_t t)
{
	sheet_time_as(s, t, s->x->date, "2026-11-10 08:51:12");
}

static void
sheet_tri(struct sheet *s, tri_t t)
{
	sheet_str(s, tri_text(t));
}

static void
sheet_list(struct sheet *s, const struct strlist *l, const char *sep)
{
	char	*joined = list_join(l, sep);

	sheet_str(s, joined);
	free(joined);
}

/*
 * A list the export may not have carried (`unknown` says so), or may have
 * cut short.
 */
static void
sheet_known_list(struct sheet *s, const struct strlist *l, bool known,
    bool incomplete, const char *sep, const char *unknown)
{
	char	*joined, *marked;

	if (!known) {
		sheet_str(s, unknown);
		return;
	}
	joined = list_join(l, sep);
	if (joined == NULL) {
		sheet_str(s, "none");
		return;
	}
	if (incomplete) {
		marked = xasprintf("%s \xe2\x80\xa6(list cut in export)",
		    joined);
		sheet_str(s, marked);
		free(marked);
	} else
		sheet_str(s, joined);
	free(joined);
}

/* A row whose wrapped text needs more than one line is made that tall. */
static void
sheet_row_end(struct sheet *s)
{
	double	points = s->lines * LINE_POINTS;

	if (sheet_writable(s)) {
		if (s->lines > 1)
			xlsx_check(s->x, worksheet_set_row(s->ws, s->row,
			    points < ROW_MAX_POINTS ? points : ROW_MAX_POINTS,
			    NULL));
		s->row++;
	} else
		s->dropped++;
	s->col = 0;
	s->lines = 0;
}

/* Each column as wide as its widest text, within what the column allows. */
static void
sheet_fit_columns(struct sheet *s)
{
	lxw_col_t	c;
	double		w, most;

	for (c = 0; c < s->ncols && c < SHEET_MAX_COLS; c++) {
		most = s->cols[c].style & COL_WRAP ? s->cols[c].width :
		    NOWRAP_MAX_WIDTH;
		w = s->fit[c] + 1.5;
		if (w > most)
			w = most;
		if (w < 6)
			w = 6;
		xlsx_check(s->x, worksheet_set_column(s->ws, c, c, w, NULL));
	}
}

static void
sheet_end(struct sheet *s)
{
	char	*note;

	if (s->ws == NULL)
		return;
	if (s->dropped > 0) {
		/* The one row kept free for this: nothing vanishes silently. */
		note = xasprintf("%ld more rows do not fit in a worksheet; "
		    "findings.json has them all", s->dropped);
		sheet_write_text(s, s->row, 0, note, s->x->top);
		free(note);
	}
	sheet_fit_columns(s);
	xlsx_check(s->x, worksheet_autofilter(s->ws, 0, 0,
	    s->row > 1 ? s->row - 1 : 0, s->ncols - 1));
}

#define NCOLS(a)	((lxw_col_t)(sizeof (a) / sizeof (a)[0]))

/* -------------------------------------------------------------- Summary */

static void
summary_str(struct sheet *s, const char *label, const char *value)
{
	if (sheet_writable(s))
		sheet_write_text(s, s->row, 0, label, s->x->key);
	s->col = 1;
	sheet_str(s, value);
	sheet_row_end(s);
}

static void
summary_num(struct sheet *s, const char *label, long n)
{
	if (sheet_writable(s))
		sheet_write_text(s, s->row, 0, label, s->x->key);
	s->col = 1;
	sheet_long(s, n);
	sheet_row_end(s);
}

static void
summary_time(struct sheet *s, const char *label, int64_t t)
{
	if (sheet_writable(s))
		sheet_write_text(s, s->row, 0, label, s->x->key);
	s->col = 1;
	sheet_time(s, t);
	sheet_row_end(s);
}

static const char *
given(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "not given";
}

/* Excel's row (0-based) of a finding's first evidence or step row. */
static lxw_row_t
first_row_of(const struct findings *fs, size_t idx, bool evidence)
{
	lxw_row_t	row = 1;
	size_t		i;

	for (i = 0; i < idx; i++)
		row += (lxw_row_t)(evidence ? fs->v[i].nevidence :
		    fs->v[i].nremediation);
	return row;
}

/*
 * An internal link to a cell of another sheet. The text is the program's
 * own ("3 samples", "F1"), never bundle text, and the target names a sheet
 * by its fixed name.
 */
static void
sheet_link(struct sheet *s, const char *sheet, lxw_row_t row,
    lxw_col_t col, const char *text)
{
	char	url[96];

	if (sheet_writable(s) && row < LXW_ROW_MAX - 1) {
		snprintf(url, sizeof url, "internal:'%s'!%c%u", sheet,
		    'A' + (char)col, (unsigned)row + 1);
		sheet_measure(s, s->col, text, false);
		xlsx_check(s->x, worksheet_write_url_opt(s->ws, s->row, s->col,
		    url, s->x->link, text, NULL));
	}
	s->col++;
}

/* A label and a value in the Summary's two columns, the value formatted. */
static void
summary_fmt(struct sheet *s, const char *label, const char *value,
    lxw_format *f)
{
	if (sheet_writable(s)) {
		sheet_write_text(s, s->row, 0, label, s->x->key);
		sheet_write_text(s, s->row, 1, value, f);
	}
	sheet_row_end(s);
}

static void
summary_count(struct sheet *s, const char *label, long n, lxw_format *f)
{
	char	digits[32];

	if (sheet_writable(s)) {
		sheet_write_text(s, s->row, 0, label, s->x->key);
		snprintf(digits, sizeof digits, "%ld", n);
		sheet_measure(s, 1, digits, false);
		if (n < 0)
			sheet_write_text(s, s->row, 1, "unknown", s->x->top);
		else
			xlsx_check(s->x, worksheet_write_number(s->ws, s->row,
			    1, (double)n, f != NULL ? f : s->x->num));
	}
	sheet_row_end(s);
}

/* "Contoso Ltd, case CS-1042": whose workbook this is. */
static char *
summary_title(const struct report *r)
{
	bool	customer = r->customer != NULL && r->customer[0] != '\0';
	bool	case_id = r->case_id != NULL && r->case_id[0] != '\0';

	if (customer && case_id)
		return xasprintf("%s \xe2\x80\x94 Case %s", r->customer,
		    r->case_id);
	if (customer)
		return xstrdup(r->customer);
	if (case_id)
		return xasprintf("Case %s", r->case_id);
	return xstrdup("Exchange TLS and certificate mail flow");
}

/*
 * The Summary a manager reads: the verdict, what it means (impact), the fix
 * with its risk and downtime, the findings by severity in their colours;
 * then the case labels and what the evidence held, for the engineer.
 */
static void
sheet_summary(struct xlsx *x, const struct report *r,
    const struct summary *sm)
{
	static const struct sheet_col cols[] = {
		{ "Item", 30, 0 }, { "Value", 100, COL_WRAP }
	};
	static const char *const sev_label[] = { "Info findings",
	    "Low findings", "Medium findings", "High findings",
	    "Critical findings" };
	const struct evidence	*ev = r->ev;
	struct sheet		 s;
	lxw_format		*vf;
	char			*title, *names;
	int			 sev;
	size_t			 i;

	title = summary_title(r);
	sheet_begin(&s, x, "Summary", cols, NCOLS(cols), 0);
	if (s.ws != NULL) {
		/* The title replaces the header row: "Item", "Value" say nothing. */
		sheet_write_text(&s, 0, 0, title, x->title);
		/* 14 points, bold: wider than the 11-point text measured. */
		if (s.fit[0] < (double)strlen(title) * 1.3)
			s.fit[0] = (double)strlen(title) * 1.3;
		sheet_write_text(&s, 0, 1, "Exchange TLS and certificate mail "
		    "flow", x->head);
		xlsx_check(x, worksheet_set_row(s.ws, 0, 24, NULL));
	}
	free(title);
	vf = r->verdict == NULL ? x->wrap : r->verdict->state ==
	    VERDICT_CLEAR ? x->good : r->verdict->state == VERDICT_ROOT_CAUSE ?
	    x->sev[SEV_CRITICAL] : x->sev[SEV_MEDIUM];
	if (r->verdict != NULL)
		summary_fmt(&s, "Verdict", verdict_heading(r->verdict->state),
		    vf);
	summary_fmt(&s, "What happened", sm->sentence, x->wrap);
	if (sm->fix != NULL)
		summary_fmt(&s, "The fix", sm->fix, x->wrap);
	summary_count(&s, "Failed TLS handshakes", sm->failed, sm->failed > 0 ?
	    x->sev[SEV_CRITICAL] : NULL);
	summary_count(&s, "Messages queued for retry", sm->queued,
	    sm->queued != 0 ? x->sev[SEV_CRITICAL] : NULL);
	names = list_join(&sm->servers, ", ");
	summary_fmt(&s, "Servers affected", names != NULL ? names : "none",
	    x->wrap);
	free(names);
	if (sm->since != TIME_UNKNOWN) {
		if (sheet_writable(&s))
			sheet_write_text(&s, s.row, 0, sm->failed > 0 ?
			    "Failing since (UTC)" : "First seen (UTC)", x->key);
		s.col = 1;
		sheet_time(&s, sm->since);
		sheet_row_end(&s);
	}
	for (sev = SEV_CRITICAL; sev >= SEV_INFO; sev--)
		summary_count(&s, sev_label[sev], sm->sev[sev],
		    sm->sev[sev] > 0 && sev > SEV_INFO ? x->sev[sev] : NULL);
	if (sm->root != NULL) {
		if (sheet_writable(&s))
			sheet_write_text(&s, s.row, 0, "Root cause", x->key);
		s.col = 1;
		sheet_link(&s, "Findings", (lxw_row_t)(sm->root - r->findings->v)
		    + 1, 0, sm->root->id);
		sheet_row_end(&s);
		summary_fmt(&s, "Root cause title", sm->root->title, x->wrap);
	}
	if (r->verdict != NULL)
		for (i = 0; i < r->verdict->incomplete.n; i++)
			summary_fmt(&s, i == 0 ? "Not read or skipped" : "",
			    r->verdict->incomplete.v[i], x->wrap);
	summary_fmt(&s, "Case", given(r->case_id), x->wrap);
	summary_fmt(&s, "Customer", given(r->customer), x->wrap);
	summary_fmt(&s, "Analyst", given(r->analyst), x->wrap);
	summary_time(&s, "As of (UTC)", r->as_of);
	summary_str(&s, "As-of source", r->as_of_source != NULL ?
	    r->as_of_source : "unknown");
	if (ev != NULL) {
		summary_num(&s, "Certificates", (long)ev->ncerts);
		summary_num(&s, "Send connectors", (long)ev->nsendc);
		summary_num(&s, "Queues", (long)ev->nqueues);
		summary_num(&s, "Protocol log files", ev->logs.files);
		summary_num(&s, "Protocol log rows", ev->logs.rows);
		summary_num(&s, "TLS handshakes succeeded", ev->logs.tls_ok);
		summary_num(&s, "TLS handshakes failed", ev->logs.tls_failed);
		summary_time(&s, "Logs from (UTC)", ev->logs.first);
		summary_time(&s, "Logs to (UTC)", ev->logs.last);
	}
	summary_num(&s, "Evidence gaps",
	    r->gaps != NULL ? (long)r->gaps->n : 0);
	if (ev != NULL) {
		summary_num(&s, "Diagnostics: errors",
		    (long)diag_count(&ev->diags, DIAG_ERROR));
		summary_num(&s, "Diagnostics: warnings",
		    (long)diag_count(&ev->diags, DIAG_WARNING));
		summary_num(&s, "Bundle entries", (long)ev->nentries);
	}
	summary_str(&s, "Tool version", r->tool_version);
	/* A key/value list, not a table: no autofilter. */
	sheet_fit_columns(&s);
}

/*
 * TLS outcomes per day (or hour) as a table, counted from every outcome row
 * of the protocol logs, and a stacked column chart of it beside the table.
 */
static void
sheet_timeline(struct xlsx *x, const struct summary *sm)
{
	static const struct sheet_col day_cols[] = {
		{ "Day (UTC)", 12, 0 }, { "Succeeded", 11, 0 },
		{ "Failed", 9, 0 }
	};
	static const struct sheet_col hour_cols[] = {
		{ "Hour (UTC)", 17, 0 }, { "Succeeded", 11, 0 },
		{ "Failed", 9, 0 }
	};
	lxw_chart_fill	 ok = { .color = 0x8CC9A5 }, bad = { .color = 0xA61B1B };
	lxw_chart_series *series;
	lxw_chart	*chart;
	struct sheet	 s;
	int		 k;

	sheet_begin(&s, x, "Timeline", sm->step > 0 && sm->step < 86400 ?
	    hour_cols : day_cols, NCOLS(day_cols), 0);
	for (k = 0; k < sm->nbuckets; k++) {
		/* A day bucket is a date; an hour bucket shows its hour. */
		if (sm->step > 0 && sm->step < 86400)
			sheet_time_as(&s, sm->t0 + (int64_t)k * sm->step,
			    x->hour, "2026-11-10 08:00");
		else
			sheet_time_as(&s, sm->t0 + (int64_t)k * sm->step,
			    x->day, "2026-11-10");
		sheet_num(&s, sm->ok[k]);
		sheet_num(&s, sm->bad[k]);
		sheet_row_end(&s);
	}
	sheet_end(&s);
	if (s.ws == NULL || sm->nbuckets == 0)
		return;
	if ((chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED)) ==
	    NULL) {
		xlsx_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	series = chart_add_series(chart, NULL, NULL);
	chart_series_set_categories(series, "Timeline", 1, 0,
	    (lxw_row_t)sm->nbuckets, 0);
	chart_series_set_values(series, "Timeline", 1, 2,
	    (lxw_row_t)sm->nbuckets, 2);
	chart_series_set_name(series, "Failed");
	chart_series_set_fill(series, &bad);
	series = chart_add_series(chart, NULL, NULL);
	chart_series_set_categories(series, "Timeline", 1, 0,
	    (lxw_row_t)sm->nbuckets, 0);
	chart_series_set_values(series, "Timeline", 1, 1,
	    (lxw_row_t)sm->nbuckets, 1);
	chart_series_set_name(series, "Succeeded");
	chart_series_set_fill(series, &ok);
	chart_title_set_name(chart, sm->step < 86400 ? "TLS handshakes per "
	    "hour" : "TLS handshakes per day");
	chart_axis_set_num_format(chart->x_axis, sm->step < 86400 ?
	    "mm-dd hh:00" : "yyyy-mm-dd");
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	chart_set_series_gap(chart, 40);
	xlsx_check(x, worksheet_insert_chart(s.ws, 1, 4, chart));
}

/* ------------------------------------------------------------- findings */

/* Severity names in column `col` shaded like the page's badges. */
static void
severity_shading(struct sheet *s, lxw_col_t col)
{
	lxw_conditional_format	 cf;
	char			 quoted[32];
	int			 sev;

	if (s->ws == NULL || s->row < 2)
		return;
	for (sev = SEV_CRITICAL; sev >= SEV_LOW; sev--) {
		memset(&cf, 0, sizeof cf);
		snprintf(quoted, sizeof quoted, "\"%s\"",
		    severity_name((enum severity)sev));
		cf.type = LXW_CONDITIONAL_TYPE_CELL;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
		cf.value_string = quoted;
		cf.format = s->x->sev[sev];
		xlsx_check(s->x, worksheet_conditional_format_range(s->ws, 1,
		    col, s->row - 1, col, &cf));
	}
}

static void
sheet_findings(struct xlsx *x, const struct report *r)
{
	static const struct sheet_col cols[] = {
		{ "ID", 7, 0 }, { "Severity", 10, 0 },
		{ "Rule", 28, 0 }, { "Title", 50, COL_WRAP },
		{ "Explanation", 80, COL_WRAP }, { "Servers", 18, COL_WRAP },
		{ "Connectors", 28, COL_WRAP },
		{ "Thumbprints", 46, COL_WRAP | COL_MONO },
		{ "First seen (UTC)", 19, 0 },
		{ "Last seen (UTC)", 19, 0 },
		{ "Evidence samples", 10, 0 }, { "Root cause", 10, 0 },
		{ "Evidence rows", 16, 0 },
		{ "Remediation steps", 19, 0 }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	char			 label[48];
	size_t			 i;

	sheet_begin(&s, x, "Findings", cols, NCOLS(cols), 1);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		const struct finding	*f = &fs->v[i];

		sheet_str(&s, f->id);
		sheet_str(&s, severity_name(f->severity));
		sheet_str(&s, f->rule);
		sheet_str(&s, f->title);
		sheet_str(&s, f->explanation);
		sheet_list(&s, &f->servers, ", ");
		sheet_list(&s, &f->connectors, ", ");
		sheet_list(&s, &f->thumbprints, "\n");
		sheet_time(&s, f->first_seen);
		sheet_time(&s, f->last_seen);
		sheet_num(&s, (double)f->nevidence);
		sheet_str(&s, (long)i == fs->root_cause ? "yes" : NULL);
		if (f->nevidence > 0) {
			snprintf(label, sizeof label, "%s evidence", f->id);
			sheet_link(&s, "Evidence", first_row_of(fs, i, true), 0,
			    label);
		} else
			sheet_str(&s, NULL);
		if (f->nremediation > 0) {
			snprintf(label, sizeof label, "%s remediation", f->id);
			sheet_link(&s, "Remediation", first_row_of(fs, i, false),
			    0, label);
		}
		sheet_row_end(&s);
	}
	severity_shading(&s, 1);
	sheet_end(&s);
}

static void
sheet_remediation(struct xlsx *x, const struct report *r)
{
	static const struct sheet_col cols[] = {
		{ "Finding", 8, 0 }, { "Step", 6, 0 },
		{ "What and why", 70, COL_WRAP },
		{ "Command", 90, COL_WRAP | COL_MONO }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	size_t			 i, j;

	sheet_begin(&s, x, "Remediation", cols, NCOLS(cols), 0);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		for (j = 0; j < fs->v[i].nremediation; j++) {
			const struct remediation_step *st =
			    &fs->v[i].remediation[j];

			sheet_str(&s, fs->v[i].id);
			sheet_num(&s, st->step);
			sheet_str(&s, st->text);
			sheet_str(&s, st->command);
			sheet_row_end(&s);
		}
	}
	sheet_end(&s);
}

static void
sheet_evidence(struct xlsx *x, const struct report *r)
{
	static const struct sheet_col cols[] = {
		{ "Finding", 8, 0 }, { "Source", 50, COL_WRAP | COL_MONO },
		{ "Line", 8, 0 }, { "Text", 100, COL_WRAP },
		{ "Count", 8, 0 }
	};
	const struct findings	*fs = r->findings;
	struct sheet		 s;
	size_t			 i, j;

	sheet_begin(&s, x, "Evidence", cols, NCOLS(cols), 0);
	for (i = 0; fs != NULL && i < fs->n; i++) {
		for (j = 0; j < fs->v[i].nevidence; j++) {
			const struct finding_evidence *e =
			    &fs->v[i].evidence[j];

			sheet_str(&s, fs->v[i].id);
			sheet_str(&s, e->source);
			if (e->line > 0)
				sheet_num(&s, (double)e->line);
			else
				sheet_str(&s, NULL);
			sheet_str(&s, e->text);
			sheet_num(&s, (double)e->count);
			sheet_row_end(&s);
		}
	}
	sheet_end(&s);
}

/* ------------------------------------------------------------ inventory */

/*
 * Dates in column `col` before the as-of time shaded as expired, those
 * within EXPIRY_SOON_DAYS after it as close to expiry.
 */
static void
expiry_shading(struct sheet *s, lxw_col_t col, int64_t as_of)
{
	lxw_conditional_format	 cf;

	if (s->ws == NULL || s->row < 2 || as_of == TIME_UNKNOWN ||
	    as_of < EXCEL_FIRST_TIME || as_of > EXCEL_LAST_TIME)
		return;
	memset(&cf, 0, sizeof cf);
	cf.type = LXW_CONDITIONAL_TYPE_CELL;
	cf.criteria = LXW_CONDITIONAL_CRITERIA_BETWEEN;
	cf.min_value = 1;	/* not blank: an unknown date is no expiry */
	cf.max_value = excel_date(as_of);
	cf.format = s->x->expired;
	xlsx_check(s->x, worksheet_conditional_format_range(s->ws, 1, col,
	    s->row - 1, col, &cf));
	cf.min_value = excel_date(as_of);
	cf.max_value = excel_date(as_of) + EXPIRY_SOON_DAYS;
	cf.format = s->x->expiring;
	xlsx_check(s->x, worksheet_conditional_format_range(s->ws, 1, col,
	    s->row - 1, col, &cf));
}

/* ------------------------------------------------- described tables */

/* A log group's sample rows, "path:line", one a line. */
static void
sheet_samples(struct sheet *s, const struct ev_log_group *g)
{
	struct buf	 b;
	char		*line;
	size_t		 i;

	if (g == NULL || g->nsamples == 0) {
		sheet_str(s, NULL);
		return;
	}
	buf_init(&b, (size_t)CELL_TEXT_MAX * 4);
	for (i = 0; i < g->nsamples; i++) {
		line = xasprintf("%s%s:%ld", i > 0 ? "\n" : "",
		    g->samples[i].source, g->samples[i].line);
		buf_append(&b, line, strlen(line));
		free(line);
	}
	line = buf_steal(&b, NULL);
	sheet_str(s, line);
	free(line);
}

/*
 * One cell of a described column (columns.h): dates and numbers as real
 * cells, blank when unknown; text says "unknown" (or what the column says
 * an unknown value means), and marks what the export cut.
 */
static void
sheet_cell(struct sheet *s, const struct column *c, const struct col_value *v)
{
	char	 svc[128], *marked;

	switch (c->type) {
	case COL_STR:
		if (!v->known) {
			sheet_str(s, c->unknown != NULL ? c->unknown : "unknown");
		} else if (v->incomplete) {
			marked = xasprintf("%s (cut in export)", v->s);
			sheet_str(s, marked);
			free(marked);
		} else
			sheet_str(s, v->text != NULL ? v->text : v->s);
		break;
	case COL_TIME:
		sheet_time(s, v->t);
		break;
	case COL_ZONE:
		/* Format-List text gives the server's clock, not UTC. */
		sheet_str(s, v->t == TIME_UNKNOWN ? NULL : v->exact ? "UTC" :
		    "server local time");
		break;
	case COL_TRI:
		sheet_tri(s, v->tri);
		break;
	case COL_BOOL:
		sheet_tri(s, v->b ? TRI_TRUE : TRI_FALSE);
		break;
	case COL_INT:
	case COL_DAYS:
		/* A number column holds numbers: blank when unknown. */
		if (v->known)
			sheet_num(s, (double)v->n);
		else
			sheet_str(s, NULL);
		break;
	case COL_LIST:
		sheet_known_list(s, v->list, v->known, v->incomplete,
		    c->style & COL_MONO ? "\n" : ", ",
		    c->unknown != NULL ? c->unknown : "unknown");
		break;
	case COL_SERVICES:
		services_format(v->known ? v->services : SERVICES_UNKNOWN,
		    ", ", svc, sizeof svc);
		sheet_str(s, svc);
		break;
	case COL_SAMPLES:
		sheet_samples(s, v->group);
		break;
	}
}

/*
 * A sheet of a described table: the columns the workbook shows, in the
 * description's order, one row per record; dates of COL_EXPIRY columns
 * shaded when past or close at the as-of time.
 */
static void
sheet_table(struct xlsx *x, const struct report *r, const struct table *t)
{
	struct sheet_col	 cols[SHEET_MAX_COLS];
	const struct column	*src[SHEET_MAX_COLS];
	struct col_ctx		 cx = col_ctx_of(r);
	struct col_value	 v;
	bool			 dated[SHEET_MAX_COLS];
	const void		*rows, *row;
	struct sheet		 s;
	lxw_col_t		 n = 0, k;
	size_t			 i, nrows;

	for (i = 0; i < t->ncols && n < SHEET_MAX_COLS; i++) {
		if (!(t->cols[i].show & OUT_XLSX))
			continue;
		cols[n].name = t->cols[i].label;
		cols[n].width = t->cols[i].width;
		cols[n].style = t->cols[i].style;
		dated[n] = false;
		src[n++] = &t->cols[i];
	}
	rows = t->rows(&cx, &nrows);
	sheet_begin(&s, x, t->sheet, cols, n, (lxw_col_t)t->freeze);
	for (i = 0; i < nrows; i++) {
		row = table_row(t, rows, i);
		for (k = 0; k < n; k++) {
			col_read(src[k], row, &cx, &v);
			if (src[k]->type == COL_TIME && v.known)
				dated[k] = true;
			sheet_cell(&s, src[k], &v);
			col_value_clear(&v);
		}
		sheet_row_end(&s);
	}
	for (k = 0; k < n; k++)
		if ((src[k]->flags & COL_EXPIRY) && dated[k])
			expiry_shading(&s, k, r->as_of);
	sheet_end(&s);
}

/* ----------------------------------------------------------- appendices */

static void
sheet_manifest(struct xlsx *x, const struct evidence *ev)
{
	static const struct sheet_col cols[] = {
		{ "Type", 8, 0 }, { "Path", 70, COL_WRAP | COL_MONO },
		{ "Kind", 18, 0 }, { "Status", 12, 0 },
		{ "Why", 50, COL_WRAP }, { "Bytes", 14, 0 },
		{ "Modified (UTC)", 19, 0 }, { "SHA-256", 72, COL_MONO }
	};
	struct sheet		 s;
	size_t			 i;

	sheet_begin(&s, x, "Manifest", cols, NCOLS(cols), 0);
	for (i = 0; ev != NULL && i < ev->ninputs; i++) {
		const struct input_info	*in = &ev->inputs[i];

		sheet_str(&s, "input");
		sheet_str(&s, in->path);
		sheet_str(&s, in->sha256[0] != '\0' ? "file" : "directory");
		sheet_str(&s, NULL);
		sheet_str(&s, NULL);
		sheet_num(&s, (double)in->bytes);
		sheet_str(&s, NULL);
		sheet_str(&s, in->sha256);
		sheet_row_end(&s);
	}
	for (i = 0; ev != NULL && i < ev->nentries; i++) {
		const struct manifest_entry	*e = &ev->entries[i];

		sheet_str(&s, "entry");
		sheet_str(&s, e->path);
		sheet_value(&s, e->kind);
		sheet_str(&s, entry_status_name(e->status));
		sheet_str(&s, e->why);
		sheet_num(&s, (double)e->bytes);
		sheet_time(&s, e->mtime);
		sheet_str(&s, e->sha256);
		sheet_row_end(&s);
	}
	sheet_end(&s);
}

/* ---------------------------------------------------------------- write */

static lxw_format *
fill_format(struct xlsx *x, lxw_color_t bg, lxw_color_t ink)
{
	lxw_format	*f = workbook_add_format(x->wb);

	format_set_bg_color(f, bg);
	format_set_font_color(f, ink);
	format_set_bold(f);
	return f;
}

static void
xlsx_formats(struct xlsx *x)
{
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_text_wrap(x->head);
	format_set_pattern(x->head, LXW_PATTERN_SOLID);
	format_set_bg_color(x->head, 0xDCE6F1);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	format_set_bottom_color(x->head, 0x8EA9C8);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);

	x->key = workbook_add_format(x->wb);
	format_set_bold(x->key);
	format_set_align(x->key, LXW_ALIGN_VERTICAL_TOP);

	x->top = workbook_add_format(x->wb);
	format_set_align(x->top, LXW_ALIGN_VERTICAL_TOP);

	x->wrap = workbook_add_format(x->wb);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(x->wrap);

	x->mono = workbook_add_format(x->wb);
	format_set_align(x->mono, LXW_ALIGN_VERTICAL_TOP);
	format_set_font_name(x->mono, "Consolas");
	format_set_font_size(x->mono, 10);

	x->mono_wrap = workbook_add_format(x->wb);
	format_set_align(x->mono_wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_font_name(x->mono_wrap, "Consolas");
	format_set_font_size(x->mono_wrap, 10);
	format_set_text_wrap(x->mono_wrap);

	x->date = workbook_add_format(x->wb);
	format_set_align(x->date, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->date, LXW_ALIGN_LEFT);
	format_set_num_format(x->date, "yyyy-mm-dd hh:mm:ss");
	x->day = workbook_add_format(x->wb);
	format_set_align(x->day, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->day, LXW_ALIGN_LEFT);
	format_set_num_format(x->day, "yyyy-mm-dd");
	x->hour = workbook_add_format(x->wb);
	format_set_align(x->hour, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->hour, LXW_ALIGN_LEFT);
	format_set_num_format(x->hour, "yyyy-mm-dd hh:mm");

	/* Conditional fills: the page's badge colours. */
	x->sev[SEV_CRITICAL] = fill_format(x, 0xFDECEC, 0xA61B1B);
	x->sev[SEV_HIGH] = fill_format(x, 0xFFF0E2, 0xB24A00);
	x->sev[SEV_MEDIUM] = fill_format(x, 0xFFF7D9, 0x8A6400);
	x->sev[SEV_LOW] = fill_format(x, 0xE8F0FD, 0x1D5FB8);
	x->sev[SEV_INFO] = NULL;
	x->good = fill_format(x, 0xE7F6ED, 0x1E7A46);
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 14);
	format_set_align(x->title, LXW_ALIGN_VERTICAL_TOP);
	x->link = workbook_add_format(x->wb);
	format_set_underline(x->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(x->link, 0x1F5FA8);
	format_set_align(x->link, LXW_ALIGN_VERTICAL_TOP);
	x->num = workbook_add_format(x->wb);
	format_set_align(x->num, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(x->num, LXW_ALIGN_LEFT);
	x->expired = fill_format(x, 0xFDECEC, 0xA61B1B);
	x->expiring = fill_format(x, 0xFFF7D9, 0x8A6400);
}

/* Document properties, all cleaned; the copies live until the close. */
struct xlsx_props {
	char	*title;
	char	*subject;
	char	*author;
	char	*company;
	char	*comments;
};

static char *
prop_text(const char *s)
{
	return s != NULL && s[0] != '\0' ? text_fit(s, PROP_TEXT_MAX, false) :
	    NULL;
}

static void
xlsx_properties(struct xlsx *x, const struct report *r,
    struct xlsx_props *p)
{
	lxw_doc_properties	 props;
	char			*subject;

	subject = r->case_id != NULL && r->case_id[0] != '\0' ?
	    xasprintf("Exchange TLS and certificate mail flow: %s",
	    r->case_id) :
	    xstrdup("Exchange TLS and certificate mail flow");
	p->subject = prop_text(subject);
	free(subject);
	p->title = r->case_id != NULL && r->case_id[0] != '\0' ?
	    xasprintf("certtrail report \xe2\x80\x94 %s", r->case_id) :
	    xstrdup("certtrail report");
	subject = p->title;
	p->title = prop_text(subject);
	free(subject);
	p->author = prop_text(r->analyst);
	p->company = prop_text(r->customer);
	p->comments = prop_text(r->case_id);

	memset(&props, 0, sizeof props);
	props.title = p->title;
	props.subject = p->subject;
	props.author = p->author;
	props.company = p->company;
	props.comments = p->comments;
	props.keywords = "certtrail, Exchange, TLS, certificates";
	/* Never the wall clock: the file must be the same on every run. */
	props.created = r->as_of != TIME_UNKNOWN && r->as_of != 0 ?
	    (time_t)r->as_of : (time_t)FALLBACK_CREATED;
	xlsx_check(x, workbook_set_properties(x->wb, &props));
}

int
out_xlsx_write(const struct report *r, const char *path)
{
	struct xlsx		 x;
	struct xlsx_props	 props = { NULL, NULL, NULL, NULL, NULL };
	const struct ev_kind	*kinds[EV_NKINDS + 1], **k;
	struct summary		 sm;
	struct parse_diag	 pd;
	lxw_error		 closed;
	int			 rc = 0;

	memset(&x, 0, sizeof x);
	parse_diag_init(&pd, NULL, path);
	pd.print = true;
	if ((x.wb = workbook_new(path)) == NULL) {
		parse_problem(&pd, DIAG_ERROR, 0, "cannot create the workbook");
		return -1;
	}
	xlsx_formats(&x);
	xlsx_properties(&x, r, &props);
	summary_build(r, &sm);
	sheet_summary(&x, r, &sm);
	sheet_findings(&x, r);
	sheet_remediation(&x, r);
	ev_kinds_page_order(kinds);
	for (k = kinds; *k != NULL; k++)
		sheet_table(&x, r, (*k)->table);
	sheet_evidence(&x, r);
	sheet_timeline(&x, &sm);
	sheet_table(&x, r, &table_gaps);
	sheet_table(&x, r, &table_diagnostics);
	sheet_manifest(&x, r->ev);

	/* The workbook is written, and most errors surface, only here. */
	closed = workbook_close(x.wb);
	if (x.err != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
		parse_problem(&pd, DIAG_ERROR, 0, "cannot write the workbook: "
		    "%s", lxw_strerror(x.err != LXW_NO_ERROR ? x.err : closed));
		/* A half-written workbook is worse than none. */
		unlink(path);
		rc = -1;
	}
	free(props.title);
	free(props.subject);
	free(props.author);
	free(props.company);
	free(props.comments);
	summary_free(&sm);
	return rc;
}

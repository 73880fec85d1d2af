/*
 * Export-Csv files: an optional "#TYPE <type name>" line, a header row of
 * property names, one row per object. Each row becomes a record for the
 * mappers. Cells are the values' string forms: dates in the exporting
 * shell's culture (their day/month order is voted on over the whole file
 * first), multi-valued properties often as a type name (unknown).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ascii_loss.h"
#include "csv.h"
#include "prompt.h"
#include "formats.h"
#include "ingest.h"
#include "model/record.h"

/* "{a, b, c}" as Format-List-style collections print; else a scalar. */
static void
cell_value(struct rec_value *v, const char *cell)
{
	size_t	len = strlen(cell);
	char	*inner, *p, *q;

	if (len == 0) {
		v->kind = REC_NULL;
		return;
	}
	if (len >= 2 && cell[0] == '{' && cell[len - 1] == '}') {
		v->kind = REC_LIST;
		inner = xstrndup(cell + 1, len - 2);
		if (len > 5 && strcmp(inner + len - 5, "...") == 0) {
			inner[len - 5] = '\0';
			v->cut = true;
		}
		for (p = inner; p != NULL && *p != '\0'; p = q) {
			if ((q = strstr(p, ", ")) != NULL) {
				*q = '\0';
				q += 2;
			}
			str_trim(p);
			if (*p != '\0')
				strlist_add(&v->items, p);
		}
		free(inner);
		return;
	}
	v->kind = REC_SCALAR;
	v->s = xstrdup(cell);
	rec_value_check_type_name(v);
}

static void
row_record(const struct strlist *header, const struct csv_row *row,
    const char *type, struct record *r)
{
	size_t	i;

	record_init(r);
	r->line = row->line;
	if (type != NULL)
		strlist_add(&r->types, type);
	for (i = 0; i < header->n && i < row->cells.n; i++)
		cell_value(record_add(r, header->v[i], row->line),
		    row->cells.v[i]);
}

/*
 * Where the header starts, past blank lines, the console prompt pasted
 * above it ("PS C:\> Get-WinEvent ... | ConvertTo-Csv") and the #TYPE line.
 */
static const char *
skip_preamble(const char *text, const char *end, char **type, long *line)
{
	const char	*p = text, *eol;

	*type = NULL;
	*line = 1;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (eol = p; eol < end && *eol != '\r' && *eol != '\n'; eol++)
			;
		if (p < end && (*p == '\r' || *p == '\n' ||
		    prompt_line(p, (size_t)(eol - p), NULL, NULL))) {
			p = eol;
			if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
				p++;
			if (p < end)
				p++;
			(*line)++;
			continue;
		}
		break;
	}
	if (end - p >= 6 && memcmp(p, "#TYPE ", 6) == 0) {
		for (eol = p; eol < end && *eol != '\r' && *eol != '\n'; eol++)
			;
		*type = str_trim(xstrndup(p + 6, (size_t)(eol - p - 6)));
		if (eol < end && *eol == '\r' && eol + 1 < end && eol[1] == '\n')
			eol++;
		p = eol < end ? eol + 1 : eol;
		(*line)++;
	}
	return p;
}

/* The csv reader reported the row's own problems (cut, dropped, unclosed). */
static void
row_problems(struct map_ctx *ctx, const struct csv_row *row, size_t ncols)
{
	if (!row->unterminated && row->cells.n != ncols)
		map_warn(ctx, row->line, "%zu cell(s) where the header has %zu; "
		    "read by position", row->cells.n, ncols);
}

static int	ingest_csv_ordered(struct evidence *, const char *, const char *,
		    size_t, enum date_order);

/*
 * Reads the file: in `order` when use_order, else in its own order, or held
 * in `hold` (may be NULL) for its neighbours' order.
 */
static int
csv_read(struct evidence *ev, struct ingest_ctx *hold, const char *source,
    const char *text, size_t len, bool use_order, enum date_order order)
{
	struct csv_reader	 rd;
	struct csv_row		 header = { 0 }, row = { 0 };
	struct date_order_votes	 votes;
	struct map_ctx		 ctx;
	struct record		 r;
	const char		*end = text + len, *start, *eol;
	char			*type;
	long			 line, rows = 0;
	size_t			 i;
	bool			 needs_order = false;

	start = skip_preamble(text, end, &type, &line);
	for (eol = start; eol < end && *eol != '\r' && *eol != '\n'; eol++)
		;
	csv_init(&rd, start, (size_t)(end - start),
	    csv_guess_delimiter(start, (size_t)(eol - start)));
	rd.line = line;
	if (!csv_next_row(&rd, &header) || csv_row_blank(&header)) {
		diag_add(&ev->diags, DIAG_WARNING, source, "CSV%s%s without a "
		    "header row: nothing to read", type != NULL ? " of " : "",
		    type != NULL ? type : "");
		csv_row_free(&header);
		free(type);
		return -1;
	}
	/* First pass: the day/month order, from every date-like cell. */
	memset(&votes, 0, sizeof votes);
	while (csv_next_row(&rd, &row)) {
		if (!csv_row_blank(&row))
			rows++;
		for (i = 0; i < row.cells.n; i++)
			if (strchr(row.cells.v[i], ':') != NULL &&
			    strlen(row.cells.v[i]) < 64) {
				date_order_vote(&votes, row.cells.v[i]);
				needs_order = needs_order ||
				    date_text_needs_order(row.cells.v[i]);
			}
	}
	if (!use_order) {
		/* A file that cannot tell may take the order of its neighbours. */
		if (hold != NULL && !ingest_order_settled(&votes) &&
		    needs_order && rows > 0 &&
		    ingest_held_add(hold, source, text, len,
		    ingest_csv_ordered)) {
			csv_row_free(&header);
			csv_row_free(&row);
			free(type);
			return (int)(rows > 0x7FFFFFFF ? 0x7FFFFFFF : rows);
		}
		if (hold != NULL && rows > 0)
			ingest_held_note(hold, source, &votes);
		order = ingest_order_own(ev, source, &votes);
	}
	map_ctx_init(&ctx, ev, source, "CSV", 1);
	ctx.order = order;
	/* A held file reads in its neighbours' order: a guess (ingest_held.c). */
	ctx.order_guessed = use_order && order != DATE_ORDER_UNKNOWN;
	ascii_loss_note(&ctx, text, len);
	csv_init(&rd, start, (size_t)(end - start), rd.delim);
	rd.line = line;
	(void)csv_next_row(&rd, &header);
	/* Read a second time: now the rows' problems are worth a word. */
	rd.pd = &ctx.pd;
	rows = 0;
	while (csv_next_row(&rd, &row)) {
		if (csv_row_blank(&row))
			continue;
		rows++;
		row_problems(&ctx, &row, header.cells.n);
		row_record(&header.cells, &row, type, &r);
		(void)map_record(&ctx, &r);
		record_free(&r);
	}
	if (ctx.added == 0 && ctx.skipped == 0 && ctx.events_irrelevant == 0 &&
	    ctx.foreign == 0)
		diag_add(&ev->diags, DIAG_INFO, source, "CSV%s%s with %ld "
		    "row(s) and columns %s%s%s%s: no certificate, connector, "
		    "transport service, queue or event certtrail reads",
		    type != NULL ? " of " : "", type != NULL ? type : "", rows,
		    header.cells.v[0], header.cells.n > 1 ? ", " : "",
		    header.cells.n > 1 ? header.cells.v[1] : "",
		    header.cells.n > 2 ? ", ..." : "");
	map_ctx_finish(&ctx);
	csv_row_free(&header);
	csv_row_free(&row);
	free(type);
	if (ctx.added == 0 && ctx.skipped > 0)
		return -1;
	return (int)(ctx.added > 0x7FFFFFFF ? 0x7FFFFFFF : ctx.added);
}

int
ingest_csv(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	return csv_read(ev, NULL, source, text, len, false, DATE_ORDER_UNKNOWN);
}

int
ingest_csv_ctx(struct ingest_ctx *ctx, const char *source, const char *text,
    size_t len)
{
	return csv_read(ctx->ev, ctx, source, text, len, false,
	    DATE_ORDER_UNKNOWN);
}

/* A held file, read once the order is settled (ingest_held.c). */
static int
ingest_csv_ordered(struct evidence *ev, const char *source, const char *text,
    size_t len, enum date_order order)
{
	return csv_read(ev, NULL, source, text, len, true, order);
}

/* ------------------------------------------------------------ detection */

/* A header line of Export-Csv -NoTypeInformation: "A","B",... */
static bool
is_quoted_csv_header(const char *l, size_t len)
{
	size_t	i = 0;
	int	fields = 0;
	char	delim = 0;

	/* Export-Csv -Delimiter / -UseCulture: ',' ';' or tab, one per line. */
	while (i < len) {
		if (l[i++] != '"')
			return false;
		for (;;) {
			if (i >= len)
				return false;
			if (l[i] == '"') {
				if (i + 1 < len && l[i + 1] == '"') {
					i += 2;
					continue;
				}
				i++;
				break;
			}
			i++;
		}
		fields++;
		if (i == len)
			break;
		if (delim == 0 && (l[i] == ',' || l[i] == ';' || l[i] == '\t'))
			delim = l[i];
		if (l[i++] != delim)
			return false;
	}
	return fields >= 2;
}

/* Export-Csv's "#TYPE" line, or a header line of quoted names (past a prompt). */
static int
bid_csv(const struct ingest_entry *e)
{
	struct sniff_line	first = sniff_first_line(e->sniff);

	if (prompt_line(first.p, first.n, NULL, NULL) && e->sniff->nlines > 1)
		first = e->sniff->lines[1];

	return sniff_line_prefix(&first, "#TYPE ") ||
	    is_quoted_csv_header(first.p, first.n) ? 40 : 0;
}

static int
read_csv(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_csv_ctx(ctx, e->path, e->text, e->text_len);
}

const struct format format_csv = {
	.name = "csv", .one = "CSV file", .many = "CSV files",
	.text = true, .best = 40, .bid = bid_csv, .ingest = read_csv,
};

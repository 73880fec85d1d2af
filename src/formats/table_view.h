/*
 * PowerShell's default table view, as printed and as pasted:
 *
 *   Identity             DeliveryType Status MessageCount ... NextHopDomain
 *   --------             ------------ ------ ------------ ... -------------
 *   EX07\7               SmartHost... Retry  331          ... contoso-de.mail.protecti...
 *
 * A paste often loses the dashes line and puts a blank line between the
 * rows. A table is found by its header: the column names of one cmdlet's
 * view (struct tv_spec). Each row's words go to the column whose header
 * starts at (or one character right of) where the word starts; the last
 * column takes the rest of the line. A row with one word per column that
 * does not sit under the headers (a paste re-spaced it) is read in order. A value ending in "..." (or U+2026)
 * was cut at the console width: kept as shown, marked cut.
 */
#ifndef CERTTRAIL_TABLE_VIEW_H
#define CERTTRAIL_TABLE_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#define TV_COLS_MAX	12

/* One cmdlet's default view. */
struct tv_spec {
	const char	*first;		/* the first column's header */
	const char *const *required;	/* NULL-ended, with first */
	const char *const *allowed;	/* NULL-ended: every header it prints */
};

struct tv_row {
	long	 line;
	char	*cells[TV_COLS_MAX];	/* NULL when empty */
	bool	 cut[TV_COLS_MAX];	/* ends in "..." */
	bool	 respaced;	/* its words did not sit under their headers */
};

struct tv_table {
	const struct tv_spec *spec;
	char		*names[TV_COLS_MAX];
	size_t		 starts[TV_COLS_MAX];	/* in characters */
	size_t		 ncols;
	long		 header_line;
	bool		 dashes;		/* the dashes line was there */
	char		*command;		/* of the prompt above, NULL */
	struct tv_row	*rows;
	size_t		 nrows, rows_cap;
	/* Lines inside the table that are no row of it. */
	long		 bad, first_bad;
};

struct tv_doc {
	struct tv_table	*tables;
	size_t		 ntables, cap;
};

/*
 * The tables of the text whose header is one of `specs` (n of them). A
 * header without its dashes line counts when a row follows that has a word
 * under each of the first two columns.
 */
void	 tv_parse(const char *text, size_t len, const struct tv_spec *specs,
	    size_t n, struct tv_doc *out);
void	 tv_doc_free(struct tv_doc *);
/* The index of the column named `name` (exact), -1 when absent. */
int	 tv_col(const struct tv_table *, const char *name);
/* Whether some line of the text is a header of one of `specs`. */
bool	 tv_has_header(const char *const *lines, const size_t *lens, size_t n,
	    const struct tv_spec *specs, size_t nspecs);

#endif

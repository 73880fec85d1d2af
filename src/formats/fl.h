/*
 * Format-List text (`| fl`, `| fl *`; docs/formats.md, "Format-List text") as records of
 * labelled fields. Wrapped values are joined, collections split into items,
 * and every field keeps the line it started on.
 *
 * Ownership: the document owns everything in it; fl_doc_free() releases it.
 * Nothing points into the parsed text.
 */
#ifndef CERTTRAIL_FL_H
#define CERTTRAIL_FL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/parse_diag.h"
#include "util/util.h"

struct fl_field {
	char		*label;
	char		*value;		/* joined and trimmed; "" when empty */
	long		 line;		/* 1-based line of the label */
	bool		 is_list;	/* printed as "{...}" */
	struct strlist	 items;		/* the collection's items */
	bool		 truncated;	/* "{a, b, c, d...}": more items exist */
	bool		 overlong;	/* the value hit FL_VALUE_MAX and was cut */
};

struct fl_record {
	struct fl_field	*fields;
	size_t		 nfields;
	size_t		 fields_cap;
	long		 line;		/* 1-based line of the first field */
	/* The command of the console prompt above it ("Get-Queue | fl"), NULL. */
	char		*command;
};

struct fl_doc {
	struct fl_record *records;
	size_t		 nrecords;
	size_t		 records_cap;
	size_t		 max_line_len;	/* longest Format-List line, in characters */
	long		 nskipped;	/* lines that were neither field nor prompt */
	long		 first_skipped;	/* line number of the first such, 0 none */
};

#define FL_VALUE_MAX	(4u * 1024 * 1024)

/*
 * Parses UTF-8 text. Never fails: lines it cannot place are counted in
 * nskipped. Records without fields are not kept.
 */
/*
 * Parses Format-List text into records. Problems are reported through pd
 * (may be NULL): each value cut at FL_VALUE_MAX, at its line, and one note
 * for the lines that were neither a field nor a prompt.
 */
void	 fl_parse(const char *text, size_t len, struct fl_doc *,
	    struct parse_diag *pd);
void	 fl_doc_free(struct fl_doc *);

/* The field with this label (ASCII case-insensitive), NULL when absent. */
const struct fl_field *fl_record_field(const struct fl_record *, const char *label);
/* Its value, NULL when absent; "" when present but empty. */
const char *fl_record_value(const struct fl_record *, const char *label);
/* True when the label is present with a non-empty value. */
bool	 fl_record_has(const struct fl_record *, const char *label);

#endif

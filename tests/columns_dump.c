/*
 * Prints the table descriptions (src/output/columns_*.c) one column a line, tab
 * separated, for tests/check_columns.py: table, sheet, parent, key, label,
 * page header, outputs (json,xlsx,html), type, join, unknown text ("\N"
 * for none).
 */
#include "config.h"

#include <stdio.h>

#include "output/columns.h"

static const char *const type_names[] = {
	"str", "time", "zone", "tri", "bool", "int", "days", "list",
	"services", "samples"
};

static const char *
or_null(const char *s)
{
	return s != NULL ? s : "\\N";
}

int
main(void)
{
	const struct table *const	*tp;
	size_t				 i;

	for (tp = tables_all; *tp != NULL; tp++) {
		for (i = 0; i < (*tp)->ncols; i++) {
			const struct column	*c = &(*tp)->cols[i];

			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s%s%s\t%s\t%s\t%s\n",
			    (*tp)->key, (*tp)->sheet, or_null(c->parent),
			    c->key, c->label, or_null(c->head),
			    c->show & OUT_JSON ? "j" : "",
			    c->show & OUT_XLSX ? "x" : "",
			    c->show & OUT_HTML ? "h" : "",
			    type_names[c->type], or_null(c->join),
			    or_null(c->unknown));
		}
	}
	return ferror(stdout) ? 1 : 0;
}

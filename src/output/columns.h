/*
 * The tables the outputs show: every kind's (model/kinds/, described as
 * model/table.h says), then the appendices', evidence gaps and diagnostics
 * (columns_report.c); and the context a writer reads them in.
 */
#ifndef CERTTRAIL_COLUMNS_H
#define CERTTRAIL_COLUMNS_H

#include "model/table.h"
#include "report.h"

extern const struct table table_gaps;
extern const struct table table_diagnostics;

/* Every table, the kinds' first, NULL-terminated (tables.c). */
extern const struct table *const tables_all[];

/* What the tables of a report are read in. */
struct col_ctx	 col_ctx_of(const struct report *);

#endif

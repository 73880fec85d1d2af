/*
 * Every described table in one list, for the tests and the checks that
 * read them all (the kinds' tables in the table of kinds' order, then the
 * appendices'), and the context the writers read a report's tables in.
 */
#include "config.h"

#include "columns.h"

#define EV_KIND_TABLE_ENTRY(name, type, array)	&table_##name,
const struct table *const tables_all[] = {
	EV_KIND_LIST(EV_KIND_TABLE_ENTRY)
	&table_gaps, &table_diagnostics, NULL
};

struct col_ctx
col_ctx_of(const struct report *r)
{
	struct col_ctx	x;

	x.as_of = r->as_of;
	x.findings = r->findings;
	x.finding_naming = findings_naming;
	x.ev = r->ev;
	x.gaps = r->gaps;
	return x;
}

/*
 * What describes one kind of evidence: the objects of one cmdlet
 * (Get-ExchangeCertificate, Get-SendConnector, ...) or the protocol-log
 * aggregates the reports show. A descriptor says how the kind's records are
 * recognized and read, where the evidence keeps them, how they are finished
 * and freed, which servers they name, what the gaps list says when the
 * export is missing, and how findings.json, the workbook and the page show
 * them.
 *
 * Each kind defines its descriptor in its own file under model/kinds/; the
 * table of kinds is list.h. The record layer (map_record.c), the evidence's
 * last pass and release (evidence_finish.c, evidence_free.c), the gaps
 * (rules/gaps.c) and the writers loop over that table instead of naming
 * kinds. Descriptors are static data: nothing here is ever freed.
 */
#ifndef CERTTRAIL_KIND_H
#define CERTTRAIL_KIND_H

#include <stdbool.h>
#include <stddef.h>

struct col_ctx;
struct evidence;
struct map_ctx;
struct record;
struct strlist;
struct table;

/* How the page shows a kind: one section, linked from the contents. */
struct ev_kind_page {
	const char	*id;		/* the section's anchor */
	const char	*title;
	bool		 major;		/* a main section of the page */
	/*
	 * Shown among the appendices, after the evidence gaps: how to read
	 * the evidence rather than evidence itself.
	 */
	bool		 appendix;
	/*
	 * Its place on the page and in the workbook, which show what is
	 * configured first and then what happened; findings.json follows the
	 * table's order.
	 */
	int		 rank;
	const char	*empty;		/* the text when it has no record */
	/* The text when the export was read but kept none (NULL: empty). */
	const char	*empty_read;
	const char	*intro;		/* above the table (NULL: none) */
	bool		 cards;		/* one card per record, not a table */
	/* A class for a record's row (NULL: none). */
	const char	*(*row_class)(const struct col_ctx *, const void *record);
};

struct ev_kind {
	/* Its objects in a sentence ("certificate", "certificates"). */
	const char	*one;
	const char	*many;

	/*
	 * Reading exported objects (model/record.h). A kind no record makes
	 * (the protocol-log aggregates) leaves these NULL.
	 */
	const char *const *types;	/* type names that say it (NULL-ended) */
	const char *const *not_types;	/* other objects that share its clues */
	/* The cmdlets that print it (NULL-ended), named by a console prompt. */
	const char *const *cmdlets;
	bool		(*clue)(const struct record *);	/* when no type says */
	/*
	 * A record that resembles one though a key line was cut (a queue
	 * without Identity, a certificate without Thumbprint): asked when no
	 * kind's clue says (NULL: none). Its mapper keeps it, flagged.
	 */
	bool		(*partial)(const struct record *);
	/* Returns as map_record() does (record.h). */
	int		(*map)(struct map_ctx *, const struct record *);
	/* Whether map would keep the record (NULL: always). */
	bool		(*keeps)(const struct record *);
	/* The properties it reads as dates (NULL-ended; NULL: none). */
	const char *const *date_labels;

	/* The store: its array in struct evidence (EV_KIND_STORE). */
	size_t		 rows;
	size_t		 count;
	size_t		 size;		/* of one record */
	void		(*clear)(void *record);	/* NULL: the logs free it */
	/*
	 * Once everything is read, before the servers are gathered: gives
	 * the records that name no server the one their own content names
	 * (a server's self-signed certificate; NULL: none).
	 */
	void		(*own_names)(struct evidence *);
	/*
	 * Once everything is read: attributes the records that name no
	 * server, among `servers` (every server the evidence names), merges
	 * the twins that reveals and sorts (NULL: nothing to do).
	 */
	void		(*finish)(struct evidence *, const struct strlist *servers);
	/* Attribution clues: adds the servers a record names to out. */
	void		(*servers)(const void *record, struct strlist *out);
	/* Whether its export was in the bundle (NULL: when it has records). */
	bool		(*seen)(const struct evidence *);

	/* The gap when its export is missing (NULL: no gap). */
	const char	*gap_what;
	/*
	 * The command that collects it: the gap's, and the workbook's sheet
	 * says it when the export is missing, even for a kind with no gap.
	 */
	const char	*gap_collect;
	int		 gap_rank;	/* the gaps list's order */

	/* Outputs: the column table (model/table.h) and the page. */
	const struct table *table;
	/* Protocol-log aggregates: findings.json lists them after log_summary. */
	bool		 logs;
	struct ev_kind_page page;
};

/* The store fields of a kind whose records list.h keeps in `array`. */
#define EV_KIND_STORE(array)						\
	.rows = offsetof(struct evidence, array),			\
	.count = offsetof(struct evidence, n##array),			\
	.size = sizeof *((struct evidence *)0)->array

#endif

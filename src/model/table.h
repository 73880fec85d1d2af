/*
 * A table's description: its columns, each with its findings.json key, its
 * label for people, its width in the workbook, how its value is read from a
 * record and how it is shown, and which outputs show it. Each kind of
 * evidence describes its records so (model/kinds/), and the outputs'
 * appendices theirs (output/columns.h); findings.json, the workbook and the
 * page iterate these arrays instead of listing columns of their own, so a
 * column added to a table shows up in every output it is marked for, and a
 * column an output leaves out says why (`why`), where everyone sees it.
 *
 * The order of a table is the order of findings.json's keys, which scripts
 * depend on: the workbook follows it, the page follows it for its cells.
 * Descriptions are static data; col_read() results live until
 * col_value_clear().
 */
#ifndef CERTTRAIL_TABLE_H
#define CERTTRAIL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"
#include "kinds/list.h"

struct findings;
struct gap_list;

/* How a value is read and shown. */
enum col_type {
	COL_STR,	/* a string; unknown when NULL */
	/*
	 * A time: UTC (findings.json ends it in Z), or (exact false) the
	 * server's local time, held as if it were UTC: findings.json writes
	 * it without a zone, the workbook and page label it "server local
	 * time". A date whose day/month order was undecidable is unknown but
	 * shown as written (`written`).
	 */
	COL_TIME,
	/*
	 * What a time is in: findings.json a boolean (exact), the workbook
	 * how it was read (`text`: "UTC", "UTC, converted from server local
	 * time ...", "server local time") beside the date. The page labels
	 * each time itself, so it shows no such column.
	 */
	COL_ZONE,
	COL_TRI,	/* yes / no / unknown */
	COL_BOOL,	/* yes / no, always known */
	COL_INT,	/* a whole number, or unknown */
	COL_DAYS,	/* whole days from the as-of time to a time (negative: past) */
	COL_LIST,	/* strings; the list may be unknown, or cut in the export */
	COL_SERVICES,	/* Exchange's certificate service flags, or unknown */
	COL_SAMPLES	/* a log group's sample rows (bundle path and line) */
};

/* style */
#define COL_MONO	1u	/* identifiers, paths, commands: monospace */
#define COL_WRAP	2u	/* longer text: wraps in its column */

/* show: the outputs that show the column. */
#define OUT_JSON	1u
#define OUT_XLSX	2u
#define OUT_HTML	4u
#define OUT_ALL		(OUT_JSON | OUT_XLSX | OUT_HTML)

/* flags */
#define COL_INLINE	1u	/* page: in `join`'s cell on the same line */
#define COL_EXPIRY	2u	/* workbook: dates shaded when past or close */
#define COL_WIDE	4u	/* page card: the field spans the card */
#define COL_CODE	8u	/* page: a command, shown as a code block */

/* What a column's value is, as its getter reads it from one record. */
struct col_value {
	bool		 known;
	const char	*s;		/* COL_STR: as written */
	const char	*text;		/* COL_STR for people, when not s */
	char		*owned;		/* freed by col_value_clear */
	const char	*tone;		/* page: shown as a tag of this class */
	int64_t		 t;		/* COL_TIME, COL_ZONE, COL_DAYS */
	bool		 exact;		/* COL_TIME, COL_ZONE: UTC */
	/* COL_TIME, COL_ZONE: the date as written, when t is unknown for want
	 * of its day/month order (NULL otherwise). */
	const char	*written;
	tri_t		 tri;		/* COL_TRI */
	bool		 b;		/* COL_BOOL; COL_DAYS: in the past */
	long long	 n;		/* COL_INT, COL_DAYS */
	const struct strlist *list;	/* COL_LIST */
	bool		 incomplete;	/* COL_STR, COL_LIST: cut in the export */
	int		 services;	/* COL_SERVICES */
	const struct ev_log_group *group;	/* COL_SAMPLES */
};

/*
 * What a table's rows and its computed columns may need beyond a record:
 * the as-of time, the findings, the evidence and the gaps (any may be
 * unknown: TIME_UNKNOWN, NULL). The findings are the rules' (rules/): a
 * column learns from them only through finding_naming, which the writers
 * set (NULL: no finding names anything).
 */
struct col_ctx {
	int64_t			 as_of;
	const struct findings	*findings;
	/* The id of the first finding that names a thumbprint, or NULL. */
	const char		*(*finding_naming)(const struct findings *,
				    const char *thumbprint);
	const struct evidence	*ev;
	const struct gap_list	*gaps;
};

/* finding_naming's answer for a thumbprint (NULL thumbprint: NULL). */
const char *col_finding_naming(const struct col_ctx *, const char *thumbprint);

typedef void (*col_get_fn)(const void *row, const struct col_ctx *,
    struct col_value *);

struct column {
	const char	*key;		/* findings.json key; unique in its table */
	const char	*parent;	/* findings.json: inside this object */
	const char	*label;		/* workbook header, page header or field */
	double		 width;		/* workbook: the most the column grows to */
	enum col_type	 type;
	unsigned	 style;		/* COL_MONO, COL_WRAP */
	unsigned	 show;		/* OUT_* */
	col_get_fn	 get;
	const char	*why;		/* why an output leaves it out */
	/* Workbook and page: what an unknown value reads as (NULL "unknown"). */
	const char	*unknown;
	/* Page: shown in the cell of the column of this name, not its own. */
	const char	*join;
	const char	*head;		/* page: the header of a cell others join */
	const char	*prefix;	/* page: before a joined value */
	const char	*unit;		/* page: after a number or joined value */
	const char	*cls;		/* page: the cell's class (NULL: by style) */
	unsigned	 flags;		/* COL_INLINE, COL_EXPIRY, COL_WIDE */
};

struct table {
	const char	*key;		/* findings.json array */
	const char	*sheet;		/* workbook sheet */
	const struct column *cols;
	size_t		 ncols;
	unsigned	 freeze;	/* workbook: columns kept in view */
	/* The records and their number. */
	const void	*(*rows)(const struct col_ctx *, size_t *n);
	size_t		 size;		/* of one record */
};

/* Each kind's table, table_<name> (kinds/list.h), is in the kind's file. */
#define EV_KIND_TABLE(name, type, array)				\
	extern const struct table table_##name;
EV_KIND_LIST(EV_KIND_TABLE)
#undef EV_KIND_TABLE

/* The i-th record of a table. */
const void	*table_row(const struct table *, const void *rows, size_t i);
/* Reads a column of a record; col_value_clear frees what it made. */
void		 col_read(const struct column *, const void *row,
		    const struct col_ctx *, struct col_value *);
void		 col_value_clear(struct col_value *);
/*
 * A column's name is its key, or "parent.key" inside an object: the
 * column of that name, or NULL.
 */
const struct column *table_column(const struct table *, const char *name);

/* For the getters. */
void	 col_str(struct col_value *, const char *);
void	 col_time(struct col_value *, int64_t, bool exact);
/*
 * A time with how it was read (model/time_zone.h): `text` says it for
 * people ("UTC, converted from server local time (EX01 is UTC-08:00)",
 * "server local time", ...), NULL for a time read in UTC.
 */
void	 col_time_read(struct col_value *, const struct col_ctx *,
	    const char *server, int64_t t, bool exact, bool converted,
	    bool guessed, const char *written);
void	 col_tri(struct col_value *, tri_t);
void	 col_bool(struct col_value *, bool);
void	 col_int(struct col_value *, long long n, bool known);
void	 col_list(struct col_value *, const struct strlist *, bool known,
	    bool incomplete);

/*
 * Getters of one field: GET_STR(name, struct ev_queue, r->status) defines
 * name() reading that expression of the record r.
 */
#define COL_GETTER(name, T, body)					\
static void								\
name(const void *row_, const struct col_ctx *ctx, struct col_value *v)	\
{									\
	const T	*r = row_;						\
									\
	(void)ctx;							\
	(void)r;							\
	body;								\
}
#define GET_STR(name, T, e)	COL_GETTER(name, T, col_str(v, (e)))
#define GET_TRI(name, T, e)	COL_GETTER(name, T, col_tri(v, (e)))
#define GET_BOOL(name, T, e)	COL_GETTER(name, T, col_bool(v, (e)))
#define GET_UTC(name, T, e)	COL_GETTER(name, T, col_time(v, (e), true))
#define GET_COUNT(name, T, e)	COL_GETTER(name, T, col_int(v, (e), (e) >= 0))

/* A table's rows: an evidence array and its count (none without evidence). */
#define EVIDENCE_ROWS(fn, array, count)					\
static const void *							\
fn(const struct col_ctx *x, size_t *n)					\
{									\
	*n = x->ev != NULL ? x->ev->count : 0;				\
	return x->ev != NULL ? (const void *)x->ev->array : NULL;	\
}
#define GET_SOURCES(name, T, e)	COL_GETTER(name, T, col_list(v, &(e), true, false))

#endif

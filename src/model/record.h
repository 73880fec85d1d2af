/*
 * Exported objects as generic property records, whatever the format they
 * came in (Format-List, CliXml, CSV, JSON): a name maps to a scalar string,
 * a list (with a "cut" flag when the export shortened it), a nested object,
 * null, or "unknown" (the export wrote a type name instead of the value).
 * Each format's reader builds records; map_record() finds the record's kind
 * (kinds/kind.h) and its mapper turns the record into evidence, so every
 * format reads the same properties the same way.
 *
 * Ownership: a record owns every string, list and nested record in it;
 * record_free() releases it.
 */
#ifndef CERTTRAIL_RECORD_H
#define CERTTRAIL_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/datetime.h"
#include "util/parse_diag.h"
#include "evidence.h"
#include "util/util.h"

enum rec_kind {
	REC_NULL,	/* $null, Nil, JSON null, an empty cell */
	REC_SCALAR,	/* a string form */
	REC_LIST,	/* items' string forms */
	REC_OBJECT,	/* a nested record */
	REC_UNKNOWN	/* a type name where the value should be (lossy export) */
};

struct record;

struct rec_value {
	enum rec_kind	 kind;
	char		*s;		/* SCALAR; OBJECT: its string form if any;
					   UNKNOWN: what was written */
	struct strlist	 items;		/* LIST */
	bool		 cut;		/* LIST: the export left items out */
	struct record	*obj;		/* OBJECT */
	bool		 has_int;	/* the format carried a number (enum value) */
	int64_t		 i;
	bool		 has_time;	/* the format carried an exact UTC time */
	int64_t		 t;
	/*
	 * SCALAR: a JSON string, which is what ConvertTo-Json writes for a
	 * collection past its -Depth: the items' string forms joined by spaces
	 * (rv_list_items splits it when every item is valid).
	 */
	bool		 flat;
	long		 line;
};

struct rec_prop {
	char		*name;
	struct rec_value v;
};

struct record {
	struct rec_prop	*props;
	size_t		 nprops, props_cap;
	struct strlist	 types;		/* #TYPE / TN names, most derived first */
	char		*to_string;	/* CliXml ToString, NULL elsewhere */
	long		 line;		/* where the object starts, 1-based */
	/*
	 * The console command pasted above it ("Get-Queue EX07\50 | fl",
	 * formats/prompt.h); NULL when none.
	 */
	char		*command;
	/*
	 * The server a wrapper object around the record names (a collection
	 * script's {"Server": ..., "Certificates": [...]}, ingest_json.c), for
	 * records that name none themselves; NULL when none.
	 */
	char		*outer_server;
};

void	 record_init(struct record *);
void	 record_free(struct record *);	/* frees the contents, not the struct */
/* Adds a property and returns its value, blank (REC_NULL), for filling. */
struct rec_value *record_add(struct record *, const char *name, long line);
/*
 * Marks a scalar whose text is a .NET type name ("System.Collections...",
 * "Microsoft.Exchange.Data.MultiValuedProperty`1[...]") as REC_UNKNOWN: CSV
 * and depth-cut JSON write that instead of the value.
 */
bool	 rec_text_is_type_name(const char *);
void	 rec_value_check_type_name(struct rec_value *);

/* The property by name (ASCII case-insensitive), NULL when absent. */
const struct rec_value *record_get(const struct record *, const char *name);
/* Whether the record has the property (any kind but absent). */
bool	 record_has(const struct record *, const char *name);
/* Whether any type name is `name` or ends with "." name. */
bool	 record_is_type(const struct record *, const char *name);

/* ------------------------------------------------------------- mapping */

struct ev_kind;

/*
 * What kind of object the record is (kinds/kind.h): by type names, else by
 * properties; NULL when it is none certtrail reads.
 */
const struct ev_kind *record_classify(const struct record *);

/* Past this many, per-value diagnostics of one file are counted, not listed. */
#define MAP_DIAGS_MAX	10
#define MAP_UNKNOWN_PROPS_MAX	16
/* Objects of types certtrail does not read described one by one, then counted. */
#define MAP_FOREIGN_DIAGS_MAX	3

/* One file's mapping state: where values come from and what went wrong. */
struct map_ctx {
	struct evidence	*ev;
	const char	*source;
	const char	*format;	/* "CSV", "JSON", "Format-List", "CliXml" */
	int		 rank;		/* source_rank for connectors */
	enum date_order	 order;		/* for culture-formatted dates */
	/* The order was taken from other files (ingest_held.c): a guess. */
	bool		 order_guessed;
	/*
	 * The file was written as ASCII (formats/ascii_loss.h): its '?' may
	 * stand for characters it lost, so names with one are lossy.
	 */
	bool		 ascii_lossy;
	struct parse_diag pd;		/* per-value problems, MAP_DIAGS_MAX listed */
	long		 unlisted;	/* unknowns past MAP_UNKNOWN_PROPS_MAX */
	/* Properties written as a type name, summed per name for one line each. */
	struct {
		char	*name;
		char	*example;
		long	 count;
		long	 first_line;
	}		 unknown[MAP_UNKNOWN_PROPS_MAX];
	size_t		 nunknown;
	long		 added, skipped, foreign;
	long		 events_irrelevant;
};

void	 map_ctx_init(struct map_ctx *, struct evidence *, const char *source,
	    const char *format, int rank);
/* Emits the summary diagnostics and frees the state. */
void	 map_ctx_finish(struct map_ctx *);
/* A per-value warning, counted against MAP_DIAGS_MAX. */
void	 map_warn(struct map_ctx *, long line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Votes on the day/month order with every date-like scalar in the record. */
void	 record_date_votes(const struct record *, struct date_order_votes *);

/*
 * Maps one record: classifies it and calls its mapper, or says what the
 * record looked like when certtrail does not read its type. Returns 1 when
 * it became evidence, 0 when it was not an object certtrail reads, -1 when
 * it was one but unusable (a diagnostic says why).
 */
int	 map_record(struct map_ctx *, const struct record *);

/* ----------------------------------------- value readers for the mappers */

/* A copy of a scalar (or an object's string form); NULL when unknown/empty. */
char	*rv_str(struct map_ctx *, const struct record *, const char *name);
tri_t	 rv_tri(struct map_ctx *, const struct record *, const char *name);
/* A number (the format's own, or a decimal string); -1 when unknown. */
long	 rv_long(struct map_ctx *, const struct record *, const char *name);
/* The enum's name: a string as is, an integer through names[]. */
char	*rv_enum(struct map_ctx *, const struct record *, const char *name,
	    const char *const *names, size_t nnames);
/*
 * A date: exact when the format carried one, "\/Date(ms)\/", ISO-8601, or
 * culture-formatted in ctx->order. *exact says which (may be NULL).
 */
int64_t	 rv_time(struct map_ctx *, const struct record *, const char *name,
	    bool *exact);

/* Everything a date's reading says (rv_time_read). */
struct time_read {
	int64_t		 t;		/* TIME_UNKNOWN when absent or unreadable */
	/* UTC: the format carried the zone (CliXml, JSON, ISO with Z or offset). */
	bool		 exact;
	/* Read in a day/month order taken from other files: a guess. */
	bool		 order_guessed;
	/*
	 * The format wrote the server's local time with its UTC offset
	 * (CliXml "2026-11-10T00:41:12-08:00", ISO with "+01:00"): a clue to
	 * the server's offset (model/time_zone.c).
	 */
	bool		 has_offset;
	int		 offset_minutes;
	/*
	 * The text as written (borrowed from the record) when it is a date
	 * whose day/month order could not be decided: t is unknown, but the
	 * date is still shown as written.
	 */
	const char	*undecided;
};

/* rv_time with all of it. Returns out->t. */
int64_t	 rv_time_read(struct map_ctx *, const struct record *, const char *name,
	    struct time_read *out);
/*
 * A list into out. Returns whether it is known: absent, null and unknown
 * stay unknown; a lone scalar is a list of one (split at `sep` when not
 * NULL, for flag enums printed "Tls, Integrated").
 */
bool	 rv_list(struct map_ctx *, const struct record *, const char *name,
	    struct strlist *out, bool *cut, const char *sep);
/* What the items of a list property look like (record_items.c). */
struct list_item_kind {
	bool		(*ok)(const char *);
	const char	*what;		/* "domain names", for the warning */
};
extern const struct list_item_kind list_item_domain;	/* "mail.x", "*.x" */
extern const struct list_item_kind list_item_host;	/* a name or "[IP]" */
extern const struct list_item_kind list_item_server;	/* "EX01", an FQDN */
extern const struct list_item_kind list_item_address_space; /* "SMTP:*;1" */
extern const struct list_item_kind list_item_binding;	/* "[::]:25" */
/*
 * As rv_list (no separator), for a property whose items never hold a
 * space: a JSON string with spaces is a collection ConvertTo-Json flattened
 * past its -Depth, split into its items when every one is of the kind (and
 * none is a type name); otherwise the list is unknown, with a warning that
 * names the property.
 */
bool	 rv_list_items(struct map_ctx *, const struct record *, const char *name,
	    struct strlist *out, bool *cut, const struct list_item_kind *);
/*
 * The computer an object names: PSComputerName, else the wrapper's server
 * (record.h's outer_server); *outer says which (may be NULL).
 */
char	*rv_computer_name(struct map_ctx *, const struct record *, bool *outer);
/* An enum whose numbers are not 0..n, or a flags enum: a name per value. */
struct rv_flag {
	long		 bit;
	const char	*name;
};
/* The enum's name: a string as is, a number through names ({0, NULL}-ended). */
char	*rv_enum_by_value(struct map_ctx *, const struct record *,
	    const char *name, const struct rv_flag *names);
/* A culture date that reads differently month first and day first. */
bool	 date_text_needs_order(const char *);
#endif

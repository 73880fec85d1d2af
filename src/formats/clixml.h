/*
 * CliXml (Export-Clixml) documents read into a tree of objects
 * (docs/formats.md, "CliXml"). The XML goes through the bounded tokenizer of xml.h; the tree
 * is bounded too (depth, node counts). Malformed XML stops the parse with a
 * line number; what was complete before the error is kept.
 *
 * Ownership: the document owns every object, value and string in it; free it
 * with clixml_free(). Ref values point at objects the document already owns,
 * so the graph may contain cycles through refs: nothing here follows a ref
 * more than one step.
 */
#ifndef CERTTRAIL_CLIXML_H
#define CERTTRAIL_CLIXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/parse_diag.h"

#define CLIXML_MAX_DEPTH	64	/* element nesting */

enum cx_type {
	CX_NIL,
	CX_STRING,	/* S */
	CX_BOOL,	/* B */
	CX_INT,		/* I16 I32 I64 U16 U32 U64 By SB (U8 I8 accepted) */
	CX_FLOAT,	/* Db Sg D */
	CX_DATETIME,	/* DT */
	CX_GUID,	/* G */
	CX_BYTES,	/* BA */
	CX_URI,		/* URI */
	CX_VERSION,	/* Version */
	CX_TIMESPAN,	/* TS */
	CX_CHAR,	/* C: a UTF-16 code unit as a number */
	CX_XML,		/* XD */
	CX_SCRIPT,	/* SBK */
	CX_SECURE,	/* SS */
	CX_OBJECT,	/* Obj, or a resolved Ref */
	CX_UNRESOLVED	/* a Ref to an id never defined */
};

struct cx_obj;

struct cx_value {
	enum cx_type	 type;
	const char	*tag;		/* element name as written ("I32") */
	char		*name;		/* N attribute, NULL when absent */
	char		*text;		/* decoded text of a primitive; NULL for Nil/Obj */
	unsigned char	*bytes;		/* BA: decoded bytes (NULL when invalid) */
	size_t		 nbytes;
	bool		 bytes_bad;	/* BA whose base64 did not decode */
	bool		 is_ref;	/* written as <Ref>, obj is not owned */
	bool		 extended;	/* from <MS> (else <Props> or elsewhere) */
	struct cx_obj	*obj;		/* CX_OBJECT */
	long		 line;
};

enum cx_container {
	CX_CONT_NONE,
	CX_CONT_LST,
	CX_CONT_IE,
	CX_CONT_STK,
	CX_CONT_QUE,
	CX_CONT_DCT
};

struct cx_entry {
	struct cx_value	 key;
	struct cx_value	 value;
};

struct cx_typenames {
	char		**v;	/* most derived first */
	size_t		  n;
};

struct cx_obj {
	char			*refid;		/* RefId attribute, NULL when absent */
	const struct cx_typenames *tn;		/* NULL when none; owned by the doc */
	char			*to_string;	/* NULL when absent */
	struct cx_value		*props;		/* <Props> and <MS> members */
	size_t			 nprops, props_cap;
	enum cx_container	 container;
	struct cx_value		*items;		/* LST IE STK QUE */
	size_t			 nitems, items_cap;
	struct cx_entry		*entries;	/* DCT */
	size_t			 nentries, entries_cap;
	struct cx_value		*prim;		/* the value of an enum and the like */
	long			 line;
};

struct cx_doc {
	struct cx_value		*top;		/* children of <Objs>, complete ones */
	size_t			 ntop, top_cap;
	/*
	 * PARSE_OK; PARSE_PARTIAL: warnings (unknown refs, bad base64), or an
	 * error after some complete objects; PARSE_FAILED: an error before any.
	 */
	enum parse_status	 status;
	long			 stopped_line;	/* where an error stopped it; 0: read to the end */
	void			*priv;		/* maps and owned storage */
};

#define CLIXML_MAX_WARNINGS	50	/* reported one by one; then counted */

/*
 * Parses a CliXml document (UTF-8, optional BOM). Always returns a document
 * holding the objects completed before any error. Every problem is reported
 * through pd (may be NULL) with its line: warnings as they come (after
 * CLIXML_MAX_WARNINGS, one more saying how many were not shown), then the
 * error that stopped the parse, if any (DIAG_ERROR).
 */
struct cx_doc	*clixml_parse(const char *text, size_t len, struct parse_diag *pd);
void		 clixml_free(struct cx_doc *);

/*
 * Decodes CliXml's _xHHHH_ escapes (surrogate pairs included; lone
 * surrogates and NUL become U+FFFD). Returns a new string.
 */
char		*clixml_unescape(const char *s, size_t len);

/* Accessors. All accept NULL and return NULL / false / unknown then. */

/* The object a value is or refers to, else NULL. */
const struct cx_obj *cx_value_obj(const struct cx_value *);
/*
 * A value's string form: a primitive's text, an object's ToString (or its
 * primitive's text), NULL for Nil and unknowns.
 */
const char	*cx_value_string(const struct cx_value *);
/* -1 unknown, 0 false, 1 true (B, or an object's primitive B). */
int		 cx_value_bool(const struct cx_value *);
/* Integers, and enum objects through their primitive value. */
bool		 cx_value_int(const struct cx_value *, int64_t *);
/* DT into seconds since the epoch, UTC (offsets applied; none means UTC). */
bool		 cx_value_time(const struct cx_value *, int64_t *);
/* Parses an xs:dateTime as written in DT. */
bool		 clixml_parse_datetime(const char *, int64_t *);

/* A member by name (ASCII case-insensitive): Props first, then MS. */
const struct cx_value *cx_obj_prop(const struct cx_obj *, const char *name);
/*
 * Whether any of the object's type names is `name` or ends with "." name
 * (so "Deserialized.X.Y" matches "Y" and "X.Y").
 */
bool		 cx_obj_is_type(const struct cx_obj *, const char *name);
/* The first (most derived) type name, "Deserialized." stripped, or NULL. */
const char	*cx_obj_type(const struct cx_obj *);

#endif

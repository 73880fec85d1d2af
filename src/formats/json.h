/*
 * A small strict JSON parser (RFC 8259) for ConvertTo-Json output: bounded
 * nesting, bounded size, no extensions. Strings are decoded to UTF-8
 * (\u escapes included; lone surrogates and \u0000 become U+FFFD).
 *
 * Ownership: the tree owns everything in it; json_free() releases it.
 */
#ifndef CERTTRAIL_JSON_H
#define CERTTRAIL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_PARSE_MAX_DEPTH	64
#define JSON_MAX_NODES		(4L * 1000 * 1000)

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
	JSON_OBJECT };

struct json_value {
	enum json_type	 type;
	bool		 b;		/* BOOL */
	char		*s;		/* STRING, and NUMBER as written */
	struct json_value *items;	/* ARRAY items, OBJECT values */
	char		**keys;		/* OBJECT keys */
	size_t		 n, cap;
	long		 line;		/* where the value starts, 1-based */
};

struct parse_diag;

/*
 * Parses the whole text (surrounding white space allowed). On error returns
 * -1, the cause and its line given to pd (parse_cause); *out then holds what
 * was read before the error (in each open container, the last item may be
 * incomplete): free it either way.
 */
int	 json_parse(const char *text, size_t len, struct json_value *out,
	    struct parse_diag *pd);
void	 json_free(struct json_value *);
/* The member by key (exact), NULL when absent or not an object. */
const struct json_value *json_get(const struct json_value *, const char *key);

#endif

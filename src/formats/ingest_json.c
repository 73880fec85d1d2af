/*
 * ConvertTo-Json files (Windows PowerShell 5.1 and 7): one object or an
 * array of them, each becoming a record for the mappers. 5.1 writes dates
 * as "\/Date(ms)\/" and enums as numbers; 7 writes ISO dates and numbers
 * or, with -EnumsAsStrings, names. Past the export's depth (2 by default)
 * objects become their string form, which for collections is a type name:
 * unknown, with a diagnostic.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "ingest.h"
#include "json.h"
#include "util/parse_diag.h"
#include "model/record.h"

#define NEST_MAX	3	/* records within records kept */
#define TOP_NEST_MAX	3	/* arrays of arrays of objects at the top */

static const char *
member_string(const struct json_value *o, const char *key)
{
	const struct json_value	*v = json_get(o, key);

	return v != NULL && v->type == JSON_STRING && *v->s != '\0' ? v->s :
	    NULL;
}

/*
 * The string form PowerShell prints for the .NET objects whose properties
 * certtrail reads as text: SmtpX509Identifier ("<I>issuer<S>subject"),
 * paths, IP bindings, address spaces, AD object ids and server names.
 */
static char *
object_string(const struct json_value *o)
{
	const struct json_value	*port, *cost;
	const char		*s, *t, *a;

	if ((s = member_string(o, "CertificateSubject")) != NULL) {
		t = member_string(o, "CertificateIssuer");
		return t != NULL ? xasprintf("<I>%s<S>%s", t, s) :
		    xasprintf("<S>%s", s);
	}
	if ((s = member_string(o, "PathName")) != NULL)
		return xstrdup(s);
	port = json_get(o, "Port");
	if (port != NULL && port->type == JSON_NUMBER) {
		a = member_string(o, "Address");
		if (a == NULL && (t = member_string(o, "IPAddressToString")) != NULL)
			a = t;
		if (a != NULL)
			return xasprintf(strchr(a, ':') != NULL ? "[%s]:%s" :
			    "%s:%s", a, port->s);
	}
	if ((t = member_string(o, "Type")) != NULL &&
	    (a = member_string(o, "Address")) != NULL) {
		cost = json_get(o, "Cost");
		return cost != NULL && cost->type == JSON_NUMBER ?
		    xasprintf("%s:%s;%s", t, a, cost->s) :
		    xasprintf("%s:%s", t, a);
	}
	if ((s = member_string(o, "Name")) != NULL)
		return xstrdup(s);
	if ((s = member_string(o, "Domain")) != NULL)
		return xstrdup(s);
	if ((s = member_string(o, "Address")) != NULL)
		return xstrdup(s);
	return NULL;
}

static bool
is_integer(const char *s, int64_t *out)
{
	int64_t	n = 0;
	bool	neg = *s == '-';

	if (neg)
		s++;
	if (*s == '\0' || strlen(s) > 18)
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (*s - '0');
	}
	*out = neg ? -n : n;
	return true;
}

/* 5.1 wraps some arrays as {"value": [...], "Count": n}. */
static const struct json_value *
unwrap(const struct json_value *j)
{
	const struct json_value	*v;

	if (j->type == JSON_OBJECT && j->n == 2 && json_get(j, "Count") != NULL &&
	    (v = json_get(j, "value")) != NULL && v->type == JSON_ARRAY)
		return v;
	return j;
}

static void object_record(const struct json_value *, struct record *, int);

static void
list_value(struct rec_value *v, const struct json_value *j)
{
	const struct json_value	*it;
	char			*s;
	size_t			 i;

	v->kind = REC_LIST;
	for (i = 0; i < j->n; i++) {
		it = &j->items[i];
		switch (it->type) {
		case JSON_NULL:
			continue;
		case JSON_BOOL:
			strlist_add(&v->items, it->b ? "True" : "False");
			continue;
		case JSON_NUMBER:
			strlist_add(&v->items, it->s);
			continue;
		case JSON_STRING:
			if (rec_text_is_type_name(it->s))
				break;
			strlist_add(&v->items, it->s);
			continue;
		case JSON_OBJECT:
			if ((s = object_string(it)) == NULL)
				break;
			strlist_add(&v->items, s);
			free(s);
			continue;
		default:
			break;
		}
		/* An item with no usable string form: the list is unknown. */
		strlist_free(&v->items);
		v->kind = REC_UNKNOWN;
		v->s = xstrdup(it->type == JSON_STRING ? it->s :
		    it->type == JSON_OBJECT ? "an object without a readable "
		    "string form" : "a nested array");
		return;
	}
}

static void
json_value_to_rec(struct rec_value *v, const struct json_value *j, int depth)
{
	int64_t	n;

	j = unwrap(j);
	switch (j->type) {
	case JSON_NULL:
		v->kind = REC_NULL;
		break;
	case JSON_BOOL:
		v->kind = REC_SCALAR;
		v->s = xstrdup(j->b ? "True" : "False");
		break;
	case JSON_NUMBER:
		v->kind = REC_SCALAR;
		v->s = xstrdup(j->s);
		if (is_integer(j->s, &n)) {
			v->has_int = true;
			v->i = n;
		}
		break;
	case JSON_STRING:
		v->kind = REC_SCALAR;
		v->s = xstrdup(j->s);
		rec_value_check_type_name(v);
		break;
	case JSON_ARRAY:
		list_value(v, j);
		break;
	case JSON_OBJECT:
		v->kind = REC_OBJECT;
		v->s = object_string(j);
		if (depth < NEST_MAX) {
			v->obj = xcalloc(1, sizeof *v->obj);
			object_record(j, v->obj, depth + 1);
		}
		break;
	}
}

static void
object_record(const struct json_value *j, struct record *r, int depth)
{
	size_t	i;

	record_init(r);
	r->line = j->line;
	for (i = 0; i < j->n; i++)
		json_value_to_rec(record_add(r, j->keys[i], j->items[i].line),
		    &j->items[i], depth);
}

struct json_ingest {
	struct map_ctx	 ctx;
	long		 objects;
	long		 others;	/* top-level values that are not objects */
	long		 first_other;
};

static void
collect(const struct json_value *j, struct json_value const **objs,
    size_t *nobjs, size_t max, struct json_ingest *in, int nest)
{
	size_t	i;

	j = unwrap(j);
	if (j->type == JSON_OBJECT) {
		if (*nobjs < max)
			objs[(*nobjs)++] = j;
		return;
	}
	if (j->type == JSON_ARRAY && nest < TOP_NEST_MAX) {
		for (i = 0; i < j->n; i++)
			collect(&j->items[i], objs, nobjs, max, in, nest + 1);
		return;
	}
	if (in->others++ == 0)
		in->first_other = j->line;
}

/* How many objects a value holds at the top, for the collect array. */
static size_t
count_objects(const struct json_value *j, int nest)
{
	size_t	i, n = 0;

	j = unwrap(j);
	if (j->type == JSON_OBJECT)
		return 1;
	if (j->type == JSON_ARRAY && nest < TOP_NEST_MAX)
		for (i = 0; i < j->n; i++)
			n += count_objects(&j->items[i], nest + 1);
	return n;
}

int
ingest_json(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct json_value	 root;
	struct json_ingest	 in;
	struct date_order_votes	 votes;
	struct record		 rec;
	const struct json_value	**objs;
	struct parse_diag	 pd;
	size_t			 i, nobjs = 0, max;
	int			 failed;

	memset(&in, 0, sizeof in);
	parse_diag_init(&pd, &ev->diags, source);
	failed = json_parse(text, len, &root, &pd);
	max = count_objects(&root, 0);
	/* After an error the last object may be incomplete: not read. */
	if (failed && max > 0)
		max--;
	objs = xcalloc(max + 1, sizeof *objs);
	collect(&root, objs, &nobjs, max, &in, 0);
	/* Records are built twice, one at a time: the votes, then the mapping. */
	memset(&votes, 0, sizeof votes);
	for (i = 0; i < nobjs; i++) {
		object_record(objs[i], &rec, 0);
		record_date_votes(&rec, &votes);
		record_free(&rec);
	}
	map_ctx_init(&in.ctx, ev, source, "JSON", 1);
	in.ctx.order = date_order_decide(&votes);
	for (i = 0; i < nobjs; i++) {
		object_record(objs[i], &rec, 0);
		(void)map_record(&in.ctx, &rec);
		record_free(&rec);
	}
	if (failed)
		parse_problem(&pd, DIAG_ERROR, 0, "malformed JSON at line %ld: "
		    "%s; %zu complete object(s) before it were read",
		    pd.cause_line, pd.cause, nobjs);
	if (in.others > 0 && !failed)
		diag_add(&ev->diags, DIAG_INFO, source, "%ld top-level value(s) "
		    "that are not objects ignored (first at line %ld)",
		    in.others, in.first_other);
	if (in.ctx.added == 0 && in.ctx.skipped == 0 &&
	    in.ctx.events_irrelevant == 0 &&
	    in.ctx.foreign == 0 && !failed)
		diag_add(&ev->diags, DIAG_INFO, source, "JSON with %zu "
		    "object(s): no certificate, connector, transport service, "
		    "queue or event certtrail reads", nobjs);
	map_ctx_finish(&in.ctx);
	free(objs);
	json_free(&root);
	if (in.ctx.added == 0 && (in.ctx.skipped > 0 || failed))
		return -1;
	return (int)(in.ctx.added > 0x7FFFFFFF ? 0x7FFFFFFF : in.ctx.added);
}

/* ------------------------------------------------------------ detection */

/*
 * ConvertTo-Json output: an object ({ then a key or }) or an array ([ then
 * a value). A log line such as "[2026-11-10 08:00] ..." or a prompt "[PS]"
 * is not taken for JSON.
 */
static bool
looks_json(const char *s, size_t len)
{
	size_t	i = 1;

	if (len == 0 || (s[0] != '[' && s[0] != '{'))
		return false;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	if (i == len)
		return false;
	if (s[0] == '{')
		return s[i] == '"' || s[i] == '}';
	return s[i] == '{' || s[i] == '[' || s[i] == '"' || s[i] == ']';
}

static int
bid_json(const struct ingest_entry *e)
{
	return looks_json(e->sniff->s, e->sniff->len) ? 30 : 0;
}

static int
read_json(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	return ingest_json(ctx->ev, e->path, e->text, e->text_len);
}

const struct format format_json = {
	.name = "json", .one = "JSON file", .many = "JSON files",
	.text = true, .best = 30, .bid = bid_json, .ingest = read_json,
};

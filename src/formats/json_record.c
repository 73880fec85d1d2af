/*
 * ConvertTo-Json values as property records (model/record.h), the JSON
 * side of what every format's reader does: scalars, lists, nested objects
 * and the string forms an export wrote past its -Depth, which are unknown.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json_record.h"
#include "model/record.h"

#define NEST_MAX	3	/* records within records kept */

static const char *
member_string(const struct json_value *o, const char *key)
{
	const struct json_value	*v = json_get(o, key);

	return v != NULL && v->type == JSON_STRING && v->s != NULL &&
	    *v->s != '\0' ? v->s : NULL;
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

const struct json_value *
json_unwrap(const struct json_value *j)
{
	const struct json_value	*v;

	if (j->type == JSON_OBJECT && j->n == 2 && json_get(j, "Count") != NULL &&
	    (v = json_get(j, "value")) != NULL && v->type == JSON_ARRAY)
		return v;
	return j;
}

static void object_record(const struct json_value *, struct record *, int);

/*
 * Whether a string is what ConvertTo-Json writes past its -Depth for an
 * object whose value it did not descend into: a type name
 * ("System.Collections.ArrayList"), several joined by spaces (a collection
 * of such objects), or a custom object's "@{Name=...; Domain=...}" (one or
 * several). Never a value.
 */
static bool
string_form_only(const char *s)
{
	const char	*p, *q;
	char		*item;
	bool		 all = true;
	size_t		 n;

	/* A string cut by a parse error may have no text yet. */
	if (s == NULL)
		return false;
	n = strlen(s);
	if (n >= 3 && s[0] == '@' && s[1] == '{' && s[n - 1] == '}')
		return true;
	if (rec_text_is_type_name(s))
		return true;
	if (strchr(s, ' ') == NULL)
		return false;
	for (p = s; all; p = q + 1) {
		q = strchr(p, ' ');
		item = q == NULL ? xstrdup(p) : xstrndup(p, (size_t)(q - p));
		all = rec_text_is_type_name(item);
		free(item);
		if (q == NULL)
			break;
	}
	return all;
}

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
			if (string_form_only(it->s))
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

	j = json_unwrap(j);
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
		v->flat = true;
		if (string_form_only(j->s))
			v->kind = REC_UNKNOWN;
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

void
json_record(const struct json_value *j, struct record *r)
{
	object_record(j, r, 0);
}

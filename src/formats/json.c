/*
 * Recursive descent over the text, depth-bounded so that hostile nesting
 * cannot exhaust the stack, node-bounded so that it cannot exhaust memory
 * beyond a few times the input.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util/parse_diag.h"
#include "util/util.h"

struct jp {
	const char	*p;
	const char	*end;
	long		 line;
	long		 nodes;
	struct parse_diag *pd;		/* gets the cause of a failure */
	bool		 failed;
};

static int parse_value(struct jp *, struct json_value *, int depth);
static int fail(struct jp *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

static int
fail(struct jp *j, const char *fmt, ...)
{
	va_list	ap;
	char	msg[160];

	if (!j->failed) {
		j->failed = true;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		parse_cause(j->pd, j->line, "%s", msg);
	}
	return -1;
}

static void
skip_ws(struct jp *j)
{
	while (j->p < j->end) {
		if (*j->p == '\n')
			j->line++;
		else if (*j->p != ' ' && *j->p != '\t' && *j->p != '\r')
			return;
		j->p++;
	}
}

void
json_free(struct json_value *v)
{
	size_t	i;

	if (v == NULL)
		return;
	free(v->s);
	for (i = 0; i < v->n; i++) {
		json_free(&v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	memset(v, 0, sizeof *v);
}

const struct json_value *
json_get(const struct json_value *v, const char *key)
{
	size_t	i;

	if (v == NULL || v->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

static int
hex4(struct jp *j, unsigned *out)
{
	unsigned	v = 0;
	int		i;
	char		c;

	if (j->end - j->p < 4)
		return fail(j, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		c = j->p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return fail(j, "bad \\u escape");
	}
	j->p += 4;
	*out = v;
	return 0;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	char	u[4];

	if (cp < 0x80) {
		(void)buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		(void)buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		(void)buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		(void)buf_append(b, u, 4);
	}
}

static int
escape(struct jp *j, struct buf *b)
{
	unsigned	cp, lo;
	char		c = *j->p++;

	switch (c) {
	case '"': case '\\': case '/':
		(void)buf_putc(b, c);
		return 0;
	case 'b':
		(void)buf_putc(b, '\b');
		return 0;
	case 'f':
		(void)buf_putc(b, '\f');
		return 0;
	case 'n':
		(void)buf_putc(b, '\n');
		return 0;
	case 'r':
		(void)buf_putc(b, '\r');
		return 0;
	case 't':
		(void)buf_putc(b, '\t');
		return 0;
	case 'u':
		break;
	default:
		return fail(j, "bad escape \\%c in a string", c);
	}
	if (hex4(j, &cp) != 0)
		return -1;
	if (cp >= 0xD800 && cp <= 0xDBFF && j->end - j->p >= 6 &&
	    j->p[0] == '\\' && j->p[1] == 'u') {
		j->p += 2;
		if (hex4(j, &lo) != 0)
			return -1;
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			put_utf8(b, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
			return 0;
		}
		put_utf8(b, 0xFFFD);
		cp = lo;
	}
	put_utf8(b, cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) ? 0xFFFD : cp);
	return 0;
}

/* At the opening quote. The text is valid UTF-8 already (text_to_utf8). */
static int
parse_string(struct jp *j, char **out)
{
	struct buf	b;

	j->p++;
	buf_init(&b, (size_t)(j->end - j->p) + 1);
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20) {
			buf_free(&b);
			return fail(j, "control character in a string");
		}
		if (c == '\\') {
			j->p++;
			if (j->p >= j->end || escape(j, &b) != 0) {
				buf_free(&b);
				return fail(j, "unterminated string");
			}
			continue;
		}
		(void)buf_putc(&b, (char)c);
		j->p++;
	}
	if (j->p >= j->end) {
		buf_free(&b);
		return fail(j, "unterminated string");
	}
	j->p++;
	*out = buf_steal(&b, NULL);
	return 0;
}

static int
parse_number(struct jp *j, struct json_value *v)
{
	const char	*s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return fail(j, "unexpected character '%c'", *s);
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p - s > 64)
		return fail(j, "number too long");
	v->type = JSON_NUMBER;
	v->s = xstrndup(s, (size_t)(j->p - s));
	return 0;
}

static int
literal(struct jp *j, const char *word)
{
	size_t	n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return fail(j, "unexpected character '%c'", *j->p);
	j->p += n;
	return 0;
}

static struct json_value *
grow(struct json_value *v)
{
	v->items = xreallocarray_grow(v->items, &v->cap, v->n + 1,
	    sizeof *v->items);
	if (v->type == JSON_OBJECT) {
		size_t	cap = v->cap;

		v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
	}
	memset(&v->items[v->n], 0, sizeof v->items[v->n]);
	return &v->items[v->n];
}

static int
parse_container(struct jp *j, struct json_value *v, int depth)
{
	bool	obj = *j->p == '{';
	char	close = obj ? '}' : ']';
	char	*key;

	v->type = obj ? JSON_OBJECT : JSON_ARRAY;
	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		skip_ws(j);
		key = NULL;
		if (obj) {
			if (j->p >= j->end || *j->p != '"')
				return fail(j, "expected a member name");
			if (parse_string(j, &key) != 0)
				return -1;
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				free(key);
				return fail(j, "expected ':' after a member name");
			}
			j->p++;
		}
		(void)grow(v);
		if (obj)
			v->keys[v->n] = key;
		v->n++;
		if (parse_value(j, &v->items[v->n - 1], depth + 1) != 0)
			return -1;
		skip_ws(j);
		if (j->p >= j->end)
			return fail(j, "unexpected end of the text in %s",
			    obj ? "an object" : "an array");
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			return 0;
		}
		return fail(j, "expected ',' or '%c'", close);
	}
}

static int
parse_value(struct jp *j, struct json_value *v, int depth)
{
	skip_ws(j);
	v->line = j->line;
	if (depth > JSON_PARSE_MAX_DEPTH)
		return fail(j, "nested deeper than %d levels",
		    JSON_PARSE_MAX_DEPTH);
	if (++j->nodes > JSON_MAX_NODES)
		return fail(j, "more than %ld values", JSON_MAX_NODES);
	if (j->p >= j->end)
		return fail(j, "unexpected end of the text");
	switch (*j->p) {
	case '{':
	case '[':
		return parse_container(j, v, depth);
	case '"':
		v->type = JSON_STRING;
		return parse_string(j, &v->s);
	case 't':
		v->type = JSON_BOOL;
		v->b = true;
		return literal(j, "true");
	case 'f':
		v->type = JSON_BOOL;
		return literal(j, "false");
	case 'n':
		v->type = JSON_NULL;
		return literal(j, "null");
	default:
		return parse_number(j, v);
	}
}

int
json_parse(const char *text, size_t len, struct json_value *out,
    struct parse_diag *pd)
{
	struct jp	j;

	memset(&j, 0, sizeof j);
	memset(out, 0, sizeof *out);
	j.p = text;
	j.end = text + len;
	j.line = 1;
	j.pd = pd;
	if (parse_value(&j, out, 0) == 0) {
		skip_ws(&j);
		if (j.p < j.end)
			(void)fail(&j, "text after the end of the JSON value");
	}
	return j.failed ? -1 : 0;
}

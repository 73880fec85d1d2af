/* Streaming JSON output; see json_writer.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "json_writer.h"
#include "util/text.h"

void
jw_init(struct json_writer *w, struct buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
}

static void
indent(struct json_writer *w)
{
	static const char	spaces[] = "\n                                "
				    "                                ";
	size_t			n = 2 * (size_t)w->depth;

	/* The newline and the indentation in one append, up to depth 32. */
	if (n < sizeof spaces - 1) {
		buf_append(w->out, spaces, n + 1);
		return;
	}
	buf_putc(w->out, '\n');
	for (; n > 0; n -= 2)
		buf_append(w->out, "  ", 2);
}

/* Called before every value: separators and indentation. */
static void
value_begin(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (w->has_items[w->depth])
			buf_putc(w->out, ',');
		w->has_items[w->depth] = true;
		indent(w);
	}
}

static void
container_begin(struct json_writer *w, char c)
{
	value_begin(w);
	buf_putc(w->out, c);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->has_items[w->depth] = false;
}

static void
container_end(struct json_writer *w, char c)
{
	bool	had = w->has_items[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had)
		indent(w);
	buf_putc(w->out, c);
	if (w->depth == 0)
		buf_putc(w->out, '\n');
}

void
jw_object_begin(struct json_writer *w)
{
	container_begin(w, '{');
}

void
jw_object_end(struct json_writer *w)
{
	container_end(w, '}');
}

void
jw_array_begin(struct json_writer *w)
{
	container_begin(w, '[');
}

void
jw_array_end(struct json_writer *w)
{
	container_end(w, ']');
}

/* Cleaned text, escaped for a JSON string. */
static void
put_escaped_clean(struct json_writer *w, const unsigned char *p)
{
	char	 esc[8];

	for (; *p; p++) {
		switch (*p) {
		case '"':
			buf_append(w->out, "\\\"", 2);
			break;
		case '\\':
			buf_append(w->out, "\\\\", 2);
			break;
		case '\n':
			buf_append(w->out, "\\n", 2);
			break;
		case '\r':
			buf_append(w->out, "\\r", 2);
			break;
		case '\t':
			buf_append(w->out, "\\t", 2);
			break;
		default:
			if (*p < 0x20) {
				snprintf(esc, sizeof esc, "\\u%04x", *p);
				buf_append(w->out, esc, 6);
			} else
				buf_putc(w->out, (char)*p);
		}
	}
}

/*
 * s as a JSON string. Runs of printable ASCII, nearly all text, are
 * appended in one go; from the first other byte on the text is cleaned to
 * valid UTF-8 first (utf8_clean leaves printable ASCII as it is, so where
 * the cleaning starts changes nothing).
 */
static void
put_escaped(struct json_writer *w, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s, *run;
	char			*clean;

	buf_putc(w->out, '"');
	for (;;) {
		for (run = p; *p >= 0x20 && *p < 0x80 && *p != '"' &&
		    *p != '\\'; p++)
			;
		if (p > run)
			buf_append(w->out, run, (size_t)(p - run));
		if (*p == '\0')
			break;
		if (*p == '"' || *p == '\\') {
			buf_append(w->out, *p == '"' ? "\\\"" : "\\\\", 2);
			p++;
			continue;
		}
		clean = utf8_clean((const char *)p, strlen((const char *)p));
		put_escaped_clean(w, (const unsigned char *)clean);
		free(clean);
		break;
	}
	buf_putc(w->out, '"');
}

void
jw_key(struct json_writer *w, const char *k)
{
	value_begin(w);
	put_escaped(w, k);
	buf_append(w->out, ": ", 2);
	w->after_key = true;
}

void
jw_string(struct json_writer *w, const char *s)
{
	if (s == NULL) {
		jw_null(w);
		return;
	}
	value_begin(w);
	put_escaped(w, s);
}

void
jw_int(struct json_writer *w, long long v)
{
	char			 b[24], *p = b + sizeof b;
	unsigned long long	 u = v < 0 ? 0ull - (unsigned long long)v :
				    (unsigned long long)v;

	/* What "%lld" writes, without a format parsed for every number. */
	value_begin(w);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_append(w->out, p, (size_t)(b + sizeof b - p));
}

void
jw_bool(struct json_writer *w, bool v)
{
	value_begin(w);
	if (v)
		buf_append(w->out, "true", 4);
	else
		buf_append(w->out, "false", 5);
}

void
jw_null(struct json_writer *w)
{
	value_begin(w);
	buf_append(w->out, "null", 4);
}

void
jw_tri(struct json_writer *w, tri_t t)
{
	if (t == TRI_UNKNOWN)
		jw_null(w);
	else
		jw_bool(w, t == TRI_TRUE);
}

void
jw_time_as(struct json_writer *w, int64_t t, bool utc)
{
	char	buf[40];
	size_t	n;

	if (t == TIME_UNKNOWN) {
		jw_null(w);
		return;
	}
	time_format_iso(t, buf, sizeof buf);
	/* A local time has no zone: "Z" would say UTC. */
	n = strlen(buf);
	if (!utc && n > 0 && buf[n - 1] == 'Z')
		buf[n - 1] = '\0';
	jw_string(w, buf);
}

void
jw_time(struct json_writer *w, int64_t t)
{
	jw_time_as(w, t, true);
}

void
jw_strlist(struct json_writer *w, const struct strlist *l)
{
	size_t	i;

	jw_array_begin(w);
	for (i = 0; i < l->n; i++)
		jw_string(w, l->v[i]);
	jw_array_end(w);
}

void
jw_kv_string(struct json_writer *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_string(w, v);
}

void
jw_kv_int(struct json_writer *w, const char *k, long long v)
{
	jw_key(w, k);
	jw_int(w, v);
}

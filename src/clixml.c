/*
 * CliXml reader: a small XML tokenizer and a builder of CliXml objects on top
 * of it. Everything is bounded (depth, attributes, names, nodes, text), every
 * step moves forward through the input, and errors carry a line number.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clixml.h"
#include "datetime.h"
#include "util.h"

#define MAX_ATTRS	32		/* per element */
#define MAX_NAME	256		/* element and attribute names */
#define MAX_NODES	(4L * 1024 * 1024)	/* values in one document */
#define MAX_TEXT	(256UL * 1024 * 1024)	/* one text or attribute value */
#define MAX_WARNINGS	50

/* ------------------------------------------------------------ string map */

/* Open addressing, string keys: RefId -> object or type-name list. */
struct smap {
	char	**keys;
	void	**vals;
	size_t	  cap;
	size_t	  n;
};

static uint64_t
smap_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t
smap_slot(const struct smap *m, const char *key)
{
	size_t	i = (size_t)smap_hash(key) & (m->cap - 1);

	while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
smap_grow(struct smap *m)
{
	struct smap	 nm;
	size_t		 i, j;

	nm.cap = m->cap ? m->cap * 2 : 64;
	nm.n = m->n;
	nm.keys = xcalloc(nm.cap, sizeof *nm.keys);
	nm.vals = xcalloc(nm.cap, sizeof *nm.vals);
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		j = smap_slot(&nm, m->keys[i]);
		nm.keys[j] = m->keys[i];
		nm.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	*m = nm;
}

/* Later definitions replace earlier ones, as PowerShell's reader does. */
static void
smap_put(struct smap *m, const char *key, void *val)
{
	size_t	i;

	if ((m->n + 1) * 2 > m->cap)
		smap_grow(m);
	i = smap_slot(m, key);
	if (m->keys[i] == NULL) {
		m->keys[i] = xstrdup(key);
		m->n++;
	}
	m->vals[i] = val;
}

static void *
smap_get(const struct smap *m, const char *key)
{
	size_t	i;

	if (m->cap == 0 || key == NULL)
		return NULL;
	i = smap_slot(m, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

static void
smap_free(struct smap *m)
{
	size_t	i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------ tokenizer */

enum tok_kind { TOK_START, TOK_END, TOK_TEXT, TOK_EOF };

struct xml_attr {
	char	name[MAX_NAME + 1];
	char	*value;		/* entity-decoded */
};

struct tok {
	enum tok_kind	 kind;
	char		 name[MAX_NAME + 1];
	bool		 empty;		/* <x/> */
	struct xml_attr	 attrs[MAX_ATTRS];
	size_t		 nattrs;
	char		*text;		/* TOK_TEXT, entity-decoded */
	size_t		 textlen;
	long		 line;
};

struct lexer {
	const char	*p;
	const char	*end;
	long		 line;
};

/* Moves forward n bytes, counting the newlines passed. */
static void
lex_advance(struct lexer *lx, size_t n)
{
	const char	*stop = lx->p + n, *nl;

	while ((nl = memchr(lx->p, '\n', (size_t)(stop - lx->p))) != NULL) {
		lx->line++;
		lx->p = nl + 1;
	}
	lx->p = stop;
}

static bool
lex_starts(const struct lexer *lx, const char *s)
{
	size_t	n = strlen(s);

	return (size_t)(lx->end - lx->p) >= n && memcmp(lx->p, s, n) == 0;
}

/* Finds `s` from the current position; NULL when absent. */
static const char *
lex_find(const struct lexer *lx, const char *s)
{
	size_t		 n = strlen(s);
	const char	*q = lx->p;

	while ((size_t)(lx->end - q) >= n) {
		q = memchr(q, s[0], (size_t)(lx->end - q) - n + 1);
		if (q == NULL)
			return NULL;
		if (memcmp(q, s, n) == 0)
			return q;
		q++;
	}
	return NULL;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_name_char(char c)
{
	return !(is_space(c) || c == '<' || c == '>' || c == '/' || c == '=' ||
	    c == '"' || c == '\'' || c == '&' || c == '\0');
}

static void
utf8_put(struct buf *b, uint32_t cp)
{
	char	u[4];

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		buf_append(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 4);
	}
}

/* Decodes one entity at s (after '&', up to ';'); -1 when unknown. */
static int
entity_decode(const char *s, size_t n, struct buf *out)
{
	static const struct { const char *name; char c; } named[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' },
		{ "quot", '"' }, { "apos", '\'' }
	};
	unsigned long	 cp = 0;
	size_t		 i;
	int		 base = 10;

	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strlen(named[i].name) == n && memcmp(s, named[i].name, n) == 0)
			return buf_putc(out, named[i].c);
	if (n < 2 || s[0] != '#')
		return -1;
	i = 1;
	if (s[1] == 'x' || s[1] == 'X') {
		base = 16;
		i = 2;
	}
	if (i >= n || n - i > 8)
		return -1;
	for (; i < n; i++) {
		int	c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		cp = cp * (unsigned long)base + (unsigned long)d;
	}
	utf8_put(out, cp > 0x10FFFF ? 0xFFFD : (uint32_t)cp);
	return 0;
}

/*
 * Appends s[0..n) to out with entities decoded and line ends normalized
 * (CRLF and lone CR become LF, as XML requires). Returns an error text or NULL.
 */
static const char *
text_decode(const char *s, size_t n, struct buf *out)
{
	size_t		 i = 0, run;
	const char	*semi;

	while (i < n) {
		run = i;
		while (run < n && s[run] != '&' && s[run] != '\r')
			run++;
		if (buf_append(out, s + i, run - i) != 0)
			return "text too long";
		i = run;
		if (i >= n)
			break;
		if (s[i] == '\r') {
			if (buf_putc(out, '\n') != 0)
				return "text too long";
			i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
			continue;
		}
		semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
		if (semi == NULL)
			return "bad entity reference";
		if (entity_decode(s + i + 1, (size_t)(semi - s - i - 1), out) != 0)
			return "unknown entity reference";
		i = (size_t)(semi - s) + 1;
	}
	return NULL;
}

static void
tok_reset(struct tok *t)
{
	size_t	i;

	for (i = 0; i < t->nattrs; i++) {
		free(t->attrs[i].value);
		t->attrs[i].value = NULL;
	}
	t->nattrs = 0;
	free(t->text);
	t->text = NULL;
	t->textlen = 0;
	t->name[0] = '\0';
	t->empty = false;
}

static const char *
tok_attr(const struct tok *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->nattrs; i++)
		if (strcmp(t->attrs[i].name, name) == 0)
			return t->attrs[i].value;
	return NULL;
}

static void
lex_skip_space(struct lexer *lx)
{
	size_t	n = 0;

	while (lx->p + n < lx->end && is_space(lx->p[n]))
		n++;
	lex_advance(lx, n);
}

/* Reads a name into dst; error text or NULL. */
static const char *
lex_name(struct lexer *lx, char dst[MAX_NAME + 1])
{
	size_t	n = 0;

	while (lx->p + n < lx->end && is_name_char(lx->p[n])) {
		if (n >= MAX_NAME)
			return "name too long";
		n++;
	}
	if (n == 0)
		return "expected a name";
	memcpy(dst, lx->p, n);
	dst[n] = '\0';
	lx->p += n;
	return NULL;
}

static const char *
lex_attr_value(struct lexer *lx, char **out)
{
	char		 quote;
	const char	*close, *err;
	struct buf	 b;

	if (lx->p >= lx->end || (*lx->p != '"' && *lx->p != '\''))
		return "attribute value not quoted";
	quote = *lx->p;
	lx->p++;
	close = memchr(lx->p, quote, (size_t)(lx->end - lx->p));
	if (close == NULL)
		return "unterminated attribute value";
	if (memchr(lx->p, '<', (size_t)(close - lx->p)) != NULL)
		return "'<' in attribute value";
	buf_init(&b, MAX_TEXT);
	err = text_decode(lx->p, (size_t)(close - lx->p), &b);
	if (err != NULL) {
		buf_free(&b);
		return err;
	}
	*out = buf_steal(&b, NULL);
	lex_advance(lx, (size_t)(close - lx->p) + 1);
	return NULL;
}

/* After "<name": attributes, then ">" or "/>". */
static const char *
lex_start_tag(struct lexer *lx, struct tok *t)
{
	const char	*err;
	struct xml_attr	*a;

	for (;;) {
		lex_skip_space(lx);
		if (lx->p >= lx->end)
			return "unterminated start tag";
		if (*lx->p == '>') {
			lx->p++;
			return NULL;
		}
		if (lex_starts(lx, "/>")) {
			lx->p += 2;
			t->empty = true;
			return NULL;
		}
		if (t->nattrs >= MAX_ATTRS)
			return "too many attributes";
		a = &t->attrs[t->nattrs];
		if ((err = lex_name(lx, a->name)) != NULL)
			return err;
		lex_skip_space(lx);
		if (lx->p >= lx->end || *lx->p != '=')
			return "expected '=' after attribute name";
		lx->p++;
		lex_skip_space(lx);
		if ((err = lex_attr_value(lx, &a->value)) != NULL)
			return err;
		t->nattrs++;
	}
}

/* Skips a comment, processing instruction or declaration at '<'. */
static const char *
lex_skip_markup(struct lexer *lx)
{
	const char	*q;

	if (lex_starts(lx, "<!--")) {
		lx->p += 4;
		if ((q = lex_find(lx, "-->")) == NULL)
			return "unterminated comment";
		lex_advance(lx, (size_t)(q - lx->p) + 3);
	} else if (lex_starts(lx, "<?")) {
		if ((q = lex_find(lx, "?>")) == NULL)
			return "unterminated processing instruction";
		lex_advance(lx, (size_t)(q - lx->p) + 2);
	} else {
		/* <!DOCTYPE ...>: an internal subset could declare entities. */
		if ((q = lex_find(lx, ">")) == NULL)
			return "unterminated declaration";
		if (memchr(lx->p, '[', (size_t)(q - lx->p)) != NULL)
			return "document type declarations are not supported";
		lex_advance(lx, (size_t)(q - lx->p) + 1);
	}
	return NULL;
}

static const char *
lex_text(struct lexer *lx, struct tok *t)
{
	struct buf	 b;
	const char	*lt, *err;
	size_t		 n;

	t->kind = TOK_TEXT;
	buf_init(&b, MAX_TEXT);
	for (;;) {
		if (lex_starts(lx, "<![CDATA[")) {
			lx->p += 9;
			if ((lt = lex_find(lx, "]]>")) == NULL) {
				buf_free(&b);
				return "unterminated CDATA section";
			}
			if (buf_append(&b, lx->p, (size_t)(lt - lx->p)) != 0) {
				buf_free(&b);
				return "text too long";
			}
			lex_advance(lx, (size_t)(lt - lx->p) + 3);
			continue;
		}
		if (lx->p >= lx->end || *lx->p == '<')
			break;
		lt = memchr(lx->p, '<', (size_t)(lx->end - lx->p));
		n = lt ? (size_t)(lt - lx->p) : (size_t)(lx->end - lx->p);
		if ((err = text_decode(lx->p, n, &b)) != NULL) {
			buf_free(&b);
			return err;
		}
		lex_advance(lx, n);
	}
	t->text = buf_steal(&b, &t->textlen);
	return NULL;
}

/* The next token; error text or NULL. */
static const char *
lex_next(struct lexer *lx, struct tok *t)
{
	const char	*err;

	tok_reset(t);
	for (;;) {
		t->line = lx->line;
		if (lx->p >= lx->end) {
			t->kind = TOK_EOF;
			return NULL;
		}
		if (*lx->p != '<' || lex_starts(lx, "<![CDATA["))
			return lex_text(lx, t);
		if (lex_starts(lx, "<!") || lex_starts(lx, "<?")) {
			if ((err = lex_skip_markup(lx)) != NULL)
				return err;
			continue;
		}
		if (lex_starts(lx, "</")) {
			lx->p += 2;
			t->kind = TOK_END;
			if ((err = lex_name(lx, t->name)) != NULL)
				return err;
			lex_skip_space(lx);
			if (lx->p >= lx->end || *lx->p != '>')
				return "malformed end tag";
			lx->p++;
			return NULL;
		}
		lx->p++;
		t->kind = TOK_START;
		if ((err = lex_name(lx, t->name)) != NULL)
			return err;
		return lex_start_tag(lx, t);
	}
}

/* ------------------------------------------------------------ escapes */

static int
hex4(const char *s, uint32_t *out)
{
	uint32_t	v = 0;
	int		i, c;

	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Whether s[i..n) starts a "_xHHHH_" escape; its code unit in *u. */
static bool
escape_at(const char *s, size_t i, size_t n, uint32_t *u)
{
	return n - i >= 7 && s[i] == '_' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
	    s[i + 6] == '_' && hex4(s + i + 2, u) == 0;
}

char *
clixml_unescape(const char *s, size_t len)
{
	struct buf	 b;
	size_t		 i = 0, run;
	uint32_t	 u, lo;

	buf_init(&b, (size_t)-1 / 2);
	while (i < len) {
		run = i;
		while (run < len && s[run] != '_')
			run++;
		buf_append(&b, s + i, run - i);
		i = run;
		if (i >= len)
			break;
		if (!escape_at(s, i, len, &u)) {
			buf_putc(&b, '_');
			i++;
			continue;
		}
		i += 7;
		if (u >= 0xD800 && u <= 0xDBFF && escape_at(s, i, len, &lo) &&
		    lo >= 0xDC00 && lo <= 0xDFFF) {
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			i += 7;
		}
		utf8_put(&b, u);	/* lone surrogates and NUL become U+FFFD */
	}
	return buf_steal(&b, NULL);
}

/* ------------------------------------------------------------ base64 */

static int
b64_digit(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64 (white space ignored, padding only at the end). */
static bool
b64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen)
{
	unsigned char	*o = xmalloc(n / 4 * 3 + 3);
	size_t		 i, k = 0, pad = 0, q = 0;
	uint32_t	 acc = 0;
	int		 d;

	for (i = 0; i < n; i++) {
		int	c = (unsigned char)s[i];

		if (is_space((char)c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (d = b64_digit(c)) < 0)
			goto bad;
		acc = (acc << 6) | (uint32_t)d;
		if (++q == 4) {
			o[k++] = (unsigned char)(acc >> 16);
			o[k++] = (unsigned char)(acc >> 8);
			o[k++] = (unsigned char)acc;
			acc = 0;
			q = 0;
		}
	}
	if (q == 1 || pad > 2 || (pad > 0 && q + pad != 4))
		goto bad;
	if (q == 2) {
		o[k++] = (unsigned char)(acc >> 4);
	} else if (q == 3) {
		o[k++] = (unsigned char)(acc >> 10);
		o[k++] = (unsigned char)(acc >> 2);
	}
	*out = o;
	*outlen = k;
	return true;
bad:
	free(o);
	return false;
}

/* ------------------------------------------------------------ builder */

struct cx_priv {
	struct smap		  objs;		/* RefId -> struct cx_obj */
	struct smap		  tns;		/* TN RefId -> struct cx_typenames */
	struct cx_obj		**allobjs;	/* every object, for freeing */
	size_t			  nallobjs, allobjs_cap;
	struct cx_typenames	**alltns;
	size_t			  nalltns, alltns_cap;
};

struct parser {
	struct lexer	 lx;
	struct tok	 tok;
	struct cx_doc	*doc;
	struct cx_priv	*priv;
	long		 nodes;
	const char	*error;		/* static text or errbuf */
	char		 errbuf[MAX_NAME * 2 + 64];
	long		 error_line;
};

static const struct {
	const char	*tag;
	enum cx_type	 type;
} prim_tags[] = {
	{ "S", CX_STRING }, { "B", CX_BOOL },
	{ "I16", CX_INT }, { "I32", CX_INT }, { "I64", CX_INT },
	{ "U16", CX_INT }, { "U32", CX_INT }, { "U64", CX_INT },
	{ "By", CX_INT }, { "SB", CX_INT }, { "U8", CX_INT }, { "I8", CX_INT },
	{ "Db", CX_FLOAT }, { "Sg", CX_FLOAT }, { "D", CX_FLOAT },
	{ "DT", CX_DATETIME }, { "G", CX_GUID }, { "BA", CX_BYTES },
	{ "URI", CX_URI }, { "Version", CX_VERSION }, { "TS", CX_TIMESPAN },
	{ "C", CX_CHAR }, { "XD", CX_XML }, { "SBK", CX_SCRIPT },
	{ "SS", CX_SECURE }, { "Nil", CX_NIL }, { "Obj", CX_OBJECT },
	{ "Ref", CX_OBJECT }
};

/* The value type for an element name; false for anything else. */
static bool
value_tag(const char *name, enum cx_type *type, const char **tag)
{
	size_t	i;

	for (i = 0; i < sizeof prim_tags / sizeof prim_tags[0]; i++) {
		if (strcmp(prim_tags[i].tag, name) == 0) {
			*type = prim_tags[i].type;
			*tag = prim_tags[i].tag;
			return true;
		}
	}
	return false;
}

static int
parse_fail(struct parser *ps, const char *msg, long line)
{
	if (ps->error == NULL) {
		ps->error = msg;
		ps->error_line = line;
	}
	return -1;
}

static int
parse_failf_tag(struct parser *ps, const char *what, const char *tag, long line)
{
	if (ps->error != NULL)
		return -1;	/* the first error is the one reported */
	snprintf(ps->errbuf, sizeof ps->errbuf, "%s <%s>", what, tag);
	return parse_fail(ps, ps->errbuf, line);
}

static void doc_warn(struct parser *, long, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
doc_warn(struct parser *ps, long line, const char *fmt, ...)
{
	struct cx_doc	*doc = ps->doc;
	char		 msg[512];
	va_list		 ap;

	if (doc->nwarnings >= MAX_WARNINGS) {
		doc->warnings_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	doc->warnings = xreallocarray_grow(doc->warnings, &doc->warnings_cap,
	    doc->nwarnings + 1, sizeof *doc->warnings);
	/* Same capacity for the lines: grow them in step. */
	doc->warning_lines = xrealloc(doc->warning_lines,
	    doc->warnings_cap * sizeof *doc->warning_lines);
	doc->warnings[doc->nwarnings] = xstrdup(msg);
	doc->warning_lines[doc->nwarnings] = line;
	doc->nwarnings++;
}

static int
next(struct parser *ps)
{
	const char	*err;

	if ((err = lex_next(&ps->lx, &ps->tok)) != NULL)
		return parse_fail(ps, err, ps->lx.line);
	return 0;
}

static bool
is_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

static void
value_clear(struct cx_value *v)
{
	free(v->name);
	free(v->text);
	free(v->bytes);
	memset(v, 0, sizeof *v);
}

static struct cx_obj *
obj_new(struct parser *ps, long line)
{
	struct cx_priv	*pv = ps->priv;
	struct cx_obj	*o = xcalloc(1, sizeof *o);

	o->line = line;
	pv->allobjs = xreallocarray_grow(pv->allobjs, &pv->allobjs_cap,
	    pv->nallobjs + 1, sizeof *pv->allobjs);
	pv->allobjs[pv->nallobjs++] = o;
	return o;
}

static void
obj_free(struct cx_obj *o)
{
	size_t	i;

	free(o->refid);
	free(o->to_string);
	for (i = 0; i < o->nprops; i++)
		value_clear(&o->props[i]);
	free(o->props);
	for (i = 0; i < o->nitems; i++)
		value_clear(&o->items[i]);
	free(o->items);
	for (i = 0; i < o->nentries; i++) {
		value_clear(&o->entries[i].key);
		value_clear(&o->entries[i].value);
	}
	free(o->entries);
	if (o->prim != NULL) {
		value_clear(o->prim);
		free(o->prim);
	}
	free(o);
}

/*
 * Skips the element whose start tag is the current token, children and all.
 * Depth is counted so hostile nesting stays bounded here too.
 */
static int
skip_element(struct parser *ps, int depth)
{
	long	level = 1;

	if (ps->tok.empty)
		return 0;
	while (level > 0) {
		if (next(ps) != 0)
			return -1;
		switch (ps->tok.kind) {
		case TOK_START:
			if (depth + level >= CLIXML_MAX_DEPTH)
				return parse_fail(ps, "elements nested too deeply",
				    ps->tok.line);
			if (!ps->tok.empty)
				level++;
			break;
		case TOK_END:
			level--;
			break;
		case TOK_TEXT:
			break;
		case TOK_EOF:
			return parse_fail(ps, "unexpected end of document",
			    ps->tok.line);
		}
	}
	return 0;
}

/*
 * Reads the text content of the current element up to its end tag. Child
 * elements (not valid CliXml here) are skipped.
 */
static int
read_content(struct parser *ps, int depth, struct buf *out)
{
	char	tag[MAX_NAME + 1];
	long	line = ps->tok.line;

	if (ps->tok.empty)
		return 0;
	memcpy(tag, ps->tok.name, sizeof tag);
	for (;;) {
		if (next(ps) != 0)
			return -1;
		switch (ps->tok.kind) {
		case TOK_TEXT:
			if (buf_append(out, ps->tok.text, ps->tok.textlen) != 0)
				return parse_fail(ps, "text too long", line);
			break;
		case TOK_START:
			if (depth + 1 >= CLIXML_MAX_DEPTH)
				return parse_fail(ps, "elements nested too deeply",
				    ps->tok.line);
			if (skip_element(ps, depth + 1) != 0)
				return -1;
			break;
		case TOK_END:
			if (strcmp(ps->tok.name, tag) != 0)
				return parse_failf_tag(ps, "mismatched end tag, expected",
				    tag, ps->tok.line);
			return 0;
		case TOK_EOF:
			return parse_failf_tag(ps, "unexpected end of document inside",
			    tag, line);
		}
	}
}

static int	parse_obj(struct parser *, struct cx_value *, int depth);

/* Fills a primitive from its text; bytes for BA. */
static void
prim_set_text(struct parser *ps, struct cx_value *v, char *text, size_t len)
{
	if (v->type == CX_BYTES) {
		if (!b64_decode(text, len, &v->bytes, &v->nbytes)) {
			v->bytes_bad = true;
			doc_warn(ps, v->line, "invalid base64 in <BA N=\"%s\">",
			    v->name ? v->name : "");
		}
		free(text);
		return;
	}
	if (v->type == CX_STRING) {
		v->text = clixml_unescape(text, len);
		free(text);
		return;
	}
	v->text = text;
}

static int
parse_ref(struct parser *ps, struct cx_value *v, int depth)
{
	const char	*id = tok_attr(&ps->tok, "RefId");

	v->is_ref = true;
	v->obj = smap_get(&ps->priv->objs, id);
	if (v->obj == NULL) {
		v->type = CX_UNRESOLVED;
		doc_warn(ps, v->line, "reference to unknown RefId \"%s\"",
		    id ? id : "(none)");
	}
	return skip_element(ps, depth);
}

/*
 * Parses the value element whose start tag is the current token into v.
 * Returns 1 when it was a value, 0 when the element was not one (skipped),
 * -1 on error. v owns its strings even on error.
 */
static int
parse_value(struct parser *ps, struct cx_value *v, int depth)
{
	enum cx_type	 type;
	const char	*tag, *n;
	struct buf	 b;
	char		*text;
	size_t		 len;

	memset(v, 0, sizeof *v);
	if (depth >= CLIXML_MAX_DEPTH)
		return parse_fail(ps, "elements nested too deeply", ps->tok.line);
	if (!value_tag(ps->tok.name, &type, &tag))
		return skip_element(ps, depth) == 0 ? 0 : -1;
	if (++ps->nodes > MAX_NODES)
		return parse_fail(ps, "too many values", ps->tok.line);
	v->type = type;
	v->tag = tag;
	v->line = ps->tok.line;
	if ((n = tok_attr(&ps->tok, "N")) != NULL)
		v->name = clixml_unescape(n, strlen(n));
	if (strcmp(tag, "Obj") == 0)
		return parse_obj(ps, v, depth) == 0 ? 1 : -1;
	if (strcmp(tag, "Ref") == 0)
		return parse_ref(ps, v, depth) == 0 ? 1 : -1;
	if (type == CX_NIL)
		return skip_element(ps, depth) == 0 ? 1 : -1;
	buf_init(&b, MAX_TEXT);
	if (read_content(ps, depth, &b) != 0) {
		buf_free(&b);
		return -1;
	}
	text = buf_steal(&b, &len);
	prim_set_text(ps, v, text, len);
	return 1;
}

/* Reads value children up to the end tag, handing each to add(). */
typedef void (*value_add_fn)(struct cx_obj *, struct cx_value *, bool flag);

static int
parse_children(struct parser *ps, struct cx_obj *o, int depth,
    value_add_fn add, bool flag)
{
	char		tag[MAX_NAME + 1];
	long		line = ps->tok.line;
	struct cx_value	v;
	int		rc;

	if (ps->tok.empty)
		return 0;
	memcpy(tag, ps->tok.name, sizeof tag);
	for (;;) {
		if (next(ps) != 0)
			return -1;
		switch (ps->tok.kind) {
		case TOK_TEXT:
			break;
		case TOK_START:
			rc = parse_value(ps, &v, depth + 1);
			if (rc < 0) {
				value_clear(&v);
				return -1;
			}
			if (rc > 0)
				add(o, &v, flag);
			break;
		case TOK_END:
			if (strcmp(ps->tok.name, tag) != 0)
				return parse_failf_tag(ps,
				    "mismatched end tag, expected", tag, ps->tok.line);
			return 0;
		case TOK_EOF:
			return parse_failf_tag(ps, "unexpected end of document inside",
			    tag, line);
		}
	}
}

static void
add_prop(struct cx_obj *o, struct cx_value *v, bool extended)
{
	o->props = xreallocarray_grow(o->props, &o->props_cap, o->nprops + 1,
	    sizeof *o->props);
	v->extended = extended;
	o->props[o->nprops++] = *v;
}

static void
add_item(struct cx_obj *o, struct cx_value *v, bool unused)
{
	(void)unused;
	o->items = xreallocarray_grow(o->items, &o->items_cap, o->nitems + 1,
	    sizeof *o->items);
	o->items[o->nitems++] = *v;
}

/* <DCT><En><S N="Key">k</S><Obj N="Value">...</Obj></En>...</DCT> */
static void
add_entry_part(struct cx_obj *o, struct cx_value *v, bool unused)
{
	struct cx_entry	*e = &o->entries[o->nentries - 1];

	(void)unused;
	if (v->name != NULL && ascii_casecmp(v->name, "Key") == 0 &&
	    e->key.tag == NULL) {
		e->key = *v;
	} else if (v->name != NULL && ascii_casecmp(v->name, "Value") == 0 &&
	    e->value.tag == NULL) {
		e->value = *v;
	} else {
		value_clear(v);
	}
}

static int
parse_dict(struct parser *ps, struct cx_obj *o, int depth)
{
	char	tag[MAX_NAME + 1];
	long	line = ps->tok.line;

	if (ps->tok.empty)
		return 0;
	memcpy(tag, ps->tok.name, sizeof tag);
	for (;;) {
		if (next(ps) != 0)
			return -1;
		switch (ps->tok.kind) {
		case TOK_TEXT:
			break;
		case TOK_START:
			if (strcmp(ps->tok.name, "En") != 0) {
				if (skip_element(ps, depth + 1) != 0)
					return -1;
				break;
			}
			if (depth + 1 >= CLIXML_MAX_DEPTH)
				return parse_fail(ps, "elements nested too deeply",
				    ps->tok.line);
			o->entries = xreallocarray_grow(o->entries,
			    &o->entries_cap, o->nentries + 1, sizeof *o->entries);
			memset(&o->entries[o->nentries], 0, sizeof *o->entries);
			/* Counted before it is filled, so a failure still frees it. */
			o->nentries++;
			if (parse_children(ps, o, depth + 1, add_entry_part,
			    false) != 0)
				return -1;
			break;
		case TOK_END:
			if (strcmp(ps->tok.name, tag) != 0)
				return parse_failf_tag(ps,
				    "mismatched end tag, expected", tag, ps->tok.line);
			return 0;
		case TOK_EOF:
			return parse_failf_tag(ps, "unexpected end of document inside",
			    tag, line);
		}
	}
}

static struct cx_typenames *
typenames_new(struct parser *ps)
{
	struct cx_priv		*pv = ps->priv;
	struct cx_typenames	*tn = xcalloc(1, sizeof *tn);

	pv->alltns = xreallocarray_grow(pv->alltns, &pv->alltns_cap,
	    pv->nalltns + 1, sizeof *pv->alltns);
	pv->alltns[pv->nalltns++] = tn;
	return tn;
}

/* <TN RefId="k"><T>name</T>...</TN> */
static int
parse_tn(struct parser *ps, struct cx_obj *o, int depth)
{
	struct cx_typenames	*tn = typenames_new(ps);
	const char		*id = tok_attr(&ps->tok, "RefId");
	size_t			 cap = 0;
	long			 line = ps->tok.line;
	struct buf		 b;
	char			*text;
	size_t			 len;

	if (id != NULL)
		smap_put(&ps->priv->tns, id, tn);
	o->tn = tn;
	if (ps->tok.empty)
		return 0;
	for (;;) {
		if (next(ps) != 0)
			return -1;
		if (ps->tok.kind == TOK_TEXT)
			continue;
		if (ps->tok.kind == TOK_END)
			return strcmp(ps->tok.name, "TN") == 0 ? 0 :
			    parse_failf_tag(ps, "mismatched end tag, expected",
			    "TN", ps->tok.line);
		if (ps->tok.kind == TOK_EOF)
			return parse_failf_tag(ps, "unexpected end of document inside",
			    "TN", line);
		if (depth + 1 >= CLIXML_MAX_DEPTH)
			return parse_fail(ps, "elements nested too deeply",
			    ps->tok.line);
		if (strcmp(ps->tok.name, "T") != 0) {
			if (skip_element(ps, depth + 1) != 0)
				return -1;
			continue;
		}
		if (++ps->nodes > MAX_NODES)
			return parse_fail(ps, "too many values", ps->tok.line);
		buf_init(&b, MAX_TEXT);
		if (read_content(ps, depth + 1, &b) != 0) {
			buf_free(&b);
			return -1;
		}
		text = buf_steal(&b, &len);
		tn->v = xreallocarray_grow(tn->v, &cap, tn->n + 1, sizeof *tn->v);
		tn->v[tn->n++] = clixml_unescape(text, len);
		free(text);
	}
}

static int
parse_tnref(struct parser *ps, struct cx_obj *o, int depth)
{
	const char	*id = tok_attr(&ps->tok, "RefId");

	o->tn = smap_get(&ps->priv->tns, id);
	if (o->tn == NULL)
		doc_warn(ps, ps->tok.line, "reference to unknown type list "
		    "RefId \"%s\"", id ? id : "(none)");
	return skip_element(ps, depth);
}

static int
parse_to_string(struct parser *ps, struct cx_obj *o, int depth)
{
	struct buf	 b;
	char		*text;
	size_t		 len;

	buf_init(&b, MAX_TEXT);
	if (read_content(ps, depth, &b) != 0) {
		buf_free(&b);
		return -1;
	}
	text = buf_steal(&b, &len);
	free(o->to_string);
	o->to_string = clixml_unescape(text, len);
	free(text);
	return 0;
}

static int
parse_container(struct parser *ps, struct cx_obj *o, int depth,
    enum cx_container kind)
{
	o->container = kind;
	return parse_children(ps, o, depth, add_item, false);
}

/* The primitive value written directly inside an <Obj> (enums). */
static int
parse_obj_prim(struct parser *ps, struct cx_obj *o, int depth)
{
	struct cx_value	v;
	int		rc = parse_value(ps, &v, depth);

	if (rc <= 0) {
		value_clear(&v);
		return rc;
	}
	if (o->prim != NULL) {
		value_clear(&v);	/* keep the first */
		return 0;
	}
	o->prim = xmalloc(sizeof *o->prim);
	*o->prim = v;
	return 0;
}

/* One child element of an <Obj>. */
static int
parse_obj_child(struct parser *ps, struct cx_obj *o, int depth)
{
	const char	*name = ps->tok.name;
	enum cx_type	 type;
	const char	*tag;

	if (depth >= CLIXML_MAX_DEPTH)
		return parse_fail(ps, "elements nested too deeply", ps->tok.line);
	if (strcmp(name, "TN") == 0)
		return parse_tn(ps, o, depth);
	if (strcmp(name, "TNRef") == 0)
		return parse_tnref(ps, o, depth);
	if (strcmp(name, "ToString") == 0)
		return parse_to_string(ps, o, depth);
	if (strcmp(name, "Props") == 0)
		return parse_children(ps, o, depth, add_prop, false);
	if (strcmp(name, "MS") == 0)
		return parse_children(ps, o, depth, add_prop, true);
	if (strcmp(name, "LST") == 0)
		return parse_container(ps, o, depth, CX_CONT_LST);
	if (strcmp(name, "IE") == 0)
		return parse_container(ps, o, depth, CX_CONT_IE);
	if (strcmp(name, "STK") == 0)
		return parse_container(ps, o, depth, CX_CONT_STK);
	if (strcmp(name, "QUE") == 0)
		return parse_container(ps, o, depth, CX_CONT_QUE);
	if (strcmp(name, "DCT") == 0) {
		o->container = CX_CONT_DCT;
		return parse_dict(ps, o, depth);
	}
	if (value_tag(name, &type, &tag))
		return parse_obj_prim(ps, o, depth);
	return skip_element(ps, depth);
}

static int
parse_obj(struct parser *ps, struct cx_value *v, int depth)
{
	struct cx_obj	*o = obj_new(ps, v->line);
	const char	*id = tok_attr(&ps->tok, "RefId");

	v->obj = o;
	if (id != NULL) {
		o->refid = xstrdup(id);
		smap_put(&ps->priv->objs, id, o);
	}
	if (ps->tok.empty)
		return 0;
	for (;;) {
		if (next(ps) != 0)
			return -1;
		switch (ps->tok.kind) {
		case TOK_TEXT:
			break;
		case TOK_START:
			if (parse_obj_child(ps, o, depth + 1) != 0)
				return -1;
			break;
		case TOK_END:
			if (strcmp(ps->tok.name, "Obj") != 0)
				return parse_failf_tag(ps,
				    "mismatched end tag, expected", "Obj",
				    ps->tok.line);
			return 0;
		case TOK_EOF:
			return parse_failf_tag(ps, "unexpected end of document inside",
			    "Obj", v->line);
		}
	}
}

static void
add_top(struct cx_doc *doc, struct cx_value *v)
{
	doc->top = xreallocarray_grow(doc->top, &doc->top_cap, doc->ntop + 1,
	    sizeof *doc->top);
	doc->top[doc->ntop++] = *v;
}

/* The children of <Objs>, each added once complete. */
static int
parse_objs(struct parser *ps)
{
	long		line = ps->tok.line;
	struct cx_value	v;
	int		rc;

	if (ps->tok.empty)
		return 0;
	for (;;) {
		if (next(ps) != 0)
			return -1;
		switch (ps->tok.kind) {
		case TOK_TEXT:
			break;
		case TOK_START:
			rc = parse_value(ps, &v, 1);
			if (rc < 0) {
				value_clear(&v);
				return -1;
			}
			if (rc > 0)
				add_top(ps->doc, &v);
			break;
		case TOK_END:
			if (strcmp(ps->tok.name, "Objs") != 0)
				return parse_failf_tag(ps,
				    "mismatched end tag, expected", "Objs",
				    ps->tok.line);
			return 0;
		case TOK_EOF:
			return parse_failf_tag(ps, "unexpected end of document inside",
			    "Objs", line);
		}
	}
}

static int
parse_document(struct parser *ps)
{
	/* Prolog: declarations, comments, white space. */
	do {
		if (next(ps) != 0)
			return -1;
	} while (ps->tok.kind == TOK_TEXT && is_blank(ps->tok.text, ps->tok.textlen));
	if (ps->tok.kind != TOK_START || strcmp(ps->tok.name, "Objs") != 0)
		return parse_fail(ps, "not a CliXml document (no <Objs> root)",
		    ps->tok.line);
	if (parse_objs(ps) != 0)
		return -1;
	do {
		if (next(ps) != 0)
			return -1;
	} while (ps->tok.kind == TOK_TEXT && is_blank(ps->tok.text, ps->tok.textlen));
	if (ps->tok.kind != TOK_EOF)
		return parse_fail(ps, "content after the end of <Objs>",
		    ps->tok.line);
	return 0;
}

struct cx_doc *
clixml_parse(const char *text, size_t len)
{
	struct parser	 ps;
	struct cx_doc	*doc = xcalloc(1, sizeof *doc);

	memset(&ps, 0, sizeof ps);
	ps.doc = doc;
	ps.priv = xcalloc(1, sizeof *ps.priv);
	doc->priv = ps.priv;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	ps.lx.p = text;
	ps.lx.end = text + len;
	ps.lx.line = 1;
	if (parse_document(&ps) != 0) {
		doc->error = xstrdup(ps.error);
		doc->error_line = ps.error_line;
	}
	tok_reset(&ps.tok);
	return doc;
}

void
clixml_free(struct cx_doc *doc)
{
	struct cx_priv	*pv;
	size_t		 i, j;

	if (doc == NULL)
		return;
	pv = doc->priv;
	for (i = 0; i < doc->ntop; i++)
		value_clear(&doc->top[i]);
	free(doc->top);
	for (i = 0; i < pv->nallobjs; i++)
		obj_free(pv->allobjs[i]);
	free(pv->allobjs);
	for (i = 0; i < pv->nalltns; i++) {
		for (j = 0; j < pv->alltns[i]->n; j++)
			free(pv->alltns[i]->v[j]);
		free(pv->alltns[i]->v);
		free(pv->alltns[i]);
	}
	free(pv->alltns);
	smap_free(&pv->objs);
	smap_free(&pv->tns);
	free(pv);
	for (i = 0; i < doc->nwarnings; i++)
		free(doc->warnings[i]);
	free(doc->warnings);
	free(doc->warning_lines);
	free(doc->error);
	free(doc);
}

/* ------------------------------------------------------------ accessors */

const struct cx_obj *
cx_value_obj(const struct cx_value *v)
{
	return v != NULL && v->type == CX_OBJECT ? v->obj : NULL;
}

const char *
cx_value_string(const struct cx_value *v)
{
	const struct cx_obj	*o;

	if (v == NULL)
		return NULL;
	if ((o = cx_value_obj(v)) != NULL) {
		if (o->to_string != NULL)
			return o->to_string;
		return o->prim != NULL && o->prim->type != CX_OBJECT ?
		    o->prim->text : NULL;
	}
	return v->text;
}

/* An object's own primitive, else the value itself. */
static const struct cx_value *
value_prim(const struct cx_value *v)
{
	const struct cx_obj	*o = cx_value_obj(v);

	if (o != NULL)
		return o->prim != NULL && o->prim->type != CX_OBJECT ?
		    o->prim : NULL;
	return v;
}

int
cx_value_bool(const struct cx_value *v)
{
	char	tmp[8];

	v = value_prim(v);
	if (v == NULL || v->type != CX_BOOL || v->text == NULL ||
	    strlen(v->text) >= sizeof tmp)
		return -1;
	memcpy(tmp, v->text, strlen(v->text) + 1);
	str_trim(tmp);
	if (ascii_casecmp(tmp, "true") == 0 || strcmp(tmp, "1") == 0)
		return 1;
	if (ascii_casecmp(tmp, "false") == 0 || strcmp(tmp, "0") == 0)
		return 0;
	return -1;
}

bool
cx_value_int(const struct cx_value *v, int64_t *out)
{
	const char		*s;
	char			*end;
	long long		 n;
	unsigned long long	 u;

	v = value_prim(v);
	if (v == NULL || (v->type != CX_INT && v->type != CX_CHAR) ||
	    v->text == NULL)
		return false;
	s = v->text;
	while (is_space(*s))
		s++;
	errno = 0;
	if (*s == '-') {
		n = strtoll(s, &end, 10);
	} else {
		u = strtoull(s, &end, 10);
		if (u > INT64_MAX)
			return false;
		n = (long long)u;
	}
	if (errno != 0 || end == s)
		return false;
	while (is_space(*end))
		end++;
	if (*end != '\0')
		return false;
	*out = n;
	return true;
}

static bool
digits(const char **pp, int n, int *out)
{
	const char	*p = *pp;
	int		 v = 0, i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*out = v;
	return true;
}

bool
clixml_parse_datetime(const char *s, int64_t *out)
{
	int	y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	int64_t	t;

	if (s == NULL)
		return false;
	while (is_space(*s))
		s++;
	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
	    *s++ != '-' || !digits(&s, 2, &d) || *s++ != 'T' ||
	    !digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) ||
	    *s++ != ':' || !digits(&s, 2, &sec))
		return false;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'Z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (!digits(&s, 2, &oh) || *s++ != ':' || !digits(&s, 2, &om) ||
		    oh > 14 || om > 59)
			return false;
	}
	while (is_space(*s))
		s++;
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return false;
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec;
	/* Local time = UTC + offset, so UTC = local - offset. */
	t -= (int64_t)sign * (oh * 3600 + om * 60);
	*out = t;
	return true;
}

bool
cx_value_time(const struct cx_value *v, int64_t *out)
{
	v = value_prim(v);
	if (v == NULL || v->type != CX_DATETIME)
		return false;
	return clixml_parse_datetime(v->text, out);
}

static const struct cx_value *
prop_find(const struct cx_obj *o, const char *name, bool extended)
{
	size_t	i;

	for (i = 0; i < o->nprops; i++)
		if (o->props[i].extended == extended && o->props[i].name != NULL &&
		    ascii_casecmp(o->props[i].name, name) == 0)
			return &o->props[i];
	return NULL;
}

const struct cx_value *
cx_obj_prop(const struct cx_obj *o, const char *name)
{
	const struct cx_value	*v;

	if (o == NULL || name == NULL)
		return NULL;
	if ((v = prop_find(o, name, false)) != NULL)
		return v;
	return prop_find(o, name, true);
}

bool
cx_obj_is_type(const struct cx_obj *o, const char *name)
{
	size_t	i, n, len;

	if (o == NULL || o->tn == NULL || name == NULL)
		return false;
	n = strlen(name);
	for (i = 0; i < o->tn->n; i++) {
		const char	*t = o->tn->v[i];

		len = strlen(t);
		if (len == n && strcmp(t, name) == 0)
			return true;
		if (len > n && t[len - n - 1] == '.' &&
		    strcmp(t + len - n, name) == 0)
			return true;
	}
	return false;
}

const char *
cx_obj_type(const struct cx_obj *o)
{
	const char	*t;

	if (o == NULL || o->tn == NULL || o->tn->n == 0)
		return NULL;
	t = o->tn->v[0];
	if (strncmp(t, "Deserialized.", 13) == 0)
		t += 13;
	return t;
}

/*
 * The bounded XML tokenizer described in xml.h: start tags with their
 * attributes, end tags and text, one at a time, with entities and CDATA
 * decoded and line numbers counted.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/parse_diag.h"
#include "xml.h"

void
xml_lexer_init(struct xml_lexer *lx, const char *text, size_t len)
{
	lx->p = text;
	lx->end = text + len;
	lx->line = 1;
}

/* Moves forward n bytes, counting the newlines passed. */
static void
lex_advance(struct xml_lexer *lx, size_t n)
{
	const char	*stop = lx->p + n, *nl;

	while ((nl = memchr(lx->p, '\n', (size_t)(stop - lx->p))) != NULL) {
		lx->line++;
		lx->p = nl + 1;
	}
	lx->p = stop;
}

static bool
lex_starts(const struct xml_lexer *lx, const char *s)
{
	size_t	n = strlen(s);

	return (size_t)(lx->end - lx->p) >= n && memcmp(lx->p, s, n) == 0;
}

/* Finds `s` from the current position; NULL when absent. */
static const char *
lex_find(const struct xml_lexer *lx, const char *s)
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

bool
xml_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_name_char(char c)
{
	return !(xml_is_space(c) || c == '<' || c == '>' || c == '/' ||
	    c == '=' || c == '"' || c == '\'' || c == '&' || c == '\0');
}

void
xml_utf8_put(struct buf *b, uint32_t cp)
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
	xml_utf8_put(out, cp > 0x10FFFF ? 0xFFFD : (uint32_t)cp);
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

void
xml_tok_reset(struct xml_tok *t)
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

const char *
xml_tok_attr(const struct xml_tok *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->nattrs; i++)
		if (strcmp(t->attrs[i].name, name) == 0)
			return t->attrs[i].value;
	return NULL;
}

static void
lex_skip_space(struct xml_lexer *lx)
{
	size_t	n = 0;

	while (lx->p + n < lx->end && xml_is_space(lx->p[n]))
		n++;
	lex_advance(lx, n);
}

/* Reads a name into dst; error text or NULL. */
static const char *
lex_name(struct xml_lexer *lx, char dst[XML_MAX_NAME + 1])
{
	size_t	n = 0;

	while (lx->p + n < lx->end && is_name_char(lx->p[n])) {
		if (n >= XML_MAX_NAME)
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
lex_attr_value(struct xml_lexer *lx, char **out)
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
	buf_init(&b, XML_MAX_TEXT);
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
lex_start_tag(struct xml_lexer *lx, struct xml_tok *t)
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
		if (t->nattrs >= XML_MAX_ATTRS)
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
lex_skip_markup(struct xml_lexer *lx)
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
lex_text(struct xml_lexer *lx, struct xml_tok *t)
{
	struct buf	 b;
	const char	*lt, *err;
	size_t		 n;

	t->kind = XML_TEXT;
	buf_init(&b, XML_MAX_TEXT);
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
lex_next(struct xml_lexer *lx, struct xml_tok *t)
{
	const char	*err;

	xml_tok_reset(t);
	for (;;) {
		t->line = lx->line;
		if (lx->p >= lx->end) {
			t->kind = XML_EOF;
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
			t->kind = XML_END;
			if ((err = lex_name(lx, t->name)) != NULL)
				return err;
			lex_skip_space(lx);
			if (lx->p >= lx->end || *lx->p != '>')
				return "malformed end tag";
			lx->p++;
			return NULL;
		}
		lx->p++;
		t->kind = XML_START;
		if ((err = lex_name(lx, t->name)) != NULL)
			return err;
		return lex_start_tag(lx, t);
	}
}

int
xml_next(struct xml_lexer *lx, struct xml_tok *t, struct parse_diag *why)
{
	const char	*err;

	if ((err = lex_next(lx, t)) == NULL)
		return 0;
	parse_cause(why, lx->line, "%s", err);
	return -1;
}

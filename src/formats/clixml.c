/*
 * CliXml reader: builds the object tree of clixml.h from the tokens of xml.h.
 * Objects and their type-name lists (TN, TNRef) are kept in RefId maps so
 * <Ref> and <TNRef> resolve to what was defined earlier; Props and MS become
 * members, LST/IE/STK/QUE/DCT containers, the rest primitives (BA decoded
 * from base64 here). Everything is bounded (depth, nodes, warnings), and
 * errors carry a line number.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clixml.h"
#include "util/base64.h"
#include "util/util.h"
#include "xml.h"

#define MAX_NODES	(4L * 1024 * 1024)	/* values in one document */

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
	struct xml_lexer	 lx;
	struct xml_tok		 tok;
	struct cx_doc		*doc;
	struct cx_priv		*priv;
	long			 nodes;
	struct parse_diag	*pd;
	size_t			 nwarnings;	/* reported through pd */
	/* The error that stopped the document: the first, reported at the end. */
	struct parse_diag	 stop;
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

static bool
stopped(const struct parser *ps)
{
	return ps->stop.cause[0] != '\0';
}

/* The first error is the one reported. */
static int
parse_fail(struct parser *ps, const char *msg, long line)
{
	if (!stopped(ps))
		parse_cause(&ps->stop, line, "%s", msg);
	return -1;
}

static int
parse_failf_tag(struct parser *ps, const char *what, const char *tag, long line)
{
	if (!stopped(ps))
		parse_cause(&ps->stop, line, "%s <%s>", what, tag);
	return -1;
}

static void doc_warn(struct parser *, long, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
doc_warn(struct parser *ps, long line, const char *fmt, ...)
{
	char		*msg;
	va_list		 ap;
	int		 n;

	ps->doc->status = PARSE_PARTIAL;
	if (ps->nwarnings++ >= CLIXML_MAX_WARNINGS)
		return;		/* counted, reported in one line at the end */
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	parse_problem(ps->pd, DIAG_WARNING, line, "%s", msg);
	free(msg);
}

static int
next(struct parser *ps)
{
	struct parse_diag	why;

	parse_diag_init(&why, NULL, NULL);
	if (xml_next(&ps->lx, &ps->tok, &why) == 0)
		return 0;
	return parse_fail(ps, why.cause, why.cause_line);
}

static bool
is_blank(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!xml_is_space(s[i]))
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
		case XML_START:
			if (depth + level >= CLIXML_MAX_DEPTH)
				return parse_fail(ps, "elements nested too deeply",
				    ps->tok.line);
			if (!ps->tok.empty)
				level++;
			break;
		case XML_END:
			level--;
			break;
		case XML_TEXT:
			break;
		case XML_EOF:
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
	char	tag[XML_MAX_NAME + 1];
	long	line = ps->tok.line;

	if (ps->tok.empty)
		return 0;
	memcpy(tag, ps->tok.name, sizeof tag);
	for (;;) {
		if (next(ps) != 0)
			return -1;
		switch (ps->tok.kind) {
		case XML_TEXT:
			if (buf_append(out, ps->tok.text, ps->tok.textlen) != 0)
				return parse_fail(ps, "text too long", line);
			break;
		case XML_START:
			if (depth + 1 >= CLIXML_MAX_DEPTH)
				return parse_fail(ps, "elements nested too deeply",
				    ps->tok.line);
			if (skip_element(ps, depth + 1) != 0)
				return -1;
			break;
		case XML_END:
			if (strcmp(ps->tok.name, tag) != 0)
				return parse_failf_tag(ps, "mismatched end tag, expected",
				    tag, ps->tok.line);
			return 0;
		case XML_EOF:
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
		if (!base64_decode(text, len, &v->bytes, &v->nbytes)) {
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
	const char	*id = xml_tok_attr(&ps->tok, "RefId");

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
	if ((n = xml_tok_attr(&ps->tok, "N")) != NULL)
		v->name = clixml_unescape(n, strlen(n));
	if (strcmp(tag, "Obj") == 0)
		return parse_obj(ps, v, depth) == 0 ? 1 : -1;
	if (strcmp(tag, "Ref") == 0)
		return parse_ref(ps, v, depth) == 0 ? 1 : -1;
	if (type == CX_NIL)
		return skip_element(ps, depth) == 0 ? 1 : -1;
	buf_init(&b, XML_MAX_TEXT);
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
	char		tag[XML_MAX_NAME + 1];
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
		case XML_TEXT:
			break;
		case XML_START:
			rc = parse_value(ps, &v, depth + 1);
			if (rc < 0) {
				value_clear(&v);
				return -1;
			}
			if (rc > 0)
				add(o, &v, flag);
			break;
		case XML_END:
			if (strcmp(ps->tok.name, tag) != 0)
				return parse_failf_tag(ps,
				    "mismatched end tag, expected", tag, ps->tok.line);
			return 0;
		case XML_EOF:
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
	char	tag[XML_MAX_NAME + 1];
	long	line = ps->tok.line;

	if (ps->tok.empty)
		return 0;
	memcpy(tag, ps->tok.name, sizeof tag);
	for (;;) {
		if (next(ps) != 0)
			return -1;
		switch (ps->tok.kind) {
		case XML_TEXT:
			break;
		case XML_START:
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
		case XML_END:
			if (strcmp(ps->tok.name, tag) != 0)
				return parse_failf_tag(ps,
				    "mismatched end tag, expected", tag, ps->tok.line);
			return 0;
		case XML_EOF:
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
	const char		*id = xml_tok_attr(&ps->tok, "RefId");
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
		if (ps->tok.kind == XML_TEXT)
			continue;
		if (ps->tok.kind == XML_END)
			return strcmp(ps->tok.name, "TN") == 0 ? 0 :
			    parse_failf_tag(ps, "mismatched end tag, expected",
			    "TN", ps->tok.line);
		if (ps->tok.kind == XML_EOF)
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
		buf_init(&b, XML_MAX_TEXT);
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
	const char	*id = xml_tok_attr(&ps->tok, "RefId");

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

	buf_init(&b, XML_MAX_TEXT);
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
	const char	*id = xml_tok_attr(&ps->tok, "RefId");

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
		case XML_TEXT:
			break;
		case XML_START:
			if (parse_obj_child(ps, o, depth + 1) != 0)
				return -1;
			break;
		case XML_END:
			if (strcmp(ps->tok.name, "Obj") != 0)
				return parse_failf_tag(ps,
				    "mismatched end tag, expected", "Obj",
				    ps->tok.line);
			return 0;
		case XML_EOF:
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
		case XML_TEXT:
			break;
		case XML_START:
			rc = parse_value(ps, &v, 1);
			if (rc < 0) {
				value_clear(&v);
				return -1;
			}
			if (rc > 0)
				add_top(ps->doc, &v);
			break;
		case XML_END:
			if (strcmp(ps->tok.name, "Objs") != 0)
				return parse_failf_tag(ps,
				    "mismatched end tag, expected", "Objs",
				    ps->tok.line);
			return 0;
		case XML_EOF:
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
	} while (ps->tok.kind == XML_TEXT && is_blank(ps->tok.text, ps->tok.textlen));
	if (ps->tok.kind != XML_START || strcmp(ps->tok.name, "Objs") != 0)
		return parse_fail(ps, "not a CliXml document (no <Objs> root)",
		    ps->tok.line);
	if (parse_objs(ps) != 0)
		return -1;
	do {
		if (next(ps) != 0)
			return -1;
	} while (ps->tok.kind == XML_TEXT && is_blank(ps->tok.text, ps->tok.textlen));
	if (ps->tok.kind != XML_EOF)
		return parse_fail(ps, "content after the end of <Objs>",
		    ps->tok.line);
	return 0;
}

struct cx_doc *
clixml_parse(const char *text, size_t len, struct parse_diag *pd)
{
	struct parser	 ps;
	struct cx_doc	*doc = xcalloc(1, sizeof *doc);

	memset(&ps, 0, sizeof ps);
	ps.doc = doc;
	ps.pd = pd;
	parse_diag_init(&ps.stop, NULL, NULL);
	doc->status = PARSE_OK;
	ps.priv = xcalloc(1, sizeof *ps.priv);
	doc->priv = ps.priv;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	xml_lexer_init(&ps.lx, text, len);
	if (parse_document(&ps) != 0) {
		doc->status = doc->ntop > 0 ? PARSE_PARTIAL : PARSE_FAILED;
		doc->stopped_line = ps.stop.cause_line > 0 ?
		    ps.stop.cause_line : 1;
	}
	if (ps.nwarnings > CLIXML_MAX_WARNINGS)
		parse_problem(pd, DIAG_WARNING, 0, "%zu more CliXml warnings not "
		    "shown", ps.nwarnings - CLIXML_MAX_WARNINGS);
	if (stopped(&ps))
		parse_problem(pd, DIAG_ERROR, ps.stop.cause_line, "malformed "
		    "CliXml: %s; %zu complete object(s) before it were read",
		    ps.stop.cause, doc->ntop);
	xml_tok_reset(&ps.tok);
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
	free(doc);
}

/*
 * MS-NRBF (BinaryFormatter) record walker, enough for Exchange's
 * SerializationData. Every length, count and nesting level is checked
 * against what is left of the input and against fixed limits, and a work
 * budget caps the total number of values read, so hostile streams end in an
 * error, never in a crash or a hang.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nrbf.h"
#include "util/parse_diag.h"
#include "util/text.h"
#include "util/util.h"

#define MAX_DEPTH	32		/* nested records */
#define MAX_CLASSES	4096		/* class metadata records */
#define MAX_MEMBERS	4096		/* members of one class */
#define MAX_OBJECTS	200000		/* objects in one stream */
#define MAX_WORK	(1024L * 1024)	/* values read in all */
#define MAX_RANK	32
#define NRBF_FAIL_TEXT_MAX	200	/* one failure's own words */

enum record_type {
	REC_HEADER = 0,
	REC_CLASS_WITH_ID = 1,
	REC_SYSTEM_CLASS_WITH_MEMBERS = 2,
	REC_CLASS_WITH_MEMBERS = 3,
	REC_SYSTEM_CLASS_WITH_MEMBERS_AND_TYPES = 4,
	REC_CLASS_WITH_MEMBERS_AND_TYPES = 5,
	REC_OBJECT_STRING = 6,
	REC_BINARY_ARRAY = 7,
	REC_MEMBER_PRIMITIVE_TYPED = 8,
	REC_MEMBER_REFERENCE = 9,
	REC_OBJECT_NULL = 10,
	REC_MESSAGE_END = 11,
	REC_BINARY_LIBRARY = 12,
	REC_OBJECT_NULL_MULTIPLE_256 = 13,
	REC_OBJECT_NULL_MULTIPLE = 14,
	REC_ARRAY_SINGLE_PRIMITIVE = 15,
	REC_ARRAY_SINGLE_OBJECT = 16,
	REC_ARRAY_SINGLE_STRING = 17
};

enum binary_type {
	BT_PRIMITIVE = 0, BT_STRING = 1, BT_OBJECT = 2, BT_SYSTEM_CLASS = 3,
	BT_CLASS = 4, BT_OBJECT_ARRAY = 5, BT_STRING_ARRAY = 6,
	BT_PRIMITIVE_ARRAY = 7
};

enum prim_type {
	PT_BOOLEAN = 1, PT_BYTE = 2, PT_CHAR = 3, PT_DECIMAL = 5, PT_DOUBLE = 6,
	PT_INT16 = 7, PT_INT32 = 8, PT_INT64 = 9, PT_SBYTE = 10, PT_SINGLE = 11,
	PT_TIMESPAN = 12, PT_DATETIME = 13, PT_UINT16 = 14, PT_UINT32 = 15,
	PT_UINT64 = 16, PT_NULL = 17, PT_STRING = 18
};

enum val_kind { V_NONE = 0, V_NULL, V_INT, V_BOOL, V_OTHER, V_REF, V_OBJ };

struct val {
	enum val_kind	kind;
	int64_t		i;	/* V_INT, V_BOOL; the id for V_REF */
	size_t		obj;	/* V_OBJ: index in the object table */
};

struct span {
	size_t	off;
	size_t	len;
};

struct member_type {
	uint8_t	bt;
	uint8_t	prim;
};

struct class_meta {
	int32_t			 id;
	struct span		 name;
	uint32_t		 n;
	struct span		*names;
	struct member_type	*types;	/* NULL: members written as records */
};

enum obj_kind { O_CLASS, O_STRING, O_BYTES, O_ARRAY };

struct obj {
	int32_t		 id;
	enum obj_kind	 kind;
	size_t		 meta;		/* O_CLASS */
	struct val	*vals;		/* O_CLASS: one per member */
	struct span	 data;		/* O_STRING, O_BYTES */
};

struct reader {
	const unsigned char	*base;
	size_t			 len;
	size_t			 pos;
	struct class_meta	*metas;
	size_t			 nmetas, metas_cap;
	struct obj		*objs;
	size_t			 nobjs, objs_cap;
	long			 work;
	int32_t			 root_id;
	struct parse_diag	*pd;
	bool			 failed;
};

static int	fail(struct reader *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
fail(struct reader *r, const char *fmt, ...)
{
	va_list	ap;
	char	msg[NRBF_FAIL_TEXT_MAX];
	int	n;

	/* The first failure is the cause; later ones only follow from it. */
	if (!r->failed) {
		r->failed = true;
		va_start(ap, fmt);
		n = vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		if (n >= (int)sizeof msg)
			memcpy(msg + sizeof msg - 4, "...", 4);
		parse_problem(r->pd, DIAG_WARNING, 0, "%s at offset %zu", msg,
		    r->pos);
	}
	return -1;
}

static int
spend(struct reader *r, long n)
{
	r->work += n;
	if (r->work > MAX_WORK)
		return fail(r, "stream too complex");
	return 0;
}

static size_t
left(const struct reader *r)
{
	return r->len - r->pos;
}

static int
rd_bytes(struct reader *r, size_t n, struct span *out)
{
	if (n > left(r))
		return fail(r, "truncated stream");
	if (out != NULL) {
		out->off = r->pos;
		out->len = n;
	}
	r->pos += n;
	return 0;
}

static int
rd_u8(struct reader *r, uint8_t *out)
{
	*out = 0;
	if (left(r) < 1)
		return fail(r, "truncated stream");
	*out = r->base[r->pos++];
	return 0;
}

static uint64_t
le(const unsigned char *p, int n)
{
	uint64_t	v = 0;
	int		i;

	for (i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int
rd_i32(struct reader *r, int32_t *out)
{
	uint32_t	u;

	*out = 0;
	if (left(r) < 4)
		return fail(r, "truncated stream");
	u = (uint32_t)le(r->base + r->pos, 4);
	r->pos += 4;
	*out = (int32_t)u;
	return 0;
}

/* A count or length: an Int32 that must not be negative. */
static int
rd_count(struct reader *r, uint32_t *out)
{
	int32_t	v;

	*out = 0;
	if (rd_i32(r, &v) != 0)
		return -1;
	if (v < 0)
		return fail(r, "negative length");
	*out = (uint32_t)v;
	return 0;
}

/* LengthPrefixedString: a 7-bit encoded length, then UTF-8 bytes. */
static int
rd_lps(struct reader *r, struct span *out)
{
	uint32_t	n = 0;
	uint8_t		b;
	int		i;

	for (i = 0; i < 5; i++) {
		if (rd_u8(r, &b) != 0)
			return -1;
		n |= (uint32_t)(b & 0x7F) << (7 * i);
		if ((b & 0x80) == 0)
			break;
		if (i == 4)
			return fail(r, "bad string length");
	}
	if (n > INT32_MAX)
		return fail(r, "bad string length");
	return rd_bytes(r, n, out);
}

static bool
prim_valid(uint8_t t)
{
	return t >= PT_BOOLEAN && t <= PT_UINT64 && t != 4;
}

static int
prim_size(uint8_t t)
{
	switch (t) {
	case PT_BOOLEAN: case PT_BYTE: case PT_SBYTE:
		return 1;
	case PT_INT16: case PT_UINT16:
		return 2;
	case PT_INT32: case PT_UINT32: case PT_SINGLE:
		return 4;
	case PT_DOUBLE: case PT_INT64: case PT_UINT64: case PT_TIMESPAN:
	case PT_DATETIME:
		return 8;
	default:
		return 0;	/* variable: Char, Decimal */
	}
}

static int64_t
sign_extend(uint64_t v, int bytes)
{
	uint64_t	m;

	if (bytes >= 8)
		return (int64_t)v;
	m = 1ULL << (bytes * 8 - 1);
	return (int64_t)((v ^ m) - m);
}

/* One primitive value of type t. */
static int
rd_prim(struct reader *r, uint8_t t, struct val *out)
{
	int		 size = prim_size(t);
	uint64_t	 u;
	uint8_t		 b;
	struct span	 s;

	if (!prim_valid(t))
		return fail(r, "bad primitive type %u", t);
	if (spend(r, 1) != 0)
		return -1;
	if (t == PT_DECIMAL) {
		out->kind = V_OTHER;
		return rd_lps(r, &s);
	}
	if (t == PT_CHAR) {
		/* One UTF-8 encoded character. */
		if (rd_u8(r, &b) != 0)
			return -1;
		out->kind = V_OTHER;
		size = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
		return rd_bytes(r, (size_t)size, NULL);
	}
	if ((size_t)size > left(r))
		return fail(r, "truncated stream");
	u = le(r->base + r->pos, size);
	r->pos += (size_t)size;
	switch (t) {
	case PT_BOOLEAN:
		out->kind = V_BOOL;
		out->i = u != 0;
		break;
	case PT_BYTE: case PT_UINT16: case PT_UINT32:
		out->kind = V_INT;
		out->i = (int64_t)u;
		break;
	case PT_SBYTE: case PT_INT16: case PT_INT32: case PT_INT64:
		out->kind = V_INT;
		out->i = sign_extend(u, size);
		break;
	case PT_UINT64:
		out->kind = u > INT64_MAX ? V_OTHER : V_INT;
		out->i = (int64_t)u;
		break;
	default:
		out->kind = V_OTHER;
		break;
	}
	return 0;
}

static size_t
obj_add(struct reader *r, int32_t id, enum obj_kind kind)
{
	struct obj	*o;

	if (r->nobjs >= MAX_OBJECTS) {
		fail(r, "too many objects");
		return (size_t)-1;
	}
	r->objs = xreallocarray_grow(r->objs, &r->objs_cap, r->nobjs + 1,
	    sizeof *r->objs);
	o = &r->objs[r->nobjs];
	memset(o, 0, sizeof *o);
	o->id = id;
	o->kind = kind;
	return r->nobjs++;
}

static const struct class_meta *
meta_find(const struct reader *r, int32_t id)
{
	size_t	i;

	for (i = r->nmetas; i > 0; i--)
		if (r->metas[i - 1].id == id)
			return &r->metas[i - 1];
	return NULL;
}

/* ClassInfo: ObjectId, Name, MemberCount, MemberNames. */
static int
rd_class_info(struct reader *r, struct class_meta *m)
{
	uint32_t	i;

	memset(m, 0, sizeof *m);
	if (rd_i32(r, &m->id) != 0 || rd_lps(r, &m->name) != 0 ||
	    rd_count(r, &m->n) != 0)
		return -1;
	/* Every member name takes at least one byte. */
	if (m->n > MAX_MEMBERS || m->n > left(r))
		return fail(r, "bad member count %u", m->n);
	if (spend(r, (long)m->n) != 0)
		return -1;
	m->names = xcalloc(m->n ? m->n : 1, sizeof *m->names);
	for (i = 0; i < m->n; i++)
		if (rd_lps(r, &m->names[i]) != 0)
			return -1;
	return 0;
}

/*
 * The additional information of a binary type: a primitive's type (in
 * *prim), a class's name and library, nothing for the others. `whose` names
 * the type in the failure ("member").
 */
static int
rd_additional_info(struct reader *r, uint8_t bt, uint8_t *prim,
    const char *whose)
{
	struct span	s;
	int32_t		lib;

	switch (bt) {
	case BT_PRIMITIVE: case BT_PRIMITIVE_ARRAY:
		return rd_u8(r, prim);
	case BT_SYSTEM_CLASS:
		return rd_lps(r, &s);
	case BT_CLASS:
		return rd_lps(r, &s) != 0 || rd_i32(r, &lib) != 0 ? -1 : 0;
	case BT_STRING: case BT_OBJECT: case BT_OBJECT_ARRAY:
	case BT_STRING_ARRAY:
		return 0;
	default:
		return fail(r, "bad %s type %u", whose, bt);
	}
}

/* MemberTypeInfo: binary types, then each one's additional information. */
static int
rd_member_types(struct reader *r, struct class_meta *m)
{
	uint32_t	 i;

	if (m->n > left(r))
		return fail(r, "truncated stream");
	m->types = xcalloc(m->n ? m->n : 1, sizeof *m->types);
	for (i = 0; i < m->n; i++)
		if (rd_u8(r, &m->types[i].bt) != 0)
			return -1;
	for (i = 0; i < m->n; i++) {
		if (rd_additional_info(r, m->types[i].bt, &m->types[i].prim,
		    "member") != 0)
			return -1;
		if ((m->types[i].bt == BT_PRIMITIVE ||
		    m->types[i].bt == BT_PRIMITIVE_ARRAY) &&
		    !prim_valid(m->types[i].prim))
			return fail(r, "bad primitive type %u", m->types[i].prim);
	}
	return 0;
}

static void
meta_free(struct class_meta *m)
{
	free(m->names);
	free(m->types);
}

static void
meta_keep(struct reader *r, struct class_meta *m)
{
	r->metas = xreallocarray_grow(r->metas, &r->metas_cap, r->nmetas + 1,
	    sizeof *r->metas);
	r->metas[r->nmetas++] = *m;
}

enum { RD_VALUE = 0, RD_END = 1 };

static int	rd_record(struct reader *, int depth, struct val *, uint32_t *nulls);

/*
 * Reads elements (or members) written as records, `count` of them; null
 * runs count for as many as they say. Values go to out[] when given.
 */
static int
rd_record_run(struct reader *r, int depth, uint64_t count, struct val *out)
{
	uint64_t	k = 0, j;
	uint32_t	nulls;
	struct val	v;
	int		rc;

	while (k < count) {
		memset(&v, 0, sizeof v);
		nulls = 0;
		if ((rc = rd_record(r, depth, &v, &nulls)) < 0)
			return -1;
		if (rc == RD_END)
			return fail(r, "stream ended inside an object");
		if (nulls > 0) {
			if (nulls > count - k)
				return fail(r, "null run too long");
			if (out != NULL)
				for (j = 0; j < nulls; j++)
					out[k + j].kind = V_NULL;
			k += nulls;
			continue;
		}
		if (out != NULL)
			out[k] = v;
		k++;
	}
	return 0;
}

/* The member values of a class instance. */
static int
rd_members(struct reader *r, const struct class_meta *m, size_t oi, int depth)
{
	struct val	*vals = xcalloc(m->n ? m->n : 1, sizeof *vals);
	uint32_t	 i;
	struct val	 v;
	uint32_t	 nulls;
	int		 rc;

	r->objs[oi].vals = vals;	/* owned by the table from here on */
	if (spend(r, (long)m->n) != 0)
		return -1;
	if (m->types == NULL)
		return rd_record_run(r, depth + 1, m->n, vals);
	for (i = 0; i < m->n; i++) {
		if (m->types[i].bt == BT_PRIMITIVE) {
			if (rd_prim(r, m->types[i].prim, &vals[i]) != 0)
				return -1;
			continue;
		}
		memset(&v, 0, sizeof v);
		nulls = 0;
		if ((rc = rd_record(r, depth + 1, &v, &nulls)) < 0)
			return -1;
		if (rc == RD_END)
			return fail(r, "stream ended inside an object");
		if (nulls > 0) {
			if (nulls > m->n - i)
				return fail(r, "null run too long");
			while (nulls-- > 0)
				vals[i++].kind = V_NULL;
			i--;
			continue;
		}
		vals[i] = v;
	}
	return 0;
}

/* Class records 1 through 5. */
static int
rd_class(struct reader *r, uint8_t type, int depth, struct val *out)
{
	struct class_meta	 m;
	const struct class_meta	*use;
	int32_t			 id, meta_id, lib;
	size_t			 oi, mi;

	if (type == REC_CLASS_WITH_ID) {
		if (rd_i32(r, &id) != 0 || rd_i32(r, &meta_id) != 0)
			return -1;
		if ((use = meta_find(r, meta_id)) == NULL)
			return fail(r, "class metadata %d not found", meta_id);
		mi = (size_t)(use - r->metas);
	} else {
		if (r->nmetas >= MAX_CLASSES)
			return fail(r, "too many classes");
		if (rd_class_info(r, &m) != 0) {
			meta_free(&m);
			return -1;
		}
		if ((type == REC_SYSTEM_CLASS_WITH_MEMBERS_AND_TYPES ||
		    type == REC_CLASS_WITH_MEMBERS_AND_TYPES) &&
		    rd_member_types(r, &m) != 0) {
			meta_free(&m);
			return -1;
		}
		if ((type == REC_CLASS_WITH_MEMBERS ||
		    type == REC_CLASS_WITH_MEMBERS_AND_TYPES) &&
		    rd_i32(r, &lib) != 0) {
			meta_free(&m);
			return -1;
		}
		id = m.id;
		meta_keep(r, &m);
		mi = r->nmetas - 1;
	}
	if ((oi = obj_add(r, id, O_CLASS)) == (size_t)-1)
		return -1;
	r->objs[oi].meta = mi;
	out->kind = V_OBJ;
	out->obj = oi;
	/*
	 * A shallow copy: nested records may move the metadata table, but not
	 * the name and type arrays it points to.
	 */
	m = r->metas[mi];
	return rd_members(r, &m, oi, depth);
}

/* Skips `count` primitives of type t, keeping a byte array's span. */
static int
rd_prim_array(struct reader *r, size_t oi, uint8_t t, uint64_t count)
{
	int		size;
	uint64_t	k;
	struct val	v;

	if (!prim_valid(t))
		return fail(r, "bad primitive type %u", t);
	size = prim_size(t);
	if (size > 0) {
		if (count > left(r) / (uint64_t)size)
			return fail(r, "truncated stream");
		if (t == PT_BYTE) {
			r->objs[oi].kind = O_BYTES;
			return rd_bytes(r, (size_t)count, &r->objs[oi].data);
		}
		return rd_bytes(r, (size_t)count * (size_t)size, NULL);
	}
	/* Char and Decimal take at least a byte each. */
	if (count > left(r))
		return fail(r, "truncated stream");
	for (k = 0; k < count; k++)
		if (rd_prim(r, t, &v) != 0)
			return -1;
	return 0;
}

/* ArraySinglePrimitive, ArraySingleObject, ArraySingleString. */
static int
rd_array_single(struct reader *r, uint8_t type, int depth, struct val *out)
{
	int32_t		id;
	uint32_t	count;
	uint8_t		t;
	size_t		oi;

	if (rd_i32(r, &id) != 0 || rd_count(r, &count) != 0)
		return -1;
	if ((oi = obj_add(r, id, O_ARRAY)) == (size_t)-1)
		return -1;
	out->kind = V_OBJ;
	out->obj = oi;
	if (type == REC_ARRAY_SINGLE_PRIMITIVE) {
		if (rd_u8(r, &t) != 0)
			return -1;
		return rd_prim_array(r, oi, t, count);
	}
	return rd_record_run(r, depth + 1, count, NULL);
}

/* BinaryArray: any rank, any element type. */
static int
rd_binary_array(struct reader *r, int depth, struct val *out)
{
	int32_t		 id, rank, lb;
	uint32_t	 n;
	uint8_t		 atype, bt, prim = 0;
	uint64_t	 total = 1;
	size_t		 oi;
	int		 i;

	if (rd_i32(r, &id) != 0 || rd_u8(r, &atype) != 0 ||
	    rd_i32(r, &rank) != 0)
		return -1;
	if (atype > 5 || rank < 1 || rank > MAX_RANK)
		return fail(r, "bad array shape");
	for (i = 0; i < rank; i++) {
		if (rd_count(r, &n) != 0)
			return -1;
		total *= n;
		if (total > INT32_MAX)
			return fail(r, "array too large");
	}
	if (atype >= 3)
		for (i = 0; i < rank; i++)
			if (rd_i32(r, &lb) != 0)
				return -1;
	if (rd_u8(r, &bt) != 0 ||
	    rd_additional_info(r, bt, &prim, "array element") != 0)
		return -1;
	if ((oi = obj_add(r, id, O_ARRAY)) == (size_t)-1)
		return -1;
	out->kind = V_OBJ;
	out->obj = oi;
	if (bt == BT_PRIMITIVE)
		return rd_prim_array(r, oi, prim, total);
	return rd_record_run(r, depth + 1, total, NULL);
}

static int
rd_string_record(struct reader *r, struct val *out)
{
	int32_t		id;
	struct span	s;
	size_t		oi;

	if (rd_i32(r, &id) != 0 || rd_lps(r, &s) != 0)
		return -1;
	if ((oi = obj_add(r, id, O_STRING)) == (size_t)-1)
		return -1;
	r->objs[oi].data = s;
	out->kind = V_OBJ;
	out->obj = oi;
	return 0;
}

/*
 * Reads one record standing for a value. BinaryLibrary records in front of
 * it are consumed. Returns RD_VALUE (out filled; *nulls > 0 for a null run),
 * RD_END at MessageEnd, -1 on error.
 */
static int
rd_record(struct reader *r, int depth, struct val *out, uint32_t *nulls)
{
	uint8_t		type, n8;
	int32_t		i32;
	struct span	s;

	if (depth > MAX_DEPTH)
		return fail(r, "records nested too deeply");
	for (;;) {
		if (spend(r, 1) != 0 || rd_u8(r, &type) != 0)
			return -1;
		if (type != REC_BINARY_LIBRARY)
			break;
		if (rd_i32(r, &i32) != 0 || rd_lps(r, &s) != 0)
			return -1;
	}
	switch (type) {
	case REC_CLASS_WITH_ID:
	case REC_SYSTEM_CLASS_WITH_MEMBERS:
	case REC_CLASS_WITH_MEMBERS:
	case REC_SYSTEM_CLASS_WITH_MEMBERS_AND_TYPES:
	case REC_CLASS_WITH_MEMBERS_AND_TYPES:
		return rd_class(r, type, depth, out) == 0 ? RD_VALUE : -1;
	case REC_OBJECT_STRING:
		return rd_string_record(r, out) == 0 ? RD_VALUE : -1;
	case REC_BINARY_ARRAY:
		return rd_binary_array(r, depth, out) == 0 ? RD_VALUE : -1;
	case REC_MEMBER_PRIMITIVE_TYPED:
		if (rd_u8(r, &n8) != 0)
			return -1;
		return rd_prim(r, n8, out) == 0 ? RD_VALUE : -1;
	case REC_MEMBER_REFERENCE:
		if (rd_i32(r, &i32) != 0)
			return -1;
		out->kind = V_REF;
		out->i = i32;
		return RD_VALUE;
	case REC_OBJECT_NULL:
		out->kind = V_NULL;
		return RD_VALUE;
	case REC_OBJECT_NULL_MULTIPLE_256:
		if (rd_u8(r, &n8) != 0)
			return -1;
		*nulls = n8;
		out->kind = V_NULL;
		return n8 > 0 ? RD_VALUE : fail(r, "empty null run");
	case REC_OBJECT_NULL_MULTIPLE:
		if (rd_i32(r, &i32) != 0)
			return -1;
		if (i32 <= 0)
			return fail(r, "bad null run");
		*nulls = (uint32_t)i32;
		out->kind = V_NULL;
		return RD_VALUE;
	case REC_ARRAY_SINGLE_PRIMITIVE:
	case REC_ARRAY_SINGLE_OBJECT:
	case REC_ARRAY_SINGLE_STRING:
		return rd_array_single(r, type, depth, out) == 0 ? RD_VALUE : -1;
	case REC_MESSAGE_END:
		return RD_END;
	default:
		r->pos--;
		return fail(r, "unsupported record type %u", type);
	}
}

/* SerializedStreamHeader, then records up to MessageEnd. */
static int
rd_stream(struct reader *r)
{
	uint8_t		type;
	int32_t		header_id, major, minor;
	struct val	v;
	uint32_t	nulls;
	int		rc;

	if (rd_u8(r, &type) != 0)
		return -1;
	if (type != REC_HEADER) {
		r->pos--;
		return fail(r, "no stream header");
	}
	if (rd_i32(r, &r->root_id) != 0 || rd_i32(r, &header_id) != 0 ||
	    rd_i32(r, &major) != 0 || rd_i32(r, &minor) != 0)
		return -1;
	if (major != 1 || minor != 0)
		return fail(r, "unsupported format version %d.%d", major, minor);
	for (;;) {
		memset(&v, 0, sizeof v);
		nulls = 0;
		if ((rc = rd_record(r, 0, &v, &nulls)) < 0)
			return -1;
		if (rc == RD_END)
			return 0;
	}
}

static void
reader_free(struct reader *r)
{
	size_t	i;

	for (i = 0; i < r->nmetas; i++)
		meta_free(&r->metas[i]);
	free(r->metas);
	for (i = 0; i < r->nobjs; i++)
		free(r->objs[i].vals);
	free(r->objs);
}

/* ------------------------------------------------------------ lookups */

static const struct obj *
obj_by_id(const struct reader *r, int32_t id)
{
	size_t	i;

	for (i = 0; i < r->nobjs; i++)
		if (r->objs[i].id == id)
			return &r->objs[i];
	return NULL;
}

static const struct obj *
val_obj(const struct reader *r, const struct val *v)
{
	if (v == NULL)
		return NULL;
	if (v->kind == V_OBJ)
		return &r->objs[v->obj];
	if (v->kind == V_REF)
		return obj_by_id(r, (int32_t)v->i);
	return NULL;
}

static bool
span_eq(const struct reader *r, struct span s, const char *str)
{
	size_t	n = strlen(str);

	return s.len == n && memcmp(r->base + s.off, str, n) == 0;
}

/* Auto-properties are written as "<Name>k__BackingField". */
static bool
member_name_eq(const struct reader *r, struct span s, const char *name)
{
	size_t		 n = strlen(name);
	const char	*p = (const char *)r->base + s.off;

	if (span_eq(r, s, name))
		return true;
	return s.len == n + 17 && p[0] == '<' && memcmp(p + 1, name, n) == 0 &&
	    memcmp(p + 1 + n, ">k__BackingField", 16) == 0;
}

static const struct val *
member(const struct reader *r, const struct obj *o, const char *name)
{
	const struct class_meta	*m;
	uint32_t		 i;

	if (o == NULL || o->kind != O_CLASS || o->vals == NULL)
		return NULL;
	m = &r->metas[o->meta];
	for (i = 0; i < m->n; i++)
		if (member_name_eq(r, m->names[i], name))
			return &o->vals[i];
	return NULL;
}

/* An integer member, or an enum member (a class with one value__). */
static int
member_int(const struct reader *r, const struct obj *o, const char *name)
{
	const struct val	*v = member(r, o, name);

	if (v != NULL && v->kind != V_INT)
		v = member(r, val_obj(r, v), "value__");
	if (v == NULL || v->kind != V_INT || v->i < INT32_MIN || v->i > INT32_MAX)
		return -1;
	return (int)v->i;
}

static int
member_bool(const struct reader *r, const struct obj *o, const char *name)
{
	const struct val	*v = member(r, o, name);

	return v != NULL && v->kind == V_BOOL ? (int)v->i : -1;
}

static char *
member_string(const struct reader *r, const struct obj *o, const char *name)
{
	const struct obj	*s = val_obj(r, member(r, o, name));

	if (s == NULL || s->kind != O_STRING)
		return NULL;
	return utf8_clean((const char *)r->base + s->data.off, s->data.len);
}

static const struct obj *
root_object(const struct reader *r)
{
	const struct obj	*o = NULL;
	size_t			 i;

	if (r->root_id != 0)
		o = obj_by_id(r, r->root_id);
	for (i = 0; o == NULL && i < r->nobjs; i++)
		if (r->objs[i].kind == O_CLASS)
			o = &r->objs[i];
	return o != NULL && o->kind == O_CLASS ? o : NULL;
}

/* ------------------------------------------------------------ public */

static void
nrbf_cert_init(struct nrbf_cert *c)
{
	memset(c, 0, sizeof *c);
	c->services = c->status = c->root_ca_type = -1;
	c->self_signed = c->private_key_exportable = -1;
}

void
nrbf_cert_clear(struct nrbf_cert *c)
{
	free(c->class_name);
	free(c->identity);
	free(c->cert_data);
	nrbf_cert_init(c);
}

/*
 * Points *data and *len at the stream inside a signed blob and sets
 * *is_signed; an unsigned blob is left as it is. Returns -1 (with *len set
 * to N) when N does not fit the blob.
 */
static int
nrbf_unwrap_signed(const unsigned char **data, size_t *len, bool *is_signed)
{
	const unsigned char	*p = *data;
	size_t			 n;

	*is_signed = false;
	if (p == NULL || *len < NRBF_SIG_HEADER || memcmp(p, "#sig#", 5) != 0)
		return 0;
	n = (size_t)le(p + 5, 4);
	if (n > *len - NRBF_SIG_HEADER) {
		*len = n;
		return -1;
	}
	*is_signed = true;
	*data = p + NRBF_SIG_HEADER;
	*len = n;
	return 0;
}

int
nrbf_decode_exchange_cert(const unsigned char *data, size_t len,
    struct nrbf_cert *out, struct parse_diag *pd)
{
	struct reader		 r;
	const struct obj	*root, *cd;
	const struct span	*name;

	nrbf_cert_init(out);
	memset(&r, 0, sizeof r);
	r.pd = pd;
	if (nrbf_unwrap_signed(&data, &len, &out->signed_form) != 0) {
		fail(&r, "signed stream: length %zu exceeds the blob", len);
		return -1;
	}
	r.base = data;
	r.len = data != NULL ? len : 0;
	if (rd_stream(&r) != 0) {
		reader_free(&r);
		return -1;
	}
	if ((root = root_object(&r)) == NULL) {
		fail(&r, "no root object");
		reader_free(&r);
		return -1;
	}
	name = &r.metas[root->meta].name;
	out->class_name = utf8_clean((const char *)data + name->off, name->len);
	out->services = member_int(&r, root, "Services");
	out->status = member_int(&r, root, "Status");
	out->root_ca_type = member_int(&r, root, "RootCAType");
	out->self_signed = member_bool(&r, root, "SelfSigned");
	out->private_key_exportable = member_bool(&r, root,
	    "PrivateKeyExportable");
	out->identity = member_string(&r, root, "Identity");
	cd = val_obj(&r, member(&r, root, "CertData"));
	if (cd != NULL && cd->kind == O_BYTES) {
		out->cert_data = xmalloc(cd->data.len);
		memcpy(out->cert_data, data + cd->data.off, cd->data.len);
		out->cert_data_len = cd->data.len;
	}
	reader_free(&r);
	return 0;
}

int
nrbf_certdata_prop(const unsigned char *data, size_t len, uint32_t id,
    const unsigned char **out, size_t *outlen)
{
	size_t		pos = 0;
	uint32_t	pid, one, n;

	while (data != NULL && len - pos >= 12) {
		pid = (uint32_t)le(data + pos, 4);
		one = (uint32_t)le(data + pos + 4, 4);
		n = (uint32_t)le(data + pos + 8, 4);
		pos += 12;
		if (one != 1 || n > len - pos)
			return -1;
		if (pid == id) {
			*out = data + pos;
			*outlen = n;
			return 0;
		}
		pos += n;
	}
	return -1;
}

char *
nrbf_utf16le_to_utf8(const unsigned char *p, size_t n)
{
	struct buf	b;
	size_t		i;
	uint32_t	u, lo;
	char		enc[4];

	buf_init(&b, n * 2 + 1);
	for (i = 0; i + 1 < n; i += 2) {
		u = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;
		if (u == 0)
			break;
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
			lo = (uint32_t)p[i + 2] | (uint32_t)p[i + 3] << 8;
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF)
			u = 0xFFFD;
		if (u < 0x80) {
			enc[0] = (char)u;
			buf_append(&b, enc, 1);
		} else if (u < 0x800) {
			enc[0] = (char)(0xC0 | (u >> 6));
			enc[1] = (char)(0x80 | (u & 0x3F));
			buf_append(&b, enc, 2);
		} else if (u < 0x10000) {
			enc[0] = (char)(0xE0 | (u >> 12));
			enc[1] = (char)(0x80 | ((u >> 6) & 0x3F));
			enc[2] = (char)(0x80 | (u & 0x3F));
			buf_append(&b, enc, 3);
		} else {
			enc[0] = (char)(0xF0 | (u >> 18));
			enc[1] = (char)(0x80 | ((u >> 12) & 0x3F));
			enc[2] = (char)(0x80 | ((u >> 6) & 0x3F));
			enc[3] = (char)(0x80 | (u & 0x3F));
			buf_append(&b, enc, 4);
		}
	}
	return buf_steal(&b, NULL);
}

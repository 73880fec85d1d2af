/*
 * CliXml values read back: the _xHHHH_ escapes of names and strings, and the
 * accessors that turn a parsed value into a string, boolean, integer or time
 * and find an object's members and type names.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clixml.h"
#include "util/datetime.h"
#include "util/util.h"
#include "xml.h"

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
		/* Lone surrogates and NUL become U+FFFD. */
		xml_utf8_put(&b, u);
	}
	return buf_steal(&b, NULL);
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
	while (xml_is_space(*s))
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
	while (xml_is_space(*end))
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
	while (xml_is_space(*s))
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
	while (xml_is_space(*s))
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

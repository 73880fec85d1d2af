/*
 * Typed readers over record values, shared by the mappers: every format's
 * strings, numbers, enums, dates and lists read the same way here. A value
 * exported as a type name is unknown, and noted once per property and file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "record.h"

static void
note_unknown(struct map_ctx *ctx, const char *name, const struct rec_value *v)
{
	size_t	i;

	for (i = 0; i < ctx->nunknown; i++)
		if (ascii_casecmp(ctx->unknown[i].name, name) == 0) {
			ctx->unknown[i].count++;
			return;
		}
	if (ctx->nunknown == MAP_UNKNOWN_PROPS_MAX) {
		ctx->unlisted++;
		return;
	}
	ctx->unknown[i].name = xstrdup(name);
	ctx->unknown[i].example = v->s == NULL ? xstrdup("?") :
	    xstrndup(v->s, utf8_prefix_len(v->s, 120));
	ctx->unknown[i].count = 1;
	ctx->unknown[i].first_line = v->line;
	ctx->nunknown++;
}

/* The value, or NULL when absent, null or unknown (then noted). */
static const struct rec_value *
get(struct map_ctx *ctx, const struct record *r, const char *name)
{
	const struct rec_value	*v = record_get(r, name);

	if (v == NULL || v->kind == REC_NULL)
		return NULL;
	if (v->kind == REC_UNKNOWN) {
		note_unknown(ctx, name, v);
		return NULL;
	}
	return v;
}

static bool
all_digits(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

char *
rv_str(struct map_ctx *ctx, const struct record *r, const char *name)
{
	const struct rec_value	*v = get(ctx, r, name);
	struct buf		 b;
	size_t			 i;

	if (v == NULL)
		return NULL;
	if (v->kind == REC_LIST) {
		if (v->items.n == 0)
			return NULL;
		buf_init(&b, 1 << 20);
		for (i = 0; i < v->items.n; i++) {
			if (i > 0)
				(void)buf_append(&b, ", ", 2);
			(void)buf_append(&b, v->items.v[i], strlen(v->items.v[i]));
		}
		return buf_steal(&b, NULL);
	}
	return v->s == NULL || *v->s == '\0' ? NULL : xstrdup(v->s);
}

tri_t
rv_tri(struct map_ctx *ctx, const struct record *r, const char *name)
{
	const struct rec_value	*v = get(ctx, r, name);

	if (v == NULL || v->s == NULL || v->kind != REC_SCALAR)
		return TRI_UNKNOWN;
	if (ascii_casecmp(v->s, "True") == 0)
		return TRI_TRUE;
	if (ascii_casecmp(v->s, "False") == 0)
		return TRI_FALSE;
	map_warn(ctx, v->line, "%s \"%s\" is neither True nor False; left "
	    "unknown", name, v->s);
	return TRI_UNKNOWN;
}

long
rv_long(struct map_ctx *ctx, const struct record *r, const char *name)
{
	const struct rec_value	*v = get(ctx, r, name);
	const char		*s;
	long			 n = 0;

	if (v == NULL)
		return -1;
	if (v->has_int)
		return v->i >= 0 && v->i <= 0x7FFFFFFF ? (long)v->i : -1;
	if (v->kind != REC_SCALAR || v->s == NULL || *v->s == '\0')
		return -1;
	for (s = v->s; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > 100000000L) {
			map_warn(ctx, v->line, "%s \"%s\" is not a number; left "
			    "unknown", name, v->s);
			return -1;
		}
		n = n * 10 + (*s - '0');
	}
	return n;
}

char *
rv_enum(struct map_ctx *ctx, const struct record *r, const char *name,
    const char *const *names, size_t nnames)
{
	const struct rec_value	*v = get(ctx, r, name);
	int64_t			 n;

	if (v == NULL || v->kind == REC_LIST)
		return NULL;
	if (v->s != NULL && *v->s != '\0' && !all_digits(v->s))
		return xstrdup(v->s);
	if (v->has_int)
		n = v->i;
	else if (all_digits(v->s) && strlen(v->s) < 10)
		n = atol(v->s);
	else
		return NULL;
	if (names != NULL && n >= 0 && (size_t)n < nnames)
		return xstrdup(names[n]);
	map_warn(ctx, v->line, "%s value %lld is not one certtrail knows; left "
	    "unknown", name, (long long)n);
	return NULL;
}

/* "/Date(1720919582928)/" or "/Date(1720919582928+0200)/": ms since the epoch, UTC. */
static bool
parse_ms_date(const char *s, int64_t *out)
{
	int64_t	ms = 0;
	bool	neg = false;
	int	digits = 0;

	if (strncmp(s, "/Date(", 6) != 0)
		return false;
	s += 6;
	if (*s == '-') {
		neg = true;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 15)
			return false;
		ms = ms * 10 + (*s - '0');
	}
	if (digits == 0)
		return false;
	if (*s == '+' || *s == '-') {
		s++;
		for (digits = 0; digits < 4; digits++, s++)
			if (*s < '0' || *s > '9')
				return false;
	}
	if (strcmp(s, ")/") != 0)
		return false;
	*out = (neg ? -ms : ms) / 1000;
	if (neg && ms % 1000 != 0)
		(*out)--;
	return true;
}

/* An ISO time that says its offset ("Z", "+02:00"): exact. */
static bool
iso_has_zone(const char *s)
{
	size_t	len = strlen(s);

	if (len < 17 || (s[10] != 'T' && s[10] != 't'))
		return false;
	if (s[len - 1] == 'Z' || s[len - 1] == 'z')
		return true;
	return len >= 6 && (s[len - 6] == '+' || s[len - 6] == '-') &&
	    s[len - 3] == ':';
}

/*
 * The offset an ISO or CliXml time ends with ("-08:00", "+05:30"), in
 * minutes east of UTC; false for "Z" or no offset: UTC says nothing of the
 * server's clock.
 */
static bool
iso_offset(const char *s, int *minutes)
{
	size_t	len = strlen(s);
	int	h, m;

	if (len < 22 || (s[10] != 'T' && s[10] != 't'))
		return false;
	s += len - 6;
	if ((s[0] != '+' && s[0] != '-') || s[3] != ':' ||
	    s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' ||
	    s[4] < '0' || s[4] > '9' || s[5] < '0' || s[5] > '9')
		return false;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	if (h > 14 || m > 59)
		return false;
	*minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return true;
}

int64_t
rv_time_read(struct map_ctx *ctx, const struct record *r, const char *name,
    struct time_read *out)
{
	const struct rec_value	*v = get(ctx, r, name);
	int64_t			 t, t2;

	memset(out, 0, sizeof *out);
	out->t = TIME_UNKNOWN;
	if (v == NULL)
		return TIME_UNKNOWN;
	if (v->has_time) {
		out->exact = true;
		out->has_offset = v->s != NULL &&
		    iso_offset(v->s, &out->offset_minutes);
		return out->t = v->t;
	}
	if (v->kind != REC_SCALAR || v->s == NULL || *v->s == '\0')
		return TIME_UNKNOWN;
	if (parse_ms_date(v->s, &t)) {
		out->exact = true;
		return out->t = t;
	}
	if (date_parse_iso(v->s, &t)) {
		out->exact = iso_has_zone(v->s);
		out->has_offset = iso_offset(v->s, &out->offset_minutes);
		return out->t = t;
	}
	if (date_parse_culture(v->s, ctx->order, &t)) {
		/* Only a date that reads both ways rests on the guess. */
		out->order_guessed = ctx->order_guessed &&
		    date_text_needs_order(v->s);
		return out->t = t;
	}
	if (date_parse_culture(v->s, DATE_ORDER_MDY, &t) &&
	    date_parse_culture(v->s, DATE_ORDER_DMY, &t2)) {
		out->undecided = v->s;
		map_warn(ctx, v->line, "%s \"%s\" shown as written, not read as "
		    "a time: the day/month order of this file is undecidable",
		    name, v->s);
	} else
		map_warn(ctx, v->line, "%s \"%s\" is not a date that can be "
		    "read; left unknown", name, v->s);
	return TIME_UNKNOWN;
}

int64_t
rv_time(struct map_ctx *ctx, const struct record *r, const char *name,
    bool *exact)
{
	struct time_read	tr;

	rv_time_read(ctx, r, name, &tr);
	if (exact != NULL)
		*exact = tr.exact;
	return tr.t;
}

static void
split_add(struct strlist *out, const char *s, const char *sep)
{
	const char	*p, *q;
	char		*item;

	if (sep == NULL) {
		item = str_trim(xstrdup(s));
		if (*item != '\0')
			strlist_add(out, item);
		free(item);
		return;
	}
	for (p = s; p != NULL; p = q) {
		q = strstr(p, sep);
		item = q == NULL ? xstrdup(p) : xstrndup(p, (size_t)(q - p));
		str_trim(item);
		if (*item != '\0')
			strlist_add(out, item);
		free(item);
		if (q != NULL)
			q += strlen(sep);
	}
}

bool
rv_list(struct map_ctx *ctx, const struct record *r, const char *name,
    struct strlist *out, bool *cut, const char *sep)
{
	const struct rec_value	*v = get(ctx, r, name);
	size_t			 i;

	if (cut != NULL)
		*cut = false;
	if (v == NULL)
		return false;
	switch (v->kind) {
	case REC_LIST:
		for (i = 0; i < v->items.n; i++)
			if (sep != NULL)
				split_add(out, v->items.v[i], sep);
			else if (*v->items.v[i] != '\0')
				strlist_add(out, v->items.v[i]);
		/* The evidence and the reports say a cut list is incomplete. */
		if (cut != NULL)
			*cut = v->cut;
		return true;
	case REC_SCALAR:
	case REC_OBJECT:
		if (v->s != NULL)
			split_add(out, v->s, sep);
		return v->s != NULL;
	default:
		return false;
	}
}

char *
rv_enum_by_value(struct map_ctx *ctx, const struct record *r,
    const char *name, const struct rv_flag *names)
{
	const struct rec_value	*v = record_get(r, name);
	long			 n;

	if (v == NULL || v->kind != REC_SCALAR || v->s == NULL)
		return rv_str(ctx, r, name);
	if (!v->has_int && (*v->s < '0' || *v->s > '9'))
		return rv_str(ctx, r, name);
	n = rv_long(ctx, r, name);
	for (; names->name != NULL; names++)
		if (names->bit == n)
			return xstrdup(names->name);
	map_warn(ctx, v->line, "%s value %ld is not one certtrail knows; left "
	    "unknown", name, n);
	return NULL;
}

bool
date_text_needs_order(const char *v)
{
	int64_t	t, t2;

	return !date_parse_culture(v, DATE_ORDER_UNKNOWN, &t) &&
	    !date_parse_iso(v, &t) &&
	    date_parse_culture(v, DATE_ORDER_MDY, &t) &&
	    date_parse_culture(v, DATE_ORDER_DMY, &t2);
}

char *
rv_computer_name(struct map_ctx *ctx, const struct record *r, bool *outer)
{
	char	*s = rv_str(ctx, r, "PSComputerName");

	if (outer != NULL)
		*outer = s == NULL && r->outer_server != NULL;
	return s != NULL || r->outer_server == NULL ? s :
	    xstrdup(r->outer_server);
}

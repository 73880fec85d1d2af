/*
 * ConvertTo-Json files (Windows PowerShell 5.1 and 7): one object or an
 * array of them, each becoming a record for the mappers (json_record.c).
 * 5.1 writes dates as "\/Date(ms)\/" and enums as numbers; 7 writes ISO
 * dates and numbers or, with -EnumsAsStrings, names. Past the export's
 * depth (2 by default) objects become their string form: unknown, or for a
 * collection its items joined by spaces (rv_list_items).
 *
 * Collection scripts also wrap several cmdlets' output in one object of
 * their own ({"Server": "EX01", "Certificates": [...], "Queues": [...]}):
 * an object of no kind certtrail reads, whose members hold objects of kinds
 * it does, is such a wrapper, and the objects inside are read as if they
 * stood alone, the wrapper's server name going with them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "ingest.h"
#include "json.h"
#include "json_record.h"
#include "util/parse_diag.h"
#include "model/record.h"

#define TOP_NEST_MAX	3	/* arrays of arrays of objects at the top */
/* Containers (objects and arrays) walked below a wrapper: 4 wrappers deep. */
#define WALK_MAX	8

/* An object to map, and the server the wrappers around it name. */
struct found {
	const struct json_value	*obj;
	const char		*server;	/* in the tree; NULL: none */
	bool			 known;		/* of a kind certtrail reads */
};

struct json_ingest {
	struct map_ctx	 ctx;
	struct found	*found;
	size_t		 nfound, found_cap;
	long		 others;	/* top-level values that are not objects */
	long		 first_other;
	long		 wrappers;
	long		 first_wrapper;
	int		 wrapper_depth;
	/* The first wrapper's members holding objects, and its server. */
	char		 members[160];
	const char	*wrapper_server;
};

static const struct json_value *
member_ci(const struct json_value *o, const char *key)
{
	size_t	i;

	for (i = 0; i < o->n; i++)
		if (ascii_casecmp(o->keys[i], key) == 0)
			return &o->items[i];
	return NULL;
}

/* The server a wrapper names for what it holds, NULL when none. */
static const char *
wrapper_server(const struct json_value *o)
{
	static const char *const keys[] = { "Server", "ComputerName",
	    "PSComputerName" };
	const struct json_value	*v;
	size_t			 i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if ((v = member_ci(o, keys[i])) != NULL &&
		    v->type == JSON_STRING && v->s != NULL && *v->s != '\0')
			return v->s;
	return NULL;
}

static bool
is_container(const struct json_value *j)
{
	j = json_unwrap(j);
	return j->type == JSON_OBJECT || j->type == JSON_ARRAY;
}

static bool
classified(const struct json_value *j)
{
	struct record	rec;
	bool		known;

	json_record(j, &rec);
	known = record_classify(&rec) != NULL;
	record_free(&rec);
	return known;
}

static void
add_found(struct json_ingest *in, const struct json_value *j,
    const char *server, bool known)
{
	in->found = xreallocarray_grow(in->found, &in->found_cap,
	    in->nfound + 1, sizeof *in->found);
	in->found[in->nfound].obj = j;
	in->found[in->nfound].server = server;
	in->found[in->nfound].known = known;
	in->nfound++;
}

static void
note_members(struct json_ingest *in, const struct json_value *o)
{
	size_t	i, len = 0;
	int	n;

	for (i = 0; i < o->n; i++) {
		if (!is_container(&o->items[i]))
			continue;
		n = snprintf(in->members + len, sizeof in->members - len, "%s%s",
		    len > 0 ? ", " : "", o->keys[i]);
		if (n < 0 || (size_t)n >= sizeof in->members - len) {
			in->members[len] = '\0';
			return;
		}
		len += (size_t)n;
	}
}

static void walk(struct json_ingest *, const struct json_value *, int,
    const char *);

/*
 * An object of no kind certtrail reads: its members are walked, and when
 * they hold objects of a kind it reads, it was a wrapper and what they hold
 * is kept; otherwise it is one object of another type, as before.
 */
static void
walk_object(struct json_ingest *in, const struct json_value *o, int depth,
    const char *server)
{
	size_t		 i, start = in->nfound, k;
	bool		 nested = false, known = false;
	const char	*s = NULL;

	if (classified(o)) {
		add_found(in, o, server, true);
		return;
	}
	for (i = 0; i < o->n; i++)
		nested = nested || is_container(&o->items[i]);
	if (nested && depth < WALK_MAX) {
		s = wrapper_server(o);
		for (i = 0; i < o->n; i++)
			if (is_container(&o->items[i]))
				walk(in, &o->items[i], depth + 1,
				    s != NULL ? s : server);
		for (k = start; k < in->nfound && !known; k++)
			known = in->found[k].known;
		if (known) {
			/* Inner wrappers end first: the outermost is said. */
			if (in->wrappers++ == 0 || depth < in->wrapper_depth) {
				in->wrapper_depth = depth;
				in->first_wrapper = o->line;
				in->wrapper_server = s != NULL ? s : server;
				note_members(in, o);
			}
			return;
		}
		in->nfound = start;
	}
	add_found(in, o, server, false);
}

/* Below a wrapper: objects, and arrays of them; other values are its own. */
static void
walk(struct json_ingest *in, const struct json_value *j, int depth,
    const char *server)
{
	size_t	i;

	j = json_unwrap(j);
	if (j->type == JSON_OBJECT)
		walk_object(in, j, depth, server);
	else if (j->type == JSON_ARRAY && depth < WALK_MAX)
		for (i = 0; i < j->n; i++)
			if (is_container(&j->items[i]))
				walk(in, &j->items[i], depth + 1, server);
}

/* The top: an object, or arrays (of arrays) of them. */
static void
collect(struct json_ingest *in, const struct json_value *j, int nest)
{
	size_t	i;

	j = json_unwrap(j);
	if (j->type == JSON_OBJECT) {
		walk_object(in, j, 0, NULL);
		return;
	}
	if (j->type == JSON_ARRAY && nest < TOP_NEST_MAX) {
		for (i = 0; i < j->n; i++)
			collect(in, &j->items[i], nest + 1);
		return;
	}
	if (in->others++ == 0)
		in->first_other = j->line;
}

static void
found_record(const struct found *f, struct record *rec)
{
	json_record(f->obj, rec);
	if (f->server != NULL)
		rec->outer_server = xstrdup(f->server);
}

/* A file that gave nothing: said as a warning, and not "read" in the manifest. */
static void
nothing_read(struct json_ingest *in, struct bundle_outcome *outcome,
    const char *source, size_t nobjs)
{
	diag_add(&in->ctx.ev->diags, DIAG_WARNING, source, "JSON with %zu "
	    "object(s), none a certificate, connector, transport service, "
	    "queue, Auth configuration or event certtrail reads: nothing read "
	    "from it", nobjs);
	if (outcome != NULL) {
		outcome->status = MANIFEST_UNSUPPORTED;
		snprintf(outcome->why, sizeof outcome->why, "JSON with %zu "
		    "object(s), none of a kind certtrail reads", nobjs);
	}
}

int
json_ingest_file(struct evidence *ev, const char *source, const char *text,
    size_t len, struct bundle_outcome *outcome)
{
	struct json_value	 root;
	struct json_ingest	 in;
	struct date_order_votes	 votes;
	struct record		 rec;
	struct parse_diag	 pd;
	size_t			 i, nobjs;
	int			 failed;

	memset(&in, 0, sizeof in);
	parse_diag_init(&pd, &ev->diags, source);
	failed = json_parse(text, len, &root, &pd);
	collect(&in, &root, 0);
	nobjs = in.nfound;
	/* After an error the last object may be incomplete: not read. */
	if (failed && nobjs > 0)
		nobjs--;
	/* Records are built twice, one at a time: the votes, then the mapping. */
	memset(&votes, 0, sizeof votes);
	for (i = 0; i < nobjs; i++) {
		found_record(&in.found[i], &rec);
		record_date_votes(&rec, &votes);
		record_free(&rec);
	}
	map_ctx_init(&in.ctx, ev, source, "JSON", 1);
	in.ctx.order = date_order_decide(&votes);
	for (i = 0; i < nobjs; i++) {
		found_record(&in.found[i], &rec);
		(void)map_record(&in.ctx, &rec);
		record_free(&rec);
	}
	if (in.wrappers > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "line %ld: an object "
		    "wrapping the export (%ld such object(s) in the file): what "
		    "its members %s hold read as exported objects%s%s%s",
		    in.first_wrapper, in.wrappers, in.members,
		    in.wrapper_server != NULL ? ", those naming no server taken "
		    "as " : "", in.wrapper_server != NULL ? in.wrapper_server : "",
		    in.wrapper_server != NULL ? "'s (the wrapper's server)" : "");
	if (failed) {
		parse_problem(&pd, DIAG_ERROR, 0, "malformed JSON at line %ld: "
		    "%s; %zu complete object(s) before it were read",
		    pd.cause_line, pd.cause, nobjs);
		if (in.ctx.added == 0 && outcome != NULL) {
			outcome->status = MANIFEST_DAMAGED;
			snprintf(outcome->why, sizeof outcome->why, "malformed "
			    "JSON at line %ld", pd.cause_line);
		}
	}
	if (in.others > 0 && !failed)
		diag_add(&ev->diags, DIAG_INFO, source, "%ld top-level value(s) "
		    "that are not objects ignored (first at line %ld)",
		    in.others, in.first_other);
	if (in.ctx.added == 0 && in.ctx.skipped == 0 &&
	    in.ctx.events_irrelevant == 0 && !failed)
		nothing_read(&in, outcome, source, nobjs);
	map_ctx_finish(&in.ctx);
	free(in.found);
	json_free(&root);
	if (in.ctx.added == 0 && (in.ctx.skipped > 0 || failed))
		return -1;
	return (int)(in.ctx.added > 0x7FFFFFFF ? 0x7FFFFFFF : in.ctx.added);
}

int
ingest_json(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	return json_ingest_file(ev, source, text, len, NULL);
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
	return json_ingest_file(ctx->ev, e->path, e->text, e->text_len,
	    e->outcome);
}

const struct format format_json = {
	.name = "json", .one = "JSON file", .many = "JSON files",
	.text = true, .best = 30, .bid = bid_json, .ingest = read_json,
};

/*
 * Reading a case from a findings.json: the earlier one a user names with
 * --baseline, and the new one from the text about to be written, so both
 * go through the same reading and a field one of them lacks is unknown in
 * the same way. Only the parts the comparison needs are kept.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "baseline.h"
#include "formats/json.h"
#include "util/datetime.h"
#include "util/hash.h"
#include "util/parse_diag.h"
#include "util/text.h"

/* Far above a real result; a larger file is not one. */
#define BEFORE_MAX_BYTES	((size_t)1 << 30)

static const char *
str_of(const struct json_value *o, const char *key)
{
	const struct json_value	*v = json_get(o, key);

	return v != NULL && v->type == JSON_STRING ? v->s : NULL;
}

static long
long_of(const struct json_value *o, const char *key)
{
	const struct json_value	*v = json_get(o, key);
	char			*end;
	long			 n;

	if (v == NULL || v->type != JSON_NUMBER)
		return -1;
	errno = 0;
	n = strtol(v->s, &end, 10);
	return errno == 0 && *end == '\0' && n >= 0 ? n : -1;
}

static const struct json_value *
array_of(const struct json_value *o, const char *key)
{
	const struct json_value	*v = json_get(o, key);

	return v != NULL && v->type == JSON_ARRAY ? v : NULL;
}

static void
strings_of(const struct json_value *o, const char *key, struct strlist *out)
{
	const struct json_value	*a = array_of(o, key);
	size_t			 i;

	for (i = 0; a != NULL && i < a->n; i++)
		if (a->items[i].type == JSON_STRING)
			strlist_add_unique_ci(out, a->items[i].s);
}

static void
read_findings(const struct json_value *a, struct bl_case *c)
{
	const struct json_value	*f;
	struct bl_finding	*b;
	const char		*status;
	size_t			 i;

	c->findings = xcalloc(a->n + 1, sizeof *c->findings);
	for (i = 0; i < a->n; i++) {
		f = &a->items[i];
		if (f->type != JSON_OBJECT || str_of(f, "rule") == NULL)
			continue;
		b = &c->findings[c->nfindings++];
		b->id = xstrdup(str_of(f, "id"));
		b->rule = xstrdup(str_of(f, "rule"));
		b->severity = xstrdup(str_of(f, "severity"));
		b->title = xstrdup(str_of(f, "title"));
		strings_of(f, "servers", &b->servers);
		strings_of(f, "connectors", &b->connectors);
		strings_of(f, "thumbprints", &b->thumbprints);
		/* Written only by the versions that judge it; absent: active. */
		status = str_of(f, "status");
		b->resolved = status != NULL && strcmp(status, "resolved") == 0;
	}
}

/*
 * The servers a case covers: those its evidence was collected from, which
 * every array of evidence names in its rows' "server" (certificates,
 * queues, protocol-log groups, ...). A Send connector names its source
 * servers, not where it was collected; the symptoms and findings are
 * conclusions, not evidence, and a gap is evidence missing.
 */
static void
read_servers(const struct json_value *top, struct bl_case *c)
{
	const struct json_value	*a;
	size_t			 i, k;

	for (k = 0; k < top->n; k++) {
		a = &top->items[k];
		if (a->type != JSON_ARRAY ||
		    strcmp(top->keys[k], "symptoms") == 0 ||
		    strcmp(top->keys[k], "gaps") == 0)
			continue;
		for (i = 0; i < a->n; i++)
			strlist_add_unique_ci(&c->servers,
			    str_of(&a->items[i], "server"));
	}
	/*
	 * The list of servers, where a version writes one: a server there
	 * whose sources are empty is only named (a Send connector's source
	 * server), not collected.
	 */
	for (a = array_of(top, "servers"), i = 0; a != NULL && i < a->n; i++) {
		const struct json_value	*src = array_of(&a->items[i], "sources");

		if (src == NULL || src->n > 0)
			strlist_add_unique_ci(&c->servers,
			    str_of(&a->items[i], "name"));
	}
	strlist_sort_ci(&c->servers);
}

static void
read_days(const struct json_value *a, struct bl_case *c)
{
	const struct json_value	*d;
	const char		*dir;
	struct bl_day		*x;
	int64_t			 day;
	size_t			 i;

	c->days_known = true;
	c->days = xcalloc(a->n + 1, sizeof *c->days);
	for (i = 0; i < a->n; i++) {
		d = &a->items[i];
		if (!date_parse_iso(str_of(d, "day"), &day))
			continue;
		x = &c->days[c->ndays++];
		x->server = xstrdup(str_of(d, "server"));
		dir = str_of(d, "direction");
		x->receive = dir != NULL && strcmp(dir, "receive") == 0;
		x->connector = xstrdup(str_of(d, "connector"));
		x->day = day;
		x->ok = long_of(d, "ok");
		x->failed = long_of(d, "failed");
	}
}

static void
read_symptoms(const struct json_value *a, struct bl_case *c)
{
	const struct json_value	*y;
	struct bl_symptom	*x;
	size_t			 i;

	c->symptoms = (long)a->n;
	c->sym = xcalloc(a->n + 1, sizeof *c->sym);
	for (i = 0; i < a->n; i++) {
		y = &a->items[i];
		if (y->type != JSON_OBJECT || str_of(y, "kind") == NULL)
			continue;
		x = &c->sym[c->nsym++];
		x->kind = xstrdup(str_of(y, "kind"));
		x->server = xstrdup(str_of(y, "server"));
		x->connector = xstrdup(str_of(y, "connector"));
		x->finding = xstrdup(str_of(y, "finding"));
	}
}

static void
read_queues(const struct json_value *a, struct bl_case *c)
{
	const struct json_value	*q;
	struct bl_queue		*x;
	size_t			 i;

	c->queues = xcalloc(a->n + 1, sizeof *c->queues);
	for (i = 0; i < a->n; i++) {
		q = &a->items[i];
		if (q->type != JSON_OBJECT)
			continue;
		x = &c->queues[c->nqueues++];
		x->server = xstrdup(str_of(q, "server"));
		x->identity = xstrdup(str_of(q, "identity"));
		x->next_hop = xstrdup(str_of(q, "next_hop_domain"));
		x->status = xstrdup(str_of(q, "status"));
		x->messages = long_of(q, "message_count");
		x->last_error = xstrdup(str_of(q, "last_error"));
		strlist_add_unique_ci(&c->queue_servers, x->server);
	}
}

/*
 * "certtrail/findings/1": the schema this program reads. Returns 0, 1 when
 * it is not a certtrail result, 2 when a newer one.
 */
static int
schema_check(const char *schema, long *version)
{
	char	*end;

	*version = -1;
	if (schema == NULL || strncmp(schema, BASELINE_SCHEMA_PREFIX,
	    strlen(BASELINE_SCHEMA_PREFIX)) != 0)
		return 1;
	errno = 0;
	*version = strtol(schema + strlen(BASELINE_SCHEMA_PREFIX), &end, 10);
	if (errno != 0 || *end != '\0' || *version < 1)
		return 1;
	return *version > BASELINE_SCHEMA_MAX ? 2 : 0;
}

int
baseline_read_text(const char *text, size_t len, struct bl_case *c,
    char **why)
{
	struct json_value	 top;
	struct parse_diag	 pd;
	const struct json_value	*a, *v;
	long			 version;
	int			 rc = -1;

	parse_diag_init(&pd, NULL, NULL);
	if (json_parse(text, len, &top, &pd) != 0) {
		*why = xasprintf("it is not a certtrail result: not JSON (%s at "
		    "line %ld); expected the findings.json certtrail writes",
		    pd.cause, pd.cause_line);
		goto out;
	}
	if (top.type != JSON_OBJECT) {
		*why = xasprintf("its JSON is not an object; expected the "
		    "findings.json certtrail writes");
		goto out;
	}
	switch (schema_check(str_of(&top, "schema"), &version)) {
	case 1:
		*why = xasprintf("it is not a certtrail result: expected a "
		    "findings.json whose \"schema\" is \"%s%d\"",
		    BASELINE_SCHEMA_PREFIX, BASELINE_SCHEMA_MAX);
		goto out;
	case 2:
		*why = xasprintf("it was written by a newer certtrail (schema "
		    "\"%s\"); this version reads \"%s%d\" and older",
		    str_of(&top, "schema"), BASELINE_SCHEMA_PREFIX,
		    BASELINE_SCHEMA_MAX);
		goto out;
	}
	if ((a = array_of(&top, "findings")) == NULL) {
		*why = xasprintf("it has no \"findings\" array; expected the "
		    "findings.json certtrail writes");
		goto out;
	}
	read_findings(a, c);
	if (!date_parse_iso(str_of(&top, "as_of"), &c->as_of))
		c->as_of = TIME_UNKNOWN;
	read_servers(&top, c);
	c->symptoms = -1;
	if ((a = array_of(&top, "symptoms")) != NULL)
		read_symptoms(a, c);
	else if ((v = json_get(&top, "verdict")) != NULL)
		c->symptoms = long_of(v, "symptoms");
	if ((a = array_of(&top, "tls_days")) != NULL)
		read_days(a, c);
	if ((a = array_of(&top, "queues")) != NULL)
		read_queues(a, c);
	rc = 0;
out:
	json_free(&top);
	return rc;
}

/* BEFORE as a file: a folder holding findings.json, or the file itself. */
static char *
before_file(const char *path, char **why)
{
	struct stat	st;

	if (stat(path, &st) != 0) {
		*why = xasprintf("%s; expected an earlier findings.json or the "
		    "folder that holds it", strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		char	*f = xasprintf("%s%sfindings.json", path,
		    path[0] != '\0' && path[strlen(path) - 1] == '/' ? "" : "/");

		if (stat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
			*why = xasprintf("the folder holds no findings.json; "
			    "expected an earlier findings.json or the folder "
			    "that holds it");
			free(f);
			return NULL;
		}
		return f;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = xasprintf("not a file; expected an earlier findings.json "
		    "or the folder that holds it");
		return NULL;
	}
	return xstrdup(path);
}

int
baseline_read_before(const char *path, struct bl_case *c, char **why)
{
	FILE		*fp;
	struct buf	 b;
	char		 chunk[65536], *text;
	size_t		 n, tlen;
	int		 rc;

	memset(c, 0, sizeof *c);
	c->as_of = TIME_UNKNOWN;
	if ((c->path = before_file(path, why)) == NULL)
		return -1;
	if ((fp = fopen(c->path, "rb")) == NULL) {
		*why = xasprintf("%s: %s", c->path, strerror(errno));
		return -1;
	}
	buf_init(&b, BEFORE_MAX_BYTES);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_append(&b, chunk, n) != 0)
			break;
	if (ferror(fp) || !feof(fp)) {
		*why = ferror(fp) ? xasprintf("%s: %s", c->path,
		    strerror(errno)) : xasprintf("%s is larger than %zu bytes; "
		    "expected the findings.json certtrail writes", c->path,
		    BEFORE_MAX_BYTES);
		fclose(fp);
		buf_free(&b);
		return -1;
	}
	fclose(fp);
	hash_sha256_hex(b.data != NULL ? b.data : "", b.len, c->sha256);
	/* Written as UTF-8; anything else is decoded, as any bundle text is. */
	text = text_to_utf8((const unsigned char *)(b.data != NULL ? b.data :
	    ""), b.len, &tlen, NULL, NULL);
	buf_free(&b);
	rc = baseline_read_text(text, tlen, c, why);
	free(text);
	return rc;
}

static void
finding_free(struct bl_finding *f)
{
	free(f->id);
	free(f->rule);
	free(f->severity);
	free(f->title);
	strlist_free(&f->servers);
	strlist_free(&f->connectors);
	strlist_free(&f->thumbprints);
}

void
bl_case_free(struct bl_case *c)
{
	size_t	i;

	for (i = 0; i < c->nfindings; i++)
		finding_free(&c->findings[i]);
	free(c->findings);
	for (i = 0; i < c->ndays; i++) {
		free(c->days[i].server);
		free(c->days[i].connector);
	}
	free(c->days);
	for (i = 0; i < c->nsym; i++) {
		free(c->sym[i].kind);
		free(c->sym[i].server);
		free(c->sym[i].connector);
		free(c->sym[i].finding);
	}
	free(c->sym);
	for (i = 0; i < c->nqueues; i++) {
		free(c->queues[i].server);
		free(c->queues[i].identity);
		free(c->queues[i].next_hop);
		free(c->queues[i].status);
		free(c->queues[i].last_error);
	}
	free(c->queues);
	strlist_free(&c->servers);
	strlist_free(&c->queue_servers);
	free(c->path);
	memset(c, 0, sizeof *c);
}

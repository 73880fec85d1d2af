/* Building findings, and ranking them to choose the root cause. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"

static const char *const severity_names[] = {
	"info", "low", "medium", "high", "critical"
};

const char *
severity_name(enum severity s)
{
	return severity_names[s];
}

bool
severity_parse(const char *s, enum severity *out)
{
	int	i;

	for (i = 0; i <= SEV_CRITICAL; i++) {
		if (ascii_casecmp(s, severity_names[i]) == 0) {
			*out = (enum severity)i;
			return true;
		}
	}
	return false;
}

const char *
finding_status_name(enum finding_status s)
{
	return s == FINDING_RESOLVED ? "resolved" : "active";
}

struct finding *
findings_new(struct findings *fs, const char *rule, enum severity sev)
{
	struct finding	*f;

	fs->v = xreallocarray_grow(fs->v, &fs->cap, fs->n + 1, sizeof *fs->v);
	f = &fs->v[fs->n++];
	memset(f, 0, sizeof *f);
	f->rule = rule;
	f->severity = sev;
	f->seq = (long)fs->n - 1;
	f->first_seen = f->last_seen = TIME_UNKNOWN;
	f->ok_first = f->ok_last = TIME_UNKNOWN;
	f->first_seen_local = f->last_seen_local = TIME_UNKNOWN;
	return f;
}

void
finding_add_evidence(struct finding *f, const char *source, long line,
    const char *text, long count)
{
	struct finding_evidence	*e;

	f->evidence = xreallocarray_grow(f->evidence, &f->evidence_cap,
	    f->nevidence + 1, sizeof *f->evidence);
	e = &f->evidence[f->nevidence++];
	e->source = xstrdup(source ? source : "");
	e->line = line;
	e->text = xstrdup(text ? text : "");
	e->count = count > 0 ? count : 1;
}

void
finding_add_step(struct finding *f, const char *text, const char *command)
{
	struct remediation_step	*s;

	f->remediation = xreallocarray_grow(f->remediation, &f->remediation_cap,
	    f->nremediation + 1, sizeof *f->remediation);
	s = &f->remediation[f->nremediation];
	s->step = (int)++f->nremediation;
	s->text = xstrdup(text);
	s->command = xstrdup(command);
}

static void
widen(int64_t *first, int64_t *last, int64_t t)
{
	if (t == TIME_UNKNOWN)
		return;
	if (*first == TIME_UNKNOWN || t < *first)
		*first = t;
	if (*last == TIME_UNKNOWN || t > *last)
		*last = t;
}

void
finding_seen(struct finding *f, int64_t t)
{
	widen(&f->first_seen, &f->last_seen, t);
}

void
finding_seen_at(struct finding *f, int64_t t, bool utc)
{
	if (utc)
		widen(&f->first_seen, &f->last_seen, t);
	else
		widen(&f->first_seen_local, &f->last_seen_local, t);
}

int64_t
finding_first(const struct finding *f, bool *utc)
{
	*utc = f->first_seen != TIME_UNKNOWN || f->first_seen_local == TIME_UNKNOWN;
	return *utc ? f->first_seen : f->first_seen_local;
}

int64_t
finding_last(const struct finding *f, bool *utc)
{
	*utc = f->last_seen != TIME_UNKNOWN || f->last_seen_local == TIME_UNKNOWN;
	return *utc ? f->last_seen : f->last_seen_local;
}

static void
finding_clear(struct finding *f)
{
	size_t	i;

	free(f->title);
	free(f->explanation);
	free(f->change);
	strlist_free(&f->servers);
	strlist_free(&f->connectors);
	strlist_free(&f->thumbprints);
	for (i = 0; i < f->nevidence; i++) {
		free(f->evidence[i].source);
		free(f->evidence[i].text);
	}
	free(f->evidence);
	for (i = 0; i < f->nremediation; i++) {
		free(f->remediation[i].text);
		free(f->remediation[i].command);
	}
	free(f->remediation);
	strlist_free(&f->references);
}

void
findings_drop_last(struct findings *fs)
{
	if (fs->n == 0)
		return;
	finding_clear(&fs->v[--fs->n]);
}

void
findings_free(struct findings *fs)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		finding_clear(&fs->v[i]);
	free(fs->v);
	fs->v = NULL;
	fs->n = fs->cap = 0;
	fs->root_cause = -1;
}

/*
 * Choosing the root cause (docs/rules.md, "Ranking"): prefer (1) direct
 * evidence in logs or queues, (2) more symptoms explained, (3) higher
 * severity, (4) the earlier start. Resolved findings (incidents that are
 * over) come after every active one, and generic findings (leftover
 * symptoms) after every specific one. Ties fall back to the rule id and
 * title so the order is stable.
 */
static int
cmp_rank(const void *pa, const void *pb)
{
	const struct finding	*a = pa, *b = pb;
	int			 c;

	if (a->status != b->status)
		return a->status == FINDING_RESOLVED ? 1 : -1;
	if (a->generic != b->generic)
		return a->generic ? 1 : -1;
	if (a->direct_evidence != b->direct_evidence)
		return a->direct_evidence ? -1 : 1;
	if (a->symptoms_explained != b->symptoms_explained)
		return a->symptoms_explained > b->symptoms_explained ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->first_seen != b->first_seen) {
		if (a->first_seen == TIME_UNKNOWN)
			return 1;
		if (b->first_seen == TIME_UNKNOWN)
			return -1;
		return a->first_seen < b->first_seen ? -1 : 1;
	}
	if ((c = strcmp(a->rule, b->rule)) != 0)
		return c;
	return strcmp(a->title ? a->title : "", b->title ? b->title : "");
}

void
findings_rank(struct findings *fs)
{
	size_t	i;

	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof *fs->v, cmp_rank);
	for (i = 0; i < fs->n; i++)
		snprintf(fs->v[i].id, sizeof fs->v[i].id, "F%zu", i + 1);
	/*
	 * Informational findings alone do not make a root cause, and neither
	 * does a generic one (it reports symptoms whose cause is not known)
	 * nor an incident that is over.
	 */
	fs->root_cause = (fs->n > 0 && fs->v[0].severity > SEV_INFO &&
	    !fs->v[0].generic && fs->v[0].status == FINDING_ACTIVE) ? 0 : -1;
}

const struct finding *
findings_by_seq(const struct findings *fs, long seq)
{
	size_t	i;

	for (i = 0; seq >= 0 && i < fs->n; i++)
		if (fs->v[i].seq == seq)
			return &fs->v[i];
	return NULL;
}

const char *
findings_naming(const struct findings *fs, const char *thumbprint)
{
	size_t	i;

	for (i = 0; fs != NULL && thumbprint != NULL && i < fs->n; i++)
		if (strlist_contains_ci(&fs->v[i].thumbprints, thumbprint))
			return fs->v[i].id;
	return NULL;
}

void
findings_count(const struct findings *fs, long counts[5])
{
	size_t	i;

	memset(counts, 0, 5 * sizeof counts[0]);
	for (i = 0; i < fs->n; i++)
		counts[fs->v[i].severity]++;
}

long
findings_count_active(const struct findings *fs, long counts[5])
{
	long	resolved = 0;
	size_t	i;

	memset(counts, 0, 5 * sizeof counts[0]);
	for (i = 0; i < fs->n; i++) {
		if (fs->v[i].status == FINDING_RESOLVED)
			resolved++;
		else
			counts[fs->v[i].severity]++;
	}
	return resolved;
}

/*
 * The evidence container: made empty, and what it keeps beside the kinds'
 * records (kinds/list.h): transcript symptoms, manifest entries, inputs.
 * The kinds' records are added by their own stores (kinds/), finished by
 * evidence_finish.c and freed by evidence_free.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "evidence.h"

void
ev_ref_copy(struct ev_ref *dst, const struct ev_ref *src)
{
	dst->source = xstrdup(src->source);
	dst->line = src->line;
}

char *
server_short_name(const char *name)
{
	const char	*dot, *slash;
	char		*s;

	if (name == NULL)
		return NULL;
	while (*name == ' ')
		name++;
	/* "CONTOSO\EX01" and "EX01.contoso.com" both mean EX01. */
	slash = strrchr(name, '\\');
	if (slash != NULL)
		name = slash + 1;
	dot = strchr(name, '.');
	s = dot ? xstrndup(name, (size_t)(dot - name)) : xstrdup(name);
	str_trim(s);
	ascii_upper(s);
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

void
evidence_init(struct evidence *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->logs.first = ev->logs.last = TIME_UNKNOWN;
	ev->newest_entry_time = TIME_UNKNOWN;
}

struct ev_symptom *
evidence_add_symptom(struct evidence *ev, const struct ev_symptom *s)
{
	struct ev_symptom	*dst;

	ev->symptoms = xreallocarray_grow(ev->symptoms, &ev->symptoms_cap,
	    ev->nsymptoms + 1, sizeof *ev->symptoms);
	dst = &ev->symptoms[ev->nsymptoms++];
	memset(dst, 0, sizeof *dst);
	dst->kind = s->kind;
	dst->server = server_short_name(s->server);
	strlist_copy(&dst->connectors, &s->connectors);
	dst->thumbprint = xstrdup(s->thumbprint);
	if (dst->thumbprint != NULL)
		ascii_upper(dst->thumbprint);
	dst->text = xstrdup(s->text);
	ev_ref_copy(&dst->ref, &s->ref);
	return dst;
}

void
evidence_add_entry(struct evidence *ev, const struct manifest_entry *m)
{
	struct manifest_entry	*dst;

	ev->entries = xreallocarray_grow(ev->entries, &ev->entries_cap,
	    ev->nentries + 1, sizeof *ev->entries);
	dst = &ev->entries[ev->nentries++];
	*dst = *m;
	dst->path = xstrdup(m->path);
	dst->why = xstrdup(m->why);
	if (m->mtime != TIME_UNKNOWN && (ev->newest_entry_time == TIME_UNKNOWN ||
	    m->mtime > ev->newest_entry_time))
		ev->newest_entry_time = m->mtime;
}

size_t
evidence_entry_hashes_fill(struct evidence *ev, const char (*shas)[65],
    size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < ev->nentries; i++) {
		if (!ev->entries[i].sha256_pending)
			continue;
		if (k < n)
			memcpy(ev->entries[i].sha256, shas[k],
			    sizeof ev->entries[i].sha256);
		ev->entries[i].sha256_pending = false;
		k++;
	}
	return k;
}

void
evidence_entry_copy_of(struct evidence *ev, const char *path,
    const char *sha256, const char *original)
{
	struct manifest_entry	*e;
	size_t			 i;

	for (i = ev->nentries; i-- > 0;) {
		e = &ev->entries[i];
		if (e->duplicate_of == NULL && e->status == MANIFEST_READ &&
		    strcmp(e->path, path) == 0 &&
		    strcmp(e->sha256, sha256) == 0) {
			e->duplicate_of = xstrdup(original);
			return;
		}
	}
}

size_t
evidence_copies(const struct evidence *ev,
    const struct manifest_entry **first)
{
	size_t	i, n = 0;

	if (first != NULL)
		*first = NULL;
	for (i = 0; i < ev->nentries; i++) {
		if (ev->entries[i].duplicate_of == NULL)
			continue;
		if (n++ == 0 && first != NULL)
			*first = &ev->entries[i];
	}
	return n;
}

void
evidence_add_input(struct evidence *ev, const struct input_info *in)
{
	struct input_info	*dst;

	ev->inputs = xreallocarray_grow(ev->inputs, &ev->inputs_cap,
	    ev->ninputs + 1, sizeof *ev->inputs);
	dst = &ev->inputs[ev->ninputs++];
	*dst = *in;
	dst->path = xstrdup(in->path);
}

const char *
tri_text(tri_t t)
{
	switch (t) {
	case TRI_TRUE:
		return "Yes";
	case TRI_FALSE:
		return "No";
	default:
		return "unknown";
	}
}

const char *
entry_status_name(enum entry_status s)
{
	switch (s) {
	case MANIFEST_READ:
		return "read";
	case MANIFEST_SKIPPED:
		return "skipped";
	case MANIFEST_ENCRYPTED:
		return "encrypted";
	case MANIFEST_DAMAGED:
		return "damaged";
	case MANIFEST_UNSUPPORTED:
		return "unsupported";
	}
	return "read";
}

bool
manifest_entry_is_rest(const struct manifest_entry *m)
{
	static const char	rest[] = "/" MANIFEST_REST;
	size_t			n = m->path != NULL ? strlen(m->path) : 0;

	return m->status != MANIFEST_READ && n >= sizeof rest - 1 &&
	    strcmp(m->path + n - (sizeof rest - 1), rest) == 0;
}

size_t
evidence_skipped_count(const struct evidence *ev)
{
	size_t	i, n = 0;

	for (i = 0; ev != NULL && i < ev->nentries; i++)
		if (ev->entries[i].status != MANIFEST_READ)
			n++;
	return n;
}

size_t
evidence_in_part_count(const struct evidence *ev)
{
	size_t	i, n = 0;

	for (i = 0; ev != NULL && i < ev->nentries; i++)
		if (ev->entries[i].status != MANIFEST_READ &&
		    ev->entries[i].in_part)
			n++;
	return n;
}

/*
 * The rest of an archive stands for entries that could not be named, as
 * many as there were: it is counted as an archive's rest, never as one
 * entry.
 */
char *
evidence_unread_text(const struct evidence *ev)
{
	struct buf	b;
	size_t		i, entries = 0, in_part = 0, rests = 0;

	for (i = 0; ev != NULL && i < ev->nentries; i++) {
		if (ev->entries[i].status == MANIFEST_READ)
			continue;
		if (manifest_entry_is_rest(&ev->entries[i]))
			rests++;
		else {
			entries++;
			if (ev->entries[i].in_part)
				in_part++;
		}
	}
	if (entries == 0 && rests == 0)
		return NULL;
	buf_init(&b, 256);
	if (entries > 0)
		buf_appendf(&b, "%zu entr%s could not be read%s", entries,
		    entries == 1 ? "y" : "ies", in_part > 0 ? " to the end" : "");
	if (in_part == entries && in_part > 0)
		buf_appendf(&b, " (%sread in part)", in_part > 1 ? "all " : "");
	else if (in_part > 0)
		buf_appendf(&b, " (%zu read in part)", in_part);
	if (rests > 0)
		buf_appendf(&b, "%sthe rest of %zu archive%s was not read",
		    entries > 0 ? ", and " : "", rests, rests == 1 ? "" : "s");
	return buf_steal(&b, NULL);
}

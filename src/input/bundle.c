/*
 * The bundle reader's public entry: each input given on the command line,
 * named for the manifest and read as a directory or a file; and the
 * limits' defaults. How the reading goes is told in bundle_walk.h.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "bundle_walk.h"
#include "util/util.h"

void
bundle_limits_default(struct bundle_limits *lim)
{
	lim->max_total_bytes = 4ULL * 1024 * 1024 * 1024;
	lim->max_entry_bytes = 512ULL * 1024 * 1024;
	lim->max_ratio = 200;
	lim->ratio_grace = 8ULL * 1024 * 1024;
	lim->max_depth = 4;
	lim->max_entries = 100000;
}

/* The last component of a path as given on the command line. */
static char *
input_base_name(const char *given)
{
	const char	*end = given + strlen(given), *s;
	char		*base, *real;

	while (end - given > 1 && end[-1] == '/')
		end--;
	for (s = end; s > given && s[-1] != '/'; s--)
		;
	base = xstrndup(s, (size_t)(end - s));
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	    strcmp(base, "/") == 0) {
		/* "." or "/": the directory's real name says more. */
		free(base);
		real = realpath(given, NULL);
		s = real != NULL ? strrchr(real, '/') : NULL;
		base = xstrdup(s != NULL && s[1] != '\0' ? s + 1 : "input");
		free(real);
	}
	path_sanitize(base);
	return base;
}

static bool
name_taken(const struct strlist *used, const char *name)
{
	size_t	i;

	for (i = 0; i < used->n; i++)
		if (strcmp(used->v[i], name) == 0)
			return true;
	return false;
}

/*
 * Inputs are named by their base name; two inputs with the same base name
 * (a/EX01.zip, b/EX01.zip) must not mix their entries, so a later one is
 * named by its whole path, or numbered.
 */
static char *
input_display_name(const char *given, struct strlist *used)
{
	char	*name = input_base_name(given), *alt;
	int	 i;

	if (name_taken(used, name)) {
		alt = path_normalize(given);
		if (*alt != '\0' && !name_taken(used, alt)) {
			free(name);
			name = alt;
		} else {
			free(alt);
			for (i = 2; ; i++) {
				alt = xasprintf("%s (%d)", name, i);
				if (!name_taken(used, alt))
					break;
				free(alt);
			}
			free(name);
			name = alt;
		}
	}
	strlist_add(used, name);
	return name;
}

static bool
input_read(struct walk *w, const char *given, const char *display,
    const char *prefix)
{
	struct input_info	in;
	struct stat		st;

	if (stat(given, &st) == -1) {
		diag_add(&w->ev->diags, DIAG_ERROR, display,
		    "cannot read input %s: %s", given, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		if (access(given, R_OK | X_OK) == -1) {
			diag_add(&w->ev->diags, DIAG_ERROR, display,
			    "cannot read directory %s: %s", given,
			    strerror(errno));
			return false;
		}
		memset(&in, 0, sizeof in);
		in.path = (char *)display;
		evidence_add_input(w->ev, &in);
		return dir_walk(w, given, prefix, 0);
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(&w->ev->diags, DIAG_ERROR, display,
		    "cannot read input %s: not a file or directory", given);
		return false;
	}
	return disk_file(w, given, display, prefix, true);
}

long
bundle_read(const char *const *inputs, size_t ninputs,
    const struct bundle_limits *lim, bundle_entry_fn fn, void *ctx,
    struct evidence *ev)
{
	return bundle_read_flags(inputs, ninputs, lim, fn, ctx, ev, 0);
}

long
bundle_read_flags(const char *const *inputs, size_t ninputs,
    const struct bundle_limits *lim, bundle_entry_fn fn, void *ctx,
    struct evidence *ev, unsigned flags)
{
	return bundle_read_pieces(inputs, ninputs, lim, fn, NULL, ctx, ev,
	    flags);
}

long
bundle_read_pieces(const char *const *inputs, size_t ninputs,
    const struct bundle_limits *lim, bundle_entry_fn fn,
    const struct bundle_piecewise *pw, void *ctx, struct evidence *ev,
    unsigned flags)
{
	struct bundle_limits	 defaults;
	struct walk		 w;
	struct strlist		 used = { NULL, 0, 0 };
	char			*display;
	size_t			 i, nread = 0;

	if (lim == NULL) {
		bundle_limits_default(&defaults);
		lim = &defaults;
	}
	memset(&w, 0, sizeof w);
	w.lim = lim;
	w.fn = fn;
	w.ctx = ctx;
	w.ev = ev;
	w.flags = flags;
	if (pw != NULL && pw->fn != NULL) {
		w.pieces_fn = pw->fn;
		w.pieces_after = pw->after != 0 ? pw->after :
		    BUNDLE_PIECES_AFTER;
	}
	w.chunk = xmalloc(READ_CHUNK);
	/* buf's max is a size_t; 0 means no per-entry limit. */
	if (lim->max_entry_bytes == 0 || lim->max_entry_bytes >= SIZE_MAX - 1)
		w.entry_max = SIZE_MAX - 1;
	else
		w.entry_max = (size_t)lim->max_entry_bytes;

	for (i = 0; i < ninputs; i++) {
		display = input_display_name(inputs[i], &used);
		if (input_read(&w, inputs[i], display, ninputs > 1 ? display : ""))
			nread++;
		free(display);
	}
	if (ninputs == 0)
		diag_add(&ev->diags, DIAG_ERROR, NULL, "no input given");
	strlist_free(&used);
	for (i = 0; i < w.nbufs; i++) {
		buf_free(w.bufs[i]);
		free(w.bufs[i]);
	}
	free(w.bufs);
	free(w.chunk);
	return nread > 0 ? w.delivered : -1;
}

/*
 * Small helpers used everywhere: allocation that never returns NULL, growable
 * string lists, and bounded byte buffers.
 *
 * Ownership: every function that stores a string copies it; callers keep what
 * they pass in and free what they get back with free().
 */
#ifndef CERTTRAIL_UTIL_H
#define CERTTRAIL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation wrappers abort on out-of-memory so callers never juggle NULL. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grows an array of `size`-byte elements so that at least `need` fit. */
void	*xreallocarray_grow(void *, size_t *cap, size_t need, size_t size);
char	*xstrdup(const char *);	/* NULL in, NULL out */
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A list of owned strings, in insertion order. */
struct strlist {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

void	 strlist_add(struct strlist *, const char *);
/* Adds unless an equal string (ASCII case-insensitive) is already there. */
bool	 strlist_add_unique_ci(struct strlist *, const char *);
bool	 strlist_contains_ci(const struct strlist *, const char *);
void	 strlist_sort_ci(struct strlist *);
void	 strlist_free(struct strlist *);
void	 strlist_copy(struct strlist *dst, const struct strlist *src);

/*
 * A byte buffer with a mandatory maximum: growth past `max` fails instead of
 * eating memory, which is how untrusted input stays harmless.
 */
struct buf {
	char	*data;	/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

void	 buf_init(struct buf *, size_t max);
int	 buf_append(struct buf *, const void *, size_t);	/* 0, or -1 when over max */
int	 buf_appendf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
int	 buf_putc(struct buf *, char);
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);
/* Hands the data to the caller (never NULL) and resets the buffer. */
char	*buf_steal(struct buf *, size_t *len);

/* ASCII helpers that ignore the locale. */
int	 ascii_casecmp(const char *, const char *);
/* The same for values that may be unknown (NULL): unknown sorts last. */
int	 casecmp_null_last(const char *, const char *);
/* Equal ignoring ASCII case; an unknown (NULL) value equals only another. */
bool	 str_eq_ci(const char *, const char *);
int	 ascii_ncasecmp(const char *, const char *, size_t);
bool	 ascii_startswith_ci(const char *s, const char *prefix);
const char *ascii_strcasestr(const char *hay, const char *needle);
void	 ascii_upper(char *);
/* Trims ASCII white space at both ends, in place; returns its argument. */
char	*str_trim(char *);
bool	 str_is_hex(const char *, size_t len);

#endif

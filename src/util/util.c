/* Allocation wrappers, string lists, bounded buffers, ASCII helpers. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void
oom(void)
{
	fputs("certtrail: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t	ncap;

	if (need <= *cap)
		return p;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			oom();
		ncap *= 2;
	}
	if (size && ncap > SIZE_MAX / size)
		oom();
	p = xrealloc(p, ncap * size);
	*cap = ncap;
	return p;
}

char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

bool
strlist_contains_ci(const struct strlist *l, const char *s)
{
	size_t	i;

	/* A row without the field (a baseline queue without its server) is in no list. */
	if (s == NULL)
		return false;
	for (i = 0; i < l->n; i++)
		if (ascii_casecmp(l->v[i], s) == 0)
			return true;
	return false;
}

bool
strlist_add_unique_ci(struct strlist *l, const char *s)
{
	if (s == NULL || strlist_contains_ci(l, s))
		return false;
	strlist_add(l, s);
	return true;
}

static int
cmp_ci(const void *a, const void *b)
{
	const char	*x = *(const char *const *)a, *y = *(const char *const *)b;
	int		 c = ascii_casecmp(x, y);

	return c != 0 ? c : strcmp(x, y);
}

void
strlist_sort_ci(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp_ci);
}

void
strlist_copy(struct strlist *dst, const struct strlist *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		strlist_add(dst, src->v[i]);
}

void
strlist_free(struct strlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	size_t	need;

	if (n > b->max || b->len > b->max - n)
		return -1;
	need = b->len + n + 1;
	if (need > b->cap)
		b->data = xreallocarray_grow(b->data, &b->cap, need, 1);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_putc(struct buf *b, char c)
{
	/* Writers put text a character at a time: room is the usual case. */
	if (b->len + 2 <= b->cap && b->len < b->max) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append(b, &c, 1);
}

int
buf_appendf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[256];
	char	*big;
	int	 n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return buf_append(b, small, (size_t)n);
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
buf_steal(struct buf *b, size_t *len)
{
	char	*p = b->data ? b->data : xstrdup("");

	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int
ascii_casecmp(const char *a, const char *b)
{
	int	ca, cb;

	do {
		ca = lower((unsigned char)*a++);
		cb = lower((unsigned char)*b++);
	} while (ca == cb && ca != 0);
	return ca - cb;
}

int
casecmp_null_last(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return ascii_casecmp(a, b);
}

bool
str_eq_ci(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return ascii_casecmp(a, b) == 0;
}

int
ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	int	ca = 0, cb = 0;

	while (n-- > 0) {
		ca = lower((unsigned char)*a++);
		cb = lower((unsigned char)*b++);
		if (ca != cb || ca == 0)
			break;
	}
	return ca - cb;
}

bool
ascii_startswith_ci(const char *s, const char *prefix)
{
	return ascii_ncasecmp(s, prefix, strlen(prefix)) == 0;
}

const char *
ascii_strcasestr(const char *hay, const char *needle)
{
	size_t	n = strlen(needle);

	for (; *hay; hay++)
		if (ascii_ncasecmp(hay, needle, n) == 0)
			return hay;
	return n == 0 ? hay : NULL;
}

void
ascii_upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 32;
}

char *
str_trim(char *s)
{
	size_t	n;
	char	*p = s;

	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

bool
str_is_hex(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

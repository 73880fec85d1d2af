/* The HTML output buffer, escaping, template filling and shared text forms. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "html_writer.h"
#include "util/text.h"

void
html_init(struct html *h, size_t max)
{
	buf_init(&h->b, max);
	h->overflow = false;
	/* Start with an empty string so the data is never NULL. */
	if (buf_append(&h->b, "", 0) != 0)
		h->overflow = true;
}

void
html_free(struct html *h)
{
	buf_free(&h->b);
}

bool
html_overflowed(const struct html *h)
{
	return h->overflow;
}

/* n bytes of trusted markup. */
static void
html_rawn(struct html *h, const char *s, size_t n)
{
	if (h->overflow)
		return;
	if (buf_append(&h->b, s, n) != 0)
		h->overflow = true;
}

void
html_raw(struct html *h, const char *s)
{
	html_rawn(h, s, strlen(s));
}

void
html_rawf(struct html *h, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[256], *s;
	int	 n;

	/* Formatted once on the stack when it fits, as nearly all does. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		h->overflow = true;
		return;
	}
	if ((size_t)n < sizeof small) {
		html_rawn(h, small, (size_t)n);
		return;
	}
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	html_rawn(h, s, (size_t)n);
	free(s);
}

/* Escapes clean UTF-8 into h, a run of plain bytes at a time. */
static void
html_escape_into(struct html *h, const char *s, size_t len)
{
	size_t		 i, start = 0;
	const char	*rep;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		html_rawn(h, s + start, i - start);
		html_raw(h, rep);
		start = i + 1;
	}
	html_rawn(h, s + start, len - start);
}

static bool
digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * The length of a date at s ("2026-11-03", with a clock "T14:12:09Z",
 * " 23:59:59", fractions), 0 when there is none.
 */
static size_t
date_at(const char *s)
{
	size_t	n;

	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return 0;
	n = 10;
	if ((s[n] == 'T' || s[n] == ' ') && digits(s + n + 1, 2) &&
	    s[n + 3] == ':' && digits(s + n + 4, 2)) {
		n += 6;
		if (s[n] == ':' && digits(s + n + 1, 2))
			n += 3;
		if (s[n] == '.')
			for (n++; s[n] >= '0' && s[n] <= '9'; n++)
				;
		if (s[n] == 'Z')
			n++;
	}
	return n;
}

/*
 * Text, escaped; a date in it is kept on one line (a line never breaks
 * after the hyphen of "2026-11-" or before its clock).
 */
void
html_textn(struct html *h, const char *s, size_t len)
{
	char	*clean;
	size_t	 i, from = 0, n;

	if (s == NULL)
		return;
	clean = utf8_clean(s, len);
	for (i = 0; clean[i] != '\0'; i++) {
		if (i > 0 && ((clean[i - 1] >= '0' && clean[i - 1] <= '9') ||
		    clean[i - 1] == '-'))
			continue;
		if ((n = date_at(clean + i)) == 0)
			continue;
		html_escape_into(h, clean + from, i - from);
		html_raw(h, "<span class=\"nowrap\">");
		html_escape_into(h, clean + i, n);
		html_raw(h, "</span>");
		i += n - 1;
		from = i + 1;
	}
	html_escape_into(h, clean + from, strlen(clean + from));
	free(clean);
}

void
html_text(struct html *h, const char *s)
{
	if (s != NULL)
		html_textn(h, s, strlen(s));
}

void
html_text_or(struct html *h, const char *s, const char *unknown)
{
	if (s != NULL)
		html_text(h, s);
	else
		html_raw(h, unknown);
}

void
html_elem(struct html *h, const char *tag, const char *cls, const char *text)
{
	if (cls != NULL)
		html_rawf(h, "<%s class=\"%s\">", tag, cls);
	else
		html_rawf(h, "<%s>", tag);
	html_text(h, text);
	html_rawf(h, "</%s>", tag);
}

char *
html_escape(const char *s, size_t len)
{
	struct html	 h;

	/* Escaping at most sextuples the text. */
	html_init(&h, len > SIZE_MAX / 8 - 16 ? SIZE_MAX : len * 8 + 16);
	html_textn(&h, s, len);
	return buf_steal(&h.b, NULL);
}

/* The first "xx" (two given bytes) in p[0..n), or NULL. */
static const char *
pair_find(const char *p, size_t n, char a, char b)
{
	size_t	i;

	for (i = 0; i + 1 < n; i++)
		if (p[i] == a && p[i + 1] == b)
			return p + i;
	return NULL;
}

static const struct html_slot *
slot_find(const struct html_slot *slots, size_t n, const char *name,
    size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strlen(slots[i].name) == len &&
		    memcmp(slots[i].name, name, len) == 0)
			return &slots[i];
	return NULL;
}

void
html_fill_template(struct html *out, const char *tmpl, size_t len,
    const struct html_slot *slots, size_t nslots)
{
	const char		*p = tmpl, *end = tmpl + len, *open, *close;
	const struct html_slot	*slot;

	while (p < end) {
		open = pair_find(p, (size_t)(end - p), '{', '{');
		if (open == NULL)
			break;
		close = pair_find(open + 2, (size_t)(end - open - 2), '}', '}');
		if (close == NULL)
			break;
		html_rawn(out, p, (size_t)(open - p));
		slot = slot_find(slots, nslots, open + 2,
		    (size_t)(close - open - 2));
		if (slot != NULL)
			html_rawn(out, slot->value, slot->len);
		else
			html_rawn(out, open, (size_t)(close + 2 - open));
		p = close + 2;
	}
	html_rawn(out, p, (size_t)(end - p));
}


/* The code point of the valid UTF-8 character at s; its length in *n. */
static unsigned long
utf8_code_point(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		*n = 2;
		return (unsigned long)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if ((s[0] & 0xf0) == 0xe0) {
		*n = 3;
		return (unsigned long)(s[0] & 0x0f) << 12 |
		    (unsigned long)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	*n = 4;
	return (unsigned long)(s[0] & 0x07) << 18 |
	    (unsigned long)(s[1] & 0x3f) << 12 |
	    (unsigned long)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

void
css_string(struct html *h, const char *s)
{
	static const char	 plain[] = " .,:;_-()/#+@!?'";
	char			*clean;
	const unsigned char	*p;
	unsigned long		 cp;
	size_t			 n;

	html_raw(h, "\"");
	clean = utf8_clean(s != NULL ? s : "", s != NULL ? strlen(s) : 0);
	for (p = (const unsigned char *)clean; *p != '\0'; p += n) {
		cp = utf8_code_point(p, &n);
		if (cp < 0x20 || cp == 0x7f)
			html_raw(h, " ");
		else if ((cp < 0x80 && isalnum((int)cp)) ||
		    (cp < 0x80 && strchr(plain, (int)cp) != NULL))
			html_rawn(h, (const char *)p, 1);
		else	/* The space ends the escape; CSS drops it. */
			html_rawf(h, "\\%06lX ", cp);
	}
	free(clean);
	html_raw(h, "\"");
}

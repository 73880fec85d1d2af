/*
 * MIME messages. Evidence mailed to an engineer and saved from the mail
 * client arrives as an .eml: the console output in a text part, encoded
 * quoted-printable (lines cut at 76 columns with "=", every "=" written
 * "=3D"), the logs as base64 attachments. Read as text, the encoding would
 * be taken for evidence ("TlsCertificateName : <I>CN=...=3D"): each part is
 * decoded and handed back on its own, to be read as what it is.
 *
 * Everything is bounded by the message: a part's decoded bytes are never
 * more than its encoded ones, nesting stops at MIME_DEPTH_MAX, and a part
 * that cannot be decoded is reported with its problem and costs only
 * itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "util/base64.h"
#include "util/text.h"
#include "util/util.h"

#define MIME_DEPTH_MAX		8
#define MIME_HEADER_LINES	400	/* a header block longer is not one */
#define MIME_PARAM_MAX		256

struct headers {
	char	 type[MIME_PARAM_MAX];		/* lower case, no parameters */
	char	 boundary[MIME_PARAM_MAX];
	char	 name[MIME_PARAM_MAX];		/* filename=, else name= */
	char	 encoding[32];			/* lower case */
	bool	 mime;				/* a MIME-Version or Content-Type */
};

struct walker {
	mime_part_fn	 fn;
	void		*arg;
	int		 nparts;
};

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* The line at s[*at]: its start and length without the line break. */
static bool
next_line(const char *s, size_t len, size_t *at, const char **p, size_t *n)
{
	const char	*nl;
	size_t		 e;

	if (*at >= len)
		return false;
	*p = s + *at;
	nl = memchr(*p, '\n', len - *at);
	e = nl != NULL ? (size_t)(nl - s) : len;
	*n = e - *at;
	if (*n > 0 && (*p)[*n - 1] == '\r')
		(*n)--;
	*at = nl != NULL ? e + 1 : len;
	return true;
}

/* "Name:" at the start of a header line: letters, digits and '-'. */
static size_t
header_name_len(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n && ((p[i] >= 'A' && p[i] <= 'Z') ||
	    (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
	    p[i] == '-'); i++)
		;
	return i > 0 && i < n && p[i] == ':' ? i : 0;
}

static void
lower_copy(char *dst, size_t cap, const char *p, size_t n)
{
	size_t	i;

	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		dst[i] = (p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i];
	dst[n] = '\0';
}

/* The parameter `key` ("boundary") of a header value, quoted or not. */
static void
param(const char *v, size_t n, const char *key, char *dst, size_t cap)
{
	size_t	k = strlen(key), i, j;

	for (i = 0; i + k + 1 <= n; i++) {
		if ((i > 0 && v[i - 1] != ';' && !is_ws(v[i - 1])) ||
		    ascii_ncasecmp(v + i, key, k) != 0 || v[i + k] != '=')
			continue;
		i += k + 1;
		if (i < n && v[i] == '"') {
			for (j = ++i; j < n && v[j] != '"'; j++)
				;
		} else {
			for (j = i; j < n && v[j] != ';' && !is_ws(v[j]); j++)
				;
		}
		if (j - i >= cap)
			j = i + cap - 1;
		memcpy(dst, v + i, j - i);
		dst[j - i] = '\0';
		return;
	}
}

/* One header, its folded lines joined: what of it is kept. */
static void
header_take(struct headers *h, const char *p, size_t n)
{
	size_t		 nl = header_name_len(p, n), e;
	const char	*v;

	if (nl == 0)
		return;
	v = p + nl + 1;
	n -= nl + 1;
	while (n > 0 && is_ws(*v)) {
		v++;
		n--;
	}
	if (nl == 12 && ascii_ncasecmp(p, "MIME-Version", 12) == 0)
		h->mime = true;
	else if (nl == 12 && ascii_ncasecmp(p, "Content-Type", 12) == 0) {
		h->mime = true;
		for (e = 0; e < n && v[e] != ';' && !is_ws(v[e]); e++)
			;
		lower_copy(h->type, sizeof h->type, v, e);
		param(v, n, "boundary", h->boundary, sizeof h->boundary);
		if (h->name[0] == '\0')
			param(v, n, "name", h->name, sizeof h->name);
	} else if (nl == 25 &&
	    ascii_ncasecmp(p, "Content-Transfer-Encoding", 25) == 0) {
		for (e = 0; e < n && !is_ws(v[e]) && v[e] != ';'; e++)
			;
		lower_copy(h->encoding, sizeof h->encoding, v, e);
	} else if (nl == 19 &&
	    ascii_ncasecmp(p, "Content-Disposition", 19) == 0)
		param(v, n, "filename", h->name, sizeof h->name);
}

/*
 * Reads the header block at s[0..len): returns where the body starts, or
 * (size_t)-1 when the text does not start with header lines.
 */
static size_t
headers_read(const char *s, size_t len, struct headers *h)
{
	struct buf	 one;
	const char	*p;
	size_t		 at = 0, n, lines = 0;

	memset(h, 0, sizeof *h);
	buf_init(&one, 4096);
	while (next_line(s, len, &at, &p, &n)) {
		if (n == 0) {
			header_take(h, one.data, one.len);
			buf_free(&one);
			return lines > 0 ? at : (size_t)-1;
		}
		if (++lines > MIME_HEADER_LINES)
			break;
		if (is_ws(p[0]) && one.len > 0) {
			/* A folded line: part of the header above. */
			buf_putc(&one, ' ');
			buf_append(&one, p, n);
			continue;
		}
		if (header_name_len(p, n) == 0)
			break;
		if (one.len > 0)
			header_take(h, one.data, one.len);
		buf_reset(&one);
		buf_append(&one, p, n);
	}
	buf_free(&one);
	return (size_t)-1;
}

bool
mime_is_message(const char *text, size_t len)
{
	struct headers	h;

	if (text == NULL || len < 8 || header_name_len(text,
	    len < 80 ? len : 80) == 0)
		return false;
	return headers_read(text, len < 65536 ? len : 65536, &h) !=
	    (size_t)-1 && h.mime;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Quoted-printable: "=XX" a byte, "=" at a line's end joins the next. */
static unsigned char *
qp_decode(const char *s, size_t n, size_t *outlen)
{
	unsigned char	*o = xmalloc(n + 1);
	size_t		 i = 0, w = 0, k;
	int		 hi, lo;

	while (i < n) {
		if (s[i] == '=') {
			for (k = i + 1; k < n && is_ws(s[k]); k++)
				;
			if (k < n && (s[k] == '\n' || s[k] == '\r')) {
				i = k + (s[k] == '\r' && k + 1 < n &&
				    s[k + 1] == '\n' ? 2 : 1);
				continue;
			}
			if (k == n) {
				i = n;
				continue;
			}
			if (i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
			    (lo = hexval(s[i + 2])) >= 0) {
				o[w++] = (unsigned char)(hi << 4 | lo);
				i += 3;
				continue;
			}
		}
		o[w++] = (unsigned char)s[i++];
	}
	o[w] = '\0';
	*outlen = w;
	return o;
}

static void	walk_entity(struct walker *, const char *, size_t, int);

/* A leaf part: decoded and given to the callback. */
static void
leaf(struct walker *wk, const struct headers *h, const char *body, size_t n)
{
	struct mime_part	 p;
	unsigned char		*dec = NULL;
	size_t			 len = 0;

	memset(&p, 0, sizeof p);
	p.index = ++wk->nparts;
	p.name = h->name[0] != '\0' ? h->name : NULL;
	p.type = h->type;
	if (strcmp(h->encoding, "quoted-printable") == 0)
		dec = qp_decode(body, n, &len);
	else if (strcmp(h->encoding, "base64") == 0) {
		if (!base64_decode(body, n, &dec, &len))
			p.problem = "its base64 encoding is damaged";
	} else if (h->encoding[0] == '\0' || strcmp(h->encoding, "7bit") == 0 ||
	    strcmp(h->encoding, "8bit") == 0 || strcmp(h->encoding, "binary") == 0) {
		p.data = (const unsigned char *)body;
		p.len = n;
	} else
		p.problem = "its transfer encoding is not one certtrail decodes";
	if (dec != NULL) {
		p.data = dec;
		p.len = len;
	}
	wk->fn(wk->arg, &p);
	free(dec);
}

/* The parts of a multipart body, between its boundary lines. */
static void
walk_multipart(struct walker *wk, const char *body, size_t len,
    const char *boundary, int depth)
{
	const char	*p, *start = NULL;
	size_t		 at = 0, n, bl = strlen(boundary), line_at;
	bool		 delim, close;

	for (;;) {
		line_at = at;
		if (!next_line(body, len, &at, &p, &n))
			break;
		delim = n >= bl + 2 && p[0] == '-' && p[1] == '-' &&
		    memcmp(p + 2, boundary, bl) == 0;
		if (!delim)
			continue;
		close = n >= bl + 4 && p[bl + 2] == '-' && p[bl + 3] == '-';
		if (start != NULL) {
			/* The line break before the delimiter is part of it. */
			size_t	e = line_at;

			if (e > (size_t)(start - body) && body[e - 1] == '\n')
				e--;
			if (e > (size_t)(start - body) && body[e - 1] == '\r')
				e--;
			walk_entity(wk, start, e - (size_t)(start - body),
			    depth + 1);
		}
		if (close)
			return;
		start = body + at;
	}
	/* A message cut short: its last part as far as it goes. */
	if (start != NULL && (size_t)(start - body) < len)
		walk_entity(wk, start, len - (size_t)(start - body), depth + 1);
}

/* A message or a part: headers, then a body. */
static void
walk_entity(struct walker *wk, const char *s, size_t len, int depth)
{
	struct headers	h;
	size_t		at;

	at = headers_read(s, len, &h);
	if (at == (size_t)-1) {
		/* No header block: a part of plain text. */
		memset(&h, 0, sizeof h);
		at = 0;
		if (len > 0 && (s[0] == '\n' || s[0] == '\r'))
			at = s[0] == '\r' && len > 1 && s[1] == '\n' ? 2 : 1;
	}
	if (depth < MIME_DEPTH_MAX && strncmp(h.type, "multipart/", 10) == 0 &&
	    h.boundary[0] != '\0') {
		walk_multipart(wk, s + at, len - at, h.boundary, depth);
		return;
	}
	if (depth < MIME_DEPTH_MAX && strcmp(h.type, "message/rfc822") == 0 &&
	    (h.encoding[0] == '\0' || strcmp(h.encoding, "7bit") == 0 ||
	    strcmp(h.encoding, "8bit") == 0)) {
		walk_entity(wk, s + at, len - at, depth + 1);
		return;
	}
	leaf(wk, &h, s + at, len - at);
}

int
mime_walk(const char *text, size_t len, mime_part_fn fn, void *arg)
{
	struct walker	wk;

	memset(&wk, 0, sizeof wk);
	wk.fn = fn;
	wk.arg = arg;
	if (text != NULL)
		walk_entity(&wk, text, len, 0);
	return wk.nparts;
}

/*
 * Bundle paths: entry names from archives and directories made into
 * "EX01.zip/Logs/SEND.LOG", with '/' for a separator and only printable,
 * valid UTF-8 in them.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "bundle_walk.h"
#include "util/util.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t	len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

/*
 * Bundle paths end up in JSON, HTML and the workbook: bytes that are not
 * valid UTF-8 and control characters become '_' (names from legacy code
 * page archives stay recognizable, just not exact).
 */
void
path_sanitize(char *s)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 n = strlen(s), k;

	while (n > 0) {
		k = utf8_seq_len(p, n);
		if (k == 0 || (k == 1 && (*p < 0x20 || *p == 0x7f))) {
			*p = '_';
			k = 1;
		}
		p += k;
		n -= k;
	}
}

/*
 * "./Logs\\SmtpSend//SEND.LOG" -> "Logs/SmtpSend/SEND.LOG": backslashes are
 * separators (zips made on Windows), empty and "." components go, and ".."
 * takes the component before it.
 */
char *
path_normalize(const char *name)
{
	struct buf	 b;
	const char	*p = name, *start;
	size_t		 n;

	buf_init(&b, SIZE_MAX - 1);
	while (*p != '\0') {
		while (*p == '/' || *p == '\\')
			p++;
		start = p;
		while (*p != '\0' && *p != '/' && *p != '\\')
			p++;
		n = (size_t)(p - start);
		if (n == 0 || (n == 1 && start[0] == '.'))
			continue;
		if (n == 2 && start[0] == '.' && start[1] == '.') {
			/*
			 * Resolved within the name, never above its root, as
			 * an extractor would: "EX01/../x" is "x", and
			 * "../../etc/x" is "etc/x". A ".." left in would
			 * let an entry pose under another server's folder.
			 */
			while (b.len > 0 && b.data[b.len - 1] != '/')
				b.len--;
			if (b.len > 0)
				b.len--;
			if (b.data != NULL)
				b.data[b.len] = '\0';
			continue;
		}
		if (b.len > 0)
			buf_putc(&b, '/');
		buf_append(&b, start, n);
	}
	p = buf_steal(&b, NULL);
	path_sanitize((char *)p);
	return (char *)p;
}

char *
path_join(const char *prefix, const char *name)
{
	if (prefix == NULL || *prefix == '\0')
		return xstrdup(name);
	return xasprintf("%s/%s", prefix, name);
}

/* "SEND.LOG.gz" -> "SEND.LOG": the name of a raw compressed file's content. */
char *
raw_entry_name(const char *archive_path)
{
	static const char *const suffixes[] = { ".gz", ".bz2", ".xz" };
	const char	*base = strrchr(archive_path, '/');
	size_t		 n, k, i;

	base = base != NULL ? base + 1 : archive_path;
	n = strlen(base);
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		k = strlen(suffixes[i]);
		if (n > k && ascii_casecmp(base + n - k, suffixes[i]) == 0)
			return xstrndup(base, n - k);
	}
	return xstrdup("data");
}

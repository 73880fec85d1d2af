/*
 * libarchive readers as the walk uses them: made with only the formats and
 * filters bundles hold, and their last error as text.
 */
#include "config.h"

#include <archive.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_walk.h"

/* gzip, bzip2 or xz magic: what a lone compressed file starts with. */
bool
is_compressed_magic(const unsigned char *p, size_t len)
{
	return (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||
	    (len >= 3 && memcmp(p, "BZh", 3) == 0) ||
	    (len >= 6 && memcmp(p, "\375" "7zXZ\000", 6) == 0);
}

/*
 * A reader for a file or memory (stream false), or for a stream that cannot
 * seek nor be read twice: the zip support then goes by the local headers
 * alone, and a compressed stream is read raw in the same pass when it is
 * neither tar nor zip inside (raw bids lowest).
 */
struct archive *
arch_reader_new(bool raw, bool stream)
{
	struct archive	*a = archive_read_new();

	if (a == NULL) {
		fputs("certtrail: out of memory\n", stderr);
		abort();
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	if (stream) {
		archive_read_support_format_zip_streamable(a);
		archive_read_support_format_tar(a);
		if (raw)
			archive_read_support_format_raw(a);
	} else if (raw)
		archive_read_support_format_raw(a);
	else {
		/*
		 * Only the formats bundles hold: "all" would also take plain
		 * text for an mtree archive. The zip support reads the
		 * central directory when there is one and falls back to the
		 * local headers when it is missing (a truncated zip).
		 */
		archive_read_support_format_zip(a);
		archive_read_support_format_tar(a);
	}
	return a;
}

/* libarchive's last error, without the newline some of its messages end in. */
const char *
arch_error(struct archive *a)
{
	static char	 msg[512];
	const char	*e = archive_error_string(a);
	size_t		 n;

	if (e == NULL)
		return "unknown error";
	n = strlen(e);
	while (n > 0 && (e[n - 1] == '\n' || e[n - 1] == '\r' || e[n - 1] == ' '))
		n--;
	if (n >= sizeof msg)
		n = sizeof msg - 1;
	memcpy(msg, e, n);
	msg[n] = '\0';
	return msg;
}


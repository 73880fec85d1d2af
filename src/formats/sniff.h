/*
 * What an entry is, by content rather than by name (names lie: a ".txt" may
 * be a zip, a ".LOG" a Format-List dump). This file holds only what every
 * format shares: whether the raw bytes are binary, and the first lines of
 * the decoded text, split once for all the formats' detectors (whether they
 * are an archive the walk opens is the walk's: bundle_is_archive).
 * Each format's own detector lives in its file, beside its bid (formats.h).
 */
#ifndef CERTTRAIL_SNIFF_H
#define CERTTRAIL_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The manifest's kind for bytes no format reads and that are no text
 * (archives and unknown entries are the walk's: BUNDLE_KIND_*).
 */
#define SNIFF_KIND_BINARY	"binary"	/* not text we can decode */

/* How much of an entry the byte-level checks look at. */
#define SNIFF_HEAD	4096
/* Lines of text the line-based detectors look at. */
#define SNIFF_LINES	60

/*
 * Not text: NULs and control bytes, unless a BOM or the alternating NULs of
 * UTF-16 say the bytes are text for the decoder.
 */
bool	sniff_binary(const unsigned char *, size_t);

struct sniff_line {
	const char	*p;
	size_t		 n;	/* without the line end */
};

/* The decoded text of an entry as the detectors see it. */
struct sniff_text {
	const char	*s;	/* from the first byte that is not blank space */
	size_t		 len;
	struct sniff_line lines[SNIFF_LINES];	/* the first lines of s */
	size_t		 nlines;
	int		 nonblank;	/* lines among them that are not empty */
};

/* Splits the first lines of utf8 into *st (nothing when utf8 is NULL). */
void	sniff_text(const char *utf8, size_t len, struct sniff_text *st);
/* Whether the line starts with prefix. */
bool	sniff_line_prefix(const struct sniff_line *, const char *prefix);
/* Whether needle occurs in s[0..len) (memmem without the GNU extension). */
bool	sniff_contains(const char *s, size_t len, const char *needle);
/* The first line of the text (empty when there is none). */
struct sniff_line sniff_first_line(const struct sniff_text *);

#endif

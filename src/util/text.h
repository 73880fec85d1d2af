/*
 * Text decoding: whatever bytes a bundle holds become valid UTF-8 here, once,
 * so every parser after this point sees clean text.
 */
#ifndef CERTTRAIL_TEXT_H
#define CERTTRAIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Decodes `data`: a UTF-8 BOM is dropped; UTF-16LE/BE (with BOM, or without
 * one but with the NUL pattern of ASCII text) is converted; invalid sequences
 * and lone surrogates become U+FFFD; NUL bytes are dropped. The result is
 * NUL-terminated, its length in *out_len. *encoding (may be NULL) gets a
 * static name: "utf-8", "utf-8-bom", "utf-16le", "utf-16be".
 * *replaced (may be NULL) counts replacement characters inserted.
 */
char	*text_to_utf8(const unsigned char *data, size_t len, size_t *out_len,
	    const char **encoding, size_t *replaced);

/*
 * Decodes `data` as UTF-8 and nothing else, a BOM included (text_to_utf8()
 * decides the encoding; this is for the rest of a text it decided was
 * UTF-8): invalid sequences become U+FFFD, NUL bytes are dropped.
 */
char	*utf8_decode(const unsigned char *data, size_t len, size_t *out_len,
	    size_t *replaced);

/* True when s[0..len) is valid UTF-8. */
bool	 utf8_valid(const char *s, size_t len);
/* The length of s cut to at most max bytes, never inside a UTF-8 sequence. */
size_t	 utf8_prefix_len(const char *s, size_t max);

/*
 * A copy that is valid UTF-8 and holds no control characters but tab, CR and
 * LF (others become U+FFFD or are dropped): safe for XML and the workbook.
 */
char	*utf8_clean(const char *s, size_t len);

/* Iterates over lines; handles LF, CRLF and lone CR. */
struct line_iter {
	const char	*p;
	const char	*end;
	long		 lineno;	/* of the line last returned, 1-based */
};

void	 line_iter_init(struct line_iter *, const char *text, size_t len);
/* Returns false at the end; else the line (without its terminator). */
bool	 line_iter_next(struct line_iter *, const char **line, size_t *len);

#endif

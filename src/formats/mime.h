/*
 * A saved e-mail (.eml, RFC 5322 headers and a MIME body) taken apart into
 * its parts, each decoded from quoted-printable or base64.
 */
#ifndef CERTTRAIL_MIME_H
#define CERTTRAIL_MIME_H

#include <stdbool.h>
#include <stddef.h>

struct mime_part {
	int			 index;		/* 1-based, in the order of the message */
	const char		*name;		/* its file name, NULL when it has none */
	const char		*type;		/* "text/plain", lower case; "" unknown */
	const unsigned char	*data;		/* decoded; NULL when problem is set */
	size_t			 len;
	const char		*problem;	/* why it could not be decoded, NULL */
};

/* Called once per leaf part; the part lives only for the call. */
typedef void	(*mime_part_fn)(void *arg, const struct mime_part *);

/*
 * Whether text starts as a MIME message: a block of header lines from the
 * first line on, holding MIME-Version or a Content-Type.
 */
bool	 mime_is_message(const char *text, size_t len);

/*
 * Calls fn for each leaf part of the message (multiparts opened, nested
 * ones too, to a bounded depth; a message/rfc822 part opened as a message).
 * Returns the number of parts given to fn.
 */
int	 mime_walk(const char *text, size_t len, mime_part_fn fn, void *arg);

#endif

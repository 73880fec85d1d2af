/*
 * Base64 as PowerShell's CliXml (<BA> byte arrays) and MIME bodies carry
 * it: white space and line breaks ignored, '=' padding only at the end.
 */
#ifndef CERTTRAIL_BASE64_H
#define CERTTRAIL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Decodes the n characters at s into a new buffer (*out, *outlen; the
 * caller's to free). False, and nothing allocated, on a character that is
 * not base64 or padding out of place.
 */
bool	 base64_decode(const char *s, size_t n, unsigned char **out,
	    size_t *outlen);

#endif

/* Base64 decoding (base64.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "util/base64.h"
#include "util/util.h"

static int
digit(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool
base64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen)
{
	unsigned char	*o = xmalloc(n / 4 * 3 + 3);
	size_t		 i, k = 0, pad = 0, q = 0;
	uint32_t	 acc = 0;
	int		 c, d;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (d = digit(c)) < 0)
			goto bad;
		acc = (acc << 6) | (uint32_t)d;
		if (++q == 4) {
			o[k++] = (unsigned char)(acc >> 16);
			o[k++] = (unsigned char)(acc >> 8);
			o[k++] = (unsigned char)acc;
			acc = 0;
			q = 0;
		}
	}
	if (q == 1 || pad > 2 || (pad > 0 && q + pad != 4))
		goto bad;
	if (q == 2) {
		o[k++] = (unsigned char)(acc >> 4);
	} else if (q == 3) {
		o[k++] = (unsigned char)(acc >> 10);
		o[k++] = (unsigned char)(acc >> 2);
	}
	*out = o;
	*outlen = k;
	return true;
bad:
	free(o);
	return false;
}

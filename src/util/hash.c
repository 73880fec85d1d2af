/* Hashing through OpenSSL's EVP interface. */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "hash.h"

struct hash_sha256 {
	EVP_MD_CTX	*ctx;
};

static void
to_hex(const unsigned char *d, unsigned int n, char *out, const char *digits)
{
	unsigned int	i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void
digest_hex(const EVP_MD *md, const void *p, size_t n, char *out, const char *digits)
{
	unsigned char	d[EVP_MAX_MD_SIZE];
	unsigned int	dn = 0;

	if (EVP_Digest(p, n, d, &dn, md, NULL) != 1) {
		fputs("certtrail: OpenSSL digest failed\n", stderr);
		abort();
	}
	to_hex(d, dn, out, digits);
}

void
hash_sha256_hex(const void *p, size_t n, char out[65])
{
	digest_hex(EVP_sha256(), p, n, out, "0123456789abcdef");
}

void
hash_sha1_hex_upper(const void *p, size_t n, char out[41])
{
	digest_hex(EVP_sha1(), p, n, out, "0123456789ABCDEF");
}

struct hash_sha256 *
hash_sha256_new(void)
{
	struct hash_sha256	*h = malloc(sizeof *h);

	if (h == NULL || (h->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		fputs("certtrail: OpenSSL digest init failed\n", stderr);
		abort();
	}
	return h;
}

void
hash_sha256_update(struct hash_sha256 *h, const void *p, size_t n)
{
	EVP_DigestUpdate(h->ctx, p, n);
}

void
hash_sha256_final(struct hash_sha256 *h, char out[65])
{
	unsigned char	d[EVP_MAX_MD_SIZE];
	unsigned int	dn = 0;

	EVP_DigestFinal_ex(h->ctx, d, &dn);
	to_hex(d, dn, out, "0123456789abcdef");
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

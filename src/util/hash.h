/* SHA-1 and SHA-256 as upper/lower-case hex, through OpenSSL's EVP interface. */
#ifndef CERTTRAIL_HASH_H
#define CERTTRAIL_HASH_H

#include <stddef.h>

/* Lower-case hex SHA-256 into out[65]. */
void	hash_sha256_hex(const void *, size_t, char out[65]);
/* Upper-case hex SHA-1 into out[41]: an X.509 thumbprint when given the DER. */
void	hash_sha1_hex_upper(const void *, size_t, char out[41]);

/* Incremental SHA-256, for inputs read in pieces. */
struct hash_sha256;
struct hash_sha256 *hash_sha256_new(void);
void	hash_sha256_update(struct hash_sha256 *, const void *, size_t);
/* Writes the hex digest and frees the context. */
void	hash_sha256_final(struct hash_sha256 *, char out[65]);

#endif

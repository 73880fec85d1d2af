/*
 * The CRC-32 of zip entries (ISO 3309, reflected, as zlib's crc32()),
 * folded with carry-less multiplication where the CPU has it.
 *
 * libarchive checks every zip entry it decompresses with zlib's crc32(),
 * one table lookup per byte: a sixth of the time the walk spends on a log.
 * The program defines crc32() itself (bundle_crc32.c), with zlib's
 * signature and results, so that on ELF systems the dynamic linker binds
 * libarchive's calls to it rather than to zlib's.
 */
#ifndef CERTTRAIL_BUNDLE_CRC32_H
#define CERTTRAIL_BUNDLE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* zlib's contract: crc32(crc32(0, a, n), b, m) is the CRC of a then b. */
uint32_t	 bundle_crc32(uint32_t crc, const unsigned char *buf, size_t len);

#endif

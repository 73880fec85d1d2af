/*
 * CRC-32 for libarchive's zip reader: eight table lookups per eight bytes
 * (slicing by eight), or, on x86-64 with PCLMULQDQ and SSE4.1, four 128-bit
 * lanes folded 64 bytes at a time with carry-less multiplication and a
 * Barrett reduction at the end (Intel, "Fast CRC Computation for Generic
 * Polynomials Using PCLMULQDQ Instruction", 2009; the constants are those
 * of that paper for the reflected polynomial 0x04C11DB7).
 */
#include "config.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bundle_crc32.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <smmintrin.h>
#include <wmmintrin.h>
#define HAVE_CRC_FOLD	1
#endif

#define POLY	0xEDB88320u

static uint32_t		table[8][256];
static int		folds;
static pthread_once_t	once = PTHREAD_ONCE_INIT;

static void
crc_init(void)
{
	uint32_t	c;
	int		i, j, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? c >> 1 ^ POLY : c >> 1;
		table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			table[k][i] = table[k - 1][i] >> 8 ^
			    table[0][table[k - 1][i] & 0xFF];
#ifdef HAVE_CRC_FOLD
	__builtin_cpu_init();
	folds = __builtin_cpu_supports("pclmul") &&
	    __builtin_cpu_supports("sse4.1");
#endif
}

/* On the inverted register c, as the loops of zlib keep it. */
static uint32_t
crc_slice8(uint32_t c, const unsigned char *p, size_t n)
{
	uint32_t	lo, hi;

	for (; n >= 8; p += 8, n -= 8) {
		lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		c = table[7][lo & 0xFF] ^ table[6][lo >> 8 & 0xFF] ^
		    table[5][lo >> 16 & 0xFF] ^ table[4][lo >> 24] ^
		    table[3][hi & 0xFF] ^ table[2][hi >> 8 & 0xFF] ^
		    table[1][hi >> 16 & 0xFF] ^ table[0][hi >> 24];
	}
	for (; n > 0; p++, n--)
		c = table[0][(c ^ *p) & 0xFF] ^ c >> 8;
	return c;
}

#ifdef HAVE_CRC_FOLD
/* n >= 64, a multiple of 16; c the inverted register. */
__attribute__((target("sse4.1,pclmul")))
static uint32_t
crc_fold(uint32_t c, const unsigned char *p, size_t n)
{
	static _Alignas(16) const uint64_t k1k2[2] = { 0x0154442bd4, 0x01c6e41596 };
	static _Alignas(16) const uint64_t k3k4[2] = { 0x01751997d0, 0x00ccaa009e };
	static _Alignas(16) const uint64_t k5k0[2] = { 0x0163cd6124, 0x0000000000 };
	static _Alignas(16) const uint64_t poly[2] = { 0x01db710641, 0x01f7011641 };
	__m128i	x0, x1, x2, x3, x4, x5, x6, x7, x8, y5, y6, y7, y8;

	x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x00));
	x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x10));
	x3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x20));
	x4 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x30));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)c));
	x0 = _mm_load_si128((const __m128i *)(const void *)k1k2);
	p += 64;
	n -= 64;

	/* Four lanes, 64 bytes at a time. */
	while (n >= 64) {
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
		x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
		x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
		x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
		x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
		y5 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x00));
		y6 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x10));
		y7 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x20));
		y8 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x30));
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), y5);
		x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), y6);
		x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), y7);
		x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), y8);
		p += 64;
		n -= 64;
	}

	/* The four lanes into one. */
	x0 = _mm_load_si128((const __m128i *)(const void *)k3k4);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);

	/* The rest, 16 bytes at a time. */
	while (n >= 16) {
		x2 = _mm_loadu_si128((const __m128i *)(const void *)p);
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
		p += 16;
		n -= 16;
	}

	/* 128 bits to 64. */
	x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
	x3 = _mm_setr_epi32(~0, 0, ~0, 0);
	x1 = _mm_srli_si128(x1, 8);
	x1 = _mm_xor_si128(x1, x2);
	x0 = _mm_loadl_epi64((const __m128i *)(const void *)k5k0);
	x2 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, x3);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);

	/* Barrett reduction to 32 bits. */
	x0 = _mm_load_si128((const __m128i *)(const void *)poly);
	x2 = _mm_and_si128(x1, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
	x2 = _mm_and_si128(x2, x3);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	return (uint32_t)_mm_extract_epi32(x1, 1);
}
#endif

uint32_t
bundle_crc32(uint32_t crc, const unsigned char *buf, size_t len)
{
	uint32_t	c = ~crc;

	if (buf == NULL)
		return 0;
	pthread_once(&once, crc_init);
#ifdef HAVE_CRC_FOLD
	if (folds && len >= 64) {
		size_t	n = len & ~(size_t)15;

		c = crc_fold(c, buf, n);
		buf += n;
		len -= n;
	}
#endif
	return ~crc_slice8(c, buf, len);
}

/*
 * zlib's crc32(), same signature, same results: the program's definition
 * is the one libarchive's calls are bound to.
 */
unsigned long	crc32(unsigned long, const unsigned char *, unsigned int);

unsigned long
crc32(unsigned long crc, const unsigned char *buf, unsigned int len)
{
	return bundle_crc32((uint32_t)crc, buf, len);
}

/* The zip CRC-32 that takes zlib's place for libarchive. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/bundle_crc32.h"

unsigned long	crc32(unsigned long, const unsigned char *, unsigned int);

/* Bit by bit, straight from the definition. */
static uint32_t
crc_bitwise(uint32_t crc, const unsigned char *p, size_t n)
{
	uint32_t	c = ~crc;
	int		k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? c >> 1 ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

static unsigned char *
noise(size_t n)
{
	unsigned char	*b = malloc(n);
	uint32_t	 x = 2463534242u;
	size_t		 i;

	assert_non_null(b);
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	return b;
}

static void
test_known_values(void **state)
{
	(void)state;
	assert_int_equal(bundle_crc32(0, (const unsigned char *)"123456789", 9),
	    0xCBF43926u);
	assert_int_equal(bundle_crc32(0, (const unsigned char *)"", 0), 0);
	/* zlib: a NULL buffer gives the initial value. */
	assert_int_equal(bundle_crc32(0x12345678u, NULL, 100), 0);
	assert_int_equal(crc32(0, (const unsigned char *)"123456789", 9),
	    0xCBF43926u);
}

/* Every length and alignment around the 16- and 64-byte folding steps. */
static void
test_lengths_and_offsets(void **state)
{
	unsigned char	*b = noise(4096);
	size_t		 off, len;

	(void)state;
	for (off = 0; off < 17; off++)
		for (len = 0; len < 400; len++)
			assert_int_equal(bundle_crc32(0x5EED0000u + (uint32_t)len,
			    b + off, len), crc_bitwise(0x5EED0000u +
			    (uint32_t)len, b + off, len));
	assert_int_equal(bundle_crc32(0, b, 4096), crc_bitwise(0, b, 4096));
	free(b);
}

/* Chained calls, as libarchive makes them block by block. */
static void
test_chained(void **state)
{
	size_t		 n = 1 << 20, i, step;
	unsigned char	*b = noise(n);
	uint32_t	 whole = crc_bitwise(0, b, n), c = 0;

	(void)state;
	for (i = 0, step = 1; i < n; i += step, step = step * 7 % 5003 + 1) {
		if (step > n - i)
			step = n - i;
		c = (uint32_t)crc32(c, b + i, (unsigned int)step);
	}
	assert_int_equal(c, whole);
	assert_int_equal(bundle_crc32(0, b, n), whole);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_lengths_and_offsets),
		cmocka_unit_test(test_chained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

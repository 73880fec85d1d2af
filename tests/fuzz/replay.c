/*
 * Runs a fuzz target without libFuzzer: every file of its corpus
 * (testdata/fuzz/<target>/), then deterministic mutations of each (truncations,
 * bit flips, byte runs), printing TAP. A crash or sanitizer report fails it.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define MUTATIONS 64

static uint32_t rng_state = 2463534242u;

/* xorshift32: the same mutations on every run. */
static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE		*fp = fopen(path, "rb");
	unsigned char	*buf = NULL;
	long		 n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(fp);
	return buf;
}

static void
mutate_and_run(const unsigned char *orig, size_t len)
{
	unsigned char	*m;
	size_t		 i, j, n, cut;

	m = malloc(len + 1);
	if (m == NULL)
		abort();
	for (i = 0; i < MUTATIONS; i++) {
		memcpy(m, orig, len);
		n = len;
		switch (rng() % 4) {
		case 0:		/* truncate */
			n = len ? rng() % len : 0;
			break;
		case 1:		/* flip bits */
			for (j = 0; len && j < 1 + rng() % 8; j++)
				m[rng() % len] ^= (unsigned char)(1u << (rng() % 8));
			break;
		case 2:		/* overwrite a run with one byte */
			if (len) {
				cut = rng() % len;
				for (j = cut; j < len && j < cut + 1 + rng() % 64; j++)
					m[j] = (unsigned char)rng();
			}
			break;
		default:	/* boundary bytes */
			for (j = 0; len && j < 4; j++)
				m[rng() % len] = (unsigned char[]){ 0, 0xff, '\n', '"' }[j];
		}
		LLVMFuzzerTestOneInput(m, n);
	}
	free(m);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	char		 dir[4096], path[8192];
	char		*names[1024];
	DIR		*d;
	struct dirent	*de;
	unsigned char	*data;
	size_t		 n = 0, i, len = 0;

	snprintf(dir, sizeof dir, "%s/fuzz/%s", TESTDATA_DIR, fuzz_corpus_name);
	if ((d = opendir(dir)) == NULL) {
		printf("1..1\nnot ok 1 - corpus %s missing\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL && n < 1024)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_names);
	printf("1..%zu\n", n ? n : 1);
	if (n == 0)
		printf("not ok 1 - corpus %s is empty\n", dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((data = read_file(path, &len)) == NULL) {
			printf("not ok %zu - cannot read %s\n", i + 1, path);
			continue;
		}
		LLVMFuzzerTestOneInput(data, len);
		mutate_and_run(data, len);
		free(data);
		printf("ok %zu - %s/%s and %d mutations\n", i + 1,
		    fuzz_corpus_name, names[i], MUTATIONS);
		fflush(stdout);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	return n == 0;
}

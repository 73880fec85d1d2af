/*
 * Fuzz targets: each file defines LLVMFuzzerTestOneInput for one parser, fed
 * through the same entry point the program uses. Built with libFuzzer when
 * configured with --enable-fuzzing (CC=clang); otherwise replay.c runs every
 * file of the target's corpus, plus deterministic mutations of each, as an
 * ordinary test.
 */
#ifndef CERTTRAIL_FUZZ_H
#define CERTTRAIL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
/* The corpus folder under testdata/fuzz/ that replay.c reads. */
extern const char fuzz_corpus_name[];

#endif

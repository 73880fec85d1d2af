#!/usr/bin/env bash
# Runs every libFuzzer target built in BUILD_DIR (tests/fuzz/fuzz_*, from
# ./configure --enable-fuzzing CC=clang) for a short fixed time on its seed
# corpus, testdata/fuzz/<name>/ under SRC_DIR, and prints TAP: one result per
# target, so that a target added to Makefile.am is run without a word here.
# New inputs libFuzzer finds go to a temporary folder, never into the tree;
# a crash, leak, sanitizer report or timeout fails the target and its
# reproducer is kept in FUZZ_ARTIFACTS (default BUILD_DIR/fuzz-artifacts).
#
#	tests/fuzz/run-fuzzers.sh BUILD_DIR [SRC_DIR] [SECONDS]
set -uo pipefail
build=${1:?usage: run-fuzzers.sh BUILD_DIR [SRC_DIR] [SECONDS]}
src=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
secs=${3:-${FUZZ_SECONDS:-20}}
artifacts=${FUZZ_ARTIFACTS:-$build/fuzz-artifacts}
mkdir -p "$artifacts"
# The same leak suppressions as make check: only leaks inside Debian's
# libevtx, which loses a few hundred bytes on a record it cannot decode.
export LSAN_OPTIONS="suppressions=$src/tests/lsan-libevtx.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

targets=()
for bin in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] && targets+=("$bin")
done
if [ ${#targets[@]} -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 - no fuzz targets in $build/tests/fuzz (configure --enable-fuzzing CC=clang)"
	exit 1
fi

echo "1..${#targets[@]}"
n=0
failed=0
for bin in "${targets[@]}"; do
	n=$((n + 1))
	name=$(basename "$bin")
	corpus="$src/testdata/fuzz/${name#fuzz_}"
	work=$(mktemp -d "${TMPDIR:-/tmp}/certtrail-fuzz.XXXXXX")
	log="$work/log"
	if [ ! -d "$corpus" ]; then
		echo "not ok $n - $name: no seed corpus $corpus"
		failed=$((failed + 1))
		rm -rf "$work"
		continue
	fi
	# -max_total_time bounds the run; timeout(1) is the backstop for a hang
	# libFuzzer itself cannot report.
	timeout $((secs + 120)) "$bin" -max_total_time="$secs" -timeout=20 \
	    -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 \
	    -artifact_prefix="$artifacts/$name-" "$work" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "ok $n - $name: ${runs:-?} runs in ${secs}s on $(ls "$corpus" | wc -l) seeds"
	else
		echo "not ok $n - $name: exit status $rc after ${runs:-?} runs (reproducer in $artifacts)"
		tail -40 "$log" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
	rm -rf "$work"
done
[ $failed -eq 0 ]

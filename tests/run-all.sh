#!/usr/bin/env bash
# The whole test suite: a normal build with `make check` and `make distcheck`,
# the same tests under AddressSanitizer and UndefinedBehaviorSanitizer, the
# program under ThreadSanitizer on bundles (tests/run-tsan.sh), and,
# when clang with libFuzzer is there, every fuzz target run briefly.
# Every TAP result of every test counts (unit suites, end-to-end scripts,
# fuzz replays, fuzz runs), and so does each step that has no TAP of its own
# (configure, make, warnings, distcheck). Ends with one line
# "N passed, N failed"; the exit status is 0 only when nothing failed.
#
# CERTTRAIL_REQUIRE_FUZZING=1 makes a missing clang a failure (CI sets it);
# FUZZ_SECONDS sets each fuzz target's run (default 20).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
pass=0
fail=0

# Adds the results of one build's .trs files, wherever they are (the fuzz
# replays' are in tests/fuzz/); prints and returns the failures found.
count_results() {
	local dir=$1 p f
	p=$(find "$dir/tests" -name '*.trs' -exec cat {} + 2>/dev/null |
	    grep -c '^:test-result: \(PASS\|XFAIL\|SKIP\)' || true)
	f=$(find "$dir/tests" -name '*.trs' -exec cat {} + 2>/dev/null |
	    grep -c '^:test-result: \(FAIL\|ERROR\|XPASS\)' || true)
	echo "=== $(basename "$dir"): $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
	counted_fail=$f
}

run_build() {	# name, configure flags...
	local name=$1; shift
	local dir="$top/build-$name"
	echo "=== $name build: configure $*"
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	( cd "$dir" && "$src/configure" "$@" >configure.out 2>&1 ) || {
		cat "$dir/configure.out"; fail=$((fail + 1)); return 1; }
	( cd "$dir" && make -j"$jobs" >make.out 2>&1 ) || {
		tail -50 "$dir/make.out"; fail=$((fail + 1)); return 1; }
	if grep -E 'warning:' "$dir/make.out"; then
		echo "compiler warnings in the $name build"; fail=$((fail + 1))
	fi
	( cd "$dir" && make -j"$jobs" check )
	local rc=$?
	if [ $rc -ne 0 ]; then
		cat "$dir"/test-suite.log 2>/dev/null | tail -80
	fi
	count_results "$dir"
	# make check failed without a failed test to show for it (a test
	# program that did not build, say): that is a failure too.
	if [ $rc -ne 0 ] && [ "$counted_fail" -eq 0 ]; then
		echo "make check failed in the $name build"
		fail=$((fail + 1))
	fi
	return $rc
}

# Adds a TAP run's results (one "ok"/"not ok" line each) printed by a
# runner script; a run that reports nothing is a failure.
count_tap() {	# name, the runner's output
	local name=$1 out=$2 p f
	echo "$out"
	p=$(grep -c '^ok ' <<<"$out" || true)
	f=$(grep -c '^not ok ' <<<"$out" || true)
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "the $name run reported nothing"
		f=1
	fi
	echo "=== $name: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
	[ "$f" -eq 0 ]
}

# The libFuzzer targets, built with clang, each run on its corpus for a
# short fixed time; each target is one result.
run_fuzzers() {
	local dir="$top/build-fuzz"
	echo "=== fuzz build: configure --enable-fuzzing CC=clang"
	if ! command -v clang >/dev/null 2>&1; then
		if [ "${CERTTRAIL_REQUIRE_FUZZING:-0}" = 1 ]; then
			echo "clang not found: the fuzz targets cannot be built"
			fail=$((fail + 1)); return 1
		fi
		echo "clang not found: fuzz run skipped (install clang and libclang-rt-14-dev)"
		return 0
	fi
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	( cd "$dir" && "$src/configure" --enable-fuzzing CC=clang \
	    CFLAGS="-g -O1" >configure.out 2>&1 ) || {
		cat "$dir/configure.out" | tail -20; fail=$((fail + 1)); return 1; }
	( cd "$dir" && make -j"$jobs" >make.out 2>&1 ) || {
		tail -50 "$dir/make.out"; fail=$((fail + 1)); return 1; }
	count_tap fuzz "$("$src/tests/fuzz/run-fuzzers.sh" "$dir" "$src" \
	    "${FUZZ_SECONDS:-20}")"
}

# The program under ThreadSanitizer on bundles that keep all its threads
# busy (tests/run-tsan.sh): each bundle is one result.
run_tsan() {
	local dir="$top/build-tsan"
	echo "=== thread build: configure CFLAGS=-fsanitize=thread"
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	( cd "$dir" && "$src/configure" CFLAGS="-g -O1 -fsanitize=thread" \
	    LDFLAGS="-fsanitize=thread" >configure.out 2>&1 ) || {
		tail -20 "$dir/configure.out"; fail=$((fail + 1)); return 1; }
	( cd "$dir" && make -j"$jobs" src/certtrail >make.out 2>&1 ) || {
		tail -50 "$dir/make.out"; fail=$((fail + 1)); return 1; }
	count_tap thread "$("$src/tests/run-tsan.sh" "$dir" "$src")"
}

cd "$top"
[ -x configure ] || ./autogen.sh || { echo "0 passed, 1 failed"; exit 1; }

# The builds below are out of tree, which automake refuses for a tree already
# configured in place (the README's first command does that). Such a tree is
# copied once and cleaned, and the builds are made from the copy.
src=$top
if [ -f "$top/config.status" ]; then
	src=$(mktemp -d "${TMPDIR:-/tmp}/certtrail-src.XXXXXX")
	trap 'rm -rf "$src"' EXIT
	cp -a "$top/." "$src/" && rm -rf "$src/build-plain" "$src/build-sanitizers" "$src/build-fuzz" "$src/build-tsan" &&
	    ( cd "$src" && make distclean >/dev/null 2>&1 ) ||
	    { echo "cannot make a clean copy of $top"; echo "0 passed, 1 failed"; exit 1; }
	echo "=== $top is configured in place: building from a clean copy in $src"
fi

status=0
run_build plain || status=1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_build sanitizers --enable-sanitizers || status=1

echo "=== distcheck"
if ( cd "$top/build-plain" && make -j"$jobs" distcheck >distcheck.out 2>&1 ); then
	echo "distcheck passed"
	pass=$((pass + 1))
else
	tail -60 "$top/build-plain/distcheck.out"
	fail=$((fail + 1))
	status=1
fi

run_tsan || status=1

ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_fuzzers || status=1

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ $status -eq 0 ]

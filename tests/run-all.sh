#!/usr/bin/env bash
# The whole test suite: a normal build with `make check` and `make distcheck`,
# then the same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
# Ends with one line "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
pass=0
fail=0

count_results() {	# adds the results of one build's .trs files
	local dir=$1 p f
	p=$(cat "$dir"/tests/*.trs 2>/dev/null | grep -c '^:test-result: PASS' || true)
	f=$(cat "$dir"/tests/*.trs 2>/dev/null | grep -c '^:test-result: \(FAIL\|ERROR\|XPASS\)' || true)
	pass=$((pass + p))
	fail=$((fail + f))
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
	return $rc
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
	cp -a "$top/." "$src/" && rm -rf "$src/build-plain" "$src/build-sanitizers" &&
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

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ $status -eq 0 ]

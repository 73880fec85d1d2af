#!/usr/bin/env bash
# certtrail runs up to three threads: the bundle walk, the protocol log
# parser beside it (src/formats/protolog/logread.c) and, at the end, the
# workbook written beside the page and findings.json (src/main.c). This
# runs a ThreadSanitizer build of the program on bundles that exercise all
# three, and prints TAP: one result per bundle, failed by any
# ThreadSanitizer report, a crash or a timeout. The bundles: the two
# samples, the real bundles of testdata/realdata/bundles, and two small
# bundles of bench/gen_bench.py (both shapes, many log files, so the queue
# fills and drains; their logs go in pieces), the busy one again with its
# logs cut into pieces of 4099 bytes (thousands of pieces, each hashed by
# whichever thread is free), and a folder holding the busy one twice (every
# log of the second read apart as a possible copy).
#
#	tests/run-tsan.sh BUILD_DIR [SRC_DIR]
# BUILD_DIR is configured with CFLAGS=-fsanitize=thread (tests/run-all.sh
# does it); only src/certtrail is needed there.
set -uo pipefail
build=${1:?usage: run-tsan.sh BUILD_DIR [SRC_DIR]}
src=${2:-$(cd "$(dirname "$0")/.." && pwd)}
bin=$build/src/certtrail
work=$(mktemp -d "${TMPDIR:-/tmp}/certtrail-tsan.XXXXXX")
trap 'rm -rf "$work"' EXIT

inputs=("$src"/testdata/sample/*.zip)
for d in "$src"/testdata/realdata/bundles/*/; do
	inputs+=("${d%/}")
done
for shape in send busy; do
	if python3 "$src/bench/gen_bench.py" "$work/bench-$shape.zip" \
	    --servers 2 --mib 6 --shape "$shape" >/dev/null 2>&1; then
		inputs+=("$work/bench-$shape.zip")
	else
		inputs+=("(gen_bench.py --shape $shape failed)")
	fi
done

# gcc's ThreadSanitizer runtime cannot start on some kernels whose address
# space layout is randomized more than it expects ("unexpected memory
# mapping"): without randomization it always can.
norandom=()
if setarch "$(uname -m)" -R true 2>/dev/null; then
	norandom=(setarch "$(uname -m)" -R)
fi

# The busy bundle again, in small pieces ("PIECES:" names the run).
inputs+=("PIECES:$work/bench-busy.zip")
# ... and given twice (a folder of two copies of it): each log of the second
# is read apart, as a possible copy, then dropped.
mkdir -p "$work/twice"
if [ -f "$work/bench-busy.zip" ]; then
	cp "$work/bench-busy.zip" "$work/twice/a.zip"
	cp "$work/bench-busy.zip" "$work/twice/b.zip"
fi
inputs+=("$work/twice")
echo "1..${#inputs[@]}"
n=0
failed=0
for in in "${inputs[@]}"; do
	n=$((n + 1))
	pieces=
	case $in in
	PIECES:*) in=${in#PIECES:} pieces=4099 ;;
	esac
	name=${in#"$src"/}
	name=${name#"$work"/}${pieces:+ in pieces of $pieces bytes}
	if [ ! -e "$in" ] || [ ! -x "$bin" ]; then
		echo "not ok $n - $name: not there (or no $bin)"
		failed=$((failed + 1))
		continue
	fi
	rm -rf "$work/out"
	CERTTRAIL_TEST_PIECE_BYTES=$pieces TSAN_OPTIONS="halt_on_error=0 exitcode=66" \
	    timeout 600 "${norandom[@]}" "$bin" \
	    --as-of 2026-11-10 -q "$in" -o "$work/out" >/dev/null 2>"$work/err"
	rc=$?
	races=$(grep -c 'WARNING: ThreadSanitizer' "$work/err")
	# Exit 0 with the reports written is a run that finished (without
	# --fail-on, 1 never comes); ThreadSanitizer's own exit is 66.
	finished=false
	[ $rc -eq 0 ] && [ -s "$work/out/findings.json" ] && finished=true
	if [ "$races" -eq 0 ] && $finished; then
		echo "ok $n - $name: no ThreadSanitizer report (exit $rc)"
	else
		echo "not ok $n - $name: exit $rc, $races ThreadSanitizer report(s)"
		sed -n '1,60p' "$work/err" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]

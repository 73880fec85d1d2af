#!/bin/sh
# End-to-end tests of the expert scenarios: every bundle from
# testdata/gen_expert.py goes through the real binary (with the --as-of its
# expected file names); tests/check_expert.py checks findings.json,
# report.html, report.xlsx and standard output against the expected file, and
# tests/check_commands.py checks that every remediation command would run as
# printed. The rule scenarios of testdata/gen_rules.py get the command check
# too. Prints TAP; the last lines say how many checks ran and failed.
#
# Environment (as `make check` sets it): top_srcdir, top_builddir, PYTHON3,
# OPENSSL_BIN. Run from a build directory: top_srcdir=SRC tests/e2e_expert.sh

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
OPENSSL_BIN=${OPENSSL_BIN:-openssl}
export OPENSSL_BIN
BIN=$BUILD/src/certtrail
CF=$SRC/tests/check_findings.py
WORK=$BUILD/tests/e2e_expert.work
B=$WORK/bundles
LOG=$WORK/log
COUNTS=$WORK/counts

. "$SRC/tests/tap.sh"

rm -rf "$WORK"
mkdir -p "$WORK/out" "$WORK/rules-out"
: >"$LOG"
: >"$COUNTS"

if [ ! -x "$BIN" ]; then
	echo "$BIN was not built" >"$LOG"
	fail "certtrail binary exists"
	echo "1..$n"
	exit 0
fi

check "the command checker catches bad commands and passes good ones" \
    "$PY" "$SRC/tests/check_commands.py" --selftest
check "generate the expert scenario bundles" "$PY" "$SRC/testdata/gen_expert.py" "$B"
if [ ! -f "$B/time-date-order-per-file.expected.json" ]; then
	echo "Bail out! the scenario generator failed"
	exit 1
fi

# expected KEY: one value of the expected file (lists one item a line).
expected() { "$PY" "$CF" get "$1" "$2"; }

for exp in "$B"/*.expected.json; do
	name=$(basename "$exp" .expected.json)
	out=$WORK/out/$name
	as_of=$(expected "$exp" as_of)
	inputs=$(expected "$exp" inputs | tr '\n' ' ')
	# shellcheck disable=SC2086 # the inputs are file names without spaces
	(cd "$B" && "$BIN" --no-progress --as-of "$as_of" -o "$out" $inputs) \
	    >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		cp "$WORK/$name.stderr" "$LOG"
		fail "$name: certtrail exits 0 (got $rc)"
		continue
	fi
	"$PY" "$SRC/tests/check_expert.py" --count "$out" "$exp" "$WORK/$name.stdout" \
	    >"$WORK/$name.check" 2>&1
	tail -n 1 "$WORK/$name.check" >>"$COUNTS"
	sed -e '$d' "$WORK/$name.check" >"$LOG"
	if [ -s "$LOG" ]; then
		fail "$name: outputs as the expected file says"
	else
		pass "$name: outputs as the expected file says"
	fi
	check "$name: every remediation and collect command runs as printed" \
	    "$PY" "$SRC/tests/check_commands.py" --gaps "$out/findings.json"
done

# ------------------------------------------------ the rule scenarios' commands

check "generate the rule scenario bundles" "$PY" "$SRC/testdata/gen_rules.py" "$WORK/rules"
for exp in "$WORK"/rules/*.expected.json; do
	name=$(basename "$exp" .expected.json)
	out=$WORK/rules-out/$name
	(cd "$WORK/rules" && "$BIN" --no-progress --as-of 2026-11-10T09:00:00Z -o "$out" \
	    "$name.zip") >/dev/null 2>&1
	check "rules/$name: every remediation and collect command runs as printed" \
	    "$PY" "$SRC/tests/check_commands.py" --gaps "$out/findings.json"
done

awk '{ c += $2; f += $4 } END { printf "# expert expectations: %d checks, %d failed\n", c, f }' \
    "$COUNTS"
echo "1..$n"
exit 0

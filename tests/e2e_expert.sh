#!/bin/sh
# End-to-end tests of the expert scenarios: every bundle from
# testdata/gen_expert.py goes through the real binary (with the --as-of its
# expected file names); tests/check_expert.py checks findings.json,
# report.html, report.xlsx and standard output against the expected file, and
# tests/check_commands.py checks that every remediation command would run as
# printed (tests/e2e_rules.sh checks the rule scenarios' commands). A scenario
# whose failed expectations another part of certtrail owns
# (tests/expert_owners.py) is an expected failure, "# TODO". Prints TAP; the
# last lines say how many checks ran and failed, and how many of those are
# expected.
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
mkdir -p "$WORK/out"
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
	desc="$name: outputs as the expected file says"
	# The parts that own the failures (tests/expert_owners.py); "-" is none.
	parts=$("$PY" "$SRC/tests/expert_owners.py" "$name" "$LOG")
	case " $parts " in
	"  ") pass "$desc" ;;
	*" - "*) fail "$desc" ;;
	*)
		n=$((n + 1))
		echo "not ok $n - $desc # TODO $parts part"
		sed -e 's/^/# /' "$LOG" | head -n 20
		echo "$parts $(wc -l <"$LOG")" >>"$WORK/owned" ;;
	esac
	check "$name: every remediation and collect command runs as printed" \
	    "$PY" "$SRC/tests/check_commands.py" --gaps "$out/findings.json"
done

awk '{ c += $2; f += $4 } END { printf "# expert expectations: %d checks, %d failed\n", c, f }' \
    "$COUNTS"
if [ -s "$WORK/owned" ]; then
	awk '{ t += $NF; for (i = 1; i < NF; i++) p[$i] = 1 } END {
	    for (k in p) o = o (o ? ", " : "") k
	    printf "# %d of them expected, owned by other parts (%s)\n", t, o }' \
	    "$WORK/owned"
fi
echo "1..$n"
exit 0

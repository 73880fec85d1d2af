#!/bin/sh
# End-to-end: event texts as people paste them and HealthChecker's outputs,
# through the real binary. The published and shaped artifacts of
# testdata/realdata/events and healthchecker, and the bundles
# hybrid-12014-starttls and healthchecker-export, are checked against
# testdata/realdata/ORACLE.json (written by reading them); the files of
# testdata/gen_healthchecker.py against the facts it computed. Prints TAP.
#
# Environment (as `make check` sets it): top_srcdir, top_builddir, PYTHON3.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
REAL=$SRC/testdata/realdata
ORACLE=$REAL/ORACLE.json
CHECK=$SRC/tests/check_oracle.py
WORK=$BUILD/tests/e2e_event_bundles.work
LOG=$WORK/log
AS_OF=2026-11-04T12:00:00Z

. "$SRC/tests/tap.sh"

# todo DESC WHY: a check that fails for a reason another part of the
# analysis settles; TAP's TODO keeps it visible, and it reports XPASS once
# it passes.
todo() {
	n=$((n + 1))
	echo "not ok $n - $1 # TODO $2"
	if [ -s "$LOG" ]; then
		sed -e 's/^/# /' "$LOG" | head -n 20
	fi
}

rm -rf "$WORK"
mkdir -p "$WORK"
: >"$LOG"

# run NAME AS_OF INPUT...: certtrail's exit code in $rc, its outputs in $WORK/NAME.
run() {
	name=$1
	as_of=$2
	shift 2
	"$BIN" --no-progress --as-of "$as_of" -o "$WORK/$name" "$@" \
	    >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
	rc=$?
}

for f in events/event12014-bare-message.txt events/event12014-copy-details-de-DE.txt \
    events/kb2989382-event12014-copy-details.txt events/kb2888788-event2004-copy-details.txt \
    events/kb2958036-transport-events.txt events/event1035-old-layout.txt \
    events/wevtutil-12018-12017.txt healthchecker/HealthChecker-EXCAS1-20261104090244.txt \
    healthchecker/HealthChecker-EXCAS1-20261104090244.xml \
    healthchecker/HealthChecker-HTMLServerReport-20261104090301.html; do
	name=$(basename "$f")
	run "$name" "$AS_OF" "$REAL/$f"
	if [ "$rc" -ne 0 ]; then
		cp "$WORK/$name.stderr" "$LOG"
		fail "$f: read, a report written (exit 0, got $rc)"
		continue
	fi
	check "$f: what ORACLE.json says it holds" \
	    "$PY" "$CHECK" artifact "$ORACLE" "$f" "$WORK/$name"
done

# The bundles. The verdict of healthchecker-export (nothing fails in it: never
# a root cause) rests on the verdict rules, not on reading its files.
for b in hybrid-12014-starttls healthchecker-export; do
	run "$b" "$AS_OF" "$REAL/bundles/$b"
	check "bundle $b: report, servers and symptoms as ORACLE.json says" \
	    "$PY" "$CHECK" bundle "$ORACLE" "$b" "$WORK/$b" "$rc"
	if "$PY" "$CHECK" bundle "$ORACLE" "$b" "$WORK/$b" "$rc" --verdict \
	    >"$LOG" 2>&1; then
		pass "bundle $b: a verdict ORACLE.json allows"
	elif [ "$b" = healthchecker-export ]; then
		todo "bundle $b: a verdict ORACLE.json allows" \
		    "a finding without a symptom named as root cause"
	else
		fail "bundle $b: a verdict ORACLE.json allows"
	fi
done
check "bundle hybrid-12014-starttls: the 12014 connector and FQDN in a finding" \
    grep -q 'Default Frontend EXCAS1.*EXCAS1.corp.fabrikam.com' \
    "$WORK/hybrid-12014-starttls/findings.json"
check "bundle hybrid-12014-starttls: never 'the inventory does not show why'" \
    sh -c '! grep -q "does not show why" "$1"' sh "$WORK/hybrid-12014-starttls/findings.json"

# HealthChecker's three outputs, as its source writes them.
GEN=$WORK/gen
check "generate HealthChecker's outputs" "$PY" "$SRC/testdata/gen_healthchecker.py" "$GEN"
check "the generated outputs are the ones in testdata/healthchecker" \
    diff -r "$GEN" "$SRC/testdata/healthchecker"
for f in "$GEN"/HealthChecker-*; do
	name=$(basename "$f")
	run "$name" 2024-10-20T12:00:00Z "$f"
	case $name in *.xml) xml=--xml ;; *) xml= ;; esac
	check "$name: certificates, lifetimes, TLS settings and Auth certificate" \
	    "$PY" "$CHECK" healthchecker "$GEN/healthchecker.expected.json" "$WORK/$name" $xml
done
run all 2024-10-20T12:00:00Z "$GEN"
check "the three outputs of one run merge into one record each" \
    "$PY" "$CHECK" healthchecker "$GEN/healthchecker.expected.json" "$WORK/all" --xml

# Every command the runs above printed runs as printed (tests/check_commands.py).
# shellcheck disable=SC2046 # the work files have no spaces in their names
check "every remediation and collect command runs as printed" \
    "$PY" "$SRC/tests/check_commands.py" --gaps $(find "$WORK" -name findings.json | sort)

echo "1..$n"

#!/bin/sh
# End-to-end tests of --baseline: every pair from testdata/gen_baseline.py
# goes through the real binary, first the earlier bundle alone, then the
# later one with --baseline naming the first result; tests/check_baseline.py
# checks findings.json's baseline object, the page's section, the workbook's
# sheets and standard output against the pair's expected file. Then the
# --fail-on exit statuses, the same output twice, the sanity of BEFORE (not
# a certtrail result, a newer schema, a folder without one) and the warning
# when the two cases share no server. Prints TAP.
#
# Environment (as `make check` sets it): top_srcdir, top_builddir, PYTHON3,
# OPENSSL_BIN. Run from a build directory: top_srcdir=SRC tests/e2e_baseline.sh

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
OPENSSL_BIN=${OPENSSL_BIN:-openssl}
export OPENSSL_BIN
BIN=$BUILD/src/certtrail
WORK=$BUILD/tests/e2e_baseline.work
B=$WORK/pairs
O=$WORK/out
LOG=$WORK/log

. "$SRC/tests/tap.sh"

rm -rf "$WORK"
mkdir -p "$O"
: >"$LOG"

if [ ! -x "$BIN" ]; then
	echo "$BIN was not built" >"$LOG"
	fail "certtrail binary exists"
	echo "1..$n"
	exit 0
fi

check "generate the before/after pairs" "$PY" "$SRC/testdata/gen_baseline.py" "$B"
if [ ! -f "$B/o365-fixed.expected.json" ]; then
	echo "Bail out! the pair generator failed"
	exit 1
fi

expected() { "$PY" -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(" ".join(v) if isinstance(v, list) else v)' "$1" "$2"; }

# run NAME [OPTIONS...]: the earlier result, then the later with --baseline.
for exp in "$B"/*.expected.json; do
	name=$(basename "$exp" .expected.json)
	b_in=$(expected "$exp" before.inputs)
	a_in=$(expected "$exp" after.inputs)
	b_as=$(expected "$exp" before.as_of)
	a_as=$(expected "$exp" after.as_of)
	# shellcheck disable=SC2086 # file names without spaces
	(cd "$B" && "$BIN" -q --no-progress --as-of "$b_as" -o "$O/$name-before" $b_in) \
	    2>"$LOG"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name: the earlier bundle is analyzed (exit $rc)"
		continue
	fi
	# shellcheck disable=SC2086
	(cd "$B" && "$BIN" --no-progress --as-of "$a_as" --baseline "$O/$name-before" \
	    -o "$O/$name" $a_in) >"$O/$name.stdout" 2>"$LOG"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name: the later bundle is compared (exit $rc)"
		continue
	fi
	"$PY" "$SRC/tests/check_baseline.py" "$O/$name" "$exp" "$O/$name.stdout" >"$WORK/check" 2>&1
	sed -e '$d' "$WORK/check" >"$LOG"
	if [ -s "$LOG" ]; then
		fail "$name: as the expected file says ($(tail -n 1 "$WORK/check"))"
	else
		pass "$name: as the expected file says ($(tail -n 1 "$WORK/check"))"
	fi
	# --fail-on counts only what persists or is new.
	for sev in $("$PY" -c 'import json,sys
print(" ".join(json.load(open(sys.argv[1]))["fail_on"]))' "$exp"); do
		want=$("$PY" -c 'import json,sys
print(json.load(open(sys.argv[1]))["fail_on"][sys.argv[2]])' "$exp" "$sev")
		# shellcheck disable=SC2086
		(cd "$B" && "$BIN" -q --no-progress --as-of "$a_as" --baseline \
		    "$O/$name-before/findings.json" --fail-on "$sev" -o "$O/$name-f" $a_in) \
		    >/dev/null 2>"$LOG"
		rc=$?
		if [ "$rc" -eq "$want" ]; then
			pass "$name: --baseline --fail-on $sev exits $want"
		else
			fail "$name: --baseline --fail-on $sev exits $want (got $rc)"
		fi
	done
done

# ------------------------------------------------ the same output twice

name=o365-fixed-one-server
exp=$B/$name.expected.json
a_in=$(expected "$exp" after.inputs)
a_as=$(expected "$exp" after.as_of)
(cd "$B" && "$BIN" -q --no-progress --as-of "$a_as" --baseline "$O/$name-before" \
    -o "$O/$name-again" $a_in) 2>"$LOG"
same=ok
for f in findings.json report.html report.xlsx; do
	cmp -s "$O/$name/$f" "$O/$name-again/$f" || same="$f differs"
done
if [ "$same" = ok ]; then
	pass "the comparison's outputs are byte-identical from run to run"
else
	echo "$same" >"$LOG"
	fail "the comparison's outputs are byte-identical from run to run"
fi
# Without --baseline nothing of it shows.
(cd "$B" && "$BIN" -q --no-progress --as-of "$a_as" -o "$O/$name-plain" $a_in) 2>"$LOG"
if grep -q '"baseline"' "$O/$name-plain/findings.json" ||
    grep -q 'id="baseline"' "$O/$name-plain/report.html"; then
	fail "without --baseline there is no baseline object or section"
else
	pass "without --baseline there is no baseline object or section"
fi

# ------------------------------------------------ what BEFORE must be

# usage_error WHAT BEFORE WORDS...: exit 2 and a message with every word.
usage_error() {
	what=$1 before=$2
	shift 2
	(cd "$B" && "$BIN" -q --no-progress --baseline "$before" -o "$O/err" \
	    o365-fixed-after.zip) >/dev/null 2>"$WORK/err"
	rc=$?
	ok=yes
	[ "$rc" -eq 2 ] || ok=no
	for w in "$@"; do
		grep -q -- "$w" "$WORK/err" || ok=no
	done
	[ -e "$O/err" ] && ok=no
	cp "$WORK/err" "$LOG"
	echo "exit $rc" >>"$LOG"
	if [ "$ok" = yes ]; then
		pass "--baseline $what: exit 2, says what was expected, writes nothing"
	else
		fail "--baseline $what: exit 2, says what was expected, writes nothing"
	fi
}

usage_error "a support bundle" "$B/o365-fixed-before.zip" "expected" "findings.json"
usage_error "another program's JSON" "$B/o365-fixed.expected.json" "not a certtrail result" \
    "certtrail/findings/1"
"$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
d["schema"] = "certtrail/findings/2"
json.dump(d, open(sys.argv[2], "w"))' "$O/o365-fixed-before/findings.json" "$WORK/newer.json"
usage_error "a newer schema" "$WORK/newer.json" "newer certtrail" "certtrail/findings/2" \
    "certtrail/findings/1"
mkdir -p "$WORK/empty"
usage_error "a folder without findings.json" "$WORK/empty" "no findings.json" "expected"
usage_error "a missing file" "$WORK/nonexistent.json" "expected"
head -c 300 "$O/o365-fixed-before/findings.json" >"$WORK/cut.json"
usage_error "a findings.json cut short" "$WORK/cut.json" "not JSON" "expected"

# ------------------------------------------------ no server in common

(cd "$B" && "$BIN" --no-progress --as-of 2026-11-17T09:00:00Z \
    --baseline "$O/o365-fixed-before" -o "$O/disjoint" exhub2-only.zip) \
    >"$O/disjoint.stdout" 2>"$WORK/err"
rc=$?
cp "$WORK/err" "$LOG"
if [ "$rc" -eq 0 ] && grep -q "warning" "$WORK/err" && grep -q "share no server" "$WORK/err"; then
	pass "no server in common: a warning, exit 0"
else
	fail "no server in common: a warning, exit 0 (got $rc)"
fi
check "no server in common: every earlier finding is not re-collected" "$PY" -c '
import json, sys
b = json.load(open(sys.argv[1]))["baseline"]
sys.exit(not (b["servers"]["compared"] == [] and b["findings"] and
              all(e["state"] in ("not_recollected", "new") for e in b["findings"]) and
              any(e["state"] == "not_recollected" for e in b["findings"])))' \
    "$O/disjoint/findings.json"

echo "1..$n"
exit 0

#!/bin/sh
# End-to-end tests of the rule catalog: every scenario bundle from
# testdata/gen_rules.py (one per rule, near misses, a healthy organization)
# goes through the real binary; tests/check_rules.py checks the expected
# findings, the root cause and the verdict in findings.json, report.html,
# report.xlsx and standard output, tests/check_commands.py that every
# command runs as printed. The founding bundles of
# testdata/gen_bundles.py get their verdict checked too. The rules are those
# --list-rules prints: each has its --explain and a scenario bundle that
# expects it, and every rule a scenario names is listed. Prints TAP.
#
# Scenarios whose expected.json lists "needs_parsers" rely on readers of
# Get-ReceiveConnector, Get-TransportService or event-log exports; their
# lines say so, and they fail until those readers are in.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
OPENSSL_BIN=${OPENSSL_BIN:-openssl}
export OPENSSL_BIN
BIN=$BUILD/src/certtrail
CHK=$SRC/tests/check_rules.py
CF=$SRC/tests/check_findings.py
WORK=$BUILD/tests/e2e_rules.work
B=$WORK/bundles
LOG=$WORK/log
AS_OF=2026-11-10T09:00:00Z

. "$SRC/tests/tap.sh"

rm -rf "$WORK"
mkdir -p "$WORK/out"
: >"$LOG"

if [ ! -x "$BIN" ]; then
	echo "$BIN was not built" >"$LOG"
	fail "certtrail binary exists"
	echo "1..$n"
	exit 0
fi

check "generate the rule scenario bundles" "$PY" "$SRC/testdata/gen_rules.py" "$B"
if [ ! -f "$B/healthy-org.expected.json" ]; then
	echo "Bail out! the scenario generator failed"
	exit 1
fi

for exp in "$B"/*.expected.json; do
	name=$(basename "$exp" .expected.json)
	out=$WORK/out/$name
	needs=$("$PY" "$CF" get "$exp" needs_parsers 2>/dev/null | tr '\n' ',' |
	    sed -e 's/,$//')
	note=""
	[ -n "$needs" ] && note=" (needs the $needs reader)"
	(cd "$B" && "$BIN" --no-progress --as-of "$AS_OF" -o "$out" "$name.zip") \
	    >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		cp "$WORK/$name.stderr" "$LOG"
		fail "$name: certtrail exits 0 (got $rc)$note"
		continue
	fi
	check "$name: findings, root cause and verdict as expected$note" \
	    "$PY" "$CHK" "$out" "$exp" "$WORK/$name.stdout"
	check "$name: report.html's first screen states impact and fix" \
	    "$PY" "$SRC/tests/render_check.py" first "$out/report.html" \
	    "$out/findings.json"
	check "$name: report.html's certificates show days left and key size" \
	    "$PY" "$SRC/tests/render_check.py" certificates "$out/report.html" \
	    "$out/findings.json"
	check "$name: every remediation and collect command runs as printed" \
	    "$PY" "$SRC/tests/check_commands.py" --gaps "$out/findings.json"
done

# ------------------------------------------------ the founding bundles

check "generate the founding bundles" "$PY" "$SRC/testdata/gen_bundles.py" "$WORK/founding"
verdict_is() {
	bundle=$1
	want=$2
	(cd "$WORK/founding" && "$BIN" --no-progress --as-of \
	    "$("$PY" "$CF" get "$bundle.expected.json" as_of)" \
	    -o "$WORK/out/f-$bundle" "$bundle.zip") >/dev/null 2>&1 &&
	    got=$("$PY" "$CF" get "$WORK/out/f-$bundle/findings.json" verdict.state) &&
	    echo "verdict $got, want $want" && [ "$got" = "$want" ]
}
check "renewal-ambiguous: root cause found" verdict_is renewal-ambiguous root_cause
check "smtp-not-enabled: root cause found" verdict_is smtp-not-enabled root_cause
check "near-miss-smtp-enabled: no problem found" verdict_is near-miss-smtp-enabled clear
check "near-miss-renewal-new-subject: no problem found" \
    verdict_is near-miss-renewal-new-subject clear
check "hostile: what could not be read is stated beside the verdict" sh -c "
    (cd '$WORK/founding' && '$BIN' --no-progress --as-of 2026-11-10T08:51:12Z \
    -o '$WORK/out/f-hostile' hostile.zip) >'$WORK/hostile.stdout' 2>/dev/null;
    '$PY' -c 'import json,sys; v=json.load(open(sys.argv[1]))[\"verdict\"];
sys.exit(0 if v[\"incomplete\"] else 1)' '$WORK/out/f-hostile/findings.json' &&
    grep -q '^Not read:' '$WORK/hostile.stdout'"

# ------------------------------------------------ the rule reference

# The rules are those --list-rules prints: their number and ids come from it.
"$BIN" --list-rules >"$WORK/list.txt" 2>&1
sed -e 's/ .*//' "$WORK/list.txt" >"$WORK/ids.txt"
nrules=$(grep -c . "$WORK/ids.txt")
check "--list-rules names $nrules rules, each with a severity range" sh -c "
    test $nrules -gt 0 && test \$(grep -c -E \
    '^[a-z0-9-]+ +(info|low|medium|high|critical)(-[a-z]+)? ' \
    '$WORK/list.txt') -eq $nrules"
# What the scenario bundles above expect to find, and all the rules they name.
: >"$WORK/expected-rules.txt"
: >"$WORK/named-rules.txt"
for exp in "$B"/*.expected.json "$WORK"/founding/*.expected.json; do
	"$PY" "$CF" get "$exp" rules_present >>"$WORK/expected-rules.txt"
	for key in rules_present rules_absent root_cause_rule; do
		"$PY" "$CF" get "$exp" "$key" >>"$WORK/named-rules.txt"
	done
done
for id in $(cat "$WORK/ids.txt"); do
	check "--explain $id prints what, why, fix and references" sh -c "
	    '$BIN' --explain $id >'$WORK/explain.txt' &&
	    grep -q '^What it checks:' '$WORK/explain.txt' &&
	    grep -q '^Why it matters:' '$WORK/explain.txt' &&
	    grep -q '^Fix:' '$WORK/explain.txt' &&
	    grep -q '^References:' '$WORK/explain.txt'"
	check "$id: a scenario bundle expects it" \
	    grep -q -x -F "$id" "$WORK/expected-rules.txt"
done
check "every rule a scenario bundle names is one --list-rules prints" sh -c "
    ! grep -v -x -F -f '$WORK/ids.txt' '$WORK/named-rules.txt'"
"$BIN" --explain cert-expird >"$WORK/explain-bad.txt" 2>&1
rc=$?
check "--explain with an unknown rule exits 2 and suggests one" sh -c "
    test $rc -eq 2 && grep -q \"did you mean 'cert-expired'\" '$WORK/explain-bad.txt'"

echo "1..$n"
exit 0

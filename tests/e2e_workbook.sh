#!/bin/sh
# Workbook tests: report.xlsx of each committed sample and real bundle, read back
# (tests/check_workbook.py: frozen headers, autofilters, row heights for
# wrapped text, monospace commands, real dates, labelled certificate dates,
# conditional shading, document properties), and two runs byte-identical.
# Prints TAP for automake's TAP driver.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.
# Work files stay in $top_builddir/tests/e2e_workbook.work for inspection.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
WORK=$BUILD/tests/e2e_workbook.work
LOG=$WORK/log
CASE="CASE-2611-0042"
CUSTOMER="Contoso Ltd"
ANALYST="A. Analyst"

. "$SRC/tests/tap.sh"

run() {
	"$BIN" --no-progress -q --as-of 2026-11-10 --case "$CASE" \
	    --customer "$CUSTOMER" --analyst "$ANALYST" -o "$2" "$1"
}

# shellcheck disable=SC2317 # called through check
same_files() {
	for f in findings.json report.html report.xlsx; do
		if ! cmp "$1/$f" "$2/$f"; then
			echo "$f differs between $1 and $2"
			return 1
		fi
	done
}

rm -rf "$WORK"
mkdir -p "$WORK"
: >"$LOG"

for zip in "$SRC"/testdata/sample/*.zip; do
	name=$(basename "$zip" .zip)
	check "$name: certtrail writes the workbook" run "$zip" "$WORK/$name.1"
	check "$name: the workbook reads back well presented" "$PY" \
	    "$SRC/tests/check_workbook.py" "$WORK/$name.1/report.xlsx" \
	    "$CASE" "$CUSTOMER" "$ANALYST" 2026-11-10T00:00:00Z
	check "$name: a second run" run "$zip" "$WORK/$name.2"
	check "$name: two runs are byte-identical" same_files "$WORK/$name.1" \
	    "$WORK/$name.2"
done

# A busy organization (testdata/gen_busy.py): four servers in the grid,
# thousands of TLS outcome groups in their table.
if "$PY" "$SRC/testdata/gen_busy.py" "$WORK/busy.zip" >"$LOG" 2>&1; then
	check "busy: certtrail writes the workbook" run "$WORK/busy.zip" \
	    "$WORK/busy"
	check "busy: the workbook reads back well presented" "$PY" \
	    "$SRC/tests/check_workbook.py" "$WORK/busy/report.xlsx" \
	    "$CASE" "$CUSTOMER" "$ANALYST" 2026-11-10T00:00:00Z
else
	fail "generate the busy bundle"
fi

# Each real artifact alone: every other export missing, so most sheets say
# they were not collected.
(cd "$SRC/testdata/realdata" && "$PY" -c '
import json, sys
for k in json.load(open("ORACLE.json", encoding="utf-8"))["artifacts"]:
    print(k)
') >"$WORK/artifacts" 2>"$LOG" || fail "ORACLE.json lists the artifacts"
while IFS= read -r key; do
	name=artifact-$(printf '%s' "$key" | sed -e 's|/|__|g')
	(cd "$SRC/testdata/realdata" && run "$key" "$WORK/$name") >"$LOG" 2>&1
	# An artifact certtrail cannot use writes no workbook (exit 3).
	[ -f "$WORK/$name/report.xlsx" ] || continue
	check "$name: the workbook reads back well presented" "$PY" \
	    "$SRC/tests/check_workbook.py" "$WORK/$name/report.xlsx" \
	    "$CASE" "$CUSTOMER" "$ANALYST" 2026-11-10T00:00:00Z
done <"$WORK/artifacts"

# Inputs kept for the workbook's sake: dates shown as written.
for dir in "$SRC"/testdata/workbook/*/; do
	name=workbook-$(basename "$dir")
	check "$name: certtrail writes the workbook" run "$dir" "$WORK/$name"
	check "$name: the workbook reads back well presented" "$PY" \
	    "$SRC/tests/check_workbook.py" "$WORK/$name/report.xlsx" \
	    "$CASE" "$CUSTOMER" "$ANALYST" 2026-11-10T00:00:00Z
done

# The real bundles: one day of logs or one hour (a chart of one row), no
# certificates, no findings, sheets whose export was never collected.
for dir in "$SRC"/testdata/realdata/bundles/*/; do
	name=realdata-$(basename "$dir")
	check "$name: certtrail writes the workbook" run "$dir" "$WORK/$name"
	check "$name: the workbook reads back well presented" "$PY" \
	    "$SRC/tests/check_workbook.py" "$WORK/$name/report.xlsx" \
	    "$CASE" "$CUSTOMER" "$ANALYST" 2026-11-10T00:00:00Z
done

echo "1..$n"

#!/bin/sh
# End-to-end test of the table descriptions (src/model/kinds/,
# src/output/columns_report.c): a committed
# sample bundle (TLS outcomes) and the generated export bundle (every kind of
# table) go through the real binary, and tests/check_columns.py checks that
# findings.json, report.xlsx and report.html each show exactly the columns
# the descriptions mark for them, with the same values. Prints TAP.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.
# Work files stay in $top_builddir/tests/e2e_columns.work.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
DUMP=$BUILD/tests/columns_dump
WORK=$BUILD/tests/e2e_columns.work
LOG=$WORK/log
COLS=$WORK/columns.tsv

. "$SRC/tests/tap.sh"

run() {
	"$BIN" --no-progress -q --as-of 2026-11-10T08:51:12Z -o "$2" "$1"
}

rm -rf "$WORK"
mkdir -p "$WORK"
: >"$LOG"

check "the descriptions can be listed" sh -c "'$DUMP' >'$COLS'"
# The column the page once lacked: described once, for all three outputs.
check "key_bits is described for findings.json, the workbook and the page" \
    grep -q "^certificates	Certificates	\\\\N	key_bits	Key bits	\\\\N	jxh	" \
    "$COLS"
check "generate the export bundle" "$PY" "$SRC/testdata/gen_exports.py" "$WORK/g"

for input in "$SRC/testdata/sample/contoso-renewal.zip" "$WORK/g/exports.zip"; do
	name=$(basename "$input" .zip)
	check "$name: certtrail writes the three outputs" run "$input" "$WORK/$name"
	check "$name: every output shows the columns described for it" \
	    "$PY" "$SRC/tests/check_columns.py" "$COLS" "$WORK/$name"
done

check "key_bits shows in findings.json, the workbook and the page" \
    "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
bits = [c["key_bits"] for c in d["certificates"] if c["key_bits"]]
assert bits, "no certificate with a key size"
page = open(sys.argv[2], encoding="utf-8").read()
assert "key %d bits" % bits[0] in page, "the page does not show the key size"
' "$WORK/contoso-renewal/findings.json" "$WORK/contoso-renewal/report.html"

echo "1..$n"

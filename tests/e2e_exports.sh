#!/bin/sh
# End-to-end tests of the export formats: testdata/gen_exports.py writes
# several servers' Get-ExchangeCertificate, Get-SendConnector,
# Get-ReceiveConnector, Get-TransportService, Get-Queue and Get-WinEvent
# output as CSV and JSON (Windows PowerShell 5.1 and 7 shapes), and one
# server in every format (Format-List, CliXml, CSV, JSON). The real binary
# reads them; tests/check_exports.py compares what it reports with the
# generator's expectations and the formats with each other. The real
# Get-ReceiveConnector export is counted with Python's XML parser. TAP output.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
CHECK=$SRC/tests/check_exports.py
WORK=$BUILD/tests/e2e_exports.work
G=$WORK/gen
LOG=$WORK/log
AS_OF=2026-11-20T00:00:00Z

. "$SRC/tests/tap.sh"

run() {
	"$BIN" --no-progress --as-of "$AS_OF" "$@"
}

# shellcheck disable=SC2317 # called through check
same_files() {
	for f in findings.json report.html report.xlsx; do
		cmp "$1/$f" "$2/$f" || return 1
	done
}

# shellcheck disable=SC2317
real_receive_connectors() {
	want=$("$PY" - "$SRC/testdata/realdata/CSS-Exchange_HC_GetReceiveConnector.xml" <<'PYEOF'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print(len([o for o in root if o.tag.endswith("}Obj")]))
PYEOF
)
	run -o "$WORK/out/real" \
	    "$SRC/testdata/realdata/CSS-Exchange_HC_GetReceiveConnector.xml" || return 1
	got=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["receive_connectors"]))' \
	    "$WORK/out/real/findings.json")
	echo "receive connectors: $got read, $want in the file"
	[ "$want" -eq 5 ] && [ "$got" -eq "$want" ]
}

rm -rf "$WORK"
mkdir -p "$WORK/out"
: >"$LOG"

check "generate the export bundles" "$PY" "$SRC/testdata/gen_exports.py" "$G"
if [ ! -f "$G/twins.expected.json" ]; then
	echo "Bail out! the export generator failed"
	exit 1
fi

check "several servers' CSV and JSON exports in one zip are read" \
    run -o "$WORK/out/zip" "$G/exports.zip"
for s in EX01 EX02 EX03 EX04; do
	fmt=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["servers"][sys.argv[2]]["format"])' \
	    "$G/exports.expected.json" "$s")
	check "$s ($fmt): its certificates, connectors, transport service, queues and events" \
	    "$PY" "$CHECK" server "$WORK/out/zip/findings.json" "$G/exports.expected.json" "$s"
done
check "report.html and report.xlsx show receive connectors, transport services and events" \
    "$PY" "$CHECK" reports "$WORK/out/zip" "$G/exports.expected.json"
run -o "$WORK/out/zip.again" "$G/exports.zip" >/dev/null 2>&1
check "a second run writes byte-identical files" \
    same_files "$WORK/out/zip" "$WORK/out/zip.again"

outs=""
for fmt in fl clixml csv51 csv7 json51 json7 json1 jsonwrap; do
	check "twin in $fmt is read" run -o "$WORK/out/$fmt" "$G/twins/$fmt"
	check "twin in $fmt: what it reports is what was exported" \
	    "$PY" "$CHECK" twin "$WORK/out/$fmt/findings.json" "$G/twins.expected.json" "$fmt"
	outs="$outs $WORK/out/$fmt/findings.json"
done
# shellcheck disable=SC2086 # paths hold no spaces
check "the same facts come out of Format-List, CliXml, CSV and JSON twins" \
    "$PY" "$CHECK" agree "$G/twins.expected.json" $outs

check "the real Get-ReceiveConnector export: every connector read" \
    real_receive_connectors

# Every command the runs above printed runs as printed (tests/check_commands.py).
# shellcheck disable=SC2046 # the work files have no spaces in their names
check "every remediation and collect command runs as printed" \
    "$PY" "$SRC/tests/check_commands.py" --gaps $(find "$WORK" -name findings.json | sort)

echo "1..$n"

#!/bin/sh
# End-to-end test over the real-evidence corpus (testdata/realdata): every
# artifact ORACLE.json describes, and every bundle, goes through certtrail
# alone; tests/check_realdata.py compares each findings.json with the oracle,
# which was written by reading the evidence. Prints TAP (the checker's).
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.
# Work files stay in $top_builddir/tests/e2e_realdata.work.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
REAL=$SRC/testdata/realdata
WORK=$BUILD/tests/e2e_realdata.work
# The time the oracle's judgements (expired, expiring) are made at.
AS_OF=2026-11-04T12:00:00Z

rm -rf "$WORK"
mkdir -p "$WORK"

if [ ! -x "$BIN" ]; then
	echo "not ok 1 - $BIN was built"
	echo "1..1"
	exit 0
fi

# Each oracle key, an artifact's path or a bundle's folder, one a line.
if ! "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for k in list(d["artifacts"]) + list(d["bundles"]):
    print(k)
' "$REAL/ORACLE.json" >"$WORK/keys" 2>"$WORK/keys.err"; then
	echo "not ok 1 - ORACLE.json lists the artifacts"
	sed -e 's/^/# /' "$WORK/keys.err"
	echo "1..1"
	exit 0
fi

while IFS= read -r key; do
	out=$WORK/$(printf '%s' "$key" | sed -e 's|/|__|g')
	mkdir -p "$out"
	(cd "$REAL" && "$BIN" --no-progress --as-of "$AS_OF" -o "$out" "$key") \
	    >"$out/stdout" 2>"$out/stderr"
	echo $? >"$out/rc"
done <"$WORK/keys"

"$PY" "$SRC/tests/check_realdata.py" "$REAL/ORACLE.json" "$WORK"

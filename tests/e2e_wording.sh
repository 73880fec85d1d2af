#!/bin/sh
# Wording of every report: certtrail runs over the committed samples, the
# real-evidence bundles, the rule scenarios of testdata/gen_rules.py and a
# busy organization (testdata/gen_busy.py), and
# tests/check_wording.py reads each findings.json, report.html and
# report.xlsx for wording a reader trips over ("all 2 symptoms", "unknown to
# unknown", a time in brackets inside brackets, ...). The reports the other
# end-to-end tests left in their work folders are read too, when they are
# there. Prints TAP (the checker's).
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.
# Work files stay in $top_builddir/tests/e2e_wording.work for inspection.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
WORK=$BUILD/tests/e2e_wording.work
OUT=$WORK/out

rm -rf "$WORK"
mkdir -p "$OUT"

if [ ! -x "$BIN" ]; then
	echo "not ok 1 - $BIN was built"
	echo "1..1"
	exit 0
fi

# run AS_OF INPUT NAME: writes the reports of INPUT under $OUT/NAME.
run() {
	"$BIN" --no-progress -q --as-of "$1" --case CASE-1 --customer Contoso \
	    --analyst Analyst -o "$OUT/$3" "$2" >"$OUT/$3.stdout" \
	    2>"$OUT/$3.stderr"
	echo $? >"$OUT/$3.rc"
}

for zip in "$SRC"/testdata/sample/*.zip; do
	run 2026-11-10 "$zip" "sample-$(basename "$zip" .zip)"
done
for dir in "$SRC"/testdata/realdata/bundles/*/; do
	run 2026-11-04T12:00:00Z "$dir" "realdata-$(basename "$dir")"
done
if "$PY" "$SRC/testdata/gen_rules.py" "$WORK/rules" >"$WORK/gen.log" 2>&1
then
	for zip in "$WORK"/rules/*.zip; do
		run 2026-11-10T09:00:00Z "$zip" "rules-$(basename "$zip" .zip)"
	done
else
	echo "not ok 1 - generate the rule scenario bundles"
	sed -e 's/^/# /' "$WORK/gen.log" | head -n 20
	echo "1..1"
	exit 0
fi

if "$PY" "$SRC/testdata/gen_busy.py" "$WORK/busy.zip" >"$WORK/busy.log" 2>&1
then
	run 2026-11-10 "$WORK/busy.zip" busy
else
	echo "not ok 1 - generate the busy bundle"
	sed -e 's/^/# /' "$WORK/busy.log" | head -n 20
	echo "1..1"
	exit 0
fi

# The other tests' reports, as they left them (the baseline's, the hostile
# bundles', the events', ...): only those already written. Those of
# tests/e2e_pieces.sh are the same bytes four times over, of bundles read
# here or by the other tests: once is enough.
others=""
for dir in "$BUILD"/tests/*.work; do
	case $dir in
	"$WORK" | */e2e_pieces.work) continue ;;
	esac
	[ ! -d "$dir" ] || others="$others $dir"
done
# shellcheck disable=SC2086 # the folders, one word each
"$PY" "$SRC/tests/check_wording.py" "$OUT" $others

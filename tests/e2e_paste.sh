#!/bin/sh
# End-to-end tests of pasted evidence: the rule scenarios of
# testdata/gen_rules.py, the founding bundles of testdata/gen_bundles.py and
# the three-server bundle of testdata/gen_servers.py go through
# testdata/paste.py, which writes one variant per transformation that
# changes a bundle (NAME.T.zip) and one with all of them (NAME.pasted.zip),
# each with its expected file rewritten with what the paste cost. certtrail
# reads the clean bundle and every variant; tests/check_rules.py checks the
# expected findings, root cause and verdict, tests/check_paste.py what is
# paste-specific (warnings, masked thumbprints, records and counts against
# the clean run). Prints TAP, then the failing checks per transformation.
#
# Environment: top_srcdir, top_builddir, PYTHON3, OPENSSL_BIN as for the
# other end-to-end scripts; PASTE_SEED chooses other pastes (default
# 20261110). Work files stay in $top_builddir/tests/e2e_paste.work.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
OPENSSL_BIN=${OPENSSL_BIN:-openssl}
export OPENSSL_BIN
BIN=$BUILD/src/certtrail
CF=$SRC/tests/check_findings.py
WORK=$BUILD/tests/e2e_paste.work
CLEAN=$WORK/clean
PASTED=$WORK/pasted
OUT=$WORK/out
LOG=$WORK/log
SEED=${PASTE_SEED:-20261110}
FOUNDING="renewal-ambiguous smtp-not-enabled near-miss-renewal-new-subject
    near-miss-smtp-enabled"

. "$SRC/tests/tap.sh"

rm -rf "$WORK"
mkdir -p "$OUT/clean" "$OUT/pasted" "$CLEAN"
: >"$LOG"
: >"$WORK/failed"

if [ ! -x "$BIN" ]; then
	echo "$BIN was not built" >"$LOG"
	fail "certtrail binary exists"
	echo "1..$n"
	exit 0
fi

check "paste.py --selftest" "$PY" "$SRC/testdata/paste.py" --selftest
check "generate the rule scenario bundles" "$PY" "$SRC/testdata/gen_rules.py" "$CLEAN"
check "generate the founding bundles" "$PY" "$SRC/testdata/gen_bundles.py" \
    "$WORK/founding"
for b in $FOUNDING; do
	cp "$WORK/founding/$b.zip" "$WORK/founding/$b.expected.json" "$CLEAN/"
done
check "generate the three-server bundle" "$PY" "$SRC/testdata/gen_servers.py" "$CLEAN"
check "paste every bundle (seed $SEED)" sh -c "'$PY' '$SRC/testdata/paste.py' \
    --seed $SEED --all '$CLEAN' '$PASTED' >'$WORK/variants'"
if [ ! -s "$WORK/variants" ]; then
	echo "Bail out! paste.py wrote no variant"
	exit 1
fi

# certtrail DIR NAME OUTDIR: reads DIR/NAME.zip at the bundle's as-of time.
certtrail() {
	as_of=$("$PY" "$CF" get "$1/$2.expected.json" as_of)
	(cd "$1" && "$BIN" --no-progress --as-of "$as_of" -o "$3" "$2.zip") \
	    >"$3.stdout" 2>"$3.stderr"
}

# verdict DESC CMD...: check, and remember a failure under the
# transformation of the variant named in DESC.
verdict() {
	before=$failed
	check "$@"
	if [ "$failed" -ne "$before" ]; then
		echo "$1" >>"$WORK/failed"
	fi
}

for exp in "$CLEAN"/*.expected.json; do
	name=$(basename "$exp" .expected.json)
	if certtrail "$CLEAN" "$name" "$OUT/clean/$name"; then
		pass "$name (clean): certtrail exits 0"
	else
		cp "$OUT/clean/$name.stderr" "$LOG"
		fail "$name (clean): certtrail exits 0"
		continue
	fi
	check "$name (clean): findings, root cause and verdict as expected" \
	    "$PY" "$SRC/tests/check_rules.py" "$OUT/clean/$name" "$exp" \
	    "$OUT/clean/$name.stdout"
done

while read -r v; do
	name=${v%.*}
	t=${v##*.}
	exp=$PASTED/$v.expected.json
	if [ ! -f "$OUT/clean/$name/findings.json" ]; then
		continue
	fi
	if [ "$t" = unchanged ]; then
		# The control: the clean bundle's records as check_paste.py reads
		# them, so a failure in a variant is the paste's, not the reader's.
		verdict "$name (clean): every record, date and count as check_paste.py reads it" \
		    "$PY" "$SRC/tests/check_paste.py" "$OUT/clean/$name" "$exp" \
		    --clean "$OUT/clean/$name"
		continue
	fi
	out=$OUT/pasted/$v
	if ! certtrail "$PASTED" "$v" "$out"; then
		verdict "$v: certtrail exits 0" sh -c "cat '$out.stderr'; exit 1"
		continue
	fi
	verdict "$v: findings, root cause and verdict as the paste leaves them" \
	    "$PY" "$SRC/tests/check_rules.py" "$out" "$exp" "$out.stdout"
	verdict "$v: warnings, thumbprints, records and counts after the paste" \
	    "$PY" "$SRC/tests/check_paste.py" "$out" "$exp" --clean "$OUT/clean/$name"
done <"$WORK/variants"

echo "1..$n"
if [ -s "$WORK/failed" ]; then
	echo "# failing checks per transformation:"
	sed -e 's/:.*//' -e 's/ (clean)/.unchanged/' -e 's/.*\.//' "$WORK/failed" |
	    sort | uniq -c | sed -e 's/^/#   /'
fi
exit 0

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
# the clean run), both through tests/check_variant.py. Prints TAP, then the
# failing checks per transformation.
#
# A check another part of certtrail owns and that still fails is listed in
# EXPECTED_FAIL below with that part: it is reported "# TODO" (expected to
# fail), and once it passes, as an unexpected pass that fails the suite
# until it is taken off the list.
#
# Environment: top_srcdir, top_builddir, PYTHON3, OPENSSL_BIN as for the
# other end-to-end scripts; PASTE_SEED chooses other pastes (default
# 20261110). The default run gives the 120-day healthy-org scenario its
# control and its all-in-one variant only; PASTE_FULL=1 runs its variant of
# every transformation too. Work files stay in
# $top_builddir/tests/e2e_paste.work.

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
FULL=${PASTE_FULL:-0}
# Bundles whose one-transformation variants only the full run checks.
BIG="healthy-org"
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

# Checks that fail because another part has not done its work yet: the
# part, a tab, the check's description. Only other parts' checks belong
# here; none is left.
EXPECTED_FAIL=''

# owner DESC: the part an expected failure belongs to, or nothing.
owner() {
	printf '%s\n' "$EXPECTED_FAIL" | awk -F '\t' -v d="$1" \
	    '$2 == d { print $1; exit }'
}

# result DESC OK LOGFILE: one TAP result, "# TODO" when another part owns
# it; a failure is remembered under the variant's transformation.
result() {
	part=$(owner "$1")
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n - $1${part:+ # TODO $part part}"
		return
	fi
	echo "not ok $n - $1${part:+ # TODO $part part}"
	sed -e 's/^/# /' "$3" | head -n 60
	if [ -z "$part" ]; then
		failed=$((failed + 1))
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
		"$PY" "$SRC/tests/check_paste.py" "$OUT/clean/$name" "$exp" \
		    --clean "$OUT/clean/$name" >"$LOG" 2>&1
		result "$name (clean): every record, date and count as check_paste.py reads it" \
		    $? "$LOG"
		continue
	fi
	case " $BIG " in
	*" $name "*)
		[ "$FULL" = 1 ] || [ "$t" = pasted ] || continue ;;
	esac
	out=$OUT/pasted/$v
	if ! certtrail "$PASTED" "$v" "$out"; then
		result "$v: certtrail exits 0" 1 "$out.stderr"
		continue
	fi
	"$PY" "$SRC/tests/check_variant.py" "$out" "$exp" "$out.stdout" \
	    "$OUT/clean/$name" "$out.rules" "$out.paste" 2>"$LOG"
	bits=$?
	[ -s "$LOG" ] && cat "$LOG" >>"$out.rules"
	result "$v: findings, root cause and verdict as the paste leaves them" \
	    $((bits > 3 || bits % 2)) "$out.rules"
	result "$v: warnings, thumbprints, records and counts after the paste" \
	    $((bits > 3 || bits / 2 % 2)) "$out.paste"
done <"$WORK/variants"

echo "1..$n"
if [ -s "$WORK/failed" ]; then
	echo "# failing checks per transformation:"
	sed -e 's/:.*//' -e 's/ (clean)/.unchanged/' -e 's/.*\.//' "$WORK/failed" |
	    sort | uniq -c | sed -e 's/^/#   /'
fi
exit 0

#!/bin/sh
# A protocol log read in pieces, while the walk decompresses the rest of it,
# must give the same reports as the log read whole, wherever the pieces are
# cut: in a line, between CR and LF, in a UTF-8 character. Every bundle of
# the samples, the real-evidence corpus (each folder as it is, and zipped
# here), the expert scenarios and a busy generated bundle goes through
# certtrail four times: every entry read whole
# (CERTTRAIL_TEST_PIECE_BYTES past any entry's size), as it comes (logs past
# 256 KiB in pieces), and every log in pieces of 7 bytes and of 4099 bytes.
# findings.json, report.html, report.xlsx and the standard output must be
# the same bytes each time. Then the busy bundle cut short in its largest
# log, as a download is (tests/check_pieces_cut.py). Prints TAP.
#
# Environment (as `make check` sets it): top_srcdir, top_builddir, PYTHON3,
# OPENSSL_BIN. Run from a build directory: top_srcdir=SRC tests/e2e_pieces.sh

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
OPENSSL_BIN=${OPENSSL_BIN:-openssl}
export OPENSSL_BIN
BIN=$BUILD/src/certtrail
CF=$SRC/tests/check_findings.py
WORK=$BUILD/tests/e2e_pieces.work
B=$WORK/bundles
LOG=$WORK/log
AS_OF=2026-11-04T12:00:00Z
WHOLE=1073741824

. "$SRC/tests/tap.sh"

rm -rf "$WORK"
mkdir -p "$B"
: >"$LOG"

if [ ! -x "$BIN" ]; then
	echo "$BIN was not built" >"$LOG"
	fail "certtrail binary exists"
	echo "1..$n"
	exit 0
fi

# The real-evidence folders, zipped (deflate, names in byte order).
check "zip the real-evidence bundles" "$PY" -c '
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    top = os.path.join(src, name)
    with zipfile.ZipFile(os.path.join(out, "real-" + name + ".zip"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for d, dirs, files in os.walk(top):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(d, f)
                z.write(p, os.path.relpath(p, src))
' "$SRC/testdata/realdata/bundles" "$B"
check "generate a busy bundle" "$PY" "$SRC/testdata/gen_busy.py" "$B/busy.zip"
check "generate the expert scenario bundles" "$PY" "$SRC/testdata/gen_expert.py" \
    "$WORK/expert"
cp "$SRC"/testdata/sample/*.zip "$B/"

# run MODE NAME INPUTS...: certtrail's reports into $WORK/MODE/NAME.
run() {
	mode=$1 name=$2
	shift 2
	mkdir -p "$WORK/$mode"
	case $mode in
	whole) bytes=$WHOLE ;;
	default) bytes= ;;
	*) bytes=$mode ;;
	esac
	(cd "$WORK/$mode" && CERTTRAIL_TEST_PIECE_BYTES=$bytes "$BIN" \
	    --no-progress --as-of "$AS_OF" -o "$name" "$@") \
	    >"$WORK/$mode/$name.stdout" 2>"$WORK/$mode/$name.stderr"
}

# same MODE NAME: MODE's reports and output are the whole run's.
same() {
	: >"$LOG"
	for f in findings.json report.html report.xlsx; do
		cmp "$WORK/whole/$2/$f" "$WORK/$1/$2/$f" >>"$LOG" 2>&1
	done
	cmp "$WORK/whole/$2.stdout" "$WORK/$1/$2.stdout" >>"$LOG" 2>&1
	if [ -s "$LOG" ]; then
		diff "$WORK/whole/$2.stdout" "$WORK/$1/$2.stdout" >>"$LOG" 2>&1
		fail "$2: logs in pieces ($1) give the reports read whole"
	else
		pass "$2: logs in pieces ($1) give the reports read whole"
	fi
}

# each NAME INPUTS...: the four runs and their comparisons.
each() {
	name=$1
	shift
	run whole "$name" "$@"
	if [ ! -s "$WORK/whole/$name/findings.json" ]; then
		cp "$WORK/whole/$name.stderr" "$LOG"
		fail "$name: certtrail writes its reports"
		return
	fi
	for mode in default 7 4099; do
		run "$mode" "$name" "$@"
		same "$mode" "$name"
	done
}

for zip in "$B"/*.zip; do
	each "$(basename "$zip" .zip)" "$zip"
done
for dir in "$SRC"/testdata/realdata/bundles/*/; do
	dir=${dir%/}
	each "dir-$(basename "$dir")" "$dir"
done
for exp in "$WORK"/expert/*.expected.json; do
	name=$(basename "$exp" .expected.json)
	inputs=$("$PY" "$CF" get "$exp" inputs | sed -e "s|^|$WORK/expert/|" |
	    tr '\n' ' ')
	# shellcheck disable=SC2086 # the inputs are file names without spaces
	each "expert-$name" $inputs
done

check "a log cut short keeps what was read of it, and the reports say so" \
    "$PY" "$SRC/tests/check_pieces_cut.py" "$B/busy.zip" "$WORK/cut" "$BIN"

echo "1..$n"

#!/bin/sh
# Protocol logs given more than once. The sample bundle given zipped and
# extracted together is counted once: the log figures are those of the zip
# alone, and every copy is named, read whole and in pieces (the copy is told
# from its first bytes, then its hash). Two logs that begin the same and
# differ later are both counted in full. A copy certtrail cannot tell in time
# (a log after a page of blank lines is read with other text) counts twice,
# and a warning says so. tests/check_logcopies.py holds the expectations,
# counted from the files. Prints TAP.
#
# Environment (as `make check` sets it): top_srcdir, top_builddir, PYTHON3.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
CHECK=$SRC/tests/check_logcopies.py
WORK=$BUILD/tests/e2e_logcopies.work
LOG=$WORK/log
AS_OF=2026-11-20T00:00:00Z
ZIP=exhub1-smtp-not-enabled.zip
# A log of the sample longer than the 4 KiB that tell a possible copy.
SENDLOG=EXHUB1/SmtpSend/SEND2026110107-1.LOG

. "$SRC/tests/tap.sh"

rm -rf "$WORK"
mkdir -p "$WORK/in/twice/extracted"
: >"$LOG"

# run OUT ARGS...: certtrail's reports of ARGS into $WORK/OUT, its standard
# output and error in $WORK/OUT.stdout and .stderr.
run() {
	out=$1
	shift
	"$BIN" --no-progress --as-of "$AS_OF" -o "$WORK/$out" "$@" \
	    >"$WORK/$out.stdout" 2>"$WORK/$out.stderr"
}

# warns OUT PATTERN: the standard error of run OUT holds PATTERN.
warns() {
	cp "$WORK/$1.stderr" "$LOG"
	grep -q "$2" "$LOG"
}

cp "$SRC/testdata/sample/$ZIP" "$WORK/in/twice/"
check "extract the sample beside its zip" "$PY" -c '
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
' "$WORK/in/twice/$ZIP" "$WORK/in/twice/extracted"

check "the sample alone" run once "$WORK/in/twice/$ZIP"
check "the sample zipped and extracted" run twice "$WORK/in/twice"
if warns twice "counted more than once"; then
	fail "given twice: no warning of figures counted twice"
else
	pass "given twice: no warning of figures counted twice"
fi
logs=$("$PY" -c '
import sys, zipfile
print(sum(1 for n in zipfile.ZipFile(sys.argv[1]).namelist()
          if n.upper().endswith(".LOG")))
' "$WORK/in/twice/$ZIP")
cp "$WORK/twice.stdout" "$LOG"
if grep -qx "$logs protocol logs repeat the bytes of another read before, and are counted once (see the manifest)" "$LOG" &&
    ! grep -q "protocol logs repeat" "$WORK/once.stdout"; then
	pass "given twice: standard output says how many logs were counted once"
else
	fail "given twice: standard output says how many logs were counted once"
fi
check "given twice: counted once, every copy named" \
    "$PY" "$CHECK" copies "$WORK/once" "$WORK/twice" "$WORK/in/twice/$ZIP" \
    "$WORK/in/twice"
check "given twice, every log in pieces of 1000 bytes" \
    env CERTTRAIL_TEST_PIECE_BYTES=1000 "$BIN" --no-progress \
    --as-of "$AS_OF" -o "$WORK/pieces" "$WORK/in/twice"
check "in pieces: counted once, every copy named" \
    "$PY" "$CHECK" copies "$WORK/once" "$WORK/pieces" "$WORK/in/twice/$ZIP" \
    "$WORK/in/twice"
check "in pieces: the same findings.json as read whole" \
    cmp "$WORK/twice/findings.json" "$WORK/pieces/findings.json"

# One log, and the same log collected later with three more rows: both
# are read in full, whole and in pieces, and the warning says the rows they
# share are counted twice. Then the grown one read first.
G=$WORK/in/grown
mkdir -p "$G/a/$(dirname $SENDLOG)" "$G/b/$(dirname $SENDLOG)"
cp "$WORK/in/twice/extracted/$SENDLOG" "$G/a/$SENDLOG"
cp "$G/a/$SENDLOG" "$G/b/$SENDLOG"
tail -n 3 "$G/a/$SENDLOG" >>"$G/b/$SENDLOG"
check "a log alone" run grown-a "$G/a"
check "the log grown by three rows, alone" run grown-b "$G/b"
check "both" run grown-both "$G"
check "a log and the same grown: both counted in full" \
    "$PY" "$CHECK" grown "$WORK/grown-a" "$WORK/grown-b" "$WORK/grown-both" \
    "$G/a/$SENDLOG" "$G/b/$SENDLOG"
check "both, in pieces of 1000 bytes" env CERTTRAIL_TEST_PIECE_BYTES=1000 \
    "$BIN" --no-progress --as-of "$AS_OF" -o "$WORK/grown-pieces" "$G"
check "in pieces: both counted in full" \
    "$PY" "$CHECK" grown "$WORK/grown-a" "$WORK/grown-b" \
    "$WORK/grown-pieces" "$G/a/$SENDLOG" "$G/b/$SENDLOG"
S=$WORK/in/shrunk
mkdir -p "$S/a/$(dirname $SENDLOG)" "$S/b/$(dirname $SENDLOG)"
cp "$G/b/$SENDLOG" "$S/a/$SENDLOG"
cp "$G/a/$SENDLOG" "$S/b/$SENDLOG"
check "the grown log first, then the first" run shrunk "$S"
check "the grown log first: both counted in full" \
    "$PY" "$CHECK" grown "$WORK/grown-b" "$WORK/grown-a" "$WORK/shrunk" \
    "$S/a/$SENDLOG" "$S/b/$SENDLOG"

# The log after 40000 blank lines, twice: its first 64 KiB do not show it
# is a log, so it is read with other text, whose copies go uncounted.
U=$WORK/in/uncaught
mkdir -p "$U/a" "$U/b"
check "a log after a page of blank lines, in two folders" "$PY" -c '
import sys
with open(sys.argv[1], "rb") as f:
    data = b"\r\n" * 40000 + f.read()
for out in sys.argv[2:]:
    with open(out, "wb") as f:
        f.write(data)
' "$G/a/$SENDLOG" "$U/a/SEND.LOG" "$U/b/SEND.LOG"
check "the log twice, not told in time" run uncaught "$U"
check "not told in time: counted twice, and said" \
    "$PY" "$CHECK" uncaught "$WORK/uncaught" "$U/a/SEND.LOG"
if warns uncaught "^certtrail: warning: 1 protocol log repeats the bytes of another read before (.*b/SEND.LOG, the same as .*a/SEND.LOG): its rows are counted more than once in every log figure; give each log once$"; then
	pass "not told in time: the warning on standard error"
else
	fail "not told in time: the warning on standard error"
fi

echo "1..$n"

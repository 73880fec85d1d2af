#!/bin/sh
# End-to-end test of the application event logs: a bundle of event exports
# from two servers (testdata/gen_events.py: wevtutil RenderedXml, plain XML in
# UTF-16LE, wevtutil text, Get-WinEvent | Format-List) and a real .evtx goes
# through the real binary; tests/check_events.py checks what it reports.
# Prints TAP for automake's TAP driver.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
WORK=$BUILD/tests/e2e_events.work
B=$WORK/bundles
LOG=$WORK/log
EVTX=$SRC/testdata/evtx/Application_no_crc32.evtx
BAD_EVTX=$SRC/testdata/evtx/MSExchange_Management_wec.evtx

. "$SRC/tests/tap.sh"

# Whether this build reads .evtx: the configure summary is in config.h.
has_libevtx() {
	grep -q '^#define HAVE_LIBEVTX 1' "$BUILD/config.h"
}

rm -rf "$WORK"
mkdir -p "$WORK/out"
: >"$LOG"

if has_libevtx; then
	check "generate the event bundle" "$PY" "$SRC/testdata/gen_events.py" \
	    --evtx "$EVTX" "$B"
else
	check "generate the event bundle" "$PY" "$SRC/testdata/gen_events.py" "$B"
fi

check "certtrail reads the event bundle" "$BIN" --no-progress \
    --as-of 2026-11-20 -o "$WORK/out/events" "$B/events-bundle.zip"
check "events on two servers, twins across exports counted once" \
    "$PY" "$SRC/tests/check_events.py" "$WORK/out/events" \
    "$B/events-bundle.expected.json"

"$BIN" --no-progress --as-of 2026-11-20 -o "$WORK/out/again" \
    "$B/events-bundle.zip" >/dev/null 2>&1
check "the same bundle gives byte-identical findings.json" \
    cmp "$WORK/out/events/findings.json" "$WORK/out/again/findings.json"

# A log libevtx cannot read: said so, and listed as damaged (or, without
# libevtx, as unsupported).
"$BIN" --no-progress --as-of 2026-11-20 -o "$WORK/out/bad" "$BAD_EVTX" \
    >"$WORK/bad.stdout" 2>"$WORK/bad.stderr"
if has_libevtx; then
	check "an unreadable .evtx gets a diagnostic naming the record" \
	    grep -q "could not be read (the first, record 0" "$WORK/bad.stderr"
else
	check "without libevtx an .evtx gets a diagnostic saying so" \
	    grep -q "has no libevtx" "$WORK/bad.stderr"
fi

echo "1..$n"

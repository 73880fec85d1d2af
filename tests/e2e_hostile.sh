#!/bin/sh
# Hostile bundles (testdata/gen_hostile.py): each is analyzed by the real
# binary under a time and memory bound, and tests/check_hostile.py checks that
# every bad entry is named in the diagnostics and the manifest and that the
# evidence after it is still found. Two TAP results per bundle.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3,
# OPENSSL_BIN. Work files stay in $top_builddir/tests/e2e_hostile.work.
set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
OPENSSL_BIN=${OPENSSL_BIN:-openssl}
export OPENSSL_BIN
WORK=$BUILD/tests/e2e_hostile.work
B=$WORK/bundles

rm -rf "$WORK" && mkdir -p "$B" || exit 1
if ! "$PY" "$SRC/testdata/gen_hostile.py" "$B" >"$WORK/gen.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - generate the hostile bundles"
	sed -e 's/^/# /' "$WORK/gen.log" | tail -n 30
	exit 1
fi
set -- "$B"/*.hostile.json
echo "1..$(( $# * 2 ))"
n=1
failed=0
for spec in "$@"; do
	"$PY" "$SRC/tests/check_hostile.py" "$BUILD/src/certtrail" "$spec" "$WORK/out" \
	    "$n" || failed=$((failed + 1))
	n=$((n + 2))
done
[ "$failed" -eq 0 ]

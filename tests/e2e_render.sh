#!/bin/sh
# Render tests: report.html of each committed sample and of a busy bundle
# generated here, laid out by a real browser (headless Chromium) and printed
# to PDF, checked for what a reader sees: nothing wider than a 390 px phone
# or a 1366 px desktop (tables may scroll inside their own box, but the
# certificate table fits a desktop), tables that fit a printed page, a
# running header and footer on every printed page, the verdict and fix on
# page 1, no page left half empty, at most 4 printed pages for a case with
# one problem and 10 for any, the per-server grid, bounded lists, and the
# root cause sentence in the page.
# Prints TAP for automake's TAP driver.
#
# Needs chromium, pdfinfo and pdftotext (Debian: chromium, poppler-utils; the
# CI installs them). Without them the checks fail, saying so: a skipped render
# test would look like a passing one.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.
# Work files stay in $top_builddir/tests/e2e_render.work for inspection.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
CHECK=$SRC/tests/render_check.py
WORK=$BUILD/tests/e2e_render.work
LOG=$WORK/log
CUSTOMER="Contoso Ltd"
CASE="CASE-2611-0042"

# A printed page's text width in CSS px: A4 less 12 mm margins each side.
PRINT_WIDTH=703

. "$SRC/tests/tap.sh"

finish() {
	echo "1..$n"
	exit 0
}

# chromium ARGS...: headless, offline, with a fresh profile each time.
chromium_run() {
	profile=$(mktemp -d "$WORK/profile.XXXXXX")
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$profile" "$@" 2>>"$WORK/chromium.log"
	rc=$?
	rm -rf "$profile"
	return $rc
}

# layout HTML WIDTH [--print]: no element sticks out at this width.
layout() {
	html=$1
	width=$2
	tag=$(basename "$(dirname "$html")")-$width${3:+-print}
	"$PY" "$CHECK" frame "$html" "$WORK/$tag.frame.html" "$width" ${3:-} &&
	    chromium_run --window-size=1400,1000 --virtual-time-budget=10000 \
	    --dump-dom "file://$WORK/$tag.frame.html" >"$WORK/$tag.dom" &&
	    "$PY" "$CHECK" overflow "$WORK/$tag.dom" "$width"
}

# seen HTML FINDINGS: the page as Chromium builds it names the root cause
# and the case.
seen() {
	chromium_run --dump-dom "file://$1" >"$1.dom" &&
	    "$PY" "$CHECK" seen "$1.dom" "$2" "$CUSTOMER" "$CASE"
}

# ---------------------------------------------------------------------- setup

rm -rf "$WORK"
mkdir -p "$WORK"
: >"$LOG"

missing=""
for tool in chromium pdfinfo pdftotext; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	fail "render tools on PATH: missing$missing (Debian: apt-get install chromium poppler-utils)"
	finish
fi
if [ ! -x "$BIN" ]; then
	fail "certtrail binary exists"
	finish
fi

# report_checks NAME OUT: what a reader of OUT/report.html sees, on screen
# and on paper.
report_checks() {
	name=$1
	out=$2
	html=$out/report.html
	[ -f "$html" ] || return 0

	# What a reader sees: the page as Chromium builds it.
	check "$name: the page shows the root cause and the case" \
	    seen "$html" "$out/findings.json"

	check "$name: the first screen says the verdict, its impact and the fix; the timeline is drawn" \
	    "$PY" "$CHECK" first "$html" "$out/findings.json"

	check "$name: the server grid gives each server's checks their state, from the evidence" \
	    "$PY" "$CHECK" grid "$html" "$out/findings.json"

	check "$name: every list on the page is bounded, the rest counted" \
	    "$PY" "$CHECK" bounded "$html" "$out/findings.json"

	check "$name: certificates show days left, key size, and which the findings name" \
	    "$PY" "$CHECK" certificates "$html" "$out/findings.json"

	check "$name: nothing overflows a 390 px phone" layout "$html" 390
	check "$name: nothing overflows a 1366 px desktop" layout "$html" 1366
	check "$name: the certificate table needs no sideways scroll at 1366 px" \
	    "$PY" "$CHECK" noscroll "$WORK/$name-1366.dom" certificates
	check "$name: tables fit a printed page" layout "$html" "$PRINT_WIDTH" \
	    --print

	pdf=$WORK/$name.pdf
	check "$name: prints to PDF" chromium_run --no-pdf-header-footer \
	    --print-to-pdf="$pdf" "file://$html"
	if [ -s "$pdf" ]; then
		pdfinfo "$pdf" >"$WORK/$name.pdfinfo" 2>&1
		pages=$(sed -n 's/^Pages: *//p' "$WORK/$name.pdfinfo")
		echo "# $name: $pages printed pages"
		# At most 4 pages for a case with one problem, 10 for any
		# (render_check.py page_limit): the page grows with the
		# findings, never with the logs.
		check "$name: printed pages within bounds, with header, footer, verdict and fix on page 1, no page left half empty" \
		    "$PY" "$CHECK" pdf "$pdf" "$out/findings.json" "$CUSTOMER" 1 auto
	fi
}

for zip in "$SRC"/testdata/sample/*.zip; do
	name=$(basename "$zip" .zip)
	out=$WORK/$name
	check "$name: certtrail writes the report" "$BIN" --no-progress -q \
	    --as-of 2026-11-10 --case "$CASE" --customer "$CUSTOMER" \
	    --analyst "A. Analyst" -o "$out" "$zip"
	report_checks "$name" "$out"
done

# A busy organization, generated here (testdata/gen_busy.py): four servers,
# over 2,000 TLS outcome groups, two findings. Its page must stay as short
# as a small case's.
name=busy
out=$WORK/$name
check "$name: the generator writes the bundle" \
    "$PY" "$SRC/testdata/gen_busy.py" "$WORK/$name.zip"
check "$name: certtrail writes the report" "$BIN" --no-progress -q \
    --as-of 2026-11-10 --case "$CASE" --customer "$CUSTOMER" \
    --analyst "A. Analyst" -o "$out" "$WORK/$name.zip"
if [ -f "$out/findings.json" ]; then
	check "$name: the bundle holds at least 2,000 TLS outcome groups" \
	    "$PY" "$CHECK" groups "$out/findings.json" 2000
	report_checks "$name" "$out"
fi

# A healthy busy organization: the same servers and traffic, nothing fails.
# Thousands of successful groups print like a case with one problem.
name=healthy
out=$WORK/$name
check "$name: the generator writes the bundle" \
    "$PY" "$SRC/testdata/gen_busy.py" --healthy "$WORK/$name.zip"
check "$name: certtrail writes the report" "$BIN" --no-progress -q \
    --as-of 2026-11-10 --case "$CASE" --customer "$CUSTOMER" \
    --analyst "A. Analyst" -o "$out" "$WORK/$name.zip"
if [ -f "$out/findings.json" ]; then
	check "$name: the bundle holds at least 2,000 TLS outcome groups" \
	    "$PY" "$CHECK" groups "$out/findings.json" 2000
	report_checks "$name" "$out"
fi

# The real-evidence corpus (testdata/realdata/bundles), at the time its
# oracle judges it: each lays out on a phone and a desktop and prints within
# the same bounds.
for dir in "$SRC"/testdata/realdata/bundles/*/; do
	name=real-$(basename "$dir")
	out=$WORK/$name
	check "$name: certtrail writes the report" "$BIN" --no-progress -q \
	    --as-of 2026-11-04T12:00:00Z --case "$CASE" --customer "$CUSTOMER" \
	    -o "$out" "$dir"
	html=$out/report.html
	[ -f "$html" ] || continue
	check "$name: nothing overflows a 390 px phone" layout "$html" 390
	check "$name: nothing overflows a 1366 px desktop" layout "$html" 1366
	check "$name: the certificate table needs no sideways scroll at 1366 px" \
	    "$PY" "$CHECK" noscroll "$WORK/$name-1366.dom" certificates
	check "$name: the server grid gives each server's checks their state, from the evidence" \
	    "$PY" "$CHECK" grid "$html" "$out/findings.json"
	pdf=$WORK/$name.pdf
	check "$name: prints to PDF" chromium_run --no-pdf-header-footer \
	    --print-to-pdf="$pdf" "file://$html"
	if [ -s "$pdf" ]; then
		echo "# $name: $(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p') printed pages"
		check "$name: printed pages within bounds, with header, footer, verdict and fix on page 1, no page left half empty" \
		    "$PY" "$CHECK" pdf "$pdf" "$out/findings.json" "$CUSTOMER" 1 auto
	fi
done

# With --baseline (the sample compared with its own result): the comparison
# at the top of the page lays out like the rest of it.
name=exhub1-smtp-not-enabled
out=$WORK/$name-baseline
check "$name: certtrail --baseline writes the report" "$BIN" --no-progress -q \
    --as-of 2026-11-10 --case "$CASE" --customer "$CUSTOMER" \
    --baseline "$WORK/$name" -o "$out" "$SRC/testdata/sample/$name.zip"
if [ -f "$out/report.html" ]; then
	check "$name --baseline: nothing overflows a 390 px phone" \
	    layout "$out/report.html" 390
	check "$name --baseline: nothing overflows a 1366 px desktop" \
	    layout "$out/report.html" 1366
	check "$name --baseline: tables fit a printed page" \
	    layout "$out/report.html" "$PRINT_WIDTH" --print
fi

finish

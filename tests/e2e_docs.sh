#!/bin/sh
# The documentation against the program it describes (tests/check_docs.py):
# docs/contract.md against the table descriptions (tests/columns_dump) and
# against the findings.json the real binary writes for the committed samples,
# the generated export bundle (every kind of table) and a generated log
# bundle (every log group); the options of --help in the README and the
# contract; the rule tables against --list-rules; the README's length and its
# two opening commands; every link, document and source file the docs (the
# README, HACKING.md, docs/) name. Prints TAP.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.
# Work files stay in $top_builddir/tests/e2e_docs.work.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
DUMP=$BUILD/tests/columns_dump
CHECK=$SRC/tests/check_docs.py
WORK=$BUILD/tests/e2e_docs.work
LOG=$WORK/log

. "$SRC/tests/tap.sh"

run() {
	"$BIN" --no-progress -q --format json --as-of 2026-11-10T08:51:12Z \
	    -o "$2" "$1"
}

rm -rf "$WORK"
mkdir -p "$WORK"
: >"$LOG"

check "the table descriptions can be listed" sh -c "'$DUMP' >'$WORK/columns.tsv'"
check "docs/contract.md lists every column of every table, with its type" \
    "$PY" "$CHECK" contract "$WORK/columns.tsv" "$SRC/docs/contract.md"

check "generate the export bundle" "$PY" "$SRC/testdata/gen_exports.py" "$WORK/g"
check "generate the log bundle" \
    "$PY" "$SRC/testdata/gen_logs.py" "$WORK/g/logs.zip" --sessions 500
outs=""
for input in "$SRC/testdata/sample/contoso-renewal.zip" \
    "$SRC/testdata/sample/exhub1-smtp-not-enabled.zip" \
    "$WORK/g/exports.zip" "$WORK/g/logs.zip"; do
	name=$(basename "$input" .zip)
	check "$name: certtrail writes findings.json" run "$input" "$WORK/$name"
	outs="$outs $WORK/$name/findings.json"
done
# With --baseline (the sample compared with itself: persisting failures and queues).
check "exhub1-smtp-not-enabled: certtrail --baseline writes findings.json" \
    "$BIN" --no-progress -q --format json --as-of 2026-11-10T08:51:12Z \
    --baseline "$WORK/exhub1-smtp-not-enabled" -o "$WORK/baseline" \
    "$SRC/testdata/sample/exhub1-smtp-not-enabled.zip"
outs="$outs $WORK/baseline/findings.json"
# shellcheck disable=SC2086 # one argument per findings.json
check "docs/contract.md documents every key findings.json holds" \
    "$PY" "$CHECK" json "$SRC/docs/contract.md" $outs

check "certtrail --help" sh -c "'$BIN' --help >'$WORK/help.txt'"
check "the README and docs/contract.md document every option of --help" \
    "$PY" "$CHECK" options "$WORK/help.txt" "$SRC/README.md" \
    "$SRC/docs/contract.md"

check "certtrail --list-rules" sh -c "'$BIN' --list-rules >'$WORK/rules.txt'"
check "the README and docs/rules.md list every rule, in --list-rules' order" \
    "$PY" "$CHECK" rules "$WORK/rules.txt" "$SRC/README.md" "$SRC/docs/rules.md"

# The README's first command, run the way it prints it, from a folder of
# its own (the paths it prints are relative).
check "the README's sample command" sh -c "mkdir -p '$WORK/readme' && cd '$WORK/readme' && \
    '$BIN' --no-progress --as-of 2026-11-10 \
    '$SRC/testdata/sample/exhub1-smtp-not-enabled.zip' -o sample-report >'$WORK/summary.txt'"
check "the README and docs/contract.md show what it prints, line for line" \
    "$PY" "$CHECK" summary "$WORK/summary.txt" "$SRC/README.md" "$SRC/docs/contract.md"

check "the README is at most 2,000 words and opens with its two commands" \
    "$PY" "$CHECK" readme "$SRC/README.md"

check "every link leads somewhere and every document and source file named exists" \
    "$PY" "$CHECK" links "$SRC" "$SRC/README.md" "$SRC/HACKING.md" \
    "$SRC"/docs/*.md "$SRC/bench/README.md" "$SRC/testdata/README.md"

check "every document the sources name exists" \
    "$PY" "$CHECK" cited "$SRC" "$SRC/src" "$SRC/tests" "$SRC/testdata" \
    "$SRC/bench" "$SRC/tools"

echo "1..$n"

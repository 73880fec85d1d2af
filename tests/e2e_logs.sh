#!/bin/sh
# Exactness of the protocol log reader: a bundle of logs in every shape
# (testdata/gen_logs.py) goes through the real binary; every count in
# findings.json must equal the generator's truth and an independent count of
# the bundle (tests/check_logs.py). Also: real published log excerpts
# (testdata/realdata/protolog) counted by awk. Prints TAP.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
BIN=$BUILD/src/certtrail
WORK=$BUILD/tests/e2e_logs.work
LOG=$WORK/log
AS_OF=2026-11-10T00:00:00Z

. "$SRC/tests/tap.sh"

rm -rf "$WORK"
mkdir -p "$WORK"

check "generate the log bundle" \
    "$PY" "$SRC/testdata/gen_logs.py" "$WORK/logs.zip" --sessions 2500
check "certtrail reads it" \
    "$BIN" --no-progress --as-of "$AS_OF" -o "$WORK/out" "$WORK/logs.zip"
check "every count equals the generator's and an independent csv count" \
    "$PY" "$SRC/tests/check_logs.py" "$WORK/out/findings.json" \
    "$WORK/logs.truth.json" "$WORK/logs.zip"
check "the long line and the headerless fragment are reported with file and line" \
    "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))["diagnostics"]
assert any(x["source"].endswith("SEND2026110210-2.LOG") and
           "line too long" in x["message"] and x["message"].startswith("line ") for x in d), d
assert any(x["source"].endswith("pasted_fragment.txt") and x["level"] == "info" and
           "#Fields" in x["message"] for x in d), d
' "$WORK/out/findings.json"
check "a second run writes the same files" sh -c "
    '$BIN' --no-progress --as-of '$AS_OF' -o '$WORK/out2' '$WORK/logs.zip' &&
    cmp '$WORK/out/findings.json' '$WORK/out2/findings.json' &&
    cmp '$WORK/out/report.html' '$WORK/out2/report.html' &&
    cmp '$WORK/out/report.xlsx' '$WORK/out2/report.xlsx'"

# Real published logs: each excerpt's rows and TLS rows counted by awk.
REAL=$SRC/testdata/realdata/protolog
for f in "$REAL"/*.LOG "$REAL"/*.log; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	check "real log $name: counts equal an awk count" sh -c "
	    rm -rf '$WORK/real' && mkdir -p '$WORK/real' &&
	    '$BIN' --no-progress --as-of '$AS_OF' -o '$WORK/real/out' '$f' >/dev/null 2>&1 &&
	    '$PY' -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"log_summary\"][\"rows\"])' '$WORK/real/out/findings.json' >'$WORK/real/rows'
	    want=\$(awk '!/^#/ && NF > 0 { n++ } END { print n + 0 }' '$f')
	    got=\$(cat '$WORK/real/rows')
	    echo \"rows: certtrail \$got, awk \$want\"; test \"\$got\" = \"\$want\" || exit 1
	    want=\$(awk -F, '!/^#/ && /TLS protocol .* negotiation succeeded|TLS negotiation failed/ { n++ } END { print n + 0 }' '$f')
	    got=\$('$PY' -c 'import json,sys; d=json.load(open(sys.argv[1]))[\"log_summary\"]; print(d[\"tls_ok\"] + d[\"tls_failed\"])' '$WORK/real/out/findings.json')
	    echo \"TLS rows: certtrail \$got, awk \$want\"; test \"\$got\" = \"\$want\" || exit 1
	    want=\$(awk -F, '!/^#/ && NF > 0 { s[\$2 FS \$3] = 1 } END { print length(s) }' '$f')
	    got=\$('$PY' -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"log_summary\"][\"sessions\"])' '$WORK/real/out/findings.json')
	    echo \"sessions: certtrail \$got, awk \$want\"; test \"\$got\" = \"\$want\""
	check "real log $name: every aggregate with a SERVER\\Connector id names that server" \
	    "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for t in d["tls_outcomes"]:
    c = t["connector"] or ""
    if "\\" in c:
        assert t["server"] == c.split("\\")[0], t
print(len(d["tls_outcomes"]), "aggregates")
' "$WORK/real/out/findings.json"
	check "real log $name: the ciphers of the successes are those its rows name" \
	    "$PY" -c '
import json, re, sys
want = set()
for row in open(sys.argv[2], encoding="utf-8"):
    m = re.search(r"bulk encryption algorithm CALG_(\w+).*MAC hash algorithm "
                  r"CALG_(\w+).*key exchange algorithm CALG_(\w+)", row)
    if m:
        want.add(", ".join(m.groups()))
got = {t["cipher"] for t in json.load(open(sys.argv[1]))["tls_outcomes"]
       if t["outcome"] == "ok" and t["cipher"] is not None}
print("ciphers:", sorted(got), "rows name:", sorted(want))
assert got == want
' "$WORK/real/out/findings.json" "$f"
done

# Every command the runs above printed runs as printed (tests/check_commands.py).
# shellcheck disable=SC2046 # the work files have no spaces in their names
check "every remediation and collect command runs as printed" \
    "$PY" "$SRC/tests/check_commands.py" --gaps $(find "$WORK" -name findings.json | sort)

echo "1..$n"
exit 0

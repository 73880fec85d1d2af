#!/bin/sh
# End-to-end test of per-server evidence: a three-server bundle from
# testdata/gen_servers.py (collector zips, folders, file-name prefixes, signed
# SerializationData, the table view, .p7b and PEM files) goes through the real
# binary; tests/check_findings.py checks the output contract and the expected
# findings, gen_servers.py --check each server's inventory. Prints TAP.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3,
# OPENSSL_BIN. Work files stay in $top_builddir/tests/e2e_servers.work.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
OPENSSL_BIN=${OPENSSL_BIN:-openssl}
export OPENSSL_BIN
BIN=$BUILD/src/certtrail
WORK=$BUILD/tests/e2e_servers.work
LOG=$WORK/log
AS_OF=2026-11-10T09:00:00Z

n=0

check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@" >"$LOG" 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed -e 's/^/# /' "$LOG" | head -n 60
	fi
}

run_certtrail() {
	(cd "$WORK" && "$BIN" --no-progress --as-of "$AS_OF" -o "$1" servers.zip)
}

rm -rf "$WORK"
mkdir -p "$WORK"
check "generate the three-server bundle" "$PY" "$SRC/testdata/gen_servers.py" "$WORK"
check "certtrail reads it" run_certtrail out
check "findings.json, report.html and report.xlsx hold what they must" \
    "$PY" "$SRC/tests/check_findings.py" check "$WORK/out" \
    "$WORK/servers.expected.json" --base "$WORK"
check "every server's inventory is complete and right" \
    "$PY" "$SRC/testdata/gen_servers.py" --check "$WORK/out/findings.json" \
    "$WORK/servers.expected.json"
check "signed SerializationData gives the oracle services, status and root CA type" \
    "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = {"611C687DFC4343A5A03E0005A1EC6E9B6AFF586D": (["IMAP", "POP", "IIS"], "Registry"),
        "03221367D3A3E863698501592A9B9C420D8D3F4E": (["SMTP"], "None")}
got = {c["thumbprint"]: c for c in d["certificates"] if c["server"] == "WIN-CTD3L0RGEN4"}
for tp, (svc, root) in want.items():
    c = got[tp]
    assert c["services"] == svc and c["root_ca_type"] == root and c["status"] == "Valid", c
' "$WORK/out/findings.json"
check "the table view's cut subject is shown as cut" \
    grep -q '<span class="tag">cut in export</span>' "$WORK/out/report.html"
check "a second run writes byte-identical files" sh -c "
    cd '$WORK' && '$BIN' --no-progress --as-of '$AS_OF' -o out2 servers.zip >/dev/null &&
    cmp out/findings.json out2/findings.json && cmp out/report.html out2/report.html &&
    cmp out/report.xlsx out2/report.xlsx"

# Every command the runs above printed runs as printed (tests/check_commands.py).
# shellcheck disable=SC2046 # the work files have no spaces in their names
check "every remediation and collect command runs as printed" \
    "$PY" "$SRC/tests/check_commands.py" --gaps $(find "$WORK" -name findings.json | sort)

echo "1..$n"

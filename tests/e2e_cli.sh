#!/bin/sh
# Command-line tests for a newcomer's mistakes, and the man page against
# --help: a missing INPUT is a usage error in one line; an unknown option
# gets the closest one; an input with no Exchange evidence says what was read
# and what was expected; certtrail.1 documents every option --help lists.
# Prints TAP for automake's TAP driver.
#
# Environment (set by `make check`): top_srcdir, top_builddir.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
BIN=$BUILD/src/certtrail
WORK=$BUILD/tests/e2e_cli.work
ERR=$WORK/stderr

n=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed -e 's/^/# /' "$ERR" | head -n 20
	fi
}

# expect DESC STATUS PATTERN ARGS...: certtrail ARGS exits STATUS and its
# standard error matches the extended regular expression PATTERN.
expect() {
	desc=$1
	want=$2
	pattern=$3
	shift 3
	"$BIN" --no-progress "$@" >"$WORK/stdout" 2>"$ERR"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "exit status $rc, want $want" >>"$ERR"
		ok 1 "$desc"
	elif ! grep -Eq -- "$pattern" "$ERR"; then
		echo "stderr does not match: $pattern" >>"$ERR"
		ok 1 "$desc"
	else
		ok 0 "$desc"
	fi
}

rm -rf "$WORK"
mkdir -p "$WORK/notes"

expect "a missing INPUT is a usage error" 2 \
    "^certtrail: cannot open input '$WORK/nosuch.zip': No such file" \
    "$WORK/nosuch.zip"
lines=$(wc -l <"$ERR")
[ "$lines" -eq 1 ]
ok $? "a missing INPUT is said in one line"

expect "a misspelt option gets the closest one" 2 \
    "did you mean '--format'\\?" --fromat json "$WORK/notes"
expect "a misspelt option with a value gets the closest one" 2 \
    "unknown option '--custmer'; did you mean '--customer'\\?" \
    --custmer=Contoso "$WORK/notes"
expect "an ambiguous prefix lists what it could be" 2 \
    "'--max' is ambiguous; it could be --max-total-bytes .*--max-entries" \
    --max 3 "$WORK/notes"
expect "an option far from any other points to --help" 2 \
    "unknown option '--zzzzzz'; try 'certtrail --help'" --zzzzzz \
    "$WORK/notes"

printf 'call the customer back on Monday\n' >"$WORK/notes/todo.txt"
printf 'mailbox sizes\n' >"$WORK/notes/sizes.txt"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\2\0\0\0' \
    >"$WORK/notes/screenshot.png"
expect "no Exchange evidence says what was read" 3 \
    "^certtrail: read 3 entries: 2 text files, 1 binary file; none is Exchange evidence$" \
    "$WORK/notes"
expect "no Exchange evidence says what was expected" 3 \
    "expected Get-ExchangeCertificate, Get-SendConnector or Get-Queue output" \
    "$WORK/notes"

# Entries kept from being read (a limit, damage) are counted apart: they are
# neither "not Exchange evidence" nor a sign of an empty input. -q keeps the
# errors. An archive is a container, not an entry of its own.
mkdir -p "$WORK/limits/EX01" "$WORK/nested"
awk 'BEGIN { for (i = 0; i < 4000; i++) printf "2026-11-03T10:%02d:00.000Z,Outbound,08DD00000000%04d,0,10.0.0.1:1000,192.0.2.1:25,*,,attempting to connect\n", i % 60, i }' \
    >"$WORK/limits/EX01/SEND2026110310-1.LOG"
"${PYTHON3:-python3}" - "$WORK" <<'PY'
import os, sys, zipfile
w = sys.argv[1]
with zipfile.ZipFile(os.path.join(w, "limits.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.write(os.path.join(w, "limits/EX01/SEND2026110310-1.LOG"), "EX01/SEND2026110310-1.LOG")
data = open(os.path.join(w, "limits.zip"), "rb").read()
open(os.path.join(w, "cut.zip"), "wb").write(data[:2000])
with zipfile.ZipFile(os.path.join(w, "nested/notes.zip"), "w") as z:
    z.writestr("todo.txt", "call the customer back on Monday\n")
PY
expect "an entry over a limit is counted as not read, not as unrecognised" 3 \
    "^certtrail: read 0 entries; 1 entry could not be read \(the messages above say why\)$" \
    --max-entry-bytes 100K "$WORK/limits.zip"
! grep -Eq "input is empty|unrecognised|expected Get-ExchangeCertificate" "$ERR"
ok $? "an entry over a limit: no \"empty input\", no \"unrecognised\", no list of what to collect"
expect "-q still prints an error: a damaged archive" 3 \
    "^certtrail: error: .*cut\.zip: archive damaged or truncated" \
    -q "$WORK/cut.zip"
expect "a damaged archive: what was lost is counted, and -q says how to see why" 3 \
    "^certtrail: read 0 entries; (1 entry could not be read, and )?the rest of 1 archive was not read \(run without -q to see why\)$" \
    -q "$WORK/cut.zip"
expect "an archive in a folder is not counted as an entry" 3 \
    "^certtrail: read 1 entry: 1 text file; it is not Exchange evidence$" \
    "$WORK/nested"

# Evidence recognized but not read is no reason for status 3: it is named
# with why, the reports are written, the verdict is "not judged", and the
# manifest says the entry was not read.
mkdir -p "$WORK/hc"
printf '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox</T><T>Deserialized.System.Object</T></TN><Props><S N="Name">Administrator</S></Props></Obj></Objs>\n' \
    >"$WORK/hc/mailboxes.xml"
cp "$WORK/notes/todo.txt" "$WORK/hc/"
expect "recognized evidence is named, with why it was not read" 0 \
    "^certtrail:   1 export of Exchange objects: " \
    -o "$WORK/hc-out" "$WORK/hc"
"${PYTHON3:-python3}" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"]["state"] == "not_judged", d["verdict"]
st = {e["path"].split("/")[-1]: (e["status"], e["why"]) for e in d["entries"]}
assert st["mailboxes.xml"][0] == "unsupported", st
assert st["todo.txt"][0] == "read", st
' "$WORK/hc-out/findings.json" >"$ERR" 2>&1
ok $? "the reports are written: verdict not judged, the manifest says what was not read"
expect "text that is nothing certtrail knows still gives status 3" 3 \
    "it is not Exchange evidence" "$WORK/hc/todo.txt"

# Get-AuthConfig as pasted under a prompt is read: its certificates are kept.
mkdir -p "$WORK/auth"
printf '[PS] C:\\>Get-AuthConfig | Format-List\n\nCurrentCertificateThumbprint  : 3C1A0D5B0E8E7F5C9E0C0B2A1D6E4F3A2B1C0D9E\nPreviousCertificateThumbprint :\nNextCertificateThumbprint     :\nNextCertificateEffectiveDate  :\nServiceName                   : 00000002-0000-0ff1-ce00-000000000000\n' \
    >"$WORK/auth/getauthconfig.txt"
"$BIN" --no-progress -o "$WORK/auth-out" "$WORK/auth" >/dev/null 2>"$ERR"
"${PYTHON3:-python3}" -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = d["auth_configs"]
assert len(a) == 1 and a[0]["current_certificate_thumbprint"] == \
    "3C1A0D5B0E8E7F5C9E0C0B2A1D6E4F3A2B1C0D9E", a
assert a[0]["next_certificate_thumbprint"] is None, a
' "$WORK/auth-out/findings.json" >>"$ERR" 2>&1
ok $? "Get-AuthConfig pasted under a prompt is read"

# Every long option of --help is in the man page, which is valid roff.
"$BIN" --help >"$WORK/help" 2>"$ERR"
opts=$(grep -Eo -- '--[a-z][a-z-]+' "$WORK/help" | sort -u)
missing=""
for o in $opts; do
	# The man page escapes hyphens: --as-of is \-\-as\-of.
	roff=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
	grep -q -- "$roff" "$SRC/man/certtrail.1" || missing="$missing $o"
done
echo "options missing from certtrail.1:$missing" >"$ERR"
[ -z "$missing" ] && [ -n "$opts" ]
ok $? "certtrail.1 documents every option of --help"
missing=""
for status in 0 1 2 3 4; do
	grep -q "^\\.B $status\$" "$SRC/man/certtrail.1" || missing="$missing $status"
done
echo "exit statuses missing from certtrail.1:$missing" >"$ERR"
[ -z "$missing" ]
ok $? "certtrail.1 documents every exit status"
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$SRC/man/certtrail.1" >"$ERR" 2>&1 &&
	    [ ! -s "$ERR" ]
	ok $? "certtrail.1 formats without warnings"
fi

echo "1..$n"

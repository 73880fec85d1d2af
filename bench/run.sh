#!/bin/sh
# Benchmark: certtrail on a large generated bundle (bench/gen_bench.py).
#
#   bench/run.sh PATH/TO/certtrail
#
# Environment: BENCH_DIR (default /tmp/certtrail-bench), BENCH_SERVERS (4),
# BENCH_MIB (256 MiB of send logs per server), PYTHON3 (python3).
# Generates the bundle once and reuses it. Needs GNU time (Debian: apt-get
# install time) for the maximum resident set size. Builds nothing.

set -eu

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 PATH/TO/certtrail" >&2
	exit 2
fi
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON3:-python3}
DIR=${BENCH_DIR:-/tmp/certtrail-bench}
SERVERS=${BENCH_SERVERS:-4}
MIB=${BENCH_MIB:-256}
BUNDLE=$DIR/bench-${SERVERS}x${MIB}.zip
META=$DIR/bench-${SERVERS}x${MIB}.json
OUT=$DIR/report
TIME=/usr/bin/time

if [ ! -x "$TIME" ]; then
	echo "$0: $TIME not found (Debian: apt-get install time)" >&2
	exit 2
fi

mkdir -p "$DIR"
if [ ! -f "$BUNDLE" ] || [ ! -f "$META" ]; then
	echo "generating $BUNDLE ($SERVERS servers x $MIB MiB of send logs)..." >&2
	"$PY" "$HERE/gen_bench.py" "$BUNDLE" --servers "$SERVERS" --mib "$MIB"
fi

AS_OF=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$META")
rm -rf "$OUT"
set +e
"$TIME" -v "$BIN" --no-progress --as-of "$AS_OF" -o "$OUT" "$BUNDLE" \
    >"$DIR/stdout.txt" 2>"$DIR/time.txt"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
	echo "certtrail exited $rc; see $DIR/time.txt" >&2
	tail -n 30 "$DIR/time.txt" >&2
	exit 1
fi

"$PY" - "$META" "$DIR/time.txt" "$OUT/findings.json" "$BUNDLE" <<'EOF'
import json, os, re, sys

meta = json.load(open(sys.argv[1]))
timing = open(sys.argv[2], encoding="utf-8", errors="replace").read()
doc = json.load(open(sys.argv[3]))


def field(label):
    m = re.search(r"^\s*" + re.escape(label) + r":\s*(.+)$", timing, re.M)
    return m.group(1).strip() if m else None


wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
rss_kib = int(field("Maximum resident set size (kbytes)"))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
ls = doc.get("log_summary", {})
rows = ls.get("rows") or meta["rows"]
mib = meta["log_bytes"] / (1 << 20)
print("bundle        %s (%.1f MiB compressed)" % (sys.argv[4], os.path.getsize(sys.argv[4]) / (1 << 20)))
print("log input     %.1f MiB in %d files, %d rows, %d sessions (%d servers)" % (
    mib, meta["files"], meta["rows"], meta["sessions"], meta["servers"]))
print("certtrail     rows read %s, sessions %s, TLS ok %s, failed %s" % (
    ls.get("rows"), ls.get("sessions"), ls.get("tls_ok"), ls.get("tls_failed")))
print("wall time     %.2f s (CPU %.2f s)" % (secs, cpu))
print("throughput    %.1f MiB/s of log input, %.0f rows/s" % (mib / secs, rows / secs))
print("max RSS       %.1f MiB" % (rss_kib / 1024))
EOF

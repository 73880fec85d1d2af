#!/bin/sh
# Benchmark: certtrail against merely decompressing the same bundle
# (bsdtar -xOf BUNDLE > /dev/null), pair by pair in the same run, at 256 MiB
# and at 1 GiB of protocol logs (bench/gen_bench.py).
#
#   bench/run.sh PATH/TO/certtrail
#
# Environment: BENCH_DIR (default /tmp/certtrail-bench), BENCH_SERVERS (4),
# BENCH_SIZES ("64 256": MiB of send logs per server, i.e. 256 MiB and 1 GiB
# in all), BENCH_RUNS (5 pairs per size), PYTHON3 (python3).
# Generates each bundle once and reuses it. Needs GNU time (Debian: apt-get
# install time) and bsdtar (Debian: libarchive-tools). Builds nothing.
# Prints, per size, the medians over the pairs: the wall-time ratio
# certtrail / bsdtar, throughput (MiB/s of logs, rows/s), CPU seconds and the
# peak RSS, and checks that certtrail counted every row and session.

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
SIZES=${BENCH_SIZES:-64 256}
RUNS=${BENCH_RUNS:-5}
TIME=/usr/bin/time

for tool in "$TIME" bsdtar; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$0: $tool not found (Debian: apt-get install time libarchive-tools)" >&2
		exit 2
	fi
done

mkdir -p "$DIR"
echo "machine       $(uname -m), $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
echo "load          $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
for MIB in $SIZES; do
	BUNDLE=$DIR/bench-${SERVERS}x${MIB}.zip
	META=$DIR/bench-${SERVERS}x${MIB}.json
	if [ ! -f "$BUNDLE" ] || [ ! -f "$META" ]; then
		echo "generating $BUNDLE ($SERVERS servers x $MIB MiB of send logs)..." >&2
		"$PY" "$HERE/gen_bench.py" "$BUNDLE" --servers "$SERVERS" --mib "$MIB"
	fi
	AS_OF=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$META")
	i=0
	: >"$DIR/pairs-$MIB.txt"
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		"$TIME" -f "%e %U %S %M" -o "$DIR/t.txt" sh -c "bsdtar -xOf '$BUNDLE' >/dev/null"
		b=$(cat "$DIR/t.txt")
		rm -rf "$DIR/report"
		if ! "$TIME" -f "%e %U %S %M" -o "$DIR/t.txt" "$BIN" --no-progress \
		    --as-of "$AS_OF" -o "$DIR/report" "$BUNDLE" >"$DIR/stdout.txt" 2>"$DIR/stderr.txt"; then
			echo "certtrail failed; see $DIR/stderr.txt" >&2
			exit 1
		fi
		echo "$(cat "$DIR/t.txt") $b" >>"$DIR/pairs-$MIB.txt"
	done
	"$PY" - "$META" "$DIR/pairs-$MIB.txt" "$DIR/report/findings.json" "$BUNDLE" <<'PYEOF'
import json, os, statistics, sys

meta = json.load(open(sys.argv[1]))
pairs = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
doc = json.load(open(sys.argv[3]))
ls = doc["log_summary"]
med = statistics.median
mib = meta["log_bytes"] / (1 << 20)
a_wall = med(p[0] for p in pairs)
a_cpu = med(p[1] + p[2] for p in pairs)
a_rss = max(p[3] for p in pairs) / 1024
b_wall = med(p[4] for p in pairs)
b_cpu = med(p[5] + p[6] for p in pairs)
ratio = med(p[0] / p[4] for p in pairs)
cpu_ratio = med((p[1] + p[2]) / (p[5] + p[6]) for p in pairs)
exact = ls["rows"] == meta["rows"] and ls["sessions"] == meta["sessions"]
print("bundle        %s (%.1f MiB compressed), %d pairs" % (
    sys.argv[4], os.path.getsize(sys.argv[4]) / (1 << 20), len(pairs)))
print("log input     %.1f MiB in %d files, %d rows, %d sessions (%d servers)" % (
    mib, meta["files"], meta["rows"], meta["sessions"], meta["servers"]))
print("certtrail     rows %s, sessions %s, TLS ok %s, failed %s: %s" % (
    ls["rows"], ls["sessions"], ls["tls_ok"], ls["tls_failed"],
    "exact" if exact else "MISMATCH with the generator"))
print("wall (median) certtrail %.2f s, bsdtar -xOf %.2f s: ratio %.2f (pairwise median)" % (
    a_wall, b_wall, ratio))
print("cpu (median)  certtrail %.2f s, bsdtar %.2f s: ratio %.2f" % (a_cpu, b_cpu, cpu_ratio))
print("throughput    %.1f MiB/s of logs, %.0f rows/s" % (mib / a_wall, meta["rows"] / a_wall))
print("max RSS       %.1f MiB" % a_rss)
sys.exit(0 if exact else 1)
PYEOF
done

#!/bin/sh
# Benchmark: certtrail against merely decompressing the same bundle
# (bsdtar -xOf BUNDLE > /dev/null), pair by pair in the same run, at 256 MiB
# and at 1 GiB of protocol logs (bench/gen_bench.py), for each bundle shape.
#
#   bench/run.sh PATH/TO/certtrail
#
# Environment: BENCH_DIR (default /tmp/certtrail-bench), BENCH_SHAPES ("send
# busy": gen_bench.py --shape), BENCH_SERVERS (4), BENCH_SIZES ("64 256": MiB
# of logs per server, i.e. 256 MiB and 1 GiB in all), BENCH_RUNS (5 pairs per
# bundle), PYTHON3 (python3).
# Generates each bundle once and reuses it. Needs GNU time (Debian: apt-get
# install time) and bsdtar (Debian: libarchive-tools). Builds nothing.
# Prints, per bundle, the medians over the pairs: the wall-time ratio
# certtrail / bsdtar, throughput (MiB/s of logs, rows/s), CPU seconds and the
# peak RSS, and checks that certtrail counted every row, session and TLS
# outcome the generator wrote; then all bundles side by side.

set -eu

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 PATH/TO/certtrail" >&2
	exit 2
fi
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON3:-python3}
DIR=${BENCH_DIR:-/tmp/certtrail-bench}
SHAPES=${BENCH_SHAPES:-send busy}
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
: >"$DIR/summary.txt"
for SHAPE in $SHAPES; do
for MIB in $SIZES; do
	BUNDLE=$DIR/bench-$SHAPE-${SERVERS}x${MIB}.zip
	META=$DIR/bench-$SHAPE-${SERVERS}x${MIB}.json
	# Metadata without TLS counts is from a generator that did not count them.
	if [ ! -f "$BUNDLE" ] || ! grep -q '"tls_ok"' "$META" 2>/dev/null; then
		echo "generating $BUNDLE ($SHAPE shape, $SERVERS servers x $MIB MiB of logs)..." >&2
		"$PY" "$HERE/gen_bench.py" "$BUNDLE" --servers "$SERVERS" --mib "$MIB" \
		    --shape "$SHAPE"
	fi
	AS_OF=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$META")
	i=0
	PAIRS=$DIR/pairs-$SHAPE-$MIB.txt
	: >"$PAIRS"
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		"$TIME" -f "%e %U %S %M" -o "$DIR/t.txt" sh -c "bsdtar -xOf '$BUNDLE' >/dev/null"
		b=$(cat "$DIR/t.txt")
		rm -rf "$DIR/report"
		# The default limit of 4 GiB read would stop a 10 GiB bundle.
		if ! "$TIME" -f "%e %U %S %M" -o "$DIR/t.txt" "$BIN" --no-progress \
		    --max-total-bytes 64G \
		    --as-of "$AS_OF" -o "$DIR/report" "$BUNDLE" >"$DIR/stdout.txt" 2>"$DIR/stderr.txt"; then
			echo "certtrail failed; see $DIR/stderr.txt" >&2
			exit 1
		fi
		echo "$(cat "$DIR/t.txt") $b" >>"$PAIRS"
	done
	"$PY" - "$META" "$PAIRS" "$DIR/report/findings.json" "$BUNDLE" "$SHAPE" \
	    "$DIR/summary.txt" <<'PYEOF'
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
# GNU time counts hundredths: a tiny bundle's bsdtar may take "0.00 s".
ratio = med(p[0] / max(p[4], 0.01) for p in pairs)
cpu_ratio = med((p[1] + p[2]) / max(p[5] + p[6], 0.01) for p in pairs)
exact = all(ls[k] == meta[k] for k in ("rows", "sessions", "tls_ok", "tls_failed"))
zmib = os.path.getsize(sys.argv[4]) / (1 << 20)
print("bundle        %s (%s shape, %.1f MiB compressed), %d pairs" % (
    sys.argv[4], sys.argv[5], zmib, len(pairs)))
print("log input     %.1f MiB in %d files, %d rows, %d sessions (%d inbound), "
      "TLS ok %d, failed %d (%d servers)" % (
          mib, meta["files"], meta["rows"], meta["sessions"],
          meta.get("receive_sessions", 0), meta["tls_ok"], meta["tls_failed"],
          meta["servers"]))
print("certtrail     rows %s, sessions %s, TLS ok %s, failed %s: %s" % (
    ls["rows"], ls["sessions"], ls["tls_ok"], ls["tls_failed"],
    "exact" if exact else "MISMATCH with the generator"))
print("wall (median) certtrail %.2f s, bsdtar -xOf %.2f s: ratio %.2f (pairwise median)" % (
    a_wall, b_wall, ratio))
print("cpu (median)  certtrail %.2f s, bsdtar %.2f s: ratio %.2f" % (a_cpu, b_cpu, cpu_ratio))
print("throughput    %.1f MiB/s of logs, %.0f rows/s" % (mib / a_wall, meta["rows"] / a_wall))
print("max RSS       %.1f MiB" % a_rss)
with open(sys.argv[6], "a") as f:
    f.write("| %s | %.0f MiB (%.1f MiB zip) | %d | %d | %.2f s / %.2f s = %.2f | "
            "%.2f s / %.2f s = %.2f | %.0f MiB/s | %.1f MiB | %s |\n" % (
                sys.argv[5], mib, zmib, meta["rows"], meta["sessions"], a_wall, b_wall, ratio,
                a_cpu, b_cpu, cpu_ratio, mib / a_wall, a_rss,
                "exact" if exact else "MISMATCH"))
sys.exit(0 if exact else 1)
PYEOF
done
done
echo
echo "side by side (medians; wall and CPU: certtrail / bsdtar = pairwise ratio)"
echo "| shape | logs | rows | sessions | wall | CPU | throughput | max RSS | counts |"
echo "|---|---|---|---|---|---|---|---|---|"
cat "$DIR/summary.txt"

#!/bin/sh
# End-to-end tests: realistic bundles (testdata/gen_bundles.py and the ones
# committed in testdata/sample/) go through the real binary; what it writes is
# checked by tests/check_findings.py against each bundle's expected.json and
# against the output contract, and every command it prints by
# tests/check_commands.py. Prints TAP for automake's TAP driver.
#
# Environment (set by `make check`): top_srcdir, top_builddir, PYTHON3,
# OPENSSL_BIN. Work files stay in $top_builddir/tests/e2e.work for inspection.

set -u

abspath() { (cd "$1" && pwd); }
SRC=$(abspath "${top_srcdir:-.}")
BUILD=$(abspath "${top_builddir:-.}")
PY=${PYTHON3:-python3}
OPENSSL_BIN=${OPENSSL_BIN:-openssl}
export OPENSSL_BIN
BIN=$BUILD/src/certtrail
CHECKPY=$SRC/tests/check_findings.py
WORK=$BUILD/tests/e2e.work
B=$WORK/bundles
LOG=$WORK/log

. "$SRC/tests/tap.sh"

chk() {
	"$PY" "$CHECKPY" "$@"
}

# expect_rc DESC WANT CMD...: passes when CMD exits with status WANT.
expect_rc() {
	desc=$1
	want=$2
	shift 2
	"$@" >"$LOG" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass "$desc"
	else
		echo "exit status $rc, want $want" >>"$LOG"
		fail "$desc"
	fi
}

# in_dir DIR CMD...: runs CMD in DIR, so that input paths stay relative.
in_dir() {
	(
		cd "$1" || exit 99
		shift
		"$@"
	)
}

# certtrail DIR ARGS...
certtrail() {
	d=$1
	shift
	in_dir "$d" "$BIN" --no-progress "$@"
}

# shellcheck disable=SC2317 # called through check
same_files() {
	for f in findings.json report.html report.xlsx; do
		if ! cmp "$1/$f" "$2/$f"; then
			echo "$f differs between $1 and $2"
			return 1
		fi
	done
}

finish() {
	echo "1..$n"
	exit 0
}

# --------------------------------------------------------------------- setup

rm -rf "$WORK"
mkdir -p "$WORK/out"
: >"$LOG"

if [ ! -x "$BIN" ]; then
	echo "$BIN was not built" >"$LOG"
	fail "certtrail binary exists"
	finish
fi

check "generate the test bundles" "$PY" "$SRC/testdata/gen_bundles.py" "$B"
if [ ! -f "$B/smtp-not-enabled.expected.json" ]; then
	echo "Bail out! the bundle generator failed"
	exit 1
fi

# run_bundle DIR EXPECTED TAG: one bundle through certtrail and every check
# its expected file asks for.
run_bundle() {
	dir=$1
	exp=$2
	tag=$3
	as_of=$(chk get "$exp" as_of)
	want=$(chk get "$exp" exit_code)
	inputs=$(chk get "$exp" inputs)
	first=$(echo "$inputs" | head -n 1)
	out=$WORK/out/$tag
	# shellcheck disable=SC2086 # input names hold no spaces
	expect_rc "$tag: exit status $want" "$want" \
	    certtrail "$dir" --as-of "$as_of" -o "$out" $inputs
	[ "$want" -eq 0 ] || return 0

	check "$tag: findings.json, report.html and report.xlsx hold what they must" \
	    chk check "$out" "$exp" --base "$dir"
	check "$tag: every remediation and collect command runs as printed" \
	    "$PY" "$SRC/tests/check_commands.py" --gaps "$out/findings.json"

	# shellcheck disable=SC2086
	certtrail "$dir" --as-of "$as_of" -o "$out.again" $inputs >/dev/null 2>&1
	check "$tag: a second run writes byte-identical files" \
	    same_files "$out" "$out.again"

	if parts=$(chk get "$exp" parts); then
		pdir=$WORK/parts/$tag
		# shellcheck disable=SC2086
		chk extract "$dir/$first" "$pdir" $parts
		# shellcheck disable=SC2086
		expect_rc "$tag: per-server zips given as separate inputs" 0 \
		    certtrail "$pdir" --as-of "$as_of" -o "$out.parts" $parts
		check "$tag: per-server zips give the same analysis" \
		    chk same "$out/findings.json" "$out.parts/findings.json"
		check "$tag: per-server zips hold what they must" \
		    chk check "$out.parts" "$exp" --base "$pdir"

		xdir=$WORK/exploded/$tag
		chk explode "$dir/$first" "$xdir"
		expect_rc "$tag: the extracted directory as input" 0 \
		    certtrail "$WORK/exploded" --as-of "$as_of" -o "$out.dir" "$tag"
		check "$tag: the extracted directory gives the same analysis" \
		    chk same "$out/findings.json" "$out.dir/findings.json"
	fi

	fo=$(chk get "$exp" fail_on_exit 2>/dev/null) || fo=""
	# shellcheck disable=SC2086 # "severity code" pairs
	set -- $fo
	while [ $# -ge 2 ]; do
		sev=$1
		code=$2
		shift 2
		# shellcheck disable=SC2086
		expect_rc "$tag: --fail-on $sev exits $code" "$code" \
		    certtrail "$dir" --as-of "$as_of" --fail-on "$sev" \
		    -o "$out.failon-$sev" $inputs
	done

	if rx=$(chk get "$exp" relaxed_limits_run.diagnostics_absent_regex); then
		args=$(chk get "$exp" relaxed_limits_run.args | tr '\n' ' ')
		# shellcheck disable=SC2086
		expect_rc "$tag: runs with relaxed limits ($args)" 0 \
		    certtrail "$dir" --as-of "$as_of" -o "$out.relaxed" $args $inputs
		check "$tag: relaxed limits read what the default limits refuse" \
		    chk diag "$out.relaxed/findings.json" "$rx"
	fi
}

for exp in "$B"/*.expected.json; do
	name=$(basename "$exp" .expected.json)
	run_bundle "$B" "$exp" "$name"
done

for exp in "$SRC"/testdata/sample/*.expected.json; do
	[ -f "$exp" ] || continue
	name=$(basename "$exp" .expected.json)
	run_bundle "$SRC/testdata/sample" "$exp" "sample-$name"
done

# ----------------------------------------------------------- options, labels

EXP2=$B/smtp-not-enabled.expected.json
AS2=$(chk get "$EXP2" as_of)
expect_rc "case labels: exit status 0" 0 \
    certtrail "$B" --as-of "$AS2" --case "CT-2026-1110" --customer "Contoso, Ltd." \
    --analyst "J. Doe" -o "$WORK/out/labels" smtp-not-enabled.zip
check "case labels appear in findings.json, report.html and the workbook" \
    chk check "$WORK/out/labels" "$EXP2" --base "$B" \
    --labels "CT-2026-1110" "Contoso, Ltd." "J. Doe"

expect_rc "--format json: exit status 0" 0 \
    certtrail "$B" --as-of "$AS2" --format json -o "$WORK/out/jsononly" smtp-not-enabled.zip
check "--format json writes findings.json only" sh -c \
    "test -s '$WORK/out/jsononly/findings.json' && ! test -e '$WORK/out/jsononly/report.html' \
    && ! test -e '$WORK/out/jsononly/report.xlsx'"

expect_rc "without --as-of: exit status 0" 0 \
    certtrail "$B" -o "$WORK/out/noasof" smtp-not-enabled.zip
check "without --as-of the time comes from the bundle, not the clock" sh -c "
    src=\$('$PY' '$CHECKPY' get '$WORK/out/noasof/findings.json' as_of_source) &&
    at=\$('$PY' '$CHECKPY' get '$WORK/out/noasof/findings.json' as_of) &&
    echo \"as_of \$at from \$src\" && test \"\$src\" != option &&
    case \"\$at\" in 2026-11-*) true ;; *) false ;; esac"

certtrail "$B" --as-of "$AS2" -o "$WORK/out/stdout" smtp-not-enabled.zip \
    >"$WORK/stdout.txt" 2>/dev/null
check "standard output names the files written" grep -q "findings.json" "$WORK/stdout.txt"

# ---------------------------------------------------------------- exit codes

expect_rc "an unknown option exits 2" 2 certtrail "$B" --no-such-option smtp-not-enabled.zip
expect_rc "no input exits 2" 2 certtrail "$B" -o "$WORK/out/none"
expect_rc "an unknown --format exits 2" 2 \
    certtrail "$B" --format pdf -o "$WORK/out/pdf" smtp-not-enabled.zip
expect_rc "an unknown --fail-on severity exits 2" 2 \
    certtrail "$B" --fail-on severe -o "$WORK/out/severe" smtp-not-enabled.zip
expect_rc "a malformed --as-of exits 2" 2 \
    certtrail "$B" --as-of yesterday -o "$WORK/out/yesterday" smtp-not-enabled.zip
expect_rc "--help exits 0" 0 "$BIN" --help
expect_rc "--version exits 0" 0 "$BIN" --version
check "--version names the program" sh -c "'$BIN' --version | grep -q certtrail"

: >"$WORK/regular-file"
expect_rc "-o under a regular file exits 4" 4 \
    certtrail "$B" --as-of "$AS2" -o "$WORK/regular-file/report" smtp-not-enabled.zip

finish

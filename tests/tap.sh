# TAP helpers shared by the end-to-end scripts (sourced, not run).
# The script sets LOG, the file each check's output goes to; a failing check
# shows the start of that output as TAP comments. `failed` counts failures
# for scripts that summarize them.

n=0
failed=0

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	if [ -s "$LOG" ]; then
		sed -e 's/^/# /' "$LOG" | head -n 60
	fi
}

# check DESC CMD...: passes when CMD exits 0; its output is shown otherwise.
check() {
	desc=$1
	shift
	if "$@" >"$LOG" 2>&1; then
		pass "$desc"
	else
		fail "$desc"
	fi
}

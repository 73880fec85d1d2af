#!/usr/bin/env python3
"""Runs check_rules.py's and check_paste.py's checks on one pasted variant in
one process (tests/e2e_paste.sh has hundreds of variants; one interpreter
for both halves its time).

    check_variant.py OUTDIR EXPECTED STDOUT_FILE CLEAN_OUTDIR RULES_LOG PASTE_LOG

Each checker's failures go to its log, one a line. Exit status: 0 both
pass, bit 1 the rules check failed, bit 2 the paste check failed.
"""

import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # never write into the source tree
import check_paste  # noqa: E402
import check_rules  # noqa: E402


def run(fn, log):
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            rc = fn()
    except SystemExit as e:         # a checker that exits on bad input
        rc = e.code if isinstance(e.code, int) else 1
    except Exception as e:          # a checker that breaks is a failure
        out.write("checker raised %s: %s\n" % (type(e).__name__, e))
        rc = 1
    with open(log, "w") as f:
        f.write(out.getvalue())
    return 1 if rc else 0


def main(argv):
    if len(argv) != 7:
        print(__doc__.split("\n")[3].strip(), file=sys.stderr)
        return 4
    outdir, exp, stdout, clean, rlog, plog = argv[1:]
    bits = run(lambda: check_rules.main(["check_rules.py", outdir, exp, stdout]), rlog)
    bits |= 2 * run(lambda: check_paste.main([outdir, exp, "--clean", clean]), plog)
    return bits


if __name__ == "__main__":
    sys.exit(main(sys.argv))

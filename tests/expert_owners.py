#!/usr/bin/env python3
"""Which part of certtrail owns each failed expectation of an expert scenario.

    expert_owners.py NAME CHECK_OUTPUT
        prints the parts owning the failure lines of CHECK_OUTPUT (the lines
        tests/check_expert.py wrote for scenario NAME, its last "checks N
        failed M" line excluded), space-separated, with "-" for a line no
        part owns; nothing when there is no failure.

A failed expectation listed below is one another part of certtrail owns and
has not done yet. tests/e2e_expert.sh reports a scenario whose failures are
all owned this way as an expected failure ("# TODO <part> part"), and fails
any other. The time part owns the time truth (times[...], servers[], a local
time written as UTC); the verdict part the verdict of a finding that no
symptom stands behind; the scenarios named for a part (time-*, resolved-* and
absence-*) are that part's whole. Remove an entry when its part lands; never
add one for a check the judgment part owns.

Python standard library only.
"""

import fnmatch
import sys

# (part, scenario pattern, start of the failure line)
EXPECTED_FAIL = [
    # Scenarios named for another part are that part's, every line of them.
    ("time", "time-*", ""),
    ("verdict", "resolved-*", ""),
    ("verdict", "absence-*", ""),
    ("time", "*", "times["),
    ("time", "*", "servers: "),
    ("time", "*", "html: writes "),
    ("time", "*", "json: writes "),
    ("time", "*", "xlsx: writes "),
    ("time", "*", "stdout: writes "),
    ("verdict", "judgment-receive-pin-config-only",
     "verdict.state: 'root_cause', want 'problems'"),
    ("verdict", "judgment-receive-pin-config-only",
     "root_cause: 'F1' (smtp-service-not-enabled), want null"),
    ("verdict", "judgment-renewal-successor-lacks-imap-pop", "verdict.state: 'root_cause' ("),
    ("verdict", "fail-wildcard-two-labels", "verdict.state: 'root_cause', want 'problems'"),
]


def owner(name, line):
    for part, pattern, start in EXPECTED_FAIL:
        if fnmatch.fnmatchcase(name, pattern) and line.startswith(start):
            return part
    return "-"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    name, path = argv[1], argv[2]
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = [ln.rstrip("\n") for ln in fh if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("checks ")]
    parts = []
    for ln in lines:
        p = owner(name, ln)
        if p not in parts:
            parts.append(p)
    print(" ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

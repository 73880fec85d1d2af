#!/usr/bin/env python3
"""Checks one rule scenario's output: the expected findings (through
check_findings.py's checks) and the verdict in all three outputs.

    check_rules.py OUTDIR EXPECTED [STDOUT_FILE]

Prints one line per failure; exit 1 on any failure.
"""

import os
import re
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # never write into the source tree
import check_findings as cf  # noqa: E402

HEADINGS = {"root_cause": "Root cause found",
            "problems": "Problems found, cause not determined",
            "clear": "No problem found", "not_judged": "Not judged"}


def check_verdict(c, outdir, doc, exp, stdout):
    v = doc.get("verdict")
    if not c.expect(isinstance(v, dict), "verdict", "missing"):
        return
    state = v.get("state")
    c.expect(state in HEADINGS, "verdict.state", "%r is not a state" % state)
    c.typed(v, "text", str, "verdict")
    c.strlist(v, "incomplete", "verdict")
    want = exp.get("verdict_state")
    if want:
        c.expect(state == want, "verdict.state", "%r, want %r (%s)" % (
            state, want, v.get("text")))
    symptoms = doc.get("symptoms") or []
    if symptoms:
        c.expect(state != "clear", "verdict.state",
                 "clear although %d symptoms are listed" % len(symptoms))
    for s in symptoms:
        c.expect(s.get("finding") is not None, "symptoms",
                 "%r is linked to no finding" % s.get("text"))
    if state == "clear":
        for f in doc.get("findings") or []:
            c.expect(cf.SEV_RANK.get(f.get("severity"), 0) <= cf.SEV_RANK["low"],
                     "verdict.state", "clear with a %s finding (%s)" % (
                         f.get("severity"), f.get("rule")))
    if state == "root_cause":
        c.expect(doc.get("root_cause") is not None, "root_cause",
                 "null although the verdict names a root cause")
    heading = HEADINGS.get(state, "")
    with open(os.path.join(outdir, "report.html"), encoding="utf-8") as f:
        page = f.read()
    at = page.find('id="verdict"')
    c.expect(at >= 0 and heading in page[at:at + 2000], "report.html",
             "no verdict section saying %r" % heading)
    first = re.search(r"<section", page)
    c.expect(first is not None and first.start() == page.find("<section") and
             'id="verdict"' in page[first.start():first.start() + 80],
             "report.html", "the verdict is not the first section")
    with zipfile.ZipFile(os.path.join(outdir, "report.xlsx")) as z:
        strings = cf.xml_text(z.read("xl/sharedStrings.xml"))
    c.expect(heading in strings, "report.xlsx", "the Summary lacks %r" % heading)
    if stdout:
        with open(stdout, encoding="utf-8") as f:
            out = f.read()
        c.expect(out.startswith(heading + ":") or ("\n" + heading + ":") in out,
                 "stdout", "does not state %r" % heading)


def check_links(c, doc, exp):
    """symptom_links: at least `min` symptoms of `kind` linked to a finding of
    `rule`; evidence_text: substrings some evidence row of the rule holds."""
    by_id = {f.get("id"): f for f in doc.get("findings") or []}
    symptoms = doc.get("symptoms") or []
    for want in exp.get("symptom_links", []):
        n = sum(1 for s in symptoms if s.get("kind") == want["kind"] and
                (by_id.get(s.get("finding")) or {}).get("rule", s.get("finding"))
                == want["rule"])
        c.expect(n >= want["min"], "symptoms",
                 "%d %s symptom(s) linked to %s, want at least %d; symptoms: %s" % (
                     n, want["kind"], want["rule"], want["min"],
                     [(s.get("kind"), s.get("finding")) for s in symptoms]))
    for rule, texts in exp.get("evidence_text", {}).items():
        rows = [e.get("text") or "" for f in doc.get("findings") or []
                if f.get("rule") == rule for e in f.get("evidence") or []]
        for t in texts:
            c.expect(any(t in r for r in rows), "findings.%s.evidence" % rule,
                     "no row contains %r; rows: %s" % (t, rows))


def main(argv):
    outdir, expected = argv[1], argv[2]
    stdout = argv[3] if len(argv) > 3 else None
    c = cf.Checker()
    doc = cf.load_json(os.path.join(outdir, "findings.json"), c)
    exp = cf.load_json(expected, c, "expected")
    if doc is not None and exp is not None:
        cf.check_expected(c, doc, exp)
        check_verdict(c, outdir, doc, exp, stdout)
        check_links(c, doc, exp)
    for f in c.failures:
        print(f)
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Runs certtrail on one hostile bundle under a time and memory bound and
checks what it wrote against the bundle's .hostile.json (see
testdata/gen_hostile.py). Prints one TAP result for the run and one for the
checks; exits 1 when either fails.

    check_hostile.py CERTTRAIL SPEC.hostile.json WORKDIR FIRST_TAP_NUMBER
"""
import html
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import zipfile

TIME_LIMIT = 240            # seconds, ASan included, on a loaded machine
MEM_LIMIT = 1536 << 20      # bytes of address space, without ASan
RSS_LIMIT = 1024 << 20      # bytes resident, ASan included


def sanitized(binary):
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def run_bounded(argv, asan):
    """(status, stdout, stderr, seconds, max RSS in bytes); status None on timeout."""
    def limit():
        if not asan:    # ASan reserves terabytes of address space
            resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))
        os.setsid()
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=limit)
    try:
        out, err = p.communicate(timeout=TIME_LIMIT)
        status = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        status = None
    secs = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return status, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), secs, rss


def xlsx_cells(path):
    """Every worksheet's XML and the shared strings, as text."""
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist()
                  if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        shared = z.read("xl/sharedStrings.xml").decode("utf-8") \
            if "xl/sharedStrings.xml" in z.namelist() else ""
    return sheets, shared


def check(spec, outdir, stdout, problems):
    def want(cond, msg):
        if not cond:
            problems.append(msg)

    with open(os.path.join(outdir, "findings.json"), encoding="utf-8") as f:
        doc = json.load(f)
    diags = ["%s %s" % (d.get("source") or "", d.get("message") or "")
             for d in doc.get("diagnostics") or []]
    entries = doc.get("entries") or []
    for d in spec.get("diagnostics", []):
        want(any(re.search(d["regex"], x) for x in diags),
             "no diagnostic for %s (/%s/)" % (d["what"], d["regex"]))
    for e in spec.get("entries", []):
        hits = [x for x in entries if x["path"].endswith(e["path"])]
        want(hits, "no manifest entry ends with %s" % e["path"])
        for x in hits[:1]:
            want(x["status"] == e["status"], "%s: status %r, want %r (%s)" % (
                x["path"], x["status"], e["status"], x.get("why")))
            if "why" in e:
                want(x.get("why") and re.search(re.escape(e["why"]), x["why"]),
                     "%s: why %r lacks %r" % (x["path"], x.get("why"), e["why"]))
    # Every entry not read says why and is named by a diagnostic.
    sources = set(d.get("source") for d in doc.get("diagnostics") or [])
    for x in entries:
        if x["status"] != "read":
            want(x.get("why"), "%s: %s without a why" % (x["path"], x["status"]))
            named = x["path"].rsplit("/(rest not read)", 1)[0]
            want(named in sources, "%s: %s, but no diagnostic names it" % (
                x["path"], x["status"]))
    if "entries_absent_regex" in spec:
        bad = [x["path"] for x in entries if re.search(spec["entries_absent_regex"], x["path"])]
        want(not bad, "manifest paths match /%s/: %s" % (spec["entries_absent_regex"], bad))
    if "entries_max" in spec:
        want(len(entries) <= spec["entries_max"], "%d manifest entries, want at most %d" % (
            len(entries), spec["entries_max"]))
    for k in spec.get("read_kinds", []):
        hits = [x for x in entries if x["path"].endswith(k["path"])]
        want(hits and hits[0]["status"] == "read" and hits[0]["kind"] == k["kind"],
             "%s not read as %s: %s" % (k["path"], k["kind"], hits[:1]))
    tps = [c.get("thumbprint") for c in doc.get("certificates") or []]
    for t in spec.get("certificates", []):
        want(t in tps, "certificate %s not found" % t)
    names = [c.get("name") for c in doc.get("send_connectors") or []]
    for n in spec.get("connectors", []):
        want(n in names, "send connector %r not found (have %s)" % (n, names))
    ls = doc.get("log_summary") or {}
    for k, v in spec.get("log_min", {}).items():
        want((ls.get(k) or 0) >= v, "log_summary.%s is %r, want at least %d" % (k, ls.get(k), v))
    rules = [f.get("rule") for f in doc.get("findings") or []]
    for r in spec.get("rules", []):
        want(r in rules, "rule %s not found (have %s)" % (r, rules))
    if "stdout_regex" in spec:
        want(re.search(spec["stdout_regex"], stdout), "stdout lacks /%s/:\n%s" % (
            spec["stdout_regex"], stdout))
    with open(os.path.join(outdir, "report.html"), encoding="utf-8") as f:
        page = f.read()
    for s in spec.get("html_absent", []):
        want(s not in page, "report.html holds %r raw" % s)
    for s in spec.get("html_present", []):
        want(s in page, "report.html lacks %r" % s)
    sheets, shared = xlsx_cells(os.path.join(outdir, "report.xlsx"))
    want(not any("<f>" in s or "<f " in s for s in sheets), "report.xlsx holds a formula")
    cells = shared + "".join(sheets)
    for s in spec.get("xlsx_text", []):
        esc = html.escape(s, quote=False).replace('"', "&quot;")
        plain = html.escape(s, quote=False)
        if s[:1] in "=+-@\t\r":
            ok = ("'" + esc) in cells or ("'" + plain) in cells
            want(ok, "report.xlsx lacks %r as defused text ('%s)" % (s, s))
            want(not re.search(r">(%s|%s)<" % (re.escape(esc), re.escape(plain)), cells),
                 "report.xlsx holds %r without its apostrophe" % s)
        else:
            want(esc in cells or plain in cells, "report.xlsx lacks %r" % s)


def main(argv):
    binary, spec_path, work, first = argv[1], argv[2], argv[3], int(argv[4])
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    name = spec["name"]
    outdir = os.path.join(work, name)
    bundle = os.path.join(os.path.dirname(spec_path), spec["bundle"])
    asan = sanitized(binary)
    status, out, err, secs, rss = run_bounded(
        [binary, "--no-progress"] + spec["args"] + [bundle, "-o", outdir], asan)
    ok = status is not None and status == spec["exit_code"] and rss <= RSS_LIMIT
    desc = "%s: analyzed in %.1f s, %d MiB resident, exit %s" % (
        name, secs, rss >> 20, status)
    print(("ok %d - " if ok else "not ok %d - ") % first + desc)
    if not ok:
        why = ("killed after %d s" % TIME_LIMIT if status is None else
               "exit %s, want %d; %d MiB resident, limit %d" % (
                   status, spec["exit_code"], rss >> 20, RSS_LIMIT >> 20))
        print("# " + why)
        for line in err.splitlines()[-30:]:
            print("# " + line)
        print("not ok %d - %s: not checked, the run failed" % (first + 1, name))
        return 1
    problems = []
    try:
        check(spec, outdir, out, problems)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        problems.append("cannot read the outputs: %r" % e)
    if problems:
        print("not ok %d - %s: %d problem%s" % (first + 1, name, len(problems),
                                                 "" if len(problems) == 1 else "s"))
        for p in problems:
            for line in p.splitlines():
                print("# " + line)
        return 1
    print("ok %d - %s: every bad entry named and accounted for, the evidence after it found"
          % (first + 1, name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

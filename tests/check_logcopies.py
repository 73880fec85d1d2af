#!/usr/bin/env python3
"""Checks certtrail's reading of protocol logs given more than once.

    check_logcopies.py copies ONCE TWICE ZIP RUNDIR
        ONCE: the reports of ZIP alone; TWICE: of a folder RUNDIR holding ZIP
        and its extraction. Every log of ZIP (counted here by zipfile) is a
        copy named in the manifest with the entry it repeats, whose SHA-256
        (hashlib's, of the file) is its own; the log figures are those of ZIP
        alone; the page and the Manifest sheet say so for each copy; a note,
        and no warning, says so for the case.
    check_logcopies.py grown A B BOTH LOG_A LOG_B
        Two logs that begin the same and differ later, read alone (A, B) and
        together (BOTH, LOG_A first): both are counted in full (rows counted
        here), neither is named a copy, and a warning on LOG_B says the rows
        they share are counted twice: for certain when LOG_B begins with all
        of LOG_A's bytes (compared here), else as what may be.
    check_logcopies.py uncaught OUT LOG
        The same log twice where certtrail cannot tell it in time: its rows
        count twice (counted here), and the warning says so.
"""

import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
SUMMED = ("files", "rows", "sessions", "tls_ok", "tls_failed", "bad_rows")
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def load(out):
    with open(os.path.join(out, "findings.json"), encoding="utf-8") as f:
        return json.load(f)


def data_rows(path):
    """Log rows: lines neither blank nor a # header line."""
    with open(path, "rb") as f:
        return sum(1 for line in f.read().splitlines()
                   if line.strip() and not line.startswith(b"#"))


def totals(doc, key):
    return sum(g["count"] for g in doc[key])


def manifest_whys(out):
    """The Why column of the workbook's Manifest sheet, row by row."""
    z = zipfile.ZipFile(os.path.join(out, "report.xlsx"))
    strings = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
               for si in ET.fromstring(z.read("xl/sharedStrings.xml"))
               .findall("m:si", NS)]
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = {r.get("Id"): r.get("Target") for r in
            ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    path = next("xl/" + rels[s.get(rid)] for s in wb.find("m:sheets", NS)
                if s.get("name") == "Manifest")
    rows = []
    for row in ET.fromstring(z.read(path)).iter("{%s}row" % NS["m"]):
        cells = {}
        for c in row.findall("m:c", NS):
            v = c.find("m:v", NS)
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            val = v.text if v is not None else None
            if c.get("t") == "s" and val is not None:
                val = strings[int(val)]
            cells[col] = val
        rows.append(cells)
    header = rows[0]
    why = next(k for k, v in header.items() if v == "Why")
    return [r.get(why) for r in rows[1:]]


def copies(once, twice, zpath, rundir):
    a, b = load(once), load(twice)
    with zipfile.ZipFile(zpath) as z:
        logs = [n for n in z.namelist() if n.upper().endswith(".LOG")]
    zname = os.path.basename(zpath)
    for k in SUMMED + ("first", "last"):
        expect(a["log_summary"][k] == b["log_summary"][k],
               "log_summary.%s: %r given twice, %r given once"
               % (k, b["log_summary"][k], a["log_summary"][k]))
    for key in ("tls_outcomes", "smtp_sessions"):
        expect(totals(a, key) == totals(b, key), "%s: %d given twice, %d once"
               % (key, totals(b, key), totals(a, key)))
    for k in ("ok", "failed"):
        sa = sum(d[k] for d in a["tls_days"])
        sb = sum(d[k] for d in b["tls_days"])
        expect(sa == sb, "tls_days %s: %d given twice, %d once" % (k, sb, sa))
    at = {e["path"]: i for i, e in enumerate(b["entries"])}
    dups = [e for e in b["entries"] if e.get("duplicate_of") is not None]
    expect(len(dups) == len(logs), "%d entries name a copy; the zip holds %d "
           "logs" % (len(dups), len(logs)))
    for e in dups:
        orig = e["duplicate_of"]
        expect(orig in at and at[orig] < at[e["path"]],
               "%s: duplicate_of %r is no entry read before it"
               % (e["path"], orig))
        expect(e["status"] == "read" and e["kind"] == "protocol-log" and
               e["why"] is None, "%s: %s, %s, why %r" % (e["path"],
               e["status"], e["kind"], e["why"]))
        with open(os.path.join(rundir, e["path"]), "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        expect(e["sha256"] == sha, "%s: sha256 %s, hashlib %s"
               % (e["path"], e["sha256"], sha))
        if orig in at:
            expect(b["entries"][at[orig]]["sha256"] == sha,
                   "%s: not the bytes of %s" % (e["path"], orig))
        expect(orig == zname + "/" + e["path"].split("/", 1)[1],
               "%s: named a copy of %s, not of its own path in the zip"
               % (e["path"], orig))
    notes = [d for d in b["diagnostics"] if d["source"] is None and
             "repeat" in d["message"]]
    want = (r"^%d protocol logs repeat the bytes of another read before "
            r"\(the first: extracted/.*, the same as %s/.*\): their rows are "
            r"counted once$" % (len(logs), re.escape(zname)))
    expect(len(notes) == 1 and notes[0]["level"] == "info" and
           re.match(want, notes[0]["message"]),
           "the case's line: %r" % notes)
    with open(os.path.join(twice, "report.html"), encoding="utf-8") as f:
        page = f.read()
    # The manifest's status column (the diagnostics say it too, in part).
    said = page.count("read: the same bytes as ")
    expect(said == len(logs), "the page's manifest says %d copies, want %d"
           % (said, len(logs)))
    # ... and above it, which paper folds.
    text = re.sub(r"<[^>]+>", "", page)
    want = ("%d protocol logs repeat the bytes of another read before, and "
            "are counted once (the first: extracted/" % len(logs))
    expect(want in text, "the page lacks %r" % want)
    whys = [w for w in manifest_whys(twice) if w and
            w.startswith("the same bytes as ")]
    expect(len(whys) == len(logs), "the Manifest sheet says %d copies, want %d"
           % (len(whys), len(logs)))


def grown(a_out, b_out, both_out, log_a, log_b):
    a, b, both = load(a_out), load(b_out), load(both_out)
    want = data_rows(log_a) + data_rows(log_b)
    expect(both["log_summary"]["rows"] == want, "rows: %d, the files hold %d"
           % (both["log_summary"]["rows"], want))
    for k in SUMMED:
        expect(both["log_summary"][k] == a["log_summary"][k] +
               b["log_summary"][k], "log_summary.%s: %r together, %r + %r "
               "alone" % (k, both["log_summary"][k], a["log_summary"][k],
                          b["log_summary"][k]))
    expect(totals(both, "tls_outcomes") == totals(a, "tls_outcomes") +
           totals(b, "tls_outcomes"), "tls_outcomes: not the sum")
    expect(all(e.get("duplicate_of") is None for e in both["entries"]),
           "a log that differs is named a copy")
    with open(log_a, "rb") as f:
        first = f.read()
    with open(log_b, "rb") as f:
        second = f.read()
    path_a = next(e["path"] for e in both["entries"]
                  if log_a.endswith("/" + e["path"]))
    path_b = next(e["path"] for e in both["entries"]
                  if log_b.endswith("/" + e["path"]))
    if second.startswith(first):
        want = ("begins with all %d bytes of %s, read before it: the same "
                "log collected again after it grew; the rows they share are "
                "counted twice" % (len(first), path_a))
    else:
        want = ("begins with the same 4096 bytes as %s, read before it, but "
                "is not the same: if both are one log collected at two "
                "times, the rows they share are counted twice" % path_a)
    said = [d for d in both["diagnostics"] if d["source"] == path_b and
            d["level"] == "warning" and d["message"] == want]
    expect(len(said) == 1, "no warning on %s: %r" % (path_b, want))


def uncaught(out, log):
    doc = load(out)
    want = 2 * data_rows(log)
    expect(doc["log_summary"]["rows"] == want, "rows: %d, twice the file's "
           "is %d" % (doc["log_summary"]["rows"], want))
    warn = [d for d in doc["diagnostics"] if d["level"] == "warning" and
            "counted more than once" in d["message"]]
    expect(len(warn) == 1 and warn[0]["message"].startswith(
           "1 protocol log repeats the bytes of another read before"),
           "the warning: %r" % warn)


def main(argv):
    modes = {"copies": (copies, 4), "grown": (grown, 5),
             "uncaught": (uncaught, 2)}
    if len(argv) < 2 or argv[1] not in modes or \
            len(argv) - 2 != modes[argv[1]][1]:
        sys.stderr.write(__doc__)
        return 2
    modes[argv[1]][0](*argv[2:])
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Checks one `certtrail --baseline` run against its pair's expected file
(testdata/gen_baseline.py): findings.json's "baseline" object, the page's
"Since the baseline" section and the workbook's Baseline sheets.

    check_baseline.py OUTDIR EXPECTED.json STDOUT

Prints one line per failed check and, last, "checks N failed M".
Python standard library only.
"""

import html
import json
import re
import sys
import zipfile

CONTRACT_KEYS = ["inputs", "as_of", "findings", "symptoms"]
ENTRY_KEYS = ["state", "rule", "servers", "connectors", "thumbprints", "before", "after"]
STATES = {"resolved", "persisting", "new", "not_recollected"}


class Checks:
    def __init__(self):
        self.n = 0
        self.failed = []

    def ok(self, cond, what):
        self.n += 1
        if not cond:
            self.failed.append(what)
        return cond


def per_server_states(bl, rule):
    """server -> set of states the entries of `rule` give it."""
    out = {}
    for e in bl["findings"]:
        if e["rule"] != rule:
            continue
        for p in e["per_server"]:
            out.setdefault(p["server"].upper(), set()).add(p["state"])
    return out


def check_json(c, out, exp):
    with open(out + "/findings.json", encoding="utf-8") as f:
        doc = json.load(f)
    bl = doc.get("baseline")
    if not c.ok(isinstance(bl, dict), "findings.json has a baseline object"):
        return None
    for k in CONTRACT_KEYS:
        c.ok(k in bl, "baseline has %r (the contract's key)" % k)
    c.ok(set(bl["symptoms"]) >= {"before", "after"}, "baseline.symptoms has before and after")
    c.ok(len(bl["inputs"]) == 1 and re.fullmatch(r"[0-9a-f]{64}", bl["inputs"][0]["sha256"] or ""),
         "baseline.inputs names the earlier file with its SHA-256")
    c.ok(bl["as_of"] == exp["before"]["as_of"],
         "baseline.as_of is the earlier case's (%s), got %s" % (exp["before"]["as_of"], bl["as_of"]))
    ids = {f["id"] for f in doc["findings"]}
    for e in bl["findings"]:
        for k in ENTRY_KEYS:
            c.ok(k in e, "a baseline finding has %r" % k)
        c.ok(e["state"] in STATES, "state %r is one of %s" % (e["state"], sorted(STATES)))
        if e["after"] is not None:
            c.ok(e["after"] in ids, "baseline finding's after %s is an id of this case" % e["after"])
        c.ok(e["before"] is not None or e["state"] in ("new", "resolved"),
             "an entry without an earlier finding is new (or resolved inside the new case)")
    for s in exp["states"]:
        got = per_server_states(bl, s["rule"]).get(s["server"].upper(), set())
        c.ok(got == {s["state"]}, "%s on %s is %s (%s); got %s" % (
            s["rule"], s["server"], s["state"], s["why"], sorted(got) or "nothing"))
    for srv in exp.get("servers_not_resolved", []):
        bad = [e["rule"] for e in bl["findings"] for p in e["per_server"]
               if p["server"].upper() == srv.upper() and p["state"] == "resolved"]
        c.ok(not bad, "nothing is resolved on %s, where the problem goes on; got %s" % (srv, bad))
    for st in exp.get("entry_states_absent", []):
        bad = [e["rule"] + " " + ",".join(e["servers"]) for e in bl["findings"]
               if e["state"] == st]
        c.ok(not bad, "no finding is %s; got %s" % (st, bad))
    c.ok(sorted(s.upper() for s in bl["servers"]["compared"]) == sorted(exp["compared"]),
         "servers compared are %s; got %s" % (exp["compared"], bl["servers"]["compared"]))
    c.ok(sorted(s.upper() for s in bl["servers"]["not_recollected"]) ==
         sorted(exp["not_recollected"]),
         "servers not re-collected are %s; got %s" % (exp["not_recollected"],
                                                     bl["servers"]["not_recollected"]))
    counts = bl["counts"]
    for st in STATES:
        c.ok(counts.get(st) == sum(1 for e in bl["findings"] if e["state"] == st),
             "counts.%s matches the entries" % st)
    for want in exp.get("sentence_must", []):
        c.ok(want in bl["text"], "the sentence says %r: %r" % (want, bl["text"]))
    c.ok(bl["text"].count(". ") == 0 and bl["text"].endswith("."),
         "the sentence is one sentence: %r" % bl["text"])
    conns = bl["symptoms"]["connectors"]
    for want in exp.get("connectors", []):
        got = [x for x in conns if (x["server"] or "").upper() == want["server"].upper()
               and x["connector"] == want["connector"] and x["direction"] == "send"]
        if not c.ok(len(got) == 1, "one row for connector %s on %s" % (want["connector"],
                                                                      want["server"])):
            continue
        for k in ("before_failed", "after_failed", "last_failure_day", "first_clean_day"):
            c.ok(got[0][k] == want[k], "%s %s: %s is %r; got %r" % (
                want["server"], want["connector"], k, want[k], got[0][k]))
        days = got[0]["days"]
        c.ok(days == sorted(days, key=lambda d: d["day"]), "the days are in order")
        if want["before_failed"] is not None:
            c.ok(sum(d["before_failed"] or 0 for d in days) == want["before_failed"],
                 "the days' failures add up to the total before")
    if "connectors" in exp:
        c.ok(len(conns) == len(exp["connectors"]),
             "%d connectors failed in either case; got %d" % (len(exp["connectors"]), len(conns)))
    qs = bl["symptoms"]["queues"]
    for want in exp.get("queues", []):
        got = [q for q in qs if (q["identity"] or "").upper() == want["identity"].upper()]
        if not c.ok(len(got) == 1, "one row for queue %s" % want["identity"]):
            continue
        for k in ("state", "before_messages", "after_messages"):
            c.ok(got[0][k] == want[k], "queue %s: %s is %r; got %r" % (
                want["identity"], k, want[k], got[0][k]))
    return doc


def section(text):
    m = re.search(r'<section id="baseline"[^>]*>(.*?)</section>', text, re.S)
    return m.group(1) if m else None


def check_html(c, out, doc):
    with open(out + "/report.html", encoding="utf-8") as f:
        page = f.read()
    sec = section(page)
    if not c.ok(sec is not None, "report.html has the Since the baseline section"):
        return
    c.ok(page.find('id="baseline"') < page.find('class="verdict state-') or
         'class="verdict state-' not in page,
         "the section comes before the verdict, at the top of the page")
    bl = doc["baseline"]
    c.ok(html.escape(bl["text"], quote=True) in sec,
         "the section shows the sentence, escaped")
    for e in bl["findings"]:
        if e["title"] and '"' in e["title"]:
            c.ok(e["title"] not in sec, "a title with quotes is not written raw")
            c.ok(html.escape(e["title"], quote=True) in sec, "a title is escaped")
    c.ok("<script" not in page.lower(), "no script on the page")


def check_workbook(c, out, doc):
    with zipfile.ZipFile(out + "/report.xlsx") as z:
        wb = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet [^>]*name="([^"]+)"', wb)
        for want in ("Baseline", "Baseline days", "Baseline queues"):
            c.ok(want in names, "the workbook has the sheet %r" % want)
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = [n for n in sheets if "<f>" in z.read(n).decode() or
                    "<f " in z.read(n).decode()]
        c.ok(not formulas, "no cell of the workbook is a formula: %s" % formulas)
        strings = z.read("xl/sharedStrings.xml").decode() if \
            "xl/sharedStrings.xml" in z.namelist() else ""
        text = html.unescape(re.sub(r"<[^>]+>", "\x00", strings))
        for e in doc["baseline"]["findings"]:
            word = e["state"].replace("not_recollected", "not re-collected")
            c.ok(word in text, "the Baseline sheet shows the state %r" % word)
        c.ok(doc["baseline"]["text"] in text, "the Summary sheet shows the sentence")


def main(argv):
    out, exp_path, stdout = argv[1:4]
    with open(exp_path, encoding="utf-8") as f:
        exp = json.load(f)
    c = Checks()
    doc = check_json(c, out, exp)
    if doc is not None:
        check_html(c, out, doc)
        check_workbook(c, out, doc)
        with open(stdout, encoding="utf-8") as f:
            c.ok("Since the baseline: " + doc["baseline"]["text"] in f.read(),
                 "standard output gives the sentence")
    for f in c.failed:
        print(f)
    print("checks %d failed %d" % (c.n, len(c.failed)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Checks certtrail's output for the event-log bundle of testdata/gen_events.py.

    check_events.py OUTDIR EXPECTED.json

findings.json must hold exactly the expected events (each once, whichever
export it was read from first), with the fields docs/contract.md names and
the facts their messages state (connector, FQDN, thumbprint, ...); the
dropped ids must be absent; the .evtx must report its record count; the
workbook must have an Events sheet and report.html an events table.
"""

import json
import sys
import zipfile

FIELDS = ["server", "time", "source", "id", "level", "message",
          "id_by_wording", "connector", "fqdn", "certificate_name",
          "thumbprint", "fallback_thumbprint", "certificate_subject",
          "certificate_issuer", "hours_remaining", "expires", "evidence"]


def fail(msg):
    print(msg)
    sys.exit(1)


def main(out, exp_path):
    with open(out + "/findings.json", encoding="utf-8") as f:
        d = json.load(f)
    with open(exp_path, encoding="utf-8") as f:
        exp = json.load(f)
    events = d.get("events")
    if not isinstance(events, list):
        fail("findings.json has no events array")
    for e in events:
        if sorted(e) != sorted(FIELDS):
            fail("event fields %s, want %s" % (sorted(e), sorted(FIELDS)))
        if sorted(e["evidence"]) != ["line", "source"]:
            fail("evidence fields %s" % sorted(e["evidence"]))
        if e["id"] in exp["dropped_ids"]:
            fail("event %d should have been dropped" % e["id"])
    if len(events) != len(exp["events"]):
        fail("%d events, want %d: %s" % (len(events), len(exp["events"]),
             [(e["server"], e["id"]) for e in events]))
    for w in exp["events"]:
        got = [e for e in events if e["server"] == w["server"] and
               e["id"] == w["id"]]
        if len(got) != 1:
            fail("%s %d found %d times" % (w["server"], w["id"], len(got)))
        g = got[0]
        for k in ("time", "source", "level", "message"):
            if g[k] != w[k]:
                fail("%s %d: %s is %r, want %r" % (w["server"], w["id"], k,
                     g[k], w[k]))
        for k, v in w.get("facts", {}).items():
            if g[k] != v:
                fail("%s %d: %s is %r, the message says %r" % (
                     w["server"], w["id"], k, g[k], v))
        if g["evidence"]["source"] not in w["evidence_sources"]:
            fail("%s %d: evidence %r" % (w["server"], w["id"], g["evidence"]))
    if exp.get("evtx_records") is not None:
        want = "event log: %d events read" % exp["evtx_records"]
        if not any(want in x["message"] for x in d["diagnostics"]):
            fail("no diagnostic says %r" % want)
    with zipfile.ZipFile(out + "/report.xlsx") as z:
        wb = z.read("xl/workbook.xml").decode("utf-8")
        if '<sheet name="Events"' not in wb:
            fail("the workbook has no Events sheet")
        sst = z.read("xl/sharedStrings.xml").decode("utf-8")
        if "Inbound from Office 365" not in sst:
            fail("the Events sheet lacks the 11022 message")
    with open(out + "/report.html", encoding="utf-8") as f:
        html = f.read()
    if 'id="events"' not in html or "11022" not in html:
        fail("report.html has no events table with the 11022 event")
    print("ok: %d events" % len(events))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

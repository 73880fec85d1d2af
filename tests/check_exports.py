#!/usr/bin/env python3
"""Checks certtrail's findings.json against testdata/gen_exports.py's
expectations.

  check_exports.py server FINDINGS EXPECTED SERVER
      the inventory of one server (exports.zip: every object of SERVER, and
      no more of them than expected)
  check_exports.py twin FINDINGS EXPECTED FORMAT
      the twin server exported in FORMAT
  check_exports.py reports OUTDIR EXPECTED
      report.html and report.xlsx show every server's receive connectors,
      transport service and events (exports.zip)
  check_exports.py agree EXPECTED FINDINGS...
      the twin's exports in every format say the same: every field that two
      formats both know has the same value in both

Prints what differs and exits 1 on any difference.
"""

import html
import json
import re
import sys
import zipfile

KEYS = {
    "certificates": ("server", "thumbprint"),
    "receive_connectors": ("server", "name"),
    "transport_services": ("server",),
    "queues": ("identity",),
    "events": ("server", "id"),
    "send_connectors": ("name",),
}

PROBLEMS = []
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ?$")


def problem(msg):
    PROBLEMS.append(msg)


def key_of(kind, obj):
    return tuple(obj.get(k) for k in KEYS[kind])


def belongs(kind, obj, server):
    if kind == "send_connectors":
        return obj.get("name", "").endswith(" " + server)
    return obj.get("server") == server


def compare_inventory(findings, expected, server, label):
    compared = 0
    for kind, exp_list in expected.items():
        got = [o for o in findings.get(kind, []) if belongs(kind, o, server)]
        if len(got) != len(exp_list):
            problem("%s %s: %d object(s), expected %d" % (label, kind, len(got),
                                                          len(exp_list)))
        index = {key_of(kind, o): o for o in got}
        for e in exp_list:
            k = key_of(kind, e)
            o = index.get(k)
            if o is None:
                problem("%s %s %s: missing" % (label, kind, k))
                continue
            for field, want in e.items():
                have = o.get(field, "<absent>")
                compared += 1
                if have != want:
                    problem("%s %s %s: %s is %r, expected %r" % (label, kind, k, field,
                                                                 have, want))
    return compared


def check_reports(outdir, exp):
    page = open(outdir + "/report.html", encoding="utf-8").read()
    with zipfile.ZipFile(outdir + "/report.xlsx") as z:
        book = z.read("xl/workbook.xml").decode()
        strings = html.unescape(z.read("xl/sharedStrings.xml").decode())
    sheets = re.findall(r'<sheet name="([^"]+)"', book)
    n = 0
    for want in ("Receive Connectors", "Transport Services", "Events"):
        n += 1
        if want not in sheets:
            problem("report.xlsx: no %s sheet (sheets: %s)" % (want, sheets))
    for section in ('id="receive-connectors"', 'id="transport-services"', 'id="events"'):
        n += 1
        if section not in page:
            problem("report.html: no section %s" % section)
    for server, s in exp["servers"].items():
        e = s["expected"]
        wants = [r["name"] for r in e["receive_connectors"]]
        wants += [t["internal_transport_certificate"] for t in e["transport_services"]]
        wants += [ev["message"][:60] for ev in e["events"]]
        for w in wants:
            n += 2
            if html.escape(w, quote=False) not in page:
                problem("report.html: %r (%s) not shown" % (w, server))
            if w not in strings:
                problem("report.xlsx: %r (%s) not in any cell" % (w, server))
    return n


def main():
    mode = sys.argv[1]
    if mode == "reports":
        n = check_reports(sys.argv[2], json.load(open(sys.argv[3])))
    elif mode == "server":
        findings = json.load(open(sys.argv[2]))
        exp = json.load(open(sys.argv[3]))["servers"][sys.argv[4]]
        n = compare_inventory(findings, exp["expected"], sys.argv[4],
                              "%s (%s)" % (sys.argv[4], exp["format"]))
    elif mode == "twin":
        findings = json.load(open(sys.argv[2]))
        exp = json.load(open(sys.argv[3]))
        n = compare_inventory(findings, exp["formats"][sys.argv[4]], exp["server"],
                              sys.argv[4])
    elif mode == "agree":
        exp = json.load(open(sys.argv[2]))
        outs = [(p, json.load(open(p))) for p in sys.argv[3:]]
        n = 0
        for kind, fields in exp["formats"]["clixml"].items():
            fields = fields[0].keys() if fields else []
            for i, (pa, a) in enumerate(outs):
                for pb, b in outs[i + 1:]:
                    ia = {key_of(kind, o): o for o in a.get(kind, [])}
                    ib = {key_of(kind, o): o for o in b.get(kind, [])}
                    if set(ia) != set(ib):
                        problem("%s: %s and %s hold different objects: %s / %s" %
                                (kind, pa, pb, sorted(map(str, ia)), sorted(map(str, ib))))
                    for k in set(ia) & set(ib):
                        for f in fields:
                            va, vb = ia[k].get(f), ib[k].get(f)
                            if va is None or vb is None:
                                continue
                            if f == "message":
                                # Format-List loses a value's line breaks.
                                va, vb = " ".join(va.split()), " ".join(vb.split())
                            if isinstance(va, str) and isinstance(vb, str) and \
                                    TIME_RE.match(va) and TIME_RE.match(vb):
                                # EX05's clock is UTC: its local reading (no
                                # Z, the text does not say) is the same clock
                                # time as the UTC one.
                                va, vb = va.rstrip("Z"), vb.rstrip("Z")
                            n += 1
                            if va != vb:
                                problem("%s %s %s: %s says %r, %s says %r" %
                                        (kind, k, f, pa, va, pb, vb))
    else:
        sys.exit(__doc__)
    for p in PROBLEMS:
        print(p)
    print("%d field(s) compared, %d difference(s)" % (n, len(PROBLEMS)))
    if n == 0:
        print("nothing compared")
        return 1
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())

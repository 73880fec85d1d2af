#!/usr/bin/env python3
"""Checks what certtrail made of a pasted bundle (testdata/paste.py) for what
is paste-specific; tests/check_rules.py checks the rest of its expected file.

    check_paste.py OUTDIR EXPECTED --clean CLEAN_OUTDIR

OUTDIR holds certtrail's output for the pasted bundle, CLEAN_OUTDIR its
output for the clean bundle it came from. Checked:

- the warnings the paste calls for ("expected_diagnostics"), each naming
  its entry;
- a masked or cut thumbprint never stands as a thumbprint: no "*" in one, a
  record that lost its thumbprint gets it back only from a log row or
  another record that ties its serial number to it, and a thumbprint the
  pasted bundle no longer holds anywhere appears nowhere in findings.json;
- every record of a changed entry is still there with what survived:
  certificates (by server and serial number), queues (an identity that was
  cut is unknown, never made up), events, with their dates (read right, or
  unknown only where the file cannot tell day from month);
- the findings the paste loosened, and those lost facts must not produce;
- nothing dropped: per server and kind, as many certificates, queues,
  connectors, transport services and events as the clean run found, the
  same log counts and symptoms, every entry read, unless a cost says
  otherwise ("count_delta", "log_delta").

Prints one line per failure; exit 1 on any failure.
"""

import argparse
import datetime as dt
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # never write into the source tree
import check_findings as cf  # noqa: E402

DATE_SLACK = dt.timedelta(hours=14)     # a local time read as UTC, or converted
EVIDENCE_SYMPTOMS = ("tls_failure", "queue", "transcript", "event", "connect_failure",
                     "response")


def up(s):
    return (s or "").upper()


def norm(s):
    return cf.norm_ws(s).lower()


def parse_time(s):
    try:
        return dt.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S")
    except (TypeError, ValueError):
        return None


def check_date(c, field, got, want, may_be_unknown):
    if want is None:
        return
    if got is None:
        c.expect(may_be_unknown, field, "unknown, want %s (local); the file tells day "
                 "from month" % want)
        return
    g = parse_time(got)
    c.expect(g is not None and abs(g - parse_time(want)) <= DATE_SLACK, field,
             "%r, want %s (local, within 14 h)" % (got, want))


# ----------------------------------------------------------------- diagnostics

def check_diagnostics(c, doc, exp):
    diags = [d for d in doc.get("diagnostics") or [] if isinstance(d, dict)]
    for want in exp.get("expected_diagnostics", []):
        src = want["source"]
        hits = [d for d in diags if (d.get("source") or "").endswith(src) and
                d.get("level") in want["levels"] and
                any(s.lower() in (d.get("message") or "").lower() for s in want["any_of"])]
        near = ["%s: %s" % (d.get("level"), d.get("message")) for d in diags
                if (d.get("source") or "").endswith(src)]
        c.expect(hits, "diagnostics[%s]" % want["transformation"],
                 "no %s naming %s (%s) for %s; it has: %s" % (
                     "/".join(want["levels"]), src, " | ".join(want["any_of"]), want["what"],
                     "; ".join(near) or "nothing"))


# ----------------------------------------------------------------- thumbprints

def check_thumbprints(c, doc, raw, exp):
    p = exp["paste"]
    for tp in p.get("thumbprints_forbidden", []):
        c.expect(tp not in up(raw), "thumbprints",
                 "%s appears in findings.json, but the pasted bundle holds it only "
                 "masked or cut" % tp)
    for x in doc.get("certificates") or []:
        t = x.get("thumbprint")
        c.expect(t is None or "*" not in t, "certificates",
                 "%r stands as a thumbprint (%s)" % (t, x.get("server")))
    for f in doc.get("findings") or []:
        for t in f.get("thumbprints") or []:
            c.expect("*" not in t, "findings[%s].thumbprints" % f.get("rule"),
                     "%r stands as a thumbprint" % t)


# ----------------------------------------------------------------- records

def check_certificates(c, doc, exp):
    certs = [x for x in doc.get("certificates") or [] if isinstance(x, dict)]
    for w in exp["paste"]["certificates"]:
        server = up(w["server"])
        if w.get("table"):
            f = "certificates[%s/%s] (table view, %s)" % (server, w["thumbprint"], w["entry"])
            got = [x for x in certs if up(x.get("server")) == server and
                   x.get("thumbprint") == w["thumbprint"]]
            if c.expect(got, f, "dropped"):
                c.expect(sorted(got[0].get("services") or []) == sorted(w["services"]),
                         f + ".services", "%r, want %r" % (got[0].get("services"),
                                                           w["services"]))
            continue
        f = "certificates[%s serial %s] (%s)" % (server, w["serial"], w["entry"])
        got = [x for x in certs if up(x.get("serial")) == up(w["serial"]) and
               up(x.get("server")) == server]
        if not got:
            other = [x.get("server") for x in certs if up(x.get("serial")) == up(w["serial"])]
            c.fail(f, "dropped" + (" (found on server %r)" % other[0] if other else
                                   " (no certificate has that serial number)"))
            continue
        x = got[0]
        tp = x.get("thumbprint")
        if w["thumbprint"] is not None:
            c.expect(tp == w["thumbprint"], f + ".thumbprint", "%r, want %s" % (
                tp, w["thumbprint"]))
        else:
            ok = tp is None or (w.get("thumbprint_may_be") and tp == w["thumbprint_may_be"])
            c.expect(ok, f + ".thumbprint", "%r, want null%s (the record's thumbprint is %s)"
                     % (tp, " or %s (tied to the serial number by the bundle)" %
                        w["thumbprint_may_be"] if w.get("thumbprint_may_be") else "",
                        "masked as %s" % w["masked_as"] if w.get("masked_as") else "cut"))
        subj = x.get("subject")
        if w["subject"] is not None:
            c.expect(norm(subj) == norm(w["subject"]), f + ".subject", "%r, want %r" % (
                subj, w["subject"]))
        else:
            c.expect(subj is None or norm(subj) == norm(w.get("subject_may_be")),
                     f + ".subject", "%r, want null (the record's Subject line was cut)" %
                     subj)
        c.expect(norm(x.get("issuer")) == norm(w["issuer"]), f + ".issuer",
                 "%r, want %r" % (x.get("issuer"), w["issuer"]))
        if w["services"] is not None:
            c.expect(x.get("services") is not None and
                     sorted(x["services"]) == sorted(w["services"]), f + ".services",
                     "%r, want %r" % (x.get("services"), w["services"]))
        for k in ("not_before", "not_after"):
            check_date(c, f + "." + k, x.get(k), w[k], w["dates_may_be_unknown"])


def check_queues(c, doc, exp):
    queues = [q for q in doc.get("queues") or [] if isinstance(q, dict)]
    for w in exp["paste"]["queues"]:
        server = up(w["server"])
        if w["identity"] is not None:
            f = "queues[%s] (%s)" % (w["identity"], w["entry"])
            got = [q for q in queues if up(q.get("identity")) == up(w["identity"])]
        else:
            f = "queues[%s, no Identity, %s, %d messages] (%s)" % (
                server, w["status"], w["message_count"], w["entry"])
            got = [q for q in queues if not q.get("identity") and
                   up(q.get("server")) == server and q.get("status") == w["status"] and
                   q.get("message_count") == w["message_count"]]
        if not c.expect(got, f, "dropped"):
            continue
        q = got[0]
        c.expect(up(q.get("server")) == server, f + ".server", "%r, want %s" % (
            q.get("server"), server))
        c.expect(q.get("status") == w["status"], f + ".status", "%r, want %r" % (
            q.get("status"), w["status"]))
        c.expect(q.get("message_count") == w["message_count"], f + ".message_count",
                 "%r, want %r" % (q.get("message_count"), w["message_count"]))
        c.expect(norm(q.get("last_error")) == norm(w["last_error"]), f + ".last_error",
                 "%r, want %r" % (q.get("last_error"), w["last_error"]))
        check_date(c, f + ".last_retry_time", q.get("last_retry_time"), w["last_retry"],
                   w["dates_may_be_unknown"])


def check_events(c, doc, exp):
    events = [e for e in doc.get("events") or [] if isinstance(e, dict)]
    for w in exp["paste"]["events"]:
        f = "events[%s %d] (%s)" % (w["server"], w["id"], w["entry"])
        got = [e for e in events if up(e.get("server")) == up(w["server"]) and
               e.get("id") == w["id"]]
        if c.expect(got, f, "dropped"):
            check_date(c, f + ".time", got[0].get("time"), w["time"],
                       w["dates_may_be_unknown"])


# ----------------------------------------------------------------- findings

def check_loose(c, doc, exp):
    for w in exp["paste"]["findings"]:
        cands = cf.find_by_rule(doc, w["rule"])
        field = "finding[%s]" % w["rule"]
        if not c.expect(cands, field, "missing (what survived the paste still shows it)"):
            continue
        best = None
        for f in cands:
            sub = cf.Checker()
            check_one_loose(sub, f, w, "%s %s" % (field, f.get("id")))
            if best is None or len(sub.failures) < len(best):
                best = sub.failures
        c.failures.extend(best)


def within(c, field, got, required, allowed, norm_=lambda x: x):
    g = {norm_(x) for x in got or []}
    req = {norm_(x) for x in required}
    ok = req <= g <= req | {norm_(x) for x in allowed}
    c.expect(ok, field, "%r, want all of %r%s" % (
        sorted(got or []), sorted(required),
        " and at most also %r" % sorted(allowed) if allowed else " and no other"))


def check_one_loose(c, f, w, field):
    c.expect(f.get("severity") in w["severity_any"], field + ".severity",
             "%r, want %s" % (f.get("severity"), " or ".join(w["severity_any"])))
    within(c, field + ".servers", f.get("servers"), w["servers_required"],
           w["servers_allowed"], up)
    within(c, field + ".connectors", f.get("connectors"), w["connectors"],
           w.get("connectors_allowed", []))
    within(c, field + ".thumbprints", f.get("thumbprints"), w["thumbprints_required"],
           w["thumbprints_allowed"])
    cmds = [cf.norm_ws(s.get("command")) for s in f.get("remediation") or []
            if isinstance(s, dict) and s.get("command")]
    for want in w.get("remediation_commands", []):
        c.expect(any(cf.norm_ws(want) in x for x in cmds), field + ".remediation",
                 "no command contains %r" % want)
    sources = [e.get("source") or "" for e in f.get("evidence") or [] if isinstance(e, dict)]
    for want in w.get("evidence_sources", []):
        c.expect(any(want in s for s in sources), field + ".evidence",
                 "no evidence from a source containing %r" % want)
    for key, name in (("first_seen_between", "first_seen"), ("last_seen_between", "last_seen")):
        if key in w:
            v = f.get(name)
            lo, hi = w[key]
            c.expect(isinstance(v, str) and cf.ISO_RE.match(v) and
                     cf.parse_iso(lo) <= cf.parse_iso(v) <= cf.parse_iso(hi),
                     field + "." + name, "%r, want between %s and %s" % (v, lo, hi))


def check_forbidden(c, doc, exp):
    for w in exp["paste"]["findings_forbidden"]:
        for f in cf.find_by_rule(doc, w["rule"]):
            hit = ("server" not in w or up(w["server"]) in map(up, f.get("servers") or [])) \
                and ("thumbprint" not in w or w["thumbprint"] in (f.get("thumbprints") or [])) \
                and ("connector" not in w or w["connector"] in (f.get("connectors") or []))
            c.expect(not hit, "finding[%s] %s" % (w["rule"], f.get("id")),
                     "reported although %s: %s" % (w["why"], f.get("title")))


# ----------------------------------------------------------------- counts

def per_server(items):
    out = {}
    for x in items or []:
        if isinstance(x, dict):
            k = up(x.get("server"))
            out[k] = out.get(k, 0) + 1
    return out


def check_counts(c, doc, clean, exp):
    p = exp["paste"]
    delta = p.get("count_delta", {}).get("certificates", {})
    a, b = per_server(clean.get("certificates")), per_server(doc.get("certificates"))
    for s in sorted(set(a) | set(b)):
        want = a.get(s, 0) + delta.get(s, 0)
        c.expect(b.get(s, 0) == want, "certificates", "%d on server %r, want %d (the clean "
                 "bundle gives %d%s)" % (b.get(s, 0), s, want, a.get(s, 0),
                                         ", one more per record that lost its twin"
                                         if delta.get(s) else ""))
    a, b = per_server(clean.get("queues")), per_server(doc.get("queues"))
    for s in sorted(set(a) | set(b)):
        c.expect(a.get(s, 0) == b.get(s, 0), "queues", "%d on server %r, the clean bundle "
                 "gives %d" % (b.get(s, 0), s, a.get(s, 0)))
    for k in ("send_connectors", "receive_connectors", "transport_services", "events"):
        n0, n1 = len(clean.get(k) or []), len(doc.get(k) or [])
        c.expect(n0 == n1, k, "%d, the clean bundle gives %d" % (n1, n0))
    l0, l1 = clean.get("log_summary") or {}, doc.get("log_summary") or {}
    ld = p.get("log_delta", {})
    for k in ("files", "rows", "sessions", "tls_ok", "tls_failed", "bad_rows",
              "headerless_files", "connect_failures", "error_responses"):
        if k in l0 and k in l1:
            if l0[k] is None or l1[k] is None:
                # No protocol log read: what the logs would show is unknown
                # (null), in the clean bundle and after the paste alike.
                c.expect(l0[k] is None and l1[k] is None, "log_summary." + k,
                         "%r, the clean bundle gives %r" % (l1[k], l0[k]))
                continue
            want = l0[k] + ld.get(k, 0)
            c.expect(l1[k] == want, "log_summary." + k, "%r, want %d (clean %d%s)" % (
                l1[k], want, l0[k], " %+d" % ld[k] if ld.get(k) else ""))
    s0, s1 = symptom_counts(clean), symptom_counts(doc)
    for k in EVIDENCE_SYMPTOMS:
        c.expect(s0.get(k, 0) == s1.get(k, 0), "symptoms", "%d %s, the clean bundle gives "
                 "%d" % (s1.get(k, 0), k, s0.get(k, 0)))
    status = {e.get("path"): e.get("status") for e in doc.get("entries") or []}
    for e in clean.get("entries") or []:
        if e.get("status") == "read":
            c.expect(status.get(e.get("path")) == "read", "entries",
                     "%s is %r, read in the clean bundle" % (e.get("path"),
                                                             status.get(e.get("path"))))


def symptom_counts(doc):
    out = {}
    for s in doc.get("symptoms") or []:
        if isinstance(s, dict):
            out[s.get("kind")] = out.get(s.get("kind"), 0) + (s.get("count") or 1)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("expected")
    ap.add_argument("--clean", required=True, help="certtrail's output for the clean bundle")
    a = ap.parse_args(argv)
    c = cf.Checker()
    exp = cf.load_json(a.expected, c, "expected")
    doc = cf.load_json(os.path.join(a.outdir, "findings.json"), c)
    clean = cf.load_json(os.path.join(a.clean, "findings.json"), c, "clean findings.json")
    if exp is not None and doc is not None:
        with open(os.path.join(a.outdir, "findings.json"), encoding="utf-8") as f:
            raw = f.read()
        check_diagnostics(c, doc, exp)
        check_thumbprints(c, doc, raw, exp)
        check_certificates(c, doc, exp)
        check_queues(c, doc, exp)
        check_events(c, doc, exp)
        check_loose(c, doc, exp)
        check_forbidden(c, doc, exp)
        if clean is not None:
            check_counts(c, doc, clean, exp)
    for f in c.failures:
        print(f)
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())

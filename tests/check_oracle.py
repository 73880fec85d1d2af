#!/usr/bin/env python3
"""Checks certtrail's findings.json against testdata/realdata/ORACLE.json,
which was written by reading the evidence, not from certtrail's output.

    check_oracle.py artifact ORACLE.json NAME OUTDIR
        the facts and counts the oracle states of one artifact (events,
        certificates), the servers it names
    check_oracle.py bundle ORACLE.json NAME OUTDIR EXIT_CODE [--verdict]
        a bundle: a report was written (exit 0) when one is expected, the
        servers named, at least as many symptoms as the oracle lists; with
        --verdict, the verdict is none of those the oracle rules out
    check_oracle.py healthchecker EXPECTED.json OUTDIR [--xml]
        testdata/gen_healthchecker.py's facts: certificates, their lifetime
        (and with --xml their exact NotAfter), the TLS settings, the Auth and
        internal transport certificates

Prints one line per difference; exits 1 when there is any.
"""

import json
import sys

FAILS = []
RELEVANT = {1035, 2004, 2017, 11022, 12012, 12013, 12014, 12015, 12016, 12017,
            12018, 12019, 12020, 12023, 12024}


def fail(msg):
    FAILS.append(msg)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def short(name):
    return None if name is None else name.split(".")[0].upper()


def named_servers(d):
    out = set()
    for key in ("certificates", "events", "receive_connectors", "queues",
                "transport_services", "tls_settings"):
        for r in d.get(key, []):
            if r.get("server"):
                out.add(r["server"].upper())
    return out


def event_facts(art, d):
    events = d["events"]
    for fact in art.get("facts", []):
        if fact["object"] != "event":
            continue
        field = fact["field"]
        if "contains" in fact:
            if not any(e.get("message") and fact["contains"] in e["message"]
                       for e in events):
                fail("no event message contains %r" % fact["contains"])
            continue
        if field == "time":
            if fact.get("value") is None and "local" not in fact:
                if any(e["time"] is not None for e in events):
                    fail("event time read although the oracle says %s" %
                         fact.get("why", "it is not given"))
            elif "local" in fact:
                want = fact["local"]
                got = [e["time"] for e in events]
                if not any(g and g.startswith(want) for g in got):
                    fail("event time %s (local) not read: %s" % (want, got))
            continue
        if field == "id" and fact.get("value") is None:
            # Not written: the wording says which event it is.
            if any(e["id"] is not None for e in events):
                fail("an event id read although none is written")
            continue
        key = {"id": "id", "source": "source"}.get(field)
        if key and not any(e.get(key) == fact["value"] for e in events):
            fail("no event with %s %r: %s" % (key, fact["value"],
                 [e.get(key) for e in events]))


def cert_facts(art, d):
    certs = d["certificates"]
    by_tp = {c["thumbprint"]: c for c in certs if c.get("thumbprint")}
    for fact in art.get("facts", []):
        if fact["object"] != "certificate":
            continue
        field = fact["field"]
        if field == "thumbprint":
            if fact["value"] not in by_tp:
                fail("certificate %s not read" % fact["value"])
        elif field == "services":
            c = by_tp.get(fact.get("thumbprint"))
            if c is None or sorted(c["services"] or []) != sorted(fact["value"]):
                fail("certificate %s services %s, the oracle says %s" % (
                     fact.get("thumbprint"), c and c["services"], fact["value"]))
        elif field == "server":
            if not any(short(c.get("server")) == short(fact["value"]) for c in certs):
                fail("no certificate on %s" % fact["value"])


def artifact(oracle, name, out):
    art = load(oracle)["artifacts"][name]
    d = load(out + "/findings.json")
    ids = [f.get("value") for f in art.get("facts", [])
           if f["object"] == "event" and f["field"] == "id"]
    if ids and all(i is not None and i not in RELEVANT for i in ids):
        # None of its events bears on TLS or certificates: all are read,
        # none kept, and a diagnostic says how many were read.
        n = art["counts"]["events"]
        want = "%d event%s read, 0 about TLS" % (n, "" if n == 1 else "s")
        if d["events"]:
            fail("events kept from an export with none about TLS: %s" %
                 [e["id"] for e in d["events"]])
        if not any(want in x["message"] for x in d["diagnostics"]):
            fail("no diagnostic says %r" % want)
        return
    for kind, n in art.get("counts", {}).items():
        got = len(d.get(kind, []))
        if kind == "events":
            # Only the events that bear on TLS and certificates are kept
            # (docs/formats.md lists them): the oracle's other ids are not.
            ids = [f.get("value") for f in art.get("facts", [])
                   if f["object"] == "event" and f["field"] == "id"]
            if ids and len(ids) == n:
                n = len([i for i in ids if i is None or i in RELEVANT])
        if got != n:
            fail("%d %s, the oracle counts %d" % (got, kind, n))
    event_facts(art, d)
    cert_facts(art, d)
    servers = named_servers(d)
    for s in art.get("servers", []):
        if short(s) not in servers:
            fail("server %s not named (named: %s)" % (s, sorted(servers)))


def bundle(oracle, name, out, code, verdict):
    b = load(oracle)["bundles"]["bundles/" + name]
    if b.get("expect_report") and code != 0:
        fail("exit %d, a report is expected" % code)
        return
    d = load(out + "/findings.json")
    servers = named_servers(d)
    for s in b.get("servers", []):
        if short(s) not in servers:
            fail("server %s not named (named: %s)" % (s, sorted(servers)))
    if len(d["symptoms"]) < len(b.get("symptoms", [])):
        fail("%d symptoms, the oracle lists %d: %s" % (
             len(d["symptoms"]), len(b["symptoms"]), b["symptoms"]))
    if verdict and d["verdict"]["state"] in b.get("verdict_not", []):
        fail("verdict %s, which the oracle rules out (%s)" % (
             d["verdict"]["state"], b.get("notes", "")))


def healthchecker(expected, out, xml):
    e = load(expected)
    d = load(out + "/findings.json")
    by_tp = {c["thumbprint"]: c for c in d["certificates"]}
    if len(d["certificates"]) != len(e["certificates"]):
        fail("%d certificates, want %d" % (len(d["certificates"]),
             len(e["certificates"])))
    for w in e["certificates"]:
        c = by_tp.get(w["thumbprint"])
        if c is None:
            fail("certificate %s not read" % w["thumbprint"])
            continue
        if c["server"] != e["server"]:
            fail("%s on %s, want %s" % (w["thumbprint"], c["server"], e["server"]))
        if c["lifetime_days"] != w["lifetime_days"]:
            fail("%s lifetime %s, want %s" % (w["thumbprint"], c["lifetime_days"],
                                             w["lifetime_days"]))
        if sorted(c["services"] or []) != sorted(w["services"]):
            fail("%s services %s, want %s" % (w["thumbprint"], c["services"],
                                             w["services"]))
        for dom in w["domains"]:
            if dom not in (c["domains"] or []):
                fail("%s domains %s lack %s" % (w["thumbprint"], c["domains"], dom))
        if xml and c["not_after"] != w["not_after_utc"]:
            fail("%s NotAfter %s, want %s" % (w["thumbprint"], c["not_after"],
                                             w["not_after_utc"]))
    if len(d["tls_settings"]) != 1:
        fail("%d TLS settings records, want 1" % len(d["tls_settings"]))
        return
    s = d["tls_settings"][0]
    for v, sides in e["tls"].items():
        k = "tls" + v.replace(".", "_")
        if v == "1.3" and s[k + "_server"] is None:
            continue        # the reports show 1.3 only on a system that has it
        for side in ("server", "client"):
            if s[k + "_" + side] != sides[side]:
                fail("%s_%s %s, want %s" % (k, side, s[k + "_" + side], sides[side]))
    for k, v in e["net4"].items():
        if s["net4_" + k] != v:
            fail("net4_%s %s, want %s" % (k, s["net4_" + k], v))
    if s["auth_certificate"] != e["auth_certificate"]:
        fail("auth_certificate %s, want %s" % (s["auth_certificate"],
                                              e["auth_certificate"]))
    if s["internal_transport_certificate"] != e["internal_transport_certificate"]:
        fail("internal_transport_certificate %s, want %s" % (
             s["internal_transport_certificate"], e["internal_transport_certificate"]))


def main(argv):
    if len(argv) >= 5 and argv[1] == "artifact":
        artifact(argv[2], argv[3], argv[4])
    elif len(argv) >= 6 and argv[1] == "bundle":
        bundle(argv[2], argv[3], argv[4], int(argv[5]), "--verdict" in argv[6:])
    elif len(argv) >= 4 and argv[1] == "healthchecker":
        healthchecker(argv[2], argv[3], "--xml" in argv[4:])
    else:
        sys.stderr.write(__doc__)
        return 2
    for f in FAILS:
        print(f)
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

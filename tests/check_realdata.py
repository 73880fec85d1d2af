#!/usr/bin/env python3
"""Checks certtrail's findings.json for every artifact and bundle of the
real-evidence corpus against testdata/realdata/ORACLE.json, which was written
by reading the evidence, before certtrail ran on it.

    check_realdata.py ORACLE.json OUTDIR

OUTDIR holds one directory per artifact and bundle, named by its oracle key
with "/" turned into "__", each with certtrail's outputs and the file "rc"
(its exit status); tests/e2e_realdata.sh makes them. Prints TAP: per
artifact, that a report was written, each count, each fact, the servers it
names, whether it shows a symptom and that no masked value stands as a
thumbprint; per bundle, the report, the servers, the verdicts the evidence
rules out, the symptoms and the root cause.

A check that another part of certtrail owns (the UTC/local time labels, the
event-text and HealthChecker readers, Get-AuthConfig, the not_judged
verdict) and that still fails is listed in EXPECTED_FAIL with that owner; it
is reported as "not ok ... # TODO" (expected to fail). Once it passes, TAP
reports it as an unexpected pass, which fails the suite until the entry is
removed. A check owned by the pasted part itself (owner() below, decided
from the oracle alone) may be listed only with the reason it is not done,
as testdata/realdata/DISAGREEMENTS.md explains it.

Python standard library only.
"""

import json
import os
import re
import sys

TP_RE = re.compile(r"^[0-9A-F]{40}$")
# Evidence of mail flow going wrong, as opposed to what a rule derives from
# the configuration (an expired certificate in use).
EVIDENCE_SYMPTOMS = ("tls_failure", "queue", "transcript", "event", "connect_failure",
                     "response")
# Where each object of the oracle is in findings.json.
ARRAYS = {"certificate": "certificates", "queue": "queues",
          "send_connector": "send_connectors", "receive_connector": "receive_connectors",
          "transport_service": "transport_services", "event": "events",
          "auth_config": "auth_configs", "server": "servers"}
COUNTS = {"certificates": "certificates", "queues": "queues",
          "send_connectors": "send_connectors", "receive_connectors": "receive_connectors",
          "transport_services": "transport_services", "events": "events",
          "auth_configs": "auth_configs"}
# The oracle counts a log's data rows as a reader sees them in the file
# (grep -vc '^#'): certtrail's rows read plus the rows it counted bad (a
# damaged or malformed row is counted, not lost); what the rows say is
# checked by the TLS counts and the facts.
LOG_COUNTS = {"log_rows": ("rows", "bad_rows"), "sessions": ("sessions",),
              "tls_failed_rows": ("tls_failed",), "tls_ok_rows": ("tls_ok",)}
TIME_FIELDS = ("not_after", "not_before", "last_retry_time", "time",
               "next_certificate_effective_date")

# Checks that fail because another part has not done its work yet, by check
# id (the text after "ok N - "), with the part that owns them; and the
# pasted part's own that remain, with why (testdata/realdata/DISAGREEMENTS.md).
EXPECTED_FAIL = {
    # the events part: deliberately narrower than the oracle (DISAGREEMENTS.md, 1)
    "events/kb2958036-transport-events.txt: 5 events": "events",
    "events/kb2958036-transport-events.txt: fact 1 event.id 1019": "events",
    "events/kb2958036-transport-events.txt: fact 2 event.id 1018": "events",
    "events/kb2958036-transport-events.txt: fact 3 event.id 1036": "events",
    "events/kb2958036-transport-events.txt: fact 4 event.id 4999": "events",
    "events/kb2958036-transport-events.txt: fact 5 event.id 1046": "events",
    "events/kb2958036-transport-events.txt: fact 6 event.message contains \"Failed to start listening (Error: 10048). Binding: 0.0.0.0:25.\"": "events",
    "events/kb2958036-transport-events.txt: names the servers ['2013 SERVER']": "events",
    "events/kb2958036-transport-events.txt: shows a symptom": "events",
    # the pasted part
    "logs/tenantattribution-send-one-line.LOG: read, the three reports written": ("pasted", "six rows run together on one line, every field a placeholder: no date, session, sequence number or endpoint tells them for log rows"),
    "logs/tenantattribution-send-one-line.LOG: 6 log_rows": ("pasted", "six rows run together on one line, every field a placeholder: no date, session, sequence number or endpoint tells them for log rows"),
    "logs/tenantattribution-send-one-line.LOG: 1 sessions": ("pasted", "six rows run together on one line, every field a placeholder: no date, session, sequence number or endpoint tells them for log rows"),
    "logs/tenantattribution-send-one-line.LOG: 0 tls_failed_rows": ("pasted", "six rows run together on one line, every field a placeholder: no date, session, sequence number or endpoint tells them for log rows"),
    "logs/tenantattribution-send-one-line.LOG: 0 tls_ok_rows": ("pasted", "six rows run together on one line, every field a placeholder: no date, session, sequence number or endpoint tells them for log rows"),
    "logs/tenantattribution-send-one-line.LOG: fact 1 log.tls_failed 0": ("pasted", "six rows run together on one line, every field a placeholder: no date, session, sequence number or endpoint tells them for log rows"),
    "logs/tenantattribution-send-one-line.LOG: fact 2 certificate.subject \"CN=*.contoso.com\"": ("pasted", "six rows run together on one line, every field a placeholder: no date, session, sequence number or endpoint tells them for log rows"),
    "transcripts/enable-exchangecertificate-smtp-prompt.txt: read, the three reports written": ("pasted", "an Enable-ExchangeCertificate transcript without an error: findings.json has no place for the certificates it names"),
    "transcripts/enable-exchangecertificate-smtp-prompt.txt: 1 transcripts": ("pasted", "an Enable-ExchangeCertificate transcript without an error: findings.json has no place for the certificates it names"),
    "transcripts/enable-exchangecertificate-smtp-prompt.txt: fact 1 certificate.thumbprint \"79102C505AD17B79CAD5E3106B478751926A6435\"": ("pasted", "an Enable-ExchangeCertificate transcript without an error: findings.json has no place for the certificates it names"),
    "transcripts/enable-exchangecertificate-smtp-prompt.txt: fact 2 certificate.thumbprint \"7E8526F9BD6FBFF7DE5F4C8C67C6360ACFC8B312\"": ("pasted", "an Enable-ExchangeCertificate transcript without an error: findings.json has no place for the certificates it names"),
    "transcripts/enable-exchangecertificate-smtp-prompt.txt: names the servers ['EXCAS1']": ("pasted", "an Enable-ExchangeCertificate transcript without an error: findings.json has no place for the certificates it names"),
}


def short(name):
    """A server's short upper-case name ("exca1.corp.x" -> "EXCA1")."""
    if not isinstance(name, str) or not name:
        return None
    return name.split(".")[0].upper()


def norm(s):
    return " ".join(str(s).split()).lower() if s is not None else None


# ----------------------------------------------------------------- owners

def owner(kind, what, fact=None, counts=()):
    """The part of certtrail that owns a check, from the oracle alone:
    "time" (UTC or local, undecidable dates), "events" (event texts,
    HealthChecker), "judgment" (Get-AuthConfig), "verdict" (not_judged);
    "pasted" for everything else (reading what was pasted)."""
    if kind.startswith("healthchecker"):
        return "events"
    if fact is not None:
        if what == "label":
            return "time"
        if fact.get("object") == "auth_config":
            return "judgment"
        if fact.get("field") in TIME_FIELDS and fact.get("value") is None and \
                "as_written" in fact and "local" not in fact:
            return "time"
        if fact.get("object") == "event":
            return "events" if kind == "event-text" else "pasted"
    if what == "count:auth_configs" or (what == "servers" and
                                         set(counts) == {"auth_configs"}):
        # Get-AuthConfig is read by the judgment part: its server with it.
        return "judgment"
    if kind == "event-text" and what in ("count:events", "servers", "symptom"):
        return "events"
    return "pasted"


# ----------------------------------------------------------------- TAP

class Tap:
    def __init__(self):
        self.n = 0
        self.failed = {}
        self.seen = set()

    def result(self, ok, desc, why, own):
        self.n += 1
        self.seen.add(desc)
        todo = EXPECTED_FAIL.get(desc)
        if isinstance(todo, tuple):
            todo = "pasted part: %s" % todo[1] if todo[0] == "pasted" and todo[1] \
                else None
        elif todo == "pasted":
            todo = None
        elif todo is not None:
            todo = "%s part" % todo
        if todo is None and desc in EXPECTED_FAIL:
            why = (why or "") + " (EXPECTED_FAIL lists a check of this part " \
                "without the reason it is not done)"
            ok = False
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.n, desc,
                                " # TODO %s" % todo if todo else ""))
        if not ok:
            if why:
                for line in str(why).splitlines()[:20]:
                    print("#   " + line)
            print("#   owned by the %s part" % (own or "pasted"))
            if not todo:
                key = own or "pasted"
                self.failed[key] = self.failed.get(key, 0) + 1

    def finish(self):
        stale = sorted(set(EXPECTED_FAIL) - self.seen)
        for d in stale:
            self.result(False, "EXPECTED_FAIL entry names a check that exists: %s" % d,
                        "no such check", "pasted")
        print("1..%d" % self.n)
        if self.failed:
            print("# failing checks by owning part: %s" % ", ".join(
                "%s %d" % kv for kv in sorted(self.failed.items())))


# ----------------------------------------------------------------- reading

def load(outdir, key):
    d = os.path.join(outdir, key.replace("/", "__"))
    rc = None
    try:
        with open(os.path.join(d, "rc")) as f:
            rc = int(f.read().strip() or "-1")
    except (OSError, ValueError):
        pass
    doc = None
    try:
        with open(os.path.join(d, "findings.json"), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        pass
    stderr = ""
    try:
        with open(os.path.join(d, "stderr"), encoding="utf-8", errors="replace") as f:
            stderr = f.read()
    except OSError:
        pass
    files = [x for x in ("findings.json", "report.html", "report.xlsx")
             if os.path.isfile(os.path.join(d, x))]
    return rc, doc, stderr, files


def records(doc, obj, kind):
    """The records of findings.json an object of the oracle is compared with."""
    if doc is None:
        return []
    if obj == "certificate" and kind.startswith("protocol-log"):
        # A log shows the certificate presented in its TLS rows.
        return [{"thumbprint": t.get("certificate"), "subject": t.get("certificate_subject"),
                 "issuer": t.get("certificate_issuer")}
                for t in doc.get("tls_outcomes") or [] if isinstance(t, dict)]
    if obj == "receive_connector" and kind.startswith("protocol-log"):
        # A receive log names its connector in each row.
        return [{"identity": t.get("connector"), "server": t.get("server")}
                for arr in ("tls_outcomes", "smtp_sessions") for t in doc.get(arr) or []
                if isinstance(t, dict) and t.get("direction") == "receive"]
    if kind == "transcript":
        # A transcript's facts are those of the error it records.
        tr = [s for s in doc.get("symptoms") or []
              if isinstance(s, dict) and s.get("kind") == "transcript"]
        field = {"transcript": "message", "certificate": "thumbprint",
                 "send_connector": "name"}.get(obj)
        src = {"transcript": "text", "certificate": "thumbprint",
               "send_connector": "connector"}.get(obj)
        return [{field: s.get(src)} for s in tr] if field else []
    arr = ARRAYS.get(obj)
    return [x for x in doc.get(arr) or [] if isinstance(x, dict)] if arr else []


def pick(recs, fact):
    """The records a fact is about: those its key names, else all."""
    for k in ("thumbprint", "identity", "name"):
        if k in fact and k != fact["field"]:
            want = fact[k]
            return [r for r in recs if norm(r.get(k)) == norm(want)], "%s %s" % (k, want)
    return recs, None


def value_of(r, field):
    if field == "server":
        return short(r.get("server"))
    return r.get(field)


def same_value(got, want, field):
    if isinstance(want, list):
        if not isinstance(got, list):
            return False
        if field in ("services", "bindings", "domains", "source_transport_servers"):
            return sorted(norm(x) for x in got) == sorted(norm(x) for x in want)
        return [norm(x) for x in got] == [norm(x) for x in want]
    if isinstance(want, bool) or isinstance(want, int):
        return got == want
    if field == "server":
        return got == short(want)
    if field in TIME_FIELDS and isinstance(want, str):
        return isinstance(got, str) and got.rstrip("Z")[:19] == want.rstrip("Z")[:19] and \
            got.endswith("Z") == want.endswith("Z")
    return norm(got) == norm(want)


def fact_desc(fact):
    v = fact.get("value", fact.get("contains", fact.get("local")))
    return "%s.%s %s%s" % (fact["object"], fact["field"],
                           "contains " if "contains" in fact else "",
                           json.dumps(v, ensure_ascii=False)[:70])


def check_fact(tap, key, kind, i, fact, doc):
    obj, field = fact["object"], fact["field"]
    base = "%s: fact %d %s" % (key, i + 1, fact_desc(fact))
    if obj == "log":
        ls = (doc or {}).get("log_summary") or {}
        if field == "errors":
            errs = [t.get("error") or "" for t in (doc or {}).get("tls_outcomes") or []
                    if isinstance(t, dict)]
            ok = any(fact["contains"].lower() in e.lower() for e in errs)
            tap.result(ok, base, "TLS errors read: %r" % errs, owner(kind, "fact", fact))
        else:
            f = {"rows": "rows", "tls_failed": "tls_failed", "tls_ok": "tls_ok"}[field]
            tap.result(ls.get(f) == fact["value"], base, "log_summary.%s is %r" % (
                f, ls.get(f)), owner(kind, "fact", fact))
        return
    recs = records(doc, obj, kind)
    sel, named = pick(recs, fact)
    if named and not sel:
        tap.result(False, base, "no %s with %s among %d" % (obj, named, len(recs)),
                   owner(kind, "fact", fact))
        return
    if "row" in fact:
        # findings.json does not keep a table row's position: some record has it.
        sel = recs
    got = [value_of(r, field) for r in sel]
    if "contains" in fact:
        ok = any(isinstance(g, str) and fact["contains"].lower() in g.lower() for g in got)
        tap.result(ok, base, "values: %s" % json.dumps(got, ensure_ascii=False)[:600],
                   owner(kind, "fact", fact))
        return
    if field in TIME_FIELDS and isinstance(fact.get("value"), str) and \
            not fact["value"].endswith("Z"):
        fact = dict(fact, local=fact["value"])     # as written, zone unknown
    if "local" in fact:
        # A server-local time: read right (the clock time as written) ...
        want = fact["local"]
        ok = any(isinstance(g, str) and g.rstrip("Z")[:19] == want[:19] for g in got)
        tap.result(ok, base, "values: %s, want %s (server local time)" % (got, want),
                   owner(kind, "fact", fact))
        # ... and never labelled UTC (docs/contract.md: Z only when known).
        hits = [g for g in got if isinstance(g, str) and g.rstrip("Z")[:19] == want[:19]]
        tap.result(bool(hits) and not any(g.endswith("Z") for g in hits),
                   base + " not labelled UTC", "values: %s" % got,
                   owner(kind, "label", fact))
        return
    want = fact.get("value")
    if want is None:
        # Unknown: no record states a value for it ("value": null with no
        # key means every record of the artifact).
        if field == "thumbprint":
            bad = [g for g in got if g is not None]
        else:
            bad = [g for g in got if g not in (None, [], "")]
        tap.result(not bad, base, "values %s, want null" % bad, owner(kind, "fact", fact))
        return
    if field == "server" and named is None:
        # The server of the whole export: every record of it.
        ok = bool(got) and all(same_value(g, want, field) for g in got)
    else:
        ok = any(same_value(g, want, field) for g in got)
    tap.result(ok, base, "values: %s" % json.dumps(got, ensure_ascii=False)[:600],
               owner(kind, "fact", fact))


def named_servers(doc):
    """Every server findings.json attributes something to or names."""
    out = set()
    if doc is None:
        return out
    for arr in ("certificates", "queues", "receive_connectors", "transport_services",
                "events", "tls_outcomes", "smtp_sessions", "symptoms"):
        for x in doc.get(arr) or []:
            if isinstance(x, dict) and short(x.get("server")):
                out.add(short(x.get("server")))
    for sc in doc.get("send_connectors") or []:
        if isinstance(sc, dict):
            for s in sc.get("source_transport_servers") or []:
                if short(s):
                    out.add(short(s))
    for s in doc.get("servers") or []:
        if isinstance(s, dict) and short(s.get("name")):
            out.add(short(s.get("name")))
    return out


def evidence_symptoms(doc):
    return [s for s in (doc or {}).get("symptoms") or []
            if isinstance(s, dict) and s.get("kind") in EVIDENCE_SYMPTOMS]


def all_thumbprints(doc):
    """Every value findings.json gives as a certificate's thumbprint."""
    out = []
    for c in (doc or {}).get("certificates") or []:
        if isinstance(c, dict):
            out.append(c.get("thumbprint"))
    for t in (doc or {}).get("tls_outcomes") or []:
        if isinstance(t, dict):
            out += [t.get("certificate"), t.get("remote_certificate")]
    for f in (doc or {}).get("findings") or []:
        if isinstance(f, dict):
            out += f.get("thumbprints") or []
    return [t for t in out if t is not None]


def check_artifact(tap, key, a, outdir):
    kind = a["kind"]
    rc, doc, stderr, files = load(outdir, key)
    tap.result(rc == 0 and doc is not None and len(files) == 3,
               "%s: read, the three reports written" % key,
               "exit %r, wrote %s; %s" % (rc, files, stderr.strip()[-400:]),
               owner(kind, "report"))
    for what, n in sorted(a["counts"].items()):
        if what in LOG_COUNTS:
            ls = (doc or {}).get("log_summary") or {}
            parts = [ls.get(k) for k in LOG_COUNTS[what]]
            got = sum(parts) if all(isinstance(x, int) for x in parts) else None
        elif what == "transcripts":
            # One transcript a file: the entry read as one.
            got = len([e for e in (doc or {}).get("entries") or []
                       if isinstance(e, dict) and e.get("kind") == "transcript" and
                       e.get("status") == "read"])
        else:
            got = len((doc or {}).get(COUNTS[what]) or []) if doc is not None and \
                COUNTS[what] in doc else None
        tap.result(got == n, "%s: %d %s" % (key, n, what), "findings.json gives %r" % got,
                   owner(kind, "count:" + what))
    for i, fact in enumerate(a["facts"]):
        check_fact(tap, key, kind, i, fact, doc)
    want = {short(s) for s in a["servers"]}
    got = named_servers(doc)
    tap.result(got == want, "%s: names the servers %s" % (key, sorted(want) or "none"),
               "findings.json names %s" % (sorted(got) or "none"),
               owner(kind, "servers", counts=a["counts"]))
    sy = evidence_symptoms(doc)
    tap.result(bool(sy) == a["symptom"], "%s: %s" % (
        key, "shows a symptom" if a["symptom"] else "shows no symptom"),
        "symptoms: %s" % [s.get("text") for s in sy][:5], owner(kind, "symptom"))
    if a["masked"]:
        bad = [t for t in all_thumbprints(doc) if not TP_RE.match(t)]
        tap.result(not bad, "%s: no masked value stands as a thumbprint" % key,
                   "thumbprints: %s" % bad, owner(kind, "masked"))


BUNDLE_OWNERS = {
    # Configuration only: "not judged" is the verdict part's new state.
    ("bundles/per-server-folders", "verdict"): "verdict",
    ("bundles/healthchecker-export", "verdict"): "verdict",
    ("bundles/healthchecker-export", "servers"): "events",
    # auth-certificate reports the Auth certificate missing from the server;
    # that a finding without a symptom is no root cause is the verdict part's.
    ("bundles/css-exchange-e2k16-1", "verdict"): "verdict",
    # The 12014 event texts are the events part's.
    ("bundles/hybrid-12014-starttls", "symptom:event"): "events",
    ("bundles/mixed-cultures-de", "symptom:event"): "events",
}


def check_bundle(tap, key, b, outdir):
    rc, doc, stderr, files = load(outdir, key)
    own = lambda what: BUNDLE_OWNERS.get((key, what), "pasted")
    if b.get("expect_report"):
        tap.result(rc == 0 and doc is not None and len(files) == 3,
                   "%s: read, the three reports written" % key,
                   "exit %r, wrote %s; %s" % (rc, files, stderr.strip()[-400:]),
                   own("report"))
    want = {short(s) for s in b["servers"]}
    got = named_servers(doc)
    tap.result(got == want, "%s: names the servers %s" % (key, sorted(want) or "none"),
               "findings.json names %s" % (sorted(got) or "none"), own("servers"))
    state = ((doc or {}).get("verdict") or {}).get("state")
    tap.result(doc is not None and state not in b["verdict_not"],
               "%s: the verdict is none of %s" % (key, ", ".join(b["verdict_not"])),
               "verdict %r: %s" % (state, ((doc or {}).get("verdict") or {}).get("text")),
               own("verdict"))
    sy = evidence_symptoms(doc)
    if b["symptoms"]:
        kinds = {s.get("kind") for s in (doc or {}).get("symptoms") or []
                 if isinstance(s, dict)}
        for text in b["symptoms"]:
            k = symptom_kind(text)
            tap.result(k in kinds, "%s: shows the symptom: %s" % (key, text[:110]),
                       "symptoms: %s" % [(s.get("kind"), s.get("text")) for s in
                                         (doc or {}).get("symptoms") or []][:8],
                       own("symptom:" + k))
    else:
        tap.result(not sy, "%s: shows no symptom" % key,
                   "symptoms: %s" % [s.get("text") for s in sy][:5], own("symptoms"))
    for label, want, got in first_screen(b.get("first_screen"), outdir, key):
        tap.result(got == [str(want)], "%s: the first screen shows %s %s" % (
            key, want, label), "the page's tiles: %s" % (got or "none"),
            own("first_screen"))
    rce = b.get("root_cause_expected")
    if rce:
        rule = rce.split(":")[0].strip()
        rcid = (doc or {}).get("root_cause")
        got = [f.get("rule") for f in (doc or {}).get("findings") or []
               if isinstance(f, dict) and f.get("id") == rcid]
        tap.result(got == [rule], "%s: root cause %s" % (key, rule),
                   "root cause %r (%s)" % (rcid, got), own("root_cause"))


TILES = (("failed_tls_handshakes", "failed TLS handshake"),
         ("messages_queued_for_retry", "queued for retry"))


def first_screen(want, outdir, key):
    """(label, expected, the numbers of the page's tiles so labelled)."""
    if not want:
        return []
    try:
        with open(os.path.join(outdir, key.replace("/", "__"), "report.html"),
                  encoding="utf-8") as f:
            page = f.read()
    except OSError:
        page = ""
    tiles = re.findall(r'<span class="n">([^<]*)</span>'
                       r'<span class="l">([^<]*)</span>', page)
    return [(label, want[k], [n for n, l in tiles if label in l])
            for k, label in TILES if k in want]


def symptom_kind(text):
    """The kind of symptom (findings.json symptoms[].kind) an oracle sentence names."""
    t = text.lower()
    if t.startswith("queue"):
        return "queue"
    if t.startswith("event"):
        return "event"
    if "refused" in t:
        return "transcript"
    if "expired" in t:
        return "cert_expired"
    if "session" in t or "tls" in t:
        return "tls_failure"
    return "unknown"


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n")[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        oracle = json.load(f)
    tap = Tap()
    for key in sorted(oracle["artifacts"]):
        check_artifact(tap, key, oracle["artifacts"][key], argv[2])
    for key in sorted(oracle["bundles"]):
        check_bundle(tap, key, oracle["bundles"][key], argv[2])
    tap.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

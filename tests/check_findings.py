#!/usr/bin/env python3
"""Checks what certtrail wrote against docs/contract.md and a bundle's expected.json.

    check_findings.py check OUTDIR EXPECTED [--base DIR] [--labels CASE CUSTOMER ANALYST]
        findings.json against the schema and the expected file (input paths
        are resolved against --base, the directory certtrail ran in), then
        report.html and report.xlsx. Prints one line per failure naming the
        field; exit 1 on any failure.
    check_findings.py same A/findings.json B/findings.json
        the two analyses agree (findings, root cause, certificates,
        connectors, log summary); inputs and evidence paths may differ.
    check_findings.py get EXPECTED KEY
        prints a value of the expected file (lists one item a line).
    check_findings.py extract ZIP DIR [MEMBER...]
        writes the named members (all when none) of ZIP into DIR.
    check_findings.py explode ZIP DIR
        extracts ZIP into DIR, opening every nested zip X.zip into a
        folder X.
    check_findings.py diag FINDINGS REGEX
        exit 0 when no diagnostic matches REGEX, 1 otherwise.

Python standard library only.
"""

import hashlib
import html
import io
import json
import os
import re
import sys
import zipfile

SEVERITIES = ["critical", "high", "medium", "low", "info"]
SEV_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}
TP_RE = re.compile(r"^[0-9A-F]{40}$")
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
# The contract's times: UTC ends in Z; a server's local time, its offset
# unknown, has no zone at all (never Z, which would call it UTC).
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$", re.I)
SHEETS = ["Summary", "Findings", "Remediation", "Certificates", "Send Connectors",
          "Evidence"]


class Checker:
    def __init__(self):
        self.failures = []

    def fail(self, field, msg):
        self.failures.append("%s: %s" % (field, msg))

    def expect(self, cond, field, msg):
        if not cond:
            self.fail(field, msg)
        return cond

    # ---------------------------------------------------------- types

    def typed(self, obj, key, types, field, nullable=False):
        if not isinstance(obj, dict):
            self.fail(field, "not an object")
            return None
        if key not in obj:
            self.fail("%s.%s" % (field, key), "missing")
            return None
        v = obj[key]
        if v is None and nullable:
            return None
        if isinstance(v, bool) and bool not in _tuple(types):
            self.fail("%s.%s" % (field, key), "is a boolean, want %s" % _names(types))
            return None
        if not isinstance(v, types):
            self.fail("%s.%s" % (field, key), "is %s, want %s%s" % (
                type(v).__name__, _names(types), " or null" if nullable else ""))
            return None
        return v

    def time(self, obj, key, field, nullable=True):
        v = self.typed(obj, key, str, field, nullable)
        if v is not None:
            self.expect(TIME_RE.match(v), "%s.%s" % (field, key),
                        "%r is not an ISO-8601 time (UTC ending in Z, or local "
                        "without a zone)" % v)
        return v

    def zone_agrees(self, obj, keys, flag, field):
        """Times with Z are UTC, times without are local: the record's
        *_exact flag must say the same."""
        if not isinstance(obj, dict) or flag not in obj:
            return
        for k in keys:
            v = obj.get(k)
            if isinstance(v, str) and TIME_RE.match(v):
                self.expect(obj[flag] is v.endswith("Z"), "%s.%s" % (field, k),
                            "%r, but %s is %r" % (v, flag, obj[flag]))

    def strlist(self, obj, key, field, nullable=False):
        v = self.typed(obj, key, list, field, nullable)
        if v is not None:
            for i, s in enumerate(v):
                self.expect(isinstance(s, str), "%s.%s[%d]" % (field, key, i),
                            "is %s, want string" % type(s).__name__)
        return v

    def thumbprint(self, v, field):
        return self.expect(isinstance(v, str) and TP_RE.match(v), field,
                           "%r is not 40 upper-case hex digits" % (v,))


def _tuple(t):
    return t if isinstance(t, tuple) else (t,)


def _names(t):
    return " or ".join(x.__name__ for x in _tuple(t))


# -------------------------------------------------------------- schema

def check_schema(c, doc, base):
    c.expect(doc.get("schema") == "certtrail/findings/1", "schema",
             "is %r, want 'certtrail/findings/1'" % doc.get("schema"))
    tool = c.typed(doc, "tool", dict, "$")
    if tool is not None:
        c.expect(tool.get("name") == "certtrail", "tool.name", "is %r" % tool.get("name"))
        c.typed(tool, "version", str, "tool")
    case = c.typed(doc, "case", dict, "$")
    if case is not None:
        for k in ("case", "customer", "analyst"):
            c.typed(case, k, str, "case", nullable=True)
    inputs = c.typed(doc, "inputs", list, "$") or []
    c.expect(len(inputs) > 0, "inputs", "empty")
    for i, inp in enumerate(inputs):
        f = "inputs[%d]" % i
        path = c.typed(inp, "path", str, f)
        sha = c.typed(inp, "sha256", str, f, nullable=True)
        size = c.typed(inp, "bytes", int, f)
        if path is None:
            continue
        real = path if os.path.isabs(path) else os.path.join(base, path)
        if os.path.isfile(real):
            c.expect(sha is not None and sha.lower() == sha256_file(real), f + ".sha256",
                     "%r differs from hashlib's %s for %s" % (sha, sha256_file(real), real))
            c.expect(size == os.path.getsize(real), f + ".bytes",
                     "%r, file has %d" % (size, os.path.getsize(real)))
        elif os.path.isdir(real):
            c.expect(sha in (None, ""), f + ".sha256", "%r for a directory" % sha)
        else:
            c.fail(f + ".path", "%r does not name a file under %s" % (path, base))
    c.time(doc, "as_of", "$", nullable=False)
    c.typed(doc, "as_of_source", str, "$")

    findings = c.typed(doc, "findings", list, "$") or []
    ids = set()
    counts = {s: 0 for s in SEVERITIES}
    for i, f in enumerate(findings):
        check_finding_schema(c, f, "findings[%d]" % i)
        if isinstance(f, dict):
            if f.get("id") in ids:
                c.fail("findings[%d].id" % i, "duplicate id %r" % f.get("id"))
            ids.add(f.get("id"))
            if f.get("severity") in counts:
                counts[f["severity"]] += 1
    summary = c.typed(doc, "summary", dict, "$")
    if summary is not None:
        for s in SEVERITIES:
            v = c.typed(summary, s, int, "summary")
            if v is not None:
                c.expect(v == counts[s], "summary." + s,
                         "%d, but findings hold %d %s finding(s)" % (v, counts[s], s))
    if "root_cause" not in doc:
        c.fail("root_cause", "missing")
    else:
        rc = doc["root_cause"]
        if rc is None:
            # Findings may stand without a root cause: housekeeping (low)
            # findings, symptoms none of them explains, findings with no
            # symptom behind them, or an incident that is over (resolved);
            # the verdict then says so.
            state = (doc.get("verdict") or {}).get("state")
            c.expect(not findings or state in ("problems", "resolved", "clear",
                                               "not_judged"), "root_cause",
                     "null although there are findings and the verdict is %r" % state)
        else:
            c.expect(rc in ids, "root_cause", "%r is not the id of a finding" % rc)

    for i, g in enumerate(c.typed(doc, "gaps", list, "$") or []):
        c.typed(g, "what", str, "gaps[%d]" % i)
        c.typed(g, "collect", str, "gaps[%d]" % i, nullable=True)

    for i, cert in enumerate(c.typed(doc, "certificates", list, "$") or []):
        f = "certificates[%d]" % i
        c.typed(cert, "server", str, f, nullable=True)
        # Null when the export did not carry it whole (cut or masked); a
        # masked one is kept apart, never as a thumbprint.
        tp = c.typed(cert, "thumbprint", str, f, nullable=True)
        if tp is not None:
            c.thumbprint(tp, f + ".thumbprint")
        masked = c.typed(cert, "thumbprint_masked", str, f, nullable=True)
        c.expect(masked is None or tp is None, f + ".thumbprint_masked",
                 "%r beside the whole thumbprint %r" % (masked, tp))
        c.expect(masked is None or not TP_RE.match(masked), f + ".thumbprint_masked",
                 "%r is a whole thumbprint" % masked)
        for k in ("subject", "issuer", "serial", "status", "root_ca_type",
                  "signature_algorithm"):
            c.typed(cert, k, str, f, nullable=True)
        c.time(cert, "not_before", f)
        c.time(cert, "not_after", f)
        c.zone_agrees(cert, ("not_before", "not_after"), "dates_exact", f)
        c.strlist(cert, "domains", f, nullable=True)
        svc = c.strlist(cert, "services", f, nullable=True)
        for s in svc or []:
            c.expect(s in ("IMAP", "POP", "UM", "IIS", "SMTP", "Federation",
                           "UMCallRouter"), f + ".services", "unknown service %r" % s)
        for k in ("self_signed", "has_private_key"):
            c.typed(cert, k, bool, f, nullable=True)
        c.typed(cert, "key_bits", int, f, nullable=True)
        c.strlist(cert, "sources", f)

    for i, sc in enumerate(c.typed(doc, "send_connectors", list, "$") or []):
        f = "send_connectors[%d]" % i
        c.typed(sc, "name", str, f)
        c.typed(sc, "enabled", bool, f, nullable=True)
        c.strlist(sc, "source_transport_servers", f, nullable=True)
        for k in ("fqdn", "tls_certificate_name", "tls_auth_level", "tls_domain",
                  "protocol_logging_level"):
            c.typed(sc, k, str, f, nullable=True)
        c.typed(sc, "require_tls", bool, f, nullable=True)
        c.strlist(sc, "smart_hosts", f, nullable=True)
        c.strlist(sc, "address_spaces", f, nullable=True)
        c.strlist(sc, "sources", f)

    c.typed(doc, "receive_connectors", list, "$")
    for i, q in enumerate(c.typed(doc, "queues", list, "$") or []):
        f = "queues[%d]" % i
        c.time(q, "last_retry_time", f)
        c.zone_agrees(q, ("last_retry_time",), "last_retry_time_exact", f)
    for i, e in enumerate(c.typed(doc, "events", list, "$", nullable=True) or []):
        f = "events[%d]" % i
        c.time(e, "time", f)
        c.zone_agrees(e, ("time",), "time_exact", f)
    for i, s in enumerate(c.typed(doc, "servers", list, "$", nullable=True) or []):
        f = "servers[%d]" % i
        c.typed(s, "name", str, f)
        offs = {}
        for k in ("utc_offset_minutes", "utc_offset_minutes_nov_mar",
                  "utc_offset_minutes_may_aug"):
            offs[k] = c.typed(s, k, int, f, nullable=True)
            c.expect(offs[k] is None or (offs[k] % 15 == 0 and -840 <= offs[k] <= 840),
                     f + "." + k, "%r is no UTC offset" % offs[k])
        off = offs["utc_offset_minutes"]
        # One offset holds in both parts of the year, or each has its own.
        for k in ("utc_offset_minutes_nov_mar", "utc_offset_minutes_may_aug"):
            c.expect(off is None or offs[k] in (None, off), f + "." + k,
                     "%r beside the one offset %r" % (offs[k], off))
        both = [offs[k] for k in ("utc_offset_minutes_nov_mar", "utc_offset_minutes_may_aug")]
        split = None not in both and both[0] != both[1]
        c.expect(not split or off is None, f + ".utc_offset_minutes",
                 "%r while the parts of the year differ (%r)" % (off, both))
        src = c.typed(s, "offset_from", str, f, nullable=True)
        known = off is not None or split
        c.expect(known == (src is not None), f + ".offset_from",
                 "%r with offset %r: an offset names its clue, and only an "
                 "offset has one" % (src, off if off is not None else both))
    ls = c.typed(doc, "log_summary", dict, "$")
    if ls is not None:
        # What the logs would show is unknown (null) when no log was read.
        for k in ("files", "rows", "sessions", "tls_ok", "tls_failed"):
            v = c.typed(ls, k, int, "log_summary", nullable=k not in ("files", "rows"))
            if v is not None:
                c.expect(v >= 0, "log_summary." + k, "negative")
    for i, d in enumerate(c.typed(doc, "diagnostics", list, "$") or []):
        f = "diagnostics[%d]" % i
        lv = c.typed(d, "level", str, f)
        c.expect(lv in (None, "info", "warning", "error"), f + ".level", "%r" % lv)
        c.typed(d, "source", str, f, nullable=True)
        c.typed(d, "message", str, f)
    check_entries(c, doc, base)


def check_finding_schema(c, f, field):
    c.typed(f, "id", str, field)
    c.typed(f, "rule", str, field)
    sev = c.typed(f, "severity", str, field)
    c.expect(sev is None or sev in SEVERITIES, field + ".severity", "%r" % sev)
    t = c.typed(f, "title", str, field)
    c.expect(t is None or t.strip() != "", field + ".title", "empty")
    c.typed(f, "explanation", str, field)
    c.strlist(f, "servers", field)
    c.strlist(f, "connectors", field)
    for j, tp in enumerate(c.strlist(f, "thumbprints", field) or []):
        c.thumbprint(tp, "%s.thumbprints[%d]" % (field, j))
    c.time(f, "first_seen", field)
    c.time(f, "last_seen", field)
    for j, e in enumerate(c.typed(f, "evidence", list, field) or []):
        g = "%s.evidence[%d]" % (field, j)
        c.typed(e, "source", str, g)
        c.typed(e, "line", int, g)
        c.typed(e, "text", str, g)
        n = c.typed(e, "count", int, g)
        c.expect(n is None or n >= 1, g + ".count", "%r < 1" % n)
    steps = c.typed(f, "remediation", list, field) or []
    for j, r in enumerate(steps):
        g = "%s.remediation[%d]" % (field, j)
        n = c.typed(r, "step", int, g)
        c.expect(n is None or n == j + 1, g + ".step", "%r, want %d" % (n, j + 1))
        c.typed(r, "text", str, g)
        c.typed(r, "command", str, g, nullable=True)
    c.strlist(f, "references", field)


ENTRY_STATUSES = ("read", "skipped", "encrypted", "damaged", "unsupported")


def check_entries(c, doc, base):
    """Every manifest entry is well-formed, and those that can be found again
    in the inputs (a path is "<input>/<member>/...", or relative to the input
    when there is only one) carry that content's SHA-256 and size."""
    entries = c.typed(doc, "entries", list, "$")
    if entries is None:
        return
    roots = []
    inputs = [i.get("path") for i in doc.get("inputs") or []
              if isinstance(i, dict) and isinstance(i.get("path"), str)]
    for p in inputs:
        real = p if os.path.isabs(p) else os.path.join(base, p)
        roots.append((p.rstrip("/") + "/", real))
    if len(inputs) == 1:
        real = inputs[0] if os.path.isabs(inputs[0]) else os.path.join(base, inputs[0])
        roots.append(("", real))
    cache = {}
    verified = 0
    diag_sources = set(d.get("source") for d in doc.get("diagnostics") or []
                       if isinstance(d, dict))
    for i, e in enumerate(entries):
        f = "entries[%d]" % i
        path = c.typed(e, "path", str, f)
        status = c.typed(e, "status", str, f)
        c.expect(status in ENTRY_STATUSES, f + ".status", "%r" % status)
        why = c.typed(e, "why", str, f, nullable=True)
        # Every entry not read says why; a read one needs no reason.
        c.expect((why is None) == (status == "read"), f + ".why",
                 "%r for status %r" % (why, status))
        # ... and a diagnostic names it (or, for the rest of an archive, the archive).
        if status != "read" and path is not None:
            named = path.rsplit("/(rest not read)", 1)[0]
            c.expect(named in diag_sources, f + ".path",
                     "%s is %s but no diagnostic names it" % (path, status))
        sha = c.typed(e, "sha256", str, f, nullable=status != "read")
        c.expect(sha is None or HEX64_RE.match(sha), f + ".sha256", "%r" % sha)
        size = c.typed(e, "bytes", int, f)
        kind = c.typed(e, "kind", str, f, nullable=True)
        # A copy names a protocol log read before it, with its bytes.
        dup = c.typed(e, "duplicate_of", str, f, nullable=True)
        if dup is not None:
            first = [x for x in entries[:i] if isinstance(x, dict) and
                     x.get("path") == dup]
            c.expect(status == "read" and kind == "protocol-log" and
                     first != [] and first[-1].get("sha256") == sha,
                     f + ".duplicate_of", "%r is no protocol log read before "
                     "%s with its bytes" % (dup, path))
        if path is None or sha is None:
            continue
        for prefix, real in roots:
            if not path.startswith(prefix):
                continue
            got = resolve(real, path[len(prefix):], cache)
            if got is None:
                continue
            verified += 1
            c.expect(hashlib.sha256(got).hexdigest() == sha.lower(), f + ".sha256",
                     "%s: %s differs from hashlib's %s" % (
                         path, sha, hashlib.sha256(got).hexdigest()))
            c.expect(size == len(got), f + ".bytes", "%s: %r, the content has %d bytes" % (
                path, size, len(got)))
            break
    if entries:
        c.expect(verified > 0, "entries",
                 "no entry path could be found in the inputs (want '<input>/<member>/...')")


def resolve(real, rel, cache):
    """Content of rel under the input at real (a zip, a file or a directory)."""
    if os.path.isdir(real):
        parts = rel.split("/")
        for k in range(1, len(parts) + 1):
            p = os.path.join(real, *parts[:k])
            if os.path.isfile(p):
                with open(p, "rb") as fh:
                    data = fh.read()
                return data if k == len(parts) else zip_member(data, "/".join(parts[k:]))
            if not os.path.isdir(p):
                return None
        return None
    if real not in cache:
        try:
            with open(real, "rb") as fh:
                cache[real] = fh.read()
        except OSError:
            cache[real] = b""
    return zip_member(cache[real], rel) if rel else cache[real]


def zip_member(data, rel):
    """Member at rel ("a/b.zip/c.txt") inside the zip bytes, or None."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None
    names = set(z.namelist())
    if rel in names:
        try:
            return z.read(rel)
        except Exception:
            return None
    parts = rel.split("/")
    for i in range(1, len(parts)):
        head = "/".join(parts[:i])
        if head in names:
            try:
                inner = z.read(head)
            except Exception:
                return None
            return zip_member(inner, "/".join(parts[i:]))
    return None


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


# -------------------------------------------------------------- expected

def norm_ws(s):
    return re.sub(r"\s+", " ", s or "").strip()


def find_by_rule(doc, rule):
    return [f for f in doc.get("findings") or [] if isinstance(f, dict) and f.get("rule") == rule]


def parse_iso(s):
    import datetime as dt
    s = s.rstrip("Z").split(".")[0]
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S")


def check_expected(c, doc, exp):
    rules = [f.get("rule") for f in doc.get("findings") or [] if isinstance(f, dict)]
    for r in exp.get("rules_present", []):
        c.expect(r in rules, "findings", "no %s finding (rules found: %s)" % (r, rules))
    for r in exp.get("rules_absent", []):
        c.expect(r not in rules, "findings", "unexpected %s finding" % r)
    by_id = {f.get("id"): f for f in doc.get("findings") or [] if isinstance(f, dict)}
    root = by_id.get(doc.get("root_cause"))
    if "root_cause_rule" in exp:
        c.expect(root is not None and root.get("rule") == exp["root_cause_rule"],
                 "root_cause", "names %s, want a %s finding" % (
                     root.get("rule") if root else None, exp["root_cause_rule"]))
    if exp.get("root_cause_null"):
        c.expect(doc.get("root_cause") is None, "root_cause",
                 "%r (%s), want null: no symptom stands behind a finding" % (
                     doc.get("root_cause"), root.get("rule") if root else None))
    lim = exp.get("no_severity_at_or_above")
    if lim:
        for f in doc.get("findings") or []:
            c.expect(SEV_RANK.get(f.get("severity"), 0) < SEV_RANK[lim],
                     "findings[%s].severity" % f.get("id"),
                     "%s (%s), want below %s" % (f.get("severity"), f.get("rule"), lim))
    for ef in exp.get("findings", []):
        check_expected_finding(c, doc, ef)
    if root is not None:
        cmds = " | ".join(norm_ws(s.get("command")) for s in root.get("remediation") or []
                          if isinstance(s, dict) and s.get("command"))
        for group in exp.get("remediation_any_of", []):
            c.expect(any(norm_ws(g) in cmds for g in group), "root cause remediation",
                     "none of %s in its commands" % group)

    tol = exp.get("cert_time_tolerance_hours", 0) * 3600
    certs = [x for x in doc.get("certificates") or [] if isinstance(x, dict)]
    if "certificates_count" in exp:
        c.expect(len(certs) == exp["certificates_count"], "certificates",
                 "%d certificates, want %d (%s)" % (
                     len(certs), exp["certificates_count"],
                     ", ".join("%s/%s" % (x.get("server"), x.get("thumbprint")) for x in certs)))
    for ec in exp.get("certificates", []):
        field = "certificates[%s/%s]" % (ec["server"], ec["thumbprint"])
        match = [x for x in certs if x.get("thumbprint") == ec["thumbprint"]
                 and (x.get("server") or "").upper() == ec["server"].upper()]
        if not c.expect(match, field, "missing"):
            continue
        got = match[0]
        if "services" in ec:
            c.expect(got.get("services") is not None and
                     sorted(got["services"]) == sorted(ec["services"]),
                     field + ".services", "%r, want %r" % (got.get("services"), ec["services"]))
        for k in ("subject", "issuer"):
            if k in ec:
                c.expect(got.get(k) == ec[k], field + "." + k, "%r, want %r" % (got.get(k), ec[k]))
        if "self_signed" in ec:
            c.expect(got.get("self_signed") == ec["self_signed"], field + ".self_signed",
                     "%r, want %r" % (got.get("self_signed"), ec["self_signed"]))
        for k in ("not_before", "not_after"):
            if k + "_local" in ec:
                # The generator's truth: UTC with Z, or the server's clock
                # without it, each exactly (Z only when known to be UTC).
                v = got.get(k)
                utc = isinstance(v, str) and v.endswith("Z")
                want = ec[k] if utc else ec[k + "_local"]
                c.expect(isinstance(v, str) and v.rstrip("Z")[:19] == want.rstrip("Z")[:19],
                         field + "." + k, "%r, want %s (UTC) or %s (server local time, "
                         "without Z)" % (v, ec[k], ec[k + "_local"]))
            elif k in ec:
                v = got.get(k)
                ok = isinstance(v, str) and TIME_RE.match(v) and abs(
                    (parse_iso(v) - parse_iso(ec[k])).total_seconds()) <= tol
                c.expect(ok, field + "." + k, "%r, want %s (tolerance %d h)" % (
                    v, ec[k], tol // 3600))
    for bad in exp.get("thumbprints_absent_substring", []):
        for x in certs:
            c.expect(bad not in (x.get("thumbprint") or ""), "certificates",
                     "holds the invalid thumbprint %r" % x.get("thumbprint"))

    conns = {x.get("name"): x for x in doc.get("send_connectors") or [] if isinstance(x, dict)}
    for es in exp.get("send_connectors", []):
        field = "send_connectors[%s]" % es["name"]
        got = conns.get(es["name"])
        if not c.expect(got is not None, field, "missing (have %s)" % sorted(conns)):
            continue
        for k in ("tls_certificate_name", "require_tls", "protocol_logging_level"):
            if k in es:
                c.expect(got.get(k) == es[k], field + "." + k,
                         "%r, want %r" % (got.get(k), es[k]))
        for k in ("source_transport_servers", "smart_hosts"):
            if k in es:
                g = got.get(k)
                c.expect(g is not None and sorted(x.upper() for x in g) ==
                         sorted(x.upper() for x in es[k]),
                         field + "." + k, "%r, want %r" % (g, es[k]))

    ls = doc.get("log_summary") or {}
    for k, v in exp.get("log_summary_min", {}).items():
        c.expect(isinstance(ls.get(k), int) and ls[k] >= v, "log_summary." + k,
                 "%r, want at least %d" % (ls.get(k), v))
    for k, v in exp.get("log_summary_max", {}).items():
        c.expect(isinstance(ls.get(k), int) and ls[k] <= v, "log_summary." + k,
                 "%r, want at most %d" % (ls.get(k), v))
    # A server's clock: its offset, and the clue it came from.
    got_servers = {(x.get("name") or "").upper(): x for x in doc.get("servers") or []
                   if isinstance(x, dict)}
    for es in exp.get("servers", []):
        g = got_servers.get(es["name"].upper())
        field = "servers[%s]" % es["name"]
        c.expect(g is not None, field, "missing")
        if g is None:
            continue
        c.expect(g.get("utc_offset_minutes") == es["utc_offset_minutes"],
                 field + ".utc_offset_minutes", "%r, want %r" % (
                     g.get("utc_offset_minutes"), es["utc_offset_minutes"]))
        for want in es.get("offset_from_contains", []):
            c.expect(want in (g.get("offset_from") or ""), field + ".offset_from",
                     "%r does not name %r" % (g.get("offset_from"), want))
    if "queues_retry_min" in exp:
        n = sum(1 for q in doc.get("queues") or [] if isinstance(q, dict)
                and q.get("status") == "Retry")
        c.expect(n >= exp["queues_retry_min"], "queues",
                 "%d queue(s) in Retry, want at least %d" % (n, exp["queues_retry_min"]))

    diags = [("%s %s" % (d.get("source") or "", d.get("message") or ""))
             for d in doc.get("diagnostics") or [] if isinstance(d, dict)]
    for ed in exp.get("diagnostics", []):
        if "regex" in ed:
            hit = any(re.search(ed["regex"], d) for d in diags)
            want = "/%s/" % ed["regex"]
        else:
            hit = any(s in d for s in ed["any_of"] for d in diags)
            want = " or ".join(ed["any_of"])
        c.expect(hit, "diagnostics", "none names the %s (%s); have: %s" % (
            ed["what"], want, "; ".join(diags) or "none"))
    paths = [e.get("path") or "" for e in doc.get("entries") or [] if isinstance(e, dict)]
    for suffix in exp.get("entries_present", []):
        c.expect(any(p.endswith(suffix) for p in paths), "entries", "no entry ends with %s" % suffix)


def check_expected_finding(c, doc, ef):
    cands = find_by_rule(doc, ef["rule"])
    field = "finding[%s]" % ef["rule"]
    if not cands:
        return      # already reported by rules_present
    best, best_fail = None, None
    for f in cands:
        sub = Checker()
        check_one_finding(sub, f, ef, "%s %s" % (field, f.get("id")))
        if best is None or len(sub.failures) < len(best_fail):
            best, best_fail = f, sub.failures
    c.failures.extend(best_fail)


def check_one_finding(c, f, ef, field):
    c.expect(f.get("severity") == ef["severity"], field + ".severity",
             "%r, want %r" % (f.get("severity"), ef["severity"]))
    for k in ("servers", "connectors", "thumbprints"):
        got = f.get(k) or []
        norm = (lambda x: x.upper()) if k == "servers" else (lambda x: x)
        c.expect(sorted(norm(x) for x in got) == sorted(norm(x) for x in ef[k]),
                 field + "." + k, "%r, want %r" % (got, ef[k]))
    cmds = [norm_ws(s.get("command")) for s in f.get("remediation") or []
            if isinstance(s, dict) and s.get("command")]
    for want in ef.get("remediation_commands", []):
        c.expect(any(norm_ws(want) in x for x in cmds), field + ".remediation",
                 "no command contains %r; commands: %s" % (want, cmds))
    sources = [e.get("source") or "" for e in f.get("evidence") or [] if isinstance(e, dict)]
    for want in ef.get("evidence_sources", []):
        c.expect(any(want in s for s in sources), field + ".evidence",
                 "no evidence from a source containing %r; sources: %s" % (want, sources))
    text = norm_ws(f.get("explanation") or "")
    for want in ef.get("explanation_contains", []):
        c.expect(norm_ws(want) in text, field + ".explanation",
                 "does not say %r: %s" % (want, text))
    for bad in ef.get("explanation_lacks", []):
        c.expect(norm_ws(bad) not in text, field + ".explanation",
                 "says %r: %s" % (bad, text))
    for key, name in (("first_seen_between", "first_seen"), ("last_seen_between", "last_seen")):
        if key in ef:
            v = f.get(name)
            lo, hi = ef[key]
            c.expect(isinstance(v, str) and ISO_RE.match(v) and
                     parse_iso(lo) <= parse_iso(v) <= parse_iso(hi),
                     field + "." + name, "%r, want between %s and %s" % (v, lo, hi))


# -------------------------------------------------------------- reports

def html_text(raw):
    plain = re.sub(r"<[^>]*>", "", raw)
    return html.unescape(raw), html.unescape(plain)


def check_html(c, path, doc, exp, labels):
    try:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
    except (OSError, UnicodeDecodeError) as e:
        c.fail("report.html", "unreadable: %s" % e)
        return
    a, b = html_text(raw)
    a, b = norm_ws(a), norm_ws(b)

    def has(s):
        s = norm_ws(s)
        return s in a or s in b

    # Self-contained: nothing is fetched when the file is opened (links a
    # reader may click are fine).
    c.expect(re.search(r"<script[^>]*\bsrc\s*=", raw, re.I) is None, "report.html",
             "loads a script from elsewhere")
    for rx in (r"""\bsrc\s*=\s*["']?(?:https?:)?//""",
               r"""<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//""",
               r"""url\(\s*["']?(?:https?:)?//""", r"@import"):
        m = re.search(rx, raw, re.I)
        c.expect(m is None, "report.html", "fetches a network resource: %r" % (
            raw[m.start():m.start() + 80] if m else ""))
    by_id = {f.get("id"): f for f in doc.get("findings") or [] if isinstance(f, dict)}
    root = by_id.get(doc.get("root_cause"))
    if root is not None:
        c.expect(has(root.get("title") or ""), "report.html",
                 "lacks the root cause's title %r" % root.get("title"))
        for s in root.get("remediation") or []:
            if isinstance(s, dict) and s.get("command"):
                c.expect(has(s["command"]), "report.html",
                         "lacks the remediation command %r" % s["command"])
    for ef in exp.get("findings", []):
        for tp in ef["thumbprints"]:
            c.expect(has(tp), "report.html", "lacks thumbprint %s" % tp)
        for cn in ef["connectors"]:
            c.expect(has(cn), "report.html", "lacks connector %r" % cn)
    for es in exp.get("send_connectors", []):
        c.expect(has(es["name"]), "report.html", "lacks connector %r" % es["name"])
    for lab in labels or []:
        c.expect(has(lab), "report.html", "lacks the case label %r" % lab)


def xml_text(data):
    return html.unescape(data.decode("utf-8", errors="replace"))


def check_xlsx(c, path, doc, exp, labels):
    try:
        z = zipfile.ZipFile(path)
        names = set(z.namelist())
    except (OSError, zipfile.BadZipFile) as e:
        c.fail("report.xlsx", "not a zip: %s" % e)
        return
    bad = z.testzip()
    c.expect(bad is None, "report.xlsx", "member %s fails its CRC" % bad)
    if not c.expect("xl/workbook.xml" in names, "report.xlsx", "no xl/workbook.xml"):
        return
    wb = xml_text(z.read("xl/workbook.xml"))
    sheets = re.findall(r'<sheet [^>]*name="([^"]*)"', wb)
    for s in SHEETS:
        c.expect(s in sheets, "report.xlsx", "no sheet %r (have %s)" % (s, sheets))
    strings = xml_text(z.read("xl/sharedStrings.xml")) if "xl/sharedStrings.xml" in names else ""
    c.expect(strings != "", "report.xlsx", "no xl/sharedStrings.xml")
    wanted = set()
    for ef in exp.get("findings", []):
        wanted.update(ef["thumbprints"])
        wanted.update(ef["connectors"])
    for es in exp.get("send_connectors", []):
        wanted.add(es["name"])
    for w in sorted(wanted):
        c.expect(w in strings, "report.xlsx", "xl/sharedStrings.xml lacks %r" % w)
    props = "".join(xml_text(z.read(n)) for n in sorted(names) if n.startswith("docProps/"))
    created = re.search(r"<dcterms:created[^>]*>([^<]*)<", props)
    if c.expect(created is not None, "report.xlsx", "docProps/core.xml has no created date"):
        c.expect(created.group(1) == doc.get("as_of"), "report.xlsx",
                 "created %s, want the as-of time %s" % (created.group(1), doc.get("as_of")))
    for lab in labels or []:
        c.expect(lab in props, "report.xlsx", "document properties lack %r" % lab)


# -------------------------------------------------------------- commands

def load_json(path, c=None, field="findings.json"):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        if c is None:
            raise
        c.fail(field, "unreadable: %s" % e)
        return None


def cmd_check(argv):
    import argparse
    ap = argparse.ArgumentParser(prog="check_findings.py check")
    ap.add_argument("outdir")
    ap.add_argument("expected")
    ap.add_argument("--base", default=".")
    ap.add_argument("--labels", nargs=3)
    ap.add_argument("--formats", default="json,html,xlsx")
    a = ap.parse_args(argv)
    c = Checker()
    exp = load_json(a.expected)
    doc = load_json(os.path.join(a.outdir, "findings.json"), c)
    if doc is not None:
        check_schema(c, doc, a.base)
        check_expected(c, doc, exp)
        if a.labels:
            case = doc.get("case") or {}
            for k, v in zip(("case", "customer", "analyst"), a.labels):
                c.expect(case.get(k) == v, "case." + k, "%r, want %r" % (case.get(k), v))
        fm = a.formats.split(",")
        if "html" in fm:
            check_html(c, os.path.join(a.outdir, "report.html"), doc, exp, a.labels)
        if "xlsx" in fm:
            check_xlsx(c, os.path.join(a.outdir, "report.xlsx"), doc, exp, a.labels)
    for f in c.failures:
        print(f)
    return 1 if c.failures else 0


def essence(doc):
    fs = sorted((f.get("rule"), f.get("severity"), tuple(sorted(f.get("servers") or [])),
                 tuple(sorted(f.get("connectors") or [])),
                 tuple(sorted(f.get("thumbprints") or [])))
                for f in doc.get("findings") or [])
    by_id = {f.get("id"): f for f in doc.get("findings") or []}
    root = by_id.get(doc.get("root_cause")) or {}
    certs = sorted((x.get("server") or "", x.get("thumbprint") or "",
                    x.get("thumbprint_masked") or "", x.get("serial") or "",
                    tuple(x.get("services") or ()), x.get("not_after") or "")
                   for x in doc.get("certificates") or [])
    conns = sorted((x.get("name"), x.get("tls_certificate_name"),
                    tuple(x.get("source_transport_servers") or ()))
                   for x in doc.get("send_connectors") or [])
    ls = doc.get("log_summary") or {}
    return {"findings": fs, "summary": doc.get("summary"), "root_cause_rule": root.get("rule"),
            "certificates": certs, "send_connectors": conns,
            "log_summary": {k: ls.get(k) for k in ("files", "rows", "sessions", "tls_ok",
                                                   "tls_failed")},
            "as_of": doc.get("as_of")}


def cmd_same(argv):
    a, b = (essence(load_json(p)) for p in argv[:2])
    bad = 0
    for k in a:
        if a[k] != b[k]:
            print("%s differs:\n  %s: %r\n  %s: %r" % (k, argv[0], a[k], argv[1], b[k]))
            bad = 1
    return bad


def cmd_get(argv):
    exp = load_json(argv[0])
    v = exp
    for k in argv[1].split("."):
        v = v.get(k) if isinstance(v, dict) else None
    if v is None:
        return 1
    if isinstance(v, list):
        for x in v:
            print(x)
    elif isinstance(v, dict):
        for k2, x in v.items():
            print("%s %s" % (k2, x))
    else:
        print(v)
    return 0


def cmd_extract(argv):
    z = zipfile.ZipFile(argv[0])
    os.makedirs(argv[1], exist_ok=True)
    for m in argv[2:] or z.namelist():
        dest = os.path.join(argv[1], m)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if not m.endswith("/"):
            with open(dest, "wb") as f:
                f.write(z.read(m))
    return 0


def explode(data, dest):
    z = zipfile.ZipFile(io.BytesIO(data))
    for m in z.namelist():
        if m.endswith("/"):
            continue
        body = z.read(m)
        target = os.path.join(dest, m)
        if m.lower().endswith(".zip") and zipfile.is_zipfile(io.BytesIO(body)):
            explode(body, target[:-4])      # as Explorer's "Extract all" names it
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(body)


def cmd_explode(argv):
    with open(argv[0], "rb") as f:
        explode(f.read(), argv[1])
    return 0


def cmd_diag(argv):
    doc = load_json(argv[0])
    rx = re.compile(argv[1])
    hits = ["%s %s" % (d.get("source"), d.get("message")) for d in doc.get("diagnostics") or []
            if rx.search("%s %s" % (d.get("source") or "", d.get("message") or ""))]
    for h in hits:
        print("diagnostic matches /%s/: %s" % (argv[1], h))
    return 1 if hits else 0


def main(argv):
    cmds = {"check": cmd_check, "same": cmd_same, "get": cmd_get, "extract": cmd_extract,
            "explode": cmd_explode, "diag": cmd_diag}
    if len(argv) < 2 or argv[1] not in cmds:
        sys.stderr.write(__doc__)
        return 2
    return cmds[argv[1]](argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))

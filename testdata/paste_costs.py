"""Rewrites a scenario's expected file with what a paste cost
(testdata/paste.py), so that every expectation left in it is still true of
the pasted bundle.

What stays expected is everything whose facts survive: rules, root cause,
verdict, servers, connectors, symptoms. What a transformation took away is
given up explicitly, each with a sentence in "costs":

- a thumbprint no longer in any certificate record stops being required in
  findings that took it from the inventory; it stays allowed where the
  bundle still holds it whole (a log row with the serial number, another
  server's record), and must appear nowhere when it does not;
- a server whose judgement needed a subject or a thumbprint that is gone
  (a TlsCertificateName match, an internal transport certificate) stops
  being required in that finding; a finding left with no required server
  is no longer expected, and neither is a root cause or verdict resting on it;
- lost facts never make a finding: a presented certificate whose record was
  masked is not "unknown", a pinned certificate whose subject was cut is not
  "not found", an internal transport certificate that was masked is not
  "missing" ("findings_forbidden");
- a damaged log row is a bad row, one row fewer.

The "paste" section carries what tests/check_paste.py verifies: the records
of every changed entry (certificates by server and serial number, queues,
events, with their dates), the loosened findings, the counts that change.
"""

import copy
import re

import paste_text as pt

SEVERITIES = ["critical", "high", "medium", "low", "info"]
# Rules whose thumbprints come from the certificates the logs show presented,
# not from the inventory.
LOG_TP_RULES = {"tls-handshake-failures", "unknown-presented-cert", "legacy-tls"}
# Rules that report the symptoms no specific rule explains.
GENERIC_RULES = {"tls-handshake-failures", "queue-retry", "connect-failures"}


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S") if t else None


def same(a, b):
    return (a or "").strip().lower() == (b or "").strip().lower()


def pin(name):
    m = re.match(r"(?is)^<I>(.*)<S>(.*)$", name or "")
    return (m.group(1), m.group(2)) if m else None


class Rewrite:
    def __init__(self, v):
        self.v = v
        self.b = v.bundle
        self.costs = []
        lost = {(c["entry"], c["record"]): c for c in v.lost_certs}
        self.lost = list(lost.values())
        self.kept = [c for c in self.b.certs if (c["entry"], c["record"]) not in lost]
        self.lost_tps = {c["thumbprint"] for c in self.lost}
        self.texts = [e.text.upper() for e in self.b.texts()]

    def whole_anywhere(self, tp):
        return any(tp in t for t in self.texts)

    def linked(self, c):
        """The bundle still ties this record's serial number to its thumbprint."""
        tp = c["thumbprint"]
        return self.b.log_serial_tp.get(c["serial"]) == tp or any(
            k["thumbprint"] == tp and k.get("serial") == c["serial"] for k in self.kept)

    def subject_known(self, c):
        return not any(c is x or (c["entry"], c["record"]) == (x["entry"], x["record"])
                       for x in self.lost if x["subject_lost"])

    def connector_pin(self, name):
        for sc in self.b.send_connectors:
            if sc["name"] == name:
                return pin(sc["tls_certificate_name"])
        return None

    # ------------------------------------------------------------ findings

    def servers_undecided(self, f):
        """Servers of finding f whose judgement needed a lost fact."""
        rule, out = f["rule"], set()
        lost_on = lambda s: [c for c in self.lost if (c["server"] or "").upper() == s.upper()]
        for s in f["servers"]:
            gone = lost_on(s)
            if not gone:
                continue
            if rule == "tls-cert-name-ambiguous":
                p = self.connector_pin(f["connectors"][0]) if f["connectors"] else None
                known = [c for c in self.b.certs if not c["table"] and p and
                         (c["server"] or "").upper() == s.upper() and self.subject_known(c) and
                         same(c["issuer"], p[0]) and same(c["subject"], p[1])]
                if len(known) < 2:
                    out.add(s)
            elif rule == "tls-cert-name-not-found":
                pins = [self.connector_pin(n) for n in f["connectors"]]
                if any(c["subject_lost"] and p and same(c["issuer"], p[0])
                       for c in gone for p in pins):
                    out.add(s)
            elif rule == "internal-transport-cert":
                # Get-TransportService names the certificate by thumbprint
                # only: with any of the server's thumbprints gone, whether it
                # is installed cannot be told.
                out.add(s)
            elif rule == "cert-expiring":
                mine = [c for c in self.b.certs if c["thumbprint"] in f["thumbprints"] and
                        (c["server"] or "").upper() == s.upper()]
                later = max([c["not_after"] for c in mine if c.get("not_after")] or [None]) \
                    if mine else None
                if any(c["subject_lost"] and (c["thumbprint"] in f["thumbprints"] or
                                              (later and c.get("not_after") and
                                               c["not_after"] > later))
                       for c in gone):
                    out.add(s)
            elif rule == "smtp-service-not-enabled":
                if any(c["subject_lost"] and c["thumbprint"] in f["thumbprints"] and
                       c["thumbprint"] not in self.b.log_tps for c in gone):
                    out.add(s)
        return out

    def finding(self, f):
        """(f unchanged, or a loosened copy, or None when no longer expected)."""
        rule = f["rule"]
        tps_req = list(f["thumbprints"])
        tps_allowed = []
        for tp in f["thumbprints"]:
            if tp not in self.lost_tps:
                continue
            if rule in LOG_TP_RULES and tp in self.b.log_tps:
                continue
            tps_req.remove(tp)
            if self.whole_anywhere(tp):
                tps_allowed.append(tp)
            self.costs.append("finding %s: thumbprint %s is no longer required (its "
                              "certificate record lost it)%s" % (
                                  rule, tp, "; it may still be named, the bundle holds it "
                                  "whole elsewhere" if self.whole_anywhere(tp) else ""))
        undecided = self.servers_undecided(f)
        for s in sorted(undecided):
            self.costs.append("finding %s: server %s can no longer be decided (a subject or "
                              "thumbprint its judgement needs is gone)" % (rule, s))
        # The thumbprints only an undecided server holds go with it.
        decided = {s.upper() for s in f["servers"]} - {s.upper() for s in undecided}
        for tp in list(tps_req):
            on = {(c["server"] or "").upper() for c in self.b.certs if c["thumbprint"] == tp}
            if on and undecided and not (on & decided):
                tps_req.remove(tp)
                tps_allowed.append(tp)
        # Which connectors pin a certificate is told by its subject: with the
        # subject gone, they (and the steps that unpin them) may not be named.
        pin_lost = rule == "cert-no-private-key" and any(
            c["subject_lost"] and c["thumbprint"] in f["thumbprints"] for c in self.lost)
        if pin_lost:
            self.costs.append("finding %s: the connectors pinning its certificate can no "
                              "longer be told (its subject is gone)" % rule)
        if tps_req == f["thumbprints"] and not undecided and not pin_lost:
            return f
        gone = set(f["thumbprints"]) - set(tps_req)
        servers_req = [s for s in f["servers"] if s not in undecided]
        cmds = [c for c in f.get("remediation_commands", [])
                if not any(tp in c for tp in gone) and
                not any(re.search(r"-Server %s\b" % re.escape(s), c) for s in undecided) and
                not (pin_lost and "Set-SendConnector" in c)]
        if not servers_req:
            return None
        sev = f["severity"]
        loose = {"rule": rule,
                 "severity_any": [sev] + ([SEVERITIES[SEVERITIES.index(sev) + 1]]
                                          if undecided and sev != "info" else []),
                 "servers_required": servers_req, "servers_allowed": sorted(undecided),
                 "connectors": [] if pin_lost else f["connectors"],
                 "connectors_allowed": f["connectors"] if pin_lost else [],
                 "thumbprints_required": tps_req,
                 "thumbprints_allowed": tps_allowed, "remediation_commands": cmds}
        for k in ("first_seen_between", "last_seen_between"):
            if k in f:
                loose[k] = f[k]
        # Evidence may now come from another file than the damaged one.
        damaged = {c["entry"] for c in self.lost}
        srcs = [x for x in f.get("evidence_sources", []) if not any(x in d for d in damaged)]
        if srcs:
            loose["evidence_sources"] = srcs
        return loose

    # ------------------------------------------------------------ records

    def records(self, entries):
        paths = {e.path for e in entries}
        decid = {e.path: entry_decidable(e) for e in self.b.texts()}
        lost = {(c["entry"], c["record"]): c for c in self.lost}
        certs, queues, events = [], [], []
        for c in self.b.certs:
            if c["entry"] not in paths:
                continue
            if c["table"]:
                certs.append({"entry": c["entry"], "server": c["server"], "table": True,
                              "thumbprint": c["thumbprint"], "services": c["services"]})
                continue
            x = lost.get((c["entry"], c["record"]))
            r = {"entry": c["entry"], "server": c["server"], "serial": c["serial"],
                 "issuer": c["issuer"], "thumbprint": c["thumbprint"],
                 "subject": c["subject"], "services": c["services"],
                 "not_before": iso(c["not_before"]), "not_after": iso(c["not_after"]),
                 "dates_may_be_unknown": not decid[c["entry"]]}
            if x is not None:
                r["thumbprint"] = None
                r["thumbprint_may_be"] = c["thumbprint"] if self.linked(c) else None
                r["masked_as"] = x["masked_as"]
                if x["subject_lost"]:
                    r["subject"] = None
                    r["subject_may_be"] = c["subject"]
            certs.append(r)
        cut = {(q["entry"], q["record"]) for q in self.v.lost_queues}
        for q in self.b.queues:
            if q["entry"] in paths or (q["entry"], q["record"]) in cut:
                queues.append({"entry": q["entry"], "server": q["server"],
                               "identity": None if (q["entry"], q["record"]) in cut
                               else q["identity"],
                               "status": q["status"], "message_count": q["message_count"],
                               "last_error": q["last_error"], "last_retry": iso(q["last_retry"]),
                               "dates_may_be_unknown": not decid[q["entry"]]})
        for ev in self.b.events:
            if ev["entry"] in paths:
                events.append({"entry": ev["entry"], "server": ev["server"], "id": ev["id"],
                               "time": iso(ev["time"]),
                               "dates_may_be_unknown": not decid[ev["entry"]]})
        return certs, queues, events

    def forbidden(self):
        out = []
        for tp in sorted(self.lost_tps & self.b.log_tps):
            out.append({"rule": "unknown-presented-cert", "thumbprint": tp,
                        "why": "the logs present %s, whose record is still in the inventory "
                               "(by issuer and serial number) with its thumbprint lost" % tp})
        for t in self.b.transport:
            if any(c["thumbprint"] == t["thumbprint"] and c["server"] == t["server"]
                   for c in self.lost):
                out.append({"rule": "internal-transport-cert", "server": t["server"],
                            "why": "the internal transport certificate of %s is in its "
                                   "inventory, with its thumbprint lost" % t["server"]})
        for sc in self.b.send_connectors:
            p = pin(sc["tls_certificate_name"])
            if not p:
                continue
            for s in sc["servers"]:
                match = [c for c in self.b.certs if not c["table"] and c["server"] == s and
                         same(c["issuer"], p[0]) and same(c["subject"], p[1])]
                if match and not any(self.subject_known(c) for c in match):
                    out.append({"rule": "tls-cert-name-not-found", "server": s,
                                "connector": sc["name"],
                                "why": "the certificate %s pins is on %s, its subject cut" % (
                                    sc["name"], s)})
        return out


def entry_decidable(e):
    """Whether an entry's own dates tell day from month (logs have none)."""
    if not (e.kind.startswith("fl-") or e.kind == "events-csv"):
        return True
    cul = pt.file_culture(e.text or "")
    if cul is None:
        return True
    return pt.decidable(pt.find_dates(e.text, cul), cul)


def rewrite(v, zip_name, control=False):
    """The pasted bundle's expected file (a dict)."""
    rw = Rewrite(v)
    exp = copy.deepcopy(v.expected)
    exp["inputs"] = [zip_name]
    for k in ("parts", "relaxed_limits_run", "fail_on_exit"):
        exp.pop(k, None)
    exp["description"] = "%s, pasted (%s)" % (exp.get("description", v.name),
                                              ", ".join(v.applied) or "unchanged")

    kept, loose, lost_rules = [], [], []
    for f in exp.get("findings", []):
        g = rw.finding(f)
        if g is f:
            kept.append(f)
        elif g is None:
            lost_rules.append(f["rule"])
        else:
            loose.append(g)
    exp["findings"] = kept
    for rule in sorted(set(lost_rules)):
        if any(g["rule"] == rule for g in loose) or any(f["rule"] == rule for f in kept):
            continue
        rw.costs.append("rule %s is no longer expected: every server it named needed a "
                        "fact the paste took away" % rule)
        if rule in exp.get("rules_present", []):
            exp["rules_present"].remove(rule)
        if exp.get("root_cause_rule") == rule:
            del exp["root_cause_rule"]
            exp.pop("remediation_any_of", None)
            if exp.pop("verdict_state", None):
                rw.costs.append("the verdict is no longer expected: it rested on %s" % rule)
        exp["symptom_links"] = [x for x in exp.get("symptom_links", []) if x["rule"] != rule]
        exp.get("evidence_text", {}).pop(rule, None)
        # The symptoms it explained may now fall to a generic rule.
        generic = [r for r in exp.get("rules_absent", []) if r in GENERIC_RULES]
        if generic:
            exp["rules_absent"] = [r for r in exp["rules_absent"] if r not in GENERIC_RULES]
            rw.costs.append("%s may now report the symptoms %s explained" % (
                " and ".join(generic), rule))
    groups = []
    for grp in exp.get("remediation_any_of", []):
        grp = [x for x in grp if not any(tp in x for tp in rw.lost_tps)]
        if grp:
            groups.append(grp)
    if "remediation_any_of" in exp:
        exp["remediation_any_of"] = groups

    # A record that lost its thumbprint can no longer be merged with a twin
    # of it (the table view of the same server): one certificate more.
    delta = {}
    for c in rw.lost:
        if any(k["thumbprint"] == c["thumbprint"] and k["server"] == c["server"]
               for k in rw.kept):
            delta[c["server"]] = delta.get(c["server"], 0) + 1
            rw.costs.append("%s/%s: the record in %s can no longer be merged with its twin "
                            "in another file: one more certificate on %s" % (
                                c["server"], c["thumbprint"], c["entry"], c["server"]))
    certs = []
    for ec in exp.get("certificates", []):
        server = ec["server"].upper()
        if not any(c["thumbprint"] == ec["thumbprint"] and c["server"] == server
                   for c in rw.lost):
            certs.append(ec)
        elif delta.get(server):
            # the twin keeps the thumbprint and the services
            certs.append({k: ec[k] for k in ("server", "thumbprint", "services") if k in ec})
    if "certificates" in exp:
        exp["certificates"] = certs
    if "certificates_count" in exp:
        exp["certificates_count"] += sum(delta.values())

    alone = sum(1 for r in v.bad_rows if r["alone"])
    for key in ("log_summary_min",):
        ls = exp.get(key)
        if ls and "rows" in ls:
            ls["rows"] -= len(v.bad_rows)
        if ls and "sessions" in ls:
            ls["sessions"] -= alone

    touched = [e for e in v.bundle.texts() if e.touched or control]
    if v.cultures:
        moved = {c["entry"] for c in v.cultures}
        for e in v.bundle.texts():
            if e.path not in moved and not entry_decidable(e):
                if e not in touched:
                    touched.append(e)
                rw.costs.append("%s: its dates cannot tell day from month by themselves and "
                                "%s is now in another culture: they must be read right or "
                                "stay unknown" % (e.path, ", ".join(sorted(moved))))
    certs, queues, events = rw.records(touched)
    exp["transformations"] = list(v.applied)
    exp["costs"] = v.costs + rw.costs
    exp["expected_diagnostics"] = v.diagnostics
    exp["paste"] = {
        "clean": v.name,
        "seed": v.seed,
        "entries": {e.path: {"transformations": e.touched, "notes": v.notes.get(e.path, [])}
                    for e in v.bundle.texts() if e.touched},
        "certificates": certs,
        "queues": queues,
        "events": events,
        "findings": loose,
        "findings_forbidden": rw.forbidden(),
        "thumbprints_forbidden": sorted(tp for tp in rw.lost_tps
                                        if not rw.whole_anywhere(tp)),
        "count_delta": {"certificates": delta},
        "log_delta": {"rows": -len(v.bad_rows), "bad_rows": len(v.bad_rows),
                      "sessions": -alone, "headerless_files": len(v.headerless)},
        "bad_rows": v.bad_rows,
        "cultures": v.cultures,
    }
    return exp

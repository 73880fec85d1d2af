#!/usr/bin/env python3
"""Before/after bundle pairs for `certtrail --baseline`: the two founding
cases, each collected once with the problem and once more after a change.

    gen_baseline.py OUTDIR [--seed N]

For each pair writes OUTDIR/NAME-before.zip, OUTDIR/NAME-after.zip and
OUTDIR/NAME.expected.json, read by tests/check_baseline.py. Both bundles of
a pair come from one run of the same site: the after bundle is the before
site with the change applied (a certificate removed, SMTP enabled, ...) and
a week of new protocol log rows, so its thumbprints are the same
certificates'. The expected file states what the change did, from the
scenario's definition: per rule and server, resolved, persisting, new or
not re-collected; the failed handshakes of each connector before and after
and the first clean UTC day; the queues drained or waiting; the --fail-on
exit status. Nothing in it was read from certtrail's output.

The founding cases (testdata/README.md):
  renewal  EXHUB1 and EXHUB2 renewed mail.contoso.com; Outbound to Partners
           pins the issuer and subject both the old and the renewed
           certificate have (tls-cert-name-ambiguous); EXHUB2's old one
           expired on 2026-11-04 (cert-expired).
  o365     a third-party certificate imported on 2026-11-03 without the SMTP
           service is pinned on Outbound to Office 365: UnknownCredentials
           on every session and a queue in Retry with 451 4.4.0
           (smtp-service-not-enabled).

Python standard library only, plus the openssl binary ($OPENSSL_BIN).
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # never write into the source tree
sys.path.insert(0, HERE)
import gen_bundles as g  # noqa: E402
import expert_writers as ew  # noqa: E402
import gen_expert as gx  # noqa: E402

TD = dt.timedelta
BEFORE_AS_OF = g.utc(2026, 11, 10, 9, 0, 0)
AFTER_AS_OF = g.utc(2026, 11, 17, 9, 0, 0)
# The change is made an hour after the first collection; the second
# bundle's logs start then (the first bundle holds the days before).
CHANGE = g.utc(2026, 11, 10, 10, 0, 0)
PARTNERS = "Outbound to Partners"
O365 = gx.O365_CONN
RENEWAL_PIN = g.tls_certificate_name(g.CONTOSO_CA, g.RENEWAL_SUBJECT)
O365_PIN = g.tls_certificate_name(g.DIGICERT_CA, g.O365_SUBJECT)
SMTP_SUBJECT = [("CN", "smtp.contoso.com"), ("O", "Contoso"), ("L", "Redmond"),
                ("S", "Washington"), ("C", "US")]


def day(t):
    return t.strftime("%Y-%m-%d")


def next_day(d):
    """The day after a "YYYY-MM-DD" day: the first clean day when the second
    bundle's logs cover every day from the change on without a failure."""
    return day(dt.datetime.strptime(d, "%Y-%m-%d") + TD(days=1))


def zip_site(path, site):
    g.write(path, g.zip_bytes(site.render()))


# ----------------------------------------------------------------- renewal

class Renewal:
    """The renewal case's certificates, made once for both collections."""

    def __init__(self, pki):
        self.auth = pki.self_signed(g.AUTH_SUBJECT, g.utc(2023, 3, 14, 9, 12, 44),
                                    g.utc(2028, 2, 16, 9, 12, 44), [])
        dates = {"EXHUB1": ((g.utc(2025, 11, 18, 16, 2, 11), g.utc(2026, 11, 18, 16, 2, 11)),
                            (g.utc(2026, 10, 27, 10, 15, 40), g.utc(2027, 10, 27, 10, 15, 40))),
                 "EXHUB2": ((g.utc(2024, 11, 4, 12, 0, 0), g.utc(2026, 11, 4, 12, 0, 0)),
                            (g.utc(2026, 10, 27, 10, 31, 2), g.utc(2027, 10, 27, 10, 31, 2)))}
        self.old, self.new = {}, {}
        for name, (old, new) in dates.items():
            self.old[name] = pki.issue(pki.contoso_ca, g.RENEWAL_SUBJECT, *old, g.RENEWAL_SANS)
            self.new[name] = pki.issue(pki.contoso_ca, g.RENEWAL_SUBJECT, *new, g.RENEWAL_SANS)
        self.remotes = g.partner_remotes(pki)
        self.pki = pki


def renewal_site(case, rng, removed, start, end, servers=("EXHUB1", "EXHUB2"),
                 transcript=False):
    """removed: server -> which certificates were removed ("old", "both")."""
    ips = {"EXHUB1": "10.0.1.21", "EXHUB2": "10.0.1.22"}
    out = []
    for n, name in enumerate(("EXHUB1", "EXHUB2")):
        s = gx.server(name, ips[name])
        gx.defaults(case.pki, s, case.auth, g.utc(2023, 3, 14, 9, 2, 17))
        gone = removed.get(name, "")
        if gone != "both":
            s.install(case.new[name], ["IIS", "SMTP"], "mail.contoso.com 2026",
                      root_ca_type="Enterprise")
        if gone == "":
            expired = case.old[name].not_after < end
            s.install(case.old[name], ["SMTP"], "mail.contoso.com",
                      root_ca_type="Enterprise",
                      status="DateInvalid" if expired else "Valid")
        log = s.logs(rng, 0x08DE3C1A5B2F0000 + n * 0x10000000)
        # With both installed, Exchange presents the old one (the case's
        # symptom); with neither, the connector has nothing to present and
        # sends nothing from this server.
        presented = case.old[name] if gone == "" else case.new[name]
        t = start
        while t < end and gone != "both":
            log.session(t, PARTNERS, rng.choice(case.remotes), presented,
                        "mail.contoso.com", "ok", messages=rng.randint(1, 3))
            t += TD(minutes=rng.randint(25, 110), seconds=rng.randint(0, 59))
        gx.ready_queues(s)
        s.queue("7", "DnsConnectorDelivery", "fabrikam.com", "Ready", 0, "", None,
                tls_domain="fabrikam.com")
        if name in servers:
            out.append(s)
    partners = gx.sc(PARTNERS, ["EXHUB1", "EXHUB2"], tls_name=RENEWAL_PIN,
                     address_spaces=["SMTP:fabrikam.com;1", "SMTP:adatum.com;1",
                                     "SMTP:tailspintoys.com;1"],
                     require_tls=True, tls_auth_level="CertificateValidation")
    site = ew.Site(out, [partners])
    if transcript and "EXHUB1" in servers:
        site.extra.append(("EXHUB1/Remove-ExchangeCertificate_error.txt",
                           g.remove_cert_transcript("EXHUB1", "EXHUB1.contoso.com",
                                                    case.old["EXHUB1"].thumbprint, PARTNERS,
                                                    g.utc(2026, 11, 9, 23, 14, 7))))
    return site


def renewal_before(case, rng):
    return renewal_site(case, rng, {}, g.utc(2026, 11, 8, 6, 0), BEFORE_AS_OF - TD(minutes=20),
                        transcript=True)


def renewal_after(case, rng, removed, servers=("EXHUB1", "EXHUB2")):
    return renewal_site(case, rng, removed, CHANGE + TD(minutes=5),
                        AFTER_AS_OF - TD(minutes=20), servers=servers)


# ----------------------------------------------------------------- o365

class O365Case:
    def __init__(self, pki, rng):
        self.auth = gx.winter_auth(pki)
        self.digicert = pki.issue(pki.digicert_ca, g.O365_SUBJECT, g.utc(2026, 11, 3),
                                  g.utc(2027, 11, 28, 23, 59, 59), g.O365_SANS)
        self.smtp = pki.issue(pki.digicert_ca, SMTP_SUBJECT, g.utc(2026, 11, 9),
                              g.utc(2027, 11, 9, 23, 59, 59), ["smtp.contoso.com"])
        self.pki = pki


def o365_site(case, rng, servers, state, start, end, with_logs=True):
    """Returns the site and, per server, its failed sessions and the UTC day
    of the last one. state: server -> "failing" (the certificate lacks SMTP), "fixed" (SMTP
    enabled at CHANGE) or "replaced" (the pinned certificate removed, a new
    smtp.contoso.com certificate with SMTP installed, the pin unchanged)."""
    ips = {"EXHUB1": "10.0.1.21", "EXHUB2": "10.0.1.22"}
    out = []
    failures = {}
    for n, name in enumerate(servers):
        s = gx.server(name, ips[name])
        default = gx.defaults(case.pki, s, case.auth, gx.WINTER)
        st = state[name]
        if st == "replaced":
            s.install(case.smtp, ["IIS", "SMTP"], "smtp.contoso.com 2026")
        else:
            s.install(case.digicert, ["IIS", "SMTP"] if st == "fixed" else ["IIS"],
                      "mail.contoso.com DigiCert 2026")
        log = s.logs(rng, 0x08DE3A91C4D70000 + n * 0x10000000)
        if with_logs:
            if start < g.FIRST_FAILURE:
                gx.traffic(log, rng, O365, gx.EOP, default.cert, start,
                           g.FIRST_FAILURE - TD(minutes=30))
                t0 = g.FIRST_FAILURE
            else:
                t0 = start
            gx.traffic(log, rng, O365, gx.EOP, case.digicert, t0, end,
                       outcome="ok" if st == "fixed" else "UnknownCredentials",
                       every=(30, 90))
        failures[name] = (log.tls_failed, day(log.last_fail) if log.last_fail else None)
        waiting = st == "failing"
        gx.ready_queues(s)
        s.queue("3", "SmartHostConnectorDelivery", "outbound to office 365",
                "Retry" if waiting else "Ready", 37 if waiting else 0,
                g.QUEUE_451 if waiting else "", end if waiting else None,
                connector_guid=gx.QUEUE_GUID, retry_count=12 if waiting else 0)
        out.append(s)
    conn = gx.sc(O365, list(servers), tls_name=O365_PIN, smart_hosts=[gx.O365_HOST],
                 require_tls=True, tls_auth_level="DomainValidation",
                 tls_domain="mail.protection.outlook.com", cloud=True)
    return ew.Site(out, [conn]), failures


def o365_before(case, rng, servers):
    return o365_site(case, rng, servers, {s: "failing" for s in servers},
                     g.utc(2026, 11, 1, 7, 3, 11), g.LAST_FAILURE)


def o365_after(case, rng, servers, state, with_logs=True):
    return o365_site(case, rng, servers, state, CHANGE, AFTER_AS_OF - TD(minutes=20),
                     with_logs=with_logs)


# ----------------------------------------------------------------- pairs

def state(rule, server, st, why):
    return {"rule": rule, "server": server, "state": st, "why": why}


def write_pair(outdir, name, before, after, exp, after_as_of=AFTER_AS_OF):
    zip_site(os.path.join(outdir, name + "-before.zip"), before)
    if after is not None:
        zip_site(os.path.join(outdir, name + "-after.zip"), after)
    doc = {"name": name,
           "before": {"inputs": [name + "-before.zip"], "as_of": g.iso_z(BEFORE_AS_OF)},
           "after": {"inputs": [(exp.pop("after_input", None) or name + "-after.zip")],
                     "as_of": g.iso_z(after_as_of)}}
    doc.update(exp)
    g.write_expected(outdir, name, doc)


AMBIG = "tls-cert-name-ambiguous"
EXPIRED = "cert-expired"
NOSMTP = "smtp-service-not-enabled"
NOTFOUND = "tls-cert-name-not-found"


def renewal_pairs(outdir, pki, seed):
    case = Renewal(pki)
    both = ["EXHUB1", "EXHUB2"]

    def before():
        return renewal_before(case, random.Random(seed))

    write_pair(outdir, "renewal-fixed", before(),
               renewal_after(case, random.Random(seed + 1), {"EXHUB1": "old", "EXHUB2": "old"}), {
        "description": "The old certificate removed on both servers: the pin names the "
                       "renewed certificate alone.",
        "states": [state(AMBIG, "EXHUB1", "resolved", "only the renewed certificate matches"),
                   state(AMBIG, "EXHUB2", "resolved", "only the renewed certificate matches"),
                   state(EXPIRED, "EXHUB2", "resolved", "the expired certificate was removed")],
        "entry_states_absent": ["persisting", "new", "not_recollected"],
        "sentence_must": ["2 of 2 problems resolved"],
        "compared": both, "not_recollected": [],
        "fail_on": {"low": 0},
    })
    write_pair(outdir, "renewal-fixed-one-server", before(),
               renewal_after(case, random.Random(seed + 2), {"EXHUB1": "old"}), {
        "description": "The old certificate removed on EXHUB1 only.",
        "states": [state(AMBIG, "EXHUB1", "resolved", "EXHUB1 has the renewed one alone"),
                   state(AMBIG, "EXHUB2", "persisting", "EXHUB2 still has both"),
                   state(EXPIRED, "EXHUB2", "persisting", "EXHUB2 keeps the expired one")],
        "entry_states_absent": ["new", "not_recollected"],
        "sentence_must": ["0 of 2 problems resolved", "still on EXHUB2"],
        "servers_not_resolved": ["EXHUB2"],
        "compared": both, "not_recollected": [],
        "fail_on": {"high": 1, "critical": 0},
    })
    write_pair(outdir, "renewal-new-problem", before(),
               renewal_after(case, random.Random(seed + 3),
                             {"EXHUB1": "old", "EXHUB2": "both"}), {
        "description": "EXHUB1 fixed; on EXHUB2 every certificate with the pinned subject "
                       "was removed, the renewed one too, while the connector still pins it.",
        "states": [state(AMBIG, "EXHUB1", "resolved", "one certificate matches"),
                   state(AMBIG, "EXHUB2", "resolved", "no certificate matches twice"),
                   state(EXPIRED, "EXHUB2", "resolved", "the expired certificate was removed"),
                   state(NOTFOUND, "EXHUB2", "new",
                         "the pinned issuer and subject match no certificate on EXHUB2")],
        "entry_states_absent": ["persisting", "not_recollected"],
        "sentence_must": ["2 of 2 problems resolved", "1 new", "on EXHUB2"],
        "compared": both, "not_recollected": [],
        "fail_on": {"low": 1},
    })
    write_pair(outdir, "renewal-same-twice", before(), None, {
        "description": "The first bundle compared with itself.",
        "after_input": "renewal-same-twice-before.zip",
        "states": [state(AMBIG, "EXHUB1", "persisting", "same bundle"),
                   state(AMBIG, "EXHUB2", "persisting", "same bundle"),
                   state(EXPIRED, "EXHUB2", "persisting", "same bundle")],
        "entry_states_absent": ["resolved", "new", "not_recollected"],
        "sentence_must": ["0 of 2 problems resolved"],
        "servers_not_resolved": both,
        "compared": both, "not_recollected": [],
        "fail_on": {"high": 1},
    }, after_as_of=BEFORE_AS_OF)
    write_pair(outdir, "renewal-one-server-recollected", before(),
               renewal_after(case, random.Random(seed + 4), {"EXHUB1": "old"},
                             servers=("EXHUB1",)), {
        "description": "The old certificate removed on EXHUB1; the second bundle holds "
                       "EXHUB1's evidence only.",
        "states": [state(AMBIG, "EXHUB1", "resolved", "EXHUB1 has the renewed one alone"),
                   state(AMBIG, "EXHUB2", "not_recollected", "EXHUB2 was not collected"),
                   state(EXPIRED, "EXHUB2", "not_recollected", "EXHUB2 was not collected")],
        "entry_states_absent": ["persisting", "new"],
        "sentence_must": ["not re-collected", "EXHUB2"],
        "compared": ["EXHUB1"], "not_recollected": ["EXHUB2"],
        "fail_on": {"low": 0},
    })
    # A second bundle of EXHUB2 alone, for the case sharing no server.
    zip_site(os.path.join(outdir, "exhub2-only.zip"),
             renewal_after(case, random.Random(seed + 5), {"EXHUB2": "old"},
                           servers=("EXHUB2",)))


def o365_pairs(outdir, pki, seed):
    case = O365Case(pki, random.Random(seed))
    one, two = ["EXHUB1"], ["EXHUB1", "EXHUB2"]

    before, bf = o365_before(case, random.Random(seed), one)
    after, _ = o365_after(case, random.Random(seed + 1), one, {"EXHUB1": "fixed"})
    write_pair(outdir, "o365-fixed", before, after, {
        "description": "SMTP enabled on the pinned certificate an hour after the first "
                       "collection; a week of successful sessions; the queue drained.",
        "states": [state(NOSMTP, "EXHUB1", "resolved", "the certificate has SMTP now")],
        "entry_states_absent": ["persisting", "new", "not_recollected"],
        "sentence_must": ["1 of 1 problem resolved"],
        "compared": one, "not_recollected": [],
        "connectors": [{"server": "EXHUB1", "connector": O365, "before_failed": bf["EXHUB1"][0],
                        "after_failed": 0, "last_failure_day": bf["EXHUB1"][1],
                        "first_clean_day": next_day(bf["EXHUB1"][1])}],
        "queues": [{"identity": "EXHUB1\\3", "state": "drained", "before_messages": 37,
                    "after_messages": 0}],
        "fail_on": {"critical": 0, "info": 0},
    })

    before, bf = o365_before(case, random.Random(seed + 2), two)
    after, af = o365_after(case, random.Random(seed + 3), two,
                           {"EXHUB1": "fixed", "EXHUB2": "failing"})
    write_pair(outdir, "o365-fixed-one-server", before, after, {
        "description": "Both servers send through Outbound to Office 365 with the same "
                       "certificate; SMTP enabled on EXHUB1 only.",
        "states": [state(NOSMTP, "EXHUB1", "resolved", "EXHUB1's copy has SMTP now"),
                   state(NOSMTP, "EXHUB2", "persisting", "EXHUB2's copy still lacks it")],
        "entry_states_absent": ["new", "not_recollected"],
        "sentence_must": ["still on EXHUB2"],
        "servers_not_resolved": ["EXHUB2"],
        "compared": two, "not_recollected": [],
        "connectors": [{"server": "EXHUB1", "connector": O365, "before_failed": bf["EXHUB1"][0],
                        "after_failed": 0, "last_failure_day": bf["EXHUB1"][1],
                        "first_clean_day": next_day(bf["EXHUB1"][1])},
                       {"server": "EXHUB2", "connector": O365, "before_failed": bf["EXHUB2"][0],
                        "after_failed": af["EXHUB2"][0],
                        "last_failure_day": af["EXHUB2"][1], "first_clean_day": None}],
        "queues": [{"identity": "EXHUB1\\3", "state": "drained", "before_messages": 37,
                    "after_messages": 0},
                   {"identity": "EXHUB2\\3", "state": "waiting", "before_messages": 37,
                    "after_messages": 37}],
        "fail_on": {"critical": 1},
    })

    before, bf = o365_before(case, random.Random(seed + 4), one)
    after, _ = o365_after(case, random.Random(seed + 5), one, {"EXHUB1": "replaced"},
                          with_logs=False)
    write_pair(outdir, "o365-new-problem", before, after, {
        "description": "The certificate without SMTP was removed and smtp.contoso.com "
                       "installed with SMTP, but the connector still pins the removed one's "
                       "issuer and subject. The second bundle has no protocol logs.",
        "states": [state(NOSMTP, "EXHUB1", "resolved", "the certificate is gone"),
                   state(NOTFOUND, "EXHUB1", "new", "the pin matches no certificate")],
        "entry_states_absent": ["persisting", "not_recollected"],
        "sentence_must": ["1 of 1 problem resolved", "1 new"],
        "compared": one, "not_recollected": [],
        "connectors": [{"server": "EXHUB1", "connector": O365, "before_failed": bf["EXHUB1"][0],
                        "after_failed": None, "last_failure_day": bf["EXHUB1"][1],
                        "first_clean_day": None}],
        "queues": [{"identity": "EXHUB1\\3", "state": "drained", "before_messages": 37,
                    "after_messages": 0}],
        "fail_on": {"low": 1, "critical": 0},
    })

    before, bf = o365_before(case, random.Random(seed + 6), one)
    write_pair(outdir, "o365-same-twice", before, None, {
        "description": "The first bundle compared with itself.",
        "after_input": "o365-same-twice-before.zip",
        "states": [state(NOSMTP, "EXHUB1", "persisting", "same bundle")],
        "entry_states_absent": ["resolved", "new", "not_recollected"],
        "sentence_must": ["0 of 1 problem resolved"],
        "servers_not_resolved": one,
        "compared": one, "not_recollected": [],
        "connectors": [{"server": "EXHUB1", "connector": O365, "before_failed": bf["EXHUB1"][0],
                        "after_failed": bf["EXHUB1"][0], "last_failure_day": bf["EXHUB1"][1],
                        "first_clean_day": None}],
        "queues": [{"identity": "EXHUB1\\3", "state": "waiting", "before_messages": 37,
                    "after_messages": 37}],
        "fail_on": {"critical": 1},
    }, after_as_of=BEFORE_AS_OF)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20261117)
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        pki = g.Pki(work, random.Random(a.seed))
        renewal_pairs(a.outdir, pki, a.seed + 100)
        o365_pairs(a.outdir, pki, a.seed + 200)
    print("gen_baseline: wrote the pairs into %s" % a.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

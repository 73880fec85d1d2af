#!/usr/bin/env python3
"""Generate a busy organization's bundle: many TLS outcome groups, few findings.

    gen_busy.py OUT.zip [--servers N] [--partners P] [--seed S]

Four transport servers (EXHUB1..EXHUBn), each sending to P partner hosts of
its own (every remote host is a TLS outcome group of its own, so the bundle
holds about N x P groups) and to Exchange Online. EXHUB1 carries the fault
of bench/gen_bench.py (a pinned certificate without SMTP, UnknownCredentials
to Exchange Online after the change); EXHUB3 also fails to a sixth of its
partners with another error, so a finding has many groups of evidence. The
page of such a bundle must grow with its findings, never with its groups.
With --healthy nothing fails: the page of thousands of successful groups
must be as short as a case with one problem.

Small on purpose (a few MiB): the render test generates it each time. Python
standard library and the openssl tool only, like gen_bench.py.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "bench"))
import gen_bundles as g  # noqa: E402
import gen_bench as b  # noqa: E402


def partner_ip(n, i):
    """A host of the benchmarking range 198.18.0.0/15, one per (server, partner)."""
    k = n * 1000 + i
    return "198.18.%d.%d" % (k // 250, 1 + k % 250)


def write_logs(stream, n, name, case, rng, partners, remotes, o365_cert,
               healthy=False):
    change = int((g.FIRST_FAILURE - b.EPOCH).total_seconds() * 1000)
    new, old = case["new"], case["old"]
    for i in range(partners):
        # Two sessions per partner, to Exchange Online between them.
        rem = remotes[i % len(remotes)]
        host = "mx%d.partner%d-%d.example" % (i % 3 + 1, n, i)
        fail = not healthy and name == "EXHUB3" and i % 6 == 0
        for _ in range(2):
            if fail:
                stream.session("Outbound to Partners", partner_ip(n, i), host, old,
                               "IllegalMessage")
            else:
                stream.session("Outbound to Partners", partner_ip(n, i), host, old, "ok",
                               rem.cert, messages=1)
            if not healthy and name == "EXHUB1" and stream.ms >= change:
                stream.session("Outbound to Office 365", rng.choice(g.O365_IPS),
                               g.O365.banner, new, "UnknownCredentials")
            else:
                stream.session("Outbound to Office 365", rng.choice(g.O365_IPS),
                               g.O365.banner, old, "ok", o365_cert, messages=1)
            stream.ms += rng.randint(10000, 40000)
    stream.flush()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--servers", type=int, default=4)
    ap.add_argument("--partners", type=int, default=560)
    ap.add_argument("--seed", type=int, default=1207)
    ap.add_argument("--healthy", action="store_true",
                    help="no fault: SMTP enabled on the new certificate, "
                    "every handshake succeeds")
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as work:
        pki = g.Pki(work, rng)
        case = g.o365_case(pki, random.Random(a.seed + 1), smtp_enabled=a.healthy,
                           failures=0 if a.healthy else 2)
        case["connectors"][0].source_servers = ["EXHUB%d" % (i + 1) for i in range(a.servers)]
        remotes = g.partner_remotes(pki)
        o365_cert = remotes[0].cert
        tmp = a.out + ".tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as outer:
            for n in range(a.servers):
                name = "EXHUB%d" % (n + 1)
                prefix = "%s/" % name
                b.put_dumps(outer, prefix, n, name, case)
                # The logs of the days before the as-of time, from a day
                # before the change on EXHUB1.
                st = b.LogStream(rng, outer, "10.0.1.%d" % (21 + n),
                                 0x08DE3A91C4D70000 + (n << 28),
                                 g.FIRST_FAILURE - dt.timedelta(hours=6),
                                 prefix + "TransportRoles/Logs/Hub/ProtocolLog/SmtpSend/")
                write_logs(st, n, name, case, rng, a.partners, remotes, o365_cert,
                           a.healthy)
        os.replace(tmp, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

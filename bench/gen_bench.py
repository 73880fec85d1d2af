#!/usr/bin/env python3
"""Generate the benchmark bundle: an ExchangeLogCollector-style outer zip with
one zip per server, each holding its certificates (`fl *`), queue and
transport dumps and a nested Hub_Send_Protocol_Logs.zip of SMTP Send protocol
logs in 10 MiB files, as Exchange rotates them.

    gen_bench.py OUT.zip [--servers N] [--mib M] [--seed S]

Defaults: 4 servers x 256 MiB of logs = 1 GiB of logs uncompressed. EXHUB1
carries the "SMTP not enabled" fault of testdata bundle smtp-not-enabled
(a pinned third-party certificate without SMTP, UnknownCredentials after the
change); the other servers deliver normally. Writes OUT.json beside the zip
with the log bytes, rows and sessions it wrote, which bench/run.sh uses for
throughput figures. Python standard library and the openssl tool only.
"""

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "testdata"))
import gen_bundles as g  # noqa: E402

FILE_BYTES = 10 << 20
EPOCH = dt.datetime(1970, 1, 1, tzinfo=g.UTC)


class Stamp:
    """ISO-8601 times with milliseconds, formatted once per second."""

    def __init__(self):
        self.sec = None
        self.prefix = ""

    def __call__(self, ms):
        s = ms // 1000
        if s != self.sec:
            self.sec = s
            self.prefix = (EPOCH + dt.timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%S.")
        return "%s%03dZ" % (self.prefix, ms % 1000)


def cert_data(c):
    d = " %s %s %s %s %s %s %s" % (c.subject, c.issuer, c.serial_hex, c.thumbprint,
                                    g.iso_ms(c.not_before), g.iso_ms(c.not_after),
                                    ";".join(c.sans))
    return g.csv_field(d)


class LogStream:
    """Writes sessions one after another straight into 10 MiB log files."""

    def __init__(self, rng, zf, local_ip, sid, start, prefix=""):
        self.rng = rng
        self.zf = zf
        self.prefix = prefix
        self.local_ip = local_ip
        self.sid = sid
        self.ms = int((start - EPOCH).total_seconds() * 1000)
        self.stamp = Stamp()
        self.buf = []
        self.size = 0
        self.bytes = 0
        self.rows = 0
        self.sessions = 0
        self.files = 0
        self.header_ms = None

    def flush(self):
        if not self.buf:
            return
        t = EPOCH + dt.timedelta(milliseconds=self.header_ms)
        head = ("#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n"
                "#Log-type: SMTP Send Protocol Log\r\n#Date: %s\r\n#Fields: %s\r\n" % (
                    g.iso_ms(t), g.LOG_FIELDS))
        data = (head + "".join(self.buf)).encode("utf-8")
        self.files += 1
        name = "%sSEND%s-%d.LOG" % (self.prefix, t.strftime("%Y%m%d%H"), self.files)
        zi = zipfile.ZipInfo(name, date_time=g.zip_time(
            EPOCH + dt.timedelta(milliseconds=self.ms)))
        zi.compress_type = zipfile.ZIP_DEFLATED
        self.zf.writestr(zi, data)
        self.bytes += len(data)
        self.buf = []
        self.size = 0
        self.header_ms = None

    def session(self, conn, remote_ip, banner, local_cert, outcome, remote_cert=None,
                messages=1):
        rng = self.rng
        self.sid += rng.randint(3, 900)
        sid = "%016X" % self.sid
        local = "%s:%d" % (self.local_ip, rng.randint(20000, 65000))
        rem = "%s:25" % remote_ip
        pre = ",%s,%s," % (g.csv_field(conn), sid)
        rows = []
        seq = 0
        ms = self.ms

        def add(ev, data="", ctx="", lep=local, step=12):
            nonlocal seq, ms
            ms += rng.randint(0, step)
            rows.append("%s%s%d,%s,%s,%s,%s,%s\r\n" % (self.stamp(ms), pre, seq, lep, rem, ev,
                                                      data, ctx))
            seq += 1

        add("*", "", "attempting to connect", lep="")
        add("+", step=30)
        add("<", "220 %s Microsoft ESMTP MAIL Service ready" % banner, step=40)
        add(">", "EHLO mail.contoso.com")
        add("<", "250  %s Hello [%s] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES "
            "STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8" % (banner, self.local_ip), step=30)
        add(">", "STARTTLS")
        add("<", "220 2.0.0 SMTP server ready", step=20)
        add("*", cert_data(local_cert), "Sending certificate " + g.SHAPE3_CTX)
        if outcome != "ok":
            add("*", "", "TLS negotiation failed with error " + outcome, step=60)
            add("-", "", "Local")
        else:
            add("*", "", g.csv_field(g.TLS_OK), step=60)
            if remote_cert is not None:
                add("*", cert_data(remote_cert), "Remote certificate " + g.SHAPE3_CTX)
            add(">", "EHLO mail.contoso.com")
            add("<", "250  %s Hello [%s] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES "
                "AUTH LOGIN 8BITMIME BINARYMIME CHUNKING" % (banner, self.local_ip), step=30)
            for _ in range(messages):
                size = rng.randint(4000, 900000)
                mid = "%032x" % rng.getrandbits(128)
                add("*", str(rng.randint(100000, 9999999)),
                    "sending message with RecordId %d and InternetMessageId "
                    "<%s@mail.contoso.com>" % (rng.randint(10 ** 10, 10 ** 11), mid))
                add(">", "MAIL FROM:<user%d@contoso.com> SIZE=%d" % (rng.randint(1, 900), size))
                add(">", "RCPT TO:<someone@%s>" % banner.split(".", 1)[-1])
                add("<", "250 2.1.0 Sender OK", step=30)
                add("<", "250 2.1.5 Recipient OK", step=3)
                add(">", "BDAT %d LAST" % size)
                add("<", g.csv_field("250 2.6.0 <%s@mail.contoso.com> [InternalId=%d, "
                                     "Hostname=%s] %d bytes in 0.%03d, 512.000 KB/sec Queued "
                                     "mail for delivery" % (mid, rng.randint(10 ** 12, 10 ** 13),
                                                            banner, size,
                                                            rng.randint(20, 999))), step=300)
            add(">", "QUIT")
            add("<", "221 2.0.0 Service closing transmission channel", step=20)
            add("-", "", "Local")
        if self.header_ms is None:
            self.header_ms = self.ms
        self.buf.extend(rows)
        self.size += sum(len(r) for r in rows)
        self.rows += len(rows)
        self.sessions += 1
        self.ms = ms + rng.randint(200, 20000)
        if self.size >= FILE_BYTES:
            self.flush()


def write_logs(stream, n, name, case, rng, mib, remotes, o365_cert):
    if True:
        new, old = case["new"], case["old"]
        change = int((g.FIRST_FAILURE - EPOCH).total_seconds() * 1000)
        while stream.bytes + stream.size < (mib << 20):
            r = rng.random()
            if r < 0.1:
                peer = (n + 1) % 4 + 1
                stream.session(g.INTRA_ORG, "10.0.1.%d" % (20 + peer), "EXHUB%d.contoso.com" % peer,
                               old, "ok")
            elif name == "EXHUB1" and stream.ms >= change:
                ip = rng.choice(g.O365_IPS)
                stream.session("Outbound to Office 365", ip, g.O365.banner, new,
                               "UnknownCredentials")
            elif r < 0.6:
                stream.session("Outbound to Office 365", rng.choice(g.O365_IPS), g.O365.banner,
                               old, "ok", o365_cert, messages=rng.randint(1, 4))
            else:
                rem = rng.choice(remotes)
                stream.session("Outbound to Partners", rem.ip, rem.banner, old, "ok", rem.cert,
                               messages=rng.randint(1, 3))
        stream.flush()


def put_dumps(z, prefix, n, name, case):
    fqdn = "%s.contoso.com" % name
    when = g.AS_OF_O365 - dt.timedelta(minutes=5)
    certs = []
    for inst in case["certs"]:
        certs.append(g.Installed(inst.cert, name, fqdn, inst.services, inst.root_ca_type,
                                 inst.friendly))

    def put(path, data):
        zi = zipfile.ZipInfo(prefix + path, date_time=g.zip_time(when))
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, data)
    put("%s_ExchangeCertificate.txt" % name,
        g.utf16(g.fl_document([g.cert_props_all(i, g.EN_US) for i in certs], 120)))
    if n == 0:
        put("Connectors/Send_Connectors.txt",
            g.utf16(g.fl_document([c.fl_props(g.EN_US) for c in case["connectors"]], 120)))
        put("Exchange_Server_Data/%s_InstantQueueInfo.txt" % name,
            g.utf16(g.fl_document(case["queues"], 120)))


def new_stream(rng, zf, n, prefix=""):
    return LogStream(rng, zf, "10.0.1.%d" % (21 + n), 0x08DE3A91C4D70000 + (n << 28),
                     g.utc(2026, 11, 1), prefix)


def server_zip(n, name, case, rng, mib, remotes, o365_cert):
    """The nested layout: EXHUBn-1110.zip holding Hub_Send_Protocol_Logs.zip."""
    bio = io.BytesIO()
    logs = io.BytesIO()
    with zipfile.ZipFile(logs, "w", zipfile.ZIP_DEFLATED) as lz:
        stream = new_stream(rng, lz, n)
        write_logs(stream, n, name, case, rng, mib, remotes, o365_cert)
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
        put_dumps(z, "", n, name, case)
        zi = zipfile.ZipInfo("Hub_Send_Protocol_Logs.zip", date_time=g.zip_time(g.AS_OF_O365))
        z.writestr(zi, logs.getvalue())
    return bio.getvalue(), stream


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--servers", type=int, default=4)
    ap.add_argument("--mib", type=int, default=256, help="MiB of send logs per server")
    ap.add_argument("--seed", type=int, default=1110)
    ap.add_argument("--nested", action="store_true",
                    help="one zip per server holding a zip of its logs (default: "
                    "server folders in one zip, which bsdtar -xOf decompresses whole)")
    a = ap.parse_args(argv)
    t0 = time.time()
    rng = random.Random(a.seed)
    totals = {"servers": a.servers, "log_bytes": 0, "rows": 0, "sessions": 0, "files": 0}
    with tempfile.TemporaryDirectory() as work:
        pki = g.Pki(work, rng)
        case = g.o365_case(pki, random.Random(a.seed + 1), smtp_enabled=False, failures=2)
        case["connectors"][0].source_servers = ["EXHUB%d" % (i + 1) for i in range(a.servers)]
        o365_cert = g.partner_remotes(pki)[0].cert
        remotes = g.partner_remotes(pki)
        tmp = a.out + ".tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as outer:
            for n in range(a.servers):
                name = "EXHUB%d" % (n + 1)
                if a.nested:
                    data, st = server_zip(n, name, case, rng, a.mib, remotes, o365_cert)
                    zi = zipfile.ZipInfo("%s-1110.zip" % name,
                                         date_time=g.zip_time(g.AS_OF_O365))
                    outer.writestr(zi, data)
                else:
                    prefix = "%s/" % name
                    put_dumps(outer, prefix, n, name, case)
                    st = new_stream(rng, outer, n, prefix +
                                    "TransportRoles/Logs/Hub/ProtocolLog/SmtpSend/")
                    write_logs(st, n, name, case, rng, a.mib, remotes, o365_cert)
                for k, v in (("log_bytes", st.bytes), ("rows", st.rows),
                             ("sessions", st.sessions), ("files", st.files)):
                    totals[k] += v
                print("%s: %d MiB of logs in %d files, %d sessions (%.0f s)" % (
                    name, st.bytes >> 20, st.files, st.sessions, time.time() - t0),
                    file=sys.stderr)
        os.replace(tmp, a.out)
    totals["as_of"] = g.iso_z(g.AS_OF_O365)
    with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
        json.dump(totals, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

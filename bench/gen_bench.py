#!/usr/bin/env python3
"""Generate the benchmark bundle: one zip with a folder per server, each
holding its certificates (`fl *`), queue and transport dumps and its SMTP
protocol logs in 10 MiB files, as Exchange rotates them (or, with --nested,
the ExchangeLogCollector layout: one zip per server with nested log zips).

    gen_bench.py OUT.zip [--servers N] [--mib M] [--seed S] [--shape SHAPE]
                 [--receive-share F] [--remotes N] [--repeat-ids P]

Defaults: 4 servers x 256 MiB of logs = 1 GiB of logs uncompressed. EXHUB1
carries the "SMTP not enabled" fault of testdata bundle smtp-not-enabled
(a pinned third-party certificate without SMTP, UnknownCredentials after the
change); the other servers deliver normally.

Two shapes (--shape): "send" (the default) writes SMTP Send logs only, to the
three partners of the test bundles and Exchange Online; "busy" is a busy
organization: receive share 0.45 (inbound sessions from the Internet in SMTP
Receive logs beside the Send logs), 250 remote hosts, each with its own
certificate, and messages that go to several hosts (repeat-ids 0.6), which
makes the logs more compressible (256 MiB of logs compress to about 18 MiB
instead of 25). The three parameters can also be given one by one.

Writes OUT.json beside the zip with the log bytes, rows, sessions and TLS
outcomes it wrote, which bench/run.sh uses for throughput figures and as an
independent count to check certtrail's against. Python standard library and
the openssl tool only.
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

# --shape presets: (receive share, remote hosts, repeat-ids, messages per
# session at most); remote hosts 0 means the three partners of the test
# bundles, messages 0 the send shape's one to four.
SHAPES = {"send": (0.0, 0, 0.0, 0), "busy": (0.45, 250, 0.9, 1)}
LOG_TYPES = {"SEND": "SMTP Send Protocol Log", "RECV": "SMTP Receive Protocol Log"}
PUBLIC_CAS = [[("CN", "R11"), ("O", "Let's Encrypt"), ("C", "US")],
              g.DIGICERT_CA,
              [("CN", "Sectigo RSA Domain Validation Secure Server CA"),
               ("O", "Sectigo Limited"), ("L", "Salford"), ("S", "Greater Manchester"),
               ("C", "GB")]]


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


class RfcStamp:
    """The date of a Receive log's 220 banner (RFC 5322, the server's clock,
    here UTC), formatted once per second."""

    def __init__(self):
        self.sec = None
        self.text = ""

    def __call__(self, ms):
        s = ms // 1000
        if s != self.sec:
            self.sec = s
            t = EPOCH + dt.timedelta(seconds=s)
            self.text = "%s, %d %s +0000" % (t.strftime("%a"), t.day,
                                             t.strftime("%b %Y %H:%M:%S"))
        return self.text


class Messages:
    """Message ids and sizes: fresh ones, or (with probability `repeat`) one of
    the last few, as when a message goes to several remote hosts; record and
    internal ids that grow, as the transport database's do."""

    def __init__(self, rng, repeat):
        self.rng = rng
        self.repeat = repeat
        self.recent = []
        self.record_id = rng.randint(10 ** 10, 10 ** 11)
        self.internal = rng.randint(10 ** 12, 10 ** 13)

    def record(self):
        self.record_id += self.rng.randint(1, 40)
        return self.record_id

    def internal_id(self):
        self.internal += self.rng.randint(1, 40)
        return self.internal

    def __call__(self):
        rng = self.rng
        if self.repeat and self.recent and rng.random() < self.repeat:
            return rng.choice(self.recent)
        m = ("%032x" % rng.getrandbits(128), rng.randint(4000, 900000))
        if self.repeat:
            self.recent = (self.recent + [m])[-8:]
        return m


def cert_data(c):
    d = " %s %s %s %s %s %s %s" % (c.subject, c.issuer, c.serial_hex, c.thumbprint,
                                    g.iso_ms(c.not_before), g.iso_ms(c.not_after),
                                    ";".join(c.sans))
    return g.csv_field(d)


class LogStream:
    """Writes sessions one after another straight into 10 MiB log files."""

    def __init__(self, rng, zf, local_ip, sid, start, prefix="", kind="SEND", messages=None):
        self.rng = rng
        self.zf = zf
        self.prefix = prefix
        self.kind = kind
        self.messages = messages
        self.rfc = RfcStamp()
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
        self.tls_ok = 0
        self.tls_failed = 0
        self.header_ms = None

    def flush(self):
        if not self.buf:
            return
        t = EPOCH + dt.timedelta(milliseconds=self.header_ms)
        head = ("#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n"
                "#Log-type: %s\r\n#Date: %s\r\n#Fields: %s\r\n" % (
                    LOG_TYPES[self.kind], g.iso_ms(t), g.LOG_FIELDS))
        data = (head + "".join(self.buf)).encode("utf-8")
        self.files += 1
        name = "%s%s%s-%d.LOG" % (self.prefix, self.kind, t.strftime("%Y%m%d%H"), self.files)
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
            self.tls_failed += 1
        else:
            add("*", "", g.csv_field(g.TLS_OK), step=60)
            self.tls_ok += 1
            if remote_cert is not None:
                add("*", cert_data(remote_cert), "Remote certificate " + g.SHAPE3_CTX)
            add(">", "EHLO mail.contoso.com")
            add("<", "250  %s Hello [%s] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES "
                "AUTH LOGIN 8BITMIME BINARYMIME CHUNKING" % (banner, self.local_ip), step=30)
            for _ in range(messages):
                fresh = self.messages is None
                if fresh:
                    size = rng.randint(4000, 900000)
                    mid = "%032x" % rng.getrandbits(128)
                else:
                    mid, size = self.messages()
                data = str(rng.randint(100000, 9999999) if fresh else size)
                add("*", data, "sending message with RecordId %d and InternetMessageId "
                    "<%s@mail.contoso.com>" % (
                        rng.randint(10 ** 10, 10 ** 11) if fresh else self.messages.record(),
                        mid))
                add(">", "MAIL FROM:<user%d@contoso.com> SIZE=%d" % (rng.randint(1, 900), size))
                add(">", "RCPT TO:<someone@%s>" % banner.split(".", 1)[-1])
                add("<", "250 2.1.0 Sender OK", step=30)
                add("<", "250 2.1.5 Recipient OK", step=3)
                add(">", "BDAT %d LAST" % size)
                add("<", g.csv_field("250 2.6.0 <%s@mail.contoso.com> [InternalId=%d, "
                                     "Hostname=%s] %d bytes in 0.%03d, 512.000 KB/sec Queued "
                                     "mail for delivery" % (
                                         mid, rng.randint(10 ** 12, 10 ** 13) if fresh
                                         else self.messages.internal_id(),
                                                            banner, size,
                                                            rng.randint(20, 999))), step=300)
            add(">", "QUIT")
            add("<", "221 2.0.0 Service closing transmission channel", step=20)
            add("-", "", "Local")
        self.finish(rows, ms)

    def inbound(self, conn, client_ip, client_host, fqdn, local_cert, messages):
        """One session of a sending host on a Receive connector: STARTTLS with
        the server's certificate, then `messages` messages."""
        rng = self.rng
        self.sid += rng.randint(3, 900)
        sid = "%016X" % self.sid
        local = "%s:25" % self.local_ip
        rem = "%s:%d" % (client_ip, rng.randint(1024, 65000))
        pre = ",%s,%s," % (g.csv_field(conn), sid)
        rows = []
        seq = 0
        ms = self.ms

        def add(ev, data="", ctx="", step=12):
            nonlocal seq, ms
            ms += rng.randint(0, step)
            rows.append("%s%s%d,%s,%s,%s,%s,%s\r\n" % (self.stamp(ms), pre, seq, local, rem,
                                                      ev, data, ctx))
            seq += 1

        hello = "250  %s Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES " % (
            fqdn, client_ip)
        add("+")
        add("*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAnyRecipient",
            "Set Session Permissions")
        add(">", g.csv_field("220 %s Microsoft ESMTP MAIL Service ready at %s" % (
            fqdn, self.rfc(ms))))
        add("<", "EHLO " + client_host, step=30)
        add(">", hello + "STARTTLS X-ANONYMOUSTLS AUTH NTLM 8BITMIME BINARYMIME CHUNKING "
            "SMTPUTF8")
        add("<", "STARTTLS", step=20)
        add(">", "220 2.0.0 SMTP server ready")
        add("*", cert_data(local_cert), "Sending certificate " + g.SHAPE3_CTX)
        add("*", "", g.csv_field(g.TLS_OK.replace("_CLIENT", "_SERVER")), step=60)
        self.tls_ok += 1
        add("<", "EHLO " + client_host, step=30)
        add(">", hello + "AUTH NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8")
        domain = client_host.split(".", 1)[-1]
        for _ in range(messages):
            mid, size = self.messages()
            add("<", "MAIL FROM:<%s@%s> SIZE=%d" % (
                rng.choice(["orders", "billing", "news", "jon", "support"]), domain, size),
                step=30)
            add(">", "250 2.1.0 Sender OK")
            add("<", "RCPT TO:<user%d@contoso.com>" % rng.randint(1, 900), step=5)
            add(">", "250 2.1.5 Recipient OK")
            add("<", "BDAT %d LAST" % size, step=300)
            add(">", g.csv_field("250 2.6.0 <%s@%s> [InternalId=%d, Hostname=%s] "
                                 "Queued mail for delivery" % (
                                     mid, domain, self.messages.internal_id(), fqdn)))
        add("<", "QUIT", step=30)
        add(">", "221 2.0.0 Closing connection")
        add("-", "", "Remote")
        self.finish(rows, ms)

    def finish(self, rows, ms):
        rng = self.rng
        if self.header_ms is None:
            self.header_ms = self.ms
        self.buf.extend(rows)
        self.size += sum(len(r) for r in rows)
        self.rows += len(rows)
        self.sessions += 1
        self.ms = ms + rng.randint(200, 20000)
        if self.size >= FILE_BYTES:
            self.flush()


def write_logs(stream, n, name, case, rng, mib, remotes, o365_cert, recv=None, share=0.0,
               most=0):
    """Sessions until the server has `mib` MiB of logs; with `recv`, a Receive
    log stream, a share `share` of them are inbound; `most` messages per
    session at most (0: no limit)."""
    if True:
        new, old = case["new"], case["old"]
        change = int((g.FIRST_FAILURE - EPOCH).total_seconds() * 1000)
        fqdn = "%s.contoso.com" % name

        def cap(k):
            return min(k, most) if most else k

        def written():
            return stream.bytes + stream.size + (recv.bytes + recv.size if recv else 0)
        while written() < (mib << 20):
            if recv is not None and rng.random() < share:
                rem = rng.choice(remotes)
                recv.inbound("%s\\Default Frontend %s" % (name, name), rem.ip, rem.host,
                             fqdn, old, cap(rng.randint(1, 3)))
                continue
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
                               old, "ok", o365_cert, messages=cap(rng.randint(1, 4)))
            else:
                rem = rng.choice(remotes)
                stream.session("Outbound to Partners", rem.ip, rem.banner, old, "ok", rem.cert,
                               messages=cap(rng.randint(1, 3)))
        stream.flush()
        if recv is not None:
            recv.flush()


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


def new_stream(rng, zf, n, prefix="", messages=None):
    return LogStream(rng, zf, "10.0.1.%d" % (21 + n), 0x08DE3A91C4D70000 + (n << 28),
                     g.utc(2026, 11, 1), prefix, messages=messages)


def new_receive_stream(rng, zf, n, prefix, messages):
    return LogStream(rng, zf, "10.0.1.%d" % (21 + n), 0x08DE3B47A2E10000 + (n << 28),
                     g.utc(2026, 11, 1), prefix, kind="RECV", messages=messages)


def many_remotes(pki, rng, count):
    """`count` remote mail hosts, each with its own certificate from one of
    three public CAs (addresses from the benchmarking range 198.18.0.0/15)."""
    out = []
    for i in range(count):
        host = "mx%d.partner%03d.example" % (i % 3 + 1, i)
        cert = g.make_cert(pki.leaf_keys[1], pki.ca_key, [("CN", host)],
                           PUBLIC_CAS[i % 3], (0x05 << 120) | rng.getrandbits(120),
                           g.utc(2026, 8, 1) + dt.timedelta(days=i % 60),
                           g.utc(2026, 12, 1) + dt.timedelta(days=i % 60, hours=23), [host])
        out.append(g.Remote(host, "198.18.%d.%d" % (i // 200, 10 + i % 200),
                            "MX%d.partner%03d.example" % (i % 3 + 1, i), cert))
    return out


def server_zip(n, name, case, rng, mib, remotes, o365_cert, share, messages, most):
    """The nested layout: EXHUBn-1110.zip holding Hub_Send_Protocol_Logs.zip
    (and Hub_Receive_Protocol_Logs.zip when some sessions are inbound)."""
    bio = io.BytesIO()
    logs = io.BytesIO()
    rlogs = io.BytesIO()
    with zipfile.ZipFile(logs, "w", zipfile.ZIP_DEFLATED) as lz, \
            zipfile.ZipFile(rlogs, "w", zipfile.ZIP_DEFLATED) as rz:
        stream = new_stream(rng, lz, n, messages=messages)
        recv = (new_receive_stream(rng, rz, n, "", messages or Messages(rng, 0.0))
                if share else None)
        write_logs(stream, n, name, case, rng, mib, remotes, o365_cert, recv, share, most)
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
        put_dumps(z, "", n, name, case)
        zi = zipfile.ZipInfo("Hub_Send_Protocol_Logs.zip", date_time=g.zip_time(g.AS_OF_O365))
        z.writestr(zi, logs.getvalue())
        if recv is not None:
            zi = zipfile.ZipInfo("Hub_Receive_Protocol_Logs.zip",
                                 date_time=g.zip_time(g.AS_OF_O365))
            z.writestr(zi, rlogs.getvalue())
    return bio.getvalue(), [stream] + ([recv] if recv else [])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--servers", type=int, default=4)
    ap.add_argument("--mib", type=int, default=256, help="MiB of send logs per server")
    ap.add_argument("--seed", type=int, default=1110)
    ap.add_argument("--nested", action="store_true",
                    help="one zip per server holding a zip of its logs (default: "
                    "server folders in one zip, which bsdtar -xOf decompresses whole)")
    ap.add_argument("--shape", choices=sorted(SHAPES), default="send",
                    help="preset of the three parameters below")
    ap.add_argument("--receive-share", type=float,
                    help="share of the sessions that are inbound (SMTP Receive logs)")
    ap.add_argument("--remotes", type=int,
                    help="remote hosts the servers send to and receive from "
                    "(0: the three partners of the test bundles)")
    ap.add_argument("--repeat-ids", type=float,
                    help="chance that a message is one of the last eight again (sent to "
                    "another host); higher compresses better")
    ap.add_argument("--messages", type=int,
                    help="messages per session at most (0: one to four)")
    a = ap.parse_args(argv)
    share, nremotes, repeat, most = SHAPES[a.shape]
    most = most if a.messages is None else a.messages
    share = share if a.receive_share is None else a.receive_share
    nremotes = nremotes if a.remotes is None else a.remotes
    repeat = repeat if a.repeat_ids is None else a.repeat_ids
    t0 = time.time()
    rng = random.Random(a.seed)
    totals = {"servers": a.servers, "log_bytes": 0, "rows": 0, "sessions": 0, "files": 0,
              "tls_ok": 0, "tls_failed": 0, "receive_sessions": 0,
              "shape": {"receive_share": share, "remotes": nremotes, "repeat_ids": repeat,
                        "messages": most}}
    with tempfile.TemporaryDirectory() as work:
        pki = g.Pki(work, rng)
        case = g.o365_case(pki, random.Random(a.seed + 1), smtp_enabled=False, failures=2)
        case["connectors"][0].source_servers = ["EXHUB%d" % (i + 1) for i in range(a.servers)]
        o365_cert = g.partner_remotes(pki)[0].cert
        remotes = g.partner_remotes(pki)
        if nremotes:
            remotes = many_remotes(pki, random.Random(a.seed + 2), nremotes)
        tmp = a.out + ".tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as outer:
            for n in range(a.servers):
                name = "EXHUB%d" % (n + 1)
                messages = Messages(rng, repeat) if repeat else None
                if a.nested:
                    data, streams = server_zip(n, name, case, rng, a.mib, remotes, o365_cert,
                                               share, messages, most)
                    zi = zipfile.ZipInfo("%s-1110.zip" % name,
                                         date_time=g.zip_time(g.AS_OF_O365))
                    outer.writestr(zi, data)
                else:
                    prefix = "%s/" % name
                    put_dumps(outer, prefix, n, name, case)
                    st = new_stream(rng, outer, n, prefix +
                                    "TransportRoles/Logs/Hub/ProtocolLog/SmtpSend/", messages)
                    recv = None
                    if share:
                        recv = new_receive_stream(
                            rng, outer, n,
                            prefix + "TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive/",
                            messages or Messages(rng, 0.0))
                    write_logs(st, n, name, case, rng, a.mib, remotes, o365_cert, recv, share,
                               most)
                    streams = [st] + ([recv] if recv else [])
                for st in streams:
                    for k, v in (("log_bytes", st.bytes), ("rows", st.rows),
                                 ("sessions", st.sessions), ("files", st.files),
                                 ("tls_ok", st.tls_ok), ("tls_failed", st.tls_failed)):
                        totals[k] += v
                    if st.kind == "RECV":
                        totals["receive_sessions"] += st.sessions
                print("%s: %d MiB of logs in %d files, %d sessions (%.0f s)" % (
                    name, sum(st.bytes for st in streams) >> 20,
                    sum(st.files for st in streams), sum(st.sessions for st in streams),
                    time.time() - t0), file=sys.stderr)
        os.replace(tmp, a.out)
    totals["as_of"] = g.iso_z(g.AS_OF_O365)
    with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
        json.dump(totals, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Generate a bundle of SMTP protocol logs in every shape certtrail reads, and
the truth about it: what an exact reader must count.

    gen_logs.py OUT.zip [--sessions N] [--seed S]

Writes OUT.zip and OUT.truth.json. Three servers, attributed three ways:

- EX01: a per-server zip (EX01-1110.zip) holding Exchange 2019 Send and
  Receive logs: CRLF, one-row certificates with dates (issuers with commas),
  one-row EHLO replies, a localized connector name, a line over 1 MiB.
- EX02: a folder (EX02/...) holding Exchange 2010 Send logs: LF, certificate
  blocks over several rows, EHLO replies over several 250- rows, daily file
  names, a pasted fragment without the #Fields header; and 2016 CU2 one-row
  certificates without dates.
- a FrontEnd receive folder that names no server: its connector-id
  (EX03\\Default Frontend EX03) does.

Sessions interleave and files rotate in the middle of sessions; some
sessions repeat their last row after the disconnect; some fail to connect
(Winsock), fail TLS, or get 4xx/5xx responses. The truth counts rows,
sessions, TLS outcomes and every aggregate of findings.json's tls_outcomes,
smtp_sessions, connect_failures and smtp_responses, as generated.
Python standard library only.
"""

import argparse
import collections
import io
import json
import random
import sys
import zipfile

FIELDS = ("date-time,connector-id,session-id,sequence-number,local-endpoint,"
          "remote-endpoint,event,data,context")
SHAPE3_CTX = ("Sending certificate Subject Issuer name Serial number Thumbprint "
              "Not before Not after Subject alternate names")
SHAPE2_CTX = ("Sending certificate Certificate subject Certificate issuer name "
              "Certificate serial number Certificate thumbprint Certificate "
              "subject alternate names")
ERRORS = ["UnknownCredentials", "NoCredentials", "IllegalMessage", "CertUnknown",
          "UntrustedRoot", "AlgorithmMismatch", "SocketError"]
RESPONSES = [("451 4.4.0", "451 4.4.0 Primary target IP address responded with: "
              "\"421 4.4.1 Connection timed out.\""),
             ("454 4.7.5", "454 4.7.5 The certificate specified in TlsCertificateName "
              "of the SendConnector could not be found."),
             ("421 4.4.2", "421 4.4.2 Connection dropped due to SocketError"),
             ("451 5.7.3", "451 5.7.3 STARTTLS is required to send mail"),
             ("550 5.7.1", "550 5.7.1 Unable to relay")]
PROTOCOLS = [("TLS1_2", "SP_PROT_TLS1_2"), ("TLS1_0", "SP_PROT_TLS1_0"),
             ("TLS1_3", None)]


def csv_field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


class Cert:
    def __init__(self, rng, subject, issuer, sans):
        self.subject = subject
        self.issuer = issuer
        self.serial = "%032X" % rng.getrandbits(128)
        self.thumbprint = "%040X" % rng.getrandbits(160)
        self.sans = sans

    def one_row(self, dated):
        if dated:
            return " %s %s %s %s 2026-01-05T00:00:00.000Z 2027-01-05T23:59:59.000Z %s" % (
                self.subject, self.issuer, self.serial, self.thumbprint, ";".join(self.sans))
        return " %s %s %s %s %s" % (self.subject, self.issuer, self.serial,
                                     self.thumbprint, ";".join(self.sans))


class Truth:
    def __init__(self):
        self.rows = 0
        self.bad_rows = 0
        self.long_lines = 0
        self.files = 0
        self.headerless = 0
        self.tls_ok = 0
        self.tls_failed = 0
        self.sessions = set()
        self.tls = collections.Counter()
        self.sess = collections.Counter()
        self.connfail = collections.Counter()
        self.resp = collections.Counter()
        self.log_bytes = 0

    def as_json(self):
        def rows(counter, names):
            return sorted(([dict(zip(names, k)), v] for k, v in counter.items()),
                          key=lambda kv: json.dumps(kv, sort_keys=True))
        return {
            "files": self.files, "rows": self.rows, "bad_rows": self.bad_rows,
            "long_lines": self.long_lines, "headerless_files": self.headerless,
            "sessions": len(self.sessions), "tls_ok": self.tls_ok,
            "tls_failed": self.tls_failed, "log_bytes": self.log_bytes,
            "tls_outcomes": rows(self.tls, ["server", "direction", "connector", "remote",
                                            "certificate", "remote_certificate", "outcome",
                                            "error", "protocol"]),
            "smtp_sessions": rows(self.sess, ["server", "direction", "connector", "remote",
                                              "starttls_offered", "anonymous_tls_offered",
                                              "tls"]),
            "connect_failures": rows(self.connfail, ["server", "connector", "winsock_error",
                                                     "destination"]),
            "smtp_responses": rows(self.resp, ["server", "direction", "connector", "code"]),
        }


class Session:
    """The rows of one session, produced one at a time so sessions interleave."""

    def __init__(self, log, sid, rows, key):
        self.log = log
        self.sid = sid
        self.rows = rows
        self.key = key


class Log:
    """One log folder: a stream of files of about `rotate` bytes."""

    def __init__(self, rng, truth, server, folder, receive, era, eol, rotate, name_fmt):
        self.rng = rng
        self.truth = truth
        self.server = server
        self.folder = folder
        self.receive = receive
        self.era = era          # "2010", "2016", "2019"
        self.eol = eol
        self.rotate = rotate
        self.name_fmt = name_fmt
        self.files = []         # (name, bytes)
        self.buf = []
        self.size = 0
        self.ms = 1793577600000 + rng.randint(0, 3600000)  # 2026-11-02
        self.sid = rng.getrandbits(56) | (0x08DE << 48)

    def header(self):
        version = "14.3.123.4" if self.era == "2010" else "15.2.1118.7"
        kind = "Receive" if self.receive else "Send"
        return ("#Software: Microsoft Exchange Server%s#Version: %s%s"
                "#Log-type: SMTP %s Protocol Log%s#Date: %s%s#Fields: %s%s") % (
                    self.eol, version, self.eol, kind, self.eol, self.stamp(), self.eol,
                    FIELDS, self.eol)

    def stamp(self):
        s, ms = divmod(self.ms, 1000)
        import datetime as dt
        t = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=s)
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % ms

    def write(self, line, good=True):
        if not self.buf:
            self.buf.append(self.header())
        self.buf.append(line + self.eol)
        self.size += len(line) + len(self.eol)
        if good:
            self.truth.rows += 1
        if self.size >= self.rotate:
            self.flush()

    def flush(self):
        if not self.buf:
            return
        data = "".join(self.buf).encode("utf-8")
        name = self.name_fmt % (len(self.files) + 1)
        self.files.append((self.folder + name, data))
        self.truth.files += 1
        self.truth.log_bytes += len(data)
        self.buf = []
        self.size = 0

    def row(self, conn, sid, seq, local, remote, ev, data="", ctx=""):
        self.ms += self.rng.randint(0, 40)
        return "%s,%s,%s,%d,%s,%s,%s,%s,%s" % (self.stamp(), csv_field(conn), sid, seq,
                                               local, remote, ev, csv_field(data),
                                               csv_field(ctx))


def host(ep):
    return ep.rsplit(":", 1)[0]


def send_session(log, rng, truth, conn, remote_ip, local_cert, remote_cert):
    """A Send session's rows (a list of thunks producing lines) and its truth."""
    log.sid += rng.randint(1, 50)
    sid = "%016X" % log.sid
    local = "10.0.1.%d:%d" % (rng.randint(2, 250), rng.randint(20000, 65000))
    rem = remote_ip + ":25"
    seq = [0]
    out = []
    server = log.server
    d = "send"

    def add(ev, data="", ctx="", lep=None):
        def make(seqno=seq[0]):
            return log.row(conn, sid, seqno, local if lep is None else lep, rem, ev, data, ctx)
        out.append(make)
        seq[0] += 1

    truth.sessions.add((server, d, sid))
    add("*", "", "attempting to connect", lep="")
    if rng.random() < 0.05:
        code = rng.choice([10060, 10061])
        dest = rng.choice(["fabrikam.com", "partner.example"])
        add("*", "", "Failed to connect. Winsock error code: %d, Win32 error code: %d, "
            "Destination domain: %s, Error Message: A connection attempt failed." % (
                code, code, dest), lep="")
        truth.connfail[(server, conn, code, dest)] += 1
        truth.sess[(server, d, conn, remote_ip, False, False, "none")] += 1
        return out
    add("+")
    add("<", "220 mx.%s Microsoft ESMTP MAIL Service ready" % remote_ip)
    add(">", "EHLO mail.contoso.com")
    offer = rng.random() < 0.85
    anon = rng.random() < 0.3
    ext = ["SIZE 37748736", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES"]
    if offer:
        ext.append("STARTTLS")
    if anon:
        ext.append("X-ANONYMOUSTLS")
    ext += ["8BITMIME", "BINARYMIME", "CHUNKING"]
    if log.era == "2010":
        add("<", "250-mx.%s Hello [%s]" % (remote_ip, host(local)))
        for i, e in enumerate(ext):
            add("<", ("250 " if i == len(ext) - 1 else "250-") + e)
    else:
        add("<", "250  mx.%s Hello [%s] %s" % (remote_ip, host(local), " ".join(ext)))
    tls = "none"
    if offer:
        add(">", "STARTTLS")
        add("<", "220 2.0.0 SMTP server ready")
        cert_rows(log, add, local_cert, "Sending")
        if rng.random() < 0.25:
            err = rng.choice(ERRORS)
            add("*", "", "TLS negotiation failed with error " + err)
            truth.tls_failed += 1
            truth.tls[(server, d, conn, remote_ip, local_cert.thumbprint, None, "failed",
                       err, None)] += 1
            tls = "failed"
            add("-", "", "Local")
            finish(log, rng, truth, out, add)
            truth.sess[(server, d, conn, remote_ip, offer, anon, tls)] += 1
            return out
        got_remote = rng.random() < 0.7
        if got_remote:
            cert_rows(log, add, remote_cert, "Remote")
        proto, sp = rng.choice(PROTOCOLS)
        add("*", "", tls_ok_text(sp, "CLIENT"))
        truth.tls_ok += 1
        truth.tls[(server, d, conn, remote_ip, local_cert.thumbprint,
                   remote_cert.thumbprint if got_remote else None, "ok", None, proto)] += 1
        tls = "ok"
    for _ in range(rng.randint(0, 3)):
        add(">", "MAIL FROM:<user%d@contoso.com> SIZE=%d" % (rng.randint(1, 99),
                                                             rng.randint(1000, 90000)))
        if rng.random() < 0.1:
            code, text = rng.choice(RESPONSES)
            add("<", text)
            truth.resp[(server, d, conn, code)] += 1
            continue
        add("<", "250 2.1.0 Sender OK")
        add(">", "RCPT TO:<someone@%s>" % remote_ip)
        add("<", "250 2.1.5 Recipient OK")
    add(">", "QUIT")
    add("<", "221 2.0.0 Service closing transmission channel")
    add("-", "", "Local")
    finish(log, rng, truth, out, add)
    truth.sess[(server, d, conn, remote_ip, offer, anon, tls)] += 1
    return out


def finish(log, rng, truth, out, add):
    # Exchange sometimes writes the last row again after the disconnect.
    if rng.random() < 0.1:
        out.append(out[-1])


def tls_ok_text(sp, side):
    if sp is None:
        # A build that does not know TLS 1.3 by name prints the number.
        first = "0x%X" % (0x2000 if side == "CLIENT" else 0x1000)
    else:
        first = sp + "_" + side
    return ("TLS protocol %s negotiation succeeded using bulk encryption algorithm "
            "CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with "
            "strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength "
            "384 bits" % first)


def cert_rows(log, add, cert, who):
    if log.era == "2010":
        add("*", "", "%s certificate" % ("Sending" if who == "Sending" else "Received"))
        add("*", cert.subject, "Certificate subject")
        add("*", cert.issuer, "Certificate issuer name")
        add("*", cert.serial, "Certificate serial number")
        add("*", cert.thumbprint, "Certificate thumbprint")
        add("*", ";".join(cert.sans), "Certificate alternate names")
    elif log.era == "2016":
        add("*", cert.one_row(False), SHAPE2_CTX.replace("Sending", who))
    else:
        add("*", cert.one_row(True), SHAPE3_CTX.replace("Sending", who))


def receive_session(log, rng, truth, conn, client_ip, server_cert, client_cert):
    log.sid += rng.randint(1, 50)
    sid = "%016X" % log.sid
    local = "10.0.2.5:25"
    rem = "%s:%d" % (client_ip, rng.randint(1024, 65000))
    seq = [0]
    out = []
    server = log.server
    d = "receive"

    def add(ev, data="", ctx=""):
        def make(seqno=seq[0]):
            return log.row(conn, sid, seqno, local, rem, ev, data, ctx)
        out.append(make)
        seq[0] += 1

    truth.sessions.add((server, d, sid))
    add("+", "", "")
    add("*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAnyRecipient", "Set Session Permissions")
    add(">", "220 %s Microsoft ESMTP MAIL Service ready" % server.lower())
    add("<", "EHLO client.example")
    offer = rng.random() < 0.9
    anon = rng.random() < 0.5
    ext = ["SIZE", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES"]
    if offer:
        ext.append("STARTTLS")
    if anon:
        ext.append("X-ANONYMOUSTLS")
    ext += ["AUTH NTLM", "8BITMIME", "BINARYMIME", "CHUNKING"]
    add(">", "250  %s Hello [%s] %s" % (server.lower(), client_ip, " ".join(ext)))
    tls = "none"
    if offer and rng.random() < 0.9:
        add("<", "STARTTLS")
        add(">", "220 2.0.0 SMTP server ready")
        cert_rows(log, add, server_cert, "Sending")
        if rng.random() < 0.2:
            err = rng.choice(ERRORS)
            add("*", "", "TLS negotiation failed with error " + err)
            truth.tls_failed += 1
            truth.tls[(server, d, conn, client_ip, server_cert.thumbprint, None, "failed",
                       err, None)] += 1
            tls = "failed"
        else:
            proto, sp = rng.choice(PROTOCOLS)
            got = rng.random() < 0.3
            if got:
                cert_rows(log, add, client_cert, "Remote")
            add("*", "", tls_ok_text(sp, "SERVER"))
            truth.tls_ok += 1
            truth.tls[(server, d, conn, client_ip, server_cert.thumbprint,
                       client_cert.thumbprint if got else None, "ok", None, proto)] += 1
            tls = "ok"
    if rng.random() < 0.1:
        code, text = rng.choice(RESPONSES)
        add("<", "MAIL FROM:<x@example.net>")
        add(">", text)
        truth.resp[(server, d, conn, code)] += 1
    add("<", "QUIT")
    add(">", "221 2.0.0 Closing connection")
    add("-", "", "Remote")
    finish(log, rng, truth, out, add)
    truth.sess[(server, d, conn, client_ip, offer, anon, tls)] += 1
    return out


def run_log(log, rng, make_session, n, width):
    """Interleaves `n` sessions, `width` at a time, into the log's files."""
    active = []
    made = 0
    while made < n or active:
        while made < n and len(active) < width:
            active.append(collections.deque(make_session()))
            made += 1
        s = rng.choice(active)
        log.write(s.popleft()())
        if not s:
            active.remove(s)
    log.flush()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--sessions", type=int, default=6000, help="sessions per log folder")
    ap.add_argument("--seed", type=int, default=20261102)
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    truth = Truth()
    issuer = 'CN=Contoso Issuing CA 01, O="Contoso, Ltd.", C=US'
    ex01 = Cert(rng, "CN=mail.contoso.com, OU=Messaging, O=\"Contoso, Ltd.\", C=US", issuer,
                ["mail.contoso.com", "autodiscover.contoso.com"])
    ex02 = Cert(rng, "CN=EX02", "CN=EX02", ["EX02", "EX02.contoso.local"])
    ex03 = Cert(rng, "CN=smtp.contoso.com, O=Contoso, C=US",
                "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US",
                ["smtp.contoso.com"])
    remote = Cert(rng, "CN=mail.protection.outlook.com, O=Microsoft Corporation, L=Redmond, "
                  "S=WA, C=US", "CN=DigiCert Cloud Services CA-1, O=DigiCert Inc, C=US",
                  ["*.mail.protection.outlook.com", "mail.protection.outlook.com"])
    client = Cert(rng, "CN=relay.fabrikam.com", "CN=Fabrikam CA, DC=fabrikam, DC=com",
                  ["relay.fabrikam.com"])
    remotes = ["104.47.51.138", "104.47.55.110", "198.51.100.7", "203.0.113.25"]
    clients = ["192.0.2.%d" % i for i in range(10, 40)]
    conns01 = ["Outbound to Office 365", "Envoi vers Internet \u2013 Partenaires",
               "Outbound, Partners"]
    conns02 = ["To Partner", "Outbound to Office 365"]

    logs = []
    l1 = Log(rng, truth, "EX01", "TransportRoles/Logs/Hub/ProtocolLog/SmtpSend/", False,
             "2019", "\r\n", 700 << 10, "SEND2026110210-%d.LOG")
    run_log(l1, rng, lambda: send_session(l1, rng, truth, rng.choice(conns01),
                                          rng.choice(remotes), ex01, remote),
            a.sessions, 40)
    l1r = Log(rng, truth, "EX01", "TransportRoles/Logs/Hub/ProtocolLog/SmtpReceive/", True,
              "2019", "\r\n", 700 << 10, "RECV2026110210-%d.LOG")
    run_log(l1r, rng, lambda: receive_session(
        l1r, rng, truth, rng.choice(["EX01\\Default EX01",
                                     "EX01\\Empfangsconnector Standard EX01"]),
        rng.choice(clients), ex01, client), a.sessions // 2, 20)
    l2 = Log(rng, truth, "EX02", "EX02/TransportRoles/Logs/ProtocolLog/SmtpSend/", False,
             "2010", "\n", 500 << 10, "SEND20261102-%d.LOG")
    run_log(l2, rng, lambda: send_session(l2, rng, truth, rng.choice(conns02),
                                          rng.choice(remotes), ex02, remote),
            a.sessions, 30)
    l2b = Log(rng, truth, "EX02", "EX02/TransportRoles/Logs/ProtocolLog/SmtpSend2016/", False,
              "2016", "\r\n", 500 << 10, "SEND2016091210-%d.LOG")
    run_log(l2b, rng, lambda: send_session(l2b, rng, truth, "To Partner",
                                           rng.choice(remotes), ex02, remote),
            a.sessions // 4, 10)
    l3 = Log(rng, truth, "EX03", "Logs/FrontEnd/ProtocolLog/SmtpReceive/", True,
             "2019", "\r\n", 600 << 10, "RECV2026110210-%d.LOG")
    run_log(l3, rng, lambda: receive_session(l3, rng, truth, "EX03\\Default Frontend EX03",
                                             rng.choice(clients), ex03, client),
            a.sessions // 2, 25)
    logs = [l1, l1r, l2, l2b, l3]

    # A line over 1 MiB in EX01's second send file: one bad row, the rest read.
    name, data = l1.files[1]
    cut = data.index(b"\r\n", len(data) // 2) + 2
    long_row = ("2026-11-02T10:30:00.000Z,Outbound to Office 365,08DE000000000001,0,,"
                "104.47.51.138:25,*,%s,attempting to connect\r\n" % ("x" * (1100 << 10)))
    l1.files[1] = (name, data[:cut] + long_row.encode() + data[cut:])
    truth.bad_rows += 1
    truth.long_lines += 1
    truth.log_bytes += len(long_row)

    # A fragment pasted without its header, beside EX02's 2010 logs.
    frag = []
    fr = Log(rng, truth, "EX02", "EX02/TransportRoles/Logs/ProtocolLog/SmtpSend/", False,
             "2019", "\r\n", 1 << 30, "unused-%d")
    fr.sid = 0x08DF000000000000
    for _ in range(25):
        for make in send_session(fr, rng, truth, "To Partner", rng.choice(remotes), ex02,
                                 remote):
            frag.append(make() + "\r\n")
    truth.rows += len(frag)
    fdata = "".join(frag).encode("utf-8")
    truth.files += 1
    truth.headerless += 1
    truth.log_bytes += len(fdata)

    # Lay out: EX01 in a per-server zip, the rest in folders.
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        for log in (l1, l1r):
            for name, data in log.files:
                z.writestr(name, data)
    with zipfile.ZipFile(a.out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("EX01-1110.zip", inner.getvalue())
        for log in (l2, l2b, l3):
            for name, data in log.files:
                z.writestr(name, data)
        z.writestr("EX02/TransportRoles/Logs/ProtocolLog/SmtpSend/pasted_fragment.txt", fdata)
    base = a.out[:-4] if a.out.endswith(".zip") else a.out
    with open(base + ".truth.json", "w") as f:
        json.dump(truth.as_json(), f, indent=1, sort_keys=True)
    print("%d files, %d rows, %d sessions, %.1f MiB of logs" % (
        truth.files, truth.rows, len(truth.sessions), truth.log_bytes / 1048576.0),
        file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

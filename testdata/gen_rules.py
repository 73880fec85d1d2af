#!/usr/bin/env python3
"""Scenario bundles for the rule catalog: one bundle per rule with its expected
findings, near misses that must stay silent, and a healthy organization.

    gen_rules.py OUTDIR [--seed N]

Each bundle NAME.zip gets NAME.expected.json in the format tests/check_findings.py
reads, plus "verdict_state" and, for bundles whose evidence needs the
Get-ReceiveConnector / Get-TransportService / event-log readers,
"needs_parsers". Format-List text is UTF-16LE as PowerShell 5.1 writes it;
certificates are real (signed with openssl by gen_bundles.py's PKI).
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # never write into the source tree
sys.path.insert(0, HERE)
import gen_bundles as g  # noqa: E402

AS_OF = g.utc(2026, 11, 10, 9, 0, 0)
MAIL_SUBJECT = [("CN", "mail.contoso.com"), ("O", "Contoso, Ltd."), ("L", "Redmond"),
                ("S", "Washington"), ("C", "US")]
MAIL_SANS = ["mail.contoso.com", "autodiscover.contoso.com", "smtp.contoso.com"]
SERVERS = [("EXHUB1", "EXHUB1.contoso.com", "10.0.1.21"),
           ("EXHUB2", "EXHUB2.contoso.com", "10.0.1.22"),
           ("EXHUB3", "EXHUB3.contoso.com", "10.0.1.23")]
PARTNER = g.Remote("mx1.fabrikam.com", "198.51.100.25", "MX1.fabrikam.com", None)
QUEUE_TIMEOUT = ('451 4.4.0 Primary target IP address responded with: "421 4.4.1 '
                 'Connection timed out." Attempted failover to alternate host, but '
                 'that did not succeed. Either there are no alternate hosts, or '
                 'delivery failed to all alternate hosts.')
QUEUE_NOT_FOUND = ('451 4.4.0 Primary target IP address responded with: "454 4.7.5 '
                   'The certificate specified in TlsCertificateName of the '
                   'SendConnector could not be found." Attempted failover to '
                   'alternate host, but that did not succeed.')
QUEUE_CONNECT = ('451 4.4.0 Primary target IP address responded with: "421 4.2.1 '
                 'Unable to connect." Attempted failover to alternate host, but that '
                 'did not succeed. Either there are no alternate hosts, or delivery '
                 'failed to all alternate hosts. The last endpoint attempted was '
                 '198.51.100.25:25')
QUEUE_BUSY = ('451 4.7.500 Server busy. Please try again later from '
              '[203.0.113.9]. (S77719) [BN8NAM12FT063.eop-nam12.prod.protection.'
              'outlook.com]')
QUEUE_AUTH = ('451 5.7.3 Cannot achieve Exchange Server authentication. Attempted '
              'failover to alternate host, but that did not succeed.')


class Org:
    """A small Exchange organization: servers, certificates, connectors,
    queues, protocol logs and (for the newer readers) receive connectors,
    transport services and events."""

    def __init__(self, pki, rng, nservers=2, since=g.utc(2024, 3, 14, 9, 2, 17)):
        self.pki = pki
        self.rng = rng
        self.servers = SERVERS[:nservers]
        self.auth = pki.self_signed(g.AUTH_SUBJECT, g.utc(2024, 3, 14, 9, 12, 44),
                                    g.utc(2029, 2, 16, 9, 12, 44), [])
        self.certs = {}
        self.defaults = {}
        for name, fqdn, _ in self.servers:
            d = g.server_defaults(pki, name, fqdn, self.auth, since)
            self.defaults[name] = d[0]
            self.certs[name] = list(d)
        self.connectors = []
        self.queues = {name: [g.queue_props(name, "Submission", "Undefined",
                                            "Submission", "Ready", 0, "", None,
                                            g.EN_US)]
                       for name, _, _ in self.servers}
        self.logs = {name: g.SendLog(rng, ip, 0x08DE3C1A5B2F0000 + i * 0x10000000)
                     for i, (name, _, ip) in enumerate(self.servers)}
        self.receive = {}
        self.transport = {}
        self.events = {}
        self.tls_version = {}
        self.recv_rows = {}      # server -> [(time, text)] SMTP Receive rows
        self.sid = 0x08DE3C1A7D000000

    def fqdn(self, server):
        return [f for n, f, _ in self.servers if n == server][0]

    def mail_cert(self, not_before=g.utc(2026, 3, 1), not_after=g.utc(2027, 3, 1),
                  subject=MAIL_SUBJECT, sans=MAIL_SANS, ca=None):
        return self.pki.issue(ca or self.pki.digicert_ca, subject, not_before,
                              not_after, sans)

    def install(self, server, cert, services=("IIS", "SMTP"), has_key=True,
                friendly="mail.contoso.com", status="Valid", key_size=None):
        inst = g.Installed(cert, server, self.fqdn(server), list(services),
                           "ThirdParty" if not cert.self_signed else "Registry",
                           friendly, status=status, has_key=has_key)
        inst.key_size = key_size
        self.certs[server].insert(0, inst)
        return inst

    def queue(self, server, qid, next_hop, status, count, error,
              delivery="DnsConnectorDelivery"):
        self.queues[server].append(g.queue_props(
            server, qid, delivery, next_hop, status, count, error,
            AS_OF - dt.timedelta(minutes=7) if error else None, g.EN_US,
            retry_count=9 if error else 0))

    def traffic(self, server, connector, cert, outcome="ok", start=None, end=None,
                every=(40, 150), remote=None):
        """Sessions from start to end, each presenting `cert`."""
        t = start or (AS_OF - dt.timedelta(days=3))
        end = end or (AS_OF - dt.timedelta(minutes=15))
        log = self.logs[server]
        while t < end:
            log.session(t, connector, remote or PARTNER, cert, "mail.contoso.com",
                        outcome, messages=self.rng.randint(1, 2))
            t += dt.timedelta(minutes=self.rng.randint(*every),
                              seconds=self.rng.randint(0, 59))

    # ------------------------------------------------------------ writing

    def cert_record(self, inst):
        props = g.cert_props_all(inst, g.EN_US)
        if getattr(inst, "key_size", None):
            props = [(k, str(inst.key_size) if k == "PublicKeySize" else v)
                     for k, v in props]
        return props

    def log_files(self, server, prefix):
        """Daily files (the hourly split gives thousands of files for months)."""
        log = self.logs[server]
        by_day = {}
        for tm, order, text in sorted(log.rows):
            by_day.setdefault(tm.strftime("%Y%m%d"), []).append((tm, text))
        out = []
        for key in sorted(by_day):
            rows = by_day[key]
            text = "\r\n".join(
                ["#Software: Microsoft Exchange Server", "#Version: 15.0.0.0",
                 "#Log-type: SMTP Send Protocol Log", "#Date: %s" % g.iso_ms(rows[0][0]),
                 "#Fields: " + g.LOG_FIELDS] + [r for _, r in rows]) + "\r\n"
            proto = self.tls_version.get(server)
            if proto:
                text = text.replace("SP_PROT_TLS1_2_CLIENT", proto)
            out.append((prefix + "SEND%s-1.LOG" % key, text.encode("utf-8"),
                        rows[-1][0]))
        return out

    def receive_files(self, server, prefix):
        by_day = {}
        for tm, text in sorted(self.recv_rows.get(server, [])):
            by_day.setdefault(tm.strftime("%Y%m%d"), []).append((tm, text))
        out = []
        for key in sorted(by_day):
            rows = by_day[key]
            text = "\r\n".join(
                ["#Software: Microsoft Exchange Server", "#Version: 15.0.0.0",
                 "#Log-type: SMTP Receive Protocol Log",
                 "#Date: %s" % g.iso_ms(rows[0][0]),
                 "#Fields: " + g.LOG_FIELDS] + [r for _, r in rows]) + "\r\n"
            out.append((prefix + "RECV%s-1.LOG" % key, text.encode("utf-8"),
                        rows[-1][0]))
        return out

    # ------------------------------------------------ raw log rows

    def _rows(self, sink, t, connector, local, remote, rows):
        """rows: [(event, data, context)], a few milliseconds apart."""
        self.sid += self.rng.randint(3, 900)
        sid = "%016X" % self.sid
        for seq, (ev, data, ctx) in enumerate(rows):
            t = t + dt.timedelta(milliseconds=self.rng.randint(1, 40))
            sink.append((t, "%s,%s,%s,%d,%s,%s,%s,%s,%s" % (
                g.iso_ms(t), g.csv_field(connector), sid, seq,
                local if ev != "*" or seq else "", remote, ev,
                g.csv_field(data), g.csv_field(ctx))))
        return t

    def send_rows(self, server, t, connector, remote_ep, rows):
        log = self.logs[server]
        lip = [ip for n, _, ip in self.servers if n == server][0]
        sink = []
        self._rows(sink, t, connector, "%s:%d" % (lip, self.rng.randint(20000, 65000)),
                   remote_ep, rows)
        for tm, text in sink:
            log.rows.append((tm, log.order, text))
            log.order += 1

    def connect_failure(self, server, t, connector, ip, code, dest):
        """"attempting to connect", then the Winsock failure (docs/formats.md)."""
        self.send_rows(server, t, connector, ip + ":25", [
            ("*", "", "attempting to connect"),
            ("*", "", "Failed to connect. Winsock error code: %d, Win32 error code: "
             "%d, Destination domain: %s, Error Message: A connection attempt "
             "failed because the connected party did not properly respond after "
             "a period of time, or established connection failed to respond."
             % (code, code, dest))])

    def refused_session(self, server, t, connector, remote, response):
        """An outbound session whose MAIL FROM gets a 4xx/5xx `response`."""
        self.send_rows(server, t, connector, remote.ip + ":25", [
            ("*", "", "attempting to connect"), ("+", "", ""),
            ("<", "220 %s Microsoft ESMTP MAIL Service ready" % remote.banner, ""),
            (">", "EHLO mail.contoso.com", ""),
            ("<", "250  %s Hello [10.0.1.21] SIZE PIPELINING ENHANCEDSTATUSCODES "
             "8BITMIME" % remote.banner, ""),
            (">", "MAIL FROM:<noreply@contoso.com>", ""), ("<", response, ""),
            (">", "QUIT", ""), ("-", "", "Local")])

    def inbound(self, server, t, connector, client_ip, starttls, cert=None,
                response=None, ehlo=True):
        """An inbound session on `connector` (SERVER\\Name): the EHLO answer
        offers STARTTLS or not; without ehlo, a probe that only connects."""
        lip = [ip for n, _, ip in self.servers if n == server][0]
        host = self.fqdn(server).lower()
        rows = [("+", "", ""),
                ("*", "SMTPSubmit SMTPAcceptAnySender", "Set Session Permissions"),
                (">", "220 %s Microsoft ESMTP MAIL Service ready" % host, "")]
        if ehlo:
            ext = "SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES %s8BITMIME " \
                  "BINARYMIME CHUNKING" % ("STARTTLS " if starttls else "")
            rows += [("<", "EHLO mx.partner.example", ""),
                     (">", "250  %s Hello [%s] %s" % (host, client_ip, ext), "")]
            if starttls and cert is not None:
                rows += [("<", "STARTTLS", ""), (">", "220 2.0.0 SMTP server ready", ""),
                         ("*", " %s %s %s %s %s %s %s" % (
                             cert.subject, cert.issuer, cert.serial_hex,
                             cert.thumbprint, g.iso_ms(cert.not_before),
                             g.iso_ms(cert.not_after), ";".join(cert.sans)),
                          "Sending certificate " + g.SHAPE3_CTX),
                         ("*", "", g.TLS_OK.replace("_CLIENT", "_SERVER"))]
            rows += [("<", "MAIL FROM:<orders@partner.example>", "")]
            rows += [(">", response or "250 2.1.0 Sender OK", "")]
            rows += [("<", "QUIT", ""), (">", "221 2.0.0 Closing connection", "")]
        rows += [("-", "", "Remote")]
        self._rows(self.recv_rows.setdefault(server, []), t, connector,
                   "%s:25" % lip, "%s:%d" % (client_ip, self.rng.randint(1024, 65000)),
                   rows)

    def members(self):
        when = AS_OF - dt.timedelta(minutes=5)
        m = [("SendConnectors.txt",
              g.utf16(g.fl_document([connector_props(c) for c in self.connectors], 120)),
              when)]
        for name, fqdn, _ in self.servers:
            root = name + "/"
            m.append((root + "%s_ExchangeCertificate.txt" % name,
                      g.utf16(g.fl_document([self.cert_record(i)
                                             for i in self.certs[name]], 120)), when))
            m.append((root + "%s_InstantQueueInfo.txt" % name,
                      g.utf16(g.fl_document(self.queues[name], 120)), when))
            if name in self.receive:
                m.append((root + "%s_ReceiveConnectors.txt" % name,
                          g.utf16(g.fl_document(self.receive[name], 120)), when))
            if name in self.transport:
                m.append((root + "%s_TransportServer.txt" % name,
                          g.utf16(g.fl_document([g.transport_service_props(
                              name, fqdn, self.transport[name])], 120)), when))
            if name in self.events:
                m.append((root + "%s_ApplicationEvents.csv" % name,
                          g.utf8bom(events_csv(name, fqdn, self.events[name])), when))
            m.extend(self.log_files(name, root + "SmtpSend/"))
            m.extend(self.receive_files(name, root + "SmtpReceive/"))
        return m

    def write(self, outdir, bundle, exp):
        g.write(os.path.join(outdir, bundle + ".zip"), g.zip_bytes(self.members()))
        exp.setdefault("inputs", [bundle + ".zip"])
        exp.setdefault("as_of", g.iso_z(AS_OF))
        g.write_expected(outdir, bundle, exp)


def connector_props(c):
    """gen_bundles' Send connector record, with the Fqdn Format-List shows."""
    props = c.fl_props(g.EN_US)
    at = [k for k, _ in props].index("ForceHELO")
    return props[:at + 1] + [("Fqdn", c.fqdn)] + props[at + 1:]


def receive_connector_props(server, name, fqdn, auth=("Tls", "Integrated"),
                            tls_name="", require_tls=False, role="FrontendTransport"):
    return [
        ("RunspaceId", "5e0f7f0c-8a39-4f5c-9d0a-3c3f2b1d9e11"),
        ("AuthMechanism", ", ".join(auth)),
        ("Bindings", "{0.0.0.0:25, [::]:25}"),
        ("Enabled", "True"),
        ("Fqdn", fqdn),
        ("Identity", "%s\\%s" % (server, name)),
        ("Name", name),
        ("PermissionGroups", "AnonymousUsers, ExchangeServers, ExchangeLegacyServers"),
        ("ProtocolLoggingLevel", "Verbose"),
        ("RequireTLS", str(require_tls)),
        ("Server", server),
        ("TlsCertificateName", tls_name),
        ("TlsDomainCapabilities", "{}"),
        ("TransportRole", role),
    ]


def events_csv(server, fqdn, events):
    """Get-WinEvent -LogName Application | Export-Csv (Windows PowerShell 5.1:
    a #TYPE line, every property of EventLogRecord, culture dates)."""
    cols = ["Message", "Id", "Version", "Qualifiers", "Level", "Task", "Opcode",
            "Keywords", "RecordId", "ProviderName", "ProviderId", "LogName",
            "ProcessId", "ThreadId", "MachineName", "UserId", "TimeCreated",
            "ActivityId", "RelatedActivityId", "ContainerLog", "MatchedQueryIds",
            "Bookmark", "LevelDisplayName", "OpcodeDisplayName", "TaskDisplayName",
            "KeywordsDisplayNames", "Properties"]
    level = {"Error": "2", "Warning": "3", "Information": "4"}
    rows = ["#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord",
            ",".join('"%s"' % c for c in cols)]
    for n, (when, eid, lvl, msg) in enumerate(events):
        v = {"Message": msg, "Id": str(eid), "Qualifiers": "49156",
             "Level": level[lvl], "Task": "12", "Opcode": "0",
             "Keywords": "36028797018963968", "RecordId": str(418223 + n),
             "ProviderName": "MSExchangeTransport", "LogName": "Application",
             "ProcessId": "0", "ThreadId": "0", "MachineName": fqdn,
             "TimeCreated": g.EN_US.date(when), "ContainerLog": "Application",
             "MatchedQueryIds": "System.UInt32[]",
             "Bookmark": "System.Diagnostics.Eventing.Reader.EventBookmark",
             "LevelDisplayName": lvl, "OpcodeDisplayName": "Info",
             "TaskDisplayName": "TransportService",
             "KeywordsDisplayNames": "System.Collections.ObjectModel."
                                     "ReadOnlyCollection`1[System.String]",
             "Properties": "System.Collections.Generic.List`1[System.Diagnostics."
                           "Eventing.Reader.EventProperty]"}
        rows.append(",".join('"%s"' % v.get(c, "").replace('"', '""') for c in cols))
    return "\r\n".join(rows) + "\r\n"


def sc(name, servers, **kw):
    kw.setdefault("fqdn", "mail.contoso.com")
    return g.SendConnector(name, servers, **kw)


def expect(rule, severity, servers, connectors, thumbprints, commands=(), **kw):
    return g.finding(rule, severity, servers, connectors, thumbprints, commands, **kw)


def base(pki, rng, n=2, pin=False, require_tls=False):
    """A healthy organization with the mail certificate on every server."""
    o = Org(pki, rng, n)
    mail = o.mail_cert()
    names = [s[0] for s in o.servers]
    for s in names:
        o.install(s, mail)
    tls = g.tls_certificate_name(g.DIGICERT_CA, MAIL_SUBJECT) if pin else None
    o.connectors.append(sc("Outbound to Partners", names, tls_name=tls,
                           address_spaces=["SMTP:fabrikam.com;1"],
                           require_tls=require_tls,
                           tls_auth_level="CertificateValidation" if require_tls else ""))
    for s in names:
        o.traffic(s, "Outbound to Partners", mail)
    return o, mail


# ----------------------------------------------------------------- scenarios

def s_not_found(outdir, pki, rng, near_miss=False):
    o = Org(pki, rng, 2)
    mail = o.mail_cert()
    o.install("EXHUB1", mail)
    if near_miss:
        o.install("EXHUB2", mail)
    o.connectors.append(sc("Outbound to Partners", ["EXHUB1", "EXHUB2"],
                           tls_name=g.tls_certificate_name(g.DIGICERT_CA, MAIL_SUBJECT),
                           require_tls=True, tls_auth_level="CertificateValidation",
                           address_spaces=["SMTP:fabrikam.com;1"]))
    o.traffic("EXHUB1", "Outbound to Partners", mail)
    if near_miss:
        o.traffic("EXHUB2", "Outbound to Partners", mail)
        return o.write(outdir, "near-miss-not-found", clear())
    o.queue("EXHUB2", "12", "fabrikam.com", "Retry", 41, QUEUE_NOT_FOUND)
    o.write(outdir, "rule-tls-cert-name-not-found", {
        "description": "the pinned certificate is on EXHUB1 only; EXHUB2's queue "
                       "says it could not be found",
        "rules_present": ["tls-cert-name-not-found"],
        "rules_absent": ["queue-retry", "connect-failures", "tls-handshake-failures",
                         "connector-fqdn-not-covered"],
        "root_cause_rule": "tls-cert-name-not-found",
        "verdict_state": "root_cause",
        "findings": [expect("tls-cert-name-not-found", "critical", ["EXHUB2"],
                            ["Outbound to Partners"], [mail.thumbprint],
                            ["Import-ExchangeCertificate -Server EXHUB2",
                             "Enable-ExchangeCertificate -Server EXHUB2 -Thumbprint %s "
                             "-Services SMTP" % mail.thumbprint,
                             "-Server EXHUB1 -Thumbprint %s" % mail.thumbprint],
                            evidence_sources=["EXHUB2_InstantQueueInfo.txt"])]})


def clear(extra_absent=()):
    return {"description": "near miss: must stay silent",
            "no_severity_at_or_above": "medium", "findings": [],
            "rules_absent": list(extra_absent), "verdict_state": "clear"}


def s_invalid(outdir, pki, rng, near_miss=False):
    o, mail = base(pki, rng, 1)
    c = o.connectors[0]
    if near_miss:
        c.tls_name = "<i>%s<s>%s" % (g.dn_net(g.DIGICERT_CA), g.dn_net(MAIL_SUBJECT))
        return o.write(outdir, "near-miss-tls-cert-name-lowercase-tags", clear())
    c.tls_name = "CN=mail.contoso.com"
    c.require_tls = True
    o.write(outdir, "rule-tls-cert-name-invalid", {
        "description": "TlsCertificateName without <I>/<S> tags",
        "rules_present": ["tls-cert-name-invalid"],
        "rules_absent": ["tls-cert-name-not-found"],
        "verdict_state": "problems", "root_cause_null": True,
        "findings": [expect("tls-cert-name-invalid", "high", ["EXHUB1"],
                            ["Outbound to Partners"], [mail.thumbprint],
                            ["Set-SendConnector 'Outbound to Partners' "
                             '-TlsCertificateName',
                             "Get-ExchangeCertificate -Server EXHUB1 -Thumbprint %s"
                             % mail.thumbprint])]})


def s_expired_all(outdir, pki, rng):
    """Every server's only SMTP certificate (its self-signed default) expired;
    every handshake presenting it fails with CertExpired."""
    o = Org(pki, rng, 2, since=g.utc(2021, 10, 1))
    names = [s[0] for s in o.servers]
    o.connectors.append(sc("Internet", names, address_spaces=["SMTP:*;1"],
                           fqdn=""))
    tps = []
    for s in names:
        d = o.defaults[s]
        d.status = "DateInvalid"
        tps.append(d.cert.thumbprint)
        o.traffic(s, "Internet", d.cert, outcome="CertExpired",
                  start=AS_OF - dt.timedelta(days=2))
        o.queue(s, "7", "fabrikam.com", "Retry", 25, QUEUE_TIMEOUT)
    o.write(outdir, "rule-cert-expired", {
        "description": "each server's only SMTP certificate has expired",
        "rules_present": ["cert-expired"],
        "rules_absent": ["tls-handshake-failures", "connect-failures", "queue-retry"],
        "root_cause_rule": "cert-expired", "verdict_state": "root_cause",
        "findings": [expect("cert-expired", "critical", names, [], tps,
                            ["New-ExchangeCertificate -Server EXHUB1",
                             "New-ExchangeCertificate -Server EXHUB2",
                             "Remove-ExchangeCertificate -Server EXHUB1 -Thumbprint %s"
                             % tps[0]],
                            evidence_sources=["SmtpSend/SEND"])]})


def s_expired_superseded(outdir, pki, rng):
    o, mail = base(pki, rng, 1)
    old = o.mail_cert(g.utc(2025, 3, 1), g.utc(2026, 3, 1, 12))
    o.install("EXHUB1", old, status="DateInvalid")
    o.write(outdir, "near-miss-expired-superseded", clear(["cert-expiring"]))


def s_certexpired_remote(outdir, pki, rng):
    """Handshakes fail with CertExpired although every local certificate is
    valid: the peer's certificate expired. No certificate rule explains it."""
    o, mail = base(pki, rng, 1)
    o.logs["EXHUB1"] = g.SendLog(rng, "10.0.1.21", 0x08DE3C1A5B2F0000)
    o.traffic("EXHUB1", "Outbound to Partners", mail, outcome="CertExpired",
              start=AS_OF - dt.timedelta(days=1))
    o.write(outdir, "rule-tls-handshake-failures", {
        "description": "every handshake fails with CertExpired; local certificates "
                       "are valid",
        "rules_present": ["tls-handshake-failures"],
        "rules_absent": ["cert-expired", "smtp-service-not-enabled"],
        "verdict_state": "problems",
        "findings": [expect("tls-handshake-failures", "high", ["EXHUB1"],
                            ["Outbound to Partners"], [mail.thumbprint],
                            ["Set-SendConnector 'Outbound to Partners' "
                             "-ProtocolLoggingLevel Verbose"],
                            evidence_sources=["SmtpSend/SEND"])]})


def s_expiring(outdir, pki, rng, near_miss=False):
    o = Org(pki, rng, 1)
    cur = o.mail_cert(g.utc(2025, 12, 1), AS_OF + dt.timedelta(days=20))
    o.install("EXHUB1", cur)
    o.connectors.append(sc("Outbound to Partners", ["EXHUB1"]))
    o.traffic("EXHUB1", "Outbound to Partners", cur)
    if near_miss:
        o.install("EXHUB1", o.mail_cert(g.utc(2026, 11, 2), g.utc(2027, 11, 2)))
        return o.write(outdir, "near-miss-expiring-with-successor",
                       clear(["cert-expiring"]))
    o.write(outdir, "rule-cert-expiring", {
        "description": "the mail certificate expires in 20 days, no successor",
        "rules_present": ["cert-expiring"], "rules_absent": ["cert-expired"],
        "verdict_state": "problems", "root_cause_null": True,
        "findings": [expect("cert-expiring", "high", ["EXHUB1"], [], [cur.thumbprint],
                            ["New-ExchangeCertificate -Server EXHUB1 -GenerateRequest"])]})


def s_no_key(outdir, pki, rng):
    o = Org(pki, rng, 1)
    mail = o.mail_cert()
    o.install("EXHUB1", mail, has_key=False)
    o.connectors.append(sc("Outbound to Partners", ["EXHUB1"], require_tls=True,
                           tls_name=g.tls_certificate_name(g.DIGICERT_CA, MAIL_SUBJECT)))
    o.traffic("EXHUB1", "Outbound to Partners", mail, outcome="NoCredentials",
              start=AS_OF - dt.timedelta(days=1))
    o.queue("EXHUB1", "9", "fabrikam.com", "Retry", 12, QUEUE_TIMEOUT)
    o.write(outdir, "rule-cert-no-private-key", {
        "description": "the pinned certificate was imported without its key",
        "rules_present": ["cert-no-private-key"],
        "rules_absent": ["tls-handshake-failures", "smtp-service-not-enabled"],
        "root_cause_rule": "cert-no-private-key", "verdict_state": "root_cause",
        # The connector pins the certificate: Remove-ExchangeCertificate
        # refuses it until the connector is unpinned, then pinned again.
        "findings": [expect("cert-no-private-key", "critical", ["EXHUB1"],
                            ["Outbound to Partners"], [mail.thumbprint],
                            ["Set-SendConnector -Identity 'Outbound to Partners' "
                             "-TlsCertificateName $null",
                             "Import-ExchangeCertificate -Server EXHUB1",
                             "Remove-ExchangeCertificate -Server EXHUB1 -Thumbprint %s"
                             % mail.thumbprint])]})


def s_weak(outdir, pki, rng, workdir):
    o = Org(pki, rng, 1)
    weak_key = g.Key.__new__(g.Key)
    weak_key.path = os.path.join(workdir, "weak.key")
    g.run([g.OPENSSL, "genpkey", "-algorithm", "RSA", "-pkeyopt",
           "rsa_keygen_bits:1024", "-out", weak_key.path])
    weak_key.spki = g.run([g.OPENSSL, "pkey", "-in", weak_key.path, "-pubout",
                           "-outform", "DER"]).stdout
    weak_key.key_id = b"\x11" * 20
    cert = g.make_cert(weak_key, pki.ca_key, MAIL_SUBJECT, g.DIGICERT_CA,
                       (0x0A << 120) | rng.getrandbits(120), g.utc(2026, 2, 1),
                       g.utc(2027, 2, 1), MAIL_SANS)
    o.install("EXHUB1", cert, key_size=1024)
    o.connectors.append(sc("Outbound to Partners", ["EXHUB1"]))
    o.traffic("EXHUB1", "Outbound to Partners", cert)
    o.write(outdir, "rule-cert-weak-crypto", {
        "description": "the mail certificate has a 1024-bit key",
        "rules_present": ["cert-weak-crypto"],
        "verdict_state": "problems", "root_cause_null": True,
        "findings": [expect("cert-weak-crypto", "medium", ["EXHUB1"], [],
                            [cert.thumbprint],
                            ["-KeySize 2048"])]})


def s_fqdn(outdir, pki, rng, near_miss=False):
    o = Org(pki, rng, 2)
    wild = o.mail_cert(subject=[("CN", "*.contoso.com"), ("O", "Contoso, Ltd."),
                                ("C", "US")], sans=["*.contoso.com", "contoso.com"])
    names = [s[0] for s in o.servers]
    for s in names:
        o.install(s, wild, friendly="wildcard 2026")
    fqdn = "smtp.contoso.com" if near_miss else "relay.mail.contoso.com"
    o.connectors.append(sc("Outbound to Partners", names, fqdn=fqdn))
    for s in names:
        o.traffic(s, "Outbound to Partners", wild)
    if near_miss:
        return o.write(outdir, "near-miss-fqdn-wildcard-one-label", clear())
    o.write(outdir, "rule-connector-fqdn-not-covered", {
        "description": "*.contoso.com does not cover relay.mail.contoso.com",
        "rules_present": ["connector-fqdn-not-covered"],
        "verdict_state": "problems", "root_cause_null": True,
        "findings": [expect("connector-fqdn-not-covered", "medium", names,
                            ["Outbound to Partners"], [],
                            ["Enable-ExchangeCertificate -Server EXHUB1",
                             "Enable-ExchangeCertificate -Server EXHUB2"])]})


def s_hybrid(outdir, pki, rng):
    o, mail = base(pki, rng, 1)
    o.connectors.append(sc("Outbound to Office 365", ["EXHUB1"],
                           smart_hosts=["contoso-com.mail.protection.outlook.com"],
                           require_tls=False, tls_auth_level="", cloud=True))
    o.write(outdir, "rule-hybrid-connector-config", {
        "description": "the connector to Exchange Online does not require TLS; "
                       "nothing fails and no session goes without TLS: medium",
        "rules_present": ["hybrid-connector-config"],
        "verdict_state": "problems", "root_cause_null": True,
        "findings": [expect("hybrid-connector-config", "medium", ["EXHUB1"],
                            ["Outbound to Office 365"], [],
                            ["Set-SendConnector 'Outbound to Office 365' -RequireTLS "
                             '$true -TlsAuthLevel DomainValidation -TlsDomain '
                             'mail.protection.outlook.com'])]})


def s_legacy(outdir, pki, rng):
    o, mail = base(pki, rng, 1)
    o.tls_version["EXHUB1"] = "SP_PROT_TLS1_0_CLIENT"
    o.write(outdir, "rule-legacy-tls", {
        "description": "every session negotiates TLS 1.0",
        "rules_present": ["legacy-tls"],
        "verdict_state": "problems", "root_cause_null": True,
        "findings": [expect("legacy-tls", "medium", ["EXHUB1"],
                            ["Outbound to Partners"], [], ["SchUseStrongCrypto"])]})


def s_unknown_presented(outdir, pki, rng):
    o, mail = base(pki, rng, 1)
    box = pki.issue(pki.contoso_ca, [("CN", "smtp-gw.contoso.com")],
                    g.utc(2026, 1, 1), g.utc(2027, 1, 1), ["smtp-gw.contoso.com"])
    o.logs["EXHUB1"] = g.SendLog(rng, "10.0.1.21", 0x08DE3C1A5B2F0000)
    o.traffic("EXHUB1", "Outbound to Partners", box)
    o.write(outdir, "rule-unknown-presented-cert", {
        "description": "the logs show a certificate no server has",
        "rules_present": ["unknown-presented-cert"],
        "verdict_state": "problems", "root_cause_null": True,
        "findings": [expect("unknown-presented-cert", "medium", ["EXHUB1"],
                            ["Outbound to Partners"], [box.thumbprint],
                            ["Get-ChildItem 'Cert:\\LocalMachine\\My\\%s'"
                             % box.thumbprint])]})


def s_connect(outdir, pki, rng):
    o, mail = base(pki, rng, 2)
    o.queue("EXHUB1", "14", "fabrikam.com", "Retry", 18, QUEUE_CONNECT)
    o.queue("EXHUB2", "15", "fabrikam.com", "Retry", 6,
            "Failed to connect. Winsock error code: 10060, Win32 error code: 10060."
            " The last endpoint attempted was 198.51.100.25:25")
    o.write(outdir, "rule-connect-failures", {
        "description": "port 25 to the partner is blocked: not a certificate problem",
        "rules_present": ["connect-failures"],
        "rules_absent": ["cert-expired", "tls-handshake-failures", "queue-retry",
                         "smtp-service-not-enabled"],
        "root_cause_rule": "connect-failures", "verdict_state": "root_cause",
        "findings": [expect("connect-failures", "high", ["EXHUB1", "EXHUB2"],
                            [], [], ["Test-NetConnection -Port 25 -ComputerName "
                                     "fabrikam.com"])]})


def s_queue_retry(outdir, pki, rng):
    o, mail = base(pki, rng, 1)
    o.connectors.append(sc("Relay to Fabrikam", ["EXHUB1"], smart_hosts=["relay.fabrikam.com"],
                           logging="None", address_spaces=["SMTP:fabrikam.net;1"]))
    o.queue("EXHUB1", "21", "relay to fabrikam", "Retry", 33, QUEUE_BUSY,
            delivery="SmartHostConnectorDelivery")
    o.write(outdir, "rule-queue-retry", {
        "description": "a queue in Retry with a busy-server error; its connector "
                       "logs nothing",
        "rules_present": ["queue-retry", "protocol-logging-off"],
        "verdict_state": "problems",
        "findings": [expect("queue-retry", "high", ["EXHUB1"], [], [],
                            ["Retry-Queue"]),
                     expect("protocol-logging-off", "medium", ["EXHUB1"],
                            ["Relay to Fabrikam"], [],
                            ["Set-SendConnector 'Relay to Fabrikam' "
                             '-ProtocolLoggingLevel Verbose'])]})


def s_starttls(outdir, pki, rng):
    o, mail = base(pki, rng, 1)
    o.receive["EXHUB1"] = [receive_connector_props(
        "EXHUB1", "Default Frontend EXHUB1", "inbound.contoso.com")]
    o.events["EXHUB1"] = [(AS_OF - dt.timedelta(hours=3), 12014, "Error",
                           "Microsoft Exchange could not find a certificate that "
                           "contains the domain name inbound.contoso.com in the "
                           "personal store on the local computer. Therefore, it is "
                           "unable to support the STARTTLS SMTP verb for the "
                           "connector Default Frontend EXHUB1 with a FQDN parameter "
                           "of inbound.contoso.com.")]
    o.write(outdir, "rule-starttls-not-offered", {
        "description": "the receive connector's FQDN has no SMTP certificate; event "
                       "12014 says STARTTLS is not offered",
        "needs_parsers": ["Get-ReceiveConnector", "event log export"],
        "rules_present": ["starttls-not-offered"],
        "rules_absent": ["connector-fqdn-not-covered", "tls-handshake-failures"],
        "root_cause_rule": "starttls-not-offered", "verdict_state": "root_cause",
        "findings": [expect("starttls-not-offered", "high", ["EXHUB1"],
                            ["EXHUB1\\Default Frontend EXHUB1"], [],
                            ["Enable-ExchangeCertificate -Server EXHUB1"])]})


def s_internal(outdir, pki, rng):
    o, mail = base(pki, rng, 2)
    gone = "0E5A4C1D9B7F3E2A6C8D0F1B3A5C7E9D2B4F6A81"
    o.transport["EXHUB1"] = gone
    o.transport["EXHUB2"] = o.defaults["EXHUB2"].cert.thumbprint
    o.queue("EXHUB1", "3", "exhub2.contoso.com", "Retry", 14, QUEUE_AUTH,
            delivery="SmtpRelayToMailboxDeliveryGroup")
    o.write(outdir, "rule-internal-transport-cert", {
        "description": "EXHUB1's internal transport certificate was deleted",
        "needs_parsers": ["Get-TransportService"],
        "rules_present": ["internal-transport-cert"],
        "rules_absent": ["queue-retry"],
        "root_cause_rule": "internal-transport-cert", "verdict_state": "root_cause",
        # EXHUB1's valid self-signed default certificate is still installed:
        # SMTP enabled on it (answered Y) makes it the internal one again.
        "findings": [expect("internal-transport-cert", "critical", ["EXHUB1"], [],
                            [gone], ["Enable-ExchangeCertificate -Server EXHUB1 "
                                     "-Thumbprint %s -Services SMTP"
                                     % o.defaults["EXHUB1"].cert.thumbprint])]})


def s_auth(outdir, pki, rng):
    """The Auth certificate expired; Services None, as Microsoft's lab
    exports show it; no Get-AuthConfig, so it is known by its subject."""
    o = Org(pki, rng, 2)
    old = o.auth
    o.auth = pki.self_signed(g.AUTH_SUBJECT, g.utc(2021, 9, 14, 9, 12, 44),
                             g.utc(2026, 9, 14, 9, 12, 44), [])
    for name, fqdn, _ in o.servers:
        o.certs[name] = [i for i in o.certs[name] if i.cert is not old]
        o.certs[name].append(g.Installed(o.auth, name, fqdn, [], "Registry",
                                         "Microsoft Exchange Server Auth Certificate",
                                         status="DateInvalid"))
    o.write(outdir, "rule-auth-certificate", {
        "description": "the Exchange Server Auth Certificate (Services None) "
                       "expired two months ago on both servers",
        "rules_present": ["auth-certificate"],
        "rules_absent": ["cert-expired", "smtp-service-not-enabled"],
        "root_cause_rule": "auth-certificate", "verdict_state": "root_cause",
        "findings": [expect("auth-certificate", "critical", ["EXHUB1", "EXHUB2"], [],
                            [o.auth.thumbprint],
                            ["New-ExchangeCertificate -Server EXHUB1 -KeySize 2048",
                             "Set-AuthConfig -PublishCertificate",
                             "Set-AuthConfig -ClearPreviousCertificate"])]})


def s_queue_only(outdir, pki, rng):
    """Only the queues were collected: the not-found error must not be lost."""
    o = Org(pki, rng, 1)
    o.queue("EXHUB1", "12", "fabrikam.com", "Retry", 41, QUEUE_NOT_FOUND)
    when = AS_OF - dt.timedelta(minutes=5)
    g.write(os.path.join(outdir, "symptom-queue-only.zip"), g.zip_bytes([
        ("EXHUB1/EXHUB1_InstantQueueInfo.txt",
         g.utf16(g.fl_document(o.queues["EXHUB1"], 120)), when)]))
    g.write_expected(outdir, "symptom-queue-only", {
        "description": "only Get-Queue: a queue says the pinned certificate "
                       "could not be found",
        "inputs": ["symptom-queue-only.zip"], "as_of": g.iso_z(AS_OF),
        "rules_present": ["queue-retry"], "verdict_state": "problems",
        "findings": [expect("queue-retry", "high", ["EXHUB1"], [], [],
                            ["Get-Queue -Server EXHUB1"])]})


def s_healthy(outdir, pki, rng, days=120):
    """Three servers, four months of clean logs: nothing above low."""
    o = Org(pki, rng, 3)
    mail = o.mail_cert(g.utc(2026, 5, 1), g.utc(2027, 5, 1))
    names = [s[0] for s in o.servers]
    for s in names:
        o.install(s, mail)
    o.connectors.append(sc("Outbound to Partners", names,
                           tls_name=g.tls_certificate_name(g.DIGICERT_CA, MAIL_SUBJECT),
                           require_tls=True, tls_auth_level="CertificateValidation",
                           address_spaces=["SMTP:fabrikam.com;1"]))
    o.connectors.append(sc("Internet", names, address_spaces=["SMTP:*;2"]))
    for s in names:
        o.traffic(s, "Outbound to Partners", mail,
                  start=AS_OF - dt.timedelta(days=days), every=(240, 600))
        o.traffic(s, "Internet", mail, start=AS_OF - dt.timedelta(days=days),
                  every=(300, 900))
        o.queue(s, "4", "fabrikam.com", "Ready", 0, "")
    o.write(outdir, "healthy-org", {
        "description": "three healthy servers, %d days of logs" % days,
        "no_severity_at_or_above": "medium", "findings": [],
        "rules_absent": ["tls-handshake-failures", "queue-retry", "connect-failures"],
        "verdict_state": "clear"})


# ------------------------------------------------ scenarios from log rows

LEGACY_PARTNER = g.Remote("mx.oldpartner.example", "203.0.113.40",
                          "mx.oldpartner.example", None)
FRONTEND = "EXHUB1\\Default Frontend EXHUB1"
QUEUE_WINSOCK = ('441 4.4.1 Error encountered while communicating with primary '
                 'target IP address: "Failed to connect. Winsock error code: '
                 '10060, Win32 error code: 10060." Attempted failover to alternate '
                 'host, but that did not succeed. Either there are no alternate '
                 'hosts, or delivery failed to all alternate hosts. The last '
                 'endpoint attempted was 198.51.100.25:25')


def s_connect_logs(outdir, pki, rng):
    """Port 25 to fabrikam.com times out from EXHUB1, partner.example does not
    resolve from EXHUB2: the logs' Winsock rows, not a certificate."""
    o, mail = base(pki, rng, 2)
    t = AS_OF - dt.timedelta(hours=6)
    for i in range(14):
        o.connect_failure("EXHUB1", t + dt.timedelta(minutes=20 * i),
                          "Outbound to Partners", "198.51.100.25", 10060,
                          "fabrikam.com")
    for i in range(3):
        o.connect_failure("EXHUB2", t + dt.timedelta(minutes=45 * i),
                          "Outbound to Partners", "0.0.0.0", 11001, "partner.example")
    o.queue("EXHUB1", "14", "fabrikam.com", "Retry", 18, QUEUE_WINSOCK)
    o.write(outdir, "rule-connect-failures-logs", {
        "description": "Winsock 10060 and 11001 rows in the send logs and a queue "
                       "naming the Winsock error: the network, not a certificate",
        "rules_present": ["connect-failures"],
        "rules_absent": ["tls-handshake-failures", "queue-retry",
                         "smtp-service-not-enabled", "cert-expired",
                         "tls-cert-name-not-found"],
        "root_cause_rule": "connect-failures", "verdict_state": "root_cause",
        "symptom_links": [{"kind": "connect_failure", "rule": "connect-failures",
                           "min": 2},
                          {"kind": "queue", "rule": "connect-failures", "min": 1}],
        "evidence_text": {"connect-failures": [
            "Winsock error 10060 (connection timed out",
            "Winsock error 11001 (host not found", "to fabrikam.com",
            "to partner.example"]},
        "findings": [expect("connect-failures", "high", ["EXHUB1", "EXHUB2"],
                            ["Outbound to Partners"], [],
                            ["Test-NetConnection -Port 25 -ComputerName fabrikam.com",
                             "Test-NetConnection -Port 25 -ComputerName "
                             "partner.example"])]})


def s_not_found_response(outdir, pki, rng):
    """The 454 4.7.5 row in EXHUB2's send log is the pinned certificate's absence."""
    o = Org(pki, rng, 2)
    mail = o.mail_cert()
    o.install("EXHUB1", mail)
    o.connectors.append(sc("Outbound to Partners", ["EXHUB1", "EXHUB2"],
                           tls_name=g.tls_certificate_name(g.DIGICERT_CA, MAIL_SUBJECT),
                           address_spaces=["SMTP:fabrikam.com;1"]))
    o.traffic("EXHUB1", "Outbound to Partners", mail)
    t = AS_OF - dt.timedelta(hours=5)
    for i in range(4):
        o.refused_session("EXHUB2", t + dt.timedelta(minutes=30 * i),
                          "Outbound to Partners", PARTNER,
                          "454 4.7.5 The certificate specified in TlsCertificateName "
                          "of the SendConnector could not be found.")
    o.write(outdir, "rule-tls-cert-name-not-found-logs", {
        "description": "454 4.7.5 in EXHUB2's log, no queue: the pinned "
                       "certificate is missing there",
        "rules_present": ["tls-cert-name-not-found"],
        "rules_absent": ["tls-handshake-failures", "connect-failures", "queue-retry"],
        "root_cause_rule": "tls-cert-name-not-found", "verdict_state": "root_cause",
        "symptom_links": [{"kind": "response", "rule": "tls-cert-name-not-found",
                           "min": 1}],
        "findings": [expect("tls-cert-name-not-found", "critical", ["EXHUB2"],
                            ["Outbound to Partners"], [mail.thumbprint],
                            ["Import-ExchangeCertificate -Server EXHUB2"])]})


def s_legacy_drops(outdir, pki, rng, near_miss=False):
    """Handshakes with one partner are dropped and never succeed with TLS 1.2;
    near miss: one drop, then TLS 1.2 with the same host."""
    o, mail = base(pki, rng, 1)
    log = o.logs["EXHUB1"]
    t = AS_OF - dt.timedelta(days=2)
    if near_miss:
        log.session(t, "Outbound to Partners", PARTNER, mail, "mail.contoso.com",
                    "SocketError")
        return o.write(outdir, "near-miss-legacy-tls-one-drop", {
            "description": "one SocketError, then TLS 1.2 with the same host: not "
                           "a version problem",
            "rules_absent": ["legacy-tls", "connect-failures"],
            "rules_present": ["tls-handshake-failures"],
            "verdict_state": "problems",
            "findings": [expect("tls-handshake-failures", "medium", ["EXHUB1"],
                                ["Outbound to Partners"], [mail.thumbprint])]})
    for i in range(12):
        log.session(t + dt.timedelta(hours=3 * i, minutes=rng.randint(0, 50)),
                    "Outbound to Partners", LEGACY_PARTNER, mail,
                    "mail.contoso.com", "SocketError")
    o.refused_session("EXHUB1", AS_OF - dt.timedelta(hours=2),
                      "Outbound to Partners", LEGACY_PARTNER,
                      "421 4.4.2 Connection dropped due to SocketError")
    o.write(outdir, "rule-legacy-tls-dropped", {
        "description": "every handshake with mx.oldpartner.example is dropped "
                       "(SocketError) while TLS 1.2 works with fabrikam",
        "rules_present": ["legacy-tls"],
        "rules_absent": ["tls-handshake-failures", "connect-failures", "queue-retry"],
        "root_cause_rule": "legacy-tls", "verdict_state": "root_cause",
        "symptom_links": [{"kind": "response", "rule": "legacy-tls", "min": 1},
                          {"kind": "tls_failure", "rule": "legacy-tls", "min": 1}],
        "evidence_text": {"legacy-tls": ["to 203.0.113.40"]},
        "findings": [expect("legacy-tls", "high", ["EXHUB1"],
                            ["Outbound to Partners"], [], ["SchUseStrongCrypto"])]})


def s_starttls_ehlo(outdir, pki, rng, variant="stopped"):
    """The default frontend connector stops offering STARTTLS; near misses: it
    offers it (with load balancer probes in between), or an internal relay
    connector without Tls in AuthMechanism never offers it."""
    o, mail = base(pki, rng, 1)
    t = AS_OF - dt.timedelta(days=2)
    stop = AS_OF - dt.timedelta(hours=20)
    k = 0
    while t < AS_OF - dt.timedelta(minutes=20):
        ip = "198.51.100.%d" % (30 + k % 7)
        k += 1
        if variant == "relay":
            o.inbound("EXHUB1", t, "EXHUB1\\Internal Relay", "10.0.5.%d" % (10 + k % 5),
                      False)
            o.inbound("EXHUB1", t, FRONTEND, ip, True, mail)
        elif variant == "offered":
            o.inbound("EXHUB1", t, FRONTEND, ip, True, mail)
            o.inbound("EXHUB1", t + dt.timedelta(seconds=30), FRONTEND, "10.0.9.5",
                      False, ehlo=False)
        elif t < stop:
            o.inbound("EXHUB1", t, FRONTEND, ip, True, mail)
        else:
            o.inbound("EXHUB1", t, FRONTEND, ip, False, response=(
                "451 5.7.3 STARTTLS is required to send mail" if k % 4 == 0
                else None))
        t += dt.timedelta(minutes=rng.randint(40, 90))
    if variant == "relay":
        o.receive["EXHUB1"] = [
            receive_connector_props("EXHUB1", "Default Frontend EXHUB1",
                                    "mail.contoso.com"),
            receive_connector_props("EXHUB1", "Internal Relay", "relay.contoso.com",
                                    auth=("ExternalAuthoritative",))]
        exp = clear(["starttls-not-offered", "connector-fqdn-not-covered"])
        exp["needs_parsers"] = ["Get-ReceiveConnector"]
        return o.write(outdir, "near-miss-starttls-internal-relay", exp)
    if variant == "offered":
        return o.write(outdir, "near-miss-starttls-offered",
                       clear(["starttls-not-offered"]))
    o.write(outdir, "rule-starttls-not-offered-ehlo", {
        "description": "from 20 hours before collection the frontend connector's "
                       "EHLO answer lacks STARTTLS and senders are refused",
        "rules_present": ["starttls-not-offered"],
        "rules_absent": ["tls-handshake-failures", "connect-failures"],
        "root_cause_rule": "starttls-not-offered", "verdict_state": "root_cause",
        "symptom_links": [{"kind": "response", "rule": "starttls-not-offered",
                           "min": 1}],
        "evidence_text": {"starttls-not-offered": ["without STARTTLS"]},
        "findings": [expect("starttls-not-offered", "critical", ["EXHUB1"],
                            [FRONTEND], [],
                            ["Enable-ExchangeCertificate -Server EXHUB1"])]})


def s_hybrid_response(outdir, pki, rng):
    """550 5.7.64 from Exchange Online in the log of the hybrid connector."""
    o, mail = base(pki, rng, 1)
    o.connectors.append(sc("Outbound to Office 365", ["EXHUB1"],
                           smart_hosts=["contoso-com.mail.protection.outlook.com"],
                           require_tls=False, tls_auth_level="", cloud=True))
    eop = g.Remote("contoso-com.mail.protection.outlook.com", "52.101.40.12",
                   "BN8NAM12FT063.mail.protection.outlook.com", None)
    for i in range(3):
        o.refused_session("EXHUB1", AS_OF - dt.timedelta(hours=3 + i),
                          "Outbound to Office 365", eop,
                          "550 5.7.64 TenantAttribution; Relay Access Denied "
                          "[BN8NAM12FT063.eop-nam12.prod.protection.outlook.com]")
    o.write(outdir, "rule-hybrid-connector-config-logs", {
        "description": "Exchange Online answers 550 5.7.64 on the hybrid connector",
        "rules_present": ["hybrid-connector-config"],
        "rules_absent": ["tls-handshake-failures", "connect-failures"],
        "root_cause_rule": "hybrid-connector-config", "verdict_state": "root_cause",
        "symptom_links": [{"kind": "response", "rule": "hybrid-connector-config",
                           "min": 1}],
        "findings": [expect("hybrid-connector-config", "high", ["EXHUB1"],
                            ["Outbound to Office 365"], [])]})


def s_response_only(outdir, pki, rng):
    """A 451 4.7.0 TLS refusal nothing explains: never "no problem found"."""
    o, mail = base(pki, rng, 1)
    o.refused_session("EXHUB1", AS_OF - dt.timedelta(hours=4),
                      "Outbound to Partners", PARTNER,
                      "454 4.7.0 TLS not available due to local problem")
    o.write(outdir, "symptom-response-unexplained", {
        "description": "one TLS refusal in the logs that no specific rule "
                       "explains: problems found",
        "rules_present": ["tls-handshake-failures"],
        "rules_absent": ["connect-failures"],
        "verdict_state": "problems",
        "symptom_links": [{"kind": "response", "rule": "tls-handshake-failures",
                           "min": 1}],
        "findings": [expect("tls-handshake-failures", "medium", ["EXHUB1"],
                            ["Outbound to Partners"], [])]})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20261110)
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as work:
        pki = g.Pki(work, rng)
        steps = [
            lambda r: s_not_found(a.outdir, pki, r),
            lambda r: s_not_found(a.outdir, pki, r, near_miss=True),
            lambda r: s_invalid(a.outdir, pki, r),
            lambda r: s_invalid(a.outdir, pki, r, near_miss=True),
            lambda r: s_expired_all(a.outdir, pki, r),
            lambda r: s_expired_superseded(a.outdir, pki, r),
            lambda r: s_certexpired_remote(a.outdir, pki, r),
            lambda r: s_expiring(a.outdir, pki, r),
            lambda r: s_expiring(a.outdir, pki, r, near_miss=True),
            lambda r: s_no_key(a.outdir, pki, r),
            lambda r: s_weak(a.outdir, pki, r, work),
            lambda r: s_fqdn(a.outdir, pki, r),
            lambda r: s_fqdn(a.outdir, pki, r, near_miss=True),
            lambda r: s_hybrid(a.outdir, pki, r),
            lambda r: s_legacy(a.outdir, pki, r),
            lambda r: s_unknown_presented(a.outdir, pki, r),
            lambda r: s_connect(a.outdir, pki, r),
            lambda r: s_queue_retry(a.outdir, pki, r),
            lambda r: s_starttls(a.outdir, pki, r),
            lambda r: s_internal(a.outdir, pki, r),
            lambda r: s_healthy(a.outdir, pki, r),
            lambda r: s_queue_only(a.outdir, pki, r),
            lambda r: s_connect_logs(a.outdir, pki, r),
            lambda r: s_not_found_response(a.outdir, pki, r),
            lambda r: s_legacy_drops(a.outdir, pki, r),
            lambda r: s_legacy_drops(a.outdir, pki, r, near_miss=True),
            lambda r: s_starttls_ehlo(a.outdir, pki, r),
            lambda r: s_starttls_ehlo(a.outdir, pki, r, "offered"),
            lambda r: s_starttls_ehlo(a.outdir, pki, r, "relay"),
            lambda r: s_hybrid_response(a.outdir, pki, r),
            lambda r: s_response_only(a.outdir, pki, r),
            lambda r: s_auth(a.outdir, pki, r),
        ]
        for i, step in enumerate(steps):
            step(random.Random(a.seed + 100 + i))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Evidence writers for the expert scenarios (testdata/gen_expert.py), and the
time truth of every bundle they write.

A Site is a small Exchange organization: servers with their console culture
and time zone, certificates, connectors, queues, events, the Auth
configuration, protocol logs. Site.render() writes the bundle's members with
the writers of gen_bundles.py and gen_rules.py and, beside them, a Truth: for
every time value written into the bundle, the UTC instant it stands for, the
local time the server showed, how it was written and where certtrail must
report it. scan_untold() then reads the members back and fails on any
date-looking string the Truth does not account for, so a writer cannot add a
time the expectations are silent about.

Python standard library only.
"""

import base64
import datetime as dt
import fnmatch
import re

import gen_bundles as g
import gen_events as ge
import gen_rules as gr

UTC = dt.timezone.utc


# ----------------------------------------------------------------- zones

def offset_minutes(tz, t):
    """UTC offset (minutes) of local-time function tz at UTC instant t."""
    t = t.astimezone(UTC)
    return int((tz(t) - t.replace(tzinfo=None)).total_seconds() // 60)


def season(lt):
    """The part of the year of a local wall-clock time: "nov_mar" (November 8
    to March 7), "may_aug" (May 1 to August 31), or None in a month when
    daylight saving time may change."""
    md = lt.month * 100 + lt.day
    if md >= 1108 or md <= 307:
        return "nov_mar"
    if 501 <= md <= 831:
        return "may_aug"
    return None


def utc_clock(t):
    return t.astimezone(UTC).replace(tzinfo=None)


ZONES = {g.pacific: "US Pacific", g.berlin: "Central European", utc_clock: "UTC"}


def culture(name, tz):
    return g.Culture(name, tz)


EN_US_PACIFIC = g.EN_US
DE_DE_BERLIN = g.DE_DE
EN_US_BERLIN = culture("en-US", g.berlin)


def invariant_date(t, tz):
    """X509Certificate.ToString(): MM/dd/yyyy HH:mm:ss in local time, as in the
    real CliXml exports of testdata/realdata."""
    return tz(t).strftime("%m/%d/%Y %H:%M:%S")


def rfc_banner(t, tz):
    """The date Exchange prints in its 220 banner: local time with offset."""
    lt = tz(t)
    off = offset_minutes(tz, t)
    sign = "+" if off >= 0 else "-"
    return "%s, %d %s %s%02d%02d" % (lt.strftime("%a"), lt.day, lt.strftime("%b %Y %H:%M:%S"),
                                     sign, abs(off) // 60, abs(off) % 60)


# ----------------------------------------------------------------- truth

def iso_local(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S")


class Truth:
    """Every time value of one bundle.

    exact: one written string, the instant it stands for, its local reading,
      and must_be: "utc" (the bundle holds it in UTC: certtrail must write it
      with Z and equal to the truth), "local" (only a local form and no clue
      to the offset: no Z, equal to the local reading), "either" (local form,
      but the bundle gives the offset: either form, each equal to its truth),
      "unparsed" (a CliXml ToString, whose dates are not to be parsed).
      path, when certtrail reports the value, says where in findings.json.
    ranges: row times of a protocol log file, SMTP banner dates: first, last
      and count, with how they are written (UTC, or local with offset).
    """

    def __init__(self):
        self.exact = []
        self.ranges = []

    def add(self, source, written, t, tz, written_as, must_be, path=None, what="",
            optional=False):
        e = {"what": what, "source": source, "written": written,
             "written_as": written_as, "utc": g.iso_z(t),
             "local": iso_local(tz(t)) if tz else None, "must_be": must_be}
        if tz:
            e["utc_offset_minutes"] = offset_minutes(tz, t)
        if path is not None:
            e["path"] = path
        if optional:
            e["optional"] = True
        self.exact.append(e)
        return e

    def add_range(self, source, kind, times, written_as):
        times = sorted(times)
        self.ranges.append({"source": source, "kind": kind, "written_as": written_as,
                            "first_utc": g.iso_z(times[0]), "last_utc": g.iso_z(times[-1]),
                            "count": len(times)})

    def as_json(self):
        return self.exact + self.ranges


def select(array, field, **match):
    return {"array": array, "match": match, "field": field}


# Date-looking strings, and how each is read back into an instant.
PATTERNS = [
    ("iso-z", re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")),
    ("iso-offset", re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d")),
    ("us-date", re.compile(r"\b\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d:\d\d(?: [AP]M)?")),
    ("dotted-date", re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d\d:\d\d")),
    ("banner", re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} "
                          r"\d{4} \d\d:\d\d:\d\d [+-]\d{4}")),
]


def decode(data):
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")


def parse_found(kind, s):
    """UTC instant of a protocol-log or banner string (None for local text)."""
    if kind == "iso-z":
        return dt.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    if kind == "banner":
        core, off = s[5:].rsplit(" ", 1)
        t = dt.datetime.strptime(core, "%d %b %Y %H:%M:%S")
        minutes = int(off[1:3]) * 60 + int(off[3:5])
        if off[0] == "-":
            minutes = -minutes
        return (t - dt.timedelta(minutes=minutes)).replace(tzinfo=UTC)
    return None


def scan_untold(members, truth):
    """Date-looking strings in the members that the truth does not account
    for (generator self-check). members: [(name, bytes)]."""
    untold = []
    for name, data in members:
        text = decode(data)
        exact = set(e["written"] for e in truth.exact
                    if fnmatch.fnmatchcase(name, e["source"]))
        ranges = [r for r in truth.ranges if fnmatch.fnmatchcase(name, r["source"])]
        for kind, rx in PATTERNS:
            for m in rx.finditer(text):
                s = m.group(0)
                if any(s in w for w in exact):
                    continue
                t = parse_found(kind, s)
                ok = t is not None and any(
                    r["kind"] == kind and r["first_utc"] <= g.iso_z(t) <= r["last_utc"]
                    for r in ranges)
                if not ok:
                    untold.append("%s: %s %r" % (name, kind, s))
    return untold


# ----------------------------------------------------------------- logs

def log_text(log_type, rows):
    """One protocol log file: the #-header and the rows, CRLF, UTF-8."""
    head = ["#Software: Microsoft Exchange Server", "#Version: 15.0.0.0",
            "#Log-type: %s" % log_type, "#Date: %s" % g.iso_ms(rows[0][0]),
            "#Fields: " + g.LOG_FIELDS]
    return ("\r\n".join(head + [r for _, r in rows]) + "\r\n").encode("utf-8")


def daily_files(rows, log_type, prefix, stem):
    """[(name, bytes, last time, [row times])]: one file a day, as builds
    before 2013 name them (SENDyyyyMMdd-N.LOG)."""
    by_day = {}
    for tm, text in sorted(rows, key=lambda r: r[0]):
        by_day.setdefault(tm.strftime("%Y%m%d"), []).append((tm, text))
    out = []
    for key in sorted(by_day):
        day = by_day[key]
        out.append((prefix + "%s%s-1.LOG" % (stem, key), log_text(log_type, day),
                    day[-1][0], [t for t, _ in day]))
    return out


def shape3_data(cert):
    return " %s %s %s %s %s %s %s" % (cert.subject, cert.issuer, cert.serial_hex,
                                      cert.thumbprint, g.iso_ms(cert.not_before),
                                      g.iso_ms(cert.not_after), ";".join(cert.sans))


class ReceiveLog:
    """SMTP Receive protocol log rows of one server's connectors."""

    def __init__(self, rng, server):
        self.rng = rng
        self.server = server
        self.rows = []              # (time, text)
        self.sid = 0x08DE3F2B10000000 + rng.randint(0, 0xFFFFF) * 0x100
        self.banners = []           # UTC instants of the 220 banners written
        self.presented = set()      # thumbprints sent in one-row (dated) blocks

    def session(self, t, connector, client_ip, steps, port=25):
        """steps: [(event, data, context)] after the connect row. Returns the
        time of the last row."""
        rng = self.rng
        self.sid += rng.randint(3, 900)
        sid = "%016X" % self.sid
        local = "%s:%d" % (self.server.ip, port)
        remote = "%s:%d" % (client_ip, rng.randint(1024, 65000))
        t = t + dt.timedelta(milliseconds=rng.randint(0, 999))
        for seq, (ev, data, ctx) in enumerate([("+", "", "")] + steps):
            if seq:
                t = t + dt.timedelta(milliseconds=rng.randint(1, 40))
            if "{banner}" in data:
                data = data.replace("{banner}", rfc_banner(t, self.server.culture.tz))
                self.banners.append(t)
            self.rows.append((t, "%s,%s,%s,%d,%s,%s,%s,%s,%s" % (
                g.iso_ms(t), g.csv_field(connector), sid, seq, local, remote, ev,
                g.csv_field(data), g.csv_field(ctx))))
        return t

    def banner(self):
        return "220 %s Microsoft ESMTP MAIL Service ready at {banner}" % self.server.fqdn

    def tls_failure(self, t, connector, client_ip, cert, error="UnknownCredentials",
                    ehlo="mail.partner.example"):
        """A sender's STARTTLS fails right after this server sends `cert`."""
        self.presented.add(cert.thumbprint)
        host = self.server.fqdn
        return self.session(t, connector, client_ip, [
            ("*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAnyRecipient",
             "Set Session Permissions"),
            (">", self.banner(), ""),
            ("<", "EHLO %s" % ehlo, ""),
            (">", "250  %s Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
             "STARTTLS X-ANONYMOUSTLS AUTH NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8"
             % (host, client_ip), ""),
            ("<", "STARTTLS", ""),
            (">", "220 2.0.0 SMTP server ready", ""),
            ("*", shape3_data(cert), "Sending certificate " + g.SHAPE3_CTX),
            ("*", "", "TLS negotiation failed with error %s" % error),
            ("-", "", "Local")])

    def tls_success(self, t, connector, client_ip, cert, ehlo="mail.partner.example"):
        self.presented.add(cert.thumbprint)
        host = self.server.fqdn
        return self.session(t, connector, client_ip, [
            ("*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAnyRecipient",
             "Set Session Permissions"),
            (">", self.banner(), ""),
            ("<", "EHLO %s" % ehlo, ""),
            (">", "250  %s Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
             "STARTTLS X-ANONYMOUSTLS AUTH NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8"
             % (host, client_ip), ""),
            ("<", "STARTTLS", ""),
            (">", "220 2.0.0 SMTP server ready", ""),
            ("*", shape3_data(cert), "Sending certificate " + g.SHAPE3_CTX),
            ("*", "", g.TLS_OK.replace("_CLIENT", "_SERVER")),
            ("<", "EHLO %s" % ehlo, ""),
            (">", "250  %s Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
             "AUTH NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8" % (host, client_ip), ""),
            ("<", "MAIL FROM:<orders@partner.example> SIZE=48211", ""),
            (">", "250 2.1.0 Sender OK", ""),
            ("<", "RCPT TO:<ap@contoso.com>", ""),
            (">", "250 2.1.5 Recipient OK", ""),
            ("<", "QUIT", ""),
            (">", "221 2.0.0 Closing connection", ""),
            ("-", "", "Remote")], port=25)

    def client_refused(self, t, connector, client_ip, helo, sender):
        """A device on port 587 sends MAIL FROM without authenticating."""
        host = self.server.fqdn
        return self.session(t, connector, client_ip, [
            ("*", "None", "Set Session Permissions"),
            (">", self.banner(), ""),
            ("<", "EHLO %s" % helo, ""),
            (">", "250  %s Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
             "STARTTLS AUTH GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8"
             % (host, client_ip), ""),
            ("<", "MAIL FROM:<%s>" % sender, ""),
            (">", "530 5.7.57 SMTP; Client was not authenticated to send anonymous mail "
             "during MAIL FROM", ""),
            ("<", "QUIT", ""),
            (">", "221 2.0.0 Service closing transmission channel", ""),
            ("-", "", "Remote")], port=587)


class SendLog(g.SendLog):
    """gen_bundles' Send log, remembering which certificates it sent in the
    one-row block that carries their dates (shape 3)."""

    def __init__(self, rng, local_ip, session_base):
        super().__init__(rng, local_ip, session_base)
        self.presented = set()
        self.remote_certs = {}
        self.shapes = set()

    def session(self, t0, connector, remote, local_cert, ehlo, outcome, shape=3, **kw):
        if shape == 3:
            self.presented.add(local_cert.thumbprint)
            if remote.cert is not None and outcome == "ok":
                self.remote_certs[remote.cert.thumbprint] = remote.cert
        self.shapes.add(shape)
        return super().session(t0, connector, remote, local_cert, ehlo, outcome,
                               shape=shape, **kw)


# ----------------------------------------------------------------- objects

class Server:
    def __init__(self, name, ip, cul, domain="contoso.com", width=120):
        self.name = name
        self.fqdn = "%s.%s" % (name, domain)
        self.ip = ip
        self.culture = cul
        self.cert_culture = cul         # the console that printed each file
        self.queue_culture = cul
        self.width = width
        self.certs = []                 # g.Installed
        self.queues = []                # dicts for g.queue_props
        self.receive = []               # Format-List records
        self.events = []                # (time, id, level, message)
        self.transport = None           # internal transport thumbprint
        self.send_log = None
        self.recv_log = None
        self.with_certs = True
        self.with_queues = True
        self.clixml_certs = False
        self.auth_config = None         # dict, printed in this server's folder

    def install(self, cert, services, friendly, root_ca_type=None, status="Valid",
                has_key=True):
        inst = g.Installed(cert, self.name, self.fqdn, services,
                           root_ca_type or ("Registry" if cert.self_signed else "ThirdParty"),
                           friendly, status=status, has_key=has_key)
        self.certs.append(inst)
        return inst

    def queue(self, qid, delivery, next_hop, status, count, error, last_retry,
              connector_guid="00000000-0000-0000-0000-000000000000", retry_count=0,
              tls_domain=""):
        self.queues.append(dict(qid=qid, delivery=delivery, next_hop=next_hop,
                                status=status, count=count, error=error,
                                last_retry=last_retry, connector_guid=connector_guid,
                                retry_count=retry_count, tls_domain=tls_domain))

    def logs(self, rng, base):
        self.send_log = SendLog(rng, self.ip, base)
        return self.send_log

    def receive_log(self, rng):
        self.recv_log = ReceiveLog(rng, self)
        return self.recv_log


def auth_config_props(current, previous="", nxt="", next_date=None, when_changed=None,
                      when_created=None, cul=EN_US_PACIFIC):
    """`Get-AuthConfig | Format-List` (the property order of the real CliXml
    export in microsoft/CSS-Exchange's MonitorExchangeAuthCertificate tests)."""
    dn = ("CN=Auth Configuration,CN=Contoso,CN=Microsoft Exchange,CN=Services,"
          "CN=Configuration,DC=contoso,DC=com")
    return [
        ("RunspaceId", "b5c1d6e2-4f3a-4c8e-9a71-2d0f6e8b3c54"),
        ("CurrentCertificateThumbprint", current),
        ("PreviousCertificateThumbprint", previous),
        ("NextCertificateThumbprint", nxt),
        ("NextCertificateEffectiveDate", cul.date(next_date) if next_date else ""),
        ("ServiceName", "00000002-0000-0ff1-ce00-000000000000"),
        ("Realm", ""),
        ("DeploymentId", ""),
        ("IssuerIdentifier", ""),
        ("Name", "Auth Configuration"),
        ("AdminDisplayName", ""),
        ("ExchangeVersion", "0.20 (15.0.0.0)"),
        ("DistinguishedName", dn),
        ("Identity", "Auth Configuration"),
        ("Guid", "9ed390c2-e6fd-4bd4-a7c0-65ca6bc791d7"),
        ("ObjectCategory", "contoso.com/Configuration/Schema/ms-Exch-Auth-Auth-Config"),
        ("ObjectClass", "{top, container, msExchContainer, msExchAuthAuthConfig}"),
        ("WhenChanged", cul.date(when_changed)),
        ("WhenCreated", cul.date(when_created)),
        ("WhenChangedUTC", g.Culture(cul.name, utc_clock).date(when_changed)),
        ("WhenCreatedUTC", g.Culture(cul.name, utc_clock).date(when_created)),
        ("OrganizationId", ""),
        ("Id", "Auth Configuration"),
        ("OriginatingServer", "DC01.contoso.com"),
        ("IsValid", "True"),
        ("ObjectState", "Unchanged"),
    ]


def clixml_certs(server):
    """`Get-ExchangeCertificate | Export-Clixml`: RawData and a ToString whose
    dates are local (X509Certificate.ToString), no SerializationData."""
    objs = []
    for n, inst in enumerate(server.certs):
        c = inst.cert
        tz = server.culture.tz
        ts = ("[Subject]\r\n  %s\r\n\r\n[Issuer]\r\n  %s\r\n\r\n[Serial Number]\r\n  %s\r\n\r\n"
              "[Not Before]\r\n  %s\r\n\r\n[Not After]\r\n  %s\r\n\r\n[Thumbprint]\r\n  %s\r\n"
              % (c.subject, c.issuer, c.serial_hex, invariant_date(c.not_before, tz),
                 invariant_date(c.not_after, tz), c.thumbprint))
        ts = (ts.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
              .replace('"', "&quot;").replace("\r", "_x000D_").replace("\n", "_x000A_"))
        tn = ('<TN RefId="0">\r\n      <T>Microsoft.Exchange.Management.SystemConfigurationTasks.'
              'ExchangeCertificate</T>\r\n      <T>System.Security.Cryptography.'
              'X509Certificates.X509Certificate2</T>\r\n      <T>System.Security.Cryptography.'
              'X509Certificates.X509Certificate</T>\r\n      <T>System.Object</T>\r\n    </TN>'
              if n == 0 else '<TNRef RefId="0" />')
        objs.append('  <Obj RefId="%d">\r\n    %s\r\n    <ToString>%s</ToString>\r\n'
                    '    <Props>\r\n      <BA N="RawData">%s</BA>\r\n    </Props>\r\n'
                    '    <MS>\r\n      <S N="PSComputerName">%s</S>\r\n'
                    '      <G N="RunspaceId">28bdb6ac-5016-46ce-a01e-0cf5ed1caf05</G>\r\n'
                    '      <B N="PSShowComputerName">false</B>\r\n    </MS>\r\n  </Obj>'
                    % (n, tn, ts, base64.b64encode(c.der).decode(), server.fqdn.lower()))
    return g.utf8bom('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/'
                     'powershell/2004/04">\r\n' + "\r\n".join(objs) + "\r\n</Objs>\r\n")


# ----------------------------------------------------------------- the site

def zone_label(tz):
    return ZONES.get(tz, "server local")


class Site:
    """A small organization and the bundle its administrator collected."""

    def __init__(self, servers, connectors=(), when=None):
        self.servers = list(servers)
        self.connectors = list(connectors)
        self.when = when            # entry times in the zip
        self.extra = []             # (name, bytes)
        self.truth = Truth()

    def server(self, name):
        return [s for s in self.servers if s.name == name][0]

    # ----------------------------------------------- what the bundle proves

    def exact_certs(self, s):
        """Thumbprints whose dates the bundle holds in UTC for server s."""
        out = set()
        if s.send_log is not None:
            out |= s.send_log.presented
        if s.recv_log is not None:
            out |= s.recv_log.presented
        if s.clixml_certs:
            out |= set(i.cert.thumbprint for i in s.certs)
        return out

    def clues(self, s):
        """(local time, offset) of each instant the bundle shows both on
        server s's clock and in UTC: a certificate it shows both in local
        Format-List text and in a UTC form, and the 220 banners of its own
        Receive log, its clock written with the offset (the time rules in
        testdata/expert/README.md)."""
        out = [(s.culture.tz(t), offset_minutes(s.culture.tz, t))
               for t in self.own_banners(s)]
        if s.with_certs:
            exact = self.exact_certs(s)
            for i in s.certs:
                if i.cert.thumbprint in exact:
                    for t in (i.cert.not_before, i.cert.not_after):
                        out.append((s.cert_culture.tz(t),
                                    offset_minutes(s.cert_culture.tz, t)))
        return out

    def clock(self, s):
        """What the clues prove of s's clock: {"one": the offset that holds
        wherever they fall, or None; "nov_mar", "may_aug": the offset of
        local times in that part of the year, or None}; None when there is
        no clue or the clues contradict each other. Daylight saving time
        changes between March 8 and April 30 and between September 1 and
        November 7, so a clue there converts nothing; clues in one part of
        the year must agree; the two parts may differ (daylight saving)."""
        by = {}
        for lt, off in self.clues(s):
            by.setdefault(season(lt), set()).add(off)
        if not by or any(len(v) > 1 for v in by.values()):
            return None
        w, m = (next(iter(by[k])) if k in by else None for k in ("nov_mar", "may_aug"))
        split = w is not None and m is not None and w != m
        change = by.get(None, set())
        if split and not change <= {w, m}:
            return None
        if not split and len(set(x for x in (w, m) if x is not None) | change) > 1:
            return None
        one = None if split else next(iter(set(x for x in (w, m) if x is not None) | change))
        return {"one": one, "nov_mar": w, "may_aug": m}

    def own_banners(self, s):
        """UTC instants of the banners s wrote in its Receive log."""
        return list(s.recv_log.banners) if s.recv_log is not None else []

    def expected_servers(self):
        out = []
        for s in self.servers:
            has_clues = bool(self.clues(s))
            c = self.clock(s)
            if has_clues and c is None:
                continue        # the clues contradict each other: no offset
            clue = sorted(i.cert.thumbprint for i in s.certs
                          if i.cert.thumbprint in self.exact_certs(s)) if c else []
            if c and self.own_banners(s):
                clue.append("SmtpReceive/RECV")
            if c and s.clixml_certs:
                clue.append("%s_ExchangeCertificate.xml" % s.name)
            e = {"name": s.name, "utc_offset_minutes": c["one"] if c else None,
                 "offset_from_contains": clue}
            if c and c["one"] is None:
                e["utc_offset_minutes_nov_mar"] = c["nov_mar"]
                e["utc_offset_minutes_may_aug"] = c["may_aug"]
            out.append(e)
        return out

    def must_be_local(self, s, t, tz):
        """How a local time of server s must be reported: "either" when the
        bundle proves the offset of its part of the year, else "local"."""
        c = self.clock(s)
        k = season(tz(t))
        if c is None or k is None or c[k] is None:
            return "local"
        return "either" if c[k] == offset_minutes(tz, t) else "local"

    # ----------------------------------------------- writing

    def render(self):
        """[(name, bytes, entry time)] and fills self.truth."""
        m = []
        if self.connectors:
            m.append(("SendConnectors.txt", g.utf16(g.fl_document(
                [gr.connector_props(c) for c in self.connectors], 120))))
        for s in self.servers:
            root = s.name + "/"
            if s.with_certs and s.certs:
                m.append(self.cert_file(s, root))
            if s.clixml_certs:
                m.append(self.clixml_file(s, root))
            if s.with_queues and s.queues:
                m.append(self.queue_file(s, root))
            if s.receive:
                m.append((root + "%s_ReceiveConnectors.txt" % s.name,
                          g.utf16(g.fl_document(s.receive, s.width))))
            if s.transport:
                m.append((root + "%s_TransportServer.txt" % s.name,
                          g.utf16(g.fl_document([g.transport_service_props(
                              s.name, s.fqdn, s.transport)], s.width))))
            if s.events:
                m.append(self.event_file(s, root))
            if s.auth_config:
                m.append(self.auth_file(s, root))
            m.extend(self.log_files(s, root))
        m.extend(self.extra)
        when = self.when or g.utc(2026, 11, 10, 9, 0, 0)
        self.truth.add_range("(zip entry times)", "zip", [when],
                             "zip DOS date-time without a zone (the generator writes the "
                             "UTC clock's fields)")
        return [(name, data, when) for name, data in m]

    def cert_file(self, s, root):
        name = root + "%s_ExchangeCertificate.txt" % s.name
        cul = s.cert_culture
        exact = self.exact_certs(s)
        for i in s.certs:
            for field, t in (("not_before", i.cert.not_before),
                             ("not_after", i.cert.not_after)):
                must = "utc" if i.cert.thumbprint in exact else self.must_be_local(s, t, cul.tz)
                self.truth.add(name, cul.date(t), t, cul.tz,
                               "Get-ExchangeCertificate | fl *, %s, %s time" % (
                                   cul.name, zone_label(cul.tz)), must,
                               select("certificates", field, thumbprint=i.cert.thumbprint,
                                      server=s.name),
                               what="%s of %s" % ("NotBefore" if field == "not_before"
                                                  else "NotAfter", i.cert.thumbprint))
        return name, g.utf16(g.fl_document([g.cert_props_all(i, cul) for i in s.certs],
                                           s.width))

    def clixml_file(self, s, root):
        name = root + "%s_ExchangeCertificate.xml" % s.name
        for i in s.certs:
            for t in (i.cert.not_before, i.cert.not_after):
                self.truth.add(name, invariant_date(t, s.culture.tz), t, s.culture.tz,
                               "CliXml <ToString> (X509Certificate.ToString, MM/dd/yyyy "
                               "HH:mm:ss local); the dates certtrail reads come from RawData",
                               "unparsed", what="ToString date of %s" % i.cert.thumbprint)
        return name, clixml_certs(s)

    def queue_file(self, s, root):
        name = root + "%s_InstantQueueInfo.txt" % s.name
        cul = s.queue_culture
        recs = []
        for q in s.queues:
            recs.append(g.queue_props(s.name, q["qid"], q["delivery"], q["next_hop"],
                                      q["status"], q["count"], q["error"], q["last_retry"],
                                      cul, connector_guid=q["connector_guid"],
                                      tls_domain=q["tls_domain"],
                                      retry_count=q["retry_count"]))
            t = q["last_retry"]
            if t is None:
                continue
            ident = "%s\\%s" % (s.name, q["qid"])
            how = "Get-Queue | fl, %s, %s time" % (cul.name, zone_label(cul.tz))
            self.truth.add(name, cul.date(t), t, cul.tz, how,
                           self.must_be_local(s, t, cul.tz),
                           select("queues", "last_retry_time", identity=ident),
                           what="LastRetryTime of %s" % ident)
            if q["status"] == "Retry":
                nt = t + dt.timedelta(minutes=15)
                self.truth.add(name, cul.date(nt), nt, cul.tz, how,
                               self.must_be_local(s, nt, cul.tz),
                               select("queues", "next_retry_time", identity=ident),
                               what="NextRetryTime of %s" % ident, optional=True)
            lrt = re.search(r"\{LRT=([^}]*)\}", q["error"] or "")
            if lrt:
                self.truth.add(name, lrt.group(1), t, cul.tz,
                               how + ", inside LastError ({LRT=...})",
                               self.must_be_local(s, t, cul.tz),
                               what="LRT in the LastError of %s" % ident)
        return name, g.utf16(g.fl_document(recs, s.width))

    def event_file(self, s, root):
        name = root + "%s_ApplicationEvents.csv" % s.name
        assert s.culture is EN_US_PACIFIC, "gen_rules.events_csv prints en-US Pacific"
        for t, eid, level, msg in s.events:
            self.truth.add(name, g.EN_US.date(t), t, g.EN_US.tz,
                           "Get-WinEvent | Export-Csv TimeCreated, en-US, US Pacific time",
                           self.must_be_local(s, t, g.EN_US.tz),
                           select("events", "time", id=eid, server=s.name),
                           what="TimeCreated of event %d" % eid)
        return name, g.utf8bom(gr.events_csv(s.name, s.fqdn, s.events))

    def auth_file(self, s, root):
        name = root + "%s_AuthConfig.txt" % s.name
        a = s.auth_config
        cul = s.culture
        ucul = g.Culture(cul.name, utc_clock)
        for key in ("when_changed", "when_created"):
            t = a[key]
            self.truth.add(name, cul.date(t), t, cul.tz,
                           "Get-AuthConfig | fl %s, %s, %s time" % (
                               key, cul.name, zone_label(cul.tz)),
                           self.must_be_local(s, t, cul.tz), what="AuthConfig " + key)
            self.truth.add(name, ucul.date(t), t, utc_clock,
                           "Get-AuthConfig | fl %sUTC, %s, UTC" % (key, cul.name), "utc",
                           what="AuthConfig %sUTC" % key)
        if a.get("next_date"):
            t = a["next_date"]
            self.truth.add(name, cul.date(t), t, cul.tz, "NextCertificateEffectiveDate",
                           self.must_be_local(s, t, cul.tz),
                           select("auth_configs", "next_certificate_effective_date",
                                  next_certificate_thumbprint=a["next"]),
                           what="next effective date")
        props = auth_config_props(a["current"], a.get("previous", ""), a.get("next", ""),
                                  a.get("next_date"), a["when_changed"], a["when_created"],
                                  cul)
        return name, g.utf16(g.fl_document([props], s.width))

    def log_files(self, s, root):
        out = []
        for log, stem, kind, sub in ((s.send_log, "SEND", "SMTP Send Protocol Log", "SmtpSend/"),
                                     (s.recv_log, "RECV", "SMTP Receive Protocol Log",
                                      "SmtpReceive/")):
            if log is None or not log.rows:
                continue
            rows = [(tm, text) for tm, _, text in log.rows] if stem == "SEND" else log.rows
            files = daily_files(rows, kind, root + sub, stem)
            for name, data, last, times in files:
                self.truth.add_range(name, "iso-z", times,
                                     "protocol log date-time and #Date header: UTC, ms")
                text = decode(data)
                banners = [parse_found("banner", b.group(0))
                           for b in PATTERNS[4][1].finditer(text)]
                if banners:
                    self.truth.add_range(name, "banner", banners,
                                         "220 banner dates: the answering server's "
                                         "clock with its UTC offset")
                out.append((name, data))
            exact = log.presented
            for i in s.certs:
                if i.cert.thumbprint not in exact:
                    continue
                for field, t in (("not_before", i.cert.not_before),
                                 ("not_after", i.cert.not_after)):
                    self.truth.add(root + sub + "*", g.iso_ms(t), t, None,
                                   "one-row certificate block (UTC, ms)", "utc",
                                   select("certificates", field,
                                          thumbprint=i.cert.thumbprint, server=s.name),
                                   what="%s of %s in the log" % (field, i.cert.thumbprint))
            for c in getattr(log, "remote_certs", {}).values():
                for t in (c.not_before, c.not_after):
                    self.truth.add(root + sub + "*", g.iso_ms(t), t, None,
                                   "one-row remote certificate block (UTC, ms)", "utc",
                                   what="dates of the remote certificate %s" % c.thumbprint)
        return out


MSG_12014 = ge.MSG_12014

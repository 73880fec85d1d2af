#!/usr/bin/env python3
"""Generate realistic Exchange support bundles for certtrail's end-to-end tests.

    gen_bundles.py OUTDIR            every bundle, each with OUTDIR/<name>.expected.json
    gen_bundles.py --sample OUTDIR   the two bundles committed under testdata/sample/

Certificates are real X.509 (RSA 2048, SHA-256) built here in DER and signed with
the `openssl` command line tool, so that the validity dates are exact and fixed.
Keys are fresh on every run, so thumbprints differ between runs; every
expected.json carries the thumbprints of its own run. Everything else (names,
dates, serial numbers, session ids, log rows) comes from a seeded generator
and is the same on every run.

The evidence imitates what Windows PowerShell 5.1 and Exchange Server write:
Format-List text in UTF-16LE with a BOM and CRLF (and some in UTF-8 with a
BOM), values wrapped at the console width, dates in the server's culture and
local time zone, SMTP Send protocol logs in the three certificate-row shapes,
ExchangeLogCollector's zip-in-zip layout. testdata/README.md describes each
bundle. Python standard library only, plus the openssl binary ($OPENSSL_BIN).
"""

import argparse
import base64
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

OPENSSL = os.environ.get("OPENSSL_BIN") or "openssl"
UTC = dt.timezone.utc
HERE = os.path.dirname(os.path.abspath(__file__))


def utc(y, mo, d, h=0, mi=0, s=0, ms=0):
    return dt.datetime(y, mo, d, h, mi, s, ms * 1000, tzinfo=UTC)


def iso_z(t):
    """findings.json form: seconds, Z."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(t):
    """Protocol log form: milliseconds, Z."""
    t = t.astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


# ----------------------------------------------------------------- DER

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def der_seq(*items):
    return tlv(0x30, b"".join(items))


def der_int(v):
    return tlv(0x02, v.to_bytes((v.bit_length() + 8) // 8, "big"))


def der_bool(v):
    return tlv(0x01, b"\xff" if v else b"\x00")


def der_null():
    return b"\x05\x00"


def der_oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, body)


def der_octets(b):
    return tlv(0x04, b)


def der_bits(b, unused=0):
    return tlv(0x03, bytes([unused]) + b)


def der_time(t):
    t = t.astimezone(UTC)
    if 1950 <= t.year < 2050:
        return tlv(0x17, t.strftime("%y%m%d%H%M%SZ").encode())
    return tlv(0x18, t.strftime("%Y%m%d%H%M%SZ").encode())


def der_explicit(n, content):
    return tlv(0xA0 | n, content)


def der_read(buf, off):
    """(tag, content start, content end) of the element at off."""
    tag = buf[off]
    n = buf[off + 1]
    off += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[off:off + k], "big")
        off += k
    return tag, off, off + n


# Distinguished names are written most specific first, the way .NET and
# Exchange print them; DER stores them the other way round.
RDN_OIDS = {
    "CN": "2.5.4.3", "C": "2.5.4.6", "L": "2.5.4.7", "S": "2.5.4.8",
    "O": "2.5.4.10", "OU": "2.5.4.11", "DC": "0.9.2342.19200300.100.1.25",
}


def dn_value_net(v):
    if any(c in v for c in ',+=<>#;"\n') or v != v.strip():
        return '"' + v.replace('"', '""') + '"'
    return v


def dn_net(rdns):
    """.NET form: CN=..., O="Contoso, Ltd.", S=..., C=US"""
    return ", ".join("%s=%s" % (k, dn_value_net(v)) for k, v in rdns)


def der_name(rdns):
    sets = []
    for k, v in reversed(rdns):
        if k == "C":
            val = tlv(0x13, v.encode())
        elif k == "DC":
            val = tlv(0x16, v.encode())
        else:
            val = tlv(0x0C, v.encode("utf-8"))
        sets.append(tlv(0x31, der_seq(der_oid(RDN_OIDS[k]), val)))
    return der_seq(*sets)


ALG_SHA256_RSA = der_seq(der_oid("1.2.840.113549.1.1.11"), der_null())


class Key:
    """An RSA key held by the openssl tool in a scratch directory."""

    def __init__(self, workdir, name):
        self.path = os.path.join(workdir, name + ".key")
        run([OPENSSL, "genpkey", "-algorithm", "RSA", "-pkeyopt",
             "rsa_keygen_bits:2048", "-out", self.path])
        self.spki = run([OPENSSL, "pkey", "-in", self.path, "-pubout",
                         "-outform", "DER"]).stdout
        # Subject key identifier: SHA-1 of the public key BIT STRING (RFC 5280).
        _, s, _ = der_read(self.spki, 0)
        _, _, e = der_read(self.spki, s)
        _, bs, be = der_read(self.spki, e)
        self.key_id = hashlib.sha1(self.spki[bs + 1:be]).digest()

    def sign(self, tbs):
        return run([OPENSSL, "dgst", "-sha256", "-sign", self.path],
                   data=tbs).stdout


def run(argv, data=None):
    try:
        p = subprocess.run(argv, input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
    except FileNotFoundError:
        sys.exit("gen_bundles: cannot run %s (set OPENSSL_BIN)" % argv[0])
    if p.returncode != 0:
        sys.exit("gen_bundles: %s failed: %s" % (" ".join(argv[:3]),
                                                 p.stderr.decode(errors="replace")))
    return p


class Cert:
    """A certificate and how Exchange shows it on one server."""

    def __init__(self, der, subject, issuer, serial, not_before, not_after,
                 sans, self_signed):
        self.der = der
        self.subject_rdns = subject
        self.issuer_rdns = issuer
        self.subject = dn_net(subject)
        self.issuer = dn_net(issuer)
        self.serial = serial
        self.serial_hex = "%X" % serial
        if len(self.serial_hex) % 2:
            self.serial_hex = "0" + self.serial_hex
        self.not_before = not_before
        self.not_after = not_after
        self.sans = sans
        self.self_signed = self_signed
        self.thumbprint = hashlib.sha1(der).hexdigest().upper()

    def pem(self):
        b = base64.b64encode(self.der).decode()
        return ("-----BEGIN CERTIFICATE-----\n" +
                "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) +
                "\n-----END CERTIFICATE-----\n")


def make_cert(key, issuer_key, subject, issuer, serial, not_before, not_after,
              sans=(), ca=False):
    exts = []
    if ca:
        exts.append(der_seq(der_oid("2.5.29.19"), der_bool(True),
                            der_octets(der_seq(der_bool(True)))))
        exts.append(der_seq(der_oid("2.5.29.15"), der_bool(True),
                            der_octets(der_bits(b"\x86", 1))))
    else:
        exts.append(der_seq(der_oid("2.5.29.15"), der_bool(True),
                            der_octets(der_bits(b"\xa0", 5))))
        exts.append(der_seq(der_oid("2.5.29.37"), der_octets(der_seq(
            der_oid("1.3.6.1.5.5.7.3.1"), der_oid("1.3.6.1.5.5.7.3.2")))))
        if sans:
            exts.append(der_seq(der_oid("2.5.29.17"), der_octets(der_seq(
                *[tlv(0x82, s.encode()) for s in sans]))))
        exts.append(der_seq(der_oid("2.5.29.19"), der_octets(der_seq())))
    exts.append(der_seq(der_oid("2.5.29.14"), der_octets(der_octets(key.key_id))))
    exts.append(der_seq(der_oid("2.5.29.35"), der_octets(der_seq(
        tlv(0x80, issuer_key.key_id)))))
    tbs = der_seq(
        der_explicit(0, der_int(2)),
        der_int(serial),
        ALG_SHA256_RSA,
        der_name(issuer),
        der_seq(der_time(not_before), der_time(not_after)),
        der_name(subject),
        key.spki,
        der_explicit(3, der_seq(*exts)))
    sig = issuer_key.sign(tbs)
    der = der_seq(tbs, ALG_SHA256_RSA, der_bits(sig))
    return Cert(der, subject, issuer, serial, not_before, not_after,
                list(sans), key is issuer_key)


# ----------------------------------------------------------------- names

CONTOSO_CA = [("CN", "Contoso Issuing CA 01"), ("O", "Contoso, Ltd."), ("C", "US")]
CONTOSO_ROOT = [("CN", "Contoso Root CA"), ("O", "Contoso, Ltd."), ("C", "US")]
DIGICERT_CA = [("CN", "DigiCert Global G2 TLS RSA SHA256 2020 CA1"),
               ("O", "DigiCert Inc"), ("C", "US")]
RENEWAL_SUBJECT = [("CN", "mail.contoso.com"), ("OU", "Messaging"),
                   ("O", "Contoso, Ltd."), ("L", "Redmond"), ("S", "Washington"),
                   ("C", "US")]
RENEWAL_SUBJECT_NO_O = [("CN", "mail.contoso.com"), ("OU", "Messaging"),
                        ("L", "Redmond"), ("S", "Washington"), ("C", "US")]
RENEWAL_SANS = ["mail.contoso.com", "autodiscover.contoso.com", "smtp.contoso.com",
                "owa.contoso.com", "legacy.contoso.com"]
O365_SUBJECT = [("CN", "mail.contoso.com"), ("O", "Contoso"), ("L", "Redmond"),
                ("S", "Washington"), ("C", "US")]
O365_SANS = ["mail.contoso.com", "autodiscover.contoso.com", "owa.contoso.com",
             "smtp.contoso.com", "outlook.contoso.com"]
AUTH_SUBJECT = [("CN", "Microsoft Exchange Server Auth Certificate")]


def tls_certificate_name(issuer, subject):
    return "<I>%s<S>%s" % (dn_net(issuer), dn_net(subject))


# ----------------------------------------------------------------- culture

def nth_sunday(year, month, n):
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(6 - d.weekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def last_sunday(year, month):
    d = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


def pacific(t):
    """US Pacific local time (where the en-US servers run)."""
    y = t.year
    start = dt.datetime.combine(nth_sunday(y, 3, 2), dt.time(10), UTC)
    end = dt.datetime.combine(nth_sunday(y, 11, 1), dt.time(9), UTC)
    off = -7 if start <= t < end else -8
    return (t + dt.timedelta(hours=off)).replace(tzinfo=None)


def berlin(t):
    """Central European local time (where the de-DE servers run)."""
    y = t.year
    start = dt.datetime.combine(last_sunday(y, 3), dt.time(1), UTC)
    end = dt.datetime.combine(last_sunday(y, 10), dt.time(1), UTC)
    off = 2 if start <= t < end else 1
    return (t + dt.timedelta(hours=off)).replace(tzinfo=None)


class Culture:
    def __init__(self, name, tz):
        self.name = name
        self.tz = tz

    def date(self, t):
        lt = self.tz(t)
        if self.name == "de-DE":
            return lt.strftime("%d.%m.%Y %H:%M:%S")
        h12 = lt.hour % 12 or 12
        return "%d/%d/%d %d:%02d:%02d %s" % (lt.month, lt.day, lt.year, h12,
                                            lt.minute, lt.second,
                                            "AM" if lt.hour < 12 else "PM")

    def number(self, n):
        s = "{:,}".format(n)
        return s.replace(",", ".") if self.name == "de-DE" else s


EN_US = Culture("en-US", pacific)
DE_DE = Culture("de-DE", berlin)


# ----------------------------------------------------------------- Format-List

def fl_collection(items, limit=4):
    """PowerShell's collection form, cut after $FormatEnumerationLimit items."""
    if len(items) > limit:
        return "{" + ", ".join(items[:limit]) + "...}"
    return "{" + ", ".join(items) + "}"


def fl_record(props, width):
    """One Format-List record. Values longer than the console wraps are cut at
    the last usable column and continue on lines indented to the value column,
    exactly as the console host does (mid-word, spaces kept)."""
    lw = max(len(k) for k, _ in props)
    lines = []
    for label, value in props:
        prefix = label.ljust(lw) + " : "
        room = max(10, width - 1 - len(prefix))
        if value is None or value == "":
            lines.append(prefix)
            continue
        first = True
        while value:
            chunk, value = value[:room], value[room:]
            lines.append((prefix if first else " " * len(prefix)) + chunk)
            first = False
    return lines


def fl_document(records, width):
    out = ["", ""]
    for r in records:
        out.extend(fl_record(r, width))
        out.append("")
    out.extend(["", ""])
    return "\r\n".join(out)


def utf16(text):
    """What `cmdlet > file.txt` writes in Windows PowerShell 5.1."""
    return b"\xff\xfe" + text.encode("utf-16-le")


def utf8bom(text):
    """Out-File -Encoding UTF8 in Windows PowerShell 5.1."""
    return b"\xef\xbb\xbf" + text.encode("utf-8")


SERVICE_ORDER = ["IMAP", "POP", "UM", "IIS", "SMTP", "Federation", "UMCallRouter"]
SERVICE_LETTER = {"IMAP": "I", "POP": "P", "UM": "U", "IIS": "W", "SMTP": "S",
                  "Federation": "F", "UMCallRouter": "C"}


def services_text(services):
    s = [x for x in SERVICE_ORDER if x in services]
    return ", ".join(s) if s else "None"


def services_string_form(services):
    return "".join(SERVICE_LETTER[x] if x in services else "." for x in SERVICE_ORDER)


class Installed:
    """A certificate as installed on one Exchange server."""

    def __init__(self, cert, server, fqdn, services, root_ca_type, friendly,
                 status="Valid", has_key=True):
        self.cert = cert
        self.server = server
        self.fqdn = fqdn
        self.services = list(services)
        self.root_ca_type = root_ca_type
        self.friendly = friendly
        self.status = status
        self.has_key = has_key

    def expected(self, culture=None):
        """Its facts; with the culture of the console that printed it, the
        dates as that server's clock shows them too: findings.json must give
        a date either in UTC with Z, equal to not_before / not_after, or
        without Z, equal to not_before_local / not_after_local."""
        c = self.cert
        e = {"server": self.server, "thumbprint": c.thumbprint,
             "subject": c.subject, "issuer": c.issuer,
             "not_before": iso_z(c.not_before), "not_after": iso_z(c.not_after),
             "services": [x for x in SERVICE_ORDER if x in self.services],
             "self_signed": c.self_signed}
        if culture is not None:
            for k, t in (("not_before", c.not_before), ("not_after", c.not_after)):
                e[k + "_local"] = culture.tz(t).strftime("%Y-%m-%dT%H:%M:%S")
        return e


def cert_access_rules(inst):
    n = 4 if "SMTP" in inst.services else 3
    return fl_collection(["System.Security.AccessControl.CryptoKeyAccessRule"] * n)


def cert_props_default(inst, culture):
    """`Get-ExchangeCertificate | fl`: the 14 default properties."""
    c = inst.cert
    domains = c.sans if c.sans else []
    return [
        ("AccessRules", cert_access_rules(inst) if inst.has_key else "{}"),
        ("CertificateDomains", fl_collection(domains)),
        ("HasPrivateKey", str(inst.has_key)),
        ("IsSelfSigned", str(c.self_signed)),
        ("Issuer", c.issuer),
        ("NotAfter", culture.date(c.not_after)),
        ("NotBefore", culture.date(c.not_before)),
        ("PublicKeySize", "2048"),
        ("RootCAType", inst.root_ca_type),
        ("SerialNumber", c.serial_hex),
        ("Services", services_text(inst.services)),
        ("Status", inst.status),
        ("Subject", c.subject),
        ("Thumbprint", c.thumbprint),
    ]


def cert_props_all(inst, culture):
    """`Get-ExchangeCertificate | fl *`: adds Identity, FriendlyName, RawData..."""
    c = inst.cert
    props = cert_props_default(inst, culture)
    head = props[:2]
    rest = props[2:]
    iis = "{IIS://%s/W3SVC/1, IIS://%s/W3SVC/2}" % (inst.server, inst.server) \
        if "IIS" in inst.services else "{}"
    raw = fl_collection([str(b) for b in c.der[:4]])
    out = head + [("CertificateRequest", ""), ("FriendlyName", inst.friendly),
                  rest[0], ("IISServices", iis), rest[1], rest[2],
                  ("KeyIdentifier", ""), rest[3], rest[4],
                  ("PrivateKeyExportable", "False"), rest[5], rest[6], rest[7],
                  rest[8], rest[9], rest[10], rest[11]]
    out += [
        ("Archived", "False"),
        ("Extensions", fl_collection(["System.Security.Cryptography.Oid"] * 6)),
        ("IssuerName", "System.Security.Cryptography.X509Certificates.X500DistinguishedName"),
        ("PrivateKey", "System.Security.Cryptography.RSACryptoServiceProvider"
         if inst.has_key else ""),
        ("PublicKey", "System.Security.Cryptography.X509Certificates.PublicKey"),
        ("RawData", raw),
        ("SignatureAlgorithm", "System.Security.Cryptography.Oid"),
        ("SubjectName", "System.Security.Cryptography.X509Certificates.X500DistinguishedName"),
        ("Version", "3"),
        ("Handle", str(2340165390000 + (c.serial % 99991))),
        ("Identity", "%s\\%s" % (inst.fqdn, c.thumbprint)),
        ("IsValid", "True"),
        ("ObjectState", "New"),
        ("ServicesStringForm", services_string_form(inst.services)),
    ]
    return out


# ----------------------------------------------------------------- connectors

class SendConnector:
    def __init__(self, name, source_servers, tls_name=None, smart_hosts=(),
                 require_tls=False, tls_auth_level="", tls_domain="",
                 address_spaces=("SMTP:*;1",), fqdn="", logging="Verbose",
                 cloud=False, enabled=True):
        self.name = name
        self.source_servers = list(source_servers)
        self.tls_name = tls_name
        self.smart_hosts = list(smart_hosts)
        self.require_tls = require_tls
        self.tls_auth_level = tls_auth_level
        self.tls_domain = tls_domain
        self.address_spaces = list(address_spaces)
        self.fqdn = fqdn
        self.logging = logging
        self.cloud = cloud
        self.enabled = enabled

    def fl_props(self, culture):
        dns = not self.smart_hosts
        return [
            ("AddressSpaces", fl_collection(self.address_spaces)),
            ("AuthenticationCredential", ""),
            ("CloudServicesMailEnabled", str(self.cloud)),
            ("Comment", ""),
            ("ConnectedDomains", "{}"),
            ("ConnectionInactivityTimeOut", "00:10:00"),
            ("ConnectorType", "Default"),
            ("DNSRoutingEnabled", str(dns)),
            ("DomainSecureEnabled", "False"),
            ("Enabled", str(self.enabled)),
            ("ErrorPolicies", "Default"),
            ("ForceHELO", "False"),
            ("FrontendProxyEnabled", "False"),
            ("HomeMTA", "Microsoft MTA"),
            ("HomeMtaServerId", self.source_servers[0]),
            ("Identity", self.name),
            ("IgnoreSTARTTLS", "False"),
            ("IsScopedConnector", "False"),
            ("IsSmtpConnector", "True"),
            ("MaxMessageSize", "35 MB (%s bytes)" % culture.number(36700160)),
            ("Name", self.name),
            ("Port", "25"),
            ("ProtocolLoggingLevel", self.logging),
            ("RequireOorg", "False"),
            ("RequireTLS", str(self.require_tls)),
            ("SmartHostAuthMechanism", "None"),
            ("SmartHosts", fl_collection(self.smart_hosts)),
            ("SmartHostsString", ",".join(self.smart_hosts)),
            ("SmtpMaxMessagesPerConnection", "20"),
            ("SourceIPAddress", "0.0.0.0"),
            ("SourceRoutingGroup", "Exchange Routing Group (DWBGZMFD01QNBJR)"),
            ("SourceTransportServers", fl_collection(self.source_servers)),
            ("TlsAuthLevel", self.tls_auth_level),
            ("TlsCertificateName", self.tls_name or ""),
            ("TlsDomain", self.tls_domain),
            ("UseExternalDNSServersEnabled", "False"),
        ]

    def expected(self):
        return {"name": self.name, "tls_certificate_name": self.tls_name,
                "source_transport_servers": self.source_servers,
                "require_tls": self.require_tls, "smart_hosts": self.smart_hosts,
                "protocol_logging_level": self.logging}


INTRA_ORG = "Intra-Organization SMTP Send Connector"


def queue_props(server, qid, delivery, next_hop, status, count, last_error,
                last_retry, culture, connector_guid="00000000-0000-0000-0000-000000000000",
                tls_domain="", retry_count=0):
    nxt = culture.date(last_retry + dt.timedelta(minutes=15)) if last_retry else ""
    return [
        ("DeliveryType", delivery),
        ("NextHopDomain", next_hop),
        ("TlsDomain", tls_domain),
        ("NextHopConnector", connector_guid),
        ("Status", status),
        ("MessageCount", str(count)),
        ("LastError", last_error),
        ("RetryCount", str(retry_count)),
        ("LastRetryTime", culture.date(last_retry) if last_retry else ""),
        ("NextRetryTime", nxt if status == "Retry" else ""),
        ("FirstRetryTime", ""),
        ("DeferredMessageCount", "0"),
        ("LockedMessageCount", "0"),
        ("MessageCountsPerPriority", "{0, %d, 0, 0}" % count),
        ("DeferredMessageCountsPerPriority", "{0, 0, 0, 0}"),
        ("RiskLevel", "Normal"),
        ("OutboundIPPool", "0"),
        ("NextHopCategory", "External" if delivery != "Undefined" else "Internal"),
        ("IncomingRate", "0"),
        ("OutgoingRate", "0"),
        ("Velocity", "0"),
        ("QueueIdentity", "%s\\%s" % (server, qid)),
        ("PriorityDescriptions", "{High, Normal, Low, None}"),
        ("Identity", "%s\\%s" % (server, qid)),
        ("IsValid", "True"),
        ("ObjectState", "New"),
    ]


QUEUE_451 = ('451 4.4.0 Primary target IP address responded with: "421 4.4.1 Connection '
             'timed out." Attempted failover to alternate host, but that did not '
             'succeed. Either there are no alternate hosts, or delivery failed to all '
             'alternate hosts.')


def transport_service_props(server, fqdn, internal_tp):
    base = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\Logs"
    return [
        ("Name", server),
        ("ActiveUserStatisticsLogMaxAge", "30.00:00:00"),
        ("AntispamAgentsEnabled", "False"),
        ("ConnectivityLogEnabled", "True"),
        ("ConnectivityLogPath", base + "\\Hub\\Connectivity"),
        ("ExternalDNSAdapterEnabled", "True"),
        ("InternalTransportCertificateThumbprint", internal_tp),
        ("IntraOrgConnectorProtocolLoggingLevel", "Verbose"),
        ("MessageTrackingLogEnabled", "True"),
        ("MessageTrackingLogPath", base + "\\MessageTracking"),
        ("ReceiveProtocolLogMaxAge", "30.00:00:00"),
        ("ReceiveProtocolLogPath", base + "\\Hub\\ProtocolLog\\SmtpReceive"),
        ("SendProtocolLogMaxAge", "30.00:00:00"),
        ("SendProtocolLogPath", base + "\\Hub\\ProtocolLog\\SmtpSend"),
        ("TransientFailureRetryCount", "6"),
        ("TransientFailureRetryInterval", "00:05:00"),
        ("MessageRetryInterval", "00:15:00"),
        ("Identity", server),
        ("IsValid", "True"),
        ("ObjectState", "Unchanged"),
    ] + [("AdminDisplayVersion", "Version 15.2 (Build 1544.4)"),
         ("ExchangeVersion", "0.1 (8.0.535.0)"),
         ("DistinguishedName", "CN=%s,CN=Servers,CN=Exchange Administrative Group "
          "(FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft "
          "Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com" % server),
         ("OriginatingServer", "DC01.contoso.com")]


def exchange_server_props(server, fqdn):
    return [("Name", server), ("Fqdn", fqdn), ("Edition", "Standard"),
            ("AdminDisplayVersion", "Version 15.2 (Build 1544.4)"),
            ("ServerRole", "Mailbox"), ("Site", "contoso.com/Configuration/Sites/Redmond"),
            ("IsMemberOfCluster", "No"), ("Identity", server)]


# ----------------------------------------------------------------- protocol logs

LOG_FIELDS = ("date-time,connector-id,session-id,sequence-number,local-endpoint,"
              "remote-endpoint,event,data,context")
TLS_OK = ("TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk "
          "encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash "
          "algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm "
          "CALG_ECDH_EPHEM with strength 384 bits")
SHAPE3_CTX = ("Subject Issuer name Serial number Thumbprint Not before Not after "
              "Subject alternate names")


def csv_field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


class Remote:
    def __init__(self, host, ip, banner, cert):
        self.host = host
        self.ip = ip
        self.banner = banner
        self.cert = cert


class SendLog:
    """The rows of one server's SMTP Send protocol log, split into hourly files."""

    def __init__(self, rng, local_ip, session_base):
        self.rng = rng
        self.local_ip = local_ip
        self.sid = session_base
        self.rows = []           # (time, order, text)
        self.order = 0
        self.sessions = 0
        self.tls_ok = 0
        self.tls_failed = 0
        self.first_fail = None
        self.last_fail = None

    def _next_sid(self):
        self.sid += self.rng.randint(3, 900)
        return "%016X" % self.sid

    def session(self, t0, connector, remote, local_cert, ehlo, outcome,
                shape=3, anonymous_tls=False, messages=1, port=25):
        """One outbound session. outcome: "ok" or a TLS error name."""
        rng = self.rng
        sid = self._next_sid()
        t0 = t0 + dt.timedelta(milliseconds=rng.randint(0, 999))
        lport = rng.randint(20000, 65000)
        local = "%s:%d" % (self.local_ip, lport)
        rem = "%s:%d" % (remote.ip, port)
        t = t0
        seq = [0]
        out = []

        def row(event, data="", ctx="", local_ep=local, step=(0, 20)):
            nonlocal t
            t = t + dt.timedelta(milliseconds=rng.randint(*step))
            out.append((t, "%s,%s,%s,%d,%s,%s,%s,%s,%s" % (
                iso_ms(t), csv_field(connector), sid, seq[0], local_ep, rem, event,
                csv_field(data), csv_field(ctx))))
            seq[0] += 1

        def cert_rows(cert, label):
            if shape == 3:
                data = " %s %s %s %s %s %s %s" % (
                    cert.subject, cert.issuer, cert.serial_hex, cert.thumbprint,
                    iso_ms(cert.not_before), iso_ms(cert.not_after),
                    ";".join(cert.sans))
                row("*", data, "%s certificate %s" % (label, SHAPE3_CTX))
            else:
                row("*", "", "%s certificate" % label)
                row("*", cert.subject, "Certificate subject")
                row("*", cert.issuer, "Certificate issuer name")
                row("*", cert.serial_hex, "Certificate serial number")
                row("*", cert.thumbprint, "Certificate thumbprint")
                row("*", ";".join(cert.sans), "Certificate alternate names")

        row("*", "", "attempting to connect", local_ep="", step=(0, 1))
        row("+", "", "", step=(5, 40))
        row("<", "220 %s Microsoft ESMTP MAIL Service ready at %s, %d %s" % (
            remote.banner, t.strftime("%a"), t.day, t.strftime("%b %Y %H:%M:%S +0000")),
            step=(10, 60))
        row(">", "EHLO %s" % ehlo)
        caps = "X-ANONYMOUSTLS" if anonymous_tls else "STARTTLS"
        if shape == 3:
            row("<", "250  %s Hello [%s] SIZE 157286400 PIPELINING DSN "
                "ENHANCEDSTATUSCODES %s 8BITMIME BINARYMIME CHUNKING SMTPUTF8" % (
                    remote.banner, self.local_ip, caps), step=(10, 40))
        else:
            row("<", "250-%s Hello [%s]" % (remote.banner, self.local_ip), step=(10, 40))
            for c in ["SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES",
                      caps, "8BITMIME", "BINARYMIME"]:
                row("<", "250-" + c, step=(0, 1))
            row("<", "250 CHUNKING", step=(0, 1))
        row(">", caps)
        row("<", "220 2.0.0 SMTP server ready", step=(5, 30))
        cert_rows(local_cert, "Sending")
        if outcome != "ok":
            row("*", "", "TLS negotiation failed with error %s" % outcome, step=(20, 90))
            ft = out[-1][0]
            self.first_fail = min(self.first_fail or ft, ft)
            self.last_fail = max(self.last_fail or ft, ft)
            row("-", "", "Local", step=(0, 3))
            self.tls_failed += 1
        else:
            row("*", "", TLS_OK, step=(20, 90))
            if remote.cert is not None:
                cert_rows(remote.cert, "Remote")
            self.tls_ok += 1
            row(">", "EHLO %s" % ehlo)
            row("<", "250  %s Hello [%s] SIZE 157286400 PIPELINING DSN "
                "ENHANCEDSTATUSCODES AUTH LOGIN 8BITMIME BINARYMIME CHUNKING" % (
                    remote.banner, self.local_ip), step=(10, 40))
            for _ in range(messages):
                rid = rng.randint(10 ** 10, 10 ** 11)
                size = rng.randint(4000, 900000)
                row("*", str(rng.randint(100000, 9999999)),
                    "sending message with RecordId %d and InternetMessageId "
                    "<%s@%s>" % (rid, "%032x" % rng.getrandbits(128), ehlo))
                row(">", "MAIL FROM:<%s@contoso.com> SIZE=%d" % (
                    rng.choice(["alex.wilber", "megan.bowen", "lee.gu", "noreply",
                                "isaiah.langer", "lidia.holloway"]), size))
                row(">", "RCPT TO:<%s@%s>" % (rng.choice(["orders", "ap", "jon",
                                                          "support", "info"]),
                                              remote.host.split(".", 1)[1]))
                row("<", "250 2.1.0 Sender OK", step=(10, 50))
                row("<", "250 2.1.5 Recipient OK", step=(0, 5))
                row(">", "BDAT %d LAST" % size)
                row("<", "250 2.6.0 <%s@%s> [InternalId=%d, Hostname=%s] %d bytes in "
                    "0.%03d, %d.%03d KB/sec Queued mail for delivery" % (
                        "%032x" % rng.getrandbits(128), ehlo, rng.randint(10 ** 12, 10 ** 13),
                        remote.banner, size, rng.randint(20, 999), rng.randint(10, 900),
                        rng.randint(0, 999)), step=(40, 400))
            row(">", "QUIT")
            row("<", "221 2.0.0 Service closing transmission channel", step=(5, 30))
            row("-", "", "Local", step=(0, 3))
        for tm, text in out:
            self.rows.append((tm, self.order, text))
            self.order += 1
        self.sessions += 1
        return t

    def files(self, prefix=""):
        """[(name, bytes, last time)] hourly files, CRLF, UTF-8 without BOM."""
        by_hour = {}
        for tm, order, text in sorted(self.rows):
            key = tm.strftime("%Y%m%d%H")
            by_hour.setdefault(key, []).append((tm, text))
        out = []
        for key in sorted(by_hour):
            rows = by_hour[key]
            head = ["#Software: Microsoft Exchange Server", "#Version: 15.0.0.0",
                    "#Log-type: SMTP Send Protocol Log",
                    "#Date: %s" % iso_ms(rows[0][0]), "#Fields: " + LOG_FIELDS]
            text = "\r\n".join(head + [r for _, r in rows]) + "\r\n"
            out.append((prefix + "SEND%s-1.LOG" % key, text.encode("utf-8"), rows[-1][0]))
        return out


def remove_cert_transcript(server, fqdn, thumbprint, connector, when, width=120):
    """A console copy of Remove-ExchangeCertificate refusing (UTF-16LE)."""
    msg = ("Remove-ExchangeCertificate : A special Rpc error occurs on server %s: These "
           "certificates are tagged with following Send Connectors : %s. Removing and "
           "replacing certificates from Send Connector would break the mail flow. If "
           "you still want to proceed, then replace or remove these certificates from "
           "Send Connector and then try again." % (server, connector))
    lines = ["[PS] C:\\Windows\\system32>Remove-ExchangeCertificate -Server %s "
             "-Thumbprint %s" % (server, thumbprint), "", "Confirm",
             "Are you sure you want to perform this action?",
             "Remove certificate with thumbprint %s from server %s?" % (thumbprint, server),
             '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is "Y"): y']
    while msg:
        lines.append(msg[:width])
        msg = msg[width:]
    stamp = EN_US.date(when)
    detail = [
        "    + CategoryInfo          : InvalidOperation: (:) [Remove-ExchangeCertificate], "
        "InvalidOperationException",
        "    + FullyQualifiedErrorId : [Server=%s,RequestId=6f1e2c3a-8d41-4b7e-9a52-"
        "0c3e5d7f9b21,TimeStamp=%s] [FailureCategory=Cmdlet-InvalidOperationException] "
        "8C2A4E1B,Microsoft.Exchange.Management.SystemConfigurationTasks.RemoveExchangeCer"
        "tificate" % (server, stamp),
        "    + PSComputerName        : %s" % fqdn.lower(),
    ]
    for d in detail:
        first = True
        while d:
            room = width if first else width - 4
            lines.append(("" if first else "    ") + d[:room])
            d = d[room:]
            first = False
    lines += ["", "[PS] C:\\Windows\\system32>"]
    return utf16("\r\n".join(lines) + "\r\n")


# ----------------------------------------------------------------- zips

def zip_bytes(members, compress=zipfile.ZIP_DEFLATED):
    """members: [(name, bytes, datetime-or-None)] in archive order."""
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", compress) as z:
        for name, data, when in members:
            zi = zipfile.ZipInfo(name, date_time=zip_time(when))
            zi.compress_type = compress
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return bio.getvalue()


def zip_time(when):
    if when is None:
        when = utc(2026, 11, 10, 9, 0, 0)
    t = when.astimezone(UTC)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# ----------------------------------------------------------------- the PKI

class Pki:
    """Two issuing CAs (a private enterprise CA and a public-CA lookalike)."""

    def __init__(self, workdir, rng):
        self.rng = rng
        self.issued = []
        self.ca_key = Key(workdir, "ca")
        self.leaf_keys = [Key(workdir, "leaf%d" % i) for i in range(2)]
        self.contoso_ca = make_cert(self.ca_key, self.ca_key, CONTOSO_CA, CONTOSO_CA,
                                    0x1A2B3C4D5E6F7081, utc(2021, 6, 1), utc(2031, 6, 1),
                                    ca=True)
        self.digicert_ca = make_cert(self.ca_key, self.ca_key, DIGICERT_CA, DIGICERT_CA,
                                     0x0CF5BD062B5602F47AB8502C23CCF066,
                                     utc(2021, 3, 30), utc(2031, 3, 29, 23, 59, 59),
                                     ca=True)

    def serial(self, style):
        r = self.rng
        if style == "enterprise":
            # Microsoft CA serials: a request-id prefix and random tail.
            return (0x33 << 72) | (r.getrandbits(16) << 56) | r.getrandbits(56)
        return (0x0A << 120) | r.getrandbits(120)

    def issue(self, ca, subject, not_before, not_after, sans, key=0):
        style = "enterprise" if ca is self.contoso_ca else "public"
        c = make_cert(self.leaf_keys[key], self.ca_key, subject, ca.subject_rdns,
                      self.serial(style), not_before, not_after, sans)
        self.issued.append(c)
        return c

    def self_signed(self, subject, not_before, not_after, sans, key=1):
        k = self.leaf_keys[key]
        serial = (0x1F << 120) | self.rng.getrandbits(120)
        c = make_cert(k, k, subject, subject, serial, not_before, not_after, sans)
        self.issued.append(c)
        return c


def server_defaults(pki, server, fqdn, auth_cert, since):
    """The certificates every Exchange server has: its self-signed default
    certificate, the org-wide auth certificate and the WMSvc certificate."""
    ss = pki.self_signed([("CN", server)], since, since + dt.timedelta(days=5 * 365),
                         [server, fqdn])
    wm = pki.self_signed([("CN", "WMSvc-SHA2-" + server)], since,
                         since + dt.timedelta(days=10 * 365), ["WMSvc-SHA2-" + server])
    return [
        Installed(ss, server, fqdn, ["IMAP", "POP", "SMTP"], "Registry",
                  "Microsoft Exchange"),
        Installed(auth_cert, server, fqdn, ["SMTP"], "Registry",
                  "Microsoft Exchange Server Auth Certificate"),
        Installed(wm, server, fqdn, [], "Registry", "WMSVC-SHA2"),
    ]


# ----------------------------------------------------------------- expected

def finding(rule, severity, servers, connectors, thumbprints, commands=(),
            evidence_sources=(), first_seen=None, last_seen=None):
    f = {"rule": rule, "severity": severity, "servers": sorted(servers),
         "connectors": sorted(connectors), "thumbprints": sorted(thumbprints),
         "remediation_commands": list(commands)}
    if evidence_sources:
        f["evidence_sources"] = list(evidence_sources)
    if first_seen:
        f["first_seen_between"] = first_seen
    if last_seen:
        f["last_seen_between"] = last_seen
    return f


def write_expected(outdir, name, exp):
    exp.setdefault("exit_code", 0)
    write(os.path.join(outdir, name + ".expected.json"),
          (json.dumps(exp, indent=2, sort_keys=False) + "\n").encode())


# ----------------------------------------------------------------- case 1

AS_OF_RENEWAL = utc(2026, 11, 10, 9, 0, 0)

PARTNERS = [
    ("mx1.fabrikam.com", "198.51.100.25", "MX1.fabrikam.com",
     [("CN", "mx1.fabrikam.com")], [("CN", "R11"), ("O", "Let's Encrypt"), ("C", "US")]),
    ("mail.adatum.com", "203.0.113.40", "mail.adatum.com",
     [("CN", "mail.adatum.com"), ("O", "A. Datum Corporation"), ("C", "US")],
     DIGICERT_CA),
    ("smtp.tailspintoys.com", "192.0.2.15", "SMTP01.tailspintoys.com",
     [("CN", "*.tailspintoys.com")],
     [("CN", "Sectigo RSA Domain Validation Secure Server CA"), ("O", "Sectigo Limited"),
      ("L", "Salford"), ("S", "Greater Manchester"), ("C", "GB")]),
]


def partner_remotes(pki):
    out = []
    for host, ip, banner, subj, iss in PARTNERS:
        c = make_cert(pki.leaf_keys[1], pki.ca_key, subj, iss,
                      (0x04 << 120) | pki.rng.getrandbits(120),
                      utc(2026, 9, 14, 0, 0, 0), utc(2026, 12, 13, 23, 59, 59), [host])
        out.append(Remote(host, ip, banner, c))
    return out


def renewal_case(pki, rng, new_subject_differs=False):
    """Two servers renewed mail.contoso.com; the Send connector still pins
    issuer+subject, which (unless new_subject_differs) matches old and new."""
    servers = [("EXHUB1", "EXHUB1.contoso.com", EN_US, 120, "10.0.1.21"),
               ("EXHUB2", "EXHUB2.contoso.com", DE_DE, 80, "10.0.1.22")]
    auth = pki.self_signed(AUTH_SUBJECT, utc(2023, 3, 14, 9, 12, 44),
                           utc(2028, 2, 16, 9, 12, 44), [])
    # The near miss: the old certificate was issued without O=, the renewed
    # one with it, so the pinned issuer+subject names the renewed one only.
    old_subject = RENEWAL_SUBJECT_NO_O if new_subject_differs else RENEWAL_SUBJECT
    new_subject = RENEWAL_SUBJECT
    old_dates = {"EXHUB1": (utc(2025, 11, 18, 16, 2, 11), utc(2026, 11, 18, 16, 2, 11)),
                 "EXHUB2": (utc(2024, 11, 4, 12, 0, 0), utc(2026, 11, 4, 12, 0, 0))}
    new_dates = {"EXHUB1": (utc(2026, 10, 27, 10, 15, 40), utc(2027, 10, 27, 10, 15, 40)),
                 "EXHUB2": (utc(2026, 10, 27, 10, 31, 2), utc(2027, 10, 27, 10, 31, 2))}
    per = {}
    for name, fqdn, cul, width, ip in servers:
        old = pki.issue(pki.contoso_ca, old_subject, *old_dates[name], RENEWAL_SANS)
        new = pki.issue(pki.contoso_ca, new_subject, *new_dates[name], RENEWAL_SANS)
        expired = old.not_after < AS_OF_RENEWAL
        inst = [Installed(new, name, fqdn, ["IIS", "SMTP"], "Enterprise",
                          "mail.contoso.com 2026"),
                Installed(old, name, fqdn, ["SMTP"], "Enterprise", "mail.contoso.com",
                          status="DateInvalid" if expired else "Valid")]
        inst += server_defaults(pki, name, fqdn, auth, utc(2023, 3, 14, 9, 2, 17))
        per[name] = {"fqdn": fqdn, "culture": cul, "width": width, "ip": ip,
                     "old": old, "new": new, "certs": inst}

    partners = SendConnector(
        "Outbound to Partners", ["EXHUB1", "EXHUB2"],
        tls_name=tls_certificate_name(CONTOSO_CA, new_subject),
        address_spaces=["SMTP:fabrikam.com;1", "SMTP:adatum.com;1",
                        "SMTP:tailspintoys.com;1"],
        require_tls=True, tls_auth_level="CertificateValidation",
        fqdn="mail.contoso.com")
    internet = SendConnector("Internet", ["EXHUB1", "EXHUB2"], address_spaces=["SMTP:*;2"],
                             fqdn="mail.contoso.com", logging="None")
    connectors = [partners, internet]

    remotes = partner_remotes(pki)
    logs = {}
    for n, (name, fqdn, cul, width, ip) in enumerate(servers):
        log = SendLog(rng, ip, 0x08DE3C1A5B2F0000 + n * 0x10000000)
        # The log shape follows the server's build: EXHUB1 runs a current CU
        # (one-row certificate blocks), EXHUB2 an older one (multi-row blocks).
        shape = 3 if name == "EXHUB1" else 1
        presented = per[name]["new"] if new_subject_differs else per[name]["old"]
        t = utc(2026, 11, 8, 6, 0, 0)
        end = AS_OF_RENEWAL - dt.timedelta(minutes=20)
        while t < end:
            r = rng.choice(remotes)
            log.session(t, partners.name, r, presented, "mail.contoso.com", "ok", shape=shape,
                        messages=rng.randint(1, 3))
            if rng.random() < 0.3:
                other = [s for s in servers if s[0] != name][0]
                peer = Remote(other[1], other[4], other[1], None)
                log.session(t + dt.timedelta(seconds=rng.randint(30, 600)), INTRA_ORG,
                            peer, per[name]["certs"][2].cert, fqdn, "ok", shape=shape,
                            anonymous_tls=True)
            t += dt.timedelta(minutes=rng.randint(25, 110), seconds=rng.randint(0, 59))
        logs[name] = log
    return per, connectors, logs, servers


def collector_server_zip(name, info, log, connectors, with_connectors, transcript,
                         when, receive_empty):
    cul, width, fqdn = info["culture"], info["width"], info["fqdn"]
    m = []
    m.append(("%s_ExchangeCertificate.txt" % name,
              utf16(fl_document([cert_props_all(i, cul) for i in info["certs"]], width)),
              when))
    if with_connectors:
        m.append(("Connectors/Send_Connectors.txt",
                  utf16(fl_document([c.fl_props(cul) for c in connectors], width)), when))
    m.append(("Exchange_Server_Data/%s_ExchangeServer.txt" % name,
              utf16(fl_document([exchange_server_props(name, fqdn)], width)), when))
    m.append(("Exchange_Server_Data/%s_TransportServer.txt" % name,
              utf16(fl_document([transport_service_props(
                  name, fqdn, info["certs"][2].cert.thumbprint)], width)), when))
    queues = [queue_props(name, "Submission", "Undefined", "Submission", "Ready", 0, "",
                          None, cul),
              queue_props(name, "7", "DnsConnectorDelivery", "fabrikam.com", "Ready", 0, "",
                          None, cul, tls_domain="fabrikam.com")]
    m.append(("Exchange_Server_Data/%s_InstantQueueInfo.txt" % name,
              utf16(fl_document(queues, width)), when))
    files = log.files()
    m.append(("Hub_Send_Protocol_Logs.zip",
              zip_bytes([(fn, data, last) for fn, data, last in files]), when))
    if receive_empty:
        m.append(("Hub_Receive_Protocol_Logs.zip",
                  zip_bytes([("NoFilesDetected.txt",
                              utf16("No files were detected in the folder.\r\n"), when)]),
                  when))
    if transcript:
        m.append(transcript)
    return zip_bytes(m), len(files)


def gen_renewal(outdir, pki, rng, name, new_subject_differs=False):
    per, connectors, logs, servers = renewal_case(pki, rng, new_subject_differs)
    when = AS_OF_RENEWAL - dt.timedelta(minutes=12)
    partners = connectors[0]
    inner = []
    nfiles = 0
    for sname, *_ in servers:
        transcript = None
        if sname == "EXHUB1" and not new_subject_differs:
            transcript = ("Remove-ExchangeCertificate_error.txt",
                          remove_cert_transcript(sname, per[sname]["fqdn"],
                                                 per[sname]["old"].thumbprint,
                                                 partners.name,
                                                 utc(2026, 11, 9, 23, 14, 7)), when)
        data, nf = collector_server_zip(sname, per[sname], logs[sname], connectors,
                                        sname == "EXHUB1", transcript, when,
                                        sname == "EXHUB2")
        nfiles += nf
        inner.append(("%s-1110.zip" % sname, data, when))
    path = os.path.join(outdir, name + ".zip")
    write(path, zip_bytes(inner))

    certs = [i.expected(s["culture"]) for s in per.values() for i in s["certs"]]
    ok = sum(l.tls_ok for l in logs.values())
    sessions = sum(l.sessions for l in logs.values())
    rows = sum(len(l.rows) for l in logs.values())
    exp = {
        "description": ("ExchangeLogCollector layout, two servers; Send connector pins "
                        "issuer+subject " + ("that only the renewed certificate has"
                                             if new_subject_differs else
                                             "shared by the old and renewed certificates")),
        "inputs": [name + ".zip"],
        "as_of": iso_z(AS_OF_RENEWAL),
        "certificates_count": len(certs),
        "certificates": certs,
        "cert_time_tolerance_hours": 14,
        "send_connectors": [c.expected() for c in connectors],
        "log_summary_min": {"files": nfiles, "rows": rows, "sessions": sessions,
                            "tls_ok": ok, "tls_failed": 0},
        "log_summary_max": {"files": nfiles, "sessions": sessions, "tls_ok": ok,
                            "tls_failed": 0},
        "parts": ["EXHUB1-1110.zip", "EXHUB2-1110.zip"],
    }
    if new_subject_differs:
        exp["rules_present"] = []
        exp["rules_absent"] = ["tls-cert-name-ambiguous", "smtp-service-not-enabled"]
        exp["findings"] = []
    else:
        e1, e2 = per["EXHUB1"], per["EXHUB2"]
        tps = [e1["old"].thumbprint, e1["new"].thumbprint, e2["old"].thumbprint,
               e2["new"].thumbprint]
        exp["rules_present"] = ["tls-cert-name-ambiguous"]
        exp["rules_absent"] = ["smtp-service-not-enabled"]
        exp["root_cause_rule"] = "tls-cert-name-ambiguous"
        exp["findings"] = [finding(
            "tls-cert-name-ambiguous", "high", ["EXHUB1", "EXHUB2"], [partners.name], tps,
            commands=[
                ("Set-SendConnector -Identity 'Outbound to Partners' "
                 "-TlsCertificateName $null"),
                "Remove-ExchangeCertificate -Server EXHUB1 -Thumbprint %s" % e1["old"].thumbprint,
                "Remove-ExchangeCertificate -Server EXHUB2 -Thumbprint %s" % e2["old"].thumbprint,
                "Stop-Service MSExchangeTransport",
                "Start-Service MSExchangeTransport",
            ],
            evidence_sources=["Remove-ExchangeCertificate_error.txt"])]
        exp["remediation_any_of"] = [[
            "-Thumbprint %s" % e1["new"].thumbprint, "-Thumbprint %s" % e2["new"].thumbprint]]
    write_expected(outdir, name, exp)
    return exp


# ----------------------------------------------------------------- case 2

AS_OF_O365 = utc(2026, 11, 10, 8, 51, 12)
O365 = Remote("contoso-com.mail.protection.outlook.com", "104.47.51.138",
              "AM4PEPF00027A6A.mail.protection.outlook.com", None)
O365_IPS = ["104.47.51.138", "104.47.55.110", "52.101.68.2", "104.47.11.202"]
FIRST_FAILURE = utc(2026, 11, 3, 14, 12, 9)
LAST_FAILURE = utc(2026, 11, 10, 8, 41, 12)


def o365_case(pki, rng, smtp_enabled, failures=160):
    """EXHUB1 sends everything to Exchange Online through a smart host; a
    third-party certificate was imported on 2026-11-03 and pinned on the
    connector, with (smtp_enabled) or without SMTP."""
    fqdn = "EXHUB1.contoso.com"
    auth = pki.self_signed(AUTH_SUBJECT, utc(2024, 1, 15, 18, 3, 51),
                           utc(2029, 1, 15, 18, 3, 51), [])
    new = pki.issue(pki.digicert_ca, O365_SUBJECT, utc(2026, 11, 3, 0, 0, 0),
                    utc(2027, 11, 28, 23, 59, 59), O365_SANS)
    o365_cert = make_cert(pki.leaf_keys[1], pki.ca_key,
                          [("CN", "mail.protection.outlook.com"),
                           ("O", "Microsoft Corporation"), ("L", "Redmond"),
                           ("S", "Washington"), ("C", "US")],
                          [("CN", "DigiCert Cloud Services CA-1"), ("O", "DigiCert Inc"),
                           ("C", "US")], (0x0B << 120) | rng.getrandbits(120),
                          utc(2026, 7, 1), utc(2027, 7, 1, 23, 59, 59),
                          ["mail.protection.outlook.com", "*.mail.protection.outlook.com"])
    certs = [Installed(new, "EXHUB1", fqdn, ["IIS", "SMTP"] if smtp_enabled else ["IIS"],
                       "ThirdParty", "mail.contoso.com DigiCert 2026")]
    certs += server_defaults(pki, "EXHUB1", fqdn, auth, utc(2024, 1, 15, 17, 58, 2))
    old = certs[1]
    conn = SendConnector(
        "Outbound to Office 365", ["EXHUB1"],
        tls_name=tls_certificate_name(DIGICERT_CA, O365_SUBJECT),
        smart_hosts=["contoso-com.mail.protection.outlook.com"], require_tls=True,
        tls_auth_level="DomainValidation", tls_domain="mail.protection.outlook.com",
        fqdn="mail.contoso.com", cloud=True)
    fax = SendConnector("Fax Relay", ["EXHUB1"], smart_hosts=["10.0.5.20"],
                        address_spaces=["SMTP:fax.contoso.com;1"], logging="None")

    log = SendLog(rng, "10.0.1.21", 0x08DE3A91C4D70000)
    t = utc(2026, 11, 1, 7, 3, 11)
    before = 0
    while t < FIRST_FAILURE - dt.timedelta(minutes=30):
        r = Remote(O365.host, rng.choice(O365_IPS), O365.banner, o365_cert)
        log.session(t, conn.name, r, old.cert, "mail.contoso.com", "ok",
                    messages=rng.randint(1, 4))
        before += 1
        t += dt.timedelta(minutes=rng.randint(40, 150), seconds=rng.randint(0, 59))
    # After the change: either every session fails (SMTP not enabled on the
    # pinned certificate) or succeeds with the new certificate.
    span = (LAST_FAILURE - FIRST_FAILURE).total_seconds()
    times = [FIRST_FAILURE] + sorted(
        FIRST_FAILURE + dt.timedelta(seconds=rng.uniform(60, span - 60))
        for _ in range(failures - 2)) + [LAST_FAILURE]
    for tm in times:
        r = Remote(O365.host, rng.choice(O365_IPS), O365.banner, o365_cert)
        log.session(tm - dt.timedelta(milliseconds=60), conn.name, r, new, "mail.contoso.com",
                    "ok" if smtp_enabled else "UnknownCredentials",
                    messages=rng.randint(1, 2))
    queues = [
        queue_props("EXHUB1", "Submission", "Undefined", "Submission", "Ready", 0, "", None,
                    EN_US),
        queue_props("EXHUB1", "3", "SmartHostConnectorDelivery", "outbound to office 365",
                    "Ready" if smtp_enabled else "Retry", 0 if smtp_enabled else 37,
                    "" if smtp_enabled else QUEUE_451,
                    None if smtp_enabled else LAST_FAILURE, EN_US,
                    connector_guid="5f0c6b7e-2d3a-4c59-9e11-7b8a0d4c2e61",
                    retry_count=0 if smtp_enabled else 12),
        queue_props("EXHUB1", "Shadow\\4", "ShadowRedundancy", "exhub2.contoso.com", "Ready",
                    0, "", None, EN_US),
    ]
    return {"certs": certs, "new": new, "old": old.cert, "connectors": [conn, fax],
            "log": log, "queues": queues}


def o365_members(case, root="EXHUB1/", width=120):
    """What a customer zips by hand: text dumps of their own making."""
    when = AS_OF_O365 - dt.timedelta(minutes=5)
    m = [
        (root + "certs.txt",
         utf16(fl_document([cert_props_default(i, EN_US) for i in case["certs"]], width)),
         when),
        (root + "sendconnector.txt",
         utf16(fl_document([c.fl_props(EN_US) for c in case["connectors"]], width)), when),
        (root + "queue.txt", utf8bom(fl_document(case["queues"], width)), when),
    ]
    for fn, data, last in case["log"].files(root + "SmtpSend/"):
        m.append((fn, data, last))
    return m


def o365_expected(name, case, smtp_enabled, inputs):
    log = case["log"]
    certs = [i.expected(EN_US) for i in case["certs"]]
    exp = {
        "description": ("hand-made single-server zip; connector to Exchange Online pins a "
                        "new third-party certificate " + ("with SMTP enabled"
                                                          if smtp_enabled else
                                                          "that lacks the SMTP service")),
        "inputs": inputs,
        "as_of": iso_z(AS_OF_O365),
        "certificates_count": len(certs),
        "certificates": certs,
        "cert_time_tolerance_hours": 14,
        "send_connectors": [c.expected() for c in case["connectors"]],
        "log_summary_min": {"files": len(log.files()), "rows": len(log.rows),
                            "sessions": log.sessions, "tls_ok": log.tls_ok,
                            "tls_failed": log.tls_failed},
        "log_summary_max": {"files": len(log.files()), "sessions": log.sessions,
                            "tls_ok": log.tls_ok, "tls_failed": log.tls_failed},
    }
    new = case["new"].thumbprint
    if smtp_enabled:
        exp["rules_present"] = []
        exp["rules_absent"] = ["smtp-service-not-enabled", "tls-cert-name-ambiguous"]
        exp["no_severity_at_or_above"] = "critical"
        exp["findings"] = []
        exp["fail_on_exit"] = {"critical": 0}
    else:
        exp["rules_present"] = ["smtp-service-not-enabled"]
        exp["rules_absent"] = ["tls-cert-name-ambiguous"]
        exp["root_cause_rule"] = "smtp-service-not-enabled"
        exp["findings"] = [finding(
            "smtp-service-not-enabled", "critical", ["EXHUB1"], ["Outbound to Office 365"],
            [new],
            commands=["Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint %s "
                      "-Services IIS,SMTP" % new,
                      "Get-ExchangeCertificate -Server EXHUB1 -Thumbprint %s" % new,
                      "Retry-Queue"],
            evidence_sources=["SmtpSend/SEND"],
            # Rows carry milliseconds; findings.json has whole seconds,
            # rounded either way.
            first_seen=[iso_z(case["new"].not_before),
                        iso_z(log.first_fail + dt.timedelta(seconds=1))],
            last_seen=[iso_z(log.last_fail), iso_z(AS_OF_O365)])]
        exp["queues_retry_min"] = 1
        exp["fail_on_exit"] = {"critical": 1, "high": 1}
    return exp


def gen_o365(outdir, pki, rng, name, smtp_enabled):
    case = o365_case(pki, rng, smtp_enabled)
    write(os.path.join(outdir, name + ".zip"), zip_bytes(o365_members(case)))
    exp = o365_expected(name, case, smtp_enabled, [name + ".zip"])
    write_expected(outdir, name, exp)
    return exp


# ----------------------------------------------------------------- case 5

def corrupt_member(data, member):
    """Flips bytes in the middle of one member's compressed data."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        zi = z.getinfo(member)
    off = zi.header_offset
    nlen = int.from_bytes(data[off + 26:off + 28], "little")
    xlen = int.from_bytes(data[off + 28:off + 30], "little")
    start = off + 30 + nlen + xlen
    mid = start + zi.compress_size // 2
    b = bytearray(data)
    for i in range(mid, min(mid + 24, start + zi.compress_size)):
        b[i] ^= 0xA5
    return bytes(b)


def add_encrypted(path, member, content, password="infected"):
    """Appends a ZipCrypto-encrypted member with the zip tool; False if absent."""
    zip_tool = shutil.which("zip")
    if not zip_tool:
        return False
    with tempfile.TemporaryDirectory() as d:
        write(os.path.join(d, member), content)
        p = subprocess.run([zip_tool, "-q", "-P", password, path, member], cwd=d,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return p.returncode == 0


def gen_hostile(outdir, pki, rng, name):
    case = o365_case(pki, rng, smtp_enabled=False)
    members = o365_members(case)
    # A Format-List record whose thumbprint is not 40 hex digits (a typo in a
    # hand-edited dump): a certificate still, kept with its thumbprint
    # unknown and a diagnostic, the typo never standing as a thumbprint.
    certs_txt = members[0]
    bad = cert_props_default(case["certs"][0], EN_US)
    bad = [(k, (v[:-2] + "Z0X" if k == "Thumbprint" else v)) for k, v in bad]
    bad = [(k, ("CN=typo.contoso.com" if k == "Subject" else v)) for k, v in bad]
    records = [cert_props_default(i, EN_US) for i in case["certs"]] + [bad]
    members[0] = (certs_txt[0], utf16(fl_document(records, 120)), certs_txt[2])

    when = AS_OF_O365 - dt.timedelta(minutes=5)
    corrupt_name = "EXHUB1/SmtpSend/SEND2026110100-2.LOG"
    corrupt_log = SendLog(random.Random(99), "10.0.1.21", 0x08DE3A91C4000000)
    t = utc(2026, 11, 1, 0, 5, 0)
    for _ in range(12):
        r = Remote(O365.host, O365.ip, O365.banner, None)
        t = corrupt_log.session(t, "Outbound to Office 365", r, case["old"],
                                "mail.contoso.com", "ok", messages=2)
        t += dt.timedelta(minutes=3)
    corrupt_data = corrupt_log.files()[0][1]

    r = random.Random(1234)
    junk = bytes(r.getrandbits(8) for _ in range(4096))
    junk = b"\x8f\x13" + junk[2:]
    deep = [("README.txt", b"innermost archive\r\n", when)]
    for level in range(6, 0, -1):
        deep = [("deep%d.zip" % level, zip_bytes(deep), when)]
    bomb = zip_bytes([("bigfile.bin", b"\0" * (48 << 20), when)])

    layout = (members[:3]
              + [(corrupt_name, corrupt_data, when),
                 ("EXHUB1/certs.xml", junk, when),
                 ("EXHUB1/archive/" + deep[0][0], deep[0][1], when),
                 ("EXHUB1/archive/bomb.zip", bomb, when)]
              + members[3:])
    data = zip_bytes(layout)
    data = corrupt_member(data, corrupt_name)
    path = os.path.join(outdir, name + ".zip")
    write(path, data)
    enc_name = "EXHUB1/confidential/SEND2026110907-1.LOG"
    encrypted = add_encrypted(path, enc_name, corrupt_data)

    exp = o365_expected(name, case, False, [name + ".zip"])
    exp["description"] = ("case 2 evidence plus a corrupt entry, %srandom bytes named "
                          "certs.xml, a certificate record with an invalid thumbprint, "
                          "archives nested 6 deep and a zip bomb" % (
                              "an encrypted entry, " if encrypted else ""))
    exp["diagnostics"] = [
        {"what": "corrupt entry", "any_of": [corrupt_name]},
        {"what": "archive nested too deep", "regex": r"deep[2-6]\.zip"},
        {"what": "decompression bomb", "any_of": ["bomb.zip"]},
        {"what": "certificate record with an invalid thumbprint", "any_of": ["certs.txt"]},
    ]
    if encrypted:
        exp["diagnostics"].append({"what": "encrypted entry", "any_of": [enc_name]})
    else:
        exp["note"] = "zip tool not found: no encrypted entry in this bundle"
    exp["thumbprints_absent_substring"] = ["Z0X"]
    exp["certificates_count"] += 1      # the record with the typo, thumbprint null
    exp["entries_present"] = ["EXHUB1/certs.xml"]
    # The corrupt log is lost; everything else is whole.
    exp["log_summary_max"].pop("files")
    exp["log_summary_max"].pop("sessions")
    exp["log_summary_max"].pop("tls_ok")
    exp["relaxed_limits_run"] = {"args": ["--max-depth", "10"],
                                 "diagnostics_absent_regex": r"deep6\.zip"}
    write_expected(outdir, name, exp)
    return exp


# ----------------------------------------------------------------- case 6

REALDATA = ["CSS-Exchange_HC_GetExchangeCertificateMultipleMatches.xml",
            "CSS-Exchange_HC_GetSendConnector.xml",
            "CSS-Exchange_HC_GetReceiveConnector.xml"]


def der_dates(der):
    """(notBefore, notAfter) read by openssl, independently of certtrail."""
    p = run([OPENSSL, "x509", "-inform", "DER", "-noout", "-startdate", "-enddate"],
            data=der)
    out = {}
    for line in p.stdout.decode().splitlines():
        k, v = line.split("=", 1)
        out[k] = dt.datetime.strptime(v.replace(" GMT", ""), "%b %d %H:%M:%S %Y") \
            .replace(tzinfo=UTC)
    return out["notBefore"], out["notAfter"]


def gen_realdata(outdir, name, realdir):
    paths = [os.path.join(realdir, f) for f in REALDATA]
    if not all(os.path.isfile(p) for p in paths):
        print("gen_bundles: %s lacks the real CliXml files; no %s bundle" % (realdir, name),
              file=sys.stderr)
        return None
    members = []
    for p in paths:
        with open(p, "rb") as f:
            members.append((os.path.basename(p), f.read(), utc(2022, 12, 7)))
    write(os.path.join(outdir, name + ".zip"), zip_bytes(members))
    xml = members[0][1].decode("utf-8-sig")
    certs = []
    for b64 in re.findall(r'<BA N="RawData">([^<]+)</BA>', xml):
        der = base64.b64decode(b64)
        nb, na = der_dates(der)
        certs.append({"server": "WIN-CTD3L0RGEN4",
                      "thumbprint": hashlib.sha1(der).hexdigest().upper(),
                      "not_before": iso_z(nb), "not_after": iso_z(na)})
    services = {"03221367D3A3E863698501592A9B9C420D8D3F4E": ["SMTP"],
                "E267D459A0FB53D0EF225C11FAC062D522648C09": ["SMTP"],
                "2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7": [],
                "611C687DFC4343A5A03E0005A1EC6E9B6AFF586D": ["IMAP", "POP", "IIS"],
                "3341CEAF3DF4D3A9527EC98BDD53C54ECC3E0620": []}
    for c in certs:
        if c["thumbprint"] in services:
            c["services"] = services[c["thumbprint"]]
        if c["thumbprint"] in ("03221367D3A3E863698501592A9B9C420D8D3F4E",
                               "E267D459A0FB53D0EF225C11FAC062D522648C09"):
            c["subject"] = c["issuer"] = "CN=localhost"
    a, b = "03221367D3A3E863698501592A9B9C420D8D3F4E", "E267D459A0FB53D0EF225C11FAC062D522648C09"
    exp = {
        "description": "the three real CliXml exports from Microsoft's CSS-Exchange tests",
        "inputs": [name + ".zip"],
        "as_of": "2026-11-22T00:00:00Z",
        "certificates_count": len(certs),
        "certificates": certs,
        "cert_time_tolerance_hours": 0,
        "send_connectors": [{"name": "Mail to O365",
                             "tls_certificate_name": "<I>CN=localhost<S>CN=localhost",
                             "source_transport_servers": ["WIN-CTD3L0RGEN4"],
                             "require_tls": False,
                             "smart_hosts": ["microsoft-com.mail.protection.outlook.com"]}],
        # The receive connector "Default Frontend" pins 611C687D..., which
        # expired on 2026-08-06: at this as-of time that is the one symptom,
        # and it outranks the ambiguous send connector pin.
        # The Auth certificate 2D10A746... expired on 2026-07-11 too: OAuth
        # fails (auth-certificate, critical), which outranks it.
        "rules_present": ["tls-cert-name-ambiguous", "cert-expired", "auth-certificate"],
        "rules_absent": ["smtp-service-not-enabled"],
        "root_cause_rule": "auth-certificate",
        "findings": [finding("tls-cert-name-ambiguous", "high", ["WIN-CTD3L0RGEN4"],
                             ["Mail to O365"], [a, b],
                             commands=["Set-SendConnector -Identity 'Mail to O365' "
                                       "-TlsCertificateName $null",
                                       "Remove-ExchangeCertificate -Server WIN-CTD3L0RGEN4 "
                                       "-Thumbprint " + b])],
    }
    write_expected(outdir, name, exp)
    return exp


def gen_nothing(outdir, name):
    write(os.path.join(outdir, name + ".zip"), zip_bytes([
        ("README.txt", b"Logs will follow in a separate upload.\r\n", None)]))
    write_expected(outdir, name, {"description": "a zip holding only a README",
                                  "inputs": [name + ".zip"], "as_of": "2026-11-10T00:00:00Z",
                                  "exit_code": 3})


# ----------------------------------------------------------------- main

def selftest(pki, certs):
    """openssl must parse every certificate and verify the CA signatures."""
    with tempfile.TemporaryDirectory() as d:
        ca = os.path.join(d, "ca.pem")
        write(ca, (pki.contoso_ca.pem() + pki.digicert_ca.pem()).encode())
        for i, c in enumerate(certs):
            p = os.path.join(d, "c%d.pem" % i)
            write(p, c.pem().encode())
            if not c.self_signed:
                run([OPENSSL, "verify", "-no_check_time", "-CAfile", ca, p])
            else:
                run([OPENSSL, "x509", "-in", p, "-noout", "-subject"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--sample", action="store_true",
                    help="write only the two bundles kept in testdata/sample/")
    ap.add_argument("--realdata", default=os.path.join(HERE, "realdata"),
                    help="folder holding the real CliXml files (default testdata/realdata)")
    ap.add_argument("--seed", type=int, default=20261110)
    ap.add_argument("--selftest", action="store_true",
                    help="also verify every certificate with openssl")
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as work:
        pki = Pki(work, rng)
        if a.sample:
            gen_renewal(a.outdir, pki, random.Random(a.seed + 1), "contoso-renewal")
            gen_o365(a.outdir, pki, random.Random(a.seed + 2),
                     "exhub1-smtp-not-enabled", smtp_enabled=False)
        else:
            gen_renewal(a.outdir, pki, random.Random(a.seed + 1), "renewal-ambiguous")
            gen_o365(a.outdir, pki, random.Random(a.seed + 2), "smtp-not-enabled",
                     smtp_enabled=False)
            gen_renewal(a.outdir, pki, random.Random(a.seed + 3),
                        "near-miss-renewal-new-subject", new_subject_differs=True)
            gen_o365(a.outdir, pki, random.Random(a.seed + 4), "near-miss-smtp-enabled",
                     smtp_enabled=True)
            gen_hostile(a.outdir, pki, random.Random(a.seed + 5), "hostile")
            gen_realdata(a.outdir, "realdata", a.realdata)
            gen_nothing(a.outdir, "nothing-usable")
        if a.selftest:
            selftest(pki, [pki.contoso_ca, pki.digicert_ca] + pki.issued)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes the three outputs HealthChecker (microsoft/CSS-Exchange,
Diagnostics/HealthChecker) gives for one server, in the shapes its source
writes them, for the tests of certtrail's HealthChecker readers:

    gen_healthchecker.py OUTDIR

  HealthChecker-SOLO-E19A-20241020083015.xml   Export-Clixml -Depth 2 of the
      analyzed object (Features/Invoke-HealthCheckerMainReport.ps1). The
      depth does not apply to [pscustomobject] values, lists and hash
      tables, so HealthCheckerExchangeServer is written whole; the
      ExchangeCertificate objects keep their RawData one level down, and
      CustomCertificates refer back to them (<Ref>).
  HealthChecker-SOLO-E19A-20241020083015.txt   the screen output saved by
      Out-File (UTF-16LE with BOM, CRLF): Writers/Write-ResultsToScreen.ps1
      (group name, dashes, tab-indented "Name: value") and
      Shared/Out-Columns.ps1 (tables indented by 8 spaces).
  HealthChecker-HTMLServerReport-20241020083101.html
      Features/Get-HtmlServerReport.ps1: the overview table and the Server
      Details rows, a registry table inside a value cell.

The certificates are the three real ones of CSS-Exchange's E19 test data
(testdata/realdata/clixml/CSS-Exchange_HC_E19_GetExchangeCertificate.xml,
MIT, see testdata/realdata/SOURCES.md): their RawData is copied, their
thumbprints and dates are computed from it. The TLS registry values are
those of CSS-Exchange's E19 GetAllTlsSettings.xml test data (TLS 1.0 and
1.1 disabled, TLS 1.2 enabled, .NET 4 SystemDefaultTlsVersions 1 and
SchUseStrongCrypto 0). The generation time is chosen so that the Auth
certificate has 17 days left. Standard library only; deterministic.

Also writes healthchecker.expected.json: the facts a reader of these files
states (thumbprints, lifetimes, services, TLS values), computed here from
the same data, not from certtrail's output.
"""

import base64
import datetime as dt
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "realdata", "clixml",
                      "CSS-Exchange_HC_E19_GetExchangeCertificate.xml")
SERVER = "SOLO-E19A"
FQDN = "solo-e19a.solo.com"
VERSION = "25.10.21.1518"
# Local time of the server, UTC+2, when HealthChecker ran.
GEN_LOCAL = dt.datetime(2024, 10, 20, 8, 30, 15)
OFFSET = dt.timedelta(hours=2)
GEN_UTC = GEN_LOCAL - OFFSET
STAMP = GEN_LOCAL.strftime("%Y%m%d%H%M%S")
HTML_STAMP = (GEN_LOCAL + dt.timedelta(seconds=46)).strftime("%Y%m%d%H%M%S")

TLS = {  # version: (server Enabled, DisabledByDefault, client ..., configuration)
    "1.0": (0, 1, 0, 1, "Disabled"),
    "1.1": (0, 1, 0, 1, "Disabled"),
    "1.2": (1, 0, 1, 0, "Enabled"),
    "1.3": (None, None, None, None, "Disabled"),
}
NET = {  # key: (version, SystemDefaultTlsVersions, SchUseStrongCrypto, Wow..., Wow...)
    "NETv4": ("v4.0.30319", 1, 0, 1, 0),
    "NETv2": ("v2.0.50727", 1, 1, 1, 1),
}
SERVICES = {  # by subject CN: (services, flags value)
    "Microsoft Exchange Server Auth Certificate": ("SMTP", 16),
    "Solo-E19A": ("IMAP, POP, IIS, SMTP", 27),
    "WMSvc-WIN-K300A9DA9VA": ("None", 0),
}


def der_times(der):
    """The validity UTCTimes of a certificate (the first two in its DER)."""
    times = re.findall(rb"\x17\x0d(\d{12})Z", der)[:2]
    return [dt.datetime.strptime(t.decode(), "%y%m%d%H%M%S") for t in times]


def der_cn(der):
    """The subject CN: the last CN in the DER (after the issuer's)."""
    cns = re.findall(rb"\x06\x03\x55\x04\x03\x13(.)", der)
    out = []
    for m in re.finditer(rb"\x06\x03\x55\x04\x03[\x0c\x13](.)", der):
        n = m.group(1)[0]
        out.append(der[m.end():m.end() + n].decode())
    del cns
    return out[-1]


def certificates():
    xml = open(SOURCE, encoding="utf-8-sig").read()
    out = []
    for b64 in re.findall(r'<BA N="RawData">([^<]+)</BA>', xml):
        der = base64.b64decode(b64)
        nb, na = der_times(der)
        cn = der_cn(der)
        services, flags = SERVICES[cn]
        # HealthChecker: ([DateTime]NotAfter - Get-Date).Days, local clock.
        lifetime = (na + OFFSET - GEN_LOCAL).days
        out.append({
            "b64": b64, "thumbprint": hashlib.sha1(der).hexdigest().upper(),
            "cn": cn, "subject": "CN=" + cn, "not_before": nb, "not_after": na,
            "services": services, "flags": flags, "lifetime": lifetime,
            "namespaces": [cn] if not cn.startswith("Microsoft") else [],
        })
    return out


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


# ------------------------------------------------------------- the XML

class Clixml:
    def __init__(self):
        self.ref = 0
        self.tn = {}
        self.lines = []

    def refid(self):
        r = self.ref
        self.ref += 1
        return r

    def types(self, names, ind):
        key = tuple(names)
        if key in self.tn:
            return ['%s<TNRef RefId="%d" />' % (ind, self.tn[key])]
        self.tn[key] = len(self.tn)
        out = ['%s<TN RefId="%d">' % (ind, self.tn[key])]
        out += ["%s  <T>%s</T>" % (ind, esc(n)) for n in names]
        out.append("%s</TN>" % ind)
        return out


PSCO = ["System.Management.Automation.PSCustomObject", "System.Object"]
HASH = ["System.Collections.Hashtable", "System.Object"]
LIST = ["System.Collections.Generic.List`1[[System.Object, mscorlib, Version=4.0.0.0, "
        "Culture=neutral, PublicKeyToken=b77a5c561934e089]]", "System.Object"]
ARRAY = ["System.Object[]", "System.Array", "System.Object"]
CERT = ["Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate",
        "System.Security.Cryptography.X509Certificates.X509Certificate2",
        "System.Security.Cryptography.X509Certificates.X509Certificate", "System.Object"]
SERVICES_T = ["Microsoft.Exchange.Management.SystemConfigurationTasks.AllowedServices",
              "System.Enum", "System.ValueType", "System.Object"]
DOMAIN_T = ["Microsoft.Exchange.Data.SmtpDomainWithSubdomains", "System.Object"]
AUTH_T = ["Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig",
          "Microsoft.Exchange.Data.Directory.ADConfigurationObject", "System.Object"]


def prim(tag, name, value, ind):
    attr = ' N="%s"' % name if name else ""
    if value is None:
        return ["%s<Nil%s />" % (ind, attr)]
    return ["%s<%s%s>%s</%s>" % (ind, tag, attr, esc(str(value)), tag)]


def b(v):
    return "true" if v else "false"


def dtv(t, offset):
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".0000000" + (
        "+%02d:00" % (offset.seconds // 3600) if offset else "Z")


def obj(cx, name, names, body, ind, container=None, tostring=None):
    rid = cx.refid()
    attr = ' N="%s"' % name if name else ""
    out = ['%s<Obj%s RefId="%d">' % (ind, attr, rid)]
    out += cx.types(names, ind + "  ")
    if tostring is not None:
        out.append("%s  <ToString>%s</ToString>" % (ind, esc(tostring)))
    if container:
        out.append("%s  <%s>" % (ind, container))
        out += body(ind + "    ")
        out.append("%s  </%s>" % (ind, container))
    else:
        out += body(ind + "  ")
    out.append("%s</Obj>" % ind)
    return out, rid


def ms(items):
    def body(ind):
        out = ["%s<MS>" % ind]
        for it in items:
            out += it(ind + "  ")
        out.append("%s</MS>" % ind)
        return out
    return body


def hc_xml(certs):
    cx = Clixml()
    cert_refs = {}

    def tls_entry(version):
        se, sd, ce, cd, conf = TLS[version]
        nullable = lambda v: None if v is None else v  # noqa: E731
        enabled = lambda v: (v is None and version != "1.3") or (v not in (None, 0))  # noqa: E731

        def value(ind):
            o, _ = obj(cx, "Value", PSCO, ms([
                lambda i: prim("S", "TLSVersion", version, i),
                lambda i: prim("B", "ServerEnabled", b(enabled(se)), i),
                lambda i: prim("I32", "ServerEnabledValue", nullable(se), i),
                lambda i: prim("B", "ServerDisabledByDefault", b(bool(sd)), i),
                lambda i: prim("I32", "ServerDisabledByDefaultValue", nullable(sd), i),
                lambda i: prim("S", "ServerRegistryPath", "SYSTEM\\CurrentControlSet\\Control"
                               "\\SecurityProviders\\SCHANNEL\\Protocols\\TLS %s\\Server"
                               % version, i),
                lambda i: prim("B", "ClientEnabled", b(enabled(ce)), i),
                lambda i: prim("I32", "ClientEnabledValue", nullable(ce), i),
                lambda i: prim("B", "ClientDisabledByDefault", b(bool(cd)), i),
                lambda i: prim("I32", "ClientDisabledByDefaultValue", nullable(cd), i),
                lambda i: prim("S", "ClientRegistryPath", "SYSTEM\\CurrentControlSet\\Control"
                               "\\SecurityProviders\\SCHANNEL\\Protocols\\TLS %s\\Client"
                               % version, i),
                lambda i: prim("B", "TLSVersionDisabled", b(conf == "Disabled"), i),
                lambda i: prim("B", "TLSMisconfigured", "false", i),
                lambda i: prim("B", "TLSHalfDisabled", "false", i),
                lambda i: prim("S", "TLSConfiguration", conf, i),
            ]), ind)
            return o
        return lambda ind: ["%s<En>" % ind] + prim("S", "Key", version, ind + "  ") + \
            value(ind + "  ") + ["%s</En>" % ind]

    def net_entry(key):
        ver, sd, sc, wsd, wsc = NET[key]

        def value(ind):
            o, _ = obj(cx, "Value", PSCO, ms([
                lambda i: prim("S", "NetVersion", ver, i),
                lambda i: prim("B", "SystemDefaultTlsVersions", b(sd == 1), i),
                lambda i: prim("I32", "SystemDefaultTlsVersionsValue", sd, i),
                lambda i: prim("B", "SchUseStrongCrypto", b(sc == 1), i),
                lambda i: prim("I32", "SchUseStrongCryptoValue", sc, i),
                lambda i: prim("S", "MicrosoftRegistryLocation",
                               "SOFTWARE\\Microsoft\\.NETFramework\\" + ver, i),
                lambda i: prim("B", "WowSystemDefaultTlsVersions", b(wsd == 1), i),
                lambda i: prim("I32", "WowSystemDefaultTlsVersionsValue", wsd, i),
                lambda i: prim("B", "WowSchUseStrongCrypto", b(wsc == 1), i),
                lambda i: prim("I32", "WowSchUseStrongCryptoValue", wsc, i),
                lambda i: prim("S", "WowRegistryLocation",
                               "SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\" + ver, i),
                lambda i: prim("B", "SDtvConfiguredCorrectly", b(sd == wsd), i),
                lambda i: prim("B", "SDtvEnabled", b(sd == 1 and wsd == 1), i),
            ]), ind)
            return o
        return lambda ind: ["%s<En>" % ind] + prim("S", "Key", key, ind + "  ") + \
            value(ind + "  ") + ["%s</En>" % ind]

    def dict_obj(name, entries):
        def body(ind):
            out = []
            for e in entries:
                out += e(ind)
            return out
        return lambda ind: obj(cx, name, HASH, body, ind, "DCT")[0]

    def tls_settings(ind):
        return obj(cx, "TLSSettings", PSCO, ms([
            lambda i: obj(cx, "Registry", PSCO, ms([
                dict_obj("TLS", [tls_entry(v) for v in ("1.0", "1.1", "1.2", "1.3")]),
                dict_obj("NET", [net_entry(k) for k in ("NETv4", "NETv2")]),
            ]), i)[0],
            lambda i: prim("S", "SecurityProtocol", "SystemDefault", i),
            lambda i: prim("S", "TlsCipherSuite", None, i),
        ]), ind)[0]

    auth = [c for c in certs if c["cn"].startswith("Microsoft Exchange Server Auth")][0]
    internal = [c for c in certs if c["cn"] == "Solo-E19A"][0]

    def auth_config(ind):
        def body(i):
            out = ["%s<Props>" % i]
            out += prim("S", "CurrentCertificateThumbprint", auth["thumbprint"], i + "  ")
            out += prim("S", "PreviousCertificateThumbprint", None, i + "  ")
            out += prim("S", "NextCertificateThumbprint", None, i + "  ")
            out += prim("DT", "NextCertificateEffectiveDate", None, i + "  ")
            out += prim("S", "Realm", None, i + "  ")
            out.append("%s</Props>" % i)
            return out
        return obj(cx, "GetAuthConfig", AUTH_T, body, ind, tostring="Auth Configuration")[0]

    def exchange_cert(c):
        def body(i):
            out = ["%s<Props>" % i]
            out += prim("BA", "RawData", c["b64"], i + "  ")
            out += prim("B", "HasPrivateKey", "true", i + "  ")
            out += prim("DT", "NotAfter", dtv(c["not_after"] + OFFSET, OFFSET), i + "  ")
            out += prim("DT", "NotBefore", dtv(c["not_before"] + OFFSET, OFFSET), i + "  ")
            out += prim("S", "Subject", c["subject"], i + "  ")
            out += prim("S", "Issuer", c["subject"], i + "  ")
            out += prim("S", "Thumbprint", c["thumbprint"], i + "  ")
            out += prim("S", "Services", c["services"], i + "  ")
            out.append("%s</Props>" % i)
            return out

        def emit(ind):
            o, rid = obj(cx, None, CERT, body, ind, tostring="[Subject]\r\n  " + c["subject"])
            cert_refs[c["thumbprint"]] = rid
            return o
        return emit

    def custom_cert(c):
        def namespaces(i):
            def items(j):
                out = []
                for n in c["namespaces"] or ["None"]:
                    if n == "None":
                        out += prim("S", None, n, j)
                    else:
                        out += obj(cx, None, DOMAIN_T, lambda k: [], j, tostring=n)[0]
                return out
            return obj(cx, "Namespaces", ARRAY, items, i, "LST")[0]

        def services(i):
            return obj(cx, "Services", SERVICES_T,
                       lambda k: prim("I32", None, c["flags"], k), i,
                       tostring=c["services"])[0]
        return lambda ind: obj(cx, None, PSCO, ms([
            lambda i: prim("S", "Issuer", c["subject"], i),
            lambda i: prim("S", "Subject", c["subject"], i),
            lambda i: prim("S", "FriendlyName", c["cn"], i),
            lambda i: prim("S", "Thumbprint", c["thumbprint"], i),
            lambda i: prim("I32", "PublicKeySize", 2048, i),
            lambda i: prim("B", "IsEccCertificate", "false", i),
            lambda i: prim("S", "SignatureAlgorithm", "sha1RSA", i),
            lambda i: prim("S", "SignatureHashAlgorithm", "sha1", i),
            lambda i: prim("I32", "SignatureHashAlgorithmSecure", 1, i),
            lambda i: prim("B", "IsSanCertificate", "false", i),
            namespaces, services,
            lambda i: prim("B", "IsInternalTransportCertificate", b(c is internal), i),
            lambda i: prim("B", "IsCurrentAuthConfigCertificate", b(c is auth), i),
            lambda i: prim("B", "IsNextAuthConfigCertificate", "false", i),
            lambda i: prim("DT", "SetAsActiveAuthCertificateOn", None, i),
            lambda i: prim("I32", "LifetimeInDays", c["lifetime"], i),
            lambda i: prim("S", "Status", "Valid", i),
            lambda i: ['%s<Ref N="CertificateObject" RefId="%d" />'
                       % (i, cert_refs[c["thumbprint"]])],
        ]), ind)[0]

    def list_obj(name, items):
        def body(ind):
            out = []
            for it in items:
                out += it(ind)
            return out
        return lambda ind: obj(cx, name, LIST, body, ind, "LST")[0]

    server = lambda ind: obj(cx, "HealthCheckerExchangeServer", PSCO, ms([  # noqa: E731
        lambda i: prim("DT", "GenerationTime", dtv(GEN_LOCAL, OFFSET), i),
        lambda i: prim("S", "HealthCheckerVersion", VERSION, i),
        lambda i: prim("S", "ServerName", SERVER, i),
        lambda i: obj(cx, "OrganizationInformation", PSCO, ms([auth_config]), i)[0],
        lambda i: obj(cx, "OSInformation", PSCO, ms([tls_settings]), i)[0],
        lambda i: obj(cx, "ExchangeInformation", PSCO, ms([
            lambda j: obj(cx, "ExchangeCertificateInformation", PSCO, ms([
                list_obj("Certificates", [exchange_cert(c) for c in certs]),
                lambda k: prim("S", "InternalCertificateThumbprint",
                               internal["thumbprint"], k),
                list_obj("CustomCertificates", [custom_cert(c) for c in certs]),
            ]), j)[0],
        ]), i)[0],
    ]), ind)[0]
    empty = lambda name: lambda ind: obj(cx, name, HASH, lambda i: [], ind, "DCT")[0]  # noqa: E731
    top, _ = obj(cx, None, PSCO, ms([server, empty("HtmlServerValues"),
                                     empty("DisplayResults")]), "  ")
    lines = ['<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">']
    lines += top
    lines.append("</Objs>")
    return "\ufeff" + "\r\n".join(lines)


# ------------------------------------------------------ the displayed results

def en_us(t):
    h = t.hour % 12 or 12
    return "%d/%d/%d %d:%02d:%02d %s" % (t.month, t.day, t.year, h, t.minute, t.second,
                                         "AM" if t.hour < 12 else "PM")


def results(certs):
    """The display lines: (group, tab, name, value, colour) or ("table", rows)."""
    auth = [c for c in certs if c["cn"].startswith("Microsoft Exchange Server Auth")][0]
    internal = [c for c in certs if c["cn"] == "Solo-E19A"][0]
    out = [("Exchange Information", 1, "Name", SERVER, "Grey"),
           ("Exchange Information", 1, "Generation Time", en_us(GEN_LOCAL), "Grey"),
           ("Exchange Information", 1, "Version", "Exchange 2019 CU14", "Grey")]
    g = "Security Settings"
    for v in ("1.0", "1.1", "1.2", "1.3"):
        se, sd, ce, cd, conf = TLS[v]
        if v != "1.3":
            out.append((g, 1, "TLS " + v, conf, "Green" if conf == "Disabled" or v == "1.2"
                        else "Yellow"))
        loc = "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS " + v
        rows = [("Enabled", loc + "\\Server", se), ("DisabledByDefault", loc + "\\Server", sd),
                ("Enabled", loc + "\\Client", ce), ("DisabledByDefault", loc + "\\Client", cd)]
        if v != "1.3":
            out.append(("table", "TLS Settings " + v,
                        [(k, l, "NULL" if x is None else str(x)) for k, l, x in rows]))
    rows = []
    for key in ("NETv4", "NETv2"):
        ver, sd, sc, wsd, wsc = NET[key]
        ms_loc = "SOFTWARE\\Microsoft\\.NETFramework\\" + ver
        wow = "SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\" + ver
        rows += [("SystemDefaultTlsVersions", ms_loc, str(sd)),
                 ("SchUseStrongCrypto", ms_loc, str(sc)),
                 ("SystemDefaultTlsVersions", wow, str(wsd)),
                 ("SchUseStrongCrypto", wow, str(wsc))]
    out.append(("table", "TLS NET Settings", rows))
    out.append((g, 2, None, "Error: SystemDefaultTlsVersions or SchUseStrongCrypto is not set "
                "to the recommended value. Please visit on how to properly enable TLS 1.2 "
                "https://aka.ms/HC-TLSGuide", "Red"))
    out.append((g, 1, "SecurityProtocol", "SystemDefault", "Grey"))
    for c in certs:
        out.append((g, 1, "Certificate", "", "Grey"))
        out.append((g, 2, "FriendlyName", c["cn"], "Grey"))
        out.append((g, 2, "Thumbprint", c["thumbprint"], "Grey"))
        out.append((g, 2, "Lifetime in days", str(c["lifetime"]),
                    "Green" if c["lifetime"] >= 60 else "Yellow" if c["lifetime"] >= 30
                    else "Red"))
        out.append((g, 2, "Certificate has expired", "False", "Grey"))
        out.append((g, 2, "Certificate status", "Valid", "Grey"))
        out.append((g, 2, "Key size", "2048", "Grey"))
        out.append((g, 2, "ECC Certificate", "False", "Grey"))
        out.append((g, 2, "Signature Algorithm", "sha1RSA", "Yellow"))
        out.append((g, 2, "Signature Hash Algorithm", "sha1", "Yellow"))
        out.append((g, 2, "Bound to services", c["services"], "Grey"))
        out.append((g, 2, "Internal Transport Certificate", str(c is internal), "Grey"))
        out.append((g, 2, "Current Auth Certificate", str(c is auth), "Grey"))
        out.append((g, 2, "Next Auth Certificate", "False", "Grey"))
        out.append((g, 2, "SAN Certificate", "False", "Grey"))
        out.append((g, 2, "Namespaces", "", "Grey"))
        for n in c["namespaces"] or ["None"]:
            out.append((g, 3, None, n, "Grey"))
    out.append((g, 1, "Valid Internal Transport Certificate Found On Server", "True", "Green"))
    out.append((g, 1, "Valid Auth Certificate Found On Server", "True", "Green"))
    return out


def out_columns(rows):
    props = ["RegistryKey", "Location", "Value"]
    widths = [max([len(p)] + [len(r[i]) for r in rows]) for i, p in enumerate(props)]
    line = lambda vals: " " * 8 + "".join(v.ljust(w + 2) for v, w in zip(vals, widths))  # noqa: E731
    return ["", line(props), line(["-" * len(p) for p in props])] + \
        [line(list(r)) for r in rows] + [""]


def hc_text(certs):
    lines = ["Exchange Health Checker version " + VERSION]
    group = None
    for r in results(certs):
        if r[0] == "table":
            lines += out_columns(r[2])
            continue
        g, tab, name, value, _ = r
        if g != group:
            if group is not None:
                lines.append("")
            lines += [g, "-" * len(g)]
            group = g
        lines.append("\t" * tab + (value if name is None else "%s: %s" % (name, value)))
    lines += ["", "Output file written to C:\\Scripts\\HealthChecker-%s-%s.txt" % (SERVER, STAMP)]
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def hc_html(certs):
    nl = "\r\n"
    out = ['<html>\r\n        <style>\r\n        BODY{font-family: Arial; font-size: 8pt;}',
           '        td.Green{background: #7FFF00;}', '        td.Yellow{background: #FFE600;}',
           '        td.Red{background: #FF0000; color: #ffffff;}', '        </style>',
           '        <body>',
           '        <h1 align="center">Exchange Health Checker v%s</h1><br>' % VERSION,
           '        <h2>Servers Overview</h2><p>', '        <table>', '        <tr>']
    out += ["<th>Server Name</th>", "<th>Generation Time</th>", "<th>Exchange Version</th>",
            "</tr>", "<tr>", '<td class="">%s</td>' % SERVER,
            '<td class="">%s</td>' % en_us(GEN_LOCAL), '<td class="">Exchange 2019 CU14</td>',
            "</tr>", "</table>", "</p>", "<p>", "<h2>Server Details</h2>", "<table><tr>",
            "<th>Server Name</th>", "<th>%s</th>" % SERVER, "</tr>"]
    for r in results(certs):
        if r[0] == "table":
            cells = "<table><th>RegistryKey</th><th>Location</th><th>Value</th>"
            for k, l, v in r[2]:
                cells += nl + '<tr><td class="">%s</td><td class="">%s</td><td class="">%s</td>' \
                    % (k, esc(l), v) + nl + "</tr>"
            cells += "</table>"
            out += ["<tr>", '<td class="">%s</td><td class="">%s</td>' % (r[1], cells), "</tr>"]
            continue
        g, tab, name, value, colour = r
        cls = "" if colour == "Grey" else colour
        out += ["<tr>", '<td class="%s">%s</td><td class="%s">%s</td>'
                % (cls, esc(name or ""), cls, esc(value)), "</tr>"]
    out += ["", "</table>", "</p>", "</body>", "</html>"]
    return "\ufeff" + nl.join(out) + nl


def expected(certs):
    auth = [c for c in certs if c["cn"].startswith("Microsoft Exchange Server Auth")][0]
    internal = [c for c in certs if c["cn"] == "Solo-E19A"][0]
    return {
        "server": SERVER,
        "generated_utc": GEN_UTC.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "certificates": [{
            "thumbprint": c["thumbprint"], "lifetime_days": c["lifetime"],
            "services": [s for s in c["services"].split(", ") if s != "None"],
            "not_after_utc": c["not_after"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            "domains": c["namespaces"]} for c in certs],
        "tls": {v: {"server": TLS[v][0] != 0 and (TLS[v][0] is not None or v != "1.3"),
                    "client": TLS[v][2] != 0 and (TLS[v][2] is not None or v != "1.3")}
                for v in TLS},
        "net4": {"system_default_tls_versions": str(NET["NETv4"][1]),
                 "sch_use_strong_crypto": str(NET["NETv4"][2])},
        "auth_certificate": auth["thumbprint"],
        "internal_transport_certificate": internal["thumbprint"],
    }


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: gen_healthchecker.py OUTDIR\n")
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    certs = certificates()
    files = {
        "HealthChecker-%s-%s.xml" % (SERVER, STAMP): hc_xml(certs).encode("utf-8"),
        "HealthChecker-%s-%s.txt" % (SERVER, STAMP): hc_text(certs).encode("utf-16-le"),
        "HealthChecker-HTMLServerReport-%s.html" % HTML_STAMP: hc_html(certs).encode("utf-8"),
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "healthchecker.expected.json"), "w") as f:
        json.dump(expected(certs), f, indent=1, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

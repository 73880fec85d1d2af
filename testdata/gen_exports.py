#!/usr/bin/env python3
"""Export-format bundles for certtrail's end-to-end tests.

Several Exchange servers' Get-ExchangeCertificate, Get-SendConnector,
Get-ReceiveConnector, Get-TransportService, Get-Queue and Get-WinEvent
output, written the ways Windows PowerShell 5.1 and PowerShell 7 write it:

  csv51   Export-Csv (5.1): "#TYPE <type>", every cell quoted, ",", UTF-16LE
          (-Encoding Unicode); multi-valued properties as their type name
  csv7    Export-Csv -UseCulture (7, de-DE): no #TYPE, ";", UTF-8 without BOM
  json51  ConvertTo-Json (5.1): "\\/Date(ms)\\/", enums as numbers, depth 2
  json7   ConvertTo-Json -EnumsAsStrings (7): ISO-8601 dates, enum names
  json1   ConvertTo-Json -Depth 1 (5.1): each item's collections flattened to
          their items' string forms joined by spaces, objects to their string
  jsonwrap  one collection script's wrapper object (5.1, default depth 2)
          {"Server", "Collected", "Certificates", "SendConnectors", ...}: the
          cmdlets' objects one level down, flattened as with -Depth 1
  fl      Format-List (`| fl > x.txt`, UTF-16LE), for the twins
  clixml  Export-Clixml (UTF-8 with BOM), for the twins

Writes into OUTDIR:
  exports.zip + exports.expected.json   EX01..EX04, one format each, zipped
  twins/<format>/ + twins.expected.json  EX05 in all six formats, one folder each

Each expected.json says, per server, what certtrail must report, computed here
from the objects themselves (not from certtrail's code): what each format
carries, and null where the format loses the value (a type name in CSV).
Culture-formatted dates (Format-List, CSV) are the server's local time,
expected without a zone; JSON and CliXml dates are exact (UTC, with Z).

Usage: gen_exports.py OUTDIR
"""

import datetime as dt
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_bundles as g  # noqa: E402

UTC = dt.timezone.utc

# The enum values Exchange serializes (ConvertTo-Json of 5.1 writes these).
SERVICES = {"IMAP": 1, "POP": 2, "UM": 4, "IIS": 8, "SMTP": 16, "Federation": 32,
            "UMCallRouter": 64}
STATUS = {"Unknown": 0, "Valid": 1, "Revoked": 2, "DateInvalid": 3}
ROOT_CA = {"None": 0, "ThirdParty": 1, "Enterprise": 2, "Registry": 3}
AUTH = [("Tls", 1), ("Integrated", 2), ("BasicAuth", 4), ("BasicAuthRequireTLS", 8),
        ("ExchangeServer", 16), ("ExternalAuthoritative", 32)]
ROLE = {"HubTransport": 32, "FrontendTransport": 16384}
LOGGING = {"None": 0, "Verbose": 1}
TLS_AUTH = {"EncryptionOnly": 1, "CertificateValidation": 2, "DomainValidation": 4}
QUEUE_STATUS = {"Active": 1, "Ready": 2, "Retry": 3, "Suspended": 4}
DELIVERY = {"SmartHostConnectorDelivery": 3, "SmtpDeliveryToMailbox": 13}
LEVEL = {"Error": 2, "Warning": 3, "Information": 4}
RELEVANT_EVENTS = {1035, 2004, 2017, 11022, 12013, 12014, 12015, 12016, 12017,
                   12018, 12023, 12024}

MVP = "Microsoft.Exchange.Data.MultiValuedProperty`1[%s]"
LOGS = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\Logs"
DIGICERT = "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"


def utc_culture(name):
    """A server whose clock is UTC: its culture dates read back exactly."""
    return g.Culture(name, lambda t: t.astimezone(UTC).replace(tzinfo=None))


# ----------------------------------------------------------------- the objects

class Server:
    def __init__(self, name, culture, seed):
        self.name = name
        self.fqdn = name.lower() + ".contoso.com"
        self.culture = culture
        base = g.utc(2024, 3, 14 + seed, 9, 30, 15)
        self.certs = [
            dict(subject="CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US",
                 issuer=DIGICERT, sans=["mail.contoso.com", "autodiscover.contoso.com"],
                 services=["IMAP", "POP", "IIS", "SMTP"], status="Valid",
                 root="ThirdParty", nb=base, na=base + dt.timedelta(days=396),
                 key=True, self_signed=False),
            dict(subject="CN=" + name, issuer="CN=" + name, sans=[name, self.fqdn],
                 services=["SMTP"], status="Valid", root="Registry",
                 nb=g.utc(2021, 5, 17 + seed, 8, 1, 2),
                 na=g.utc(2026, 5, 17 + seed, 8, 1, 2), key=True, self_signed=True),
            dict(subject="CN=Microsoft Exchange Server Auth Certificate",
                 issuer="CN=Microsoft Exchange Server Auth Certificate", sans=[],
                 services=[], status="DateInvalid", root="Registry",
                 nb=g.utc(2020, 1, 13, 0, 0, 0), na=g.utc(2025, 1, 13, 0, 0, 0),
                 key=True, self_signed=True),
        ]
        for c in self.certs:
            c["thumbprint"] = hashlib.sha1((name + c["subject"]).encode()).hexdigest().upper()
            c["serial"] = hashlib.md5(c["thumbprint"].encode()).hexdigest().upper()[:18]
        tls = "<I>%s<S>%s" % (DIGICERT, self.certs[0]["subject"])
        self.receive = [
            dict(name="Default " + name, bindings=["0.0.0.0:2525", "[::]:2525"],
                 fqdn=self.fqdn, auth=["Tls", "Integrated", "BasicAuth",
                                       "BasicAuthRequireTLS", "ExchangeServer"],
                 require_tls=False, tls=None, logging="Verbose", role="HubTransport",
                 enabled=True),
            dict(name="Default Frontend " + name, bindings=["[::]:25", "0.0.0.0:25"],
                 fqdn="mail.contoso.com", auth=["Tls", "Integrated", "BasicAuth",
                                                "BasicAuthRequireTLS", "ExchangeServer"],
                 require_tls=False, tls=tls, logging="Verbose",
                 role="FrontendTransport", enabled=True),
            dict(name="Client Frontend " + name, bindings=["[::]:587", "0.0.0.0:587"],
                 fqdn=self.fqdn, auth=["Tls", "BasicAuth", "BasicAuthRequireTLS"],
                 require_tls=True, tls=None, logging="None", role="FrontendTransport",
                 enabled=seed % 2 == 0),
        ]
        self.transport = dict(internal=self.certs[1]["thumbprint"],
                              send=LOGS + "\\Hub\\ProtocolLog\\SmtpSend",
                              receive=LOGS + "\\Hub\\ProtocolLog\\SmtpReceive",
                              intra="Verbose" if seed % 2 else "None")
        fail = g.utc(2026, 11, 13, 7, 41, 12 + seed)
        self.queues = [
            dict(id="%s\\%d" % (name, 1234 + seed), delivery="SmartHostConnectorDelivery",
                 next_hop="outbound to office 365", status="Retry", count=17 + seed,
                 error=g.QUEUE_451, last_retry=fail),
            dict(id="%s\\Submission" % name, delivery="SmtpDeliveryToMailbox",
                 next_hop="mailbox database 0311695863", status="Ready", count=0,
                 error="", last_retry=None),
        ]
        self.events = [
            dict(id=12014, level="Error", provider="MSExchangeFrontEndTransport",
                 time=g.utc(2026, 11, 13, 6, 14, 3 + seed),
                 message="Microsoft Exchange could not find a certificate that "
                 "contains the domain name mail.contoso.com in the personal store "
                 "on the local computer. Therefore, it is unable to support the "
                 "STARTTLS SMTP verb for the connector Default Frontend %s with a "
                 "FQDN parameter of mail.contoso.com.\r\nIf the connector's FQDN is "
                 "not specified, the computer's FQDN is used." % name),
            dict(id=12018, level="Warning", provider="MSExchangeTransport",
                 time=g.utc(2026, 11, 14, 1, 0, seed),
                 message="The STARTTLS certificate will expire soon: subject: "
                 "CN=mail.contoso.com, thumbprint: %s, hours remaining: 96."
                 % self.certs[0]["thumbprint"]),
            dict(id=7036, level="Information", provider="Service Control Manager",
                 time=g.utc(2026, 11, 14, 2, 0, 0),
                 message="The Microsoft Exchange Transport service entered the "
                 "running state."),
        ]
        self.send = [
            dict(name="Outbound to Office 365 via " + name, servers=[name],
                 smart_hosts=["contoso-com.mail.protection.outlook.com"],
                 spaces=["SMTP:*;1"], tls=tls, require_tls=True,
                 tls_auth="DomainValidation", tls_domain="mail.protection.outlook.com",
                 logging="Verbose", enabled=True),
        ]


def auth_value(names):
    return sum(v for n, v in AUTH if n in names)


def services_value(names):
    return sum(SERVICES[n] for n in names)


def services_text(names):
    return g.services_text(names)


def ms_date(t):
    return "/Date(%d)/" % int(t.timestamp() * 1000)


def iso_local(t, culture):
    """The server's local clock: no zone, never Z (which would say UTC)."""
    return culture.tz(t).strftime("%Y-%m-%dT%H:%M:%S")


# ----------------------------------------------------------------- rows

def cert_rows(s):
    return [{"Thumbprint": c["thumbprint"], "Subject": c["subject"],
             "Issuer": c["issuer"], "NotBefore": ("date", c["nb"]),
             "NotAfter": ("date", c["na"]), "CertificateDomains": ("list", c["sans"],
                                                                   "domains"),
             "Services": ("flags", c["services"]), "Status": ("enum", c["status"], STATUS),
             "RootCAType": ("enum", c["root"], ROOT_CA), "HasPrivateKey": c["key"],
             "IsSelfSigned": c["self_signed"], "SerialNumber": c["serial"],
             "PublicKeySize": 2048,
             "Identity": "%s\\%s" % (s.fqdn, c["thumbprint"]),
             "AccessRules": ("typename", "System.Security.AccessControl.CryptoKeyAccessRule[]")}
            for c in s.certs]


def receive_rows(s):
    out = []
    for r in s.receive:
        out.append({"Identity": "%s\\%s" % (s.name, r["name"]), "Name": r["name"],
                    "Server": s.name, "Bindings": ("list", r["bindings"], "bindings"),
                    "Fqdn": r["fqdn"], "AuthMechanism": ("auth", r["auth"]),
                    "RequireTLS": r["require_tls"],
                    "TlsCertificateName": ("tlsname", r["tls"]),
                    "TlsDomainCapabilities": ("list", [], "plain"),
                    "ProtocolLoggingLevel": ("enum", r["logging"], LOGGING),
                    "TransportRole": ("enum", r["role"], ROLE),
                    "Enabled": r["enabled"], "MaxMessageSize": "36 MB (37,748,736 bytes)"})
    return out


def transport_rows(s):
    t = s.transport
    return [{"Name": s.name, "Identity": s.name,
             "InternalTransportCertificateThumbprint": t["internal"],
             "SendProtocolLogPath": ("path", t["send"]),
             "ReceiveProtocolLogPath": ("path", t["receive"]),
             "IntraOrgConnectorProtocolLoggingLevel": ("enum", t["intra"], LOGGING),
             "MessageTrackingLogPath": ("path", LOGS + "\\MessageTracking")}]


def queue_rows(s):
    return [{"Identity": q["id"], "DeliveryType": ("enum", q["delivery"], DELIVERY),
             "NextHopDomain": q["next_hop"], "Status": ("enum", q["status"], QUEUE_STATUS),
             "MessageCount": q["count"], "LastError": q["error"] or None,
             "LastRetryTime": ("date", q["last_retry"]) if q["last_retry"] else None,
             "NextHopConnector": "00000000-0000-0000-0000-000000000000"}
            for q in s.queues]


def event_rows(s):
    return [{"Message": e["message"], "Id": e["id"], "Level": LEVEL[e["level"]],
             "ProviderName": e["provider"], "LogName": "Application",
             "MachineName": s.fqdn, "TimeCreated": ("date", e["time"]),
             "LevelDisplayName": e["level"],
             "Properties": ("typename", "System.Collections.Generic.List`1"
                            "[System.Diagnostics.Eventing.Reader.EventProperty]")}
            for e in s.events]


def send_rows(s):
    return [{"Name": c["name"], "Identity": c["name"],
             "AddressSpaces": ("list", c["spaces"], "spaces"),
             "SmartHosts": ("list", c["smart_hosts"], "hosts"),
             "SourceTransportServers": ("list", c["servers"], "servers"),
             "DNSRoutingEnabled": False, "TlsCertificateName": ("tlsname", c["tls"]),
             "RequireTLS": c["require_tls"],
             "TlsAuthLevel": ("enum", c["tls_auth"], TLS_AUTH),
             "TlsDomain": c["tls_domain"],
             "ProtocolLoggingLevel": ("enum", c["logging"], LOGGING),
             "Enabled": c["enabled"]} for c in s.send]


KINDS = [
    ("certs", "Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate",
     cert_rows),
    ("send", "Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig",
     send_rows),
    ("receive", "Microsoft.Exchange.Data.Directory.SystemConfiguration.ReceiveConnector",
     receive_rows),
    ("transport", "Microsoft.Exchange.Data.Directory.SystemConfiguration."
     "TransportServerPresentationObject", transport_rows),
    ("queues", "Microsoft.Exchange.Data.QueueViewer.ExtensibleQueueInfo", queue_rows),
    ("events", "System.Diagnostics.Eventing.Reader.EventLogRecord", event_rows),
]

LIST_ITEM_TYPE = {"domains": "Microsoft.Exchange.Data.SmtpDomainWithSubdomains",
                  "bindings": "Microsoft.Exchange.Data.IPBinding",
                  "spaces": "Microsoft.Exchange.Data.AddressSpace",
                  "hosts": "Microsoft.Exchange.Data.SmartHost",
                  "servers": "Microsoft.Exchange.Data.Directory.ADObjectId",
                  "plain": "Microsoft.Exchange.Data.SmtpReceiveDomainCapabilities"}


# ----------------------------------------------------------------- CSV

def csv_cell(v, culture):
    """The string form Export-Csv writes for a value."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return v
    kind = v[0]
    if kind == "date":
        return culture.date(v[1])
    if kind == "list":
        return MVP % LIST_ITEM_TYPE[v[2]]
    if kind == "flags":
        return services_text(v[1])
    if kind == "auth":
        return ", ".join(n for n, _ in AUTH if n in v[1])
    if kind == "enum":
        return v[1]
    if kind == "tlsname":
        return v[1] or ""
    if kind == "path":
        return v[1]
    if kind == "typename":
        return v[1]
    raise ValueError(kind)


def csv_quote(s, delim, always):
    if always or any(c in s for c in (delim, '"', "\r", "\n")):
        return '"' + s.replace('"', '""') + '"'
    return s


def csv_text(type_name, rows, culture, version):
    delim = "," if version == "51" else ";"
    keys = list(rows[0].keys())
    lines = []
    if version == "51":
        lines.append("#TYPE Deserialized." + type_name)
    lines.append(delim.join(csv_quote(k, delim, True) for k in keys))
    for r in rows:
        lines.append(delim.join(csv_quote(csv_cell(r.get(k), culture), delim, True)
                                for k in keys))
    return "\r\n".join(lines) + "\r\n"


# ----------------------------------------------------------------- JSON

def json_list_item(v, what):
    if what == "domains":
        return {"Domain": v, "IncludeSubDomains": False, "SmtpDomain": v}
    if what == "bindings":
        addr, port = v.rsplit(":", 1)
        addr = addr.strip("[]")
        return {"Address": addr, "Port": int(port), "AddressFamily": 23 if ":" in addr else 2}
    if what == "spaces":
        typ, rest = v.split(":", 1)
        addr, cost = rest.split(";")
        return {"Type": typ, "Address": addr, "Cost": int(cost), "IncludeSubDomains": False}
    if what == "hosts":
        return {"Domain": v, "IsIPAddress": False, "Address": None}
    if what == "servers":
        return {"Name": v, "DistinguishedName": "CN=%s,CN=Servers,..." % v,
                "ObjectGuid": "00000000-0000-0000-0000-000000000000"}
    return v


def json_value(v, version):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    kind = v[0]
    if kind == "date":
        return ms_date(v[1]) if version == "51" else v[1].strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if kind == "list":
        return [json_list_item(x, v[2]) for x in v[1]]
    if kind == "flags":
        return services_value(v[1]) if version == "51" else services_text(v[1])
    if kind == "auth":
        return auth_value(v[1]) if version == "51" else ", ".join(
            n for n, _ in AUTH if n in v[1])
    if kind == "enum":
        return v[2][v[1]] if version == "51" else v[1]
    if kind == "tlsname":
        if v[1] is None:
            return None
        iss, subj = v[1][3:].split("<S>")
        return {"CertificateIssuer": iss, "CertificateSubject": subj,
                "SubjectCommonName": subj.split(",")[0][3:]}
    if kind == "path":
        return {"PathName": v[1], "IsLocalFull": True, "IsUnc": False}
    if kind == "typename":
        return v[1]
    raise ValueError(kind)


def json_flat_value(v):
    """ConvertTo-Json past its depth: a collection is its items joined by
    spaces, an object its string form; scalars, dates and enums as in 5.1."""
    if isinstance(v, tuple) and v[0] == "list":
        # The generator's items are their string forms already.
        return " ".join(v[1])
    if isinstance(v, tuple) and v[0] == "tlsname":
        return v[1]
    if isinstance(v, tuple) and v[0] == "path":
        return v[1]
    return json_value(v, "51")


def json51_dump(doc):
    # 5.1 indents with four spaces and two after the colon.
    text = json.dumps(doc, indent=4, ensure_ascii=True).replace('": ', '":  ')
    return text.replace("/Date(", "\\/Date(").replace(")/", ")\\/")


def json_flat_text(rows):
    objs = [{k: json_flat_value(v) for k, v in r.items()} for r in rows]
    return json51_dump(objs if len(objs) > 1 else objs[0])


# What a home-made collection script names each cmdlet's output.
WRAP_MEMBERS = {"certs": "Certificates", "send": "SendConnectors",
                "receive": "ReceiveConnectors", "transport": "TransportService",
                "queues": "Queues", "events": "Events"}


def json_wrap_text(server):
    doc = {"Server": server.name, "Collected": ms_date(dt.datetime(
        2026, 11, 13, 9, 0, 0, tzinfo=dt.timezone.utc))}
    for kind, _, rows_fn in KINDS:
        doc[WRAP_MEMBERS[kind]] = [{k: json_flat_value(v) for k, v in r.items()}
                                   for r in rows_fn(server)]
    return json51_dump(doc)


def json_text(rows, version):
    objs = [{k: json_value(v, version) for k, v in r.items()} for r in rows]
    doc = objs if len(objs) > 1 else objs[0]
    # 5.1 indents with four spaces and two after the colon; 7 uses two and one.
    if version == "51":
        text = json.dumps(doc, indent=4, ensure_ascii=True).replace('": ', '":  ')
        return text.replace("/Date(", "\\/Date(").replace(")/", ")\\/")
    return json.dumps(doc, indent=2, ensure_ascii=False)


# ----------------------------------------------------------------- Format-List

def fl_value(v, culture):
    if v is None:
        return ""
    if isinstance(v, bool) or isinstance(v, int) or isinstance(v, str):
        return str(v)
    kind = v[0]
    if kind == "list":
        return g.fl_collection(v[1])
    if kind == "typename":
        return "{%s}" % v[1].replace("[]", "")
    return csv_cell(v, culture)


def fl_text(rows, culture):
    """Format-List at 120 columns: values wrap at the last column, and a line
    break in a value continues, like a wrap, at the value column."""
    lines = []
    for r in rows:
        rec = [(k, fl_value(v, culture)) for k, v in r.items()]
        width = max(len(k) for k, _ in rec)
        for k, v in rec:
            prefix = k.ljust(width) + " : "
            room = 120 - 1 - len(prefix)
            first = True
            for part in v.split("\r\n"):
                if part == "" and first:
                    lines.append(prefix)
                    first = False
                    continue
                while part:
                    chunk, part = part[:room], part[room:]
                    lines.append((prefix if first else " " * len(prefix)) + chunk)
                    first = False
        lines.append("")
    return "\r\n".join(["", ""] + lines + ["", ""])


# ----------------------------------------------------------------- CliXml

def xml_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "_x000D_").replace("\n", "_x000A_"))


class CliXml:
    def __init__(self):
        self.ref = 0
        self.tn = {}

    def next_ref(self):
        self.ref += 1
        return self.ref - 1

    def types(self, names):
        key = tuple(names)
        if key in self.tn:
            return '<TNRef RefId="%d" />' % self.tn[key]
        self.tn[key] = len(self.tn)
        return ('<TN RefId="%d">' % self.tn[key] +
                "".join("<T>%s</T>" % xml_escape(n) for n in names) + "</TN>")

    def enum(self, name, typ, text, num):
        return ('<Obj N="%s" RefId="%d">%s<ToString>%s</ToString><I32>%d</I32></Obj>'
                % (name, self.next_ref(), self.types([typ, "System.Enum",
                                                      "System.ValueType", "System.Object"]),
                   xml_escape(text), num))

    def prop(self, name, v):
        if v is None:
            return '<Nil N="%s" />' % name
        if isinstance(v, bool):
            return '<B N="%s">%s</B>' % (name, "true" if v else "false")
        if isinstance(v, int):
            return '<I32 N="%s">%d</I32>' % (name, v)
        if isinstance(v, str):
            return '<S N="%s">%s</S>' % (name, xml_escape(v))
        kind = v[0]
        if kind == "date":
            return '<DT N="%s">%s</DT>' % (name, v[1].strftime("%Y-%m-%dT%H:%M:%S.0000000Z"))
        if kind == "list":
            items = "".join("<S>%s</S>" % xml_escape(x) for x in v[1])
            return ('<Obj N="%s" RefId="%d">%s<LST>%s</LST></Obj>'
                    % (name, self.next_ref(), self.types([MVP % LIST_ITEM_TYPE[v[2]],
                                                          "System.Object"]), items))
        if kind == "flags":
            return self.enum(name, "Microsoft.Exchange.Management.Metabase.AllowedServices",
                             services_text(v[1]), services_value(v[1]))
        if kind == "auth":
            return self.enum(name, "Microsoft.Exchange.Data.Directory.SystemConfiguration."
                             "AuthMechanisms", ", ".join(n for n, _ in AUTH if n in v[1]),
                             auth_value(v[1]))
        if kind == "enum":
            return self.enum(name, "Microsoft.Exchange.Data." + name, v[1], v[2][v[1]])
        if kind == "tlsname":
            if v[1] is None:
                return '<Nil N="%s" />' % name
            iss, subj = v[1][3:].split("<S>")
            return ('<Obj N="%s" RefId="%d">%s<ToString>%s</ToString><Props>'
                    '<S N="CertificateIssuer">%s</S><S N="CertificateSubject">%s</S>'
                    '</Props></Obj>' % (name, self.next_ref(),
                                        self.types(["Microsoft.Exchange.Data.SmtpX509Identifier",
                                                    "System.Object"]),
                                        xml_escape(v[1]), xml_escape(iss), xml_escape(subj)))
        if kind == "path":
            return ('<Obj N="%s" RefId="%d">%s<ToString>%s</ToString><Props>'
                    '<S N="PathName">%s</S></Props></Obj>'
                    % (name, self.next_ref(), self.types(["Microsoft.Exchange.Data."
                                                          "LocalLongFullPath",
                                                          "System.Object"]),
                       xml_escape(v[1]), xml_escape(v[1])))
        if kind == "typename":
            return '<S N="%s">%s</S>' % (name, xml_escape(v[1]))
        raise ValueError(kind)

    def objs(self, type_name, rows, server):
        out = []
        for r in rows:
            ref = self.next_ref()
            props = "".join(self.prop(k, v) for k, v in r.items())
            out.append('<Obj RefId="%d">%s<ToString>%s</ToString><Props>%s</Props>'
                       '<MS><S N="PSComputerName">%s</S></MS></Obj>'
                       % (ref, self.types(["Deserialized." + type_name,
                                           "Deserialized.System.Object"]),
                          xml_escape(str(r.get("Identity") or r.get("Name") or "")),
                          props, server.fqdn))
        return out


def clixml_text(type_name, rows, server):
    cx = CliXml()
    return ('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/'
            '2004/04">\r\n  ' + "\r\n  ".join(cx.objs(type_name, rows, server)) +
            "\r\n</Objs>\r\n")


# ----------------------------------------------------------------- files

EXT = {"csv51": "csv", "csv7": "csv", "json51": "json", "json7": "json", "fl": "txt",
       "clixml": "xml", "json1": "json"}


def render(server, fmt):
    """[(file name, bytes)] for one server in one format."""
    files = []
    if fmt == "jsonwrap":
        return [("%s_collect.json" % server.name, g.utf16(json_wrap_text(server)))]
    for kind, type_name, rows_fn in KINDS:
        rows = rows_fn(server)
        name = "%s_%s.%s" % (server.name, kind, EXT[fmt])
        if fmt == "csv51":
            data = g.utf16(csv_text(type_name, rows, server.culture, "51"))
        elif fmt == "csv7":
            data = csv_text(type_name, rows, server.culture, "7").encode()
        elif fmt == "json51":
            data = g.utf8bom(json_text(rows, "51"))
        elif fmt == "json7":
            data = json_text(rows, "7").encode()
        elif fmt == "json1":
            data = g.utf16(json_flat_text(rows))
        elif fmt == "fl":
            data = g.utf16(fl_text(rows, server.culture))
        else:
            data = g.utf8bom(clixml_text(type_name, rows, server))
        files.append((name, data))
    return files


# ----------------------------------------------------------------- expected

def exp_time(t, server, fmt):
    if t is None:
        return None
    if fmt in ("csv51", "csv7", "fl"):
        return iso_local(t, server.culture)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def lossy_list(fmt, items):
    """CSV writes a multi-valued property as its type name: unknown."""
    return None if fmt in ("csv51", "csv7") else list(items)


def expected(server, fmt):
    e = {"certificates": [], "receive_connectors": [], "transport_services": [],
         "queues": [], "events": [], "send_connectors": []}
    for c in server.certs:
        e["certificates"].append({
            "server": server.name, "thumbprint": c["thumbprint"], "subject": c["subject"],
            "issuer": c["issuer"], "serial": c["serial"],
            "not_before": exp_time(c["nb"], server, fmt),
            "not_after": exp_time(c["na"], server, fmt),
            "domains": lossy_list(fmt, c["sans"]),
            "services": [x for x in g.SERVICE_ORDER if x in c["services"]],
            "status": c["status"], "root_ca_type": c["root"],
            "self_signed": c["self_signed"], "has_private_key": c["key"],
            "key_bits": 2048})
    for r in server.receive:
        e["receive_connectors"].append({
            "server": server.name, "name": r["name"],
            "identity": "%s\\%s" % (server.name, r["name"]),
            "enabled": r["enabled"], "bindings": lossy_list(fmt, r["bindings"]),
            "fqdn": r["fqdn"], "tls_certificate_name": r["tls"],
            "auth_mechanism": [n for n, _ in AUTH if n in r["auth"]],
            "require_tls": r["require_tls"], "tls_domain_capabilities": None,
            "protocol_logging_level": r["logging"], "transport_role": r["role"]})
    t = server.transport
    e["transport_services"].append({
        "server": server.name, "internal_transport_certificate": t["internal"],
        "send_protocol_log_path": t["send"], "receive_protocol_log_path": t["receive"],
        "intra_org_connector_protocol_logging_level": t["intra"]})
    for q in server.queues:
        e["queues"].append({
            "identity": q["id"], "server": server.name, "delivery_type": q["delivery"],
            "next_hop_domain": q["next_hop"], "status": q["status"],
            "message_count": q["count"], "last_error": q["error"] or None,
            "last_retry_time": exp_time(q["last_retry"], server, fmt)})
    for ev in server.events:
        if ev["id"] not in RELEVANT_EVENTS:
            continue
        e["events"].append({
            "server": server.name, "time": exp_time(ev["time"], server, fmt),
            "source": ev["provider"], "id": ev["id"], "level": ev["level"],
            # Format-List cannot tell a line break in the value from a
            # wrap: certtrail joins the lines with a space.
            "message": ev["message"].replace("\r\n", " ") if fmt == "fl"
            else ev["message"]})
    for c in server.send:
        e["send_connectors"].append({
            "name": c["name"], "enabled": c["enabled"],
            "source_transport_servers": lossy_list(fmt, c["servers"]),
            "tls_certificate_name": c["tls"], "require_tls": c["require_tls"],
            "tls_auth_level": c["tls_auth"], "tls_domain": c["tls_domain"],
            "smart_hosts": lossy_list(fmt, c["smart_hosts"]),
            "address_spaces": lossy_list(fmt, c["spaces"]),
            "protocol_logging_level": c["logging"]})
    return e


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    # One zip, four servers, one format each (several servers' folders).
    plan = [(Server("EX01", g.EN_US, 0), "csv51"), (Server("EX02", g.DE_DE, 1), "csv7"),
            (Server("EX03", g.EN_US, 2), "json51"), (Server("EX04", g.DE_DE, 3), "json7")]
    members, exp = [], {"servers": {}}
    for server, fmt in plan:
        for name, data in render(server, fmt):
            members.append(("%s-1113/%s" % (server.name, name), data, None))
        exp["servers"][server.name] = {"format": fmt, "expected": expected(server, fmt)}
    g.write(os.path.join(out, "exports.zip"), g.zip_bytes(members))
    g.write(os.path.join(out, "exports.expected.json"),
            (json.dumps(exp, indent=2) + "\n").encode())

    # Twins: one server, every format, each in its own folder.
    twin = Server("EX05", utc_culture("en-US"), 4)
    texp = {"server": "EX05", "formats": {}}
    for fmt in ("fl", "clixml", "csv51", "csv7", "json51", "json7", "json1", "jsonwrap"):
        for name, data in render(twin, fmt):
            g.write(os.path.join(out, "twins", fmt, name), data)
        texp["formats"][fmt] = expected(twin, fmt)
    g.write(os.path.join(out, "twins.expected.json"),
            (json.dumps(texp, indent=2) + "\n").encode())


if __name__ == "__main__":
    main()

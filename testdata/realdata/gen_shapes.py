#!/usr/bin/env python3
"""Writes the generated shapes of testdata/realdata/.

Each file imitates the layout of a published example whose licence does not
allow copying it (forum threads, blog posts, issue comments) or a layout that
Exchange and its tools write but nobody published under a free licence.  The
values are invented; the layout (label padding, wrapping, masking, blank lines,
prompt lines, date culture, encoding, line ends) is what is imitated.
SOURCES.md names the example behind each file.

Deterministic: no clock, no randomness.  Standard library only.

    python3 testdata/realdata/gen_shapes.py [OUTDIR]     (default: this folder)
"""

import hashlib
import os
import sys


def tp(label):
    """A stable 40-hex thumbprint for an invented certificate."""
    return hashlib.sha1(label.encode()).hexdigest().upper()


def serial(label):
    return hashlib.md5(label.encode()).hexdigest().upper()


# The invented organization: Fabrikam.  Thumbprints are derived from labels so
# that every file naming the same certificate names the same thumbprint.
NEW = tp("fabrikam mail 2026 renewal")       # third-party, renewed, IIS only
OLD = tp("fabrikam mail 2025")               # same issuer+subject, expiring
SELF1 = tp("EXCAS1 self-signed")
AUTH = tp("fabrikam auth certificate")
SELF2 = tp("EXCAS2 self-signed")
DIGICERT = "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
MAILSUBJ = "CN=mail.fabrikam.com, O=Fabrikam Ltd, L=Leeds, C=GB"


def fl(records, width=None):
    """Format-List: labels padded to the longest label of the record, ' : '."""
    out = []
    for rec in records:
        w = width or max(len(k) for k, _ in rec)
        out.append("")
        for k, v in rec:
            lines = v.split("\n") if v else [""]
            out.append(k.ljust(w) + " : " + lines[0])
            for cont in lines[1:]:
                out.append(" " * (w + 3) + cont)
    out.append("")
    out.append("")
    return out


def wrap(value, width, first):
    """Wraps a long value at the console width the way Format-List does."""
    room = width - first
    parts = []
    while len(value) > room:
        parts.append(value[:room])
        value = value[room:]
    parts.append(value)
    return "\n".join(parts)


def write(outdir, rel, lines, crlf=True, encoding="utf-8", bom=False):
    path = os.path.join(outdir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = ("\r\n" if crlf else "\n").join(lines)
    data = text.encode(encoding)
    if bom and encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif bom:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- certificates

def cert_fl_en_us(outdir):
    # Imitates Get-ExchangeCertificate | fl pasted from an en-US console into a
    # ticket, prompt line included (Microsoft Q&A and TechNet threads).
    acc = "{System.Security.AccessControl.CryptoKeyAccessRule, System.Security.AccessControl.CryptoKeyAccessRule, \nSystem.Security.AccessControl.CryptoKeyAccessRule}"
    recs = [
        [("AccessRules", acc), ("CertificateDomains", "{mail.fabrikam.com, autodiscover.fabrikam.com}"),
         ("HasPrivateKey", "True"), ("IsSelfSigned", "False"), ("Issuer", DIGICERT),
         ("NotAfter", "11/27/2027 11:59:59 PM"), ("NotBefore", "10/28/2026 12:00:00 AM"),
         ("PublicKeySize", "2048"), ("RootCAType", "ThirdParty"), ("SerialNumber", serial("new")),
         ("Services", "IIS"), ("Status", "Valid"), ("Subject", MAILSUBJ), ("Thumbprint", NEW)],
        [("AccessRules", acc), ("CertificateDomains", "{mail.fabrikam.com, autodiscover.fabrikam.com}"),
         ("HasPrivateKey", "True"), ("IsSelfSigned", "False"), ("Issuer", DIGICERT),
         ("NotAfter", "11/12/2026 11:59:59 PM"), ("NotBefore", "10/14/2025 1:00:00 AM"),
         ("PublicKeySize", "2048"), ("RootCAType", "ThirdParty"), ("SerialNumber", serial("old")),
         ("Services", "IMAP, POP, IIS, SMTP"), ("Status", "Valid"), ("Subject", MAILSUBJ), ("Thumbprint", OLD)],
        [("AccessRules", acc), ("CertificateDomains", "{EXCAS1, EXCAS1.corp.fabrikam.com}"),
         ("HasPrivateKey", "True"), ("IsSelfSigned", "True"), ("Issuer", "CN=EXCAS1"),
         ("NotAfter", "3/2/2029 9:14:03 AM"), ("NotBefore", "3/2/2024 9:14:03 AM"),
         ("PublicKeySize", "2048"), ("RootCAType", "Registry"), ("SerialNumber", serial("self1")),
         ("Services", "IMAP, POP, SMTP"), ("Status", "Valid"), ("Subject", "CN=EXCAS1"), ("Thumbprint", SELF1)],
        [("AccessRules", acc), ("CertificateDomains", "{}"),
         ("HasPrivateKey", "True"), ("IsSelfSigned", "True"), ("Issuer", "CN=Microsoft Exchange Server Auth Certificate"),
         ("NotAfter", "2/7/2028 8:51:40 PM"), ("NotBefore", "3/4/2023 8:51:40 PM"),
         ("PublicKeySize", "2048"), ("RootCAType", "Registry"), ("SerialNumber", serial("auth")),
         ("Services", "SMTP"), ("Status", "Valid"), ("Subject", "CN=Microsoft Exchange Server Auth Certificate"), ("Thumbprint", AUTH)],
    ]
    lines = ["[PS] C:\\Windows\\system32>Get-ExchangeCertificate -Server EXCAS1 | fl"] + fl(recs)
    write(outdir, "certificates/getexchangecertificate-fl-en-US.txt", lines)


def cert_flstar_de_de(outdir):
    # Imitates `Get-ExchangeCertificate | fl *` on a German server, written
    # with `> certs.txt` (UTF-16LE with BOM, CRLF), dd.MM.yyyy HH:mm:ss.
    t = tp("EX02 mail 2025")
    s = tp("EX02 self-signed")
    recs = []
    for thumb, subj, issuer, doms, nb, na, svc, self_signed, root, fn in [
        (t, "CN=mail.contoso.de, O=Contoso GmbH, L=Köln, S=NRW, C=DE",
         "CN=GEANT OV RSA CA 4, O=GEANT Vereniging, C=NL",
         "{mail.contoso.de, autodiscover.contoso.de, owa.contoso.de, smtp.contoso.de, \nlegacy.contoso.de}",
         "14.03.2025 01:00:00", "02.03.2026 00:59:59", "IMAP, POP, IIS, SMTP", "False", "ThirdParty", "Exchange 2025"),
        (s, "CN=EX02", "CN=EX02", "{EX02, EX02.contoso.local}", "21.07.2023 14:05:31", "21.07.2028 14:05:31",
         "SMTP", "True", "Registry", "Microsoft Exchange"),
    ]:
        recs.append([
            ("AccessRules", "{System.Security.AccessControl.CryptoKeyAccessRule, System.Security.AccessControl.CryptoKeyAccessRule}"),
            ("CertificateDomains", doms), ("HasPrivateKey", "True"), ("IsSelfSigned", self_signed),
            ("Issuer", issuer), ("NotAfter", na), ("NotBefore", nb), ("PublicKeySize", "2048"),
            ("RootCAType", root), ("SerialNumber", serial(thumb)), ("Services", svc), ("Status", "Valid"),
            ("Subject", subj), ("Thumbprint", thumb), ("Archived", "False"),
            ("CertificateRequest", ""), ("DnsNameList", doms), ("EnhancedKeyUsageList", "{Serverauthentifizierung (1.3.6.1.5.5.7.3.1)}"),
            ("Extensions", "{System.Security.Cryptography.Oid, System.Security.Cryptography.Oid, System.Security.Cryptography.Oid}"),
            ("FriendlyName", fn), ("Handle", "2199283017456"), ("IISServices", "{}"),
            ("Identity", "EX02.contoso.local\\" + thumb), ("IsDeleted", "False"), ("IsValid", "True"),
            ("KeyIdentifier", serial("key" + thumb)[:40]), ("PrivateKeyExportable", "True"),
            ("RawData", "{48, 130, 7, 25...}"), ("SignatureAlgorithm", "System.Security.Cryptography.Oid"),
            ("Version", "3"),
        ])
    lines = fl(recs)
    write(outdir, "certificates/getexchangecertificate-flstar-de-DE.txt", lines, encoding="utf-16-le", bom=True)
    return t, s


def cert_fl_fr_fr(outdir):
    # Imitates a French console: dd/MM/yyyy HH:mm:ss (24 h, no AM/PM); the
    # 28 in one NotAfter settles day-first.
    t = tp("PAR mail 2026")
    recs = [[("CertificateDomains", "{webmail.exemple.fr, autodiscover.exemple.fr}"), ("HasPrivateKey", "True"),
             ("IsSelfSigned", "False"), ("Issuer", "CN=Sectigo RSA Domain Validation Secure Server CA, O=Sectigo Limited, L=Salford, S=Greater Manchester, C=GB"),
             ("NotAfter", "28/01/2027 00:59:59"), ("NotBefore", "05/01/2026 01:00:00"), ("PublicKeySize", "2048"),
             ("RootCAType", "ThirdParty"), ("SerialNumber", serial(t)), ("Services", "IIS, SMTP"), ("Status", "Valid"),
             ("Subject", "CN=webmail.exemple.fr"), ("Thumbprint", t)]]
    lines = ["PS C:\\Users\\admin.exemple> Get-ExchangeCertificate -Server MBX-PAR1 | fl CertificateDomains,HasPrivateKey,IsSelfSigned,Issuer,NotAfter,NotBefore,PublicKeySize,RootCAType,SerialNumber,Services,Status,Subject,Thumbprint"] + fl(recs)
    write(outdir, "certificates/getexchangecertificate-fl-fr-FR.txt", lines)
    return t


def cert_fl_en_au(outdir):
    # en-AU: day first *with* AM/PM, the trap FORMATS describes.
    t = tp("SYD mail 2026")
    recs = [[("Thumbprint", t), ("Services", "IIS, SMTP"), ("Subject", "CN=mail.example.com.au"),
             ("Issuer", "CN=GlobalSign GCC R3 DV TLS CA 2020, O=GlobalSign nv-sa, C=BE"),
             ("NotBefore", "12/02/2026 1:53:00 PM"), ("NotAfter", "13/03/2027 1:52:59 PM")]]
    lines = ["[PS] C:\\Windows\\system32>Get-ExchangeCertificate | fl Thumbprint,Services,Subject,Issuer,NotBefore,NotAfter"] + fl(recs)
    write(outdir, "certificates/getexchangecertificate-fl-en-AU.txt", lines)
    return t


def cert_fl_ja_jp(outdir):
    t = tp("TKY mail 2026")
    recs = [[("Subject", "CN=mail.example.co.jp"), ("Thumbprint", t), ("Services", "IMAP, POP, IIS, SMTP"),
             ("NotAfter", "2027/04/30 8:59:59"), ("Status", "Valid")]]
    write(outdir, "certificates/getexchangecertificate-fl-ja-JP.txt", fl(recs))
    return t


def cert_table_masked(outdir):
    # Imitates the table view pasted into a GitHub issue (webprofusion/certify
    # #303): prompt line, dashes, subjects cut at the console width; here the
    # poster also masked the middle of each thumbprint.
    rows = [(NEW[:18] + "***" + NEW[21:], "...WS..", "CN=mail.f..."),
            (OLD[:18] + "***" + OLD[21:], "IP.WS..", "CN=mail.f..."),
            (SELF1[:18] + "***" + SELF1[21:], "IP..S..", "CN=EXCAS1"),
            (AUTH[:18] + "***" + AUTH[21:], "....S..", "CN=Micro...")]
    lines = ["[PS] C:\\Windows\\system32>Get-ExchangeCertificate", "",
             "Thumbprint                                Services   Subject",
             "----------                                --------   -------"]
    for t, s, subj in rows:
        lines.append(t.ljust(42) + s.ljust(11) + subj)
    lines += ["", ""]
    write(outdir, "certificates/getexchangecertificate-table-masked.txt", lines)


def cert_fl_cut_masked(outdir):
    # A record edited before posting: Subject and Thumbprint lines removed,
    # a stray colon left in a label, the serial number masked.
    lines = ["",
             "CertificateDomains : {mail.fabrikam.com, autodiscover.fabrikam.com}",
             "HasPrivateKey      : True",
             "IsSelfSigned       : False",
             "Issuer             : " + DIGICERT,
             "NotAfter:          : 11/12/2026 11:59:59 PM",
             "NotBefore          : 10/14/2025 1:00:00 AM",
             "SerialNumber       : 0A3F***********************9C1",
             "Services           : IMAP, POP, IIS, SMTP",
             "Status             : Valid", "", ""]
    write(outdir, "certificates/getexchangecertificate-fl-cut-masked.txt", lines)


# ---------------------------------------------------------------- connectors

TLSNAME = "<I>" + DIGICERT + "<S>" + MAILSUBJ


def send_connector_fl(outdir):
    # Get-SendConnector | fl as pasted: TlsCertificateName wraps at 120
    # columns onto a continuation line indented to the value column.
    w = len("SmtpMaxMessagesPerConnection")
    rec = [("AddressSpaces", "{SMTP:*;1}"), ("AuthenticationCredential", ""), ("CloudServicesMailEnabled", "True"),
           ("Comment", ""), ("ConnectedDomains", "{}"), ("ConnectionInactivityTimeOut", "00:10:00"),
           ("DNSRoutingEnabled", "False"), ("DomainSecureEnabled", "False"), ("Enabled", "True"),
           ("ErrorPolicies", "Default"), ("ForceHELO", "False"), ("FrontendProxyEnabled", "False"),
           ("Fqdn", "mail.fabrikam.com"), ("HomeMTA", "Microsoft MTA"), ("HomeMtaServerId", "EXCAS1"),
           ("Identity", "Outbound to Office 365"), ("IgnoreSTARTTLS", "False"), ("IsScopedConnector", "False"),
           ("IsSmtpConnector", "True"), ("MaxMessageSize", "35 MB (36,700,160 bytes)"), ("Name", "Outbound to Office 365"),
           ("Port", "25"), ("ProtocolLoggingLevel", "Verbose"), ("RequireOorg", "False"), ("RequireTLS", "True"),
           ("SmartHostAuthMechanism", "None"), ("SmartHosts", "{fabrikam-com.mail.protection.outlook.com}"),
           ("SmartHostsString", "fabrikam-com.mail.protection.outlook.com"), ("SmtpMaxMessagesPerConnection", "20"),
           ("SourceIPAddress", "0.0.0.0"), ("SourceRoutingGroup", "Exchange Routing Group (DWBGZMFD01QNBJR)"),
           ("SourceTransportServers", "{EXCAS1, EXCAS2}"), ("TlsAuthLevel", "DomainValidation"),
           ("TlsCertificateName", wrap(TLSNAME, 119, w + 3)), ("TlsDomain", "mail.protection.outlook.com"),
           ("UseExternalDNSServersEnabled", "False")]
    lines = ["[PS] C:\\Windows\\system32>Get-SendConnector \"Outbound to Office 365\" | fl"] + fl([rec], w)
    write(outdir, "connectors/getsendconnector-fl-wrapped.txt", lines)


def send_connector_cut_list(outdir):
    # A connector with six source servers: Format-List cuts the collection
    # after four entries ("{EX01, EX02, EX03, EX04...}").
    rec = [("Name", "Internet"), ("AddressSpaces", "{SMTP:*;1}"), ("Fqdn", "smtp.contoso.de"),
           ("SourceTransportServers", "{EX01, EX02, EX03, EX04...}"), ("RequireTLS", "False"),
           ("TlsCertificateName", "<I>CN=GEANT OV RSA CA 4, O=GEANT Vereniging, C=NL<S>CN=mail.contoso.de, O=Contoso GmbH, L=Köln, S=NRW, C=DE"),
           ("ProtocolLoggingLevel", "None")]
    write(outdir, "connectors/getsendconnector-fl-cut-list.txt",
          ["[PS] C:\\Windows\\system32>Get-SendConnector Internet | fl Name,AddressSpaces,Fqdn,SourceTransportServers,RequireTLS,TlsCertificateName,ProtocolLoggingLevel"]
          + fl([rec]))


def send_connector_table(outdir):
    lines = ["", "Identity                  AddressSpaces                       Enabled",
             "--------                  -------------                       -------",
             "Outbound to Office 365    {SMTP:*;1}                          True",
             "Partner TLS               {SMTP:partner.example;1}            True", "", ""]
    write(outdir, "connectors/getsendconnector-table.txt", lines)


def receive_connector_fl(outdir):
    # Get-ReceiveConnector "EXCAS1\Default Frontend EXCAS1" | fl Identity,...
    w = len("TlsDomainCapabilities")
    rec = [("Identity", "EXCAS1\\Default Frontend EXCAS1"), ("Bindings", "{[::]:25, 0.0.0.0:25}"),
           ("Fqdn", "mail.fabrikam.com"), ("AuthMechanism", "Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer"),
           ("RequireTLS", "False"), ("TransportRole", "FrontendTransport"), ("ProtocolLoggingLevel", "Verbose"),
           ("TlsCertificateName", wrap("<I>CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US<S>CN=mail.fabrikam.com, O=Fabrikam Ltd, L=Leeds, C=GB", 119, w + 3)),
           ("TlsDomainCapabilities", "{mail.protection.outlook.com:AcceptCloudServicesMail}")]
    lines = ["[PS] C:\\Windows\\system32>Get-ReceiveConnector \"EXCAS1\\Default Frontend EXCAS1\" | fl Identity,Bindings,Fqdn,AuthMechanism,RequireTLS,TransportRole,ProtocolLoggingLevel,TlsCertificateName,TlsDomainCapabilities"] + fl([rec], w)
    write(outdir, "connectors/getreceiveconnector-fl-frontend.txt", lines)


def receive_connector_list(outdir):
    # Several receive connectors of one server, `fl Identity,Bindings,Fqdn,TlsCertificateName`,
    # no prompt line; the server name only in the Identity values.
    recs = []
    for name, b, fq, tls in [("Default EX07", "{0.0.0.0:2525, [::]:2525}", "EX07.corp.example.org", ""),
                             ("Client Proxy EX07", "{[::]:465, 0.0.0.0:465}", "EX07.corp.example.org", ""),
                             ("Default Frontend EX07", "{[::]:25, 0.0.0.0:25}", "smtp.example.org", "<I>CN=Example Issuing CA, DC=corp, DC=example, DC=org<S>CN=smtp.example.org"),
                             ("Outbound Proxy Frontend EX07", "{[::]:717, 0.0.0.0:717}", "EX07.corp.example.org", ""),
                             ("Client Frontend EX07", "{[::]:587, 0.0.0.0:587}", "EX07.corp.example.org", "")]:
        recs.append([("Identity", "EX07\\" + name), ("Bindings", b), ("Fqdn", fq), ("TlsCertificateName", tls)])
    write(outdir, "connectors/getreceiveconnector-fl-list.txt", fl(recs, len("TlsCertificateName")))


# ---------------------------------------------------------------- queues

def queue_rec(identity, dtype, status, count, err, nhd, lrt, nrt, tlsdom=""):
    rec = []
    if identity is not None:
        rec.append(("Identity", identity))
    rec += [("DeliveryType", dtype), ("NextHopDomain", nhd), ("TlsDomain", tlsdom),
            ("NextHopConnector", "6a3c9b1e-51d2-4f0e-a8a4-0c41d7c5e2f1"), ("Status", status),
            ("MessageCount", str(count)), ("LastError", err), ("RetryCount", "37"),
            ("LastRetryTime", lrt), ("NextRetryTime", nrt),
            ("DeferredMessageCount", "0"), ("LockedMessageCount", "0"), ("MessageCountsPerPriority", "{0, 0, 0, 0}"),
            ("RiskLevel", "Normal"), ("OutboundIPPool", "0"), ("NextHopCategory", "External")]
    return rec


def queue_cut_identity(outdir):
    # A Get-Queue record pasted without its Identity line (cut by the poster);
    # the brief's example shape.
    err = ("451 4.4.0 Primary target IP address responded with: \"454 4.7.0 Temporary authentication failure.\" "
           "Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, "
           "or delivery failed to all alternate hosts. The last endpoint attempted was 10.20.4.17:25")
    w = len("MessageCountsPerPriority")
    rec = queue_rec(None, "SmtpRelayToRemoteAdSite", "Retry", 12481, wrap(err, 119, w + 3), "site-b",
                    "11/3/2026 2:31:07 PM", "11/3/2026 2:41:07 PM")
    write(outdir, "queues/getqueue-fl-cut-identity.txt", fl([rec], w))


def queue_prompt_two(outdir):
    err = ("451 4.4.0 Primary target IP address responded with: \"421 4.4.1 Connection timed out.\" Attempted "
           "failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery "
           "failed to all alternate hosts.")
    w = len("MessageCountsPerPriority")
    recs = [queue_rec("EXCAS1\\18", "SmartHostConnectorDelivery", "Retry", 214, wrap(err, 119, w + 3),
                      "fabrikam-com.mail.protection.outlook.com", "11/3/2026 3:12:09 PM", "11/3/2026 3:22:09 PM",
                      "mail.protection.outlook.com"),
            queue_rec("EXCAS1\\Submission", "Undefined", "Ready", 0, "", "Submission", "", "")]
    lines = ["[PS] C:\\Windows\\system32>Get-Queue -Server EXCAS1 | fl"] + fl(recs, w)
    write(outdir, "queues/getqueue-fl-421-en-US.txt", lines)


def queue_table(outdir):
    lines = ["[PS] C:\\Windows\\system32>Get-Queue", "",
             "Identity             DeliveryType Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain",
             "--------             ------------ ------ ------------ -------- --------- -------------- -------------",
             "EX07\\7               SmartHost... Retry  331          0        Normal    0              contoso-de.mail.protecti...",
             "EX07\\9               DnsConne... Ready  0            0        Normal    0              partner.example",
             "EX07\\Submission      Undefined    Ready  0            0        Normal    0              Submission",
             "EX07\\Shadow\\3        ShadowRed... Ready  12           0        Normal    0              ex08.contoso.local", "", ""]
    write(outdir, "queues/getqueue-table.txt", lines)


def queue_de_led(outdir):
    # de-DE console, Queue Viewer style LastError ([{LED=...}]), IP masked,
    # a stray colon in the Status label.
    led = ("[{LED=451 4.4.395 Target host responded with error. -> 421 4.4.1 Connection timed out};{MSG=};"
           "{FQDN=contoso-de.mail.protection.outlook.com};{IP=10.**.**.***};{LRT=03.11.2026 15:12:09}]")
    w = len("NextHopDomain")
    rec = [("Identity", "EX02\\7"), ("DeliveryType", "SmartHostConnectorDelivery"),
           ("NextHopDomain", "contoso-de.mail.protection.outlook.com"), ("Status:", "Retry"),
           ("MessageCount", "331"), ("LastError", wrap(led, 119, w + 3)),
           ("LastRetryTime", "03.11.2026 15:12:09"), ("NextRetryTime", "03.11.2026 15:22:09")]
    lines = []
    for k, v in rec:
        vs = v.split("\n")
        lines.append(k.ljust(w) + " : " + vs[0] if k != "Status:" else "Status:       : " + vs[0])
        for c in vs[1:]:
            lines.append(" " * (w + 3) + c)
    write(outdir, "queues/getqueue-fl-led-de-DE.txt", [""] + lines + ["", ""])


def queue_en_gb_subjectmismatch(outdir):
    # en-GB dates (dd/MM/yyyy HH:mm:ss) where no day exceeds 12: undecidable alone.
    err = ("450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: mx.partner.example. "
           "Presented Subject: CN=*.hosting.example. Thumbprint: " + tp("hosting wildcard") + ".]")
    w = len("LastRetryTime")
    rec = [("Identity", "HUB-LON2\\12"), ("DeliveryType", "DnsConnectorDelivery"), ("Status", "Retry"),
           ("MessageCount", "6"), ("NextHopDomain", "partner.example"), ("LastError", wrap(err, 119, w + 3)),
           ("LastRetryTime", "05/03/2026 10:22:14"), ("NextRetryTime", "05/03/2026 10:32:14")]
    write(outdir, "queues/getqueue-fl-subjectmismatch-en-GB.txt", fl([rec], w))


# ---------------------------------------------------------------- transport

def transport_service(outdir):
    rec = [("Name", "EXCAS1"), ("InternalTransportCertificateThumbprint", SELF1),
           ("SendProtocolLogPath", "D:\\Exchange Server\\V15\\TransportRoles\\Logs\\Hub\\ProtocolLog\\SmtpSend"),
           ("ReceiveProtocolLogPath", "D:\\Exchange Server\\V15\\TransportRoles\\Logs\\Hub\\ProtocolLog\\SmtpReceive"),
           ("IntraOrgConnectorProtocolLoggingLevel", "Verbose")]
    lines = ["[PS] C:\\Windows\\system32>Get-TransportService EXCAS1 | fl Name,InternalTransportCertificateThumbprint,*ProtocolLogPath,IntraOrgConnectorProtocolLoggingLevel"] + fl([rec])
    write(outdir, "transport/gettransportservice-fl.txt", lines)


def auth_config(outdir):
    nxt = tp("fabrikam auth certificate 2028")
    rec = [("CurrentCertificateThumbprint", AUTH), ("PreviousCertificateThumbprint", ""),
           ("NextCertificateThumbprint", nxt), ("NextCertificateEffectiveDate", "1/31/2028 12:00:00 AM"),
           ("ServiceName", "00000002-0000-0ff1-ce00-000000000000"), ("Realm", ""), ("Name", "Auth Configuration"),
           ("Identity", "Auth Configuration")]
    write(outdir, "transport/getauthconfig-fl.txt", ["[PS] C:\\Windows\\system32>Get-AuthConfig | fl"] + fl([rec]))
    return nxt


# ---------------------------------------------------------------- events

def event_12014_bare(outdir):
    # The bare message as people paste it into a question (Microsoft Q&A 308306).
    msg = ("Microsoft Exchange could not find a certificate that contains the domain name EXCAS1.corp.fabrikam.com in "
           "the personal store on the local computer. Therefore, it is unable to support the STARTTLS SMTP verb for the "
           "connector Default Frontend EXCAS1 with a FQDN parameter of EXCAS1.corp.fabrikam.com. If the connector's FQDN "
           "is not specified, the computer's FQDN is used. Verify the connector configuration and the installed "
           "certificates to make sure that there is a certificate with a domain name for that FQDN. If this certificate "
           "exists, run Enable-ExchangeCertificate -Services SMTP to make sure that the Microsoft Exchange Transport "
           "service has access to the certificate key.")
    write(outdir, "events/event12014-bare-message.txt", [msg, ""])


def event_wevtutil(outdir):
    # wevtutil qe Application /q:"*[System[(EventID=12018 or EventID=12017)]]" /f:text /c:3
    evs = [(0, "2026-11-01T03:00:12.418", "12018", "Warning",
            "The STARTTLS certificate will expire soon: subject: mail.fabrikam.com, thumbprint: %s, hours remaining: 284." % OLD),
           (1, "2026-11-02T03:00:12.902", "12018", "Warning",
            "The STARTTLS certificate will expire soon: subject: mail.fabrikam.com, thumbprint: %s, hours remaining: 260." % OLD),
           (2, "2026-11-02T09:41:55.117", "12017", "Warning",
            "An internal transport certificate will expire soon. Thumbprint:%s, hours remaining: 40" % tp("EXCAS2 old self-signed"))]
    lines = []
    for n, date, eid, level, msg in evs:
        lines += ["Event[%d]:" % n, "  Log Name: Application", "  Source: MSExchangeTransport",
                  "  Date: " + date, "  Event ID: " + eid, "  Task: TransportService", "  Level: " + level,
                  "  Opcode: Info", "  Keyword: Classic", "  User: N/A", "  User Name: N/A",
                  "  Computer: EXCAS1.corp.fabrikam.com", "  Description: ", msg, ""]
    write(outdir, "events/wevtutil-12018-12017.txt", lines)


def event_copy_de(outdir):
    # Event Viewer "Copy details as text" on a German Windows: labels
    # localized, Exchange's message text in English.
    lines = ["Protokollname: Application", "Quelle:        MSExchangeFrontEndTransport",
             "Datum:         03.11.2026 15:12:09", "Ereignis-ID:   12014", "Aufgabenkategorie:TransportService",
             "Ebene:         Fehler", "Schlüsselwörter:Klassisch", "Benutzer:      Nicht zutreffend",
             "Computer:      EX02.contoso.local", "Beschreibung:",
             "Microsoft Exchange could not find a certificate that contains the domain name smtp.contoso.de in the "
             "personal store on the local computer. Therefore, it is unable to support the STARTTLS SMTP verb for the "
             "connector Default Frontend EX02 with a FQDN parameter of smtp.contoso.de. If the connector's FQDN is not "
             "specified, the computer's FQDN is used. Verify the connector configuration and the installed certificates "
             "to make sure that there is a certificate with a domain name for that FQDN. If this certificate exists, run "
             "Enable-ExchangeCertificate -Services SMTP to make sure that the Microsoft Exchange Transport service has "
             "access to the certificate key.", ""]
    write(outdir, "events/event12014-copy-details-de-DE.txt", lines)


def event_1035(outdir):
    # Old Event Viewer layout ("Event Type:" ...), as KB 979174-era pages show it.
    lines = ["Event Type: Error", "Event Source: MSExchangeTransport", "Event Category: SmtpReceive",
             "Event ID: 1035", "Date: 11/3/2026", "Time: 2:31:06 PM", "User: N/A", "Computer: EXHUB-B1",
             "Description:",
             "Inbound authentication failed with error IllegalMessage for Receive connector Default EXHUB-B1. The "
             "authentication mechanism is ExchangeAuth. The source IP address of the client who tried to authenticate "
             "to Microsoft Exchange is [10.20.4.31].", ""]
    write(outdir, "events/event1035-old-layout.txt", lines)


# ---------------------------------------------------------------- logs

SEND_HDR = ["#Software: Microsoft Exchange Server", "#Version: 15.0.0.0", "#Log-type: SMTP Send Protocol Log",
            "#Date: 2026-11-03T14:00:01.006Z",
            "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context"]


def send_session(sid, t, remote, cert_tp, fail):
    c = "Outbound to Office 365"
    le = "10.20.1.11:%d" % (41000 + int(sid[-2:], 16))
    row = lambda seq, ev, data, ctx: "%s,%s,%s,%d,%s,%s,%s,%s,%s" % (t, c, sid, seq, le, remote, ev, data, ctx)
    rows = [row(0, "*", "", "attempting to connect"), row(1, "+", "", ""),
            row(2, "<", "220 AM4PEPF00027A6C.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready", ""),
            row(3, ">", "EHLO mail.fabrikam.com", ""),
            row(4, "<", "250-AM4PEPF00027A6C.mail.protection.outlook.com Hello [203.0.113.25] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8", ""),
            row(5, ">", "STARTTLS", ""), row(6, "<", "220 2.0.0 SMTP server ready", ""),
            row(7, "*", "\" %s %s %s %s 2026-10-28T00:00:00.000Z 2027-11-27T23:59:59.000Z mail.fabrikam.com;autodiscover.fabrikam.com\"" % (MAILSUBJ, DIGICERT, serial("new"), cert_tp),
                "Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names")]
    if fail:
        rows += [row(8, "*", "", "TLS negotiation failed with error UnknownCredentials"), row(9, "-", "", "Local")]
    else:
        rows += [row(8, "*", "", "\"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits\""),
                 row(9, ">", "EHLO mail.fabrikam.com", ""), row(10, ">", "QUIT", ""), row(11, "-", "", "Local")]
    return rows


def send_log_unknowncredentials(outdir):
    rows = []
    rows += send_session("08DE1B3C5A0F1A21", "2026-11-03T14:12:09.331Z", "52.101.73.14:25", NEW, True)
    rows += send_session("08DE1B3C5A0F1A22", "2026-11-03T14:27:09.512Z", "52.101.68.3:25", NEW, True)
    rows += send_session("08DE1B3C5A0F1A23", "2026-11-03T14:42:10.007Z", "52.101.73.14:25", NEW, True)
    write(outdir, "logs/SEND2026110314-1.LOG", SEND_HDR + rows + [""])


def send_log_typographic(outdir):
    # Rows pasted through a word processor: straight quotes turned into
    # typographic ones and the first character of the first row lost.
    rows = send_session("08DE1B3C5A0F1A24", "2026-11-03T15:02:11.250Z", "52.101.73.14:25", NEW, True)
    rows = [r.replace("\"", "\u201d") for r in rows]
    rows[0] = rows[0][1:]
    write(outdir, "logs/send-pasted-typographic-quotes.txt", rows + [""], crlf=False)


def recv_log_fragment(outdir):
    # Receive rows without the # header (cut out of a larger file), one session
    # with a client certificate, one that fails with CertUnknown and one
    # that never starts TLS.
    c = "EXCAS1\\Default Frontend EXCAS1"
    out = []
    def rows(sid, t, remote, body):
        return ["%s,%s,%s,%d,10.20.1.11:25,%s,%s" % (t, c, sid, i, remote, b) for i, b in enumerate(body)]
    out += rows("08DE1B3C5A0F2B01", "2026-11-03T14:50:02.114Z", "40.107.22.55:40122", [
        "+,,", "*,SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders,Set Session Permissions",
        ">,\"220 mail.fabrikam.com Microsoft ESMTP MAIL Service ready at Tue, 3 Nov 2026 14:50:02 +0000\",",
        "<,EHLO EUR05-AM6-obe.outbound.protection.outlook.com,",
        ">,250  mail.fabrikam.com Hello [40.107.22.55] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS X-ANONYMOUSTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,",
        "<,STARTTLS,", ">,220 2.0.0 SMTP server ready,",
        "*,\" %s %s %s %s 2026-10-28T00:00:00.000Z 2027-11-27T23:59:59.000Z mail.fabrikam.com;autodiscover.fabrikam.com\",Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names" % (MAILSUBJ, DIGICERT, serial("new"), NEW),
        "*,,\"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits\"",
        "*,,Received certificate", "*,CN=mail.protection.outlook.com,Certificate subject",
        "*,mail.protection.outlook.com:AcceptCloudServicesMail,TlsDomainCapabilities='AcceptCloudServicesMail'; Status='Success'; Domain='mail.protection.outlook.com'",
        "<,EHLO EUR05-AM6-obe.outbound.protection.outlook.com,", "-,,Remote"])
    out += rows("08DE1B3C5A0F2B02", "2026-11-03T14:51:40.870Z", "198.51.100.23:51544", [
        "+,,", "<,EHLO scanner.fabrikam.com,", "<,STARTTLS,", ">,220 2.0.0 SMTP server ready,",
        "*,,TLS negotiation failed with error CertUnknown", "-,,Local"])
    out += rows("08DE1B3C5A0F2B03", "2026-11-03T14:52:03.006Z", "198.51.100.77:60311", [
        "+,,", "<,EHLO legacy-app,", "<,MAIL FROM:<app@fabrikam.com>,", "-,,Remote"])
    write(outdir, "logs/RECV-fragment-no-header.LOG", out + [""])


# ---------------------------------------------------------------- transcripts

def remove_transcript(outdir):
    lines = ["[PS] C:\\Windows\\system32>Remove-ExchangeCertificate -Server EXCAS1 -Thumbprint " + OLD, "",
             "Confirm", "Are you sure you want to perform this action?",
             "Remove certificate with thumbprint " + OLD + "?",
             "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is \"Y\"): y",
             "A special Rpc error occurs on server EXCAS1: These certificates are tagged with following Send Connectors : "
             "Outbound to Office 365. Removing and replacing certificates from Send Connector would break the mail flow. If "
             "you still want to proceed then replace or remove these certificates from Send Connector and then try this command.",
             "    + CategoryInfo          : InvalidOperation: (:) [Remove-ExchangeCertificate], InvalidOperationException",
             "    + FullyQualifiedErrorId : [Server=EXCAS1,RequestId=3f1c2a77-9b0e-4c53-8d0e-2a6f1b9c4e10,TimeStamp=11/3/2026 3:40:12 PM] [FailureCategory=Cmdlet-InvalidOperationException] 7D5B0F37,Microsoft.Exchange.Management.SystemConfigurationTasks.RemoveExchangeCertificate",
             "    + PSComputerName        : excas1.corp.fabrikam.com", "", "[PS] C:\\Windows\\system32>", ""]
    write(outdir, "transcripts/remove-exchangecertificate-tagged.txt", lines)


def enable_transcript(outdir):
    lines = ["[PS] C:\\Windows\\system32>Enable-ExchangeCertificate -Server EXCAS1 -Thumbprint " + NEW + " -Services SMTP", "",
             "Confirm", "Overwrite the existing default SMTP certificate?", "",
             "Current certificate: '" + SELF1 + "' (expires 3/2/2029 9:14:03 AM)",
             "Replace it with certificate: '" + NEW + "' (expires 11/27/2027 11:59:59 PM)",
             "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is \"Y\"): N",
             "[PS] C:\\Windows\\system32>", ""]
    write(outdir, "transcripts/enable-exchangecertificate-smtp-prompt.txt", lines)


# ---------------------------------------------------------------- HealthChecker

HC_CERTS = [  # friendly, thumbprint, lifetime days, status, services, internal, auth, namespaces
    ("mail.fabrikam.com 2026", NEW, 388, "Valid", "IIS", False, False, ["mail.fabrikam.com", "autodiscover.fabrikam.com"]),
    ("mail.fabrikam.com", OLD, 8, "Valid", "IMAP, POP, IIS, SMTP", False, False, ["mail.fabrikam.com", "autodiscover.fabrikam.com"]),
    ("Microsoft Exchange", SELF1, 849, "Valid", "IMAP, POP, SMTP", True, False, ["EXCAS1", "EXCAS1.corp.fabrikam.com"]),
    ("Microsoft Exchange Server Auth Certificate", AUTH, 460, "Valid", "SMTP", False, True, ["None"]),
]


def hc_text(outdir):
    # Write-ResultsToScreen: a group name, a line of dashes as long as the
    # name, then "<tabs>Name: value" lines; a blank line ends each group.
    L = ["Exchange Health Checker version 25.10.21.1518", "", "Exchange Information", "--------------------",
         "Name: EXCAS1", "Generation Time: 11/04/2026 09:02:44", "Version: Exchange 2019 CU15",
         "Build Number: 15.02.1748.010", "Server Role: Mailbox", "", "Security Settings", "-----------------",
         "LmCompatibilityLevel Settings: 5", "\tDescription: Clients use NTLMv2 authentication only", ""]
    # the certificate lines sit in the same group; continue it
    L = L[:-1]
    for fn, t, days, st, svc, internal, auth, ns in HC_CERTS:
        L += ["Certificate: ", "\tFriendlyName: " + fn, "\tThumbprint: " + t, "\tLifetime in days: %d" % days,
              "\tCertificate has expired: False", "\tCertificate status: " + st, "\tKey size: 2048",
              "\tECC Certificate: False", "\tSignature Algorithm: sha256RSA", "\tSignature Hash Algorithm: sha256",
              "\tBound to services: " + svc, "\tInternal Transport Certificate: " + str(internal),
              "\tCurrent Auth Certificate: " + str(auth), "\tNext Auth Certificate: False",
              "\tSAN Certificate: " + str(len(ns) > 1), "\tNamespaces: "] + ["\t\t" + n for n in ns]
    L += ["Valid Internal Transport Certificate Found On Server: True",
          "Valid Auth Certificate Found On Server: True", "", "",
          "Output file written to C:\\Scripts\\HealthChecker-EXCAS1-20261104090244.txt",
          "Exported Data Object Written to C:\\Scripts\\HealthChecker-EXCAS1-20261104090244.xml", ""]
    write(outdir, "healthchecker/HealthChecker-EXCAS1-20261104090244.txt", L)


def hc_html(outdir):
    # Get-HtmlServerReport: fixed style block, overview table, then one
    # "Server Details" table of Name / DetailValue rows per server.
    nl = "\r\n"
    rows = [("Server Name", "EXCAS1", None), ("Version", "Exchange 2019 CU15", "Grey")]
    for fn, t, days, st, svc, internal, auth, ns in HC_CERTS:
        color = "Green" if days >= 60 else ("Yellow" if days >= 30 else "Red")
        rows += [("Certificate", "", "Grey"), ("FriendlyName", fn, "Grey"), ("Thumbprint", t, "Grey"),
                 ("Lifetime in days", str(days), color), ("Bound to services", svc, "Grey")]
    h = ("<html>" + nl + "        <style>" + nl + "        BODY{font-family: Arial; font-size: 8pt;}" + nl +
         "        TABLE{border: 1px solid black; border-collapse: collapse; font-size: 8pt;}" + nl +
         "        td.Green{background: #7FFF00;}" + nl + "        td.Yellow{background: #FFE600;}" + nl +
         "        td.Red{background: #FF0000; color: #ffffff;}" + nl + "        </style>" + nl + "        <body>" + nl +
         "        <h1 align=\"center\">Exchange Health Checker v25.10.21.1518</h1><br>" + nl +
         "        <h2>Servers Overview</h2><p>" + nl + "        <table>" + nl + "        <tr>" + nl +
         "<th>Server Name</th>" + nl + "<th>Exchange Version</th>" + nl + "</tr>" + nl + "<tr>" + nl +
         "<td class=\"Grey\">EXCAS1</td>" + nl + "<td class=\"Grey\">Exchange 2019 CU15</td>" + nl + "</tr>" + nl +
         "</table>" + nl + "</p>" + nl + "<p>" + nl + "<h2>Server Details</h2>" + nl + "<table>")
    for name, val, cls in rows:
        if cls is None:
            h += "<tr>" + nl + "<th>%s</th>" % name + nl + "<th>%s</th>" % val + nl + "</tr>" + nl
        else:
            h += "<tr>" + nl + "<td class=\"%s\">%s</td><td class=\"%s\">%s</td>" % (cls, name, cls, val) + nl + "</tr>" + nl
    h += nl + "</table>" + nl + "</p>" + nl + "</body>" + nl + "</html>" + nl
    write(outdir, "healthchecker/HealthChecker-HTMLServerReport-20261104090301.html", [h], bom=True)


def hc_xml(outdir):
    # A reduced CliXml in the form Export-Clixml -Depth 2 gives a
    # PSCustomObject: note properties in <MS>, nested objects past the depth
    # written as their ToString.
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    certs = []
    for fn, t, days, st, svc, internal, auth, ns in HC_CERTS:
        certs.append("          <S>@{FriendlyName=%s; Thumbprint=%s; LifetimeInDays=%d; Status=%s; Services=%s; "
                     "IsInternalTransportCertificate=%s; IsCurrentAuthConfigCertificate=%s}</S>"
                     % (esc(fn), t, days, st, esc(svc), internal, auth))
    x = ['<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">',
         '  <Obj RefId="0">', '    <TN RefId="0">', '      <T>System.Management.Automation.PSCustomObject</T>',
         '      <T>System.Object</T>', '    </TN>', '    <MS>',
         '      <Obj N="HealthCheckerExchangeServer" RefId="1">', '        <TNRef RefId="0" />', '        <MS>',
         '          <S N="ServerName">EXCAS1</S>',
         '          <DT N="GenerationTime">2026-11-04T09:02:44.1870000+00:00</DT>',
         '          <S N="ExchangeInformation">@{BuildInformation=; GetExchangeServer=EXCAS1; ExchangeCertificateInformation=}</S>',
         '        </MS>', '      </Obj>', '      <Obj N="ExchangeCertificates" RefId="2">',
         '        <TN RefId="1">', '          <T>System.Object[]</T>', '          <T>System.Array</T>', '          <T>System.Object</T>',
         '        </TN>', '        <LST>'] + certs + [
         '        </LST>', '      </Obj>', '    </MS>', '  </Obj>', '</Objs>']
    write(outdir, "healthchecker/HealthChecker-EXCAS1-20261104090244.xml", x, bom=True)


# ---------------------------------------------------------------- exports

def csv_export(outdir):
    # Export-Csv (Windows PowerShell 5.1): #TYPE line, every cell quoted,
    # multi-valued properties written as their type name.
    hdr = ["Thumbprint", "Subject", "Issuer", "NotBefore", "NotAfter", "Services", "Status", "CertificateDomains", "HasPrivateKey"]
    rows = [[NEW, MAILSUBJ, DIGICERT, "10/28/2026 12:00:00 AM", "11/27/2027 11:59:59 PM", "IIS", "Valid",
             "System.Collections.ObjectModel.ReadOnlyCollection`1[Microsoft.Exchange.Data.SmtpDomainWithSubdomains]", "True"],
            [OLD, MAILSUBJ, DIGICERT, "10/14/2025 1:00:00 AM", "11/12/2026 11:59:59 PM", "IMAP, POP, IIS, SMTP", "Valid",
             "System.Collections.ObjectModel.ReadOnlyCollection`1[Microsoft.Exchange.Data.SmtpDomainWithSubdomains]", "True"]]
    q = lambda cells: ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    lines = ["#TYPE Selected.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate", q(hdr)] + [q(r) for r in rows] + [""]
    write(outdir, "exports/getexchangecertificate-EXCAS1.csv", lines, encoding="utf-16-le", bom=True)


def epoch_ms(*t):
    import calendar
    return calendar.timegm(t + (0, 0, 0)) * 1000


def json_export(outdir):
    # ConvertTo-Json (5.1): dates as "\/Date(ms)\/" (UTC), enums as integers.
    lines = ["[", "    {",
             '        "Thumbprint":  "%s",' % NEW,
             '        "Subject":  "%s",' % MAILSUBJ,
             '        "NotAfter":  "\\/Date(%d)\\/",' % epoch_ms(2027, 11, 27, 23, 59, 59),
             '        "Services":  8,', '        "Status":  1', "    },", "    {",
             '        "Thumbprint":  "%s",' % OLD,
             '        "Subject":  "%s",' % MAILSUBJ,
             '        "NotAfter":  "\\/Date(%d)\\/",' % epoch_ms(2026, 11, 12, 23, 59, 59),
             '        "Services":  27,', '        "Status":  1', "    }", "]"]
    write(outdir, "exports/getexchangecertificate-EXCAS1.json", lines)


# ---------------------------------------------------------------- per-server folders

def per_server(outdir):
    # Four folders named after servers; the files inside never name their
    # server except SRV-C's prompt line.  Each server's own self-signed
    # certificate (CN=<SERVER>, SANs with its FQDN) names it indirectly.
    for srv, extra_prompt in [("SRV-A", False), ("SRV-B", False), ("SRV-C", True), ("SRV-D", False)]:
        own = tp(srv + " own")
        rec1 = [("Thumbprint", tp("shared mail 2026")), ("Services", "IIS, SMTP"), ("Subject", "CN=mail.example.net"),
                ("NotAfter", "28.02.2027 23:59:59"), ("CertificateDomains", "{mail.example.net, autodiscover.example.net}")]
        rec2 = [("Thumbprint", own), ("Services", "SMTP"), ("Subject", "CN=" + srv),
                ("NotAfter", "14.09.2028 10:02:47"), ("CertificateDomains", "{%s, %s.ad.example.net}" % (srv, srv))]
        lines = (["[PS] C:\\Windows\\system32>Get-ExchangeCertificate -Server %s | fl Thumbprint,Services,Subject,NotAfter,CertificateDomains" % srv]
                 if extra_prompt else []) + fl([rec1, rec2])
        write(outdir, "bundles/per-server-folders/%s/certs.txt" % srv, lines)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for f in (cert_fl_en_us, cert_flstar_de_de, cert_fl_fr_fr, cert_fl_en_au, cert_fl_ja_jp, cert_table_masked,
              cert_fl_cut_masked, send_connector_fl, send_connector_cut_list, send_connector_table,
              receive_connector_fl, receive_connector_list, queue_cut_identity, queue_prompt_two, queue_table,
              queue_de_led, queue_en_gb_subjectmismatch, transport_service, auth_config, event_12014_bare,
              event_wevtutil, event_copy_de, event_1035, send_log_unknowncredentials, send_log_typographic,
              recv_log_fragment, remove_transcript, enable_transcript, hc_text, hc_html, hc_xml, csv_export,
              json_export, per_server):
        f(outdir)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Expert scenario bundles: cases where a careful Exchange engineer knows
what is true (about time, about what was not collected, about what a finding
means), each with the expectations written from Microsoft's documentation and
the project's rule catalog before certtrail ran on it.

    gen_expert.py OUTDIR [--seed N] [--only NAME...]

Writes OUTDIR/NAME.zip and OUTDIR/NAME.expected.json per scenario, read by
tests/check_expert.py (schema in testdata/expert/README.md). Certificates
are real (gen_bundles.py's PKI, signed with openssl): thumbprints change on
every run, everything else comes from a seeded generator. Every time value
written into a bundle is in its expected file's "times" with the instant it
stands for; the generator fails if a bundle holds a date-looking string its
truth does not account for.

Python standard library only, plus the openssl binary ($OPENSSL_BIN).
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
import gen_rules as gr  # noqa: E402
import expert_writers as ew  # noqa: E402

AS_OF = g.utc(2026, 11, 10, 9, 0, 0)
TD = dt.timedelta
MAIL = [("CN", "mail.contoso.com"), ("O", "Contoso"), ("L", "Redmond"),
        ("S", "Washington"), ("C", "US")]
MAIL_SANS = ["mail.contoso.com", "autodiscover.contoso.com", "owa.contoso.com",
             "smtp.contoso.com"]
O365_CONN = "Outbound to Office 365"
O365_HOST = "contoso-com.mail.protection.outlook.com"
EOP = g.Remote(O365_HOST, "104.47.51.138", "AM4PEPF00027A6A.mail.protection.outlook.com",
               None)
PARTNER = g.Remote("mx1.fabrikam.com", "198.51.100.25", "MX1.fabrikam.com", None)
INTERNET = g.Remote("mx.adatum.com", "203.0.113.40", "mail.adatum.com", None)
FRONTEND = "Default Frontend %s"
CLIENT = "Client Frontend %s"
QUEUE_GUID = "5f0c6b7e-2d3a-4c59-9e11-7b8a0d4c2e61"

# ----------------------------------------------------------------- references

CITES = {
    "protocol-logging": (
        "Protocol logging in Exchange Server",
        "https://learn.microsoft.com/en-us/exchange/mail-flow/connectors/protocol-logging",
        "protocol log rows are written in UTC; only connectors with ProtocolLoggingLevel "
        "Verbose write rows"),
    "x509-local": (
        "X509Certificate2.NotAfter / NotBefore property (.NET)",
        "https://learn.microsoft.com/en-us/dotnet/api/system.security.cryptography."
        "x509certificates.x509certificate2.notafter",
        "the dates Get-ExchangeCertificate shows are local time"),
    "date-formats": (
        "Standard date and time format strings (.NET)",
        "https://learn.microsoft.com/en-us/dotnet/standard/base-types/"
        "standard-date-and-time-format-strings",
        "Format-List prints DateTime values with the current culture's pattern "
        "(en-US M/d/yyyy h:mm:ss tt, de-DE dd.MM.yyyy HH:mm:ss)"),
    "kb4051498": (
        "Outbound email messages are not sent on the Exchange Hub Transport or Edge "
        "server (KB 4051498)",
        "https://support.microsoft.com/kb/4051498",
        "UnknownCredentials after 'Sending certificate' with a queue 421 4.4.1 timeout: "
        "the certificate is not enabled for SMTP; Enable-ExchangeCertificate, answer N"),
    "kb2989382": (
        "Can't receive mail in a hybrid environment after you install a new certificate "
        "on the server (KB 2989382)",
        "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/"
        "cannot-receive-mail-with-new-certificate",
        "a Receive connector's TlsCertificateName names the certificate inbound TLS "
        "uses; event 12014; fixed with Enable-ExchangeCertificate -Services SMTP and "
        "Set-ReceiveConnector"),
    "enable-cert": (
        "Enable-ExchangeCertificate",
        "https://learn.microsoft.com/en-us/powershell/module/exchange/"
        "enable-exchangecertificate",
        "-Services adds services to a certificate; enabling SMTP prompts to replace the "
        "default SMTP certificate"),
    "assign-services": (
        "Assign certificates to Exchange Server services",
        "https://learn.microsoft.com/en-us/exchange/architecture/client-access/"
        "assign-certificates-to-services",
        "a renewed certificate must be assigned the services of the one it replaces"),
    "renew-certs": (
        "Renew an Exchange Server certificate",
        "https://learn.microsoft.com/en-us/exchange/architecture/client-access/"
        "renew-certificates",
        "a renewal is a new certificate that must be installed and enabled"),
    "certificates": (
        "Digital certificates and encryption in Exchange Server",
        "https://learn.microsoft.com/en-us/exchange/architecture/client-access/certificates",
        "certificate names, SANs and wildcard certificates for Exchange services"),
    "rfc6125": (
        "RFC 6125, section 6.4.3 (wildcard certificates)",
        "https://www.rfc-editor.org/rfc/rfc6125#section-6.4.3",
        "a wildcard matches exactly one left-most label"),
    "set-send": (
        "Set-SendConnector",
        "https://learn.microsoft.com/en-us/powershell/module/exchange/set-sendconnector",
        "-ProtocolLoggingLevel, -TlsCertificateName (<I>issuer<S>subject), TlsAuthLevel, "
        "TlsDomain"),
    "set-receive": (
        "Set-ReceiveConnector",
        "https://learn.microsoft.com/en-us/powershell/module/exchange/set-receiveconnector",
        "a Receive connector (Identity SERVER\\Name) is changed with Set-ReceiveConnector, "
        "TlsCertificateName included"),
    "receive-connectors": (
        "Receive connectors in Exchange Server",
        "https://learn.microsoft.com/en-us/exchange/mail-flow/connectors/receive-connectors",
        "default Receive connectors: Default Frontend on port 25, Client Frontend on 587 "
        "for authenticated clients"),
    "auth-smtp": (
        "Configure authenticated SMTP settings for POP3 and IMAP4 clients in Exchange "
        "Server",
        "https://learn.microsoft.com/en-us/exchange/clients/pop3-and-imap4/"
        "configure-authenticated-smtp",
        "Client Frontend <Server> listens on 587 for authenticated SMTP client "
        "submissions with TLS"),
    "get-queue": (
        "Get-Queue",
        "https://learn.microsoft.com/en-us/powershell/module/exchange/get-queue",
        "queue properties (Status, LastError, LastRetryTime) of one server"),
    "maintain-oauth": (
        "Maintain the Exchange Server OAuth certificate",
        "https://learn.microsoft.com/en-us/exchange/plan-and-deploy/"
        "integration-with-sharepoint-and-skype/maintain-oauth-certificate",
        "rotating the Auth Certificate: a new self-signed 'Microsoft Exchange Server Auth "
        "Certificate' (New-ExchangeCertificate), Set-AuthConfig -NewCertificateThumbprint "
        "with -NewCertificateEffectiveDate, -PublishCertificate, -ClearPreviousCertificate; "
        "the MonitorExchangeAuthCertificate script does the same"),
    "oauth-expired": (
        "Can't sign in to Outlook on the web or EAC if Exchange Server OAuth certificate "
        "is expired (KB 2617816)",
        "https://learn.microsoft.com/en-us/exchange/troubleshoot/administration/"
        "cannot-access-owa-or-ecp-if-oauth-expired",
        "an expired Auth certificate breaks OWA/EAC sign-in; New-ExchangeCertificate "
        "-KeySize 2048 -PrivateKeyExportable $true -SubjectName \"cn=Microsoft Exchange "
        "Server Auth Certificate\" ... -DomainName @(), the Set-AuthConfig steps, "
        "Restart-WebAppPool MSExchangeOWAAppPool and MSExchangeECPAppPool, rerun the "
        "Hybrid Configuration Wizard in hybrid"),
    "monitor-auth": (
        "MonitorExchangeAuthCertificate (CSS-Exchange)",
        "https://microsoft.github.io/CSS-Exchange/Admin/MonitorExchangeAuthCertificate/",
        "Microsoft's script that renews an expired Auth Certificate"),
    "set-authconfig": (
        "Set-AuthConfig",
        "https://learn.microsoft.com/en-us/powershell/module/exchange/set-authconfig",
        "-NewCertificateThumbprint, -NewCertificateEffectiveDate, -PublishCertificate, "
        "-ClearPreviousCertificate"),
    "authconfig-members": (
        "AuthConfig members (Exchange Server API)",
        "https://learn.microsoft.com/en-us/previous-versions/office/exchange-server-api/"
        "jj957384(v=exchg.150)",
        "CurrentCertificateThumbprint, PreviousCertificateThumbprint, "
        "NextCertificateThumbprint, NextCertificateEffectiveDate, Realm, ServiceName"),
    "certutil": (
        "certutil",
        "https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/"
        "certutil",
        "certutil -verify -urlfetch builds the chain and fetches AIA/CRL like Schannel"),
    "netsh-winhttp": (
        "Netsh commands for WinHTTP",
        "https://learn.microsoft.com/en-us/windows/win32/winhttp/netsh-exe-commands",
        "netsh winhttp show proxy: the proxy system services use for CRL and AIA fetches"),
    "quoting": (
        "about_Quoting_Rules (PowerShell)",
        "https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/"
        "about/about_quoting_rules",
        "in a single-quoted string a single quote is written twice; double quotes "
        "inside it are literal"),
    "parsing": (
        "about_Parsing (PowerShell)",
        "https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/"
        "about/about_parsing",
        "argument mode: an unquoted space ends an argument, a comma makes an array"),
    "rfc5322-date": (
        "RFC 5322, Internet Message Format, section 3.3: Date and Time Specification",
        "https://www.rfc-editor.org/rfc/rfc5322#section-3.3",
        "a date ends with the zone: +hhmm or -hhmm, the local time's offset from UTC"),
    "kb-12014": (
        "Can't receive mail in a hybrid environment after you install a new certificate "
        "on the server (KB 2989382): event 12014",
        "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/"
        "cannot-receive-mail-with-new-certificate",
        "event 12014: Exchange could not find a certificate containing the domain name; "
        "STARTTLS missing"),
}


def cites(*keys):
    return [{"title": CITES[k][0], "url": CITES[k][1], "supports": CITES[k][2]}
            for k in keys] + [{"title": "certtrail's rule catalog, verdict states, time and absence rules",
                               "url": "testdata/expert/README.md",
                               "supports": "the rules these expectations rest on, as "
                                           "testdata/expert/README.md states them"}]


# ----------------------------------------------------------------- building blocks

class Ctx:
    def __init__(self, outdir, pki, seed):
        self.outdir = outdir
        self.pki = pki
        self.seed = seed
        self.written = []


def server(name, ip, cul=ew.EN_US_PACIFIC, width=120):
    return ew.Server(name, ip, cul, width=width)


def defaults(pki, s, auth, since, auth_services=()):
    """The self-signed default certificate, the org's Auth certificate and the
    WMSvc certificate every Exchange server has (gen_bundles.server_defaults)."""
    for inst in g.server_defaults(pki, s.name, s.fqdn, auth, since):
        if inst.cert is auth:
            inst.services = list(auth_services)
        s.certs.append(inst)
    return s.certs[-3]


def winter_auth(pki):
    """An Auth certificate dated in US standard time (no daylight saving)."""
    return pki.self_signed(g.AUTH_SUBJECT, g.utc(2024, 1, 15, 18, 3, 51),
                           g.utc(2029, 1, 14, 18, 3, 51), [])


WINTER = g.utc(2024, 1, 15, 17, 58, 2)


def sc(name, sources, **kw):
    kw.setdefault("fqdn", "mail.contoso.com")
    return g.SendConnector(name, sources, **kw)


def o365_connector(tls_name=None, logging="Verbose"):
    return sc(O365_CONN, ["EXHUB1"], tls_name=tls_name, smart_hosts=[O365_HOST],
              require_tls=True, tls_auth_level="DomainValidation",
              tls_domain="mail.protection.outlook.com", cloud=True, logging=logging)


def traffic(log, rng, connector, remote, cert, start, end, outcome="ok", shape=3,
            every=(40, 150)):
    t = start
    while t < end:
        log.session(t, connector, remote, cert, "mail.contoso.com", outcome, shape=shape,
                    messages=rng.randint(1, 2))
        t += TD(minutes=rng.randint(*every), seconds=rng.randint(0, 59))


def receive_connectors(s, frontend_tls="", frontend_fqdn="mail.contoso.com",
                       client_fqdn=None):
    """The default Receive connectors of a Mailbox server (Format-List)."""
    fe = gr.receive_connector_props(s.name, FRONTEND % s.name, frontend_fqdn,
                                    auth=("Tls", "Integrated", "BasicAuth",
                                          "BasicAuthRequireTLS", "ExchangeServer"),
                                    tls_name=frontend_tls)
    cl = gr.receive_connector_props(s.name, CLIENT % s.name, client_fqdn or s.fqdn,
                                    auth=("Tls", "Integrated", "BasicAuth",
                                          "BasicAuthRequireTLS"))
    cl = [(k, {"Bindings": "{[::]:587, 0.0.0.0:587}",
               "PermissionGroups": "ExchangeUsers"}.get(k, v)) for k, v in cl]
    hub = gr.receive_connector_props(s.name, "Default %s" % s.name, s.fqdn,
                                     auth=("Tls", "Integrated", "BasicAuth",
                                           "BasicAuthRequireTLS", "ExchangeServer"),
                                     role="HubTransport")
    hub = [(k, {"Bindings": "{[::]:2525, 0.0.0.0:2525}",
                "PermissionGroups": "ExchangeUsers, ExchangeServers, "
                                    "ExchangeLegacyServers"}.get(k, v)) for k, v in hub]
    s.receive = [fe, cl, hub]


def ready_queues(s, when=None):
    s.queue("Submission", "Undefined", "Submission", "Ready", 0, "", None)


def finding_window(first, last):
    """Rows carry milliseconds; findings.json has whole seconds."""
    lo = first.replace(microsecond=0)
    return [g.iso_z(lo), g.iso_z(lo + TD(seconds=1))], \
        [g.iso_z(last.replace(microsecond=0)), g.iso_z(last.replace(microsecond=0) +
                                                       TD(seconds=1))]


def write_scenario(ctx, name, site, exp, check_day_month=None):
    members = site.render()
    untold = ew.scan_untold([(n, d) for n, d, _ in members], site.truth)
    if untold:
        sys.exit("gen_expert: %s holds times its truth does not account for:\n  %s" % (
            name, "\n  ".join(untold[:20])))
    exp = dict(exp)
    exp.setdefault("inputs", [name + ".zip"])
    exp.setdefault("as_of", g.iso_z(AS_OF))
    exp["times"] = site.truth.as_json()
    if exp.pop("expect_servers", True):
        exp["servers"] = site.expected_servers()
    g.write(os.path.join(ctx.outdir, name + ".zip"), g.zip_bytes(members))
    ordered = {"name": name}
    ordered.update(exp)
    g.write_expected(ctx.outdir, name, ordered)
    ctx.written.append(name)


def smtp_fix(server_name, tp, services="IIS,SMTP"):
    return "Enable-ExchangeCertificate -Server %s -Thumbprint %s -Services %s" % (
        server_name, tp, services)


# ----------------------------------------------------------------- time

def s_date_order(ctx, rng):
    """1. A de-DE certificate dump and an en-US queue dump of one Berlin server."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21", ew.DE_DE_BERLIN)
    s.queue_culture = ew.EN_US_BERLIN
    auth = pki.self_signed(g.AUTH_SUBJECT, g.utc(2024, 3, 5, 9, 12, 44),
                           g.utc(2029, 2, 6, 9, 12, 44), [])
    default = defaults(pki, s, auth, g.utc(2024, 3, 12, 8, 2, 17))
    new = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 11, 9, 23, 0, 0),
                    g.utc(2027, 12, 10, 22, 59, 59), MAIL_SANS)
    s.install(new, ["IIS"], "mail.contoso.com DigiCert 2026")
    conn = o365_connector(g.tls_certificate_name(g.DIGICERT_CA, MAIL))
    log = s.logs(rng, 0x08DE3A91C4D70000)
    # An older build: certificate blocks one row per field, without dates.
    traffic(log, rng, O365_CONN, EOP, default.cert, g.utc(2026, 11, 8, 6, 0),
            g.utc(2026, 11, 10, 5, 40), shape=1)
    traffic(log, rng, O365_CONN, EOP, new, g.utc(2026, 11, 10, 6, 12, 9),
            g.utc(2026, 11, 10, 8, 50), outcome="UnknownCredentials", shape=1,
            every=(4, 11))
    ready_queues(s)
    s.queue("3", "SmartHostConnectorDelivery", "outbound to office 365", "Retry", 37,
            g.QUEUE_451, g.utc(2026, 11, 10, 7, 41, 12), connector_guid=QUEUE_GUID,
            retry_count=5)
    site = ew.Site([s], [conn])
    first, last = finding_window(log.first_fail, log.last_fail)
    # The premise: no date in either file has a component above 12, so only the
    # separators and AM/PM tell the order.
    for i in s.certs:
        for t in (i.cert.not_before, i.cert.not_after):
            lt = g.berlin(t)
            assert lt.day <= 12 and lt.month <= 12, "date-order premise: %s" % lt
    for q in s.queues:
        if q["last_retry"]:
            lt = g.berlin(q["last_retry"])
            assert lt.day <= 12 and lt.month <= 12, "date-order premise: %s" % lt
    write_scenario(ctx, "time-date-order-per-file", site, {
        "description": "EXHUB1 (Berlin) dumped its certificates from a de-DE console "
                       "(dd.MM.yyyy HH:mm:ss) and its queues from an en-US console "
                       "(M/d/yyyy h:mm:ss AM); every date in both files has day and "
                       "month at most 12, so only the separators and AM/PM tell the "
                       "order. The queue's LastRetryTime 11/10/2026 8:41:12 AM is "
                       "November 10, local time (the bundle gives no offset: the logs "
                       "are of the older build whose certificate rows carry no dates). "
                       "A certificate imported on November 10 is pinned without SMTP; "
                       "failures start 2026-11-10T06:12:09Z.",
        "cites": cites("date-formats", "x509-local", "protocol-logging", "kb4051498"),
        "verdict_state": "root_cause",
        "rules_present": ["smtp-service-not-enabled"],
        "root_cause_rule": "smtp-service-not-enabled",
        "findings_loose": [{
            "rule": "smtp-service-not-enabled", "severity": "critical",
            "servers": ["EXHUB1"], "connectors": [O365_CONN],
            "thumbprints_include": [new.thumbprint],
            "commands_must": [smtp_fix("EXHUB1", new.thumbprint)],
            "first_seen_between": first, "last_seen_between": [last[0], g.iso_z(AS_OF)],
            "why": "the root cause's first symptom is the first failure of November 10, "
                   "not a month earlier"}],
        "text_must_not": [
            {"where": "any", "contains": "2026-10-11",
             "why": "11/10/2026 (en-US, AM/PM) is November 10; 10.11.2026 (de-DE) too"},
            {"where": "any", "contains": "2026-10-12",
             "why": "no date of either file is October 12"}],
    })


def s_local_vs_utc(ctx, rng, clue):
    """2. Failures begin 14 hours after the certificate's NotBefore; the
    Format-List dump is US Pacific local time (UTC-8 in November)."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    default = defaults(pki, s, auth, WINTER)
    new = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 11, 9, 2, 0, 0),
                    g.utc(2027, 12, 9, 1, 59, 59), MAIL_SANS)
    s.install(new, ["IIS"], "mail.contoso.com DigiCert 2026")
    conn = o365_connector(g.tls_certificate_name(g.DIGICERT_CA, MAIL))
    shape = 3 if clue == "log" else 1
    log = s.logs(rng, 0x08DE3A91C4D70000)
    if clue == "banner":
        # Scanners on port 587 refused for want of authentication: sessions
        # that show no certificate, only this server's own 220 banner.
        receive_connectors(s)
        rl = s.receive_log(rng)
        t = g.utc(2026, 11, 9, 13, 0)
        while t < g.utc(2026, 11, 10, 8, 40):
            rl.client_refused(t, "EXHUB1\\" + CLIENT % "EXHUB1", "10.0.7.31",
                              "MFP-3FL-01", "scanner@contoso.com")
            t += TD(minutes=rng.randint(30, 90))
    traffic(log, rng, O365_CONN, EOP, default.cert, g.utc(2026, 11, 7, 8, 0),
            g.utc(2026, 11, 9, 15, 30), shape=shape)
    traffic(log, rng, O365_CONN, EOP, new, g.utc(2026, 11, 9, 16, 0, 4),
            g.utc(2026, 11, 10, 8, 50), outcome="UnknownCredentials", shape=shape,
            every=(6, 20))
    s.clixml_certs = clue == "clixml"
    ready_queues(s)
    s.queue("3", "SmartHostConnectorDelivery", "outbound to office 365", "Retry", 52,
            g.QUEUE_451, g.utc(2026, 11, 10, 8, 41, 12), connector_guid=QUEUE_GUID,
            retry_count=22)
    site = ew.Site([s], [conn])
    first, last = finding_window(log.first_fail, log.last_fail)
    name = {"log": "time-local-vs-utc-log-clue", "clixml": "time-local-vs-utc-clixml-clue",
            "none": "time-local-vs-utc-no-clue",
            "banner": "time-local-vs-utc-banner-clue"}[clue]
    how = {"log": "the log's one-row 'Sending certificate' blocks carry NotBefore and "
                  "NotAfter in UTC",
           "clixml": "EXHUB1_ExchangeCertificate.xml (Export-Clixml) carries each "
                     "certificate's DER (RawData), dates in UTC",
           "none": "nothing in the bundle gives the offset: the logs are of the older "
                   "build (no dates in certificate rows) and there is no CliXml",
           "banner": "the Send log's certificate rows carry no dates and there is no "
                     "CliXml, but EXHUB1's Receive log holds its own 220 banners, "
                     "'ready at Mon, 9 Nov 2026 05:00:01 -0800': its clock written with "
                     "its offset (RFC 5322 date)"}[clue]
    exp = {
        "description": "EXHUB1 runs on US Pacific time (UTC-8 in November). Its "
                       "certificate dump (Format-List) shows the new certificate's "
                       "NotBefore as 11/8/2026 6:00:00 PM local, which is "
                       "2026-11-09T02:00:00Z; the failures start at 2026-11-09T16:00Z, "
                       "14 hours later (read as UTC, the local time would make it 22). "
                       + how + ".",
        "cites": cites("x509-local", "protocol-logging", "date-formats", "kb4051498",
                       *(("rfc5322-date",) if clue == "banner" else ())),
        "verdict_state": "root_cause",
        "rules_present": ["smtp-service-not-enabled"],
        "root_cause_rule": "smtp-service-not-enabled",
        "findings_loose": [{
            "rule": "smtp-service-not-enabled", "severity": "critical",
            "servers": ["EXHUB1"], "thumbprints_include": [new.thumbprint],
            "first_seen_between": first, "last_seen_between": [last[0], g.iso_z(AS_OF)]}],
        "text_must_not": [
            {"where": "any", "contains": "22 hours after",
             "why": "the local NotBefore subtracted from a UTC failure time as if both "
                    "were UTC"}],
    }
    if clue == "none":
        exp["text_must_not"].append({
            "where": "any", "regex": r"(?i)\b\d+ (hours?|days?|minutes?) after\b[^.]{0,80}"
                                     r"NotBefore",
            "why": "without the offset no sentence may compute the time between a local "
                   "NotBefore and a UTC failure"})
    write_scenario(ctx, name, site, exp)


def s_before_notbefore(ctx, rng):
    """3. The log shows a certificate sent hours before its own NotBefore."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    default = defaults(pki, s, auth, WINTER)
    new = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 11, 9, 12, 0, 0),
                    g.utc(2027, 12, 9, 11, 59, 59), MAIL_SANS)
    s.install(new, ["IIS"], "mail.contoso.com DigiCert 2026")
    conn = o365_connector(g.tls_certificate_name(g.DIGICERT_CA, MAIL))
    log = s.logs(rng, 0x08DE3A91C4D70000)
    traffic(log, rng, O365_CONN, EOP, default.cert, g.utc(2026, 11, 7, 8, 0),
            g.utc(2026, 11, 9, 3, 30))
    traffic(log, rng, O365_CONN, EOP, new, g.utc(2026, 11, 9, 4, 0, 2),
            g.utc(2026, 11, 10, 8, 50), outcome="UnknownCredentials", every=(8, 25))
    ready_queues(s)
    s.queue("3", "SmartHostConnectorDelivery", "outbound to office 365", "Retry", 61,
            g.QUEUE_451, g.utc(2026, 11, 10, 8, 41, 12), connector_guid=QUEUE_GUID,
            retry_count=27)
    site = ew.Site([s], [conn])
    write_scenario(ctx, "time-presented-before-notbefore", site, {
        "description": "From 2026-11-09T04:00Z the Send log shows EXHUB1 sending a "
                       "certificate whose NotBefore, in the same one-row block, is "
                       "2026-11-09T12:00:00Z: eight hours before it was valid. A server "
                       "does not present a certificate before it is valid by its own "
                       "clock, so a clock or time zone is off; no onset conclusion may "
                       "be drawn from NotBefore. The failures themselves are real.",
        "cites": cites("protocol-logging", "x509-local", "kb4051498"),
        "rules_present": ["smtp-service-not-enabled"],
        "text_must": [{"where": "json", "contains_any": ["clock", "time zone"],
                       "nocase": True,
                       "why": "rule catalog: a certificate presented before its NotBefore "
                              "means a clock or time zone is off: say so"}],
        "text_must_not": [
            {"where": "any", "regex": r"(?i)\b\d+ (hours?|days?|minutes?) after\b[^.]{0,80}"
                                      r"NotBefore",
             "why": "no onset conclusion from a NotBefore the failures precede"},
            {"where": "any", "contains": "newly imported", "nocase": True,
             "why": "an onset conclusion"}],
    })


def s_resolved(ctx, rng, repinned, stale_export=False):
    """4. Two days of UnknownCredentials, then the fix, then days of success.
    stale_export: the same certificate succeeds after the fix, but the
    certificate export still lists it without SMTP (taken before the fix)."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    default = defaults(pki, s, auth, WINTER)
    bad = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 10, 30, 0, 0, 0),
                    g.utc(2027, 11, 29, 23, 59, 59), MAIL_SANS)
    fail_start, fail_end = g.utc(2026, 11, 1, 10, 0, 3), g.utc(2026, 11, 3, 10, 0)
    log = s.logs(rng, 0x08DE3A91C4D70000)
    traffic(log, rng, O365_CONN, EOP, default.cert, g.utc(2026, 10, 29, 8, 0),
            g.utc(2026, 11, 1, 9, 40))
    traffic(log, rng, O365_CONN, EOP, bad, fail_start, fail_end,
            outcome="UnknownCredentials", every=(10, 30))
    if repinned:
        good_subject = [("CN", "smtp.contoso.com"), ("O", "Contoso"), ("L", "Redmond"),
                        ("S", "Washington"), ("C", "US")]
        good = pki.issue(pki.digicert_ca, good_subject, g.utc(2026, 9, 1),
                         g.utc(2027, 9, 30, 23, 59, 59), ["smtp.contoso.com"])
        s.install(bad, ["IIS"], "mail.contoso.com DigiCert 2026")
        s.install(good, ["IIS", "SMTP"], "smtp.contoso.com")
        conn = o365_connector(g.tls_certificate_name(g.DIGICERT_CA, good_subject))
        after = good
    else:
        s.install(bad, ["IIS"] if stale_export else ["IIS", "SMTP"],
                  "mail.contoso.com DigiCert 2026")
        conn = o365_connector(g.tls_certificate_name(g.DIGICERT_CA, MAIL))
        after = bad
    traffic(log, rng, O365_CONN, EOP, after, g.utc(2026, 11, 3, 10, 31),
            g.utc(2026, 11, 10, 8, 40))
    ready_queues(s)
    s.queue("3", "SmartHostConnectorDelivery", "outbound to office 365", "Ready", 0, "",
            None, connector_guid=QUEUE_GUID)
    site = ew.Site([s], [conn])
    first, last = finding_window(log.first_fail, log.last_fail)
    name = ("resolved-repinned" if repinned else "resolved-export-stale" if stale_export
            else "resolved-smtp-enabled")
    fix = ("the connector was re-pinned to smtp.contoso.com (%s, IIS and SMTP); the "
           "certificate that failed is no longer pinned or sent" % after.thumbprint
           if repinned else "the same certificate succeeds, though the certificate export "
           "still lists IIS only: the logs show transport using it after the export's "
           "word, so the export, not the logs, is in doubt" if stale_export else
           "SMTP was enabled on the certificate (the inventory now shows IIS, SMTP) and "
           "the same certificate succeeds")
    stale = {
        "text_must": [{"where": "json", "contains": "without SMTP",
                       "why": "the finding must say the export contradicts the successes, "
                              "so the engineer reads the services again"}],
    } if stale_export else {}
    write_scenario(ctx, name, site, dict(stale, **{
        "description": "From 2026-11-01T10:00Z to 2026-11-03T10:00Z every session on "
                       "Outbound to Office 365 failed with UnknownCredentials; then " + fix +
                       " for seven days up to collection. The queue is Ready and empty. "
                       "The incident is over: verdict resolved, with its window.",
        "cites": cites("kb4051498", "enable-cert", "protocol-logging", "get-queue"),
        "verdict_state": "resolved",
        "verdict_text_must": ["2026-11-01", "2026-11-03"],
        "finding_status": {"smtp-service-not-enabled|tls-handshake-failures": "resolved"},
        "findings_loose": [{
            "rule_any": ["smtp-service-not-enabled", "tls-handshake-failures"],
            "status": "resolved", "servers": ["EXHUB1"], "connectors": [O365_CONN],
            "thumbprints_include": [bad.thumbprint],
            "first_seen_between": first, "last_seen_between": last,
            "why": "a resolved finding keeps the window of its symptoms"}],
        "no_active_at_or_above": "medium",
        "commands_must_not": ["Enable-ExchangeCertificate", "Retry-Queue"],
        "text_must_not": [{"where": "any", "contains": "Root cause found",
                           "why": "an incident that ended is not a current root cause"}],
    }))


# ----------------------------------------------------------------- absence

def o365_failing_site(ctx, rng):
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    default = defaults(pki, s, auth, WINTER)
    new = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 11, 3, 0, 0, 0),
                    g.utc(2027, 12, 2, 23, 59, 59), MAIL_SANS)
    s.install(new, ["IIS"], "mail.contoso.com DigiCert 2026")
    conn = o365_connector(g.tls_certificate_name(g.DIGICERT_CA, MAIL))
    log = s.logs(rng, 0x08DE3A91C4D70000)
    traffic(log, rng, O365_CONN, EOP, default.cert, g.utc(2026, 11, 1, 7, 0),
            g.utc(2026, 11, 3, 13, 40))
    traffic(log, rng, O365_CONN, EOP, new, g.utc(2026, 11, 3, 14, 12, 9),
            g.utc(2026, 11, 10, 8, 45), outcome="UnknownCredentials", every=(30, 90))
    return s, conn, new, log


QUEUES_UNKNOWN = [
    {"where": "any", "contains": "0 queues", "nocase": True,
     "why": "no queue was collected: the count is unknown"},
    {"where": "any", "contains": "No message is waiting", "nocase": True,
     "why": "unknown, not none"},
    {"where": "any", "contains": "no messages are waiting", "nocase": True,
     "why": "unknown, not none"},
    {"where": "any", "regex": r"(?i)\b0 (queued )?messages? (wait|are queued|queued|in retry)",
     "why": "unknown, not 0 (a sentence, or a tile's figure before its label)"}]
LOGS_UNKNOWN = [
    {"where": "any", "regex": r"(?i)\b0 (failed )?(TLS )?handshakes",
     "why": "no protocol log was collected: how many handshakes failed is unknown"}]


def s_no_queues(ctx, rng):
    """5. Certificates, connectors and logs, but no Get-Queue output."""
    s, conn, new, log = o365_failing_site(ctx, rng)
    s.with_queues = False
    site = ew.Site([s], [conn])
    write_scenario(ctx, "absence-no-queues-collected", site, {
        "description": "The smtp-not-enabled case without Get-Queue output: how many "
                       "messages wait is unknown, never 0.",
        "cites": cites("get-queue", "kb4051498"),
        "verdict_state": "root_cause",
        "rules_present": ["smtp-service-not-enabled"],
        "root_cause_rule": "smtp-service-not-enabled",
        "gaps_must": ["Get-Queue"],
        "json_counts_not_zero": ["queue"],
        "text_must_not": QUEUES_UNKNOWN,
    })


def s_one_server_sends(ctx, rng):
    """The renewed certificate was imported on EXHUB1 and EXHUB2 for IIS only,
    and the Send connector to Office 365, sourced on both, pins it. Only
    EXHUB1's Send log shows the certificate sent and the handshakes failing:
    in the logs' window EXHUB2 sent nothing to Office 365 (the connector's
    traffic went through EXHUB1), only mail to a partner, with its own
    certificate, every session of it successful."""
    pki = ctx.pki
    s1 = server("EXHUB1", "10.0.1.21")
    s2 = server("EXHUB2", "10.0.1.22")
    auth = winter_auth(pki)
    d1 = defaults(pki, s1, auth, WINTER)
    d2 = defaults(pki, s2, auth, WINTER)
    new = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 11, 3, 0, 0, 0),
                    g.utc(2027, 12, 2, 23, 59, 59), MAIL_SANS)
    s1.install(new, ["IIS"], "mail.contoso.com DigiCert 2026")
    s2.install(new, ["IIS"], "mail.contoso.com DigiCert 2026")
    conn = o365_connector(g.tls_certificate_name(g.DIGICERT_CA, MAIL))
    conn.source_servers = ["EXHUB1", "EXHUB2"]
    partners = sc("Outbound to Partners", ["EXHUB2"],
                  address_spaces=["SMTP:fabrikam.com;1"])
    log1 = s1.logs(rng, 0x08DE3A91C4D70000)
    traffic(log1, rng, O365_CONN, EOP, d1.cert, g.utc(2026, 11, 1, 7, 0),
            g.utc(2026, 11, 3, 13, 40))
    traffic(log1, rng, O365_CONN, EOP, new, g.utc(2026, 11, 3, 14, 12, 9),
            g.utc(2026, 11, 10, 8, 45), outcome="UnknownCredentials", every=(30, 90))
    log2 = s2.logs(rng, 0x08DE3A91C5E80000)
    traffic(log2, rng, partners.name, PARTNER, d2.cert, g.utc(2026, 11, 1, 7, 0),
            g.utc(2026, 11, 10, 8, 40), every=(120, 300))
    ready_queues(s1)
    ready_queues(s2)
    site = ew.Site([s1, s2], [conn, partners])
    write_scenario(ctx, "judgment-one-of-two-holders-sends", site, {
        "description": "The certificate lacking SMTP is on EXHUB1 and EXHUB2 and pinned "
                       "by a connector sourced on both, but only EXHUB1's log shows it "
                       "sent and the handshakes failing. A finding names what the "
                       "evidence shows: EXHUB1 sent it; nothing shows EXHUB2 did.",
        "cites": cites("kb4051498", "enable-cert", "protocol-logging"),
        "verdict_state": "root_cause",
        "rules_present": ["smtp-service-not-enabled"],
        "root_cause_rule": "smtp-service-not-enabled",
        "commands_must": [smtp_fix("EXHUB1", new.thumbprint)],
        "text_must": [
            {"where": "json", "contains": "EXHUB1 sent certificate",
             "why": "EXHUB1's Send log shows the certificate sent before each failure"}],
        "text_must_not": [
            {"where": "any", "regex": r"EXHUB1 and EXHUB2 sent",
             "why": "EXHUB2's log never shows the certificate sent"},
            {"where": "any", "regex": r"EXHUB2 sent certificate",
             "why": "EXHUB2's log never shows the certificate sent"},
            {"where": "any", "regex": r"(?i)TLS fails on EXHUB1 and EXHUB2",
             "why": "every TLS handshake of EXHUB2 succeeded"},
            {"where": "any", "regex": r"TLS fails because [^.]* on EXHUB1 and EXHUB2\.",
             "why": "a headline that TLS fails on both servers, without saying that the "
                    "failures are on EXHUB1 only"}],
    })


def s_certs_only(ctx, rng):
    """6. Only Get-ExchangeCertificate: nothing that could show a failure."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 3, 1), g.utc(2027, 3, 1, 23, 59, 59),
                     MAIL_SANS)
    s.install(mail, ["IMAP", "POP", "IIS", "SMTP"], "mail.contoso.com 2026")
    site = ew.Site([s])
    write_scenario(ctx, "absence-certs-only", site, {
        "description": "A healthy Get-ExchangeCertificate dump and nothing else: no logs, "
                       "queues or events, so mail flow was not judged.",
        "cites": cites("protocol-logging", "get-queue"),
        "verdict_state": "not_judged",
        "no_severity_at_or_above": "medium",
        "verdict_text_must": ["not judged"],
        "text_must": [{"where": "stdout", "contains_any": ["Get-Queue", "protocol log",
                                                          "SmtpSend", "Send connector logs"],
                       "nocase": True, "why": "says what to collect"}],
        "gaps_must": ["Get-Queue"],
        "json_counts_not_zero": ["queue", "handshake", "tls_failed", "tls_ok"],
        "text_must_not": [{"where": "any", "contains": "No problem found",
                           "why": "nothing in the bundle could show a failure"}]
        + QUEUES_UNKNOWN + LOGS_UNKNOWN,
    })


def s_finding_without_symptom(ctx, rng):
    """7. A pin without SMTP on a connector that has sent nothing yet."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    default = defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 11, 5), g.utc(2027, 12, 4, 23, 59, 59),
                     MAIL_SANS)
    s.install(mail, ["IIS"], "mail.contoso.com DigiCert 2026")
    partners = sc("Outbound to Partners", ["EXHUB1"],
                  tls_name=g.tls_certificate_name(g.DIGICERT_CA, MAIL),
                  address_spaces=["SMTP:fabrikam.com;1"], require_tls=True,
                  tls_auth_level="CertificateValidation")
    # Its FQDN is the server's own name, which the default certificate covers.
    internet = sc("Internet", ["EXHUB1"], address_spaces=["SMTP:*;2"], fqdn="")
    log = s.logs(rng, 0x08DE3A91C4D70000)
    traffic(log, rng, "Internet", INTERNET, default.cert, g.utc(2026, 11, 7, 8, 0),
            g.utc(2026, 11, 10, 8, 40))
    ready_queues(s)
    s.queue("9", "DnsConnectorDelivery", "adatum.com", "Ready", 0, "", None)
    site = ew.Site([s], [partners, internet])
    write_scenario(ctx, "absence-finding-without-symptom", site, {
        "description": "Outbound to Partners pins a certificate without SMTP but has "
                       "sent nothing yet; the logs show the Internet connector "
                       "succeeding. A configuration problem with no symptom: problems "
                       "found, never a root cause.",
        "cites": cites("kb4051498", "set-send", "protocol-logging"),
        "verdict_state": "problems",
        "root_cause_null": True,
        "rules_present": ["smtp-service-not-enabled"],
        "findings_loose": [{
            "rule": "smtp-service-not-enabled", "severity": "medium",
            "servers": ["EXHUB1"], "connectors": ["Outbound to Partners"],
            "thumbprints_include": [mail.thumbprint],
            "commands_must": [smtp_fix("EXHUB1", mail.thumbprint)],
            "why": "rule catalog: medium when only the configuration shows it"}],
        "commands_must_not": ["Retry-Queue"],
    })


# ----------------------------------------------------------------- judgment

def renewal_site(ctx, rng, new_services):
    pki = ctx.pki
    auth = winter_auth(pki)
    old = pki.issue(pki.digicert_ca, MAIL, g.utc(2025, 11, 25), g.utc(2026, 11, 25, 23, 59, 59),
                    MAIL_SANS)
    new = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 11, 2), g.utc(2027, 11, 25, 23, 59, 59),
                    MAIL_SANS)
    servers = []
    for n, (name, ip) in enumerate((("EXHUB1", "10.0.1.21"), ("EXHUB2", "10.0.1.22"))):
        s = server(name, ip)
        defaults(pki, s, auth, WINTER)
        s.install(old, ["IMAP", "POP", "IIS", "SMTP"], "mail.contoso.com 2025")
        s.install(new, new_services, "mail.contoso.com 2026")
        log = s.logs(rng, 0x08DE3A91C4D70000 + n * 0x10000000)
        traffic(log, rng, "Internet", INTERNET, old, g.utc(2026, 11, 1, 8, 0),
                g.utc(2026, 11, 3, 9, 0))
        traffic(log, rng, "Internet", INTERNET, new, g.utc(2026, 11, 3, 9, 40),
                g.utc(2026, 11, 10, 8, 40))
        ready_queues(s)
        s.queue("4", "DnsConnectorDelivery", "adatum.com", "Ready", 0, "", None)
        servers.append(s)
    internet = sc("Internet", ["EXHUB1", "EXHUB2"], address_spaces=["SMTP:*;1"])
    return ew.Site(servers, [internet]), old, new


def s_successor_lacks(ctx, rng):
    """8. The renewal on both servers lacks IMAP and POP."""
    site, old, new = renewal_site(ctx, rng, ["IIS", "SMTP"])
    tp = new.thumbprint
    groups = []
    for srv in ("EXHUB1", "EXHUB2"):
        groups.append({"any_of": [smtp_fix(srv, tp, "IMAP,POP"),
                                  smtp_fix(srv, tp, "IMAP,POP,IIS,SMTP"),
                                  smtp_fix(srv, tp, "IMAP,POP,IIS"),
                                  smtp_fix(srv, tp, "IMAP,POP,SMTP")],
                       "why": "enable the missing services on the successor, on " + srv})
    write_scenario(ctx, "judgment-renewal-successor-lacks-imap-pop", site, {
        "description": "mail.contoso.com (IMAP, POP, IIS, SMTP) expires on 2026-11-25 on "
                       "EXHUB1 and EXHUB2; its renewal (same issuer, subject and SANs, "
                       "NotAfter 2027-11-25) is installed on both with IIS, SMTP only and "
                       "is already sent in the logs. There is a successor: it lacks IMAP "
                       "and POP.",
        "cites": cites("assign-services", "renew-certs", "enable-cert"),
        "max_findings": {"cert-expiring": 1},
        "max_severity": {"cert-expiring": "medium"},
        "rules_present": ["cert-expiring"],
        "rules_absent": ["tls-cert-name-ambiguous"],
        "findings_loose": [{
            "rule": "cert-expiring", "servers": ["EXHUB1", "EXHUB2"],
            "thumbprints_include": [old.thumbprint, tp],
            "text_must": [tp, "IMAP", "POP"],
            "text_must_not": ["no successor"],
            "why": "rule catalog, cert-expiring: a successor short of services is named with "
                   "the services it lacks, at most medium"}],
        "commands_any_of": groups,
        "commands_must_not": ["-GenerateRequest"],
        "text_must_not": [{"where": "any", "contains": "no successor", "nocase": True,
                           "why": "the successor is installed"}],
        "verdict_not": ["root_cause", "clear"],
    })


def receive_pin_site(ctx, rng, failing):
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    default = defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 11, 7), g.utc(2027, 12, 6, 23, 59, 59),
                     MAIL_SANS)
    s.install(mail, ["IIS"], "mail.contoso.com DigiCert 2026")
    receive_connectors(s, frontend_tls=g.tls_certificate_name(g.DIGICERT_CA, MAIL))
    internet = sc("Internet", ["EXHUB1"], address_spaces=["SMTP:*;1"], fqdn="")
    log = s.logs(rng, 0x08DE3A91C4D70000)
    traffic(log, rng, "Internet", INTERNET, default.cert, g.utc(2026, 11, 7, 8, 0),
            g.utc(2026, 11, 10, 8, 40))
    ready_queues(s)
    s.queue("4", "DnsConnectorDelivery", "adatum.com", "Ready", 0, "", None)
    window = None
    if failing:
        rl = s.receive_log(rng)
        conn = "EXHUB1\\" + FRONTEND % "EXHUB1"
        t = g.utc(2026, 11, 6, 8, 0)
        while t < g.utc(2026, 11, 8, 9, 0):
            rl.tls_success(t, conn, "198.51.100.%d" % rng.randint(20, 60), default.cert)
            t += TD(minutes=rng.randint(30, 90))
        span = (g.utc(2026, 11, 10, 8, 30) - g.utc(2026, 11, 8, 10, 0)).total_seconds()
        times = sorted(g.utc(2026, 11, 8, 10, 0) + TD(seconds=rng.uniform(0, span))
                       for _ in range(182))
        fails = []
        for tm in times:
            fails.append(rl.tls_failure(tm, conn, "198.51.100.%d" % rng.randint(20, 60),
                                        mail))
        window = (min(fails), max(fails))
    return ew.Site([s], [internet]), mail, window


def s_receive_pin(ctx, rng, failing):
    """9. A Receive connector pins a certificate without SMTP."""
    site, mail, window = receive_pin_site(ctx, rng, failing)
    rc = "EXHUB1\\" + FRONTEND % "EXHUB1"
    common = {
        "cites": cites("kb2989382", "set-receive", "enable-cert", "receive-connectors"),
        "rules_present": ["smtp-service-not-enabled"],
        "commands_must_not_regex": [
            {"regex": r"Set-SendConnector[^|;]*Default Frontend",
             "why": "a Receive connector is changed with Set-ReceiveConnector"}],
    }
    f = {"rule": "smtp-service-not-enabled", "servers": ["EXHUB1"], "connectors": [rc],
         "thumbprints_include": [mail.thumbprint],
         "commands_must": [smtp_fix("EXHUB1", mail.thumbprint)],
         "text_must_any": [["inbound", "receiv"]],
         "text_must_not": ["Outbound TLS", "outbound TLS"],
         "nocase": True}
    if not failing:
        f.update(severity="medium")
        f["commands_must"] = f["commands_must"] + ["Set-ReceiveConnector"]
        common.update({
            "description": "EXHUB1's Default Frontend Receive connector pins (TlsCertificateName) "
                           "a certificate enabled for IIS only; no receive logs: configuration "
                           "only, so medium, an inbound problem, fixed on the Receive connector "
                           "or by enabling SMTP.",
            "verdict_state": "problems", "root_cause_null": True,
            "findings_loose": [f]})
        return write_scenario(ctx, "judgment-receive-pin-config-only", site, common)
    first, last = finding_window(*window)
    f.update(severity="critical", text_must=["182"], first_seen_between=first,
             last_seen_between=last)
    common.update({
        "description": "As the configuration-only case, with 182 inbound sessions in the "
                       "Receive log failing with UnknownCredentials right after EXHUB1 "
                       "sends the pinned certificate: the root cause.",
        "verdict_state": "root_cause", "root_cause_rule": "smtp-service-not-enabled",
        "findings_loose": [f],
        "commands_must_not": ["Retry-Queue"]})
    write_scenario(ctx, "judgment-receive-pin-failing", site, common)


def s_auth_expired(ctx, rng, services):
    """10. The Exchange Server Auth Certificate expired."""
    pki = ctx.pki
    auth = pki.self_signed(g.AUTH_SUBJECT, g.utc(2021, 9, 14, 18, 3, 51),
                           g.utc(2026, 9, 14, 18, 3, 51), [])
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 3, 1), g.utc(2027, 3, 1, 23, 59, 59),
                     MAIL_SANS)
    servers = []
    hybrid = services == []
    for n, (name, ip) in enumerate((("EXHUB1", "10.0.1.21"), ("EXHUB2", "10.0.1.22"))):
        s = server(name, ip)
        defaults(pki, s, auth, WINTER, auth_services=services)
        for i in s.certs:
            if i.cert is auth:
                i.status = "DateInvalid"
        s.install(mail, ["IMAP", "POP", "IIS", "SMTP"], "mail.contoso.com 2026")
        log = s.logs(rng, 0x08DE3A91C4D70000 + n * 0x10000000)
        conn = O365_CONN if hybrid else "Internet"
        traffic(log, rng, conn, EOP if hybrid else INTERNET, mail,
                g.utc(2026, 11, 7, 8, 0), g.utc(2026, 11, 10, 8, 40))
        ready_queues(s)
        servers.append(s)
    servers[0].auth_config = {"current": auth.thumbprint,
                              "when_changed": g.utc(2021, 9, 14, 18, 5, 12),
                              "when_created": g.utc(2021, 9, 14, 18, 5, 12)}
    if hybrid:
        conns = [sc(O365_CONN, ["EXHUB1", "EXHUB2"], smart_hosts=[O365_HOST],
                    require_tls=True, tls_auth_level="DomainValidation",
                    tls_domain="mail.protection.outlook.com", cloud=True)]
    else:
        conns = [sc("Internet", ["EXHUB1", "EXHUB2"], address_spaces=["SMTP:*;1"])]
    site = ew.Site(servers, conns)
    tp = auth.thumbprint
    f = {"rule": "auth-certificate", "servers": ["EXHUB1", "EXHUB2"],
         "thumbprints_include": [tp],
         "text_must_any": [["answer n", "answer no", "type n", "choose no", "select no",
                            "answer 'n'", "answer \"n\""]],
         "text_must_not": ["refuse TLS", "reject TLS", "rejecting TLS", "partners refuse"],
         "nocase": True,
         "why": "rule catalog, auth-certificate: Microsoft's documented renewal, judged "
                "whatever its Services show, never an SMTP TLS certificate"}
    if hybrid:
        f["text_must_any"].append(["Hybrid Configuration Wizard", "HCW"])
    name = "judgment-auth-cert-expired-" + ("services-none" if hybrid else "services-smtp")
    write_scenario(ctx, name, site, {
        "description": "The Exchange Server Auth Certificate (%s, Services %s) expired on "
                       "2026-09-14; Get-AuthConfig names it as CurrentCertificateThumbprint "
                       "with no next certificate. %s" % (
                           tp, "None" if hybrid else "SMTP",
                           "The organization is hybrid (a connector to Exchange Online)."
                           if hybrid else "No hybrid connector."),
        "cites": cites("maintain-oauth", "oauth-expired", "monitor-auth", "set-authconfig",
                       "authconfig-members", "kb4051498"),
        "needs": ["Get-AuthConfig reader"],
        "expect_servers": False,
        "verdict_state": "root_cause",
        "rules_present": ["auth-certificate"],
        "rules_absent": ["cert-expired"],
        "root_cause_rule": "auth-certificate",
        "findings_loose": [f],
        "commands_with_all": [
            {"parts": ["New-ExchangeCertificate", "-KeySize 2048", "-PrivateKeyExportable $true",
                       "-SubjectName", "cn=Microsoft Exchange Server Auth Certificate",
                       "-DomainName @()", "-Services SMTP"],
             "why": "the documented New-ExchangeCertificate for the Auth certificate"},
            {"parts": ["Set-AuthConfig", "-NewCertificateThumbprint",
                       "-NewCertificateEffectiveDate"], "why": "set it as the next one"},
            {"parts": ["Set-AuthConfig", "-PublishCertificate"], "why": "publish it"},
            {"parts": ["Set-AuthConfig", "-ClearPreviousCertificate"],
             "why": "clear the previous one"},
            {"parts": ["Restart-WebAppPool", "MSExchangeOWAAppPool"], "why": "OWA pool"},
            {"parts": ["Restart-WebAppPool", "MSExchangeECPAppPool"], "why": "ECP pool"}],
        "commands_must_not": ["<new thumbprint>", "<ThumbprintFromStep1>", "<TP>"],
        "commands_must_not_regex": [
            {"regex": r"Remove-ExchangeCertificate\b[^|;]*" + tp,
             "why": "never remove the current Auth certificate"}],
    })


def auth_site(ctx, rng, current, extra, auth_config, extra_on=("EXHUB1", "EXHUB2")):
    """EXHUB1 and EXHUB2 (Pacific, en-US) with the Auth certificate current,
    another Auth certificate extra on the servers extra_on, a healthy mail
    certificate sending to the Internet, and Get-AuthConfig on EXHUB1."""
    pki = ctx.pki
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 3, 1), g.utc(2027, 3, 1, 23, 59, 59),
                     MAIL_SANS)
    servers = []
    for n, (name, ip) in enumerate((("EXHUB1", "10.0.1.21"), ("EXHUB2", "10.0.1.22"))):
        s = server(name, ip)
        defaults(pki, s, current, WINTER, auth_services=["SMTP"])
        if name in extra_on:
            s.install(extra, [], "Microsoft Exchange Server Auth Certificate")
        s.install(mail, ["IMAP", "POP", "IIS", "SMTP"], "mail.contoso.com 2026")
        log = s.logs(rng, 0x08DE3A91C4D70000 + n * 0x10000000)
        traffic(log, rng, "Internet", INTERNET, mail, g.utc(2026, 11, 7, 8, 0),
                g.utc(2026, 11, 10, 8, 40))
        ready_queues(s)
        servers.append(s)
    servers[0].auth_config = auth_config
    conns = [sc("Internet", ["EXHUB1", "EXHUB2"], address_spaces=["SMTP:*;1"])]
    return ew.Site(servers, conns)


def s_auth_next_late(ctx, rng):
    """The next Auth certificate takes effect after the current one expires."""
    pki = ctx.pki
    current = pki.self_signed(g.AUTH_SUBJECT, g.utc(2021, 11, 25, 18, 3, 51),
                              g.utc(2026, 11, 25, 18, 3, 51), [])
    nxt = pki.self_signed(g.AUTH_SUBJECT, g.utc(2026, 11, 2, 17, 40, 0),
                          g.utc(2031, 11, 2, 17, 40, 0), [])
    # Midnight of December 9 on the servers' clock (UTC-8 in winter).
    site = auth_site(ctx, rng, current, nxt, {
        "current": current.thumbprint, "next": nxt.thumbprint,
        "next_date": g.utc(2026, 12, 9, 8, 0, 0),
        "when_changed": g.utc(2026, 11, 2, 17, 45, 12),
        "when_created": g.utc(2021, 11, 25, 18, 5, 12)})
    write_scenario(ctx, "judgment-auth-next-effective-too-late", site, {
        "description": "Get-AuthConfig names %s as NextCertificateThumbprint (installed on "
                       "EXHUB1 and EXHUB2) with NextCertificateEffectiveDate 12/9/2026 "
                       "12:00:00 AM (server local time, UTC-8), but the current Auth "
                       "certificate %s expires 2026-11-25 18:03:51 UTC: for two weeks no "
                       "valid Auth certificate is current." % (nxt.thumbprint,
                                                                current.thumbprint),
        "cites": cites("maintain-oauth", "oauth-expired", "set-authconfig",
                       "authconfig-members"),
        "needs": ["Get-AuthConfig reader"],
        "expect_servers": False,
        "verdict_state": "problems",
        "root_cause_null": True,
        "rules_present": ["auth-certificate"],
        "rules_absent": ["cert-expiring", "cert-expired"],
        "findings_loose": [{
            "rule": "auth-certificate", "severity": "high",
            "thumbprints_include": [current.thumbprint, nxt.thumbprint],
            "text_must": [nxt.thumbprint, current.thumbprint, "2026-12-09"],
            "why": "Set-AuthConfig: the next certificate becomes current on its effective "
                   "date; until then the expired current one signs tokens (KB 2617816: "
                   "OWA and EAC sign-in fail), 15 days away"}],
        "commands_with_all": [
            {"parts": ["Set-AuthConfig", "-NewCertificateThumbprint", nxt.thumbprint,
                       "-NewCertificateEffectiveDate", "(Get-Date)"],
             "why": "bring the next certificate's effective date forward to now"},
            {"parts": ["Set-AuthConfig", "-PublishCertificate"], "why": "publish it"},
            {"parts": ["Restart-Service", "MSExchangeServiceHost"],
             "why": "KB 2617816 restarts the Microsoft Exchange Service Host service"},
            {"parts": ["Restart-WebAppPool", "MSExchangeOWAAppPool"], "why": "OWA pool"}],
        "commands_must_not": ["New-ExchangeCertificate", "<new thumbprint>",
                              "<ThumbprintFromStep1>"],
        "commands_must_not_regex": [
            {"regex": r"Remove-ExchangeCertificate\b[^|;]*" + current.thumbprint,
             "why": "never remove the current Auth certificate"}],
    })


def s_auth_renewed_unused(ctx, rng):
    """A newer Auth certificate is installed; Get-AuthConfig does not name it."""
    pki = ctx.pki
    current = pki.self_signed(g.AUTH_SUBJECT, g.utc(2021, 9, 14, 18, 3, 51),
                              g.utc(2026, 9, 14, 18, 3, 51), [])
    new = pki.self_signed(g.AUTH_SUBJECT, g.utc(2026, 11, 2, 17, 40, 0),
                          g.utc(2031, 11, 2, 17, 40, 0), [])
    site = auth_site(ctx, rng, current, new, {
        "current": current.thumbprint,
        "when_changed": g.utc(2021, 9, 14, 18, 5, 12),
        "when_created": g.utc(2021, 9, 14, 18, 5, 12)}, extra_on=("EXHUB1",))
    for s in site.servers:
        for i in s.certs:
            if i.cert is current:
                i.status = "DateInvalid"
    write_scenario(ctx, "judgment-auth-renewed-not-configured", site, {
        "description": "The current Auth certificate %s expired 2026-09-14; a newer "
                       "self-signed Auth certificate %s (valid to 2031-11-02) is installed "
                       "on EXHUB1 but Get-AuthConfig names no next certificate." % (
                           current.thumbprint, new.thumbprint),
        "cites": cites("maintain-oauth", "oauth-expired", "set-authconfig",
                       "authconfig-members"),
        "needs": ["Get-AuthConfig reader"],
        "expect_servers": False,
        "verdict_state": "root_cause",
        "root_cause_rule": "auth-certificate",
        "rules_present": ["auth-certificate"],
        "rules_absent": ["cert-expired"],
        "findings_loose": [{
            "rule": "auth-certificate", "severity": "critical",
            "servers": ["EXHUB1", "EXHUB2"],
            "thumbprints_include": [current.thumbprint, new.thumbprint],
            "text_must": [new.thumbprint],
            "why": "the installed certificate is the renewal: Set-AuthConfig takes any "
                   "installed certificate's thumbprint"}],
        "commands_with_all": [
            {"parts": ["Set-AuthConfig", "-NewCertificateThumbprint", new.thumbprint,
                       "-NewCertificateEffectiveDate", "(Get-Date)"],
             "why": "the installed certificate, effective now (KB 2617816)"},
            {"parts": ["Set-AuthConfig", "-PublishCertificate"], "why": "publish it"},
            {"parts": ["Set-AuthConfig", "-ClearPreviousCertificate"],
             "why": "clear the previous one"},
            {"parts": ["Restart-Service", "MSExchangeServiceHost"],
             "why": "KB 2617816 restarts the Microsoft Exchange Service Host service"},
            {"parts": ["Restart-WebAppPool", "MSExchangeECPAppPool"], "why": "ECP pool"}],
        "commands_must_not": ["New-ExchangeCertificate", "<new thumbprint>",
                              "<ThumbprintFromStep1>"],
        "commands_must_not_regex": [
            {"regex": r"Remove-ExchangeCertificate\b[^|;]*" + current.thumbprint,
             "why": "never remove the current Auth certificate"}],
    })


def s_dropped_logging_off(ctx, rng):
    """11. A queue says SocketError; its connector logs nothing."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 3, 1), g.utc(2027, 3, 1, 23, 59, 59),
                     MAIL_SANS)
    s.install(mail, ["IIS", "SMTP"], "mail.contoso.com 2026")
    fab = sc("Outbound to Fabrikam", ["EXHUB1"], smart_hosts=["smtp.fabrikam.com"],
             address_spaces=["SMTP:fabrikam.com;1"], logging="None")
    ready_queues(s)
    s.queue("7", "SmartHostConnectorDelivery", "outbound to fabrikam", "Retry", 23,
            '451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection '
            'dropped due to SocketError." Attempted failover to alternate host, but that '
            'did not succeed. Either there are no alternate hosts, or delivery failed to '
            'all alternate hosts. The last endpoint attempted was 203.0.113.40:25',
            g.utc(2026, 11, 10, 8, 44, 51), connector_guid="8a1d2c3b-4e5f-4a6b-9c8d-"
                                                           "7e6f5a4b3c2d", retry_count=14)
    site = ew.Site([s], [fab])
    write_scenario(ctx, "judgment-connection-dropped-logging-off", site, {
        "description": "Queue EXHUB1\\7 to Outbound to Fabrikam retries with '421 4.4.2 "
                       "Connection dropped due to SocketError'; that connector's "
                       "ProtocolLoggingLevel is None and no log is in the bundle: turn "
                       "logging on and reproduce.",
        "cites": cites("protocol-logging", "set-send", "kb4051498"),
        "verdict_state": "problems",
        "rules_present": ["protocol-logging-off"],
        "rules_absent": ["smtp-service-not-enabled", "cert-expired"],
        "findings_loose": [{"rule": "protocol-logging-off",
                            "connectors": ["Outbound to Fabrikam"],
                            "servers_include": ["EXHUB1"]}],
        "commands_with_all": [{"parts": ["Set-SendConnector", "Outbound to Fabrikam",
                                         "-ProtocolLoggingLevel Verbose"],
                               "why": "KB 4051498 step 1"}],
    })


def s_remote_validation(ctx, rng):
    """12. 454 4.7.5 Certificate validation failure with a healthy local certificate."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 3, 1), g.utc(2027, 3, 1, 23, 59, 59),
                     MAIL_SANS)
    s.install(mail, ["IIS", "SMTP"], "mail.contoso.com 2026")
    receive_connectors(s)
    s.transport = s.certs[0].cert.thumbprint
    fab = sc("Outbound to Fabrikam", ["EXHUB1"], address_spaces=["SMTP:fabrikam.com;1"],
             require_tls=True, tls_auth_level="DomainValidation", tls_domain="fabrikam.com")
    last = g.utc(2026, 11, 10, 8, 31, 4)
    ready_queues(s)
    s.queue("12", "DnsConnectorDelivery", "fabrikam.com", "Retry", 19,
            "[{LED=454 4.7.5 Certificate validation failure};{MSG=};"
            "{FQDN=mx1.fabrikam.com};{IP=198.51.100.25};{LRT=%s}]" % g.EN_US.date(last),
            last, tls_domain="fabrikam.com", retry_count=11)
    site = ew.Site([s], [fab])
    write_scenario(ctx, "judgment-remote-validation-failure", site, {
        "description": "Queue EXHUB1\\12 to fabrikam.com (TlsAuthLevel DomainValidation, "
                       "RequireTLS) retries with '454 4.7.5 Certificate validation "
                       "failure'; EXHUB1's own SMTP certificate is valid and enabled. The "
                       "likely side is EXHUB1 failing to validate the remote chain (root "
                       "or CRL/AIA fetch, often through a proxy).",
        "cites": cites("set-send", "certutil", "netsh-winhttp", "get-queue"),
        "verdict_state": "problems",
        "rules_absent": ["smtp-service-not-enabled", "cert-expired", "cert-no-private-key",
                         "tls-cert-name-not-found", "tls-cert-name-invalid"],
        "findings_loose": [{
            "rule_any": ["tls-handshake-failures", "queue-retry"],
            "text_must": ["likely"],
            "text_must_any": [["remote", "fabrikam"]],
            "commands_must": ["certutil -verify -urlfetch", "netsh winhttp show proxy"],
            "nocase": True,
            "why": "the failure is this server validating the remote certificate"}],
        "text_must_not": [{"where": "any", "contains": "certificate problem on this server",
                           "nocase": True, "why": "the local certificate is healthy"}],
        "gaps_must_not": ["Get-ExchangeCertificate", "Get-SendConnector", "Get-Queue",
                          "Get-ReceiveConnector", "Get-TransportService"],
    })


def s_event_12014(ctx, rng):
    """13. Event 12014 names an FQDN no certificate covers."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    default = defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 3, 1), g.utc(2027, 3, 1, 23, 59, 59),
                     MAIL_SANS)
    s.install(mail, ["IIS", "SMTP"], "mail.contoso.com 2026")
    receive_connectors(s, frontend_fqdn="mail.fabrikam.example")
    s.events = [(g.utc(2026, 11, 10, 6, 14, 3), 12014, "Error",
                 ew.MSG_12014.format(fqdn="mail.fabrikam.example",
                                     conn=FRONTEND % "EXHUB1"))]
    internet = sc("Internet", ["EXHUB1"], address_spaces=["SMTP:*;1"])
    log = s.logs(rng, 0x08DE3A91C4D70000)
    traffic(log, rng, "Internet", INTERNET, mail, g.utc(2026, 11, 8, 8, 0),
            g.utc(2026, 11, 10, 8, 40))
    ready_queues(s)
    site = ew.Site([s], [internet])
    rc = "EXHUB1\\" + FRONTEND % "EXHUB1"
    write_scenario(ctx, "judgment-event-12014-fqdn-not-covered", site, {
        "description": "Event 12014: no certificate contains mail.fabrikam.example, the "
                       "FQDN of Default Frontend EXHUB1; the installed certificates cover "
                       "contoso.com names and EXHUB1's own.",
        "cites": cites("kb-12014", "certificates", "set-receive"),
        "rules_present_any": [["connector-fqdn-not-covered", "starttls-not-offered"]],
        "root_cause_rule_any": ["connector-fqdn-not-covered", "starttls-not-offered"],
        "verdict_state": "root_cause",
        "findings_loose": [{
            "rule_any": ["connector-fqdn-not-covered", "starttls-not-offered"],
            "servers": ["EXHUB1"], "connectors_include": [rc],
            "text_must": ["mail.fabrikam.example"],
            "text_must_any": [["no installed certificate", "no certificate",
                               "not covered", "does not cover", "none of the installed",
                               "no smtp certificate", "covered by no"]],
            "nocase": True}],
    })



def s_resolved_12014(ctx, rng):
    """Event 12014 two days ago; a certificate for the FQDN installed since,
    and presented in every STARTTLS session of that connector after it."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 3, 1), g.utc(2027, 3, 1, 23, 59, 59),
                     MAIL_SANS)
    s.install(mail, ["IIS", "SMTP"], "mail.contoso.com 2026")
    fab = pki.issue(pki.digicert_ca, [("CN", "mail.fabrikam.example")],
                    g.utc(2026, 11, 8, 20, 0), g.utc(2027, 11, 8, 19, 59, 59),
                    ["mail.fabrikam.example"])
    s.install(fab, ["SMTP"], "mail.fabrikam.example 2026")
    receive_connectors(s, frontend_fqdn="mail.fabrikam.example")
    s.events = [(g.utc(2026, 11, 8, 6, 14, 3), 12014, "Error",
                 ew.MSG_12014.format(fqdn="mail.fabrikam.example",
                                     conn=FRONTEND % "EXHUB1"))]
    internet = sc("Internet", ["EXHUB1"], address_spaces=["SMTP:*;1"])
    log = s.logs(rng, 0x08DE3A91C4D70000)
    traffic(log, rng, "Internet", INTERNET, mail, g.utc(2026, 11, 8, 8, 0),
            g.utc(2026, 11, 10, 8, 40))
    rl = s.receive_log(rng)
    fe = "EXHUB1\\" + FRONTEND % "EXHUB1"
    t = g.utc(2026, 11, 9, 8, 0)
    while t < g.utc(2026, 11, 10, 8, 30):
        rl.tls_success(t, fe, "198.51.100.%d" % rng.randint(20, 60), fab)
        t += TD(minutes=rng.randint(40, 120))
    ready_queues(s)
    site = ew.Site([s], [internet])
    write_scenario(ctx, "resolved-12014-fqdn-now-covered", site, {
        "description": "Event 12014 on 2026-11-08T06:14Z: no certificate contained "
                       "mail.fabrikam.example, the FQDN of Default Frontend EXHUB1. A "
                       "certificate for that name, enabled for SMTP, is installed with "
                       "NotBefore 2026-11-08T20:00Z, and every STARTTLS session on that "
                       "connector from 2026-11-09 on presents it and succeeds. The event "
                       "is the past: nothing is failing now.",
        "cites": cites("kb-12014", "certificates", "set-receive"),
        "verdict_state": "resolved",
        "finding_status": {"starttls-not-offered|connector-fqdn-not-covered": "resolved"},
        "findings_loose": [{
            "rule_any": ["starttls-not-offered", "connector-fqdn-not-covered"],
            "status": "resolved", "servers": ["EXHUB1"],
            "text_must": ["mail.fabrikam.example"]}],
        "text_must_not": [{"where": "any", "regex": r"(?i)(no|none of the) installed "
                           r"certificates? (contains?|covers?) mail\.fabrikam\.example",
                           "why": "the inventory holds a certificate for it"}],
    })

def s_client_587(ctx, rng):
    """14. Devices submit on port 587 without authenticating."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2026, 3, 1), g.utc(2027, 3, 1, 23, 59, 59),
                     MAIL_SANS)
    s.install(mail, ["IIS", "SMTP"], "mail.contoso.com 2026")
    receive_connectors(s)
    rl = s.receive_log(rng)
    fe = "EXHUB1\\" + FRONTEND % "EXHUB1"
    cl = "EXHUB1\\" + CLIENT % "EXHUB1"
    t = g.utc(2026, 11, 8, 8, 0)
    while t < g.utc(2026, 11, 10, 8, 30):
        rl.tls_success(t, fe, "198.51.100.%d" % rng.randint(20, 60), mail)
        t += TD(minutes=rng.randint(40, 120))
    refused = []
    t = g.utc(2026, 11, 9, 13, 0)
    while t < g.utc(2026, 11, 10, 8, 40):
        ip, helo, sender = rng.choice([("10.0.7.31", "MFP-3FL-01", "scanner@contoso.com"),
                                       ("10.0.7.32", "MFP-2FL-02", "scanner@contoso.com")])
        refused.append(rl.client_refused(t, cl, ip, helo, sender))
        t += TD(minutes=rng.randint(15, 45))
    site = ew.Site([s])
    write_scenario(ctx, "judgment-client-connector-587", site, {
        "description": "%d sessions on Client Frontend EXHUB1 (port 587) are refused with "
                       "'530 5.7.57 SMTP; Client was not authenticated to send anonymous "
                       "mail during MAIL FROM': scanners submitting without "
                       "authentication. A client-submission problem, nothing to do with "
                       "partners or Exchange Online." % len(refused),
        "cites": cites("auth-smtp", "receive-connectors"),
        "verdict_not": ["clear"],
        "findings_loose": [{
            "connectors_include": [cl],
            "text_must": ["530 5.7.57"],
            "text_must_any": [["authenticat"]],
            "text_must_not": ["partner", "Exchange Online", "Office 365", "outlook.com"],
            "nocase": True,
            "why": "the refusals are symptoms: a finding names them"}],
    })


def s_dn_quotes(ctx, rng):
    """15. O="Contoso, Ltd." in the pinned name; a Receive connector pins it too."""
    pki = ctx.pki
    auth = winter_auth(pki)
    q = pki.issue(pki.contoso_ca, g.RENEWAL_SUBJECT, g.utc(2026, 10, 27, 10, 15, 40),
                  g.utc(2027, 10, 27, 10, 15, 40), g.RENEWAL_SANS)
    tls = g.tls_certificate_name(g.CONTOSO_CA, g.RENEWAL_SUBJECT)
    servers = []
    for n, (name, ip) in enumerate((("EXHUB1", "10.0.1.21"), ("EXHUB2", "10.0.1.22"))):
        s = server(name, ip)
        default = defaults(pki, s, auth, WINTER)
        if name == "EXHUB1":
            s.install(q, ["IIS", "SMTP"], "mail.contoso.com 2026", root_ca_type="Enterprise")
        receive_connectors(s, frontend_tls=tls)
        log = s.logs(rng, 0x08DE3A91C4D70000 + n * 0x10000000)
        if name == "EXHUB1":
            traffic(log, rng, "Outbound to Partners", PARTNER, q, g.utc(2026, 11, 8, 8, 0),
                    g.utc(2026, 11, 10, 8, 40))
        else:
            traffic(log, rng, "Internet", INTERNET, default.cert, g.utc(2026, 11, 8, 8, 0),
                    g.utc(2026, 11, 10, 8, 40))
        ready_queues(s)
        servers.append(s)
    servers[1].queue("12", "DnsConnectorDelivery", "fabrikam.com", "Retry", 41,
                     gr.QUEUE_NOT_FOUND, g.utc(2026, 11, 10, 8, 53, 0), retry_count=9)
    partners = sc("Outbound to Partners", ["EXHUB1", "EXHUB2"], tls_name=tls,
                  address_spaces=["SMTP:fabrikam.com;1"], require_tls=True,
                  tls_auth_level="CertificateValidation")
    internet = sc("Internet", ["EXHUB1", "EXHUB2"], address_spaces=["SMTP:*;2"], fqdn="")
    site = ew.Site(servers, [partners, internet])
    rc2 = "EXHUB2\\" + FRONTEND % "EXHUB2"
    write_scenario(ctx, "judgment-dn-with-quotes", site, {
        "description": "Outbound to Partners (sources EXHUB1, EXHUB2) and both Default "
                       "Frontend Receive connectors pin %s; the certificate is on EXHUB1 "
                       "only, and EXHUB2's queue says it could not be found. Every "
                       "command must carry the distinguished names intact (O=\"Contoso, "
                       "Ltd.\") and change the Receive connector with Set-ReceiveConnector."
                       % tls,
        "cites": cites("set-send", "set-receive", "quoting", "parsing", "kb2989382"),
        "verdict_state": "root_cause",
        "rules_present": ["tls-cert-name-not-found"],
        "root_cause_rule": "tls-cert-name-not-found",
        "findings_loose": [
            {"rule": "tls-cert-name-not-found", "servers_include": ["EXHUB2"],
             "connectors_include": ["Outbound to Partners"]},
            {"rule": "tls-cert-name-not-found", "servers_include": ["EXHUB2"],
             "connectors_include": [rc2],
             "why": "rule catalog: a Receive connector's pin is checked on its own server"}],
        "commands_must_not_regex": [
            {"regex": r"Set-SendConnector[^|;]*Default Frontend",
             "why": "a Receive connector is changed with Set-ReceiveConnector"}],
        "tls_name_args": [{"value": tls,
                           "why": "a literal -TlsCertificateName must evaluate to the "
                                  "exact pinned name"}],
    })


# ----------------------------------------------------------------- near misses

def s_near_renewal_all(ctx, rng):
    site, old, new = renewal_site(ctx, rng, ["IMAP", "POP", "IIS", "SMTP"])
    write_scenario(ctx, "near-renewal-all-services", site, {
        "description": "The renewal of case 8 with every service of the old certificate: "
                       "nothing to do before the old one expires.",
        "cites": cites("assign-services", "renew-certs"),
        "verdict_state": "clear",
        "max_severity": {"cert-expiring": "low"},
        "no_severity_at_or_above": "medium",
        "verdict_not": ["root_cause"],
    })


def healthy_site(ctx, rng, extra=None, remote=INTERNET, fqdn="mail.contoso.com",
                 cert_subject=MAIL, sans=MAIL_SANS, conn_kw=None, present=None):
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    default = defaults(pki, s, auth, WINTER)
    mail = pki.issue(pki.digicert_ca, cert_subject, g.utc(2026, 3, 1),
                     g.utc(2027, 3, 1, 23, 59, 59), sans)
    s.install(mail, ["IIS", "SMTP"], "mail 2026")
    if extra:
        extra(s)
    kw = dict(address_spaces=["SMTP:*;1"], fqdn=fqdn)
    kw.update(conn_kw or {})
    conn = sc(kw.pop("name", "Internet"), ["EXHUB1"], **kw)
    log = s.logs(rng, 0x08DE3A91C4D70000)
    sent = {"mail": mail, "default": default.cert}[present or "mail"]
    traffic(log, rng, conn.name, remote, sent, g.utc(2026, 11, 7, 8, 0),
            g.utc(2026, 11, 10, 8, 40))
    ready_queues(s)
    s.queue("4", "DnsConnectorDelivery", "adatum.com", "Ready", 0, "", None)
    return ew.Site([s], [conn]), s, mail, default


def s_near_expired_unused(ctx, rng):
    legacy = ctx.pki.issue(ctx.pki.digicert_ca, [("CN", "legacy.contoso.com")],
                           g.utc(2024, 6, 30), g.utc(2025, 6, 30, 23, 59, 59),
                           ["legacy.contoso.com"])

    def add(s):
        s.install(legacy, [], "legacy 2024", status="DateInvalid")
    site, s, mail, default = healthy_site(ctx, rng, extra=add)
    write_scenario(ctx, "near-expired-unused", site, {
        "description": "legacy.contoso.com expired in 2025; it is enabled for no service "
                       "and no connector pins it: housekeeping at most.",
        "cites": cites("certificates", "enable-cert"),
        "verdict_state": "clear",
        "max_severity": {"cert-expired": "low"},
        "no_severity_at_or_above": "medium",
        "verdict_not": ["root_cause"],
    })


def s_near_self_signed_dv(ctx, rng):
    r = g.partner_remotes(ctx.pki)[0]     # mx1.fabrikam.com, Let's Encrypt R11
    site, s, mail, default = healthy_site(
        ctx, rng, remote=r, fqdn="",
        conn_kw=dict(name="Outbound to Fabrikam", address_spaces=["SMTP:fabrikam.com;1"],
                     require_tls=True, tls_auth_level="DomainValidation",
                     tls_domain="fabrikam.com"), present="default")
    write_scenario(ctx, "near-self-signed-domainvalidation-works", site, {
        "description": "Outbound to Fabrikam requires TLS with DomainValidation of "
                       "fabrikam.com; EXHUB1 presents its self-signed default certificate "
                       "and every session succeeds. DomainValidation checks the remote "
                       "certificate, not the local one.",
        "cites": cites("set-send", "protocol-logging"),
        "verdict_state": "clear",
        "no_severity_at_or_above": "medium",
        "rules_absent": ["tls-handshake-failures", "hybrid-connector-config"],
        "verdict_not": ["root_cause"],
    })


def s_wildcard(ctx, rng, fqdn):
    wild = [("CN", "*.contoso.com"), ("O", "Contoso"), ("C", "US")]
    failing = fqdn != "mail.contoso.com"
    site, s, mail, default = healthy_site(
        ctx, rng, fqdn=fqdn, cert_subject=wild, sans=["*.contoso.com", "contoso.com"],
        present="default" if failing else "mail")
    if not failing:
        return write_scenario(ctx, "near-wildcard-one-label", site, {
            "description": "*.contoso.com covers mail.contoso.com, the connector's FQDN "
                           "(one label).",
            "cites": cites("rfc6125", "certificates"),
            "verdict_state": "clear",
            "rules_absent": ["connector-fqdn-not-covered", "starttls-not-offered"],
            "no_severity_at_or_above": "medium",
            "verdict_not": ["root_cause"],
        })
    write_scenario(ctx, "fail-wildcard-two-labels", site, {
        "description": "*.contoso.com does not cover a.b.contoso.com, the Internet "
                       "connector's FQDN (two labels); no failure in the logs, so a "
                       "configuration finding, not a root cause.",
        "cites": cites("rfc6125", "certificates", "set-send"),
        "verdict_state": "problems",
        "rules_present": ["connector-fqdn-not-covered"],
        "findings_loose": [{"rule": "connector-fqdn-not-covered", "servers": ["EXHUB1"],
                            "connectors": ["Internet"], "text_must": ["a.b.contoso.com"]}],
    })


def s_near_sources_missing(ctx, rng):
    site, s, mail, default = healthy_site(ctx, rng)
    partners = sc("Outbound to Partners", ["EXHUB1", "EXHUB3"],
                  tls_name=g.tls_certificate_name(g.DIGICERT_CA, MAIL),
                  address_spaces=["SMTP:fabrikam.com;1"])
    site.connectors.append(partners)
    traffic(s.send_log, rng, partners.name, PARTNER, mail, g.utc(2026, 11, 7, 9, 0),
            g.utc(2026, 11, 10, 8, 40), every=(120, 300))
    write_scenario(ctx, "near-source-servers-not-collected", site, {
        "description": "Outbound to Partners is sourced on EXHUB1 and EXHUB3; only EXHUB1 "
                       "was collected. Whether EXHUB3 has the pinned certificate is "
                       "unknown: no not-found finding, a gap instead.",
        "cites": cites("set-send", "protocol-logging"),
        "rules_absent": ["tls-cert-name-not-found"],
        "no_severity_at_or_above": "medium",
        "gaps_must": ["EXHUB3"],
        "text_must_not": [{"where": "any", "regex": r"(?i)not (be )?found on EXHUB3",
                           "why": "EXHUB3 was not collected"}],
        "verdict_not": ["root_cause"],
    })


def s_expiry_clock_unknown(ctx, rng):
    """The SMTP certificate's NotAfter, printed by a UTC-8 server's clock, is
    within hours of the as-of time and nothing gives the server's offset."""
    pki = ctx.pki
    s = server("EXHUB1", "10.0.1.21")
    auth = winter_auth(pki)
    defaults(pki, s, auth, WINTER)
    # 2026-11-10T13:59:59Z: five hours after the as-of time (09:00Z). The
    # Format-List dump prints 11/10/2026 5:59:59 AM, three hours before it
    # when its figures are read as UTC.
    mail = pki.issue(pki.digicert_ca, MAIL, g.utc(2025, 11, 10, 14, 0, 0),
                     g.utc(2026, 11, 10, 13, 59, 59), MAIL_SANS)
    s.install(mail, ["IMAP", "POP", "IIS", "SMTP"], "mail.contoso.com 2025")
    site = ew.Site([s])
    write_scenario(ctx, "time-expiry-clock-unknown", site, {
        "description": "mail.contoso.com's certificate, enabled for SMTP, expires at "
                       "2026-11-10T13:59:59Z, five hours after the as-of time. EXHUB1's "
                       "Format-List dump (US Pacific, UTC-8) prints its NotAfter as "
                       "11/10/2026 5:59:59 AM; nothing in the bundle gives the offset, so "
                       "the local figures lie anywhere from 12 hours before to 14 hours "
                       "after the instant they would be in UTC, and whether the certificate "
                       "has expired at the as-of time is unknown. It must not be called "
                       "expired (read as UTC the figures are 3 hours before the as-of "
                       "time), nor given days left as if the time were known.",
        "cites": cites("x509-local", "date-formats", "renew-certs"),
        "rules_absent": ["cert-expired"],
        "rules_present": ["cert-expiring"],
        "findings_loose": [{
            "rule": "cert-expiring", "severity": "high", "servers": ["EXHUB1"],
            "thumbprints_include": [mail.thumbprint],
            "text_must": ["UTC offset"],
            "text_must_not": ["expired on", "has expired at", "0 days"]}],
        "text_must_not": [{"where": "any", "regex": r"mail\.contoso\.com, expired|expired "
                           r"(today|\d+ days? ago)",
                           "why": "whether it has expired depends on the unknown offset"}],
        "verdict_not": ["root_cause", "clear"],
    })


# ----------------------------------------------------------------- main

SCENARIOS = [
    ("time-date-order-per-file", s_date_order),
    ("time-local-vs-utc-log-clue", lambda c, r: s_local_vs_utc(c, r, "log")),
    ("time-local-vs-utc-clixml-clue", lambda c, r: s_local_vs_utc(c, r, "clixml")),
    ("time-local-vs-utc-no-clue", lambda c, r: s_local_vs_utc(c, r, "none")),
    ("time-local-vs-utc-banner-clue", lambda c, r: s_local_vs_utc(c, r, "banner")),
    ("time-presented-before-notbefore", s_before_notbefore),
    ("time-expiry-clock-unknown", s_expiry_clock_unknown),
    ("resolved-smtp-enabled", lambda c, r: s_resolved(c, r, False)),
    ("resolved-repinned", lambda c, r: s_resolved(c, r, True)),
    ("resolved-export-stale", lambda c, r: s_resolved(c, r, False, True)),
    ("absence-no-queues-collected", s_no_queues),
    ("absence-certs-only", s_certs_only),
    ("absence-finding-without-symptom", s_finding_without_symptom),
    ("judgment-renewal-successor-lacks-imap-pop", s_successor_lacks),
    ("judgment-receive-pin-config-only", lambda c, r: s_receive_pin(c, r, False)),
    ("judgment-receive-pin-failing", lambda c, r: s_receive_pin(c, r, True)),
    ("judgment-auth-cert-expired-services-none", lambda c, r: s_auth_expired(c, r, [])),
    ("judgment-auth-cert-expired-services-smtp",
     lambda c, r: s_auth_expired(c, r, ["SMTP"])),
    ("judgment-auth-next-effective-too-late", s_auth_next_late),
    ("judgment-auth-renewed-not-configured", s_auth_renewed_unused),
    ("judgment-connection-dropped-logging-off", s_dropped_logging_off),
    ("judgment-remote-validation-failure", s_remote_validation),
    ("judgment-event-12014-fqdn-not-covered", s_event_12014),
    ("resolved-12014-fqdn-now-covered", s_resolved_12014),
    ("judgment-client-connector-587", s_client_587),
    ("judgment-dn-with-quotes", s_dn_quotes),
    ("near-renewal-all-services", s_near_renewal_all),
    ("near-expired-unused", s_near_expired_unused),
    ("near-self-signed-domainvalidation-works", s_near_self_signed_dv),
    ("near-wildcard-one-label", lambda c, r: s_wildcard(c, r, "mail.contoso.com")),
    ("fail-wildcard-two-labels", lambda c, r: s_wildcard(c, r, "a.b.contoso.com")),
    ("near-source-servers-not-collected", s_near_sources_missing),
    ("judgment-one-of-two-holders-sends", s_one_server_sends),
]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20261110)
    ap.add_argument("--only", nargs="*", help="scenario names to write")
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        pki = g.Pki(work, random.Random(a.seed))
        ctx = Ctx(a.outdir, pki, a.seed)
        for i, (name, fn) in enumerate(SCENARIOS):
            # Each scenario draws its names, times and rows from its own
            # generator, so --only writes the same evidence as a full run
            # (keys and serial numbers aside).
            if a.only and name not in a.only:
                continue
            fn(ctx, random.Random(a.seed + 1000 + i))
    print("gen_expert: wrote %d scenarios into %s" % (len(ctx.written), a.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())

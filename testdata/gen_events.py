#!/usr/bin/env python3
"""Application event-log exports as Exchange administrators send them, and a
bundle of them for tests/e2e_events.sh.

    gen_events.py OUTDIR

writes into OUTDIR:
  EX01_Application_rendered.xml   wevtutil qe Application /f:RenderedXml (no
                                  root element, UTF-8)
  EX02_Application.xml            wevtutil qe Application /f:xml saved inside
                                  an <Events> root, UTF-16LE with BOM (no
                                  RenderingInfo: messages are raw strings)
  EX01_Application.txt            wevtutil qe Application /f:text, UTF-16LE
                                  with BOM (PowerShell's `>`), the EX01
                                  server's clock in UTC
  EX02_GetWinEvent_fl.txt         Get-WinEvent ... | Format-List *, en-US,
                                  the EX02 server's clock in UTC+1
  events-bundle.zip               all of these, plus EX03/Application.evtx (a
                                  real log from testdata/evtx, no Exchange
                                  events) when given with --evtx PATH
  events-bundle.expected.json     what certtrail must report

The events repeat across exports on purpose: the same event in an XML and a
text export must be counted once.
"""

import json
import os
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # tests must leave the source tree as it was
sys.path.insert(0, HERE)
import gen_bundles as g  # noqa: E402

NS = "http://schemas.microsoft.com/win/2004/08/events/event"

MSG_12014 = (
    "Microsoft Exchange could not find a certificate that contains the domain "
    "name {fqdn} in the personal store on the local computer. Therefore, it is "
    "unable to support the STARTTLS SMTP verb for the connector {conn} with a "
    "FQDN parameter of {fqdn}. If the connector's FQDN is not specified, the "
    "computer's FQDN is used. Verify the connector configuration and the "
    "installed certificates to make sure that there is a certificate with a "
    "domain name for that FQDN. If this certificate exists, run "
    "Enable-ExchangeCertificate -Services SMTP to make sure that the Microsoft "
    "Exchange Transport service has access to the certificate key.")
MSG_12016 = (
    "There is no valid SMTP Transport Layer Security (TLS) certificate for the "
    "FQDN of {fqdn}. The existing certificate for that FQDN has expired. The "
    "SMTP service on this server cannot offer STARTTLS for connector {conn}.")
MSG_12018 = (
    "The STARTTLS certificate will expire soon: subject: {fqdn}, thumbprint: "
    "{tp}, hours remaining: {hours}. Run the New-ExchangeCertificate cmdlet to "
    "create a new certificate.")
MSG_12023 = (
    "Microsoft Exchange could not load the certificate with thumbprint of {tp} "
    "from the personal store on the local computer. This certificate was "
    "configured for authentication with other Exchange servers. Mail flow to "
    "other Exchange servers could be affected by this error.")
MSG_2004 = (
    "Outbound TLS to {remote} failed: 454 4.7.0 Failed to establish "
    "appropriate TLS channel: UntrustedRoot.")
MSG_11022 = (
    "Failed to confirm domain capabilities 'AcceptCloudServicesMail' on "
    "connector '{conn}' because validation of the Transport Layer Security "
    "(TLS) certificate failed with status 'UntrustedRoot'. Contact the "
    "administrator of '{remote}' to resolve the problem.")
MSG_2080 = (
    "Process MSExchangeTransport.exe (PID=4242). Exchange Active Directory "
    "Provider has discovered the following servers with the following "
    "characteristics.")

TP_EX01 = "0B1C2D3E4F5061728394A5B6C7D8E9F00112233A"
TP_EX02 = "9F2B44A1C0DE5566778899AABBCCDDEEFF001122"

LEVEL_NAMES = {1: "Critical", 2: "Error", 3: "Warning", 4: "Information"}


def ev(server, provider, eid, level, t, strings, message, record, facts=None):
    # facts: what the message states (the values put into it above), as
    # findings.json names them.
    return {"server": server, "provider": provider, "id": eid, "level": level,
            "time": t, "strings": strings, "message": message,
            "record": record, "facts": facts or {}}


def t_utc(y, mo, d, h, mi, s, frac=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc) + \
        timedelta(microseconds=frac)


def ex01_events():
    fqdn = "mail.contoso.com"
    conn = "Default Frontend EX01"
    return [
        ev("EX01.contoso.com", "MSExchangeFrontEndTransport", 12014, 2,
           t_utc(2026, 11, 3, 14, 12, 9, 123456), [fqdn, conn],
           MSG_12014.format(fqdn=fqdn, conn=conn), 501,
           {"connector": conn, "fqdn": fqdn}),
        ev("EX01.contoso.com", "MSExchange ADAccess", 2080, 4,
           t_utc(2026, 11, 3, 14, 12, 30), ["MSExchangeTransport.exe", "4242"],
           MSG_2080, 502),
        ev("EX01.contoso.com", "MSExchangeTransport", 12018, 3,
           t_utc(2026, 11, 4, 2, 0, 0, 500000), [fqdn, TP_EX01, "412"],
           MSG_12018.format(fqdn=fqdn, tp=TP_EX01, hours=412), 503,
           {"thumbprint": TP_EX01, "certificate_subject": fqdn,
            "hours_remaining": 412,
            "expires": iso_z(t_utc(2026, 11, 4, 2, 0, 0) + timedelta(hours=412))}),
        ev("EX01.contoso.com", "MSExchangeTransport", 2004, 3,
           t_utc(2026, 11, 5, 9, 30, 15, 250000),
           ["partner.fabrikam.com"],
           MSG_2004.format(remote="partner.fabrikam.com"), 504),
    ]


def ex01_text_only():
    fqdn = "mail.contoso.com"
    conn = "Default Frontend EX01"
    return [ev("EX01.contoso.com", "MSExchangeTransport", 12016, 2,
               t_utc(2026, 11, 5, 11, 0, 1, 7000), [fqdn, conn],
               MSG_12016.format(fqdn=fqdn, conn=conn), 505, {"fqdn": fqdn})]


def ex02_events():
    fqdn = "smtp.contoso.com"
    conn = "Default Frontend EX02"
    return [
        ev("EX02.contoso.com", "MSExchangeFrontEndTransport", 12014, 2,
           t_utc(2026, 11, 6, 8, 15, 0, 765432), [fqdn, conn],
           MSG_12014.format(fqdn=fqdn, conn=conn), 9001,
           {"connector": conn, "fqdn": fqdn}),
        ev("EX02.contoso.com", "MSExchangeTransport", 12023, 2,
           t_utc(2026, 11, 6, 8, 15, 1, 100000), [TP_EX02],
           MSG_12023.format(tp=TP_EX02), 9002, {"thumbprint": TP_EX02}),
        ev("EX02.contoso.com", "MSExchange ADAccess", 2080, 4,
           t_utc(2026, 11, 6, 8, 20, 0), ["MSExchangeTransport.exe", "5151"],
           MSG_2080, 9003),
    ]


def ex02_fl_only():
    conn = "Inbound from Office 365"
    return [ev("EX02.contoso.com", "MSExchangeFrontEndTransport", 11022, 2,
               t_utc(2026, 11, 13, 9, 0, 0), [conn],
               MSG_11022.format(conn=conn,
                                remote="mail.protection.outlook.com"), 9004)]


def system_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (t.microsecond * 10) + "Z"


def event_xml(e, rendered):
    parts = [
        "<Event xmlns='%s'>" % NS,
        "<System><Provider Name=%s/>" % quoteattr(e["provider"]),
        "<EventID Qualifiers='49156'>%d</EventID>" % e["id"],
        "<Version>0</Version><Level>%d</Level><Task>12</Task><Opcode>0</Opcode>"
        % e["level"],
        "<Keywords>0x80000000000000</Keywords>",
        "<TimeCreated SystemTime='%s'/>" % system_time(e["time"]),
        "<EventRecordID>%d</EventRecordID><Correlation/>" % e["record"],
        "<Execution ProcessID='0' ThreadID='0'/><Channel>Application</Channel>",
        "<Computer>%s</Computer><Security/></System>" % escape(e["server"]),
        "<EventData>",
    ]
    parts += ["<Data>%s</Data>" % escape(s) for s in e["strings"]]
    parts.append("</EventData>")
    if rendered:
        parts.append(
            "<RenderingInfo Culture='en-US'><Message>%s</Message>"
            "<Level>%s</Level><Task>TransportService</Task><Opcode></Opcode>"
            "<Channel></Channel><Provider>%s</Provider><Keywords>"
            "<Keyword>Classic</Keyword></Keywords></RenderingInfo>"
            % (escape(e["message"]), LEVEL_NAMES[e["level"]],
               escape(e["provider"])))
    parts.append("</Event>")
    return "".join(parts)


def wevtutil_xml(events, rendered, root):
    body = "\r\n".join(event_xml(e, rendered) for e in events)
    if root:
        return ("<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<Events>\r\n"
                + body + "\r\n</Events>\r\n")
    return body + "\r\n"


def wevtutil_text(events, utc_offset_hours):
    out = []
    for i, e in enumerate(events):
        local = e["time"] + timedelta(hours=utc_offset_hours)
        out += [
            "Event[%d]:" % i,
            "  Log Name: Application",
            "  Source: %s" % e["provider"],
            "  Date: %s.%03d" % (local.strftime("%Y-%m-%dT%H:%M:%S"),
                                 local.microsecond // 1000),
            "  Event ID: %d" % e["id"],
            "  Task: TransportService",
            "  Level: %s" % LEVEL_NAMES[e["level"]],
            "  Opcode: N/A",
            "  Keyword: Classic",
            "  User: N/A",
            "  User Name: N/A",
            "  Computer: %s" % e["server"],
            "  Description: ",
            e["message"],
            "",
        ]
    return "\r\n".join(out) + "\r\n"


def en_us_time(t):
    h = t.hour % 12 or 12
    return "%d/%d/%d %d:%02d:%02d %s" % (t.month, t.day, t.year, h, t.minute,
                                         t.second,
                                         "AM" if t.hour < 12 else "PM")


def winevent_fl(events, utc_offset_hours, width=160):
    records = []
    for e in events:
        local = e["time"] + timedelta(hours=utc_offset_hours)
        records.append([
            ("Message", e["message"]),
            ("Id", str(e["id"])),
            ("Version", "0"),
            ("Qualifiers", "49156"),
            ("Level", str(e["level"])),
            ("Task", "12"),
            ("Opcode", "0"),
            ("Keywords", "36028797018963968"),
            ("RecordId", str(e["record"])),
            ("ProviderName", e["provider"]),
            ("ProviderId", ""),
            ("LogName", "Application"),
            ("ProcessId", "0"),
            ("ThreadId", "0"),
            ("MachineName", e["server"]),
            ("UserId", ""),
            ("TimeCreated", en_us_time(local)),
            ("LevelDisplayName", LEVEL_NAMES[e["level"]]),
            ("TaskDisplayName", "TransportService"),
            ("KeywordsDisplayNames", "{Classic}"),
            ("Properties", "{System.Diagnostics.Eventing.Reader."
             "EventProperty, System.Diagnostics.Eventing.Reader."
             "EventProperty}"),
        ])
    return g.fl_document(records, width)


def iso_z(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(t):
    """A server's clock reading whose offset the bundle does not give."""
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def expected(has_evtx):
    def want(e, sources, message_raw=False):
        return {"server": e["server"].split(".")[0].upper(),
                "id": e["id"], "source": e["provider"],
                "level": LEVEL_NAMES[e["level"]],
                "time": iso_z(e["time"]),
                "message": ("Raw event strings (no message text without the "
                            "provider's message file): " +
                            " | ".join(e["strings"]) if message_raw
                            else e["message"]),
                "facts": e["facts"],
                "evidence_sources": sources}
    both01 = ["EX01/EX01_Application.txt", "EX01/EX01_Application_rendered.xml"]
    both02 = ["EX02/EX02_Application.xml", "EX02/EX02_GetWinEvent_fl.txt"]
    ex01 = [e for e in ex01_events() if e["id"] != 2080]
    ex02 = [e for e in ex02_events() if e["id"] != 2080]
    events = [want(e, both01) for e in ex01]
    # Only the text export has the 12016: its time is the server's clock
    # (UTC there, which the text does not say), so it has no zone.
    events += [dict(want(e, ["EX01/EX01_Application.txt"]),
                    time=iso_local(e["time"]))
               for e in ex01_text_only()]
    # The raw 12014 of the plain XML gains the message of the Format-List,
    # and keeps the exact time of the XML.
    events += [want(ex02[0], both02),
               want(ex02[1], ["EX02/EX02_Application.xml"], message_raw=True)]
    # The Format-List's clock is UTC+1, which it does not say: a local
    # time, without a zone.
    events += [dict(want(e, ["EX02/EX02_GetWinEvent_fl.txt"]),
                    time=iso_local(e["time"] + timedelta(hours=1)))
               for e in ex02_fl_only()]
    return {"as_of": "2026-11-20", "inputs": "events-bundle.zip",
            "events": events, "dropped_ids": [2080],
            "evtx_records": 17 if has_evtx else None}


def main(argv):
    args = argv[1:]
    evtx = None
    if len(args) >= 2 and args[0] == "--evtx":
        evtx = args[1]
        args = args[2:]
    if len(args) != 1:
        sys.stderr.write("usage: gen_events.py [--evtx PATH] OUTDIR\n")
        return 2
    out = args[0]
    os.makedirs(out, exist_ok=True)
    files = {
        "EX01/EX01_Application_rendered.xml":
            wevtutil_xml(ex01_events(), True, False).encode("utf-8"),
        "EX02/EX02_Application.xml":
            g.utf16(wevtutil_xml(ex02_events(), False, True)),
        "EX01/EX01_Application.txt":
            g.utf16(wevtutil_text(ex01_events() + ex01_text_only(), 0)),
        "EX02/EX02_GetWinEvent_fl.txt":
            wevtutil_fl_bytes(),
    }
    for name, data in files.items():
        with open(os.path.join(out, os.path.basename(name)), "wb") as f:
            f.write(data)
    with zipfile.ZipFile(os.path.join(out, "events-bundle.zip"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 14, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
        if evtx is not None:
            info = zipfile.ZipInfo("EX03/Application.evtx",
                                   date_time=(2026, 11, 14, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(evtx, "rb") as f:
                z.writestr(info, f.read())
    with open(os.path.join(out, "events-bundle.expected.json"), "w") as f:
        json.dump(expected(evtx is not None), f, indent=1, sort_keys=True)
    return 0


def wevtutil_fl_bytes():
    # The EX02 12014 again (its clock one hour ahead of UTC), and an 11022
    # only this export has.
    events = [ex02_events()[0]] + ex02_fl_only()
    return g.utf16(winevent_fl(events, 1))


if __name__ == "__main__":
    sys.exit(main(sys.argv))

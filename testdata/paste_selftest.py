"""`paste.py --selftest`: each transformation on a small bundle built here,
checked for having changed what it says and nothing else, and for the costs
it wrote into the expected file. A transformation that silently does
nothing fails here.
"""

import io
import re
import zipfile

import gen_bundles as g
import paste
import paste_costs
import paste_model as pm
import paste_text as pt

TP_A = "6F029E0D20605DB27016B787C4503FD0002C0A11"      # pinned, presented in the log
TP_B = "83AE6B0D3E2986FB15F9ACCC00C5F15A9843004A"      # self-signed, only in the dump
TP_C = "2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7"      # only in the table view
SERIAL_A = "0A23F6FD88828B65670E7A1A8B9C9761"
MAIL = 'CN=mail.contoso.com, O="Contoso, Ltd.", L=Redmond, S=Washington, C=US'
DIGICERT = "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
WHEN = g.utc(2026, 11, 10, 8, 0, 0)


def cert(tp, serial, subject, issuer, services, not_after):
    return [("AccessRules", "{System.Security.AccessControl.CryptoKeyAccessRule, System."
                            "Security.AccessControl.CryptoKeyAccessRule}"),
            ("CertificateDomains", "{mail.contoso.com, autodiscover.contoso.com}"),
            ("FriendlyName", "mail"), ("HasPrivateKey", "True"), ("Issuer", issuer),
            ("NotAfter", not_after), ("NotBefore", "3/1/2026 12:00:00 AM"),
            ("SerialNumber", serial), ("Services", services), ("Status", "Valid"),
            ("Subject", subject), ("Thumbprint", tp),
            ("Identity", "EXHUB1.contoso.com\\" + tp)]


def sample():
    """(zip bytes, expected dict)."""
    certs = [cert(TP_A, SERIAL_A, MAIL, DIGICERT, "IIS", "11/28/2027 11:59:59 PM"),
             cert(TP_B, "1F3184D9F954E8F59AFF4F6F8479288D", "CN=EXHUB1", "CN=EXHUB1",
                  "IMAP, POP, SMTP", "3/13/2029 2:02:17 AM")]
    queues = [g.queue_props("EXHUB1", "Submission", "Undefined", "Submission", "Ready", 0,
                            "", None, g.EN_US),
              g.queue_props("EXHUB1", "3", "SmartHostConnectorDelivery", "outbound",
                            "Retry", 37, g.QUEUE_451, WHEN, g.EN_US, retry_count=12)]
    conn = g.SendConnector("Outbound", ["EXHUB1"],
                           tls_name="<I>%s<S>%s" % (DIGICERT, MAIL), require_tls=True)
    table = "\r\n".join(["", "Thumbprint                                Services   Subject",
                         "----------                                --------   -------",
                         "%s  ....W..    %s" % (TP_A, MAIL[:40] + "..."),
                         "%s  ....S..    CN=Microsoft Exchange Server Auth Certificate"
                         % TP_C, "", ""])
    t = "2026-11-10T07:00:00.%03dZ"
    rows = [
        (t % 1, "*", "", "attempting to connect"), (t % 5, "+", "", ""),
        (t % 9, "*", " %s %s %s %s" % (MAIL, DIGICERT, SERIAL_A, TP_A),
         "Sending certificate Certificate subject Certificate issuer name Certificate "
         "serial number Certificate thumbprint Certificate alternate names"),
        (t % 12, "*", "", g.TLS_OK), (t % 20, "-", "", "Local")]
    log = ["#Software: Microsoft Exchange Server", "#Version: 15.0.0.0",
           "#Log-type: SMTP Send Protocol Log", "#Date: " + t % 1, "#Fields: " + g.LOG_FIELDS]
    log += ["%s,Outbound,08DE3C1A5B2F0001,%d,10.0.1.21:2525,104.47.51.138:25,%s,%s,%s" % (
        tm, i, ev, g.csv_field(data), g.csv_field(ctx))
        for i, (tm, ev, data, ctx) in enumerate(rows)]
    members = [
        ("EXHUB1/EXHUB1_ExchangeCertificate.txt", g.utf16(g.fl_document(certs, 120)), WHEN),
        ("EXHUB1/EXHUB1_InstantQueueInfo.txt", g.utf16(g.fl_document(queues, 120)), WHEN),
        ("SendConnectors.txt", g.utf16(g.fl_document([conn.fl_props(g.EN_US)], 120)), WHEN),
        ("EXHUB1/table.txt", g.utf16(table), WHEN),
        ("EXHUB1/SmtpSend/SEND2026111007-1.LOG", ("\r\n".join(log) + "\r\n").encode(), WHEN),
    ]
    exp = {"inputs": ["sample.zip"], "as_of": "2026-11-10T09:00:00Z",
           "rules_present": ["smtp-service-not-enabled"], "rules_absent": [],
           "root_cause_rule": "smtp-service-not-enabled", "verdict_state": "root_cause",
           "log_summary_min": {"rows": len(rows), "sessions": 1},
           "findings": [g.finding("smtp-service-not-enabled", "critical", ["EXHUB1"],
                                  ["Outbound"], [TP_A, TP_B],
                                  ["Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint "
                                   + TP_A])]}
    return g.zip_bytes(members), exp


class Failures:
    def __init__(self):
        self.n = 0

    def expect(self, cond, what):
        if not cond:
            self.n += 1
            print("FAIL: " + what)
        return cond


def entry(v, suffix):
    return [e for e in v.bundle.texts() if e.path.endswith(suffix)][0]


def records(text):
    return [{p.name: p.value for p in r.props}
            for r in pt.parse_fl(pt.split_lines(text)[0]).records]


def run_one(name, data, exp, f):
    v = paste.Variant(data, exp, 7, "selftest")
    clean = {e.path: e.text for e in v.bundle.texts()}
    applied = v.run([name])
    f.expect(applied == [name], "%s changed nothing" % name)
    out = paste_costs.rewrite(v, "sample.pasted.zip")
    changed = {e.path for e in v.bundle.texts() if e.text != clean[e.path]}
    touched = {e.path for e in v.bundle.texts() if e.touched}
    f.expect(changed == touched, "%s: entries changed %s, marked %s" % (
        name, sorted(changed), sorted(touched)))
    z = zipfile.ZipFile(io.BytesIO(pm.write_zip(v.bundle.entries)))
    for e in v.bundle.texts():
        body = z.read(e.path)
        if e.touched:
            f.expect(not body.startswith(b"\xff\xfe") and not body.startswith(b"\xef\xbb\xbf"),
                     "%s: %s is not written as pasted UTF-8" % (name, e.path))
        else:
            f.expect(body == e.data, "%s: %s changed though not touched" % (name, e.path))
    f.expect(out["transformations"] == [name], "%s: transformations %r" % (
        name, out["transformations"]))
    return v, clean, out


def check(name, v, clean, out, f):
    cert_path = "EXHUB1/EXHUB1_ExchangeCertificate.txt"
    if name == "cut_identity":
        recs = records(entry(v, "InstantQueueInfo.txt").text)
        f.expect(not any("Identity" in r or "QueueIdentity" in r for r in recs
                         if r.get("Status") == "Retry"), "cut_identity: Identity kept")
        f.expect(any(q["identity"] is None and q["status"] == "Retry"
                     for q in out["paste"]["queues"]), "cut_identity: no unknown identity")
        f.expect(any("identity is unknown" in c for c in out["costs"]), "cut_identity: cost")
    elif name == "cut_cert_keys":
        text = entry(v, cert_path).text
        f.expect(TP_A not in text and SERIAL_A in text and DIGICERT in text,
                 "cut_cert_keys: thumbprint kept or serial/issuer lost")
        c = [x for x in out["paste"]["certificates"] if x.get("serial") == SERIAL_A][0]
        f.expect(c["thumbprint"] is None and c["subject"] is None and
                 c["thumbprint_may_be"] == TP_A, "cut_cert_keys: record %r" % c)
        loose = out["paste"]["findings"]
        f.expect(loose and TP_A not in loose[0]["thumbprints_required"] and
                 TP_A in loose[0]["thumbprints_allowed"] and not out["findings"],
                 "cut_cert_keys: finding not loosened: %r" % loose)
    elif name == "mask_thumbprints":
        text = entry(v, cert_path).text
        f.expect(not re.search(r"[0-9A-F]{40}", text) and "*" in text,
                 "mask_thumbprints: a whole thumbprint is left")
        f.expect(out["paste"]["thumbprints_forbidden"] == [TP_B],
                 "mask_thumbprints: forbidden %r" % out["paste"]["thumbprints_forbidden"])
        f.expect(out["paste"]["count_delta"]["certificates"] == {"EXHUB1": 1},
                 "mask_thumbprints: the table twin of %s not counted apart" % TP_A)
        f.expect({"rule": "unknown-presented-cert", "thumbprint": TP_A} in [
            {k: x[k] for k in ("rule", "thumbprint") if k in x}
            for x in out["paste"]["findings_forbidden"]], "mask_thumbprints: forbidden rule")
        f.expect(any(d["any_of"] == ["masked"] for d in out["expected_diagnostics"]),
                 "mask_thumbprints: no diagnostic asked for")
    elif name == "mixed_cultures":
        text = entry(v, cert_path).text
        cul = pt.file_culture(text)
        f.expect(cul in ("de-DE", "en-GB") and
                 pt.decidable(pt.find_dates(text, cul), cul),
                 "mixed_cultures: %s not rewritten decidably" % cert_path)
        a = [t for _, _, t in pt.find_dates(clean[entry(v, cert_path).path], "en-US")]
        b = [t for _, _, t in pt.find_dates(text, cul)]
        f.expect(a == b, "mixed_cultures: dates changed value %r %r" % (a, b))
    elif name in ("rewrap", "stray_colon"):
        for e in v.bundle.texts():
            if e.kind.startswith("fl-"):
                f.expect(records(e.text) == records(clean[e.path]) or name == "stray_colon",
                         "%s: %s values changed" % (name, e.path))
                if name == "stray_colon":
                    lines = pt.split_lines(e.text)[0]
                    f.expect(any(re.match(r"^\w+: +: ", x) for x in lines),
                             "stray_colon: no stray colon in %s" % e.path)
    elif name == "blank_lines":
        lines = pt.split_lines(entry(v, "table.txt").text)[0]
        f.expect(not any(pt.DASHES_RE.match(x) for x in lines) and
                 len(pt.table_rows(lines)) == 2 and "" in lines[3:5],
                 "blank_lines: %r" % lines)
    elif name == "typographic_quotes":
        text = entry(v, ".LOG").text
        f.expect("\u201c" in text and "\u201d" in text, "typographic_quotes: none")
        f.expect(text.replace("\u201c", '"').replace("\u201d", '"') ==
                 clean[entry(v, ".LOG").path], "typographic_quotes: more than quotes changed")
    elif name == "damaged_timestamp":
        row = pt.first_row(pt.split_lines(entry(v, ".LOG").text)[0])
        f.expect(row is None or not row.time.startswith("2026-11-10T07:00:00.001"),
                 "damaged_timestamp: first row intact")
        f.expect(out["log_summary_min"]["rows"] == 4 and
                 out["paste"]["log_delta"]["bad_rows"] == 1,
                 "damaged_timestamp: costs %r" % out["paste"]["log_delta"])
    elif name == "strip_log_header":
        text = entry(v, ".LOG").text
        f.expect("#Fields" not in text and pt.LOG_ROW_RE.match(text),
                 "strip_log_header: header left")
    elif name == "prompt_lines":
        first = pt.split_lines(entry(v, cert_path).text)[0][0]
        f.expect(first.endswith("Get-ExchangeCertificate -Server EXHUB1 | fl *"),
                 "prompt_lines: %r" % first)
        first = pt.split_lines(entry(v, ".LOG").text)[0][0]
        f.expect("SEND2026111007-1.LOG" in first, "prompt_lines: log %r" % first)
        f.expect(out["costs"] == [], "prompt_lines: costs %r" % out["costs"])
    elif name == "terminal_colours":
        for e in v.bundle.texts():
            bare = re.sub(r"\x1b?\[(?:32;1|0)m", "", e.text)
            f.expect(bare == clean[e.path], "terminal_colours: %s: more than codes "
                     "changed" % e.path)
            if e.kind.startswith("fl-") or e.kind == "table-cert":
                f.expect("[32;1m" in e.text, "terminal_colours: %s not coloured" % e.path)
        f.expect(out["costs"] == [], "terminal_colours: costs %r" % out["costs"])
    elif name == "ticket_note":
        for e in v.bundle.texts():
            lines = pt.split_lines(e.text)[0]
            if e.kind.startswith("fl-"):
                f.expect(lines[:len(paste.NOTE)] == paste.NOTE and
                         max(len(x) for x in lines) == len(paste.NOTE[2]) and
                         "\n".join(lines[len(paste.NOTE):]) ==
                         "\n".join(pt.split_lines(clean[e.path])[0]),
                         "ticket_note: %s: not the note above the dump" % e.path)
        f.expect(out["costs"] == [], "ticket_note: costs %r" % out["costs"])
    elif name == "email_quoted":
        for e in v.bundle.texts():
            lines = pt.split_lines(e.text)[0]
            if not (e.kind.startswith("fl-") or e.kind == "table-cert"):
                f.expect(e.text == clean[e.path], "email_quoted: %s changed" % e.path)
                continue
            f.expect(all(x.startswith(">") for x in lines),
                     "email_quoted: %s: a line not quoted" % e.path)
            spaced = all(re.match(r"^(> )*>?$|^(> )+", x) for x in lines)
            bare = [re.sub(r"^(> )+|^>+ ?$|^>+", "", x) if spaced else re.sub(r"^>+", "", x)
                    for x in lines]
            f.expect(bare == [x.rstrip() if not x.strip() else x for x in
                              pt.split_lines(clean[e.path])[0]],
                     "email_quoted: %s: more than the markers changed" % e.path)
        f.expect(out["costs"] == [], "email_quoted: costs %r" % out["costs"])
        f.expect(any(d["any_of"] == ["quoting"] for d in out["expected_diagnostics"]),
                 "email_quoted: no diagnostic asked for")


def run():
    f = Failures()
    data, exp = sample()
    b = pm.Bundle(data)
    for e in b.texts():
        lines = pt.split_lines(e.text)[0]
        f.expect(pt.parse_fl(lines).lines() == lines, "Format-List round trip: %s" % e.path)
    kinds = sorted(e.kind for e in b.texts())
    f.expect(kinds == ["fl-cert", "fl-queue", "fl-send", "log-send", "table-cert"],
             "sniffed kinds %r" % kinds)
    for name in paste.NAMES:
        v, clean, out = run_one(name, data, exp, f)
        check(name, v, clean, out, f)
    one = paste.Variant(data, exp, 7, "selftest")
    two = paste.Variant(data, exp, 7, "selftest")
    one.run(paste.NAMES)
    two.run(paste.NAMES)
    f.expect(pm.write_zip(one.bundle.entries) == pm.write_zip(two.bundle.entries),
             "the same seed gives different bytes")
    print("paste selftest: %d transformations, %d failure(s)" % (len(paste.NAMES), f.n))
    return 1 if f.n else 0

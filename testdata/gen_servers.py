#!/usr/bin/env python3
"""A three-server bundle for certtrail's per-server end-to-end test.

    gen_servers.py OUTDIR                 writes OUTDIR/servers.zip and
                                          OUTDIR/servers.expected.json
    gen_servers.py --check FINDINGS EXP   checks findings.json against the
                                          per-server inventory in EXP

The bundle holds every evidence form a real case mixes, each naming its server
in a different way:

  servers.zip
    certs/EXA_ExchangeCertificate.txt      `| fl` (no Identity): file-name prefix
    EXA-1110.zip                           collector zip: archive name
      Connectors/Send_Connectors.txt       org-wide, pins the SAN certificate
      Exchange_Server_Data/EXA_TransportServer.txt
      certs/chain.p7b                      PKCS#7 DER, two CA certificates
    EXB/fl.txt                             `| fl *` (Identity FQDN\\THUMBPRINT)
    EXB/table.txt                          the default table view, subjects cut
                                           (the auth certificate is only here)
    collector/WIN-CTD3L0RGEN4-327.zip      nested per-server zip
      Exchange_Server_Data/WIN-CTD3L0RGEN4_ExchangeCertificate.xml
                                           the real CliXml export with every
                                           SerializationData signed (#sig#)
    certificates/partners.pem              PEM bundle: two partner certificates
                                           and one damaged block (no server)
    certificates/broken.cer                not a certificate

The same SAN certificate is installed on EXA and EXB, without SMTP on either
(different services on each), and pinned by a Send connector whose source
servers are EXA and EXB; the Exchange auth certificate is on both as well.

expected.json carries, besides what tests/check_findings.py reads, a
"server_inventory" map: for every server (and "" for none), the thumbprints
with the services the generator installed, counted here from the generator's
own model and the attribution rules stated in src/model/attribution.h, not from
certtrail's output.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_bundles as g  # noqa: E402

REAL_CERTS = "CSS-Exchange_HC_GetExchangeCertificateMultipleMatches.xml"
REAL_SERVER = "WIN-CTD3L0RGEN4"
# Oracle values decoded from the real SerializationData (testdata/README.md).
REAL_SERVICES = {
    "03221367D3A3E863698501592A9B9C420D8D3F4E": ["SMTP"],
    "E267D459A0FB53D0EF225C11FAC062D522648C09": ["SMTP"],
    "2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7": [],
    "611C687DFC4343A5A03E0005A1EC6E9B6AFF586D": ["IMAP", "POP", "IIS"],
    "3341CEAF3DF4D3A9527EC98BDD53C54ECC3E0620": [],
}
SAN_SUBJECT = [("CN", "mail.contoso.com"), ("O", "Contoso Pharmaceuticals Europe"),
               ("L", "Amsterdam"), ("S", "Noord-Holland"), ("C", "NL")]
SAN_NAMES = ["mail.contoso.com", "autodiscover.contoso.com", "owa.contoso.com",
             "smtp.contoso.com", "dag01.contoso.com"]
CONNECTOR = "Outbound to Partners"
WHEN = g.utc(2026, 11, 10, 8, 0, 0)


def signed(blob):
    """Current Exchange's signed SerializationData: "#sig#", length, stream,
    a 32-byte trailer (its bytes are the signature; any bytes do here)."""
    trailer = hashlib.sha256(blob).digest()
    return b"#sig#" + struct.pack("<I", len(blob)) + blob + trailer


def signed_real_export():
    with open(os.path.join(HERE, "realdata", REAL_CERTS), "rb") as f:
        xml = f.read().decode("utf-8-sig")

    def sign(m):
        return m.group(1) + base64.b64encode(signed(base64.b64decode(m.group(2)))) \
            .decode() + m.group(3)
    out, n = re.subn(r'(<BA N="SerializationData">)([^<]+)(</BA>)', sign, xml)
    assert n == 5, n
    ders = [base64.b64decode(b) for b in re.findall(r'<BA N="RawData">([^<]+)</BA>', xml)]
    return g.utf8bom(out), [hashlib.sha1(d).hexdigest().upper() for d in ders]


def table_view(insts, width=100):
    """`Get-ExchangeCertificate > table.txt`: Thumbprint, ServicesStringForm,
    Subject cut at the console width with "..." (Windows PowerShell)."""
    lines = ["", "Thumbprint                                Services   Subject",
             "----------                                --------   -------"]
    for i in insts:
        row = "%s  %s    %s" % (i.cert.thumbprint, g.services_string_form(i.services),
                               i.cert.subject)
        if len(row) > width - 1:
            row = row[:width - 4] + "..."
        lines.append(row)
    lines += ["", ""]
    return "\r\n".join(lines)


def pkcs7_der(certs, work):
    pem = os.path.join(work, "chain.pem")
    g.write(pem, "".join(c.pem() for c in certs).encode())
    return g.run([g.OPENSSL, "crl2pkcs7", "-nocrl", "-certfile", pem,
                  "-outform", "DER"]).stdout


def build(outdir, seed):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as work:
        pki = g.Pki(work, rng)
        since = g.utc(2023, 3, 14, 9, 2, 17)
        auth = pki.self_signed(g.AUTH_SUBJECT, g.utc(2023, 3, 14, 9, 12, 44),
                               g.utc(2028, 2, 16, 9, 12, 44), [])
        san = pki.issue(pki.digicert_ca, SAN_SUBJECT, g.utc(2026, 10, 2),
                        g.utc(2027, 10, 1, 23, 59, 59), SAN_NAMES)
        exa = [g.Installed(san, "EXA", "EXA.contoso.com", ["IIS"], "ThirdParty",
                           "mail.contoso.com 2026")]
        exa += g.server_defaults(pki, "EXA", "EXA.contoso.com", auth, since)
        exb = [g.Installed(san, "EXB", "EXB.contoso.com", ["IMAP", "POP", "IIS"],
                           "ThirdParty", "mail.contoso.com 2026")]
        exb += g.server_defaults(pki, "EXB", "EXB.contoso.com", auth, since)
        partners = [r.cert for r in g.partner_remotes(pki)[:2]]
        chain = [pki.contoso_ca, pki.digicert_ca]
        p7b = pkcs7_der(chain, work)

    tls_name = g.tls_certificate_name(g.DIGICERT_CA, SAN_SUBJECT)
    conn = g.SendConnector(CONNECTOR, ["EXA", "EXB"], tls_name=tls_name,
                           address_spaces=["SMTP:fabrikam.com;1"], require_tls=True,
                           tls_auth_level="CertificateValidation",
                           fqdn="mail.contoso.com")
    cul = g.EN_US
    exa_zip = g.zip_bytes([
        ("Connectors/Send_Connectors.txt",
         g.utf16(g.fl_document([conn.fl_props(cul)], 120)), WHEN),
        ("Exchange_Server_Data/EXA_TransportServer.txt",
         g.utf16(g.fl_document([g.transport_service_props(
             "EXA", "EXA.contoso.com", exa[1].cert.thumbprint)], 120)), WHEN),
        ("certs/chain.p7b", p7b, WHEN),
    ])
    real_xml, real_tps = signed_real_export()
    win_zip = g.zip_bytes([
        ("Exchange_Server_Data/%s_ExchangeCertificate.xml" % REAL_SERVER, real_xml,
         g.utc(2022, 12, 7))])
    damaged = ("-----BEGIN CERTIFICATE-----\nMIIB!!not base64!!\n"
               "-----END CERTIFICATE-----\n")
    pem = partners[0].pem() + damaged + partners[1].pem()
    members = [
        ("certs/EXA_ExchangeCertificate.txt",
         g.utf16(g.fl_document([g.cert_props_default(i, cul) for i in exa], 120)), WHEN),
        ("EXA-1110.zip", exa_zip, WHEN),
        # `Get-ExchangeCertificate | ? {!$_.IsSelfSigned -or $_.Services} | fl *`
        # left out the auth certificate: only the table view shows it on EXB.
        ("EXB/fl.txt", g.utf16(g.fl_document([g.cert_props_all(i, cul)
                                              for i in exb if i.cert is not auth],
                                             160)), WHEN),
        ("EXB/table.txt", g.utf16(table_view(exb, width=90)), WHEN),
        ("collector/%s-327.zip" % REAL_SERVER, win_zip, WHEN),
        ("certificates/partners.pem", pem.encode(), WHEN),
        ("certificates/broken.cer", bytes(rng.getrandbits(8) for _ in range(700)), WHEN),
    ]
    g.write(os.path.join(outdir, "servers.zip"), g.zip_bytes(members))

    # The inventory each server must end with, from this model alone:
    # installed certificates by server; certificate files by the path clue
    # around them (chain.p7b sits in EXA's collector zip), else no server.
    inv = {"EXA": {i.cert.thumbprint: i.services for i in exa},
           "EXB": {i.cert.thumbprint: i.services for i in exb},
           REAL_SERVER: {tp: REAL_SERVICES[tp] for tp in real_tps},
           "": {c.thumbprint: None for c in partners}}
    for c in chain:
        inv["EXA"][c.thumbprint] = None     # a file says nothing of services
    count = sum(len(v) for v in inv.values())
    certs = []
    for server, tps in sorted(inv.items()):
        for tp, svc in sorted(tps.items()):
            e = {"server": server, "thumbprint": tp}
            if svc is not None:
                e["services"] = [x for x in g.SERVICE_ORDER if x in svc]
            if server:
                certs.append(e)
    sanx = san.thumbprint
    exp = {
        "description": "three servers: collector zips, folders, file prefixes, signed "
                       "SerializationData, a table view, .p7b and PEM files",
        "inputs": ["servers.zip"],
        "as_of": "2026-11-10T09:00:00Z",
        "certificates_count": count,
        "certificates": certs,
        "server_inventory": {k: {tp: v for tp, v in sorted(t.items())}
                             for k, t in sorted(inv.items())},
        "san_thumbprint": sanx,
        "auth_thumbprint": auth.thumbprint,
        "send_connectors": [{"name": CONNECTOR, "tls_certificate_name": tls_name,
                             "source_transport_servers": ["EXA", "EXB"],
                             "require_tls": True}],
        "rules_present": ["smtp-service-not-enabled"],
        "rules_absent": ["tls-cert-name-ambiguous"],
        "findings": [g.finding(
            "smtp-service-not-enabled", "medium", ["EXA", "EXB"], [CONNECTOR], [sanx],
            commands=["Enable-ExchangeCertificate -Server EXA -Thumbprint %s "
                      "-Services IIS,SMTP" % sanx,
                      "Enable-ExchangeCertificate -Server EXB -Thumbprint %s "
                      "-Services IMAP,POP,IIS,SMTP" % sanx],
            evidence_sources=["EXA_ExchangeCertificate.txt", "EXB/fl.txt"])],
        "diagnostics": [
            {"what": "damaged PEM block", "any_of": ["partners.pem"]},
            {"what": "unreadable .cer", "any_of": ["broken.cer"]},
        ],
    }
    g.write_expected(outdir, "servers", exp)
    return exp


def check(findings_path, exp_path):
    """Each server's inventory, complete and right; nothing else on it."""
    with open(findings_path) as f:
        doc = json.load(f)
    with open(exp_path) as f:
        exp = json.load(f)
    bad = []
    got = {}
    for c in doc.get("certificates") or []:
        key = (c.get("server") or "", c.get("thumbprint"))
        if key in got:
            bad.append("two records for %s/%s" % key)
        got[key] = c
    want = {(s, tp): svc for s, tps in exp["server_inventory"].items()
            for tp, svc in tps.items()}
    for key, svc in sorted(want.items()):
        c = got.get(key)
        if c is None:
            bad.append("%s/%s missing" % key)
            continue
        if svc is not None and sorted(c.get("services") or []) != sorted(svc):
            bad.append("%s/%s services %r, want %r" % (key + (c.get("services"), svc)))
        if svc is None and key[0] and c.get("services") is not None:
            bad.append("%s/%s services %r from a file, want unknown" % (
                key + (c.get("services"),)))
    for key in sorted(set(got) - set(want)):
        bad.append("%s/%s not expected" % key)
    # The SAN certificate: one record per server, each with its own sources.
    san = exp["san_thumbprint"]
    for s, other in (("EXA", "EXB"), ("EXB", "EXA")):
        c = got.get((s, san)) or {}
        srcs = c.get("sources") or []
        if not srcs or any("/%s/" % other in x or x.startswith(other + "/") or
                           "%s_" % other in x for x in srcs):
            bad.append("SAN record on %s has sources %r" % (s, srcs))
    # Known only from the table view: its subject was cut, and says so.
    a = got.get(("EXB", exp["auth_thumbprint"])) or {}
    if a.get("subject_incomplete") is not True or not (a.get("subject") or "") \
            .endswith("..."):
        bad.append("EXB's auth certificate subject %r not marked cut" % a.get("subject"))
    exb = (got.get(("EXB", san)) or {}).get("sources") or []
    if not (any(x.endswith("EXB/fl.txt") for x in exb) and
            any(x.endswith("EXB/table.txt") for x in exb)):
        bad.append("EXB's table view and fl twins not merged: %r" % exb)
    for s in ("EXA", "EXB", REAL_SERVER):
        n = sum(1 for k in got if k[0] == s)
        print("# %s: %d certificate record(s), want %d" % (
            s, n, len(exp["server_inventory"][s])))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--check", nargs=2, metavar=("FINDINGS", "EXPECTED"))
    ap.add_argument("--seed", type=int, default=20261129)
    a = ap.parse_args(argv)
    if a.check:
        return check(*a.check)
    if not a.outdir:
        ap.error("OUTDIR is required")
    os.makedirs(a.outdir, exist_ok=True)
    build(a.outdir, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())

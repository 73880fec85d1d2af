#!/usr/bin/env python3
"""Hostile bundles: each wraps real evidence around bad entries and says what
the bad entries must produce and what must still be found after them.

    gen_hostile.py OUTDIR

writes OUTDIR/<name>.zip (or .tar.gz) and OUTDIR/<name>.hostile.json for each
bundle. The JSON holds:

  bundle        the file to analyze
  args          extra command-line options
  exit_code     the status certtrail must exit with
  diagnostics   [{"what", "regex"}]: a diagnostic ("SOURCE MESSAGE") must match
  entries       [{"path", "status", "why"}]: manifest entries (path ends with
                "path", status equal, why matching the regex)
  entries_absent_regex  no manifest path may match it
  read_kinds    [{"path", "kind"}]: entries read whole and sniffed as kind
  certificates  thumbprints that must be in findings.json
  connectors    send connector names that must be in findings.json
  log_min       {"tls_failed": n, ...}: log_summary at least these
  rules         rules that must be found
  stdout_regex  the summary on stdout must match
  html_absent / html_present   raw strings report.html must not / must hold
  xlsx_text     strings that must be cell text (never a formula) in report.xlsx

Bundles are built with a small zip writer of our own (zip_build) where
Python's zipfile cannot lie: ZipCrypto-encrypted members, sizes that lie,
symbolic links, names with "..". The evidence itself comes from
gen_bundles.py (real certificates, Format-List dumps, protocol logs).
"""
import datetime as dt
import gzip
import io
import json
import os
import random
import struct
import sys
import tarfile
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_bundles as g  # noqa: E402

WHEN = g.AS_OF_O365 - dt.timedelta(minutes=5)
MIB = 1024 * 1024


# ------------------------------------------------------------ a zip writer

def _crc_table():
    t = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (0xEDB88320 ^ (c >> 1)) if c & 1 else (c >> 1)
        t.append(c)
    return t


CRC_TABLE = _crc_table()


class ZipCrypto:
    """PKWARE traditional encryption (APPNOTE 6.1), to make encrypted members."""

    def __init__(self, password):
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for ch in password:
            self._update(ch)

    def _crc(self, c, b):
        return CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)

    def _update(self, b):
        k = self.k
        k[0] = self._crc(k[0], b)
        k[1] = (k[1] + (k[0] & 0xFF)) & 0xFFFFFFFF
        k[1] = (k[1] * 134775813 + 1) & 0xFFFFFFFF
        k[2] = self._crc(k[2], (k[1] >> 24) & 0xFF)

    def encrypt(self, data):
        out = bytearray()
        for b in data:
            t = (self.k[2] | 2) & 0xFFFF
            out.append(b ^ (((t * (t ^ 1)) >> 8) & 0xFF))
            self._update(b)
        return bytes(out)


def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zip_build(members):
    """members: dicts with name, data and optionally method ("deflate" or
    "store"), password, symlink (data is the target), size_lie (the size
    written in both headers), damage (bytes flipped mid-data). Returns the
    zip's bytes."""
    out = bytearray()
    central = bytearray()
    dosdate = ((WHEN.year - 1980) << 9) | (WHEN.month << 5) | WHEN.day
    dostime = (WHEN.hour << 11) | (WHEN.minute << 5) | (WHEN.second // 2)
    for m in members:
        name = m["name"].encode("utf-8")
        data = m["data"]
        crc = zlib.crc32(data) & 0xFFFFFFFF
        method = 0 if m.get("method") == "store" or m.get("symlink") else 8
        body = deflate(data) if method == 8 else data
        flags = 0x800
        if m.get("password"):
            flags |= 1
            zc = ZipCrypto(m["password"].encode())
            header = random.Random(len(data)).randbytes(11)
            header += bytes([crc >> 24])
            body = zc.encrypt(header + body)
        if m.get("damage"):
            b = bytearray(body)
            mid = len(b) // 2
            for i in range(mid, min(mid + 64, len(b))):
                b[i] ^= 0x5A
            body = bytes(b)
        usize = m.get("size_lie", len(data))
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, dostime,
                           dosdate, crc, len(body), usize, len(name), 0)
        out += name + body
        attr = (0o120777 << 16) if m.get("symlink") else (0o100644 << 16)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20,
                               flags, method, dostime, dosdate, crc, len(body), usize,
                               len(name), 0, 0, 0, 0, attr, offset)
        central += name
    cd_off = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                       len(central), cd_off, 0)
    return bytes(out)


def member(name, data, **kw):
    d = {"name": name, "data": data}
    d.update(kw)
    return d


# ------------------------------------------------------------ the evidence

def evidence(pki, seed, connector_name=None, friendly=None):
    """The o365 case of gen_bundles.py (a pinned certificate without SMTP,
    TLS failures in the logs): members and what must be found of them."""
    case = g.o365_case(pki, random.Random(seed), smtp_enabled=False, failures=40)
    if connector_name is not None:
        old = case["connectors"][0].name
        case["connectors"][0].name = connector_name
        case["log"].rows = [(t, o, x.replace(old, connector_name))
                            for t, o, x in case["log"].rows]
    if friendly is not None:
        case["certs"][0].friendly = friendly
        certs = g.utf16(g.fl_document([g.cert_props_all(i, g.EN_US)
                                       for i in case["certs"]], 120))
    else:
        certs = g.utf16(g.fl_document([g.cert_props_default(i, g.EN_US)
                                       for i in case["certs"]], 120))
    conns = g.utf16(g.fl_document([c.fl_props(g.EN_US) for c in case["connectors"]], 120))
    logs = case["log"].files("EXHUB1/SmtpSend/")
    found = {
        "certificates": [case["new"].thumbprint],
        "connectors": [case["connectors"][0].name],
        "log_min": {"tls_failed": case["log"].tls_failed},
        "rules": ["smtp-service-not-enabled"],
    }
    return certs, conns, logs, found


def log_members(logs):
    return [member(n, d) for n, d, _ in logs]


def spec(name, bundle, found, **kw):
    s = {"name": name, "bundle": bundle, "args": [], "exit_code": 0,
         "diagnostics": [], "entries": [], "read_kinds": []}
    s.update(found)
    s.update(kw)
    return s


def write(outdir, s, data=None):
    if data is not None:
        g.write(os.path.join(outdir, s["bundle"]), data)
    g.write(os.path.join(outdir, s["name"] + ".hostile.json"),
            (json.dumps(s, indent=2) + "\n").encode())


# ------------------------------------------------------------ the bundles

def bundle_issue(outdir, pki):
    """The issue's case: a 2 MB line of one character, then an encrypted
    entry, a damaged nested zip, a flat and a nested zip bomb, then the real
    protocol logs and the certificate dump."""
    certs, conns, logs, found = evidence(pki, 11)
    inner = [member("first.txt", b"first entry of the damaged zip\r\n"),
             member("damaged.LOG", logs[0][1], damage=True),
             member("after-damage.txt", b"after the damage\r\n")]
    nested_bomb = zip_build([member("zeros-%d.bin" % i, b"\0" * (40 * MIB))
                             for i in range(2)]
                            + [member("note.txt", b"a note after two bombs\r\n")])
    members = ([member("EXHUB1/Logs/verbose.log", b"A" * (2 * MIB) + b"\r\n"),
                member("EXHUB1/confidential/SEND2026110907-1.LOG", logs[0][1],
                       password="infected"),
                member("EXHUB1/archive/damaged.zip", zip_build(inner), method="store"),
                member("EXHUB1/archive/bomb.bin", b"\0" * (64 * MIB)),
                member("EXHUB1/archive/bombs.zip", nested_bomb)]
               + log_members(logs)
               + [member("EXHUB1/sendconnector.txt", conns),
                  member("EXHUB1/certs.txt", certs)])
    diags = [
        {"what": "the encrypted entry", "regex": r"confidential/SEND2026110907-1\.LOG encrypted"},
        {"what": "the damaged entry of the nested zip",
         "regex": r"archive/damaged\.zip/damaged\.LOG damaged"},
        {"what": "the flat bomb", "regex": r"archive/bomb\.bin skipped: .*zip bomb"},
        {"what": "the nested bomb", "regex": r"bombs\.zip/zeros-0\.bin skipped: .*--max-ratio"},
    ]
    entries = [
        {"path": "EXHUB1/Logs/verbose.log", "status": "read"},
        {"path": "confidential/SEND2026110907-1.LOG", "status": "encrypted", "why": "passphrase"},
        {"path": "archive/damaged.zip/damaged.LOG", "status": "damaged", "why": "damaged"},
        {"path": "archive/damaged.zip/after-damage.txt", "status": "read"},
        {"path": "archive/bomb.bin", "status": "skipped", "why": "--ratio-grace"},
        {"path": "archive/bombs.zip/zeros-0.bin", "status": "skipped", "why": "zip bomb"},
        {"path": "archive/bombs.zip/zeros-1.bin", "status": "skipped", "why": "zip bomb"},
        {"path": "archive/bombs.zip/note.txt", "status": "read"},
    ]
    kinds = [{"path": "EXHUB1/certs.txt", "kind": "format-list"},
             {"path": logs[-1][0], "kind": "protocol-log"}]
    s = spec("issue-case", "issue-case.zip", found, diagnostics=diags, entries=entries,
             read_kinds=kinds, stdout_regex=r"\b5 entries could not be read",
             html_present=["5 entries could not be read"])
    write(outdir, s, zip_build(members))
    # The same with a grace small enough that the long line is skipped too:
    # it costs only itself.
    s2 = dict(s, name="issue-case-small-grace", args=["--ratio-grace", "1M"],
              stdout_regex=r"\b6 entries could not be read",
              html_present=["6 entries could not be read"],
              entries=[{"path": "EXHUB1/Logs/verbose.log", "status": "skipped",
                        "why": "zip bomb"}] + entries[1:],
              diagnostics=diags + [{"what": "the long line under a small grace",
                                    "regex": r"verbose\.log skipped: .*--ratio-grace"}])
    write(outdir, s2)


def bundle_names(outdir, pki):
    """Names that climb out, absolute names, a symbolic link, backslashes."""
    certs, conns, logs, found = evidence(pki, 12)
    members = ([member("../../../../etc/cron.d/certtrail.txt", b"* * * * * root id\r\n"),
                member("/etc/shadow.txt", b"root:*:19000:0:99999:7:::\r\n"),
                member("C:\\Windows\\Temp\\..\\evil.txt", b"backslashes\r\n"),
                member("EXHUB1/link-to-passwd", b"/etc/passwd", symlink=True),
                member("EXHUB1/./.././certs.txt", certs)]
               + log_members(logs) + [member("EXHUB1/sendconnector.txt", conns)])
    s = spec("names", "names.zip", found,
             diagnostics=[{"what": "the symbolic link",
                           "regex": r"link-to-passwd skipped: a symbolic link"}],
             entries=[{"path": "EXHUB1/link-to-passwd", "status": "skipped",
                       "why": "never followed"},
                      {"path": "etc/cron.d/certtrail.txt", "status": "read"},
                      {"path": "etc/shadow.txt", "status": "read"}],
             entries_absent_regex=r"(^|/)\.\.(/|$)|^/|\\",
             read_kinds=[{"path": "certs.txt", "kind": "format-list"}])
    write(outdir, s, zip_build(members))


def bundle_lying_size(outdir, pki):
    """One member claims 100 bytes and holds 3 MiB; one claims 100 GiB."""
    certs, conns, logs, found = evidence(pki, 13)
    members = ([member("EXHUB1/small-liar.txt", b"x" * (3 * MIB), size_lie=100),
                member("EXHUB1/huge-liar.txt", b"tiny\r\n", size_lie=0xFFFFFFF0)]
               + log_members(logs)
               + [member("EXHUB1/certs.txt", certs),
                  member("EXHUB1/sendconnector.txt", conns)])
    s = spec("lying-size", "lying-size.zip", found,
             args=["--max-entry-bytes", "64M"],
             diagnostics=[{"what": "the member larger than it says",
                           "regex": r"small-liar\.txt damaged"},
                          {"what": "the member announcing 4 GiB",
                           "regex": r"huge-liar\.txt skipped: .*--max-entry-bytes"}],
             entries=[{"path": "EXHUB1/small-liar.txt", "status": "damaged", "why": "size"},
                      {"path": "EXHUB1/huge-liar.txt", "status": "skipped",
                       "why": "--max-entry-bytes"}],
             read_kinds=[{"path": "EXHUB1/certs.txt", "kind": "format-list"}])
    write(outdir, s, zip_build(members))


def bundle_truncated(outdir, pki):
    """Cut in the middle of its last member: what came before is read."""
    certs, conns, logs, found = evidence(pki, 14)
    noise = random.Random(5).randbytes(200000)
    members = ([member("EXHUB1/certs.txt", certs),
                member("EXHUB1/sendconnector.txt", conns)]
               + log_members(logs) + [member("EXHUB1/trailing.bin", noise)])
    data = zip_build(members)
    at = data.find(b"EXHUB1/trailing.bin")
    cut = data[:at + 19 + 100000]
    s = spec("truncated", "truncated.zip", found,
             diagnostics=[{"what": "the cut member", "regex": r"trailing\.bin damaged"},
                          {"what": "the archive", "regex": r"truncated\.zip archive damaged or truncated"}],
             entries=[{"path": "EXHUB1/trailing.bin", "status": "damaged"}],
             read_kinds=[{"path": "EXHUB1/certs.txt", "kind": "format-list"}])
    write(outdir, s, cut)


def bundle_deep(outdir, pki):
    """Archives nested 8 deep, beyond --max-depth 4, and evidence after them."""
    certs, conns, logs, found = evidence(pki, 15)
    deep = zip_build([member("innermost.txt", b"innermost\r\n")])
    for level in range(8, 0, -1):
        deep = zip_build([member("level%d.txt" % level, b"level\r\n"),
                          member("deep%d.zip" % (level + 1), deep)])
    members = ([member("EXHUB1/deep1.zip", deep)] + log_members(logs)
               + [member("EXHUB1/certs.txt", certs),
                  member("EXHUB1/sendconnector.txt", conns)])
    s = spec("deep", "deep.zip", found,
             diagnostics=[{"what": "the archive too deep", "regex": r"deep5\.zip skipped: .*--max-depth"}],
             entries=[{"path": "deep4.zip/deep5.zip", "status": "skipped", "why": "--max-depth"},
                      {"path": "deep4.zip/level4.txt", "status": "read"}],
             read_kinds=[{"path": "EXHUB1/certs.txt", "kind": "format-list"}])
    write(outdir, s, zip_build(members))


def bundle_many(outdir, pki):
    """More entries than --max-entries: the evidence before the limit is read,
    the entry at the limit and the rest of the archive are said to be unread."""
    certs, conns, logs, found = evidence(pki, 16)
    members = ([member("EXHUB1/certs.txt", certs),
                member("EXHUB1/sendconnector.txt", conns)] + log_members(logs)
               + [member("EXHUB1/many/%04d.txt" % i, b"%d\r\n" % i) for i in range(3000)])
    limit = 2 + len(logs) + 100
    s = spec("many-entries", "many-entries.zip", found, args=["--max-entries", str(limit)],
             diagnostics=[{"what": "the first entry over the limit",
                           "regex": r"many/0100\.txt skipped: .*--max-entries"},
                          {"what": "the rest of the archive",
                           "regex": r"many-entries\.zip the rest of the archive is not read"}],
             entries=[{"path": "many/0100.txt", "status": "skipped", "why": "--max-entries"},
                      {"path": "many-entries.zip/(rest not read)", "status": "skipped",
                       "why": "--max-entries"}],
             entries_max=limit + 10,
             read_kinds=[{"path": "EXHUB1/certs.txt", "kind": "format-list"}])
    write(outdir, s, zip_build(members))


def bundle_targz(outdir, pki):
    """A .tar.gz whose gzip tail is corrupt: the members before it are read."""
    certs, conns, logs, found = evidence(pki, 17)
    noise = random.Random(6).randbytes(300000)
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in ([("EXHUB1/certs.txt", certs), ("EXHUB1/sendconnector.txt", conns)]
                           + [(n, d) for n, d, _ in logs] + [("EXHUB1/tail.bin", noise)]):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = int(WHEN.timestamp())
            t.addfile(ti, io.BytesIO(data))
    gz = bytearray(gzip.compress(bio.getvalue(), 9, mtime=0))
    for i in range(len(gz) - 120, len(gz) - 8):
        gz[i] ^= 0xA5
    s = spec("targz-corrupt-tail", "targz-corrupt-tail.tar.gz", found,
             diagnostics=[{"what": "the corrupt tail",
                           "regex": r"(tail\.bin damaged|targz-corrupt-tail\.tar\.gz archive damaged)"}],
             entries=[{"path": "targz-corrupt-tail.tar.gz/(rest not read)", "status": "damaged"}],
             read_kinds=[{"path": "EXHUB1/certs.txt", "kind": "format-list"}])
    write(outdir, s, bytes(gz))


def bundle_long_lines(outdir, pki):
    """A 3 MB line in the middle of a protocol log and one in a Format-List
    dump: the rows after them are still read."""
    certs, conns, logs, found = evidence(pki, 18)
    name, data, _ = logs[-1]
    lines = data.split(b"\r\n")
    half = len(lines) // 2
    data = b"\r\n".join(lines[:half] + [b"2026-11-09T00:00:00.000Z," + b"Z" * (3 * MIB)]
                        + lines[half:])
    logs[-1] = (name, data, None)
    text = certs.decode("utf-16")
    text = "Comment : " + "y" * MIB + "\r\n" + text
    members = (log_members(logs) + [member("EXHUB1/certs.txt", g.utf16(text)),
                                    member("EXHUB1/sendconnector.txt", conns)])
    s = spec("long-lines", "long-lines.zip", found,
             read_kinds=[{"path": name, "kind": "protocol-log"}])
    write(outdir, s, zip_build(members))


def bundle_nul_utf8(outdir, pki):
    """NUL bytes and invalid UTF-8 in text: replaced, and the evidence read."""
    certs, conns, logs, found = evidence(pki, 19)
    # The longest log, its last row broken: NUL bytes past the head the
    # sniffer reads (as a crash leaves them), invalid UTF-8.
    k = max(range(len(logs)), key=lambda i: len(logs[i][1]))
    name, data, _ = logs[k]
    data = data + b"2026-11-09T00:00:00.000Z,bad\xff\xfe\xc3(,\x00\x00\x00,row\r\n"
    logs[k] = (name, data, None)
    text = certs.decode("utf-16").encode("utf-8")
    text = b"\xef\xbb\xbf" + text.replace(b"HasPrivateKey", b"Bogus\x00Field : \xff\xfe\x80\r\n"
                                          b"HasPrivateKey", 1)
    members = (log_members(logs) + [member("EXHUB1/certs.txt", text),
                                    member("EXHUB1/sendconnector.txt", conns),
                                    member("EXHUB1/binary.log", b"\x00\x01\x02\xff" * 4096)])
    s = spec("nul-utf8", "nul-utf8.zip", found,
             read_kinds=[{"path": name, "kind": "protocol-log"}])
    write(outdir, s, zip_build(members))


def bundle_injection(outdir, pki):
    """Markup in a connector name, a formula in a certificate's FriendlyName."""
    script = "<script>alert('certtrail')</script>"
    formula = '=HYPERLINK("http://evil.example/","click me")'
    certs, conns, logs, found = evidence(pki, 20, connector_name=script, friendly=formula)
    members = (log_members(logs) + [member("EXHUB1/certs.txt", certs),
                                    member("EXHUB1/sendconnector.txt", conns)])
    s = spec("injection", "injection.zip", found,
             html_absent=[script, "<script"],
             html_present=["&lt;script&gt;alert("],
             xlsx_text=[formula, script],
             read_kinds=[{"path": "EXHUB1/certs.txt", "kind": "format-list"}])
    write(outdir, s, zip_build(members))


def bundle_stream(outdir, pki):
    """Nested zips over 4 MiB are read as streams: a bomb inside one costs only
    itself, and so does a damaged entry inside another (the stream is picked
    up again at the next entry header)."""
    certs, conns, logs, found = evidence(pki, 21)
    noise = random.Random(7).randbytes(5 * MIB)
    with_bomb = zip_build([member("noise.bin", noise, method="store"),
                           member("bomb.bin", b"\0" * (64 * MIB))]
                          + log_members(logs))
    damaged = zip_build([member("before.txt", b"before\r\n"),
                         member("noise.bin", noise, method="store"),
                         member("broken.LOG", logs[0][1], damage=True),
                         member("after-damage.txt", b"after the damage\r\n")])
    members = [member("EXHUB1/logs.zip", with_bomb, method="store"),
               member("EXHUB1/damaged.zip", damaged, method="store"),
               member("EXHUB1/certs.txt", certs),
               member("EXHUB1/sendconnector.txt", conns)]
    s = spec("stream", "stream.zip", found,
             diagnostics=[{"what": "the bomb in the stream", "regex": r"logs\.zip/bomb\.bin skipped: .*zip bomb"},
                          {"what": "the damage in the stream",
                           "regex": r"damaged\.zip/broken\.LOG damaged"}],
             entries=[{"path": "logs.zip/bomb.bin", "status": "skipped", "why": "zip bomb"},
                      {"path": "damaged.zip/before.txt", "status": "read"},
                      {"path": "damaged.zip/broken.LOG", "status": "damaged"},
                      {"path": "damaged.zip/after-damage.txt", "status": "read"}],
             entries_absent_regex=r"\(rest not read\)",
             read_kinds=[{"path": "logs.zip/" + logs[-1][0], "kind": "protocol-log"},
                         {"path": "EXHUB1/certs.txt", "kind": "format-list"}])
    write(outdir, s, zip_build(members))


BUNDLES = [bundle_issue, bundle_names, bundle_lying_size, bundle_truncated, bundle_deep,
           bundle_many, bundle_targz, bundle_long_lines, bundle_nul_utf8, bundle_injection,
           bundle_stream]


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: gen_hostile.py OUTDIR\n")
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        pki = g.Pki(work, random.Random(20261129))
        for b in BUNDLES:
            b(outdir, pki)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

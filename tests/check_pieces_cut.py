#!/usr/bin/env python3
"""A bundle cut short in the middle of its largest protocol log, as a download
is cut: certtrail reads that log in pieces, keeps what it read before the cut,
and says so in the manifest, on standard output and on the page.

    check_pieces_cut.py BUNDLE.zip WORK_DIR CERTTRAIL

The bundle is written again with its largest log last and cut at 60 % of that
log's compressed data. The rows certtrail counts (rows and bad rows) must be
the data lines of the other logs plus the whole data lines of the cut log's
first N bytes, N being what its manifest line says was read; both counted here
from the bundle. Exits 1, saying what differs, when anything does.
"""
import json
import os
import re
import subprocess
import sys
import zipfile


def data_lines(text):
    """Lines that are neither blank nor a # header line, as a log holds rows."""
    return sum(1 for line in text.split(b"\n")
               if line.strip(b"\r\n \t") and not line.startswith(b"#"))


def main():
    src, work, binary = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    z = zipfile.ZipFile(src)
    logs = [i for i in z.infolist() if i.filename.upper().endswith(".LOG")]
    big = max(logs, key=lambda i: i.file_size)
    problems = []
    if big.file_size < 3 * 256 * 1024:
        problems.append("%s is %d bytes: too small to be read in pieces and cut"
                        % (big.filename, big.file_size))
    whole = os.path.join(work, "whole.zip")
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as out:
        for i in z.infolist():
            if i.filename != big.filename:
                out.writestr(i, z.read(i))
        out.writestr(big, z.read(big))
        last = out.infolist()[-1]
    data = open(whole, "rb").read()
    start = last.header_offset + 30 + len(last.filename.encode()) + len(last.extra)
    cut = os.path.join(work, "cut.zip")
    with open(cut, "wb") as f:
        f.write(data[:start + last.compress_size * 6 // 10])

    out_dir = os.path.join(work, "out")
    run = subprocess.run([binary, "--no-progress", "--as-of",
                          "2026-11-10T00:00:00Z", "-o", out_dir, cut],
                         capture_output=True, text=True)
    path = os.path.join(out_dir, "findings.json")
    if not os.path.exists(path):
        print("no findings.json; exit %d\n%s" % (run.returncode, run.stderr))
        return 1
    d = json.load(open(path, encoding="utf-8"))

    entry = [e for e in d["entries"] if e["path"] == big.filename]
    read = None
    if len(entry) != 1:
        problems.append("%d manifest lines for %s" % (len(entry), big.filename))
    else:
        e = entry[0]
        m = re.search(r"its first (\d+) bytes had been read", e["why"] or "")
        if e["status"] != "damaged" or e["kind"] != "protocol-log" or m is None:
            problems.append("manifest line: %r" % e)
        else:
            read = int(m.group(1))
            if read != e["bytes"] or not 0 < read < big.file_size:
                problems.append("read %d bytes, manifest bytes %d, file %d"
                                % (read, e["bytes"], big.file_size))
            if e["sha256"] is not None:
                problems.append("a hash for a log not read whole: %s" % e["sha256"])
    if read is not None:
        expect = sum(data_lines(z.read(i)) for i in logs if i is not big)
        head = z.read(big)[:read]
        expect += data_lines(head[:head.rfind(b"\n") + 1])
        s = d["log_summary"]
        if s["rows"] + s["bad_rows"] != expect:
            problems.append("rows %d + bad rows %d, expected %d data lines"
                            % (s["rows"], s["bad_rows"], expect))
    # One log cut short, read in part; the entries after it in the zip are
    # the rest of the archive, which cannot be named and is not one entry.
    said = ("1 entry could not be read to the end (read in part), and the rest "
            "of 1 archive was not read")
    if said not in run.stdout:
        problems.append("standard output does not say the log was read in "
                        "part:\n" + run.stdout)
    # The archive's damage is said once in what the verdict does not cover:
    # its manifest line, not that line and the archive's diagnostic again.
    lost = [t for t in d["verdict"]["incomplete"] if "the rest is lost" in t]
    if len(lost) != 1:
        problems.append("the verdict's list says the rest of the archive is "
                        "lost %d times: %r" % (len(lost), lost))
    page = open(os.path.join(out_dir, "report.html"), encoding="utf-8").read()
    if said + "</strong>" not in page:
        problems.append("the page does not say the log was read in part")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

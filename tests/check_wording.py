#!/usr/bin/env python3
"""Reads every report certtrail wrote under the given folders and fails on
wording a reader trips over, for tests/e2e_wording.sh.

usage: check_wording.py FOLDER...

Each findings.json (every string in it), report.html (its text, without
tags, scripts and styles) and report.xlsx (its shared and inline strings and
chart titles) found under a FOLDER is read, one line of text at a time, and
checked against FORBIDDEN: counts that disagree with their noun ("all 2
symptoms", "1 certificates"), an unknown time range ("unknown to unknown"), a
lead-in that negates its own list ("did not contain: no Get-Queue output"),
brackets inside brackets around a time, certtrail's own summary quoted as if
it were a log row, and "the certificate transport presents". A finding whose
title says it "matches N certificates" must name N distinct thumbprints (fewer
only by certificates whose thumbprint the export lacks).

Prints TAP: one test per file, its failures as comments. Exits 0.
"""
import html
import json
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NOUNS = (r"symptoms|certificates|servers|handshakes|findings|groups|messages|"
         r"rows|connectors|queues|days|hours|events|entries|files|errors|"
         r"warnings|thumbprints")

# Words that may stand between a count and its noun ("1 failed handshakes").
ADJECTIVES = (r"failed|failing|successful|active|resolved|expired|expiring|"
              r"queued|critical|high|medium|low|info|TLS|more|other|new|old|"
              r"distinct|matching|unexplained")

# (what is wrong, pattern over one line of text)
FORBIDDEN = [
    ("'all' before a count of two or fewer (say 'both', or the count)",
     re.compile(r"\ball [0-2] \w+", re.I)),
    ("one of a plural noun",
     re.compile(r"(?<![\d.,:/-])\b(1|one) (?:%s )?(?:%s)\b"
                % (ADJECTIVES, NOUNS))),
    ("several of a singular noun",
     re.compile(r"(?<![\d.,:/-])\b([02-9]|\d{2,}) (symptom|certificate|server|"
                r"handshake|finding|group|message|connector|queue|day|hour|"
                r"event|file)\b(?! (?:was|is|has)\b)(?!['’-])")),
    ("an unknown time range", re.compile(r"\bunknown to unknown\b", re.I)),
    ("a lead-in that negates its own list ('did not contain: no ...')",
     re.compile(r"(did not contain|does not contain|lacks|lacked|missing|"
                r"without):\s*(?:[•*-]\s*)?no\b", re.I)),
    ("a time or a count in brackets inside brackets",
     re.compile(r"\([^()]*\((?:server local time|UTC[^()]*|[^()]*local time|"
                r"\d[\d,]* \w+)\)[^()]*\)")),
    ("certtrail's summary quoted as a log row",
     re.compile(r"\brows? like:|[“\"]\d[\d,]* (?:TLS )?(?:handshakes|rows|"
                r"failures)\b")),
    ("'the certificate transport presents' (say who presents it)",
     re.compile(r"\bcertificate transport presents\b", re.I)),
]

MATCHES = re.compile(r"\bmatches (\d+) certificates\b")
BLOCK = re.compile(r"(?i)</?(p|div|li|tr|td|th|h[1-6]|br|dt|dd|ul|ol|table|"
                   r"section|details|summary|pre)\b[^>]*>")


def json_texts(path):
    out = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    with open(path, encoding="utf-8") as f:
        walk(json.load(f))
    return out


def html_texts(path):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    s = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", s)
    # A list item reads as a bullet after its lead-in.
    s = re.sub(r"(?i)<li\b[^>]*>", " \u2022 ", s)
    s = re.sub(r"(?i)</?(ul|ol)\b[^>]*>", " ", s)
    # Spans side by side with no text between are laid out apart (a tile's
    # figure and its label), not read as one phrase.
    s = re.sub(r"(?i)</span>(?:</span>)*<span\b", "\n<span", s)
    s = BLOCK.sub("\n", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = html.unescape(s)
    # A lead-in and its list are one sentence to the reader.
    s = re.sub(r":\s*\n\s*\u2022", ": \u2022", s)
    return [re.sub(r"[ \t\u00a0]+", " ", line).strip()
            for line in s.split("\n")]


def xlsx_texts(path):
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            if not (name.startswith("xl/sharedStrings") or
                    name.startswith("xl/worksheets/sheet") or
                    name.startswith("xl/charts/")):
                continue
            root = ET.fromstring(z.read(name))
            for e in root.iter():
                if e.tag.rsplit("}", 1)[-1] == "t" and e.text:
                    out.append(e.text)
    return out


def matches_counts(path):
    """A finding saying it matches N certificates names N thumbprints, or
    fewer when certificates whose thumbprint the export lacks make up the
    rest: one certificate on two servers is one."""
    bad = []
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    unknown = sum(1 for c in doc.get("certificates") or []
                  if not c.get("thumbprint"))
    for fd in doc.get("findings", []):
        m = MATCHES.search(fd.get("title") or "")
        if m is None:
            continue
        tps = {t.upper() for t in fd.get("thumbprints") or []}
        if not len(tps) <= int(m.group(1)) <= len(tps) + unknown:
            bad.append("%s: says %s certificates, names %d thumbprints: %s"
                       % (fd.get("id"), m.group(1), len(tps), fd["title"]))
    return bad


def check(path):
    if path.endswith(".json"):
        texts = json_texts(path)
    elif path.endswith(".html"):
        texts = html_texts(path)
    else:
        texts = xlsx_texts(path)
    bad = []
    for text in texts:
        for line in text.split("\n"):
            for what, pattern in FORBIDDEN:
                m = pattern.search(line)
                if m:
                    start = max(0, m.start() - 60)
                    bad.append("%s: ...%s..." % (what,
                                                 line[start:m.end() + 60]))
    if path.endswith(".json"):
        bad += matches_counts(path)
    return sorted(set(bad))


def main(argv):
    files = []
    for root in argv[1:]:
        for d, dirs, names in os.walk(root):
            dirs.sort()
            for n in sorted(names):
                if n in ("findings.json", "report.html", "report.xlsx"):
                    files.append(os.path.join(d, n))
    n = 0
    for path in files:
        n += 1
        try:
            bad = check(path)
        except (OSError, ValueError, zipfile.BadZipFile, ET.ParseError) as e:
            # A file another test left half-written or meant to be bad.
            print("ok %d - %s # SKIP unreadable: %s" % (n, path, e))
            continue
        print("%s %d - wording of %s" % ("not ok" if bad else "ok", n, path))
        for line in bad[:20]:
            print("# " + line)
        if len(bad) > 20:
            print("# ... and %d more" % (len(bad) - 20))
    if n == 0:
        n = 1
        print("not ok 1 - no report found under %s" % " ".join(argv[1:]))
    print("1..%d" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

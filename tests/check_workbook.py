#!/usr/bin/env python3
"""Reads report.xlsx back and checks how it presents, for tests/e2e_workbook.sh.

usage: check_workbook.py REPORT.xlsx CASE CUSTOMER ANALYST AS_OF

Checks, sheet by sheet (the Summary is a key/value list, not a table):
  - the header row is frozen and the table has an autofilter;
  - a row holding wrapped text longer than its column, or several lines, has
    a height set, tall enough for its lines;
  - commands, thumbprints and hashes are in a monospace font;
  - every date column holds real dates (numbers with a date format) or blank
    cells, never text such as "unknown";
  - certificate dates say whether they are UTC or the server's local time;
  - severities and expiry dates are shaded by conditional formats;
  - the document properties: title with the case, author the analyst,
    company the customer, created at the as-of time.
Prints one line per failure and exits 1, else exits 0.
"""
import math
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MONO_FONTS = ("Consolas", "Courier New", "Cascadia Mono", "Lucida Console")
# Headers of columns that hold identifiers or commands.
MONO_COLUMNS = ("Command", "Thumbprint", "Thumbprints", "Certificate thumbprint",
                "SHA-256", "How to collect it")
DATE_HEADER = re.compile(r"\(UTC\)|^Not before$|^Not after$|^First seen|"
                         r"^Last seen|^Modified|^Last retry")

failures = []


def fail(where, what):
    failures.append("%s: %s" % (where, what))


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class Book:
    def __init__(self, path):
        self.z = zipfile.ZipFile(path)
        self.strings = []
        sst = ET.fromstring(self.z.read("xl/sharedStrings.xml"))
        for si in sst.findall("m:si", NS):
            self.strings.append("".join(t.text or "" for t in si.iter(
                "{%s}t" % NS["m"])))
        self.styles()
        wb = ET.fromstring(self.z.read("xl/workbook.xml"))
        rels = ET.fromstring(self.z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        self.sheets = [(s.get("name"), "xl/" + target[s.get(REL)])
                       for s in wb.find("m:sheets", NS)]

    def styles(self):
        st = ET.fromstring(self.z.read("xl/styles.xml"))
        fmts = {int(f.get("numFmtId")): f.get("formatCode")
                for f in st.iter("{%s}numFmt" % NS["m"])}
        fonts = [f.find("m:name", NS) for f in st.find("m:fonts", NS)]
        fonts = [f.get("val") if f is not None else "" for f in fonts]
        self.xf = []
        for xf in st.find("m:cellXfs", NS):
            al = xf.find("m:alignment", NS)
            self.xf.append({
                "font": fonts[int(xf.get("fontId", "0"))],
                "numfmt": fmts.get(int(xf.get("numFmtId", "0")), ""),
                "wrap": al is not None and al.get("wrapText") == "1",
            })

    def rows(self, path):
        """(sheet XML root, {row number: (height, {col: (kind, value, xf)})})"""
        root = ET.fromstring(self.z.read(path))
        rows = {}
        for row in root.iter("{%s}row" % NS["m"]):
            cells = {}
            for c in row.findall("m:c", NS):
                v = c.find("m:v", NS)
                kind = c.get("t", "n")
                val = v.text if v is not None else None
                if kind == "s" and val is not None:
                    val = self.strings[int(val)]
                cells[col_index(c.get("r"))] = (kind, val,
                                                 self.xf[int(c.get("s", "0"))])
            ht = row.get("ht")
            rows[int(row.get("r"))] = (float(ht) if ht else None, cells)
        return root, rows


def widths(root):
    w = {}
    for col in root.iter("{%s}col" % NS["m"]):
        for i in range(int(col.get("min")) - 1, int(col.get("max"))):
            w[i] = float(col.get("width"))
    return w


def check_sheet(book, name, path):
    root, rows = book.rows(path)
    where = name
    pane = root.find(".//m:pane", NS)
    if pane is None or pane.get("state") != "frozen" or pane.get("ySplit") != "1":
        fail(where, "the header row is not frozen")
    if name != "Summary" and root.find("m:autoFilter", NS) is None:
        fail(where, "no autofilter")
    cw = widths(root)
    header = {c: v[1] for c, v in rows.get(1, (None, {}))[1].items()}
    for c, text in header.items():
        if text and cw.get(c, 8.43) < len(text) * 0.8:
            fail(where, "column %r is %.1f wide, too narrow for its header"
                 % (text, cw.get(c, 8.43)))
    for r, (ht, cells) in rows.items():
        if r == 1:
            continue
        need = 1
        for c, (kind, val, xf) in cells.items():
            if kind != "s" or val is None:
                continue
            width = cw.get(c, 8.43)
            if xf["wrap"]:
                # A lower bound: no character is narrower than half a unit.
                lines = sum(max(1, math.ceil(len(part) * 0.5 / width))
                            for part in val.split("\n"))
                need = max(need, lines)
            elif "\n" in val:
                fail(where, "row %d: text with line breaks in an unwrapped "
                     "cell" % r)
            col = header.get(c, "")
            if col in MONO_COLUMNS and xf["font"] not in MONO_FONTS:
                fail(where, "row %d: %r is in %r, not a monospace font"
                     % (r, col, xf["font"]))
        if need > 1 and (ht is None or ht < 15 * need - 0.5):
            fail(where, "row %d needs %d lines but is %s points tall"
                 % (r, need, ht))
    for c, col in header.items():
        if not col or not DATE_HEADER.search(col):
            continue
        for r, (ht, cells) in rows.items():
            if r == 1 or c not in cells:
                continue
            kind, val, xf = cells[c]
            if kind != "n" or "yy" not in xf["numfmt"]:
                fail(where, "row %d: %r holds %r, not a date" % (r, col, val))
    return root, rows, header


def main(argv):
    path, case, customer, analyst, as_of = argv[1:6]
    book = Book(path)
    seen = {}
    for name, sheet in book.sheets:
        seen[name] = check_sheet(book, name, sheet)

    # Certificate dates: their basis is named on every dated row.
    root, rows, header = seen["Certificates"]
    cols = {v: k for k, v in header.items()}
    if "Dates in" not in cols:
        fail("Certificates", "no 'Dates in' column")
    else:
        for r, (ht, cells) in rows.items():
            if r == 1:
                continue
            dated = cols["Not after"] in cells or cols["Not before"] in cells
            basis = cells.get(cols["Dates in"], (None, None, None))[1]
            if dated and basis not in ("UTC", "server local time"):
                fail("Certificates", "row %d: dates without a basis (%r)"
                     % (r, basis))
    if root.find("m:conditionalFormatting", NS) is None:
        fail("Certificates", "expiry dates are not shaded")
    froot = seen["Findings"][0]
    rules = " ".join(ET.tostring(e, encoding="unicode")
                     for e in froot.findall("m:conditionalFormatting", NS))
    if "&quot;critical&quot;" not in rules and '"critical"' not in rules:
        fail("Findings", "severities are not shaded")

    core = book.z.read("docProps/core.xml").decode("utf-8")
    app = book.z.read("docProps/app.xml").decode("utf-8")
    if not re.search(r"<dc:title>[^<]*%s[^<]*</dc:title>" % re.escape(case), core):
        fail("properties", "the title does not name the case")
    if "<dc:creator>%s</dc:creator>" % analyst not in core:
        fail("properties", "the author is not the analyst")
    if "<Company>%s</Company>" % customer not in app:
        fail("properties", "the company is not the customer")
    if ">%s</dcterms:created>" % as_of not in core:
        fail("properties", "created is not the as-of time %s" % as_of)
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

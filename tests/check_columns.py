#!/usr/bin/env python3
"""Checks that the three outputs show what the table descriptions say.

usage: check_columns.py COLUMNS.tsv OUTDIR

COLUMNS.tsv is tests/columns_dump's listing of the table descriptions
(src/model/kinds/, src/output/columns_report.c); OUTDIR holds
one run's findings.json, report.xlsx and report.html. For every described
table with records:
  - findings.json: each object has exactly the keys marked for it, in order;
  - the workbook sheet's header row is exactly the labels marked for it;
  - the page's table (or cards) has exactly the cells marked for it;
  - every column marked for all three outputs shows each record's value in
    all three: the same text, number, date, yes/no or list items, "unknown"
    for an unknown value (blank in a date or number column);
  - a time read as the server's local time says so in the workbook and on
    the page.
Prints one line per failure and exits 1, else exits 0.
"""
import datetime
import html
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_workbook import Book  # noqa: E402

SECTIONS = {"certificates": "certificates", "send_connectors": "send-connectors",
            "receive_connectors": "receive-connectors", "queues": "queues",
            "transport_services": "transport-services", "events": "events",
            "tls_outcomes": "protocol-logs", "gaps": "gaps",
            "diagnostics": "diagnostics", "servers": "servers"}
# Values whose wording for people differs from the JSON value.
SAID = {("tls_outcomes", "outcome"): {"ok": "succeeded"}}
EPOCH = datetime.datetime(1899, 12, 30, tzinfo=datetime.timezone.utc)

failures = []


def fail(where, what):
    failures.append("%s: %s" % (where, what))


class Col:
    def __init__(self, line):
        f = [None if x == "\\N" else x for x in line.rstrip("\n").split("\t")]
        (self.table, self.sheet, self.parent, self.key, self.label, self.head,
         shows, self.type, self.join, self.unknown) = f
        self.json, self.xlsx, self.page = ("j" in shows, "x" in shows,
                                           "h" in shows)
        self.name = self.key if self.parent is None else \
            "%s.%s" % (self.parent, self.key)

    def value(self, obj):
        return obj[self.parent][self.key] if self.parent else obj[self.key]


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def plain(fragment):
    text = re.sub(r"<br>", " ", fragment)
    return norm(html.unescape(re.sub(r"<[^>]+>", "", text)))


def said(col, v):
    return SAID.get((col.table, col.key), {}).get(v, v)


def yes_no(v):
    return "unknown" if v is None else "Yes" if v else "No"


def excel_date(iso):
    # A local time (no Z) is a clock reading, stored as such in the cell.
    t = datetime.datetime.strptime(iso.rstrip("Z"), "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    return (t - EPOCH).total_seconds() / 86400


def json_keys(table, cols, objs):
    want = []
    for c in cols:
        if c.json:
            k = c.parent or c.key
            if k not in want:
                want.append(k)
    for i, o in enumerate(objs):
        if list(o.keys()) != want:
            fail("%s[%d]" % (table, i), "keys %s, want %s" % (list(o), want))
            return
        for c in cols:
            if c.json and c.parent and list(o[c.parent]).count(c.key) != 1:
                fail("%s[%d]" % (table, i), "no %s" % c.name)


def xlsx_cell(where, col, v, cell):
    kind, val, xf = cell if cell is not None else (None, None, None)
    # A carriage return is stored escaped, as Excel writes it.
    text = val.replace("_x000D_", "\r") if kind == "s" and val is not None \
        else ""
    if col.type in ("time", "int"):
        if v is None:
            if val not in (None, ""):
                fail(where, "%s: unknown, but the cell holds %r" % (col.label, val))
        elif kind != "n" or abs(float(val) - (excel_date(v) if col.type == "time"
                                              else v)) > 1e-6:
            fail(where, "%s: %r, the cell %r" % (col.label, v, val))
        return
    if col.type in ("tri", "bool"):
        want = [yes_no(v)]
    elif v is None:
        want = [col.unknown if col.unknown is not None else "unknown"]
    elif col.type == "list":
        want = v if v else ["none"]
    elif col.type == "services":
        want = v if v else ["None"]
    else:
        want = [str(said(col, v))]
    for w in want:
        if w == "" and text == "":
            continue
        if norm(w).lower() not in norm(text).lower():
            fail(where, "%s: %r not in the cell %r" % (col.label, w, text[:120]))


def page_value(where, col, v, text):
    if v is None and col.type not in ("tri", "bool"):
        if col.join is None and col.unknown != "":
            w = col.unknown if col.unknown is not None else "unknown"
            if w not in text:
                fail(where, "%s: unknown, %r not shown" % (col.label, w))
        return
    if col.type == "time":
        want = [v[:19]]
    elif col.type in ("tri", "bool"):
        if col.join is not None and v is None:
            return
        want = [yes_no(v)]
    elif col.type in ("list", "services"):
        want = v
    else:
        want = [str(said(col, v))]
    for w in want:
        if norm(str(w)).lower() not in text.lower():
            fail(where, "%s: %r not shown" % (col.label, w))


def page_rows(page, table):
    sec = re.search(r'<section id="%s".*?</section>' % SECTIONS[table], page, re.S)
    if sec is None:
        return None, None
    body = sec.group(0)
    if table == "send_connectors":
        cards = re.findall(r'<article class="record(?: named)?">(.*?)</article>', body, re.S)
        heads = re.findall(r"<dt>(.*?)</dt>", cards[0]) if cards else []
        return ["Name"] + heads, [plain(c) for c in cards]
    tab = re.search(r"<table>(.*?)</table>", body, re.S)
    if tab is None:
        return None, None
    heads = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", tab.group(1))
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", tab.group(1).split("<tbody>")[1], re.S)
    return heads, [plain(r) for r in rows]


def main(argv):
    cols = [Col(line) for line in open(argv[1], encoding="utf-8") if line.strip()]
    out = argv[2]
    doc = json.load(open(os.path.join(out, "findings.json"), encoding="utf-8"))
    page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    book = Book(os.path.join(out, "report.xlsx"))
    sheets = dict(book.sheets)
    checked = 0
    for table in dict.fromkeys(c.table for c in cols):
        tcols = [c for c in cols if c.table == table]
        objs = doc.get(table) or []
        if not objs:
            continue
        checked += 1
        json_keys(table, tcols, objs)
        sheet = tcols[0].sheet
        root, rows = book.rows(sheets[sheet])
        header = [v[1] for c, v in sorted(rows.get(1, (None, {}))[1].items())]
        xcols = [c for c in tcols if c.xlsx]
        if header != [c.label for c in xcols]:
            fail(sheet, "header %s, want %s" % (header, [c.label for c in xcols]))
            continue
        pcols = [c for c in tcols if c.page and c.join is None]
        if pcols:
            heads, prows = page_rows(page, table)
            want_heads = [c.head or c.label for c in pcols]
            if heads is None or prows is None:
                fail(table, "no table on the page")
                continue
            if heads != want_heads:
                fail(table, "page header %s, want %s" % (heads, want_heads))
            if len(prows) != len(objs):
                fail(table, "%d objects, %d page rows" % (len(objs), len(prows)))
                continue
        else:
            # A table the page summarizes in its own way (the protocol
            # logs): the workbook and findings.json alone are compared.
            prows = [None] * len(objs)
        if len(rows) - 1 < len(objs):
            fail(table, "%d objects, %d sheet rows" % (len(objs), len(rows) - 1))
            continue
        for i, o in enumerate(objs):
            where = "%s[%d]" % (table, i)
            cells = rows[i + 2][1]
            for c in tcols:
                if not (c.json and c.xlsx) or (c.type == "zone" and not c.page):
                    continue
                v = c.value(o)
                xlsx_cell(where + " workbook", c, v, cells.get(xcols.index(c)))
                if c.page:
                    page_value(where + " page", c, v, prows[i])
            # A time read as server local time says so everywhere.
            timed = any(t.json and t.type == "time" and t.value(o) is not None
                        for t in tcols)
            for z in tcols:
                if z.type != "zone" or not z.json or z.value(o) is not False \
                        or not timed:
                    continue
                shown = cells.get(xcols.index(z))
                # It may say more: an order guessed, an offset known only
                # for another part of the year.
                if shown is None or not (shown[1] or "").startswith(
                        "server local time"):
                    fail(where + " workbook", "%s: not 'server local time'"
                         % z.label)
                if prows[i] is not None and "(server local time" not in prows[i]:
                    fail(where + " page", "no time labelled server local time")
    if checked == 0:
        fail(out, "no described table has records")
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

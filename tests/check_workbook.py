#!/usr/bin/env python3
"""Reads report.xlsx back and checks how it presents, for tests/e2e_workbook.sh.

usage: check_workbook.py REPORT.xlsx CASE CUSTOMER ANALYST AS_OF

Checks, sheet by sheet (the Summary is a key/value list, not a table):
  - a sheet whose evidence was not collected says "Not collected", what is
    missing and the command that collects it (in a monospace font), and
    holds no table: an empty one would read as "none";
  - the header row is frozen; every data sheet with rows is an Excel table
    named after the sheet (its words run together: "Send connectors" is
    SendConnectors) over its header and every row, its column names the
    header's, distinct; a sheet without rows has an autofilter on its header;
  - a row holding wrapped text longer than its column, or several lines, has
    a height set, tall enough for its lines;
  - commands, thumbprints and hashes are in a monospace font;
  - every date column holds real dates (numbers with a date format) or blank
    cells, never text such as "unknown"; number columns hold numbers or
    blank cells;
  - certificate dates say whether they are UTC or the server's local time;
  - severities and expiry dates are shaded by conditional formats;
  - the Summary: the verdict at the top, one title cell; every finding
    linked to its own row of the Findings sheet; every gap of the Gaps sheet
    with its command; the per-server grid (a row per server, a column per
    check, each cell a state in words and in colour), whose cells say "not
    collected" wherever the check's sheet was not collected;
  - the document properties: title with the case, author the analyst,
    company the customer, created at the as-of time.
Prints one line per failure and exits 1, else exits 0.
"""
import datetime as dt
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
                         r"^Last seen|^Modified|^Last retry|^Time$")
NUMBER_HEADER = re.compile(r"^(Messages|Key bits|Days left|Event ID|Count|Line|"
                           r"Sample line|Step|Bytes)$")

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
        self.fill_list = []
        for f in st.find("m:fills", NS):
            pf = f.find("m:patternFill", NS)
            self.fill_list.append(pf is not None and
                                  pf.get("patternType") not in (None, "none", "gray125"))
        self.xf = []
        for xf in st.find("m:cellXfs", NS):
            al = xf.find("m:alignment", NS)
            self.xf.append({
                "fill": int(xf.get("fillId", "0")),
                "font": fonts[int(xf.get("fontId", "0"))],
                "numfmt": fmts.get(int(xf.get("numFmtId", "0")), ""),
                "wrap": al is not None and al.get("wrapText") == "1",
            })

    def fills(self):
        """For each fill id, whether it paints the cell."""
        return self.fill_list

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


def cell_ref(ref):
    """(row number, column index) of "B12"."""
    return int(re.sub(r"[A-Z]+", "", ref)), col_index(ref)


def merged_widths(root, cw):
    """{(row, col) of a merged range's first cell: the range's width}."""
    out = {}
    for m in root.iter("{%s}mergeCell" % NS["m"]):
        first, last = m.get("ref").split(":")
        (r0, c0), (r1, c1) = cell_ref(first), cell_ref(last)
        width = sum(cw.get(c, 8.43) for c in range(c0, c1 + 1))
        for r in range(r0, r1 + 1):
            out[(r, c0)] = width
    return out


NOT_COLLECTED = "Not collected"
# The Timeline of handshakes none of whose rows has a time that was read.
NOT_DATED = "Not dated"


def not_collected(rows):
    """Whether a sheet says its evidence was not collected."""
    return rows.get(1, (None, {}))[1].get(0, (None, None))[1] == NOT_COLLECTED


def not_dated(rows):
    return rows.get(1, (None, {}))[1].get(0, (None, None))[1] == NOT_DATED


def check_not_collected(book, name, path, root, rows):
    """What is missing and the command that collects it; no table."""
    items = labelled(rows)
    if not (items.get("Missing", (None, None))[1] or "").strip():
        fail(name, "not collected, but does not say what is missing")
    kind, cmd, xf = items.get("Collect it with", (None, None, None))
    if not cmd or not re.match(r"[.\\\w-]+", cmd):
        fail(name, "not collected, but gives no command to collect it: %r"
             % cmd)
    elif xf["font"] not in MONO_FONTS:
        fail(name, "the command is not in a monospace font")
    if sheet_tables(book, path) or root.find("m:autoFilter", NS) is not None:
        fail(name, "not collected, but holds a table or an autofilter")


def check_sheet(book, name, path):
    root, rows = book.rows(path)
    where = name
    pane = root.find(".//m:pane", NS)
    if pane is None or pane.get("state") != "frozen" or pane.get("ySplit") != "1":
        fail(where, "the header row is not frozen")
    cw = widths(root)
    merged = merged_widths(root, cw)
    header = {c: v[1] for c, v in rows.get(1, (None, {}))[1].items()}
    if not_collected(rows):
        check_not_collected(book, name, path, root, rows)
    elif not_dated(rows):
        items = labelled(rows)
        if not re.match(r"\d+ TLS handshakes? in the protocol logs, none",
                        items.get("Handshakes", (None, ""))[1] or ""):
            fail(name, "not dated, but does not say how many handshakes")
        if sheet_tables(book, path):
            fail(name, "not dated, but holds a table")
    elif name != "Summary":
        check_table(book, name, path, root, rows, header)
    for c, text in header.items():
        if text and merged.get((1, c), cw.get(c, 8.43)) < len(text) * 0.8:
            fail(where, "column %r is %.1f wide, too narrow for its header"
                 % (text, cw.get(c, 8.43)))
    for r, (ht, cells) in rows.items():
        if r == 1:
            continue
        need = 1
        for c, (kind, val, xf) in cells.items():
            if kind != "s" or val is None:
                continue
            width = merged.get((r, c), cw.get(c, 8.43))
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
        if not col or not DATE_HEADER.search(col) or not_collected(rows) \
                or not_dated(rows):
            continue
        for r, (ht, cells) in rows.items():
            if r == 1 or c not in cells:
                continue
            kind, val, xf = cells[c]
            # A date whose day/month order is unknown is shown as written.
            if kind == "s" and (val or "").endswith(" (as written)"):
                continue
            if kind != "n" or "yy" not in xf["numfmt"]:
                fail(where, "row %d: %r holds %r, not a date" % (r, col, val))
    # A number column holds numbers or blanks, never "unknown".
    for c, col in header.items():
        if name == "Summary" or not col or not NUMBER_HEADER.search(col):
            continue
        for r, (ht, cells) in rows.items():
            if r > 1 and c in cells and cells[c][0] != "n":
                fail(where, "row %d: %r holds %r, not a number"
                     % (r, col, cells[c][1]))
    return root, rows, header


def sheet_tables(book, path):
    """The table parts of a sheet: [(table XML root)]."""
    rels = path.replace("worksheets/", "worksheets/_rels/") + ".rels"
    if rels not in book.z.namelist():
        return []
    out = []
    for r in ET.fromstring(book.z.read(rels)):
        if r.get("Type", "").endswith("/table"):
            target = r.get("Target").replace("../", "xl/")
            out.append(ET.fromstring(book.z.read(target)))
    return out


def check_table(book, name, path, root, rows, header):
    """A sheet with rows is one Excel table over all of them, named after it."""
    data = [r for r, (ht, cells) in rows.items() if r > 1 and cells]
    tables = sheet_tables(book, path)
    if not tables:
        if data:
            fail(name, "%d rows but no Excel table" % len(data))
        elif root.find("m:autoFilter", NS) is None:
            fail(name, "no autofilter on the header of an empty sheet")
        return
    if len(tables) != 1:
        fail(name, "%d tables, want 1" % len(tables))
    t = tables[0]
    want = "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", name))
    if t.get("name") != want or t.get("displayName") != want:
        fail(name, "table named %r, want %r" % (t.get("name"), want))
    ref = t.get("ref", "")
    m = re.match(r"A1:([A-Z]+)(\d+)$", ref)
    last = int(m.group(2)) if m else 0
    # The row saying what did not fit in the sheet is not one of the table's.
    note = [r for r in data if any(isinstance(v[1], str) and
                                   "do not fit in a worksheet" in v[1]
                                   for v in rows[r][1].values())]
    want_last = max([r for r in data if r not in note] or [1])
    if not m or last != want_last or col_index(m.group(1)) + 1 != len(header):
        fail(name, "table over %s, want A1 to row %d and %d columns"
             % (ref, want_last, len(header)))
    names = [c.get("name") for c in t.iter("{%s}tableColumn" % NS["m"])]
    if names != [header[c] for c in sorted(header)]:
        fail(name, "table columns %r are not the header %r" % (names, header))
    if len(set(names)) != len(names):
        fail(name, "table columns not distinct: %r" % names)


def labelled(rows):
    """{label in column A: (kind, value, xf) in column B} of a key/value sheet."""
    out = {}
    for r, (ht, cells) in sorted(rows.items()):
        if 0 in cells and cells[0][1]:
            out.setdefault(cells[0][1], cells.get(1, (None, None, None)))
    return out


def check_summary(book, seen):
    """A manager's Summary: the verdict, what happened, the fix, the impact
    figures and the findings by severity, coloured."""
    root, rows, header = seen["Summary"]
    items = labelled(rows)
    for label in ("Verdict", "What happened", "Failed TLS handshakes",
                  "Messages queued for retry", "Servers affected",
                  "Critical findings", "High findings", "Medium findings",
                  "Low findings", "Info findings"):
        if label not in items:
            fail("Summary", "no %r row" % label)
    if items.get("Verdict", (None, None))[1] in (None, ""):
        fail("Summary", "the verdict is empty")
    order = [cells[0][1] for r, (ht, cells) in sorted(rows.items()) if 0 in cells]
    if "Verdict" in order and order.index("Verdict") > 2:
        fail("Summary", "the verdict is not at the top")
    if items.get("Verdict", (None, None))[1] == "Root cause found":
        fix = items.get("The fix", (None, None))[1] or ""
        if not re.search(r"\((\w+ risk; .+|read only: nothing changes)\)$",
                         fix):
            fail("Summary", "no fix with its risk and downtime: %r" % fix)
        what = items.get("What happened", (None, None))[1] or ""
        if re.search(r"[0-9A-F]{40}", what):
            fail("Summary", "what happened leads with a thumbprint")
    fills = book.fills()
    for label in ("Critical findings", "High findings", "Medium findings",
                  "Low findings"):
        kind, val, xf = items.get(label, (None, None, None))
        if kind == "n" and float(val) > 0 and not fills[xf["fill"]]:
            fail("Summary", "%r is %s but not coloured" % (label, val))
    # The scale: the failed handshakes' share of all those logged.
    kind, share, xf = items.get("Failed share of logged handshakes",
                                (None, None, None))
    if share is not None:
        failed = items.get("Failed TLS handshakes", (None, None))[1]
        logged = items.get("TLS handshakes logged", (None, None))[1]
        if kind != "n" or "%" not in xf["numfmt"]:
            fail("Summary", "the failed share %r is not a percentage" % share)
        elif not logged or abs(float(share) - float(failed) /
                               float(logged)) > 1e-9:
            fail("Summary", "the failed share %s is not %s of %s"
                 % (share, failed, logged))
    title = [v[1] for c, v in rows.get(1, (None, {}))[1].items() if v[1]]
    if len(title) != 1:
        fail("Summary", "the title row holds %d texts, want one: %r"
             % (len(title), title))
    check_summary_findings(root, rows, seen)
    check_summary_gaps(rows, seen)
    check_summary_grid(book, rows, seen)


def check_summary_findings(root, rows, seen):
    """Every finding is listed, its id linked to its own Findings row."""
    frows = seen["Findings"][1]
    ids = {r: c[0][1] for r, (ht, c) in frows.items() if r > 1 and 0 in c}
    linked = set()
    for h in root.iter("{%s}hyperlink" % NS["m"]):
        m = re.match(r"'Findings'!A(\d+)$", h.get("location") or "")
        if m is None:
            continue
        r, c = cell_ref(h.get("ref"))
        text = rows.get(r, (None, {}))[1].get(c, (None, None))[1]
        target = ids.get(int(m.group(1)))
        if target is None or target != text:
            fail("Summary", "%s links %r to Findings row %s, which holds %r"
                 % (h.get("ref"), text, m.group(1), target))
        else:
            linked.add(text)
    if set(ids.values()) - linked:
        fail("Summary", "findings not linked: %s"
             % sorted(set(ids.values()) - linked))


def check_summary_gaps(rows, seen):
    """Every gap, then the command that collects it."""
    grows = seen["Gaps"][1]
    order = [(c.get(0, (None, None))[1], c.get(1, (None, None))[1])
             for r, (ht, c) in sorted(rows.items())]
    for r, (ht, c) in sorted(grows.items()):
        if r == 1 or 0 not in c:
            continue
        what, cmd = c[0][1], c.get(1, (None, None))[1]
        if ("Missing", what) not in order:
            fail("Summary", "gap %r not listed" % what)
            continue
        i = order.index(("Missing", what))
        if cmd and (i + 1 >= len(order) or
                    order[i + 1] != ("Collect it with", cmd)):
            fail("Summary", "gap %r without its command %r" % (what, cmd))


GRID_CHECKS = ["Certificates", "SMTP certificate", "Connectors",
               "TLS in the logs", "Queues", "Events"]
GRID_STATES = ("OK", "warning", "problem", "resolved", "not collected")
# The sheets whose evidence each check reads: when none was collected, the
# check is "not collected" on every server, a finding named there or not.
GRID_SHEETS = {"Certificates": ["Certificates"],
               # The certificate a server presents shows in its logs too.
               "SMTP certificate": ["Certificates", "TLS Outcomes"],
               "Connectors": ["Send Connectors", "Receive Connectors"],
               "TLS in the logs": ["TLS Outcomes"],
               "Queues": ["Queues"], "Events": ["Events"]}


def check_summary_grid(book, rows, seen):
    """A row per server, a column per check, each cell a state in words and
    in colour; "not collected" where nothing of the check was."""
    fills = book.fills()
    start = None
    for r, (ht, c) in sorted(rows.items()):
        if c.get(0, (None, None))[1] == "Server" and \
                [c.get(k, (None, None))[1] for k in range(1, 7)] == GRID_CHECKS:
            start = r
            break
    if start is None:
        fail("Summary", "no per-server grid (Server, %s)" % ", ".join(GRID_CHECKS))
        return
    servers = []
    r = start + 1
    while r in rows and rows[r][1].get(0, (None, None))[1]:
        cells = rows[r][1]
        name = cells[0][1]
        if name == "none":
            break
        servers.append(name)
        for k, check in enumerate(GRID_CHECKS, 1):
            kind, text, xf = cells.get(k, (None, "", None))
            state = (text or "").split("\n")[0]
            if state not in GRID_STATES:
                fail("Summary", "grid %s, %s: %r is no state" % (name, check, text))
                continue
            if not fills[xf["fill"]]:
                fail("Summary", "grid %s, %s: %r not coloured" % (name, check, state))
            absent = all(not_collected(seen[s][1]) for s in GRID_SHEETS[check]
                         if s in seen)
            # A finding may be named there, but what was not collected
            # stays so: unknown, never OK nor a problem seen.
            if absent and state != "not collected":
                fail("Summary", "grid %s, %s: %r, but its sheets were not "
                     "collected" % (name, check, state))
        r += 1
    srows = seen["Servers"][1]
    named = {c[0][1].upper() for q, (ht, c) in srows.items() if q > 1 and 0 in c}
    if named and not {s.upper() for s in servers} <= named | {
            n.split(".")[0] for n in named}:
        fail("Summary", "grid servers %r are not the Servers sheet's %r"
             % (servers, sorted(named)))
    if named and not servers:
        fail("Summary", "the grid has no server row")


# A gap (its start) and the sheets the missing export would fill.
GAP_SHEETS = [("no Get-ExchangeCertificate output", ["Certificates"]),
              ("no Get-SendConnector output", ["Send Connectors"]),
              ("no Get-ReceiveConnector output", ["Receive Connectors"]),
              ("no Get-Queue output", ["Queues"]),
              ("no Get-AuthConfig output", ["Auth Config"]),
              ("no SMTP protocol logs", ["TLS Outcomes", "Timeline"])]


def check_absent_sheets(seen):
    """A sheet whose export the Gaps sheet says is missing, and which has no
    row, says "Not collected" rather than showing an empty table."""
    gaps = [c[0][1] for r, (ht, c) in seen["Gaps"][1].items()
            if r > 1 and 0 in c and c[0][1]]
    for start, sheets in GAP_SHEETS:
        if not any(g.startswith(start) for g in gaps):
            continue
        for name in sheets:
            root, rows, header = seen.get(name, (None, {}, {}))
            data = [r for r, (ht, c) in rows.items() if r > 1 and c]
            if not data and not not_collected(rows):
                fail(name, "its export is missing (%s) but the sheet is an "
                     "empty table, which reads as none" % start)
    # Handshakes the logs hold are never an empty timeline.
    rows = seen["Timeline"][1]
    outcomes = [r for r, (ht, c) in seen["TLS Outcomes"][1].items()
                if r > 1 and c]
    if outcomes and not not_collected(seen["TLS Outcomes"][1]) and \
            not [r for r, (ht, c) in rows.items() if r > 1 and c]:
        fail("Timeline", "an empty table beside %d TLS outcome rows"
             % len(outcomes))


def check_links(book, seen):
    """Each finding links to its first evidence and remediation rows."""
    root, rows, header = seen["Findings"]
    links = {}
    for h in root.iter("{%s}hyperlink" % NS["m"]):
        links[h.get("ref")] = h.get("location") or ""
    targets = {"Evidence": seen["Evidence"][1],
               "Remediation": seen["Remediation"][1]}
    for r, (ht, cells) in rows.items():
        if r == 1 or 0 not in cells:
            continue
        fid = cells[0][1]
        for ref, loc in links.items():
            if int(re.sub(r"[A-Z]+", "", ref)) != r:
                continue
            m = re.match(r"'(\w+)'!A(\d+)$", loc)
            if m is None or m.group(1) not in targets:
                fail("Findings", "row %d: link to %r" % (r, loc))
                continue
            target = targets[m.group(1)].get(int(m.group(2)), (None, {}))[1]
            if target.get(0, (None, None))[1] != fid:
                fail("Findings", "row %d: %s's link %r lands on %r" % (
                    r, fid, loc, target.get(0, (None, None))[1]))
    for name in ("Evidence", "Remediation"):
        want = {c[0][1] for r, (ht, c) in targets[name].items()
                if r > 1 and 0 in c}
        got = {rows[int(re.sub(r"[A-Z]+", "", ref))][1][0][1]
               for ref, loc in links.items() if loc.startswith("'%s'" % name)}
        if want - got:
            fail("Findings", "no link to the %s of %s" % (name, sorted(want - got)))


def check_timeline(book, seen):
    """TLS outcomes per day with a chart of them."""
    root, rows, header = seen["Timeline"]
    data = [r for r in rows if r > 1]
    if not data or not_collected(rows) or not_dated(rows):
        return
    names = book.z.namelist()
    if "xl/charts/chart1.xml" not in names:
        fail("Timeline", "no chart (xl/charts/chart1.xml)")
        return
    chart = book.z.read("xl/charts/chart1.xml").decode("utf-8")
    daily = header.get(0, "").startswith("Day")
    for ref in ("Timeline!$B$2:$B$%d" % max(data),
                "Timeline!$C$2:$C$%d" % max(data)):
        if ref not in chart:
            fail("Timeline", "the chart does not plot %s" % ref)
    # Days on a date axis, from the table's dates; hours as text labels (a
    # date axis counts in days and would put the hours of a day on one
    # column), each the hour of its row's date.
    cats = set(re.findall(r"<c:cat>.*?<c:f>Timeline!\$([A-Z]+)\$2:\$\1\$(\d+)"
                          r"</c:f>", chart, re.S))
    want_col = None if daily else "text labels"
    if len(cats) != 1 or int(list(cats)[0][1]) != max(data):
        fail("Timeline", "the chart's categories %r are not rows 2 to %d"
             % (sorted(cats), max(data)))
    elif daily and list(cats)[0][0] != "A":
        fail("Timeline", "day buckets are not the chart's categories")
    elif not daily:
        col = col_index(list(cats)[0][0] + "1")
        for r in data:
            days = float(rows[r][1][0][1])
            t = dt.datetime(1899, 12, 30) + dt.timedelta(days=days)
            label = rows[r][1].get(col, (None, None, None))[1]
            if label != (t + dt.timedelta(seconds=30)).strftime("%m-%d %H:%M"):
                fail("Timeline", "row %d: the chart labels %s as %r (%s)"
                     % (r, t, label, want_col))
                break
    for r in data:
        kind, val, xf = rows[r][1][0]
        want = "yyyy-mm-dd" if daily else "yyyy-mm-dd hh:mm"
        if kind != "n" or xf["numfmt"] != want:
            fail("Timeline", "row %d: bucket %r is not a date shown as %s (%r)"
                 % (r, val, want, xf["numfmt"]))
            break
    total = sum(float(c[1]) for r in data for k, c in rows[r][1].items()
                if k in (1, 2) and c[1] is not None)
    if total <= 0:
        fail("Timeline", "the table counts no handshake")


def main(argv):
    path, case, customer, analyst, as_of = argv[1:6]
    book = Book(path)
    seen = {}
    for name, sheet in book.sheets:
        seen[name] = check_sheet(book, name, sheet)

    # Certificate dates: their basis is named on every dated row.
    root, rows, header = seen["Certificates"]
    cols = {v: k for k, v in header.items()}
    if not_collected(rows):
        pass
    elif "Dates in" not in cols:
        fail("Certificates", "no 'Dates in' column")
    else:
        for r, (ht, cells) in rows.items():
            if r == 1:
                continue
            dated = cols["Not after"] in cells or cols["Not before"] in cells
            basis = cells.get(cols["Dates in"], (None, None, None))[1]
            # UTC (perhaps converted from the server's clock, saying with
            # what offset), the server's local time (perhaps with more), or
            # as written when the day/month order is unknown.
            if dated and not (basis == "UTC" or (basis or "").startswith((
                    "UTC, converted from server local time: ",
                    "server local time", "as written: "))):
                fail("Certificates", "row %d: dates without a basis (%r)"
                     % (r, basis))
    # Shading is over rows: a sheet without any has nothing to shade, nor
    # one whose dates are all text, as written (day/month order unknown).
    dated = any(r > 1 and any(cells.get(cols.get(k), ("s",))[0] == "n"
                              for k in ("Not after", "Not before"))
                for r, (ht, cells) in rows.items())
    if dated and root.find("m:conditionalFormatting", NS) is None:
        fail("Certificates", "expiry dates are not shaded")
    froot, frows = seen["Findings"][0], seen["Findings"][1]
    rules = " ".join(ET.tostring(e, encoding="unicode")
                     for e in froot.findall("m:conditionalFormatting", NS))
    if any(r > 1 and c for r, (ht, c) in frows.items()) and \
            "&quot;critical&quot;" not in rules and '"critical"' not in rules:
        fail("Findings", "severities are not shaded")

    check_summary(book, seen)
    check_absent_sheets(seen)
    check_links(book, seen)
    check_timeline(book, seen)

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

"""The text shapes testdata/paste.py edits: entry encodings, Format-List
records (with their wrapped values), the certificate table view, SMTP
protocol log rows and culture-formatted dates.

Everything here is lossless on its own: parsing a document and rendering it
again gives the same text, so a transformation changes only what it means to.
Python standard library only.
"""

import datetime as dt
import re

# ----------------------------------------------------------------- encodings


def decode(data):
    """(text, encoding) of an entry, or None for bytes that are not text."""
    if data.startswith(b"\xff\xfe"):
        try:
            return data[2:].decode("utf-16-le"), "utf-16le-bom"
        except UnicodeDecodeError:
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        enc, data = "utf-8-bom", data[3:]
    else:
        enc = "utf-8"
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8"), enc
    except UnicodeDecodeError:
        return None


def encode(text, encoding):
    if encoding == "utf-16le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def split_lines(text):
    """(lines, newline, ends_with_newline)."""
    nl = "\r\n" if "\r\n" in text else "\n"
    ends = text.endswith(nl)
    body = text[:-len(nl)] if ends else text
    return body.split(nl), nl, ends


def join_lines(lines, nl, ends=True):
    return nl.join(lines) + (nl if ends else "")


# ----------------------------------------------------------------- Format-List

PROP_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*:?)( *: ?)(.*)$")


class Prop:
    """One property of a Format-List record: the label, the text between the
    label and the value (padding and " : "), and the value as the console cut
    it into lines."""

    def __init__(self, label, gap, chunks):
        self.label = label
        self.gap = gap
        self.chunks = chunks

    @property
    def name(self):
        return self.label.rstrip(":")

    @property
    def value(self):
        return "".join(self.chunks)

    @property
    def column(self):
        return len(self.label) + len(self.gap)

    def set_value(self, value):
        """A new value wrapped like the old one (same room per line)."""
        room = len(self.chunks[0]) if len(self.chunks) > 1 else None
        self.chunks = wrap_value(value, room) if room else [value]

    def lines(self):
        out = [self.label + self.gap + self.chunks[0]]
        out += [" " * self.column + c for c in self.chunks[1:]]
        return out


class Record:
    def __init__(self, props):
        self.props = props

    def get(self, name):
        for p in self.props:
            if p.name.lower() == name.lower():
                return p
        return None

    def value(self, name):
        p = self.get(name)
        return p.value if p is not None else None

    def remove(self, name):
        p = self.get(name)
        if p is not None:
            self.props.remove(p)
        return p

    def lines(self):
        return [line for p in self.props for line in p.lines()]


class FLDoc:
    """A Format-List document: records between raw lines (blank lines and
    anything that is not a property, such as a prompt line)."""

    def __init__(self, parts):
        self.parts = parts

    @property
    def records(self):
        return [p for p in self.parts if isinstance(p, Record)]

    def lines(self):
        out = []
        for p in self.parts:
            out.extend(p.lines() if isinstance(p, Record) else [p])
        return out


def parse_fl(lines):
    parts = []
    cur = None
    for line in lines:
        if line.strip() == "":
            cur = None
            parts.append(line)
            continue
        if cur is not None and line.startswith(" ") and cur.props:
            last = cur.props[-1]
            col = last.column
            chunk = line[col:] if line[:col].strip() == "" else line.lstrip()
            last.chunks.append(chunk)
            continue
        m = PROP_RE.match(line)
        if not m:
            cur = None
            parts.append(line)
            continue
        if cur is None:
            cur = Record([])
            parts.append(cur)
        cur.props.append(Prop(m.group(1), m.group(2), [m.group(3)]))
    return FLDoc(parts)


def wrap_value(value, room):
    """Chunks of `room` characters, cut mid-word with spaces kept, as the
    console host wraps a Format-List value."""
    return [value[i:i + room] for i in range(0, len(value), room)] or [""]


def fl_width(doc):
    """The console width a document was wrapped at (None when nothing wrapped)."""
    widths = [len(p.lines()[0]) for r in doc.records for p in r.props if len(p.chunks) > 1]
    return max(widths) + 1 if widths else None


FL_KIND_LABELS = [
    ("cert", {"thumbprint", "serialnumber", "issuer"}),
    ("queue", {"deliverytype", "nexthopdomain", "messagecount"}),
    ("transport", {"internaltransportcertificatethumbprint"}),
    ("send", {"addressspaces", "sourcetransportservers"}),
    ("receive", {"bindings", "authmechanism"}),
    ("exchange-server", {"serverrole", "admindisplayversion"}),
]


def fl_kind(doc):
    names = {p.name.lower() for r in doc.records for p in r.props}
    for kind, labels in FL_KIND_LABELS:
        if len(labels & names) >= min(2, len(labels)):
            return kind
    return None


# ----------------------------------------------------------------- table view

TABLE_HEAD_RE = re.compile(r"^Thumbprint +Services +Subject\s*$")
DASHES_RE = re.compile(r"^-+( +-+)+\s*$")
TABLE_ROW_RE = re.compile(r"^([0-9A-Fa-f]{40}) +([A-Z.]{7}) +(.*)$")


def table_rows(lines):
    """(thumbprint, services letters, subject, line index) of each row."""
    out = []
    for i, line in enumerate(lines):
        m = TABLE_ROW_RE.match(line)
        if m:
            out.append((m.group(1).upper(), m.group(2), m.group(3), i))
    return out


def is_table(lines):
    return any(TABLE_HEAD_RE.match(x) for x in lines[:6])


SERVICE_LETTERS = [("I", "IMAP"), ("P", "POP"), ("U", "UM"), ("W", "IIS"), ("S", "SMTP"),
                   ("F", "Federation"), ("C", "UMCallRouter")]


def services_from_letters(s):
    return [name for (letter, name), c in zip(SERVICE_LETTERS, s) if c == letter]


def services_from_text(s):
    s = (s or "").strip()
    if s == "" or s.lower() == "none":
        return []
    return [x.strip() for x in s.split(",") if x.strip()]


# ----------------------------------------------------------------- protocol logs

LOG_ROW_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z,")


def csv_spans(line):
    """[(start, end)] of each field of a CSV row; a quoted field's span
    includes its quotes."""
    spans = []
    i, n = 0, len(line)
    while True:
        j = i
        if i < n and line[i] == '"':
            j = i + 1
            while True:
                k = line.find('"', j)
                if k < 0:
                    j = n
                    break
                if line.startswith('""', k):
                    j = k + 2
                    continue
                j = k + 1
                break
        c = line.find(",", j)
        if c < 0:
            spans.append((i, n))
            return spans
        spans.append((i, c))
        i = c + 1


def csv_value(field):
    if len(field) >= 2 and field[0] == '"' and field[-1] == '"':
        return field[1:-1].replace('""', '"')
    return field


def csv_fields(line):
    return [csv_value(line[a:b]) for a, b in csv_spans(line)]


LOG_FIELDS = ["date-time", "connector-id", "session-id", "sequence-number",
              "local-endpoint", "remote-endpoint", "event", "data", "context"]


class LogRow:
    def __init__(self, index, line):
        self.index = index
        f = csv_fields(line)
        f += [""] * (len(LOG_FIELDS) - len(f))
        self.time, self.connector, self.session, self.seq = f[0], f[1], f[2], f[3]
        self.event, self.data, self.context = f[6], f[7], f[8]


def log_rows(lines, only=None):
    """The data rows (those containing `only`, when given)."""
    return [LogRow(i, x) for i, x in enumerate(lines)
            if (only is None or only in x) and LOG_ROW_RE.match(x)]


def first_row(lines):
    for i, x in enumerate(lines):
        if LOG_ROW_RE.match(x):
            return LogRow(i, x)
    return None


def is_log(lines):
    head = [x for x in lines[:8] if x.strip()]
    return bool(head) and (head[0].startswith("#Software: Microsoft Exchange") or
                           any(x.startswith("#Fields: date-time") for x in head) or
                           bool(LOG_ROW_RE.match(head[0])))


# ----------------------------------------------------------------- culture dates

EN_US_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d\d):(\d\d) (AM|PM)\b")
DOTTED_RE = re.compile(r"\b(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d):(\d\d)\b")
SLASH24_RE = re.compile(r"\b(\d\d)/(\d\d)/(\d{4}) (\d\d):(\d\d):(\d\d)\b")

CULTURES = {
    # name: (regex, day-first, formatter)
    "en-US": (EN_US_RE, False, lambda t: "%d/%d/%d %d:%02d:%02d %s" % (
        t.month, t.day, t.year, t.hour % 12 or 12, t.minute, t.second,
        "AM" if t.hour < 12 else "PM")),
    "de-DE": (DOTTED_RE, True, lambda t: t.strftime("%d.%m.%Y %H:%M:%S")),
    "en-GB": (SLASH24_RE, True, lambda t: t.strftime("%d/%m/%Y %H:%M:%S")),
}


def parse_date(m, culture):
    a, b, y, h, mi, s = (int(x) for x in m.groups()[:6])
    day, month = (a, b) if CULTURES[culture][1] else (b, a)
    if culture == "en-US":
        h = h % 12 + (12 if m.group(7) == "PM" else 0)
    return dt.datetime(y, month, day, h, mi, s)


def file_culture(text):
    """The culture a generated file's dates are written in, or None."""
    for name in ("en-US", "de-DE", "en-GB"):
        if CULTURES[name][0].search(text):
            return name
    return None


def find_dates(text, culture):
    """[(start, end, naive local datetime)] of every date in the culture."""
    out = []
    for m in CULTURES[culture][0].finditer(text):
        try:
            out.append((m.start(), m.end(), parse_date(m, culture)))
        except ValueError:
            pass
    return out


def decidable(dates, culture):
    """Whether a reader can tell day from month within the file: a dotted
    date is day first; a slash date needs a day above 12."""
    if culture == "de-DE":
        return bool(dates)
    return any(t.day > 12 for _, _, t in dates)


def rewrite_dates(text, src, dst):
    out, at = [], 0
    for a, b, t in find_dates(text, src):
        out.append(text[at:a])
        out.append(CULTURES[dst][2](t))
        at = b
    out.append(text[at:])
    return "".join(out)


def parse_value_date(value):
    """A single culture date value (local, naive), or None."""
    for name in ("en-US", "de-DE", "en-GB"):
        m = CULTURES[name][0].fullmatch((value or "").strip())
        if m:
            return parse_date(m, name)
    return None

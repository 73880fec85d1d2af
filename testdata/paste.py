#!/usr/bin/env python3
"""Turns a clean scenario bundle into the evidence an engineer gets pasted
into a ticket or a forum post, and rewrites its expected file with what the
paste cost.

    paste.py [--seed N] [--only T1,T2] IN.zip IN.expected.json OUT.zip OUT.expected.json
    paste.py [--seed N] [--only T1,T2] --all INDIR OUTDIR
        every NAME.zip with NAME.expected.json in INDIR becomes one variant
        per transformation that changes it, NAME.T.zip, one with all of
        them, NAME.pasted.zip, and the control NAME.unchanged.zip (the clean
        bundle, every record of it listed for tests/check_paste.py), each
        with its .expected.json; the variants made are printed, one a line
    paste.py --selftest
    paste.py --list

Each transformation is a function below whose docstring says what it does and
what it may cost: the facts a reader can no longer know. The expected file is
rewritten with those costs (testdata/paste_costs.py), so every expectation
left in it is still true of the pasted bundle, and it gains "transformations",
"costs" (sentences), "expected_diagnostics" and a "paste" section that
tests/check_paste.py reads. An entry a transformation changed is written as
a paste is: UTF-8 without a BOM, LF or CRLF. The same seed gives the same
bytes. Python standard library only.
"""

import argparse
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # never write into the source tree
sys.path.insert(0, HERE)
import paste_costs  # noqa: E402
import paste_model as pm  # noqa: E402
import paste_text as pt  # noqa: E402

EMS = "[PS] C:\\Windows\\system32>"
PLAIN = "PS C:\\Users\\administrator.CONTOSO> "
LOG_DIR = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\TransportRoles\\Logs\\Hub\\" \
          "ProtocolLog\\%s>"


class Variant:
    """One pasted bundle under construction: the bundle (its facts are those
    of the clean text), the losses each transformation records, the cost
    sentences and the diagnostics a reader must give."""

    def __init__(self, data, expected, seed, name):
        self.data = data
        self.bundle = pm.Bundle(data)
        self.expected = expected
        self.seed = seed
        self.name = name
        self.applied = []
        self.costs = []
        self.diagnostics = []
        self.notes = {}
        self.lost_certs = []     # certificate records that lost thumbprint (and subject)
        self.lost_queues = []    # queue records that lost their identity
        self.bad_rows = []       # log rows whose date was damaged
        self.cultures = []       # files whose dates were rewritten
        self.headerless = []     # logs without their header lines

    def rng(self, transformation):
        return random.Random("%s:%s:%s" % (self.seed, self.name, transformation))

    def cost(self, sentence):
        self.costs.append(sentence)

    def diag(self, transformation, entry, what, any_of, levels=("warning",)):
        self.diagnostics.append({"transformation": transformation, "source": entry.path,
                                 "what": what, "levels": list(levels),
                                 "any_of": list(any_of)})

    def note(self, entry, text):
        self.notes.setdefault(entry.path, []).append(text)

    def named_thumbprints(self):
        """Thumbprints the expected findings name."""
        return {tp for f in self.expected.get("findings", []) for tp in f["thumbprints"]}

    def run(self, names):
        for t in TRANSFORMATIONS:
            if t.__name__ not in names:
                continue
            before = self.changes()
            t(self, self.rng(t.__name__))
            if self.changes() != before:
                self.applied.append(t.__name__)
        return self.applied

    def changes(self):
        return sum(len(e.touched) for e in self.bundle.texts())

    def write(self, out_zip, out_expected, control=False):
        """The pasted zip and its expected file; a control variant is the
        clean bundle itself, every record of it checked."""
        for e in self.bundle.texts():
            if e.touched:
                # Ticket systems and editors hand text back with LF, mostly.
                nl = "\n" if self.rng("newline:" + e.path).random() < 0.6 else "\r\n"
                e.use_newline(nl)
                self.note(e, "UTF-8, %s" % ("LF" if nl == "\n" else "CRLF"))
        with open(out_zip, "wb") as f:
            f.write(self.data if control else pm.write_zip(self.bundle.entries))
        exp = paste_costs.rewrite(self, os.path.basename(out_zip), control)
        with open(out_expected, "w") as f:
            f.write(json.dumps(exp, indent=2) + "\n")
        return exp


def fl_entries(v, *kinds):
    return [e for e in v.bundle.by_kind(*["fl-" + k for k in kinds])]


def pick_file(v, rng, entries):
    """One of the entries, preferring those holding a certificate the
    expected findings name (so the cost reaches an expectation)."""
    named = v.named_thumbprints()
    hot = [e for e in entries if any(c["entry"] == e.path and c["thumbprint"] in named
                                     for c in v.bundle.certs)]
    pool = hot or entries
    return rng.choice(pool) if pool else None


# ----------------------------------------------------------------- transformations

def cut_identity(v, rng):
    """Removes the Identity (and QueueIdentity) lines of some Get-Queue
    records: every queue with a LastError and a few others, in files whose
    name or folder names the server.
    Costs: the identity of those queues (SERVER\\id). Their server (from the
    path), status, message count, LastError and dates stay known."""
    for e in fl_entries(v, "queue"):
        server = v.bundle.path_server(e.path, exclude=e.path)
        if not server:
            continue
        doc = pt.parse_fl(e.lines())
        recs = doc.records
        picks = [i for i, r in enumerate(recs) if r.value("LastError")]
        picks += [i for i, r in enumerate(recs) if i not in picks and rng.random() < 0.3]
        if not picks and recs:
            picks = [rng.randrange(len(recs))]
        cut = []
        for i in sorted(picks):
            r = recs[i]
            ident = r.value("Identity") or r.value("QueueIdentity")
            if not ident or pm.short(ident.split("\\")[0]) != server:
                continue
            r.remove("Identity")
            r.remove("QueueIdentity")
            q = [x for x in v.bundle.queues if x["entry"] == e.path and x["record"] == i][0]
            v.lost_queues.append(q)
            cut.append(ident)
        if not cut:
            continue
        e.set_lines(doc.lines(), "cut_identity")
        for ident in cut:
            v.cost("%s: queue %s lost its Identity and QueueIdentity lines: its identity is "
                   "unknown; its server (%s, from the file's path), status, message count "
                   "and LastError stay" % (e.path, ident, server))
        v.diag("cut_identity", e, "Get-Queue records without an Identity",
               ["no Identity", "without Identity", "without an Identity", "Identity missing",
                "missing Identity", "lacks an Identity", "Identity unknown",
                "unknown Identity"])


def cut_cert_keys(v, rng):
    """Removes the Thumbprint, Subject (and Identity, which holds the
    thumbprint) lines of one or two certificate records of one
    Get-ExchangeCertificate dump whose path names its server, keeping
    Issuer, SerialNumber, Services, NotAfter and the rest.
    Costs: those certificates' thumbprints and subjects. Each stays a
    certificate of that server, known by issuer and serial number; a finding
    that needs its thumbprint can no longer name it (unless a log row ties
    the serial number to it), and one that needs its subject (a
    TlsCertificateName match) can no longer be decided for that server."""
    files = [e for e in fl_entries(v, "cert") if v.bundle.path_server(e.path, exclude=e.path)]
    e = pick_file(v, rng, files)
    if e is None:
        return
    doc = pt.parse_fl(e.lines())
    recs = doc.records
    have = [i for i, r in enumerate(recs) if r.value("Thumbprint")]
    named = v.named_thumbprints()
    hot = [i for i in have if recs[i].value("Thumbprint").upper() in named]
    picks = [rng.choice(hot)] if hot else []
    rest = [i for i in have if i not in picks]
    if rest and (not picks or rng.random() < 0.6):
        picks.append(rng.choice(rest))
    for i in sorted(picks):
        r = recs[i]
        c = dict([x for x in v.bundle.certs if x["entry"] == e.path and x["record"] == i][0])
        for name in ("Thumbprint", "Subject", "Identity"):
            r.remove(name)
        c["subject_lost"] = True
        c["masked_as"] = None
        v.lost_certs.append(c)
        v.cost("%s: the certificate with serial number %s (issuer %s) lost its Thumbprint, "
               "Subject and Identity lines: its thumbprint and subject are unknown; it stays "
               "a certificate of %s with its issuer, serial number, services and dates" % (
                   e.path, c["serial"], c["issuer"], c["server"]))
    e.set_lines(doc.lines(), "cut_cert_keys")
    v.diag("cut_cert_keys", e, "certificate records without a Thumbprint",
           ["no Thumbprint", "without Thumbprint", "without a Thumbprint",
            "Thumbprint missing", "missing Thumbprint", "lacks a Thumbprint",
            "thumbprint unknown", "unknown thumbprint"])


def mask(tp, style):
    if style == "short":
        return tp[:4] + "*" * 23 + tp[-2:]
    if style == "middle":
        return tp[:18] + "***" + tp[-19:]
    return tp[:4] + "*" * 34 + tp[-2:]


def mask_thumbprints(v, rng):
    """Replaces the middle of every thumbprint of one Get-ExchangeCertificate
    dump with `*` (in Thumbprint and in Identity), keeping a few characters at
    each end: `7A3B***********************F1`, `4F1A2B3C4D5E6F7A8B***0D1E...`.
    Costs: those certificates' thumbprints. A masked thumbprint must never be
    taken for a whole one that shares its ends; a finding keyed on it loses
    the thumbprint (unless a log row ties the serial number to it); its
    subject, issuer, serial number, services and dates stay."""
    e = pick_file(v, rng, fl_entries(v, "cert"))
    if e is None:
        return
    style = rng.choice(["short", "middle", "full"])
    doc = pt.parse_fl(e.lines())
    done = {c["record"] for c in v.lost_certs if c["entry"] == e.path}
    n = 0
    for i, r in enumerate(doc.records):
        p = r.get("Thumbprint")
        if p is None or i in done or not re.fullmatch(r"[0-9A-Fa-f]{40}", p.value):
            continue
        tp = p.value.upper()
        masked = mask(tp, style)
        p.set_value(masked)
        ident = r.get("Identity")
        if ident is not None and ident.value.upper().endswith("\\" + tp):
            ident.set_value(ident.value[:-40] + masked)
        c = dict([x for x in v.bundle.certs if x["entry"] == e.path and x["record"] == i][0])
        c["subject_lost"] = False
        c["masked_as"] = masked
        v.lost_certs.append(c)
        n += 1
    if not n:
        return
    e.set_lines(doc.lines(), "mask_thumbprints")
    v.cost("%s: the thumbprints of its %d certificate(s) are masked (%s): they are unknown; "
           "subjects, issuers, serial numbers, services and dates stay" % (
               e.path, n, mask("0" * 40, style).replace("0", "X")))
    v.diag("mask_thumbprints", e, "masked thumbprints", ["masked"])


def mixed_cultures(v, rng):
    """Rewrites every date of ONE Format-List or event file in another
    culture (en-US `11/10/2026 8:41:12 AM`, de-DE `10.11.2026 08:41:12`,
    en-GB `10/11/2026 08:41:12`), the same local times, choosing a culture
    whose day/month order the file itself decides (dots, or a day above 12).
    Costs nothing for that file. Files whose own dates cannot tell day from
    month no longer have neighbours of one culture: their dates must be read
    right or stay unknown."""
    cands = []
    for e in v.bundle.texts():
        if not (e.kind.startswith("fl-") or e.kind == "events-csv"):
            continue
        src = pt.file_culture(e.text)
        if src is None:
            continue
        dates = pt.find_dates(e.text, src)
        for dst in sorted(pt.CULTURES):
            if dst != src and pt.decidable(dates, dst):
                cands.append((e.kind != "fl-cert", e.path, e, src, dst))
    if not cands:
        return
    first = [c for c in cands if not c[0]] or cands
    _, _, e, src, dst = rng.choice(first)
    e.set_lines(pt.split_lines(pt.rewrite_dates(e.text, src, dst))[0], "mixed_cultures")
    v.cultures.append({"entry": e.path, "from": src, "to": dst})
    v.note(e, "dates rewritten from %s to %s" % (src, dst))


REWRAP_WIDTHS = [80, 100, 132, 150, 200]


def rewrap(v, rng):
    """Wraps the long values of every Format-List dump at another console
    width (80 to 200 columns) the way the console host does: cut mid-word
    at the last column, spaces kept, continuation lines indented to the
    value column.
    Costs nothing: joining the continuation lines gives every value back."""
    for e in fl_entries(v, "cert", "queue", "send", "receive", "transport",
                        "exchange-server"):
        doc = pt.parse_fl(e.lines())
        old = pt.fl_width(doc) or 120
        width = rng.choice([w for w in REWRAP_WIDTHS if w != old])
        before = doc.lines()
        for r in doc.records:
            for p in r.props:
                p.chunks = pt.wrap_value(p.value, max(10, width - 1 - p.column))
        if doc.lines() != before:
            e.set_lines(doc.lines(), "rewrap")
            v.note(e, "wrapped at %d columns" % width)


STRAY_LABELS = ["Status", "Thumbprint", "Services", "NotAfter", "Issuer", "SerialNumber",
                "LastError", "MessageCount", "Identity", "TlsCertificateName",
                "SourceTransportServers", "Fqdn", "RequireTLS", "Subject", "Name",
                "InternalTransportCertificateThumbprint", "AuthMechanism"]


def stray_colon(v, rng):
    """Puts a stray colon after one or two labels of every Format-List dump
    (`Status:                     : Retry`), in every record that has them.
    Costs nothing: the label and the value are the same."""
    for e in fl_entries(v, "cert", "queue", "send", "receive", "transport"):
        doc = pt.parse_fl(e.lines())
        fits = sorted({p.name for r in doc.records for p in r.props
                       if p.name in STRAY_LABELS and p.gap.startswith("  ")})
        if not fits:
            continue
        names = rng.sample(fits, min(len(fits), rng.choice([1, 2])))
        for r in doc.records:
            for p in r.props:
                if p.name in names and p.gap.startswith("  ") and not p.label.endswith(":"):
                    p.label += ":"
                    p.gap = p.gap[1:]
        e.set_lines(doc.lines(), "stray_colon")
        v.note(e, "stray colon after %s" % ", ".join(names))


def blank_lines(v, rng):
    """Removes the dashes line under a table view's header and puts a blank
    line between its rows, as a paste into a ticket often does.
    Costs nothing: every row keeps its columns."""
    for e in v.bundle.by_kind("table-cert"):
        lines = e.lines()
        out = []
        rows = {i for _, _, _, i in pt.table_rows(lines)}
        for i, line in enumerate(lines):
            if pt.DASHES_RE.match(line):
                continue
            if i in rows and out and (i - 1) in rows:
                out.append("")
            out.append(line)
        if out != lines:
            e.set_lines(out, "blank_lines")


def curl(line):
    """A log row with “ ” in place of the quotes around each quoted field
    whose text holds no quote (a doubled "" would make the change ambiguous)."""
    chars = list(line)
    n = 0
    for a, b in pt.csv_spans(line)[1:]:
        f = line[a:b]
        if len(f) >= 2 and f[0] == '"' and f[-1] == '"' and '"' not in f[1:-1] and \
                "\u201c" not in f and "\u201d" not in f:
            chars[a], chars[b - 1] = "\u201c", "\u201d"
            n += 1
    return "".join(chars), n


def logs(v):
    return v.bundle.by_kind("log-send", "log-receive")


def some(rng, entries, p=0.5):
    """A random part of entries, at least one (the first sorted by path when
    chance picks none)."""
    pool = [e for e in entries if rng.random() < p]
    return pool or entries[:1]


def typographic_quotes(v, rng):
    """Replaces the straight quotes around quoted CSV fields of some pasted log
    excerpts with typographic ones (“ ”), only around fields that hold no
    quote themselves.
    Costs nothing: each field keeps its text and its place."""
    cands = []
    for e in logs(v):
        lines = e.lines()
        if any(curl(x)[1] for x in lines if pt.LOG_ROW_RE.match(x)):
            cands.append(e)
    for e in some(rng, cands):
        lines = [curl(x)[0] if pt.LOG_ROW_RE.match(x) else x for x in e.lines()]
        e.set_lines(lines, "typographic_quotes")


BENIGN_CONTEXTS = ("", "attempting to connect", "Local", "Remote")


def benign(row):
    """A row whose loss costs no finding: not a certificate, TLS or failure
    row, not a response with an error code."""
    if row.context not in BENIGN_CONTEXTS and not row.context.startswith("sending message"):
        return False
    return not re.match(r"^[45]\d\d[ -]", row.data)


def damaged_timestamp(v, rng):
    """Damages the date of the first row of ONE pasted log excerpt, as a
    careless copy does: its first character is lost (`016-07-19T12:13:14.863Z`,
    `026-11-08T06:00:00.432Z`). Only a file whose first row is an ordinary
    one (a connect, a command, a disconnect) is chosen.
    Costs: that row, which is a bad row now; the rest of the file stays. The
    session it belongs to is lost only when it had no other row."""
    cands = []
    for e in logs(v):
        row = pt.first_row(e.lines())
        if row is not None and benign(row):
            cands.append((e, row))
    if not cands:
        return
    e, row = rng.choice(cands)
    lines = e.lines()
    lines[row.index] = lines[row.index][1:]
    e.set_lines(lines, "damaged_timestamp")
    others = sum(x.text.count("," + row.session + ",") for x in logs(v)) - 1
    v.bad_rows.append({"entry": e.path, "line": row.index + 1, "session": row.session,
                       "alone": others == 0})
    v.cost("%s: line %d lost the first character of its date (%s...): that row is a bad "
           "row and its content is lost; the rest of the file stays" % (
               e.path, row.index + 1, lines[row.index][:24]))
    v.diag("damaged_timestamp", e, "the row with a damaged date",
           ["bad row", "malformed row", "damaged", "invalid date", "unreadable"])


def strip_log_header(v, rng):
    """Removes the #Software, #Version, #Log-type, #Date and #Fields lines of
    some pasted log excerpts.
    Costs nothing a reader needs: the columns are Exchange's standard order,
    and Send or Receive shows in the name, the folder and the rows. A reader
    must say it read rows without a header."""
    cands = [e for e in logs(v) if any(x.startswith("#") for x in e.lines()[:8])]
    for e in some(rng, cands):
        lines = e.lines()
        at = next((i for i, x in enumerate(lines) if pt.LOG_ROW_RE.match(x)), 0)
        kept = [x for x in lines[:at] if not x.startswith("#")] + lines[at:]
        e.set_lines(kept, "strip_log_header")
        v.headerless.append(e.path)
        v.diag("strip_log_header", e, "rows read without a #Fields header",
               ["header", "#Fields"], levels=("info", "warning"))


CMDLETS = {
    "fl-cert": ("Get-ExchangeCertificate", "-Server", " | fl"),
    "fl-queue": ("Get-Queue", "-Server", " | fl"),
    "fl-send": ("Get-SendConnector", None, " | fl"),
    "fl-receive": ("Get-ReceiveConnector", "-Server", " | fl"),
    "fl-transport": ("Get-TransportService", "-Identity", " | fl"),
    "fl-exchange-server": ("Get-ExchangeServer", "-Identity", " | fl"),
    "table-cert": ("Get-ExchangeCertificate", "-Server", ""),
    "events-csv": ("Get-WinEvent -LogName Application", "-ComputerName", " | ConvertTo-Csv"),
}


def entry_server(v, e):
    """The one server an entry's records belong to, or None."""
    facts = [x for x in v.bundle.certs + v.bundle.queues + v.bundle.transport +
             v.bundle.events if x["entry"] == e.path]
    names = {x["server"] for x in facts if x.get("server")}
    if len(names) == 1 and all(x.get("server") for x in facts):
        return names.pop()
    return v.bundle.path_server(e.path) if not facts else None


def prompt_lines(v, rng):
    """Puts the console prompt and the command that printed it above each
    cmdlet output, table view, event export and log excerpt
    (`[PS] C:\\Windows\\system32>Get-Queue -Server EXHUB1 | fl`,
    `PS C:\\...> Get-Content .\\SEND2026110806-1.LOG`), and sometimes the next
    prompt below it.
    Costs nothing; the command may add a clue to the server (-Server NAME)
    and to the kind of object."""
    for e in v.bundle.texts():
        lines = e.lines()
        if e.kind in CMDLETS:
            cmdlet, param, tail = CMDLETS[e.kind]
            if e.kind == "fl-cert" and any(r.get("FriendlyName") for r in
                                           pt.parse_fl(lines).records):
                tail = " | fl *"
            server = entry_server(v, e) if param else None
            cmd = cmdlet + (" %s %s" % (param, server) if server else "") + tail
            prompt = rng.choice([EMS, PLAIN])
        elif e.kind in ("log-send", "log-receive"):
            here = LOG_DIR % ("SmtpReceive" if e.kind == "log-receive" else "SmtpSend")
            prompt = rng.choice(["[PS] " + here, "PS " + here + " "])
            cmd = rng.choice(["Get-Content .\\%s", "type %s"]) % e.name
        else:
            continue
        out = [prompt + cmd] + lines
        if rng.random() < 0.5:
            out += ["", prompt.rstrip()]
        e.set_lines(out, "prompt_lines")
        v.note(e, "prompt: %s%s" % (prompt, cmd))


COLOUR_LABEL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9]*:? *:)( ?)")
GREEN, RESET = "\x1b[32;1m", "\x1b[0m"


def terminal_colours(v, rng):
    """Colours each Format-List dump and table view as PowerShell 7 does
    in a file it writes: every label with its colon green
    (`ESC[32;1mStatus             : ESC[0mRetry`), the table's header and
    dashes lines green; in about half the files the ESC is lost, as in a
    paste through a web form (`[32;1mStatus ...: [0mRetry`).
    Costs nothing: the codes take no room on screen; a note says they were
    removed."""
    for e in v.bundle.texts():
        lines = e.lines()
        if e.kind.startswith("fl-"):
            out = [COLOUR_LABEL_RE.sub(lambda m: GREEN + m.group(1) + m.group(2) + RESET,
                                       x, count=1) for x in lines]
        elif e.kind == "table-cert":
            out = [GREEN + x + RESET if pt.TABLE_HEAD_RE.match(x) or pt.DASHES_RE.match(x)
                   else x for x in lines]
        else:
            continue
        if out == lines:
            continue
        esc = rng.random() < 0.5
        if not esc:
            out = [x.replace("\x1b", "") for x in out]
        e.set_lines(out, "terminal_colours")
        v.note(e, "terminal colour codes%s" % ("" if esc else " without their ESC"))
        v.diag("terminal_colours", e, "the colour codes removed", ["colour code"],
               levels=("info",))


NOTE = [
    "Hi,",
    "",
    "as discussed on the phone this morning, here is the output you asked for. We renewed the "
    "certificate last week, imported it on every server and ran the Hybrid Configuration Wizard "
    "again afterwards; since then some mail to the partner domains and to Office 365 stays in the "
    "queues, and removing the old certificate fails on the servers where we tried it.",
    "",
]


def ticket_note(v, rng):
    """Puts a customer's note above each Format-List dump, as in a ticket:
    a greeting and one paragraph on one line far longer than any console
    width (word processors and web forms keep a paragraph on one line).
    Costs nothing: the note is not evidence, and the width the dump's values
    were wrapped at is still that of the dump, so its wrapped values join as
    before."""
    for e in v.bundle.texts():
        if not e.kind.startswith("fl-"):
            continue
        e.set_lines(NOTE + e.lines(), "ticket_note")
        v.note(e, "a ticket note above it, one line of %d characters" % len(NOTE[2]))


def quote_line(line, marker):
    """A line behind a reply's marker; a blank line gets the marker alone."""
    return (marker + line).rstrip() if not line.strip() else marker + line


def email_quoted(v, rng):
    """Quotes each Format-List dump and table view as a reply quotes the
    mail it answers: every line behind "> " (or ">" in some mailers), and in
    about a third of the files the second half behind "> > " (">>"), a mail
    quoted in the reply; a quoted blank line is the marker alone.
    Costs nothing: removing the markers gives the text back, columns and
    all; a note says the quoting was removed."""
    for e in v.bundle.texts():
        if not (e.kind.startswith("fl-") or e.kind == "table-cert"):
            continue
        lines = e.lines()
        if len(lines) < 2:
            continue
        one = rng.choice(["> ", ">"])
        two = "> > " if one == "> " else ">>"
        half = len(lines) // 2 if rng.random() < 0.35 else len(lines)
        out = [quote_line(x, one if i < half else two) for i, x in enumerate(lines)]
        e.set_lines(out, "email_quoted")
        v.note(e, "quoted behind %r%s" % (one, "" if half == len(lines) else
                                          " and %r" % two))
        v.diag("email_quoted", e, "the e-mail quoting removed", ["quoting"],
               levels=("info",))


TRANSFORMATIONS = [cut_identity, cut_cert_keys, mask_thumbprints, mixed_cultures, rewrap,
                   stray_colon, blank_lines, typographic_quotes, damaged_timestamp,
                   strip_log_header, prompt_lines, terminal_colours, ticket_note,
                   email_quoted]
NAMES = [t.__name__ for t in TRANSFORMATIONS]


# ----------------------------------------------------------------- driving

def paste_one(in_zip, in_exp, out_zip, out_exp, seed, names, name=None):
    """Writes the variant with the transformations `names`; with none, the
    control variant. Returns the transformations applied (None when none of
    them changed anything)."""
    with open(in_zip, "rb") as f:
        data = f.read()
    with open(in_exp) as f:
        exp = json.load(f)
    name = name or os.path.basename(in_zip)[:-4]
    v = Variant(data, exp, seed, name)
    applied = v.run(names)
    if not applied and names:
        return None
    v.write(out_zip, out_exp, control=not names)
    return applied


def paste_all(indir, outdir, seed, names):
    """Per bundle: the control, one variant per transformation that changes
    it, and one with all of them. Bundles certtrail is not expected to read
    (an exit status other than 0) and archives this tool cannot open are
    left out."""
    os.makedirs(outdir, exist_ok=True)
    made = []
    for fn in sorted(os.listdir(indir)):
        if not fn.endswith(".expected.json"):
            continue
        base = fn[:-len(".expected.json")]
        src = os.path.join(indir, base + ".zip")
        if not os.path.isfile(src):
            continue
        exp = os.path.join(indir, fn)
        with open(exp) as f:
            if json.load(f).get("exit_code", 0) != 0:
                continue
        for t in ["unchanged"] + names + ["pasted"]:
            only = {"pasted": names, "unchanged": []}.get(t, [t])
            out = os.path.join(outdir, "%s.%s" % (base, t))
            try:
                got = paste_one(src, exp, out + ".zip", out + ".expected.json", seed, only,
                                name=base)
            except Exception as e:      # a bundle this tool cannot take apart
                print("paste: %s: %s" % (fn, e), file=sys.stderr)
                break
            if got is not None:
                made.append("%s.%s" % (base, t))
    for m in made:
        print(m)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--seed", type=int, default=20261110)
    ap.add_argument("--only", help="comma-separated transformations (default: all)")
    ap.add_argument("--all", action="store_true", help="INDIR OUTDIR: every bundle")
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--list", action="store_true", help="the transformations, in order")
    a = ap.parse_args(argv)
    if a.selftest:
        import paste_selftest
        return paste_selftest.run()
    if a.list:
        for t in TRANSFORMATIONS:
            print(t.__name__)
            print("\n".join("    " + x.strip() for x in t.__doc__.splitlines()))
        return 0
    names = NAMES if a.only is None else [x for x in a.only.split(",") if x]
    bad = [x for x in names if x not in NAMES]
    if bad:
        ap.error("unknown transformation(s): %s (have %s)" % (", ".join(bad), ", ".join(NAMES)))
    if a.all:
        if len(a.paths) != 2:
            ap.error("--all takes INDIR OUTDIR")
        return paste_all(a.paths[0], a.paths[1], a.seed, names)
    if len(a.paths) != 4:
        ap.error("IN.zip IN.expected.json OUT.zip OUT.expected.json")
    applied = paste_one(*a.paths, seed=a.seed, names=names)
    if not applied:
        print("paste: no transformation changes %s" % a.paths[0], file=sys.stderr)
        return 1
    print(" ".join(applied))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What a scenario bundle holds, for testdata/paste.py: its entries (zips
inside zips opened, each text entry decoded and sniffed) and the facts in
them, read here from the text itself (certificate, queue, connector and
transport records, events, protocol log rows), never from certtrail.

Python standard library only.
"""

import io
import re
import zipfile

import paste_text as pt

# ----------------------------------------------------------------- entries


class Entry:
    """One member of the bundle. `path` joins the names of the zips it sits
    in: "EXHUB1-1110.zip/Hub_Send_Protocol_Logs.zip/SEND2026110806-1.LOG"."""

    def __init__(self, path, data, info):
        self.path = path
        self.data = data
        self.info = info
        self.children = None         # a nested zip's members
        self.text = None
        self.encoding = None
        self.kind = "binary"
        self.touched = []            # transformations that changed it
        dec = pt.decode(data)
        if dec is not None:
            self.text, self.encoding = dec
            self.kind = sniff(path, self.text)

    @property
    def name(self):
        return self.path.rsplit("/", 1)[-1]

    def lines(self):
        return pt.split_lines(self.text)[0]

    def set_lines(self, lines, transformation):
        """Replaces the text, keeping its line ends (write_zip writes a
        changed entry as UTF-8 without a BOM, as a paste is)."""
        _, nl, ends = pt.split_lines(self.text)
        self.text = pt.join_lines(lines, nl, ends)
        if transformation not in self.touched:
            self.touched.append(transformation)

    def use_newline(self, nl):
        lines, _, ends = pt.split_lines(self.text)
        self.text = pt.join_lines(lines, nl, ends)


def sniff(path, text):
    lines = pt.split_lines(text)[0]
    if text.lstrip().startswith("<Objs") or text.lstrip().startswith("<?xml"):
        return "xml"
    if pt.is_log(lines):
        head = "\n".join(lines[:6])
        if "Receive Protocol Log" in head or "/SmtpReceive/" in "/" + path or \
                path.rsplit("/", 1)[-1].upper().startswith("RECV"):
            return "log-receive"
        return "log-send"
    if lines and lines[0].startswith("#TYPE System.Diagnostics.Eventing"):
        return "events-csv"
    if any(x.startswith("[PS] ") or x.startswith("PS C:\\") for x in lines[:3]):
        return "transcript"
    if pt.is_table(lines):
        return "table-cert"
    kind = pt.fl_kind(pt.parse_fl(lines))
    return "fl-" + kind if kind else "text"


def read_zip(data, prefix=""):
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            body = z.read(info)
            e = Entry(prefix + info.filename, body, info)
            if info.filename.lower().endswith(".zip") and \
                    zipfile.is_zipfile(io.BytesIO(body)):
                e.children = read_zip(body, e.path + "/")
                e.kind = "zip"
            out.append(e)
    return out


def write_zip(entries):
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
        for e in entries:
            zi = zipfile.ZipInfo(e.info.filename, date_time=e.info.date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = e.info.external_attr
            z.writestr(zi, entry_bytes(e))
    return bio.getvalue()


def entry_bytes(e):
    if e.children is not None:
        return write_zip(e.children) if any(walk_touched(e.children)) else e.data
    if not e.touched:
        return e.data
    return pt.encode(e.text, "utf-8")


def walk_touched(entries):
    for e in walk(entries):
        yield bool(e.touched)


def walk(entries):
    for e in entries:
        if e.children is not None:
            yield from walk(e.children)
        else:
            yield e


# ----------------------------------------------------------------- facts

SERVER_ZIP_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*?)-\d+\.zip$", re.I)
PREFIX_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*)_")


def short(name):
    return (name or "").split(".")[0].upper()


class Bundle:
    """The entries and the facts the text holds."""

    def __init__(self, data):
        self.entries = read_zip(data)
        self.read_facts()

    def texts(self):
        return [e for e in walk(self.entries) if e.text is not None]

    def by_kind(self, *kinds):
        return [e for e in self.texts() if e.kind in kinds]

    def read_facts(self):
        self.named = {}          # server -> the entries whose records name it
        self.certs = []          # dicts, one per certificate record or table row
        self.queues = []
        self.send_connectors = []
        self.transport = []
        self.events = []
        for e in self.texts():
            if e.kind.startswith("fl-"):
                for i, r in enumerate(pt.parse_fl(e.lines()).records):
                    self.read_record(e, i, r)
            elif e.kind == "events-csv":
                self.read_events(e)
        for e in self.texts():
            if e.kind == "table-cert":
                server = self.path_server(e.path)
                for tp, letters, subject, line in pt.table_rows(e.lines()):
                    self.certs.append({"entry": e.path, "record": line, "server": server,
                                       "thumbprint": tp, "subject": subject,
                                       "services": pt.services_from_letters(letters),
                                       "table": True})
        for c in self.certs + self.queues:
            if not c.get("server"):
                c["server"] = self.path_server(c["entry"])
        self.read_logs()

    def read_record(self, e, i, r):
        kind = e.kind[3:]
        v = r.value
        if kind == "cert":
            ident = v("Identity")
            server = short(ident.split("\\")[0]) if ident and "\\" in ident else None
            self.name(server, e)
            self.certs.append({
                "entry": e.path, "record": i, "server": server,
                "thumbprint": (v("Thumbprint") or "").upper() or None,
                "subject": v("Subject"), "issuer": v("Issuer"),
                "serial": (v("SerialNumber") or "").upper() or None,
                "services": pt.services_from_text(v("Services"))
                if v("Services") is not None else None,
                "not_before": pt.parse_value_date(v("NotBefore")),
                "not_after": pt.parse_value_date(v("NotAfter")),
                "domains": v("CertificateDomains"), "table": False})
        elif kind == "queue":
            ident = v("Identity") or v("QueueIdentity")
            server = short(ident.split("\\")[0]) if ident and "\\" in ident else None
            self.name(server, e)
            self.queues.append({
                "entry": e.path, "record": i, "server": server, "identity": ident,
                "status": v("Status"), "message_count": int(v("MessageCount") or 0),
                "last_error": v("LastError") or None,
                "last_retry": pt.parse_value_date(v("LastRetryTime"))})
        elif kind == "send":
            srcs = re.findall(r"[^{},\s]+", v("SourceTransportServers") or "")
            for x in srcs:
                self.name(short(x), e)
            self.send_connectors.append({
                "entry": e.path, "name": v("Name") or v("Identity"),
                "tls_certificate_name": v("TlsCertificateName") or None,
                "servers": [short(s) for s in srcs]})
        elif kind == "receive":
            ident = v("Identity") or ""
            if "\\" in ident:
                self.name(short(ident.split("\\")[0]), e)
        elif kind == "transport":
            name = short(v("Name") or v("Identity"))
            self.name(name, e)
            self.transport.append({"entry": e.path, "server": name,
                                   "thumbprint": (v("InternalTransportCertificateThumbprint")
                                                  or "").upper() or None})

    def read_events(self, e):
        lines = e.lines()
        head = pt.csv_fields(lines[1]) if len(lines) > 1 else []
        for line in lines[2:]:
            if not line.strip():
                continue
            row = dict(zip(head, pt.csv_fields(line)))
            server = short(row.get("MachineName"))
            self.name(server, e)
            self.events.append({"entry": e.path, "server": server, "id": int(row.get("Id") or 0),
                                "time": pt.parse_value_date(row.get("TimeCreated"))})

    def read_logs(self):
        """Certificates the logs present: serial -> whole thumbprint (the
        rows that tie a thumbprint to its certificate), and every thumbprint
        some log row shows."""
        self.log_serial_tp = {}
        self.log_tps = set()
        for e in self.by_kind("log-send", "log-receive"):
            last_serial = {}
            for row in pt.log_rows(e.lines(), only="ertificate"):
                if row.context == "Certificate serial number":
                    last_serial[row.session] = row.data.upper()
                elif row.context == "Certificate thumbprint":
                    tp = row.data.upper()
                    self.log_tps.add(tp)
                    if row.session in last_serial:
                        self.log_serial_tp[last_serial.pop(row.session)] = tp
                elif " certificate Subject Issuer name" in row.context or \
                        " certificate Certificate subject" in row.context:
                    m = re.search(r" ([0-9A-F]+) ([0-9A-F]{40})(?: |$)", row.data)
                    if m:
                        self.log_tps.add(m.group(2))
                        self.log_serial_tp[m.group(1)] = m.group(2)

    def name(self, server, entry):
        if server:
            self.named.setdefault(server, set()).add(entry.path)

    def path_server(self, path, exclude=None):
        """The server a path names: a collector zip `SERVER-1110.zip` or a
        `SERVER_` file-name prefix naming a server of the bundle, or a folder
        named after a server some record names (outside the entry `exclude`,
        whose own records may be about to lose that name)."""
        parts = path.split("/")
        found = None
        for p in parts[:-1]:
            m = SERVER_ZIP_RE.match(p)
            if m and short(m.group(1)) in self.named:
                found = short(m.group(1))
            elif "." not in p and self.named.get(short(p), set()) - {exclude}:
                found = short(p)
        m = PREFIX_RE.match(parts[-1])
        if m and short(m.group(1)) in self.named:
            found = short(m.group(1))
        return found

    def entry(self, path):
        for e in self.texts():
            if e.path == path:
                return e
        return None

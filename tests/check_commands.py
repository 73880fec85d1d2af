#!/usr/bin/env python3
"""Checks that every remediation command in findings.json would run as printed
in the Exchange Management Shell.

    check_commands.py [--gaps] FINDINGS_JSON...
        one line per problem ("<file> <finding> step <n>: <problem>: <command>");
        exit 1 on any. --gaps also checks the gaps' "collect" commands.
    check_commands.py --selftest
        runs the checker on commands known good and known bad; exit 1 when it
        passes a bad one or fails a good one.

The checks follow PowerShell's argument mode (about_Parsing, about_Quoting_Rules):
quotes and brackets balance ('' inside single quotes, "" and `" inside double
quotes, $( ) subexpressions, @( ), ( ), { } script blocks); an unquoted space
ends an argument, so a cmdlet that gets more positional arguments than it
takes had a value split apart (-DomainName Microsoft Exchange Server Auth
Certificate); an unquoted comma makes an array, wrong for a parameter that
takes one value; < > & are operators outside quotes; no placeholder (<TP>,
<Srv>, <new thumbprint>...) stands where a value belongs (<I> and <S> inside
a quoted TlsCertificateName are the value's own markup); cmdlet names are
known Exchange and Windows cmdlets, parameters start with '-' and, for the
cmdlets whose parameters are listed below (from their Microsoft reference
pages), are real ones; Set-ReceiveConnector changes a connector of the
bundle's receive_connectors, Set-SendConnector one of its send_connectors;
-Thumbprint is 40 hex digits, -Services names Exchange services.

Python standard library only.
"""

import json
import re
import sys

# ----------------------------------------------------------------- vocabulary

CMDLETS = """
Get-ExchangeCertificate Enable-ExchangeCertificate Import-ExchangeCertificate
Export-ExchangeCertificate New-ExchangeCertificate Remove-ExchangeCertificate
Get-SendConnector Set-SendConnector New-SendConnector Remove-SendConnector
Get-ReceiveConnector Set-ReceiveConnector New-ReceiveConnector
Get-Queue Retry-Queue Resume-Queue Suspend-Queue Get-Message Resume-Message
Get-TransportService Set-TransportService Get-FrontendTransportService
Set-FrontendTransportService Get-TransportServer Set-TransportServer
Get-AuthConfig Set-AuthConfig Get-AuthServer Get-PartnerApplication
Get-ExchangeServer Get-HybridConfiguration Get-EdgeSubscription New-EdgeSubscription
Remove-EdgeSubscription Start-EdgeSynchronization Test-EdgeSynchronization
Get-OrganizationConfig Get-AcceptedDomain Get-MessageTrackingLog
Get-ExchangeDiagnosticInfo Get-ServerComponentState Test-ServiceHealth
Get-ChildItem Get-Item Get-ItemProperty Set-ItemProperty New-ItemProperty New-Item
Remove-Item Copy-Item Get-Content Out-File Export-Clixml Import-Clixml Export-Csv
Test-NetConnection Resolve-DnsName Test-Connection
Stop-Service Start-Service Restart-Service Get-Service
Restart-WebAppPool Start-WebAppPool Get-WebBinding
Format-List Format-Table Select-Object Where-Object ForEach-Object Sort-Object
Group-Object Measure-Object Get-Date Get-WinEvent Get-EventLog Write-Host Write-Output
Get-TlsCipherSuite Enable-TlsCipherSuite Restart-Computer Get-Command Invoke-Command
Get-PfxCertificate Import-PfxCertificate Export-PfxCertificate Get-Credential
ConvertTo-SecureString Read-Host Start-Sleep Add-PSSnapin
""".split()
CMDLET_SET = {c.lower() for c in CMDLETS}

# Windows programs and scripts certtrail may name.
EXTERNAL = {"certutil", "certutil.exe", "netsh", "netsh.exe", "iisreset", "iisreset.exe",
            "nslookup", "nslookup.exe", "reg", "reg.exe", "telnet", "ping", "tracert",
            "w32tm", "w32tm.exe", "ipconfig", "openssl", "repadmin", "dcdiag", "gpupdate",
            "klist", "setspn", "certlm.msc", "mmc", "powershell", "powershell.exe"}

COMMON = ("Verbose Debug ErrorAction WarningAction InformationAction ErrorVariable "
          "WarningVariable InformationVariable OutVariable OutBuffer PipelineVariable "
          "WhatIf Confirm").split()

# Parameters of the cmdlets certtrail prints most, from their reference pages
# on learn.microsoft.com (powershell/module/exchange/...). None: not checked.
PARAMS = {
    "enable-exchangecertificate": ("Thumbprint Identity Server Services DoNotRequireSsl "
                                   "NetworkServiceAllowed Force DomainController Instance"),
    "get-exchangecertificate": "Thumbprint Identity Server DomainName Instance DomainController",
    "remove-exchangecertificate": "Thumbprint Identity Server DomainController",
    "import-exchangecertificate": ("FileData FileName Password PrivateKeyExportable Server "
                                   "FriendlyName Instance DomainController"),
    "export-exchangecertificate": ("Thumbprint Identity Server BinaryEncoded FileName Password "
                                   "DomainController"),
    "new-exchangecertificate": ("BinaryEncoded GenerateRequest RequestFile DomainController "
                                "DomainName Force FriendlyName IncludeAcceptedDomains "
                                "IncludeAutoDiscover IncludeServerFQDN IncludeServerNetBIOSName "
                                "Instance KeySize PrivateKeyExportable Server "
                                "SubjectKeyIdentifier SubjectName Services"),
    "set-authconfig": ("CertificateThumbprint SkipImmediateCertificateDeployment "
                       "DomainController Force Server ClearPreviousCertificate "
                       "PublishCertificate NewCertificateEffectiveDate "
                       "NewCertificateThumbprint Realm ServiceName"),
    "get-authconfig": "DomainController",
    "get-queue": ("Identity Filter Server Include Exclude BookmarkIndex BookmarkObject "
                  "IncludeBookmark ResultSize ReturnPageInfo SearchForward SortOrder"),
    "retry-queue": "Identity Filter Server Resubmit",
    "restart-webapppool": "Name InputObject",
}
SWITCHES = {"enable-exchangecertificate": {"donotrequiressl", "networkserviceallowed", "force"},
            "new-exchangecertificate": {"binaryencoded", "generaterequest", "force",
                                        "includeaccepteddomains", "includeautodiscover",
                                        "includeserverfqdn", "includeservernetbiosname"},
            "set-authconfig": {"skipimmediatecertificatedeployment", "force",
                               "clearpreviouscertificate", "publishcertificate"},
            "get-queue": {"includebookmark", "returnpageinfo", "searchforward"},
            "retry-queue": {"resubmit"},
            "export-exchangecertificate": {"binaryencoded"},
            "remove-exchangecertificate": set(), "get-exchangecertificate": set()}
COMMON_SWITCHES = {"verbose", "debug", "whatif", "confirm"}

# How many positional arguments a cmdlet takes (default 1: its identity).
POSITIONAL = {"new-exchangecertificate": 0, "set-authconfig": 0, "get-authconfig": 0,
              "test-netconnection": 2, "resolve-dnsname": 2, "get-childitem": 2,
              "select-object": 1, "format-list": 1, "format-table": 1, "get-date": 1,
              "start-sleep": 1}

# Parameters that take a list: an unquoted comma there is an array, on purpose.
ARRAY_PARAMS = {"services", "domainname", "sourcetransportservers", "smarthosts",
                "addressspaces", "bindings", "remoteipranges", "authmechanism",
                "permissiongroups", "property", "name", "include", "exclude", "id",
                "computername", "filedata", "argumentlist", "tlsdomaincapabilities"}

SERVICES = {"none", "imap", "pop", "um", "iis", "smtp", "federation", "umcallrouter"}

PLACEHOLDER = re.compile(r"<(?![IiSs]>)[^<>\r\n]{1,60}>")
TYPOGRAPHIC = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2013\u2014\u00a0"


# ----------------------------------------------------------------- tokenizer

class Piece:
    """One part of an argument: bare text, a quoted string, a variable or an
    expression, as written."""

    def __init__(self, kind, text, value=None, expands=False):
        self.kind = kind        # word sq dq var expr block
        self.text = text
        self.value = value if value is not None else text
        self.expands = expands  # dq holding $var or $( )


class Arg:
    """Pieces written together without white space form one argument; ','
    between them makes an array."""

    def __init__(self):
        self.items = [[]]       # elements of the array, each a list of pieces

    def text(self):
        return ",".join("".join(p.text for p in e) for e in self.items)

    def pieces(self):
        return [p for e in self.items for p in e]

    def literal(self):
        """The string value when every piece is literal, else None."""
        if len(self.items) != 1:
            return None
        out = []
        for p in self.items[0]:
            if p.kind in ("word", "sq") or (p.kind == "dq" and not p.expands):
                out.append(p.value)
            else:
                return None
        return "".join(out)

    def is_param(self):
        ps = self.pieces()
        return (len(ps) == 1 and ps[0].kind == "word" and len(self.items) == 1 and
                re.match(r"^-[A-Za-z]", ps[0].text) is not None)


class ParseError(Exception):
    pass


def scan_balanced(s, i, open_ch, close_ch):
    """Index after the bracket closing the one at s[i]; strings inside skipped."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c == "'":
            i = scan_sq(s, i)[0]
            continue
        if c == '"':
            i = scan_dq(s, i)[0]
            continue
        if c == "`":
            i += 2
            continue
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ParseError("unbalanced %s%s" % (open_ch, close_ch))


def scan_sq(s, i):
    """(end, value) of the single-quoted string at s[i]."""
    j = i + 1
    out = []
    while j < len(s):
        if s[j] == "'":
            if j + 1 < len(s) and s[j + 1] == "'":
                out.append("'")
                j += 2
                continue
            return j + 1, "".join(out)
        out.append(s[j])
        j += 1
    raise ParseError("unbalanced single quote")


def scan_dq(s, i):
    """(end, value, expands) of the double-quoted string at s[i]."""
    j = i + 1
    out = []
    expands = False
    while j < len(s):
        c = s[j]
        if c == "`" and j + 1 < len(s):
            out.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(s[j + 1], s[j + 1]))
            j += 2
            continue
        if c == '"':
            if j + 1 < len(s) and s[j + 1] == '"':
                out.append('"')
                j += 2
                continue
            return j + 1, "".join(out), expands
        if c == "$" and j + 1 < len(s):
            if s[j + 1] == "(":
                k = scan_balanced(s, j + 1, "(", ")")
                out.append(s[j:k])
                expands = True
                j = k
                continue
            m = re.match(r"\$(\{[^}]*\}|[A-Za-z_][\w:]*)", s[j:])
            if m:
                expands = True
                out.append(m.group(0))
                j += len(m.group(0))
                continue
        out.append(c)
        j += 1
    raise ParseError("unbalanced double quote")


SEPARATORS = set(" \t\r\n|;,")


SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"


def outside_single_quotes(s):
    """s without the insides of its single-quoted strings, where everything
    but a single quote (or its typographic forms, doubled to stand for one)
    is literal (about_Quoting_Rules): a name with an en dash or typographic
    double quotes is written so as it is."""
    out, i, inside = [], 0, False
    while i < len(s):
        c = s[i]
        if inside:
            if c in SINGLE_QUOTES:
                if i + 1 < len(s) and s[i + 1] in SINGLE_QUOTES:
                    i += 2
                    continue
                inside = False
                out.append(c)
        elif c in SINGLE_QUOTES and c == "'":
            inside = True
            out.append(c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def tokenize(s):
    """Statements of pipelines of elements of arguments:
    [[[Arg, ...], ...], ...]; ParseError on unbalanced quotes or brackets,
    operators PowerShell rejects in argument mode, typographic quotes."""
    outside = outside_single_quotes(s)
    for ch in TYPOGRAPHIC:
        if ch in outside:
            raise ParseError("typographic character %r (a copied quote or dash)" % ch)
    statements = [[[]]]
    i = 0
    arg = None

    def end_arg():
        nonlocal arg
        if arg is not None:
            statements[-1][-1].append(arg)
        arg = None

    while i < len(s):
        c = s[i]
        if c in " \t\r":
            end_arg()
            i += 1
            continue
        if c in ";\n":
            end_arg()
            statements.append([[]])
            i += 1
            continue
        if c == "|":
            end_arg()
            if i + 1 < len(s) and s[i + 1] == "|":
                raise ParseError("'||' is not a PowerShell 5.1 operator")
            statements[-1].append([])
            i += 1
            continue
        if c == ",":
            if arg is None:
                raise ParseError("a comma with no value before it")
            arg.items.append([])
            i += 1
            while i < len(s) and s[i] in " \t":
                i += 1
            continue
        if c == "#" and arg is None:
            raise ParseError("'#' starts a comment: the rest of the line is ignored")
        if c in "<>":
            m = PLACEHOLDER.match(s, i)
            if m:
                raise ParseError("placeholder %s where the value belongs (and an unquoted "
                                 "'<' is a redirection operator)" % m.group(0))
            raise ParseError("unquoted '%s' is a redirection operator" % c)
        if c == "&":
            # The call operator, only where a command starts.
            if arg is not None or statements[-1][-1]:
                raise ParseError("unquoted '&' is not allowed")
            i += 1
            continue
        if arg is None:
            arg = Arg()
        cur = arg.items[-1]
        if c == "'":
            j, v = scan_sq(s, i)
            cur.append(Piece("sq", s[i:j], v))
            i = j
        elif c == '"':
            j, v, e = scan_dq(s, i)
            cur.append(Piece("dq", s[i:j], v, e))
            i = j
        elif c == "(" or (c in "$@" and i + 1 < len(s) and s[i + 1] == "("):
            start = i
            j = scan_balanced(s, i + (c != "("), "(", ")")
            j = member_tail(s, j)
            cur.append(Piece("expr", s[start:j]))
            i = j
        elif c == "@" and i + 1 < len(s) and s[i + 1] == "{":
            j = scan_balanced(s, i + 1, "{", "}")
            cur.append(Piece("expr", s[i:j]))
            i = j
        elif c == "{":
            j = scan_balanced(s, i, "{", "}")
            cur.append(Piece("block", s[i:j]))
            i = j
        elif c in ")}":
            raise ParseError("unbalanced '%s'" % c)
        elif c == "$" and re.match(r"\$(\{|[A-Za-z_?^$])", s[i:]):
            m = re.match(r"\$(\{[^}]*\}|[A-Za-z_?^$][\w:]*)", s[i:])
            j = member_tail(s, i + len(m.group(0)))
            cur.append(Piece("var", s[i:j]))
            i = j
        elif c == "`":
            cur.append(Piece("word", s[i:i + 2], s[i + 1:i + 2]))
            i += 2
        else:
            # A '$' not followed by a name is a literal character
            # (\\EXHUB1\c$\file.req).
            j = i + 1
            while j < len(s) and s[j] not in SEPARATORS and s[j] not in "'\"(){}<>`&" and \
                    not (s[j] == "$" and re.match(r"\$(\{|\(|[A-Za-z_?^$])", s[j:])):
                j += 1
            if j == i:
                raise ParseError("unexpected %r" % s[i])
            cur.append(Piece("word", s[i:j]))
            i = j
    end_arg()
    if arg is not None and not arg.items[-1]:
        raise ParseError("a trailing comma")
    return [[e for e in st if e] for st in statements if any(st)]


def member_tail(s, j):
    """Property access and indexing after a variable or expression."""
    while j < len(s):
        m = re.match(r"\.[A-Za-z_]\w*(\(\))?", s[j:])
        if m:
            j += len(m.group(0))
            continue
        if s[j] == "[":
            j = scan_balanced(s, j, "[", "]")
            continue
        break
    return j


# ----------------------------------------------------------------- checks

class Bundle:
    """What findings.json says exists, for the object checks: connectors from
    the connector exports and, when those were not collected, from the logs."""

    def __init__(self, doc):
        self.send = {(c.get("name") or "").lower() for c in doc.get("send_connectors") or []
                     if isinstance(c, dict)}
        self.send_exported = bool(self.send)
        self.receive = set()
        self.receive_exported = bool(doc.get("receive_connectors"))
        for o in doc.get("tls_outcomes") or []:
            if isinstance(o, dict) and o.get("connector"):
                side = self.receive if o.get("direction") == "receive" else self.send
                side.add(o["connector"].lower())
        for c in doc.get("receive_connectors") or []:
            if isinstance(c, dict):
                for k in ("identity", "name"):
                    if c.get(k):
                        self.receive.add(c[k].lower())
                if c.get("server") and c.get("name"):
                    self.receive.add(("%s\\%s" % (c["server"], c["name"])).lower())


def check_command(cmd, bundle):
    """Problems of one command (a list of strings). A command of several lines
    is checked line by line, as it runs when pasted into the shell."""
    lines = [ln for ln in cmd.splitlines() if ln.strip()]
    if len(lines) > 1:
        out = []
        for n, ln in enumerate(lines):
            out += ["line %d: %s" % (n + 1, p) for p in check_command(ln, bundle)]
        return out
    try:
        statements = tokenize(cmd)
    except ParseError as e:
        return [str(e)]
    problems = []
    for st in statements:
        for n, element in enumerate(st):
            problems += check_element(element, n, bundle)
    return problems


def placeholders(arg):
    out = []
    for p in arg.pieces():
        if p.kind in ("word", "sq", "dq", "expr", "block"):
            for m in PLACEHOLDER.finditer(p.value if p.kind != "block" else p.text):
                out.append(m.group(0))
    return out


def check_element(element, index, bundle):
    problems = []
    for a in element:
        for ph in placeholders(a):
            problems.append("placeholder %s where the value belongs" % ph)
    first = element[0]
    ps = first.pieces()
    # An assignment or an expression statement ($x = ..., (Get-X).Y | ...).
    if ps[0].kind in ("var", "expr", "sq", "dq", "block"):
        if len(element) > 1 and element[1].text() == "=":
            if len(element) > 2:
                return problems + check_element(element[2:], index, bundle)
            return problems + ["an assignment without a value"]
        return problems
    name = first.literal() or ""
    low = name.lower()
    if re.match(r"^[A-Za-z]+-[A-Za-z0-9]+$", name):
        if low not in CMDLET_SET:
            return problems + ["unknown cmdlet %s" % name]
        return problems + check_cmdlet(low, name, element[1:], bundle)
    if low in EXTERNAL or re.match(r"^\.?[\\/].*\.ps1$", name, re.I) or low.endswith(".ps1"):
        return problems
    return problems + ["unknown command %r" % name]


def check_cmdlet(low, name, args, bundle):
    problems = []
    known = PARAMS.get(low)
    known_list = None
    if known is not None:
        known_list = [p.lower() for p in known.split()] + [c.lower() for c in COMMON]
    switches = SWITCHES.get(low, set()) | COMMON_SWITCHES
    positional = []
    named = {}
    i = 0
    while i < len(args):
        a = args[i]
        if a.is_param():
            raw = a.pieces()[0].text
            pname, colon, _ = raw[1:].partition(":")
            plow = pname.lower()
            if not re.match(r"^[A-Za-z][A-Za-z0-9]*$", pname):
                problems.append("malformed parameter %s" % raw)
            full = plow
            if known_list is not None:
                hits = [k for k in known_list if k == plow] or \
                       [k for k in known_list if k.startswith(plow)]
                if len(hits) != 1:
                    problems.append("%s has no parameter -%s" % (name, pname))
                else:
                    full = hits[0]
            if colon or full in switches:
                named[full] = None
                i += 1
                continue
            if i + 1 < len(args) and not args[i + 1].is_param():
                named[full] = args[i + 1]
                i += 2
                continue
            named[full] = None
            if known_list is not None and full not in switches:
                problems.append("-%s has no value" % pname)
            i += 1
            continue
        positional.append(a)
        i += 1
    limit = POSITIONAL.get(low, 1)
    if "identity" in named and limit:
        limit -= 1
    if len(positional) > limit:
        problems.append("%d positional argument(s) (%s): a value with spaces was not quoted"
                        % (len(positional), " ".join(p.text() for p in positional)))
    for pname, val in named.items():
        if val is None:
            continue
        if len(val.items) > 1 and pname not in ARRAY_PARAMS:
            problems.append("-%s %s: an unquoted comma makes an array" % (pname, val.text()))
        lit = val.literal()
        if pname in ("thumbprint", "newcertificatethumbprint", "certificatethumbprint") and \
                lit is not None and not re.match(r"^[0-9A-Fa-f]{40}$", lit):
            problems.append("-%s %s is not 40 hex digits" % (pname, lit))
        if pname == "services" and low.endswith("exchangecertificate"):
            for e in val.items:
                v = "".join(p.value for p in e)
                for svc in v.split(","):
                    if svc.strip().lower() not in SERVICES:
                        problems.append("-Services names %r, not an Exchange service" % svc)
    ident = named.get("identity") or (positional[0] if positional else None)
    problems += check_object(low, name, ident, bundle)
    return problems


def check_object(low, name, ident, bundle):
    if bundle is None or ident is None:
        return []
    lit = ident.literal()
    if lit is None:
        return []
    key = lit.lower()
    if low.endswith("-receiveconnector") and not low.startswith("new-"):
        if key in bundle.receive:
            return []
        if key in bundle.send:
            return ["%s on %r, a Send connector" % (name, lit)]
        if not bundle.receive_exported and "\\" in key:
            return []       # SERVER\Name, and no Get-ReceiveConnector to check it against
        return ["%s names %r, no Receive connector of the bundle" % (name, lit)]
    if low.endswith("-sendconnector") and not low.startswith("new-"):
        if key in bundle.send:
            return []
        if key in bundle.receive or "\\" in key:
            return ["%s on %r, a Receive connector" % (name, lit)]
        if not bundle.send_exported:
            return []
        return ["%s names %r, no Send connector of the bundle" % (name, lit)]
    return []


# ----------------------------------------------------------------- files

def commands_of(doc, with_gaps):
    for f in doc.get("findings") or []:
        if not isinstance(f, dict):
            continue
        for s in f.get("remediation") or []:
            if isinstance(s, dict) and s.get("command"):
                yield "%s step %s" % (f.get("id"), s.get("step")), s["command"]
    if with_gaps:
        for n, gp in enumerate(doc.get("gaps") or []):
            if isinstance(gp, dict) and gp.get("collect"):
                yield "gap %d" % (n + 1), gp["collect"]


def check_file(path, with_gaps=False):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    bundle = Bundle(doc)
    out = []
    for where, cmd in commands_of(doc, with_gaps):
        for p in check_command(cmd, bundle):
            out.append("%s %s: %s: %s" % (path, where, p, cmd.replace("\r", "")
                                                      .replace("\n", " \\n ")))
    return out


# ----------------------------------------------------------------- self-test

TP = "0123456789ABCDEF0123456789ABCDEF01234567"
DN = ('<I>CN=Contoso Issuing CA 01, O="Contoso, Ltd.", C=US<S>CN=mail.contoso.com, '
      'OU=Messaging, O="Contoso, Ltd.", L=Redmond, S=Washington, C=US')
FAKE = {"send_connectors": [{"name": "Outbound to Partners"}, {"name": "O'Brien Relay"},
                            {"name": "Envoi vers Internet \u2013 Partenaires"},
                            {"name": "Internet"}],
        "receive_connectors": [{"server": "EXHUB1", "name": "Default Frontend EXHUB1",
                                "identity": "EXHUB1\\Default Frontend EXHUB1"}]}

GOOD = [
    # A name with an en dash, quoted: inside single quotes it is literal.
    "Set-SendConnector 'Envoi vers Internet \u2013 Partenaires' -ProtocolLoggingLevel Verbose",
    "Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint %s -Services IIS,SMTP" % TP,
    "Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint %s -Services IMAP, POP" % TP,
    'Get-Queue -Server EXHUB1 | Where-Object {$_.Status -eq "Retry"} | Retry-Queue',
    'Set-SendConnector -Identity "Outbound to Partners" -TlsCertificateName $null',
    "Set-SendConnector 'O''Brien Relay' -ProtocolLoggingLevel Verbose",
    "Set-ReceiveConnector 'EXHUB1\\Default Frontend EXHUB1' -TlsCertificateName '%s'" % DN,
    'Set-ReceiveConnector -Identity "EXHUB1\\Default Frontend EXHUB1" -TlsCertificateName "%s"'
    % DN.replace('"', '""'),
    '$cert = Get-ExchangeCertificate -Server EXHUB1 -Thumbprint %s; Set-SendConnector '
    '"Outbound to Partners" -TlsCertificateName "<I>$($cert.Issuer)<S>$($cert.Subject)"' % TP,
    'New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName '
    '"cn=Microsoft Exchange Server Auth Certificate" -DomainName @() -Services SMTP',
    '$new = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName '
    '"cn=Microsoft Exchange Server Auth Certificate" -DomainName @() -Services SMTP; '
    'Set-AuthConfig -NewCertificateThumbprint $new.Thumbprint -NewCertificateEffectiveDate '
    '(Get-Date)',
    "Set-AuthConfig -PublishCertificate",
    "Set-AuthConfig -ClearPreviousCertificate",
    "Restart-WebAppPool MSExchangeOWAAppPool",
    "certutil -verify -urlfetch C:\\Temp\\mx1.fabrikam.com.cer",
    "netsh winhttp show proxy",
    "(Get-AuthConfig).CurrentCertificateThumbprint | Get-ExchangeCertificate | Format-List",
    "Get-ExchangeCertificate -Server EXHUB1 -Thumbprint %s | Format-List Services" % TP,
    "Test-NetConnection -Port 25 -ComputerName fabrikam.com",
    "Stop-Service MSExchangeTransport",
    "Remove-ExchangeCertificate -Server EXHUB2 -Thumbprint %s" % TP,
    ".\\MonitorExchangeAuthCertificate.ps1 -ValidateAndRenewAuthCertificate $true",
    "New-ExchangeCertificate -Server EXHUB1 -GenerateRequest -SubjectName 'CN=mail.contoso.com,"
    " O=\"Contoso, Ltd.\", C=US' -DomainName mail.contoso.com,autodiscover.contoso.com "
    "-KeySize 2048 -RequestFile \\\\EXHUB1\\c$\\reissue.req",
    "$pfx = Export-ExchangeCertificate -Server EXHUB1 -Thumbprint %s -BinaryEncoded "
    "-Password $pw" % TP,
]

BAD = [
    ("New-ExchangeCertificate -SubjectName cn=Microsoft Exchange Server Auth Certificate "
     "-DomainName @()", "positional"),
    ("New-ExchangeCertificate -KeySize 2048 -DomainName Microsoft Exchange Server Auth "
     "Certificate -Services SMTP", "positional"),
    ('Set-SendConnector "Outbound to Partners -ProtocolLoggingLevel Verbose', "unbalanced"),
    ("Set-SendConnector 'O'Brien Relay' -ProtocolLoggingLevel Verbose", "unbalanced"),
    ('Set-SendConnector "EXHUB1\\Default Frontend EXHUB1" -TlsCertificateName $null',
     "Receive connector"),
    ('Set-ReceiveConnector "Outbound to Partners" -TlsCertificateName $null',
     "Send connector"),
    ("Enable-ExchangeCertificate -Server <Srv> -Thumbprint <TP> -Services SMTP", "redirection"),
    ('Set-AuthConfig -NewCertificateThumbprint "<new thumbprint>" '
     '-NewCertificateEffectiveDate (Get-Date)', "placeholder"),
    ("Set-SendConnector -Identity Outbound to Partners -RequireTLS $true", "positional"),
    ('Set-SendConnector "Outbound to Partners" -TlsCertificateName <I>CN=a<S>CN=b',
     "redirection"),
    ('Set-SendConnector "Outbound to Partners" -TlsCertificateName CN=mail.contoso.com, '
     'O=Contoso', "comma"),
    ("Enable-ExchangeCertificat -Server EXHUB1 -Thumbprint %s -Services SMTP" % TP,
     "unknown cmdlet"),
    ("Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint ABC -Services IIS,SMTP", "40 hex"),
    ("Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint %s -Services IIS,SMTPS" % TP,
     "Exchange service"),
    ("Get-ExchangeCertificate -Server EXHUB1 -Thumbprints %s" % TP, "no parameter"),
    ("Set-SendConnector \u201cOutbound to Partners\u201d -ProtocolLoggingLevel Verbose",
     "typographic"),
    ('Get-Queue | Where-Object {$_.Status -eq "Retry" | Retry-Queue', "unbalanced"),
    ('Set-ReceiveConnector "EXHUB1\\Default Frontend EXHUB1" -TlsCertificateName "%s"' % DN,
     "comma"),
    ("Set-SendConnector Internet -Fqdn mail.contoso.com & iisreset", "'&'"),
    ("Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint %s -Services SMTP # answer N" % TP,
     "comment"),
    ("Set-SendConnector 'Outbound to Fabrikam' -ProtocolLoggingLevel Verbose",
     "no Send connector"),
    ("Get-ExchangeCertificate -Server EXHUB1 -Thumbprint", "no value"),
    ('New-ExchangeCertificate -Server EXHUB1 -GenerateRequest -SubjectName "CN=mail.contoso.com,'
     ' O="Contoso, Ltd.", C=US" -KeySize 2048 -RequestFile \\\\EXHUB1\\c$\\r.req', "comma"),
    ("Enable-ExchangeCertificate -Server EXHUB1 -Thumbprint <new thumbprint> -Services SMTP",
     "redirection"),
]


def selftest():
    bundle = Bundle(FAKE)
    bad = 0
    for cmd in GOOD:
        p = check_command(cmd, bundle)
        if p:
            bad += 1
            print("selftest: a good command failed: %s: %s" % (cmd, "; ".join(p)))
    for cmd, want in BAD:
        p = check_command(cmd, bundle)
        if not any(want.lower() in x.lower() for x in p):
            bad += 1
            print("selftest: a bad command was not caught for %r: %s (got %s)" % (
                want, cmd, p or "no problem"))
    t = tokenize("Set-ReceiveConnector 'X' -TlsCertificateName '%s'" % DN.replace("'", "''"))
    if t[0][0][3].literal() != DN:
        bad += 1
        print("selftest: a single-quoted value did not evaluate to the name")
    t = tokenize('Set-X -A "%s"' % DN.replace('"', '""'))
    if t[0][0][2].literal() != DN:
        bad += 1
        print("selftest: a double-quoted value with doubled quotes did not evaluate")
    print("selftest: %d good and %d bad commands, %d failure(s)" % (len(GOOD), len(BAD), bad))
    return 1 if bad else 0


def main(argv):
    if argv[1:] == ["--selftest"]:
        return selftest()
    args = argv[1:]
    with_gaps = "--gaps" in args
    files = [a for a in args if a != "--gaps"]
    if not files:
        sys.stderr.write(__doc__)
        return 2
    problems = []
    for path in files:
        try:
            problems += check_file(path, with_gaps)
        except (OSError, ValueError) as e:
            problems.append("%s: unreadable: %s" % (path, e))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

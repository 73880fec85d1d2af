#!/usr/bin/env python3
"""Checks certtrail's outputs for one expert scenario (testdata/gen_expert.py)
against its expected file.

    check_expert.py [--count] OUTDIR EXPECTED [STDOUT_FILE]

Reads OUTDIR/findings.json, report.html and report.xlsx (its shared and
inline strings) and standard output, and checks everything the expected
file asks (schema in testdata/expert/README.md): the contract's schema (with
local times allowed their missing zone), rules, severities, statuses, the
verdict in every output, servers' UTC offsets, sentences that must or must
not appear, every time value against the generator's truth, remediation
commands, gaps and unknown counts. It also checks the expected file against
its own bundle: each time the truth says was written is in the member it
names. Prints one line per failure; exit 1 on any. --count adds a last line
"checks N failed M".

Python standard library only.
"""

import datetime as dt
import fnmatch
import html
import io
import json
import os
import re
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # never write into the source tree
import check_findings as cf  # noqa: E402
import check_commands as cc  # noqa: E402

STATES = ("root_cause", "problems", "resolved", "clear", "not_judged")
# The five verdicts by name: each output states its verdict in these words.
HEADINGS = {"root_cause": "Root cause found", "problems": "Problems found",
            "resolved": "Resolved", "clear": "No problem found", "not_judged": "Not judged"}
TIME_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
SLACK = dt.timedelta(seconds=1)     # rows carry milliseconds, outputs whole seconds


class Checker(cf.Checker):
    """check_findings' checker, counting what it checks, and taking a
    server-local time without a zone (the output contract) as a valid time."""

    def __init__(self):
        super().__init__()
        self.checks = 0
        self._in_expect = False

    def expect(self, cond, field, msg):
        self.checks += 1
        if not cond:
            self.failures.append("%s: %s" % (field, msg))
        return cond

    def fail(self, field, msg):
        self.checks += 1
        self.failures.append("%s: %s" % (field, msg))

    def time(self, obj, key, field, nullable=True):
        v = self.typed(obj, key, str, field, nullable)
        if v is not None:
            self.expect(TIME_RE.match(v), "%s.%s" % (field, key),
                        "%r is not an ISO-8601 time (UTC with Z, or local without a zone)"
                        % v)
        return v


# ----------------------------------------------------------------- texts

def strings_of(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings_of(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings_of(v)


def xlsx_strings(path):
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return ""
    out = []
    for n in z.namelist():
        if n.startswith("xl/") and n.endswith(".xml"):
            data = z.read(n).decode("utf-8", errors="replace")
            out += [html.unescape(t) for t in re.findall(r"<t[^>]*>([^<]*)</t>", data)]
    return "\n".join(out)


class Texts:
    def __init__(self, outdir, doc, stdout):
        self.doc = doc
        self.json = "\n".join(strings_of(doc))
        try:
            with open(os.path.join(outdir, "report.html"), encoding="utf-8") as f:
                raw = f.read()
        except (OSError, UnicodeDecodeError):
            raw = ""
        a, b = cf.html_text(raw)
        self.html_raw = raw
        # What a reader sees: tags become spaces, so a tile's figure and label
        # read as "0 messages queued for retry".
        seen = html.unescape(re.sub(r"<[^>]*>", " ", raw))
        self.html = "\n".join((a, b, seen))
        self.xlsx = xlsx_strings(os.path.join(outdir, "report.xlsx"))
        self.stdout = ""
        if stdout:
            try:
                with open(stdout, encoding="utf-8", errors="replace") as f:
                    self.stdout = f.read()
            except OSError:
                pass

    def get(self, where):
        if where == "any":
            return "\n".join((self.json, self.html, self.xlsx, self.stdout))
        return getattr(self, where)


def has(text, s, nocase):
    a, b = cf.norm_ws(text), cf.norm_ws(s)
    return b.lower() in a.lower() if nocase else b in a


# ----------------------------------------------------------------- times

def parse_time(v):
    """(naive datetime, zone): zone 'Z', a timedelta offset, or None (local)."""
    m = TIME_RE.match(v or "")
    if not m:
        return None, None
    t = dt.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    z = m.group(3)
    if z is None:
        return t, None
    if z == "Z":
        return t, "Z"
    sign = 1 if z[0] == "+" else -1
    return t, dt.timedelta(hours=sign * int(z[1:3]), minutes=sign * int(z[4:6]))


def iso(s):
    return dt.datetime.strptime(s.rstrip("Z")[:19], "%Y-%m-%dT%H:%M:%S")


def same_value(a, b):
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if isinstance(a, (int, str)) and isinstance(b, (int, str)):
        return str(a) == str(b)
    return a == b


def resolve(doc, path):
    """(found, value) of a path: "a.b[0].c" or {"array", "match", "field"}."""
    if isinstance(path, dict):
        arr = doc.get(path["array"])
        if not isinstance(arr, list):
            return False, None
        for o in arr:
            if isinstance(o, dict) and all(same_value(o.get(k), v)
                                           for k, v in path["match"].items()):
                return path["field"] in o, o.get(path["field"])
        return False, None
    cur = doc
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            i = int(part[1:-1])
            if not isinstance(cur, list) or i >= len(cur):
                return False, None
            cur = cur[i]
        else:
            if not isinstance(cur, dict) or part not in cur:
                return False, None
            cur = cur[part]
    return True, cur


def describe(path):
    if isinstance(path, dict):
        return "%s[%s].%s" % (path["array"], ",".join(
            "%s=%s" % kv for kv in path["match"].items()), path["field"])
    return path


STRICTNESS = {"utc": 0, "either": 1, "local": 2}


def check_times(c, doc, texts, exp):
    truths = [t for t in exp.get("times", []) if "written" in t]
    utc_values = {t["utc"] for t in truths}
    # One check per reported value: a certificate date written both in local
    # text and in UTC (a log's one-row block) must be reported in UTC.
    by_path = {}
    for t in truths:
        if t["must_be"] == "unparsed" or "path" not in t:
            continue
        key = json.dumps(t["path"], sort_keys=True)
        if key not in by_path or STRICTNESS[t["must_be"]] < STRICTNESS[by_path[key]["must_be"]]:
            by_path[key] = t
    flagged = set()
    for t in by_path.values():
        field = "times[%s]" % describe(t["path"])
        found, v = resolve(doc, t["path"])
        if not found or v is None:
            if not t.get("optional"):
                c.fail(field, "missing; the bundle wrote %r (%s) = %s" % (
                    t["written"], t["written_as"], t["utc"]))
            continue
        got, zone = parse_time(v)
        if not c.expect(got is not None, field, "%r is not an ISO-8601 time" % v):
            continue
        if zone is None:
            if c.expect(t["must_be"] in ("local", "either"), field,
                        "%r has no zone, but the bundle holds this time in UTC (%s)"
                        % (v, t["utc"])):
                c.expect(abs(got - iso(t["local"])) <= SLACK, field,
                         "%r, want the local time %s (written %r, %s)" % (
                             v, t["local"], t["written"], t["written_as"]))
            continue
        utc = got - zone if zone != "Z" else got
        if t.get("local") and got == iso(t["local"]):
            flagged.add(v)      # the local reading labelled UTC: reported here
        if c.expect(t["must_be"] in ("utc", "either"), field,
                    "%r is labelled UTC, but the bundle gives no UTC offset for %r (%s): "
                    "it is the local time %s" % (v, t["written"], t["written_as"],
                                                 t["local"])):
            c.expect(abs(utc - iso(t["utc"])) <= SLACK, field,
                     "%r, want %s (written %r, %s)" % (v, t["utc"], t["written"],
                                                       t["written_as"]))
    # No local time anywhere labelled as UTC.
    seen = set()
    for t in truths:
        if t["must_be"] not in ("local", "either") or not t.get("local"):
            continue
        if t["local"] + "Z" in utc_values or t["local"] == t["utc"].rstrip("Z"):
            continue
        lt = iso(t["local"])
        for form in (t["local"] + "Z", lt.strftime("%Y-%m-%d %H:%M:%S UTC"),
                     lt.strftime("%Y-%m-%d %H:%M UTC")):
            for where in ("json", "html", "xlsx", "stdout"):
                if (where == "json" and form in flagged) or (where, form) in seen:
                    continue        # reported above, at its field, or already here
                seen.add((where, form))
                c.expect(form not in texts.get(where), "%s" % where,
                         "writes %s: the local time %r (%s) labelled as UTC" % (
                             form, t["written"], t["written_as"]))


def check_truth_in_bundle(c, exp, base):
    """The expected file's written times are in the members it names."""
    members = {}
    for name in exp.get("inputs", []):
        path = os.path.join(base, name)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            c.fail("generator truth", "cannot read %s" % path)
            continue
        collect(data, "", members)
    for t in exp.get("times", []):
        if "written" not in t:
            continue
        hit = any(t["written"] in text for n, text in members.items()
                  if fnmatch.fnmatchcase(n, t["source"]))
        c.expect(hit, "generator truth", "%r is in no member %s" % (t["written"], t["source"]))


def collect(data, prefix, out):
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    for n in z.namelist():
        body = z.read(n)
        if n.lower().endswith(".zip"):
            collect(body, prefix + n + "/", out)
            continue
        if body.startswith(b"\xff\xfe"):
            out[prefix + n] = body[2:].decode("utf-16-le", errors="replace")
        else:
            out[prefix + n] = body.decode("utf-8", errors="replace").lstrip("\ufeff")


# ----------------------------------------------------------------- findings

def finding_text(f):
    parts = [f.get("title") or "", f.get("explanation") or ""]
    for s in f.get("remediation") or []:
        if isinstance(s, dict):
            parts += [s.get("text") or "", s.get("command") or ""]
    for e in f.get("evidence") or []:
        if isinstance(e, dict):
            parts.append(e.get("text") or "")
    return "\n".join(parts)


def commands_of(findings):
    return [cf.norm_ws(s.get("command")) for f in findings for s in f.get("remediation") or []
            if isinstance(s, dict) and s.get("command")]


def statements(cmds):
    out = []
    for cmd in cmds:
        for line in re.split(r"\n|;\s", cmd):
            if line.strip():
                out.append(cf.norm_ws(line))
    return out


def set_eq(got, want):
    return sorted(x.lower() for x in got or []) == sorted(x.lower() for x in want)


def set_has(got, want):
    g = {x.lower() for x in got or []}
    return all(x.lower() in g for x in want)


def check_loose(c, f, ef, field):
    nocase = ef.get("nocase", False)
    if "severity" in ef:
        c.expect(f.get("severity") == ef["severity"], field + ".severity",
                 "%r, want %r" % (f.get("severity"), ef["severity"]))
    if "severity_max" in ef:
        c.expect(cf.SEV_RANK.get(f.get("severity"), 0) <= cf.SEV_RANK[ef["severity_max"]],
                 field + ".severity", "%r, want at most %r" % (
                     f.get("severity"), ef["severity_max"]))
    if "status" in ef:
        c.expect(f.get("status") == ef["status"], field + ".status",
                 "%r, want %r" % (f.get("status"), ef["status"]))
    for k in ("servers", "connectors", "thumbprints"):
        if k in ef:
            c.expect(set_eq(f.get(k), ef[k]), field + "." + k, "%r, want %r" % (
                f.get(k), ef[k]))
        if k + "_include" in ef:
            c.expect(set_has(f.get(k), ef[k + "_include"]), field + "." + k,
                     "%r, want it to include %r" % (f.get(k), ef[k + "_include"]))
    text = finding_text(f)
    for s in ef.get("text_must", []):
        c.expect(has(text, s, nocase), field, "its text lacks %r" % s)
    for group in ef.get("text_must_any", []):
        c.expect(any(has(text, s, nocase) for s in group), field,
                 "its text has none of %r" % group)
    for s in ef.get("text_must_not", []):
        c.expect(not has(text, s, nocase), field, "its text says %r" % s)
    cmds = commands_of([f])
    for s in ef.get("commands_must", []):
        c.expect(any(has(x, s, nocase) for x in cmds), field + ".remediation",
                 "no command contains %r; commands: %s" % (s, cmds))
    for key, name in (("first_seen_between", "first_seen"),
                      ("last_seen_between", "last_seen")):
        if key in ef:
            v = f.get(name)
            lo, hi = ef[key]
            got, zone = parse_time(v)
            c.expect(got is not None and zone == "Z" and iso(lo) <= got <= iso(hi),
                     field + "." + name, "%r, want between %s and %s" % (v, lo, hi))


def check_findings_loose(c, doc, exp):
    findings = [f for f in doc.get("findings") or [] if isinstance(f, dict)]
    for n, ef in enumerate(exp.get("findings_loose", [])):
        rules = ef.get("rule_any") or ([ef["rule"]] if "rule" in ef else None)
        cands = [f for f in findings if rules is None or f.get("rule") in rules]
        field = "finding[%s]" % ("|".join(rules) if rules else "any rule")
        if not c.expect(cands, field, "none (rules found: %s)%s" % (
                [f.get("rule") for f in findings],
                "; " + ef["why"] if "why" in ef else "")):
            continue
        best = None
        for f in cands:
            sub = Checker()
            check_loose(sub, f, ef, "%s %s" % (field, f.get("id")))
            if best is None or len(sub.failures) < len(best.failures):
                best = sub
        c.checks += best.checks
        c.failures += best.failures


def rules_of(key):
    return key.split("|")


def check_rules_extra(c, doc, exp):
    findings = [f for f in doc.get("findings") or [] if isinstance(f, dict)]
    rules = [f.get("rule") for f in findings]
    for group in exp.get("rules_present_any", []):
        c.expect(any(r in rules for r in group), "findings",
                 "none of %s (rules found: %s)" % (group, rules))
    by_id = {f.get("id"): f for f in findings}
    root = by_id.get(doc.get("root_cause"))
    if "root_cause_rule_any" in exp:
        c.expect(root is not None and root.get("rule") in exp["root_cause_rule_any"],
                 "root_cause", "names %s, want one of %s" % (
                     root.get("rule") if root else None, exp["root_cause_rule_any"]))
    if exp.get("root_cause_null"):
        c.expect(doc.get("root_cause") is None, "root_cause",
                 "%r (%s), want null: no symptom stands behind a finding" % (
                     doc.get("root_cause"), root.get("rule") if root else None))
    for key, want in exp.get("finding_status", {}).items():
        fs = [f for f in findings if f.get("rule") in rules_of(key)]
        if c.expect(fs, "finding_status", "no %s finding" % key):
            for f in fs:
                c.expect(f.get("status") == want, "findings[%s].status" % f.get("id"),
                         "%r (%s), want %r" % (f.get("status"), f.get("rule"), want))
    for rule, sev in exp.get("max_severity", {}).items():
        for f in findings:
            if f.get("rule") == rule:
                c.expect(cf.SEV_RANK.get(f.get("severity"), 0) <= cf.SEV_RANK[sev],
                         "findings[%s].severity" % f.get("id"),
                         "%s %s, want at most %s" % (rule, f.get("severity"), sev))
    for rule, n in exp.get("max_findings", {}).items():
        got = sum(1 for f in findings if f.get("rule") == rule)
        c.expect(got <= n, "findings", "%d %s findings, want at most %d" % (got, rule, n))
    lim = exp.get("no_active_at_or_above")
    if lim:
        for f in findings:
            if f.get("status") != "resolved":
                c.expect(cf.SEV_RANK.get(f.get("severity"), 0) < cf.SEV_RANK[lim],
                         "findings[%s]" % f.get("id"),
                         "%s %s is not marked resolved; want every active finding below %s"
                         % (f.get("rule"), f.get("severity"), lim))


# ----------------------------------------------------------------- the rest

def check_verdict(c, doc, texts, exp):
    v = doc.get("verdict")
    if not c.expect(isinstance(v, dict), "verdict", "missing"):
        return
    state = v.get("state")
    c.expect(state in STATES, "verdict.state", "%r is not one of %s" % (state, STATES))
    text = v.get("text") or ""
    want = exp.get("verdict_state")
    if want:
        c.expect(state == want, "verdict.state", "%r, want %r (%s)" % (state, want, text))
    for bad in exp.get("verdict_not", []):
        c.expect(state != bad, "verdict.state", "%r (%s)" % (state, text))
    for s in exp.get("verdict_text_must", []):
        c.expect(has(text, s, True), "verdict.text", "lacks %r: %s" % (s, text))
    head = HEADINGS.get(state)
    if head is None:
        return
    raw = texts.html_raw
    at = raw.find('id="verdict"')
    section = cf.html_text(raw[at:at + 3000])[1] if at >= 0 else ""
    c.expect(has(section, head, True), "report.html",
             "its verdict section does not say %r" % head)
    c.expect(has(texts.xlsx, head, True), "report.xlsx", "does not say %r" % head)
    if texts.stdout:
        first_line = texts.stdout.lstrip().split("\n", 1)[0]
        c.expect(has(first_line, head, True), "stdout",
                 "its first line does not say %r: %s" % (head, first_line))
    first = re.search(r"<section[^>]*>", raw)
    c.expect(first is not None and 'id="verdict"' in first.group(0), "report.html",
             "the verdict is not the first section")


def check_servers(c, doc, exp):
    if "servers" not in exp:
        return
    got = doc.get("servers")
    if not c.expect(isinstance(got, list), "servers",
                    "missing (the output contract's servers[], with utc_offset_minutes and "
                    "offset_from)"):
        return
    by = {(s.get("name") or "").lower(): s for s in got if isinstance(s, dict)}
    for es in exp["servers"]:
        field = "servers[%s]" % es["name"]
        s = by.get(es["name"].lower())
        if not c.expect(s is not None, field, "missing"):
            continue
        if not c.expect("utc_offset_minutes" in s, field + ".utc_offset_minutes", "missing"):
            continue
        off = s.get("utc_offset_minutes")
        want = es["utc_offset_minutes"]
        c.expect(off == want, field + ".utc_offset_minutes", "%r, want %r%s" % (
            off, want, " (nothing in the bundle gives it)" if want is None else ""))
        for k in ("utc_offset_minutes_nov_mar", "utc_offset_minutes_may_aug"):
            if k in es:
                c.expect(s.get(k) == es[k], field + "." + k, "%r, want %r" % (
                    s.get(k), es[k]))
        clues = es.get("offset_from_contains") or []
        if (want is not None or "utc_offset_minutes_nov_mar" in es) and clues:
            src = s.get("offset_from") or ""
            c.expect(any(x.lower() in src.lower() for x in clues), field + ".offset_from",
                     "%r names none of the clues %s" % (src, clues))


def check_texts(c, texts, exp):
    for t in exp.get("text_must", []):
        hay = texts.get(t["where"])
        nocase = t.get("nocase", False)
        wants = t.get("contains_any") or [t["contains"]]
        c.expect(any(has(hay, w, nocase) for w in wants), t["where"],
                 "says none of %r (%s)" % (wants, t.get("why", "")))
    for t in exp.get("text_must_not", []):
        hay = texts.get(t["where"])
        if "regex" in t:
            m = re.search(t["regex"], cf.norm_ws(hay))
            c.expect(m is None, t["where"], "says %r (%s)" % (
                m.group(0) if m else "", t.get("why", "")))
        else:
            c.expect(not has(hay, t["contains"], t.get("nocase", False)), t["where"],
                     "says %r (%s)" % (t["contains"], t.get("why", "")))


def check_commands_expected(c, doc, exp):
    findings = [f for f in doc.get("findings") or [] if isinstance(f, dict)]
    cmds = commands_of(findings)
    stmts = statements(cmds)
    for s in exp.get("commands_must", []):
        c.expect(any(has(x, s, False) for x in cmds), "commands",
                 "none contains %r" % s)
    for s in exp.get("commands_must_not", []):
        bad = [x for x in cmds if has(x, s, False)]
        c.expect(not bad, "commands", "%r in %s" % (s, bad))
    for group in exp.get("commands_any_of", []):
        c.expect(any(has(x, s, False) for s in group["any_of"] for x in cmds), "commands",
                 "none of %s (%s); commands: %s" % (group["any_of"], group.get("why", ""),
                                                    cmds))
    for group in exp.get("commands_with_all", []):
        c.expect(any(all(has(x, p, True) for p in group["parts"]) for x in stmts),
                 "commands", "no command with all of %s (%s)" % (group["parts"],
                                                                 group.get("why", "")))
    for r in exp.get("commands_must_not_regex", []):
        bad = [x for x in cmds if re.search(r["regex"], x)]
        c.expect(not bad, "commands", "/%s/ matches %s (%s)" % (r["regex"], bad,
                                                                 r.get("why", "")))
    for want in exp.get("tls_name_args", []):
        for raw in [s.get("command") for f in findings for s in f.get("remediation") or []
                    if isinstance(s, dict) and s.get("command")]:
            for line in raw.splitlines():
                check_tls_arg(c, line, want)


def check_tls_arg(c, line, want):
    try:
        sts = cc.tokenize(line)
    except cc.ParseError:
        return          # check_commands.py reports it
    for st in sts:
        for el in st:
            name = (el[0].literal() or "").lower()
            if not name.endswith("connector"):
                continue
            for i, a in enumerate(el[:-1]):
                if a.is_param() and a.pieces()[0].text.lower() == "-tlscertificatename":
                    lit = el[i + 1].literal()
                    if lit is not None and lit != "$null":
                        c.expect(lit == want["value"], "commands",
                                 "-TlsCertificateName evaluates to %r, want %r: %s" % (
                                     lit, want["value"], line))


def check_gaps(c, doc, exp):
    """gaps_must: some gap (what it lacks or how to collect it) mentions each;
    gaps_must_not: no gap says it lacks what the bundle holds (a collect
    command may still use that cmdlet to find something else)."""
    gaps = [g for g in doc.get("gaps") or [] if isinstance(g, dict)]
    full = ["%s %s" % (g.get("what") or "", g.get("collect") or "") for g in gaps]
    for s in exp.get("gaps_must", []):
        c.expect(any(s.lower() in g.lower() for g in full), "gaps",
                 "none mentions %r; gaps: %s" % (s, full))
    for s in exp.get("gaps_must_not", []):
        bad = [g.get("what") for g in gaps if s.lower() in (g.get("what") or "").lower()]
        c.expect(not bad, "gaps", "asks for %r, which the bundle holds: %s" % (s, bad))


def zero_counts(obj, tokens, path, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = "%s.%s" % (path, k)
            if isinstance(v, int) and not isinstance(v, bool) and v == 0 and \
                    any(t in k.lower() for t in tokens):
                out.append(p)
            zero_counts(v, tokens, p, out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            zero_counts(v, tokens, "%s[%d]" % (path, i), out)


def check_unknown_counts(c, doc, exp):
    tokens = [t.lower() for t in exp.get("json_counts_not_zero", [])]
    if tokens:
        out = []
        zero_counts(doc, tokens, "$", out)
        c.expect(not out, "findings.json", "0 where the bundle holds no %s output: %s" % (
            "/".join(tokens), out))


def check_cites(c, exp):
    cites = exp.get("cites") or []
    c.expect(cites and all(x.get("url") and x.get("title") for x in cites), "expected",
             "cites no reference")


def main(argv):
    count = "--count" in argv
    args = [a for a in argv[1:] if a != "--count"]
    if len(args) < 2:
        sys.stderr.write(__doc__)
        return 2
    outdir, expected = args[0], args[1]
    stdout = args[2] if len(args) > 2 else None
    c = Checker()
    exp = cf.load_json(expected, c, "expected")
    doc = cf.load_json(os.path.join(outdir, "findings.json"), c)
    if exp is not None:
        check_cites(c, exp)
        check_truth_in_bundle(c, exp, os.path.dirname(os.path.abspath(expected)))
    if doc is not None and exp is not None:
        texts = Texts(outdir, doc, stdout)
        cf.check_schema(c, doc, os.path.dirname(os.path.abspath(expected)))
        cf.check_expected(c, doc, exp)
        cf.check_html(c, os.path.join(outdir, "report.html"), doc, exp, None)
        cf.check_xlsx(c, os.path.join(outdir, "report.xlsx"), doc, exp, None)
        check_verdict(c, doc, texts, exp)
        check_rules_extra(c, doc, exp)
        check_findings_loose(c, doc, exp)
        check_servers(c, doc, exp)
        check_texts(c, texts, exp)
        check_times(c, doc, texts, exp)
        check_commands_expected(c, doc, exp)
        check_gaps(c, doc, exp)
        check_unknown_counts(c, doc, exp)
    for f in c.failures:
        print(f)
    if count:
        print("checks %d failed %d" % (c.checks, len(c.failures)))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Checks the project's documentation against the program it describes.

usage:
  check_docs.py contract COLUMNS.tsv docs/contract.md
      COLUMNS.tsv is tests/columns_dump's listing of the table descriptions.
      For every described table, docs/contract.md has a section "### `KEY`"
      whose key table lists exactly the columns findings.json shows, in the
      description's order, each with a type matching the column's, and whose
      "column | shown in" table lists exactly the other columns with the
      outputs that show them.
  check_docs.py json docs/contract.md FINDINGS.json...
      Every key the findings.json files hold is documented: a top-level key
      in the top-level table, a key inside one in that key's section.
  check_docs.py options HELP.txt DOC...
      Every long option `certtrail --help` prints is in every DOC.
  check_docs.py rules LIST_RULES.txt DOC...
      Each DOC's rule table (header "| rule |") lists exactly the rule ids of
      `certtrail --list-rules`, in its order.
  check_docs.py readme README.md
      README.md has at most 2,000 words (as `wc -w` counts them) and opens
      with the two commands users and CI run, byte for byte, before its
      first section.
  check_docs.py summary STDOUT.txt DOC...
      The example of standard output in each DOC (the first fenced block
      after the line that begins "Standard output gets a short summary") is
      STDOUT.txt, line for line: what the README's first command prints.
  check_docs.py cited ROOT DIR...
      Every *.md file a source, script or test under the DIRs names (in a
      comment or a string) exists under ROOT.
  check_docs.py links ROOT DOC...
      Every relative link of each DOC leads to a file under ROOT (and to a
      heading of it when it names one), every *.md file a DOC names exists
      under ROOT, and so does every source file it names in backquotes
      (`src/rules/list.h`, `rules/list.h` or `list.h`; NAME in a path stands
      for any name): no document points to one the project lacks.
Prints one line per failure and exits 1, else exits 0.
"""
import json
import os
import re
import sys

MAX_README_WORDS = 2000

# The two commands the README opens with. The first installs, builds and
# analyzes the bundled sample; the second runs every test. Users paste them
# and CI runs them, so they must not change by accident.
INSTALL_COMMAND = (
    "```sh\n"
    "sudo apt-get update && sudo apt-get install -y build-essential autoconf "
    "automake pkg-config libarchive-dev libssl-dev libxlsxwriter-dev "
    "libcmocka-dev libevtx-dev libbfio-dev python3 openssl zip unzip chromium "
    "poppler-utils clang libclang-rt-14-dev && ./autogen.sh && ./configure && "
    "make && ./src/certtrail --as-of 2026-11-10 "
    "testdata/sample/exhub1-smtp-not-enabled.zip -o sample-report\n"
    "```\n")
TEST_COMMAND = (
    "```sh\n"
    "tests/run-all.sh\n"
    "```\n")

# The JSON type a column of each description type has: the first word of
# its type in docs/contract.md.
TYPE_WORD = {"str": "string", "time": "time", "zone": "boolean",
             "tri": "boolean", "bool": "boolean", "int": "integer",
             "days": "integer", "list": "list", "services": "list",
             "samples": "list"}
OUTPUT_WORD = {"x": "workbook", "h": "page"}

failures = []


def fail(where, what):
    failures.append("%s: %s" % (where, what))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# ------------------------------------------------------------ markdown

def cells(line):
    """The cells of a table row; `\\|` is a bar inside a cell."""
    parts = re.split(r"(?<!\\)\|", line.strip())
    return [c.strip().replace("\\|", "|") for c in parts[1:-1]]


def code(cell):
    """`key` -> key; None when the cell is not one code span."""
    m = re.fullmatch(r"`([^`]+)`", cell)
    return m.group(1) if m else None


def tables(lines):
    """Each markdown table of the lines: (header cells, [row cells])."""
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and \
                re.match(r"^\|[\s:|-]+\|\s*$", lines[i + 1]):
            head, rows, i = cells(lines[i]), [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(cells(lines[i]))
                i += 1
            out.append((head, rows))
        else:
            i += 1
    return out


def sections(text):
    """{name: lines} for every "### `name`" section, and "" for the
    top-level keys table ("### Top-level keys")."""
    out, name, body = {}, None, []
    for line in text.splitlines():
        m = re.match(r"^(#{1,3}) (.*)$", line)
        if m:
            if name is not None:
                out[name] = body
            title = m.group(2).strip()
            if len(m.group(1)) == 3 and code(title):
                name = code(title)
            elif len(m.group(1)) == 3 and title == "Top-level keys":
                name = ""
            else:
                name = None
            body = []
        elif name is not None:
            body.append(line)
    if name is not None:
        out[name] = body
    return out


class Section:
    """A contract section: its key table and its "not in findings.json"
    table, as ordered lists of (name, second cell)."""

    def __init__(self, where, lines):
        self.keys, self.others = [], []
        for head, rows in tables(lines):
            if head[:2] == ["key", "type"]:
                target = self.keys
            elif head[:2] == ["column", "shown in"]:
                target = self.others
            else:
                continue
            for row in rows:
                name = code(row[0]) if row else None
                if name is None or len(row) < 2:
                    fail(where, "a row that does not name a key in "
                         "backquotes: %r" % "|".join(row))
                    continue
                target.append((name, row[1]))


def contract_sections(path):
    return {k: Section("%s: %s" % (path, k or "top-level keys"), v)
            for k, v in sections(read(path)).items()}


# ------------------------------------------------------------ contract

class Col:
    def __init__(self, line):
        f = [None if x == "\\N" else x for x in line.rstrip("\n").split("\t")]
        self.table, self.parent, self.key = f[0], f[2], f[3]
        self.shows, self.type = f[6], f[7]
        self.name = self.key if self.parent is None else \
            "%s.%s" % (self.parent, self.key)


def check_contract(columns_path, doc_path):
    cols = {}
    with open(columns_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                c = Col(line)
                cols.setdefault(c.table, []).append(c)
    if not cols:
        fail(columns_path, "no table descriptions")
    docs = contract_sections(doc_path)
    for table, cs in cols.items():
        where = "%s: %s" % (doc_path, table)
        sec = docs.get(table)
        if sec is None:
            fail(where, "no section \"### `%s`\"" % table)
            continue
        # Rows such as samples[].source describe inside a column's value.
        doc_keys = [(k, t) for k, t in sec.keys if "[]" not in k]
        want = [c for c in cs if "j" in c.shows]
        got = [k for k, _ in doc_keys]
        for c in want:
            if c.name not in got:
                fail(where, "findings.json key %s is not documented" % c.name)
        for k in got:
            if k not in [c.name for c in want]:
                fail(where, "documents key %s, which findings.json does "
                     "not write" % k)
        if set(got) == {c.name for c in want} and \
                got != [c.name for c in want]:
            fail(where, "keys documented in the order %s, written in the "
                 "order %s" % (got, [c.name for c in want]))
        types = dict(doc_keys)
        for c in want:
            if c.name not in types:
                continue
            t = types[c.name]
            word = TYPE_WORD[c.type]
            if t.split(" ")[0] != word:
                fail(where, "%s is documented as %r; its type is %s" %
                     (c.name, t, word))
            elif c.type == "bool" and "null" in t:
                fail(where, "%s is documented as %r; it is never null" %
                     (c.name, t))
            elif c.type == "tri" and "null" not in t:
                fail(where, "%s is documented as %r; it is null when "
                     "unknown" % (c.name, t))
        others = dict(sec.others)
        rest = [c for c in cs if "j" not in c.shows]
        for c in rest:
            if c.name not in others:
                fail(where, "column %s (not in findings.json) is not "
                     "listed" % c.name)
                continue
            shown = ", ".join(OUTPUT_WORD[o] for o in "xh" if o in c.shows)
            if others[c.name] != shown:
                fail(where, "column %s is shown in %s, documented as %r" %
                     (c.name, shown, others[c.name]))
        for k in others:
            if k not in [c.name for c in rest]:
                fail(where, "lists column %s as not in findings.json; the "
                     "descriptions have no such column" % k)


# ------------------------------------------------------------ json

def key_paths(value, prefix=""):
    """The documented names of the keys inside a value: a key holding an
    object is named by its keys ("evidence.source"), a list of objects by
    its items' ("samples[].line"), anything else by itself."""
    out = set()
    if isinstance(value, dict):
        for k, v in value.items():
            name = prefix + k
            if isinstance(v, dict) and v:
                out |= key_paths(v, name + ".")
            elif isinstance(v, list) and v and \
                    all(isinstance(x, dict) for x in v):
                for x in v:
                    out |= key_paths(x, name + "[].")
            else:
                out.add(name)
    return out


def check_json(doc_path, paths):
    docs = contract_sections(doc_path)
    top = docs.get("")
    if top is None:
        fail(doc_path, "no \"### Top-level keys\" table")
        return
    top_keys = {k for k, _ in top.keys}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        for key, value in d.items():
            if key not in top_keys:
                fail(path, "top-level key %s is not in %s" % (key, doc_path))
                continue
            if isinstance(value, list):
                inner = set()
                for x in value:
                    inner |= key_paths(x)
            else:
                inner = key_paths(value)
            if not inner:
                continue
            sec = docs.get(key)
            if sec is None:
                fail(path, "%s holds keys; %s has no section \"### `%s`\"" %
                     (key, doc_path, key))
                continue
            documented = {k for k, _ in sec.keys}
            for name in sorted(inner - documented):
                fail(path, "%s: key %s is not documented in %s" %
                     (key, name, doc_path))


# ------------------------------------------------------------ options, rules

def check_options(help_path, docs):
    opts = sorted(set(re.findall(r"--[a-z][a-z-]+", read(help_path))))
    if not opts:
        fail(help_path, "no options in --help")
    for doc in docs:
        text = read(doc)
        for o in opts:
            if not re.search(re.escape(o) + r"(?![a-z-])", text):
                fail(doc, "option %s of --help is not documented" % o)


def rule_table(path):
    ids = []
    for head, rows in tables(read(path).splitlines()):
        if head and head[0] == "rule":
            ids += [code(r[0]) for r in rows if r]
    return ids


def check_rules(list_path, docs):
    want = [line.split()[0] for line in read(list_path).splitlines()
            if line.strip()]
    if not want:
        fail(list_path, "--list-rules printed no rule")
    for doc in docs:
        got = rule_table(doc)
        for r in want:
            if r not in got:
                fail(doc, "rule %s is not in the rule table" % r)
        for r in got:
            if r not in want:
                fail(doc, "the rule table lists %s, which --list-rules does "
                     "not" % r)
        if set(got) == set(want) and got != want:
            fail(doc, "the rule table's order differs from --list-rules'")


# ------------------------------------------------------------ readme

def check_readme(path):
    with open(path, "rb") as f:
        data = f.read()
    # wc -w: runs of bytes that are not white space.
    words = len(re.findall(rb"[^ \t\n\r\f\v]+", data))
    if words > MAX_README_WORDS:
        fail(path, "%d words, more than %d" % (words, MAX_README_WORDS))
    text = data.decode("utf-8")
    first_section = re.search(r"^## ", text, re.M)
    head = text[:first_section.start()] if first_section else text
    blocks = re.findall(r"^```.*?^```\n", head, re.M | re.S)
    if blocks[:1] != [INSTALL_COMMAND]:
        fail(path, "does not open with the command that installs, builds "
             "and runs the sample, byte for byte")
    if blocks[1:2] != [TEST_COMMAND]:
        fail(path, "the second command is not the one that runs every "
             "test, byte for byte")


# ------------------------------------------------------------ links

def slug(heading):
    """GitHub's anchor of a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    return {slug(m.group(1)) for m in
            re.finditer(r"^#+ (.*)$", read(path), re.M)}


def repo_md_names(root):
    names = set()
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        names |= {f for f in files if f.endswith(".md")}
    return names


SOURCE_NAME = re.compile(r"`([\w./-]+\.(?:c|h|py|sh|am|ac))`")


def repo_paths(root):
    paths = set()
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        rel = os.path.relpath(d, root)
        paths |= {os.path.normpath(os.path.join(rel, f)) for f in files}
    return paths


def names_a_file(paths, name):
    """A path as a document writes it: from the top, from src/, or the end
    of one."""
    return name in paths or "src/" + name in paths or \
        any(p.endswith("/" + name) for p in paths)


def check_links(root, docs):
    md_names = repo_md_names(root)
    paths = repo_paths(root)
    for doc in docs:
        text = read(doc)
        base = os.path.dirname(doc)
        for m in re.finditer(r"\]\(([^)\s]+)\)", text):
            target = m.group(1)
            if re.match(r"^[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(base, file)) if file else doc
            if not os.path.isfile(dest):
                fail(doc, "link %s leads to no file" % target)
            elif anchor and dest.endswith(".md") and \
                    anchor not in anchors(dest):
                fail(doc, "link %s leads to no heading of %s" %
                     (target, file or "this file"))
        for name in set(re.findall(r"[\w.-]+\.md\b", text)):
            if os.path.basename(name) not in md_names:
                fail(doc, "names %s, which the project does not have" % name)
        for name in set(SOURCE_NAME.findall(text)):
            if "NAME" not in name and not names_a_file(paths, name):
                fail(doc, "names %s, which the project does not have" % name)


def check_cited(root, dirs):
    """Every document a source file names (in a comment or a string) is one
    the repository has."""
    md_names = repo_md_names(root)
    for top in dirs:
        for d, _, files in os.walk(top):
            for f in files:
                if not f.endswith((".c", ".h", ".py", ".sh")):
                    continue
                path = os.path.join(d, f)
                if f == os.path.basename(__file__):
                    continue    # its usage names its arguments, not files
                for name in set(re.findall(r"(?<![\w$])[\w./-]+\.md\b",
                                           read(path))):
                    if "/" in name and not name.startswith(".") and \
                            not os.path.isfile(os.path.join(root, name)):
                        fail(path, "names %s, which the project does not "
                             "have" % name)
                    elif os.path.basename(name) not in md_names:
                        fail(path, "names %s, which the project does not "
                             "have" % name)


SUMMARY_INTRO = "Standard output gets a short summary"


def summary_block(path):
    """The lines of the first fenced block after SUMMARY_INTRO, or None."""
    lines = read(path).split("\n")
    for i, line in enumerate(lines):
        if line.startswith(SUMMARY_INTRO):
            break
    else:
        return None
    start = None
    for j in range(i + 1, len(lines)):
        if lines[j].startswith("```"):
            if start is None:
                start = j + 1
            else:
                return lines[start:j]
    return None


def check_summary(stdout_path, docs):
    want = read(stdout_path).rstrip("\n").split("\n")
    for doc in docs:
        got = summary_block(doc)
        if got is None:
            fail(doc, "no example of standard output after \"%s\"" % SUMMARY_INTRO)
            continue
        for n in range(max(len(got), len(want))):
            a = got[n] if n < len(got) else "(nothing)"
            b = want[n] if n < len(want) else "(nothing)"
            if a != b:
                fail(doc, "standard output example, line %d: %r, the program prints %r"
                     % (n + 1, a, b))
                break


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "contract" and len(args) == 2:
        check_contract(args[0], args[1])
    elif cmd == "json" and len(args) >= 2:
        check_json(args[0], args[1:])
    elif cmd == "options" and len(args) >= 2:
        check_options(args[0], args[1:])
    elif cmd == "rules" and len(args) >= 2:
        check_rules(args[0], args[1:])
    elif cmd == "readme" and len(args) == 1:
        check_readme(args[0])
    elif cmd == "links" and len(args) >= 2:
        check_links(args[0], args[1:])
    elif cmd == "summary" and len(args) >= 2:
        check_summary(args[0], args[1:])
    elif cmd == "cited" and len(args) >= 2:
        check_cited(args[0], args[1:])
    else:
        sys.stderr.write(__doc__)
        return 2
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

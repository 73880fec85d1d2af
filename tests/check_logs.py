#!/usr/bin/env python3
"""Compares certtrail's findings.json with the truth testdata/gen_logs.py wrote
and with an independent count of the logs in the bundle.

    check_logs.py FINDINGS.json TRUTH.json BUNDLE.zip

Every count must match exactly: the log summary, each aggregate of
tls_outcomes, smtp_sessions, connect_failures and smtp_responses (and no
aggregate beyond them), and every aggregate must name its server. The
independent count reads the bundle's logs with Python's csv module: rows,
distinct (server, direction, session-id), TLS outcome rows.
"""

import collections
import csv
import io
import json
import sys
import zipfile

LIMIT = 1 << 20


def fail(msg):
    print("FAIL: " + msg)
    return 1


def independent(bundle):
    """Counts straight from the bytes: rows, sessions, TLS rows."""
    c = collections.Counter()
    sessions = set()

    def logs(zf, prefix):
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename.endswith(".zip"):
                yield from logs(zipfile.ZipFile(io.BytesIO(data)), prefix + info.filename + "/")
            else:
                yield prefix + info.filename, data

    for path, data in logs(zipfile.ZipFile(bundle), ""):
        text = data.decode("utf-8")
        direction = "receive" if "Receive Protocol Log" in text[:400] else "send"
        server = None
        for part in path.split("/"):
            if part.startswith("EX0"):
                server = part[:4]
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            if len(line) > LIMIT:
                c["bad_rows"] += 1
                continue
            row = next(csv.reader([line]))
            c["rows"] += 1
            conn, sid, ctx = row[1], row[2], row[8]
            srv = conn.split("\\")[0] if "\\" in conn else server
            sessions.add((srv, direction, sid))
            if ctx.startswith("TLS protocol"):
                c["tls_ok"] += 1
            elif ctx.startswith("TLS negotiation failed"):
                c["tls_failed"] += 1
    c["sessions"] = len(sessions)
    return c


def keyed(items, names):
    out = collections.Counter()
    for it in items:
        out[tuple(json.dumps(it.get(n), sort_keys=True) for n in names)] += it["count"]
    return out


def main():
    doc = json.load(open(sys.argv[1]))
    truth = json.load(open(sys.argv[2]))
    bad = 0
    ls = doc["log_summary"]
    for k in ("files", "rows", "bad_rows", "sessions", "tls_ok", "tls_failed",
              "long_lines", "headerless_files"):
        if ls.get(k) != truth[k]:
            bad |= fail("log_summary.%s: certtrail %s, generator %s" % (k, ls.get(k), truth[k]))
    ind = independent(sys.argv[3])
    for k in ("rows", "bad_rows", "sessions", "tls_ok", "tls_failed"):
        if ls.get(k) != ind[k]:
            bad |= fail("log_summary.%s: certtrail %s, csv count %s" % (k, ls.get(k), ind[k]))
    for section in ("tls_outcomes", "smtp_sessions", "connect_failures", "smtp_responses"):
        names = list(truth[section][0][0].keys()) if truth[section] else []
        want = collections.Counter()
        for k, v in truth[section]:
            want[tuple(json.dumps(k[n], sort_keys=True) for n in names)] += v
        got = keyed(doc[section], names)
        for k in sorted(set(want) | set(got)):
            if want[k] != got[k]:
                bad |= fail("%s %s: certtrail %d, generator %d" % (
                    section, dict(zip(names, k)), got[k], want[k]))
        for it in doc[section]:
            if not it.get("server"):
                bad |= fail("%s without a server: %s" % (section, it))
            if not it.get("samples"):
                bad |= fail("%s without samples: %s" % (section, it))
        print("%s: %d groups, %d rows, all equal" % (section, len(got), sum(got.values()))
              if not bad else "%s checked" % section)
    tls = doc["tls_outcomes"]
    seen_ok = False
    for it in tls:
        if it["outcome"] == "ok":
            seen_ok = True
        elif seen_ok:
            bad |= fail("a failing tls_outcomes group after a succeeding one")
            break
    print("summary: %s" % json.dumps({k: ls.get(k) for k in sorted(ls)}))
    return bad


if __name__ == "__main__":
    sys.exit(main())

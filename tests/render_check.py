#!/usr/bin/env python3
"""Checks of report.html as Chromium lays it out, for tests/e2e_render.sh.

The report itself carries no script (its Content-Security-Policy forbids
them), so layout is measured on a test copy: `frame` writes a page that holds
the report in an <iframe srcdoc> of a given width (a phone is 390 px; headless
Chromium will not make its own window that narrow) plus a script that lists
every element sticking out of the frame's viewport, unless it sits in a box
that scrolls on its own, every line break inside a path that is not after a
'/', and every table box that scrolls sideways (`noscroll` reads those). With --print, the report's print rules are applied on
screen at the width of a printed page, so a table too wide for paper shows up
the same way. `overflow` reads that list back from Chromium's --dump-dom.

`pdf` checks a printed PDF through poppler's pdftotext -bbox: a running
header and footer on every page, the root cause on the first page, breaks
only before the appendices (no page left mostly blank otherwise), no heading
at the foot of a page, no date cut across two lines, and a page count within
bounds (`auto`: 4 for a case with one finding, 10 for any).

`grid` checks the per-server grid against the records findings.json holds
per server; `bounded` that every list on the page is bounded and counts the
rest; `groups` that a bundle holds enough TLS outcome groups to be busy.

`first` checks the first screen of report.html: the verdict sentence with
the impact (failed handshakes, queued messages, servers) and no thumbprint,
the figure tiles, the fix line with its risk and downtime, the timeline SVG
with bars, and the root cause's explanation and commands shown once.

`certificates` checks the certificate table: days left at the as-of time in
words, the key size, and the rows of certificates the findings name
highlighted.

`seen` checks what a reader of the page gets (--dump-dom of the report
itself): the root cause title and the case labels.

Each command prints what is wrong and exits 1, or exits 0.
"""
import html
import json
import os
import re
import subprocess
import sys

MEASURE = r"""<script>
window.addEventListener("load", function () {
	var d = document.getElementById("report").contentDocument;
	var w = d.defaultView, vw = d.documentElement.clientWidth, out = [];
	out.push("viewport " + vw + " scroll " + d.documentElement.scrollWidth);
	var all = d.body.getElementsByTagName("*");
	for (var i = 0; i < all.length; i++) {
		var el = all[i], r = el.getBoundingClientRect();
		if (r.width === 0 && r.height === 0)
			continue;
		var p = el.parentElement, own = false;
		while (p && p !== d.body) {
			var ov = w.getComputedStyle(p).overflowX;
			if (ov === "auto" || ov === "scroll" || ov === "hidden") {
				own = true;
				break;
			}
			p = p.parentElement;
		}
		if (el.className === "table-wrap" && el.scrollWidth > el.clientWidth + 1) {
			var sec = el.closest("section");
			out.push("scroll " + (sec ? sec.id : "") + " " + el.scrollWidth +
			    " in " + el.clientWidth);
		}
		if (!own && (r.right > vw + 0.5 || r.left < -0.5))
			out.push("over <" + el.tagName.toLowerCase() + " class='" +
			    el.className + "'> " + Math.round(r.left) + ".." +
			    Math.round(r.right) + ": " +
			    (el.textContent || "").replace(/\s+/g, " ").slice(0, 60));
	}
	// A path breaks only after a '/': find where each line of a path's
	// text starts, character by character.
	var paths = d.body.querySelectorAll(".path");
	for (var j = 0; j < paths.length; j++) {
		var walk = d.createTreeWalker(paths[j], 4), node, prev = null, text = "";
		while ((node = walk.nextNode())) {
			for (var k = 0; k < node.data.length; k++) {
				var rg = d.createRange();
				rg.setStart(node, k);
				rg.setEnd(node, k + 1);
				var rr = rg.getClientRects();
				if (rr.length === 0)
					continue;
				if (prev !== null && rr[0].top > prev + 2 &&
				    text.length > 0 && text[text.length - 1] !== "/" &&
				    node.data[k] !== " ")
					out.push("pathbreak " + text + "|" + node.data.slice(k));
				prev = rr[0].top;
				text += node.data[k];
			}
		}
	}
	var pre = document.createElement("pre");
	pre.id = "measure";
	pre.textContent = out.join("\n");
	document.body.appendChild(pre);
});
</script>"""

# What a fix costs: its risk and downtime, or that it only looks.
FIX_COST = re.compile(r"\((\w+ risk; .+|read only: nothing changes)\)")

# The running header and footer come from @page margin boxes.
PAGE_NO = re.compile(r"Page (\d+) of (\d+)")


def frame(report, out, width, printed):
    doc = open(report, encoding="utf-8").read()
    if printed:
        # The print rules, on screen; the @page rules stay print-only.
        doc = doc.replace("@media print {", "@media all {")
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
            'body{margin:0}iframe{border:0;display:block}</style></head>'
            '<body><iframe id="report" width="%d" height="900" scrolling="no" srcdoc="%s">'
            '</iframe>%s</body></html>'
            % (width, html.escape(doc, quote=True), MEASURE))
    with open(out, "w", encoding="utf-8") as f:
        f.write(page)
    return 0


def overflow(dom, want_width):
    text = open(dom, encoding="utf-8", errors="replace").read()
    m = re.search(r'<pre id="measure">(.*?)</pre>', text, re.S)
    if m is None:
        print("no measurement in the DOM (did the frame load?)")
        return 1
    lines = html.unescape(m.group(1)).splitlines()
    head = re.match(r"viewport (\d+) scroll (\d+)", lines[0])
    if head is None:
        print("unreadable measurement: %r" % lines[0])
        return 1
    vw, sw = int(head.group(1)), int(head.group(2))
    bad = False
    # The frame has no scroll bar (as on a phone): the viewport is the width.
    if vw != want_width:
        print("viewport is %d px, not about %d: the width was not applied"
              % (vw, want_width))
        bad = True
    if sw > vw:
        print("the page is %d px wide in a %d px viewport" % (sw, vw))
        bad = True
    for line in lines[1:]:
        if line.startswith("scroll "):
            continue    # a table scrolling in its own box: see noscroll
        print(line)
        bad = True
    return 1 if bad else 0


def noscroll(dom, sections):
    """The tables of these sections need no sideways scroll: they fit the
    width the page was laid out at (a desktop's)."""
    text = open(dom, encoding="utf-8", errors="replace").read()
    m = re.search(r'<pre id="measure">(.*?)</pre>', text, re.S)
    if m is None:
        print("no measurement in the DOM (did the frame load?)")
        return 1
    bad = False
    for line in html.unescape(m.group(1)).splitlines():
        f = line.split()
        if f[0] == "scroll" and (f[1] in sections or "all" in sections):
            print("the table of section %s scrolls: %s px wide %s %s px"
                  % (f[1], f[2], f[3], f[4]))
            bad = True
    return 1 if bad else 0


def pdf_pages(path):
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], check=True,
                         capture_output=True).stdout.decode("utf-8", "replace")
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                         out, re.S):
        words = []
        for w in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                             r'xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             m.group(3)):
            words.append((float(w.group(2)), float(w.group(4)),
                          html.unescape(w.group(5))))
        pages.append((float(m.group(2)), words))
    return pages


def page_limit(doc):
    """At most 4 printed pages for a case with one problem (a single
    finding, or none), at most 10 for any case: the page grows with the
    findings, never with the volume of the logs."""
    return 4 if len(doc.get("findings") or []) <= 1 else 10


def pdf(path, findings, customer, min_pages, max_pages):
    doc = json.load(open(findings, encoding="utf-8"))
    if max_pages is None:
        max_pages = page_limit(doc)
    pages = pdf_pages(path)
    bad = []
    n = len(pages)
    if not min_pages <= n <= max_pages:
        bad.append("%d pages, want %d to %d" % (n, min_pages, max_pages))
    texts = []
    for i, (height, words) in enumerate(pages):
        text = " ".join(w[2] for w in words)
        texts.append(text)
        m = PAGE_NO.search(text)
        if m is None or int(m.group(1)) != i + 1 or int(m.group(2)) != n:
            bad.append("page %d lacks the footer 'Page %d of %d'" % (i + 1, i + 1, n))
        if "Confidential" not in text and "CONFIDENTIAL" not in text:
            bad.append("page %d lacks 'Confidential' in its header" % (i + 1))
        if customer and customer not in text:
            bad.append("page %d lacks the customer %r in its header" % (i + 1, customer))
    # The verdict with its impact and the fix are on the first page, where
    # a manager starts reading.
    page = open(os.path.join(os.path.dirname(findings), "report.html"),
                encoding="utf-8").read()
    # Compared without case: CSS capitalizes some labels ("FIX").
    first = re.sub(r"\s+", "", texts[0]).lower() if texts else ""
    for cls in ("verdict-text", "fix-line"):
        m = re.search(r'<p class="%s">(.*?)</p>' % cls, page, re.S)
        if m is None:
            continue
        # The label sits beside the text and may be read out of order.
        body = re.sub(r'<span class="label">.*?</span>', "", m.group(1))
        head = re.sub(r"\s+", "", plain(body))[:40].lower()
        if head not in first:
            bad.append("the %s is not on page 1" % cls)
    # Only the appendices start a page: any page but the last, and those
    # followed by an appendix, is filled at least to FILL of its height (a
    # block kept whole, such as a connector card, may leave some room).
    fill = 0.5
    for i, (height, words) in enumerate(pages[:-1]):
        body = [w for w in words if not PAGE_NO.search(w[2]) and
                0.06 * height < w[0] < 0.94 * height]
        nxt = [w[2] for w in pages[i + 1][1]
               if 0.06 * pages[i + 1][0] < w[0] < 0.94 * pages[i + 1][0]]
        starts_appendix = " ".join(nxt[:3]).startswith(("Evidence gaps",
                                                        "Inputs and manifest"))
        lowest = max((w[1] for w in body), default=0)
        if not starts_appendix and lowest < fill * height:
            bad.append("page %d ends at %d%% of its height, and page %d is "
                       "no appendix: %r" % (i + 1, 100 * lowest / height, i + 2,
                                           " ".join(nxt[:6])))
    bad.extend(print_breaks(pages, page))
    for line in bad:
        print(line)
    return 1 if bad else 0


def print_lines(words):
    """A page's words as lines (words whose tops agree), top to bottom."""
    lines = []
    for top, bottom, text in sorted(words, key=lambda w: w[0]):
        if lines and abs(lines[-1][0] - top) < 2:
            lines[-1][1].append(text)
        else:
            lines.append((top, [text]))
    return [(top, " ".join(ws)) for top, ws in lines]


def print_breaks(pages, page):
    """No heading ends a page (it goes with what it introduces), and no
    date is cut across two lines."""
    bad = []
    heads = {plain(h) for h in re.findall(r"<h[234][^>]*>(.*?)</h[234]>", page, re.S)}
    heads = {h for h in heads if len(h) > 3}
    for i, (height, words) in enumerate(pages):
        body = [w for w in words if 0.06 * height < w[0] < 0.94 * height]
        lines = print_lines(body)
        if i + 1 < len(pages) and lines and lines[-1][1] in heads:
            bad.append("page %d ends with the heading %r" % (i + 1, lines[-1][1]))
        for (t1, a), (t2, b) in zip(lines, lines[1:]):
            last, first = a.split()[-1], b.split()[0]
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", last) and re.match(r"T\d{2}:", first) or \
                    re.search(r"\d{4}-(\d{2}-?)?$", last) and re.match(r"\d", first):
                bad.append("page %d: a date cut across lines: %r / %r"
                           % (i + 1, a[-40:], b[:40]))
    return bad


def plain(fragment):
    """The text of an HTML fragment, spaces collapsed."""
    text = re.sub(r"<[^>]+>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def section(page, ident):
    m = re.search(r'<section id="%s"[^>]*>(.*?)</section>' % ident, page,
                  re.S)
    return m.group(1) if m else None


def first_screen(report, findings):
    """The verdict says the impact, shows the figures and the fix; the
    timeline is drawn; each explanation and command is shown once."""
    doc = json.load(open(findings, encoding="utf-8"))
    page = open(report, encoding="utf-8").read()
    bad = []
    first = re.search(r"<section[^>]*>", page)
    if first is None or 'id="verdict"' not in first.group(0):
        bad.append("the verdict is not the first section")
    verdict = section(page, "verdict") or ""
    m = re.search(r'<p class="verdict-text">(.*?)</p>', verdict, re.S)
    sentence = plain(m.group(1)) if m else ""
    if not sentence:
        bad.append("no verdict sentence")
    root = next((f for f in doc.get("findings", [])
                 if f.get("id") == doc.get("root_cause")), None)
    tiles = re.findall(r'<div class="tile[ "]', verdict)
    if len(tiles) < 4:
        bad.append("%d figure tiles in the verdict, want 4" % len(tiles))
    if root is not None:
        servers = [s.upper() for s in root.get("servers") or []]
        for s in servers:
            if s not in sentence.upper():
                bad.append("the verdict sentence does not name %s" % s)
        # Impact: failed handshakes and queued messages on those servers.
        failed = sum(t["count"] for t in doc.get("tls_outcomes") or []
                     if t["outcome"] == "failed" and
                     (not servers or (t.get("server") or "").upper() in servers))
        queued = sum(q.get("message_count") or 0 for q in doc.get("queues") or []
                     if q.get("status") in ("Retry", "Suspended") and
                     (not servers or (q.get("server") or "").upper() in servers))
        if failed and "%d TLS handshake" % failed not in sentence:
            bad.append("the verdict sentence lacks the %d failed handshakes: %r"
                       % (failed, sentence))
        if queued and "%d message" % queued not in sentence:
            bad.append("the verdict sentence lacks the %d queued messages: %r"
                       % (queued, sentence))
        # Without protocol logs how many failed is unknown, never none.
        logs_read = ((doc.get("log_summary") or {}).get("files") or 0) > 0
        if not failed and logs_read and "No failed TLS handshake" not in sentence:
            bad.append("the verdict sentence does not say nothing failed")
        if not logs_read and "unknown" not in sentence:
            bad.append("the verdict sentence does not say the failed handshakes "
                       "are unknown without protocol logs: %r" % sentence)
        if re.search(r"[0-9A-F]{40}", sentence):
            bad.append("the verdict sentence leads with a thumbprint")
        fix = re.search(r'<p class="fix-line">(.*?)</p>', verdict, re.S)
        if fix is None or not FIX_COST.search(plain(fix.group(1))):
            bad.append("no fix line with its risk and downtime")
        text = plain(page)
        if text.count(plain(html.escape(root["explanation"]))) != 1:
            bad.append("the root cause explanation is shown %d times, want 1"
                       % text.count(root["explanation"]))
        shown = [html.unescape(c) for c in
                 re.findall(r"<pre><code>(.*?)</code></pre>", page, re.S)]
        for step in root.get("remediation") or []:
            cmd = step.get("command")
            if cmd and shown.count(cmd) != 1:
                bad.append("step %d's command is shown %d times, want 1"
                           % (step["step"], shown.count(cmd)))
    # Every verdict has its fix line: the fix, where to start, that
    # nothing is needed, or what to collect.
    fixline = re.search(r'<p class="fix-line">(.*?)</p>', verdict, re.S)
    if fixline is None or len(plain(fixline.group(1))) < 12:
        bad.append("no fix line for the verdict %r"
                   % (doc.get("verdict") or {}).get("state"))
    # Scale: the failed handshakes as a share of all that the logs hold.
    logs = doc.get("log_summary") or {}
    total = (logs.get("tls_ok") or 0) + (logs.get("tls_failed") or 0)
    if logs.get("files") and total:
        tile = re.search(r'<span class="n">(\d+)</span><span class="l">failed TLS '
                         r'handshakes?: ([\d.]+)\xa0% of ([\d,]+) logged', verdict)
        if tile is None:
            bad.append("the failed handshakes tile gives no share of the %d logged"
                       % total)
        else:
            n = int(tile.group(1))
            if int(tile.group(3).replace(",", "")) != total:
                bad.append("the tile says %s logged, the logs hold %d"
                           % (tile.group(3), total))
            if abs(float(tile.group(2)) - 100.0 * n / total) > 0.05:
                bad.append("the tile says %s %%, %d of %d is %.2f %%"
                           % (tile.group(2), n, total, 100.0 * n / total))
    timeline = section(page, "timeline")
    if timeline is None:
        bad.append("no timeline section")
    elif doc.get("tls_outcomes"):
        if "<svg" not in timeline:
            bad.append("the timeline has no SVG")
        bars = re.findall(r'<rect class="(ok|bad)"', timeline)
        if not bars:
            bad.append("the timeline SVG has no bars")
        # The failure-rate strip: a visible bar for each period with a
        # failure, however few among however many.
        periods = len(re.findall(r': \d+ failed</title>', timeline))
        rates = re.findall(r'<rect class="rate" x="[\d.]+" y="[\d.]+" '
                           r'width="[\d.]+" height="([\d.]+)">', timeline)
        if len(rates) != periods:
            bad.append("%d failure-rate bars for %d periods with failures"
                       % (len(rates), periods))
        if any(float(x) < 1.5 for x in rates):
            bad.append("a failure-rate bar thinner than a line")
        # The bars count every outcome row: their totals are the groups'.
        for outcome, word in (("failed", "failed"), ("ok", "succeeded")):
            drawn = sum(int(n) for n in re.findall(
                r": (\d+) %s</title>" % word, timeline))
            want = sum(t["count"] for t in doc["tls_outcomes"]
                       if t["outcome"] == outcome and t.get("first"))
            if drawn != want:
                bad.append("the timeline draws %d %s handshakes, the logs "
                           "hold %d" % (drawn, outcome, want))
    if "<script" in page:
        bad.append("the page has a script")
    for line in bad:
        print(line)
    return 1 if bad else 0


def certificates(report, findings):
    """Each certificate row says its days left at the as-of time in words,
    its key size, and is highlighted when a finding names it."""
    import datetime
    doc = json.load(open(findings, encoding="utf-8"))
    page = section(open(report, encoding="utf-8").read(), "certificates") or ""
    bad = []

    def when(s):
        # A server's local time has no Z; the page counts its days from the
        # date as written, as it counts a UTC one.
        return datetime.datetime.strptime(s.rstrip("Z"), "%Y-%m-%dT%H:%M:%S").replace(
            tzinfo=datetime.timezone.utc).timestamp()

    named = {tp for f in doc.get("findings") or [] for tp in f.get("thumbprints") or []}
    rows = re.findall(r"<tr( class=\"named\")?><td>(.*?)</tr>", page, re.S)
    certs = doc.get("certificates") or []
    if len(rows) != len(certs):
        bad.append("%d certificate rows for %d certificates" % (len(rows), len(certs)))
        rows = []
    for (cls, row), c in zip(rows, certs):
        text = plain(row)
        if c["thumbprint"] not in text:
            bad.append("row order: %s not in its row" % c["thumbprint"])
            continue
        if c.get("key_bits") and "%d bits" % c["key_bits"] not in text:
            bad.append("%s: key size %d not shown" % (c["thumbprint"], c["key_bits"]))
        if c.get("not_after") and doc.get("as_of"):
            d = int((when(c["not_after"]) - when(doc["as_of"])) // 1)
            days = abs(d) // 86400
            want = ("%d day%s left" % (days, "" if days == 1 else "s") if d >= 0
                    else "expired today" if days == 0 else
                    "expired %d day%s ago" % (days, "" if days == 1 else "s"))
            if want not in text:
                bad.append("%s: %r not in its row: %s" % (c["thumbprint"], want, text[:200]))
        if (c["thumbprint"] in named) != bool(cls):
            bad.append("%s: highlighted %s, named by a finding %s" % (
                c["thumbprint"], bool(cls), c["thumbprint"] in named))
    for line in bad:
        print(line)
    return 1 if bad else 0


GRID_CHECKS = ("Certificates", "SMTP certificate", "Connectors",
               "TLS in the logs", "Queues", "Events")
GRID_WORDS = {"ok": "OK", "warning": "warning", "problem": "problem",
              "resolved": "resolved", "not-collected": "not collected"}


def short(name):
    return (name or "").split(".")[0].upper()


def grid(report, findings):
    """The per-server grid under the verdict: a row per server (up to 12),
    a cell per check, each in a state said in a word and a colour; "not
    collected" exactly where findings.json holds no record of that kind for
    the server; the TLS and queue notes count what findings.json holds."""
    doc = json.load(open(findings, encoding="utf-8"))
    page = open(report, encoding="utf-8").read()
    bad = []
    servers = [short(s["name"]) for s in doc.get("servers") or []]
    sec = section(page, "server-grid")
    if not servers:
        return 0
    if sec is None:
        print("no server grid for %d servers" % len(servers))
        return 1
    verdict_at = page.find('id="verdict"')
    toc_at = page.find('<nav class="toc"')
    grid_at = page.find('id="server-grid"')
    if not verdict_at < grid_at < (toc_at if toc_at > 0 else len(page)):
        bad.append("the grid is not right under the verdict")
    heads = [plain(h) for h in re.findall(r"<th>(.*?)</th>", sec)]
    if heads != ["Server"] + list(GRID_CHECKS):
        bad.append("grid columns %r" % heads)
    rows = {}
    for m in re.finditer(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', sec, re.S):
        rows[plain(m.group(1))] = re.findall(
            r'<td class="g g-([a-z-]+)" data-check="[^"]*"><span class="g-word">(.*?)</span>(.*?)</td>',
            m.group(2), re.S)
    if len(servers) <= 12 and sorted(rows) != sorted(servers):
        bad.append("grid rows %r, servers %r" % (sorted(rows), sorted(servers)))
    if len(servers) > 12 and "%d more server" % (len(servers) - len(rows)) not in plain(sec):
        bad.append("%d servers, %d rows, and no count of the rest" %
                   (len(servers), len(rows)))

    def of(kind, server, key="server"):
        return [r for r in doc.get(kind) or [] if short(r.get(key)) == server]

    for server, cells in rows.items():
        if len(cells) != len(GRID_CHECKS):
            bad.append("%s: %d cells" % (server, len(cells)))
            continue
        for (key, word, rest), check in zip(cells, GRID_CHECKS):
            if GRID_WORDS.get(key) != plain(word):
                bad.append("%s %s: class %s says %r" % (server, check, key, plain(word)))
        state = {c: k for (k, w, r), c in zip(cells, GRID_CHECKS)}
        note = {c: plain(r) for (k, w, r), c in zip(cells, GRID_CHECKS)}
        certs = of("certificates", server)
        tls = of("tls_outcomes", server)
        sessions = of("smtp_sessions", server) + of("connect_failures", server) + \
            of("smtp_responses", server)
        queues = of("queues", server)
        events = of("events", server)
        conns = of("receive_connectors", server) + [
            c for c in doc.get("send_connectors") or []
            if server in [short(x) for x in c.get("source_transport_servers") or []]]
        # Rows of a log that names no server, which a finding naming this
        # server ties to it (by the certificate they show), are its logs.
        finding_servers = {f.get("id"): [short(x) for x in f.get("servers") or []]
                           for f in doc.get("findings") or []}
        tied = [y for y in doc.get("symptoms") or []
                if y.get("kind") in ("tls_failure", "connect_failure", "response")
                and not y.get("server")
                and server in finding_servers.get(y.get("finding"), [])]
        for check, held in (("Certificates", certs), ("Connectors", conns),
                            ("Queues", queues), ("Events", events),
                            ("TLS in the logs", tls + sessions + tied)):
            if (state[check] == "not-collected") != (not held):
                bad.append("%s %s: %s, with %d records in findings.json"
                           % (server, check, state[check], len(held)))
        failed = sum(t["count"] for t in tls if t["outcome"] == "failed")
        total = sum(t["count"] for t in tls)
        if tied and not tls:
            n = sum(y.get("count") or 0 for y in tied)
            want = "%s failed, in a log that names no server" % format(n, ",")
            if want not in note["TLS in the logs"]:
                bad.append("%s TLS: %r not in %r" % (server, want, note["TLS in the logs"]))
        if failed:
            want = "%s of %s failed" % (format(failed, ","), format(total, ","))
            if want not in note["TLS in the logs"]:
                bad.append("%s TLS: %r not in %r" % (server, want, note["TLS in the logs"]))
            if state["TLS in the logs"] in ("ok", "not-collected"):
                bad.append("%s TLS: %d failed, but %s" % (server, failed,
                                                        state["TLS in the logs"]))
        elif total and "none failed" not in note["TLS in the logs"]:
            bad.append("%s TLS: nothing failed, the note says %r" % (server, note["TLS in the logs"]))
        waiting = [q for q in queues if q.get("status") in ("Retry", "Suspended")]
        if waiting and all(q.get("message_count") is not None for q in waiting):
            n = sum(q["message_count"] for q in waiting)
            want = "%s message%s in retry" % (format(n, ","), "" if n == 1 else "s")
            if want not in note["Queues"]:
                bad.append("%s queues: %r not in %r" % (server, want, note["Queues"]))
        if queues and not waiting and state["Queues"] != "ok":
            bad.append("%s queues: none waiting, but %s" % (server, state["Queues"]))
    # The root cause's servers show a problem somewhere in their row.
    root = next((f for f in doc.get("findings") or []
                 if f.get("id") == doc.get("root_cause")), None)
    for server in [short(x) for x in (root or {}).get("servers") or []]:
        if server in rows and not any(k == "problem" for k, w, r in rows[server]):
            bad.append("%s is named by the root cause, but no cell says problem" % server)
    for line in bad:
        print(line)
    return 1 if bad else 0


def groups(findings, least):
    doc = json.load(open(findings, encoding="utf-8"))
    n = len(doc.get("tls_outcomes") or [])
    if n < least:
        print("%d TLS outcome groups, want at least %d" % (n, least))
        return 1
    return 0


def bounded(report, findings):
    """Every list on the page is bounded and counts what it leaves out: a
    finding's evidence (5 samples), the failed outcome groups (10), the
    successes one line per server and connector, any table (25 rows)."""
    doc = json.load(open(findings, encoding="utf-8"))
    page = open(report, encoding="utf-8").read()
    bad = []
    for f in doc.get("findings") or []:
        m = re.search(r'<article class="finding(?: is-root)?" id="finding-%s">(.*?)</article>'
                      % re.escape(f["id"]), page, re.S)
        if m is None:
            bad.append("%s has no details" % f["id"])
            continue
        rows = len(re.findall(r"<tr[ >]", m.group(1))) - 1
        n = len(f.get("evidence") or [])
        if rows != min(n, 5):
            bad.append("%s: %d evidence rows for %d samples" % (f["id"], rows, n))
        if n > 5 and "%s more sample" % format(n - 5, ",") not in plain(m.group(1)):
            bad.append("%s: %d samples and no count of the %d left out"
                       % (f["id"], n, n - 5))
    logs = section(page, "protocol-logs") or ""
    tls = doc.get("tls_outcomes") or []
    failed = [t for t in tls if t["outcome"] == "failed"]
    parts = logs.split("<h3>Successful handshakes")
    shown = len(re.findall(r"<tr[ >]", parts[0])) - (1 if failed else 0)
    if shown != min(len(failed), 10):
        bad.append("%d failed groups shown for %d" % (shown, len(failed)))
    if len(failed) > 10:
        rest = len(failed) - 10
        # The 10 largest are shown: the rest stand for the other handshakes.
        counts = sorted((t["count"] for t in failed), reverse=True)
        want = "%s more failed group%s (%s handshake%s)" % (
            format(rest, ","), "" if rest == 1 else "s",
            format(sum(counts[10:]), ","), "" if sum(counts[10:]) == 1 else "s")
        if want not in plain(parts[0]):
            bad.append("%d failed groups and not %r" % (len(failed), want))
    lines = {(t.get("server"), t.get("direction"), t.get("connector"))
             for t in tls if t["outcome"] == "ok"}
    if len(parts) > 1:
        got = len(re.findall(r"<tr>", parts[1])) - 1
        if got != min(len(lines), 20):
            bad.append("%d success lines for %d servers and connectors"
                       % (got, len(lines)))
    # The manifest stays folded (<details>): it is the bundle's inventory.
    unfolded = re.sub(r"<details>.*?</details>", "", page, flags=re.S)
    for m in re.finditer(r"<table[ >](.*?)</table>", unfolded, re.S):
        n = len(re.findall(r"<tr[ >]", m.group(1).split("<tbody>")[-1]))
        if n > 25:
            bad.append("a table of %d rows: %s" % (n, plain(m.group(1))[:80]))
    for line in bad:
        print(line)
    return 1 if bad else 0


def seen(dom, findings, labels):
    doc = json.load(open(findings, encoding="utf-8"))
    text = open(dom, encoding="utf-8", errors="replace").read()
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\s+", " ", html.unescape(text))
    bad = []
    root = next((f for f in doc.get("findings", [])
                 if f.get("id") == doc.get("root_cause")), None)
    if root is not None and root["title"] not in text:
        bad.append("the root cause title %r is not on the page" % root["title"])
    if root is None and "No problem found" not in text and \
            "No single root cause" not in text:
        bad.append("no root cause and no statement saying so")
    for label in labels:
        if label not in text:
            bad.append("the label %r is not on the page" % label)
    for line in bad:
        print(line)
    return 1 if bad else 0


def main(argv):
    cmd = argv[1]
    if cmd == "frame":
        return frame(argv[2], argv[3], int(argv[4]), len(argv) > 5 and argv[5] == "--print")
    if cmd == "overflow":
        return overflow(argv[2], int(argv[3]))
    if cmd == "noscroll":
        return noscroll(argv[2], argv[3:])
    if cmd == "pdf":
        return pdf(argv[2], argv[3], argv[4], int(argv[5]),
                   None if argv[6] == "auto" else int(argv[6]))
    if cmd == "certificates":
        return certificates(argv[2], argv[3])
    if cmd == "first":
        return first_screen(argv[2], argv[3])
    if cmd == "grid":
        return grid(argv[2], argv[3])
    if cmd == "groups":
        return groups(argv[2], int(argv[3]))
    if cmd == "bounded":
        return bounded(argv[2], argv[3])
    if cmd == "seen":
        return seen(argv[2], argv[3], argv[4:])
    print("unknown command %r" % cmd)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

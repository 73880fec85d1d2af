/*
 * The pieces every section of report.html is built from: values that may be
 * unknown, lists, times, severity badges, links to findings, table and
 * section scaffolding, and the two blocks shown in more than one place (the
 * inputs table, a finding's remediation steps). Strings go through html_text*,
 * which cleans and escapes them.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "html_writer.h"
#include "out_html_sections.h"
#include "report.h"
#include "util/text.h"

const struct finding *
report_root_cause(const struct report *r)
{
	const struct findings	*fs = r->findings;

	if (fs == NULL || fs->root_cause < 0 || (size_t)fs->root_cause >= fs->n)
		return NULL;
	return &fs->v[fs->root_cause];
}

size_t
report_nfindings(const struct report *r)
{
	return r->findings != NULL ? r->findings->n : 0;
}

/*
 * "2026-11-10T08:51:12Z", never broken (class "time" keeps it on one line):
 * a date cut after a hyphen or before its clock reads as two values.
 */
static void
html_time_as(struct html *h, int64_t t, bool utc)
{
	char	s[32], *clock;

	if (t == TIME_UNKNOWN) {
		html_unknown(h);
		return;
	}
	time_format_iso(t, s, sizeof s);
	clock = strchr(s, 'T');
	if (clock == NULL) {
		html_text(h, s);
		return;
	}
	if (!utc && s[strlen(s) - 1] == 'Z')
		s[strlen(s) - 1] = '\0';
	*clock = '\0';
	html_rawf(h, "<span class=\"time\">%sT%s</span>", s, clock + 1);
}

void
html_time(struct html *h, int64_t t)
{
	html_time_as(h, t, true);
}

/*
 * A certificate date. Format-List text carries the server's local time with
 * no zone (dates_exact false): it is shown without "Z" and, with `label`,
 * labelled so.
 */
void
html_cert_time(struct html *h, int64_t t, bool exact, bool label)
{
	html_time_as(h, t, exact);
	if (label && !exact && t != TIME_UNKNOWN)
		html_raw(h, " <span class=\"local\">(server local time)"
		    "</span>");
}

void
html_time_read(struct html *h, int64_t t, bool exact, const char *read_as)
{
	html_time_as(h, t, exact);
	if (t == TIME_UNKNOWN)
		return;
	if (read_as != NULL) {
		html_raw(h, " <span class=\"local\">(");
		html_text(h, read_as);
		html_raw(h, ")</span>");
	} else if (!exact)
		html_raw(h, " <span class=\"local\">(server local time)"
		    "</span>");
}

/* Never "unknown to unknown": what is not known is said once. */
void
html_time_range(struct html *h, int64_t a, int64_t z)
{
	if (a == TIME_UNKNOWN && z == TIME_UNKNOWN) {
		html_raw(h, "<span class=\"muted\">not shown by the evidence"
		    "</span>");
		return;
	}
	if (a == TIME_UNKNOWN || z == TIME_UNKNOWN)
		html_raw(h, a != TIME_UNKNOWN ? "from " : "until ");
	if (a != TIME_UNKNOWN)
		html_time(h, a);
	if (a != TIME_UNKNOWN && z != TIME_UNKNOWN)
		html_raw(h, " to ");
	if (z != TIME_UNKNOWN)
		html_time(h, z);
}

void
html_finding_seen(struct html *h, const struct finding *f)
{
	int64_t	a, z;
	bool	ua, uz;

	a = finding_first(f, &ua);
	z = finding_last(f, &uz);
	/* Never "unknown to unknown": what is not known is said once. */
	if (a == TIME_UNKNOWN && z == TIME_UNKNOWN) {
		html_raw(h, "<span class=\"muted\">not shown by the evidence"
		    "</span>");
		return;
	}
	if (a == TIME_UNKNOWN || z == TIME_UNKNOWN)
		html_raw(h, a != TIME_UNKNOWN ? "from " : "until ");
	if (a != TIME_UNKNOWN)
		html_time_as(h, a, ua);
	if (a != TIME_UNKNOWN && z != TIME_UNKNOWN)
		html_raw(h, " to ");
	if (z != TIME_UNKNOWN)
		html_time_as(h, z, uz);
	if (!ua && a != TIME_UNKNOWN)
		html_raw(h, " <span class=\"local\">(server local time)</span>");
}

void
html_unknown(struct html *h)
{
	html_raw(h, "<span class=\"unknown\">unknown</span>");
}

/* A string that may be unknown (NULL). */
void
html_value(struct html *h, const char *s)
{
	if (s == NULL)
		html_unknown(h);
	else
		html_text(h, s);
}

void
html_tri(struct html *h, tri_t t)
{
	if (t == TRI_UNKNOWN)
		html_unknown(h);
	else
		html_raw(h, tri_text(t));
}

void
html_long(struct html *h, long n)
{
	if (n < 0)
		html_unknown(h);
	else
		html_rawf(h, "%ld", n);
}

/* 78941 -> "78,941": counts a reader takes in at a glance. */
void
html_count(struct html *h, long n)
{
	char	digits[32];
	size_t	len, i;

	if (n < 0) {
		html_unknown(h);
		return;
	}
	snprintf(digits, sizeof digits, "%ld", n);
	len = strlen(digits);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			html_raw(h, ",");
		html_textn(h, digits + i, 1);
	}
}

/*
 * What a bounded list left out, and where it is whole: "88 more failed
 * groups (176 handshakes) in the workbook, sheet TLS Outcomes." count < 0:
 * no count of what they stand for.
 */
void
html_more(struct html *h, size_t n, const char *what, long count,
    const char *unit, const char *sheet)
{
	html_raw(h, "<p class=\"more\">");
	html_count(h, (long)n);
	html_rawf(h, " more %s%s", what, n == 1 ? "" : "s");
	if (count >= 0) {
		html_raw(h, " (");
		html_count(h, count);
		html_rawf(h, " %s%s)", unit, count == 1 ? "" : "s");
	}
	html_rawf(h, " in the workbook, sheet %s.</p>\n", sheet);
}

/*
 * A path that may break after each '/' and nowhere else: each part is kept
 * whole (a browser would otherwise break after a hyphen inside a name), a
 * <wbr> between them.
 */
void
html_path(struct html *h, const char *path)
{
	const char	*slash;

	if (path == NULL)
		return;
	while ((slash = strchr(path, '/')) != NULL) {
		html_raw(h, "<span class=\"nowrap\">");
		html_textn(h, path, (size_t)(slash - path) + 1);
		html_raw(h, "</span><wbr>");
		path = slash + 1;
	}
	html_raw(h, "<span class=\"nowrap\">");
	html_text(h, path);
	html_raw(h, "</span>");
}

void
html_services(struct html *h, int mask)
{
	char	s[128];

	if (mask == SERVICES_UNKNOWN) {
		html_unknown(h);
		return;
	}
	services_format(mask, ", ", s, sizeof s);
	html_text(h, s);
}

/* Items joined by ", "; `empty` (trusted) when there are none. */
void
html_list(struct html *h, const struct strlist *l, const char *empty)
{
	size_t	i;

	if (l->n == 0) {
		html_raw(h, empty);
		return;
	}
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			html_raw(h, ", ");
		html_text(h, l->v[i]);
	}
}

/* A list whose presence in the export is itself uncertain. */
void
html_known_list(struct html *h, const struct strlist *l, bool known,
    bool incomplete)
{
	if (!known) {
		html_unknown(h);
		return;
	}
	html_list(h, l, "<span class=\"muted\">none</span>");
	if (incomplete)
		html_raw(h, " <span class=\"tag\">list cut in export</span>");
}

void
html_mono_list(struct html *h, const struct strlist *l, const char *empty)
{
	size_t	i;

	if (l->n == 0) {
		html_raw(h, empty);
		return;
	}
	for (i = 0; i < l->n; i++) {
		html_raw(h, i > 0 ? "<br><span class=\"mono\">" :
		    "<span class=\"mono\">");
		html_text(h, l->v[i]);
		html_raw(h, "</span>");
	}
}

/*
 * At most `max` characters of s, cut on a character boundary, with an
 * ellipsis when cut: for one-line summaries whose full text is shown below.
 */
void
html_text_short(struct html *h, const char *s, size_t max)
{
	char	*clean;
	size_t	 i, chars = 0;

	if (s == NULL)
		return;
	clean = utf8_clean(s, strlen(s));
	for (i = 0; clean[i] != '\0'; i++) {
		if (((unsigned char)clean[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == max)
			break;
	}
	html_textn(h, clean, i);
	if (clean[i] != '\0')
		html_raw(h, "\xe2\x80\xa6");
	free(clean);
}

void
html_badge(struct html *h, enum severity s)
{
	html_rawf(h, "<span class=\"badge sev-%s\">%s</span>",
	    severity_name(s), severity_name(s));
}

void
html_finding_anchor(struct html *h, const struct finding *f)
{
	html_raw(h, "<a href=\"#finding-");
	html_text(h, f->id);
	html_raw(h, "\">");
	html_text(h, f->id);
	html_raw(h, "</a>");
}

void
table_open(struct html *h, const char *const *cols, const char *const *cls)
{
	size_t	i;

	html_raw(h, "<div class=\"table-wrap\"><table><thead><tr>");
	for (i = 0; cols[i] != NULL; i++) {
		if (cls != NULL && cls[i] != NULL)
			html_rawf(h, "<th class=\"%s\">%s</th>", cls[i],
			    cols[i]);
		else
			html_rawf(h, "<th>%s</th>", cols[i]);
	}
	html_raw(h, "</tr></thead><tbody>\n");
}

void
table_close(struct html *h)
{
	html_raw(h, "</tbody></table></div>\n");
}

void
section_open(struct html *h, const char *id, const char *title, bool major)
{
	html_rawf(h, "\n<section id=\"%s\"%s>\n<h2>%s</h2>\n", id,
	    major ? " class=\"major\"" : "", title);
}

void
section_close(struct html *h)
{
	html_raw(h, "</section>\n");
}

/* ---------------------------------------------------------- shared blocks */

void
inputs_table(struct html *h, const struct evidence *ev)
{
	static const char *const cols[] = { "Input", "Bytes", "SHA-256", NULL };
	static const char *const cls[] = { NULL, "num", NULL, NULL };
	size_t			 i;

	if (ev == NULL || ev->ninputs == 0) {
		html_raw(h, "<p class=\"empty\">No inputs recorded.</p>\n");
		return;
	}
	table_open(h, cols, cls);
	for (i = 0; i < ev->ninputs; i++) {
		const struct input_info	*in = &ev->inputs[i];

		html_raw(h, "<tr><td>");
		html_text(h, in->path);
		html_rawf(h, "</td><td class=\"num\">%" PRIu64 "</td>"
		    "<td class=\"mono\">", in->bytes);
		if (in->sha256[0] != '\0')
			html_textn(h, in->sha256, strnlen(in->sha256,
			    sizeof in->sha256));
		else
			html_raw(h, "<span class=\"muted\">directory</span>");
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
}

/* The step of `root` whose command is `cmd`, or NULL. */
static const struct remediation_step *
same_command(const struct finding *root, const char *cmd)
{
	size_t	i;

	for (i = 0; root != NULL && i < root->nremediation; i++)
		if (root->remediation[i].command != NULL &&
		    strcmp(root->remediation[i].command, cmd) == 0)
			return &root->remediation[i];
	return NULL;
}

void
steps_list(struct html *h, const struct finding *f, bool anchors,
    const struct finding *root)
{
	const struct remediation_step	*same;
	size_t				 i;

	html_raw(h, "<ol class=\"steps\">\n");
	for (i = 0; i < f->nremediation; i++) {
		const struct remediation_step	*s = &f->remediation[i];

		if (anchors)
			html_rawf(h, "<li id=\"step-%d\">", s->step);
		else
			html_raw(h, "<li>");
		html_rawf(h, "<span class=\"step-no\">%d</span>"
		    "<div class=\"step-body\"><p>", s->step);
		html_text(h, s->text);
		html_raw(h, "</p>");
		/* A command the root cause's steps already give is not repeated. */
		if (s->command != NULL && s->command[0] != '\0' && root != f &&
		    (same = same_command(root, s->command)) != NULL) {
			html_rawf(h, "<p class=\"muted\">The same command as "
			    "<a href=\"#step-%d\">", same->step);
			html_text(h, root->id);
			html_rawf(h, " step %d</a>.</p>", same->step);
		} else if (s->command != NULL && s->command[0] != '\0') {
			html_raw(h, "<pre><code>");
			html_text(h, s->command);
			html_raw(h, "</code></pre>");
		}
		html_raw(h, "</div></li>\n");
	}
	html_raw(h, "</ol>\n");
}

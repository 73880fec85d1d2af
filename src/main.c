/*
 * certtrail: options -> pipeline -> rules -> outputs -> exit status.
 * This is the only place that decides the exit status (docs/contract.md, "Exit status").
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline/baseline.h"
#include "cli.h"
#include "util/datetime.h"
#include "formats/formats.h"
#include "formats/recognize.h"
#include "pipeline.h"
#include "output/report.h"
#include "rules/rules.h"
#include "rules/verdict.h"

enum {
	EXIT_DONE = 0, EXIT_FAIL_ON = 1, EXIT_USAGE = 2, EXIT_NO_EVIDENCE = 3,
	EXIT_WRITE = 4
};

/* mkdir -p */
static int
make_dirs(const char *path)
{
	char	*p = xstrdup(path), *s;
	int	 rc = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "certtrail: cannot create %s: %s\n", p,
			    strerror(errno));
			rc = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	if (rc == 0) {
		struct stat st;

		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "certtrail: %s is not a directory\n", path);
			rc = -1;
		}
	}
	free(p);
	return rc;
}

struct output {
	const char	*file;
	int		(*write)(const struct report *, const char *);
	const struct report *r;
	char		*path;
	int		 rc;
};

static void *
output_write(void *arg)
{
	struct output	*out = arg;

	out->rc = out->write(out->r, out->path);
	return NULL;
}

/*
 * The workbook takes about as long as the page and findings.json together,
 * and by now the reading threads are done: it is written in a thread of its
 * own while this one writes the other two. The writers only read the report
 * and each writes its own file, so the files do not depend on the timing;
 * `written` is filled in a fixed order once both are done.
 */
static int
write_outputs(const struct options *o, const struct report *r,
    struct strlist *written)
{
	struct output	 outs[] = {
		{ "report.xlsx", out_xlsx_write, r, NULL, 0 },
		{ "report.html", out_html_write, r, NULL, 0 },
		{ "findings.json", out_json_write, r, NULL, 0 },
	};
	const bool	 want[] = { o->want_xlsx, o->want_html, o->want_json };
	const size_t	 n = sizeof outs / sizeof outs[0];
	pthread_t	 apart;
	bool		 threaded = false;
	size_t		 i, nwant = 0;
	int		 rc = 0;

	if (make_dirs(o->output_dir) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (want[i]) {
			outs[i].path = xasprintf("%s/%s", o->output_dir,
			    outs[i].file);
			nwant++;
		}
	if (want[0] && nwant > 1)
		threaded = pthread_create(&apart, NULL, output_write,
		    &outs[0]) == 0;
	for (i = 0; i < n; i++)
		if (want[i] && !(i == 0 && threaded))
			output_write(&outs[i]);
	if (threaded)
		pthread_join(apart, NULL);
	for (i = 0; i < n; i++) {
		if (!want[i])
			continue;
		if (outs[i].rc != 0)
			rc = -1;
		else
			strlist_add(written, outs[i].path);
		free(outs[i].path);
	}
	return rc;
}

static void
print_summary(const struct report *r, const struct pipeline_result *res,
    const struct strlist *written)
{
	const struct findings	*fs = r->findings;
	const struct evidence	*ev = r->ev;
	long			 c[5], resolved;
	char			 when[40], *unread;
	size_t			 i, copies;

	resolved = findings_count_active(fs, c);
	if (r->verdict != NULL) {
		/* The text starts with the heading ("Root cause found: ..."). */
		printf("%s\n", r->verdict->text);
		for (i = 0; i < r->verdict->incomplete.n; i++)
			printf("%s %s\n", i == 0 ? "Not read:" : "         ",
			    r->verdict->incomplete.v[i]);
	}
	if (r->baseline != NULL)
		printf("Since the baseline: %s\n", r->baseline->text);
	if (r->as_of != TIME_UNKNOWN)
		time_format_iso(r->as_of, when, sizeof when);
	else
		snprintf(when, sizeof when, "unknown");
	printf("certtrail %s: %zu input%s, %ld entr%s read, as of %s (%s)\n",
	    r->tool_version, ev->ninputs, ev->ninputs == 1 ? "" : "s",
	    res->entries, res->entries == 1 ? "y" : "ies", when, r->as_of_source);
	if ((unread = evidence_unread_text(ev)) != NULL) {
		unread[0] = (char)toupper((unsigned char)unread[0]);
		printf("%s (see the diagnostics and the manifest)\n", unread);
		free(unread);
	}
	/* The log figures are of fewer logs than were read: said at once. */
	if ((copies = evidence_copies(ev, NULL)) > 0)
		printf("%zu protocol log%s repeat%s the bytes of another read "
		    "before, and %s counted once (see the manifest)\n", copies,
		    copies == 1 ? "" : "s", copies == 1 ? "s" : "",
		    copies == 1 ? "is" : "are");
	if (fs->root_cause >= 0)
		printf("Root cause: %s [%s] %s\n", fs->v[fs->root_cause].id,
		    severity_name(fs->v[fs->root_cause].severity),
		    fs->v[fs->root_cause].title);
	else if (r->verdict != NULL && r->verdict->state == VERDICT_RESOLVED)
		printf("Root cause: none active; the incident is over\n");
	else if (r->verdict != NULL && r->verdict->state == VERDICT_NOT_JUDGED)
		printf("Root cause: none in the configuration; mail flow not "
		    "judged (see the evidence gaps)\n");
	else if (r->verdict != NULL && r->verdict->state == VERDICT_PROBLEMS &&
	    r->verdict->unexplained == 0)
		printf("Root cause: none; no symptom in the evidence stands "
		    "behind the findings\n");
	else
		printf("Root cause: none found in the evidence%s\n",
		    r->gaps->n ? " (see the evidence gaps)" : "");
	printf("Findings: %ld critical, %ld high, %ld medium, %ld low, %ld info",
	    c[SEV_CRITICAL], c[SEV_HIGH], c[SEV_MEDIUM], c[SEV_LOW], c[SEV_INFO]);
	if (resolved > 0)
		printf(" active; %ld resolved", resolved);
	printf("\n");
	printf("Evidence gaps: %zu\n", r->gaps->n);
	for (i = 0; i < r->gaps->n; i++)
		printf("  - %s\n", r->gaps->v[i].what);
	printf("Diagnostics: %zu error%s, %zu warning%s\n",
	    diag_count(&ev->diags, DIAG_ERROR),
	    diag_count(&ev->diags, DIAG_ERROR) == 1 ? "" : "s",
	    diag_count(&ev->diags, DIAG_WARNING),
	    diag_count(&ev->diags, DIAG_WARNING) == 1 ? "" : "s");
	for (i = 0; i < written->n; i++)
		printf("%s %s\n", i == 0 ? "Wrote:" : "      ", written->v[i]);
}

struct kind_count {
	const char	*kind;
	size_t		 n;
};

/* The most common kinds first; equal counts by name, for a stable line. */
static int
kind_count_cmp(const void *a, const void *b)
{
	const struct kind_count	*x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->kind, y->kind);
}

/*
 * Nothing usable: say what was read ("read 3 entries: 2 text files, 1
 * binary file; none is Exchange evidence") and what certtrail reads, so a
 * newcomer who pointed it at the wrong folder knows what to collect. An
 * entry a limit, damage or encryption kept from being read is counted
 * apart: it was not read, so it is neither "not Exchange evidence" nor a
 * sign of an empty input, and what certtrail reads is then no help. An
 * archive is a container, not an entry.
 */
static void
explain_no_evidence(const struct evidence *ev,
    const struct pipeline_result *res, bool quiet)
{
	struct kind_count	*kc;
	const char		*one, *many, *k;
	char			*unread = evidence_unread_text(ev);
	size_t			 i, j, nk = 0;

	kc = xcalloc(ev->nentries + 1, sizeof *kc);
	for (i = 0; i < ev->nentries; i++) {
		if (ev->entries[i].status != MANIFEST_READ)
			continue;
		k = ev->entries[i].kind != NULL ? ev->entries[i].kind :
		    "unknown";
		if (strcmp(k, BUNDLE_KIND_ARCHIVE) == 0)
			continue;
		for (j = 0; j < nk && strcmp(kc[j].kind, k) != 0; j++)
			;
		if (j == nk)
			kc[nk++].kind = k;
		kc[j].n++;
	}
	qsort(kc, nk, sizeof *kc, kind_count_cmp);
	fprintf(stderr, "certtrail: read %ld entr%s", res->entries,
	    res->entries == 1 ? "y" : "ies");
	for (i = 0; i < nk; i++) {
		format_kind_words(kc[i].kind, &one, &many);
		fprintf(stderr, "%s %zu %s", i == 0 ? ":" : ",", kc[i].n,
		    kc[i].n == 1 ? one : many);
	}
	if (nk > 0)
		fprintf(stderr, "; %s Exchange evidence",
		    res->entries == 1 ? "it is not" : "none is");
	else if (unread == NULL)
		fputs(" (the input is empty)", stderr);
	if (unread != NULL)
		fprintf(stderr, "; %s (%s)", unread, quiet ?
		    "run without -q to see why" : "the messages above say why");
	fputc('\n', stderr);
	if (nk > 0 || unread == NULL)
		fputs("certtrail: expected Get-ExchangeCertificate, "
		    "Get-SendConnector or Get-Queue output (Format-List text or "
		    "Export-Clixml), SMTP protocol logs (SmtpSend, SmtpReceive) "
		    "or certificate files; see 'man certtrail'\n", stderr);
	free(unread);
	free(kc);
}

/*
 * Nothing was read, but some of it was recognized: say which kinds and why
 * each was not read; the reports are written all the same.
 */
static void
explain_recognized(const struct pipeline_result *res)
{
	size_t	i;

	fprintf(stderr, "certtrail: nothing this version reads was found; "
	    "recognized but not read:\n");
	for (i = 0; i < res->nrec; i++)
		fprintf(stderr, "certtrail:   %ld %s%s: %s\n", res->rec_counts[i],
		    res->rec_kinds[i]->what, res->rec_counts[i] == 1 ? "" :
		    " (entries)", res->rec_kinds[i]->why);
	fputs("certtrail: the reports say what could not be read\n", stderr);
}

/*
 * Any finding at or above --fail-on; with --baseline, any persisting or new
 * one, so that a scheduled check fails only on what remains.
 */
static bool
fail_on_met(const struct options *o, const struct findings *fs,
    const struct baseline *bl)
{
	enum severity	sev;
	size_t		i;

	if (!o->fail_on_set)
		return false;
	if (bl != NULL) {
		for (i = 0; i < bl->nentries; i++)
			if (bl_entry_counts(&bl->entries[i]) &&
			    severity_parse(bl->entries[i].severity, &sev) &&
			    sev >= o->fail_on)
				return true;
		return false;
	}
	/* An incident that is over is no reason to fail. */
	for (i = 0; i < fs->n; i++)
		if (fs->v[i].severity >= o->fail_on &&
		    fs->v[i].status == FINDING_ACTIVE)
			return true;
	return false;
}

/*
 * The new case as findings.json says it, compared with the earlier one.
 * Reading both from the same text means a field one of them lacks (a
 * finding's status, say) is unknown in the same way in both.
 */
static int
baseline_run(const struct options *o, struct report *r, struct bl_case *before,
    struct baseline *bl)
{
	struct bl_case	 after;
	char		*text, *why = NULL;
	size_t		 len;

	memset(&after, 0, sizeof after);
	text = out_json_text(r, &len);
	if (baseline_read_text(text, len, &after, &why) != 0) {
		fprintf(stderr, "certtrail: --baseline: this case could not be "
		    "compared: %s\n", why);
		free(why);
		free(text);
		bl_case_free(&after);
		return -1;
	}
	free(text);
	baseline_compare(before, &after, bl);
	r->baseline = bl;
	if (bl->compared.n == 0 && o->verbosity > 0)
		fprintf(stderr, "certtrail: warning: --baseline %s and this "
		    "case share no server: nothing could be compared, every "
		    "earlier finding is not re-collected\n", o->baseline);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options		 o;
	struct pipeline_opts	 popts;
	struct pipeline_result	 res;
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	struct symptom_list	 sym = { 0 };
	struct verdict		 verdict = { 0 };
	struct report		 r;
	struct strlist		 written = { 0 };
	struct bl_case		 before = { 0 };
	struct baseline		 bl = { 0 };
	char			*why = NULL;
	int			 status;

	switch (cli_parse(argc, argv, &o)) {
	case CLI_DONE:
		return EXIT_DONE;
	case CLI_USAGE:
		cli_free(&o);
		return EXIT_USAGE;
	case CLI_RUN:
		break;
	}
	/* A wrong BEFORE is a usage error, found before the bundle is read. */
	if (o.baseline != NULL &&
	    baseline_read_before(o.baseline, &before, &why) != 0) {
		fprintf(stderr, "certtrail: --baseline %s: %s\n", o.baseline,
		    why);
		free(why);
		bl_case_free(&before);
		cli_free(&o);
		return EXIT_USAGE;
	}
	evidence_init(&ev);
	/* -q keeps the errors, -v adds the informational ones (diag.h). */
	ev.diags.echo = o.verbosity + 1;
	popts.limits = o.limits;
	popts.progress = o.progress == 1 || (o.progress == -1 && isatty(2));

	/* Exit 3 only when nothing at all was read or recognized. */
	if (pipeline_read(o.inputs, o.ninputs, &popts, &ev, &res) != 0 ||
	    (res.usable == 0 && res.recognized == 0)) {
		explain_no_evidence(&ev, &res, o.verbosity == 0);
		status = EXIT_NO_EVIDENCE;
		goto out;
	}
	if (res.usable == 0)
		explain_recognized(&res);

	memset(&r, 0, sizeof r);
	r.tool_version = PACKAGE_VERSION;
	r.case_id = o.case_id;
	r.customer = o.customer;
	r.analyst = o.analyst;
	if (o.as_of != TIME_UNKNOWN) {
		r.as_of = o.as_of;
		r.as_of_source = "option";
	} else
		asof_infer(&ev, &r.as_of, &r.as_of_source);
	rules_analyze(&ev, r.as_of, &fs, &gaps, &sym);
	gaps_collect(&ev, &gaps);
	verdict_build(&ev, &fs, &sym, &gaps, r.as_of, &verdict);
	r.ev = &ev;
	r.findings = &fs;
	r.gaps = &gaps;
	r.verdict = &verdict;
	r.symptoms = &sym;
	if (o.baseline != NULL && baseline_run(&o, &r, &before, &bl) != 0) {
		status = EXIT_WRITE;
		goto out;
	}

	if (write_outputs(&o, &r, &written) != 0) {
		status = EXIT_WRITE;
		goto out;
	}
	if (o.verbosity > 0)
		print_summary(&r, &res, &written);
	status = fail_on_met(&o, &fs, r.baseline) ? EXIT_FAIL_ON : EXIT_DONE;
out:
	baseline_free(&bl);
	bl_case_free(&before);
	strlist_free(&written);
	verdict_free(&verdict);
	symptoms_free(&sym);
	gap_list_free(&gaps);
	findings_free(&fs);
	evidence_free(&ev);
	cli_free(&o);
	return status;
}

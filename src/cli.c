/* Command-line parsing and the usage text. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "util/datetime.h"
#include "rules/rules.h"

enum {
	OPT_FORMAT = 256, OPT_AS_OF, OPT_CASE, OPT_CUSTOMER, OPT_ANALYST,
	OPT_FAIL_ON, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_VERSION, OPT_HELP,
	OPT_MAX_TOTAL, OPT_MAX_ENTRY, OPT_MAX_RATIO, OPT_MAX_DEPTH,
	OPT_MAX_ENTRIES, OPT_LIST_RULES, OPT_EXPLAIN, OPT_RATIO_GRACE,
	OPT_BASELINE
};

static const struct option long_options[] = {
	{ "output",		required_argument, NULL, 'o' },
	{ "format",		required_argument, NULL, OPT_FORMAT },
	{ "as-of",		required_argument, NULL, OPT_AS_OF },
	{ "case",		required_argument, NULL, OPT_CASE },
	{ "customer",		required_argument, NULL, OPT_CUSTOMER },
	{ "analyst",		required_argument, NULL, OPT_ANALYST },
	{ "fail-on",		required_argument, NULL, OPT_FAIL_ON },
	{ "baseline",		required_argument, NULL, OPT_BASELINE },
	{ "progress",		no_argument,	   NULL, OPT_PROGRESS },
	{ "no-progress",	no_argument,	   NULL, OPT_NO_PROGRESS },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "version",		no_argument,	   NULL, OPT_VERSION },
	{ "help",		no_argument,	   NULL, OPT_HELP },
	{ "max-total-bytes",	required_argument, NULL, OPT_MAX_TOTAL },
	{ "max-entry-bytes",	required_argument, NULL, OPT_MAX_ENTRY },
	{ "max-ratio",		required_argument, NULL, OPT_MAX_RATIO },
	{ "max-depth",		required_argument, NULL, OPT_MAX_DEPTH },
	{ "max-entries",	required_argument, NULL, OPT_MAX_ENTRIES },
	{ "list-rules",		no_argument,	   NULL, OPT_LIST_RULES },
	{ "explain",		required_argument, NULL, OPT_EXPLAIN },
	{ "ratio-grace",	required_argument, NULL, OPT_RATIO_GRACE },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fputs(
"usage: certtrail [OPTIONS] INPUT...\n"
"\n"
"Reads an Exchange support bundle (zip files, .tar.gz, directories or single\n"
"exported files; all INPUTs together are one case) without extracting it, and\n"
"writes report.xlsx, report.html and findings.json naming the root cause.\n"
"\n"
"  -o, --output DIR       where to write (default ./<first input>-report/)\n"
"      --format LIST      any of xlsx,html,json (default: all three)\n"
"      --as-of TIME       judge expiry at this UTC time (2026-11-10 or\n"
"                         2026-11-10T08:00:00Z); default: inferred from the bundle\n"
"      --case TEXT        case number, shown on the report and workbook\n"
"      --customer TEXT    customer name\n"
"      --analyst TEXT     analyst name\n"
"      --fail-on SEV      exit 1 when an active finding is at or above SEV\n"
"                         (critical, high, medium, low, info); with\n"
"                         --baseline, only the persisting and new ones\n"
"      --baseline BEFORE  compare with an earlier findings.json (or the\n"
"                         folder holding it): each finding resolved,\n"
"                         persisting, new or not re-collected\n"
"      --progress         progress on stderr (default when stderr is a terminal)\n"
"      --no-progress      no progress\n"
"  -q, --quiet            no summary, no warnings (errors still print)\n"
"  -v, --verbose          also print informational diagnostics\n"
"      --max-total-bytes N  stop reading after N decompressed bytes (4G)\n"
"      --max-entry-bytes N  skip entries larger than N bytes (512M)\n"
"      --max-ratio R        skip entries expanding more than R times (200)\n"
"      --ratio-grace N      judge the ratio only past N bytes of an entry (8M)\n"
"      --max-depth N        open archives nested at most N deep (4)\n"
"      --max-entries N      read at most N entries (100000)\n"
"      --list-rules       print every rule id, severity range and what it finds\n"
"      --explain RULE     print what a rule checks, why it matters and the fix\n"
"      --version          print the version\n"
"      --help             print this help\n"
"\n"
"Exit status: 0 done, 1 --fail-on threshold met, 2 usage error,\n"
"3 no usable evidence, 4 could not write the outputs.\n", fp);
}

static bool
parse_formats(const char *arg, struct options *o)
{
	char	*copy = xstrdup(arg), *tok, *save = NULL;
	bool	 ok = true;

	o->want_json = o->want_html = o->want_xlsx = false;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		str_trim(tok);
		if (ascii_casecmp(tok, "json") == 0)
			o->want_json = true;
		else if (ascii_casecmp(tok, "html") == 0)
			o->want_html = true;
		else if (ascii_casecmp(tok, "xlsx") == 0)
			o->want_xlsx = true;
		else {
			fprintf(stderr, "certtrail: --format: unknown format "
			    "'%s' (use xlsx, html, json)\n", tok);
			ok = false;
		}
	}
	free(copy);
	if (ok && !o->want_json && !o->want_html && !o->want_xlsx) {
		fputs("certtrail: --format: no format given\n", stderr);
		ok = false;
	}
	return ok;
}

/* "512M", "4G", "100000": bytes or counts with an optional binary suffix. */
static bool
parse_size(const char *opt, const char *arg, uint64_t *out)
{
	char			*end;
	unsigned long long	 v;
	uint64_t		 mult = 1;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || end == arg || arg[0] == '-')
		goto bad;
	switch (*end) {
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	case 'm': case 'M': mult = 1ULL << 20; end++; break;
	case 'g': case 'G': mult = 1ULL << 30; end++; break;
	case 't': case 'T': mult = 1ULL << 40; end++; break;
	}
	if (*end != '\0' || v == 0 || v > UINT64_MAX / mult)
		goto bad;
	*out = (uint64_t)v * mult;
	return true;
bad:
	fprintf(stderr, "certtrail: %s: '%s' is not a positive size\n", opt, arg);
	return false;
}

static bool
parse_limit(int c, const char *arg, struct bundle_limits *l)
{
	uint64_t	 v;
	char		*end;
	double		 r;

	switch (c) {
	case OPT_MAX_TOTAL:
		return parse_size("--max-total-bytes", arg, &l->max_total_bytes);
	case OPT_MAX_ENTRY:
		return parse_size("--max-entry-bytes", arg, &l->max_entry_bytes);
	case OPT_MAX_RATIO:
		errno = 0;
		r = strtod(arg, &end);
		if (errno != 0 || end == arg || *end != '\0' || !(r >= 1.0)) {
			fprintf(stderr, "certtrail: --max-ratio: '%s' is not a "
			    "number >= 1\n", arg);
			return false;
		}
		l->max_ratio = r;
		return true;
	case OPT_RATIO_GRACE:
		if (strcmp(arg, "0") == 0) {
			l->ratio_grace = 0;
			return true;
		}
		return parse_size("--ratio-grace", arg, &l->ratio_grace);
	case OPT_MAX_DEPTH:
		if (strcmp(arg, "0") == 0) {
			l->max_depth = 0;
			return true;
		}
		if (!parse_size("--max-depth", arg, &v) || v > 64) {
			fputs("certtrail: --max-depth takes 0 to 64\n", stderr);
			return false;
		}
		l->max_depth = (int)v;
		return true;
	default:
		if (!parse_size("--max-entries", arg, &v) || v > 100000000) {
			fputs("certtrail: --max-entries takes 1 to 100000000\n", stderr);
			return false;
		}
		l->max_entries = (long)v;
		return true;
	}
}

/* Levenshtein distance between a[0..na) and b, for "did you mean". */
static size_t
edit_distance(const char *a, size_t na, const char *b)
{
	size_t	 nb = strlen(b), i, j, *row, diag, up, best;

	row = xmalloc((nb + 1) * sizeof *row);
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= nb; j++) {
			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	best = row[nb];
	free(row);
	return best;
}

/*
 * An option getopt_long did not take: "--fromat" gets "did you mean
 * '--format'?", an ambiguous prefix such as "--max" the options it could
 * mean.
 */
static void
unknown_option(const char *arg)
{
	const struct option	*o, *best = NULL;
	const char		*name = arg + 2;
	size_t			 n = strcspn(name, "="), d, bestd = SIZE_MAX;
	size_t			 prefixed = 0;

	if (strncmp(arg, "--", 2) != 0 || n == 0) {
		fprintf(stderr, "certtrail: unknown option '%s'; try "
		    "'certtrail --help'\n", arg);
		return;
	}
	for (o = long_options; o->name != NULL; o++)
		if (strncmp(o->name, name, n) == 0)
			prefixed++;
	if (prefixed > 1) {
		fprintf(stderr, "certtrail: option '--%.*s' is ambiguous; it "
		    "could be", (int)n, name);
		for (o = long_options; o->name != NULL; o++)
			if (strncmp(o->name, name, n) == 0)
				fprintf(stderr, " --%s", o->name);
		fputc('\n', stderr);
		return;
	}
	for (o = long_options; o->name != NULL; o++) {
		d = edit_distance(name, n, o->name);
		if (d < bestd) {
			bestd = d;
			best = o;
		}
	}
	/* Close enough to be a typo: a third of the word, at least two. */
	if (best != NULL && bestd <= (n / 3 > 2 ? n / 3 : 2))
		fprintf(stderr, "certtrail: unknown option '--%.*s'; did you "
		    "mean '--%s'?\n", (int)n, name, best->name);
	else
		fprintf(stderr, "certtrail: unknown option '--%.*s'; try "
		    "'certtrail --help'\n", (int)n, name);
}

/* Every INPUT must exist before anything is read: a typo is a usage error. */
static bool
inputs_exist(const char *const *inputs, size_t n)
{
	struct stat	st;
	size_t		i;

	for (i = 0; i < n; i++) {
		if (stat(inputs[i], &st) != 0) {
			fprintf(stderr, "certtrail: cannot open input '%s': "
			    "%s\n", inputs[i], strerror(errno));
			return false;
		}
	}
	return true;
}

/* "./<first input's name without extension>-report/" */
static char *
default_output_dir(const char *input)
{
	static const char *const exts[] = { ".tar.gz", ".tgz", ".zip", ".tar", ".gz" };
	char	*name, *slash, *out;
	size_t	 n, i, el;

	name = xstrdup(input);
	n = strlen(name);
	while (n > 1 && name[n - 1] == '/')
		name[--n] = '\0';
	slash = strrchr(name, '/');
	memmove(name, slash ? slash + 1 : name, strlen(slash ? slash + 1 : name) + 1);
	n = strlen(name);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		el = strlen(exts[i]);
		if (n > el && ascii_casecmp(name + n - el, exts[i]) == 0) {
			name[n - el] = '\0';
			break;
		}
	}
	if (i == sizeof exts / sizeof exts[0] && strrchr(name, '.') > name)
		*strrchr(name, '.') = '\0';
	if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		free(name);
		name = xstrdup("certtrail");
	}
	out = xasprintf("./%s-report", name);
	free(name);
	return out;
}

enum cli_status
cli_parse(int argc, char **argv, struct options *o)
{
	int	c;

	memset(o, 0, sizeof *o);
	o->want_json = o->want_html = o->want_xlsx = true;
	o->as_of = TIME_UNKNOWN;
	o->progress = -1;
	o->verbosity = 1;
	bundle_limits_default(&o->limits);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qv", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
			free(o->output_dir);
			o->output_dir = xstrdup(optarg);
			break;
		case OPT_FORMAT:
			if (!parse_formats(optarg, o))
				return CLI_USAGE;
			break;
		case OPT_AS_OF:
			if (!date_parse_iso(optarg, &o->as_of)) {
				fprintf(stderr, "certtrail: --as-of: '%s' is not "
				    "a UTC time like 2026-11-10 or "
				    "2026-11-10T08:00:00Z\n", optarg);
				return CLI_USAGE;
			}
			break;
		case OPT_CASE:
			o->case_id = optarg;
			break;
		case OPT_CUSTOMER:
			o->customer = optarg;
			break;
		case OPT_ANALYST:
			o->analyst = optarg;
			break;
		case OPT_FAIL_ON:
			if (!severity_parse(optarg, &o->fail_on)) {
				fprintf(stderr, "certtrail: --fail-on: '%s' is not "
				    "one of critical, high, medium, low, info\n",
				    optarg);
				return CLI_USAGE;
			}
			o->fail_on_set = true;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_PROGRESS:
			o->progress = 1;
			break;
		case OPT_NO_PROGRESS:
			o->progress = 0;
			break;
		case 'q':
			o->verbosity = 0;
			break;
		case 'v':
			o->verbosity = 2;
			break;
		case OPT_VERSION:
			printf("certtrail %s\n", PACKAGE_VERSION);
			return CLI_DONE;
		case OPT_HELP:
			usage(stdout);
			return CLI_DONE;
		case OPT_LIST_RULES:
			rules_print_list(stdout);
			return CLI_DONE;
		case OPT_EXPLAIN:
			if (rules_explain(stdout, optarg))
				return CLI_DONE;
			fprintf(stderr, "certtrail: --explain: no rule '%s'", optarg);
			if (rule_suggest(optarg) != NULL)
				fprintf(stderr, "; did you mean '%s'?",
				    rule_suggest(optarg));
			fputs("\nTry 'certtrail --list-rules'.\n", stderr);
			return CLI_USAGE;
		case OPT_MAX_TOTAL: case OPT_MAX_ENTRY: case OPT_MAX_RATIO:
		case OPT_MAX_DEPTH: case OPT_MAX_ENTRIES: case OPT_RATIO_GRACE:
			if (!parse_limit(c, optarg, &o->limits))
				return CLI_USAGE;
			break;
		case ':':
			fprintf(stderr, "certtrail: option '%s' needs a value\n",
			    argv[optind - 1]);
			return CLI_USAGE;
		default:
			unknown_option(argv[optind - 1]);
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		fputs("certtrail: no INPUT given\n", stderr);
		usage(stderr);
		return CLI_USAGE;
	}
	o->inputs = (const char *const *)&argv[optind];
	o->ninputs = (size_t)(argc - optind);
	if (!inputs_exist(o->inputs, o->ninputs))
		return CLI_USAGE;
	if (o->output_dir == NULL)
		o->output_dir = default_output_dir(o->inputs[0]);
	return CLI_RUN;
}

void
cli_free(struct options *o)
{
	free(o->output_dir);
	o->output_dir = NULL;
}

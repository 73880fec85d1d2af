/*
 * The list of rules (list.h) and the rule reference: a rule by its id, the
 * closest id to a mistyped one, --list-rules and --explain.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "rules.h"

#define RULE_DECLARE(name)	extern const struct rule rule_##name;
#define RULE_ROW(name)		&rule_##name,

RULE_LIST(RULE_DECLARE)

const struct rule *const rule_table[] = { RULE_LIST(RULE_ROW) };
const size_t rule_count = sizeof rule_table / sizeof rule_table[0];

const struct rule *
rule_find(const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < rule_count; i++)
		if (ascii_casecmp(rule_table[i]->id, id) == 0)
			return rule_table[i];
	return NULL;
}

const struct fix_facts *
fix_facts_find(const char *id)
{
	const struct rule	*r = rule_find(id);

	return r != NULL ? &r->facts : NULL;
}

const struct fix_facts *
finding_fix_facts(const struct finding *f)
{
	return f->facts != NULL ? f->facts : fix_facts_find(f->rule);
}

/* Levenshtein distance, capped: ids are short. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, cur, tmp;
	size_t	row[64];

	if (la >= 63 || lb >= 63)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			cur = prev + ((a[i - 1] | 32) != (b[j - 1] | 32));
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *
rule_suggest(const char *id)
{
	const char	*best = NULL;
	size_t		 i, d, bd = (size_t)-1;

	for (i = 0; id != NULL && i < rule_count; i++) {
		if (*id != '\0' && ascii_strcasestr(rule_table[i]->id, id) != NULL)
			return rule_table[i]->id;
		d = edit_distance(id, rule_table[i]->id);
		if (d < bd) {
			bd = d;
			best = rule_table[i]->id;
		}
	}
	return bd <= 6 ? best : NULL;
}

void
rules_print_list(FILE *fp)
{
	size_t	i;

	for (i = 0; i < rule_count; i++) {
		const struct rule *r = rule_table[i];
		char sev[32];

		if (r->sev_min == r->sev_max)
			snprintf(sev, sizeof sev, "%s", severity_name(r->sev_min));
		else
			snprintf(sev, sizeof sev, "%s-%s", severity_name(r->sev_min),
			    severity_name(r->sev_max));
		fprintf(fp, "%-27s %-16s %s%s\n", r->id, sev, r->line,
		    r->generic ? " (generic)" : "");
	}
}

/* Prints text wrapped at 76 columns with an indent. */
static void
print_wrapped(FILE *fp, const char *text)
{
	const char	*p = text, *sp;
	size_t		 col = 0, w;

	fputs("  ", fp);
	while (*p != '\0') {
		sp = strchr(p, ' ');
		w = sp ? (size_t)(sp - p) : strlen(p);
		if (col > 0 && col + 1 + w > 74) {
			fputs("\n  ", fp);
			col = 0;
		} else if (col > 0) {
			fputc(' ', fp);
			col++;
		}
		fwrite(p, 1, w, fp);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', fp);
}

bool
rules_explain(FILE *fp, const char *id)
{
	const struct rule	*r = rule_find(id);
	const char		*p, *sep;

	if (r == NULL)
		return false;
	fprintf(fp, "%s (severity %s", r->id, severity_name(r->sev_min));
	if (r->sev_max != r->sev_min)
		fprintf(fp, " to %s", severity_name(r->sev_max));
	fprintf(fp, "%s)\n  %s\n\nWhat it checks:\n", r->generic ?
	    "; generic: reports what no specific rule explains" : "", r->line);
	print_wrapped(fp, r->checks);
	fputs("\nWhy it matters:\n", fp);
	print_wrapped(fp, r->why);
	fputs("\nFix:\n", fp);
	print_wrapped(fp, r->fix);
	fputs("\nReferences:\n", fp);
	for (p = r->refs; p != NULL && *p != '\0'; p = sep ? sep + 2 : NULL) {
		sep = strstr(p, "; ");
		fprintf(fp, "  - %.*s\n", sep ? (int)(sep - p) : (int)strlen(p), p);
	}
	return true;
}

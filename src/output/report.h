/*
 * Everything a renderer needs, in one place: the evidence, the findings, the
 * gaps, the case labels and the as-of time. Every renderer takes this and
 * nothing else.
 */
#ifndef CERTTRAIL_REPORT_H
#define CERTTRAIL_REPORT_H

#include <stdint.h>

#include "model/evidence.h"
#include "rules/findings.h"
#include "rules/gaps.h"

struct verdict;
struct symptom_list;
struct baseline;

struct report {
	const char		*tool_version;
	const char		*case_id;	/* NULL when not given */
	const char		*customer;
	const char		*analyst;
	int64_t			 as_of;
	const char		*as_of_source;	/* "option", "latest log row", ... */
	const struct evidence	*ev;
	const struct findings	*findings;
	const struct gap_list	*gaps;
	/* The verdict and the symptoms behind it (NULL: not computed). */
	const struct verdict	*verdict;
	const struct symptom_list *symptoms;
	/* The comparison with an earlier result (--baseline); NULL: none. */
	const struct baseline	*baseline;
};

/* Each returns 0, or -1 after printing why to stderr. */
int	out_json_write(const struct report *, const char *path);
/* findings.json's text (owned by the caller), its length in *len. */
char	*out_json_text(const struct report *, size_t *len);
int	out_html_write(const struct report *, const char *path);
int	out_xlsx_write(const struct report *, const char *path);

#endif

/*
 * The header lines of a protocol log: #Software, #Version, #Log-type (the
 * direction) and #Fields, which maps the columns the parser reads; rows
 * before any #Fields line are read in the order every version writes.
 */
#include "config.h"

#include <string.h>

#include "parser.h"
#include "util/text.h"

static const char *const column_names[NCOLUMNS] = {
	"date-time", "connector-id", "session-id", "local-endpoint",
	"remote-endpoint", "event", "data", "context", "sequence-number"
};

static void
copy_header_value(char *dst, size_t size, const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* "#Fields: date-time,connector-id,...": a new column map. */
static void
header_fields(struct protolog *pl, const char *v, size_t n)
{
	const char	*end = v + n, *p, *q;
	size_t		 idx = 0, len;
	int		 i;

	for (i = 0; i < NCOLUMNS; i++)
		pl->col[i] = -1;
	for (p = v; p <= end && idx < MAX_FIELDS; p = q + 1, idx++) {
		for (q = p; q < end && *q != ','; q++)
			;
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		len = (size_t)(q - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		for (i = 0; i < NCOLUMNS; i++)
			if (strlen(column_names[i]) == len &&
			    ascii_ncasecmp(p, column_names[i], len) == 0 &&
			    pl->col[i] < 0)
				pl->col[i] = (int)idx;
	}
	pl->nfields = idx;
}

void
header_line(struct protolog *pl, const char *line, size_t len)
{
	const char	*colon = memchr(line, ':', len);
	const char	*v;
	size_t		 klen, vlen;

	if (colon == NULL)
		return;
	klen = (size_t)(colon - line);
	v = colon + 1;
	vlen = len - klen - 1;
	pl->stats.header_seen = true;
	if (klen == 9 && ascii_ncasecmp(line, "#Software", 9) == 0)
		copy_header_value(pl->stats.software, sizeof pl->stats.software, v, vlen);
	else if (klen == 8 && ascii_ncasecmp(line, "#Version", 8) == 0)
		copy_header_value(pl->stats.version, sizeof pl->stats.version, v, vlen);
	else if (klen == 9 && ascii_ncasecmp(line, "#Log-type", 9) == 0) {
		char	type[64];

		copy_header_value(type, sizeof type, v, vlen);
		if (ascii_strcasestr(type, "Receive") != NULL)
			pl->stats.direction = PROTOLOG_RECEIVE;
		else if (ascii_strcasestr(type, "Send") != NULL)
			pl->stats.direction = PROTOLOG_SEND;
	} else if (klen == 7 && ascii_ncasecmp(line, "#Fields", 7) == 0)
		header_fields(pl, v, vlen);
}

/* Rows before any #Fields line: the column order every version writes. */
void
fields_assume_default(struct protolog *pl, long lineno)
{
	static const char def[] = "date-time,connector-id,session-id,"
	    "sequence-number,local-endpoint,remote-endpoint,event,data,context";

	header_fields(pl, def, sizeof def - 1);
	if (!pl->warned_no_fields) {
		pl->warned_no_fields = true;
		pl->stats.headerless = true;
		parse_problem(pl->cb.pd, DIAG_INFO, lineno, "rows without a "
		    "#Fields header; read in the standard column order "
		    "(date-time,connector-id,session-id,...)");
	}
}

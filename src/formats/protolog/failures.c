/*
 * "Failed to connect. Winsock error code: N, ..." rows: the error and the
 * destination domain when the row names one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util/text.h"

void
connect_failure(struct protolog *pl, const char *what, long lineno,
    const char *line, size_t len)
{
	struct protolog_connect_failure	 f;
	const char			*p, *q;
	char				*end, dest[256];

	memset(&f, 0, sizeof f);
	f.connector = col(pl, COL_CONNECTOR);
	f.session = col(pl, COL_SESSION);
	f.remote_endpoint = col(pl, COL_REMOTE);
	f.receive = row_is_receive(pl, 0, f.connector);
	f.winsock_error = -1;
	p = ascii_strcasestr(what, "Winsock error code");
	if (p != NULL) {
		for (p += 18; *p == ' ' || *p == ':'; p++)
			;
		f.winsock_error = strtol(p, &end, 10);
		if (end == p || f.winsock_error < 0)
			f.winsock_error = -1;
	}
	p = ascii_strcasestr(what, "Destination domain");
	if (p != NULL) {
		for (p += 18; *p == ' ' || *p == ':'; p++)
			;
		for (q = p; *q != '\0' && *q != ','; q++)
			;
		while (q > p && q[-1] == ' ')
			q--;
		if (q > p && (size_t)(q - p) < sizeof dest) {
			memcpy(dest, p, (size_t)(q - p));
			dest[q - p] = '\0';
			f.destination = dest;
		}
	}
	f.time = row_time(pl);
	f.line = lineno;
	f.text = row_sample(pl, line, len);
	f.source = pl->source;
	pl->stats.connect_failures++;
	if (pl->cb.connect_failure != NULL)
		pl->cb.connect_failure(pl->cb.arg, &f);
}

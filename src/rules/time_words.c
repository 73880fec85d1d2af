/* Sentences that put two times side by side, and a time left (time_words.h). */
#include "config.h"

#include <stdio.h>

#include "model/kinds/server.h"
#include "model/time_zone.h"
#include "cert_queries.h"
#include "time_words.h"

#define HOUR	3600
/*
 * Failures this soon after a certificate's NotBefore point to one just
 * issued and imported; later, the NotBefore dates nothing.
 */
#define NEW_HOURS	(7 * 24)

void
time_words_onset(struct buf *b, const struct evidence *ev,
    const struct ev_cert *c, int64_t first_failure)
{
	const struct ev_server	*s;
	const char		*src;
	char			 t1[48], t2[48], off[96];
	int64_t			 at, nb, h;
	long			 line;

	if (c->not_before == TIME_UNKNOWN || first_failure == TIME_UNKNOWN)
		return;
	at = cert_presented_before_valid(ev, c->server, c->thumbprint, &nb,
	    &src, &line);
	if (at != TIME_UNKNOWN) {
		/* A server does not present a certificate its clock calls not yet valid. */
		buf_appendf(b, " The protocol logs show %s presenting it from %s, "
		    "before its NotBefore (%s), both UTC: a clock or time zone is "
		    "off, so the start of the failures says nothing about when "
		    "the certificate was installed.", c->server ? c->server :
		    "the server", time_text(at, t1, sizeof t1),
		    time_text(nb, t2, sizeof t2));
		return;
	}
	if (c->dates_exact) {
		if (first_failure < c->not_before)
			return;
		h = (first_failure - c->not_before) / HOUR;
		if (h < NEW_HOURS) {
			buf_appendf(b, " The failures began %lld hour%s after "
			    "the certificate's NotBefore (%s), consistent with a "
			    "newly imported certificate.", (long long)h,
			    h == 1 ? "" : "s", time_text(c->not_before, t1,
			    sizeof t1));
			return;
		}
		/* NotBefore is when the CA issued it, not when it was installed. */
		buf_appendf(b, " The certificate was issued %lld days before the "
		    "failures began (NotBefore %s): its dates do not say when it "
		    "was put in use.", (long long)(h / 24),
		    time_text(c->not_before, t1, sizeof t1));
		return;
	}
	/* A local NotBefore and a UTC failure: no difference between them. */
	s = evidence_server(ev, c->server);
	buf_appendf(b, " The certificate's NotBefore is %s and the failures "
	    "began at %s (UTC); ", cert_time(c, c->not_before, t1, sizeof t1),
	    time_text(first_failure, t2, sizeof t2));
	if (s != NULL && (s->offset_known || s->seasons != 0))
		buf_appendf(b, "%s's offset (%s) is known for other parts of "
		    "the year only, so the time between them is not known.",
		    s->name, server_offsets_text(s, off, sizeof off));
	else
		buf_appendf(b, "%s's UTC offset is not in the bundle, so the "
		    "time between them is not known.", c->server ? c->server :
		    "the server");
}

const char *
time_left_words(int64_t not_after, int64_t as_of, char *buf, size_t size)
{
	int64_t	left = not_after > as_of ? not_after - as_of : 0;

	if (left >= 86400)
		snprintf(buf, size, "%lld day%s", (long long)(left / 86400),
		    left / 86400 == 1 ? "" : "s");
	else if (left >= 3600)
		snprintf(buf, size, "%lld hour%s", (long long)(left / 3600),
		    left / 3600 == 1 ? "" : "s");
	else
		snprintf(buf, size, "less than an hour");
	return buf;
}

/*
 * What the protocol logs show about remote hosts' TLS versions
 * (tls_peer.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_peer.h"

static const struct {
	const char	*name, *words;
	int		 rank;	/* newer is higher */
} versions[] = {
	{ "SSL2", "SSL 2", 0 }, { "SSL3", "SSL 3", 1 },
	{ "TLS1_0", "TLS 1.0", 2 }, { "TLS1_1", "TLS 1.1", 3 },
	{ "TLS1_2", "TLS 1.2", 4 }, { "TLS1_3", "TLS 1.3", 5 },
};
#define NVERSIONS	(sizeof versions / sizeof versions[0])

static int
rank(const char *p)
{
	size_t	i;

	for (i = 0; p != NULL && i < NVERSIONS; i++)
		if (ascii_casecmp(p, versions[i].name) == 0)
			return versions[i].rank;
	return -1;
}

const char *
tls_version_words(const char *p)
{
	size_t	i;

	for (i = 0; p != NULL && i < NVERSIONS; i++)
		if (ascii_casecmp(p, versions[i].name) == 0)
			return versions[i].words;
	return p != NULL ? p : "an unknown version";
}

bool
tls_legacy_protocol(const char *p)
{
	int	r = rank(p);

	return r >= 0 && r <= 3;
}

void
tls_legacy_peers(const struct evidence *ev, const char *server,
    struct strlist *out)
{
	const struct ev_tls_agg	*t;
	char			*s;
	size_t			 i;

	for (i = 0; i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (!t->ok || t->remote == NULL || !tls_legacy_protocol(t->protocol) ||
		    !str_eq_ci(t->server, server))
			continue;
		s = xasprintf("%s (%s)", t->remote, t->receive ? "inbound" :
		    "outbound");
		strlist_add_unique_ci(out, s);
		free(s);
	}
	strlist_sort_ci(out);
}

bool
tls_peer_seen(const struct evidence *ev, const char *remote, bool receive,
    const char *except, struct tls_peer_seen *p)
{
	const struct ev_tls_agg	*t;
	size_t			 i;
	int			 best = -1;

	memset(p, 0, sizeof *p);
	for (i = 0; remote != NULL && i < ev->ntls; i++) {
		t = &ev->tls[i];
		if (!t->ok || t->receive != receive || !str_eq_ci(t->remote, remote))
			continue;
		if (rank(t->protocol) >= 4) {
			/* Any server: one TLS 1.2 success shows the host has it. */
			p->modern = true;
			continue;
		}
		if (!tls_legacy_protocol(t->protocol) || t->server == NULL ||
		    str_eq_ci(t->server, except))
			continue;
		strlist_add_unique_ci(&p->servers, t->server);
		p->sessions += t->count;
		if (rank(t->protocol) > best) {
			best = rank(t->protocol);
			p->best = tls_version_words(t->protocol);
		}
		if (p->sample == NULL || (t->first != TIME_UNKNOWN &&
		    (p->sample->first == TIME_UNKNOWN || t->first < p->sample->first)))
			p->sample = t;
	}
	strlist_sort_ci(&p->servers);
	return p->servers.n > 0;
}

void
tls_peer_seen_free(struct tls_peer_seen *p)
{
	strlist_free(&p->servers);
	memset(p, 0, sizeof *p);
}

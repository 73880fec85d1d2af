/*
 * legacy-tls: what the protocol logs say about a remote host's own TLS
 * versions. A server that offers TLS 1.2 and still ends a session on TLS
 * 1.0 shows the other side offers nothing newer; such hosts are the ones a
 * server cuts off when it disables the old versions.
 */
#ifndef CERTTRAIL_TLS_PEER_H
#define CERTTRAIL_TLS_PEER_H

#include <stdbool.h>

#include "model/evidence.h"

/* "TLS1_0" -> "TLS 1.0"; other names as they are. */
const char	*tls_version_words(const char *protocol);
/* TLS 1.0, TLS 1.1, SSL 3 or SSL 2. */
bool		 tls_legacy_protocol(const char *protocol);

/*
 * The remote hosts whose sessions with server negotiated an old version,
 * as "10.0.5.40 (inbound)" and "203.0.113.77 (outbound)", sorted.
 */
void	 tls_legacy_peers(const struct evidence *, const char *server,
	    struct strlist *out);

/* What other servers' logs show about one remote host. */
struct tls_peer_seen {
	struct strlist	 servers;	/* servers with old-version sessions */
	const char	*best;		/* the newest old version seen */
	long		 sessions;
	bool		 modern;	/* any TLS 1.2 or 1.3 success with it */
	const struct ev_tls_agg	*sample;	/* the earliest such session */
};

/*
 * The successful sessions of servers other than except with remote in the
 * same direction. False when none negotiated an old version.
 */
bool	 tls_peer_seen(const struct evidence *, const char *remote,
	    bool receive, const char *except, struct tls_peer_seen *);
void	 tls_peer_seen_free(struct tls_peer_seen *);

#endif

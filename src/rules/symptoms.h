/*
 * Symptoms: what the bundle shows going wrong, whatever the cause. Failed
 * handshakes, queues in Retry or failing with a LastError, refusal
 * transcripts, transport events, and expired or missing certificates in use.
 * Rules link each symptom they explain to their finding; the generic rules
 * report the rest; the verdict counts both. Strings are borrowed from the
 * evidence, which outlives the list, except `text`.
 */
#ifndef CERTTRAIL_SYMPTOMS_H
#define CERTTRAIL_SYMPTOMS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/evidence.h"

enum symptom_type {
	SYM_TLS_FAILURE,	/* failed handshakes, one per log rollup */
	SYM_QUEUE,		/* a queue in Retry, or failing with a LastError */
	SYM_TRANSCRIPT,		/* a refusal or error transcript */
	SYM_EVENT,		/* a transport event about TLS or certificates */
	SYM_CERT_EXPIRED,	/* an expired certificate in use, without successor */
	SYM_CERT_MISSING,	/* a pinned certificate absent from a server that uses it */
	SYM_CONNECT_FAILURE,	/* "Failed to connect. Winsock error code" rows */
	SYM_RESPONSE		/* a deferral or NDR code in the logs (responses) */
};
#define SYM_NTYPES	(SYM_RESPONSE + 1)

struct symptom {
	enum symptom_type	 type;
	const char		*server;	/* NULL unknown */
	const char		*connector;
	const char		*thumbprint;
	const char		*error;		/* TLS error, queue LastError, ... */
	bool			 receive;	/* TLS: on a receive connector */
	long			 event_id;	/* SYM_EVENT */
	long			 winsock;	/* SYM_CONNECT_FAILURE: code, -1 unknown */
	const char		*code;		/* SYM_RESPONSE: "451 4.4.0" */
	const char		*remote;	/* destination or remote host */
	char			*text;		/* one line for people (owned) */
	const char		*source;	/* bundle path */
	long			 line;
	long			 count;
	int64_t			 first, last;
	/* first and last are the server's local clock, its offset unknown. */
	bool			 local;
	const void		*origin;	/* the evidence record */
	long			 finding_seq;	/* -1: explained by no finding */
};

struct symptom_list {
	struct symptom	*v;
	size_t		 n, cap;
};

/* Everything the evidence shows going wrong, at the as-of time. */
void	 symptoms_collect(const struct evidence *, int64_t as_of,
	    struct symptom_list *);
void	 symptoms_free(struct symptom_list *);
const char *symptom_type_name(enum symptom_type);	/* "tls_failure", ... */
/* How many symptoms the finding created seq-th explains; -1: all unlinked. */
long	 symptoms_linked(const struct symptom_list *, long seq);

/*
 * Whether a symptom says the connection itself failed (a connect failure
 * row, a queue or response naming a Winsock error, "Unable to connect",
 * 4.2.1): the network's business, never a certificate rule's.
 */
bool	 symptom_is_connect(const struct symptom *);

#endif

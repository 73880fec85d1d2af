/*
 * Shared by the event-driven rule paths only (event_rules.c): claiming one
 * event's symptom, and what a server's certificate inventory says about a
 * name an event reports no certificate for.
 */
#ifndef CERTTRAIL_EVENT_RULES_INT_H
#define CERTTRAIL_EVENT_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "rules.h"

/* The event's time for a sentence: local times said to be local. */
const char *event_time_words(const struct ev_event *, char *buf, size_t size);
/* Whether a name sought is a TlsCertificateName (<I>..<S>..). */
bool	 name_is_pinned(const char *);
/* "mail.contoso.com", or "the TlsCertificateName <I>..<S>.." (owned). */
char	*name_words(const char *);

/* Whether the event is a symptom no finding explains yet. */
bool	 event_unclaimed(const struct rule_ctx *, const struct ev_event *);
/* Links the event's symptom to f, with its evidence and time. */
long	 event_claim(struct rule_ctx *, struct finding *, const struct ev_event *);

/* What the inventory of a server says about a name (a host or <I>..<S>..). */
enum inv_verdict {
	INV_UNKNOWN,		/* no inventory of that server */
	INV_NONE,		/* no certificate there contains the name */
	INV_UNSURE,		/* none seen, but some are cut or masked */
	INV_NO_SMTP,		/* one contains it, not enabled for SMTP */
	INV_SERVICES_UNKNOWN,	/* one contains it, services not exported */
	INV_EXPIRED,		/* the one with SMTP expired */
	INV_NO_KEY,		/* the one with SMTP has no private key */
	INV_USABLE		/* a valid one with SMTP and its key */
};

struct inv_answer {
	enum inv_verdict	 verdict;
	const struct ev_cert	*cert;		/* the one the verdict names */
	size_t			 ncerts;	/* on the server */
	size_t			 unattributed;	/* in the bundle, on no server */
};

void	 inventory_answer(const struct rule_ctx *, const char *server,
	    const char *name, struct inv_answer *);
/* The answer in one sentence for people. */
char	*inventory_sentence(const struct rule_ctx *, const char *server,
	    const char *name, const struct inv_answer *);

#endif

/*
 * The rule catalog. Each rule is one function that reads the evidence and adds
 * findings (and the evidence gaps that kept it from deciding), linking the
 * symptoms it explains. A rule's file under rules/ defines its descriptor
 * (struct rule: the run function, the reference --list-rules and --explain
 * print, the fix facts of the first screen) beside the function; the list of
 * rules, in run order, is list.h. Adding a rule is its file and one row there.
 */
#ifndef CERTTRAIL_RULES_H
#define CERTTRAIL_RULES_H

#include <stdint.h>
#include <stdio.h>

#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "model/kinds/event.h"
#include "model/kinds/queue.h"
#include "model/kinds/receive_connector.h"
#include "model/kinds/send_connector.h"
#include "model/kinds/transport_service.h"
#include "findings.h"
#include "gaps.h"
#include "cert_queries.h"
#include "commands.h"
#include "symptoms.h"
#include "tls_rollup.h"

struct rule_ctx {
	const struct evidence	*ev;
	int64_t			 as_of;		/* TIME_UNKNOWN when unknown */
	struct findings		*out;
	struct gap_list		*gaps;
	struct symptom_list	*sym;
};

/* What applying a fix costs in mail flow. */
enum fix_downtime {
	FIX_NO_DOWNTIME,	/* no restart, no downtime */
	FIX_STOPS_TRANSPORT,	/* transport stopped on the servers: mail pauses */
	FIX_RESTARTS_SERVER,	/* the servers restart: mail pauses */
	FIX_RESTARTS_WEB,	/* OWA and ECP application pools restart */
	FIX_READ_ONLY		/* the next step only looks: nothing changes */
};

/* How a root-cause rule is fixed, in a manager's words (output/summary.h). */
struct fix_facts {
	const char		*problem;	/* "Outbound TLS fails because ..." */
	const char		*fix;		/* "Enable SMTP on the certificate" */
	const char		*risk;		/* "low", "medium"; NULL read only */
	enum fix_downtime	 downtime;
};

struct rule {
	const char	*id;		/* stable: never renamed */
	enum severity	 sev_min, sev_max;
	const char	*line;		/* one line: what it finds */
	const char	*checks;	/* what it checks, in which evidence */
	const char	*why;		/* why it matters */
	const char	*fix;		/* the fix, in outline */
	const char	*refs;		/* references, "; " between them */
	bool		 generic;	/* reports symptoms no other rule explains */
	void		(*run)(struct rule_ctx *);
	struct fix_facts facts;		/* the first screen's problem and fix */
};

/* A reference's prefix for Microsoft's documentation. */
#define REF_LEARN	"Microsoft Learn: "

/* In run order (list.h): specific rules first, then the generic ones. */
extern const struct rule *const rule_table[];
extern const size_t rule_count;

const struct rule *rule_find(const char *id);
/* The fix facts of a rule id, NULL when there is no such rule. */
const struct fix_facts *fix_facts_find(const char *id);
/* A finding's fix facts: its own when it has them, else its rule's. */
const struct fix_facts *finding_fix_facts(const struct finding *);
/* The rule id closest to a mistyped one, or NULL. */
const char *rule_suggest(const char *id);
void	 rules_print_list(FILE *);
/* Prints the rule's reference; false when there is no such rule. */
bool	 rules_explain(FILE *, const char *id);

/*
 * Collects the symptoms, runs every rule, links symptoms to findings, ranks
 * the findings and picks the root cause (none when symptoms exist and the
 * first-ranked finding explains none of them).
 */
void	 rules_analyze(const struct evidence *, int64_t as_of,
	    struct findings *, struct gap_list *, struct symptom_list *);
/* rules_analyze without keeping the symptoms. */
void	 rules_run_all(const struct evidence *, int64_t as_of,
	    struct findings *, struct gap_list *);

/* ------------------------------------------------ linking symptoms */

typedef bool (*symptom_match_fn)(const struct symptom *, const void *arg);
/*
 * Links every symptom no finding explains yet that `match` accepts to f, and
 * (add_evidence) adds it to f's evidence and time span. Returns how many.
 */
long	 rule_claim(struct rule_ctx *, struct finding *, symptom_match_fn,
	    const void *arg, bool add_evidence);
/*
 * The usual test: a symptom of one of `types` (1 << SYM_*), on `server` (or
 * on an unknown one), with these narrowing fields when set. `connector`
 * narrows TLS, missing-certificate, connect-failure and response symptoms; `thumbprint` those that carry
 * one (a TLS symptom without one does not match); `errors` (NULL-ended
 * substrings) the error text; events match only through `event_ids`
 * (0-ended) and, when set, `event_text` in their message.
 */
struct sym_match {
	unsigned		 types;
	const char		*server;
	const char		*connector;
	const char		*thumbprint;
	const char *const	*errors;
	const long		*event_ids;
	const char		*event_text;
	int			 receive;	/* -1 either, 0 send, 1 receive (TLS,
						 * responses) */
};
#define SYMBIT(t)	(1u << (t))
bool	 sym_match_std(const struct symptom *, const void *arg);
/* rule_claim with a sym_match. */
long	 rule_claim_std(struct rule_ctx *, struct finding *,
	    const struct sym_match *, bool add_evidence);

/* How many unexplained symptoms `match` accepts. */
long	 rule_count_unclaimed(const struct rule_ctx *, symptom_match_fn,
	    const void *arg);

/* ------------------------------------------------ helpers shared by rules */

/*
 * starttls-not-offered from the receive logs' EHLO answers: adds session
 * evidence to the starttls-not-offered findings among the first `upto`, and
 * reports the connectors only the logs show (rules/starttls_sessions.c).
 */
void	 starttls_from_sessions(struct rule_ctx *, size_t upto);

/* "A, B and C" for people. */
char	*join_names(const struct strlist *);
/* join_names() of servers, "a server the evidence does not name" when none. */
char	*join_servers(const struct strlist *);
/* The same with another last separator (" or "). */
char	*join_names_with(const struct strlist *, const char *last);

#endif

/*
 * The rule catalog. Each rule is one function that reads the evidence and adds
 * findings (and the evidence gaps that kept it from deciding), linking the
 * symptoms it explains. Adding a rule means adding a file under rules/ and a
 * row to the table in rules.c; the row also documents the rule for
 * --list-rules and --explain.
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
#include "output/report.h"
#include "cert_queries.h"
#include "symptoms.h"
#include "tls_rollup.h"

struct rule_ctx {
	const struct evidence	*ev;
	int64_t			 as_of;		/* TIME_UNKNOWN when unknown */
	struct findings		*out;
	struct gap_list		*gaps;
	struct symptom_list	*sym;
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
};

/* In run order: specific rules first, then the generic ones. */
extern const struct rule rule_table[];
extern const size_t rule_count;

const struct rule *rule_find(const char *id);
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

void	 rule_tls_cert_name_ambiguous(struct rule_ctx *);
void	 rule_smtp_service_not_enabled(struct rule_ctx *);
void	 rule_tls_cert_name_invalid(struct rule_ctx *);
void	 rule_tls_cert_name_not_found(struct rule_ctx *);
void	 rule_cert_no_private_key(struct rule_ctx *);
void	 rule_cert_expired(struct rule_ctx *);
void	 rule_internal_transport_cert(struct rule_ctx *);
void	 rule_starttls_not_offered(struct rule_ctx *);
void	 rule_connector_fqdn_not_covered(struct rule_ctx *);
void	 rule_hybrid_connector_config(struct rule_ctx *);
void	 rule_legacy_tls(struct rule_ctx *);
void	 rule_unknown_presented_cert(struct rule_ctx *);
void	 rule_cert_expiring(struct rule_ctx *);
void	 rule_cert_weak_crypto(struct rule_ctx *);
void	 rule_connect_failures(struct rule_ctx *);
void	 rule_tls_handshake_failures(struct rule_ctx *);
void	 rule_queue_retry(struct rule_ctx *);
void	 rule_protocol_logging_off(struct rule_ctx *);

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

/* A PowerShell double-quoted string literal with ` " $ escaped. */
char	*ps_quote(const char *);

#endif

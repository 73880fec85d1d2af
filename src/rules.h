/*
 * The rule catalog (RULES.md). Each rule is one function that reads the
 * evidence and adds findings (and the evidence gaps that kept it from
 * deciding). Adding a rule means adding a file under rules/ and a line to the
 * table in rules.c.
 */
#ifndef CERTTRAIL_RULES_H
#define CERTTRAIL_RULES_H

#include <stdint.h>

#include "evidence.h"
#include "findings.h"
#include "report.h"

struct rule_ctx {
	const struct evidence	*ev;
	int64_t			 as_of;		/* TIME_UNKNOWN when unknown */
	struct findings		*out;
	struct gap_list		*gaps;
};

struct rule {
	const char	*id;
	void		(*run)(struct rule_ctx *);
};

extern const struct rule rule_table[];
extern const size_t rule_count;

/* Runs every rule, then ranks the findings and picks the root cause. */
void	 rules_run_all(const struct evidence *, int64_t as_of,
	    struct findings *, struct gap_list *);

void	 rule_tls_cert_name_ambiguous(struct rule_ctx *);
void	 rule_smtp_service_not_enabled(struct rule_ctx *);

/* ------------------------------------------------ helpers shared by rules */

/* The certificates on `server` (NULL: on no known server) matching a name. */
struct cert_set {
	const struct ev_cert	**v;
	size_t			  n;
	size_t			  cap;
};
void	 cert_set_add(struct cert_set *, const struct ev_cert *);
bool	 cert_set_contains(const struct cert_set *, const struct ev_cert *);
void	 cert_set_free(struct cert_set *);
void	 certs_matching_name(const struct evidence *, const char *server,
	    const char *tls_certificate_name, struct cert_set *out);
/* The certificate on `server` with this thumbprint, or NULL. */
const struct ev_cert *cert_find(const struct evidence *, const char *server,
	    const char *thumbprint);

/*
 * Log aggregates are per file; evidence reads better per (server, connector,
 * certificate, outcome) over all files: a rollup keeps the total count, the
 * number of files, the time span and the earliest sample row.
 */
struct tls_rollup {
	const struct ev_tls_agg	*sample;	/* the earliest aggregate */
	long			 count;
	long			 files;
	int64_t			 first;
	int64_t			 last;
};
typedef bool (*tls_filter_fn)(const struct ev_tls_agg *, void *arg);
/* Returns the number of rollups in *out (to free()). */
size_t	 tls_rollup_build(const struct evidence *, tls_filter_fn, void *arg,
	    struct tls_rollup **out);

/* A PowerShell double-quoted string literal with ` " $ escaped. */
char	*ps_quote(const char *);

/*
 * A certificate's date: ISO text when it came from the certificate itself,
 * else "2026-11-18 08:02:11 (server local time)" as Format-List printed it.
 */
const char *cert_time(const struct ev_cert *, int64_t, char *buf, size_t size);

#endif

/*
 * legacy-tls from the servers' TLS settings as HealthChecker collects them
 * (kinds/tls_settings.h): called at the end of the rule, it says what the
 * settings of the servers whose handshakes are dropped or old show, gives
 * those findings the steps that follow from them (tls_log_steps.c), and
 * reports settings that leave TLS 1.2 off (medium) or older versions on
 * (low).
 */
#ifndef CERTTRAIL_TLS_SETTINGS_RULES_H
#define CERTTRAIL_TLS_SETTINGS_RULES_H

#include <stdbool.h>
#include <stddef.h>

struct rule_ctx;

/* One (server, remote host) pair whose handshakes the peer drops. */
struct tls_drop {
	const char	*server;
	const char	*remote;	/* NULL when the log names none */
	bool		 receive;
};

/*
 * dropped and legacy are the indices of the log findings (-1: none); drops
 * the pairs behind the first. Adds their cause and steps, which depend on
 * the settings: a server that offers TLS 1.2 is not fixed by a reboot.
 */
void	 legacy_tls_from_settings(struct rule_ctx *, long dropped,
	    long legacy, const struct tls_drop *drops, size_t ndrops);

/* What the settings of one server say about TLS 1.2. */
struct tls12 {
	bool	 disabled;	/* SCHANNEL: server or client side off */
	/*
	 * .NET 4 (Exchange's runtime) neither uses the system's TLS versions
	 * nor strong cryptography: it offers TLS 1.0 to whoever it calls.
	 */
	bool	 net_off;
	bool	 net_below;	/* a .NET 4 value not the recommended 1 */
	bool	 enabled;	/* both sides on and .NET 4 set to 1 */
	bool	 legacy_on;	/* TLS 1.0 or 1.1 enabled on a side */
	char	*why;		/* the settings in words (to free) */
};

struct ev_tls_settings;
struct finding;

void	 tls12_judge(const struct ev_tls_settings *, struct tls12 *);
/* Adds "SERVER (HealthChecker): text" to f's evidence. */
void	 tls12_evidence(struct finding *, const struct ev_tls_settings *,
	    const char *text);
/* The step that enables TLS 1.2 in SCHANNEL and .NET 4, with a reboot. */
void	 tls12_enable_step(struct finding *, const char *server,
	    const char *why);
/* Appends a sentence to f's explanation. */
void	 finding_explain_more(struct finding *, const char *sentence);

/*
 * The cause and steps of the log findings, from the settings of their
 * servers and what the logs show of the peers; the servers whose settings
 * a log finding already states go to explained.
 */
void	 legacy_tls_log_steps(struct rule_ctx *, long dropped, long legacy,
	    const struct tls_drop *drops, size_t ndrops,
	    struct strlist *explained);

#endif

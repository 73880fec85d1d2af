/*
 * legacy-tls from the servers' TLS settings as HealthChecker collects them
 * (kinds/tls_settings.h): called at the end of the rule, it says what the
 * settings of the servers whose handshakes are dropped show, and reports
 * settings that leave TLS 1.2 off (medium) or older versions on (low).
 */
#ifndef CERTTRAIL_TLS_SETTINGS_RULES_H
#define CERTTRAIL_TLS_SETTINGS_RULES_H

struct rule_ctx;

void	 legacy_tls_from_settings(struct rule_ctx *);

#endif

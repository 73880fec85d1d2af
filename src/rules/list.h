/*
 * The list of rules, in run order: one row each.
 *
 *   RULE(name)
 *
 * names the descriptor rule_<name> (struct rule, rules.h), which the rule's
 * file under rules/ defines beside its run function. The rules run in this
 * order, --list-rules prints it, and a finding found earlier may keep a
 * symptom from a later rule: specific rules first, the generic ones (which
 * take what no specific rule explains) last. Adding a rule is its file and
 * one row here.
 */
#ifndef CERTTRAIL_RULE_LIST_H
#define CERTTRAIL_RULE_LIST_H

#define RULE_LIST(RULE)				\
	RULE(tls_cert_name_ambiguous)		\
	RULE(smtp_service_not_enabled)		\
	RULE(tls_cert_name_invalid)		\
	RULE(tls_cert_name_not_found)		\
	RULE(cert_no_private_key)		\
	RULE(auth_certificate)			\
	RULE(cert_expired)			\
	RULE(internal_transport_cert)		\
	RULE(starttls_not_offered)		\
	RULE(connector_fqdn_not_covered)	\
	RULE(hybrid_connector_config)		\
	RULE(legacy_tls)			\
	RULE(unknown_presented_cert)		\
	RULE(cert_expiring)			\
	RULE(cert_weak_crypto)			\
	RULE(connect_failures)			\
	RULE(tls_handshake_failures)		\
	RULE(queue_retry)			\
	RULE(protocol_logging_off)

#endif

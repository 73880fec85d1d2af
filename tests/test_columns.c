/*
 * The table descriptions (src/output/columns_*.c) every writer iterates: each is
 * consistent (unique keys, a label and getter for every column, sane
 * widths, a reason for every output that leaves a column out, joins that
 * land on a page cell), findings.json's keys come in the contract's order,
 * and the getters read unknown as unknown.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "output/columns.h"
#include "rules/findings.h"
#include "model/kinds/cert.h"
#include "model/kinds/queue.h"

/* Excel's widest column; the workbook writes at most 32 columns a sheet. */
#define EXCEL_MAX_WIDTH	255.0
#define SHEET_MAX_COLS	32

static void
full_name(const struct column *c, char *buf, size_t size)
{
	if (c->parent != NULL)
		snprintf(buf, size, "%s.%s", c->parent, c->key);
	else
		snprintf(buf, size, "%s", c->key);
}

static void
check_column(const struct table *t, size_t i)
{
	const struct column	*c = &t->cols[i], *target;
	char			 a[128], b[128];
	size_t			 j;

	assert_non_null(c->key);
	assert_true(c->key[0] != '\0');
	assert_non_null(c->label);
	assert_true(c->label[0] != '\0');
	assert_non_null(c->get);
	assert_true(c->show != 0 && (c->show & ~OUT_ALL) == 0);
	/* Leaving an output out is deliberate, and says why. */
	if ((c->show & OUT_ALL) != OUT_ALL) {
		if (c->why == NULL || c->why[0] == '\0')
			fail_msg("%s.%s: shown in some outputs only, without "
			    "a reason", t->key, c->key);
	}
	if (c->show & OUT_XLSX) {
		if (c->width < 6 || c->width > EXCEL_MAX_WIDTH)
			fail_msg("%s.%s: width %g", t->key, c->key, c->width);
	}
	full_name(c, a, sizeof a);
	for (j = 0; j < t->ncols; j++) {
		if (j == i)
			continue;
		full_name(&t->cols[j], b, sizeof b);
		if (strcmp(a, b) == 0)
			fail_msg("%s: key %s twice", t->key, a);
		if (strcmp(c->label, t->cols[j].label) == 0 &&
		    (c->show & t->cols[j].show & (OUT_XLSX | OUT_HTML)))
			fail_msg("%s: label %s twice", t->key, c->label);
	}
	assert_true(table_column(t, a) == c);
	if (c->join != NULL) {
		/* A joined column shows in a cell the page has. */
		assert_true(c->show & OUT_HTML);
		target = table_column(t, c->join);
		if (target == NULL)
			fail_msg("%s.%s joins %s, which is not a column",
			    t->key, c->key, c->join);
		assert_true(target->show & OUT_HTML);
		assert_null(target->join);
		assert_null(c->head);
	}
	if (c->flags & COL_INLINE)
		assert_non_null(c->join);
	if (c->flags & COL_EXPIRY)
		assert_int_equal(c->type, COL_TIME);
	/* The page labels each local time itself. */
	if (c->type == COL_ZONE)
		assert_false(c->show & OUT_HTML);
}

static void
test_descriptions_consistent(void **state)
{
	const struct table *const	*tp;
	size_t				 i, nx;
	const char			*parent, *open, *closed;

	(void)state;
	for (tp = tables_all; *tp != NULL; tp++) {
		const struct table	*t = *tp;

		assert_non_null(t->key);
		assert_non_null(t->sheet);
		assert_true(strlen(t->sheet) <= 31);	/* Excel's limit */
		assert_non_null(t->rows);
		assert_true(t->size > 0);
		assert_true(t->ncols > 0);
		for (i = nx = 0; i < t->ncols; i++) {
			check_column(t, i);
			if (t->cols[i].show & OUT_XLSX)
				nx++;
		}
		assert_true(nx > 0 && nx <= SHEET_MAX_COLS);
		assert_true(t->freeze < nx);
		/* findings.json: an object's columns are written together. */
		closed = NULL;
		for (i = 0, open = NULL; i < t->ncols; i++) {
			parent = t->cols[i].parent;
			if (!(t->cols[i].show & OUT_JSON))
				continue;
			if (open != NULL && (parent == NULL ||
			    strcmp(open, parent) != 0))
				closed = open;
			if (parent != NULL && closed != NULL &&
			    strcmp(parent, closed) == 0)
				fail_msg("%s: %s's keys are apart", t->key, parent);
			open = parent;
		}
	}
}

/* The JSON keys of a table, in order, joined by spaces. */
static void
json_keys(const struct table *t, char *buf, size_t size)
{
	size_t	i, len = 0;
	char	name[128];

	buf[0] = '\0';
	for (i = 0; i < t->ncols; i++) {
		if (!(t->cols[i].show & OUT_JSON))
			continue;
		full_name(&t->cols[i], name, sizeof name);
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    len > 0 ? " " : "", name);
		assert_true(len < size);
	}
}

/* findings.json is a contract: its keys, in its order (docs/contract.md). */
static void
test_json_keys_in_contract_order(void **state)
{
	static const struct {
		const struct table	*t;
		const char		*keys;
	} want[] = {
		{ &table_certificates, "server thumbprint thumbprint_masked subject "
		  "subject_incomplete server_from issuer serial not_before "
		  "not_after dates_exact domains domains_incomplete services "
		  "status self_signed has_private_key root_ca_type key_bits "
		  "signature_algorithm friendly_name lifetime_days "
		  "lifetime_counted sources" },
		{ &table_send_connectors, "name enabled source_transport_servers "
		  "source_transport_servers_incomplete fqdn tls_certificate_name "
		  "require_tls tls_auth_level tls_domain smart_hosts "
		  "smart_hosts_incomplete address_spaces "
		  "address_spaces_incomplete protocol_logging_level "
		  "cloud_services_mail_enabled sources" },
		{ &table_receive_connectors, "server name identity enabled "
		  "bindings bindings_incomplete fqdn tls_certificate_name "
		  "auth_mechanism require_tls tls_domain_capabilities "
		  "protocol_logging_level transport_role sources" },
		{ &table_queues, "identity server delivery_type next_hop_domain "
		  "next_hop_connector tls_domain status message_count last_error "
		  "last_retry_time last_retry_time_exact source line" },
		{ &table_transport_services, "server "
		  "internal_transport_certificate send_protocol_log_path "
		  "receive_protocol_log_path "
		  "intra_org_connector_protocol_logging_level sources" },
		{ &table_tls_settings, "server tls1_0_server tls1_0_client "
		  "tls1_1_server tls1_1_client tls1_2_server tls1_2_client "
		  "tls1_3_server tls1_3_client net4_system_default_tls_versions "
		  "net4_sch_use_strong_crypto "
		  "net4_wow_system_default_tls_versions "
		  "net4_wow_sch_use_strong_crypto "
		  "net2_system_default_tls_versions net2_sch_use_strong_crypto "
		  "net2_wow_system_default_tls_versions "
		  "net2_wow_sch_use_strong_crypto security_protocol "
		  "auth_certificate next_auth_certificate auth_certificate_valid "
		  "internal_transport_certificate generated sources" },
		{ &table_events, "server time source id level message "
		  "id_by_wording connector fqdn certificate_name thumbprint "
		  "fallback_thumbprint certificate_subject certificate_issuer "
		  "hours_remaining expires evidence.source evidence.line" },
		{ &table_tls_outcomes, "server direction connector remote "
		  "certificate certificate_subject remote_certificate "
		  "remote_certificate_subject outcome error error_meaning "
		  "protocol cipher count first last samples" },
		{ &table_gaps, "what collect" },
		{ &table_diagnostics, "level source message" },
	};
	char	got[2048];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		json_keys(want[i].t, got, sizeof got);
		assert_string_equal(got, want[i].keys);
	}
}

static void
read_col(const struct table *t, const char *name, const void *row,
    const struct col_ctx *x, struct col_value *v)
{
	const struct column	*c = table_column(t, name);

	assert_non_null(c);
	col_read(c, row, x, v);
}

/* Unknown stays unknown; computed columns read the as-of time and findings. */
static void
test_getters(void **state)
{
	struct ev_cert		 c;
	struct ev_queue		 q;
	struct findings		 fs;
	struct finding		*f;
	struct col_ctx		 x = { .as_of = TIME_UNKNOWN, .findings = NULL };
	struct col_value	 v;

	(void)state;
	ev_cert_init(&c);
	read_col(&table_certificates, "key_bits", &c, &x, &v);
	assert_false(v.known);
	read_col(&table_certificates, "services", &c, &x, &v);
	assert_false(v.known);
	read_col(&table_certificates, "domains", &c, &x, &v);
	assert_false(v.known);
	read_col(&table_certificates, "self_signed", &c, &x, &v);
	assert_false(v.known);
	read_col(&table_certificates, "days_left", &c, &x, &v);
	assert_false(v.known);
	c.key_bits = 2048;
	c.not_after = 1794000000;
	c.thumbprint = (char *)"E7BA3D2484BA61BCB8E836B8889EC9AFC539EEA9";
	read_col(&table_certificates, "key_bits", &c, &x, &v);
	assert_true(v.known);
	assert_int_equal(v.n, 2048);
	/* Five days and an hour after expiry: expired five days ago. */
	x.as_of = 1794000000 + 5 * 86400 + 3600;
	read_col(&table_certificates, "days_left", &c, &x, &v);
	assert_true(v.known);
	assert_int_equal(v.n, -5);
	assert_true(v.b);
	/* Format-List dates are not exact, and say so. */
	read_col(&table_certificates, "not_after", &c, &x, &v);
	assert_false(v.exact);
	assert_string_equal(v.text, "server local time");
	col_value_clear(&v);

	memset(&fs, 0, sizeof fs);
	fs.root_cause = -1;
	f = findings_new(&fs, "smtp-service-not-enabled", SEV_CRITICAL);
	snprintf(f->id, sizeof f->id, "F1");
	strlist_add(&f->thumbprints, c.thumbprint);
	x.findings = &fs;
	x.finding_naming = findings_naming;
	read_col(&table_certificates, "named_in", &c, &x, &v);
	assert_true(v.known);
	assert_string_equal(v.s, "F1");

	/* A queue without a retry time: its zone is unknown (null). */
	ev_queue_init(&q);
	read_col(&table_queues, "last_retry_time_exact", &q, &x, &v);
	assert_false(v.known);
	read_col(&table_queues, "message_count", &q, &x, &v);
	assert_false(v.known);
	q.last_retry_time = 1794000000;
	read_col(&table_queues, "last_retry_time_exact", &q, &x, &v);
	assert_true(v.known);
	assert_false(v.exact);
	col_value_clear(&v);
	findings_free(&fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptions_consistent),
		cmocka_unit_test(test_json_keys_in_contract_order),
		cmocka_unit_test(test_getters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

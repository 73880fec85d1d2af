/*
 * The rule catalog on hand-built evidence: each rule fires on its case with
 * the right severity, servers, connectors, thumbprints and commands, stays
 * silent on its near miss, and the symptoms and the verdict come out right.
 * Receive connectors, transport services and events are built here directly,
 * so these rules are tested whatever reads them from a bundle.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/datetime.h"
#include "model/kinds/auth_config.h"
#include "output/report.h"
#include "rules/rules.h"
#include "rules/verdict.h"

#define DIGICERT "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
#define MAIL	"CN=mail.contoso.com, O=\"Contoso, Ltd.\", C=US"
#define PIN	"<I>" DIGICERT "<S>" MAIL
#define TP_MAIL	"A1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
#define TP_NEW	"B1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
#define TP_SS1	"C1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
#define TP_SS2	"D1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
#define TP_BOX	"E1B2C3D4E5F60718293A4B5C6D7E8F9012345678"

static int64_t
day(int y, unsigned m, unsigned d)
{
	return days_from_civil(y, m, d) * 86400;
}

#define AS_OF	day(2026, 11, 10)

struct fx {
	struct evidence		ev;
	struct findings		fs;
	struct gap_list		gaps;
	struct symptom_list	sym;
	struct verdict		v;
};

static struct ev_cert *
cert(struct fx *x, const char *server, const char *tp, const char *subject,
    int services, int64_t nb, int64_t na, const char *d1, const char *d2)
{
	struct ev_cert	c;

	ev_cert_init(&c);
	c.server = (char *)server;
	c.thumbprint = (char *)tp;
	c.subject = (char *)subject;
	c.issuer = (char *)(strcmp(subject, MAIL) == 0 ? DIGICERT : subject);
	c.services = services;
	c.not_before = nb;
	c.not_after = na;
	c.has_private_key = TRI_TRUE;
	c.key_bits = 2048;
	if (d1 != NULL)
		strlist_add(&c.domains, d1);
	if (d2 != NULL)
		strlist_add(&c.domains, d2);
	c.domains_known = true;
	c.ref.source = (char *)"certs.txt";
	c.ref.line = 1;
	x->ev.saw_cert_dump = true;
	{
		struct ev_cert *r = evidence_add_cert(&x->ev, &c);

		strlist_free(&c.domains);
		return r;
	}
}

/* The self-signed default certificate every server has. */
static void
defaults(struct fx *x, const char *server, const char *tp, int64_t na)
{
	char	subj[64], fqdn[64];

	snprintf(subj, sizeof subj, "CN=%s", server);
	snprintf(fqdn, sizeof fqdn, "%s.contoso.com", server);
	cert(x, server, tp, subj, SVC_IMAP | SVC_POP | SVC_SMTP, day(2021, 10, 1),
	    na, server, fqdn);
}

static void
connector(struct fx *x, const char *name, const char *pin, const char *s1,
    const char *s2, tri_t require_tls, const char *fqdn)
{
	struct ev_send_connector sc;

	ev_send_connector_init(&sc);
	sc.name = (char *)name;
	sc.tls_certificate_name = (char *)pin;
	strlist_add(&sc.source_servers, s1);
	if (s2 != NULL)
		strlist_add(&sc.source_servers, s2);
	sc.source_servers_known = true;
	sc.require_tls = require_tls;
	sc.enabled = TRI_TRUE;
	sc.fqdn = (char *)fqdn;
	sc.protocol_logging_level = (char *)"Verbose";
	sc.ref.source = (char *)"SendConnectors.txt";
	sc.ref.line = 1;
	sc.source_rank = 1;
	evidence_add_send_connector(&x->ev, &sc);
	strlist_free(&sc.source_servers);
	x->ev.saw_send_connector_dump = true;
}

static void
queue(struct fx *x, const char *server, const char *id, const char *hop,
    const char *status, long count, const char *error)
{
	struct ev_queue	q;
	char		ident[64];

	ev_queue_init(&q);
	snprintf(ident, sizeof ident, "%s\\%s", server, id);
	q.identity = ident;
	q.server = (char *)server;
	q.next_hop_domain = (char *)hop;
	q.status = (char *)status;
	q.message_count = count;
	q.last_error = (char *)error;
	q.last_retry_time = AS_OF - 600;
	q.ref.source = (char *)"queues.txt";
	q.ref.line = 3;
	evidence_add_queue(&x->ev, &q);
	x->ev.saw_queue_dump = true;
}

static void
tls(struct fx *x, const char *server, const char *conn, const char *tp,
    bool ok, const char *error, const char *protocol, int n)
{
	char			path[64];
	struct ev_tls_event	e = {
		.connector = conn, .cert_thumbprint = tp, .ok = ok, .error = error,
		.protocol = protocol, .line = 12, .text = "row",
	};
	int			i;

	snprintf(path, sizeof path, "%s/SmtpSend/SEND20261109-1.LOG", server);
	e.log_source = path;
	for (i = 0; i < n; i++) {
		e.time = AS_OF - 86400 + i * 60;
		evidence_add_tls(&x->ev, &e);
	}
	x->ev.logs.files = 1;
}

static void
receive(struct fx *x, const char *server, const char *name, const char *fqdn)
{
	struct ev_receive_connector rc;
	char			    id[96];

	ev_receive_connector_init(&rc);
	snprintf(id, sizeof id, "%s\\%s", server, name);
	rc.identity = id;
	rc.name = (char *)name;
	rc.server = (char *)server;
	rc.fqdn = (char *)fqdn;
	strlist_add(&rc.auth_mechanism, "Tls");
	strlist_add(&rc.auth_mechanism, "Integrated");
	rc.auth_mechanism_known = true;
	rc.enabled = TRI_TRUE;
	rc.ref.source = (char *)"ReceiveConnectors.txt";
	rc.ref.line = 4;
	evidence_add_receive_connector(&x->ev, &rc);
	strlist_free(&rc.auth_mechanism);
	x->ev.saw_receive_connector_dump = true;
}

static void
event(struct fx *x, const char *server, long id, const char *message)
{
	struct ev_event	e;

	ev_event_init(&e);
	e.server = (char *)server;
	e.time = AS_OF - 3600;
	e.provider = (char *)"MSExchangeTransport";
	e.id = id;
	e.level = (char *)"Error";
	e.message = (char *)message;
	e.ref.source = (char *)"events.csv";
	e.ref.line = 2;
	evidence_add_event(&x->ev, &e);
	x->ev.saw_event_log = true;
}

static void
transport(struct fx *x, const char *server, const char *tp)
{
	struct ev_transport_service ts;

	ev_transport_service_init(&ts);
	ts.server = (char *)server;
	ts.internal_transport_certificate = (char *)tp;
	ts.ref.source = (char *)"TransportServer.txt";
	ts.ref.line = 1;
	evidence_add_transport_service(&x->ev, &ts);
	x->ev.saw_transport_service_dump = true;
}

/* A TLS outcome with the remote host, as the receive and send logs write it. */
static void
tls_with(struct fx *x, const char *server, const char *conn, const char *tp,
    bool ok, const char *error, const char *protocol, const char *remote,
    int n)
{
	char			path[64];
	struct ev_tls_event	e = {
		.connector = conn, .cert_thumbprint = tp, .ok = ok, .error = error,
		.protocol = protocol, .line = 40, .text = "row",
		.remote_endpoint = remote,
	};
	int			i;

	snprintf(path, sizeof path, "%s/SmtpSend/SEND20261109-1.LOG", server);
	e.log_source = path;
	for (i = 0; i < n; i++) {
		e.time = AS_OF - 7200 + i * 60;
		evidence_add_tls(&x->ev, &e);
	}
	x->ev.logs.files = 1;
}

static void
connfail(struct fx *x, const char *server, const char *conn, long code,
    const char *dest, int n)
{
	char			path[64];
	struct ev_log_event	e = { .connector = conn, .line = 7,
	    .text = "2026-11-09T08:00:00.000Z,Outbound to Partners,08DE,1,,"
	    "198.51.100.25:25,*,,Failed to connect. Winsock error code: 10060",
	    .remote_endpoint = "198.51.100.25:25" };
	int			i;

	snprintf(path, sizeof path, "%s/SmtpSend/SEND20261109-1.LOG", server);
	e.log_source = path;
	for (i = 0; i < n; i++) {
		e.time = AS_OF - 3600 + i * 60;
		evidence_add_connect_failure(&x->ev, &e, code, dest);
	}
	x->ev.logs.files = 1;
}

static void
response(struct fx *x, const char *server, bool receive, const char *conn,
    const char *code, const char *text, int n)
{
	char			path[64];
	struct ev_log_event	e = { .connector = conn, .line = 9, .text = text,
	    .receive = receive, .remote_endpoint = "198.51.100.25:25" };
	int			i;

	snprintf(path, sizeof path, "%s/%s/X20261109-1.LOG", server,
	    receive ? "SmtpReceive" : "SmtpSend");
	e.log_source = path;
	for (i = 0; i < n; i++) {
		e.time = AS_OF - 1800 + i * 60;
		evidence_add_response(&x->ev, &e, code);
	}
	x->ev.logs.files = 1;
}

/* n inbound sessions from `remote`, from `t0` a minute apart. */
static void
inbound(struct fx *x, const char *server, const char *conn, bool starttls,
    bool anon, int tls_state, const char *remote, int64_t t0, int n)
{
	char			path[64];
	struct ev_log_event	e = { .connector = conn, .line = 3,
	    .receive = true, .remote_endpoint = remote };
	int			i;

	snprintf(path, sizeof path, "%s/SmtpReceive/RECV20261109-1.LOG", server);
	e.log_source = path;
	for (i = 0; i < n; i++) {
		e.time = t0 + i * 60;
		evidence_add_session(&x->ev, &e, starttls, anon, tls_state);
	}
	x->ev.logs.files = 1;
}

static const struct symptom *
symptom_of(const struct fx *x, enum symptom_type t, const char *needle)
{
	size_t	i;

	for (i = 0; i < x->sym.n; i++)
		if (x->sym.v[i].type == t && (needle == NULL ||
		    strstr(x->sym.v[i].text, needle) != NULL))
			return &x->sym.v[i];
	return NULL;
}

static const char *
linked_rule(const struct fx *x, const struct symptom *s)
{
	const struct finding *f = findings_by_seq(&x->fs, s->finding_seq);

	return f != NULL ? f->rule : "(none)";
}

static bool
has_evidence(const struct finding *f, const char *needle)
{
	size_t	i;

	for (i = 0; i < f->nevidence; i++)
		if (f->evidence[i].text != NULL &&
		    strstr(f->evidence[i].text, needle) != NULL)
			return true;
	return false;
}

static struct fx *
fx_new(void)
{
	struct fx	*x = calloc(1, sizeof *x);

	evidence_init(&x->ev);
	x->fs.root_cause = -1;
	return x;
}

static void
analyze(struct fx *x, int64_t as_of)
{
	evidence_finish(&x->ev);
	rules_analyze(&x->ev, as_of, &x->fs, &x->gaps, &x->sym);
	gaps_collect(&x->ev, &x->gaps);
	verdict_build(&x->ev, &x->fs, &x->sym, &x->gaps, as_of, &x->v);
}

static void
fx_free(struct fx *x)
{
	verdict_free(&x->v);
	symptoms_free(&x->sym);
	findings_free(&x->fs);
	gap_list_free(&x->gaps);
	evidence_free(&x->ev);
	free(x);
}

static const struct finding *
rule(const struct fx *x, const char *id)
{
	size_t	i;

	for (i = 0; i < x->fs.n; i++)
		if (strcmp(x->fs.v[i].rule, id) == 0)
			return &x->fs.v[i];
	return NULL;
}

static const char *
root_rule(const struct fx *x)
{
	return x->fs.root_cause >= 0 ? x->fs.v[x->fs.root_cause].rule : "(none)";
}

static bool
has_cmd(const struct finding *f, const char *needle)
{
	size_t	i;

	for (i = 0; i < f->nremediation; i++)
		if (f->remediation[i].command != NULL &&
		    strstr(f->remediation[i].command, needle) != NULL)
			return true;
	return false;
}

static void
assert_list(const struct strlist *l, const char *a, const char *b)
{
	assert_int_equal(l->n, b ? 2 : a ? 1 : 0);
	if (a)
		assert_true(strlist_contains_ci(l, a));
	if (b)
		assert_true(strlist_contains_ci(l, b));
}

/*
 * Nothing above low and no symptom: "no problem found" when the bundle holds
 * logs, queues or events that could have shown a failure, "not judged" when
 * it holds none.
 */
static void
assert_clear(const struct fx *x)
{
	size_t	i;

	for (i = 0; i < x->fs.n; i++)
		assert_true(x->fs.v[i].severity <= SEV_LOW);
	assert_int_equal(x->sym.n, 0);
	assert_int_equal(x->v.state, mail_flow_observable(&x->ev) ?
	    VERDICT_CLEAR : VERDICT_NOT_JUDGED);
}

/* ------------------------------------------------------------ the table */

static void
test_table_documents_every_rule(void **state)
{
	size_t	i, j;

	(void)state;
	assert_true(rule_count > 0);
	for (i = 0; i < rule_count; i++) {
		const struct rule *r = rule_table[i];

		assert_non_null(r->line);
		assert_non_null(r->checks);
		assert_non_null(r->why);
		assert_non_null(r->fix);
		assert_non_null(r->refs);
		assert_non_null(r->run);
		assert_true(r->sev_min <= r->sev_max);
		for (j = i + 1; j < rule_count; j++)
			assert_string_not_equal(r->id, rule_table[j]->id);
		/* The generic rules run last: they take what is left. */
		assert_true(!r->generic || i + 1 == rule_count ||
		    rule_table[i + 1]->generic);
		assert_ptr_equal(rule_find(r->id), r);
	}
	assert_null(rule_find("no-such-rule"));
	assert_string_equal(rule_suggest("cert-expird"), "cert-expired");
	assert_string_equal(rule_suggest("ambiguous"), "tls-cert-name-ambiguous");
}

/*
 * Every rule that can name the root cause has its fix in a manager's words
 * (its fix facts), with a risk unless the next step only looks; the plain
 * problem never carries a thumbprint.
 */
static void
test_every_rule_has_fix_facts(void **state)
{
	const struct fix_facts	*ff;
	size_t			 i, j, run;

	(void)state;
	for (i = 0; i < rule_count; i++) {
		ff = fix_facts_find(rule_table[i]->id);
		assert_non_null(ff);
		assert_non_null(ff->problem);
		assert_non_null(ff->fix);
		assert_true(ff->downtime == FIX_READ_ONLY || ff->risk != NULL);
		for (j = run = 0; ff->problem[j] != '\0'; j++) {
			run = strchr("0123456789ABCDEF", ff->problem[j]) != NULL ?
			    run + 1 : 0;
			assert_true(run < 40);
		}
	}
	assert_null(fix_facts_find("no-such-rule"));
}

static void
test_wildcards_cover_one_label(void **state)
{
	(void)state;
	assert_true(host_covered_by("*.contoso.com", "mail.contoso.com"));
	assert_false(host_covered_by("*.contoso.com", "relay.mail.contoso.com"));
	assert_false(host_covered_by("*.contoso.com", "contoso.com"));
	assert_true(host_covered_by("MAIL.contoso.com", "mail.CONTOSO.com"));
	assert_false(host_covered_by("mail.contoso.com", "mail.contoso.co"));
}

/* ------------------------------------------------------ not found, invalid */

static void
test_not_found_on_one_source_server(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	defaults(x, "EXHUB2", TP_SS2, day(2029, 1, 1));
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	connector(x, "Outbound to Partners", PIN, "EXHUB1", "EXHUB2", TRI_TRUE,
	    "mail.contoso.com");
	queue(x, "EXHUB2", "12", "fabrikam.com", "Retry", 41, "451 4.4.0 ... \"454 "
	    "4.7.5 The certificate specified in TlsCertificateName of the "
	    "SendConnector could not be found.\"");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "tls-cert-name-not-found"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_list(&f->servers, "EXHUB2", NULL);
	assert_list(&f->connectors, "Outbound to Partners", NULL);
	assert_list(&f->thumbprints, TP_MAIL, NULL);
	assert_true(has_cmd(f, "Import-ExchangeCertificate -Server EXHUB2"));
	assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB2 "
	    "-Thumbprint " TP_MAIL " -Services SMTP"));
	assert_false(has_cmd(f, "Import-ExchangeCertificate -Server EXHUB1"));
	/* The same fault is not reported again as an FQDN or queue problem. */
	assert_null(rule(x, "connector-fqdn-not-covered"));
	assert_null(rule(x, "queue-retry"));
	assert_string_equal(root_rule(x), "tls-cert-name-not-found");
	assert_int_equal(x->v.state, VERDICT_ROOT_CAUSE);
	assert_int_equal(x->v.unexplained, 0);
	fx_free(x);
}

static void
test_not_found_needs_the_inventory(void **state)
{
	struct fx	*x = fx_new();

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	/* EXHUB2 has no inventory in the bundle: absence is unknown. */
	connector(x, "Outbound to Partners", PIN, "EXHUB1", "EXHUB2", TRI_TRUE,
	    NULL);
	analyze(x, AS_OF);
	assert_null(rule(x, "tls-cert-name-not-found"));
	assert_clear(x);
	fx_free(x);
}

static void
test_invalid_name_is_not_also_not_found(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	connector(x, "Outbound to Partners", "CN=mail.contoso.com", "EXHUB1", NULL,
	    TRI_TRUE, NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "tls-cert-name-invalid"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_list(&f->thumbprints, TP_MAIL, NULL);
	assert_true(has_cmd(f, "Set-SendConnector 'Outbound to Partners' "
	    "-TlsCertificateName"));
	assert_null(rule(x, "tls-cert-name-not-found"));
	fx_free(x);
}

static void
test_receive_connector_pin_checked_on_its_server(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	struct ev_receive_connector rc;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	cert(x, "EXHUB2", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	ev_receive_connector_init(&rc);
	rc.identity = (char *)"EXHUB1\\Partners Inbound";
	rc.name = (char *)"Partners Inbound";
	rc.server = (char *)"EXHUB1";
	rc.fqdn = (char *)"mail.contoso.com";
	rc.tls_certificate_name = (char *)PIN;
	rc.enabled = TRI_TRUE;
	evidence_add_receive_connector(&x->ev, &rc);
	event(x, "EXHUB1", 12014, "Microsoft Exchange could not find a "
	    "certificate that contains the domain name mail.contoso.com");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "tls-cert-name-not-found"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_list(&f->servers, "EXHUB1", NULL);
	assert_list(&f->connectors, "EXHUB1\\Partners Inbound", NULL);
	assert_true(has_cmd(f, "Set-ReceiveConnector 'EXHUB1\\Partners Inbound'"));
	assert_int_equal(x->v.unexplained, 0);
	fx_free(x);
}

/*
 * A Receive connector that pins a certificate without SMTP: medium from the
 * configuration alone, critical with the inbound failures of the receive
 * logs; Set-ReceiveConnector, never Set-SendConnector, and no Retry-Queue
 * (the senders hold the mail).
 */
static void
test_smtp_not_enabled_on_a_receive_pin(void **state)
{
	struct fx		*x;
	const struct finding	*f;
	struct ev_receive_connector rc;
	struct ev_tls_event	 e = { .receive = true, .connector =
	    "EXHUB1\\Default Frontend EXHUB1", .cert_thumbprint = TP_MAIL,
	    .error = "UnknownCredentials", .line = 9, .text = "row",
	    .log_source = "EXHUB1/SmtpReceive/RECV20261109-1.LOG" };
	int			 i, run;

	(void)state;
	for (run = 0; run < 2; run++) {
		x = fx_new();
		defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
		cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS, day(2026, 11, 6),
		    day(2027, 11, 6), "mail.contoso.com", NULL);
		ev_receive_connector_init(&rc);
		rc.identity = (char *)"EXHUB1\\Default Frontend EXHUB1";
		rc.name = (char *)"Default Frontend EXHUB1";
		rc.server = (char *)"EXHUB1";
		rc.fqdn = (char *)"mail.contoso.com";
		rc.tls_certificate_name = (char *)PIN;
		rc.enabled = TRI_TRUE;
		evidence_add_receive_connector(&x->ev, &rc);
		for (i = 0; run == 1 && i < 182; i++) {
			e.time = AS_OF - 86400 + i * 60;
			evidence_add_tls(&x->ev, &e);
			x->ev.logs.files = 1;
		}
		analyze(x, AS_OF);
		assert_non_null(f = rule(x, "smtp-service-not-enabled"));
		assert_int_equal(f->severity, run ? SEV_CRITICAL : SEV_MEDIUM);
		assert_list(&f->connectors, "EXHUB1\\Default Frontend EXHUB1",
		    NULL);
		assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB1 "
		    "-Thumbprint " TP_MAIL " -Services IIS,SMTP"));
		assert_true(has_cmd(f, "Set-ReceiveConnector 'EXHUB1\\Default "
		    "Frontend EXHUB1'"));
		assert_false(has_cmd(f, "Set-SendConnector"));
		assert_false(has_cmd(f, "Retry-Queue"));
		assert_null(strstr(f->title, "Outbound"));
		assert_non_null(strstr(f->explanation, "Receive connector"));
		if (run == 1) {
			assert_non_null(strstr(f->explanation, "182 inbound"));
			assert_string_equal(root_rule(x),
			    "smtp-service-not-enabled");
		}
		fx_free(x);
	}

	/* On the client submission connector (port 587) the senders are
	 * clients, not partners. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS, day(2026, 11, 6),
	    day(2027, 11, 6), "mail.contoso.com", NULL);
	ev_receive_connector_init(&rc);
	rc.identity = (char *)"EXHUB1\\Client Frontend EXHUB1";
	rc.name = (char *)"Client Frontend EXHUB1";
	rc.server = (char *)"EXHUB1";
	rc.tls_certificate_name = (char *)PIN;
	strlist_add(&rc.bindings, "0.0.0.0:587");
	rc.bindings_known = true;
	rc.enabled = TRI_TRUE;
	evidence_add_receive_connector(&x->ev, &rc);
	strlist_free(&rc.bindings);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "smtp-service-not-enabled"));
	assert_non_null(strstr(f->explanation, "client submission connector"));
	assert_null(strstr(f->explanation, "partners"));
	fx_free(x);
}

static void
test_lowercase_tags_are_valid(void **state)
{
	struct fx	*x = fx_new();

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	connector(x, "Outbound to Partners", "<i>" DIGICERT "<s>" MAIL, "EXHUB1",
	    NULL, TRI_TRUE, "mail.contoso.com");
	analyze(x, AS_OF);
	assert_null(rule(x, "tls-cert-name-invalid"));
	assert_null(rule(x, "tls-cert-name-not-found"));
	assert_clear(x);
	fx_free(x);
}

/* ------------------------------------------------------------- expiry */

static void
test_expired_only_smtp_cert_on_every_server(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2026, 10, 1));
	defaults(x, "EXHUB2", TP_SS2, day(2026, 10, 1));
	connector(x, "Internet", NULL, "EXHUB1", "EXHUB2", TRI_FALSE, NULL);
	tls(x, "EXHUB1", "Internet", TP_SS1, false, "CertExpired", NULL, 30);
	tls(x, "EXHUB2", "Internet", TP_SS2, false, "CertExpired", NULL, 30);
	queue(x, "EXHUB1", "7", "fabrikam.com", "Retry", 25, "451 4.4.0 Primary "
	    "target IP address responded with: \"421 4.4.1 Connection timed out.\"");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expired"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_list(&f->servers, "EXHUB1", "EXHUB2");
	assert_list(&f->thumbprints, TP_SS1, TP_SS2);
	assert_true(has_cmd(f, "New-ExchangeCertificate -Server EXHUB1"));
	assert_true(has_cmd(f, "New-ExchangeCertificate -Server EXHUB2"));
	assert_null(rule(x, "tls-handshake-failures"));
	assert_null(rule(x, "connect-failures"));
	assert_null(rule(x, "queue-retry"));
	assert_string_equal(root_rule(x), "cert-expired");
	assert_int_equal(x->v.state, VERDICT_ROOT_CAUSE);
	assert_int_equal(x->v.unexplained, 0);
	fx_free(x);
}

static void
test_expiry_is_judged_at_the_as_of_time(void **state)
{
	struct fx	*x = fx_new();

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	analyze(x, day(2027, 6, 1));
	assert_non_null(rule(x, "cert-expired"));
	fx_free(x);
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	analyze(x, day(2026, 6, 1));
	assert_null(rule(x, "cert-expired"));
	assert_null(rule(x, "cert-expiring"));
	assert_clear(x);
	fx_free(x);
}

/*
 * An en-GB console printed every date with both fields at most 12, so the
 * file's day/month order is unknown and no NotAfter was read. Exchange's
 * own status still tells them apart: the old certificate DateInvalid, its
 * renewal (same issuer and subject, pinned by the same connector) Valid.
 * The renewal is a successor, the server keeps a valid SMTP certificate,
 * and the ambiguity's steps remove the old one, not neither.
 */
static void
test_undated_renewal_known_by_status(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	struct ev_cert		*c;

	(void)state;
	c = cert(x, "LONEX01", TP_MAIL, MAIL, SVC_SMTP, TIME_UNKNOWN,
	    TIME_UNKNOWN, "mail.contoso.com", NULL);
	c->status = xstrdup("DateInvalid");
	c->not_after_written = xstrdup("03/11/2026 10:00:00");
	c = cert(x, "LONEX01", TP_NEW, MAIL, SVC_IIS | SVC_SMTP, TIME_UNKNOWN,
	    TIME_UNKNOWN, "mail.contoso.com", NULL);
	c->status = xstrdup("Valid");
	connector(x, "Outbound to Partners", PIN, "LONEX01", NULL, TRI_TRUE,
	    NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expired"));
	assert_int_equal(f->severity, SEV_LOW);
	assert_null(strstr(f->explanation, "no valid SMTP certificate left"));
	assert_null(strstr(f->title, "unknown"));
	assert_non_null(f = rule(x, "tls-cert-name-ambiguous"));
	assert_true(has_cmd(f, "Remove-ExchangeCertificate -Server LONEX01 "
	    "-Thumbprint " TP_MAIL));
	assert_false(has_cmd(f, "Remove-ExchangeCertificate -Server LONEX01 "
	    "-Thumbprint " TP_NEW));
	fx_free(x);

	/*
	 * DateInvalid also means not yet valid: a renewal whose NotAfter reads
	 * 12 November or 11 December 2027 has not expired, and is never
	 * removed as the old one.
	 */
	x = fx_new();
	c = cert(x, "LONEX01", TP_MAIL, MAIL, SVC_SMTP, TIME_UNKNOWN,
	    TIME_UNKNOWN, "mail.contoso.com", NULL);
	c->status = xstrdup("Valid");
	c = cert(x, "LONEX01", TP_NEW, MAIL, SVC_IIS | SVC_SMTP, TIME_UNKNOWN,
	    TIME_UNKNOWN, "mail.contoso.com", NULL);
	c->status = xstrdup("DateInvalid");
	c->not_before_written = xstrdup("12/11/2026 09:15:40");
	c->not_after_written = xstrdup("12/11/2027 09:15:40");
	connector(x, "Outbound to Partners", PIN, "LONEX01", NULL, TRI_TRUE,
	    NULL);
	analyze(x, AS_OF);
	assert_null(rule(x, "cert-expired"));
	if ((f = rule(x, "tls-cert-name-ambiguous")) != NULL)
		assert_false(has_cmd(f, "-Thumbprint " TP_NEW));
	fx_free(x);

	/* Without the renewal: critical, its date as written, never "unknown". */
	x = fx_new();
	c = cert(x, "LONEX01", TP_MAIL, MAIL, SVC_SMTP, TIME_UNKNOWN,
	    TIME_UNKNOWN, "mail.contoso.com", NULL);
	c->status = xstrdup("DateInvalid");
	c->not_after_written = xstrdup("03/11/2026 10:00:00");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expired"));
	assert_non_null(strstr(f->title, "expired on 03/11/2026 10:00:00 (as "
	    "written)"));
	assert_non_null(strstr(f->explanation, "no valid SMTP certificate "
	    "left"));
	fx_free(x);
}

/*
 * The console cut the domain list at four names ("{a, b, c, d...}"): a
 * request for those four would drop the rest, so the renewal reads the
 * whole list from the server.
 */
static void
test_renewal_of_a_cut_domain_list(void **state)
{
	struct fx	*x = fx_new();
	struct ev_cert	*c;
	const struct finding *f;

	(void)state;
	c = cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP,
	    day(2025, 11, 1), AS_OF - 86400, "mail.contoso.com",
	    "autodiscover.contoso.com");
	c->domains_incomplete = true;
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expired"));
	assert_true(has_cmd(f, "-DomainName ((Get-ExchangeCertificate -Server "
	    "EXHUB1 -Thumbprint " TP_MAIL ").CertificateDomains | "
	    "ForEach-Object { $_.ToString() })"));
	assert_false(has_cmd(f, "-DomainName mail.contoso.com"));
	fx_free(x);

	/*
	 * An ASCII export lost the umlauts ("O=M?ller") and gave no domain
	 * list: both are read from the server, never requested as printed.
	 */
	x = fx_new();
	c = cert(x, "EXSRV01", TP_MAIL, "CN=mail.mueller.de, O=M?ller GmbH",
	    SVC_IIS | SVC_SMTP, day(2025, 11, 1), AS_OF - 86400, NULL, NULL);
	c->subject_lossy = true;
	c->domains_known = false;
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expired"));
	assert_true(has_cmd(f, "-SubjectName (Get-ExchangeCertificate -Server "
	    "EXSRV01 -Thumbprint " TP_MAIL ").Subject"));
	assert_true(has_cmd(f, "-DomainName ((Get-ExchangeCertificate -Server "
	    "EXSRV01 -Thumbprint " TP_MAIL ").CertificateDomains"));
	assert_false(has_cmd(f, "M?ller"));
	fx_free(x);
}

static void
test_expired_with_successor_is_low(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 3, 1),
	    day(2026, 3, 1), "mail.contoso.com", NULL);
	cert(x, "EXHUB1", TP_NEW, MAIL, SVC_IIS | SVC_SMTP, day(2026, 2, 20),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expired"));
	assert_int_equal(f->severity, SEV_LOW);
	assert_true(has_cmd(f, "Remove-ExchangeCertificate -Server EXHUB1 "
	    "-Thumbprint " TP_MAIL));
	assert_clear(x);
	fx_free(x);
}

static void
test_expiring_unless_a_successor_is_installed(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 12, 1),
	    AS_OF + 20 * 86400, "mail.contoso.com", NULL);
	event(x, "EXHUB1", 12018, "The STARTTLS certificate will expire soon");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expiring"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_int_equal(x->v.state, VERDICT_ROOT_CAUSE);
	assert_int_equal(x->v.unexplained, 0);	/* the 12018 event is its */
	fx_free(x);

	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 12, 1),
	    AS_OF + 45 * 86400, "mail.contoso.com", NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expiring"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	fx_free(x);

	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 12, 1),
	    AS_OF + 20 * 86400, "mail.contoso.com", NULL);
	cert(x, "EXHUB1", TP_NEW, MAIL, SVC_IIS | SVC_SMTP, day(2026, 11, 1),
	    day(2027, 11, 1), "mail.contoso.com", NULL);
	analyze(x, AS_OF);
	assert_null(rule(x, "cert-expiring"));
	assert_clear(x);
	fx_free(x);

	/* Warnings about the old one are housekeeping, and accounted for. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 12, 1),
	    AS_OF + 20 * 86400, "mail.contoso.com", NULL);
	cert(x, "EXHUB1", TP_NEW, MAIL, SVC_IIS | SVC_SMTP, day(2026, 11, 1),
	    day(2027, 11, 1), "mail.contoso.com", NULL);
	event(x, "EXHUB1", 12018, "The STARTTLS certificate will expire soon");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expiring"));
	assert_int_equal(f->severity, SEV_LOW);
	assert_null(rule(x, "tls-handshake-failures"));
	assert_int_equal(x->v.unexplained, 0);
	assert_int_not_equal(x->v.state, VERDICT_CLEAR);
	fx_free(x);
}

/*
 * The renewal bought for both servers is imported on EXHUB1 only: EXHUB2's
 * finding names it and copies it over (export there, import and enable
 * here), with no new request to the CA. A self-signed "renewal" elsewhere
 * is that server's own and copies nothing.
 */
/* 11 hours left, in UTC: "in 11 hours", never "in 0 days". */
static void
test_expiring_within_a_day(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 11, 1),
	    AS_OF + 11 * 3600, "mail.contoso.com", NULL)->dates_exact = true;
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expiring"));
	assert_non_null(strstr(f->title, "expires in 11 hours ("));
	assert_null(strstr(f->title, "0 days"));
	assert_non_null(strstr(f->explanation, "11 hours after the as-of "
	    "time"));
	fx_free(x);

	/*
	 * Enabled for IIS only: its expiry shows clients a warning; it is
	 * not said to break mail.
	 */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS, day(2025, 11, 1),
	    AS_OF + 20 * 86400, "legacy.contoso.com", NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expiring"));
	assert_non_null(strstr(f->explanation, "used for IIS"));
	assert_null(strstr(f->explanation, "Exchange Online"));
	fx_free(x);
}

static void
test_expiring_renewal_on_another_server(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	size_t			 i;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 12, 1),
	    AS_OF + 20 * 86400, "mail.contoso.com", NULL);
	cert(x, "EXHUB2", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 12, 1),
	    AS_OF + 20 * 86400, "mail.contoso.com", NULL);
	cert(x, "EXHUB1", TP_NEW, MAIL, SVC_IIS | SVC_SMTP, day(2026, 11, 1),
	    day(2027, 11, 1), "mail.contoso.com", NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expiring"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_list(&f->servers, "EXHUB2", NULL);
	assert_non_null(strstr(f->title, "its renewal " TP_NEW " is installed "
	    "on EXHUB1, not on EXHUB2"));
	assert_true(has_cmd(f, "$pfx = Export-ExchangeCertificate -Server EXHUB1 "
	    "-Thumbprint " TP_NEW " -BinaryEncoded -Password $pw"));
	assert_true(has_cmd(f, "Import-ExchangeCertificate -Server EXHUB2 "
	    "-FileData $pfx.FileData -Password $pw"));
	assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB2 "
	    "-Thumbprint " TP_NEW " -Services IIS,SMTP"));
	assert_true(has_cmd(f, "Remove-ExchangeCertificate -Server EXHUB2 "
	    "-Thumbprint " TP_MAIL));
	for (i = 0; i < f->nremediation; i++)
		assert_true(f->remediation[i].command == NULL ||
		    strstr(f->remediation[i].command, "-GenerateRequest") == NULL);
	fx_free(x);

	x = fx_new();
	cert(x, "EXHUB2", TP_SS1, "CN=EXHUB2", SVC_IIS | SVC_SMTP,
	    day(2021, 12, 1), AS_OF + 20 * 86400, "EXHUB2", NULL)->self_signed =
	    TRI_TRUE;
	cert(x, "EXHUB1", TP_SS2, "CN=EXHUB2", SVC_IIS | SVC_SMTP,
	    day(2026, 11, 1), day(2031, 11, 1), "EXHUB2", NULL)->self_signed =
	    TRI_TRUE;
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-expiring"));
	assert_null(strstr(f->title, "installed on EXHUB1"));
	assert_false(has_cmd(f, "Export-ExchangeCertificate"));
	fx_free(x);
}

/*
 * Inventories collected before the renewal was installed: both servers list
 * only mail.contoso.com A1B2... (20 days left), but EXHUB1's Send log shows
 * renewal B1B2... (same subject and issuer, NotAfter a year later in the
 * log's certificate row) presented in 35 successful handshakes. Exchange
 * logs the certificate it presents itself, so EXHUB1 has the renewal: no
 * "no successor" there (low, confirm its services), and EXHUB2 copies it
 * from EXHUB1 instead of requesting another. Neither finding speaks of a
 * firewall or load balancer, and the pinning connector is unpinned around
 * the old certificate's removal (Remove-ExchangeCertificate refuses it).
 */
static void
test_expiring_renewal_seen_in_the_logs(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f, *g = NULL;
	struct ev_tls_event	 e = {
		.connector = "Outbound to Partners", .cert_thumbprint = TP_NEW,
		.cert_subject = MAIL, .cert_issuer = DIGICERT, .ok = true,
		.protocol = "TLS1_2", .line = 40, .text = "row",
		.log_source = "EXHUB1/SmtpSend/SEND20261109-1.LOG",
		.cert_not_before = AS_OF - 4 * 86400,
		.cert_not_after = AS_OF + 375 * 86400,
	};
	size_t			 i;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 12, 1),
	    AS_OF + 20 * 86400, "mail.contoso.com", NULL);
	cert(x, "EXHUB2", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2025, 12, 1),
	    AS_OF + 20 * 86400, "mail.contoso.com", NULL);
	connector(x, "Outbound to Partners", PIN, "EXHUB1", "EXHUB2", TRI_TRUE,
	    NULL);
	for (i = 0; i < 35; i++) {
		e.time = AS_OF - 36 * 3600 + (int64_t)i * 600;
		evidence_add_tls(&x->ev, &e);
	}
	x->ev.logs.files = 1;
	analyze(x, AS_OF);
	for (i = 0; i < x->fs.n; i++) {
		f = &x->fs.v[i];
		assert_null(strstr(f->explanation, "firewall"));
		if (strcmp(f->rule, "unknown-presented-cert") == 0) {
			assert_int_equal(f->severity, SEV_MEDIUM);
			assert_non_null(strstr(f->explanation, "renewal"));
		}
		if (strcmp(f->rule, "cert-expiring") != 0)
			continue;
		assert_null(strstr(f->title, "no successor"));
		assert_false(has_cmd(f, "-GenerateRequest"));
		if (strlist_contains_ci(&f->servers, "EXHUB1")) {
			assert_int_equal(f->severity, SEV_LOW);
			assert_non_null(strstr(f->explanation, "35 successful "
			    "handshakes"));
			assert_true(has_cmd(f, "Get-ExchangeCertificate -Server "
			    "EXHUB1 -Thumbprint " TP_NEW));
		} else {
			g = f;
			assert_int_equal(f->severity, SEV_HIGH);
			assert_non_null(strstr(f->title, "its renewal " TP_NEW
			    " is in use on EXHUB1, not on EXHUB2"));
			assert_true(has_cmd(f, "Export-ExchangeCertificate -Server "
			    "EXHUB1 -Thumbprint " TP_NEW));
			assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server "
			    "EXHUB2 -Thumbprint " TP_NEW " -Services IIS,SMTP"));
		}
		assert_true(has_cmd(f, "Set-SendConnector -Identity 'Outbound to "
		    "Partners' -TlsCertificateName $null"));
		assert_true(has_cmd(f, "-TlsCertificateName '<I>"));
	}
	assert_non_null(g);
	assert_non_null(rule(x, "unknown-presented-cert"));
	fx_free(x);
}

/*
 * A renewal installed with fewer services than the certificate it renews
 * is no "no successor": the finding names it and what it lacks, once for
 * every server that holds the pair, at medium, with the command that
 * enables the missing services on its real thumbprint.
 */
static void
test_expiring_successor_short_of_services(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	size_t			 i, n = 0;

	(void)state;
	for (i = 0; i < 2; i++) {
		const char *srv = i == 0 ? "EXHUB1" : "EXHUB2";

		cert(x, srv, TP_MAIL, MAIL, SVC_IMAP | SVC_POP | SVC_IIS |
		    SVC_SMTP, day(2025, 11, 25), AS_OF + 15 * 86400,
		    "mail.contoso.com", NULL);
		cert(x, srv, TP_NEW, MAIL, SVC_IIS | SVC_SMTP, day(2026, 11, 1),
		    day(2027, 11, 25), "mail.contoso.com", NULL);
	}
	tls(x, "EXHUB1", "Outbound to Partners", TP_NEW, true, NULL, "TLS1_2",
	    3);
	analyze(x, AS_OF);
	for (i = 0; i < x->fs.n; i++)
		if (strcmp(x->fs.v[i].rule, "cert-expiring") == 0)
			n++;
	assert_int_equal(n, 1);
	assert_non_null(f = rule(x, "cert-expiring"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_list(&f->servers, "EXHUB1", "EXHUB2");
	assert_list(&f->thumbprints, TP_MAIL, TP_NEW);
	assert_non_null(strstr(f->title, TP_NEW));
	assert_non_null(strstr(f->title, "IMAP and POP"));
	assert_null(strstr(f->title, "no successor"));
	assert_null(strstr(f->explanation, "no successor"));
	assert_non_null(strstr(f->explanation, "already presents the renewal: "
	    "3 successful"));
	assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB1 "
	    "-Thumbprint " TP_NEW " -Services IMAP,POP,IIS,SMTP"));
	assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB2 "
	    "-Thumbprint " TP_NEW " -Services IMAP,POP,IIS,SMTP"));
	assert_false(has_cmd(f, "-GenerateRequest"));
	/*
	 * IMAP and POP read their certificate when they start: the running
	 * front-end and back-end services are restarted, a stopped one is
	 * never started.
	 */
	assert_true(has_cmd(f, "Get-Service MSExchangeIMAP4,MSExchangeIMAP4BE,"
	    "MSExchangePOP3,MSExchangePOP3BE | Where-Object {$_.Status -eq "
	    "'Running'} | Restart-Service"));
	fx_free(x);

	/* The near miss: a renewal with every service leaves nothing to do. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IMAP | SVC_POP | SVC_IIS | SVC_SMTP,
	    day(2025, 11, 25), AS_OF + 15 * 86400, "mail.contoso.com", NULL);
	cert(x, "EXHUB1", TP_NEW, MAIL, SVC_IMAP | SVC_POP | SVC_IIS | SVC_SMTP,
	    day(2026, 11, 1), day(2027, 11, 25), "mail.contoso.com", NULL);
	analyze(x, AS_OF);
	assert_null(rule(x, "cert-expiring"));
	assert_clear(x);
	fx_free(x);
}

/*
 * The Auth certificate signs OAuth tokens: expired, it is auth-certificate
 * whatever its Services show (None in Microsoft's lab exports), never
 * cert-expired, renewed the documented way with Set-AuthConfig and never
 * removed.
 */
#define AUTH	"CN=Microsoft Exchange Server Auth Certificate"

static void
auth_config(struct fx *x, const char *current, const char *next)
{
	struct ev_auth_config	a;

	ev_auth_config_init(&a);
	a.organization = (char *)"Contoso";
	a.current_thumbprint = (char *)current;
	a.next_thumbprint = (char *)next;
	a.ref.source = (char *)"authconfig.txt";
	a.ref.line = 1;
	evidence_add_auth_config(&x->ev, &a);
}

static void
test_auth_certificate(void **state)
{
	struct fx		*x;
	const struct finding	*f;
	int			 services;

	(void)state;
	for (services = 0; services <= SVC_SMTP; services += SVC_SMTP) {
		x = fx_new();
		defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
		cert(x, "EXHUB1", TP_BOX, AUTH, services, day(2021, 10, 10),
		    day(2026, 9, 14), NULL, NULL);
		cert(x, "EXHUB2", TP_BOX, AUTH, services, day(2021, 10, 10),
		    day(2026, 9, 14), NULL, NULL);
		auth_config(x, TP_BOX, NULL);
		analyze(x, AS_OF);
		assert_non_null(f = rule(x, "auth-certificate"));
		assert_int_equal(f->severity, SEV_CRITICAL);
		assert_list(&f->servers, "EXHUB1", "EXHUB2");
		assert_list(&f->thumbprints, TP_BOX, NULL);
		assert_null(rule(x, "cert-expired"));
		assert_string_equal(root_rule(x), "auth-certificate");
		assert_true(has_cmd(f, "New-ExchangeCertificate -Server EXHUB1 "
		    "-KeySize 2048 -PrivateKeyExportable $true -SubjectName "
		    "'cn=Microsoft Exchange Server Auth Certificate'"));
		assert_true(has_cmd(f, "-DomainName @() -Services SMTP"));
		assert_true(has_cmd(f, "Set-AuthConfig -NewCertificateThumbprint "
		    "$auth.Thumbprint -NewCertificateEffectiveDate (Get-Date)"));
		assert_true(has_cmd(f, "Set-AuthConfig -PublishCertificate"));
		assert_true(has_cmd(f, "Set-AuthConfig -ClearPreviousCertificate"));
		assert_true(has_cmd(f, "Restart-WebAppPool MSExchangeOWAAppPool"));
		assert_true(has_cmd(f, "Restart-WebAppPool MSExchangeECPAppPool"));
		assert_false(has_cmd(f, "Remove-ExchangeCertificate"));
		assert_null(strstr(f->explanation, "refuse TLS"));
		fx_free(x);
	}

	/*
	 * Expiring with a next certificate set whose date was not read:
	 * whether it takes over in time is unknown, worth a check (medium),
	 * never "no next certificate".
	 */
	x = fx_new();
	cert(x, "EXHUB1", TP_BOX, AUTH, 0, day(2021, 12, 1), AS_OF + 20 * 86400,
	    NULL, NULL);
	cert(x, "EXHUB1", TP_NEW, AUTH, 0, day(2026, 11, 1), day(2031, 11, 1),
	    NULL, NULL);
	auth_config(x, TP_BOX, TP_NEW);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "auth-certificate"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_non_null(strstr(f->title, "unknown"));
	assert_null(strstr(f->title, "no next certificate"));
	assert_true(has_cmd(f, "Get-AuthConfig | Format-List "
	    "NextCertificateThumbprint,NextCertificateEffectiveDate"));
	assert_false(has_cmd(f, "New-ExchangeCertificate"));
	fx_free(x);

	/* Without one, 20 days left is high, and the date is set ahead. */
	x = fx_new();
	cert(x, "EXHUB1", TP_BOX, AUTH, 0, day(2021, 12, 1), AS_OF + 20 * 86400,
	    NULL, NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "auth-certificate"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_true(has_cmd(f, "-NewCertificateEffectiveDate "
	    "(Get-Date).AddHours(48)"));
	assert_null(rule(x, "cert-expiring"));
	fx_free(x);

	/* Get-AuthConfig names a certificate the server does not hold. */
	x = fx_new();
	cert(x, "EXHUB1", TP_BOX, AUTH, 0, day(2021, 12, 1), day(2030, 1, 1),
	    NULL, NULL);
	auth_config(x, TP_NEW, NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "auth-certificate"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_list(&f->servers, "EXHUB1", NULL);
	assert_list(&f->thumbprints, TP_NEW, TP_BOX);
	assert_non_null(strstr(f->title, "not installed on EXHUB1"));
	assert_true(has_cmd(f, "Set-AuthConfig -PublishCertificate"));
	assert_int_not_equal(x->v.state, VERDICT_CLEAR);
	/*
	 * EXHUB1 holds another Auth certificate, valid until 2030 with its
	 * key: made current, it serves, and no new one is created.
	 */
	assert_non_null(strstr(f->explanation, "already installed: " TP_BOX));
	assert_false(has_cmd(f, "New-ExchangeCertificate"));
	assert_true(has_cmd(f, "Set-AuthConfig -NewCertificateThumbprint "
	    TP_BOX " -NewCertificateEffectiveDate (Get-Date)"));
	assert_true(has_cmd(f, "Restart-Service MSExchangeServiceHost"));
	fx_free(x);

	/* The one it holds has expired: a new one is created. */
	x = fx_new();
	cert(x, "EXHUB1", TP_BOX, AUTH, 0, day(2016, 12, 1), day(2021, 12, 1),
	    NULL, NULL);
	auth_config(x, TP_NEW, NULL);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "auth-certificate"));
	assert_list(&f->thumbprints, TP_NEW, NULL);
	assert_null(strstr(f->explanation, "already installed"));
	assert_true(has_cmd(f, "New-ExchangeCertificate -Server EXHUB1"));
	assert_true(has_cmd(f, "Set-AuthConfig -NewCertificateThumbprint "
	    "$auth.Thumbprint -NewCertificateEffectiveDate (Get-Date)"));
	fx_free(x);
}

/*
 * Get-AuthConfig's next certificate takes effect only after the current
 * one expires: current E1B2... expires 2026-11-25 00:00 UTC (its dates from
 * an export with zones), the next, B1B2..., installed on EXHUB1, takes
 * effect 2026-12-08 00:00 by Format-List, the server's local time. From
 * the first date to the second no valid Auth certificate is current. The
 * fix makes the next one current now (Set-AuthConfig
 * -NewCertificateEffectiveDate, -PublishCertificate) and, as KB 2617816
 * does, restarts the Microsoft Exchange Service Host service and the OWA
 * and ECP application pools; no new certificate is needed.
 */
static struct fx *
auth_next_fx(int64_t current_na, int64_t effective, bool effective_utc)
{
	struct fx		*x = fx_new();
	struct ev_auth_config	 a;

	cert(x, "EXHUB1", TP_BOX, AUTH, 0, day(2021, 11, 25), current_na,
	    NULL, NULL)->dates_exact = true;
	cert(x, "EXHUB2", TP_BOX, AUTH, 0, day(2021, 11, 25), current_na,
	    NULL, NULL)->dates_exact = true;
	cert(x, "EXHUB1", TP_NEW, AUTH, 0, day(2026, 11, 2), day(2031, 11, 2),
	    NULL, NULL)->dates_exact = true;
	ev_auth_config_init(&a);
	a.organization = (char *)"Contoso";
	a.current_thumbprint = (char *)TP_BOX;
	a.next_thumbprint = (char *)TP_NEW;
	a.next_effective = effective;
	a.next_effective_exact = effective_utc;
	a.ref.source = (char *)"authconfig.txt";
	a.ref.line = 1;
	evidence_add_auth_config(&x->ev, &a);
	return x;
}

static void
test_auth_next_too_late(void **state)
{
	struct fx		*x;
	const struct finding	*f;

	(void)state;
	x = auth_next_fx(day(2026, 11, 25), day(2026, 12, 8), false);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "auth-certificate"));
	/* 15 days before the gap opens: high, not yet failing. */
	assert_int_equal(f->severity, SEV_HIGH);
	assert_list(&f->thumbprints, TP_BOX, TP_NEW);
	assert_non_null(strstr(f->title, TP_NEW));
	assert_non_null(strstr(f->title, "2026-12-08 00:00:00 server local "
	    "time"));
	assert_non_null(strstr(f->title, "2026-11-25T00:00:00Z"));
	assert_null(strstr(f->title, "2026-12-08T00:00:00Z"));
	assert_non_null(strstr(f->explanation, TP_BOX));
	assert_non_null(strstr(f->explanation, "installed on EXHUB1"));
	assert_true(has_cmd(f, "Set-AuthConfig -NewCertificateThumbprint "
	    TP_NEW " -NewCertificateEffectiveDate (Get-Date)"));
	assert_true(has_cmd(f, "Set-AuthConfig -PublishCertificate"));
	assert_true(has_cmd(f, "Invoke-Command -ComputerName EXHUB2 { "
	    "Restart-Service MSExchangeServiceHost; Restart-WebAppPool "
	    "MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool }"));
	assert_false(has_cmd(f, "New-ExchangeCertificate"));
	assert_false(has_cmd(f, "Remove-ExchangeCertificate"));
	assert_null(rule(x, "cert-expiring"));
	fx_free(x);

	/* Effective five days before the current one expires: in time. */
	x = auth_next_fx(day(2026, 11, 25), day(2026, 11, 20), false);
	analyze(x, AS_OF);
	assert_null(rule(x, "auth-certificate"));
	fx_free(x);

	/* Both dates in UTC, effective the hour after: late, and said so. */
	x = auth_next_fx(day(2026, 11, 25), day(2026, 11, 25) + 3600, true);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "auth-certificate"));
	assert_non_null(strstr(f->title, "after the current one expires"));
	fx_free(x);

	/*
	 * Three hours after, but in local time against UTC: the order depends
	 * on the server's UTC offset, and the title says that.
	 */
	x = auth_next_fx(day(2026, 11, 25), day(2026, 11, 25) + 3 * 3600,
	    false);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "auth-certificate"));
	assert_non_null(strstr(f->title, "depends on the server's UTC "
	    "offset"));
	fx_free(x);

	/* The gap opens in 200 days: medium. */
	x = auth_next_fx(AS_OF + 200 * 86400, AS_OF + 210 * 86400, true);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "auth-certificate"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	fx_free(x);
}

/*
 * A newer Auth certificate is already installed but not configured: B1B2...
 * on EXHUB1, valid to 2031-11-02, while the current E1B2... expires in 20
 * days (or has expired). The renewal uses it instead of creating another.
 * An expired one, or one without its private key, cannot sign: a new one.
 */
static void
test_auth_installed_successor(void **state)
{
	struct fx		*x;
	const struct finding	*f;
	int			 expired;

	(void)state;
	for (expired = 0; expired <= 1; expired++) {
		x = fx_new();
		cert(x, "EXHUB1", TP_BOX, AUTH, SVC_SMTP, day(2021, 12, 1),
		    expired ? AS_OF - 5 * 86400 : AS_OF + 20 * 86400, NULL,
		    NULL);
		cert(x, "EXHUB2", TP_BOX, AUTH, SVC_SMTP, day(2021, 12, 1),
		    expired ? AS_OF - 5 * 86400 : AS_OF + 20 * 86400, NULL,
		    NULL);
		cert(x, "EXHUB1", TP_NEW, AUTH, SVC_SMTP, day(2026, 11, 2),
		    day(2031, 11, 2), NULL, NULL);
		auth_config(x, TP_BOX, NULL);
		analyze(x, AS_OF);
		assert_non_null(f = rule(x, "auth-certificate"));
		assert_int_equal(f->severity, expired ? SEV_CRITICAL :
		    SEV_HIGH);
		assert_non_null(strstr(f->explanation, TP_NEW));
		assert_non_null(strstr(f->explanation, "already installed"));
		assert_false(has_cmd(f, "New-ExchangeCertificate"));
		assert_true(has_cmd(f, "Set-AuthConfig -NewCertificateThumbprint "
		    TP_NEW " -NewCertificateEffectiveDate (Get-Date)"));
		/*
		 * Expired, it takes effect at once (KB 2617816); with 20 days
		 * left, 48 hours ahead, Microsoft's rotation.
		 */
		assert_int_equal(has_cmd(f, "(Get-Date).AddHours(48)"), !expired);
		assert_true(has_cmd(f, "Set-AuthConfig -PublishCertificate"));
		assert_true(has_cmd(f, "Set-AuthConfig -ClearPreviousCertificate"));
		/* KB 2617816's procedure, for a certificate current at once. */
		assert_int_equal(has_cmd(f, "Restart-Service "
		    "MSExchangeServiceHost"), expired);
		assert_true(has_cmd(f, "Invoke-Command -ComputerName EXHUB1 {"));
		fx_free(x);
	}

	/* The other one has expired too, or lacks its key: a new one. */
	for (expired = 0; expired <= 1; expired++) {
		x = fx_new();
		cert(x, "EXHUB1", TP_BOX, AUTH, 0, day(2021, 12, 1), AS_OF +
		    20 * 86400, NULL, NULL);
		if (expired)
			cert(x, "EXHUB1", TP_NEW, AUTH, 0, day(2016, 11, 2),
			    AS_OF - 86400 * 400, NULL, NULL);
		else
			cert(x, "EXHUB1", TP_NEW, AUTH, 0, day(2026, 11, 2),
			    day(2031, 11, 2), NULL, NULL)->has_private_key =
			    TRI_FALSE;
		auth_config(x, TP_BOX, NULL);
		analyze(x, AS_OF);
		assert_non_null(f = rule(x, "auth-certificate"));
		assert_true(has_cmd(f, "New-ExchangeCertificate -Server EXHUB1"));
		assert_true(has_cmd(f, "$auth.Thumbprint"));
		fx_free(x);
	}
}

/* ------------------------------------------------ key, crypto, services */

static void
test_no_private_key(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL)->has_private_key = TRI_FALSE;
	connector(x, "Outbound to Partners", PIN, "EXHUB1", NULL, TRI_TRUE, NULL);
	tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, false, "NoCredentials",
	    NULL, 12);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-no-private-key"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_true(has_cmd(f, "Import-ExchangeCertificate -Server EXHUB1"));
	assert_null(rule(x, "tls-handshake-failures"));
	assert_string_equal(root_rule(x), "cert-no-private-key");
	fx_free(x);
}

/*
 * The pinned certificate was imported on EXHUB2 without its key (Services
 * None there, HasPrivateKey False); EXHUB1 holds it with its key and sends
 * fine. EXHUB2's handshakes fail with NoCredentials and its queue shows
 * the 4.4.1 timeout a failed handshake leaves. Enable-ExchangeCertificate
 * needs the key, so "enable SMTP" is no fix and not the cause: the
 * certificate is copied from EXHUB1 with its key. Remove-ExchangeCertificate
 * refuses a certificate a Send connector names, so the connector is
 * unpinned around the removal and pinned again with its value.
 */
static void
test_no_private_key_copied_from_its_holder(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	const struct symptom	*q;
	size_t			 i, export = 0, unpin = 0, remove = 0, copy = 0;
	size_t			 repin = 0;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL)->has_private_key = TRI_TRUE;
	cert(x, "EXHUB2", TP_MAIL, MAIL, 0, day(2026, 3, 1), day(2027, 3, 1),
	    NULL, NULL)->has_private_key = TRI_FALSE;
	connector(x, "Outbound to Partners", PIN, "EXHUB1", "EXHUB2", TRI_TRUE,
	    "smtp.contoso.com");
	tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL,
	    "TLS1_2", 30);
	tls(x, "EXHUB2", "Outbound to Partners", TP_MAIL, false, "NoCredentials",
	    NULL, 28);
	queue(x, "EXHUB2", "18", "fabrikam.com", "Retry", 44, "451 4.4.0 "
	    "Primary target IP address responded with: \"421 4.4.1 Connection "
	    "timed out.\" Attempted failover to alternate host, but that did "
	    "not succeed.");
	analyze(x, AS_OF);
	assert_null(rule(x, "smtp-service-not-enabled"));
	assert_non_null(f = rule(x, "cert-no-private-key"));
	assert_string_equal(root_rule(x), "cert-no-private-key");
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_list(&f->servers, "EXHUB2", NULL);
	assert_true(has_evidence(f, "EXHUB2\\18"));
	assert_non_null(q = symptom_of(x, SYM_QUEUE, "4.4.1"));
	assert_string_equal(linked_rule(x, q), "cert-no-private-key");
	assert_non_null(strstr(f->explanation, "EXHUB1 holds it with its "
	    "private key"));
	for (i = 0; i < f->nremediation; i++) {
		const char *c = f->remediation[i].command;

		if (c == NULL)
			continue;
		if (strstr(c, "-TlsCertificateName $null") != NULL)
			unpin = i + 1;
		if (strstr(c, "Remove-ExchangeCertificate -Server EXHUB2 "
		    "-Thumbprint " TP_MAIL) != NULL)
			remove = i + 1;
		if (strstr(c, "$pfx = Export-ExchangeCertificate -Server EXHUB1 "
		    "-Thumbprint " TP_MAIL " -BinaryEncoded -Password $pw") != NULL)
			export = i + 1;
		if (strstr(c, "Import-ExchangeCertificate -Server EXHUB2 -FileData "
		    "$pfx.FileData -Password $pw") != NULL &&
		    strstr(c, "Enable-ExchangeCertificate -Server EXHUB2 "
		    "-Thumbprint " TP_MAIL " -Services SMTP") != NULL)
			copy = i + 1;
		if (strstr(c, "Set-SendConnector -Identity 'Outbound to Partners' "
		    "-TlsCertificateName '<I>") != NULL)
			repin = i + 1;
	}
	/* The export first: if it fails, nothing has changed yet. */
	assert_true(export > 0 && export < unpin && unpin < remove &&
	    remove < copy && copy < repin);
	assert_true(has_cmd(f, "Get-Queue -Server EXHUB2 |"));
	assert_false(has_cmd(f, "-Server EXHUB1 -Thumbprint " TP_MAIL
	    " -Services"));
	assert_false(has_cmd(f, "Remove-ExchangeCertificate -Server EXHUB1"));
	fx_free(x);

	/*
	 * EXHUB1's key is not exportable (PrivateKeyExportable False): no
	 * export from it is printed; the .pfx or a re-issue is asked for.
	 */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL)->private_key_exportable =
	    TRI_FALSE;
	cert(x, "EXHUB2", TP_MAIL, MAIL, 0, day(2026, 3, 1), day(2027, 3, 1),
	    NULL, NULL)->has_private_key = TRI_FALSE;
	connector(x, "Outbound to Partners", PIN, "EXHUB1", "EXHUB2", TRI_TRUE,
	    "smtp.contoso.com");
	tls(x, "EXHUB2", "Outbound to Partners", TP_MAIL, false, "NoCredentials",
	    NULL, 28);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-no-private-key"));
	assert_false(has_cmd(f, "Export-ExchangeCertificate"));
	assert_true(has_cmd(f, "Import-ExchangeCertificate -Server EXHUB2 "
	    "-FileData ([System.IO.File]::ReadAllBytes("));
	assert_non_null(strstr(f->explanation, "not exportable"));
	fx_free(x);
}

static void
test_weak_crypto(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	struct ev_cert		*c;

	(void)state;
	c = cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	c->key_bits = 1024;
	c = cert(x, "EXHUB1", TP_NEW, "CN=legacy.contoso.com", 0,
	    day(2026, 3, 1), day(2027, 3, 1), "legacy.contoso.com", NULL);
	c->signature_algorithm = xstrdup("sha1WithRSAEncryption");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "cert-weak-crypto"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_list(&f->thumbprints, TP_MAIL, NULL);	/* the unused one is not */
	assert_true(has_cmd(f, "-KeySize 2048"));
	fx_free(x);
}

static void
test_unknown_services_are_never_not_enabled(void **state)
{
	struct fx	*x = fx_new();

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SERVICES_UNKNOWN, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	connector(x, "Outbound to Partners", PIN, "EXHUB1", NULL, TRI_TRUE,
	    "mail.contoso.com");
	analyze(x, AS_OF);
	assert_null(rule(x, "smtp-service-not-enabled"));
	assert_null(rule(x, "connector-fqdn-not-covered"));
	fx_free(x);
}

/* ---------------------------------------------------- FQDN and STARTTLS */

static void
test_fqdn_not_covered_on_each_source_server(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, "CN=*.contoso.com", SVC_IIS | SVC_SMTP,
	    day(2026, 3, 1), day(2027, 3, 1), "*.contoso.com", NULL);
	cert(x, "EXHUB2", TP_NEW, "CN=*.contoso.com", SVC_IIS | SVC_SMTP,
	    day(2026, 3, 1), day(2027, 3, 1), "*.contoso.com", "relay.mail.contoso.com");
	connector(x, "Outbound to Partners", NULL, "EXHUB1", "EXHUB2", TRI_FALSE,
	    "relay.mail.contoso.com");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "connector-fqdn-not-covered"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_list(&f->servers, "EXHUB1", NULL);
	assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB1"));
	fx_free(x);
}

static void
test_starttls_not_offered_with_event_12014(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	receive(x, "EXHUB1", "Default Frontend EXHUB1", "inbound.contoso.com");
	event(x, "EXHUB1", 12014, "Microsoft Exchange could not find a "
	    "certificate that contains the domain name inbound.contoso.com in the "
	    "personal store on the local computer.");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "starttls-not-offered"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_list(&f->connectors, "EXHUB1\\Default Frontend EXHUB1", NULL);
	assert_null(rule(x, "connector-fqdn-not-covered"));
	assert_null(rule(x, "tls-handshake-failures"));
	assert_string_equal(root_rule(x), "starttls-not-offered");
	fx_free(x);

	/* Inbound handshakes failing on the connector show it as well. */
	x = fx_new();
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	receive(x, "EXHUB1", "Default Frontend EXHUB1", "inbound.contoso.com");
	{
		struct ev_tls_event e = {
			.log_source = "EXHUB1/SmtpReceive/RECV20261109-1.LOG",
			.receive = true,
			.connector = "EXHUB1\\Default Frontend EXHUB1",
			.cert_thumbprint = TP_SS1, .ok = false,
			.error = "SecureChannelFailure", .time = AS_OF - 7200,
			.line = 9, .text = "row",
		};

		evidence_add_tls(&x->ev, &e);
	}
	analyze(x, AS_OF);
	assert_non_null(rule(x, "starttls-not-offered"));
	assert_null(rule(x, "tls-handshake-failures"));
	fx_free(x);

	/* Without the event, the configuration rule reports it. */
	x = fx_new();
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	receive(x, "EXHUB1", "Default Frontend EXHUB1", "inbound.contoso.com");
	analyze(x, AS_OF);
	assert_null(rule(x, "starttls-not-offered"));
	assert_non_null(rule(x, "connector-fqdn-not-covered"));
	fx_free(x);

	/* Covered by the server's own certificate: silent. */
	x = fx_new();
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	receive(x, "EXHUB1", "Default Frontend EXHUB1", "EXHUB1.contoso.com");
	analyze(x, AS_OF);
	assert_clear(x);
	fx_free(x);
}

/* ------------------------------------------------ transport, hybrid */

static void
test_internal_transport_cert_missing(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	defaults(x, "EXHUB2", TP_SS2, day(2029, 1, 1));
	transport(x, "EXHUB1", TP_BOX);
	transport(x, "EXHUB2", TP_SS2);
	queue(x, "EXHUB1", "3", "exhub2.contoso.com", "Retry", 14, "451 5.7.3 "
	    "Cannot achieve Exchange Server authentication.");
	response(x, "EXHUB1", false, "Intra-Organization SMTP Send Connector",
	    "451 5.7.3", "x,<,451 5.7.3 Cannot achieve Exchange Server "
	    "authentication.,", 6);
	/* The same code about STARTTLS is another rule's business. */
	response(x, "EXHUB1", true, "EXHUB1\\Default Frontend EXHUB1",
	    "451 5.7.3", "x,>,451 5.7.3 STARTTLS is required to send mail,", 2);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "internal-transport-cert"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_string_equal(linked_rule(x, symptom_of(x, SYM_RESPONSE,
	    "Cannot achieve")), "internal-transport-cert");
	assert_string_equal(linked_rule(x, symptom_of(x, SYM_RESPONSE,
	    "STARTTLS is required")), "tls-handshake-failures");
	assert_list(&f->servers, "EXHUB1", NULL);
	assert_list(&f->thumbprints, TP_BOX, NULL);
	/* Its valid self-signed default certificate is installed: SMTP
	 * enabled on it, answered Y, makes it the internal one again. */
	assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB1 "
	    "-Thumbprint " TP_SS1 " -Services SMTP"));
	assert_false(has_cmd(f, "New-ExchangeCertificate"));
	assert_null(rule(x, "queue-retry"));
	assert_string_equal(root_rule(x), "internal-transport-cert");
	fx_free(x);
}

/*
 * An expired internal transport certificate is internal-transport-cert's
 * alone: only Exchange servers see it, so cert-expired's partners refusing
 * TLS would be untrue. Nothing fails in the bundle yet: high.
 */
static void
test_expired_internal_transport_cert_is_reported_once(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	size_t			 i, n = 0;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2026, 10, 1));
	transport(x, "EXHUB1", TP_SS1);
	analyze(x, AS_OF);
	assert_null(rule(x, "cert-expired"));
	assert_non_null(f = rule(x, "internal-transport-cert"));
	assert_int_equal(f->severity, SEV_HIGH);
	for (i = 0; i < x->fs.n; i++)
		n += strlist_contains_ci(&x->fs.v[i].thumbprints, TP_SS1);
	assert_int_equal(n, 1);
	/* No other valid self-signed certificate: a new one. */
	assert_true(has_cmd(f, "New-ExchangeCertificate -Server EXHUB1"));
	fx_free(x);
}

/* Every command that restarts transport names the server it restarts. */
static bool
restarts_only(const struct finding *f, const char *server)
{
	char	want[64];
	size_t	i;

	snprintf(want, sizeof want, "-ComputerName %s ", server);
	for (i = 0; i < f->nremediation; i++)
		if (f->remediation[i].command != NULL &&
		    strstr(f->remediation[i].command, "Restart-Service") != NULL &&
		    strstr(f->remediation[i].command, want) == NULL)
			return false;
	return has_cmd(f, "Restart-Service MSExchangeTransport");
}

#define AUTH_451 "451 4.4.0 Primary target IP address responded with: " \
	"\"451 5.7.3 Cannot achieve Exchange Server authentication.\" The " \
	"last endpoint attempted was 10.0.1.22:2525"

/*
 * EXHUB2's internal transport certificate expired; a newer valid
 * self-signed CN=EXHUB2 with SMTP is installed beside it. EXHUB1, which
 * delivers to EXHUB2, holds the mail with 5.7.3: the fault is EXHUB2's,
 * the queue EXHUB1's.
 */
static void
test_internal_transport_expired_strands_other_server_queue(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	defaults(x, "EXHUB2", TP_SS2, day(2026, 11, 5));
	cert(x, "EXHUB2", TP_NEW, "CN=EXHUB2", SVC_SMTP, day(2026, 11, 6),
	    day(2031, 11, 6), "EXHUB2", "EXHUB2.contoso.com");
	cert(x, "EXHUB2", TP_MAIL, MAIL, SVC_SMTP | SVC_IIS, day(2026, 1, 1),
	    day(2027, 1, 1), "mail.contoso.com", NULL);
	transport(x, "EXHUB1", TP_SS1);
	transport(x, "EXHUB2", TP_SS2);
	queue(x, "EXHUB1", "7", "mailbox delivery group EXHUB2", "Retry", 57,
	    AUTH_451);
	event(x, "EXHUB2", 12015, "An internal transport certificate expired. "
	    "Thumbprint:" TP_SS2);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "internal-transport-cert"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_string_equal(root_rule(x), "internal-transport-cert");
	assert_list(&f->servers, "EXHUB2", NULL);
	assert_list(&f->thumbprints, TP_SS2, NULL);
	assert_null(rule(x, "cert-expired"));
	assert_null(rule(x, "queue-retry"));
	assert_string_equal(linked_rule(x, symptom_of(x, SYM_QUEUE, "EXHUB1\\7")),
	    "internal-transport-cert");
	assert_string_equal(linked_rule(x, symptom_of(x, SYM_EVENT, "12015")),
	    "internal-transport-cert");
	assert_null(strstr(f->explanation, "Partners"));
	assert_non_null(strstr(f->explanation, TP_NEW));
	/* The installed valid one, not the expired one, not a new one. */
	assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB2 "
	    "-Thumbprint " TP_NEW " -Services SMTP"));
	assert_false(has_cmd(f, "-Thumbprint " TP_SS2));
	assert_false(has_cmd(f, "New-ExchangeCertificate"));
	assert_false(has_cmd(f, "EXHUB1 -"));
	assert_true(restarts_only(f, "EXHUB2"));
	/* Retried where the mail waits. */
	assert_true(has_cmd(f, "Retry-Queue -Identity EXHUB1\\7"));
	assert_false(has_cmd(f, "Get-Queue -Server EXHUB2"));
	assert_false(has_cmd(f, "EdgeSubscription"));
	fx_free(x);
}

/*
 * The certificate was deleted: Get-TransportService still names it and
 * event 12023 says it cannot be loaded. One finding, critical with the
 * other server's 5.7.3 queue.
 */
static void
test_internal_transport_deleted_one_finding(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	size_t			 i, n = 0;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	defaults(x, "EXHUB2", TP_SS2, day(2031, 11, 6));
	transport(x, "EXHUB1", TP_SS1);
	transport(x, "EXHUB2", TP_BOX);
	queue(x, "EXHUB1", "7", "mailbox delivery group EXHUB2", "Retry", 57,
	    AUTH_451);
	event(x, "EXHUB2", 12023, "Microsoft Exchange could not load the "
	    "certificate with thumbprint of " TP_BOX " from the personal store "
	    "on the local computer. This certificate was configured for "
	    "authentication with other Exchange servers. Mail flow to other "
	    "Exchange servers could be affected by this error.");
	analyze(x, AS_OF);
	for (i = 0; i < x->fs.n; i++)
		n += strcmp(x->fs.v[i].rule, "internal-transport-cert") == 0;
	assert_int_equal(n, 1);
	assert_non_null(f = rule(x, "internal-transport-cert"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_list(&f->servers, "EXHUB2", NULL);
	assert_string_equal(linked_rule(x, symptom_of(x, SYM_EVENT, "12023")),
	    "internal-transport-cert");
	assert_null(rule(x, "queue-retry"));
	assert_true(has_cmd(f, "Enable-ExchangeCertificate -Server EXHUB2 "
	    "-Thumbprint " TP_SS2 " -Services SMTP"));
	assert_true(restarts_only(f, "EXHUB2"));
	assert_true(has_cmd(f, "Retry-Queue -Identity EXHUB1\\7"));
	assert_false(has_cmd(f, "EdgeSubscription"));
	fx_free(x);
}

/*
 * Two faulty servers: a queue goes to the one its next hop names; one whose
 * next hop names neither is linked, and the finding says which server it
 * waits for is not known.
 */
static void
test_internal_transport_queue_by_next_hop(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f2 = NULL, *f3 = NULL, *f;
	size_t			 i;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	defaults(x, "EXHUB2", TP_SS2, day(2029, 1, 1));
	defaults(x, "EXHUB3", TP_MAIL, day(2029, 1, 1));
	transport(x, "EXHUB1", TP_SS1);
	transport(x, "EXHUB2", TP_BOX);
	transport(x, "EXHUB3", TP_NEW);
	queue(x, "EXHUB1", "8", "exhub3.contoso.com", "Retry", 5, AUTH_451);
	queue(x, "EXHUB1", "9", "site:Default-First-Site-Name", "Retry", 3,
	    AUTH_451);
	analyze(x, AS_OF);
	for (i = 0; i < x->fs.n; i++) {
		f = &x->fs.v[i];
		if (strcmp(f->rule, "internal-transport-cert") != 0)
			continue;
		if (strlist_contains_ci(&f->servers, "EXHUB2"))
			f2 = f;
		if (strlist_contains_ci(&f->servers, "EXHUB3"))
			f3 = f;
	}
	assert_non_null(f2);
	assert_non_null(f3);
	assert_null(rule(x, "queue-retry"));
	assert_int_equal(findings_by_seq(&x->fs, symptom_of(x, SYM_QUEUE,
	    "EXHUB1\\8")->finding_seq)->seq, f3->seq);
	assert_int_equal(f3->severity, SEV_CRITICAL);
	assert_true(has_cmd(f3, "Retry-Queue -Identity EXHUB1\\8"));
	assert_false(has_cmd(f2, "EXHUB1\\8"));
	f = findings_by_seq(&x->fs, symptom_of(x, SYM_QUEUE,
	    "EXHUB1\\9")->finding_seq);
	assert_non_null(f);
	assert_non_null(strstr(f->explanation, "EXHUB1\\9"));
	assert_non_null(strstr(f->explanation, "is not known"));
	fx_free(x);
}

static void
test_hybrid_connector_without_tls(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	struct ev_send_connector sc;

	(void)state;
	ev_send_connector_init(&sc);
	sc.name = (char *)"Outbound to Office 365";
	strlist_add(&sc.source_servers, "EXHUB1");
	sc.source_servers_known = true;
	strlist_add(&sc.smart_hosts, "contoso-com.mail.protection.outlook.com");
	sc.smart_hosts_known = true;
	sc.require_tls = TRI_FALSE;
	sc.tls_auth_level = (char *)"";
	sc.ref.source = (char *)"SendConnectors.txt";
	evidence_add_send_connector(&x->ev, &sc);
	strlist_free(&sc.source_servers);
	strlist_free(&sc.smart_hosts);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "hybrid-connector-config"));
	/* Nothing in the evidence shows it failing or sending without TLS. */
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_true(has_cmd(f, "Set-SendConnector 'Outbound to Office 365' "
	    "-RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain "
	    "mail.protection.outlook.com"));
	fx_free(x);
}

/*
 * A connector the analysis names whose logging is already Verbose and
 * whose source server's Send logs hold no row for it: it sent nothing while
 * they ran. That is an evidence gap, never a "logging off" finding telling
 * to set Verbose again; with a queue for it in trouble, the finding asks
 * for the logs, without the command that would change nothing.
 */
static void
test_logging_on_but_no_rows(void **state)
{
	struct fx		*x;
	const struct finding	*f;
	struct ev_send_connector sc;
	size_t			 i;
	bool			 gap = false;
	int			 queued;

	(void)state;
	for (queued = 0; queued <= 1; queued++) {
		x = fx_new();
		ev_send_connector_init(&sc);
		sc.name = (char *)"O365 Relay (old)";
		strlist_add(&sc.source_servers, "EXHUB1");
		sc.source_servers_known = true;
		strlist_add(&sc.smart_hosts,
		    "contoso-com.mail.protection.outlook.com");
		sc.smart_hosts_known = true;
		strlist_add(&sc.address_spaces,
		    "SMTP:contoso.mail.onmicrosoft.com;1");
		sc.address_spaces_known = true;
		sc.require_tls = TRI_FALSE;
		sc.protocol_logging_level = (char *)"Verbose";
		sc.ref.source = (char *)"SendConnectors.txt";
		evidence_add_send_connector(&x->ev, &sc);
		strlist_free(&sc.source_servers);
		strlist_free(&sc.smart_hosts);
		strlist_free(&sc.address_spaces);
		tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL,
		    "TLS1_2", 5);
		/* A connector's queue is named after it, lower case. */
		if (queued)
			queue(x, "EXHUB1", "9", "o365 relay (old)", "Retry", 4,
			    "451 4.7.500 Server busy. Please try again later");
		analyze(x, AS_OF);
		f = rule(x, "protocol-logging-off");
		if (!queued) {
			assert_null(f);
			for (i = 0; i < x->gaps.n; i++)
				if (strstr(x->gaps.v[i].what, "\"O365 Relay "
				    "(old)\" is implicated") != NULL)
					gap = true;
			assert_true(gap);
		} else {
			assert_non_null(f);
			assert_int_equal(f->severity, SEV_MEDIUM);
			assert_false(has_cmd(f, "-ProtocolLoggingLevel Verbose"));
		}
		fx_free(x);
	}
}

/* A connector of the Hybrid Configuration Wizard's shape, to add. */
static void
send_connector(struct fx *x, const char *name, const char *space,
    const char *host, tri_t tls, const char *level, const char *domain,
    tri_t cloud)
{
	struct ev_send_connector sc;

	ev_send_connector_init(&sc);
	sc.name = (char *)name;
	strlist_add(&sc.source_servers, "EXHUB1");
	sc.source_servers_known = true;
	strlist_add(&sc.smart_hosts, host);
	sc.smart_hosts_known = true;
	strlist_add(&sc.address_spaces, space);
	sc.address_spaces_known = true;
	sc.enabled = TRI_TRUE;
	sc.require_tls = tls;
	sc.tls_auth_level = (char *)level;
	sc.tls_domain = (char *)domain;
	sc.cloud_services_mail_enabled = cloud;
	sc.ref.source = (char *)"SendConnectors.txt";
	evidence_add_send_connector(&x->ev, &sc);
	strlist_free(&sc.source_servers);
	strlist_free(&sc.smart_hosts);
	strlist_free(&sc.address_spaces);
}

/*
 * Set-SendConnector: CloudServicesMailEnabled keeps the organization's
 * X-MS-Exchange-Organization headers for hybrid mail to its own tenant. A
 * connector to another company's tenant (an ordinary domain through that
 * tenant's mail.protection.outlook.com host) needs TLS only; the one to
 * the own tenant (address space under .mail.onmicrosoft.com) needs the flag.
 */
static void
test_hybrid_partner_tenant(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	size_t			 i, n = 0;

	(void)state;
	send_connector(x, "Outbound to Office 365 - 9c1e",
	    "smtp:contoso.mail.onmicrosoft.com;1",
	    "contoso-com.mail.protection.outlook.com", TRI_TRUE,
	    "DomainValidation", "mail.protection.outlook.com", TRI_TRUE);
	send_connector(x, "Fabrikam via EOP", "SMTP:fabrikam.com;1",
	    "fabrikam-com.mail.protection.outlook.com", TRI_TRUE,
	    "DomainValidation", "mail.protection.outlook.com", TRI_FALSE);
	send_connector(x, "O365 Relay (old)",
	    "SMTP:contoso.mail.onmicrosoft.com;10",
	    "contoso-com.mail.protection.outlook.com", TRI_FALSE, "", "",
	    TRI_FALSE);
	analyze(x, AS_OF);
	for (i = 0; i < x->fs.n; i++)
		if (strcmp(x->fs.v[i].rule, "hybrid-connector-config") == 0) {
			n++;
			f = &x->fs.v[i];
			assert_true(strlist_contains_ci(&f->connectors,
			    "O365 Relay (old)"));
		}
	assert_int_equal(n, 1);
	assert_non_null(f = rule(x, "hybrid-connector-config"));
	/* Never used: nothing fails and nothing went without TLS. */
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_true(has_cmd(f, "-CloudServicesMailEnabled $true"));
	/* The HCW connector takes the same space at a lower cost. */
	assert_true(has_cmd(f, "Remove-SendConnector 'O365 Relay (old)'"));
	/* Empty in a full export: not set, not unknown. */
	assert_non_null(strstr(f->evidence[0].text, "TlsAuthLevel (not set)"));
	assert_null(strstr(f->evidence[0].text, "unknown"));
	fx_free(x);
}

/* ------------------------------------------------------------ the logs */

static void
test_legacy_tls(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL, "TLS1_0", 5);
	tls(x, "EXHUB1", "Outbound to Office 365", TP_MAIL, false, "SocketError",
	    NULL, 4);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "legacy-tls"));
	assert_null(rule(x, "tls-handshake-failures"));
	assert_string_equal(root_rule(x), "legacy-tls");
	assert_int_equal(x->fs.v[x->fs.root_cause].severity, SEV_HIGH);
	assert_true(has_cmd(f, "SchUseStrongCrypto"));
	fx_free(x);

	/* TLS 1.2 works to that connector: a SocketError is something else. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL, "TLS1_2", 5);
	tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, false, "SocketError",
	    NULL, 2);
	analyze(x, AS_OF);
	assert_null(rule(x, "legacy-tls"));
	assert_non_null(rule(x, "tls-handshake-failures"));
	assert_int_equal(x->v.state, VERDICT_PROBLEMS);
	fx_free(x);
}

static void
test_unknown_presented_cert(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	tls(x, "EXHUB1", "Outbound to Partners", TP_BOX, true, NULL, "TLS1_2", 5);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "unknown-presented-cert"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_list(&f->thumbprints, TP_BOX, NULL);
	fx_free(x);
}

/* ------------------------------------------------ symptoms from the logs */

#define FRONTEND	"EXHUB1\\Default Frontend EXHUB1"

static void
test_connect_failures_from_the_logs(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	const struct symptom	*s;

	(void)state;
	/* EXHUB1 also has a certificate fault: the Winsock queue is not its. */
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	cert(x, "EXHUB2", TP_NEW, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	connector(x, "Outbound to Partners", NULL, "EXHUB1", "EXHUB2", TRI_TRUE,
	    "mail.contoso.com");
	tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, false,
	    "UnknownCredentials", NULL, 5);
	connfail(x, "EXHUB1", "Outbound to Partners", 10060, "fabrikam.com", 12);
	connfail(x, "EXHUB2", "Outbound to Partners", 11001, "partner.example", 2);
	queue(x, "EXHUB1", "14", "fabrikam.com", "Retry", 18, "441 4.4.1 Error "
	    "encountered while communicating with primary target IP address: "
	    "\"Failed to connect. Winsock error code: 10060, Win32 error code: "
	    "10060.\"");
	analyze(x, AS_OF);
	assert_non_null(rule(x, "smtp-service-not-enabled"));
	assert_non_null(f = rule(x, "connect-failures"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_list(&f->servers, "EXHUB1", "EXHUB2");
	assert_list(&f->connectors, "Outbound to Partners", NULL);
	assert_true(has_evidence(f, "Winsock error 10060 (connection timed out"));
	assert_true(has_evidence(f, "Winsock error 11001 (host not found"));
	assert_true(has_cmd(f, "Test-NetConnection -Port 25 -ComputerName "
	    "fabrikam.com"));
	assert_true(has_cmd(f, "-ComputerName partner.example"));
	assert_non_null(strstr(f->title, "fabrikam.com"));
	assert_non_null(s = symptom_of(x, SYM_QUEUE, "Winsock"));
	assert_string_equal(linked_rule(x, s), "connect-failures");
	assert_non_null(s = symptom_of(x, SYM_CONNECT_FAILURE, "10060"));
	assert_int_equal(s->count, 12);
	assert_string_equal(linked_rule(x, s), "connect-failures");
	assert_null(rule(x, "queue-retry"));
	assert_true(x->v.state != VERDICT_CLEAR);
	fx_free(x);

	/* Two failures and no queue: medium, and still never "clear". The
	 * connector logs (its failures are rows): logging is not off. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	connector(x, "Outbound to Partners", NULL, "EXHUB1", NULL, TRI_FALSE,
	    "mail.contoso.com");
	connfail(x, "EXHUB1", "Outbound to Partners", 10061, "fabrikam.com", 2);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "connect-failures"));
	assert_null(rule(x, "protocol-logging-off"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_true(has_evidence(f, "connection refused"));
	assert_int_equal(x->v.state, VERDICT_ROOT_CAUSE);
	fx_free(x);
}

static void
test_response_codes_are_symptoms(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	const struct symptom	*s;

	(void)state;
	/* The pinned certificate is on EXHUB1 only; EXHUB2 logs 454 4.7.5. */
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	defaults(x, "EXHUB2", TP_SS2, day(2029, 1, 1));
	connector(x, "Outbound to Partners", PIN, "EXHUB1", "EXHUB2", TRI_FALSE,
	    "mail.contoso.com");
	response(x, "EXHUB2", false, "Outbound to Partners", "454 4.7.5",
	    "2026-11-09T08:00:00.000Z,Outbound to Partners,08DE,6,10.0.1.22:1,"
	    "198.51.100.25:25,<,454 4.7.5 The certificate specified in "
	    "TlsCertificateName of the SendConnector could not be found.,", 3);
	/* Message-level codes every server logs are not symptoms. */
	response(x, "EXHUB1", false, "Outbound to Partners", "550 5.1.1",
	    "x,<,550 5.1.1 RESOLVER.ADR.RecipNotFound; not found,", 4);
	response(x, "EXHUB1", true, FRONTEND, "550 5.7.1",
	    "x,>,550 5.7.1 Unable to relay,", 4);
	/* A TLS refusal nothing explains; a 4.2.1 the network's. */
	response(x, "EXHUB1", false, "Outbound to Partners", "454 4.7.0",
	    "x,<,454 4.7.0 TLS not available due to local problem,", 1);
	response(x, "EXHUB1", false, "Outbound to Partners", "421 4.2.1",
	    "x,<,421 4.2.1 Unable to connect,", 1);
	/* A routing code about a certificate is TLS trouble, not the network. */
	response(x, "EXHUB1", false, "Outbound to Partners", "450 4.4.317",
	    "x,<,450 4.4.317 Cannot connect to remote server [Message="
	    "SubjectMismatch Expected Subject: mail.contoso.com],", 2);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "tls-cert-name-not-found"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_non_null(s = symptom_of(x, SYM_RESPONSE, "454 4.7.5"));
	assert_int_equal(s->count, 3);
	assert_string_equal(linked_rule(x, s), "tls-cert-name-not-found");
	assert_null(symptom_of(x, SYM_RESPONSE, "5.1.1"));
	assert_null(symptom_of(x, SYM_RESPONSE, "5.7.1"));
	assert_non_null(s = symptom_of(x, SYM_RESPONSE, "454 4.7.0"));
	assert_string_equal(linked_rule(x, s), "tls-handshake-failures");
	assert_non_null(s = symptom_of(x, SYM_RESPONSE, "4.2.1"));
	assert_string_equal(linked_rule(x, s), "connect-failures");
	assert_non_null(s = symptom_of(x, SYM_RESPONSE, "4.4.317"));
	assert_string_equal(linked_rule(x, s), "tls-handshake-failures");
	assert_string_equal(root_rule(x), "tls-cert-name-not-found");
	fx_free(x);

	/* One unexplained deferral is enough to rule out "no problem found". */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	response(x, "EXHUB1", false, "Outbound to Partners", "451 4.4.0",
	    "x,<,451 4.4.0 Message delayed,", 1);
	analyze(x, AS_OF);
	assert_int_equal(x->sym.n, 1);
	assert_true(x->v.state != VERDICT_CLEAR);
	fx_free(x);
}

static void
test_legacy_tls_per_remote_host(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	const struct symptom	*s;

	(void)state;
	/* TLS 1.2 works with fabrikam; the old partner drops every handshake. */
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	tls_with(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL,
	    "TLS1_2", "198.51.100.25:25", 6);
	tls_with(x, "EXHUB1", "Outbound to Partners", TP_MAIL, false,
	    "SocketError", NULL, "203.0.113.40:25", 4);
	response(x, "EXHUB1", false, "Outbound to Partners", "421 4.4.2",
	    "x,<,421 4.4.2 Connection dropped due to SocketError,", 2);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "legacy-tls"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_non_null(strstr(f->title, "203.0.113.40"));
	assert_null(strstr(f->title, "198.51.100.25"));
	assert_true(has_evidence(f, "to 203.0.113.40"));
	assert_non_null(s = symptom_of(x, SYM_RESPONSE, "4.4.2"));
	assert_string_equal(linked_rule(x, s), "legacy-tls");
	assert_null(rule(x, "tls-handshake-failures"));
	assert_null(rule(x, "connect-failures"));
	assert_string_equal(root_rule(x), "legacy-tls");
	fx_free(x);

	/* One drop, then TLS 1.2 with the same host: not a version problem. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	tls_with(x, "EXHUB1", "Outbound to Partners", TP_MAIL, false,
	    "SocketError", NULL, "203.0.113.40:25", 1);
	tls_with(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL,
	    "TLS1_2", "203.0.113.40:25", 5);
	analyze(x, AS_OF);
	assert_null(rule(x, "legacy-tls"));
	assert_non_null(rule(x, "tls-handshake-failures"));
	fx_free(x);

	/* TLS 1.0 negotiated with one host: medium, naming the host. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	tls_with(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL,
	    "TLS1_0", "203.0.113.40:25", 3);
	tls_with(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL,
	    "TLS1_2", "198.51.100.25:25", 3);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "legacy-tls"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_non_null(strstr(f->title, "203.0.113.40"));
	assert_null(strstr(f->title, "198.51.100.25"));
	fx_free(x);
}

static void
test_starttls_not_offered_from_ehlo(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	const struct symptom	*s;

	(void)state;
	/* Offered until a day ago, then not (SMTP was taken off the only
	 * certificate); senders are refused. */
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	inbound(x, "EXHUB1", FRONTEND, true, false, 1, "198.51.100.30:4000",
	    AS_OF - 3 * 86400, 20);
	inbound(x, "EXHUB1", FRONTEND, false, false, 0, "198.51.100.31:4000",
	    AS_OF - 86400, 7);
	response(x, "EXHUB1", true, FRONTEND, "451 5.7.3",
	    "x,>,451 5.7.3 STARTTLS is required to send mail,", 2);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "starttls-not-offered"));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_list(&f->servers, "EXHUB1", NULL);
	assert_list(&f->connectors, FRONTEND, NULL);
	assert_true(has_evidence(f, "7 inbound sessions"));
	assert_true(has_evidence(f, "without STARTTLS"));
	assert_true(has_evidence(f, "EXHUB1 has no certificate enabled for SMTP"));
	assert_non_null(s = symptom_of(x, SYM_RESPONSE, "5.7.3"));
	assert_string_equal(linked_rule(x, s), "starttls-not-offered");
	assert_string_equal(root_rule(x), "starttls-not-offered");
	fx_free(x);

	/* Probes without EHLO between sessions that offer it: silent. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	inbound(x, "EXHUB1", FRONTEND, false, false, 0, "10.0.9.5:4000",
	    AS_OF - 3 * 86400, 30);
	inbound(x, "EXHUB1", FRONTEND, true, false, 1, "198.51.100.30:4000",
	    AS_OF - 2 * 86400, 20);
	/* X-ANONYMOUSTLS is TLS offered to Exchange servers. */
	inbound(x, "EXHUB1", "EXHUB1\\Default EXHUB1", false, true, 0,
	    "10.0.1.22:4000", AS_OF - 86400, 5);
	analyze(x, AS_OF);
	assert_null(rule(x, "starttls-not-offered"));
	assert_clear(x);
	fx_free(x);

	/* An internal relay without Tls in AuthMechanism: TLS not expected. */
	x = fx_new();
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	{
		struct ev_receive_connector rc;

		ev_receive_connector_init(&rc);
		rc.identity = (char *)"EXHUB1\\Internal Relay";
		rc.name = (char *)"Internal Relay";
		rc.server = (char *)"EXHUB1";
		rc.fqdn = (char *)"relay.contoso.com";
		strlist_add(&rc.auth_mechanism, "ExternalAuthoritative");
		rc.auth_mechanism_known = true;
		rc.enabled = TRI_TRUE;
		rc.ref.source = (char *)"ReceiveConnectors.txt";
		rc.ref.line = 9;
		evidence_add_receive_connector(&x->ev, &rc);
		strlist_free(&rc.auth_mechanism);
	}
	inbound(x, "EXHUB1", "EXHUB1\\Internal Relay", false, false, 0,
	    "10.0.5.10:4000", AS_OF - 86400, 12);
	analyze(x, AS_OF);
	assert_null(rule(x, "starttls-not-offered"));
	assert_clear(x);
	fx_free(x);
}

/* ---------------------------------------- generic rules and the verdict */

static void
test_connectivity_is_not_a_certificate_fault(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	queue(x, "EXHUB1", "14", "fabrikam.com", "Retry", 18, "451 4.4.0 Primary "
	    "target IP address responded with: \"421 4.2.1 Unable to connect.\"");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "connect-failures"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_null(rule(x, "queue-retry"));
	assert_string_equal(root_rule(x), "connect-failures");
	assert_int_equal(x->v.state, VERDICT_ROOT_CAUSE);
	fx_free(x);

	/*
	 * A timeout alone is also what TLS failing on a connector that requires
	 * it gives (a certificate without SMTP): either cause, none determined,
	 * the protocol log asked for; no "not a certificate one".
	 */
	x = fx_new();
	queue(x, "EXHUB1", "14", "fabrikam.com", "Retry", 18, "451 4.4.0 Primary "
	    "target IP address responded with: \"421 4.4.1 Connection timed "
	    "out.\" Attempted failover to alternate host, but that did not "
	    "succeed.");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "connect-failures"));
	assert_true(f->generic);
	assert_null(strstr(f->title, "not a certificate"));
	assert_non_null(strstr(f->title, "TLS failing on a connector that "
	    "requires it"));
	assert_true(has_cmd(f, "Get-TransportService -Identity EXHUB1 | "
	    "Format-List SendProtocolLogPath"));
	assert_string_equal(root_rule(x), "(none)");
	assert_int_equal(x->v.state, VERDICT_PROBLEMS);
	fx_free(x);
}

static void
test_unexplained_failures_are_problems_not_clear(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, false, "CertExpired",
	    NULL, 20);
	analyze(x, AS_OF);
	assert_null(rule(x, "cert-expired"));
	assert_non_null(f = rule(x, "tls-handshake-failures"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_int_equal(x->fs.root_cause, -1);
	assert_int_equal(x->v.state, VERDICT_PROBLEMS);
	assert_non_null(strstr(x->v.text, "Collect next"));
	fx_free(x);
}

static void
test_queue_retry_and_logging_off(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	struct ev_send_connector sc;

	(void)state;
	ev_send_connector_init(&sc);
	sc.name = (char *)"Relay to Fabrikam";
	strlist_add(&sc.source_servers, "EXHUB1");
	sc.protocol_logging_level = (char *)"None";
	evidence_add_send_connector(&x->ev, &sc);
	strlist_free(&sc.source_servers);
	queue(x, "EXHUB1", "21", "relay to fabrikam", "Retry", 33, "451 4.7.500 "
	    "Server busy. Please try again later");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "queue-retry"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_non_null(f = rule(x, "protocol-logging-off"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_true(has_cmd(f, "Set-SendConnector 'Relay to Fabrikam' "
	    "-ProtocolLoggingLevel Verbose"));
	assert_int_equal(x->v.state, VERDICT_PROBLEMS);
	fx_free(x);
}

/*
 * 454 4.7.5 Certificate validation failure with a healthy local certificate:
 * likely this server validating the remote chain; the steps check it
 * (certutil -verify -urlfetch) and the proxy the checks go through.
 */
static void
test_remote_validation_failure(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	queue(x, "EXHUB1", "12", "fabrikam.com", "Retry", 19, "[{LED=454 4.7.5 "
	    "Certificate validation failure};{MSG=};{FQDN=fabrikam.com}]");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "queue-retry"));
	assert_non_null(strstr(f->explanation, "likely"));
	assert_non_null(strstr(f->explanation, "remote server's certificate"));
	assert_null(strstr(f->explanation, "certificate problem on this server"));
	assert_true(has_cmd(f, "certutil -verify -urlfetch 'C:\\fabrikam.com.cer'"));
	assert_true(has_cmd(f, "netsh winhttp show proxy"));
	fx_free(x);
}

/*
 * 530 5.7.57 on the client submission connector: clients that did not
 * authenticate, named on their connector, without partner wording.
 */
/* A lone SEND*.LOG names no server: the title says so, never "on none". */
static void
test_handshakes_of_an_unnamed_server(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;
	struct ev_tls_event	 e = {
		.connector = "Outbound to Partners", .ok = false,
		.error = "UnknownCredentials", .line = 12, .text = "row",
		.log_source = "SEND20261109-1.LOG",
	};
	int			 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		e.time = AS_OF - 3600 + i * 60;
		evidence_add_tls(&x->ev, &e);
	}
	x->ev.logs.files = 1;
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "tls-handshake-failures"));
	assert_non_null(strstr(f->title, "on a server the evidence does not "
	    "name"));
	assert_null(strstr(f->title, "none"));
	fx_free(x);
}

static void
test_client_not_authenticated(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	response(x, "EXHUB1", true, "EXHUB1\\Client Frontend EXHUB1",
	    "530 5.7.57", "530 5.7.57 SMTP; Client was not authenticated to "
	    "send anonymous mail during MAIL FROM", 42);
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "tls-handshake-failures"));
	assert_list(&f->connectors, "EXHUB1\\Client Frontend EXHUB1", NULL);
	assert_non_null(strstr(f->title, "530 5.7.57"));
	assert_non_null(strstr(f->explanation, "authenticate"));
	assert_null(strstr(f->explanation, "partner"));
	assert_null(strstr(f->explanation, "Exchange Online"));
	assert_true(has_cmd(f, "Get-ReceiveConnector 'EXHUB1\\Client Frontend "
	    "EXHUB1'"));
	assert_int_not_equal(x->v.state, VERDICT_CLEAR);
	fx_free(x);
}

static void
test_not_found_queue_without_configuration(void **state)
{
	struct fx		*x = fx_new();
	const struct finding	*f;

	(void)state;
	/* Only the queue: no connectors, no inventory. Never "clear". */
	queue(x, "EXHUB2", "12", "fabrikam.com", "Retry", 41, "451 4.4.0 ... \"454 "
	    "4.7.5 The certificate specified in TlsCertificateName of the "
	    "SendConnector could not be found.\"");
	analyze(x, AS_OF);
	assert_non_null(f = rule(x, "queue-retry"));
	assert_non_null(strstr(f->explanation, "tls-cert-name-not-found"));
	assert_int_equal(x->v.state, VERDICT_PROBLEMS);
	assert_int_equal(x->v.unexplained, 1);
	fx_free(x);
}

static void
test_a_lone_event_is_never_clear(void **state)
{
	struct fx	*x = fx_new();

	(void)state;
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	event(x, "EXHUB1", 2004, "454 4.7.0 Failed to establish appropriate TLS "
	    "channel: UntrustedRoot");
	analyze(x, AS_OF);
	assert_int_equal(x->sym.n, 1);
	assert_non_null(rule(x, "tls-handshake-failures"));
	assert_int_not_equal(x->v.state, VERDICT_CLEAR);
	fx_free(x);
}

static void
test_clear_says_what_it_rests_on(void **state)
{
	struct fx	*x = fx_new();

	(void)state;
	defaults(x, "EXHUB1", TP_SS1, day(2029, 1, 1));
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	connector(x, "Outbound to Partners", PIN, "EXHUB1", NULL, TRI_TRUE,
	    "mail.contoso.com");
	tls(x, "EXHUB1", "Outbound to Partners", TP_MAIL, true, NULL, "TLS1_2", 50);
	analyze(x, AS_OF);
	assert_clear(x);
	assert_non_null(strstr(x->v.text, "2 certificates on EXHUB1"));
	assert_non_null(strstr(x->v.text, "1 Send connector"));
	fx_free(x);
}

static void
test_skipped_entries_are_stated(void **state)
{
	struct fx		*x = fx_new();
	struct manifest_entry	 e;

	(void)state;
	memset(&e, 0, sizeof e);
	e.path = (char *)"bundle.zip/EXHUB2-1110.zip";
	e.status = MANIFEST_ENCRYPTED;
	e.why = (char *)"password protected";
	e.mtime = TIME_UNKNOWN;
	evidence_add_entry(&x->ev, &e);
	cert(x, "EXHUB1", TP_MAIL, MAIL, SVC_IIS | SVC_SMTP, day(2026, 3, 1),
	    day(2027, 3, 1), "mail.contoso.com", NULL);
	analyze(x, AS_OF);
	assert_int_equal(x->v.incomplete.n, 1);
	assert_string_equal(x->v.incomplete.v[0], "bundle.zip/EXHUB2-1110.zip: "
	    "encrypted (password protected)");
	fx_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_documents_every_rule),
		cmocka_unit_test(test_connect_failures_from_the_logs),
		cmocka_unit_test(test_response_codes_are_symptoms),
		cmocka_unit_test(test_legacy_tls_per_remote_host),
		cmocka_unit_test(test_starttls_not_offered_from_ehlo),
		cmocka_unit_test(test_every_rule_has_fix_facts),
		cmocka_unit_test(test_wildcards_cover_one_label),
		cmocka_unit_test(test_not_found_on_one_source_server),
		cmocka_unit_test(test_not_found_needs_the_inventory),
		cmocka_unit_test(test_invalid_name_is_not_also_not_found),
		cmocka_unit_test(test_receive_connector_pin_checked_on_its_server),
		cmocka_unit_test(test_smtp_not_enabled_on_a_receive_pin),
		cmocka_unit_test(test_lowercase_tags_are_valid),
		cmocka_unit_test(test_expired_only_smtp_cert_on_every_server),
		cmocka_unit_test(test_expiry_is_judged_at_the_as_of_time),
		cmocka_unit_test(test_expired_with_successor_is_low),
		cmocka_unit_test(test_renewal_of_a_cut_domain_list),
		cmocka_unit_test(test_undated_renewal_known_by_status),
		cmocka_unit_test(test_expiring_unless_a_successor_is_installed),
		cmocka_unit_test(test_expiring_renewal_on_another_server),
		cmocka_unit_test(test_expiring_within_a_day),
		cmocka_unit_test(test_expiring_renewal_seen_in_the_logs),
		cmocka_unit_test(test_expiring_successor_short_of_services),
		cmocka_unit_test(test_auth_certificate),
		cmocka_unit_test(test_auth_next_too_late),
		cmocka_unit_test(test_auth_installed_successor),
		cmocka_unit_test(test_remote_validation_failure),
		cmocka_unit_test(test_client_not_authenticated),
		cmocka_unit_test(test_handshakes_of_an_unnamed_server),
		cmocka_unit_test(test_no_private_key),
		cmocka_unit_test(test_no_private_key_copied_from_its_holder),
		cmocka_unit_test(test_weak_crypto),
		cmocka_unit_test(test_unknown_services_are_never_not_enabled),
		cmocka_unit_test(test_fqdn_not_covered_on_each_source_server),
		cmocka_unit_test(test_starttls_not_offered_with_event_12014),
		cmocka_unit_test(test_internal_transport_cert_missing),
		cmocka_unit_test(test_expired_internal_transport_cert_is_reported_once),
		cmocka_unit_test(test_internal_transport_expired_strands_other_server_queue),
		cmocka_unit_test(test_internal_transport_deleted_one_finding),
		cmocka_unit_test(test_internal_transport_queue_by_next_hop),
		cmocka_unit_test(test_hybrid_connector_without_tls),
		cmocka_unit_test(test_hybrid_partner_tenant),
		cmocka_unit_test(test_legacy_tls),
		cmocka_unit_test(test_unknown_presented_cert),
		cmocka_unit_test(test_connectivity_is_not_a_certificate_fault),
		cmocka_unit_test(test_unexplained_failures_are_problems_not_clear),
		cmocka_unit_test(test_queue_retry_and_logging_off),
		cmocka_unit_test(test_logging_on_but_no_rows),
		cmocka_unit_test(test_not_found_queue_without_configuration),
		cmocka_unit_test(test_a_lone_event_is_never_clear),
		cmocka_unit_test(test_clear_says_what_it_rests_on),
		cmocka_unit_test(test_skipped_entries_are_stated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Server attribution (attribution.c) and the one-record-per-server model:
 * every clue in its order, the collector's path shapes, twins that merge and
 * twins that disagree, and certificates that must stay apart.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/ingest.h"
#include "model/attribution.h"
#include "model/evidence.h"
#include "output/report.h"
#include "rules/rules.h"

#define SAN	"6F029E0D20605DB27016B787C4503FD0002C0A11"
#define OTHER	"03221367D3A3E863698501592A9B9C420D8D3F4E"

static void
servers_of(struct strlist *l, const char *const *names)
{
	for (; *names != NULL; names++)
		strlist_add(l, *names);
}

static void
test_identity_clue(void **state)
{
	char	*s;

	(void)state;
	s = attr_server_from_identity("exa.contoso.com\\" SAN);
	assert_string_equal(s, "EXA");
	free(s);
	s = attr_server_from_identity("EXB\\Default Frontend EXB");
	assert_string_equal(s, "EXB");
	free(s);
	assert_null(attr_server_from_identity("Outbound to Office 365"));
	assert_null(attr_server_from_identity("\\x"));
	assert_null(attr_server_from_identity(NULL));
}

/* Identity names where the object lives; PSComputerName the session. */
static void
test_object_clues(void **state)
{
	enum attr_clue	 clue;
	char		*s;

	(void)state;
	s = attr_server_from_object("ex01.contoso.com", "EX02.contoso.com\\" SAN,
	    &clue);
	assert_string_equal(s, "EX02");
	assert_int_equal(clue, ATTR_IDENTITY);
	free(s);
	s = attr_server_from_object("ex01.contoso.com", NULL, &clue);
	assert_string_equal(s, "EX01");
	assert_int_equal(clue, ATTR_PS_COMPUTER_NAME);
	free(s);
	assert_null(attr_server_from_object(NULL, "no backslash", &clue));
	assert_int_equal(clue, ATTR_NONE);
}

static void
test_path_clues_in_order(void **state)
{
	static const char *const names[] = { "EX1", "EX10", "EXA", "EXB", NULL };
	struct strlist	 l = { 0 };
	const char	*s;

	(void)state;
	servers_of(&l, names);
	/* Archive name beats folder beats file-name prefix. */
	assert_int_equal(attr_server_from_path("case.zip/EXA-1110.zip/EXB/EX1_"
	    "ExchangeCertificate.txt", &l, &s), ATTR_ARCHIVE_NAME);
	assert_string_equal(s, "EXA");
	assert_int_equal(attr_server_from_path("case.zip/EXB/EX1_certs.txt", &l,
	    &s), ATTR_FOLDER_NAME);
	assert_string_equal(s, "EXB");
	assert_int_equal(attr_server_from_path("case.zip/certs/EX10_"
	    "ExchangeCertificate.txt", &l, &s), ATTR_FILE_PREFIX);
	assert_string_equal(s, "EX10");	/* the longest name, not EX1 */
	assert_int_equal(attr_server_from_path("case/EXA.zip/certs.txt", &l, &s),
	    ATTR_ARCHIVE_NAME);
	assert_string_equal(s, "EXA");
	assert_int_equal(attr_server_from_path("case/EXB.tar.gz/x/y.xml", &l, &s),
	    ATTR_ARCHIVE_NAME);
	assert_string_equal(s, "EXB");
	/* No separator after the name: "EXAMPLE" is not EXA. */
	assert_int_equal(attr_server_from_path("EXAMPLE/certs.txt", &l, &s),
	    ATTR_NONE);
	assert_null(s);
	assert_int_equal(attr_server_from_path("certs.txt", &l, &s), ATTR_NONE);
	strlist_free(&l);
}

static void
test_path_shapes_declare_servers(void **state)
{
	struct strlist	l = { 0 };

	(void)state;
	attr_servers_from_path_shape("all.zip/EXHUB1-1110.zip/Exchange_Server_Data/"
	    "EXHUB1_TransportServer.xml", &l);
	attr_servers_from_path_shape("all.zip/WIN-CTD3L0RGEN4-327.zip/"
	    "Exchange_Server_Data/x.txt", &l);
	attr_servers_from_path_shape("x/EXB_ExchangeCertificate.txt", &l);
	/* Not the collector's shapes: nothing declared. */
	attr_servers_from_path_shape("certs-2026.zip/certs.txt", &l);
	attr_servers_from_path_shape("x/my_notes.txt", &l);
	attr_servers_from_path_shape("x/SEND2026111000-1.LOG", &l);
	attr_servers_from_path_shape("x/Exchange_Certificates.txt", &l);
	attr_servers_from_path_shape("x/All_ExchangeCertificates.xml", &l);
	strlist_sort_ci(&l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "EXB");
	assert_string_equal(l.v[1], "EXHUB1");
	assert_string_equal(l.v[2], "WIN-CTD3L0RGEN4");
	strlist_free(&l);
}

static void
add_cert(struct evidence *ev, const char *server, const char *tp,
    const char *source, int services, tri_t pk)
{
	struct ev_cert	c;

	ev_cert_init(&c);
	c.server = (char *)server;
	c.thumbprint = (char *)tp;
	c.services = services;
	c.has_private_key = pk;
	c.subject = (char *)"CN=mail.contoso.com";
	c.ref.source = (char *)source;
	c.ref.line = 1;
	evidence_add_cert(ev, &c);
}

static void
add_entry(struct evidence *ev, const char *path)
{
	struct manifest_entry	m;

	memset(&m, 0, sizeof m);
	m.path = (char *)path;
	m.mtime = TIME_UNKNOWN;
	evidence_add_entry(ev, &m);
}

static const struct ev_cert *
cert_on(const struct evidence *ev, const char *server, const char *tp)
{
	size_t	i;

	/* server NULL: the certificate no clue gave a server. */
	for (i = 0; i < ev->ncerts; i++)
		if ((server == NULL ? ev->certs[i].server == NULL :
		    ev->certs[i].server != NULL &&
		    strcmp(ev->certs[i].server, server) == 0) &&
		    ev->certs[i].thumbprint != NULL &&
		    strcmp(ev->certs[i].thumbprint, tp) == 0)
			return &ev->certs[i];
	return NULL;
}

static size_t
count_diags(const struct evidence *ev, const char *needle)
{
	size_t	i, n = 0;

	for (i = 0; i < ev->diags.n; i++)
		if (strstr(ev->diags.v[i].message, needle) != NULL)
			n++;
	return n;
}

/*
 * The same SAN certificate on two servers, each dumped as Format-List (no
 * server inside, a file-name prefix) and CliXml (Identity): two records,
 * each with its own services and both of its own sources.
 */
static void
test_san_cert_one_record_per_server(void **state)
{
	struct evidence		 ev;
	const struct ev_cert	*a, *b;

	(void)state;
	evidence_init(&ev);
	add_entry(&ev, "case.zip/EXA_ExchangeCertificate.txt");
	add_entry(&ev, "case.zip/EXB_ExchangeCertificate.txt");
	add_cert(&ev, NULL, SAN, "case.zip/EXA_ExchangeCertificate.txt",
	    SVC_IIS | SVC_SMTP, TRI_TRUE);
	add_cert(&ev, NULL, SAN, "case.zip/EXB_ExchangeCertificate.txt",
	    SVC_IIS, TRI_TRUE);
	/* Before attribution the two files stay apart. */
	assert_int_equal(ev.ncerts, 2);
	add_cert(&ev, "exa.contoso.com", SAN, "case.zip/EXA.xml",
	    SVC_IIS | SVC_SMTP, TRI_TRUE);
	add_cert(&ev, "EXB", SAN, "case.zip/EXB.xml", SVC_IIS, TRI_TRUE);
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 2);
	a = cert_on(&ev, "EXA", SAN);
	b = cert_on(&ev, "EXB", SAN);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->services, SVC_IIS | SVC_SMTP);
	assert_int_equal(b->services, SVC_IIS);
	assert_int_equal(a->sources.n, 2);
	assert_true(strlist_contains_ci(&a->sources, "case.zip/EXA.xml"));
	assert_true(strlist_contains_ci(&a->sources,
	    "case.zip/EXA_ExchangeCertificate.txt"));
	assert_false(strlist_contains_ci(&a->sources, "case.zip/EXB.xml"));
	assert_int_equal(b->sources.n, 2);
	assert_int_equal(count_diags(&ev, "Services"), 0);
	evidence_free(&ev);
}

static void
test_twin_conflicts_named(void **state)
{
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	add_cert(&ev, "EXA", SAN, "EXA/certs.xml", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, "EXA", SAN, "EXA/certs.txt", SVC_IIS, TRI_FALSE);
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 1);
	assert_int_equal(ev.certs[0].services, SVC_SMTP);
	assert_int_equal(count_diags(&ev, "Services IIS here but SMTP in "
	    "EXA/certs.xml"), 1);
	assert_int_equal(count_diags(&ev, "HasPrivateKey No here but Yes in "
	    "EXA/certs.xml"), 1);
	assert_string_equal(ev.diags.v[0].source, "EXA/certs.txt");
	evidence_free(&ev);
}

/* Conflicts found only once attribution made two records twins. */
static void
test_twin_conflict_after_attribution(void **state)
{
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	add_cert(&ev, "EXA", OTHER, "c.zip/EXA.xml", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, NULL, SAN, "c.zip/EXA/certs.txt", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, "EXA", SAN, "c.zip/EXA.xml", 0, TRI_TRUE);
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 2);
	assert_int_equal(count_diags(&ev, "Services"), 1);
	assert_int_equal(cert_on(&ev, "EXA", SAN)->server_clue,
	    ATTR_EXPORT);
	evidence_free(&ev);
}

static void
test_unknown_server_kept_apart(void **state)
{
	struct evidence		 ev;
	struct ev_cert		 f;
	size_t			 i;

	(void)state;
	evidence_init(&ev);
	add_cert(&ev, "EXA", OTHER, "c/EXA.xml", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, "EXB", OTHER, "c/EXB.xml", SVC_SMTP, TRI_TRUE);
	/* Two dumps that name no server and sit under no server's name. */
	add_cert(&ev, NULL, SAN, "c/one/certs.txt", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, NULL, SAN, "c/two/certs.txt", SVC_IIS, TRI_FALSE);
	/* A certificate file, even in a one-server bundle, gets no server. */
	ev_cert_init(&f);
	f.thumbprint = (char *)"2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7";
	f.file_only = true;
	f.ref.source = (char *)"c/partner.cer";
	evidence_add_cert(&ev, &f);
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 5);
	for (i = 2; i < 5; i++)
		assert_null(ev.certs[i].server);
	assert_int_equal(count_diags(&ev, "here but"), 0);
	evidence_free(&ev);
}

static void
test_only_server_for_inventory_only(void **state)
{
	struct evidence	 ev;
	struct ev_cert	 f;

	(void)state;
	evidence_init(&ev);
	add_cert(&ev, "EXA", OTHER, "c/EXA.xml", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, NULL, SAN, "c/certs.txt", SVC_SMTP, TRI_TRUE);
	ev_cert_init(&f);
	f.thumbprint = (char *)"2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7";
	f.file_only = true;
	f.ref.source = (char *)"c/partner.cer";
	evidence_add_cert(&ev, &f);
	evidence_finish(&ev);
	assert_non_null(cert_on(&ev, "EXA", SAN));
	assert_int_equal(cert_on(&ev, "EXA", SAN)->server_clue,
	    ATTR_ONLY_SERVER);
	assert_int_equal(count_diags(&ev, "the only server in the bundle"), 1);
	assert_null(ev.certs[2].server);
	evidence_free(&ev);
}

/* The names a server's own certificates and the layout give. */
static void
test_own_and_layout_names(void **state)
{
	struct strlist	l = { 0 };
	const char	*s;
	size_t		n;
	char		*name;

	(void)state;
	name = attr_server_from_own_name("CN=MOS-MAIL", "CN=MOS-MAIL");
	assert_string_equal(name, "MOS-MAIL");
	free(name);
	name = attr_server_from_own_name("CN=WMSvc-SHA2-MOS-MAIL",
	    "CN=WMSvc-SHA2-MOS-MAIL");
	assert_string_equal(name, "MOS-MAIL");
	free(name);
	assert_null(attr_server_from_own_name("CN=localhost", "CN=localhost"));
	assert_null(attr_server_from_own_name("CN=Microsoft Exchange Server "
	    "Auth Certificate", "CN=Microsoft Exchange Server Auth Certificate"));
	/* Not self-signed: a CA's certificate names no server. */
	assert_null(attr_server_from_own_name("CN=MOS-MAIL", "CN=Issuing CA"));
	assert_true(attr_path_shows_other_server("MOS-MAIL/certs.txt", "EXCAS1"));
	assert_false(attr_path_shows_other_server("EXCAS1/certs.txt", "EXCAS1"));
	assert_false(attr_path_shows_other_server("Logs/certs.txt", "EXCAS1"));
	assert_false(attr_path_shows_other_server("2026-11-03/certs.txt", "EXCAS1"));
	assert_false(attr_path_shows_other_server("case.zip/certs.txt", "EXCAS1"));
	/* An export named after its server. */
	attr_servers_from_path_shape("exports/getexchangecertificate-EXCAS1.csv", &l);
	attr_servers_from_path_shape("HealthChecker-EXCAS2-20261104090244.txt", &l);
	attr_servers_from_path_shape("certificates-20261104.csv", &l);
	assert_int_equal(l.n, 2);
	assert_true(strlist_contains_ci(&l, "EXCAS1"));
	assert_true(strlist_contains_ci(&l, "EXCAS2"));
	assert_int_equal(attr_server_from_path(
	    "exports/getexchangecertificate-EXCAS1.csv", &l, &s), ATTR_FILE_PREFIX);
	assert_string_equal(s, "EXCAS1");
	n = l.n;
	strlist_free(&l);
	(void)n;
}

/*
 * Four per-server folders, one server named by a prompt line: the folders
 * that follow its naming are per-server folders, the one whose own
 * self-signed certificate names it is that server's, and a folder nothing
 * names stays unknown: "the only server in the bundle" is never said when
 * the layout shows others.
 */
static void
test_per_server_folders(void **state)
{
	static const char prompt[] =
	    "[PS] C:\\>Get-ExchangeCertificate -Server SRV-C | fl\n\n"
	    "Thumbprint : " SAN "\nServices   : IIS, SMTP\n"
	    "Subject    : CN=mail.example.net\nNotAfter   : 28.02.2027 23:59:59\n";
	static const char sibling[] =
	    "Thumbprint : " SAN "\nServices   : IIS, SMTP\n"
	    "Subject    : CN=mail.example.net\nNotAfter   : 28.02.2027 23:59:59\n";
	static const char own[] =
	    "Thumbprint : " SAN "\nServices   : IIS, SMTP\n"
	    "Subject    : CN=mail.example.net\nIssuer     : CN=R3\n"
	    "NotAfter   : 28.02.2027 23:59:59\n\n"
	    "Thumbprint : " OTHER "\nServices   : IIS\n"
	    "Subject    : CN=WMSvc-SHA2-MOS-MAIL\nIssuer     : CN=WMSvc-SHA2-MOS-MAIL\n"
	    "NotAfter   : 28.02.2030 23:59:59\n";
	static const struct { const char *path, *text; } files[] = {
		{ "SRV-C/certs.txt", prompt }, { "SRV-A/certs.txt", sibling },
		{ "MOS-MAIL/certs.txt", own }, { "BACKUP/certs.txt", sibling },
	};
	struct manifest_entry	m;
	struct evidence		ev;
	size_t			i;

	(void)state;
	evidence_init(&ev);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		memset(&m, 0, sizeof m);
		m.path = (char *)files[i].path;
		m.kind = "format-list";
		m.mtime = TIME_UNKNOWN;
		evidence_add_entry(&ev, &m);
		assert_true(ingest_fl(&ev, files[i].path, files[i].text,
		    strlen(files[i].text)) > 0);
	}
	evidence_finish(&ev);
	assert_int_equal(cert_on(&ev, "SRV-C", SAN)->server_clue, ATTR_COMMAND);
	assert_int_equal(cert_on(&ev, "SRV-A", SAN)->server_clue,
	    ATTR_FOLDER_NAME);
	assert_int_equal(cert_on(&ev, "MOS-MAIL", OTHER)->server_clue,
	    ATTR_SELF_SIGNED);
	assert_int_equal(cert_on(&ev, "MOS-MAIL", SAN)->server_clue,
	    ATTR_SELF_SIGNED);
	/* BACKUP follows no server's naming and nothing in it names one. */
	assert_non_null(cert_on(&ev, NULL, SAN));
	assert_int_equal(count_diags(&ev, "the only server in the bundle"), 0);
	evidence_free(&ev);

	/* Alone with one named server, a sibling folder still is no guess. */
	evidence_init(&ev);
	for (i = 0; i < 4; i += 3) {
		memset(&m, 0, sizeof m);
		m.path = (char *)files[i].path;
		m.kind = "format-list";
		m.mtime = TIME_UNKNOWN;
		evidence_add_entry(&ev, &m);
		assert_true(ingest_fl(&ev, files[i].path, files[i].text,
		    strlen(files[i].text)) > 0);
	}
	evidence_finish(&ev);
	assert_non_null(cert_on(&ev, NULL, SAN));
	assert_int_equal(count_diags(&ev, "the only server in the bundle"), 0);
	evidence_free(&ev);
}

/*
 * A record whose thumbprint was cut or masked gets it back from a log row
 * that logs the same issuer and serial number with it, when a masked form
 * agrees; it stays apart from its twin, and a mask that disagrees keeps it
 * unknown.
 */
static void
test_thumbprint_tied_by_serial(void **state)
{
	struct evidence		ev;
	struct ev_tls_event	e;
	struct ev_cert		c;

	(void)state;
	evidence_init(&ev);
	memset(&e, 0, sizeof e);
	e.log_source = "EXA/SEND1.LOG";
	e.connector = "Outbound";
	e.cert_thumbprint = SAN;
	e.cert_issuer = "CN=R3, O=Let's Encrypt, C=US";
	e.cert_serial = "0A1B2C3D";
	e.time = TIME_UNKNOWN;
	e.line = 3;
	e.text = "row";
	evidence_add_tls(&ev, &e);
	ev_cert_init(&c);
	c.server = (char *)"EXA";
	c.issuer = (char *)"CN=R3, O=Let's Encrypt, C=US";
	c.serial = (char *)"0a1b2c3d";
	c.ref.source = (char *)"EXA/cut.txt";
	evidence_add_cert(&ev, &c);
	c.serial = (char *)"0A1B2C3D";
	c.thumbprint_masked = (char *)"FFFF***0A11";	/* disagrees with SAN */
	c.ref.source = (char *)"EXA/masked.txt";
	evidence_add_cert(&ev, &c);
	evidence_finish(&ev);
	assert_int_equal(ev.ncerts, 2);
	assert_int_equal(count_diags(&ev, "taken from EXA/SEND1.LOG"), 1);
	assert_true((ev.certs[0].thumbprint == NULL) !=
	    (ev.certs[1].thumbprint == NULL));
	evidence_free(&ev);
}

static void
add_tls(struct evidence *ev, const char *source, bool receive,
    const char *connector)
{
	struct ev_tls_event	e;

	memset(&e, 0, sizeof e);
	e.log_source = source;
	e.receive = receive;
	e.connector = connector;
	e.ok = true;
	e.time = TIME_UNKNOWN;
	e.line = 7;
	e.text = "row";
	evidence_add_tls(ev, &e);
}

static void
test_log_aggregates_attributed(void **state)
{
	struct evidence	ev;
	size_t		i;

	(void)state;
	evidence_init(&ev);
	add_cert(&ev, "EXA", OTHER, "c/EXA.xml", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, "EXB", OTHER, "c/EXB.xml", SVC_SMTP, TRI_TRUE);
	/* The connector id beats the path. */
	add_tls(&ev, "c/EXA/RECV1.LOG", true, "EXC\\Default Frontend EXC");
	add_tls(&ev, "c/EXB-1110.zip/Hub_Send_Protocol_Logs.zip/SEND1.LOG",
	    false, "Outbound");
	add_tls(&ev, "c/logs/SEND2.LOG", false, "Outbound");
	evidence_finish(&ev);
	for (i = 0; i < ev.ntls; i++) {
		if (strcmp(ev.tls[i].log_source, "c/EXA/RECV1.LOG") == 0)
			assert_string_equal(ev.tls[i].server, "EXC");
		else if (strstr(ev.tls[i].log_source, "EXB-1110") != NULL)
			assert_string_equal(ev.tls[i].server, "EXB");
		else	/* two servers, no clue: unknown, not a guess */
			assert_null(ev.tls[i].server);
	}
	evidence_free(&ev);
}

/* Gaps say what is really missing: per server, and how many servers. */
static void
test_gaps_per_server(void **state)
{
	struct evidence		 ev;
	struct gap_list		 gaps = { 0 };
	struct ev_tls_event	 e;
	size_t			 i;
	bool			 presented = false, unattributed = false;

	(void)state;
	evidence_init(&ev);
	ev.saw_cert_dump = true;
	add_cert(&ev, "EXA", SAN, "c/EXA.xml", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, "EXB", OTHER, "c/EXB.xml", SVC_SMTP, TRI_TRUE);
	add_cert(&ev, NULL, OTHER, "c/misc/certs.txt", SVC_SMTP, TRI_TRUE);
	memset(&e, 0, sizeof e);
	e.log_source = "c/EXB/SEND1.LOG";
	e.connector = "Outbound";
	e.cert_thumbprint = SAN;	/* EXA holds it, EXB does not */
	e.time = TIME_UNKNOWN;
	e.text = "row";
	evidence_add_tls(&ev, &e);
	evidence_finish(&ev);
	gaps_collect(&ev, &gaps);
	for (i = 0; i < gaps.n; i++) {
		if (strstr(gaps.v[i].what, "presented by EXB in c/EXB/SEND1.LOG "
		    "is not in EXB's certificate inventory") != NULL)
			presented = true;
		if (strstr(gaps.v[i].what, "1 certificate could not be tied to a "
		    "server: the export (c/misc/certs.txt) names none") != NULL &&
		    strstr(gaps.v[i].what, "names 2 servers (EXA, EXB)") != NULL)
			unattributed = true;
		assert_null(strstr(gaps.v[i].what, "several"));
	}
	assert_true(presented);
	assert_true(unattributed);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_clue),
		cmocka_unit_test(test_object_clues),
		cmocka_unit_test(test_path_clues_in_order),
		cmocka_unit_test(test_path_shapes_declare_servers),
		cmocka_unit_test(test_san_cert_one_record_per_server),
		cmocka_unit_test(test_twin_conflicts_named),
		cmocka_unit_test(test_twin_conflict_after_attribution),
		cmocka_unit_test(test_unknown_server_kept_apart),
		cmocka_unit_test(test_only_server_for_inventory_only),
		cmocka_unit_test(test_own_and_layout_names),
		cmocka_unit_test(test_per_server_folders),
		cmocka_unit_test(test_thumbprint_tied_by_serial),
		cmocka_unit_test(test_log_aggregates_attributed),
		cmocka_unit_test(test_gaps_per_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Files written as ASCII: Windows PowerShell 5.1's Export-Csv writes '?' for
 * every character outside ASCII. Such a file is recognised and warned about
 * once, and a connector that pins "O=Müller" finds the certificate whose
 * subject the export wrote as "O=M?ller", instead of calling it missing.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/datetime.h"
#include "formats/ascii_loss.h"
#include "formats/ingest.h"
#include "rules/rules.h"

static void
test_scan(void **state)
{
	struct ascii_loss	l;
	const char		*t;

	(void)state;
	t = "\"Subject\"\r\n\"CN=x, O=M?ller Logistik GmbH, L=K?ln\"\r\n";
	assert_true(ascii_loss_scan(t, strlen(t), &l));
	assert_int_equal(l.count, 2);
	assert_int_equal(l.first_line, 2);
	assert_string_equal(l.word, "M?ller");
	/* Two characters lost in a row are two '?'. */
	t = "O=Stra??enbau";
	assert_true(ascii_loss_scan(t, strlen(t), &l));
	assert_int_equal(l.count, 2);
	/* A question, a '?' at a word's edge: nothing says it was lost. */
	t = "\"Is it ready? Yes\";\"?\";\"a?\";\"?b\"";
	assert_false(ascii_loss_scan(t, strlen(t), &l));
	assert_int_equal(l.count, 0);
	/* A file that holds a non-ASCII character was not written as ASCII. */
	t = "\"O=M?ller\";\"K\xc3\xb6ln\"";
	assert_false(ascii_loss_scan(t, strlen(t), &l));
	assert_false(ascii_loss_scan("", 0, &l));
}

#define GEANT	"CN=GEANT OV RSA CA 4, O=GEANT Vereniging, C=NL"
#define TP_NEW	"B75E53BBFAE799137745BE5BEDCB501FB7EBE0A8"
#define TP_OLD	"FF07FFFD367F562B51ABAD1F8AAA3F2A1E05DCB3"

/*
 * Get-ExchangeCertificate | Export-Csv -UseCulture on a de-DE Windows
 * PowerShell 5.1: ';', local dates, ASCII. FRIENDLY is the new
 * certificate's FriendlyName, to put a character outside ASCII in the file.
 */
#define CERTS_CSV(FRIENDLY) \
	"#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate\r\n" \
	"\"PSComputerName\";\"CertificateDomains\";\"HasPrivateKey\";\"IsSelfSigned\";\"Issuer\";\"NotAfter\";\"NotBefore\";\"RootCAType\";\"Services\";\"Status\";\"Subject\";\"Thumbprint\";\"FriendlyName\";\"Identity\"\r\n" \
	"\"exsrv01.mueller-logistik.de\";\"System.Collections.ArrayList\";\"True\";\"False\";\"" GEANT "\";\"09.11.2027 08:59:59\";\"09.11.2026 09:00:00\";\"ThirdParty\";\"IIS\";\"Valid\";\"CN=mail.mueller-logistik.de, O=M?ller Logistik GmbH, L=K?ln, S=Nordrhein-Westfalen, C=DE\";\"" TP_NEW "\";\"" FRIENDLY "\";\"EXSRV01.mueller-logistik.de\\" TP_NEW "\"\r\n" \
	"\"exsrv01.mueller-logistik.de\";\"System.Collections.ArrayList\";\"True\";\"False\";\"CN=Sectigo RSA Organization Validation Secure Server CA, O=Sectigo Limited, L=Salford, S=Greater Manchester, C=GB\";\"13.11.2026 00:59:59\";\"12.11.2025 01:00:00\";\"ThirdParty\";\"IMAP, POP, SMTP\";\"Valid\";\"CN=mail.mueller-logistik.de, O=M?ller Logistik GmbH, L=K?ln, S=Nordrhein-Westfalen, C=DE\";\"" TP_OLD "\";\"mail.mueller-logistik.de Sectigo 2025\";\"EXSRV01.mueller-logistik.de\\" TP_OLD "\"\r\n" \
	"\"exsrv01.mueller-logistik.de\";\"System.Collections.ArrayList\";\"True\";\"True\";\"CN=EXSRV01\";\"01.06.2027 09:35:00\";\"02.06.2022 09:35:00\";\"Registry\";\"IMAP, POP, SMTP\";\"Valid\";\"CN=EXSRV01\";\"18801EC197DA401460098095AEFD6FC91F7209FB\";\"Microsoft Exchange\";\"EXSRV01.mueller-logistik.de\\18801EC197DA401460098095AEFD6FC91F7209FB\"\r\n"

/* Get-SendConnector | fl, read from its UTF-16 file: the real umlauts. */
static const char connectors_fl[] =
    "\r\n"
    "CloudServicesMailEnabled     : True\r\n"
    "Enabled                      : True\r\n"
    "Identity                     : Outbound to Office 365\r\n"
    "Name                         : Outbound to Office 365\r\n"
    "ProtocolLoggingLevel         : Verbose\r\n"
    "RequireTLS                   : True\r\n"
    "SmartHosts                   : {mueller-logistik-de.mail.protection.outlook.com}\r\n"
    "SourceTransportServers       : {EXSRV01}\r\n"
    "TlsAuthLevel                 : DomainValidation\r\n"
    "TlsCertificateName           : <I>" GEANT "<S>CN=mail.mueller-logistik.de, "
    "O=M\xc3\xbcller Logistik GmbH, L=K\xc3\xb6ln, S=Nordrhein-Westfalen, C=DE\r\n"
    "TlsDomain                    : mail.protection.outlook.com\r\n"
    "\r\n";

static int64_t
as_of(void)
{
	return days_from_civil(2026, 11, 10) * 86400 + 12 * 3600;
}

static const struct finding *
find_rule(const struct findings *fs, const char *rule)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].rule, rule) == 0)
			return &fs->v[i];
	return NULL;
}

/* The diagnostics of `source` that contain `text`. */
static size_t
diags_saying(const struct evidence *ev, const char *source, const char *text)
{
	size_t	i, n = 0;

	for (i = 0; i < ev->diags.n; i++)
		if (ev->diags.v[i].source != NULL &&
		    strcmp(ev->diags.v[i].source, source) == 0 &&
		    strstr(ev->diags.v[i].message, text) != NULL)
			n++;
	return n;
}

static void
read_bundle(struct evidence *ev, const char *csv)
{
	evidence_init(ev);
	assert_int_equal(ingest_csv(ev, "Zertifikate.csv", csv, strlen(csv)), 3);
	assert_int_equal(ingest_fl(ev, "Sendeconnectoren.txt", connectors_fl,
	    sizeof connectors_fl - 1), 1);
	evidence_finish(ev);
}

static const struct ev_cert *
cert_by_tp(const struct evidence *ev, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].thumbprint != NULL &&
		    strcmp(ev->certs[i].thumbprint, tp) == 0)
			return &ev->certs[i];
	return NULL;
}

static void
test_ascii_export_pin_found(void **state)
{
	static const char	 csv[] = CERTS_CSV("mail.mueller-logistik.de GEANT 2026");
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct ev_cert	*c;

	(void)state;
	read_bundle(&ev, csv);
	/* One warning for the file, naming what was lost. */
	assert_int_equal(diags_saying(&ev, "Zertifikate.csv", "written as ASCII"),
	    1);
	assert_int_equal(diags_saying(&ev, "Zertifikate.csv", "4 '?' inside "
	    "words (first at line 3: \"M?ller\")"), 1);
	assert_int_equal(diags_saying(&ev, "Sendeconnectoren.txt",
	    "written as ASCII"), 0);
	assert_non_null(c = cert_by_tp(&ev, TP_NEW));
	assert_true(c->subject_lossy);
	assert_false(c->issuer_lossy);	/* no '?' in it */
	assert_non_null(c = cert_by_tp(&ev, "18801EC197DA401460098095AEFD6FC91F7209FB"));
	assert_false(c->subject_lossy);

	rules_run_all(&ev, as_of(), &fs, &gaps);
	/* The pinned certificate is B75E53BB...: installed, not missing. */
	assert_null(find_rule(&fs, "tls-cert-name-not-found"));
	assert_null(find_rule(&fs, "tls-cert-name-invalid"));
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

/*
 * The same '?' in a file that holds a character outside ASCII was written
 * as it stands: that subject is not the pinned one, which is missing.
 */
static void
test_literal_question_mark_is_not_lossy(void **state)
{
	static const char	 csv[] = CERTS_CSV("Zertifikat f\xc3\xbcr mail");
	struct evidence		 ev;
	struct findings		 fs = { .root_cause = -1 };
	struct gap_list		 gaps = { 0 };
	const struct finding	*f;

	(void)state;
	read_bundle(&ev, csv);
	assert_int_equal(diags_saying(&ev, "Zertifikate.csv", "written as ASCII"),
	    0);
	assert_false(cert_by_tp(&ev, TP_NEW)->subject_lossy);
	rules_run_all(&ev, as_of(), &fs, &gaps);
	assert_non_null(f = find_rule(&fs, "tls-cert-name-not-found"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_string_equal(f->servers.v[0], "EXSRV01");
	findings_free(&fs);
	gap_list_free(&gaps);
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_ascii_export_pin_found),
		cmocka_unit_test(test_literal_question_mark_is_not_lossy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

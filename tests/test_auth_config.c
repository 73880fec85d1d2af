/*
 * The organization's OAuth settings (Get-AuthConfig) end to end: read from
 * Format-List, CliXml, CSV and JSON through the record layer into one
 * record per organization, a gap when no export holds them, and shown in
 * findings.json ("auth_configs"), the workbook (the Auth Config sheet) and
 * the page (the Auth configuration section). The values expected are those
 * the exports below say.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "formats/ingest.h"
#include "model/evidence.h"
#include "model/kinds/auth_config.h"
#include "output/report.h"
#include "util/datetime.h"
#include "util/util.h"

#define CURRENT		"6F029E0A7D85F9D5D1A4E4D0B8E03A3B42B1C7D1"
#define NEXT		"A1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
#define SERVICE		"00000002-0000-0ff1-ce00-000000000000"
#define DN		"CN=Auth Configuration,CN=Contoso,CN=Microsoft Exchange," \
			"CN=Services,CN=Configuration,DC=contoso,DC=com"

/* Get-AuthConfig | Format-List, as the Exchange Management Shell prints it. */
static const char fl[] =
    "\r\n"
    "RunspaceId                    : 3b9e4c1e-1f5a-4a8e-9d3b-0c2f7e6a5b41\r\n"
    "CurrentCertificateThumbprint  : " CURRENT "\r\n"
    "PreviousCertificateThumbprint : \r\n"
    "NextCertificateThumbprint     : " NEXT "\r\n"
    "NextCertificateEffectiveDate  : 6/1/2026 12:00:00 AM\r\n"
    "ServiceName                   : " SERVICE "\r\n"
    "Realm                         : \r\n"
    "Name                          : Auth Configuration\r\n"
    "DistinguishedName             : " DN "\r\n"
    "Identity                      : Auth Configuration\r\n"
    "WhenChanged                   : 3/14/2026 10:22:41 AM\r\n"
    "\r\n";

/* Export-Clixml: the type names and an exact (UTC) date. */
static const char clixml[] =
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n"
    "<Obj RefId=\"0\"><TN RefId=\"0\">"
    "<T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig</T>"
    "<T>Deserialized.Microsoft.Exchange.Data.Directory.ADConfigurationObject</T>"
    "<T>Deserialized.System.Object</T></TN>\n"
    "<ToString>Auth Configuration</ToString><Props>\n"
    "<S N=\"CurrentCertificateThumbprint\">" CURRENT "</S>\n"
    "<Nil N=\"PreviousCertificateThumbprint\" />\n"
    "<S N=\"NextCertificateThumbprint\">" NEXT "</S>\n"
    "<DT N=\"NextCertificateEffectiveDate\">2026-06-01T00:00:00+02:00</DT>\n"
    "<S N=\"ServiceName\">" SERVICE "</S>\n"
    "<Nil N=\"Realm\" />\n"
    "<S N=\"Name\">Auth Configuration</S>\n"
    "<S N=\"DistinguishedName\">" DN "</S>\n"
    "</Props></Obj>\n"
    "</Objs>\n";

/* Export-Csv (Windows PowerShell 5.1: #TYPE, every cell quoted). */
static const char csv[] =
    "#TYPE Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig\r\n"
    "\"CurrentCertificateThumbprint\",\"PreviousCertificateThumbprint\","
    "\"NextCertificateThumbprint\",\"NextCertificateEffectiveDate\","
    "\"ServiceName\",\"Realm\",\"DistinguishedName\"\r\n"
    "\"" CURRENT "\",\"\",\"\",\"\",\"" SERVICE "\",\"\",\"" DN "\"\r\n";

/* ConvertTo-Json (5.1: dates as \/Date(ms)\/). */
static const char json[] =
    "{ \"CurrentCertificateThumbprint\": \"" CURRENT "\","
    " \"PreviousCertificateThumbprint\": null,"
    " \"NextCertificateThumbprint\": \"" NEXT "\","
    " \"NextCertificateEffectiveDate\": \"\\/Date(1780264800000)\\/\","
    " \"ServiceName\": \"" SERVICE "\", \"Realm\": \"\","
    " \"DistinguishedName\": \"" DN "\" }";

static int64_t
iso(const char *s)
{
	int64_t	t = TIME_UNKNOWN;

	assert_true(date_parse_iso(s, &t));
	return t;
}

static void
finished(struct evidence *ev)
{
	evidence_finish(ev);
	assert_int_equal(ev->nauth_configs, 1);
}

static void
test_format_list(void **state)
{
	struct evidence			 ev;
	const struct ev_auth_config	*a;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "AuthConfig.txt", fl, sizeof fl - 1), 1);
	finished(&ev);
	a = &ev.auth_configs[0];
	assert_string_equal(a->organization, "Contoso");
	assert_string_equal(a->current_thumbprint, CURRENT);
	assert_null(a->previous_thumbprint);	/* none set */
	assert_string_equal(a->next_thumbprint, NEXT);
	/* Format-List prints the server's clock: read as UTC, not exact. */
	assert_int_equal(a->next_effective, iso("2026-06-01T00:00:00Z"));
	assert_false(a->next_effective_exact);
	assert_string_equal(a->service_name, SERVICE);
	assert_null(a->realm);
	evidence_free(&ev);
}

/* The CliXml twin of the Format-List dump is one record; its date wins. */
static void
test_clixml_twin(void **state)
{
	struct evidence			 ev;
	const struct ev_auth_config	*a;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "AuthConfig.txt", fl, sizeof fl - 1), 1);
	assert_int_equal(ingest_clixml(&ev, "AuthConfig.xml", clixml,
	    sizeof clixml - 1), 1);
	finished(&ev);
	a = &ev.auth_configs[0];
	assert_int_equal(a->next_effective, iso("2026-05-31T22:00:00Z"));
	assert_true(a->next_effective_exact);
	assert_int_equal(a->sources.n, 2);
	evidence_free(&ev);
}

static void
test_csv_and_json(void **state)
{
	struct evidence			 ev;
	const struct ev_auth_config	*a;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_csv(&ev, "AuthConfig.csv", csv, sizeof csv - 1), 1);
	finished(&ev);
	a = &ev.auth_configs[0];
	assert_string_equal(a->current_thumbprint, CURRENT);
	assert_null(a->next_thumbprint);
	assert_int_equal(a->next_effective, TIME_UNKNOWN);
	evidence_free(&ev);

	evidence_init(&ev);
	assert_int_equal(ingest_json(&ev, "AuthConfig.json", json,
	    sizeof json - 1), 1);
	finished(&ev);
	a = &ev.auth_configs[0];
	assert_string_equal(a->organization, "Contoso");
	assert_string_equal(a->next_thumbprint, NEXT);
	assert_int_equal(a->next_effective, iso("2026-05-31T22:00:00Z"));
	assert_true(a->next_effective_exact);
	evidence_free(&ev);
}

static bool
has_gap(const struct gap_list *gl, const char *what)
{
	size_t	i;

	for (i = 0; i < gl->n; i++)
		if (strcmp(gl->v[i].what, what) == 0)
			return true;
	return false;
}

static void
test_gap_when_missing(void **state)
{
	struct evidence	ev;
	struct gap_list	gl = { 0 };

	(void)state;
	evidence_init(&ev);
	gaps_collect(&ev, &gl);
	assert_true(has_gap(&gl, "no Get-AuthConfig output"));
	gap_list_free(&gl);
	assert_int_equal(ingest_fl(&ev, "AuthConfig.txt", fl, sizeof fl - 1), 1);
	evidence_finish(&ev);
	gaps_collect(&ev, &gl);
	assert_false(has_gap(&gl, "no Get-AuthConfig output"));
	gap_list_free(&gl);
	evidence_free(&ev);
}

static char *
file_text(const char *path)
{
	FILE	*fp = fopen(path, "rb");
	char	*s;
	long	 n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	s = xmalloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	return s;
}

/* The workbook's list of sheets. */
static char *
workbook_sheets(const char *path)
{
	struct archive		*a = archive_read_new();
	struct archive_entry	*e;
	char			*out = NULL;
	la_int64_t		 size;

	archive_read_support_format_zip(a);
	assert_int_equal(archive_read_open_filename(a, path, 16384), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), "xl/workbook.xml") != 0)
			continue;
		size = archive_entry_size(e);
		assert_true(size > 0);
		out = xcalloc((size_t)size + 1, 1);
		assert_int_equal(archive_read_data(a, out, (size_t)size), size);
		break;
	}
	archive_read_free(a);
	assert_non_null(out);
	return out;
}

static void
test_outputs(void **state)
{
	struct evidence	 ev;
	struct findings	 fs;
	struct gap_list	 gl = { 0 };
	struct report	 r;
	char		 dir[] = "/tmp/certtrail-authconfig-XXXXXX";
	char		*path, *text;
	const char	*p;

	(void)state;
	assert_non_null(mkdtemp(dir));
	evidence_init(&ev);
	assert_int_equal(ingest_fl(&ev, "AuthConfig.txt", fl, sizeof fl - 1), 1);
	evidence_finish(&ev);
	memset(&fs, 0, sizeof fs);
	fs.root_cause = -1;
	memset(&r, 0, sizeof r);
	r.tool_version = "test";
	r.as_of = iso("2026-05-20T08:00:00Z");
	r.as_of_source = "option";
	r.ev = &ev;
	r.findings = &fs;
	r.gaps = &gl;

	path = xasprintf("%s/findings.json", dir);
	assert_int_equal(out_json_write(&r, path), 0);
	text = file_text(path);
	p = strstr(text, "\"auth_configs\": [");
	assert_non_null(p);
	assert_non_null(strstr(p, "\"organization\": \"Contoso\""));
	assert_non_null(strstr(p, "\"current_certificate_thumbprint\": \"" CURRENT "\""));
	/* Format-List text: the server's local time, without Z. */
	assert_non_null(strstr(p, "\"next_certificate_effective_date\": "
	    "\"2026-06-01T00:00:00\""));
	assert_non_null(strstr(p, "\"next_certificate_effective_date_exact\": "
	    "false"));
	free(text);
	unlink(path);
	free(path);

	path = xasprintf("%s/report.html", dir);
	assert_int_equal(out_html_write(&r, path), 0);
	text = file_text(path);
	assert_non_null(strstr(text, "<a href=\"#auth-config\">Auth "
	    "configuration</a>"));
	assert_non_null(strstr(text, "id=\"auth-config\""));
	assert_non_null(strstr(text, CURRENT));
	/* The Format-List date is local time, and the page says so. */
	assert_non_null(strstr(text, "server local time"));
	free(text);
	unlink(path);
	free(path);

	path = xasprintf("%s/report.xlsx", dir);
	assert_int_equal(out_xlsx_write(&r, path), 0);
	text = workbook_sheets(path);
	assert_non_null(strstr(text, "<sheet name=\"Auth Config\""));
	free(text);
	unlink(path);
	free(path);

	rmdir(dir);
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_list),
		cmocka_unit_test(test_clixml_twin),
		cmocka_unit_test(test_csv_and_json),
		cmocka_unit_test(test_gap_when_missing),
		cmocka_unit_test(test_outputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Saved e-mails: the parts of a MIME message, decoded from quoted-printable
 * and base64, and what a damaged part costs.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/mime.h"
#include "util/util.h"

#define MAXP	8

struct got {
	int	 n;
	char	*name[MAXP], *type[MAXP], *data[MAXP], *problem[MAXP];
};

static void
take(void *arg, const struct mime_part *p)
{
	struct got	*g = arg;
	int		 i = g->n++;

	assert_true(i < MAXP);
	assert_int_equal(p->index, i + 1);
	g->name[i] = p->name != NULL ? xstrdup(p->name) : NULL;
	g->type[i] = xstrdup(p->type);
	g->data[i] = p->data != NULL ? xstrndup((const char *)p->data, p->len) : NULL;
	g->problem[i] = p->problem != NULL ? xstrdup(p->problem) : NULL;
}

static void
got_free(struct got *g)
{
	int	i;

	for (i = 0; i < g->n; i++) {
		free(g->name[i]);
		free(g->type[i]);
		free(g->data[i]);
		free(g->problem[i]);
	}
}

/*
 * As Outlook saves a reply: the console output in a quoted-printable text
 * part (soft line breaks, "=3D", "=20"), a log as a base64 attachment.
 */
static const char message[] =
    "From: Sam Lee <sam@fourthcoffee.com>\r\n"
    "Subject: RE: Outbound mail stuck - TLS\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed;\r\n"
    "\tboundary=\"----=_NextPart_000_0012\"\r\n"
    "\r\n"
    "This is a multi-part message in MIME format.\r\n"
    "\r\n"
    "------=_NextPart_000_0012\r\n"
    "Content-Type: text/plain; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "TlsCertificateName : <I>CN=3DDigiCert Global G2 TLS RSA SHA256 2020 CA1, O=\r\n"
    "=3DDigiCert Inc<S>CN=3Dmail.fourthcoffee.com\r\n"
    "LastError          :=20\r\n"
    "SmartHosts         : {fourthcoffee-com.mail.protection.outlook.co=\r\n"
    "m}\r\n"
    "\r\n"
    "------=_NextPart_000_0012\r\n"
    "Content-Type: application/octet-stream; name=\"SEND2026111009-1.LOG\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"SEND2026111009-1.LOG\"\r\n"
    "\r\n"
    "I1NvZnR3YXJlOiBNaWNyb3NvZnQgRXhjaGFuZ2UgU2VydmVyDQojVmVyc2lvbjogMTUuMi4x\r\n"
    "MjU4LjEyDQo=\r\n"
    "\r\n"
    "------=_NextPart_000_0012\r\n"
    "Content-Type: application/octet-stream; name=\"SEND2026111010-1.LOG\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "I1NvZnR3YXJl!!!OiBNaWNyb3NvZnQ=\r\n"
    "\r\n"
    "------=_NextPart_000_0012--\r\n";

static void
test_mime_parts_decoded(void **state)
{
	struct got	g;

	(void)state;
	memset(&g, 0, sizeof g);
	assert_true(mime_is_message(message, sizeof message - 1));
	assert_int_equal(mime_walk(message, sizeof message - 1, take, &g), 3);
	assert_null(g.name[0]);
	assert_string_equal(g.type[0], "text/plain");
	assert_string_equal(g.data[0],
	    "TlsCertificateName : <I>CN=DigiCert Global G2 TLS RSA SHA256 2020 "
	    "CA1, O=DigiCert Inc<S>CN=mail.fourthcoffee.com\r\n"
	    "LastError          : \r\n"
	    "SmartHosts         : {fourthcoffee-com.mail.protection.outlook.com}\r\n");
	assert_string_equal(g.name[1], "SEND2026111009-1.LOG");
	assert_string_equal(g.data[1], "#Software: Microsoft Exchange Server\r\n"
	    "#Version: 15.2.1258.12\r\n");
	/* A damaged attachment costs only itself, with why. */
	assert_string_equal(g.name[2], "SEND2026111010-1.LOG");
	assert_null(g.data[2]);
	assert_non_null(strstr(g.problem[2], "base64"));
	got_free(&g);
}

/* A nested multipart and a message cut short before its closing line. */
static void
test_mime_nested_and_cut(void **state)
{
	static const char text[] =
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=outer\n"
	    "\n"
	    "--outer\n"
	    "Content-Type: multipart/alternative; boundary=\"inner\"\n"
	    "\n"
	    "--inner\n"
	    "Content-Type: text/plain\n"
	    "\n"
	    "plain\n"
	    "--inner\n"
	    "Content-Type: text/html\n"
	    "\n"
	    "<p>html</p>\n"
	    "--inner--\n"
	    "--outer\n"
	    "Content-Type: text/plain; name=notes.txt\n"
	    "\n"
	    "cut here";
	struct got	g;

	(void)state;
	memset(&g, 0, sizeof g);
	assert_int_equal(mime_walk(text, sizeof text - 1, take, &g), 3);
	assert_string_equal(g.data[0], "plain");
	assert_string_equal(g.type[1], "text/html");
	assert_string_equal(g.name[2], "notes.txt");
	assert_string_equal(g.data[2], "cut here");
	got_free(&g);
}

/* Console text, a ticket and a Format-List are not messages. */
static void
test_mime_not_a_message(void **state)
{
	(void)state;
	assert_false(mime_is_message("Thumbprint : AB12\nServices : IIS\n", 33));
	assert_false(mime_is_message("Ticket #0042\nStatus: Open\n\nbody", 31));
	assert_false(mime_is_message("From: a\nSubject: b\n\nno MIME here", 32));
	assert_false(mime_is_message("", 0));
	assert_false(mime_is_message(NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mime_parts_decoded),
		cmocka_unit_test(test_mime_nested_and_cut),
		cmocka_unit_test(test_mime_not_a_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

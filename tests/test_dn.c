/* Distinguished names and TlsCertificateName, as Exchange compares them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "model/dn.h"

static void
assert_canonical(const char *in, const char *want)
{
	char	*c = dn_canonical(in);

	assert_non_null(c);
	assert_string_equal(c, want);
	free(c);
}

static void
test_canonical_basic(void **state)
{
	(void)state;
	assert_canonical("CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US",
	    "cn=mail.contoso.com, o=contoso, l=redmond, s=washington, c=us");
	/* OpenSSL's spelling of the same name */
	assert_canonical("CN=mail.contoso.com,O=Contoso,L=Redmond,ST=Washington,C=US",
	    "cn=mail.contoso.com, o=contoso, l=redmond, s=washington, c=us");
	assert_canonical("  cn = localhost  ", "cn=localhost");
	assert_canonical("CN=localhost", "cn=localhost");
	assert_canonical("", "");
	assert_null(dn_canonical(NULL));
}

static void
test_canonical_quotes_and_escapes(void **state)
{
	(void)state;
	assert_canonical("CN=mail.contoso.com, O=\"Contoso, Ltd.\", C=US",
	    "cn=mail.contoso.com, o=contoso, ltd., c=us");
	assert_canonical("CN=mail.contoso.com,O=Contoso\\, Ltd.,C=US",
	    "cn=mail.contoso.com, o=contoso, ltd., c=us");
	/* spaces inside quotes are part of the value */
	assert_canonical("OU=\" Lab \", CN=x", "ou= lab , cn=x");
	/* .NET doubles quotes inside quotes */
	assert_canonical("O=\"The \"\"Big\"\" One, Inc\"", "o=the \"big\" one, inc");
	/* E and EMAILADDRESS are different keys, kept as they are */
	assert_canonical("E=admin@contoso.com, CN=x", "e=admin@contoso.com, cn=x");
	assert_canonical("emailAddress=admin@contoso.com, CN=x",
	    "emailaddress=admin@contoso.com, cn=x");
	/* empty RDNs from stray commas are dropped */
	assert_canonical("CN=x,, O=y,", "cn=x, o=y");
}

static void
test_dn_equal(void **state)
{
	(void)state;
	assert_true(dn_equal("CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US",
	    "cn=digicert global g2 tls rsa sha256 2020 ca1,o=DigiCert Inc,c=US"));
	assert_true(dn_equal("O=\"Contoso, Ltd.\", CN=x", "O=Contoso\\, Ltd., CN=x"));
	assert_true(dn_equal("S=Washington", "ST=Washington"));
	assert_false(dn_equal("CN=mail.contoso.com, O=Contoso", "CN=mail.contoso.com"));
	/* order matters: Exchange compares the formatted strings */
	assert_false(dn_equal("CN=a, O=b", "O=b, CN=a"));
	assert_false(dn_equal("CN=a", NULL));
	assert_true(dn_equal(NULL, NULL));
}

/*
 * Windows PowerShell 5.1's Export-Csv writes ASCII: "Müller" becomes
 * "M?ller". A '?' of a lossy side stands for one non-ASCII character of the
 * other side, and only then.
 */
#define SUBJ_REAL	"CN=mail.mueller-logistik.de, O=M\xc3\xbcller Logistik GmbH, " \
			"L=K\xc3\xb6ln, S=Nordrhein-Westfalen, C=DE"
#define SUBJ_ASCII	"CN=mail.mueller-logistik.de, O=M?ller Logistik GmbH, " \
			"L=K?ln, S=Nordrhein-Westfalen, C=DE"

static void
test_dn_compare_lossy(void **state)
{
	(void)state;
	assert_int_equal(dn_compare(SUBJ_ASCII, true, SUBJ_REAL, false),
	    DN_SAME_LOOSELY);
	assert_int_equal(dn_compare(SUBJ_REAL, false, SUBJ_ASCII, true),
	    DN_SAME_LOOSELY);
	/* The same '?' in a file that kept its characters is a '?'. */
	assert_int_equal(dn_compare(SUBJ_ASCII, false, SUBJ_REAL, false),
	    DN_DIFFERENT);
	assert_false(dn_equal(SUBJ_ASCII, SUBJ_REAL));
	/* Both written as ASCII: equal as they stand. */
	assert_int_equal(dn_compare(SUBJ_ASCII, true, SUBJ_ASCII, true), DN_SAME);
	assert_int_equal(dn_compare(SUBJ_REAL, false,
	    "cn=MAIL.mueller-logistik.de,O=M\xc3\xbcller Logistik GmbH,"
	    "L=K\xc3\xb6ln,ST=Nordrhein-Westfalen,C=DE", true), DN_SAME);
	/* A '?' never stands for an ASCII letter: "Mueller" is another name. */
	assert_int_equal(dn_compare("O=M?ller", true, "O=Mueller", false),
	    DN_DIFFERENT);
	assert_int_equal(dn_compare("O=M?ller", true, "O=Maller", false),
	    DN_DIFFERENT);
	/* One '?' is one character, of any length in UTF-8 ... */
	assert_int_equal(dn_compare("O=?ffice", true, "O=\xef\xac\x83" "ce", false),
	    DN_DIFFERENT);
	assert_int_equal(dn_compare("O=?ce", true, "O=\xef\xac\x83" "ce", false),
	    DN_SAME_LOOSELY);
	assert_int_equal(dn_compare("O=Bj?rk ?", true,
	    "O=Bj\xc3\xb6rk \xf0\x9f\x98\x80", false), DN_SAME_LOOSELY);
	/* ... and two lost characters are two '?'. */
	assert_int_equal(dn_compare("O=Stra?e", true, "O=Stra\xc3\x9f\xc3\xa9" "e",
	    false), DN_DIFFERENT);
	assert_int_equal(dn_compare("O=Stra??e", true, "O=Stra\xc3\x9f\xc3\xa9" "e",
	    false), DN_SAME_LOOSELY);
	/* A literal '?' on the other side still matches a lossy '?'. */
	assert_int_equal(dn_compare("O=Who?", true, "O=Who?", false), DN_SAME);
	assert_int_equal(dn_compare(NULL, true, NULL, false), DN_SAME);
	assert_int_equal(dn_compare("O=M?ller", true, NULL, false), DN_DIFFERENT);
}

static void
test_tls_name_lossy(void **state)
{
	struct tls_cert_name	n;
	const char		*issuer = "CN=GEANT OV RSA CA 4, O=GEANT Vereniging, C=NL";

	(void)state;
	tls_cert_name_parse("<I>CN=GEANT OV RSA CA 4, O=GEANT Vereniging, C=NL"
	    "<S>" SUBJ_REAL, &n);
	assert_true(n.valid);
	/* As Exchange compares: the ASCII export's subject is not equal. */
	assert_false(tls_cert_name_matches(&n, issuer, SUBJ_ASCII));
	assert_int_equal(tls_cert_name_compare(&n, false, issuer, false,
	    SUBJ_ASCII, true), DN_SAME_LOOSELY);
	assert_int_equal(tls_cert_name_compare(&n, false, issuer, true,
	    SUBJ_REAL, false), DN_SAME);
	/* Another issuer is another certificate, however loose the subject. */
	assert_int_equal(tls_cert_name_compare(&n, false, "CN=R3, O=Let's "
	    "Encrypt, C=US", false, SUBJ_ASCII, true), DN_DIFFERENT);
	assert_int_equal(tls_cert_name_compare(&n, false, issuer, false,
	    SUBJ_ASCII, false), DN_DIFFERENT);
	tls_cert_name_clear(&n);
}

static void
test_tls_name_full(void **state)
{
	struct tls_cert_name	n;

	(void)state;
	tls_cert_name_parse("<I>CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US"
	    "<S>CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US", &n);
	assert_true(n.valid);
	assert_null(n.problem);
	assert_string_equal(n.issuer, "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US");
	assert_string_equal(n.subject, "CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US");
	assert_true(tls_cert_name_matches(&n,
	    "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US",
	    "CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US"));
	/* OpenSSL spelling of the same certificate still matches */
	assert_true(tls_cert_name_matches(&n,
	    "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US",
	    "cn=MAIL.contoso.com,O=Contoso,L=Redmond,ST=Washington,C=US"));
	/* a different issuer does not */
	assert_false(tls_cert_name_matches(&n, "CN=R3, O=Let's Encrypt, C=US",
	    "CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US"));
	assert_false(tls_cert_name_matches(&n, NULL,
	    "CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US"));
	tls_cert_name_clear(&n);
	assert_null(n.subject);
}

static void
test_tls_name_lower_tags_and_space(void **state)
{
	struct tls_cert_name	n;

	(void)state;
	tls_cert_name_parse("  <i> CN=localhost <s> CN=localhost  ", &n);
	assert_true(n.valid);
	assert_string_equal(n.issuer, "CN=localhost");
	assert_string_equal(n.subject, "CN=localhost");
	assert_true(tls_cert_name_matches(&n, "CN=localhost", "CN=localhost"));
	tls_cert_name_clear(&n);

	tls_cert_name_parse("<I>CN=WIN-CTD3L0RGEN4<S>CN=WIN-CTD3L0RGEN4", &n);
	assert_true(n.valid);
	tls_cert_name_clear(&n);
}

static void
test_tls_name_subject_only(void **state)
{
	struct tls_cert_name	n;

	(void)state;
	tls_cert_name_parse("<S>CN=*.contoso.com, O=Contoso", &n);
	assert_true(n.valid);
	assert_null(n.issuer);
	assert_string_equal(n.subject, "CN=*.contoso.com, O=Contoso");
	/* without <I>, any issuer will do */
	assert_true(tls_cert_name_matches(&n, "CN=Any CA", "cn=*.contoso.com, o=contoso"));
	assert_true(tls_cert_name_matches(&n, NULL, "CN=*.contoso.com, O=Contoso"));
	assert_false(tls_cert_name_matches(&n, "CN=Any CA", "CN=*.contoso.com"));
	tls_cert_name_clear(&n);
}

static void
test_tls_name_invalid(void **state)
{
	struct tls_cert_name	n;

	(void)state;
	/* no <S> */
	tls_cert_name_parse("<I>CN=Contoso CA", &n);
	assert_false(n.valid);
	assert_non_null(n.problem);
	assert_string_equal(n.issuer, "CN=Contoso CA");
	assert_null(n.subject);
	assert_false(tls_cert_name_matches(&n, "CN=Contoso CA", "CN=x"));
	tls_cert_name_clear(&n);

	/* stray text before the tags */
	tls_cert_name_parse("mail.contoso.com<S>CN=mail.contoso.com", &n);
	assert_false(n.valid);
	assert_string_equal(n.subject, "CN=mail.contoso.com");
	tls_cert_name_clear(&n);

	/* the subject CN is not a domain name */
	tls_cert_name_parse("<I>CN=Microsoft Exchange Server Auth Certificate"
	    "<S>CN=Microsoft Exchange Server Auth Certificate", &n);
	assert_false(n.valid);
	assert_non_null(n.problem);
	tls_cert_name_clear(&n);

	/* no CN at all */
	tls_cert_name_parse("<S>O=Contoso, C=US", &n);
	assert_false(n.valid);
	tls_cert_name_clear(&n);

	/* a bare thumbprint is not a name */
	tls_cert_name_parse("6F029E0D20605DB27016B787C4503FD0002C0A11", &n);
	assert_false(n.valid);
	assert_null(n.subject);
	assert_null(n.issuer);
	tls_cert_name_clear(&n);

	/* bad host names */
	tls_cert_name_parse("<S>CN=-bad.contoso.com", &n);
	assert_false(n.valid);
	tls_cert_name_clear(&n);
	tls_cert_name_parse("<S>CN=mail..contoso.com", &n);
	assert_false(n.valid);
	tls_cert_name_clear(&n);
	tls_cert_name_parse("<S>CN=*", &n);
	assert_false(n.valid);
	tls_cert_name_clear(&n);
	tls_cert_name_parse("<S>CN=mail.*.contoso.com", &n);
	assert_false(n.valid);
	tls_cert_name_clear(&n);

	/* tags in the wrong order */
	tls_cert_name_parse("<S>CN=a.contoso.com<I>CN=CA", &n);
	assert_false(n.valid);
	assert_string_equal(n.subject, "CN=a.contoso.com");
	assert_string_equal(n.issuer, "CN=CA");
	tls_cert_name_clear(&n);

	tls_cert_name_parse("", &n);
	assert_false(n.valid);
	tls_cert_name_clear(&n);
	tls_cert_name_parse(NULL, &n);
	assert_false(n.valid);
	assert_non_null(n.problem);
	tls_cert_name_clear(&n);
}

static void
test_tls_name_renewal_matches_both(void **state)
{
	struct tls_cert_name	n;
	const char		*issuer = "CN=Contoso Issuing CA 01, DC=contoso, DC=com";
	const char		*subject = "CN=smtp.contoso.com, OU=IT, O=\"Contoso, Ltd.\", C=US";

	(void)state;
	/* the old and the renewed certificate print the same strings */
	tls_cert_name_parse("<I>CN=Contoso Issuing CA 01, DC=contoso, DC=com"
	    "<S>CN=smtp.contoso.com, OU=IT, O=\"Contoso, Ltd.\", C=US", &n);
	assert_true(n.valid);
	assert_true(tls_cert_name_matches(&n, issuer, subject));
	assert_true(tls_cert_name_matches(&n, issuer,
	    "CN=smtp.contoso.com,OU=IT,O=Contoso\\, Ltd.,C=US"));
	tls_cert_name_clear(&n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_basic),
		cmocka_unit_test(test_canonical_quotes_and_escapes),
		cmocka_unit_test(test_dn_equal),
		cmocka_unit_test(test_dn_compare_lossy),
		cmocka_unit_test(test_tls_name_lossy),
		cmocka_unit_test(test_tls_name_full),
		cmocka_unit_test(test_tls_name_lower_tags_and_space),
		cmocka_unit_test(test_tls_name_subject_only),
		cmocka_unit_test(test_tls_name_invalid),
		cmocka_unit_test(test_tls_name_renewal_matches_both),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

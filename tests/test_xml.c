/*
 * The XML tokenizer on its own: tokens and line numbers, entities, CDATA,
 * skipped markup, and the refusals that keep hostile documents harmless.
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

#include "formats/xml.h"
#include "util/parse_diag.h"

/* The next token: NULL, or the cause of the error that stops the document. */
static const char *
next(struct xml_lexer *lx, struct xml_tok *t)
{
	static struct parse_diag	why;

	parse_diag_init(&why, NULL, "test.xml");
	return xml_next(lx, t, &why) == 0 ? NULL : why.cause;
}

static void
test_tokens_lines_and_attributes(void **state)
{
	static const char doc[] =
	    "\xef\xbb\xbf<?xml version=\"1.0\"?>\r\n"
	    "<!-- a comment -->\r\n"
	    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n"
	    "  <S N=\"Name\">Outbound &amp; &lt;EU&gt; &#x4E2D;&#25991;</S>\r\n"
	    "  <Nil N=\"TlsDomain\" />\r\n"
	    "</Objs>\r\n";
	struct xml_lexer	lx;
	struct xml_tok		t;

	(void)state;
	memset(&t, 0, sizeof t);
	xml_lexer_init(&lx, doc, sizeof doc - 1);
	/* The BOM may precede the first token; skip white space text. */
	do {
		assert_null(next(&lx, &t));
	} while (t.kind == XML_TEXT);
	assert_int_equal(t.kind, XML_START);
	assert_string_equal(t.name, "Objs");
	assert_int_equal(t.line, 3);
	assert_string_equal(xml_tok_attr(&t, "Version"), "1.1.0.1");
	assert_null(xml_tok_attr(&t, "version"));	/* names are exact */
	do {
		assert_null(next(&lx, &t));
	} while (t.kind == XML_TEXT);
	assert_string_equal(t.name, "S");
	assert_string_equal(xml_tok_attr(&t, "N"), "Name");
	assert_null(next(&lx, &t));
	assert_int_equal(t.kind, XML_TEXT);
	assert_string_equal(t.text, "Outbound & <EU> \xe4\xb8\xad\xe6\x96\x87");
	assert_int_equal(t.line, 4);
	assert_null(next(&lx, &t));
	assert_int_equal(t.kind, XML_END);
	assert_string_equal(t.name, "S");
	do {
		assert_null(next(&lx, &t));
	} while (t.kind == XML_TEXT);
	assert_int_equal(t.kind, XML_START);
	assert_string_equal(t.name, "Nil");
	assert_true(t.empty);
	assert_int_equal(t.line, 5);
	do {
		assert_null(next(&lx, &t));
	} while (t.kind == XML_TEXT);
	assert_int_equal(t.kind, XML_END);
	assert_string_equal(t.name, "Objs");
	do {
		assert_null(next(&lx, &t));
	} while (t.kind == XML_TEXT);
	assert_int_equal(t.kind, XML_EOF);
	xml_tok_reset(&t);
}

static void
test_cdata_and_line_ends(void **state)
{
	static const char doc[] = "<S><![CDATA[a <b> & c]]>\r\nd</S>";
	struct xml_lexer	lx;
	struct xml_tok		t;

	(void)state;
	memset(&t, 0, sizeof t);
	xml_lexer_init(&lx, doc, sizeof doc - 1);
	assert_null(next(&lx, &t));
	assert_int_equal(t.kind, XML_START);
	/* Text may come in pieces: join them. */
	{
		struct buf b;

		buf_init(&b, 1 << 16);
		for (;;) {
			assert_null(next(&lx, &t));
			if (t.kind != XML_TEXT)
				break;
			buf_append(&b, t.text, t.textlen);
		}
		assert_string_equal(b.data, "a <b> & c\nd");
		buf_free(&b);
	}
	assert_int_equal(t.kind, XML_END);
	xml_tok_reset(&t);
}

static void
expect_error(const char *doc)
{
	struct xml_lexer	lx;
	struct xml_tok		t;
	const char		*err = NULL;
	int			i;

	memset(&t, 0, sizeof t);
	xml_lexer_init(&lx, doc, strlen(doc));
	/* Bounded: every call moves forward, so this ends either way. */
	for (i = 0; i < 1000 && err == NULL; i++) {
		err = next(&lx, &t);
		if (err == NULL && t.kind == XML_EOF)
			break;
	}
	assert_non_null(err);
	xml_tok_reset(&t);
}

static void
test_hostile_documents_are_refused(void **state)
{
	char	*many;
	size_t	 i, n;

	(void)state;
	/* Entity declarations are how XML bombs work: refused outright. */
	expect_error("<!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;\">]><x>&b;</x>");
	expect_error("<x>&unknown;</x>");
	expect_error("<x a=\"1>");
	/* More attributes than the bound. */
	n = (XML_MAX_ATTRS + 2) * 8 + 8;
	many = malloc(n);
	assert_non_null(many);
	snprintf(many, n, "<x");
	for (i = 0; i < XML_MAX_ATTRS + 2; i++)
		snprintf(many + strlen(many), n - strlen(many), " a%zu=\"1\"", i);
	snprintf(many + strlen(many), n - strlen(many), "/>");
	expect_error(many);
	free(many);
}

static void
test_surrogate_reference_is_replaced(void **state)
{
	/* Nesting is the caller's business: an unclosed <x> is not an error here. */
	static const char doc[] = "<x>&#xD800;";
	struct xml_lexer	lx;
	struct xml_tok		t;

	(void)state;
	memset(&t, 0, sizeof t);
	xml_lexer_init(&lx, doc, sizeof doc - 1);
	assert_null(next(&lx, &t));
	assert_null(next(&lx, &t));
	assert_int_equal(t.kind, XML_TEXT);
	assert_string_equal(t.text, "\xef\xbf\xbd");
	assert_null(next(&lx, &t));
	assert_int_equal(t.kind, XML_EOF);
	xml_tok_reset(&t);
}

static void
test_utf8_put_replaces_what_cannot_appear(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 64);
	xml_utf8_put(&b, 0x41);
	xml_utf8_put(&b, 0xD800);
	xml_utf8_put(&b, 0x110000);
	xml_utf8_put(&b, 0x1F600);
	assert_string_equal(b.data, "A\xef\xbf\xbd\xef\xbf\xbd\xf0\x9f\x98\x80");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens_lines_and_attributes),
		cmocka_unit_test(test_cdata_and_line_ends),
		cmocka_unit_test(test_hostile_documents_are_refused),
		cmocka_unit_test(test_surrogate_reference_is_replaced),
		cmocka_unit_test(test_utf8_put_replaces_what_cannot_appear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Text decoding: BOMs, UTF-16, invalid bytes, cleaning, line splitting, and
 * the terminal colour codes of console text.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/quoting.h"
#include "util/termcodes.h"
#include "util/text.h"
#include "util/util.h"

/* UTF-8 to UTF-16 code units, as PowerShell 5.1 writes them. */
static unsigned char *
utf16_from_utf8(const char *s, bool bom, bool be, size_t *len)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		*out;
	size_t			 n = 0, cap = strlen(s) * 4 + 4;
	uint32_t		 cp, units[2];
	int			 nu, k;

	out = xmalloc(cap);
	if (bom) {
		out[n++] = be ? 0xFE : 0xFF;
		out[n++] = be ? 0xFF : 0xFE;
	}
	while (*p) {
		if (*p < 0x80)
			cp = *p++;
		else if ((*p & 0xE0) == 0xC0) {
			cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = (uint32_t)(p[0] & 0x0F) << 12 |
			    (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			p += 3;
		} else {
			cp = (uint32_t)(p[0] & 0x07) << 18 |
			    (uint32_t)(p[1] & 0x3F) << 12 |
			    (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
			p += 4;
		}
		if (cp >= 0x10000) {
			units[0] = 0xD800 + ((cp - 0x10000) >> 10);
			units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			nu = 2;
		} else {
			units[0] = cp;
			nu = 1;
		}
		for (k = 0; k < nu; k++) {
			out[n++] = (unsigned char)(be ? units[k] >> 8 : units[k] & 0xFF);
			out[n++] = (unsigned char)(be ? units[k] & 0xFF : units[k] >> 8);
		}
	}
	*len = n;
	return out;
}

static void
test_utf16le_bom_crlf(void **state)
{
	const char	*src = "Thumbprint : 6F029E0D\r\nSubject    : CN=Müller, O=Контора\r\n";
	unsigned char	*in;
	size_t		 inlen, outlen, rep = 99;
	const char	*enc = NULL;
	char		*out;

	(void)state;
	in = utf16_from_utf8(src, true, false, &inlen);
	out = text_to_utf8(in, inlen, &outlen, &enc, &rep);
	assert_string_equal(enc, "utf-16le");
	assert_int_equal(rep, 0);
	assert_string_equal(out, src);
	assert_int_equal(outlen, strlen(src));
	free(in);
	free(out);
}

static void
test_utf16be_bom_and_surrogates(void **state)
{
	const char	*src = "a\xF0\x9F\x98\x80z 中文";	/* U+1F600 */
	unsigned char	*in;
	size_t		 inlen, outlen, rep;
	const char	*enc;
	char		*out;

	(void)state;
	in = utf16_from_utf8(src, true, true, &inlen);
	out = text_to_utf8(in, inlen, &outlen, &enc, &rep);
	assert_string_equal(enc, "utf-16be");
	assert_int_equal(rep, 0);
	assert_string_equal(out, src);
	free(in);
	free(out);
}

static void
test_utf16le_without_bom(void **state)
{
	const char	*src = "Identity : EX01.contoso.com\\6F029E0D\r\n";
	unsigned char	*in;
	size_t		 inlen, outlen;
	const char	*enc;
	char		*out;

	(void)state;
	in = utf16_from_utf8(src, false, false, &inlen);
	out = text_to_utf8(in, inlen, &outlen, &enc, NULL);
	assert_string_equal(enc, "utf-16le");
	assert_string_equal(out, src);
	free(in);
	free(out);
}

static void
test_utf16_lone_surrogates(void **state)
{
	/* "a", lone high surrogate, "b", lone low surrogate, odd trailing byte */
	const unsigned char in[] = { 0xFF, 0xFE, 'a', 0, 0x00, 0xD8, 'b', 0,
	    0x00, 0xDC, 'c' };
	size_t		 outlen, rep;
	char		*out;

	(void)state;
	out = text_to_utf8(in, sizeof in, &outlen, NULL, &rep);
	assert_string_equal(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_int_equal(rep, 3);
	free(out);
}

static void
test_utf8_bom_dropped(void **state)
{
	const unsigned char in[] = "\xEF\xBB\xBF<Objs Version=\"1.1.0.1\">";
	size_t		 outlen;
	const char	*enc;
	char		*out;

	(void)state;
	out = text_to_utf8(in, sizeof in - 1, &outlen, &enc, NULL);
	assert_string_equal(enc, "utf-8-bom");
	assert_string_equal(out, "<Objs Version=\"1.1.0.1\">");
	assert_int_equal(outlen, strlen("<Objs Version=\"1.1.0.1\">"));
	free(out);
}

static void
test_utf8_invalid_replaced_nul_dropped(void **state)
{
	/* Latin-1 "ü", a NUL, a truncated 3-byte sequence, an overlong '/', a surrogate */
	const unsigned char in[] = { 'M', 0xFC, 'l', 0, 'x', 0xE2, 0x82, 'y',
	    0xC0, 0xAF, 0xED, 0xA0, 0x80, '!' };
	size_t		 outlen, rep;
	const char	*enc;
	char		*out;

	(void)state;
	out = text_to_utf8(in, sizeof in, &outlen, &enc, &rep);
	assert_string_equal(enc, "utf-8");
	/* ü:1, E2 82:1 (maximal subpart), C0:1, AF:1, ED:1, A0:1, 80:1 */
	assert_int_equal(rep, 7);
	assert_true(utf8_valid(out, outlen));
	assert_non_null(strstr(out, "M\xEF\xBF\xBDlx\xEF\xBF\xBDy"));
	assert_int_equal(out[outlen - 1], '!');
	assert_null(memchr(out, '\0', outlen));
	free(out);
}

static void
test_utf8_plain_passthrough(void **state)
{
	const char	*src = "2026-11-09T22:00:04.113Z,Outbound,08D50D3D9730A8D2\n";
	size_t		 outlen, rep;
	char		*out;

	(void)state;
	out = text_to_utf8((const unsigned char *)src, strlen(src), &outlen,
	    NULL, &rep);
	assert_string_equal(out, src);
	assert_int_equal(rep, 0);
	free(out);
	out = text_to_utf8(NULL, 0, &outlen, NULL, NULL);
	assert_string_equal(out, "");
	assert_int_equal(outlen, 0);
	free(out);
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("plain", 5));
	assert_true(utf8_valid("\xE4\xB8\xAD\xF0\x9F\x98\x80", 7));
	assert_false(utf8_valid("\xE4\xB8", 2));		/* truncated */
	assert_false(utf8_valid("\xC1\x81", 2));		/* overlong */
	assert_false(utf8_valid("\xED\xB0\x80", 3));		/* surrogate */
	assert_false(utf8_valid("\xF4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(utf8_valid("\xFF", 1));
}

static void
test_utf8_clean(void **state)
{
	const char	 in[] = "ok\tline\r\nbell\x07 esc\x1b nul\0 bad\xFF fffe\xEF\xBF\xBE end";
	char		*out;

	(void)state;
	out = utf8_clean(in, sizeof in - 1);
	assert_true(utf8_valid(out, strlen(out)));
	assert_string_equal(out, "ok\tline\r\nbell\xEF\xBF\xBD esc\xEF\xBF\xBD"
	    " nul bad\xEF\xBF\xBD fffe\xEF\xBF\xBD end");
	free(out);
}

static void
test_line_iter_mixed_terminators(void **state)
{
	const char		 text[] = "one\r\ntwo\nthree\rfour\r\n\r\nsix";
	struct line_iter	 it;
	const char		*s;
	size_t			 n;
	const char		*want[] = { "one", "two", "three", "four", "", "six" };
	size_t			 i = 0;

	(void)state;
	line_iter_init(&it, text, sizeof text - 1);
	while (line_iter_next(&it, &s, &n)) {
		assert_true(i < 6);
		assert_int_equal(n, strlen(want[i]));
		assert_memory_equal(s, want[i], n);
		assert_int_equal(it.lineno, (long)i + 1);
		i++;
	}
	assert_int_equal(i, 6);
}

static void
test_line_iter_trailing_newline(void **state)
{
	struct line_iter	 it;
	const char		*s;
	size_t			 n;
	int			 count = 0;

	(void)state;
	line_iter_init(&it, "a\r\nb\r\n", 6);
	while (line_iter_next(&it, &s, &n))
		count++;
	assert_int_equal(count, 2);
	line_iter_init(&it, "", 0);
	assert_false(line_iter_next(&it, &s, &n));
}

/* Strips the codes of s and checks what is left and how many went. */
static void
expect_stripped(const char *s, const char *want, size_t codes)
{
	char	*t = xstrdup(s);
	size_t	 len = strlen(t);

	assert_int_equal(termcodes_strip(t, &len), codes);
	assert_string_equal(t, want);
	assert_int_equal(len, strlen(want));
	free(t);
}

/* PowerShell 7's Format-List and Format-Table, as written to a file. */
static void
test_termcodes_powershell_colours(void **state)
{
	(void)state;
	expect_stripped("\033[32;1mThumbprint : \033[0mAB12\r\n"
	    "\033[32;1mServices   : \033[0mIIS, SMTP\r\n",
	    "Thumbprint : AB12\r\nServices   : IIS, SMTP\r\n", 4);
	expect_stripped("\033[32;1mThumbprint  Services\033[0m\n"
	    "\033[32;1m----------  --------\033[0m\n",
	    "Thumbprint  Services\n----------  --------\n", 4);
	/* Other control sequences a console writes: cursor, erase, modes. */
	expect_stripped("a\033[2Kb\033[?25lc\033[1;31Hd", "abcd", 3);
}

/* Copied through a web form: the ESC is gone, the rest stays. */
static void
test_termcodes_without_esc(void **state)
{
	(void)state;
	expect_stripped("[32;1mStatus     : [0mRetry\n",
	    "Status     : Retry\n", 2);
	/* No reset that lost its ESC: a bracket in plain text is text. */
	expect_stripped("Name : Relay [1m] to [32;1m\n",
	    "Name : Relay [1m] to [32;1m\n", 0);
	/* Not colour codes: too many digits, no number, no final m. */
	expect_stripped("[0m[1234m [m [;m [12;x [5", "[1234m [m [;m [12;x [5", 1);
}

/* What is not a whole sequence stays, and so do the bytes around it. */
static void
test_termcodes_cut_sequences_kept(void **state)
{
	(void)state;
	expect_stripped("plain text, no codes", "plain text, no codes", 0);
	expect_stripped("end\033[32;1", "end\033[32;1", 0);
	expect_stripped("\033x\033[", "\033x\033[", 0);
	expect_stripped("\033[0m", "", 1);
}

/* Unquotes s and checks what is left and how many lines lost markers. */
static void
expect_unquoted(const char *s, const char *want, size_t lines)
{
	char	*t = xstrdup(s);
	size_t	 len = strlen(t);

	assert_int_equal(quoting_strip(t, &len), lines);
	assert_string_equal(t, want);
	assert_int_equal(len, strlen(want));
	free(t);
}

/*
 * A Format-List forwarded in a reply, and quoted again in the next: the
 * labels start their lines again and a continuation keeps its indentation.
 */
static void
test_quoting_reply(void **state)
{
	(void)state;
	expect_unquoted("Update by J. Morris\n"
	    "> [PS] C:\\>Get-Queue EXCH01\\4 | fl\n"
	    ">\n"
	    "> Status    : Retry\n"
	    "> LastError : 451 4.4.0 Primary target IP\n"
	    ">             address responded\n"
	    ">\n"
	    "> > Services : IIS\r\n"
	    "> >            , SMTP\r\n"
	    "> >\r\n",
	    "Update by J. Morris\n"
	    "[PS] C:\\>Get-Queue EXCH01\\4 | fl\n"
	    "\n"
	    "Status    : Retry\n"
	    "LastError : 451 4.4.0 Primary target IP\n"
	    "            address responded\n"
	    "\n"
	    "Services : IIS\r\n"
	    "           , SMTP\r\n"
	    "\r\n", 9);
}

/* Markers without a space: only the '>' goes, the indentation stays. */
static void
test_quoting_unspaced(void **state)
{
	(void)state;
	expect_unquoted(">Status : Retry\n>          x\n>>Name : A\n",
	    "Status : Retry\n          x\nName : A\n", 3);
	/* A nested reply written ">> ": each marker takes its own space. */
	expect_unquoted(">> Status : Retry\n> Name : A\n",
	    "Status : Retry\nName : A\n", 2);
}

/* A lone line that begins with '>' is text, not a quoted block. */
static void
test_quoting_lone_line_kept(void **state)
{
	(void)state;
	expect_unquoted("Status : Retry\n> one remark\nName : A",
	    "Status : Retry\n> one remark\nName : A", 0);
	expect_unquoted("no markers", "no markers", 0);
	expect_unquoted("a > b\nc > d\n", "a > b\nc > d\n", 0);
	expect_unquoted(">\n>", "\n", 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf16le_bom_crlf),
		cmocka_unit_test(test_utf16be_bom_and_surrogates),
		cmocka_unit_test(test_utf16le_without_bom),
		cmocka_unit_test(test_utf16_lone_surrogates),
		cmocka_unit_test(test_utf8_bom_dropped),
		cmocka_unit_test(test_utf8_invalid_replaced_nul_dropped),
		cmocka_unit_test(test_utf8_plain_passthrough),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_clean),
		cmocka_unit_test(test_line_iter_mixed_terminators),
		cmocka_unit_test(test_line_iter_trailing_newline),
		cmocka_unit_test(test_termcodes_powershell_colours),
		cmocka_unit_test(test_termcodes_without_esc),
		cmocka_unit_test(test_termcodes_cut_sequences_kept),
		cmocka_unit_test(test_quoting_reply),
		cmocka_unit_test(test_quoting_unspaced),
		cmocka_unit_test(test_quoting_lone_line_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

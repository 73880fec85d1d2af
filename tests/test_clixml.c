/*
 * CliXml reader, SerializationData (MS-NRBF) decoder and the CliXml ingester,
 * against the real Export-Clixml files in testdata/realdata and hostile input.
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

#include "formats/clixml.h"
#include "util/datetime.h"
#include "model/evidence.h"
#include "formats/ingest.h"
#include "formats/nrbf.h"
#include "model/kinds/cert.h"
#include "model/kinds/queue.h"
#include "model/kinds/send_connector.h"

#define REAL_CERTS	TESTDATA_DIR "/realdata/CSS-Exchange_HC_GetExchangeCertificateMultipleMatches.xml"
#define REAL_SEND	TESTDATA_DIR "/realdata/CSS-Exchange_HC_GetSendConnector.xml"
#define REAL_RECEIVE	TESTDATA_DIR "/realdata/CSS-Exchange_HC_GetReceiveConnector.xml"

#define OBJS_OPEN \
	"<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n"
#define OBJS_CLOSE "</Objs>\n"

static char *
read_file(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf;
	long	 n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* What the last parse reported (clixml_parse's parse_diag). */
static struct diag_list parsed_diags;

static struct cx_doc *
parse_len(const char *s, size_t len)
{
	struct parse_diag	pd;

	diag_list_free(&parsed_diags);
	parse_diag_init(&pd, &parsed_diags, "test.xml");
	return clixml_parse(s, len, &pd);
}

static struct cx_doc *
parse_str(const char *s)
{
	return parse_len(s, strlen(s));
}

/* The error that stopped the last parse, NULL when none. */
static const char *
parse_error(void)
{
	size_t	i;

	for (i = 0; i < parsed_diags.n; i++)
		if (parsed_diags.v[i].level == DIAG_ERROR)
			return parsed_diags.v[i].message;
	return NULL;
}

static size_t
parse_warnings(void)
{
	return diag_count(&parsed_diags, DIAG_WARNING);
}

static const char *
parse_warning(size_t n)
{
	size_t	i;

	for (i = 0; i < parsed_diags.n; i++)
		if (parsed_diags.v[i].level == DIAG_WARNING && n-- == 0)
			return parsed_diags.v[i].message;
	return "";
}

static int
free_parsed_diags(void **state)
{
	(void)state;
	diag_list_free(&parsed_diags);
	return 0;
}

static const struct ev_cert *
find_cert(const struct evidence *ev, const char *thumbprint)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (strcmp(ev->certs[i].thumbprint, thumbprint) == 0)
			return &ev->certs[i];
	return NULL;
}

static void
assert_date(int64_t t, const char *want)
{
	char	buf[32];

	time_format_iso(t, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static bool
has_diag(const struct evidence *ev, const char *needle)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++)
		if (strstr(ev->diags.v[i].message, needle) != NULL)
			return true;
	return false;
}

/* ------------------------------------------------------------ reader */

static void
test_primitives_and_escapes(void **state)
{
	const char	*xml = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n" OBJS_OPEN
	    "  <!-- a comment -->\n"
	    "  <Obj RefId=\"0\">\n"
	    "    <TN RefId=\"0\"><T>Deserialized.Contoso.Thing</T><T>System.Object</T></TN>\n"
	    "    <ToString>a_x000D__x000A_b</ToString>\n"
	    "    <Props>\n"
	    "      <S N=\"Plain\">x &lt;I&gt;CN=a&amp;b &quot;q&quot; &apos;&#65;&#x42;</S>\n"
	    "      <S N=\"Smile\">_xD83D__xDE00_ ok</S>\n"
	    "      <S N=\"Lone\">_xD83D_z</S>\n"
	    "      <S N=\"NotEscape\">_x12_ and _xZZZZ_</S>\n"
	    "      <S N=\"CData\"><![CDATA[<raw & stuff>]]></S>\n"
	    "      <S N=\"Empty\" />\n"
	    "      <B N=\"Yes\">true</B><B N=\"No\">false</B>\n"
	    "      <I32 N=\"Int\">-42</I32><U64 N=\"Big\">18446744073709551615</U64>\n"
	    "      <I64 N=\"Long\">9000000000</I64>\n"
	    "      <DT N=\"When\">2022-03-23T18:00:30+01:00</DT>\n"
	    "      <DT N=\"WhenFrac\">2024-07-14T01:53:02.9287651-07:00</DT>\n"
	    "      <BA N=\"Bytes\">AAEC/w==</BA>\n"
	    "      <Nil N=\"Nothing\" />\n"
	    "      <G N=\"Guid\">28bdb6ac-5016-46ce-a01e-0cf5ed1caf05</G>\n"
	    "      <Version N=\"V\">15.2.1118.7</Version>\n"
	    "      <Unknown N=\"Skip\"><Deep>x</Deep></Unknown>\n"
	    "    </Props>\n"
	    "    <MS><S N=\"PSComputerName\">ex01.contoso.com</S>"
	    "<S N=\"Plain\">from MS</S></MS>\n"
	    "  </Obj>\n" OBJS_CLOSE;
	struct cx_doc		*doc = parse_str(xml);
	const struct cx_obj	*o;
	const struct cx_value	*v;
	int64_t			 n;

	(void)state;
	assert_null(parse_error());
	assert_int_not_equal(doc->status, PARSE_FAILED);
	assert_int_equal(doc->ntop, 1);
	o = cx_value_obj(&doc->top[0]);
	assert_non_null(o);
	assert_int_equal(o->line, 4);
	assert_string_equal(o->refid, "0");
	assert_true(cx_obj_is_type(o, "Thing"));
	assert_true(cx_obj_is_type(o, "Contoso.Thing"));
	assert_false(cx_obj_is_type(o, "hing"));
	assert_string_equal(cx_obj_type(o), "Contoso.Thing");
	assert_string_equal(o->to_string, "a\r\nb");
	/* Props win over MS for the same name. */
	v = cx_obj_prop(o, "plain");
	assert_false(v->extended);
	assert_string_equal(cx_value_string(v), "x <I>CN=a&b \"q\" 'AB");
	assert_int_equal(v->line, 8);
	assert_string_equal(cx_value_string(cx_obj_prop(o, "Smile")),
	    "\xF0\x9F\x98\x80 ok");
	assert_string_equal(cx_value_string(cx_obj_prop(o, "Lone")),
	    "\xEF\xBF\xBDz");
	assert_string_equal(cx_value_string(cx_obj_prop(o, "NotEscape")),
	    "_x12_ and _xZZZZ_");
	assert_string_equal(cx_value_string(cx_obj_prop(o, "CData")),
	    "<raw & stuff>");
	assert_string_equal(cx_value_string(cx_obj_prop(o, "Empty")), "");
	assert_int_equal(cx_value_bool(cx_obj_prop(o, "Yes")), 1);
	assert_int_equal(cx_value_bool(cx_obj_prop(o, "No")), 0);
	assert_int_equal(cx_value_bool(cx_obj_prop(o, "Int")), -1);
	assert_true(cx_value_int(cx_obj_prop(o, "Int"), &n));
	assert_int_equal(n, -42);
	assert_false(cx_value_int(cx_obj_prop(o, "Big"), &n));
	assert_true(cx_value_int(cx_obj_prop(o, "Long"), &n));
	assert_int_equal(n, 9000000000LL);
	assert_true(cx_value_time(cx_obj_prop(o, "When"), &n));
	assert_date(n, "2022-03-23T17:00:30Z");
	assert_true(cx_value_time(cx_obj_prop(o, "WhenFrac"), &n));
	assert_date(n, "2024-07-14T08:53:02Z");
	v = cx_obj_prop(o, "Bytes");
	assert_int_equal(v->type, CX_BYTES);
	assert_int_equal(v->nbytes, 4);
	assert_memory_equal(v->bytes, "\x00\x01\x02\xff", 4);
	v = cx_obj_prop(o, "Nothing");
	assert_int_equal(v->type, CX_NIL);
	assert_null(cx_value_string(v));
	assert_string_equal(cx_value_string(cx_obj_prop(o, "Guid")),
	    "28bdb6ac-5016-46ce-a01e-0cf5ed1caf05");
	assert_string_equal(cx_value_string(cx_obj_prop(o, "V")), "15.2.1118.7");
	assert_null(cx_obj_prop(o, "Skip"));
	v = cx_obj_prop(o, "PSComputerName");
	assert_true(v->extended);
	assert_string_equal(cx_value_string(v), "ex01.contoso.com");
	assert_int_equal(parse_warnings(), 0);
	clixml_free(doc);
}

static void
test_refs_lists_enums_dicts(void **state)
{
	const char	*xml = OBJS_OPEN
	    "<Obj RefId=\"0\">\n"
	    " <TN RefId=\"0\"><T>A.Conn</T><T>System.Object</T></TN>\n"
	    " <Props>\n"
	    "  <Obj N=\"Level\" RefId=\"1\"><TN RefId=\"1\"><T>A.Level</T><T>System.Enum</T></TN>"
	    "<ToString>Verbose</ToString><I32>1</I32></Obj>\n"
	    "  <Obj N=\"Hosts\" RefId=\"2\"><TN RefId=\"2\"><T>A.List</T></TN><LST>"
	    "<S>one</S><Obj RefId=\"3\"><TNRef RefId=\"0\" /><ToString>two</ToString></Obj>"
	    "<Nil /></LST></Obj>\n"
	    "  <Obj N=\"None\" RefId=\"4\"><TNRef RefId=\"2\" /><LST /></Obj>\n"
	    "  <Ref N=\"Again\" RefId=\"1\" />\n"
	    "  <Ref N=\"Missing\" RefId=\"99\" />\n"
	    "  <Obj N=\"Map\" RefId=\"5\"><TN RefId=\"3\"><T>System.Collections.Hashtable</T></TN>"
	    "<DCT><En><S N=\"Key\">k1</S><I32 N=\"Value\">7</I32></En>"
	    "<En><S N=\"Key\">k2</S><Ref N=\"Value\" RefId=\"3\" /></En></DCT></Obj>\n"
	    "  <Obj N=\"Stack\" RefId=\"6\"><STK><I32>1</I32></STK></Obj>\n"
	    "  <Obj N=\"Queue\" RefId=\"7\"><QUE><I32>1</I32><I32>2</I32></QUE></Obj>\n"
	    "  <Obj N=\"Enumerable\" RefId=\"8\"><IE><S>x</S></IE></Obj>\n"
	    "  <Obj N=\"BadTN\" RefId=\"9\"><TNRef RefId=\"77\" /></Obj>\n"
	    " </Props>\n"
	    "</Obj>\n"
	    "<Ref RefId=\"3\" />\n"
	    "<S>loose string</S>\n"
	    OBJS_CLOSE;
	struct cx_doc		*doc = parse_str(xml);
	const struct cx_obj	*o, *l, *m;
	const struct cx_value	*v;
	int64_t			 n;

	(void)state;
	assert_null(parse_error());
	assert_int_not_equal(doc->status, PARSE_FAILED);
	assert_int_equal(doc->ntop, 3);
	o = cx_value_obj(&doc->top[0]);
	v = cx_obj_prop(o, "Level");
	assert_string_equal(cx_value_string(v), "Verbose");
	assert_true(cx_value_int(v, &n));
	assert_int_equal(n, 1);
	assert_true(cx_obj_is_type(cx_value_obj(v), "Enum"));
	l = cx_value_obj(cx_obj_prop(o, "Hosts"));
	assert_int_equal(l->container, CX_CONT_LST);
	assert_int_equal(l->nitems, 3);
	assert_string_equal(cx_value_string(&l->items[0]), "one");
	assert_string_equal(cx_value_string(&l->items[1]), "two");
	/* TNRef resolves to the type list defined earlier. */
	assert_true(cx_obj_is_type(cx_value_obj(&l->items[1]), "Conn"));
	assert_int_equal(l->items[2].type, CX_NIL);
	l = cx_value_obj(cx_obj_prop(o, "None"));
	assert_int_equal(l->container, CX_CONT_LST);
	assert_int_equal(l->nitems, 0);
	assert_true(cx_obj_is_type(l, "List"));
	v = cx_obj_prop(o, "Again");
	assert_true(v->is_ref);
	assert_ptr_equal(cx_value_obj(v), cx_value_obj(cx_obj_prop(o, "Level")));
	assert_string_equal(cx_value_string(v), "Verbose");
	v = cx_obj_prop(o, "Missing");
	assert_int_equal(v->type, CX_UNRESOLVED);
	assert_null(cx_value_obj(v));
	assert_null(cx_value_string(v));
	m = cx_value_obj(cx_obj_prop(o, "Map"));
	assert_int_equal(m->container, CX_CONT_DCT);
	assert_int_equal(m->nentries, 2);
	assert_string_equal(cx_value_string(&m->entries[0].key), "k1");
	assert_true(cx_value_int(&m->entries[0].value, &n));
	assert_int_equal(n, 7);
	assert_string_equal(cx_value_string(&m->entries[1].value), "two");
	assert_int_equal(cx_value_obj(cx_obj_prop(o, "Stack"))->container,
	    CX_CONT_STK);
	assert_int_equal(cx_value_obj(cx_obj_prop(o, "Queue"))->nitems, 2);
	assert_int_equal(cx_value_obj(cx_obj_prop(o, "Enumerable"))->container,
	    CX_CONT_IE);
	assert_null(cx_value_obj(cx_obj_prop(o, "BadTN"))->tn);
	/* Two warnings, with their lines: the unknown RefId and TNRef. */
	assert_int_equal(parse_warnings(), 2);
	assert_int_equal(doc->status, PARSE_PARTIAL);
	assert_non_null(strstr(parse_warning(0), "\"99\""));
	assert_int_equal(strncmp(parse_warning(0), "line 9: ", 8), 0);
	assert_non_null(strstr(parse_warning(1), "\"77\""));
	assert_string_equal(cx_value_string(&doc->top[1]), "two");
	assert_true(doc->top[1].is_ref);
	assert_string_equal(cx_value_string(&doc->top[2]), "loose string");
	clixml_free(doc);
}

static void
test_malformed(void **state)
{
	static const struct {
		const char	*xml;
		long		 line;
		size_t		 ntop;
		const char	*what;
	} cases[] = {
		{ OBJS_OPEN "<Obj RefId=\"0\"><ToString>a</ToString></Obj>\n"
		  "<Obj RefId=\"1\">\n<Props><S N=\"x\">trunc", 4, 1, "end of document" },
		{ OBJS_OPEN "<Obj RefId=\"0\">\n<Props></MS></Obj>" OBJS_CLOSE, 3, 0,
		  "mismatched" },
		{ OBJS_OPEN "<Obj RefId=\"0\">\n<S N=\"a\">x &bogus; y</S></Obj>"
		  OBJS_CLOSE, 3, 0, "entity" },
		{ OBJS_OPEN "<Obj RefId=\"0\" N=noquote></Obj>" OBJS_CLOSE, 2, 0,
		  "quoted" },
		{ "<!DOCTYPE x [<!ENTITY a \"b\">]>" OBJS_OPEN OBJS_CLOSE, 1, 0,
		  "document type" },
		{ "<Other/>", 1, 0, "no <Objs>" },
		{ "plain text", 1, 0, "no <Objs>" },
		{ "", 1, 0, "no <Objs>" },
		{ OBJS_OPEN OBJS_CLOSE "<Obj/>", 3, 0, "after the end" },
		{ OBJS_OPEN "<Obj>\n<!-- never closed", 3, 0, "comment" },
		{ OBJS_OPEN "<S N=\"a\"><![CDATA[open", 2, 0, "CDATA" },
		{ OBJS_OPEN "<S N=\"a\" b=\"1\" c='<'>x</S>", 2, 0, "attribute" },
	};
	struct cx_doc	*doc;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		doc = parse_str(cases[i].xml);
		assert_non_null(parse_error());
		if (strstr(parse_error(), cases[i].what) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, parse_error(),
			    cases[i].what);
		assert_int_equal(doc->stopped_line, cases[i].line);
		assert_int_equal(doc->status, cases[i].ntop > 0 ? PARSE_PARTIAL :
		    PARSE_FAILED);
		assert_int_equal(doc->ntop, cases[i].ntop);
		clixml_free(doc);
	}
}

static void
test_deep_nesting(void **state)
{
	struct buf	 b;
	struct cx_doc	*doc;
	int		 i;

	(void)state;
	/* Far deeper than the limit: an error, no stack exhaustion. */
	buf_init(&b, 1 << 24);
	buf_appendf(&b, "%s", OBJS_OPEN);
	for (i = 0; i < 100000; i++)
		buf_appendf(&b, "<Obj RefId=\"%d\"><Props>\n", i);
	doc = parse_len(b.data, b.len);
	assert_non_null(parse_error());
	assert_non_null(strstr(parse_error(), "nested too deeply"));
	assert_int_equal(doc->stopped_line, 1 + CLIXML_MAX_DEPTH / 2);
	assert_int_equal(doc->ntop, 0);
	clixml_free(doc);
	/* Deep unknown elements are bounded the same way. */
	buf_reset(&b);
	buf_appendf(&b, "%s<Obj><Props><X>", OBJS_OPEN);
	for (i = 0; i < 10000; i++)
		buf_appendf(&b, "<Y>");
	doc = parse_len(b.data, b.len);
	assert_non_null(parse_error());
	assert_non_null(strstr(parse_error(), "nested too deeply"));
	clixml_free(doc);
	/* Just under the limit is fine. */
	buf_reset(&b);
	buf_appendf(&b, "%s", OBJS_OPEN);
	for (i = 0; i < CLIXML_MAX_DEPTH / 2 - 1; i++)
		buf_appendf(&b, "<Obj><Props>");
	for (i = 0; i < CLIXML_MAX_DEPTH / 2 - 1; i++)
		buf_appendf(&b, "</Props></Obj>");
	buf_appendf(&b, "%s", OBJS_CLOSE);
	doc = parse_len(b.data, b.len);
	assert_null(parse_error());
	assert_int_not_equal(doc->status, PARSE_FAILED);
	assert_int_equal(doc->ntop, 1);
	clixml_free(doc);
	buf_free(&b);
}

static void
test_bad_base64(void **state)
{
	const char	*xml = OBJS_OPEN "<Obj RefId=\"0\"><Props>\n"
	    "<BA N=\"A\">!!!not base64***</BA>\n"
	    "<BA N=\"B\">AAE=AAE=</BA>\n"
	    "<BA N=\"C\">A</BA>\n"
	    "<BA N=\"D\">AA\r\n  EC</BA>\n"
	    "<BA N=\"E\" />\n"
	    "</Props></Obj>" OBJS_CLOSE;
	struct cx_doc		*doc = parse_str(xml);
	const struct cx_obj	*o;
	const struct cx_value	*v;

	(void)state;
	assert_null(parse_error());
	assert_int_not_equal(doc->status, PARSE_FAILED);
	o = cx_value_obj(&doc->top[0]);
	assert_true(cx_obj_prop(o, "A")->bytes_bad);
	assert_null(cx_obj_prop(o, "A")->bytes);
	assert_true(cx_obj_prop(o, "B")->bytes_bad);
	assert_true(cx_obj_prop(o, "C")->bytes_bad);
	v = cx_obj_prop(o, "D");
	assert_false(v->bytes_bad);
	assert_int_equal(v->nbytes, 3);
	assert_memory_equal(v->bytes, "\x00\x01\x02", 3);
	v = cx_obj_prop(o, "E");
	assert_false(v->bytes_bad);
	assert_int_equal(v->nbytes, 0);
	assert_int_equal(parse_warnings(), 3);
	assert_int_equal(strncmp(parse_warning(0), "line 3: ", 8), 0);
	assert_non_null(strstr(parse_warning(0), "base64"));
	clixml_free(doc);
}

static void
test_datetime_forms(void **state)
{
	int64_t	t;

	(void)state;
	assert_true(clixml_parse_datetime("2022-03-23T17:00:30Z", &t));
	assert_date(t, "2022-03-23T17:00:30Z");
	assert_true(clixml_parse_datetime("2022-03-23T17:00:30", &t));
	assert_date(t, "2022-03-23T17:00:30Z");
	assert_true(clixml_parse_datetime("2020-01-01T00:30:00+05:30", &t));
	assert_date(t, "2019-12-31T19:00:00Z");
	assert_false(clixml_parse_datetime("2022-13-23T17:00:30Z", &t));
	assert_false(clixml_parse_datetime("2022-03-23 17:00:30", &t));
	assert_false(clixml_parse_datetime("2022-03-23T17:00:30Zjunk", &t));
	assert_false(clixml_parse_datetime("", &t));
	assert_false(clixml_parse_datetime(NULL, &t));
}

static void
test_unescape(void **state)
{
	char	*s;

	(void)state;
	s = clixml_unescape("_x0041__x005f_x_x0000_", 22);
	assert_string_equal(s, "A_x\xEF\xBF\xBD");
	free(s);
	/* A low surrogate alone, and a high one at the very end. */
	s = clixml_unescape("_xDE00_|_xD83D_", 15);
	assert_string_equal(s, "\xEF\xBF\xBD|\xEF\xBF\xBD");
	free(s);
	s = clixml_unescape("_x00e9_", 6);	/* cut short: not an escape */
	assert_string_equal(s, "_x00e9");
	free(s);
}

/* ------------------------------------------------------------ NRBF */

/* The SerializationData blobs of the real certificate export, in order. */
static size_t
real_blobs(struct cx_doc **docp, const struct cx_value **blobs, size_t max)
{
	size_t	 len, i, n = 0;
	char	*text = read_file(REAL_CERTS, &len);

	*docp = parse_len(text, len);
	free(text);
	assert_null(parse_error());
	for (i = 0; i < (*docp)->ntop && n < max; i++)
		blobs[n++] = cx_obj_prop(cx_value_obj(&(*docp)->top[i]),
		    "SerializationData");
	return n;
}

static void
test_nrbf_real(void **state)
{
	static const struct {
		const char	*identity;
		int		 services, root_ca;
		int		 exportable;
		const char	*friendly;
	} want[] = {
		{ "WIN-CTD3L0RGEN4.exlab.dom\\03221367D3A3E863698501592A9B9C420D8D3F4E",
		  16, 0, 0, "IIS Express Development Certificate" },
		{ "WIN-CTD3L0RGEN4.exlab.dom\\2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7",
		  0, 0, 0, "Microsoft Exchange Server Auth Certificate" },
		{ "WIN-CTD3L0RGEN4.exlab.dom\\611C687DFC4343A5A03E0005A1EC6E9B6AFF586D",
		  11, 3, 0, "Microsoft Exchange" },
		{ "WIN-CTD3L0RGEN4.exlab.dom\\E267D459A0FB53D0EF225C11FAC062D522648C09",
		  16, 0, 1, "IIS Express Development Certificate" },
		{ "WIN-CTD3L0RGEN4.exlab.dom\\3341CEAF3DF4D3A9527EC98BDD53C54ECC3E0620",
		  0, 3, 1, "WMSVC-SHA2" },
	};
	struct cx_doc		*doc;
	const struct cx_value	*blobs[8];
	struct nrbf_cert	 nc;
	const unsigned char	*p;
	size_t			 n, i, plen;
	char			*fn;

	(void)state;
	n = real_blobs(&doc, blobs, 8);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		assert_non_null(blobs[i]);
		assert_int_equal(nrbf_decode_exchange_cert(blobs[i]->bytes,
		    blobs[i]->nbytes, &nc, NULL), 0);
		assert_string_equal(nc.class_name, "Microsoft.Exchange.Management."
		    "SystemConfigurationTasks.ExchangeCertificate");
		assert_string_equal(nc.identity, want[i].identity);
		assert_int_equal(nc.services, want[i].services);
		assert_int_equal(nc.status, 1);
		assert_int_equal(nc.root_ca_type, want[i].root_ca);
		assert_int_equal(nc.self_signed, 1);
		assert_int_equal(nc.private_key_exportable, want[i].exportable);
		assert_non_null(nc.cert_data);
		assert_int_equal(nrbf_certdata_prop(nc.cert_data, nc.cert_data_len,
		    CERTDATA_PROP_FRIENDLY_NAME, &p, &plen), 0);
		fn = nrbf_utf16le_to_utf8(p, plen);
		assert_string_equal(fn, want[i].friendly);
		free(fn);
		/* The DER inside starts with a SEQUENCE. */
		assert_int_equal(nrbf_certdata_prop(nc.cert_data, nc.cert_data_len,
		    CERTDATA_PROP_CERT, &p, &plen), 0);
		assert_int_equal(p[0], 0x30);
		assert_int_equal(nrbf_certdata_prop(nc.cert_data, nc.cert_data_len,
		    999, &p, &plen), -1);
		nrbf_cert_clear(&nc);
	}
	clixml_free(doc);
}

static uint32_t rng_state = 2463534242u;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void
test_nrbf_truncated_and_mutated(void **state)
{
	struct cx_doc		*doc;
	const struct cx_value	*blobs[8];
	struct nrbf_cert	 nc;
	unsigned char		*copy;
	size_t			 len, cut, i, k;
	struct parse_diag	 pd;
	int			 ok = 0;

	(void)state;
	real_blobs(&doc, blobs, 8);
	len = blobs[0]->nbytes;
	/* Every prefix: an error, every field unknown, no crash. */
	for (cut = 0; cut < len; cut++) {
		parse_diag_init(&pd, NULL, "cut");
		assert_int_equal(nrbf_decode_exchange_cert(blobs[0]->bytes, cut,
		    &nc, &pd), -1);
		assert_int_equal(pd.n, 1);
		assert_int_equal(nc.services, -1);
		assert_int_equal(nc.status, -1);
		assert_null(nc.identity);
		assert_null(nc.cert_data);
		nrbf_cert_clear(&nc);
	}
	parse_diag_init(&pd, NULL, "empty");
	assert_int_equal(nrbf_decode_exchange_cert(blobs[0]->bytes, 0, &nc,
	    &pd), -1);
	assert_non_null(strstr(pd.first, "truncated"));
	/* Random damage: whatever comes out, nothing crashes or hangs. */
	copy = malloc(len);
	for (i = 0; i < 3000; i++) {
		memcpy(copy, blobs[0]->bytes, len);
		for (k = 0; k < 1 + rng() % 8; k++)
			copy[rng() % len] = (unsigned char)rng();
		if (nrbf_decode_exchange_cert(copy, len, &nc, NULL) == 0)
			ok++;
		nrbf_cert_clear(&nc);
	}
	free(copy);
	/* Some damage hits bytes that do not matter (certificate bytes). */
	assert_true(ok > 0);
	clixml_free(doc);
}

/* Little-endian writers for hand-made streams. */
static void
w8(struct buf *b, unsigned v)
{
	buf_putc(b, (char)v);
}

static void
w32(struct buf *b, int32_t v)
{
	uint32_t	u = (uint32_t)v;

	w8(b, u & 0xFF);
	w8(b, (u >> 8) & 0xFF);
	w8(b, (u >> 16) & 0xFF);
	w8(b, u >> 24);
}

static void
wstr(struct buf *b, const char *s)
{
	size_t	n = strlen(s);

	assert_true(n < 128);
	w8(b, (unsigned)n);
	buf_append(b, s, n);
}

static void
w_header(struct buf *b)
{
	w8(b, 0);
	w32(b, 1);
	w32(b, -1);
	w32(b, 1);
	w32(b, 0);
}

static int
decode_buf(struct buf *b, struct nrbf_cert *nc)
{
	return nrbf_decode_exchange_cert((const unsigned char *)b->data, b->len,
	    nc, NULL);
}

/*
 * A stream using the other record kinds: members without types, ClassWithId
 * reusing metadata, null runs, arrays of every shape, a library record in
 * front of a value, and a string by reference.
 */
static void
test_nrbf_record_kinds(void **state)
{
	struct buf		b;
	struct nrbf_cert	nc;

	(void)state;
	buf_init(&b, 1 << 16);
	w_header(&b);
	w8(&b, 12); w32(&b, 2); wstr(&b, "Lib");		/* BinaryLibrary */
	w8(&b, 5); w32(&b, 1); wstr(&b, "X.ExchangeCertificate");	/* root */
	w32(&b, 8);
	wstr(&b, "Services"); wstr(&b, "Status"); wstr(&b, "Skip");
	wstr(&b, "Identity"); wstr(&b, "SelfSigned"); wstr(&b, "Arr");
	wstr(&b, "Nulls"); wstr(&b, "RootCAType");
	w8(&b, 4); w8(&b, 4); w8(&b, 2); w8(&b, 1); w8(&b, 0); w8(&b, 2);
	w8(&b, 5); w8(&b, 0);
	wstr(&b, "X.Svc"); w32(&b, 2);
	wstr(&b, "X.Svc"); w32(&b, 2);
	w8(&b, 1);					/* Boolean */
	w8(&b, 8);					/* RootCAType: Int32 */
	w32(&b, 2);					/* library id */
	/* Services: an enum class with value__ */
	w8(&b, 5); w32(&b, -3); wstr(&b, "X.Svc"); w32(&b, 1); wstr(&b, "value__");
	w8(&b, 0); w8(&b, 8); w32(&b, 2); w32(&b, 27);
	/* Status: ClassWithId reusing that metadata */
	w8(&b, 1); w32(&b, -4); w32(&b, -3); w32(&b, 4);
	/* Skip: a typeless class whose members are records */
	w8(&b, 3); w32(&b, 5); wstr(&b, "X.Bag"); w32(&b, 3);
	wstr(&b, "a"); wstr(&b, "b"); wstr(&b, "c"); w32(&b, 2);
	w8(&b, 8); w8(&b, 8); w32(&b, 9);		/* MemberPrimitiveTyped */
	w8(&b, 13); w8(&b, 2);				/* ObjectNullMultiple256 */
	/* Identity: a reference to a string written later */
	w8(&b, 9); w32(&b, 20);
	w8(&b, 1);					/* SelfSigned true */
	/* Arr: BinaryArray 2x3 of Int32 */
	w8(&b, 7); w32(&b, 6); w8(&b, 2); w32(&b, 2); w32(&b, 2); w32(&b, 3);
	w8(&b, 0); w8(&b, 8);
	for (int i = 0; i < 6; i++)
		w32(&b, i);
	/* Nulls: ArraySingleObject with a null run and a nested string */
	w8(&b, 16); w32(&b, 7); w32(&b, 1000000);
	w8(&b, 14); w32(&b, 999999);
	w8(&b, 6); w32(&b, 8); wstr(&b, "tail");
	w32(&b, 3);					/* RootCAType */
	/* Later objects: the string, a string array, bytes */
	w8(&b, 6); w32(&b, 20); wstr(&b, "EX01.contoso.com\\ABCDEF");
	w8(&b, 17); w32(&b, 21); w32(&b, 3);
	w8(&b, 6); w32(&b, 22); wstr(&b, "s"); w8(&b, 10); w8(&b, 9); w32(&b, 22);
	w8(&b, 15); w32(&b, 23); w32(&b, 4); w8(&b, 9);
	buf_append(&b, "12345678abcdefgh12345678abcdefgh", 32);
	w8(&b, 11);
	assert_int_equal(decode_buf(&b, &nc), 0);
	assert_string_equal(nc.class_name, "X.ExchangeCertificate");
	assert_int_equal(nc.services, 27);
	assert_int_equal(nc.status, 4);
	assert_int_equal(nc.root_ca_type, 3);
	assert_int_equal(nc.self_signed, 1);
	assert_int_equal(nc.private_key_exportable, -1);
	assert_string_equal(nc.identity, "EX01.contoso.com\\ABCDEF");
	assert_null(nc.cert_data);
	nrbf_cert_clear(&nc);
	buf_free(&b);
}

static void
test_nrbf_hostile(void **state)
{
	struct buf		b;
	struct nrbf_cert	nc;
	int			i;

	(void)state;
	buf_init(&b, 1 << 20);
	/* A huge member count with no bytes behind it. */
	w_header(&b);
	w8(&b, 4); w32(&b, 1); wstr(&b, "C"); w32(&b, 0x7FFFFFFF);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	/* A primitive array claiming two billion Int64. */
	buf_reset(&b);
	w_header(&b);
	w8(&b, 15); w32(&b, 1); w32(&b, 0x7FFFFFFF); w8(&b, 9);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	/* A rank-32 array whose size overflows. */
	buf_reset(&b);
	w_header(&b);
	w8(&b, 7); w32(&b, 1); w8(&b, 2); w32(&b, 32);
	for (i = 0; i < 32; i++)
		w32(&b, 0x10000);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	/* Object arrays nested inside each other, far past the depth limit. */
	buf_reset(&b);
	w_header(&b);
	for (i = 0; i < 10000; i++) {
		w8(&b, 16); w32(&b, i + 1); w32(&b, 1);
	}
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	/* A null run longer than the array it is in. */
	buf_reset(&b);
	w_header(&b);
	w8(&b, 16); w32(&b, 1); w32(&b, 2); w8(&b, 14); w32(&b, 3);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	/* ClassWithId naming metadata that does not exist. */
	buf_reset(&b);
	w_header(&b);
	w8(&b, 1); w32(&b, 1); w32(&b, 77); w8(&b, 11);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	/* Null primitive type in member types; unknown record type. */
	buf_reset(&b);
	w_header(&b);
	w8(&b, 4); w32(&b, 1); wstr(&b, "C"); w32(&b, 1); wstr(&b, "m");
	w8(&b, 0); w8(&b, 17); w8(&b, 11);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	buf_reset(&b);
	w_header(&b);
	w8(&b, 21);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	/* No header; a header and no root. */
	buf_reset(&b);
	w8(&b, 11);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	buf_reset(&b);
	w_header(&b);
	w8(&b, 11);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	/* Many ClassWithId records reusing a class of many members: bounded. */
	buf_reset(&b);
	w_header(&b);
	w8(&b, 4); w32(&b, 1); wstr(&b, "C"); w32(&b, 2000);
	for (i = 0; i < 2000; i++)
		wstr(&b, "m");
	for (i = 0; i < 2000; i++)
		w8(&b, 2);
	w8(&b, 14); w32(&b, 2000);
	for (i = 0; i < 50000; i++) {
		w8(&b, 1); w32(&b, i + 2); w32(&b, 1);
		w8(&b, 14); w32(&b, 2000);
	}
	w8(&b, 11);
	assert_int_equal(decode_buf(&b, &nc), -1);
	nrbf_cert_clear(&nc);
	buf_free(&b);
}

/* ------------------------------------------------------------ ingest */

static void
test_ingest_real_certificates(void **state)
{
	static const struct {
		const char	*thumbprint, *subject, *not_after, *sigalg, *root;
		int		 services;
		long		 line;
	} want[] = {
		{ "03221367D3A3E863698501592A9B9C420D8D3F4E", "CN=localhost",
		  "2027-03-27T14:12:35Z", "sha256WithRSAEncryption", "None", 16, 2 },
		{ "2D10A746D6BB8D795F1679AEBD89D5D2AE583CB7",
		  "CN=Microsoft Exchange Server Auth Certificate", NULL,
		  "sha1WithRSAEncryption", "None", 0, 20 },
		{ "611C687DFC4343A5A03E0005A1EC6E9B6AFF586D", "CN=WIN-CTD3L0RGEN4",
		  NULL, "sha1WithRSAEncryption", "Registry", 11, 33 },
		{ "E267D459A0FB53D0EF225C11FAC062D522648C09", "CN=localhost",
		  "2026-08-06", NULL, "None", 16, 46 },
		{ "3341CEAF3DF4D3A9527EC98BDD53C54ECC3E0620",
		  "CN=WMSvc-SHA2-WIN-CTD3L0RGEN4", NULL, NULL, "Registry", 0, 59 },
	};
	struct evidence		 ev;
	const struct ev_cert	*c;
	char			*text, buf[32];
	size_t			 len, i;

	(void)state;
	text = read_file(REAL_CERTS, &len);
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "bundle/certs.xml", text, len), 5);
	free(text);
	assert_true(ev.saw_cert_dump);
	assert_false(ev.saw_send_connector_dump);
	assert_int_equal(ev.ncerts, 5);
	assert_int_equal(ev.diags.n, 0);
	for (i = 0; i < 5; i++) {
		c = find_cert(&ev, want[i].thumbprint);
		assert_non_null(c);
		assert_string_equal(c->server, "WIN-CTD3L0RGEN4");
		assert_string_equal(c->subject, want[i].subject);
		assert_string_equal(c->issuer, want[i].subject);
		assert_int_equal(c->services, want[i].services);
		assert_string_equal(c->status, "Valid");
		assert_string_equal(c->root_ca_type, want[i].root);
		assert_int_equal(c->self_signed, TRI_TRUE);
		/* RawData does not say it; there is no HasPrivateKey property. */
		assert_int_equal(c->has_private_key, TRI_UNKNOWN);
		assert_int_equal(c->key_bits, 2048);
		assert_true(c->domains_known);
		assert_true(c->not_before != TIME_UNKNOWN);
		assert_true(c->not_after > c->not_before);
		time_format_iso(c->not_after, buf, sizeof buf);
		if (want[i].not_after != NULL)
			assert_true(strncmp(buf, want[i].not_after,
			    strlen(want[i].not_after)) == 0);
		if (want[i].sigalg != NULL)
			assert_string_equal(c->signature_algorithm, want[i].sigalg);
		assert_string_equal(c->ref.source, "bundle/certs.xml");
		assert_int_equal(c->ref.line, want[i].line);
		assert_int_equal(c->sources.n, 1);
		assert_string_equal(c->sources.v[0], "bundle/certs.xml");
	}
	c = find_cert(&ev, "03221367D3A3E863698501592A9B9C420D8D3F4E");
	assert_string_equal(c->serial, "3BCD01C9487553B64E52EBE0295ED055");
	assert_string_equal(c->friendly_name, "IIS Express Development Certificate");
	assert_int_equal(c->domains.n, 1);
	assert_string_equal(c->domains.v[0], "localhost");
	assert_date(c->not_before, "2022-03-27T14:12:35Z");
	evidence_free(&ev);
}

static void
test_ingest_real_send_connector(void **state)
{
	struct evidence			 ev;
	const struct ev_send_connector	*sc;
	char				*text;
	size_t				 len;

	(void)state;
	text = read_file(REAL_SEND, &len);
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "Connectors/Send_Connectors.xml",
	    text, len), 1);
	free(text);
	assert_true(ev.saw_send_connector_dump);
	assert_false(ev.saw_cert_dump);
	assert_int_equal(ev.nsendc, 1);
	assert_int_equal(ev.ncerts, 0);
	sc = &ev.sendc[0];
	assert_string_equal(sc->name, "Mail to O365");
	assert_int_equal(sc->enabled, TRI_TRUE);
	assert_true(sc->source_servers_known);
	assert_false(sc->source_servers_incomplete);
	assert_int_equal(sc->source_servers.n, 1);
	assert_string_equal(sc->source_servers.v[0], "WIN-CTD3L0RGEN4");
	assert_null(sc->fqdn);
	assert_string_equal(sc->tls_certificate_name,
	    "<I>CN=localhost<S>CN=localhost");
	assert_int_equal(sc->require_tls, TRI_FALSE);
	/* Nil in the export: not set on the connector, not unknown. */
	assert_string_equal(sc->tls_auth_level, "");
	assert_string_equal(sc->tls_domain, "");
	assert_true(sc->smart_hosts_known);
	assert_int_equal(sc->smart_hosts.n, 1);
	assert_string_equal(sc->smart_hosts.v[0],
	    "microsoft-com.mail.protection.outlook.com");
	assert_true(sc->address_spaces_known);
	assert_int_equal(sc->address_spaces.n, 1);
	assert_string_equal(sc->address_spaces.v[0], "SMTP:*;1");
	assert_string_equal(sc->protocol_logging_level, "None");
	assert_int_equal(sc->cloud_services_mail_enabled, TRI_TRUE);
	assert_int_equal(sc->source_rank, 2);
	assert_string_equal(sc->ref.source, "Connectors/Send_Connectors.xml");
	assert_int_equal(sc->ref.line, 2);
	evidence_free(&ev);
}

static void
test_ingest_real_receive_connectors(void **state)
{
	struct evidence	 ev;
	char		*text;
	size_t		 len;

	(void)state;
	text = read_file(REAL_RECEIVE, &len);
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "EX_ReceiveConnectors.xml", text,
	    len), 5);
	free(text);
	assert_true(ev.saw_receive_connector_dump);
	assert_false(ev.saw_send_connector_dump);
	assert_false(ev.saw_cert_dump);
	assert_int_equal(ev.nsendc + ev.ncerts + ev.nqueues, 0);
	assert_int_equal(ev.diags.n, 0);
	evidence_free(&ev);
}

/* The first real certificate object with its <MS> part replaced. */
static char *
cert_export_variant(const char *ms)
{
	size_t		 len;
	char		*text = read_file(REAL_CERTS, &len), *out;
	const char	*start, *end;
	struct buf	 b;

	start = strstr(text, "<MS>");
	end = strstr(text, "</Obj>");
	assert_non_null(start);
	assert_non_null(end);
	buf_init(&b, 1 << 20);
	buf_append(&b, text, (size_t)(start - text));
	buf_appendf(&b, "%s\n", ms);
	buf_append(&b, end, strlen("</Obj>\n"));
	buf_appendf(&b, "%s", OBJS_CLOSE);
	free(text);
	out = buf_steal(&b, NULL);
	return out;
}

static void
test_ingest_without_serialization_data(void **state)
{
	struct evidence		 ev;
	const struct ev_cert	*c;
	char			*xml;

	(void)state;
	xml = cert_export_variant("<MS><S N=\"PSComputerName\">ex02.contoso.com</S></MS>");
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "c.xml", xml, strlen(xml)), 1);
	free(xml);
	assert_true(ev.saw_cert_dump);
	c = &ev.certs[0];
	assert_string_equal(c->thumbprint, "03221367D3A3E863698501592A9B9C420D8D3F4E");
	assert_string_equal(c->subject, "CN=localhost");
	/* Unknown, never "not enabled". */
	assert_int_equal(c->services, SERVICES_UNKNOWN);
	assert_null(c->status);
	assert_null(c->root_ca_type);
	assert_int_equal(c->has_private_key, TRI_UNKNOWN);
	/* Self-signed still known: the certificate verifies with its own key. */
	assert_int_equal(c->self_signed, TRI_TRUE);
	/* No Identity: the server comes from PSComputerName. */
	assert_string_equal(c->server, "EX02");
	assert_int_equal(ev.diags.n, 0);
	evidence_free(&ev);
}

static void
test_ingest_truncated_serialization_data(void **state)
{
	struct evidence	 ev;
	char		*xml;

	(void)state;
	/* A valid base64 prefix of the real stream. */
	xml = cert_export_variant("<MS><BA N=\"SerializationData\">"
	    "AAEAAAD/////AQAAAAAAAAAMAgAAAGFNaWNyb3NvZnQuRXhjaGFuZ2UuTWFuYWdlbWVudCwg"
	    "</BA></MS>");
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "c.xml", xml, strlen(xml)), 1);
	free(xml);
	assert_int_equal(ev.ncerts, 1);
	assert_int_equal(ev.certs[0].services, SERVICES_UNKNOWN);
	assert_null(ev.certs[0].status);
	assert_null(ev.certs[0].server);
	assert_true(has_diag(&ev, "SerializationData"));
	assert_true(has_diag(&ev, "services and status unknown"));
	evidence_free(&ev);
	/* Garbage base64 in the blob. */
	xml = cert_export_variant("<MS><BA N=\"SerializationData\">@@@@</BA></MS>");
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "c.xml", xml, strlen(xml)), 1);
	free(xml);
	assert_int_equal(ev.certs[0].services, SERVICES_UNKNOWN);
	assert_true(has_diag(&ev, "base64"));
	evidence_free(&ev);
}

static void
test_ingest_bad_raw_data(void **state)
{
	const char	*xml = OBJS_OPEN
	    "<Obj RefId=\"0\">\n"
	    "<TN RefId=\"0\"><T>Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate2</T></TN>\n"
	    "<Props><BA N=\"RawData\">%%%garbage</BA></Props>\n"
	    "</Obj>\n"
	    "<Obj RefId=\"1\">\n"
	    "<TNRef RefId=\"0\" />\n"
	    "<Props><BA N=\"RawData\">AAECAwQF</BA>"
	    "<S N=\"Thumbprint\">abcdef0123456789abcdef0123456789abcdef01</S>"
	    "<B N=\"HasPrivateKey\">true</B>"
	    "<S N=\"Subject\">CN=fallback</S>"
	    "<DT N=\"NotAfter\">2026-11-02T17:59:59Z</DT></Props>\n"
	    "</Obj>\n"
	    OBJS_CLOSE;
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	/* The first object is a certificate still, nothing of it readable. */
	assert_int_equal(ingest_clixml(&ev, "x.xml", xml, strlen(xml)), 2);
	assert_true(has_diag(&ev, "line 4: certificate RawData: not valid base64"));
	assert_true(has_diag(&ev, "without a Thumbprint line and with an "
	    "unreadable RawData"));
	assert_true(has_diag(&ev, "not an X.509 certificate"));
	/* The second object's own properties are still read. */
	assert_int_equal(ev.ncerts, 2);
	/* In the order read: the unreadable object first. */
	assert_null(ev.certs[0].thumbprint);
	assert_string_equal(ev.certs[1].thumbprint,
	    "ABCDEF0123456789ABCDEF0123456789ABCDEF01");
	assert_string_equal(ev.certs[1].subject, "CN=fallback");
	assert_int_equal(ev.certs[1].has_private_key, TRI_TRUE);
	assert_date(ev.certs[1].not_after, "2026-11-02T17:59:59Z");
	assert_int_equal(ev.certs[1].services, SERVICES_UNKNOWN);
	evidence_free(&ev);
}

static void
test_ingest_malformed_keeps_earlier(void **state)
{
	size_t		 len;
	char		*text = read_file(REAL_CERTS, &len);
	const char	*third;
	struct evidence	 ev;

	(void)state;
	/* Cut inside the third certificate object (line 33). */
	third = strstr(text, "<Obj RefId=\"2\">");
	assert_non_null(third);
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "cut.xml", text,
	    (size_t)(third - text) + 200), 2);
	assert_int_equal(ev.ncerts, 2);
	assert_true(has_diag(&ev, "malformed CliXml"));
	assert_int_equal(ev.diags.v[0].level, DIAG_ERROR);
	assert_string_equal(ev.diags.v[0].source, "cut.xml");
	evidence_free(&ev);
	/* Nothing complete: unreadable. */
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "cut.xml", text, 300), -1);
	assert_true(has_diag(&ev, "malformed CliXml"));
	evidence_free(&ev);
	free(text);
}

static void
test_ingest_queue_and_unknown_ref(void **state)
{
	const char	*xml = OBJS_OPEN
	    "<Obj RefId=\"0\">\n"
	    " <TN RefId=\"0\"><T>Deserialized.Microsoft.Exchange.Data.QueueViewer.ExtensibleQueueInfo</T>"
	    "<T>Deserialized.Microsoft.Exchange.Data.QueueViewer.PropertyBagBasedQueueInfo</T></TN>\n"
	    " <ToString>EXHUB1\\7</ToString>\n"
	    " <Props>\n"
	    "  <Obj N=\"Identity\" RefId=\"1\"><TN RefId=\"1\"><T>QueueIdentity</T></TN>"
	    "<ToString>EXHUB1\\7</ToString></Obj>\n"
	    "  <Obj N=\"DeliveryType\" RefId=\"2\"><TN RefId=\"2\"><T>DeliveryType</T>"
	    "<T>System.Enum</T></TN><ToString>SmartHostConnectorDelivery</ToString>"
	    "<I32>5</I32></Obj>\n"
	    "  <S N=\"NextHopDomain\">contoso-com.mail.protection.outlook.com</S>\n"
	    "  <G N=\"NextHopConnector\">0292c782-9804-4d8b-ae0e-e1c7ab90852b</G>\n"
	    "  <Obj N=\"Status\" RefId=\"3\"><TN RefId=\"3\"><T>QueueStatus</T></TN>"
	    "<ToString>Retry</ToString><I32>2</I32></Obj>\n"
	    "  <I32 N=\"MessageCount\">42</I32>\n"
	    "  <S N=\"LastError\">451 4.4.0 Primary target IP address responded with: "
	    "\"421 4.4.1 Connection timed out.\"_x000D__x000A_</S>\n"
	    "  <DT N=\"LastRetryTime\">2026-11-10T08:41:12.123+01:00</DT>\n"
	    "  <Ref N=\"Bogus\" RefId=\"404\" />\n"
	    " </Props>\n"
	    "</Obj>\n" OBJS_CLOSE;
	struct evidence		 ev;
	const struct ev_queue	*q;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "q.xml", xml, strlen(xml)), 1);
	assert_true(ev.saw_queue_dump);
	assert_int_equal(ev.nqueues, 1);
	q = &ev.queues[0];
	assert_string_equal(q->identity, "EXHUB1\\7");
	assert_string_equal(q->server, "EXHUB1");
	assert_string_equal(q->status, "Retry");
	assert_string_equal(q->delivery_type, "SmartHostConnectorDelivery");
	assert_string_equal(q->next_hop_domain,
	    "contoso-com.mail.protection.outlook.com");
	assert_string_equal(q->next_hop_connector,
	    "0292c782-9804-4d8b-ae0e-e1c7ab90852b");
	assert_int_equal(q->message_count, 42);
	assert_non_null(strstr(q->last_error, "timed out.\"\r\n"));
	assert_date(q->last_retry_time, "2026-11-10T07:41:12Z");
	/* A DateTime with its offset: exact UTC. */
	assert_true(q->last_retry_time_exact);
	assert_int_equal(q->ref.line, 2);
	assert_true(has_diag(&ev, "line 14: reference to unknown RefId \"404\""));
	evidence_free(&ev);
}

static void
test_ingest_list_wrapped_and_connector_variants(void **state)
{
	const char	*xml = OBJS_OPEN
	    "<Obj RefId=\"0\"><TN RefId=\"0\"><T>System.Object[]</T></TN><LST>\n"
	    "<Obj RefId=\"1\">\n"
	    " <TN RefId=\"1\"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig</T></TN>\n"
	    " <ToString>Outbound to Office 365</ToString>\n"
	    " <Props>\n"
	    "  <Obj N=\"TlsCertificateName\" RefId=\"2\"><TN RefId=\"2\"><T>SmtpX509Identifier</T></TN>"
	    "<ToString>&lt;I&gt;CN=R3, O=Let's Encrypt, C=US&lt;S&gt;CN=mail.contoso.com</ToString></Obj>\n"
	    "  <Obj N=\"TlsAuthLevel\" RefId=\"3\"><TN RefId=\"3\"><T>TlsAuthLevel</T></TN>"
	    "<ToString>DomainValidation</ToString><I32>4</I32></Obj>\n"
	    "  <S N=\"TlsDomain\">mail.protection.outlook.com</S>\n"
	    "  <S N=\"Fqdn\">mail.contoso.com</S>\n"
	    "  <B N=\"RequireTLS\">true</B>\n"
	    "  <Nil N=\"SourceTransportServers\" />\n"
	    "  <Obj N=\"ProtocolLoggingLevel\" RefId=\"4\"><TN RefId=\"4\"><T>ProtocolLoggingLevel</T></TN>"
	    "<ToString>Verbose</ToString><I32>1</I32></Obj>\n"
	    " </Props>\n"
	    "</Obj>\n"
	    "<Ref RefId=\"1\" />\n"
	    "</LST></Obj>\n" OBJS_CLOSE;
	struct evidence			 ev;
	const struct ev_send_connector	*sc;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "s.xml", xml, strlen(xml)), 1);
	assert_int_equal(ev.nsendc, 1);
	sc = &ev.sendc[0];
	assert_string_equal(sc->name, "Outbound to Office 365");
	assert_string_equal(sc->tls_certificate_name,
	    "<I>CN=R3, O=Let's Encrypt, C=US<S>CN=mail.contoso.com");
	assert_string_equal(sc->tls_auth_level, "DomainValidation");
	assert_string_equal(sc->tls_domain, "mail.protection.outlook.com");
	assert_string_equal(sc->fqdn, "mail.contoso.com");
	assert_int_equal(sc->require_tls, TRI_TRUE);
	assert_int_equal(sc->enabled, TRI_UNKNOWN);
	assert_int_equal(sc->cloud_services_mail_enabled, TRI_UNKNOWN);
	/* Nil or absent lists are unknown, not empty. */
	assert_false(sc->source_servers_known);
	assert_false(sc->smart_hosts_known);
	assert_false(sc->address_spaces_known);
	assert_string_equal(sc->protocol_logging_level, "Verbose");
	assert_int_equal(sc->ref.line, 3);
	evidence_free(&ev);
}

static void
test_ingest_not_ours(void **state)
{
	const char	*xml = OBJS_OPEN "<Obj RefId=\"0\"><TN RefId=\"0\">"
	    "<T>System.Diagnostics.Process</T></TN><ToString>x</ToString></Obj>"
	    OBJS_CLOSE;
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_clixml(&ev, "p.xml", xml, strlen(xml)), 0);
	/* Not read, but said: which type it was. */
	assert_int_equal(ev.diags.n, 1);
	assert_int_equal(ev.diags.v[0].level, DIAG_INFO);
	assert_non_null(strstr(ev.diags.v[0].message, "System.Diagnostics.Process"));
	assert_false(ev.saw_cert_dump);
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_primitives_and_escapes),
		cmocka_unit_test(test_refs_lists_enums_dicts),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_bad_base64),
		cmocka_unit_test(test_datetime_forms),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_nrbf_real),
		cmocka_unit_test(test_nrbf_truncated_and_mutated),
		cmocka_unit_test(test_nrbf_record_kinds),
		cmocka_unit_test(test_nrbf_hostile),
		cmocka_unit_test(test_ingest_real_certificates),
		cmocka_unit_test(test_ingest_real_send_connector),
		cmocka_unit_test(test_ingest_real_receive_connectors),
		cmocka_unit_test(test_ingest_without_serialization_data),
		cmocka_unit_test(test_ingest_truncated_serialization_data),
		cmocka_unit_test(test_ingest_bad_raw_data),
		cmocka_unit_test(test_ingest_malformed_keeps_earlier),
		cmocka_unit_test(test_ingest_queue_and_unknown_ref),
		cmocka_unit_test(test_ingest_list_wrapped_and_connector_variants),
		cmocka_unit_test(test_ingest_not_ours),
	};

	return cmocka_run_group_tests(tests, NULL, free_parsed_diags);
}

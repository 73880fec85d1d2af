/*
 * Application event logs: sniffing, the XML and text export readers, the
 * .evtx reader against real logs in testdata/evtx (counts checked with
 * Debian's evtxexport, see testdata/evtx/SOURCES.md), and how twins from
 * two exports of one event merge.
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
#include "formats/events.h"
#include "model/evidence.h"
#include "formats/ingest.h"
#include "pipeline.h"
#include "formats/formats.h"

#define REAL_EVTX	TESTDATA_DIR "/evtx/Application_no_crc32.evtx"
#define REAL_BAD_EVTX	TESTDATA_DIR "/evtx/MSExchange_Management_wec.evtx"
/* Records in REAL_EVTX: `evtxexport | grep -c '^Event identifier'`. */
#define REAL_EVTX_RECORDS	17

#define NS "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'"

static const char RENDERED[] =
    "<Event " NS "><System><Provider Name='MSExchangeFrontEndTransport'/>"
    "<EventID Qualifiers='49156'>12014</EventID><Version>0</Version>"
    "<Level>2</Level><Task>12</Task>"
    "<TimeCreated SystemTime='2026-11-03T14:12:09.1234567Z'/>"
    "<EventRecordID>501</EventRecordID><Channel>Application</Channel>"
    "<Computer>ex01.contoso.com</Computer><Security/></System>"
    "<EventData><Data>mail.contoso.com</Data><Data>Default Frontend EX01"
    "</Data></EventData><RenderingInfo Culture='en-US'><Message>Microsoft "
    "Exchange could not find a certificate that contains the domain name "
    "mail.contoso.com &amp; more.  \r\n\r\n</Message><Level>Error</Level>"
    "</RenderingInfo></Event>\r\n"
    "<Event " NS "><System><Provider Name='MSExchange ADAccess'/>"
    "<EventID Qualifiers='16388'>2080</EventID><Level>4</Level>"
    "<TimeCreated SystemTime='2026-11-03T14:12:30.0000000Z'/>"
    "<Computer>EX01.contoso.com</Computer></System><EventData><Data>x</Data>"
    "</EventData></Event>\r\n";

static const char PLAIN[] =
    "<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<Events>\n"
    "<Event " NS "><System><Provider Name='MSExchangeTransport'/>"
    "<EventID>12023</EventID><Level>2</Level>"
    "<TimeCreated SystemTime='2026-11-06T08:15:01.1000000Z'/>"
    "<Computer>EX02</Computer></System><EventData>"
    "<Data>9F2B44A1C0DE5566778899AABBCCDDEEFF001122</Data><Data/>"
    "<Data>third</Data></EventData></Event>\n"
    "<Event " NS "><System><Provider Name='Microsoft-Windows-Foo' "
    "EventSourceName='MSExchangeTransport'/><EventID>2004</EventID>"
    "<Level>3</Level><Computer>EX02</Computer></System><UserData><Wrap>"
    "<A>one</A><B>two</B></Wrap></UserData></Event>\n</Events>\n";

static const char WEVTUTIL_TEXT[] =
    "Event[0]:\r\n"
    "  Log Name: Application\r\n"
    "  Source: MSExchangeTransport\r\n"
    "  Date: 2026-11-05T11:00:01.007\r\n"
    "  Event ID: 12016\r\n"
    "  Task: TransportService\r\n"
    "  Level: Error\r\n"
    "  Opcode: N/A\r\n"
    "  Keyword: Classic\r\n"
    "  User: N/A\r\n"
    "  User Name: N/A\r\n"
    "  Computer: EX01.contoso.com\r\n"
    "  Description: \r\n"
    "There is no valid SMTP TLS certificate for the FQDN of "
    "mail.contoso.com.\r\n"
    "The existing certificate for that FQDN has expired.\r\n"
    "\r\n"
    "Event[1]:\r\n"
    "  Log Name: Application\r\n"
    "  Source: MSExchange ADAccess\r\n"
    "  Date: 2026-11-05T11:00:02.000Z\r\n"
    "  Event ID: 2080\r\n"
    "  Level: Information\r\n"
    "  Computer: EX01.contoso.com\r\n"
    "  Description: \r\n"
    "Topology discovery.\r\n"
    "\r\n"
    "Event[2]:\r\n"
    "  Source: MSExchangeTransport\r\n"
    "  Event ID: twelve\r\n"
    "  Description: \r\n"
    "no id\r\n";

static const char WINEVENT_FL[] =
    "\r\n\r\n"
    "TimeCreated  : 11/13/2026 10:00:00 AM\r\n"
    "ProviderName : MSExchangeFrontEndTransport\r\n"
    "Id           : 11022\r\n"
    "Message      : Failed to confirm domain capabilities "
    "'AcceptCloudServicesMail' on connector\r\n"
    "               'Inbound from Office 365' because validation failed.\r\n"
    "\r\n"
    "TimeCreated  : 11/6/2026 9:15:00 AM\r\n"
    "ProviderName : MSExchange ADAccess\r\n"
    "Id           : 2080\r\n"
    "Message      : Topology.\r\n"
    "\r\n\r\n";

static const char EVENTLOG_FL[] =
    "\r\n"
    "Index              : 4711\r\n"
    "EntryType          : Warning\r\n"
    "InstanceId         : 2147495666\r\n"
    "Message            : The STARTTLS certificate will expire soon.\r\n"
    "Category           : TransportService\r\n"
    "CategoryNumber     : 12\r\n"
    "ReplacementStrings : {mail.contoso.com, 412}\r\n"
    "Source             : MSExchangeTransport\r\n"
    "TimeGenerated      : 02.11.2026 14:00:00\r\n"
    "TimeWritten        : 02.11.2026 14:00:00\r\n"
    "UserName           :\r\n"
    "EventID            : 12018\r\n"
    "MachineName        : EX03.contoso.com\r\n"
    "\r\n";

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE		*fp = fopen(path, "rb");
	unsigned char	*buf;
	long		 n;

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

/* The diagnostic whose message holds `needle`, else NULL. */
static const struct diag *
diag_find(const struct evidence *ev, const char *needle)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++)
		if (strstr(ev->diags.v[i].message, needle) != NULL)
			return &ev->diags.v[i];
	return NULL;
}

static const struct ev_event *
event_find(const struct evidence *ev, const char *server, long id)
{
	size_t	i;

	for (i = 0; i < ev->nevents; i++)
		if (ev->events[i].id == id && ev->events[i].server != NULL &&
		    strcmp(ev->events[i].server, server) == 0)
			return &ev->events[i];
	return NULL;
}

static int64_t
iso(const char *s)
{
	int64_t	t;

	assert_true(date_parse_iso(s, &t));
	return t;
}

static void
test_sniff(void **state)
{
	static const char cert_fl[] =
	    "\r\nThumbprint : 0B1C\r\nServices   : SMTP\r\nSubject    : CN=x\r\n"
	    "Issuer     : CN=y\r\n";
	unsigned char	*data;
	size_t		 len;

	(void)state;
	data = read_file(REAL_EVTX, &len);
	assert_string_equal(format_sniff_bytes(data, len), "event-log");
	free(data);
	assert_string_equal(format_sniff_text(RENDERED, strlen(RENDERED)), "event-xml");
	assert_string_equal(format_sniff_text(PLAIN, strlen(PLAIN)), "event-xml");
	assert_string_equal(format_sniff_text(WEVTUTIL_TEXT, strlen(WEVTUTIL_TEXT)),
	    "event-text");
	assert_string_equal(format_sniff_text(WINEVENT_FL, strlen(WINEVENT_FL)),
	    "event-text");
	assert_string_equal(format_sniff_text(EVENTLOG_FL, strlen(EVENTLOG_FL)),
	    "event-text");
	/* Other Format-List dumps stay what they were. */
	assert_string_equal(format_sniff_text(cert_fl, strlen(cert_fl)),
	    "format-list");
}

static void
test_message_tidy(void **state)
{
	static const char msg[] =
	    "\r\n  \r\nline one  \r\n\r\nline two\t\r\n\r\n";
	char	*m;

	(void)state;
	m = event_message_tidy(msg, strlen(msg));
	assert_string_equal(m, "line one\n\nline two");
	free(m);
	assert_null(event_message_tidy(" \r\n\t\n", 5));
	assert_string_equal(event_level_name(2), "Error");
	assert_null(event_level_name(0));
	assert_null(event_level_name(9));
}

static void
test_xml_rendered(void **state)
{
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_event_xml(&ev, "a.xml", RENDERED,
	    strlen(RENDERED)), 1);
	assert_true(ev.saw_event_log);
	assert_int_equal(ev.nevents, 1);
	e = &ev.events[0];
	assert_string_equal(e->server, "EX01");
	assert_int_equal(e->id, 12014);
	assert_string_equal(e->provider, "MSExchangeFrontEndTransport");
	assert_string_equal(e->level, "Error");
	assert_true(e->time == iso("2026-11-03T14:12:09Z"));
	assert_true(e->time_exact);
	assert_false(e->message_raw);
	assert_string_equal(e->message, "Microsoft Exchange could not find a "
	    "certificate that contains the domain name mail.contoso.com & "
	    "more.");
	assert_string_equal(e->ref.source, "a.xml");
	assert_int_equal(e->ref.line, 1);
	assert_non_null(diag_find(&ev, "2 events read, 1 about TLS"));
	evidence_free(&ev);
}

static void
test_xml_plain_raw_strings(void **state)
{
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_event_xml(&ev, "b.xml", PLAIN, strlen(PLAIN)),
	    2);
	e = event_find(&ev, "EX02", 12023);
	assert_non_null(e);
	assert_true(e->message_raw);
	assert_string_equal(e->message, "Raw event strings (no message text "
	    "without the provider's message file): "
	    "9F2B44A1C0DE5566778899AABBCCDDEEFF001122 |  | third");
	assert_int_equal(e->ref.line, 3);
	/* No TimeCreated: unknown, not guessed; UserData's leaves are strings. */
	e = event_find(&ev, "EX02", 2004);
	assert_non_null(e);
	assert_true(e->time == TIME_UNKNOWN);
	assert_string_equal(e->provider, "MSExchangeTransport");
	assert_string_equal(e->level, "Warning");
	assert_non_null(strstr(e->message, ": one | two"));
	evidence_free(&ev);
}

static void
test_xml_broken(void **state)
{
	static const char cut[] =
	    "<Event " NS "><System><EventID>12014</EventID><Computer>EX1"
	    "</Computer></System></Event>\n<Event " NS "><System><EventID>"
	    "12016</EventID>";
	static const char bad_id[] =
	    "<Event " NS "><System><EventID>12x</EventID></System></Event>";
	static const char bad_xml[] =
	    "<Event " NS "><System><EventID>12014</EventID></System></Event>\n"
	    "<Event " NS "><System><EventID>12016</EventID></System><<</Event>";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	/* The complete event is kept; the cut one is said to be cut. */
	assert_int_equal(ingest_event_xml(&ev, "cut.xml", cut, strlen(cut)), 1);
	assert_int_equal(ev.nevents, 1);
	assert_true(ev.events[0].time == TIME_UNKNOWN);
	assert_null(ev.events[0].message);
	assert_non_null(diag_find(&ev, "line 2: the last event is cut off"));
	assert_int_equal(ingest_event_xml(&ev, "id.xml", bad_id,
	    strlen(bad_id)), -1);
	assert_non_null(diag_find(&ev, "without a readable EventID"));
	assert_int_equal(ingest_event_xml(&ev, "bad.xml", bad_xml,
	    strlen(bad_xml)), 1);
	assert_non_null(diag_find(&ev, "the events before it are read"));
	assert_int_equal(ingest_event_xml(&ev, "empty.xml", "", 0), 0);
	evidence_free(&ev);
}

static void
test_wevtutil_text(void **state)
{
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_event_text(&ev, "t.txt", WEVTUTIL_TEXT,
	    strlen(WEVTUTIL_TEXT)), 1);
	assert_int_equal(ev.nevents, 1);
	e = &ev.events[0];
	assert_string_equal(e->server, "EX01");
	assert_int_equal(e->id, 12016);
	assert_string_equal(e->provider, "MSExchangeTransport");
	assert_string_equal(e->level, "Error");
	/* No zone: read as UTC, and not exact. */
	assert_true(e->time == iso("2026-11-05T11:00:01Z"));
	assert_false(e->time_exact);
	assert_string_equal(e->message, "There is no valid SMTP TLS certificate "
	    "for the FQDN of mail.contoso.com.\nThe existing certificate for "
	    "that FQDN has expired.");
	assert_int_equal(e->ref.line, 1);
	assert_non_null(diag_find(&ev, "line 27: 1 event without a readable "
	    "Event ID"));
	assert_non_null(diag_find(&ev, "local time"));
	assert_non_null(diag_find(&ev, "2 events read, 1 about TLS"));
	evidence_free(&ev);
}

static void
test_winevent_fl(void **state)
{
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_event_text(&ev, "fl.txt", WINEVENT_FL,
	    strlen(WINEVENT_FL)), 1);
	e = &ev.events[0];
	/* The default view has no MachineName: the server stays unknown. */
	assert_null(e->server);
	assert_int_equal(e->id, 11022);
	assert_null(e->level);
	assert_true(e->time == iso("2026-11-13T10:00:00Z"));
	assert_false(e->time_exact);
	assert_non_null(strstr(e->message, "Failed to confirm domain"));
	assert_non_null(strstr(e->message, "'Inbound from Office 365' because "
	    "validation failed."));
	assert_int_equal(e->ref.line, 3);

	assert_int_equal(ingest_event_text(&ev, "el.txt", EVENTLOG_FL,
	    strlen(EVENTLOG_FL)), 1);
	e = event_find(&ev, "EX03", 12018);
	assert_non_null(e);
	assert_string_equal(e->level, "Warning");
	assert_string_equal(e->provider, "MSExchangeTransport");
	assert_true(e->time == iso("2026-11-02T14:00:00Z"));
	evidence_free(&ev);
}

static void
test_twins(void **state)
{
	struct evidence	ev;
	struct ev_event	a, b;

	(void)state;
	evidence_init(&ev);
	ev_event_init(&a);
	a.server = "EX02.contoso.com";
	a.id = 12014;
	a.time = iso("2026-11-06T08:15:00Z");
	a.time_exact = true;
	a.message = "Raw event strings (no message text without the "
	    "provider's message file): smtp.contoso.com";
	a.message_raw = true;
	a.ref.source = "x.xml";
	evidence_add_event(&ev, &a);
	/* The same event from a text export, its clock an hour ahead. */
	b = a;
	b.server = "EX02";
	b.time = iso("2026-11-06T09:15:00Z");
	b.time_exact = false;
	b.message = "Microsoft Exchange could not find a certificate";
	b.message_raw = false;
	b.ref.source = "y.txt";
	evidence_add_event(&ev, &b);
	assert_int_equal(ev.nevents, 1);
	assert_true(ev.events[0].time == a.time);
	assert_false(ev.events[0].message_raw);
	assert_string_equal(ev.events[0].message, b.message);
	/* Two events an hour apart in one file are two events. */
	b.ref.source = "x.xml";
	b.time_exact = true;
	b.message = a.message;
	b.message_raw = true;
	evidence_add_event(&ev, &b);
	assert_int_equal(ev.nevents, 2);
	/* Not a zone offset apart: not twins either. */
	b.ref.source = "z.txt";
	b.time_exact = false;
	b.time = a.time + 3600 + 7;
	evidence_add_event(&ev, &b);
	assert_int_equal(ev.nevents, 3);
	evidence_free(&ev);
}

static void
test_evtx_real(void **state)
{
	struct evidence	 ev;
	unsigned char	*data;
	size_t		 len;
	char		 want[64];

	(void)state;
	evidence_init(&ev);
	data = read_file(REAL_EVTX, &len);
	if (!evtx_supported()) {
		assert_int_equal(ingest_evtx(&ev, "a.evtx", data, len), 0);
		assert_non_null(diag_find(&ev, "has no libevtx"));
		assert_false(ev.saw_event_log);
		free(data);
		evidence_free(&ev);
		return;
	}
	/* Every record read, none of them about TLS. */
	assert_int_equal(ingest_evtx(&ev, "a.evtx", data, len), 0);
	assert_true(ev.saw_event_log);
	assert_int_equal(ev.nevents, 0);
	snprintf(want, sizeof want, "event log: %d events read, 0 about",
	    REAL_EVTX_RECORDS);
	assert_non_null(diag_find(&ev, want));
	assert_non_null(diag_find(&ev, "34 recovered records"));
	free(data);
	evidence_free(&ev);
}

static void
test_evtx_unreadable(void **state)
{
	static const unsigned char junk[] =
	    "ElfFile\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	struct evidence	 ev;
	unsigned char	*data, *cut;
	size_t		 len;

	(void)state;
	evidence_init(&ev);
	data = read_file(REAL_BAD_EVTX, &len);
	if (!evtx_supported()) {
		assert_int_equal(ingest_evtx(&ev, "wec.evtx", data, len), 0);
		assert_non_null(diag_find(&ev, "has no libevtx"));
		free(data);
		evidence_free(&ev);
		return;
	}
	assert_int_equal(ingest_evtx(&ev, "wec.evtx", data, len), -1);
	assert_non_null(diag_find(&ev, "1 of 1 records could not be read"));
	free(data);
	assert_int_equal(ingest_evtx(&ev, "junk.evtx", junk, sizeof junk), -1);
	assert_non_null(diag_find(&ev, "not a readable event log"));
	/* Cut short in its first chunk: whatever reads, nothing crashes. */
	data = read_file(REAL_EVTX, &len);
	cut = malloc(8192);
	assert_non_null(cut);
	memcpy(cut, data, 8192);
	assert_true(ingest_evtx(&ev, "cut.evtx", cut, 8192) <= 0);
	free(cut);
	free(data);
	evidence_free(&ev);
}

/*
 * An export that names no computer takes the server its path names; with
 * several servers and no clue it stays unknown. Events come out by server
 * and time.
 */
static void
test_events_finish(void **state)
{
	static const char other[] =
	    "TimeCreated  : 11/13/2026 10:00:07 AM\r\n"
	    "ProviderName : MSExchangeFrontEndTransport\r\n"
	    "Id           : 11022\r\n"
	    "Message      : Failed to confirm domain capabilities.\r\n";
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	assert_int_equal(ingest_event_text(&ev, "EX01/GetWinEvent.txt",
	    WINEVENT_FL, strlen(WINEVENT_FL)), 1);
	assert_int_equal(ingest_event_xml(&ev, "b.xml", PLAIN, strlen(PLAIN)),
	    2);
	assert_int_equal(ingest_event_xml(&ev, "a.xml", RENDERED,
	    strlen(RENDERED)), 1);
	/* The same export again elsewhere: the same events, counted once. */
	assert_int_equal(ingest_event_text(&ev, "again/fl.txt", WINEVENT_FL,
	    strlen(WINEVENT_FL)), 1);
	assert_int_equal(ev.nevents, 4);
	assert_int_equal(ingest_event_text(&ev, "elsewhere/fl.txt", other,
	    strlen(other)), 1);
	assert_int_equal(ev.nevents, 5);
	evidence_finish(&ev);
	/* EX01: 12014 (Nov 3), 11022 (Nov 13); EX02: 12023, then 2004 (no time). */
	assert_string_equal(ev.events[0].server, "EX01");
	assert_int_equal(ev.events[0].id, 12014);
	assert_string_equal(ev.events[1].server, "EX01");
	assert_int_equal(ev.events[1].id, 11022);
	assert_string_equal(ev.events[1].ref.source, "EX01/GetWinEvent.txt");
	assert_string_equal(ev.events[2].server, "EX02");
	assert_int_equal(ev.events[2].id, 12023);
	assert_int_equal(ev.events[3].id, 2004);
	assert_null(ev.events[4].server);
	assert_string_equal(ev.events[4].ref.source, "elsewhere/fl.txt");
	evidence_free(&ev);
}

/* The manifest says what became of each log: read, damaged, unsupported. */
static void
test_evtx_manifest_status(void **state)
{
	const char *const	 inputs[] = { REAL_EVTX, REAL_BAD_EVTX };
	struct pipeline_opts	 opts;
	struct pipeline_result	 res;
	struct evidence		 ev;

	(void)state;
	memset(&opts, 0, sizeof opts);
	bundle_limits_default(&opts.limits);
	evidence_init(&ev);
	assert_int_equal(pipeline_read(inputs, 2, &opts, &ev, &res), 0);
	assert_int_equal(ev.nentries, 2);
	assert_string_equal(ev.entries[0].kind, "event-log");
	assert_string_equal(ev.entries[1].kind, "event-log");
	if (evtx_supported()) {
		assert_int_equal(ev.entries[0].status, MANIFEST_READ);
		assert_null(ev.entries[0].why);
		assert_int_equal(ev.entries[1].status, MANIFEST_DAMAGED);
		assert_non_null(ev.entries[1].why);
		assert_int_equal(res.usable, 1);
		assert_true(ev.saw_event_log);
	} else {
		assert_int_equal(ev.entries[0].status, MANIFEST_UNSUPPORTED);
		assert_int_equal(ev.entries[1].status, MANIFEST_UNSUPPORTED);
		assert_non_null(strstr(ev.entries[0].why, "libevtx"));
		assert_int_equal(res.usable, 0);
		assert_false(ev.saw_event_log);
	}
	evidence_free(&ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_message_tidy),
		cmocka_unit_test(test_xml_rendered),
		cmocka_unit_test(test_xml_plain_raw_strings),
		cmocka_unit_test(test_xml_broken),
		cmocka_unit_test(test_wevtutil_text),
		cmocka_unit_test(test_winevent_fl),
		cmocka_unit_test(test_twins),
		cmocka_unit_test(test_evtx_real),
		cmocka_unit_test(test_evtx_unreadable),
		cmocka_unit_test(test_evtx_manifest_status),
		cmocka_unit_test(test_events_finish),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

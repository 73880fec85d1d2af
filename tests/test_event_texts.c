/*
 * Event texts as people paste them: Event Viewer's "Copy details as text"
 * (English, German, the older layout, several events in one text), the
 * message alone, and the facts the transport certificate events' messages
 * state (connector, FQDN, thumbprint, subject, hours remaining). The texts
 * are the published ones of testdata/realdata/events (SOURCES.md) and
 * Exchange's documented message wording with values put in.
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
#include "formats/formats.h"
#include "formats/ingest.h"
#include "model/evidence.h"
#include "model/kinds/event.h"
#include "model/kinds/event_facts.h"

#define EVENTS	TESTDATA_DIR "/realdata/events/"

static char *
read_text(const char *path, size_t *len)
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

static const struct diag *
diag_find(const struct evidence *ev, const char *needle)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++)
		if (strstr(ev->diags.v[i].message, needle) != NULL)
			return &ev->diags.v[i];
	return NULL;
}

/* A message's facts, as the readers would give them. */
static void
facts_of(struct ev_event *e, long id, const char *message)
{
	ev_event_init(e);
	e->id = id;
	e->message = strdup(message);
	event_facts_read(e);
}

/* Reads a realdata event file through the format that bids on it. */
static const char *
read_real(struct evidence *ev, const char *name)
{
	char			 path[512];
	char			*text;
	size_t			 len;
	const struct format	*f;

	snprintf(path, sizeof path, EVENTS "%s", name);
	text = read_text(path, &len);
	f = format_of_text(text, len);
	assert_non_null(f);
	if (strcmp(f->name, "event-viewer-text") == 0)
		(void)ingest_event_viewer(ev, name, text, len);
	else if (strcmp(f->name, "event-message") == 0)
		(void)ingest_event_message(ev, name, text, len);
	else if (strcmp(f->name, "event-text") == 0)
		(void)ingest_event_text(ev, name, text, len);
	free(text);
	return f->name;
}

static int64_t
iso(const char *s)
{
	int64_t	t;

	assert_true(date_parse_iso(s, &t));
	return t;
}

/* ------------------------------------------------------------- layouts */

static void
test_copy_details_english(void **state)
{
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	evidence_init(&ev);
	/* KB 2989382: placeholders for the date and the computer. */
	assert_string_equal(read_real(&ev,
	    "kb2989382-event12014-copy-details.txt"), "event-viewer-text");
	assert_int_equal(ev.nevents, 1);
	e = &ev.events[0];
	assert_int_equal(e->id, 12014);
	assert_string_equal(e->provider, "MSExchangeFrontEndTransport");
	assert_string_equal(e->level, "Error");
	assert_null(e->server);			/* <HybridServerName>.contoso.com */
	assert_true(e->time == TIME_UNKNOWN);	/* MM/DD/YYYY 0:00:00 AM */
	assert_non_null(diag_find(&ev, "1 event time not read"));
	/* The name sought is the connector's TlsCertificateName. */
	assert_string_equal(e->cert_issuer, "CN=Certificate Name, "
	    "OU=<CertificateIssuer>, O=Certificate Provider, C=US");
	assert_string_equal(e->cert_subject, "CN=mail.contoso.com, OU=IT, "
	    "O=contoso, L=location, S=location, C=US");
	assert_null(e->connector);	/* the article cut the message there */
	evidence_free(&ev);
}

static void
test_copy_details_german(void **state)
{
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	evidence_init(&ev);
	assert_string_equal(read_real(&ev,
	    "event12014-copy-details-de-DE.txt"), "event-viewer-text");
	assert_int_equal(ev.nevents, 1);
	e = &ev.events[0];
	assert_int_equal(e->id, 12014);
	assert_string_equal(e->server, "EX02");
	assert_string_equal(e->level, "Error");		/* "Fehler" */
	/* 03.11.2026: the dots say day first; local time, not exact. */
	assert_true(e->time == iso("2026-11-03T15:12:09Z"));
	assert_false(e->time_exact);
	assert_string_equal(e->connector, "Default Frontend EX02");
	assert_string_equal(e->fqdn, "smtp.contoso.de");
	assert_string_equal(e->cert_name, "smtp.contoso.de");
	evidence_free(&ev);
}

static void
test_copy_details_several(void **state)
{
	struct evidence	ev;

	(void)state;
	evidence_init(&ev);
	/* KB 2958036: five events, no dates, none about certificates. */
	assert_string_equal(read_real(&ev, "kb2958036-transport-events.txt"),
	    "event-viewer-text");
	assert_int_equal(ev.nevents, 0);
	assert_true(ev.saw_event_log);
	assert_non_null(diag_find(&ev, "5 events read, 0 about TLS"));
	evidence_free(&ev);
	/* KB 2888788: "Event ID" twice, a blank line before Description. */
	evidence_init(&ev);
	assert_string_equal(read_real(&ev, "kb2888788-event2004-copy-details.txt"),
	    "event-viewer-text");
	assert_int_equal(ev.nevents, 1);
	assert_int_equal(ev.events[0].id, 2004);
	assert_string_equal(ev.events[0].server, "EXCHANGE");
	assert_non_null(strstr(ev.events[0].message, "Send connector Outbound "
	    "to Office 365: Message delivery was not successful."));
	assert_non_null(diag_find(&ev, "1 event read, 1 about TLS"));
	evidence_free(&ev);
}

static void
test_old_layout(void **state)
{
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	evidence_init(&ev);
	assert_string_equal(read_real(&ev, "event1035-old-layout.txt"),
	    "event-viewer-text");
	assert_int_equal(ev.nevents, 1);
	e = &ev.events[0];
	assert_int_equal(e->id, 1035);
	assert_string_equal(e->provider, "MSExchangeTransport");
	assert_string_equal(e->server, "EXHUB-B1");
	assert_string_equal(e->level, "Error");
	/*
	 * 11/3/2026 2:31:06 PM alone: AM/PM and no zero-padded field are
	 * en-US's pattern, month first; the server's local time.
	 */
	assert_int_equal(e->time, iso("2026-11-03T14:31:06Z"));
	assert_false(e->time_exact);
	assert_non_null(strstr(e->message, "Inbound authentication failed "
	    "with error IllegalMessage"));
	evidence_free(&ev);
}

static void
test_copy_details_without_description(void **state)
{
	/* As blogs paste it: the message right after Computer. */
	static const char text[] =
	    "Log Name:      Application\r\n"
	    "Source:        MSExchangeTransport\r\n"
	    "Date:          9/28/2026 9:35:58 AM\r\n"
	    "Event ID:      12014\r\n"
	    "Task Category: TransportService\r\n"
	    "Level:         Error\r\n"
	    "Keywords:      Classic\r\n"
	    "User:          N/A\r\n"
	    "Computer:      edge01\r\n"
	    "Microsoft Exchange could not find a certificate that contains the "
	    "domain name mail1.contoso.com in the personal store on the local "
	    "computer. Therefore, it is unable to support the STARTTLS SMTP "
	    "verb for the connector Default internal receive connector EDGE01 "
	    "with a FQDN parameter of mail.contoso.com. If the connector's FQDN "
	    "is not specified, the computer's FQDN is used.\r\n";
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	assert_string_equal(format_sniff_text(text, strlen(text)),
	    "event-viewer-text");
	evidence_init(&ev);
	assert_int_equal(ingest_event_viewer(&ev, "c.txt", text, strlen(text)),
	    1);
	e = &ev.events[0];
	assert_string_equal(e->server, "EDGE01");
	/* 9/28: month first, decided by the file's own date. */
	assert_true(e->time == iso("2026-09-28T09:35:58Z"));
	assert_string_equal(e->cert_name, "mail1.contoso.com");
	assert_string_equal(e->connector,
	    "Default internal receive connector EDGE01");
	assert_string_equal(e->fqdn, "mail.contoso.com");
	evidence_free(&ev);
}

static void
test_bare_message(void **state)
{
	/* The message alone, broken where it was pasted. */
	static const char wrapped[] =
	    "The STARTTLS certificate will expire soon: subject: CN=mail.\n"
	    "contoso.com, thumbprint: 0B1C2D3E4F5061728394A5B6C7D8E9F00112233A, "
	    "hours\nremaining: 412. Run the New-ExchangeCertificate cmdlet to "
	    "create a new certificate.\n\nSomething else entirely.\n";
	struct evidence		 ev;
	const struct ev_event	*e;

	(void)state;
	evidence_init(&ev);
	assert_string_equal(read_real(&ev, "event12014-bare-message.txt"),
	    "event-message");
	assert_int_equal(ev.nevents, 1);
	e = &ev.events[0];
	assert_int_equal(e->id, -1);		/* not written */
	assert_int_equal(e->wording_id, 12014);
	assert_int_equal(event_effective_id(e), 12014);
	assert_true(e->time == TIME_UNKNOWN);
	assert_string_equal(e->connector, "Default Frontend EXCAS1");
	assert_string_equal(e->fqdn, "EXCAS1.corp.fabrikam.com");
	evidence_free(&ev);

	assert_string_equal(format_sniff_text(wrapped, strlen(wrapped)),
	    "event-message");
	evidence_init(&ev);
	assert_int_equal(ingest_event_message(&ev, "w.txt", wrapped,
	    strlen(wrapped)), 1);
	e = &ev.events[0];
	assert_int_equal(e->wording_id, 12018);
	assert_string_equal(e->thumbprint,
	    "0B1C2D3E4F5061728394A5B6C7D8E9F00112233A");
	assert_int_equal(e->hours_remaining, 412);
	assert_true(e->expires == TIME_UNKNOWN);	/* no event time */
	assert_non_null(diag_find(&ev, "line 5: 1 paragraph with no transport "
	    "event wording skipped"));
	evidence_free(&ev);
}

static void
test_not_event_texts(void **state)
{
	/* A CSV whose first row holds a 12014 message stays a CSV. */
	static const char csv[] =
	    "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
	    "\"Message\",\"Id\"\r\n\"Microsoft Exchange could not find a "
	    "certificate that contains the domain name x in the personal "
	    "store\",\"12014\"\r\n";
	/* Format-List with Source and Date but no Event ID. */
	static const char fl[] =
	    "Source     : EX01\r\nDate       : 11/3/2026\r\nLevel      : 3\r\n";

	(void)state;
	assert_string_not_equal(format_sniff_text(csv, strlen(csv)),
	    "event-message");
	assert_string_not_equal(format_sniff_text(fl, strlen(fl)),
	    "event-viewer-text");
}

/* ------------------------------------------------------------- messages */

static void
test_facts_12014(void **state)
{
	struct ev_event	e;

	(void)state;
	/* Exchange 2013 and later log the domain name empty at times. */
	facts_of(&e, 12014, "Microsoft Exchange could not find a certificate "
	    "that contains the domain name  in the personal store on the local "
	    "computer. Therefore, it is unable to support the STARTTLS SMTP "
	    "verb for the connector  with a FQDN parameter of . If the "
	    "connector's FQDN is not specified, the computer's FQDN is used.");
	assert_null(e.cert_name);
	assert_null(e.connector);
	assert_null(e.fqdn);
	ev_event_clear(&e);
	/* A pinned connector: its TlsCertificateName in both places. */
	facts_of(&e, 12014, "Microsoft Exchange couldn't find a certificate "
	    "that contains the domain name <I>CN=R3, O=Let's Encrypt, C=US<S>"
	    "CN=mail.contoso.com in the personal store on the local computer. "
	    "Therefore, it is unable to support the STARTTLS SMTP verb for the "
	    "connector Default Frontend EX01 with a FQDN parameter of <I>CN=R3, "
	    "O=Let's Encrypt, C=US<S>CN=mail.contoso.com. If the connector's "
	    "FQDN is not specified, the computer's FQDN is used.");
	assert_int_equal(e.wording_id, 12014);
	assert_string_equal(e.connector, "Default Frontend EX01");
	assert_null(e.fqdn);
	assert_string_equal(e.cert_issuer, "CN=R3, O=Let's Encrypt, C=US");
	assert_string_equal(e.cert_subject, "CN=mail.contoso.com");
	ev_event_clear(&e);
}

static void
test_facts_expiry(void **state)
{
	struct ev_event	e;

	(void)state;
	facts_of(&e, 12018, "The STARTTLS certificate will expire soon: "
	    "subject: CN=mail.contoso.com, O=Contoso, C=US, thumbprint: "
	    "7dbe396696c81e8298d0f8a5138ddd125d8682a1, hours remaining: 96. "
	    "Run the New-ExchangeCertificate cmdlet to create a new "
	    "certificate.");
	assert_string_equal(e.cert_subject, "CN=mail.contoso.com, O=Contoso, "
	    "C=US");
	assert_string_equal(e.thumbprint,
	    "7DBE396696C81E8298D0F8A5138DDD125D8682A1");
	assert_int_equal(e.hours_remaining, 96);
	ev_event_clear(&e);
	facts_of(&e, 12017, "An internal transport certificate will expire "
	    "soon. Thumbprint:B66A3F14B3EC1B08501835F8D280C664470F3882, hours "
	    "remaining: 40");
	e.time = iso("2026-11-02T09:41:55Z");
	event_facts_read(&e);
	assert_string_equal(e.thumbprint,
	    "B66A3F14B3EC1B08501835F8D280C664470F3882");
	assert_true(e.expires == iso("2026-11-04T01:41:55Z"));
	ev_event_clear(&e);
	/* Without its thumbprint, as some versions write it. */
	facts_of(&e, 12015, "An internal transport certificate expired.");
	assert_int_equal(e.wording_id, 12015);
	assert_null(e.thumbprint);
	ev_event_clear(&e);
	facts_of(&e, 12016, "There is no valid SMTP Transport Layer Security "
	    "(TLS) certificate for the FQDN of mail.contoso.com. The existing "
	    "certificate for that FQDN has expired.");
	assert_string_equal(e.fqdn, "mail.contoso.com");
	ev_event_clear(&e);
	facts_of(&e, 12019, "The remote internal transport certificate "
	    "expired. Certificate subject: CN=EDGE01.");
	assert_int_equal(e.wording_id, 12019);
	assert_string_equal(e.cert_subject, "CN=EDGE01");
	ev_event_clear(&e);
}

static void
test_facts_load(void **state)
{
	struct ev_event	e;

	(void)state;
	facts_of(&e, -1, "Microsoft Exchange could not load the certificate "
	    "with thumbprint of 9F2B44A1C0DE5566778899AABBCCDDEEFF001122 from "
	    "the personal store on the local computer. This certificate was "
	    "configured for authentication with other Exchange servers. Mail "
	    "flow to other Exchange servers could be affected by this error. "
	    "Meanwhile, an ephemeral, self-signed certificate with thumbprint "
	    "0B1C2D3E4F5061728394A5B6C7D8E9F00112233A is being used.");
	assert_int_equal(e.wording_id, 12024);
	assert_string_equal(e.thumbprint,
	    "9F2B44A1C0DE5566778899AABBCCDDEEFF001122");
	assert_string_equal(e.fallback_thumbprint,
	    "0B1C2D3E4F5061728394A5B6C7D8E9F00112233A");
	ev_event_clear(&e);
	facts_of(&e, -1, "Microsoft Exchange could not load the certificate "
	    "with thumbprint of 9F2B44A1C0DE5566778899AABBCCDDEEFF001122 from "
	    "the personal store on the local computer. This certificate was "
	    "configured for authentication with other Exchange servers.");
	assert_int_equal(e.wording_id, 12013);
	assert_null(e.fallback_thumbprint);
	ev_event_clear(&e);
	/* Raw strings (an .evtx without message files) by position. */
	ev_event_init(&e);
	e.id = 12018;
	e.message_raw = true;
	e.message = strdup("Raw event strings (no message text without the "
	    "provider's message file): CN=mail.contoso.com | "
	    "7DBE396696C81E8298D0F8A5138DDD125D8682A1 | 96");
	event_facts_read(&e);
	assert_int_equal(e.wording_id, -1);
	assert_string_equal(e.cert_subject, "CN=mail.contoso.com");
	assert_string_equal(e.thumbprint,
	    "7DBE396696C81E8298D0F8A5138DDD125D8682A1");
	assert_int_equal(e.hours_remaining, 96);
	ev_event_clear(&e);
	/* Nothing else is taken for a certificate event. */
	assert_int_equal(event_wording_id("The Microsoft Exchange Transport "
	    "service entered the running state."), -1);
	assert_int_equal(event_wording_id(NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_details_english),
		cmocka_unit_test(test_copy_details_german),
		cmocka_unit_test(test_copy_details_several),
		cmocka_unit_test(test_old_layout),
		cmocka_unit_test(test_copy_details_without_description),
		cmocka_unit_test(test_bare_message),
		cmocka_unit_test(test_not_event_texts),
		cmocka_unit_test(test_facts_12014),
		cmocka_unit_test(test_facts_expiry),
		cmocka_unit_test(test_facts_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

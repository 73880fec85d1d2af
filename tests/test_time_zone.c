/*
 * The servers' clocks (model/time_zone.h): a certificate printed by
 * Get-ExchangeCertificate | Format-List on a US Pacific server (local time)
 * and shown again, with its dates, in the Send log's certificate row (UTC)
 * gives the server's offset; its other local times are converted where the
 * offset holds and stay labelled local where it does not; clues that
 * disagree give none; a certificate presented before its NotBefore is a
 * clock or zone that is off, and no onset is claimed from it.
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

#include "formats/ingest.h"
#include "model/evidence.h"
#include "model/kinds/cert.h"
#include "model/kinds/queue.h"
#include "model/kinds/server.h"
#include "model/time_zone.h"
#include "rules/time_words.h"
#include "util/datetime.h"

#define TP_SELF	"0458740C618928D3D1DE829FF2009CE44EEB6D2B"
#define TP_NEW	"6DCCDDC8AC37F08BA3840B2093EEA0478EE3F572"
#define TP_SUMMER "CDE0F40435BB9C4EF16454A8735D13C34619833A"

/* Get-ExchangeCertificate | Format-List on an en-US console, UTC-08:00. */
static const char certs_fl[] =
    "Thumbprint         : " TP_SELF "\n"
    "Subject            : CN=EXHUB1\n"
    "Issuer             : CN=EXHUB1\n"
    "Services           : IMAP, POP, IIS, SMTP\n"
    "NotBefore          : 1/15/2024 9:58:02 AM\n"
    "NotAfter           : 1/13/2029 9:58:02 AM\n"
    "\n"
    "Thumbprint         : " TP_NEW "\n"
    "Subject            : CN=mail.contoso.com, O=Contoso, C=US\n"
    "Issuer             : CN=Contoso Issuing CA 01, O=Contoso, C=US\n"
    "Services           : IIS\n"
    "NotBefore          : 11/8/2026 6:00:00 PM\n"
    "NotAfter           : 12/8/2027 5:59:59 PM\n";

/* The same server's queue, en-US: a winter time and a summer one. */
static const char queues_fl[] =
    "Identity      : EXHUB1\\3\n"
    "DeliveryType  : SmartHostConnectorDelivery\n"
    "Status        : Retry\n"
    "MessageCount  : 12\n"
    "LastError     : 451 4.4.0 Primary target IP address responded with: "
    "\"421 4.4.1 Connection timed out.\"\n"
    "LastRetryTime : 11/10/2026 12:41:12 AM\n"
    "\n"
    "Identity      : EXHUB1\\4\n"
    "DeliveryType  : SmartHostConnectorDelivery\n"
    "Status        : Ready\n"
    "MessageCount  : 0\n"
    "LastRetryTime : 7/14/2026 10:00:00 AM\n";

#define LOG_HEAD \
    "#Software: Microsoft Exchange Server\n" \
    "#Version: 15.0.0.0\n" \
    "#Log-type: SMTP Send Protocol Log\n" \
    "#Date: 2026-11-07T08:00:00.846Z\n" \
    "#Fields: date-time,connector-id,session-id,sequence-number," \
    "local-endpoint,remote-endpoint,event,data,context\n"
#define ROW(t, id, seq, ev, data, ctx) \
    t ",Outbound to Office 365," id "," seq \
    ",10.0.1.21:21576,104.47.51.138:25," ev "," data "," ctx "\n"
#define SESSION(t, id, cert_row, outcome) \
    ROW(t, id, "0", "*", "", "attempting to connect") \
    ROW(t, id, "5", ">", "STARTTLS", "") \
    ROW(t, id, "6", "<", "220 2.0.0 SMTP server ready", "") \
    ROW(t, id, "7", "*", cert_row, "Sending certificate Subject Issuer name " \
	"Serial number Thumbprint Not before Not after Subject alternate " \
	"names") \
    ROW(t, id, "8", "*", "", outcome)
#define OK_CTX "\"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded\""
#define FAIL_CTX "\"TLS negotiation failed with error UnknownCredentials\""

/* The self-signed certificate's row carries its dates, UTC. */
static const char log_self[] = LOG_HEAD
    SESSION("2026-11-07T08:00:00.991Z", "08DE3A91C4D70012", " CN=EXHUB1 CN=EXHUB1 "
	"1F23F6FD88828B65670E7A1A8B9C9761 " TP_SELF " 2024-01-15T17:58:02.000Z "
	"2029-01-13T17:58:02.000Z EXHUB1;EXHUB1.contoso.com", OK_CTX);

static int64_t
iso(const char *s)
{
	int64_t	t;

	assert_true(date_parse_iso(s, &t));
	return t;
}

static const struct ev_cert *
cert(const struct evidence *ev, const char *tp)
{
	size_t	i;

	for (i = 0; i < ev->ncerts; i++)
		if (strcmp(ev->certs[i].thumbprint, tp) == 0)
			return &ev->certs[i];
	fail_msg("certificate %s not found", tp);
	return NULL;
}

static const struct ev_queue *
queue(const struct evidence *ev, const char *identity)
{
	size_t	i;

	for (i = 0; i < ev->nqueues; i++)
		if (strcmp(ev->queues[i].identity, identity) == 0)
			return &ev->queues[i];
	fail_msg("queue %s not found", identity);
	return NULL;
}

static bool
diag_says(const struct evidence *ev, enum diag_level level, const char *a,
    const char *b)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++)
		if (ev->diags.v[i].level == level &&
		    strstr(ev->diags.v[i].message, a) != NULL &&
		    (b == NULL || strstr(ev->diags.v[i].message, b) != NULL))
			return true;
	return false;
}

static void
read_bundle(struct evidence *ev, const char *log, bool with_log)
{
	evidence_init(ev);
	assert_int_equal(ingest_fl(ev, "EXHUB1/EXHUB1_ExchangeCertificate.txt",
	    certs_fl, sizeof certs_fl - 1), 2);
	assert_int_equal(ingest_fl(ev, "EXHUB1/EXHUB1_InstantQueueInfo.txt",
	    queues_fl, sizeof queues_fl - 1), 2);
	if (with_log)
		assert_true(ingest_protolog(ev, "EXHUB1/SmtpSend/SEND20261107-1.LOG",
		    log, strlen(log)) >= 0);
	evidence_finish(ev);
}

/*
 * The certificate's local NotBefore 9:58:02 AM and its UTC one 17:58:02Z:
 * EXHUB1 is UTC-08:00, said with the clue; its winter local times become
 * UTC, its July queue time does not (daylight saving time may differ).
 */
static void
test_offset_from_log_certificate(void **state)
{
	struct evidence		 ev;
	const struct ev_server	*s;
	const struct ev_cert	*c;
	const struct ev_queue	*q;
	char			*as;

	(void)state;
	read_bundle(&ev, log_self, true);
	s = evidence_server(&ev, "EXHUB1");
	assert_non_null(s);
	assert_true(s->offset_known);
	assert_int_equal(s->utc_offset_minutes, -480);
	assert_non_null(s->offset_from);
	assert_non_null(strstr(s->offset_from, "certificate " TP_SELF
	    " in EXHUB1/EXHUB1_ExchangeCertificate.txt (local) and in "
	    "EXHUB1/SmtpSend/SEND20261107-1.LOG (UTC)"));

	/* The clue itself: the log's UTC dates. */
	c = cert(&ev, TP_SELF);
	assert_true(c->dates_exact);
	assert_int_equal(c->not_before, iso("2024-01-15T17:58:02Z"));
	assert_int_equal(c->not_after, iso("2029-01-13T17:58:02Z"));

	/* A certificate only printed locally, in November: converted. */
	c = cert(&ev, TP_NEW);
	assert_true(c->dates_exact);
	assert_true(c->dates_converted);
	assert_int_equal(c->not_before, iso("2026-11-09T02:00:00Z"));
	assert_int_equal(c->not_after, iso("2027-12-09T01:59:59Z"));
	as = time_read_as(&ev, "EXHUB1", c->not_before, c->dates_exact,
	    c->dates_converted, false, false);
	assert_string_equal(as, "UTC, converted from server local time: "
	    "EXHUB1 is UTC-08:00");
	free(as);

	q = queue(&ev, "EXHUB1\\3");
	assert_true(q->last_retry_time_exact);
	assert_int_equal(q->last_retry_time, iso("2026-11-10T08:41:12Z"));

	/* July: another part of the year than the clue, left local. */
	q = queue(&ev, "EXHUB1\\4");
	assert_false(q->last_retry_time_exact);
	assert_int_equal(q->last_retry_time, iso("2026-07-14T10:00:00Z"));
	as = time_read_as(&ev, "EXHUB1", q->last_retry_time, false, false,
	    false, false);
	assert_non_null(strstr(as, "server local time"));
	assert_non_null(strstr(as, "known for other parts of the year only"));
	free(as);
	evidence_free(&ev);
}

/* Without the log nothing gives the offset: every local time stays local. */
static void
test_no_clue_stays_local(void **state)
{
	struct evidence		 ev;
	const struct ev_server	*s;
	const struct ev_cert	*c;
	char			*as;

	(void)state;
	read_bundle(&ev, NULL, false);
	s = evidence_server(&ev, "EXHUB1");
	assert_non_null(s);
	assert_false(s->offset_known);
	assert_null(s->offset_from);
	c = cert(&ev, TP_SELF);
	assert_false(c->dates_exact);
	/* Held as the clock read: 9:58:02 AM. */
	assert_int_equal(c->not_before, iso("2024-01-15T09:58:02Z"));
	assert_false(queue(&ev, "EXHUB1\\3")->last_retry_time_exact);
	as = time_read_as(&ev, "EXHUB1", c->not_before, false, false, false,
	    false);
	assert_string_equal(as, "server local time");
	free(as);
	evidence_free(&ev);
}

/* A second certificate, printed by the same console, and its log session. */
static void
read_two_clues(struct evidence *ev, const char *dates_fl, const char *row)
{
	char	fl[512], log[2048];

	snprintf(fl, sizeof fl,
	    "Thumbprint         : " TP_SUMMER "\n"
	    "Subject            : CN=smtp.contoso.com\n"
	    "Issuer             : CN=Contoso Issuing CA 01, O=Contoso, C=US\n"
	    "Services           : IIS\n%s", dates_fl);
	snprintf(log, sizeof log, LOG_HEAD
	    SESSION("2026-11-07T08:00:00.991Z", "08DE3A91C4D70012", " CN=EXHUB1 "
		"CN=EXHUB1 1F23F6FD88828B65670E7A1A8B9C9761 " TP_SELF " "
		"2024-01-15T17:58:02.000Z 2029-01-13T17:58:02.000Z EXHUB1",
		OK_CTX)
	    SESSION("2026-11-07T09:00:00.991Z", "08DE3A91C4D70013", "%s",
		OK_CTX), row);
	evidence_init(ev);
	assert_int_equal(ingest_fl(ev, "EXHUB1/EXHUB1_ExchangeCertificate.txt",
	    certs_fl, sizeof certs_fl - 1), 2);
	assert_int_equal(ingest_fl(ev, "EXHUB1/EXHUB1_Second.txt", fl,
	    strlen(fl)), 1);
	assert_int_equal(ingest_fl(ev, "EXHUB1/EXHUB1_InstantQueueInfo.txt",
	    queues_fl, sizeof queues_fl - 1), 2);
	assert_true(ingest_protolog(ev, "EXHUB1/SmtpSend/SEND20261107-1.LOG",
	    log, strlen(log)) >= 0);
	evidence_finish(ev);
}

/*
 * One certificate says UTC-08:00 in January, another UTC-07:00 in June: a
 * clock that keeps daylight saving time (US Pacific). Each part of the year
 * converts with its own offset; no one offset is claimed.
 */
static void
test_daylight_saving_offsets(void **state)
{
	struct evidence		 ev;
	const struct ev_server	*s;
	const struct ev_queue	*q;
	char			*as;

	(void)state;
	read_two_clues(&ev,
	    "NotBefore          : 6/15/2025 10:03:51 AM\n"
	    "NotAfter           : 6/14/2030 10:03:51 AM\n",
	    " CN=smtp.contoso.com CN=Contoso 2F23F6FD88828B65670E7A1A8B9C9762 "
	    TP_SUMMER " 2025-06-15T17:03:51.000Z 2030-06-14T17:03:51.000Z "
	    "EXHUB1");
	s = evidence_server(&ev, "EXHUB1");
	assert_non_null(s);
	assert_false(s->offset_known);
	assert_int_equal(s->seasons, TZ_SEASON_WINTER | TZ_SEASON_SUMMER);
	assert_int_equal(s->season_offset[TZ_SEASON_WINTER], -480);
	assert_int_equal(s->season_offset[TZ_SEASON_SUMMER], -420);
	assert_non_null(s->offset_from);
	assert_true(diag_says(&ev, DIAG_INFO, "EXHUB1 keeps daylight saving",
	    "UTC-07:00"));
	/* 11/8/2026 6:00:00 PM is winter: UTC-08:00. */
	assert_true(cert(&ev, TP_NEW)->dates_exact);
	assert_int_equal(cert(&ev, TP_NEW)->not_before,
	    iso("2026-11-09T02:00:00Z"));
	/* 7/14/2026 10:00:00 AM is summer: UTC-07:00. */
	q = queue(&ev, "EXHUB1\\4");
	assert_true(q->last_retry_time_exact);
	assert_int_equal(q->last_retry_time, iso("2026-07-14T17:00:00Z"));
	as = time_read_as(&ev, "EXHUB1", q->last_retry_time, true, true, false,
	    false);
	assert_string_equal(as, "UTC, converted from server local time: EXHUB1 "
	    "is UTC-07:00 at that time of year");
	free(as);
	q = queue(&ev, "EXHUB1\\3");
	assert_int_equal(q->last_retry_time, iso("2026-11-10T08:41:12Z"));
	evidence_free(&ev);
}

/*
 * Two certificates of one part of the year that give different offsets (a
 * clock moved between them): no offset is taken, and a note says why.
 */
static void
test_disagreeing_clues_give_none(void **state)
{
	struct evidence		 ev;
	const struct ev_server	*s;

	(void)state;
	read_two_clues(&ev,
	    "NotBefore          : 1/15/2025 10:03:51 AM\n"
	    "NotAfter           : 1/14/2030 10:03:51 AM\n",
	    " CN=smtp.contoso.com CN=Contoso 2F23F6FD88828B65670E7A1A8B9C9762 "
	    TP_SUMMER " 2025-01-15T17:03:51.000Z 2030-01-14T17:03:51.000Z "
	    "EXHUB1");
	s = evidence_server(&ev, "EXHUB1");
	assert_non_null(s);
	assert_false(s->offset_known);
	assert_int_equal(s->seasons, 0);
	assert_null(s->offset_from);
	assert_true(diag_says(&ev, DIAG_INFO, "EXHUB1's UTC offset not "
	    "inferred", "UTC-07:00"));
	/* The certificate only printed locally stays local. */
	assert_false(cert(&ev, TP_NEW)->dates_exact);
	evidence_free(&ev);
}

/*
 * The log shows the new certificate presented (UTC) hours before its own
 * NotBefore (UTC, from its row): a clock or zone is off; no onset.
 */
static void
test_presented_before_not_before(void **state)
{
	static const char log_early[] = LOG_HEAD
	    SESSION("2026-11-09T06:12:09.120Z", "08DE3A91C4D70014",
		" CN=mail.contoso.com "
		"CN=Contoso 3F23F6FD88828B65670E7A1A8B9C9763 " TP_NEW " "
		"2026-11-09T12:00:00.000Z 2027-12-09T11:59:59.000Z "
		"mail.contoso.com", FAIL_CTX);
	struct evidence		 ev;
	struct buf		 b;
	const struct ev_cert	*c;
	const char		*src;
	int64_t			 nb;
	long			 line;

	(void)state;
	read_bundle(&ev, log_early, true);
	c = cert(&ev, TP_NEW);
	assert_true(c->dates_exact);
	assert_int_equal(cert_presented_before_valid(&ev, "EXHUB1", TP_NEW, &nb,
	    &src, &line), iso("2026-11-09T06:12:09.120Z"));
	assert_int_equal(nb, iso("2026-11-09T12:00:00Z"));
	assert_string_equal(src, "EXHUB1/SmtpSend/SEND20261107-1.LOG");
	assert_true(diag_says(&ev, DIAG_WARNING, "before its NotBefore",
	    "a clock or time zone is off"));

	buf_init(&b, 1 << 16);
	time_words_onset(&b, &ev, c, iso("2026-11-09T06:12:09Z"));
	buf_append(&b, "", 1);
	assert_non_null(strstr(b.data, "a clock or time zone is off"));
	assert_null(strstr(b.data, "hours after"));
	assert_null(strstr(b.data, "newly imported"));
	buf_free(&b);
	evidence_free(&ev);
}

/*
 * Both UTC: failures within a week of the NotBefore point to a certificate
 * just imported; months later the NotBefore dates nothing.
 */
static void
test_onset_words_utc(void **state)
{
	struct evidence		 ev;
	struct buf		 b;
	const struct ev_cert	*c;

	(void)state;
	read_bundle(&ev, log_self, true);
	c = cert(&ev, TP_NEW);
	assert_true(c->dates_exact);
	buf_init(&b, 1 << 16);
	time_words_onset(&b, &ev, c, iso("2026-11-09T16:30:00Z"));
	buf_append(&b, "", 1);
	assert_non_null(strstr(b.data, "The failures began 14 hours after the "
	    "certificate's NotBefore (2026-11-09T02:00:00Z), consistent with a "
	    "newly imported certificate."));
	buf_free(&b);
	buf_init(&b, 1 << 16);
	time_words_onset(&b, &ev, c, iso("2027-07-16T02:00:00Z"));
	buf_append(&b, "", 1);
	assert_null(strstr(b.data, "newly"));
	assert_non_null(strstr(b.data, "The certificate was issued 249 days "
	    "before the failures began (NotBefore 2026-11-09T02:00:00Z): its "
	    "dates do not say when it was put in use."));
	buf_free(&b);
	evidence_free(&ev);
}

/* A local NotBefore and a UTC failure: both stated, no time between them. */
static void
test_onset_words_local(void **state)
{
	struct evidence		 ev;
	struct buf		 b;

	(void)state;
	read_bundle(&ev, NULL, false);
	buf_init(&b, 1 << 16);
	time_words_onset(&b, &ev, cert(&ev, TP_NEW), iso("2026-11-10T06:12:09Z"));
	buf_append(&b, "", 1);
	assert_null(strstr(b.data, "hours after"));
	assert_non_null(strstr(b.data, "server local time"));
	assert_non_null(strstr(b.data, "so the time between them is not known"));
	buf_free(&b);
	evidence_free(&ev);
}

/*
 * Expiry against the as-of time (UTC). A NotAfter the server's clock
 * printed, its offset unknown, is UTC minus anything from -12 to +14 hours:
 * 5:59:59 AM local on a UTC-08:00 server is 13:59:59Z, five hours after an
 * as-of of 09:00Z, although the figures read as UTC are three hours before
 * it. Within that span it is neither expired nor valid.
 */
static void
test_expiry_on_an_unknown_clock(void **state)
{
	struct ev_cert	c;
	int64_t		as_of = INT64_C(1794301200);	/* 2026-11-10T09:00:00Z */

	(void)state;
	ev_cert_init(&c);
	c.not_after = as_of - 3 * 3600;			/* 05:59:59 local, read as UTC */
	c.dates_exact = false;
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_EXPIRES_ABOUT_NOW);
	c.not_after = as_of + 13 * 3600;		/* UTC-01:00 or east: valid */
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_EXPIRES_ABOUT_NOW);
	c.not_after = as_of + 14 * 3600;		/* even at UTC+14:00 */
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_VALID);
	c.not_after = as_of - 12 * 3600;		/* at UTC-12:00, just then */
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_EXPIRES_ABOUT_NOW);
	c.not_after = as_of - 12 * 3600 - 1;		/* past, whatever the zone */
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_EXPIRED);
	/* From the certificate itself (UTC): the second decides. */
	c.dates_exact = true;
	c.not_after = as_of - 1;
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_EXPIRED);
	c.not_after = as_of;
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_VALID);
	/* No date: only Exchange's DateInvalid says expired. */
	c.not_after = TIME_UNKNOWN;
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_EXPIRY_UNKNOWN);
	c.status = "DateInvalid";
	assert_int_equal(cert_expiry_at(&c, as_of), CERT_EXPIRED);
	assert_int_equal(cert_expiry_at(&c, TIME_UNKNOWN), CERT_EXPIRY_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offset_from_log_certificate),
		cmocka_unit_test(test_no_clue_stays_local),
		cmocka_unit_test(test_daylight_saving_offsets),
		cmocka_unit_test(test_disagreeing_clues_give_none),
		cmocka_unit_test(test_presented_before_not_before),
		cmocka_unit_test(test_onset_words_utc),
		cmocka_unit_test(test_onset_words_local),
		cmocka_unit_test(test_expiry_on_an_unknown_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

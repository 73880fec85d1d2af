/*
 * The facts in the message of a transport certificate event. Exchange's
 * transport event table gives each id fixed wording with inserted values
 * (%1, %2, ...); the readers below find the values between the fixed words,
 * so that a message pasted alone, or written by an older or newer Exchange
 * with slightly different sentences around the values, still gives them.
 * A value the message leaves empty (Exchange sometimes logs 12014 with no
 * domain name) stays unknown.
 *
 * The wordings (Exchange 2010 to Subscription Edition; docs/formats.md):
 *   12012 The internal transport certificate ... could not be read from
 *         Active Directory.
 *   12013 Microsoft Exchange could not load the certificate with thumbprint
 *         of %1 from the personal store on the local computer. This
 *         certificate was configured for authentication with other Exchange
 *         servers. ...
 *   12014 Microsoft Exchange could not find a certificate that contains the
 *         domain name %1 in the personal store on the local computer.
 *         Therefore, it is unable to support the STARTTLS SMTP verb for the
 *         connector %2 with a FQDN parameter of %3. ...
 *   12015 An internal transport certificate expired. Thumbprint:%1
 *   12016 There is no valid SMTP Transport Layer Security (TLS) certificate
 *         for the FQDN of %1. The existing certificate for that FQDN has
 *         expired. ...
 *   12017 An internal transport certificate will expire soon.
 *         Thumbprint:%1, hours remaining: %2
 *   12018 The STARTTLS certificate will expire soon: subject: %1,
 *         thumbprint: %2, hours remaining: %3. ...
 *   12019 The remote internal transport certificate expired. Certificate
 *         subject: %1.
 *   12020 The remote STARTTLS certificate expired. Certificate subject: %1.
 *   12023 as 12013, then the certificate used meanwhile (CannotLoad-
 *         InternalTransportCertificateFallbackServerFQDN)
 *   12024 as 12013, then "Meanwhile, an ephemeral, self-signed certificate
 *         with thumbprint %2 is being used."
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/dn.h"
#include "cert.h"
#include "event.h"
#include "event_facts.h"

#define HOURS_MAX	(24L * 366 * 50)	/* no certificate lives longer */

/* The phrases that say which event a message is, most specific first. */
static const struct wording {
	const char	*phrase;
	long		 id;
} wordings[] = {
	{ "find a certificate that contains the domain name", 12014 },
	{ "certificate for the FQDN of", 12016 },
	{ "STARTTLS certificate will expire soon", 12018 },
	{ "internal transport certificate will expire soon", 12017 },
	{ "remote internal transport certificate expired", 12019 },
	{ "remote STARTTLS certificate expired", 12020 },
	{ "internal transport certificate expired", 12015 },
	{ "ephemeral, self-signed certificate", 12024 },
	{ "could not be read from Active Directory", 12012 },
};

/* 12013's wording; with "Meanwhile" it is the fallback of 12023 or 12024. */
#define LOAD_PHRASE	"configured for authentication with other Exchange servers"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * Where `phrase` occurs in s, ASCII case ignored and any run of white
 * space (a line broken where it was pasted) matching a space; *end gets
 * where the match ends. NULL when it does not occur.
 */
static const char *
find_phrase(const char *s, const char *phrase, const char **end)
{
	const char	*h, *p;

	if (s == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		for (h = s, p = phrase; *p != '\0' && *h != '\0'; p++) {
			if (*p == ' ' && is_space(*h)) {
				while (is_space(*h))
					h++;
				continue;
			}
			if (lower(*h) != lower(*p))
				break;
			h++;
		}
		if (*p == '\0') {
			if (end != NULL)
				*end = h;
			return s;
		}
	}
	return NULL;
}

long
event_wording_id(const char *msg)
{
	size_t	i;

	if (msg == NULL)
		return -1;
	for (i = 0; i < sizeof wordings / sizeof wordings[0]; i++)
		if (find_phrase(msg, wordings[i].phrase, NULL) != NULL)
			return wordings[i].id;
	if (find_phrase(msg, LOAD_PHRASE, NULL) != NULL)
		return find_phrase(msg, "Meanwhile", NULL) != NULL ? 12023 : 12013;
	return -1;
}

long
event_effective_id(const struct ev_event *e)
{
	return e->id >= 0 ? e->id : e->wording_id;
}

void
event_facts_clear(struct ev_event *e)
{
	free(e->connector);
	free(e->fqdn);
	free(e->cert_name);
	free(e->thumbprint);
	free(e->fallback_thumbprint);
	free(e->cert_subject);
	free(e->cert_issuer);
	e->connector = e->fqdn = e->cert_name = e->thumbprint = NULL;
	e->fallback_thumbprint = e->cert_subject = e->cert_issuer = NULL;
	e->wording_id = -1;
	e->hours_remaining = -1;
	e->expires = TIME_UNKNOWN;
}

/* ------------------------------------------------------ reading values */

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* Where the text after `marker` starts, or NULL. */
static const char *
after(const char *s, const char *marker)
{
	const char	*end;

	return find_phrase(s, marker, &end) != NULL ? end : NULL;
}

/*
 * The value from p to the first of `ends` (NULL-ended), else to the end of
 * the line: trimmed, a sentence's full stop dropped; NULL when empty.
 */
static char *
value_until(const char *p, const char *const *ends)
{
	const char	*end = NULL, *q;
	size_t		 i, n;
	char		*v;

	if (p == NULL)
		return NULL;
	for (i = 0; ends != NULL && ends[i] != NULL; i++)
		if ((q = find_phrase(p, ends[i], NULL)) != NULL &&
		    (end == NULL || q < end))
			end = q;
	if (end == NULL)
		for (end = p; *end != '\0' && *end != '\n' && *end != '\r'; end++)
			;
	while (p < end && is_space(*p))
		p++;
	n = (size_t)(end - p);
	while (n > 0 && (is_space(p[n - 1]) || p[n - 1] == '.'))
		n--;
	if (n == 0)
		return NULL;
	v = xstrndup(p, n);
	/* A value broken over lines where it was pasted is one line. */
	for (i = 0; v[i] != '\0'; i++)
		if (v[i] == '\n' || v[i] == '\r' || v[i] == '\t')
			v[i] = ' ';
	return v;
}

/* A thumbprint written right after p (": ", " of "), or NULL. */
static char *
thumbprint_at(const char *p)
{
	const char	*h;
	char		*hex, *tp;
	size_t		 n = 0;

	if (p == NULL)
		return NULL;
	while (*p == ' ' || *p == ':' || *p == '\t')
		p++;
	if (ascii_startswith_ci(p, "of "))
		p += 3;
	while (*p == ' ')
		p++;
	for (h = p; is_hex(h[n]); n++)
		;
	if (n != 40)
		return NULL;
	hex = xstrndup(h, n);
	tp = thumbprint_normalize(hex);
	free(hex);
	return tp;
}

static long
hours_at(const char *p)
{
	long	v = 0;

	if (p == NULL)
		return -1;
	while (*p == ' ' || *p == ':')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > HOURS_MAX)
			return -1;
	}
	return v;
}

/* "<I>issuer<S>subject" into the event's issuer and subject. */
static void
split_cert_name(struct ev_event *e, const char *name)
{
	struct tls_cert_name	tcn;

	if (name == NULL || ascii_strcasestr(name, "<S>") == NULL)
		return;
	tls_cert_name_parse(name, &tcn);
	if (tcn.subject != NULL && e->cert_subject == NULL)
		e->cert_subject = xstrdup(tcn.subject);
	if (tcn.issuer != NULL && e->cert_issuer == NULL)
		e->cert_issuer = xstrdup(tcn.issuer);
	tls_cert_name_clear(&tcn);
}

/* ------------------------------------------------------ rendered text */

static void
text_12014(struct ev_event *e, const char *m)
{
	static const char *const name_end[] = { " in the personal store",
	    ". Therefore", NULL };
	static const char *const conn_end[] = { " with a FQDN parameter",
	    " with an FQDN parameter", " with the FQDN parameter", NULL };
	static const char *const fqdn_end[] = { ". If the connector",
	    " If the connector", ". Verify", NULL };
	char	*fqdn;

	e->cert_name = value_until(after(m, "contains the domain name"),
	    name_end);
	e->connector = value_until(after(m, "verb for the connector"),
	    conn_end);
	fqdn = value_until(after(m, "FQDN parameter of"), fqdn_end);
	/* A pinned connector logs its TlsCertificateName as the FQDN too. */
	if (fqdn != NULL && ascii_strcasestr(fqdn, "<S>") != NULL) {
		if (e->cert_name == NULL)
			e->cert_name = fqdn;
		else
			free(fqdn);
		fqdn = NULL;
	}
	e->fqdn = fqdn;
	split_cert_name(e, e->cert_name);
}

static void
facts_from_text(struct ev_event *e, const char *m)
{
	static const char *const fqdn_end[] = { ". The existing", NULL };
	static const char *const subject_end[] = { ", thumbprint", NULL };
	const char	*p;

	switch (e->wording_id) {
	case 12014:
		text_12014(e, m);
		break;
	case 12016:
		e->fqdn = value_until(after(m, "certificate for the FQDN of"),
		    fqdn_end);
		break;
	case 12018:
		e->cert_subject = value_until(after(m, "subject:"), subject_end);
		/* FALLTHROUGH */
	case 12017:
		e->thumbprint = thumbprint_at(after(m, "thumbprint"));
		e->hours_remaining = hours_at(after(m, "hours remaining"));
		break;
	case 12015:
		e->thumbprint = thumbprint_at(after(m, "thumbprint"));
		break;
	case 12019:
	case 12020:
		e->cert_subject = value_until(after(m, "certificate subject:"),
		    NULL);
		break;
	case 12013:
	case 12023:
	case 12024:
		p = after(m, "thumbprint");
		e->thumbprint = thumbprint_at(p);
		/* The one used meanwhile is named after "Meanwhile". */
		e->fallback_thumbprint = thumbprint_at(after(after(m,
		    "Meanwhile"), "thumbprint"));
		break;
	default:
		break;
	}
}

/* ----------------------------------------------------------- raw strings */

/* The i-th of the raw strings ("...: a | b | c"), or NULL. */
static char *
raw_string(const char *m, size_t want)
{
	const char	*p = strstr(m, "):"), *end;
	size_t		 i;

	if (p == NULL)
		return NULL;
	p += 2;
	for (i = 0; ; i++) {
		end = strstr(p, " | ");
		if (i == want) {
			size_t	n = end ? (size_t)(end - p) : strlen(p);
			char	*v;

			while (n > 0 && *p == ' ') {
				p++;
				n--;
			}
			while (n > 0 && is_space(p[n - 1]))
				n--;
			if (n == 0)
				return NULL;
			v = xstrndup(p, n);
			return v;
		}
		if (end == NULL)
			return NULL;
		p = end + 3;
	}
}

static char *
raw_thumbprint(const char *m, size_t i)
{
	char	*s = raw_string(m, i), *tp = thumbprint_normalize(s);

	free(s);
	return tp;
}

static long
raw_hours(const char *m, size_t i)
{
	char	*s = raw_string(m, i);
	long	 h = hours_at(s);

	free(s);
	return h;
}

static void
facts_from_raw(struct ev_event *e, const char *m)
{
	switch (e->id) {
	case 12014:
		e->cert_name = raw_string(m, 0);
		e->connector = raw_string(m, 1);
		e->fqdn = raw_string(m, 2);
		if (e->fqdn != NULL && ascii_strcasestr(e->fqdn, "<S>") != NULL) {
			free(e->fqdn);
			e->fqdn = NULL;
		}
		split_cert_name(e, e->cert_name);
		break;
	case 12016:
		e->fqdn = raw_string(m, 0);
		break;
	case 12018:
		e->cert_subject = raw_string(m, 0);
		e->thumbprint = raw_thumbprint(m, 1);
		e->hours_remaining = raw_hours(m, 2);
		break;
	case 12017:
		e->thumbprint = raw_thumbprint(m, 0);
		e->hours_remaining = raw_hours(m, 1);
		break;
	case 12013:
	case 12015:
	case 12023:
		e->thumbprint = raw_thumbprint(m, 0);
		break;
	case 12024:
		e->thumbprint = raw_thumbprint(m, 0);
		e->fallback_thumbprint = raw_thumbprint(m, 1);
		break;
	case 12019:
	case 12020:
		e->cert_subject = raw_string(m, 0);
		break;
	default:
		break;
	}
}

void
event_facts_read(struct ev_event *e)
{
	event_facts_clear(e);
	if (e->message == NULL)
		return;
	if (e->message_raw) {
		facts_from_raw(e, e->message);
	} else {
		e->wording_id = event_wording_id(e->message);
		facts_from_text(e, e->message);
	}
	if (e->hours_remaining >= 0 && e->time != TIME_UNKNOWN)
		e->expires = e->time + (int64_t)e->hours_remaining * 3600;
}

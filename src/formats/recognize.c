/*
 * Evidence recognized but not read (recognize.h): each kind is a test on
 * the text and the sentence that says why it was not read. A kind a reader
 * learns to read leaves this table: its format's row takes the entry first.
 */
#include "config.h"

#include <string.h>

#include "recognize.h"
#include "util/util.h"

/* The first `max` bytes, where the signatures are. */
#define HEAD_MAX	(64u << 10)

struct head {
	const char	*s;
	size_t		 n;
};

static bool
has(const struct head *h, const char *needle)
{
	size_t	k = strlen(needle), i;

	for (i = 0; k <= h->n && i + k <= h->n; i++)
		if (h->s[i] == needle[0] && memcmp(h->s + i, needle, k) == 0)
			return true;
	return false;
}

/* A line that starts with the label, at any line of the head. */
static bool
has_label(const struct head *h, const char *label)
{
	size_t	k = strlen(label), i;

	for (i = 0; i + k <= h->n; i++)
		if ((i == 0 || h->s[i - 1] == '\n') &&
		    memcmp(h->s + i, label, k) == 0)
			return true;
	return false;
}

static bool
healthchecker(const struct head *h)
{
	return has(h, "Exchange Health Checker") ||
	    has(h, "HealthCheckerExchangeServer");
}

/* Event Viewer's "Copy details as text", in English or German, old or new. */
static bool
event_viewer_text(const struct head *h)
{
	return (has_label(h, "Event ID:") && (has_label(h, "Log Name:") ||
	    has_label(h, "Source:") || has_label(h, "Event Type:"))) ||
	    (has_label(h, "Ereignis-ID:") && has_label(h, "Protokollname:"));
}

/* The fixed wording of the transport events about TLS and certificates. */
static bool
event_message(const struct head *h)
{
	static const char *const phrases[] = {
		"could not find a certificate that contains the domain name",
		"STARTTLS certificate will expire",
		"internal transport certificate",
		"Failed to establish appropriate TLS channel",
		"Inbound authentication failed with error",
		"Failed to start listening",
		NULL
	};
	size_t	i;

	for (i = 0; phrases[i] != NULL; i++)
		if (has(h, phrases[i]))
			return true;
	return false;
}

/* Exported Exchange objects (CliXml type names, Format-List labels). */
static bool
exchange_objects(const struct head *h)
{
	return (has(h, "<T>Microsoft.Exchange.") ||
	    has(h, "<T>Deserialized.Microsoft.Exchange.")) &&
	    has(h, "http://schemas.microsoft.com/powershell/2004/04");
}

static bool
auth_config(const struct head *h)
{
	return has(h, "CurrentCertificateThumbprint") ||
	    has(h, "SystemConfiguration.AuthConfig");
}

static const struct {
	bool			(*test)(const struct head *);
	struct recognized	 r;
} kinds[] = {
	{ healthchecker, { "HealthChecker report", "this version does not "
	    "read HealthChecker output: its certificates and TLS settings are "
	    "not in the report" } },
	{ auth_config, { "Get-AuthConfig output", "this version does not read "
	    "Get-AuthConfig: the Auth certificate it names is not checked" } },
	{ event_viewer_text, { "event text", "this version reads event texts "
	    "in the wevtutil layout (Event[0]:) only" } },
	{ event_message, { "transport event message", "a message without its "
	    "event header (id, source, time) is not read by this version" } },
	{ exchange_objects, { "export of Exchange objects", "none of them is "
	    "of a type this version reads (certificates, connectors, queues, "
	    "transport services, events)" } },
};

const struct recognized *
recognize_unread(const char *utf8, size_t len)
{
	struct head	h;
	size_t		i;

	if (utf8 == NULL)
		return NULL;
	h.s = utf8;
	h.n = len < HEAD_MAX ? len : HEAD_MAX;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].test(&h))
			return &kinds[i].r;
	return NULL;
}

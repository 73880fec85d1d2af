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

/* Exported Exchange objects (CliXml type names, Format-List labels). */
static bool
exchange_objects(const struct head *h)
{
	return (has(h, "<T>Microsoft.Exchange.") ||
	    has(h, "<T>Deserialized.Microsoft.Exchange.")) &&
	    has(h, "http://schemas.microsoft.com/powershell/2004/04");
}

static const struct {
	bool			(*test)(const struct head *);
	struct recognized	 r;
} kinds[] = {
	{ exchange_objects, { "export of Exchange objects", "none of them is "
	    "of a type this version reads (certificates, connectors, queues, "
	    "transport services, events, HealthChecker's data)" } },
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

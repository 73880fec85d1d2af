/*
 * Exchange's certificate service flags and their names, in the order
 * Exchange prints them (docs/formats.md, "Certificate services"). Every reader and writer of
 * Services goes through here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "evidence.h"

static const struct {
	int		 flag;
	const char	*name;
} names[] = {
	{ SVC_IMAP, "IMAP" }, { SVC_POP, "POP" }, { SVC_UM, "UM" },
	{ SVC_IIS, "IIS" }, { SVC_SMTP, "SMTP" },
	{ SVC_FEDERATION, "Federation" },
	{ SVC_UMCALLROUTER, "UMCallRouter" },
};

#define NNAMES (sizeof names / sizeof names[0])

int
service_flag(const char *name)
{
	size_t	i;

	if (ascii_casecmp(name, "None") == 0)
		return 0;
	for (i = 0; i < NNAMES; i++)
		if (ascii_casecmp(name, names[i].name) == 0)
			return names[i].flag;
	return -1;
}

const char *
service_name_at(int services, size_t *pos)
{
	for (; *pos < NNAMES; (*pos)++)
		if (services & names[*pos].flag)
			return names[(*pos)++].name;
	return NULL;
}

void
services_format(int services, const char *sep, char *buf, size_t size)
{
	const char	*name;
	size_t		 pos = 0, len = 0;
	int		 n;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (services == SERVICES_UNKNOWN || services < 0) {
		snprintf(buf, size, "unknown");
		return;
	}
	if (services == 0) {
		snprintf(buf, size, "None");
		return;
	}
	while ((name = service_name_at(services, &pos)) != NULL) {
		n = snprintf(buf + len, size - len, "%s%s", len ? sep : "", name);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
}

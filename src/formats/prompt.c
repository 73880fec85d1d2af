/*
 * Console prompt and echo lines (prompt.h): recognizing them, and reading
 * the cmdlet and the server from the command.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/evidence.h"
#include "prompt.h"
#include "util/util.h"

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * "PS C:\> cmd", "[PS] C:\Windows\system32>cmd", "PS>cmd". A property
 * labelled "PS" would be followed by padding or " :", never by a path.
 */
bool
prompt_line(const char *s, size_t n, const char **cmd, size_t *cmd_len)
{
	size_t	i, skip;

	while (n > 0 && is_ws(*s)) {
		s++;
		n--;
	}
	if (n >= 3 && memcmp(s, "PS>", 3) == 0)
		i = 2;
	else {
		if (n >= 4 && memcmp(s, "PS ", 3) == 0)
			skip = 3;
		else if (n >= 6 && memcmp(s, "[PS] ", 5) == 0)
			skip = 5;
		else
			return false;
		if (is_ws(s[skip]) || s[skip] == ':')
			return false;
		for (i = skip; i < n && s[i] != '>'; i++)
			if (s[i] == ' ' && i + 1 < n && s[i + 1] == ':')
				return false;
		if (i == n)
			return false;
	}
	/* s[i] is the '>' that ends the prompt. */
	for (i++; i < n && is_ws(s[i]); i++)
		;
	while (n > i && (is_ws(s[n - 1]) || s[n - 1] == '\r'))
		n--;
	if (cmd != NULL)
		*cmd = s + i;
	if (cmd_len != NULL)
		*cmd_len = n - i;
	return true;
}

/* The next token of a command (quotes removed), NULL at a pipe or the end. */
static char *
next_token(const char **p, const char *end)
{
	const char	*s = *p, *start;
	char		 q;

	while (s < end && is_ws(*s))
		s++;
	if (s == end || *s == '|' || *s == ';') {
		*p = end;
		return NULL;
	}
	if (*s == '"' || *s == '\'') {
		q = *s++;
		for (start = s; s < end && *s != q; s++)
			;
		*p = s < end ? s + 1 : end;
		return xstrndup(start, (size_t)(s - start));
	}
	/* A placeholder ("<server name>") is one token, spaces and all. */
	if (*s == '<' && (start = memchr(s, '>', (size_t)(end - s))) != NULL) {
		*p = start + 1;
		return xstrndup(s, (size_t)(start + 1 - s));
	}
	for (start = s; s < end && !is_ws(*s) && *s != '|' && *s != ';'; s++)
		;
	*p = s;
	return xstrndup(start, (size_t)(s - start));
}

/* A server name as an argument: no variable, placeholder or wildcard. */
static char *
server_arg(const char *v)
{
	const char	*p;

	if (v == NULL || *v == '\0')
		return NULL;
	for (p = v; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_'))
			return NULL;
	return server_short_name(v);
}

/* Cmdlets whose identity is a server's name. */
static bool
identity_is_server(const char *cmdlet)
{
	static const char *const names[] = {
		"Get-TransportService", "Get-TransportServer",
		"Get-FrontendTransportService", "Get-MailboxTransportService",
		"Get-ExchangeServer", "Get-ClientAccessService",
		"Get-ClientAccessServer", "Get-MailboxServer",
	};
	size_t	i;

	for (i = 0; cmdlet != NULL && i < sizeof names / sizeof names[0]; i++)
		if (ascii_casecmp(cmdlet, names[i]) == 0)
			return true;
	return false;
}

/* "Verb-Noun": a cmdlet, not "type" or ".\script.ps1". */
static bool
is_cmdlet(const char *t)
{
	const char	*dash = strchr(t, '-');
	const char	*p;

	if (dash == NULL || dash == t || dash[1] == '\0')
		return false;
	for (p = t; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    *p == '-'))
			return false;
	return true;
}

void
prompt_cmd_parse(const char *cmd, size_t len, struct prompt_cmd *out)
{
	const char	*p = cmd, *end;
	char		*t, *v, *bs;
	int		 pos = 0;

	memset(out, 0, sizeof out[0]);
	if (cmd == NULL)
		return;
	end = cmd + len;
	if ((t = next_token(&p, end)) == NULL)
		return;
	if (!is_cmdlet(t)) {
		free(t);
		return;
	}
	out->cmdlet = t;
	while ((t = next_token(&p, end)) != NULL) {
		if (t[0] == '-' && t[1] != '\0') {
			v = next_token(&p, end);
			if (ascii_casecmp(t, "-Server") == 0 ||
			    ascii_casecmp(t, "-ComputerName") == 0) {
				if (out->server == NULL)
					out->server = server_arg(v);
			} else if (ascii_casecmp(t, "-Identity") == 0 &&
			    out->identity == NULL && v != NULL)
				out->identity = xstrdup(v);
			free(v);
		} else if (pos++ == 0 && out->identity == NULL)
			out->identity = xstrdup(t);
		free(t);
	}
	/* A placeholder or a variable is no identity. */
	if (out->identity != NULL && (strchr(out->identity, '$') != NULL ||
	    strchr(out->identity, '<') != NULL ||
	    strchr(out->identity, '*') != NULL)) {
		free(out->identity);
		out->identity = NULL;
	}
	if (out->server != NULL || out->identity == NULL)
		return;
	if ((bs = strchr(out->identity, '\\')) != NULL) {
		*bs = '\0';
		out->server = server_arg(out->identity);
		*bs = '\\';
	} else if (identity_is_server(out->cmdlet))
		out->server = server_arg(out->identity);
}

void
prompt_cmd_free(struct prompt_cmd *c)
{
	free(c->cmdlet);
	free(c->server);
	free(c->identity);
	memset(c, 0, sizeof *c);
}

/*
 * Lists ConvertTo-Json flattened past its -Depth. PowerShell turns a
 * collection it will not descend into into one string, its items' string
 * forms joined by single spaces ("mail.contoso.com autodiscover.contoso.com").
 * For properties whose items can never hold a space (domain names, hosts,
 * server names, address spaces, bindings) the string splits back into the
 * items exactly; a string whose pieces are not all such items is not
 * guessed at: the list is unknown.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "record.h"

/* Longest value quoted in the warning. */
#define QUOTE_MAX	100

static bool
label_char(unsigned char c)
{
	/* Bytes past ASCII: internationalized names in their Unicode form. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;
}

/* A DNS name of labels, each non-empty; "*" only as the whole first label. */
static bool
dns_name(const char *s, bool wildcard)
{
	size_t	len = 0;

	if (wildcard && s[0] == '*' && (s[1] == '\0' || s[1] == '.'))
		s += s[1] == '\0' ? 1 : 2;
	else if (*s == '\0')
		return false;
	if (*s == '\0')
		return true;
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (len == 0 || s[1] == '\0')
				return false;
			len = 0;
		} else if (!label_char((unsigned char)*s) || ++len > 63)
			return false;
	}
	return len > 0;
}

static bool
ip_chars(const char *s, size_t n)
{
	size_t	i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F') || s[i] == '.' || s[i] == ':' ||
		    s[i] == '%'))
			return false;
	return true;
}

static bool
domain_ok(const char *s)
{
	return strlen(s) <= 255 && dns_name(s, true);
}

/* A smart host: a name, an address, or an address in brackets. */
static bool
host_ok(const char *s)
{
	size_t	n = strlen(s);

	if (n > 255)
		return false;
	if (s[0] == '[')
		return n > 2 && s[n - 1] == ']' && ip_chars(s + 1, n - 2);
	return dns_name(s, false) || ip_chars(s, n);
}

static bool
server_ok(const char *s)
{
	return strlen(s) <= 255 && dns_name(s, false);
}

/* "TYPE:address;cost" (the cost optional); the address has no ';'. */
static bool
address_space_ok(const char *s)
{
	const char	*colon = strchr(s, ':'), *semi, *p;

	if (colon == NULL || colon == s)
		return false;
	for (p = s; p < colon; p++)
		if (!label_char((unsigned char)*p))
			return false;
	semi = strchr(colon + 1, ';');
	if (semi == colon + 1 || colon[1] == '\0')
		return false;
	if (semi == NULL)
		return true;
	if (semi[1] == '\0')
		return false;
	for (p = semi + 1; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* "address:port", the IPv6 address in brackets. */
static bool
binding_ok(const char *s)
{
	const char	*colon = strrchr(s, ':'), *p;
	size_t		 n;

	if (colon == NULL || colon[1] == '\0')
		return false;
	for (p = colon + 1; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	n = (size_t)(colon - s);
	if (n > 2 && s[0] == '[' && s[n - 1] == ']')
		return ip_chars(s + 1, n - 2);
	return memchr(s, ':', n) == NULL && ip_chars(s, n);
}

const struct list_item_kind list_item_domain = { domain_ok, "domain names" };
const struct list_item_kind list_item_host = { host_ok,
	"host names or IP addresses" };
const struct list_item_kind list_item_server = { server_ok, "server names" };
const struct list_item_kind list_item_address_space = { address_space_ok,
	"address spaces (TYPE:address;cost)" };
const struct list_item_kind list_item_binding = { binding_ok,
	"bindings (address:port)" };

/* Adds the space-separated items of s to out when all are of the kind. */
static bool
split_items(const char *s, const struct list_item_kind *kind,
    struct strlist *out)
{
	struct strlist	 items = { 0 };
	const char	*p, *q;
	char		*item;
	bool		 ok = true;
	size_t		 i;

	for (p = s; ok; p = q + 1) {
		q = strchr(p, ' ');
		item = q == NULL ? xstrdup(p) : xstrndup(p, (size_t)(q - p));
		/* Two spaces in a row: an item whose string form is empty. */
		ok = kind->ok(item) && !rec_text_is_type_name(item);
		strlist_add(&items, item);
		free(item);
		if (q == NULL)
			break;
	}
	for (i = 0; ok && i < items.n; i++)
		strlist_add(out, items.v[i]);
	strlist_free(&items);
	return ok;
}

bool
rv_list_items(struct map_ctx *ctx, const struct record *r, const char *name,
    struct strlist *out, bool *cut, const struct list_item_kind *kind)
{
	const struct rec_value	*v = record_get(r, name);

	if (v == NULL || v->kind != REC_SCALAR || !v->flat || v->s == NULL ||
	    strchr(v->s, ' ') == NULL)
		return rv_list(ctx, r, name, out, cut, NULL);
	if (cut != NULL)
		*cut = false;
	if (split_items(v->s, kind, out))
		return true;
	map_warn(ctx, v->line, "%s \"%.*s%s\": a list written as one string "
	    "(ConvertTo-Json past its -Depth) whose space-separated parts are "
	    "not all %s; left unknown (export with ConvertTo-Json -Depth 4, or "
	    "Export-Clixml, to keep it)", name,
	    (int)utf8_prefix_len(v->s, QUOTE_MAX), v->s,
	    strlen(v->s) > QUOTE_MAX ? "..." : "", kind->what);
	return false;
}

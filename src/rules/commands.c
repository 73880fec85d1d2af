/*
 * The PowerShell commands the rules print, built so that each runs as
 * printed (commands.h). PowerShell's argument mode (about_Parsing,
 * about_Quoting_Rules) splits an unquoted value at spaces and commas and
 * reads < > & # $ ` and quotes as syntax; inside a single-quoted string
 * nothing is special but the single quote itself (and its typographic
 * forms, which PowerShell accepts as the same quote), written twice.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* U+2018..U+201B, which PowerShell reads as single quotes: E2 80 98..9B. */
static size_t
typographic_single_quote(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;

	return u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9B ?
	    3 : 0;
}

char *
ps_quote(const char *s)
{
	struct buf	b;
	size_t		n;

	buf_init(&b, (size_t)-1 / 2);
	buf_putc(&b, '\'');
	while (s != NULL && *s) {
		if (*s == '\'') {
			buf_append(&b, "''", 2);
			s++;
		} else if ((n = typographic_single_quote(s)) > 0) {
			buf_append(&b, s, n);
			buf_append(&b, s, n);
			s += n;
		} else
			buf_putc(&b, *s++);
	}
	buf_putc(&b, '\'');
	return buf_steal(&b, NULL);
}

static bool
plain_word(const char *s)
{
	const char	*p;

	if (s == NULL || *s == '\0' || *s == '-')
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_' || *p == '\\'))
			return false;
	return true;
}

char *
ps_arg(const char *s)
{
	return plain_word(s) ? xstrdup(s) : ps_quote(s);
}

static void
put_value(struct buf *b, const char *v, bool always)
{
	char	*q;

	if (v == NULL)
		abort();
	q = always ? ps_quote(v) : ps_arg(v);
	buf_appendf(b, "%s", q);
	free(q);
}

char *
ps_cmd(const char *fmt, ...)
{
	const struct strlist	*l;
	struct buf		 b;
	const char		*p, *s;
	va_list			 ap;
	size_t			 i;

	buf_init(&b, (size_t)-1 / 2);
	va_start(ap, fmt);
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			buf_putc(&b, *p);
			continue;
		}
		switch (*++p) {
		case 's':
			if ((s = va_arg(ap, const char *)) == NULL)
				abort();
			buf_appendf(&b, "%s", s);
			break;
		case 'q':
			put_value(&b, va_arg(ap, const char *), false);
			break;
		case 'Q':
			put_value(&b, va_arg(ap, const char *), true);
			break;
		case 'L':
			l = va_arg(ap, const struct strlist *);
			for (i = 0; i < l->n; i++) {
				if (i > 0)
					buf_putc(&b, ',');
				put_value(&b, l->v[i], false);
			}
			break;
		case 'd':
			buf_appendf(&b, "%d", va_arg(ap, int));
			break;
		case 'l':
			if (p[1] != 'd')
				abort();
			p++;
			buf_appendf(&b, "%ld", va_arg(ap, long));
			break;
		case 'z':
			if (p[1] != 'u')
				abort();
			p++;
			buf_appendf(&b, "%zu", va_arg(ap, size_t));
			break;
		case '%':
			buf_putc(&b, '%');
			break;
		default:
			abort();
		}
	}
	va_end(ap);
	return buf_steal(&b, NULL);
}

char *
ps_server_opt(const char *server)
{
	return server != NULL ? ps_cmd(" -Server %q", server) : xstrdup("");
}

char *
ps_share_file(const char *server, const char *file)
{
	return server != NULL ? xasprintf("\\\\%s\\c$\\%s", server, file) :
	    xasprintf("C:\\%s", file);
}

char *
ps_choose_cert(const char *server, const char *var)
{
	char	*opt = ps_server_opt(server), *cmd;

	cmd = ps_cmd("Get-ExchangeCertificate%s | Format-List Thumbprint,Subject,"
	    "Issuer,Services,CertificateDomains,NotAfter\n"
	    "$%s = Get-ExchangeCertificate%s -Thumbprint (Read-Host "
	    "'Thumbprint of the certificate to use')", opt, var, opt);
	free(opt);
	return cmd;
}

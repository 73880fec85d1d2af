/*
 * TLS outcome rows: a success names the protocol and the cipher it
 * negotiated, a failure its SSPI or socket error; either is handed on with
 * the certificates its session logged. And what those errors mean.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util/text.h"

/* "SP_PROT_TLS1_2_CLIENT" -> "TLS1_2"; 0x800 -> "TLS1_2"; *side 'C'/'S'. */
static void
protocol_name(const char *tok, size_t n, char *out, size_t size, char *side)
{
	static const struct { long v; const char *name; char side; } prot[] = {
		{ 0x10, "SSL3", 'S' }, { 0x20, "SSL3", 'C' },
		{ 0x40, "TLS1_0", 'S' }, { 0x80, "TLS1_0", 'C' },
		{ 0x100, "TLS1_1", 'S' }, { 0x200, "TLS1_1", 'C' },
		{ 0x400, "TLS1_2", 'S' }, { 0x800, "TLS1_2", 'C' },
		{ 0x1000, "TLS1_3", 'S' }, { 0x2000, "TLS1_3", 'C' },
	};
	char	 buf[64];
	char	*end;
	long	 v;
	size_t	 i, len;

	*side = 0;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, tok, n);
	buf[n] = '\0';
	if (buf[0] >= '0' && buf[0] <= '9') {
		/* Builds that do not know TLS 1.3 by name print the number. */
		v = strtol(buf, &end, 0);
		for (i = 0; *end == '\0' && i < sizeof prot / sizeof prot[0]; i++) {
			if (prot[i].v == v) {
				snprintf(out, size, "%s", prot[i].name);
				*side = prot[i].side;
				return;
			}
		}
		snprintf(out, size, "%s", buf);
		return;
	}
	tok = buf;
	if (ascii_ncasecmp(tok, "SP_PROT_", 8) == 0)
		tok += 8;
	len = strlen(tok);
	if (len > 7 && ascii_casecmp(tok + len - 7, "_CLIENT") == 0) {
		*side = 'C';
		len -= 7;
	} else if (len > 7 && ascii_casecmp(tok + len - 7, "_SERVER") == 0) {
		*side = 'S';
		len -= 7;
	}
	if (len >= size)
		len = size - 1;
	memcpy(out, tok, len);
	out[len] = '\0';
}

/*
 * The algorithm a success row names after `label` ("bulk encryption
 * algorithm CALG_AES_256 with ..."), without Schannel's CALG_ prefix,
 * appended to `out` after a comma when `out` has one already. The labels
 * come in a fixed order, as Exchange formats them: each search starts
 * where the previous one ended (*from) and is a plain strstr, since this
 * runs on every success row.
 */
static void
cipher_part(const char **from, const char *label, char *out, size_t size)
{
	const char	*p, *q;
	size_t		 used = strlen(out), n;

	if ((p = strstr(*from, label)) == NULL)
		return;
	for (p += strlen(label); *p == ' '; p++)
		;
	if (strncmp(p, "CALG_", 5) == 0)
		p += 5;
	for (q = p; *q != '\0' && *q != ' ' && *q != ',' && *q != '"'; q++)
		;
	*from = q;
	n = (size_t)(q - p);
	if (n == 0 || used + n + 3 > size)
		return;
	if (used > 0) {
		memcpy(out + used, ", ", 2);
		used += 2;
	}
	memcpy(out + used, p, n);
	out[used + n] = '\0';
}

/*
 * Whether the current row's context is, as written, that of the last TLS
 * success row: then it is a success, and what it names is known.
 */
bool
tls_success_known(const struct protolog *pl)
{
	const struct rawfield	*cf = raw(pl, COL_CONTEXT);

	return pl->tls_memo_len != 0 && cf != NULL &&
	    cf->n == pl->tls_memo_len && cf->quoted == pl->tls_memo_quoted &&
	    text_cmp(cf->p, pl->tls_memo, cf->n) == 0;
}

/* A success row's context as written, and what was read from it. */
static void
tls_memo_keep(struct protolog *pl, const char *proto, const char *cipher,
    char side)
{
	const struct rawfield	*cf = raw(pl, COL_CONTEXT);

	pl->tls_memo_len = 0;
	if (cf == NULL || cf->n == 0 || cf->n > sizeof pl->tls_memo ||
	    strlen(proto) >= sizeof pl->tls_memo_proto ||
	    strlen(cipher) >= sizeof pl->tls_memo_cipher)
		return;
	memcpy(pl->tls_memo, cf->p, cf->n);
	pl->tls_memo_len = cf->n;
	pl->tls_memo_quoted = cf->quoted;
	strcpy(pl->tls_memo_proto, proto);
	strcpy(pl->tls_memo_cipher, cipher);
	pl->tls_memo_side = side;
}

/*
 * A TLS outcome row. `context` is the row's context, unescaped; it is not
 * read (and may be NULL) when tls_success_known() says the row is a success
 * whose text was read before.
 */
void
tls_outcome(struct protolog *pl, struct session *s, const char *context,
    long lineno, const char *line, size_t len)
{
	struct protolog_tls	 e;
	char			 proto[64], error[64], cipher[96], side = 0;
	const char		*p, *q, *from;

	memset(&e, 0, sizeof e);
	e.connector = col(pl, COL_CONNECTOR);
	e.session = col(pl, COL_SESSION);
	e.remote_endpoint = col(pl, COL_REMOTE);
	e.time = row_time(pl);
	e.line = lineno;
	e.source = pl->source;
	if (tls_success_known(pl)) {
		e.ok = true;
		side = pl->tls_memo_side;
		if (pl->tls_memo_proto[0] != '\0')
			e.protocol = pl->tls_memo_proto;
		if (pl->tls_memo_cipher[0] != '\0')
			e.cipher = pl->tls_memo_cipher;
		pl->stats.tls_ok++;
	} else if (ascii_startswith_ci(context, "TLS protocol ")) {
		e.ok = true;
		for (p = context + 13; *p == ' '; p++)
			;
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		if (q > p) {
			protocol_name(p, (size_t)(q - p), proto, sizeof proto, &side);
			e.protocol = proto;
		}
		/* Read only here, on the one success row of a session. */
		cipher[0] = '\0';
		from = q;
		cipher_part(&from, "bulk encryption algorithm ", cipher,
		    sizeof cipher);
		cipher_part(&from, "MAC hash algorithm ", cipher, sizeof cipher);
		cipher_part(&from, "key exchange algorithm ", cipher,
		    sizeof cipher);
		if (cipher[0] != '\0')
			e.cipher = cipher;
		/* A protocol read as empty is not told from none: not kept. */
		if (e.protocol == NULL || proto[0] != '\0')
			tls_memo_keep(pl, e.protocol != NULL ? proto : "",
			    cipher, side);
		pl->stats.tls_ok++;
	} else {
		p = ci_find(context, strlen(context), " error");
		if (p != NULL) {
			for (p += 6; *p == ' ' || *p == ':'; p++)
				;
			for (q = p; *q != '\0' && *q != ' ' && *q != ',' &&
			    *q != ';' && *q != '.'; q++)
				;
			if (q > p && (size_t)(q - p) < sizeof error) {
				memcpy(error, p, (size_t)(q - p));
				error[q - p] = '\0';
				e.error = error;
			}
		}
		pl->stats.tls_failed++;
	}
	e.receive = row_is_receive(pl, side, e.connector);
	if (s != NULL) {
		e.local = cert_ref_cert(s->local);
		e.remote = cert_ref_cert(s->remote_cert);
		s->tls = e.ok ? 1 : -1;
		s->receive = e.receive;
	}
	e.text = row_sample(pl, line, len);
	if (pl->cb.tls != NULL)
		pl->cb.tls(pl->cb.arg, &e);
}

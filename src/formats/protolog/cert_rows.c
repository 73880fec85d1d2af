/*
 * Certificate rows: the certificate each side of a session presented.
 * One-row certificates are parsed once and shared (a memo per side, indexed
 * by a hash of the text, and every session that logged the same text); a
 * labelled block ("Certificate subject", "Certificate thumbprint", ...)
 * fills the side its header row named.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util/text.h"

static bool
cert_is_empty(const struct protolog_cert *c)
{
	return c->subject == NULL && c->issuer == NULL && c->serial == NULL &&
	    c->thumbprint == NULL && c->sans == NULL;
}

static void
set_field(char **dst, const char *value, bool upper)
{
	char	*s = xstrdup(value);

	str_trim(s);
	free(*dst);
	if (*s == '\0') {
		free(s);
		*dst = NULL;
		return;
	}
	if (upper)
		ascii_upper(s);
	*dst = s;
}

static void
cert_copy(struct protolog_cert *dst, const struct protolog_cert *src)
{
	dst->subject = xstrdup(src->subject);
	dst->issuer = xstrdup(src->issuer);
	dst->serial = xstrdup(src->serial);
	dst->thumbprint = xstrdup(src->thumbprint);
	dst->sans = xstrdup(src->sans);
	dst->not_before = src->not_before;
	dst->not_after = src->not_after;
}

static struct cert_ref *
cert_ref_new(void)
{
	struct cert_ref	*r = xmalloc(sizeof *r);

	r->refs = 1;
	protolog_cert_init(&r->c);
	return r;
}

static struct cert_ref *
cert_ref_get(struct cert_ref *r)
{
	if (r != NULL)
		r->refs++;
	return r;
}

/* Lets go of *rp, which is left NULL. */
void
cert_ref_put(struct cert_ref **rp)
{
	struct cert_ref	*r = *rp;

	*rp = NULL;
	if (r != NULL && --r->refs == 0) {
		protolog_cert_clear(&r->c);
		free(r);
	}
}

/* The certificate *rp as its holder's own to write: a copy when shared. */
static struct protolog_cert *
cert_ref_own(struct cert_ref **rp)
{
	struct cert_ref	*r = *rp;

	if (r == NULL)
		*rp = r = cert_ref_new();
	else if (r->refs > 1) {
		*rp = cert_ref_new();
		cert_copy(&(*rp)->c, &r->c);
		r->refs--;
		r = *rp;
	}
	return &r->c;
}

/* A certificate to report: NULL when none, or nothing of it, was logged. */
const struct protolog_cert *
cert_ref_cert(const struct cert_ref *r)
{
	return r != NULL && !cert_is_empty(&r->c) ? &r->c : NULL;
}

/* 40 hexadecimal digits, spaces around them allowed. */
static bool
is_thumbprint(const char *s)
{
	size_t	n;

	while (*s == ' ')
		s++;
	for (n = strlen(s); n > 0 && s[n - 1] == ' '; n--)
		;
	return n == 40 && str_is_hex(s, 40);
}

/* Multi-row block label ("Certificate thumbprint") into the target. */
static bool
cert_label(struct session *s, const char *context, const char *data)
{
	static const struct { const char *label; int field; } labels[] = {
		{ "Certificate subject", 0 },
		{ "Certificate issuer name", 1 },
		{ "Certificate serial number", 2 },
		{ "Certificate thumbprint", 3 },
		{ "Certificate alternate names", 4 },
	};
	struct protolog_cert	*c;
	size_t			 i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (str_eq_trim_ci(context, labels[i].label))
			break;
	if (i == sizeof labels / sizeof labels[0])
		return false;
	/* Without its header row a block cannot be told local or remote. */
	if (s == NULL || s->target == TARGET_NONE || data == NULL)
		return true;
	c = cert_ref_own(s->target == TARGET_LOCAL ? &s->local : &s->remote_cert);
	switch (labels[i].field) {
	case 0:
		set_field(&c->subject, data, false);
		break;
	case 1:
		set_field(&c->issuer, data, false);
		break;
	case 2:
		set_field(&c->serial, data, true);
		break;
	case 3:
		/* A thumbprint masked in a post ("xxxx...") is no thumbprint. */
		if (is_thumbprint(data))
			set_field(&c->thumbprint, data, true);
		break;
	default:
		set_field(&c->sans, data, false);
		break;
	}
	return true;
}

/* Which side a certificate header names: "Sending certificate..." etc. */
static enum cert_target
cert_header(const char *context, const char **rest)
{
	static const struct { const char *prefix; enum cert_target t; } h[] = {
		{ "Sending certificate", TARGET_LOCAL },
		{ "Remote certificate", TARGET_REMOTE },
		{ "Received certificate", TARGET_REMOTE },
	};
	size_t	i, n;

	while (*context == ' ')
		context++;
	for (i = 0; i < sizeof h / sizeof h[0]; i++) {
		n = strlen(h[i].prefix);
		if (ascii_ncasecmp(context, h[i].prefix, n) == 0 &&
		    (context[n] == '\0' || context[n] == ' ')) {
			for (*rest = context + n; **rest == ' '; (*rest)++)
				;
			return h[i].t;
		}
	}
	return TARGET_NONE;
}

/*
 * The memo slot of a certificate text: its length and three of its
 * eight-byte words (start, middle, end), which tell the texts of different
 * certificates apart without reading every byte; texts that share a slot
 * only take turns in it.
 */
static unsigned
memo_slot(const char *text, size_t len)
{
	uint64_t	h = len * 0x9E3779B97F4A7C15ull, w;
	size_t		at[3], i;

	if (len >= 8) {
		at[0] = 0;
		at[1] = len / 2 - 4;
		at[2] = len - 8;
		for (i = 0; i < 3; i++) {
			memcpy(&w, text + at[i], 8);
			h = (h ^ w) * 0xff51afd7ed558ccdull;
		}
	}
	h ^= h >> 29;
	return (unsigned)(h % CERT_MEMO);
}

bool
cert_row(struct protolog *pl, struct session *s, const char *context,
    const char *data)
{
	struct protolog_cert	 parsed;
	struct cert_ref		**rp;
	struct cert_memo	*m;
	enum cert_target	 t;
	const char		*rest;
	bool			 dated;
	int			 slot;
	size_t			 len;

	t = cert_header(context, &rest);
	if (t == TARGET_NONE)
		return cert_label(s, context, data);
	if (s == NULL)
		return true;
	rp = t == TARGET_LOCAL ? &s->local : &s->remote_cert;
	cert_ref_put(rp);
	if (*rest == '\0' && data == NULL) {
		/* Shape 1: the labelled rows that follow fill it. */
		s->target = t;
		return true;
	}
	/* Shapes 2 and 3: everything on this row. */
	s->target = TARGET_NONE;
	if (data == NULL)
		return true;
	dated = ci_find(rest, strlen(rest), "Not before") != NULL;
	slot = t == TARGET_LOCAL ? 0 : 1;
	len = strlen(data);
	m = &pl->cert_memo[slot][memo_slot(data, len)];
	if (m->text != NULL && m->len == len && m->dated == dated &&
	    memcmp(m->text, data, len) == 0) {
		*rp = cert_ref_get(m->ref);
		return true;
	}
	if (!protolog_cert_parse_row(data, dated, &parsed)) {
		pl->stats.certs_unparsed++;
		return true;
	}
	*rp = cert_ref_new();
	(*rp)->c = parsed;
	/* The text that had the slot makes room. */
	free(m->text);
	cert_ref_put(&m->ref);
	m->text = xstrdup(data);
	m->len = len;
	m->dated = dated;
	m->ref = cert_ref_get(*rp);
	return true;
}

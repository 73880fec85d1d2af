/*
 * Get-ExchangeCertificate objects (and X509Certificate2 ones) into
 * certificates, from any format.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats/prompt.h"
#include "model/attribution.h"
#include "model/kinds/cert.h"
#include "model/record.h"

static const char *const status_names[] = {
	"Unknown", "Valid", "Revoked", "DateInvalid", "Untrusted", "Invalid",
	"RevocationCheckFailure", "PendingRequest"
};

static const char *const root_ca_names[] = {
	"None", "ThirdParty", "Enterprise", "Registry", "GroupPolicy", "Unknown"
};

char *
thumbprint_normalize(const char *v)
{
	char	buf[41];
	size_t	n = 0;

	if (v == NULL)
		return NULL;
	for (; *v != '\0'; v++) {
		if (*v == ' ')
			continue;
		if (n == 40 || !str_is_hex(v, 1))
			return NULL;
		buf[n++] = *v;
	}
	if (n != 40)
		return NULL;
	buf[n] = '\0';
	ascii_upper(buf);
	return xstrdup(buf);
}

bool
value_is_masked(const char *v)
{
	const unsigned char	*p;
	size_t			 hex = 0;
	bool			 mask = false;

	for (p = (const unsigned char *)v; p != NULL && *p != '\0'; p++) {
		if (*p == '*' || *p == 'x' || *p == 'X')
			mask = true;
		else if (p[0] == '.' && p[1] == '.' && p[2] == '.') {
			mask = true;
			p += 2;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xA6) {
			mask = true;	/* U+2026 */
			p += 2;
		} else if (str_is_hex((const char *)p, 1))
			hex++;
		else if (*p != ' ')
			return false;
	}
	return mask && (hex >= 2 || (v != NULL && strlen(v) >= 8));
}

/*
 * The thumbprint a record did not carry whole. An Identity "SERVER\THUMB"
 * holds it too; otherwise the record is kept without one, said so.
 */
static void
thumbprint_lost(struct map_ctx *ctx, const struct record *r,
    struct ev_cert *c, const char *tp)
{
	char		*id = rv_str(ctx, r, "Identity"), *bs;

	if (tp == NULL && id != NULL && (bs = strrchr(id, '\\')) != NULL &&
	    (c->thumbprint = thumbprint_normalize(bs + 1)) != NULL) {
		free(id);
		return;
	}
	free(id);
	if (tp != NULL && value_is_masked(tp)) {
		c->thumbprint_masked = xstrdup(tp);
		map_warn(ctx, r->line, "certificate thumbprint masked (\"%s\"): "
		    "kept, its thumbprint unknown and never matched as a whole "
		    "one", tp);
	} else if (tp != NULL)
		map_warn(ctx, r->line, "certificate Thumbprint \"%s\" is not 40 "
		    "hexadecimal digits: kept, its thumbprint unknown", tp);
	else if (record_has(r, "RawData"))
		map_warn(ctx, r->line, "certificate without a Thumbprint line and "
		    "with an unreadable RawData: kept, its thumbprint unknown");
	else
		map_warn(ctx, r->line, "certificate record without a Thumbprint "
		    "line: kept by its issuer and serial number, its thumbprint "
		    "unknown and matched against nothing");
}

/*
 * .NET prints the Oid's friendly name; the model keeps OpenSSL's long name.
 * A type name ("System.Security.Cryptography.Oid") says nothing.
 */
static char *
signature_algorithm_name(const char *v)
{
	static const struct {
		const char	*net;
		const char	*openssl;
	} map[] = {
		{ "md5RSA", "md5WithRSAEncryption" },
		{ "sha1RSA", "sha1WithRSAEncryption" },
		{ "sha256RSA", "sha256WithRSAEncryption" },
		{ "sha384RSA", "sha384WithRSAEncryption" },
		{ "sha512RSA", "sha512WithRSAEncryption" },
		{ "sha1ECDSA", "ecdsa-with-SHA1" },
		{ "sha256ECDSA", "ecdsa-with-SHA256" },
		{ "sha384ECDSA", "ecdsa-with-SHA384" },
		{ "sha512ECDSA", "ecdsa-with-SHA512" },
		{ "RSASSA-PSS", "rsassaPss" },
		{ "1.2.840.113549.1.1.4", "md5WithRSAEncryption" },
		{ "1.2.840.113549.1.1.5", "sha1WithRSAEncryption" },
		{ "1.2.840.113549.1.1.11", "sha256WithRSAEncryption" },
		{ "1.2.840.113549.1.1.12", "sha384WithRSAEncryption" },
		{ "1.2.840.113549.1.1.13", "sha512WithRSAEncryption" },
		{ "1.2.840.113549.1.1.10", "rsassaPss" },
		{ "1.2.840.10045.4.3.2", "ecdsa-with-SHA256" },
		{ "1.2.840.10045.4.3.3", "ecdsa-with-SHA384" },
	};
	size_t	i;

	if (v == NULL || *v == '\0')
		return NULL;
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (ascii_casecmp(v, map[i].net) == 0)
			return xstrdup(map[i].openssl);
	if (ascii_startswith_ci(v, "System.") || strchr(v, ' ') != NULL ||
	    strchr(v, '{') != NULL)
		return NULL;
	return xstrdup(v);
}

/*
 * "IMAP, POP, IIS, SMTP", "None", or the number (JSON and CliXml enums). A
 * missing or empty value is unknown, never "none". Names not known here are
 * reported but do not hide the flags that are known.
 */
static int
services_read(struct map_ctx *ctx, const struct record *r)
{
	struct strlist	names = { 0 };
	const struct rec_value *v = record_get(r, "Services");
	long		n;
	size_t		i;
	int		mask = 0, flag;

	if (v == NULL)
		return SERVICES_UNKNOWN;
	if (v->has_int || (v->kind == REC_SCALAR && v->s != NULL &&
	    *v->s >= '0' && *v->s <= '9')) {
		n = rv_long(ctx, r, "Services");
		return n >= 0 && n <= 0x7F ? (int)n : SERVICES_UNKNOWN;
	}
	if (!rv_list(ctx, r, "Services", &names, NULL, ","))
		return SERVICES_UNKNOWN;
	for (i = 0; i < names.n; i++) {
		if ((flag = service_flag(names.v[i])) >= 0)
			mask |= flag;
		else
			diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source,
			    "line %ld: unknown service name \"%s\" ignored",
			    v->line, names.v[i]);
	}
	strlist_free(&names);
	return mask;
}

/* A name from a file written as ASCII, with a '?' it may have put there. */
static bool
value_lossy(const struct map_ctx *ctx, const char *v)
{
	return ctx->ascii_lossy && v != NULL && strchr(v, '?') != NULL;
}

static void
fill(char **dst, char *src)
{
	if (*dst == NULL)
		*dst = src;
	else
		free(src);
}

/*
 * A certificate's server is named by its Identity first, then by
 * PSComputerName (attribution.h says why in that order): a -Server query run
 * in another server's session gives the session's server as PSComputerName.
 * When the two disagree, say so.
 */
static void
note_session_server(struct map_ctx *ctx, const struct record *r,
    const char *server, const char *pc)
{
	char	*p;

	if (pc == NULL)
		return;
	p = server_short_name(pc);
	if (p != NULL && ascii_casecmp(p, server) != 0)
		diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source, "line %ld: "
		    "certificate: Identity names %s but PSComputerName %s (a "
		    "-Server query from another server's session); taken as "
		    "%s's", r->line, server, p, server);
	free(p);
}

/*
 * The server the record names (Identity, else PSComputerName, else the
 * wrapper object around it), unless the caller knew it already;
 * PSComputerName is read once, kept in *pc.
 */
static void
record_server(struct map_ctx *ctx, const struct record *r, struct ev_cert *c,
    char **pc)
{
	enum attr_clue	 clue;
	struct prompt_cmd cmd;
	char		*id;

	if (c->server != NULL) {
		if (c->server_clue == ATTR_NONE)
			c->server_clue = ATTR_EXPORT;
		if (c->server_clue == ATTR_IDENTITY)
			*pc = rv_str(ctx, r, "PSComputerName");
		return;
	}
	id = rv_str(ctx, r, "Identity");
	*pc = rv_str(ctx, r, "PSComputerName");
	c->server = attr_server_from_object(*pc, id, &clue);
	if (c->server != NULL)
		c->server_clue = (int)clue;
	else if (r->outer_server != NULL &&
	    (c->server = server_short_name(r->outer_server)) != NULL)
		c->server_clue = ATTR_WRAPPER;
	else if (r->command != NULL) {
		/* Get-ExchangeCertificate -Server EX01 | fl */
		prompt_cmd_parse(r->command, strlen(r->command), &cmd);
		if (cmd.server != NULL) {
			c->server = xstrdup(cmd.server);
			c->server_clue = ATTR_COMMAND;
		}
		prompt_cmd_free(&cmd);
	}
	free(id);
}

int
map_cert(struct map_ctx *ctx, const struct record *r, struct ev_cert *c)
{
	char		*tp, *pc = NULL;
	struct time_read nb, na;
	long		 bits;
	bool		 taken;

	ctx->ev->saw_cert_dump = true;
	if (c->thumbprint == NULL) {
		tp = rv_str(ctx, r, "Thumbprint");
		if ((c->thumbprint = thumbprint_normalize(tp)) == NULL)
			thumbprint_lost(ctx, r, c, tp);
		free(tp);
	}
	record_server(ctx, r, c, &pc);
	if (c->server != NULL && c->server_clue == ATTR_IDENTITY)
		note_session_server(ctx, r, c->server, pc);
	free(pc);
	taken = c->subject == NULL;
	fill(&c->subject, rv_str(ctx, r, "Subject"));
	c->subject_lossy = taken && value_lossy(ctx, c->subject);
	taken = c->issuer == NULL;
	fill(&c->issuer, rv_str(ctx, r, "Issuer"));
	c->issuer_lossy = taken && value_lossy(ctx, c->issuer);
	fill(&c->serial, rv_str(ctx, r, "SerialNumber"));
	if (c->serial != NULL && value_is_masked(c->serial)) {
		diag_add(&ctx->ev->diags, DIAG_INFO, ctx->source, "line %ld: "
		    "certificate serial number masked (\"%s\"): left unknown",
		    r->line, c->serial);
		free(c->serial);
		c->serial = NULL;
	}
	fill(&c->friendly_name, rv_str(ctx, r, "FriendlyName"));
	if (c->not_after == TIME_UNKNOWN && c->not_before == TIME_UNKNOWN) {
		rv_time_read(ctx, r, "NotBefore", &nb);
		rv_time_read(ctx, r, "NotAfter", &na);
		c->not_before = nb.t;
		c->not_after = na.t;
		c->dates_exact = na.t != TIME_UNKNOWN && na.exact;
		c->dates_order_guessed = nb.order_guessed || na.order_guessed;
		fill(&c->not_before_written, nb.undecided != NULL ?
		    xstrdup(nb.undecided) : NULL);
		fill(&c->not_after_written, na.undecided != NULL ?
		    xstrdup(na.undecided) : NULL);
		if (nb.t != TIME_UNKNOWN || na.t != TIME_UNKNOWN)
			fill(&c->dates_source, xstrdup(ctx->source));
	}
	if (!c->domains_known)
		c->domains_known = rv_list_items(ctx, r, "CertificateDomains",
		    &c->domains, &c->domains_incomplete, &list_item_domain);
	if (c->services == SERVICES_UNKNOWN)
		c->services = services_read(ctx, r);
	fill(&c->status, rv_enum(ctx, r, "Status", status_names,
	    sizeof status_names / sizeof status_names[0]));
	fill(&c->root_ca_type, rv_enum(ctx, r, "RootCAType", root_ca_names,
	    sizeof root_ca_names / sizeof root_ca_names[0]));
	if (c->self_signed == TRI_UNKNOWN)
		c->self_signed = rv_tri(ctx, r, "IsSelfSigned");
	if (c->has_private_key == TRI_UNKNOWN)
		c->has_private_key = rv_tri(ctx, r, "HasPrivateKey");
	if (c->private_key_exportable == TRI_UNKNOWN)
		c->private_key_exportable = rv_tri(ctx, r,
		    "PrivateKeyExportable");
	if (c->key_bits < 0) {
		bits = rv_long(ctx, r, "PublicKeySize");
		c->key_bits = bits > 0 && bits <= 65536 ? (int)bits : -1;
	}
	if (c->signature_algorithm == NULL) {
		const struct rec_value *v = record_get(r, "SignatureAlgorithm");
		char *s = v != NULL && v->kind == REC_OBJECT && v->obj != NULL ?
		    rv_str(ctx, v->obj, "FriendlyName") : NULL;

		if (s == NULL && v != NULL && v->kind == REC_SCALAR)
			s = xstrdup(v->s);
		c->signature_algorithm = signature_algorithm_name(s);
		free(s);
	}
	strlist_add_unique_ci(&c->sources, ctx->source);
	if (c->ref.source == NULL) {
		c->ref.source = xstrdup(ctx->source);
		c->ref.line = r->line;
	}
	evidence_add_cert(ctx->ev, c);
	ev_cert_clear(c);
	return 1;
}

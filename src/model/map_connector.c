/*
 * Get-SendConnector and Get-ReceiveConnector objects into connectors, from
 * any format. Enums may arrive as names (Format-List, CliXml, CSV, JSON of
 * PowerShell 7 with -EnumsAsStrings) or numbers (JSON of 5.1).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "record.h"

static const char *const logging_names[] = { "None", "Verbose" };

/* A flags enum from its number: the names of the set bits, ", "-joined. */
struct flag_name {
	long		 bit;
	const char	*name;
};

static const struct flag_name auth_flags[] = {
	{ 1, "Tls" }, { 2, "Integrated" }, { 4, "BasicAuth" },
	{ 8, "BasicAuthRequireTLS" }, { 16, "ExchangeServer" },
	{ 32, "ExternalAuthoritative" }, { 0, NULL }
};

static const struct flag_name tls_auth_levels[] = {
	{ 1, "EncryptionOnly" }, { 2, "CertificateValidation" },
	{ 4, "DomainValidation" }, { 0, NULL }
};

static const struct flag_name transport_roles[] = {
	{ 32, "HubTransport" }, { 64, "Edge" }, { 16384, "FrontendTransport" },
	{ 0, NULL }
};

/* An enum whose numbers are not 0..n: by value. */
static char *
enum_by_value(struct map_ctx *ctx, const struct record *r, const char *name,
    const struct flag_name *names)
{
	const struct rec_value	*v = record_get(r, name);
	long			 n;

	if (v == NULL || v->kind != REC_SCALAR || v->s == NULL)
		return rv_str(ctx, r, name);
	if (!v->has_int && (*v->s < '0' || *v->s > '9'))
		return rv_str(ctx, r, name);
	n = rv_long(ctx, r, name);
	for (; names->name != NULL; names++)
		if (names->bit == n)
			return xstrdup(names->name);
	map_warn(ctx, v->line, "%s value %ld is not one certtrail knows; left "
	    "unknown", name, n);
	return NULL;
}

/* A flags enum into its names; false when unknown. */
static bool
flags_list(struct map_ctx *ctx, const struct record *r, const char *name,
    const struct flag_name *names, struct strlist *out)
{
	const struct rec_value	*v = record_get(r, name);
	long			 n;

	if (v != NULL && v->kind == REC_SCALAR && v->s != NULL &&
	    (v->has_int || (*v->s >= '0' && *v->s <= '9')) &&
	    (n = rv_long(ctx, r, name)) >= 0) {
		for (; names->name != NULL; names++)
			if ((n & names->bit) != 0)
				strlist_add(out, names->name);
		if (n == 0)
			strlist_add(out, "None");
		return true;
	}
	return rv_list(ctx, r, name, out, NULL, ",");
}

/* Names of servers, in the short form they are compared in. */
static bool
server_list(struct map_ctx *ctx, const struct record *r, const char *name,
    struct strlist *out, bool *cut)
{
	struct strlist	raw = { 0 };
	size_t		i;
	char		*s;
	bool		known;

	known = rv_list(ctx, r, name, &raw, cut, NULL);
	for (i = 0; i < raw.n; i++)
		if ((s = server_short_name(raw.v[i])) != NULL) {
			strlist_add(out, s);
			free(s);
		}
	strlist_free(&raw);
	return known;
}

int
map_send_connector(struct map_ctx *ctx, const struct record *r)
{
	struct ev_send_connector sc;

	ctx->ev->saw_send_connector_dump = true;
	ev_send_connector_init(&sc);
	if ((sc.name = rv_str(ctx, r, "Name")) == NULL &&
	    (sc.name = rv_str(ctx, r, "Identity")) == NULL &&
	    (sc.name = xstrdup(r->to_string)) == NULL) {
		map_warn(ctx, r->line, "send connector without a Name or "
		    "Identity; skipped");
		return -1;
	}
	sc.enabled = rv_tri(ctx, r, "Enabled");
	sc.source_servers_known = server_list(ctx, r, "SourceTransportServers",
	    &sc.source_servers, &sc.source_servers_incomplete);
	sc.fqdn = rv_str(ctx, r, "Fqdn");
	sc.tls_certificate_name = rv_str(ctx, r, "TlsCertificateName");
	sc.require_tls = rv_tri(ctx, r, "RequireTLS");
	sc.tls_auth_level = enum_by_value(ctx, r, "TlsAuthLevel",
	    tls_auth_levels);
	sc.tls_domain = rv_str(ctx, r, "TlsDomain");
	sc.smart_hosts_known = rv_list(ctx, r, "SmartHosts", &sc.smart_hosts,
	    NULL, NULL);
	sc.address_spaces_known = rv_list(ctx, r, "AddressSpaces",
	    &sc.address_spaces, NULL, NULL);
	sc.protocol_logging_level = rv_enum(ctx, r, "ProtocolLoggingLevel",
	    logging_names, 2);
	sc.cloud_services_mail_enabled = rv_tri(ctx, r,
	    "CloudServicesMailEnabled");
	sc.source_rank = ctx->rank;
	strlist_add(&sc.sources, ctx->source);
	sc.ref.source = xstrdup(ctx->source);
	sc.ref.line = r->line;
	evidence_add_send_connector(ctx->ev, &sc);
	ev_send_connector_clear(&sc);
	return 1;
}

int
map_receive_connector(struct map_ctx *ctx, const struct record *r)
{
	struct ev_receive_connector rc;
	const char	*bs;
	char		*s;

	ctx->ev->saw_receive_connector_dump = true;
	ev_receive_connector_init(&rc);
	rc.identity = rv_str(ctx, r, "Identity");
	if (rc.identity == NULL && r->to_string != NULL &&
	    strchr(r->to_string, '\\') != NULL)
		rc.identity = xstrdup(r->to_string);
	rc.name = rv_str(ctx, r, "Name");
	if (rc.name == NULL && rc.identity != NULL) {
		bs = strrchr(rc.identity, '\\');
		rc.name = xstrdup(bs != NULL ? bs + 1 : rc.identity);
	}
	rc.server = attr_server_from_identity(rc.identity);
	if (rc.server == NULL && (s = rv_str(ctx, r, "Server")) != NULL) {
		rc.server = server_short_name(s);
		free(s);
	}
	if (rc.server == NULL && (s = rv_str(ctx, r, "PSComputerName")) != NULL) {
		rc.server = server_short_name(s);
		free(s);
	}
	if (rc.name == NULL) {
		map_warn(ctx, r->line, "receive connector without a Name or "
		    "Identity; skipped");
		ev_receive_connector_clear(&rc);
		return -1;
	}
	if (rc.server == NULL)
		map_warn(ctx, r->line, "receive connector \"%s\": no server in "
		    "its Identity, Server or PSComputerName; server unknown",
		    rc.name);
	rc.bindings_known = rv_list(ctx, r, "Bindings", &rc.bindings,
	    &rc.bindings_incomplete, NULL);
	rc.fqdn = rv_str(ctx, r, "Fqdn");
	rc.tls_certificate_name = rv_str(ctx, r, "TlsCertificateName");
	rc.auth_mechanism_known = flags_list(ctx, r, "AuthMechanism",
	    auth_flags, &rc.auth_mechanism);
	rc.require_tls = rv_tri(ctx, r, "RequireTLS");
	rc.tls_domain_capabilities = rv_str(ctx, r, "TlsDomainCapabilities");
	rc.protocol_logging_level = rv_enum(ctx, r, "ProtocolLoggingLevel",
	    logging_names, 2);
	rc.transport_role = enum_by_value(ctx, r, "TransportRole",
	    transport_roles);
	rc.enabled = rv_tri(ctx, r, "Enabled");
	rc.source_rank = ctx->rank;
	strlist_add(&rc.sources, ctx->source);
	rc.ref.source = xstrdup(ctx->source);
	rc.ref.line = r->line;
	evidence_add_receive_connector(ctx->ev, &rc);
	ev_receive_connector_clear(&rc);
	return 1;
}

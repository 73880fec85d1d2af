/*
 * Export-Clixml entries: certificates (RawData through OpenSSL, services and
 * status through the SerializationData stream), send connectors, queues, and
 * the mere presence of receive connectors. Objects are told apart by their
 * type names, never by the file name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clixml.h"
#include "ingest.h"
#include "nrbf.h"
#include "text.h"
#include "x509.h"

#define MAX_NEST	3	/* lists of lists of objects at the top */

struct cx_ingest {
	struct evidence	*ev;
	const char	*source;
	int		 added;
};

static const char *const status_names[] = {
	"Unknown", "Valid", "Revoked", "DateInvalid", "Untrusted", "Invalid",
	"RevocationCheckFailure", "PendingRequest"
};

static const char *const root_ca_names[] = {
	"None", "ThirdParty", "Enterprise", "Registry", "GroupPolicy", "Unknown"
};

static char *
enum_name(const char *const *names, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? xstrdup(names[v]) : NULL;
}

/* "IMAP, POP, IIS, SMTP" -> flags; SERVICES_UNKNOWN for anything else. */
static int
services_from_names(const char *s)
{
	char	*copy, *tok, *save = NULL;
	int	 flags = 0, found;

	if (s == NULL)
		return SERVICES_UNKNOWN;
	copy = xstrdup(s);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		str_trim(tok);
		if ((found = service_flag(tok)) < 0) {
			free(copy);
			return SERVICES_UNKNOWN;
		}
		flags |= found;
	}
	free(copy);
	return flags;
}

static tri_t
prop_tri(const struct cx_obj *o, const char *name)
{
	int	b = cx_value_bool(cx_obj_prop(o, name));

	return b < 0 ? TRI_UNKNOWN : b ? TRI_TRUE : TRI_FALSE;
}

static char *
prop_str(const struct cx_obj *o, const char *name)
{
	return xstrdup(cx_value_string(cx_obj_prop(o, name)));
}

/*
 * The string forms of a list property's items; false when the property is
 * absent, Nil or not a list (then the list is unknown, not empty).
 */
static bool
prop_list(const struct cx_obj *o, const char *name, struct strlist *out)
{
	const struct cx_obj	*l = cx_value_obj(cx_obj_prop(o, name));
	const struct cx_obj	*item;
	const char		*s;
	size_t			 i;

	if (l == NULL || l->container == CX_CONT_NONE ||
	    l->container == CX_CONT_DCT)
		return false;
	for (i = 0; i < l->nitems; i++) {
		s = cx_value_string(&l->items[i]);
		item = cx_value_obj(&l->items[i]);
		if (s == NULL && item != NULL)
			s = cx_value_string(cx_obj_prop(item, "Name"));
		if (s != NULL && *s != '\0')
			strlist_add(out, s);
	}
	return true;
}

/* "SERVER.domain\rest" -> "SERVER.domain"; NULL without a backslash. */
static char *
identity_server(const char *identity)
{
	const char	*bs;

	if (identity == NULL || (bs = strchr(identity, '\\')) == NULL ||
	    bs == identity)
		return NULL;
	return xstrndup(identity, (size_t)(bs - identity));
}

static void
set_server(char **dst, const char *name)
{
	if (*dst == NULL && name != NULL)
		*dst = server_short_name(name);
}

static void
warn_obj(struct cx_ingest *ci, long line, const char *what, const char *why)
{
	diag_add(&ci->ev->diags, DIAG_WARNING, ci->source, "line %ld: %s: %s",
	    line, what, why);
}

/* ------------------------------------------------------------ certificates */

static void
cert_from_raw(struct cx_ingest *ci, const struct cx_obj *o, struct ev_cert *c)
{
	const struct cx_value	*raw = cx_obj_prop(o, "RawData");
	char			 err[128];

	if (raw == NULL || raw->type != CX_BYTES)
		return;
	if (raw->bytes == NULL) {
		warn_obj(ci, raw->line, "certificate RawData",
		    "not valid base64; ignored");
		return;
	}
	if (x509_cert_fill(c, raw->bytes, raw->nbytes, err, sizeof err) != 0)
		warn_obj(ci, raw->line, "certificate RawData", err);
}

/* CertData is the certificate store element: DER and friendly name. */
static void
cert_from_certdata(struct cx_ingest *ci, const struct nrbf_cert *nc,
    struct ev_cert *c, long line)
{
	const unsigned char	*p;
	size_t			 n;
	char			 err[128];

	if (c->thumbprint == NULL && nrbf_certdata_prop(nc->cert_data,
	    nc->cert_data_len, CERTDATA_PROP_CERT, &p, &n) == 0 &&
	    x509_cert_fill(c, p, n, err, sizeof err) != 0)
		warn_obj(ci, line, "certificate in SerializationData", err);
	if (c->friendly_name == NULL && nrbf_certdata_prop(nc->cert_data,
	    nc->cert_data_len, CERTDATA_PROP_FRIENDLY_NAME, &p, &n) == 0) {
		char	*fn = nrbf_utf16le_to_utf8(p, n);

		if (*fn != '\0')
			c->friendly_name = utf8_clean(fn, strlen(fn));
		free(fn);
	}
}

static void
cert_from_nrbf(struct cx_ingest *ci, const struct cx_obj *o, struct ev_cert *c)
{
	const struct cx_value	*sd = cx_obj_prop(o, "SerializationData");
	struct nrbf_cert	 nc;
	char			 err[160], *fqdn;

	if (sd == NULL || sd->type != CX_BYTES)
		return;
	if (sd->bytes == NULL) {
		warn_obj(ci, sd->line, "certificate SerializationData",
		    "not valid base64; services and status unknown");
		return;
	}
	if (nrbf_decode_exchange_cert(sd->bytes, sd->nbytes, &nc, err,
	    sizeof err) != 0) {
		char	why[256];

		snprintf(why, sizeof why, "unreadable (%s); services and "
		    "status unknown", err);
		warn_obj(ci, sd->line, "certificate SerializationData", why);
		return;
	}
	cert_from_certdata(ci, &nc, c, sd->line);
	if (nc.services >= 0)
		c->services = nc.services;
	if (c->status == NULL)
		c->status = enum_name(status_names, sizeof status_names /
		    sizeof status_names[0], nc.status);
	if (c->root_ca_type == NULL)
		c->root_ca_type = enum_name(root_ca_names, sizeof root_ca_names /
		    sizeof root_ca_names[0], nc.root_ca_type);
	if (c->self_signed == TRI_UNKNOWN && nc.self_signed >= 0)
		c->self_signed = nc.self_signed ? TRI_TRUE : TRI_FALSE;
	fqdn = identity_server(nc.identity);
	set_server(&c->server, fqdn);
	free(fqdn);
	nrbf_cert_clear(&nc);
}

static void
fill_str(char **dst, const struct cx_obj *o, const char *name)
{
	if (*dst == NULL)
		*dst = prop_str(o, name);
}

/*
 * Exports that carry readable properties (Select-Object, X509Certificate2
 * from the certificate provider, newer shells) fill what is still unknown.
 */
static void
cert_from_props(const struct cx_obj *o, struct ev_cert *c)
{
	const struct cx_value	*v;
	int64_t			 n;
	char			*s;

	fill_str(&c->thumbprint, o, "Thumbprint");
	if (c->thumbprint != NULL)
		ascii_upper(c->thumbprint);
	fill_str(&c->subject, o, "Subject");
	fill_str(&c->issuer, o, "Issuer");
	fill_str(&c->serial, o, "SerialNumber");
	fill_str(&c->friendly_name, o, "FriendlyName");
	if (c->not_before == TIME_UNKNOWN &&
	    !cx_value_time(cx_obj_prop(o, "NotBefore"), &c->not_before))
		c->not_before = TIME_UNKNOWN;
	if (c->not_after == TIME_UNKNOWN &&
	    !cx_value_time(cx_obj_prop(o, "NotAfter"), &c->not_after))
		c->not_after = TIME_UNKNOWN;
	if (!c->domains_known)
		c->domains_known = prop_list(o, "CertificateDomains", &c->domains);
	if (c->services == SERVICES_UNKNOWN &&
	    (v = cx_obj_prop(o, "Services")) != NULL) {
		if (cx_value_int(v, &n) && n >= 0 && n <= 0x7FFFFFFF)
			c->services = (int)n;
		else
			c->services = services_from_names(cx_value_string(v));
	}
	fill_str(&c->status, o, "Status");
	fill_str(&c->root_ca_type, o, "RootCAType");
	if (c->has_private_key == TRI_UNKNOWN)
		c->has_private_key = prop_tri(o, "HasPrivateKey");
	if (c->self_signed == TRI_UNKNOWN)
		c->self_signed = prop_tri(o, "IsSelfSigned");
	if (c->key_bits < 0 && cx_value_int(cx_obj_prop(o, "PublicKeySize"), &n) &&
	    n > 0 && n < 1000000)
		c->key_bits = (int)n;
	if (c->server == NULL) {
		s = identity_server(cx_value_string(cx_obj_prop(o, "Identity")));
		set_server(&c->server, s);
		free(s);
	}
}

static bool
is_cert(const struct cx_obj *o)
{
	return cx_obj_is_type(o, "ExchangeCertificate") ||
	    cx_obj_is_type(o, "X509Certificate2");
}

static void
ingest_cert(struct cx_ingest *ci, const struct cx_obj *o)
{
	struct ev_cert	c;

	ci->ev->saw_cert_dump = true;
	ev_cert_init(&c);
	cert_from_raw(ci, o, &c);
	cert_from_nrbf(ci, o, &c);
	cert_from_props(o, &c);
	set_server(&c.server, cx_value_string(cx_obj_prop(o, "PSComputerName")));
	if (c.thumbprint == NULL) {
		warn_obj(ci, o->line, "certificate", "no readable certificate and no "
		    "thumbprint; skipped");
		ev_cert_clear(&c);
		return;
	}
	strlist_add(&c.sources, ci->source);
	c.ref.source = xstrdup(ci->source);
	c.ref.line = o->line;
	if (evidence_add_cert(ci->ev, &c) != NULL)
		ci->added++;
	ev_cert_clear(&c);
}

/* ------------------------------------------------------------ connectors */

static void
ingest_send_connector(struct cx_ingest *ci, const struct cx_obj *o)
{
	struct ev_send_connector	sc;

	ci->ev->saw_send_connector_dump = true;
	ev_send_connector_init(&sc);
	sc.name = prop_str(o, "Name");
	if (sc.name == NULL || *sc.name == '\0') {
		free(sc.name);
		sc.name = xstrdup(o->to_string);
	}
	if (sc.name == NULL || *sc.name == '\0') {
		warn_obj(ci, o->line, "send connector", "no name; skipped");
		ev_send_connector_clear(&sc);
		return;
	}
	sc.enabled = prop_tri(o, "Enabled");
	sc.source_servers_known = prop_list(o, "SourceTransportServers",
	    &sc.source_servers);
	sc.fqdn = prop_str(o, "Fqdn");
	sc.tls_certificate_name = prop_str(o, "TlsCertificateName");
	sc.require_tls = prop_tri(o, "RequireTLS");
	sc.tls_auth_level = prop_str(o, "TlsAuthLevel");
	sc.tls_domain = prop_str(o, "TlsDomain");
	sc.smart_hosts_known = prop_list(o, "SmartHosts", &sc.smart_hosts);
	sc.address_spaces_known = prop_list(o, "AddressSpaces",
	    &sc.address_spaces);
	sc.protocol_logging_level = prop_str(o, "ProtocolLoggingLevel");
	sc.cloud_services_mail_enabled = prop_tri(o, "CloudServicesMailEnabled");
	sc.source_rank = 2;
	strlist_add(&sc.sources, ci->source);
	sc.ref.source = xstrdup(ci->source);
	sc.ref.line = o->line;
	if (evidence_add_send_connector(ci->ev, &sc) != NULL)
		ci->added++;
	ev_send_connector_clear(&sc);
}

/* ------------------------------------------------------------ queues */

static bool
is_queue(const struct cx_obj *o)
{
	return cx_obj_is_type(o, "ExtensibleQueueInfo") ||
	    cx_obj_is_type(o, "QueueInfo") ||
	    cx_obj_is_type(o, "PropertyBagBasedQueueInfo");
}

static void
ingest_queue(struct cx_ingest *ci, const struct cx_obj *o)
{
	struct ev_queue	 q;
	int64_t		 n;
	char		*srv;

	ci->ev->saw_queue_dump = true;
	ev_queue_init(&q);
	q.identity = prop_str(o, "Identity");
	if (q.identity == NULL)
		q.identity = xstrdup(o->to_string);
	srv = identity_server(q.identity);
	set_server(&q.server, srv);
	free(srv);
	set_server(&q.server, cx_value_string(cx_obj_prop(o, "PSComputerName")));
	q.status = prop_str(o, "Status");
	q.last_error = prop_str(o, "LastError");
	q.next_hop_domain = prop_str(o, "NextHopDomain");
	q.delivery_type = prop_str(o, "DeliveryType");
	q.next_hop_connector = prop_str(o, "NextHopConnector");
	q.tls_domain = prop_str(o, "TlsDomain");
	if (cx_value_int(cx_obj_prop(o, "MessageCount"), &n) && n >= 0)
		q.message_count = (long)n;
	if (!cx_value_time(cx_obj_prop(o, "LastRetryTime"), &q.last_retry_time))
		q.last_retry_time = TIME_UNKNOWN;
	q.ref.source = xstrdup(ci->source);
	q.ref.line = o->line;
	if (evidence_add_queue(ci->ev, &q) != NULL)
		ci->added++;
	ev_queue_clear(&q);
}

/* ------------------------------------------------------------ dispatch */

static void
ingest_value(struct cx_ingest *ci, const struct cx_value *v, int nest)
{
	const struct cx_obj	*o = cx_value_obj(v);
	size_t			 i;

	/* A Ref repeats an object already read: do not count it twice. */
	if (o == NULL || v->is_ref)
		return;
	if (is_cert(o)) {
		ingest_cert(ci, o);
	} else if (cx_obj_is_type(o, "SmtpSendConnectorConfig")) {
		ingest_send_connector(ci, o);
	} else if (cx_obj_is_type(o, "ReceiveConnector")) {
		ci->ev->saw_receive_connector_dump = true;
		ci->added++;
	} else if (is_queue(o)) {
		ingest_queue(ci, o);
	} else if (nest < MAX_NEST) {
		/* Export-Clixml -InputObject $list writes one list object. */
		for (i = 0; i < o->nitems; i++)
			ingest_value(ci, &o->items[i], nest + 1);
	}
}

int
ingest_clixml(struct evidence *ev, const char *source, const char *text,
    size_t len)
{
	struct cx_doc	*doc = clixml_parse(text, len);
	struct cx_ingest ci = { ev, source, 0 };
	size_t		 i;

	for (i = 0; i < doc->ntop; i++)
		ingest_value(&ci, &doc->top[i], 0);
	for (i = 0; i < doc->nwarnings; i++)
		diag_add(&ev->diags, DIAG_WARNING, source, "line %ld: %s",
		    doc->warning_lines[i], doc->warnings[i]);
	if (doc->warnings_dropped > 0)
		diag_add(&ev->diags, DIAG_WARNING, source,
		    "%zu more CliXml warnings not shown", doc->warnings_dropped);
	if (doc->error != NULL) {
		diag_add(&ev->diags, DIAG_ERROR, source,
		    "malformed CliXml at line %ld: %s; %zu complete object(s) "
		    "before it were read", doc->error_line, doc->error,
		    doc->ntop);
		if (ci.added == 0) {
			clixml_free(doc);
			return -1;
		}
	}
	clixml_free(doc);
	return ci.added;
}

/*
 * Format-List dumps: Get-ExchangeCertificate, Get-SendConnector and
 * Get-Queue output, recognized record by record from their labels (one file
 * may hold several cmdlets' output). Dates are read in the file's own
 * day/month order, voted on from all its dates before any is parsed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "fl.h"
#include "ingest.h"

/* Past this many, unreadable dates are counted, not listed one by one. */
#define DATE_DIAGS_MAX	10

enum fl_kind {
	FL_KIND_NONE,
	FL_KIND_CERT,
	FL_KIND_SEND_CONNECTOR,
	FL_KIND_QUEUE,
	FL_KIND_RECEIVE_CONNECTOR
};

struct fl_ingest {
	struct evidence	*ev;
	const char	*source;
	enum date_order	 order;
	int		 date_diags;
	long		 dates_unlisted;
};

static bool
has_label(const struct fl_record *r, const char *label)
{
	return fl_record_field(r, label) != NULL;
}

static enum fl_kind
record_kind(const struct fl_record *r)
{
	if (has_label(r, "Thumbprint") &&
	    (has_label(r, "NotAfter") || has_label(r, "Subject")))
		return FL_KIND_CERT;
	if (has_label(r, "Bindings") && has_label(r, "Identity"))
		return FL_KIND_RECEIVE_CONNECTOR;
	if ((has_label(r, "SourceTransportServers") ||
	    has_label(r, "AddressSpaces") || has_label(r, "SmartHosts") ||
	    has_label(r, "DNSRoutingEnabled")) &&
	    (has_label(r, "Name") || has_label(r, "Identity")))
		return FL_KIND_SEND_CONNECTOR;
	if ((has_label(r, "NextHopDomain") || has_label(r, "DeliveryType")) &&
	    has_label(r, "Identity"))
		return FL_KIND_QUEUE;
	return FL_KIND_NONE;
}

/* A copy of the value, NULL when the label is absent or the value empty. */
static char *
value_dup(const struct fl_record *r, const char *label)
{
	const char	*v = fl_record_value(r, label);

	return v == NULL || *v == '\0' ? NULL : xstrdup(v);
}

static tri_t
value_tri(const struct fl_record *r, const char *label)
{
	const char	*v = fl_record_value(r, label);

	if (v == NULL)
		return TRI_UNKNOWN;
	if (ascii_casecmp(v, "True") == 0)
		return TRI_TRUE;
	if (ascii_casecmp(v, "False") == 0)
		return TRI_FALSE;
	return TRI_UNKNOWN;
}

/* A non-negative decimal number, -1 when absent or not a number. */
static long
value_long(const struct fl_record *r, const char *label)
{
	const char	*v = fl_record_value(r, label);
	long		 n = 0;

	if (v == NULL || *v == '\0')
		return -1;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9' || n > 100000000L)
			return -1;
		n = n * 10 + (*v - '0');
	}
	return n;
}

/*
 * A collection field into a list. Returns whether it is known: absent or
 * $null (empty, no braces) stays unknown; "{}" is known and empty.
 */
static bool
value_list(const struct fl_record *r, const char *label, struct strlist *out,
    bool *incomplete, bool short_names)
{
	const struct fl_field	*f = fl_record_field(r, label);
	size_t			 i;
	char			*s;

	if (incomplete != NULL)
		*incomplete = false;
	if (f == NULL || (*f->value == '\0' && !f->is_list))
		return false;
	if (!f->is_list) {
		/* A lone value printed without braces. */
		s = short_names ? server_short_name(f->value) : xstrdup(f->value);
		if (s != NULL)
			strlist_add(out, s);
		free(s);
		return true;
	}
	for (i = 0; i < f->items.n; i++) {
		s = short_names ? server_short_name(f->items.v[i]) :
		    xstrdup(f->items.v[i]);
		if (s != NULL)
			strlist_add(out, s);
		free(s);
	}
	if (incomplete != NULL)
		*incomplete = f->truncated;
	return true;
}

/* ----------------------------------------------------------------- dates */

static void
dates_vote(const struct fl_doc *doc, struct date_order_votes *v)
{
	size_t	i, j;

	/*
	 * Every value that looks like a date and time, whatever its label
	 * (WhenChanged and friends count too). A clock time is required so
	 * that version-like values ("1.2.2024") cannot vote.
	 */
	for (i = 0; i < doc->nrecords; i++)
		for (j = 0; j < doc->records[i].nfields; j++) {
			const char *val = doc->records[i].fields[j].value;

			if (strchr(val, ':') != NULL)
				date_order_vote(v, val);
		}
}

static int64_t
value_date(struct fl_ingest *in, const struct fl_record *r, const char *label)
{
	const struct fl_field	*f = fl_record_field(r, label);
	int64_t			 t, t2;
	bool			 ambiguous;

	if (f == NULL || *f->value == '\0')
		return TIME_UNKNOWN;
	if (date_parse_culture(f->value, in->order, &t))
		return t;
	if (date_parse_iso(f->value, &t))
		return t;
	ambiguous = date_parse_culture(f->value, DATE_ORDER_MDY, &t) &&
	    date_parse_culture(f->value, DATE_ORDER_DMY, &t2);
	if (in->date_diags >= DATE_DIAGS_MAX) {
		in->dates_unlisted++;
		return TIME_UNKNOWN;
	}
	in->date_diags++;
	if (ambiguous)
		diag_add(&in->ev->diags, DIAG_WARNING, in->source,
		    "line %ld: %s \"%s\" left unknown: the day/month order of "
		    "this file is undecidable", f->line, f->label, f->value);
	else
		diag_add(&in->ev->diags, DIAG_WARNING, in->source,
		    "line %ld: %s \"%s\" is not a date that can be read; left "
		    "unknown", f->line, f->label, f->value);
	return TIME_UNKNOWN;
}

/* ---------------------------------------------------------- certificates */

/*
 * "IMAP, POP, IIS, SMTP", "None", or the number. A missing or empty value
 * is unknown, never "none". Names not known here are reported but do not
 * hide the flags that are known.
 */
static int
services_parse(struct fl_ingest *in, const struct fl_record *r)
{
	const struct fl_field	*f = fl_record_field(r, "Services");
	char			*copy, *tok, *next;
	int			 mask = 0, flag;
	long			 n;

	if (f == NULL || *f->value == '\0')
		return SERVICES_UNKNOWN;
	if ((n = value_long(r, "Services")) >= 0)
		return n <= 0x7F ? (int)n : SERVICES_UNKNOWN;
	copy = xstrdup(f->value);
	for (tok = copy; tok != NULL; tok = next) {
		next = strchr(tok, ',');
		if (next != NULL)
			*next++ = '\0';
		str_trim(tok);
		if (*tok == '{')
			tok++;
		if (*tok != '\0' && tok[strlen(tok) - 1] == '}')
			tok[strlen(tok) - 1] = '\0';
		if (*tok == '\0')
			continue;
		if ((flag = service_flag(tok)) >= 0)
			mask |= flag;
		else
			diag_add(&in->ev->diags, DIAG_INFO, in->source,
			    "line %ld: unknown service name \"%s\" ignored",
			    f->line, tok);
	}
	free(copy);
	return mask;
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

/* "6F 02 9e..." into 40 upper-case hex digits, NULL when it is not one. */
static char *
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

/* The server before the backslash of "EX01.contoso.com\<id>", short form. */
static char *
identity_server(const char *identity)
{
	const char	*bs;
	char		*host, *s;

	if (identity == NULL || (bs = strchr(identity, '\\')) == NULL ||
	    bs == identity)
		return NULL;
	host = xstrndup(identity, (size_t)(bs - identity));
	s = server_short_name(host);
	free(host);
	return s;
}

static char *
record_server(const struct fl_record *r)
{
	char	*s = identity_server(fl_record_value(r, "Identity"));

	if (s == NULL && fl_record_has(r, "PSComputerName"))
		s = server_short_name(fl_record_value(r, "PSComputerName"));
	return s;
}

static int
ingest_cert(struct fl_ingest *in, const struct fl_record *r)
{
	struct ev_cert	 c;
	const char	*tp = fl_record_value(r, "Thumbprint");
	long		 bits;

	in->ev->saw_cert_dump = true;
	ev_cert_init(&c);
	if ((c.thumbprint = thumbprint_normalize(tp)) == NULL) {
		diag_add(&in->ev->diags, DIAG_WARNING, in->source,
		    "line %ld: certificate record without a valid thumbprint "
		    "(\"%s\"); skipped", r->line, tp);
		return -1;
	}
	c.server = record_server(r);
	c.subject = value_dup(r, "Subject");
	c.issuer = value_dup(r, "Issuer");
	c.serial = value_dup(r, "SerialNumber");
	c.friendly_name = value_dup(r, "FriendlyName");
	c.not_before = value_date(in, r, "NotBefore");
	c.not_after = value_date(in, r, "NotAfter");
	c.domains_known = value_list(r, "CertificateDomains", &c.domains,
	    &c.domains_incomplete, false);
	c.services = services_parse(in, r);
	c.status = value_dup(r, "Status");
	c.self_signed = value_tri(r, "IsSelfSigned");
	c.has_private_key = value_tri(r, "HasPrivateKey");
	c.root_ca_type = value_dup(r, "RootCAType");
	bits = value_long(r, "PublicKeySize");
	c.key_bits = bits > 0 && bits <= 65536 ? (int)bits : -1;
	c.signature_algorithm = signature_algorithm_name(
	    fl_record_value(r, "SignatureAlgorithm"));
	c.ref.source = xstrdup(in->source);
	c.ref.line = r->line;
	evidence_add_cert(in->ev, &c);
	ev_cert_clear(&c);
	return 1;
}

/* -------------------------------------------------------- send connectors */

static int
ingest_send_connector(struct fl_ingest *in, const struct fl_record *r)
{
	struct ev_send_connector sc;

	in->ev->saw_send_connector_dump = true;
	ev_send_connector_init(&sc);
	if ((sc.name = value_dup(r, "Name")) == NULL &&
	    (sc.name = value_dup(r, "Identity")) == NULL) {
		diag_add(&in->ev->diags, DIAG_WARNING, in->source,
		    "line %ld: send connector record without a name; skipped",
		    r->line);
		return -1;
	}
	sc.enabled = value_tri(r, "Enabled");
	sc.source_servers_known = value_list(r, "SourceTransportServers",
	    &sc.source_servers, &sc.source_servers_incomplete, true);
	sc.fqdn = value_dup(r, "Fqdn");
	sc.tls_certificate_name = value_dup(r, "TlsCertificateName");
	sc.require_tls = value_tri(r, "RequireTLS");
	sc.tls_auth_level = value_dup(r, "TlsAuthLevel");
	sc.tls_domain = value_dup(r, "TlsDomain");
	sc.smart_hosts_known = value_list(r, "SmartHosts", &sc.smart_hosts,
	    NULL, false);
	sc.address_spaces_known = value_list(r, "AddressSpaces",
	    &sc.address_spaces, NULL, false);
	sc.protocol_logging_level = value_dup(r, "ProtocolLoggingLevel");
	sc.cloud_services_mail_enabled = value_tri(r, "CloudServicesMailEnabled");
	sc.source_rank = 1;
	sc.ref.source = xstrdup(in->source);
	sc.ref.line = r->line;
	evidence_add_send_connector(in->ev, &sc);
	ev_send_connector_clear(&sc);
	return 1;
}

/* ----------------------------------------------------------------- queues */

static int
ingest_queue(struct fl_ingest *in, const struct fl_record *r)
{
	struct ev_queue	q;

	in->ev->saw_queue_dump = true;
	ev_queue_init(&q);
	q.identity = value_dup(r, "Identity");
	q.server = record_server(r);
	q.delivery_type = value_dup(r, "DeliveryType");
	q.next_hop_domain = value_dup(r, "NextHopDomain");
	q.next_hop_connector = value_dup(r, "NextHopConnector");
	q.tls_domain = value_dup(r, "TlsDomain");
	q.status = value_dup(r, "Status");
	q.message_count = value_long(r, "MessageCount");
	q.last_error = value_dup(r, "LastError");
	q.last_retry_time = value_date(in, r, "LastRetryTime");
	q.ref.source = xstrdup(in->source);
	q.ref.line = r->line;
	evidence_add_queue(in->ev, &q);
	ev_queue_clear(&q);
	return 1;
}

/* ------------------------------------------------------------------ entry */

static void
report_doc_problems(struct fl_ingest *in, const struct fl_doc *doc)
{
	size_t	i, j;

	for (i = 0; i < doc->nrecords; i++)
		for (j = 0; j < doc->records[i].nfields; j++)
			if (doc->records[i].fields[j].overlong)
				diag_add(&in->ev->diags, DIAG_WARNING,
				    in->source, "line %ld: %s is longer than "
				    "%u bytes; cut", doc->records[i].fields[j].line,
				    doc->records[i].fields[j].label,
				    FL_VALUE_MAX);
	if (doc->nskipped > 0)
		diag_add(&in->ev->diags, DIAG_INFO, in->source,
		    "%ld line(s) not in Format-List form ignored (first at "
		    "line %ld)", doc->nskipped, doc->first_skipped);
	if (in->dates_unlisted > 0)
		diag_add(&in->ev->diags, DIAG_WARNING, in->source,
		    "%ld more date(s) left unknown for the same reasons",
		    in->dates_unlisted);
}

int
ingest_fl(struct evidence *ev, const char *source, const char *text, size_t len)
{
	struct fl_doc		 doc;
	struct fl_ingest	 in;
	struct date_order_votes	 votes;
	size_t			 i;
	int			 added = 0, failed = 0, seen = 0, rc;

	memset(&in, 0, sizeof in);
	in.ev = ev;
	in.source = source;
	fl_parse(text, len, &doc);

	memset(&votes, 0, sizeof votes);
	dates_vote(&doc, &votes);
	in.order = date_order_decide(&votes);

	for (i = 0; i < doc.nrecords; i++) {
		const struct fl_record *r = &doc.records[i];

		switch (record_kind(r)) {
		case FL_KIND_CERT:
			rc = ingest_cert(&in, r);
			break;
		case FL_KIND_SEND_CONNECTOR:
			rc = ingest_send_connector(&in, r);
			break;
		case FL_KIND_QUEUE:
			rc = ingest_queue(&in, r);
			break;
		case FL_KIND_RECEIVE_CONNECTOR:
			/* Noted for the gaps list; not read further yet. */
			ev->saw_receive_connector_dump = true;
			seen++;
			continue;
		default:
			continue;
		}
		seen++;
		if (rc > 0)
			added += rc;
		else
			failed++;
	}
	if (seen > 0)
		report_doc_problems(&in, &doc);
	fl_doc_free(&doc);
	if (added == 0 && failed > 0)
		return -1;
	return added;
}

/*
 * Format-List dumps: Get-ExchangeCertificate, Get-SendConnector and
 * Get-Queue output, recognized record by record from their labels (one file
 * may hold several cmdlets' output). Dates are read in the file's own
 * day/month order, voted on from all its dates before any is parsed; a file
 * that cannot tell may wait for the order of the files around it.
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

/* --------------------------------------------------------------- records */

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

static bool
doc_has_records(const struct fl_doc *doc)
{
	size_t	i;

	for (i = 0; i < doc->nrecords; i++)
		if (record_kind(&doc->records[i]) != FL_KIND_NONE)
			return true;
	return false;
}

/* Reads the records, with dates in `order`. */
static int
doc_ingest(struct evidence *ev, const char *source, const struct fl_doc *doc,
    enum date_order order)
{
	struct fl_ingest	 in;
	size_t			 i;
	int			 added = 0, failed = 0, seen = 0, rc;

	memset(&in, 0, sizeof in);
	in.ev = ev;
	in.source = source;
	in.order = order;
	for (i = 0; i < doc->nrecords; i++) {
		const struct fl_record *r = &doc->records[i];

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
		report_doc_problems(&in, doc);
	if (added == 0 && failed > 0)
		return -1;
	return added;
}

/* ------------------------------------------------- orders from elsewhere */

/*
 * Text held back waiting for other files' orders stops growing here; past
 * it, files are read at once, undecided, as if nothing were held.
 */
#define HELD_BYTES_MAX	((size_t)64 << 20)

/* The dates each kind reads (ingest_cert, ingest_queue). */
static const char *const cert_date_labels[] = { "NotBefore", "NotAfter", NULL };
static const char *const queue_date_labels[] = { "LastRetryTime", NULL };

/* A date that reads differently month first and day first. */
static bool
date_needs_order(const char *v)
{
	int64_t	t, t2;

	return !date_parse_culture(v, DATE_ORDER_UNKNOWN, &t) &&
	    !date_parse_iso(v, &t) &&
	    date_parse_culture(v, DATE_ORDER_MDY, &t) &&
	    date_parse_culture(v, DATE_ORDER_DMY, &t2);
}

/*
 * Whether the record becomes an object (as ingest_cert and friends decide),
 * and whether one of the dates kept from it needs the day/month order.
 */
static bool
record_will_add(const struct fl_record *r, bool *needs_order)
{
	const char *const	*labels = NULL;
	const char		*v;
	char			*tp;

	*needs_order = false;
	switch (record_kind(r)) {
	case FL_KIND_CERT:
		if ((tp = thumbprint_normalize(fl_record_value(r,
		    "Thumbprint"))) == NULL)
			return false;
		free(tp);
		labels = cert_date_labels;
		break;
	case FL_KIND_SEND_CONNECTOR:
		v = fl_record_value(r, "Name");
		if (v == NULL || *v == '\0')
			v = fl_record_value(r, "Identity");
		return v != NULL && *v != '\0';
	case FL_KIND_QUEUE:
		labels = queue_date_labels;
		break;
	default:
		return false;
	}
	for (; *labels != NULL; labels++)
		if ((v = fl_record_value(r, *labels)) != NULL &&
		    date_needs_order(v))
			*needs_order = true;
	return true;
}

/*
 * Holds the file when its dates say nothing of the order (no date that can
 * only be read one way) and a date it keeps needs it. Returns how many
 * objects it will add, 0 when it is not held.
 */
static int
doc_hold(struct evidence *ev, const char *source, const struct fl_doc *doc,
    const struct date_order_votes *votes, const char *text, size_t len)
{
	struct fl_held		*h = &ev->fl_held;
	struct fl_held_file	*f;
	size_t			 i;
	int			 will_add = 0;
	bool			 needs, any_needs = false;

	if (votes->mdy > 0 || votes->dmy > 0)
		return 0;
	for (i = 0; i < doc->nrecords; i++)
		if (record_will_add(&doc->records[i], &needs)) {
			will_add++;
			any_needs = any_needs || needs;
		}
	if (!any_needs)
		return 0;
	if (len > HELD_BYTES_MAX - h->bytes) {
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order not "
		    "looked for in other files: more than %zu MiB of such files "
		    "already waiting", HELD_BYTES_MAX >> 20);
		return 0;
	}
	h->files = xreallocarray_grow(h->files, &h->files_cap, h->nfiles + 1,
	    sizeof *h->files);
	f = &h->files[h->nfiles++];
	f->source = xstrdup(source);
	f->text = xmalloc(len + 1);
	memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
	h->bytes += len;
	return will_add;
}

/* What a file read for itself, for the held files to take. */
static void
doc_note_order(struct evidence *ev, const char *source,
    const struct fl_doc *doc, const struct date_order_votes *votes)
{
	struct fl_held		*h = &ev->fl_held;
	enum date_order		 order;

	if (votes->mdy > 0 && votes->dmy > 0)
		order = DATE_ORDER_UNKNOWN;	/* counts against any agreement */
	else if (votes->mdy > 0)
		order = DATE_ORDER_MDY;
	else if (votes->dmy > 0)
		order = DATE_ORDER_DMY;
	else
		return;
	if (!doc_has_records(doc))
		return;
	h->notes = xreallocarray_grow(h->notes, &h->notes_cap, h->nnotes + 1,
	    sizeof *h->notes);
	h->notes[h->nnotes].source = xstrdup(source);
	h->notes[h->nnotes].order = order;
	h->nnotes++;
}

/*
 * The notes sorted by folder, '/' ranking below every other byte, so that a
 * folder and everything under it form one run; counts of month-first and
 * day-first notes before each position answer "do they agree" for a run in
 * constant time.
 */
struct order_entry {
	const struct fl_order_note *note;
	size_t		 dirlen;	/* the folder: source[0..dirlen) */
	size_t		 seq;		/* read order, to break ties */
};

struct order_index {
	struct order_entry *v;
	size_t		 n;
	size_t		*mdy;		/* n + 1 prefix counts */
	size_t		*dmy;
};

/* Where a run of notes lies: v[lo..hi), in or under source[0..dirlen). */
struct order_run {
	size_t		 lo, hi;
	size_t		 dirlen;
	bool		 exact;		/* the folder only, not those under it */
	const char	*scope;		/* "in", "under" */
};

static size_t
dir_len(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash == NULL ? 0 : (size_t)(slash - path);
}

static int
dir_rank(unsigned char c)
{
	return c == '/' ? 0 : c + 1;
}

static int
dir_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;

	for (i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return dir_rank((unsigned char)a[i]) -
			    dir_rank((unsigned char)b[i]);
	return alen < blen ? -1 : alen > blen;
}

static bool
dir_within(const char *dir, size_t len, const char *top, size_t toplen)
{
	return toplen == 0 || (len >= toplen && memcmp(dir, top, toplen) == 0 &&
	    (len == toplen || dir[toplen] == '/'));
}

static int
order_entry_cmp(const void *pa, const void *pb)
{
	const struct order_entry *a = pa, *b = pb;
	int			  c;

	c = dir_cmp(a->note->source, a->dirlen, b->note->source, b->dirlen);
	if (c != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
order_index_build(struct order_index *x, const struct fl_held *h)
{
	size_t	i;

	x->n = h->nnotes;
	x->v = xcalloc(x->n + 1, sizeof *x->v);
	x->mdy = xcalloc(x->n + 1, sizeof *x->mdy);
	x->dmy = xcalloc(x->n + 1, sizeof *x->dmy);
	for (i = 0; i < x->n; i++) {
		x->v[i].note = &h->notes[i];
		x->v[i].dirlen = dir_len(h->notes[i].source);
		x->v[i].seq = i;
	}
	qsort(x->v, x->n, sizeof *x->v, order_entry_cmp);
	for (i = 0; i < x->n; i++) {
		enum date_order o = x->v[i].note->order;

		x->mdy[i + 1] = x->mdy[i] + (o != DATE_ORDER_DMY);
		x->dmy[i + 1] = x->dmy[i] + (o != DATE_ORDER_MDY);
	}
}

static void
order_index_free(struct order_index *x)
{
	free(x->v);
	free(x->mdy);
	free(x->dmy);
}

/* How index_first() finds the end of a run. */
enum index_bound {
	BOUND_FOLDER,		/* the first note at or after the folder */
	BOUND_PAST_FOLDER,	/* the first note past the folder itself */
	BOUND_PAST_SUBFOLDERS	/* the first note past the folder and all under it */
};

static bool
entry_reached(const struct order_entry *e, const char *dir, size_t len,
    enum index_bound bound)
{
	int	c = dir_cmp(e->note->source, e->dirlen, dir, len);

	switch (bound) {
	case BOUND_FOLDER:
		return c >= 0;
	case BOUND_PAST_FOLDER:
		return c > 0;
	default:
		return c > 0 && !dir_within(e->note->source, e->dirlen, dir, len);
	}
}

/* Binary search: every bound is false, then true, along the sorted notes. */
static size_t
index_first(const struct order_index *x, const char *dir, size_t len,
    enum index_bound bound)
{
	size_t	lo = 0, hi = x->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (entry_reached(&x->v[mid], dir, len, bound))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * The nearest notes to a file in folder dir[0..len): the folder's own, else
 * those of the deepest folder holding the file's folder and some notes (its
 * subfolders, its parent with everything under it, ..., the whole case).
 */
static bool
index_nearest(const struct order_index *x, const char *dir, size_t len,
    struct order_run *run)
{
	size_t	top = len;

	run->lo = index_first(x, dir, len, BOUND_FOLDER);
	run->hi = index_first(x, dir, len, BOUND_PAST_FOLDER);
	run->dirlen = len;
	run->exact = true;
	run->scope = "in";
	if (run->hi > run->lo)
		return true;
	for (;;) {
		run->lo = index_first(x, dir, top, BOUND_FOLDER);
		run->hi = index_first(x, dir, top, BOUND_PAST_SUBFOLDERS);
		run->dirlen = top;
		run->exact = false;
		run->scope = "under";
		if (run->hi > run->lo)
			return true;
		if (top == 0)
			return false;
		while (top > 0 && dir[--top] != '/')
			continue;
	}
}

static const char *
order_name(enum date_order order)
{
	return order == DATE_ORDER_MDY ? "month first" : "day first";
}

/* The order the run agrees on, with a word on where it came from. */
static enum date_order
run_order(struct evidence *ev, const struct order_index *x,
    const struct order_run *run, const char *source)
{
	size_t		 mdy = x->mdy[run->hi] - x->mdy[run->lo];
	size_t		 dmy = x->dmy[run->hi] - x->dmy[run->lo];
	size_t		 others = run->hi - run->lo - 1;
	enum date_order	 order;
	char		*where;

	if (run->dirlen > 0)
		where = xasprintf("%s %.*s", run->scope, (int)run->dirlen,
		    source);
	else
		where = xstrdup(run->exact ? "at the top of the case" :
		    "in the case");
	if (mdy > 0 && dmy > 0) {
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order not "
		    "taken from other files: the nearest ones (%zu file%s %s) "
		    "are not all in one order", run->hi - run->lo,
		    run->hi - run->lo > 1 ? "s" : "", where);
		free(where);
		return DATE_ORDER_UNKNOWN;
	}
	order = mdy > 0 ? DATE_ORDER_MDY : DATE_ORDER_DMY;
	if (others == 0)
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order taken "
		    "from %s (%s), the file itself cannot tell",
		    x->v[run->lo].note->source, order_name(order));
	else
		diag_add(&ev->diags, DIAG_INFO, source, "day/month order taken "
		    "from %s and %zu other file%s %s (%s), the file itself cannot "
		    "tell", x->v[run->lo].note->source, others,
		    others > 1 ? "s" : "", where, order_name(order));
	free(where);
	return order;
}

static void
held_file_read(struct evidence *ev, const struct order_index *x,
    const struct fl_held_file *f)
{
	struct fl_doc		doc;
	struct order_run	run;
	enum date_order		order = DATE_ORDER_UNKNOWN;

	if (index_nearest(x, f->source, dir_len(f->source), &run))
		order = run_order(ev, x, &run, f->source);
	fl_parse(f->text, f->len, &doc);
	(void)doc_ingest(ev, f->source, &doc, order);
	fl_doc_free(&doc);
}

void
ingest_fl_defer(struct evidence *ev)
{
	ev->fl_held.enabled = true;
}

void
ingest_fl_finish(struct evidence *ev)
{
	struct fl_held		*h = &ev->fl_held;
	struct order_index	 x;
	size_t			 i;

	h->enabled = false;
	if (h->nfiles > 0) {
		order_index_build(&x, h);
		/* In the order they were read, so the output is stable. */
		for (i = 0; i < h->nfiles; i++)
			held_file_read(ev, &x, &h->files[i]);
		order_index_free(&x);
	}
	fl_held_free(h);
}

/* ------------------------------------------------------------------ entry */

int
ingest_fl(struct evidence *ev, const char *source, const char *text, size_t len)
{
	struct fl_doc		 doc;
	struct date_order_votes	 votes;
	int			 rc;

	fl_parse(text, len, &doc);
	memset(&votes, 0, sizeof votes);
	dates_vote(&doc, &votes);
	if (ev->fl_held.enabled) {
		if ((rc = doc_hold(ev, source, &doc, &votes, text, len)) > 0) {
			fl_doc_free(&doc);
			return rc;
		}
		doc_note_order(ev, source, &doc, &votes);
	}
	rc = doc_ingest(ev, source, &doc, date_order_decide(&votes));
	fl_doc_free(&doc);
	return rc;
}

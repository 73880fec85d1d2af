/*
 * Certificates (Get-ExchangeCertificate, X509Certificate2 objects and
 * certificate files): the record, its store and its mapper. The kind's
 * descriptor is ev_kind_certificates (kinds/cert/descriptor.c).
 */
#ifndef CERTTRAIL_KIND_CERT_H
#define CERTTRAIL_KIND_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

struct ev_cert {
	char		*server;	/* short upper-case name, NULL unknown */
	/*
	 * 40 upper-case hex; NULL when the export did not carry it whole (its
	 * line cut, or masked): such a record is known by its issuer and serial
	 * number, and never matched against a thumbprint.
	 */
	char		*thumbprint;
	/* The thumbprint as shown when it was masked ("7A3B****...F1"), else NULL. */
	char		*thumbprint_masked;
	char		*subject;	/* .NET form: CN=..., O=..., S=..., C=... */
	/*
	 * The subject is cut (the table view ends it with "..."): shown as
	 * such, never matched against TlsCertificateName.
	 */
	bool		 subject_incomplete;
	char		*issuer;
	/*
	 * Read from a file written as ASCII (formats/ascii_loss.h) and holding
	 * '?': a '?' may stand for a character the export lost, so the name is
	 * matched loosely (model/dn.h, dn_compare).
	 */
	bool		 subject_lossy;
	bool		 issuer_lossy;
	char		*serial;
	char		*friendly_name;
	int64_t		 not_before;
	int64_t		 not_after;
	/*
	 * True when the dates are UTC: read from the certificate itself (DER),
	 * a log's one-row certificate block, an export with zones, or
	 * converted from local text with the server's inferred UTC offset
	 * (dates_converted). False for Format-List, table or CSV text, whose
	 * dates are the server's local clock (held as if it were UTC).
	 */
	bool		 dates_exact;
	bool		 dates_converted;	/* model/time_zone.c converted them */
	/* Read in a day/month order taken from other files: a guess. */
	bool		 dates_order_guessed;
	/*
	 * As written, when the day/month order could not be decided: the
	 * date is unknown, but shown so.
	 */
	char		*not_before_written;
	char		*not_after_written;
	char		*dates_source;		/* where the dates were read */
	/*
	 * The same dates as the server's local clock printed them (Format-List
	 * text), kept when a UTC form replaced them: the difference is the
	 * server's UTC offset (model/time_zone.c). TIME_UNKNOWN when none.
	 */
	int64_t		 local_not_before;
	int64_t		 local_not_after;
	char		*local_dates_source;
	struct strlist	 domains;
	bool		 domains_known;
	bool		 domains_incomplete;	/* cut "{a, b, c, d...}" */
	int		 services;	/* SVC_* mask, SERVICES_UNKNOWN */
	char		*status;	/* Valid, DateInvalid, ...; NULL unknown */
	tri_t		 self_signed;
	tri_t		 has_private_key;
	/* PrivateKeyExportable: whether Export-ExchangeCertificate can take
	 * the key into a .pfx. */
	tri_t		 private_key_exportable;
	char		*root_ca_type;
	int		 key_bits;	/* -1 unknown */
	char		*signature_algorithm;	/* OpenSSL long name */
	struct strlist	 sources;
	struct ev_ref	 ref;		/* first place it was seen */
	/*
	 * Seen only in certificate files (.cer, .p7b, ...), which prove the
	 * certificate exists, not that it is installed anywhere: such a record
	 * is never given to a server for lack of a better clue.
	 */
	bool		 file_only;
	/*
	 * How `server` was found: an enum attr_clue (attribution.h), 0 while
	 * unknown; a lower value is a stronger clue.
	 */
	int		 server_clue;
	/*
	 * HealthChecker's "Lifetime in days" (whole days left, rounded down)
	 * and when it counted them: what its reports give where they lack
	 * NotAfter. -1 and TIME_UNKNOWN when not reported.
	 */
	int		 lifetime_days;
	int64_t		 lifetime_from;
	bool		 lifetime_from_exact;	/* UTC, else server local time */
};


enum cert_expiry {
	CERT_EXPIRY_UNKNOWN,	/* no NotAfter, or no as-of time */
	CERT_VALID,
	CERT_EXPIRED,
	/*
	 * NotAfter is within hours of the as-of time on a server whose UTC
	 * offset is unknown: expired or not depends on that offset.
	 */
	CERT_EXPIRES_ABOUT_NOW,
};

/* Whether c has expired at as_of (UTC): kinds/cert/expiry.c. */
enum cert_expiry cert_expiry_at(const struct ev_cert *c, int64_t as_of);

/* A blank record: every field unknown. */
void	 ev_cert_init(struct ev_cert *);
void	 ev_cert_clear(struct ev_cert *);	/* frees the fields */
/*
 * Copies c into the evidence, merged on (server, thumbprint): unknown never
 * overwrites known, and conflicts between twins are named in diagnostics.
 * A record without a thumbprint is kept on its own, merged with nothing.
 */
struct ev_cert *evidence_add_cert(struct evidence *, const struct ev_cert *);
/*
 * The last pass over the certificates: those that name no server are
 * attributed among `servers`, the twins that reveals merged, all sorted.
 */
void	 certs_finish(struct evidence *, const struct strlist *servers);
/*
 * Before the servers are gathered: the certificates of an export that
 * names no server go to the server whose own self-signed certificate
 * (CN=<SERVER>, CN=WMSvc-SHA2-<SERVER>) is among them, when it is the only
 * such name there.
 */
void	 certs_own_names(struct evidence *);
/*
 * Gives a record without a thumbprint the one the bundle ties its issuer
 * and serial number to (another record, a log's certificate row); it stays
 * apart from its twins (kinds/cert/link.c).
 */
void	 certs_link_thumbprints(struct evidence *);

struct map_ctx;
struct record;
/*
 * Maps a certificate record. c may be filled already (CliXml reads RawData
 * and SerializationData first): only what is still unknown is taken from
 * the record. It clears *c. Returns as map_record() does (record.h).
 */
int	 map_cert(struct map_ctx *, const struct record *, struct ev_cert *c);
/* "6F 02 9e..." into 40 upper-case hex digits, NULL when it is not one. */
char	*thumbprint_normalize(const char *);
/*
 * Whether a thumbprint (or serial number) was masked for a post: hex
 * digits with "*", "..." or "\u2026" in place of some ("7A3B****...F1").
 */
bool	 value_is_masked(const char *);
/*
 * How a sentence names the certificate: its thumbprint, else what the
 * export carried ("7A3B***F1 (masked)", "with serial number 0A3F... (thumbprint
 * not in the export)"); the text is in buf unless it is the thumbprint.
 */
const char *cert_label(const struct ev_cert *, char *buf, size_t size);
#define CERT_LABEL_MAX	400
/* cert_label() into a buffer that lives as long as the enclosing block. */
#define CERT_LABEL(c)	cert_label((c), (char[CERT_LABEL_MAX]){ 0 }, \
			    CERT_LABEL_MAX)

#endif

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
	char		*thumbprint;	/* 40 upper-case hex */
	char		*subject;	/* .NET form: CN=..., O=..., S=..., C=... */
	/*
	 * The subject is cut (the table view ends it with "..."): shown as
	 * such, never matched against TlsCertificateName.
	 */
	bool		 subject_incomplete;
	char		*issuer;
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
};


/* A blank record: every field unknown. */
void	 ev_cert_init(struct ev_cert *);
void	 ev_cert_clear(struct ev_cert *);	/* frees the fields */
/*
 * Copies c into the evidence, merged on (server, thumbprint): unknown never
 * overwrites known, and conflicts between twins are named in diagnostics.
 * NULL when c has no thumbprint.
 */
struct ev_cert *evidence_add_cert(struct evidence *, const struct ev_cert *);
/*
 * The last pass over the certificates: those that name no server are
 * attributed among `servers`, the twins that reveals merged, all sorted.
 */
void	 certs_finish(struct evidence *, const struct strlist *servers);

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

#endif

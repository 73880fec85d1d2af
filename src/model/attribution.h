/*
 * Which server a fact belongs to. Every clue certtrail knows is read here, in
 * one stated order, strongest first:
 *
 *   1. Identity "FQDN\THUMBPRINT"       (certificate Identity: where the
 *                                        certificate is installed)
 *   2. CliXml PSComputerName            (the remoting session's server)
 *   3. the console command pasted above (-Server X, -Identity X\...,
 *      the output                        a queue's SERVER\id; prompt.h)
 *   3a. a JSON wrapper object's Server,  (a collection script's
 *       ComputerName or PSComputerName   {"Server": ..., "Certificates":
 *                                        [...]}, for objects naming none)
 *   3b. the server's own self-signed    (CN=<SERVER>, CN=WMSvc-SHA2-<SERVER>,
 *       certificate in an export         for every record of that export
 *       that names no server             when it holds no other such name)
 *   4. "SERVER\Connector"               (receive connector ids, receive
 *                                        protocol-log connector-id)
 *   4. per-server archive names         ("EXA-1110.zip", "EXA.zip")
 *   5. folder names                     ("EXA/..."; sibling folders that look
 *                                        like server names are per-server
 *                                        folders when one of them is a known
 *                                        server: "SRV-A/", "SRV-B/" beside
 *                                        "SRV-C/")
 *   6. file-name prefixes               ("EXA_ExchangeCertificate.txt")
 *   7. for send logs: the only source server of the Send connector
 *   8. the only server in the bundle    (inventory dumps, never a bare
 *                                        certificate file, never when the
 *                                        path shows a folder that looks like
 *                                        another server)
 *
 * Identity comes before PSComputerName although PSComputerName is the
 * stronger clue for most objects: `Get-ExchangeCertificate -Server EX02` run
 * in a session on EX01 gives PSComputerName EX01 and Identity EX02\..., and
 * the certificate is EX02's. When both are present and disagree, the
 * certificate mapper (kinds/cert/map.c) says so in a diagnostic.
 *
 * Clues 1-3 travel with the object: the parsers hand them over (the
 * protocol-log aggregates take theirs from the receive connector id as the
 * rows are read, evidence_logs.c).
 * Clues 4-6 come from the bundle path; an archive, folder or prefix names a
 * server only when that server is known from some other clue, or when the
 * name has the shape the Exchange log collector gives it ("<SERVER>-<digits>
 * .zip", "<SERVER>_<cmdlet output>.txt"). Clues 7-8 are guesses of last
 * resort; 8 says so in a diagnostic.
 */
#ifndef CERTTRAIL_ATTRIBUTION_H
#define CERTTRAIL_ATTRIBUTION_H

#include "evidence.h"

enum attr_clue {
	ATTR_NONE = 0,
	ATTR_EXPORT,		/* 1 or 2, set by the parser that read the object */
	ATTR_IDENTITY,
	ATTR_PS_COMPUTER_NAME,
	ATTR_COMMAND,
	ATTR_WRAPPER,		/* a JSON wrapper object's Server (record.h) */
	ATTR_SELF_SIGNED,
	ATTR_CONNECTOR_ID,
	ATTR_ARCHIVE_NAME,
	ATTR_FOLDER_NAME,
	ATTR_FILE_PREFIX,
	ATTR_SEND_CONNECTOR,
	ATTR_ONLY_SERVER
};

/* "PSComputerName", "archive name", ...; static. */
const char	*attr_clue_name(enum attr_clue);

/*
 * The server of an Identity "EX01.contoso.com\6F02..." or a connector id
 * "EX01\Default Frontend EX01": short upper-case name, NULL when the text
 * has no "SERVER\" part. The caller frees it.
 */
char		*attr_server_from_identity(const char *identity);

/*
 * The server an exported object names itself, clues 1 and 2 in order: an
 * Identity "SERVER\...", else PSComputerName (either may be NULL). Sets
 * *clue (ATTR_IDENTITY, ATTR_PS_COMPUTER_NAME or ATTR_NONE); the caller
 * frees the name.
 */
char		*attr_server_from_object(const char *ps_computer_name,
		    const char *identity, enum attr_clue *clue);

/*
 * Servers a path declares by its shape alone: collector archives
 * "<SERVER>-<digits>.zip" and collector files "<SERVER>_<Something>.<ext>"
 * whose <Something> is a cmdlet output name (ExchangeCertificate,
 * TransportServer, ReceiveConnectors, ...). Added to `out`, short form.
 */
void		 attr_servers_from_path_shape(const char *path, struct strlist *out);

/*
 * The server the path names among `servers` (short upper-case names), by
 * archive name, then folder name, then file-name prefix; the longest name
 * wins within a kind (EX1 against EX10). Returns the clue kind and sets
 * *server to an element of `servers`, or ATTR_NONE.
 */
enum attr_clue	 attr_server_from_path(const char *path,
		    const struct strlist *servers, const char **server);

/*
 * The server a self-signed certificate names: CN=<SERVER> (the server's own
 * certificate, issuer and subject alike) or CN=WMSvc-SHA2-<SERVER> (and the
 * older CN=WMSvc-<SERVER>); NULL for any other (CN=localhost, the Auth
 * certificate, a name with spaces). Short upper-case; the caller frees it.
 */
char		*attr_server_from_own_name(const char *subject, const char *issuer);

/*
 * Adds to `servers` the sibling folders of the bundle that look like server
 * names ("SRV-A", "EX02"; never "Logs", "Certs" or a date) when one of them
 * is a server `servers` already holds: a layout of one folder per server.
 */
void		 attr_server_folders(const struct evidence *, struct strlist *servers);

/*
 * Whether the path shows a folder that looks like a server name other than
 * `server`: then "the only server" is no clue for what lies in it.
 */
bool		 attr_path_shows_other_server(const char *path, const char *server);

/*
 * Whether a folder name comp[0..n) looks like a server's ("EXHUB1",
 * "SRV-A"; never "Logs", "Certs" or a date).
 */
bool		 attr_folder_looks_like_server(const char *comp, size_t n);

/*
 * The kinds apply these clues in the evidence's last pass (evidence_finish(),
 * evidence.h), each to its records that name no server yet: certificates
 * and events by their paths (kinds/cert/store.c, kinds/event.c), the
 * protocol-log aggregates in evidence_logs_finish() (evidence_logs.c),
 * through evidence_server_from_path() (evidence.h); the servers every record
 * names are gathered by evidence_known_servers().
 */

#endif

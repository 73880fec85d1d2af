/*
 * Server attribution: which server an Identity, a connector id or a bundle
 * path names, in the order attribution.h states. The kinds apply it to
 * their records in the evidence's last pass (evidence_finish.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attribution.h"

static const char *const clue_names[] = {
	[ATTR_NONE] = "none",
	[ATTR_EXPORT] = "the export itself (Identity or PSComputerName)",
	[ATTR_IDENTITY] = "Identity",
	[ATTR_PS_COMPUTER_NAME] = "PSComputerName",
	[ATTR_COMMAND] = "the console command above the output",
	[ATTR_WRAPPER] = "the wrapper object around the export",
	[ATTR_SELF_SIGNED] = "the server's own self-signed certificate",
	[ATTR_CONNECTOR_ID] = "connector id",
	[ATTR_ARCHIVE_NAME] = "archive name",
	[ATTR_FOLDER_NAME] = "folder name",
	[ATTR_FILE_PREFIX] = "file-name prefix",
	[ATTR_SEND_CONNECTOR] = "the Send connector's only source server",
	[ATTR_ONLY_SERVER] = "the only server in the bundle",
};

/* Archive name endings, longest first so ".tar.gz" wins over ".gz". */
static const char *const archive_exts[] = {
	".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".zip", ".tar", ".gz",
	".7z",
};

/*
 * What follows "<SERVER>_" in the files the Exchange log collector (and
 * engineers imitating it) name after a server.
 */
static const char *const collector_words[] = {
	"Cert", "ExchangeCert", "ExchangeServer", "Transport", "ReceiveConnector",
	"SendConnector", "InstantQueueInfo", "Queue", "Get-", "Get",
};

/* Words before "_" that name a kind of output, not a server. */
static const char *const not_servers[] = {
	"All", "Exchange", "Get", "My", "Org", "Organization", "Server",
	"Servers", "Hub", "FE", "MBX", "Edge", "Send", "Receive", "Old", "New",
	"Current", "Export", "Output", "Case",
};

static bool
is_not_server(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < sizeof not_servers / sizeof not_servers[0]; i++)
		if (strlen(not_servers[i]) == n &&
		    ascii_ncasecmp(s, not_servers[i], n) == 0)
			return true;
	return false;
}

const char *
attr_clue_name(enum attr_clue c)
{
	if ((unsigned)c >= sizeof clue_names / sizeof clue_names[0])
		return "none";
	return clue_names[c];
}

char *
attr_server_from_identity(const char *identity)
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

char *
attr_server_from_object(const char *ps_computer_name, const char *identity,
    enum attr_clue *clue)
{
	char	*s;

	if ((s = attr_server_from_identity(identity)) != NULL) {
		*clue = ATTR_IDENTITY;
		return s;
	}
	if ((s = server_short_name(ps_computer_name)) != NULL) {
		*clue = ATTR_PS_COMPUTER_NAME;
		return s;
	}
	*clue = ATTR_NONE;
	return NULL;
}

/* Length of the archive extension ending [comp, comp+len), 0 when none. */
static size_t
archive_ext_len(const char *comp, size_t len)
{
	size_t	i, n;

	for (i = 0; i < sizeof archive_exts / sizeof archive_exts[0]; i++) {
		n = strlen(archive_exts[i]);
		if (len > n && ascii_ncasecmp(comp + len - n, archive_exts[i], n) == 0)
			return n;
	}
	return 0;
}

static bool
is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/* A NetBIOS-like host name: letters, digits, hyphens, 1 to 63 of them. */
static bool
is_host_name(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > 63 || s[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

static void
add_short(struct strlist *out, const char *s, size_t n)
{
	char	*name = xstrndup(s, n), *sh = server_short_name(name);

	if (sh != NULL)
		strlist_add_unique_ci(out, sh);
	free(sh);
	free(name);
}

/* "EXA_ExchangeCertificate.txt" -> "EXA" when the rest is a collector word. */
static bool
collector_file_server(const char *comp, size_t len, size_t *namelen)
{
	const char	*us = memchr(comp, '_', len);
	size_t		 i, n, rest;

	if (us == NULL || !is_host_name(comp, (size_t)(us - comp)) ||
	    is_not_server(comp, (size_t)(us - comp)))
		return false;
	rest = len - (size_t)(us - comp) - 1;
	for (i = 0; i < sizeof collector_words / sizeof collector_words[0]; i++) {
		n = strlen(collector_words[i]);
		if (rest >= n && ascii_ncasecmp(us + 1, collector_words[i], n) == 0) {
			*namelen = (size_t)(us - comp);
			return true;
		}
	}
	return false;
}

/*
 * "getexchangecertificate-EXCAS1.csv", "HealthChecker-EXCAS1-20261104090244
 * .txt" -> "EXCAS1": a cmdlet's or tool's name, then the server's, then
 * perhaps a time stamp, as engineers and HealthChecker name exports.
 */
static const char *const output_words[] = {
	"getexchangecertificate", "exchangecertificates", "exchangecertificate",
	"certificates", "getqueue", "queues", "getsendconnector",
	"sendconnectors", "getreceiveconnector", "receiveconnectors",
	"gettransportservice", "transportservice", "healthchecker",
};

static bool
named_output_server(const char *comp, size_t len, const char **name,
    size_t *namelen)
{
	const char	*dot, *s, *e;
	char		 word[32];
	size_t		 i, n = 0, stem;

	for (dot = comp + len; dot > comp && dot[-1] != '.'; dot--)
		;
	stem = dot > comp ? (size_t)(dot - 1 - comp) : len;
	for (i = 0; i < stem && comp[i] != '_' && n + 1 < sizeof word; i++) {
		if (comp[i] == '-') {
			/* "Get-ExchangeCertificate-EX01": the verb's dash. */
			if (n == 3 && ascii_ncasecmp(word, "get", 3) == 0)
				continue;
			break;
		}
		word[n++] = (char)(comp[i] | 0x20);
	}
	word[n] = '\0';
	if (i >= stem || (comp[i] != '-' && comp[i] != '_'))
		return false;
	for (n = 0; n < sizeof output_words / sizeof output_words[0]; n++)
		if (strcmp(word, output_words[n]) == 0)
			break;
	if (n == sizeof output_words / sizeof output_words[0])
		return false;
	s = comp + i + 1;
	/* A trailing "-<digits>" is a time stamp. */
	for (e = s; e < comp + stem && *e != '-' && *e != '_'; e++)
		;
	if (e < comp + stem) {
		const char *d;

		for (d = e + 1; d < comp + stem && *d >= '0' && *d <= '9'; d++)
			;
		if (d != comp + stem)
			return false;
	}
	if (!is_host_name(s, (size_t)(e - s)) || is_not_server(s, (size_t)(e - s)))
		return false;
	for (i = 0; s + i < e && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (s + i == e)
		return false;	/* digits only: a date, not a server */
	*name = s;
	*namelen = (size_t)(e - s);
	return true;
}

/*
 * "EXA-1110.zip" -> "EXA" (the collector's "<SERVER>-<month><day>"): the
 * stem ends in a hyphen and digits. Taken only when a component below it is
 * a collector file or folder, so "certs-2026.zip" declares nothing.
 */
static bool
collector_archive_server(const char *comp, size_t len, size_t *namelen)
{
	size_t	ext = archive_ext_len(comp, len), stem, i;

	if (ext == 0)
		return false;
	stem = len - ext;
	for (i = stem; i > 0 && comp[i - 1] >= '0' && comp[i - 1] <= '9'; i--)
		;
	if (i == stem || i < 2 || comp[i - 1] != '-' || stem - i > 4)
		return false;
	if (!is_host_name(comp, i - 1))
		return false;
	*namelen = i - 1;
	return true;
}

void
attr_servers_from_path_shape(const char *path, struct strlist *out)
{
	const char	*comp, *end, *arch = NULL;
	size_t		 clen, n, archlen = 0, sub;
	bool		 below_collector = false;

	if (path == NULL)
		return;
	for (comp = path; *comp != '\0'; comp = end + 1) {
		end = strchr(comp, '/');
		clen = end != NULL ? (size_t)(end - comp) : strlen(comp);
		const char	*named;

		if (collector_file_server(comp, clen, &n)) {
			add_short(out, comp, n);
			below_collector = true;
		} else if (end == NULL && named_output_server(comp, clen, &named,
		    &n))
			add_short(out, named, n);
		else if (clen == 20 && ascii_ncasecmp(comp,
		    "Exchange_Server_Data", 20) == 0)
			below_collector = true;
		else if (arch == NULL && end != NULL &&
		    collector_archive_server(comp, clen, &sub)) {
			arch = comp;
			archlen = sub;
		}
		if (end == NULL)
			break;
	}
	if (arch != NULL && below_collector)
		add_short(out, arch, archlen);
}

/* Whether comp[0..clen) is `name`, or starts with it and a separator. */
static bool
comp_names(const char *comp, size_t clen, const char *name)
{
	size_t	n = strlen(name);

	if (n > clen || ascii_ncasecmp(comp, name, n) != 0)
		return false;
	return n == clen || comp[n] == '-' || comp[n] == '_' ||
	    comp[n] == '.' || comp[n] == ' ';
}

/* The longest of `servers` that comp names, or NULL. */
static const char *
comp_server(const char *comp, size_t clen, const struct strlist *servers)
{
	const char	*best = NULL;
	size_t		 i;

	for (i = 0; i < servers->n; i++)
		if (comp_names(comp, clen, servers->v[i]) &&
		    (best == NULL || strlen(servers->v[i]) > strlen(best)))
			best = servers->v[i];
	return best;
}

enum attr_clue
attr_server_from_path(const char *path, const struct strlist *servers,
    const char **server)
{
	const char	*comp, *end, *found[3] = { NULL, NULL, NULL }, *s;
	size_t		 clen, ext;
	int		 k;

	*server = NULL;
	if (path == NULL)
		return ATTR_NONE;
	/* The innermost component of each kind that names a server. */
	for (comp = path; *comp != '\0'; comp = end + 1) {
		end = strchr(comp, '/');
		clen = end != NULL ? (size_t)(end - comp) : strlen(comp);
		if (end == NULL) {
			const char	*named;
			size_t		 n;

			if ((s = comp_server(comp, clen, servers)) != NULL)
				found[2] = s;
			else if (named_output_server(comp, clen, &named, &n) &&
			    (s = comp_server(named, n, servers)) != NULL)
				found[2] = s;
			break;
		}
		ext = archive_ext_len(comp, clen);
		if (ext > 0) {
			if ((s = comp_server(comp, clen - ext, servers)) != NULL ||
			    (s = comp_server(comp, clen, servers)) != NULL)
				found[0] = s;
		} else if ((s = comp_server(comp, clen, servers)) != NULL)
			found[1] = s;
	}
	for (k = 0; k < 3; k++)
		if (found[k] != NULL) {
			*server = found[k];
			return (enum attr_clue)(ATTR_ARCHIVE_NAME + k);
		}
	return ATTR_NONE;
}

/*
 * The server a path names among `servers`, for the log aggregates and
 * events (log_aggs.c, evidence_finish.c): archive, folder, then prefix.
 */
const char *
evidence_server_from_path(const char *path, const struct strlist *servers)
{
	const char	*s = NULL;

	if (path == NULL || attr_server_from_path(path, servers, &s) == ATTR_NONE)
		return NULL;
	return s;
}

/* ------------------------------------------- names the layout gives */

/* Folder names that say what is in them, not whose it is. */
static const char *const folder_words[] = {
	"Logs", "Log", "Certs", "Certificates", "Certificate", "Queues", "Queue",
	"Connectors", "Config", "Configuration", "Transport", "TransportRoles",
	"ProtocolLog", "SmtpSend", "SmtpReceive", "Hub", "FrontEnd", "Exports",
	"Export", "Output", "Data", "Bundle", "Case", "Evidence", "Collected",
	"Reports", "Report", "Temp", "Tmp", "Events", "Archive", "Old", "New",
	"Current", "Servers", "Server", "Exchange", "Send", "Receive",
};

/* A folder that looks like a server's name: a host name with a letter. */
static bool
server_like(const char *s, size_t n)
{
	size_t	i;
	bool	letter = false;

	if (!is_host_name(s, n) || n < 2)
		return false;
	for (i = 0; i < n; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))
			letter = true;
	if (!letter)
		return false;
	for (i = 0; i < sizeof folder_words / sizeof folder_words[0]; i++)
		if (strlen(folder_words[i]) == n &&
		    ascii_ncasecmp(s, folder_words[i], n) == 0)
			return false;
	return true;
}

char *
attr_server_from_own_name(const char *subject, const char *issuer)
{
	const char	*cn, *end;
	size_t		 n;

	if (subject == NULL || issuer == NULL ||
	    ascii_casecmp(subject, issuer) != 0 ||
	    !ascii_startswith_ci(subject, "CN="))
		return NULL;
	cn = subject + 3;
	end = strchr(cn, ',');
	n = end != NULL ? (size_t)(end - cn) : strlen(cn);
	if (n > 11 && ascii_ncasecmp(cn, "WMSvc-SHA2-", 11) == 0) {
		cn += 11;
		n -= 11;
	} else if (n > 6 && ascii_ncasecmp(cn, "WMSvc-", 6) == 0) {
		cn += 6;
		n -= 6;
	}
	if (!server_like(cn, n) || (n == 9 && ascii_ncasecmp(cn, "localhost",
	    9) == 0))
		return NULL;
	{
		char	*raw = xstrndup(cn, n), *s = server_short_name(raw);

		free(raw);
		return s;
	}
}

/* Whether two names share a pattern: "SRV-A" and "SRV-C", "EX01" and "EX12". */
static bool
same_pattern(const char *a, const char *b)
{
	size_t	i;

	for (i = 0; a[i] != '\0' && b[i] != '\0' &&
	    (a[i] | 0x20) == (b[i] | 0x20); i++)
		;
	return i >= 2 && (strlen(a) == strlen(b) || i >= 3);
}

/* The directory of each entry: parent -> its child folders. */
struct sibling_set {
	char		*parent;
	struct strlist	 children;
};

static void
add_child(struct sibling_set **sets, size_t *n, size_t *cap,
    const char *parent, size_t plen, const char *child, size_t clen)
{
	char	*c = xstrndup(child, clen);
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strlen((*sets)[i].parent) == plen &&
		    memcmp((*sets)[i].parent, parent, plen) == 0)
			break;
	if (i == *n) {
		*sets = xreallocarray_grow(*sets, cap, *n + 1, sizeof **sets);
		memset(&(*sets)[i], 0, sizeof **sets);
		(*sets)[i].parent = xstrndup(parent, plen);
		(*n)++;
	}
	strlist_add_unique_ci(&(*sets)[i].children, c);
	free(c);
}

void
attr_server_folders(const struct evidence *ev, struct strlist *servers)
{
	struct sibling_set	*sets = NULL;
	struct strlist		 add = { 0 };
	const char		*path, *comp, *end, *known;
	size_t			 nsets = 0, cap = 0, i, j, k;

	for (i = 0; i < ev->nentries; i++) {
		path = ev->entries[i].path;
		for (comp = path; path != NULL && (end = strchr(comp, '/')) !=
		    NULL; comp = end + 1)
			add_child(&sets, &nsets, &cap, path, (size_t)(comp - path),
			    comp, (size_t)(end - comp));
	}
	for (i = 0; i < nsets; i++) {
		const struct strlist *ch = &sets[i].children;

		for (known = NULL, j = 0; known == NULL && j < ch->n; j++)
			if (strlist_contains_ci(servers, ch->v[j]))
				known = ch->v[j];
		for (j = 0; known != NULL && ch->n >= 2 && j < ch->n; j++)
			if (server_like(ch->v[j], strlen(ch->v[j])) &&
			    same_pattern(ch->v[j], known))
				strlist_add_unique_ci(&add, ch->v[j]);
		free(sets[i].parent);
		strlist_free(&sets[i].children);
	}
	free(sets);
	for (k = 0; k < add.n; k++) {
		char *s = server_short_name(add.v[k]);

		strlist_add_unique_ci(servers, s);
		free(s);
	}
	strlist_free(&add);
	strlist_sort_ci(servers);
}

bool
attr_folder_looks_like_server(const char *comp, size_t n)
{
	return archive_ext_len(comp, n) == 0 && server_like(comp, n);
}

bool
attr_path_shows_other_server(const char *path, const char *server)
{
	const char	*comp, *end;

	for (comp = path; path != NULL && (end = strchr(comp, '/')) != NULL;
	    comp = end + 1)
		if (archive_ext_len(comp, (size_t)(end - comp)) == 0 &&
		    server_like(comp, (size_t)(end - comp)) &&
		    !comp_names(comp, (size_t)(end - comp), server))
			return true;
	return false;
}

/*
 * Bundle reading and content sniffing. Every archive is generated here with
 * libarchive's writer (zip, tar.gz, raw gzip) into a fresh temporary
 * directory, then damaged, nested or inflated as each case needs.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/bundle.h"
#include "model/evidence.h"
#include "formats/formats.h"
#include "util/util.h"

#define MTIME	1762776000	/* 2025-11-10T12:00:00Z */

/* ---------------------------------------------------------------- fixtures */

static const char fl_text[] =
    "\r\n"
    "CertificateDomains : {mail.contoso.com, autodiscover.contoso.com}\r\n"
    "HasPrivateKey      : True\r\n"
    "IsSelfSigned       : False\r\n"
    "Issuer             : CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US\r\n"
    "NotAfter           : 11/28/2026 11:59:59 PM\r\n"
    "RootCAType         : ThirdParty\r\n"
    "Services           : IMAP, POP, IIS, SMTP\r\n"
    "Status             : Valid\r\n"
    "Subject            : CN=mail.contoso.com, O=Contoso, L=Redmond, S=Washington, C=US\r\n"
    "Thumbprint         : 6F029E0D20605DB27016B787C4503FD0002C0A11\r\n"
    "\r\n";

static const char protolog_text[] =
    "#Software: Microsoft Exchange Server\r\n"
    "#Version: 15.0.0.0\r\n"
    "#Log-type: SMTP Send Protocol Log\r\n"
    "#Date: 2026-11-09T22:00:04.113Z\r\n"
    "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n"
    "2026-11-09T22:00:04.113Z,Outbound to Office 365,08DEAD0000000001,0,,10.0.0.5:25,*,,attempting to connect\r\n"
    "2026-11-09T22:00:04.200Z,Outbound to Office 365,08DEAD0000000001,21,10.10.248.7:16547,216.32.181.234:25,*,,TLS negotiation failed with error UnknownCredentials\r\n";

static const char transcript_text[] =
    "**********************\r\n"
    "Windows PowerShell transcript start\r\n"
    "Start time: 20261110084112\r\n"
    "Username: CONTOSO\\admin\r\n"
    "Machine: EX01 (Microsoft Windows NT 10.0.17763.0)\r\n"
    "**********************\r\n"
    "[PS] C:\\>Remove-ExchangeCertificate -Thumbprint 6F029E0D20605DB27016B787C4503FD0002C0A11\r\n"
    "A special Rpc error occurs on server EX01: These certificates are tagged with following "
    "Send Connectors : Outbound to Office 365. Removing and replacing certificates from Send "
    "Connector would break the mail flow. If you still want to proceed then replace or remove "
    "these certificates from Send Connector and then try this command.\r\n"
    "    + CategoryInfo          : NotSpecified: (:) [Remove-ExchangeCertificate], InvalidOperationException\r\n"
    "    + FullyQualifiedErrorId : [Server=EX01] 3EC83B1F,Microsoft.Exchange.Management.SystemConfigurationTasks.RemoveExchangeCertificate\r\n"
    "    + PSComputerName        : ex01.contoso.com\r\n";

static const char clixml_text[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
    "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n"
    "  <Obj RefId=\"0\">\r\n"
    "    <TN RefId=\"0\"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig</T></TN>\r\n"
    "    <ToString>Outbound to Office 365</ToString>\r\n"
    "  </Obj>\r\n"
    "</Objs>\r\n";

struct tmpdir {
	char	path[64];
};

static int
tmpdir_setup(void **state)
{
	struct tmpdir	*t = xcalloc(1, sizeof *t);

	snprintf(t->path, sizeof t->path, "/tmp/certtrail-bundle-XXXXXX");
	if (mkdtemp(t->path) == NULL) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static void
remove_tree(const char *path)
{
	struct stat	 st;
	DIR		*d;
	struct dirent	*de;
	char		*child;

	if (lstat(path, &st) == -1)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			child = xasprintf("%s/%s", path, de->d_name);
			remove_tree(child);
			free(child);
		}
		closedir(d);
		rmdir(path);
	} else
		unlink(path);
}

static int
tmpdir_teardown(void **state)
{
	struct tmpdir	*t = *state;

	remove_tree(t->path);
	free(t);
	return 0;
}

static char *
tmp_path(void **state, const char *name)
{
	struct tmpdir	*t = *state;

	return xasprintf("%s/%s", t->path, name);
}

static void
file_write(const char *path, const void *data, size_t len)
{
	FILE	*f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static unsigned char *
file_read(const char *path, size_t *len)
{
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f = fopen(path, "rb");

	assert_non_null(f);
	buf_init(&b, SIZE_MAX - 1);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return (unsigned char *)buf_steal(&b, len);
}

static void
sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char	d[EVP_MAX_MD_SIZE];
	unsigned int	dn = 0, i;

	assert_int_equal(EVP_Digest(p, n, d, &dn, EVP_sha256(), NULL), 1);
	for (i = 0; i < dn; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* ASCII text as PowerShell's Out-File writes it: UTF-16LE with a BOM. */
static unsigned char *
utf16le(const char *s, size_t *len)
{
	size_t		 n = strlen(s), i;
	unsigned char	*p = xmalloc(2 + 2 * n);

	p[0] = 0xff;
	p[1] = 0xfe;
	for (i = 0; i < n; i++) {
		p[2 + 2 * i] = (unsigned char)s[i];
		p[3 + 2 * i] = 0;
	}
	*len = 2 + 2 * n;
	return p;
}

/* Deterministic incompressible bytes. */
static unsigned char *
noise(size_t n, uint32_t seed)
{
	unsigned char	*p = xmalloc(n);
	size_t		 i;

	for (i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		p[i] = (unsigned char)(seed >> 24);
	}
	return p;
}

/* ---------------------------------------------------------------- archive writer */

struct wentry {
	const char	*name;
	const void	*data;
	size_t		 len;
	int		 encrypt;	/* zip traditional encryption, passphrase "secret" */
};

static la_ssize_t
mem_write(struct archive *a, void *client, const void *p, size_t n)
{
	(void)a;
	if (buf_append(client, p, n) == -1)
		return -1;
	return (la_ssize_t)n;
}

/*
 * kind: "zip", "zip-store" (no compression, sizes and CRC only in a data
 * descriptor after each entry's data), "tar.gz" or "gz" (one raw
 * gzip-compressed file).
 */
static unsigned char *
archive_build(const char *kind, const struct wentry *e, size_t n, size_t *outlen)
{
	struct archive		*a = archive_write_new();
	struct archive_entry	*ae;
	struct buf		 out;
	size_t			 i;

	buf_init(&out, SIZE_MAX - 1);
	if (strcmp(kind, "zip") == 0)
		assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	else if (strcmp(kind, "zip-store") == 0) {
		assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
		assert_int_equal(archive_write_set_option(a, "zip", "compression",
		    "store"), ARCHIVE_OK);
	} else if (strcmp(kind, "tar.gz") == 0) {
		assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	} else {
		assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
		assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	}
	archive_write_set_bytes_in_last_block(a, 1);
	/* Options apply to a whole archive and only before it is opened. */
	if (n > 0 && e[0].encrypt) {
		assert_int_equal(archive_write_set_option(a, "zip", "encryption",
		    "zipcrypt"), ARCHIVE_OK);
		assert_int_equal(archive_write_set_passphrase(a, "secret"),
		    ARCHIVE_OK);
	}
	assert_int_equal(archive_write_open2(a, &out, NULL, mem_write, NULL, NULL),
	    ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		assert_int_equal(e[i].encrypt, e[0].encrypt);
		ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		/* A stored entry of unknown size gets a data descriptor. */
		if (strcmp(kind, "zip-store") != 0)
			archive_entry_set_size(ae, (la_int64_t)e[i].len);
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_entry_set_mtime(ae, MTIME, 0);
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		if (e[i].len > 0)
			assert_int_equal(archive_write_data(a, e[i].data, e[i].len),
			    (la_ssize_t)e[i].len);
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return (unsigned char *)buf_steal(&out, outlen);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

/*
 * Joins zips (without comments) into one, entries in order: how a zip with
 * both encrypted and plain entries is made, since libarchive's writer
 * encrypts all or nothing.
 */
static unsigned char *
zip_join(unsigned char *const *zips, const size_t *lens, size_t n, size_t *outlen)
{
	struct buf	 data, cd;
	unsigned char	 eocd[22], *p;
	size_t		 i, k, count = 0;
	uint32_t	 base, cd_off, cd_size, off;

	buf_init(&data, SIZE_MAX - 1);
	buf_init(&cd, SIZE_MAX - 1);
	for (i = 0; i < n; i++) {
		p = zips[i] + lens[i] - 22;
		assert_int_equal(le32(p), 0x06054b50);
		cd_size = le32(p + 12);
		cd_off = le32(p + 16);
		base = (uint32_t)data.len;
		buf_append(&data, zips[i], cd_off);
		for (k = cd_off; k < (size_t)cd_off + cd_size; ) {
			size_t	start = cd.len, rec;

			p = zips[i] + k;
			assert_int_equal(le32(p), 0x02014b50);
			rec = 46 + (size_t)le16(p + 28) + le16(p + 30) + le16(p + 32);
			buf_append(&cd, p, rec);
			off = le32(p + 42);
			put_le32((unsigned char *)cd.data + start + 42, off + base);
			k += rec;
			count++;
		}
	}
	memset(eocd, 0, sizeof eocd);
	put_le32(eocd, 0x06054b50);
	put_le16(eocd + 8, (uint16_t)count);
	put_le16(eocd + 10, (uint16_t)count);
	put_le32(eocd + 12, (uint32_t)cd.len);
	put_le32(eocd + 16, (uint32_t)data.len);
	buf_append(&data, cd.data, cd.len);
	buf_append(&data, eocd, sizeof eocd);
	buf_free(&cd);
	return (unsigned char *)buf_steal(&data, outlen);
}

static char *
archive_file(void **state, const char *name, const char *kind,
    const struct wentry *e, size_t n)
{
	char		*path = tmp_path(state, name);
	unsigned char	*data;
	size_t		 len;

	data = archive_build(kind, e, n, &len);
	file_write(path, data, len);
	free(data);
	return path;
}

static const unsigned char *
find_bytes(const unsigned char *hay, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return hay + i;
	return NULL;
}

/* ---------------------------------------------------------------- recording callback */

struct rec {
	char		*path;
	const char	*kind;
	size_t		 len;
	int		 depth;
	int64_t		 mtime;
	char		 sha[65];	/* as bundle_read reported it */
	char		 own_sha[65];	/* computed here from the data */
	char		*text;		/* the data, NUL-terminated */
};

struct recorder {
	struct rec	*v;
	size_t		 n, cap;
	struct piece_taker *taker;	/* run_pieces()'s */
};

/* Good enough for the ASCII fixtures: UTF-16LE with a BOM to bytes. */
static char *
decode_for_sniff(const unsigned char *p, size_t len, size_t *outlen)
{
	char	*s;
	size_t	 i, n = 0;

	if (len >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		s = xmalloc(len / 2 + 1);
		for (i = 2; i + 1 < len; i += 2)
			s[n++] = (char)p[i];
		s[n] = '\0';
		*outlen = n;
		return s;
	}
	*outlen = len;
	return xstrndup((const char *)p, len);
}

static const char *
record_entry(void *ctx, const struct bundle_entry *be)
{
	struct recorder	*r = ctx;
	struct rec	*x;
	const char	*kind;
	char		*text;
	size_t		 tlen;

	r->v = xreallocarray_grow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	x->path = xstrdup(be->path);
	x->len = be->len;
	x->depth = be->depth;
	x->mtime = be->mtime;
	snprintf(x->sha, sizeof x->sha, "%s", be->sha256);
	sha256_hex(be->data, be->len, x->own_sha);
	x->text = xstrndup((const char *)be->data, be->len);

	kind = format_sniff_bytes(be->data, be->len);
	if (kind == NULL) {
		text = decode_for_sniff(be->data, be->len, &tlen);
		kind = format_sniff_text(text, tlen);
		free(text);
	}
	x->kind = kind;
	return x->kind;
}

static void
recorder_free(struct recorder *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].path);
		free(r->v[i].text);
	}
	free(r->v);
}

static const struct rec *
rec_find(const struct recorder *r, const char *path)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].path, path) == 0)
			return &r->v[i];
	return NULL;
}

static const struct manifest_entry *
manifest_find(const struct evidence *ev, const char *path)
{
	size_t	i;

	for (i = 0; i < ev->nentries; i++)
		if (strcmp(ev->entries[i].path, path) == 0)
			return &ev->entries[i];
	return NULL;
}

/*
 * An entry that was not read: in the manifest with that status, a reason
 * holding `needle`, and no hash.
 */
static void
assert_unread(const struct evidence *ev, const char *path,
    enum entry_status st, const char *needle)
{
	const struct manifest_entry	*m = manifest_find(ev, path);

	assert_non_null(m);
	assert_int_equal(m->status, st);
	assert_non_null(m->why);
	if (needle != NULL)
		assert_non_null(strstr(m->why, needle));
	assert_string_equal(m->sha256, "");
}

/* The first diagnostic whose source is `source` and message holds `needle`. */
static const struct diag *
diag_find(const struct evidence *ev, const char *source, const char *needle)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++) {
		const struct diag	*d = &ev->diags.v[i];

		if (source != NULL && (d->source == NULL ||
		    strcmp(d->source, source) != 0))
			continue;
		if (needle == NULL || strstr(d->message, needle) != NULL)
			return d;
	}
	return NULL;
}

static void
print_diags(const struct evidence *ev)
{
	size_t	i;

	for (i = 0; i < ev->diags.n; i++)
		print_message("# diag %s: %s: %s\n",
		    diag_level_name(ev->diags.v[i].level),
		    ev->diags.v[i].source ? ev->diags.v[i].source : "-",
		    ev->diags.v[i].message);
}

static long
run(const char *const *inputs, size_t n, const struct bundle_limits *lim,
    struct recorder *r, struct evidence *ev)
{
	long	got;

	memset(r, 0, sizeof *r);
	evidence_init(ev);
	got = bundle_read(inputs, n, lim, record_entry, r, ev);
	print_diags(ev);
	return got;
}

/* ---------------------------------------------------------------- sniff tests */

static X509 *
make_cert(void)
{
	EVP_PKEY	*key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509		*x = X509_new();
	X509_NAME	*name;

	assert_non_null(key);
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"mail.contoso.com", -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509_set_pubkey(x, key);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	EVP_PKEY_free(key);
	return x;
}

static void
test_sniff_bytes_archives(void **state)
{
	unsigned char	tar[1024], gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0 };
	unsigned char	xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00, 0x00, 0x04 };
	unsigned char	empty_zip[22] = { 'P', 'K', 5, 6 };
	unsigned char	*zip;
	size_t		 len;
	struct wentry	 e = { "a.txt", "hello", 5, 0 };

	(void)state;
	zip = archive_build("zip", &e, 1, &len);
	assert_string_equal(format_sniff_bytes(zip, len), "archive");
	free(zip);
	zip = archive_build("tar.gz", &e, 1, &len);
	assert_string_equal(format_sniff_bytes(zip, len), "archive");
	free(zip);
	assert_string_equal(format_sniff_bytes(empty_zip, sizeof empty_zip), "archive");
	assert_string_equal(format_sniff_bytes(gz, sizeof gz), "archive");
	assert_string_equal(format_sniff_bytes((const unsigned char *)"BZh91AY&SY", 10),
	    "archive");
	assert_string_equal(format_sniff_bytes(xz, sizeof xz), "archive");
	memset(tar, 0, sizeof tar);
	memcpy(tar, "Logs/SEND.LOG", 13);
	memcpy(tar + 257, "ustar\00000", 8);
	assert_string_equal(format_sniff_bytes(tar, sizeof tar), "archive");
	/* Text that merely mentions the magic is not an archive. */
	assert_null(format_sniff_bytes((const unsigned char *)"PK is a zip", 11));
	assert_null(format_sniff_bytes((const unsigned char *)"BZh is bzip2", 12));
}

/* Whether a sniffed kind (NULL: undecided) is this one. */
static bool
same_kind(const char *kind, const char *want)
{
	return kind != NULL && strcmp(kind, want) == 0;
}

static void
test_sniff_bytes_der(void **state)
{
	X509		*x = make_cert();
	unsigned char	*der = NULL, *padded, p7[64];
	int		 n;

	(void)state;
	n = i2d_X509(x, &der);
	assert_true(n > 100);
	assert_string_equal(format_sniff_bytes(der, (size_t)n), "x509-der");
	/* A .cer file saved with a trailing newline is still a certificate. */
	padded = xmalloc((size_t)n + 2);
	memcpy(padded, der, (size_t)n);
	memcpy(padded + n, "\r\n", 2);
	assert_string_equal(format_sniff_bytes(padded, (size_t)n + 2), "x509-der");
	/* Truncated: the declared length no longer fits. */
	assert_false(same_kind(format_sniff_bytes(der, (size_t)n / 2), "x509-der"));
	free(padded);
	OPENSSL_free(der);
	X509_free(x);

	/* PKCS#7 (.p7b): SEQUENCE then an OID, not a certificate. */
	memset(p7, 0, sizeof p7);
	p7[0] = 0x30;
	p7[1] = 0x82;
	p7[2] = 0x00;
	p7[3] = 60;
	p7[4] = 0x06;
	p7[5] = 0x09;
	assert_false(same_kind(format_sniff_bytes(p7, sizeof p7), "x509-der"));
}

static void
test_sniff_bytes_text_and_binary(void **state)
{
	unsigned char	*u16, be[64], *bin, ascii_nul[4096];
	size_t		 len, i;
	const char	*s = "Thumbprint : 6F029E0D20605DB27016B787C4503FD0002C0A11\r\n";

	(void)state;
	/* UTF-16LE with BOM: half NULs, yet text for the decoder. */
	u16 = utf16le(fl_text, &len);
	assert_null(format_sniff_bytes(u16, len));
	/* Without the BOM, the ASCII/NUL pattern still says text. */
	assert_null(format_sniff_bytes(u16 + 2, len - 2));
	free(u16);
	/* UTF-16BE with BOM. */
	be[0] = 0xfe;
	be[1] = 0xff;
	for (i = 0; i < 31; i++) {
		be[2 + 2 * i] = 0;
		be[3 + 2 * i] = (unsigned char)s[i];
	}
	assert_null(format_sniff_bytes(be, sizeof be));
	assert_null(format_sniff_bytes((const unsigned char *)s, strlen(s)));
	assert_null(format_sniff_bytes((const unsigned char *)"\357\273\277Name : x\r\n",
	    14));
	assert_null(format_sniff_bytes(NULL, 0));
	assert_null(format_sniff_bytes((const unsigned char *)"", 0));

	/* Random bytes, an executable-like blob. */
	bin = noise(4096, 7);
	bin[0] = 'M';
	bin[1] = 'Z';
	assert_string_equal(format_sniff_bytes(bin, 4096), "binary");
	free(bin);
	/* Control bytes without NULs (a packed format) are binary too. */
	bin = xmalloc(1000);
	for (i = 0; i < 1000; i++)
		bin[i] = (unsigned char)(i % 3 == 0 ? 0x01 + i % 7 : 'a');
	assert_string_equal(format_sniff_bytes(bin, 1000), "binary");
	free(bin);
	/* One stray NUL in a page of text does not make it binary. */
	memset(ascii_nul, 'a', sizeof ascii_nul);
	ascii_nul[100] = 0;
	assert_null(format_sniff_bytes(ascii_nul, sizeof ascii_nul));
}

static const char *
sniff_str(const char *s)
{
	return format_sniff_text(s, strlen(s));
}

static void
test_sniff_text_kinds(void **state)
{
	X509		*x = make_cert();
	BIO		*bio = BIO_new(BIO_s_mem());
	char		*pem, *with_blank, *with_bag, *fl_then_error, *big;
	long		 n;

	(void)state;
	assert_true(PEM_write_bio_X509(bio, x) == 1);
	n = BIO_get_mem_data(bio, &pem);
	pem = xstrndup(pem, (size_t)n);
	assert_string_equal(sniff_str(pem), "x509-pem");
	with_blank = xasprintf("\r\n\r\n   %s", pem);
	assert_string_equal(sniff_str(with_blank), "x509-pem");
	with_bag = xasprintf("Bag Attributes\n    friendlyName: mail\n"
	    "subject=CN = mail.contoso.com\n%s", pem);
	assert_string_equal(sniff_str(with_bag), "x509-pem");
	free(with_bag);
	free(with_blank);
	free(pem);
	BIO_free(bio);
	X509_free(x);

	assert_string_equal(sniff_str(protolog_text), "protocol-log");
	/* Only the #Fields line: still a protocol log. */
	assert_string_equal(sniff_str(protolog_text + 38), "protocol-log");
	assert_string_equal(sniff_str(clixml_text), "clixml");
	/* <Objs without the PowerShell namespace is some other XML. */
	assert_string_equal(sniff_str("<Objs><Obj/></Objs>\n"), "text");
	assert_string_equal(sniff_str(transcript_text), "transcript");
	assert_string_equal(sniff_str(fl_text), "format-list");
	/* A dump that is mostly records stays Format-List despite the error. */
	fl_then_error = xasprintf("%s%s%s", fl_text, fl_text, transcript_text);
	assert_string_equal(sniff_str(fl_then_error), "format-list");
	free(fl_then_error);
	/* An error message alone (no transcript header) is a transcript. */
	assert_string_equal(sniff_str("Identity : EX01\\Outbound\r\nName     : Outbound\r\n"
	    "A special Rpc error occurs on server EX01: These certificates are "
	    "tagged with following Send Connectors : Outbound.\r\n"
	    "At line:1 char:1\r\n+ Remove-ExchangeCertificate -Thumbprint X\r\n"),
	    "transcript");
	assert_string_equal(sniff_str("#TYPE Microsoft.Exchange.Data.Directory."
	    "Management.ExchangeCertificate\r\n\"Thumbprint\",\"Subject\"\r\n"),
	    "csv");
	assert_string_equal(sniff_str("\"Thumbprint\",\"Subject\",\"NotAfter\"\r\n"
	    "\"6F02\",\"CN=mail.contoso.com, O=\"\"Contoso, Ltd.\"\"\",\"x\"\r\n"),
	    "csv");
	assert_string_equal(sniff_str("\"just a quoted sentence\"\r\n"), "text");
	assert_string_equal(sniff_str("[\r\n  {\"Thumbprint\": \"6F02\", \"Services\": 27}\r\n]"),
	    "json");
	assert_string_equal(sniff_str("  {\"Name\": \"Outbound\"}"), "json");
	assert_string_equal(sniff_str("[]"), "json");
	assert_string_equal(sniff_str("[2026-11-10 08:00:01] service started\n"), "text");
	assert_string_equal(sniff_str("[PS] C:\\>Get-Queue\r\n"), "text");
	/* Colons without the Format-List spacing are just text. */
	assert_string_equal(sniff_str("Subject: hello\r\nDate: today\r\nsome notes\r\n"),
	    "text");
	/* One fl-like line is not enough. */
	assert_string_equal(sniff_str("notes\r\nName : x\r\nmore notes\r\n"), "text");
	assert_string_equal(sniff_str(""), "text");
	assert_string_equal(sniff_str("\r\n \r\n"), "text");
	assert_null(format_sniff_text(NULL, 0));
	assert_string_equal(sniff_str("\001\002\003\004\005\006\007\010abc"), "binary");

	/* A long text without any known mark. */
	big = xmalloc(100000);
	memset(big, 'x', 99999);
	big[99999] = '\0';
	assert_string_equal(sniff_str(big), "text");
	free(big);
}

/* The manifest's kind names are a contract (findings.json "kind"). */
static void
test_entry_kind_names(void **state)
{
	static const char *const want[] = { "x509-der", "x509-pem",
	    "protocol-log", "clixml", "format-list", "transcript", "csv",
	    "json", "text" };
	size_t	i, j;

	(void)state;
	assert_string_equal(BUNDLE_KIND_UNKNOWN, "unknown");
	assert_string_equal(BUNDLE_KIND_ARCHIVE, "archive");
	assert_string_equal(SNIFF_KIND_BINARY, "binary");
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		for (j = 0; j < nformats; j++)
			if (strcmp(formats[j]->name, want[i]) == 0)
				break;
		assert_true(j < nformats);
	}
}

/* ---------------------------------------------------------------- bundle tests */

/*
 * case.zip
 *   certs.txt                      (UTF-16LE Format-List)
 *   Logs/SmtpSend/SEND2026.LOG     (protocol log)
 *   EX01-1110.zip
 *     Hub_Send_Protocol_Logs.zip
 *       SEND2026110312-1.LOG
 *       deeper.zip
 *         deep.txt
 */
static char *
nested_case(void **state, unsigned char **u16, size_t *u16len)
{
	unsigned char	*deeper, *hub, *ex01;
	size_t		 deeper_len, hub_len, ex01_len;
	char		*path;
	struct wentry	 d[] = { { "deep.txt", "at the bottom\n", 14, 0 } };
	struct wentry	 h[2], x[1], c[3];

	deeper = archive_build("zip", d, 1, &deeper_len);
	h[0] = (struct wentry){ "SEND2026110312-1.LOG", protolog_text,
	    sizeof protolog_text - 1, 0 };
	h[1] = (struct wentry){ "deeper.zip", deeper, deeper_len, 0 };
	hub = archive_build("zip", h, 2, &hub_len);
	x[0] = (struct wentry){ "Hub_Send_Protocol_Logs.zip", hub, hub_len, 0 };
	ex01 = archive_build("zip", x, 1, &ex01_len);
	*u16 = utf16le(fl_text, u16len);
	c[0] = (struct wentry){ "certs.txt", *u16, *u16len, 0 };
	c[1] = (struct wentry){ ".\\Logs\\SmtpSend\\SEND2026.LOG", protolog_text,
	    sizeof protolog_text - 1, 0 };
	c[2] = (struct wentry){ "EX01-1110.zip", ex01, ex01_len, 0 };
	path = archive_file(state, "case.zip", "zip", c, 3);
	free(deeper);
	free(hub);
	free(ex01);
	return path;
}

static void
test_bundle_nested_zip(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	unsigned char		*u16, *file;
	size_t			 u16len, flen;
	char			*path = nested_case(state, &u16, &u16len);
	const char		*inputs[] = { path };
	const struct rec	*x;
	const struct manifest_entry *m;
	char			 want[65];
	long			 got;

	got = run(inputs, 1, NULL, &r, &ev);
	assert_int_equal(got, 4);
	assert_int_equal(r.n, 4);
	/* Archive order; paths relative to the single input. */
	assert_string_equal(r.v[0].path, "certs.txt");
	assert_string_equal(r.v[1].path, "Logs/SmtpSend/SEND2026.LOG");
	assert_string_equal(r.v[2].path,
	    "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/SEND2026110312-1.LOG");
	assert_string_equal(r.v[3].path,
	    "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/deeper.zip/deep.txt");
	assert_int_equal(r.v[0].depth, 1);
	assert_int_equal(r.v[2].depth, 3);
	assert_int_equal(r.v[3].depth, 4);

	/* The UTF-16 dump arrives byte for byte and sniffs as Format-List. */
	x = rec_find(&r, "certs.txt");
	assert_int_equal(x->len, u16len);
	assert_memory_equal(x->text, u16, u16len);
	assert_string_equal(x->kind, "format-list");
	assert_string_equal(rec_find(&r, "Logs/SmtpSend/SEND2026.LOG")->kind,
	    "protocol-log");
	assert_int_equal(x->mtime, MTIME);

	/* Hashes, checked against OpenSSL directly. */
	sha256_hex(u16, u16len, want);
	assert_string_equal(x->sha, want);
	m = manifest_find(&ev, "certs.txt");
	assert_non_null(m);
	assert_string_equal(m->sha256, want);
	assert_int_equal(m->bytes, u16len);
	assert_string_equal(m->kind, "format-list");
	assert_int_equal(m->mtime, MTIME);
	sha256_hex(protolog_text, sizeof protolog_text - 1, want);
	assert_string_equal(manifest_find(&ev,
	    "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/SEND2026110312-1.LOG")->sha256,
	    want);
	for (size_t i = 0; i < r.n; i++)
		assert_string_equal(r.v[i].sha, r.v[i].own_sha);

	/* Nested archives are in the manifest too. */
	m = manifest_find(&ev, "EX01-1110.zip");
	assert_non_null(m);
	assert_string_equal(m->kind, "archive");
	assert_non_null(manifest_find(&ev, "EX01-1110.zip/Hub_Send_Protocol_Logs.zip"));
	assert_string_equal(manifest_find(&ev,
	    "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/deeper.zip")->kind, "archive");
	assert_int_equal(ev.nentries, 7);

	/* The input itself: its name and the hash of the file. */
	assert_int_equal(ev.ninputs, 1);
	assert_string_equal(ev.inputs[0].path, "case.zip");
	file = file_read(path, &flen);
	sha256_hex(file, flen, want);
	assert_string_equal(ev.inputs[0].sha256, want);
	assert_int_equal(ev.inputs[0].bytes, flen);
	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING) +
	    diag_count(&ev.diags, DIAG_ERROR), 0);

	free(file);
	free(u16);
	free(path);
	recorder_free(&r);
	evidence_free(&ev);
}

/*
 * A reader that takes the .LOG entries whole and hashes them itself, as the
 * protocol log queue does: their hashes in the order they came, the spare
 * buffers it gave the walk, and whether the walk ever handed an entry over
 * with a hash already made.
 */
struct taker {
	char	 shas[8][65];
	size_t	 n;
	int	 hashed_by_walk;
	int	 not_taken;
};

static const char *
take_logs(void *ctx, const struct bundle_entry *be)
{
	struct taker	*t = ctx;
	const char	*dot = strrchr(be->path, '.');
	unsigned char	*data, *spare;
	size_t		 cap = 0;

	if (be->sha256 != NULL)
		t->hashed_by_walk++;
	if (dot == NULL || strcmp(dot, ".LOG") != 0 || t->n == 8)
		return NULL;
	/* Not promised yet: the walk keeps what it must hash. */
	spare = xmalloc(64);
	assert_null(bundle_entry_take(be, spare, 64, &cap));
	bundle_entry_hash_later(be);
	data = bundle_entry_take(be, spare, 64, &cap);
	if (data == NULL) {
		free(spare);
		t->not_taken++;
		return NULL;
	}
	assert_ptr_equal(data, be->data);
	assert_true(cap > be->len);
	/* Once only. */
	assert_null(bundle_entry_take(be, NULL, 0, &cap));
	sha256_hex(data, be->len, t->shas[t->n++]);
	memset(data, 'x', be->len);	/* ours now: the walk must not read it */
	free(data);
	return "protocol-log";
}

static void
test_bundle_hash_later(void **state)
{
	struct recorder		 r;
	struct evidence		 ev, plain;
	struct taker		 t;
	unsigned char		*u16;
	size_t			 u16len, i, pending = 0;
	char			*path = nested_case(state, &u16, &u16len);
	const char		*inputs[] = { path };
	long			 got;

	memset(&t, 0, sizeof t);
	evidence_init(&ev);
	got = bundle_read_flags(inputs, 1, NULL, take_logs, &t, &ev,
	    BUNDLE_HASH_LATER);
	assert_int_equal(got, 4);
	/* Every entry out of an archive came unhashed; both logs were taken. */
	assert_int_equal(t.hashed_by_walk, 0);
	assert_int_equal(t.not_taken, 0);
	assert_int_equal(t.n, 2);
	for (i = 0; i < ev.nentries; i++)
		if (ev.entries[i].sha256_pending) {
			assert_string_equal(ev.entries[i].sha256, "");
			pending++;
		}
	assert_int_equal(pending, 2);
	assert_int_equal(evidence_entry_hashes_fill(&ev,
	    (const char (*)[65])t.shas, t.n), 2);

	/* The manifest is the one the walk makes hashing everything itself. */
	got = run(inputs, 1, NULL, &r, &plain);
	assert_int_equal(got, 4);
	assert_int_equal(ev.nentries, plain.nentries);
	for (i = 0; i < ev.nentries; i++) {
		assert_string_equal(ev.entries[i].path, plain.entries[i].path);
		assert_string_equal(ev.entries[i].sha256, plain.entries[i].sha256);
		assert_false(ev.entries[i].sha256_pending);
	}
	recorder_free(&r);
	evidence_free(&plain);
	evidence_free(&ev);
	free(u16);
	free(path);
}

static void
test_bundle_depth_limit(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct bundle_limits	 lim;
	unsigned char		*u16;
	size_t			 u16len;
	char			*path = nested_case(state, &u16, &u16len);
	const char		*inputs[] = { path };
	const struct diag	*d;

	bundle_limits_default(&lim);
	lim.max_depth = 2;
	assert_int_equal(run(inputs, 1, &lim, &r, &ev), 3);
	assert_null(rec_find(&r,
	    "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/deeper.zip/deep.txt"));
	assert_non_null(rec_find(&r,
	    "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/SEND2026110312-1.LOG"));
	d = diag_find(&ev, "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/deeper.zip",
	    "--max-depth");
	assert_non_null(d);
	assert_int_equal(d->level, DIAG_WARNING);
	/* Recorded, though not opened. */
	assert_non_null(manifest_find(&ev,
	    "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/deeper.zip"));
	recorder_free(&r);
	evidence_free(&ev);

	/* Depth 0: the given zip is read, nothing nested in it is opened. */
	lim.max_depth = 0;
	assert_int_equal(run(inputs, 1, &lim, &r, &ev), 2);
	assert_non_null(diag_find(&ev, "EX01-1110.zip", "--max-depth"));
	recorder_free(&r);
	evidence_free(&ev);
	free(u16);
	free(path);
}

static void
test_bundle_directory(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct timespec		 ts[2] = { { MTIME, 0 }, { MTIME, 0 } };
	struct wentry		 z = { "x.txt", "inside\n", 7, 0 };
	char			*dir = tmp_path(state, "EX01"), *p, *zip;
	const char		*inputs[] = { dir };
	unsigned char		*file;
	size_t			 flen;
	char			 want[65];

	assert_int_equal(mkdir(dir, 0755), 0);
	p = xasprintf("%s/b.txt", dir);
	file_write(p, "bee\n", 4);
	free(p);
	p = xasprintf("%s/a.txt", dir);
	file_write(p, fl_text, sizeof fl_text - 1);
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	free(p);
	p = xasprintf("%s/Z.txt", dir);
	file_write(p, "upper\n", 6);
	free(p);
	p = xasprintf("%s/sub", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/sub/c.txt", dir);
	file_write(p, "sea\n", 4);
	free(p);
	p = xasprintf("%s/link.txt", dir);
	assert_int_equal(symlink("a.txt", p), 0);
	free(p);
	zip = archive_file(state, "EX01/inner.zip", "zip", &z, 1);

	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 5);
	/* Byte order of names; the symbolic link is not followed. */
	assert_string_equal(r.v[0].path, "Z.txt");
	assert_string_equal(r.v[1].path, "a.txt");
	assert_string_equal(r.v[2].path, "b.txt");
	assert_string_equal(r.v[3].path, "inner.zip/x.txt");
	assert_string_equal(r.v[4].path, "sub/c.txt");
	assert_int_equal(r.v[1].depth, 0);
	assert_int_equal(r.v[3].depth, 1);
	assert_string_equal(r.v[1].kind, "format-list");
	assert_int_equal(r.v[1].mtime, MTIME);
	assert_null(rec_find(&r, "link.txt"));
	assert_non_null(diag_find(&ev, "link.txt", "symbolic link"));
	sha256_hex(fl_text, sizeof fl_text - 1, want);
	assert_string_equal(manifest_find(&ev, "a.txt")->sha256, want);
	/*
	 * The callback sees the file's time, but the manifest does not keep it:
	 * a time on disk is when the bundle was copied, not collected, and must
	 * not become the as-of time.
	 */
	assert_int_equal(manifest_find(&ev, "a.txt")->mtime, TIME_UNKNOWN);
	assert_int_equal(manifest_find(&ev, "inner.zip/x.txt")->mtime, MTIME);
	assert_int_equal(ev.newest_entry_time, MTIME);
	assert_string_equal(manifest_find(&ev, "inner.zip")->kind, "archive");
	/* An archive in a directory is hashed beside its walk, whole. */
	file = file_read(zip, &flen);
	sha256_hex(file, flen, want);
	assert_string_equal(manifest_find(&ev, "inner.zip")->sha256, want);
	assert_int_equal(manifest_find(&ev, "inner.zip")->bytes, flen);
	free(file);
	/* A directory input has no hash of its own. */
	assert_int_equal(ev.ninputs, 1);
	assert_string_equal(ev.inputs[0].path, "EX01");
	assert_string_equal(ev.inputs[0].sha256, "");

	recorder_free(&r);
	evidence_free(&ev);
	free(zip);
	free(dir);
}

static void
test_bundle_several_inputs(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct wentry		 e1 = { "certs.txt", fl_text, sizeof fl_text - 1, 0 };
	struct wentry		 e2 = { "certs.txt", "EX02 certs\n", 11, 0 };
	char			*zip1 = archive_file(state, "EX01.zip", "zip", &e1, 1);
	char			*zip2 = archive_file(state, "EX02.zip", "zip", &e2, 1);
	char			*plain = tmp_path(state, "notes.txt");
	char			*dir = tmp_path(state, "extra"), *q, *sub, *dup;
	const char		*inputs[5];
	unsigned char		*file;
	size_t			 flen;
	char			 want[65];

	file_write(plain, transcript_text, sizeof transcript_text - 1);
	assert_int_equal(mkdir(dir, 0755), 0);
	q = xasprintf("%s/q.txt", dir);
	file_write(q, "queue\n", 6);
	/* Another EX01.zip elsewhere: same base name, different content. */
	sub = tmp_path(state, "other");
	assert_int_equal(mkdir(sub, 0755), 0);
	free(sub);
	dup = archive_file(state, "other/EX01.zip", "zip", &e2, 1);

	inputs[0] = zip1;
	inputs[1] = zip2;
	inputs[2] = plain;
	inputs[3] = dir;
	inputs[4] = dup;
	assert_int_equal(run(inputs, 5, NULL, &r, &ev), 5);
	assert_string_equal(r.v[0].path, "EX01.zip/certs.txt");
	assert_string_equal(r.v[1].path, "EX02.zip/certs.txt");
	assert_string_equal(r.v[2].path, "notes.txt");
	assert_string_equal(r.v[3].path, "extra/q.txt");
	/* The second EX01.zip keeps its entries apart from the first's. */
	assert_string_not_equal(r.v[4].path, "EX01.zip/certs.txt");
	assert_non_null(strstr(r.v[4].path, "other/EX01.zip/certs.txt"));
	assert_string_equal(r.v[2].kind, "transcript");
	assert_int_equal(r.v[2].depth, 0);
	assert_string_equal(r.v[1].text, "EX02 certs\n");

	assert_int_equal(ev.ninputs, 5);
	assert_string_equal(ev.inputs[0].path, "EX01.zip");
	assert_string_equal(ev.inputs[1].path, "EX02.zip");
	assert_string_equal(ev.inputs[2].path, "notes.txt");
	assert_string_equal(ev.inputs[3].path, "extra");
	assert_string_not_equal(ev.inputs[4].path, "EX01.zip");
	file = file_read(zip2, &flen);
	sha256_hex(file, flen, want);
	assert_string_equal(ev.inputs[1].sha256, want);
	free(file);
	/* A plain file given directly is both an input and an entry. */
	sha256_hex(transcript_text, sizeof transcript_text - 1, want);
	assert_string_equal(ev.inputs[2].sha256, want);
	assert_int_equal(ev.inputs[2].bytes, sizeof transcript_text - 1);
	assert_string_equal(manifest_find(&ev, "notes.txt")->sha256, want);
	assert_string_equal(manifest_find(&ev, "notes.txt")->kind, "transcript");

	recorder_free(&r);
	evidence_free(&ev);
	free(zip1);
	free(zip2);
	free(plain);
	free(q);
	free(dir);
	free(dup);
}

static void
test_bundle_single_file_and_tarball(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct wentry		 t[] = {
		{ "./Logs/SEND2026.LOG", protolog_text, sizeof protolog_text - 1, 0 },
		{ "/abs\\win\\certs.txt", fl_text, sizeof fl_text - 1, 0 },
	};
	struct wentry		 g = { "data", protolog_text, sizeof protolog_text - 1, 0 };
	struct wentry		 z[2];
	char			*plain = tmp_path(state, "certs.txt");
	char			*tgz = archive_file(state, "bundle.tgz", "tar.gz", t, 2);
	char			*gz = archive_file(state, "SEND2026.LOG.gz", "gz", &g, 1);
	char			*zip;
	unsigned char		*gzdata;
	size_t			 gzlen;
	const char		*inputs[1];

	file_write(plain, fl_text, sizeof fl_text - 1);
	inputs[0] = plain;
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 1);
	assert_string_equal(r.v[0].path, "certs.txt");
	assert_int_equal(r.v[0].len, sizeof fl_text - 1);
	assert_int_equal(ev.ninputs, 1);
	recorder_free(&r);
	evidence_free(&ev);

	inputs[0] = tgz;
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 2);
	assert_string_equal(r.v[0].path, "Logs/SEND2026.LOG");
	assert_string_equal(r.v[1].path, "abs/win/certs.txt");
	assert_string_equal(r.v[1].kind, "format-list");
	assert_int_equal(r.v[1].mtime, MTIME);
	recorder_free(&r);
	evidence_free(&ev);

	/* A lone .gz is read raw; its content is named without ".gz". */
	inputs[0] = gz;
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 1);
	assert_string_equal(r.v[0].path, "SEND2026.LOG");
	assert_string_equal(r.v[0].text, protolog_text);
	assert_string_equal(r.v[0].kind, "protocol-log");
	recorder_free(&r);
	evidence_free(&ev);

	/* The same .gz nested in a zip. */
	gzdata = file_read(gz, &gzlen);
	z[0] = (struct wentry){ "Logs/SEND2026.LOG.gz", gzdata, gzlen, 0 };
	z[1] = (struct wentry){ "after.txt", "after\n", 6, 0 };
	zip = archive_file(state, "withgz.zip", "zip", z, 2);
	inputs[0] = zip;
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 2);
	assert_string_equal(r.v[0].path, "Logs/SEND2026.LOG.gz/SEND2026.LOG");
	assert_string_equal(r.v[0].text, protolog_text);
	assert_string_equal(r.v[1].path, "after.txt");
	assert_string_equal(manifest_find(&ev, "Logs/SEND2026.LOG.gz")->kind, "archive");
	recorder_free(&r);
	evidence_free(&ev);

	free(gzdata);
	free(zip);
	free(plain);
	free(tgz);
	free(gz);
}

static char *
bomb_zip(void **state, const char *name)
{
	size_t		 n = 20u * 1024 * 1024;
	unsigned char	*zeros = xcalloc(1, n);
	struct wentry	 e[] = {
		{ "bomb.bin", zeros, n, 0 },
		{ "after.txt", "still here\n", 11, 0 },
	};
	char		*path = archive_file(state, name, "zip", e, 2);

	free(zeros);
	return path;
}

static void
test_bundle_bomb_entry_limit(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct bundle_limits	 lim;
	char			*path = bomb_zip(state, "bomb.zip");
	const char		*inputs[] = { path };
	struct stat		 st;

	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size < 1024 * 1024);	/* it is a bomb */
	bundle_limits_default(&lim);
	lim.max_entry_bytes = 1024 * 1024;
	lim.max_ratio = 0;
	assert_int_equal(run(inputs, 1, &lim, &r, &ev), 1);
	assert_string_equal(r.v[0].path, "after.txt");
	assert_non_null(diag_find(&ev, "bomb.bin", "--max-entry-bytes"));
	assert_unread(&ev, "bomb.bin", MANIFEST_SKIPPED, "--max-entry-bytes");
	assert_int_equal(evidence_skipped_count(&ev), 1);
	recorder_free(&r);
	evidence_free(&ev);
	free(path);
}

static void
test_bundle_bomb_ratio_and_total(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct bundle_limits	 lim;
	struct wentry		 e = { "x.txt", "other input\n", 12, 0 };
	char			*bomb = bomb_zip(state, "bomb.zip");
	char			*other = archive_file(state, "other.zip", "zip", &e, 1);
	const char		*inputs[] = { bomb, other };
	const struct diag	*d;

	/*
	 * The default ratio (200) catches 20 MiB of zeros in a few KiB once
	 * past the grace size; only that entry is skipped, the rest of its
	 * archive and the next input are read.
	 */
	assert_int_equal(run(inputs, 2, NULL, &r, &ev), 2);
	d = diag_find(&ev, "bomb.zip/bomb.bin", "--max-ratio");
	assert_non_null(d);
	assert_non_null(strstr(d->message, "zip bomb"));
	assert_unread(&ev, "bomb.zip/bomb.bin", MANIFEST_SKIPPED, "--ratio-grace");
	assert_non_null(rec_find(&r, "bomb.zip/after.txt"));
	assert_non_null(rec_find(&r, "other.zip/x.txt"));
	assert_int_equal(evidence_skipped_count(&ev), 1);
	recorder_free(&r);
	evidence_free(&ev);

	/* Within the grace size, the ratio does not matter. */
	bundle_limits_default(&lim);
	lim.ratio_grace = 32u * 1024 * 1024;
	assert_int_equal(run(inputs, 2, &lim, &r, &ev), 3);
	assert_int_equal(rec_find(&r, "bomb.zip/bomb.bin")->len, 20u * 1024 * 1024);
	assert_int_equal(evidence_skipped_count(&ev), 0);
	recorder_free(&r);
	evidence_free(&ev);

	/* Ratio off: the total limit trips instead. */
	bundle_limits_default(&lim);
	lim.max_ratio = 0;
	lim.max_total_bytes = 2 * 1024 * 1024;
	assert_int_equal(run(inputs, 2, &lim, &r, &ev), 0);
	assert_non_null(diag_find(&ev, "bomb.zip/bomb.bin", "--max-total-bytes"));
	assert_null(rec_find(&r, "bomb.zip/after.txt"));
	/* The case-wide limit: the rest of the archive is not read. */
	assert_unread(&ev, "bomb.zip/(rest not read)", MANIFEST_SKIPPED,
	    "--max-total-bytes");
	/* No headroom left for the second input either, and it says so. */
	assert_non_null(diag_find(&ev, "other.zip/x.txt", "--max-total-bytes"));
	assert_unread(&ev, "other.zip/x.txt", MANIFEST_SKIPPED,
	    "--max-total-bytes");
	recorder_free(&r);
	evidence_free(&ev);

	/* Without limits the whole bomb is read (20 MiB, bounded by us). */
	lim.max_total_bytes = 0;
	assert_int_equal(run(inputs, 2, &lim, &r, &ev), 3);
	assert_int_equal(rec_find(&r, "bomb.zip/bomb.bin")->len, 20u * 1024 * 1024);
	recorder_free(&r);
	evidence_free(&ev);
	free(bomb);
	free(other);
}

static void
test_bundle_entry_count_limit(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct bundle_limits	 lim;
	struct wentry		 e[5] = {
		{ "1.txt", "one\n", 4, 0 }, { "2.txt", "two\n", 4, 0 },
		{ "3.txt", "three\n", 6, 0 }, { "4.txt", "four\n", 5, 0 },
		{ "5.txt", "five\n", 5, 0 },
	};
	char			*zip = archive_file(state, "many.zip", "zip", e, 5);
	char			*plain = tmp_path(state, "late.txt");
	const char		*inputs[] = { zip, plain };

	file_write(plain, "late\n", 5);
	bundle_limits_default(&lim);
	lim.max_entries = 3;
	assert_int_equal(run(inputs, 2, &lim, &r, &ev), 3);
	assert_string_equal(r.v[2].path, "many.zip/3.txt");
	assert_non_null(diag_find(&ev, "many.zip/4.txt", "--max-entries"));
	assert_non_null(diag_find(&ev, "late.txt", "--max-entries"));
	/* The entry at the limit, the rest of its archive, the next input. */
	assert_unread(&ev, "many.zip/4.txt", MANIFEST_SKIPPED, "--max-entries");
	assert_unread(&ev, "many.zip/(rest not read)", MANIFEST_SKIPPED,
	    "--max-entries");
	assert_null(manifest_find(&ev, "many.zip/5.txt"));
	assert_unread(&ev, "late.txt", MANIFEST_SKIPPED, "--max-entries");
	recorder_free(&r);
	evidence_free(&ev);
	free(zip);
	free(plain);
}

static void
test_bundle_truncated_zip(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	unsigned char		*f[4], *zip;
	const unsigned char	*third;
	size_t			 len, i;
	struct wentry		 e[4];
	char			*path = tmp_path(state, "trunc.zip");
	const char		*inputs[] = { path };
	const struct diag	*d;
	static const char *const names[] = { "f1.bin", "f2.bin", "f3.bin", "f4.bin" };

	for (i = 0; i < 4; i++) {
		f[i] = noise(20000, (uint32_t)i + 1);
		e[i] = (struct wentry){ names[i], f[i], 20000, 0 };
	}
	zip = archive_build("zip", e, 4, &len);
	third = find_bytes(zip, len, "f3.bin");
	assert_non_null(third);
	/* Cut in the middle of the third entry's data. */
	file_write(path, zip, (size_t)(third - zip) + 5000);

	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 2);
	assert_string_equal(r.v[0].path, "f1.bin");
	assert_string_equal(r.v[1].path, "f2.bin");
	assert_int_equal(r.v[1].len, 20000);
	assert_memory_equal(r.v[1].text, f[1], 20000);
	d = diag_find(&ev, "trunc.zip", NULL);
	assert_non_null(d);
	assert_int_equal(d->level, DIAG_ERROR);
	assert_non_null(strstr(d->message, "2 entries"));
	assert_unread(&ev, "f3.bin", MANIFEST_DAMAGED, "trunc.zip");
	assert_unread(&ev, "trunc.zip/(rest not read)", MANIFEST_DAMAGED,
	    "the rest is lost");

	recorder_free(&r);
	evidence_free(&ev);
	for (i = 0; i < 4; i++)
		free(f[i]);
	free(zip);
	free(path);
}

static char *
log_lines(int n, const char *tag)
{
	struct buf	b;
	int		i;

	buf_init(&b, SIZE_MAX - 1);
	for (i = 0; i < n; i++)
		buf_appendf(&b, "2026-11-09T22:%02d:04.113Z,%s,08DEAD%010d,%d,,"
		    "10.0.0.5:25,*,,attempting to connect\r\n", i % 60, tag, i, i);
	return buf_steal(&b, NULL);
}

static void
test_bundle_corrupt_entry(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	char			*a = log_lines(400, "A"), *b = log_lines(400, "B");
	char			*c = log_lines(400, "C");
	struct wentry		 e[3] = {
		{ "a.LOG", a, strlen(a), 0 },
		{ "b.LOG", b, strlen(b), 0 },
		{ "c.LOG", c, strlen(c), 0 },
	};
	unsigned char		*zip, *p;
	const unsigned char	*at;
	size_t			 len, i;
	char			*path = tmp_path(state, "corrupt.zip");
	const char		*inputs[] = { path };
	const struct diag	*d;

	zip = archive_build("zip", e, 3, &len);
	at = find_bytes(zip, len, "b.LOG");
	assert_non_null(at);
	/* Damage the deflate stream well inside the second entry's data. */
	p = zip + (at - zip) + 5 + 40;
	for (i = 0; i < 64; i++)
		p[i] ^= 0x5a;
	file_write(path, zip, len);

	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 2);
	assert_string_equal(r.v[0].path, "a.LOG");
	assert_string_equal(r.v[1].path, "c.LOG");
	assert_string_equal(r.v[1].text, c);
	d = diag_find(&ev, "b.LOG", NULL);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "corrupt.zip"));
	assert_unread(&ev, "b.LOG", MANIFEST_DAMAGED, "corrupt.zip");
	assert_int_equal(evidence_skipped_count(&ev), 1);

	recorder_free(&r);
	evidence_free(&ev);
	free(zip);
	free(path);
	free(a);
	free(b);
	free(c);
}

static void
test_bundle_encrypted_entry(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct wentry		 e[3] = {
		{ "plain1.txt", "first\n", 6, 0 },
		{ "secret.txt", fl_text, sizeof fl_text - 1, 1 },
		{ "plain2.txt", "second\n", 7, 0 },
	};
	char			*zip = tmp_path(state, "enc.zip");
	const char		*inputs[] = { zip };
	unsigned char		*raw, *parts[3];
	size_t			 len, lens[3], i;

	for (i = 0; i < 3; i++)
		parts[i] = archive_build("zip", &e[i], 1, &lens[i]);
	raw = zip_join(parts, lens, 3, &len);
	file_write(zip, raw, len);
	free(raw);
	for (i = 0; i < 3; i++)
		free(parts[i]);

	/* The secret really is encrypted: its text is not in the file. */
	raw = file_read(zip, &len);
	assert_null(find_bytes(raw, len, "Thumbprint"));
	free(raw);

	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 2);
	assert_string_equal(r.v[0].path, "plain1.txt");
	assert_string_equal(r.v[1].path, "plain2.txt");
	assert_string_equal(r.v[1].text, "second\n");
	assert_null(rec_find(&r, "secret.txt"));
	assert_non_null(diag_find(&ev, "secret.txt", "encrypted"));
	assert_unread(&ev, "secret.txt", MANIFEST_ENCRYPTED, "passphrase");
	assert_int_equal(manifest_find(&ev, "plain2.txt")->status, MANIFEST_READ);
	assert_null(manifest_find(&ev, "plain2.txt")->why);
	recorder_free(&r);
	evidence_free(&ev);
	free(zip);
}

/* Names that climb out of the archive stay inside it; links are not followed. */
static void
test_bundle_hostile_names(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct wentry		 e[4] = {
		{ "../../etc/cron.d/x.txt", "one\n", 4, 0 },
		{ "EX02/../EX01/y.txt", "two\n", 4, 0 },
		{ "/abs/z.txt", "three\n", 6, 0 },
		{ "C:\\Temp\\..\\w.txt", "four\n", 5, 0 },
	};
	char			*zip = archive_file(state, "names.zip", "zip", e, 4);
	const char		*inputs[] = { zip };
	size_t			 i;

	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 4);
	assert_string_equal(r.v[0].path, "etc/cron.d/x.txt");
	assert_string_equal(r.v[1].path, "EX01/y.txt");
	assert_string_equal(r.v[2].path, "abs/z.txt");
	assert_string_equal(r.v[3].path, "C:/w.txt");
	for (i = 0; i < ev.nentries; i++)
		assert_null(strstr(ev.entries[i].path, ".."));
	recorder_free(&r);
	evidence_free(&ev);
	free(zip);
}

static void
test_bundle_missing_and_bad_inputs(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	char			*plain = tmp_path(state, "ok.txt");
	char			*fake = tmp_path(state, "fake.zip");
	const char		*missing[] = { "/nonexistent/certtrail/nothing.zip" };
	const char		*mixed[] = { "/nonexistent/certtrail/nothing.zip", plain };
	const char		*bad[] = { fake };
	const struct diag	*d;

	file_write(plain, "fine\n", 5);
	assert_int_equal(run(missing, 1, NULL, &r, &ev), -1);
	d = diag_find(&ev, "nothing.zip", NULL);
	assert_non_null(d);
	assert_int_equal(d->level, DIAG_ERROR);
	assert_int_equal(ev.ninputs, 0);
	recorder_free(&r);
	evidence_free(&ev);

	assert_int_equal(run(mixed, 2, NULL, &r, &ev), 1);
	assert_string_equal(r.v[0].path, "ok.txt");
	assert_non_null(diag_find(&ev, "nothing.zip", NULL));
	recorder_free(&r);
	evidence_free(&ev);

	/* Zip magic and then garbage: a diagnostic, no entries, no crash. */
	file_write(fake, "PK\003\004 this is not really a zip file at all",
	    sizeof "PK\003\004 this is not really a zip file at all" - 1);
	assert_true(run(bad, 1, NULL, &r, &ev) <= 0);
	assert_int_equal(r.n, 0);
	assert_non_null(diag_find(&ev, "fake.zip", NULL));
	recorder_free(&r);
	evidence_free(&ev);

	assert_int_equal(run(NULL, 0, NULL, &r, &ev), -1);
	recorder_free(&r);
	evidence_free(&ev);
	free(plain);
	free(fake);
}

/* Regular files under `dir`, counted apart from the bundle reader. */
static int
files_under(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	struct stat	 st;
	char		 path[4096];
	int		 n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		assert_int_equal(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			n += files_under(path);
		else if (S_ISREG(st.st_mode))
			n++;
	}
	closedir(d);
	return n;
}

static void
test_bundle_real_clixml(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	const char		*dir = TESTDATA_DIR "/realdata";
	const char		*inputs[] = { dir };
	unsigned char		*xml, *zipdata;
	size_t			 len, ziplen;
	struct wentry		 e;
	char			*zip;
	size_t			 i;

	/*
	 * Every file of the folder, in byte order of the names: three CliXml
	 * exports first, the notes after them (then the folders of the
	 * published evidence).
	 */
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), files_under(dir));
	assert_string_equal(r.v[0].path,
	    "CSS-Exchange_HC_GetExchangeCertificateMultipleMatches.xml");
	assert_string_equal(r.v[2].path, "CSS-Exchange_HC_GetSendConnector.xml");
	assert_string_equal(r.v[5].path, "SOURCES.md");
	for (i = 0; i < 3; i++) {
		assert_string_equal(r.v[i].kind, "clixml");
		assert_string_equal(r.v[i].sha, r.v[i].own_sha);
	}
	assert_string_equal(ev.inputs[0].path, "realdata");
	recorder_free(&r);
	evidence_free(&ev);

	/* Under a non-ASCII (UTF-8) folder name in a zip. */
	xml = file_read(TESTDATA_DIR "/realdata/CSS-Exchange_HC_GetSendConnector.xml",
	    &len);
	e = (struct wentry){ "\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8/Send_Connectors.xml",
	    xml, len, 0 };
	zipdata = archive_build("zip", &e, 1, &ziplen);
	zip = tmp_path(state, "intl.zip");
	file_write(zip, zipdata, ziplen);
	inputs[0] = zip;
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 1);
	assert_string_equal(r.v[0].path,
	    "\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8/Send_Connectors.xml");
	assert_string_equal(r.v[0].kind, "clixml");
	assert_int_equal(r.v[0].len, len);
	recorder_free(&r);
	evidence_free(&ev);
	free(zip);
	free(zipdata);

	/* A legacy code page name (GBK bytes): made valid UTF-8, still found. */
	e = (struct wentry){ "\xb7\xfe\xce\xf1\xc6\xf7/certs.txt", fl_text,
	    sizeof fl_text - 1, 0 };
	zipdata = archive_build("zip", &e, 1, &ziplen);
	zip = tmp_path(state, "gbk.zip");
	file_write(zip, zipdata, ziplen);
	inputs[0] = zip;
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 1);
	assert_non_null(strstr(r.v[0].path, "/certs.txt"));
	for (i = 0; r.v[0].path[i] != '\0'; i++)
		assert_true((unsigned char)r.v[0].path[i] < 0x80);
	recorder_free(&r);
	evidence_free(&ev);
	free(zip);
	free(zipdata);
	free(xml);
}

/* ---------------------------------------------------------------- large nested archives */

/*
 * Larger than the nested archives the bundle reader keeps in memory: these
 * are streamed out of the archive holding them.
 */
#define BIG	(9u * 1024 * 1024)

static size_t
manifest_index(const struct evidence *ev, const char *path)
{
	size_t	i;

	for (i = 0; i < ev->nentries; i++)
		if (strcmp(ev->entries[i].path, path) == 0)
			return i;
	fail_msg("%s is not in the manifest", path);
	return 0;
}

static void
assert_manifest_sha(const struct evidence *ev, const char *path,
    const unsigned char *data, size_t len)
{
	const struct manifest_entry	*m = manifest_find(ev, path);
	char				 want[65];

	assert_non_null(m);
	sha256_hex(data, len, want);
	assert_string_equal(m->sha256, want);
	assert_int_equal(m->bytes, len);
}

/*
 * case.zip                            (stored)
 *   EX01-1110.zip                     (big)
 *     certs.txt
 *     Hub_Send_Protocol_Logs.zip      (big, in a streamed zip)
 *       SEND2026110312-1.LOG
 *       noise.bin                     (BIG)
 *       deeper.zip                    (small: read from memory)
 *         deep.txt
 *     Logs/SEND.LOG.gz                (big raw gzip)
 *     logs.tgz                        (big tarball)
 *       Logs/big.bin, Logs/t.txt
 *   after.txt
 */
static void
test_bundle_nested_stream(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	unsigned char		*big = noise(BIG, 11), *u16, *deeper, *hub, *gz, *tgz;
	unsigned char		*ex01;
	size_t			 u16len, deeper_len, hub_len, gz_len, tgz_len, ex01_len, i;
	struct wentry		 d = { "deep.txt", "at the bottom\n", 14, 0 };
	struct wentry		 g = { "data", big, BIG, 0 };
	struct wentry		 t[2] = {
		{ "Logs/big.bin", big, BIG, 0 },
		{ "Logs/t.txt", "tar text\n", 9, 0 },
	};
	struct wentry		 h[3], x[4], c[2];
	char			*path, big_sha[65];
	const char		*inputs[1];
	static const char *const want[] = {
		"EX01-1110.zip/certs.txt",
		"EX01-1110.zip/Hub_Send_Protocol_Logs.zip/SEND2026110312-1.LOG",
		"EX01-1110.zip/Hub_Send_Protocol_Logs.zip/noise.bin",
		"EX01-1110.zip/Hub_Send_Protocol_Logs.zip/deeper.zip/deep.txt",
		"EX01-1110.zip/Logs/SEND.LOG.gz/SEND.LOG",
		"EX01-1110.zip/logs.tgz/Logs/big.bin",
		"EX01-1110.zip/logs.tgz/Logs/t.txt",
		"after.txt",
	};
	static const int want_depth[] = { 2, 3, 3, 4, 3, 3, 3, 1 };

	deeper = archive_build("zip", &d, 1, &deeper_len);
	h[0] = (struct wentry){ "SEND2026110312-1.LOG", protolog_text,
	    sizeof protolog_text - 1, 0 };
	h[1] = (struct wentry){ "noise.bin", big, BIG, 0 };
	h[2] = (struct wentry){ "deeper.zip", deeper, deeper_len, 0 };
	hub = archive_build("zip", h, 3, &hub_len);
	gz = archive_build("gz", &g, 1, &gz_len);
	tgz = archive_build("tar.gz", t, 2, &tgz_len);
	u16 = utf16le(fl_text, &u16len);
	x[0] = (struct wentry){ "certs.txt", u16, u16len, 0 };
	x[1] = (struct wentry){ "Hub_Send_Protocol_Logs.zip", hub, hub_len, 0 };
	x[2] = (struct wentry){ "Logs/SEND.LOG.gz", gz, gz_len, 0 };
	x[3] = (struct wentry){ "logs.tgz", tgz, tgz_len, 0 };
	ex01 = archive_build("zip", x, 4, &ex01_len);
	assert_true(hub_len > BIG && gz_len > BIG && tgz_len > BIG);
	c[0] = (struct wentry){ "EX01-1110.zip", ex01, ex01_len, 0 };
	c[1] = (struct wentry){ "after.txt", "after\n", 6, 0 };
	path = archive_file(state, "case.zip", "zip-store", c, 2);
	inputs[0] = path;

	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 8);
	for (i = 0; i < 8; i++) {
		assert_string_equal(r.v[i].path, want[i]);
		assert_int_equal(r.v[i].depth, want_depth[i]);
		assert_string_equal(r.v[i].sha, r.v[i].own_sha);
	}
	assert_string_equal(r.v[0].kind, "format-list");
	assert_int_equal(r.v[0].len, u16len);
	assert_string_equal(r.v[1].kind, "protocol-log");
	assert_string_equal(r.v[1].text, protolog_text);
	assert_string_equal(r.v[3].text, "at the bottom\n");
	assert_string_equal(r.v[6].text, "tar text\n");
	sha256_hex(big, BIG, big_sha);
	assert_int_equal(r.v[2].len, BIG);
	assert_string_equal(r.v[2].sha, big_sha);
	assert_int_equal(r.v[4].len, BIG);
	assert_string_equal(r.v[4].sha, big_sha);
	assert_string_equal(r.v[5].sha, big_sha);

	/* Streamed archives are hashed whole, central directories included. */
	assert_manifest_sha(&ev, "EX01-1110.zip", ex01, ex01_len);
	assert_manifest_sha(&ev, "EX01-1110.zip/Hub_Send_Protocol_Logs.zip", hub,
	    hub_len);
	assert_manifest_sha(&ev, "EX01-1110.zip/Logs/SEND.LOG.gz", gz, gz_len);
	assert_manifest_sha(&ev, "EX01-1110.zip/logs.tgz", tgz, tgz_len);
	assert_manifest_sha(&ev,
	    "EX01-1110.zip/Hub_Send_Protocol_Logs.zip/deeper.zip", deeper,
	    deeper_len);
	assert_string_equal(manifest_find(&ev, "EX01-1110.zip")->kind, "archive");
	assert_int_equal(manifest_find(&ev, "EX01-1110.zip")->mtime, MTIME);
	assert_int_equal(ev.nentries, 13);
	/* Each archive stands before its entries, as for small ones. */
	assert_true(manifest_index(&ev, "EX01-1110.zip") <
	    manifest_index(&ev, "EX01-1110.zip/certs.txt"));
	assert_true(manifest_index(&ev, "EX01-1110.zip/Hub_Send_Protocol_Logs.zip") <
	    manifest_index(&ev, want[1]));
	assert_true(manifest_index(&ev, "EX01-1110.zip/logs.tgz") <
	    manifest_index(&ev, want[5]));
	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING) +
	    diag_count(&ev.diags, DIAG_ERROR), 0);
	recorder_free(&r);
	evidence_free(&ev);

	free(path);
	free(ex01);
	free(u16);
	free(tgz);
	free(gz);
	free(hub);
	free(deeper);
	free(big);
}

/* A zip of a.LOG, b.LOG (its deflate stream damaged), c.LOG and extra. */
static unsigned char *
damaged_zip(const struct wentry *extra, size_t *len)
{
	char			*a = log_lines(400, "A"), *b = log_lines(400, "B");
	char			*c = log_lines(400, "C");
	struct wentry		 e[4] = {
		{ "a.LOG", a, strlen(a), 0 },
		{ "b.LOG", b, strlen(b), 0 },
		{ "c.LOG", c, strlen(c), 0 },
	};
	unsigned char		*zip, *p;
	const unsigned char	*at;
	size_t			 i;

	if (extra != NULL)
		e[3] = *extra;
	zip = archive_build("zip", e, extra != NULL ? 4 : 3, len);
	at = find_bytes(zip, *len, "b.LOG");
	assert_non_null(at);
	p = zip + (at - zip) + 5 + 40;
	for (i = 0; i < 64; i++)
		p[i] ^= 0x5a;
	free(a);
	free(b);
	free(c);
	return zip;
}

/*
 * Damage inside a nested archive: a small one is read again past it, a
 * streamed one cannot be, and says what is lost.
 */
static void
test_bundle_nested_stream_damage(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	unsigned char		*big = noise(BIG, 12), *small, *large;
	size_t			 small_len, large_len;
	struct wentry		 n = { "noise.bin", big, BIG, 0 };
	struct wentry		 c[3];
	char			*path;
	const char		*inputs[1];

	small = damaged_zip(NULL, &small_len);
	large = damaged_zip(&n, &large_len);
	c[0] = (struct wentry){ "small.zip", small, small_len, 0 };
	c[1] = (struct wentry){ "large.zip", large, large_len, 0 };
	c[2] = (struct wentry){ "after.txt", "after\n", 6, 0 };
	path = archive_file(state, "case.zip", "zip-store", c, 3);
	inputs[0] = path;

	/*
	 * The damaged entry costs only itself, in memory (opened again past
	 * it) as in a stream (picked up at the next entry header).
	 */
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 6);
	assert_string_equal(r.v[0].path, "small.zip/a.LOG");
	assert_string_equal(r.v[1].path, "small.zip/c.LOG");
	assert_string_equal(r.v[2].path, "large.zip/a.LOG");
	assert_string_equal(r.v[3].path, "large.zip/c.LOG");
	assert_string_equal(r.v[4].path, "large.zip/noise.bin");
	assert_int_equal(r.v[4].len, BIG);
	assert_memory_equal(r.v[4].text, big, BIG);
	assert_string_equal(r.v[5].path, "after.txt");
	assert_non_null(diag_find(&ev, "small.zip/b.LOG", "damaged"));
	assert_null(diag_find(&ev, "small.zip", "the rest is lost"));
	assert_non_null(diag_find(&ev, "large.zip/b.LOG", "damaged"));
	assert_unread(&ev, "large.zip/b.LOG", MANIFEST_DAMAGED, "large.zip");
	assert_null(diag_find(&ev, "large.zip", "the rest is lost"));
	assert_null(manifest_find(&ev, "large.zip/(rest not read)"));
	assert_int_equal(evidence_skipped_count(&ev), 2);
	/* Its bytes were all there: it is in the manifest, hashed whole. */
	assert_manifest_sha(&ev, "large.zip", large, large_len);
	recorder_free(&r);
	evidence_free(&ev);

	free(path);
	free(large);
	free(small);
	free(big);
}

/*
 * Damage anywhere in a streamed zip (headers, data, central directory):
 * never a crash or a hang, the entry after the stream is read, and every
 * entry not read says why.
 */
static void
test_bundle_nested_stream_damage_anywhere(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	unsigned char		*big = noise(BIG, 19), *large, *hurt;
	size_t			 large_len, at, i, k;
	struct wentry		 n = { "noise.bin", big, BIG, 0 };
	struct wentry		 c[2];
	char			*path, name[32];
	const char		*inputs[1];

	large = damaged_zip(&n, &large_len);
	hurt = xmalloc(large_len);
	for (k = 0; k < 12; k++) {
		memcpy(hurt, large, large_len);
		/* From the first header to the end of the central directory. */
		at = k * (large_len / 12) + (k % 3) * 7;
		for (i = at; i < at + 48 && i < large_len; i++)
			hurt[i] ^= (unsigned char)(0x5a + k);
		c[0] = (struct wentry){ "large.zip", hurt, large_len, 0 };
		c[1] = (struct wentry){ "after.txt", "after\n", 6, 0 };
		snprintf(name, sizeof name, "case%zu.zip", k);
		path = archive_file(state, name, "zip-store", c, 2);
		inputs[0] = path;
		run(inputs, 1, NULL, &r, &ev);
		assert_non_null(rec_find(&r, "after.txt"));
		for (i = 0; i < ev.nentries; i++)
			assert_true(ev.entries[i].status == MANIFEST_READ ||
			    ev.entries[i].why != NULL);
		recorder_free(&r);
		evidence_free(&ev);
		free(path);
	}
	free(hurt);
	free(large);
	free(big);
}

/* Offset of the data descriptor after `name`'s stored data of len bytes. */
static size_t
descriptor_offset(const unsigned char *zip, size_t zlen, const char *name,
    size_t len)
{
	const unsigned char	*at = find_bytes(zip, zlen, name);
	const unsigned char	*hdr;

	assert_non_null(at);
	hdr = at - 30;
	assert_int_equal(le32(hdr), 0x04034b50);
	return (size_t)(hdr - zip) + 30 + le16(hdr + 26) + le16(hdr + 28) + len;
}

/*
 * Stored entries whose size only follows their data: read through the
 * descriptor's signature, and a diagnostic when there is none (the end of
 * the data cannot be found without the central directory).
 */
static void
test_bundle_nested_stream_stored(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	unsigned char		*big = noise(BIG, 13), *z, *cut;
	size_t			 zlen, at;
	struct wentry		 e[2] = {
		{ "noise.bin", big, BIG, 0 },
		{ "x.txt", "stored text\n", 12, 0 },
	};
	struct wentry		 c[2];
	char			*path;
	const char		*inputs[1];

	z = archive_build("zip-store", e, 2, &zlen);
	at = descriptor_offset(z, zlen, "noise.bin", BIG);
	assert_memory_equal(z + at, "PK\007\010", 4);
	c[0] = (struct wentry){ "stored.zip", z, zlen, 0 };
	c[1] = (struct wentry){ "after.txt", "after\n", 6, 0 };
	path = archive_file(state, "case.zip", "zip-store", c, 2);
	inputs[0] = path;
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 3);
	assert_string_equal(r.v[0].path, "stored.zip/noise.bin");
	assert_int_equal(r.v[0].len, BIG);
	assert_string_equal(r.v[1].path, "stored.zip/x.txt");
	assert_string_equal(r.v[1].text, "stored text\n");
	assert_manifest_sha(&ev, "stored.zip", z, zlen);
	assert_int_equal(diag_count(&ev.diags, DIAG_WARNING) +
	    diag_count(&ev.diags, DIAG_ERROR), 0);
	recorder_free(&r);
	evidence_free(&ev);
	free(path);

	/* The same without the descriptor's (optional) signature. */
	cut = xmalloc(zlen - 4);
	memcpy(cut, z, at);
	memcpy(cut + at, z + at + 4, zlen - at - 4);
	c[0] = (struct wentry){ "stored.zip", cut, zlen - 4, 0 };
	path = archive_file(state, "case2.zip", "zip-store", c, 2);
	inputs[0] = path;
	/*
	 * The reader runs to the end looking for the size; the next entry is
	 * found again by its header, in what the stream had passed.
	 */
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 2);
	assert_string_equal(r.v[0].path, "stored.zip/x.txt");
	assert_string_equal(r.v[0].text, "stored text\n");
	assert_string_equal(r.v[1].path, "after.txt");
	assert_non_null(diag_find(&ev, "stored.zip/noise.bin", "damaged or truncated"));
	assert_unread(&ev, "stored.zip/noise.bin", MANIFEST_DAMAGED, NULL);
	assert_null(diag_find(&ev, "stored.zip", "the rest is lost"));
	assert_manifest_sha(&ev, "stored.zip", cut, zlen - 4);
	recorder_free(&r);
	evidence_free(&ev);
	free(path);

	free(cut);
	free(z);
	free(big);
}

/*
 * An encrypted entry of unknown length: the streamed zip's reader cannot
 * pass it, and is replaced by one started at the next entry header.
 */
static void
test_bundle_nested_stream_encrypted(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	unsigned char		*big = noise(BIG, 14), *parts[3], *z;
	size_t			 lens[3], zlen, i;
	struct wentry		 e[3] = {
		{ "plain1.bin", big, BIG, 0 },
		{ "secret.txt", fl_text, sizeof fl_text - 1, 1 },
		{ "plain2.txt", "second\n", 7, 0 },
	};
	struct wentry		 c[2];
	char			*path;
	const char		*inputs[1];

	for (i = 0; i < 3; i++)
		parts[i] = archive_build("zip", &e[i], 1, &lens[i]);
	z = zip_join(parts, lens, 3, &zlen);
	for (i = 0; i < 3; i++)
		free(parts[i]);
	c[0] = (struct wentry){ "enc.zip", z, zlen, 0 };
	c[1] = (struct wentry){ "after.txt", "after\n", 6, 0 };
	path = archive_file(state, "case.zip", "zip-store", c, 2);
	inputs[0] = path;

	/* Picked up again past it, at plain2.txt's header. */
	assert_int_equal(run(inputs, 1, NULL, &r, &ev), 3);
	assert_string_equal(r.v[0].path, "enc.zip/plain1.bin");
	assert_string_equal(r.v[1].path, "enc.zip/plain2.txt");
	assert_string_equal(r.v[1].text, "second\n");
	assert_string_equal(r.v[2].path, "after.txt");
	assert_non_null(diag_find(&ev, "enc.zip/secret.txt", "encrypted"));
	assert_unread(&ev, "enc.zip/secret.txt", MANIFEST_ENCRYPTED, NULL);
	assert_non_null(diag_find(&ev, "enc.zip", "reading on from the next entry header"));
	assert_null(diag_find(&ev, "enc.zip", "the rest is lost"));
	assert_manifest_sha(&ev, "enc.zip", z, zlen);
	recorder_free(&r);
	evidence_free(&ev);
	free(path);
	free(z);
	free(big);
}

/*
 * case.zip (stored)
 *   EX01.zip: noise.bin (BIG), bomb.bin (20 MiB of zeros), after.txt
 *   tail.txt
 */
static void
test_bundle_nested_stream_limits(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct bundle_limits	 lim;
	size_t			 zn = 20u * 1024 * 1024, ex_len;
	unsigned char		*big = noise(BIG, 15), *zeros = xcalloc(1, zn), *ex;
	struct wentry		 e[3] = {
		{ "noise.bin", big, BIG, 0 },
		{ "bomb.bin", zeros, zn, 0 },
		{ "after.txt", "after\n", 6, 0 },
	};
	struct wentry		 c[2];
	char			*path;
	const char		*inputs[1];
	const struct diag	*d;

	ex = archive_build("zip", e, 3, &ex_len);
	c[0] = (struct wentry){ "EX01.zip", ex, ex_len, 0 };
	c[1] = (struct wentry){ "tail.txt", "tail\n", 5, 0 };
	path = archive_file(state, "case.zip", "zip-store", c, 2);
	inputs[0] = path;

	/*
	 * The ratio of an entry of the streamed archive: that entry is
	 * skipped (and passed over), the rest of the stream is read.
	 */
	bundle_limits_default(&lim);
	lim.max_ratio = 2;
	assert_int_equal(run(inputs, 1, &lim, &r, &ev), 3);
	assert_string_equal(r.v[0].path, "EX01.zip/noise.bin");
	assert_string_equal(r.v[1].path, "EX01.zip/after.txt");
	assert_string_equal(r.v[2].path, "tail.txt");
	d = diag_find(&ev, "EX01.zip/bomb.bin", "--max-ratio");
	assert_non_null(d);
	assert_unread(&ev, "EX01.zip/bomb.bin", MANIFEST_SKIPPED, "zip bomb");
	assert_manifest_sha(&ev, "EX01.zip", ex, ex_len);
	recorder_free(&r);
	evidence_free(&ev);

	/*
	 * The total: the archive's own bytes count as they pass, as do its
	 * entries'. Cut short, it is in the manifest as skipped, without a
	 * hash (it would be of part of it), and the rest of case.zip is said
	 * to be unread.
	 */
	lim.max_ratio = 0;
	lim.max_total_bytes = 15u * 1024 * 1024;
	assert_int_equal(run(inputs, 1, &lim, &r, &ev), 0);
	d = diag_find(&ev, "EX01.zip", "--max-total-bytes");
	assert_non_null(d);
	assert_null(rec_find(&r, "tail.txt"));
	assert_unread(&ev, "EX01.zip", MANIFEST_SKIPPED, "--max-total-bytes");
	assert_unread(&ev, "case.zip/(rest not read)", MANIFEST_SKIPPED,
	    "--max-total-bytes");
	recorder_free(&r);
	evidence_free(&ev);

	/* Too deep to open: still hashed whole, without holding it. */
	bundle_limits_default(&lim);
	lim.max_depth = 0;
	assert_int_equal(run(inputs, 1, &lim, &r, &ev), 1);
	assert_string_equal(r.v[0].path, "tail.txt");
	assert_non_null(diag_find(&ev, "EX01.zip", "--max-depth"));
	assert_manifest_sha(&ev, "EX01.zip", ex, ex_len);
	recorder_free(&r);
	evidence_free(&ev);

	free(path);
	free(ex);
	free(zeros);
	free(big);
}

/*
 * case.zip (stored), its central directory lost, is read by its local
 * headers alone: nothing announces the size of hub.zip in it, which is read
 * into memory until it proves large, then streamed. Past the per-entry
 * limit, the rest of hub.zip is not read; what follows it in case.zip is,
 * though libarchive could not have skipped a stored zip of unknown size.
 */
static void
test_bundle_nested_stream_entry_limit(void **state)
{
	struct recorder		 r;
	struct evidence		 ev;
	struct bundle_limits	 lim;
	size_t			 half = 5u * 1024 * 1024, hub_len, zlen;
	unsigned char		*n1 = noise(half, 16), *n2 = noise(half, 17), *hub, *z;
	unsigned char		*pad = noise(1024 * 1024, 18);
	const unsigned char	*cd;
	struct wentry		 h[3] = {
		{ "first.txt", "first\n", 6, 0 },
		{ "n1.bin", n1, half, 0 },
		{ "n2.bin", n2, half, 0 },
	};
	struct wentry		 c[3];
	char			*path = tmp_path(state, "case.zip");
	const char		*inputs[] = { path };
	const struct diag	*d;

	hub = archive_build("zip", h, 3, &hub_len);
	c[0] = (struct wentry){ "hub.zip", hub, hub_len, 0 };
	/*
	 * Padding, or libarchive would take hub.zip's end of central
	 * directory, close to the end of the file, for case.zip's.
	 */
	c[1] = (struct wentry){ "pad.bin", pad, 1024 * 1024, 0 };
	c[2] = (struct wentry){ "tail.txt", "tail\n", 5, 0 };
	z = archive_build("zip-store", c, 3, &zlen);
	/* case.zip's central directory: past the padding, hub.zip's is not. */
	cd = find_bytes(z + zlen - 4096, 4096, "PK\001\002");
	assert_non_null(cd);
	file_write(path, z, (size_t)(cd - z));

	assert_true(run(inputs, 1, NULL, &r, &ev) >= 5);
	assert_string_equal(r.v[0].path, "hub.zip/first.txt");
	assert_string_equal(r.v[2].path, "hub.zip/n2.bin");
	assert_string_equal(r.v[4].path, "tail.txt");
	assert_manifest_sha(&ev, "hub.zip", hub, hub_len);
	recorder_free(&r);
	evidence_free(&ev);

	/*
	 * The per-entry limit holds for the entries of the stream (the
	 * stream itself is never held whole): n1.bin and n2.bin are
	 * skipped, hub.zip and case.zip are read on.
	 */
	bundle_limits_default(&lim);
	lim.max_entry_bytes = 4u * 1024 * 1024 + 512 * 1024;
	assert_true(run(inputs, 1, &lim, &r, &ev) >= 3);
	assert_string_equal(r.v[0].path, "hub.zip/first.txt");
	d = diag_find(&ev, "hub.zip/n1.bin", "--max-entry-bytes");
	assert_non_null(d);
	assert_unread(&ev, "hub.zip/n1.bin", MANIFEST_SKIPPED, "--max-entry-bytes");
	assert_unread(&ev, "hub.zip/n2.bin", MANIFEST_SKIPPED, "--max-entry-bytes");
	assert_manifest_sha(&ev, "hub.zip", hub, hub_len);
	/* case.zip goes on after it. */
	assert_string_equal(r.v[1].path, "pad.bin");
	recorder_free(&r);
	evidence_free(&ev);

	free(path);
	free(z);
	free(hub);
	free(n1);
	free(n2);
	free(pad);
}

/* ---------------------------------------------------------------- pieces */

/*
 * A taker of the entries named *.LOG: what it was offered and given, in
 * buffers of 1000 bytes (pieces do not match the walk's reads).
 */
struct piece_taker {
	struct bundle_pieces	 t;
	struct strlist		 offered;	/* every path offered */
	size_t			 head_len;	/* of the one taken */
	struct buf		 got;
	int			 ends, whole;
	unsigned char		*lent;
};

static unsigned char *
taker_buffer(struct bundle_pieces *t, size_t *cap)
{
	struct piece_taker	*k = (struct piece_taker *)(void *)t;

	assert_null(k->lent);	/* one at a time */
	k->lent = xmalloc(1000);
	*cap = 1000;
	return k->lent;
}

static void
taker_put(struct bundle_pieces *t, unsigned char *p, size_t len)
{
	struct piece_taker	*k = (struct piece_taker *)(void *)t;

	assert_ptr_equal(p, k->lent);
	assert_true(len <= 1000);
	assert_int_equal(buf_append(&k->got, p, len), 0);
	free(p);
	k->lent = NULL;
}

static void
taker_end(struct bundle_pieces *t, bool whole)
{
	struct piece_taker	*k = (struct piece_taker *)(void *)t;

	k->ends++;
	k->whole += whole;
}

static struct bundle_pieces *
taker_offer(void *ctx, const struct bundle_entry *head, const char **kind)
{
	struct piece_taker	*k = ((struct recorder *)ctx)->taker;
	const char	*dot = strrchr(head->path, '.');

	strlist_add(&k->offered, head->path);
	assert_null(head->outcome);
	if (dot == NULL || strcmp(dot, ".LOG") != 0)
		return NULL;
	k->head_len = head->len;
	assert_int_equal(buf_append(&k->got, head->data, 0), 0);
	*kind = "test-log";
	return &k->t;
}

static long
run_pieces(const char *const *inputs, size_t n, const struct bundle_limits *lim,
    struct recorder *r, struct piece_taker *k, struct evidence *ev, bool hashes)
{
	struct bundle_piecewise	 pw = { taker_offer, 0 };
	long			 got;

	memset(r, 0, sizeof *r);
	memset(k, 0, sizeof *k);
	k->t.buffer = taker_buffer;
	k->t.put = taker_put;
	k->t.end = taker_end;
	k->t.hashes = hashes;
	buf_init(&k->got, SIZE_MAX - 1);
	r->taker = k;
	evidence_init(ev);
	got = bundle_read_pieces(inputs, n, lim, record_entry, &pw, r, ev,
	    BUNDLE_HASH_LATER);
	print_diags(ev);
	return got;
}

static void
taker_free(struct piece_taker *k)
{
	strlist_free(&k->offered);
	buf_free(&k->got);
}

/* How many times path was offered: once at most. */
static size_t
offered_times(const struct piece_taker *k, const char *path)
{
	size_t	i, n = 0;

	for (i = 0; i < k->offered.n; i++)
		if (strcmp(k->offered.v[i], path) == 0)
			n++;
	return n;
}

static bool
offered(const struct piece_taker *k, const char *path)
{
	assert_true(offered_times(k, path) <= 1);
	return offered_times(k, path) == 1;
}

/*
 * A large log goes to the taker in pieces, every byte in order, and is in
 * the manifest with its hash; a small one, a declined one and an archive
 * come whole, as without a taker; the log inside the archive is offered in
 * its turn.
 */
static void
test_bundle_pieces(void **state)
{
	struct recorder		 r;
	struct piece_taker		 k;
	struct evidence		 ev;
	char			*big = log_lines(6000, "BIG"), *small = log_lines(20, "S");
	char			*inner_log = log_lines(5000, "IN");
	unsigned char		*bin = noise(BUNDLE_PIECES_AFTER + 5000, 7), *inner;
	size_t			 inner_len, biglen = strlen(big);
	struct wentry		 in[1] = { { "deep.LOG", inner_log, strlen(inner_log), 0 } };
	struct wentry		 e[4];
	const struct manifest_entry *m;
	const char		*inputs[1];
	char			*path;

	assert_true(biglen > BUNDLE_PIECES_AFTER);
	inner = archive_build("zip-store", in, 1, &inner_len);
	e[0] = (struct wentry){ "big.LOG", big, biglen, 0 };
	e[1] = (struct wentry){ "small.LOG", small, strlen(small), 0 };
	e[2] = (struct wentry){ "noise.bin", bin, BUNDLE_PIECES_AFTER + 5000, 0 };
	e[3] = (struct wentry){ "inner.zip", inner, inner_len, 0 };
	path = archive_file(state, "pieces.zip", "zip", e, 4);
	inputs[0] = path;

	assert_int_equal(run_pieces(inputs, 1, NULL, &r, &k, &ev, false), 4);
	/* big.LOG and deep.LOG taken: their bytes, one after the other. */
	assert_int_equal(k.ends, 2);
	assert_int_equal(k.whole, 2);
	assert_int_equal(k.got.len, biglen + strlen(inner_log));
	assert_memory_equal(k.got.data, big, biglen);
	assert_memory_equal(k.got.data + biglen, inner_log, strlen(inner_log));
	assert_true(k.head_len >= BUNDLE_PIECES_AFTER);
	assert_null(rec_find(&r, "big.LOG"));
	assert_manifest_sha(&ev, "big.LOG", (const unsigned char *)big, biglen);
	m = manifest_find(&ev, "big.LOG");
	assert_string_equal(m->kind, "test-log");
	assert_int_equal(m->status, MANIFEST_READ);
	assert_manifest_sha(&ev, "inner.zip/deep.LOG",
	    (const unsigned char *)inner_log, strlen(inner_log));
	/* The rest as ever: whole, to the callback. */
	assert_false(offered(&k, "small.LOG"));
	assert_false(offered(&k, "inner.zip"));
	assert_true(offered(&k, "noise.bin"));
	assert_non_null(rec_find(&r, "small.LOG"));
	assert_int_equal(rec_find(&r, "noise.bin")->len, BUNDLE_PIECES_AFTER + 5000);
	assert_memory_equal(rec_find(&r, "noise.bin")->text, bin,
	    BUNDLE_PIECES_AFTER + 5000);
	assert_int_equal(evidence_skipped_count(&ev), 0);
	recorder_free(&r);
	taker_free(&k);
	evidence_free(&ev);

	/* A taker that hashes: the manifest waits for its hash. */
	assert_int_equal(run_pieces(inputs, 1, NULL, &r, &k, &ev, true), 4);
	m = manifest_find(&ev, "big.LOG");
	assert_non_null(m);
	assert_true(m->sha256_pending);
	recorder_free(&r);
	taker_free(&k);
	evidence_free(&ev);

	free(path);
	free(inner);
	free(bin);
	free(inner_log);
	free(small);
	free(big);
}

/*
 * A large log in a directory goes to the taker in pieces too, hashed in
 * them; the same file given as an input is read whole (its hash is the
 * input's as well).
 */
static void
test_bundle_pieces_directory(void **state)
{
	struct recorder		 r;
	struct piece_taker	 k;
	struct evidence		 ev;
	char			*big = log_lines(6000, "DIR"), *dir = tmp_path(state, "EX02");
	char			*file;
	unsigned char		*bin = noise(3 * BUNDLE_PIECES_AFTER, 11);
	const char		*inputs[1];
	size_t			 biglen = strlen(big);
	const struct manifest_entry *m;

	assert_int_equal(mkdir(dir, 0755), 0);
	file = xasprintf("%s/blob.bin", dir);
	file_write(file, bin, 3 * BUNDLE_PIECES_AFTER);
	free(file);
	file = xasprintf("%s/SEND1.LOG", dir);
	file_write(file, big, biglen);
	inputs[0] = dir;
	assert_int_equal(run_pieces(inputs, 1, NULL, &r, &k, &ev, false), 2);
	/* Declined once, then read whole. */
	assert_true(offered(&k, "blob.bin"));
	assert_int_equal(rec_find(&r, "blob.bin")->len, 3 * BUNDLE_PIECES_AFTER);
	assert_int_equal(k.ends, 1);
	assert_int_equal(k.whole, 1);
	assert_int_equal(k.got.len, biglen);
	assert_memory_equal(k.got.data, big, biglen);
	assert_null(rec_find(&r, "SEND1.LOG"));
	assert_manifest_sha(&ev, "SEND1.LOG", (const unsigned char *)big,
	    biglen);
	m = manifest_find(&ev, "SEND1.LOG");
	assert_string_equal(m->kind, "test-log");
	assert_int_equal(m->mtime, TIME_UNKNOWN);
	recorder_free(&r);
	taker_free(&k);
	evidence_free(&ev);

	inputs[0] = file;
	assert_int_equal(run_pieces(inputs, 1, NULL, &r, &k, &ev, false), 1);
	assert_int_equal(k.offered.n, 0);
	assert_int_equal(rec_find(&r, "SEND1.LOG")->len, biglen);
	recorder_free(&r);
	taker_free(&k);
	evidence_free(&ev);

	free(file);
	free(dir);
	free(bin);
	free(big);
}

/*
 * A log damaged, or over the per-entry limit, after pieces of it were
 * handed over: the taker hears it was cut, what it was given stands, and
 * the manifest says how much was read, with no hash; the next entry is read.
 */
static void
test_bundle_pieces_cut(void **state)
{
	struct recorder		 r;
	struct piece_taker		 k;
	struct evidence		 ev;
	struct bundle_limits	 lim;
	char			*big = log_lines(12000, "BIG"), *after = log_lines(10, "A");
	unsigned char		*zip, *p;
	const unsigned char	*at;
	size_t			 len, i, biglen = strlen(big);
	struct wentry		 e[2];
	const struct manifest_entry *m;
	const char		*inputs[1];
	char			*path = tmp_path(state, "cut.zip"), want[64];

	e[0] = (struct wentry){ "big.LOG", big, biglen, 0 };
	e[1] = (struct wentry){ "after.txt", after, strlen(after), 0 };
	zip = archive_build("zip", e, 2, &len);
	at = find_bytes(zip, len, "big.LOG");
	assert_non_null(at);
	/* Far into the compressed data: well past the first pieces. */
	p = zip + (at - zip) + 7 + (len * 3) / 4 - (size_t)(at - zip) / 2;
	assert_true(p + 64 < zip + len);
	for (i = 0; i < 64; i++)
		p[i] ^= 0x5a;
	file_write(path, zip, len);
	inputs[0] = path;

	run_pieces(inputs, 1, NULL, &r, &k, &ev, false);
	assert_int_equal(k.ends, 1);
	assert_int_equal(k.whole, 0);
	assert_true(k.got.len >= BUNDLE_PIECES_AFTER);
	assert_true(k.got.len <= biglen);
	assert_memory_equal(k.got.data, big, BUNDLE_PIECES_AFTER);
	m = manifest_find(&ev, "big.LOG");
	assert_non_null(m);
	assert_int_equal(m->status, MANIFEST_DAMAGED);
	assert_true(m->in_part);
	assert_int_equal(evidence_in_part_count(&ev), 1);
	assert_string_equal(m->kind, "test-log");
	assert_int_equal(m->bytes, k.got.len);
	assert_string_equal(m->sha256, "");
	snprintf(want, sizeof want, "its first %zu bytes had been read", k.got.len);
	assert_non_null(strstr(m->why, want));
	assert_non_null(strstr(m->why, "the damage may lie in them"));
	assert_non_null(diag_find(&ev, "big.LOG", want));
	assert_non_null(rec_find(&r, "after.txt"));
	recorder_free(&r);
	taker_free(&k);
	evidence_free(&ev);

	/* Undamaged, past --max-total-bytes: cut at the limit. */
	free(zip);
	zip = archive_build("zip", e, 2, &len);
	file_write(path, zip, len);
	bundle_limits_default(&lim);
	lim.max_total_bytes = biglen / 2;
	run_pieces(inputs, 1, &lim, &r, &k, &ev, false);
	assert_int_equal(k.ends, 1);
	assert_int_equal(k.whole, 0);
	assert_true(k.got.len <= biglen / 2);
	assert_memory_equal(k.got.data, big, k.got.len);
	m = manifest_find(&ev, "big.LOG");
	assert_non_null(m);
	assert_int_equal(m->status, MANIFEST_SKIPPED);
	assert_true(m->in_part);
	/* The rest of the archive, not read at all, is not in part. */
	assert_false(manifest_find(&ev, "cut.zip/(rest not read)")->in_part);
	assert_int_equal(evidence_in_part_count(&ev), 1);
	assert_non_null(strstr(m->why, "--max-total-bytes"));
	snprintf(want, sizeof want, "its first %zu bytes were read", k.got.len);
	assert_non_null(strstr(m->why, want));
	assert_null(strstr(m->why, "damage"));
	assert_null(rec_find(&r, "after.txt"));
	assert_non_null(manifest_find(&ev, "cut.zip/(rest not read)"));
	recorder_free(&r);
	taker_free(&k);
	evidence_free(&ev);

	free(zip);
	free(path);
	free(after);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_bytes_archives),
		cmocka_unit_test(test_sniff_bytes_der),
		cmocka_unit_test(test_sniff_bytes_text_and_binary),
		cmocka_unit_test(test_sniff_text_kinds),
		cmocka_unit_test(test_entry_kind_names),
		cmocka_unit_test_setup_teardown(test_bundle_nested_zip,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_hash_later,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_depth_limit,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_directory,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_several_inputs,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_single_file_and_tarball,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_bomb_entry_limit,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_bomb_ratio_and_total,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_entry_count_limit,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_truncated_zip,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_corrupt_entry,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_encrypted_entry,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_hostile_names,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_missing_and_bad_inputs,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_real_clixml,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_nested_stream,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_nested_stream_damage,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_nested_stream_damage_anywhere,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_nested_stream_stored,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_nested_stream_encrypted,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_nested_stream_limits,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_nested_stream_entry_limit,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_pieces,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_pieces_cut,
		    tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_bundle_pieces_directory,
		    tmpdir_setup, tmpdir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

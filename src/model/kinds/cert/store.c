/*
 * The certificate store: one record per (server, thumbprint), twins merged
 * field by field (unknown never overwrites known, conflicts named), and the
 * last pass that attributes, merges what attribution reveals and sorts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model/attribution.h"
#include "model/kinds/cert.h"
#include "model/kinds/merge.h"

void
ev_cert_init(struct ev_cert *c)
{
	memset(c, 0, sizeof *c);
	c->not_before = c->not_after = TIME_UNKNOWN;
	c->local_not_before = c->local_not_after = TIME_UNKNOWN;
	c->services = SERVICES_UNKNOWN;
	c->self_signed = c->has_private_key = TRI_UNKNOWN;
	c->private_key_exportable = TRI_UNKNOWN;
	c->key_bits = -1;
	c->lifetime_days = -1;
	c->lifetime_from = TIME_UNKNOWN;
}

void
ev_cert_clear(struct ev_cert *c)
{
	free(c->server);
	free(c->thumbprint);
	free(c->thumbprint_masked);
	free(c->subject);
	free(c->issuer);
	free(c->serial);
	free(c->friendly_name);
	strlist_free(&c->domains);
	free(c->status);
	free(c->root_ca_type);
	free(c->signature_algorithm);
	free(c->not_before_written);
	free(c->not_after_written);
	free(c->dates_source);
	free(c->local_dates_source);
	strlist_free(&c->sources);
	free(c->ref.source);
	ev_cert_init(c);
}

static const char *
ref_name(const struct ev_ref *r)
{
	return r->source != NULL ? r->source : "an unnamed source";
}

/*
 * Twins (the .txt and .xml of one dump, two captures) must agree on what the
 * server's configuration says; when they do not, the first one read is kept
 * and both are named, so the reader can tell which to trust.
 */
static void
cert_conflicts(struct diag_list *dl, const struct ev_cert *dst,
    const struct ev_cert *src)
{
	char	a[96], b[96];

	if (dst->services != SERVICES_UNKNOWN && src->services != SERVICES_UNKNOWN &&
	    dst->services != src->services) {
		services_format(dst->services, ", ", a, sizeof a);
		services_format(src->services, ", ", b, sizeof b);
		diag_add(dl, DIAG_WARNING, src->ref.source, "certificate %s on %s: "
		    "Services %s here but %s in %s; kept %s", dst->thumbprint,
		    dst->server, b, a, ref_name(&dst->ref), a);
	}
	if (dst->has_private_key != TRI_UNKNOWN &&
	    src->has_private_key != TRI_UNKNOWN &&
	    dst->has_private_key != src->has_private_key)
		diag_add(dl, DIAG_WARNING, src->ref.source, "certificate %s on %s: "
		    "HasPrivateKey %s here but %s in %s; kept %s",
		    dst->thumbprint, dst->server, tri_text(src->has_private_key),
		    tri_text(dst->has_private_key), ref_name(&dst->ref),
		    tri_text(dst->has_private_key));
	if (dst->status != NULL && src->status != NULL &&
	    ascii_casecmp(dst->status, src->status) != 0)
		diag_add(dl, DIAG_WARNING, src->ref.source, "certificate %s on %s: "
		    "Status %s here but %s in %s; kept %s", dst->thumbprint,
		    dst->server, src->status, dst->status, ref_name(&dst->ref),
		    dst->status);
}

static const char *
dates_source_of(const struct ev_cert *c)
{
	return c->dates_source != NULL ? c->dates_source : c->ref.source;
}

/* The local reading of a twin whose dates are UTC, kept for its offset. */
static void
keep_local_dates(struct ev_cert *dst, int64_t nb, int64_t na,
    const char *source)
{
	if (dst->local_not_before != TIME_UNKNOWN ||
	    dst->local_not_after != TIME_UNKNOWN ||
	    (nb == TIME_UNKNOWN && na == TIME_UNKNOWN))
		return;
	dst->local_not_before = nb;
	dst->local_not_after = na;
	free(dst->local_dates_source);
	dst->local_dates_source = xstrdup(source);
}

/*
 * Dates: a UTC form (DER, an export with zones) replaces a local reading,
 * which is kept beside it, because the two together give the server's UTC
 * offset; unknown never overwrites known.
 */
static void
cert_merge_dates(struct ev_cert *dst, const struct ev_cert *src)
{
	bool	had = dst->not_before != TIME_UNKNOWN ||
		    dst->not_after != TIME_UNKNOWN;

	if (src->dates_exact && !dst->dates_exact &&
	    src->not_before != TIME_UNKNOWN && src->not_after != TIME_UNKNOWN) {
		if (had)
			keep_local_dates(dst, dst->not_before, dst->not_after,
			    dst->dates_source);
		dst->not_before = src->not_before;
		dst->not_after = src->not_after;
		dst->dates_exact = true;
		dst->dates_converted = src->dates_converted;
		dst->dates_order_guessed = false;
		free(dst->dates_source);
		dst->dates_source = xstrdup(dates_source_of(src));
		had = true;
	} else if (dst->dates_exact && !src->dates_exact)
		keep_local_dates(dst, src->not_before, src->not_after,
		    dates_source_of(src));
	keep_local_dates(dst, src->local_not_before, src->local_not_after,
	    src->local_dates_source);
	if (!had && (src->not_before != TIME_UNKNOWN ||
	    src->not_after != TIME_UNKNOWN)) {
		dst->not_before = src->not_before;
		dst->not_after = src->not_after;
		dst->dates_exact = src->dates_exact;
		dst->dates_converted = src->dates_converted;
		dst->dates_order_guessed = src->dates_order_guessed;
		free(dst->dates_source);
		dst->dates_source = xstrdup(dates_source_of(src));
	}
	/* Dates shown as written only while no reading has them. */
	if (dst->not_before == TIME_UNKNOWN)
		ev_fill_str(&dst->not_before_written, src->not_before_written);
	if (dst->not_after == TIME_UNKNOWN)
		ev_fill_str(&dst->not_after_written, src->not_after_written);
	if (dst->not_before != TIME_UNKNOWN) {
		free(dst->not_before_written);
		dst->not_before_written = NULL;
	}
	if (dst->not_after != TIME_UNKNOWN) {
		free(dst->not_after_written);
		dst->not_after_written = NULL;
	}
}

static void
cert_merge(struct ev_cert *dst, const struct ev_cert *src)
{
	size_t	i;

	/* A whole subject replaces a cut one. */
	if (dst->subject != NULL && dst->subject_incomplete && src->subject != NULL &&
	    !src->subject_incomplete) {
		free(dst->subject);
		dst->subject = NULL;
	}
	/* Likewise a name that kept its characters replaces an ASCII one. */
	if (dst->subject != NULL && dst->subject_lossy && src->subject != NULL &&
	    !src->subject_lossy && !src->subject_incomplete) {
		free(dst->subject);
		dst->subject = NULL;
	}
	if (dst->issuer != NULL && dst->issuer_lossy && src->issuer != NULL &&
	    !src->issuer_lossy) {
		free(dst->issuer);
		dst->issuer = NULL;
	}
	if (dst->subject == NULL && src->subject != NULL) {
		dst->subject_incomplete = src->subject_incomplete;
		dst->subject_lossy = src->subject_lossy;
	}
	if (dst->issuer == NULL && src->issuer != NULL)
		dst->issuer_lossy = src->issuer_lossy;
	ev_fill_str(&dst->subject, src->subject);
	ev_fill_str(&dst->issuer, src->issuer);
	ev_fill_str(&dst->serial, src->serial);
	ev_fill_str(&dst->thumbprint_masked, src->thumbprint_masked);
	ev_fill_str(&dst->friendly_name, src->friendly_name);
	cert_merge_dates(dst, src);
	if ((!dst->domains_known || dst->domains_incomplete) &&
	    src->domains_known && !src->domains_incomplete) {
		strlist_free(&dst->domains);
		strlist_copy(&dst->domains, &src->domains);
		dst->domains_known = true;
		dst->domains_incomplete = false;
	} else if (!dst->domains_known && src->domains_known) {
		strlist_copy(&dst->domains, &src->domains);
		dst->domains_known = true;
		dst->domains_incomplete = src->domains_incomplete;
	}
	if (dst->services == SERVICES_UNKNOWN)
		dst->services = src->services;
	ev_fill_str(&dst->status, src->status);
	ev_fill_tri(&dst->self_signed, src->self_signed);
	ev_fill_tri(&dst->has_private_key, src->has_private_key);
	ev_fill_tri(&dst->private_key_exportable, src->private_key_exportable);
	ev_fill_str(&dst->root_ca_type, src->root_ca_type);
	if (dst->key_bits < 0)
		dst->key_bits = src->key_bits;
	if (dst->lifetime_days < 0 && src->lifetime_days >= 0) {
		dst->lifetime_days = src->lifetime_days;
		dst->lifetime_from = src->lifetime_from;
		dst->lifetime_from_exact = src->lifetime_from_exact;
	}
	ev_fill_str(&dst->signature_algorithm, src->signature_algorithm);
	dst->file_only = dst->file_only && src->file_only;
	if (src->server_clue > 0 && (dst->server_clue == 0 ||
	    src->server_clue < dst->server_clue))
		dst->server_clue = src->server_clue;
	for (i = 0; i < src->sources.n; i++)
		strlist_add_unique_ci(&dst->sources, src->sources.v[i]);
	if (src->ref.source != NULL)
		strlist_add_unique_ci(&dst->sources, src->ref.source);
}

/*
 * A certificate is one record per (server, thumbprint): the same SAN
 * certificate imported on every server of a DAG is one record per server,
 * each with its own services, private key and sources. While the server is
 * unknown, the record is also kept apart per source file, because two files
 * naming no server may come from two servers; evidence_finish() attributes
 * them and merges the ones that turn out to be twins. Certificate files
 * (file_only) hold no per-server facts, so theirs merge on thumbprint.
 */
static bool
cert_same_record(const struct ev_cert *dst, const struct ev_cert *c,
    const char *server)
{
	/* Without a thumbprint nothing says two records are one. */
	if (dst->thumbprint == NULL || c->thumbprint == NULL ||
	    !str_eq_ci(dst->thumbprint, c->thumbprint) ||
	    !str_eq_ci(dst->server, server))
		return false;
	/* A certificate file carries no configuration to keep apart. */
	if (server != NULL || (dst->file_only && c->file_only))
		return true;
	return dst->ref.source != NULL && c->ref.source != NULL &&
	    strcmp(dst->ref.source, c->ref.source) == 0;
}

struct ev_cert *
evidence_add_cert(struct evidence *ev, const struct ev_cert *c)
{
	struct ev_cert	*dst;
	char		*server;
	size_t		 i;

	server = server_short_name(c->server);
	for (i = 0; i < ev->ncerts; i++) {
		dst = &ev->certs[i];
		if (cert_same_record(dst, c, server)) {
			free(server);
			if (dst->ref.source == NULL || c->ref.source == NULL ||
			    strcmp(dst->ref.source, c->ref.source) != 0)
				cert_conflicts(&ev->diags, dst, c);
			cert_merge(dst, c);
			return dst;
		}
	}
	ev->certs = xreallocarray_grow(ev->certs, &ev->certs_cap,
	    ev->ncerts + 1, sizeof *ev->certs);
	dst = &ev->certs[ev->ncerts++];
	ev_cert_init(dst);
	dst->server = server;
	if (c->thumbprint != NULL) {
		dst->thumbprint = xstrdup(c->thumbprint);
		ascii_upper(dst->thumbprint);
	}
	dst->file_only = c->file_only;
	ev_ref_copy(&dst->ref, &c->ref);
	cert_merge(dst, c);
	return dst;
}

/* ------------------------------------------------------------ last pass */

/*
 * The one server the self-signed certificates of `source` name, or NULL.
 * Only in an Exchange inventory (its records carry Services): a plain
 * certificate object says where it came from no more than a .cer file.
 */
static char *
own_name_of_source(const struct evidence *ev, const char *source)
{
	const struct ev_cert	*c;
	char			*name = NULL, *n;
	size_t			 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->server != NULL || c->file_only ||
		    c->services == SERVICES_UNKNOWN ||
		    !str_eq_ci(c->ref.source, source) || c->self_signed == TRI_FALSE ||
		    (n = attr_server_from_own_name(c->subject, c->issuer)) == NULL)
			continue;
		if (name != NULL && ascii_casecmp(name, n) != 0) {
			/* Two servers' own certificates: no one server. */
			free(name);
			free(n);
			return NULL;
		}
		free(name);
		name = n;
	}
	return name;
}

void
certs_own_names(struct evidence *ev)
{
	struct ev_cert	*c;
	char		*name;
	size_t		 i, j;
	long		 n;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->server != NULL || c->file_only || c->ref.source == NULL ||
		    (name = own_name_of_source(ev, c->ref.source)) == NULL)
			continue;
		for (n = 0, j = i; j < ev->ncerts; j++)
			if (ev->certs[j].server == NULL && !ev->certs[j].file_only &&
			    str_eq_ci(ev->certs[j].ref.source, c->ref.source)) {
				ev->certs[j].server = xstrdup(name);
				ev->certs[j].server_clue = ATTR_SELF_SIGNED;
				n++;
			}
		diag_add(&ev->diags, DIAG_INFO, c->ref.source, "%ld "
		    "certificate%s that name%s no server attributed to %s, whose "
		    "own self-signed certificate (CN=%s) is among them", n,
		    n == 1 ? "" : "s", n == 1 ? "s" : "", name, name);
		free(name);
	}
}

static void
attribute_certs(struct evidence *ev, const struct strlist *servers)
{
	struct ev_cert	*c;
	const char	*s;
	enum attr_clue	 clue;
	size_t		 i;

	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (c->server != NULL) {
			if (c->server_clue == ATTR_NONE)
				c->server_clue = ATTR_EXPORT;
			continue;
		}
		clue = attr_server_from_path(c->ref.source, servers, &s);
		/* Not when the layout shows a folder of another server. */
		if (clue == ATTR_NONE && servers->n == 1 && !c->file_only &&
		    !attr_path_shows_other_server(c->ref.source, servers->v[0])) {
			s = servers->v[0];
			clue = ATTR_ONLY_SERVER;
			diag_add(&ev->diags, DIAG_INFO, c->ref.source,
			    "certificate %s names no server; attributed to %s, "
			    "the only server in the bundle", CERT_LABEL(c), s);
		}
		if (clue != ATTR_NONE) {
			c->server = xstrdup(s);
			c->server_clue = (int)clue;
		}
	}
}

/*
 * Certificates that attribution gave the same server are twins (the .txt and
 * .xml of one dump): merged into the first, conflicts named in diagnostics.
 * Records whose server is still unknown stay apart, one per source.
 */
static void
merge_duplicate_certs(struct evidence *ev)
{
	struct ev_cert	 tmp;
	size_t		 i, j;

	for (i = 0; i < ev->ncerts; i++) {
		for (j = i + 1; j < ev->ncerts; ) {
			if (ev->certs[i].server == NULL ||
			    ev->certs[i].thumbprint == NULL ||
			    !str_eq_ci(ev->certs[i].thumbprint, ev->certs[j].thumbprint) ||
			    !str_eq_ci(ev->certs[i].server, ev->certs[j].server)) {
				j++;
				continue;
			}
			tmp = ev->certs[j];
			memmove(&ev->certs[j], &ev->certs[j + 1],
			    (ev->ncerts - j - 1) * sizeof *ev->certs);
			ev->ncerts--;
			/* Re-adding merges field by field, unknown never wins. */
			evidence_add_cert(ev, &tmp);
			ev_cert_clear(&tmp);
		}
	}
}

static int
cmp_cert(const void *pa, const void *pb)
{
	const struct ev_cert	*a = pa, *b = pb;
	int			 c;

	if ((c = casecmp_null_last(a->server, b->server)) != 0)
		return c;
	if (a->not_after != b->not_after)
		return a->not_after < b->not_after ? -1 : 1;
	if ((c = casecmp_null_last(a->thumbprint, b->thumbprint)) != 0)
		return c;
	/* Records of unknown servers stay apart per source. */
	return casecmp_null_last(a->ref.source, b->ref.source);
}

void
certs_finish(struct evidence *ev, const struct strlist *servers)
{
	size_t	i;

	attribute_certs(ev, servers);
	merge_duplicate_certs(ev);
	/* After the merge: a record that lost its thumbprint stays apart. */
	certs_link_thumbprints(ev);
	for (i = 0; i < ev->ncerts; i++)
		strlist_sort_ci(&ev->certs[i].sources);
	if (ev->ncerts > 1)
		qsort(ev->certs, ev->ncerts, sizeof *ev->certs, cmp_cert);
}

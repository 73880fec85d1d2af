/*
 * What the event-driven rule paths share (event_rules.h): which events are
 * symptoms, the FQDN a 12014 gives a connector, and what the certificate
 * inventory of a server says about a name an event reports no certificate
 * for.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"
#include "model/dn.h"
#include "model/kinds/event_facts.h"
#include "event_rules.h"
#include "event_rules_int.h"
#include "rules.h"

/* "454 4.7.0", "550 5.7.64": an SMTP reply a delivery failed with. */
static bool
has_failure_reply(const char *m)
{
	const char	*p;

	for (p = m; p != NULL && *p != '\0'; p++) {
		if ((p[0] != '4' && p[0] != '5') || p[1] < '0' || p[1] > '9' ||
		    p[2] < '0' || p[2] > '9' || p[3] != ' ' || p[4] != p[0] ||
		    p[5] != '.')
			continue;
		if (p > m && p[-1] >= '0' && p[-1] <= '9')
			continue;
		return true;
	}
	return false;
}

bool
event_is_symptom(const struct ev_event *e)
{
	if (!event_relevant(e))
		return false;
	if (!str_eq_ci(e->level, "Information"))
		return true;
	return !e->message_raw && has_failure_reply(e->message);
}

/* The name part of "SERVER\Name". */
static const char *
conn_name(const char *conn)
{
	const char	*bs = conn ? strchr(conn, '\\') : NULL;

	return bs ? bs + 1 : conn;
}

const char *
event_connector_fqdn(const struct evidence *ev, const char *server,
    const char *connector)
{
	const struct ev_event	*e;
	size_t			 i;

	for (i = 0; connector != NULL && i < ev->nevents; i++) {
		e = &ev->events[i];
		if (event_effective_id(e) == 12014 && e->fqdn != NULL &&
		    e->connector != NULL && str_eq_ci(e->server, server) &&
		    ascii_casecmp(e->connector, conn_name(connector)) == 0)
			return e->fqdn;
	}
	return NULL;
}

/* ------------------------------------------------------------- words */

const char *
event_time_words(const struct ev_event *e, char *buf, size_t size)
{
	if (e->time == TIME_UNKNOWN) {
		snprintf(buf, size, "at a time the text does not give");
		return buf;
	}
	return time_text_zoned(e->time, e->time_exact, buf, size);
}

bool
name_is_pinned(const char *name)
{
	return name != NULL && ascii_strcasestr(name, "<S>") != NULL;
}

char *
name_words(const char *name)
{
	if (name_is_pinned(name))
		return xasprintf("the TlsCertificateName %s", name);
	return xstrdup(name);
}

/* ------------------------------------------------------------- claiming */

static bool
is_this_event(const struct symptom *s, const void *arg)
{
	return s->type == SYM_EVENT && s->origin == arg;
}

bool
event_unclaimed(const struct rule_ctx *ctx, const struct ev_event *e)
{
	return rule_count_unclaimed(ctx, is_this_event, e) > 0;
}

long
event_claim(struct rule_ctx *ctx, struct finding *f, const struct ev_event *e)
{
	return rule_claim(ctx, f, is_this_event, e, true);
}

/* ------------------------------------------------------------- coverage */

/* Whether c is the certificate `name` asks for: a host, or <I>..<S>.. */
static bool
answers(const struct ev_cert *c, const char *name,
    const struct tls_cert_name *tcn)
{
	if (tcn->subject != NULL)
		return tls_cert_name_matches(tcn, c->issuer, c->subject);
	return cert_covers(c, name);
}

/* The better of two verdicts: the one closer to a usable certificate. */
static int
rank(enum inv_verdict v)
{
	static const int order[] = {
		[INV_UNKNOWN] = 0, [INV_NONE] = 1, [INV_UNSURE] = 2,
		[INV_NO_SMTP] = 3, [INV_SERVICES_UNKNOWN] = 4,
		[INV_EXPIRED] = 5, [INV_NO_KEY] = 6, [INV_USABLE] = 7,
	};

	return order[v];
}

void
inventory_answer(const struct rule_ctx *ctx, const char *server,
    const char *name, struct inv_answer *a)
{
	const struct evidence	*ev = ctx->ev;
	const struct ev_cert	*c;
	struct tls_cert_name	 tcn;
	enum inv_verdict	 v;
	size_t			 i;

	memset(a, 0, sizeof *a);
	a->verdict = INV_UNKNOWN;
	for (i = 0; i < ev->ncerts; i++)
		if (ev->certs[i].server == NULL)
			a->unattributed++;
	if (server == NULL || name == NULL ||
	    !server_inventory_known(ev, server))
		return;
	a->verdict = INV_NONE;
	tls_cert_name_parse(name, &tcn);
	for (i = 0; i < ev->ncerts; i++) {
		c = &ev->certs[i];
		if (!str_eq_ci(c->server, server))
			continue;
		a->ncerts++;
		if (!answers(c, name, &tcn)) {
			if ((c->domains_incomplete || c->subject_incomplete ||
			    c->thumbprint == NULL) && rank(INV_UNSURE) >
			    rank(a->verdict)) {
				a->verdict = INV_UNSURE;
				a->cert = c;
			}
			continue;
		}
		if (c->services == SERVICES_UNKNOWN)
			v = INV_SERVICES_UNKNOWN;
		else if (!(c->services & SVC_SMTP))
			v = INV_NO_SMTP;
		else if (cert_expired_at(c, ctx->as_of))
			v = INV_EXPIRED;
		else if (c->has_private_key == TRI_FALSE)
			v = INV_NO_KEY;
		else
			v = INV_USABLE;
		if (rank(v) > rank(a->verdict)) {
			a->verdict = v;
			a->cert = c;
		}
	}
	tls_cert_name_clear(&tcn);
}

char *
inventory_sentence(const struct rule_ctx *ctx, const char *server,
    const char *name, const struct inv_answer *a)
{
	const struct ev_cert	*c = a->cert;
	const char		*verb = name_is_pinned(name) ? "matches" :
	    "contains";
	char			 svc[96], when[48];
	char			*nw = name_words(name), *out;

	switch (a->verdict) {
	case INV_UNKNOWN:
		if (server == NULL)
			out = xstrdup("The event names no computer, so which "
			    "server's certificates to compare is not known.");
		else if (a->unattributed > 0)
			out = xasprintf("Get-ExchangeCertificate of %s is not in "
			    "the bundle (its %zu certificate%s name no server), so "
			    "whether %s has a certificate that %s %s is not known.",
			    server, a->unattributed, a->unattributed == 1 ? "" :
			    "s", server, verb, nw);
		else
			out = xasprintf("Get-ExchangeCertificate of %s is not in "
			    "the bundle, so which certificates %s has is not "
			    "known.", server, server);
		break;
	case INV_NONE:
		out = xasprintf("None of the %zu certificate%s installed on %s "
		    "%s %s.", a->ncerts, a->ncerts == 1 ? "" : "s", server,
		    a->ncerts == 1 ? verb : verb[0] == 'm' ? "match" : "contain",
		    nw);
		break;
	case INV_UNSURE:
		out = xasprintf("No certificate installed on %s is seen to %s "
		    "%s, but the export cut or masked part of at least one of "
		    "them (%s), which may.", server, verb[0] == 'm' ? "match" :
		    "contain", nw, c->thumbprint ? c->thumbprint :
		    "thumbprint unknown");
		break;
	case INV_NO_SMTP:
		services_format(c->services, ", ", svc, sizeof svc);
		out = xasprintf("Certificate %s on %s %s %s but is not enabled "
		    "for SMTP (services %s), so transport does not use it.",
		    c->thumbprint, server, verb, nw, svc);
		break;
	case INV_SERVICES_UNKNOWN:
		out = xasprintf("Certificate %s on %s %s %s; the export does not "
		    "say whether it is enabled for SMTP.", c->thumbprint, server,
		    verb, nw);
		break;
	case INV_EXPIRED:
		out = xasprintf("Certificate %s on %s %s %s and is enabled for "
		    "SMTP, but it expired on %s.", c->thumbprint, server, verb, nw,
		    cert_time(c, c->not_after, when, sizeof when));
		break;
	case INV_NO_KEY:
		out = xasprintf("Certificate %s on %s %s %s and is enabled for "
		    "SMTP, but has no private key.", c->thumbprint, server, verb,
		    nw);
		break;
	case INV_USABLE:
		out = xasprintf("Certificate %s on %s %s %s, is enabled for SMTP, "
		    "valid at the as-of time and has its private key: the "
		    "inventory was collected after a change the event predates "
		    "(compare their times), or transport could not read the key "
		    "when it logged the event.", c->thumbprint, server, verb, nw);
		break;
	default:
		out = xstrdup("");
		break;
	}
	(void)ctx;
	free(nw);
	return out;
}

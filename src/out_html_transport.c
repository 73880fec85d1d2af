/*
 * report.html sections for the transport evidence beyond certificates and
 * send connectors: receive connectors, transport services and the events
 * that bear on TLS and certificates. Tables, one row per object, unknown
 * values shown as unknown.
 */
#include "config.h"

#include "out_html_sections.h"

static void
cell(struct html *h, const char *cls)
{
	if (cls != NULL)
		html_rawf(h, "</td><td class=\"%s\">", cls);
	else
		html_raw(h, "</td><td>");
}

void
section_receive_connectors(struct html *h, const struct report *r)
{
	static const char *const cols[] = { "Server", "Name", "Enabled",
	    "Bindings", "FQDN", "TLS certificate name", "Auth mechanism",
	    "Require TLS", "TLS domain capabilities", "Protocol logging",
	    "Role", NULL };
	const struct evidence	*ev = r->ev;
	size_t			 i;

	section_open(h, "receive-connectors", "Receive connectors", false);
	if (ev == NULL || ev->nrecvc == 0) {
		html_raw(h, "<p class=\"empty\">No receive connectors in the "
		    "bundle.</p>\n");
		section_close(h);
		return;
	}
	table_open(h, cols, NULL);
	for (i = 0; i < ev->nrecvc; i++) {
		const struct ev_receive_connector *c = &ev->recvc[i];

		html_raw(h, "<tr><td>");
		html_value(h, c->server);
		cell(h, NULL);
		html_value(h, c->name);
		cell(h, NULL);
		html_tri(h, c->enabled);
		cell(h, "mono");
		html_known_list(h, &c->bindings, c->bindings_known,
		    c->bindings_incomplete);
		cell(h, NULL);
		html_value(h, c->fqdn);
		cell(h, "mono");
		if (c->tls_certificate_name != NULL)
			html_text(h, c->tls_certificate_name);
		else
			html_raw(h, "<span class=\"muted\">not set</span>");
		cell(h, NULL);
		html_known_list(h, &c->auth_mechanism, c->auth_mechanism_known,
		    false);
		cell(h, NULL);
		html_tri(h, c->require_tls);
		cell(h, NULL);
		html_value(h, c->tls_domain_capabilities);
		cell(h, NULL);
		html_value(h, c->protocol_logging_level);
		cell(h, NULL);
		html_value(h, c->transport_role);
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
	section_close(h);
}

void
section_transport_services(struct html *h, const struct report *r)
{
	static const char *const cols[] = { "Server",
	    "Internal transport certificate", "Send protocol log path",
	    "Receive protocol log path", "Intra-org connector logging", NULL };
	const struct evidence	*ev = r->ev;
	size_t			 i;

	section_open(h, "transport-services", "Transport services", false);
	if (ev == NULL || ev->ntransport == 0) {
		html_raw(h, "<p class=\"empty\">No Get-TransportService output "
		    "in the bundle.</p>\n");
		section_close(h);
		return;
	}
	table_open(h, cols, NULL);
	for (i = 0; i < ev->ntransport; i++) {
		const struct ev_transport_service *t = &ev->transport[i];

		html_raw(h, "<tr><td>");
		html_value(h, t->server);
		cell(h, "mono");
		html_value(h, t->internal_transport_certificate);
		cell(h, "mono");
		html_value(h, t->send_protocol_log_path);
		cell(h, "mono");
		html_value(h, t->receive_protocol_log_path);
		cell(h, NULL);
		html_value(h, t->intra_org_connector_protocol_logging_level);
		html_raw(h, "</td></tr>\n");
	}
	table_close(h);
	section_close(h);
}

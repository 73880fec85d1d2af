/*
 * report.html sections for the transport evidence beyond certificates and
 * send connectors: receive connectors, transport services and the events
 * that bear on TLS and certificates. Tables, one row per object, from
 * their descriptions (columns.h); unknown values shown as unknown.
 */
#include "config.h"

#include "columns.h"
#include "out_html_sections.h"

void
section_receive_connectors(struct html *h, const struct report *r)
{
	const struct evidence	*ev = r->ev;

	section_open(h, "receive-connectors", "Receive connectors", false);
	if (ev == NULL || ev->nrecvc == 0) {
		html_raw(h, "<p class=\"empty\">No receive connectors in the "
		    "bundle.</p>\n");
		section_close(h);
		return;
	}
	html_table(h, r, &table_receive_connectors, NULL);
	section_close(h);
}

void
section_transport_services(struct html *h, const struct report *r)
{
	const struct evidence	*ev = r->ev;

	section_open(h, "transport-services", "Transport services", false);
	if (ev == NULL || ev->ntransport == 0) {
		html_raw(h, "<p class=\"empty\">No Get-TransportService output "
		    "in the bundle.</p>\n");
		section_close(h);
		return;
	}
	html_table(h, r, &table_transport_services, NULL);
	section_close(h);
}

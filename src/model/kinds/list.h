/*
 * The table of evidence kinds: one row each, in findings.json's order.
 *
 *   KIND(name, record struct, array in struct evidence)
 *
 * A row gives struct evidence the kind's array (ev->certs, ev->ncerts,
 * ev->certs_cap), the table of descriptors its entry (ev_kind_<name>, which
 * the kind's file under model/kinds/ defines), and names its column table
 * (table_<name>) and findings.json array ("<name>"). Adding a kind is its
 * file and one row here.
 */
#ifndef CERTTRAIL_KIND_LIST_H
#define CERTTRAIL_KIND_LIST_H

#define EV_KIND_LIST(KIND)						\
	KIND(servers,		ev_server,		servers)	\
	KIND(certificates,	ev_cert,		certs)		\
	KIND(send_connectors,	ev_send_connector,	sendc)		\
	KIND(receive_connectors, ev_receive_connector,	recvc)		\
	KIND(queues,		ev_queue,		queues)		\
	KIND(transport_services, ev_transport_service,	transport)	\
	KIND(tls_settings,	ev_tls_settings,	tls_settings)	\
	KIND(auth_config,	ev_auth_config,		auth_configs)	\
	KIND(events,		ev_event,		events)		\
	KIND(tls_outcomes,	ev_tls_agg,		tls)

#endif

/*
 * Queues (Get-Queue): the record and its store; the descriptor, mapper and
 * columns are in queue.c.
 */
#ifndef CERTTRAIL_KIND_QUEUE_H
#define CERTTRAIL_KIND_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"

struct ev_queue {
	char		*identity;	/* SERVER\id */
	char		*server;
	char		*delivery_type;
	char		*next_hop_domain;
	char		*next_hop_connector;
	char		*tls_domain;
	char		*status;	/* Ready, Retry, Suspended, Active */
	long		 message_count;	/* -1 unknown */
	char		*last_error;
	int64_t		 last_retry_time;
	/*
	 * True when the time came with its zone (CliXml, JSON); false for
	 * Format-List or CSV text, the server's local time read as UTC.
	 */
	bool		 last_retry_time_exact;
	struct ev_ref	 ref;
};


void	 ev_queue_init(struct ev_queue *);
/* Copies q into the evidence, merged on identity. */
struct ev_queue *evidence_add_queue(struct evidence *, const struct ev_queue *);

#endif

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
	 * True when the time is UTC: it came with its zone (CliXml, JSON), or
	 * was converted from local text with the server's inferred UTC offset
	 * (last_retry_time_converted). False for Format-List or CSV text, the
	 * server's local clock (held as if it were UTC).
	 */
	bool		 last_retry_time_exact;
	bool		 last_retry_time_converted;
	/* Read in a day/month order taken from other files: a guess. */
	bool		 last_retry_time_order_guessed;
	/* As written, when the day/month order could not be decided. */
	char		*last_retry_time_written;
	/*
	 * The export wrote the local time with its UTC offset (CliXml
	 * "...-08:00"): a clue to the server's offset (model/time_zone.c).
	 */
	bool		 last_retry_time_has_offset;
	int		 last_retry_time_offset;	/* minutes east of UTC */
	struct ev_ref	 ref;
};


void	 ev_queue_init(struct ev_queue *);
/* Copies q into the evidence, merged on identity. */
struct ev_queue *evidence_add_queue(struct evidence *, const struct ev_queue *);
/*
 * Whether the queue's status is one Get-Queue prints (Ready, Retry, ...):
 * not when it is missing or unreadable ("Retr..." cut at the console width).
 * A queue whose status is not known may be waiting.
 */
bool	 queue_status_known(const struct ev_queue *);

#endif

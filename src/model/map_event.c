/*
 * Event log entries (Get-WinEvent's EventLogRecord, Get-EventLog's
 * EventLogEntry) into events, keeping only the ids that bear on TLS and
 * certificates (event_id_relevant).
 */
#include "config.h"

#include <stdlib.h>

#include "record.h"

/* Get-WinEvent's Level: 1 Critical, 2 Error, 3 Warning, 4 Information. */
static const char *const level_names[] = {
	"LogAlways", "Critical", "Error", "Warning", "Information", "Verbose"
};

/* Get-EventLog's EntryType. */
static const char *const entry_type_names[] = {
	"0", "Error", "Warning", "3", "Information"
};

static char *
first_str(struct map_ctx *ctx, const struct record *r, const char *a,
    const char *b)
{
	char	*s = rv_str(ctx, r, a);

	return s != NULL ? s : rv_str(ctx, r, b);
}

int
map_event(struct map_ctx *ctx, const struct record *r)
{
	struct ev_event	 e;
	char		*machine;
	long		 id;

	ctx->ev->saw_event_log = true;
	if ((id = rv_long(ctx, r, "Id")) < 0 &&
	    (id = rv_long(ctx, r, "EventID")) < 0) {
		map_warn(ctx, r->line, "event without a readable Id; skipped");
		return -1;
	}
	if (!event_id_relevant(id)) {
		ctx->events_irrelevant++;
		return 0;
	}
	ev_event_init(&e);
	e.id = id;
	e.time = rv_time(ctx, r, "TimeCreated", NULL);
	if (e.time == TIME_UNKNOWN)
		e.time = rv_time(ctx, r, "TimeGenerated", NULL);
	e.provider = first_str(ctx, r, "ProviderName", "Source");
	machine = first_str(ctx, r, "MachineName", "PSComputerName");
	e.server = server_short_name(machine);
	free(machine);
	if ((e.level = rv_str(ctx, r, "LevelDisplayName")) == NULL &&
	    (e.level = rv_enum(ctx, r, "Level", level_names,
	    sizeof level_names / sizeof level_names[0])) == NULL)
		e.level = rv_enum(ctx, r, "EntryType", entry_type_names,
		    sizeof entry_type_names / sizeof entry_type_names[0]);
	e.message = rv_str(ctx, r, "Message");
	e.ref.source = xstrdup(ctx->source);
	e.ref.line = r->line;
	evidence_add_event(ctx->ev, &e);
	ev_event_clear(&e);
	return 1;
}

/*
 * Windows event logs (.evtx) through libevtx. The bundle is never written to
 * disk, so the log is read from memory: a libbfio handle whose read and seek
 * work on the entry's bytes, opened by libevtx_file_open_file_io_handle().
 * libbfio's own memory-range handle is not used: Debian's libbfio 20170123
 * copies the whole requested size even when the range ends first, reading
 * past the end of the entry on a short or hostile log.
 *
 * For each record: the event id, the written time (a FILETIME, UTC), the
 * computer, the source (provider) name, the level and the strings. The
 * message a viewer shows is rendered from the provider's message DLL, which
 * a bundle lacks: the message kept is the raw strings, and says so.
 *
 * Only this file includes libevtx.h and libbfio.h. Without libevtx at build
 * time, an .evtx entry gets a diagnostic and is listed as unsupported.
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "formats.h"
#include "ingest.h"

#ifdef HAVE_LIBEVTX

#include <libbfio.h>
#include <libevtx.h>

/* Strings kept per record (Exchange events carry a handful). */
#define EVTX_MAX_STRINGS	64
/* Seconds between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
#define FILETIME_EPOCH_DIFF	11644473600LL

bool
evtx_supported(void)
{
	return true;
}

/*
 * The innermost cause of a libevtx error (the first line of its backtrace;
 * the outer lines only say which call gave up), and the error freed.
 */
static void
evtx_error_text(libevtx_error_t **err, char *out, size_t size)
{
	char	trace[8192], *nl;
	size_t	n;

	snprintf(out, size, "unknown error");
	if (err == NULL || *err == NULL)
		return;
	if (libevtx_error_backtrace_sprint(*err, trace, sizeof trace) > 0) {
		trace[sizeof trace - 1] = '\0';
		if ((nl = strchr(trace, '\n')) != NULL)
			*nl = '\0';
		/* Long lines are cut; the cause is at their start. */
		if ((n = strlen(trace)) > 0 && size > 0) {
			if (n >= size)
				n = size - 1;
			memcpy(out, trace, n);
			out[n] = '\0';
		}
	}
	libevtx_error_free(err);
}

static int64_t
filetime_to_time(uint64_t ft)
{
	if (ft == 0)
		return TIME_UNKNOWN;
	return (int64_t)(ft / 10000000ULL) - FILETIME_EPOCH_DIFF;
}

/* ---------------------------------------------- the entry as a bfio handle */

struct mem_io {
	const uint8_t	*data;
	size_t		 size;
	size_t		 off;		/* may lie past the end: reads give 0 */
	bool		 open;
};

static int
mem_io_free(intptr_t **h, libbfio_error_t **err)
{
	(void)err;
	if (h != NULL)
		*h = NULL;	/* owned by ingest_evtx */
	return 1;
}

static int
mem_io_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **err)
{
	(void)dst;
	(void)src;
	(void)err;
	return -1;	/* one reader, never cloned */
}

static int
mem_io_open(intptr_t *h, int flags, libbfio_error_t **err)
{
	struct mem_io	*m = (struct mem_io *)h;

	(void)err;
	if ((flags & LIBBFIO_ACCESS_FLAG_WRITE) != 0)
		return -1;
	m->open = true;
	m->off = 0;
	return 1;
}

static int
mem_io_close(intptr_t *h, libbfio_error_t **err)
{
	(void)err;
	((struct mem_io *)h)->open = false;
	return 0;
}

/* Never more than what is left: the bound the library's own handle lacks. */
static ssize_t
mem_io_read(intptr_t *h, uint8_t *buf, size_t size, libbfio_error_t **err)
{
	struct mem_io	*m = (struct mem_io *)h;
	size_t		 n;

	(void)err;
	if (!m->open || buf == NULL || size > SSIZE_MAX)
		return -1;
	if (m->off >= m->size)
		return 0;
	n = m->size - m->off;
	if (n > size)
		n = size;
	memcpy(buf, m->data + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

static ssize_t
mem_io_write(intptr_t *h, const uint8_t *buf, size_t size,
    libbfio_error_t **err)
{
	(void)h;
	(void)buf;
	(void)size;
	(void)err;
	return -1;
}

static off64_t
mem_io_seek(intptr_t *h, off64_t offset, int whence, libbfio_error_t **err)
{
	struct mem_io	*m = (struct mem_io *)h;
	off64_t		 base;

	(void)err;
	if (!m->open)
		return -1;
	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_CUR)
		base = (off64_t)m->off;
	else if (whence == SEEK_END)
		base = (off64_t)m->size;
	else
		return -1;
	if (offset < -base || offset > INT64_MAX - base ||
	    (uint64_t)(base + offset) > SIZE_MAX)
		return -1;
	m->off = (size_t)(base + offset);
	return (off64_t)m->off;
}

static int
mem_io_exists(intptr_t *h, libbfio_error_t **err)
{
	(void)h;
	(void)err;
	return 1;
}

static int
mem_io_is_open(intptr_t *h, libbfio_error_t **err)
{
	(void)err;
	return ((struct mem_io *)h)->open ? 1 : 0;
}

static int
mem_io_get_size(intptr_t *h, size64_t *size, libbfio_error_t **err)
{
	(void)err;
	*size = (size64_t)((struct mem_io *)h)->size;
	return 1;
}

/* ---------------------------------------------------------------- records */

typedef int (*evtx_size_fn)(libevtx_record_t *, size_t *, libevtx_error_t **);
typedef int (*evtx_str_fn)(libevtx_record_t *, uint8_t *, size_t,
    libevtx_error_t **);

/* A UTF-8 string of the record, NULL when absent or unreadable. */
static char *
record_string(libevtx_record_t *rec, evtx_size_fn size_fn, evtx_str_fn str_fn)
{
	libevtx_error_t	*err = NULL;
	size_t		 size = 0;
	uint8_t		*s;

	if (size_fn(rec, &size, &err) != 1 || size == 0 ||
	    size > EVENT_MESSAGE_MAX) {
		libevtx_error_free(&err);
		return NULL;
	}
	s = xmalloc(size);
	if (str_fn(rec, s, size, &err) != 1) {
		libevtx_error_free(&err);
		free(s);
		return NULL;
	}
	s[size - 1] = '\0';
	return (char *)s;
}

/* The record's strings, each bounded. */
static void
record_strings(libevtx_record_t *rec, struct strlist *out)
{
	libevtx_error_t	*err = NULL;
	int		 n = 0, i;
	size_t		 size;
	uint8_t		*s;

	if (libevtx_record_get_number_of_strings(rec, &n, &err) != 1) {
		libevtx_error_free(&err);
		return;
	}
	for (i = 0; i < n && i < EVTX_MAX_STRINGS; i++) {
		size = 0;
		if (libevtx_record_get_utf8_string_size(rec, i, &size,
		    &err) != 1 || size == 0 || size > EVENT_MESSAGE_MAX) {
			libevtx_error_free(&err);
			strlist_add(out, "");
			continue;
		}
		s = xmalloc(size);
		if (libevtx_record_get_utf8_string(rec, i, s, size, &err) != 1) {
			libevtx_error_free(&err);
			s[0] = '\0';
		}
		s[size - 1] = '\0';
		strlist_add(out, (char *)s);
		free(s);
	}
}

/* Reads one record into e; false when its event id cannot be read. */
static bool
record_read(libevtx_record_t *rec, struct ev_event *e)
{
	libevtx_error_t	*err = NULL;
	uint32_t	 id;
	uint64_t	 ft;
	uint8_t		 level;
	struct strlist	 strings = { NULL, 0, 0 };

	if (libevtx_record_get_event_identifier(rec, &id, &err) != 1) {
		libevtx_error_free(&err);
		return false;
	}
	e->id = (long)(id & 0xffff);
	if (libevtx_record_get_written_time(rec, &ft, &err) == 1) {
		e->time = filetime_to_time(ft);
		e->time_exact = e->time != TIME_UNKNOWN;
	} else
		libevtx_error_free(&err);
	if (libevtx_record_get_event_level(rec, &level, &err) == 1)
		e->level = xstrdup(event_level_name(level));
	else
		libevtx_error_free(&err);
	e->server = record_string(rec, libevtx_record_get_utf8_computer_name_size,
	    libevtx_record_get_utf8_computer_name);
	e->provider = record_string(rec, libevtx_record_get_utf8_source_name_size,
	    libevtx_record_get_utf8_source_name);
	if (e->provider == NULL)
		e->provider = record_string(rec,
		    libevtx_record_get_utf8_provider_identifier_size,
		    libevtx_record_get_utf8_provider_identifier);
	record_strings(rec, &strings);
	e->message = event_raw_message(&strings);
	e->message_raw = e->message != NULL;
	strlist_free(&strings);
	return true;
}

/* Every allocated record of an open file; returns how many failed. */
static int
records_read(struct evidence *ev, const char *source, libevtx_file_t *file,
    struct event_tally *tally)
{
	libevtx_error_t		*err = NULL;
	libevtx_record_t	*rec;
	struct ev_event		 e;
	char			 msg[512];
	int			 n = 0, i, bad = 0, first_bad = -1;

	if (libevtx_file_get_number_of_records(file, &n, &err) != 1) {
		evtx_error_text(&err, msg, sizeof msg);
		diag_add(&ev->diags, DIAG_WARNING, source, "the number of "
		    "records cannot be read: %s", msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		rec = NULL;
		ev_event_init(&e);
		if (libevtx_file_get_record_by_index(file, i, &rec, &err) != 1 ||
		    !record_read(rec, &e)) {
			if (bad++ == 0) {
				first_bad = i;
				evtx_error_text(&err, msg, sizeof msg);
			} else
				libevtx_error_free(&err);
		} else {
			e.ref.source = (char *)source;
			event_keep(ev, &e, tally);
			e.ref.source = NULL;
		}
		ev_event_clear(&e);
		if (rec != NULL)
			libevtx_record_free(&rec, NULL);
	}
	if (bad > 0)
		diag_add(&ev->diags, DIAG_WARNING, source, "%d of %d records "
		    "could not be read (the first, record %d: %s)", bad, n,
		    first_bad, msg);
	return bad;
}

int
ingest_evtx(struct evidence *ev, const char *source, const unsigned char *data,
    size_t len)
{
	struct mem_io		 mem = { data, len, 0, false };
	libbfio_handle_t	*io = NULL;
	libbfio_error_t		*berr = NULL;
	libevtx_file_t		*file = NULL;
	libevtx_error_t		*err = NULL;
	struct event_tally	 tally = { 0, 0 };
	char			 msg[512];
	int			 recovered = 0, bad, rc = -1;

	if (libbfio_handle_initialize(&io, (intptr_t *)&mem, mem_io_free,
	    mem_io_clone, mem_io_open, mem_io_close, mem_io_read, mem_io_write,
	    mem_io_seek, mem_io_exists, mem_io_is_open, mem_io_get_size,
	    LIBBFIO_FLAG_IO_HANDLE_NON_MANAGED, &berr) != 1) {
		libbfio_error_free(&berr);
		diag_add(&ev->diags, DIAG_ERROR, source, "not read: the event "
		    "log cannot be opened from memory");
		goto out;
	}
	if (libevtx_file_initialize(&file, &err) != 1 ||
	    libevtx_file_open_file_io_handle(file, io,
	    LIBEVTX_OPEN_READ, &err) != 1) {
		evtx_error_text(&err, msg, sizeof msg);
		diag_add(&ev->diags, DIAG_WARNING, source, "not read: not a "
		    "readable event log (%s)", msg);
		goto out;
	}
	ev->saw_event_log = true;
	if (libevtx_file_is_corrupted(file, NULL) == 1)
		diag_add(&ev->diags, DIAG_INFO, source, "the log is flagged "
		    "dirty or damaged (usual for a log copied while in use); "
		    "the records that read are used");
	bad = records_read(ev, source, file, &tally);
	if (libevtx_file_get_number_of_recovered_records(file, &recovered,
	    NULL) == 1 && recovered > 0)
		diag_add(&ev->diags, DIAG_INFO, source, "%d recovered record%s "
		    "(left over from cleared or overwritten events) not read",
		    recovered, recovered == 1 ? "" : "s");
	event_tally_report(ev, source, &tally, "event log");
	/* A log none of whose records read is damaged, not empty. */
	rc = tally.read == 0 && bad > 0 ? -1 : (int)tally.kept;
	libevtx_file_close(file, NULL);
out:
	if (file != NULL)
		libevtx_file_free(&file, NULL);
	if (io != NULL)
		libbfio_handle_free(&io, NULL);
	return rc;
}

#else /* !HAVE_LIBEVTX */

bool
evtx_supported(void)
{
	return false;
}

int
ingest_evtx(struct evidence *ev, const char *source, const unsigned char *data,
    size_t len)
{
	(void)data;
	diag_add(&ev->diags, DIAG_WARNING, source, "not read: a Windows event "
	    "log (%zu bytes), and this build of certtrail has no libevtx "
	    "(install libevtx-dev and libbfio-dev, then rebuild)", len);
	return 0;
}

#endif

/* ------------------------------------------------------------ the format */

static int
bid_evtx(const struct ingest_entry *e)
{
	return e->len >= 8 && memcmp(e->data, "ElfFile\000", 8) == 0 ? 100 : 0;
}

/*
 * An .evtx file: read with libevtx, or listed as unsupported without it
 * (and then no evidence, whatever it holds).
 */
static int
read_evtx(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	int	n;

	n = ingest_evtx(ctx->ev, e->path, e->data, e->len);
	if (!evtx_supported()) {
		if (e->outcome != NULL) {
			e->outcome->status = MANIFEST_UNSUPPORTED;
			snprintf(e->outcome->why, sizeof e->outcome->why,
			    "Windows event log; this build has no libevtx");
		}
		return -1;
	}
	if (n < 0 && e->outcome != NULL) {
		e->outcome->status = MANIFEST_DAMAGED;
		snprintf(e->outcome->why, sizeof e->outcome->why, "not a "
		    "readable Windows event log");
	}
	return n;
}

const struct format format_evtx = {
	.name = "event-log",
	.best = 100, .bid = bid_evtx, .ingest = read_evtx,
	.read_is_evidence = true,
};

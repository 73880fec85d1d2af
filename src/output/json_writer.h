/*
 * A small streaming JSON writer into a struct buf: pretty-printed with two
 * spaces, commas handled for the caller, strings escaped and cleaned to valid
 * UTF-8 (evidence text can hold anything).
 */
#ifndef CERTTRAIL_JSON_WRITER_H
#define CERTTRAIL_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "model/evidence.h"
#include "util/util.h"

#define JSON_MAX_DEPTH 32

struct json_writer {
	struct buf	*out;
	int		 depth;
	bool		 has_items[JSON_MAX_DEPTH];
	bool		 after_key;
};

void	jw_init(struct json_writer *, struct buf *);
void	jw_object_begin(struct json_writer *);
void	jw_object_end(struct json_writer *);
void	jw_array_begin(struct json_writer *);
void	jw_array_end(struct json_writer *);
void	jw_key(struct json_writer *, const char *);
void	jw_string(struct json_writer *, const char *);	/* NULL: null */
void	jw_int(struct json_writer *, long long);
void	jw_bool(struct json_writer *, bool);
void	jw_null(struct json_writer *);
void	jw_tri(struct json_writer *, tri_t);		/* unknown: null */
void	jw_time(struct json_writer *, int64_t);		/* unknown: null */
/*
 * A time that is UTC ("...Z") or, utc false, the server's local clock
 * without a zone ("2026-11-02T16:00:00"); unknown: null.
 */
void	jw_time_as(struct json_writer *, int64_t, bool utc);
void	jw_strlist(struct json_writer *, const struct strlist *);

/* key + value shorthands */
void	jw_kv_string(struct json_writer *, const char *, const char *);
void	jw_kv_int(struct json_writer *, const char *, long long);

#endif

/*
 * ConvertTo-Json objects as property records (model/record.h). A JSON
 * string is marked flat: past its -Depth ConvertTo-Json writes a collection
 * as its items joined by spaces, which the list readers may split
 * (rv_list_items). Strings that are only a string form (a type name, a
 * "@{...}" custom object) are unknown.
 */
#ifndef CERTTRAIL_JSON_RECORD_H
#define CERTTRAIL_JSON_RECORD_H

struct json_value;
struct record;

/* 5.1 wraps some arrays as {"value": [...], "Count": n}: the array. */
const struct json_value *json_unwrap(const struct json_value *);
/* The object as a record (initialized here; record_free() it). */
void	 json_record(const struct json_value *, struct record *);

#endif

/*
 * The columns of the current row, read by the row handlers: a column
 * unescaped into a NUL-terminated copy only when asked for, the row's time
 * and direction, and its text cut for a sample.
 */
#include "config.h"

#include <string.h>

#include "parser.h"
#include "util/datetime.h"
#include "util/text.h"

/* A column's value, unescaped and NUL-terminated; NULL when absent or empty. */
const char *
col(struct protolog *pl, enum column c)
{
	const struct rawfield	*f = raw(pl, c);
	const char		*p, *end;
	char			*o;

	if (f == NULL || f->n == 0)
		return NULL;
	if (pl->have[c])
		return pl->val[c];
	pl->val[c] = xreallocarray_grow(pl->val[c], &pl->val_cap[c], f->n + 1, 1);
	o = pl->val[c];
	if (!f->quoted) {
		memcpy(o, f->p, f->n);
		o += f->n;
	} else {
		/* Runs between quotes are copied whole; "" becomes ". */
		for (p = f->p, end = f->p + f->n; p < end; ) {
			const char	*q = memchr(p, '"', (size_t)(end - p));
			size_t		 run = (size_t)((q != NULL ? q + 1 : end) - p);

			memcpy(o, p, run);
			o += run;
			p += run + (q != NULL);	/* skips the second of "" */
		}
	}
	*o = '\0';
	pl->have[c] = true;
	return pl->val[c];
}

/* The row as written, cut at a character boundary, for sample text. */
const char *
row_sample(struct protolog *pl, const char *line, size_t len)
{
	if (len > PROTOLOG_SAMPLE_MAX) {
		len = PROTOLOG_SAMPLE_MAX;
		while (len > 0 && ((unsigned char)line[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(pl->sample, line, len);
	pl->sample[len] = '\0';
	return pl->sample;
}

/*
 * Send or receive: the #Log-type line says; without it the SSPI protocol
 * name (_CLIENT on send, _SERVER on receive) does, then the connector-id
 * form (receive logs write SERVER\Connector).
 */
bool
row_is_receive(const struct protolog *pl, char side, const char *connector)
{
	if (pl->stats.direction != PROTOLOG_DIR_UNKNOWN)
		return pl->stats.direction == PROTOLOG_RECEIVE;
	if (side != 0)
		return side == 'S';
	return connector != NULL && strchr(connector, '\\') != NULL;
}

/*
 * Whether v is a time as Exchange writes it, "yyyy-mm-ddThh:mm:ss.fffZ",
 * whose second its first 19 bytes alone decide.
 */
static bool
exchange_form(const char *v)
{
	return strlen(v) == 24 && v[19] == '.' && is_dec_digit(v[20]) &&
	    is_dec_digit(v[21]) && is_dec_digit(v[22]) && v[23] == 'Z';
}

int64_t
row_time(struct protolog *pl)
{
	const char	*v = col(pl, COL_DATE_TIME);
	int64_t		 t;

	if (v == NULL)
		return TIME_UNKNOWN;
	/* The same second as the last one read: its value, not a parse. */
	if (pl->time_memo_len != 0 && exchange_form(v) &&
	    memcmp(v, pl->time_memo, sizeof pl->time_memo) == 0)
		return pl->time_memo_t;
	if (!date_parse_iso(v, &t))
		return TIME_UNKNOWN;
	if (exchange_form(v)) {
		memcpy(pl->time_memo, v, sizeof pl->time_memo);
		pl->time_memo_len = sizeof pl->time_memo;
		pl->time_memo_t = t;
	}
	return t;
}


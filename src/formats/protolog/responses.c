/*
 * SMTP response rows: what an EHLO reply offered (STARTTLS,
 * X-ANONYMOUSTLS), and the 4xx and 5xx responses with their enhanced codes.
 */
#include "config.h"

#include <string.h>

#include "parser.h"

/*
 * A response row: "250-STARTTLS" and friends mark what the EHLO offered;
 * "451 4.4.0 ..." (4xx, 5xx) is counted with its enhanced code.
 */
void
response_row(struct protolog *pl, struct session *s, const struct rawfield *d,
    long lineno, const char *line, size_t len)
{
	struct protolog_response	 r;
	char				 code[16];
	const char			*p = d->p, *end = d->p + d->n, *q;
	size_t				 n;

	if (p[0] == '2') {
		/*
		 * Only EHLO replies offer extensions: "250  host Hello ...",
		 * "250-STARTTLS". "250 2.1.0 Sender OK" and the like are not.
		 */
		if (s != NULL && p[1] == '5' && p[2] == '0' &&
		    !(d->n > 6 && is_dec_digit(p[4]) && p[5] == '.')) {
			if (has_word(p + 3, d->n - 3, &word_starttls))
				s->starttls = true;
			if (has_word(p + 3, d->n - 3, &word_anontls))
				s->anontls = true;
		}
		return;
	}
	if (p[0] != '4' && p[0] != '5')
		return;
	memcpy(code, p, 3);
	n = 3;
	/* " 4.4.0": the enhanced code, when it follows. */
	q = p + 4;
	if (q < end && (*q == '4' || *q == '5') && q + 1 < end && q[1] == '.') {
		const char *e = q + 2;

		while (e < end && is_dec_digit(*e) && e - q < 6)
			e++;
		if (e < end && *e == '.' && e > q + 2) {
			e++;
			while (e < end && is_dec_digit(*e) && e - q < 10)
				e++;
			if (e > q && is_dec_digit(e[-1]) && (e == end || *e == ' ')) {
				code[n++] = ' ';
				memcpy(code + n, q, (size_t)(e - q));
				n += (size_t)(e - q);
			}
		}
	}
	code[n] = '\0';
	pl->stats.responses++;
	if (pl->cb.response == NULL)
		return;
	memset(&r, 0, sizeof r);
	r.connector = col(pl, COL_CONNECTOR);
	r.remote_endpoint = col(pl, COL_REMOTE);
	r.receive = row_is_receive(pl, 0, r.connector);
	r.code = code;
	r.time = row_time(pl);
	r.line = lineno;
	r.text = row_sample(pl, line, len);
	r.source = pl->source;
	pl->cb.response(pl->cb.arg, &r);
}

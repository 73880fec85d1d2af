/*
 * A bounded output buffer for HTML, with the escaping every renderer of
 * untrusted text needs. Markup the program writes itself goes in with
 * html_raw*; anything that came from the bundle or the command line goes in
 * with html_text*, which makes it valid UTF-8 and escapes & < > " '.
 *
 * Growth past the maximum does not fail each call: the buffer remembers the
 * overflow and the caller checks html_overflowed() once at the end.
 */
#ifndef CERTTRAIL_HTML_WRITER_H
#define CERTTRAIL_HTML_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"
#include "util/util.h"

struct html {
	struct buf	 b;
	bool		 overflow;
};

void	 html_init(struct html *, size_t max);
void	 html_free(struct html *);
bool	 html_overflowed(const struct html *);

/* Trusted markup, copied as is. */
void	 html_raw(struct html *, const char *);
void	 html_rawf(struct html *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Untrusted text: cleaned and escaped. NULL writes nothing. */
void	 html_text(struct html *, const char *);
void	 html_textn(struct html *, const char *, size_t);
/* As html_text, but the trusted `unknown` when the text is NULL. */
void	 html_text_or(struct html *, const char *, const char *unknown);
/* <tag class="cls">text</tag>; cls may be NULL. */
void	 html_elem(struct html *, const char *tag, const char *cls,
	    const char *text);

/*
 * s (NULL: empty) as a quoted CSS string, for a <style> block: everything but
 * letters, digits and a few harmless marks is a \HHHHHH escape, so no text
 * can end the string, the rule or the element.
 */
void	 css_string(struct html *, const char *);

/* An escaped, cleaned copy of s[0..len). */
char	*html_escape(const char *, size_t);

/*
 * Copies `tmpl` into `out`, replacing each "{{name}}" by the value of the
 * slot with that name. Placeholders without a slot are copied unchanged, so
 * a typo in the template shows up in the page instead of vanishing.
 */
struct html_slot {
	const char	*name;
	const char	*value;
	size_t		 len;
};

void	 html_fill_template(struct html *out, const char *tmpl, size_t len,
	    const struct html_slot *, size_t nslots);


#endif

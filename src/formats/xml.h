/*
 * A small XML tokenizer, bounded everywhere: attributes per element, name
 * lengths, text lengths. It hands out start tags (with their attributes), end
 * tags and text, one token at a time: entities and CDATA decoded, comments,
 * processing instructions and declarations skipped, line ends in text and
 * attribute values normalized, every token with its line number. Every step
 * moves forward through the input. It does not check that tags nest: that,
 * and the depth limit, are the caller's business, since the caller knows the
 * vocabulary.
 *
 * A document type declaration with an internal subset is refused: it could
 * declare entities, and expanding those is how XML bombs work.
 *
 * Ownership: a token owns its attribute values and text until the next
 * xml_next() or xml_tok_reset() on it. The lexer points into the caller's
 * input, which must outlive it.
 */
#ifndef CERTTRAIL_XML_H
#define CERTTRAIL_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define XML_MAX_ATTRS	32		/* per element */
#define XML_MAX_NAME	256		/* element and attribute names */
#define XML_MAX_TEXT	(256UL * 1024 * 1024)	/* one text or attribute value */

enum xml_tok_kind { XML_START, XML_END, XML_TEXT, XML_EOF };

struct xml_attr {
	char	name[XML_MAX_NAME + 1];
	char	*value;		/* entity-decoded */
};

struct xml_tok {
	enum xml_tok_kind kind;
	char		 name[XML_MAX_NAME + 1];
	bool		 empty;		/* <x/> */
	struct xml_attr	 attrs[XML_MAX_ATTRS];
	size_t		 nattrs;
	char		*text;		/* XML_TEXT, entity-decoded */
	size_t		 textlen;
	long		 line;
};

struct xml_lexer {
	const char	*p;
	const char	*end;
	long		 line;
};

/* Starts reading text[0..len) at line 1. */
void		 xml_lexer_init(struct xml_lexer *, const char *text, size_t len);
struct parse_diag;

/*
 * The next token into t (whose previous contents are freed first): 0, or -1
 * when an error stops the document, its cause and line given to `why`
 * (parse_cause). XML_EOF at the end of the input.
 */
int		 xml_next(struct xml_lexer *, struct xml_tok *,
		    struct parse_diag *why);
/* Frees what the token owns and empties it. */
void		 xml_tok_reset(struct xml_tok *);
/* An attribute's decoded value by exact name, else NULL. */
const char	*xml_tok_attr(const struct xml_tok *, const char *name);

/* XML's white space: space, tab, CR, LF. */
bool		 xml_is_space(char);
/*
 * Appends a code point as UTF-8. NUL, surrogates and anything past U+10FFFF
 * become U+FFFD, since none of them may appear in the text that comes out.
 */
void		 xml_utf8_put(struct buf *, uint32_t cp);

#endif

/*
 * Terminal colour codes in console text, removed before it is read.
 */
#ifndef CERTTRAIL_TERMCODES_H
#define CERTTRAIL_TERMCODES_H

#include <stddef.h>

/*
 * Removes from s[0..*len) every control sequence a terminal acts on (ESC [
 * ... final byte) and, when the text holds a colour reset that lost its
 * ESC ("[0m"), every colour code that lost it ("[32;1m"). In place; s
 * stays NUL-terminated and *len shrinks. Returns how many codes went.
 */
size_t	termcodes_strip(char *s, size_t *len);

#endif

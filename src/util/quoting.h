/*
 * E-mail reply quoting ("> ", "> > ", ">>") in pasted text, removed before
 * it is read.
 */
#ifndef CERTTRAIL_QUOTING_H
#define CERTTRAIL_QUOTING_H

#include <stddef.h>

/*
 * Removes the quote markers at the start of every line of each quoted
 * block of s[0..*len): a run of at least two lines that each begin with
 * '>'. Each '>' goes with the one space after it when the whole block
 * writes a space after its markers ("> text", ">" alone for a blank line),
 * else alone (">text"), so the indentation of what was quoted is kept. In
 * place; s stays NUL-terminated and *len shrinks. Returns how many lines
 * lost their markers.
 */
size_t	quoting_strip(char *s, size_t *len);

#endif

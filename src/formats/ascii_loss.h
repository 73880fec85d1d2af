/*
 * Text written as ASCII: Windows PowerShell 5.1's Export-Csv (and Out-File
 * -Encoding ASCII) writes '?' for every character it cannot encode, so
 * "O=Müller, L=Köln" arrives as "O=M?ller, L=K?ln". Such a file is told by
 * its text: not one byte outside ASCII, and a '?' between two letters, which
 * no certificate, connector or queue value has otherwise. Names read from it
 * are compared loosely (model/dn.h, dn_compare).
 */
#ifndef CERTTRAIL_ASCII_LOSS_H
#define CERTTRAIL_ASCII_LOSS_H

#include <stdbool.h>
#include <stddef.h>

struct map_ctx;

struct ascii_loss {
	size_t	count;		/* '?' inside words: between two letters */
	long	first_line;	/* 1-based line of the first, 0 when none */
	char	word[48];	/* the word around the first ("M?ller") */
};

/* Whether the text looks written as ASCII with characters lost; fills *out. */
bool	ascii_loss_scan(const char *text, size_t len, struct ascii_loss *out);
/*
 * Scans the file's text; when it lost characters, marks the mapping context
 * (its values with '?' are lossy) and warns once, naming the file.
 */
void	ascii_loss_note(struct map_ctx *, const char *text, size_t len);

#endif

/*
 * The report's HTML template and stylesheet, embedded into the binary at build
 * time by tools/embed.sh from report/. Each array ends with a NUL that its
 * length does not count, so the assets can also be used as C strings.
 */
#ifndef CERTTRAIL_ASSETS_H
#define CERTTRAIL_ASSETS_H

#include <stddef.h>

extern const unsigned char	report_template[];
extern const size_t		report_template_len;
extern const unsigned char	report_css[];
extern const size_t		report_css_len;

#endif

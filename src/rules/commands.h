/*
 * The PowerShell commands the rules print (commands.c): every remediation
 * step and every gap's collect command is built here, so that each runs as
 * printed when pasted into the Exchange Management Shell. A value from the
 * bundle (a connector name, a subject, a server, a file name) goes through
 * ps_quote, the one quoting function: a single-quoted string with its inner
 * single quotes doubled, so nothing in it is expanded and a distinguished
 * name such as CN=mail.contoso.com, O="Contoso, Ltd." survives intact.
 * Returned strings are the caller's to free.
 */
#ifndef CERTTRAIL_COMMANDS_H
#define CERTTRAIL_COMMANDS_H

#include "util/util.h"

/* 'value' with every single quote (and its typographic kin) doubled. */
char	*ps_quote(const char *);
/* The value bare when it is one plain word (letters, digits, . - _ \ and
 * not a parameter name), else ps_quote'd. */
char	*ps_arg(const char *);

/*
 * A command from a format whose conversions are:
 *   %s  text of the command itself, copied as it is (never bundle data)
 *   %q  a value from the bundle (const char *), through ps_arg
 *   %Q  a value from the bundle (const char *), always through ps_quote
 *   %L  a list (const struct strlist *): its values through ps_arg, joined
 *       by commas, as a parameter that takes several values wants them
 *   %d %ld %zu  numbers; %% a percent sign
 * Any other conversion, or a NULL value, is a programming error and aborts:
 * a rule must decide what to print when the bundle lacks a value.
 */
char	*ps_cmd(const char *fmt, ...);

/* " -Server X" when the server is known, else "" (the command then runs on
 * the server it is pasted on, which the step's text names). */
char	*ps_server_opt(const char *server);

/*
 * Two lines that let the reader pick a certificate the bundle cannot name:
 * the server's certificates listed, then $VAR set to the one whose
 * thumbprint the reader types (Read-Host). The steps after it use $VAR.
 */
char	*ps_choose_cert(const char *server, const char *var);

/* A file's path as the shell reaches it: \\SERVER\c$\FILE on a known
 * server, else C:\FILE on the server the command is pasted on. To be
 * printed through %Q. */
char	*ps_share_file(const char *server, const char *file);

#endif

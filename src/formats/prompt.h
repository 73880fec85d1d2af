/*
 * Console prompt and echo lines pasted above cmdlet output:
 *
 *   [PS] C:\Windows\system32>Get-ExchangeCertificate -Server excas1 | fl
 *   PS C:\Users\admin> Get-Queue EX07\50 | fl
 *   PS> Get-TransportService -Identity EXHUB1 | fl
 *
 * The command names the cmdlet that printed what follows (so the kind of
 * object) and often the server: -Server X, -ComputerName X, -Identity
 * X\..., or a positional identity (a queue's SERVER\id, a server name for
 * the cmdlets whose identity is a server). Variables ($env:COMPUTERNAME,
 * $_) and placeholders (<server>) name nothing.
 */
#ifndef CERTTRAIL_PROMPT_H
#define CERTTRAIL_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether the line is a prompt; *cmd and *cmd_len (may be NULL) get the
 * command after it, trimmed ("" when the prompt stands alone).
 */
bool	 prompt_line(const char *s, size_t n, const char **cmd, size_t *cmd_len);

struct prompt_cmd {
	char	*cmdlet;	/* "Get-Queue", as written; NULL when none */
	char	*server;	/* short upper-case name; NULL when it names none */
	char	*identity;	/* the object's identity argument, "EX07\50"; NULL */
};

/* Reads a command ("Get-Queue EX07\50 | fl"); fields NULL when absent. */
void	 prompt_cmd_parse(const char *cmd, size_t len, struct prompt_cmd *out);
void	 prompt_cmd_free(struct prompt_cmd *);

#endif

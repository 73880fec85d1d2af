/*
 * What the errors the evidence carries mean, in a sentence for people: the
 * SSPI and socket errors of "TLS negotiation failed" rows, and the Winsock
 * codes of "Failed to connect" rows. The table of TLS outcomes shows the
 * first beside each error; the symptoms name the second.
 */
#ifndef CERTTRAIL_ERROR_MEANINGS_H
#define CERTTRAIL_ERROR_MEANINGS_H

/* "UnknownCredentials" -> "SEC_E_UNKNOWN_CREDENTIALS (0x8009030D): ..."; NULL unknown. */
const char *tls_error_meaning(const char *error);
/* 10060 -> "connection timed out: ..."; NULL unknown. */
const char *winsock_error_meaning(long code);

#endif

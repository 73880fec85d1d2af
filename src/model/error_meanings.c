/*
 * What the errors the evidence carries mean (error_meanings.h).
 */
#include "config.h"

#include <stddef.h>

#include "util/util.h"
#include "error_meanings.h"

const char *
tls_error_meaning(const char *error)
{
	static const struct { const char *name, *meaning; } m[] = {
		{ "UnknownCredentials", "SEC_E_UNKNOWN_CREDENTIALS (0x8009030D): "
		    "the certificate's private key cannot be used for TLS" },
		{ "NoCredentials", "SEC_E_NO_CREDENTIALS (0x8009030E): no "
		    "certificate with a usable private key for this name" },
		{ "IllegalMessage", "SEC_E_ILLEGAL_MESSAGE: the peer sent a "
		    "message TLS cannot read or rejected ours (often no common "
		    "protocol version or cipher)" },
		{ "AlgorithmMismatch", "SEC_E_ALGORITHM_MISMATCH: no protocol "
		    "version or cipher suite in common" },
		{ "CertUnknown", "SEC_E_CERT_UNKNOWN: the certificate could not "
		    "be processed" },
		{ "CertExpired", "SEC_E_CERT_EXPIRED: a certificate in the chain "
		    "has expired" },
		{ "UntrustedRoot", "SEC_E_UNTRUSTED_ROOT: the chain ends at a "
		    "root that is not trusted" },
		{ "TargetUnknown", "SEC_E_TARGET_UNKNOWN: the target name is "
		    "not known" },
		{ "WrongPrincipal", "SEC_E_WRONG_PRINCIPAL: the certificate does "
		    "not match the host name" },
		{ "InternalError", "SEC_E_INTERNAL_ERROR: SChannel failed "
		    "internally (often a private key it cannot open)" },
		{ "InvalidToken", "SEC_E_INVALID_TOKEN: the handshake data was "
		    "malformed" },
		{ "IncompleteMessage", "SEC_E_INCOMPLETE_MESSAGE: the handshake "
		    "was cut short" },
		{ "LogonDenied", "SEC_E_LOGON_DENIED: the credentials were "
		    "refused" },
		{ "SocketError", "the connection failed during the handshake" },
		{ "ConnectionReset", "the peer reset the connection during the "
		    "handshake" },
		{ "ConnectionAborted", "the connection was aborted during the "
		    "handshake" },
		{ "TimedOut", "the handshake timed out" },
	};
	size_t	i;

	for (i = 0; error != NULL && i < sizeof m / sizeof m[0]; i++)
		if (ascii_casecmp(error, m[i].name) == 0)
			return m[i].meaning;
	return NULL;
}

const char *
winsock_error_meaning(long code)
{
	static const struct { long code; const char *text; } w[] = {
		{ 10013, "access denied: a local firewall or policy blocks the "
		    "socket" },
		{ 10048, "address already in use" },
		{ 10049, "the address is not valid for this computer" },
		{ 10050, "the network is down" },
		{ 10051, "the network is unreachable: no route" },
		{ 10053, "the connection was aborted locally" },
		{ 10054, "the connection was reset by the remote host" },
		{ 10060, "connection timed out: no answer, a firewall dropping "
		    "port 25 or the host down" },
		{ 10061, "connection refused: the host answered, but nothing "
		    "accepts connections on the port or it rejects this sender" },
		{ 10064, "the host is down" },
		{ 10065, "no route to the host" },
		{ 11001, "host not found: DNS has no such name" },
		{ 11002, "temporary DNS failure: no authoritative answer" },
		{ 11003, "non-recoverable DNS failure" },
		{ 11004, "the name exists but has no address record" },
	};
	size_t	i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (w[i].code == code)
			return w[i].text;
	return NULL;
}

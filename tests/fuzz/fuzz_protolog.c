/*
 * Fuzz target: SMTP protocol logs, read whole, and read again in pieces as
 * a large log in an archive is (logread.h): both must come to the same.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_common.h"
#include "formats/ingest.h"
#include "formats/protolog/logread.h"

const char fuzz_corpus_name[] = "protolog";

#define FUZZ_LOG_PATH	"EX1/SmtpSend/SEND2026110100-1.LOG"

static void
read_whole(struct evidence *ev, const uint8_t *data, size_t size)
{
	struct bundle_entry	 e;
	struct logread		*lr;

	memset(&e, 0, sizeof e);
	e.path = FUZZ_LOG_PATH;
	e.data = data;
	e.len = size;
	lr = logread_new(ev, false, 0);
	logread_offer(lr, &e);
	logread_finish(lr);
}

static void
read_pieces(struct evidence *ev, const uint8_t *data, size_t size,
    size_t piece)
{
	struct manifest_entry	 m;
	struct logread		*lr;
	struct bundle_pieces	*t;
	unsigned char		*dst;
	size_t			 off = 0, cap, n;

	/* The manifest line the walk writes, waiting for the hash. */
	memset(&m, 0, sizeof m);
	m.path = (char *)FUZZ_LOG_PATH;
	m.kind = "protocol-log";
	m.sha256_pending = true;
	evidence_add_entry(ev, &m);
	lr = logread_new(ev, false, piece);
	t = logread_pieces(lr, FUZZ_LOG_PATH);
	while (off < size) {
		dst = t->buffer(t, &cap);
		n = size - off < cap ? size - off : cap;
		memcpy(dst, data + off, n);
		t->put(t, dst, n);
		off += n;
	}
	t->end(t, true);
	logread_finish(lr);
}

static bool
same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/*
 * Only what the pipeline takes in pieces: no NUL byte (UTF-16), no
 * byte-order mark at the start. The piece size comes from the first byte,
 * so the corpus cuts logs everywhere.
 */
static void
pieces_agree(const uint8_t *data, size_t size)
{
	struct evidence	 whole, pieces;
	size_t		 i;
	bool		 same;

	if (size == 0 || memchr(data, '\0', size) != NULL ||
	    (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ||
	    (size >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 ||
	    memcmp(data, "\xFE\xFF", 2) == 0)))
		return;
	evidence_init(&whole);
	evidence_init(&pieces);
	read_whole(&whole, data, size);
	read_pieces(&pieces, data, size, 1 + data[0] % 97);
	same = memcmp(&whole.logs, &pieces.logs, sizeof whole.logs) == 0 &&
	    whole.diags.n == pieces.diags.n && whole.ntls == pieces.ntls &&
	    whole.nsessions == pieces.nsessions &&
	    whole.nresponses == pieces.nresponses;
	for (i = 0; same && i < whole.diags.n; i++)
		same = whole.diags.v[i].level == pieces.diags.v[i].level &&
		    same_str(whole.diags.v[i].message, pieces.diags.v[i].message);
	for (i = 0; same && i < whole.ntls; i++)
		same = whole.tls[i].count == pieces.tls[i].count &&
		    same_str(whole.tls[i].sample_text, pieces.tls[i].sample_text);
	if (!same)
		abort();
	evidence_free(&whole);
	evidence_free(&pieces);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_ingester(data, size, ingest_protolog);
	pieces_agree(data, size);
	return 0;
}

/*
 * Fuzz target: SMTP protocol logs, read whole, and read again in pieces as
 * a large log in an archive is (logread.h): both must come to the same.
 * And the log read once more in two other folders, whole and in pieces (a
 * bundle given twice): the copies are not counted (logcopy.h), so that
 * comes to the same as reading it once.
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
offer_whole(struct logread *lr, const char *path, const uint8_t *data,
    size_t size)
{
	struct bundle_entry	 e;

	memset(&e, 0, sizeof e);
	e.path = path;
	e.data = data;
	e.len = size;
	logread_offer(lr, &e);
}

static void
read_whole(struct evidence *ev, const uint8_t *data, size_t size)
{
	struct logread	*lr = logread_new(ev, false, 0);

	offer_whole(lr, FUZZ_LOG_PATH, data, size);
	logread_finish(lr);
}

static void
offer_pieces(struct evidence *ev, struct logread *lr, const char *path,
    const uint8_t *data, size_t size)
{
	struct manifest_entry	 m;
	struct bundle_pieces	*t;
	unsigned char		*dst;
	size_t			 off = 0, cap, n;

	/* The manifest line the walk writes, waiting for the hash. */
	memset(&m, 0, sizeof m);
	m.path = (char *)path;
	m.kind = "protocol-log";
	m.sha256_pending = true;
	evidence_add_entry(ev, &m);
	t = logread_pieces(lr, path, data, size);
	while (off < size) {
		dst = t->buffer(t, &cap);
		n = size - off < cap ? size - off : cap;
		memcpy(dst, data + off, n);
		t->put(t, dst, n);
		off += n;
	}
	t->end(t, true);
}

static void
read_pieces(struct evidence *ev, const uint8_t *data, size_t size,
    size_t piece)
{
	struct logread	*lr = logread_new(ev, false, piece);

	offer_pieces(ev, lr, FUZZ_LOG_PATH, data, size);
	logread_finish(lr);
}

/* The log, then a copy of it whole, then one in pieces, each in a folder. */
static void
read_thrice(struct evidence *ev, const uint8_t *data, size_t size,
    size_t piece)
{
	struct logread	*lr = logread_new(ev, false, piece);

	offer_whole(lr, FUZZ_LOG_PATH, data, size);
	offer_whole(lr, "copy/" FUZZ_LOG_PATH, data, size);
	offer_pieces(ev, lr, "again/" FUZZ_LOG_PATH, data, size);
	logread_finish(lr);
}

static bool
same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* What the log figures, and what was said of them, come to. */
static bool
same_logs(const struct evidence *a, const struct evidence *b)
{
	size_t	i;
	bool	same;

	same = memcmp(&a->logs, &b->logs, sizeof a->logs) == 0 &&
	    a->diags.n == b->diags.n && a->ntls == b->ntls &&
	    a->nsessions == b->nsessions && a->nresponses == b->nresponses;
	for (i = 0; same && i < a->diags.n; i++)
		same = a->diags.v[i].level == b->diags.v[i].level &&
		    same_str(a->diags.v[i].message, b->diags.v[i].message);
	for (i = 0; same && i < a->ntls; i++)
		same = a->tls[i].count == b->tls[i].count &&
		    same_str(a->tls[i].sample_text, b->tls[i].sample_text);
	return same;
}

/*
 * Only what the pipeline takes in pieces: no NUL byte (UTF-16), no
 * byte-order mark at the start. The piece size comes from the first byte,
 * so the corpus cuts logs everywhere.
 */
static void
pieces_agree(const uint8_t *data, size_t size)
{
	struct evidence	 whole, pieces, thrice;
	size_t		 piece;

	if (size == 0 || memchr(data, '\0', size) != NULL ||
	    (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ||
	    (size >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 ||
	    memcmp(data, "\xFE\xFF", 2) == 0)))
		return;
	piece = 1 + data[0] % 97;
	evidence_init(&whole);
	evidence_init(&pieces);
	evidence_init(&thrice);
	read_whole(&whole, data, size);
	read_pieces(&pieces, data, size, piece);
	read_thrice(&thrice, data, size, piece);
	if (!same_logs(&whole, &pieces) || !same_logs(&whole, &thrice))
		abort();
	evidence_free(&whole);
	evidence_free(&pieces);
	evidence_free(&thrice);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text_ingester(data, size, ingest_protolog);
	pieces_agree(data, size);
	return 0;
}

/*
 * Console captures: the Format-List and transcript formats (formats.h),
 * whose rows are here because one reader serves both. A console capture
 * often holds Format-List output and the error of the
 * Remove-ExchangeCertificate run after it; whichever bids, both are read.
 * Each detector lives with its reader (ingest_fl.c, ingest_transcript.c).
 */
#include "config.h"

#include "formats.h"
#include "ingest.h"

static int
ingest_console(struct ingest_ctx *ctx, const struct ingest_entry *e)
{
	int	n, t;

	n = ingest_fl_ctx(ctx, e->path, e->text, e->text_len);
	t = ingest_transcript(ctx->ev, e->path, e->text, e->text_len);
	return n < 0 && t <= 0 ? n : (n > 0 ? n : 0) + (t > 0 ? t : 0);
}

static int
bid_fl(const struct ingest_entry *e)
{
	return ingest_fl_sniff_lines(e->sniff) >= 2 ? 60 : 0;
}

static int
bid_transcript(const struct ingest_entry *e)
{
	return ingest_transcript_sniff(e->sniff) ? 70 : 0;
}

/* Its finish reads the files held for their day/month order (the CSV ones too). */
const struct format format_format_list = {
	.name = "format-list", .one = "Format-List file without Exchange objects",
	.many = "Format-List files without Exchange objects",
	.text = true, .best = 60, .bid = bid_fl, .ingest = ingest_console,
	.finish = ingest_held_finish,
};

const struct format format_transcript = {
	.name = "transcript", .one = "transcript", .many = "transcripts",
	.text = true, .best = 70, .bid = bid_transcript, .ingest = ingest_console,
};

/* Fuzz target: saved e-mails, their parts decoded (mime.h). */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "formats/mime.h"
#include "util/text.h"

const char fuzz_corpus_name[] = "mime";

/* Reads every decoded byte, so that a length past the data shows. */
static void
touch(void *arg, const struct mime_part *p)
{
	unsigned long	*sum = arg;
	size_t		 i;

	for (i = 0; p->data != NULL && i < p->len; i++)
		*sum += p->data[i];
	for (i = 0; p->name != NULL && p->name[i] != '\0'; i++)
		*sum += (unsigned char)p->name[i];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long	 sum = 0;
	char		*text;
	size_t		 len;

	text = text_to_utf8(data, size, &len, NULL, NULL);
	(void)mime_is_message(text, len);
	mime_walk(text, len, touch, &sum);
	free(text);
	return 0;
}

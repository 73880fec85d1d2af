/* Private to baseline/: the parts of the comparison after the findings. */
#ifndef CERTTRAIL_BASELINE_INT_H
#define CERTTRAIL_BASELINE_INT_H

#include "baseline.h"

/* Failed handshakes per connector and day (symptoms.c). */
void	 bl_compare_connectors(struct baseline *);
/* The queues that were waiting, and those waiting now (symptoms.c). */
void	 bl_compare_queues(struct baseline *);
/* The one plain sentence (sentence.c); owned by the caller. */
char	*bl_sentence(const struct baseline *);

#endif

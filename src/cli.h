/* The command line (docs/contract.md, "Command line"): getopt_long into struct options. */
#ifndef CERTTRAIL_CLI_H
#define CERTTRAIL_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "input/bundle.h"
#include "rules/findings.h"

struct options {
	char			*output_dir;	/* owned */
	bool			 want_json, want_html, want_xlsx;
	int64_t			 as_of;		/* TIME_UNKNOWN: infer */
	const char		*case_id, *customer, *analyst;
	const char		*baseline;	/* --baseline BEFORE; NULL */
	bool			 fail_on_set;
	enum severity		 fail_on;
	int			 progress;	/* -1 auto, 0 off, 1 on */
	int			 verbosity;	/* 0 quiet, 1 normal, 2 verbose */
	struct bundle_limits	 limits;
	const char *const	*inputs;
	size_t			 ninputs;
};

enum cli_status { CLI_RUN, CLI_DONE, CLI_USAGE };

/* Parses argv; CLI_DONE after --help/--version, CLI_USAGE after a message. */
enum cli_status cli_parse(int argc, char **argv, struct options *);
void	 cli_free(struct options *);

#endif

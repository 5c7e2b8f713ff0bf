// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpmipctl - the operator's CLI: inspect pinned state, drive the daemon,
 * decode Mobility Headers. Each subcommand lives in its own module
 * (ctl_*.c); this file only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "ctl_decode.h"

struct ctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the subcommand */
	const char *help;
};

static const struct ctl_cmd cmds[] = {
	{ "decode", ctl_decode_main, "decode [--json] HEX|-   decode one Mobility Header" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: xpmipctl [--instance NAME] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(out, "  %s\n", cmds[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "xpmipctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

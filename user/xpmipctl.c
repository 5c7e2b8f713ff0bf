// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpmipctl - the operator's CLI: inspect pinned state, drive the daemon,
 * decode Mobility Headers. Each subcommand lives in its own module
 * (ctl_*.c); this file only dispatches. To add a command, add one line to
 * cmds[] (ctl_daemon_main forwards any command word to xpmipd unchanged).
 */
#include <stdio.h>
#include <string.h>

#include "ctl_daemon.h"
#include "ctl_decode.h"
#include "ctl_trace.h"
#include "ctl_watch.h"

struct ctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the subcommand */
	const char *help;
};

static const struct ctl_cmd cmds[] = {
	{ "bindings", ctl_daemon_main, "bindings [--json]        the binding cache (LMA) / binding list" },
	{ "prefixes", ctl_daemon_main, "prefixes [--json]        prefixes: P/T, 001 level, owner binding, Idle" },
	{ "mag-peers", ctl_daemon_main, "mag-peers [--json]       Proxy-CoAs with bindings (LMA)" },
	{ "counters", ctl_daemon_main, "counters [--json]        data plane and signalling drop counters, per reason" },
	{ "peers", ctl_daemon_main, "peers [--json]           RFC 5847 heartbeat peers: state, restart counter" },
	{ "traffic", ctl_daemon_main, "traffic [--json]         packets and bytes per binding (xp_bstat_v2)" },
	{ "watch", ctl_watch_main, "watch [--interval S] [--count N] [--json]  live bindings and traffic rates" },
	{ "trace", ctl_trace_main, "trace [--mn MN-ID] [--count N] [--timeout S] [--json]  user-plane drops as they happen" },
	{ "metrics", ctl_daemon_main, "metrics                  Prometheus text exposition" },
	{ "lma-stats", ctl_daemon_main, "lma-stats [--json]       signalling counters per PBA status (LMA)" },
	{ "mag-stats", ctl_daemon_main, "mag-stats [--json]       UPN/UPA counters per status (MAG)" },
	{ "upn", ctl_daemon_main, "upn [--json]             flow mobility UPNs per binding: state, off-link prefixes, UPA counters (LMA)" },
	{ "binding-stats", ctl_daemon_main, "binding-stats [--json]   per-binding downlink/uplink packets and octets (LMA)" },
	{ "flow", ctl_daemon_main, "flow add|del|move|list ...  flow mobility cache (LMA; docs/flow-mobility.md)" },
	{ "filters", ctl_daemon_main, "filters [MN] [--json]    004 multihoming filters: per MN, BID, MHGID, status, re-instantiated" },
	{ "filter", ctl_daemon_main, "filter add|mod|del MAC ...  change an MN interface's 004 filters, refresh (MAG)" },
	{ "detach", ctl_daemon_main, "detach MAC [--keep-filters|--remove-filters]  de-register an MN interface (MAG; 004 ACT)" },
	{ "priority", ctl_daemon_main, "priority MAC IFP [--primary]  set an MN interface's IFP/P, refresh (MAG)" },
	{ "handover", ctl_daemon_main, "handover MAC PREFIX...   001 flow handover onto MAC: /64s (PFHO) or a block (FFHO) (MAG)" },
	{ "hint", ctl_daemon_main, "hint MAC iiho|iaho        L2 hint: HI 2 / 3 for MAC's next attachment (MAG)" },
	{ "refresh", ctl_daemon_main, "refresh MAC              re-register an MN interface now (MAG)" },
	{ "version", ctl_daemon_main, "version [--json]         the daemon's version, role and instance" },
	{ "raw", ctl_raw_main, "raw COMMAND [ARGS...]    send any command to the daemon" },
	{ "decode", ctl_decode_main, "decode [--json] HEX|-    decode one Mobility Header" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: xpmipctl [--instance NAME] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(out, "  %s\n", cmds[i].help);
}

int main(int argc, char **argv)
{
	int i = 1;

	while (i < argc && !strncmp(argv[i], "--instance", strlen("--instance"))) {
		const char *v = argv[i] + strlen("--instance");

		if (*v == '=') {
			xpctl_instance = v + 1;
			i++;
		} else if (!*v && i + 1 < argc) {
			xpctl_instance = argv[i + 1];
			i += 2;
		} else {
			break;
		}
	}
	if (i >= argc || !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
		usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (!strcmp(argv[i], cmds[c].name))
			return cmds[c].run(argc - i, argv + i);
	fprintf(stderr, "xpmipctl: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * flowsel.h - the operator's flow command syntax, parsed once for the CLI
 * and the control socket (docs/flow-mobility.md):
 *
 *   flow add MN fid N [pri N] [bid B[,B...]] [action forward|drop] SELECTOR...
 *   flow del MN fid N            (or: flow del MN N)
 *   flow move MN FID B[,B...]    (or: flow move MN fid N bid B[,B...])
 *   flow list [MN] [--json]
 *
 *   SELECTOR: proto NAME|N[-M]   (alias nh; tcp udp sctp esp icmpv6)
 *             src A|A/LEN|A-A    dst ...
 *             sport N[-M]  dport N[-M]  tclass N[-M]  flowlabel N[-M]
 *             spi N[-M]          (numbers in decimal or 0x hex)
 *
 * Every keyword at most once. An error fills err with one sentence naming
 * the offending word and returns -EINVAL; nothing is half-parsed.
 */
#ifndef XPMIP_FLOWSEL_H
#define XPMIP_FLOWSEL_H

#include <stdbool.h>
#include <stddef.h>

#include "fmcache.h"

#define FLOWSEL_ERR_MAX		160
#define FLOWSEL_DEFAULT_PRI	100	/* FID-PRI when "pri" is not given */

enum flow_op { FLOW_OP_ADD = 1, FLOW_OP_DEL, FLOW_OP_MOVE, FLOW_OP_LIST };

struct flow_cmd {
	enum flow_op op;
	const char *mn;		/* points into argv; NULL: list every MN */
	bool json;
	struct fm_entry e;	/* add: everything; del: fid; move: fid + bids */
};

/* argv[0] is "flow". 0 or -EINVAL with err set. */
int flow_cmd_parse(int argc, char **argv, struct flow_cmd *c, char err[FLOWSEL_ERR_MAX]);

/*
 * A 004 MAG filter: "fid N [pri N] [action forward|drop] SELECTOR..." as
 * words (argv[0] is the first keyword) or as one string (a configuration
 * value), as the Flow Identification option a MAG sends: FID, FID-PRI,
 * Traffic Selector (IPv6) and action (default forward, FID-PRI 100).
 * 0 or -EINVAL with err set.
 */
int flowsel_filter_parse(int argc, char **argv, struct mh_flow_id *f, char err[FLOWSEL_ERR_MAX]);
int flowsel_filter_parse_str(const char *s, struct mh_flow_id *f, char err[FLOWSEL_ERR_MAX]);

/* The selector in the syntax above ("any" when empty); returns buf */
const char *flowsel_format(const struct mh_ts *t, char *buf, size_t len);

#endif /* XPMIP_FLOWSEL_H */

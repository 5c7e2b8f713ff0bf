/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * trace_ctl.h - the daemon's side of `xpmipctl trace`: switch the data
 * plane's event emission (XP_CFG_F_TRACE in xp_cfg_v1, bpf/xp_trace.h) on
 * while at least one client traces, and tell the client where the ring
 * buffer is pinned and, for `--mn MN-ID`, which prefixes and MACs are that
 * MN's (the data plane does not know MN-IDs; the client filters on them).
 *
 *   trace-start [MN-ID]  ->  "ring PATH\n" ["mnidx N\n"] ["prefix P/LEN\n"...]
 *                            ["mac M\n"...] ["if INDEX NAME\n"...]
 *   trace-stop
 *
 * Handover switches (XP_TRACE_SWITCH, xpmip_maps.h) are the agent's: the
 * role calls xp_trace_switch() where it rewrites a downlink choice; that
 * costs nothing unless a client traces.
 *
 * A client that dies without trace-stop leaves tracing on until the
 * daemon restarts: drops then cost one ring buffer write each, forwarding
 * nothing.
 */
#ifndef XPMIP_TRACE_CTL_H
#define XPMIP_TRACE_CTL_H

#include <stdbool.h>
#include <stdio.h>

#include "daemon.h"
#include "xpmip_maps.h"

/* -ENOENT when argv[0] is not a trace command */
int xp_trace_ctl(struct xp_daemon *d, int argc, char **argv, FILE *out);

/* a client traces: worth computing XP_TRACE_SWITCH events */
bool xp_trace_active(void);

/* One XP_TRACE_SWITCH event with this cause and body, when a client
 * traces (else nothing). Best effort: returns 0 or a negative errno, and
 * a failure loses the event, never changes forwarding. */
int xp_trace_switch(enum xp_trace_cause cause, const struct xp_trace_switch *sw);

#endif /* XPMIP_TRACE_CTL_H */

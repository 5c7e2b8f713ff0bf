/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * flowctl.h - the LMA's `flow` control command (add, del, move, list;
 * syntax in flowsel.h): checks the request against the binding cache,
 * changes the flow mobility cache, and has lma_flows_changed() apply it.
 * Errors are one line on out and a negative errno; nothing is changed then.
 */
#ifndef XPMIP_FLOWCTL_H
#define XPMIP_FLOWCTL_H

#include <stdio.h>

struct lma;

int flowctl_run(struct lma *l, int argc, char **argv, FILE *out);

/* `binding-stats [--json]`: each binding's downlink and uplink packets and
 * octets (xp_bstat_v2): which interface carries the MN's traffic */
int flowctl_binding_stats(struct lma *l, int argc, char **argv, FILE *out);

/* `filters [MN] [--json]`: the 004 filters MAGs installed (flow list of
 * origin "mag"), with their binding, MHGID and re-instantiated mark */
int flowctl_filters(struct lma *l, int argc, char **argv, FILE *out);

#endif /* XPMIP_FLOWCTL_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ctl_trace.h - `xpmipctl trace [--mn MN-ID] [--count N] [--timeout S]
 * [--json]`: stream the user plane's events (drops with their reason and
 * addresses) from the pinned xp_trace_v1 ring buffer while the daemon has
 * emission switched on (trace_ctl.h).
 */
#ifndef XPMIP_CTL_TRACE_H
#define XPMIP_CTL_TRACE_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "xpmip_maps.h"

#define TRACE_MAX_PFX	16
#define TRACE_MAX_MAC	16
#define TRACE_MAX_IFS	64

/* What --mn selects: the MN's prefixes and interface MACs */
struct trace_filter {
	bool on;
	bool has_mn_idx;		/* --mn: the MN's data plane index */
	uint32_t mn_idx;
	struct xp_prefix pfx[TRACE_MAX_PFX];
	unsigned n_pfx;
	uint8_t mac[TRACE_MAX_MAC][6];
	unsigned n_mac;
	/* the daemon's interfaces (its namespace may not be ours) */
	struct { unsigned idx; char name[16]; } ifs[TRACE_MAX_IFS];
	unsigned n_ifs;
};

/* Parse the daemon's trace-start answer: ring path, MN index, prefixes, MACs */
int trace_parse_start(const char *body, char *ring, size_t ring_len, struct trace_filter *f);
bool trace_match(const struct trace_filter *f, const struct xp_trace_event *e);
/* One line (text or JSON) for an event; realtime_offset_ns converts ts_ns */
void trace_print(FILE *out, const struct trace_filter *f, const struct xp_trace_event *e,
		 long long realtime_offset_ns, bool json);

int ctl_trace_main(int argc, char **argv);

#endif /* XPMIP_CTL_TRACE_H */

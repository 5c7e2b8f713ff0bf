/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * flowdp.h - the flow mobility cache (fmcache.h) as the data plane needs
 * it: which entries are active given the MN's bindings, which binding each
 * one uses, and the xp_fsel_v1 value (xpmip_maps.h) for one MN.
 *
 * RFC 7864 5.2: an entry is inactive only when all of its BIDs are
 * de-registered; it becomes active again when one of them registers. A
 * forward entry uses its first BID (in the entry's order) whose binding is
 * registered (BCE_ACTIVE). A drop entry without BIDs is always active.
 * Pure functions: unit-tested without maps.
 */
#ifndef XPMIP_FLOWDP_H
#define XPMIP_FLOWDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bcache.h"
#include "fmcache.h"

/* First BID of e whose binding of m is registered; 0: none (m may be NULL) */
uint16_t flowdp_entry_bid(const struct fm_entry *e, const struct bc_mn *m);
bool flowdp_entry_active(const struct fm_entry *e, const struct bc_mn *m);

/* One selector in xp_flow_sel form (host-order ranges) */
void flowdp_sel(const struct fm_entry *e, uint16_t bid, struct xp_flow_sel *s);

/* The active entries of e[0..n-1] (already in application order) into
 * out, which is zeroed first. Returns out->n. */
uint32_t flowdp_build(const struct fm_entry *e, size_t n, const struct bc_mn *m,
		      struct xp_flow_set *out);

#endif /* XPMIP_FLOWDP_H */

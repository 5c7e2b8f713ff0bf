/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * bstat.h - the per-binding traffic counters (xp_bstat_v2) live exactly as
 * long as their binding: the agent creates them with the binding, so the
 * packet path only ever looks them up (an insert from XDP allocates), and
 * deletes them with it, so a de-registered binding leaves nothing behind.
 */
#ifndef XPMIP_BSTAT_H
#define XPMIP_BSTAT_H

#include "xpmip_maps.h"

/* Create zeroed counters for k unless they exist (a refresh or a handover
 * keeps counting). 0 or -errno; fd < 0 is a no-op. */
int xp_bstat_create(int fd, const struct xp_bind_key *k);

/* Delete k's counters; a missing entry is not an error. 0 or -errno. */
int xp_bstat_delete(int fd, const struct xp_bind_key *k);

/* k's counters into sum (zeros on failure). 0, -ENOENT (no counters) or
 * -errno. */
int xp_bstat_read(int fd, const struct xp_bind_key *k, struct xp_bind_stats *sum);

#endif /* XPMIP_BSTAT_H */

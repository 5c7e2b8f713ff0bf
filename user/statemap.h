/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * statemap.h - the agents' own restart state maps (xp_bce_v1 on the LMA,
 * xp_bul_v1 on the MAG): pinned HASH maps next to the data plane's, opened
 * if present and of this build's layout, created and pinned if absent.
 */
#ifndef XPMIP_STATEMAP_H
#define XPMIP_STATEMAP_H

#include <stdint.h>

struct xp_state_map_spec {
	const char *name;		/* XP_MAP_BCE, XP_MAP_BUL */
	uint32_t key_size, value_size, max_entries;
	const char *lost;		/* what removing it loses, for the hint */
};

/* fd (>= 0), -EPROTO for a pinned map of another layout (one log line
 * naming it and both layouts), or -errno */
/* ... a pinned map of another max_entries (max_bindings changed) is
 * refused too: -ERANGE, with a line giving both capacities. */
int xp_state_map_open(const char *dir, const struct xp_state_map_spec *spec);

/* One entry of a pinned map, written or deleted by an agent. fd < 0 (no
 * such map in this configuration, or a unit test): nothing to do, 0. A
 * failure is logged (event=map-write-failed / map-delete-failed, naming
 * the map) and, for writes, returned as -errno for the caller to act on
 * (e.g. PBA 130 when a map is full); a missing entry is not a failure. */
int xp_map_put(int fd, const void *k, const void *v, const char *name);
void xp_map_del(int fd, const void *k, const char *name);

#endif /* XPMIP_STATEMAP_H */

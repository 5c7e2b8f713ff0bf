/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * pfxmap.h - write and remove mobile prefixes in the data plane's two
 * prefix maps: /64s in the xp_pfx64_v1 hash (the fast path), every other
 * length in the xp_pfx_v1 LPM trie, flagged XP_PFXF_LONG when longer than
 * /64 (see xpmip_maps.h for the lookup rule). Every agent goes through
 * these two functions, so the rule lives in one place.
 */
#ifndef XPMIP_PFXMAP_H
#define XPMIP_PFXMAP_H

#include <stdint.h>
#include <netinet/in.h>

#include "xpmip_maps.h"

/* 0 or -errno. v->flags gets XP_PFXF_LONG set or cleared as the length
 * requires. Transient ENOMEM from the BPF allocator is retried. */
int xp_pfx_map_put(int lpm_fd, int h64_fd, const struct in6_addr *prefix, uint8_t plen,
		   const struct xp_prefix_val *v);

/* 0, or -errno (a missing entry is not an error) */
int xp_pfx_map_del(int lpm_fd, int h64_fd, const struct in6_addr *prefix, uint8_t plen);

#endif /* XPMIP_PFXMAP_H */

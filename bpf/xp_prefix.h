/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xp_prefix.h - which MN owns an address: longest-prefix match over the two
 * prefix maps (xpmip_maps.h explains why there are two).
 *
 * Contract: addr points to 16 readable octets (the caller has bounds
 * checked the header it sits in). Returns the owning prefix's value or
 * NULL. The value points into a map: read it, do not keep it across a
 * helper that may change the packet.
 */
#ifndef XP_PREFIX_H
#define XP_PREFIX_H

#include "xp_maps.bpf.h"
#include "xp_parse.h"

static __always_inline struct xp_prefix_val *xp_prefix_lookup(const void *addr)
{
	const __u32 *a = addr;
	struct xp_prefix64_key k64 = { .a32 = { a[0], a[1] } };
	struct xp_prefix_key k = { .prefixlen = 128 };
	struct xp_prefix_val *lpm, *h;

	xp_addr_cpy(&k.addr, addr);
	lpm = bpf_map_lookup_elem(&xp_pfx_v1, &k);
	if (lpm && (lpm->flags & XP_PFXF_LONG))
		return lpm;
	h = bpf_map_lookup_elem(&xp_pfx64_v1, &k64);
	return h ? h : lpm;
}

#endif /* XP_PREFIX_H */

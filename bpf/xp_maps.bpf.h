/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_maps.bpf.h - the BPF-side definitions of the maps of xpmip_maps.h.
 *
 * Job: declare every map once, with the names, key and value types and
 * default capacities that include/xpmip_maps.h fixes. Every program object
 * includes this file, so every object carries all the maps; the loader
 * (user/dataplane.c) creates each map once, pins it under
 * <pin_root>/<instance>/<name>, and hands the same fd to every object with
 * bpf_map__reuse_fd(). The loader may resize the large maps with
 * bpf_map__set_max_entries() before load; the capacities here are defaults.
 *
 * No pinning attribute: the loader checks a pinned map's type, key, value
 * and max_entries itself so that a layout mismatch is reported by name.
 *
 * Hash maps are BPF_F_NO_PREALLOC: at the default capacities (2^21 bindings)
 * preallocation would reserve hundreds of MB per map per host; entries are
 * written by the agent, rarely, so allocation on update costs nothing on the
 * packet path. xp_bstat_v2 entries are created by the programs on first use
 * (BPF_NOEXIST), removed by the agent with the binding.
 */
#ifndef XP_MAPS_BPF_H
#define XP_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "xpmip_maps.h"

/* Entry 0: struct xp_cfg. Written by the agent, read by every program. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xp_cfg);
} xp_cfg_v1 SEC(".maps");

/* Mobile prefix -> MN and owner binding. LPM tries require NO_PREALLOC. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XP_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xp_prefix_key);
	__type(value, struct xp_prefix_val);
} xp_pfx_v1 SEC(".maps");

/* /64 mobile prefix -> MN and owner binding: the fast path (xp_prefix.h) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xp_prefix64_key);
	__type(value, struct xp_prefix_val);
} xp_pfx64_v1 SEC(".maps");

/* (MN, BID) -> binding */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_BINDINGS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xp_bind_key);
	__type(value, struct xp_bind_val);
} xp_bind_v1 SEC(".maps");

/* MN -> downlink decision (LMA) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_MNS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct xp_mn_val);
} xp_mn_v1 SEC(".maps");

/* (Proxy-CoA, MN) -> BID: LMA uplink anti-spoofing */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_BINDINGS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xp_ul_key);
	__type(value, struct xp_ul_val);
} xp_ul_v1 SEC(".maps");

/* Tunnel peers we accept IPv6-in-IPv6 from */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_PEERS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, union xp_addr6);
	__type(value, struct xp_peer_val);
} xp_peer_v1 SEC(".maps");

/* Reason counters, one __u64 per enum xp_reason per CPU */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XP_R_MAX);
	__type(key, __u32);
	__type(value, __u64);
} xp_cnt_v1 SEC(".maps");

/* Per-binding traffic: one value, atomic adds (xpmip_maps.h says why not
 * per CPU) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_BINDINGS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xp_bind_key);
	__type(value, struct xp_bind_stats);
} xp_bstat_v2 SEC(".maps");

/* User-plane events for xpmipctl trace (xp_trace.h); 5.8+ */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XP_TRACE_RING_BYTES);
} xp_trace_v1 SEC(".maps");

/* MN -> its active flow selectors in FID-PRI order (LMA; xp_flow.h) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_FLOW_MNS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct xp_flow_set);
} xp_fsel_v1 SEC(".maps");

/* Exact-match flow cache in front of the selector walk. LRU maps must be
 * preallocated (the kernel refuses BPF_F_NO_PREALLOC for them). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XP_FLOW_CACHE_SIZE);
	__type(key, struct xp_fc_key);
	__type(value, struct xp_fc_val);
} xp_fcache_v1 SEC(".maps");

/* Next-hop cache in front of bpf_fib_lookup (xp_fib.h). LRU: preallocated. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XP_NH_CACHE_SIZE);
	__type(key, struct xp_nh_key);
	__type(value, struct xp_nh_val);
} xp_nh_v1 SEC(".maps");

/* Entry 0: the next-hop cache generation, bumped by the agent */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xp_nhgen);
} xp_nhgen_v1 SEC(".maps");

static __always_inline struct xp_cfg *xp_cfg_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&xp_cfg_v1, &zero);
}

#endif /* XP_MAPS_BPF_H */

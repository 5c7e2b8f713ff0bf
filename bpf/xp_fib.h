/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_fib.h - route the packet with the kernel's FIB and redirect it.
 *
 * Job: bpf_fib_lookup (kernel >= 4.18) on the IPv6 header at data + 14,
 * then either rewrite the Ethernet addresses with the resolved neighbour
 * and bpf_redirect (>= 4.14 in XDP) to the egress, or explain why not.
 *
 * Contract: the caller has finished building the packet (encap, hop limit);
 * xp_fib_forward returns the reason to count and sets *action:
 *   SUCCESS                         -> fwd_reason,        XDP_REDIRECT
 *   NO_NEIGH                        -> PASS_NO_NEIGH,     XDP_PASS (the stack
 *                                      resolves the neighbour and forwards the
 *                                      packet as we built it)
 *   BLACKHOLE/UNREACHABLE/PROHIBIT  -> DROP_FIB,          XDP_DROP
 *   anything else (not forwarded,
 *   forwarding disabled, LWT, MTU)  -> PASS_FIB,          XDP_PASS (the stack
 *                                      applies its own policy/ICMP errors)
 * The flags argument is 0: nothing newer than 4.18 is needed.
 *
 * With no_cache == 0 (packets to a tunnel peer: LMA downlink, MAG uplink)
 * the next-hop cache xp_nh_v1 sits in front of the lookup:
 * bpf_fib_lookup was ~57% of the LMA downlink's cost (docs/PERFORMANCE.md).
 * A hit needs the entry's gen to equal xp_nhgen_v1's (the agent bumps it on
 * every route, rule, neighbour and link change: user/nhwatch.c), an entry
 * younger than XP_NH_MAX_AGE_JIFFIES, and a packet within the cached MTU;
 * anything else asks the FIB, and only a SUCCESS answer is cached (an
 * unresolved neighbour keeps going to the stack). The gen is read before
 * the FIB is asked, so an answer that a concurrent change made stale is
 * stored under the old gen and never used. The key holds what the lookup
 * is given apart from the flow label, traffic class and protocol, which
 * are constant per tunnel; policy routing on those (ip -6 rule dsfield /
 * ipproto) needs XP_CFG_F_NO_NHCACHE. mtu_result is filled by kernels
 * >= 5.12; on older ones it stays 0 and nothing ever hits (the fallback).
 * bpf_jiffies64: 5.5.
 */
#ifndef XP_FIB_H
#define XP_FIB_H

#include "xp_parse.h"

/* The reason and action for a bpf_fib_lookup answer; on SUCCESS the MACs
 * are rewritten and the packet redirected. */
static __always_inline __u32 xp_fib_result(long rc, const struct bpf_fib_lookup *fib,
					   struct ethhdr *eth, __u32 fwd_reason, int *action)
{
	switch (rc) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		__builtin_memcpy(eth->h_dest, fib->dmac, 6);
		__builtin_memcpy(eth->h_source, fib->smac, 6);
		*action = bpf_redirect(fib->ifindex, 0);
		return fwd_reason;
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		*action = XDP_PASS;
		return XP_R_PASS_NO_NEIGH;
	case BPF_FIB_LKUP_RET_BLACKHOLE:
	case BPF_FIB_LKUP_RET_UNREACHABLE:
	case BPF_FIB_LKUP_RET_PROHIBIT:
		*action = XDP_DROP;
		return XP_R_DROP_FIB;
	default:
		*action = XDP_PASS;
		return XP_R_PASS_FIB;
	}
}

/* The lookup's input from the IPv6 header at data + 14 */
static __always_inline void xp_fib_prepare(struct xdp_md *ctx, const struct ipv6hdr *ip6,
					   struct bpf_fib_lookup *fib)
{
	fib->family = XP_AF_INET6;
	fib->l4_protocol = ip6->nexthdr;
	fib->tot_len = XP_IPV6_HDR_LEN + bpf_ntohs(ip6->payload_len);
	fib->flowinfo = *(__be32 *)ip6 & bpf_htonl(0x0fffffff);
	fib->ifindex = ctx->ingress_ifindex;
	xp_addr_cpy(fib->ipv6_src, &ip6->saddr);
	xp_addr_cpy(fib->ipv6_dst, &ip6->daddr);
}

_Static_assert(sizeof(struct xp_nh_key) == 2 * sizeof(union xp_addr6),
	       "xp_nh_key is bpf_fib_lookup's ipv6_src + ipv6_dst");

/*
 * noinline: a leaf of its own, so that its lookup struct and cache entry do
 * not add to the caller's frame: xp_lma_rx -> xp_lma_downlink -> (this or
 * xp_flow_decide) is close to the 512-byte stack limit. For the same
 * reason the cache key is the address fields of fib (struct xp_nh_key has
 * their layout): bpf_fib_lookup reads them and leaves them as they are
 * (it writes ipv6_src only when it is ::, which a tunnel source never is).
 * no_cache: nonzero for packets whose destination is not a tunnel peer
 * (LMA uplink to CNs: one entry per flow would thrash the cache) and when
 * xp_cfg has XP_CFG_F_NO_NHCACHE.
 */
static __attribute__((noinline)) __u32 xp_fib_forward(struct xdp_md *ctx, __u32 no_cache,
						       __u32 fwd_reason, int *action)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct bpf_fib_lookup fib = {};
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = data + XP_ETH_HLEN;
	struct xp_nh_key *k = (struct xp_nh_key *)fib.ipv6_src;
	struct xp_nh_val *nh, nv = {};
	struct xp_nhgen *g = NULL;
	__u32 zero = 0, gen = 0, now = 0;
	long rc;

	*action = XDP_DROP;
	if ((void *)(ip6 + 1) > end)
		return XP_R_DROP_MALFORMED;
	xp_fib_prepare(ctx, ip6, &fib);
	if (!no_cache)
		g = bpf_map_lookup_elem(&xp_nhgen_v1, &zero);
	if (g) {
		gen = *(volatile __u32 *)&g->gen;	/* before the FIB is asked */
		now = (__u32)bpf_jiffies64();
		nh = bpf_map_lookup_elem(&xp_nh_v1, k);
		if (nh && nh->gen == gen && now - nh->stamp < XP_NH_MAX_AGE_JIFFIES &&
		    nh->iif == ctx->ingress_ifindex && fib.tot_len <= nh->mtu) {
			__builtin_memcpy(eth->h_dest, nh->dmac, 6);
			__builtin_memcpy(eth->h_source, nh->smac, 6);
			*action = bpf_redirect(nh->oif, 0);
			return fwd_reason;
		}
	}
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	if (g && rc == BPF_FIB_LKUP_RET_SUCCESS) {
		nv.stamp = now;
		nv.gen = gen;
		nv.iif = ctx->ingress_ifindex;
		nv.oif = fib.ifindex;
		nv.mtu = fib.mtu_result;
		__builtin_memcpy(nv.dmac, fib.dmac, 6);
		__builtin_memcpy(nv.smac, fib.smac, 6);
		bpf_map_update_elem(&xp_nh_v1, k, &nv, BPF_ANY);
	}
	return xp_fib_result(rc, &fib, eth, fwd_reason, action);
}

#endif /* XP_FIB_H */

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
 */
#ifndef XP_FIB_H
#define XP_FIB_H

#include "xp_parse.h"

static __always_inline __u32 xp_fib_forward(struct xdp_md *ctx, __u32 fwd_reason, int *action)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct bpf_fib_lookup fib = {};
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = data + XP_ETH_HLEN;
	long rc;

	*action = XDP_DROP;
	if ((void *)(ip6 + 1) > end)
		return XP_R_DROP_MALFORMED;
	fib.family = XP_AF_INET6;
	fib.l4_protocol = ip6->nexthdr;
	fib.tot_len = XP_IPV6_HDR_LEN + bpf_ntohs(ip6->payload_len);
	fib.flowinfo = *(__be32 *)ip6 & bpf_htonl(0x0fffffff);
	fib.ifindex = ctx->ingress_ifindex;
	xp_addr_cpy(fib.ipv6_src, &ip6->saddr);
	xp_addr_cpy(fib.ipv6_dst, &ip6->daddr);

	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	switch (rc) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		__builtin_memcpy(eth->h_dest, fib.dmac, 6);
		__builtin_memcpy(eth->h_source, fib.smac, 6);
		*action = bpf_redirect(fib.ifindex, 0);
		return fwd_reason;
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		*action = XDP_PASS;
		return XP_R_PASS_NO_NEIGH;
	case BPF_FIB_LKUP_RET_BLACKHOLE:
	case BPF_FIB_LKUP_RET_UNREACHABLE:
	case BPF_FIB_LKUP_RET_PROHIBIT:
		return XP_R_DROP_FIB;
	default:
		*action = XDP_PASS;
		return XP_R_PASS_FIB;
	}
}

#endif /* XP_FIB_H */

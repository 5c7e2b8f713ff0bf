/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_ptb.h - answer a packet too big for the tunnel with ICMPv6 Packet Too
 * Big (RFC 4443 3.2), sent back out of the ingress interface with XDP_TX.
 *
 * Why here and not the stack: the kernel never sees the tunnel (the
 * encapsulation is ours), so its own PMTU check cannot fire.
 *
 * Contract:
 *  - the frame is Ethernet + an IPv6 packet of at least XP_PTB_QUOTE bytes
 *    (guaranteed: callers only send PTB for packets larger than
 *    xp_tunnel_mtu() - 40 >= 1280);
 *  - the reply is Ethernet (addresses swapped) + IPv6 (src xp_cfg.local_addr,
 *    dst the offender's source, hop limit 64) + ICMPv6 type 2 code 0 with
 *    MTU = mtu + the first XP_PTB_QUOTE bytes of the offending packet, so the
 *    reply is exactly 1280 bytes of IPv6 (RFC 4443: as much as fits in the
 *    minimum MTU). The ICMPv6 checksum is computed here;
 *  - returns XDP_TX, or -1 when the packet cannot be reshaped (the caller
 *    counts DROP_HEADROOM and drops). Packet pointers are invalid afterwards.
 *  - bpf_csum_diff (>= 4.6) takes at most 512 bytes per call: three calls.
 */
#ifndef XP_PTB_H
#define XP_PTB_H

#include "xp_maps.bpf.h"
#include "xp_parse.h"

#define XP_PTB_QUOTE	(XP_IPV6_MIN_MTU - XP_IPV6_HDR_LEN - 8)	/* 1232 */
#define XP_PTB_HOPS	64

/* The smallest tunnel MTU we honour: an inner 1280-byte packet must fit */
static __always_inline __u32 xp_tunnel_mtu(const struct xp_cfg *cfg)
{
	__u32 mtu = cfg->tunnel_mtu;

	return mtu < XP_IPV6_MIN_MTU + XP_IPV6_HDR_LEN ?
		XP_IPV6_MIN_MTU + XP_IPV6_HDR_LEN : mtu;
}

static __always_inline __u16 xp_csum_fold(__u64 s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

__attribute__((noinline))
int xp_ptb_reply(struct xdp_md *ctx, __u32 mtu)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u8 mac_src[6], mac_dst[6];
	union xp_addr6 to;
	struct xp_cfg *cfg;
	struct ipv6hdr *ip6;
	__be32 pseudo[2];
	__u8 *icmp, *q;
	__s64 s;
	int len;

	cfg = xp_cfg_get();
	if (!cfg)
		return -1;
	if (data + XP_ETH_HLEN + XP_PTB_QUOTE > end)
		return -1;
	__builtin_memcpy(mac_src, ((struct ethhdr *)data)->h_source, 6);
	__builtin_memcpy(mac_dst, ((struct ethhdr *)data)->h_dest, 6);
	xp_addr_cpy(&to, &((struct ipv6hdr *)(data + XP_ETH_HLEN))->saddr);

	/* room for the new IPv6 + ICMPv6 headers; the old IPv6 packet becomes the quote */
	if (bpf_xdp_adjust_head(ctx, -(XP_IPV6_HDR_LEN + 8)))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	len = XP_ETH_HLEN + XP_IPV6_HDR_LEN + 8 + XP_PTB_QUOTE;
	if (bpf_xdp_adjust_tail(ctx, len - (int)(end - data)))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + XP_ETH_HLEN + XP_IPV6_HDR_LEN + 8 + XP_PTB_QUOTE > end)
		return -1;

	__builtin_memcpy(((struct ethhdr *)data)->h_dest, mac_src, 6);
	__builtin_memcpy(((struct ethhdr *)data)->h_source, mac_dst, 6);
	((struct ethhdr *)data)->h_proto = bpf_htons(XP_ETH_P_IPV6);

	ip6 = data + XP_ETH_HLEN;
	*(__u32 *)ip6 = bpf_htonl(0x60000000);
	ip6->payload_len = bpf_htons(8 + XP_PTB_QUOTE);
	ip6->nexthdr = XP_IPPROTO_ICMPV6;
	ip6->hop_limit = XP_PTB_HOPS;
	xp_addr_cpy(&ip6->saddr, &cfg->local_addr);
	xp_addr_cpy(&ip6->daddr, &to);

	icmp = (void *)(ip6 + 1);
	icmp[0] = XP_ICMP6_PKT_TOO_BIG;
	icmp[1] = 0;
	*(__u16 *)(icmp + 2) = 0;
	*(__be32 *)(icmp + 4) = bpf_htonl(mtu);

	pseudo[0] = bpf_htonl(8 + XP_PTB_QUOTE);
	pseudo[1] = bpf_htonl(XP_IPPROTO_ICMPV6);
	s = bpf_csum_diff(0, 0, (__be32 *)&ip6->saddr, 32, 0);
	s = bpf_csum_diff(0, 0, pseudo, 8, s);
	s = bpf_csum_diff(0, 0, (__be32 *)icmp, 8, s);
	q = icmp + 8;
	s = bpf_csum_diff(0, 0, (__be32 *)q, 512, s);
	s = bpf_csum_diff(0, 0, (__be32 *)(q + 512), 512, s);
	s = bpf_csum_diff(0, 0, (__be32 *)(q + 1024), XP_PTB_QUOTE - 1024, s);
	*(__u16 *)(icmp + 2) = xp_csum_fold((__u64)(__u32)s);
	return XDP_TX;
}

#endif /* XP_PTB_H */

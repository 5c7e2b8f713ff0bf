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
 * The callers count the headers they add: the LMA the tunnel (40) and, to
 * a non-primary interface, the Type 2 routing header (24); the MN helper
 * (XP_PTB_TC variant below) the Primary HoA option (24).
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

/*
 * The ICMPv6 checksum of a Packet Too Big: addrs = source then destination
 * (32 octets), icmp = the 8-octet ICMPv6 header (checksum field zero),
 * quote = XP_PTB_QUOTE octets. Any readable memory (packet, stack, map).
 */
static __always_inline __u16 xp_ptb_csum(const void *addrs, const void *icmp, const void *quote)
{
	__be32 pseudo[2] = { bpf_htonl(8 + XP_PTB_QUOTE), bpf_htonl(XP_IPPROTO_ICMPV6) };
	const __u8 *q = quote;
	__s64 s;

	s = bpf_csum_diff(0, 0, (__be32 *)addrs, 32, 0);
	s = bpf_csum_diff(0, 0, pseudo, 8, s);
	s = bpf_csum_diff(0, 0, (__be32 *)icmp, 8, s);
	s = bpf_csum_diff(0, 0, (__be32 *)q, 512, s);
	s = bpf_csum_diff(0, 0, (__be32 *)(q + 512), 512, s);
	s = bpf_csum_diff(0, 0, (__be32 *)(q + 1024), XP_PTB_QUOTE - 1024, s);
	return xp_csum_fold((__u64)(__u32)s);
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
	__u8 *icmp;
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

	*(__u16 *)(icmp + 2) = xp_ptb_csum(&ip6->saddr, icmp, icmp + 8);
	return XDP_TX;
}

#ifdef XP_PTB_TC
/*
 * TC egress variant, for a host's own packets (the MN helper, bpf/mn.bpf.c):
 * the packet becomes a Packet Too Big from `from` to its source, quoting
 * its first XP_PTB_QUOTE octets, and goes back into the host's stack
 * through the same interface's ingress (bpf_redirect BPF_F_INGRESS, Ethernet
 * addresses swapped so that it is addressed to the host). The stack then
 * lowers the path MTU towards the packet's destination, as it would for a
 * router's PTB: TCP re-segments, datagram sockets learn it for the next
 * send. Contract: the frame is Ethernet + IPv6 of more than XP_PTB_QUOTE
 * octets (callers: packets longer than an MTU >= 1280 less 24); returns
 * TC_ACT_REDIRECT, or -1 when the packet cannot be reshaped.
 * The 1232-octet quote is read into a per-CPU scratch value: the stack has
 * 512 octets.
 */
struct xp_ptb_quote {
	__u8 b[XP_PTB_QUOTE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xp_ptb_quote);
} xp_ptb_quote SEC(".maps");

struct xp_ptb_hdrs {
	struct ipv6hdr ip6;
	__u8 icmp[8];
};

static __always_inline int xp_ptb_skb_local(struct __sk_buff *skb, const union xp_addr6 *from,
					    __u32 mtu)
{
	struct xp_ptb_hdrs h = {};
	struct xp_ptb_quote *q;
	__u8 mac[12], swapped[12];
	__u32 k = 0;

	q = bpf_map_lookup_elem(&xp_ptb_quote, &k);
	if (!q || bpf_skb_load_bytes(skb, 0, mac, sizeof(mac)) ||
	    bpf_skb_load_bytes(skb, XP_ETH_HLEN, q->b, XP_PTB_QUOTE))
		return -1;
	*(__u32 *)&h.ip6 = bpf_htonl(0x60000000);
	h.ip6.payload_len = bpf_htons(8 + XP_PTB_QUOTE);
	h.ip6.nexthdr = XP_IPPROTO_ICMPV6;
	h.ip6.hop_limit = XP_PTB_HOPS;
	xp_addr_cpy(&h.ip6.saddr, from);
	xp_addr_cpy(&h.ip6.daddr, &((struct ipv6hdr *)q->b)->saddr);
	h.icmp[0] = XP_ICMP6_PKT_TOO_BIG;
	*(__be32 *)(h.icmp + 4) = bpf_htonl(mtu);
	*(__u16 *)(h.icmp + 2) = xp_ptb_csum(&h.ip6.saddr, h.icmp, q->b);
	__builtin_memcpy(swapped, mac + 6, 6);
	__builtin_memcpy(swapped + 6, mac, 6);
	if (bpf_skb_change_tail(skb, XP_ETH_HLEN + XP_PTB_QUOTE, 0) ||
	    bpf_skb_adjust_room(skb, sizeof(h), BPF_ADJ_ROOM_MAC, 0) ||
	    bpf_skb_store_bytes(skb, 0, swapped, sizeof(swapped), 0) ||
	    bpf_skb_store_bytes(skb, XP_ETH_HLEN, &h, sizeof(h), 0))
		return -1;
	return bpf_redirect(skb->ifindex, BPF_F_INGRESS);
}
#endif /* XP_PTB_TC */

#endif /* XP_PTB_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_rh2.h - the Type 2 routing header of 000_2df5b7e7ec4cafcb.txt section
 * 2.2 (RFC 6275 section 6.4 layout): inserted by the LMA on the downlink to
 * a non-primary interface (section 4.1), removed by the MN.
 *
 * Job: move the packet's final destination (the primary HoA) into a routing
 * header and put the chosen interface's HoA in the IPv6 Destination, or
 * the reverse. Nothing else: no lookups, no counting.
 *
 * Checksums: none changes. RFC 8200 section 8.1: with a Routing header the
 * upper-layer pseudo-header uses the final destination, the last address
 * of the routing header, which is the primary HoA that the CN put in the
 * Destination; after removal the Destination is the primary HoA again.
 * IPv6 itself has no header checksum.
 *
 * Contract:
 *  - the header goes right after the fixed IPv6 header. RFC 8200 4.1 puts
 *    a Hop-by-Hop header first, so a packet that has one is refused
 *    (XP_R_DROP_RH2_HBH) rather than reordered;
 *  - xp_rh2_insert (XDP): the frame is Ethernet + IPv6 validated by
 *    xp_parse.h; returns XP_OK or a reason and invalidates every packet
 *    pointer (bpf_xdp_adjust_head);
 *  - xp_rh2_build: the 64 octets that the TC programs write over the start
 *    of an IPv6 packet: the modified IPv6 header then the routing header;
 *  - xp_rh2_match: is the routing header at rh the one we remove.
 */
#ifndef XP_RH2_H
#define XP_RH2_H

#include "xp_parse.h"

struct xp_rh2_hdr {
	__u8 nexthdr;
	__u8 hdrlen;		/* XP_RH2_HDR_EXT_LEN */
	__u8 type;		/* XP_RH_TYPE2 */
	__u8 segments_left;	/* XP_RH2_SEGMENTS_LEFT */
	__u32 reserved;
	union xp_addr6 addr;	/* the final destination: the primary HoA */
};
_Static_assert(sizeof(struct xp_rh2_hdr) == XP_RH2_LEN, "RH2 layout");

/* IPv6 header followed by the routing header, as one block */
struct xp_ip6_rh2 {
	struct ipv6hdr ip6;
	struct xp_rh2_hdr rh;
};

/* ip6 (a copy of the packet's header) becomes the header of the packet
 * with a routing header; rh gets the old destination. */
static __always_inline void xp_rh2_build(struct ipv6hdr *ip6, struct xp_rh2_hdr *rh,
					 const union xp_addr6 *new_dst)
{
	rh->nexthdr = ip6->nexthdr;
	rh->hdrlen = XP_RH2_HDR_EXT_LEN;
	rh->type = XP_RH_TYPE2;
	rh->segments_left = XP_RH2_SEGMENTS_LEFT;
	rh->reserved = 0;
	xp_addr_cpy(&rh->addr, &ip6->daddr);
	ip6->nexthdr = XP_IPPROTO_ROUTING;
	ip6->payload_len = bpf_htons(bpf_ntohs(ip6->payload_len) + XP_RH2_LEN);
	xp_addr_cpy(&ip6->daddr, new_dst);
}

/* XDP: insert the routing header, Destination = new_dst */
static __always_inline __u32 xp_rh2_insert(struct xdp_md *ctx, const union xp_addr6 *new_dst)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xp_ip6_rh2 h;
	struct ethhdr eth;

	if (data + XP_ETH_HLEN + sizeof(h.ip6) > end)
		return XP_R_DROP_MALFORMED;
	__builtin_memcpy(&eth, data, XP_ETH_HLEN);
	__builtin_memcpy(&h.ip6, data + XP_ETH_HLEN, sizeof(h.ip6));
	if (h.ip6.nexthdr == XP_IPPROTO_HOPOPTS)
		return XP_R_DROP_RH2_HBH;
	xp_rh2_build(&h.ip6, &h.rh, new_dst);

	if (bpf_xdp_adjust_head(ctx, -(int)XP_RH2_LEN))
		return XP_R_DROP_HEADROOM;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + XP_ETH_HLEN + sizeof(h) > end)
		return XP_R_DROP_HEADROOM;
	__builtin_memcpy(data, &eth, XP_ETH_HLEN);
	__builtin_memcpy(data + XP_ETH_HLEN, &h, sizeof(h));
	return XP_OK;
}

/* The routing header we remove: Type 2, one segment left, naming hoa */
static __always_inline int xp_rh2_match(const struct xp_rh2_hdr *rh, const union xp_addr6 *hoa)
{
	return rh->type == XP_RH_TYPE2 && rh->hdrlen == XP_RH2_HDR_EXT_LEN &&
	       rh->segments_left == XP_RH2_SEGMENTS_LEFT && xp_addr_eq(&rh->addr, hoa);
}

#endif /* XP_RH2_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_encap.h - IPv6-in-IPv6 (RFC 2473) push and pop with bpf_xdp_adjust_head.
 *
 * Job: add or remove the outer IPv6 header between the Ethernet header and
 * the inner packet. Nothing else: no lookups, no counting.
 *
 * Contract:
 *  - on entry the frame is Ethernet + IPv6 (push) or Ethernet + outer IPv6
 *    + outer extension headers + inner IPv6 (pop), already validated by
 *    xp_parse.h;
 *  - the Ethernet header is carried over unchanged (addresses included), so
 *    a packet handed to the stack afterwards is still addressed to us; the
 *    caller rewrites the MACs when it forwards (xp_fib.h or the binding);
 *  - push: outer Version/Traffic Class/Flow Label are copied from the inner
 *    header (RFC 2473 5.1 lets the entry point choose; copying keeps DSCP
 *    and ECMP entropy), Payload Length = inner_len, Next Header 41, Hop
 *    Limit and addresses from the arguments. IPv6 has no header checksum
 *    and the inner packet is not modified: nothing to fix;
 *  - both return XP_OK or XP_R_DROP_HEADROOM, and invalidate every packet
 *    pointer the caller holds.
 */
#ifndef XP_ENCAP_H
#define XP_ENCAP_H

#include "xp_parse.h"

static __always_inline __u32 xp_encap6(struct xdp_md *ctx, const union xp_addr6 *src,
				       const union xp_addr6 *dst, __u8 hop_limit,
				       __u32 inner_len)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr eth;
	struct ipv6hdr *o;
	__u32 vtcfl;

	if (data + XP_ETH_HLEN + 4 > end)
		return XP_R_DROP_HEADROOM;
	__builtin_memcpy(&eth, data, XP_ETH_HLEN);
	vtcfl = *(__u32 *)(data + XP_ETH_HLEN);

	if (bpf_xdp_adjust_head(ctx, -(int)XP_IPV6_HDR_LEN))
		return XP_R_DROP_HEADROOM;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + XP_ETH_HLEN + XP_IPV6_HDR_LEN > end)
		return XP_R_DROP_HEADROOM;

	__builtin_memcpy(data, &eth, XP_ETH_HLEN);
	o = data + XP_ETH_HLEN;
	*(__u32 *)o = vtcfl;
	o->payload_len = bpf_htons(inner_len);
	o->nexthdr = XP_IPPROTO_IPV6;
	o->hop_limit = hop_limit;
	xp_addr_cpy(&o->saddr, src);
	xp_addr_cpy(&o->daddr, dst);
	return XP_OK;
}

/* Remove hdrs bytes (outer IPv6 header + its extension headers) after the
 * Ethernet header. */
static __always_inline __u32 xp_decap6(struct xdp_md *ctx, __u32 hdrs)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr eth;

	if (hdrs < XP_IPV6_HDR_LEN || hdrs > 0x8000)
		return XP_R_DROP_HEADROOM;
	if (data + XP_ETH_HLEN > end)
		return XP_R_DROP_HEADROOM;
	__builtin_memcpy(&eth, data, XP_ETH_HLEN);
	if (bpf_xdp_adjust_head(ctx, (int)hdrs))
		return XP_R_DROP_HEADROOM;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + XP_ETH_HLEN > end)
		return XP_R_DROP_HEADROOM;
	__builtin_memcpy(data, &eth, XP_ETH_HLEN);
	return XP_OK;
}

#endif /* XP_ENCAP_H */

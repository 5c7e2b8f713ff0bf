/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_parse.h - bounds-checked parsing of Ethernet + IPv6 + extension headers.
 *
 * Job: turn an xdp_md into a struct xp_pkt whose pointers the verifier knows
 * are inside the packet, or into the reason the packet is not parseable.
 *
 * Contract:
 *  - every read is preceded by an explicit "ptr + size > data_end" check;
 *  - a truncated Ethernet, IPv6 or extension header, a version other than 6,
 *    or a Payload Length larger than the frame is XP_R_DROP_MALFORMED; more
 *    than XP_MAX_EXTHDRS extension headers is XP_R_DROP_EXTHDR_LIMIT;
 *  - the IPv6 packet ends at 40 + Payload Length (bytes after it are L2
 *    padding and are never parsed as headers);
 *  - the parse functions return XP_OK or an XP_R_* reason, they never count:
 *    the caller turns the reason into a verdict (xp_counters.h);
 *  - any bpf_xdp_adjust_head/tail invalidates every pointer in xp_pkt: the
 *    caller parses again (or re-derives from ctx) after changing the packet.
 *
 * The extension header walk is a global (non-inlined) function so that the
 * verifier checks its loop once per program, not once per call site.
 */
#ifndef XP_PARSE_H
#define XP_PARSE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xpmip_maps.h"
#include "xpmip_wire.h"

#define XP_ETH_P_IPV6	0x86DD
#define XP_ETH_HLEN	14
#define XP_AF_INET6	10

/* Extension headers walked before giving up (DROP_EXTHDR_LIMIT) */
#define XP_MAX_EXTHDRS	6

/*
 * Largest header offset we parse at. Bounds every variable offset so that
 * the verifier accepts "ptr + n > data_end" checks on it (it ignores them
 * when the offset may exceed 0xffff). XDP frames without frags fit in a
 * page, so no legitimate header lies beyond it.
 */
#define XP_PKT_OFF_MAX	0x3fff

/* "Continue" from a parse/check helper; every other value is an XP_R_* */
#define XP_OK		XP_R_MAX

struct xp_pkt {
	void *data;
	void *data_end;
	struct ethhdr *eth;
	struct ipv6hdr *ip6;
	__u32 ip6len;		/* 40 + Payload Length */
	__u32 l4off;		/* offset from data of the upper-layer header */
	__u8 l4proto;		/* its protocol; XP_IPPROTO_FRAGMENT: non-first fragment */
};

static __always_inline int xp_addr_eq(const void *a, const void *b)
{
	const __u32 *x = a, *y = b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
}

static __always_inline int xp_addr_is_zero(const void *a)
{
	const __u32 *x = a;

	return (x[0] | x[1] | x[2] | x[3]) == 0;
}

static __always_inline void xp_addr_cpy(void *dst, const void *src)
{
	__u32 *d = dst;
	const __u32 *s = src;

	d[0] = s[0];
	d[1] = s[1];
	d[2] = s[2];
	d[3] = s[3];
}

/* fe80::/10 */
static __always_inline int xp_addr_is_linklocal(const void *a)
{
	const __u8 *b = a;

	return b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
}

/* ff00::/8 */
static __always_inline int xp_addr_is_multicast(const void *a)
{
	return ((const __u8 *)a)[0] == 0xff;
}

/*
 * Walk the extension headers of an IPv6 packet.
 *   off:   offset from ctx->data of the first header after the IPv6 header
 *   nh:    the IPv6 header's Next Header
 *   limit: offset from ctx->data where the IPv6 packet ends
 * Returns (proto << 16) | offset of the upper-layer header, or
 * -XP_R_DROP_MALFORMED / -XP_R_DROP_EXTHDR_LIMIT.
 * A non-first fragment stops the walk with proto XP_IPPROTO_FRAGMENT.
 */
__attribute__((noinline))
int xp_exthdr_walk(struct xdp_md *ctx, __u32 off, __u32 nh, __u32 limit)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 cur, len;
	__u8 *h;
	int i;

	if (off > XP_PKT_OFF_MAX || nh > 255)
		return -XP_R_DROP_MALFORMED;
	if (limit > XP_PKT_OFF_MAX)
		limit = XP_PKT_OFF_MAX;	/* a frame never reaches it: see above */
	for (i = 0; i < XP_MAX_EXTHDRS; i++) {
		cur = nh;
		if (cur != XP_IPPROTO_HOPOPTS && cur != XP_IPPROTO_ROUTING &&
		    cur != XP_IPPROTO_DSTOPTS && cur != XP_IPPROTO_FRAGMENT &&
		    cur != XP_IPPROTO_AH)
			return (int)((cur << 16) | off);
		/* every extension header is at least 8 bytes */
		h = data + off;
		if ((void *)(h + 8) > end || off + 8 > limit)
			return -XP_R_DROP_MALFORMED;
		nh = h[0];
		if (cur == XP_IPPROTO_FRAGMENT) {
			off += 8;
			/* Fragment Offset != 0: no upper-layer header follows */
			if ((h[2] | (h[3] & 0xf8)) != 0)
				return (int)((XP_IPPROTO_FRAGMENT << 16) | off);
			continue;
		}
		if (cur == XP_IPPROTO_AH)
			len = ((__u32)h[1] + 2) * 4;	/* RFC 4302: 4-octet units, minus 2 */
		else
			len = ((__u32)h[1] + 1) * 8;	/* RFC 8200: 8-octet units, minus 1 */
		off += len;
		if (off > limit || data + off > end)
			return -XP_R_DROP_MALFORMED;
	}
	if (nh != XP_IPPROTO_HOPOPTS && nh != XP_IPPROTO_ROUTING &&
	    nh != XP_IPPROTO_DSTOPTS && nh != XP_IPPROTO_FRAGMENT &&
	    nh != XP_IPPROTO_AH)
		return (int)((nh << 16) | off);
	return -XP_R_DROP_EXTHDR_LIMIT;
}

/* Ethernet: XP_OK with p->eth set, DROP_MALFORMED, or PASS_NOT_IPV6 */
static __always_inline __u32 xp_parse_eth(struct xdp_md *ctx, struct xp_pkt *p)
{
	p->data = (void *)(long)ctx->data;
	p->data_end = (void *)(long)ctx->data_end;
	p->eth = p->data;
	if ((void *)(p->eth + 1) > p->data_end)
		return XP_R_DROP_MALFORMED;
	if (p->eth->h_proto != bpf_htons(XP_ETH_P_IPV6))
		return XP_R_PASS_NOT_IPV6;
	return XP_OK;
}

/*
 * The IPv6 header at data + 14 and its extension headers: XP_OK with ip6,
 * ip6len, l4off and l4proto set, or DROP_MALFORMED / DROP_EXTHDR_LIMIT.
 */
static __always_inline __u32 xp_parse_ip6(struct xdp_md *ctx, struct xp_pkt *p)
{
	__u32 plen;
	int r;

	p->ip6 = p->data + XP_ETH_HLEN;
	if ((void *)(p->ip6 + 1) > p->data_end)
		return XP_R_DROP_MALFORMED;
	if ((*(__u8 *)p->ip6 >> 4) != 6)
		return XP_R_DROP_MALFORMED;
	plen = bpf_ntohs(p->ip6->payload_len);
	if (p->data + XP_ETH_HLEN + XP_IPV6_HDR_LEN + plen > p->data_end)
		return XP_R_DROP_MALFORMED;
	p->ip6len = XP_IPV6_HDR_LEN + plen;
	r = xp_exthdr_walk(ctx, XP_ETH_HLEN + XP_IPV6_HDR_LEN, p->ip6->nexthdr,
			   XP_ETH_HLEN + p->ip6len);
	if (r < 0)
		return -r;
	p->l4off = r & XP_PKT_OFF_MAX;
	p->l4proto = (__u32)r >> 16;
	return XP_OK;
}

/*
 * Traffic that belongs to the local stack whatever the role: Mobility
 * Header, ICMPv6 RS/RA/NS/NA/Redirect, link-local and multicast.
 * XP_OK (not control), PASS_CONTROL, or DROP_MALFORMED (truncated ICMPv6).
 * Contract: p was filled by xp_parse_ip6 and the packet is unchanged since.
 */
static __always_inline __u32 xp_classify_control(struct xp_pkt *p)
{
	__u8 *l4;

	if (p->l4proto == XP_IPPROTO_MH)
		return XP_R_PASS_CONTROL;
	if (p->l4proto == XP_IPPROTO_ICMPV6) {
		l4 = p->data + (p->l4off & XP_PKT_OFF_MAX);
		if ((void *)(l4 + 4) > p->data_end ||
		    (p->l4off & XP_PKT_OFF_MAX) + 4 > XP_ETH_HLEN + p->ip6len)
			return XP_R_DROP_MALFORMED;
		if (l4[0] >= XP_ICMP6_ROUTER_SOL && l4[0] <= XP_ICMP6_REDIRECT)
			return XP_R_PASS_CONTROL;
	}
	if (xp_addr_is_multicast(&p->ip6->daddr) ||
	    xp_addr_is_linklocal(&p->ip6->daddr) ||
	    xp_addr_is_linklocal(&p->ip6->saddr))
		return XP_R_PASS_CONTROL;
	return XP_OK;
}

/*
 * The inner IPv6 header of a tunnel packet at offset off (the outer l4off):
 * XP_OK with *inner_len = its 40 + Payload Length, or a drop reason.
 * The inner packet must fit inside the outer one; its extension headers
 * are walked too, so that nothing truncated is ever forwarded.
 */
static __always_inline __u32 xp_parse_inner(struct xdp_md *ctx, struct xp_pkt *p,
					    __u32 *inner_len)
{
	struct ipv6hdr *in;
	__u32 off = p->l4off & XP_PKT_OFF_MAX, len;
	int r;

	in = p->data + off;
	if ((void *)(in + 1) > p->data_end)
		return XP_R_DROP_MALFORMED;
	if ((*(__u8 *)in >> 4) != 6)
		return XP_R_DROP_MALFORMED;
	len = XP_IPV6_HDR_LEN + bpf_ntohs(in->payload_len);
	if (off + len > XP_ETH_HLEN + p->ip6len)
		return XP_R_DROP_MALFORMED;
	r = xp_exthdr_walk(ctx, off + XP_IPV6_HDR_LEN, in->nexthdr, off + len);
	if (r < 0)
		return -r;
	*inner_len = len;
	return XP_OK;
}

#endif /* XP_PARSE_H */

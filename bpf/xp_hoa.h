/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_hoa.h - the Primary HoA destination option of 000_2df5b7e7ec4cafcb.txt
 * section 2.1: added by the MN on a non-primary interface, taken out by the
 * LMA on the uplink (section 4.2), which gives the packet back the primary
 * HoA as source.
 *
 * Job: find, check and remove the option (XDP, LMA) or build the header
 * that carries it (TC, MN), and keep the upper-layer checksum right. No
 * lookups besides what the caller passes, no counting.
 *
 * Checksums: on the wire between MN and LMA the packet is an ordinary one
 * from the interface's HoA (the option type's top bits 00 make any node
 * that does not know it skip it), so its TCP/UDP/ICMPv6 checksum covers
 * the HoA that is in the Source field. Whoever rewrites the Source adjusts
 * the checksum by the difference of the two addresses (RFC 1624), so the
 * packet verifies before and after. UDP: a zero checksum (none) is left
 * alone; a result of 0 is sent as 0xffff (RFC 8200 8.1).
 *
 * Contract:
 *  - only a Destination Options header right after the fixed IPv6 header
 *    is looked at (where the MN puts it: RFC 8200 4.1 places it before
 *    the routing and fragment headers, and no Hop-by-Hop header is sent by
 *    the MN's helper); at most XP_DSTOPT_SCAN_MAX octets and
 *    XP_DSTOPT_SCAN_OPTS options are scanned, a longer header is left as
 *    it is;
 *  - a header holding only the option and padding is removed; one with
 *    other options keeps them and the option becomes PadN;
 *  - an option whose Length is not 16, or a second one, is malformed.
 */
#ifndef XP_HOA_H
#define XP_HOA_H

#include "xp_parse.h"

#define XP_DSTOPT_SCAN_MAX	64	/* power of two: used as a mask */
#define XP_DSTOPT_SCAN_OPTS	8
#define XP_HOA_F_ALONE		0x100	/* xp_hoa_find: nothing but padding besides */
#define XP_HOA_OFF_MASK		(XP_DSTOPT_SCAN_MAX - 1)

/* TCP, UDP and ICMPv6 checksum field offsets in their headers */
#define XP_TCP_CSUM_OFF		16
#define XP_UDP_CSUM_OFF		6
#define XP_ICMP6_CSUM_OFF	2

/* Destination Options header with one Primary HoA option, as the MN sends
 * it (user/ipv6_ext.h XP_DSTOPT_HOA_HDR_LEN): PadN(2) puts the address on
 * an 8-octet boundary. */
struct xp_dstopt_hoa {
	__u8 nexthdr;
	__u8 hdrlen;		/* 2: 24 octets */
	__u8 padn_type;		/* XP_DSTOPT_PADN */
	__u8 padn_len;		/* 2 */
	__u8 padn[2];
	__u8 type;		/* the configured Primary HoA option type */
	__u8 len;		/* XP_DSTOPT_PRIMARY_HOA_LEN */
	union xp_addr6 addr;
};
#define XP_DSTOPT_HOA_LEN	24
#define XP_DSTOPT_HOA_PADN	2
_Static_assert(sizeof(struct xp_dstopt_hoa) == XP_DSTOPT_HOA_LEN, "dstopt layout");

static __always_inline void xp_dstopt_hoa_build(struct xp_dstopt_hoa *d, __u8 nexthdr,
						__u8 type, const union xp_addr6 *hoa)
{
	d->nexthdr = nexthdr;
	d->hdrlen = XP_DSTOPT_HOA_LEN / 8 - 1;
	d->padn_type = XP_DSTOPT_PADN;
	d->padn_len = XP_DSTOPT_HOA_PADN;
	d->padn[0] = 0;
	d->padn[1] = 0;
	d->type = type;
	d->len = XP_DSTOPT_PRIMARY_HOA_LEN;
	xp_addr_cpy(&d->addr, hoa);
}

/* Offset of the checksum field from the upper-layer header, 0: none */
static __always_inline __u32 xp_l4_csum_off(__u8 proto)
{
	if (proto == XP_IPPROTO_TCP)
		return XP_TCP_CSUM_OFF;
	if (proto == XP_IPPROTO_UDP)
		return XP_UDP_CSUM_OFF;
	if (proto == XP_IPPROTO_ICMPV6)
		return XP_ICMP6_CSUM_OFF;
	return 0;
}

/* RFC 1624 update of *field for a pseudo-header address from -> to */
static __always_inline void xp_csum_replace_addr(__u16 *field, union xp_addr6 *from,
						 union xp_addr6 *to, int udp)
{
	__u16 old = *field;
	__s64 d;
	__u32 s;

	if (udp && old == 0)
		return;
	d = bpf_csum_diff((__be32 *)from, sizeof(*from), (__be32 *)to, sizeof(*to),
			  (__u16)~old);
	s = (__u32)d;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	old = (__u16)~s;
	if (udp && old == 0)
		old = 0xffff;
	*field = old;
}

/*
 * Scan the Destination Options header of hlen octets right after the
 * IPv6 header at data + 14 for option opt_type. Returns its offset in the
 * header (| XP_HOA_F_ALONE when nothing else but padding is there), 0 when
 * it is not there or the header is too long to scan, -reason when
 * malformed. Global: the loop is verified once.
 */
__attribute__((noinline))
int xp_hoa_find(struct xdp_md *ctx, __u32 hlen, __u32 opt_type)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u8 *h = data + XP_ETH_HLEN + XP_IPV6_HDR_LEN, *p;
	__u32 o = 2, found = 0, alone = XP_HOA_F_ALONE, t, l;
	int i;

	if (hlen > XP_DSTOPT_SCAN_MAX)
		return 0;
	for (i = 0; i < XP_DSTOPT_SCAN_OPTS; i++) {
		if (o >= hlen)
			break;
		o &= XP_HOA_OFF_MASK;	/* a no-op (o < hlen <= 64) that lets states merge */
		p = h + o;
		if ((void *)(p + 2) > end)
			return -XP_R_DROP_MALFORMED;
		t = p[0];
		if (t == XP_DSTOPT_PAD1) {
			o++;
			continue;
		}
		l = p[1];
		if (o + 2 + l > hlen)
			return -XP_R_DROP_MALFORMED;
		if (t == opt_type) {
			if (found || l != XP_DSTOPT_PRIMARY_HOA_LEN)
				return -XP_R_DROP_MALFORMED;
			found = o;
		} else if (t != XP_DSTOPT_PADN) {
			alone = 0;
		}
		o += 2 + l;
	}
	if (o < hlen || !found)
		return 0;
	return (int)(found | alone);
}

/*
 * XDP, LMA uplink, on the decapsulated packet at data + 14 whose Next
 * Header is Destination Options: if it carries the Primary HoA option,
 * check it names want (the MN's primary HoA), set the Source to it, fix
 * the upper-layer checksum and take the option out. XP_OK with *done 1
 * (restored) or 0 (no option: untouched), or a reason. Invalidates every
 * packet pointer.
 */
static __always_inline __u32 xp_hoa_restore(struct xdp_md *ctx, __u8 opt_type,
					    const union xp_addr6 *want, int *done)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	union xp_addr6 hoa, src;
	struct ipv6hdr ip6, *in;
	struct ethhdr eth;
	__u32 hlen, off, l4, csum_off;
	__u8 *h, *p, nh, proto;
	int r;

	*done = 0;
	h = data + XP_ETH_HLEN + XP_IPV6_HDR_LEN;
	if ((void *)(h + 8) > end)
		return XP_R_DROP_MALFORMED;
	nh = h[0];
	hlen = ((__u32)h[1] + 1) * 8;
	r = xp_hoa_find(ctx, hlen, opt_type);
	if (r < 0)
		return -r;
	if (r == 0)
		return XP_OK;

	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	in = data + XP_ETH_HLEN;
	h = data + XP_ETH_HLEN + XP_IPV6_HDR_LEN;
	off = (__u32)r & XP_HOA_OFF_MASK;
	p = h + off;
	if ((void *)(in + 1) > end || (void *)(p + 2 + sizeof(hoa)) > end)
		return XP_R_DROP_MALFORMED;
	__builtin_memcpy(&hoa, p + 2, sizeof(hoa));
	if (xp_addr_is_zero(want) || !xp_addr_eq(&hoa, want))
		return XP_R_DROP_BAD_PRIMARY_HOA;

	/* the upper-layer header: right after, or after a first fragment */
	hlen &= XP_DSTOPT_SCAN_MAX * 2 - 1;	/* <= XP_DSTOPT_SCAN_MAX, checked by find */
	l4 = XP_ETH_HLEN + XP_IPV6_HDR_LEN + hlen;
	proto = nh;
	if (proto == XP_IPPROTO_FRAGMENT) {
		__u8 *f = data + l4;

		if ((void *)(f + 8) > end)
			return XP_R_DROP_MALFORMED;
		proto = (f[2] | (f[3] & 0xf8)) ? 0 : f[0];
		l4 += 8;
	}
	csum_off = xp_l4_csum_off(proto);
	__builtin_memcpy(&src, &in->saddr, sizeof(src));
	if (csum_off) {
		__u16 *c = data + l4 + csum_off;

		if ((void *)(c + 1) > end)
			return XP_R_DROP_MALFORMED;
		xp_csum_replace_addr(c, &src, &hoa, proto == XP_IPPROTO_UDP);
	}
	xp_addr_cpy(&in->saddr, &hoa);

	if (!((__u32)r & XP_HOA_F_ALONE)) {
		/* other options stay: this one becomes PadN */
		p[0] = XP_DSTOPT_PADN;
		__builtin_memset(p + 2, 0, sizeof(hoa));
		*done = 1;
		return XP_OK;
	}
	__builtin_memcpy(&eth, data, XP_ETH_HLEN);
	__builtin_memcpy(&ip6, in, sizeof(ip6));
	ip6.nexthdr = nh;
	ip6.payload_len = bpf_htons(bpf_ntohs(ip6.payload_len) - hlen);
	if (bpf_xdp_adjust_head(ctx, (int)hlen))
		return XP_R_DROP_HEADROOM;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + XP_ETH_HLEN + sizeof(ip6) > end)
		return XP_R_DROP_HEADROOM;
	__builtin_memcpy(data, &eth, XP_ETH_HLEN);
	__builtin_memcpy(data + XP_ETH_HLEN, &ip6, sizeof(ip6));
	*done = 1;
	return XP_OK;
}

#endif /* XP_HOA_H */

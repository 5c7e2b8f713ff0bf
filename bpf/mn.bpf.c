// SPDX-License-Identifier: GPL-2.0
/*
 * mn.bpf.c - the MN helper's user plane (000_2df5b7e7ec4cafcb.txt sections
 * 2 and 4), TC programs on each of the MN's interfaces, configured per
 * interface in xp_mnif_v1 (xpmip_maps.h) by user/mn.c.
 *
 *   xp_mn_egress, on a non-primary interface: a packet from the primary
 *     HoA leaves from the interface's HoA with a Destination Options header
 *     carrying the Primary HoA option (xp_hoa.h); its upper-layer checksum
 *     (behind any Destination Options, Routing or first Fragment header)
 *     is moved to the new source (bpf_l4_csum_replace with the pseudo-
 *     header flag, right for full and for partial checksums)  MN_UL_HOA
 *   xp_mn_ingress, on every interface: a packet with a Type 2 routing
 *     header naming the primary HoA gets it back as destination and loses
 *     the header (xp_rh2.h); the checksum already covers the primary HoA
 *     (RFC 8200 8.1), nothing to fix                          MN_DL_RH2
 *   xp_mn_egress again: a packet that would not fit the MTU (xp_mnif_v1)
 *     with the option becomes an ICMPv6 Packet Too Big (MTU - 24) back
 *     into the local stack (xp_ptb.h), which lowers the path MTU  MN_PTB
 *   anything else, unchanged                                  MN_PASS
 *
 * So sockets bound to the primary HoA see one address whichever interface
 * the LMA chose. GSO packets are handled too: TCP hands the device GSO
 * packets even with GSO off on it (software segmentation runs after TC),
 * and GRO merges packets with a routing header on the way in. Packets with
 * a Hop-by-Hop header and packets that are not sound IPv6 (version,
 * Payload Length beyond the frame) are left alone (MN_PASS).
 */
#include "xp_maps.bpf.h"
#include "xp_counters.h"
#include "xp_parse.h"
#include "xp_rh2.h"
#include "xp_hoa.h"
#define XP_PTB_TC
#include "xp_ptb.h"

char LICENSE[] SEC("license") = "GPL";

#define XP_TC_ACT_OK	0
#define XP_TC_ACT_SHOT	2
#define XP_TC_ACT_REDIRECT	7

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_MN_IFS);
	__type(key, __u32);
	__type(value, struct xp_mnif_val);
} xp_mnif_v1 SEC(".maps");

static __always_inline struct xp_mnif_val *xp_mnif(struct __sk_buff *skb, struct ipv6hdr *ip6)
{
	__u32 k = skb->ifindex;
	struct xp_mnif_val *v = bpf_map_lookup_elem(&xp_mnif_v1, &k);

	if (!v || skb->protocol != bpf_htons(XP_ETH_P_IPV6) ||
	    bpf_skb_load_bytes(skb, XP_ETH_HLEN, ip6, sizeof(*ip6)))
		return NULL;
	/* only a sound IPv6 packet is rewritten; the stack judges the rest
	 * (found by tests/bpf/test_fuzz_progs.c: a wrong version or a Payload
	 * Length beyond the frame came out rewritten) */
	if (ip6->version != 6 ||
	    XP_ETH_HLEN + XP_IPV6_HDR_LEN + bpf_ntohs(ip6->payload_len) > skb->len)
		return NULL;
	return v;
}

/*
 * Offset from the frame's start of the upper-layer header behind the
 * Destination Options, Routing and (first) Fragment headers of the packet
 * whose IPv6 header says nh; *proto its protocol. 0: no checksum to move
 * (a non-first fragment, too many headers, AH, unreadable). A first
 * fragment's checksum is moved like a whole packet's: it covers the whole
 * datagram, and the LMA moves it back the same way (xp_hoa.h).
 */
static __always_inline __u32 xp_mn_l4_off(struct __sk_buff *skb, __u8 nh, __u8 *proto)
{
	__u32 off = XP_ETH_HLEN + XP_IPV6_HDR_LEN;
	__u8 h[4];
	int i;

	for (i = 0; i < XP_MAX_EXTHDRS; i++) {
		if (nh != XP_IPPROTO_DSTOPTS && nh != XP_IPPROTO_ROUTING &&
		    nh != XP_IPPROTO_FRAGMENT) {
			*proto = nh;
			return off;
		}
		if (bpf_skb_load_bytes(skb, off, h, sizeof(h)))
			return 0;
		if (nh == XP_IPPROTO_FRAGMENT) {
			if (h[2] | (h[3] & 0xf8))
				return 0;
			off += 8;
		} else {
			off += ((__u32)h[1] + 1) * 8;
		}
		nh = h[0];
	}
	return 0;
}

SEC("tc")
int xp_mn_egress(struct __sk_buff *skb)
{
	union xp_addr6 from, to;
	struct xp_dstopt_hoa d;
	struct xp_mnif_val *v;
	struct ipv6hdr ip6;
	__u32 csum_off, l4_off;
	__s64 diff;
	__u8 proto = 0;

	v = xp_mnif(skb, &ip6);
	/* the shared-address model (000 5.3): the interface holds the primary
	 * HoA itself, nothing to add */
	if (!v || (v->flags & XP_MNIF_F_PRIMARY) || xp_addr_is_zero(&v->hoa) ||
	    xp_addr_eq(&v->hoa, &v->primary_hoa) ||
	    !xp_addr_eq(&ip6.saddr, &v->primary_hoa) || ip6.nexthdr == XP_IPPROTO_HOPOPTS)
		return xp_verdict(XP_R_MN_PASS, XP_TC_ACT_OK);

	/* no room for the option: the stack learns the path MTU less 24. A
	 * GSO packet (TCP builds them even when the device has GSO off; the
	 * kernel segments after us) is not measured: the option goes into
	 * each segment and its gso_size shrinks by 24 (bpf_skb_adjust_room
	 * without BPF_F_ADJ_ROOM_FIXED_GSO), so the segments keep their size */
	if (v->mtu && !skb->gso_size && XP_IPV6_HDR_LEN + bpf_ntohs(ip6.payload_len) + XP_DSTOPT_HOA_LEN > v->mtu) {
		if (xp_ptb_skb_local(skb, &v->hoa, (__u32)v->mtu - XP_DSTOPT_HOA_LEN) ==
		    XP_TC_ACT_REDIRECT)
			return xp_verdict(XP_R_MN_PTB, XP_TC_ACT_REDIRECT);
		return xp_verdict(XP_R_DROP_HEADROOM, XP_TC_ACT_SHOT);
	}
	/* the checksum first, before the option moves the upper layer; behind
	 * the packet's own extension headers too (found by
	 * tests/bpf/test_fuzz_progs.c: with a Destination Options header the
	 * source changed and the checksum did not) */
	l4_off = xp_mn_l4_off(skb, ip6.nexthdr, &proto);
	csum_off = l4_off ? xp_l4_csum_off(proto) : 0;
	if (csum_off) {
		xp_addr_cpy(&from, &v->primary_hoa);
		xp_addr_cpy(&to, &v->hoa);
		diff = bpf_csum_diff((__be32 *)&from, sizeof(from), (__be32 *)&to, sizeof(to), 0);
		if (bpf_l4_csum_replace(skb, (l4_off & XP_PKT_OFF_MAX) + csum_off, 0, diff,
					BPF_F_PSEUDO_HDR |
					(proto == XP_IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0)))
			return xp_verdict(XP_R_DROP_MALFORMED, XP_TC_ACT_SHOT);
	}
	xp_dstopt_hoa_build(&d, ip6.nexthdr, v->hoa_opt, &v->primary_hoa);
	xp_addr_cpy(&ip6.saddr, &v->hoa);
	ip6.nexthdr = XP_IPPROTO_DSTOPTS;
	ip6.payload_len = bpf_htons(bpf_ntohs(ip6.payload_len) + XP_DSTOPT_HOA_LEN);
	if (bpf_skb_adjust_room(skb, XP_DSTOPT_HOA_LEN, BPF_ADJ_ROOM_NET, 0) ||
	    bpf_skb_store_bytes(skb, XP_ETH_HLEN, &ip6, sizeof(ip6), 0) ||
	    bpf_skb_store_bytes(skb, XP_ETH_HLEN + XP_IPV6_HDR_LEN, &d, sizeof(d), 0))
		return xp_verdict(XP_R_DROP_HEADROOM, XP_TC_ACT_SHOT);
	return xp_verdict(XP_R_MN_UL_HOA, XP_TC_ACT_OK);
}

SEC("tc")
int xp_mn_ingress(struct __sk_buff *skb)
{
	struct xp_mnif_val *v;
	struct xp_rh2_hdr rh;
	struct ipv6hdr ip6;

	v = xp_mnif(skb, &ip6);
	if (!v || ip6.nexthdr != XP_IPPROTO_ROUTING || xp_addr_is_zero(&v->primary_hoa) ||
	    bpf_ntohs(ip6.payload_len) < XP_RH2_LEN ||
	    bpf_skb_load_bytes(skb, XP_ETH_HLEN + XP_IPV6_HDR_LEN, &rh, sizeof(rh)) ||
	    !xp_rh2_match(&rh, &v->primary_hoa))
		return xp_verdict(XP_R_MN_PASS, XP_TC_ACT_OK);
	ip6.nexthdr = rh.nexthdr;
	ip6.payload_len = bpf_htons(bpf_ntohs(ip6.payload_len) - XP_RH2_LEN);
	xp_addr_cpy(&ip6.daddr, &rh.addr);
	/* a GRO-merged packet keeps its gso_size: it is delivered here */
	if (bpf_skb_adjust_room(skb, -(__s32)XP_RH2_LEN, BPF_ADJ_ROOM_NET,
				BPF_F_ADJ_ROOM_FIXED_GSO) ||
	    bpf_skb_store_bytes(skb, XP_ETH_HLEN, &ip6, sizeof(ip6), BPF_F_RECOMPUTE_CSUM))
		return xp_verdict(XP_R_DROP_HEADROOM, XP_TC_ACT_SHOT);
	return xp_verdict(XP_R_MN_DL_RH2, XP_TC_ACT_OK);
}

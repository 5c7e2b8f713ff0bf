/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_dup.h - equal interface priorities (000_2df5b7e7ec4cafcb.txt 5.1,
 * 6.1): the LMA sends a copy of a downlink packet down each of the MN's
 * chosen bindings (xp_mn_v1 n_dl = 2), the non-primary copy with the Type
 * 2 routing header (xp_rh2.h).
 *
 * Why TC and not XDP: an XDP program has one frame and one verdict; it
 * cannot clone. So xp_lma_rx passes such a packet to the stack unchanged
 * (PASS_DL_DUP), and xp_lma_dup, a TC ingress program on the same
 * interface, which runs on every packet XDP passed before the stack routes
 * it, finds it again by the same lookups and sends the copies:
 * bpf_clone_redirect (kernel 4.2) for the first path, then the packet is
 * put back as it came and bpf_redirect sends it down the last path. The
 * copies are built with bpf_skb_adjust_room (BPF_ADJ_ROOM_MAC, 4.x) and
 * bpf_skb_store_bytes; nothing newer than 5.2.
 *
 * Contract: every exit counts one reason (xp_counters.h); packets that are
 * not equal-IFP downlink count TC_PASS and go on unchanged (the XDP
 * program counted them already, so the sum over reasons counts them twice:
 * docs/interface-priority.md). A first copy that cannot be built or routed
 * is not sent (it shows as a missing per-binding count), the last copy's
 * fate is the verdict.
 *
 * GSO packets (GRO on the ingress interface merged TCP segments after XDP
 * passed them one by one): one path only, DL_DUP_GSO. Cloning one and
 * putting it back is not possible: the tunnel header must be added as an
 * encapsulation (BPF_F_ADJ_ROOM_ENCAP_L3_IPV6, kernel 5.2) so that the
 * kernel can segment the result (gso_type IPXIP6, inner offsets), and the
 * skb stays marked encapsulated after a shrink (clearing that needs the
 * decap flags of 6.3). The path: the first one without a routing header
 * (the primary interface's, dl_bid[0], when it is among the tied), else
 * the first. The routing header goes in as room after the IPv6 header
 * (BPF_ADJ_ROOM_NET), which the kernel's GSO walks over like any
 * extension header; gso_size shrinks by what we add (no FIXED_GSO), so the
 * segments are no larger than the packets GRO merged.
 */
#ifndef XP_DUP_H
#define XP_DUP_H

#include "xp_maps.bpf.h"
#include "xp_counters.h"
#include "xp_parse.h"
#include "xp_prefix.h"
#include "xp_rh2.h"

#define XP_TC_ACT_OK		0	/* TC_ACT_OK */
#define XP_TC_ACT_SHOT		2	/* TC_ACT_SHOT */

/* outer IPv6 + inner IPv6 + routing header, written in one store */
struct xp_dup_hdrs {
	struct ipv6hdr outer;
	struct ipv6hdr inner;
	struct xp_rh2_hdr rh;
};
#define XP_DUP_PLAIN_LEN	(2 * XP_IPV6_HDR_LEN)
#define XP_DUP_RH2_LEN		(2 * XP_IPV6_HDR_LEN + XP_RH2_LEN)

static __always_inline int xp_dup_wants_rh2(const struct xp_bind_val *b,
					    const struct xp_mn_val *mn)
{
	return !(b->flags & XP_BF_PRIMARY) && !xp_addr_is_zero(&b->hoa) &&
	       !xp_addr_is_zero(&mn->primary_hoa) && !xp_addr_eq(&b->hoa, &mn->primary_hoa);
}

/*
 * Turn the packet (Ethernet + orig + payload) into the tunnelled copy for
 * binding b, Ethernet addresses from the FIB. XP_OK with *ifindex, or the
 * reason it cannot be sent; *grown: octets added (to undo).
 */
static __always_inline __u32 xp_dup_grow(struct __sk_buff *skb, struct xp_dup_hdrs *h, int rh2,
					 int gso, __u32 *grown)
{
	__u32 add = rh2 ? XP_IPV6_HDR_LEN + XP_RH2_LEN : XP_IPV6_HDR_LEN;

	if (gso) {		/* not undone: the single path of a GSO packet */
		if (rh2 && (bpf_skb_adjust_room(skb, XP_RH2_LEN, BPF_ADJ_ROOM_NET, 0) ||
			    bpf_skb_store_bytes(skb, XP_ETH_HLEN, &h->inner,
						XP_IPV6_HDR_LEN + XP_RH2_LEN, 0)))
			return XP_R_DROP_HEADROOM;
		if (!rh2 && bpf_skb_store_bytes(skb, XP_ETH_HLEN, &h->inner, XP_IPV6_HDR_LEN, 0))
			return XP_R_DROP_HEADROOM;
		if (bpf_skb_adjust_room(skb, XP_IPV6_HDR_LEN, BPF_ADJ_ROOM_MAC,
					BPF_F_ADJ_ROOM_ENCAP_L3_IPV6) ||
		    bpf_skb_store_bytes(skb, XP_ETH_HLEN, &h->outer, XP_IPV6_HDR_LEN, 0))
			return XP_R_DROP_HEADROOM;
		*grown = add;
		return XP_OK;
	}
	if (bpf_skb_adjust_room(skb, (__s32)add, BPF_ADJ_ROOM_MAC, 0))
		return XP_R_DROP_HEADROOM;
	*grown = add;
	if (bpf_skb_store_bytes(skb, XP_ETH_HLEN, h, rh2 ? XP_DUP_RH2_LEN : XP_DUP_PLAIN_LEN, 0))
		return XP_R_DROP_HEADROOM;
	return XP_OK;
}

static __always_inline __u32 xp_dup_build(struct __sk_buff *skb, const struct ipv6hdr *orig,
					  const struct xp_bind_val *b, const struct xp_mn_val *mn,
					  const struct xp_cfg *cfg, __u32 len, int gso, __u32 *ifindex,
					  __u32 *grown)
{
	struct bpf_fib_lookup fib = {};
	struct xp_dup_hdrs h;
	int rh2 = xp_dup_wants_rh2(b, mn);
	__u32 r;
	long rc;

	*grown = 0;
	__builtin_memcpy(&h.inner, orig, sizeof(h.inner));
	if (rh2) {
		xp_rh2_build(&h.inner, &h.rh, &b->hoa);
		len += XP_RH2_LEN;
	}
	*(__u32 *)&h.outer = *(const __u32 *)orig;	/* version, class, flow label */
	h.outer.payload_len = bpf_htons(len);
	h.outer.nexthdr = XP_IPPROTO_IPV6;
	h.outer.hop_limit = cfg->hop_limit;
	xp_addr_cpy(&h.outer.saddr, &b->local);
	xp_addr_cpy(&h.outer.daddr, &b->peer);

	r = xp_dup_grow(skb, &h, rh2, gso, grown);
	if (r != XP_OK)
		return r;

	fib.family = XP_AF_INET6;
	fib.l4_protocol = XP_IPPROTO_IPV6;
	/* a GSO packet is checked against the egress MTU segment by segment
	 * by the helper itself (tot_len 0: is_skb_forwardable) */
	fib.tot_len = gso ? 0 : XP_IPV6_HDR_LEN + len;
	fib.ifindex = skb->ingress_ifindex;
	xp_addr_cpy(fib.ipv6_src, &b->local);
	xp_addr_cpy(fib.ipv6_dst, &b->peer);
	rc = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		return XP_R_PASS_NO_NEIGH;
	if (rc == BPF_FIB_LKUP_RET_BLACKHOLE || rc == BPF_FIB_LKUP_RET_UNREACHABLE ||
	    rc == BPF_FIB_LKUP_RET_PROHIBIT)
		return XP_R_DROP_FIB;
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return XP_R_PASS_FIB;
	if (bpf_skb_store_bytes(skb, 0, fib.dmac, 6, 0) ||
	    bpf_skb_store_bytes(skb, 6, fib.smac, 6, 0))
		return XP_R_DROP_HEADROOM;
	*ifindex = fib.ifindex;
	return XP_OK;
}

/* Back to Ethernet + orig + payload after a copy was sent */
static __always_inline __u32 xp_dup_undo(struct __sk_buff *skb, const struct ipv6hdr *orig,
					 __u32 grown)
{
	if (grown && bpf_skb_adjust_room(skb, -(__s32)grown, BPF_ADJ_ROOM_MAC, 0))
		return XP_R_DROP_HEADROOM;
	if (bpf_skb_store_bytes(skb, XP_ETH_HLEN, orig, sizeof(*orig), 0))
		return XP_R_DROP_HEADROOM;
	return XP_OK;
}

static __always_inline int xp_dup_finish(__u32 r)
{
	return xp_verdict(r, xp_reason_is_drop(r) ? XP_TC_ACT_SHOT : XP_TC_ACT_OK);
}

static __always_inline int xp_dup_run(struct __sk_buff *skb)
{
	struct xp_bind_key k0 = {}, k1 = {};
	struct xp_bind_val *b0, *b1;
	struct xp_prefix_val *pv;
	struct xp_mn_val *mn;
	struct xp_cfg *cfg;
	struct ipv6hdr ip6;
	__u32 len, r, ifindex = 0, grown = 0, last = XP_R_DL_FORWARD;
	int gso = skb->gso_size != 0;	/* GRO merged it after XDP */

	cfg = xp_cfg_get();
	if (!cfg || !(cfg->flags & XP_CFG_F_ENABLED) ||
	    skb->protocol != bpf_htons(XP_ETH_P_IPV6) ||
	    bpf_skb_load_bytes(skb, XP_ETH_HLEN, &ip6, sizeof(ip6)))
		return xp_verdict(XP_R_TC_PASS, XP_TC_ACT_OK);
	pv = xp_prefix_lookup(&ip6.daddr);
	if (!pv || pv->kind == XP_PFX_TEMPORAL)
		return xp_verdict(XP_R_TC_PASS, XP_TC_ACT_OK);
	k0.mn_id = k1.mn_id = pv->mn_id;
	mn = bpf_map_lookup_elem(&xp_mn_v1, &k0.mn_id);
	if (!mn || mn->n_dl < XP_MAX_DL_BINDINGS || ip6.hop_limit <= 1 ||
	    (!xp_addr_is_zero(&mn->primary_hoa) && !xp_addr_eq(&ip6.daddr, &mn->primary_hoa)))
		return xp_verdict(XP_R_TC_PASS, XP_TC_ACT_OK);
	len = XP_IPV6_HDR_LEN + bpf_ntohs(ip6.payload_len);
	if (XP_ETH_HLEN + len > skb->len)
		return xp_verdict(XP_R_DROP_MALFORMED, XP_TC_ACT_SHOT);
	k0.bid = mn->dl_bid[0];
	k1.bid = mn->dl_bid[1];
	b0 = bpf_map_lookup_elem(&xp_bind_v1, &k0);
	b1 = bpf_map_lookup_elem(&xp_bind_v1, &k1);
	if (b0 && !(b0->flags & XP_BF_ACTIVE))
		b0 = NULL;
	if (b1 && !(b1->flags & XP_BF_ACTIVE))
		b1 = NULL;
	if (!b1) {		/* one path left: it is the last */
		b1 = b0;
		k1.bid = k0.bid;
		b0 = NULL;
	}
	if (!b1)
		return xp_verdict(XP_R_DROP_NO_BINDING, XP_TC_ACT_SHOT);
	ip6.hop_limit--;

	if (gso && b0) {	/* one path: the first without a routing header */
		if (!xp_dup_wants_rh2(b0, mn) || xp_dup_wants_rh2(b1, mn)) {
			b1 = b0;
			k1.bid = k0.bid;
		}
		b0 = NULL;
		last = XP_R_DL_DUP_GSO;
	}
	if (b0) {
		r = xp_dup_build(skb, &ip6, b0, mn, cfg, len, 0, &ifindex, &grown);
		if (r == XP_OK && !bpf_clone_redirect(skb, ifindex, 0))
			xp_bstat_add(k0.mn_id, k0.bid, len, 1);
		r = xp_dup_undo(skb, &ip6, grown);
		if (r != XP_OK)
			return xp_dup_finish(r);
	}
	r = xp_dup_build(skb, &ip6, b1, mn, cfg, len, gso, &ifindex, &grown);
	if (r == XP_R_PASS_NO_NEIGH || r == XP_R_PASS_FIB)
		return xp_verdict(r, XP_TC_ACT_OK);	/* the stack routes the copy */
	if (r != XP_OK)
		return xp_dup_finish(r);
	xp_bstat_add(k1.mn_id, k1.bid, len, 1);
	return xp_verdict(b0 ? XP_R_DL_DUP : last, bpf_redirect(ifindex, 0));
}

#endif /* XP_DUP_H */

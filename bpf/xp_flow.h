/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xp_flow.h - the LMA downlink's flow mobility decision (RFC 7864 5.2):
 * which binding a packet to an MN with flow entries takes, or whether it
 * is dropped.
 *
 *   1. exact-match flow cache xp_fcache_v1 (LRU), keyed by every field a
 *      selector can look at plus the MN and its flow generation;
 *   2. on a miss, the MN's selectors xp_fsel_v1 in FID-PRI order (at most
 *      XP_MAX_FLOWS_PER_MN, walked with bpf_loop so the verifier checks
 *      the match once, not once per entry); the result, match or not, goes
 *      into the cache.
 * The agent bumps xp_mn_val.flow_gen when the MN's entries change, which
 * makes the old cache entries unreachable (xpmip_maps.h).
 *
 * Contract: the caller has validated the IPv6 header at data + 14 and its
 * Payload Length against the frame, and only calls for an MN whose
 * xp_mn_val has XP_MNF_FLOWS. The packet is not changed. Returns
 * XP_FLOW_NONE (no entry: the caller's default applies), XP_FLOW_DROP, or
 * the BID (> 0) to forward to.
 *
 * bpf_loop: kernel 5.17; the project's floor is 6.1.
 */
#ifndef XP_FLOW_H
#define XP_FLOW_H

#include "xp_maps.bpf.h"
#include "xp_parse.h"

#define XP_FLOW_NONE		0
#define XP_FLOW_DROP		(-1)

#define XP_IPPROTO_SCTP		132
#define XP_IP6_TC_SHIFT		20
#define XP_IP6_TC_MASK		0xff
#define XP_IP6_FL_MASK		0xfffff

/* xp_fc_key.pad: which optional fields the packet has (part of the key:
 * they follow from the packet like every other field) */
#define XP_FCK_PORTS		0x1
#define XP_FCK_SPI		0x2

/* What the bpf_loop callback sees; small, the three frames of a downlink
 * (xp_lma_rx, xp_lma_downlink, xp_flow_decide) share 512 octets of stack */
struct xp_flow_walk {
	struct xp_flow_set *set;
	const struct xp_fc_key *k;
	__s32 hit;		/* index of the first matching selector, -1: none */
};

static __always_inline void xp_u128_of(const union xp_addr6 *a, struct xp_u128 *o)
{
	o->hi = ((__u64)bpf_ntohl(a->a32[0]) << 32) | bpf_ntohl(a->a32[1]);
	o->lo = ((__u64)bpf_ntohl(a->a32[2]) << 32) | bpf_ntohl(a->a32[3]);
}

/* a <= b */
static __always_inline int xp_u128_le(const struct xp_u128 *a, const struct xp_u128 *b)
{
	return a->hi < b->hi || (a->hi == b->hi && a->lo <= b->lo);
}

static __always_inline int xp_flow_sel_match(const struct xp_flow_sel *s,
					     const struct xp_fc_key *w)
{
	__u16 f = s->fields;
	struct xp_u128 a;

	if (f & XP_FSEL_SRC) {
		xp_u128_of(&w->src, &a);
		if (!(xp_u128_le(&s->src_lo, &a) && xp_u128_le(&a, &s->src_hi)))
			return 0;
	}
	if (f & XP_FSEL_DST) {
		xp_u128_of(&w->dst, &a);
		if (!(xp_u128_le(&s->dst_lo, &a) && xp_u128_le(&a, &s->dst_hi)))
			return 0;
	}
	if ((f & XP_FSEL_NH) && (w->nh < s->nh_lo || w->nh > s->nh_hi))
		return 0;
	if ((f & XP_FSEL_TC) && (w->tc < s->tc_lo || w->tc > s->tc_hi))
		return 0;
	if ((f & XP_FSEL_FL) && (w->fl < s->fl_lo || w->fl > s->fl_hi))
		return 0;
	if ((f & (XP_FSEL_SPORT | XP_FSEL_DPORT)) && !(w->pad & XP_FCK_PORTS))
		return 0;
	if ((f & XP_FSEL_SPORT) && (w->sport < s->sport_lo || w->sport > s->sport_hi))
		return 0;
	if ((f & XP_FSEL_DPORT) && (w->dport < s->dport_lo || w->dport > s->dport_hi))
		return 0;
	if ((f & XP_FSEL_SPI) &&
	    (!(w->pad & XP_FCK_SPI) || w->spi < s->spi_lo || w->spi > s->spi_hi))
		return 0;
	return 1;
}

static long xp_flow_walk_cb(__u32 i, void *ctx)
{
	struct xp_flow_walk *w = ctx;
	struct xp_flow_set *set = w->set;

	if (!set || i >= XP_MAX_FLOWS_PER_MN)
		return 1;
	if (xp_flow_sel_match(&set->sel[i], w->k)) {
		w->hit = (__s32)i;
		return 1;	/* the first match in FID-PRI order wins */
	}
	return 0;
}

static __always_inline int xp_flow_result(const struct xp_fc_val *v)
{
	if (v->action == XP_FBA_DROP)
		return XP_FLOW_DROP;
	if (v->action == XP_FBA_FORWARD && v->bid)
		return v->bid;
	return XP_FLOW_NONE;
}

/* Global: verified once. See the contract above. */
__attribute__((noinline))
int xp_flow_decide(struct xdp_md *ctx, __u32 mn_id, __u32 gen)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6 = data + XP_ETH_HLEN;
	struct xp_flow_walk w = { .hit = -1 };
	struct xp_fc_key k = {};
	struct xp_fc_val nv = {}, *cv;
	__u32 vtcfl, len, off;
	__u8 *l4;
	int r;

	if ((void *)(ip6 + 1) > end)
		return XP_FLOW_NONE;
	xp_addr_cpy(&k.src, &ip6->saddr);
	xp_addr_cpy(&k.dst, &ip6->daddr);
	vtcfl = bpf_ntohl(*(__u32 *)ip6);
	k.tc = (vtcfl >> XP_IP6_TC_SHIFT) & XP_IP6_TC_MASK;
	k.fl = vtcfl & XP_IP6_FL_MASK;
	k.nh = ip6->nexthdr;
	k.mn_id = mn_id;
	k.gen = gen;
	len = XP_IPV6_HDR_LEN + bpf_ntohs(ip6->payload_len);

	/* the upper layer: a packet whose extension headers do not parse is
	 * classified on its IPv6 header alone */
	r = xp_exthdr_walk(ctx, XP_ETH_HLEN + XP_IPV6_HDR_LEN, k.nh, XP_ETH_HLEN + len);
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (r >= 0) {
		k.nh = (__u32)r >> 16;
		off = (__u32)r & XP_PKT_OFF_MAX;
		l4 = data + off;
		if ((k.nh == XP_IPPROTO_TCP || k.nh == XP_IPPROTO_UDP ||
		     k.nh == XP_IPPROTO_SCTP) && (void *)(l4 + 4) <= end &&
		    off + 4 <= XP_ETH_HLEN + len) {
			k.sport = ((__u16)l4[0] << 8) | l4[1];
			k.dport = ((__u16)l4[2] << 8) | l4[3];
			k.pad = XP_FCK_PORTS;
		} else if (k.nh == XP_IPPROTO_ESP && (void *)(l4 + 4) <= end &&
			   off + 4 <= XP_ETH_HLEN + len) {
			k.spi = ((__u32)l4[0] << 24) | ((__u32)l4[1] << 16) |
				((__u32)l4[2] << 8) | l4[3];
			k.pad = XP_FCK_SPI;
		}
	}

	cv = bpf_map_lookup_elem(&xp_fcache_v1, &k);
	if (cv)
		return xp_flow_result(cv);

	w.set = bpf_map_lookup_elem(&xp_fsel_v1, &mn_id);
	if (!w.set)
		return XP_FLOW_NONE;	/* being rewritten: not cached */
	w.k = &k;
	bpf_loop(w.set->n < XP_MAX_FLOWS_PER_MN ? w.set->n : XP_MAX_FLOWS_PER_MN,
		 xp_flow_walk_cb, &w, 0);
	if (w.hit >= 0 && w.hit < XP_MAX_FLOWS_PER_MN) {
		nv.action = w.set->sel[w.hit].action;
		nv.bid = w.set->sel[w.hit].bid;
	}
	bpf_map_update_elem(&xp_fcache_v1, &k, &nv, BPF_ANY);
	return xp_flow_result(&nv);
}

#endif /* XP_FLOW_H */

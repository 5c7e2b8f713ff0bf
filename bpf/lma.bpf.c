// SPDX-License-Identifier: GPL-2.0
/*
 * lma.bpf.c - the LMA's user plane: xp_lma_rx on every LMA interface.
 *
 *   control (MH, ND/RS/RA, link-local, multicast, to the LMA itself and not
 *   a tunnel)                                   -> XDP_PASS   PASS_CONTROL
 *   IPv6-in-IPv6 to xp_cfg.local_addr           -> uplink:  peer check,
 *       inner source owned by the peer's MN, decap, forward (or, MN to MN,
 *       the downlink path on the inner packet)     UL_FORWARD / DL_FORWARD
 *   destination in xp_pfx_v1                    -> downlink: binding (flow
 *       entry, else IFP choice, else prefix owner), hop
 *       limit, PTB, encap to the Proxy-CoA, forward   DL_FORWARD
 *       000 (interface priority): to the primary HoA over a non-primary
 *       binding, Type 2 routing header first (xp_rh2.h)   DL_FORWARD_RH2;
 *       equal IFPs: XDP cannot clone, to xp_lma_dup      PASS_DL_DUP
 *   uplink with the Primary HoA option: source restored (xp_hoa.h)
 *                                                     UL_FORWARD_HOA
 *   anything else                               -> XDP_PASS   PASS_NO_PREFIX
 * Every verdict counts exactly one reason (xp_counters.h).
 */
#include "xp_maps.bpf.h"
#include "xp_counters.h"
#include "xp_parse.h"
#include "xp_encap.h"
#include "xp_fib.h"
#include "xp_ptb.h"
#include "xp_prefix.h"
#include "xp_flow.h"
#include "xp_rh2.h"
#include "xp_hoa.h"
#include "xp_dup.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Downlink on the IPv6 packet at data + 14 (validated by the caller: header
 * and Payload Length within the frame). Global: verified once although
 * called from two places (CN -> MN, and MN -> MN after uplink decap).
 * Counts its own verdict.
 */
__attribute__((noinline))
int xp_lma_downlink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6 = data + XP_ETH_HLEN;
	struct xp_prefix_val *pv;
	struct xp_bind_key bk = {};
	struct xp_bind_val *b;
	struct xp_mn_val *mn;
	struct xp_cfg *cfg;
	__u32 len, mtu, r, extra = 0, fwd;
	int action, dup = 0, fl = XP_FLOW_NONE;

	if ((void *)(ip6 + 1) > end)
		return xp_verdict(XP_R_DROP_MALFORMED, XDP_DROP);
	len = XP_IPV6_HDR_LEN + bpf_ntohs(ip6->payload_len);
	if (data + XP_ETH_HLEN + len > end)
		return xp_verdict(XP_R_DROP_MALFORMED, XDP_DROP);
	cfg = xp_cfg_get();
	if (!cfg)
		return xp_verdict(XP_R_PASS_DISABLED, XDP_PASS);

	pv = xp_prefix_lookup(&ip6->daddr);
	if (!pv)
		return xp_verdict(XP_R_PASS_NO_PREFIX, XDP_PASS);
	bk.mn_id = pv->mn_id;
	bk.bid = pv->bid;
	/* a temporal (001 level-2) prefix goes through the binding that owns
	 * it, which a flow handover chose: the MN's downlink choice applies
	 * to its permanent prefixes only */
	mn = pv->kind == XP_PFX_TEMPORAL ? NULL : bpf_map_lookup_elem(&xp_mn_v1, &bk.mn_id);
	/* RFC 7864 5.2: the MN's flow mobility cache first (xp_flow.h); only
	 * MNs with active flow entries pay for it */
	if (mn && (mn->flags & XP_MNF_FLOWS)) {
		fl = xp_flow_decide(ctx, bk.mn_id, mn->flow_gen);
		if (fl == XP_FLOW_DROP)
			return xp_verdict(XP_R_DROP_FLOW_ACTION, XDP_DROP);
		if (fl > 0)
			bk.bid = (__u16)fl;
	}
	/* 000 section 4.1: the IFP choice, for the primary HoA (or for every
	 * address when the MN has none) */
	if (fl == XP_FLOW_NONE && mn && mn->n_dl > 0 &&
	    (xp_addr_is_zero(&mn->primary_hoa) || xp_addr_eq(&ip6->daddr, &mn->primary_hoa))) {
		dup = mn->n_dl > 1;
		bk.bid = mn->dl_bid[0];
	}
	b = bpf_map_lookup_elem(&xp_bind_v1, &bk);
	if (!b || !(b->flags & XP_BF_ACTIVE))
		return xp_verdict(XP_R_DROP_NO_BINDING, XDP_DROP);
	/* a non-primary interface with its own HoA: Type 2 routing header */
	if (mn && !(b->flags & XP_BF_PRIMARY) && !xp_addr_is_zero(&b->hoa) &&
	    !xp_addr_is_zero(&mn->primary_hoa) && xp_addr_eq(&ip6->daddr, &mn->primary_hoa) &&
	    !xp_addr_eq(&b->hoa, &mn->primary_hoa))
		extra = XP_RH2_LEN;

	if (ip6->hop_limit <= 1)
		return xp_verdict(XP_R_PASS_HOP_LIMIT, XDP_PASS);
	mtu = xp_tunnel_mtu(cfg);
	if (dup)
		extra = XP_RH2_LEN;	/* the larger copy decides */
	if (len + XP_IPV6_HDR_LEN + extra > mtu) {
		if (xp_ptb_reply(ctx, mtu - XP_IPV6_HDR_LEN - extra) == XDP_TX)
			return xp_verdict(XP_R_PTB_SENT, XDP_TX);
		return xp_verdict(XP_R_DROP_HEADROOM, XDP_DROP);
	}
	/* equal IFPs: XDP cannot clone; xp_lma_dup (TC ingress) sends the copies */
	if (dup)
		return xp_verdict(XP_R_PASS_DL_DUP, XDP_PASS);
	ip6->hop_limit--;

	fwd = XP_R_DL_FORWARD;
	if (extra) {
		r = xp_rh2_insert(ctx, &b->hoa);
		if (r != XP_OK)
			return xp_finish(r);
		len += extra;
		fwd = XP_R_DL_FORWARD_RH2;
	}
	r = xp_encap6(ctx, &b->local, &b->peer, cfg->hop_limit, len);
	if (r != XP_OK)
		return xp_verdict(r, XDP_DROP);
	r = xp_fib_forward(ctx, cfg->flags & XP_CFG_F_NO_NHCACHE, fwd, &action);
	if (action != XDP_DROP)
		xp_bstat_add(bk.mn_id, bk.bid, len, 1);
	return xp_verdict(r, action);
}

/* IPv6-in-IPv6 addressed to the LMA: p describes the outer packet. */
static __always_inline int xp_lma_uplink(struct xdp_md *ctx, struct xp_pkt *p,
					 struct xp_cfg *cfg)
{
	struct xp_prefix_val *pv;
	struct xp_ul_key uk = {};
	struct xp_ul_val *ul;
	struct ipv6hdr *in;
	__u32 inner_len, r, mn_id, fwd = XP_R_UL_FORWARD;
	void *data, *end;
	int action;

	xp_addr_cpy(&uk.pcoa, &p->ip6->saddr);
	if (!bpf_map_lookup_elem(&xp_peer_v1, &uk.pcoa))
		return xp_verdict(XP_R_DROP_UNKNOWN_PEER, XDP_DROP);

	r = xp_parse_inner(ctx, p, &inner_len);
	if (r != XP_OK)
		return xp_finish(r);
	in = p->data + (p->l4off & XP_PKT_OFF_MAX);
	if ((void *)(in + 1) > p->data_end)
		return xp_verdict(XP_R_DROP_MALFORMED, XDP_DROP);

	/* anti-spoofing: the inner source belongs to an MN registered via this peer */
	pv = xp_prefix_lookup(&in->saddr);
	if (!pv)
		return xp_verdict(XP_R_DROP_SPOOFED_SRC, XDP_DROP);
	mn_id = pv->mn_id;
	uk.mn_id = mn_id;
	ul = bpf_map_lookup_elem(&xp_ul_v1, &uk);
	if (!ul)
		return xp_verdict(XP_R_DROP_SPOOFED_SRC, XDP_DROP);

	r = xp_decap6(ctx, (p->l4off & XP_PKT_OFF_MAX) - XP_ETH_HLEN);
	if (r != XP_OK)
		return xp_verdict(r, XDP_DROP);
	xp_bstat_add(mn_id, ul->bid, inner_len, 0);

	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	in = data + XP_ETH_HLEN;
	if ((void *)(in + 1) > end)
		return xp_verdict(XP_R_DROP_MALFORMED, XDP_DROP);

	/* 000 section 4.2: the Primary HoA option gives the source back */
	if (in->nexthdr == XP_IPPROTO_DSTOPTS) {
		struct xp_mn_val *mn = bpf_map_lookup_elem(&xp_mn_v1, &mn_id);
		int done;

		if (mn) {
			r = xp_hoa_restore(ctx, cfg->primary_hoa_opt, &mn->primary_hoa, &done);
			if (r != XP_OK)
				return xp_finish(r);
			if (done)
				fwd = XP_R_UL_FORWARD_HOA;
		}
		data = (void *)(long)ctx->data;
		end = (void *)(long)ctx->data_end;
		in = data + XP_ETH_HLEN;
		if ((void *)(in + 1) > end)
			return xp_verdict(XP_R_DROP_MALFORMED, XDP_DROP);
	}

	/* MN to MN through the LMA: the inner packet takes the downlink path */
	if (xp_prefix_lookup(&in->daddr))
		return xp_lma_downlink(ctx);

	if (in->hop_limit <= 1)
		return xp_verdict(XP_R_PASS_HOP_LIMIT, XDP_PASS);
	in->hop_limit--;
	/* to a CN: not cached (one entry per destination would thrash xp_nh_v1) */
	r = xp_fib_forward(ctx, 1, fwd, &action);
	return xp_verdict(r, action);
}

SEC("xdp")
int xp_lma_rx(struct xdp_md *ctx)
{
	struct xp_pkt p;
	struct xp_cfg *cfg;
	__u32 r;

	r = xp_parse_eth(ctx, &p);
	if (r != XP_OK)
		return xp_finish(r);
	cfg = xp_cfg_get();
	if (!cfg || !(cfg->flags & XP_CFG_F_ENABLED))
		return xp_verdict(XP_R_PASS_DISABLED, XDP_PASS);
	r = xp_parse_ip6(ctx, &p);
	if (r != XP_OK)
		return xp_finish(r);
	r = xp_classify_control(&p);
	if (r != XP_OK)
		return xp_finish(r);

	if (xp_addr_eq(&p.ip6->daddr, &cfg->local_addr)) {
		if (p.l4proto == XP_IPPROTO_IPV6)
			return xp_lma_uplink(ctx, &p, cfg);
		return xp_verdict(XP_R_PASS_CONTROL, XDP_PASS);
	}
	return xp_lma_downlink(ctx);
}

/*
 * Never attached: the agent's handover-switch events reach the trace ring
 * through it (BPF_PROG_TEST_RUN, xp_trace.h). The one program that counts
 * no reason, since it sees no traffic.
 */
SEC("xdp")
int xp_trace_emit(struct xdp_md *ctx)
{
	return xp_trace_forward(ctx);
}

/* TC ingress on every LMA interface: the copies for equal IFPs (xp_dup.h) */
SEC("tc")
int xp_lma_dup(struct __sk_buff *skb)
{
	return xp_dup_run(skb);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * mag.bpf.c - the MAG's user plane.
 *
 * xp_mag_access, on each access interface (packets from MNs):
 *   control (MH, ND/RS/RA, link-local, multicast, to the MAG itself)
 *                                               -> XDP_PASS   PASS_CONTROL
 *   source in xp_pfx_v1 with an ACTIVE binding on this interface
 *       -> hop limit, PTB, encap (Proxy-CoA -> LMA), forward   UL_ENCAP
 *   source unknown or bound to another interface -> DROP_SPOOFED_SRC
 *   prefix without an active binding             -> DROP_NO_BINDING
 *
 * xp_mag_core, on the core interface (packets from the LMA):
 *   control                                      -> XDP_PASS   PASS_CONTROL
 *   not IPv6-in-IPv6 to xp_cfg.local_addr        -> XDP_PASS   PASS_NOT_TUNNEL
 *   from a peer not in xp_peer_v1                -> DROP_UNKNOWN_PEER
 *   inner destination in xp_pfx_v1 (off-link prefixes included) with an
 *   ACTIVE binding -> decap, MN/interface MACs, hop limit, redirect to the
 *   access interface                                         DL_DELIVER
 * Every verdict counts exactly one reason (xp_counters.h).
 */
#include "xp_maps.bpf.h"
#include "xp_counters.h"
#include "xp_parse.h"
#include "xp_encap.h"
#include "xp_fib.h"
#include "xp_ptb.h"
#include "xp_prefix.h"

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int xp_mag_access(struct xdp_md *ctx)
{
	struct xp_prefix_val *pv;
	struct xp_bind_key bk = {};
	struct xp_bind_val *b;
	struct xp_cfg *cfg;
	struct xp_pkt p;
	__u32 r, mtu, len;
	int action;

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
	if (xp_addr_eq(&p.ip6->daddr, &cfg->local_addr))
		return xp_verdict(XP_R_PASS_CONTROL, XDP_PASS);

	pv = xp_prefix_lookup(&p.ip6->saddr);
	if (!pv)
		return xp_verdict(XP_R_DROP_SPOOFED_SRC, XDP_DROP);
	bk.mn_id = pv->mn_id;
	bk.bid = pv->bid;
	b = bpf_map_lookup_elem(&xp_bind_v1, &bk);
	if (!b || !(b->flags & XP_BF_ACTIVE))
		return xp_verdict(XP_R_DROP_NO_BINDING, XDP_DROP);
	if (b->ifindex != ctx->ingress_ifindex)
		return xp_verdict(XP_R_DROP_SPOOFED_SRC, XDP_DROP);

	if (p.ip6->hop_limit <= 1)
		return xp_verdict(XP_R_PASS_HOP_LIMIT, XDP_PASS);
	len = p.ip6len;
	mtu = xp_tunnel_mtu(cfg);
	if (len + XP_IPV6_HDR_LEN > mtu) {
		if (xp_ptb_reply(ctx, mtu - XP_IPV6_HDR_LEN) == XDP_TX)
			return xp_verdict(XP_R_PTB_SENT, XDP_TX);
		return xp_verdict(XP_R_DROP_HEADROOM, XDP_DROP);
	}
	p.ip6->hop_limit--;

	r = xp_encap6(ctx, &b->local, &b->peer, cfg->hop_limit, len);
	if (r != XP_OK)
		return xp_verdict(r, XDP_DROP);
	r = xp_fib_forward(ctx, cfg->flags & XP_CFG_F_NO_NHCACHE, XP_R_UL_ENCAP, &action);
	if (action != XDP_DROP)
		xp_bstat_add(bk.mn_id, bk.bid, len, 0);
	return xp_verdict(r, action);
}

SEC("xdp")
int xp_mag_core(struct xdp_md *ctx)
{
	struct xp_prefix_val *pv;
	struct xp_bind_key bk = {};
	struct xp_bind_val *b;
	union xp_addr6 peer;
	struct xp_cfg *cfg;
	struct ipv6hdr *in;
	struct ethhdr *eth;
	void *data, *end;
	struct xp_pkt p;
	__u32 r, len;

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
	if (p.l4proto != XP_IPPROTO_IPV6 || !xp_addr_eq(&p.ip6->daddr, &cfg->local_addr))
		return xp_verdict(XP_R_PASS_NOT_TUNNEL, XDP_PASS);

	xp_addr_cpy(&peer, &p.ip6->saddr);
	if (!bpf_map_lookup_elem(&xp_peer_v1, &peer))
		return xp_verdict(XP_R_DROP_UNKNOWN_PEER, XDP_DROP);
	r = xp_parse_inner(ctx, &p, &len);
	if (r != XP_OK)
		return xp_finish(r);
	in = p.data + (p.l4off & XP_PKT_OFF_MAX);
	if ((void *)(in + 1) > p.data_end)
		return xp_verdict(XP_R_DROP_MALFORMED, XDP_DROP);

	/* off-link prefixes (XP_PFXF_OFFLINK) are routed like on-link ones */
	pv = xp_prefix_lookup(&in->daddr);
	if (!pv)
		return xp_verdict(XP_R_DROP_NO_BINDING, XDP_DROP);
	bk.mn_id = pv->mn_id;
	bk.bid = pv->bid;
	b = bpf_map_lookup_elem(&xp_bind_v1, &bk);
	if (!b || !(b->flags & XP_BF_ACTIVE) || !b->ifindex)
		return xp_verdict(XP_R_DROP_NO_BINDING, XDP_DROP);

	r = xp_decap6(ctx, (p.l4off & XP_PKT_OFF_MAX) - XP_ETH_HLEN);
	if (r != XP_OK)
		return xp_verdict(r, XDP_DROP);
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	in = data + XP_ETH_HLEN;
	if ((void *)(in + 1) > end)
		return xp_verdict(XP_R_DROP_MALFORMED, XDP_DROP);
	/* still addressed to us: the stack answers with Time Exceeded */
	if (in->hop_limit <= 1)
		return xp_verdict(XP_R_PASS_HOP_LIMIT, XDP_PASS);
	in->hop_limit--;
	__builtin_memcpy(eth->h_dest, b->mn_mac, 6);
	__builtin_memcpy(eth->h_source, b->if_mac, 6);
	xp_bstat_add(bk.mn_id, bk.bid, len, 1);
	return xp_verdict(XP_R_DL_DELIVER, bpf_redirect(b->ifindex, 0));
}

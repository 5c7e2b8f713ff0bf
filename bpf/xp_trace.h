/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_trace.h - user-plane events for `xpmipctl trace`.
 *
 * Job: when the agent has set XP_CFG_F_TRACE in xp_cfg_v1, describe a
 * dropped packet (reason, ingress interface, Ethernet source, outer and,
 * for IPv6-in-IPv6, inner addresses) in one struct xp_trace_event on the
 * xp_trace_v1 ring buffer.
 *
 * Contract: called only from xp_verdict() for DROP_* reasons, so a
 * forwarded packet never pays for it; with tracing off a drop costs one
 * array lookup more. A subprogram (not inlined) so that the dozens of
 * drop sites share one copy of the code and the verifier's counts stay
 * small. A full ring drops the event, never the packet. Reads the packet
 * with explicit bounds checks; a packet too short for a header leaves that
 * header's fields zero.
 *
 * Also: xp_trace_forward() for the agent's XP_TRACE_SWITCH events, which
 * only the agent can see (it alone rewrites the downlink choice, see
 * xpmip_maps.h). User space cannot write to a BPF ring buffer, so the
 * agent runs the never-attached program xp_trace_emit with
 * BPF_PROG_TEST_RUN, its "packet" being the event.
 */
#ifndef XP_TRACE_H
#define XP_TRACE_H

#include "xp_maps.bpf.h"

#define XP_TRACE_ETH_LEN	14
#define XP_TRACE_ETH_SRC	6	/* offset of the source MAC */
#define XP_TRACE_IP6_LEN	40
#define XP_TRACE_IP6_NXT	6	/* Next Header octet */
#define XP_TRACE_IP6_SRC	8
#define XP_TRACE_IP6_DST	24
#define XP_TRACE_IPPROTO_IPV6	41
#define XP_TRACE_ETH_P_IPV6	0xdd86	/* 0x86dd as read in network order */

static __noinline int xp_trace_drop(struct xdp_md *ctx, __u32 reason)
{
	struct xp_cfg *cfg = xp_cfg_get();
	struct xp_trace_event *ev;
	void *data, *end;
	__u8 *ip;

	if (!ctx || !cfg || !(cfg->flags & XP_CFG_F_TRACE))
		return 0;
	ev = bpf_ringbuf_reserve(&xp_trace_v1, sizeof(*ev), 0);
	if (!ev)
		return 0;
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->ts_ns = bpf_ktime_get_ns();
	ev->kind = XP_TRACE_DROP;
	ev->reason = reason;
	ev->ifindex = ctx->ingress_ifindex;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + XP_TRACE_ETH_LEN > end)
		goto out;
	__builtin_memcpy(ev->src_mac, (__u8 *)data + XP_TRACE_ETH_SRC, sizeof(ev->src_mac));
	if (*(__u16 *)((__u8 *)data + 12) != XP_TRACE_ETH_P_IPV6)
		goto out;
	ip = (__u8 *)data + XP_TRACE_ETH_LEN;
	if ((void *)(ip + XP_TRACE_IP6_LEN) > end)
		goto out;
	__builtin_memcpy(&ev->src, ip + XP_TRACE_IP6_SRC, sizeof(ev->src));
	__builtin_memcpy(&ev->dst, ip + XP_TRACE_IP6_DST, sizeof(ev->dst));
	/* IPv6-in-IPv6 right after the outer header (what the tunnels send) */
	if (ip[XP_TRACE_IP6_NXT] != XP_TRACE_IPPROTO_IPV6 ||
	    (void *)(ip + 2 * XP_TRACE_IP6_LEN) > end)
		goto out;
	ip += XP_TRACE_IP6_LEN;
	__builtin_memcpy(&ev->inner_src, ip + XP_TRACE_IP6_SRC, sizeof(ev->inner_src));
	__builtin_memcpy(&ev->inner_dst, ip + XP_TRACE_IP6_DST, sizeof(ev->inner_dst));
	ev->flags |= XP_TRACE_F_INNER;
out:
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/*
 * The packet is one struct xp_trace_event (XP_TRACE_SWITCH) built by the
 * agent: copy it to the ring with the kernel's clock, so that it orders
 * with the drop events. Dropped while tracing is off. Returns the XDP
 * action for BPF_PROG_TEST_RUN (nothing is forwarded: no interface runs
 * this program).
 */
static __always_inline int xp_trace_forward(struct xdp_md *ctx)
{
	struct xp_cfg *cfg = xp_cfg_get();
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct xp_trace_event *ev;

	if (!cfg || !(cfg->flags & XP_CFG_F_TRACE) || data + sizeof(*ev) > end)
		return XDP_ABORTED;
	ev = bpf_ringbuf_reserve(&xp_trace_v1, sizeof(*ev), 0);
	if (!ev)
		return XDP_ABORTED;
	__builtin_memcpy(ev, data, sizeof(*ev));
	ev->ts_ns = bpf_ktime_get_ns();
	ev->kind = XP_TRACE_SWITCH;
	bpf_ringbuf_submit(ev, 0);
	return XDP_DROP;
}

#endif /* XP_TRACE_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * xp_counters.h - verdicts with reasons.
 *
 * Job: make "every return path increments exactly one XP_R_* counter" a
 * property of the code's shape. A program never returns an XDP action
 * directly; it returns xp_verdict(ctx_reason, action), which counts the
 * reason in xp_cnt_v1 (per CPU, so a plain increment) and yields the action.
 * Helpers below the programs return a reason and leave the counting to the
 * one caller that turns it into a verdict.
 *
 * Also: per-binding packet/byte counters in xp_bstat_v2 (created by the
 * agent with the binding, else on first use by the program; the agent
 * deletes them with the binding). One value for all CPUs: atomic adds.
 */
#ifndef XP_COUNTERS_H
#define XP_COUNTERS_H

#include "xp_maps.bpf.h"
#include "xp_trace.h"

/*
 * xp_verdict(reason, action) passes the program's context to the tracer
 * (xp_trace.h; a no-op unless `xpmipctl trace` runs), which reads the
 * dropped packet. Every XDP function in bpf/ names its context ctx, so the
 * macro takes `ctx` from the call site. TC code (struct __sk_buff *skb)
 * has no local ctx and binds to the file-scope NULL below instead; its
 * actions are TC_ACT_*, never XDP_DROP, so the tracer call is folded away
 * there. Only XDP_DROP reaches the tracer: forwarding never pays for it.
 */
static struct xdp_md *const ctx __attribute__((unused)) = (struct xdp_md *)0;

static __always_inline int xp_verdict_ctx(struct xdp_md *xctx, __u32 reason, int action)
{
	__u64 *c = bpf_map_lookup_elem(&xp_cnt_v1, &reason);

	if (c)
		*c += 1;
	if (action == XDP_DROP && xctx)
		xp_trace_drop(xctx, reason);
	return action;
}
#define xp_verdict(reason, action) xp_verdict_ctx(ctx, (reason), (action))

/* DROP_* reasons are contiguous in XP_REASON_LIST */
static __always_inline int xp_reason_is_drop(__u32 r)
{
	return r >= XP_R_DROP_MALFORMED && r <= XP_R_DROP_FLOW_ACTION;
}

/* The verdict for a PASS_* or DROP_* reason from a parse/check helper
 * (r is evaluated twice: pass a variable) */
#define xp_finish(r) xp_verdict((r), xp_reason_is_drop(r) ? XDP_DROP : XDP_PASS)

/* Account one packet of len bytes to a binding; dl selects the direction. */
static __always_inline void xp_bstat_add(__u32 mn_id, __u16 bid, __u64 len, int dl)
{
	struct xp_bind_key k = { .mn_id = mn_id, .bid = bid };
	struct xp_bind_stats *s, init = {};

	s = bpf_map_lookup_elem(&xp_bstat_v2, &k);
	if (s) {
		if (dl) {
			__sync_fetch_and_add(&s->dl_packets, 1);
			__sync_fetch_and_add(&s->dl_bytes, len);
		} else {
			__sync_fetch_and_add(&s->ul_packets, 1);
			__sync_fetch_and_add(&s->ul_bytes, len);
		}
		return;
	}
	if (dl) {
		init.dl_packets = 1;
		init.dl_bytes = len;
	} else {
		init.ul_packets = 1;
		init.ul_bytes = len;
	}
	/* Racing CPUs: the loser's first packet is not counted; acceptable. */
	bpf_map_update_elem(&xp_bstat_v2, &k, &init, BPF_NOEXIST);
}

#endif /* XP_COUNTERS_H */

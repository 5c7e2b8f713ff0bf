// SPDX-License-Identifier: GPL-2.0
/*
 * pktcost_probe.bpf.c - probes for build/bench/pktcost: where a downlink
 * packet's time goes, one component at a time.
 *
 * Each xb_* program does a prefix of the LMA downlink's map work on the
 * packet's destination (the same CN -> MN packet as the "LMA downlink
 * encap" row), on the LMA object's own maps (pktcost hands this object the
 * LMA's map fds), and returns XDP_PASS without touching the packet: the
 * difference between two consecutive probes is what one component costs
 * at that MN count, measured in the same rounds as the real program.
 * Benchmark probes, never attached: they count no reason.
 *
 * xb_bind_pre is a preallocated copy of xp_bind_v1 (same key, value and
 * max_entries), filled by pktcost with the same bindings: the same lookup
 * with elements from the map's own preallocated area (vmalloc) instead of
 * the BPF memory allocator (kmalloc slabs). xb_bstat_pcpu holds the same
 * per-binding counters as xp_bstat_v2 the way xp_bstat_v1 did, in a
 * PERCPU_HASH (one value per CPU, plain adds): the previous design, side by
 * side with the current one.
 */
#include "xp_maps.bpf.h"
#include "xp_prefix.h"
#include "xp_counters.h"

char LICENSE[] SEC("license") = "GPL";

#define XB_TC_ACT_OK	0

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_BINDINGS);
	__type(key, struct xp_bind_key);
	__type(value, struct xp_bind_val);
} xb_bind_pre SEC(".maps");

/* the per-binding counters as xp_bstat_v1 kept them: per CPU */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, XP_MAX_BINDINGS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xp_bind_key);
	__type(value, struct xp_bind_stats);
} xb_bstat_pcpu SEC(".maps");

/* the same counters as xp_bstat_v2 keeps them (one value, atomic adds), in
 * a map filled exactly like xb_bstat_pcpu: the clean A/B of the two */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XP_MAX_BINDINGS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xp_bind_key);
	__type(value, struct xp_bind_stats);
} xb_bstat_sh SEC(".maps");

/* the packet's destination, or NULL */
static __always_inline struct ipv6hdr *xb_ip6(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6 = data + XP_ETH_HLEN;

	return (void *)(ip6 + 1) > end ? NULL : ip6;
}

/* xp_pfx64_v1, a /64 nobody has (the destination's with the first octet
 * flipped): the bucket is read, no element */
SEC("xdp")
int xb_pfx64_miss(struct xdp_md *ctx)
{
	struct ipv6hdr *ip6 = xb_ip6(ctx);
	struct xp_prefix64_key k;

	if (!ip6)
		return XDP_PASS;
	k.a32[0] = ip6->daddr.in6_u.u6_addr32[0] ^ 0xff;
	k.a32[1] = ip6->daddr.in6_u.u6_addr32[1];
	bpf_map_lookup_elem(&xp_pfx64_v1, &k);
	return XDP_PASS;
}

/* xp_prefix_lookup alone: the LPM trie (empty here), then xp_pfx64_v1 */
SEC("xdp")
int xb_pfx(struct xdp_md *ctx)
{
	struct ipv6hdr *ip6 = xb_ip6(ctx);

	if (ip6)
		xp_prefix_lookup(&ip6->daddr);
	return XDP_PASS;
}

/* xp_pfx64_v1 only (no trie) */
SEC("xdp")
int xb_pfx64(struct xdp_md *ctx)
{
	struct ipv6hdr *ip6 = xb_ip6(ctx);
	struct xp_prefix64_key k;

	if (!ip6)
		return XDP_PASS;
	k.a32[0] = ip6->daddr.in6_u.u6_addr32[0];
	k.a32[1] = ip6->daddr.in6_u.u6_addr32[1];
	bpf_map_lookup_elem(&xp_pfx64_v1, &k);
	return XDP_PASS;
}

/* what xb_chain does after the prefix lookup */
#define XB_MN		0x01	/* xp_mn_v1 */
#define XB_BIND		0x02	/* xp_bind_v1 */
#define XB_BINDPRE	0x04	/* xb_bind_pre instead */
#define XB_BSTAT	0x08	/* xp_bstat_v2 lookup and atomic adds: xp_bstat_add */
#define XB_INLINE	0x10	/* an atomic add inside the binding value instead */
#define XB_PCPU		0x20	/* xb_bstat_pcpu (PERCPU_HASH, as v1): lookup, adds */
#define XB_SH		0x40	/* xb_bstat_sh (HASH, as v2): lookup, atomic adds */

/*
 * The downlink's lookups in the program's order: the prefix, then what
 * `what` says. XB_INLINE is what per-binding counters inside the binding
 * would cost (the line is already loaded); XB_PCPU what the per-CPU
 * counters of xp_bstat_v1 cost.
 */
static __always_inline int xb_chain(struct xdp_md *ctx, __u32 what)
{
	struct ipv6hdr *ip6 = xb_ip6(ctx);
	struct xp_prefix_val *pv;
	struct xp_bind_key bk = {};
	struct xp_bind_stats *st;
	struct xp_bind_val *b = NULL;

	if (!ip6)
		return XDP_PASS;
	pv = xp_prefix_lookup(&ip6->daddr);
	if (!pv)
		return XDP_PASS;
	bk.mn_id = pv->mn_id;
	bk.bid = pv->bid;
	if ((what & XB_MN) && !bpf_map_lookup_elem(&xp_mn_v1, &bk.mn_id))
		return XDP_PASS;
	if (what & (XB_BIND | XB_BINDPRE)) {
		b = bpf_map_lookup_elem(what & XB_BINDPRE ? (void *)&xb_bind_pre : (void *)&xp_bind_v1,
					&bk);
		if (!b)
			return XDP_PASS;
	}
	if (what & XB_BSTAT)
		xp_bstat_add(bk.mn_id, bk.bid, 100, 1);
	if ((what & XB_INLINE) && b)	/* + 0: the line is taken for writing */
		__sync_fetch_and_add(&b->ifindex, 0);
	if (what & XB_SH) {
		st = bpf_map_lookup_elem(&xb_bstat_sh, &bk);
		if (st) {
			__sync_fetch_and_add(&st->dl_packets, 1);
			__sync_fetch_and_add(&st->dl_bytes, 100);
		}
	}
	if (what & XB_PCPU) {
		st = bpf_map_lookup_elem(&xb_bstat_pcpu, &bk);
		if (st) {
			st->dl_packets++;
			st->dl_bytes += 100;
		}
	}
	return XDP_PASS;
}

SEC("xdp")
int xb_pfx_mn(struct xdp_md *ctx)
{
	return xb_chain(ctx, XB_MN);
}

SEC("xdp")
int xb_pfx_mn_bind(struct xdp_md *ctx)
{
	return xb_chain(ctx, XB_MN | XB_BIND);
}

SEC("xdp")
int xb_pfx_bind(struct xdp_md *ctx)
{
	return xb_chain(ctx, XB_BIND);
}

SEC("xdp")
int xb_pfx_mn_bindpre(struct xdp_md *ctx)
{
	return xb_chain(ctx, XB_MN | XB_BINDPRE);
}

SEC("xdp")
int xb_pfx_mn_bind_bstat(struct xdp_md *ctx)
{
	return xb_chain(ctx, XB_MN | XB_BIND | XB_BSTAT);
}

SEC("xdp")
int xb_pfx_mn_bind_inline(struct xdp_md *ctx)
{
	return xb_chain(ctx, XB_MN | XB_BIND | XB_INLINE);
}

SEC("xdp")
int xb_pfx_mn_bind_sh(struct xdp_md *ctx)
{
	return xb_chain(ctx, XB_MN | XB_BIND | XB_SH);
}

SEC("xdp")
int xb_pfx_mn_bind_pcpu(struct xdp_md *ctx)
{
	return xb_chain(ctx, XB_MN | XB_BIND | XB_PCPU);
}

/* the per-packet helpers of the next-hop cache: bpf_jiffies64 */
SEC("xdp")
int xb_jiffies(struct xdp_md *ctx)
{
	(void)ctx;
	bpf_jiffies64();
	return XDP_PASS;
}

/* the floor of the TC rows: a sched_cls program that does nothing */
SEC("tc")
int xb_tc_pass(struct __sk_buff *skb)
{
	(void)skb;
	return XB_TC_ACT_OK;
}
